//! An accounting package's grouped report as the sales log: QuickBooks' "Sales by Customer
//! Detail", each customer's name on a row of its own above its transactions, a `Total for`
//! row after them, titles above the header and a footer below. It onboards as it is, as CSV or
//! as the workbook QuickBooks also exports, and loads every line with its customer.

use polars::prelude::*;

use crate::etl::{f64s, read, strs};
use crate::onboard::{init, shop};
use crate::onboard_lines::{xlsx, Cell};
use crate::support::{assert_mentions, Ws};

/// A fact line: (customer, day, product, cents).
pub(crate) type Line = (String, String, String, i64);

/// The report's rows (cells as text) and each line.
fn report() -> (Vec<Vec<String>>, Vec<Line>) {
    let products = [
        "Design",
        "Landscaping:Gardening",
        "Landscaping:Trimming",
        "Rocks",
        "Sprinklers:Sprinkler Heads",
    ];
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut rows = vec![
        row(&["Sales by Customer Detail"]),
        row(&["Craig's Design and Landscaping Services"]),
        row(&["January 1, 2021 - December 31, 2023"]),
        row(&[]),
        row(&[
            "",
            "Date",
            "Transaction Type",
            "Num",
            "Product/Service",
            "Memo/Description",
            "Qty",
            "Sales Price",
            "Amount",
            "Balance",
        ]),
    ];
    let mut lines = Vec::new();
    let mut num = 1000;
    for c in 0..40usize {
        let customer = format!("Customer {c:02}, {}", ["LLC", "Inc."][c % 2]);
        rows.push(row(&[&customer, "", "", "", "", "", "", "", "", ""]));
        let mut balance = 0;
        for k in 0..3 + c % 5 {
            num += 1;
            let (y, m, d) = (
                2021 + (c + k) % 3,
                1 + (c * 5 + k * 7) % 12,
                1 + (c + k) % 28,
            );
            let product = products[(c + k) % products.len()];
            let (qty, price) = (1 + k as i64 % 3, [1500, 7500, 12000][c % 3]);
            let cents = qty * price;
            balance += cents;
            let money = |v: i64| format!("{}.{:02}", v / 100, v % 100);
            rows.push(row(&[
                "",
                &format!("{m:02}/{d:02}/{y}"),
                "Invoice",
                &num.to_string(),
                product,
                "",
                &qty.to_string(),
                &money(price),
                &money(cents),
                &money(balance),
            ]));
            lines.push((
                customer.clone(),
                format!("{y}-{m:02}-{d:02}"),
                product.to_string(),
                cents,
            ));
        }
        let total = format!("Total for {customer}");
        let shown = format!("${}.{:02}", balance / 100, balance % 100);
        rows.push(row(&[&total, "", "", "", "", "", "", "", &shown, ""]));
    }
    rows.push(row(&["TOTAL", "", "", "", "", "", "", "", "$1.00", ""]));
    rows.push(row(&[]));
    rows.push(row(&["Thursday, Jan 04, 2024 09:14 AM GMT-08:00"]));
    lines.sort();
    (rows, lines)
}

/// The star's fact lines of workspace `shop`, sorted.
pub(crate) fn loaded(ws: &Ws) -> Vec<Line> {
    let df = read(ws, "shop/outputs/star/fact_transactions.parquet");
    let days = df.column("order_date").unwrap().cast(&DataType::String);
    let days = days.unwrap().str().unwrap().clone();
    let days = days.iter().map(|d| d.unwrap_or("").to_string());
    let cents = f64s(&df, "gross_profit")
        .into_iter()
        .map(|g| (g * 100.0).round() as i64);
    let mut got: Vec<Line> = strs(&df, "customer_id")
        .into_iter()
        .zip(days)
        .zip(strs(&df, "product_sku"))
        .zip(cents)
        .map(|(((c, d), p), g)| (c, d, p, g))
        .collect();
    got.sort();
    got
}

