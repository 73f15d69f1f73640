//! What `train` writes for a division: the model, its calibrator and feature list, the metrics,
//! the selection's evidence, gains, reliability bins, top-K thresholds and the model card.

use std::path::Path;

use serde_json::{json, Value};

use super::data::Stacked;
use super::{Params, Trained};
use crate::ml::metrics;
use crate::stages::write_csv;

pub(super) fn write_text(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

pub(super) fn pretty(v: &Value) -> String {
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
        "unvalidated_cutoffs": report["unvalidated_cutoffs"],
        "negative_sampling": report["negative_sampling"],
        "grid_searched": p.candidates(),
        "selected": report["selection"],
        "calibration": report["calibration"],
        "metrics_out_of_time": report["metrics"]["mean"],
        "skill": report["skill"],
        "feature_importance_top20": model.importance(d).into_iter().take(20).map(|(f, v)| json!({"feature": f, "importance": v})).collect::<Vec<_>>(),
        "note": "every metric here is out of time (rolling origin); none is measured on rows the model was fitted on",
        // What `icp_scores.csv` names each score's model by: findable here, not only by
        // recomputing it (an auditor found it in no record and no train output).
        "model_fingerprint": model_fingerprint(dir),
    });
    write_text(&dir.join("model_card.json"), &pretty(&card))
}

/// The `model_fingerprint` of `icp_scores.csv` and of the model card: the first 16 hex digits of
/// one blake3 over, for each of the model's files present in `dir`, its name and then its bytes.
pub fn model_fingerprint(dir: &Path) -> String {
    let mut h = blake3::Hasher::new();
    for f in [
        "model.txt",
        "model.json",
        "calibrator.json",
        "feature_list.json",
    ] {
        if let Ok(b) = std::fs::read(dir.join(f)) {
            h.update(f.as_bytes());
            h.update(&b);
        }
    }
    h.finalize().to_hex()[..16].to_string()
}
