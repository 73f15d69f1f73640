//! Which header is which: how a wide log's GP/Qty pairs and a long log's product, GP and
//! quantity columns are told apart (by the names of [`super::names`] and by what the columns
//! hold), and which way round a log writes its dates.

use std::path::Path;

use super::names::*;
use super::{Aliases, Unplaced};
use crate::stages::etl::parse;

pub(super) fn by_name(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
) -> Option<usize> {
    by_name_where(header, aliases, names, taken, |h| !is_share_name(h))
}

/// [`by_name`], a header by one of `names` only when `ok` (a share's name is none but a
/// percentage's).
pub(super) fn by_name_where(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
    ok: impl Fn(&str) -> bool,
) -> Option<usize> {
    let free = |i: &usize| !taken.contains(i);
    let by = |key: &dyn Fn(&str) -> Option<String>| {
        names.iter().find_map(|n| {
            header
                .iter()
                .enumerate()
                .find(|(i, h)| key(h).as_deref() == Some(*n) && free(i) && ok(h))
                .map(|(i, _)| i)
        })
    };
    aliases
        .iter()
        .find_map(|a| header.iter().position(|h| h == a).filter(free))
        .or_else(|| by(&|h| Some(norm(h))))
        .or_else(|| by(&|h| field_part(h).map(norm)))
}

/// A header's field after the object or table it is of: Zuora's `Account: Account Number`,
/// Odoo's `Invoice lines/Quantity`, a JSON order's `customer.id`; `None` when it is all one
/// name. (Not after `_`: `Paper_Qty` is a wide log's product quantity, no field `Qty`.)
pub(super) fn field_part(h: &str) -> Option<&str> {
    let h = h.trim();
    let at = h.rfind([':', '.', '/'])?;
    // A parent's or a ship-to's account is not the account that bought (Zuora's `Parent
    // Account: Account Number` before `Account: Account Number` merged 396 customers into 10).
    let object = norm(&h[..at]);
    if ["parent", "ultimate", "shipto", "deliverto"]
        .iter()
        .any(|w| object.contains(w))
    {
        return None;
    }
    let cut = h[at + 1..].trim();
    (!cut.is_empty()).then_some(cut)
}

/// A long log's product column by name: the first so named that is filled on (nearly) every
/// sampled row, else the first. Square's `SKU` and Shopify's `Lineitem sku` are blank for items
/// sold without one, where `Item` and `Lineitem name` are not: keyed by the SKU, every such line
/// would be dropped as `blank_product` (half a trial's sales). A column the user `named` stays.
pub(super) fn product_by_name(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    named: bool,
) -> Option<usize> {
    let first = by_name(header, &aliases.product, PRODUCT, taken)?;
    if named {
        return Some(first);
    }
    let blank = |i: usize| blank_share(rows, i, |v| v.trim().is_empty());
    let mut tried = taken.to_vec();
    let mut next = Some(first);
    while let Some(i) = next {
        if blank(i) <= 0.01 {
            return Some(i);
        }
        tried.push(i);
        next = by_name(header, &aliases.product, PRODUCT, &tried);
    }
    Some(first)
}

/// Share of the first 5,000 rows whose cell of column `i` is missing or `blank`.
pub(super) fn blank_share(rows: &[Vec<String>], i: usize, blank: impl Fn(&str) -> bool) -> f64 {
    let sample = &rows[..rows.len().min(5_000)];
    let n = sample
        .iter()
        .filter(|r| r.get(i).is_none_or(|v| blank(v)))
        .count();
    n as f64 / sample.len().max(1) as f64
}

/// Share of the non-empty values of column `i` (in the first 5,000 rows) that `ok` accepts,
/// and how many there were.
pub(super) fn share(rows: &[Vec<String>], i: usize, ok: impl Fn(&str) -> bool) -> (f64, usize) {
    let vals: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(i).map(|s| s.trim()))
        .filter(|s| !s.is_empty())
        .take(5_000)
        .collect();
    if vals.is_empty() {
        return (0.0, 0);
    }
    let good = vals.iter().filter(|v| ok(v)).count();
    (good as f64 / vals.len() as f64, vals.len())
}

