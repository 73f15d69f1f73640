//! Probability calibration: Platt scaling (scikit-learn's `_sigmoid_calibration`, prior-corrected
//! targets) and isotonic regression (pool-adjacent-violators, tied x averaged first, linear
//! interpolation between fitted points, clipped outside the fitted range).

use serde::{Deserialize, Serialize};

/// p = 1 / (1 + exp(a f + b)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// Fits by Newton's method with backtracking (Lin, Lin and Weng 2007), to a gradient of 1e-12.
    pub fn fit(f: &[f64], y: &[u8]) -> Platt {
        let n_pos = y.iter().filter(|&&v| v == 1).count() as f64;
        let n_neg = y.len() as f64 - n_pos;
        let hi = (n_pos + 1.0) / (n_pos + 2.0);
        let lo = 1.0 / (n_neg + 2.0);
        let t: Vec<f64> = y.iter().map(|&v| if v == 1 { hi } else { lo }).collect();
        let objective = |a: f64, b: f64| -> f64 {
            f.iter()
                .zip(&t)
                .map(|(&fi, &ti)| {
                    let z = fi * a + b;
                    if z >= 0.0 {
                        ti * z + (-z).exp().ln_1p()
                    } else {
                        (ti - 1.0) * z + z.exp().ln_1p()
                    }
                })
                .sum()
        };
        let (mut a, mut b) = (0.0, ((n_neg + 1.0) / (n_pos + 1.0)).ln());
        let mut fval = objective(a, b);
        for _ in 0..200 {
            let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
            for (&fi, &ti) in f.iter().zip(&t) {
                let z = fi * a + b;
                let (p, q) = if z >= 0.0 {
                    let e = (-z).exp();
                    (e / (1.0 + e), 1.0 / (1.0 + e))
                } else {
                    let e = z.exp();
                    (1.0 / (1.0 + e), e / (1.0 + e))
                };
                let d2 = p * q;
                h11 += fi * fi * d2;
                h22 += d2;
                h21 += fi * d2;
                let d1 = ti - p;
                g1 += fi * d1;
                g2 += d1;
            }
            if g1.abs() < 1e-12 && g2.abs() < 1e-12 {
                break;
            }
            let det = h11 * h22 - h21 * h21;
            let da = -(h22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + h11 * g2) / det;
            let gd = g1 * da + g2 * db;
            // Converged to the precision of the sums: a smaller step cannot be told from
            // rounding (the line search would halve it 40 times, n logarithms each, for nothing).
            if -gd <= 1e-13 * fval.abs().max(1.0) {
                break;
            }
            let mut step = 1.0;
            let mut moved = false;
            while step >= 1e-12 {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = objective(na, nb);
                if nf <= fval + 1e-4 * step * gd {
                    a = na;
                    b = nb;
                    fval = nf;
                    moved = true;
                    break;
                }
                step /= 2.0;
            }
            if !moved {
                break;
            }
        }
        Platt { a, b }
    }

    pub fn predict(&self, f: f64) -> f64 {
        let z = self.a * f + self.b;
        if z >= 0.0 {
            let e = (-z).exp();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + z.exp())
        }
    }
}

/// How far an isotonic prediction may move to break the ties of its flat steps: far below any
/// figure reported (probabilities are written to 6 decimals) and scikit-learn's tolerance.
pub const TIE_RAMP: f64 = 1e-10;

