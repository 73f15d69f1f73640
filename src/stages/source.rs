//! `source`: the raw inputs of the pipeline, in the original's file names.
//!
//! `kind: synthetic` generates the embedded default data set (see `crate::synth`);
//! `kind: csv` takes a user's files from the node's named inputs `sales_log` (required),
//! `holdout` and `enrichment` (optional) and publishes each under its own file name. Either way
//! the output holds `sources.json`, which names the file of each role (`sales_log`, `holdout`,
//! `enrichment`): downstream stages find a file by its role, never by a file name.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Stage, StageContext, StageError};
use crate::synth::{self, GenConfig};

#[derive(Debug, Deserialize, Serialize)]
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

#[derive(Debug, Deserialize, Serialize)]
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
    /// Synthetic: also write the truth oracle (`truth.csv`, role `truth`) for the holdout.
    #[serde(default)]
    truth: Option<TruthParams>,
    /// Synthetic: what this node writes: the generated files (`data`), the truth oracle
    /// (`truth`, given the `truth` block), or both (the default). Two nodes extending one
    /// params file, one for each, share the generator's settings and run side by side: the
    /// oracle's replays (seconds) then stay off the path every other node waits on.
    #[serde(default = "default_publish")]
    publish: Vec<Publish>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum Publish {
    Data,
    Truth,
}

fn default_publish() -> Vec<Publish> {
    vec![Publish::Data, Publish::Truth]
}

fn default_window() -> u32 {
    6
}
fn default_replays() -> u64 {
    200
}

/// The truth oracle of the synthetic data: per customer and division, the probability of a
/// positive label in the `window_months` after the day before `holdout_start` (the default
/// scoring cutoff), given everything known then: the mean over `replays` replays of the
/// generator. Keep `window_months` and `gp_min_threshold` equal to labels.yaml's. The node
/// needs the inputs `sku_map` (and `denylist`, optional) the labels read.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TruthParams {
    #[serde(default = "default_window")]
    window_months: u32,
    #[serde(default = "default_replays")]
    replays: u64,
    #[serde(default)]
    gp_min_threshold: f64,
    /// Also the history ceiling (`p_history`): the probability given only what the sales
    /// history shows, the best any model of the log could do. About 1.5 ms of CPU a customer.
    #[serde(default)]
    history: bool,
}

/// The truth oracle's file in a synthetic source's output.
pub const TRUTH_FILE: &str = "truth.csv";

/// Beside it, the label the oracle's probabilities are of (cutoff, window, GP threshold), so a
/// reader can tell whether it is the ceiling of the labels a model was validated on: the two
/// are set in different params files, and an edit to one alone is easy.
pub const TRUTH_DEFINITION_FILE: &str = "truth.json";

