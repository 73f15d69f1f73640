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
    /// A stage that declares no roles ([`crate::StageCatalog`]) has them by upstream node name.
    pub upstream: Vec<(String, Vec<UpstreamInstance>)>,
    /// Named outputs (absolute staging paths).
    pub outputs: Vec<(String, PathBuf)>,
    /// Where the worker writes its [`StageReport`].
    pub report: PathBuf,
}

/// What a worker needs of its job, so that a front end's workers need not repeat it: read the
/// job file, find an input, an output or a role's upstream by name, write the report.
impl StageJob {
    /// The job the engine wrote for this worker (`<exe> worker <job file>`).
    pub fn read(path: &std::path::Path) -> Result<StageJob, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read job `{}`: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("job `{}`: {e}", path.display()))
    }

    /// The declared input `name`'s absolute path.
    pub fn input(&self, name: &str) -> Option<&std::path::Path> {
        find(&self.inputs, name)
    }

    /// Where the stage writes its output `name` (a path in staging; the engine publishes it).
    pub fn output(&self, name: &str) -> Option<&std::path::Path> {
        find(&self.outputs, name)
    }

    /// The upstream instances filling `role` (or, with no roles declared, of node `role`).
    pub fn upstream_of(&self, role: &str) -> &[UpstreamInstance] {
        self.upstream
            .iter()
            .find(|(r, _)| r == role)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Writes `report` where the engine reads it, whole or not at all. Its `code_version` is
    /// the worker's own: the engine checks it against the job's.
    pub fn write_report(&self, report: &StageReport) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(report).map_err(|e| e.to_string())?;
        crate::workspace::write_atomic(&self.report, &bytes).map_err(|e| e.to_string())
    }
}

fn find<'a>(named: &'a [(String, PathBuf)], name: &str) -> Option<&'a std::path::Path> {
    named
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p.as_path())
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
    /// Values the stage resolved when it ran, which its params and partition name only by a
    /// rule (a `latest` cutoff: the log's last sale day). Recorded with its run, so that which
    /// value made the outputs is in the record, not only inside the outputs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolved: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_reads_its_job_and_writes_its_report() {
        let dir = std::env::temp_dir().join(format!("gosales-job-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let job = StageJob {
            cores: 1,
            cores_file: None,
            stage: "count".into(),
            code_version: Some("v1".into()),
            instance: "count@a".into(),
            node: "count".into(),
            root: dir.clone(),
            partition: vec![("doc".into(), "a".into())],
            params: Value::Null,
            inputs: vec![("text".into(), dir.join("a.txt"))],
            upstream: vec![("tokenize".into(), vec![("tokenize@a".into(), vec![])])],
            outputs: vec![("dir".into(), dir.join("out"))],
            report: dir.join("report.json"),
        };
        let path = dir.join("job.json");
        std::fs::write(&path, serde_json::to_vec(&job).unwrap()).unwrap();
        let read = StageJob::read(&path).unwrap();
        assert_eq!(read.input("text"), Some(dir.join("a.txt").as_path()));
        assert_eq!(read.output("dir"), Some(dir.join("out").as_path()));
        assert_eq!(read.upstream_of("tokenize")[0].0, "tokenize@a");
        assert!(read.upstream_of("other").is_empty() && read.input("other").is_none());
        let report = StageReport {
            code_version: Some("v1".into()),
            ..Default::default()
        };
        read.write_report(&report).unwrap();
        let back: StageReport =
            serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
        assert_eq!(back.code_version.as_deref(), Some("v1"));
        assert!(StageJob::read(&dir.join("none.json"))
            .unwrap_err()
            .contains("none.json"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
