//! `gosales validate-holdout`: holdout validation of one division's model, outside the
//! pipeline, written where the pipeline's `validate` node writes it unless told otherwise.

use std::path::PathBuf;

use clap::Args;

use super::phases::{bad, divisions, settings, warn_if_pipeline_output};
use super::print_json;
use crate::stages::parse_params;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Division, as in the SKU map
    #[arg(long)]
    pub division: String,
    /// The scoring cutoff: features at this date (`latest`: the pipeline's default partition,
    /// the last date of the training log), labels from the holdout log after it. Default: the
    /// one the features folder holds for the division (`score_cutoff` in pipeline.yaml)
    #[arg(long)]
    pub cutoff: Option<String>,
    /// Validation settings (as stages/validate.yaml; built-in defaults if that is absent)
    #[arg(long, default_value = "stages/validate.yaml")]
    pub config: PathBuf,
    /// Fail (exit 1) below this holdout AUC (overrides the config)
    #[arg(long)]
    pub min_auc: Option<f64>,
    /// Fail (exit 1) below this holdout lift@10 (overrides the config)
    #[arg(long)]
    pub min_lift_at_10: Option<f64>,
    /// Where the trained models are (one folder per division)
    #[arg(long, default_value = "outputs/train")]
    pub models_dir: PathBuf,
    /// Where the feature matrices are (one folder per division and cutoff)
    #[arg(long, default_value = "outputs/features_score")]
    pub features_dir: PathBuf,
    /// The star schema built from the holdout log
    #[arg(long, default_value = "outputs/holdout/star")]
    pub holdout_star: PathBuf,
    /// The holdout ETL's QA folder, for the report's `holdout_log` (what that ETL left out);
    /// default: `qa` beside the holdout star
    #[arg(long)]
    pub holdout_qa: Option<PathBuf>,
    /// Output directory (default: outputs/validate/DIVISION)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// The scoring cutoff a division's features were built at, when there is one (`latest` when
