//! LightGBM through lightgbm3: binary objective, fixed seed and thread count, deterministic mode,
//! early stopping on a validation set. Categorical columns are not passed as such (lightgbm3's
//! safe API cannot set dataset parameters); every feature is numeric already.

use lightgbm3::Booster;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GbmParams {
    pub num_leaves: u32,
    pub min_data_in_leaf: u32,
    pub learning_rate: f64,
    pub feature_fraction: f64,
    /// Rows per tree (1.0: all) and how often they are redrawn (0: never).
    pub bagging_fraction: f64,
    pub bagging_freq: u32,
    pub max_iterations: u32,
    pub early_stopping_rounds: u32,
    pub seed: u64,
    pub threads: u32,
    /// Histogram bins per feature, fixed when the Dataset is built.
    pub max_bin: u32,
    /// The early-stopping metric: `auc` (higher is better) or `binary_logloss` (lower is).
    pub stop_metric: String,
}

/// A trained booster and the number of trees it kept.
pub struct Gbm {
    pub booster: Booster,
    pub iterations: usize,
    /// The model as LightGBM wrote it when training ended.
    text: String,
    /// The same trees, walked in Rust for predictions (`None`: a model TreeSHAP's reader
    /// refuses, e.g. over 128 splits a tree; LightGBM predicts those).
    trees: Option<crate::ml::treeshap::Ensemble>,
}

/// Rows binned into LightGBM Datasets once, for every candidate fitted on them (binning is a
/// fifth of a fit). Training never changes a Dataset, so a model fitted on shared bins is the one
/// fitted on fresh ones.
pub struct Binned {
    train: ffi::Handle,
    valid: Option<ffi::Handle>,
}

/// Feature columns in compressed sparse column form: each column's non-zero values (NaN
/// included) with their row numbers. LightGBM bins a CSC matrix by pushing only those values,
/// where a dense matrix made it look at every cell (a third of them are non-zero here); the
/// Dataset, and so every model, is the same (a test checks it).
pub struct Csc {
    col_ptr: Vec<i64>,
    indices: Vec<i32>,
    data: Vec<f64>,
    rows: usize,
}

impl Csc {
    /// The rows `rows` (in that order) of column-major `cols`. The non-zeros are counted
    /// first and then written without a branch (each value is written and the end moves on
    /// only past a non-zero): a third of the values are non-zero, in no pattern a branch
    /// predictor could follow, and the arrays grew by doubling.
    pub fn from_columns(cols: &[Vec<f64>], rows: &[usize]) -> Csc {
        let stored = |v: f64| v != 0.0 || v.is_nan();
        let nnz: usize = cols
            .iter()
            .map(|c| {
                rows.iter()
                    .map(|&i| usize::from(stored(c[i])))
                    .sum::<usize>()
            })
            .sum();
        // One slot of slack: the last value is written before the end knows whether to keep it.
        let mut indices = vec![0i32; nnz + 1];
        let mut data = vec![0.0f64; nnz + 1];
        let mut col_ptr = Vec::with_capacity(cols.len() + 1);
        col_ptr.push(0i64);
        let mut end = 0usize;
        for c in cols {
            for (r, &i) in rows.iter().enumerate() {
                let v = c[i];
                indices[end] = r as i32;
                data[end] = v;
                end += usize::from(stored(v));
            }
            col_ptr.push(end as i64);
        }
        indices.truncate(end);
        data.truncate(end);
        Csc {
            col_ptr,
            indices,
            data,
            rows: rows.len(),
        }
    }

    /// Row-major `x`, `n_features` values a row.
    pub fn from_row_major(x: &[f64], n_features: usize) -> Csc {
        let n = x.len() / n_features.max(1);
        let mut m = Csc {
            col_ptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
            rows: n,
        };
        for j in 0..n_features {
            for (r, &v) in x.iter().skip(j).step_by(n_features).enumerate() {
                if v != 0.0 || v.is_nan() {
                    m.indices.push(r as i32);
                    m.data.push(v);
                }
            }
            m.col_ptr.push(m.data.len() as i64);
        }
        m
    }

