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

/// `pipeline.lock` records built instances while the run log holds no instance run at all:
/// `cache/` (or the log) was deleted. The outputs are still fresh, so no run rebuilds them,
/// and every lock entry lacks the recorded run `audit` checks it against.
#[derive(Debug, Clone)]
pub struct LostHistory {
    /// `missing`, `empty`, or `holds no instance run`.
    pub log: &'static str,
    pub instances: usize,
    /// The nodes of the lock's entries, for the command that records them again.
    pub nodes: Vec<String>,
}

impl LostHistory {
    /// What happened, what `audit` says, and the command that rebuilds the record.
    pub fn message(&self) -> String {
        format!(
            "cache/runlog.jsonl is {} while pipeline.lock records {} built instances (was cache/ deleted?): their outputs are still fresh, so no run rebuilds them, but the record of how they were made is gone and `gosales audit` fails until each is rebuilt; `{}` rebuilds and records them all",
            self.log,
            self.instances,
            self.rebuild_command()
        )
    }

    /// Every node forced: forcing only the first nodes would leave the rest fresh (their
    /// inputs come out byte-identical) and still unrecorded.
    pub fn rebuild_command(&self) -> String {
        let mut cmd = String::from("gosales run");
        for n in &self.nodes {
            cmd.push_str(" --force ");
            cmd.push_str(&shell_word(n));
        }
        cmd
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@/".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// [`LostHistory`] when the lock has entries and the run log no instance run; `keep` filters
/// the nodes named in the command (a front end with a manifest drops nodes it no longer has).
/// Reads the log only as far as its first instance run: a line or two in a kept history.
pub fn lost_history(
    ws: &Workspace,
    lock: &LockFile,
    keep: impl Fn(&str) -> bool,
) -> Option<LostHistory> {
    if lock.instances.is_empty() {
        return None;
    }
    let log = runlog_without_instances(ws)?;
    let mut nodes: Vec<String> = lock
        .instances
        .values()
        .map(|e| e.node.clone())
        .filter(|n| keep(n.as_str()))
        .collect();
    nodes.sort();
    nodes.dedup();
    Some(LostHistory {
        log,
        instances: lock.instances.len(),
        nodes,
    })
}

/// `missing`, `empty` or `holds no instance run` when the run log records no instance run;
/// `None` when it does (or cannot be read: the run and the audit report that, with its cause).
/// Cheap enough to ask before loading a large lock.
pub fn runlog_without_instances(ws: &Workspace) -> Option<&'static str> {
    use std::io::BufRead;
    Some(match std::fs::File::open(ws.runlog_path()) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing",
        // Unreadable is for the run and the audit to report, with its cause.
        Err(_) => return None,
        Ok(f) => {
            let mut blank = true;
            for line in std::io::BufReader::new(f).split(b'\n') {
                let Ok(line) = line else { return None };
                const NEEDLE: &[u8] = b"\"kind\":\"instance\"";
                if line.windows(NEEDLE.len()).any(|w| w == NEEDLE) {
                    return None;
                }
                blank &= line.iter().all(u8::is_ascii_whitespace);
            }
            if blank {
                "empty"
            } else {
                "holds no instance run"
            }
        }
    })
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
    // One problem, not one per instance, when the whole history is gone.
    let lost = latest
        .is_empty()
        .then(|| lost_history(ws, &lock, |_| true))
        .flatten();
    if let Some(l) = &lost {
        problems.push(Problem {
            what: "cache/runlog.jsonl".into(),
            detail: format!(
                "{} while pipeline.lock records {} built instances: no instance's run is recorded (was cache/ deleted?); `{}` rebuilds and records them",
                l.log,
                l.instances,
                l.rebuild_command()
            ),
        });
    }
    for (id, entry) in &lock.instances {
        match latest.get(id.as_str()) {
            None if lost.is_some() => {}
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
