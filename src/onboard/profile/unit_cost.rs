//! Whether a cost column holds a cost per unit or each line's total cost, and whether a column
//! named as a unit price is one: read from the data, since a wrong guess multiplies or divides
//! every line's figure by its quantity.
//!
//! Both are asked the same way: how the figure moves with the quantity within each product. A
//! cost per unit is a share of a line's value that halves when the quantity doubles (slope -1
//! of log share on log quantity), a line's total cost a share that stays put (0); a unit price
//! stays put as the quantity grows (slope 0 of log value on log quantity), a line total doubles
//! (1). Within a product, so that a product mix that moves with the quantity (consumables sold
//! by the dozen at thin margins, services one at a time at wide ones) does not tilt the fit: a
//! tester's pooled fit gave -0.41 for costs that were per unit in every product.

use std::collections::HashMap;

use super::long::Long;
use crate::stages::etl::parse;

/// Fewest lines with a usable quantity, value and cost before the data are asked at all.
const FEWEST_LINES: usize = 20;

/// How a cost column reads: per unit (`true`) or each line's total, and a note when the data
/// overrule its name. `named_per_unit`: its name says per unit (`Unit Cost`, `Standard Cost`).
pub(super) fn read_cost(
    header: &[String],
    rows: &[Vec<String>],
    l: &Long,
    cost: usize,
    decimal_comma: bool,
    named_per_unit: bool,
) -> (bool, Option<String>) {
    let lines = lines(rows, l, Some(cost), decimal_comma);
    let name = &header[cost];
    let points = |x: &Line| (x.quantity.ln(), (x.cost / x.revenue).ln());
    if let Some((slope, n)) = slope(&lines, points) {
        return match (named_per_unit, slope) {
            (true, s) if s > -0.5 => (false, Some(format!(
                "`{name}` is read as each line's total cost, though its name says per unit: as a share of a line's value it does not fall as the quantity grows (slope {s:.2} of log share on log quantity, within products, over {n} sampled lines; a cost per unit gives about -1); if it is per unit, set `cost_per_unit: true` in stages/etl.yaml"
            ))),
            (true, _) => (true, None),
            (false, s) if s < -0.7 => (true, Some(format!(
                "`{name}` is read as a cost per unit, times the quantity, though its name does not say so: as a share of a line's value it halves when the quantity doubles (slope {s:.2} of log share on log quantity, within products, over {n} sampled lines; a line's total cost gives about 0); if it is each line's total, set `cost_per_unit: false` in stages/etl.yaml"
            ))),
            (false, _) => (false, None),
        };
    }
    if !named_per_unit {
        return (false, None);
    }
    // All lines of one quantity: only losses can tell. Times the quantity, most lines of several
    // units would sell at a loss, and as written few do (a tester's `Unit Cost` of line totals
    // made 89% of the lines losses, GP -17.4 million for +1.9 million).
    let several: Vec<_> = lines.iter().filter(|x| x.quantity > 1.0).collect();
    let loss_times = several
        .iter()
        .filter(|x| x.revenue < x.cost * x.quantity)
        .count();
    let loss_as_is = several.iter().filter(|x| x.revenue < x.cost).count();
    let n = several.len();
    if n >= FEWEST_LINES && loss_times * 2 > n && loss_as_is * 5 < n {
        return (false, Some(format!(
            "`{name}` is read as each line's total cost, though its name says per unit: times the quantity, {loss_times} of the {n} sampled lines of several units would sell at a loss, as written {loss_as_is}; if it is per unit, set `cost_per_unit: true` in stages/etl.yaml"
        )));
    }
    (true, None)
}

/// The slope of log value on log quantity within products, where `l.value` is taken as a unit
/// price: about 0 for one, about 1 for a line total (a tester's `Selling Price` of line totals
/// was multiplied by its quantity, 9.2 times the GP). `None` when the data cannot tell.
pub(super) fn price_slope(rows: &[Vec<String>], l: &Long, decimal_comma: bool) -> Option<f64> {
    let lines = lines(rows, l, None, decimal_comma);
    // `revenue` is the value times the quantity here (`l.per_unit`): the value is it over q.
    slope(&lines, |x| (x.quantity.ln(), (x.revenue / x.quantity).ln())).map(|(s, _)| s)
}

struct Line {
    product: String,
    quantity: f64,
    /// The line's value (a unit price times the quantity when the log gives unit prices).
    revenue: f64,
    /// As written; a cost written negative (`cost_sign: negative`) by its size. 1 when no
    /// cost is asked.
    cost: f64,
}

