//! The workspace: where engine state and outputs live, the run lock, and atomic writes.
//!
//! ```text
//! pipeline.yaml          the manifest (its directory is the workspace root)
//! pipeline.lock          one entry per instance: fingerprint, what went into it, output hashes
//! cache/runlog.jsonl     append-only, hash-chained record of every instance run
//! cache/hashcache.json   blake3 of files keyed by (size, mtime, inode): no-op runs read no data
//! cache/run.lock         held (flock) by the one run allowed at a time; says who holds it
//! cache/logs/<id>.log    stdout and stderr of each instance's last run
//! cache/tmp/             staging: outputs are written here, then renamed into place
//! cache/failed/<id>/     what the last failed attempt of an instance wrote, for inspection
//! cache/failures.json    the instances whose last attempt failed, and why
//! outputs/               published artifacts
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Component, Path, PathBuf};

use crate::Error;

/// `p` as the engine keys paths: relative to the workspace `root`, `/`-separated, with no `.`,
/// `..` or empty parts (`None` when it leads out of the workspace). Lexical only: a symlink is
/// not resolved. One function for the graph's edges and for orphans, so that however a
/// manifest spells a path (`outputs/./x`, `outputs//x`, `outputs/y/../x`, or absolute inside
/// the workspace) it means the same file to both.
pub fn lexical(root: &Path, p: &str) -> Option<String> {
    let p = Path::new(p);
    let rel = if p.is_absolute() {
        p.strip_prefix(root).ok()?
    } else {
        p
    };
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(x) => parts.push(x.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        // Absolute, because workers run with the workspace as their current directory: a
        // relative root (`gosales -C ws run`) would make every staging path point nowhere.
        let root = std::path::absolute(&root).unwrap_or(root);
        Workspace { root }
    }
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }
    pub fn lock_path(&self) -> PathBuf {
        self.root.join("pipeline.lock")
    }
    /// Lock entries of the running (or an interrupted) run, compacted into the lock at its end.
    pub fn lock_journal_path(&self) -> PathBuf {
        self.cache_dir().join("lock.journal")
    }
    pub fn runlog_path(&self) -> PathBuf {
        self.cache_dir().join("runlog.jsonl")
    }
    pub fn hashcache_path(&self) -> PathBuf {
        self.cache_dir().join("hashcache.json")
    }
    /// Proof that the whole graph was fresh at given file stats ([`super::certificate`]).
    pub fn certificate_path(&self) -> PathBuf {
        self.cache_dir().join("fresh.cert")
    }
    pub fn run_lock_path(&self) -> PathBuf {
        self.cache_dir().join("run.lock")
    }
    pub fn logs_dir(&self) -> PathBuf {
        self.cache_dir().join("logs")
    }
    pub fn tmp_dir(&self) -> PathBuf {
        self.cache_dir().join("tmp")
    }
    /// The log file of an instance (ids may contain characters unfit for file names).
    pub fn log_path(&self, instance: &str) -> PathBuf {
        self.logs_dir().join(format!("{}.log", file_safe(instance)))
    }
    /// The instances whose last attempt failed ([`crate::failures`]).
    pub fn failures_path(&self) -> PathBuf {
        self.cache_dir().join("failures.json")
    }
    /// Where a failed instance's partial outputs are kept for inspection.
    pub fn failed_dir(&self, instance: &str) -> PathBuf {
        self.cache_dir().join("failed").join(file_safe(instance))
    }
    /// A path from the manifest, made absolute against the root (absolute paths stay).
    pub fn abs(&self, rel: &str) -> PathBuf {
        let p = Path::new(rel);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }
}

/// The longest [`file_safe`] name before its hash: short enough that a staged output's name
/// (`<safe>+<k>+<file name>`) and a log's stay within the 255 bytes a file name may have.
const SAFE_MAX: usize = 100;

/// An instance id as a file name: characters awkward in file names become `_`, and a name
/// that changed (or was cut to `SAFE_MAX`, 100 bytes) gets `~` and a hash of the whole id, so
/// that two ids never share a name (`sp@a b` and `sp@a_b`, or two non-ASCII values).
pub fn file_safe(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out == s && out.len() <= SAFE_MAX {
        return out;
    }
    // Every character is ASCII by now: any byte index is a char boundary.
    out.truncate(SAFE_MAX);
    let hash = blake3::hash(s.as_bytes()).to_hex();
    format!("{out}~{}", &hash[..10])
}

