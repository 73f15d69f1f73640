//! `train`: one model per division, across cutoffs, validated and calibrated out of time.
//!
//! Rows are (customer, cutoff) pairs stacked over the training cutoffs. Validation is rolling
//! origin: fold k trains on the cutoffs before the k-th and validates on the k-th. Every grid point
//! of every family is scored on every fold; the winner has the best mean lift@10 (mean Brier breaks
//! ties). Platt and isotonic calibrators are compared by Brier on out-of-time predictions, each
//! fitted on the other folds' predictions (leave one fold out); the chosen one is then fitted on
//! all out-of-time predictions. The final model is refitted on all cutoffs with the chosen
//! settings. Every metric reported is out of time: nothing is measured on rows a model saw.

pub mod data;
pub mod fit;
pub mod sample;
pub mod score;
pub mod select;

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use self::data::Stacked;
use self::fit::{Candidate, Family, Model};
use super::{write_csv, Role, Stage, StageContext, StageError};
use crate::ml::calibrate::{Isotonic, Platt};
use crate::ml::metrics;

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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibrator {
    None,
    Platt(Platt),
    Isotonic(Isotonic),
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

impl Calibrator {
    pub fn fit(m: CalMethod, p: &[f64], y: &[u8]) -> Calibrator {
        match m {
            CalMethod::None => Calibrator::None,
            CalMethod::Platt => Calibrator::Platt(Platt::fit(
                &p.iter().map(|&v| logit(v)).collect::<Vec<_>>(),
                y,
            )),
            CalMethod::Isotonic => Calibrator::Isotonic(Isotonic::fit(
                p,
                &y.iter().map(|&v| v as f64).collect::<Vec<_>>(),
            )),
        }
    }
    pub fn apply(&self, p: f64) -> f64 {
        match self {
            Calibrator::None => p,
            Calibrator::Platt(c) => c.predict(logit(p)),
            Calibrator::Isotonic(c) => c.predict(p),
        }
    }
}

/// Out-of-time metrics of one set of predictions.
fn scores(y: &[u8], p: &[f64], ids: &[&str], revenue: &[f64], ks: &[f64]) -> Value {
    let mut v = json!({
        "rows": y.len(),
        "positives": y.iter().filter(|&&t| t == 1).count(),
        "auc": metrics::roc_auc(y, p),
        "pr_auc": metrics::average_precision(y, p),
        "brier": metrics::brier(y, p),
        "log_loss": metrics::log_loss(y, p),
        "calibration_mae": metrics::calibration_mae(y, p, 10),
    });
    let ranking = metrics::Ranking::of(p, ids);
    v["revenue_lift@10"] = json!(ranking.revenue_lift(y, revenue, 10.0));
    for &k in ks {
        v[format!("lift@{k}")] = json!(ranking.lift(y, k));
    }
    v
}

fn mean_of(folds: &[Value], key: &str) -> Value {
    let xs: Vec<f64> = folds.iter().filter_map(|f| f[key].as_f64()).collect();
    if xs.is_empty() {
        Value::Null
    } else {
        json!(xs.iter().sum::<f64>() / xs.len() as f64)
    }
}

/// What training produced.
// One per training run: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Trained {
    Model {
        model: Model,
        calibrator: Option<Calibrator>,
        report: Value,
        oot: Vec<(usize, f64)>,
        /// The fixed baseline, when `baseline` is set.
        baseline: Option<Model>,
    },
    Skipped {
        reason: String,
        report: Value,
    },
}

