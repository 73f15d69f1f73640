//! Spreadsheet habits no export tool has: money written with a country's dollar (`US$`), in
//! lakhs, or as Excel's text; `#N/A` where a formula failed; long ids in Excel's scientific
//! display; monthly rows dated on the 1st, day first; a log and a holdout whose dates are
//! written the other way round; a totals file beside the log; a zero-width space pasted into
//! an id. Each loads as written, or is refused with the reason; none loads wrong with exit 0.

use crate::etl::{f64s, read, strs};
use crate::onboard::{init, shop};
use crate::onboard_lines::{xlsx, Cell};
use crate::support::{assert_mentions, Ws};

/// `lines` sale lines of 120 customers over 2022-2024 (a fixed pseudo-random walk), as
/// `Customer ID,Invoice No,Invoice Date,Division,Product,Qty,GP`, each cell written by the
/// given functions of (line, customer, day, cents); and the GP in cents written.
fn log(
    lines: usize,
    start: (i32, u32),
    id: impl Fn(usize, usize) -> String,
    date: impl Fn(usize, chrono::NaiveDate) -> String,
    gp: impl Fn(usize, i64) -> String,
) -> (String, i64) {
    let mut text = String::from("Customer ID,Invoice No,Invoice Date,Division,Product,Qty,GP\n");
    let mut x: u64 = 12345;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    let first = chrono::NaiveDate::from_ymd_opt(start.0, start.1, 1).unwrap();
    let mut total = 0;
    for k in 0..lines {
        let c = next(120) as usize;
        let day = first + chrono::Duration::days(next(1090) as i64);
        let div = ["Networking", "Storage", "Software", "Services"][next(4) as usize];
        let cents = 500 + next(250_000) as i64;
        total += cents;
        text += &format!(
            "{},INV{k},{},{div},{}-{},1,{}\n",
            id(k, c),
            date(k, day),
            &div[..3].to_uppercase(),
            next(3),
            gp(k, cents)
        );
    }
    (text, total)
}

fn plain_id(_: usize, c: usize) -> String {
    format!("C{c:04}")
}

fn iso(_: usize, d: chrono::NaiveDate) -> String {
    d.to_string()
}

