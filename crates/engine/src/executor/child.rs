//! The child process of an instance: started with `PR_SET_PDEATHSIG` (in its own process
//! group in a run), waited for with `wait4`, measured.

use std::fs::{self, File};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{Outcome, Prepared};
use crate::interrupt::Children;

/// This process's peak resident set so far.
fn own_peak_rss_kb() -> u64 {
    // SAFETY: zeroed rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` points to a live stack value.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss.max(0) as u64
}

/// util-linux's `setpriv`, if this machine has it.
fn setpriv() -> Option<&'static Path> {
    static SETPRIV: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    SETPRIV
        .get_or_init(|| {
            ["/usr/bin/setpriv", "/bin/setpriv"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// Where a child's stdout and stderr go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTarget {
    /// Create (truncate) the instance's log file.
    File,
    /// Inherit this process's: a Slurm job whose `--output` already is the log.
    Inherit,
}

/// Runs the child to completion (called on a worker thread, or in a Slurm job). With
/// `children`, the child leads its own process group, listed there while it runs, so that an
/// interrupted run can stop it and whatever it started ([`crate::interrupt`]).
pub fn execute(p: &Prepared, target: LogTarget, children: Option<&Children>) -> Outcome {
    let started = Instant::now();
    let fail = |msg: String| Outcome {
        ok: false,
        error: Some(msg),
        exit_code: None,
        duration_ms: started.elapsed().as_millis() as u64,
        peak_rss_kb: None,
        cpu_ms: 0,
    };
    // The child must die with the thread that waits for it, so a `kill -9` of gosales leaves
    // no orphan writing into staging: PR_SET_PDEATHSIG. For a `cmd` it is set through
    // util-linux's `setpriv`, so the child starts with posix_spawn (vfork): set in a `pre_exec`
    // hook, std must fork the whole coordinator, whose page tables cost more than a tiny
    // instance does (10,000 `echo` instances: 23 s against 54 s on 2 cores). The price: the
    // kernel folds the coordinator's peak RSS into a vforked child's, so a `cmd` whose peak is
    // below the coordinator's records none. Stage workers, few and heavy, whose peak RSS is
    // reported per node, are forked and measured exactly.
    let own_peak = own_peak_rss_kb();
    let light = p.report.is_none();
    let mut cmd = match setpriv().filter(|_| light) {
        Some(sp) => {
            let mut c = Command::new(sp);
            c.args(["--pdeathsig", "KILL", "--"]).arg(&p.program[0]);
            c
        }
        None => {
            let mut c = Command::new(&p.program[0]);
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to SIGKILL the
            // child when the thread that spawned it dies.
            unsafe {
                c.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            c
        }
    };
    if target == LogTarget::File {
        if let Some(dir) = p.log.parent() {
            let _ = fs::create_dir_all(dir);
        }
        let log = match File::create(&p.log) {
            Ok(f) => f,
            Err(e) => return fail(format!("cannot create log `{}`: {e}", p.log.display())),
        };
        let log2 = match log.try_clone() {
            Ok(f) => f,
            Err(e) => return fail(format!("cannot open log: {e}")),
        };
        cmd.stdout(Stdio::from(log)).stderr(Stdio::from(log2));
    }
    if children.is_some() {
        // Its own group: a `sh -c` pipeline's processes stop with it, and a terminal's Ctrl-C
        // reaches only the coordinator, which stops each group itself (and records the run).
        cmd.process_group(0);
    }
    cmd.args(&p.program[1..])
        .current_dir(&p.root)
        .stdin(Stdio::null())
        .env("GOSALES_INSTANCE", &p.id)
        .env("GOSALES_STAGING", &p.staging)
        .env("GOSALES_CORES_FILE", &p.cores_file);
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return fail(format!("cannot start `{}`: {e}", p.program[0])),
    };
    let pid = child.id() as libc::pid_t;
    if let Some(c) = children {
        c.add(pid);
        // Wait without reaping, then unlist, then reap: while listed, the pid (and so its
        // group id) cannot be reused, so signalling the group never reaches a stranger.
        loop {
            // SAFETY: pid is our child; info points to a live, zeroed siginfo_t.
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            let rc = unsafe {
                libc::waitid(
                    libc::P_PID,
                    pid as libc::id_t,
                    &mut info,
                    libc::WEXITED | libc::WNOWAIT,
                )
            };
            if rc == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
            {
                continue;
            }
            break;
        }
        c.remove(pid);
    }
    let mut status: libc::c_int = 0;
    // SAFETY: zeroed rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 instead of Child::wait: it also returns the child's own peak RSS.
    let rc = loop {
        // SAFETY: pid is our child; status and usage point to live stack values.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break rc;
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    if rc == -1 {
        return fail(format!(
            "cannot wait for child: {}",
            std::io::Error::last_os_error()
        ));
    }
    let exit = std::process::ExitStatus::from_raw(status);
    let measured = usage.ru_maxrss.max(0) as u64;
    let peak_rss_kb = if light && setpriv().is_some() && measured <= own_peak {
        None
    } else {
        Some(measured)
    };
    let ms = |t: libc::timeval| (t.tv_sec.max(0) as u64) * 1000 + (t.tv_usec.max(0) as u64) / 1000;
    let cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
    let (ok, error, exit_code) = match (exit.code(), exit.signal()) {
        (Some(0), _) => (true, None, Some(0)),
        (Some(c), _) => (false, Some(format!("exited with code {c}")), Some(c)),
        (None, Some(s)) => (false, Some(format!("killed by signal {s}")), None),
        _ => (false, Some("ended abnormally".into()), None),
    };
    Outcome {
        ok,
        error,
        exit_code,
        duration_ms,
        peak_rss_kb,
        cpu_ms,
    }
}
