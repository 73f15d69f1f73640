//! Sales logs as JSON: JSON Lines (a record a line, as a warehouse's JSON unload writes them)
//! and an API's dump of orders, an array of records each with its list of lines. Both onboard
//! as they are, to the cent, each fact line naming the file line its record starts on.

use crate::onboard::{init, shop};
use crate::onboard_reports::{loaded, Line};
use crate::support::{assert_mentions, Ws};

const PRODUCTS: [(&str, &str); 4] = [
    ("CAD-STD", "Design Software"),
    ("CAD-PRO", "Design Software"),
    ("PRN-3D", "Printers & Scanners"),
    ("SVC-ONB", "Services"),
];

/// Orders: (number, customer, day, its lines (sku, product line, cents)).
type Order = (
    String,
    String,
    String,
    Vec<(&'static str, &'static str, i64)>,
);

fn orders() -> (Vec<Order>, Vec<Line>) {
    let mut orders = Vec::new();
    let mut lines = Vec::new();
    for i in 0..240usize {
        let customer = format!("C{:03}", i % 41);
        let day = format!(
            "{}-{:02}-{:02}",
            2021 + i % 3,
            1 + (i * 5) % 12,
            1 + (i * 7) % 28
        );
        let items: Vec<_> = (0..1 + i % 3)
            .map(|k| {
                let (sku, line) = PRODUCTS[(i + k * 3) % 4];
                (sku, line, 1000 + ((i * 7919 + k * 104_729) % 90_000) as i64)
            })
            .collect();
        for &(sku, _, cents) in &items {
            lines.push((customer.clone(), day.clone(), sku.to_string(), cents));
        }
        orders.push((format!("SO-{}", 5000 + i), customer, day, items));
    }
    lines.sort();
    (orders, lines)
}