/// Writes `bytes` to `path` through a temp file in the same directory, fsynced, then renamed:
/// readers see the old file or the new one, never a torn one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("cannot create directory", dir, e))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut f = File::create(&tmp).map_err(|e| Error::io("cannot create", &tmp, e))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io("cannot write", &tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| Error::io("cannot replace", path, e))
}

/// The exclusive run lock. The kernel releases a `flock` when its holder dies, so a lock left by
/// a killed run is recovered automatically; the file's text names the holder for the others.
pub struct RunLock {
    _file: File,
}

/// How often a run waiting for the run lock looks at its [`crate::interrupt::Interrupt`].
const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(100);

impl RunLock {
    /// Takes the lock. If another run holds it: with `wait`, calls `on_wait(holder)` and
    /// blocks until it is free; otherwise fails with [`Error::Locked`].
    pub fn acquire(
        ws: &Workspace,
        wait: bool,
        describe: &str,
        on_wait: impl FnOnce(&str),
    ) -> Result<RunLock, Error> {
        let (path, mut file) = Self::open(ws)?;
        if !try_flock(&file) {
            let holder = read_holder(&mut file);
            if !wait {
                return Err(Error::Locked { holder });
            }
            on_wait(&holder);
            // SAFETY: flock on a file descriptor we own; blocks until the holder releases or
            // dies.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                return Err(Error::io(
                    "cannot lock",
                    &path,
                    std::io::Error::last_os_error(),
                ));
            }
        }
        Self::claim(&path, file, describe)
    }

    /// Takes the lock, waiting for another run that holds it (after `on_wait(holder)`) until
    /// it is free or `interrupt` is requested: `None` then. A blocking `flock` could not look
    /// at the interrupt, so a Ctrl-C meant for a waiting run would do nothing for as long as
    /// the other run lasted; this one tries again every 100 ms.
    pub fn acquire_interruptible(
        ws: &Workspace,
        describe: &str,
        interrupt: &crate::interrupt::Interrupt,
        on_wait: impl FnOnce(&str),
    ) -> Result<Option<RunLock>, Error> {
        let (path, mut file) = Self::open(ws)?;
        if !try_flock(&file) {
            on_wait(&read_holder(&mut file));
            loop {
                if interrupt.requested().is_some() {
                    return Ok(None);
                }
                std::thread::sleep(LOCK_POLL);
                if try_flock(&file) {
                    break;
                }
            }
        }
        Self::claim(&path, file, describe).map(Some)
    }

    fn open(ws: &Workspace) -> Result<(PathBuf, File), Error> {
        let path = ws.run_lock_path();
        fs::create_dir_all(ws.cache_dir())
            .map_err(|e| Error::io("cannot create directory", ws.cache_dir(), e))?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("cannot open run lock", &path, e))?;
        Ok((path, file))
    }

    /// Writes who holds the lock now, for the runs that will find it taken.
    fn claim(path: &Path, mut file: File, describe: &str) -> Result<RunLock, Error> {
        let text = format!(
            "pid {} on {} since {}: {}\n",
            std::process::id(),
            hostname(),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            describe
        );
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(text.as_bytes()))
            .map_err(|e| Error::io("cannot write run lock", path, e))?;
        Ok(RunLock { _file: file })
    }
}

/// Takes the `flock` if it is free, without waiting.
fn try_flock(file: &File) -> bool {
    // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Who holds the lock, as the holder wrote it.
fn read_holder(file: &mut File) -> String {
    let mut holder = String::new();
    let _ = file.read_to_string(&mut holder);
    let holder = holder.trim().to_string();
    if holder.is_empty() {
        "unknown holder".to_string()
    } else {
        holder
    }
}

pub fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

pub fn username() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| format!("uid{}", unsafe { libc::getuid() }))
}

#[cfg(test)]
mod tests {
    use super::file_safe;

    #[test]
    fn file_safe_names_never_collide() {
        assert_eq!(file_safe("gen@a"), "gen@a");
        assert_eq!(file_safe("sp@a_b"), "sp@a_b");
        let spaced = file_safe("sp@a b");
        assert!(spaced.starts_with("sp@a_b~"), "{spaced}");
        assert_ne!(spaced, file_safe("sp@a_b"));
        // Non-ASCII values that would all read `sp@__`.
        assert_ne!(file_safe("sp@é"), file_safe("sp@ü"));
        // A long id is cut, and still told apart by its hash.
        let long = format!("sp@{}", "x".repeat(300));
        let longer = format!("{long}y");
        assert!(file_safe(&long).len() < 120);
        assert_ne!(file_safe(&long), file_safe(&longer));
    }
}
