//! The programs and scripts a `cmd` node runs, as part of its fingerprint.
//!
//! A `cmd` is a shell command: what it writes depends on the programs it calls as much as on its
//! text. A stage's code version covers the stage's source and toolchain; for a `cmd` the
//! equivalent is the bytes of what it executes. Bazel treats tools as inputs for the same reason.
//! So the fingerprint of a `cmd` instance records, by the word the command uses:
//!
//! - each *program*: the first word of every simple command (after `VAR=x` assignments, shell
//!   keywords and the wrappers `env`, `exec`, `command`, `time`, `nice`, `nohup`), resolved as
//!   `sh` would (a word with a `/` from the workspace root, else the first executable file of
//!   that name on `PATH`), hashed through symlinks: a new `python3`, a rebuilt tool, a different
//!   one earlier on `PATH` reruns the node;
//! - each *script* named on the command line: a word with a script extension (`.py`, `.R`,
//!   `.sh`, `.sql`, ...) naming an existing file, unless it is one of the node's declared inputs
//!   (already hashed) or outputs.
//!
//! Words that resolve to nothing (shell builtins, keywords, `$VARIABLES`) are left out, as are
//! programs chosen at run time (`$TOOL`, `$(which x)`), the libraries a program loads (Python
//! packages: declare a lock file such as `requirements.txt` as an input) and, under Slurm, the
//! compute node's own `PATH` (the submit host's is the one resolved).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::hashcache::HashCache;
use super::workspace::Workspace;

/// Extensions of the files a command runs rather than reads.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "r", "R", "jl", "sh", "bash", "zsh", "pl", "rb", "js", "mjs", "ts", "lua", "sql", "awk",
    "sed", "tcl", "php", "ipynb", "Rmd", "qmd",
];

/// Words that start a simple command but are not its program.
const PREFIXES: &[&str] = &[
    "env", "exec", "command", "time", "nice", "nohup", "if", "then", "else", "elif", "fi", "do",
    "done", "while", "until", "for", "in", "case", "esac", "!", "{", "}", "[[", "]]",
];

/// What a command names: its programs and the scripts on its command line, in order, each once.
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

/// Splits a shell command into simple commands at unquoted `|`, `&`, `;`, newlines and
/// parentheses (so `$(cmd)` and subshells count), keeping quotes for [`shlex`] to read.
fn simple_commands(cmd: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut single, mut double, mut escaped) = (false, false, false);
    for ch in cmd.chars() {
        let quoted = single || double || escaped;
        if !quoted && matches!(ch, '|' | '&' | ';' | '\n' | '(' | ')' | '`') {
            out.push(String::new());
            continue;
        }
        match ch {
            _ if escaped => escaped = false,
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ => {}
        }
        out.last_mut().expect("never empty").push(ch);
    }
    out.retain(|s| !s.trim().is_empty());
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

/// The programs and scripts `cmd` names, before resolving them (see the module docs).
pub fn named(cmd: &str) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    let mut push = |n: Named| {
        if !out.iter().any(|o| o.word() == n.word()) {
            out.push(n);
        }
    };
    for simple in simple_commands(cmd) {
        let words = shlex::split(&simple)
            .unwrap_or_else(|| simple.split_whitespace().map(str::to_string).collect());
        let mut program = None;
        for (i, w) in words.iter().enumerate() {
            if program.is_none() {
                // `env -i`, `nice -n 5`: a wrapper's options are not the program either.
                let after_wrapper = i > 0 && w.starts_with('-');
                if is_assignment(w) || PREFIXES.contains(&w.as_str()) || after_wrapper {
                    continue;
                }
                if w.parse::<f64>().is_ok() && i > 0 && words[i - 1] == "-n" {
                    continue;
                }
                program = Some(i);
                if !w.contains('$') && !w.is_empty() {
                    push(Named::Program(w.clone()));
                }
            } else if !w.contains('$') && is_script(w) {
                push(Named::Script(w.clone()));
            }
        }
    }
    out
}

