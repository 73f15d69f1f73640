//! A log whose currency column holds more than one currency: GP is summed as written, so euros
//! are added to dollars. `init` says so once; this says so on every build of the star, in QA and
//! on the console (`mixed_currency`), so the warning does not scroll away with init's output.

use std::collections::BTreeMap;

use super::contracts::{Severity, Violations};
use super::ingest::file_line;
use super::layout::{decode, Layout};

/// Headers that name a row's currency, with case, spaces and punctuation set aside.
pub const HEADERS: &[&str] = &[
    "currency",
    "currencycode",
    "curr",
    "ccy",
    "cur",
    "waehrung",
    "währung",
    "devise",
    "moneda",
    "valuta",
];

/// A header as [`HEADERS`] holds it.
pub fn key(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The log's currency column, if it has one.
pub fn column(header: &[String]) -> Option<usize> {
    header
        .iter()
        .position(|h| HEADERS.contains(&key(h).as_str()))
}

/// One `mixed_currency` warning when the currency column holds more than one value: the rows of
/// each (the most first), at the first row of the second.
pub fn check(bytes: &[u8], lay: &Layout, vio: &mut Violations) {
    let Some(col) = column(&lay.header) else {
        return;
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(lay.delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    // Per currency: rows, and the file line of the first.
    let mut seen: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut rec = csv::ByteRecord::new();
    while let Ok(true) = rdr.read_byte_record(&mut rec) {
        let Some(v) = rec.get(col) else { continue };
        let v = decode(v).0.trim().to_uppercase();
        if v.is_empty() {
            continue;
        }
        let line = rec.position().map(|p| file_line(bytes, p)).unwrap_or(0);
        seen.entry(v).or_insert((0, line)).0 += 1;
    }
    if seen.len() < 2 {
        return;
    }
    let mut by_rows: Vec<(&String, &(u64, u64))> = seen.iter().collect();
    by_rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let (second, &(_, line)) = by_rows[1];
    let listed: Vec<String> = by_rows
        .iter()
        .take(5)
        .map(|(c, (n, _))| format!("{c} {n} rows"))
        .collect();
    vio.push(
        "mixed_currency",
        Severity::Warning,
        Some(line),
        &lay.header[col],
        second,
        format!(
            "`{}` holds {} currencies ({}{}): GP is summed as written, so the amounts of different currencies are added; convert them to one first",
            lay.header[col],
            seen.len(),
            listed.join(", "),
            if seen.len() > 5 { ", ..." } else { "" }
        ),
    );
}
