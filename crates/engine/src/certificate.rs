//! `cache/fresh.cert`: proof, at one `stat` per file, that the whole graph is still fresh.
//!
//! Planning 100,000 instances means parsing the manifest, expanding the graph, loading a lock of
//! tens of MB and recomputing every fingerprint: seconds, to learn that nothing changed. A run
//! that leaves every instance of the whole graph fresh therefore writes a certificate: a key over
//! everything the graph is made of (the manifest's bytes, the bytes of every params file and CSV
//! it read, every stage's code version and the binary's stat, gosales' version and fingerprint
//! format, `PATH`, the environment variables `cmd` nodes read), the stat of
//! `pipeline.lock`, and the stat of every file and directory the verdicts read (inputs,
//! outputs, and the programs and scripts `cmd` nodes run). The next `gosales run` checks the key and the stats before anything else; if all
//! match, nothing can be stale and it says so without planning. Any difference, or any doubt,
//! falls back to the full plan, which is always right; the certificate is only a shortcut to the
//! answer the plan would give.
//!
//! # The rule
//!
//! The certificate is written only after the lock is saved, and only when, for every instance,
//! each input and output file is in the hash cache at its current stat with the hash the lock
//! records, the files under each input and output root are exactly the ones the lock lists, and
//! every upstream's recorded outputs are the ones the instance was built from. Directories are
//! recorded too, so a file added to or removed from one is seen through its mtime. The lock
//! journal must be absent (a run in progress or killed).
//!
//! # Known limits
//!
//! It trusts a stat exactly as far as the hash cache does ([`super::hashcache`]): a write that
//! keeps size, mtime, ctime, inode and device would go unseen by both. Only the whole graph or one
//! node name as the target takes the shortcut; `--force`, `--dry-run`, `--json` and other
//! selections always plan.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::fingerprint::FORMAT_VERSION;
use super::graph::Graph;
use super::hashcache::{HashCache, Stat};
use super::lockfile::LockFile;
use super::manifest::Manifest;
use super::workspace::{write_atomic, Workspace};

const VERSION: u32 = 2;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    version: u32,
    key: String,
    /// Params files and CSV sources the manifest read, relative to the root.
    config: Vec<String>,
    /// How many instances a run selects: `""` for the whole graph, else per node name.
    selected: BTreeMap<String, usize>,
    /// Every environment variable a `cmd` node reads, with the blake3 of its value (or
    /// `unset`) as the lock records it: another value would make the node stale.
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// The key: everything the graph and its fingerprints are derived from, other than files.
fn key(manifest: &Path, text: &[u8], config: &[(String, String)], catalog: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        FORMAT_VERSION.as_bytes(),
        env!("CARGO_PKG_VERSION").as_bytes(),
        catalog.as_bytes(),
        manifest.as_os_str().as_encoded_bytes(),
    ] {
        h.update(part);
        h.update(b"\0");
    }
    h.update(blake3::hash(text).as_bytes());
    // Where `cmd` nodes' programs resolve: another PATH may find another program.
    h.update(
        std::env::var_os("PATH")
            .unwrap_or_default()
            .as_encoded_bytes(),
    );
    h.update(b"\0");
    // What a version manager's shim runs: `PYENV_VERSION=3.13` switches `python3`.
    let mut managers: Vec<(std::ffi::OsString, std::ffi::OsString)> = std::env::vars_os()
        .filter(|(k, _)| {
            k.to_str()
                .is_some_and(super::tools::shim::is_manager_variable)
        })
        .collect();
    managers.sort();
    for (k, v) in managers {
        h.update(k.as_encoded_bytes());
        h.update(b"=");
        h.update(v.as_encoded_bytes());
        h.update(b"\0");
    }
    for (rel, hash) in config {
        h.update(rel.as_bytes());
        h.update(b"\0");
        h.update(hash.as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex().to_string()
}

fn line(kind: char, stat: &Stat, path: &Path) -> Option<String> {
    let p = path.to_str().filter(|p| !p.contains('\n'))?;
    Some(format!(
        "{kind} {} {} {} {} {} {p}\n",
        stat.size, stat.mtime_ns, stat.ctime_ns, stat.ino, stat.dev
    ))
}

/// Collects the lines of one instance's roots; `None` when anything disagrees with the lock.
struct Collector<'a> {
    cache: &'a HashCache,
    lines: Vec<String>,
    /// Paths with a line, by whether the line is of a symlink itself (`L`) or of what it
    /// names: a symlinked input needs both, or an edit of its target goes unseen (a tester's
    /// run said "nothing to do" on an input `status` called changed).
    seen: HashSet<(bool, PathBuf)>,
    /// Program files whose symlink chain is already watched (many instances run one program).
    chained: HashSet<PathBuf>,
}

