//! The programs and scripts a `cmd` node runs, as part of its fingerprint.
//!
//! A `cmd` is a shell command: what it writes depends on the programs it calls as much as on its
//! text. A stage's code version covers the stage's source and toolchain; for a `cmd` the
//! equivalent is the bytes of what it executes. Bazel treats tools as inputs for the same reason.
//! So the fingerprint of a `cmd` instance records, by the word the command uses:
//!
//! - each *program*: the first word of every simple command (after `VAR=x` assignments, shell
//!   keywords and the wrappers and launchers `env`, `exec`, `command`, `time`, `nice`, `nohup`,
//!   `timeout`, `taskset`, `flock`, `xargs`, `srun`, `mpirun`, ... with their options), resolved as `sh` would (a word with a `/` from the workspace root or
//!   the directory an earlier `cd` moved to, else the first executable file of that name on
//!   `PATH`, relative `PATH` entries from the workspace root), hashed through symlinks: a new
//!   `python3`, a rebuilt tool, another one earlier on `PATH` reruns the node;
//! - each *script* named on the command line: a word (or the value of `--opt=FILE`) with a
//!   script or configuration extension (`.py`, `.R`, `.sh`, `.sql`, `.yaml`, `.json`, `.toml`,
//!   `.jq`, `.mk`, ...) naming an existing file, or the operand of a shell (`sh FILE`), unless
//!   it is what the command writes (after `>`, `>>`, `-o`, `--output`) or one of the node's
//!   declared inputs (already hashed) or outputs;
//! - the string of `sh -c STRING` (and `bash`, `dash`, `zsh`, `ksh`), read as a command;
//! - for `make`, the makefile it reads (`-f`, else `GNUmakefile`/`makefile`/`Makefile` in its
//!   `-C` directory);
//! - what those run in turn (the `read` module): the interpreter on a file's `#!` line, the files a
//!   shell script sources and the files a makefile includes.
//!
//! A word holding an environment variable is expanded as the shell would (`$TOOL x` runs what
//! `$TOOL` names), and the variables themselves are in the fingerprint too ([`mod@env`]). Words
//! that resolve to nothing (shell builtins, keywords), comments and heredoc bodies are left
//! out, as are programs chosen at run time (`$(which x)`, a variable the command sets), what a
//! script imports or opens (declare it as an input), what a make recipe runs, the
//! interpreter behind an environment manager (`uv run`, `conda run`: declare its lock file), the libraries a
//! program loads (Python packages: declare a lock file such as `requirements.txt` as an input)
//! and, under Slurm, the compute node's own `PATH` (the submitting host's is the one resolved).
//! A file the command itself rewrites and runs must be one of its declared outputs, or it would
//! look changed at every run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::hashcache::HashCache;
use super::workspace::Workspace;

/// One thing a command names, as resolved now.
#[derive(Debug, Clone)]
pub struct Found {
    pub named: Named,
    /// The file it resolves to, if any.
    pub file: Option<PathBuf>,
    /// What was looked at to resolve it: `PATH` entries up to the one holding it (all of them
    /// when none does) and any file of that name passed over as not executable, or the
    /// directory a path names; and a file found but unreadable. A change there could change what
    /// the word resolves to.
    pub searched: Vec<PathBuf>,
    /// A shell script the command runs or sources (`sh job`, `sh < job`, `. lib.sh`): the
    /// variables it expands are the command's too ([`env_hashes`]).
    pub shell: bool,
}

/// Resolves one named word: a path (absolute, or relative to the workspace root) when it has a
/// `/` or is a script; else the first executable file of that name on `path`.
pub fn resolve(named: &Named, root: &Path, path: Option<&std::ffi::OsStr>) -> Found {
    let word = named.word();
    if word.contains('/') || matches!(named, Named::Script(_)) {
        let p = Path::new(word);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        };
        let searched = abs.parent().map(Path::to_path_buf).into_iter().collect();
        return Found {
            named: named.clone(),
            file: abs.is_file().then_some(abs),
            searched,
            shell: false,
        };
    }
    let mut searched = Vec::new();
    let mut file = None;
    for dir in path.map(std::env::split_paths).into_iter().flatten() {
        // `sh` runs in the workspace root: relative entries (`.venv/bin`) are relative to it.
        let dir = if dir.is_relative() {
            root.join(dir)
        } else {
            dir
        };
        let candidate = dir.join(word);
        searched.push(dir);
        if is_executable(&candidate) {
            file = Some(candidate);
            break;
        }
        // A file `sh` passes over (not executable) would be taken after a `chmod +x`: it is
        // watched too (its ctime moves).
        if candidate.exists() {
            searched.push(candidate);
        }
    }
    Found {
        named: named.clone(),
        file,
        searched,
        shell: false,
    }
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Whether a word names `path` or a file under it (both workspace-relative).
fn under(word: &str, path: &str) -> bool {
    let w = word.trim_start_matches("./");
    let p = path.trim_start_matches("./").trim_end_matches('/');
    w == p || w.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
}