/// A day written in full, `2024-03-31`: chrono also reads `2024-3-31`, which names the same
/// day as another string (a second partition, a second key of a report).
pub fn date(s: &str, key: &str) -> Result<chrono::NaiveDate, String> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{key}`: `{s}` is not a YYYY-MM-DD date ({e})"))?;
    let full = d.format("%Y-%m-%d").to_string();
    if full != s {
        return Err(format!(
            "`{key}`: `{s}` is not a YYYY-MM-DD date (write `{full}`)"
        ));
    }
    Ok(d)
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
        // A file, or a folder of a log's parts (`super::etl::parts`).
        return v[role]
            .as_str()
            .map(|name| d.join(name))
            .filter(|p| p.exists());
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

fn write_truth(
    ctx: &mut StageContext,
    cfg: &GenConfig,
    t: &TruthParams,
    out: &std::path::Path,
) -> Result<(), StageError> {
    let sku_map = ctx.input("sku_map")?.to_path_buf();
    let denylist = ctx.input("denylist").ok().map(|p| p.to_path_buf());
    let map =
        synth::truth::DivisionMap::load(&sku_map, denylist.as_deref()).map_err(StageError::Data)?;
    let cutoff = cfg.holdout_start.pred_opt().expect("checked");
    let started = std::time::Instant::now();
    // The replays are independent per customer; results do not depend on the thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(ctx.cores())
        .build()
        .map_err(|e| StageError::Data(format!("cannot start threads: {e}")))?;
    let truth = pool
        .install(|| {
            synth::truth::oracle(
                cfg,
                cutoff,
                t.window_months,
                t.gp_min_threshold,
                &map,
                t.replays,
                t.history,
            )
        })
        .map_err(StageError::Params)?;
    let path = out.join(TRUTH_FILE);
    synth::truth::write(&truth, &path).map_err(StageError::Data)?;
    let definition = serde_json::json!({
        "cutoff": cutoff.to_string(),
        "window_months": t.window_months,
        "gp_min_threshold": t.gp_min_threshold,
        "replays": t.replays,
        "history": t.history,
    });
    let path = out.join(TRUTH_DEFINITION_FILE);
    let mut text = serde_json::to_string_pretty(&definition).expect("json");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| StageError::io("cannot write", &path, e))?;
    ctx.note(format!(
        "truth oracle: {} customers x {} replays, cutoff {cutoff}, {}-month window, {:.1} s",
        truth.len(),
        t.replays,
        t.window_months,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// A folder given as a log: its parts (the files the ETL reads of it) copied into `dest`, the
/// holdout left out if it was saved among them (what is then said, for the console).
fn copy_parts(
    role: &str,
    src: &std::path::Path,
    dest: &std::path::Path,
    holdout: Option<&std::path::Path>,
) -> Result<Vec<String>, StageError> {
    if role == "enrichment" {
        return Err(StageError::Params(format!(
            "input `enrichment` (`{}`) is a folder: give the enrichment as one file",
            src.display()
        )));
    }
    let (parts, left_out) =
        super::etl::parts::files_except(src, holdout).map_err(StageError::Data)?;
    if parts.is_empty() {
        return Err(StageError::Data(format!(
            "input `{role}`: {}",
            super::etl::parts::no_log_file(src)
        )));
    }
    std::fs::create_dir_all(dest).map_err(|e| StageError::io("cannot create", dest, e))?;
    for p in parts {
        // Partition folders (`year=2021/`) are kept: their names are columns of the log.
        let to = dest.join(super::etl::parts::part_name(src, &p));
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StageError::io("cannot create", dir, e))?;
        }
        std::fs::copy(&p, &to).map_err(|e| StageError::io("cannot copy", &p, e))?;
    }
    let mut warnings: Vec<String> = holdout
        .filter(|_| left_out)
        .map(|h| super::etl::parts::holdout_left_out(h, src))
        .into_iter()
        .collect();
    // The ETL reads this copy, which holds no subfolder: name the unread ones here, or a year
    // exported into `archive/` is left out of every run with no word.
    warnings.extend(super::etl::parts::subfolders_not_read(src));
    Ok(warnings)
}

pub struct Source;

impl Stage for Source {
    fn name(&self) -> &'static str {
        "source"
    }
    fn inputs(&self) -> Option<&'static [&'static str]> {
        Some(&["sales_log", "holdout", "enrichment", "sku_map", "denylist"])
    }
    fn summary(&self) -> &'static str {
        "the raw sales log, holdout and enrichment files (synthetic, or the user's CSVs)"
    }
    type Params = Params;
    // A `kind: csv` source copies the user's files and reads none of the generator's settings:
    // a tester's `seed: 7` beside `kind: csv` reran it, and its record listed the defaults of
    // a generator it never ran (`customers=5000`, `seed=42`).
    fn read_params(&self, params: Value) -> Value {
        match params.get("kind").and_then(Value::as_str) {
            Some("csv") => serde_json::json!({"kind": "csv"}),
            _ => params,
        }
    }
    fn check(&self, p: &Params) -> Result<(), String> {
        match (&p.kind, &p.truth) {
            (Kind::Synthetic, t) => {
                let cfg = p.gen_config()?;
                if p.publish.is_empty() {
                    return Err("`publish` is empty: list `data`, `truth` or both".into());
                }
                if !p.publish.contains(&Publish::Data) && t.is_none() {
                    return Err(
                        "`publish: [truth]` needs the `truth` block (its window and replays)"
                            .into(),
                    );
                }
                if let Some(t) = t {
                    if t.replays == 0 || t.window_months == 0 {
                        return Err(
                            "`truth`: `replays` and `window_months` must be at least 1".into()
                        );
                    }
                    if chrono::Datelike::day(&cfg.holdout_start) != 1 {
                        return Err(format!("`truth` needs `holdout_start` on the first of a month (the oracle forks the generator at a month end), got {}", cfg.holdout_start));
                    }
                }
                Ok(())
            }
            (Kind::Csv, Some(_)) => Err(
                "`truth` is only for `kind: synthetic`: the truth of real data is not known".into(),
            ),
            // A user's files have no truth: `[data]` (or the default) is all a csv source does.
            (Kind::Csv, None) if !p.publish.contains(&Publish::Data) => Err(
                "a `kind: csv` source publishes the user's files: `publish` must list `data`"
                    .into(),
            ),
            (Kind::Csv, None) => Ok(()),
        }
    }
    fn run(&self, ctx: &mut StageContext, p: Params) -> Result<(), StageError> {
        let out = ctx.output_dir()?.to_path_buf();
        match p.kind {
            Kind::Synthetic => {
                let cfg = p.gen_config().map_err(StageError::Params)?;
                let mut roles = serde_json::Map::new();
                if p.publish.contains(&Publish::Data) {
                    let s = synth::generate(&cfg, &out).map_err(StageError::Data)?;
                    ctx.note(format!(
                        "generated {} customers: {} sales-log rows, {} holdout rows, {} enrichment rows",
                        s.customers, s.sales_log_rows, s.holdout_rows, s.enrichment_rows
                    ));
                    roles.extend(
                        [
                            ("sales_log", synth::SALES_LOG),
                            ("holdout", synth::HOLDOUT),
                            ("enrichment", synth::ENRICHMENT),
                        ]
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), Value::String(v.to_string()))),
                    );
                }
                if let (Some(t), true) = (&p.truth, p.publish.contains(&Publish::Truth)) {
                    write_truth(ctx, &cfg, t, &out)?;
                    roles.insert("truth".into(), Value::String(TRUTH_FILE.into()));
                }
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
                    // Two inputs of one name (`2017/sales.csv` and `2018/sales.csv` as log and
                    // holdout): the later is published in a folder named for its role, under
                    // its own name still (what QA and `source_file` show).
                    let name = if roles.values().any(|v| v.as_str() == Some(&name)) {
                        std::fs::create_dir_all(out.join(role))
                            .map_err(|e| StageError::io("cannot create", out.join(role), e))?;
                        format!("{role}/{name}")
                    } else {
                        name
                    };
                    // A copy, not a hard link: an in-place edit of the user's file must not
                    // silently change a published, audited output.
                    let dest = out.join(&name);
                    if src.is_dir() {
                        // Only the log leaves the holdout out: the holdout is itself.
                        let holdout = ctx
                            .input("holdout")
                            .ok()
                            .filter(|_| role != "holdout")
                            .map(std::path::Path::to_path_buf);
                        for w in copy_parts(role, &src, &dest, holdout.as_deref())? {
                            ctx.warn(w);
                        }
                    } else {
                        std::fs::copy(&src, &dest)
                            .map_err(|e| StageError::io("cannot copy", &src, e))?;
                    }
                    roles.insert(role.to_string(), Value::String(name));
                }
                write_sources(&out, &roles)?;
            }
        }
        Ok(())
    }
}
