//! `gosales audit`: the checks of `engine::audit`, printed, with the exit code a script needs.

use clap::Args;
use serde_json::json;

use super::{print_json, Cli};
use crate::engine::audit::{check, parse_head, Options};
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
    /// A head an earlier audit printed, kept outside the workspace: fails unless it is still a
    /// record of the chain with every record before it unchanged (repeatable)
    #[arg(long = "head", value_name = "HASH")]
    pub heads: Vec<String>,
}

pub fn run(cli: &Cli, a: &AuditArgs) -> Result<ExitCode, Error> {
    for h in &a.heads {
        parse_head(h).map_err(|e| Error::usage(e, None))?;
    }
    // The audit needs only the workspace, not a valid manifest: history is checked as recorded.
    // Found as every other command finds it: a directory with nothing to audit is no pass (a
    // CI job run in the wrong directory passed, auditing nothing).
    let ws = super::workspace_only(cli)?;
    let manifest = super::find_manifest(cli)
        .unwrap_or_else(|_| ws.root.join(crate::engine::manifest::MANIFEST_FILE));
    if !manifest.is_file() && !ws.lock_path().is_file() && !ws.lock_journal_path().is_file() {
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
    let r = check(
        &ws,
        &Options {
            manifest: Some((&manifest, &crate::stages::Catalog)),
            heads: &a.heads,
        },
    )?;
    if a.json {
        print_json(&json!({
            "ok": r.ok(),
            "runlog_records": r.records.len(),
            "lock_entries": r.lock_entries,
            "outputs_checked": r.outputs_checked,
            "instances_planned": r.planned,
            "problems": r.problems,
            "notes": r.notes,
            "head": r.head,
            "anchors": r.anchors,
        }));
    } else {
        println!("{}", r.verdict());
        for p in &r.problems {
            println!("  {}: {}", p.what, p.detail);
        }
        for line in r.epilogue() {
            println!("{line}");
        }
    }
    Ok(if r.ok() {
        ExitCode::Ok
    } else {
        ExitCode::Failed
    })
}
