//! The scheduler: runs the stale instances of a selection on N worker threads, upstream first.
//!
//! - An instance is dispatched when all its upstream instances are settled; it is then checked
//!   again with their real outputs, so a rebuilt but byte-identical upstream output leaves it
//!   fresh ("unchanged", early cutoff) without running.
//! - A failed instance's dependents are skipped. Without `--keep-going` nothing new starts
//!   after a failure (running instances finish); with it, independent work goes on.
//! - Results are published, recorded in `pipeline.lock` and appended to the run log by the
//!   main thread, one instance at a time, as each finishes: a run killed at any point has
//!   recorded exactly the instances that completed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::json;

use super::dispatch::{Dispatch, Done, Local};
use super::executor::{self, EventBounds, Outcome, Prepared};
use super::fingerprint::{FingerprintInputs, StaleReason};
use super::graph::Graph;
use super::hashcache::HashCache;
use super::lockfile::{LockEntry, LockFile};
use super::manifest::Manifest;
use super::plan::{Outputs, Planner};
use super::runlog::RunLog;
use super::slurm::{ExecutorKind, Slurm};
use super::workspace::{hostname, username, Workspace};
use crate::Error;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// indicatif bars: one per running instance plus the overall bar (stderr is a TTY).
    Bars,
    /// One plain line per finished instance on stderr (CI, pipes).
    Lines,
    /// Nothing (`--json`).
    Quiet,
}

pub struct RunOptions {
    pub jobs: usize,
    pub keep_going: bool,
    pub forced: BTreeSet<usize>,
    pub progress: ProgressMode,
    /// Recorded in the run log: the command line that started this run.
    pub command: String,
    /// Where instances run.
    pub executor: ExecutorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

/// The exit code a worker uses for a filesystem failure (full disk, permissions).
pub const FS_ERROR_EXIT: i32 = 6;
/// A failed attempt's outputs larger than this are not kept in `cache/failed/`.
const MAX_KEPT_FAILURE_BYTES: u64 = 256 << 20;

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub results: Vec<InstanceResult>,
    pub duration_ms: u64,
}

impl RunReport {
    pub fn count(&self, s: Status) -> usize {
        self.results.iter().filter(|r| r.status == s).count()
    }
    pub fn ok(&self) -> bool {
        self.count(Status::Failed) == 0 && self.count(Status::Skipped) == 0
    }
}

pub struct Engine<'a> {
    pub ws: &'a Workspace,
    pub manifest: &'a Manifest,
    pub graph: &'a Graph,
    /// The gosales binary, to start stage workers.
    pub exe: PathBuf,
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

fn check_cutoff(
    partition: &[(String, String)],
    feature: &Option<EventBounds>,
    label: &Option<EventBounds>,
) -> Result<(), String> {
    let Some((_, cutoff)) = partition.iter().find(|(k, _)| k == "cutoff") else {
        return Ok(());
    };
    let date = |s: &str| chrono::NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d").ok();
    let Some(c) = date(cutoff) else { return Ok(()) };
    if let Some(max) = feature.as_ref().and_then(|b| b.max.as_deref()) {
        if date(max).is_none_or(|d| d > c) {
            return Err(format!(
                "leakage: read a feature event dated {max}, after the cutoff {cutoff}; features may only see events on or before the cutoff"
            ));
        }
    }
    if let Some(min) = label.as_ref().and_then(|b| b.min.as_deref()) {
        if date(min).is_none_or(|d| d <= c) {
            return Err(format!(
                "leakage: read a label event dated {min}, on or before the cutoff {cutoff}; labels may only see events after the cutoff"
            ));
        }
    }
    Ok(())
}

struct Running {
    prepared: Prepared,
    current: FingerprintInputs,
    reasons: Vec<StaleReason>,
    bar: Option<ProgressBar>,
}

