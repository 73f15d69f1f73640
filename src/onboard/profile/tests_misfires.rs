//! Rules added for other countries' exports, and where they must not fire: a misfire hunter's
//! logs (2026-12-07), each of which loaded wrong numbers with exit 0 before its fix.

use super::*;

fn write(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

/// `n` rows of a log: customer, day of 2023, product of four, quantity, value.
fn rows(n: usize, line: impl Fn(usize, usize, u32, &str, u32, f64) -> String) -> String {
    (0..n)
        .map(|i| {
            let product = ["P-100", "P-200", "P-300", "P-400"][i % 4];
            line(
                i,
                i % 60,
                1 + (i % 300) as u32,
                product,
                1 + (i % 5) as u32,
                100.0 + (i % 97) as f64,
            )
        })
        .collect()
}

#[test]
fn repeats_of_whole_invoices_are_an_exports_and_an_item_listed_twice_is_two_lines() {
    let row = |inv: &str, item: &str| vec![inv.to_string(), item.to_string(), "1".to_string()];
    // Invoices of three items, each invoice exported twice (every line repeats).
    let mut doubled = Vec::new();
    for k in 0..10 {
        let inv = format!("INV-{k}");
        for _ in 0..2 {
            for item in ["A", "B", "C"] {
                doubled.push(row(&inv, item));
            }
        }
    }
    assert!(!columns::repeats_are_lines(&doubled, 0));
    // One item listed twice beside the invoice's others.
    let mut twice = Vec::new();
    for k in 0..10 {
        let inv = format!("INV-{k}");
        for item in ["A", "A", "B", "C"] {
            twice.push(row(&inv, item));
        }
    }
    assert!(columns::repeats_are_lines(&twice, 0));
    // Every item of an invoice repeated, but one twice and another three times: no export
    // writes a document so.
    let mut unlike = Vec::new();
    for k in 0..10 {
        let inv = format!("INV-{k}");
        for item in ["A", "A", "B", "B", "B"] {
            unlike.push(row(&inv, item));
        }
    }
    assert!(columns::repeats_are_lines(&unlike, 0));
    // The same rows, but a block of an export's written twice (each invoice's rows again after
    // the next invoice's), or a row again at every page break of 20 rows: an export's.
    let mut blocks = Vec::new();
    for k in 0..10 {
        let inv = format!("INV-{k}");
        for item in ["A", "B", "C", "A", "B", "C"] {
            blocks.push(row(&inv, &format!("{item}{}", k % 3)));
        }
        blocks.push(row(&inv, "D"));
    }
    assert!(!columns::repeats_are_lines(&blocks, 0));
    let mut paged = Vec::new();
    for k in 0..200 {
        let r = row(&format!("INV-{}", k / 4), &format!("{}", k % 4));
        if k % 20 == 19 {
            paged.push(r.clone());
        }
        paged.push(r);
    }
    assert!(!columns::repeats_are_lines(&paged, 0));
}

#[test]
fn a_data_column_of_numbers_is_no_sale_date_beside_date() {
    // `Data Usage MB` of 40,000-52,000 read as spreadsheet days dated sales 2009-2042.
    let text = String::from("Customer ID,Data Usage MB,Date,Product,Qty,Amount\n")
        + &rows(400, |i, c, d, p, q, v| {
            format!(
                "C{c},{},2023-{:02}-{:02},{p},{q},{v:.2}\n",
                40_000 + i * 29,
                1 + d % 12,
                1 + d % 28
            )
        });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.order_date, "Date");
}

#[test]
fn a_tax_number_blank_for_private_buyers_is_no_customer_id() {
    // A Polish NIP blank on a tenth of the rows lost them (-8.4% GP), beside a customer code.
    let text = String::from("Data wystawienia;Kod klienta;NIP;Kontrahent;Symbol;Ilość;Zysk\n")
        + &rows(400, |_, c, d, p, q, v| {
            let nip = if c % 10 == 0 {
                String::new()
            } else {
                format!("{:03}-{:03}-{:02}-{:02}", c, c + 1, c % 7, c % 9)
            };
            format!(
                "{:02}.{:02}.2023;K{c:04};{nip};Firma {c};{p};{q};{v:.2}\n",
                1 + d % 28,
                1 + d % 12
            )
        });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_eq!(p.columns.customer_id, "Kod klienta");
    // Without the code, the name keys them all, not the NIP.
    let text = text
        .replace("Kod klienta;", "")
        .replace(";K0", ";")
        .lines()
        .map(|l| {
            // Drop the code field: it is the second.
            let mut f: Vec<&str> = l.split(';').collect();
            if f.len() == 7 {
                f.remove(1);
            }
            f.join(";")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert_ne!(p.columns.customer_id, "NIP");
}

#[test]
fn a_products_own_type_of_return_is_no_credit_among_four_products() {
    // A paid `Return` pickup service: its lines were read as credits (-7.4% GP).
    let text = String::from("Customer ID,Date,Product,Type,Qty,Amount\n")
        + &rows(400, |_, c, d, p, q, v| {
            let t = match p {
                "P-100" => "Return",
                "P-200" => "Sale",
                _ => "Hardware",
            };
            format!(
                "C{c},2023-{:02}-{:02},{p},{t},{q},{v:.2}\n",
                1 + d % 12,
                1 + d % 28
            )
        });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert!(p.credits.is_none(), "{:?}", p.credits);
}

#[test]
fn a_small_cost_in_whole_cents_is_in_cents() {
    // A software seller's cost at 1% of its prices, both in cents: read as currency, GP
    // came out -0.7M for +5.1M.
    let text =
        String::from("customer_id,invoice_date,plan_id,quantity,amount_cents,cost,currency\n")
            + &rows(400, |_, c, d, p, q, _| {
                let amount = 100_000 + 37 * d as i64;
                format!(
                    "cus_{c},2023-{:02}-{:02},{p},{q},{amount},{},usd\n",
                    1 + d % 12,
                    1 + d % 28,
                    amount / 100
                )
            });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert!(p.amounts_in_cents);
    assert!(!p.cost_in_currency);
}

#[test]
fn an_income_ledger_with_an_eighth_of_its_lines_returns_is_read_with_its_signs_turned() {
    // Sales `£x CR`, returns `£x DR` on 12% of the lines: loaded negative before.
    let text = String::from("A/C Ref,Date,Stock Code,Qty,Net\n")
        + &rows(400, |i, c, d, p, q, v| {
            let (q, side) = if i % 8 == 0 {
                (-(q as i64), "DR")
            } else {
                (q as i64, "CR")
            };
            format!(
                "CUS{c:03},{:02}/{:02}/2023,{p},{q},£{v:.2}{side}\n",
                1 + d % 28,
                1 + d % 12
            )
        });
    let p = profile(write(&text).path(), None, &[]).unwrap();
    assert!(p.values_negative);
}
