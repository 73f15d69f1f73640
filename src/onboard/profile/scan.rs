//! The profile's one streaming pass over every row, read as the ETL will read it: the dates
//! the pipeline will see, per product its rows, GP and divisions, and the tallies `init`
//! decides the log's conventions by (signs, cents, duplicates, statuses, customer keys).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::stages::etl::layout::decode;
use crate::stages::etl::parse::{self, DateOrder};
use crate::stages::etl::parts::reader;

use super::header::csv_error;
use super::long::Long;
use super::names::norm;
use super::{customer_key, doctypes, MAX_CURRENCIES};

/// A product's rows, GP, rows by division value, and rows with a quantity.
pub(super) type Stats = (u64, f64, HashMap<String, u64>, u64);

/// The columns the pass reads, as the profile placed them.
pub(super) struct Placed<'a> {
    pub header: &'a [String],
    pub customer_id: usize,
    pub order_date: usize,
    pub division: Option<usize>,
    pub long: Option<Long>,
    /// A wide log's GP and Qty columns, a pair a product.
    pub pairs: &'a [(usize, Option<usize>)],
    /// Every column placed: the tallies look for theirs among the others.
    pub taken: &'a [usize],
    pub decimal_comma: bool,
    pub date_order: DateOrder,
}

/// What the pass counted.
pub(super) struct Scan {
    /// Rows with a product line by day, less those of a status of no sale.
    pub per_day: BTreeMap<NaiveDate, u64>,
    /// A wide log's products, in `pairs`' order.
    pub stats: Vec<Stats>,
    /// A long log's products, by value.
    pub by_value: BTreeMap<String, Stats>,
    pub dated: u64,
    pub total_rows: u64,
    pub exact_duplicates: u64,
    /// The GP of those repeats and of every row, as the ETL would read them.
    pub duplicate_gp: (f64, f64),
    pub ragged: (u64, Option<u64>),
    pub padded_rows: u64,
    pub unclosed: Option<(u64, usize)>,
    /// A long file read against a SKU map: its rows whose product the map does not name, and
    /// a few such products.
    pub unmapped: (u64, BTreeSet<String>),
    /// Those products with their lines and GP (the first 1,000 products seen).
    pub unmapped_products: BTreeMap<String, (u64, f64)>,
    pub total_lines: u64,
    pub total_example: Option<String>,
    pub undated_example: Option<String>,
    pub header_repeats: u64,
    pub ids: BTreeSet<String>,
    /// Each customer's first sale day, and whether it bought on another day too.
    pub days_of: HashMap<String, (NaiveDate, bool)>,
    pub keys: customer_key::Tally,
    pub currency_column: Option<String>,
    pub currencies: BTreeSet<String>,
    /// Whether each currency code is lower case (Stripe's `usd`).
    pub stripe_codes: bool,
    /// Values not zero, and of them whole numbers.
    pub amounts: (u64, u64),
    pub month_dates: (u64, Option<String>),
    /// Per part of a folder: rows of positive GP, of negative GP.
    pub part_signs: Vec<(u64, u64)>,
    /// Rows of positive GP, of negative GP, in the whole log.
    pub value_signs: (u64, u64),
    pub doc_types: Option<doctypes::Tally>,
    pub statuses: Option<doctypes::Statuses>,
    /// Lines of negative quantity: (with a positive GP, with a negative one).
    pub returns: (u64, u64),
    /// Lines of positive quantity: (with a negative GP, all).
    pub sales: (u64, u64),
    /// Each part's date order, as the ETL will read it.
    pub orders: Vec<crate::stages::etl::part_dates::PartOrder>,
}

