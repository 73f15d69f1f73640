//! A sales log that is a folder of exports, one file a year, as ERP systems write them: read as
//! one log by `init` and the ETL, every fact line and violation naming its file and line.

use polars::prelude::*;

use crate::onboard::{fact_gp_total, gp_cells, init, log, office, shop};
use crate::onboard_lines::{erp_lines, xlsx, xlsx_sheets, Cell, ERP_ITEMS};
use crate::support::{assert_mentions, Ws};

fn year(row: &str) -> i32 {
    let date = row.split(',').nth(1).unwrap();
    date.rsplit('/').next().unwrap().parse().unwrap()
}

fn fact(ws: &Ws) -> DataFrame {
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    ParquetReader::new(f).finish().unwrap()
}

/// The (source_file, source_row) of the fact lines of invoice `inv`.
fn origin(df: &DataFrame, inv: &str) -> Vec<(String, i64)> {
    let ids = df.column("invoice_id").unwrap().str().unwrap();
    let files = df.column("source_file").unwrap().str().unwrap();
    let rows = df.column("source_row").unwrap().i64().unwrap();
    (0..df.height())
        .filter(|&i| ids.get(i) == Some(inv))
        .map(|i| (files.get(i).unwrap().to_string(), rows.get(i).unwrap()))
        .collect()
}

