//! How a run tells its front end what is happening. The scheduler never prints: it sends
//! [`Event`]s to a [`Reporter`]. The `gosales` CLI draws progress bars or plain lines from them;
//! tests and other front ends use [`Recorder`] or their own.

use crate::scheduler::{InstanceResult, Status};

/// One thing that happened during a run.
#[derive(Debug)]
pub enum Event<'a> {
    /// Planning is done: `stale` instances will be settled (built, unchanged, failed or skipped).
    Planned { stale: usize },
    /// An instance was handed to the executor, with the cores it may use.
    Started { instance: &'a str, cores: usize },
    /// An instance is settled; `done` of `total` stale instances are.
    Settled {
        done: usize,
        total: usize,
        result: &'a InstanceResult,
    },
    /// The run was asked to stop by `signal`: nothing new starts, and the `running` instances
    /// were asked to stop (they still settle, as failures).
    Interrupted { signal: i32, running: usize },
    /// Every started instance has reported; nothing more will happen.
    Finished,
}

/// Receives a run's events, on the thread that called [`crate::scheduler::run`].
pub trait Reporter {
    fn report(&mut self, event: Event<'_>);

    /// [`crate::session::Session::build`] waits for the workspace's run lock, which `holder`
    /// (another run, as it describes itself) holds. Not an [`Event`], so that a front end
    /// matching every event still compiles; by default it shows nothing.
    fn waiting_for_lock(&mut self, holder: &str) {
        let _ = holder;
    }

    /// The executor has something to say while instances wait: `waiting: ...` for a Slurm job
    /// held or pending long, `warning: squeue failing ...`. Not an [`Event`], as above; by
    /// default it shows nothing.
    fn notice(&mut self, text: &str) {
        let _ = text;
    }

    /// What a started instance is doing now, as its executor sees it: `running`, or
    /// `PENDING (JobHeldAdmin)` for a Slurm job still queued. By default it shows nothing.
    fn instance_state(&mut self, instance: &str, what: &str) {
        let _ = (instance, what);
    }
}

/// Shows nothing (`--json`, library use).
pub struct Quiet;

impl Reporter for Quiet {
    fn report(&mut self, _: Event<'_>) {}
}

/// Keeps every event as a line of text, for tests: `planned 3`, `started a@x`,
/// `built a@x 1/3`, `finished`, and `waiting for <holder>` for a wait for the run lock.
#[derive(Debug, Default)]
pub struct Recorder {
    pub lines: Vec<String>,
}

impl Reporter for Recorder {
    fn report(&mut self, event: Event<'_>) {
        self.lines.push(match event {
            Event::Planned { stale } => format!("planned {stale}"),
            Event::Started { instance, cores: 1 } => format!("started {instance}"),
            Event::Started { instance, cores } => format!("started {instance} ({cores} cores)"),
            Event::Settled {
                done,
                total,
                result,
            } => format!(
                "{} {} {done}/{total}",
                status_word(result.status),
                result.instance
            ),
            Event::Interrupted { signal, running } => format!(
                "interrupted {} ({running} running)",
                crate::interrupt::signal_name(signal)
            ),
            Event::Finished => "finished".into(),
        });
    }

    fn waiting_for_lock(&mut self, holder: &str) {
        self.lines.push(format!("waiting for {holder}"));
    }
}

/// The word a status is written as in run reports and the run log.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Fresh => "fresh",
        Status::Unchanged => "unchanged",
        Status::Built => "built",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
    }
}
