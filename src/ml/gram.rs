//! The logistic regression's design matrix and its weighted Gram matrix `X'VX`, the curvature
//! of each IRLS quadratic and most of a fit's time.
//!
//! Two ways to the same matrix. Dense columns go through a register-blocked kernel, as a GEMM's.
//! Columns that mostly hold one value (a standardised feature that is zero for most customers:
//! the GP of a rarely bought SKU group) are sparse once that value is taken out: `z = c + d`
//! with `d` zero on most rows, so `sum v z_j z_k` is `c_j c_k sum v + c_j sum v d_k + c_k sum v
//! d_j + sum v d_j d_k`, whose last sum runs over the rows where both are nonzero. On the
//! default data a third of the design's values are nonzero and two thirds of its columns are
//! sparse; the Gram matrix costs about a third of the all-dense kernel's time.
//!
//! Only the curvature comes from here (the gradient is exact, see `logreg`), so how the sums are
//! rounded moves the path of a fit, never its optimum. Deterministic: no threads, a fixed order,
//! and the same rounding on every x86-64 machine (separate multiplies and adds, never fused).

/// Rows of `X` streamed past every tile at a time: a block of `X` and `VX` stays in cache, and
/// its products are summed in `f32` before they join the `f64` total.
const GRAM_ROWS: usize = 64;
/// Columns are padded to a multiple of this (the widest tile).
const GRAM_PAD: usize = 16;
/// A column whose most common value leaves fewer than this share of rows pays to be sparse
/// (measured on the default data: 0.1 and 0.4 were slower). Callers decide with it which
/// columns they give a common value.
pub const SPARSE_DENSITY: f64 = 0.25;

/// Adds, for one block of rows, `sum_i x_ij vx_ik` to `g[j][k]` for every `k >= j` (and some
/// `k < j`, unused) below `w`, in `R x C` register tiles of `f32`, each tile's block sum then
/// added to the `f64` matrix (rows of `x`, `vx` and `g` are `pp` apart). Each entry's sum runs
/// over the block's rows in order whatever the tile shape, so every shape gives bit-identical
/// results.
#[inline(always)]
fn gram_block<const R: usize, const C: usize>(
    x: &[f32],
    vx: &[f32],
    pp: usize,
    w: usize,
    rows: std::ops::Range<usize>,
    g: &mut [f64],
) {
    for jb in (0..w).step_by(R) {
        for kb in ((jb / C) * C..w).step_by(C) {
            let mut acc = [[0.0f32; C]; R];
            for i in rows.clone() {
                let a: &[f32; R] = x[i * pp + jb..i * pp + jb + R].try_into().expect("tile");
                let b: &[f32; C] = vx[i * pp + kb..i * pp + kb + C].try_into().expect("tile");
                for r in 0..R {
                    for c in 0..C {
                        acc[r][c] += a[r] * b[c];
                    }
                }
            }
            for r in 0..R {
                for c in 0..C {
                    g[(jb + r) * pp + kb + c] += f64::from(acc[r][c]);
                }
            }
        }
    }
}

/// The same kernel compiled for AVX2 (chosen at run time). Separate multiplies and adds, never
/// fused (Rust does not contract them), so it rounds exactly as the SSE2 build does: outputs do
/// not depend on the machine.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn gram_block_avx2(
    x: &[f32],
    vx: &[f32],
    pp: usize,
    w: usize,
    rows: std::ops::Range<usize>,
    g: &mut [f64],
) {
    gram_block::<4, 16>(x, vx, pp, w, rows, g)
}

/// The sparse columns (those from `Design::kernel` on) as each one's common value `c` and, row
/// by row, the deviations `d = z - c` that are not zero.
struct Sparse {
    base: Vec<f32>,
    row_ptr: Vec<usize>,
    col: Vec<u32>,
    dev: Vec<f32>,
}

/// The design matrix `X`, row-major in `f32`, its columns padded with zeros to a multiple of
/// [`GRAM_PAD`]: the only copy of the training rows a fit holds (a 575,000-row, 385-column fit
/// needs 0.9 GB for it, where column- and row-major `f64` copies took three times that), plus
/// the nonzero deviations of its sparse columns. Every product reads it: the Gram matrix (only
/// the curvature of each IRLS quadratic), the gradient and the linear predictor (summed in
/// `f64`). The fit is thus exact for `X` rounded to single precision, a relative change of 6e-8
/// in each value, far inside any tolerance a fit is held to.
pub struct Design {
    pub(super) data: Vec<f32>,
    pub(super) n: usize,
    pub(super) p: usize,
    pp: usize,
    /// The columns below this go through the dense kernel (a multiple of the tile width, or
    /// `pp`); the rest through `sparse`.
    kernel: usize,
    sparse: Option<Sparse>,
}

