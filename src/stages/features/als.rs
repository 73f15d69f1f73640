//! Implicit-feedback ALS (Hu, Koren and Volinsky 2008) on the customer x SKU matrix of the
//! lookback window before the cutoff: confidence 1 + alpha * lines, preference 1 where any line.
//! Item factors start from a fixed-seed generator and each user's and item's normal equations are
//! solved in a fixed order, so the embeddings are bit-for-bit reproducible.

use super::matrix::{Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months};
use crate::synth::Rng;

/// Solves `a x = b` (f x f, symmetric positive definite) by Gaussian elimination with pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let f = b.len();
    for col in 0..f {
        let piv = (col..f)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, piv);
        b.swap(col, piv);
        let d = a[col][col];
        if d.abs() < 1e-300 {
            continue;
        }
        let pivot_row = a[col].clone();
        for r in col + 1..f {
            let k = a[r][col] / d;
            if k != 0.0 {
                for (x, p) in a[r][col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= k * p;
                }
                b[r] -= k * b[col];
            }
        }
    }
    let mut x = vec![0.0; f];
    for r in (0..f).rev() {
        let s: f64 = (r + 1..f).map(|c| a[r][c] * x[c]).sum();
        x[r] = if a[r][r].abs() < 1e-300 {
            0.0
        } else {
            (b[r] - s) / a[r][r]
        };
    }
    x
}

/// One half-step: given the other side's factors `y`, solve every row's factors.
fn half_step(
    rows: &[Vec<(usize, f64)>],
    y: &[Vec<f64>],
    f: usize,
    alpha: f64,
    lambda: f64,
) -> Vec<Vec<f64>> {
    use rayon::prelude::*;
    let mut yty = vec![vec![0.0; f]; f];
    for v in y {
        for a in 0..f {
            for b in 0..f {
                yty[a][b] += v[a] * v[b];
            }
        }
    }
    rows.par_iter()
        .map(|obs| {
            if obs.is_empty() {
                return vec![0.0; f];
            }
            let mut a = yty.clone();
            let mut b = vec![0.0; f];
            for &(j, r) in obs {
                let c = 1.0 + alpha * r;
                let v = &y[j];
                for p in 0..f {
                    b[p] += c * v[p];
                    for q in 0..f {
                        a[p][q] += (c - 1.0) * v[p] * v[q];
                    }
                }
            }
            for (p, row) in a.iter_mut().enumerate() {
                row[p] += lambda;
            }
            solve(a, b)
        })
        .collect()
}

pub fn add(ctx: &Ctx, m: &mut Matrix) {
    let p = &ctx.params.als;
    let f = p.factors;
    let start = history::day(add_months(ctx.cutoff, -(p.lookback_months as i32)));
    // Items: SKUs with a line in the window, in name order (so later SKUs cannot shift anything).
    let mut present = std::collections::BTreeSet::new();
    for lines in &ctx.asof.lines {
        present.extend(lines.iter().filter(|t| t.day > start).map(|t| t.sku));
    }
    let mut order: Vec<u16> = present.into_iter().collect();
    order.sort_by(|a, b| {
        ctx.asof.history.skus[*a as usize].cmp(&ctx.asof.history.skus[*b as usize])
    });
    let item_of: std::collections::HashMap<u16, usize> =
        order.iter().enumerate().map(|(j, &s)| (s, j)).collect();
    let n_items = order.len();
    // Users are every customer (the matrix rows are a subset); those without lines get zeros.
    let n_users = ctx.asof.lines.len();
    let mut users: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_users];
    for (u, lines) in ctx.asof.lines.iter().enumerate() {
        let mut counts = std::collections::BTreeMap::<usize, f64>::new();
        for t in lines.iter().filter(|t| t.day > start) {
            *counts.entry(item_of[&t.sku]).or_default() += 1.0;
        }
        users[u] = counts.into_iter().collect();
    }
    let mut items: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_items];
    for (u, obs) in users.iter().enumerate() {
        for &(j, r) in obs {
            items[j].push((u, r));
        }
    }
    let mut rng = Rng::new(p.seed, 0xA15);
    let mut y: Vec<Vec<f64>> = (0..n_items)
        .map(|_| (0..f).map(|_| 0.1 * (rng.f64() - 0.5)).collect())
        .collect();
    let mut x: Vec<Vec<f64>> = vec![vec![0.0; f]; n_users];
    for _ in 0..p.iterations {
        x = half_step(&users, &y, f, p.alpha, p.regularization);
        y = half_step(&items, &x, f, p.alpha, p.regularization);
    }
    #[allow(clippy::needless_range_loop)] // k indexes the factor within every customer's vector
    for k in 0..f {
        m.push(
            format!("als__f{k}"),
            "als",
            format!("implicit-ALS customer factor {k} ({f} factors, {} months of customer x SKU lines, seed {})", p.lookback_months, p.seed),
            ctx.rows.iter().map(|&i| Some((x[i][k] * 1e9).round() / 1e9)).collect(),
            Fill::Zero,
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn solves_small_systems() {
        let x = super::solve(vec![vec![4.0, 1.0], vec![1.0, 3.0]], vec![1.0, 2.0]);
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-12 && (x[1] - 7.0 / 11.0).abs() < 1e-12);
    }
}