fn dollars(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Builds the log's star and the holdout's; the holdout's fact lines.
fn build_both_stars(ws: &Ws) -> usize {
    shop(
        ws,
        &[
            "run",
            "-j",
            "2",
            "--target",
            "star",
            "--target",
            "holdout_star",
        ],
    )
    .ok();
    read(ws, "shop/outputs/holdout/star/fact_transactions.parquet").height()
}

fn loaded_cents(ws: &Ws) -> i64 {
    let df = read(ws, "shop/outputs/star/fact_transactions.parquet");
    (f64s(&df, "gross_profit").iter().sum::<f64>() * 100.0).round() as i64
}

#[test]
fn money_written_the_ways_spreadsheets_write_it_loads_to_the_cent() {
    // Before, each of these was read as 0 with exit 0: a tenth of the log's GP gone.
    let forms = |k: usize, cents: i64| -> String {
        let d = dollars(cents);
        match k % 8 {
            0 => format!("US${d}"),
            1 => format!("\"R$ {d}\""),
            2 => format!("'{d}"),
            3 => format!("usd {d}"),
            4 => format!("{d} kr"),
            5 => format!("\"=\"\"{d}\"\"\""),
            // Lakhs: 12,34,567.89.
            6 => {
                let whole = 1_000_000 + cents;
                let s = whole.to_string();
                let (head, last3) = s.split_at(s.len() - 3);
                let mut groups = Vec::new();
                let mut h = head;
                while h.len() > 2 {
                    groups.insert(0, &h[h.len() - 2..]);
                    h = &h[..h.len() - 2];
                }
                groups.insert(0, h);
                format!("\"{},{last3}.00\"", groups.join(","))
            }
            _ => d,
        }
    };
    // What each line is worth as written: the lakhs lines are whole rupees.
    let want = std::cell::Cell::new(0i64);
    let (text, _) = log(2000, (2022, 1), plain_id, iso, |k, c| {
        want.set(want.get() + if k % 8 == 6 { (1_000_000 + c) * 100 } else { c });
        forms(k, c)
    });
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    init(&ws, &["--sales-log", "sales.csv"]).ok();
    let run = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert!(
        !run.stderr.contains("could not be read as numbers"),
        "{}",
        run.stderr
    );
    assert_eq!(loaded_cents(&ws), want.get());
}

#[test]
fn values_no_reading_can_save_are_said_and_past_a_share_they_block() {
    // `#N/A` is what a failed lookup leaves: read as 0, each a lost sale. A few are said on the
    // console; a tenth of the rows (a year's file in another format) blocks the star.
    for (every, blocks) in [(200, false), (10, true)] {
        let (text, _) = log(2000, (2022, 1), plain_id, iso, |k, c| {
            if k % every == 0 {
                "#N/A".to_string()
            } else {
                dollars(c)
            }
        });
        let ws = Ws::new("# not the workspace\n");
        ws.write("sales.csv", &text);
        init(&ws, &["--sales-log", "sales.csv"]).ok();
        let run = shop(&ws, &["run", "-j", "2", "--target", "star"]);
        let said = format!(
            "{} values could not be read as numbers and count as 0 (first: `#N/A` in `GP`",
            2000 / every
        );
        if blocks {
            let run = run.code(1);
            assert_mentions(
                &run.stderr,
                &[
                    "too_many_bad_numbers",
                    &said,
                    "over `max_bad_number_share` = 0.02",
                ],
            );
            assert!(!ws
                .path("shop/outputs/star/fact_transactions.parquet")
                .exists());
        } else {
            assert_mentions(&run.ok().stderr, &[&said]);
        }
    }
}

#[test]
fn long_ids_in_excels_scientific_display_are_refused_not_merged() {
    // `400012340000 + 700 c` displayed `4.00012E+11`: 120 customers would load as 2.
    let sci = |_: usize, c: usize| format!("{:.5E}", 400_012_340_000f64 + 700.0 * c as f64);
    let (text, _) = log(2000, (2022, 1), sci, iso, |_, c| dollars(c));
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    let r = init(&ws, &["--sales-log", "sales.csv"]).code(2);
    assert_mentions(
        &r.stderr,
        &[
            "customer ids in `Customer ID` are long",
            "numbers as Excel displays them (`4.00012E11`)",
            "format the column as a number with no",
        ],
    );
}

#[test]
fn monthly_rows_dated_on_the_first_day_first_read_as_their_months() {
    // `01/03/2023`: no date reads only one way; month first, every sale fell on January 1-12
    // and no label window held a row.
    let first = |_: usize, d: chrono::NaiveDate| d.format("01/%m/%Y").to_string();
    let (text, total) = log(2000, (2022, 1), plain_id, first, |_, c| dollars(c));
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    let r = init(&ws, &["--sales-log", "sales.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["day first (D/M/YYYY): no sampled date reads only one way"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded_cents(&ws), total);
    let df = read(&ws, "shop/outputs/star/fact_transactions.parquet");
    let days = df
        .column("order_date")
        .unwrap()
        .cast(&polars::prelude::DataType::String);
    let months: std::collections::BTreeSet<String> = days
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|d| d.unwrap()[..7].to_string())
        .collect();
    assert_eq!(months.len(), 36, "{months:?}");
}

#[test]
fn two_digit_years_written_first_are_refused() {
    let yy = |_: usize, d: chrono::NaiveDate| d.format("%y/%m/%d").to_string();
    let (text, _) = log(2000, (2022, 1), plain_id, yy, |_, c| dollars(c));
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    let r = init(&ws, &["--sales-log", "sales.csv"]).code(2);
    assert_mentions(
        &r.stderr,
        &[
            "are written year first",
            "with two digits (`",
            "four digits",
        ],
    );
}

#[test]
fn a_holdout_written_day_first_beside_a_log_written_month_first_reads_each_its_way() {
    // Before, init noted the difference and the run then failed (`too_many_bad_dates`) on the
    // holdout, whose suggested fix broke the log.
    let mdy = |_: usize, d: chrono::NaiveDate| d.format("%-m/%-d/%Y").to_string();
    let dmy = |_: usize, d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let (text, total) = log(2000, (2022, 1), plain_id, mdy, |_, c| dollars(c));
    let (hold, _) = log(300, (2025, 1), plain_id, dmy, |_, c| dollars(c));
    // The holdout's half-year: days past June 30 are cut off (the walk spans three years).
    let hold: String = hold
        .lines()
        .filter(|l| {
            l.starts_with("Customer")
                || l.split(',').nth(2).is_some_and(|d| {
                    let p: Vec<u32> = d.split('/').map(|x| x.parse().unwrap()).collect();
                    p[2] == 2025 && p[1] <= 6
                })
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    ws.write("holdout.csv", &hold);
    let r = init(
        &ws,
        &["--sales-log", "sales.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert_mentions(&r.stderr, &["each file is read its own way"]);
    assert_mentions(
        &ws.read("shop/pipeline.yaml"),
        &["params: {extends: stages/etl.yaml, log: holdout, date_order: dmy}"],
    );
    let holdout_lines = build_both_stars(&ws);
    assert_eq!(loaded_cents(&ws), total);
    assert_eq!(holdout_lines, hold.lines().count() - 1);
}

#[test]
fn a_totals_file_beside_the_log_is_left_out_and_a_pasted_zero_width_space_is_no_new_customer() {
    let zw = |k: usize, c: usize| {
        if k % 3 == 0 {
            format!("C{c:04}\u{200b}")
        } else {
            format!("C{c:04}")
        }
    };
    let (text, total) = log(2000, (2022, 1), zw, iso, |_, c| dollars(c));
    let ws = Ws::new("# not the workspace\n");
    ws.write("exports/sales.csv", &text);
    ws.write(
        "exports/totals_by_division.csv",
        "Year,Division,GP\n2024,Storage,1234.50\n2024,Software,99.00\n",
    );
    let r = init(&ws, &["--sales-log", "exports"]).ok();
    assert_mentions(
        &r.stderr,
        &["`totals_by_division.csv` shares 2 of its 3 columns with `sales.csv`: not a part of this log, left out"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded_cents(&ws), total);
    let df = read(&ws, "shop/outputs/star/fact_transactions.parquet");
    let customers: std::collections::BTreeSet<String> =
        strs(&df, "customer_id").into_iter().collect();
    assert!(customers.len() <= 120, "{}", customers.len());
    assert!(customers.iter().all(|c| c.len() == 5), "{customers:?}");
}

#[test]
fn a_workbook_whose_formulas_were_never_calculated_is_refused_and_one_saved_by_a_spreadsheet_loads()
{
    // GP as `=F{r}-G{r}` (revenue less cost). A program (openpyxl) writes the formula and no
    // value; until Excel saves the book, each such cell read as empty: GP 0, exit 0.
    let book = |saved: bool| {
        let mut rows = vec![[
            "Customer ID",
            "Invoice Date",
            "Product",
            "Qty",
            "Revenue",
            "Cost",
            "GP",
        ]
        .iter()
        .map(|h| Cell::Text(h.to_string()))
        .collect::<Vec<_>>()];
        let mut total = 0.0;
        for k in 0..400usize {
            let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
                + chrono::Duration::days((k * 37 % 1090) as i64);
            let (revenue, cost) = (100.0 + (k % 17) as f64 * 10.0, 40.0 + (k % 5) as f64);
            total += revenue - cost;
            let r = rows.len() + 1;
            rows.push(vec![
                Cell::Text(format!("C{:03}", k % 60)),
                Cell::Date(day),
                Cell::Text(["NET-1", "STO-2", "SOF-3"][k % 3].to_string()),
                Cell::Number(1.0),
                Cell::Number(revenue),
                Cell::Number(cost),
                Cell::Formula(format!("E{r}-F{r}"), saved.then_some(revenue - cost)),
            ]);
        }
        (xlsx(&rows), total)
    };
    let ws = Ws::new("# not the workspace\n");
    let (unsaved, _) = book(false);
    std::fs::write(ws.path("sales.xlsx"), unsaved).unwrap();
    let r = init(&ws, &["--sales-log", "sales.xlsx"]).code(2);
    assert_mentions(
        &r.stderr,
        &[
            "sheet `Sales`: 400 cells hold a formula with no",
            "G2 `=E2-F2`",
            "open it in Excel or",
        ],
    );
    let (saved, total) = book(true);
    std::fs::write(ws.path("sales.xlsx"), saved).unwrap();
    init(&ws, &["--sales-log", "sales.xlsx"]).ok();
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded_cents(&ws), (total * 100.0).round() as i64);
}

#[test]
fn a_header_written_twice_where_init_would_read_it_is_refused_and_utf16_without_its_mark_loads() {
    let (text, total) = log(1500, (2022, 1), plain_id, iso, |_, c| dollars(c));
    let ws = Ws::new("# not the workspace\n");
    let twice: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},GP\n")
            } else {
                format!("{l},0\n")
            }
        })
        .collect();
    ws.write("twice.csv", &twice);
    let r = init(&ws, &["--sales-log", "twice.csv"]).code(2);
    assert_mentions(
        &r.stderr,
        &[
            "the header `GP` appears 2 times (columns 7, 8)",
            "which one holds the data is ambiguous",
        ],
    );
    // Tab-delimited UTF-16 with no byte-order mark, as some programs write it; before, its
    // columns read `C u s t o m e r   I D` and init refused it.
    let utf16: Vec<u8> = text
        .replace(',', "\t")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(ws.path("sales.txt"), utf16).unwrap();
    init(&ws, &["--sales-log", "sales.txt", "--force"]).ok();
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded_cents(&ws), total);
}

#[test]
fn a_value_column_named_by_the_user_whose_values_are_no_numbers_is_said_not_asked_for_again() {
    let (text, _) = log(500, (2022, 1), plain_id, iso, |_, c| {
        format!("{} dollars", dollars(c))
    });
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    let r = init(
        &ws,
        &["--sales-log", "sales.csv", "--column", "gross_profit=GP"],
    )
    .code(2);
    assert_mentions(
        &r.stderr,
        &["`GP` is read as each line's value, but", "dollars`"],
    );
}

#[test]
fn renewals_billed_ahead_of_the_log_are_dropped_from_it_and_the_holdout_keeps_its_own_dates() {
    // 2022-2024, then 15 renewals dated over the next three months (the holdout's): before,
    // they set the log's last date, 1-month windows and cutoffs with nothing in them.
    let (mut text, total) = log(3000, (2022, 1), plain_id, iso, |_, c| dollars(c));
    let text_end = chrono::NaiveDate::from_ymd_opt(2024, 12, 25).unwrap();
    let mut kept = String::new();
    let mut kept_total = 0;
    for l in text.lines() {
        let day = l.split(',').nth(2).unwrap_or("");
        if let Ok(d) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            if d > text_end {
                continue;
            }
            kept_total +=
                (l.rsplit(',').next().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
        }
        kept += l;
        kept.push('\n');
    }
    let _ = total;
    text = kept;
    for k in 0..15 {
        text += &format!(
            "C{:04},REN{k},2025-0{}-28,Software,SOF-9,1,99.00\n",
            k,
            1 + k % 3
        );
    }
    let (hold, _) = log(400, (2025, 1), plain_id, iso, |_, c| dollars(c));
    let hold: String = hold
        .lines()
        .filter(|l| {
            l.starts_with("Customer") || l.split(',').nth(2).is_some_and(|d| d <= "2025-06-30")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &text);
    ws.write("holdout.csv", &hold);
    let r = init(
        &ws,
        &["--sales-log", "sales.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "15 rows dated",
            "thinner than a tenth of its usual month",
            "label window 6 months",
        ],
    );
    assert_mentions(
        &ws.read("shop/stages/etl.yaml"),
        &["date_max: \"2024-12-25\""],
    );
    assert_mentions(
        &ws.read("shop/pipeline.yaml"),
        &["log: holdout, date_min: null, date_max: null}"],
    );
    let holdout_lines = build_both_stars(&ws);
    assert_eq!(loaded_cents(&ws), kept_total);
    assert_eq!(holdout_lines, hold.lines().count() - 1);
}

#[test]
fn excels_csv_row_endings_load_as_written() {
    // A log whose last column (`Notes`) is mostly empty, saved as Excel saves a CSV: past its
    // first rows, a row leaves out its empty last cells. 90% of the rows were ragged, and the
    // run blocked.
    let (text, cents) = log(2000, (2022, 1), plain_id, iso, |_, c| dollars(c));
    let mut short = String::new();
    for (k, line) in text.lines().enumerate() {
        let note = if k == 0 {
            "Notes"
        } else if k % 10 == 3 {
            "rush"
        } else {
            ""
        };
        if k < 16 || !note.is_empty() {
            short += &format!("{line},{note}\n");
        } else {
            short += &format!("{line}\n");
        }
    }
    // A delimiter after every data row but not the header: init refused the log as having no
    // row with a readable date and a product line.
    let trailing: String = text
        .lines()
        .enumerate()
        .map(|(k, l)| {
            if k == 0 {
                format!("{l}\n")
            } else {
                format!("{l},\n")
            }
        })
        .collect();
    for file in [short, trailing] {
        let ws = Ws::new("# not the workspace\n");
        ws.write("sales.csv", &file);
        let i = init(&ws, &["--sales-log", "sales.csv"]).ok();
        assert!(!i.stderr.contains("field count"), "{}", i.stderr);
        let run = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
        assert!(!run.stderr.contains("ragged"), "{}", run.stderr);
        assert_eq!(loaded_cents(&ws), cents);
    }
}

#[test]
fn a_report_grouped_by_customer_loads_each_line_as_its_customers() {
    // Sorted by customer, its id and name on each customer's first line only (a spreadsheet's
    // "repeat item labels" off), no invoice column. It was refused: 93% of its lines had no
    // customer, and init asked whether `Customer ID` was an order's id.
    let (text, cents) = log(2000, (2022, 1), plain_id, iso, |_, c| dollars(c));
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    rows.sort_by(|a, b| (&a[0], &a[2]).cmp(&(&b[0], &b[2])));
    let mut report =
        String::from("Customer ID,Customer Name,Invoice Date,Division,Product,Qty,GP\n");
    for (k, r) in rows.iter().enumerate() {
        let first = k == 0 || rows[k - 1][0] != r[0];
        let (id, name) = if first {
            (r[0].clone(), format!("Firm {}", &r[0][1..]))
        } else {
            Default::default()
        };
        report += &format!("{id},{name},{}\n", r[2..].join(","));
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &report);
    let i = init(&ws, &["--sales-log", "sales.csv"]).ok();
    assert_mentions(&i.stderr, &["a report grouped by `Customer ID`"]);
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded_cents(&ws), cents);
    let fact = read(&ws, "shop/outputs/star/fact_transactions.parquet");
    let mut ids = strs(&fact, "customer_id");
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        rows.iter()
            .map(|r| &r[0])
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
}
