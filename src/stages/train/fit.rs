//! Model families on stacked rows: the elastic-net logistic regression (standardised features,
//! balanced class weights) and LightGBM (scale_pos_weight, early stopping on customers held out of the training rows).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::data::Stacked;
use super::sample::sample_negatives;
use crate::ml::logreg::{balanced_class_weights, Design, LogReg, Penalty};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Logreg,
    Lgbm,
}

/// One grid point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub family: Family,
    pub params: Value,
}

impl Candidate {
    pub fn label(&self) -> String {
        format!("{:?} {}", self.family, self.params).to_lowercase()
    }
}

/// A fitted model, ready to score any rows of the same columns.
pub enum Model {
    Logreg {
        /// Columns used (constant ones are dropped), with the training mean and std.
        used: Vec<(usize, f64, f64)>,
        lr: LogReg,
    },
    #[cfg(feature = "gbm")]
    Lgbm(crate::ml::gbm::Gbm),
}

/// The columns the LR uses (constant ones are dropped) with their training mean and std, and
/// how many are dense. Dense columns come first, then those zero on most rows
/// (`SPARSE_DENSITY`), most filled first: the design keeps that tail sparse for its Gram matrix
/// (see `ml::gram`).
fn standardise(d: &Stacked, rows: &[usize]) -> (Vec<(usize, f64, f64)>, usize) {
    let n = rows.len() as f64;
    // Each column's rows gathered once: the three sums below then read them in order (the same
    // sums, in the same order, as over the stacked column).
    let mut col: Vec<f64> = Vec::with_capacity(rows.len());
    let mut used: Vec<(usize, f64, f64, usize)> = (0..d.cols.len())
        .filter_map(|j| {
            col.clear();
            col.extend(rows.iter().map(|&i| d.cols[j][i]));
            let mean = col.iter().sum::<f64>() / n;
            let var = col.iter().map(|&v| (v - mean).powi(2)).sum::<f64>() / n;
            let nonzero = col.iter().filter(|&&v| v != 0.0).count();
            (var > 1e-12).then(|| (j, mean, var.sqrt(), nonzero))
        })
        .collect();
    let sparse = |nonzero: usize| (nonzero as f64) < crate::ml::gram::SPARSE_DENSITY * n;
    used.sort_by_key(|&(j, _, _, nz)| {
        (
            sparse(nz),
            std::cmp::Reverse(if sparse(nz) { nz } else { 0 }),
            j,
        )
    });
    let dense = used.iter().filter(|u| !sparse(u.3)).count();
    (
        used.into_iter().map(|(j, m, s, _)| (j, m, s)).collect(),
        dense,
    )
}

/// The standardised training rows, straight from the stacked columns into the fit's one copy;
/// a raw zero is the common value of each sparse column (those from `dense` on).
fn design(d: &Stacked, rows: &[usize], used: &[(usize, f64, f64)], dense: usize) -> Design {
    Design::with_common_values(
        rows.len(),
        used.len(),
        |k, r| {
            let (j, m, s) = used[k];
            (d.cols[j][rows[r]] - m) / s
        },
        |k| {
            let (_, m, s) = used[k];
            (k >= dense).then(|| (0.0 - m) / s)
        },
    )
}

/// The rows of `rows`, row-major. Filled a block of rows at a time, column by column: each
/// column is read in order and the block's rows stay in cache while they are written (a
/// row-by-row walk read every column out of cache once per row).
#[cfg(feature = "gbm")]
fn row_major(d: &Stacked, rows: &[usize]) -> Vec<f64> {
    let p = d.cols.len();
    let mut x = vec![0.0; rows.len() * p];
    for start in (0..rows.len()).step_by(TRANSPOSE_BLOCK) {
        let block = &rows[start..(start + TRANSPOSE_BLOCK).min(rows.len())];
        for (j, c) in d.cols.iter().enumerate() {
            for (r, &i) in block.iter().enumerate() {
                x[(start + r) * p + j] = c[i];
            }
        }
    }
    x
}

/// Rows LightGBM predicts at a time (see [`Model::predict`]).
#[cfg(feature = "gbm")]
const PREDICT_ROWS: usize = 8192;

/// Rows per block when transposing (see [`row_major`]).
#[cfg(feature = "gbm")]
const TRANSPOSE_BLOCK: usize = 128;

