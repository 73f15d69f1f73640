//! `cache/runlog.jsonl`: an append-only, hash-chained record of every instance run and every run.
//!
//! Each line is `{"seq":N,"prev":H(N-1),"hash":H(N),"entry":{...}}` where
//! `H(N) = blake3("N\n" + H(N-1) + "\n" + entry bytes)` over the entry exactly as written. Editing,
//! deleting or reordering a line breaks the chain at that line, which `gosales audit` reports.
//! Truncating the tail cannot be detected from the log alone (nothing commits to the last line);
//! keep the log in backed-up storage if that matters.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::workspace::Workspace;
use crate::Error;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const HELP: &str = "run `gosales audit` for a full report; to start a new chain, move the file aside (it stays verifiable on its own)";

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub prev: String,
    pub hash: String,
    pub entry: Box<RawValue>,
}

pub fn chain_hash(seq: u64, prev: &str, entry: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(entry.as_bytes());
    h.finalize().to_hex().to_string()
}

/// Appends to the run log; one per run, used only by the thread holding the run lock.
pub struct RunLog {
    path: std::path::PathBuf,
    seq: u64,
    prev: String,
}

impl RunLog {
    /// Opens the log for appending, reading only its last line.
    pub fn open(ws: &Workspace) -> Result<RunLog, Error> {
        let path = ws.runlog_path();
        let (seq, prev) = match last_line(&path)? {
            None => (0, GENESIS.to_string()),
            Some(line) => {
                let rec: Record = serde_json::from_str(&line).map_err(|e| {
                    Error::state(
                        &path,
                        format!("the last line is not a run log record: {e}"),
                        HELP,
                    )
                })?;
                if chain_hash(rec.seq, &rec.prev, rec.entry.get()) != rec.hash {
                    return Err(Error::state(
                        &path,
                        "the last line does not match its hash (edited?)".to_string(),
                        HELP,
                    ));
                }
                (rec.seq, rec.hash)
            }
        };
        Ok(RunLog { path, seq, prev })
    }

    /// Appends one entry and syncs it to disk. Returns its hash.
    pub fn append<T: Serialize>(&mut self, entry: &T) -> Result<String, Error> {
        let entry = serde_json::to_string(entry).expect("run log entry serialises");
        let seq = self.seq + 1;
        let hash = chain_hash(seq, &self.prev, &entry);
        let line = format!(
            "{{\"seq\":{seq},\"prev\":\"{}\",\"hash\":\"{hash}\",\"entry\":{entry}}}\n",
            self.prev
        );
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io("cannot create directory", dir, e))?;
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| Error::io("cannot open run log", &self.path, e))?;
        // One write of the whole line: O_APPEND keeps concurrent appends whole.
        f.write_all(line.as_bytes())
            .and_then(|_| f.sync_data())
            .map_err(|e| Error::io("cannot append to run log", &self.path, e))?;
        self.seq = seq;
        self.prev = hash.clone();
        Ok(hash)
    }
}

/// The last non-empty line, read from the end of the file.
fn last_line(path: &std::path::Path) -> Result<Option<String>, Error> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read run log", path, e)),
    };
    let len = f
        .metadata()
        .map_err(|e| Error::io("cannot stat", path, e))?
        .len();
    let mut window: u64 = 64 * 1024;
    loop {
        let start = len.saturating_sub(window);
        f.seek(SeekFrom::Start(start))
            .map_err(|e| Error::io("cannot read run log", path, e))?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)
            .map_err(|e| Error::io("cannot read run log", path, e))?;
        let text = String::from_utf8_lossy(&buf);
        let trimmed = text.trim_end_matches('\n');
        match trimmed.rfind('\n') {
            Some(i) => return Ok(Some(trimmed[i + 1..].to_string())),
            None if start == 0 => return Ok((!trimmed.is_empty()).then(|| trimmed.to_string())),
            None => window *= 4,
        }
    }
}

/// A verified line: its 1-based number, the record, and its entry parsed.
pub type LogLine = (usize, Record, serde_json::Value);

/// One problem found while verifying the chain.
#[derive(Debug, Clone, Serialize)]
pub struct ChainProblem {
    pub line: usize,
    pub message: String,
}

/// Reads and verifies the whole log: returns the parsed records (line number, record, entry as
/// JSON) and every chain problem found.
pub fn verify(ws: &Workspace) -> Result<(Vec<LogLine>, Vec<ChainProblem>), Error> {
    let path = ws.runlog_path();
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(Error::io("cannot read run log", &path, e)),
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut seq = 0u64;
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| Error::io("cannot read run log", &path, e))?;
        if line.trim().is_empty() {
            problems.push(ChainProblem {
                line: n,
                message: "empty line".into(),
            });
            continue;
        }
        let rec: Record = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                problems.push(ChainProblem {
                    line: n,
                    message: format!("not a run log record: {e}"),
                });
                continue;
            }
        };
        if rec.seq != seq + 1 {
            problems.push(ChainProblem {
                line: n,
                message: format!(
                    "sequence number {} where {} was expected (a line was removed or reordered)",
                    rec.seq,
                    seq + 1
                ),
            });
        }
        if rec.prev != prev {
            problems.push(ChainProblem {
                line: n,
                message: "does not chain to the previous line (a line before it was removed, edited or reordered)".into(),
            });
        }
        let actual = chain_hash(rec.seq, &rec.prev, rec.entry.get());
        if actual != rec.hash {
            problems.push(ChainProblem {
                line: n,
                message: format!("content does not match its hash (edited after it was written): recorded {}, computed {}", &rec.hash[..12.min(rec.hash.len())], &actual[..12]),
            });
        }
        seq = rec.seq;
        prev = rec.hash.clone();
        let value: serde_json::Value = serde_json::from_str(rec.entry.get()).unwrap_or_default();
        records.push((n, rec, value));
    }
    Ok((records, problems))
}
