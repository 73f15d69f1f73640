//! A log exported as two tables, as ERPs keep invoices: a header table (one row per invoice:
//! its number, customer, day) and a lines table (the invoice's number, item, units, margin),
//! here with the key named otherwise in each (`No.`, `Document No`) and the headers a file a
//! year. It onboards as it is, and loads the very facts the same log as one table does.

use polars::prelude::*;

use crate::etl::strs;
use crate::onboard::{init, shop};
use crate::onboard_lines::{erp_lines, ERP_ITEMS};
use crate::support::{assert_mentions, Ws};

/// `log` (erp_lines' one table) as a header table per year and one lines table in `dir`.
fn as_two_tables(ws: &Ws, dir: &str, log: &str) {
    let mut headers: std::collections::BTreeMap<String, String> = Default::default();
    let mut lines = String::from("Document No;Line No;Business Unit;Item;Units;Gross Margin\n");
    let mut seen = std::collections::HashSet::new();
    let mut line_no = 0;
    for l in log.lines().skip(1) {
        // Customer No;Posting Date;Business Unit;Document No;Item;Units;Gross Margin;Revenue
        let c: Vec<&str> = l.split(';').collect();
        let year = &c[1][..4];
        if seen.insert(c[3].to_string()) {
            headers
                .entry(year.to_string())
                .or_insert_with(|| "No.;Customer No;Posting Date;Currency\n".to_string())
                .push_str(&format!("{};{};{};EUR\n", c[3], c[0], c[1]));
            line_no = 0;
        }
        line_no += 10_000;
        lines.push_str(&format!(
            "{};{line_no};{};{};{};{}\n",
            c[3], c[2], c[4], c[5], c[6]
        ));
    }
    for (year, text) in headers {
        ws.write(&format!("{dir}/invoices_{year}.csv"), &text);
    }
    ws.write(&format!("{dir}/invoice_lines.csv"), &lines);
}

