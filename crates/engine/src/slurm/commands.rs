//! The Slurm commands gosales uses, and the parsing of what they print. Kept apart so the
//! parsing is unit-tested without a cluster.
//!
//! - `sbatch --parsable` submits and prints `JOBID` (or `JOBID;CLUSTER`);
//! - `squeue -h -t all -j ID,... -o '%i|%T'` polls every job in flight in one call (a job it no
//!   longer knows is simply absent);
//! - `scontrol show job -o ID` gives a finished job's ` JobState=` and ` ExitCode=N:SIG`;
//! - `sacct -n -X -P -j ID -o JobID,State,ExitCode` when scontrol has forgotten the job
//!   (older than `MinJobAge`) and accounting is enabled;
//! - `scancel ID...` cancels.

use std::path::Path;
use std::process::{Command, Stdio};

/// A job's state as Slurm names it, e.g. `RUNNING`, `COMPLETED`, `CANCELLED`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobState(pub String);

impl JobState {
    /// Ended for good: the job will not run again and its outputs will not change.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.0.as_str(),
            "COMPLETED"
                | "FAILED"
                | "CANCELLED"
                | "TIMEOUT"
                | "OUT_OF_MEMORY"
                | "NODE_FAIL"
                | "PREEMPTED"
                | "BOOT_FAIL"
                | "DEADLINE"
                | "REVOKED"
                | "SPECIAL_EXIT"
        )
    }
}

/// A finished job's state and exit code (`ExitCode=N:SIG`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEnd {
    pub state: JobState,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
}

/// Runs a Slurm command; `Err` carries its stderr (or why it could not start).
pub fn slurm(program: &str, args: &[String]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err.trim();
        Err(if err.is_empty() {
            format!("`{program}` failed ({})", out.status)
        } else {
            err.lines()
                .map(|l| l.trim_start_matches(&format!("{program}: ")))
                .map(|l| l.trim_start_matches("error: "))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}

/// The job id `sbatch --parsable` printed.
pub fn parse_sbatch(stdout: &str) -> Option<u64> {
    stdout.trim().split(';').next()?.trim().parse().ok()
}

/// `squeue -o '%i|%T'` lines: (job id, state).
pub fn parse_squeue(stdout: &str) -> Vec<(u64, JobState)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (id, state) = l.trim().split_once('|')?;
            // An array task prints `12_3`; gosales never submits arrays, so skip such lines.
            Some((id.parse().ok()?, JobState(state.trim().to_string())))
        })
        .collect()
}

fn parse_exit(s: &str) -> (Option<i32>, Option<i32>) {
    let (code, sig) = s.split_once(':').unwrap_or((s, "0"));
    (code.trim().parse().ok(), sig.trim().parse().ok())
}

/// `scontrol show job -o ID`: one line of `Key=Value` pairs.
pub fn parse_scontrol(stdout: &str) -> Option<JobEnd> {
    let line = format!(" {}", stdout.lines().next()?);
    let field = |key: &str| {
        let start = line.find(&format!(" {key}="))? + key.len() + 2;
        line[start..].split_whitespace().next().map(str::to_string)
    };
    let state = field("JobState")?;
    let (exit_code, signal) = field("ExitCode")
        .map(|e| parse_exit(&e))
        .unwrap_or_default();
    Some(JobEnd {
        state: JobState(state),
        exit_code,
        signal,
    })
}

/// `sacct -n -X -P -o JobID,State,ExitCode`: `ID|CANCELLED by 0|0:15`.
pub fn parse_sacct(stdout: &str, id: u64) -> Option<JobEnd> {
    stdout.lines().find_map(|l| {
        let mut f = l.split('|');
        if f.next()?.trim() != id.to_string() {
            return None;
        }
        let state = f.next()?.split_whitespace().next()?.to_string();
        let (exit_code, signal) = parse_exit(f.next().unwrap_or(""));
        Some(JobEnd {
            state: JobState(state),
            exit_code,
            signal,
        })
    })
}

/// The state of one job Slurm may have finished with: scontrol, then sacct.
pub fn job_end(id: u64) -> Option<JobEnd> {
    if let Ok(out) = slurm(
        "scontrol",
        &["show".into(), "job".into(), "-o".into(), id.to_string()],
    ) {
        if let Some(end) = parse_scontrol(&out) {
            return Some(end);
        }
    }
    let args = [
        "-n",
        "-X",
        "-P",
        "-j",
        &id.to_string(),
        "-o",
        "JobID,State,ExitCode",
    ]
    .map(String::from);
    slurm("sacct", &args)
        .ok()
        .and_then(|out| parse_sacct(&out, id))
}

/// States of the given jobs, in one call. Jobs Slurm no longer lists are absent.
pub fn poll(ids: &[u64]) -> Result<Vec<(u64, JobState)>, String> {
    let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    let args = ["-h", "-t", "all", "-j", &list, "-o", "%i|%T"].map(String::from);
    slurm("squeue", &args).map(|out| parse_squeue(&out))
}

/// Cancels jobs; unknown or finished ones are no error.
pub fn cancel(ids: &[u64]) {
    if ids.is_empty() {
        return;
    }
    let _ = slurm(
        "scancel",
        &ids.iter().map(u64::to_string).collect::<Vec<_>>(),
    );
}

/// The program's path on PATH, if any.
pub fn on_path(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| is_executable(p))
    })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_slurm_prints() {
        assert_eq!(parse_sbatch("42\n"), Some(42));
        assert_eq!(parse_sbatch("42;cluster\n"), Some(42));
        assert_eq!(parse_sbatch("Submitted batch job 42"), None);
        assert_eq!(
            parse_squeue("5|RUNNING\n7|CANCELLED\n8_1|PENDING\n"),
            [
                (5, JobState("RUNNING".into())),
                (7, JobState("CANCELLED".into()))
            ]
        );
        let end = parse_scontrol(
            "JobId=4 JobName=gosales:a@b UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 DerivedExitCode=0:0\n",
        )
        .unwrap();
        assert_eq!(end.state.0, "FAILED");
        assert_eq!((end.exit_code, end.signal), (Some(3), Some(0)));
        // `DerivedExitCode=` must not be mistaken for `ExitCode=`.
        let end =
            parse_scontrol("JobId=5 DerivedExitCode=9:9 JobState=CANCELLED ExitCode=0:15").unwrap();
        assert_eq!((end.exit_code, end.signal), (Some(0), Some(15)));
        let end = parse_sacct("12|CANCELLED by 0|0:15\n", 12).unwrap();
        assert_eq!(end.state.0, "CANCELLED");
        assert_eq!(parse_sacct("12|COMPLETED|0:0\n", 13), None);
        assert!(JobState("TIMEOUT".into()).is_terminal());
        assert!(!JobState("COMPLETING".into()).is_terminal());
    }
}
