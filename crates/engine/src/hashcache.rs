//! File content hashes (blake3), cached by stat so that an unchanged file is never re-read.
//!
//! A cache entry is keyed by path and trusted only while the file's size, mtime (ns), ctime (ns),
//! inode and device all still match. A no-op run therefore costs one `stat` per file. Misses are
//! hashed in parallel (rayon), large files through mmap.
//!
//! A file changed within [`RACY_NS`] of being hashed is not cached: the kernel stamps files from
//! a clock that moves in steps of milliseconds, so a second same-size write in the same step
//! would keep every field of the stat ("racily clean" files, in git's words).
//!
//! A filesystem that stamps whole seconds (some network and FAT-like ones) shows itself by stats
//! whose mtime and ctime both have no sub-second part; such a file counts as racy for
//! [`COARSE_RACY_NS`] instead, so a same-size rewrite within its second is never missed.
//!
//! Limits: a write that keeps size, mtime and ctime identical some time later would go unseen
//! (not possible with a working clock). The cache is only a cache: if it is unreadable it is
//! rebuilt silently.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::workspace::{write_atomic, Workspace};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub ino: u64,
    pub dev: u64,
}

/// A file changed less than this long ago may change again within the same timestamp tick
/// (Linux stamps files from a clock that moves in steps of a few milliseconds) without its stat
/// changing: its hash is used, but not cached for the next run ("racily clean", as git calls it).
/// Far above a local filesystem's tick.
pub const RACY_NS: i64 = 100_000_000;

/// The racy window for a stat whose times are whole seconds: timestamps of 1 s (or FAT's 2 s)
/// granularity can stay the same across writes that far apart.
pub const COARSE_RACY_NS: i64 = 2_000_000_000;

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(i64::MAX)
}

impl Stat {
    /// Whether a change now could leave this stat as it is (see [`RACY_NS`] and
    /// [`COARSE_RACY_NS`]).
    pub fn is_racy(&self) -> bool {
        self.is_racy_at(now_ns())
    }

    fn is_racy_at(&self, now_ns: i64) -> bool {
        let whole_seconds = |t: i64| t.rem_euclid(1_000_000_000) == 0;
        let window = if whole_seconds(self.mtime_ns) && whole_seconds(self.ctime_ns) {
            COARSE_RACY_NS
        } else {
            RACY_NS
        };
        now_ns - self.mtime_ns.max(self.ctime_ns) < window
    }

