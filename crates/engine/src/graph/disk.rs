//! Declared paths as the filesystem finds them: outputs that are one file through a symlink
//! are refused, and inputs that reach an output another way get their edge.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::{Instance, NamedPath};
use crate::diagnostic::{ErrorKind, ManifestError};
use crate::manifest::Manifest;

/// Declared outputs as the filesystem will find them: each one's existing ancestor directories
/// followed through their symlinks (the deepest one canonicalised, the rest appended), so that
/// `results/x` with `results -> outputs` is the file `outputs/x`. Memoised per directory: one
/// `lstat` a distinct directory, whatever the number of outputs in it.
struct Resolver {
    /// Resolved directory (absolute) and the first symlink on the way to it (workspace-relative).
    memo: HashMap<String, (PathBuf, Option<String>)>,
    root: PathBuf,
}

impl Resolver {
    fn dir(&mut self, rel: &str) -> (PathBuf, Option<String>) {
        if rel.is_empty() {
            return (self.root.clone(), None);
        }
        if let Some(hit) = self.memo.get(rel) {
            return hit.clone();
        }
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let (at, link) = self.dir(parent);
        let here = at.join(name);
        let resolved = match std::fs::symlink_metadata(&here) {
            Ok(md) if md.file_type().is_symlink() => match std::fs::canonicalize(&here) {
                Ok(target) => (target, link.or_else(|| Some(rel.to_string()))),
                // Dangling or looping: publishing there fails on its own, naming the path.
                Err(_) => (here, link),
            },
            _ => (here, link),
        };
        self.memo.insert(rel.to_string(), resolved.clone());
        resolved
    }
}

/// Refuses two outputs that are one file (or one inside the other) once symlinks inside the
/// workspace are followed: the lexical check cannot see `results -> outputs`, and two nodes
/// would then overwrite each other's file on every run, each exiting 0. Only checks; the paths
/// recorded and fingerprinted stay as the manifest spells them.
///
/// Returns the resolver and each output's instance by its resolved path, for inputs that reach
/// an output through a symlink (see [`Resolved::owners`]).
pub(super) fn check_through_symlinks(
    m: &Manifest,
    instances: &[Instance],
) -> Result<Option<Resolved>, ManifestError> {
    // A root that does not exist (a manifest built in memory) has nothing to follow.
    let Ok(root) = std::fs::canonicalize(&m.root) else {
        return Ok(None);
    };
    let mut r = Resolver {
        memo: HashMap::new(),
        root,
    };
    // PathBuf orders by component, so a directory is followed at once by what is inside it.
    let mut owners: BTreeMap<PathBuf, (usize, &NamedPath, Option<String>)> = BTreeMap::new();
    for (i, inst) in instances.iter().enumerate() {
        for out in &inst.outputs {
            if Path::new(&out.path).is_absolute() {
                continue;
            }
            let (parent, name) = out.path.rsplit_once('/').unwrap_or(("", &out.path));
            let (dir, link) = r.dir(parent);
            let key = dir.join(name);
            if let Some((j, first, first_link)) = owners.insert(key, (i, out, link.clone())) {
                return Err(shared(
                    m,
                    instances,
                    (j, first, first_link),
                    (i, out, link),
                    false,
                ));
            }
        }
    }
    let sorted: Vec<_> = owners.iter().collect();
    for w in sorted.windows(2) {
        let (a, (ia, pa, la)) = w[0];
        let (b, (ib, pb, lb)) = w[1];
        if b.starts_with(a) {
            let first = (*ia, *pa, la.clone());
            return Err(shared(m, instances, first, (*ib, *pb, lb.clone()), true));
        }
    }
    let outputs = owners.into_iter().map(|(k, (i, ..))| (k, i)).collect();
    Ok(Some(Resolved {
        root: r.root,
        outputs,
        dirs: HashMap::new(),
        seen: HashMap::new(),
        within: HashMap::new(),
    }))
}

/// Outputs by the path the filesystem finds them at ([`check_through_symlinks`]).
pub(super) struct Resolved {
    root: PathBuf,
    outputs: BTreeMap<PathBuf, usize>,
    /// Each directory an input names, as found on disk: one lookup a directory, whatever the
    /// number of inputs in it (100,000 instances reading one file cost 0.5 s unmemoised).
    dirs: HashMap<String, Option<PathBuf>>,
    /// Each input path's answer.
    seen: HashMap<String, (Option<usize>, Vec<usize>)>,
    /// Each input directory's symlinks into outputs ([`Resolved::linked_within`]).
    within: HashMap<String, Vec<usize>>,
}