/// The cost column of a long log whose value column is revenue (no GP column): GP is then
/// revenue less it.
pub(super) fn cost_column(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    decimal_comma: bool,
) -> Option<usize> {
    by_name(header, &aliases.cost, COST, taken).filter(|i| {
        let (s, n) = share(rows, *i, |v| parse::currency(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    })
}

/// Business Central's and NAV's sales lines name the item `No.`: taken for the product when
/// nothing else is, and only when its values repeat as products do (a row counter headed `No.`
/// never repeats).
pub(super) fn item_no(header: &[String], rows: &[Vec<String>], taken: &[usize]) -> Option<usize> {
    let i = header
        .iter()
        .enumerate()
        .position(|(i, h)| norm(h) == "no" && !taken.contains(&i))?;
    let values: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(i).map(|v| v.trim()))
        .filter(|v| !v.is_empty())
        .collect();
    let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
    (values.len() >= 20 && 2 * distinct.len() <= values.len()).then_some(i)
}

/// Why init cannot read a log's products: a product column with no line value (and which
/// columns are prices per unit), or no product columns at all (and the numeric columns it saw).
pub(super) fn no_products(
    path: &Path,
    header: &[String],
    aliases: &Aliases,
    taken: &[usize],
    unplaced: &[Unplaced],
) -> String {
    // A product column but no GP, revenue or line-total column: say what is missing, and that a
    // price per unit is no line's value (named as GP, it loaded prices as profit in a trial).
    if let Some(p) = by_name(header, &aliases.product, PRODUCT, taken) {
        let prices: Vec<String> = header
            .iter()
            .filter(|h| {
                let n = norm(h);
                // `Ext Price`, `Total Price` are a line's (a tester was told otherwise).
                (n.contains("price") || n.contains("unitcost") || n == "rate")
                    && !REVENUE.contains(&n.as_str())
            })
            .map(|h| format!("`{h}`"))
            .collect();
        return format!(
            "`{}`: `{}` names products, but no column is known to hold a line's value: name it with `--column gross_profit=HEADER` (a GP column; init knows `GP`, `Gross Profit`, `Margin`, `Profit`, ..., and, standing in for GP, revenue: `Revenue`, `Sales`, `Net Amount`, `Line Total`, ...){}; or add one to the export (quantity times price is revenue; less cost, GP)",
            path.display(),
            header[p],
            if prices.is_empty() {
                String::new()
            } else {
                format!(
                    ". {} {} a price per unit, not a line's value: named as GP, every figure would be a unit price; with a quantity column, `--column unit_price={}` (and `--column quantity=HEADER` if init does not find it) loads each line as price times quantity",
                    prices.join(", "),
                    if prices.len() == 1 { "is" } else { "are" },
                    prices[0].trim_matches('`')
                )
            }
        );
    }
    format!(
        "`{}`: no product columns: a product is a GP column `X` with a quantity column beside it (`X_Qty`, `X Qty`, `X_Quantity`; or `X_GP` with `X_Qty`), or, one row per line, a product column (`Product`, `SKU`, `Item`, ...) with a numeric GP column (`GP`, `Gross Profit`, `Margin`, ...){}; name them: one row per line, `--column product=HEADER --column gross_profit=HEADER` (and `--column quantity=HEADER`; a revenue column named so is loaded as GP unless `--column cost=HEADER` names its line cost){}; a GP column per product, `--sku-map FILE` (columns `gp_column,qty_column,division`)",
        path.display(),
        if unplaced.is_empty() {
            String::new()
        } else {
            format!(
                ". Numeric columns without a Qty sibling: {}",
                unplaced.iter().map(|u| format!("`{}`", u.column)).collect::<Vec<_>>().join(", ")
            )
        },
        revenue_and_cost(header, unplaced)
    )
}

/// ` (here, `--column gross_profit="R" --column cost="C"`)` when the numeric columns left over
/// hold one named as revenue and one as cost.
fn revenue_and_cost(header: &[String], unplaced: &[Unplaced]) -> String {
    let named = |names: &[&str]| {
        unplaced
            .iter()
            .map(|u| &u.column)
            .find(|c| header.contains(c) && names.contains(&norm(c).as_str()))
    };
    match (named(REVENUE), named(COST)) {
        (Some(r), Some(c)) => {
            format!(" (here, `--column gross_profit=\"{r}\" --column cost=\"{c}\"`)")
        }
        _ => String::new(),
    }
}

/// The GP columns of `pairs` that are row totals, not products: named so (`Total GP`, `Grand
/// Total`, `Sum of GP`, `All Products`), or equal to the sum of the other pairs' GP on nine in
/// ten of the sampled rows where they hold a value (ten at least).
pub(super) fn total_pairs(
    header: &[String],
    rows: &[Vec<String>],
    pairs: &[(usize, Option<usize>)],
    decimal_comma: bool,
) -> Vec<usize> {
    let named = |h: &str| {
        let n = norm(h);
        ["total", "grandtotal", "sumof", "allproducts", "rowtotal"]
            .iter()
            .any(|p| n.starts_with(p))
    };
    let gps: Vec<usize> = pairs.iter().map(|&(g, _)| g).collect();
    let by_name: Vec<bool> = gps.iter().map(|&g| named(&header[g])).collect();
    // Each sampled row's GP cells, read once, and their sum over the pairs not named totals.
    let cells: Vec<(Vec<f64>, f64)> = rows
        .iter()
        .map(|r| {
            let v: Vec<f64> = gps
                .iter()
                .map(|&g| {
                    r.get(g)
                        .and_then(|v| parse::currency(v.trim(), decimal_comma))
                        .unwrap_or(0.0)
                })
                .collect();
            let sum = v
                .iter()
                .zip(&by_name)
                .filter(|(_, &n)| !n)
                .map(|(x, _)| x)
                .sum();
            (v, sum)
        })
        .collect();
    (0..gps.len())
        .filter(|&k| {
            if by_name[k] {
                return true;
            }
            let (mut held, mut sums) = (0, 0);
            for (v, sum) in &cells {
                let v = v[k];
                if v == 0.0 {
                    continue;
                }
                held += 1;
                sums += usize::from((sum - 2.0 * v).abs() < 0.005 * v.abs().max(1.0));
            }
            held >= 10 && gps.len() > 2 && 10 * sums >= 9 * held
        })
        .map(|k| gps[k])
        .collect()
}

/// A long log's value column among `names` (GP, else revenue): the user's alias first; else,
/// of the numeric headers that are such a name with or without a currency tag, a converted one
/// (`GP USD`) before a bare one (`GP`) before a local one (`GP (Local)`): in a log of several
/// currencies the converted column is the one whose figures add up (a trial's init took the
/// local `GP` beside `GP USD`: thirty times the GP, in yen).
pub(super) fn value_column(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
    numeric: &dyn Fn(&usize) -> bool,
) -> Option<usize> {
    let free = |i: &usize| !taken.contains(i);
    if let Some(i) = aliases
        .iter()
        .find_map(|a| header.iter().position(|h| h == a).filter(free))
    {
        return Some(i).filter(numeric);
    }
    header
        .iter()
        .enumerate()
        .filter(|(i, h)| free(i) && !is_share_name(h))
        .filter_map(|(i, h)| {
            // By its name without a currency tag, else as written (`gpusd` is a name too).
            let (base, rank) = crate::stages::etl::currency::money_name(h);
            let tagged = names.iter().position(|n| *n == base).map(|k| (rank, k));
            let exact = || names.iter().position(|n| *n == norm(h)).map(|k| (1, k));
            // Last, by its field's name (Odoo's `Invoice lines/Subtotal`).
            let field = || {
                let f = norm(field_part(h)?);
                names.iter().position(|n| *n == f).map(|k| (3, k))
            };
            tagged
                .or_else(exact)
                .or_else(field)
                .map(|(rank, k)| (rank, k, i))
        })
        .filter(|(_, _, i)| numeric(i))
        .min()
        .map(|(_, _, i)| i)
}

/// The trimmed cells of columns `key` and `c` on each of the first 5,000 sampled rows that
/// fill both.
fn filled_pairs(rows: &[Vec<String>], key: usize, c: usize) -> impl Iterator<Item = (&str, &str)> {
    rows.iter().take(5_000).filter_map(move |r| {
        let (k, v) = (r.get(key)?.trim(), r.get(c)?.trim());
        (!k.is_empty() && !v.is_empty()).then_some((k, v))
    })
}

/// Per key of column `key` (a customer, a product) with two or more sampled lines valued in
/// column `c`, whether they all hold one value.
fn same_per_key(rows: &[Vec<String>], key: usize, c: usize) -> Vec<bool> {
    let mut first: std::collections::HashMap<&str, (&str, bool, usize)> = Default::default();
    for (id, v) in filled_pairs(rows, key, c) {
        let e = first.entry(id).or_insert((v, true, 0));
        e.1 &= e.0 == v;
        e.2 += 1;
    }
    first
        .values()
        .filter(|(_, _, n)| *n >= 2)
        .map(|(_, same, _)| *same)
        .collect()
}

/// Whether column `c` holds one value per key of column `key` (a customer, a product): true of
/// at least 98% of the twenty or more sampled keys with two or more lines valued in it.
pub(super) fn one_value_per(rows: &[Vec<String>], key: usize, c: usize) -> bool {
    let repeat = same_per_key(rows, key, c);
    let same = repeat.iter().filter(|s| **s).count();
    repeat.len() >= 20 && same as f64 >= 0.98 * repeat.len() as f64
}

/// Whether column `c`'s values are unique within each value of `key` (a line number within its
/// invoice) on 99 sampled rows in 100 that have both.
pub(super) fn unique_within(rows: &[Vec<String>], key: usize, c: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    let (mut both, mut again) = (0usize, 0usize);
    for (k, v) in filled_pairs(rows, key, c) {
        both += 1;
        again += usize::from(!seen.insert((k, v)));
    }
    again * 100 <= both
}

/// Whether the sample's exact repeats are lines of their invoices (column `invoice`): five
/// repeats at least, three in four of them on an invoice with a line that is not repeated, or
/// with lines repeated unlike each other (one twice, another three times). An
/// export's duplicate repeats a whole document, every line of it (the synthetic log's one-line
/// invoices; a tester's invoices exported twice, or two overlapping exports joined); an invoice
/// listing one item on two identical lines has its other items once beside them (a tester's
/// Tally, Subiekt and NF-e logs lost 2% to 5% of their GP to `exact_duplicates: drop`).
pub(super) fn repeats_are_lines(rows: &[Vec<String>], invoice: usize) -> bool {
    use std::collections::HashMap;
    // Per invoice, each distinct row's count.
    let mut lines: HashMap<&str, HashMap<&Vec<String>, usize>> = HashMap::new();
    for r in rows {
        let Some(inv) = r.get(invoice).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        *lines.entry(inv).or_default().entry(r).or_default() += 1;
    }
    let (mut repeats, mut beside) = (0usize, 0usize);
    for counts in lines.values() {
        let extra: usize = counts.values().map(|n| n - 1).sum();
        repeats += extra;
        // A document exported twice has each of its lines twice: lines written once beside the
        // repeats, or repeated unlike each other (a tester's `F370` twice beside `J55` three
        // times, 8% of its GP dropped), are lines of their own.
        let mut n = counts.values();
        let first = n.next().copied().unwrap_or(1);
        if first == 1 || n.any(|&k| k != first) {
            beside += extra;
        }
    }
    // Three in four: a one-line invoice's item listed twice is a repeat no rule can place (a
    // tester's such invoices held 11% of its repeats), while an export's repeat whole documents.
    repeats >= 5 && beside * 4 >= repeats * 3 && !written_twice(rows)
}

/// Whether the rows' exact repeats are an export's, by where they stand: in runs (a row and
/// the one before it both repeat the pair of rows at the same distance back: a page's last
/// rows again at the next page's top, a block written twice, two overlapping exports), a
/// quarter of them at least; or at a period (the same number of rows between one repeat and
/// the next, ten or more, for half of them: a row repeated at every page break). A line listed
/// twice sits beside its twin, at no period of a page's length. A hunter's paged and glitched
/// exports, whose repeats were on invoices of other lines, were loaded whole, +0.5% to +4.9% GP.
fn written_twice(rows: &[Vec<String>]) -> bool {
    use std::collections::{HashMap, HashSet};
    let mut last: HashMap<&Vec<String>, usize> = HashMap::new();
    let mut in_runs: HashSet<usize> = HashSet::new();
    let mut at: Vec<usize> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(j) = last.insert(r, i) {
            at.push(i);
            if i - j >= 2 && j >= 1 && rows[i - 1] == rows[j - 1] {
                in_runs.extend([i, i - 1]);
            }
        }
    }
    let mut gaps: HashMap<usize, usize> = HashMap::new();
    for w in at.windows(2) {
        *gaps.entry(w[1] - w[0]).or_default() += 1;
    }
    let periodic = gaps
        .iter()
        .any(|(&gap, &n)| gap >= 10 && n >= 4 && n * 2 >= at.len().saturating_sub(1));
    in_runs.len() * 4 >= at.len() || periodic
}

