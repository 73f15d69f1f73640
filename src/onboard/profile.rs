//! Reading a sales log `init` has never seen: which column is which, where the products are (a
//! wide log's GP/Qty column pairs, or a long log's product column with one GP and one quantity
//! column), what each product's division most likely is, and how the rows spread over time.
//! Every guess is recorded with the rule that made it, so `init` can say why.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use crate::stages::etl::layout::{decode, sniff_delimiter, Aliases};
use crate::stages::etl::parse::{self, DateOrder};
use crate::stages::etl::parts::{header_cells, reader};

mod columns;
pub mod customer_key;
mod dates;
pub(super) mod doctypes;
mod groups;
mod header;
mod ids;
mod long;
mod names;
mod product_hint;
mod types;
mod unit_cost;
use columns::*;
pub(crate) use dates::split_strays;
pub use dates::Strays;
use dates::{date_order_of, short_year_first};
use header::*;
pub(crate) use ids::{id_key, twins};
use long::*;
use names::*;
pub(crate) use names::{says_per_unit, GP_SUFFIXES};
pub use types::*;

/// Distinct currency values kept for the note.
const MAX_CURRENCIES: usize = 10;

/// `Wide` or `Long` (never `Auto`: the profile decides).
pub use crate::stages::etl::layout::Shape;

/// Profiles `path`. `sku_map`, when the user gave one, replaces the pair detection: its GP and
/// Qty columns are the products.
pub fn profile(
    path: &Path,
    sku_map: Option<&[crate::stages::etl::skumap::Sku]>,
    given: &[(String, String)],
) -> Result<Profile, String> {
    profile_except(path, None, sku_map, given)
}

/// [`profile`] of a log whose folder may hold the `holdout` file too: it is left out, as the
/// pipeline's source stage leaves it out.
pub fn profile_except(
    path: &Path,
    holdout: Option<&Path>,
    sku_map: Option<&[crate::stages::etl::skumap::Sku]>,
    given: &[(String, String)],
) -> Result<Profile, String> {
    let mut log = crate::stages::etl::parts::read_except(path, holdout)?;
    // A part that is the same log under other headers would be left out of the star (it
    // blocks there): refused here, naming it.
    let differ: Vec<&str> = log
        .notes
        .iter()
        .filter(|n| n.rule == "part_header_differs")
        .map(|n| n.message.as_str())
        .collect();
    if !differ.is_empty() {
        return Err(differ.join("\n"));
    }
    let mut p = profile_bytes_of(
        path,
        std::mem::take(&mut log.bytes),
        &log.starts,
        sku_map,
        given,
    )?;
    if let Some((line, n)) = p.unclosed_quote {
        return Err(format!(
            "`{}`: a quote opened on {} is not closed on it: {n} row(s) after it were read into one field, and the run would stop (`unclosed_quote`); close the quote, or write a quote inside a field as `\"\"`",
            path.display(),
            log.place(line)
        ));
    }
    let c = &p.columns;
    let mut keys = vec![
        ("customer id", c.customer_id.as_str()),
        ("order date", c.order_date.as_str()),
    ];
    keys.extend(c.product.as_deref().map(|h| ("product", h)));
    keys.extend(c.gross_profit.as_deref().map(|h| ("gross profit", h)));
    let missing = log.missing_keys(&keys);
    if !missing.is_empty() {
        let all: Vec<String> = missing.into_iter().map(|(_, m)| m).collect();
        return Err(all.join("\n"));
    }
    if log.has_parts() {
        p.credit_parts = doctypes::credit_parts(&log.files, &p.part_signs);
        p.parts = log.files;
    }
    // The parts' notes first, then the columns' (`profile_bytes_of`'s).
    p.part_notes
        .splice(0..0, log.notes.into_iter().map(|n| n.message));
    if !log.partition_columns.is_empty() {
        let named: Vec<String> = log
            .partition_columns
            .iter()
            .map(|c| format!("`{c}`"))
            .collect();
        p.part_notes.insert(
            0,
            format!(
                "the column{} {} {} read from the partition folders' names (`{}=...`), as Spark and Hive read them back",
                if named.len() == 1 { "" } else { "s" },
                named.join(", "),
                if named.len() == 1 { "is" } else { "are" },
                log.partition_columns[0]
            ),
        );
    }
    Ok(p)
}

/// [`profile`] of a log already in memory (`path` names it in messages).
pub fn profile_bytes(
    path: &Path,
    bytes: Vec<u8>,
    sku_map: Option<&[crate::stages::etl::skumap::Sku]>,
    given: &[(String, String)],
) -> Result<Profile, String> {
    profile_bytes_of(path, bytes, &[], sku_map, given)
}