#[test]
fn a_folder_of_yearly_exports_loads_as_one_log_and_every_line_names_its_file() {
    let (header, rows, total) = log(&office(), 21, 150, (2014, 1), 48, 7_000_000);
    let of = |y: i32| rows.iter().filter(|r| year(r) == y).collect::<Vec<_>>();
    let (y14, y15, y16, y17) = (of(2014), of(2015), of(2016), of(2017));
    let ws = Ws::new("# not the workspace\n");
    // 2014: as the ERP writes it.
    let mut csv = header.clone() + "\n";
    for r in &y14 {
        csv += &format!("{r}\n");
    }
    ws.write("exports/2014.csv", &csv);
    // 2015: a report title above the header, Windows line ends.
    let mut csv = format!("Office sales 2015\r\n\r\n{header}\r\n");
    for r in &y15 {
        csv += &format!("{r}\r\n");
    }
    ws.write("exports/2015.csv", &csv);
    // 2016: `Customer Name` moved to the end, and the export overlaps 2015 by its last line.
    let moved = |line: &str| {
        let mut c: Vec<&str> = line.split(',').collect();
        let name = c.remove(4);
        c.push(name);
        c.join(",")
    };
    let mut csv = moved(&header) + "\n";
    for r in std::iter::once(y15.last().unwrap()).chain(&y16) {
        csv += &(moved(r) + "\n");
    }
    ws.write("exports/2016.csv", &csv);
    // 2017: saved from a spreadsheet, with a `Region` column the older exports lack.
    let sheet: Vec<Vec<Cell>> = std::iter::once(format!("{header},Region"))
        .chain(y17.iter().map(|r| format!("{r},North")))
        .map(|l| l.split(',').map(|c| Cell::Text(c.to_string())).collect())
        .collect();
    std::fs::write(ws.path("exports/2017.xlsx"), xlsx(&sheet)).unwrap();
    ws.write(
        "exports/notes.txt",
        "Exported from the ERP by Ann.\nAsk her for 2013.\n",
    );

    // The holdout as a folder too: a file a quarter.
    let (_, hrows, _) = log(&office(), 22, 150, (2018, 1), 6, 9_000_000);
    for (name, months) in [
        ("2018_Q1.csv", ["1/", "2/", "3/"]),
        ("2018_Q2.csv", ["4/", "5/", "6/"]),
    ] {
        let mut csv = header.clone() + "\n";
        for r in hrows.iter().filter(|r| {
            let date = r.split(',').nth(1).unwrap();
            months.iter().any(|m| date.starts_with(m))
        }) {
            csv += &format!("{r}\n");
        }
        ws.write(&format!("holdout/{name}"), &csv);
    }

    let r = init(&ws, &["--sales-log", "exports", "--holdout", "holdout"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`exports` is a folder: its 4 files (`2014.csv`, `2015.csv`, `2016.csv`, `2017.xlsx`) are read as one log",
            "`notes.txt` shares 0 of its 1 columns with",
            "`2014.csv` and 2 more parts have no `Region`",
            "17 GP/Qty column pairs in 3 divisions",
        ],
    );
    shop(&ws, &["run", "-j", "2"]).ok();

    // Every line of the four years is a fact line once, the overlap dropped, GP to the cent.
    let all: Vec<&String> = rows.iter().collect();
    let (lines, gp) = fact_gp_total(&ws);
    assert_eq!(lines, gp_cells(&all));
    assert_eq!((gp * 100.0).round(), (total * 100.0).round());
    let df = fact(&ws);

    // A fact line names the file and the line to open: 2015's third row is line 6 of its file
    // (title, blank line, header), 2017's first is row 2 of the sheet.
    let invoice = |r: &str| r.split(',').nth(3).unwrap().to_string();
    for (file, line, row) in [
        ("2014.csv", 2, y14[0]),
        ("2015.csv", 6, y15[2]),
        ("2016.csv", 3, y16[0]),
        ("2017.xlsx", 2, y17[0]),
    ] {
        let at = origin(&df, &invoice(row));
        assert!(!at.is_empty(), "{file}");
        assert!(
            at.iter().all(|(f, l)| f == file && *l == line),
            "{file}: {at:?}"
        );
    }
    // The holdout's facts name their quarter's file, and validation ran on them.
    let f = std::fs::File::open(ws.path("shop/outputs/holdout/star/fact_transactions.parquet"))
        .unwrap();
    let holdout = ParquetReader::new(f).finish().unwrap();
    let col = holdout.column("source_file").unwrap().str().unwrap();
    let files: std::collections::BTreeSet<&str> =
        (0..holdout.height()).filter_map(|i| col.get(i)).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["2018_Q1.csv", "2018_Q2.csv"]
    );
    let hrefs: Vec<&String> = hrows.iter().collect();
    assert_eq!(holdout.height(), gp_cells(&hrefs));
    assert!(ws
        .path("shop/outputs/validate/Tech Supplies/validation_metrics_Tech Supplies.json")
        .is_file());
    let violations = ws.read("shop/outputs/qa/violations.csv");
    assert!(
        violations.contains("exact_duplicate,warning,2016.csv,2,"),
        "{violations}"
    );
    // One warning for the three files that lack `Region`, at the first.
    assert_eq!(
        violations.matches("part_columns_differ").count(),
        1,
        "{violations}"
    );
    assert!(
        violations.contains("part_columns_differ,warning,2014.csv,"),
        "{violations}"
    );
    assert!(
        violations.contains("unrelated_part,warning,notes.txt,"),
        "{violations}"
    );

    // A line added to one file is loaded by the next run.
    let mut extra = ws.read("exports/2014.csv");
    let mut line: Vec<String> = y14[0].split(',').map(str::to_string).collect();
    line[3] = "8999999".into();
    extra += &(line.join(",") + "\n");
    ws.write("exports/2014.csv", &extra);
    shop(&ws, &["run", "-j", "2"]).ok();
    let df = fact(&ws);
    assert_eq!(df.height(), gp_cells(&all) + gp_cells(&[y14[0]]));
    let last = 2 + y14.len() as i64;
    assert!(origin(&df, "8999999")
        .iter()
        .all(|(f, l)| f == "2014.csv" && *l == last));
}

