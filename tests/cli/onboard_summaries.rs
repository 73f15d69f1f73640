//! Summaries as reporting tools hand them over. A monthly summary: one row per customer, item
//! and month, dated by the month alone (`May 2016`); each row is its month's last day, so
//! month-end cutoffs see whole months, and a holdout whose first row is dated a month after the
//! scoring cutoff is not censored. A wide export of many coded products and no division column:
//! the products grouped by their code's prefix.

use polars::prelude::*;

use crate::onboard::{init, shop};
use crate::onboard_lines::{erp_lines, ERP_ITEMS};
use crate::support::{assert_mentions, Ws};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `log` (erp_lines' lines) summed per customer, item, division and month, dated `May 2016`
/// (or, with `first_day`, `2016-05-01`).
fn monthly_as(log: &str, first_day: bool) -> (String, usize) {
    let mut sums: std::collections::BTreeMap<(String, String, String, String), f64> =
        Default::default();
    for l in log.lines().skip(1) {
        // Customer No;Posting Date;Business Unit;Document No;Item;Units;Gross Margin;Revenue
        let c: Vec<&str> = l.split(';').collect();
        let gp: f64 = c[6].replace(',', ".").parse().unwrap();
        *sums
            .entry((c[0].into(), c[1][..7].into(), c[2].into(), c[4].into()))
            .or_default() += gp;
    }
    let mut out = String::from("Customer No,Month,Business Unit,Item,Gross Margin\n");
    for ((cust, ym, unit, item), gp) in &sums {
        let m: usize = ym[5..].parse().unwrap();
        let month = if first_day {
            format!("{ym}-01")
        } else {
            format!("{} {}", MONTHS[m - 1], &ym[..4])
        };
        out += &format!("{cust},{month},{unit},{item},{gp:.4}\n");
    }
    (out, sums.len())
}

/// Every fact line of `df` is on its month's last day.
fn assert_on_month_ends(df: &DataFrame) {
    let days = df
        .column("order_date")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    let days = days.str().unwrap();
    for i in 0..df.height() {
        let d = chrono::NaiveDate::parse_from_str(days.get(i).unwrap(), "%Y-%m-%d").unwrap();
        assert_eq!(chrono::Datelike::day(&d.succ_opt().unwrap()), 1, "{d}");
    }
}

fn monthly(log: &str) -> (String, usize) {
    monthly_as(log, false)
}

#[test]
fn a_monthly_summary_dated_on_each_first_day_is_read_as_months() {
    let (log, _, _) = erp_lines(13, 150, (2015, 1), 36, ERP_ITEMS);
    let (holdout, _, _) = erp_lines(14, 150, (2018, 1), 6, ERP_ITEMS);
    let (log, rows) = monthly_as(&log, true);
    let (holdout, _) = monthly_as(&holdout, true);
    let ws = Ws::new("# not the workspace\n");
    ws.write("monthly.csv", &log);
    ws.write("monthly_2018.csv", &holdout);
    let r = init(
        &ws,
        &[
            "--sales-log",
            "monthly.csv",
            "--holdout",
            "monthly_2018.csv",
        ],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "dates        2015-01-31 to 2017-12-31",
            "scoring      `latest` = 2017-12-31",
            "is on a month's first day (36 months, the last 2017-12-01): a monthly summary, each row read as its month's last day",
        ],
    );
    let r = shop(&ws, &["run", "-j", "2"]).ok();
    assert!(!r.stderr.contains("censored"), "{}", r.stderr);
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    assert_eq!(df.height(), rows);
    assert_on_month_ends(&df);
}

#[test]
fn a_monthly_summary_dated_by_months_onboards_and_validates_uncensored() {
    let (log, _, _) = erp_lines(11, 150, (2015, 1), 36, ERP_ITEMS);
    let (holdout, _, _) = erp_lines(12, 150, (2018, 1), 6, ERP_ITEMS);
    let (log, rows) = monthly(&log);
    let (holdout, _) = monthly(&holdout);
    let ws = Ws::new("# not the workspace\n");
    ws.write("monthly.csv", &log);
    ws.write("monthly_2018.csv", &holdout);
    let r = init(
        &ws,
        &[
            "--sales-log",
            "monthly.csv",
            "--holdout",
            "monthly_2018.csv",
        ],
    )
    .ok();
    let counted = format!("{rows} rows of `monthly.csv` are dated by a month without a day");
    assert_mentions(
        &r.stderr,
        &[
            "order_date `Month`",
            "dates        2015-01-31 to 2017-12-31",
            counted.as_str(),
            "a monthly summary, each row read as its month's last day",
        ],
    );
    let r = shop(&ws, &["run", "-j", "2"]).ok();
    assert!(!r.stderr.contains("censored"), "{}", r.stderr);
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    assert_eq!(df.height(), rows);
    assert_on_month_ends(&df);
    let v = ws.read("shop/outputs/validate/Food Service/validation_metrics_Food Service.json");
    assert!(v.contains("\"censored\": false"), "{v}");
}

#[test]
fn a_wide_log_of_many_coded_products_and_no_division_is_grouped_by_code_prefix() {
    // 14 hardware and 14 software products, `HW-01 GP` / `HW-01 Qty`, no division column.
    let products: Vec<String> = (1..=14)
        .flat_map(|i| [format!("HW-{i:02}"), format!("SW-{i:02}")])
        .collect();
    let mut log = String::from("Customer ID,Invoice Date");
    for p in &products {
        log += &format!(",{p} GP,{p} Qty");
    }
    log += "\n";
    for c in 0..60 {
        for m in 1..=12 {
            let mut row = format!("{c},2023-{m:02}-15");
            for (k, _) in products.iter().enumerate() {
                let sold = (c + m + k) % 9 == 0;
                row += if sold { ",12.50,1" } else { ",," };
            }
            log += &row;
            log += "\n";
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("wide.csv", &log);
    let r = init(&ws, &["--sales-log", "wide.csv", "--window-months", "1"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "28 GP/Qty column pairs in 2 divisions",
            "no division column: products grouped by their code's prefix (2 divisions: `HW`, `SW`)",
            "HW: HW-01 GP, HW-02 GP",
            "HW-12 GP and 2 more",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(map.contains("HW-14 GP,HW-14 Qty,HW,"), "{map}");
}
