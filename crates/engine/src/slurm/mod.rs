//! The Slurm executor: each ready instance becomes one batch job; the coordinator keeps
//! everything else.
//!
//! What a job does is what a local worker thread does: `gosales job <staging>/prepared.json`
//! runs the same child (a `cmd` or `gosales worker <job.json>`) with the same staging directory,
//! measures it with `wait4`, and leaves `outcome.json` beside it. Slurm writes the job's
//! stdout/stderr to `cache/logs/<instance>.log`. The coordinator alone checks, publishes and
//! hashes outputs and writes `pipeline.lock` and the run log, so a Slurm run and a local run of
//! one pipeline record the same fingerprints and output hashes.
//!
//! Dependencies stay in the coordinator (an instance is submitted when its upstream settled),
//! so early cutoff works as locally; `-j` bounds the jobs in flight.
//!
//! Job state: one `squeue` call polls every job in flight; a job in a terminal state is read
//! with `scontrol show job` (then `sacct`). "Cancelled" is decided from the state, never from
//! the exit code. A job that completed is believed only through its `outcome.json`: if the
//! coordinator cannot see it, the workspace is not on a filesystem the nodes share, and the
//! instance fails saying so.
//!
//! Interruption: when the run's [`crate::interrupt::Interrupt`] is requested (the CLI's SIGINT,
//! SIGTERM and SIGHUP), every job in flight is cancelled (`scancel`) and reported so, and the run
//! ends recorded as interrupted. A run whose interrupt no signal sets (a library front end that
//! did not ask for [`crate::interrupt::Interrupt::on_signals`]) still has those signals cancel
//! the jobs before the coordinator exits. Job ids are appended to `cache/slurm.jobs` as they are submitted; after a
//! `kill -9` the next run cancels whatever of them still runs. A job that finished while its
//! coordinator was down is redone: its outputs were never checked, hashed or recorded.

pub mod commands;
pub mod config;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use config::{ExecutorConfig, ExecutorKind, SlurmRequest};

use super::diagnostic::SourceFile;
use super::dispatch::{Dispatch, Done, Notice};
use super::executor::{Outcome, Prepared};
use super::template::shell_quote;
use super::workspace::{file_safe, Workspace};
use crate::Error;
use commands::{JobEnd, JobState};

/// Written by `gosales job` next to the instance's outputs in staging.
pub const OUTCOME_FILE: &str = "outcome.json";
/// The prepared instance a job runs.
pub const PREPARED_FILE: &str = "prepared.json";
/// A job's exit code when the node cannot see its staging directory.
const NOT_VISIBLE_EXIT: i32 = 97;
/// How often the jobs in flight are polled.
const POLL: Duration = Duration::from_millis(250);

fn journal_path(ws: &Workspace) -> PathBuf {
    ws.cache_dir().join("slurm.jobs")
}

struct Tracked {
    i: usize,
    instance: String,
    staging: PathBuf,
    submitted: Instant,
    /// The state and reason last seen, and since when (a PENDING job's wait is told).
    seen: Option<(String, Option<String>)>,
    since: Instant,
    /// When a waiting line was last printed for it.
    told: Option<Instant>,
}

#[derive(Default)]
struct Shared {
    jobs: Mutex<BTreeMap<u64, Tracked>>,
    /// Jobs given up on while Slurm did not answer: not known to have ended, so they stay in
    /// `cache/slurm.jobs` for the next run to cancel.
    lost: Mutex<BTreeMap<u64, String>>,
    notices: Mutex<Vec<Notice>>,
    stop: AtomicBool,
}

impl Shared {
    fn ids(&self) -> Vec<u64> {
        self.jobs
            .lock()
            .map(|j| j.keys().copied().collect())
            .unwrap_or_default()
    }

    fn say(&self, n: Notice) {
        if let Ok(mut v) = self.notices.lock() {
            v.push(n);
        }
    }
}

