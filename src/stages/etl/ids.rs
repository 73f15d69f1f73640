//! Customer ids written with and without leading zeros (`00123` in the exports before a
//! migration, `123` after): read as one customer with `customer_id_leading_zeros: strip`, and
//! warned of when they are kept apart.

use std::collections::BTreeMap;

use super::contracts::{Severity, Violations};
use super::ingest::Row;

/// A code of digits without its leading zeros (`0` for `000`); `None` for any other value.
/// Customer ids and a long log's item codes alike lose them in a spreadsheet.
pub fn unpadded(v: &str) -> Option<&str> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = v.trim_start_matches('0');
    Some(if t.is_empty() { "0" } else { t })
}

/// An id of digits without its leading zeros; any other id as it is.
pub fn without_zeros(id: String) -> String {
    match unpadded(&id) {
        Some(t) if t.len() < id.len() => t.to_string(),
        _ => id,
    }
}

/// A customer named rather than numbered, by its words: lower case, every run of characters
/// other than letters and digits one space, none at the ends (`ACME  Corp.` is `acme corp`).
pub fn words(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for w in id
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Values that `key` makes equal though they are written differently: how many groups, and the
/// first pair (in `key` order). Customer ids without their zeros (here and in `init`, which
/// also sets case aside), product names under their case (`init`).
pub fn twins<'a>(
    values: impl IntoIterator<Item = &'a str>,
    key: impl Fn(&str) -> String,
) -> (u64, Option<(String, String)>) {
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for v in values {
        let same = by_key.entry(key(v)).or_default();
        if !same.contains(&v) {
            same.push(v);
        }
    }
    let groups: Vec<&Vec<&str>> = by_key.values().filter(|v| v.len() > 1).collect();
    (
        groups.len() as u64,
        groups.first().map(|v| (v[0].to_string(), v[1].to_string())),
    )
}

/// One `customer_id_twins` warning when ids that differ only in leading zeros were loaded as
/// customers of their own (`00123` in the old exports, `123` in the new): how many, the first
/// pair, and the setting that reads them as one.
pub fn id_twins(rows: &[Row], vio: &mut Violations) {
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.customer_id.as_str()).collect();
    if let (n, Some((a, b))) = twins(ids, |id| without_zeros(id.to_string())) {
        vio.push(
            "customer_id_twins",
            Severity::Warning,
            None,
            "",
            &a,
            format!(
                "{n} customer id(s) differ from another only in leading zeros (`{a}` and `{b}`): each is a customer of its own; if they are one, set `customer_id_leading_zeros: strip` in stages/etl.yaml"
            ),
        );
    }
}

/// Under `customer_id_spelling: words`, one `customer_id_spellings` warning per customer whose
/// id was written more than one way, naming the spellings merged (`ACME Corp.`, `Acme Corp`:
/// customer `acme corp`), so that a merge can be checked; returns how many such customers.
/// Words merge what differs only in case, spacing and punctuation: `J & J Services` and `J J
/// Services` are one, `A.B. Corp` and `AB Corp` two.
pub fn spellings(rows: &[Row], vio: &mut Violations) -> u64 {
    let mut by_key: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        by_key
            .entry(r.customer_id.as_str())
            .or_default()
            .insert(r.written_id.as_deref().unwrap_or(&r.customer_id));
    }
    let mut merged = 0;
    for (key, written) in by_key.iter().filter(|(_, w)| w.len() > 1) {
        merged += 1;
        let named: Vec<String> = written.iter().map(|w| format!("`{w}`")).collect();
        vio.push(
            "customer_id_spellings",
            Severity::Warning,
            None,
            "",
            key,
            format!("{} read as one customer, `{key}`", named.join(", ")),
        );
    }
    merged
}
