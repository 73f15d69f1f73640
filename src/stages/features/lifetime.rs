//! `lifetime`: what the whole history to the cutoff says about a customer, beyond the trailing
//! windows of `behaviour` and `crossdiv`. The installed base per division (net quantity ever
//! bought: seats owned drive add-ons and renewals), how long each division has been owned and
//! how often it is bought per year of the customer's life,
//! the customer's order rate over its life (an estimate of how engaged it is, which no 12- or
//! 24-month window gives a young or an old customer alike), and how overdue its next order is
//! at that rate (a lapsed customer has been silent for many expected orders).

use super::behaviour::order_days;
use super::matrix::{key, Fill, Matrix};
use super::Ctx;

/// Days in an average month, to turn day spans into months.
const MONTH_DAYS: f64 = 30.4375;

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let h = ctx.asof.history;
    let cutoff = ctx.asof.cutoff;
    // Months from each row's first line to the cutoff: a customer seen for less than a month is
    // rated over one.
    let life_months: Vec<f64> = ctx
        .rows
        .iter()
        .map(|&i| {
            ctx.asof.lines[i]
                .first()
                .map_or(1.0, |t| (f64::from(cutoff - t.day) / MONTH_DAYS).max(1.0))
        })
        .collect();
    for name in &ctx.divisions {
        let d = h.division_index(name);
        let dk = key(name);
        // (lines, net quantity, first day) per row.
        let per: Vec<(f64, f64, Option<i32>)> = ctx
            .rows
            .iter()
            .map(|&i| {
                let mut n = 0.0;
                let mut qty = 0.0;
                let mut first = None;
                for t in ctx.asof.lines[i].iter().filter(|t| Some(t.division) == d) {
                    n += 1.0;
                    qty += t.qty;
                    first.get_or_insert(t.day);
                }
                (n, qty, first)
            })
            .collect();
        m.push(
            format!("life__{dk}__tx_n"),
            "lifetime",
            format!("{name} lines in the whole history to the cutoff"),
            per.iter().map(|x| Some(x.0)).collect(),
            Fill::Zero,
            false,
        );
        m.push(
            format!("life__{dk}__qty_net"),
            "lifetime",
            format!("net {name} quantity ever bought (returns subtracted): the installed base"),
            per.iter().map(|x| Some(x.1)).collect(),
            Fill::Zero,
            false,
        );
        m.push(
            format!("life__{dk}__per_year"),
            "lifetime",
            format!("{name} lines per year of the customer's life (first line to the cutoff, at least a month)"),
            per.iter()
                .zip(&life_months)
                .map(|(x, months)| Some(12.0 * x.0 / months))
                .collect(),
            Fill::Zero,
            false,
        );
        m.push(
            format!("life__{dk}__days_since_first"),
            "lifetime",
            format!("days since the first {name} line (missing: never)"),
            per.iter()
                .map(|x| x.2.map(|f| f64::from(cutoff - f)))
                .collect(),
            Fill::Never,
            false,
        );
    }
    // Order days (distinct days with a line) per month of life, and the silence since the last
    // one measured in orders expected at that rate.
    let rate: Vec<Option<(f64, f64)>> = ctx
        .rows
        .iter()
        .zip(&life_months)
        .map(|(&i, &months)| {
            let lines = ctx.asof.lines[i];
            let last = lines.last()?.day;
            let per_month = order_days(lines).len() as f64 / months;
            Some((per_month, per_month * f64::from(cutoff - last) / MONTH_DAYS))
        })
        .collect();
    m.push(
        "life__all__orders_per_month",
        "lifetime",
        "distinct order days per month from the first line to the cutoff (missing: no history)",
        rate.iter().map(|r| r.map(|x| x.0)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "life__all__orders_overdue",
        "lifetime",
        "months since the last order times the lifetime order rate: orders expected in the silence (missing: no history)",
        rate.iter().map(|r| r.map(|x| x.1)).collect(),
        Fill::Zero,
        false,
    );
}
