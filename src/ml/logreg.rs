//! Weighted elastic-net logistic regression, solved glmnet-style: an outer IRLS (quadratic
//! approximation of the log-likelihood) and an inner cyclic coordinate descent with
//! soft-thresholding; the intercept is not penalised.
//!
//! It minimises scikit-learn's objective
//! `C sum_i w_i logloss_i + l1_ratio ||b||_1 + (1 - l1_ratio)/2 ||b||^2`,
//! as `(1/W) sum_i w_i logloss_i + lambda (rho ||b||_1 + (1 - rho)/2 ||b||^2)` with
//! `W = sum_i w_i`, `lambda = 1 / (C W)`, `rho = l1_ratio`. Deterministic: no threads, fixed order.

use serde::{Deserialize, Serialize};

use super::gram::weighted_gram;
pub use super::gram::Design;

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

/// An IRLS step reuses the previous step's curvature (its Gram matrix `X'VX`, half the cost of
/// a fit) while the weights `v` have moved by at most this fraction of their total since it was
/// computed. Near the optimum the weights barely move, and Newton's last steps recomputed almost
/// the same matrix; far from it (a cold start) they move a lot and it is recomputed. Measured on
/// the default data: a third fewer Gram matrices for one or two more (cheap) IRLS steps; looser
/// thresholds (0.1 and up) cost more steps than they save, as the approximate Newton step then
/// converges only linearly.
const CURVATURE_REUSE: f64 = 0.005;

/// The curvature of one IRLS quadratic: the weights it was computed at, `X'V1`, `1'V1`, `X'VX`.
struct Curvature {
    /// Its number in the fit, naming it to a kept [`Face`].
    id: usize,
    v: Vec<f64>,
    sx: Vec<f64>,
    sv: f64,
    gram: std::rc::Rc<Vec<f64>>,
}

/// Newton steps per quadratic at most (each a Cholesky of up to p + 1 unknowns); sweeps go on
/// after that.
const MAX_NEWTON: usize = 300;

/// Rows summed together by [`linear_predictor`].
const LINEAR_ROWS: usize = 4;

/// `eta_i = b0 + x_i . b` for every row, each sum taken in column order (as a plain loop takes
/// it, so the same bits). Four rows at a time: one row's sum is a chain of additions each waiting
/// on the last, and four independent chains overlap where one could not.
fn linear_predictor(x: &Design, b0: f64, b: &[f64], eta: &mut [f64]) {
    let row_sum = |i: usize| -> f64 {
        x.row(i)
            .iter()
            .zip(b)
            .map(|(&xij, bj)| f64::from(xij) * bj)
            .sum::<f64>()
    };
    let done = eta.len() / LINEAR_ROWS * LINEAR_ROWS;
    for (k, block) in eta.chunks_exact_mut(LINEAR_ROWS).enumerate() {
        let first = k * LINEAR_ROWS;
        let (r0, r1, r2, r3) = (
            x.row(first),
            x.row(first + 1),
            x.row(first + 2),
            x.row(first + 3),
        );
        // -0.0: where `Iterator::sum` starts (a sum of negative zeros stays negative).
        let mut acc = [-0.0f64; LINEAR_ROWS];
        for ((((&bj, &a0), &a1), &a2), &a3) in b.iter().zip(r0).zip(r1).zip(r2).zip(r3) {
            acc[0] += f64::from(a0) * bj;
            acc[1] += f64::from(a1) * bj;
            acc[2] += f64::from(a2) * bj;
            acc[3] += f64::from(a3) * bj;
        }
        for (e, a) in block.iter_mut().zip(acc) {
            *e = b0 + a;
        }
    }
    for (i, e) in eta.iter_mut().enumerate().skip(done) {
        *e = b0 + row_sum(i);
    }
}

/// Each coefficient's sign (-1, 0, 1): the active set and the face of the L1 ball it is on.
fn signs(b: &[f64]) -> Vec<i8> {
    b.iter()
        .map(|&v| (v > 0.0) as i8 - (v < 0.0) as i8)
        .collect()
}

/// Where a Newton step on a face ended.
enum Step {
    /// At the minimiser of the whole quadratic: every zero coefficient's subgradient is
    /// within `l1`.
    Exact,
    /// Where a coefficient reached zero, before the face's minimiser.
    Cut,
    /// At the face's minimiser, but a zero coefficient should enter the active set.
    Enter,
}