/// Runs the stale instances of `selection` (topologically ordered).
pub fn run(
    engine: &Engine,
    selection: &[usize],
    opts: &RunOptions,
    lock: &mut LockFile,
    cache: &mut HashCache,
    runlog: &mut RunLog,
) -> Result<RunReport, Error> {
    let started = Instant::now();
    let run_id = new_run_id();
    let graph = engine.graph;
    let ws = engine.ws;
    // Nothing else can run (we hold the run lock): leftovers in staging are from a killed run.
    let _ = std::fs::remove_dir_all(ws.tmp_dir());

    let initial = {
        let mut planner = Planner {
            ws,
            manifest: engine.manifest,
            graph,
            lock,
            cache,
        };
        planner.plan(selection, &opts.forced)?
    };
    let mut settled: HashMap<usize, Outputs> = {
        let planner = Planner {
            ws,
            manifest: engine.manifest,
            graph,
            lock,
            cache,
        };
        planner.outside_settled(selection)
    };
    let selected: BTreeSet<usize> = selection.iter().copied().collect();
    for &i in selection {
        for &d in &graph.instances[i].deps {
            if !selected.contains(&d) && !settled.contains_key(&d) {
                return Err(Error::usage(
                    format!(
                        "`{}` needs `{}`, which has never been built",
                        graph.instances[i].id, graph.instances[d].id
                    ),
                    Some(format!(
                        "run `gosales run --target {}` first",
                        graph.instances[d].id
                    )),
                ));
            }
        }
    }
    let mut results: BTreeMap<usize, InstanceResult> = BTreeMap::new();
    let mut pending: Vec<(usize, Vec<StaleReason>)> = Vec::new();
    for (i, v) in initial {
        if v.is_fresh() {
            settled.insert(i, lock.instances[&graph.instances[i].id].outputs.clone());
            results.insert(i, result(graph, i, Status::Fresh, Vec::new()));
        } else {
            pending.push((i, v.reasons));
        }
    }

    let mp = MultiProgress::with_draw_target(match opts.progress {
        ProgressMode::Bars => ProgressDrawTarget::stderr(),
        _ => ProgressDrawTarget::hidden(),
    });
    let overall = mp.add(ProgressBar::new(pending.len() as u64));
    overall.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise:.dim} [{bar:30.cyan/blue}] {pos}/{len} instances {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let say = |line: String| match opts.progress {
        ProgressMode::Bars => mp.suspend(|| eprintln!("{line}")),
        ProgressMode::Lines => eprintln!("{line}"),
        ProgressMode::Quiet => {}
    };

    let (tx, rx) = mpsc::channel::<Done>();
    let mut dispatch: Box<dyn Dispatch> = match opts.executor {
        ExecutorKind::Local => Box::new(Local::new(tx.clone())),
        ExecutorKind::Slurm => Box::new(Slurm::new(ws, &engine.manifest.executor, tx.clone())?),
    };
    let mut running: HashMap<usize, Running> = HashMap::new();
    let mut stop = false;
    let total = pending.len();
    let mut done = 0usize;

    loop {
        // Dispatch everything that is ready, re-checking each with its upstream's real outputs.
        let mut progressed = true;
        while progressed && !stop && running.len() < opts.jobs.max(1) {
            progressed = false;
            let mut k = 0;
            while k < pending.len() && running.len() < opts.jobs.max(1) {
                let (i, _) = &pending[k];
                let i = *i;
                let deps = &graph.instances[i].deps;
                if deps.iter().any(|d| {
                    matches!(
                        results.get(d).map(|r| r.status),
                        Some(Status::Failed | Status::Skipped)
                    )
                }) {
                    let (_, reasons) = pending.remove(k);
                    let mut r = result(graph, i, Status::Skipped, reasons);
                    r.error = Some("an upstream instance failed".into());
                    results.insert(i, r);
                    done += 1;
                    overall.inc(1);
                    progressed = true;
                    continue;
                }
                if !deps.iter().all(|d| settled.contains_key(d)) {
                    k += 1;
                    continue;
                }
                let (_, planned) = pending.remove(k);
                progressed = true;
                let verdict = {
                    let mut planner = Planner {
                        ws,
                        manifest: engine.manifest,
                        graph,
                        lock,
                        cache,
                    };
                    planner.verdict(i, &settled, opts.forced.contains(&i))?
                };
                if verdict.is_fresh() {
                    settled.insert(i, lock.instances[&graph.instances[i].id].outputs.clone());
                    results.insert(i, result(graph, i, Status::Unchanged, planned));
                    done += 1;
                    overall.inc(1);
                    say(format!(
                        "[{done:>3}/{total}] unchanged {}  (upstream outputs identical)",
                        graph.instances[i].id
                    ));
                    continue;
                }
                let current = match verdict.current {
                    Some(c) => c,
                    None => {
                        let mut planner = Planner {
                            ws,
                            manifest: engine.manifest,
                            graph,
                            lock,
                            cache,
                        };
                        planner.current(i, &|d| settled.get(&d).cloned())?
                    }
                };
                let prepared =
                    executor::prepare(ws, engine.manifest, graph, i, &run_id, &engine.exe)?;
                let bar = (opts.progress == ProgressMode::Bars).then(|| {
                    let b = mp.insert_before(&overall, ProgressBar::new_spinner());
                    b.set_style(
                        ProgressStyle::with_template("  {spinner:.green} {elapsed:>4} {msg}")
                            .expect("valid template"),
                    );
                    b.set_message(graph.instances[i].id.clone());
                    b.enable_steady_tick(Duration::from_millis(120));
                    b
                });
                dispatch.start(i, &graph.instances[i].node, &prepared);
                running.insert(
                    i,
                    Running {
                        prepared,
                        current,
                        reasons: verdict.reasons,
                        bar,
                    },
                );
            }
        }
        if running.is_empty() {
            break;
        }
        let (i, outcome) = rx.recv().expect("a worker thread reports");
        let r = running.remove(&i).expect("result of a running instance");
        if let Some(b) = &r.bar {
            b.finish_and_clear();
        }
        let res = finish(engine, i, r, outcome, lock, cache, runlog, &run_id)?;
        done += 1;
        overall.inc(1);
        match res.status {
            Status::Built => {
                settled.insert(i, lock.instances[&graph.instances[i].id].outputs.clone());
                let peak = res
                    .peak_rss_kb
                    .map(|kb| format!(", {} MB peak", kb / 1024))
                    .unwrap_or_default();
                say(format!(
                    "[{done:>3}/{total}] built     {}  ({:.1} s{peak})",
                    res.instance,
                    res.duration_ms.unwrap_or(0) as f64 / 1000.0,
                ));
            }
            _ => {
                say(format!(
                    "[{done:>3}/{total}] FAILED    {}: {}  (log: {})",
                    res.instance,
                    res.error.clone().unwrap_or_default(),
                    res.log.clone().unwrap_or_default()
                ));
                if !opts.keep_going {
                    stop = true;
                }
            }
        }
        results.insert(i, res);
    }
    overall.finish_and_clear();
    dispatch.finish();
    for (i, reasons) in pending {
        let mut r = result(graph, i, Status::Skipped, reasons);
        r.error = Some(if stop {
            "not started: the run stopped after a failure (use --keep-going to continue independent work)".into()
        } else {
            "an upstream instance failed".into()
        });
        results.insert(i, r);
    }
    cache.save(ws)?;
    let report = RunReport {
        run_id: run_id.clone(),
        results: selection.iter().filter_map(|i| results.remove(i)).collect(),
        duration_ms: started.elapsed().as_millis() as u64,
    };
    let counts = [
        Status::Built,
        Status::Unchanged,
        Status::Fresh,
        Status::Failed,
        Status::Skipped,
    ]
    .map(|s| report.count(s));
    append_run_record(
        runlog,
        &run_id,
        &opts.command,
        selection.len(),
        counts,
        report.duration_ms,
    )?;
    Ok(report)
}