/// Trains one division on stacked rows.
/// Trains a division: the grid out of time, selection, calibration and the final refit. `cores`
/// is how many fits may run at once; the result is the same for any value.
pub fn train(d: &Stacked, p: &Params, division: &str, cores: usize) -> Result<Trained, String> {
    p.check()?;
    let n_cut = d.cutoffs.len();
    if n_cut < 2 {
        return Err(format!(
            "{division}: out-of-time validation needs at least two training cutoffs, got {n_cut}"
        ));
    }
    let cutoffs: Vec<String> = d.cutoffs.iter().map(|c| c.to_string()).collect();
    let positives = d.y.iter().filter(|&&v| v == 1).count();
    let base = json!({
        "division": division,
        "cutoffs": cutoffs,
        "rows": d.y.len(),
        "positives": positives,
        "prevalence": positives as f64 / d.y.len().max(1) as f64,
        "features": d.names.len(),
    });
    let skip = |reason: String| {
        Ok(Trained::Skipped {
            report: json!({"status": "skipped", "reason": reason, "data": base}),
            reason,
        })
    };
    if positives < p.min_positives {
        return skip(format!(
            "{positives} positive rows over all cutoffs, fewer than `min_positives` = {}",
            p.min_positives
        ));
    }
    // Purge: a training row whose label window ends after the validation cutoff has seen
    // purchases from the validation period; it leaves that fold (and only that fold).
    let window_end = |j: usize| super::history::add_months(d.cutoffs[j], d.window_months as i32);
    let mut purged = Vec::new();
    let folds: Vec<(Vec<usize>, Vec<usize>)> = (1..n_cut)
        .map(|k| {
            let before: Vec<usize> = (0..d.y.len()).filter(|&i| d.cutoff_of[i] < k).collect();
            let train: Vec<usize> = before
                .iter()
                .copied()
                .filter(|&i| window_end(d.cutoff_of[i]) <= d.cutoffs[k])
                .collect();
            purged.push(before.len() - train.len());
            let valid: Vec<usize> = (0..d.y.len()).filter(|&i| d.cutoff_of[i] == k).collect();
            (train, valid)
        })
        .collect();
    if let Some(k) = folds.iter().position(|(tr, _)| tr.is_empty()) {
        return Err(format!(
            "{division}: fold {} has no training rows once purged: every earlier cutoff's {}-month label window reaches past the validation cutoff {}; space the cutoffs at least `window_months` apart",
            k + 1,
            d.window_months,
            d.cutoffs[k + 1]
        ));
    }
    for (k, (tr, va)) in folds.iter().enumerate() {
        for (what, rows) in [("training", tr), ("validation", va)] {
            let pos = rows.iter().filter(|&&i| d.y[i] == 1).count();
            if pos == 0 || pos == rows.len() {
                return skip(format!(
                    "fold {} ({} {what} rows at {}) has a single class",
                    k + 1,
                    rows.len(),
                    d.cutoffs[k + usize::from(what == "validation")]
                ));
            }
        }
    }
    let ids: Vec<&str> = d.ids.iter().map(String::as_str).collect();
    let pick = |rows: &[usize]| -> (Vec<u8>, Vec<&str>, Vec<f64>) {
        (
            rows.iter().map(|&i| d.y[i]).collect(),
            rows.iter().map(|&i| ids[i]).collect(),
            rows.iter().map(|&i| d.revenue[i]).collect(),
        )
    };

    // Grid search, every candidate on every fold, as independent chains run on `cores` threads:
    // an LR chain is the candidates of one l1_ratio on one fold (each warm-started from the one
    // before, along `c`); a LightGBM chain is a share of a fold's candidates, fitted on the
    // fold's rows binned once. Every fit is single-threaded and sees exactly what it would in a
    // sequential loop, so the results do not depend on `cores`.
    let cands = p.candidates();
    let mut chains: Vec<(usize, Vec<usize>)> = Vec::new();
    for k in 0..folds.len() {
        for (ci, c) in cands.iter().enumerate() {
            if c.family != Family::Logreg {
                continue;
            }
            let continues = ci > 0
                && cands[ci - 1].family == Family::Logreg
                && c.params["l1_ratio"] == cands[ci - 1].params["l1_ratio"];
            match chains.last_mut() {
                Some((ck, v)) if continues && *ck == k => v.push(ci),
                _ => chains.push((k, vec![ci])),
            }
        }
        let gbm: Vec<usize> = (0..cands.len())
            .filter(|&ci| cands[ci].family == Family::Lgbm)
            .collect();
        let shares = cores.clamp(1, gbm.len().max(1));
        for share in 0..shares {
            let v: Vec<usize> = gbm.iter().copied().skip(share).step_by(shares).collect();
            if !v.is_empty() {
                chains.push((k, v));
            }
        }
    }
    type FoldFit = (usize, usize, Vec<f64>, Value, Option<usize>);
    let run_chain = |(k, chain): &(usize, Vec<usize>)| -> Result<Vec<FoldFit>, String> {
        let (tr, va) = &folds[*k];
        let models: Vec<Model> = if cands[chain[0]].family == Family::Lgbm {
            // LightGBM stops early on customers held out of the fold's *training* rows: the
            // fold it is scored on never tunes it (the LR gets no such help either).
            let (fit_rows, stop_rows) = early_stopping_split(d, tr);
            let stop = has_both_classes(d, &stop_rows).then_some(stop_rows.as_slice());
            let cs: Vec<&Candidate> = chain.iter().map(|&ci| &cands[ci]).collect();
            fit::fit_lgbm_all(&cs, d, &fit_rows, stop, p.seed, None)?
        } else {
            let mut warm: Option<crate::ml::logreg::LogReg> = None;
            let mut out = Vec::new();
            for &ci in chain {
                let m = fit::fit(&cands[ci], d, tr, None, p.seed, None, warm.as_ref())?;
                if let Model::Logreg { lr, .. } = &m {
                    warm = Some(lr.clone());
                }
                out.push(m);
            }
            out
        };
        let mut out = Vec::new();
        for (&ci, m) in chain.iter().zip(models) {
            let pr = m.predict(d, va)?;
            let (y, vid, rev) = pick(va);
            let score = scores(&y, &pr, &vid, &rev, &p.top_k_percents);
            out.push((ci, *k, pr, score, m.iterations()));
        }
        Ok(out)
    };
    let fitted: Vec<FoldFit> = if cores > 1 && chains.len() > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .build()
            .map_err(|e| format!("cannot start {cores} training threads: {e}"))?;
        pool.install(|| {
            use rayon::prelude::*;
            // Longest first (LightGBM chains are one fit, LR chains several): less idle tail.
            let mut order: Vec<&(usize, Vec<usize>)> = chains.iter().collect();
            order.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
            order
                .into_par_iter()
                .map(run_chain)
                .collect::<Result<Vec<_>, _>>()
        })?
        .into_iter()
        .flatten()
        .collect()
    } else {
        chains
            .iter()
            .map(run_chain)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect()
    };
    // Back into grid order: candidate, then fold.
    let mut by_cand: Vec<Vec<Option<FoldFit>>> = vec![vec![None; folds.len()]; cands.len()];
    for f in fitted {
        let (ci, k) = (f.0, f.1);
        by_cand[ci][k] = Some(f);
    }
    let mut grid = Vec::new();
    let mut evidence = Vec::new();
    let mut all_preds: Vec<Vec<Vec<f64>>> = Vec::new();
    let mut iters: Vec<Vec<usize>> = Vec::new();
    for (ci, c) in cands.iter().enumerate() {
        let mut preds = Vec::new();
        let mut fold_scores = Vec::new();
        let mut its = Vec::new();
        for f in by_cand[ci].iter_mut() {
            let (_, _, pr, score, it) = f.take().expect("every candidate fitted on every fold");
            preds.push(pr);
            fold_scores.push(score);
            its.extend(it);
        }
        let lift = mean_of(&fold_scores, "lift@10").as_f64().unwrap_or(0.0);
        let brier = mean_of(&fold_scores, "brier").as_f64().unwrap_or(1.0);
        let per_fold =
            |k: &str| -> Vec<f64> { fold_scores.iter().filter_map(|s| s[k].as_f64()).collect() };
        evidence.push(select::Evidence {
            lifts: per_fold("lift@10"),
            aucs: per_fold("auc"),
            brier,
        });
        grid.push(json!({"candidate": c, "mean_lift@10": lift, "mean_auc": mean_of(&fold_scores, "auc"), "mean_brier": brier, "folds": fold_scores, "best_iterations": its}));
        all_preds.push(preds);
        iters.push(its);
    }
    let choice = select::choose(&evidence, p.lift_tolerance_se);
    let win = choice.winner;
    let winner = &cands[win];
    let oot = &all_preds[win];
    let pooled: Vec<f64> = oot.iter().flatten().copied().collect();
    let mean = pooled.iter().sum::<f64>() / pooled.len() as f64;
    if pooled.iter().all(|v| (v - mean).abs() < 1e-9) {
        return Err(format!("{division}: degenerate classifier: the selected model ({}) gives every row the same score", winner.label()));
    }

    // Calibration: compare methods by Brier, each fitted without the fold it is scored on.
    let ys: Vec<Vec<u8>> = folds
        .iter()
        .map(|(_, va)| va.iter().map(|&i| d.y[i]).collect())
        .collect();
    let mut cal_report = Vec::new();
    let mut chosen: Option<(CalMethod, f64)> = None;
    for &m in &p.calibration {
        let mut briers = Vec::new();
        for k in 0..folds.len() {
            let (fit_p, fit_y): (Vec<f64>, Vec<u8>) = if folds.len() > 1 {
                let others = (0..folds.len()).filter(|&o| o != k);
                (
                    others.clone().flat_map(|o| oot[o].clone()).collect(),
                    others.flat_map(|o| ys[o].clone()).collect(),
                )
            } else {
                (oot[k].clone(), ys[k].clone())
            };
            let cal = Calibrator::fit(m, &fit_p, &fit_y);
            let calibrated: Vec<f64> = oot[k].iter().map(|&v| cal.apply(v)).collect();
            briers.push(metrics::brier(&ys[k], &calibrated));
        }
        let b = briers.iter().sum::<f64>() / briers.len() as f64;
        cal_report.push(json!({"method": m, "mean_brier": b, "fold_briers": briers}));
        if chosen.is_none_or(|(_, cb)| b < cb) {
            chosen = Some((m, b));
        }
    }
    let all_y: Vec<u8> = ys.iter().flatten().copied().collect();
    let calibrator = chosen.map(|(m, _)| Calibrator::fit(m, &pooled, &all_y));
    // Out-of-time metrics of the chosen model, with leave-one-fold-out calibration.
    let mut fold_metrics = Vec::new();
    let mut oot_rows: Vec<(usize, f64)> = Vec::new();
    for (k, (_, va)) in folds.iter().enumerate() {
        let cal_p: Vec<f64> = match chosen {
            Some((m, _)) => {
                let (fp, fy): (Vec<f64>, Vec<u8>) = if folds.len() > 1 {
                    let others = (0..folds.len()).filter(|&o| o != k);
                    (
                        others.clone().flat_map(|o| oot[o].clone()).collect(),
                        others.flat_map(|o| ys[o].clone()).collect(),
                    )
                } else {
                    (oot[k].clone(), ys[k].clone())
                };
                let c = Calibrator::fit(m, &fp, &fy);
                oot[k].iter().map(|&v| c.apply(v)).collect()
            }
            None => oot[k].clone(),
        };
        let (y, vid, rev) = pick(va);
        let mut s = scores(&y, &cal_p, &vid, &rev, &p.top_k_percents);
        s["cutoff"] = json!(d.cutoffs[k + 1].to_string());
        s["trained_on"] = json!(d.cutoffs[..=k]
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>());
        s["auc_uncalibrated"] = json!(metrics::roc_auc(&y, &oot[k]));
        fold_metrics.push(s);
        oot_rows.extend(va.iter().copied().zip(cal_p));
    }
    let mut mean = json!({});
    for key in [
        "auc",
        "pr_auc",
        "brier",
        "log_loss",
        "calibration_mae",
        "revenue_lift@10",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(p.top_k_percents.iter().map(|k| format!("lift@{k}")))
    {
        mean[&key] = mean_of(&fold_metrics, &key);
    }

    // Final refit on every cutoff with the chosen settings.
    let all: Vec<usize> = (0..d.y.len()).collect();
    let its = &iters[win];
    let final_iters = (!its.is_empty()).then(|| {
        (its.iter().sum::<usize>() as f64 / its.len() as f64)
            .round()
            .max(1.0) as u32
    });
    let model = fit::fit(winner, d, &all, None, p.seed, final_iters, None)?;
    let report = json!({
        "status": "trained",
        "data": base,
        "validation": "rolling origin: fold k trains on the cutoffs before the k-th and validates on the k-th",
        "purged_training_rows_per_fold": purged,
        "early_stopping": "LightGBM stops on about 1 in 5 of the fold's training customers (by a hash of the id), held out of its fit; the validation fold tunes nothing",
        "negative_sampling": sampling_note(p.max_fit_rows),
        "selection": {
            "rule": format!("mean out-of-time lift@10, candidates within {} standard error(s) of the best tied; among them the best mean AUC, then lower mean Brier", p.lift_tolerance_se),
            "best_mean_lift@10": choice.best_lift,
            "lift@10_standard_error": choice.lift_standard_error,
            "tied": choice.tied.iter().map(|&i| &cands[i]).collect::<Vec<_>>(),
            "winner": winner,
            "final_iterations": final_iters,
        },
        "calibration": {
            "rule": "lowest mean Brier on out-of-time predictions, each calibrator fitted without the fold it is scored on",
            "compared": cal_report,
            "chosen": chosen.map(|c| c.0),
        },
        "metrics": {"folds": fold_metrics, "mean": mean},
        "grid": grid,
    });
    let baseline = if p.baseline {
        Some(fit::fit(
            &baseline_candidate(),
            d,
            &all,
            None,
            p.seed,
            Some(100),
            None,
        )?)
    } else {
        None
    };
    Ok(Trained::Model {
        model,
        calibrator,
        report,
        oot: oot_rows,
        baseline,
    })
}