/// The Cholesky factor of the last face's system, kept between Newton steps: a step that cuts
/// a coefficient leaves the next face one coefficient smaller, and the factor loses a row and
/// column in O(m^2) instead of being computed again in O(m^3) (on the default data an L1 fit
/// took about 30 cuts per quadratic, and factoring was half its time). It also serves the next
/// quadratic while that keeps the curvature (see `CURVATURE_REUSE`) and the face.
struct Face {
    /// Which curvature (Gram matrix) the factor is of.
    curvature: usize,
    act: Vec<usize>,
    l: Vec<f64>,
}

impl Face {
    /// The factor of the face `act` if it is this face less a few coefficients.
    fn without(self, act: &[usize]) -> Option<Vec<f64>> {
        let dropped = self.act.len().checked_sub(act.len())?;
        // Past about m/8 deletions, factoring afresh is cheaper.
        if dropped == 0 || dropped > self.act.len() / 8 + 1 {
            return None;
        }
        let mut keep = act.iter().peekable();
        let mut gone = Vec::with_capacity(dropped);
        for (r, j) in self.act.iter().enumerate() {
            if keep.peek() == Some(&j) {
                keep.next();
            } else {
                gone.push(r + 1);
            }
        }
        if keep.next().is_some() {
            return None;
        }
        let mut n = self.act.len() + 1;
        let mut l = self.l;
        // From the last, so the earlier positions stay where they were.
        for &k in gone.iter().rev() {
            l = super::cholesky::delete(&l, n, k)?;
            n -= 1;
        }
        Some(l)
    }
}

/// One IRLS step's penalised weighted least squares, in covariance form:
/// `min 1/2 [b0 b]' H [b0 b] - [vz cz]' [b0 b] + l1 |b|_1 + l2/2 |b|^2`, with
/// `H = [[sv, sx'], [sx, gram]]`.
struct Quadratic<'a> {
    gram: &'a [f64],
    sx: &'a [f64],
    cz: &'a [f64],
    sv: f64,
    vz: f64,
    l1: f64,
    l2: f64,
    p: usize,
    /// Which curvature `gram` is (a count of the Gram matrices computed in the fit).
    curvature: usize,
}

impl Quadratic<'_> {
    /// The stationarity system of the face whose nonzero coefficients are `act` (the
    /// intercept first): `H` restricted to them, plus the ridge term.
    fn system(&self, act: &[usize]) -> Vec<f64> {
        let (p, m) = (self.p, act.len() + 1);
        let mut a = vec![0.0; m * m];
        a[0] = self.sv;
        for (r, &j) in act.iter().enumerate() {
            a[(r + 1) * m] = self.sx[j];
            a[r + 1] = self.sx[j];
            for (c, &k) in act.iter().enumerate() {
                a[(r + 1) * m + c + 1] = self.gram[j * p + k] + if j == k { self.l2 } else { 0.0 };
            }
        }
        a
    }

    /// A Newton step on the face of sign pattern `s` from `(b0, b)` (which is on it): the
    /// stationarity equations of the nonzero coefficients (signs fixed, so the L1 term is
    /// linear) solved by Cholesky. If the solution keeps every sign, it is the face's minimiser;
    /// else the step stops where the first coefficient reaches zero (the objective is that
    /// quadratic all along the way, so it still decreases). Returns the new point and what it
    /// is. `None` when the system is singular.
    fn newton(
        &self,
        s: &[i8],
        b0: f64,
        b: &[f64],
        face: &mut Option<Face>,
    ) -> Option<(f64, Vec<f64>, Step)> {
        let p = self.p;
        // Without an L1 term the objective is smooth: every coefficient is free, of any sign.
        let act: Vec<usize> = (0..p).filter(|&j| self.l1 == 0.0 || s[j] != 0).collect();
        let m = act.len() + 1;
        let l = match face.take() {
            Some(f) if f.curvature == self.curvature && f.act == act => Some(f.l),
            Some(f) if f.curvature == self.curvature => f.without(&act),
            _ => None,
        };
        let l = match l {
            Some(l) => l,
            None => super::cholesky::factor(&self.system(&act), m)?,
        };
        let mut rhs = vec![0.0; m];
        rhs[0] = self.vz;
        for (r, &j) in act.iter().enumerate() {
            rhs[r + 1] = self.cz[j] - self.l1 * f64::from(s[j]);
        }
        let x = super::cholesky::solve_factored(&l, &rhs, m)?;
        let act = &face
            .insert(Face {
                curvature: self.curvature,
                act,
                l,
            })
            .act;
        // The largest step t in (0, 1] that keeps every active sign (exactly zero at the stop).
        let mut t = 1.0;
        let mut stop = None;
        if self.l1 > 0.0 {
            for (r, &j) in act.iter().enumerate() {
                if x[r + 1] * f64::from(s[j]) <= 0.0 {
                    let tj = b[j] / (b[j] - x[r + 1]);
                    if tj < t {
                        t = tj;
                        stop = Some(j);
                    }
                }
            }
        }
        let mut nb = vec![0.0; p];
        for (r, &j) in act.iter().enumerate() {
            nb[j] = b[j] + t * (x[r + 1] - b[j]);
        }
        let n0 = b0 + t * (x[0] - b0);
        if let Some(j) = stop {
            nb[j] = 0.0;
            return Some((n0, nb, Step::Cut));
        }
        let kkt = (0..p).filter(|&j| self.l1 > 0.0 && s[j] == 0).all(|j| {
            let row = &self.gram[j * p..(j + 1) * p];
            let rho =
                self.cz[j] - n0 * self.sx[j] - act.iter().map(|&k| row[k] * nb[k]).sum::<f64>();
            rho.abs() <= self.l1
        });
        Some((n0, nb, if kkt { Step::Exact } else { Step::Enter }))
    }
}

