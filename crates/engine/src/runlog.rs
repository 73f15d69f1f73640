//! `cache/runlog.jsonl`: an append-only, hash-chained record of every instance run and every run.
//!
//! Each line is `{"seq":N,"prev":H(N-1),"hash":H(N),"entry":{...}}` where
//! `H(N) = blake3("N\n" + H(N-1) + "\n" + entry bytes)` over the entry exactly as written. Editing,
//! deleting or reordering a line breaks the chain at that line, which `gosales audit` reports.
//! Nothing signs it: whoever can write the file can rewrite it and recompute every hash. Truncating
//! the tail, or such a rewrite, is detected only against a head kept outside the workspace
//! (`gosales audit --head`, in `audit/anchor.rs`).

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::entry::{Entry, RepairEntry};
use super::workspace::Workspace;
use crate::error::{Error, StateFile};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub prev: String,
    pub hash: String,
    pub entry: Box<RawValue>,
}

impl Record {
    /// The line as [`RunLog::append`] writes it, without its newline.
    pub fn line(&self) -> String {
        envelope(self.seq, &self.prev, &self.hash, self.entry.get())
    }
}

fn envelope(seq: u64, prev: &str, hash: &str, entry: &str) -> String {
    format!("{{\"seq\":{seq},\"prev\":\"{prev}\",\"hash\":\"{hash}\",\"entry\":{entry}}}")
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
    /// Opens the log for appending after verifying its whole chain: a line edited, removed or
    /// reordered anywhere refuses the run (exit 4), as `audit` would report it.
    ///
    /// A torn last line (an append cut short by a crash mid-write) is repaired instead of
    /// refusing every later run: a complete record missing only its newline gets it; a line
    /// that is no whole record is cut off; a whole record that does not chain is an edit
    /// (exit 4). Either way a `repair` entry records what was done, so the chain stays
    /// whole and the repair itself is auditable.
    pub fn open(ws: &Workspace) -> Result<RunLog, Error> {
        let path = ws.runlog_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(RunLog {
                    path,
                    seq: 0,
                    prev: GENESIS.to_string(),
                })
            }
            Err(e) => return Err(Error::io("cannot read run log", &path, e)),
        };
        let body_len = body_len(&bytes);
        let (seq, prev) = verify_since_checkpoint(&bytes[..body_len], &path)?;
        let mut log = RunLog { path, seq, prev };
        let tail = &bytes[body_len..];
        // Whitespace after the last record (a blank line from `echo >> runlog.jsonl`, an
        // editor's trailing newline) is no record either: cut off (and recorded) like any torn
        // tail, as the audit would call it an empty line.
        if tail.is_empty() {
            return Ok(log);
        }
        let blank = tail.iter().all(u8::is_ascii_whitespace);
        let whole = whole_tail(&bytes, body_len, &log)?;
        let mut f = OpenOptions::new()
            .write(true)
            .open(&log.path)
            .map_err(|e| Error::io("cannot repair run log", &log.path, e))?;
        let kept = whole.is_some();
        let what = match whole {
            Some(rec) => {
                f.seek(SeekFrom::End(0))
                    .and_then(|_| f.write_all(b"\n"))
                    .and_then(|_| f.sync_data())
                    .map_err(|e| Error::io("cannot repair run log", &log.path, e))?;
                log.seq = rec.seq;
                log.prev = rec.hash;
                "the last record was complete but had no newline: newline added"
            }
            None => {
                f.set_len(body_len as u64)
                    .and_then(|_| f.sync_data())
                    .map_err(|e| Error::io("cannot repair run log", &log.path, e))?;
                if blank {
                    "whitespace after the last record (blank lines): removed"
                } else {
                    "the last line was torn (an append cut short): removed"
                }
            }
        };
        log.append(&Entry::Repair(RepairEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            what: what.into(),
            removed_bytes: if kept { 0 } else { tail.len() },
            removed_blake3: (!kept).then(|| blake3::hash(tail).to_hex().to_string()),
        }))?;
        Ok(log)
    }

    /// Verifies the chain as [`RunLog::open`] does (from the checkpoint, the last line
    /// included), without repairing anything: what a read-only command (`status`, `run -n`)
    /// must refuse is what a run would. A torn tail is no error: a run repairs it.
    pub fn check(ws: &Workspace) -> Result<(), Error> {
        let path = ws.runlog_path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io("cannot read run log", &path, e)),
        };
        let body_len = body_len(&bytes);
        let (seq, prev) = verify_since_checkpoint(&bytes[..body_len], &path)?;
        whole_tail(&bytes, body_len, &RunLog { path, seq, prev }).map(|_| ())
    }

    /// Appends one entry and syncs it to disk. Returns its hash. A failed append (a full disk)
    /// truncates the file back to where it was, so it never leaves a torn line behind.
    pub fn append<T: Serialize>(&mut self, entry: &T) -> Result<String, Error> {
        let entry = serde_json::to_string(entry).expect("run log entry serialises");
        let seq = self.seq + 1;
        let hash = chain_hash(seq, &self.prev, &entry);
        let line = envelope(seq, &self.prev, &hash, &entry) + "\n";
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io("cannot create directory", dir, e))?;
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| Error::io("cannot open run log", &self.path, e))?;
        let before = f
            .metadata()
            .map_err(|e| Error::io("cannot append to run log", &self.path, e))?
            .len();
        // One write of the whole line: O_APPEND keeps concurrent appends whole.
        if let Err(e) = f.write_all(line.as_bytes()).and_then(|_| f.sync_data()) {
            let _ = f.set_len(before).and_then(|_| f.sync_data());
            return Err(Error::io("cannot append to run log", &self.path, e));
        }
        self.seq = seq;
        self.prev = hash.clone();
        Ok(hash)
    }
}