#[test]
fn a_workbook_with_a_sheet_a_year_loads_every_year_and_leaves_its_pivot_out() {
    let (log, total, rows) = erp_lines(7, 60, (2015, 1), 24, ERP_ITEMS);
    let header = log.lines().next().unwrap();
    let year = |y: &str| -> Vec<Vec<Cell>> {
        std::iter::once(header)
            .chain(
                log.lines()
                    .skip(1)
                    .filter(|l| l.contains(&format!(";{y}-"))),
            )
            .map(|l| l.split(';').map(|v| Cell::Text(v.to_string())).collect())
            .collect()
    };
    let (y15, mut y16) = (year("2015"), year("2016"));
    // A value no one can read, on row 5 of the 2016 sheet.
    let bad = y16[4][6..7].iter().find_map(|c| match c {
        Cell::Text(t) => Some(t.clone()),
        _ => None,
    });
    y16[4][6] = Cell::Text("tbc".into());
    let pivot = vec![
        vec![Cell::Text("Customer No".into()), Cell::Text("Total".into())],
        vec![Cell::Text("C001".into()), Cell::Number(12.5)],
    ];
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(
        ws.path("book.xlsx"),
        xlsx_sheets(&[("2015", &y15), ("2016", &y16), ("Pivot", &pivot)]),
    )
    .unwrap();
    let r = init(&ws, &["--sales-log", "book.xlsx"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`book.xlsx` holds the log in 2 sheets (`book.xlsx [2015]`, `book.xlsx [2016]`)",
            "`book.xlsx [Pivot]` shares 1 of its 2 columns with `book.xlsx [2016]`",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let (lines, gp) = fact_gp_total(&ws);
    assert_eq!(lines, rows);
    let bad: f64 = bad.unwrap().replace(',', ".").parse().unwrap();
    assert!(
        (gp - (total - bad)).abs() < 0.005,
        "{gp} vs {total} - {bad}"
    );
    let v = ws.read("shop/outputs/qa/violations.csv");
    assert!(
        v.contains("unparseable_number,warning,book.xlsx [2016],5,Gross Margin,tbc"),
        "{v}"
    );
    assert!(
        v.contains("unrelated_part,warning,book.xlsx [Pivot],"),
        "{v}"
    );
}

/// A year of the office log as a file, with `rename` applied to its header line.
fn year_file(header: &str, rows: &[&String], rename: (&str, &str)) -> String {
    let mut csv = header.replace(rename.0, rename.1) + "\n";
    for r in rows {
        csv += &format!("{r}\n");
    }
    csv
}

#[test]
fn a_key_column_renamed_between_exports_blocks_instead_of_dropping_the_year() {
    let (header, rows, _) = log(&office(), 31, 120, (2014, 1), 36, 4_000_000);
    let of = |y: i32| rows.iter().filter(|r| year(r) == y).collect::<Vec<_>>();
    let (y14, y15, y16) = (of(2014), of(2015), of(2016));
    let ws = Ws::new("# not the workspace\n");
    ws.write("exports/2014.csv", &year_file(&header, &y14, ("", "")));
    // A new export tool: `Account ID` now `Account No`.
    ws.write(
        "exports/2015.csv",
        &year_file(&header, &y15, ("Account ID", "Account No")),
    );
    let r = init(&ws, &["--sales-log", "exports"]).code(2);
    assert_mentions(
        &r.stderr,
        &["`2015.csv` has no `Account ID` (the log's customer id)"],
    );
    assert!(!ws.path("shop").exists());

    // Spelled in another case only, it is the same column; and an overlap whose dates were
    // reformatted (no line repeats byte for byte) is named on the console.
    ws.write(
        "exports/2015.csv",
        &year_file(&header, &y15, ("Account ID", "account id")),
    );
    let mut reformatted: Vec<String> = y14[y14.len() - 2..]
        .iter()
        .map(|r| {
            let mut c: Vec<String> = r.split(',').map(str::to_string).collect();
            let d: Vec<u32> = c[1].split('/').map(|x| x.parse().unwrap()).collect();
            c[1] = format!("{}-{:02}-{:02}", d[2], d[0], d[1]);
            c.join(",")
        })
        .collect();
    reformatted.extend(y16.iter().map(|r| r.to_string()));
    let refs: Vec<&String> = reformatted.iter().collect();
    ws.write("exports/2016.csv", &year_file(&header, &refs, ("", "")));
    init(&ws, &["--sales-log", "exports"]).ok();
    let r = shop(&ws, &["run", "-j", "2"]).ok();
    assert_mentions(
        &r.stderr,
        &["2 invoice(s) have lines in both `2014.csv` and `2016.csv`"],
    );
    let all: Vec<&String> = rows.iter().chain(&reformatted[..2]).collect();
    assert_eq!(fact(&ws).height(), gp_cells(&all));

    // A file added later with the renamed column: the star is not rebuilt without its rows.
    let (h17, r17, _) = log(&office(), 32, 120, (2017, 1), 12, 6_000_000);
    let refs: Vec<&String> = r17.iter().collect();
    ws.write(
        "exports/2017.csv",
        &year_file(&h17, &refs, ("Account ID", "Account No")),
    );
    let r = shop(&ws, &["run", "-j", "2"]);
    assert_ne!(r.code, 0);
    assert_mentions(
        &r.stderr,
        &["part_missing_column", "`2017.csv` has no `Account ID`"],
    );
    assert_eq!(fact(&ws).height(), gp_cells(&all), "the last star is kept");
}

#[test]
fn a_holdout_and_a_copy_saved_among_the_exports_are_named_and_left_out() {
    let (header, rows, _) = log(&office(), 41, 120, (2014, 1), 36, 4_000_000);
    let of = |y: i32| rows.iter().filter(|r| year(r) == y).collect::<Vec<_>>();
    let ws = Ws::new("# not the workspace\n");
    for y in [2014, 2015, 2016] {
        ws.write(
            &format!("exports/{y}.csv"),
            &year_file(&header, &of(y), ("", "")),
        );
    }
    // Saved twice by Explorer: the copy sorts first.
    let copy = ws.read("exports/2015.csv");
    ws.write("exports/2015 - Copy.csv", &copy);
    // The holdout saved beside the exports: read as a year of the log, its rows would be
    // trained on, and the log would run into the holdout's window.
    let (_, hrows, _) = log(&office(), 42, 120, (2017, 1), 6, 9_000_000);
    let hrefs: Vec<&String> = hrows.iter().collect();
    ws.write(
        "exports/holdout_2017.csv",
        &year_file(&header, &hrefs, ("", "")),
    );

    let r = init(
        &ws,
        &[
            "--sales-log",
            "exports",
            "--holdout",
            "exports/holdout_2017.csv",
        ],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "the holdout `holdout_2017.csv` (or a copy of it) is in the sales-log folder `exports`: it is not read as part of the log",
            "`2015 - Copy.csv` repeats `2015.csv` byte for byte: a copy, left out",
            "its 3 files (`2014.csv`, `2015.csv`, `2016.csv`)",
        ],
    );
    // A year saved into a subfolder after init: not read, and the run says so each time
    // (the ETL reads the source's copy of the folder, which holds no subfolder: until
    // 2026-12-06 only init named it, and every run left the year out with no word).
    ws.write("exports/archive/2013.csv", &copy);
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "the holdout `holdout_2017.csv` (or a copy of it) is in the sales-log folder",
            "subfolder `archive` of",
            "not read: only partition folders (`year=2021/`) are; if it is part of the log, move its files up (sales_log)",
        ],
    );
    // The log's rows once each, none of the holdout's, and 2015's credited to `2015.csv`.
    let all: Vec<&String> = rows.iter().collect();
    let df = fact(&ws);
    assert_eq!(df.height(), gp_cells(&all));
    let files = df.column("source_file").unwrap().str().unwrap();
    let named: std::collections::BTreeSet<&str> = files.iter().flatten().collect();
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["2014.csv", "2015.csv", "2016.csv"]
    );
    let v = ws.read("shop/outputs/qa/violations.csv");
    assert!(v.contains("copied_part,warning,2015 - Copy.csv,"), "{v}");
    assert!(!v.contains("exact_duplicate"), "{v}");
}
