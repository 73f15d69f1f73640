//! Weighted elastic-net logistic regression, solved glmnet-style: an outer IRLS (quadratic
//! approximation of the log-likelihood) and an inner cyclic coordinate descent with
//! soft-thresholding; the intercept is not penalised.
//!
//! It minimises scikit-learn's objective
//! `C sum_i w_i logloss_i + l1_ratio ||b||_1 + (1 - l1_ratio)/2 ||b||^2`,
//! as `(1/W) sum_i w_i logloss_i + lambda (rho ||b||_1 + (1 - rho)/2 ||b||^2)` with
//! `W = sum_i w_i`, `lambda = 1 / (C W)`, `rho = l1_ratio`. Deterministic: no threads, fixed order.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Penalty {
    /// Inverse regularisation strength, as scikit-learn's `C`.
    pub c: f64,
    /// 0 = ridge, 1 = lasso.
    pub l1_ratio: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogReg {
    pub intercept: f64,
    pub coef: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The weighted Gram matrix `X'VX` (full, row-major, `p x p`) from row-major `xr` (`n x p`).
///
/// Accumulated as rank-one updates over blocks of rows: each entry still sums
/// `(x_ij v_i) x_ik` over `i` in row order, exactly as the dot products it replaces (so fits are
/// bit-identical), but the inner loop is an axpy over a row the compiler vectorises, where a dot
/// product is one serial chain of additions. Rows of the matrix are independent, so they are
/// filled in parallel without changing any sum.
fn weighted_gram(xr: &[f64], v: &[f64], n: usize, p: usize) -> Vec<f64> {
    use rayon::prelude::*;
    const BLOCK: usize = 128;
    let mut g = vec![0.0; p * p];
    for i0 in (0..n).step_by(BLOCK) {
        let i1 = (i0 + BLOCK).min(n);
        g.par_chunks_mut(p.max(1)).enumerate().for_each(|(j, gj)| {
            for i in i0..i1 {
                let row = &xr[i * p..(i + 1) * p];
                let a = row[j] * v[i];
                for (gk, &xk) in gj[j..].iter_mut().zip(&row[j..]) {
                    *gk += a * xk;
                }
            }
        });
    }
    for j in 0..p {
        for k in j + 1..p {
            g[k * p + j] = g[j * p + k];
        }
    }
    g
}

/// scikit-learn's `class_weight='balanced'`: n / (2 n_class(y_i)).
pub fn balanced_weights(y: &[u8]) -> Vec<f64> {
    let n = y.len() as f64;
    let pos = y.iter().filter(|&&v| v == 1).count() as f64;
    let neg = n - pos;
    y.iter()
        .map(|&v| {
            if v == 1 {
                n / (2.0 * pos.max(1.0))
            } else {
                n / (2.0 * neg.max(1.0))
            }
        })
        .collect()
}

impl LogReg {
    /// Fits on column-major `x` (`x[j][i]` is feature j of row i) to a tight tolerance.
    pub fn fit(x: &[Vec<f64>], y: &[u8], w: &[f64], pen: Penalty) -> LogReg {
        Self::fit_with(x, y, w, pen, None, 1e-10)
    }

    /// Fits from an optional warm start (a neighbouring solution on a regularisation path),
    /// stopping when no coefficient moves by more than `tol` in an outer iteration.
    pub fn fit_with(
        x: &[Vec<f64>],
        y: &[u8],
        w: &[f64],
        pen: Penalty,
        warm: Option<&LogReg>,
        tol: f64,
    ) -> LogReg {
        let n = y.len();
        let p = x.len();
        let total_w: f64 = w.iter().sum();
        let lambda = 1.0 / (pen.c * total_w);
        let (l1, l2) = (lambda * pen.l1_ratio, lambda * (1.0 - pen.l1_ratio));
        let (mut b0, mut b) = match warm {
            Some(m) if m.coef.len() == p => (m.intercept, m.coef.clone()),
            _ => (0.0, vec![0.0; p]),
        };
        // Row-major copy: the Gram matrix's rank-one updates and the linear predictor read rows
        // contiguously (a column-major walk per row missed the cache on every element).
        let xr: Vec<f64> = (0..n).flat_map(|i| x.iter().map(move |c| c[i])).collect();
        let linear = |b0: f64, b: &[f64], eta: &mut Vec<f64>| {
            eta.clear();
            eta.extend(
                xr.chunks_exact(p.max(1))
                    .take(n)
                    .map(|row| b0 + row.iter().zip(b).map(|(xij, bj)| xij * bj).sum::<f64>()),
            );
        };
        let mut eta: Vec<f64> = Vec::with_capacity(n);
        linear(b0, &b, &mut eta);
        let mut converged = false;
        let mut iterations = 0;
        // Tight tolerances (the golden tests) solve each quadratic to the end; loose ones (model
        // training) take a bounded number of sweeps per outer step.
        let (inner_tol, max_sweeps) = if tol <= 1e-9 {
            (tol * 1e-3, 100_000)
        } else {
            (tol * 1e-2, 5_000)
        };
        let max_outer = if tol <= 1e-9 { 200 } else { 50 };
        let objective = |eta: &[f64], b: &[f64]| -> f64 {
            let loss: f64 = eta
                .iter()
                .zip(y)
                .zip(w)
                .map(|((&e, &t), &wi)| {
                    wi * ((if e > 0.0 {
                        e + (-e).exp().ln_1p()
                    } else {
                        e.exp().ln_1p()
                    }) - t as f64 * e)
                })
                .sum::<f64>()
                / total_w;
            loss + l1 * b.iter().map(|x| x.abs()).sum::<f64>()
                + 0.5 * l2 * b.iter().map(|x| x * x).sum::<f64>()
        };
        let mut last_obj = objective(&eta, &b);
        for outer in 0..max_outer {
            iterations = outer + 1;
            // Quadratic approximation at the current point.
            let mut v = vec![0.0; n];
            let mut z = vec![0.0; n];
            for i in 0..n {
                let pr = sigmoid(eta[i]).clamp(1e-12, 1.0 - 1e-12);
                let vv = pr * (1.0 - pr);
                v[i] = w[i] * vv / total_w;
                z[i] = eta[i] + (y[i] as f64 - pr) / vv;
            }
            // Covariance updates (glmnet): with the weighted Gram matrix G = X'VX, c = X'Vz and
            // s = X'V1, a coordinate step costs O(p) instead of O(n).
            let sv: f64 = v.iter().sum();
            let vz: f64 = v.iter().zip(&z).map(|(a, b)| a * b).sum();
            let sx: Vec<f64> = (0..p)
                .map(|j| x[j].iter().zip(&v).map(|(a, b)| a * b).sum())
                .collect();
            let cz: Vec<f64> = (0..p)
                .map(|j| {
                    x[j].iter()
                        .zip(&v)
                        .zip(&z)
                        .map(|((a, b), c)| a * b * c)
                        .sum()
                })
                .collect();
            let gram = weighted_gram(&xr, &v, n, p);
            let g = |j: usize, k: usize| gram[j * p + k];
            let mut gb: Vec<f64> = (0..p)
                .map(|j| (0..p).map(|k| g(j, k) * b[k]).sum())
                .collect();
            let old = (b0, b.clone());
            // The inner problem need not be solved exactly: the outer loop resumes from here.
            for _ in 0..max_sweeps {
                let new0 = (vz - sx.iter().zip(&b).map(|(a, c)| a * c).sum::<f64>()) / sv;
                let mut delta: f64 = (new0 - b0).abs();
                b0 = new0;
                for j in 0..p {
                    let gjj = g(j, j);
                    let rho_j = cz[j] - b0 * sx[j] - gb[j] + gjj * b[j];
                    let new = if rho_j > l1 {
                        (rho_j - l1) / (gjj + l2)
                    } else if rho_j < -l1 {
                        (rho_j + l1) / (gjj + l2)
                    } else {
                        0.0
                    };
                    let d = new - b[j];
                    if d != 0.0 {
                        for (gbk, &gkj) in gb.iter_mut().zip(&gram[j * p..(j + 1) * p]) {
                            *gbk += gkj * d;
                        }
                        b[j] = new;
                        delta = delta.max(d.abs());
                    }
                }
                if delta < inner_tol {
                    break;
                }
            }
            linear(b0, &b, &mut eta);
            let change = (b0 - old.0).abs().max(
                b.iter()
                    .zip(&old.1)
                    .map(|(a, c)| (a - c).abs())
                    .fold(0.0, f64::max),
            );
            let obj = objective(&eta, &b);
            // Loose fits also stop when the penalised loss no longer moves (relative 1e-9): with
            // nearly separable or collinear features the coefficients can creep for a long time.
            let flat = tol > 1e-9 && (last_obj - obj).abs() <= 1e-8 * last_obj.abs().max(1e-12);
            last_obj = obj;
            if flat {
                converged = true;
                break;
            }
            if change < tol {
                converged = true;
                break;
            }
        }
        LogReg {
            intercept: b0,
            coef: b,
            iterations,
            converged,
        }
    }

    /// Probability for one row given as a feature vector.
    pub fn predict(&self, row: &[f64]) -> f64 {
        sigmoid(self.intercept + row.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::{floats, golden};

    #[test]
    fn matches_scikit_learn_elastic_net_fits() {
        let g = golden("elasticnet_logreg.json");
        let rows: Vec<Vec<f64>> = g["X"].as_array().unwrap().iter().map(floats).collect();
        let y: Vec<u8> = floats(&g["y"]).iter().map(|&v| v as u8).collect();
        let p = rows[0].len();
        let x: Vec<Vec<f64>> = (0..p)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        for fit in g["fits"].as_array().unwrap() {
            let pen = Penalty {
                c: fit["C"].as_f64().unwrap(),
                l1_ratio: fit["l1_ratio"].as_f64().unwrap(),
            };
            let w = if fit["class_weight"] == "balanced" {
                balanced_weights(&y)
            } else {
                vec![1.0; y.len()]
            };
            let m = LogReg::fit(&x, &y, &w, pen);
            assert!(m.converged, "{fit}");
            let want = floats(&fit["coef"]);
            let b0 = fit["intercept"].as_f64().unwrap();
            assert!(
                (m.intercept - b0).abs() < 1e-3,
                "intercept {} vs {b0} for {pen:?} {}",
                m.intercept,
                fit["class_weight"]
            );
            for (j, (got, want)) in m.coef.iter().zip(&want).enumerate() {
                assert!(
                    (got - want).abs() < 1e-3,
                    "coef {j}: {got} vs {want} for {pen:?} {}",
                    fit["class_weight"]
                );
                if *want == 0.0 {
                    assert!(got.abs() < 1e-6, "coef {j} should be zero, is {got}");
                }
            }
        }
    }
}
