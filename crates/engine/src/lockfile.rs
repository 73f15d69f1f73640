//! `pipeline.lock`: the resolved state of every built instance, one entry each, keyed and sorted
//! by instance id, pretty-printed JSON. It holds only content-derived data (no times, no hosts),
//! so it changes exactly when something that matters changes, and diffs and merges cleanly.
//!
//! During a run, each finished instance is appended (and synced) to `cache/lock.journal` instead
//! of rewriting the whole lock: O(1) per instance, where a rewrite grows with the lock (a 10,000
//! instance cold build spent most of its time rewriting a 6 MB file). The run ends by compacting:
//! the lock is written atomically, then the journal removed. Loading replays the journal over the
//! lock, so after a kill -9 every finished instance is still known (only unfinished work reruns);
//! a torn last journal line (a kill mid-append) is ignored, a damaged earlier one is an error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fingerprint::FingerprintInputs;
use super::workspace::{write_atomic, Workspace};
use crate::error::{Error, StateFile};

pub const LOCK_VERSION: u32 = 1;

// No `deny_unknown_fields` here: serde does not support it together with `flatten`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LockEntry {
    pub node: String,
    pub fingerprint: String,
    /// Everything the fingerprint was computed from.
    #[serde(flatten)]
    pub from: FingerprintInputs,
    /// Declared output paths (files or directories).
    pub output_roots: Vec<String>,
    /// blake3 of every output file (directory outputs are listed file by file).
    pub outputs: super::plan::Outputs,
    /// What the stage resolved when it ran, as its run's record has it
    /// ([`crate::entry::InstanceEntry::resolved`]): the date a `latest` cutoff stood for, which
    /// the partition names only as `latest`. Content-derived (the star's last day), so it
    /// belongs with the outputs it shaped. Absent before 2026-12-08, and when nothing resolved.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolved: BTreeMap<String, String>,
    /// blake3 of the fingerprint, the outputs and what was resolved ([`LockEntry::sealed`]): recorded outputs
    /// edited by hand are corrupt state. Before it, a tester's zeroed output hash made `status`
    /// say the untouched output had been "modified outside gosales". Absent in a lock written
    /// before it (2026-12-07), which is read as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

/// What [`LockFile::load`] says of an entry whose recorded outputs were edited.
pub const BROKEN_SEAL: &str = "records outputs or resolved values other than it was sealed with";

impl LockEntry {
    /// The entry with its [`LockEntry::seal`] set.
    pub fn sealed(mut self) -> LockEntry {
        self.seal = Some(self.seal_now());
        self
    }

    fn seal_now(&self) -> String {
        let mut h = blake3::Hasher::new();
        h.update(self.fingerprint.as_bytes());
        for (path, hash) in self.outputs.iter() {
            h.update(b"\0");
            h.update(path.as_bytes());
            h.update(b"\0");
            h.update(hash.as_bytes());
        }
        // Only when present, so that an entry sealed before the field existed still verifies.
        for (key, value) in &self.resolved {
            h.update(b"\0resolved\0");
            h.update(key.as_bytes());
            h.update(b"\0");
            h.update(value.as_bytes());
        }
        h.finalize().to_hex().to_string()
    }

    /// What is wrong with the entry as read, if anything: a fingerprint that is not its
    /// inputs', or outputs that are not the ones it was sealed with.
    fn damage(&self, seals: bool) -> Option<&'static str> {
        if self.from.fingerprint() != self.fingerprint {
            return Some("does not match its own fingerprint");
        }
        if seals && self.broken_seal() {
            return Some(BROKEN_SEAL);
        }
        None
    }

    /// Whether the entry was sealed with other outputs than it records.
    pub fn broken_seal(&self) -> bool {
        self.seal.as_ref().is_some_and(|s| *s != self.seal_now())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub version: u32,
    pub instances: BTreeMap<String, LockEntry>,
    /// Differs from `pipeline.lock` on disk: a no-op run of 100,000 instances then skips
    /// re-serialising tens of MB only to find them unchanged.
    #[serde(skip)]
    dirty: bool,
    /// Entries read from `cache/lock.journal` (a run that did not compact it: killed, or
    /// still running), so the audit can say the lock file is not missing but not yet written.
    /// (Distinct ids: an instance journaled twice, built then rebuilt, is one instance.)
    #[serde(skip)]
    journaled: std::collections::BTreeSet<String>,
}

/// One journal line, as read.
#[derive(Deserialize)]
struct JournalLine {
    id: String,
    entry: LockEntry,
}

/// One journal line, as written (borrowed: no copy of the entry per finished instance).
#[derive(Serialize)]
struct JournalLineRef<'a> {
    id: &'a str,
    entry: &'a LockEntry,
}

impl LockFile {
    /// The lock with the journal of an unfinished (or running) run replayed over it.
    pub fn load(ws: &Workspace) -> Result<LockFile, Error> {
        Self::load_with(ws, true)
    }