impl Model {
    pub fn predict(&self, d: &Stacked, rows: &[usize]) -> Result<Vec<f64>, String> {
        match self {
            Model::Logreg { used, lr } => {
                // Column by column into one sum per row (no copy of the rows), each sum in the
                // order `LogReg::predict` takes.
                let mut z = vec![0.0; rows.len()];
                for (&(j, m, s), &b) in used.iter().zip(&lr.coef) {
                    let c = &d.cols[j];
                    for (zr, &i) in z.iter_mut().zip(rows) {
                        *zr += (c[i] - m) / s * b;
                    }
                }
                Ok(z.into_iter().map(|z| lr.probability(z)).collect())
            }
            #[cfg(feature = "gbm")]
            Model::Lgbm(g) => {
                if let Some(p) = g.predict_columns(&d.cols, rows) {
                    return Ok(p);
                }
                // A block of rows at a time: each row is predicted alone, so only the memory
                // changes (a whole fold's row-major copy was 350 MB at 115,000 customers).
                let mut out = Vec::with_capacity(rows.len());
                for block in rows.chunks(PREDICT_ROWS) {
                    out.extend(g.predict(&row_major(d, block), d.cols.len())?);
                }
                Ok(out)
            }
        }
    }

    /// The model in a portable form: LightGBM's text format, or the LR coefficients as JSON.
    pub fn export(&self, d: &Stacked) -> Result<(String, &'static str), String> {
        match self {
            Model::Logreg { used, lr } => Ok((
                serde_json::to_string_pretty(&json!({
                    "family": "logreg",
                    "intercept": lr.intercept,
                    "standardisation": "x' = (x - mean) / std, on the training rows",
                    "coefficients": used.iter().zip(&lr.coef).map(|(&(j, m, s), b)| json!({"feature": d.names[j], "mean": m, "std": s, "coef": b})).collect::<Vec<_>>(),
                    "converged": lr.converged,
                    "iterations": lr.iterations,
                }))
                .expect("json"),
                "model.json",
            )),
            #[cfg(feature = "gbm")]
            Model::Lgbm(g) => Ok((g.model_text()?, "model.txt")),
        }
    }

    /// Feature importance: |coef| on standardised features, or LightGBM's total gain.
    pub fn importance(&self, d: &Stacked) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = match self {
            Model::Logreg { used, lr } => used
                .iter()
                .zip(&lr.coef)
                .map(|(&(j, _, _), b)| (d.names[j].clone(), b.abs()))
                .collect(),
            #[cfg(feature = "gbm")]
            Model::Lgbm(g) => d.names.iter().cloned().zip(g.importance()).collect(),
        };
        v.retain(|(_, x)| *x > 0.0);
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    pub fn iterations(&self) -> Option<usize> {
        match self {
            Model::Logreg { .. } => None,
            #[cfg(feature = "gbm")]
            Model::Lgbm(g) => Some(g.iterations),
        }
    }
}

/// Fits a candidate on `train` rows; `valid` rows (if any) drive LightGBM's early stopping.
/// `iterations` fixes LightGBM's tree count (for the final refit).
pub fn fit(
    c: &Candidate,
    d: &Stacked,
    train: &[usize],
    valid: Option<&[usize]>,
    seed: u64,
    iterations: Option<u32>,
    warm: Option<&LogReg>,
) -> Result<Model, String> {
    match c.family {
        Family::Logreg => {
            // Balanced class weights from the rows asked for; a sampled negative stands for
            // 1 / rate of them, so the weights still sum to the rows asked for and the penalty
            // weighs as much against the loss as it would on every row.
            let pos = train.iter().filter(|&&i| d.y[i] == 1).count();
            let (w_pos, w_neg) = balanced_class_weights(pos, train.len() - pos);
            let cap = c.params["max_fit_rows"].as_u64().unwrap_or(0) as usize;
            let (sampled, rate) = sample_negatives(d, train, cap, seed);
            let train = sampled.as_deref().unwrap_or(train);
            let y: Vec<u8> = train.iter().map(|&i| d.y[i]).collect();
            let w: Vec<f64> = y
                .iter()
                .map(|&v| if v == 1 { w_pos } else { w_neg / rate })
                .collect();
            let (used, dense) = standardise(d, train);
            let x = design(d, train, &used, dense);
            let pen = Penalty {
                c: c.params["c"].as_f64().unwrap_or(1.0),
                l1_ratio: c.params["l1_ratio"].as_f64().unwrap_or(0.0),
            };
            let tol = c.params["tolerance"].as_f64().unwrap_or(1e-6);
            let lr = LogReg::fit_design(&x, &y, &w, pen, warm, tol);
            Ok(Model::Logreg { used, lr })
        }
        Family::Lgbm => Ok(fit_lgbm_all(&[c], d, train, valid, seed, iterations)?
            .pop()
            .expect("one model per candidate")),
    }
}