impl Collector<'_> {
    /// Walks `rel` (file or directory); every file found must be cached at its current stat
    /// with the hash `expected` gives. Returns the file keys found.
    fn root(
        &mut self,
        ws: &Workspace,
        rel: &str,
        expected: &dyn Fn(&str) -> Option<String>,
    ) -> Option<BTreeSet<String>> {
        let abs = ws.abs(rel);
        let mut keys = BTreeSet::new();
        // Followed as the plan follows them (`hashcache::list_files`); each link is watched too,
        // so a link repointed at another file or directory invalidates the certificate.
        for entry in walkdir::WalkDir::new(&abs)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.ok()?;
            if entry.path_is_symlink() && !self.chain(entry.path()) {
                return None;
            }
            let meta = fs::metadata(entry.path()).ok()?;
            let stat = Stat::of(&meta);
            let key = match entry.path().strip_prefix(&abs) {
                Ok(sub) if sub.as_os_str().is_empty() => rel.to_string(),
                Ok(sub) => format!("{rel}/{}", sub.to_string_lossy().replace('\\', "/")),
                Err(_) => return None,
            };
            if meta.is_file() {
                let (cached, hash) = self.cache.cached(&key)?;
                if cached != stat || expected(&key).as_deref() != Some(hash) {
                    return None;
                }
                keys.insert(key);
            } else if !meta.is_dir() {
                return None;
            }
            // A directory changed within a clock step of now could change again unseen.
            if meta.is_dir() && stat.is_racy() {
                return None;
            }
            if self.seen.insert((false, entry.path().to_path_buf())) {
                let kind = if meta.is_dir() { 'D' } else { 'F' };
                self.lines.push(line(kind, &stat, entry.path())?);
            }
        }
        Some(keys)
    }
}

