//! The run log's entries, typed. Each is written as one JSON object tagged by `kind`; readers
//! (`audit`, `status`, the UI) parse them back with [`Entry::parse`], which never fails: an entry
//! this version does not know (or a malformed one, which the chain check reports anyway) is
//! [`Entry::Other`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fingerprint::{ActionRecord, StaleReason};
use crate::plan::Outputs;
use crate::scheduler::Status;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// One run of `gosales run` (written last, after its instances).
    Run(RunEntry),
    /// One instance the run tried to build.
    Instance(Box<InstanceEntry>),
    /// A torn last line was repaired when the log was opened.
    Repair(RepairEntry),
    /// A run forgot the `pipeline.lock` entries of instances the manifest no longer has: their
    /// earlier successful runs stand in the log, so the audit must know they left on purpose.
    Forget(ForgetEntry),
    #[serde(other)]
    Other,
}

impl Entry {
    /// The entry as written (the `entry` field of a chain record).
    pub fn parse(raw: &str) -> Entry {
        serde_json::from_str(raw).unwrap_or(Entry::Other)
    }
}

/// Who, where and when: the first fields of run and instance entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stamp {
    pub run_id: String,
    pub at: String,
    pub user: String,
    pub host: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunEntry {
    #[serde(flatten)]
    pub stamp: Stamp,
    /// The command line that started the run.
    pub command: String,
    pub selected: usize,
    pub built: usize,
    pub unchanged: usize,
    pub fresh: usize,
    pub failed: usize,
    pub skipped: usize,
    pub duration_ms: u64,
    /// `ok` or `failed`.
    pub status: String,
    /// The program that ran it ([`crate::StageCatalog::identity`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub program: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceEntry {
    #[serde(flatten)]
    pub stamp: Stamp,
    pub instance: String,
    pub node: String,
    pub status: Status,
    pub fingerprint: String,
    /// The engine's fingerprint format (`gosales-fp/3`); with `partition` and `bindings`, what
    /// the record needs, beside `action`, `params`, `inputs` and `upstream`, for its
    /// fingerprint to be recomputed from it alone ([`InstanceEntry::fingerprint_inputs`]) once
    /// the lock has moved on. Absent in records written before 2026-12-06.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub engine: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub partition: BTreeMap<String, String>,
    pub action: ActionRecord,
    pub params: BTreeMap<String, Value>,
    pub inputs: BTreeMap<String, String>,
    pub upstream: BTreeMap<String, Outputs>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bindings: BTreeMap<String, String>,
    /// Output file -> blake3 (empty when the instance failed).
    pub outputs: BTreeMap<String, String>,
    pub duration_ms: u64,
    #[serde(default)]
    pub peak_rss_kb: Option<u64>,
    #[serde(default)]
    pub cpu_ms: u64,
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub reasons: Vec<StaleReason>,
    /// What the instance warned of (a stage's report, the engine's reproducibility check):
    /// kept as evidence beside the outputs it qualifies, not only in a log the next run
    /// overwrites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What the stage resolved when it ran ([`crate::job::StageReport::resolved`]): a
    /// `latest` cutoff's date. Not part of the fingerprint; absent before 2026-12-08.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolved: BTreeMap<String, String>,
}

impl InstanceEntry {
    /// What the fingerprint was computed from, as recorded: `None` for a record written
    /// before the engine format was kept in it.
    pub fn fingerprint_inputs(&self) -> Option<crate::fingerprint::FingerprintInputs> {
        if self.engine.is_empty() {
            return None;
        }
        Some(crate::fingerprint::FingerprintInputs {
            engine: self.engine.clone(),
            action: self.action.clone(),
            partition: self.partition.clone(),
            params: self.params.clone(),
            inputs: self.inputs.clone(),
            upstream: self.upstream.clone(),
            bindings: self.bindings.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepairEntry {
    pub at: String,
    pub what: String,
    pub removed_bytes: usize,
    pub removed_blake3: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForgetEntry {
    pub at: String,
    /// Instance ids whose lock entries were dropped.
    pub instances: Vec<String>,
    pub why: String,
}
