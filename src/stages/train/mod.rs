//! `train`: one model per division, across cutoffs, validated and calibrated out of time.
//!
//! Rows are (customer, cutoff) pairs stacked over the training cutoffs. Validation is rolling
//! origin: fold k trains on the cutoffs before the k-th whose label window has closed by it
//! ([`folds`]) and validates on the k-th. Every grid point
//! of every family is scored on every fold; the winner has the best mean lift@10 (mean Brier breaks
//! ties). Platt and isotonic calibrators are compared by Brier on out-of-time predictions, each
//! fitted on the other folds' predictions (leave one fold out); the chosen one is then fitted on
//! all out-of-time predictions. The final model is refitted on all cutoffs with the chosen
//! settings. Every metric reported is out of time: nothing is measured on rows a model saw.

pub mod artifacts;
mod calibrator;
pub mod data;
pub mod fit;
mod folds;
mod params;
pub mod sample;
pub mod score;
pub mod select;
pub mod skill;

use std::path::Path;

use serde_json::{json, Value};

use self::artifacts::{pretty, write_text};
pub use self::artifacts::{write, GAINS_HEADER};
pub use self::calibrator::Calibrator;
use self::data::Stacked;
use self::fit::{Candidate, Family, Model};
use self::folds::Folds;
pub use self::params::{CalMethod, LgbmGrid, LogregGrid, Params};
use super::{Role, Stage, StageContext, StageError};
use crate::ml::metrics;

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
    let Folds {
        folds,
        fold_cut,
        purged,
        unvalidated,
        one_class_only,
    } = Folds::of(d, division)?;
    if folds.is_empty() && one_class_only {
        // Say which class is short: a division nearly everyone buys (a subscription) has too
        // few non-buyers, not too few buyers.
        let short = if 2 * positives > d.y.len() {
            "too few non-buyers (nearly every customer buys this division)"
        } else {
            "too few buyers"
        };
        return skip(format!(
            "no fold has both buyers and non-buyers to train on and to measure on (cutoffs {} tried): {short} to validate out of time",
            unvalidated.join(", ")
        ));
    }
    let trained_on = |k: usize| folds::trained_on(d, fold_cut[k]);
    for (k, (tr, va)) in folds.iter().enumerate() {
        for (what, rows) in [("training", tr), ("validation", va)] {
            let pos = rows.iter().filter(|&&i| d.y[i] == 1).count();
            if pos == 0 || pos == rows.len() {
                return skip(format!(
                    "fold {} ({} {what} rows {} {}) has a single class",
                    k + 1,
                    rows.len(),
                    if what == "validation" { "at" } else { "before" },
                    d.cutoffs[fold_cut[k]]
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
        // A candidate that gives every row of a fold one score ranks nothing there: its
        // lift@10 is the order of the tie-break, and it must not win on it (a 14-month log's
        // LightGBM of 100-row leaves beat the LR so, then failed the division; on a 92-customer
        // log, one tree a fold, a score per fold, tied the LR and won).
        let constant = preds.iter().any(|fold| is_constant(fold));
        evidence.push(select::Evidence {
            lifts: if constant {
                vec![f64::NEG_INFINITY]
            } else {
                per_fold("lift@10")
            },
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
    if oot.iter().any(|fold| is_constant(fold)) {
        return skip(format!(
            "every candidate gives every row of a validation fold the same score (the best: {}): nothing in the features ranks this division's buyers, so no model",
            winner.label()
        ));
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
            let calibrated = out_of_fold(m, oot, &ys, k);
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
            Some((m, _)) => out_of_fold(m, oot, &ys, k),
            None => oot[k].clone(),
        };
        let (y, vid, rev) = pick(va);
        let mut s = scores(&y, &cal_p, &vid, &rev, &p.top_k_percents);
        s["cutoff"] = json!(d.cutoffs[fold_cut[k]].to_string());
        s["trained_on"] = json!(trained_on(k));
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
        "validation": "rolling origin: fold k trains on the cutoffs before the k-th whose label window ends by it (purge) and validates on the k-th",
        "purged_training_rows_per_fold": purged,
        "unvalidated_cutoffs": unvalidated,
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
            "rule": if folds.len() > 1 {
                "lowest mean Brier on out-of-time predictions, each calibrator fitted without the fold it is scored on"
            } else {
                "lowest Brier on the one fold's out-of-time predictions, each half of its rows calibrated by a map fitted on the other half"
            },
            "compared": cal_report,
            "chosen": chosen.map(|c| c.0),
        },
        "metrics": {"folds": fold_metrics, "mean": mean, "mean_is": "each figure's plain mean over the folds, every fold weighing the same whatever its rows"},
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
                stages: &["labels"],
            },
            Role {
                name: "features",
                default_node: "features",
                required: true,
                about: "the feature matrix of each training cutoff",
                stages: &["features"],
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
        let cores = ctx.cores();
        let out = ctx.output_dir()?.to_path_buf();
        train_pairs(&pairs, &p, &division, cores, &mut |w| ctx.warn(w), &out).map(|_| ())
    }
}

/// Whether every prediction of a fold is one score (within 1e-9 of their mean).
fn is_constant(fold: &[f64]) -> bool {
    let m = fold.iter().sum::<f64>() / fold.len().max(1) as f64;
    fold.iter().all(|v| (v - m).abs() < 1e-9)
}

/// Trains `division` on its (features, labels) partitions, one pair per cutoff, into `out`:
/// the label definition checked alike across them (and copied beside the model, where
/// validation reads it), censored cutoffs left out (and listed), the winsorisation caps the
/// model scores with. The pipeline stage and `gosales train` both run this, so a model trained
/// by hand is the pipeline's (it had no label definition, and `validate-holdout` refused it).
pub fn train_pairs(
    pairs: &[(std::path::PathBuf, std::path::PathBuf)],
    p: &Params,
    division: &str,
    cores: usize,
    warn: &mut dyn FnMut(String),
    out: &Path,
) -> Result<Trained, StageError> {
    let definition = super::labels::definition_of(pairs.iter().map(|(_, l)| l.as_path()))
        .map_err(StageError::Data)?;
    // A censored label window (it runs past the last date of the data) undercounts
    // buyers: such a cutoff is not trained on, and the model card says so.
    let censored = |l: &Path| -> Option<String> {
        let v: Value = serde_json::from_slice(&std::fs::read(l.join("cutoff.json")).ok()?).ok()?;
        (v["censored"] == true).then(|| v["cutoff"].as_str().unwrap_or("?").to_string())
    };
    let (excluded, kept): (Vec<_>, Vec<_>) = pairs
        .iter()
        .cloned()
        .map(|pair| (censored(&pair.1), pair))
        .partition(|(c, _)| c.is_some());
    let excluded: Vec<String> = excluded.into_iter().filter_map(|(c, _)| c).collect();
    let pairs: Vec<_> = kept.into_iter().map(|(_, pair)| pair).collect();
    if !excluded.is_empty() {
        warn(format!(
                "{division}: not trained on cutoff(s) {} whose label window runs past the data (censored labels undercount buyers)",
                excluded.join(", ")
            ));
        // The stage's own error would count only what is left; say why and what to edit.
        if pairs.len() < 2 {
            return Err(StageError::Data(format!(
                    "{division}: out-of-time validation needs at least two training cutoffs; {} of the {} listed ({}) have a label window that runs past the data's last date (censored), leaving {}: list earlier cutoffs in pipeline.yaml `vars.cutoffs`, or shorten `window_months` in the labels params",
                    excluded.len(),
                    excluded.len() + pairs.len(),
                    excluded.join(", "),
                    pairs.len()
                )));
        }
    }
    // Each training partition's feature_stats.json, read once: its caps and its settings.
    let features: Vec<&Path> = pairs.iter().map(|(f, _)| f.as_path()).collect();
    let stats = feature_stats(&features).map_err(StageError::Data)?;
    let label_window = definition["window_months"].as_u64().unwrap_or(0);
    if let Some(w) = anniversary_mismatch(&stats, label_window) {
        warn(format!(
                "{division}: the features' anniversary columns mirror a {w}-month window but the labels' window is {label_window} months: set `anniversary_window_months: {label_window}` in the features params"
            ));
    }
    let d = load(&pairs).map_err(StageError::Data)?;
    // Fits run `ctx.cores()` at a time (1 unless the run has idle cores): the same outputs.
    let mut t = train(&d, p, division, cores).map_err(StageError::Data)?;
    match &mut t {
        Trained::Model { report, .. } | Trained::Skipped { report, .. } => {
            report["censored_cutoffs_excluded"] = json!(excluded);
        }
    }
    if let Trained::Skipped { reason, .. } = &t {
        warn(format!("{division}: no model, so not scored: {reason}"));
    }
    if let Trained::Model { report, oot, .. } = &mut t {
        if let Some(s) = skill::of(&d, oot) {
            if !s.better_than_chance() {
                warn(format!(
                    "{division}: the model ranks customers no better than chance out of time (AUC {:.3}, 95% lower bound {:.3}, {} buyer rows over {} fold(s), a customer buying after two cutoffs counted twice): its scores get no grade, and whitespace says so",
                    s.auc, s.lower, s.buyers, s.folds
                ));
            }
            report["skill"] = s.to_json();
        }
    }
    write(&t, &d, p, division, out).map_err(StageError::Data)?;
    // Validation reads the label definition from here: the one the model was trained on.
    write_text(
        &out.join(super::labels::DEFINITION_FILE),
        &pretty(&definition),
    )
    .map_err(StageError::Data)?;
    write_text(&out.join("winsor_caps.json"), &pretty(&winsor_caps(&stats)))
        .map_err(StageError::Data)?;
    Ok(t)
}

/// The `feature_stats.json` of each features partition, in order.
fn feature_stats(features: &[&Path]) -> Result<Vec<Value>, String> {
    features
        .iter()
        .map(|dir| {
            let path = dir.join("feature_stats.json");
            serde_json::from_slice(
                &std::fs::read(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
            )
            .map_err(|e| format!("`{}`: {e}", path.display()))
        })
        .collect()
}

/// The `anniversary_window_months` of the feature partitions when it is not the labels' window
/// (it should mirror it: the window one and two years back); `None` when they agree, it is off
/// (0), or a partition predates the record.
fn anniversary_mismatch(stats: &[Value], window_months: u64) -> Option<u64> {
    stats.iter().find_map(|v| {
        let a = v["anniversary_window_months"].as_u64()?;
        (a != 0 && window_months != 0 && a != window_months).then_some(a)
    })
}

/// The winsorisation caps to apply when this model scores: per column, the largest cap of the
/// training partitions (their `feature_stats.json`), so a scoring matrix is clipped to the range
/// the model was fitted on rather than at its own quantile (the original recomputed caps on
/// every matrix: bug 32).
pub fn winsor_caps(stats: &[Value]) -> Value {
    let mut caps: std::collections::BTreeMap<String, f64> = Default::default();
    let mut cutoffs = Vec::new();
    for v in stats {
        cutoffs.push(v["cutoff"].clone());
        for (k, c) in v["winsor_caps"].as_object().into_iter().flatten() {
            if let Some(c) = c.as_f64() {
                let e = caps.entry(k.clone()).or_insert(c);
                *e = e.max(c);
            }
        }
    }
    cutoffs.sort_by_key(|c| c.to_string());
    json!({
        "rule": "per column, the largest winsorisation cap over the training partitions",
        "cutoffs": cutoffs,
        "caps": caps,
    })
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
mod tests;

/// Fold `k`'s predictions calibrated by `m` fitted without them: on the other folds; with one
/// fold, each half of its rows (alternate rows) by a map fitted on the other half. Fitted on
/// the fold itself, the calibration would be in sample (on pure noise a Platt map fitted and
/// scored on one fold turned AUCs of 0.45 into 0.55 and its Brier beat the prevalence's).
fn out_of_fold(m: CalMethod, oot: &[Vec<f64>], ys: &[Vec<u8>], k: usize) -> Vec<f64> {
    if oot.len() > 1 {
        let others = (0..oot.len()).filter(|&o| o != k);
        let fp: Vec<f64> = others
            .clone()
            .flat_map(|o| oot[o].iter().copied())
            .collect();
        let fy: Vec<u8> = others.flat_map(|o| ys[o].iter().copied()).collect();
        let c = Calibrator::fit(m, &fp, &fy);
        return oot[k].iter().map(|&v| c.apply(v)).collect();
    }
    let (p, y) = (&oot[k], &ys[k]);
    let half = |r: usize| -> (Vec<f64>, Vec<u8>) {
        (0..p.len())
            .filter(|i| i % 2 == r)
            .map(|i| (p[i], y[i]))
            .unzip()
    };
    // Even rows by the map of the odd ones, odd rows by the map of the even ones.
    let maps = [half(1), half(0)].map(|(fp, fy)| Calibrator::fit(m, &fp, &fy));
    p.iter()
        .enumerate()
        .map(|(i, &v)| maps[i % 2].apply(v))
        .collect()
}
