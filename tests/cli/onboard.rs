//! Your own data: sales logs of shapes `gen-data` never writes, built here, through
//! `gosales init` and `gosales run` to `whitespace.csv`.

use std::fmt::Write as _;

use crate::support::assert_mentions;
use crate::support::Ws;

/// A small deterministic generator (splitmix64), so the logs are the same on every run.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A wide log's shape: divisions and their product columns (GP header, Qty header).
pub(crate) struct Shape {
    divisions: Vec<(&'static str, Vec<(String, String)>)>,
    delimiter: char,
    decimal_comma: bool,
    us_dates: bool,
}

pub(crate) fn days_in(y: i32, m: u32) -> u32 {
    chrono::NaiveDate::from_ymd_opt(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    )
    .unwrap()
    .pred_opt()
    .unwrap()
    .format("%d")
    .to_string()
    .parse()
    .unwrap()
}

/// Rows for `customers` customers from `(y0, m0)` for `months` months: each customer favours a
/// few divisions and buys in them month by month; one row per (order, division), with 1 to 3 of
/// the division's products (split lines), GP with 4 decimals. Returns (header line, rows) and the
/// sum of every GP cell.
pub(crate) fn log(
    shape: &Shape,
    seed: u64,
    customers: usize,
    start: (i32, u32),
    months: u32,
    first_invoice: u64,
) -> (String, Vec<String>, f64) {
    let mut rng = Rng(seed);
    let d = shape.delimiter;
    let mut header = vec![
        "Account ID".to_string(),
        "Invoice Date".into(),
        "Department".into(),
        "Invoice No".into(),
        "Customer Name".into(),
    ];
    for (_, prods) in &shape.divisions {
        for (gp, qty) in prods {
            header.push(gp.clone());
            header.push(qty.clone());
        }
    }
    let width = header.len();
    let mut rows = Vec::new();
    let mut total = 0.0;
    let mut invoice = first_invoice;
    // Each customer's monthly buying propensity per division.
    let prefs: Vec<Vec<f64>> = (0..customers)
        .map(|_| {
            shape
                .divisions
                .iter()
                .map(|_| {
                    if rng.f64() < 0.35 {
                        0.05 + 0.25 * rng.f64()
                    } else {
                        0.005
                    }
                })
                .collect()
        })
        .collect();
    for k in 0..months {
        let (y, m) = (
            start.0 + ((start.1 - 1 + k) / 12) as i32,
            (start.1 - 1 + k) % 12 + 1,
        );
        for (c, pref) in prefs.iter().enumerate() {
            for (di, (dname, prods)) in shape.divisions.iter().enumerate() {
                if rng.f64() >= pref[di] {
                    continue;
                }
                invoice += 1;
                let day = 1 + rng.below(days_in(y, m) as usize) as u32;
                let date = if shape.us_dates {
                    format!("{m}/{day}/{y}")
                } else {
                    format!("{y}-{m:02}-{day:02}")
                };
                let mut cells = vec![String::new(); width];
                cells[0] = format!("{}", 1000 + c);
                cells[1] = date;
                cells[2] = dname.to_string();
                cells[3] = format!("{invoice}");
                cells[4] = format!("Customer {c}");
                for _ in 0..1 + rng.below(3) {
                    let p = rng.below(prods.len());
                    let gp = (rng.f64() * 2000.0 * 10_000.0).round() / 10_000.0;
                    let i = header.iter().position(|h| *h == prods[p].0).unwrap();
                    if !cells[i].is_empty() {
                        continue;
                    }
                    total += gp;
                    let text = format!("{gp:.4}");
                    cells[i] = if shape.decimal_comma {
                        text.replace('.', ",")
                    } else {
                        text
                    };
                    cells[i + 1] = format!("{}", 1 + rng.below(5));
                }
                rows.push(cells.join(&d.to_string()));
            }
        }
    }
    (header.join(&d.to_string()), rows, total)
}

pub(crate) fn office() -> Shape {
    let names = [
        (
            "Paper & Print",
            &[
                "Copy Paper",
                "Envelopes",
                "Labels",
                "Toner",
                "Ink",
                "Binders",
            ][..],
        ),
        (
            "Café Furniture",
            &[
                "Desks",
                "Chairs",
                "Lamps",
                "Shelving",
                "Sofas",
                "Coffee Machines",
            ][..],
        ),
        (
            "Tech Supplies",
            &["Cables", "Mice", "Keyboards", "Monitors", "Headsets"][..],
        ),
    ];
    Shape {
        divisions: names
            .iter()
            .map(|(d, ps)| {
                (
                    *d,
                    ps.iter()
                        .enumerate()
                        // Two header styles in one log: `X GP` + `X Qty`, and `X` + `X_Qty`.
                        .map(|(i, p)| {
                            if i % 2 == 0 {
                                (format!("{p} GP"), format!("{p} Qty"))
                            } else {
                                (p.to_string(), format!("{p}_Qty"))
                            }
                        })
                        .collect(),
                )
            })
            .collect(),
        delimiter: ',',
        decimal_comma: false,
        us_dates: true,
    }
}

fn grocery() -> Shape {
    let depts: [(&str, usize); 8] = [
        ("Boulangerie & Pâtisserie", 3),
        ("Fruit & Veg", 3),
        ("Dairy", 3),
        ("Meat & Fish", 3),
        ("Frozen", 3),
        ("Drinks", 3),
        ("Household", 3),
        ("Baby Care", 2),
    ];
    let mut n = 0;
    Shape {
        divisions: depts
            .iter()
            .map(|(d, k)| {
                (
                    *d,
                    (0..*k)
                        .map(|_| {
                            n += 1;
                            (format!("SKU{n:02}"), format!("SKU{n:02}_Qty"))
                        })
                        .collect(),
                )
            })
            .collect(),
        delimiter: ';',
        decimal_comma: true,
        us_dates: false,
    }
}

pub(crate) fn init(ws: &Ws, args: &[&str]) -> crate::support::Run {
    let mut a = vec!["init", "shop"];
    a.extend_from_slice(args);
    ws.run(&a)
}

pub(crate) fn shop(ws: &Ws, args: &[&str]) -> crate::support::Run {
    let mut a = vec!["-C", "shop"];
    a.extend_from_slice(args);
    ws.run(&a)
}

/// The fact lines wide office rows make: their non-empty GP cells.
pub(crate) fn gp_cells(rows: &[&String]) -> usize {
    rows.iter()
        .map(|r| {
            r.split(',')
                .skip(5)
                .step_by(2)
                .filter(|c| !c.is_empty())
                .count()
        })
        .sum()
}

pub(crate) fn fact_gp_total(ws: &Ws) -> (usize, f64) {
    use polars::prelude::*;
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    let gp: f64 = df
        .column("gross_profit")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .sum();
    (df.height(), gp)
}

#[test]
fn an_office_supplies_log_with_a_holdout_of_its_own_name_onboards_in_two_commands() {
    let shape = office();
    let (header, mut rows, mut total) = log(&shape, 11, 220, (2014, 1), 48, 5_200_000);
    let width = header.split(',').count();
    let line = |date: &str, col: &str, gp: &str| {
        let mut cells = vec![String::new(); width];
        cells[..5].clone_from_slice(&[
            "1003".into(),
            date.into(),
            "Paper & Print".into(),
            "999999".into(),
            "Customer 3".into(),
        ]);
        let i = header.split(',').position(|h| h == col).unwrap();
        cells[i] = gp.into();
        cells[i + 1] = "1".into();
        cells.join(",")
    };
    // One invoice with four lines of one SKU (two licences, a return, a freebie): all real lines.
    for gp in ["120.1234", "120.1235", "-40.5", "0.0001"] {
        rows.push(line("3/14/2016", "Toner", gp));
        total += gp.parse::<f64>().unwrap();
    }
    // A byte-identical line is an exact duplicate: dropped and counted, not a fact line.
    rows.push(rows.last().unwrap().clone());
    // The last day of the log, so the chosen windows are known.
    rows.push(line("12/31/2017", "Ink GP", "10"));
    total += 10.0;
    let mut csv = header.clone() + "\n";
    for r in &rows {
        writeln!(csv, "{r}").unwrap();
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("data/office sales 2014-2017.csv", &csv);
    let (_, mut hrows, _) = log(&shape, 12, 220, (2018, 1), 6, 9_000_000);
    hrows.push(line("6/30/2018", "Ink GP", "10"));
    ws.write(
        "data/office_2018_H1.csv",
        &(header.clone() + "\n" + &hrows.join("\n") + "\n"),
    );

    let r = init(
        &ws,
        &[
            "--sales-log",
            "data/office sales 2014-2017.csv",
            "--holdout",
            "data/office_2018_H1.csv",
        ],
    )
    .ok();
    let out = &r.stderr;
    assert_mentions(
        out,
        &[
            "customer_id `Account ID`, order_date `Invoice Date`, division `Department`",
            "17 GP/Qty column pairs in 3 divisions",
            "Paper & Print: Copy Paper GP, Envelopes, Labels GP, Toner, Ink GP, Binders",
            "label window 6 months",
            "2016-06-30",
            "`latest` = 2017-12-31",
            "validation labels from (2017-12-31, 2018-06-30]",
            "gosales -C shop run",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains("Coffee Machines,Coffee Machines_Qty,Café Furniture"),
        "{map}"
    );
    assert!(ws
        .read("shop/stages/labels.yaml")
        .contains("window_months: 6"));

    // Without --force, nothing is overwritten.
    let before = ws.read("shop/pipeline.yaml");
    ws.write("shop/stages/labels.yaml", "window_months: 3\n");
    let r = init(&ws, &["--sales-log", "data/office sales 2014-2017.csv"]).code(2);
    assert!(
        r.stderr.contains("already has") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("shop/pipeline.yaml"), before);
    assert_eq!(ws.read("shop/stages/labels.yaml"), "window_months: 3\n");
    init(
        &ws,
        &[
            "--sales-log",
            "data/office sales 2014-2017.csv",
            "--holdout",
            "data/office_2018_H1.csv",
            "--force",
        ],
    )
    .ok();
    assert_eq!(ws.read("shop/pipeline.yaml"), before);

    shop(&ws, &["run", "-j", "2"]).ok();
    assert!(ws.read("shop/outputs/whitespace.csv").lines().count() > 10);
    // The holdout is published under its own name and validated with the labels' window.
    assert!(ws
        .path("shop/outputs/sales_log/office_2018_H1.csv")
        .is_file());
    let v: serde_json::Value = serde_json::from_str(
        &ws.read("shop/outputs/validate/Tech Supplies/validation_metrics_Tech Supplies.json"),
    )
    .unwrap();
    assert_eq!(v["label_params"]["window_months"], 6, "{v:#}");
    assert_eq!(v["window_end"], "2018-06-30");
    // Every raw line is a fact line, and GP sums to the raw total to the cent.
    let (lines, gp) = fact_gp_total(&ws);
    let kept: Vec<&String> = rows[..rows.len() - 2].iter().chain(rows.last()).collect();
    let raw_lines = gp_cells(&kept);
    assert_eq!(lines, raw_lines);
    assert_eq!(
        (gp * 100.0).round(),
        (total * 100.0).round(),
        "{gp} vs {total}"
    );
    // A second run is a no-op.
    let r = shop(&ws, &["run", "--json"]).ok();
    assert!(crate::support::with_status(&r.json(), "built").is_empty());
}

#[test]
fn a_semicolon_grocery_log_with_eight_departments_gets_a_three_month_window() {
    let shape = grocery();
    let (header, mut rows, _) = log(&shape, 5, 90, (2016, 1), 24, 1);
    // The last day of the log, so the chosen windows are known.
    let mut last: Vec<String> = vec![String::new(); header.split(';').count()];
    last[..5].clone_from_slice(&[
        "1001".into(),
        "2017-12-31".into(),
        "Dairy".into(),
        "77777".into(),
        "Customer 1".into(),
    ]);
    let i = header.split(';').position(|h| h == "SKU07").unwrap();
    last[i] = "5,25".into();
    last[i + 1] = "1".into();
    rows.push(last.join(";"));
    let ws = Ws::new("# not the workspace\n");
    ws.write("groceries.csv", &(header + "\n" + &rows.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "groceries.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "23 GP/Qty column pairs in 8 divisions",
            "Boulangerie & Pâtisserie: SKU01, SKU02, SKU03",
            "label window 3 months",
            "2017-03-31",
            "holdout      none",
        ],
    );
    let p = ws.read("shop/pipeline.yaml");
    assert!(
        !p.contains("holdout_star") && !p.contains("stage: validate"),
        "{p}"
    );
    shop(&ws, &["run", "--target", "whitespace", "-j", "2"]).ok();
    let ranked = ws.read("shop/outputs/whitespace.csv");
    assert!(
        ranked.contains("Pâtisserie"),
        "{}",
        &ranked[..ranked.len().min(2000)]
    );
}

#[test]
fn a_log_init_cannot_read_is_refused_with_what_it_looked_for_and_nothing_written() {
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "no_dates.csv",
        "Account ID,Region,Paper,Paper_Qty\n1,North,10,1\n",
    );
    let r = init(&ws, &["--sales-log", "no_dates.csv"]).code(2);
    assert!(
        r.stderr.contains("no date column") && r.stderr.contains("`Region`"),
        "{}",
        r.stderr
    );
    assert!(!ws.path("shop/pipeline.yaml").exists());
    ws.write(
        "no_products.csv",
        "Account ID,Date,Sales,Freight\n1,2016-01-01,10,1\n",
    );
    let r = init(&ws, &["--sales-log", "no_products.csv"]).code(2);
    assert!(
        r.stderr.contains("no product columns") && r.stderr.contains("`Sales`"),
        "{}",
        r.stderr
    );
    ws.write("no_customer.csv", "Date,Paper,Paper_Qty\n2016-01-01,10,1\n");
    let r = init(&ws, &["--sales-log", "no_customer.csv"]).code(2);
    assert!(r.stderr.contains("no customer id column"), "{}", r.stderr);
    let r = init(&ws, &["--sales-log", "missing.csv"]).code(2);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    // Not even the directory it would have written into.
    assert!(!ws.path("shop").exists());
}

#[test]
fn init_reads_its_paths_from_dash_c_and_refuses_a_manifest_it_would_not_write() {
    let ws = Ws::new("# not the workspace\n");
    let (header, rows, _) = log(&office(), 5, 60, (2014, 1), 36, 1_000);
    ws.write(
        "exports/log.csv",
        &(header + "\n" + &rows.join("\n") + "\n"),
    );
    // As `make -C`: the log and the workspace are both read from `exports/`.
    let r = ws
        .run(&["-C", "exports", "init", "my shop", "--sales-log", "log.csv"])
        .ok();
    assert!(ws.path("exports/my shop/pipeline.yaml").exists());
    assert!(!ws.path("my shop").exists());
    // The next command, pasted where the user stands: `gosales -C my shop run` did not run,
    // nor did `-C shop` from outside `exports/`.
    assert!(
        r.stderr
            .contains("next:\n  gosales -C 'exports/my shop' run\n"),
        "{}",
        r.stderr
    );
    ws.run(&["-C", "exports/my shop", "status"]).ok();
    let r = ws
        .run(&[
            "--manifest",
            "other.yaml",
            "init",
            "shop2",
            "--sales-log",
            "exports/log.csv",
        ])
        .code(2);
    assert!(
        r.stderr.contains("--manifest other.yaml") && r.stderr.contains("init writes"),
        "{}",
        r.stderr
    );
    assert!(!ws.path("shop2").exists());
}

/// `6/30/2016` as `30/06/2016`: the same log written the British way.
fn day_first(row: &str) -> String {
    let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
    let (m, rest) = cells[1].split_once('/').unwrap();
    let (d, y) = rest.split_once('/').unwrap();
    cells[1] = format!("{d:0>2}/{m:0>2}/{y}");
    cells.join(",")
}

#[test]
fn a_day_first_log_is_read_day_first_never_swapped_or_dropped() {
    let (header, rows, total) = log(&office(), 21, 120, (2015, 1), 36, 1);
    let uk: Vec<String> = rows.iter().map(|r| day_first(r)).collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write("uk sales.csv", &(header + "\n" + &uk.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "uk sales.csv"]).ok();
    assert!(
        r.stderr.contains("read day first (D/M/YYYY)"),
        "{}",
        r.stderr
    );
    let etl = ws.read("shop/stages/etl.yaml");
    assert!(etl.contains("date_order: dmy"), "{etl}");
    shop(&ws, &["run", "--target", "star"]).ok();
    // Every row loaded, on its own day: 05/06 is the 5th of June, not the 6th of May.
    let (facts, gp) = fact_gp_total(&ws);
    assert!(
        (gp - total).abs() < 0.005,
        "facts {gp} against the log's {total}"
    );
    let first_uk = uk.iter().find(|r| r.contains("/01/2015")).unwrap();
    let when = first_uk.split(',').nth(1).unwrap();
    let iso = format!("2015-01-{}", &when[..2]);
    let dates = {
        use polars::prelude::*;
        let f =
            std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        let c = df
            .column("order_date")
            .unwrap()
            .cast(&DataType::String)
            .unwrap();
        c.str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(dates.len(), facts);
    assert!(dates.contains(&iso), "{iso} missing");
    assert!(dates
        .iter()
        .all(|d| d.as_str() >= "2015-01-01" && d.as_str() <= "2017-12-31"));
    // Read month first instead, the same log is refused with the fix first, not half loaded.
    ws.write(
        "shop/stages/etl.yaml",
        &etl.replace("date_order: dmy", "date_order: mdy"),
    );
    let r = shop(&ws, &["run", "--target", "star"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("set `date_order: dmy`"), "{}", r.stderr);
    let v = ws.read("shop/cache/failed/star/outputs/qa/violations.csv");
    assert!(
        v.contains("set `date_order: dmy`"),
        "{}",
        &v[v.len().saturating_sub(3000)..]
    );
}

#[test]
fn a_day_first_part_of_a_holdout_folder_is_named_by_init_and_read_its_way() {
    // Three years month first; the holdout a folder of two quarters, the second saved day first.
    let (header, rows, _) = log(&office(), 22, 80, (2015, 1), 36, 1);
    let (_, q1, q1_gp) = log(&office(), 23, 80, (2018, 1), 3, 900_000);
    let (_, q2, q2_gp) = log(&office(), 24, 80, (2018, 4), 3, 950_000);
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &rows.join("\n") + "\n"),
    );
    ws.write(
        "hold/q1.csv",
        &(header.clone() + "\n" + &q1.join("\n") + "\n"),
    );
    let uk: Vec<String> = q2.iter().map(|r| day_first(r)).collect();
    ws.write("hold/q2.csv", &(header + "\n" + &uk.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "log.csv", "--holdout", "hold"]).ok();
    assert!(
        r.stderr
            .contains("the holdout's `q2.csv` writes its dates day first (D/M/YYYY)"),
        "{}",
        r.stderr
    );
    shop(&ws, &["run", "--target", "holdout_star"]).ok();
    let gp: f64 = {
        use polars::prelude::*;
        let f = std::fs::File::open(ws.path("shop/outputs/holdout/star/fact_transactions.parquet"))
            .unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        df.column("gross_profit")
            .unwrap()
            .f64()
            .unwrap()
            .sum()
            .unwrap()
    };
    assert!(
        (gp - q1_gp - q2_gp).abs() < 0.01,
        "{gp} against {}",
        q1_gp + q2_gp
    );
}

#[test]
fn a_day_first_log_billed_on_the_first_twelve_days_is_read_day_first_by_its_order() {
    // Every invoice dated the 1st to the 12th: no date reads only one way. Sorted by date,
    // read day first the dates run forward; read month first they jump back at each month
    // (a tester's such log moved every sale, a range ending 2017-12-11, not 2017-11-12).
    let (header, rows, _) = log(&office(), 23, 60, (2015, 1), 35, 1);
    let mut dated: Vec<((u32, u32, u32), String)> = rows
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = r.split(',').map(str::to_string).collect();
            let mut p = cells[1].split('/').map(|x| x.parse::<u32>().unwrap());
            let (m, d, y) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
            let d = (d - 1) % 12 + 1;
            cells[1] = format!("{d:02}/{m:02}/{y}");
            ((y, m, d), cells.join(","))
        })
        .collect();
    dated.sort_by_key(|(k, _)| *k);
    let sorted: Vec<&str> = dated.iter().map(|(_, r)| r.as_str()).collect();
    let last = dated.last().unwrap().0;
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "early.csv",
        &(header.clone() + "\n" + &sorted.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "early.csv"]).ok();
    assert!(
        r.stderr
            .contains("in the file's order they run in order read day first"),
        "{}",
        r.stderr
    );
    assert!(ws.read("shop/stages/etl.yaml").contains("date_order: dmy"));
    let through = format!("to {}-{:02}-{:02}", last.0, last.1, last.2);
    assert!(r.stderr.contains(&through), "{through} in {}", r.stderr);
    // Sorted by customer instead, nothing tells: month first, the default, and said so.
    let mut by_customer = sorted.clone();
    by_customer.sort_by_key(|r| r.split(',').next().unwrap().to_string());
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "early.csv",
        &(header + "\n" + &by_customer.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "early.csv"]).ok();
    assert!(r.stderr.contains("no sampled date tells"), "{}", r.stderr);
}

