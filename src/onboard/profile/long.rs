//! A long log's columns (one row per product line): its product, its line value and what
//! adjusts it (a price per unit, discounts, refunds, a parent line), and its quantity.

use super::columns::*;
use super::names::*;
use super::Aliases;
use crate::stages::etl::parse;

/// A long log's columns: its product, its line value, its quantity, and whether the value is
/// a price per unit (see [`long_columns`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Long {
    pub product: usize,
    pub value: usize,
    pub quantity: Option<usize>,
    pub per_unit: bool,
    /// With a price per unit: each line's discount in percent.
    pub discount: Option<usize>,
    /// The discount is written as a fraction (`0.2` for 20%, Northwind's `Discount`).
    pub discount_fraction: bool,
    /// Each line's discount as an amount, off its value.
    pub discount_amount: Option<usize>,
    /// Each line's quantity refunded, beside its quantity.
    pub refunded_quantity: Option<usize>,
    /// The line a line is part of (its parent holds its value).
    pub parent_line: Option<usize>,
    /// A column named as a unit price whose values grow with the quantity as a line total's
    /// do: read as the line's value, with this slope for the note (`unit_cost::price_slope`).
    pub price_is_total: Option<f64>,
    /// A column named as GP that holds a margin in percent or as a fraction (`Marge`: `23,5`),
    /// passed over for the revenue less its cost.
    pub margin_share: Option<usize>,
}

/// What the user named of a long log's columns (`--column`).
pub(super) struct Named {
    /// The product column was named.
    pub product: bool,
    /// The column named as a unit price (`--column unit_price=HEADER`).
    pub unit_price: Option<usize>,
}