/// scikit-learn's `class_weight='balanced'`: n / (2 n_class(y_i)).
pub fn balanced_weights(y: &[u8]) -> Vec<f64> {
    let pos = y.iter().filter(|&&v| v == 1).count();
    let (w_pos, w_neg) = balanced_class_weights(pos, y.len() - pos);
    y.iter()
        .map(|&v| if v == 1 { w_pos } else { w_neg })
        .collect()
}

/// The weights [`balanced_weights`] gives a positive and a negative row, from the class counts.
pub fn balanced_class_weights(pos: usize, neg: usize) -> (f64, f64) {
    let n = (pos + neg) as f64;
    (
        n / (2.0 * (pos as f64).max(1.0)),
        n / (2.0 * (neg as f64).max(1.0)),
    )
}

impl LogReg {
    /// Fits on column-major `x` (`x[j][i]` is feature j of row i) to a tight tolerance.
    pub fn fit(x: &[Vec<f64>], y: &[u8], w: &[f64], pen: Penalty) -> LogReg {
        let d = Design::from_columns(y.len(), x.len(), |j, i| x[j][i]);
        Self::fit_design(&d, y, w, pen, None, 1e-10)
    }

    /// Fits from an optional warm start (a neighbouring solution on a regularisation path),
    /// stopping when no coefficient moves by more than `tol` in an outer iteration.
    pub fn fit_design(
        x: &Design,
        y: &[u8],
        w: &[f64],
        pen: Penalty,
        warm: Option<&LogReg>,
        tol: f64,
    ) -> LogReg {
        let n = y.len();
        let p = x.p;
        assert_eq!(x.n, n, "one label per design row");
        let total_w: f64 = w.iter().sum();
        let lambda = 1.0 / (pen.c * total_w);
        let (l1, l2) = (lambda * pen.l1_ratio, lambda * (1.0 - pen.l1_ratio));
        let (mut b0, mut b) = match warm {
            Some(m) if m.coef.len() == p => (m.intercept, m.coef.clone()),
            _ => (0.0, vec![0.0; p]),
        };
        let linear = |b0: f64, b: &[f64], eta: &mut [f64]| linear_predictor(x, b0, b, eta);
        // `X' r` for a vector over rows, summed row by row in `f64`.
        let times_rows = |r: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; p];
            for (i, &ri) in r.iter().enumerate() {
                for (o, &xij) in out.iter_mut().zip(x.row(i)) {
                    *o += f64::from(xij) * ri;
                }
            }
            out
        };
        let mut eta = vec![0.0; n];
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
        // The curvature of the last quadratic (IRLS weights `v`, `X'V1`, `1'V1`, `X'VX`), kept
        // while the weights stay close: see `CURVATURE_REUSE`.
        let mut curvature: Option<Curvature> = None;
        let mut curvatures = 0;
        // The last Newton step's factored face (see `Face`).
        let mut face: Option<Face> = None;
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
            let reuse = curvature
                .as_ref()
                .is_some_and(|Curvature { v: old_v, .. }| {
                    let moved: f64 = old_v.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
                    moved <= CURVATURE_REUSE * old_v.iter().sum::<f64>()
                });
            if !reuse {
                // Covariance updates (glmnet): with the weighted Gram matrix G = X'VX and
                // s = X'V1, a coordinate step costs O(p) instead of O(n).
                let sv: f64 = v.iter().sum();
                let sx = times_rows(&v);
                let gram = std::rc::Rc::new(weighted_gram(x, &v, &sx, sv));
                curvatures += 1;
                curvature = Some(Curvature {
                    id: curvatures,
                    v: v.clone(),
                    sx,
                    sv,
                    gram,
                });
            }
            // The curvature (fresh or kept), the exact gradient: the quadratic's linear terms
            // are `H beta - grad` at the current point, so its minimiser is a proximal Newton
            // step, and a fixed point is the true optimum whatever the precision of `H`.
            let Curvature {
                id, sx, sv, gram, ..
            } = curvature.as_ref().expect("a curvature");
            let (id, sx, sv, gram) = (*id, sx.clone(), *sv, std::rc::Rc::clone(gram));
            // grad_i = w_i (pr_i - y_i) / W; with z, v above: v_i (eta_i - z_i).
            let r: Vec<f64> = (0..n).map(|i| v[i] * (eta[i] - z[i])).collect();
            let g0: f64 = r.iter().sum();
            let g = |j: usize, k: usize| gram[j * p + k];
            // G b, kept current by each coordinate update and recomputed after a Newton step.
            let times_gram = |b: &[f64]| -> Vec<f64> {
                (0..p)
                    .map(|j| (0..p).map(|k| g(j, k) * b[k]).sum())
                    .collect()
            };
            let mut gb = times_gram(&b);
            let xr = times_rows(&r);
            let cz: Vec<f64> = (0..p).map(|j| sx[j] * b0 + gb[j] - xr[j]).collect();
            let vz = sv * b0 + sx.iter().zip(&b).map(|(a, c)| a * c).sum::<f64>() - g0;
            let old = (b0, b.clone());
            let q = Quadratic {
                gram: &gram,
                sx: &sx,
                cz: &cz,
                sv,
                vz,
                l1,
                l2,
                p,
                curvature: id,
            };
            // Coordinate sweeps find the active set; once its signs hold still, one Newton step
            // on it solves the quadratic exactly (an ill-conditioned quadratic can take
            // thousands of sweeps to creep to the same point). Sweeps resume if it fails.
            let mut newton_steps = 0;
            for sweep in 0..max_sweeps {
                let new0 = (vz - sx.iter().zip(&b).map(|(a, c)| a * c).sum::<f64>()) / sv;
                let mut delta: f64 = (new0 - b0).abs();
                b0 = new0;
                let signs_before = signs(&b);
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
                let pattern = signs(&b);
                if sweep > 0 && pattern == signs_before && newton_steps < MAX_NEWTON {
                    // The active-set phase: Newton steps on the current face; a coefficient
                    // that reaches zero leaves the face and the step is solved again without
                    // it. A sweep follows only when a zero coefficient should enter.
                    let mut exact = false;
                    while newton_steps < MAX_NEWTON {
                        newton_steps += 1;
                        let Some((n0, nb, step)) = q.newton(&signs(&b), b0, &b, &mut face) else {
                            break;
                        };
                        b0 = n0;
                        b = nb;
                        match step {
                            Step::Exact => exact = true,
                            Step::Cut => continue,
                            Step::Enter => {}
                        }
                        break;
                    }
                    gb = times_gram(&b);
                    if exact {
                        break;
                    }
                }
            }
            linear(b0, &b, &mut eta);
            let mut obj = objective(&eta, &b);
            // A full Newton step can overshoot far from the optimum (a warm start from other
            // rows, nearly separable data): halve it back towards the previous point until the
            // penalised loss does not rise. The objective is convex, so this ends.
            let (full0, full) = (b0, b.clone());
            let mut t = 1.0;
            while obj > last_obj * (1.0 + 1e-12) && t > 1e-6 {
                t *= 0.5;
                b0 = old.0 + t * (full0 - old.0);
                for ((bj, &fj), &oj) in b.iter_mut().zip(&full).zip(&old.1) {
                    *bj = oj + t * (fj - oj);
                }
                linear(b0, &b, &mut eta);
                obj = objective(&eta, &b);
            }
            let change = (b0 - old.0).abs().max(
                b.iter()
                    .zip(&old.1)
                    .map(|(a, c)| (a - c).abs())
                    .fold(0.0, f64::max),
            );
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
        self.probability(row.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>())
    }

    /// Probability for a row whose `sum_j x_j b_j` (without the intercept) is `z`.
    pub fn probability(&self, z: f64) -> f64 {
        sigmoid(self.intercept + z)
    }
}

#[cfg(test)]
mod tests;
