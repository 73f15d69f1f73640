//! How a run goes: the options a front end sets.

use std::collections::BTreeSet;

use crate::interrupt::Interrupt;
use crate::slurm::ExecutorKind;

/// How a run goes. Every field is public, so a front end may write them all out; or start from
/// [`RunOptions::new`] and change what differs (`RunOptions { jobs: 4, ..RunOptions::new(cmd) }`).
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub jobs: usize,
    pub keep_going: bool,
    pub forced: BTreeSet<usize>,
    /// Recorded in the run log: the command line that started this run.
    pub command: String,
    /// Where instances run.
    pub executor: ExecutorKind,
    /// Stops the run when requested: nothing new starts, running instances are stopped, and
    /// what finished stays recorded ([`crate::interrupt`]). `Interrupt::new()` when nothing
    /// will ask.
    pub interrupt: Interrupt,
}

impl RunOptions {
    /// A run recorded in the run log as `command`: one job per core of this machine, stopping
    /// at the first failure, nothing forced, on this machine, stopped by nothing (an
    /// [`Interrupt`] only [`Interrupt::request`] sets).
    pub fn new(command: impl Into<String>) -> Self {
        RunOptions {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            keep_going: false,
            forced: BTreeSet::new(),
            command: command.into(),
            executor: ExecutorKind::Local,
            interrupt: Interrupt::new(),
        }
    }
}

impl Default for RunOptions {
    /// [`RunOptions::new`] with no command line to record.
    fn default() -> Self {
        Self::new("")
    }
}