/// A long log's columns: a product column by name (else `division`), and a GP column by name whose values are
/// numbers (90% of the sample), else a revenue column (see [`Profile::value_is_revenue`]) that
/// is a line's and not its invoice's, else a price per unit beside a quantity column; the
/// quantity column, if any, by name.
pub(super) fn long_columns(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    division: Option<usize>,
    decimal_comma: bool,
    named: Named,
) -> Option<Long> {
    let Named {
        product: product_named,
        unit_price,
    } = named;
    let numeric = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::currency(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    };
    // A count may carry its unit (Tally's `4 Nos`), which the ETL reads past.
    let counts = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::quantity(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    };
    // A discount in percent on every line that has one.
    let percent = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::percent(v, decimal_comma).is_some());
        n == 0 || s >= 0.9
    };
    // Named as the division's own column (the holdout of a log read so): each division is
    // its product.
    let named_division =
        division.filter(|&d| product_named && aliases.product.first() == Some(&header[d]));
    let product = named_division
        .or_else(|| product_by_name(header, rows, aliases, taken, product_named))
        .or_else(|| item_no(header, rows, taken))
        // A log that names no product finer than its division (a summary by customer and
        // product line): each line's product is its division.
        .or(division)?;
    let mut taken = taken.to_vec();
    taken.push(product);
    // The user's own header first; the ETL's default aliases (`GP`) rank with the other names,
    // so that `GP USD` beside `GP` is found.
    let defaults = Aliases::default().gross_profit;
    let users: Vec<String> = aliases
        .gross_profit
        .iter()
        .filter(|a| !defaults.contains(a))
        .cloned()
        .collect();
    // The invoice column is taken by now: looked for among all but the product; else the
    // column most often the same as on the row above (Shopify's order number, `Name`).
    let invoice = by_name(header, &aliases.invoice_id, INVOICE_ID, &[product])
        .or_else(|| repeating(rows, header.len(), &taken));
    let mut not_lines = taken.clone();
    let revenue = loop {
        match value_column(header, &[], REVENUE, &not_lines, &numeric) {
            // Xero's `Total` is its invoice's, on each of the invoice's lines: no line's value.
            Some(r) if invoice.is_some_and(|inv| inv != r && per_invoice(rows, r, inv)) => {
                not_lines.push(r)
            }
            other => break other,
        }
    };
    // A unit price the user named (`--column unit_price=HEADER`) is the line's value, times its
    // quantity, unless a GP column is named too.
    let gp = match unit_price {
        Some(_) if users.is_empty() => None,
        _ => value_column(header, &users, GROSS_PROFIT, &taken, &numeric).or(revenue),
    };
    // A margin written as a share beside the revenue (`Marge` of `23,5` beside `Umsatz` and
    // `Wareneinsatz`) is no line's GP: a tester's GP came out 7% of the truth. Revenue stands
    // in, its cost taken off.
    let margin_share = match (gp, revenue) {
        (Some(g), Some(r)) if g != r && users.is_empty() => {
            let cost = super::columns::cost_column(header, rows, aliases, &taken, decimal_comma);
            is_margin_share(rows, g, r, cost, decimal_comma).then_some(g)
        }
        _ => None,
    };
    let gp = if margin_share.is_some() { revenue } else { gp };
    let qty = |taken: &[usize]| by_name(header, &aliases.quantity, QUANTITY, taken).filter(counts);
    if let Some(gp) = gp {
        taken.push(gp);
        let quantity = qty(&taken);
        taken.extend(quantity);
        // A discount amount beside a line total written before it (Magento's `row_total`, which
        // is its price times its quantity): told by a unit price beside them.
        let gross = quantity.and_then(|q| {
            let price = value_column(header, &[], UNIT_PRICE, &taken, &numeric)?;
            Some((price, q))
        });
        // A discount the user named (`--column discount_amount=HEADER`) is taken as named:
        // a tester's was dropped for want of a unit price to show it (+2% GP).
        let named_amount = user_named(header, &aliases.discount_amount, |a| &a.discount_amount)
            .filter(|d| !taken.contains(d));
        let named_percent =
            user_named(header, &aliases.discount, |a| &a.discount).filter(|d| !taken.contains(d));
        let discount_amount = named_amount.or_else(|| {
            named_percent.is_none().then_some(())?;
            let (price, q) = gross?;
            // Named as an amount; else a bare `Discount` (`Descuento`, `Chiết khấu`) that holds
            // amounts, as values over 100 show (a Mexican CFDI's and a Vietnamese MISA export's
            // were left on their lines: +4.9% and +5.6% GP).
            let d = by_name(header, &aliases.discount_amount, DISCOUNT_AMOUNT, &taken)
                .or_else(|| {
                    by_name_where(header, &aliases.discount, DISCOUNT, &taken, |h| {
                        !is_share_name(h)
                    })
                    .filter(|&d| over_100(rows, d, decimal_comma))
                })
                .filter(&numeric)?;
            (!per_order(rows, d, invoice)
                && before_discount(rows, [gp, price, q, d], decimal_comma, false))
            .then_some(d)
        });
        let gross = gross.filter(|_| named_percent.is_none());
        // A percentage likewise (FreshBooks' `Item Subtotal` beside `Discount Percentage`),
        // named as a share (`Discount %`, `Discount Percentage`): a bare `Discount` beside a line
        // total may be an amount, and 10.00 off a 200.00 line is no 10%.
        let discount = gross
            .filter(|_| discount_amount.is_none())
            .and_then(|(price, q)| {
                let d = percent_column(header, &aliases.discount, &taken)
                    .filter(percent)
                    .filter(|&d| is_share_name(&header[d]))?;
                before_discount(rows, [gp, price, q, d], decimal_comma, true).then_some(d)
            })
            .or(named_percent.filter(|_| discount_amount.is_none()));
        taken.extend(discount_amount.or(discount));
        return Some(Long {
            product,
            value: gp,
            quantity,
            per_unit: false,
            discount,
            discount_fraction: false,
            discount_amount,
            refunded_quantity: refunded_quantity(header, rows, aliases, &taken, quantity, &numeric),
            parent_line: parent_line(header, rows, aliases, &taken),
            price_is_total: None,
            margin_share,
        });
    }
    let quantity = qty(&taken)?;
    taken.push(quantity);
    let price = match unit_price {
        Some(u) => u,
        None => value_column(header, &[], UNIT_PRICE, &taken, &numeric)?,
    };
    taken.push(price);
    // A discount off the price: a percentage on every line that has one (Xero's `Discount`).
    let discount = percent_column(header, &aliases.discount, &taken).filter(percent);
    taken.extend(discount);
    // A header that says percent (`Discount %`) holds percentages, however small; a `Rate`
    // does not say which.
    let says_percent = |h: &str| {
        let n = norm(h);
        h.contains('%') || n.contains("percent") || n.contains("pct")
    };
    let discount_fraction =
        discount.is_some_and(|d| !says_percent(&header[d]) && fraction(rows, d, decimal_comma));
    // A line's discount as an amount, off price times quantity (Shopify's `Lineitem discount`;
    // its `Discount Amount` is the order's, not taken).
    let discount_amount = by_name(
        header,
        &aliases.discount_amount,
        LINE_DISCOUNT_AMOUNT,
        &taken,
    )
    .filter(&numeric)
    .filter(|&d| !per_order(rows, d, invoice));
    taken.extend(discount_amount);
    let mut long = Long {
        product,
        value: price,
        quantity: Some(quantity),
        per_unit: true,
        discount,
        discount_fraction,
        discount_amount,
        refunded_quantity: refunded_quantity(
            header,
            rows,
            aliases,
            &taken,
            Some(quantity),
            &numeric,
        ),
        parent_line: parent_line(header, rows, aliases, &taken),
        price_is_total: None,
        margin_share: None,
    };
    // Unless its values grow with the quantity as a line total's do (a tester's `Selling
    // Price` of line totals, multiplied by the quantity, made GP 9.2 times the truth); a unit
    // price the user named is taken as named.
    if unit_price.is_none() {
        if let Some(s) =
            super::unit_cost::price_slope(rows, &long, decimal_comma).filter(|&s| s > 0.5)
        {
            long.per_unit = false;
            long.price_is_total = Some(s);
        }
    }
    Some(long)
}

