//! The audit: prove the recorded history is intact and the outputs on disk are the ones it
//! recorded. Used by `gosales audit` and the UI's Audit page.
//!
//! Checks, in order:
//! 1. the run log's hash chain, line by line (edits, deletions, reordering);
//! 2. each `pipeline.lock` entry was produced by a recorded, successful instance run with the
//!    same fingerprint and output hashes;
//! 3. every output file in `pipeline.lock` re-hashed from disk (no cache) equals its record.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::entry::{Entry, InstanceEntry};
use super::hashcache::hash_file;
use super::lockfile::LockFile;
use super::runlog::{self, LogLine};
use super::scheduler::Status;
use super::workspace::Workspace;
use crate::Error;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub what: String,
    pub detail: String,
}

pub struct Report {
    pub records: Vec<LogLine>,
    pub lock_entries: usize,
    pub outputs_checked: usize,
    pub problems: Vec<Problem>,
}

pub fn audit(ws: &Workspace) -> Result<Report, Error> {
    let mut problems: Vec<Problem> = Vec::new();

    let (records, chain) = runlog::verify(ws)?;
    for p in &chain {
        problems.push(Problem {
            what: format!("cache/runlog.jsonl:{}", p.line),
            detail: p.message.clone(),
        });
    }
    // The latest successful run of each instance, by log order.
    let mut latest: HashMap<&str, (usize, &InstanceEntry)> = HashMap::new();
    for (line, _, entry) in &records {
        if let Entry::Instance(e) = entry {
            if e.status == Status::Built {
                latest.insert(&e.instance, (*line, e));
            }
        }
    }

    let lock = match LockFile::load(ws) {
        Ok(l) => l,
        Err(e) => {
            problems.push(Problem {
                what: "pipeline.lock".into(),
                detail: e.to_string(),
            });
            LockFile::default()
        }
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for (id, entry) in &lock.instances {
        match latest.get(id.as_str()) {
            None => problems.push(Problem {
                what: format!("pipeline.lock: {id}"),
                detail: "no successful run of this instance is recorded in the run log".into(),
            }),
            Some((line, rec)) => {
                if rec.fingerprint != entry.fingerprint {
                    problems.push(Problem {
                        what: format!("pipeline.lock: {id}"),
                        detail: format!("fingerprint differs from its last recorded run (cache/runlog.jsonl:{line})"),
                    });
                }
                let recorded = &rec.outputs;
                for (path, hash) in entry.outputs.iter() {
                    if recorded.get(path) != Some(hash) {
                        problems.push(Problem {
                            what: format!("pipeline.lock: {id}"),
                            detail: format!("output `{path}` hash differs from the run log (cache/runlog.jsonl:{line})"),
                        });
                    }
                }
            }
        }
        files.extend(entry.outputs.iter().map(|(p, h)| (p.clone(), h.clone())));
    }
    let checked = files.len();
    let mismatches: Vec<Problem> = files
        .par_iter()
        .filter_map(|(path, expected)| match hash_file(&ws.abs(path)) {
            Ok(actual) if &actual == expected => None,
            Ok(actual) => Some(Problem {
                what: path.clone(),
                detail: format!(
                    "content changed since it was recorded: recorded blake3 {}, file has {}",
                    // The lock file is user-editable: never assume its hash's length.
                    expected.get(..16).unwrap_or(expected),
                    actual.get(..16).unwrap_or(&actual)
                ),
            }),
            Err(e) => Some(Problem {
                what: path.clone(),
                detail: format!("cannot be read: {e}"),
            }),
        })
        .collect();
    problems.extend(mismatches);

    Ok(Report {
        lock_entries: lock.instances.len(),
        outputs_checked: checked,
        problems,
        records,
    })
}