#[test]
fn a_holdout_starting_weeks_after_the_log_ends_is_named_before_the_run() {
    // The log ends in December 2017, the holdout starts in March 2018: validation labels
    // count from January, so the holdout's buyers of the first two months are missing.
    let (header, rows, _) = log(&grocery(), 8, 90, (2016, 1), 24, 1);
    let (_, hrows, _) = log(&grocery(), 9, 90, (2018, 3), 6, 500_000);
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &rows.join("\n") + "\n"),
    );
    ws.write("holdout.csv", &(header + "\n" + &hrows.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "log.csv", "--holdout", "holdout.csv"]).ok();
    assert!(
        r.stderr.contains("so its buyers are censored at the start"),
        "{}",
        r.stderr
    );
    // Said once, though the holdout is profiled more than once.
    assert_eq!(r.stderr.matches("censored at the start").count(), 1);
    // And the window's rule does not claim the holdout holds the window (it said "inside").
    assert!(
        r.stderr.contains("with the holdout reaching one window past the scoring cutoff (it starts late: see the note below)")
            && !r.stderr.contains("inside the holdout"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_holdout_decides_the_date_order_when_the_log_cannot() {
    // ISO dates in the log say nothing of day or month; the holdout writes 30/06/2018.
    let (header, rows, _) = log(&grocery(), 8, 90, (2016, 1), 24, 1);
    let (_, hrows, _) = log(&grocery(), 9, 90, (2018, 1), 6, 500_000);
    let uk = |r: &String| {
        let mut cells: Vec<String> = r.split(';').map(str::to_string).collect();
        let (y, rest) = cells[1].split_once('-').unwrap();
        let (m, d) = rest.split_once('-').unwrap();
        cells[1] = format!("{d}/{m}/{y}");
        cells.join(";")
    };
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &rows.join("\n") + "\n"),
    );
    let hold: Vec<String> = hrows.iter().map(uk).collect();
    ws.write("holdout.csv", &(header + "\n" + &hold.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "log.csv", "--holdout", "holdout.csv"]).ok();
    assert!(
        r.stderr.contains("the holdout's read day first"),
        "{}",
        r.stderr
    );
    assert!(ws.read("shop/stages/etl.yaml").contains("date_order: dmy"));
    shop(&ws, &["run", "--target", "holdout_star"]).ok();
    let v = ws.read("shop/outputs/holdout/qa/violations.csv");
    assert!(!v.contains("unparseable_date"), "{v}");
}