/// A line's quantity refunded (Magento's `qty_refunded`), by name: numbers, beside a quantity
/// column, and no larger than the line's quantity on 99 lines in 100 (a column of the order's
/// refunds on each line would take more off than the line has).
fn refunded_quantity(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    quantity: Option<usize>,
    numeric: &impl Fn(&usize) -> bool,
) -> Option<usize> {
    let q = quantity?;
    let r =
        by_name(header, &aliases.refunded_quantity, REFUNDED_QUANTITY, taken).filter(numeric)?;
    let num = |row: &Vec<String>, i: usize| row.get(i).and_then(|v| parse::currency(v, false));
    let (mut within, mut n) = (0usize, 0usize);
    for row in rows {
        if let (Some(qty), Some(refunded)) = (num(row, q), num(row, r)) {
            n += 1;
            within += usize::from(refunded.abs() <= qty.abs());
        }
    }
    (n > 0 && within * 100 >= n * 99).then_some(r)
}

/// A line's refunded quantity, by letters and digits.
const REFUNDED_QUANTITY: &[&str] = &[
    "qtyrefunded",
    "quantityrefunded",
    "refundedqty",
    "refundedquantity",
    "itemqtyrefunded",
    "itemrefundedqty",
];

/// The line a line is part of (Magento's `parent_item_id`), by name: blank or `0` on half the
/// lines at least, since its lines are dropped (a column set on every line would drop the log).
fn parent_line(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
) -> Option<usize> {
    let p = by_name(header, &aliases.parent_line, PARENT_LINE, taken)?;
    let blank = blank_share(rows, p, |v| matches!(v.trim(), "" | "0"));
    (!rows.is_empty() && blank >= 0.5).then_some(p)
}

/// A parent line's id, by letters and digits (not Magento's invoice items' `parent_id`, which is
/// their invoice's).
const PARENT_LINE: &[&str] = &[
    "parentitemid",
    "parentitem",
    "parentlineid",
    "parentline",
    "parentorderitemid",
];

/// The column of the first of `list` the user named (not one of the ETL's default aliases,
/// which `pick` takes from [`Aliases::default`]), if the header has it.
fn user_named(
    header: &[String],
    list: &[String],
    pick: impl Fn(&Aliases) -> &Vec<String>,
) -> Option<usize> {
    let defaults = Aliases::default();
    list.iter()
        .filter(|a| !pick(&defaults).contains(a))
        .find_map(|a| header.iter().position(|h| h == a))
}

/// Whether discount column `c` writes fractions (`0.05`, `0.25`: Northwind's 838 discounted lines
/// of 2,155), not percentages: every non-zero value of the sample at most 1, and five or more
/// of them, and one finer than a quarter (0.05, 0.1: a half or three quarters of a percent,
/// and 1%, are percentages as often). Read as percentages, a 20% discount took 0.2% off, and
/// the log's sales came out 7% over.
fn fraction(rows: &[Vec<String>], c: usize, decimal_comma: bool) -> bool {
    let off: Vec<f64> = rows
        .iter()
        .take(5_000)
        .filter_map(|r| parse::percent(r.get(c)?, decimal_comma))
        .filter(|&v| v != 0.0)
        .collect();
    off.len() >= 5
        && off.iter().all(|&v| v <= 1.0)
        && off.iter().any(|&v| (v * 4.0).fract().abs() > 1e-9)
}

/// The discount percentage column by name: a share's name (`Discount %`, `Discount
/// Percentage`) is what it should have, so the share-name rule of [`by_name`] is not applied.
fn percent_column(header: &[String], aliases: &[String], taken: &[usize]) -> Option<usize> {
    by_name_where(header, aliases, DISCOUNT, taken, |_| true)
}