/// [`profile_bytes`] of a log of parts joined, whose rows start at `starts` in `bytes`.
fn profile_bytes_of(
    path: &Path,
    bytes: Vec<u8>,
    starts: &[usize],
    sku_map: Option<&[crate::stages::etl::skumap::Sku]>,
    given: &[(String, String)],
) -> Result<Profile, String> {
    let Sample {
        delimiter,
        header,
        rows,
    } = sample(path, &bytes, starts)?;
    // As the ETL decides it: the values' evidence first (dates aside: `30.06.2024` is no
    // decimal), else a `;` file's convention.
    let decimal_comma = parse::decimal_comma_evidence(
        rows.iter()
            .flatten()
            .map(|c| c.trim())
            // Only a value with a mark can tell; parse it as a date only then.
            .filter(|c| c.contains(['.', ',']) && parse::date_in(c, DateOrder::Dmy).is_none()),
    )
    .unwrap_or(delimiter == b';');
    let aliases = with_given(path, &header, given)?;
    let mut taken: Vec<usize> = Vec::new();
    if rows.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        return Err(format!(
            "`{}`: no data rows under its header ({} columns): nothing to learn the log's shape from",
            path.display(),
            header.len()
        ));
    }

    // A ledger account (`200 - Sales - Networking`, Xero's reports' `Account`) is no customer:
    // a column named for an account whose values are codes and names so, or of three values or
    // fewer over fifty rows or more (a customer `10003 - Acme Ltd` is named for a customer).
    const LEDGER: &[&str] = &[
        "account",
        "accountcode",
        "glaccount",
        "glcode",
        "ledgeraccount",
        "incomeaccount",
        "salesaccount",
        "revenueaccount",
        "nominalcode",
        "nominalaccount",
    ];
    let ledger: Vec<usize> = (0..header.len())
        .filter(|&i| LEDGER.contains(&norm(&header[i]).as_str()))
        .filter(|&i| {
            let (s, n) = share(&rows, i, |v| {
                let (code, rest) = v.split_once(" - ").unwrap_or(("", ""));
                code.len() >= 3 && code.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
            });
            let values: std::collections::HashSet<&str> = rows
                .iter()
                .filter_map(|r| r.get(i).map(|v| v.trim()))
                .filter(|v| !v.is_empty())
                .take(5_000)
                .collect();
            (n > 0 && s >= 0.9) || (n >= 50 && values.len() <= 3)
        })
        .collect();
    let not_ledger: Vec<usize> = taken.iter().chain(&ledger).copied().collect();
    // No id column: a log that names its customers tells them apart by the name (`Customer`).
    let by_id = by_name(&header, &aliases.customer_id, CUSTOMER_ID, &not_ledger);
    let names: Vec<&str> = CUSTOMER_NAME
        .iter()
        .copied()
        .filter(|n| !NOT_NAME_AS_ID.contains(n))
        .collect();
    // A web shop's guest orders have no customer id, but an email address (Magento's
    // `customer_id` beside `customer_email`): dropped as `null_customer_id`, a trial lost 12%
    // of its lines. The email tells every buyer apart, guests too.
    let mut id_notes = Vec::new();
    let named_id = given.iter().any(|(k, _)| k == "customer_id");
    // As the ETL reads ids: `NULL`, `n/a` are blank too.
    let blank = |i: usize| blank_share(&rows, i, |v| parse::id(v).is_none());
    let by_id = match by_id {
        Some(i) if !named_id && blank(i) > 0.01 => {
            match by_name(&header, &[], names::EMAIL, &taken).filter(|&e| blank(e) <= 0.01) {
                Some(e) => {
                    id_notes.push(format!(
                        "`{}` is blank on {:.0}% of the sampled rows (guest orders?), `{}` on none: customers are told apart by `{}` (to keep the id, `--column customer_id={}`; its blank rows are then dropped)",
                        header[i],
                        100.0 * blank(i),
                        header[e],
                        header[e],
                        header[i]
                    ));
                    Some(e)
                }
                None => Some(i),
            }
        }
        other => other,
    };
    // A web shop's orders name their buyer by an email address only (Shopify's `Email`).
    let Some(customer_id) = by_id
        .or_else(|| by_name(&header, &[], &names, &not_ledger))
        .or_else(|| by_name(&header, &[], names::EMAIL, &taken))
        // A report grouped under names its title does not say (Xero's "Receivable Invoice
        // Detail", grouped by contact): the groups, read into a `Group` column, are the
        // customers when nothing else names them.
        .or_else(|| by_name(&header, &[], &["group"], &not_ledger))
    else {
        return Err(refuse(
            path,
            "customer id",
            "customer_id",
            format!(
                "{} or a header like `Customer ID`, `Account Id`, `Client_ID`",
                aliases.customer_id.join(", ")
            ),
            &header,
        ));
    };
    taken.push(customer_id);
    // A column headed like a name whose values are numbers (`Customer #`) is an id after all.
    let numbers = share(&rows, customer_id, |v| {
        v.bytes().all(|b| b.is_ascii_digit())
    });
    let id_is_name = by_id.is_none() && !(numbers.1 > 0 && numbers.0 >= 0.99);

    let order_date = dates::find_order_date(path, &header, &rows, &aliases, given, &taken)?;
    let other_dates = dates::other_date_columns(&header, &rows, order_date, &taken);
    taken.push(order_date);
    let mut date_order = date_order_of(&rows, order_date);
    // No date tells, and amounts written with a decimal comma: the conventions that write
    // `1.234,56` write the day first (a Spanish Online Retail export of 1-5 December 2010,
    // `;`-separated, read month first as 12 January to 12 May).
    let by_decimal_comma = date_order.0 == DateOrder::Mdy
        && date_order.1 .0 == 0
        && date_order.1 .1 > 0
        && decimal_comma;
    if by_decimal_comma {
        date_order = (DateOrder::Dmy, (0, date_order.1 .1), false, 0);
    }
    if let Some(v) = short_year_first(&rows, order_date) {
        return Err(format!(
            "`{}`: its dates in `{}` are written year first with two digits (`{v}`), which gosales does not read (day or month first, they would land decades apart): write them with the year in four digits (`2022-03-15`)",
            path.display(),
            header[order_date]
        ));
    }
    let mut optional = |aliases: &[String], names: &[&str]| {
        let i = by_name(&header, aliases, names, &taken);
        if let Some(i) = i {
            taken.push(i);
        }
        i
    };
    let invoice_id = optional(&aliases.invoice_id, INVOICE_ID);
    let line_id = optional(&aliases.line_id, LINE_ID);
    // A division column of one value (Sage Intacct's `Department`: `Sales` on every line) makes
    // one division of the whole log: a later header by a division's name that varies is the
    // one (its `Product line ID`).
    let division = by_name(&header, &aliases.division, &[], &taken).or_else(|| {
        let named: Vec<usize> = DIVISION
            .iter()
            .filter_map(|n| {
                let free = |i: &usize| !taken.contains(i);
                (0..header.len())
                    .find(|i| norm(&header[*i]) == *n && free(i))
                    // Odoo's `Invoice lines/Product/Product Category`.
                    .or_else(|| {
                        (0..header.len()).find(|i| {
                            columns::field_part(&header[*i]).map(norm).as_deref() == Some(*n)
                                && free(i)
                        })
                    })
            })
            .collect();
        let varies = |c: usize| {
            let mut seen = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            seen.next().is_some_and(|first| seen.any(|v| v != first))
        };
        // A customer's own attribute (Superstore's `Segment`: Consumer, Corporate or Home
        // Office, one to a customer, several to a product) groups no products: divided by it,
        // each customer would own one division and have none to be sold. A named header that
        // varies within customers comes first. One value per product is a product's group,
        // even where each customer buys from one (a B2B business unit).
        let product = columns::product_by_name(&header, &rows, &aliases, &taken, false);
        let attribute = |c: usize| {
            columns::one_value_per(&rows, customer_id, c)
                && product.is_none_or(|p| p == c || !columns::one_value_per(&rows, p, c))
        };
        let varying: Vec<usize> = named.iter().copied().filter(|&c| varies(c)).collect();
        // A customer's attribute is no division even alone (a tester's `Category` of Gold,
        // Silver and Bronze customers made each customer own one division, and whitespace
        // offered Silver to Bronze customers).
        // Refused alone only when the products show it varies within them (a small log may
        // not tell a customer's tier from a business unit each customer buys from).
        let shown = |c: usize| {
            columns::one_value_per(&rows, customer_id, c)
                && product.is_some_and(|p| p != c && columns::varies_within(&rows, p, c))
        };
        let chosen = varying
            .iter()
            .copied()
            .find(|&c| !attribute(c))
            .or_else(|| varying.iter().copied().find(|&c| !shown(c)))
            .or_else(|| named.iter().copied().find(|c| !varying.contains(c)));
        if let Some(&first) = varying.first().filter(|&&f| attribute(f) && Some(f) != chosen) {
            id_notes.push(match chosen {
                Some(c) => format!(
                    "`{}` is one value per customer (a customer's attribute, not a product group): divisions are `{}` (to divide by `{}` anyway, `--column division={}`)",
                    header[first], header[c], header[first], header[first]
                ),
                None => format!(
                    "`{}` is one value per customer (a customer's attribute, not a product group): it is not the division (to divide by it anyway, `--column division={}`)",
                    header[first], header[first]
                ),
            });
        }
        chosen
    });
    taken.extend(division);
    // A web shop's `Name` is its order's number (`#1001`), no customer's.
    let customer_name =
        by_name(&header, &aliases.customer_name, CUSTOMER_NAME, &taken).filter(|&c| {
            share(&rows, c, |v| {
                v.starts_with('#') && v[1..].bytes().all(|b| b.is_ascii_digit())
            })
            .0 < 0.9
        });
    taken.extend(customer_name);
    // Division codes (`10`, `20`) beside their names (`Division Name`): the names are the
    // divisions a reader knows, in the models' and whitespace's names.
    let named_by_user = given.iter().any(|(k, _)| k == "division");
    let division = match division.filter(|_| !named_by_user) {
        Some(d) => match columns::division_names(&header, &rows, d, &taken) {
            Some(n) => {
                taken.push(n);
                Some(n)
            }
            None => Some(d),
        },
        None => division,
    };

    // Products: the given map's columns, or every X with a sibling Qty column.
    let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
    match sku_map {
        Some(skus) => {
            for s in skus {
                if let Some(g) = header.iter().position(|h| *h == s.gp_column) {
                    let qty = header
                        .iter()
                        .position(|h| !s.qty_column.is_empty() && *h == s.qty_column);
                    pairs.push((g, qty));
                }
            }
        }
        None => {
            for (i, h) in header.iter().enumerate() {
                // A blank header (a trailing comma on every line) names no product: `` and
                // `Qty` are not a GP/Qty pair.
                if taken.contains(&i)
                    || pairs.iter().any(|&(_, q)| q == Some(i))
                    || h.trim().is_empty()
                {
                    continue;
                }
                let base = GP_SUFFIXES
                    .iter()
                    .find_map(|s| h.strip_suffix(s))
                    .unwrap_or(h);
                if is_qty_name(h) {
                    continue;
                }
                // Exact first (`X_Qty`), then ignoring case and separators (`DELMIA` with
                // `Delmia_Qty`, `Success Plan GP` with `Success_Plan_Qty`).
                let exact = QTY_SUFFIXES.iter().find_map(|s| {
                    let q = format!("{base}{s}");
                    header.iter().position(|x| *x == q)
                });
                let loose = || {
                    let n = norm(base);
                    header.iter().position(|x| {
                        let x = norm(x);
                        x == format!("{n}qty") || x == format!("{n}quantity")
                    })
                };
                let qty = exact
                    .or_else(loose)
                    .filter(|&j| j != i && !taken.contains(&j));
                // A product's GP holds numbers (`Item` beside `Item Quantity` is no product).
                let (s, n) = share(&rows, i, |v| parse::currency(v, decimal_comma).is_some());
                if let (Some(q), true) = (qty, n == 0 || s >= 0.9) {
                    pairs.push((i, Some(q)));
                }
            }
        }
    }
    // A BI export's `Total GP` / `Total Qty` pair is the row's total, not a product: loaded, it
    // doubled a trial's GP and made a division of its own.
    let totals = total_pairs(&header, &rows, &pairs, decimal_comma);
    pairs.retain(|(g, _)| !totals.contains(g));
    // No pairs: a long log, if it has a product column and a numeric GP column.
    let long = if pairs.is_empty() {
        let product_named = given.iter().any(|(k, _)| k == "product");
        long_columns(
            &header,
            &rows,
            &aliases,
            &taken,
            division,
            decimal_comma,
            Named {
                product: product_named,
                unit_price: given
                    .iter()
                    .find(|(k, _)| k == UNIT_PRICE_KEY)
                    .and_then(|(_, h)| header.iter().position(|x| x == h)),
            },
        )
    } else {
        None
    };
    // A bare `Name` that names each line's product (Magento's item `name`, HubSpot's line
    // items' `Name`, beside their SKU) is no customer's name: whitespace listed customers
    // named "SSD 2TB".
    let customer_name = customer_name.filter(|&c| {
        norm(&header[c]) != "name"
            || !long.is_some_and(|l| {
                names_products(&rows, c, l.product) || names_many(&rows, c, customer_id)
            })
    });
    // Beside a column of names, `Customer` holds the ids, whatever they look like (`C10816`): a
    // tester's init said "no customer id column: ... `Customer`, their name" of it.
    let id_is_name = id_is_name && customer_name.is_none_or(|c| c == customer_id);
    if let Some(l) = &long {
        taken.extend(
            [l.product, l.value]
                .into_iter()
                .chain(l.quantity)
                .chain(l.discount)
                .chain(l.discount_amount)
                .chain(l.refunded_quantity)
                .chain(l.parent_line),
        );
    }
    // No division column, and many products: a column that says it groups them (Chinook's
    // `Genre`, one to each track) is the division (`groups::division`).
    let division = match (&long, division) {
        (Some(l), None) if !given.iter().any(|(k, _)| k == "division") => groups::division(
            &header,
            &rows,
            &mut taken,
            l.product,
            customer_id,
            decimal_comma,
            &mut id_notes,
        ),
        (_, d) => d,
    };
    // Each division read as its one product: a column whose values look like the products is
    // named (not taken) in a note.
    let product_hint = long
        .filter(|l| Some(l.product) == division && !given.iter().any(|(k, _)| k == "product"))
        .and_then(|l| {
            product_hint::finer_than_division(&header, &rows, &taken, l.product, decimal_comma)
        })
        .map(|(c, values)| (header[c].clone(), values));
    let id_hint = id_is_name
        .then(|| product_hint::id_beside_names(&header, &rows, &taken, customer_id, decimal_comma))
        .flatten()
        .map(|(c, values, names)| (header[c].clone(), values, names));
    // No GP column: revenue stands in, less a line cost column when there is one (or when the
    // user names one).
    let revenue = long.as_ref().is_some_and(|l| {
        !is_gp_name(&header[l.value]) && !aliases.gross_profit.contains(&header[l.value])
    });
    let cost = match long {
        Some(_) if revenue || !aliases.cost.is_empty() => {
            cost_column(&header, &rows, &aliases, &taken, decimal_comma)
        }
        _ => None,
    };
    taken.extend(cost);
    // A revenue column the user named as GP, a cost column beside it: loaded as asked, and said
    // (a tester's `--column gross_profit="Ext Price"` loaded three times the GP, with no word).
    let cost_beside = long
        .filter(|l| {
            cost.is_none()
                && aliases.gross_profit.contains(&header[l.value])
                && REVENUE.contains(&norm(&header[l.value]).as_str())
        })
        .and_then(|_| cost_column(&header, &rows, &aliases, &taken, decimal_comma))
        .map(|c| header[c].clone());
    // A cost per unit (`Unit Cost`, `Standard Cost`) beside a quantity: a line's cost is it
    // times the quantity (a public log's `Unit Cost` was taken once per line of 1-8 units).
    // Its name says which, unless the data say otherwise (`unit_cost`).
    let (cost_per_unit, line_cost) = match (cost, long.as_ref()) {
        (Some(c), Some(l)) if l.quantity.is_some() => unit_cost::read_cost(
            &header,
            &rows,
            l,
            c,
            decimal_comma,
            names::says_per_unit(&header[c]),
        ),
        _ => (false, None),
    };
    id_notes.extend(line_cost);
    if let Some((l, s)) = long.and_then(|l| l.price_is_total.map(|s| (l, s))) {
        id_notes.push(format!(
            "`{}` is read as each line's value, though its name says a unit price: it grows with the quantity as a line's total does (slope {s:.2} of log value on log quantity, within products; a unit price gives about 0); if it is a price per unit, set `value_per_unit: true` in stages/etl.yaml",
            header[l.value]
        ));
    }
    // A discount column init could not place (no unit price to tell whether the line value is
    // before or after it): said, not silently left (a tester's `Discount Applied` beside a
    // `Sales` before it overstated GP by 11%).
    // Only of a revenue: a GP (Superstore's `Profit`) is after every discount.
    if let Some(l) = long
        .as_ref()
        .filter(|l| revenue && l.discount.is_none() && l.discount_amount.is_none())
    {
        let mut used = taken.clone();
        used.extend(cost);
        if let Some(d) = by_name_where(&header, &aliases.discount, long::DISCOUNT, &used, |_| true)
        {
            id_notes.push(format!(
                "`{}` is not taken off `{}`: nothing in the log shows whether `{}` is before or after it; if it is before, add `discount: [\"{}\"]` to `aliases` in stages/etl.yaml (and `discount_fraction: true` if 0.2 means 20%)",
                header[d], header[l.value], header[l.value], header[d]
            ));
        }
    }
    // Costs written negative (an ERP's `Cost Amount (Actual)`): GP is revenue plus them.
    let cost_negative = cost.is_some_and(|c| {
        let (neg, n) = share(&rows, c, |v| {
            parse::currency(v, decimal_comma).is_some_and(|x| x < 0.0)
        });
        let (zero, _) = share(&rows, c, |v| parse::currency(v, decimal_comma) == Some(0.0));
        n > 0 && neg >= 0.9 * (1.0 - zero)
    });
    let used: Vec<usize> = pairs
        .iter()
        .flat_map(|&(g, q)| std::iter::once(g).chain(q))
        .chain(taken.iter().copied())
        .collect();
    let mut unplaced: Vec<Unplaced> = totals
        .iter()
        .map(|&g| Unplaced {
            total: true,
            column: header[g].clone(),
            reason: "a total of the product columns (its name says so, or it sums them on most rows): not a product, not loaded".to_string(),
        })
        .collect();
    for (i, h) in header.iter().enumerate() {
        // A long log's other numeric columns (revenue, cost, unit price) are no products.
        if long.is_some()
            || used.contains(&i)
            || h.is_empty()
            || is_qty_name(h)
            || totals.contains(&i)
        {
            continue;
        }
        let (s, n) = share(&rows, i, |v| parse::currency(v, decimal_comma).is_some());
        if n > 0 && s >= 0.9 {
            unplaced.push(Unplaced {
                total: false,
                column: h.clone(),
                reason: "numeric, but no Qty column beside it (e.g. `".to_string() + h + "_Qty`)",
            });
        }
    }
    if pairs.is_empty() && long.is_none() {
        if let Some((_, u)) = given.iter().find(|(k, _)| k == UNIT_PRICE_KEY) {
            return Err(format!(
                "`{}`: `--column {UNIT_PRICE_KEY}={u}` is a price per unit, so each line's value is it times the quantity, but no quantity column was found (init knows `Qty`, `Quantity`, `Units`, `Quantity Ordered`, ...) or `{u}` holds no numbers: name the quantity with `--column quantity=HEADER`; its columns are: {}",
                path.display(),
                listed(&header)
            ));
        }
        // A value column the user named whose values are no numbers: said, with one of them,
        // rather than asking again for the column just given.
        let named = given
            .iter()
            .filter(|(k, _)| k == "gross_profit")
            .find_map(|(_, a)| header.iter().position(|h| h == a));
        if let Some(g) = named {
            let (s, n) = share(&rows, g, |v| parse::currency(v, decimal_comma).is_some());
            let bad = rows
                .iter()
                .filter_map(|r| r.get(g))
                .find(|v| !v.trim().is_empty() && parse::currency(v, decimal_comma).is_none());
            if let Some(bad) = bad.filter(|_| n > 0 && s < 0.9) {
                return Err(format!(
                    "`{}`: `{}` is read as each line's value, but {:.0}% of its sampled values are no numbers gosales reads (such as `{bad}`; it reads `1234.50`, `1,234.50`, `1.234,50`, `$1,234.50`, `(1,234.50)`, `USD 1234.50`, ...): write them as plain numbers",
                    path.display(),
                    header[g],
                    100.0 * (1.0 - s)
                ));
            }
        }
        return Err(no_products(path, &header, &aliases, &taken, &unplaced));
    }
    // A long log's products are its product values: those of the given map, else every one seen.
    // A holdout's `333` is the log's `000333` (the ETL reads it so, and says so).
    let mapped = sku_map.map(|m| {
        (
            crate::stages::etl::skumap::ProductIndex::new(m.iter().map(|s| s.gp_column.as_str())),
            m,
        )
    });

    // One streaming pass over every row: dates, and per product its rows, GP and divisions.
    let mut per_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    // A product's rows, GP, rows by division value, and rows with a quantity.
    type Stats = (u64, f64, HashMap<String, u64>, u64);
    let mut stats: Vec<Stats> = vec![(0, 0.0, HashMap::new(), 0); pairs.len()];
    let mut by_value: BTreeMap<String, Stats> = BTreeMap::new();
    let (mut dated, mut total_rows) = (0u64, 0u64);
    // As the ETL tells them apart.
    let mut seen: std::collections::HashSet<[u8; 16]> = std::collections::HashSet::new();
    let mut exact_duplicates = 0u64;
    let mut ragged = (0u64, None);
    // Of them, rows longer than the header only by empty cells.
    let mut padded_rows = 0u64;
    let mut unclosed: Option<(u64, usize)> = None;
    // A long file read against a SKU map (a holdout against the log's products): its rows whose
    // product the map does not name, and a few such products.
    let mut unmapped: (u64, std::collections::BTreeSet<String>) = Default::default();
    let (mut total_lines, mut total_example, mut undated_example) = (0u64, None, None);
    let mut rdr = reader(&bytes, delimiter);
    let mut r = csv::ByteRecord::new();
    let mut first = true;
    let (mut head, mut header_repeats) = (csv::ByteRecord::new(), 0u64);
    let mut ids: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Each customer's first sale day, and whether it bought on another day too.
    let mut days_of: HashMap<String, (NaiveDate, bool)> = HashMap::new();
    let mut keys = customer_key::Tally::find(&header, customer_id, &taken);
    let currency = crate::stages::etl::currency::column(&header);
    let currency_column = currency.map(|i| header[i].clone());
    let mut currencies: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Stripe's money: whole cents beside lower-case currency codes (`usd`); other systems
    // write `USD` and decimals. (Whether each currency code is lower case; values not zero,
    // and of them whole numbers.)
    let mut stripe_codes = currency.is_some();
    let mut amounts = (0u64, 0u64);
    let mut month_dates: (u64, Option<String>) = (0, None);
    // Per part of a folder: rows of positive GP, of negative GP; and of the whole log.
    let mut part_signs: Vec<(u64, u64)> = Vec::new();
    let mut value_signs = (0u64, 0u64);
    let mut doc_types = doctypes::Tally::find(&header, &taken);
    // Each part's dates read as the ETL will read them: a day-first export among month-first
    // ones in its own order.
    let orders = crate::stages::etl::part_dates::orders_of(
        &bytes,
        delimiter,
        order_date,
        starts,
        date_order.0,
    );
    let mut statuses = doctypes::Tally::find_status(&header, &taken);
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
                .map(|p| (crate::stages::etl::ingest::file_line(&bytes, p), swallowed));
        }
        // Cells only of unnamed header columns missing: filled as the ETL fills them.
        crate::stages::etl::ingest::fill_unnamed(&mut r, &head);
        // Its fields are shifted (a shifted amount read as a currency named dozens of
        // "currencies"): counted as the ETL will drop it, and read no further.
        if r.len() != head.len() {
            ragged.0 += 1;
            ragged.1 = ragged.1.or(r.position().map(|p| p.line()));
            padded_rows += u64::from(crate::stages::etl::ingest::padded(&r, head.len()));
            continue;
        }
        exact_duplicates += u64::from(!seen.insert(crate::stages::etl::ingest::row_key(&r)));
        let text = |i: usize| r.get(i).map(|b| decode(b).0);
        let order = if orders.len() > 1 {
            let at = r.position().map_or(0, |p| p.byte() as usize);
            orders[starts.partition_point(|&s| s <= at).saturating_sub(1)].order
        } else {
            date_order.0
        };
        let date = text(order_date).and_then(|v| parse::date_in(&v, order));
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
        let (mut has_line, mut row_gp) = (false, 0.0);
        let div_text = division.and_then(text);
        let div = div_text.as_deref().map(str::trim).unwrap_or("");
        let num = |i: usize| {
            r.get(i)
                .filter(|b| !b.is_empty())
                .and_then(|b| parse::currency(&decode(b).0, decimal_comma))
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
            let (gp, qty) = (num(l.value), l.quantity.map(num).unwrap_or(0.0));
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
            let written = product.trim().to_string();
            let product = match &mapped {
                None => Some(product),
                Some((index, m)) => index
                    .find(&product)
                    .map(|(i, _)| m[i as usize].gp_column.clone()),
            };
            if product.is_none() && !written.is_empty() && (gp != 0.0 || qty != 0.0) {
                unmapped.0 += 1;
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
                let qty = q.map(num).unwrap_or(0.0);
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
            t.add(&value, row_gp);
        }
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
    let statuses = statuses.and_then(|t| t.finish_statuses(&header, invoices));
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
    let (strays_before, strays_after) = split_strays(&mut per_day);
    let id_twins = twins(ids.iter().map(String::as_str), id_key);
    let (Some((&first_date, _)), Some((&last_date, _))) =
        (per_day.first_key_value(), per_day.last_key_value())
    else {
        // Every product renamed (`HW-100` in the log, `hw100` in the holdout): say so, not that
        // no row has a date.
        if unmapped.0 > 0 && by_value.is_empty() {
            let some: Vec<String> = unmapped.1.iter().map(|p| format!("`{p}`")).collect();
            return Err(format!(
                "`{}`: none of its products is one of the sales log's: its {} line(s) name products such as {} that the log never sold under those codes; write them as the log does (renamed codes?)",
                path.display(),
                unmapped.0,
                some.join(", ")
            ));
        }
        return Err(format!(
            "`{}`: no row has both a readable date in `{}` and a product line",
            path.display(),
            header[order_date]
        ));
    };
    let product = |gp_column: String, qty_column: String, (n, gp, divs, with_qty): Stats| {
        // Ties break by name, so the guess never depends on hash order.
        let majority = divs
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(d, &c)| (d.clone(), c as f64 / n.max(1) as f64));
        let mut others: Vec<(String, u64)> = divs
            .iter()
            .filter(|(d, _)| majority.as_ref().is_none_or(|m| m.0 != **d))
            .map(|(d, &c)| (d.clone(), c))
            .collect();
        others.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Product {
            gp_column,
            qty_column,
            rows: n,
            gross_profit: (gp * 100.0).round() / 100.0,
            majority_division: majority,
            other_divisions: others,
            quantity_rows: with_qty,
        }
    };
    let products: Vec<Product> = match long {
        Some(l) => {
            // The map's qty_column is unused for a long log; it names the quantity column.
            let qty = l
                .quantity
                .map_or_else(|| "Qty".to_string(), |q| header[q].clone());
            by_value
                .into_iter()
                .map(|(v, st)| product(v, qty.clone(), st))
                .collect()
        }
        None => pairs
            .iter()
            .zip(stats)
            .map(|(&(g, q), st)| {
                let qty = q
                    .map(|q| header[q].clone())
                    .unwrap_or_else(|| format!("{}_Qty", header[g]));
                product(header[g].clone(), qty, st)
            })
            .collect(),
    };
    let name = |i: Option<usize>| i.map(|i| header[i].clone());
    let documents = doc_types
        .as_ref()
        .and_then(|t| t.no_sale_documents(&header));
    let credits = doc_types.and_then(|t| t.finish(&header));
    // Amounts in cents: every value a whole number (twenty at least) beside Stripe's currency
    // codes, none of them a currency without cents (`jpy`: Stripe writes yen as they are).
    const NO_CENTS: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
        "XAF", "XOF", "XPF",
    ];
    // Or a value column whose name says so (Recurly's `subtotal_in_cents`, commercetools'
    // `totalPrice.centAmount`, `amount_cents`; a `Percent` is none).
    let cents_named = long.is_some_and(|l| {
        let n = norm(&header[l.value]);
        n.contains("incents")
            || n.contains("centamount")
            || (n.ends_with("cents") && !n.ends_with("percents"))
    });
    let amounts_in_cents = (stripe_codes || cents_named)
        && amounts.0 >= 20
        && amounts.1 == amounts.0
        && (cents_named || !currencies.is_empty())
        && !currencies.iter().any(|c| NO_CENTS.contains(&c.as_str()));
    // Sales written negative (Sage 50's journal credits its income accounts): nine lines in
    // ten. Read with their signs turned, a return is then a line of negative quantity written
    // positive.
    let values_negative =
        value_signs.1 >= 20 && value_signs.1 * 10 >= (value_signs.0 + value_signs.1) * 9;
    let returns = if values_negative {
        (returns.1, returns.0)
    } else {
        returns
    };
    let repeat_buyers = (
        days_of.values().filter(|(_, again)| *again).count() as u64,
        days_of.len() as u64,
    );
    Ok(Profile {
        file: path.to_path_buf(),
        delimiter: delimiter as char,
        columns: Columns {
            customer_id: header[customer_id].clone(),
            order_date: header[order_date].clone(),
            division: name(division),
            // Told apart by their names (no id column), customers are named by them too: an
            // empty name showed a blank customer page and whitespace rows with no name.
            customer_name: name(customer_name.or(id_is_name.then_some(customer_id))),
            invoice_id: name(invoice_id),
            line_id: name(line_id),
            product: name(long.map(|l| l.product)),
            gross_profit: name(long.map(|l| l.value)),
            quantity: name(long.and_then(|l| l.quantity)),
            cost: name(cost),
            discount: name(long.and_then(|l| l.discount)),
            discount_amount: name(long.and_then(|l| l.discount_amount)),
            refunded_quantity: name(long.and_then(|l| l.refunded_quantity)),
            parent_line: name(long.and_then(|l| l.parent_line)),
        },
        value_is_revenue: revenue && cost.is_none(),
        cost_beside,
        value_per_unit: long.is_some_and(|l| l.per_unit),
        discount_fraction: long.is_some_and(|l| l.discount_fraction),
        cost_negative,
        cost_per_unit,
        values_negative,
        amounts_in_cents,
        // A handful of returns, nearly all written unsigned; a loss refunded now and then
        // (negative quantity, positive GP) among signed returns is no rule.
        unsigned_returns: (returns.0 >= 5 && returns.0 * 10 >= (returns.0 + returns.1) * 9)
            .then_some(returns.0),
        // One sale in twenty or more at a loss (Superstore's discounts: 19%): counted by GP,
        // their buyers would be no buyers.
        sales_at_a_loss: (sales.0 >= 20 && sales.0 * 20 >= sales.1).then_some(sales),
        repeat_buyers,
        customer_key: keys.better(&header, repeat_buyers),
        shape: if long.is_some() {
            Shape::Long
        } else {
            Shape::Wide
        },
        header,
        rows: total_rows,
        dated_rows: dated,
        first_date,
        last_date,
        through: None,
        id_is_name,
        other_dates,
        credits,
        statuses,
        documents,
        date_order: date_order.0,
        date_order_evidence: date_order.1,
        date_order_contrary: date_order.3,
        date_order_by_sequence: date_order.2,
        date_order_by_decimal_comma: by_decimal_comma,
        other_order_parts: orders
            .iter()
            .enumerate()
            .filter(|(_, o)| o.order != date_order.0)
            .map(|(k, o)| (k, o.evidence))
            .collect(),
        per_day,
        strays_before,
        strays_after,
        products,
        unplaced,
        exact_duplicates,
        product_hint,
        id_hint,
        header_repeats,
        ragged,
        padded_rows,
        unclosed_quote: unclosed,
        total_lines,
        total_example,
        undated_example,
        month_dates,
        part_signs,
        credit_parts: Vec::new(),
        id_twins,
        ids,
        currencies: currency_column.map(|c| (c, currencies.into_iter().collect())),
        parts: Vec::new(),
        part_notes: id_notes,
    })
}

