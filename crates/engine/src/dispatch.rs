//! Where prepared instances run. The scheduler decides *what* runs and *when*; a [`Dispatch`]
//! only starts a prepared instance somewhere and reports how it ended, on the channel it was
//! built with. Everything after that (checks, publication, the lock, the run log) stays in the
//! coordinator, whatever the dispatch.
//!
//! - [`Local`]: a thread per running instance, each waiting on its child process.
//! - [`super::slurm::Slurm`]: one batch job per instance, polled in one call for all.

use std::sync::mpsc::Sender;

use super::executor::{self, LogTarget, Outcome, Prepared};
use super::interrupt::Children;

/// A finished instance: its index in the graph and how it ended.
pub type Done = (usize, Outcome);

/// What the executor has to say while jobs wait, for the front end (drained by the
/// scheduler through [`Dispatch::notices`] and passed to its reporter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A line to show as it is (`waiting: ...`, `warning: ...`).
    Say(String),
    /// What instance `i` is doing now: `running`, or `PENDING (JobHeldAdmin)`.
    Shows { i: usize, what: String },
}

pub trait Dispatch {
    /// Starts instance `i` of node `node`. Its [`Outcome`] arrives on the dispatch's channel,
    /// exactly once, including when it could not be started at all.
    fn start(&mut self, i: usize, node: &str, p: &Prepared);
    /// Called once when the run ends (every started instance has reported).
    fn finish(&mut self) {}
    /// Asks every running instance to stop with `sig` (the run was interrupted); each still
    /// reports its outcome. Returns how many were asked.
    fn interrupt(&mut self, _sig: i32) -> usize {
        0
    }
    /// What the dispatch has to say since it was last asked (waits, an unreachable service).
    fn notices(&mut self) -> Vec<Notice> {
        Vec::new()
    }
}

/// Child processes on this machine.
pub struct Local {
    tx: Sender<Done>,
    children: Children,
}

impl Local {
    pub fn new(tx: Sender<Done>) -> Self {
        Local {
            tx,
            children: Children::watched(),
        }
    }
}

impl Dispatch for Local {
    fn start(&mut self, i: usize, _node: &str, p: &Prepared) {
        let tx = self.tx.clone();
        let p = p.clone();
        let children = self.children.clone();
        std::thread::spawn(move || {
            let outcome = executor::execute(&p, LogTarget::File, Some(&children));
            let _ = tx.send((i, outcome));
        });
    }

    fn interrupt(&mut self, sig: i32) -> usize {
        self.children.signal_all(sig)
    }
}
