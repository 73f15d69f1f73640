//! `cache/failures.json`: the instances whose last attempt failed, with the run and the error,
//! so that `status` can say why a stale instance is still stale ("its last run failed") without
//! reading the run log. An instance leaves it when a run finds it built, unchanged or fresh.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scheduler::{RunReport, Status};
use crate::workspace::{write_atomic, Workspace};
use crate::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub run_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
}

/// The failures on record; none when the file is missing or unreadable (it only annotates).
pub fn load(ws: &Workspace) -> BTreeMap<String, Failure> {
    std::fs::read(ws.failures_path())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Folds a run's outcome in: its failures recorded, what it built or found fresh forgotten.
pub fn record(ws: &Workspace, report: &RunReport) -> Result<(), Error> {
    let mut all = load(ws);
    let before = all.clone();
    for r in &report.results {
        match r.status {
            Status::Failed => {
                all.insert(
                    r.instance.clone(),
                    Failure {
                        run_id: report.run_id.clone(),
                        error: r.error.clone(),
                        log: r.log.clone(),
                    },
                );
            }
            Status::Built | Status::Unchanged | Status::Fresh => {
                all.remove(&r.instance);
            }
            Status::Skipped => {}
        }
    }
    if all == before {
        return Ok(());
    }
    let bytes = serde_json::to_vec_pretty(&all).expect("failures serialise");
    write_atomic(&ws.failures_path(), &bytes)
}

/// Forgets `id`'s failure as soon as a run has published it, not only when the run ends: after
/// a `kill -9` a tester's `status` still said "its last run failed" of an instance the killed
/// run had built. Reads the file only when it exists (it rarely does).
pub fn forget(ws: &Workspace, id: &str) -> Result<(), Error> {
    if !ws.failures_path().exists() {
        return Ok(());
    }
    let mut all = load(ws);
    if all.remove(id).is_none() {
        return Ok(());
    }
    if all.is_empty() {
        return forget_all(ws);
    }
    let bytes = serde_json::to_vec_pretty(&all).expect("failures serialise");
    write_atomic(&ws.failures_path(), &bytes)
}

/// Forgets every failure: for a run that found the whole graph fresh without planning it (the
/// no-op certificate is written only when every instance is fresh), as a full plan would have.
pub fn forget_all(ws: &Workspace) -> Result<(), Error> {
    match std::fs::remove_file(ws.failures_path()) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io("cannot remove", ws.failures_path(), e))
        }
        _ => Ok(()),
    }
}
