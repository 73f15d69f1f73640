//! `pipeline.lock`: the resolved state of every built instance, one entry each, keyed and sorted
//! by instance id, pretty-printed JSON. It holds only content-derived data (no times, no hosts),
//! so it changes exactly when something that matters changes, and diffs and merges cleanly.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fingerprint::FingerprintInputs;
use super::workspace::{write_atomic, Workspace};
use crate::Error;

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
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub version: u32,
    pub instances: BTreeMap<String, LockEntry>,
}

const HELP: &str = "restore it from version control (`git checkout pipeline.lock`), or delete it to rebuild everything";

impl LockFile {
    pub fn load(ws: &Workspace) -> Result<LockFile, Error> {
        Self::load_path(&ws.lock_path())
    }

    pub fn load_path(path: &Path) -> Result<LockFile, Error> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LockFile {
                    version: LOCK_VERSION,
                    instances: BTreeMap::new(),
                })
            }
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let lock: LockFile = serde_json::from_slice(&bytes).map_err(|e| {
            Error::state(
                path,
                format!("{e} (line {}, column {})", e.line(), e.column()),
                HELP,
            )
        })?;
        if lock.version != LOCK_VERSION {
            return Err(Error::state(
                path,
                format!(
                    "version {} (this gosales reads {LOCK_VERSION})",
                    lock.version
                ),
                HELP,
            ));
        }
        for (id, entry) in &lock.instances {
            if entry.from.fingerprint() != entry.fingerprint {
                return Err(Error::state(
                    path,
                    format!("entry `{id}` does not match its own fingerprint (edited by hand?)"),
                    HELP,
                ));
            }
        }
        Ok(lock)
    }

    pub fn save(&self, ws: &Workspace) -> Result<(), Error> {
        let mut text = serde_json::to_string_pretty(self).expect("lock file serialises");
        text.push('\n');
        if std::fs::read(ws.lock_path()).ok().as_deref() == Some(text.as_bytes()) {
            return Ok(());
        }
        write_atomic(&ws.lock_path(), text.as_bytes())
    }
}