/// Programs found on `PATH`, by (workspace root, word), for the life of the process: planning
/// 100,000 instances of one `cmd` searches `PATH` once, not 100,000 times. Only bare program
/// names resolved entirely outside the workspace are kept (an upstream instance may write into
/// the workspace during a run); the certificate forgets them all before it vouches.
type Memo = HashMap<(PathBuf, String), Found>;
static ON_PATH: OnceLock<Mutex<Memo>> = OnceLock::new();
/// Cache keys of files outside the workspace (their canonical paths), likewise.
type Keys = HashMap<(PathBuf, PathBuf), (String, PathBuf)>;
static KEYS: OnceLock<Mutex<Keys>> = OnceLock::new();
/// System programs' hashes, likewise, and whether this process hashed the file itself (not a
/// hash-cache entry taken by stat): only such a one serves [`hashes_with`]'s `verify`.
static SYSTEM: OnceLock<Mutex<HashMap<String, (String, bool)>>> = OnceLock::new();
/// Workspace roots' canonical paths.
static ROOTS: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();

/// Forgets what this process learned about programs outside the workspace. A long-lived front
/// end (a web UI planning on every request) calls it before each plan, so an upgrade made while
/// it runs is seen.
pub fn forget() {
    if let Some(m) = ON_PATH.get() {
        m.lock().expect("tool memo").clear();
    }
    if let Some(m) = KEYS.get() {
        m.lock().expect("key memo").clear();
    }
    if let Some(m) = SYSTEM.get() {
        m.lock().expect("hash memo").clear();
    }
    if let Some(m) = ROOTS.get() {
        m.lock().expect("root memo").clear();
    }
    read::forget();
}

/// Everything `cmd` names, resolved now, except the node's declared inputs and outputs
/// (`declared`, workspace-relative): each is hashed (inputs) or written (outputs) already. A
/// file that cannot be read (an execute-only program) resolves to nothing. What a found file
/// runs in turn is found too (`read::derived`): the interpreter its `#!` line names, the
/// files a shell script sources and the files a makefile includes, to `read::MAX_DEPTH` (8) levels.
pub fn found(ws: &Workspace, cmd: &str, declared: &[&str]) -> Vec<Found> {
    let path = std::env::var_os("PATH");
    let resolve_now = |n: &Named| {
        let mut f = resolve(n, &ws.root, path.as_deref());
        if let Some(p) = f.file.take() {
            if std::fs::File::open(&p).is_ok() {
                f.file = Some(p);
            } else {
                f.searched.push(p); // execute-only: a `chmod +r` would make it one
            }
        }
        f
    };
    let resolve_memo = |n: &Named| match n {
        Named::Program(w) if !w.contains('/') => {
            let memo = ON_PATH.get_or_init(Default::default);
            let key = (ws.root.clone(), w.clone());
            if let Some(f) = memo.lock().expect("tool memo").get(&key) {
                return f.clone();
            }
            let f = resolve_now(n);
            // Only what lies outside the workspace: an upstream instance may install a
            // program into `.venv/bin` (a relative PATH entry) while the run goes on.
            let outside = |p: &PathBuf| !p.starts_with(&ws.root);
            if f.searched.iter().all(outside) && f.file.iter().all(outside) {
                memo.lock().expect("tool memo").insert(key, f.clone());
            }
            f
        }
        _ => resolve_now(n),
    };
    let mut queue: std::collections::VecDeque<(parse::Mention, usize)> =
        parse::mentions(cmd, &env::process, "", None)
            .into_iter()
            .map(|m| (m, 0))
            .collect();
    let mut out: Vec<Found> = Vec::new();
    let mut recorded: HashSet<String> = HashSet::new();
    let mut followed: HashSet<(String, parse::Kind, String)> = HashSet::new();
    while let Some((m, depth)) = queue.pop_front() {
        let word = m.named.word().to_string();
        if !followed.insert((word.clone(), m.kind, m.cwd.clone())) {
            continue;
        }
        let mut f = resolve_memo(&m.named);
        f.shell = matches!(m.kind, parse::Kind::Shell | parse::Kind::Sourced);
        // A version manager's shim: the program it runs from here, too ([`shim`]).
        if let (Named::Program(w), Some(file)) = (&m.named, f.file.clone()) {
            // Asked from where the command is when it runs the shim (`cd sub && python3 x`).
            let at = if m.cwd.is_empty() {
                ws.root.clone()
            } else {
                ws.root.join(&m.cwd)
            };
            if let Some(real) = shim::target(&at, &file, parse::base(w)) {
                f.searched.extend(shim::consulted(&at, &file));
                let named = Named::Program(real.to_string_lossy().into_owned());
                let kind = m.kind;
                queue.push_back((
                    parse::Mention {
                        named,
                        cwd: m.cwd.clone(),
                        kind,
                    },
                    depth + 1,
                ));
            }
        }
        // A declared input is hashed already, but what it runs is followed all the same.
        if depth < read::MAX_DEPTH {
            if let Some(file) = &f.file {
                queue.extend(
                    read::derived(&ws.root, file, &m)
                        .into_iter()
                        .map(|d| (d, depth + 1)),
                );
            }
        }
        if declared.iter().any(|d| under(&word, d)) || !recorded.insert(word) {
            continue;
        }
        out.push(f);
    }
    out
}

