//! What a run came to: each instance's result, the run's report, and the run log's record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::entry::{RunEntry, Stamp};
use crate::fingerprint::StaleReason;
use crate::graph::Graph;
use crate::interrupt::signal_name;
use crate::runlog::RunLog;
use crate::workspace::{hostname, username};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Fresh before the run started.
    Fresh,
    /// Was waiting on upstream work, whose outputs came out identical: not run.
    Unchanged,
    Built,
    Failed,
    /// Not run: an upstream instance failed, or the run stopped after a failure.
    Skipped,
}

/// The word of [`crate::report::status_word`]: `fresh`, `unchanged`, `built`, `failed`,
/// `skipped`, as run reports and the run log write it. Padded as asked (`{:<9}`), for tables.
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(crate::report::status_word(*self))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InstanceResult {
    pub instance: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<StaleReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_kb: Option<u64>,
    /// A failed child's exit code (6: a filesystem error such as a full disk).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// What a built stage warned of ([`crate::job::StageReport::warnings`]): a division with
    /// too few buyers for a model, a censored cutoff left out. The instance built; the user
    /// should still hear it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The exit code a worker uses for a filesystem failure (full disk, permissions).
pub const FS_ERROR_EXIT: i32 = 6;

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub results: Vec<InstanceResult>,
    pub duration_ms: u64,
    /// The signal that interrupted the run, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<i32>,
}

impl RunReport {
    pub fn count(&self, s: Status) -> usize {
        self.results.iter().filter(|r| r.status == s).count()
    }
    pub fn ok(&self) -> bool {
        self.count(Status::Failed) == 0
            && self.count(Status::Skipped) == 0
            && self.interrupted.is_none()
    }
    /// `ok`, `failed` or `interrupted (SIGINT)`: the status its run record carries.
    pub fn status(&self) -> String {
        run_status(
            self.interrupted,
            self.count(Status::Failed) + self.count(Status::Skipped) > 0,
        )
    }
}

/// A run's status in words, as its run log record and `run --json` say it.
fn run_status(interrupted: Option<i32>, failed_or_skipped: bool) -> String {
    match interrupted {
        Some(sig) => format!("interrupted ({})", signal_name(sig)),
        None if failed_or_skipped => "failed".into(),
        None => "ok".into(),
    }
}
pub fn new_run_id() -> String {
    format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id()
    )
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn stamp(run_id: &str) -> Stamp {
    Stamp {
        run_id: run_id.to_string(),
        at: now(),
        user: username(),
        host: hostname(),
    }
}

/// The run log's record of one run. `counts` are built, unchanged, fresh, failed, skipped;
/// `interrupted`, the signal that stopped it early; `program`, what ran it.
#[allow(clippy::too_many_arguments)] // one record's fields, each named at the call
pub fn append_run_record(
    runlog: &mut RunLog,
    run_id: &str,
    command: &str,
    selected: usize,
    counts: [usize; 5],
    duration_ms: u64,
    interrupted: Option<i32>,
    program: BTreeMap<String, String>,
) -> Result<(), Error> {
    let [built, unchanged, fresh, failed, skipped] = counts;
    runlog.append(&crate::entry::Entry::Run(RunEntry {
        stamp: stamp(run_id),
        command: command.to_string(),
        selected,
        built,
        unchanged,
        fresh,
        failed,
        skipped,
        duration_ms,
        status: run_status(interrupted, failed + skipped > 0),
        program,
    }))?;
    Ok(())
}

pub(super) fn result(
    graph: &Graph,
    i: usize,
    status: Status,
    reasons: Vec<StaleReason>,
) -> InstanceResult {
    InstanceResult {
        instance: graph.instances[i].id.clone(),
        status,
        reasons,
        duration_ms: None,
        peak_rss_kb: None,
        exit_code: None,
        error: None,
        log: None,
        warnings: Vec::new(),
    }
}
