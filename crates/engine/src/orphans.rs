//! Orphaned outputs: files gosales published for a node, partition or output path that the
//! manifest no longer declares (a renamed node, a division dropped from the SKU map, an output
//! moved). Nothing reads them any more, yet they sit beside live outputs and look current.
//!
//! Only files the run log shows gosales published, with the bytes it last published there, are
//! candidates, so a file a user put under `outputs/` (or wrote over a published one) is never
//! one; a path some instance still declares (as an output or an input, or inside a declared
//! output directory, however the manifest writes it) is never one either, nor a file inside a
//! declared input directory, unless current outputs are published into that directory too
//! (then the file is a dropped partition's, which its reader would go on reading), nor one that leads
//! out of the workspace through a symlink, unless declared outputs are published through that
//! symlink too (`outputs` -> another mount).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::workspace::lexical;

use serde::Deserialize;

use crate::graph::{Graph, NamedPath};
use crate::hashcache::hash_file;
use crate::scheduler::Status;
use crate::workspace::Workspace;
use crate::Error;

/// Only what [`find`] needs of a run log line: the rest is parsed past, never kept (a 10,000-instance
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
    outputs: BTreeMap<String, String>,
}

/// Every file the run log shows gosales published, with the blake3 it last published there (a
/// torn or foreign line is skipped: `audit` is where the log's integrity is judged).
fn published(ws: &Workspace) -> Result<BTreeMap<String, String>, Error> {
    let path = ws.runlog_path();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(Error::io("cannot read run log", &path, e)),
    };
    // Lossy: a kill mid-append may tear the last line inside a character.
    let text = String::from_utf8_lossy(&bytes);
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<Line>(l).ok())
        .filter(|l| l.entry.kind == "instance" && l.entry.status == Some(Status::Built))
        .flat_map(|l| l.entry.outputs)
        .collect())
}

/// Workspace-relative paths of the orphaned files that still exist, sorted.
pub fn find(ws: &Workspace, graph: &Graph) -> Result<Vec<String>, Error> {
    let published = published(ws)?;
    let lexical_all = |paths: &mut dyn Iterator<Item = &NamedPath>| -> BTreeSet<String> {
        paths.filter_map(|p| lexical(&ws.root, &p.path)).collect()
    };
    let outputs = lexical_all(&mut graph.instances.iter().flat_map(|i| &i.outputs));
    let inputs = lexical_all(
        &mut graph
            .instances
            .iter()
            .flat_map(|i| i.inputs.iter().chain(&i.produced_inputs)),
    );
    // An input directory that current outputs are published into (`outputs/gen`, read whole
    // by a report, written by `gen@a`, `gen@b`): what it holds besides them is a dropped
    // partition's, an orphan its reader still reads (until 2026-12-07 it was called live, and
    // a report kept listing a dropped division, unflagged). An input directory no current
    // node writes into is the user's source data, whatever wrote it once: live.
    let written_into = |dir: &str| {
        let prefix = format!("{dir}/");
        outputs
            .range(prefix.clone()..)
            .next()
            .is_some_and(|o| o.starts_with(&prefix))
    };
    let source_dirs: BTreeSet<&String> = inputs.iter().filter(|d| !written_into(d)).collect();
    // An output, or inside an output directory or a source directory (one lookup per
    // ancestor); an input file itself.
    let live = |p: &str| {
        if inputs.contains(p) {
            return true;
        }
        let mut at = Some(p);
        while let Some(q) = at {
            if outputs.contains(q) || source_dirs.contains(&q.to_string()) {
                return true;
            }
            at = q.rsplit_once('/').map(|(parent, _)| parent);
        }
        false
    };
    let mut roots = vec![std::fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone())];
    roots.extend(output_links(ws, graph));
    Ok(published
        .into_iter()
        .filter(|(p, hash)| !live(p) && still_ours(&ws.root, &roots, p, hash))
        .map(|(p, _)| p)
        .collect())
}

/// Where the symlinks that declared outputs are published through point (`outputs` -> a
/// directory on another mount): gosales writes there itself, so what it published there is
/// its own as much as a file inside the workspace is. A symlink no declared output goes
/// through stays a way out of the workspace, never followed.
fn output_links(ws: &Workspace, graph: &Graph) -> Vec<std::path::PathBuf> {
    let mut seen = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for out in graph.instances.iter().flat_map(|i| &i.outputs) {
        let Some(rel) = lexical(&ws.root, &out.path) else {
            continue;
        };
        // Ancestors only: an output that is itself a symlink is replaced by publishing, not
        // written through.
        let mut at = rel.rsplit_once('/').map(|(parent, _)| parent);
        while let Some(dir) = at.filter(|d| !d.is_empty()) {
            if !seen.insert(dir.to_string()) {
                break;
            }
            let path = ws.root.join(dir);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                if let Ok(target) = std::fs::canonicalize(&path) {
                    targets.insert(target);
                }
            }
            at = dir.rsplit_once('/').map(|(parent, _)| parent);
        }
    }
    targets.into_iter().collect()
}

/// A regular file inside the workspace, or under a symlink outputs are published through
/// ([`output_links`]), holding the bytes gosales last published there.
fn still_ours(root: &Path, roots: &[std::path::PathBuf], rel: &str, hash: &str) -> bool {
    let path = root.join(rel);
    Path::new(rel).is_relative()
        && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && std::fs::canonicalize(&path).is_ok_and(|c| roots.iter().any(|r| c.starts_with(r)))
        && hash_file(&path).is_ok_and(|h| h == hash)
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
