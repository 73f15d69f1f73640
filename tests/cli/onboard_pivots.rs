//! A summary with a column per month, as a BI tool or a pivot table exports "sales by customer
//! and product line, by month": titles above the header, each customer's id and name written
//! once above its product lines, a subtotal row per customer, a grand total row and a total
//! column. It onboards as it is (CSV, workbook, or a folder of a file per year), one fact line
//! per row and month whose cell is not zero, to the cent.

use chrono::Datelike;

use crate::onboard::{init, shop};
use crate::onboard_lines::{xlsx, xlsx_sheets, Cell};
use crate::onboard_reports::{loaded, Line};
use crate::support::{assert_mentions, Ws};

const LINES: [&str; 3] = ["CAD Software", "Hardware", "Services & Training"];

/// A month of 2022-2023 (0-based) as the header writes it, and its last day.
fn month(m: usize) -> (String, chrono::NaiveDate) {
    let (y, mo) = (2022 + m as i32 / 12, 1 + m as u32 % 12);
    let first = chrono::NaiveDate::from_ymd_opt(y, mo, 1).unwrap();
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        .pred_opt()
        .unwrap();
    (first.format("%b %Y").to_string(), last)
}

/// The summary's cells of customer `c`, product line `p`, month `m`, in cents: `None` for a
/// blank cell, `Some(0)` for a written zero.
fn cents(c: usize, p: usize, m: usize) -> Option<i64> {
    let h = (c * 7919 + p * 104_729 + m * 1_299_709) % 1000;
    match h {
        0..=599 => None,
        600..=639 => Some(0),
        640..=659 => Some(-((h as i64) * 131 + 7)),
        _ => Some((h as i64) * 2_713 + c as i64),
    }
}

fn money(v: i64) -> String {
    let (sign, v) = (v < 0, v.abs());
    let whole = (v / 100).to_string();
    // Thousands grouped, as a report writes them.
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let text = format!("{grouped}.{:02}", v % 100);
    if sign {
        format!("({text})")
    } else {
        text
    }
}

/// The summary's rows (months `from..to`) as cells, and its lines.
fn summary(from: usize, to: usize) -> (Vec<Vec<Cell>>, Vec<Line>) {
    let text = |s: &str| Cell::Text(s.to_string());
    let mut header = vec![text("Customer ID"), text("Customer"), text("Product Line")];
    header.extend((from..to).map(|m| text(&month(m).0)));
    header.push(text("Total"));
    let mut rows = vec![
        vec![text("Sales by Customer and Product Line, by Month")],
        vec![],
        header,
    ];
    let mut lines = Vec::new();
    let mut grand = vec![0i64; to - from];
    for c in 0..45usize {
        let id = format!("C{:04}", 1000 + c);
        let mut sub = vec![0i64; to - from];
        let mut first = true;
        for (p, line) in LINES.iter().enumerate().filter(|(p, _)| (c + p) % 4 != 0) {
            let mut row = if first {
                vec![text(&id), text(&format!("Customer {c}, Inc."))]
            } else {
                vec![text(""), text("")]
            };
            first = false;
            row.push(text(line));
            let mut total = 0;
            for m in from..to {
                let v = cents(c, p, m);
                row.push(text(&v.map(money).unwrap_or_default()));
                let v = v.unwrap_or(0);
                (total, sub[m - from]) = (total + v, sub[m - from] + v);
                if v != 0 {
                    lines.push((id.clone(), month(m).1.to_string(), line.to_string(), v));
                }
            }
            row.push(text(&money(total)));
            rows.push(row);
        }
        let mut row = vec![text(&format!("{id} Total")), text(""), text("")];
        row.extend(sub.iter().map(|&v| text(&money(v))));
        rows.push(row);
        grand.iter_mut().zip(&sub).for_each(|(g, s)| *g += s);
    }
    let mut row = vec![text("Grand Total"), text(""), text("")];
    row.extend(grand.iter().map(|&v| text(&money(v))));
    rows.push(row);
    lines.sort();
    (rows, lines)
}

