//! `gosales clean`: removes orphaned outputs, the files gosales published for nodes,
//! partitions or output paths `pipeline.yaml` no longer declares ([`orphans`]).

use clap::Args;
use serde_json::json;

use super::{print_json, Cli};
use crate::engine::orphans;
use crate::engine::workspace::RunLock;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// List what would be removed, and remove nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Exit with code 5 instead of waiting when a run holds the workspace
    #[arg(long)]
    pub no_wait: bool,
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

pub fn run(cli: &Cli, a: &CleanArgs) -> Result<ExitCode, Error> {
    let s = super::session(cli)?;
    // Under the run lock: a run in progress may be about to record one of these paths.
    let held = RunLock::acquire(&s.ws, !a.no_wait, "gosales clean", |holder| {
        eprintln!("waiting for the workspace lock held by {holder}");
    })?;
    let found = orphans::find(&s.ws, &s.graph)?;
    let (removed, forgotten) = if a.dry_run {
        (0, s.absent_from_manifest(&s.lock()?))
    } else {
        // The lock's entries of the instances gone go too, or `audit` reports each file
        // removed as an unreadable output. First: a removal that fails halfway leaves files
        // that are still orphans (forgetting does not hide what the run log published).
        let forgotten = s.forget_absent(&held, "no longer in the manifest (`gosales clean`)")?;
        (orphans::remove(&s.ws, &found)?, forgotten)
    };
    if a.json {
        print_json(&json!({
            "orphans": found,
            "removed": removed,
            "forgotten": forgotten,
            "dry_run": a.dry_run,
        }));
        return Ok(ExitCode::Ok);
    }
    let verb = if a.dry_run { "would remove" } else { "removed" };
    for p in &found {
        println!("{verb}  {p}");
    }
    if !forgotten.is_empty() {
        eprintln!(
            "{} {} instance(s) no longer in the manifest from pipeline.lock (recorded in the run log)",
            if a.dry_run { "would forget" } else { "forgot" },
            forgotten.len()
        );
    }
    if found.is_empty() {
        eprintln!(
            "nothing to clean: every file gosales published belongs to an instance in the manifest"
        );
    } else if a.dry_run {
        eprintln!(
            "{} orphaned output file(s): published for nodes, partitions or paths no longer in the manifest; nothing removed (dry run)",
            found.len()
        );
    } else {
        eprintln!(
            "removed {removed} orphaned output file(s) (and the directories they left empty)"
        );
    }
    Ok(ExitCode::Ok)
}
