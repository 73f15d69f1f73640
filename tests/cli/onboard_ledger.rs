//! What a ledger's lines mean beyond their columns' names: the division each line is booked
//! to, and what a line's money is.

use polars::prelude::*;

use crate::onboard::{init, shop};
use crate::onboard_lines::{erp_lines, ERP_ITEMS};
use crate::support::{assert_mentions, Ws};

fn facts(ws: &Ws) -> DataFrame {
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    ParquetReader::new(f).finish().unwrap()
}

/// `erp_lines`' log with the `Business Unit` of the rows `rebook` picks (row index, cells)
/// changed to `to`, and each file line's (item, unit) as booked.
fn rebooked(
    seed: u64,
    rebook: impl Fn(usize, &[String]) -> bool,
    to: &str,
) -> (String, std::collections::BTreeMap<i64, (String, String)>) {
    let (log, _, _) = erp_lines(seed, 160, (2015, 1), 36, ERP_ITEMS);
    let mut booked = std::collections::BTreeMap::new();
    let mut out = String::new();
    for (i, l) in log.lines().enumerate() {
        let mut c: Vec<String> = l.split(';').map(str::to_string).collect();
        if i > 0 && rebook(i, &c) {
            c[2] = to.to_string();
        }
        // The file line of row `i` is `i + 1`: the star's `source_row`.
        booked.insert(i as i64 + 1, (c[4].clone(), c[2].clone()));
        out += &(c.join(";") + "\n");
    }
    (out, booked)
}

/// Every fact line is in the unit its row was booked to; how many of `item` are in `unit`.
fn assert_booked(
    ws: &Ws,
    booked: &std::collections::BTreeMap<i64, (String, String)>,
    (item, unit): (Option<&str>, &str),
) -> usize {
    let df = facts(ws);
    let row = df.column("source_row").unwrap().i64().unwrap();
    let sku = df.column("product_sku").unwrap().str().unwrap();
    let div = df.column("product_division").unwrap().str().unwrap();
    let mut n = 0;
    for i in 0..df.height() {
        let (b_item, b_unit) = &booked[&row.get(i).unwrap()];
        assert_eq!(
            (sku.get(i).unwrap(), div.get(i).unwrap()),
            (b_item.as_str(), b_unit.as_str())
        );
        n += usize::from(item.is_none_or(|x| x == b_item) && b_unit == unit);
    }
    n
}

#[test]
fn a_line_booked_to_another_division_stays_in_the_division_its_row_names() {
    // A third of `Grinder Service`'s lines are booked to the division of the deal they came
    // with (`Food Service`), as an ERP books a service sold with a machine.
    let (out, booked) = rebooked(
        3,
        |i, c| c[4] == "Grinder Service" && i % 3 == 0,
        "Food Service",
    );
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "1 product(s) are booked to more than one division (`Grinder Service`): a line booked to a division of the map stays there",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains(
            "Grinder Service,Units,Equipment Care,Equipment Care,,Food Service=Food Service"
        ),
        "{map}"
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let moved = assert_booked(&ws, &booked, (Some("Grinder Service"), "Food Service"));
    assert!(moved > 20, "{moved}");
}