    /// [`LockFile::load`], outputs' seals unchecked when `seals` is false: the audit reads an
    /// edited lock to report each output it no longer matches, and the broken seals beside.
    pub fn load_with(ws: &Workspace, seals: bool) -> Result<LockFile, Error> {
        let mut lock = Self::load_path_with(&ws.lock_path(), seals)?;
        let path = ws.lock_journal_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(lock),
            Err(e) => return Err(Error::io("cannot read", &path, e)),
        };
        let complete = bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        for (n, line) in bytes[..complete].split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let j: JournalLine = serde_json::from_slice(line).map_err(|e| {
                Error::state(
                    StateFile::LockJournal,
                    &path,
                    format!("line {}: {e}", n + 1),
                )
            })?;
            if let Some(damage) = j.entry.damage(seals) {
                return Err(Error::state(
                    StateFile::LockJournal,
                    &path,
                    format!("line {}: entry `{}` {damage}", n + 1, j.id),
                ));
            }
            lock.journaled.insert(j.id.clone());
            lock.instances.insert(j.id, j.entry);
            lock.dirty = true;
        }
        Ok(lock)
    }

    /// Records one finished instance: in memory, and appended and synced to the journal.
    pub fn record(&mut self, ws: &Workspace, id: &str, entry: LockEntry) -> Result<(), Error> {
        use std::io::Write as _;
        let path = ws.lock_journal_path();
        let mut line = serde_json::to_vec(&JournalLineRef { id, entry: &entry })
            .expect("journal line serialises");
        line.push(b'\n');
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open", &path, e))?;
        let before = f.metadata().map(|m| m.len()).unwrap_or(0);
        if let Err(e) = f.write_all(&line).and_then(|_| f.sync_data()) {
            // Never leave half a line behind (a full disk): the next append starts clean.
            let _ = f.set_len(before);
            return Err(Error::io("cannot append to", &path, e));
        }
        self.instances.insert(id.to_string(), entry);
        self.dirty = true;
        Ok(())
    }

    /// Whether [`LockFile::save`] will write: the lock differs from the file, or a journal
    /// is still to be compacted.
    pub fn will_write(&self, ws: &Workspace) -> bool {
        self.dirty || ws.lock_journal_path().exists() || !ws.lock_path().exists()
    }

    /// Forgets the instances `keep` rejects (those no longer in the manifest); returns them,
    /// for the run log to record (the audit tells a forgotten entry from a removed one so).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut forgotten = Vec::new();
        self.instances.retain(|id, _| {
            let kept = keep(id);
            if !kept {
                forgotten.push(id.clone());
            }
            kept
        });
        self.dirty |= !forgotten.is_empty();
        forgotten
    }

    /// How many journal lines [`LockFile::load`] replayed over `pipeline.lock`.
    pub fn journaled(&self) -> usize {
        self.journaled.len()
    }

    pub fn load_path(path: &Path) -> Result<LockFile, Error> {
        Self::load_path_with(path, true)
    }

    fn load_path_with(path: &Path, seals: bool) -> Result<LockFile, Error> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LockFile {
                    version: LOCK_VERSION,
                    instances: BTreeMap::new(),
                    dirty: false,
                    journaled: Default::default(),
                })
            }
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let lock: LockFile = serde_json::from_slice(&bytes).map_err(|e| {
            Error::state(
                StateFile::Lock,
                path,
                // serde_json's message already ends `at line 126 column 1`.
                e.to_string(),
            )
        })?;
        if lock.version != LOCK_VERSION {
            return Err(Error::state(
                StateFile::Lock,
                path,
                format!(
                    "version {} (this {} reads {LOCK_VERSION})",
                    lock.version,
                    crate::program()
                ),
            ));
        }
        for (id, entry) in &lock.instances {
            if let Some(damage) = entry.damage(seals) {
                return Err(Error::state(
                    StateFile::Lock,
                    path,
                    format!("entry `{id}` {damage} (edited by hand?)"),
                ));
            }
        }
        Ok(lock)
    }

    /// Writes the whole lock atomically, then drops the journal it now contains.
    pub fn save(&self, ws: &Workspace) -> Result<(), Error> {
        if !self.dirty && !ws.lock_journal_path().exists() && ws.lock_path().exists() {
            return Ok(());
        }
        let mut text = serde_json::to_string_pretty(self).expect("lock file serialises");
        text.push('\n');
        if std::fs::read(ws.lock_path()).ok().as_deref() != Some(text.as_bytes()) {
            write_atomic(&ws.lock_path(), text.as_bytes())?;
        }
        match std::fs::remove_file(ws.lock_journal_path()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::io("cannot remove", ws.lock_journal_path(), e))
            }
            _ => Ok(()),
        }
    }
}