/// Runs instances as Slurm batch jobs.
pub struct Slurm {
    cfg: ExecutorConfig,
    root: PathBuf,
    tx: Sender<Done>,
    shared: Arc<Shared>,
    journal: File,
    journal_path: PathBuf,
    poller: Option<JoinHandle<()>>,
    signals: Option<signal_hook::iterator::Handle>,
}

impl Slurm {
    /// With `own_signals`, SIGINT, SIGTERM and SIGHUP cancel the jobs in flight and exit.
    pub fn new(
        ws: &Workspace,
        cfg: &ExecutorConfig,
        tx: Sender<Done>,
        own_signals: bool,
    ) -> Result<Slurm, Error> {
        let root = fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone());
        let journal_path = journal_path(ws);
        fs::create_dir_all(ws.cache_dir())
            .map_err(|e| Error::io("cannot create directory", ws.cache_dir(), e))?;
        let journal = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&journal_path)
            .map_err(|e| Error::io("cannot open", &journal_path, e))?;
        let shared = Arc::new(Shared::default());
        let poller = {
            let shared = shared.clone();
            let tx = tx.clone();
            std::thread::spawn(move || poll_loop(&shared, &tx))
        };
        // Cancel the jobs in flight when the coordinator is interrupted, then exit as the
        // signal would have: 128 + its number. (A run whose interrupt the signals set does
        // this itself, through `interrupt`, and records the run.)
        let signals = if own_signals {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
                .map_err(|e| Error::io("cannot install signal handlers", "slurm", e))?;
            let handle = signals.handle();
            let shared = shared.clone();
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let ids = shared.ids();
                    let _ = commands::cancel(&ids);
                    let _ = writeln!(
                        std::io::stderr(),
                        "\ninterrupted: cancelled {} Slurm job(s) in flight (scancel); the next run redoes only what did not finish",
                        ids.len()
                    );
                    std::process::exit(128 + sig);
                }
            });
            Some(handle)
        } else {
            None
        };
        Ok(Slurm {
            cfg: cfg.clone(),
            root,
            tx,
            shared,
            journal,
            journal_path,
            poller: Some(poller),
            signals,
        })
    }

    fn submit(&mut self, node: &str, p: &Prepared) -> Result<u64, String> {
        fs::create_dir_all(&p.staging)
            .map_err(|e| format!("cannot create `{}`: {e}", p.staging.display()))?;
        if let Some(dir) = p.log.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        let prepared = p.staging.join(PREPARED_FILE);
        let bytes = serde_json::to_vec_pretty(p).expect("a prepared instance serialises");
        fs::write(&prepared, bytes)
            .map_err(|e| format!("cannot write `{}`: {e}", prepared.display()))?;
        let exe = std::env::current_exe().map_err(|e| format!("cannot locate gosales: {e}"))?;
        let script = p.staging.join("job.sh");
        fs::write(&script, batch_script(&p.id, &exe, &prepared, &p.staging))
            .map_err(|e| format!("cannot write `{}`: {e}", script.display()))?;
        let name = format!("gosales:{}", file_safe(&p.id));
        let mut args = vec![
            "--parsable".to_string(),
            format!("--job-name={name}"),
            format!("--chdir={}", self.root.display()),
            format!("--output={}", p.log.display()),
            format!("--error={}", p.log.display()),
        ];
        args.extend(self.cfg.request(node).sbatch_args());
        args.push(script.to_string_lossy().into_owned());
        let id = submit_with_retries(&args, &name, &script, &SUBMIT_BACKOFF)?;
        // The journal lets the next run cancel this job if the coordinator dies unannounced.
        let _ = writeln!(self.journal, "{id} {}", p.id);
        Ok(id)
    }
}

/// Pauses between tries of a submission that failed for a transient reason (the controller
/// did not answer): 3 tries over about 10 s.
const SUBMIT_BACKOFF: [Duration; 2] = [Duration::from_secs(3), Duration::from_secs(7)];

