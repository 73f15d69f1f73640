//! Where prepared instances run. The scheduler decides *what* runs and *when*; a [`Dispatch`]
//! only starts a prepared instance somewhere and reports how it ended, on the channel it was
//! built with. Everything after that (checks, publication, the lock, the run log) stays in the
//! coordinator, whatever the dispatch.
//!
//! - [`Local`]: a thread per running instance, each waiting on its child process.
//! - [`super::slurm::Slurm`]: one batch job per instance, polled in one call for all.

use std::sync::mpsc::Sender;

use super::executor::{self, LogTarget, Outcome, Prepared};

/// A finished instance: its index in the graph and how it ended.
pub type Done = (usize, Outcome);

pub trait Dispatch {
    /// Starts instance `i` of node `node`. Its [`Outcome`] arrives on the dispatch's channel,
    /// exactly once, including when it could not be started at all.
    fn start(&mut self, i: usize, node: &str, p: &Prepared);
    /// Called once when the run ends (every started instance has reported).
    fn finish(&mut self) {}
}

/// Child processes on this machine.
pub struct Local {
    tx: Sender<Done>,
}

impl Local {
    pub fn new(tx: Sender<Done>) -> Self {
        Local { tx }
    }
}

impl Dispatch for Local {
    fn start(&mut self, i: usize, _node: &str, p: &Prepared) {
        let tx = self.tx.clone();
        let p = p.clone();
        std::thread::spawn(move || {
            let outcome = executor::execute(&p, LogTarget::File);
            let _ = tx.send((i, outcome));
        });
    }
}
