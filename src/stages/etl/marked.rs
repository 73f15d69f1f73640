//! A column whose values mark rows the ETL reads otherwise: a document type's credit memos
//! ([`super::credits`]), an order status's cancelled and open orders ([`super::statuses`]).
//! Values are compared by their letters and digits, case aside.

use serde::{Deserialize, Serialize};

use super::contracts::{Severity, Violations};

/// The column, and its values that mark a row.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkedRows {
    pub column: String,
    pub values: Vec<String>,
}

/// A value as marks compare it: lower-case letters and digits (`Credit Memo` is `creditmemo`),
/// as a folder's headers are matched.
pub(crate) use super::parts::column_key as key;

/// The column index and the marking values (as [`key`]s) of `marked` in `header`. A column
/// the log lacks blocks, naming the param (`credit_documents`) and what its rows would do
/// unmarked (`its credit rows would load as sales`).
pub fn locate(
    marked: Option<&MarkedRows>,
    header: &[String],
    vio: &mut Violations,
    param: &str,
    unmarked: &str,
) -> Option<(usize, Vec<String>)> {
    let m = marked?;
    match header.iter().position(|h| *h == m.column) {
        Some(i) => Some((i, m.values.iter().map(|v| key(v)).collect())),
        None => {
            vio.push(
                "missing_required_column",
                Severity::Blocking,
                Some(1),
                &m.column,
                "",
                format!(
                    "no column `{}` (`{param}.column`): {unmarked}; name the log's column there, or remove `{param}`",
                    m.column
                ),
            );
            None
        }
    }
}

/// Whether a row whose column holds `value` is marked under `values` (as [`locate`] returns
/// them).
pub fn is_marked(value: &str, values: &[String]) -> bool {
    values.contains(&key(value))
}
