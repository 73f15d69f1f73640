//! Families built from one customer's own lines: RFM windows, recency and its decay, trajectory,
//! lifecycle, seasonality, diversity, returns and SKU micro-signals. Every window is relative to
//! the cutoff (no calendar years), with month-end aware month arithmetic.

use chrono::Datelike;

use super::matrix::{Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months, Day, Txn};

/// Lines dated in (start, cutoff] of a date-sorted slice.
fn after(lines: &[Txn], start: Day) -> &[Txn] {
    &lines[lines.partition_point(|t| t.day <= start)..]
}

/// The distinct days of a date-sorted slice's lines: its orders (several lines of one order
/// are one purchase).
pub fn order_days(lines: &[Txn]) -> Vec<Day> {
    let mut d: Vec<Day> = lines.iter().map(|t| t.day).collect();
    d.dedup();
    d
}

fn col(ctx: &Ctx, f: impl Fn(&[Txn]) -> Option<f64> + Sync) -> Vec<Option<f64>> {
    ctx.rows.iter().map(|&i| f(ctx.asof.lines[i])).collect()
}

fn slope_std(y: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let mx = (n - 1.0) / 2.0;
    let my = y.iter().sum::<f64>() / n;
    let sxx: f64 = (0..y.len()).map(|i| (i as f64 - mx).powi(2)).sum();
    let sxy: f64 = y
        .iter()
        .enumerate()
        .map(|(i, v)| (i as f64 - mx) * (v - my))
        .sum();
    let var = y.iter().map(|v| (v - my).powi(2)).sum::<f64>() / n;
    (sxy / sxx, var.sqrt())
}

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let cutoff = ctx.cutoff;
    let c = history::day(cutoff);
    let div = ctx.division;
    let in_div = move |t: &&Txn| Some(t.division) == div;

    // RFM per window, overall and for the target division.
    for &w in &ctx.params.windows_months {
        let start = history::day(add_months(cutoff, -(w as i32)));
        for (scope, only_div) in [("all", false), ("div", true)] {
            let pick = move |l: &[Txn]| -> (f64, f64) {
                let mut n = 0.0;
                let mut gp = 0.0;
                for t in after(l, start).iter().filter(|t| !only_div || in_div(t)) {
                    n += 1.0;
                    gp += t.gp;
                }
                (n, gp)
            };
            // One pass per customer for the three columns.
            let ngp: Vec<(f64, f64)> = ctx.rows.iter().map(|&i| pick(ctx.asof.lines[i])).collect();
            let what = if only_div {
                "lines in the target division"
            } else {
                "lines"
            };
            m.push(
                format!("rfm__{scope}__tx_n__{w}m"),
                "rfm",
                format!("{what} in the {w} months up to the cutoff"),
                ngp.iter().map(|x| Some(x.0)).collect(),
                Fill::Zero,
                false,
            );
            m.push(
                format!("rfm__{scope}__gp_sum__{w}m"),
                "rfm",
                format!("gross profit of {what} in the {w} months up to the cutoff"),
                ngp.iter().map(|x| Some(x.1)).collect(),
                Fill::Zero,
                true,
            );
            m.push(
                format!("rfm__{scope}__gp_mean__{w}m"),
                "rfm",
                format!("mean gross profit per line of {what} in the {w} months up to the cutoff (missing: none)"),
                ngp.iter().map(|&(n, gp)| (n > 0.0).then(|| gp / n)).collect(),
                Fill::Zero,
                true,
            );
        }
    }

    // Recency and exponential decay.
    for (scope, only_div) in [("all", false), ("div", true)] {
        let last = move |l: &[Txn]| {
            l.iter()
                .rev()
                .find(|t| !only_div || in_div(t))
                .map(|t| (c - t.day) as f64)
        };
        m.push(
            format!("recency__{scope}__days"),
            "recency",
            format!(
                "days from the last {} line to the cutoff (missing: never)",
                if only_div { "target-division" } else { "" }
            ),
            col(ctx, last),
            Fill::Never,
            false,
        );
        for &hl in &ctx.params.recency_half_lives_days {
            m.push(
                format!("recency__{scope}__decay__hl{hl}d"),
                "recency",
                format!(
                    "2^(-days since last {} line / {hl}); 0 when never",
                    if only_div { "target-division" } else { "" }
                ),
                col(ctx, |l| {
                    Some(last(l).map_or(0.0, |d| (-d / hl as f64).exp2()))
                }),
                Fill::Zero,
                false,
            );
        }
    }

    // Trajectory: 12 monthly buckets ending at the cutoff.
    let edges: Vec<Day> = (0..=12)
        .map(|k| history::day(add_months(cutoff, k - 12)))
        .collect();
    let monthly = |l: &[Txn]| -> ([f64; 12], [f64; 12]) {
        let (mut gp, mut n) = ([0.0; 12], [0.0; 12]);
        for t in after(l, edges[0]) {
            let b = edges[1..].partition_point(|&e| e < t.day).min(11);
            gp[b] += t.gp;
            n[b] += 1.0;
        }
        (gp, n)
    };
    let traj: Vec<((f64, f64), (f64, f64))> = ctx
        .rows
        .iter()
        .map(|&i| {
            let (gp, n) = monthly(ctx.asof.lines[i]);
            (slope_std(&gp), slope_std(&n))
        })
        .collect();
    m.push(
        "trajectory__gp_slope__12m",
        "trajectory",
        "least-squares slope of monthly gross profit over the 12 months to the cutoff ($/month)",
        traj.iter().map(|t| Some(t.0 .0)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "trajectory__gp_std__12m",
        "trajectory",
        "population std of monthly gross profit over the 12 months to the cutoff",
        traj.iter().map(|t| Some(t.0 .1)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "trajectory__tx_slope__12m",
        "trajectory",
        "least-squares slope of monthly line counts over the 12 months to the cutoff",
        traj.iter().map(|t| Some(t.1 .0)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "trajectory__tx_std__12m",
        "trajectory",
        "population std of monthly line counts over the 12 months to the cutoff",
        traj.iter().map(|t| Some(t.1 .1)).collect(),
        Fill::Zero,
        false,
    );

    // Lifecycle, over distinct order days (several lines of one order are one purchase).
    let gaps = move |l: &[Txn]| -> Vec<f64> {
        order_days(l)
            .windows(2)
            .map(|w| (w[1] - w[0]) as f64)
            .collect()
    };
    m.push(
        "lifecycle__tenure_days",
        "lifecycle",
        "days from the first line to the cutoff (missing: no history)",
        col(ctx, |l| l.first().map(|t| (c - t.day) as f64)),
        Fill::Zero,
        false,
    );
    // (median, mean, last) inter-purchase gaps, computed once per customer.
    let ipi: Vec<Option<(f64, f64, f64)>> = ctx
        .rows
        .iter()
        .map(|&i| {
            let mut g = gaps(ctx.asof.lines[i]);
            let last = *g.last()?;
            let mean = g.iter().sum::<f64>() / g.len() as f64;
            g.sort_by(f64::total_cmp);
            let n = g.len();
            let median = if n % 2 == 1 {
                g[n / 2]
            } else {
                (g[n / 2 - 1] + g[n / 2]) / 2.0
            };
            Some((median, mean, last))
        })
        .collect();
    m.push(
        "lifecycle__ipi_median_days",
        "lifecycle",
        "median days between distinct order days (missing: fewer than two)",
        ipi.iter().map(|x| x.map(|v| v.0)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "lifecycle__ipi_mean_days",
        "lifecycle",
        "mean days between distinct order days (missing: fewer than two)",
        ipi.iter().map(|x| x.map(|v| v.1)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        "lifecycle__last_gap_days",
        "lifecycle",
        "days between the last two distinct order days (missing: fewer than two)",
        ipi.iter().map(|x| x.map(|v| v.2)).collect(),
        Fill::Zero,
        false,
    );
    let start24 = history::day(add_months(cutoff, -24));
    // One pass over the 24-month lines: distinct calendar months and lines per quarter.
    let season: Vec<(f64, [f64; 4], f64)> = ctx
        .rows
        .iter()
        .map(|&i| {
            let w = after(ctx.asof.lines[i], start24);
            let mut months: Vec<(i32, u32)> = Vec::with_capacity(w.len());
            let mut q = [0.0; 4];
            for t in w {
                let d = history::date(t.day);
                months.push((d.year(), d.month()));
                q[((d.month() - 1) / 3) as usize] += 1.0;
            }
            months.dedup();
            (months.len() as f64, q, w.len() as f64)
        })
        .collect();
    m.push(
        "lifecycle__active_months__24m",
        "lifecycle",
        "calendar months with at least one line in the 24 months to the cutoff",
        season.iter().map(|x| Some(x.0)).collect(),
        Fill::Zero,
        false,
    );

    // Seasonality: calendar-quarter shares of lines over 24 months.
    for q in 0..4 {
        m.push(
            format!("seasonality__q{}_share__24m", q + 1),
            "seasonality",
            format!("share of the lines of the 24 months to the cutoff that fell in calendar Q{} (missing: no lines)", q + 1),
            season.iter().map(|(_, qs, n)| (*n > 0.0).then(|| qs[q] / n)).collect(),
            Fill::Zero,
            false,
        );
    }

    // Diversity: distinct SKUs and divisions, as bit sets when they fit (they always do for a
    // real SKU map), else sorted vectors.
    let start12 = history::day(add_months(cutoff, -12));
    let distinct = |lines: &[Txn], key: fn(&Txn) -> u16| -> f64 {
        let mut bits = [0u64; 4];
        let mut overflow: Vec<u16> = Vec::new();
        for t in lines {
            let k = key(t) as usize;
            if k < 256 {
                bits[k / 64] |= 1 << (k % 64);
            } else {
                overflow.push(k as u16);
            }
        }
        overflow.sort_unstable();
        overflow.dedup();
        (bits.iter().map(|b| b.count_ones()).sum::<u32>() as usize + overflow.len()) as f64
    };
    for (span, from) in [("life", Day::MIN), ("12m", start12)] {
        m.push(
            format!("diversity__sku_n__{span}"),
            "diversity",
            format!("distinct SKUs bought ({span})"),
            col(ctx, |l| Some(distinct(after(l, from), |t| t.sku))),
            Fill::Zero,
            false,
        );
        m.push(
            format!("diversity__division_n__{span}"),
            "diversity",
            format!("distinct divisions bought ({span})"),
            col(ctx, |l| Some(distinct(after(l, from), |t| t.division))),
            Fill::Zero,
            false,
        );
    }

    // Returns: lines with negative gross profit.
    m.push(
        "returns__tx_n__12m",
        "returns",
        "lines with negative gross profit (returns, credits) in the 12 months to the cutoff",
        col(ctx, |l| {
            Some(after(l, start12).iter().filter(|t| t.gp < 0.0).count() as f64)
        }),
        Fill::Zero,
        false,
    );
    m.push(
        "returns__gp_sum__12m",
        "returns",
        "gross profit of those lines (<= 0)",
        col(ctx, |l| {
            Some(
                after(l, start12)
                    .iter()
                    .filter(|t| t.gp < 0.0)
                    .fold(0.0, |a, t| a + t.gp),
            )
        }),
        Fill::Zero,
        false,
    );
    m.push(
        "returns__tx_n__life",
        "returns",
        "lines with negative gross profit, all history",
        col(
            ctx,
            |l| Some(l.iter().filter(|t| t.gp < 0.0).count() as f64),
        ),
        Fill::Zero,
        false,
    );

    // SKU micro-signals for the configured key SKUs.
    for name in &ctx.params.key_skus {
        let sku = ctx.asof.history.sku_index(name);
        let agg = move |l: &[Txn]| -> (f64, f64) {
            after(l, start12)
                .iter()
                .filter(|t| Some(t.sku) == sku)
                .fold((0.0, 0.0), |(g, q), t| (g + t.gp, q + t.qty))
        };
        let k = super::matrix::key(name);
        m.push(
            format!("sku__{k}__gp__12m"),
            "sku",
            format!("gross profit of `{name}` in the 12 months to the cutoff"),
            col(ctx, |l| Some(agg(l).0)),
            Fill::Zero,
            true,
        );
        m.push(
            format!("sku__{k}__qty__12m"),
            "sku",
            format!("quantity of `{name}` in the 12 months to the cutoff"),
            col(ctx, |l| Some(agg(l).1)),
            Fill::Zero,
            false,
        );
        m.push(
            format!("sku__{k}__gp_per_unit__12m"),
            "sku",
            format!("gross profit per unit of `{name}` in the 12 months (0 when no units)"),
            col(ctx, |l| {
                let (g, q) = agg(l);
                Some(if q > 0.0 { g / q } else { 0.0 })
            }),
            Fill::Zero,
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slope_and_std() {
        let (s, sd) = super::slope_std(&[0.0, 1.0, 2.0, 3.0]);
        assert!((s - 1.0).abs() < 1e-12);
        assert!((sd - 1.118_033_988_749_895).abs() < 1e-12);
        assert_eq!(super::slope_std(&[5.0; 12]), (0.0, 0.0));
    }
}
