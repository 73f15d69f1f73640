//! Orders that are no sale. ERP and CRM exports of order lines carry a status column (`Status`,
//! `Order Status`) with cancelled, open, draft or quoted orders beside the posted ones: loaded,
//! each is a purchase to the labels (a trial's log came out 11.6% over its GP, with 42 wrong
//! training labels). With `excluded_statuses` (which `init` sets when it finds such a column),
//! those rows are dropped and counted.

use serde::{Deserialize, Serialize};

use super::contracts::{Severity, Violations};

/// The status column, and its values that mean no sale.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludedStatuses {
    pub column: String,
    pub values: Vec<String>,
}

/// Headers of a status column, by letters and digits.
pub const STATUS_COLUMNS: &[&str] = &[
    "status",
    "orderstatus",
    "linestatus",
    "documentstatus",
    "invoicestatus",
    "salesstatus",
    "postingstatus",
];

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a status means the row is no sale (yet): cancelled, void, open, draft, quoted.
pub fn means_no_sale(value: &str) -> bool {
    let n = key(value);
    [
        "cancel", "void", "delete", "draft", "quot", "pending", "onhold", "reject", "proforma",
    ]
    .iter()
    .any(|w| n.contains(w))
        || matches!(n.as_str(), "open" | "hold" | "new" | "cx" | "x")
}

/// Whether a status means a sale: posted, invoiced, shipped, closed.
pub fn means_sale(value: &str) -> bool {
    let n = key(value);
    [
        "post", "invoic", "ship", "closed", "complete", "billed", "paid", "fulfil", "deliver",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// The column index and the excluded values (as keys); a column the log lacks blocks, since
/// every cancelled order would load as a sale.
pub fn locate(
    statuses: Option<&ExcludedStatuses>,
    header: &[String],
    vio: &mut Violations,
) -> Option<(usize, Vec<String>)> {
    let c = statuses?;
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
                    "no column `{}` (`excluded_statuses.column`): its cancelled and open orders would load as sales; name the log's status column there, or remove `excluded_statuses`",
                    c.column
                ),
            );
            None
        }
    }
}

/// Whether a row of status `value` is excluded under `values` (as [`locate`] returns them).
pub fn is_excluded(value: &str, values: &[String]) -> bool {
    values.contains(&key(value))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(means_no_sale(v) && !means_sale(v), "{v}");
        }
        for v in ["Posted", "Invoiced", "Shipped", "Closed", "Completed"] {
            assert!(means_sale(v) && !means_no_sale(v), "{v}");
        }
    }
}
