//! Customer ids written with and without leading zeros (`00123` in the exports before a
//! migration, `123` after): read as one customer with `customer_id_leading_zeros: strip`, and
//! warned of when they are kept apart.

use std::collections::BTreeMap;

use super::contracts::{Severity, Violations};
use super::ingest::Row;

/// An id of digits without its leading zeros (`0` for `000`); any other id as it is.
pub fn without_zeros(id: String) -> String {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || !id.starts_with('0') {
        return id;
    }
    let t = id.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.into()
    }
}

/// One `customer_id_twins` warning when ids that differ only in leading zeros were loaded as
/// customers of their own (`00123` in the old exports, `123` in the new): how many, the first
/// pair, and the setting that reads them as one.
pub fn id_twins(rows: &[Row], vio: &mut Violations) {
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.customer_id.as_str()).collect();
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in ids {
        by_key
            .entry(without_zeros(id.to_string()))
            .or_default()
            .push(id);
    }
    let twins: Vec<&Vec<&str>> = by_key.values().filter(|v| v.len() > 1).collect();
    if let Some(first) = twins.first() {
        vio.push(
            "customer_id_twins",
            Severity::Warning,
            None,
            "",
            first[0],
            format!(
                "{} customer id(s) differ from another only in leading zeros (`{}` and `{}`): each is a customer of its own; if they are one, set `customer_id_leading_zeros: strip` in stages/etl.yaml",
                twins.len(),
                first[0],
                first[1]
            ),
        );
    }
}