/// The run log's record of one run. `counts` are built, unchanged, fresh, failed, skipped.
pub fn append_run_record(
    runlog: &mut RunLog,
    run_id: &str,
    command: &str,
    selected: usize,
    counts: [usize; 5],
    duration_ms: u64,
) -> Result<(), Error> {
    let [built, unchanged, fresh, failed, skipped] = counts;
    runlog.append(&json!({
        "kind": "run",
        "run_id": run_id,
        "at": now(),
        "user": username(),
        "host": hostname(),
        "command": command,
        "selected": selected,
        "built": built,
        "unchanged": unchanged,
        "fresh": fresh,
        "failed": failed,
        "skipped": skipped,
        "duration_ms": duration_ms,
        "status": if failed + skipped == 0 { "ok" } else { "failed" },
    }))?;
    Ok(())
}

/// The last non-empty line of a log, clipped, for failure messages.
fn last_log_line(log: &std::path::Path) -> Option<String> {
    let text = std::fs::read(log).ok()?;
    let tail = &text[text.len().saturating_sub(4096)..];
    let text = String::from_utf8_lossy(tail);
    let line = text.lines().rev().find(|l| !l.trim().is_empty())?.trim();
    Some(match line.char_indices().nth(300) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_string(),
    })
}

fn result(graph: &Graph, i: usize, status: Status, reasons: Vec<StaleReason>) -> InstanceResult {
    InstanceResult {
        instance: graph.instances[i].id.clone(),
        status,
        reasons,
        duration_ms: None,
        peak_rss_kb: None,
        exit_code: None,
        error: None,
        log: None,
    }
}

/// Verifies, publishes and records one finished instance (main thread).
#[allow(clippy::too_many_arguments)]
fn finish(
    engine: &Engine,
    i: usize,
    r: Running,
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
    if outcome.ok {
        let checked = executor::read_report(p)
            .and_then(|rep| match rep {
                Some(rep) => check_cutoff(&inst.partition, &rep.feature_events, &rep.label_events),
                None => Ok(()),
            })
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
    if outcome.ok {
        executor::publish(ws, p, &hashes, cache)?;
        for files in hashes.values() {
            outputs.extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    } else {
        // The child's last words usually say why; show them next to the exit status.
        if let Some(last) = last_log_line(&p.log) {
            outcome.error = Some(format!("{}: {last}", outcome.error.unwrap_or_default()));
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
    let fingerprint = r.current.fingerprint();
    let status = if outcome.ok {
        Status::Built
    } else {
        Status::Failed
    };
    runlog.append(&json!({
        "kind": "instance",
        "run_id": run_id,
        "at": now(),
        "user": username(),
        "host": hostname(),
        "instance": inst.id,
        "node": inst.node,
        "status": status,
        "fingerprint": fingerprint,
        "action": r.current.action,
        "params": r.current.params,
        "inputs": r.current.inputs,
        "upstream": r.current.upstream,
        "outputs": outputs,
        "duration_ms": outcome.duration_ms,
        "peak_rss_kb": outcome.peak_rss_kb,
        "cpu_ms": outcome.cpu_ms,
        "exit_code": outcome.exit_code,
        "error": outcome.error,
        "reasons": r.reasons,
    }))?;
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
            },
        )?;
    }
    Ok(InstanceResult {
        instance: inst.id.clone(),
        status,
        reasons: r.reasons,
        duration_ms: Some(outcome.duration_ms),
        peak_rss_kb: outcome.peak_rss_kb,
        exit_code: outcome.exit_code.filter(|_| !outcome.ok),
        error: outcome.error,
        log: Some(log_rel),
    })
}