#[test]
fn a_log_of_revenue_and_cost_loads_their_difference_as_gp() {
    // The ERP export without its margin column: revenue and cost of each line, some at a loss.
    let (log, total, rows) = erp_lines(5, 120, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::from(
        "Customer No;Posting Date;Business Unit;Document No;Item;Units;Revenue;Cost\n",
    );
    for l in log.lines().skip(1) {
        let c: Vec<&str> = l.split(';').collect();
        let num = |s: &str| s.replace(',', ".").parse::<f64>().unwrap();
        let (gp, revenue) = (num(c[6]), num(c[7]));
        let cost = format!("{:.4}", revenue - gp).replace('.', ",");
        out += &format!("{};{};{}\n", c[..6].join(";"), c[7], cost);
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["GP = `Revenue` less `Cost`: no GP column, so each line's GP is its revenue less its cost"],
    );
    assert!(ws.read("shop/stages/etl.yaml").contains("cost: [\"Cost\"]"));
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let (facts, gp) = crate::onboard::fact_gp_total(&ws);
    assert_eq!(facts, rows);
    assert!((gp - total).abs() < 0.01, "star GP {gp}, true GP {total}");
}

/// `erp_lines`' rows with every weekend sale moved to the Friday before: a business closed on
/// weekends.
fn weekdays_only(log: &str) -> String {
    use chrono::{Datelike, NaiveDate, Weekday};
    let mut out = String::new();
    for (i, l) in log.lines().enumerate() {
        let mut c: Vec<String> = l.split(';').map(str::to_string).collect();
        if i > 0 {
            let d: NaiveDate = c[1].parse().unwrap();
            let back = match d.weekday() {
                Weekday::Sat => 1,
                Weekday::Sun => 2,
                _ => 0,
            };
            c[1] = (d - chrono::Days::new(back)).to_string();
        }
        out += &(c.join(";") + "\n");
    }
    out
}

#[test]
fn a_weekday_business_whose_log_ends_on_the_friday_before_a_weekend_month_end_keeps_its_windows() {
    // 2017-12-30/31 and 2018-06-30 are a weekend: the log's last sale is Friday 2017-12-29, the
    // holdout's Friday 2018-06-29.
    let log = weekdays_only(&erp_lines(3, 160, (2015, 1), 36, ERP_ITEMS).0);
    let holdout = weekdays_only(&erp_lines(4, 160, (2018, 1), 6, ERP_ITEMS).0);
    assert!(log.contains(";2017-12-29;") && !log.contains(";2017-12-3"));
    assert!(holdout.contains(";2018-06-29;") && !holdout.contains(";2018-06-30;"));
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &log);
    ws.write("holdout.csv", &holdout);
    let r = init(
        &ws,
        &["--sales-log", "lines.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "`lines.csv` ends on 2017-12-29 (Friday), and the business sells no weekends",
            "it runs through 2017-12-31",
            "`holdout.csv` ends on 2018-06-29 (Friday)",
            "label window 6 months",
            "validation labels from (2017-12-31, 2018-06-30]",
        ],
    );
    assert!(ws
        .read("shop/stages/etl.yaml")
        .contains("closed_on_weekends: true"));
    shop(&ws, &["run", "-j", "2"]).ok();
    let extent = ws.read("shop/outputs/star/extent.json");
    assert!(
        extent.contains("\"data_through\": \"2017-12-31\""),
        "{extent}"
    );
    // The last training window ends on that Sunday: whole, not censored.
    let cutoff = ws.read("shop/outputs/labels/Food Service/2017-06-30/cutoff.json");
    assert!(cutoff.contains("\"censored\": false"), "{cutoff}");
    let metrics =
        ws.read("shop/outputs/validate/Food Service/validation_metrics_Food Service.json");
    assert!(
        metrics.contains("\"window_end\": \"2018-06-30\""),
        "{metrics}"
    );
    assert!(metrics.contains("\"censored_end\": false"), "{metrics}");
}

