//! The Slurm commands gosales uses, and the parsing of what they print. Kept apart so the
//! parsing is unit-tested without a cluster.
//!
//! - `sbatch --parsable` submits and prints `JOBID` (or `JOBID;CLUSTER`);
//! - `squeue -h -t all -j ID,... -o '%i|%T|%r'` polls every job in flight in one call (a job it no
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

/// The job id `sbatch --parsable` printed: the last line that is `JOBID` or `JOBID;CLUSTER`
/// (sbatch may print warnings before it, e.g. `sbatch: warning: ...`).
pub fn parse_sbatch(stdout: &str) -> Option<u64> {
    stdout.lines().rev().map(str::trim).find_map(|l| {
        let (id, cluster) = match l.split_once(';') {
            Some((id, c)) => (id, Some(c)),
            None => (l, None),
        };
        let cluster_ok = cluster.is_none_or(|c| !c.is_empty() && !c.contains(char::is_whitespace));
        let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        if cluster_ok && id_ok {
            id.parse().ok()
        } else {
            None
        }
    })
}

/// True for an error that says Slurm's controller (or the network to it) is not answering
/// right now, as opposed to a refusal of the request: worth retrying.
pub fn is_transient(err: &str) -> bool {
    let e = err.to_ascii_lowercase();
    [
        "unable to contact slurm controller",
        "socket timed out",
        "connection refused",
        "connect failure",
        "zero bytes were transmitted",
        "transport endpoint is not connected",
        "backup controller in standby mode",
        "resource temporarily unavailable",
        "communication connection failure",
        "slurmctld not responding",
        "not responding",
    ]
    .iter()
    .any(|p| e.contains(p))
}

/// `squeue -o '%i|%T|%r'` lines: (job id, state, reason). The reason is optional (an older
/// format), `None` and `(null)` read as none.
pub fn parse_squeue(stdout: &str) -> Vec<(u64, JobState, Option<String>)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut f = l.trim().splitn(3, '|');
            let id = f.next()?;
            let state = f.next()?;
            let reason = f
                .next()
                .map(str::trim)
                .filter(|r| !r.is_empty() && *r != "None" && *r != "(null)")
                .map(str::to_string);
            // An array task prints `12_3`; gosales never submits arrays, so skip such lines.
            Some((id.parse().ok()?, JobState(state.trim().to_string()), reason))
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

/// States (and pending reasons) of the given jobs, in one call. Jobs Slurm no longer lists are
/// absent.
pub fn poll(ids: &[u64]) -> Result<Vec<(u64, JobState, Option<String>)>, String> {
    let list = ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    let args = ["-h", "-t", "all", "-j", &list, "-o", "%i|%T|%r"].map(String::from);
    slurm("squeue", &args).map(|out| parse_squeue(&out))
}

/// Cancels jobs; unknown or finished ones are no error. `Err` when scancel itself failed
/// (the controller did not answer).
pub fn cancel(ids: &[u64]) -> Result<(), String> {
    if ids.is_empty() {
        return Ok(());
    }
    slurm(
        "scancel",
        &ids.iter().map(u64::to_string).collect::<Vec<_>>(),
    )
    .map(|_| ())
}

/// The jobs of this user that a run of the workspace at `root` submitted (named `gosales:…`,
/// working in `root`) and that are not known to have ended. Slurm keeps a job's name and
/// working directory, so a copy of the workspace, or an id in `cache/slurm.jobs` that is now
/// another job (another user's, or reused after the controller's state was reset), is never
/// taken for this workspace's.
pub fn workspace_jobs(root: &Path) -> Result<Vec<u64>, String> {
    let args = ["-h", "-t", "all", "-u", &user(), "-o", "%i|%T|%j|%Z"].map(String::from);
    let out = slurm("squeue", &args)?;
    Ok(parse_workspace_jobs(&out, root))
}

fn parse_workspace_jobs(stdout: &str, root: &Path) -> Vec<u64> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut f = l.trim().splitn(4, '|');
            let (id, state, name, dir) = (f.next()?, f.next()?, f.next()?, f.next()?);
            let live = !JobState(state.trim().to_string()).is_terminal();
            (live && name.trim().starts_with("gosales:") && Path::new(dir.trim()) == root)
                .then(|| id.trim().parse().ok())
                .flatten()
        })
        .collect()
}

