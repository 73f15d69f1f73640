//! `source`: the raw inputs of the pipeline, in the original's file names.
//!
//! `kind: synthetic` generates the embedded default data set (see `crate::synth`);
//! `kind: csv` takes a user's files from the node's named inputs `sales_log` (required),
//! `holdout` and `enrichment` (optional) and publishes them under the canonical names, so every
//! downstream stage reads one layout.
//!
//! code-deps: src/synth

use serde::Deserialize;
use serde_json::Value;

use super::{parse_params, Stage, StageContext, StageError};
use crate::synth::{self, GenConfig};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum Kind {
    Synthetic,
    Csv,
}

fn default_customers() -> usize {
    5_000
}
fn default_seed() -> u64 {
    42
}
fn default_start() -> String {
    "2021-01-01".into()
}
fn default_end() -> String {
    "2025-06-30".into()
}
fn default_holdout() -> String {
    "2025-01-01".into()
}
fn default_dirty() -> f64 {
    0.01
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    kind: Kind,
    /// Synthetic: number of customers.
    #[serde(default = "default_customers")]
    customers: usize,
    #[serde(default = "default_seed")]
    seed: u64,
    /// Synthetic: first and last date of the log (ISO dates).
    #[serde(default = "default_start")]
    start: String,
    #[serde(default = "default_end")]
    end: String,
    /// Synthetic: rows from this date on go to the holdout file.
    #[serde(default = "default_holdout")]
    holdout_start: String,
    /// Synthetic: share of rows given alternative formats (x10) and errors (x1/4 each kind).
    #[serde(default = "default_dirty")]
    dirty_rate: f64,
}

pub fn date(s: &str, key: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{key}`: `{s}` is not a YYYY-MM-DD date ({e})"))
}

impl Params {
    pub fn gen_config(&self) -> Result<GenConfig, String> {
        let cfg = GenConfig {
            customers: self.customers,
            seed: self.seed,
            start: date(&self.start, "start")?,
            end: date(&self.end, "end")?,
            holdout_start: date(&self.holdout_start, "holdout_start")?,
            dirty_rate: self.dirty_rate,
        };
        synth::check(&cfg)?;
        Ok(cfg)
    }
}

pub struct Source;

impl Stage for Source {
    fn name(&self) -> &'static str {
        "source"
    }
    fn summary(&self) -> &'static str {
        "the raw sales log, holdout and enrichment files (synthetic, or the user's CSVs)"
    }
    fn check_params(&self, params: &Value) -> Result<(), String> {
        let p: Params = parse_params(params)?;
        if matches!(p.kind, Kind::Synthetic) {
            p.gen_config()?;
        }
        Ok(())
    }
    fn run(&self, ctx: &mut StageContext) -> Result<(), StageError> {
        let p: Params = ctx.params()?;
        let out = ctx.output_dir()?.to_path_buf();
        match p.kind {
            Kind::Synthetic => {
                let cfg = p.gen_config().map_err(StageError::Params)?;
                let s = synth::generate(&cfg, &out).map_err(StageError::Data)?;
                ctx.note(format!(
                    "generated {} customers: {} sales-log rows, {} holdout rows, {} enrichment rows",
                    s.customers, s.sales_log_rows, s.holdout_rows, s.enrichment_rows
                ));
            }
            Kind::Csv => {
                for (name, file, required) in [
                    ("sales_log", synth::SALES_LOG, true),
                    ("holdout", synth::HOLDOUT, false),
                    ("enrichment", synth::ENRICHMENT, false),
                ] {
                    let src = match ctx.input(name) {
                        Ok(p) => p.to_path_buf(),
                        Err(e) if required => return Err(e),
                        Err(_) => continue,
                    };
                    // A copy, not a hard link: an in-place edit of the user's file must not
                    // silently change a published, audited output.
                    let dest = out.join(file);
                    std::fs::copy(&src, &dest)
                        .map_err(|e| StageError::io("cannot copy", &src, e))?;
                }
            }
        }
        Ok(())
    }
}
