//! Checking what a child staged (the stage report, every declared output, their hashes) and
//! moving it into place atomically, across filesystems too.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::staging::{discard, remove_any};
use super::Prepared;
use crate::hashcache::{hash_file, list_files, HashCache};
use crate::job::StageReport;
use crate::workspace::Workspace;
use crate::Error;

/// Reads the stage report, if the instance is a stage.
pub fn read_report(p: &Prepared) -> Result<Option<StageReport>, String> {
    let Some(path) = &p.report else {
        return Ok(None);
    };
    let bytes =
        fs::read(path).map_err(|e| format!("stage wrote no report `{}`: {e}", path.display()))?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("unreadable stage report: {e}"))
}

/// Checks every declared output was produced and hashes the staged files.
/// Returns (declared path -> {final file path -> hash}).
pub fn hash_staged(p: &Prepared) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out = BTreeMap::new();
    for (rel, staged) in &p.outputs {
        if !staged.exists() {
            return Err(format!(
                "did not create declared output `{rel}` (write it through its `{{out...}}` placeholder, which points into staging)"
            ));
        }
        let files =
            list_files(staged, rel).map_err(|e| format!("cannot list output `{rel}`: {e}"))?;
        let mut hashes = BTreeMap::new();
        for (key, path) in files {
            let h =
                hash_file(&path).map_err(|e| format!("cannot hash `{}`: {e}", path.display()))?;
            hashes.insert(key, h);
        }
        out.insert(rel.clone(), hashes);
    }
    Ok(out)
}

/// Moves staged outputs into place. A directory output replaces the old directory whole.
/// What it replaces that no build of this instance wrote (`recorded`: the lock's outputs of
/// its last build) and the new outputs do not hold byte for byte (a user's file in a directory
/// since declared an output, a stray a command left) is moved to `cache/replaced/`, not
/// deleted; the returned warnings say so.
pub fn publish(
    ws: &Workspace,
    p: &Prepared,
    hashes: &BTreeMap<String, BTreeMap<String, String>>,
    recorded: Option<&BTreeMap<String, String>>,
    cache: &mut HashCache,
) -> Result<Vec<String>, Error> {
    let mut warnings = Vec::new();
    for (rel, staged) in &p.outputs {
        let dest = ws.abs(rel);
        let new = hashes.get(rel);
        let foreign = foreign_files(&dest, rel, recorded, new);
        // A run's staging directory names the run and the instance: one place per replacement.
        let kept = ws.cache_dir().join("replaced").join(
            p.staging
                .strip_prefix(
                    p.staging
                        .parent()
                        .and_then(Path::parent)
                        .unwrap_or(&p.staging),
                )
                .unwrap_or(&p.staging),
        );
        let parent = dest.parent().unwrap_or(&ws.root).to_path_buf();
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io("cannot create directory", &parent, e))?;
        // Renames are atomic only within one filesystem. With `outputs/` on its own mount,
        // first copy the staged output next to its destination, then rename there.
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let same_fs = same_device(staged, &parent);
        let (src, trash) = if same_fs {
            (staged.clone(), sibling(&p.staging, "trash"))
        } else {
            let tmp = parent.join(format!(".{name}.gosales-publish"));
            remove_any(&tmp);
            copy_tree(staged, &tmp).map_err(|e| {
                remove_any(&tmp);
                Error::io("cannot copy to the outputs filesystem", &tmp, e)
            })?;
            (tmp, parent.join(format!(".{name}.gosales-trash")))
        };
        let old_is_dir = dest.is_dir();
        if !foreign.is_empty() && !old_is_dir {
            // A file is replaced by one rename: keep a copy of the old one first.
            let to = kept.join(rel);
            let copied = to
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::copy(&dest, &to).map(drop));
            copied.map_err(|e| Error::io("cannot keep the file it replaces", &to, e))?;
        }
        if old_is_dir {
            remove_any(&trash);
            fs::rename(&dest, &trash).map_err(|e| Error::io("cannot move aside", &dest, e))?;
        }
        if let Err(e) = fs::rename(&src, &dest) {
            if old_is_dir {
                let _ = fs::rename(&trash, &dest);
            }
            if !same_fs {
                remove_any(&src);
            }
            return Err(Error::io("cannot publish", &dest, e));
        }
        if old_is_dir && !foreign.is_empty() {
            let to = kept.join(rel);
            let moved = to
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::rename(&trash, &to).or_else(|_| copy_tree(&trash, &to)));
            if let Err(e) = moved {
                // Published already: the old files stay in the trash, named, not deleted.
                warnings.push(format!(
                    "could not keep what `{rel}` held in `{}` ({e}); it is in `{}`",
                    shown(ws, &to),
                    shown(ws, &trash)
                ));
                continue;
            }
        }
        if !foreign.is_empty() {
            warnings.push(format!(
                "`{rel}` held {} no build of this instance wrote ({}{}): replaced by its output, and kept in `{}`",
                match foreign.len() {
                    1 => "a file".to_string(),
                    n => format!("{n} files"),
                },
                foreign[0],
                if foreign.len() > 1 { ", ..." } else { "" },
                shown(ws, &kept.join(rel))
            ));
        }
        if old_is_dir {
            remove_any(&trash);
        }
        if let Some(files) = new {
            for (key, hash) in files {
                cache.record(key, &ws.abs(key), hash);
            }
        }
    }
    discard(p);
    Ok(warnings)
}

/// The files at `dest` (an output's old file or directory) that `recorded` does not list and
/// `new` does not hold with the same bytes: what replacing `dest` would lose.
fn foreign_files(
    dest: &Path,
    rel: &str,
    recorded: Option<&BTreeMap<String, String>>,
    new: Option<&BTreeMap<String, String>>,
) -> Vec<String> {
    let Ok(files) = list_files(dest, rel) else {
        return Vec::new();
    };
    files
        .into_iter()
        .filter(|(key, _)| !recorded.is_some_and(|r| r.contains_key(key)))
        .filter(|(key, path)| {
            let same = new
                .and_then(|n| n.get(key))
                .is_some_and(|h| hash_file(path).is_ok_and(|old| &old == h));
            !same
        })
        .map(|(key, _)| key)
        .collect()
}

/// A path as the user sees it: relative to the workspace root when inside it.
fn shown(ws: &Workspace, path: &Path) -> String {
    path.strip_prefix(&ws.root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `<path>.<suffix>`, beside `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

/// True when `a` and `b` (or their nearest existing ancestors) are on one filesystem.
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &Path| {
        p.ancestors()
            .find_map(|x| fs::metadata(x).ok())
            .map(|m| m.dev())
    };
    dev(a) == dev(b)
}

/// Copies a file or a directory tree, syncing each file.
fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    if src.is_dir() {
        fs::create_dir_all(dst)?;
        for e in fs::read_dir(src)? {
            let e = e?;
            copy_tree(&e.path(), &dst.join(e.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(src, dst)?;
        File::open(dst)?.sync_all()
    }
}
