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
//! ends recorded as interrupted. The executor installs no signal handler of its own: a library
//! never prints nor exits its host process (until 2026-12-07 it did both, when the run's
//! interrupt was no signals'). A front end whose process a signal may end should pass
//! [`crate::interrupt::Interrupt::on_signals`] (or request the interrupt from its own handler);
//! otherwise the jobs in flight when its process dies run on, and the next build in the
//! workspace cancels them, as after a `kill -9`. Each submission is announced in `cache/slurm.jobs`
//! before sbatch and its id appended after; after a `kill -9` the next run cancels whatever
//! jobs of this workspace (by name and working directory) still run. A job that finished while its
//! coordinator was down is redone: its outputs were never checked, hashed or recorded.

pub mod commands;
pub mod config;
mod leftovers;
mod poll;
mod preflight;
mod submit;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use config::{ExecutorConfig, ExecutorKind, SlurmRequest};
pub use leftovers::{reap_leftovers, Reaped};
pub use preflight::preflight;

use super::dispatch::{Dispatch, Done, Notice};
use super::executor::{Outcome, Prepared};
use super::workspace::Workspace;
use crate::Error;
use poll::poll_loop;

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
    /// The gosales every job runs: its path when the run started. Replaced during the run,
    /// `/proc/self/exe` reads `… (deleted)`, which no node has.
    exe: PathBuf,
    tx: Sender<Done>,
    shared: Arc<Shared>,
    journal: File,
    journal_path: PathBuf,
    poller: Option<JoinHandle<()>>,
}

impl Slurm {
    /// Signals are the front end's: the executor installs no handler (see the module's docs).
    pub fn new(ws: &Workspace, cfg: &ExecutorConfig, tx: Sender<Done>) -> Result<Slurm, Error> {
        let root = fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone());
        let exe = std::env::current_exe().map_err(|e| {
            Error::io(
                "cannot locate the program's own binary",
                "/proc/self/exe",
                e,
            )
        })?;
        let exe = match exe.to_str().and_then(|p| p.strip_suffix(" (deleted)")) {
            Some(p) => PathBuf::from(p),
            None => exe,
        };
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
        Ok(Slurm {
            cfg: cfg.clone(),
            root,
            exe,
            tx,
            shared,
            journal,
            journal_path,
            poller: Some(poller),
        })
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
    /// front end's [`crate::interrupt::Interrupt::request`]).
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
