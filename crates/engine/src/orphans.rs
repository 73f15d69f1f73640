//! Orphaned outputs: files gosales published for a node, partition or output path that the
//! manifest no longer declares (a renamed node, a division dropped from the SKU map, an output
//! moved). Nothing reads them any more, yet they sit beside live outputs and look current.
//!
//! Only files the run log shows gosales published are candidates, so a file a user put under
//! `outputs/` is never one; a path some instance still declares (as an output or an input, or
//! inside a declared output directory) is never one either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::graph::Graph;
use crate::scheduler::Status;
use crate::workspace::Workspace;
use crate::Error;

/// Only what [`find`] needs of a run log line: the rest is skipped unread (a 10,000-instance
/// run writes 8 MB of log, mostly upstream hashes; parsing it whole doubled `status`'s time).
#[derive(Deserialize)]
struct Line {
    entry: Published,
}

#[derive(Deserialize)]
struct Published {
    kind: String,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    outputs: BTreeMap<String, IgnoredAny>,
}

/// Every file the run log shows gosales published (a torn or foreign line is skipped: `audit`
/// is where the log's integrity is judged).
fn published(ws: &Workspace) -> Result<BTreeSet<String>, Error> {
    let path = ws.runlog_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(e) => return Err(Error::io("cannot read run log", &path, e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .filter(|l| l.entry.kind == "instance" && l.entry.status == Some(Status::Built))
        .flat_map(|l| l.entry.outputs.into_keys())
        .collect())
}

/// Workspace-relative paths of the orphaned files that still exist, sorted.
pub fn find(ws: &Workspace, graph: &Graph) -> Result<Vec<String>, Error> {
    let published = published(ws)?;
    let declared: BTreeSet<&str> = graph
        .instances
        .iter()
        .flat_map(|i| {
            let produced = i.produced_inputs.iter().map(|p| p.path.as_str());
            i.declared_paths().into_iter().chain(produced)
        })
        .map(|p| p.trim_end_matches('/'))
        .collect();
    // Declared itself, or inside a declared directory: one lookup per ancestor.
    let live = |p: &str| {
        let mut at = Some(p);
        while let Some(q) = at {
            if declared.contains(q) {
                return true;
            }
            at = q.rsplit_once('/').map(|(parent, _)| parent);
        }
        false
    };
    Ok(published
        .into_iter()
        .filter(|p| !live(p) && is_file(&ws.root, p))
        .collect())
}

fn is_file(root: &Path, rel: &str) -> bool {
    Path::new(rel).is_relative()
        && std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file())
}

/// Removes `orphans` (as [`find`] returned them), then the directories they leave empty, up to
/// but not including the workspace root. Returns the files removed.
pub fn remove(ws: &Workspace, orphans: &[String]) -> Result<usize, Error> {
    let mut removed = 0;
    let mut dirs = BTreeSet::new();
    for rel in orphans {
        let path = ws.root.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("cannot remove", &path, e)),
        }
        let mut dir = Path::new(rel).parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            dir = d.parent();
        }
    }
    // Deepest first; `remove_dir` refuses a directory that still holds anything.
    let mut dirs: Vec<_> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(ws.root.join(d));
    }
    Ok(removed)
}
