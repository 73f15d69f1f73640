//! Columns init found by no name, told by their values and named in a note rather than taken
//! (a guess by values alone is the user's to confirm):
//! - a long log whose products no header names is read with each division as its only product:
//!   the log loads, but every SKU-level feature is empty (a trial's `Part Code`, 412 codes);
//! - a log whose customer id no header names is keyed by its customers' names, and accounts
//!   that share a name merge (a trial's `Payer`: 400 accounts loaded as 300 customers).

use std::collections::{HashMap, HashSet};

use super::names::norm;
use crate::stages::etl::parse::{self, DateOrder};

/// The column whose values look like the products of a log read with `division` as its
/// product, and how many values it has in the sample: text or barcodes (not amounts, not
/// dates), at least twice the division's values and at least three, repeating (half as many
/// values as rows at most: no row's own id), and each value's rows (19 in 20 in all) under one
/// division value, as a product's are (a customer's name spans divisions). The one with the
/// most values wins.
pub(super) fn finer_than_division(
    header: &[String],
    rows: &[Vec<String>],
    taken: &[usize],
    division: usize,
    decimal_comma: bool,
) -> Option<(usize, usize)> {
    let divisions = distinct(rows, division);
    candidates(header, rows, taken, division)
        .filter_map(|(c, pairs)| {
            let n = pairs.len();
            let looks = |ok: &dyn Fn(&str) -> bool| pairs.iter().filter(|(v, _)| ok(v)).count();
            // Barcodes (UPC, EAN: 8 to 14 digits) are numbers that are codes, not amounts.
            let barcodes = looks(&|v| v.len() >= 6 && v.bytes().all(|b| b.is_ascii_digit())) == n;
            if !barcodes && looks(&|v| parse::currency(v, decimal_comma).is_some()) * 10 >= n * 9
                || looks(&is_date) * 2 >= n
            {
                return None;
            }
            let (values, nested) = nesting(&pairs);
            (values >= 3 && values >= 2 * divisions && 2 * values <= n && nested * 20 >= n * 19)
                .then_some((c, values))
        })
        .fold(
            None,
            |best: Option<(usize, usize)>, (c, values)| match best {
                Some((_, most)) if most >= values => best,
                _ => Some((c, values)),
            },
        )
}

/// The column that looks like the customer id of a log keyed by its customers' names (column
/// `name`): no dates, no amounts (whole numbers may be ids), each value's rows (49 in 50 in
/// all) under one name, and at least as many values as names but at most twice as many (an
/// invoice number is one customer's too, but there are far more). Its index, its values and
/// the names, in the sample.
pub(super) fn id_beside_names(
    header: &[String],
    rows: &[Vec<String>],
    taken: &[usize],
    name: usize,
    decimal_comma: bool,
) -> Option<(usize, usize, usize)> {
    let names = distinct(rows, name);
    candidates(header, rows, taken, name)
        // A ship-to is a delivery address, never the customer (a tester's init pointed at
        // `Ship-To Account` beside its sold-to).
        .filter(|(c, _)| {
            let h = norm(&header[*c]);
            !(h.contains("shipto") || h.contains("deliver"))
        })
        .filter_map(|(c, pairs)| {
            let n = pairs.len();
            let looks = |ok: &dyn Fn(&str) -> bool| pairs.iter().filter(|(v, _)| ok(v)).count();
            let amounts = looks(&|v| {
                !v.bytes().all(|b| b.is_ascii_digit())
                    && parse::currency(v, decimal_comma).is_some()
            });
            if amounts * 10 >= n || looks(&is_date) * 2 >= n {
                return None;
            }
            let (values, single) = nesting(&pairs);
            (values >= 2 && values >= names && values <= 2 * names && single * 50 >= n * 49)
                .then_some((c, values, names))
        })
        .fold(
            None,
            |best: Option<(usize, usize, usize)>, hit| match best {
                Some((_, most, _)) if most >= hit.1 => best,
                _ => Some(hit),
            },
        )
}

fn cell(r: &[String], i: usize) -> &str {
    r.get(i).map_or("", |v| v.trim())
}

