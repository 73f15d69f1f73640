//! How `run` and `exec` show a run: the CLI's [`Reporter`]s. Progress bars on a terminal
//! (indicatif: a spinner per running instance under an overall bar), one plain line per settled
//! instance otherwise (CI logs, pipes), nothing with `--json`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::report::{Event, Quiet, Reporter};
use crate::engine::scheduler::{InstanceResult, Status};

/// The reporter for this terminal: bars on a TTY, lines when piped, quiet for `--json`.
pub fn reporter(json: bool) -> Box<dyn Reporter> {
    if json {
        Box::new(Quiet)
    } else if std::io::stderr().is_terminal() {
        Box::new(Bars::new())
    } else {
        Box::new(Lines)
    }
}

/// The line shown for a settled instance, or `None` for one not worth a line (skipped: the
/// summary lists them).
fn line(done: usize, total: usize, r: &InstanceResult) -> Option<String> {
    match r.status {
        Status::Unchanged => Some(format!(
            "[{done:>3}/{total}] unchanged {}  (upstream outputs identical)",
            r.instance
        )),
        Status::Built => {
            let peak = r
                .peak_rss_kb
                .map(|kb| format!(", {} MB peak", kb / 1024))
                .unwrap_or_default();
            Some(format!(
                "[{done:>3}/{total}] built     {}  ({:.1} s{peak})",
                r.instance,
                r.duration_ms.unwrap_or(0) as f64 / 1000.0,
            ))
        }
        Status::Failed => Some(format!(
            "[{done:>3}/{total}] FAILED    {}: {}{}",
            r.instance,
            r.error.clone().unwrap_or_default(),
            r.log
                .as_ref()
                .map(|l| format!("  (log: {l})"))
                .unwrap_or_default()
        )),
        Status::Fresh | Status::Skipped => None,
    }
}

/// One line per settled instance on stderr.
pub struct Lines;

impl Reporter for Lines {
    fn report(&mut self, event: Event<'_>) {
        let l = match event {
            Event::Settled {
                done,
                total,
                result,
            } => line(done, total, result),
            Event::Interrupted { signal, running } => Some(interrupted(signal, running)),
            _ => None,
        };
        if let Some(l) = l {
            // Not `eprintln!`: it panics when stderr cannot be written (a full disk).
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{l}");
        }
    }

    fn notice(&mut self, text: &str) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{text}");
    }
}

/// What the user sees the moment a signal stops a run.
fn interrupted(signal: i32, running: usize) -> String {
    format!(
        "interrupted ({}): nothing new starts; stopping {running} running instance(s); what finished is kept (a second signal kills them and quits at once)",
        crate::engine::interrupt::signal_name(signal)
    )
}

/// indicatif bars: the overall bar and a spinner per running instance.
pub struct Bars {
    mp: MultiProgress,
    overall: ProgressBar,
    running: HashMap<String, ProgressBar>,
}

impl Bars {
    fn new() -> Self {
        let mp = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = mp.add(ProgressBar::new(0));
        overall.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise:.dim} [{bar:30.cyan/blue}] {pos}/{len} instances {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Bars {
            mp,
            overall,
            running: HashMap::new(),
        }
    }
}

impl Reporter for Bars {
    fn report(&mut self, event: Event<'_>) {
        match event {
            Event::Planned { stale } => self.overall.set_length(stale as u64),
            Event::Started { instance, .. } => {
                let b = self
                    .mp
                    .insert_before(&self.overall, ProgressBar::new_spinner());
                b.set_style(
                    ProgressStyle::with_template("  {spinner:.green} {elapsed:>4} {msg}")
                        .expect("valid template"),
                );
                b.set_message(instance.to_string());
                b.enable_steady_tick(Duration::from_millis(120));
                self.running.insert(instance.to_string(), b);
            }
            Event::Settled {
                done,
                total,
                result,
            } => {
                if let Some(b) = self.running.remove(&result.instance) {
                    b.finish_and_clear();
                }
                self.overall.inc(1);
                if let Some(l) = line(done, total, result) {
                    self.mp.suspend(|| {
                        use std::io::Write as _;
                        let _ = writeln!(std::io::stderr(), "{l}");
                    });
                }
            }
            Event::Interrupted { signal, running } => {
                let l = interrupted(signal, running);
                self.mp.suspend(|| {
                    use std::io::Write as _;
                    let _ = writeln!(std::io::stderr(), "{l}");
                });
            }
            Event::Finished => self.overall.finish_and_clear(),
        }
    }

    fn notice(&mut self, text: &str) {
        self.mp.suspend(|| {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{text}");
        });
    }

    /// A Slurm job still queued shows as such (`gen@c  PENDING (JobHeldAdmin)`), not as running.
    fn instance_state(&mut self, instance: &str, what: &str) {
        if let Some(b) = self.running.get(instance) {
            if what == "running" {
                b.set_message(instance.to_string());
            } else {
                b.set_message(format!("{instance}  {what}"));
            }
        }
    }
}
