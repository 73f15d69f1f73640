//! `gosales worker <job.json>`: runs one built-in stage in this (child) process.
//! `gosales job <prepared.json>`: runs one prepared instance inside a Slurm job.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::engine::executor::{self, LogTarget, Prepared};
use crate::engine::job::StageJob;
use crate::engine::slurm::OUTCOME_FILE;
use crate::stages::{self, StageContext};
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The job file written by the engine
    pub job: PathBuf,
}

pub fn run(a: &WorkerArgs) -> Result<ExitCode, Error> {
    let bytes = std::fs::read(&a.job).map_err(|e| Error::io("cannot read job", &a.job, e))?;
    let job: StageJob = serde_json::from_slice(&bytes).map_err(|e| {
        Error::state(
            &a.job,
            e.to_string(),
            "job files are written by the engine; rerun `gosales run`",
        )
    })?;
    let Some(stage) = stages::find(&job.stage) else {
        return Err(Error::usage(format!("unknown stage `{}`", job.stage), None));
    };
    if let Some(expected) = &job.code_version {
        let here = stages::code_version(&job.stage).unwrap_or_default();
        if &here != expected {
            let exe = std::env::current_exe().unwrap_or_default();
            let _ = writeln!(
                std::io::stderr(),
                "error: stage `{}` would run other code than the run fingerprinted: this gosales ({}, on {}) builds it as {}, the run as {} (the binary was replaced during the run, or this machine has another build or C library: `gosales --version` on each shows the parts); the stage did not run. Run `gosales run` again with one build everywhere",
                job.stage,
                exe.display(),
                hostname(),
                short(&here),
                short(expected),
            );
            return Ok(ExitCode::Failed);
        }
    }
    let mut ctx = StageContext::new(job);
    if let Err(e) = stage.run(&mut ctx) {
        // Never `eprintln!`: with the disk full, writing the log fails, and a panic would hide
        // the real error behind exit code 101.
        let text = e.to_string();
        let _ = writeln!(
            std::io::stderr(),
            "error: stage `{}` failed: {text}",
            stage.name()
        );
        let fs = matches!(e, stages::StageError::Io { .. })
            || crate::engine::space::is_fs_refusal(&text);
        return Ok(if fs { ExitCode::Io } else { ExitCode::Failed });
    }
    let (job, mut report) = ctx.finish();
    // Said back, so the engine credits the outputs only to the code that made them.
    report.code_version = stages::code_version(&job.stage);
    let text = serde_json::to_vec_pretty(&report).expect("report serialises");
    std::fs::write(&job.report, text)
        .map_err(|e| Error::io("cannot write report", &job.report, e))?;
    Ok(ExitCode::Ok)
}

fn short(code: &str) -> &str {
    code.get(..12).unwrap_or(code)
}

/// The machine's name, for a message that may come from a Slurm node.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "this machine".into())
}

#[derive(Debug, Args)]
pub struct JobArgs {
    /// The prepared instance written by the Slurm executor
    pub prepared: PathBuf,
}

/// Runs the instance exactly as a local worker thread would (same child, same staging), with
/// stdout/stderr going to the job's output (the instance log), and records how it ended in
/// `outcome.json` for the coordinator. Exits with the child's code.
pub fn job(a: &JobArgs) -> Result<ExitCode, Error> {
    let bytes = std::fs::read(&a.prepared).map_err(|e| Error::io("cannot read", &a.prepared, e))?;
    let p: Prepared = serde_json::from_slice(&bytes).map_err(|e| {
        Error::state(
            &a.prepared,
            e.to_string(),
            "prepared instances are written by the Slurm executor; rerun `gosales run`",
        )
    })?;
    let path = p.staging.join(OUTCOME_FILE);
    // Slurm reruns a requeued job (`scontrol requeue`, a node that went DOWN) in the same
    // staging: every attempt starts from what `prepare` left, never from an earlier attempt's
    // files.
    executor::reset_staging(&p, &path)
        .map_err(|e| Error::io("cannot reset staging", &p.staging, e))?;
    // Say nothing on stderr: the coordinator shows the log's last line, which must be the
    // child's own last words.
    let outcome = executor::execute(&p, LogTarget::Inherit, None);
    let tmp = p.staging.join(format!("{OUTCOME_FILE}.tmp"));
    let text = serde_json::to_vec(&outcome).expect("an outcome serialises");
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| Error::io("cannot write", &path, e))?;
    if outcome.ok {
        Ok(ExitCode::Ok)
    } else {
        std::process::exit(outcome.exit_code.filter(|&c| c != 0).unwrap_or(1))
    }
}
