//! The audit: prove the recorded history is intact, that the outputs on disk are the ones it
//! recorded, and that they still follow from the files they were made from. Used by
//! `gosales audit` and the UI's Audit page, which print the same [`Report`].
//!
//! Checks, in order:
//! 1. the run log's hash chain, line by line (edits, deletions, reordering), and any heads
//!    kept from earlier audits (the `anchor` module);
//! 2. `pipeline.lock` against the run log, both ways (the `coverage` module), or why it is missing;
//! 3. every output file in `pipeline.lock` re-hashed from disk (no cache) equals its record, and
//!    no other file sits in an output directory;
//! 4. with the manifest, each built instance's record still matches the params, inputs and
//!    upstream outputs on disk (the `staleness` module).
//!
//! What this proves: without a head kept outside the workspace, that the workspace agrees with
//! itself, nothing more (anyone who can write it can rewrite outputs, lock and log and
//! recompute every hash). With one, that the log up to that head is the one that existed then.

mod anchor;
mod coverage;
mod lost;
mod staleness;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

pub use anchor::{head, parse_head, Anchor, Head};
pub use lost::{lost_history, runlog_without_instances, LostHistory};

use super::entry::Entry;
use super::hashcache::hash_file;
use super::lockfile::LockFile;
use super::runlog::{self, LogLine};
use super::session::Session;
use super::workspace::Workspace;
use crate::{Error, StageCatalog};

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
    /// True and worth knowing, but no problem: a journal a killed run left, repairs the log
    /// records, a check that could not be made.
    pub notes: Vec<String>,
    /// The chain's last record, to keep outside the workspace.
    pub head: Option<Head>,
    /// The heads asked about that are records of this chain, intact up to them.
    pub anchors: Vec<Anchor>,
    /// Instances whose staleness was checked; `None` without a manifest.
    pub planned: Option<usize>,
    /// `repair` records in the log.
    pub repairs: usize,
}

/// What the audit is given beside the workspace.
#[derive(Default)]
pub struct Options<'a> {
    /// The manifest, and the catalog of its stages: with it, the audit also checks that the
    /// recorded outputs follow from the files on disk. A path that does not exist is said in
    /// a note; one that does not load is a problem.
    pub manifest: Option<(&'a Path, &'a dyn StageCatalog)>,
    /// Heads printed by earlier audits, each to be found intact in the chain.
    pub heads: &'a [String],
}

/// History and outputs only, as recorded: no manifest, no heads.
pub fn audit(ws: &Workspace) -> Result<Report, Error> {
    check(ws, &Options::default())
}

