//! One raw row of the log, parsed: its id, date and product lines read as the layout and the
//! rules say, or the reason it is dropped, with the violations it raised.

use super::*;

pub(super) enum Outcome {
    Kept(Row),
    Dropped(&'static str),
}

pub(super) struct Parsed {
    pub(super) outcome: Outcome,
    pub(super) vio: Violations,
    pub(super) fallback: bool,
    /// A long row's product value that the SKU map does not name (its line is not loaded).
    pub(super) unmapped: Option<(String, f64)>,
    /// A long row's product that the SKU map does not name, in a division it does that the
    /// row's division column names: (product, line), the line's SKU not yet given.
    pub(super) unlisted: Option<(String, Line)>,
    /// A long row's product value found only with its leading zeros set aside, and the SKU.
    pub(super) respelled: Option<(String, u16)>,
    /// An unparseable date that the other `date_order` reads.
    pub(super) other_order: bool,
}

/// A row dropped for `rule`, with the violations it raised.
fn dropped(rule: &'static str, vio: Violations, fallback: bool) -> Parsed {
    Parsed {
        outcome: Outcome::Dropped(rule),
        vio,
        fallback,
        unmapped: None,
        unlisted: None,
        respelled: None,
        other_order: false,
    }
}

/// A totals line dropped as `total_row`, its label (in column `at`) named.
fn total_row(
    mut vio: Violations,
    lay: &Layout,
    raw_row: u64,
    at: usize,
    label: &str,
    fallback: bool,
) -> Parsed {
    vio.push(
        "total_row",
        Severity::Warning,
        Some(raw_row),
        lay.header.get(at).map_or("", String::as_str),
        label,
        "a totals line of the report, not a sale: row dropped",
    );
    dropped("total_row", vio, fallback)
}

/// A totals line's label (and its column) when the row names one and has no readable date.
fn undated_total(rec: &csv::ByteRecord, lay: &Layout, rules: &Rules) -> Option<(usize, String)> {
    let undated = rec
        .get(lay.order_date)
        .is_none_or(|b| parse::order_day(&decode(b).0, rules.date_order).is_none());
    total_label(rec).filter(|_| undated)
}

pub(super) fn parse_row(
    rec: &csv::ByteRecord,
    raw_row: u64,
    lay: &Layout,
    decimal_comma: bool,
    skus: &[Sku],
    rules: &Rules,
) -> Parsed {
    let mut vio = Violations::default();
    let fallback = std::cell::Cell::new(false);
    let width = lay.header.len();
    let swallowed = swallowed_rows(rec, lay.delimiter, width);
    if swallowed > 0 {
        vio.push(
            "unclosed_quote",
            Severity::Blocking,
            Some(raw_row),
            "",
            "",
            format!(
                "a quote opened on this line is not closed on it: {swallowed} row(s) after it were read into one field and would be lost; close the quote, or write a quote inside a field as `\"\"`"
            ),
        );
        return dropped("unclosed_quote", vio, fallback.get());
    }
    if rec.len() != width {
        // A report's subtotal line of fewer fields (`,Subtotal,1234.50`) is a totals line,
        // not a ragged one: it does not count toward `too_many_ragged_rows`.
        if let Some((at, label)) = undated_total(rec, lay, rules) {
            return total_row(vio, lay, raw_row, at, &label, fallback.get());
        }
        vio.push(
            "ragged_row",
            Severity::Warning,
            Some(raw_row),
            "",
            "",
            if padded(rec, width) {
                format!(
                    "{} fields where the header has {width}, the extra ones empty: padding, or a value split by an unquoted delimiter before an empty last column, which cannot be told apart: row dropped (remove the trailing delimiters if they are padding)",
                    rec.len()
                )
            } else {
                format!("{} fields where the header has {width}: row dropped", rec.len())
            },
        );
        return dropped("ragged_row", vio, fallback.get());
    }
    let field = |i: usize, vio: &mut Violations| -> String {
        let b = &rec[i];
        if b.len() > rules.max_field_bytes {
            vio.push(
                "oversized_field",
                Severity::Warning,
                Some(raw_row),
                &lay.header[i],
                &String::from_utf8_lossy(&b[..200.min(b.len())]),
                format!(
                    "{} bytes, over the {}-byte limit: read as empty",
                    b.len(),
                    rules.max_field_bytes
                ),
            );
            return String::new();
        }
        let (s, fb) = decode(b);
        if fb {
            fallback.set(true);
        }
        s.into_owned()
    };
    // Rows of no sale: a status's (cancelled, open) and a document type's (quotes, orders
    // beside their invoices), each dropped under its own reason.
    for (marked, reason, why) in [
        (
            &lay.excluded,
            "excluded_status",
            "a status of no sale (`excluded_statuses`): row dropped",
        ),
        (
            &lay.excluded_documents,
            "excluded_document",
            "a document of no sale (`excluded_documents`): row dropped",
        ),
    ] {
        let Some((col, values)) = marked else {
            continue;
        };
        let value = field(*col, &mut vio);
        if crate::stages::etl::statuses::is_excluded(&value, values) {
            vio.push(
                reason,
                Severity::Warning,
                Some(raw_row),
                &lay.header[*col],
                value.trim(),
                why,
            );
            return dropped(reason, vio, fallback.get());
        }
    }
    // A configurable product's chosen variant, a bundle's items: their parent line holds the
    // value and the quantity, so each would count its units twice.
    if let Some(p) = lay.long.as_ref().and_then(|l| l.parent_line) {
        let parent = field(p, &mut vio);
        if parse::id(&parent).is_some_and(|id| id != "0") {
            vio.push(
                "component_line",
                Severity::Warning,
                Some(raw_row),
                &lay.header[p],
                parent.trim(),
                "part of the line it names, which holds its value and quantity: row dropped",
            );
            return dropped("component_line", vio, fallback.get());
        }
    }
    let raw_id = field(lay.customer_id, &mut vio);
    // A totals line of a report grouped by invoice has no customer and no date
    // (`,,INV1102 Total,...`): named as what it is, as below.
    if parse::id(&raw_id).is_none() {
        if let Some((at, label)) = undated_total(rec, lay, rules) {
            return total_row(vio, lay, raw_row, at, &label, fallback.get());
        }
    }
    if parse::scientific_id(&raw_id) {
        vio.push(
            "scientific_id",
            Severity::Warning,
            Some(raw_row),
            &lay.header[lay.customer_id],
            raw_id.trim(),
            "a long id as Excel displays it, its last digits lost (customers would merge): row dropped; format the column as a number with no decimals, or as text, in Excel and export again",
        );
        return dropped("scientific_id", vio, fallback.get());
    }
    let mut written_id = None;
    let Some(customer_id) = parse::id(&raw_id)
        .map(|id| match &rules.id_prefix {
            Some(p) => crate::stages::etl::ids::without_prefix(id, p),
            None => id,
        })
        .map(|id| {
            if rules.strip_id_zeros {
                without_zeros(id)
            } else {
                id
            }
        })
        .map(|id| {
            if rules.id_words {
                let key = crate::stages::etl::ids::words(&id);
                written_id = Some(id).filter(|id| *id != key);
                key
            } else {
                id
            }
        })
        .filter(|id| !id.is_empty())
    else {
        vio.push(
            "null_customer_id",
            Severity::Warning,
            Some(raw_row),
            &lay.header[lay.customer_id],
            &raw_id,
            "blank customer id: row dropped",
        );
        return dropped("null_customer_id", vio, fallback.get());
    };
    let raw_date = field(lay.order_date, &mut vio);
    let Some(order_date) = parse::order_day(&raw_date, rules.date_order) else {
        // A report's totals line (`Grand Total`, `INV1102 Total`) has no date: named as what it
        // is, and not counted as a bad date (a register with a total under every invoice would
        // otherwise block the star as `too_many_bad_dates`).
        if let Some((at, label)) = total_label(rec) {
            return total_row(vio, lay, raw_row, at, &label, fallback.get());
        }
        vio.push(
            "unparseable_date",
            Severity::Warning,
            Some(raw_row),
            &lay.header[lay.order_date],
            &raw_date,
            // A blank date is missing, not misformatted: the list of formats would mislead.
            match rules.date_order {
                _ if raw_date.trim().is_empty() => "blank date: row dropped",
                parse::DateOrder::Mdy => "not a date (accepted: YYYY-MM-DD, M/D/YYYY, D.M.YYYY, any with a time; `date_order: dmy` in the ETL params reads D/M/YYYY): row dropped",
                parse::DateOrder::Dmy => "not a date (accepted: YYYY-MM-DD, D/M/YYYY, D-M-YYYY, D.M.YYYY, any with a time; `date_order: dmy`): row dropped",
            },
        );
        return Parsed {
            outcome: Outcome::Dropped("unparseable_date"),
            vio,
            fallback: fallback.get(),
            unmapped: None,
            unlisted: None,
            respelled: None,
            other_order: parse::date_in(&raw_date, rules.date_order.other()).is_some(),
        };
    };
    // A monthly summary dated on each month's first day: the day stands for its month.
    let order_date = if rules.dates_are_months {
        parse::month_end(order_date)
    } else {
        order_date
    };
    let too_early = rules.date_min.is_some_and(|m| order_date < m);
    let too_late = rules.date_max.is_some_and(|m| order_date > m);
    if too_early || too_late {
        vio.push(
            "date_out_of_bounds",
            Severity::Warning,
            Some(raw_row),
            &lay.header[lay.order_date],
            &raw_date,
            format!(
                "outside [{}, {}]: row dropped",
                rules
                    .date_min
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                rules
                    .date_max
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into())
            ),
        );
        return dropped("date_out_of_bounds", vio, fallback.get());
    }
    let source_division = lay
        .division
        .map(|i| field(i, &mut vio).trim().to_string())
        .unwrap_or_default();
    let customer_name = lay
        .customer_name
        .map(|i| field(i, &mut vio).trim().to_string())
        .unwrap_or_default();
    let invoice_id = lay.invoice_id.and_then(|i| parse::id(&field(i, &mut vio)));
    let line_id = lay.line_id.and_then(|i| parse::id(&field(i, &mut vio)));
    let read = |col: Option<usize>, vio: &mut Violations, parse: parse::Parse| -> f64 {
        let Some(i) = col else { return 0.0 };
        let b = &rec[i];
        if b.is_empty() {
            return 0.0;
        }
        let text = field(i, vio);
        match parse(&text, decimal_comma) {
            Some(x) => x,
            None => {
                vio.push(
                    "unparseable_number",
                    Severity::Warning,
                    Some(raw_row),
                    &lay.header[i],
                    &text,
                    "not a number: read as 0",
                );
                0.0
            }
        }
    };
    let number = |col: Option<usize>, vio: &mut Violations| read(col, vio, parse::currency);
    let count = |col: Option<usize>, vio: &mut Violations| read(col, vio, parse::quantity);
    let route = |s: &Sku| {
        s.routes
            .get(&source_division)
            .cloned()
            .unwrap_or_else(|| s.division.clone())
    };
    let mut lines = Vec::new();
    let mut unmapped = None;
    let mut unlisted = None;
    let mut respelled = None;
    if let Some(long) = &lay.long {
        let product = parse::excel_text(&field(long.product, &mut vio)).to_string();
        let before = vio.count("unparseable_number");
        let mut gp = number(Some(long.gross_profit), &mut vio);
        // A value that is no number (`N/A`, `#VALUE!`) is a line of unknown value: read as 0,
        // with no cost taken off it (a tester's 1,179 such lines loaded as losses of their
        // whole cost, -2.5M where they had earned +0.7M).
        let value_unread = vio.count("unparseable_number") > before;
        let mut qty = count(long.quantity, &mut vio);
        // Sales written negative: the value turned before its discount and cost are taken off.
        if rules.values_negative {
            gp = -gp;
        }
        {
            let off = match long.discount {
                Some(d) => {
                    let text = field(d, &mut vio);
                    let read = parse::percent(&text, decimal_comma);
                    let read = match rules.discount_fraction {
                        true => read.filter(|&v| v <= 1.0).map(|v| v * 100.0),
                        false => read,
                    };
                    match read {
                        Some(off) => off,
                        None => {
                            vio.push(
                                "unparseable_discount",
                                Severity::Warning,
                                Some(raw_row),
                                &lay.header[d],
                                &text,
                                "not a percentage from 0 to 100: the line counts at its full price",
                            );
                            0.0
                        }
                    }
                }
                None => 0.0,
            };
            // A price per unit times the quantity, or a line total written before its
            // discount (FreshBooks' `Item Subtotal`), the percentage off.
            let whole = if rules.value_per_unit { gp * qty } else { gp };
            // To the millionth, not the cent: which way a system rounds a half cent is its own.
            if rules.value_per_unit || off != 0.0 {
                gp = (whole * (1.0 - off / 100.0) * 1e6).round() / 1e6;
            }
        }
        if let Some(d) = long.discount_amount {
            // Off the line's value, whichever way it is written (`5.00`, `-5.00`); a credit's
            // refund is the smaller for it; a line of no value has none to take off.
            let off = number(Some(d), &mut vio).abs();
            if gp != 0.0 {
                gp = ((gp - off.copysign(gp)) * 1e6).round() / 1e6;
            }
        }
        if let Some(c) = long.cost.filter(|_| !value_unread) {
            // A line with a revenue and no cost would count its whole revenue as GP: said.
            if gp != 0.0 && rec[c].iter().all(u8::is_ascii_whitespace) {
                vio.push(
                    "blank_cost",
                    Severity::Warning,
                    Some(raw_row),
                    &lay.header[c],
                    "",
                    "a revenue and no cost: GP read as the whole revenue",
                );
            }
            // Revenue less cost (plus it, for a log that writes costs negative), to the
            // millionth: `12.10 - 10.00` is 2.1, not 2.0999999999999996.
            let cost = number(Some(c), &mut vio);
            let cost = if rules.cost_negative { -cost } else { cost };
            // In cents like the value, so that both are divided by 100 below.
            let cost = match rules.amounts_in_cents && rules.cost_in_currency {
                true => cost * 100.0,
                false => cost,
            };
            let cost = match rules.cost_per_unit {
                // No quantity written to multiply by: one unit's cost, said (read as none, a
                // tester's 99 such lines counted their whole revenue as GP, in silence). A
                // quantity of 0 (a credit, a fee) has no units, and no cost.
                true if gp != 0.0
                    && cost != 0.0
                    && long
                        .quantity
                        .is_some_and(|q| rec[q].iter().all(u8::is_ascii_whitespace)) =>
                {
                    vio.push(
                        "cost_without_quantity",
                        Severity::Warning,
                        Some(raw_row),
                        &lay.header[c],
                        "",
                        "a cost per unit and no quantity: the line's cost is taken as one unit's",
                    );
                    cost
                }
                true => cost * qty,
                false => cost,
            };
            // A return's cost comes back with it: written unsigned beside a negative value, it
            // is taken off the refund, not added to it (a tester's returns of negative value
            // and positive quantity lost 29.6% of the log's GP).
            let cost = if gp < 0.0 && cost > 0.0 { -cost } else { cost };
            gp = ((gp - cost) * 1e6).round() / 1e6;
        }
        if rules.amounts_in_cents {
            gp = (gp * 1e4).round() / 1e6;
        }
        // The refunded share of a sale off its value and quantity (a line of no positive
        // quantity, a credit's, has none); refunded whole, the line is no sale.
        if let Some(r) = long.refunded_quantity {
            let refunded = count(Some(r), &mut vio).abs();
            if refunded > 0.0 && qty > 0.0 {
                if refunded >= qty {
                    let written = field(r, &mut vio);
                    vio.push(
                        "refunded_line",
                        Severity::Warning,
                        Some(raw_row),
                        &lay.header[r],
                        written.trim(),
                        "refunded whole: no sale, row dropped",
                    );
                    return dropped("refunded_line", vio, fallback.get());
                }
                gp = (gp * (1.0 - refunded / qty) * 1e6).round() / 1e6;
                qty -= refunded;
            }
        }
        if gp != 0.0 || qty != 0.0 {
            match long.sku_of.find(&product) {
                Some((i, zeros)) => {
                    lines.push(Line {
                        sku: i,
                        division: route(&skus[i as usize]),
                        gross_profit: gp,
                        quantity: qty,
                    });
                    if zeros {
                        respelled = Some((product, i));
                    }
                }
                // A product new since the SKU map was written (a holdout's, a log's latest
                // month) is most often in a division the row names: dropping it lost buyers.
                None => {
                    let named = (!product.is_empty())
                        .then(|| {
                            long.divisions
                                .get(&crate::stages::etl::layout::division_key(&source_division))
                        })
                        .flatten();
                    match named {
                        Some(division) => {
                            unlisted = Some((
                                product,
                                Line {
                                    sku: u16::MAX,
                                    division: division.clone(),
                                    gross_profit: gp,
                                    quantity: qty,
                                },
                            ))
                        }
                        None => unmapped = Some((product, gp)),
                    }
                }
            }
        }
    } else {
        let gps: Vec<f64> = lay
            .products
            .iter()
            .map(|(g, _)| number(*g, &mut vio))
            .collect();
        let mut qtys: Vec<f64> = vec![0.0; skus.len()];
        // A Qty column shared by several GP columns counts once: on the first of them with
        // non-zero GP, else on the first of them (the original counted it once per GP column).
        let mut done_owner: Vec<bool> = vec![false; skus.len()];
        for i in 0..skus.len() {
            let owner = lay.qty_owner[i];
            if done_owner[owner] {
                continue;
            }
            done_owner[owner] = true;
            let q = count(lay.products[owner].1, &mut vio);
            let target = (owner..skus.len())
                .filter(|&j| lay.qty_owner[j] == owner)
                .find(|&j| gps[j] != 0.0)
                .unwrap_or(owner);
            qtys[target] = q;
        }
        for (i, s) in skus.iter().enumerate() {
            let (gp, qty) = (gps[i], qtys[i]);
            if gp == 0.0 && qty == 0.0 {
                continue;
            }
            lines.push(Line {
                sku: i as u16,
                division: route(s),
                // Kept as written (4-decimal logs exist): rounding each line to cents would make
                // an invoice's lines miss its total by up to half a cent per line. Quantities
                // too: the original rounded them, and a quarter seat became no seat at all.
                gross_profit: gp,
                quantity: qty,
            });
        }
    }
    // A wide row's product columns (a long row's value is turned above).
    if rules.values_negative && lay.long.is_none() {
        for l in lines.iter_mut().filter(|l| l.gross_profit != 0.0) {
            l.gross_profit = -l.gross_profit;
        }
    }
    if rules.returns_by_quantity {
        for l in lines.iter_mut().filter(|l| l.quantity < 0.0) {
            l.gross_profit = -l.gross_profit.abs();
        }
    }
    if let Some((col, values)) = &lay.credit {
        if crate::stages::etl::credits::is_credit(&field(*col, &mut vio), values) {
            for l in &mut lines {
                l.gross_profit = -l.gross_profit.abs();
                l.quantity = -l.quantity.abs();
            }
        }
    }
    Parsed {
        outcome: Outcome::Kept(Row {
            raw_row,
            part: 0,
            customer_id,
            order_date,
            source_division,
            customer_name,
            invoice_id,
            line_id,
            lines,
            written_id,
        }),
        vio,
        fallback: fallback.get(),
        unmapped,
        unlisted,
        respelled,
        other_order: false,
    }
}