/// A line's own discount as an amount: the first nine of [`DISCOUNT_AMOUNT`].
const LINE_DISCOUNT_AMOUNT: &[&str] = DISCOUNT_AMOUNT.split_at(9).0;

/// A discount as an amount: a line's own (the first nine: a `Rabattbetrag` is a line's in the
/// exports that have it), else one whose name says no more (Magento's `discount_amount`), taken
/// only where the data show it is the line's.
const DISCOUNT_AMOUNT: &[&str] = &[
    "lineitemdiscount",
    "linediscountamount",
    "itemdiscount",
    "itemdiscountamount",
    // Chargebee's invoice line items.
    "lineitemdiscountamount",
    // German, French, Spanish and Italian discount amounts.
    "rabattbetrag",
    "montantremise",
    "importedescuento",
    "importosconto",
    "discountamount",
    "basediscountamount",
    "discountamt",
    // Recurly's, in cents as its amounts are; a billing system's `discount_cents`.
    "discountincents",
    "discountcents",
    "discountamountcents",
];

/// Whether column `c` is the order's, not its lines': the same non-zero value on every line
/// of nine in ten orders of several lines that have one (an order's discount on each line).
fn per_order(rows: &[Vec<String>], c: usize, invoice: Option<usize>) -> bool {
    let zero = |v: &str| v.is_empty() || parse::currency(v, false) == Some(0.0);
    invoice.is_some_and(|inv| repeated_per_invoice(rows, c, inv, |v| !zero(v)))
}

/// Whether a discount column holds amounts, not percentages: values over 100, three at least
/// and one in twenty of those not zero (one mistyped `150` among percentages took a hunter's
/// percentages off as amounts, +14% GP).
fn over_100(rows: &[Vec<String>], d: usize, decimal_comma: bool) -> bool {
    let (mut over, mut any) = (0usize, 0usize);
    for x in rows
        .iter()
        .take(5_000)
        .filter_map(|r| r.get(d).and_then(|v| parse::currency(v, decimal_comma)))
        .filter(|x| *x != 0.0)
    {
        any += 1;
        over += usize::from(x.abs() > 100.0);
    }
    over >= 3 && 20 * over >= any
}

/// Whether a line total (`cols[0]`) is written before its discount (`cols[3]`, an amount, or a
/// `percent`): on the lines with a discount, nine in ten (five at least) have it equal to the
/// unit price (`cols[1]`) times the quantity (`cols[2]`), not to that less the discount
/// (Zoho's `Item Total` is after it).
fn before_discount(
    rows: &[Vec<String>],
    cols: [usize; 4],
    decimal_comma: bool,
    percent: bool,
) -> bool {
    let (mut gross, mut net) = (0usize, 0usize);
    for r in rows.iter().take(5_000) {
        let n = |i: usize| r.get(i).and_then(|v| parse::currency(v, decimal_comma));
        let d = if percent {
            r.get(cols[3])
                .and_then(|v| parse::percent(v, decimal_comma))
        } else {
            n(cols[3])
        };
        let (Some(v), Some(p), Some(q), Some(d)) = (n(cols[0]), n(cols[1]), n(cols[2]), d) else {
            continue;
        };
        if d == 0.0 {
            continue;
        }
        let whole = p * q;
        let off = if percent {
            whole.abs() * d / 100.0
        } else {
            d.abs()
        };
        if (v - whole).abs() < 0.011 {
            gross += 1;
        } else if (v.abs() - (whole.abs() - off)).abs() < 0.011 {
            net += 1;
        }
    }
    gross >= 5 && gross >= 9 * net
}

/// A line's discount in percent, off its price per unit times its quantity (a discount
/// amount, `Line Discount Amount`, is no such column).
pub(super) const DISCOUNT: &[&str] = &[
    "discount",
    "discountpercent",
    "discountpct",
    "discountrate",
    "linediscount",
    "linediscountpercent",
    "linediscountpct",
    // FreshBooks' line.
    "discountpercentage",
    "disc",
    "discpct",
    // A public regional sales log's.
    "discountapplied",
    // German, French, Spanish and Italian discounts in percent.
    "rabatt",
    "rabattprozent",
    "rabattsatz",
    "remise",
    "tauxremise",
    "descuento",
    "sconto",
    // Chinese, Korean, Russian, Turkish and Vietnamese discounts.
    "折扣",
    "折扣额",
    "할인",
    "할인액",
    "скидка",
    "iskonto",
    "iskontotutarı",
    "chiếtkhấu",
    "chietkhau",
    "giảmgiá",
    "giamgia",
];