/// The hash cache key of a resolved tool: its workspace-relative path inside the workspace (the
/// key an input of that path would have), else its canonical absolute path.
pub fn cache_key(ws: &Workspace, abs: &Path) -> (String, PathBuf) {
    // Outside the workspace (system programs) the answer is kept for the process, as above.
    let memo = (!abs.starts_with(&ws.root)).then(|| KEYS.get_or_init(Default::default));
    let key = (ws.root.clone(), abs.to_path_buf());
    if let Some(k) = memo.and_then(|m| m.lock().expect("key memo").get(&key).cloned()) {
        return k;
    }
    let canonical = std::fs::canonicalize(abs).unwrap_or_else(|_| abs.to_path_buf());
    // The root's own canonical path, once a process rather than once a script an instance runs.
    let roots = ROOTS.get_or_init(Default::default);
    let root = roots
        .lock()
        .expect("root memo")
        .entry(ws.root.clone())
        .or_insert_with(|| std::fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone()))
        .clone();
    let k = match canonical.strip_prefix(&root) {
        Ok(rel) => (rel.to_string_lossy().replace('\\', "/"), canonical),
        Err(_) => (canonical.to_string_lossy().to_string(), canonical),
    };
    if let Some(m) = memo {
        m.lock().expect("key memo").insert(key, k.clone());
    }
    k
}

/// Every program and script `cmd` runs, by its word, with the blake3 of the file it resolves
/// to now; `declared` are the node's inputs and outputs (workspace-relative).
pub fn hashes(
    ws: &Workspace,
    cache: &mut HashCache,
    cmd: &str,
    declared: &[&str],
) -> std::io::Result<BTreeMap<String, String>> {
    hashes_with(ws, cache, cmd, declared, false)
}

/// [`hashes`], each file through [`HashCache::file_verified`] when `verify` (for a command
/// about to run: a tester rewrote a script and its entry in the hash cache, and the run
/// recorded the old script's hash for output the new one made).
pub fn hashes_with(
    ws: &Workspace,
    cache: &mut HashCache,
    cmd: &str,
    declared: &[&str],
    verify: bool,
) -> std::io::Result<BTreeMap<String, String>> {
    Ok(hashes_and_env(ws, cache, cmd, declared, verify, &env::process)?.0)
}

/// [`hashes_with`], and the variables the command reads with their hashes ([`env_hashes`]),
/// from one reading of the command.
pub fn hashes_and_env(
    ws: &Workspace,
    cache: &mut HashCache,
    cmd: &str,
    declared: &[&str],
    verify: bool,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> std::io::Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let system = SYSTEM.get_or_init(Default::default);
    let mut out = BTreeMap::new();
    let found = found(ws, cmd, declared);
    let vars = env_hashes(cmd, &found, lookup);
    for f in found {
        let Some(abs) = f.file else { continue };
        let (key, file) = cache_key(ws, &abs);
        let outside = Path::new(&key).is_absolute();
        let known = outside
            .then(|| system.lock().expect("hash memo").get(&key).cloned())
            .flatten()
            .filter(|(_, verified)| *verified || !verify);
        let hash = match known {
            Some((h, _)) => Some(h),
            None if verify => cache.file_verified(&key, &file)?,
            None => cache.file(&key, &file)?,
        };
        if let Some(h) = hash {
            if outside {
                let mut memo = system.lock().expect("hash memo");
                let verified = verify || memo.get(&key).is_some_and(|(_, v)| *v);
                memo.insert(key, (h.clone(), verified));
            }
            out.insert(f.named.word().to_string(), h);
        }
    }
    Ok((out, vars))
}

/// The variables `cmd` reads ([`env::reads`]) and those the shell scripts it runs or sources
/// expand (`sh job` whose `job` says `$ROWS`: until 2026-12-07 only the command's own text
/// counted), each with the hash of its value in `lookup`.
pub fn env_hashes(
    cmd: &str,
    found: &[Found],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    let mut names = env::reads(cmd);
    for f in found.iter().filter(|f| f.shell) {
        if let Some(file) = &f.file {
            let text = read::bounded(file, 1 << 20);
            names.extend(env::reads(&String::from_utf8_lossy(&text)));
        }
    }
    env::hashes_of(names, lookup)
}

pub mod env;
mod nested;
mod operands;
mod parse;
pub(crate) mod read;
pub mod shim;
mod split;
mod vocabulary;
pub use parse::{named, named_with, Named};
#[cfg(test)]
mod tests;