impl Design {
    /// `n` rows of `p` columns, `value(j, i)` being column j of row i; filled a column at a
    /// time (the source is column-major). Every column dense.
    pub fn from_columns(n: usize, p: usize, value: impl FnMut(usize, usize) -> f64) -> Design {
        Self::with_common_values(n, p, value, |_| None)
    }

    /// As [`Design::from_columns`], with `common(j)` the value a sparse column j takes on most
    /// rows (a standardised zero), `None` for a dense one. The trailing run of sparse columns is
    /// kept sparse for the Gram matrix (the kernel covers the columns before it, rounded up to
    /// its tile width), so sparse columns belong last. Any value gives the same matrix (`z = c +
    /// (z - c)` is exact); a common one makes it fast.
    pub fn with_common_values(
        n: usize,
        p: usize,
        mut value: impl FnMut(usize, usize) -> f64,
        common: impl Fn(usize) -> Option<f64>,
    ) -> Design {
        let pp = p.div_ceil(GRAM_PAD).max(1) * GRAM_PAD;
        let mut data = vec![0.0f32; n * pp];
        // A block of rows at a time, column by column: the block's rows stay in cache while
        // each column is read in order.
        for start in (0..n).step_by(128) {
            let end = (start + 128).min(n);
            for j in 0..p {
                for i in start..end {
                    data[i * pp + j] = value(j, i) as f32;
                }
            }
        }
        // The sparse tail: from the first column past which every column has a common value.
        let base: Vec<Option<f32>> = (0..p).map(|j| common(j).map(|c| c as f32)).collect();
        let first = base.iter().rposition(Option::is_none).map_or(0, |j| j + 1);
        let kernel = first.div_ceil(GRAM_PAD) * GRAM_PAD;
        if kernel >= p {
            return Design {
                data,
                n,
                p,
                pp,
                kernel: pp,
                sparse: None,
            };
        }
        let base: Vec<f32> = (kernel..p).map(|j| base[j].expect("sparse")).collect();
        let mut s = Sparse {
            base,
            row_ptr: Vec::with_capacity(n + 1),
            col: Vec::new(),
            dev: Vec::new(),
        };
        s.row_ptr.push(0);
        for i in 0..n {
            for (k, &c) in s.base.iter().enumerate() {
                let d = data[i * pp + kernel + k] - c;
                if d != 0.0 {
                    s.col.push(k as u32);
                    s.dev.push(d);
                }
            }
            s.row_ptr.push(s.col.len());
        }
        Design {
            data,
            n,
            p,
            pp,
            kernel,
            sparse: Some(s),
        }
    }

    pub(super) fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.pp..i * self.pp + self.p]
    }
}

/// Adds `a * x` to `y` in `f64`.
#[inline(always)]
fn axpy(y: &mut [f64], a: f64, x: &[f32]) {
    for (yj, &xj) in y.iter_mut().zip(x) {
        *yj += a * f64::from(xj);
    }
}

/// The sums over the sparse columns' nonzero deviations: `t_k = sum v d_k`, the cross products
/// with the kernel's columns `a[k][j] = sum v d_k z_j` and among themselves
/// `b[k][l] = sum v d_k d_l` (`k <= l`).
#[inline(always)]
fn sparse_sums(x: &Design, s: &Sparse, v: &[f64], t: &mut [f64], a: &mut [f64], b: &mut [f64]) {
    let (pp, w, ps) = (x.pp, x.kernel, s.base.len());
    for (i, &vi) in v.iter().enumerate() {
        let (lo, hi) = (s.row_ptr[i], s.row_ptr[i + 1]);
        let z = &x.data[i * pp..i * pp + w];
        for e in lo..hi {
            let k = s.col[e] as usize;
            let vd = vi * f64::from(s.dev[e]);
            t[k] += vd;
            axpy(&mut a[k * w..(k + 1) * w], vd, z);
            let row = &mut b[k * ps..(k + 1) * ps];
            for (&l, &d) in s.col[e..hi].iter().zip(&s.dev[e..hi]) {
                row[l as usize] += vd * f64::from(d);
            }
        }
    }
}

/// [`sparse_sums`] compiled for AVX2, rounding as the SSE2 build does (see [`gram_block_avx2`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sparse_sums_avx2(
    x: &Design,
    s: &Sparse,
    v: &[f64],
    t: &mut [f64],
    a: &mut [f64],
    b: &mut [f64],
) {
    sparse_sums(x, s, v, t, a, b)
}

