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

/// An id of `prefix` and digits without the prefix (`C-0001` is `0001` under `C-`); any other id
/// as it is.
pub fn without_prefix(id: String, prefix: &str) -> String {
    match id.strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => id,
    }
}

/// The letters (and a separator) before an id's digits: `C-` of `C-0001`, `CUST` of
/// `CUST0001`; `None` for an id of digits, or one with anything after its digits.
fn prefix_of(id: &str) -> Option<&str> {
    let at = id.find(|c: char| c.is_ascii_digit())?;
    let (head, digits) = id.split_at(at);
    (!head.is_empty()
        && head.len() <= 8
        && head
            .chars()
            .all(|c| c.is_ascii_alphabetic() || "-_/.# ".contains(c))
        && head.chars().any(|c| c.is_ascii_alphabetic())
        && digits.bytes().all(|b| b.is_ascii_digit()))
    .then_some(head)
}

/// A customer numbering that dropped a prefix (`C-0001` until a migration, `0001` after; the
/// holdout in the new form): the prefix, how many ids of it have a twin of bare digits (zeros
/// aside), and the first such pair. Found when the twins are many (five or more) and a good
/// share (three in ten) of the prefixed ids: ids of two regions (`US-0001`, `UK-0001`) have no
/// bare twins, and a few coincidences are no migration.
pub fn prefix_twins<'a>(
    ids: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<(String, u64, (String, String))> {
    let bare: BTreeMap<String, &str> = ids
        .clone()
        .into_iter()
        .filter_map(|id| unpadded(id).map(|k| (k.to_string(), id)))
        .collect();
    // By prefix: (ids, twins, the first pair).
    type Tally = (u64, u64, Option<(String, String)>);
    let mut by_prefix: BTreeMap<&str, Tally> = BTreeMap::new();
    for id in ids {
        let Some(head) = prefix_of(id) else {
            continue;
        };
        let e = by_prefix.entry(head).or_default();
        e.0 += 1;
        let digits = unpadded(&id[head.len()..]).unwrap_or_default();
        if let Some(twin) = bare.get(digits) {
            e.1 += 1;
            e.2.get_or_insert_with(|| (id.to_string(), twin.to_string()));
        }
    }
    by_prefix
        .into_iter()
        .filter(|(_, (n, twins, _))| *twins >= 5 && twins * 10 >= n * 3)
        .max_by_key(|(_, (_, twins, _))| *twins)
        .and_then(|(head, (_, twins, pair))| Some((head.to_string(), twins, pair?)))
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

/// One `customer_id_prefix_twins` warning when ids of a prefix have twins of bare digits
/// (`C-0001` and `0001`) and no `customer_id_prefix` reads them as one: each customer's history
/// is split in two at the change, and the old ids never buy again.
pub fn prefix_warning(rows: &[Row], vio: &mut Violations) {
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.customer_id.as_str()).collect();
    if let Some((prefix, n, (a, b))) = prefix_twins(ids.iter().copied()) {
        vio.push(
            "customer_id_prefix_twins",
            Severity::Warning,
            None,
            "",
            &a,
            format!(
                "{n} customer ids of the prefix `{prefix}` have a twin without it (`{a}` and `{b}`): each is a customer of its own, its history split where the ids changed; if they are one, set `customer_id_prefix: \"{prefix}\"` in stages/etl.yaml"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_dropped_in_a_migration_is_found_and_regions_are_not() {
        // `C-0001`..`C-0020` until the migration, `0001`..`0030` after; a few other codes.
        let mut ids: Vec<String> = (1..=20).map(|i| format!("C-{i:04}")).collect();
        ids.extend((1..=30).map(|i| format!("{i:04}")));
        ids.extend(["ACME".into(), "C-12X".into()]);
        let (prefix, n, pair) = prefix_twins(ids.iter().map(String::as_str)).unwrap();
        assert_eq!((prefix.as_str(), n), ("C-", 20));
        assert_eq!(pair, ("C-0001".into(), "0001".into()));
        // Twins of other zeros are twins too (`CUST0007` and `7`).
        let ids: Vec<String> = (1..=9)
            .map(|i| format!("CUST{i:04}"))
            .chain((1..=9).map(|i| i.to_string()))
            .collect();
        assert_eq!(
            prefix_twins(ids.iter().map(String::as_str)).map(|t| t.0),
            Some("CUST".into())
        );
        // Two regions' numbers are no migration: no id of bare digits.
        let ids: Vec<String> = (1..=20)
            .flat_map(|i| [format!("US-{i:04}"), format!("UK-{i:04}")])
            .collect();
        assert!(prefix_twins(ids.iter().map(String::as_str)).is_none());
        // Nor are a few coincidences among many prefixed ids.
        let ids: Vec<String> = (1..=100)
            .map(|i| format!("C-{i:04}"))
            .chain((1..=6).map(|i| format!("{i:04}")))
            .collect();
        assert!(prefix_twins(ids.iter().map(String::as_str)).is_none());
    }

    #[test]
    fn only_an_id_of_the_prefix_and_digits_loses_it() {
        let strip = |id: &str| without_prefix(id.to_string(), "C-");
        assert_eq!(strip("C-0001"), "0001");
        assert_eq!(strip("C-ACME"), "C-ACME");
        assert_eq!(strip("C-"), "C-");
        assert_eq!(strip("0001"), "0001");
        assert_eq!(strip("XC-0001"), "XC-0001");
    }
}