/// Whether column `c` is an attribute of each `key` (a product's own `Type`: `License`, `Cloud
/// Credits`): one value per key on every key of two sampled lines or more, five at least. A
/// document type varies within products: a product sold is also credited.
pub(super) fn attribute_of(rows: &[Vec<String>], key: usize, c: usize) -> bool {
    // Three keys suffice (a tester's four products, one a paid `Return` pickup service, had it
    // read as credits, -7.4% GP).
    let repeat = same_per_key(rows, key, c);
    repeat.len() >= 3 && repeat.iter().all(|s| *s)
}

/// Whether column `c` shows several values within one `key` (a product sold to customers of
/// several tiers): on one key in ten at least of those of two rows or more, three such keys
/// at least.
pub(super) fn varies_within(rows: &[Vec<String>], key: usize, c: usize) -> bool {
    let repeat = same_per_key(rows, key, c);
    let differ = repeat.iter().filter(|s| !**s).count();
    repeat.len() >= 3 && differ * 10 >= repeat.len()
}

/// The column naming the codes of division column `d` (`Division Name` beside `Division` of
/// `10`, `20`): named after it (`... Name`, `... Description`, `... Desc`, `... Text`), with
/// words where the codes are digits, one name to a code.
pub(super) fn division_names(
    header: &[String],
    rows: &[Vec<String>],
    d: usize,
    taken: &[usize],
) -> Option<usize> {
    let (codes, n) = share(rows, d, |v| v.bytes().all(|b| b.is_ascii_digit()));
    if n == 0 || codes < 1.0 {
        return None;
    }
    let base = norm(&header[d]);
    let n = header.iter().enumerate().position(|(i, h)| {
        !taken.contains(&i)
            && ["name", "description", "desc", "text", "label"]
                .iter()
                .any(|s| norm(h) == format!("{base}{s}"))
    })?;
    let (words, _) = share(rows, n, |v| v.bytes().any(|b| b.is_ascii_alphabetic()));
    let mut named: std::collections::HashMap<&str, &str> = Default::default();
    let one_to_one = rows.iter().take(5_000).all(|r| {
        match (r.get(d).map(|s| s.trim()), r.get(n).map(|s| s.trim())) {
            (Some(code), Some(name)) if !code.is_empty() => {
                *named.entry(code).or_insert(name) == name
            }
            _ => true,
        }
    });
    (words >= 0.9 && one_to_one).then_some(n)
}