fn money(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

#[test]
fn json_lines_of_sales_lines_load_with_their_file_lines() {
    let (orders, lines) = orders();
    let mut text = String::new();
    for (number, customer, day, items) in &orders {
        for (sku, line, cents) in items {
            text += &format!(
                "{{\"order_id\": \"{number}\", \"customer\": {{\"id\": \"{customer}\", \"name\": \"Customer {customer}\"}}, \"order_date\": \"{day}T09:30:00Z\", \"product\": \"{sku}\", \"division\": \"{line}\", \"revenue\": {}, \"paid\": true}}\n",
                money(*cents)
            );
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("unload/sales.jsonl", &text);
    let r = init(&ws, &["--sales-log", "unload/sales.jsonl"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `customer.id`",
            "division `division`",
            "product `product`, GP `revenue`",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
    // A record's fact line names the file's line: the third record is on line 3.
    let df = crate::etl::read(&ws, "shop/outputs/star/fact_transactions.parquet");
    let rows = df
        .column("source_row")
        .unwrap()
        .cast(&polars::prelude::DataType::Int64);
    let mut rows: Vec<i64> = rows.unwrap().i64().unwrap().into_no_null_iter().collect();
    rows.sort();
    assert_eq!(&rows[..3], &[1, 2, 3]);
}

#[test]
fn an_api_dump_of_orders_with_their_lines_loads_a_row_per_line() {
    let (orders, lines) = orders();
    // A page of Shopify's API: the orders' list in an object, each order's lines beside its
    // shipping lines.
    let mut text = String::from("{\"orders\": [\n");
    for (n, (number, customer, day, items)) in orders.iter().enumerate() {
        let items: Vec<String> = items
            .iter()
            .map(|(sku, line, cents)| {
                format!(
                    "{{\"id\": {n}, \"sku\": \"{sku}\", \"product_line\": \"{line}\", \"amount\": \"{}\"}}",
                    money(*cents)
                )
            })
            .collect();
        text += &format!(
            "  {{\n    \"id\": {n},\n    \"invoice_number\": \"{number}\",\n    \"issued_at\": \"{day}\",\n    \"customer\": {{\"id\": \"{customer}\"}},\n    \"line_items\": [{}],\n    \"shipping_lines\": [{{\"code\": \"Standard\", \"price\": \"5.00\"}}],\n    \"tags\": [\"b2b\"]\n  }}{}\n",
            items.join(", "),
            if n + 1 < orders.len() { "," } else { "" }
        );
    }
    text += "], \"next_page\": null}\n";
    let ws = Ws::new("# not the workspace\n");
    ws.write("orders.json", &text);
    let r = init(&ws, &["--sales-log", "orders.json"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "customer_id `customer.id`",
            "invoice_id `invoice_number`",
            "product `sku`, GP `amount`",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);

    // A file cut off mid-record is refused, naming it, and nothing is written.
    let ws = Ws::new("# not the workspace\n");
    ws.write("orders.json", &text[..text.len() / 2]);
    let r = init(&ws, &["--sales-log", "orders.json"]).code(2);
    assert_mentions(
        &r.stderr,
        &["`orders.json` line", "not JSON: EOF while parsing"],
    );
}

#[test]
fn a_stripe_dump_of_invoices_loads_its_lines_in_cents_on_their_day() {
    // Stripe's API: a list object of invoices, each `created` in seconds since 1970 and its
    // `lines` a list object too, every amount in cents beside `currency: "usd"`. Before, init
    // refused it (no date: `created` was a number; no product: the lines were not read), and
    // the same lines as a CSV loaded at 100 times their value.
    let (orders, lines) = orders();
    let invoices: Vec<String> = orders
        .iter()
        .map(|(number, customer, day, items)| {
            let midday = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(12, 30, 0)
                .unwrap()
                .and_utc()
                .timestamp();
            let data: Vec<String> = items
                .iter()
                .map(|(sku, _, cents)| {
                    format!(
                        "{{\"object\": \"line_item\", \"amount\": {cents}, \"currency\": \"usd\", \"quantity\": 1, \"period\": {{\"start\": {midday}, \"end\": {}}}, \"price\": {{\"product\": \"{sku}\", \"unit_amount\": {cents}}}}}",
                        midday + 2_592_000
                    )
                })
                .collect();
            format!(
                "{{\"id\": \"in_{number}\", \"object\": \"invoice\", \"created\": {midday}, \"currency\": \"usd\", \"customer\": \"cus_{customer}\", \"status\": \"paid\", \"lines\": {{\"object\": \"list\", \"data\": [{}], \"has_more\": false}}}}",
                data.join(", ")
            )
        })
        .collect();
    let dump = format!(
        "{{\"object\": \"list\", \"data\": [\n{}\n], \"has_more\": false}}\n",
        invoices.join(",\n")
    );
    let ws = Ws::new("# not the workspace\n");
    ws.write("invoices.json", &dump);
    let r = init(&ws, &["--sales-log", "invoices.json"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "order_date `created`",
            "product `price.product`, GP `amount`",
            "amounts in cents (80343 is 803.43), read divided by 100",
        ],
    );
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    let want: Vec<Line> = lines
        .into_iter()
        .map(|(c, d, s, cents)| (format!("cus_{c}"), d, s, cents))
        .collect();
    assert_eq!(loaded(&ws), want);
}

#[test]
fn epoch_times_under_any_date_name_a_nested_category_and_margin_load_as_written() {
    // `posted_at` in seconds was refused as "no date column"; `category.name` was no division
    // (products grouped by their code's prefix); `margin.amount` was called revenue.
    let (orders, lines) = orders();
    let mut text = String::new();
    for (number, customer, day, items) in &orders {
        let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let epoch = d.and_hms_opt(9, 30, 0).unwrap().and_utc().timestamp();
        for (sku, line, cents) in items {
            text += &format!(
                "{{\"id\": \"{number}\", \"customer\": {{\"id\": \"{customer}\"}}, \"posted_at\": {epoch}, \"sku\": \"{sku}\", \"category\": {{\"name\": \"{line}\"}}, \"margin\": {{\"amount\": {}}}}}\n",
                money(*cents)
            );
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("orders.jsonl", &text);
    let r = init(&ws, &["--sales-log", "orders.jsonl"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "order_date `posted_at`",
            "division `category.name`",
            "GP `margin.amount`",
        ],
    );
    assert!(!r.stderr.contains("revenue"), "{}", r.stderr);
    shop(&ws, &["run", "-j", "2", "--target", "star"]).ok();
    assert_eq!(loaded(&ws), lines);
}