/// How many distinct filled values column `i` has in the sample.
pub(super) fn distinct(rows: &[Vec<String>], i: usize) -> usize {
    rows.iter()
        .map(|r| cell(r, i))
        .filter(|v| !v.is_empty())
        .collect::<HashSet<_>>()
        .len()
}

/// Each free column with its values beside column `key`'s, where the two are filled on 20 rows
/// or more and on 19 sampled rows in 20.
fn candidates<'a>(
    header: &'a [String],
    rows: &'a [Vec<String>],
    taken: &'a [usize],
    key: usize,
) -> impl Iterator<Item = (usize, Vec<(&'a str, &'a str)>)> + 'a {
    header
        .iter()
        .enumerate()
        .filter(move |(c, h)| *c != key && !taken.contains(c) && !h.trim().is_empty())
        .filter_map(move |(c, _)| {
            let pairs: Vec<(&str, &str)> = rows
                .iter()
                .map(|r| (cell(r, c), cell(r, key)))
                .filter(|(v, k)| !v.is_empty() && !k.is_empty())
                .collect();
            let n = pairs.len();
            (n >= 20 && n as f64 >= 0.95 * rows.len() as f64).then_some((c, pairs))
        })
}

/// How many distinct values, and how many rows sit under their value's most common key.
fn nesting(pairs: &[(&str, &str)]) -> (usize, usize) {
    let mut by_value: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (v, k) in pairs {
        *by_value.entry(v).or_default().entry(k).or_default() += 1;
    }
    let nested = by_value
        .values()
        .map(|ks| ks.values().copied().max().unwrap_or(0))
        .sum();
    (by_value.len(), nested)
}

fn is_date(v: &str) -> bool {
    parse::date_in(v, DateOrder::Mdy).is_some() || parse::date_in(v, DateOrder::Dmy).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[[&str; 4]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_code_column_nested_in_the_divisions_is_named_and_a_name_spanning_them_is_not() {
        let header: Vec<String> = ["Acct", "Unit", "Part Code", "Who"]
            .map(String::from)
            .to_vec();
        let mut rows = Vec::new();
        for i in 0..60 {
            let unit = if i % 2 == 0 { "CAD" } else { "Print" };
            // Six codes, three per unit; a buyer's name on both units.
            let code = format!("{}-{}", &unit[..1], i % 6);
            rows.push([
                format!("C{}", i % 10),
                unit.to_string(),
                code,
                format!("Buyer {}", i % 7),
            ]);
        }
        let rows: Vec<[&str; 4]> = rows
            .iter()
            .map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()])
            .collect();
        let rows = table(&rows);
        assert_eq!(
            finer_than_division(&header, &rows, &[0], 1, false),
            Some((2, 6))
        );
        // Numbers and dates are no product codes.
        let mut numeric = rows.clone();
        numeric
            .iter_mut()
            .for_each(|r| r[2] = format!("{}{}.5", r[1].len(), &r[2][2..]));
        let mut dated = rows.clone();
        dated
            .iter_mut()
            .enumerate()
            .for_each(|(i, r)| r[2] = format!("2024-01-{:02}", 1 + i % 6));
        for t in [numeric, dated] {
            assert_eq!(finer_than_division(&header, &t, &[0], 1, false), None);
        }
    }

    #[test]
    fn an_account_column_finer_than_the_names_is_named_and_an_invoice_number_is_not() {
        let header: Vec<String> = ["Name", "Payer", "Invoice", "Unit"]
            .map(String::from)
            .to_vec();
        // 40 accounts, two sharing each of 20 names; 200 invoices.
        let rows: Vec<Vec<String>> = (0..400)
            .map(|i| {
                let account = i % 40;
                vec![
                    format!("Buyer {}", account % 20),
                    format!("AC{account:05}"),
                    format!("INV{}", i / 2),
                    ["CAD", "Print"][i % 2].to_string(),
                ]
            })
            .collect();
        assert_eq!(
            id_beside_names(&header, &rows, &[3], 0, false),
            Some((1, 40, 20))
        );
    }
}