/// A non-decreasing step-then-linear map from score to probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Isotonic {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Isotonic {
    /// Scikit-learn's `IsotonicRegression` (clipped to [0, 1]): each step the mean of its rows.
    pub fn fit(x: &[f64], y: &[f64]) -> Isotonic {
        let (xs, blocks) = Isotonic::blocks(x, y);
        Isotonic::from_blocks(xs, &blocks)
    }

    /// [`Isotonic::fit`] where a step of no buyer (or of buyers only) has its rate estimated by
    /// Jeffreys' rule, `(buyers + 1/2) / (rows + 1)`, instead of its plain mean: a step of 957
    /// rows and no buyer is 1/1916, not 0. The plain mean claims a certainty the rows cannot
    /// give: published as ~1e-10, it made the holdout's log loss worse than a constant's, and
    /// two of the 957 customers of such a step bought. Every other step is the plain mean.
    /// Steps are pooled again where the estimate made them cross, so the map never decreases.
    pub fn fit_jeffreys(x: &[f64], y: &[f64]) -> Isotonic {
        let (xs, blocks) = Isotonic::blocks(x, y);
        // A step is all the scores of one fitted value: PAV leaves equal neighbours apart.
        let mut steps: Vec<(f64, f64, usize)> = Vec::with_capacity(blocks.len());
        for &(v, w, l) in &blocks {
            match steps.last_mut() {
                Some(last) if last.0 == v => {
                    last.1 += w;
                    last.2 += l;
                }
                _ => steps.push((v, w, l)),
            }
        }
        let mut shrunk: Vec<(f64, f64, usize)> = Vec::with_capacity(steps.len());
        for &(v, w, l) in &steps {
            // Only a step of certainty moves: the others are scikit-learn's as they were.
            let v = if v <= 0.0 || v >= 1.0 {
                (v * w + 0.5) / (w + 1.0)
            } else {
                v
            };
            push_pooled(&mut shrunk, (v, w, l));
        }
        Isotonic::from_blocks(xs, &shrunk)
    }

    /// The distinct scores, and the pooled steps over them (mean, weight, distinct scores).
    fn blocks(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<(f64, f64, usize)>) {
        let mut idx: Vec<usize> = (0..x.len()).collect();
        idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        // Tied x first: one point per distinct x, its mean y, weighted by the count.
        let mut xs: Vec<f64> = Vec::new();
        let mut ys: Vec<f64> = Vec::new();
        let mut ws: Vec<f64> = Vec::new();
        for &i in &idx {
            match xs.last() {
                Some(&last) if last == x[i] => {
                    let k = ys.len() - 1;
                    ys[k] = (ys[k] * ws[k] + y[i]) / (ws[k] + 1.0);
                    ws[k] += 1.0;
                }
                _ => {
                    xs.push(x[i]);
                    ys.push(y[i]);
                    ws.push(1.0);
                }
            }
        }
        let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(xs.len());
        for i in 0..xs.len() {
            push_pooled(&mut blocks, (ys[i], ws[i], 1));
        }
        (xs, blocks)
    }

    fn from_blocks(xs: Vec<f64>, blocks: &[(f64, f64, usize)]) -> Isotonic {
        let fitted: Vec<f64> = blocks
            .iter()
            .flat_map(|&(v, _, l)| std::iter::repeat_n(v.clamp(0.0, 1.0), l))
            .collect();
        Isotonic { x: xs, y: fitted }
    }

    /// The fitted map at `v`, made strictly increasing by a ramp of at most [`TIE_RAMP`]: the
    /// customers of one flat step are not equally likely (the model separated them), and tying
    /// them would throw the model's order away, costing AUC and lift, for nothing in Brier.
    pub fn predict(&self, v: f64) -> f64 {
        let step = self.step(v);
        let ramp = 0.5 + v.atan() / std::f64::consts::PI;
        step * (1.0 - TIE_RAMP) + TIE_RAMP * ramp
    }

    /// The fitted map itself, as scikit-learn's `IsotonicRegression.predict`.
    fn step(&self, v: f64) -> f64 {
        let n = self.x.len();
        if n == 0 {
            return 0.0;
        }
        if v <= self.x[0] {
            return self.y[0];
        }
        if v >= self.x[n - 1] {
            return self.y[n - 1];
        }
        let j = self.x.partition_point(|&xi| xi <= v);
        let (x0, x1, y0, y1) = (self.x[j - 1], self.x[j], self.y[j - 1], self.y[j]);
        y0 + (y1 - y0) * (v - x0) / (x1 - x0)
    }
}