    pub fn of(meta: &fs::Metadata) -> Stat {
        Stat {
            size: meta.size(),
            mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
            ino: meta.ino(),
            dev: meta.dev(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    stat: Stat,
    hash: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Disk {
    version: u32,
    files: HashMap<String, Entry>,
}

/// The rule an entry was cached under. 2: whole-second stats racy for [`COARSE_RACY_NS`]. A
/// cache written under an earlier rule may hold entries trusted too early, so it is dropped
/// (one full rehash) rather than read.
const VERSION: u32 = 2;

/// Counters, for `--json` and benchmarks.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct HashStats {
    pub hits: u64,
    pub misses: u64,
    pub bytes_hashed: u64,
}

pub struct HashCache {
    files: HashMap<String, Entry>,
    /// The entries this process hashed or recorded itself, not read from the cache file: what
    /// [`HashCache::tree_verified`] trusts. An entry on disk is as writable as the file it
    /// vouches for: a tester rewrote one (the tampered file's stat, the old hash), and a run
    /// read the tampered bytes while recording the old hash as what it read.
    verified: HashSet<String>,
    dirty: bool,
    pub stats: HashStats,
}

/// blake3 of a file's bytes, hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let meta = fs::metadata(path)?;
    // Never opened: reading a named pipe blocks until something writes to it (a tester's
    // `mkfifo` at an output path hung `status` for good).
    if !meta.is_file() {
        return Err(not_a_file_error(&meta));
    }
    let mut hasher = blake3::Hasher::new();
    if meta.len() >= 64 * 1024 * 1024 {
        hasher.update_mmap_rayon(path)?;
    } else if meta.len() >= 256 * 1024 {
        hasher.update_mmap(path)?;
    } else {
        let mut buf = Vec::with_capacity(meta.len() as usize);
        fs::File::open(path)?.read_to_end(&mut buf)?;
        hasher.update(&buf);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// What the cache refuses to open instead of a file.
const A_DIRECTORY: &str = "a directory";
const NOT_A_FILE: &str = "not a regular file";

fn not_a_file_error(meta: &fs::Metadata) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        if meta.is_dir() {
            A_DIRECTORY
        } else {
            NOT_A_FILE
        },
    )
}

/// What stood where a file was to be hashed, when that is why `e` was returned: `a directory`,
/// or `not a regular file` (a pipe, socket or device).
pub fn not_a_file(e: &std::io::Error) -> Option<&'static str> {
    if e.kind() != std::io::ErrorKind::InvalidInput {
        return None;
    }
    let text = e.to_string();
    [A_DIRECTORY, NOT_A_FILE].into_iter().find(|w| text == *w)
}

/// Files under `path` (itself if it is a file), as `/`-joined paths built on `rel`, sorted.
///
/// Symlinks are followed, and a linked file is listed under the link's path (hashing it reads
/// the target's bytes): stages read through links, so a change behind one must make the reader
/// stale. A link that loops back to an ancestor, or that points nowhere, is an error naming it.
pub fn list_files(abs: &Path, rel: &str) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let meta = fs::metadata(abs)?;
    if meta.is_file() {
        return Ok(vec![(rel.to_string(), abs.to_path_buf())]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(abs)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(walk_error)?;
        if entry.file_type().is_file() {
            let sub = entry.path().strip_prefix(abs).unwrap_or(entry.path());
            let sub: Vec<String> = sub.components().map(|c| key_part(c.as_os_str())).collect();
            out.push((
                format!("{rel}/{}", sub.join("/")),
                entry.path().to_path_buf(),
            ));
        }
    }
    Ok(out)
}

/// A file or directory name as a part of a file's key: its text, which is its path (the lock's
/// output keys are read back as paths). A name that is not UTF-8 has no such text: its lossy
/// text is tagged with a hash of its bytes, or two such names (`\xe9t\xe9.txt` and
/// `\xe8t\xe8.txt`) shared a key, and a change to one went unseen. The components are split by
/// the platform, so that a file named `a\b.txt` beside `a/b.txt` on Unix is a key of its own.
fn key_part(name: &std::ffi::OsStr) -> String {
    match name.to_str() {
        Some(text) => text.to_string(),
        None => {
            let hash = blake3::hash(name.as_encoded_bytes()).to_hex();
            format!("{}~{}", name.to_string_lossy(), &hash[..16])
        }
    }
}

/// A walk error as an I/O error that names the path. Never `NotFound`: that would read as "the
/// input does not exist", while here it is a dangling link inside one that does.
fn walk_error(e: walkdir::Error) -> std::io::Error {
    let path = e
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        return std::io::Error::other(format!(
            "symlink loop: `{path}` points back to its ancestor `{}`",
            ancestor.display()
        ));
    }
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => std::io::Error::other(format!(
            "dangling symlink `{path}`: its target does not exist"
        )),
        Some(io) => std::io::Error::new(io.kind(), format!("`{path}`: {io}")),
        None => std::io::Error::other(e),
    }
}

impl HashCache {
    pub fn load(ws: &Workspace) -> HashCache {
        let files = fs::read(ws.hashcache_path())
            .ok()
            .and_then(|b| serde_json::from_slice::<Disk>(&b).ok())
            .filter(|d| d.version == VERSION)
            .map(|d| d.files)
            .unwrap_or_default();
        HashCache {
            files,
            verified: HashSet::new(),
            dirty: false,
            stats: HashStats::default(),
        }
    }

    pub fn save(&mut self, ws: &Workspace) -> Result<(), Error> {
        if !self.dirty {
            return Ok(());
        }
        let disk = Disk {
            version: VERSION,
            files: std::mem::take(&mut self.files),
        };
        let bytes = serde_json::to_vec(&disk).expect("hash cache serialises");
        self.files = disk.files;
        write_atomic(&ws.hashcache_path(), &bytes)?;
        self.dirty = false;
        Ok(())
    }

    /// Hash of one file, from the cache when its stat is unchanged. `None` if it does not exist.
    pub fn file(&mut self, key: &str, abs: &Path) -> std::io::Result<Option<String>> {
        self.file_with(key, abs, false)
    }

    /// [`HashCache::file`], trusting only an entry this process verified: one read from the
    /// cache file is hashed again, once.
    pub fn file_verified(&mut self, key: &str, abs: &Path) -> std::io::Result<Option<String>> {
        self.file_with(key, abs, true)
    }