/// LightGBM's settings from a candidate's params.
#[cfg(feature = "gbm")]
fn gbm_params(c: &Candidate, seed: u64) -> crate::ml::gbm::GbmParams {
    crate::ml::gbm::GbmParams {
        num_leaves: c.params["num_leaves"].as_u64().unwrap_or(31) as u32,
        min_data_in_leaf: c.params["min_data_in_leaf"].as_u64().unwrap_or(20) as u32,
        learning_rate: c.params["learning_rate"].as_f64().unwrap_or(0.05),
        feature_fraction: c.params["feature_fraction"].as_f64().unwrap_or(1.0),
        bagging_fraction: c.params["bagging_fraction"].as_f64().unwrap_or(1.0),
        bagging_freq: c.params["bagging_freq"].as_u64().unwrap_or(0) as u32,
        max_iterations: c.params["max_iterations"].as_u64().unwrap_or(300) as u32,
        early_stopping_rounds: c.params["early_stopping_rounds"].as_u64().unwrap_or(30) as u32,
        seed,
        threads: c.params["threads"].as_u64().unwrap_or(1) as u32,
        max_bin: c.params["max_bin"].as_u64().unwrap_or(255) as u32,
        stop_metric: c.params["stop_metric"]
            .as_str()
            .unwrap_or("auc")
            .to_string(),
    }
}

/// Fits LightGBM candidates on the same `train` rows (`valid` rows drive early stopping),
/// binning the rows once for all of them. The candidates share `threads` and `max_bin` (grid
/// scalars, fixed when the rows are binned).
pub fn fit_lgbm_all(
    cs: &[&Candidate],
    d: &Stacked,
    train: &[usize],
    valid: Option<&[usize]>,
    seed: u64,
    iterations: Option<u32>,
) -> Result<Vec<Model>, String> {
    #[cfg(feature = "gbm")]
    {
        let Some(first) = cs.first() else {
            return Ok(Vec::new());
        };
        let shared = gbm_params(first, seed);
        // The class balance of the rows asked for, before any sampling: `scale_pos_weight`
        // describes the population, and sampled negatives carry weights that restore it.
        let pos = train.iter().filter(|&&i| d.y[i] == 1).count().max(1) as f64;
        let neg = train.len() as f64 - pos;
        let cap = first.params["max_fit_rows"].as_u64().unwrap_or(0) as usize;
        let (sampled, rate) = sample_negatives(d, train, cap, seed);
        let train = sampled.as_deref().unwrap_or(train);
        let weights: Option<Vec<f32>> = sampled.is_some().then(|| {
            let w = (1.0 / rate) as f32;
            train
                .iter()
                .map(|&i| if d.y[i] == 1 { 1.0 } else { w })
                .collect()
        });
        let y: Vec<u8> = train.iter().map(|&i| d.y[i]).collect();
        let x = crate::ml::gbm::Csc::from_columns(&d.cols, train);
        let v = valid.map(|rows| {
            (
                crate::ml::gbm::Csc::from_columns(&d.cols, rows),
                rows.iter().map(|&i| d.y[i]).collect::<Vec<u8>>(),
            )
        });
        let binned = crate::ml::gbm::bin(
            &x,
            &y,
            weights.as_deref(),
            v.as_ref().map(|(a, b)| (a, b.as_slice())),
            shared.threads,
            shared.max_bin,
        )?;
        cs.iter()
            .map(|c| {
                let p = gbm_params(c, seed);
                let cap = c.params["scale_pos_weight_cap"].as_f64().unwrap_or(50.0);
                let spw = (neg / pos).clamp(1.0, cap);
                crate::ml::gbm::fit_binned(&binned, &p, spw, iterations).map(Model::Lgbm)
            })
            .collect()
    }
    #[cfg(not(feature = "gbm"))]
    {
        let _ = (cs, d, train, valid, seed, iterations);
        Err("this gosales was built without the `gbm` feature: LightGBM is unavailable".into())
    }
}
