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

#[derive(Debug, Args)]
pub struct LabelsBuild {
    /// Division, as in the SKU map (e.g. `Simulation`)
    #[arg(long)]
    pub division: String,
    /// Cutoff date (YYYY-MM-DD): labels look at (cutoff, cutoff + window]
    #[arg(long)]
    pub cutoff: String,
    #[arg(long, default_value_t = 6)]
    pub window_months: u32,
    /// expansion: customers with history before the cutoff; all: every customer
    #[arg(long, value_enum, default_value = "expansion")]
    pub mode: ModeArg,
    /// Net window gross profit must be above this
    #[arg(long, default_value_t = 0.0)]
    pub gp_min_threshold: f64,
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
    #[arg(long)]
    pub division: String,
    /// Cutoff date (YYYY-MM-DD): features see lines dated on or before it
    #[arg(long)]
    pub cutoff: String,
    /// Feature params (as stages/features.yaml)
    #[arg(long, default_value = "stages/features.yaml")]
    pub config: PathBuf,
    #[arg(long, default_value = "stages/sku_map.csv")]
    pub sku_map: PathBuf,
    #[arg(long, default_value = "outputs/star")]
    pub star: PathBuf,
    /// Output directory (default: outputs/features/DIVISION/CUTOFF)
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

fn bad(m: String) -> Error {
    Error::usage(m, None)
}

fn divisions(sku_map: &std::path::Path) -> Result<Vec<String>, Error> {
    let skus = crate::stages::etl::skumap::load(sku_map, None).map_err(bad)?;
    Ok(crate::stages::etl::skumap::divisions(&skus))
}

pub fn labels(a: &LabelsArgs) -> Result<ExitCode, Error> {
    let LabelsCommand::Build(a) = &a.command;
    let cutoff = crate::stages::source::date(&a.cutoff, "--cutoff").map_err(bad)?;
    let p = labels::Params {
        window_months: a.window_months,
        mode: match a.mode {
            ModeArg::Expansion => Mode::Expansion,
            ModeArg::All => Mode::All,
        },
        gp_min_threshold: a.gp_min_threshold,
    };
    let deny = if a.denylist.exists() {
        labels::read_denylist(&a.denylist).map_err(bad)?
    } else {
        BTreeSet::new()
    };
    let h = History::load(&a.star).map_err(Error::Failed)?;
    let known = divisions(&a.sku_map)?;
    let mut l = labels::build(&h, &a.division, cutoff, &p, &deny, Some(&known)).map_err(bad)?;
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs/labels")
            .join(&a.division)
            .join(&a.cutoff)
    });
    labels::write(&mut l, &out).map_err(Error::Failed)?;
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
