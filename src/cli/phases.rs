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

pub(super) fn bad(m: String) -> Error {
    Error::usage(m, None)
}

/// After a standalone command wrote `out`: where that is, or lies in, a pipeline instance's
/// output and the files there now differ from what the pipeline recorded (or are files it never
/// wrote), a warning naming the instance. A tester's `validate-holdout --min-auc 0.99` rewrote
/// the pipeline's report with no word, and `status` then blamed a change "outside gosales".
pub(super) fn warn_if_pipeline_output(out: &std::path::Path) {
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
pub(super) fn settings(path: &std::path::Path, default: &str) -> Result<serde_json::Value, Error> {
    if !path.is_file() && path == std::path::Path::new(default) {
        return Ok(serde_json::json!({}));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io("cannot read config", path, e))?;
    let file = SourceFile::new(path.display().to_string(), text);
    Ok(yaml::to_json(&yaml::parse(&file)?))
}

pub(super) fn divisions(sku_map: &std::path::Path) -> Result<Vec<String>, Error> {
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