/// `sbatch`, retried after a transient error; a submission whose id cannot be read is looked
/// up (by its name and unique script) or cancelled, so no job runs untracked.
fn submit_with_retries(
    args: &[String],
    name: &str,
    script: &Path,
    backoff: &[Duration],
) -> Result<u64, String> {
    let mut tries = 0;
    loop {
        tries += 1;
        match commands::slurm("sbatch", args) {
            Ok(out) => {
                if let Some(id) = commands::parse_sbatch(&out) {
                    return Ok(id);
                }
                // sbatch exited 0, so the job was most likely submitted: find it, or cancel it.
                if let Ok(found) = commands::find_submitted(name, script) {
                    if let [id] = found[..] {
                        return Ok(id);
                    }
                    let _ = commands::cancel(&found);
                }
                let cancelled = match commands::cancel_by_name(name) {
                    Ok(()) => format!(
                        "cancelled any job named `{name}` of user {} (scancel --name) so that none runs untracked",
                        commands::user()
                    ),
                    Err(e) => format!(
                        "could not cancel jobs named `{name}` either ({e}): check `squeue -n {name}`"
                    ),
                };
                return Err(format!(
                    "sbatch exited 0 but printed no job id ({:?}); {cancelled}",
                    out.trim()
                ));
            }
            Err(e) if commands::is_transient(&e) && tries <= backoff.len() => {
                std::thread::sleep(backoff[tries - 1]);
                // A submission that timed out may have reached the controller all the same.
                if let Ok(found) = commands::find_submitted(name, script) {
                    if let Some(&id) = found.first() {
                        let _ = commands::cancel(&found[1..]);
                        return Ok(id);
                    }
                }
            }
            Err(e) if tries > 1 => return Err(format!("{e} (tried {tries} times)")),
            Err(e) => return Err(e),
        }
    }
}

impl Dispatch for Slurm {
    fn start(&mut self, i: usize, node: &str, p: &Prepared) {
        let submitted = Instant::now();
        match self.submit(node, p) {
            Ok(id) => {
                if let Ok(mut jobs) = self.shared.jobs.lock() {
                    jobs.insert(
                        id,
                        Tracked {
                            i,
                            instance: p.id.clone(),
                            staging: p.staging.clone(),
                            submitted,
                            seen: None,
                            since: submitted,
                            told: None,
                        },
                    );
                }
            }
            Err(e) => {
                let _ = self.tx.send((
                    i,
                    failed(format!("Slurm refused the job: {e}"), submitted.elapsed()),
                ));
            }
        }
    }

    fn finish(&mut self) {
        self.stop();
        let left = self.unended(false);
        self.keep_journal(&left);
    }

    /// Cancels the jobs in flight (scancel signals them itself); the poller reports each as
    /// cancelled. Reached when the run's interrupt is requested (the CLI's signals, or a library
    /// front end); without signal handling of the front end's, `own_signals` cancels and exits.
    fn interrupt(&mut self, _sig: i32) -> usize {
        let ids = self.shared.ids();
        let _ = commands::cancel(&ids);
        ids.len()
    }

