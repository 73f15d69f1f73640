//! Settling one finished instance, on the main thread: its report checked by the stage catalog,
//! its staged outputs hashed and published (or, on failure, kept aside in `cache/failed/` unless
//! the disk is short of space or the copy would be over 256 MB), then one run-log entry and,
//! when it built, its lock entry. Each instance is recorded as it finishes, so a run killed at
//! any point has recorded exactly the instances that completed.

use std::collections::BTreeMap;

use super::entry::InstanceEntry;
use super::executor::{self, Outcome};
use super::hashcache::HashCache;
use super::lockfile::{LockEntry, LockFile};
use super::manifest::Action;
use super::runlog::RunLog;
use super::scheduler::{stamp, Engine, InstanceResult, Running, Status, FS_ERROR_EXIT};
use crate::Error;

/// A failed attempt's outputs larger than this are not kept in `cache/failed/`.
const MAX_KEPT_FAILURE_BYTES: u64 = 256 << 20;

/// Outputs are credited only to the code that made them: a worker that ran other stage code
/// than the fingerprint names (a newer worker refuses by itself; an older one, swapped in
/// mid-run, does not) fails the instance, when the catalog's workers say what they ran.
fn ran_fingerprinted_code(
    engine: &Engine,
    inst: &crate::graph::Instance,
    rep: &crate::job::StageReport,
) -> Result<(), String> {
    let crate::graph::InstanceAction::Stage {
        stage,
        code_version,
        ..
    } = &inst.action
    else {
        return Ok(());
    };
    if !engine.catalog.workers_report_code() || rep.code_version.as_ref() == Some(code_version) {
        return Ok(());
    }
    let short = |c: &str| c.get(..12).unwrap_or(c).to_string();
    Err(format!(
        "stage `{stage}` ran other code than the run fingerprinted ({}; the run: {}): the program was replaced during the run, or a node runs another build; its outputs are not published. Run again with one build everywhere",
        rep.code_version.as_deref().map_or_else(
            || "the worker did not say which: an older build".to_string(),
            |c| format!("the worker ran {}", short(c))
        ),
        short(code_version),
    ))
}

