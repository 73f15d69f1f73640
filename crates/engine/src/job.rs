//! The protocol between the engine and a built-in stage's worker process: the [`StageJob`] the
//! engine writes as JSON before starting `<exe> worker <job file>`, and the [`StageReport`] the
//! worker writes back beside its outputs. Kept apart from the executor so that stage code (whose
//! code version covers every file it reaches) depends on these types alone.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An upstream instance's id and its output paths.
pub type UpstreamInstance = (String, Vec<PathBuf>);

fn one() -> usize {
    1
}

/// What a built-in stage is given, written as JSON for `gosales worker`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageJob {
    /// How many cores the instance may use: 1, or more when the run has idle slots and nothing
    /// else ready to fill them. A stage must produce the same outputs for any value.
    #[serde(default = "one")]
    pub cores: usize,
    /// Where the engine writes a larger grant (a decimal number) when cores fall idle while
    /// the instance runs and nothing else is ready to use them; absent until then. A stage
    /// that can use more threads mid-run reads it (gosales' `score` does, between divisions).
    #[serde(default)]
    pub cores_file: Option<PathBuf>,
    pub stage: String,
    /// The stage's code version the instance was fingerprinted with. The worker runs only
    /// that code: a binary replaced under a run, or a Slurm node with another build or C
    /// library, would otherwise write outputs the lock credits to code that did not make them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_version: Option<String>,
    pub instance: String,
    pub node: String,
    pub root: PathBuf,
    pub partition: Vec<(String, String)>,
    pub params: Value,
    /// Declared inputs (name, absolute path), including those produced upstream.
    pub inputs: Vec<(String, PathBuf)>,
    /// Output roots of upstream instances, grouped by role: `(role, [(instance id, paths)])`.
    pub upstream: Vec<(String, Vec<UpstreamInstance>)>,
    /// Named outputs (absolute staging paths).
    pub outputs: Vec<(String, PathBuf)>,
    /// Where the worker writes its [`StageReport`].
    pub report: PathBuf,
}

/// The first and last date of the events a stage read in one role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventBounds {
    pub min: Option<String>,
    pub max: Option<String>,
}

/// What a stage reports back besides its outputs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StageReport {
    /// Dates of the events the stage read, by role (gosales: `feature`, `label`), for the
    /// catalog's [`crate::StageCatalog::check_report`].
    #[serde(default)]
    pub events: BTreeMap<String, EventBounds>,
    pub warnings: Vec<String>,
    /// The stage code version the worker ran. With a catalog whose workers say it
    /// ([`crate::StageCatalog::workers_report_code`]), a report that names other code than the
    /// run fingerprinted, or none (an older worker), fails the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_version: Option<String>,
}