/// (customer, day, invoice, product, GP in cents) of every fact line of `star` (`star` or
/// `holdout/star`), sorted.
fn facts(ws: &Ws, workspace: &str, star: &str) -> Vec<(String, String, String, String, i64)> {
    let path = ws.path(&format!(
        "{workspace}/outputs/{star}/fact_transactions.parquet"
    ));
    let df = ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    let text = |c: &str| -> Vec<String> {
        let s = df.column(c).unwrap().cast(&DataType::String).unwrap();
        let s = s.str().unwrap();
        (0..s.len())
            .map(|i| s.get(i).unwrap_or("").to_string())
            .collect()
    };
    let (cust, day, inv, sku) = (
        text("customer_id"),
        text("order_date"),
        text("invoice_id"),
        text("product_sku"),
    );
    let gp = df.column("gross_profit").unwrap().f64().unwrap();
    let mut out: Vec<_> = (0..df.height())
        .map(|i| {
            (
                cust[i].clone(),
                day[i].clone(),
                inv[i].clone(),
                sku[i].clone(),
                (gp.get(i).unwrap() * 100.0).round() as i64,
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn invoices_exported_as_a_header_and_a_lines_table_load_as_one_log() {
    let (log, _, rows) = erp_lines(5, 120, (2015, 1), 36, ERP_ITEMS);
    let (holdout, _, _) = erp_lines(6, 120, (2018, 1), 6, ERP_ITEMS);
    let ws = Ws::new("# not the workspace\n");
    as_two_tables(&ws, "erp", &log);
    as_two_tables(&ws, "erp_2018", &holdout);
    // A line whose invoice the header export missed: said, not loaded with no customer.
    let mut lines = ws.read("erp/invoice_lines.csv");
    lines.push_str("99999999;10000;Food Service;Oat Milk;1;5,0000\n");
    // A comment line of the first invoice (no item, nothing sold): kept, no fact, counted.
    lines.push_str("570001;99999;Food Service;;0;0,0000\n");
    ws.write("erp/invoice_lines.csv", &lines);
    // A product master beside them is keyed by the lines' item, but no invoice header: it
    // holds no day, and stays out as before.
    let mut master = String::from("Item;Description;Category\n");
    for (item, division) in ERP_ITEMS {
        master.push_str(&format!("{item};{item} (each);{division}\n"));
    }
    ws.write("erp/items.csv", &master);

    let r = init(&ws, &["--sales-log", "erp", "--holdout", "erp_2018"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `Customer No`, order_date `Posting Date`, division `Business Unit`",
            "`invoices_2015.csv` and 2 more are the invoices' headers, one row per invoice: its `Customer No`, `Posting Date`, `Currency` are joined to each line of `invoice_lines.csv` by `Document No` (`No.` there)",
            "holdout `erp_2018`: `invoices_2018.csv` is the invoices' header",
            "`items.csv` shares 1 of its 3 columns with `invoice_lines.csv`: not a part of this log, left out",
        ],
    );
    let run = shop(&ws, &["run", "-j", "2"]).ok();
    assert_mentions(
        &run.stderr,
        &["1 line(s) of `invoice_lines.csv` have a `Document No` no row of the invoices' header has (the first: `99999999`)"],
    );
    let two_tables = facts(&ws, "shop", "star");
    assert_eq!(two_tables.len(), rows);
    let counts = ws.read("shop/outputs/qa/row_counts.json");
    assert!(counts.contains("\"rows_without_a_line\": 1"), "{counts}");

    // The same log as the one table it was: the very same facts, to the cent. (The log and the
    // holdout of one name, as two years' exports are: each is published under its name.)
    ws.write("one/erp.csv", &log);
    ws.write("one_2018/erp.csv", &holdout);
    ws.run(&[
        "init",
        "single",
        "--sales-log",
        "one/erp.csv",
        "--holdout",
        "one_2018/erp.csv",
    ])
    .ok();
    ws.run(&[
        "-C",
        "single",
        "run",
        "--target",
        "star",
        "--target",
        "holdout_star",
        "-j",
        "2",
    ])
    .ok();
    assert_eq!(two_tables, facts(&ws, "single", "star"));
    // The holdout too, so every validation label is the one table's.
    assert_eq!(
        facts(&ws, "shop", "holdout/star"),
        facts(&ws, "single", "holdout/star")
    );
}

/// The divisions the star's facts name, in order.
fn star_divisions(ws: &Ws) -> Vec<String> {
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    let divisions = df.column("product_division").unwrap().str().unwrap();
    let named: std::collections::BTreeSet<String> = (0..divisions.len())
        .filter_map(|i| divisions.get(i).map(str::to_string))
        .collect();
    named.into_iter().collect()
}

/// An ERP's invoices as two tables in `erp/`, the lines without their `Business Unit`.
fn lines_without_divisions() -> Ws {
    let (log, _, _) = erp_lines(7, 60, (2015, 1), 30, ERP_ITEMS);
    let ws = Ws::new("# not the workspace\n");
    as_two_tables(&ws, "erp", &log);
    let lines: String = ws
        .read("erp/invoice_lines.csv")
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(';').collect();
            c.remove(2);
            c.join(";") + "\n"
        })
        .collect();
    ws.write("erp/invoice_lines.csv", &lines);
    ws
}

#[test]
fn a_product_master_of_too_few_of_the_products_is_said_to_be_left_out() {
    let ws = lines_without_divisions();
    let mut master = String::from("Item;Description;Division\n");
    for (item, division) in ERP_ITEMS.iter().take(5) {
        master.push_str(&format!("{item};{item} (each);{division}\n"));
    }
    ws.write("erp/items.csv", &master);
    let r = init(&ws, &["--sales-log", "erp"]).ok();
    assert_mentions(
        &r.stderr,
        &["`items.csv` beside the log maps only 5 of its 8 products to divisions: not taken as the SKU map"],
    );
}

#[test]
fn a_product_master_beside_lines_without_divisions_is_their_sku_map() {
    let ws = lines_without_divisions();
    let mut master = String::from("Item;Description;Division\n");
    for (item, division) in ERP_ITEMS {
        master.push_str(&format!("{item};{item} (each);{division}\n"));
    }
    ws.write("erp/items.csv", &master);
    let r = init(&ws, &["--sales-log", "erp"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "the log has no division column, and `items.csv` beside it maps 8 of its 8 products to divisions: it is the SKU map",
            "8 SKUs of your map found in the log, 3 divisions",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains("Oat Milk,") && map.contains(",Food Service"),
        "{map}"
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(
        star_divisions(&ws),
        ["Equipment Care", "Food Service", "Packaging & Disposables"]
    );
}

/// Northwind's shape: `products.csv` holds `category_id`, `categories.csv` its names
/// (`names[code - 1]`).
fn lines_with_coded_master(names: &[&str]) -> Ws {
    let ws = lines_without_divisions();
    let codes = ["Equipment Care", "Food Service", "Packaging & Disposables"];
    let mut master = String::from("product_id;product_name;category_id\n");
    for (item, division) in ERP_ITEMS {
        let code = codes.iter().position(|c| c == division).unwrap() + 1;
        master.push_str(&format!("{item};{item} (each);{code}\n"));
    }
    ws.write("erp/products.csv", &master);
    let mut file = String::from("category_id;category_name;description\n");
    for (i, c) in names.iter().enumerate() {
        file.push_str(&format!("{};{c};-\n", i + 1));
    }
    ws.write("erp/categories.csv", &file);
    ws
}

#[test]
fn a_product_master_linked_to_its_categories_by_code_is_the_map_with_the_names() {
    let ws = lines_with_coded_master(&["Equipment Care", "Food Service", "Packaging/Disposables"]);
    let r = init(&ws, &["--sales-log", "erp"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`products.csv` beside it maps 8 of its 8 products to divisions: it is the SKU map",
            "8 SKUs of your map found in the log, 3 divisions",
            "the divisions are `category_id` codes, named from `categories.csv` (`category_name`) in stages/sku_map.csv: 1 = Equipment Care, 2 = Food Service, 3 = Packaging/Disposables",
            "division `Packaging/Disposables` is `Packaging-Disposables`",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(
        star_divisions(&ws),
        ["Equipment Care", "Food Service", "Packaging-Disposables"]
    );
    // Two codes of one name would merge two divisions: the codes stay, and the file is named.
    let ws = lines_with_coded_master(&["Equipment Care", "Food Service", "Food Service"]);
    let r = init(&ws, &["--sales-log", "erp"]).ok();
    assert_mentions(
        &r.stderr,
        &["the divisions are `category_id` codes; `categories.csv` names them (`category_name`), but not each code once"],
    );
    assert!(ws.read("shop/stages/sku_map.csv").contains(",3,"));
}

#[test]
fn a_lines_file_given_alone_is_refused_with_its_header_beside_it_named() {
    let (log, _, _) = erp_lines(8, 60, (2015, 1), 30, ERP_ITEMS);
    let ws = Ws::new("# not the workspace\n");
    as_two_tables(&ws, "erp", &log);
    let r = init(&ws, &["--sales-log", "erp/invoice_lines.csv"]).code(2);
    assert_mentions(
        &r.stderr,
        &[
            "no customer id column",
            "`invoices_2015.csv` beside it holds the invoices' header",
            "`--sales-log erp`, and the two tables are read as one log",
        ],
    );
}

#[test]
fn a_workbook_of_an_invoices_sheet_and_a_lines_sheet_loads_as_one_log() {
    use crate::onboard_lines::{xlsx_sheets, Cell};
    let (log, total, rows) = erp_lines(9, 80, (2015, 1), 30, ERP_ITEMS);
    let text = |s: &str| Cell::Text(s.to_string());
    let mut invoices = vec![vec![text("No."), text("Customer No"), text("Posting Date")]];
    let mut lines = vec![vec![
        text("Document No"),
        text("Item"),
        text("Business Unit"),
        text("Gross Margin"),
    ]];
    let mut seen = std::collections::HashSet::new();
    for l in log.lines().skip(1) {
        // Customer No;Posting Date;Business Unit;Document No;Item;Units;Gross Margin;Revenue
        let c: Vec<&str> = l.split(';').collect();
        if seen.insert(c[3].to_string()) {
            let day = chrono::NaiveDate::parse_from_str(c[1], "%Y-%m-%d").unwrap();
            invoices.push(vec![text(c[3]), text(c[0]), Cell::Date(day)]);
        }
        let gp: f64 = c[6].replace(',', ".").parse().unwrap();
        lines.push(vec![text(c[3]), text(c[4]), text(c[2]), Cell::Number(gp)]);
    }
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(
        ws.path("erp.xlsx"),
        xlsx_sheets(&[("Invoices", &invoices), ("Lines", &lines)]),
    )
    .unwrap();
    let r = init(&ws, &["--sales-log", "erp.xlsx"]).ok();
    assert_mentions(
        &r.stderr,
        &["`erp.xlsx [Invoices]` is the invoices' header, one row per invoice: its `Customer No`, `Posting Date` are joined to each line of `erp.xlsx [Lines]` by `Document No` (`No.` there)"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let (facts, gp) = crate::onboard::fact_gp_total(&ws);
    assert_eq!(facts, rows);
    assert!((gp - total).abs() < 0.01, "star GP {gp}, log {total}");
}

#[test]
fn a_customer_master_beside_the_log_is_its_industry_enrichment() {
    // A CRM's account list saved in the sales folder, as wide as the log (eight columns) and
    // most of the folder, since it lists prospects too: it blocked init as "the same log under
    // other headers"; given with `--enrichment`, its `Account No.`/`Sector` headers gave every
    // customer no industry.
    let (log, _, _) = erp_lines(10, 60, (2015, 1), 30, ERP_ITEMS);
    let ws = Ws::new("# not the workspace\n");
    ws.write("erp/sales.csv", &log);
    let mut accounts =
        String::from("Account No.;Account Name;Street;City;Country;Sector;Sub-Industry;Owner\n");
    for c in 0..4000 {
        let sector = if c % 2 == 0 {
            "Hospitality"
        } else {
            "Education"
        };
        accounts.push_str(&format!(
            "C{c:03};Account {c} Holdings;{c} Long Industrial Road;Utrecht;NL;{sector};Other;Ann\n"
        ));
    }
    ws.write("erp/accounts.csv", &accounts);
    let r = init(&ws, &["--sales-log", "erp"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`accounts.csv` beside the log is a customer master with industries (52 of the 52 customers",
            "as if given with `--enrichment`",
        ],
    );
    assert!(!r.stderr.contains("has one row per"), "{}", r.stderr);
    let run = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert!(!run.stderr.contains("accounts.csv"), "{}", run.stderr);
    let df = crate::etl::read(&ws, "shop/outputs/star/dim_customer.parquet");
    let (industries, methods) = (strs(&df, "industry"), strs(&df, "match_method"));
    assert!(df.height() > 50);
    for (i, id) in strs(&df, "customer_id").iter().enumerate() {
        let c: usize = id[1..].parse().unwrap();
        let want = if c % 2 == 0 {
            "Hospitality"
        } else {
            "Education"
        };
        assert_eq!((industries[i].as_str(), methods[i].as_str()), (want, "id"));
    }
}

#[test]
fn business_central_invoices_and_credit_memos_numbered_alike_load_to_the_cent() {
    // Business Central's four tables, its invoices and credit memos both numbered from 1001, the
    // invoice header as wide as it exports (its `Order No.` beside the lines' `Document No.`).
    // Before: the two headers' numbers collided and init found no date; with the headers joined
    // apart, the invoices' and credit memos' `Document No.`/`Line No.` keys collided as
    // `duplicate_key` and blocked; and init took `Order No.` for the invoice.
    let ws = Ws::new("# not the workspace\n");
    let head =
        "No.,Sell-to Customer No.,Order Date,Posting Date,Due Date,Order No.,Currency Code\n";
    let lines_head = "Document No.,Line No.,Sell-to Customer No.,Type,No.,Item Category Code,Quantity,Profit (LCY)\n";
    let (mut ih, mut il, mut ch, mut cl) = (
        head.to_string(),
        lines_head.to_string(),
        head.to_string(),
        lines_head.to_string(),
    );
    let items = [
        ("1896-S", "FURNITURE"),
        ("LS-75", "SPEAKERS"),
        ("SVC", "SERVICES"),
    ];
    let mut expected: Vec<crate::onboard_reports::Line> = Vec::new();
    for i in 0..240usize {
        let (no, cust) = (1001 + i, format!("{}", 10_000 + 10 * (i % 23)));
        let day = format!("{}-{:02}-{:02}", 2021 + i / 80, 1 + i % 12, 1 + i % 27);
        ih += &format!("{no},{cust},{day},{day},,S-ORD{},\n", 5000 + i / 2);
        for k in 0..1 + i % 3 {
            let (item, cat) = items[(i + k) % 3];
            let cents = 1000 + 37 * ((i * 7 + k) % 50) as i64;
            il += &format!(
                "{no},{},{cust},Item,{item},{cat},1,{}.{:02}\n",
                10_000 * (k + 1),
                cents / 100,
                cents % 100
            );
            expected.push((cust.clone(), day.clone(), item.to_string(), cents));
        }
        if i % 8 == 0 {
            let (item, cat) = items[i % 3];
            let day = format!("{}-{:02}-28", 2021 + i / 80, 1 + i % 12);
            ch += &format!("{no},{cust},{day},{day},,,\n");
            cl += &format!("{no},10000,{cust},Item,{item},{cat},1,3.50\n");
            expected.push((cust.clone(), day, item.to_string(), -350));
        }
    }
    ws.write("bc/Sales Invoice Header.csv", &ih);
    ws.write("bc/Sales Invoice Line.csv", &il);
    ws.write("bc/Sales Cr.Memo Header.csv", &ch);
    ws.write("bc/Sales Cr.Memo Line.csv", &cl);
    let r = init(&ws, &["--sales-log", "bc"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "invoice_id `Document No.`",
            "`Sales Invoice Header.csv` is the invoices' header",
            "`Sales Cr.Memo Header.csv` is the credit memos' header",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    expected.sort();
    assert_eq!(crate::onboard_reports::loaded(&ws), expected);
}