impl Resolved {
    /// For an input the lexical lookup found no output for: the instance whose output it is or
    /// lies in, and those whose outputs it holds, once the path is found on disk (its deepest
    /// existing ancestor canonicalised): `results/a.txt` with `results -> outputs`,
    /// `../ws/outputs/x`, the workspace root itself.
    pub(super) fn owners(&mut self, path: &str) -> (Option<usize>, Vec<usize>) {
        if let Some(hit) = self.seen.get(path) {
            return hit.clone();
        }
        let found = self.found(path).map_or((None, Vec::new()), |at| {
            let owner = at.ancestors().find_map(|a| self.outputs.get(a).copied());
            let held = self
                .outputs
                .range(at.clone()..)
                .take_while(|(k, _)| k.starts_with(&at))
                .filter(|(k, _)| **k != at)
                .map(|(_, &i)| i)
                .collect();
            (owner, held)
        });
        self.seen.insert(path.to_string(), found.clone());
        found
    }

    /// For an input directory: the instances whose outputs a symlink inside it reaches (`in/s
    /// -> ../outputs/up/sub`). The directory is hashed through its links, so without the edge
    /// the reader ran beside the writer, on the bytes of the run before, and stayed "fresh" a
    /// run behind.
    pub(super) fn linked_within(&mut self, path: &str) -> Vec<usize> {
        if let Some(hit) = self.within.get(path) {
            return hit.clone();
        }
        let mut out = Vec::new();
        let dir = self.root.join(path);
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.path_is_symlink())
            {
                let Ok(at) = std::fs::canonicalize(e.path()) else {
                    continue;
                };
                out.extend(at.ancestors().find_map(|a| self.outputs.get(a).copied()));
                out.extend(
                    self.outputs
                        .range(at.clone()..)
                        .take_while(|(k, _)| k.starts_with(&at))
                        .map(|(_, &i)| i),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        self.within.insert(path.to_string(), out.clone());
        out
    }

    /// Where `path` is on disk: its directory canonicalised (memoised), then the name, itself
    /// followed if a symlink.
    fn found(&mut self, path: &str) -> Option<PathBuf> {
        let (parent, name) = match path.rsplit_once('/') {
            Some(("", name)) => ("/", name),
            Some(split) => split,
            None => ("", path),
        };
        if name == "." || name == ".." || name.is_empty() {
            let full = self.root.join(path);
            return canonical(&full);
        }
        let root = &self.root;
        let dir = self
            .dirs
            .entry(parent.to_string())
            .or_insert_with(|| canonical(&root.join(parent)))
            .clone()?;
        let here = dir.join(name);
        match std::fs::symlink_metadata(&here) {
            Ok(md) if md.file_type().is_symlink() => canonical(&here),
            _ => Some(here),
        }
    }
}

/// `p` with its deepest existing ancestor canonicalised and the rest appended; a symlink on the
/// way whose target does not exist yet (`res -> outputs/up` on a clean checkout, before `up`
/// ran) is followed by its text, so an input through it still finds the output it will be.
fn canonical(p: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut at = p.to_path_buf();
    for _ in 0..40 {
        if let Ok(mut found) = std::fs::canonicalize(&at) {
            found.extend(rest.iter().rev());
            return Some(found);
        }
        match std::fs::read_link(&at) {
            Ok(target) => {
                let parent = at.parent()?.to_path_buf();
                at = lexical(&parent.join(target));
            }
            Err(_) => {
                rest.push(at.file_name()?.to_owned());
                at = at.parent()?.to_path_buf();
            }
        }
    }
    None
}

/// `p` with `.` and `..` folded as text.
fn lexical(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The error for two outputs that are one path on disk (`nested`: the second inside the first).
fn shared(
    m: &Manifest,
    instances: &[Instance],
    (ia, pa, la): (usize, &NamedPath, Option<String>),
    (ib, pb, lb): (usize, &NamedPath, Option<String>),
    nested: bool,
) -> ManifestError {
    let first = &instances[ia].id;
    let second = instances[ib].id.clone();
    let mut e = m.file.error(
        pb.pos,
        ErrorKind::DuplicateOutput {
            path: pb.path.clone(),
            first: first.clone(),
            inside: nested.then(|| pa.path.clone()),
            second: second.clone(),
        },
    );
    // No symlink on the way: a nesting the lexical order missed (`a`, `a-x`, `a/c`).
    let Some(link) = lb.or(la) else {
        return e;
    };
    // The message and help say it, the kind stays `DuplicateOutput`: a new kind would edit
    // `diagnostic.rs`, which every stage's code version covers, and rebuild every output.
    let target = std::fs::read_link(m.root.join(&link))
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "?".into());
    let how = if nested {
        format!("inside its output `{}`", pa.path)
    } else {
        format!("as `{}`", pa.path)
    };
    e.message = format!(
        "output `{}` is declared by both `{first}` ({how}) and `{second}`, through the symlink `{link}` -> `{target}`",
        pb.path
    );
    e.label = "the same file through a symlink".into();
    e.help = Some(format!(
        "every output path must belong to exactly one instance, and the symlink `{link}` makes this one another's; declare a path no other node writes, or remove the symlink"
    ));
    e
}