    fn n_features(&self) -> usize {
        self.col_ptr.len() - 1
    }
}

/// Bins `x` and, if given, the early-stopping rows on the same bin boundaries. `threads` and
/// `max_bin` are the Dataset's own parameters.
pub fn bin(
    x: &Csc,
    y: &[u8],
    weights: Option<&[f32]>,
    valid: Option<(&Csc, &[u8])>,
    threads: u32,
    max_bin: u32,
) -> Result<Binned, String> {
    // lightgbm3's safe constructor passes no parameters, so binning ran on every core whatever
    // `threads` said, always with 255 bins.
    let params = format!("num_threads={threads} max_bin={max_bin} verbosity=-1");
    let params = std::ffi::CString::new(params).map_err(|e| e.to_string())?;
    let train = ffi::dataset(x, y, &params, std::ptr::null_mut())?;
    if let Some(w) = weights {
        ffi::set_field(&train, "weight", w)?;
    }
    let valid = match valid {
        Some((vx, vy)) => Some(ffi::dataset(vx, vy, &params, train.0)?),
        None => None,
    };
    Ok(Binned { train, valid })
}

/// Fits on row-major `x` (`n_features` per row). With `valid`, stops early on its AUC.
pub fn fit(
    x: &[f64],
    y: &[u8],
    n_features: usize,
    valid: Option<(&[f64], &[u8])>,
    p: &GbmParams,
    scale_pos_weight: f64,
    iterations: Option<u32>,
) -> Result<Gbm, String> {
    let train = Csc::from_row_major(x, n_features);
    let valid = valid.map(|(vx, vy)| (Csc::from_row_major(vx, n_features), vy));
    let b = bin(
        &train,
        y,
        None,
        valid.as_ref().map(|(vx, vy)| (vx, *vy)),
        p.threads,
        p.max_bin,
    )?;
    fit_binned(&b, p, scale_pos_weight, iterations)
}

/// Fits on binned rows (see [`bin`]; `p.threads` and `p.max_bin` were fixed there).
pub fn fit_binned(
    b: &Binned,
    p: &GbmParams,
    scale_pos_weight: f64,
    iterations: Option<u32>,
) -> Result<Gbm, String> {
    let mut params = json!({
        "objective": "binary",
        "metric": p.stop_metric,
        "num_iterations": iterations.unwrap_or(p.max_iterations),
        "num_leaves": p.num_leaves,
        "min_data_in_leaf": p.min_data_in_leaf,
        "learning_rate": p.learning_rate,
        "feature_fraction": p.feature_fraction,
        "feature_fraction_seed": p.seed,
        "bagging_fraction": p.bagging_fraction,
        "bagging_freq": p.bagging_freq,
        "bagging_seed": p.seed,
        "seed": p.seed,
        "deterministic": true,
        "force_col_wise": true,
        "num_threads": p.threads,
        "scale_pos_weight": scale_pos_weight,
        "verbosity": -1,
    });
    if b.valid.is_some() && iterations.is_none() {
        params["early_stopping_rounds"] = json!(p.early_stopping_rounds);
    }
    let text = ffi::train(&b.train, b.valid.as_ref(), &params)?;
    let booster = Booster::from_string(&text).map_err(|e| format!("LightGBM model: {e}"))?;
    let iterations = booster.num_iterations().max(1) as usize;
    let trees = walkable(&text)
        .then(|| crate::ml::treeshap::Ensemble::parse(&text).ok())
        .flatten();
    Ok(Gbm {
        booster,
        iterations,
        text,
        trees,
    })
}

/// Whether the Rust walk of [`crate::ml::treeshap::Ensemble`] gives this model text's
/// probabilities to the bit: a binary GBDT with sigmoid 1 (what `fit_binned` trains). Any other
/// objective or an averaged (random-forest) model is left to LightGBM.
pub fn walkable(text: &str) -> bool {
    text.lines().any(|l| l == "objective=binary sigmoid:1")
        && !text.lines().any(|l| l.starts_with("average_output"))
}

