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
            // A stage writes where its job says (`StageJob::output`); a command through its
            // `{out...}` placeholder. Both point into staging, never at the declared path.
            return Err(if p.report.is_some() {
                format!("did not create declared output `{rel}` (write it at the path its job gives for it, `StageJob::output`, which points into staging)")
            } else {
                format!("did not create declared output `{rel}` (write it through its `{{out...}}` placeholder, which points into staging)")
            });
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
/// since declared an output, a stray a command left) is first copied to `cache/replaced/`,
/// file by file; when that copy fails, nothing is published (the error says why) and the old
/// output stays. The returned warnings name what was kept.
pub fn publish(
    ws: &Workspace,
    p: &Prepared,
    hashes: &BTreeMap<String, BTreeMap<String, String>>,
    recorded: Option<&BTreeMap<String, String>>,
    cache: &mut HashCache,
) -> Result<Vec<String>, Error> {
    let mut warnings = Vec::new();
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
    for (rel, staged) in &p.outputs {
        let dest = ws.abs(rel);
        let new = hashes.get(rel);
        let foreign = foreign_files(&dest, rel, recorded, new);
        for (key, path) in &foreign {
            let to = kept.join(key);
            to.parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::copy(path, &to).map(drop))
                .map_err(|e| Error::io("cannot keep a file the output replaces", &to, e))?;
        }
        if let Some((first, _)) = foreign.first() {
            warnings.push(format!(
                "`{rel}` held {} no build of this instance wrote ({first}{}): replaced by its output, and kept in `{}`",
                match foreign.len() {
                    1 => "a file".to_string(),
                    n => format!("{n} files"),
                },
                if foreign.len() > 1 { ", ..." } else { "" },
                shown(ws, &kept)
            ));
        }
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
        // A file where a directory goes (or the reverse) cannot be renamed over: moved aside
        // like an old directory, and put back if the new output cannot take its place.
        let aside = dest.is_dir() || (dest.exists() && src.is_dir());
        if aside {
            remove_any(&trash);
            fs::rename(&dest, &trash).map_err(|e| Error::io("cannot move aside", &dest, e))?;
        }
        if let Err(e) = fs::rename(&src, &dest) {
            if aside {
                let _ = fs::rename(&trash, &dest);
            }
            if !same_fs {
                remove_any(&src);
            }
            return Err(Error::io("cannot publish", &dest, e));
        }
        if aside {
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

/// The files at `dest` (an output's old file or directory), by key and path, that `recorded`
/// does not list and `new` does not hold with the same bytes: what replacing `dest` would lose.
fn foreign_files(
    dest: &Path,
    rel: &str,
    recorded: Option<&BTreeMap<String, String>>,
    new: Option<&BTreeMap<String, String>>,
) -> Vec<(String, PathBuf)> {
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
