//! Market-basket affinity: how much more likely buyers of each SKU were to also buy the target
//! division, learned from the window (cutoff - 12 months, cutoff - lag], then summarised over each
//! customer's own SKUs in that window. The division's own SKUs are excluded (a SKU of the target
//! division trivially "predicts" it; the original leaked ownership that way).

use std::collections::{BTreeMap, BTreeSet};

use super::matrix::{Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months};

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let p = &ctx.params.market_basket;
    let start = history::day(add_months(ctx.cutoff, -12));
    let end = history::day(ctx.cutoff) - p.lag_days as i32;
    let div = ctx.division;
    // Per customer (all customers, not only this matrix's rows): SKUs held, and whether it bought the division.
    let n = ctx.asof.lines.len();
    let mut skus: Vec<BTreeSet<u16>> = vec![BTreeSet::new(); n];
    let mut bought = vec![false; n];
    let mut own_skus: BTreeSet<u16> = BTreeSet::new();
    for (i, lines) in ctx.asof.lines.iter().enumerate() {
        for t in lines.iter().filter(|t| t.day > start && t.day <= end) {
            if Some(t.division) == div {
                bought[i] = true;
                own_skus.insert(t.sku);
            } else {
                skus[i].insert(t.sku);
            }
        }
    }
    let active = (0..n).filter(|&i| bought[i] || !skus[i].is_empty()).count();
    let base = if active > 0 {
        bought.iter().filter(|&&b| b).count() as f64 / active as f64
    } else {
        0.0
    };
    let mut support: BTreeMap<u16, (usize, usize)> = BTreeMap::new();
    for i in 0..n {
        for &s in skus[i].iter().filter(|s| !own_skus.contains(s)) {
            let e = support.entry(s).or_default();
            e.0 += 1;
            e.1 += usize::from(bought[i]);
        }
    }
    let lift: BTreeMap<u16, f64> = support
        .into_iter()
        .filter(|(_, (sup, _))| *sup >= p.min_support)
        .map(|(s, (sup, both))| {
            (
                s,
                if base > 0.0 {
                    both as f64 / sup as f64 / base
                } else {
                    0.0
                },
            )
        })
        .collect();
    let per_row: Vec<Vec<f64>> = ctx
        .rows
        .iter()
        .map(|&i| {
            skus[i]
                .iter()
                .filter_map(|s| lift.get(s).copied())
                .collect()
        })
        .collect();
    let lag = p.lag_days;
    m.push(
        format!("affinity__lift_max__12m_lag{lag}d"),
        "affinity",
        "highest lift, over the customer's SKUs, of buying the target division (missing: no rated SKU)",
        per_row.iter().map(|v| v.iter().copied().reduce(f64::max)).collect(),
        Fill::Zero,
        false,
    );
    m.push(
        format!("affinity__lift_mean__12m_lag{lag}d"),
        "affinity",
        "mean lift, over the customer's SKUs, of buying the target division (missing: no rated SKU)",
        per_row.iter().map(|v| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)).collect(),
        Fill::Zero,
        false,
    );
}
