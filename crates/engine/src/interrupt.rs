//! Stopping a run cleanly. A run holds an [`Interrupt`]; once it is requested (by a signal, or
//! by any thread of a library user), nothing new starts, the running children are asked to stop
//! (SIGTERM to each one's process group, SIGKILL if they outlive [`GRACE`]), what had finished
//! stays published and recorded, and the run log gets a run record saying it was interrupted.
//! The next run redoes only what did not finish.
//!
//! The `gosales` CLI requests it from SIGINT, SIGTERM and SIGHUP ([`Interrupt::on_signals`]); a
//! second signal quits at once, as it would have without the handler, and takes the running
//! children's process groups with it (SIGKILL): an impatient second Ctrl-C leaves nothing
//! running. SIGPIPE (a reader that closed the pipe the run reports to) requests it too, but
//! never counts as that second signal: every later write to the pipe raises it again.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long interrupted children get to exit on SIGTERM before they are killed.
pub const GRACE: Duration = Duration::from_secs(5);

/// A request to stop a run, shared between the thread that asks and the run.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    /// The signal that asked (0: none yet; `SIGTERM` when a library user asks).
    signal: Arc<AtomicUsize>,
    /// Set by the first signal, so that a second one exits at once.
    asked: Arc<AtomicBool>,
    /// Whether signals set it ([`Interrupt::on_signals`]).
    signals: bool,
}

impl Interrupt {
    /// One that only [`Interrupt::request`] can set. The engine installs no signal handler for
    /// it: a signal then has its usual effect on the process, and Slurm jobs a run had in
    /// flight are cancelled by the next build in the workspace (see [`crate::slurm`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// One set by SIGINT, SIGTERM or SIGHUP (and SIGPIPE, unless ignored); a second such signal kills every running child's
    /// process group and then has its default action (the process dies of it at once). A signal this process ignores stays ignored (`nohup`, or a
    /// background job of a script, whose SIGINT the shell ignores). For a program's top level:
    /// the handlers stay for the process's life (signal-hook cannot give a signal its default
    /// action back once it took it).
    pub fn on_signals() -> std::io::Result<Self> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let me = Self {
            signals: true,
            ..Self::new()
        };
        for sig in [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&s| !ignored(s))
        {
            // Registered first, so it sees the flag as the previous signal left it.
            let asked = me.asked.clone();
            let second = move || {
                if asked.load(Ordering::SeqCst) {
                    kill_groups();
                    let _ = signal_hook::low_level::emulate_default_handler(sig);
                }
            };
            // SAFETY: the action only loads atomics and calls kill(2) and the crate's
            // emulation of the default action, all async-signal-safe.
            unsafe { signal_hook::low_level::register(sig, second) }?;
            signal_hook::flag::register_usize(sig, me.signal.clone(), sig as usize)?;
            signal_hook::flag::register(sig, me.asked.clone())?;
        }
        // `gosales run 2>&1 | head`: once the reader is gone, a process with SIGPIPE's default
        // action dies at its next write, leaving no run record and its Slurm jobs queued.
        // Handled, the write fails with EPIPE instead (callers must not panic on it) and the run
        // stops as for SIGHUP. A program that ignores SIGPIPE, as Rust's runtime sets it, keeps
        // ignoring it: its writes fail without stopping anything.
        let pipe = libc::SIGPIPE;
        if !ignored(pipe) {
            let (signal, asked) = (me.signal.clone(), me.asked.clone());
            let first = move || {
                if !asked.swap(true, Ordering::SeqCst) {
                    signal.store(pipe as usize, Ordering::SeqCst);
                }
            };
            // SAFETY: the action only swaps and stores atomics, which is async-signal-safe.
            unsafe { signal_hook::low_level::register(pipe, first) }?;
        }
        Ok(me)
    }

    /// Asks the run to stop, as if `signal` had arrived (SIGTERM for a number that is none).
    pub fn request(&self, signal: i32) {
        let signal = if signal > 0 { signal } else { libc::SIGTERM };
        self.signal.store(signal as usize, Ordering::SeqCst);
        self.asked.store(true, Ordering::SeqCst);
    }

    /// Whether SIGINT, SIGTERM, SIGHUP and SIGPIPE set it.
    pub fn from_signals(&self) -> bool {
        self.signals
    }

    /// The signal that asked the run to stop, if one has.
    pub fn requested(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s as i32),
        }
    }
}

/// Whether `sig` is ignored by this process (inherited from `nohup` or a shell).
fn ignored(sig: i32) -> bool {
    // SAFETY: a null new action only reads the current one into `old`, a live zeroed value.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) };
    rc == 0 && old.sa_sigaction == libc::SIG_IGN
}

/// A signal's name for messages: `SIGINT` rather than 2.
pub fn signal_name(sig: i32) -> String {
    signal_hook::low_level::signal_name(sig).map_or_else(|| format!("signal {sig}"), str::to_string)
}