impl Collector<'_> {
    /// Pushes a line for `path` unless one is there: its stat (`kind` 'F', 'D', or 'L' for a
    /// symlink itself), or 'M' when it must stay missing. `false` when it cannot be vouched for.
    fn watch(&mut self, kind: char, path: &Path) -> bool {
        if !self.seen.insert((kind == 'L', path.to_path_buf())) {
            return true;
        }
        let meta = if kind == 'L' {
            fs::symlink_metadata(path)
        } else {
            fs::metadata(path)
        };
        let l = match meta {
            // A directory changed within a clock step of now could change again unseen.
            Ok(m) if m.is_dir() && Stat::of(&m).is_racy() => None,
            Ok(m) => {
                let kind = match kind {
                    _ if m.is_dir() => 'D',
                    'D' => 'F',
                    k => k,
                };
                line(kind, &Stat::of(&m), path)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path
                .to_str()
                .filter(|p| !p.contains('\n'))
                .map(|p| format!("M 0 0 0 0 0 {p}\n")),
            Err(_) => None,
        };
        match l {
            Some(l) => {
                self.lines.push(l);
                true
            }
            None => false,
        }
    }

    /// Watches every symlink between `file` and the bytes it names: each hop
    /// (`.venv/bin/python` -> `python3.12`, `/etc/alternatives`) and each symlinked directory
    /// on the way (a versioned interpreter directory a `uv python upgrade` repoints).
    fn chain(&mut self, file: &Path) -> bool {
        let mut hop = file.to_path_buf();
        for _ in 0..32 {
            for dir in hop.ancestors().skip(1) {
                match fs::symlink_metadata(dir) {
                    Ok(m) if m.file_type().is_symlink() => {
                        if !self.watch('L', dir) {
                            return false;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => return false,
                }
            }
            match fs::symlink_metadata(&hop) {
                Ok(m) if m.file_type().is_symlink() => {
                    let Ok(target) = fs::read_link(&hop) else {
                        return false;
                    };
                    if !self.watch('L', &hop) {
                        return false;
                    }
                    let parent = hop.parent().map(Path::to_path_buf).unwrap_or_default();
                    hop = parent.join(target);
                }
                Ok(_) => return true,
                Err(_) => return false,
            }
        }
        false
    }

    /// The programs and scripts a command runs: the words that resolve now must be exactly the
    /// recorded ones, each file still cached at its stat with the recorded hash; every directory
    /// searched to resolve a word (a program installed into an earlier PATH directory, or one
    /// created later, would change it), and every symlink on the way to a file, is watched.
    /// (`PATH` itself is in the key.)
    fn tools(
        &mut self,
        ws: &Workspace,
        declared: &[&str],
        cmd: &str,
        recorded: &BTreeMap<String, String>,
    ) -> Option<Vec<super::tools::Found>> {
        let found = super::tools::found(ws, cmd, declared);
        let now: BTreeSet<&str> = found
            .iter()
            .filter(|f| f.file.is_some())
            .map(|f| f.named.word())
            .collect();
        if !now.iter().copied().eq(recorded.keys().map(String::as_str)) {
            return None;
        }
        for f in &found {
            if !f.searched.iter().all(|dir| self.watch('D', dir)) {
                return None;
            }
            let Some(file) = &f.file else { continue };
            if self.chained.insert(file.clone()) && !self.chain(file) {
                return None;
            }
            let (key, canonical) = super::tools::cache_key(ws, file);
            let Ok(meta) = fs::metadata(&canonical) else {
                return None;
            };
            match self.cache.cached(&key) {
                Some((cached, h))
                    if cached == Stat::of(&meta)
                        && Some(h) == recorded.get(f.named.word()).map(String::as_str) => {}
                _ => return None,
            }
            if !self.watch('F', &canonical) {
                return None;
            }
        }
        Some(found)
    }
}

/// Writes the certificate after a run that left the whole graph fresh, if the files on disk
/// still say so (see the rule above). `lock_stat` is the stat of `pipeline.lock` as saved.
/// Returns whether it was written; a certificate is only a shortcut, so failing to write one is
/// never an error.
pub fn write(
    ws: &Workspace,
    manifest: &Manifest,
    manifest_path: &Path,
    graph: &Graph,
    lock: &LockFile,
    cache: &HashCache,
    catalog: &str,
) -> bool {
    let _ = fs::remove_file(ws.certificate_path());
    if ws.lock_journal_path().exists() {
        return false;
    }
    let Ok(lock_meta) = fs::metadata(ws.lock_path()) else {
        return false;
    };
    let mut c = Collector {
        cache,
        lines: Vec::new(),
        seen: HashSet::new(),
        chained: HashSet::new(),
    };
    // Resolve what commands run afresh: this process's memo of PATH may predate the run.
    super::tools::forget();
    let lock_stat = Stat::of(&lock_meta);
    if lock_stat.is_racy() {
        return false;
    }
    let Some(l) = line('F', &lock_stat, &ws.lock_path()) else {
        return false;
    };
    c.lines.push(l);
    let mut reads = BTreeMap::new();
    for inst in &graph.instances {
        let Some(entry) = lock.instances.get(&inst.id) else {
            return false;
        };
        if let super::fingerprint::ActionRecord::Cmd { cmd, tools, env } = &entry.from.action {
            let declared = inst.declared_paths();
            let Some(found) = c.tools(ws, &declared, cmd, tools) else {
                return false;
            };
            if *env != super::tools::env_hashes(cmd, &found, &super::tools::env::process) {
                return false;
            }
            reads.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut inputs = BTreeSet::new();
        for input in &inst.inputs {
            let expected = |k: &str| entry.from.inputs.get(k).cloned();
            let Some(keys) = c.root(ws, &input.path, &expected) else {
                return false;
            };
            inputs.extend(keys);
        }
        if !inputs.iter().eq(entry.from.inputs.keys()) {
            return false;
        }
        if inst
            .outputs
            .iter()
            .any(|o| !entry.output_roots.contains(&o.path))
        {
            return false;
        }
        let mut outputs = BTreeSet::new();
        for root in &entry.output_roots {
            let expected = |k: &str| entry.outputs.get(k).cloned();
            let Some(keys) = c.root(ws, root, &expected) else {
                return false;
            };
            outputs.extend(keys);
        }
        if !outputs.iter().eq(entry.outputs.keys()) {
            return false;
        }
        for &d in &inst.deps {
            let up = &graph.instances[d].id;
            let (Some(built_from), Some(now)) =
                (entry.from.upstream.get(up), lock.instances.get(up))
            else {
                return false;
            };
            let read = inst.reads_of(d, &now.outputs);
            if **built_from != *read.as_ref().unwrap_or(&*now.outputs) {
                return false;
            }
        }
    }
    let mut selected = BTreeMap::new();
    selected.insert(String::new(), graph.instances.len());
    let mut names: Vec<&str> = graph.instances.iter().map(|i| i.node.as_str()).collect();
    names.sort();
    names.dedup();
    for name in names {
        if let Ok(sel) = super::select::select(graph, &[name.to_string()], false) {
            selected.insert(name.to_string(), sel.len());
        }
    }
    let header = Header {
        version: VERSION,
        key: key(
            manifest_path,
            manifest.file.text.as_bytes(),
            &manifest.config_files,
            catalog,
        ),
        config: manifest
            .config_files
            .iter()
            .map(|(rel, _)| rel.clone())
            .collect(),
        selected,
        env: reads,
    };
    let mut text = serde_json::to_string(&header).expect("header serialises");
    text.push('\n');
    for l in &c.lines {
        text.push_str(l);
    }
    write_atomic(&ws.certificate_path(), text.as_bytes()).is_ok()
}

/// How many instances the run would select, if the certificate proves them all fresh; `None`
/// (plan in full) otherwise. `target` is `None` for the whole graph, else one node name.
pub fn check(
    ws: &Workspace,
    manifest_path: &Path,
    catalog: &str,
    target: Option<&str>,
) -> Option<usize> {
    let text = fs::read_to_string(ws.certificate_path()).ok()?;
    let (head, body) = text.split_once('\n')?;
    let header: Header = serde_json::from_str(head).ok()?;
    if header.version != VERSION {
        return None;
    }
    let selected = *header.selected.get(target.unwrap_or(""))?;
    let manifest = fs::read(manifest_path).ok()?;
    let mut config = Vec::with_capacity(header.config.len());
    for rel in &header.config {
        let bytes = fs::read(ws.root.join(rel)).ok()?;
        config.push((rel.clone(), blake3::hash(&bytes).to_hex().to_string()));
    }
    if key(manifest_path, &manifest, &config, catalog) != header.key
        || ws.lock_journal_path().exists()
    {
        return None;
    }
    let env_now =
        |var: &str| super::tools::env::hash_of(super::tools::env::process(var).as_deref());
    if header.env.iter().any(|(var, hash)| env_now(var) != *hash) {
        return None;
    }
    let lines: Vec<&str> = body.lines().collect();
    let all_match = lines.par_iter().all(|l| {
        let mut f = l.splitn(7, ' ');
        let (Some(kind), Some(size), Some(mtime), Some(ctime), Some(ino), Some(dev), Some(path)) = (
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
        ) else {
            return false;
        };
        if kind == "M" {
            // Recorded missing (a PATH directory not created yet): it must still be.
            return fs::metadata(path).is_err();
        }
        let meta = if kind == "L" {
            fs::symlink_metadata(path)
        } else {
            fs::metadata(path)
        };
        let Ok(meta) = meta else {
            return false;
        };
        let now = Stat::of(&meta);
        let recorded = (|| {
            Some(Stat {
                size: size.parse().ok()?,
                mtime_ns: mtime.parse().ok()?,
                ctime_ns: ctime.parse().ok()?,
                ino: ino.parse().ok()?,
                dev: dev.parse().ok()?,
            })
        })();
        let kind_ok = match kind {
            "F" => meta.is_file(),
            "D" => meta.is_dir(),
            "L" => meta.file_type().is_symlink(),
            _ => false,
        };
        kind_ok && recorded == Some(now)
    });

    all_match.then_some(selected)
}