    fn notices(&mut self) -> Vec<Notice> {
        self.shared
            .notices
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl Slurm {
    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(p) = self.poller.take() {
            let _ = p.join();
        }
        if let Some(h) = self.signals.take() {
            h.close();
        }
    }

    /// The jobs not known to have ended: those given up on, and (`cancel`) those in flight,
    /// which are cancelled first and forgotten if scancel succeeded.
    fn unended(&self, cancel: bool) -> BTreeMap<u64, String> {
        let mut left = self
            .shared
            .lost
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default();
        let in_flight: Vec<(u64, String)> = self
            .shared
            .jobs
            .lock()
            .map(|j| j.iter().map(|(id, t)| (*id, t.instance.clone())).collect())
            .unwrap_or_default();
        let ids: Vec<u64> = in_flight.iter().map(|(id, _)| *id).collect();
        if !cancel || commands::cancel(&ids).is_err() {
            left.extend(in_flight);
        }
        left
    }

    /// Leaves in `cache/slurm.jobs` exactly the jobs not known to have ended (none: removed).
    fn keep_journal(&self, left: &BTreeMap<u64, String>) {
        if left.is_empty() {
            let _ = fs::remove_file(&self.journal_path);
        } else {
            let text: String = left.iter().map(|(id, i)| format!("{id} {i}\n")).collect();
            let _ = fs::write(&self.journal_path, text);
        }
    }
}

impl Drop for Slurm {
    /// A run that ends early (an engine error) cancels what it submitted.
    fn drop(&mut self) {
        self.stop();
        let left = self.unended(true);
        self.keep_journal(&left);
    }
}

fn batch_script(id: &str, exe: &Path, prepared: &Path, staging: &Path) -> String {
    let staging_q = shell_quote(&staging.to_string_lossy());
    format!(
        "#!/bin/sh\n\
         # gosales instance {id}\n\
         if [ ! -r {prepared} ]; then\n  \
           echo \"gosales: the staging directory \"{staging_q}\" is not visible on $(hostname): the workspace must be on a filesystem every node shares\" >&2\n  \
           exit {NOT_VISIBLE_EXIT}\n\
         fi\n\
         exec {exe} job {prepared}\n",
        prepared = shell_quote(&prepared.to_string_lossy()),
        exe = shell_quote(&exe.to_string_lossy()),
    )
}

fn failed(error: String, elapsed: Duration) -> Outcome {
    Outcome {
        ok: false,
        error: Some(error),
        exit_code: None,
        duration_ms: elapsed.as_millis() as u64,
        peak_rss_kb: None,
        cpu_ms: 0,
    }
}

/// How long a failing `squeue` is waited out before its warning, and between warnings.
const FIRST_WARNING: Duration = Duration::from_secs(30);
const EVERY: Duration = Duration::from_secs(60);
/// While squeue fails, how often each job's state is asked of scontrol and sacct instead.
const FALLBACK_EVERY: Duration = Duration::from_secs(10);

/// How long Slurm may stay unreachable before the jobs in flight are given up on:
/// `GOSALES_SLURM_UNREACHABLE_S` seconds, 30 minutes by default.
fn give_up_after() -> Duration {
    std::env::var("GOSALES_SLURM_UNREACHABLE_S")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .map_or(Duration::from_secs(30 * 60), Duration::from_secs)
}

/// Reasons a job pends for that are no mere queueing: told at once, not after a minute.
fn worth_telling_at_once(reason: &str) -> bool {
    !matches!(reason, "Resources" | "Priority" | "None")
}

fn poll_loop(shared: &Shared, tx: &Sender<Done>) {
    let give_up = give_up_after();
    // Since when squeue fails, when that was last told, when the fallback last ran.
    let mut failing: Option<(Instant, Option<Instant>, Option<Instant>)> = None;
    while !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let ids = shared.ids();
        if ids.is_empty() {
            continue;
        }
        let states: HashMap<u64, (JobState, Option<String>)> = match commands::poll(&ids) {
            Ok(s) => {
                if let Some((since, Some(_), _)) = failing {
                    shared.say(Notice::Say(format!(
                        "squeue answers again after {} s",
                        since.elapsed().as_secs()
                    )));
                }
                failing = None;
                s.into_iter().map(|(id, st, r)| (id, (st, r))).collect()
            }
            Err(e) => {
                let (since, told, fell_back) = failing.get_or_insert((Instant::now(), None, None));
                let for_s = since.elapsed();
                let tell = match told {
                    None => for_s >= FIRST_WARNING,
                    Some(t) => t.elapsed() >= EVERY,
                };
                if tell {
                    *told = Some(Instant::now());
                    shared.say(Notice::Say(format!(
                        "warning: squeue failing for {} s: {e}; still waiting for {} Slurm job(s) (giving up after {} s)",
                        for_s.as_secs(),
                        ids.len(),
                        give_up.as_secs()
                    )));
                }
                // squeue is not all of Slurm: scontrol (the controller's other door) or sacct
                // (the accounting database) may still tell how a job ended.
                if fell_back.is_none_or(|t| t.elapsed() >= FALLBACK_EVERY) {
                    *fell_back = Some(Instant::now());
                    for &id in &ids {
                        if let Some(end) = commands::job_end(id).filter(|e| e.state.is_terminal()) {
                            report(shared, tx, id, |t| outcome(id, &end, t));
                        }
                    }
                }
                if for_s >= give_up {
                    let left = shared.ids();
                    let cancelled = commands::cancel(&left).is_ok();
                    for id in left {
                        report(shared, tx, id, |t| {
                            let recorded = read_outcome(&t.staging);
                            if let Some(o) = recorded {
                                // The job's own record of its child: it ran to its end.
                                return o;
                            }
                            if let Ok(mut lost) = shared.lost.lock() {
                                lost.insert(id, t.instance.clone());
                            }
                            failed(
                                format!(
                                    "lost track of Slurm job {id}: squeue has failed for {} s ({e}); {}; its id stays in cache/slurm.jobs so that the next run cancels it if it still runs",
                                    for_s.as_secs(),
                                    if cancelled { "scancel was sent" } else { "scancel failed too" }
                                ),
                                t.submitted.elapsed(),
                            )
                        });
                    }
                }
                continue;
            }
        };
        for id in ids {
            let end = match states.get(&id) {
                Some((s, reason)) if !s.is_terminal() => {
                    watch(shared, id, s, reason.as_deref());
                    continue;
                }
                Some((s, _)) if s.0 == "COMPLETED" => JobEnd {
                    state: s.clone(),
                    exit_code: Some(0),
                    signal: None,
                },
                Some((s, _)) => commands::job_end(id).unwrap_or(JobEnd {
                    state: s.clone(),
                    exit_code: None,
                    signal: None,
                }),
                // squeue no longer lists it: ask scontrol and sacct.
                None => match commands::job_end(id) {
                    Some(end) if end.state.is_terminal() => end,
                    Some(_) => continue,
                    None => JobEnd {
                        state: JobState("UNKNOWN".into()),
                        exit_code: None,
                        signal: None,
                    },
                },
            };
            report(shared, tx, id, |t| outcome(id, &end, t));
        }
    }
}

