//! A summary with a column per month: what a BI tool or a spreadsheet's pivot table exports when
//! asked for "sales by customer and product line, by month",
//!
//! ```text
//! Customer ID,Customer,Product Line,Jan 2023,Feb 2023,Mar 2023,Total
//! 1001,Acme Tooling,CAD,"1,200.00",,300.00,"1,500.00"
//! ,,CAM,,450.00,,450.00
//! Grand Total,,,"1,200.00",450.00,300.00,"1,950.00"
//! ```
//!
//! Its days are in its header, and no row is a sale. Here it is read as the long table a user
//! would make of it with Power Query's "Unpivot Columns": one line per row and month whose cell
//! holds a non-zero value, the row's other columns as they are, a `Month` (`2023-01`, which the
//! ETL dates on the month's last day, as any monthly log) and an `Amount` holding the cell as
//! written (`1,200.00`; the ETL parses it as it parses any amount). A total column, and total
//! and subtotal rows (`Grand Total`, `Acme Tooling Total`), are no sales and are not read; a
//! label a pivot table writes once for the rows under it (`Acme Tooling` above its `CAM` row) is
//! read on each of them. Each line keeps the number of the file line it came from, so a
//! violation names the line to open.

use chrono::{Datelike, NaiveDate};

use super::ingest::file_line;
use super::layout::decode;
use super::parse;

mod stacked;

/// A summary read as one line per row and month.
#[derive(Debug)]
pub struct Unpivoted {
    /// The long table's CSV text, in the summary's delimiter (its numbers keep their decimal
    /// separator).
    pub bytes: Vec<u8>,
    /// The file line each line of `bytes` came from (index 0 is line 1, the header).
    pub origins: Vec<u64>,
    /// The month columns' headers, first and last, and how many.
    pub first: String,
    pub last: String,
    pub months: usize,
    pub period: Period,
    /// Days columns a step apart: the step (each dated the last day of the span it starts).
    pub span: Option<i64>,
    /// Rows read, and lines written.
    pub rows: usize,
    pub lines: usize,
    /// The file line of the header.
    pub header_line: u64,
    /// Total columns not read.
    pub totals: Vec<String>,
    /// The labels' names (the columns before the periods), as the header writes them.
    pub labels: Vec<String>,
}

/// The period a summary's columns are of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Period {
    Month,
    Quarter,
    Day,
}