/// The process groups of the children running now, in slots a signal handler can read (it may
/// not lock [`Children`]'s mutex). Beyond this many at once a second signal misses the rest; a
/// run has as many as its `-j`.
const SLOTS: usize = 256;
static GROUPS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

fn slot_add(pid: libc::pid_t) {
    let _ = GROUPS.iter().find(|s| {
        s.compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
}

fn slot_remove(pid: libc::pid_t) {
    let _ = GROUPS.iter().find(|s| {
        s.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
}

/// SIGKILL to every listed child's process group: what a second signal does before the process
/// dies of it.
fn kill_groups() {
    for s in &GROUPS {
        let pid = s.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill is async-signal-safe; `pid` leads a group of a child not yet reaped
            // (slots follow `Children`, which lists a child until just before it is reaped).
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
    }
}

/// The children running on this machine, by process group (each child leads its own, so that
/// a `cmd`'s own children stop with it). A child is listed from its start until just before it
/// is reaped, so its group id can never name someone else's processes.
#[derive(Debug, Clone, Default)]
pub struct Children(Arc<Mutex<Listed>>);

#[derive(Debug, Default)]
struct Listed {
    pids: HashSet<libc::pid_t>,
    /// The last signal sent to all: a child listed after it gets it too, so one started in the
    /// moment the run was interrupted is not missed.
    sent: Option<i32>,
    watchdog: Option<Watchdog>,
}

/// What the watchdog runs: it keeps the groups it is told of (`+ PID`, `- PID` lines) and, when
/// its input ends, SIGKILLs those still listed. Its input ends when the coordinator drops it
/// (nothing is listed then) or dies, even of `kill -9`.
const WATCHDOG: &str = r#"trap '' INT HUP TERM
g=' '
while read -r op pid; do
  case "$op$g" in
    "+"*) g="$g$pid " ;;
    "-"*" $pid "*) g="${g%% $pid *} ${g#* $pid }" ;;
  esac
done
for p in $g; do kill -s KILL -- "-$p" 2>/dev/null; done
"#;

/// A `sh` that outlives the coordinator to kill the process groups of the children it left.
/// A child's `PR_SET_PDEATHSIG` kills only the child: the processes of a `cmd`'s own (`sleep 60
/// &`, each stage of a pipeline) would run on, writing into staging, after a `kill -9`. The
/// coordinator holds the only write end of the watchdog's stdin (close-on-exec, so no other
/// child keeps it), so the kernel closing it is the signal.
#[derive(Debug)]
struct Watchdog(std::process::Child);

impl Watchdog {
    fn start() -> Option<Watchdog> {
        use std::os::unix::process::CommandExt;
        use std::process::{Command, Stdio};
        Command::new("sh")
            .args(["-c", WATCHDOG, "gosales-watchdog"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Out of the terminal's foreground group: a Ctrl-C is the coordinator's to handle.
            .process_group(0)
            .spawn()
            .ok()
            .map(Watchdog)
    }

    fn tell(&mut self, op: char, pid: libc::pid_t) {
        use std::io::Write;
        if let Some(w) = self.0.stdin.as_mut() {
            // A watchdog that is gone only costs the protection it gave.
            let _ = w.write_all(format!("{op} {pid}\n").as_bytes());
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

impl Children {
    /// Children watched by a watchdog (a `sh` told each child's process group, when one can
    /// be started): if this process dies without reaping them, even of SIGKILL, their process
    /// groups are killed.
    pub fn watched() -> Self {
        let c = Children::default();
        c.listed().watchdog = Watchdog::start();
        c
    }

    fn listed(&self) -> std::sync::MutexGuard<'_, Listed> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn add(&self, pid: libc::pid_t) {
        let mut l = self.listed();
        l.pids.insert(pid);
        slot_add(pid);
        if let Some(w) = l.watchdog.as_mut() {
            w.tell('+', pid);
        }
        if let Some(sig) = l.sent {
            // SAFETY: kill has no memory effects; `pid` is our child, not yet reaped.
            unsafe { libc::kill(-pid, sig) };
        }
    }

    pub(crate) fn remove(&self, pid: libc::pid_t) {
        let mut l = self.listed();
        l.pids.remove(&pid);
        slot_remove(pid);
        if let Some(w) = l.watchdog.as_mut() {
            w.tell('-', pid);
        }
    }

    /// Sends `sig` to every running child's process group, and to any listed later; returns
    /// how many it reached now.
    pub fn signal_all(&self, sig: i32) -> usize {
        let mut l = self.listed();
        l.sent = Some(sig);
        l.pids
            .iter()
            // SAFETY: kill has no memory effects; each pid is a child not yet reaped (above).
            .filter(|&&pid| unsafe { libc::kill(-pid, sig) } == 0)
            .count()
    }
}