/// The tail after the last newline parsed as a whole record, when it is one: `Err` when it
/// is one that does not chain (an edit of the last record, its newline dropped so that it
/// looked torn), `Ok(None)` when it is no record (a torn append, blank lines).
fn whole_tail(bytes: &[u8], body_len: usize, log: &RunLog) -> Result<Option<Record>, Error> {
    // An append cut short leaves a prefix of a line, which never parses as a whole record.
    // A line that does parse but does not chain was written by someone else: refused as an
    // edit anywhere else is, never cut away as a tear (that erased the evidence).
    let Some(r) = serde_json::from_slice::<Record>(&bytes[body_len..]).ok() else {
        return Ok(None);
    };
    let n = bytes[..body_len].iter().filter(|&&b| b == b'\n').count() + 1;
    if r.seq != log.seq + 1 || r.prev != log.prev {
        return Err(Error::state(
            StateFile::RunLog,
            &log.path,
            format!("line {n} (the last, without its newline) does not chain to the line before it (a line was removed, edited or reordered)"),
        ));
    }
    if chain_hash(r.seq, &r.prev, r.entry.get()) != r.hash {
        return Err(Error::state(
            StateFile::RunLog,
            &log.path,
            format!("line {n} (the last, without its newline) does not match its hash (edited?): a torn append never parses as a whole record"),
        ));
    }
    // As any other line: nothing but what `append` writes around the entry.
    if let Some(why) = not_as_written(bytes[body_len..].trim_ascii_end(), &r) {
        return Err(Error::state(
            StateFile::RunLog,
            &log.path,
            format!("line {n} (the last, without its newline) {why}"),
        ));
    }
    Ok(Some(r))
}

/// How many leading bytes of the log are whole lines holding records: up to the newline after
/// the last non-whitespace byte. What follows is a torn line or whitespace-only lines, both
/// repaired rather than refused; a blank line *between* records stays an edit (exit 4).
fn body_len(bytes: &[u8]) -> usize {
    let Some(last) = bytes.iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return 0;
    };
    match bytes[last..].iter().position(|&b| b == b'\n') {
        Some(nl) => last + nl + 1,
        // The last record lost its newline (or is torn): the body ends before its line.
        None => bytes[..last]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1),
    }
}

/// Where the chain was last verified: the first `len` bytes (`lines` lines, hashing to
/// `blake3`) end with record `seq` whose hash is `prev`.
#[derive(Debug, Serialize, Deserialize)]
struct Checkpoint {
    /// What the verification covered: 2 since lines are checked byte for byte around their
    /// entry. Required, so that a checkpoint of an older check (which let a CRLF line or a
    /// field beside `entry` pass) fails to parse and the whole log is verified again.
    format: u32,
    len: usize,
    lines: usize,
    blake3: String,
    seq: u64,
    prev: String,
}

const CHECKPOINT_FORMAT: u32 = 2;

fn checkpoint_path(log: &std::path::Path) -> std::path::PathBuf {
    log.with_file_name("runlog.verified")
}

/// Verifies the chain from the last checkpoint when the bytes before it are unchanged (one
/// blake3 pass instead of parsing every record: a run's cost must not grow with the history),
/// and from the start otherwise; then moves the checkpoint to the end. `gosales audit` always
/// verifies every line.
fn verify_since_checkpoint(body: &[u8], path: &std::path::Path) -> Result<(u64, String), Error> {
    let cp_path = checkpoint_path(path);
    let cp: Option<Checkpoint> = std::fs::read(&cp_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|c: &Checkpoint| c.format == CHECKPOINT_FORMAT && c.len <= body.len());
    let mut hasher = blake3::Hasher::new();
    let start = match cp {
        Some(c)
            if hasher
                .update_rayon(&body[..c.len])
                .finalize()
                .to_hex()
                .as_str()
                == c.blake3 =>
        {
            c
        }
        _ => {
            hasher.reset();
            Checkpoint {
                format: CHECKPOINT_FORMAT,
                len: 0,
                lines: 0,
                blake3: String::new(),
                seq: 0,
                prev: GENESIS.to_string(),
            }
        }
    };
    let rest = &body[start.len..];
    let (seq, prev) = check_chain(rest, path, start.seq, start.prev, start.lines)?;
    let fresh = Checkpoint {
        format: CHECKPOINT_FORMAT,
        len: body.len(),
        lines: start.lines + rest.iter().filter(|&&b| b == b'\n').count(),
        blake3: hasher.update_rayon(rest).finalize().to_hex().to_string(),
        seq,
        prev: prev.clone(),
    };
    // Only an accelerator: a lost or stale checkpoint means a full verification next time.
    let _ = super::workspace::write_atomic(
        &cp_path,
        &serde_json::to_vec(&fresh).expect("checkpoint serialises"),
    );
    Ok((seq, prev))
}

