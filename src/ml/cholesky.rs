//! Dense Cholesky factorisation and solve for the small symmetric positive definite systems of
//! the logistic regression's Newton steps (a few hundred unknowns at most). Hand-written rather
//! than a linear-algebra crate: it is 40 lines, and faer or nalgebra would add a minute to every
//! clean build for this one use. Deterministic: a fixed order of operations, no threads.

/// Solves `a x = b` for symmetric positive definite `a` (row-major, `n x n`, only the lower
/// triangle read). `None` when `a` is not numerically positive definite.
pub fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    solve_factored(&factor(a, n)?, b, n)
}

/// The lower Cholesky factor `l` of `a` (`a = l l'`, both row-major `n x n`; only the lower
/// triangle of `a` read). `None` when `a` is not numerically positive definite.
pub fn factor(a: &[f64], n: usize) -> Option<Vec<f64>> {
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
    Some(l)
}

/// Solves `l l' x = b` for a factor from [`factor`] (or [`delete`]).
pub fn solve_factored(l: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
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

/// The factor of `a` without its row and column `k`, from the factor `l` of `a` (`n x n`), in
/// O(n^2) where factoring again costs O(n^3): dropping row `k` of `l` leaves one entry above
/// the diagonal in each later row, and a Givens rotation of each pair of columns (which leaves
/// `l l'` unchanged) clears it. Returns the `(n - 1) x (n - 1)` factor. `None` if a pivot
/// vanishes (the reduced matrix is numerically singular).
pub fn delete(l: &[f64], n: usize, k: usize) -> Option<Vec<f64>> {
    let m = n - 1;
    // Row k dropped; each row keeps all n columns for now (stride n). Sized up front: collected
    // from a flat map, the vector grew by doubling and each growth copied it (half of this
    // function's instructions). The rotations sweep down the rows, one rotation at a time: the
    // rows are independent, where taking each row through every rotation in turn chains each
    // rotation on the last (tried: `train@Solidworks` 7% slower).
    let mut t: Vec<f64> = Vec::with_capacity(m * n);
    for i in (0..n).filter(|&i| i != k) {
        t.extend_from_slice(&l[i * n..(i + 1) * n]);
    }
    for i in k..m {
        let (a, b) = (t[i * n + i], t[i * n + i + 1]);
        let r = a.hypot(b);
        if r.is_nan() || r <= 0.0 {
            return None;
        }
        let (c, s) = (a / r, b / r);
        for row in t[i * n..].chunks_exact_mut(n) {
            let (x, y) = (row[i], row[i + 1]);
            row[i] = c * x + s * y;
            row[i + 1] = c * y - s * x;
        }
        t[i * n + i + 1] = 0.0;
    }
    let mut out = Vec::with_capacity(m * m);
    for row in t.chunks_exact(n) {
        out.extend_from_slice(&row[..m]);
    }
    Some(out)
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
    use super::{delete, factor, solve, solve_factored};

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

    #[test]
    fn deleting_a_variable_from_a_factor_matches_factoring_without_it() {
        // A 5 x 5 positive definite matrix (B B' + I for a fixed B).
        let n = 5;
        let bm: Vec<f64> = (0..n * n)
            .map(|i| ((i * 7 + 3) % 11) as f64 / 5.0 - 1.0)
            .collect();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| bm[i * n + k] * bm[j * n + k]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 };
            }
        }
        let l = factor(&a, n).unwrap();
        for k in 0..n {
            let keep: Vec<usize> = (0..n).filter(|&i| i != k).collect();
            let m = n - 1;
            let sub: Vec<f64> = keep
                .iter()
                .flat_map(|&i| keep.iter().map(move |&j| (i, j)))
                .map(|(i, j)| a[i * n + j])
                .collect();
            let rhs: Vec<f64> = (0..m).map(|i| i as f64 - 1.5).collect();
            let want = solve(&sub, &rhs, m).unwrap();
            let got = solve_factored(&delete(&l, n, k).unwrap(), &rhs, m).unwrap();
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-10, "k = {k}: {got:?} vs {want:?}");
            }
        }
    }
}
