//! The jobs a killed coordinator left in flight, listed in `cache/slurm.jobs`: cancelled by
//! the next run before it cleans staging.

use std::fs;
use std::time::{Duration, Instant};

use super::{commands, journal_path, POLL};
use crate::workspace::Workspace;
use crate::Error;

/// What [`reap_leftovers`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reaped {
    /// Jobs that were still queued or running, now cancelled and ended.
    pub cancelled: usize,
    /// Set when Slurm could not say which jobs are this workspace's (squeue failed): none is
    /// cancelled, and `cache/slurm.jobs` is kept for the next run.
    pub unconfirmed: Option<String>,
}

/// Cancels the jobs a killed coordinator left in flight and waits until Slurm reports them
/// ended, so none writes into staging while this run cleans it. `cache/slurm.jobs` (written
/// before each submission and after it) says a coordinator died with jobs out; which jobs are
/// this workspace's, Slurm says: those named `gosales:…` working in this workspace's root
/// ([`commands::workspace_jobs`]), the one this run holds the lock of, so no live run of it
/// owns them. An id listed there is never cancelled on the list's word alone: a copy of the
/// workspace taken mid-run cancelled the original's jobs, and an unrelated job whose id was
/// written there was cancelled. A job submitted in the moment before its id was written is
/// found all the same. The list is removed only once none of its jobs is known to be queued or
/// running.
pub fn reap_leftovers(ws: &Workspace) -> Result<Reaped, Error> {
    let path = journal_path(ws);
    if !path.exists() {
        return Ok(Reaped::default());
    }
    let mut reaped = Reaped::default();
    if commands::on_path("squeue").is_some() {
        let root = fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone());
        let running = || commands::workspace_jobs(&root);
        match running() {
            Ok(left) => {
                reaped.cancelled = left.len();
                let _ = commands::cancel(&left);
                let deadline = Instant::now() + Duration::from_secs(60);
                while running().map_or(true, |l| !l.is_empty()) && Instant::now() < deadline {
                    std::thread::sleep(POLL);
                }
            }
            Err(e) => {
                reaped.unconfirmed = Some(format!(
                    "cannot tell whether Slurm jobs an earlier run of this workspace left (`{}`) still run: squeue: {e}; the list is kept for the next run",
                    path.display()
                ));
                return Ok(reaped);
            }
        }
    }
    fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    Ok(reaped)
}
