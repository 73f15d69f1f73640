//! Whether a cost column whose name says "per unit" (`Unit Cost`, `Standard Cost`) really is,
//! or holds each line's total cost: read from the data, since a wrong guess multiplies or divides
//! every line's cost by its quantity.

use super::long::Long;
use crate::stages::etl::parse;

/// Fewest lines with a usable quantity, value and cost before the data are asked at all.
const FEWEST_LINES: usize = 20;

/// A note when `cost` (named per unit) holds line totals; `None` when it reads as per unit or
/// the data cannot tell.
pub(super) fn line_total_note(
    header: &[String],
    rows: &[Vec<String>],
    l: &Long,
    cost: usize,
    decimal_comma: bool,
) -> Option<String> {
    let lines = lines(rows, l, cost, decimal_comma);
    let name = &header[cost];
    // First ask how the cost moves with the quantity: a cost per unit is a falling share of a
    // line's value as the quantity grows (doubling the units halves it), a line's total cost a
    // share that stays put. Bulk lots sold below cost (a tester's log: 30% of its lines) fool a
    // loss count, not this.
    if let Some(slope) = share_slope(&lines) {
        return (slope > -0.5).then(|| {
            format!(
                "`{name}` is read as each line's total cost, though its name says per unit: as a share of a line's value it does not fall as the quantity grows (slope {slope:.2} of log share on log quantity over {} lines; a cost per unit gives about -1); if it is per unit, set `cost_per_unit: true` in stages/etl.yaml",
                lines.len()
            )
        });
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
    (n >= FEWEST_LINES && loss_times * 2 > n && loss_as_is * 5 < n).then(|| {
        format!(
            "`{name}` is read as each line's total cost, though its name says per unit: times the quantity, {loss_times} of the {n} sampled lines of several units would sell at a loss, as written {loss_as_is}; if it is per unit, set `cost_per_unit: true` in stages/etl.yaml"
        )
    })
}

struct Line {
    quantity: f64,
    /// The line's value (a unit price times the quantity when the log gives unit prices).
    revenue: f64,
    /// As written; a cost written negative (`cost_sign: negative`) by its size.
    cost: f64,
}

/// The sampled sales lines (returns and free lines left out) with a quantity, a value and a cost.
fn lines(rows: &[Vec<String>], l: &Long, cost: usize, decimal_comma: bool) -> Vec<Line> {
    let num = |r: &Vec<String>, i: usize| r.get(i).and_then(|v| parse::currency(v, decimal_comma));
    rows.iter()
        .filter_map(|r| {
            let (v, q, k) = (num(r, l.value)?, num(r, l.quantity?)?, num(r, cost)?);
            let k = k.abs();
            (q > 0.0 && v > 0.0 && k > 0.0).then_some(Line {
                quantity: q,
                revenue: if l.per_unit { v * q } else { v },
                cost: k,
            })
        })
        .collect()
}

/// The least-squares slope of ln(cost / value) on ln(quantity); `None` when too few lines or too
/// little spread of quantities to fit it.
fn share_slope(lines: &[Line]) -> Option<f64> {
    if lines.len() < FEWEST_LINES {
        return None;
    }
    let points: Vec<(f64, f64)> = lines
        .iter()
        .map(|x| (x.quantity.ln(), (x.cost / x.revenue).ln()))
        .collect();
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    // A spread of ln(quantity) about that of quantities 1 and 2 on a tenth of the lines each.
    (sxx / n >= 0.02).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: f64, revenue: f64, cost: f64) -> Line {
        Line {
            quantity,
            revenue,
            cost,
        }
    }

    #[test]
    fn a_cost_per_unit_falls_as_a_share_of_the_line_and_a_line_total_does_not() {
        let per_unit: Vec<_> = (0..40)
            .map(|i| {
                let q = f64::from(1 + i % 6);
                line(q, 100.0 * q, 60.0)
            })
            .collect();
        assert!((share_slope(&per_unit).unwrap() + 1.0).abs() < 1e-9);
        let totals: Vec<_> = (0..40)
            .map(|i| {
                let q = f64::from(1 + i % 6);
                line(q, 100.0 * q, 60.0 * q)
            })
            .collect();
        assert!(share_slope(&totals).unwrap().abs() < 1e-9);
        // Bulk lots below cost: still a cost per unit.
        let bulk: Vec<_> = (0..40)
            .map(|i| {
                let q = if i % 3 == 0 { f64::from(10 + i) } else { 1.0 };
                let price = if q > 1.0 { 50.0 } else { 100.0 };
                line(q, price * q, 60.0)
            })
            .collect();
        assert!(share_slope(&bulk).unwrap() < -0.6);
    }

    #[test]
    fn one_quantity_everywhere_fits_no_slope() {
        let same: Vec<_> = (0..40)
            .map(|i| line(3.0, 100.0 + f64::from(i), 60.0))
            .collect();
        assert_eq!(share_slope(&same), None);
        assert_eq!(share_slope(&same[..10]), None);
    }
}
