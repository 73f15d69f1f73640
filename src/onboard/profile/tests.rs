use super::*;
use chrono::NaiveDate;

fn write(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

#[test]
fn finds_columns_pairs_and_divisions_by_rule() {
    let f = write(
        "Account ID,Invoice Date,Department,Invoice No,Paper GP,Paper_Qty,Ink,Ink Qty,Freight,Notes\n\
         7,2016-01-04,Office & Print,1,10.5,2,,,3.5,x\n\
         7,2016-02-01,Office & Print,2,,,4.25,1,,y\n\
         8,1/5/2016,Café,3,1,1,,,,z\n",
    );
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Account ID");
    assert_eq!(p.columns.order_date, "Invoice Date");
    assert_eq!(p.columns.division.as_deref(), Some("Department"));
    assert_eq!(p.columns.invoice_id.as_deref(), Some("Invoice No"));
    let pairs: Vec<(&str, &str)> = p
        .products
        .iter()
        .map(|x| (x.gp_column.as_str(), x.qty_column.as_str()))
        .collect();
    assert_eq!(pairs, [("Paper GP", "Paper_Qty"), ("Ink", "Ink Qty")]);
    // Paper: one row in each department; the tie breaks by name.
    assert_eq!(
        p.products[0].majority_division,
        Some(("Café".to_string(), 0.5))
    );
    assert_eq!(
        p.products[1].majority_division.as_ref().unwrap().0,
        "Office & Print"
    );
    assert_eq!(p.unplaced.len(), 1);
    assert_eq!(p.unplaced[0].column, "Freight");
    assert_eq!(
        (p.first_date.to_string(), p.last_date.to_string()),
        ("2016-01-04".into(), "2016-02-01".into())
    );
    assert_eq!(p.rows_in(p.first_date, p.last_date), 2);
}

#[test]
fn an_erp_exports_document_number_is_the_invoice() {
    // Without it, a line log's invoices (basket features, duplicate detection) are lost.
    for header in ["Doc No", "Sales Order", "Billing Document", "Receipt No"] {
        let f = write(&format!(
            "Account No,Posting Date,{header},Item,Margin\n7,2016-01-04,D1,Ink,4.5\n"
        ));
        let p = profile(f.path(), None, &[]).unwrap();
        assert_eq!(p.columns.invoice_id.as_deref(), Some(header), "{header}");
    }
}

#[test]
fn refuses_what_it_cannot_read_and_says_what_it_looked_for() {
    let f = write("Who,When,A,A_Qty\n1,2016-01-01,1,1\n");
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(
        e.contains("no customer id column")
            && e.contains("`Who`, `When`")
            && e.contains("name it: `--column customer_id=HEADER`"),
        "{e}"
    );
    let f = write("CustomerId,Note,A,A_Qty\n1,hello,1,1\n");
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(e.contains("no date column"), "{e}");
    let f = write("CustomerId,Date,Sales\n1,2016-01-01,5\n");
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(
        e.contains("no product columns") && e.contains("`Sales`"),
        "{e}"
    );
    let f = write("");
    assert!(profile(f.path(), None, &[])
        .unwrap_err()
        .contains("is empty"));
    let f = write("CustomerId,Date,A,A_Qty\n");
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(e.contains("no data rows under its header"), "{e}");
    // A date column with too many bad values is named, with what it could not read.
    let mut text = String::from("CustomerId,Order Date,A,A_Qty\n");
    for i in 0..10 {
        let d = ["2016-01-01", "soon", "TBD"][usize::from(i >= 7) + usize::from(i == 9)];
        text.push_str(&format!("{i},{d},1,1\n"));
    }
    let f = write(&text);
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(
        e.contains("`Order Date` reads as a date in only 70% of 10 sampled rows")
            && e.contains("unreadable: `soon`, `TBD`;"),
        "{e}"
    );
}

#[test]
fn a_header_the_user_names_is_the_column_whatever_init_would_guess() {
    // `Kundennr` and `Belegdatum` match no name init knows; `Datum` would be guessed as the date.
    let f = write("Kundennr,Belegdatum,Datum,A,A_Qty\n7,2016-01-05,2016-02-01,1,1\n8,2016-01-06,2016-02-01,2,1\n");
    let given = [
        ("customer_id".to_string(), "Kundennr".to_string()),
        ("order_date".to_string(), "Belegdatum".to_string()),
    ];
    let p = profile(f.path(), None, &given).unwrap();
    assert_eq!(
        (
            p.columns.customer_id.as_str(),
            p.columns.order_date.as_str()
        ),
        ("Kundennr", "Belegdatum")
    );
    assert_eq!(p.first_date.to_string(), "2016-01-05");
    let e = profile(
        f.path(),
        None,
        &[("customer_id".to_string(), "Kunde".to_string())],
    )
    .unwrap_err();
    assert!(
        e.contains("`--column customer_id=Kunde`") && e.contains("has no column `Kunde`"),
        "{e}"
    );
}

#[test]
fn pipes_utf16_and_trailing_commas_read_as_a_plain_csv_does() {
    let csv = "Customer ID,Invoice Date,Division,Item Code,Qty,Gross Profit\n\
               C1,2021-01-04,Office,Toner XL,2,\"$(12.50)\"\n\
               C2,2021-02-01,Café,Paper A4,1,+30.25\n";
    let shape = |p: &Profile| {
        (
            p.columns.customer_id.clone(),
            p.columns.product.clone(),
            p.columns.gross_profit.clone(),
            p.products
                .iter()
                .map(|x| (x.gp_column.clone(), x.gross_profit))
                .collect::<Vec<_>>(),
        )
    };
    let plain = profile(write(csv).path(), None, &[]).unwrap();
    assert_eq!(plain.shape, Shape::Long);
    assert_eq!(
        shape(&plain).3,
        [
            ("Paper A4".to_string(), 30.25),
            ("Toner XL".to_string(), -12.5)
        ]
    );
    // `|`, the flat-file separator of SAP and many ERP exports.
    let piped = profile(write(&csv.replace(',', "|")).path(), None, &[]).unwrap();
    assert_eq!(piped.delimiter, '|');
    assert_eq!(shape(&piped), shape(&plain));
    // Excel's "Unicode Text": UTF-16 with a byte order mark, tab-separated.
    let tabbed = csv.replace(',', "\t");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), &utf16).unwrap();
    assert_eq!(shape(&profile(f.path(), None, &[]).unwrap()), shape(&plain));
    // Every line ending in a comma: a blank column, which names no product (`` + `Qty` was
    // taken for a GP/Qty pair and the long log for a wide one).
    let trailing: String = csv.lines().map(|l| format!("{l},\n")).collect();
    let p = profile(write(&trailing).path(), None, &[]).unwrap();
    assert_eq!(p.shape, Shape::Long);
    assert_eq!(shape(&p), shape(&plain));
}

#[test]
fn stray_dates_far_from_the_log_are_set_apart() {
    // 200 rows from 2021-01-01, every fifth day, and a `1900-01-01` placeholder twice and a
    // mistyped `2203` once: one row in a hundred or fewer, more than a year away.
    let mut text = String::from("Customer ID,Invoice Date,Ink GP,Ink_Qty\n");
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    for k in 0..200u64 {
        let day = start + chrono::Days::new(5 * k);
        text += &format!("C{},{day},10,1\n", k % 7);
    }
    let log = text.clone() + "C1,1900-01-01,5,1\nC2,1900-01-01,5,1\nC3,2203-10-06,5,1\n";
    let p = profile(write(&log).path(), None, &[]).unwrap();
    assert_eq!(
        (p.first_date.to_string(), p.last_date.to_string()),
        ("2021-01-01".into(), "2023-09-23".into())
    );
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(p.strays_before, [(d("1900-01-01"), 2)]);
    assert_eq!(p.strays_after, [(d("2203-10-06"), 1)]);
    assert!(!p.per_day.contains_key(&d("1900-01-01")));
    // A year of rows before a gap is data, not a stray: 60 rows in 2018 stay.
    let mut early = String::new();
    for k in 0..60u64 {
        early += &format!("C9,{},10,1\n", d("2018-01-01") + chrono::Days::new(5 * k));
    }
    let p = profile(write(&(text + &early)).path(), None, &[]).unwrap();
    assert_eq!(p.first_date.to_string(), "2018-01-01");
    assert!(p.strays_before.is_empty() && p.strays_after.is_empty());
}

#[test]
fn a_thin_tail_of_months_after_the_log_is_set_apart_and_one_thin_last_month_is_not() {
    // Three years, 6 rows a day; then 12 renewals billed ahead over three months.
    let mut text = String::from("Customer ID,Invoice Date,Ink GP,Ink_Qty\n");
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    for k in 0..1095u64 {
        for c in 0..6 {
            text += &format!("C{c},{},10,1\n", start + chrono::Days::new(k));
        }
    }
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut tail = text.clone();
    for day in ["2024-01-31", "2024-02-29", "2024-03-31"] {
        for c in 0..4 {
            tail += &format!("C{c},{day},10,1\n");
        }
    }
    let p = profile(write(&tail).path(), None, &[]).unwrap();
    assert_eq!(p.last_date, d("2023-12-31"));
    assert_eq!(
        p.strays_after,
        [
            (d("2024-01-31"), 4),
            (d("2024-02-29"), 4),
            (d("2024-03-31"), 4)
        ]
    );
    // An export taken on January 3rd: one thin month is the log's last, not a tail.
    let mut early = text;
    for day in ["2024-01-02", "2024-01-03"] {
        early += &format!("C1,{day},10,1\n");
    }
    let p = profile(write(&early).path(), None, &[]).unwrap();
    assert_eq!(p.last_date, d("2024-01-03"));
    assert!(p.strays_after.is_empty());
    // A season: a business quiet in November and December every year keeps its last ones (a
    // tester's were cut, with 9 real lines).
    use chrono::Datelike;
    let mut seasonal = String::from("Customer ID,Invoice Date,Ink GP,Ink_Qty\n");
    let mut day = start;
    while day <= d("2023-12-31") {
        let quiet = day.month() >= 11;
        // 6 rows a day, or one row every tenth day in the quiet months.
        let n = if !quiet {
            6
        } else {
            u32::from(day.day() % 10 == 0)
        };
        for c in 0..n {
            seasonal += &format!("C{c},{day},10,1\n");
        }
        day = day + chrono::Days::new(1);
    }
    let p = profile(write(&seasonal).path(), None, &[]).unwrap();
    assert_eq!(p.last_date, d("2023-12-30"));
    assert!(p.strays_after.is_empty(), "{:?}", p.strays_after);
}

