//! `stages/models.yaml`: the families, grids, calibrations and guardrails of `train`, checked
//! at load and expanded into the candidates every fold scores.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::fit::{Candidate, Family};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalMethod {
    /// The model's own probabilities (an unweighted LightGBM's are one already), kept when
    /// neither map improves them out of time.
    None,
    Platt,
    Isotonic,
}

fn d_models() -> Vec<Family> {
    vec![Family::Logreg, Family::Lgbm]
}
fn d_cal() -> Vec<CalMethod> {
    vec![CalMethod::Platt, CalMethod::Isotonic]
}
fn d_seed() -> u64 {
    42
}
fn d_min_pos() -> usize {
    25
}
fn d_lift_tolerance() -> f64 {
    0.0
}

fn d_topk() -> Vec<f64> {
    vec![5.0, 10.0, 20.0]
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogregGrid {
    pub c: Vec<f64>,
    pub l1_ratio: Vec<f64>,
    #[serde(default = "d_tol")]
    pub tolerance: f64,
}
fn d_tol() -> f64 {
    1e-6
}
impl Default for LogregGrid {
    fn default() -> Self {
        LogregGrid {
            c: vec![0.1, 1.0],
            l1_ratio: vec![0.0, 0.5],
            tolerance: d_tol(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LgbmGrid {
    pub num_leaves: Vec<u32>,
    pub min_data_in_leaf: Vec<u32>,
    pub learning_rate: Vec<f64>,
    pub feature_fraction: Vec<f64>,
    /// Fraction of rows each tree is grown on (1.0 = no bagging), a grid axis.
    #[serde(default = "d_bagging_fraction")]
    pub bagging_fraction: Vec<f64>,
    /// Resample the rows every this many trees (when `bagging_fraction` < 1).
    #[serde(default = "d_bagging_freq")]
    pub bagging_freq: u32,
    #[serde(default = "d_iters")]
    pub max_iterations: u32,
    #[serde(default = "d_es")]
    pub early_stopping_rounds: u32,
    #[serde(default = "d_threads")]
    pub threads: u32,
    #[serde(default = "d_cap")]
    pub scale_pos_weight_cap: f64,
    /// Histogram bins per feature (LightGBM's `max_bin`): fewer is faster, coarser splits.
    #[serde(default = "d_max_bin")]
    pub max_bin: u32,
    /// What early stopping watches on the held-out training customers: `auc` or
    /// `binary_logloss` (smoother: AUC on a few dozen buyers peaks by chance after a few trees).
    #[serde(default = "d_stop_metric")]
    pub stop_metric: String,
}
fn d_max_bin() -> u32 {
    255
}
fn d_stop_metric() -> String {
    "auc".into()
}
fn d_bagging_fraction() -> Vec<f64> {
    vec![1.0]
}
fn d_bagging_freq() -> u32 {
    1
}
fn d_iters() -> u32 {
    300
}
fn d_es() -> u32 {
    30
}
fn d_threads() -> u32 {
    1
}
fn d_cap() -> f64 {
    50.0
}
impl Default for LgbmGrid {
    fn default() -> Self {
        LgbmGrid {
            num_leaves: vec![15, 31],
            min_data_in_leaf: vec![50],
            learning_rate: vec![0.05],
            feature_fraction: vec![0.8],
            bagging_fraction: d_bagging_fraction(),
            bagging_freq: d_bagging_freq(),
            max_iterations: d_iters(),
            early_stopping_rounds: d_es(),
            threads: d_threads(),
            scale_pos_weight_cap: d_cap(),
            max_bin: d_max_bin(),
            stop_metric: d_stop_metric(),
        }
    }
}

/// `stages/models.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default = "d_models")]
    pub models: Vec<Family>,
    #[serde(default = "d_cal")]
    pub calibration: Vec<CalMethod>,
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// Fewer positives than this over all training rows: the division is skipped (with a reason).
    #[serde(default = "d_min_pos")]
    pub min_positives: usize,
    #[serde(default = "d_topk")]
    pub top_k_percents: Vec<f64>,
    /// Candidates within this many standard errors of the best mean out-of-time lift@10 are
    /// tied, and the best mean AUC among them wins (`select.rs`); 0 is the plain lift@10 rule.
    #[serde(default = "d_lift_tolerance")]
    pub lift_tolerance_se: f64,
    /// Also fit the fixed baseline (LightGBM with the library's defaults on all training rows,
    /// `baseline/` beside the model) for `validate` to score on the holdout: a yardstick for
    /// `bench/quality.sh`, never selected.
    #[serde(default)]
    pub baseline: bool,
    /// A fit (either family) on more rows than this keeps every positive and a seeded sample
    /// of the negatives, weighted by the inverse of its sampling rate (`fit::sample_negatives`);
    /// 0 fits every row. Validation folds and early-stopping rows are never sampled.
    #[serde(default)]
    pub max_fit_rows: u64,
    #[serde(default)]
    pub logreg: LogregGrid,
    #[serde(default)]
    pub lgbm: LgbmGrid,
}

impl Params {
    pub fn check(&self) -> Result<(), String> {
        if self.models.is_empty() {
            return Err("`models` must name at least one family (logreg, lgbm)".into());
        }
        if self.logreg.c.iter().any(|&c| c <= 0.0)
            || self
                .logreg
                .l1_ratio
                .iter()
                .any(|r| !(0.0..=1.0).contains(r))
        {
            return Err("`logreg.c` must be positive and `logreg.l1_ratio` in [0, 1]".into());
        }
        let g = &self.lgbm;
        if g.bagging_fraction.iter().any(|f| !(*f > 0.0 && *f <= 1.0))
            || g.feature_fraction.iter().any(|f| !(*f > 0.0 && *f <= 1.0))
            || g.bagging_freq == 0
        {
            return Err("`lgbm.feature_fraction` and `lgbm.bagging_fraction` must be in (0, 1], `lgbm.bagging_freq` at least 1".into());
        }
        if !["auc", "binary_logloss"].contains(&g.stop_metric.as_str()) {
            return Err(format!(
                "`lgbm.stop_metric` must be auc or binary_logloss, not {:?}",
                g.stop_metric
            ));
        }
        if !(2..=65535).contains(&g.max_bin) {
            return Err("`lgbm.max_bin` must be between 2 and 65535".into());
        }
        if !(self.lift_tolerance_se >= 0.0 && self.lift_tolerance_se.is_finite()) {
            return Err("`lift_tolerance_se` must be a number >= 0".into());
        }
        if self
            .top_k_percents
            .iter()
            .any(|k| !(0.0..=100.0).contains(k) || *k == 0.0)
            || !self.top_k_percents.contains(&10.0)
        {
            return Err(
                "`top_k_percents` must be in (0, 100] and include 10 (selection uses lift@10)"
                    .into(),
            );
        }
        Ok(())
    }

    pub fn candidates(&self) -> Vec<Candidate> {
        let mut out = Vec::new();
        for f in &self.models {
            match f {
                Family::Logreg => {
                    // C ascending within each l1_ratio: each fit warm-starts from the previous.
                    let mut cs = self.logreg.c.clone();
                    cs.sort_by(f64::total_cmp);
                    for &r in &self.logreg.l1_ratio {
                        for &c in &cs {
                            out.push(Candidate { family: Family::Logreg, params: json!({"c": c, "l1_ratio": r, "tolerance": self.logreg.tolerance, "max_fit_rows": self.max_fit_rows}) });
                        }
                    }
                }
                Family::Lgbm => {
                    let g = &self.lgbm;
                    for &nl in &g.num_leaves {
                        for &md in &g.min_data_in_leaf {
                            for &lr in &g.learning_rate {
                                for &ff in &g.feature_fraction {
                                    for &bf in &g.bagging_fraction {
                                        out.push(Candidate {
                                            family: Family::Lgbm,
                                            params: json!({
                                                "num_leaves": nl, "min_data_in_leaf": md, "learning_rate": lr, "feature_fraction": ff,
                                                "bagging_fraction": bf, "bagging_freq": if bf < 1.0 { g.bagging_freq } else { 0 },
                                                "max_iterations": g.max_iterations, "early_stopping_rounds": g.early_stopping_rounds,
                                                "threads": g.threads, "scale_pos_weight_cap": g.scale_pos_weight_cap, "max_bin": g.max_bin,
                                                "stop_metric": g.stop_metric, "max_fit_rows": self.max_fit_rows,
                                            }),
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }
}
