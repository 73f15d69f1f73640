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
pub(crate) mod tests;
