//! An instance's outputs as they are on disk, hashed through the workspace's hash cache.

use std::collections::BTreeMap;

use crate::hashcache::HashCache;
use crate::Error;

/// The files under an instance's output roots, with their hashes, as they are on disk now.
pub(crate) fn outputs_on_disk(
    ws: &crate::workspace::Workspace,
    cache: &mut HashCache,
    roots: &[String],
) -> Result<BTreeMap<String, String>, Error> {
    outputs_hashed(ws, cache, roots, false)
}

/// [`outputs_on_disk`] for the bytes an instance about to run will read: hashed again unless
/// this process hashed them already ([`HashCache::tree_verified`]).
pub(super) fn outputs_read(
    ws: &crate::workspace::Workspace,
    cache: &mut HashCache,
    roots: &[String],
) -> Result<BTreeMap<String, String>, Error> {
    outputs_hashed(ws, cache, roots, true)
}

fn outputs_hashed(
    ws: &crate::workspace::Workspace,
    cache: &mut HashCache,
    roots: &[String],
    verify: bool,
) -> Result<BTreeMap<String, String>, Error> {
    let mut now = BTreeMap::new();
    for root in roots {
        let abs = ws.abs(root);
        let files = if verify {
            cache.tree_verified(root, &abs)
        } else {
            cache.tree(root, &abs)
        };
        match files {
            Ok(Some(files)) => now.extend(files),
            Ok(None) => {}
            Err(err) => return Err(Error::io("cannot hash output", abs, err)),
        }
    }
    Ok(now)
}

/// "`a.txt`" or "`a.txt` and 2 more": the files that differ between two output maps.
pub(crate) fn changed_files(
    was: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> String {
    let changed: Vec<&String> = was
        .iter()
        .filter(|(k, h)| now.get(*k) != Some(*h))
        .map(|(k, _)| k)
        .chain(now.keys().filter(|k| !was.contains_key(*k)))
        .collect();
    match changed.len() {
        0 => String::new(),
        1 => format!("`{}`", changed[0]),
        n => format!("`{}` and {} more", changed[0], n - 1),
    }
}
