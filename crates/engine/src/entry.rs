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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceEntry {
    #[serde(flatten)]
    pub stamp: Stamp,
    pub instance: String,
    pub node: String,
    pub status: Status,
    pub fingerprint: String,
    pub action: ActionRecord,
    pub params: BTreeMap<String, Value>,
    pub inputs: BTreeMap<String, String>,
    pub upstream: BTreeMap<String, Outputs>,
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