/// Follows a job that has not ended: what its instance shows (running, or PENDING with the
/// reason), and a `waiting:` line when it waits for more than queueing (at once for a held
/// job, a down partition, a requeue's BeginTime; after a minute otherwise), then every minute.
fn watch(shared: &Shared, id: u64, state: &JobState, reason: Option<&str>) {
    let Ok(mut jobs) = shared.jobs.lock() else {
        return;
    };
    let Some(t) = jobs.get_mut(&id) else {
        return;
    };
    let now = (state.0.clone(), reason.map(str::to_string));
    let running = matches!(state.0.as_str(), "RUNNING" | "COMPLETING" | "CONFIGURING");
    if t.seen.as_ref() != Some(&now) {
        let was_waiting = t.told.is_some();
        t.seen = Some(now);
        t.since = Instant::now();
        t.told = None;
        let what = if running {
            "running".to_string()
        } else {
            match reason {
                Some(r) => format!("{} ({r})", state.0),
                None => state.0.clone(),
            }
        };
        shared.say(Notice::Shows {
            i: t.i,
            what: what.clone(),
        });
        if running && was_waiting {
            shared.say(Notice::Say(format!(
                "{} (Slurm job {id}) is {what} after {} s",
                t.instance,
                t.submitted.elapsed().as_secs()
            )));
        }
    }
    if running {
        return;
    }
    let at_once = reason.is_some_and(worth_telling_at_once) || state.0 != "PENDING";
    let due = match t.told {
        None => at_once || t.since.elapsed() >= EVERY,
        Some(at) => at.elapsed() >= EVERY,
    };
    if due {
        t.told = Some(Instant::now());
        shared.say(Notice::Say(format!(
            "waiting: {} (Slurm job {id}) {}{} for {} s",
            t.instance,
            state.0,
            reason.map(|r| format!(" ({r})")).unwrap_or_default(),
            t.since.elapsed().as_secs()
        )));
    }
}

