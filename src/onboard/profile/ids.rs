//! Customer ids and product names that a person would call the same though they are written
//! differently: what `init` warns of, since the ETL keeps each as written.

use std::collections::BTreeMap;

/// An id with case and a number's leading zeros set aside: what a person would call the same.
pub(crate) fn id_key(id: &str) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        let t = id.trim_start_matches('0');
        return if t.is_empty() { "0".into() } else { t.into() };
    }
    id.to_lowercase()
}

/// Values that `key` makes equal though they are written differently: how many groups, and the
/// first pair (in `key` order). Customer ids under [`id_key`] (`C0001` and `c0001`; `00012` and
/// `12`, one export having kept them as text, one read them as numbers); product names under
/// their case. The ETL keeps both as written, so each is a customer or SKU of its own.
pub(crate) fn twins<'a>(
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
