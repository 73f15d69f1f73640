//! What a long log's value column holds and what comes off it: revenue or GP, a cost column
//! (per line or per unit, written negative or not), and discounts init could not place.

use crate::stages::etl::layout::Aliases;
use crate::stages::etl::parse;

use super::columns::{by_name_where, cost_column, is_gp_name, share};
use super::long::{Long, DISCOUNT};
use super::names::{norm, says_per_unit, REVENUE};
use super::unit_cost;

/// How a long log's lines are valued.
pub(super) struct LineValue {
    /// The value column is revenue (no GP column): the cost, if any, comes off it.
    pub revenue: bool,
    pub cost: Option<usize>,
    /// A cost column beside a revenue column the user named as GP (loaded as asked, and said).
    pub cost_beside: Option<String>,
    pub cost_per_unit: bool,
    pub cost_negative: bool,
}

/// Reads `long`'s value and cost columns; the cost column joins `taken`, and what a user may
/// want to change goes to `id_notes`.
pub(super) fn read(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &mut Vec<usize>,
    long: Option<Long>,
    decimal_comma: bool,
    id_notes: &mut Vec<String>,
) -> LineValue {
    // No GP column: revenue stands in, less a line cost column when there is one (or when the
    // user names one).
    let revenue = long.as_ref().is_some_and(|l| {
        !is_gp_name(&header[l.value]) && !aliases.gross_profit.contains(&header[l.value])
    });
    let cost = match long {
        Some(_) if revenue || !aliases.cost.is_empty() => {
            cost_column(header, rows, aliases, taken, decimal_comma)
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
        .and_then(|_| cost_column(header, rows, aliases, taken, decimal_comma))
        .map(|c| header[c].clone());
    // A cost per unit (`Unit Cost`, `Standard Cost`) beside a quantity: a line's cost is it
    // times the quantity (a public log's `Unit Cost` was taken once per line of 1-8 units).
    // Its name says which, unless the data say otherwise (`unit_cost`).
    let (cost_per_unit, line_cost) = match (cost, long.as_ref()) {
        (Some(c), Some(l)) if l.quantity.is_some() => {
            unit_cost::read_cost(header, rows, l, c, decimal_comma, says_per_unit(&header[c]))
        }
        _ => (false, None),
    };
    id_notes.extend(line_cost);
    if let Some((l, m)) = long.and_then(|l| l.margin_share.map(|m| (l, m))) {
        id_notes.push(format!(
            "`{}` holds each line's margin as a share of `{}` (in percent or as a fraction), not an amount: GP is `{}`{}; to load `{}` as GP after all, `--column gross_profit=\"{}\"`",
            header[m],
            header[l.value],
            header[l.value],
            cost.map(|c| format!(" less `{}`", header[c])).unwrap_or_default(),
            header[m],
            header[m]
        ));
    }
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
        let mut used = taken.to_vec();
        used.extend(cost);
        if let Some(d) = by_name_where(header, &aliases.discount, DISCOUNT, &used, |_| true) {
            id_notes.push(format!(
                "`{}` is not taken off `{}`: nothing in the log shows whether `{}` is before or after it; if it is before, add `discount: [\"{}\"]` to `aliases` in stages/etl.yaml (and `discount_fraction: true` if 0.2 means 20%)",
                header[d], header[l.value], header[l.value], header[d]
            ));
        }
    }
    // Costs written negative (an ERP's `Cost Amount (Actual)`): GP is revenue plus them.
    let cost_negative = cost.is_some_and(|c| {
        let (neg, n) = share(rows, c, |v| {
            parse::currency(v, decimal_comma).is_some_and(|x| x < 0.0)
        });
        let (zero, _) = share(rows, c, |v| parse::currency(v, decimal_comma) == Some(0.0));
        n > 0 && neg >= 0.9 * (1.0 - zero)
    });

    LineValue {
        revenue,
        cost,
        cost_beside,
        cost_per_unit,
        cost_negative,
    }
}

/// Whether a cost column beside values in cents is written in the currency: its costs are
/// under a fiftieth of their lines' values (the median over the sampled sales lines, a cost per
/// unit times the quantity; twenty lines at least), and written with cents on a tenth of the
/// lines or under a five-hundredth of the values. A cost in cents is whole, and a share of a
/// fiftieth is a 98% margin: a tester's software seller's costs in cents, at 0.5% to 1.8%, were
/// read as currency (GP -0.7M for +5.1M).
pub(super) fn cost_in_currency(
    rows: &[Vec<String>],
    l: &Long,
    cost: usize,
    cost_per_unit: bool,
    decimal_comma: bool,
) -> bool {
    let Some(share) = median_cost_share(rows, l, cost, cost_per_unit, decimal_comma) else {
        return false;
    };
    let (with_cents, n) = super::columns::share(rows, cost, |v| {
        parse::currency(v, decimal_comma).is_some_and(|x| x != 0.0 && x.fract() != 0.0)
    });
    share < 0.02 && ((n > 0 && with_cents >= 0.1) || share < 0.002)
}

fn median_cost_share(
    rows: &[Vec<String>],
    l: &Long,
    cost: usize,
    cost_per_unit: bool,
    decimal_comma: bool,
) -> Option<f64> {
    let num = |r: &Vec<String>, i: usize| r.get(i).and_then(|v| parse::currency(v, decimal_comma));
    let mut shares: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let (v, k) = (num(r, l.value)?, num(r, cost)?.abs());
            let q = l.quantity.and_then(|q| num(r, q)).unwrap_or(1.0);
            let value = if l.per_unit { v * q } else { v };
            let k = if cost_per_unit { k * q } else { k };
            (value > 0.0 && k > 0.0 && q > 0.0).then(|| k / value)
        })
        .collect();
    if shares.len() < 20 {
        return None;
    }
    shares.sort_by(f64::total_cmp);
    Some(shares[shares.len() / 2])
}