    fn file_with(
        &mut self,
        key: &str,
        abs: &Path,
        verify: bool,
    ) -> std::io::Result<Option<String>> {
        let meta = match fs::metadata(abs) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if !meta.is_file() {
            return Err(not_a_file_error(&meta));
        }
        let stat = Stat::of(&meta);
        if let Some(e) = self.files.get(key) {
            if e.stat == stat && (!verify || self.verified.contains(key)) {
                self.stats.hits += 1;
                return Ok(Some(e.hash.clone()));
            }
        }
        let hash = hash_file(abs)?;
        self.stats.misses += 1;
        self.stats.bytes_hashed += stat.size;
        self.remember(key, stat, &hash);
        Ok(Some(hash))
    }

    /// Caches `hash` for `key` at `stat`, unless the stat is racy: then the file was changed too
    /// recently for its stat to vouch for these bytes next time, and any older entry goes too.
    fn remember(&mut self, key: &str, stat: Stat, hash: &str) {
        if stat.is_racy() {
            self.files.remove(key);
        } else {
            self.verified.insert(key.to_string());
            self.files.insert(
                key.to_string(),
                Entry {
                    stat,
                    hash: hash.to_string(),
                },
            );
        }
        self.dirty = true;
    }

    /// The cached hash of `key` and the stat it was taken at, without touching the disk.
    pub fn cached(&self, key: &str) -> Option<(Stat, &str)> {
        self.files.get(key).map(|e| (e.stat, e.hash.as_str()))
    }

    /// Records a hash computed elsewhere (for a file just published by rename).
    pub fn record(&mut self, key: &str, abs: &Path, hash: &str) {
        if let Ok(meta) = fs::metadata(abs) {
            self.remember(key, Stat::of(&meta), hash);
        }
    }

    /// Every file under a path (file or directory) with its hash. `None` if it does not exist.
    pub fn tree(
        &mut self,
        rel: &str,
        abs: &Path,
    ) -> std::io::Result<Option<BTreeMap<String, String>>> {
        self.tree_with(rel, abs, false)
    }

    /// [`HashCache::tree`] through [`HashCache::file_verified`]: for the bytes a run records an
    /// instance as reading. Each file is hashed at most once a process.
    pub fn tree_verified(
        &mut self,
        rel: &str,
        abs: &Path,
    ) -> std::io::Result<Option<BTreeMap<String, String>>> {
        self.tree_with(rel, abs, true)
    }

    fn tree_with(
        &mut self,
        rel: &str,
        abs: &Path,
        verify: bool,
    ) -> std::io::Result<Option<BTreeMap<String, String>>> {
        let files = match list_files(abs, rel) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut out = BTreeMap::new();
        for (key, path) in files {
            if let Some(h) = self.file_with(&key, &path, verify)? {
                out.insert(key, h);
            }
        }
        Ok(Some(out))
    }

