//! Implicit-feedback ALS (Hu, Koren and Volinsky 2008) on the customer x SKU matrix of the
//! lookback window before the cutoff: confidence 1 + alpha * lines, preference 1 where any line.
//! Item factors start from a fixed-seed generator and each user's and item's normal equations are
//! solved in a fixed order, so the embeddings are bit-for-bit reproducible.

use super::matrix::{Fill, Matrix};
use super::Ctx;
use crate::stages::history::{self, add_months};
use crate::synth::Rng;

/// Solves `a x = b` in place for a symmetric positive definite `a` by Cholesky decomposition;
/// `b` becomes `x`. Only the lower triangle of `a` (diagonal included) is read. The ridge term
/// keeps `a` positive definite.
fn solve_spd<const F: usize>(a: &mut [[f64; F]; F], b: &mut [f64; F]) {
    for j in 0..F {
        let mut d = a[j][j];
        for v in &a[j][..j] {
            d -= v * v;
        }
        let d = d.max(1e-12).sqrt();
        a[j][j] = d;
        for i in j + 1..F {
            let mut s = a[i][j];
            for (u, v) in a[i][..j].iter().zip(&a[j][..j]) {
                s -= u * v;
            }
            a[i][j] = s / d;
        }
    }
    for i in 0..F {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i][k] * b[k];
        }
        b[i] = s / a[i][i];
    }
    for i in (0..F).rev() {
        let mut s = b[i];
        for k in i + 1..F {
            s -= a[k][i] * b[k];
        }
        b[i] = s / a[i][i];
    }
}

/// One half-step: given the other side's factors `y` (row-major, f per row), solve every row's
/// factors: (YtY + Yt(C - I)Y + lambda I) x = Yt C p.
fn half_step(rows: &[Vec<(usize, f64)>], y: &[f64], f: usize, alpha: f64, lambda: f64) -> Vec<f64> {
    // The factor count as a constant: each system is then arrays on the stack with fixed loop
    // bounds (a heap copy of YtY per row and bounds-checked index arithmetic were most of a
    // `features` instance's time in ALS). `Params::check` allows 1 to 64 factors.
    macro_rules! by_size {
        ($($n:literal)*) => {
            match f {
                $($n => half_step_of::<$n>(rows, y, alpha, lambda),)*
                _ => panic!("ALS factors must be 1 to 64, got {f}"),
            }
        };
    }
    by_size!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
        33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62
        63 64)
}

fn half_step_of<const F: usize>(
    rows: &[Vec<(usize, f64)>],
    y: &[f64],
    alpha: f64,
    lambda: f64,
) -> Vec<f64> {
    use rayon::prelude::*;
    // Only the lower triangle (diagonal included) of each system is formed: it is all
    // `solve_spd` reads, and each entry is summed in the same order as the full matrix was.
    let mut yty = [[0.0; F]; F];
    for v in y.chunks_exact(F) {
        for a in 0..F {
            for b in 0..=a {
                yty[a][b] += v[a] * v[b];
            }
        }
    }
    let mut out = vec![0.0; rows.len() * F];
    out.par_chunks_mut(F)
        .zip(rows.par_iter())
        .for_each(|(x, obs)| {
            if obs.is_empty() {
                return;
            }
            let mut a = yty;
            let mut b = [0.0; F];
            for &(j, r) in obs {
                let c = 1.0 + alpha * r;
                let v = &y[j * F..(j + 1) * F];
                for p in 0..F {
                    b[p] += c * v[p];
                    let w = (c - 1.0) * v[p];
                    for q in 0..=p {
                        a[p][q] += w * v[q];
                    }
                }
            }
            for (p, row) in a.iter_mut().enumerate() {
                row[p] += lambda;
            }
            solve_spd(&mut a, &mut b);
            x.copy_from_slice(&b);
        });
    out
}

/// Customers with the same lines in the window (same SKUs, same counts) have the same normal
/// equations, so each distinct list is solved once and copied: a third fewer solves on the
/// default data, and the same bits (each system reads only its own list and the shared YtY).
struct Distinct {
    lists: Vec<Vec<(usize, f64)>>,
    /// Each user's list, `None` for a user without lines (whose factors stay zero).
    slot: Vec<Option<usize>>,
}