/// LightGBM with the library's defaults (100 trees of 31 leaves at rate 0.1, 20 rows a leaf, no
/// class weighting, no early stopping, no calibration): the fixed simple baseline.
fn baseline_candidate() -> Candidate {
    Candidate {
        family: Family::Lgbm,
        params: json!({
            "num_leaves": 31, "min_data_in_leaf": 20, "learning_rate": 0.1, "feature_fraction": 1.0,
            "bagging_fraction": 1.0, "bagging_freq": 0, "max_iterations": 100, "threads": 1,
            "scale_pos_weight_cap": 1.0,
        }),
    }
}

fn write_text(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("json");
    s.push('\n');
    s
}

/// The columns of a gains table (`metrics::Gain`), for `gains.csv` and the holdout's.
pub const GAINS_HEADER: &[&str] = &[
    "decile",
    "rows",
    "positives",
    "positive_rate",
    "cumulative_capture",
    "lift",
];

/// Writes the division's artifacts into `dir`.
pub fn write(
    t: &Trained,
    d: &Stacked,
    p: &Params,
    division: &str,
    dir: &Path,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let (model, calibrator, report, oot) = match t {
        Trained::Skipped { report, .. } => {
            return write_text(&dir.join("model_card.json"), &pretty(report))
        }
        Trained::Model {
            model,
            calibrator,
            report,
            oot,
            baseline,
        } => {
            if let Some(b) = baseline {
                let bdir = dir.join("baseline");
                std::fs::create_dir_all(&bdir)
                    .map_err(|e| format!("cannot create `{}`: {e}", bdir.display()))?;
                let (text, name) = b.export(d)?;
                write_text(&bdir.join(name), &text)?;
                write_text(&bdir.join("calibrator.json"), "null\n")?;
                write_text(&bdir.join("feature_list.json"), &pretty(&json!(d.names)))?;
            }
            (model, calibrator, report, oot)
        }
    };
    let (text, name) = model.export(d)?;
    write_text(&dir.join(name), &text)?;
    write_text(&dir.join("calibrator.json"), &pretty(&json!(calibrator)))?;
    write_text(&dir.join("feature_list.json"), &pretty(&json!(d.names)))?;
    write_text(&dir.join("metrics.json"), &pretty(&report["metrics"]))?;
    if !report["grid"].is_null() {
        // The selection's evidence: every candidate's out-of-time scores on every fold.
        write_text(&dir.join("grid.json"), &pretty(&report["grid"]))?;
    }
    let y: Vec<u8> = oot.iter().map(|&(i, _)| d.y[i]).collect();
    let pr: Vec<f64> = oot.iter().map(|&(_, v)| v).collect();
    let keys: Vec<String> = oot
        .iter()
        .map(|&(i, _)| format!("{}@{}", d.ids[i], d.cutoffs[d.cutoff_of[i]]))
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    write_csv(
        &dir.join("gains.csv"),
        GAINS_HEADER,
        metrics::gains(&y, &pr, &keys),
    )?;
    write_csv(
        &dir.join(format!("calibration_{division}.csv")),
        &["mean_predicted", "observed_rate", "count"],
        metrics::calibration_bins(&y, &pr, 10),
    )?;
    let mut sorted = pr.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    write_csv(
        &dir.join("thresholds.csv"),
        &["k_percent", "count", "threshold"],
        p.top_k_percents.iter().map(|&k| {
            let n = metrics::top_k(sorted.len(), k);
            (
                k,
                n,
                sorted.get(n.saturating_sub(1)).copied().unwrap_or(0.0),
            )
        }),
    )?;
    let card = json!({
        "division": division,
        "status": "trained",
        "data": report["data"],
        "data_window": {"first_cutoff": d.cutoffs.first().map(|c| c.to_string()), "last_cutoff": d.cutoffs.last().map(|c| c.to_string())},
        "censored_cutoffs_excluded": report["censored_cutoffs_excluded"],
        "purged_training_rows_per_fold": report["purged_training_rows_per_fold"],
        "negative_sampling": report["negative_sampling"],
        "grid_searched": p.candidates(),
        "selected": report["selection"],
        "calibration": report["calibration"],
        "metrics_out_of_time": report["metrics"]["mean"],
        "feature_importance_top20": model.importance(d).into_iter().take(20).map(|(f, v)| json!({"feature": f, "importance": v})).collect::<Vec<_>>(),
        "note": "every metric here is out of time (rolling origin); none is measured on rows the model was fitted on",
    });
    write_text(&dir.join("model_card.json"), &pretty(&card))
}