/// Appends a step (value, weight, length), pooling adjacent violators.
fn push_pooled(blocks: &mut Vec<(f64, f64, usize)>, b: (f64, f64, usize)) {
    blocks.push(b);
    while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
        let (v2, w2, l2) = blocks.pop().expect("two blocks");
        let (v1, w1, l1) = blocks.pop().expect("two blocks");
        blocks.push(((v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, l1 + l2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::{floats, golden};

    #[test]
    fn platt_matches_scikit_learn() {
        let g = golden("platt.json");
        for case in g["cases"].as_array().unwrap() {
            let f = floats(&case["f"]);
            let y: Vec<u8> = floats(&case["y"]).iter().map(|&v| v as u8).collect();
            let p = Platt::fit(&f, &y);
            let (a, b) = (case["a"].as_f64().unwrap(), case["b"].as_f64().unwrap());
            assert!(
                (p.a - a).abs() < 1e-5 && (p.b - b).abs() < 1e-5,
                "({}, {}) vs ({a}, {b})",
                p.a,
                p.b
            );
            for (x, want) in floats(&case["grid"]).iter().zip(floats(&case["p_grid"])) {
                assert!((p.predict(*x) - want).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn isotonic_matches_scikit_learn() {
        let g = golden("isotonic.json");
        for case in g["cases"].as_array().unwrap() {
            let iso = Isotonic::fit(&floats(&case["x"]), &floats(&case["y"]));
            for (x, want) in floats(&case["grid"]).iter().zip(floats(&case["pred"])) {
                let got = iso.predict(*x);
                assert!((got - want).abs() < 1e-9, "at {x}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn a_step_without_a_buyer_is_no_certainty_and_the_map_still_rises() {
        // 900 low scores, no buyer among them; 100 high ones, 30 buyers.
        let x: Vec<f64> = (0..1000).map(|i| i as f64 / 1000.0).collect();
        let y: Vec<f64> = (0..1000)
            .map(|i| if i >= 900 && i % 10 < 3 { 1.0 } else { 0.0 })
            .collect();
        let plain = Isotonic::fit(&x, &y);
        let shrunk = Isotonic::fit_jeffreys(&x, &y);
        let low = 0.5 / 901.0;
        assert!(plain.predict(0.1) < 1e-9);
        assert!(
            (shrunk.predict(0.1) - low).abs() < 1e-9,
            "{}",
            shrunk.predict(0.1)
        );
        // The steps with buyers move little; the map never decreases.
        assert!((shrunk.predict(0.95) - plain.predict(0.95)).abs() < 0.01);
        let grid: Vec<f64> = x.iter().map(|&v| shrunk.predict(v)).collect();
        assert!(grid.windows(2).all(|w| w[0] <= w[1]));
        // Shrinking can make a small step cross its neighbour: pooled again, still rising.
        let x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        let y = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0];
        let s = Isotonic::fit_jeffreys(&x, &y);
        let grid: Vec<f64> = x.iter().map(|&v| s.predict(v)).collect();
        assert!(grid.windows(2).all(|w| w[0] <= w[1]), "{grid:?}");
    }

    #[test]
    fn isotonic_keeps_the_order_of_scores_inside_a_step() {
        // Scores 0.1..0.4 pool into one step (their labels are not increasing): scikit-learn
        // predicts one value for all of them; the ramp keeps them apart, in score order.
        let iso = Isotonic::fit(&[0.1, 0.2, 0.3, 0.4, 0.9], &[1.0, 0.0, 1.0, 0.0, 1.0]);
        let p: Vec<f64> = [0.1, 0.15, 0.2, 0.3, 0.4]
            .iter()
            .map(|&v| iso.predict(v))
            .collect();
        assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
        assert!(p.iter().all(|v| (v - 0.5).abs() < 1e-9), "{p:?}");
        assert!(iso.predict(5.0) <= 1.0 && iso.predict(-5.0) >= 0.0);
    }
}
