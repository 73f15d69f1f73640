//! `gosales audit`: the checks of `engine::audit`, printed, with the exit code a script needs.

use clap::Args;
use serde_json::json;

use super::{print_json, Cli};
use crate::engine::audit::audit;
use crate::engine::workspace::RunLock;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Exit with code 5 instead of waiting when a run holds the workspace
    #[arg(long)]
    pub no_wait: bool,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: &Cli, a: &AuditArgs) -> Result<ExitCode, Error> {
    // The audit needs only the workspace, not a valid manifest: history is checked as recorded.
    // Found as every other command finds it: a directory with nothing to audit is no pass (a
    // CI job run in the wrong directory passed, auditing nothing).
    let ws = super::workspace_only(cli)?;
    if !ws
        .root
        .join(crate::engine::manifest::MANIFEST_FILE)
        .is_file()
        && !ws.lock_path().is_file()
    {
        return Err(Error::usage(
            format!(
                "`{}` is no workspace: no pipeline.yaml and no pipeline.lock to audit",
                ws.root.display()
            ),
            Some("run it where pipeline.yaml is, or name the workspace with -C DIR".into()),
        ));
    }
    // Under the run lock: a run publishes an output and then records its hash, so an audit
    // between the two saw "content changed" that no one tampered with (14 of 280 audits
    // during a run).
    let _held = RunLock::acquire(&ws, !a.no_wait, "gosales audit", |holder| {
        eprintln!("waiting for the workspace lock held by {holder}");
    })?;
    let mut r = audit(&ws)?;
    // A run log of built instances beside no lock: the record of what is on disk is gone.
    if !ws.lock_path().is_file() && r.records.iter().any(|_| true) {
        r.problems.push(crate::engine::audit::Problem {
            what: "pipeline.lock".into(),
            detail: format!(
                "missing, while the run log holds {} records: nothing says which outputs are the recorded ones; `gosales run` rebuilds it",
                r.records.len()
            ),
        });
    }
    let problems = &r.problems;
    if a.json {
        print_json(&json!({
            "ok": problems.is_empty(),
            "runlog_records": r.records.len(),
            "lock_entries": r.lock_entries,
            "outputs_checked": r.outputs_checked,
            "problems": problems,
        }));
    } else if problems.is_empty() {
        println!(
            "audit ok: {} run log records chain correctly; {} instances in pipeline.lock match their recorded runs; {} output files re-hashed and identical",
            r.records.len(),
            r.lock_entries,
            r.outputs_checked
        );
    } else {
        println!("audit FAILED: {} problem(s)", problems.len());
        for p in problems {
            println!("  {}: {}", p.what, p.detail);
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::Ok
    } else {
        ExitCode::Failed
    })
}
