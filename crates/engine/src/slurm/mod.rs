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
use super::dispatch::{Dispatch, Done};
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
    staging: PathBuf,
    submitted: Instant,
}

#[derive(Default)]
struct Shared {
    jobs: Mutex<BTreeMap<u64, Tracked>>,
    stop: AtomicBool,
}

impl Shared {
    fn ids(&self) -> Vec<u64> {
        self.jobs
            .lock()
            .map(|j| j.keys().copied().collect())
            .unwrap_or_default()
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
                    commands::cancel(&ids);
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
        let mut args = vec![
            "--parsable".to_string(),
            format!("--job-name=gosales:{}", file_safe(&p.id)),
            format!("--chdir={}", self.root.display()),
            format!("--output={}", p.log.display()),
            format!("--error={}", p.log.display()),
        ];
        args.extend(self.cfg.request(node).sbatch_args());
        args.push(script.to_string_lossy().into_owned());
        let out = commands::slurm("sbatch", &args)?;
        let id = commands::parse_sbatch(&out)
            .ok_or_else(|| format!("sbatch printed no job id: {}", out.trim()))?;
        // The journal lets the next run cancel this job if the coordinator dies unannounced.
        let _ = writeln!(self.journal, "{id} {}", p.id);
        Ok(id)
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
                            staging: p.staging.clone(),
                            submitted,
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
        if self.shared.ids().is_empty() {
            let _ = fs::remove_file(&self.journal_path);
        }
    }

    /// Cancels the jobs in flight (scancel signals them itself); the poller reports each as
    /// cancelled. Reached when the run's interrupt is requested (the CLI's signals, or a library
    /// front end); without signal handling of the front end's, `own_signals` cancels and exits.
    fn interrupt(&mut self, _sig: i32) -> usize {
        let ids = self.shared.ids();
        commands::cancel(&ids);
        ids.len()
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
}

impl Drop for Slurm {
    /// A run that ends early (an engine error) cancels what it submitted.
    fn drop(&mut self) {
        self.stop();
        let ids = self.shared.ids();
        commands::cancel(&ids);
        let _ = fs::remove_file(&self.journal_path);
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

fn poll_loop(shared: &Shared, tx: &Sender<Done>) {
    let mut errors = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let ids = shared.ids();
        if ids.is_empty() {
            continue;
        }
        let states: HashMap<u64, JobState> = match commands::poll(&ids) {
            Ok(s) => {
                errors = 0;
                s.into_iter().collect()
            }
            Err(e) => {
                // A busy slurmctld times out now and then; give up on the jobs only when it
                // stays unreachable (about a minute).
                errors += 1;
                if errors < 240 {
                    continue;
                }
                for id in ids {
                    report(shared, tx, id, |t| {
                        failed(
                            format!("lost track of Slurm job {id}: squeue: {e}"),
                            t.submitted.elapsed(),
                        )
                    });
                }
                continue;
            }
        };
        for id in ids {
            let end = match states.get(&id) {
                Some(s) if !s.is_terminal() => continue,
                Some(s) if s.0 == "COMPLETED" => JobEnd {
                    state: s.clone(),
                    exit_code: Some(0),
                    signal: None,
                },
                Some(s) => commands::job_end(id).unwrap_or(JobEnd {
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

fn report(shared: &Shared, tx: &Sender<Done>, id: u64, make: impl FnOnce(&Tracked) -> Outcome) {
    let tracked = shared.jobs.lock().ok().and_then(|mut j| j.remove(&id));
    if let Some(t) = tracked {
        let _ = tx.send((t.i, make(&t)));
    }
}

/// How an instance ended, from its job's final state and the outcome its job recorded.
fn outcome(id: u64, end: &JobEnd, t: &Tracked) -> Outcome {
    let recorded: Option<Outcome> = fs::read(t.staging.join(OUTCOME_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
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

/// Cancels the jobs a killed coordinator left in flight (listed in `cache/slurm.jobs`) and
/// waits until Slurm reports them ended, so none writes into staging while this run cleans it.
/// Returns how many were still queued or running.
pub fn reap_leftovers(ws: &Workspace) -> Result<usize, Error> {
    let path = journal_path(ws);
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(0);
    };
    let ids: Vec<u64> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    let mut alive = 0;
    if !ids.is_empty() && commands::on_path("squeue").is_some() {
        let running = |ids: &[u64]| -> Vec<u64> {
            commands::poll(ids)
                .map(|s| {
                    s.into_iter()
                        .filter(|(_, st)| !st.is_terminal())
                        .map(|(id, _)| id)
                        .collect()
                })
                .unwrap_or_default()
        };
        let left = running(&ids);
        alive = left.len();
        commands::cancel(&left);
        let deadline = Instant::now() + Duration::from_secs(60);
        while !running(&left).is_empty() && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
    }
    fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    Ok(alive)
}

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
        if let Err(e) = commands::slurm("sbatch", &args) {
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
    }
    Ok(())
}
