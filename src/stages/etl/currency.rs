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
/// Without a currency column, the currencies the amounts' own signs and codes show (`$1,234.50`,
/// `€ 980,00`, `CHF 2'817.00`): a tester's log of four currencies, each amount with its symbol,
/// was summed with no word.
#[derive(Debug, Default)]
pub struct Tally {
    column: Option<usize>,
    /// The amount columns whose values are looked at when there is no currency column.
    money: Vec<usize>,
    seen: BTreeMap<String, (u64, u64)>,
}

impl Tally {
    pub fn new(lay: &Layout) -> Self {
        let column = column(&lay.header);
        let mut money: Vec<usize> = match &lay.long {
            // Revenue and its cost alike (a tester's revenue in `$` less costs in `€`).
            Some(l) => std::iter::once(l.gross_profit).chain(l.cost).collect(),
            None => lay.products.iter().filter_map(|p| p.0).collect(),
        };
        money.sort_unstable();
        money.dedup();
        if column.is_some() {
            money.clear();
        }
        Tally {
            column,
            money,
            seen: BTreeMap::new(),
        }
    }

    /// Counts the currency of the row at file line `line`.
    pub fn add(&mut self, rec: &csv::ByteRecord, line: u64) {
        for &c in &self.money {
            let Some(v) = rec.get(c) else { continue };
            // Most amounts are bare numbers: only one starting or ending otherwise is read.
            let plain =
                |b: Option<&u8>| b.is_none_or(|b| b.is_ascii_digit() || b".-+ ".contains(b));
            if plain(v.first()) && plain(v.last()) {
                continue;
            }
            if let Some(mark) = super::parse::currency_mark(&decode(v).0) {
                self.seen.entry(mark).or_insert((0, line)).0 += 1;
            }
        }
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
        if self.seen.len() < 2 {
            return;
        }
        let Some(col) = self.column else {
            return self.check_marks(lay, vio);
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
        let (second, line, listed) = self.ranked(" rows");
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

/// The currencies a sign or symbol may stand for (`¥`: the yen or the yuan); an ISO code, or a
/// mark not listed, stands for itself.
fn denotes(mark: &str) -> &[&str] {
    match mark {
        // A log that writes some amounts `C$` or `A$` writes its bare `$` for another dollar
        // (a tester's `$` beside `C$` passed as one currency): the bare sign is the US dollar.
        "$" | "US$" => &["USD"],
        "AU$" | "A$" => &["AUD"],
        "CA$" | "C$" => &["CAD"],
        "HK$" => &["HKD"],
        "NZ$" => &["NZD"],
        "SG$" | "S$" => &["SGD"],
        "MX$" => &["MXN"],
        "NT$" => &["TWD"],
        "R$" => &["BRL"],
        "€" => &["EUR"],
        "£" => &["GBP", "EGP"],
        "¥" => &["JPY", "CNY"],
        "JP¥" | "円" => &["JPY"],
        "CN¥" | "元" => &["CNY"],
        "₹" | "Rs" | "Rs." => &["INR", "PKR", "LKR"],
        "₩" | "원" => &["KRW"],
        "₽" | "руб" | "руб." => &["RUB"],
        "kr" | "kr." | "Kr" => &["SEK", "NOK", "DKK", "ISK"],
        "zł" => &["PLN"],
        "Kč" => &["CZK"],
        "Ft" => &["HUF"],
        "lei" => &["RON"],
        "Fr." => &["CHF"],
        "₺" | "TL" => &["TRY"],
        "Rp" | "Rp." => &["IDR"],
        "₱" => &["PHP"],
        "₫" => &["VND"],
        "₪" => &["ILS"],
        "₦" => &["NGN"],
        "฿" => &["THB"],
        "₴" => &["UAH"],
        "₸" => &["KZT"],
        "S/" => &["PEN"],
        _ => &[],
    }
}

impl Tally {
    /// The currencies seen, the most rows first: the second's name and first line (where the
    /// warning points), and the first five as `EUR 12{unit}`.
    fn ranked(&self, unit: &str) -> (&String, u64, Vec<String>) {
        let mut by_rows: Vec<(&String, &(u64, u64))> = self.seen.iter().collect();
        by_rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let (second, &(_, line)) = by_rows[1];
        let listed = by_rows
            .iter()
            .take(5)
            .map(|(c, (n, _))| format!("{c} {n}{unit}"))
            .collect();
        (second, line, listed)
    }

    /// [`Tally::check`] of a log with no currency column, whose amounts show theirs: a warning
    /// when no one currency is what every mark may stand for (`$` beside `USD` is one).
    fn check_marks(&self, lay: &Layout, vio: &mut Violations) {
        let sets: Vec<Vec<&str>> = self
            .seen
            .keys()
            .map(|m| match denotes(m) {
                [] => vec![m.as_str()],
                codes => codes.to_vec(),
            })
            .collect();
        if sets[0]
            .iter()
            .any(|c| sets[1..].iter().all(|s| s.contains(c)))
        {
            return;
        }
        let (second, line, listed) = self.ranked("");
        let (column, what) = match &lay.long {
            Some(l) => (
                lay.header[l.gross_profit].clone(),
                format!("`{}` writes", lay.header[l.gross_profit]),
            ),
            None => (String::new(), "the GP columns write".to_string()),
        };
        vio.push(
            "mixed_currency",
            Severity::Warning,
            Some(line),
            &column,
            second,
            format!(
                "{what} amounts in more than one currency, by their signs ({}{} amounts): GP is summed as written, so the amounts of different currencies are added; convert them to one first",
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
