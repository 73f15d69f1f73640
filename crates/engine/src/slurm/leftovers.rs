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