/// Verifies, publishes and records one finished instance (main thread).
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    engine: &Engine,
    i: usize,
    mut r: Running,
    mut outcome: Outcome,
    lock: &mut LockFile,
    cache: &mut HashCache,
    runlog: &mut RunLog,
    run_id: &str,
) -> Result<InstanceResult, Error> {
    let ws = engine.ws;
    let inst = &engine.graph.instances[i];
    let p = &r.prepared;
    let mut hashes = BTreeMap::new();
    let mut warnings = std::mem::take(&mut r.warnings);
    let mut resolved = BTreeMap::new();
    if outcome.ok {
        let checked = executor::read_report(p)
            .and_then(
                |rep| match (rep, &engine.manifest.nodes[inst.node_idx].action) {
                    (Some(rep), Action::Stage { name, .. }) => {
                        warnings.extend(rep.warnings.iter().cloned());
                        resolved.clone_from(&rep.resolved);
                        ran_fingerprinted_code(engine, inst, &rep)
                            .and_then(|()| engine.catalog.check_report(name, &inst.partition, &rep))
                    }
                    _ => Ok(()),
                },
            )
            .and_then(|_| executor::hash_staged(p));
        match checked {
            Ok(h) => hashes = h,
            Err(e) => {
                outcome.ok = false;
                outcome.error = Some(e);
            }
        }
    }
    let log = ws.log_path(&inst.id);
    let log_rel = log
        .strip_prefix(&ws.root)
        .unwrap_or(&log)
        .to_string_lossy()
        .to_string();
    let mut outputs: BTreeMap<String, String> = BTreeMap::new();
    // A refused rename (an immutable or read-only output directory, a full outputs mount) is
    // this instance's failure, recorded like any other: aborting the run here lost the run's
    // record, its summary and `--keep-going`. The earlier outputs stay: publishing moves an
    // old output aside only once the new one can take its place, and puts it back otherwise.
    let mut unpublished = false;
    if outcome.ok {
        let recorded = lock.instances.get(&inst.id).map(|e| e.outputs.clone());
        match executor::publish(ws, p, &hashes, recorded.as_deref(), cache) {
            Ok(w) => warnings.extend(w),
            Err(e) => {
                outcome.ok = false;
                unpublished = true;
                outcome.exit_code = Some(FS_ERROR_EXIT);
                outcome.error = Some(format!(
                    "built, but its outputs could not be published: {}",
                    io_cause(ws, &e)
                ));
            }
        }
    }
    if outcome.ok {
        for files in hashes.values() {
            outputs.extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    } else {
        // The child's last words usually say why; show them next to the exit status (not
        // after a refused publish: the child succeeded, its log says nothing of it).
        if let Some(last) = last_log_line(&p.log).filter(|_| !unpublished) {
            // A Slurm job's id stays last: `exited with code 3: boom (Slurm job 7844)`.
            let error = outcome.error.unwrap_or_default();
            let job_id = |at: usize| {
                error[at + " (Slurm job ".len()..]
                    .strip_suffix(')')
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            };
            let (head, job) = match error.rfind(" (Slurm job ") {
                Some(at) if job_id(at) => error.split_at(at),
                _ => (error.as_str(), ""),
            };
            outcome.error = Some(format!("{head}: {last}{job}"));
        }
        // A child that died of a full disk often cannot even write its log: say so plainly.
        let short = super::space::short_of_space(&p.staging);
        if short {
            outcome.exit_code = Some(FS_ERROR_EXIT);
            let shown = p.staging.strip_prefix(&ws.root).unwrap_or(&p.staging);
            outcome.error = Some(format!(
                "{}: no space left on device (writing `{}`)",
                outcome.error.unwrap_or_default(),
                shown.display()
            ));
        }
        // Keep what the failed attempt wrote (QA reports, partial files) for inspection, away
        // from the published outputs, which stay untouched; but never let a kept copy hold
        // the disk full: dropped when space is short or the copy is large.
        let kept = ws.failed_dir(&inst.id);
        let _ = std::fs::remove_dir_all(&kept);
        let has_files = executor::has_staged(p);
        let too_big = has_files && executor::staged_size(p) > MAX_KEPT_FAILURE_BYTES;
        if has_files && (short || too_big) {
            outcome.error = Some(format!(
                "{} (what it wrote was dropped: {})",
                outcome.error.unwrap_or_default(),
                if short {
                    "the disk is short of space"
                } else {
                    "over 256 MB"
                }
            ));
        } else if has_files && executor::keep_staged(p, &kept).is_ok() {
            let shown = kept
                .strip_prefix(&ws.root)
                .unwrap_or(&kept)
                .display()
                .to_string();
            outcome.error = Some(format!(
                "{} (what it wrote is kept in `{shown}`)",
                outcome.error.unwrap_or_default()
            ));
        }
        executor::discard(p);
    }
    if outcome.ok {
        // An upstream output written while this instance ran (checked at its start too). Run
        // alone, the instance wrote it itself (`sort -o {in.a} {in.a}`), after reading it: its
        // record stands, and the upstream, modified, is stale. Beside others, a concurrent
        // command may have, and the instance may have read either version: it records the one
        // there now, and is rebuilt once the upstream is (it stayed "fresh" on the overwrite).
        for (id, was) in r.current.upstream.iter_mut() {
            let Some(entry) = lock.instances.get(id) else {
                continue;
            };
            let Ok(now) = super::scheduler::outputs_on_disk(ws, cache, &entry.output_roots) else {
                continue;
            };
            let now = match engine.graph.index.get(id) {
                Some(&d) => inst.reads_of(d, &now).unwrap_or(now),
                None => now,
            };
            if now == **was {
                continue;
            }
            let files = super::scheduler::changed_files(was, &now);
            if r.overlapped {
                warnings.push(format!(
                    "{files}, an output of `{id}`, changed on disk while this instance ran beside others (a command writing outside its declared outputs?): it may have read either version; `{id}` is stale, and this instance is rebuilt after it"
                ));
                *was = std::sync::Arc::new(now);
            } else {
                warnings.push(format!(
                    "{files}, an output of `{id}`, changed on disk while this instance ran alone: it writes outside its declared outputs (or a process outside {prog} did); `{id}` is stale",
                    prog = crate::program()
                ));
            }
        }
    }
    let fingerprint = r.current.fingerprint();
    if outcome.ok {
        if let Some(w) = not_reproduced(lock.instances.get(&inst.id), &fingerprint, &outputs) {
            warnings.push(w);
        }
    }
    let status = if outcome.ok {
        Status::Built
    } else {
        Status::Failed
    };
    runlog.append(&super::entry::Entry::Instance(Box::new(InstanceEntry {
        stamp: stamp(run_id),
        instance: inst.id.clone(),
        node: inst.node.clone(),
        status,
        fingerprint: fingerprint.clone(),
        engine: r.current.engine.clone(),
        partition: r.current.partition.clone(),
        action: r.current.action.clone(),
        params: r.current.params.clone(),
        inputs: r.current.inputs.clone(),
        upstream: r.current.upstream.clone(),
        bindings: r.current.bindings.clone(),
        outputs: outputs.clone(),
        duration_ms: outcome.duration_ms,
        peak_rss_kb: outcome.peak_rss_kb,
        cpu_ms: outcome.cpu_ms,
        exit_code: outcome.exit_code,
        error: outcome.error.clone(),
        reasons: r.reasons.clone(),
        warnings: if outcome.ok {
            warnings.clone()
        } else {
            Vec::new()
        },
        resolved: if outcome.ok {
            resolved.clone()
        } else {
            BTreeMap::new()
        },
    })))?;
    if outcome.ok {
        lock.record(
            ws,
            &inst.id,
            LockEntry {
                node: inst.node.clone(),
                fingerprint,
                from: r.current,
                output_roots: inst.outputs.iter().map(|o| o.path.clone()).collect(),
                outputs: std::sync::Arc::new(outputs),
                resolved,
                seal: None,
            }
            .sealed(),
        )?;
        crate::failures::forget(ws, &inst.id)?;
    }
    Ok(InstanceResult {
        instance: inst.id.clone(),
        status,
        reasons: r.reasons,
        duration_ms: Some(outcome.duration_ms),
        peak_rss_kb: outcome.peak_rss_kb,
        exit_code: outcome.exit_code.filter(|_| !outcome.ok),
        error: outcome.error,
        // Only a log this attempt wrote: a job cancelled while it waited in Slurm's queue
        // pointed at an earlier run's log.
        log: log_of_this_attempt(&log, outcome.duration_ms).then_some(log_rel),
        warnings: if status == Status::Built {
            warnings
        } else {
            Vec::new()
        },
    })
}

/// A rebuild under the fingerprint of the last recorded run should give its bytes again (the
/// contract every fresh-skip relies on): when it does not, say so, naming the first file that
/// differs. Either the stage is not deterministic, or the recorded outputs had been altered
/// (a forced rebuild otherwise replaced them without a word).
fn not_reproduced(
    last: Option<&LockEntry>,
    fingerprint: &str,
    outputs: &BTreeMap<String, String>,
) -> Option<String> {
    let last = last.filter(|l| l.fingerprint == fingerprint)?;
    if *last.outputs == *outputs {
        return None;
    }
    let changed: std::collections::BTreeSet<&String> = last
        .outputs
        .keys()
        .chain(outputs.keys())
        .filter(|f| last.outputs.get(*f) != outputs.get(*f))
        .collect();
    let first = *changed.first()?;
    let short = |h: Option<&String>| {
        h.map_or("absent".to_string(), |h| {
            h.trim_start_matches("blake3:").chars().take(12).collect()
        })
    };
    Some(format!(
        "not reproduced: built again under the fingerprint of its last recorded run, {} of its output files differ (`{first}`: {} then, {} now): the stage is not deterministic, or the recorded outputs had been altered",
        changed.len(),
        short(last.outputs.get(first)),
        short(outputs.get(first)),
    ))
}

/// An error with its OS cause (`cannot move aside `outputs/x`: Operation not permitted (os
/// error 1)`), the path relative to the workspace: `Error`'s own text leaves the cause to
/// `source()`, and a failure message is one line.
fn io_cause(ws: &super::workspace::Workspace, e: &Error) -> String {
    match e {
        Error::Io {
            action,
            path,
            source,
        } => format!(
            "{action} `{}`: {source}",
            path.strip_prefix(&ws.root).unwrap_or(path).display()
        ),
        other => other.to_string(),
    }
}

/// What a failed child's log says last, clipped, for its failure message ([`why_it_failed`]).
/// The tail read is long enough to reach a panic above its backtrace.
/// Whether `log` was written during the attempt that just ended (`ms` long; two seconds of
/// slack for a filesystem's coarse clock).
fn log_of_this_attempt(log: &std::path::Path, ms: u64) -> bool {
    let began = std::time::SystemTime::now() - std::time::Duration::from_millis(ms + 2000);
    std::fs::metadata(log)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= began)
}