impl Distinct {
    fn of(users: Vec<Vec<(usize, f64)>>) -> Distinct {
        // Counts are whole numbers: their bits are an exact key.
        let mut slot_of: std::collections::HashMap<Vec<(usize, u64)>, usize> = Default::default();
        let mut lists = Vec::new();
        let slot = users
            .into_iter()
            .map(|obs| {
                (!obs.is_empty()).then(|| {
                    let key = obs.iter().map(|&(j, r)| (j, r.to_bits())).collect();
                    *slot_of.entry(key).or_insert_with(|| {
                        lists.push(obs);
                        lists.len() - 1
                    })
                })
            })
            .collect();
        Distinct { lists, slot }
    }

    /// The users' half-step into `x` (f values a user), as [`half_step`] on every user's list.
    fn solve_into(&self, x: &mut [f64], y: &[f64], f: usize, alpha: f64, lambda: f64) {
        let solved = half_step(&self.lists, y, f, alpha, lambda);
        for (u, s) in self.slot.iter().enumerate() {
            let to = &mut x[u * f..(u + 1) * f];
            match s {
                Some(s) => to.copy_from_slice(&solved[s * f..(s + 1) * f]),
                None => to.fill(0.0),
            }
        }
    }
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
    let users = Distinct::of(users);
    let mut rng = Rng::new(p.seed, 0xA15);
    let mut y: Vec<f64> = (0..n_items * f).map(|_| 0.1 * (rng.f64() - 0.5)).collect();
    let mut x: Vec<f64> = vec![0.0; n_users * f];
    for _ in 0..p.iterations {
        users.solve_into(&mut x, &y, f, p.alpha, p.regularization);
        y = half_step(&items, &x, f, p.alpha, p.regularization);
    }
    for k in 0..f {
        m.push(
            format!("als__f{k}"),
            "als",
            format!("implicit-ALS customer factor {k} ({f} factors, {} months of customer x SKU lines, seed {})", p.lookback_months, p.seed),
            ctx.rows.iter().map(|&i| Some((x[i * f + k] * 1e9).round() / 1e9)).collect(),
            Fill::Zero,
            false,
        );
    }
    // The factors' axes are arbitrary and differ from one cutoff's fit to the next, so a model
    // stacked over cutoffs cannot read `als__f0` as one column (training leaves them out; the
    // whitespace stage compares them only within one partition). What carries over is the
    // geometry: the cosine between a customer and the centroid of the target division's recent
    // buyers, in the same fit.
    let Some(div) = ctx.division else { return };
    let buyers: Vec<usize> = (0..n_users)
        .filter(|&u| {
            ctx.asof.lines[u]
                .iter()
                .any(|t| t.day > start && t.division == div)
        })
        .collect();
    if buyers.is_empty() {
        return;
    }
    let mut centroid = vec![0.0; f];
    for &u in &buyers {
        for k in 0..f {
            centroid[k] += x[u * f + k] / buyers.len() as f64;
        }
    }
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>().sqrt();
    let cn = norm(&centroid);
    m.push(
        "als__owner_cosine".to_string(),
        "als",
        format!("cosine between the customer's ALS factors and the mean factors of the target division's buyers in the last {} months (same fit; comparable across cutoffs, unlike the factors)", p.lookback_months),
        ctx.rows
            .iter()
            .map(|&i| {
                let v = &x[i * f..(i + 1) * f];
                let d = norm(v) * cn;
                let c = if d > 0.0 {
                    v.iter().zip(&centroid).map(|(a, b)| a * b).sum::<f64>() / d
                } else {
                    0.0
                };
                Some((c * 1e9).round() / 1e9)
            })
            .collect(),
        Fill::Zero,
        false,
    );
}

#[cfg(test)]
mod tests {
    /// `solve_spd` as first written, on a row-major slice.
    fn solve_spd_by_slices(a: &mut [f64], b: &mut [f64], f: usize) {
        for j in 0..f {
            let mut d = a[j * f + j];
            for k in 0..j {
                d -= a[j * f + k] * a[j * f + k];
            }
            let d = d.max(1e-12).sqrt();
            a[j * f + j] = d;
            for i in j + 1..f {
                let mut s = a[i * f + j];
                for k in 0..j {
                    s -= a[i * f + k] * a[j * f + k];
                }
                a[i * f + j] = s / d;
            }
        }
        for i in 0..f {
            let mut s = b[i];
            for k in 0..i {
                s -= a[i * f + k] * b[k];
            }
            b[i] = s / a[i * f + i];
        }
        for i in (0..f).rev() {
            let mut s = b[i];
            for k in i + 1..f {
                s -= a[k * f + i] * b[k];
            }
            b[i] = s / a[i * f + i];
        }
    }