#[test]
fn a_product_column_that_never_sold_is_named_as_such() {
    // A product the log has a column for but no sale of (a line not yet launched, or only in
    // the holdout): init cannot know its division and says why, not "no division value".
    let (header, rows, _) = log(&grocery(), 8, 90, (2016, 1), 24, 1);
    // Two of them: they share one division, not a division (and its models) apiece.
    let rows: Vec<String> = rows.iter().map(|r| format!("{r};;;;")).collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header + ";Gift Cards;Gift Cards_Qty;Vouchers;Vouchers_Qty\n" + &rows.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "log.csv"]).ok();
    assert!(
        r.stderr.contains(
            "2 product(s) have no sales in the log (`Gift Cards`, `Vouchers`): they share the division `No sales in the log`"
        ),
        "{}",
        r.stderr
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains("Gift Cards,Gift Cards_Qty,No sales in the log,")
            && map.contains("Vouchers,Vouchers_Qty,No sales in the log,"),
        "{map}"
    );
    // It runs: the shared division's model is skipped, and the run says so once.
    let r = shop(&ws, &["run", "-j", "2"]).ok();
    assert!(
        r.stderr
            .contains("warning   No sales in the log: no model, so not scored"),
        "{}",
        r.stderr
    );
}

#[test]
fn ids_padded_with_zeros_in_older_exports_are_one_customer_with_the_newer_ones() {
    // Until 2015 the ERP wrote `001007`; after a migration, `1007`. Before, init noted it and
    // every run loaded two customers for each, half the history each, without a word.
    let (header, rows, _) = log(&office(), 51, 90, (2014, 1), 36, 3_000_000);
    let padded: Vec<String> = rows
        .iter()
        .map(|r| {
            let (id, rest) = r.split_once(',').unwrap();
            let year: i32 = rest
                .split(',')
                .next()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            if year < 2016 {
                format!("00{id},{rest}")
            } else {
                r.clone()
            }
        })
        .collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &padded.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "log.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["customer id(s) are written both with and without leading zeros (`001000` and `1000`"],
    );
    assert!(ws
        .read("shop/stages/etl.yaml")
        .contains("customer_id_leading_zeros: strip"));
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let f = std::fs::File::open(ws.path("shop/outputs/star/dim_customer.parquet")).unwrap();
    use polars::prelude::SerReader;
    let dim = polars::prelude::ParquetReader::new(f).finish().unwrap();
    let ids: std::collections::BTreeSet<String> = rows
        .iter()
        .map(|r| r.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(dim.height(), ids.len());

    // Told to keep them apart, the run says what that does.
    let etl = ws.read("shop/stages/etl.yaml").replace(
        "customer_id_leading_zeros: strip",
        "customer_id_leading_zeros: keep",
    );
    ws.write("shop/stages/etl.yaml", &etl);
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &r.stderr,
        &["customer id(s) differ from another only in leading zeros (`001000` and `1000`): each is a customer of its own"],
    );
}

