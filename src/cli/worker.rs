//! `gosales worker <job.json>`: runs one built-in stage in this (child) process.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::engine::executor::StageJob;
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
    let (job, report) = ctx.finish();
    let text = serde_json::to_vec_pretty(&report).expect("report serialises");
    std::fs::write(&job.report, text)
        .map_err(|e| Error::io("cannot write report", &job.report, e))?;
    Ok(ExitCode::Ok)
}