#[cfg(test)]
mod tests;

/// Each value of column `c` (in the first 5,000 rows) with its rows and the values of column
/// `other` beside it.
fn beside(
    rows: &[Vec<String>],
    c: usize,
    other: usize,
) -> BTreeMap<&str, (usize, std::collections::BTreeSet<&str>)> {
    let mut by: BTreeMap<&str, (usize, std::collections::BTreeSet<&str>)> = BTreeMap::new();
    for r in rows.iter().take(5_000) {
        if let (Some(n), Some(o)) = (r.get(c), r.get(other)) {
            let (n, o) = (n.trim(), o.trim());
            if !n.is_empty() && !o.is_empty() {
                let e = by.entry(n).or_default();
                e.0 += 1;
                e.1.insert(o);
            }
        }
    }
    by
}

/// Whether the values of column `c` are each beside many customers (three or more, for half its
/// values on three rows or more, ten at least): an item's name, a configurable product's beside
/// its variants' SKUs (Magento's), is bought by many; a customer's name is beside its own id.
fn names_many(rows: &[Vec<String>], c: usize, customer: usize) -> bool {
    let seen: Vec<usize> = beside(rows, c, customer)
        .into_values()
        .filter(|e| e.0 >= 3)
        .map(|e| e.1.len())
        .collect();
    let many = seen.iter().filter(|&&n| n >= 3).count();
    seen.len() >= 10 && many * 2 >= seen.len()
}

/// Whether column `c` names the products of column `product`: nine in ten of its values (five
/// at least) are beside one product only, as an item's name is beside its SKU (a customer's
/// name is beside what they bought, many products).
fn names_products(rows: &[Vec<String>], c: usize, product: usize) -> bool {
    let by = beside(rows, c, product);
    let one = by.values().filter(|e| e.1.len() == 1).count();
    by.len() >= 5 && one * 10 >= by.len() * 9
}
