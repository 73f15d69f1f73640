//! `gosales audit`: prove the recorded history is intact and the outputs on disk are the ones
//! it recorded.
//!
//! Checks, in order:
//! 1. the run log's hash chain, line by line (edits, deletions, reordering);
//! 2. each `pipeline.lock` entry was produced by a recorded, successful instance run with the
//!    same fingerprint and output hashes;
//! 3. every output file in `pipeline.lock` re-hashed from disk (no cache) equals its record.

use std::collections::HashMap;

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use super::{print_json, Cli};
use crate::engine::hashcache::hash_file;
use crate::engine::lockfile::LockFile;
use crate::engine::runlog;
use crate::engine::workspace::Workspace;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Print JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Problem {
    what: String,
    detail: String,
}

pub fn run(cli: &Cli, a: &AuditArgs) -> Result<ExitCode, Error> {
    // The audit needs only the workspace, not a valid manifest: history is checked as recorded.
    let root = match (&cli.dir, &cli.manifest) {
        (_, Some(m)) => m
            .parent()
            .map(|p| p.to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| ".".into()),
        (Some(d), None) => d.clone(),
        (None, None) => std::env::current_dir()
            .map_err(|e| Error::io("cannot read current directory", ".", e))?,
    };
    let ws = Workspace::new(root);
    let mut problems: Vec<Problem> = Vec::new();

    let (records, chain) = runlog::verify(&ws)?;
    for p in &chain {
        problems.push(Problem {
            what: format!("cache/runlog.jsonl:{}", p.line),
            detail: p.message.clone(),
        });
    }
    // The latest successful run of each instance, by log order.
    let mut latest: HashMap<String, (usize, &Value)> = HashMap::new();
    for (line, _, entry) in &records {
        if entry["kind"] == "instance" && entry["status"] == "built" {
            if let Some(id) = entry["instance"].as_str() {
                latest.insert(id.to_string(), (*line, entry));
            }
        }
    }

    let lock = match LockFile::load(&ws) {
        Ok(l) => l,
        Err(e) => {
            problems.push(Problem {
                what: "pipeline.lock".into(),
                detail: e.to_string(),
            });
            LockFile::default()
        }
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for (id, entry) in &lock.instances {
        match latest.get(id) {
            None => problems.push(Problem {
                what: format!("pipeline.lock: {id}"),
                detail: "no successful run of this instance is recorded in the run log".into(),
            }),
            Some((line, rec)) => {
                if rec["fingerprint"].as_str() != Some(entry.fingerprint.as_str()) {
                    problems.push(Problem {
                        what: format!("pipeline.lock: {id}"),
                        detail: format!("fingerprint differs from its last recorded run (cache/runlog.jsonl:{line})"),
                    });
                }
                let recorded: HashMap<String, String> = rec["outputs"]
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                for (path, hash) in &entry.outputs {
                    if recorded.get(path) != Some(hash) {
                        problems.push(Problem {
                            what: format!("pipeline.lock: {id}"),
                            detail: format!("output `{path}` hash differs from the run log (cache/runlog.jsonl:{line})"),
                        });
                    }
                }
            }
        }
        files.extend(entry.outputs.iter().map(|(p, h)| (p.clone(), h.clone())));
    }
    let checked = files.len();
    let mismatches: Vec<Problem> = files
        .par_iter()
        .filter_map(|(path, expected)| match hash_file(&ws.abs(path)) {
            Ok(actual) if &actual == expected => None,
            Ok(actual) => Some(Problem {
                what: path.clone(),
                detail: format!(
                    "content changed since it was recorded: recorded blake3 {}, file has {}",
                    &expected[..16],
                    &actual[..16]
                ),
            }),
            Err(e) => Some(Problem {
                what: path.clone(),
                detail: format!("cannot be read: {e}"),
            }),
        })
        .collect();
    problems.extend(mismatches);

    if a.json {
        print_json(&json!({
            "ok": problems.is_empty(),
            "runlog_records": records.len(),
            "lock_entries": lock.instances.len(),
            "outputs_checked": checked,
            "problems": problems,
        }));
    } else if problems.is_empty() {
        println!(
            "audit ok: {} run log records chain correctly; {} instances in pipeline.lock match their recorded runs; {} output files re-hashed and identical",
            records.len(),
            lock.instances.len(),
            checked
        );
    } else {
        println!("audit FAILED: {} problem(s)", problems.len());
        for p in &problems {
            println!("  {}: {}", p.what, p.detail);
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::Ok
    } else {
        ExitCode::Failed
    })
}
