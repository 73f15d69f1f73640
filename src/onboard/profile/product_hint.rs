//! A long log whose products init found by no name is read with each division as its only
//! product: the log loads, but every SKU-level feature is empty. A trial's `Part Code` (412
//! codes) was left unread so, with no word. Such a column is told by its values, not its name,
//! and named in a note rather than taken: a guess by values alone is the user's to confirm.

use std::collections::{HashMap, HashSet};

use crate::stages::etl::parse::{self, DateOrder};

/// The column whose values look like the products of a log read with `division` as its
/// product, and how many values it has in the sample: text (not numbers, not dates), filled on
/// 19 rows in 20, at least twice the division's values and at least three, repeating (half as
/// many values as rows at most: no row's own id), and each value's rows (19 in 20 in all)
/// under one division value, as a product's are (a customer's name spans divisions). The one
/// with the most values wins.
pub(super) fn finer_than_division(
    header: &[String],
    rows: &[Vec<String>],
    taken: &[usize],
    division: usize,
    decimal_comma: bool,
) -> Option<(usize, usize)> {
    fn cell(r: &[String], i: usize) -> &str {
        r.get(i).map_or("", |v| v.trim())
    }
    let divisions: HashSet<&str> = rows
        .iter()
        .map(|r| cell(r, division))
        .filter(|v| !v.is_empty())
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for (c, h) in header.iter().enumerate() {
        if c == division || taken.contains(&c) || h.trim().is_empty() {
            continue;
        }
        let pairs: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (cell(r, c), cell(r, division)))
            .filter(|(v, d)| !v.is_empty() && !d.is_empty())
            .collect();
        let n = pairs.len();
        if n < 20 || (n as f64) < 0.95 * rows.len() as f64 {
            continue;
        }
        let looks = |ok: &dyn Fn(&str) -> bool| pairs.iter().filter(|(v, _)| ok(v)).count();
        if looks(&|v| parse::currency(v, decimal_comma).is_some()) * 10 >= n * 9
            || looks(&|v| {
                parse::date_in(v, DateOrder::Mdy).is_some()
                    || parse::date_in(v, DateOrder::Dmy).is_some()
            }) * 2
                >= n
        {
            continue;
        }
        let mut by_value: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for (v, d) in &pairs {
            *by_value.entry(v).or_default().entry(d).or_default() += 1;
        }
        let values = by_value.len();
        if values < 3 || values < 2 * divisions.len() || 2 * values > n {
            continue;
        }
        let nested: usize = by_value
            .values()
            .map(|ds| ds.values().copied().max().unwrap_or(0))
            .sum();
        if nested * 20 >= n * 19 && best.is_none_or(|(_, most)| values > most) {
            best = Some((c, values));
        }
    }
    best
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
}
