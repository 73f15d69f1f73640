//! Orders that are no sale. ERP and CRM exports of order lines carry a status column (`Status`,
//! `Order Status`) with cancelled, open, draft or quoted orders beside the posted ones: loaded,
//! each is a purchase to the labels (a trial's log came out 11.6% over its GP, with 42 wrong
//! training labels). With `excluded_statuses` (which `init` sets when it finds such a column),
//! those rows are dropped and counted.

use super::contracts::Violations;
use super::marked::key;

/// The status column, and its values that mean no sale.
pub type ExcludedStatuses = super::marked::MarkedRows;

/// Headers of a status column, by letters and digits.
pub const STATUS_COLUMNS: &[&str] = &[
    "status",
    "orderstatus",
    "linestatus",
    "documentstatus",
    "invoicestatus",
    "salesstatus",
    "postingstatus",
    // Odoo's `account.move`: `posted`, `draft`, `cancel`.
    "state",
    // A CRM's opportunities (Salesforce's `Stage`, HubSpot's `Deal Stage`): only the won are sales.
    "stage",
    "opportunitystage",
    "dealstage",
    "salesstage",
    // Shopify's orders: `paid`, `pending`, `refunded`, `voided`.
    "financialstatus",
    // Dynamics GP's `Void Status` (`Normal`, `Voided`); commercetools' `orderState`.
    "voidstatus",
    "orderstate",
    // Recurly's invoices; French, Spanish and Italian headers.
    "invoicestate",
    "statut",
    "estado",
    "stato",
];

/// Whether a status means the row is no sale (yet): cancelled, void, open, draft, quoted; an
/// opportunity lost or still in the pipeline (Salesforce's and HubSpot's default stages).
pub fn means_no_sale(value: &str) -> bool {
    let n = key(value);
    [
        "cancel",
        "void",
        "delete",
        "draft",
        "quot",
        "pending",
        "onhold",
        "reject",
        "proforma",
        "lost",
        "prospect",
        "qualif",
        "negotiat",
        "proposal",
        "needsanalysis",
        "valueproposition",
        "perceptionanalysis",
        "decisionmaker",
        "appointment",
        "presentation",
        "contractsent",
        // WooCommerce's `Failed` (a payment that did not go through), Magento's fraud checks.
        "fail",
        // German `storniert`, French `annulée`, Spanish and Italian `anulado`/`annullato`.
        "storn",
        "annul",
        "anulad",
        "fraud",
        "paymentreview",
        // An order sent back or its money given back, with no credit line of its own:
        // `Returned`, `Refunded`, `Partially refunded` aside (a part kept is a sale),
        // `Credited`, `Reversed`, `Return Authorized`, `Chargeback`.
        "return",
        "credited",
        "revers",
        "chargeback",
        // An order or quote converted into the invoice that is the sale (Sage Intacct's
        // `Converted` sales orders beside their invoices): counted, it is the sale twice.
        "convert",
        "erstattet",
        "rembours",
        "retour",
    ]
    .iter()
    .any(|w| n.contains(w))
        || matches!(
            n.as_str(),
            // Magento's order on hold is `holded`.
            // Acumatica's `Balanced`: a document not yet released.
            "open" | "hold" | "holded" | "new" | "cx" | "x" | "refunded" | "balanced"
                // Olist's `unavailable`: the product could not be had, the order never filled.
                | "unavailable" | "outofstock"
        )
}

/// Whether a status means a sale: posted, invoiced, shipped, closed, won (`Closed Lost` is
/// none).
pub fn means_sale(value: &str) -> bool {
    let n = key(value);
    [
        "post",
        "invoic",
        "ship",
        "closed",
        "complete",
        "billed",
        "paid",
        "fulfil",
        "deliver",
        "won",
        // Posted, invoiced, paid, delivered in German, French, Spanish and Italian.
        "gebucht",
        "fakturiert",
        "bezahlt",
        "geliefert",
        "comptabilis",
        "factur",
        "payée",
        "payee",
        "livr",
        "contabiliz",
        "pagad",
        "entregad",
        "pagat",
    ]
    .iter()
    .any(|w| n.contains(w))
        && !n.contains("lost")
        // Dynamics GP's `Void Status` of a document not voided.
        || n == "normal"
}

/// The column index and the excluded values of `statuses` in `header`; a column the log
/// lacks blocks, since every cancelled order would load as a sale.
pub fn locate(
    statuses: Option<&ExcludedStatuses>,
    header: &[String],
    vio: &mut Violations,
) -> Option<(usize, Vec<String>)> {
    super::marked::locate(
        statuses,
        header,
        vio,
        "excluded_statuses",
        "its cancelled and open orders would load as sales",
    )
}

pub use super::marked::is_marked as is_excluded;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_sent_back_or_credited_is_no_sale_and_one_partly_refunded_is() {
        for v in [
            "Returned",
            "RETURN AUTHORIZED",
            "Credited",
            "Reversed",
            "Chargeback",
            "Refunded",
        ] {
            assert!(means_no_sale(v), "{v}");
        }
        for v in ["Partially refunded", "Invoiced", "Shipped"] {
            assert!(!means_no_sale(v), "{v}");
        }
    }

    #[test]
    fn statuses_are_told_apart_as_order_systems_write_them() {
        for v in [
            "Cancelled",
            "CANCELED",
            "Void",
            "Open",
            "Draft",
            "Quote",
            "On Hold",
            "Failed",
            "holded",
            "payment_review",
            "storniert",
            "Annulée",
            "unavailable",
        ] {
            assert!(means_no_sale(v) && !means_sale(v), "{v}");
        }
        for v in ["Gebucht", "Comptabilisée", "Facturée", "Payée"] {
            assert!(means_sale(v) && !means_no_sale(v), "{v}");
        }
        for v in ["Posted", "Invoiced", "Shipped", "Closed", "Completed"] {
            assert!(means_sale(v) && !means_no_sale(v), "{v}");
        }
        // A CRM's opportunity stages: only the won are sales.
        for v in [
            "Closed Lost",
            "Prospecting",
            "Qualification",
            "Needs Analysis",
            "Proposal/Price Quote",
            "Negotiation/Review",
            "closedlost",
            "Decision maker bought in",
        ] {
            assert!(means_no_sale(v) && !means_sale(v), "{v}");
        }
        for v in ["Closed Won", "closedwon"] {
            assert!(means_sale(v) && !means_no_sale(v), "{v}");
        }
    }
}