fn read_outcome(staging: &Path) -> Option<Outcome> {
    fs::read(staging.join(OUTCOME_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
}

fn report(shared: &Shared, tx: &Sender<Done>, id: u64, make: impl FnOnce(&Tracked) -> Outcome) {
    let tracked = shared.jobs.lock().ok().and_then(|mut j| j.remove(&id));
    if let Some(t) = tracked {
        let _ = tx.send((t.i, make(&t)));
    }
}

/// How an instance ended, from its job's final state and the outcome its job recorded.
fn outcome(id: u64, end: &JobEnd, t: &Tracked) -> Outcome {
    let recorded = read_outcome(&t.staging);
    let elapsed = t.submitted.elapsed();
    let with_code = |mut o: Outcome| {
        o.exit_code = o.exit_code.or(end.exit_code);
        o
    };
    match end.state.0.as_str() {
        "COMPLETED" | "FAILED" | "UNKNOWN" if recorded.is_some() => {
            recorded.expect("checked")
        }
        "COMPLETED" => failed(
            format!(
                "Slurm job {id} completed, but its staging directory `{}` is not visible from the coordinator: the workspace must be on a filesystem every node shares",
                t.staging.display()
            ),
            elapsed,
        ),
        "FAILED" => with_code(failed(
            match end.exit_code {
                Some(NOT_VISIBLE_EXIT) => format!(
                    "Slurm job {id} could not see its staging directory on its node: the workspace must be on a filesystem every node shares"
                ),
                Some(126 | 127) => format!(
                    "Slurm job {id} could not start gosales on its node (exit code {}): every node needs the gosales binary at the coordinator's path",
                    end.exit_code.unwrap_or_default()
                ),
                Some(c) if c != 0 => format!("Slurm job {id} failed with exit code {c}"),
                _ => match end.signal {
                    Some(s) if s != 0 => format!("Slurm job {id} was killed by signal {s}"),
                    _ => format!("Slurm job {id} failed"),
                },
            },
            elapsed,
        )),
        "CANCELLED" => failed(format!("cancelled (Slurm job {id} is CANCELLED)"), elapsed),
        "TIMEOUT" => failed(
            format!("Slurm job {id} reached its time limit (TIMEOUT): raise `time` under `executor:` in pipeline.yaml"),
            elapsed,
        ),
        "OUT_OF_MEMORY" => failed(
            format!("Slurm job {id} ran out of memory (OUT_OF_MEMORY): raise `mem` under `executor:` in pipeline.yaml"),
            elapsed,
        ),
        "UNKNOWN" => failed(
            format!("Slurm no longer knows job {id} and it left no outcome (was it purged before it was polled?)"),
            elapsed,
        ),
        other => failed(format!("Slurm job {id} ended in state {other}"), elapsed),
    }
}

/// What [`reap_leftovers`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reaped {
    /// Jobs that were still queued or running, now cancelled and ended.
    pub cancelled: usize,
    /// Set when Slurm could not say whether the listed jobs ended (squeue failed): scancel was
    /// sent to all of them and `cache/slurm.jobs` is kept for the next run.
    pub unconfirmed: Option<String>,
}

/// Cancels the jobs a killed coordinator left in flight (listed in `cache/slurm.jobs`) and
/// waits until Slurm reports them ended, so none writes into staging while this run cleans it.
/// The list is removed only once none of its jobs is known to be queued or running.
pub fn reap_leftovers(ws: &Workspace) -> Result<Reaped, Error> {
    let path = journal_path(ws);
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(Reaped::default());
    };
    let ids: Vec<u64> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    let mut reaped = Reaped::default();
    if !ids.is_empty() && commands::on_path("squeue").is_some() {
        let running = |ids: &[u64]| -> Result<Vec<u64>, String> {
            commands::poll(ids).map(|s| {
                s.into_iter()
                    .filter(|(_, st, _)| !st.is_terminal())
                    .map(|(id, _, _)| id)
                    .collect()
            })
        };
        match running(&ids) {
            Ok(left) => {
                reaped.cancelled = left.len();
                let _ = commands::cancel(&left);
                let deadline = Instant::now() + Duration::from_secs(60);
                while running(&left).map_or(true, |l| !l.is_empty()) && Instant::now() < deadline {
                    std::thread::sleep(POLL);
                }
            }
            Err(e) => {
                let _ = commands::cancel(&ids);
                reaped.unconfirmed = Some(format!(
                    "cannot tell whether the {} Slurm job(s) listed in `{}` (left by an earlier run) ended: squeue: {e}; scancel was sent to them and the list is kept",
                    ids.len(),
                    path.display()
                ));
                return Ok(reaped);
            }
        }
    }
    fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    Ok(reaped)
}

