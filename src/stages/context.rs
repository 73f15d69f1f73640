//! What a stage sees of the world: [`StageContext`], built from the engine's job file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::engine::job::{EventBounds, StageJob, StageReport};

#[derive(Debug, Error)]
pub enum StageError {
    #[error("invalid params: {0}")]
    Params(String),
    #[error("no {kind} named `{name}` (have: {have})")]
    Missing {
        kind: &'static str,
        name: String,
        have: String,
    },
    #[error("{action} `{}`: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Data(String),
}

impl StageError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StageError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The role of events read as features: none may be dated after the partition's cutoff.
pub const FEATURE: &str = "feature";
/// The role of events read as labels: all must be dated after the partition's cutoff.
pub const LABEL: &str = "label";

pub struct StageContext {
    job: StageJob,
    report: StageReport,
}

fn widen(b: &mut EventBounds, min: &str, max: &str) {
    if b.min.as_deref().is_none_or(|m| min < m) {
        b.min = Some(min.to_string());
    }
    if b.max.as_deref().is_none_or(|m| max > m) {
        b.max = Some(max.to_string());
    }
}

impl StageContext {
    pub fn new(job: StageJob) -> Self {
        StageContext {
            job,
            report: StageReport::default(),
        }
    }
    /// How many cores this instance may use now (the engine grants idle ones at the start,
    /// and lends more through the job's cores file when cores fall idle later; asking again
    /// may give more, never fewer). A stage that uses them must write the same outputs for any
    /// value.
    pub fn cores(&self) -> usize {
        let lent = self
            .job
            .cores_file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(0);
        self.job.cores.max(lent).max(1)
    }
    pub fn instance(&self) -> &str {
        &self.job.instance
    }
    pub fn root(&self) -> &Path {
        &self.job.root
    }
    /// The resolved params as JSON ([`super::AnyStage::run`] parses them into the stage's type).
    pub fn raw_params(&self) -> &serde_json::Value {
        &self.job.params
    }
    /// A partition value (`division`, `cutoff`) of this instance.
    pub fn partition(&self, key: &str) -> Option<&str> {
        self.job
            .partition
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn partition_values(&self) -> &[(String, String)] {
        &self.job.partition
    }
    pub fn inputs(&self) -> &[(String, PathBuf)] {
        &self.job.inputs
    }
    pub fn input(&self, name: &str) -> Result<&Path, StageError> {
        self.job
            .inputs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.as_path())
            .ok_or_else(|| StageError::Missing {
                kind: "input",
                name: name.into(),
                have: self
                    .job
                    .inputs
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
    /// Output paths of the upstream instances that fill `role` (one the stage declares in
    /// [`super::Stage::roles`]; the manifest binds it to a node): (instance id, paths).
    pub fn upstream(&self, role: &str) -> &[(String, Vec<PathBuf>)] {
        self.job
            .upstream
            .iter()
            .find(|(n, _)| n == role)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }
    pub fn upstream_all(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.job.upstream.iter().flat_map(|(_, v)| {
            v.iter()
                .flat_map(|(id, ps)| ps.iter().map(move |p| (id.as_str(), p.as_path())))
        })
    }
    /// Where to write the named output (a staging path; the engine publishes it on success).
    pub fn output(&self, name: &str) -> Result<&Path, StageError> {
        self.job
            .outputs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.as_path())
            .ok_or_else(|| StageError::Missing {
                kind: "output",
                name: name.into(),
                have: self
                    .job
                    .outputs
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
    /// The default output directory.
    pub fn output_dir(&self) -> Result<&Path, StageError> {
        self.output("dir")
    }
    /// Declares the dates (ISO `YYYY-MM-DD`) of events read to build features. The engine fails
    /// the instance if any passes the partition's `cutoff`.
    pub fn record_feature_events(&mut self, min: &str, max: &str) {
        widen(
            self.report.events.entry(FEATURE.into()).or_default(),
            min,
            max,
        );
    }
    /// Records a value resolved at run time that the params or partition name only by a rule
    /// (`cutoff`: `latest` -> the log's last sale day), for the instance's run record.
    pub fn record_resolved(&mut self, key: &str, value: impl Into<String>) {
        self.report.resolved.insert(key.to_string(), value.into());
    }
    /// Declares the dates of events read to build labels; all must be after the cutoff.
    pub fn record_label_events(&mut self, min: &str, max: &str) {
        widen(
            self.report.events.entry(LABEL.into()).or_default(),
            min,
            max,
        );
    }
    pub fn warn(&mut self, msg: impl Into<String>) {
        let msg = msg.into();
        // Not `eprintln!`, which panics when the log cannot be written (a full disk).
        let _ = writeln!(std::io::stderr(), "warning: {msg}");
        self.report.warnings.push(msg);
    }
    /// Progress note, written to the instance's log.
    pub fn note(&self, msg: impl AsRef<str>) {
        let _ = writeln!(std::io::stderr(), "{}", msg.as_ref());
    }
    pub fn finish(self) -> (StageJob, StageReport) {
        (self.job, self.report)
    }
}
