//! Marketplace and web-shop exports a tester brought (Olist's tables, an electronics store's
//! monthly files): shapes with a per-order customer id beside the customer's, payments that
//! outnumber the items, a product master keyed by a category name with blanks, a unit price
//! headed `Price Each`, blank rows, and a log that runs a day into its holdout.

use std::fmt::Write as _;

use crate::onboard::{fact_gp_total, init, shop, Rng};
use crate::support::{assert_mentions, Ws};

/// `YYYY-MM-DD` of day `n` (0-based) from 2017-01-01, in 28-day months.
fn day(n: usize) -> String {
    let (y, rest) = (2017 + n / 336, n % 336);
    format!("{y}-{:02}-{:02}", 1 + rest / 28, 1 + rest % 28)
}

const CATEGORIES: [&str; 4] = ["moveis_decoracao", "bebes", "esporte_lazer", ""];

/// Olist's shape as four tables in `olist/`: items (`order_id`, `product_id`, `price`), orders
/// (`order_id`, `customer_id`, `order_purchase_timestamp`), payments (two rows an order: more
/// than the items) and products (`product_id`, `product_category_name`, the fourth category
/// blank). Each order has a new `customer_id`; `customer_unique_id` (in the orders when
/// `unique_in_orders`) is the customer, and buys again. (ws, items' price total)
fn olist(seed: u64, unique_in_orders: bool) -> (Ws, f64) {
    let mut rng = Rng(seed);
    let ws = Ws::new("# not the workspace\n");
    let mut items = String::from("order_id,order_item_id,product_id,price\n");
    let mut orders = String::from(if unique_in_orders {
        "order_id,customer_id,customer_unique_id,order_status,order_purchase_timestamp\n"
    } else {
        "order_id,customer_id,order_status,order_purchase_timestamp\n"
    });
    let mut payments = String::from("order_id,payment_sequential,payment_type,payment_value\n");
    let mut customers = String::from("customer_id,customer_unique_id,customer_city\n");
    let mut total = 0.0;
    for o in 0..900usize {
        let person = rng.below(300);
        let when = day(rng.below(900));
        if unique_in_orders {
            writeln!(orders, "o{o},c{o},u{person},delivered,{when} 10:00:00").unwrap();
        } else {
            writeln!(orders, "o{o},c{o},delivered,{when} 10:00:00").unwrap();
            writeln!(customers, "c{o},u{person},sao paulo").unwrap();
        }
        // An item or two an order, and a payment more than items.
        let n = 1 + rng.below(2);
        for i in 0..n {
            let product = rng.below(40);
            let price = (10 + rng.below(200)) as f64 + 0.5;
            total += price;
            writeln!(items, "o{o},{},p{product},{price:.2}", i + 1).unwrap();
        }
        for k in 0..n + 1 {
            writeln!(payments, "o{o},{},voucher,{:.2}", k + 1, 10.0).unwrap();
        }
    }
    let mut products = String::from("product_id,product_category_name,product_weight_g\n");
    // Two products added since the master was exported.
    for p in 0..38 {
        writeln!(products, "p{p},{},{}", CATEGORIES[p % 4], 100 + p).unwrap();
    }
    ws.write("olist/olist_order_items_dataset.csv", &items);
    ws.write("olist/olist_orders_dataset.csv", &orders);
    ws.write("olist/olist_order_payments_dataset.csv", &payments);
    ws.write("olist/olist_products_dataset.csv", &products);
    // A stock ledger: a product and an amount on more rows than the items, but no order.
    let mut stock = String::from("movement_id,product_id,qty,amount,movement_date\n");
    for m in 0..3000 {
        writeln!(
            stock,
            "m{m},p{},{},{}.00,{}",
            m % 40,
            1 + m % 7,
            10 + m % 90,
            day(m % 900)
        )
        .unwrap();
    }
    ws.write("olist/stock_movements.csv", &stock);
    if !unique_in_orders {
        ws.write("olist/olist_customers_dataset.csv", &customers);
    }
    (ws, total)
}

