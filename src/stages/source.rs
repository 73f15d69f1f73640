//! `source`: the raw inputs of the pipeline, in the original's file names.
//!
//! `kind: synthetic` generates the embedded default data set (see `crate::synth`);
//! `kind: csv` takes a user's files from the node's named inputs `sales_log` (required),
//! `holdout` and `enrichment` (optional) and publishes each under its own file name. Either way
//! the output holds `sources.json`, which names the file of each role (`sales_log`, `holdout`,
//! `enrichment`): downstream stages find a file by its role, never by a file name.

use serde::Deserialize;
use serde_json::Value;

use super::{Stage, StageContext, StageError};
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

/// The file that says which published file plays which role.
pub const SOURCES_FILE: &str = "sources.json";

/// The published file of `role` among `dirs` (a stage's upstream outputs): by `sources.json`
/// when a directory has one, else by the synthetic data's file name (`default_name`).
pub fn find_role(
    dirs: &[std::path::PathBuf],
    role: &str,
    default_name: &str,
) -> Option<std::path::PathBuf> {
    for d in dirs {
        let Ok(bytes) = std::fs::read(d.join(SOURCES_FILE)) else {
            continue;
        };
        let v: Value = serde_json::from_slice(&bytes).ok()?;
        return v[role]
            .as_str()
            .map(|name| d.join(name))
            .filter(|p| p.is_file());
    }
    dirs.iter()
        .map(|d| d.join(default_name))
        .find(|p| p.is_file())
}

fn write_sources(
    out: &std::path::Path,
    roles: &serde_json::Map<String, Value>,
) -> Result<(), StageError> {
    let path = out.join(SOURCES_FILE);
    let mut text = serde_json::to_string_pretty(roles).expect("json");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| StageError::io("cannot write", &path, e))
}

pub struct Source;

impl Stage for Source {
    fn name(&self) -> &'static str {
        "source"
    }
    fn summary(&self) -> &'static str {
        "the raw sales log, holdout and enrichment files (synthetic, or the user's CSVs)"
    }
    type Params = Params;
    fn check(&self, p: &Params) -> Result<(), String> {
        if matches!(p.kind, Kind::Synthetic) {
            p.gen_config()?;
        }
        Ok(())
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let out = ctx.output_dir()?.to_path_buf();
        match p.kind {
            Kind::Synthetic => {
                let cfg = p.gen_config().map_err(StageError::Params)?;
                let s = synth::generate(&cfg, &out).map_err(StageError::Data)?;
                ctx.note(format!(
                    "generated {} customers: {} sales-log rows, {} holdout rows, {} enrichment rows",
                    s.customers, s.sales_log_rows, s.holdout_rows, s.enrichment_rows
                ));
                let roles = [
                    ("sales_log", synth::SALES_LOG),
                    ("holdout", synth::HOLDOUT),
                    ("enrichment", synth::ENRICHMENT),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect();
                write_sources(&out, &roles)?;
            }
            Kind::Csv => {
                let mut roles = serde_json::Map::new();
                for (role, required) in [
                    ("sales_log", true),
                    ("holdout", false),
                    ("enrichment", false),
                ] {
                    let src = match ctx.input(role) {
                        Ok(p) => p.to_path_buf(),
                        Err(e) if required => return Err(e),
                        Err(_) => continue,
                    };
                    let name = src
                        .file_name()
                        .map(|n| n.to_string_lossy().to_string())
                        .filter(|n| n != SOURCES_FILE)
                        .ok_or_else(|| {
                            StageError::Params(format!(
                                "input `{role}` (`{}`) cannot be published under its own name",
                                src.display()
                            ))
                        })?;
                    if let Some((other, _)) = roles.iter().find(|(_, v)| v.as_str() == Some(&name))
                    {
                        return Err(StageError::Params(format!(
                            "inputs `{other}` and `{role}` are both named `{name}`: rename one of the files"
                        )));
                    }
                    // A copy, not a hard link: an in-place edit of the user's file must not
                    // silently change a published, audited output.
                    let dest = out.join(&name);
                    std::fs::copy(&src, &dest)
                        .map_err(|e| StageError::io("cannot copy", &src, e))?;
                    roles.insert(role.to_string(), Value::String(name));
                }
                write_sources(&out, &roles)?;
            }
        }
        Ok(())
    }
}