    /// Hashes, in parallel, every listed file whose cache entry is missing or stale, so that
    /// the lookups that follow are hits. Errors are left for those lookups to report.
    pub fn prefetch(&mut self, paths: &[(String, std::path::PathBuf)]) {
        let misses: Vec<(String, std::path::PathBuf, Stat)> = paths
            .iter()
            .filter_map(|(key, abs)| {
                let stat = Stat::of(&fs::metadata(abs).ok()?);
                match self.files.get(key) {
                    Some(e) if e.stat == stat => None,
                    _ => Some((key.clone(), abs.clone(), stat)),
                }
            })
            .collect();
        let hashed: Vec<(String, Stat, String)> = misses
            .into_par_iter()
            .filter_map(|(key, abs, stat)| hash_file(&abs).ok().map(|h| (key, stat, h)))
            .collect();
        for (key, stat, hash) in hashed {
            self.stats.misses += 1;
            self.stats.bytes_hashed += stat.size;
            self.remember(&key, stat, &hash);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn files_a_lossy_name_or_a_backslash_would_merge_have_keys_of_their_own() {
        use std::os::unix::ffi::OsStrExt;
        let dir = std::env::temp_dir().join(format!("gosales-keys-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("a")).unwrap();
        for name in [
            &b"\xe9t\xe9.txt"[..],
            b"\xe8t\xe8.txt",
            b"a\\b.txt",
            b"a/b.txt",
        ] {
            fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), name).unwrap();
        }
        let keys: std::collections::BTreeSet<String> = list_files(&dir, "in")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        assert!(keys.contains("in/a\\b.txt") && keys.contains("in/a/b.txt"));
        let _ = fs::remove_dir_all(&dir);
    }

    /// Stamps `path` with the mtime `t` (its ctime becomes now).
    fn stamp(path: &Path, t: std::time::SystemTime) {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    #[test]
    fn a_file_written_a_moment_ago_is_hashed_again_not_trusted_by_stat() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::new(dir.path());
        let path = dir.path().join("f.txt");
        let mut cache = HashCache::load(&ws);
        // Stamped ahead of the clock, the file stays racy however long this thread is paused
        // (a loaded CI machine once paused it past the window between write and hash).
        let now = std::time::SystemTime::now();
        let ahead = now + std::time::Duration::from_secs(60);
        fs::write(&path, "aaaa").unwrap();
        stamp(&path, ahead);
        let first = cache.file("f.txt", &path).unwrap().unwrap();
        assert!(cache.cached("f.txt").is_none(), "a racy stat was cached");
        // Rewritten with the same size and the same mtime (only the ctime can tell), yet a new hash.
        fs::write(&path, "bbbb").unwrap();
        stamp(&path, ahead);
        let second = cache.file("f.txt", &path).unwrap().unwrap();
        assert_ne!(first, second);
        assert!(cache.cached("f.txt").is_none(), "a racy stat was cached");
        // Once the file (and its ctime) is older than a clock step, its stat is trusted.
        stamp(&path, now - std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_nanos(RACY_NS as u64 + 20_000_000));
        assert_eq!(cache.file("f.txt", &path).unwrap().unwrap(), second);
        assert_eq!(
            cache.cached("f.txt").map(|(_, h)| h.to_string()),
            Some(second)
        );
    }

    #[test]
    fn a_cache_written_under_an_earlier_rule_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::new(dir.path());
        let path = dir.path().join("f.txt");
        fs::write(&path, "aaaa").unwrap();
        stamp(
            &path,
            std::time::SystemTime::now() - std::time::Duration::from_secs(60),
        );
        let stat = Stat::of(&fs::metadata(&path).unwrap());
        let stale = |version: u32| {
            serde_json::json!({"version": version, "files": {"f.txt": {
                "size": stat.size, "mtime_ns": stat.mtime_ns, "ctime_ns": stat.ctime_ns,
                "ino": stat.ino, "dev": stat.dev, "hash": "not-the-hash"}}})
        };
        let write = |v| {
            fs::create_dir_all(ws.hashcache_path().parent().unwrap()).unwrap();
            fs::write(ws.hashcache_path(), stale(v).to_string()).unwrap();
        };
        // Version 1 trusted whole-second stats after 100 ms: its entries may vouch for old bytes.
        write(1);
        let mut cache = HashCache::load(&ws);
        assert_eq!(
            cache.file("f.txt", &path).unwrap().unwrap(),
            hash_file(&path).unwrap()
        );
        // The same entry under today's version is trusted by stat (what makes no-op runs cheap).
        write(VERSION);
        let mut cache = HashCache::load(&ws);
        assert_eq!(cache.file("f.txt", &path).unwrap().unwrap(), "not-the-hash");
    }

    #[test]
    fn whole_second_timestamps_are_racy_for_two_seconds() {
        let s = 1_700_000_000 * 1_000_000_000_i64;
        let stat = |mtime_ns, ctime_ns| Stat {
            size: 4,
            mtime_ns,
            ctime_ns,
            ino: 1,
            dev: 1,
        };
        // A filesystem with nanosecond stamps: racy for RACY_NS only.
        let fine = stat(s + 123_456_789, s + 123_456_789);
        assert!(fine.is_racy_at(s + 123_456_789 + RACY_NS - 1));
        assert!(!fine.is_racy_at(s + 123_456_789 + RACY_NS));
        // Whole seconds in both times: the stamp may hide a rewrite up to two seconds later.
        let coarse = stat(s, s);
        assert!(coarse.is_racy_at(s + 1_500_000_000));
        assert!(!coarse.is_racy_at(s + COARSE_RACY_NS));
        // One fine time is enough to show the filesystem's stamps are fine.
        assert!(!stat(s, s + 1).is_racy_at(s + 1 + RACY_NS));
    }
}
