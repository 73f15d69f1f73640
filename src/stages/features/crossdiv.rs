//! Cross-division families: per division, 12-month gross profit and line count, the raw and the
//! empirical-Bayes smoothed share of the customer's lines, and days since its last purchase.

use super::matrix::{key, Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months, Txn};

/// Per row: 12-month (lines, gp) per division, and the share-of-lines shrunk towards the
/// population's share with a prior worth `strength` lines: (n_d + k p_d) / (n + k).
pub fn add(ctx: &Ctx, m: &mut Matrix) -> Vec<Vec<f64>> {
    let h = ctx.asof.history;
    // Column index of each history division (None: not a listed division).
    let slot: Vec<Option<usize>> = h
        .divisions
        .iter()
        .map(|d| ctx.divisions.iter().position(|x| x == d))
        .collect();
    let nd = ctx.divisions.len();
    let c = history::day(ctx.cutoff);
    let start12 = history::day(add_months(ctx.cutoff, -12));
    let mut tx = vec![vec![0.0; nd]; ctx.rows.len()];
    let mut gp = vec![vec![0.0; nd]; ctx.rows.len()];
    let mut last: Vec<Vec<Option<f64>>> = vec![vec![None; nd]; ctx.rows.len()];
    for (r, &i) in ctx.rows.iter().enumerate() {
        let lines: &[Txn] = ctx.asof.lines[i];
        for t in lines {
            let Some(d) = slot[t.division as usize] else {
                continue;
            };
            last[r][d] = Some((c - t.day) as f64);
            if t.day > start12 {
                tx[r][d] += 1.0;
                gp[r][d] += t.gp;
            }
        }
    }
    let total_lines: f64 = tx.iter().flatten().sum();
    let prior: Vec<f64> = (0..nd)
        .map(|d| {
            if total_lines > 0.0 {
                tx.iter().map(|row| row[d]).sum::<f64>() / total_lines
            } else {
                0.0
            }
        })
        .collect();
    let k = ctx.params.eb_prior_strength;
    let mut eb_shares = vec![vec![0.0; nd]; ctx.rows.len()];
    for (d, name) in ctx.divisions.iter().enumerate() {
        let dk = key(name);
        m.push(
            format!("xdiv__{dk}__gp__12m"),
            "cross_division",
            format!("gross profit in {name} in the 12 months to the cutoff"),
            tx.iter().enumerate().map(|(r, _)| Some(gp[r][d])).collect(),
            Fill::Zero,
            true,
        );
        m.push(
            format!("xdiv__{dk}__tx_n__12m"),
            "cross_division",
            format!("lines in {name} in the 12 months to the cutoff"),
            tx.iter().map(|row| Some(row[d])).collect(),
            Fill::Zero,
            false,
        );
        m.push(
            format!("xdiv__{dk}__share__12m"),
            "cross_division",
            format!("share of the customer's 12-month lines that were {name} (missing: no lines)"),
            tx.iter()
                .map(|row| {
                    let n: f64 = row.iter().sum();
                    (n > 0.0).then(|| row[d] / n)
                })
                .collect(),
            Fill::Zero,
            false,
        );
        let eb: Vec<Option<f64>> = tx
            .iter()
            .map(|row| {
                let n: f64 = row.iter().sum();
                Some(if n + k > 0.0 {
                    (row[d] + k * prior[d]) / (n + k)
                } else {
                    prior[d]
                })
            })
            .collect();
        for (r, v) in eb.iter().enumerate() {
            eb_shares[r][d] = v.unwrap_or(0.0);
        }
        m.push(
            format!("xdiv__{dk}__share_eb__12m"),
            "cross_division",
            format!("empirical-Bayes share of 12-month lines in {name}: (n_d + k p_d) / (n + k), k = {k}, p_d = population share {:.4}", prior[d]),
            eb,
            Fill::Zero,
            false,
        );
        m.push(
            format!("xdiv__{dk}__days_since"),
            "cross_division",
            format!("days since the last {name} line (missing: never)"),
            last.iter().map(|row| row[d]).collect(),
            Fill::Never,
            false,
        );
    }
    eb_shares
}
