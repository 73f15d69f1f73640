//! Which files of a folder are parts of its log: a log's endings, by name, hidden and lock
//! files aside, those of Hive-style partition folders (`year=2021/`) too, and the holdout (or a
//! copy of it) left out when it was saved among them.

use std::path::{Path, PathBuf};

use super::super::file_name;
use super::EXTENSIONS;

/// The parts of folder `dir`: its files with a log's ending, by name (`2022.csv` before
/// `2023.csv`), hidden files and Office lock files (`~$book.xlsx`) left out.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(files_except(dir, None)?.0)
}

/// [`files`] less `except`, the holdout when it was saved among the log's exports (its rows
/// read as training rows would leak the holdout into the model), or a byte-for-byte copy of it
/// there: (parts, whether one was there).
pub fn files_except(dir: &Path, except: Option<&Path>) -> Result<(Vec<PathBuf>, bool), String> {
    let mut out = listed(dir)?;
    let before = out.len();
    // A holdout that is a folder inside the log's (`unload/year=2024/`): none of its files.
    if let Some(x) = except.filter(|x| x.is_dir()) {
        let root = std::fs::canonicalize(dir).ok();
        if let Some(target) = std::fs::canonicalize(x)
            .ok()
            .filter(|t| Some(t) != root.as_ref())
        {
            out.retain(|p| !std::fs::canonicalize(p).is_ok_and(|p| p.starts_with(&target)));
        }
    }
    if let Some(x) = except.filter(|x| x.is_file()) {
        // The same file, or a copy of it left behind when it was copied out of the folder
        // (its rows would be trained on just the same).
        let len = std::fs::metadata(x).map(|m| m.len()).ok();
        let target = std::fs::canonicalize(x).ok();
        let content = std::cell::OnceCell::new();
        let same = |p: &Path| match (std::fs::canonicalize(p).ok(), &target) {
            (Some(a), Some(b)) if a == *b => true,
            (Some(_), Some(_)) => {
                len.is_some() && std::fs::metadata(p).map(|m| m.len()).ok() == len && {
                    let theirs = content.get_or_init(|| std::fs::read(x).ok());
                    theirs.is_some() && std::fs::read(p).ok() == *theirs
                }
            }
            _ => p == x,
        };
        out.retain(|p| !same(p));
    }
    let left_out = out.len() < before;
    Ok((out, left_out))
}

/// What the log's reader says of a holdout found among its parts.
pub fn holdout_left_out(holdout: &Path, dir: &Path) -> String {
    format!(
        "the holdout `{}` (or a copy of it) is in the sales-log folder `{}`: it is not read as part of the log (its rows would be trained on); keeping it elsewhere is clearer",
        file_name(holdout),
        dir.display()
    )
}

pub(super) fn listed(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    // `SALES_2023.CSV` after `sales_2022.csv`, as a person reads the names.
    out.sort_by_key(|p| (part_name(dir, p).to_lowercase(), p.clone()));
    Ok(out)
}

/// The files of `dir` with a log's ending, and those of its Hive-style partition folders
/// (`year=2021/`, as Spark's `partitionBy` and Hive tables lay a table out), at any depth.
/// Other subfolders (`archive/`, Spark's `_temporary/`) are not read: they hold old copies or
/// unfinished output more often than parts.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    for e in entries {
        let e = e.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        let path = e.path();
        let name = file_name(&path);
        let ext = path
            .extension()
            .map(|x| x.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if path.is_dir() && partition(&name).is_some() {
            walk(&path, out)?;
        } else if path.is_file()
            && !name.starts_with('.')
            && !name.starts_with("~$")
            // A warehouse unload's `_manifest.json` describes the parts; it is none.
            && (!name.starts_with('_') || ext != "json")
            && EXTENSIONS.contains(&ext.as_str())
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A part's name: its path under the log's folder, `/`-separated (`year=2021/part-0.parquet`),
/// or its file name when it is not under it.
pub fn part_name(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if rel.components().count() > 1 => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => file_name(path),
    }
}

/// The column and value a Hive partition folder's name holds: `region=North%20East` is
/// (`region`, `North East`), decoded as Spark and Hive escape it; Hive's
/// `__HIVE_DEFAULT_PARTITION__` (a null value) is empty. `None` for any other folder name.
pub fn partition(folder: &str) -> Option<(String, String)> {
    let (key, value) = folder.split_once('=')?;
    if key.is_empty() || key.starts_with(['.', '_']) {
        return None;
    }
    let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    let value = if value == "__HIVE_DEFAULT_PARTITION__" {
        String::new()
    } else {
        value.into_owned()
    };
    Some((key.to_string(), value))
}

/// The partition columns of a part at `path` under `root`, outermost first.
pub fn partition_values(root: &Path, path: &Path) -> Vec<(String, String)> {
    let Some(parent) = path.parent().and_then(|p| p.strip_prefix(root).ok()) else {
        return Vec::new();
    };
    parent
        .components()
        .filter_map(|c| partition(&c.as_os_str().to_string_lossy()))
        .collect()
}

/// The subfolders of `dir` that hold a log's files but are no partition folders (`archive/`,
/// Spark's `_temporary/`): not read, and named.
pub fn unread_subfolders(dir: &Path) -> Vec<String> {
    let mut holding: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && partition(&file_name(p)).is_none()
                && listed(p).is_ok_and(|f| !f.is_empty())
        })
        .map(|p| file_name(&p))
        .collect();
    holding.sort();
    holding
}

/// What a folder without a part is told: which endings are read, and, when its subfolders
/// hold such files, that only partition folders are read.
pub fn no_log_file(dir: &Path) -> String {
    let holding = unread_subfolders(dir);
    let sub = match holding.as_slice() {
        [] => String::new(),
        [one] => format!("; its subfolder `{one}` holds some, but only partition folders (`year=2021/`) are read: give that folder, or move its files up"),
        [first, .., last] => format!(
            "; its {} subfolders `{first}` to `{last}` hold some, but only partition folders (`year=2021/`) are read: move their files into one folder",
            holding.len()
        ),
    };
    format!(
        "the folder `{}` holds no sales-log file (a file ending in .{}){sub}",
        dir.display(),
        EXTENSIONS.join(", .")
    )
}