/// The weighted Gram matrix `X'VX` (full, row-major, `p x p`), given `sx = X'V1` and `sv =
/// 1'V1` (which the sparse columns' common values need).
///
/// The dense part by a register-blocked kernel: each tile of the matrix is held in accumulators
/// while a block of rows streams past, so each loaded element feeds several multiply-adds where
/// an axpy per row fed one. Every entry is a sum over rows in row order within a block, blocks
/// in order: the result depends neither on the machine nor on a thread count (it has none).
/// `VX` is formed one block of rows at a time, in cache, never for the whole matrix.
pub(super) fn weighted_gram(x: &Design, v: &[f64], sx: &[f64], sv: f64) -> Vec<f64> {
    let (n, p, pp, w) = (x.n, x.p, x.pp, x.kernel);
    let mut vx = vec![0.0f32; GRAM_ROWS * pp];
    let mut g = vec![0.0; pp * pp];
    #[cfg(target_arch = "x86_64")]
    let avx2 = std::arch::is_x86_feature_detected!("avx2");
    for i0 in (0..n).step_by(GRAM_ROWS) {
        let i1 = (i0 + GRAM_ROWS).min(n);
        let xb = &x.data[i0 * pp..i1 * pp];
        for ((dst, row), &vi) in vx
            .chunks_exact_mut(pp)
            .zip(xb.chunks_exact(pp))
            .zip(&v[i0..i1])
        {
            for (d, &xk) in dst[..w].iter_mut().zip(&row[..w]) {
                *d = xk * vi as f32;
            }
        }
        let rows = 0..i1 - i0;
        #[cfg(target_arch = "x86_64")]
        if avx2 {
            // SAFETY: the CPU was just checked to support AVX2.
            unsafe { gram_block_avx2(xb, &vx, pp, w, rows, &mut g) };
            continue;
        }
        gram_block::<4, 8>(xb, &vx, pp, w, rows, &mut g);
    }
    if let Some(s) = &x.sparse {
        let ps = s.base.len();
        let (mut t, mut a, mut b) = (vec![0.0; ps], vec![0.0; ps * w], vec![0.0; ps * ps]);
        #[cfg(target_arch = "x86_64")]
        if avx2 {
            // SAFETY: the CPU was checked above to support AVX2.
            unsafe { sparse_sums_avx2(x, s, v, &mut t, &mut a, &mut b) };
        } else {
            sparse_sums(x, s, v, &mut t, &mut a, &mut b);
        }
        #[cfg(not(target_arch = "x86_64"))]
        sparse_sums(x, s, v, &mut t, &mut a, &mut b);
        for j in 0..w.min(p) {
            for (k, &c) in s.base.iter().enumerate() {
                g[j * pp + w + k] = f64::from(c) * sx[j] + a[k * w + j];
            }
        }
        for (k, &ck) in s.base.iter().enumerate() {
            let ck = f64::from(ck);
            for (l, &cl) in s.base.iter().enumerate().skip(k) {
                let cl = f64::from(cl);
                g[(w + k) * pp + w + l] = ck * cl * sv + ck * t[l] + cl * t[k] + b[k * ps + l];
            }
        }
    }
    let mut out = vec![0.0; p * p];
    for j in 0..p {
        for k in j..p {
            // The upper triangle is the one kept: symmetric by construction.
            out[j * p + k] = g[j * pp + k];
            out[k * p + j] = g[j * pp + k];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design of dense and mostly-constant columns, and weights.
    fn example(n: usize) -> (Vec<Vec<f64>>, Vec<Option<f64>>, Vec<f64>) {
        let p = 37;
        let mut cols = Vec::new();
        let mut common = Vec::new();
        for j in 0..p {
            let sparse = j >= 5;
            let c = -0.3 + j as f64 * 0.01;
            cols.push(
                (0..n)
                    .map(|i| {
                        let h = ((i * 31 + j * 17) % 97) as f64 / 97.0;
                        if sparse && (i + j) % 9 != 0 {
                            c
                        } else {
                            h * 2.0 - 1.0 + j as f64 * 0.1
                        }
                    })
                    .collect(),
            );
            common.push(sparse.then_some(c));
        }
        let v = (0..n).map(|i| 0.1 + (i % 7) as f64 * 0.05).collect();
        (cols, common, v)
    }

    fn sums(d: &Design, v: &[f64]) -> (Vec<f64>, f64) {
        let mut sx = vec![0.0; d.p];
        for (i, &vi) in v.iter().enumerate() {
            for (o, &x) in sx.iter_mut().zip(d.row(i)) {
                *o += f64::from(x) * vi;
            }
        }
        (sx, v.iter().sum())
    }

    #[test]
    fn the_sparse_columns_give_the_dense_gram_matrix() {
        let n = 500;
        let (cols, common, v) = example(n);
        let p = cols.len();
        let dense = Design::from_columns(n, p, |j, i| cols[j][i]);
        let split = Design::with_common_values(n, p, |j, i| cols[j][i], |j| common[j]);
        // Columns 5.. are sparse; the kernel covers the first 16, the rest are summed sparsely.
        assert_eq!(split.kernel, 16);
        assert!(split.sparse.is_some() && dense.sparse.is_none());
        let (sx, sv) = sums(&dense, &v);
        let want = weighted_gram(&dense, &v, &sx, sv);
        let got = weighted_gram(&split, &v, &sx, sv);
        let scale = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-5 * scale,
                "entry {k} ({}, {}): {g} vs {w}",
                k / p,
                k % p
            );
        }
    }
}