/// This user, as `scancel --user` and `squeue --user` take it.
pub fn user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        // SAFETY: getuid cannot fail.
        .unwrap_or_else(|| unsafe { libc::getuid() }.to_string())
}

/// The jobs of this user named `name` whose batch script is `script` (unique per run and
/// instance): how a submission whose id was not read is found again.
pub fn find_submitted(name: &str, script: &Path) -> Result<Vec<u64>, String> {
    let args = ["-h", "-t", "all", "-u", &user(), "-n", name, "-o", "%i|%o"].map(String::from);
    let out = slurm("squeue", &args)?;
    Ok(parse_commands(&out, script))
}

fn parse_commands(stdout: &str, script: &Path) -> Vec<u64> {
    stdout
        .lines()
        .filter_map(|l| {
            let (id, cmd) = l.trim().split_once('|')?;
            (Path::new(cmd.trim()) == script)
                .then(|| id.trim().parse().ok())
                .flatten()
        })
        .collect()
}

/// `scancel --name NAME --user USER`: cancels a job whose id is unknown.
pub fn cancel_by_name(name: &str) -> Result<(), String> {
    let args = [
        "--name".to_string(),
        name.to_string(),
        "--user".into(),
        user(),
    ];
    slurm("scancel", &args).map(|_| ())
}

/// The states of the nodes `sinfo` lists (of `partition`, if given) that are not ready to run
/// jobs yet: `unknown` (just after a restart) or not responding (`*`). Empty when sinfo fails.
pub fn nodes_not_ready(partition: Option<&str>) -> Vec<String> {
    let mut args = vec!["-h".to_string(), "-N".into(), "-o".into(), "%N|%T".into()];
    if let Some(p) = partition {
        args.extend(["-p".into(), p.to_string()]);
    }
    slurm("sinfo", &args)
        .map(|out| {
            out.lines()
                .filter_map(|l| {
                    let (node, state) = l.trim().split_once('|')?;
                    let st = state.to_ascii_lowercase();
                    (st.starts_with("unk") || st.ends_with('*') || st.contains("not_responding"))
                        .then(|| format!("{node} ({state})"))
                })
                .collect()
        })
        .unwrap_or_default()
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
    fn a_workspaces_jobs_are_told_by_name_and_working_directory() {
        let out = "7|RUNNING|gosales:a|/srv/ws\n8|PENDING|gosales:b|/srv/ws-copy\n9|RUNNING|unrelated|/srv/ws\n10|COMPLETED|gosales:c|/srv/ws\n11|PENDING|gosales:d|/srv/ws\n";
        assert_eq!(parse_workspace_jobs(out, Path::new("/srv/ws")), [7, 11]);
    }

    #[test]
    fn parses_what_slurm_prints() {
        assert_eq!(parse_sbatch("42\n"), Some(42));
        assert_eq!(parse_sbatch("42;cluster\n"), Some(42));
        assert_eq!(parse_sbatch("Submitted batch job 42"), None);
        // A warning before the id, and junk after it.
        assert_eq!(
            parse_sbatch("sbatch: warning: this is a warning line\n8073\n"),
            Some(8073)
        );
        assert_eq!(parse_sbatch("8073;c1\nsbatch: note 12\n"), Some(8073));
        assert_eq!(parse_sbatch("12 13\n-4\n;x\n"), None);
        assert_eq!(
            parse_squeue("5|RUNNING|None\n7|CANCELLED\n8_1|PENDING|x\n9|PENDING|JobHeldAdmin\n"),
            [
                (5, JobState("RUNNING".into()), None),
                (7, JobState("CANCELLED".into()), None),
                (9, JobState("PENDING".into()), Some("JobHeldAdmin".into())),
            ]
        );
        assert_eq!(
            parse_commands(
                "5|/w/cache/tmp/r/a/job.sh\n6|/w/cache/tmp/r/b/job.sh\n",
                Path::new("/w/cache/tmp/r/b/job.sh")
            ),
            [6]
        );
        assert!(is_transient(
            "Batch job submission failed: Socket timed out on send/recv operation"
        ));
        assert!(is_transient(
            "slurm_load_jobs error: Unable to contact slurm controller (connect failure)"
        ));
        assert!(!is_transient(
            "Batch job submission failed: Requested node configuration is not available"
        ));
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