/// LightGBM's binary `ConvertOutput` (sigmoid 1) of raw scores.
pub fn probabilities(raw: Vec<f64>) -> Vec<f64> {
    raw.into_iter().map(|r| 1.0 / (1.0 + (-r).exp())).collect()
}

/// LightGBM's C API, for what lightgbm3's safe API cannot say: Dataset parameters.
mod ffi {
    use std::ffi::{c_void, CStr, CString};

    use lightgbm3_sys as sys;
    use serde_json::Value;

    fn check(code: std::os::raw::c_int, what: &str) -> Result<(), String> {
        if code == 0 {
            return Ok(());
        }
        // SAFETY: LightGBM returns a pointer to its thread-local, NUL-terminated last error.
        let msg = unsafe { CStr::from_ptr(sys::LGBM_GetLastError()) };
        Err(format!("LightGBM {what}: {}", msg.to_string_lossy()))
    }

    /// Frees a LightGBM handle when dropped, so an error on the way leaks nothing.
    pub(super) struct Handle(
        pub(super) *mut c_void,
        unsafe extern "C" fn(*mut c_void) -> std::os::raw::c_int,
    );

    impl Drop for Handle {
        fn drop(&mut self) {
            if !self.0.is_null() {
                // SAFETY: the handle came from the matching LightGBM constructor, freed once.
                unsafe { (self.1)(self.0) };
            }
        }
    }

    pub(super) fn dataset(
        x: &super::Csc,
        y: &[u8],
        params: &CString,
        reference: *mut c_void,
    ) -> Result<Handle, String> {
        let n = y.len();
        if n == 0 || x.rows != n || x.n_features() == 0 {
            return Err(format!(
                "LightGBM dataset: {} rows of {} features for {n} labels",
                x.rows,
                x.n_features()
            ));
        }
        let mut h = std::ptr::null_mut();
        // SAFETY: `col_ptr` has one more entry than there are columns, each column's entries of
        // `indices` (rows < n) and `data` lie between two of them; all outlive the call, which
        // copies what it needs into the Dataset.
        check(
            unsafe {
                sys::LGBM_DatasetCreateFromCSC(
                    x.col_ptr.as_ptr() as *const c_void,
                    sys::C_API_DTYPE_INT64 as i32,
                    x.indices.as_ptr(),
                    x.data.as_ptr() as *const c_void,
                    sys::C_API_DTYPE_FLOAT64 as i32,
                    x.col_ptr.len() as i64,
                    x.data.len() as i64,
                    n as i64,
                    params.as_ptr(),
                    reference,
                    &mut h,
                )
            },
            "dataset",
        )?;
        let handle = Handle(h, sys::LGBM_DatasetFree);
        set_labels(&handle, y)?;
        Ok(handle)
    }

    fn set_labels(handle: &Handle, y: &[u8]) -> Result<(), String> {
        let label: Vec<f32> = y.iter().map(|&v| v as f32).collect();
        set_field(handle, "label", &label)
    }

    /// Sets a per-row float field of a Dataset (`label`, `weight`).
    pub(super) fn set_field(handle: &Handle, name: &str, values: &[f32]) -> Result<(), String> {
        let field = CString::new(name).expect("no NUL");
        // SAFETY: `values` has one f32 per row of the Dataset (LightGBM checks the count).
        check(
            unsafe {
                sys::LGBM_DatasetSetField(
                    handle.0,
                    field.as_ptr(),
                    values.as_ptr() as *const c_void,
                    values.len() as i32,
                    sys::C_API_DTYPE_FLOAT32 as i32,
                )
            },
            name,
        )
    }