/// Pairs feature and label partition directories by cutoff and stacks them.
/// Reads and stacks (features, labels) partitions in cutoff order, one part in memory at a time.
pub fn load(pairs: &[(std::path::PathBuf, std::path::PathBuf)]) -> Result<Stacked, String> {
    let mut dated = pairs
        .iter()
        .map(|(f, l)| Ok((data::features_cutoff(f)?, f, l)))
        .collect::<Result<Vec<_>, String>>()?;
    dated.sort_by_key(|(c, _, _)| *c);
    let mut s = Stacked::empty();
    for (_, f, l) in dated {
        s.push(data::load_part(f, l)?);
    }
    Ok(s)
}

pub struct TrainStage;

impl Stage for TrainStage {
    fn roles(&self) -> &'static [Role] {
        &[
            Role {
                name: "labels",
                default_node: "labels",
                required: true,
                about: "the labels of each training cutoff",
            },
            Role {
                name: "features",
                default_node: "features",
                required: true,
                about: "the feature matrix of each training cutoff",
            },
        ]
    }
    fn name(&self) -> &'static str {
        "train"
    }
    fn summary(&self) -> &'static str {
        "per-division models across cutoffs, selected and calibrated out of time"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        p.check()
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let division = super::labels::partition_division(ctx)?;
        let cutoff_of = |dir: &Path, file: &str| -> Option<String> {
            let v: Value = serde_json::from_slice(&std::fs::read(dir.join(file)).ok()?).ok()?;
            v["cutoff"].as_str().map(str::to_string)
        };
        let labels: Vec<(String, std::path::PathBuf)> = ctx
            .upstream("labels")
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .filter_map(|p| cutoff_of(p, "cutoff.json").map(|c| (c, p.clone())))
            .collect();
        let mut pairs = Vec::new();
        for (_, ps) in ctx.upstream("features") {
            for f in ps {
                let Some(c) = cutoff_of(f, "feature_stats.json") else {
                    continue;
                };
                let l = labels.iter().find(|(lc, _)| *lc == c).ok_or_else(|| {
                    StageError::Data(format!(
                        "no labels for cutoff {c} (does the node need `labels@{{division}}`?)"
                    ))
                })?;
                pairs.push((f.clone(), l.1.clone()));
            }
        }
        let definition = super::labels::definition_of(pairs.iter().map(|(_, l)| l.as_path()))
            .map_err(StageError::Data)?;
        // A censored label window (it runs past the last date of the data) undercounts
        // buyers: such a cutoff is not trained on, and the model card says so.
        let censored = |l: &Path| -> Option<String> {
            let v: Value =
                serde_json::from_slice(&std::fs::read(l.join("cutoff.json")).ok()?).ok()?;
            (v["censored"] == true).then(|| v["cutoff"].as_str().unwrap_or("?").to_string())
        };
        let excluded: Vec<String> = pairs.iter().filter_map(|(_, l)| censored(l)).collect();
        if !excluded.is_empty() {
            ctx.warn(format!(
                "{division}: not trained on cutoff(s) {} whose label window runs past the data (censored labels undercount buyers)",
                excluded.join(", ")
            ));
            pairs.retain(|(_, l)| censored(l).is_none());
        }
        let d = load(&pairs).map_err(StageError::Data)?;
        // Fits run `ctx.cores()` at a time (1 unless the run has idle cores): the same outputs.
        let mut t = train(&d, &p, &division, ctx.cores()).map_err(StageError::Data)?;
        match &mut t {
            Trained::Model { report, .. } | Trained::Skipped { report, .. } => {
                report["censored_cutoffs_excluded"] = json!(excluded);
            }
        }
        if let Trained::Skipped { reason, .. } = &t {
            ctx.warn(format!("{division} skipped: {reason}"));
        }
        let out = ctx.output_dir()?;
        write(&t, &d, &p, &division, out).map_err(StageError::Data)?;
        // Validation reads the label definition from here: the one the model was trained on.
        write_text(
            &out.join(super::labels::DEFINITION_FILE),
            &pretty(&definition),
        )
        .map_err(StageError::Data)?;
        let features: Vec<&Path> = pairs.iter().map(|(f, _)| f.as_path()).collect();
        write_text(
            &out.join("winsor_caps.json"),
            &pretty(&winsor_caps(&features).map_err(StageError::Data)?),
        )
        .map_err(StageError::Data)
    }
}

