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
//! - each *script* named on the command line: a word with a script extension (`.py`, `.R`,
//!   `.sh`, `.sql`, ...) naming an existing file, unless it is what the command writes (after
//!   `>`, `>>`, `-o`, `--output`) or one of the node's declared inputs (already hashed) or
//!   outputs.
//!
//! A word holding an environment variable is expanded as the shell would (`$TOOL x` runs what
//! `$TOOL` names), and the variables themselves are in the fingerprint too ([`env`]). Words
//! that resolve to nothing (shell builtins, keywords), comments and heredoc bodies are left
//! out, as are programs chosen at run time (`$(which x)`, a variable the command sets), the
//! interpreter behind an environment manager (`uv run`, `conda run`: declare its lock file), the libraries a
//! program loads (Python packages: declare a lock file such as `requirements.txt` as an input)
//! and, under Slurm, the compute node's own `PATH` (the submitting host's is the one resolved).
//! A file the command itself rewrites and runs must be one of its declared outputs, or it would
//! look changed at every run.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::hashcache::HashCache;
use super::workspace::Workspace;

/// Extensions of the files a command runs rather than reads.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "r", "R", "jl", "sh", "bash", "zsh", "pl", "rb", "js", "mjs", "ts", "lua", "sql", "awk",
    "sed", "tcl", "php", "ipynb", "Rmd", "qmd",
];

/// Words that start a simple command but are not its program.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "[[", "]]",
];

/// Wrappers and launchers that run the program after them: their options that take an
/// argument, and how many plain arguments come before the program (`timeout 60 prog`,
/// `taskset 0x3 prog`, `flock lockfile prog`).
const WRAPPERS: &[(&str, &[&str], usize)] = &[
    (
        "env",
        &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        0,
    ),
    ("exec", &["-a"], 0),
    ("command", &[], 0),
    ("time", &["-f", "--format", "-o", "--output"], 0),
    ("nice", &["-n", "--adjustment"], 0),
    ("nohup", &[], 0),
    ("setsid", &[], 0),
    ("timeout", &["-s", "--signal", "-k", "--kill-after"], 1),
    ("stdbuf", &["-i", "-o", "-e"], 0),
    ("ionice", &["-c", "-n", "-p", "--class", "--classdata"], 0),
    ("taskset", &[], 1),
    ("chrt", &[], 1),
    (
        "flock",
        &["-w", "--timeout", "-E", "--conflict-exit-code"],
        1,
    ),
    (
        "xargs",
        &[
            "-n",
            "-P",
            "-L",
            "-I",
            "-d",
            "-a",
            "-E",
            "-s",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--delimiter",
            "--arg-file",
            "--eof",
            "--max-chars",
        ],
        0,
    ),
    (
        "srun",
        &[
            "-A",
            "-c",
            "-d",
            "-D",
            "-e",
            "-i",
            "-J",
            "-m",
            "-n",
            "-N",
            "-o",
            "-p",
            "-q",
            "-t",
            "-w",
            "-x",
            "-C",
            "-G",
            "-M",
            "-W",
            "--account",
            "--cpus-per-task",
            "--dependency",
            "--chdir",
            "--error",
            "--input",
            "--job-name",
            "--ntasks",
            "--nodes",
            "--output",
            "--partition",
            "--qos",
            "--time",
            "--mem",
            "--gres",
            "--constraint",
        ],
        0,
    ),
    (
        "mpirun",
        &[
            "-n",
            "-np",
            "-c",
            "-N",
            "-H",
            "--host",
            "--hostfile",
            "--map-by",
            "--bind-to",
        ],
        0,
    ),
    (
        "mpiexec",
        &[
            "-n",
            "-np",
            "-c",
            "-N",
            "-H",
            "--host",
            "--hostfile",
            "--map-by",
            "--bind-to",
        ],
        0,
    ),
];

/// Options after which a word names what the command writes.
const OUTPUT_FLAGS: &[&str] = &["-o", "--output", "--out", "--outfile", "--output-file"];

/// What a command names: its programs and the scripts on its command line, in order, each once.
/// A word relative to a directory an earlier `cd` moved to is joined onto it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Program(String),
    Script(String),
}

impl Named {
    pub fn word(&self) -> &str {
        match self {
            Named::Program(w) | Named::Script(w) => w,
        }
    }
}

/// The command without its heredoc bodies (`<<EOF ... EOF`), which are data, not commands.
fn without_heredocs(cmd: &str) -> String {
    let lines: Vec<&str> = cmd.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        out.push('\n');
        i += 1;
        let Some(at) = line
            .find("<<")
            .filter(|&at| !line[at + 2..].starts_with('<'))
        else {
            continue;
        };
        let rest = &line[at + 2..];
        let tabs = rest.starts_with('-');
        let delim: String = rest
            .trim_start_matches('-')
            .trim_start()
            .trim_start_matches(['\'', '"'])
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // Only a `<<` whose delimiter closes a later line is a heredoc (not `1<<3`).
        let closes = |l: &&str| {
            let l = if tabs { l.trim_start_matches('\t') } else { l };
            !delim.is_empty() && *l == delim
        };
        if let Some(end) = lines[i..].iter().position(closes) {
            i += end + 1;
        }
    }
    out
}