/// Where `word` resolves: a path (absolute, or relative to the workspace root) when it has a
/// `/` or is a script; else the first executable file of that name on `path` (`PATH`).
pub fn resolve(named: &Named, root: &Path, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let word = named.word();
    if word.contains('/') || matches!(named, Named::Script(_)) {
        let p = Path::new(word);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        };
        return abs.is_file().then_some(abs);
    }
    std::env::split_paths(path?)
        .map(|dir| {
            if dir.as_os_str().is_empty() {
                root.join(word)
            } else {
                dir.join(word)
            }
        })
        .find(|p| is_executable(p))
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

/// The hash cache key of a resolved tool: its workspace-relative path inside the workspace (the
/// key an input of that path would have), else its canonical absolute path.
pub fn cache_key(ws: &Workspace, abs: &Path) -> (String, PathBuf) {
    let canonical = std::fs::canonicalize(abs).unwrap_or_else(|_| abs.to_path_buf());
    let root = std::fs::canonicalize(&ws.root).unwrap_or_else(|_| ws.root.clone());
    match canonical.strip_prefix(&root) {
        Ok(rel) => (rel.to_string_lossy().replace('\\', "/"), canonical),
        Err(_) => (canonical.to_string_lossy().to_string(), canonical),
    }
}

/// Whether a word names `path` or a file under it (both workspace-relative).
fn under(word: &str, path: &str) -> bool {
    let w = word.trim_start_matches("./");
    let p = path.trim_start_matches("./").trim_end_matches('/');
    w == p || w.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
}

/// Every program and script `cmd` runs, by its word, with the blake3 of the file it resolves
/// to now; `skip` are the node's declared inputs and outputs (workspace-relative).
pub fn hashes(
    ws: &Workspace,
    cache: &mut HashCache,
    cmd: &str,
    skip: &[&str],
) -> std::io::Result<BTreeMap<String, String>> {
    let path = std::env::var_os("PATH");
    let mut out = BTreeMap::new();
    for n in named(cmd) {
        if matches!(n, Named::Script(_)) && skip.iter().any(|s| under(n.word(), s)) {
            continue;
        }
        let Some(abs) = resolve(&n, &ws.root, path.as_deref()) else {
            continue;
        };
        let (key, file) = cache_key(ws, &abs);
        if let Some(h) = cache.file(&key, &file)? {
            out.insert(n.word().to_string(), h);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &str) -> Vec<String> {
        named(cmd)
            .iter()
            .map(|n| match n {
                Named::Program(w) => format!("program {w}"),
                Named::Script(w) => format!("script {w}"),
            })
            .collect()
    }

    #[test]
    fn finds_every_program_of_a_pipeline_and_the_scripts_it_runs() {
        assert_eq!(
            words("LC_ALL=C sort -u data/in.csv | python3 scripts/fit.py --out out.csv && gzip -9 out.csv"),
            ["program sort", "program python3", "script scripts/fit.py", "program gzip"]
        );
        assert_eq!(
            words("env -i PATH=/usr/bin nice -n 5 Rscript 'my scripts/plot.R' x; ./bin/tool"),
            [
                "program Rscript",
                "script my scripts/plot.R",
                "program ./bin/tool"
            ]
        );
        // Quotes hide operators; `$(...)` and keywords are seen through; variables are not.
        assert_eq!(
            words("if test -f a; then echo 'a | b' > o; fi; $TOOL x.py; n=$(wc -l < f)"),
            ["program test", "program echo", "script x.py", "program wc"]
        );
    }

    #[test]
    fn resolves_on_path_as_sh_does() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let tool = |d: &Path, mode: u32| {
            let p = d.join("tool");
            std::fs::write(&p, "#!/bin/sh\n").unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            p
        };
        tool(&a, 0o644); // not executable: skipped, as `sh` skips it
        let in_b = tool(&b, 0o755);
        let path = std::env::join_paths([&a, &b]).unwrap();
        let prog = Named::Program("tool".into());
        assert_eq!(resolve(&prog, dir.path(), Some(&path)), Some(in_b));
        assert_eq!(
            resolve(&Named::Program("nope".into()), dir.path(), Some(&path)),
            None
        );
        assert!(under("./data/x.py", "data"));
        assert!(!under("database.py", "data"));
    }
}