/// Pauses between tries of the pre-run check when Slurm's controller does not answer or its
/// nodes are not ready yet (about 15 s in all).
const PREFLIGHT_BACKOFF: [Duration; 4] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
];

/// Checks, before anything runs, that Slurm can take every job of `nodes`: its commands are on
/// PATH, and `sbatch --test-only` accepts each distinct request (partition, size, limits).
pub fn preflight(
    cfg: &ExecutorConfig,
    file: &SourceFile,
    nodes: &BTreeSet<&str>,
) -> Result<(), Error> {
    for program in ["sbatch", "squeue", "scontrol", "scancel"] {
        if commands::on_path(program).is_none() {
            return Err(Error::Executor {
                message: format!(
                    "the Slurm executor needs `{program}` on PATH, and it is not there"
                ),
                fix: "install Slurm's client commands (Debian: slurm-client) on this machine"
                    .into(),
            });
        }
    }
    let mut tried: BTreeSet<SlurmRequest> = BTreeSet::new();
    for node in nodes {
        let req = cfg.request(node);
        if !tried.insert(req.clone()) {
            continue;
        }
        let mut args = vec![
            "--test-only".to_string(),
            "--job-name=gosales-preflight".into(),
        ];
        args.extend(req.sbatch_args());
        args.extend(["--wrap".into(), "true".into()]);
        let mut tries = 0;
        let err = loop {
            let e = match commands::slurm("sbatch", &args) {
                Ok(_) => break None,
                Err(e) => e,
            };
            // A refusal right after slurmctld or slurmd restarted (nodes still `unknown`),
            // or no answer at all, may pass a few seconds later.
            let not_ready = if commands::is_transient(&e) {
                Vec::new()
            } else {
                commands::nodes_not_ready(req.partition.as_deref())
            };
            let transient = commands::is_transient(&e) || !not_ready.is_empty();
            if transient && tries < PREFLIGHT_BACKOFF.len() {
                std::thread::sleep(PREFLIGHT_BACKOFF[tries]);
                tries += 1;
                continue;
            }
            break Some((e, not_ready));
        };
        let Some((e, not_ready)) = err else {
            continue;
        };
        if commands::is_transient(&e) {
            return Err(Error::Unavailable {
                message: format!(
                    "Slurm's controller did not answer the pre-run check (`sbatch --test-only`, {} tries over {} s): {e}",
                    tries + 1,
                    PREFLIGHT_BACKOFF.iter().map(Duration::as_secs).sum::<u64>()
                ),
                fix: "check that slurmctld is up (`scontrol ping`, `sinfo`) and run again".into(),
            });
        }
        if !not_ready.is_empty() {
            return Err(Error::Unavailable {
                message: format!(
                    "Slurm refuses the jobs of node `{node}` ({}): {e}; but its nodes are not ready ({}), so the request may be fine",
                    req.describe(),
                    not_ready.join(", ")
                ),
                fix: format!(
                    "wait until `sinfo` shows the nodes idle and run again; if it is still refused, change the request under `executor:` in {}",
                    cfg.origin(file, node)
                ),
            });
        }
        return Err(Error::Executor {
            message: format!(
                "Slurm refuses the jobs of node `{node}` ({}): {e}",
                req.describe()
            ),
            fix: format!(
                "change the request under `executor:` in {}",
                cfg.origin(file, node)
            ),
        });
    }
    Ok(())
}