/// The sampled sales lines (returns and free lines left out) with a quantity, a value and, if
/// asked, a cost.
fn lines(rows: &[Vec<String>], l: &Long, cost: Option<usize>, decimal_comma: bool) -> Vec<Line> {
    let num = |r: &Vec<String>, i: usize| r.get(i).and_then(|v| parse::currency(v, decimal_comma));
    rows.iter()
        .filter_map(|r| {
            let (v, q) = (num(r, l.value)?, num(r, l.quantity?)?);
            let k = match cost {
                Some(c) => num(r, c)?.abs(),
                None => 1.0,
            };
            (q > 0.0 && v > 0.0 && k > 0.0).then(|| Line {
                product: r
                    .get(l.product)
                    .map_or(String::new(), |p| p.trim().to_string()),
                quantity: q,
                revenue: if l.per_unit { v * q } else { v },
                cost: k,
            })
        })
        .collect()
}

/// The least-squares slope of `point`'s y on x within products (each product's points about
/// its own means), with the lines it rests on; else, when no product's quantities spread
/// enough, over all lines together. `None` when too few lines or too little spread of the
/// quantities to fit it.
fn slope(lines: &[Line], point: impl Fn(&Line) -> (f64, f64)) -> Option<(f64, usize)> {
    if lines.len() < FEWEST_LINES {
        return None;
    }
    let mut by_product: HashMap<&str, Vec<(f64, f64)>> = HashMap::new();
    for x in lines {
        by_product
            .entry(x.product.as_str())
            .or_default()
            .push(point(x));
    }
    let within: Vec<Vec<(f64, f64)>> = by_product.into_values().filter(|p| p.len() > 1).collect();
    fit(&within).or_else(|| fit(&[lines.iter().map(&point).collect()]))
}

/// The slope of y on x over groups, each about its own means; `None` when under
/// [`FEWEST_LINES`] points or a spread of x under that of quantities 1 and 2 on a tenth of
/// the points each.
fn fit(groups: &[Vec<(f64, f64)>]) -> Option<(f64, usize)> {
    let (mut sxx, mut sxy, mut n) = (0.0, 0.0, 0usize);
    for g in groups {
        let k = g.len() as f64;
        let (mx, my) = g
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / k, b + y / k));
        sxx += g.iter().map(|(x, _)| (x - mx).powi(2)).sum::<f64>();
        sxy += g.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>();
        n += g.len();
    }
    (n >= FEWEST_LINES && sxx / n as f64 >= 0.02).then(|| (sxy / sxx, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product: &str, quantity: f64, revenue: f64, cost: f64) -> Line {
        Line {
            product: product.to_string(),
            quantity,
            revenue,
            cost,
        }
    }

    fn share(x: &Line) -> (f64, f64) {
        (x.quantity.ln(), (x.cost / x.revenue).ln())
    }

    #[test]
    fn a_cost_per_unit_falls_as_a_share_of_the_line_and_a_line_total_does_not() {
        let per_unit: Vec<_> = (0..40)
            .map(|i| {
                let q = f64::from(1 + i % 6);
                line("a", q, 100.0 * q, 60.0)
            })
            .collect();
        assert!((slope(&per_unit, share).unwrap().0 + 1.0).abs() < 1e-9);
        let totals: Vec<_> = (0..40)
            .map(|i| {
                let q = f64::from(1 + i % 6);
                line("a", q, 100.0 * q, 60.0 * q)
            })
            .collect();
        assert!(slope(&totals, share).unwrap().0.abs() < 1e-9);
        // Bulk lots below cost: still a cost per unit.
        let bulk: Vec<_> = (0..40)
            .map(|i| {
                let q = if i % 3 == 0 { f64::from(10 + i) } else { 1.0 };
                let price = if q > 1.0 { 50.0 } else { 100.0 };
                line("a", q, price * q, 60.0)
            })
            .collect();
        assert!(slope(&bulk, share).unwrap().0 < -0.6);
    }

    #[test]
    fn a_product_mix_that_moves_with_the_quantity_does_not_tilt_the_fit() {
        // Services one or two at a time at a cost share of 0.2, consumables by two to six at
        // 0.9: pooled, the share rises with the quantity; within each, it is per unit.
        let lines: Vec<_> = (0..60)
            .map(|i| {
                let (p, q, share) = if i % 2 == 0 {
                    ("service", f64::from(1 + i % 4 / 2), 0.2)
                } else {
                    ("toner", f64::from(2 + i % 5), 0.9)
                };
                line(p, q, 100.0 * q, 100.0 * share)
            })
            .collect();
        let pooled = fit(&[lines.iter().map(share).collect()]).unwrap().0;
        assert!(pooled > -0.5, "{pooled}");
        assert!((slope(&lines, share).unwrap().0 + 1.0).abs() < 1e-9);
    }

    #[test]
    fn one_quantity_everywhere_fits_no_slope() {
        let same: Vec<_> = (0..40)
            .map(|i| line("a", 3.0, 100.0 + f64::from(i), 60.0))
            .collect();
        assert_eq!(slope(&same, share), None);
        assert_eq!(slope(&same[..10], share), None);
    }
}