    /// LightGBM's dense-matrix constructor, which the CSC one replaced: kept for the test that
    /// both bin alike.
    #[cfg(test)]
    pub(super) fn dataset_dense(
        x: &[f64],
        y: &[u8],
        n_features: usize,
        params: &CString,
    ) -> Result<Handle, String> {
        let mut h = std::ptr::null_mut();
        // SAFETY: `x` holds y.len() * n_features f64, row-major, and outlives the call.
        check(
            unsafe {
                sys::LGBM_DatasetCreateFromMat(
                    x.as_ptr() as *const c_void,
                    sys::C_API_DTYPE_FLOAT64 as i32,
                    y.len() as i32,
                    n_features as i32,
                    1,
                    params.as_ptr(),
                    std::ptr::null_mut(),
                    &mut h,
                )
            },
            "dataset",
        )?;
        let handle = Handle(h, sys::LGBM_DatasetFree);
        set_labels(&handle, y)?;
        Ok(handle)
    }

    /// Trains as `lightgbm3::Booster::train_with_valid` does (the same parameter string, the
    /// same early stopping on the first validation metric with rollback), and returns the model
    /// in LightGBM's text format.
    pub(super) fn train(
        train: &Handle,
        valid: Option<&Handle>,
        params: &Value,
    ) -> Result<String, String> {
        let text = params
            .as_object()
            .expect("an object")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        let text = CString::new(text).map_err(|e| e.to_string())?;
        let mut b = std::ptr::null_mut();
        // SAFETY: `train` is a live Dataset; the Booster is freed by its Handle.
        check(
            unsafe { sys::LGBM_BoosterCreate(train.0, text.as_ptr(), &mut b) },
            "booster",
        )?;
        let booster = Handle(b, sys::LGBM_BoosterFree);
        if let Some(v) = valid {
            // SAFETY: both handles are live; the Booster keeps a pointer to `v`, which outlives
            // every call below.
            check(
                unsafe { sys::LGBM_BoosterAddValidData(booster.0, v.0) },
                "validation data",
            )?;
        }
        let rounds = params["num_iterations"].as_i64().unwrap_or(100);
        let patience = params["early_stopping_rounds"]
            .as_i64()
            .filter(|_| valid.is_some());
        // AUC grows as the model improves; log loss shrinks.
        let higher_is_better = params["metric"] == "auc";
        let mut best: Option<f64> = None;
        let mut since_best = 0i64;
        for round in 1..=rounds {
            let mut finished = 0;
            // SAFETY: a live Booster.
            check(
                unsafe { sys::LGBM_BoosterUpdateOneIter(booster.0, &mut finished) },
                "training",
            )?;
            if finished != 0 {
                break;
            }
            let Some(patience) = patience else { continue };
            let mut count = 0;
            // SAFETY: a live Booster; `scores` has room for every metric it reports.
            check(
                unsafe { sys::LGBM_BoosterGetEvalCounts(booster.0, &mut count) },
                "evaluation",
            )?;
            if count == 0 {
                continue;
            }
            let mut scores = vec![0.0f64; count as usize];
            let mut len = 0;
            check(
                unsafe { sys::LGBM_BoosterGetEval(booster.0, 1, &mut len, scores.as_mut_ptr()) },
                "evaluation",
            )?;
            let Some(&score) = scores.first().filter(|_| len > 0) else {
                continue;
            };
            let better = |b: f64| {
                if higher_is_better {
                    score > b
                } else {
                    score < b
                }
            };
            if best.is_none_or(better) {
                best = Some(score);
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= patience {
                    for _ in 0..since_best.min(round) {
                        // SAFETY: a live Booster with at least that many trees.
                        check(
                            unsafe { sys::LGBM_BoosterRollbackOneIter(booster.0) },
                            "rollback",
                        )?;
                    }
                    break;
                }
            }
        }
        // Twice: the first call reports the length the model needs.
        let mut len = 0i64;
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..2 {
            // SAFETY: `buf` has `buf.len()` bytes; LightGBM writes at most that many.
            check(
                unsafe {
                    sys::LGBM_BoosterSaveModelToString(
                        booster.0,
                        0,
                        -1,
                        0,
                        buf.len() as i64,
                        &mut len,
                        buf.as_mut_ptr() as *mut std::os::raw::c_char,
                    )
                },
                "save",
            )?;
            if (len as usize) <= buf.len() {
                break;
            }
            buf = vec![0u8; len as usize];
        }
        buf.truncate((len as usize).saturating_sub(1));
        String::from_utf8(buf).map_err(|e| format!("LightGBM model text: {e}"))
    }
}