/// Whether column `g`, named as GP, holds each line's margin as a share of revenue `r` (in
/// percent, `23,5`, or as a fraction, `0,235`) rather than an amount: with a cost column `c`,
/// most lines agree with a share of `r` less `c` and few with the amount; without one, a
/// fifth of its values exceed their revenue, which no amount of GP can.
fn is_margin_share(
    rows: &[Vec<String>],
    g: usize,
    r: usize,
    c: Option<usize>,
    decimal_comma: bool,
) -> bool {
    let n = |row: &Vec<String>, i: usize| parse::currency(row.get(i)?, decimal_comma);
    let (mut lines, mut shares, mut amounts, mut over) = (0usize, 0usize, 0usize, 0usize);
    for row in rows.iter().take(5_000) {
        let (Some(gp), Some(rev)) = (n(row, g), n(row, r)) else {
            continue;
        };
        if rev == 0.0 || gp.abs() > 100.0 {
            if rev != 0.0 {
                lines += 1;
            }
            continue;
        }
        lines += 1;
        over += usize::from(gp.abs() > rev.abs());
        if let Some(cost) = c.and_then(|c| n(row, c)) {
            let margin = (rev - cost.abs()) / rev;
            amounts += usize::from((gp - (rev - cost.abs())).abs() <= 0.011 + 1e-6 * rev.abs());
            shares +=
                usize::from((gp - 100.0 * margin).abs() <= 0.6 || (gp - margin).abs() <= 0.006);
        }
    }
    lines >= 20
        && match c {
            Some(_) => shares * 10 >= lines * 8 && amounts * 10 <= lines,
            None => over * 5 >= lines,
        }
}

/// The column, never blank and of many values each in one run of rows, most often the same as on
/// the row above (on one row in ten at least): an order's number on each of its lines.
fn repeating(rows: &[Vec<String>], width: usize, but: &[usize]) -> Option<usize> {
    let filled = |c: usize| {
        rows.iter()
            .all(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()))
    };
    // Of many values: a constant (a shop's name on every line) is no order's number.
    let many = |c: usize| {
        let values: std::collections::HashSet<&str> = rows
            .iter()
            .filter_map(|r| r.get(c).map(String::as_str))
            .collect();
        values.len() * 10 >= rows.len()
    };
    // An order's number stands on its lines and never again: a customer's email repeats on an
    // order's lines too, and again on the customer's next order (nine in ten values one run).
    // Of those, the finest (the most values): a buyer's email stands on the lines of their
    // orders one after another too, and the order's number splits them.
    let one_run = |c: usize| {
        let mut runs = 0usize;
        let mut values: std::collections::HashSet<&str> = Default::default();
        for (i, r) in rows.iter().enumerate() {
            let v = r.get(c).map_or("", String::as_str);
            if i == 0 || rows[i - 1].get(c).map_or("", String::as_str) != v {
                runs += 1;
            }
            values.insert(v);
        }
        (values.len() * 10 >= runs * 9).then_some(values.len())
    };
    (0..width)
        .filter(|c| !but.contains(c) && filled(*c) && many(*c))
        .filter(|&c| {
            let repeats = rows
                .windows(2)
                .filter(|w| w[0].get(c) == w[1].get(c))
                .count();
            repeats * 10 >= rows.len()
        })
        .filter_map(|c| one_run(c).map(|values| (values, c)))
        .max_by_key(|&(values, c)| (values, std::cmp::Reverse(c)))
        .map(|(_, c)| c)
}

/// Whether column `c` holds one value per invoice (column `invoice`), repeated on each of its
/// lines: in nine in ten of the sample's invoices of two lines or more (five such at least).
fn per_invoice(rows: &[Vec<String>], c: usize, invoice: usize) -> bool {
    repeated_per_invoice(rows, c, invoice, |_| true)
}

/// [`per_invoice`], among the invoices whose first line's value `counts`.
fn repeated_per_invoice(
    rows: &[Vec<String>],
    c: usize,
    invoice: usize,
    counts: impl Fn(&str) -> bool,
) -> bool {
    let mut by: std::collections::HashMap<&str, (usize, &str, bool)> = Default::default();
    for r in rows {
        let (Some(inv), Some(v)) = (r.get(invoice), r.get(c)) else {
            continue;
        };
        let inv = inv.trim();
        if inv.is_empty() {
            continue;
        }
        let e = by.entry(inv).or_insert((0, v.trim(), true));
        e.0 += 1;
        e.2 &= e.1 == v.trim();
    }
    let (many, same) = by
        .values()
        .filter(|e| e.0 >= 2 && counts(e.1))
        .fold((0, 0), |(m, s), e| (m + 1, s + usize::from(e.2)));
    many >= 5 && same * 10 >= many * 9
}
