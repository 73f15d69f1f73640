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
pub fn publish(
    ws: &Workspace,
    p: &Prepared,
    hashes: &BTreeMap<String, BTreeMap<String, String>>,
    cache: &mut HashCache,
) -> Result<(), Error> {
    for (rel, staged) in &p.outputs {
        let dest = ws.abs(rel);
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
        if old_is_dir {
            remove_any(&trash);
        }
        if let Some(files) = hashes.get(rel) {
            for (key, hash) in files {
                cache.record(key, &ws.abs(key), hash);
            }
        }
    }
    discard(p);
    Ok(())
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
