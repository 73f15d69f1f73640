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
    /// Fits on column-major `x` (`x[j][i]` is feature j of row i).
    pub fn fit(x: &[Vec<f64>], y: &[u8], w: &[f64], pen: Penalty) -> LogReg {
        let n = y.len();
        let p = x.len();
        let total_w: f64 = w.iter().sum();
        let lambda = 1.0 / (pen.c * total_w);
        let (l1, l2) = (lambda * pen.l1_ratio, lambda * (1.0 - pen.l1_ratio));
        let mut b0 = 0.0;
        let mut b = vec![0.0; p];
        let mut eta = vec![0.0; n];
        let mut converged = false;
        let mut iterations = 0;
        for outer in 0..200 {
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
            let xv: Vec<f64> = (0..p)
                .map(|j| x[j].iter().zip(&v).map(|(a, b)| a * a * b).sum())
                .collect();
            let sv: f64 = v.iter().sum();
            // Residuals r = z - b0 - X b, kept up to date through the coordinate moves.
            let mut r: Vec<f64> = (0..n).map(|i| z[i] - eta[i]).collect();
            let old = (b0, b.clone());
            for _ in 0..10_000 {
                let mut delta: f64 = 0.0;
                let shift = r.iter().zip(&v).map(|(a, b)| a * b).sum::<f64>() / sv;
                b0 += shift;
                r.iter_mut().for_each(|ri| *ri -= shift);
                delta = delta.max(shift.abs());
                for j in 0..p {
                    let xj = &x[j];
                    let rho_j: f64 = xj
                        .iter()
                        .zip(&r)
                        .zip(&v)
                        .map(|((a, ri), vi)| a * ri * vi)
                        .sum::<f64>()
                        + xv[j] * b[j];
                    let new = if rho_j > l1 {
                        (rho_j - l1) / (xv[j] + l2)
                    } else if rho_j < -l1 {
                        (rho_j + l1) / (xv[j] + l2)
                    } else {
                        0.0
                    };
                    let d = new - b[j];
                    if d != 0.0 {
                        for (ri, a) in r.iter_mut().zip(xj) {
                            *ri -= d * a;
                        }
                        b[j] = new;
                        delta = delta.max(d.abs());
                    }
                }
                if delta < 1e-13 {
                    break;
                }
            }
            for (i, e) in eta.iter_mut().enumerate() {
                *e = b0 + (0..p).map(|j| x[j][i] * b[j]).sum::<f64>();
            }
            let change = (b0 - old.0).abs().max(
                b.iter()
                    .zip(&old.1)
                    .map(|(a, c)| (a - c).abs())
                    .fold(0.0, f64::max),
            );
            if change < 1e-10 {
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