impl Gbm {
    /// Probabilities of the rows of row-major `x`, bit for bit LightGBM's (a test compares).
    pub fn predict(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>, String> {
        if let Some(t) = self.trees.as_ref().filter(|t| t.n_features == n_features) {
            if n_features > 0 && x.len() % n_features == 0 {
                return Ok(probabilities(t.predict_raw(x, x.len() / n_features)));
            }
        }
        self.booster
            .predict_with_params(x, n_features as i32, true, "num_threads=1")
            .map_err(|e| format!("LightGBM prediction: {e}"))
    }

    /// Probabilities of rows `rows` of column-major `cols`, read in place; `None` for a model
    /// only LightGBM can walk (the caller then hands it rows, see [`Gbm::predict`]).
    pub fn predict_columns(&self, cols: &[Vec<f64>], rows: &[usize]) -> Option<Vec<f64>> {
        let t = self.trees.as_ref().filter(|t| t.n_features == cols.len())?;
        Some(probabilities(
            t.predict_raw_with(rows.len(), |r, j| cols[j][rows[r]]),
        ))
    }

    /// LightGBM's own text format, loadable by its other bindings.
    pub fn model_text(&self) -> Result<String, String> {
        Ok(self.text.clone())
    }

    /// Total gain per feature.
    pub fn importance(&self) -> Vec<f64> {
        self.booster
            .feature_importance(lightgbm3::ImportanceType::Gain)
            .unwrap_or_default()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::ffi::CString;

    /// `n` rows of (x0, x1) uniform, y = 1 when x0 > 0.5.
    fn rule_data(seed: u64, n: usize) -> (Vec<f64>, Vec<u8>) {
        let mut rng = crate::synth::Rng::new(seed, 0);
        let mut x = Vec::with_capacity(n * 2);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let a = rng.f64();
            x.push(a);
            x.push(rng.f64());
            y.push(u8::from(a > 0.5));
        }
        (x, y)
    }

    /// [`rule_data`]'s 3,000 rows (seed `seed`) widened to `nf` columns: `row` pushes a row's
    /// values from its two and a second generator (seed `noise`), for the tests of how
    /// LightGBM reads zeros, NaN and sparse columns.
    fn widened(
        seed: u64,
        noise: u64,
        nf: usize,
        mut row: impl FnMut(&[f64], &mut crate::synth::Rng, &mut Vec<f64>),
    ) -> (Vec<f64>, Vec<u8>) {
        let (x0, y) = rule_data(seed, 3000);
        let mut rng = crate::synth::Rng::new(noise, 0);
        let mut x = Vec::with_capacity(y.len() * nf);
        for r in x0.chunks_exact(2) {
            row(r, &mut rng, &mut x);
        }
        assert_eq!(x.len(), y.len() * nf);
        (x, y)
    }

    /// Small trees, no sampling, one thread: the settings the unit tests start from.
    pub(crate) fn params(max_iterations: u32) -> GbmParams {
        GbmParams {
            num_leaves: 7,
            min_data_in_leaf: 20,
            learning_rate: 0.1,
            feature_fraction: 1.0,
            bagging_fraction: 1.0,
            bagging_freq: 0,
            max_iterations,
            early_stopping_rounds: 10,
            seed: 42,
            threads: 1,
            max_bin: 255,
            stop_metric: "auc".into(),
        }
    }

    #[test]
    fn logloss_stopping_keeps_the_trees_auc_cannot_tell_apart() {
        // The first tree already ranks y = (x0 > 0.5) perfectly, so the validation AUC never
        // improves on it and AUC stopping keeps one tree; the probabilities go on improving for
        // many more, which the log loss sees (lower is better).
        let (x, y) = rule_data(7, 2000);
        let (vx, vy) = rule_data(8, 500);
        let p = params(200);
        let valid = Some((vx.as_slice(), vy.as_slice()));
        let by_auc = fit(&x, &y, 2, valid, &p, 1.0, None).unwrap();
        let ll = GbmParams {
            stop_metric: "binary_logloss".into(),
            ..p.clone()
        };
        let by_ll = fit(&x, &y, 2, valid, &ll, 1.0, None).unwrap();
        assert_eq!(by_auc.iterations, 1);
        assert!(by_ll.iterations > 20, "{}", by_ll.iterations);
        let loss = |m: &Gbm| crate::ml::metrics::log_loss(&vy, &m.predict(&vx, 2).unwrap());
        assert!(loss(&by_ll) < loss(&by_auc) / 2.0);
    }

    #[test]
    fn sparse_columns_bin_as_the_dense_matrix_did() {
        // Mostly zeros, some NaN, a constant column and a negative one: the CSC Dataset must
        // give the very model the dense one gave.
        let nf = 5;
        let (x, y) = widened(3, 5, nf, |r, rng, x| {
            let u = rng.f64();
            x.push(if u < 0.7 { 0.0 } else { r[0] });
            x.push(if u < 0.1 { f64::NAN } else { r[1] * 100.0 });
            x.push(0.0);
            x.push(-r[0] * f64::from(u8::from(rng.f64() < 0.2)));
            x.push(1.0);
        });
        let p = GbmParams {
            feature_fraction: 0.6,
            ..params(40)
        };
        let settings =
            CString::new(format!("num_threads=1 max_bin={} verbosity=-1", p.max_bin)).unwrap();
        let dense = Binned {
            train: ffi::dataset_dense(&x, &y, nf, &settings).unwrap(),
            valid: None,
        };
        let from_dense = fit_binned(&dense, &p, 1.0, None).unwrap();
        let from_csc = fit(&x, &y, nf, None, &p, 1.0, None).unwrap();
        assert_eq!(
            from_dense.model_text().unwrap(),
            from_csc.model_text().unwrap()
        );
        assert!(from_csc.iterations > 1);
    }

    #[test]
    fn boosters_sharing_sparse_bins_fit_what_fresh_bins_fit() {
        // Mostly-zero columns go to LightGBM's multi-value bin. Boosters sharing one Dataset
        // (as a fold's candidates do) must each fit what a fresh Dataset gives, bagged ones
        // too: a patch that built that bin once per Dataset and copied it for the next booster
        // was tried and not kept (README, issue 15's tenth round); this holds any such sharing
        // to the fresh fits.
        let nf = 6;
        let (x, y) = widened(17, 19, nf, |r, rng, x| {
            for k in 0..nf {
                let keep = rng.f64() < 0.08 + 0.02 * k as f64;
                x.push(if keep { r[k % 2] * (k + 1) as f64 } else { 0.0 });
            }
        });
        let csc = Csc::from_row_major(&x, nf);
        let shared = bin(&csc, &y, None, None, 1, 63).unwrap();
        let plain = GbmParams {
            feature_fraction: 0.5,
            max_bin: 63,
            ..params(30)
        };
        let bagged = GbmParams {
            bagging_fraction: 0.6,
            bagging_freq: 1,
            ..plain.clone()
        };
        for q in [&plain, &bagged, &plain, &bagged] {
            let reused = fit_binned(&shared, q, 1.0, None).unwrap();
            let fresh = fit(&x, &y, nf, None, q, 1.0, None).unwrap();
            assert_eq!(reused.model_text().unwrap(), fresh.model_text().unwrap());
            assert!(fresh.iterations > 5);
        }
    }

    #[test]
    fn columns_and_rows_give_the_same_sparse_matrix() {
        // Zeros (negative ones too, which LightGBM also drops), NaN, a column all zero, and
        // rows taken out of order and twice.
        let cols = vec![
            vec![0.0, 1.5, -0.0, f64::NAN, 2.0],
            vec![0.0; 5],
            vec![-3.0, 0.0, 4.0, 0.0, f64::NAN],
        ];
        let rows = [4, 0, 2, 2, 3];
        let x: Vec<f64> = rows
            .iter()
            .flat_map(|&i| cols.iter().map(move |c| c[i]))
            .collect();
        let (a, b) = (Csc::from_columns(&cols, &rows), Csc::from_row_major(&x, 3));
        assert_eq!(
            (a.rows, &a.col_ptr, &a.indices),
            (b.rows, &b.col_ptr, &b.indices)
        );
        let bits = |m: &Csc| m.data.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b));
        assert_eq!(a.col_ptr, [0, 2, 2, 6]);
    }

    #[test]
    fn predictions_walked_in_rust_are_lightgbms_to_the_bit() {
        // Zeros, NaN (a NaN missing type), a column zero on most rows, negatives; then rows
        // LightGBM's reader treats specially: values within its zero threshold, negative zero,
        // NaN where training had none. (A zero missing type needs `zero_as_missing`, which
        // gosales never sets; `goes_left` follows LightGBM's `NumericalDecision` for it too.)
        let nf = 4;
        let (x, y) = widened(11, 13, nf, |r, rng, x| {
            let u = rng.f64();
            x.push(if u < 0.5 { 0.0 } else { r[0] });
            x.push(if u < 0.1 {
                f64::NAN
            } else {
                r[1] * 100.0 - 50.0
            });
            x.push(-r[0] * f64::from(u8::from(rng.f64() < 0.2)));
            x.push(r[0] + r[1]);
        });
        let p = GbmParams {
            num_leaves: 15,
            feature_fraction: 0.75,
            ..params(60)
        };
        let m = fit(&x, &y, nf, None, &p, 1.0, None).unwrap();
        assert!(m.trees.is_some() && m.iterations > 10);
        let mut q = x.clone();
        for (i, v) in q.iter_mut().enumerate().filter(|(i, _)| i % 7 == 0) {
            *v = [1e-40, -1e-40, -0.0, f64::NAN, 1e-30][i % 5];
        }
        let ours = m.predict(&q, nf).unwrap();
        let theirs = m
            .booster
            .predict_with_params(&q, nf as i32, true, "num_threads=1")
            .unwrap();
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a.to_bits(), b.to_bits(), "{a} against LightGBM's {b}");
        }
        // Read from columns in place, a subset of rows in any order: the same bits.
        let cols: Vec<Vec<f64>> = (0..nf)
            .map(|j| q.iter().skip(j).step_by(nf).copied().collect())
            .collect();
        let rows: Vec<usize> = (0..y.len()).rev().step_by(3).collect();
        let from_cols = m.predict_columns(&cols, &rows).unwrap();
        for (&r, a) in rows.iter().zip(&from_cols) {
            assert_eq!(a.to_bits(), theirs[r].to_bits(), "row {r}");
        }
    }

    #[test]
    fn batched_histograms_fit_what_row_wise_histograms_fit() {
        // The vendored LightGBM builds the histograms of several dense columns in one pass
        // (PATCHED.md, patch 7). Its row-wise mode, untouched by that patch, sums every bin over
        // the same rows in the same order, so both must give the very same trees: on 8-bit
        // columns (> 16 bins) and 4-bit ones (<= 16), more than one batch of eight and a
        // remainder, a sparse column, sampled features, bagged rows (the indexed path) and not.
        let nf = 30;
        let mut rng = crate::synth::Rng::new(29, 0);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..4000 {
            let row: Vec<f64> = (0..nf)
                .map(|k| match k % 3 {
                    0 => rng.f64(),
                    1 => (rng.f64() * 9.0).floor(),
                    _ if rng.f64() < [0.6, 0.9][k % 2] => 0.0,
                    _ => rng.f64() * 5.0,
                })
                .collect();
            let z = row[0] * 2.0 - row[1] * 0.3 + row[2] - row[3] + row[7] * 0.2 - 0.5;
            y.push(u8::from(rng.f64() < 1.0 / (1.0 + (-z).exp())));
            x.extend(row);
        }
        let csc = Csc::from_row_major(&x, nf);
        let binned = bin(&csc, &y, None, None, 1, 63).unwrap();
        let model = |row_wise: bool, bagging: f64| {
            let mut q = json!({
                "objective": "binary", "num_iterations": 25, "num_leaves": 7,
                "min_data_in_leaf": 20, "learning_rate": 0.1, "feature_fraction": 0.8,
                "feature_fraction_seed": 3, "bagging_fraction": bagging, "bagging_freq": 1,
                "bagging_seed": 3, "seed": 3, "deterministic": true, "num_threads": 1,
                "verbosity": -1,
            });
            q[if row_wise {
                "force_row_wise"
            } else {
                "force_col_wise"
            }] = json!(true);
            let text = ffi::train(&binned.train, None, &q).unwrap();
            // The parameters section names the mode; the trees must not differ.
            text.split("parameters:").next().unwrap().to_string()
        };
        for bagging in [1.0, 0.7] {
            let col_wise = model(false, bagging);
            // Not assert_eq!: a failure would print two models of 25 trees.
            let same = col_wise == model(true, bagging);
            assert!(
                same,
                "bagging {bagging}: other trees than row-wise histograms give"
            );
            assert!(col_wise.matches("Tree=").count() == 25);
        }
    }

    #[test]
    fn learns_a_simple_rule_deterministically() {
        // y = 1 when x0 > 0.5, x1 is noise.
        let (x, y) = rule_data(7, 2000);
        let p = params(50);
        let m1 = fit(&x, &y, 2, None, &p, 1.0, None).unwrap();
        let m2 = fit(&x, &y, 2, None, &p, 1.0, None).unwrap();
        let p1 = m1.predict(&x, 2).unwrap();
        assert_eq!(p1, m2.predict(&x, 2).unwrap(), "bit-identical predictions");
        let auc = crate::ml::metrics::roc_auc(&y, &p1).unwrap();
        assert!(auc > 0.99, "{auc}");
        assert!(m1.importance()[0] > m1.importance()[1]);
        assert!(m1.model_text().unwrap().starts_with("tree"));
        // Bagging grows each tree on a seeded half of the rows: another model, the same each time.
        let bag = GbmParams {
            bagging_fraction: 0.5,
            bagging_freq: 1,
            ..p.clone()
        };
        let b1 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
        let b2 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
        assert_eq!(b1.predict(&x, 2).unwrap(), b2.predict(&x, 2).unwrap());
        assert_ne!(b1.model_text().unwrap(), m1.model_text().unwrap());
        assert!(b1.model_text().unwrap().contains("[bagging_fraction: 0.5]"));
        // Rows binned once serve several fits: each model is the one fitted on fresh bins.
        let (vx, vy) = (&x[..400], &y[..200]);
        let (cx, cvx) = (Csc::from_row_major(&x, 2), Csc::from_row_major(vx, 2));
        let shared = bin(&cx, &y, None, Some((&cvx, vy)), 1, 255).unwrap();
        for q in [&p, &bag] {
            let fresh = fit(&x, &y, 2, Some((vx, vy)), q, 1.0, None).unwrap();
            let reused = fit_binned(&shared, q, 1.0, None).unwrap();
            assert_eq!(fresh.model_text().unwrap(), reused.model_text().unwrap());
        }
        // `max_bin` is the Dataset's: fewer bins, other split thresholds.
        let coarse = fit(
            &x,
            &y,
            2,
            None,
            &GbmParams {
                max_bin: 7,
                stop_metric: "auc".into(),
                ..p.clone()
            },
            1.0,
            None,
        )
        .unwrap();
        assert_ne!(coarse.model_text().unwrap(), m1.model_text().unwrap());
    }
}
