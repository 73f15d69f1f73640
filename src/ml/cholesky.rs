//! Dense Cholesky factorisation and solve for the small symmetric positive definite systems of
//! the logistic regression's Newton steps (a few hundred unknowns at most). Hand-written rather
//! than a linear-algebra crate: it is 40 lines, and faer or nalgebra would add a minute to every
//! clean build for this one use. Deterministic: a fixed order of operations, no threads.

/// Solves `a x = b` for symmetric positive definite `a` (row-major, `n x n`, only the lower
/// triangle read). `None` when `a` is not numerically positive definite.
pub fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s = dot(&l[i * n..i * n + j], &l[j * n..j * n + j]);
            if i == j {
                let d = a[i * n + i] - s;
                // Relative pivot test: a pivot lost to cancellation (or NaN) means singular.
                if d.is_nan() || d <= 1e-12 * a[i * n + i].abs().max(1e-300) {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    // Forward (L y = b), then backward (L' x = y).
    let mut y = vec![0.0; n];
    for i in 0..n {
        let s = dot(&l[i * n..i * n + i], &y[..i]);
        y[i] = (b[i] - s) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
        x[i] = (y[i] - s) / l[i * n + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// A dot product in four interleaved partial sums (a fixed order, so deterministic): one serial
/// chain of additions waited on each add's latency, and this is the factorisation's inner loop.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::solve;

    #[test]
    fn solves_a_known_system_and_refuses_a_singular_one() {
        // a = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -1, 2] => b = a x.
        let a = [4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];
        let x = solve(&a, &[2.0, -1.0, 5.0], 3).unwrap();
        for (got, want) in x.iter().zip([1.0, -1.0, 2.0]) {
            assert!((got - want).abs() < 1e-12, "{x:?}");
        }
        let singular = [1.0, 2.0, 2.0, 4.0];
        assert!(solve(&singular, &[1.0, 2.0], 2).is_none());
    }
}