/// The winsorisation caps to apply when this model scores: per column, the largest cap of the
/// training partitions, so a scoring matrix is clipped to the range the model was fitted on
/// rather than at its own quantile (the original recomputed caps on every matrix: bug 32).
pub fn winsor_caps(features: &[&Path]) -> Result<Value, String> {
    let mut caps: std::collections::BTreeMap<String, f64> = Default::default();
    let mut cutoffs = Vec::new();
    for dir in features {
        let path = dir.join("feature_stats.json");
        let v: Value = serde_json::from_slice(
            &std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
        )
        .map_err(|e| format!("`{}`: {e}", path.display()))?;
        cutoffs.push(v["cutoff"].clone());
        for (k, c) in v["winsor_caps"].as_object().into_iter().flatten() {
            if let Some(c) = c.as_f64() {
                let e = caps.entry(k.clone()).or_insert(c);
                *e = e.max(c);
            }
        }
    }
    cutoffs.sort_by_key(|c| c.to_string());
    Ok(json!({
        "rule": "per column, the largest winsorisation cap over the training partitions",
        "cutoffs": cutoffs,
        "caps": caps,
    }))
}

/// Splits a fold's training rows into rows to fit on and rows to stop early on: about one
/// customer in five, chosen by a hash of the id, so one customer's rows at several cutoffs stay
/// on one side and the split is the same on every run.
pub fn early_stopping_split(d: &Stacked, rows: &[usize]) -> (Vec<usize>, Vec<usize>) {
    rows.iter().partition(|&&i| {
        let h = blake3::hash(d.ids[i].as_bytes());
        h.as_bytes()[0] % 5 != 0
    })
}