impl Period {
    /// The long table's column of it.
    fn column(self) -> &'static str {
        match self {
            Period::Month => "Month",
            Period::Quarter => "Quarter",
            Period::Day => "Date",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Day => "date",
        }
    }

    /// A period's cell of the long table: a month or a quarter as its (last) month, `2023-03`,
    /// which the ETL dates on that month's last day; a day as itself.
    fn cell(self, d: NaiveDate) -> String {
        match self {
            Period::Month | Period::Quarter => d.format("%Y-%m").to_string(),
            Period::Day => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// The period a header names, and its last day: a month (`Jan 2023`, `January 2023`, `Jan-23`,
/// `2023-01`, `01/2023`), a quarter (`Q1 2023`, `2023-Q1`, `Q1-23`), or a day (`2023-01-02`,
/// a workbook's date header; a month's first or last day may stand for the month), read
/// `order`'s way round when it could be either (`02/07/2022`).
fn period_of(header: &str, order: parse::DateOrder) -> Option<(Period, NaiveDate)> {
    let t = header.trim();
    if let Some(m) = parse::month_only(t) {
        return Some((Period::Month, m));
    }
    if let Some(q) = quarter(t) {
        return Some((Period::Quarter, q));
    }
    // A bare number (`40010`, an item number; `20230105`) is no header's day.
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse::date_in(t, order)
        .or_else(|| parse::date_in(t, order.other()))
        .map(|d| (Period::Day, d))
}

/// Which way round the header's days are: the way every one reads, the one some read only
/// (`01/17/2022`: month first); `None` when the days read either way and differ
/// (`01/02/2023,01/03/2023`), or some read only one way and others only the other.
fn day_order(names: &[String]) -> Option<parse::DateOrder> {
    use parse::DateOrder::{Dmy, Mdy};
    let (mut only_mdy, mut only_dmy, mut either) = (false, false, false);
    for n in names {
        let t = n.trim();
        if t.bytes().all(|b| b.is_ascii_digit()) || parse::month_only(t).is_some() {
            continue;
        }
        match (parse::date_in(t, Mdy), parse::date_in(t, Dmy)) {
            (Some(_), None) => only_mdy = true,
            (None, Some(_)) => only_dmy = true,
            (Some(a), Some(b)) if a != b => either = true,
            _ => {}
        }
    }
    match (only_mdy, only_dmy) {
        (true, false) => Some(Mdy),
        (false, true) => Some(Dmy),
        (false, false) if !either => Some(Mdy),
        _ => None,
    }
}

/// A quarter's last day: `Q1 2023`, `Q1-2023`, `2023 Q1`, `2023-Q1`, `Q1/23`.
fn quarter(t: &str) -> Option<NaiveDate> {
    let mut parts = t.split(['-', '/', ' ', '.']).filter(|p| !p.is_empty());
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let q = |s: &str| {
        let s = s.strip_prefix(['Q', 'q'])?;
        s.parse::<u32>().ok().filter(|q| (1..=4).contains(q))
    };
    let y = |s: &str| {
        let y: i32 = s.parse().ok().filter(|_| s.len() == 4 || s.len() == 2)?;
        Some(if s.len() == 2 { 2000 + y } else { y })
    };
    let (q, y) = match (q(a), q(b)) {
        (Some(q), None) => (q, y(b)?),
        (None, Some(q)) => (q, y(a)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, q * 3, 1).map(parse::month_end)
}

/// A summary's period, its columns (each with the last day it covers), and the days between
/// day columns a step apart.
struct Periods {
    period: Period,
    columns: Vec<(usize, NaiveDate)>,
    span: Option<i64>,
}

/// The summary's period columns, when every one is of one period: months (a day on a month's
/// first or last standing for it when all are), quarters, or days.
fn periods(names: &[String]) -> Option<Periods> {
    let order = day_order(names)?;
    let found: Vec<(usize, Period, NaiveDate)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| period_of(n, order).map(|(p, d)| (i, p, d)))
        .collect();
    let all = |p: Period| found.iter().all(|f| f.1 == p);
    let on_month_ends = found
        .iter()
        .all(|f| f.1 != Period::Quarter && (f.2.day() == 1 || f.2 == parse::month_end(f.2)));
    let period = if on_month_ends {
        Period::Month
    } else if all(Period::Quarter) {
        Period::Quarter
    } else if all(Period::Day) {
        Period::Day
    } else {
        return None;
    };
    let mut columns: Vec<(usize, NaiveDate)> = found
        .iter()
        .map(|&(i, p, d)| match (period, p) {
            (Period::Month, Period::Day) => (i, parse::month_end(d)),
            _ => (i, d),
        })
        .collect();
    // Days a week (or any step) apart head the spans they start: each is dated the span's last
    // day, as a month is its last, so that no cutoff inside a span sees its later sales.
    if period == Period::Day && columns.len() >= 2 {
        let steps: Vec<i64> = columns
            .windows(2)
            .map(|w| (w[1].1 - w[0].1).num_days())
            .collect();
        let step = steps[0];
        if step >= 2 && steps.iter().all(|&s| s == step) {
            for c in &mut columns {
                c.1 += chrono::Duration::days(step - 1);
            }
            return Some(Periods {
                period,
                columns,
                span: Some(step),
            });
        }
    }
    Some(Periods {
        period,
        columns,
        span: None,
    })
}

/// A column of totals beside the months (`Total`, `Grand Total`, `YTD`, `Total 2023`).
fn is_total_column(header: &str) -> bool {
    super::totals::is_total_label(header) || header.trim().eq_ignore_ascii_case("ytd")
}

/// A row of totals: a label `Total`, `Grand Total`, `Total for X`, or a pivot table's subtotal
/// `X Total` with nothing in the labels after it.
fn is_total_row(labels: &[&str]) -> bool {
    labels.iter().enumerate().any(|(i, l)| {
        let l = l.trim().to_lowercase();
        l == "total"
            || l == "grand total"
            || l.starts_with("total for ")
            || (l.ends_with(" total") && labels[i + 1..].iter().all(|r| r.trim().is_empty()))
    })
}

/// `bytes` (a table's CSV text, its title lines emptied) as one line per row and period when
/// its header has `min` period columns or more (three make a summary; a year's first months
/// beside other summaries may be fewer) and no column named for a date; `None` for any other
/// text.
pub fn unpivot(bytes: &[u8], delimiter: u8, min: usize) -> Option<Unpivoted> {
    let mut rdr = super::parts::reader(bytes, delimiter);
    let mut rec = csv::ByteRecord::new();
    // The first rows that are not blank: the header, or a pivot table's header over several
    // rows ([`stacked`]) and the rows under it.
    let mut first_rows = Vec::new();
    while first_rows.len() < stacked::MOST_ROWS {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) if rec.iter().all(|f| f.trim_ascii().is_empty()) => {}
            Ok(true) => first_rows.push(rec.clone()),
            Ok(false) => break,
            Err(_) => return None,
        }
    }
    // A header with a column named for a date is a log's; a pivot's title row may name the
    // date field its years and months group (`Years`, `Order Date`).
    let header_cells = Some(super::parts::header_cells(first_rows.first()?))
        .filter(|names| !names.iter().any(|n| n.to_lowercase().contains("date")));
    let (bottom, names, found) = std::iter::once((0, header_cells))
        .chain((1..first_rows.len()).map(|k| (k, stacked::names(&first_rows[..=k], min))))
        .find_map(|(k, names)| {
            let names = names?;
            let found = periods(&names).filter(|p| p.columns.len() >= min.max(1))?;
            Some((k, names, found))
        })?;
    let header = first_rows[bottom].clone();
    // The rows under the header read before it was known, read first.
    let mut under = first_rows.split_off(bottom + 1).into_iter();
    let Periods {
        period,
        columns: months,
        span,
    } = found;
    let mut distinct: Vec<NaiveDate> = months.iter().map(|m| m.1).collect();
    distinct.sort();
    distinct.dedup();
    if months.len() < min.max(1) || distinct.len() != months.len() {
        return None;
    }
    let is_month = |i: usize| months.iter().any(|m| m.0 == i);
    // The rows' labels are the columns before the first period; any other column (a `Total`,
    // `FY 2023`, `Budget`) is a figure of the row, not read.
    let first = months.iter().map(|m| m.0).min().unwrap_or(0);
    let labels: Vec<usize> = (0..first)
        .filter(|&i| !is_total_column(&names[i]))
        .collect();
    let totals: Vec<usize> = (0..names.len())
        .filter(|&i| !is_month(i) && !labels.contains(&i) && !names[i].is_empty())
        .collect();
    if labels.is_empty() {
        return None;
    }
    let decimal_comma = delimiter == b';';
    // The long table's own columns, named apart from the summary's.
    let free = |base: &str| {
        let mut name = base.to_string();
        while names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            name.push_str(" (summary)");
        }
        name
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut out = csv::ByteRecord::new();
    for &i in &labels {
        // A stacked header's label is its bottom cell (`Customer`) or the cell above it.
        match header.get(i).filter(|c| !c.trim_ascii().is_empty()) {
            Some(cell) => out.push_field(cell),
            None => out.push_field(names[i].as_bytes()),
        }
    }
    out.push_field(free(period.column()).as_bytes());
    out.push_field(free("Amount").as_bytes());
    w.write_byte_record(&out).ok()?;
    // The reader dates a record from the blank lines above it; its own line is after them.
    let at = |r: &csv::ByteRecord| r.position().map_or(0, |p| file_line(bytes, p));
    let header_line = at(&header);
    // A header cell holding a line break is written quoted over more than one line.
    let breaks = out.iter().flatten().filter(|&&b| b == b'\n').count();
    let mut origins = vec![header_line; 1 + breaks];
    let mut previous: Vec<Vec<u8>> = vec![Vec::new(); labels.len()];
    let (mut rows, mut lines) = (0, 0);
    loop {
        if let Some(r) = under.next() {
            rec = r;
        } else {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                // The contracts report a broken row of the file as read; a summary of one is
                // not guessed at.
                Err(_) => return None,
            }
        }
        if rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let line = at(&rec);
        let mut cells: Vec<Vec<u8>> = labels
            .iter()
            .map(|&i| rec.get(i).unwrap_or_default().to_vec())
            .collect();
        // A label written once for the rows under it: blank here, with a label after it.
        for k in 0..cells.len() {
            let blank = cells[k].trim_ascii().is_empty();
            if blank && cells[k + 1..].iter().any(|c| !c.trim_ascii().is_empty()) {
                cells[k].clone_from(&previous[k]);
            }
        }
        let texts: Vec<String> = cells.iter().map(|c| decode(c).0.into_owned()).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        if is_total_row(&texts) {
            continue;
        }
        rows += 1;
        for &(i, month) in &months {
            let cell = rec.get(i).unwrap_or_default();
            if parse::currency(&decode(cell).0, decimal_comma) == Some(0.0) {
                continue;
            }
            out.clear();
            for c in &cells {
                out.push_field(c);
            }
            out.push_field(period.cell(month).as_bytes());
            out.push_field(cell);
            w.write_byte_record(&out).ok()?;
            // A label holding a line break is written quoted over more than one line.
            let breaks = out.iter().flatten().filter(|&&b| b == b'\n').count();
            origins.extend(std::iter::repeat_n(line, 1 + breaks));
            lines += 1;
        }
        previous = cells;
    }
    let bytes = w.into_inner().ok()?;
    Some(Unpivoted {
        bytes,
        origins,
        first: names[months[0].0].clone(),
        last: names[months[months.len() - 1].0].clone(),
        months: months.len(),
        period,
        span,
        rows,
        lines,
        header_line,
        totals: totals.iter().map(|&i| names[i].clone()).collect(),
        labels: labels.iter().map(|&i| names[i].clone()).collect(),
    })
}