#[test]
fn a_weekday_log_is_not_stretched_over_the_weekend_its_holdout_sold_on() {
    // The log's last sale is Friday 2017-12-29; the holdout's first rows are on Saturday
    // 2017-12-30. Stretched through 2017-12-31, the log left those rows out of validation.
    let log = weekdays_only(&erp_lines(3, 160, (2015, 1), 36, ERP_ITEMS).0);
    let mut holdout = String::new();
    for (i, l) in weekdays_only(&erp_lines(4, 160, (2018, 1), 6, ERP_ITEMS).0)
        .lines()
        .enumerate()
    {
        let mut c: Vec<String> = l.split(';').map(str::to_string).collect();
        if (1..=5).contains(&i) {
            c[1] = "2017-12-30".to_string();
        }
        holdout += &(c.join(";") + "\n");
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &log);
    ws.write("holdout.csv", &holdout);
    let r = init(
        &ws,
        &["--sales-log", "lines.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert!(
        !r.stderr.contains("`lines.csv` ends on 2017-12-29 (Friday)"),
        "{}",
        r.stderr
    );
    assert_mentions(&r.stderr, &["validation labels from (2017-12-29, "]);
}

#[test]
fn a_log_cut_at_a_month_end_after_a_quiet_fortnight_runs_through_it_beside_its_holdout() {
    // No sale from 2017-12-18 (a holiday fortnight), the holdout from the new year's first
    // week: the extract was cut at 2017-12-31. Before, `latest` was the last sale, the holdout's window
    // started two weeks before it did, and every division failed `label_window_covered`.
    let quiet = |log: &str, from: &str, to: &str| -> String {
        log.lines()
            .enumerate()
            .filter(|(i, l)| {
                *i == 0 || {
                    let d = l.split(';').nth(1).unwrap();
                    !(from..=to).contains(&d)
                }
            })
            .map(|(_, l)| format!("{l}\n"))
            .collect()
    };
    let log = quiet(
        &erp_lines(3, 160, (2015, 1), 36, ERP_ITEMS).0,
        "2017-12-18",
        "2017-12-31",
    );
    let holdout = quiet(
        &erp_lines(4, 160, (2018, 1), 6, ERP_ITEMS).0,
        "2018-01-01",
        "2018-01-02",
    );
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &log);
    ws.write("holdout.csv", &holdout);
    let r = init(
        &ws,
        &["--sales-log", "lines.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "the log was cut at 2017-12-31",
            "`latest` = 2017-12-31 (the month-end the sales log was cut at",
            "validation labels from (2017-12-31, 2018-06-30]",
        ],
    );
    assert!(ws
        .read("shop/stages/etl.yaml")
        .contains("data_through: \"2017-12-31\""));
    shop(&ws, &["run", "-j", "2"]).ok();
    let extent = ws.read("shop/outputs/star/extent.json");
    assert!(
        extent.contains("\"data_through\": \"2017-12-31\""),
        "{extent}"
    );
    // The holdout, read with the same params, runs past that day: no extent of its own.
    assert!(!ws.path("shop/outputs/holdout/star/extent.json").exists());
    let metrics =
        ws.read("shop/outputs/validate/Food Service/validation_metrics_Food Service.json");
    assert!(
        metrics.contains("\"scoring_cutoff\": \"2017-12-31\""),
        "{metrics}"
    );
    assert!(metrics.contains("\"censored\": false"), "{metrics}");
}