    /// The half-step as first written: row-major slices of any size, a heap copy of YtY per row.
    fn half_step_by_slices(
        rows: &[Vec<(usize, f64)>],
        y: &[f64],
        f: usize,
        alpha: f64,
        lambda: f64,
    ) -> Vec<f64> {
        use rayon::prelude::*;
        // Only the lower triangle (diagonal included) of each system is formed: it is all
        // `solve_spd` reads, and each entry is summed in the same order as the full matrix was.
        let mut yty = vec![0.0; f * f];
        for v in y.chunks_exact(f) {
            for a in 0..f {
                let row = &mut yty[a * f..a * f + a + 1];
                for (e, &vb) in row.iter_mut().zip(&v[..=a]) {
                    *e += v[a] * vb;
                }
            }
        }
        let mut out = vec![0.0; rows.len() * f];
        out.par_chunks_mut(f)
            .zip(rows.par_iter())
            .for_each(|(x, obs)| {
                if obs.is_empty() {
                    return;
                }
                let mut a = yty.clone();
                for &(j, r) in obs {
                    let c = 1.0 + alpha * r;
                    let v = &y[j * f..(j + 1) * f];
                    for p in 0..f {
                        x[p] += c * v[p];
                        let w = (c - 1.0) * v[p];
                        let row = &mut a[p * f..p * f + p + 1];
                        for (e, &vq) in row.iter_mut().zip(&v[..=p]) {
                            *e += w * vq;
                        }
                    }
                }
                for p in 0..f {
                    a[p * f + p] += lambda;
                }
                solve_spd_by_slices(&mut a, x, f);
            });
        out
    }

    #[test]
    fn solves_small_spd_systems() {
        let (mut a, mut b) = ([[4.0, 1.0], [1.0, 3.0]], [1.0, 2.0]);
        super::solve_spd(&mut a, &mut b);
        assert!((b[0] - 1.0 / 11.0).abs() < 1e-12 && (b[1] - 7.0 / 11.0).abs() < 1e-12);
    }

    #[test]
    fn users_with_the_same_lines_are_solved_once_to_the_same_bits() {
        let users: Vec<Vec<(usize, f64)>> = vec![
            vec![(0, 2.0), (2, 1.0)],
            vec![],
            vec![(1, 1.0)],
            vec![(0, 2.0), (2, 1.0)],
            vec![(0, 1.0), (2, 1.0)],
            vec![(1, 1.0)],
        ];
        let (f, items) = (3, 3);
        let y: Vec<f64> = (0..items * f).map(|i| 0.05 * i as f64 - 0.2).collect();
        let every = super::half_step(&users, &y, f, 10.0, 0.1);
        let distinct = super::Distinct::of(users.clone());
        assert_eq!(distinct.lists.len(), 3, "three distinct non-empty lists");
        let mut x = vec![f64::NAN; users.len() * f];
        distinct.solve_into(&mut x, &y, f, 10.0, 0.1);
        let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&x), bits(&every));
    }

    #[test]
    fn fixed_size_systems_give_the_slices_bits() {
        let mut rng = crate::synth::Rng::new(5, 2);
        for f in [1, 3, 8, 13] {
            let (users, items) = (60, 9);
            let rows: Vec<Vec<(usize, f64)>> = (0..users)
                .map(|u| {
                    (0..items)
                        .filter(|j| (u * 7 + j * 3) % 5 < 2)
                        .map(|j| (j, (1 + (u + j) % 4) as f64))
                        .collect()
                })
                .collect();
            let y: Vec<f64> = (0..items * f).map(|_| 0.1 * (rng.f64() - 0.5)).collect();
            let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&super::half_step(&rows, &y, f, 10.0, 0.1)),
                bits(&half_step_by_slices(&rows, &y, f, 10.0, 0.1)),
                "f = {f}"
            );
        }
    }
}