pub fn check(ws: &Workspace, opts: &Options) -> Result<Report, Error> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    let (records, chain) = runlog::verify(ws)?;
    for p in &chain {
        problems.push(Problem {
            what: format!("cache/runlog.jsonl:{}", p.line),
            detail: p.message.clone(),
        });
    }
    let anchors = anchor::check(&records, &chain, opts.heads, &mut problems);
    let mut repairs = 0;
    for (line, _, entry) in &records {
        // A record holds all its fingerprint was computed from (since 2026-12-06): the two
        // must agree, or the record says it was made from what did not make it.
        if let Entry::Instance(e) = entry {
            if let Some(from) = e.fingerprint_inputs() {
                if from.fingerprint() != e.fingerprint {
                    problems.push(Problem {
                        what: format!("cache/runlog.jsonl:{line}"),
                        detail: format!(
                            "the record of `{}` names a fingerprint its own recorded params, inputs and code do not give: edited, or written by another engine",
                            e.instance
                        ),
                    });
                }
            }
        }
        if let Entry::Repair(r) = entry {
            repairs += 1;
            notes.push(format!(
                "the run log records a repair at line {line} ({}): {}{}",
                r.at,
                r.what,
                match &r.removed_blake3 {
                    Some(h) => format!(
                        "; {} bytes removed, blake3 {}",
                        r.removed_bytes,
                        h.get(..16).unwrap_or(h)
                    ),
                    None => String::new(),
                }
            ));
        }
    }

    let (lock, lock_read) = match LockFile::load_with(ws, false) {
        Ok(l) => {
            for (id, _) in l.instances.iter().filter(|(_, e)| e.broken_seal()) {
                problems.push(Problem {
                    what: "pipeline.lock".into(),
                    detail: format!(
                        "entry `{id}` {} (edited by hand?)",
                        crate::lockfile::BROKEN_SEAL
                    ),
                });
            }
            (l, true)
        }
        Err(e) => {
            problems.push(Problem {
                what: "pipeline.lock".into(),
                detail: e.to_string(),
            });
            (LockFile::default(), false)
        }
    };
    let session = match opts.manifest {
        Some((path, _)) if !path.is_file() => {
            notes.push(format!(
                "no manifest at `{}`: history and outputs are checked as recorded, not whether they follow from the files on disk",
                path.display()
            ));
            None
        }
        Some((path, catalog)) => match Session::load(path, catalog) {
            Ok(s) => Some(s),
            Err(e) => {
                problems.push(Problem {
                    what: "pipeline.yaml".into(),
                    detail: format!("does not load, so whether the recorded outputs follow from the files on disk was not checked: {e}"),
                });
                None
            }
        },
        None => None,
    };
    let graph = session.as_ref().map(|s| &s.graph);

    // One problem, not one per instance, when the whole history is gone.
    let nodes: Option<std::collections::HashSet<&str>> =
        graph.map(|g| g.instances.iter().map(|i| i.node.as_str()).collect());
    let lost = lost_history(ws, &lock, |n| nodes.as_ref().is_none_or(|s| s.contains(n)));
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
    let journaled = lock.journaled();
    let lock_file = ws.lock_path().is_file();
    let lock_missing = !lock_file && journaled == 0;
    if lock_missing && lock_read && !records.is_empty() {
        problems.push(Problem {
            what: "pipeline.lock".into(),
            detail: format!(
                "missing, while the run log holds {} records: nothing says which outputs are the recorded ones; `{}` rebuilds it",
                records.len(),
                crate::advice::run()
            ),
        });
    }
    if journaled > 0 {
        notes.push(format!(
            "{}cache/lock.journal holds {journaled} instance(s) a run completed and recorded before it stopped without compacting them into pipeline.lock (killed?); they are audited from the journal, and `{}` finishes the rest and writes the lock",
            if lock_file { "" } else { "pipeline.lock is not written yet: " },
            crate::advice::run()
        ));
    }
    if lock_read {
        coverage::check(
            &records,
            &lock,
            lost.is_some(),
            lock_missing,
            graph,
            &mut problems,
        );
    }

    // Each instance's outputs as its last record in the log has them: a lock hash that
    // differs from a file the log agrees with is the lock's edit (reported above), not the
    // file's (it was blamed on the untouched file).
    let mut logged: std::collections::HashMap<&str, &std::collections::BTreeMap<String, String>> =
        std::collections::HashMap::new();
    let broken: std::collections::HashSet<usize> = chain.iter().map(|p| p.line).collect();
    for (line, _, entry) in &records {
        match entry {
            Entry::Instance(e)
                if e.status == crate::scheduler::Status::Built && !broken.contains(line) =>
            {
                logged.insert(e.instance.as_str(), &e.outputs);
            }
            _ => {}
        }
    }
    let checked = outputs(ws, &lock, &logged, &mut problems)?;
    if let (Some(s), true) = (&session, lock_read) {
        unrecorded(ws, s, &lock, &mut problems);
    }
    let planned = session.as_ref().filter(|_| lock_read).map(|s| {
        let st = staleness::check(s, &lock, &mut problems, &mut notes);
        if st.waiting > 0 {
            notes.push(format!(
                "{} more instance(s) downstream of those above would rerun only if those change their outputs",
                st.waiting
            ));
        }
        st.planned
    });

    Ok(Report {
        lock_entries: lock.instances.len(),
        outputs_checked: checked,
        problems,
        notes,
        // No head to keep of a chain that just failed: it would anchor the edit.
        head: if chain.is_empty() {
            head(&records)
        } else {
            None
        },
        anchors,
        planned,
        repairs,
        records,
    })
}

