//! `gosales labels build` and `gosales features build`: phases 1 and 2 for one division and
//! cutoff, outside the pipeline, reading a star schema directory.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::print_json;
use crate::engine::diagnostic::{ErrorKind, SourceFile};
use crate::engine::yaml;
use crate::stages::history::History;
use crate::stages::labels::{self, Mode};
use crate::stages::{features, parse_params};
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct LabelsArgs {
    #[command(subcommand)]
    pub command: LabelsCommand,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Labels for one division and cutoff: labels.parquet, prevalence.csv, cutoff.json
    Build(LabelsBuild),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ModeArg {
    Expansion,
    All,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PurchaseArg {
    Gp,
    Quantity,
}

#[derive(Debug, Args)]
pub struct LabelsBuild {
    /// Division, as in the SKU map (e.g. `Simulation`)
    #[arg(long)]
    pub division: String,
    /// Cutoff date (YYYY-MM-DD): labels look at (cutoff, cutoff + window]
    #[arg(long)]
    pub cutoff: String,
    /// Label window in months after the cutoff
    #[arg(long, default_value_t = 6)]
    pub window_months: u32,
    /// expansion: customers with history on or before the cutoff; all: those and the customers
    /// with no line in the log at all (never one first seen after the cutoff)
    #[arg(long, value_enum, default_value = "expansion")]
    pub mode: ModeArg,
    /// Net window gross profit must be above this
    #[arg(long, default_value_t = 0.0)]
    pub gp_min_threshold: f64,
    /// What nets to a purchase: gp (net GP above the threshold) or quantity (net units above
    /// 0, for logs whose sales often lose money)
    #[arg(long, value_enum, default_value = "gp")]
    pub purchase: PurchaseArg,
    /// SKUs whose lines never count towards a label (CSV with a `sku` column)
    #[arg(long, default_value = "stages/label_denylist_skus.csv")]
    pub denylist: PathBuf,
    /// The SKU map, to reject unknown divisions
    #[arg(long, default_value = "stages/sku_map.csv")]
    pub sku_map: PathBuf,
    /// Directory with fact_transactions.parquet and dim_customer.parquet
    #[arg(long, default_value = "outputs/star")]
    pub star: PathBuf,
    /// Output directory (default: outputs/labels/DIVISION/CUTOFF)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FeaturesArgs {
    #[command(subcommand)]
    pub command: FeaturesCommand,
}

#[derive(Debug, Subcommand)]
pub enum FeaturesCommand {
    /// Features for one division and cutoff: features.parquet, feature_catalog.csv, feature_stats.json
    Build(FeaturesBuild),
}

#[derive(Debug, Args)]
pub struct FeaturesBuild {
    /// The division, as the SKU map names it
    #[arg(long)]
    pub division: String,
    /// Cutoff date (YYYY-MM-DD): features see lines dated on or before it
    #[arg(long)]
    pub cutoff: String,
    /// Feature params (as stages/features.yaml)
    #[arg(long, default_value = "stages/features.yaml")]
    pub config: PathBuf,
    /// The SKU map (gp_column, qty_column, division)
    #[arg(long, default_value = "stages/sku_map.csv")]
    pub sku_map: PathBuf,
    /// The star schema directory the ETL wrote (fact_transactions.parquet, dim_customer.parquet)
    #[arg(long, default_value = "outputs/star")]
    pub star: PathBuf,
    /// Output directory (default: outputs/features/DIVISION/CUTOFF)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

fn bad(m: String) -> Error {
    Error::usage(m, None)
}

/// After a standalone command wrote `out`: where that is, or lies in, a pipeline instance's
/// output and the files there now differ from what the pipeline recorded (or are files it never
/// wrote), a warning naming the instance. A tester's `validate-holdout --min-auc 0.99` rewrote
/// the pipeline's report with no word, and `status` then blamed a change "outside gosales".
fn warn_if_pipeline_output(out: &std::path::Path) {
    use crate::engine::hashcache::{hash_file, list_files};
    let Ok(lock) =
        crate::engine::lockfile::LockFile::load_path(std::path::Path::new("pipeline.lock"))
    else {
        return;
    };
    // The path as the workspace spells it, however the user did (absolute, `../ws/...`,
    // through a symlink).
    let (Ok(root), Ok(at)) = (std::fs::canonicalize("."), std::fs::canonicalize(out)) else {
        return;
    };
    let Ok(rel) = at.strip_prefix(&root) else {
        return;
    };
    let key = rel.to_string_lossy().replace('\\', "/");
    let inside = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
    let written = list_files(&at, &key).unwrap_or_default();
    for (id, e) in &lock.instances {
        if !e
            .output_roots
            .iter()
            .any(|r| inside(&key, r) || inside(r, &key))
        {
            continue;
        }
        let mine = |f: &str| e.output_roots.iter().any(|r| inside(f, r));
        let changed = written.iter().any(|(f, path)| {
            mine(f)
                && e.outputs
                    .get(f)
                    .is_none_or(|h| hash_file(path).ok().as_ref() != Some(h))
        });
        if changed {
            eprintln!(
                "warning: `{key}` is, or is in, the pipeline's output of `{id}`, and this command wrote it otherwise: `gosales status` now calls it modified, and `gosales run --target {id}` writes the pipeline's again; `--out DIR` keeps a result of this command apart"
            );
        }
    }
}

/// A YAML settings file as JSON. The file at `default` may be absent (built-in defaults apply);
/// any other path must exist.
fn settings(path: &std::path::Path, default: &str) -> Result<serde_json::Value, Error> {
    if !path.is_file() && path == std::path::Path::new(default) {
        return Ok(serde_json::json!({}));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io("cannot read config", path, e))?;
    let file = SourceFile::new(path.display().to_string(), text);
    Ok(yaml::to_json(&yaml::parse(&file)?))
}

fn divisions(sku_map: &std::path::Path) -> Result<Vec<String>, Error> {
    let skus = crate::stages::etl::skumap::load(sku_map, None).map_err(bad)?;
    Ok(crate::stages::etl::skumap::divisions(&skus))
}

pub fn labels(a: &LabelsArgs) -> Result<ExitCode, Error> {
    let LabelsCommand::Build(a) = &a.command;
    let cutoff = crate::stages::source::date(&a.cutoff, "--cutoff").map_err(bad)?;
    let p = labels::Params {
        window_months: a.window_months.into(),
        mode: match a.mode {
            ModeArg::Expansion => Mode::Expansion,
            ModeArg::All => Mode::All,
        },
        gp_min_threshold: a.gp_min_threshold,
        purchase: match a.purchase {
            PurchaseArg::Gp => labels::Purchase::Gp,
            PurchaseArg::Quantity => labels::Purchase::Quantity,
        },
    };
    let deny = if a.denylist.exists() {
        labels::read_denylist(&a.denylist).map_err(bad)?
    } else {
        BTreeSet::new()
    };
    let h = History::load(&a.star).map_err(Error::Failed)?;
    let skus = crate::stages::etl::skumap::load(&a.sku_map, None).map_err(bad)?;
    let known = crate::stages::etl::skumap::divisions(&skus);
    let mut l = labels::build(&h, &a.division, cutoff, &p, &deny, Some(&known)).map_err(bad)?;
    let unknown = labels::unknown_denylisted(&mut l, &deny, &skus);
    if !unknown.is_empty() {
        eprintln!(
            "warning: denylist SKUs not in the SKU map (they remove nothing): {}",
            unknown.join(", ")
        );
    }
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs/labels")
            .join(&a.division)
            .join(&a.cutoff)
    });
    labels::write(&mut l, &out).map_err(Error::Failed)?;
    warn_if_pipeline_output(&out);
    if a.json {
        print_json(&l.report);
    } else {
        eprintln!(
            "labels for {} at {}: {} rows, {} positives, window to {}{} -> `{}`",
            a.division,
            a.cutoff,
            l.report["counts"]["rows"],
            l.report["counts"]["positives"],
            l.report["window_end"].as_str().unwrap_or(""),
            if l.report["censored"] == true {
                " (censored)"
            } else {
                ""
            },
            out.display()
        );
    }
    Ok(ExitCode::Ok)
}

pub fn features(a: &FeaturesArgs) -> Result<ExitCode, Error> {
    let FeaturesCommand::Build(a) = &a.command;
    let cutoff = crate::stages::source::date(&a.cutoff, "--cutoff").map_err(bad)?;
    let text = std::fs::read_to_string(&a.config)
        .map_err(|e| Error::io("cannot read config", &a.config, e))?;
    let file = SourceFile::new(a.config.display().to_string(), text);
    let doc = yaml::parse(&file)?;
    let p: features::Params = parse_params(&yaml::to_json(&doc)).map_err(|reason| {
        Error::from(file.error(
            file.pos(1, 1, 1),
            ErrorKind::InvalidParams {
                stage: "features".into(),
                reason,
            },
        ))
    })?;
    let h = History::load(&a.star).map_err(Error::Failed)?;
    let known = divisions(&a.sku_map)?;
    let started = std::time::Instant::now();
    let mut f = features::build(&h, &a.division, cutoff, &p, Some(&known)).map_err(bad)?;
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs/features")
            .join(&a.division)
            .join(&a.cutoff)
    });
    features::write(&mut f, &out).map_err(Error::Failed)?;
    warn_if_pipeline_output(&out);
    if a.json {
        print_json(&f.stats);
    } else {
        eprintln!(
            "features for {} at {}: {} rows x {} columns in {:.2} s -> `{}`",
            a.division,
            a.cutoff,
            f.stats["rows"],
            f.stats["columns"],
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(ExitCode::Ok)
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Division, as in the SKU map
    #[arg(long)]
    pub division: String,
    /// Training cutoffs, comma-separated (at least two: validation is out of time)
    #[arg(long, value_delimiter = ',', required = true)]
    pub cutoffs: Vec<String>,
    /// Label window the labels must have been built with
    #[arg(long)]
    pub window_months: Option<u64>,
    /// Model families to compare (default: from the config)
    #[arg(long, value_delimiter = ',')]
    pub models: Option<Vec<String>>,
    /// Calibration methods to compare: none (the model's own probabilities), platt, isotonic
    /// (default: from the config)
    #[arg(long, value_delimiter = ',')]
    pub calibration: Option<Vec<String>>,
    /// Grids, seeds and guardrails (as stages/models.yaml; built-in defaults if that is absent)
    #[arg(long, default_value = "stages/models.yaml")]
    pub config: PathBuf,
    /// Where `features/DIVISION/CUTOFF` partitions are
    #[arg(long, default_value = "outputs/features")]
    pub features_dir: PathBuf,
    /// Where `labels/DIVISION/CUTOFF` partitions are
    #[arg(long, default_value = "outputs/labels")]
    pub labels_dir: PathBuf,
    /// Output directory (default: outputs/train/DIVISION)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn train(a: &TrainArgs) -> Result<ExitCode, Error> {
    use crate::stages::train;
    if a.cutoffs.len() < 2 {
        return Err(Error::usage(
            format!(
                "{} training cutoff(s) given: out-of-time validation needs at least two",
                a.cutoffs.len()
            ),
            Some("e.g. `--cutoffs 2023-06-30,2023-12-31,2024-06-30`".into()),
        ));
    }
    let mut value = settings(&a.config, "stages/models.yaml")?;
    if let Some(m) = &a.models {
        value["models"] = serde_json::json!(m);
    }
    if let Some(c) = &a.calibration {
        value["calibration"] =
            serde_json::json!(c.iter().filter(|s| !s.is_empty()).collect::<Vec<_>>());
    }
    let p: train::Params = parse_params(&value)
        .map_err(|reason| Error::usage(format!("invalid training settings: {reason}"), None))?;
    let mut pairs = Vec::new();
    for c in &a.cutoffs {
        crate::stages::source::date(c, "--cutoffs").map_err(bad)?;
        let f = a.features_dir.join(&a.division).join(c);
        let l = a.labels_dir.join(&a.division).join(c);
        for (what, dir) in [("features", &f), ("labels", &l)] {
            if !dir.is_dir() {
                return Err(Error::usage(
                    format!("no {what} for {} at {c} (`{}`)", a.division, dir.display()),
                    Some(format!(
                        "build them first: `gosales run --target {what}@{}@{c}`",
                        a.division
                    )),
                ));
            }
        }
        if let Some(w) = a.window_months {
            let cut: serde_json::Value = serde_json::from_slice(
                &std::fs::read(l.join("cutoff.json"))
                    .map_err(|e| Error::io("cannot read", l.join("cutoff.json"), e))?,
            )
            .unwrap_or_default();
            if cut["window_months"].as_u64() != Some(w) {
                return Err(bad(format!(
                    "labels at {c} were built with a {} month window, not {w}",
                    cut["window_months"]
                )));
            }
        }
        pairs.push((f, l));
    }
    let started = std::time::Instant::now();
    // Outside a pipeline nothing else runs: every core may fit (the outputs are the same).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs/train").join(&a.division));
    // As the pipeline trains: labels checked alike, censored cutoffs left out, the label
    // definition and caps written beside the model.
    let t = train::train_pairs(
        &pairs,
        &p,
        &a.division,
        cores,
        &mut |w| eprintln!("warning   {w}"),
        &out,
    )
    .map_err(|e| Error::Failed(e.to_string()))?;
    warn_if_pipeline_output(&out);
    let report = match &t {
        train::Trained::Model { report, .. } | train::Trained::Skipped { report, .. } => report,
    };
    if a.json {
        print_json(report);
    } else if let train::Trained::Skipped { reason, .. } = &t {
        eprintln!(
            "{}: skipped ({reason}); see `{}`",
            a.division,
            out.join("model_card.json").display()
        );
    } else {
        let m = &report["metrics"]["mean"];
        eprintln!(
            "{}: {} selected in {:.1} s; out of time: AUC {:.3}, lift@10 {:.2}, Brier {:.4}, calibration {} -> `{}`",
            a.division,
            report["selection"]["winner"]["family"].as_str().unwrap_or("?"),
            started.elapsed().as_secs_f64(),
            m["auc"].as_f64().unwrap_or(f64::NAN),
            m["lift@10"].as_f64().unwrap_or(f64::NAN),
            m["brier"].as_f64().unwrap_or(f64::NAN),
            report["calibration"]["chosen"].as_str().unwrap_or("none"),
            out.display()
        );
    }
    Ok(ExitCode::Ok)
}

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
        if !trained.is_empty() {
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