#[test]
fn ids_that_differ_only_in_case_or_leading_zeros_are_counted_for_a_note() {
    let f = write(
        "Customer ID,Invoice Date,Ink GP,Ink_Qty\n\
         C0001,2021-01-04,10,1\n\
         c0001 ,2021-02-04,10,1\n\
         C0002,2021-03-04,10,1\n\
         C0001,2021-04-04,10,1\n\
         00012,2021-04-05,10,1\n\
         12,2021-04-06,10,1\n\
         120,2021-04-07,10,1\n",
    );
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(
        p.id_twins,
        (2, Some(("00012".to_string(), "12".to_string())))
    );
}

#[test]
fn a_currency_column_and_its_values_are_kept_for_a_note() {
    let f = write(
        "Customer ID,Invoice Date,Currency,Ink GP,Ink_Qty\n\
         C1,2021-01-04,USD,10,1\n\
         C2,2021-02-04,eur,10,1\n\
         C3,2021-03-04,,10,1\n\
         C1,2021-04-04,USD,10,1\n",
    );
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(
        p.currencies,
        Some(("Currency".to_string(), vec!["EUR".into(), "USD".into()]))
    );
    let plain = write("Customer ID,Invoice Date,Ink GP,Ink_Qty\nC1,2021-01-04,10,1\n");
    assert_eq!(profile(plain.path(), None, &[]).unwrap().currencies, None);
}

#[test]
fn every_part_of_a_folder_has_its_say_in_the_date_order() {
    // Years of ISO dates, then an export of day-first ones: the first part's 5,000 sampled
    // rows cannot tell, the last part's can.
    let dir = tempfile::tempdir().unwrap();
    let mut iso = String::from("CustomerId,Date,Widget,Widget_Qty\n");
    for i in 0..5_200 {
        iso += &format!(
            "{},2022-{:02}-{:02},10,1\n",
            i % 300,
            1 + i % 12,
            1 + i % 28
        );
    }
    std::fs::write(dir.path().join("2022.csv"), &iso).unwrap();
    let mut dmy = String::from("CustomerId,Date,Widget,Widget_Qty\n");
    for i in 0..400 {
        dmy += &format!(
            "{},{:02}/{:02}/2023,10,1\n",
            i % 300,
            13 + i % 15,
            1 + i % 12
        );
    }
    std::fs::write(dir.path().join("2023.csv"), &dmy).unwrap();
    let p = profile(dir.path(), None, &[]).unwrap();
    assert_eq!(p.date_order, DateOrder::Dmy);
    assert_eq!(p.dated_rows, 5_600);
    assert_eq!(p.parts, ["2022.csv", "2023.csv"]);
    // The same as one file: sampled through, not only at its start.
    let one = dir.path().join("one.csv");
    std::fs::write(&one, iso + &dmy[dmy.find('\n').unwrap() + 1..]).unwrap();
    let p = profile(&one, None, &[]).unwrap();
    assert_eq!(p.date_order, DateOrder::Dmy);
    assert_eq!(p.dated_rows, 5_600);
}

#[test]
fn a_day_first_file_among_month_first_ones_is_read_its_own_way() {
    // A UK office's December beside eleven US months: read month first, its dates past the
    // 12th were unreadable and the others landed in January to November.
    let dir = tempfile::tempdir().unwrap();
    let head = "CustomerId,Date,Widget,Widget_Qty\n";
    let mut us = String::from(head);
    for i in 0..330 {
        us += &format!("{},{:02}/{:02}/2023,10,1\n", i % 50, 1 + i / 30, 1 + i % 28);
    }
    std::fs::write(dir.path().join("a_us.csv"), &us).unwrap();
    let mut uk = String::from(head);
    for i in 0..31 {
        uk += &format!("{},{:02}/12/2023,10,1\n", i % 50, 1 + i);
    }
    std::fs::write(dir.path().join("b_uk.csv"), &uk).unwrap();
    let p = profile(dir.path(), None, &[]).unwrap();
    assert_eq!(p.date_order, DateOrder::Mdy);
    assert_eq!(p.other_order_parts, [(1, 19)]);
    assert_eq!(p.dated_rows, 361);
    assert_eq!(p.last_date.to_string(), "2023-12-31");
}

#[test]
fn a_quote_never_closed_is_refused_with_its_line_not_counted_as_a_gap() {
    // Before, init read the rows after the quote as one field, reported a quarter of the log
    // fewer rows and a 241-day gap that was not there, and exited 0; the run then blocked.
    let mut log = String::from("CustomerId,Name,Date,Widget,Widget_Qty\n");
    for i in 0..400 {
        let name = if i == 2 {
            "\"Big Mike's Tyres".to_string()
        } else {
            format!("C{i}")
        };
        log += &format!(
            "{},{name},2023-{:02}-{:02},10,1\n",
            i % 50,
            1 + i / 34,
            1 + i % 28
        );
    }
    let f = write(&log);
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(
        e.contains("a quote opened on line 4 is not closed on it: 397 row(s) after it"),
        "{e}"
    );
}

#[test]
fn a_holdout_whose_every_product_was_renamed_is_told_so() {
    // Before, init said "no row has both a readable date and a product line" of a holdout whose
    // every row had both: its codes were the log's, lower-cased and without the dash.
    let map: Vec<crate::stages::etl::skumap::Sku> = ["HW-100", "SW-10"]
        .iter()
        .map(|p| crate::stages::etl::skumap::Sku {
            gp_column: p.to_string(),
            qty_column: String::new(),
            division: String::new(),
            family: String::new(),
            sale_type: String::new(),
            routes: Default::default(),
        })
        .collect();
    let mut text = String::from("Account ID,Invoice Date,Item Code,Qty,Gross Profit\n");
    for i in 0..60 {
        let item = ["hw100", "sw10"][i % 2];
        text += &format!("C{},2022-01-{:02},{item},1,10\n", i % 9, 1 + i % 28);
    }
    let f = write(&text);
    let e = profile(f.path(), Some(&map), &[]).unwrap_err();
    assert!(
        e.contains("none of its products is one of the sales log's: its 60 line(s) name products such as `hw100`, `sw10`"),
        "{e}"
    );
}

#[test]
fn a_division_written_with_a_combining_accent_is_the_precomposed_one() {
    // `Fabricación` precomposed (U+00F3) on one product's rows, as `o` + U+0301 (as macOS and
    // some ERPs write it) on the other's: one division, not two that look the same.
    let f = write(
        "Customer ID,Order Date,Division,Item,Qty,GP\n\
         1,2024-01-02,Fabricaci\u{f3}n,PCB-FAB,1,10\n\
         2,2024-01-03,Fabricacio\u{301}n,PCB-ASSY,1,20\n\
         3,2024-01-04,Fabricacio\u{301}n,PCB-ASSY,1,30\n",
    );
    let p = profile(f.path(), None, &[]).unwrap();
    let divisions: std::collections::BTreeSet<String> = p
        .products
        .iter()
        .map(|x| x.majority_division.clone().unwrap().0)
        .collect();
    assert_eq!(
        divisions.into_iter().collect::<Vec<_>>(),
        ["Fabricaci\u{f3}n"]
    );
}

#[test]
fn other_columns_of_dates_are_named_beside_the_one_chosen() {
    let f = write(
        "Customer ID,Order Date,Ship Date,Invoice Date,Due Date,Item,GP,Notes\n\
         7,2016-01-04,2016-01-06,2016-01-07,2016-02-06,Paper,10.5,updated 2016-03-01\n\
         8,2016-01-05,2016-01-08,2016-01-09,2016-02-08,Ink,4.25,\n",
    );
    let p = profile(f.path(), None, &[]).unwrap();
    // The invoice's day before the order's, which comes first in the file.
    assert_eq!(p.columns.order_date, "Invoice Date");
    assert_eq!(p.other_dates, ["Order Date", "Ship Date", "Due Date"]);
}