/// Re-hashes every output the lock records (no cache: the audit trusts no stat) and lists the
/// files in output directories that it does not record, as `status` does. Returns the number
/// of files re-hashed.
fn outputs(
    ws: &Workspace,
    lock: &LockFile,
    logged: &std::collections::HashMap<&str, &std::collections::BTreeMap<String, String>>,
    problems: &mut Vec<Problem>,
) -> Result<usize, Error> {
    let mut files: Vec<(&String, &String, Option<&String>)> = Vec::new();
    for (id, entry) in &lock.instances {
        let log = logged.get(id.as_str());
        files.extend(
            entry
                .outputs
                .iter()
                .map(|(p, h)| (p, h, log.and_then(|l| l.get(p)))),
        );
        for path in super::plan::unexpected_outputs(ws, entry)? {
            problems.push(Problem {
                what: path,
                detail: format!(
                    "unexpected file in an output directory of {id}: pipeline.lock does not record it (put there outside {}?)",
                    crate::program()
                ),
            });
        }
    }
    let mismatches: Vec<Problem> = files
        .par_iter()
        .filter_map(|&(path, expected, in_log)| match hash_file(&ws.abs(path)) {
            Ok(actual) if &actual == expected => None,
            Ok(actual) if in_log == Some(&actual) => Some(Problem {
                what: "pipeline.lock".into(),
                detail: format!(
                    "records `{path}` as blake3 {}, but the file is as its last recorded run wrote it ({}): the lock was edited (or a run was killed between recording the run and writing the lock), not the file",
                    expected.get(..16).unwrap_or(expected),
                    actual.get(..16).unwrap_or(&actual)
                ),
            }),
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
    Ok(files.len())
}

/// Files under the declared outputs of instances the lock has no entry for are vouched for by
/// nothing: until 2026-12-07 a workspace whose lock and run log were deleted, an output then
/// forged, passed as "audit ok" on 0 records. (An instance's entry is legitimately absent when
/// it was never built, or forgotten, and then its outputs are not on disk either.)
fn unrecorded(ws: &Workspace, s: &Session, lock: &LockFile, problems: &mut Vec<Problem>) {
    let mut files = std::collections::BTreeSet::new();
    let mut instances = 0;
    for inst in s
        .graph
        .instances
        .iter()
        .filter(|i| !lock.instances.contains_key(&i.id))
    {
        let before = files.len();
        for o in &inst.outputs {
            // Keyed as the lock keys outputs; nothing there (never built) is no file.
            if let Ok(found) = super::hashcache::list_files(&ws.abs(&o.path), &o.path) {
                files.extend(found.into_iter().map(|(key, _)| key));
            }
        }
        instances += usize::from(files.len() > before);
    }
    if let Some(first) = files.iter().next() {
        problems.push(Problem {
            what: first.clone(),
            detail: format!(
                "{} file(s) sit under the declared outputs of {instances} instance(s) that pipeline.lock has no entry for: no recorded run vouches for them (deleted lock and history? files put there by hand?); `{}` rebuilds and records them",
                files.len(),
                crate::advice::run()
            ),
        });
    }
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The one-line verdict, as `gosales audit` prints it and the UI shows it.
    pub fn verdict(&self) -> String {
        let repairs = match self.repairs {
            0 => String::new(),
            n => format!("; the log records {n} repair(s) of its tail (noted below)"),
        };
        if !self.ok() {
            return format!("audit FAILED: {} problem(s){repairs}", self.problems.len());
        }
        let built = self
            .records
            .iter()
            .any(|(_, _, e)| matches!(e, Entry::Instance(_)));
        if !built && self.lock_entries == 0 {
            return match self.planned {
                Some(n) => format!(
                    "audit ok: nothing is built yet (no instance run recorded, no entry in pipeline.lock, no output on disk): there is nothing to vouch for; `{}` builds the {n} instances",
                    crate::advice::run()
                ),
                None => "audit ok: nothing is built yet (no instance run recorded, no entry in pipeline.lock); without a manifest, files on disk were not looked for".to_string(),
            };
        }
        let fresh = match self.planned {
            Some(_) => "; every built instance's outputs follow from the params, inputs and upstream outputs on disk",
            None => "; whether they follow from the files on disk was not checked (no manifest)",
        };
        format!(
            "audit ok: {} run log records chain correctly; {} instances in pipeline.lock match their recorded runs; {} output files re-hashed and identical, with no other file in their directories{fresh}{repairs}",
            self.records.len(),
            self.lock_entries,
            self.outputs_checked,
        )
    }

    /// What follows the problems: notes, the heads found, and the head to keep.
    pub fn epilogue(&self) -> Vec<String> {
        let mut out: Vec<String> = self.notes.iter().map(|n| format!("note: {n}")).collect();
        let last = self.head.as_ref().map_or(0, |h| h.record);
        for a in &self.anchors {
            out.push(format!(
                "anchored: head {} is record {} (line {}), unchanged with every record before it; {} later record(s) are checked for consistency only",
                a.hash,
                a.record,
                a.line,
                last.saturating_sub(a.record)
            ));
        }
        if let Some(h) = &self.head {
            out.push(format!("head {} (record {})", h.hash, h.record));
            if self.ok() {
                out.push(format!(
                    "  the chain shows only that the workspace agrees with itself: whoever can write it can rewrite outputs, lock and log and recompute every hash. Keep this head outside the workspace (a commit message, a ticket); `{}` then proves every record up to it unchanged",
                    crate::advice::audit_head(&h.hash)
                ));
            }
        }
        out
    }
}
