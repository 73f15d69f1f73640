//! `pipeline.lock` against the run log, both ways.
//!
//! Each lock entry must be the product of a recorded successful run (same fingerprint, same
//! outputs). And the reverse: each instance whose latest successful run the log records must
//! still have its entry, with every output that run recorded, or dropping an entry (or one
//! output from it) would quietly stop the audit from checking those files at all. An entry is
//! legitimately absent when a run forgot it (a `forget` record, written since forgetting was
//! recorded), when the manifest no longer has the instance (what older runs forgot), or when
//! the whole lock is missing (one problem of its own).

use std::collections::HashMap;

use super::Problem;
use crate::entry::{Entry, InstanceEntry};
use crate::graph::Graph;
use crate::lockfile::LockFile;
use crate::runlog::LogLine;
use crate::scheduler::Status;

/// What the log says of one instance: its latest successful run, and where a run last forgot
/// its entry.
#[derive(Default)]
struct Recorded<'a> {
    built: Option<(usize, &'a InstanceEntry)>,
    forgotten: Option<usize>,
}

/// Lock and log, both ways. `lost` (the whole history is gone, reported once) and
/// `lock_missing` (likewise for the lock) silence the per-instance problems they explain;
/// `graph`, when the manifest loaded, tells an instance removed from it from a dropped entry.
pub(super) fn check(
    records: &[LogLine],
    lock: &LockFile,
    lost: bool,
    lock_missing: bool,
    graph: Option<&Graph>,
    problems: &mut Vec<Problem>,
) {
    let mut by_id: HashMap<&str, Recorded> = HashMap::new();
    for (line, _, entry) in records {
        match entry {
            Entry::Instance(e) if e.status == Status::Built => {
                by_id.entry(&e.instance).or_default().built = Some((*line, e));
            }
            Entry::Forget(f) => {
                for id in &f.instances {
                    by_id.entry(id).or_default().forgotten = Some(*line);
                }
            }
            _ => {}
        }
    }
    let lock_problem = |id: &str, detail: String| Problem {
        what: format!("pipeline.lock: {id}"),
        detail,
    };
    for (id, entry) in &lock.instances {
        let rec = by_id.get(id.as_str());
        let Some((line, run)) = rec.and_then(|r| r.built) else {
            if !lost {
                problems.push(lock_problem(
                    id,
                    format!(
                        "no successful run of this instance is recorded in the run log (its records were cut from the log, or never written): its outputs are fresh, so a plain run leaves them unrecorded; `{}` rebuilds and records it",
                        crate::advice::run_force([id.as_str()])
                    ),
                ));
            }
            continue;
        };
        if let Some(f) = rec.and_then(|r| r.forgotten).filter(|&f| f > line) {
            problems.push(lock_problem(
                id,
                format!("a run forgot this entry (cache/runlog.jsonl:{f}), yet pipeline.lock holds it (put back by hand?)"),
            ));
        }
        // The entry was edited, or the records of its latest run were cut from the log's end
        // (then this is an older run): either way a forced rebuild records it afresh.
        let fix = format!(
            "; `{}` rebuilds and records it",
            crate::advice::run_force([id.as_str()])
        );
        if run.fingerprint != entry.fingerprint {
            problems.push(lock_problem(
                id,
                format!("fingerprint differs from its last recorded run (cache/runlog.jsonl:{line}): the entry was edited, or its latest run's records were cut from the log{fix}"),
            ));
        }
        for (path, hash) in entry.outputs.iter() {
            if run.outputs.get(path) != Some(hash) {
                problems.push(lock_problem(
                    id,
                    format!("output `{path}` hash differs from the run log (cache/runlog.jsonl:{line}){fix}"),
                ));
            }
        }
        // An entry written before the lock held `resolved` has none: only a value that differs
        // is a problem (removing it breaks the seal).
        if !entry.resolved.is_empty() && entry.resolved != run.resolved {
            problems.push(lock_problem(
                id,
                format!("what it resolved ({}) differs from its last recorded run (cache/runlog.jsonl:{line}: {}){fix}", show_resolved(&entry.resolved), show_resolved(&run.resolved)),
            ));
        }
        for path in run.outputs.keys() {
            if !entry.outputs.contains_key(path) {
                problems.push(lock_problem(
                    id,
                    format!("output `{path}`, recorded by its last run (cache/runlog.jsonl:{line}), is not in pipeline.lock (removed from the entry?), so nothing checks that file any more"),
                ));
            }
        }
    }
    if lost || lock_missing {
        return;
    }
    let mut absent: Vec<(&str, usize)> = by_id
        .iter()
        .filter(|(id, _)| !lock.instances.contains_key(**id))
        .filter_map(|(id, r)| {
            let (line, _) = r.built?;
            let forgotten = r.forgotten.is_some_and(|f| f > line);
            let removed = graph.is_some_and(|g| !g.index.contains_key(*id));
            (!forgotten && !removed).then_some((*id, line))
        })
        .collect();
    absent.sort();
    for (id, line) in absent {
        problems.push(lock_problem(
            id,
            format!("its last run (cache/runlog.jsonl:{line}) succeeded, but pipeline.lock has no entry for it (removed by hand, unless a run was killed in the instant between the two), so nothing checks its outputs; `{}` rebuilds it", crate::advice::run()),
        ));
    }
}

fn show_resolved(r: &std::collections::BTreeMap<String, String>) -> String {
    if r.is_empty() {
        return "nothing".into();
    }
    r.iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