#[test]
fn the_generated_log_onboards_without_a_key_sku_it_never_sold_or_a_division_called_too_rare() {
    // gen-data's wide log: `Success Plan GP` shares `Success_Plan_Qty` and never holds a GP, so
    // the star books no line to it; init proposed it as a key SKU and every features instance
    // warned. Its `Scanning` rows were said "too rare to be a division" beside a division
    // `Scanning` of the proposed map.
    let ws = Ws::new("# not the workspace\n");
    ws.run(&["gen-data", "--customers", "400", "--out", "gen"])
        .ok();
    let r = init(&ws, &["--sales-log", "gen/Sales_Log.csv"]).ok();
    let key_line = r
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("key SKUs"))
        .unwrap_or_default()
        .to_string();
    assert!(!key_line.contains("Success Plan GP"), "{key_line}");
    assert!(
        !r.stderr.contains("too rare to be a division (`Scanning`"),
        "{}",
        r.stderr
    );
    let run = shop(&ws, &["run", "-j", "2", "--target", "features@Solidworks"]).ok();
    assert!(!run.stderr.contains("never sold"), "{}", run.stderr);
}

#[test]
fn a_log_missing_months_is_named_by_init() {
    // Five months without a line in a log of sales most days: missing data, or a business
    // that stopped; either way the features read it as months of no purchase.
    let (header, rows, _) = log(&grocery(), 8, 90, (2016, 1), 24, 1);
    let kept: Vec<&String> = rows
        .iter()
        .filter(|r| {
            let date = r.split(';').nth(1).unwrap();
            !("2016-06" <= &date[..7] && &date[..7] <= "2016-10")
        })
        .collect();
    assert!(kept.len() < rows.len());
    let ws = Ws::new("# not the workspace\n");
    let body: Vec<&str> = kept.iter().map(|r| r.as_str()).collect();
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &body.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "log.csv"]).ok();
    assert_mentions(&r.stderr, &["`log.csv` has no sale from 2016-0"]);
    assert!(r.stderr.contains("to 2016-10-"), "{}", r.stderr);
    // The whole log: no such note.
    let ws = Ws::new("# not the workspace\n");
    ws.write("log.csv", &(header + "\n" + &rows.join("\n") + "\n"));
    let r = init(&ws, &["--sales-log", "log.csv"]).ok();
    assert!(!r.stderr.contains("has no sale from"), "{}", r.stderr);
}