#[test]
fn a_sales_by_customer_detail_report_loads_every_line_with_its_customer() {
    // Before, init refused it: "no customer id column", its first column unnamed.
    let (rows, lines) = report();
    let mut text = String::new();
    for r in &rows {
        let mut w = csv::Writer::from_writer(Vec::new());
        if r.is_empty() {
            text.push('\n');
            continue;
        }
        w.write_record(r).unwrap();
        text.push_str(std::str::from_utf8(&w.into_inner().unwrap()).unwrap());
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("Sales by Customer Detail.csv", &text);
    let r = init(&ws, &["--sales-log", "Sales by Customer Detail.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `Customer`",
            "product `Product/Service`, GP `Amount`",
            "grouped by it (2 categories: `Landscaping`, `Sprinklers`)",
            "`Sales by Customer Detail.csv` is a report grouped by Customer",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
    let counts = ws.read("shop/outputs/qa/row_counts.json");
    assert!(counts.contains("\"dropped\": {}"), "{counts}");
}

#[test]
fn the_same_report_saved_as_a_workbook_loads_the_same_lines() {
    let (rows, lines) = report();
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| r.iter().map(|c| Cell::Text(c.clone())).collect())
        .collect();
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(ws.path("Sales by Customer Detail.xlsx"), xlsx(&cells)).unwrap();
    init(&ws, &["--sales-log", "Sales by Customer Detail.xlsx"]).ok();
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
}

#[test]
fn a_xero_invoice_export_loads_each_line_as_its_unit_price_times_its_quantity() {
    // Xero's export has no line total: `*UnitAmount` and `*Quantity`, and a `Total` that is the
    // invoice's (tax included) on each of its lines. Before, init refused it (no customer id:
    // `*ContactName`); with the columns named, `Total` loaded as each line's value, every
    // invoice counted once per line. Its `Discount` is a percentage off the price times the
    // quantity (before, not applied: those lines counted at their full price).
    let mut text = String::from(
        "*ContactName,EmailAddress,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,InventoryItemCode,*Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TaxAmount,Currency\n",
    );
    let items = [
        ("WIDGET-A", 4900),
        ("SUPPORT-1Y", 25000),
        ("LIC-PRO", 120000),
    ];
    let mut expected: Vec<Line> = Vec::new();
    for i in 0..300usize {
        let customer = format!("Customer {:03} Ltd", i % 37);
        let (y, m, d) = (2021 + i % 3, 1 + i % 12, 1 + (i * 7) % 28);
        let lines: Vec<(&str, i64, i64)> = (0..1 + i % 3)
            .map(|k| {
                let (code, cents) = items[(i + k) % 3];
                (code, 1 + ((i + k) % 4) as i64, cents)
            })
            .collect();
        let total: i64 = lines.iter().map(|(_, q, c)| q * c).sum::<i64>() * 115 / 100;
        for (k, (code, qty, cents)) in lines.into_iter().enumerate() {
            let off = [0, 0, 10, 0, 25][(i + k) % 5];
            text += &format!(
                "{customer},ap@example.com,INV-{:04},,{d:02}/{m:02}/{y},{:02}/{m:02}/{y},{}.{:02},{code},{code} (each),{qty},{}.{:02},{},200,15% GST on Income,0.00,NZD\n",
                1000 + i,
                d.min(20) + 1,
                total / 100,
                total % 100,
                cents / 100,
                cents % 100,
                if off == 0 { String::new() } else { format!("{off}.00") }
            );
            expected.push((
                customer.clone(),
                format!("{y}-{m:02}-{d:02}"),
                code.to_string(),
                qty * cents * (100 - off) / 100,
            ));
        }
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    ws.write("Sales Invoices.csv", &text);
    let r = init(&ws, &["--sales-log", "Sales Invoices.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `*ContactName`",
            "product `InventoryItemCode`, GP `*UnitAmount`, quantity `*Quantity`",
            "`*UnitAmount` (a price per unit) times `*Quantity`, less `Discount` percent, is each line's revenue",
        ],
    );
    assert!(ws
        .read("shop/stages/etl.yaml")
        .contains("\nvalue_per_unit: true\n"));
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

#[test]
fn a_salesforce_opportunity_report_loads_only_the_won_opportunities() {
    // Lost and open opportunities beside the won ones, more of them than won: before, every
    // one loaded as a sale (`Stage` was no status column, `Closed Lost` read as closed), and
    // `Total Price` was no line value. Open opportunities close in the future: their days set
    // no date of the log (they made a trial's log run to the next year, its windows short).
    let mut text = String::from(
        "Account Name,Account ID,Opportunity Name,Stage,Close Date,Product Name,Product Code,Product Family,Quantity,Sales Price,Total Price\n",
    );
    let stages = [
        "Closed Won",
        "Closed Lost",
        "Prospecting",
        "Closed Lost",
        "Negotiation/Review",
    ];
    let products = [
        ("SOLIDWORKS Standard", "SW-STD", "Software"),
        ("Simulation Premium", "SIM-PRM", "Simulation"),
        ("Stratasys F170", "PRT-F170", "Hardware"),
    ];
    let mut expected: Vec<Line> = Vec::new();
    for i in 0..400usize {
        let account = format!("001A{:05}", i % 41);
        let stage = stages[i % stages.len()];
        let (y, m, d) = (2021 + i % 3, 1 + (i * 5) % 12, 1 + i % 28);
        let y = if stage.starts_with("Closed") { y } else { 2024 };
        let (name, code, family) = products[(i / 5) % 3];
        let (qty, cents) = (1 + (i % 3) as i64, [99500, 399500, 1250000][i % 3]);
        text += &format!(
            "Acme {},{account},Opp {i},{stage},{m}/{d}/{y},{name},{code},{family},{qty},\"USD {}.{:02}\",\"USD {}.{:02}\"\n",
            i % 41,
            cents / 100,
            cents % 100,
            qty * cents / 100,
            qty * cents % 100
        );
        if stage == "Closed Won" {
            expected.push((
                account,
                format!("{y}-{m:02}-{d:02}"),
                code.to_string(),
                qty * cents,
            ));
        }
    }
    text += "\n\"Total\"\n\n\"Confidential Information - Do Not Distribute\"\n";
    expected.sort();
    let mut days: Vec<&str> = expected.iter().map(|l| l.1.as_str()).collect();
    days.sort();
    let span = format!("dates        {} to {}:", days[0], days[days.len() - 1]);
    let ws = Ws::new("# not the workspace\n");
    ws.write("report.csv", &text);
    let r = init(&ws, &["--sales-log", "report.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            span.as_str(),
            "division `Product Family`",
            "GP `Total Price`",
            "`Stage` marks orders that are no sale (`Closed Lost` 160 rows, `Negotiation/Review` 80 rows, `Prospecting` 80 rows)",
        ],
    );
    assert!(
        !r.stderr.contains("whose name says a price"),
        "{}",
        r.stderr
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

#[test]
fn a_shopify_order_export_fills_each_orders_fields_down_its_lines() {
    // Shopify writes the buyer, the day, the status and the totals on an order's first line
    // only. Before, init refused the export (no customer: `Email`; no product: `Lineitem sku`),
    // and read as written every later line had no customer and no day. `Fulfilled at`, days
    // after the order, came before `Created at` and dated it; a custom item has no SKU, and
    // keyed by `Lineitem sku` its lines were dropped.
    let mut text = String::from(
        "Name,Email,Financial Status,Paid at,Fulfilled at,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Vendor,Id\n",
    );
    let items = [
        ("Grinder X", "GR-X", 34900),
        ("Beans 1kg", "BN-1K", 2400),
        ("Descaler", "", 1200),
    ];
    let mut expected: Vec<Line> = Vec::new();
    for o in 0..300usize {
        let buyer = format!("buyer{}@cafe.example", o % 29);
        let (y, m, d) = (2021 + o % 3, 1 + (o * 7) % 12, 1 + o % 28);
        let status = ["paid", "paid", "paid", "refunded", "pending"][o % 5];
        let lines: Vec<(&str, &str, i64, i64)> = (0..1 + o % 3)
            .map(|k| {
                let (name, sku, cents) = items[(o + k) % 3];
                (name, sku, cents, 1 + ((o + k) % 2) as i64)
            })
            .collect();
        let subtotal: i64 = lines.iter().map(|l| l.2 * l.3).sum();
        for (k, (name, sku, cents, qty)) in lines.into_iter().enumerate() {
            let money = |v: i64| format!("{}.{:02}", v / 100, v % 100);
            if k == 0 {
                let when = format!("{y}-{m:02}-{d:02} 10:{:02}:00 -0500", o % 60);
                let shipped = format!("{y}-{m:02}-{:02} 16:00:00 -0500", d + 3);
                text += &format!(
                    "#{},{buyer},{status},{when},{shipped},USD,{},{},{when},{qty},{name},{},{sku},CafeSupply,{}\n",
                    1001 + o,
                    money(subtotal),
                    money(subtotal + 1000),
                    money(cents),
                    4_500_000 + o
                );
            } else {
                text += &format!(
                    "#{},,,,,,,,,{qty},{name},{},{sku},CafeSupply,\n",
                    1001 + o,
                    money(cents)
                );
            }
            if status == "paid" {
                expected.push((
                    buyer.clone(),
                    format!("{y}-{m:02}-{d:02}"),
                    name.to_string(),
                    qty * cents,
                ));
            }
        }
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    ws.write("orders_export_1.csv", &text);
    let r = init(&ws, &["--sales-log", "orders_export_1.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `Email`, order_date `Created at`",
            "product `Lineitem name`, GP `Lineitem price`, quantity `Lineitem quantity`",
            "`Financial Status` marks orders that are no sale",
            "`orders_export_1.csv` writes an order's fields on its first line only: `Email`, `Financial Status`, `Paid at`, `Fulfilled at`, `Currency` and 4 more are read on each line of the order (its `Name`)",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

#[test]
fn a_journal_that_writes_its_sales_negative_loads_them_positive() {
    // Sage 50's sales journal credits each income account: an invoice's lines are negative, a
    // credit memo's positive (its quantity negative), a sales tax line has no item. Before,
    // every sale loaded negative: no division had a buyer, and the run scored nothing, exit 0.
    let mut text = String::from(
        "Customer ID,Customer Name,Invoice/CM #,Credit Memo,Date,Quantity,Item ID,Description,Unit Price,Amount\n",
    );
    let items = [("NET-100", 349.0), ("SOF-200", 120.5), ("SER-300", 95.0)];
    let mut expected: Vec<Line> = Vec::new();
    for n in 0..400usize {
        let customer = format!("CUST{:03}", n % 37);
        let (m, d) = (1 + n % 12, 1 + n % 28);
        let day = format!("{m}/{d}/{}", 22 + n % 3);
        let iso = format!("20{}-{m:02}-{d:02}", 22 + n % 3);
        let credit = n % 25 == 7;
        let sign = if credit { -1.0 } else { 1.0 };
        for k in 0..1 + n % 2 {
            let (item, price) = items[(n + k) % 3];
            let qty = sign * (1 + (n + k) % 3) as f64;
            let amount = qty * price;
            text += &format!(
                "{customer},Customer {},{},{},{day},{qty:.2},{item},Item {item},{price:.5},{:.2}\n",
                n % 37,
                10_000 + n,
                if credit { "TRUE" } else { "FALSE" },
                -amount
            );
            expected.push((
                customer.clone(),
                iso.clone(),
                item.to_string(),
                (amount * 100.0).round() as i64,
            ));
        }
        text += &format!(
            "{customer},Customer {},{},FALSE,{day},0.00,,Ohio Sales Tax,0.00000,-7.25\n",
            n % 37,
            10_000 + n
        );
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    ws.write("SALES.CSV", &text);
    let r = init(&ws, &["--sales-log", "SALES.CSV"]).ok();
    assert_mentions(
        &r.stderr,
        &["four lines in five or more of the log are negative: sales written as credits"],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

#[test]
fn a_magento_order_items_export_loads_guests_and_takes_each_lines_discount_off() {
    // Magento's `row_total` is the price times the quantity, its `discount_amount` beside it;
    // a guest's order has no `customer_id`, only `customer_email`; `holded` is an order on
    // hold. Before, the guests' lines were dropped (`null_customer_id`), the discounts and
    // the held orders counted.
    let mut text = String::from(
        "order_increment_id,order_created_at,order_status,customer_id,customer_email,sku,name,qty_ordered,price,row_total,discount_amount,tax_amount\n",
    );
    let items = [
        ("NET-100", "Switch", 62397),
        ("SOF-200", "Office", 8176),
        ("SER-300", "Support", 49500),
    ];
    let mut expected: Vec<Line> = Vec::new();
    for o in 0..300usize {
        let buyer = o % 37;
        let guest = buyer % 6 == 0;
        let id = if guest {
            String::new()
        } else {
            (1000 + buyer).to_string()
        };
        let email = format!("buyer{buyer}@example.com");
        let status = [
            "complete",
            "complete",
            "processing",
            "holded",
            "complete",
            "canceled",
        ][o % 6];
        let (y, m, d) = (2022 + o % 3, 1 + (o * 5) % 12, 1 + o % 28);
        for k in 0..1 + o % 2 {
            let (sku, name, cents) = items[(o + k) % 3];
            let qty = 1 + ((o + k) % 3) as i64;
            let row = cents * qty;
            let off = if o % 4 == 1 { row / 10 } else { 0 };
            let money = |c: i64| format!("{}.{:02}00", c / 100, c % 100);
            text += &format!(
                "{},{y}-{m:02}-{d:02} 10:15:00,{status},{id},{email},{sku},{name},{qty}.0000,{},{},{},{}\n",
                100_000_000 + o,
                money(cents),
                money(row),
                money(off),
                money((row - off) * 8 / 100)
            );
            if matches!(status, "complete" | "processing") {
                expected.push((
                    email.clone(),
                    format!("{y}-{m:02}-{d:02}"),
                    sku.to_string(),
                    row - off,
                ));
            }
        }
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    ws.write("order_items.csv", &text);
    let r = init(&ws, &["--sales-log", "order_items.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customers are told apart by `customer_email`",
            "GP `row_total`, quantity `qty_ordered`",
            "less `discount_amount`: each line's discount as an amount",
            "`holded`",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), expected);
}

#[test]
fn magentos_refunds_and_variant_lines_are_no_sales_of_their_own() {
    // A `closed` order is one refunded (`qty_refunded` its whole quantity); a configurable
    // product's line is followed by its chosen variant's, `parent_item_id` naming it, of price
    // 0 and the same quantity. Before, refunded orders loaded as sales, each variant's units
    // counted twice and every item's `name` was taken for its buyer's.
    let mut text = String::from(
        "order_increment_id,order_created_at,order_status,customer_id,customer_email,item_id,parent_item_id,sku,name,qty_ordered,qty_refunded,price,row_total,discount_amount\n",
    );
    let mut expected: Vec<Line> = Vec::new();
    let mut units: f64 = 0.0;
    let mut item = 0;
    for o in 0..400usize {
        let buyer = o % 41;
        let email = format!("buyer{buyer}@example.com");
        let status = ["complete", "closed", "complete", "processing", "complete"][o % 5];
        let (y, m, d) = (2022 + o % 3, 1 + (o * 7) % 12, 1 + o % 28);
        let (sku, name, cents, variant) = [
            ("NET-100-BLK", "Switch", 62397, true),
            ("SOF-200", "Office", 8176, false),
            ("STO-300-WHT", "Array", 49500, true),
        ][o % 3];
        let qty = 2 + (o % 3) as i64;
        // Every seventh complete order had one unit sent back.
        let refunded = match status {
            "closed" => qty,
            "complete" if o % 7 == 0 => 1,
            _ => 0,
        };
        let row = cents * qty;
        let money = |c: i64| format!("{}.{:02}00", c / 100, c % 100);
        item += 1;
        let parent = item;
        text += &format!(
            "{},{y}-{m:02}-{d:02} 09:00:00,{status},{},{email},{parent},,{sku},{name},{qty}.0000,{refunded}.0000,{},{},0.0000\n",
            100_000_000 + o,
            1000 + buyer,
            money(cents),
            money(row),
        );
        if variant {
            item += 1;
            text += &format!(
                "{},{y}-{m:02}-{d:02} 09:00:00,{status},{},{email},{item},{parent},{sku},{name} {},{qty}.0000,{refunded}.0000,0.0000,0.0000,0.0000\n",
                100_000_000 + o,
                1000 + buyer,
                &sku[sku.len() - 3..],
            );
        }
        if refunded < qty {
            expected.push((
                (1000 + buyer).to_string(),
                format!("{y}-{m:02}-{d:02}"),
                sku.to_string(),
                row - cents * refunded,
            ));
            units += (qty - refunded) as f64;
        }
    }
    expected.sort();
    let ws = Ws::new("# not the workspace\n");
    ws.write("order_items.csv", &text);
    let r = init(&ws, &["--sales-log", "order_items.csv"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_name (none)",
            "invoice_id `order_increment_id`",
            "less `qty_refunded`: each line's quantity refunded",
            "lines with `parent_item_id` set are left out",
        ],
    );
    let run = shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_mentions(
        &run.stderr,
        &["for a refund of the whole line (`refunded_line`)"],
    );
    assert_eq!(loaded(&ws), expected);
    let df = read(&ws, "shop/outputs/star/fact_transactions.parquet");
    assert_eq!(f64s(&df, "quantity").iter().sum::<f64>(), units);
}