#[test]
fn a_log_silent_for_longer_than_it_ever_was_is_read_to_its_last_sale() {
    // A log of sales every few days, cut a month early (its last 29 days missing): read
    // through the month-end, the last cutoff's labels were called whole and 102 of a tester's
    // missed their sales with no word.
    let log: String = erp_lines(3, 160, (2015, 1), 36, ERP_ITEMS)
        .0
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.split(';').nth(1).unwrap() < "2017-12-03")
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let holdout = erp_lines(4, 160, (2018, 1), 6, ERP_ITEMS).0;
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &log);
    ws.write("holdout.csv", &holdout);
    let r = init(
        &ws,
        &["--sales-log", "lines.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    let text = r.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace(" │ ", " ");
    assert!(
        text.contains("the log was never that long without a sale before")
            && text.contains("set stages/etl.yaml `data_through: 2017-12-31`"),
        "{text}"
    );
    assert!(!ws.read("shop/stages/etl.yaml").contains("data_through: \""));
}

#[test]
fn rows_dropped_for_a_blank_id_are_counted_on_the_run_console() {
    let (log, _, rows) = erp_lines(6, 80, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::new();
    for (i, l) in log.lines().enumerate() {
        // Every 50th row's customer id blank, as exports write a line whose account was purged.
        if i > 0 && i % 50 == 0 {
            out += &format!(";{}\n", l.split_once(';').unwrap().1);
        } else {
            out += &format!("{l}\n");
        }
    }
    let blank = rows / 50;
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    init(&ws, &["--sales-log", "lines.csv"]).ok();
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &r.stderr,
        &[&format!(
            "{blank} of {rows} rows dropped: {blank} for a blank customer id (`null_customer_id`)"
        )],
    );
}

#[test]
fn returns_flagged_or_of_negative_quantity_with_unsigned_gp_load_as_returns() {
    // Every 20th line is returned a few days later with the same positive GP: marked by a
    // yes/no `Is Return` column in one export, by a negative quantity in another.
    let (log, total, rows) = erp_lines(8, 120, (2015, 1), 30, ERP_ITEMS);
    let (mut flagged, mut by_qty) = (String::new(), String::new());
    let mut returned = 0.0;
    for (i, l) in log.lines().enumerate() {
        if i == 0 {
            flagged += &format!("{l};Is Return\n");
            by_qty += &format!("{l}\n");
            continue;
        }
        flagged += &format!("{l};N\n");
        by_qty += &format!("{l}\n");
        if i % 20 == 0 {
            // Customer No;Posting Date;Business Unit;Document No;Item;Units;Gross Margin;Revenue
            let c: Vec<&str> = l.split(';').collect();
            returned += c[6].replace(',', ".").parse::<f64>().unwrap();
            let rest = format!("{};RT{i};{}", c[..3].join(";"), c[4..].join(";"));
            flagged += &format!("{rest};Y\n");
            by_qty += &format!(
                "{};RT{i};{};-{};{}\n",
                c[..3].join(";"),
                c[4],
                c[5],
                c[6..].join(";")
            );
        }
    }
    let returns = rows / 20;
    let truth = total - returned;
    for (text, said) in [
        (
            flagged,
            format!("`Is Return` marks credits (`Y` {returns} rows) whose amounts are written positive"),
        ),
        (
            by_qty,
            format!("{returns} lines of the log have a negative quantity and a positive GP: returns whose GP is written unsigned, read as negative"),
        ),
    ] {
        let ws = Ws::new("# not the workspace\n");
        ws.write("lines.csv", &text);
        let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
        assert_mentions(&r.stderr, &[&said]);
        shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
        let (facts, gp) = crate::onboard::fact_gp_total(&ws);
        assert_eq!(facts, rows + returns);
        assert!((gp - truth).abs() < 0.01, "star GP {gp}, true {truth}");
    }
}

#[test]
fn a_returns_file_beside_the_sales_loads_as_credits() {
    // `returns.csv` in the log's folder, with the sales' header and positive amounts.
    let (log, total, rows) = erp_lines(13, 120, (2015, 1), 30, ERP_ITEMS);
    let header = log.lines().next().unwrap();
    let mut returns = format!("{header}\n");
    let mut returned = 0.0;
    for (i, l) in log.lines().skip(1).enumerate() {
        if i % 25 == 0 {
            let c: Vec<&str> = l.split(';').collect();
            returned += c[6].replace(',', ".").parse::<f64>().unwrap();
            returns += &format!("{};RT{i};{}\n", c[..3].join(";"), c[4..].join(";"));
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("log/sales.csv", &log);
    ws.write("log/returns.csv", &returns);
    let r = init(&ws, &["--sales-log", "log"]).ok();
    let n = returns.lines().count() - 1;
    assert_mentions(
        &r.stderr,
        &[&format!("`returns.csv` of the log is named for returns or credits, and {n} of its rows have a positive GP: its rows' GP and quantity are read as negative")],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let (facts, gp) = crate::onboard::fact_gp_total(&ws);
    assert_eq!(facts, rows + n);
    let truth = total - returned;
    assert!((gp - truth).abs() < 0.01, "star GP {gp}, true {truth}");
}

#[test]
fn credit_memos_written_with_positive_amounts_load_as_credits() {
    // Dynamics-style: a `Document Type` column, credit memos with the same unsigned amounts as
    // the invoices they credit. Every 20th line is credited a few days later.
    let (log, total, rows) = erp_lines(7, 120, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::new();
    let mut credited = 0.0;
    for (i, l) in log.lines().enumerate() {
        if i == 0 {
            out += &format!("Document Type;{l}\n");
            continue;
        }
        out += &format!("Invoice;{l}\n");
        if i % 20 == 0 {
            let c: Vec<&str> = l.split(';').collect();
            credited += c[6].replace(',', ".").parse::<f64>().unwrap();
            out += &format!(
                "Credit Memo;{};CM{i};{}\n",
                c[..3].join(";"),
                c[4..].join(";")
            );
        }
    }
    let credits = rows / 20;
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[&format!(
            "`Document Type` marks credits (`Credit Memo` {credits} rows) whose amounts are written positive"
        )],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let (facts, gp) = crate::onboard::fact_gp_total(&ws);
    assert_eq!(facts, rows + credits);
    let truth = total - credited;
    assert!((gp - truth).abs() < 0.01, "star GP {gp}, true {truth}");
    // Named but absent, the column blocks: its credits would load as sales.
    let etl = ws.read("shop/stages/etl.yaml");
    ws.write(
        "shop/stages/etl.yaml",
        &etl.replace("column: \"Document Type\"", "column: \"Doc Type\""),
    );
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]);
    assert_ne!(r.code, 0);
    assert_mentions(
        &r.stderr,
        &["no column `Doc Type` (`credit_documents.column`)"],
    );
}

#[test]
fn a_log_that_names_its_customers_several_ways_counts_each_customer_once() {
    // No id column: `Customer` holds names, as a small firm's spreadsheet does, written one way
    // on one line and another on the next.
    let (log, _, _) = erp_lines(8, 60, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::new();
    let mut customers = std::collections::BTreeSet::new();
    for (i, l) in log.lines().enumerate() {
        let (id, rest) = l.split_once(';').unwrap();
        if i == 0 {
            out += &format!("Customer;{rest}\n");
            continue;
        }
        customers.insert(id.to_string());
        let name = format!("{} Tooling Ltd", &id[1..]);
        let written = match i % 4 {
            0 => name.to_uppercase(),
            1 => format!("{name}."),
            2 => format!(" {}", name.replacen(' ', "  ", 1)),
            _ => name,
        };
        out += &format!("{written};{rest}\n");
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "no customer id column: customers are told apart by `Customer`, their name",
            "each is read by its words, case and punctuation aside, as one customer",
        ],
    );
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &r.stderr,
        &["customers are written more than one way, each read as one"],
    );
    // Every merge can be checked: the spellings of each customer, in QA.
    let qa = ws.read("shop/outputs/qa/violations.csv");
    let merged = qa
        .lines()
        .find(|l| l.contains("read as one customer, `000 tooling ltd`"))
        .unwrap_or_else(|| panic!("{qa}"));
    assert!(
        merged.starts_with("customer_id_spellings,warning,")
            && merged.contains("`000 TOOLING LTD`"),
        "{merged}"
    );
    let f = std::fs::File::open(ws.path("shop/outputs/star/dim_customer.parquet")).unwrap();
    let dim = ParquetReader::new(f).finish().unwrap();
    assert_eq!(dim.height(), customers.len());
    let ids = dim.column("customer_id").unwrap().str().unwrap();
    assert_eq!(ids.get(0), Some("000 tooling ltd"));
}

#[test]
fn a_division_no_product_is_mostly_sold_in_keeps_its_lines() {
    // Equipment Care's two products are booked 60% to the Food Service deals they came with:
    // Equipment Care is neither product's usual division.
    let (out, booked) = rebooked(
        9,
        |i, c| c[2] == "Equipment Care" && i % 5 < 3,
        "Food Service",
    );
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["`Equipment Care` is no product's usual division, but"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let care = assert_booked(&ws, &booked, (None, "Equipment Care"));
    assert!(care > 50, "{care}");
}

#[test]
fn cancelled_and_open_orders_are_left_out() {
    // An order-lines export: a `Status` beside every line, one line in ten cancelled, one in
    // twenty still open.
    let (log, _, rows) = erp_lines(10, 120, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::new();
    let mut posted = 0;
    for (i, l) in log.lines().enumerate() {
        let status = match i {
            0 => "Status",
            _ if i % 10 == 0 => "Cancelled",
            _ if i % 20 == 5 => "Open",
            _ => {
                posted += 1;
                "Posted"
            }
        };
        out += &format!("{status};{l}\n");
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["`Status` marks orders that are no sale (`Cancelled`"],
    );
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let dropped = rows - posted;
    assert_mentions(
        &r.stderr,
        &[&format!(
            "{dropped} of {rows} rows dropped: {dropped} for a status of no sale"
        )],
    );
    let (facts, _) = crate::onboard::fact_gp_total(&ws);
    assert_eq!(facts, posted);
}

#[test]
fn freight_and_discount_lines_without_a_division_are_no_division() {
    // Every invoice's first line gets a freight charge and a discount, with no business unit;
    // and a sales tax line named for its tax code, with no quantity (NetSuite's).
    let (log, _, _) = erp_lines(11, 100, (2015, 1), 30, ERP_ITEMS);
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    for (i, l) in log.lines().enumerate() {
        out += &format!("{l}\n");
        let c: Vec<&str> = l.split(';').collect();
        if i > 0 && seen.insert(c[3].to_string()) {
            out += &format!("{};{};;{};FREIGHT;1;12,50;12,50\n", c[0], c[1], c[3]);
            out += &format!("{};{};;{};DISCOUNT;1;-20,00;-20,00\n", c[0], c[1], c[3]);
            out += &format!("{};{};;{};CA-SAN FRANCISCO;;4,10;4,10\n", c[0], c[1], c[3]);
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &out);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`CA-SAN FRANCISCO`, `DISCOUNT`, `FREIGHT` look like charges",
            "not products, and no row gives them a division",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        !map.contains("FREIGHT") && !map.contains("DISCOUNT") && !map.contains("CA-SAN"),
        "{map}"
    );
    assert!(!ws.read("shop/stages/features.yaml").contains("FREIGHT"));
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(&r.stderr, &["product `FREIGHT` is not in the SKU map"]);
}

#[test]
fn internal_and_test_accounts_are_named_by_init() {
    let (log, _, _) = erp_lines(12, 60, (2015, 1), 24, ERP_ITEMS);
    let log = log.replace("C001;", "IC-001;").replace("C002;", "TEST;");
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &log);
    let r = init(&ws, &["--sales-log", "lines.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &["2 customer id(s) look like internal or test accounts (`IC-001`, `TEST`)"],
    );
}

#[test]
fn customer_ids_that_lost_a_prefix_midway_are_one_customer() {
    // `C001` until mid-2016, `001` after (a CRM migration); the holdout in the new form.
    let (log, _, _) = erp_lines(9, 120, (2015, 1), 36, ERP_ITEMS);
    let (holdout, _, _) = erp_lines(10, 120, (2018, 1), 6, ERP_ITEMS);
    let migrated = |text: &str, from: &str| -> String {
        text.lines()
            .map(|l| match l.split_once(';') {
                Some((id, rest)) if id != "Customer No" && rest[..10] >= *from => {
                    format!("{};{rest}\n", &id[1..])
                }
                _ => format!("{l}\n"),
            })
            .collect()
    };
    let customers: std::collections::BTreeSet<&str> = log
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap())
        .collect();
    let ws = Ws::new("# not the workspace\n");
    ws.write("lines.csv", &migrated(&log, "2016-07-01"));
    ws.write("holdout.csv", &migrated(&holdout, "0000"));
    let r = init(
        &ws,
        &["--sales-log", "lines.csv", "--holdout", "holdout.csv"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &["customer ids are written both with the prefix `C` and without it (`C000` and `000`, ...)"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let dim = ws.path("shop/outputs/star/dim_customer.parquet");
    let n = polars::prelude::ParquetReader::new(std::fs::File::open(&dim).unwrap())
        .finish()
        .unwrap()
        .height();
    assert_eq!(n, customers.len());
    // Without the setting, the split is said on the run's console.
    let etl = ws.read("shop/stages/etl.yaml");
    ws.write(
        "shop/stages/etl.yaml",
        &etl.replace("customer_id_prefix: \"C\"", "customer_id_prefix: null"),
    );
    let r = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &r.stderr,
        &["customer ids of the prefix `C` have a twin without it (`C000` and `000`)"],
    );
}