fn csv_text(rows: &[Vec<Cell>]) -> String {
    let mut text = String::new();
    for r in rows {
        let mut w = csv::Writer::from_writer(Vec::new());
        let cells: Vec<&str> = r
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.as_str(),
                _ => panic!("text cells only"),
            })
            .collect();
        if !cells.is_empty() {
            w.write_record(cells).unwrap();
        }
        text.push_str(std::str::from_utf8(&w.into_inner().unwrap()).unwrap());
        if r.is_empty() {
            text.push('\n');
        }
    }
    text
}

#[test]
fn a_summary_with_a_column_per_month_loads_each_cell_as_a_line() {
    // Before, init refused it: no date column, "unpivot those columns" first.
    let (rows, lines) = summary(0, 24);
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales by month.csv", &csv_text(&rows));
    let r = init(&ws, &["--sales-log", "sales by month.csv"]).ok();
    let read = format!(
        "`sales by month.csv` is a summary with a column per month (24 of them, `Jan 2022` to `Dec 2023`): read as one line per row and month whose cell is not zero, dated the month's last day ({} lines from",
        lines.len()
    );
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `Customer ID`, order_date `Month`, division `Product Line`",
            "product `Product Line`, GP `Amount`",
            "dates        2022-01-31 to 2023-12-31",
            read.as_str(),
            "`Total` not read (no period: a total, or another figure of the row)",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
    // The QA report says what was done, at the header's line; a line names the file line its
    // cell is on (the second product line of the first customer is line 5).
    let v = ws.read("shop/outputs/qa/violations.csv");
    assert!(
        v.contains("summary_unpivoted,warning,sales by month.csv,3,"),
        "{v}"
    );
    let df = crate::etl::read(&ws, "shop/outputs/star/fact_transactions.parquet");
    let rows_of = |product: &str| -> Vec<i64> {
        let products = crate::etl::strs(&df, "product_sku");
        let ids = crate::etl::strs(&df, "customer_id");
        let lines = df
            .column("source_row")
            .unwrap()
            .cast(&polars::prelude::DataType::Int64);
        let lines = lines.unwrap();
        let lines = lines.i64().unwrap();
        let mut out: Vec<i64> = (0..df.height())
            .filter(|&i| ids[i] == "C1000" && products[i] == product)
            .map(|i| lines.get(i).unwrap())
            .collect();
        out.dedup();
        out
    };
    assert_eq!(rows_of("Hardware"), vec![4]);
    assert_eq!(rows_of("Services & Training"), vec![5]);
}