/// Verifies complete lines, starting after record `seq` (hash `prev`) at line `line0`:
/// `(last seq, last hash)`, or the first problem as a state error.
fn check_chain(
    body: &[u8],
    path: &std::path::Path,
    mut seq: u64,
    mut prev: String,
    line0: usize,
) -> Result<(u64, String), Error> {
    let lines = body.split(|&b| b == b'\n').count();
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let n = line0 + i + 1;
        // The piece after the final newline is empty. Any other blank line was put there: the
        // audit reports it, so a run must not append after it as if the chain were whole.
        if line.iter().all(u8::is_ascii_whitespace) {
            if i + 1 == lines {
                continue;
            }
            return Err(Error::state(
                StateFile::RunLog,
                path,
                format!("line {n} is empty (a line was inserted or one's content removed)"),
            ));
        }
        let rec: Record = serde_json::from_slice(line).map_err(|e| {
            Error::state(
                StateFile::RunLog,
                path,
                format!("line {n} is not a run log record: {e}"),
            )
        })?;
        if rec.seq != seq + 1 || rec.prev != prev {
            return Err(Error::state(
                StateFile::RunLog,
                path,
                format!("line {n} does not chain to the line before it (a line was removed, edited or reordered)"),
            ));
        }
        if chain_hash(rec.seq, &rec.prev, rec.entry.get()) != rec.hash {
            return Err(Error::state(
                StateFile::RunLog,
                path,
                format!("line {n} does not match its hash (edited?)"),
            ));
        }
        if let Some(why) = not_as_written(line, &rec) {
            return Err(Error::state(
                StateFile::RunLog,
                path,
                format!("line {n} {why}"),
            ));
        }
        seq = rec.seq;
        prev = rec.hash;
    }
    Ok((seq, prev))
}

/// Why a line that parses as `rec` is not the line `append` wrote for it, if it is not: only
/// the entry is hashed, so anything else in the line (a field beside `entry`, a CR line end,
/// spacing) is vouched for by nothing.
fn not_as_written(line: &[u8], rec: &Record) -> Option<String> {
    let written = rec.line();
    if line == written.as_bytes() {
        return None;
    }
    Some(if line.strip_suffix(b"\r") == Some(written.as_bytes()) {
        // A CRLF conversion (a checkout with `eol=crlf`, an editor) keeps every hashed byte:
        // taking the CRs off restores the chain exactly.
        "ends in a carriage return (the log was converted to CRLF line ends): `sed -i 's/\\r$//' cache/runlog.jsonl` restores it".to_string()
    } else {
        "holds bytes outside its hashed entry that the run log never writes (a field added beside `entry`, spacing): the chain does not cover them".to_string()
    })
}

/// A verified line: its 1-based number, the record, and its entry parsed.
pub type LogLine = (usize, Record, Entry);

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
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(Error::io("cannot read run log", &path, e)),
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut seq = 0u64;
    // Lines as bytes: one byte that is not UTF-8 is an edit of that line, reported with its
    // number, not a read error of the whole log (it was exit 6, "filesystem error", no line).
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let body_end = lines
        .iter()
        .rposition(|l| !l.iter().all(u8::is_ascii_whitespace))
        .map_or(0, |i| i + 1);
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            problems.push(ChainProblem {
                line: n,
                message: if i >= body_end {
                    format!(
                        "blank line after the last record (no record is lost: `{}` removes it and records the repair)",
                        crate::advice::run()
                    )
                } else {
                    "empty line between records (a line was inserted or one's content removed)".into()
                },
            });
            continue;
        }
        let Ok(line) = std::str::from_utf8(raw) else {
            problems.push(ChainProblem {
                line: n,
                message: "not UTF-8 text (a byte was edited)".into(),
            });
            continue;
        };
        let rec: Record = match serde_json::from_str(line) {
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
                message: format!("content does not match its hash (edited after it was written): recorded {}, computed {}", short(&rec.hash), short(&actual)),
            });
        }
        // Only the entry is hashed; the rest of the line is what `append` writes around it,
        // exactly. Anything else there (a field beside `entry`, a CR line end) is vouched for
        // by nothing, so a log holding it is no longer the chained one.
        if let Some(why) = not_as_written(raw, &rec) {
            problems.push(ChainProblem {
                line: n,
                message: why,
            });
        }
        seq = rec.seq;
        prev = rec.hash.clone();
        let entry = Entry::parse(rec.entry.get());
        records.push((n, rec, entry));
    }
    Ok((records, problems))
}

/// The first 12 characters of a hash for a message. By characters: a recorded hash comes from
/// a file anyone can edit, and a byte index could split a character (a panic).
fn short(hash: &str) -> &str {
    hash.char_indices()
        .nth(12)
        .map_or(hash, |(i, _)| &hash[..i])
}