#[test]
fn olist_loads_in_one_step_joined_past_its_payments_keyed_by_its_customers_in_its_categories() {
    let (ws, total) = olist(5, true);
    let r = init(
        &ws,
        &["--sales-log", "olist", "--column", "gross_profit=price"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            // The orders are the items' header, though the payments outnumber the items.
            "`olist_orders_dataset.csv` is the invoices' header",
            // The per-order id gives way to the customer's.
            "customers are keyed by `customer_unique_id`, not `customer_id`",
            // The product master is the map, its blank category one division, and so are the
            // products it lacks.
            "`olist_products_dataset.csv` beside it maps 38 of its 40 products to divisions",
            "9 product(s) of the product master have no division value: they share the division `Uncategorised`",
            "2 product(s) of the log are not in `olist_products_dataset.csv` (`p38`, `p39`): they share the division `Uncategorised`",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains(",Uncategorised,") && map.contains(",bebes,"),
        "{map}"
    );
    shop(&ws, &["run", "--target", "star"]).ok();
    let (lines, gp) = fact_gp_total(&ws);
    assert!((gp - total).abs() < 0.01, "facts {gp} against {total}");
    assert!(lines > 900, "{lines}");
    use polars::prelude::*;
    let f = std::fs::File::open(ws.path("shop/outputs/star/dim_customer.parquet")).unwrap();
    // 300 people, not 900 orders.
    let n = ParquetReader::new(f).finish().unwrap().height();
    assert!((250..=300).contains(&n), "{n} customers");
}

#[test]
fn a_unit_price_headed_price_each_is_times_its_quantity_and_blank_rows_are_no_duplicates() {
    let mut rng = Rng(9);
    let mut log =
        String::from("Order ID,Product,Quantity Ordered,Price Each,Order Date,Purchase Address\n");
    let mut total = 0.0;
    for n in 0..600usize {
        let qty = 1 + rng.below(3);
        let price = [11.95, 99.99, 149.99, 3.84][rng.below(4)];
        total += price * qty as f64;
        writeln!(
            log,
            "{},{},{qty},{price},{} 08:46,\"{} Main St, Dallas, TX\"",
            1000 + n,
            ["Cable", "Headphones", "Monitor", "Batteries"][rng.below(4)],
            day(rng.below(700)),
            rng.below(150)
        )
        .unwrap();
        // A spreadsheet's blank lines, now and then.
        if n % 50 == 7 {
            log.push_str(",,,,,\n");
        }
    }
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &log);
    let r = init(
        &ws,
        &[
            "--sales-log",
            "sales.csv",
            "--column",
            "customer_id=Purchase Address",
        ],
    )
    .ok();
    assert!(!r.stderr.contains("byte for byte"), "{}", r.stderr);
    assert!(ws
        .read("shop/stages/etl.yaml")
        .contains("value_per_unit: true"));
    let run = shop(&ws, &["run", "--target", "star"]).ok();
    assert!(!run.stderr.contains("exact_duplicate"), "{}", run.stderr);
    assert!(!run.stderr.contains("null_customer_id"), "{}", run.stderr);
    let (lines, gp) = fact_gp_total(&ws);
    assert_eq!(lines, 600);
    assert!((gp - total).abs() < 0.01, "facts {gp} against {total}");
    // Another name for a unit price is named so.
    let ws = Ws::new("# not the workspace\n");
    ws.write("sales.csv", &log.replace("Price Each", "Px"));
    let r = init(
        &ws,
        &[
            "--sales-log",
            "sales.csv",
            "--column",
            "customer_id=Purchase Address",
        ],
    )
    .code(2);
    assert_mentions(&r.stderr, &["no column is known to"]);
    init(
        &ws,
        &[
            "--sales-log",
            "sales.csv",
            "--column",
            "customer_id=Purchase Address",
            "--column",
            "unit_price=Px",
        ],
    )
    .ok();
    shop(&ws, &["run", "--target", "star"]).ok();
    let (_, gp) = fact_gp_total(&ws);
    assert!((gp - total).abs() < 0.01, "facts {gp} against {total}");
}

