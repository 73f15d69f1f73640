//! Credit memos written with positive amounts. Dynamics, NetSuite and many ERPs export a sales
//! ledger's credit memos (returns, price corrections) with the same unsigned amounts as
//! invoices and a document-type column that says which is which. Loaded as written, every
//! credit is a sale: a trial's log gained 10% of GP and 31 wrong labels. With
//! `credit_documents` (which `init` sets when it finds such a column), a row of a credit type
//! has its GP and quantity read as negative; an amount already negative stays so.

use serde::{Deserialize, Serialize};

use super::contracts::{Severity, Violations};

/// The column that names a row's document type, and the values that mean a credit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditDocuments {
    pub column: String,
    pub values: Vec<String>,
}

/// Headers of a document-type column, by letters and digits.
pub const TYPE_COLUMNS: &[&str] = &[
    "documenttype",
    "doctype",
    "transactiontype",
    "invoicetype",
    "billingtype",
    "salestype",
    "entrytype",
    "recordtype",
    "type",
];

/// Whether a document type's value means a credit (`Credit Memo`, `Credit Note`, `CN`,
/// `Return`, `RMA`, `Refund`).
pub fn means_credit(value: &str) -> bool {
    let n = key(value);
    n.contains("credit")
        || matches!(
            n.as_str(),
            "cm" | "cn" | "crn" | "return" | "returns" | "returnorder" | "rma" | "refund"
        )
}

/// Whether a document type's value means an invoice or a sale (`Invoice`, `Sales Invoice`,
/// `INV`, `Order`, `Sale`, `Debit Memo`): what a document-type column holds beside its credits.
pub fn means_invoice(value: &str) -> bool {
    let n = key(value);
    n.contains("invoice")
        || n.contains("order")
        || n.contains("debit")
        || matches!(
            n.as_str(),
            "inv" | "in" | "sale" | "sales" | "bill" | "dm" | "shipment"
        )
}

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column index and the credit values (as [`key`]s) of `credits` in `header`; a column the
/// log lacks blocks, since every credit would load as a sale.
pub fn locate(
    credits: Option<&CreditDocuments>,
    header: &[String],
    vio: &mut Violations,
) -> Option<(usize, Vec<String>)> {
    let c = credits?;
    match header.iter().position(|h| *h == c.column) {
        Some(i) => Some((i, c.values.iter().map(|v| key(v)).collect())),
        None => {
            vio.push(
                "missing_required_column",
                Severity::Blocking,
                Some(1),
                &c.column,
                "",
                format!(
                    "no column `{}` (`credit_documents.column`): its credit rows would load as sales; name the log's document-type column there, or remove `credit_documents`",
                    c.column
                ),
            );
            None
        }
    }
}

/// Whether a row whose document type is `value` is a credit under `values` (as [`locate`]
/// returns them).
pub fn is_credit(value: &str, values: &[String]) -> bool {
    values.contains(&key(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_types_are_known_in_the_ways_erps_write_them() {
        for v in [
            "Credit Memo",
            "CREDIT NOTE",
            "Sales Credit Memo",
            "CN",
            "Return",
            "RMA",
        ] {
            assert!(means_credit(v), "{v}");
        }
        for v in ["Invoice", "Order", "Shipment", "Debit Memo", ""] {
            assert!(!means_credit(v), "{v}");
        }
        let values = vec![key("Credit Memo")];
        assert!(is_credit(" credit memo ", &values));
        assert!(!is_credit("Invoice", &values));
    }
}