fn last_log_line(log: &std::path::Path) -> Option<String> {
    let text = std::fs::read(log).ok()?;
    let tail = &text[text.len().saturating_sub(64 * 1024)..];
    let line = why_it_failed(&String::from_utf8_lossy(tail))?;
    Some(match line.char_indices().nth(1000) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line,
    })
}

/// The line of a log that says why its child failed: usually the last non-empty one, but not
/// for a Rust program that panicked, whose last lines are its backtrace and a note on
/// `RUST_BACKTRACE` ("note: Some details are omitted, ..."), which say nothing about the
/// failure. For that one, the `panicked at <file:line>` line and the message under it (Rust
/// 1.73 and later put it on its own line).
fn why_it_failed(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let note = |l: &str| l.trim_start().starts_with("note:") && l.contains("RUST_BACKTRACE");
    // What a panic prints after its message: blank lines, the notes, the backtrace's header
    // and its indented frames.
    let trailer =
        |l: &str| l.trim().is_empty() || note(l) || l == "stack backtrace:" || l.starts_with(' ');
    if let Some(k) = lines.iter().rposition(|l| l.contains(" panicked at ")) {
        let at = lines[k].trim();
        let message = lines.get(k + 1).map(|l| l.trim()).filter(|l| !trailer(l));
        let after = k + 1 + usize::from(message.is_some());
        // Only when the panic ended the program: a panic the program caught and went on
        // from is not why it failed.
        if lines[after..].iter().all(|l| trailer(l)) {
            return Some(match message {
                Some(m) => format!("{at} {m}"),
                None => at.to_string(),
            });
        }
    }
    lines
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !note(l))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::why_it_failed;

    #[test]
    fn a_panic_is_named_by_its_line_and_message_not_its_backtrace_note() {
        let log = "reading sales.csv
thread 'main' panicked at src/stages.rs:42:9:
division `West` has no rows
stack backtrace:
   0: __rustc::rust_begin_unwind
             at /rustc/abc/library/std/src/panicking.rs:697:5
   1: tally::stages::run
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
";
        assert_eq!(
            why_it_failed(log).as_deref(),
            Some("thread 'main' panicked at src/stages.rs:42:9: division `West` has no rows")
        );
        let short = "thread 'main' panicked at src/main.rs:2:5:
boom
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
";
        assert_eq!(
            why_it_failed(short).as_deref(),
            Some("thread 'main' panicked at src/main.rs:2:5: boom")
        );
        // Before Rust 1.73 the message was on the panic's line.
        let old = "thread 'main' panicked at 'boom', src/main.rs:2:5
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
";
        assert_eq!(
            why_it_failed(old).as_deref(),
            Some("thread 'main' panicked at 'boom', src/main.rs:2:5")
        );
    }

    #[test]
    fn otherwise_the_last_line_says_why() {
        assert_eq!(
            why_it_failed("a\nerror: no such file\n\n").as_deref(),
            Some("error: no such file")
        );
        // A panic the program went on from is not its last word.
        let caught = "thread 'w1' panicked at src/pool.rs:3:1:
retrying
error: gave up after 3 tries
";
        assert_eq!(
            why_it_failed(caught).as_deref(),
            Some("error: gave up after 3 tries")
        );
        assert_eq!(why_it_failed("\n  \n"), None);
    }
}