/// Reads every row of `bytes` (parts starting at `starts`) once.
pub(super) fn scan(
    path: &Path,
    bytes: &[u8],
    starts: &[usize],
    delimiter: u8,
    at: &Placed,
    sku_map: Option<&[crate::stages::etl::skumap::Sku]>,
) -> Result<Scan, String> {
    let &Placed {
        header,
        customer_id,
        order_date,
        division,
        long,
        pairs,
        taken,
        decimal_comma,
        date_order,
    } = at;
    let mapped = sku_map.map(|m| {
        (
            crate::stages::etl::skumap::ProductIndex::new(m.iter().map(|s| s.gp_column.as_str())),
            m,
        )
    });

    // One streaming pass over every row: dates, and per product its rows, GP and divisions.
    let mut per_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut stats: Vec<Stats> = vec![(0, 0.0, HashMap::new(), 0); pairs.len()];
    let mut by_value: BTreeMap<String, Stats> = BTreeMap::new();
    let (mut dated, mut total_rows) = (0u64, 0u64);
    // As the ETL tells them apart.
    let mut seen: HashSet<[u8; 16]> = HashSet::new();
    let mut exact_duplicates = 0u64;
    let mut duplicate_gp = (0.0f64, 0.0f64);
    let mut ragged = (0u64, None);
    // Of them, rows longer than the header only by empty cells.
    let mut padded_rows = 0u64;
    let mut unclosed: Option<(u64, usize)> = None;
    // A long file read against a SKU map (a holdout against the log's products): its rows whose
    // product the map does not name, and a few such products.
    let mut unmapped: (u64, BTreeSet<String>) = Default::default();
    let mut unmapped_products: BTreeMap<String, (u64, f64)> = BTreeMap::new();
    let (mut total_lines, mut total_example, mut undated_example) = (0u64, None, None);
    let mut rdr = reader(bytes, delimiter);
    let form = crate::stages::etl::ingest::shape::Form::of(bytes, delimiter);
    let mut r = csv::ByteRecord::new();
    let mut first = true;
    let (mut head, mut header_repeats) = (csv::ByteRecord::new(), 0u64);
    let mut ids: BTreeSet<String> = BTreeSet::new();
    // Each customer's first sale day, and whether it bought on another day too.
    let mut days_of: HashMap<String, (NaiveDate, bool)> = HashMap::new();
    let mut keys = customer_key::Tally::find(header, customer_id, taken);
    let currency = crate::stages::etl::currency::column(header);
    let currency_column = currency.map(|i| header[i].clone());
    let mut currencies: BTreeSet<String> = BTreeSet::new();
    // Stripe's money: whole cents beside lower-case currency codes (`usd`); other systems
    // write `USD` and decimals. (Whether each currency code is lower case; values not zero,
    // and of them whole numbers.)
    let mut stripe_codes = currency.is_some();
    let mut amounts = (0u64, 0u64);
    let mut month_dates: (u64, Option<String>) = (0, None);
    // Per part of a folder: rows of positive GP, of negative GP; and of the whole log.
    let mut part_signs: Vec<(u64, u64)> = Vec::new();
    let mut value_signs = (0u64, 0u64);
    let mut doc_types = doctypes::Tally::find(header, taken);
    // Each part's dates read as the ETL will read them: a day-first export among month-first
    // ones in its own order.
    let orders =
        crate::stages::etl::part_dates::orders_of(bytes, delimiter, order_date, starts, date_order);
    let mut statuses = doctypes::Tally::find_status(header, taken);
    // The days of each status's rows (by its key), so that those of no sale (a CRM's open
    // opportunities, closing in the future) set no date of the log.
    let mut status_days: BTreeMap<String, BTreeMap<NaiveDate, u64>> = BTreeMap::new();
    // Lines of negative quantity: (with a positive GP, with a negative one).
    let mut returns = (0u64, 0u64);
    // Lines of positive quantity: (with a negative GP, all).
    let mut sales = (0u64, 0u64);
    let mut signs = |qty: f64, gp: f64| {
        if qty > 0.0 {
            sales.0 += u64::from(gp < 0.0);
            sales.1 += 1;
        }
        if qty < 0.0 {
            returns.0 += u64::from(gp > 0.0);
            returns.1 += u64::from(gp < 0.0);
        }
    };
    loop {
        match rdr.read_byte_record(&mut r) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        if std::mem::take(&mut first) {
            head = r.clone();
            continue; // the header
        }
        // A blank line, or a row of empty fields (`,,,,,`): no row, as the ETL reads it.
        if r.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // As the ETL drops them: a report's page headers are no rows, and no duplicates.
        if crate::stages::etl::ingest::repeats_header(&r, &head) {
            header_repeats += 1;
            continue;
        }
        total_rows += 1;
        // A quote never closed: the rows after it are one field (the ETL blocks on it).
        let swallowed = crate::stages::etl::ingest::swallowed_rows(&r, delimiter, head.len());
        if swallowed > 0 && unclosed.is_none() {
            unclosed = r
                .position()
                .map(|p| (crate::stages::etl::ingest::file_line(bytes, p), swallowed));
        }
        // Cells only of unnamed header columns missing, a delimiter after every data row, empty
        // trailing cells left out: read as the ETL reads them.
        form.read(&mut r, head.len());
        // Its fields are shifted (a shifted amount read as a currency named dozens of
        // "currencies"): counted as the ETL will drop it, and read no further.
        // A subtotal line of fewer fields is a totals line, as the ETL reads it.
        if r.len() != head.len() && crate::stages::etl::totals::total_label(&r).is_some() {
            continue;
        }
        if r.len() != head.len() {
            ragged.0 += 1;
            ragged.1 = ragged.1.or(r
                .position()
                .map(|p| crate::stages::etl::ingest::file_line(bytes, p)));
            padded_rows += u64::from(crate::stages::etl::ingest::padded(&r, head.len()));
            continue;
        }
        let repeat = !seen.insert(crate::stages::etl::ingest::row_key(&r));
        exact_duplicates += u64::from(repeat);
        let text = |i: usize| r.get(i).map(|b| decode(b).0);
        let order = if orders.len() > 1 {
            let at = r.position().map_or(0, |p| p.byte() as usize);
            orders[starts.partition_point(|&s| s <= at).saturating_sub(1)].order
        } else {
            date_order
        };
        let date = text(order_date).and_then(|v| parse::order_day(&v, order));
        dated += u64::from(date.is_some());
        if let Some(v) = text(order_date).filter(|v| parse::month_only(v.trim()).is_some()) {
            month_dates.0 += 1;
            month_dates.1.get_or_insert_with(|| v.trim().to_string());
        }
        if date.is_none() {
            if let Some((_, label)) = crate::stages::etl::ingest::total_label(&r) {
                total_lines += 1;
                total_example.get_or_insert(label);
            } else if undated_example.is_none() {
                undated_example = Some(text(order_date).unwrap_or_default().into_owned());
            }
        }
        let id = text(customer_id).and_then(|v| parse::id(&v));
        if let Some(id) = &id {
            ids.insert(id.clone());
        }
        if let Some(c) = currency.and_then(text) {
            let c = c.trim();
            if !c.is_empty() && currencies.len() < MAX_CURRENCIES {
                currencies.insert(c.to_uppercase());
            }
            stripe_codes &=
                c.is_empty() || (c.len() == 3 && c.bytes().all(|b| b.is_ascii_lowercase()));
        }
        if let Some(v) = long.and_then(|l| text(l.value)) {
            let v = v.trim();
            if !v.is_empty() && v != "0" {
                amounts.0 += 1;
                amounts.1 += u64::from(
                    v.trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit()),
                );
            }
        }
        let (mut has_line, mut row_gp, mut row_qty) = (false, 0.0, 0.0);
        let div_text = division.and_then(text);
        let div = div_text.as_deref().map(str::trim).unwrap_or("");
        let num = |i: usize| {
            r.get(i)
                .filter(|b| !b.is_empty())
                .and_then(|b| parse::currency(&decode(b).0, decimal_comma))
                .unwrap_or(0.0)
        };
        // A count as the ETL reads it, its unit too (`1 Stk`, `4 Nos`): read as a currency,
        // a tester's product sold only as lines of no GP went missing from the proposed map.
        let units = |i: usize| {
            r.get(i)
                .filter(|b| !b.is_empty())
                .and_then(|b| parse::quantity(&decode(b).0, decimal_comma))
                .unwrap_or(0.0)
        };
        let mut count = |s: &mut Stats, gp: f64, qty: f64| {
            has_line = true;
            s.0 += 1;
            s.1 += gp;
            s.3 += u64::from(qty != 0.0);
            if !div.is_empty() {
                *s.2.entry(div.to_string()).or_default() += 1;
            }
        };
        if let Some(l) = long {
            let product = text(l.product)
                .map(|v| parse::excel_text(&v).to_string())
                .unwrap_or_default();
            let (gp, qty) = (num(l.value), l.quantity.map(units).unwrap_or(0.0));
            let off = l
                .discount
                .and_then(&text)
                .and_then(|v| parse::percent(&v, decimal_comma))
                .map(|v| if l.discount_fraction { v * 100.0 } else { v });
            let gp = if l.per_unit {
                gp * qty * (1.0 - off.unwrap_or(0.0) / 100.0)
            } else {
                gp * (1.0 - off.unwrap_or(0.0) / 100.0)
            };
            let gp = match l.discount_amount {
                Some(d) if gp != 0.0 => gp - num(d).abs().copysign(gp),
                _ => gp,
            };
            // As the ETL reads them: a part refunded taken off, a component line (its
            // parent holds its value) and a line refunded whole no sale.
            let refunded = l
                .refunded_quantity
                .map_or(0.0, |r| num(r).abs().min(qty.max(0.0)));
            let component = l
                .parent_line
                .and_then(&text)
                .is_some_and(|v| !matches!(v.trim(), "" | "0"));
            let (gp, qty) = if component || (refunded > 0.0 && refunded >= qty) {
                (0.0, 0.0)
            } else if refunded > 0.0 {
                (gp * (1.0 - refunded / qty), qty - refunded)
            } else {
                (gp, qty)
            };
            signs(qty, gp);
            row_gp += gp;
            row_qty += qty;
            let written = product.trim().to_string();
            let product = match &mapped {
                None => Some(product),
                Some((index, m)) => index
                    .find(&product)
                    .map(|(i, _)| m[i as usize].gp_column.clone()),
            };
            if product.is_none() && !written.is_empty() && (gp != 0.0 || qty != 0.0) {
                unmapped.0 += 1;
                if unmapped_products.len() < super::UNMAPPED_NAMED
                    || unmapped_products.contains_key(&written)
                {
                    let e = unmapped_products.entry(written.clone()).or_default();
                    e.0 += 1;
                    e.1 += gp;
                }
                if unmapped.1.len() < 3 {
                    unmapped.1.insert(written);
                }
            }
            if let Some(product) = product.filter(|p| !p.is_empty()) {
                if gp != 0.0 || qty != 0.0 {
                    count(by_value.entry(product).or_default(), gp, qty);
                }
            }
        } else {
            for (k, &(g, q)) in pairs.iter().enumerate() {
                let gp = num(g);
                row_gp += gp;
                let qty = q.map(units).unwrap_or(0.0);
                row_qty += qty;
                signs(qty, gp);
                if gp != 0.0 || qty != 0.0 {
                    count(&mut stats[k], gp, qty);
                }
            }
        }
        for t in [doc_types.as_mut(), statuses.as_mut()]
            .into_iter()
            .flatten()
        {
            let value = text(t.column()).unwrap_or_default();
            t.add(&value, row_gp, row_qty);
        }
        if repeat {
            duplicate_gp.0 += row_gp;
        }
        duplicate_gp.1 += row_gp;
        if has_line {
            value_signs.0 += u64::from(row_gp > 0.0);
            value_signs.1 += u64::from(row_gp < 0.0);
        }
        if has_line && !starts.is_empty() {
            let at = r.position().map_or(0, |p| p.byte() as usize);
            let part = starts.partition_point(|&s| s <= at).saturating_sub(1);
            if part_signs.len() <= part {
                part_signs.resize(part + 1, (0, 0));
            }
            part_signs[part].0 += u64::from(row_gp > 0.0);
            part_signs[part].1 += u64::from(row_gp < 0.0);
        }
        // Only rows with a product line become facts: the dates the pipeline will see.
        if let (Some(d), true) = (date, has_line) {
            *per_day.entry(d).or_default() += 1;
            if let Some(id) = id {
                keys.add(&id, d, |i| text(i).map(|v| v.trim().to_string()));
                let e = days_of.entry(id).or_insert((d, false));
                e.1 |= e.0 != d;
            }
            if let Some(t) = &statuses {
                let key = norm(text(t.column()).unwrap_or_default().trim());
                // A free-text column of many values is no status column (`finish_statuses`).
                if status_days.len() < 64 || status_days.contains_key(&key) {
                    *status_days.entry(key).or_default().entry(d).or_default() += 1;
                }
            }
        }
    }
    let invoices = doc_types.as_ref().is_some_and(|t| t.holds("invoice"));
    let statuses = statuses.and_then(|t| t.finish_statuses(header, invoices));
    for (value, _) in statuses.iter().flat_map(|s| &s.values) {
        for (d, n) in status_days.get(&norm(value)).into_iter().flatten() {
            if let Some(left) = per_day.get_mut(d) {
                *left -= n;
                if *left == 0 {
                    per_day.remove(d);
                }
            }
        }
    }
    Ok(Scan {
        per_day,
        stats,
        by_value,
        dated,
        total_rows,
        exact_duplicates,
        duplicate_gp,
        ragged,
        padded_rows,
        unclosed,
        unmapped,
        unmapped_products,
        total_lines,
        total_example,
        undated_example,
        header_repeats,
        ids,
        days_of,
        keys,
        currency_column,
        currencies,
        stripe_codes,
        amounts,
        month_dates,
        part_signs,
        value_signs,
        doc_types,
        statuses,
        returns,
        sales,
        orders,
    })
}
