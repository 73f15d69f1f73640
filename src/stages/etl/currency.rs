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

/// The log's currency column, if it has one: one of [`HEADERS`], else one named as a currency
/// of something (SAP's `Transaction Currency`, Zuora's `Account: Currency`, Dynamics GP's
/// `Currency ID`, a JSON order's `totalPrice.currencyCode`).
pub fn column(header: &[String]) -> Option<usize> {
    let keys: Vec<String> = header.iter().map(|h| super::parts::column_key(h)).collect();
    keys.iter()
        .position(|k| HEADERS.contains(&k.as_str()))
        .or_else(|| {
            // Not an amount named for its currency (`Gross Profit in Company Currency`).
            let money = |k: &str| {
                [
                    "amount", "profit", "gp", "value", "price", "cost", "revenue", "total", "net",
                    "sales", "margin",
                ]
                .iter()
                .any(|w| k.contains(w))
            };
            keys.iter().position(|k| {
                ["currency", "currencycode", "currencyid"]
                    .iter()
                    .any(|s| k.ends_with(s))
                    && !money(k)
            })
        })
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
        // A long log's value column converted to one currency (`GP USD`) adds up whatever the
        // currency column says of each row's own.
        if lay
            .long
            .as_ref()
            .is_some_and(|l| money_name(&lay.header[l.gross_profit]).1 == 0)
        {
            return;
        }
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

/// Tags a money column's header may carry beside its name: a currency it was converted to
/// (`GP USD`, `Amount (EUR)`, `GP (Reporting)`), or the one it was written in (`GP (Local)`).
const CONVERTED: &[&str] = &[
    // SAP's wording: `Gross Profit in Company Currency`, `Amount in Group Currency`.
    "incompanycurrency",
    "incompanycodecurrency",
    "ingroupcurrency",
    "inreportingcurrency",
    "inbasecurrency",
    "usd",
    "eur",
    "gbp",
    "jpy",
    "cad",
    "aud",
    "chf",
    "cny",
    "inr",
    "sek",
    "nok",
    "dkk",
    "mxn",
    "brl",
    "zar",
    "sgd",
    "hkd",
    "nzd",
    "pln",
    "czk",
    "huf",
    "krw",
    "base",
    "reporting",
    "group",
    "functional",
];
const LOCAL: &[&str] = &[
    "indocumentcurrency",
    "intransactioncurrency",
    "inlocalcurrency",
    "local",
    "lc",
    "lcy",
    "transaction",
    "doc",
    "document",
    "fc",
    "foreign",
];

/// A money column's name without its currency tag, and the tag's rank: 0 converted (one
/// currency for the whole log), 1 none, 2 local (each row's own currency).
pub fn money_name(h: &str) -> (String, u8) {
    let n = super::parts::column_key(h);
    for (tags, rank) in [(CONVERTED, 0), (LOCAL, 2)] {
        for t in tags {
            if let Some(base) = n.strip_suffix(t).or_else(|| n.strip_prefix(t)) {
                if !base.is_empty() {
                    return (base.to_string(), rank);
                }
            }
        }
    }
    (n, 1)
}