/// What the model card says of `max_fit_rows`.
fn sampling_note(cap: u64) -> String {
    if cap == 0 {
        return "none: every fit sees all its rows".into();
    }
    format!("a fit on more than {cap} rows keeps every positive and a seeded sample of the negatives (never fewer than the positives), each weighted by the inverse of its sampling rate; validation folds and early-stopping rows are never sampled")
}

fn has_both_classes(d: &Stacked, rows: &[usize]) -> bool {
    rows.iter().any(|&i| d.y[i] == 1) && rows.iter().any(|&i| d.y[i] == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::parse_params;
    use chrono::NaiveDate;

    fn stacked(y: Vec<u8>, cutoff_of: Vec<usize>, n_cut: usize) -> Stacked {
        let n = y.len();
        let mut rng = crate::synth::Rng::new(1, 1);
        Stacked {
            window_months: 6,
            cutoffs: (0..n_cut)
                .map(|k| NaiveDate::from_ymd_opt(2023 + k as i32, 6, 30).unwrap())
                .collect(),
            cutoff_of,
            ids: (0..n).map(|i| format!("c{i:04}")).collect(),
            revenue: y.iter().map(|&v| v as f64 * 100.0).collect(),
            names: vec!["signal".into(), "noise".into()],
            cols: vec![
                y.iter().map(|&v| v as f64 + rng.f64()).collect(),
                (0..n).map(|_| rng.f64()).collect(),
            ],
            y,
        }
    }

    #[test]
    fn the_stopping_metric_is_checked_and_reaches_every_lightgbm_candidate() {
        let p: Params = parse_params(&json!({"lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.1], "feature_fraction": [1.0], "stop_metric": "binary_logloss"}})).unwrap();
        p.check().unwrap();
        let lgbm: Vec<Candidate> = p
            .candidates()
            .into_iter()
            .filter(|c| c.family == Family::Lgbm)
            .collect();
        assert!(lgbm
            .iter()
            .all(|c| c.params["stop_metric"] == "binary_logloss"));
        let bad: Params = parse_params(&json!({"lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.1], "feature_fraction": [1.0], "stop_metric": "aucpr"}})).unwrap();
        let e = bad.check().unwrap_err();
        assert!(e.contains("lgbm.stop_metric") && e.contains("aucpr"), "{e}");
    }

    fn params() -> Params {
        let mut p: Params =
            parse_params(&json!({"models": ["logreg"], "logreg": {"c": [1.0], "l1_ratio": [0.0]}}))
                .unwrap();
        p.min_positives = 5;
        p
    }

    #[test]
    fn the_identity_calibrator_keeps_probabilities_and_round_trips() {
        let c = Calibrator::fit(CalMethod::None, &[0.2, 0.7], &[0, 1]);
        assert_eq!(c.apply(0.123), 0.123);
        let text = serde_json::to_value(&c).unwrap();
        assert_eq!(text, json!({"method": "none"}));
        let back: Option<Calibrator> = serde_json::from_value(text).unwrap();
        assert_eq!(back.unwrap().apply(0.9), 0.9);
        let p: Params = parse_params(&json!({"calibration": ["none", "platt"]})).unwrap();
        assert_eq!(p.calibration, vec![CalMethod::None, CalMethod::Platt]);
    }

    #[test]
    fn guardrails() {
        // One cutoff: no out-of-time validation possible.
        let d = stacked(vec![0, 1, 0, 1], vec![0; 4], 1);
        assert!(train(&d, &params(), "X", 1)
            .err()
            .unwrap()
            .contains("at least two training cutoffs"));
        // Too few positives: skipped, with the reason.
        let d = stacked(
            vec![0, 1, 0, 0, 0, 0, 1, 0],
            vec![0, 0, 0, 0, 1, 1, 1, 1],
            2,
        );
        match train(&d, &params(), "X", 1).unwrap() {
            Trained::Skipped { reason, .. } => {
                assert!(reason.contains("fewer than `min_positives`"), "{reason}")
            }
            Trained::Model { .. } => panic!("should skip"),
        }
        // An all-negative validation fold: skipped, naming the fold.
        let mut y = vec![0u8; 40];
        for v in y.iter_mut().take(10) {
            *v = 1;
        }
        let d = stacked(y, (0..40).map(|i| usize::from(i >= 20)).collect(), 2);
        match train(&d, &params(), "X", 1).unwrap() {
            Trained::Skipped { reason, .. } => assert!(reason.contains("single class"), "{reason}"),
            Trained::Model { .. } => panic!("should skip"),
        }
    }

    #[test]
    fn early_stopping_never_sees_the_fold_it_is_scored_on() {
        let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
        let d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
        let train_rows: Vec<usize> = (0..200).collect();
        let (fit_rows, stop_rows) = early_stopping_split(&d, &train_rows);
        assert!(!stop_rows.is_empty() && fit_rows.len() > 2 * stop_rows.len());
        assert!(stop_rows.iter().all(|i| *i < 200 && !fit_rows.contains(i)));
        assert_eq!(early_stopping_split(&d, &train_rows).1, stop_rows);
    }

    #[cfg(feature = "gbm")]
    #[test]
    fn lightgbm_fold_predictions_do_not_depend_on_the_fold_labels() {
        // Were the fold's labels used to stop early, permuting them would change the trees.
        let y: Vec<u8> = (0..600).map(|i| u8::from(i % 5 == 0)).collect();
        let d = stacked(y, (0..600).map(|i| i / 200).collect(), 3);
        let mut shuffled = d.clone();
        for i in 400..600 {
            shuffled.y[i] = u8::from(i % 3 == 0);
        }
        let p: Params = parse_params(&json!({"models": ["lgbm"], "lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.3], "feature_fraction": [1.0], "max_iterations": 200, "early_stopping_rounds": 3}})).unwrap();
        let iterations = |d: &Stacked| {
            let Trained::Model { report, .. } = train(d, &p, "X", 1).unwrap() else {
                panic!("skipped")
            };
            report["grid"][0]["best_iterations"].clone()
        };
        assert_eq!(iterations(&d), iterations(&shuffled));
    }

    #[test]
    fn a_label_window_reaching_into_the_validation_fold_is_purged() {
        // Cutoffs 2023-06-30, 2024-06-30, 2024-12-31 with 12-month windows: when validating on
        // 2024-12-31, the 2024-06-30 rows' labels run to 2025-06-30, into the validation
        // period; they leave that fold. The 2023-06-30 rows end exactly at 2024-06-30: kept.
        let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
        let mut d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
        d.cutoffs[2] = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        d.window_months = 12;
        let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
            panic!("skipped")
        };
        assert_eq!(report["purged_training_rows_per_fold"], json!([0, 100]));
        // Windows longer than the gap to the next cutoff leave a fold nothing to train on.
        d.window_months = 18;
        let e = train(&d, &params(), "X", 1).err().unwrap();
        assert!(e.contains("no training rows once purged"), "{e}");
    }

    #[test]
    fn learns_and_reports_out_of_time() {
        let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
        let d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
        let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
            panic!("skipped")
        };
        let folds = report["metrics"]["folds"].as_array().unwrap();
        assert_eq!(folds.len(), 2);
        assert!(
            report["metrics"]["mean"]["auc"].as_f64().unwrap() > 0.9,
            "{report:#}"
        );
    }

    #[test]
    fn fits_run_in_parallel_with_the_same_results_as_one_at_a_time() {
        let y: Vec<u8> = (0..600).map(|i| u8::from(i % 4 == 0)).collect();
        let d = stacked(y, (0..600).map(|i| i / 200).collect(), 3);
        // Two LR chains (l1_ratio 0 and 0.5, two values of c each) and two LightGBM candidates
        // when the feature is on: chains of unequal length, so their order of completion varies.
        let models = if cfg!(feature = "gbm") {
            json!(["logreg", "lgbm"])
        } else {
            json!(["logreg"])
        };
        let p: Params = parse_params(&json!({"models": models, "logreg": {"c": [0.1, 1.0], "l1_ratio": [0.0, 0.5]}, "lgbm": {"num_leaves": [7, 15], "min_data_in_leaf": [10], "learning_rate": [0.3], "feature_fraction": [1.0], "max_iterations": 40}})).unwrap();
        let run = |cores: usize| match train(&d, &p, "X", cores).unwrap() {
            Trained::Model {
                report, oot, model, ..
            } => (
                report.to_string(),
                format!("{oot:?}"),
                model.export(&d).unwrap().0,
            ),
            Trained::Skipped { reason, .. } => panic!("skipped: {reason}"),
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(5));
    }
}