/// Whether a header names a share, not an amount: `GP %`, `Margin Pct`, `GP Percent`, `Margin
/// Ratio`. Compared as letters and digits, `GP %` would be `GP`; exports write a percent column's
/// values as bare numbers (`0.1769`, `17.69`), so they cannot tell (a trial's init took `GP %`
/// for the GP: a two-thousandth of it, and labels wrong where lines lost money).
pub(super) fn is_share_name(h: &str) -> bool {
    let n = norm(h);
    // A bare `Rate` is a price per unit (QuickBooks', FreshBooks'); `Tax Rate` is a share.
    if n == "rate" {
        return false;
    }
    h.contains('%')
        || [
            "percent",
            "percentage",
            "pct",
            "ratio",
            "rate",
            // German, French, Spanish and Italian shares (`Rabattsatz`, `Taux de remise`).
            "prozent",
            // Not a bare `satz`: `Umsatz` (sales) ends so.
            "rabattsatz",
            "prozentsatz",
            "taux",
            "pourcentage",
            "porcentaje",
            "percentuale",
        ]
        .iter()
        .any(|w| n.ends_with(w) || n.starts_with(w))
}

/// Whether a header names a GP column, with or without a currency tag (`GP`, `GP USD`).
pub(super) fn is_gp_name(h: &str) -> bool {
    !is_share_name(h)
        && (GROSS_PROFIT.contains(&norm(h).as_str())
            || GROSS_PROFIT.contains(&crate::stages::etl::currency::money_name(h).0.as_str()))
}