#[test]
fn a_numeric_column_with_no_quantity_is_offered_with_a_blank_qty_column() {
    // `Freight` has no `Freight_Qty`: init offered `Freight,Freight_Qty,...`, which loaded it
    // with a `missing_product_column` violation on every run.
    let (header, rows, _) = log(&office(), 13, 120, (2014, 1), 48, 5_300_000);
    let mut csv = header.clone() + ",Freight\n";
    for r in &rows {
        writeln!(csv, "{r},12.50").unwrap();
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("data/log.csv", &csv);
    let r = init(&ws, &["--sales-log", "data/log.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "not placed   `Freight`: numeric, but no Qty column beside it",
            "to load it (its GP, with no quantity), add to stages/sku_map.csv:\n                 Freight,,<division>,,,\n",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv") + "Freight,,Paper & Print,,,\n";
    ws.write("shop/stages/sku_map.csv", &map);
    shop(&ws, &["run", "--target", "star"]).ok();
    let v = ws.read("shop/outputs/qa/violations.csv");
    assert!(!v.contains("Freight"), "{v}");
    let (lines, _) = fact_gp_total(&ws);
    assert!(lines > gp_cells(&rows.iter().collect::<Vec<_>>()));
}

#[test]
fn a_holdout_repeating_the_logs_last_days_is_named_as_such_and_duplicates_say_their_gp() {
    // A holdout exported from December 1st repeats the log's December: nothing to move (a
    // tester was told to cut the log, and lose a month of training). A log row repeated byte
    // for byte is dropped, and the note says what GP that takes.
    let (header, mut rows, _) = log(&grocery(), 8, 90, (2016, 1), 24, 1);
    let (_, hrows, _) = log(&grocery(), 9, 90, (2018, 1), 6, 500_000);
    let december: Vec<String> = rows
        .iter()
        .filter(|r| {
            r.split(';')
                .nth(1)
                .is_some_and(|d| d.starts_with("2017-12"))
        })
        .cloned()
        .collect();
    assert!(december.len() > 10);
    let copies: Vec<String> = december.iter().chain(&hrows).cloned().collect();
    rows.push(rows[5].clone());
    let ws = Ws::new("# not the workspace\n");
    ws.write(
        "log.csv",
        &(header.clone() + "\n" + &rows.join("\n") + "\n"),
    );
    ws.write(
        "holdout.csv",
        &(header.clone() + "\n" + &copies.join("\n") + "\n"),
    );
    let r = init(&ws, &["--sales-log", "log.csv", "--holdout", "holdout.csv"]).ok();
    let out = crate::support::one_line(&r.stderr);
    assert!(
        out.contains(&format!(
            "its {} rows dated up to 2017-12-31 are as many, day by day, as the log's own (an export from an earlier day, repeating them)",
            december.len()
        )) && !out.contains("move them there"),
        "{out}"
    );
    assert!(
        out.contains("1 rows repeat an earlier row byte for byte: they are dropped as export duplicates (GP "),
        "{out}"
    );
    // A holdout whose December is not the log's is still told to move or cut.
    let other: Vec<String> = december[1..].iter().chain(&hrows).cloned().collect();
    ws.write("holdout.csv", &(header + "\n" + &other.join("\n") + "\n"));
    std::fs::remove_dir_all(ws.path("shop")).unwrap();
    let r = init(&ws, &["--sales-log", "log.csv", "--holdout", "holdout.csv"]).ok();
    let out = crate::support::one_line(&r.stderr);
    assert!(out.contains("move them there"), "{out}");
}