/// Splits a shell command into simple commands at unquoted `|`, `&`, `;`, newlines and
/// parentheses (so `$(cmd)` and subshells count), each with its subshell depth, dropping `#`
/// comments and keeping quotes for [`shlex`] to read.
fn simple_commands(cmd: &str) -> Vec<(String, usize)> {
    let mut out = vec![(String::new(), 0)];
    let mut depth = 0usize;
    let (mut single, mut double, mut escaped, mut comment) = (false, false, false, false);
    let mut prev = ' ';
    let chars: Vec<char> = without_heredocs(cmd).chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if comment {
            if ch == '\n' {
                comment = false;
                out.push((String::new(), depth));
            }
            continue;
        }
        let quoted = single || double || escaped;
        if !quoted && ch == '#' && (prev.is_whitespace() || matches!(prev, ';' | '|' | '&')) {
            comment = true;
            continue;
        }
        // `2>&1`, `&>log`, `<&3`, `>|f`: redirections, not a background `&` or a pipe.
        let redirect = (ch == '&' && (matches!(prev, '>' | '<') || chars.get(i + 1) == Some(&'>')))
            || (ch == '|' && prev == '>');
        prev = ch;
        if !quoted && !redirect && matches!(ch, '|' | '&' | ';' | '\n' | '(' | ')' | '`') {
            // Depth: inside `( )` or `$( )` a `cd` moves only the subshell.
            match ch {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            out.push((String::new(), depth));
            continue;
        }
        if !quoted && matches!(ch, '>' | '<') {
            // `gen.py>out.csv` is the word `gen.py` and a redirection, as `sh` reads it; only a
            // word of digits before it is a file descriptor (`2>err`).
            let cur = &mut out.last_mut().expect("never empty").0;
            let word = cur.rsplit(char::is_whitespace).next().unwrap_or("");
            if !word.is_empty()
                && !word.chars().all(|c| c.is_ascii_digit())
                && !word.ends_with(['>', '<', '&'])
            {
                cur.push(' ');
            }
        }
        match ch {
            _ if escaped => escaped = false,
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ => {}
        }
        out.last_mut().expect("never empty").0.push(ch);
    }
    out.retain(|(s, _)| !s.trim().is_empty());
    out
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

fn is_script(word: &str) -> bool {
    let name = word.rsplit('/').next().unwrap_or(word);
    match name.rsplit_once('.') {
        Some((stem, ext)) => !stem.is_empty() && SCRIPT_EXTENSIONS.contains(&ext),
        None => false,
    }
}

/// A redirection: `Some(true)` when its target is the next word (`>`, `2>>`), `Some(false)`
/// when it is attached (`>out.sql`), `None` when the word is none.
fn redirection(word: &str) -> Option<bool> {
    let w = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
    let target = w
        .strip_prefix(">>")
        .or_else(|| w.strip_prefix(">|"))
        .or_else(|| w.strip_prefix('>'))?;
    Some(target.is_empty())
}

/// `dir/word`, `.` and `..` folded, for a relative word after `cd dir`.
fn joined(dir: &str, word: &str) -> String {
    if dir.is_empty() || word.starts_with('/') {
        return word.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split('/').chain(word.split('/')) {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let j = parts.join("/");
    if dir.starts_with('/') {
        format!("/{j}")
    } else {
        j
    }
}

/// The programs and scripts `cmd` names, before resolving them (see the module docs), with
/// words that hold a variable left out.
pub fn named(cmd: &str) -> Vec<Named> {
    named_with(cmd, &|_| None)
}

/// As [`named`], with the variables the command reads from the environment ([`env::reads`])
/// expanded by `lookup` where the shell would expand them to one word (`$TOOL x`,
/// `python3 $DIR/fit.py`).
pub fn named_with(cmd: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<Named> {
    let reads = env::reads(cmd);
    let expanded = |w: &str| {
        if w.contains('$') {
            env::expand(w, &reads, lookup)
        } else {
            Some(w.to_string())
        }
    };
    let mut out: Vec<Named> = Vec::new();
    let mut push = |n: Named| {
        if !out.iter().any(|o| o.word() == n.word()) {
            out.push(n);
        }
    };
    // Where an earlier `cd` moved (relative to the workspace root, or absolute).
    let mut cwd = String::new();
    for (simple, depth) in simple_commands(cmd) {
        let words = shlex::split(&simple)
            .unwrap_or_else(|| simple.split_whitespace().map(str::to_string).collect());
        if words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "for" | "case" | "select" | "in" | "esac"))
        {
            continue; // a loop variable and its list, or a case pattern: no program
        }
        let mut program: Option<&str> = None;
        let mut wrapper: Option<&[&str]> = None;
        let mut positional_due = 0usize;
        let mut skip_next = false;
        let mut input_next = false;
        let mut args: Vec<&str> = Vec::new();
        for w in &words {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if std::mem::take(&mut input_next) {
                args.push(w); // `psql < q.sql`: the program reads it as code
                continue;
            }
            if let Some(next) = redirection(w) {
                skip_next = next;
                continue;
            }
            if let Some(rest) = w.strip_prefix('<') {
                match rest {
                    "" => input_next = true,
                    // A heredoc marker or a here-string: what follows is data.
                    "<" | "<-" | "<<" => skip_next = true,
                    r if r.starts_with(['<', '&']) => {}
                    r => args.push(r),
                }
                continue;
            }
            if program.is_some() {
                match w.split_once('=').filter(|(flag, _)| flag.starts_with('-')) {
                    // `--output=x.py` is written; `--script=x.py` is run.
                    Some((flag, _)) if OUTPUT_FLAGS.contains(&flag) => {}
                    Some((_, value)) => args.push(value),
                    None if OUTPUT_FLAGS.contains(&w.as_str()) => skip_next = true,
                    None => args.push(w),
                }
                continue;
            }
            if is_assignment(w) || KEYWORDS.contains(&w.as_str()) {
                continue;
            }
            if let Some(opts) = wrapper {
                if w.starts_with('-') {
                    skip_next = opts.contains(&w.as_str());
                    continue;
                }
                if positional_due > 0 {
                    positional_due -= 1;
                    continue; // `timeout 60 prog`
                }
            }
            if let Some((_, opts, positional)) = WRAPPERS.iter().find(|(name, ..)| name == w) {
                wrapper = Some(opts);
                positional_due = *positional;
                continue;
            }
            program = Some(w);
        }
        let Some(prog) = program else { continue };
        if prog == "cd" {
            let dir = args.iter().find(|a| !a.starts_with('-'));
            if let Some(dir) = dir.filter(|d| depth == 0 && !d.contains('$')) {
                cwd = joined(&cwd, dir);
            }
            continue;
        }
        if let Some(prog) = expanded(prog).filter(|p| !p.is_empty()) {
            let w = if prog.contains('/') {
                joined(&cwd, &prog)
            } else {
                prog
            };
            push(Named::Program(w));
        }
        for a in args {
            if let Some(a) = expanded(a).filter(|a| is_script(a)) {
                push(Named::Script(joined(&cwd, &a)));
            }
        }
    }
    out
}

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
/// System programs' hashes, likewise.
static SYSTEM: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
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
}

/// Everything `cmd` names, resolved now, except the node's declared inputs and outputs
/// (`declared`, workspace-relative): each is hashed (inputs) or written (outputs) already. A
/// file that cannot be read (an execute-only program) resolves to nothing.
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
    named_with(cmd, &env::process)
        .into_iter()
        .filter(|n| !declared.iter().any(|d| under(n.word(), d)))
        .map(|n| match &n {
            Named::Program(w) if !w.contains('/') => {
                let memo = ON_PATH.get_or_init(Default::default);
                let key = (ws.root.clone(), w.clone());
                if let Some(f) = memo.lock().expect("tool memo").get(&key) {
                    return f.clone();
                }
                let f = resolve_now(&n);
                // Only what lies outside the workspace: an upstream instance may install a
                // program into `.venv/bin` (a relative PATH entry) while the run goes on.
                let outside = |p: &PathBuf| !p.starts_with(&ws.root);
                if f.searched.iter().all(outside) && f.file.iter().all(outside) {
                    memo.lock().expect("tool memo").insert(key, f.clone());
                }
                f
            }
            _ => resolve_now(&n),
        })
        .collect()
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
    let system = SYSTEM.get_or_init(Default::default);
    let mut out = BTreeMap::new();
    for f in found(ws, cmd, declared) {
        let Some(abs) = f.file else { continue };
        let (key, file) = cache_key(ws, &abs);
        let outside = Path::new(&key).is_absolute();
        let known = outside
            .then(|| system.lock().expect("hash memo").get(&key).cloned())
            .flatten();
        let hash = match known {
            Some(h) => Some(h),
            None => cache.file(&key, &file)?,
        };
        if let Some(h) = hash {
            if outside {
                system.lock().expect("hash memo").insert(key, h.clone());
            }
            out.insert(f.named.word().to_string(), h);
        }
    }
    Ok(out)
}

pub mod env;
#[cfg(test)]
mod tests;
