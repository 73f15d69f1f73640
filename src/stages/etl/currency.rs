//! A log whose currency column holds more than one currency: GP is summed as written, so euros
//! are added to dollars. `init` says so once; this says so on every build of the star, in QA and
//! on the console (`mixed_currency`), so the warning does not scroll away with init's output.

use std::collections::BTreeMap;

use super::contracts::{Severity, Violations};
use super::layout::{decode, Layout};

/// Headers that name a row's currency, with case, spaces and punctuation set aside.
const HEADERS: &[&str] = &[
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

/// The log's currency column, if it has one.
pub fn column(header: &[String]) -> Option<usize> {
    header
        .iter()
        .position(|h| HEADERS.contains(&super::parts::column_key(h).as_str()))
}

/// Rows per currency (and the file line of the first), counted as the ETL reads the rows: no
/// second pass over the log.
#[derive(Debug, Default)]
pub struct Tally {
    column: Option<usize>,
    seen: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    pub fn new(header: &[String]) -> Self {
        Tally {
            column: column(header),
            seen: BTreeMap::new(),
        }
    }

    /// Counts the currency of the row at file line `line`.
    pub fn add(&mut self, rec: &csv::ByteRecord, line: u64) {
        let Some(v) = self.column.and_then(|c| rec.get(c)) else {
            return;
        };
        let v = decode(v).0.trim().to_uppercase();
        if !v.is_empty() {
            self.seen.entry(v).or_insert((0, line)).0 += 1;
        }
    }

    /// One `mixed_currency` warning when the currency column holds more than one value: the
    /// rows of each (the most first), at the first row of the second.
    pub fn check(&self, lay: &Layout, vio: &mut Violations) {
        let (Some(col), true) = (self.column, self.seen.len() > 1) else {
            return;
        };
        let mut by_rows: Vec<(&String, &(u64, u64))> = self.seen.iter().collect();
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
                self.seen.len(),
                listed.join(", "),
                if self.seen.len() > 5 { ", ..." } else { "" }
            ),
        );
    }
}