#[test]
fn a_business_central_sales_line_export_is_read_by_its_own_headers() {
    let mut text = String::from(
        "Bill-to Customer No.,Sell-to Customer No.,Sell-to Customer Name,Posting Date,Document No.,No.,Item Category,Quantity,Profit (LCY)\n",
    );
    for i in 0..40 {
        text += &format!(
            "{},{},Customer {i},2023-0{}-1{},SI{i},{},{},1,{}.50\n",
            1000 + i % 3,
            10 + i,
            1 + i % 9,
            i % 10,
            ["1896-S", "1900-S", "70000"][i % 3],
            ["Furniture", "Furniture", "Misc"][i % 3],
            i * 7
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    let c = &p.columns;
    // The customer who bought, not the account that paid.
    assert_eq!(c.customer_id, "Sell-to Customer No.");
    assert_eq!(c.customer_name.as_deref(), Some("Sell-to Customer Name"));
    assert_eq!(c.product.as_deref(), Some("No."));
    assert_eq!(c.gross_profit.as_deref(), Some("Profit (LCY)"));
    assert_eq!(c.division.as_deref(), Some("Item Category"));
    assert_eq!(c.invoice_id.as_deref(), Some("Document No."));
}

#[test]
fn a_row_counter_headed_no_is_not_taken_for_a_product() {
    let mut text = String::from("No.,Customer ID,Posting Date,GP\n");
    for i in 0..40 {
        text += &format!("{i},{},2023-01-1{},5\n", 10 + i % 4, i % 10);
    }
    let f = write(&text);
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(e.contains("no product columns"), "{e}");
}

#[test]
fn a_log_of_unit_prices_is_read_as_price_times_quantity_and_refused_without_one() {
    // Named as GP, a unit price loaded prices as profit in a trial: it is read per unit.
    let text = "Customer ID,Invoice Date,Item,Units,Unit Price\n\
                7,2016-01-04,Paper,2,10.5\n\
                8,2016-01-05,Ink,1,4.25\n";
    let p = profile(write(text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Unit Price"));
    assert!(p.value_per_unit);
    let without = text.replace(",Units,", ",Batch,");
    let e = profile(write(&without).path(), None, &[]).unwrap_err();
    assert!(
        e.contains("`Item` names products, but no column is known to hold a line's value")
            && e.contains("`Unit Price` is a price per unit"),
        "{e}"
    );
}

#[test]
fn a_customer_type_of_return_is_not_a_credit_memo() {
    // `Type` holds the customer's type: half the rows `Return` (a returning customer).
    let mut text = String::from("Customer ID,Invoice Date,Item,GP,Type\n");
    for i in 0..40 {
        let t = ["New", "Return", "Existing", "Return"][i % 4];
        text += &format!("{},2023-01-1{},Paper,5,{t}\n", 10 + i % 7, i % 10);
    }
    let f = write(&text);
    assert!(profile(f.path(), None, &[]).unwrap().credits.is_none());
    // A document type: invoices and a few credit memos, written positive.
    let text = text
        .replace(",New\n", ",Invoice\n")
        .replace(",Existing\n", ",Invoice\n")
        .replacen(",Return\n", ",Credit Memo\n", 3)
        .replace(",Return\n", ",Invoice\n");
    let f = write(&text);
    let c = profile(f.path(), None, &[]).unwrap().credits.unwrap();
    assert_eq!(c.values, [("Credit Memo".to_string(), 3)]);
    assert!(c.unsigned);
    // A quarter of the credit memos already negative (two exports): the rest are still written
    // positive, and the setting reads both right. Before, it was left off, and a tester's
    // positive credits loaded as sales (+16% GP).
    let mut mixed = String::from("Customer ID,Invoice Date,Item,GP,Type\n");
    for i in 0..160 {
        let (t, gp) = match i % 16 {
            0..=2 => ("Credit Memo", 5),
            3 => ("Credit Memo", -5),
            _ => ("Invoice", 5),
        };
        mixed += &format!("{},2023-01-1{},Paper,{gp},{t}\n", 10 + i % 7, i % 10);
    }
    let f = write(&mixed);
    let c = profile(f.path(), None, &[]).unwrap().credits.unwrap();
    assert!(c.unsigned);
}

#[test]
fn rmas_beside_order_types_and_german_short_codes_are_credits() {
    // A distributor's `Order Type`: no invoice among its values, but `RMA` says what it is
    // (a tester's RMAs written positive loaded as sales, +3% GP).
    let mut text = String::from("Customer ID,Invoice Date,Item,GP,Order Type\n");
    for i in 0..40 {
        let t = ["Standard", "Drop Ship", "Will Call", "RMA"][i % 4];
        text += &format!("{},2023-01-1{},Paper,5,{t}\n", 10 + i % 7, i % 10);
    }
    let c = profile(write(&text).path(), None, &[])
        .unwrap()
        .credits
        .unwrap();
    assert_eq!(
        (c.column.as_str(), c.values[0].0.as_str()),
        ("Order Type", "RMA")
    );
    // A German ERP's `Belegart` of `RE` (Rechnung) and `GS` (Gutschrift): `RE` is no return.
    let mut text = String::from("Kunde,Belegdatum,Artikel,Deckungsbeitrag,Belegart\n");
    for i in 0..40 {
        let t = if i % 8 == 0 { "GS" } else { "RE" };
        text += &format!("{},2023-01-1{},Papier,5,{t}\n", 10 + i % 7, i % 10);
    }
    let c = profile(write(&text).path(), None, &[])
        .unwrap()
        .credits
        .unwrap();
    assert_eq!(c.values, [("GS".to_string(), 5)]);
    assert!(c.unsigned);
}

#[test]
fn costs_written_negative_are_known_by_their_sign() {
    let mut text = String::from("Customer ID,Posting Date,Item,Quantity,Revenue,Cost\n");
    for i in 0..30 {
        text += &format!(
            "{},2023-01-1{},Paper,1,{}.00,-{}.00\n",
            10 + i % 4,
            i % 10,
            20 + i,
            10 + i
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.cost.as_deref(), Some("Cost"));
    assert!(p.cost_negative);
    let f = write(&text.replace(",-", ","));
    assert!(!profile(f.path(), None, &[]).unwrap().cost_negative);
}

#[test]
fn a_bi_exports_total_columns_are_no_product() {
    // `Total GP` by its name; `Combined GP` because it sums the products on every row.
    let mut text = String::from(
        "Customer ID,Invoice Date,Paper GP,Paper Qty,Ink GP,Ink Qty,Toner GP,Toner Qty,Total GP,Total Qty,Combined GP,Combined Qty\n",
    );
    for i in 0..20 {
        let (a, b, c) = (i as f64 + 1.5, 2.25 * (i % 3) as f64, 10.0);
        let t = a + b + c;
        text += &format!("{i},2023-01-1{},{a},1,{b},1,{c},1,{t},3,{t},3\n", i % 10);
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    let products: Vec<&str> = p.products.iter().map(|x| x.gp_column.as_str()).collect();
    assert_eq!(products, ["Paper GP", "Ink GP", "Toner GP"]);
    let unplaced: Vec<&str> = p.unplaced.iter().map(|u| u.column.as_str()).collect();
    assert_eq!(unplaced, ["Total GP", "Combined GP"]);
}

#[test]
fn a_converted_gp_column_is_taken_over_the_local_one_beside_it() {
    let mut text = String::from("Customer ID,Invoice Date,Item,Currency,GP,GP USD\n");
    for i in 0..20 {
        let (cur, rate) = [("JPY", 150.0), ("EUR", 0.9)][i % 2];
        let usd = 10.0 + i as f64;
        text += &format!(
            "{i},2023-01-1{},Paper,{cur},{:.2},{usd:.2}\n",
            i % 10,
            usd * rate
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("GP USD"));
    assert!(!p.value_is_revenue);
    // Amounts only, local and converted: the converted one stands in for GP.
    let f = write(
        &text
            .replace(",GP,GP USD\n", ",Amount (Local),Amount (USD)\n")
            .replacen("Currency,GP,", "Currency,Amount (Local),", 1),
    );
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Amount (USD)"));
    assert!(p.value_is_revenue);
}

#[test]
fn a_margin_percent_column_is_no_gp_or_cost() {
    // Exports write a percent column's figures bare: the header alone says it is a share.
    for (header, line, gp) in [
        ("Qty,GP %,GP", "2,0.1769,120.50", Some("GP")),
        (
            "Qty,Gross Margin %,Gross Margin",
            "2,17.69,120.50",
            Some("Gross Margin"),
        ),
        ("Qty,Sales,GP%", "2,681.20,17.69", Some("Sales")),
        (
            "Qty,Margin Pct,Line GP,Invoice GP",
            "2,17.69,120.50,400.00",
            Some("Line GP"),
        ),
        (
            "Qty,Revenue,Cost,Margin %",
            "2,681.20,560.70,17.69",
            Some("Revenue"),
        ),
    ] {
        let f = write(&format!(
            "Customer ID,Invoice Date,Item,{header}\n7,2023-01-04,Ink,{line}\n8,2023-01-05,Ink,{line}\n"
        ));
        let p = profile(f.path(), None, &[]).unwrap();
        assert_eq!(p.columns.gross_profit.as_deref(), gp, "{header}");
        if header.contains("Cost") {
            assert_eq!(p.columns.cost.as_deref(), Some("Cost"), "{header}");
        }
    }
}

#[test]
fn a_yes_no_return_flag_marks_credits_written_positive() {
    for (header, yes, no) in [
        ("Is Return", "Y", "N"),
        ("Return", "TRUE", "FALSE"),
        ("Returned", "X", ""),
    ] {
        let mut text = format!("Customer ID,Invoice Date,Item,GP,{header}\n");
        for i in 0..40 {
            let flag = if i % 8 == 0 { yes } else { no };
            text += &format!("{},2023-01-1{},Paper,5,{flag}\n", 10 + i % 7, i % 10);
        }
        let f = write(&text);
        let c = profile(f.path(), None, &[]).unwrap().credits.unwrap();
        assert_eq!(c.column, header);
        assert_eq!(c.values, [(yes.to_string(), 5)], "{header}");
        assert!(c.unsigned);
        // A `Return` column of reasons or days is no flag.
        let f = write(&text.replace(&format!(",{yes}\n"), ",damaged\n"));
        assert!(
            profile(f.path(), None, &[]).unwrap().credits.is_none(),
            "{header}"
        );
    }
}

#[test]
fn division_codes_beside_their_names_give_way_to_the_names() {
    let mut text = String::from(
        "Bill-to Customer,Ship-to Customer,Invoice Date,Item,Division,Division Name,GP\n",
    );
    for i in 0..20 {
        let (code, name) = [("10", "Hardware"), ("20", "Software")][i % 2];
        text += &format!(
            "{},{},2023-01-1{},Ink,{code},{name},5\n",
            100 + i % 7,
            900 + i,
            i % 10
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Division Name"));
    assert_eq!(p.columns.customer_id, "Bill-to Customer");
    // Named by the user, the codes stay.
    let given = [("division".to_string(), "Division".to_string())];
    let p = profile(f.path(), None, &given).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Division"));
    // Two names to one code are no names of the codes.
    let f = write(&text.replacen(",Software,", ",Soft Ware,", 1));
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Division"));
}

#[test]
fn a_file_named_for_returns_with_positive_amounts_is_a_credit_part() {
    for (name, yes) in [
        ("returns.csv", true),
        ("credit_notes_2023.csv", true),
        ("Gutschriften.xlsx", true),
        ("year=2023/RMA-export.csv", true),
        ("Sales Cr.Memo Line.csv", true),
        ("Sales Invoice Line.csv", false),
        ("sales.csv", false),
        ("creditworthy_customers.csv", false),
        ("returning.csv", false),
        // Sales paid by card, or sold on credit terms: sales.
        ("credit_card_sales.csv", false),
        ("Credit Sales 2023.csv", false),
        ("credits.csv", true),
        ("sales_returns.csv", true),
        // `credit` beside other words is still credits.
        ("sales_credits.csv", true),
        ("credit_lines.csv", true),
        ("Sales 2023.xlsx [Credits]", true),
        ("Sales Credit Memo Lines.csv", true),
    ] {
        assert_eq!(doctypes::names_credits(name), yes, "{name}");
    }
    let files = [
        "returns.csv".to_string(),
        "sales.csv".to_string(),
        "refunds.csv".to_string(),
    ];
    // Returns written positive; sales; refunds already negative.
    let signs = [(40, 1), (900, 30), (2, 38)];
    assert_eq!(
        doctypes::credit_parts(&files, &signs),
        [("returns.csv".to_string(), 40)]
    );
}

#[test]
fn a_name_header_over_numbers_is_an_id() {
    let f = write("Customer #,Customer Name,Date,Item,GP\n40,Acme,2023-01-05,Ink,5\n41,Bolt,2023-01-06,Ink,6\n");
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Customer #");
    assert!(!p.id_is_name);
    let f = write("Customer,Date,Item,GP\nAcme,2023-01-05,Ink,5\nBolt,2023-01-06,Ink,6\n");
    assert!(profile(f.path(), None, &[]).unwrap().id_is_name);
    // Beside a column of names, codes like `C10816` are ids too.
    let f = write("Customer,Customer Name,Date,Item,GP\nC10816,Acme,2023-01-05,Ink,5\nC10817,Bolt,2023-01-06,Ink,6\n");
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(
        (
            p.columns.customer_id.as_str(),
            p.columns.customer_name.as_deref()
        ),
        ("Customer", Some("Customer Name"))
    );
    assert!(!p.id_is_name);
}

#[test]
fn an_invoice_date_is_taken_before_a_ship_date() {
    let f = write("Customer ID,Ship Date,Invoice Date,Item,GP\n7,2023-01-09,2023-01-04,Ink,5\n8,2023-02-09,2023-02-05,Ink,6\n");
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.order_date, "Invoice Date");
    assert_eq!(p.other_dates.len(), 1);
}

#[test]
fn sap_billing_fields_are_known_and_a_g2_is_a_credit() {
    let mut text = String::from("VBELN,POSNR,KUNAG,FKDAT,FKART,MATNR,SPART,FKIMG,NETWR,WAVWR\n");
    for i in 0..40 {
        let kind = if i % 8 == 0 { "G2" } else { "F2" };
        text += &format!(
            "9{i:07},10,{},2023{:02}15,{kind},M-{},10,2,100.00,60.00\n",
            100 + i % 9,
            1 + i % 12,
            i % 3
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    let c = &p.columns;
    assert_eq!(
        (
            c.customer_id.as_str(),
            c.order_date.as_str(),
            c.invoice_id.as_deref(),
            c.line_id.as_deref()
        ),
        ("KUNAG", "FKDAT", Some("VBELN"), Some("POSNR"))
    );
    assert_eq!(
        (
            c.product.as_deref(),
            c.gross_profit.as_deref(),
            c.cost.as_deref(),
            c.quantity.as_deref(),
            c.division.as_deref()
        ),
        (
            Some("MATNR"),
            Some("NETWR"),
            Some("WAVWR"),
            Some("FKIMG"),
            Some("SPART")
        )
    );
    let credits = p.credits.unwrap();
    assert_eq!(
        (credits.column.as_str(), credits.values[0].0.as_str()),
        ("FKART", "G2")
    );
}

#[test]
fn an_open_invoice_beside_paid_ones_is_a_sale_and_an_open_order_is_not() {
    let mut text = String::from("Customer ID,Date,Item,GP,Status\n");
    for i in 0..40 {
        let status = ["Paid In Full", "Paid In Full", "Open", "Fully Applied"][i % 4];
        text += &format!("{},2023-01-1{},Ink,5,{status}\n", 10 + i % 7, i % 10);
    }
    let f = write(&text);
    assert!(profile(f.path(), None, &[]).unwrap().statuses.is_none());
    let f = write(
        &text
            .replace("Paid In Full", "Invoiced")
            .replace("Fully Applied", "Shipped"),
    );
    let s = profile(f.path(), None, &[]).unwrap().statuses.unwrap();
    assert_eq!(s.values, [("Open".to_string(), 10)]);
}

#[test]
fn odoo_and_dynamics_fields_are_known_and_a_posting_date_beats_an_order_date() {
    let mut text = String::from(
        "move_id,partner_id,Order Date,invoice_date,move_type,state,product_id,product_category_id,quantity,price_subtotal\n",
    );
    for i in 0..40 {
        let kind = if i % 8 == 0 {
            "out_refund"
        } else {
            "out_invoice"
        };
        let state = ["posted", "posted", "posted", "cancel"][i % 4];
        text += &format!(
            "{i},{},2023-01-0{},2023-01-1{},{kind},{state},P{},Cat {},1,100.0\n",
            100 + i % 9,
            1 + i % 9,
            i % 10,
            i % 3,
            i % 2
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    let c = &p.columns;
    assert_eq!(
        (
            c.customer_id.as_str(),
            c.order_date.as_str(),
            c.product.as_deref()
        ),
        ("partner_id", "invoice_date", Some("product_id"))
    );
    assert_eq!(
        (c.division.as_deref(), c.gross_profit.as_deref()),
        (Some("product_category_id"), Some("price_subtotal"))
    );
    assert_eq!(p.credits.unwrap().values[0].0, "out_refund");
    assert_eq!(p.statuses.unwrap().values, [("cancel".to_string(), 10)]);
    let f = write("InvoiceAccount,InvoiceDate,ItemId,Qty,LineAmount\nUS-1,2023-01-04,A,1,5\n");
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(
        (p.columns.customer_id.as_str(), p.columns.product.as_deref()),
        ("InvoiceAccount", Some("ItemId"))
    );
}

#[test]
fn an_invoice_total_on_each_line_is_no_line_value_and_a_unit_price_times_quantity_is() {
    let log = |last: &str, line_totals: bool| {
        let mut text = format!("Contact Name,Invoice No,Date,Item,Qty,Unit Price,{last}\n");
        for i in 0..20 {
            let (a, b) = (1 + i % 3, 2 + i % 2);
            let (x, y) = if line_totals {
                (a * 10, b * 25)
            } else {
                (a * 10 + b * 25, a * 10 + b * 25)
            };
            text += &format!("C{i},INV{i},2023-01-1{},Paper,{a},10.00,{x}.00\n", i % 10);
            text += &format!("C{i},INV{i},2023-01-1{},Ink,{b},25.00,{y}.00\n", i % 10);
        }
        profile(write(&text).path(), None, &[]).unwrap()
    };
    let p = log("Total", false);
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Unit Price"));
    assert_eq!(p.columns.quantity.as_deref(), Some("Qty"));
    assert!(p.value_per_unit && p.value_is_revenue);
    // A line's own total is its value, as before.
    let p = log("Total", true);
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Total"));
    assert!(!p.value_per_unit);
}

#[test]
fn an_orders_total_is_no_line_value_when_its_customer_orders_again() {
    // A shop's orders, no invoice column by name: the order's `id` on each of its lines, the
    // buyer's `email` too, and again on the buyer's next order. The order total is the order's.
    let mut text = String::from("id,email,customer.id,created_at,total_price,sku,price,quantity\n");
    for o in 0..60 {
        let buyer = o / 3;
        let total = 10 * (1 + o % 4) + 25 * (1 + o % 3);
        for (sku, price, qty) in [("A", 10, 1 + o % 4), ("B", 25, 1 + o % 3)] {
            text += &format!(
                "{},b{buyer}@x.com,{},2023-0{}-1{},{total}.00,{sku},{price}.00,{qty}\n",
                5000 + o,
                9000 + buyer,
                1 + o % 9,
                o % 10
            );
        }
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("price"));
    assert!(p.value_per_unit, "{:?}", p.columns);
}

#[test]
fn a_summary_with_a_column_per_month_is_read_as_one_line_per_row_and_month() {
    let mut text = String::from("Customer,Product Line,Jan 2023,Feb 2023,Mar 2023,Apr 2023\n");
    for c in 0..20 {
        text += &format!("C{c},Software,120.50,,990,45\n");
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.order_date, "Month");
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Amount"));
    // No product finer than the product line: each line's product is its division.
    assert_eq!(p.columns.product.as_deref(), Some("Product Line"));
    assert_eq!(p.columns.division.as_deref(), Some("Product Line"));
    assert_eq!(
        (p.rows, p.first_date.to_string()),
        (60, "2023-01-31".into())
    );
    assert!(
        p.part_notes[0].contains("a column per month (4 of them"),
        "{:?}",
        p.part_notes
    );
}

#[test]
fn a_summary_whose_columns_name_a_date_twice_is_refused_with_how_to_unpivot_it() {
    // Not read as a summary: which of two `2023-01-09` columns holds that week's sales?
    let mut text = String::from("Customer,Product Line,2023-01-02,2023-01-09,2023-01-09\n");
    for c in 0..20 {
        text += &format!("C{c},Software,120.50,,990\n");
    }
    let e = profile(write(&text).path(), None, &[]).unwrap_err();
    assert!(
        e.contains("has a column per date (3 of them, `2023-01-02` to `2023-01-09`)")
            && e.contains("Unpivot Columns"),
        "{e}"
    );
}

#[test]
fn a_product_column_blank_on_many_lines_gives_way_to_one_filled_on_every_line() {
    // Square's item sales: `SKU` is blank for items sold without one, `Item` never is; its
    // `Category` is each item's group.
    let mut text =
        String::from("Date,Category,Item,Qty,SKU,Net Sales,Transaction ID,Customer ID\n");
    for i in 0..120 {
        let (category, item, sku) = [
            ("Hardware", "Router", "NET-100"),
            ("Services", "Support Plan", ""),
            ("Software", "CRM Seat", ""),
        ][i % 3];
        text += &format!(
            "2023-0{}-1{},{category},{item},1,{sku},${}.00,T{i},C{}\n",
            1 + i % 9,
            i % 10,
            100 + i,
            i % 17
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.product.as_deref(), Some("Item"));
    assert_eq!(p.columns.division.as_deref(), Some("Category"));
    // A product column the user names stays, blank or not.
    let given = [("product".to_string(), "SKU".to_string())];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert_eq!(p.columns.product.as_deref(), Some("SKU"));
}

#[test]
fn an_id_blank_on_guest_orders_gives_way_to_the_buyers_email() {
    // Magento's order items: `customer_id` is blank on a guest's order, `customer_email` never.
    let mut text = String::from(
        "order_increment_id,order_created_at,order_status,customer_id,customer_email,sku,name,qty_ordered,row_total\n",
    );
    for i in 0..100 {
        let id = if i % 5 == 0 {
            String::new()
        } else {
            (1000 + i % 23).to_string()
        };
        text += &format!(
            "{},2023-0{}-1{} 10:00:00,complete,{id},b{}@x.com,SKU-{},Item {},1.0000,{}.5000\n",
            100_000 + i,
            1 + i % 9,
            i % 10,
            i % 23,
            i % 7,
            i % 7,
            100 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "customer_email");
    // A contact's email, headed as a CRM heads it.
    let contact = text.replacen("customer_email", "Contact E-mail", 1);
    let q = profile(write(&contact).path(), None, &[]).unwrap();
    assert_eq!(q.columns.customer_id, "Contact E-mail");
    // Its `name` is each item's: no customer's name.
    assert_eq!(p.columns.customer_name, None);
    assert_eq!(p.columns.gross_profit.as_deref(), Some("row_total"));
    assert_eq!(p.columns.quantity.as_deref(), Some("qty_ordered"));
    assert!(
        p.part_notes[0].contains("`customer_id` is blank on 20% of the sampled rows"),
        "{:?}",
        p.part_notes
    );
    // An id the user names stays.
    let given = [("customer_id".to_string(), "customer_id".to_string())];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert_eq!(p.columns.customer_id, "customer_id");
}

#[test]
fn a_line_total_written_after_its_discount_is_not_taken_it_off_again() {
    // Zoho Books: `Item Total` is the price times the quantity less `Discount Amount`.
    let mut text = String::from(
        "Invoice Date,Invoice Number,Customer ID,SKU,Quantity,Item Price,Discount Amount,Item Total\n",
    );
    for i in 0..80 {
        let (qty, price) = (1 + i % 3, 100 + i);
        let off = if i % 3 == 0 { qty * price / 10 } else { 0 };
        text += &format!(
            "2023-0{}-1{},INV-{i},C{},S{},{qty},{price}.00,{off}.00,{}.00\n",
            1 + i % 9,
            i % 10,
            i % 13,
            i % 4,
            qty * price - off
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Item Total"));
    assert_eq!(p.columns.discount_amount, None);
    // Written before it (Magento's `row_total`), it is taken off.
    let before = text.replace("Item Total", "Row Total");
    let before: String = before
        .lines()
        .map(|l| {
            let mut c: Vec<String> = l.split(',').map(String::from).collect();
            if let (Ok(q), Ok(p)) = (c[4].parse::<i64>(), c[5].parse::<f64>()) {
                c[7] = format!("{:.2}", q as f64 * p);
            }
            c.join(",") + "\n"
        })
        .collect();
    let p = profile(write(&before).path(), None, &[]).unwrap();
    assert_eq!(
        p.columns.discount_amount.as_deref(),
        Some("Discount Amount")
    );
}

#[test]
fn a_line_total_written_before_its_discount_percentage_is_taken_it_off() {
    // FreshBooks: `Item Subtotal` is the rate times the quantity, `Discount Percentage` off it.
    let mut text = String::from(
        "Client Name,Invoice #,Date Issued,Item Name,Rate,Quantity,Discount Percentage,Item Subtotal,Tax 1 Amount,Item Total\n",
    );
    for i in 0..80 {
        let (qty, rate) = (1 + i % 3, 100 + i);
        let pct = [0, 5, 10][i % 3];
        let sub = qty * rate;
        text += &format!(
            "Client {},{:07},2023-0{}-1{},Item {},{rate}.00,{qty},{pct},{sub}.00,1.00,{}.00\n",
            i % 13,
            i / 2,
            1 + i % 9,
            i % 10,
            i % 4,
            sub + 1
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Item Subtotal"));
    assert_eq!(p.columns.discount.as_deref(), Some("Discount Percentage"));
}

#[test]
fn a_ledger_account_is_no_customer_and_a_reports_groups_are_when_nothing_else_is() {
    // Xero's "Receivable Invoice Detail": the contact is each group's name above its rows
    // (read into `Group`), `Account` the income account every line is booked to.
    let mut text =
        String::from("Group,Invoice Date,Invoice Number,Account,Item Code,Quantity,Net\n");
    for i in 0..90 {
        text += &format!(
            "Contact {},2023-0{}-1{},INV-{i},200 - Sales - {},S{},1,{}.00\n",
            i % 17,
            1 + i % 9,
            i % 10,
            ["Networking", "Software", "Services"][i % 3],
            i % 5,
            100 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Group");
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Net"));
    // Beside a contact column, the contact.
    let text = text.replacen("Group,", "Contact,", 1);
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Contact");
}

#[test]
fn an_invoices_open_status_is_unpaid_a_sale_and_credits_and_cancellations_read_in_german() {
    // Acumatica's invoices: `Open` is released and unpaid, `Closed` paid; `Balanced` not
    // released; a `Cash Return` a credit.
    let mut text = String::from("Type,Status,Customer,Date,Inventory ID,Quantity,Amount\n");
    for i in 0..120 {
        let ty = if i % 20 == 3 {
            "Cash Return"
        } else {
            "Invoice"
        };
        let st = ["Open", "Closed", "Closed", "Balanced", "Closed", "Voided"][i % 6];
        text += &format!(
            "{ty},{st},C{},2023-0{}-1{},I{},1,{}.00\n",
            i % 13,
            1 + i % 9,
            i % 10,
            i % 4,
            100 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    let statuses = p.statuses.expect("a status column");
    let out: Vec<&str> = statuses.values.iter().map(|v| v.0.as_str()).collect();
    assert_eq!(out, ["Balanced", "Voided"]);
    let credits = p.credits.expect("a type column");
    assert_eq!(credits.values[0].0, "Cash Return");
    // A German ERP's: `Gutschrift` a credit beside `Rechnung`, `storniert` no sale.
    let mut text = String::from("Kundennr.;Rechnungsdatum;Belegart;Status;Artikel;Menge;Umsatz\n");
    for i in 0..120 {
        let ty = if i % 10 == 3 {
            "Gutschrift"
        } else {
            "Rechnung"
        };
        let st = if i % 7 == 2 { "storniert" } else { "gebucht" };
        text += &format!(
            "{};{}.0{}.2023;{ty};{st};A{};1;{},50\n",
            10_000 + i % 13,
            10 + i % 18,
            1 + i % 9,
            i % 4,
            100 + i
        );
    }
    let given = [
        ("customer_id".to_string(), "Kundennr.".to_string()),
        ("product".to_string(), "Artikel".to_string()),
        ("gross_profit".to_string(), "Umsatz".to_string()),
    ];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert_eq!(p.credits.expect("credits").values[0].0, "Gutschrift");
    assert_eq!(p.statuses.expect("statuses").values[0].0, "storniert");
}

#[test]
fn a_subtotal_before_tax_is_the_value_and_cents_are_read_by_name() {
    // Vend's `Subtotal` beside its `Total` with tax; Recurly's `subtotal_in_cents`.
    let mut text =
        String::from("Date,Receipt Number,Customer Code,Sku,Quantity,Subtotal,Tax,Total\n");
    for i in 0..60 {
        text += &format!(
            "2023-0{}-1{},R{i},C{},S{},1,{}.00,15.00,{}.00\n",
            1 + i % 9,
            i % 10,
            i % 11,
            i % 4,
            100 + i,
            115 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Subtotal"));
    let mut text =
        String::from("account_code,invoice_date,plan_code,quantity,subtotal_in_cents,currency\n");
    for i in 0..60 {
        text += &format!(
            "acct-{},2023-0{}-1{},PLAN-{},1,{},USD\n",
            i % 11,
            1 + i % 9,
            i % 10,
            i % 4,
            10_000 + i * 37
        );
    }
    // Recurly's `account_code` is named (Xero's `*AccountCode` is a ledger account).
    let given = [("customer_id".to_string(), "account_code".to_string())];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert_eq!(p.columns.customer_id, "account_code");
    assert_eq!(p.columns.product.as_deref(), Some("plan_code"));
    assert!(p.amounts_in_cents);
    // commercetools' line totals, flattened from JSON: `totalPrice.centAmount`.
    let text = text.replace("subtotal_in_cents", "lineItems.totalPrice.centAmount");
    let given = [
        ("customer_id".to_string(), "account_code".to_string()),
        (
            "gross_profit".to_string(),
            "lineItems.totalPrice.centAmount".to_string(),
        ),
    ];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert!(p.amounts_in_cents);
    // A share named in percents is no amount in cents.
    let text = text.replace("lineItems.totalPrice.centAmount", "margin_percents");
    let given = [
        ("customer_id".to_string(), "account_code".to_string()),
        ("gross_profit".to_string(), "margin_percents".to_string()),
    ];
    let p = profile(write(&text).path(), None, &given).unwrap();
    assert!(!p.amounts_in_cents);
}

#[test]
fn a_header_of_an_object_and_its_field_is_read_by_the_field() {
    // Zuora's data source export: `Account: Account Number` is the customer, not the
    // `Account: Name` beside it; Odoo's line fields under `Invoice lines/`.
    let mut text = String::from(
        "Account: Name,Account: Account Number,Invoice: Invoice Date,Invoice lines/Product,Invoice lines/Quantity,Invoice lines/Subtotal,Account: Currency\n",
    );
    for i in 0..60 {
        text += &format!(
            "Acme {},A{:05},2023-0{}-1{},P{},1,{}.50,{}\n",
            i % 11,
            i % 11,
            1 + i % 9,
            i % 10,
            i % 4,
            100 + i,
            ["USD", "EUR"][i % 2]
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Account: Account Number");
    assert_eq!(
        p.columns.gross_profit.as_deref(),
        Some("Invoice lines/Subtotal")
    );
    assert_eq!(
        p.columns.quantity.as_deref(),
        Some("Invoice lines/Quantity")
    );
    assert_eq!(
        crate::stages::etl::currency::column(
            &text
                .lines()
                .next()
                .unwrap()
                .split(',')
                .map(String::from)
                .collect::<Vec<_>>()
        ),
        Some(6)
    );
}

#[test]
fn few_customers_or_numbered_ones_are_customers_and_null_ids_are_blank() {
    // Three customers over six hundred rows, and customers written `10003 - Acme Ltd`: no
    // ledger accounts (those are columns named for an account).
    for (id, n) in [("C{}", 3), ("1000{} - Customer {} Ltd", 80)] {
        let mut text = String::from("Customer,Date,Product,Qty,Amount\n");
        for i in 0..600 {
            let c = i % n;
            text += &format!(
                "{},2023-0{}-1{},P{},1,{}.00\n",
                id.replacen("{}", &c.to_string(), 2),
                1 + i % 9,
                i % 10,
                i % 4,
                100 + i
            );
        }
        let p = profile(write(&text).path(), None, &[]).unwrap();
        assert_eq!(p.columns.customer_id, "Customer", "{id}");
    }
    // Guests' ids written `NULL`: as blank as an empty cell to the ETL.
    let mut text =
        String::from("order_id,created_at,customer_id,customer_email,sku,qty_ordered,row_total\n");
    for i in 0..100 {
        let id = if i % 5 == 0 {
            "NULL".to_string()
        } else {
            (1000 + i % 23).to_string()
        };
        text += &format!(
            "{},2023-0{}-1{},{id},b{}@x.com,S{},1,{}.00\n",
            500 + i,
            1 + i % 9,
            i % 10,
            i % 23,
            i % 4,
            100 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "customer_email");
}

#[test]
fn an_epicor_export_reads_part_revenue_less_cost_and_its_product_group() {
    // A tester's Epicor BAQ export was refused ("no product columns"); named by hand as the
    // refusal said, `Ext Price` loaded as GP, three times the truth, with no word.
    let mut text = String::from(
        "Invoice,Line,Invoice Date,Cust. ID,Name,Part,Prod Group,Qty,Unit Price,Ext Price,Ext Cost\n",
    );
    for i in 0..30 {
        let (q, price) = (1 + i % 4, 10.0 + i as f64);
        text.push_str(&format!(
            "{},1,2024-0{}-1{},{},Kunde {},P{:02},Group {},{q},{price:.2},{:.2},{:.2}\n",
            500 + i,
            1 + i % 9,
            i % 10,
            2000 + i % 7,
            i % 7,
            i % 5,
            i % 2,
            price * q as f64,
            price * q as f64 * 0.6
        ));
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(
        (
            p.columns.product.as_deref(),
            p.columns.gross_profit.as_deref(),
            p.columns.cost.as_deref(),
            p.columns.division.as_deref()
        ),
        (
            Some("Part"),
            Some("Ext Price"),
            Some("Ext Cost"),
            Some("Prod Group")
        )
    );
    assert!(p.cost_beside.is_none());
    // A log's own `Item Category` is its division before a `Prod Group` (a tester's held
    // warehouse groups, and init trained on them).
    let mut with_category =
        text.lines()
            .next()
            .unwrap()
            .replacen("Prod Group,", "Item Category,Prod Group,", 1);
    with_category.push('\n');
    for (i, line) in text.lines().skip(1).enumerate() {
        // A category per product (`P{i % 5}`), a group that varies within one.
        with_category += &line.replacen(",Group ", &format!(",Cat {},Group ", (i % 5) % 2), 1);
        with_category.push('\n');
    }
    let f = write(&with_category);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Item Category"));
    // Named as GP by hand: loaded so, and the cost beside it is named for the note.
    let given = [("gross_profit".to_string(), "Ext Price".to_string())];
    let p = profile(f.path(), None, &given).unwrap();
    assert_eq!(p.columns.cost, None);
    assert_eq!(p.cost_beside.as_deref(), Some("Ext Cost"));
    // Without a product column, the refusal names the revenue and the cost, and calls no
    // line total a unit price.
    let f = write(&text.replacen("Part,Prod Group", "Widget,Bin", 1));
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(
        e.contains(r#"(here, `--column gross_profit="Ext Price" --column cost="Ext Cost"`)"#),
        "{e}"
    );
}

#[test]
fn a_customer_attribute_named_like_a_division_gives_way_to_a_product_group() {
    // Superstore's shape: `Segment` (one to a customer) before `Category` (one to a product).
    let mut text =
        String::from("Order Date,Customer ID,Segment,Category,Product Name,Profit,Quantity\n");
    let cats = ["Furniture", "Office Supplies", "Technology"];
    for i in 0..300 {
        let c = i % 60;
        text += &format!(
            "2023-01-{:02},C{c},{},{},P{},{}.5,2\n",
            1 + i % 28,
            ["Consumer", "Corporate", "Home Office"][c % 3],
            cats[(i / 7) % 3],
            (i / 7) % 3,
            i % 9
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Category"));
    assert!(
        p.part_notes
            .iter()
            .any(|n| n.contains("`Segment` is one value per customer")),
        "{:?}",
        p.part_notes
    );
    // Named, it is taken.
    let given = [("division".to_string(), "Segment".to_string())];
    let p = profile(f.path(), None, &given).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Segment"));
    // Alone, it is no division either: each customer would own one, and whitespace would offer
    // a Consumer the Corporate "division" (until 2026-12-07 it was taken).
    let f = write(&text.replace(",Category,", ",Kind,"));
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division, None);
    // One value per product too: a business unit whose customers each buy from one (B2B), not
    // a customer's attribute.
    let mut text =
        String::from("Order Date,Customer ID,Product Line,Category,Product Name,Profit,Quantity\n");
    for i in 0..300 {
        let c = i % 60;
        let unit = c % 3;
        let product = unit * 4 + i % 4;
        text += &format!(
            "2023-01-{:02},C{c},{},Cat{},P{product},{}.5,2\n",
            1 + i % 28,
            ["Hardware", "Software", "Services"][unit],
            product,
            i % 9
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Product Line"));
}

#[test]
fn a_discount_is_a_fraction_only_when_its_values_and_its_name_say_so() {
    let log = |header: &str, offs: &[&str]| {
        let mut text = format!("Date,Customer,Item,Qty,Unit Price,{header}\n");
        for i in 0..40 {
            text += &format!(
                "2023-01-{:02},C{},P{},2,10.00,{}\n",
                1 + i % 28,
                i % 7,
                i % 3,
                offs[i % offs.len()]
            );
        }
        profile(write(&text).path(), None, &[]).unwrap()
    };
    // Northwind's.
    let p = log("Discount", &["0", "0.05", "0.1", "0.25", "0"]);
    assert_eq!(p.columns.discount.as_deref(), Some("Discount"));
    assert!(p.discount_fraction);
    // Halves and wholes of a percent are percentages as often; a `%` header always.
    assert!(!log("Discount", &["0", "0.5", "0.75", "1"]).discount_fraction);
    assert!(!log("Discount %", &["0", "0.05", "0.1", "0.25"]).discount_fraction);
    assert!(!log("Discount", &["0", "5", "10", "25"]).discount_fraction);
    assert!(log("Discount Rate", &["0", "0.05", "0.1", "0.2"]).discount_fraction);
}

#[test]
fn a_log_of_one_time_buyers_and_a_few_customers_is_said_to_be_too_thin() {
    // Olist's shape: every customer one order.
    let mut text = String::from("order_date,customer_id,product,price,qty\n");
    for i in 0..120 {
        text += &format!(
            "2023-{:02}-{:02},C{i},P{},10.5,1\n",
            1 + i % 12,
            1 + i % 28,
            i % 5
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.repeat_buyers, (0, 120));
    let mut notes = Vec::new();
    crate::onboard::findings::support_notes(&p, false, &mut notes);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("only 0 of 120 customers") && notes[0].contains("`customer_id`"));
    // Forty customers buying every month: repeat buyers, but few.
    let mut text = String::from("order_date,customer_id,product,price,qty\n");
    for i in 0..400 {
        text += &format!("2023-{:02}-15,C{},P{},10.5,1\n", 1 + i % 12, i % 40, i % 5);
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.repeat_buyers, (40, 40));
    let mut notes = Vec::new();
    crate::onboard::findings::support_notes(&p, false, &mut notes);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("only 40 customers"), "{notes:?}");
}

#[test]
fn dates_that_do_not_tell_are_read_day_first_beside_decimal_commas() {
    // A Spanish export of 1-5 December: every date reads both ways.
    let mut text = String::from("InvoiceNo;InvoiceDate;CustomerID;StockCode;Quantity;Amount\n");
    for i in 0..50 {
        text += &format!(
            "{i};{}/12/2010 08:26;C{};P{};2;3,{i:02}\n",
            1 + i % 5,
            i % 9,
            i % 4
        );
    }
    let f = write(&text);
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.date_order, DateOrder::Dmy);
    assert!(p.date_order_by_decimal_comma);
    assert!(crate::onboard::date_order_rule(&p).contains("decimal comma"));
    // With decimal points, month first, the default.
    let f = write(&text.replace(",", "."));
    let p = profile(f.path(), None, &[]).unwrap();
    assert_eq!(p.date_order, DateOrder::Mdy);
}

#[test]
fn the_classic_models_sample_reads_its_quantity_and_names_its_customers_by_their_names() {
    // Kaggle's classic-models sample: customers by name only, `QUANTITYORDERED`, `SALES`.
    let mut text = String::from(
        "ORDERNUMBER,QUANTITYORDERED,PRICEEACH,SALES,ORDERDATE,PRODUCTLINE,PRODUCTCODE,CUSTOMERNAME\n",
    );
    for i in 0..60 {
        text += &format!(
            "{},{},95.7,{}.5,{}/{}/2003 0:00,{},S10_{},{}\n",
            10100 + i,
            20 + i % 9,
            2000 + i,
            1 + i % 12,
            1 + i % 28,
            ["Motorcycles", "Classic Cars"][i % 2],
            1000 + i % 7,
            ["Land of Toys Inc.", "Reims Collectables", "Lyon Souveniers"][i % 3]
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "CUSTOMERNAME");
    assert_eq!(p.columns.quantity.as_deref(), Some("QUANTITYORDERED"));
    assert_eq!(p.columns.customer_name.as_deref(), Some("CUSTOMERNAME"));
}

#[test]
fn a_column_that_groups_many_products_is_their_division() {
    // Chinook's invoice lines joined to their tracks: no division column, 40 tracks, each in
    // one genre (5) and one media type (2); a division per track would be 40 models.
    let mut text = String::from(
        "Invoice ID,Invoice Date,Customer ID,Track,Genre,Media Type,Shelf,Unit Price,Quantity\n",
    );
    for i in 0..400 {
        let t = i % 40;
        text += &format!(
            "{},2019-{:02}-{:02},{},Track {t},{},{},S{},0.99,1\n",
            i / 2,
            1 + i % 12,
            1 + i % 28,
            100 + i % 37,
            ["Rock", "Jazz", "Latin", "R&B/Soul", "Metal"][t % 5],
            ["MPEG audio file", "AAC audio file"][t % 2],
            t % 4,
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Genre"));
    let note = p.part_notes.join("\n");
    assert!(
        note.contains("divisions are the 5 values of `Genre`: no column is named as a division")
            && note.contains("`Media Type` (2 values), `Shelf` (4 values)"),
        "{note}"
    );
    // Named by the user, a division is theirs; with no grouping header, the columns are named.
    let p = profile(
        write(&text).path(),
        None,
        &[("division".into(), "Media Type".into())],
    )
    .unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Media Type"));
    let plain = text.replace(",Genre,Media Type,", ",Tag,Format,");
    let p = profile(write(&plain).path(), None, &[]).unwrap();
    assert_eq!(p.columns.division, None);
    let note = p.part_notes.join("\n");
    assert!(
        note.contains(
            "could group them: `Tag` (5 values), `Shelf` (4 values), `Format` (2 values)"
        ),
        "{note}"
    );
}

#[test]
fn a_transaction_type_or_a_unit_is_no_product_group() {
    // 40 tracks; `Type` marks a few returns, `Tax Class` and `Unit Type` are one to a product.
    let mut text = String::from(
        "Invoice ID,Invoice Date,Customer ID,Track,Type,Tax Class,Unit Type,Unit Price,Quantity\n",
    );
    for i in 0..400 {
        let t = i % 40;
        text += &format!(
            "{},2019-{:02}-{:02},{},Track {t},{},{},{},0.99,1\n",
            i / 2,
            1 + i % 12,
            1 + i % 28,
            100 + i % 37,
            if i % 67 == 5 { "Return" } else { "Sale" },
            ["Taxable", "Exempt"][t % 2],
            ["Each", "Box", "Case"][t % 3],
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.division, None);
    let note = p.part_notes.join("\n");
    assert!(
        note.contains("could group them: `Unit Type` (3 values)"),
        "{note}"
    );
    assert!(
        !note.contains("`Type`") && !note.contains("Tax Class"),
        "{note}"
    );
}

/// The date column init chooses among `header`'s (every one a date on every row).
fn date_chosen(header: &str) -> String {
    let n = header.split(',').count();
    let mut text = format!("Customer ID,{header},Item,GP\n");
    for i in 0..20 {
        let dates: Vec<String> = (0..n)
            .map(|k| format!("2019-{:02}-{:02}", 1 + i % 12, 1 + (i + 3 * k) % 28))
            .collect();
        text += &format!("{},{},Paper,10.5\n", 7 + i, dates.join(","));
    }
    profile(write(&text).path(), None, &[])
        .unwrap()
        .columns
        .order_date
}

#[test]
fn a_records_creation_a_purchase_and_a_close_date_the_sale_before_later_days() {
    let pick = date_chosen;
    assert_eq!(pick("Updated At,Created At"), "Created At");
    assert_eq!(pick("Last Updated,Created"), "Created");
    assert_eq!(
        pick("Goods Receipt Date,Purchase Date,Ship Date"),
        "Purchase Date"
    );
    assert_eq!(pick("Expected Close Date,Close Date"), "Close Date");
    assert_eq!(pick("Dispatch Date,Booking Date"), "Booking Date");
    assert_eq!(pick("ProcuredDate,OrderDate,ShipDate"), "OrderDate");
}

#[test]
fn a_discount_beside_a_revenue_init_cannot_place_is_named() {
    let mut text = String::from("Customer ID,Order Date,Product,Quantity,Sales,Discount Applied\n");
    for i in 0..40 {
        text += &format!(
            "C{},2019-{:02}-10,P{},2,{}.00,0.1\n",
            i % 9,
            1 + i % 12,
            i % 4,
            100 + i
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert!(
        p.part_notes
            .iter()
            .any(|n| n.contains("`Discount Applied` is not taken off `Sales`")),
        "{:?}",
        p.part_notes
    );
    // A GP is after every discount: nothing to say.
    let p = profile(
        write(&text.replace(",Sales,", ",Profit,")).path(),
        None,
        &[],
    )
    .unwrap();
    assert!(
        !p.part_notes.iter().any(|n| n.contains("Discount Applied")),
        "{:?}",
        p.part_notes
    );
}

#[test]
fn round_three_dates_groups_and_attributes() {
    let pick = date_chosen;
    // A day named by its event, abbreviated, or in another language.
    assert_eq!(pick("Due Date,Posted At"), "Posted At");
    assert_eq!(pick("Ship Date,Invoiced On"), "Invoiced On");
    assert_eq!(pick("Delivery Date,Invoice Timestamp"), "Invoice Timestamp");
    assert_eq!(pick("Lieferdatum,Rechnungsdatum"), "Rechnungsdatum");
    assert_eq!(pick("Fecha de pedido,Fecha de factura"), "Fecha de factura");
    assert_eq!(pick("ord_dt,inv_dt"), "inv_dt");
    assert_eq!(pick("Faelligkeitsdatum,Datum"), "Datum");
    // The others are named in a note, however their headers say it.
    let text = "Customer ID,Invoice Date,Last Modified,Shipped On,Item,GP\n\
                7,2016-01-04,2016-02-01,2016-01-06,Paper,10.5\n\
                8,2016-01-05,2016-02-03,2016-01-08,Ink,4.25\n";
    let p = profile(write(text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.order_date, "Invoice Date");
    assert_eq!(p.other_dates, ["Last Modified", "Shipped On"]);
    // A customer's tier named `Category` is no division, even alone.
    let mut text = String::from("Customer ID,Order Date,Category,Item,GP\n");
    for i in 0..300 {
        let c = i % 60;
        text += &format!(
            "C{c},2019-{:02}-10,{},P{},10.5\n",
            1 + i % 12,
            ["Gold", "Silver", "Bronze"][c % 3],
            i % 17
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.division, None);
    assert!(
        p.part_notes
            .iter()
            .any(|n| n.contains("`Category` is one value per customer")
                && n.contains("it is not the division")),
        "{:?}",
        p.part_notes
    );
    // A product type of sales and returns in Spanish, or a VAT class, groups nothing.
    let mut text =
        String::from("Customer ID,Order Date,Item,Product Type,VAT Category,Familia,Quantity,GP\n");
    for i in 0..400 {
        let t = i % 40;
        text += &format!(
            "C{},2019-{:02}-10,P{t},{},{},{},1,10.5\n",
            i % 70,
            1 + i % 12,
            ["Venta", "Devolución"][t % 2],
            ["Standard Rated", "Zero Rated"][t % 2],
            ["Bebidas", "Lácteos", "Panadería", "Limpieza"][t % 4],
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.division.as_deref(), Some("Familia"));
}

#[test]
fn a_binary_file_is_refused_as_no_text() {
    let mut bytes = b"\x03\x19\xe6UV\xee^\xc0\x8d\x08\xa3^\x95\x12|\xe5".to_vec();
    bytes.extend([0u8, 1, 2, b',', b'\n', 7, 0, 9]);
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), &bytes).unwrap();
    let e = profile(f.path(), None, &[]).unwrap_err();
    assert!(e.contains("is not a text file"), "{e}");
}

#[test]
fn a_product_sold_at_no_gp_counts_by_its_units_written_with_their_unit() {
    // Freight lines of GP 0, `1 Stk` each: read as the ETL reads them, they are lines.
    let mut text = String::from("Kundennummer;Belegdatum;Artikelnummer;Menge;Deckungsbeitrag\n");
    for i in 0..30 {
        text += &format!("{};0{}.01.2023;000589;2 Stk;12,50\n", 10 + i % 4, 1 + i % 9);
        text += &format!("{};0{}.01.2023;000099;1 Stk;0,00\n", 10 + i % 4, 1 + i % 9);
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    let freight = p.products.iter().find(|p| p.gp_column == "000099");
    assert_eq!(freight.map(|p| p.rows), Some(30), "{:?}", p.products);
}

/// Line `i`'s revenue and cost in [`german_lines`].
fn revenue_cost(i: usize) -> (f64, f64) {
    let revenue = 100.0 + (i * 37 % 900) as f64;
    let cost = (revenue * (0.5 + (i % 7) as f64 * 0.05) * 100.0).round() / 100.0;
    (revenue, cost)
}

/// A German log of `n` lines: `extra` headers and cells appended to each row by `cells(i)`.
fn german_lines(n: usize, extra: &str, cells: impl Fn(usize) -> String) -> String {
    let mut text = format!(
        "Kundennummer;Belegnummer;Belegdatum;Position;Artikelnummer;Menge;Umsatz;Wareneinsatz{extra}\n"
    );
    for i in 0..n {
        let (revenue, cost) = revenue_cost(i);
        text += &format!(
            "{};RE{};{:02}.01.2023;{};P-{};{};{};{}{}\n",
            10 + i % 9,
            1000 + i / 2,
            1 + i % 28,
            1 + i % 2,
            i % 11,
            1 + i % 3,
            format!("{revenue:.2}").replace('.', ","),
            format!("{cost:.2}").replace('.', ","),
            cells(i)
        );
    }
    text
}

#[test]
fn a_margin_in_percent_is_no_gp_and_revenue_less_cost_is() {
    // `Marge` of `31,5` beside `Umsatz` and `Wareneinsatz`: taken as GP, a tester's total came
    // out 7% of the truth.
    for (header, share) in [("Marge", 100.0), ("DB", 100.0), ("Marge", 1.0)] {
        let text = german_lines(60, &format!(";{header}"), |i| {
            let (revenue, cost) = revenue_cost(i);
            let m = share * (revenue - cost) / revenue;
            format!(";{}", format!("{m:.3}").replace('.', ","))
        });
        let p = profile(write(&text).path(), None, &[]).unwrap();
        assert_eq!(
            p.columns.gross_profit.as_deref(),
            Some("Umsatz"),
            "{header}"
        );
        assert_eq!(p.columns.cost.as_deref(), Some("Wareneinsatz"));
        assert!(
            p.part_notes.iter().any(|n| n.contains("margin as a share")),
            "{:?}",
            p.part_notes
        );
    }
    // An amount of GP under that name is GP.
    let text = german_lines(60, ";Marge", |i| {
        let (revenue, cost) = revenue_cost(i);
        format!(";{}", format!("{:.2}", revenue - cost).replace('.', ","))
    });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.gross_profit.as_deref(), Some("Marge"));
}

#[test]
fn a_position_repeating_within_invoices_is_no_line_id() {
    // Each invoice's two lines numbered 1 and 2: the line id.
    let p = profile(
        write(&german_lines(60, "", |_| String::new())).path(),
        None,
        &[],
    )
    .unwrap();
    assert_eq!(p.columns.line_id.as_deref(), Some("Position"));
    // A contact's job title under `Position`: one value on both lines of an invoice.
    let text = german_lines(60, "", |_| String::new()).replace(";Position;", ";Stelle;");
    let text = text.replace("Wareneinsatz\n", "Wareneinsatz;Position\n");
    let text: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l}\n"),
            _ => format!("{l};Einkauf {}\n", (i - 1) / 2 % 3),
        })
        .collect();
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.line_id, None);
}

#[test]
fn a_products_own_type_and_credits_sold_are_no_credit_documents() {
    // `Type` is each product's: `Cloud Credits` is a product, its every line a sale.
    let mut text = String::from("Customer ID,Invoice Date,Item,GP,Type\n");
    for i in 0..60 {
        let item = i % 6;
        let ty = [
            "License",
            "Hardware",
            "Service",
            "Subscription",
            "Support",
            "Cloud Credits",
        ][item];
        text += &format!("{},2023-01-1{},P{item},5,{ty}\n", 10 + i % 7, i % 10);
    }
    assert!(profile(write(&text).path(), None, &[])
        .unwrap()
        .credits
        .is_none());
    // A sale type of `Credit Pack` beside invoices: credits sold, not given.
    let text = text
        .replace(",License\n", ",Invoice\n")
        .replace(",Hardware\n", ",Invoice\n")
        .replace(",Cloud Credits\n", ",Credit Pack\n");
    assert!(profile(write(&text).path(), None, &[])
        .unwrap()
        .credits
        .is_none());
}

#[test]
fn a_ten_digit_id_named_like_a_date_is_no_date_and_the_seller_is_no_customer_name() {
    // `Mandate ID` (it holds "date") of ten digits before `Belegdatum`: read as seconds since
    // 1970, it dated every sale; `Firma`, the seller's name on every row, named each customer.
    let text = german_lines(60, ";Firma", |_| ";Muster GmbH".to_string())
        .replace("Kundennummer;", "Mandate ID;Kundennummer;");
    let text: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l}\n"),
            _ => format!("{};{l}\n", 1_500_000_000 + i * 86_400),
        })
        .collect();
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.order_date, "Belegdatum");
    assert_eq!(p.columns.customer_name, None);
}

#[test]
fn german_discounts_are_taken_off_a_unit_price() {
    let mut text = String::from(
        "Kundennummer;Belegdatum;Artikelnummer;Menge;Einzelpreis;Rabatt;Rabattbetrag\n",
    );
    for i in 0..40 {
        text += &format!(
            "{};0{}.01.2023;P-{};2;10,00;5;1,00\n",
            10 + i % 4,
            1 + i % 9,
            i % 5
        );
    }
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert!(p.value_per_unit);
    assert_eq!(p.columns.discount.as_deref(), Some("Rabatt"));
    assert_eq!(p.columns.discount_amount.as_deref(), Some("Rabattbetrag"));
}

#[test]
fn dutch_portuguese_spanish_nordic_and_finnish_exports_are_read_by_their_own_headers() {
    // (header, the invoice's and the credit's document type, the columns init must take): a
    // tester's seven such logs loaded their credit notes as sales (+5% GP), one keyed 542
    // customers by 50 names, and every one needed four or five `--column`s.
    let cases = [
        (
            "Debiteurnummer;Klantnaam;Factuurnummer;Soort;Factuurdatum;Artikelcode;Artikelgroep;Aantal;Omzet;Kostprijs;Brutowinst",
            ("Factuur", "Creditnota"),
            ["Debiteurnummer", "Factuurdatum", "Artikelgroep", "Artikelcode", "Brutowinst"],
        ),
        (
            "Código cliente;Cliente;Número;Tipo;Fecha;Referencia;Familia;Unidades;Base imponible;Coste;Beneficio",
            ("Factura", "Factura rectificativa"),
            ["Código cliente", "Fecha", "Familia", "Referencia", "Beneficio"],
        ),
        (
            "Kundnummer;Kundnamn;Fakturanummer;Fakturatyp;Fakturadatum;Artikelnummer;Artikelgrupp;Antal;Belopp;Kostnad;Täckningsbidrag",
            ("Faktura", "Kreditfaktura"),
            ["Kundnummer", "Fakturadatum", "Artikelgrupp", "Artikelnummer", "Täckningsbidrag"],
        ),
        (
            "Kundenummer;Kundenavn;Fakturanummer;Type;Fakturadato;Produktnummer;Produktgruppe;Antall;Beløp;Kostpris;Dekningsbidrag",
            ("Faktura", "Kreditnota"),
            ["Kundenummer", "Fakturadato", "Produktgruppe", "Produktnummer", "Dekningsbidrag"],
        ),
        (
            "Asiakasnumero;Asiakas;Laskunumero;Laskutyyppi;Laskun päivämäärä;Tuotekoodi;Tuoteryhmä;Määrä;Summa;Hankintahinta;Kate",
            ("Lasku", "Hyvityslasku"),
            ["Asiakasnumero", "Laskun päivämäärä", "Tuoteryhmä", "Tuotekoodi", "Kate"],
        ),
        (
            "Código Cliente;Nome;N.º Documento;Tipo Documento;Data;Artigo;Família;Quantidade;Valor;Custo;Margem",
            ("Fatura", "Nota de Crédito"),
            ["Código Cliente", "Data", "Família", "Artigo", "Margem"],
        ),
    ];
    for (header, (invoice, credit), want) in cases {
        let mut text = format!("{header}\n");
        for i in 0..60 {
            let doc = if i % 10 == 0 { credit } else { invoice };
            text += &format!(
                "{};Firma {};{};{doc};{:02}.03.2023;A-{};Grupo {};{};{},50;{},25;{},25\n",
                4300 + i % 9,
                i % 9,
                9000 + i / 2,
                1 + i % 27,
                i % 6,
                i % 3,
                1 + i % 4,
                100 + i,
                60 + i,
                40
            );
        }
        let p = profile(write(&text).path(), None, &[]).unwrap_or_else(|e| panic!("{e}"));
        let c = &p.columns;
        let got = [
            c.customer_id.as_str(),
            c.order_date.as_str(),
            c.division.as_deref().unwrap_or(""),
            c.product.as_deref().unwrap_or(""),
            c.gross_profit.as_deref().unwrap_or(""),
        ];
        assert_eq!(got, want);
        let credits = p.credits.unwrap_or_else(|| panic!("{header}: no credits"));
        assert_eq!(credits.values[0].0, credit);
    }
}

#[test]
fn every_known_header_is_written_as_it_compares() {
    // A name is compared with a header's `norm`: one that `norm` changes (a Thai vowel sign,
    // a capital, a space) never matches, and its language's logs need `--column` in silence.
    use super::names::*;
    let lists: &[&[&str]] = &[
        CUSTOMER_ID,
        TAX_IDS,
        EMAIL,
        CUSTOMER_NAME,
        NOT_NAME_AS_ID,
        DIVISION,
        INVOICE_ID,
        LINE_ID,
        PRODUCT,
        GROSS_PROFIT,
        QUANTITY,
        REVENUE,
        UNIT_PRICE,
        COST,
        super::long::DISCOUNT,
    ];
    for name in lists.iter().flat_map(|l| l.iter()) {
        assert_eq!(
            norm(name),
            *name,
            "`{name}` is not written as `norm` makes it"
        );
    }
}