/// Chinook's tables as published: invoice lines by `track_id`, their invoices, a larger
/// playlist table of tracks and no amounts, `Track.csv` with each track's `genre_id`, and
/// `Genre.csv` naming the genres (`R&B/Soul` among them).
#[test]
fn chinook_as_published_joins_its_invoice_lines_and_names_its_genres() {
    let mut rng = Rng(21);
    let ws = Ws::new("# not the workspace\n");
    let mut lines = String::from(",invoice_line_id,invoice_id,track_id,unit_price,quantity\n");
    let mut invoices = String::from(",invoice_id,customer_id,invoice_date,total\n");
    let mut n = 0;
    for i in 0..400usize {
        writeln!(
            invoices,
            "{i},{},{},{},1.98",
            i + 1,
            1 + rng.below(59),
            day(rng.below(900))
        )
        .unwrap();
        for _ in 0..2 {
            writeln!(
                lines,
                "{n},{},{},{},0.99,1",
                n + 1,
                i + 1,
                1 + rng.below(60)
            )
            .unwrap();
            n += 1;
        }
    }
    let mut playlist = String::from("playlist_id,track_id\n");
    for k in 0..2000 {
        writeln!(playlist, "{},{}", 1 + k % 18, 1 + k % 60).unwrap();
    }
    let mut tracks = String::from(",track_id,name,album_id,genre_id,unit_price\n");
    for t in 1..=60 {
        writeln!(
            tracks,
            // Codes written zero-padded here, bare in `Genre.csv`.
            "{},{t},Song {t},{},0{},0.99",
            t - 1,
            1 + t / 10,
            1 + t % 3
        )
        .unwrap();
    }
    ws.write("chinook/Invoice_Line.csv", &lines);
    ws.write("chinook/Invoice.csv", &invoices);
    ws.write("chinook/playlist_track.csv", &playlist);
    ws.write("chinook/Track.csv", &tracks);
    ws.write(
        "chinook/Genre.csv",
        ",genre_id,name\n0,1,Rock\n1,2,Jazz\n2,3,R&B/Soul\n",
    );
    let r = init(&ws, &["--sales-log", "chinook"]).ok();
    assert_mentions(
        &r.stderr,
        &[
            "`Invoice.csv` is the invoices' header",
            "the divisions are `genre_id` codes, named from `Genre.csv` (`name`) in stages/sku_map.csv: 01 = Rock, 02 = Jazz, 03 = R&B/Soul",
            "division `R&B/Soul` is `R&B-Soul`",
        ],
    );
    let map = ws.read("shop/stages/sku_map.csv");
    assert!(
        map.contains(",Jazz,") && map.contains(",R&B-Soul,"),
        "{map}"
    );
}

/// Olist as exported: the customer's key only in the customers table, which is no header of the
/// lines: init names it and says how to use it.
#[test]
fn a_customers_table_that_keys_the_per_order_ids_is_named() {
    let (ws, _) = olist(6, false);
    let r = init(
        &ws,
        &["--sales-log", "olist", "--column", "gross_profit=price"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &["`olist_customers_dataset.csv` gives each `customer_id` a `customer_unique_id`"],
    );
}

/// `Selling Price` and `Cost Price` as line totals, then as prices per unit: each read as the
/// data show (by how it moves with the quantity within a product), and GP matches the log.
#[test]
fn selling_and_cost_prices_are_read_per_unit_or_per_line_as_the_data_show() {
    for per_unit in [false, true] {
        let mut rng = Rng(if per_unit { 31 } else { 32 });
        let mut log = String::from("Invoice,Date,Customer,Product,Qty,Selling Price,Cost Price\n");
        let mut total = 0.0;
        for n in 0..500usize {
            let product = rng.below(12);
            let list = (20 + 15 * product) as f64;
            let qty = 1 + rng.below(5);
            let (sell, cost) = if per_unit {
                (list, list * 0.6)
            } else {
                (list * qty as f64, list * 0.6 * qty as f64)
            };
            total += list * 0.4 * qty as f64;
            writeln!(
                log,
                "I{n},{},C{},P{product},{qty},{sell:.2},{cost:.2}",
                day(rng.below(700)),
                rng.below(80)
            )
            .unwrap();
        }
        let ws = Ws::new("# not the workspace\n");
        ws.write("lines.csv", &log);
        init(&ws, &["--sales-log", "lines.csv"]).ok();
        let etl = ws.read("shop/stages/etl.yaml");
        assert!(
            etl.contains(&format!("value_per_unit: {per_unit}"))
                && etl.contains(&format!("cost_per_unit: {per_unit}")),
            "{etl}"
        );
        shop(&ws, &["run", "--target", "star"]).ok();
        let (_, gp) = fact_gp_total(&ws);
        assert!(
            (gp - total).abs() < 0.05,
            "per unit {per_unit}: facts {gp} against {total}"
        );
    }
}