/// none is built yet, so the "build it first" advice names the default partition).
fn built_cutoff(dir: &std::path::Path) -> Result<String, Error> {
    let mut built: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("feature_stats.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    built.sort();
    match built.len() {
        0 => Ok(crate::stages::features::LATEST.to_string()),
        1 => Ok(built.remove(0)),
        _ => Err(Error::usage(
            format!(
                "`{}` holds features at several scoring cutoffs ({})",
                dir.display(),
                built.join(", ")
            ),
            Some("say which with `--cutoff`".into()),
        )),
    }
}

pub fn validate_holdout(a: &ValidateArgs) -> Result<ExitCode, Error> {
    use crate::stages::validate;
    let mut value = settings(&a.config, "stages/validate.yaml")?;
    if let Some(x) = a.min_auc {
        value["gates"]["min_auc"] = serde_json::json!(x);
    }
    if let Some(x) = a.min_lift_at_10 {
        value["gates"]["min_lift_at_10"] = serde_json::json!(x);
    }
    let p: validate::Params = parse_params(&value)
        .map_err(|reason| Error::usage(format!("invalid validation settings: {reason}"), None))?;
    let cutoff = match &a.cutoff {
        Some(c) => c.clone(),
        None => built_cutoff(&a.features_dir.join(&a.division))?,
    };
    if cutoff != crate::stages::features::LATEST {
        crate::stages::source::date(&cutoff, "--cutoff").map_err(bad)?;
    }
    let model = a.models_dir.join(&a.division);
    if !model.is_dir() {
        // A division no model is trained for, among others that are: a typo, most likely;
        // "build it first" would name a target that does not exist either.
        let mut trained: Vec<String> = std::fs::read_dir(&a.models_dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("model_card.json").is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        trained.sort();
        // A division of the SKU map not trained yet is no typo: build it first, as before.
        let mapped = std::path::Path::new("stages/sku_map.csv");
        let in_map = mapped.is_file() && divisions(mapped).is_ok_and(|d| d.contains(&a.division));
        if !trained.is_empty() && !in_map {
            let near =
                crate::engine::diagnostic::suggest(&a.division, trained.iter().map(String::as_str));
            return Err(Error::usage(
                format!(
                    "no division `{}` among the models in `{}` (trained: {})",
                    a.division,
                    a.models_dir.display(),
                    trained.join(", ")
                ),
                Some(match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "the divisions are those of the SKU map (`stages/sku_map.csv`); a new one is trained by `gosales run --target train`".into(),
                }),
            ));
        }
    }
    let features = a.features_dir.join(&a.division).join(&cutoff);
    for (what, dir, target) in [
        ("model", &model, format!("train@{}", a.division)),
        (
            "features",
            &features,
            format!("features_score@{}", a.division),
        ),
        ("holdout star", &a.holdout_star, "holdout_star".to_string()),
    ] {
        if !dir.is_dir() {
            return Err(Error::usage(
                format!("no {what} at `{}`", dir.display()),
                Some(format!("build it first: `gosales run --target {target}`")),
            ));
        }
    }
    let mut o = validate::validate(&a.division, &model, &features, &a.holdout_star, &p)
        .map_err(Error::Failed)?;
    // What the holdout's ETL left out, as the pipeline's report has it (it was missing here,
    // and this command's default `--out` is the pipeline's report).
    let qa = a.holdout_qa.clone().unwrap_or_else(|| {
        a.holdout_star
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("qa")
    });
    if let Some(log) = crate::stages::holdout_log::summary(&[qa]) {
        o.report["holdout_log"] = log;
    }
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs/validate").join(&a.division));
    validate::write(&o, &a.division, &out).map_err(Error::Failed)?;
    warn_if_pipeline_output(&out);
    if a.json {
        print_json(&o.report);
    } else if !o.validated() {
        eprintln!(
            "{}: {} -> FAIL",
            a.division,
            o.report["reason"].as_str().unwrap_or_default()
        );
    } else {
        if o.report["censored"] == true {
            eprintln!(
                "{}: the holdout runs {} to {} but the label window is ({}, {}]: its labels are censored (the gate `label_window_covered` fails)",
                a.division,
                o.report["holdout_data_min_date"].as_str().unwrap_or("-"),
                o.report["holdout_data_max_date"].as_str().unwrap_or("-"),
                o.report["scoring_cutoff"].as_str().unwrap_or("?"),
                o.report["window_end"].as_str().unwrap_or("?"),
            );
        }
        let m = &o.report["metrics"];
        eprintln!(
            "{}: holdout AUC {:.3} (gate {}), lift@10 {:.2} (gate {}), Brier {:.4}; {} rows, {} buyers (and {} new-logo buyers, not scorable from history) -> {}",
            a.division,
            m["auc"].as_f64().unwrap_or(f64::NAN),
            p.gates.min_auc,
            m["lift@10"].as_f64().unwrap_or(f64::NAN),
            p.gates.min_lift_at_10,
            m["brier"].as_f64().unwrap_or(f64::NAN),
            o.report["rows"],
            o.report["positives"],
            o.report["new_logo_buyers_not_scorable"],
            if o.passed { "PASS" } else { "FAIL" }
        );
    }
    Ok(if o.passed {
        ExitCode::Ok
    } else {
        ExitCode::Failed
    })
}

#[cfg(test)]
mod tests {
    use super::built_cutoff;

    #[test]
    fn validate_holdout_takes_the_one_scoring_cutoff_built_and_asks_among_several() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(built_cutoff(&d.join("none")).unwrap(), "latest");
        for c in ["2024-12-31", "2024-09-30"] {
            std::fs::create_dir_all(d.join(c)).unwrap();
        }
        std::fs::write(d.join("2024-12-31/feature_stats.json"), "{}").unwrap();
        // A folder without features (a failed build) is not a cutoff built.
        assert_eq!(built_cutoff(d).unwrap(), "2024-12-31");
        std::fs::write(d.join("2024-09-30/feature_stats.json"), "{}").unwrap();
        let e = built_cutoff(d).unwrap_err().to_string();
        assert!(e.contains("2024-09-30, 2024-12-31"), "{e}");
    }
}