#[test]
fn the_same_summary_as_a_workbook_or_a_file_per_year_loads_the_same_lines() {
    let (rows, lines) = summary(0, 24);
    // A workbook: the months are dates in the header, the amounts numbers.
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.iter()
                .enumerate()
                .map(|(j, c)| match c {
                    Cell::Text(_) if i == 2 && (3..27).contains(&j) => {
                        Cell::Date(month(j - 3).1.with_day(1).unwrap())
                    }
                    Cell::Text(t) if i > 2 && j >= 3 && !t.is_empty() => {
                        let v: f64 = t.trim_matches(['(', ')']).replace(',', "").parse().unwrap();
                        Cell::Number(if t.starts_with('(') { -v } else { v })
                    }
                    other => other.clone(),
                })
                .collect()
        })
        .collect();
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(ws.path("sales by month.xlsx"), xlsx(&cells)).unwrap();
    init(&ws, &["--sales-log", "sales by month.xlsx"]).ok();
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);

    // A file a year, the last of two months so far: each read as a summary, joined as one log.
    let ws = Ws::new("# not the workspace\n");
    for (file, from, to) in [("2022", 0, 12), ("2023", 12, 22), ("2023 Nov-Dec", 22, 24)] {
        ws.write(
            &format!("summaries/{file}.csv"),
            &csv_text(&summary(from, to).0),
        );
    }
    let r = init(&ws, &["--sales-log", "summaries"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`2023.csv` is a summary with a column per month (10 of them, `Jan 2023` to `Oct 2023`)",
            "`2023 Nov-Dec.csv` is a summary with a column per month (2 of them, `Nov 2023` to `Dec 2023`)",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
}

#[test]
fn a_summary_sheet_beside_the_lines_it_sums_is_left_out() {
    // A workbook of the lines and, on a sheet of its own, their pivot by month: joined, every
    // sale would count twice.
    let (pivot, lines) = summary(0, 24);
    let text = |s: &str| Cell::Text(s.to_string());
    let mut detail = vec![vec![
        text("Customer ID"),
        text("Invoice Date"),
        text("Product Line"),
        text("Amount"),
    ]];
    let mut expected = Vec::new();
    for (customer, day, product, cents) in &lines {
        let mid = format!("{}-15", &day[..7]);
        detail.push(vec![
            text(customer),
            text(&mid),
            text(product),
            Cell::Number(*cents as f64 / 100.0),
        ]);
        expected.push((customer.clone(), mid, product.clone(), *cents));
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(
        ws.path("sales.xlsx"),
        xlsx_sheets(&[("Lines", &detail), ("By Month", &pivot)]),
    )
    .unwrap();
    let r = init(&ws, &["--sales-log", "sales.xlsx"]).ok();
    assert_mentions(
        &r.stderr,
        &["`sales.xlsx [By Month]` is a summary with a column per month beside the lines of `sales.xlsx [Lines]`: their sales summed, not a part of this log, left out"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

/// The summary as Excel's PivotTable lays it out with its dates grouped by years and months:
/// its title row (`Sum of Amount`, `Years`, `Order Date`), each year written once above its months
/// (`Jan` ... `Dec`), the total column under `Grand Total`.
fn excel_pivot(rows: &[Vec<Cell>], year: impl Fn(i32) -> Cell) -> Vec<Vec<Cell>> {
    let text = |s: &str| Cell::Text(s.to_string());
    // The title row names the date field its years and months group.
    let mut title = vec![
        text("Sum of Amount"),
        text(""),
        text(""),
        text("Years"),
        text("Order Date"),
    ];
    title.extend((0..23).map(|_| text("")));
    let mut years = vec![text(""), text(""), text("")];
    let mut months = vec![text("Customer ID"), text("Customer"), text("Product Line")];
    for m in 0..24 {
        years.push(match m % 12 {
            0 => year(2022 + m as i32 / 12),
            _ => text(""),
        });
        months.push(text(&month(m).0[..3]));
    }
    years.push(text("Grand Total"));
    months.push(text(""));
    let mut out = vec![title, years, months];
    out.extend(rows[3..].iter().cloned());
    out
}

#[test]
fn an_excel_pivot_table_with_years_above_its_months_loads_each_cell_as_a_line() {
    // Before, init refused it: no customer id column among `Sum of Amount`, `Column Labels`.
    let (rows, lines) = summary(0, 24);
    let ws = Ws::new("# not the workspace\n");
    let pivot = excel_pivot(&rows, |y| Cell::Text(y.to_string()));
    ws.write("pivot.csv", &csv_text(&pivot));
    let r = init(&ws, &["--sales-log", "pivot.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `Customer ID`, order_date `Month`, division `Product Line`",
            "(24 of them, `Jan 2022` to `Dec 2023`)",
            "`Grand Total` not read",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
    // The header's line is the months' (the third).
    let v = ws.read("shop/outputs/qa/violations.csv");
    assert!(v.contains("summary_unpivoted,warning,pivot.csv,3,"), "{v}");

    // Saved as a workbook, its years are numbers.
    let ws = Ws::new("# not the workspace\n");
    let pivot = excel_pivot(&rows, |y| Cell::Number(f64::from(y)));
    std::fs::write(ws.path("pivot.xlsx"), xlsx(&pivot)).unwrap();
    init(&ws, &["--sales-log", "pivot.xlsx"]).ok();
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);

    // In compact form customers and their product lines share one `Row Labels` column, told
    // apart by indent only: refused, saying how to lay it out in Excel.
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "compact.csv",
        "Sum of Amount,Column Labels,,\n,2022,,\nRow Labels,Jan,Feb,Mar\nAcme,10.00,20.00,30.00\nCAD,10.00,20.00,30.00\nGrand Total,10.00,20.00,30.00\n",
    );
    let r = init(&ws, &["--sales-log", "compact.csv"]).code(2);
    assert_mentions(
        &r.stderr,
        &["Excel PivotTable in compact form", "Repeat All Item Labels"],
    );
}
