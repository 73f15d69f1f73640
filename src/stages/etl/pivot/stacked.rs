//! A pivot table's header over more than one row. Excel's PivotTable, with its dates grouped by
//! years and months, writes each year once above its months and a total after them, under the
//! table's own title row:
//!
//! ```text
//! Sum of Revenue,,Column Labels
//! ,,2023,,,2023 Total,2024,,,2024 Total,Grand Total
//! Customer,Product Line,Jan,Feb,Mar,,Jan,Feb,Mar,,
//! ```
//!
//! Read as one header, each column named by its bottom cell and the year above it (`Jan 2023`,
//! `Qtr1` as `Q1 2023` where the years are grouped by quarters), a column blank at the bottom by
//! the nearest cell above it (`2023 Total`, `Grand Total`), so that the summary reader takes
//! the months as periods and the totals as figures it does not read. The title row above
//! (`Sum of Revenue`, `Column Labels`) names no year and adds nothing.

use super::parse;
use crate::stages::etl::layout::decode;

/// The rows a header may span, the bottom one included: a title, years, quarters and months.
pub(super) const MOST_ROWS: usize = 4;

/// The names of the columns of a header whose bottom row is the last of `rows`, each month or
/// quarter of it with the year written above it; `None` when fewer than `least` of its columns
/// are such a period (a log's header above its first rows is none).
pub(super) fn names(rows: &[csv::ByteRecord], least: usize) -> Option<Vec<String>> {
    let (bottom, above) = rows.split_last()?;
    let cells = |r: &csv::ByteRecord| -> Vec<String> {
        r.iter().map(|c| decode(c).0.trim().to_string()).collect()
    };
    let above: Vec<Vec<String>> = above.iter().map(cells).collect();
    let width = rows.iter().map(csv::ByteRecord::len).max().unwrap_or(0);
    let mut stacked = 0;
    let names = (0..width)
        .map(|i| {
            let own = bottom
                .get(i)
                .map(|c| decode(c).0.trim().to_string())
                .unwrap_or_default();
            if own.is_empty() {
                // A total column: named by the nearest cell written above it.
                return above
                    .iter()
                    .rev()
                    .filter_map(|r| r.get(i).filter(|c| !c.is_empty()))
                    .next()
                    .cloned()
                    .unwrap_or_default();
            }
            match year_over(&above, i).and_then(|y| period_in(&own, y)) {
                Some(name) => {
                    stacked += 1;
                    name
                }
                None => own,
            }
        })
        .collect();
    (stacked >= least.max(1)).then_some(names)
}

/// The year written over column `i`: the nearest cell at or left of it in a row above that is
/// a year, the lowest such row's (a year heads the columns up to the next cell of its row).
fn year_over(above: &[Vec<String>], i: usize) -> Option<i32> {
    above.iter().rev().find_map(|row| {
        let written = row.iter().take(i + 1).rev().find(|c| !c.is_empty())?;
        let y: i32 = written.parse().ok().filter(|_| written.len() == 4)?;
        (1900..=2100).contains(&y).then_some(y)
    })
}

/// A month or quarter name (`Jan`, `January`, `Qtr1`, `Q1`) with its year, as the summary
/// reader names periods (`Jan 2023`, `Q1 2023`); `None` for any other cell.
fn period_in(cell: &str, year: i32) -> Option<String> {
    let month = format!("{cell} {year}");
    if parse::month_only(&month).is_some() {
        return Some(month);
    }
    let lower = cell.to_ascii_lowercase();
    let n = ["quarter", "qtr", "q"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=4).contains(q))?;
    Some(format!("Q{n} {year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<csv::ByteRecord> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .byte_records()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn months_take_the_year_above_and_totals_their_own_name() {
        let r = rows(
            "Sum of Revenue,,Column Labels,,,,,\n\
             ,,2023,,2023 Total,2024,2024 Total,Grand Total\n\
             Customer,Line,Jan,Feb,,Jan,,\n",
        );
        assert_eq!(
            names(&r, 3).unwrap(),
            [
                "Customer",
                "Line",
                "Jan 2023",
                "Feb 2023",
                "2023 Total",
                "Jan 2024",
                "2024 Total",
                "Grand Total"
            ]
        );
    }

    #[test]
    fn quarters_between_years_and_months_or_at_the_bottom() {
        let r = rows(",2023,,\n,Qtr1,,Qtr2\nCustomer,Jan,Feb,Apr\n");
        assert_eq!(
            names(&r, 3).unwrap(),
            ["Customer", "Jan 2023", "Feb 2023", "Apr 2023"]
        );
        let r = rows(",2023,,,,2024\nCustomer,Qtr1,Qtr2,Qtr3,Qtr4,Qtr1\n");
        assert_eq!(
            names(&r, 3).unwrap(),
            ["Customer", "Q1 2023", "Q2 2023", "Q3 2023", "Q4 2023", "Q1 2024"]
        );
    }

    #[test]
    fn a_log_under_its_header_is_no_stacked_header() {
        // Months in a data row under a header of no year, or a year in a row of a log's values.
        assert!(names(&rows("Customer,Month,Amount\nAcme,Jan,2023\n"), 1).is_none());
        assert!(names(&rows("Customer,2023,Amount\nAcme,Jan,Feb\n"), 3).is_none());
    }
}
