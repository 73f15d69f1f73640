//! What a file a command runs runs in turn: the interpreter its `#!` line names, the files a
//! shell script sources (`. lib.sh`, `source lib.sh`) and the files a makefile includes.
//!
//! Reads are bounded: the first line (at most [`LINE`] bytes) for `#!`, at most [`TEXT`]
//! bytes of a shell script or makefile, nothing of a file that holds a NUL byte there
//! (a binary). A file that cannot be read yields nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::env;
use super::parse::{self, base, Kind, Mention, Named, SHELLS};

/// How many files deep a chain of `#!` lines, sources and includes is followed.
pub const MAX_DEPTH: usize = 8;
/// The most of a first line read for `#!` (Linux reads 256 bytes).
const LINE: u64 = 1024;
/// The most of a shell script or makefile read for what it sources or includes.
const TEXT: u64 = 1 << 20;

/// Extensions of shell scripts.
const SHELL_EXTENSIONS: &[&str] = &["sh", "bash", "zsh", "ksh", "dash"];

/// What a file yields, by (file, where it runs, how it is read), kept while its stat says
/// unchanged: planning 100,000 instances of `sh scripts/x.sh {p}` reads the script once.
type Key = (PathBuf, String, Kind);
type Memo = HashMap<Key, (Stamp, Vec<Mention>)>;
static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();

/// A file's size, modification and change times and inode.
type Stamp = (u64, Option<SystemTime>, i64, i64, u64);

fn stamp(p: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(p).ok()?;
    #[cfg(unix)]
    let (ctime, ctime_ns, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.ctime(), m.ctime_nsec(), m.ino())
    };
    #[cfg(not(unix))]
    let (ctime, ctime_ns, ino) = (0, 0, 0);
    Some((m.len(), m.modified().ok(), ctime, ctime_ns, ino))
}

/// Forgets what was read (see [`super::forget`]).
pub fn forget() {
    if let Some(m) = MEMO.get() {
        m.lock().expect("read memo").clear();
    }
}

/// What `file` (found for `m`) runs in turn: see the module docs.
pub(super) fn derived(root: &Path, file: &Path, m: &Mention) -> Vec<Mention> {
    let key = (file.to_path_buf(), m.cwd.clone(), m.kind);
    let before = stamp(file);
    let memo = MEMO.get_or_init(Default::default);
    if let Some((s, d)) = memo.lock().expect("read memo").get(&key) {
        if before.as_ref() == Some(s) {
            return d.clone();
        }
    }
    let d = read(root, file, m);
    // Kept only when the file is not being written now (a change within the clock's
    // resolution could leave the stat as it was).
    let settled = before.as_ref().is_some_and(|s| {
        s.1.and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(2))
    });
    if settled && stamp(file) == before {
        memo.lock()
            .expect("read memo")
            .insert(key, (before.expect("settled"), d.clone()));
    }
    d
}

pub(super) fn bounded(file: &Path, limit: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Ok(f) = std::fs::File::open(file) {
        let _ = f.take(limit).read_to_end(&mut buf);
    }
    buf
}

/// The interpreter a `#!` line names, and the program `env` runs (`#!/usr/bin/env -S python3
/// -u`): the words to resolve, and the name of what finally interprets the file.
pub fn shebang(head: &[u8]) -> Option<(Vec<String>, String)> {
    let line = head.strip_prefix(b"#!")?;
    let line = line.split(|&b| b == b'\n').next().unwrap_or(line);
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let interp = words.next()?.to_string();
    let mut out = vec![interp.clone()];
    let mut name = base(&interp).to_string();
    if name == "env" {
        let rest: Vec<&str> = words.collect();
        let mut k = 0;
        while let Some(&w) = rest.get(k) {
            k += 1;
            match w {
                "-u" | "--unset" | "-C" | "--chdir" => k += 1,
                "-S" | "--split-string" | "--" => {}
                w if w.starts_with("-S") => {
                    // `-Spython3`: the program is glued on.
                    out.push(w[2..].to_string());
                    name = base(&w[2..]).to_string();
                    break;
                }
                w if w.starts_with('-') || parse::is_assignment(w) => {}
                w => {
                    out.push(w.to_string());
                    name = base(w).to_string();
                    break;
                }
            }
        }
    }
    Some((out, name))
}

fn read(root: &Path, file: &Path, m: &Mention) -> Vec<Mention> {
    let mut out = Vec::new();
    let head = bounded(file, LINE);
    let word = m.named.word();
    let mut shell = matches!(m.kind, Kind::Shell | Kind::Sourced);
    if let Some((words, name)) = shebang(&head) {
        for w in words {
            let named = if w.contains('/') {
                Named::Program(joined(&m.cwd, &w))
            } else {
                Named::Program(w)
            };
            out.push(Mention {
                named,
                cwd: m.cwd.clone(),
                kind: Kind::Plain,
            });
        }
        shell |= SHELLS.contains(&name.as_str());
    }
    let ext = base(word).rsplit_once('.').map(|(_, e)| e);
    shell |= ext.is_some_and(|e| SHELL_EXTENSIONS.contains(&e));
    if !shell && m.kind != Kind::Makefile {
        return out;
    }
    let bytes = bounded(file, TEXT);
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return out; // a binary
    }
    let text = String::from_utf8_lossy(&bytes);
    if shell {
        // Its own directory, as the command names it (a program found on PATH: where it is).
        let dir = match word.rsplit_once('/') {
            Some((d, _)) => d.to_string(),
            None if matches!(m.named, Named::Program(_)) => file
                .parent()
                .map(|p| {
                    p.strip_prefix(root)
                        .unwrap_or(p)
                        .to_string_lossy()
                        .into_owned()
                })
                .unwrap_or_default(),
            None => String::new(),
        };
        out.extend(
            parse::mentions(&text, &env::process, &m.cwd, Some(&dir))
                .into_iter()
                .filter(|s| s.kind == Kind::Sourced),
        );
    }
    if m.kind == Kind::Makefile {
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = ["include", "-include", "sinclude"]
                .iter()
                .find_map(|d| line.strip_prefix(d))
                .filter(|r| r.starts_with([' ', '\t']))
            else {
                continue;
            };
            let rest = rest.split('#').next().unwrap_or(rest);
            for name in rest.split_whitespace() {
                if name.contains(['$', '*', '?', '[']) {
                    continue; // computed or a pattern: declare it as an input
                }
                // Read as a makefile in turn: its own includes are followed too.
                out.push(Mention {
                    named: Named::Script(joined(&m.cwd, name)),
                    cwd: m.cwd.clone(),
                    kind: Kind::Makefile,
                });
            }
        }
    }
    out
}

fn joined(dir: &str, word: &str) -> String {
    parse::joined(dir, word)
}