impl Unpivoted {
    /// What was done, a warning in the QA report and a note of `init`'s.
    pub fn note(&self, file: &str) -> super::parts::Note {
        super::parts::Note {
            rule: "summary_unpivoted",
            severity: super::contracts::Severity::Warning,
            file: file.to_string(),
            line: Some(self.header_line),
            message: self.describe(file),
        }
    }

    fn describe(&self, file: &str) -> String {
        let totals = match self.totals.as_slice() {
            [] => String::new(),
            t => format!(
                "; {} not read (no period: a total, or another figure of the row)",
                t.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let (p, dated) = match self.period {
            Period::Month => ("month", ", dated the month's last day".to_string()),
            Period::Quarter => ("quarter", ", dated the quarter's last day".to_string()),
            Period::Day => match self.span {
                Some(n) => (
                    "date",
                    format!(", dated the last of the {n} days its column starts"),
                ),
                None => ("date", String::new()),
            },
        };
        format!(
            "`{file}` is a summary with a column per {} ({} of them, `{}` to `{}`): read as one line per row and {p} whose cell is not zero{dated} ({} lines from {} rows){totals}; a {p}'s sales in a row are one line, so counts of purchases count {p}s",
            self.period.noun(), self.months, self.first, self.last, self.lines, self.rows
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(text: &str) -> (String, Vec<u64>) {
        let u = unpivot(text.as_bytes(), b',', 3).expect("a summary");
        (String::from_utf8(u.bytes).unwrap(), u.origins)
    }

    #[test]
    fn one_line_per_row_and_month_with_a_value() {
        let (text, origins) = long(
            "Customer ID,Customer,Product Line,Jan 2023,Feb 2023,Mar 2023,Total\n\
             1001,Acme Tooling,CAD,\"1,200.00\",,300.00,\"1,500.00\"\n\
             ,,CAM,0,450.00,-,450.00\n\
             Acme Tooling Total,,,\"1,200.00\",450.00,300.00,\"1,950.00\"\n\
             1002,Birch & Co,CAD,(25.00),,,(25.00)\n\
             Grand Total,,,\"1,175.00\",450.00,300.00,\"1,925.00\"\n",
        );
        assert_eq!(
            text,
            "Customer ID,Customer,Product Line,Month,Amount\n\
             1001,Acme Tooling,CAD,2023-01,\"1,200.00\"\n\
             1001,Acme Tooling,CAD,2023-03,300.00\n\
             1001,Acme Tooling,CAM,2023-02,450.00\n\
             1002,Birch & Co,CAD,2023-01,(25.00)\n"
        );
        assert_eq!(origins, vec![1, 2, 2, 3, 5]);
    }

    #[test]
    fn month_headers_of_every_spelling() {
        for months in [
            "Jan-23,Feb-23,Mar-23",
            "2023-01,2023-02,2023-03",
            "01/2023,02/2023,03/2023",
            "2023-01-01,2023-02-01,2023-03-01",
            "January 2023,February 2023,March 2023",
        ] {
            let (text, _) = long(&format!("Customer,{months}\nA,1,2,3\n"));
            assert_eq!(
                text, "Customer,Month,Amount\nA,2023-01,1\nA,2023-02,2\nA,2023-03,3\n",
                "{months}"
            );
        }
    }

    #[test]
    fn a_column_per_quarter_or_per_week() {
        let (text, _) = long("Customer,Q1 2023,2023-Q2,Q3-23,Q4/2023\nA,1,2,3,4\n");
        assert_eq!(
            text,
            "Customer,Quarter,Amount\nA,2023-03,1\nA,2023-06,2\nA,2023-09,3\nA,2023-12,4\n"
        );
        // Weeks: days, one of them a month's first.
        let (text, _) = long("Customer,2023-04-24,2023-05-01,2023-05-08\nA,1,,3\n");
        assert_eq!(
            text,
            "Customer,Date,Amount\nA,2023-04-30,1\nA,2023-05-14,3\n"
        );
        // Days that read either way round, with none to tell which: not a summary.
        assert!(unpivot(
            b"Customer,01/02/2023,01/03/2023,01/04/2023\nA,1,2,3\n",
            b',',
            3
        )
        .is_none());
        // One that reads one way only tells the others' (`02/07/2022` is February 7th).
        let (text, _) = long("Customer,01/31/2022,02/07/2022,02/14/2022\nA,1,2,3\n");
        assert_eq!(
            text,
            "Customer,Date,Amount\nA,2022-02-06,1\nA,2022-02-13,2\nA,2022-02-20,3\n"
        );
        let (text, _) = long("Customer,31/01/2022,07/02/2022,14/02/2022\nA,1,2,3\n");
        assert!(text.ends_with("A,2022-02-20,3\n"), "{text}");
        // Item numbers are no days.
        assert!(unpivot(
            b"Customer,Invoiced,40010,40010_Qty,40020,40030\nA,1,2,3,4,5\n",
            b',',
            3
        )
        .is_none());
        // A figure after the months (`FY 2023`) is no label: the subtotal is still one.
        let (text, _) = long(
            "Customer,Product Line,Jan 2023,Feb 2023,Mar 2023,FY 2023\nAcme,CAD,1,,,1\n,,,,,\nAcme Total,,1,,,1\n",
        );
        assert_eq!(
            text,
            "Customer,Product Line,Month,Amount\nAcme,CAD,2023-01,1\n"
        );
        let u = unpivot(
            b"Customer,1/16/2023,1/23/2023,1/30/2023\nA,1,2,3\n",
            b',',
            3,
        )
        .unwrap();
        assert!(
            u.describe("w.csv").starts_with(
                "`w.csv` is a summary with a column per date (3 of them, `1/16/2023` to `1/30/2023`): read as one line per row and date whose cell is not zero, dated the last of the 7 days its column starts (3 lines from 1 rows)"
            ),
            "{}",
            u.describe("w.csv")
        );
    }

    #[test]
    fn no_summary_no_rewrite() {
        for text in [
            // A log: its days are in a column.
            "Invoice Date,Customer,Jan 2023,Feb 2023,Mar 2023\n2023-01-05,A,1,2,3\n",
            "Customer,Order Date,Amount\nA,2023-01-05,10\n",
            // Two month columns are no summary of months.
            "Customer,Jan 2023,Feb 2023\nA,1,2\n",
            // Months and days mixed: no one period.
            "Customer,Jan 2023,2023-01-09,2023-01-16\nA,1,2,3\n",
            // Nothing but months: no row says whose.
            "Jan 2023,Feb 2023,Mar 2023\n1,2,3\n",
        ] {
            assert!(unpivot(text.as_bytes(), b',', 3).is_none(), "{text}");
        }
    }

    #[test]
    fn a_semicolon_summary_keeps_its_decimal_commas_and_its_line_numbers() {
        let text = "\n\nKunde;Jan 2023;Feb 2023;Mär 2023\nA;1.234,50;0,00;3,10\n";
        let u = unpivot(text.as_bytes(), b';', 3).expect("a summary");
        assert_eq!(
            String::from_utf8(u.bytes).unwrap(),
            "Kunde;Month;Amount\nA;2023-01;1.234,50\nA;2023-03;3,10\n"
        );
        assert_eq!(u.origins, vec![3, 4, 4]);
    }
}
