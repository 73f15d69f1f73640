//! Reading a `cmd` as `sh` would, far enough to name the programs and scripts it runs.

use super::env;

/// Extensions of the files a command runs rather than reads.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "r", "R", "jl", "sh", "bash", "zsh", "pl", "rb", "js", "mjs", "ts", "lua", "sql", "awk",
    "sed", "tcl", "php", "ipynb", "Rmd", "qmd", "ksh", "dash",
    // Configuration and programs for other programs: `jq -f q.jq`, `--config conf.yaml`,
    // `make -f build.mk`, `gnuplot plot.gp`.
    "yaml", "yml", "json", "toml", "ini", "cfg", "conf", "jq", "mk", "mak", "gp", "plt",
];

/// Shells: `sh FILE` runs FILE as a shell script whatever its name, `sh -c STRING` runs STRING
/// as a command of its own.
pub(super) const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh"];

/// How deep a `sh -c` string inside a `sh -c` string is read.
const MAX_NESTING: usize = 4;

/// Words that start a simple command but are not its program.
pub(super) const KEYWORDS: &[&str] = &[
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

/// Programs whose every operand is a file they write or remove.
const WRITERS: &[&str] = &["tee", "touch", "truncate", "rm", "mkdir", "sponge"];

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
pub(super) fn simple_commands(cmd: &str) -> Vec<(String, usize)> {
    scoped_commands(cmd)
        .0
        .into_iter()
        .map(|(s, depth, _)| (s, depth))
        .collect()
}

/// As [`simple_commands`], with the subshell each simple command runs in (0 for the top level,
/// so two sibling subshells `(cd a); (make)` are told apart), and each subshell's parent.
fn scoped_commands(cmd: &str) -> (Vec<(String, usize, usize)>, Vec<usize>) {
    let mut parents = vec![0usize];
    let mut scope = 0usize;
    let mut out = vec![(String::new(), 0, scope)];
    let mut depth = 0usize;
    let (mut single, mut double, mut escaped, mut comment) = (false, false, false, false);
    let mut prev = ' ';
    let chars: Vec<char> = without_heredocs(cmd).chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if comment {
            if ch == '\n' {
                comment = false;
                out.push((String::new(), depth, scope));
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
                '(' => {
                    depth += 1;
                    parents.push(scope);
                    scope = parents.len() - 1;
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    scope = parents[scope];
                }
                _ => {}
            }
            out.push((String::new(), depth, scope));
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
    out.retain(|(s, ..)| !s.trim().is_empty());
    (out, parents)
}

pub(super) fn is_assignment(word: &str) -> bool {
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
pub(super) fn joined(dir: &str, word: &str) -> String {
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

/// How a named file is read further once it is found (see [`super::found`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    /// Hashed; its interpreter (`#!`) followed.
    Plain,
    /// A shell script the command runs (`sh FILE`): also the files it sources.
    Shell,
    /// A file a shell script sources (`. lib.sh`, `source lib.sh`): a shell script itself.
    Sourced,
    /// The makefile `make` reads: also the files it includes.
    Makefile,
}

/// One thing a command names, with where the command is when it names it (the directory an
/// earlier `cd` moved to, relative to the workspace root or absolute; `""` for the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mention {
    pub named: Named,
    pub cwd: String,
    pub kind: Kind,
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
    let mut out: Vec<Named> = Vec::new();
    for m in mentions(cmd, lookup, "", None) {
        if !out.iter().any(|o| o.word() == m.named.word()) {
            out.push(m.named);
        }
    }
    out
}

/// The last part of a path: `/bin/sh` is `sh`.
pub(super) fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// What `cmd` names, run from `cwd`; `script` is the directory of the shell script `cmd` is
/// the text of, if it is one (a relative `. lib.sh` may mean the one beside it, after a
/// `cd "$(dirname "$0")"` no parser follows).
pub(super) fn mentions(
    cmd: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    cwd: &str,
    script: Option<&str>,
) -> Vec<Mention> {
    let mut out = Vec::new();
    mentions_into(cmd, lookup, cwd, script, 0, &mut out);
    out
}

fn mentions_into(
    cmd: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    cwd0: &str,
    script: Option<&str>,
    nesting: usize,
    out: &mut Vec<Mention>,
) {
    let reads = env::reads(cmd);
    let expanded = |w: &str| {
        if w.contains('$') {
            env::expand(w, &reads, lookup)
        } else {
            Some(w.to_string())
        }
    };
    let push = |out: &mut Vec<Mention>, named: Named, cwd: &str, kind: Kind| {
        let m = Mention {
            named,
            cwd: cwd.to_string(),
            kind,
        };
        if !out.contains(&m) {
            out.push(m);
        }
    };
    // Where an earlier `cd` moved (relative to the workspace root, or absolute), in each
    // subshell: a subshell starts where its parent was when it opened.
    let (commands, parents) = scoped_commands(cmd);
    let mut cwds: std::collections::HashMap<usize, String> = Default::default();
    cwds.insert(0, cwd0.to_string());
    for (simple, _depth, scope) in commands {
        let mut chain = vec![scope];
        while !cwds.contains_key(chain.last().expect("never empty")) {
            let s = *chain.last().expect("never empty");
            chain.push(parents[s]);
        }
        while let Some(s) = chain.pop() {
            if !cwds.contains_key(&s) {
                let from = cwds[&parents[s]].clone();
                cwds.insert(s, from);
            }
        }
        let cwd = cwds[&scope].clone();
        let words = shlex::split(&simple)
            .unwrap_or_else(|| simple.split_whitespace().map(str::to_string).collect());
        if words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "for" | "case" | "select" | "in" | "esac"))
        {
            continue; // a loop variable and its list, or a case pattern: no program
        }
        let mut program: Option<(usize, &str)> = None;
        let mut wrapper: Option<&[&str]> = None;
        let mut positional_due = 0usize;
        let mut skip_next = false;
        let mut input_next = false;
        // Arguments, by the index of their word.
        let mut args: Vec<(usize, &str)> = Vec::new();
        for (k, w) in words.iter().enumerate() {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if std::mem::take(&mut input_next) {
                args.push((k, w)); // `psql < q.sql`: the program reads it as code
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
                    r => args.push((k, r)),
                }
                continue;
            }
            if program.is_some() {
                match w.split_once('=').filter(|(flag, _)| flag.starts_with('-')) {
                    // `--output=x.py` is written; `--script=x.py` is run.
                    Some((flag, _)) if OUTPUT_FLAGS.contains(&flag) => {}
                    Some((_, value)) => args.push((k, value)),
                    None if OUTPUT_FLAGS.contains(&w.as_str()) => skip_next = true,
                    None => args.push((k, w)),
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
            program = Some((k, w));
        }
        let Some((at, prog)) = program else { continue };
        let rest = &words[at + 1..];
        if prog == "cd" {
            let dir = args.iter().map(|(_, a)| *a).find(|a| !a.starts_with('-'));
            if let Some(dir) = dir.filter(|d| !d.contains('$')) {
                let moved = joined(&cwd, dir);
                cwds.insert(scope, moved);
            }
            continue;
        }
        if prog == "." || prog == "source" {
            // A builtin: what it reads is a shell script, whatever its name.
            let Some(file) = rest.iter().find(|w| w.as_str() != "--") else {
                continue;
            };
            // `"$(dirname "$0")/lib.sh"` and the like: beside the script.
            let beside = script.and_then(|dir| {
                BESIDE
                    .iter()
                    .find_map(|p| file.strip_prefix(p))
                    .and_then(&expanded)
                    .map(|f| joined(dir, &f))
            });
            if let Some(w) = beside {
                push(out, Named::Script(w), &cwd, Kind::Sourced);
            } else if let Some(f) = expanded(file) {
                push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Sourced);
                if let Some(dir) = script.filter(|_| !f.starts_with('/')) {
                    push(out, Named::Script(joined(dir, &f)), &cwd, Kind::Sourced);
                }
            }
            continue;
        }
        // A program that does not expand (`$TOOL x.py`) still runs its scripts.
        let w = match expanded(prog).filter(|p| !p.is_empty()) {
            Some(p) if p.contains('/') => joined(&cwd, &p),
            Some(p) => p,
            None => String::new(),
        };
        if !w.is_empty() {
            push(out, Named::Program(w.clone()), &cwd, Kind::Plain);
        }
        // Words that are not files the program runs, by index.
        let mut not_files: Vec<usize> = Vec::new();
        let name = base(&w);
        if SHELLS.contains(&name) {
            match shell_operand(rest) {
                Some((true, k)) => {
                    not_files.push(at + 1 + k);
                    if nesting < MAX_NESTING {
                        mentions_into(&rest[k], lookup, &cwd, script, nesting + 1, out);
                    }
                }
                Some((false, k)) => {
                    if let Some(f) = expanded(&rest[k]) {
                        not_files.push(at + 1 + k);
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Shell);
                    }
                }
                None => {}
            }
        }
        // Programs whose operands are files they write (`date | tee run.json`): a config-like
        // name among them is no file the command runs, and hashing it would leave the node
        // stale after every run.
        if WRITERS.contains(&name) {
            continue;
        }
        if matches!(name, "make" | "gmake") {
            if let Some((dir, files, named)) = makefiles(rest, &expanded) {
                not_files.extend(named.into_iter().map(|k| at + 1 + k));
                let dir = joined(&cwd, &dir);
                for f in files {
                    push(out, Named::Script(joined(&dir, &f)), &dir, Kind::Makefile);
                }
            }
        }
        for (k, a) in args {
            if not_files.contains(&k) {
                continue;
            }
            if let Some(a) = expanded(a).filter(|a| is_script(a)) {
                push(out, Named::Script(joined(&cwd, &a)), &cwd, Kind::Plain);
            }
        }
    }
}

/// How a script names its own directory, as [`shlex`] leaves the word: `. "$(dirname "$0")/x"`.
const BESIDE: &[&str] = &[
    "$(dirname $0)/",
    "$(dirname ${0})/",
    "$(dirname $BASH_SOURCE)/",
    "$(dirname ${BASH_SOURCE})/",
    "$(dirname ${BASH_SOURCE[0]})/",
    "${0%/*}/",
    "${BASH_SOURCE%/*}/",
    "${BASH_SOURCE[0]%/*}/",
];

/// Where a shell's operand is among the words after it (`sh -eu -o pipefail FILE`): `(true, k)`
/// when word `k` is the command string of `-c`, `(false, k)` when it is the script file.
fn shell_operand(rest: &[String]) -> Option<(bool, usize)> {
    let mut string = false;
    let mut k = 0;
    while let Some(w) = rest.get(k) {
        if w == "--" {
            k += 1;
            break;
        }
        if redirection(w).is_some() || w.starts_with('<') {
            k += if redirection(w) == Some(true) || w == "<" {
                2
            } else {
                1
            };
            continue;
        }
        if w.starts_with("--") {
            // `--rcfile FILE`, `--init-file FILE`; other long options stand alone.
            k += if matches!(w.as_str(), "--rcfile" | "--init-file") {
                2
            } else {
                1
            };
            continue;
        }
        if w.len() > 1 && (w.starts_with('-') || w.starts_with('+')) {
            let flags = &w[1..];
            string |= w.starts_with('-') && flags.contains('c');
            // `-o pipefail`, `-O extglob`: an option name follows.
            k += if flags.contains(['o', 'O']) { 2 } else { 1 };
            continue;
        }
        break;
    }
    rest.get(k).map(|_| (string, k))
}

/// The directory `make` runs in (its `-C` options, relative to where it was started) and the
/// makefiles it reads there: its `-f` options, else `GNUmakefile`, `makefile` and `Makefile`
/// (it reads the first that exists; the others resolve to nothing), and the words that name
/// them (by index). `None` when a `-C` or `-f` names what cannot be expanded.
fn makefiles(
    rest: &[String],
    expanded: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, Vec<String>, Vec<usize>)> {
    let mut dir = String::new();
    let mut files = Vec::new();
    let mut named = Vec::new();
    let mut k = 0;
    while let Some(w) = rest.get(k) {
        k += 1;
        let (flag, value) = match w.as_str() {
            "-f" | "--file" | "--makefile" => ('f', rest.get(k).cloned()),
            "-C" | "--directory" => ('C', rest.get(k).cloned()),
            _ => {
                if let Some(v) = ["--file=", "--makefile="]
                    .iter()
                    .find_map(|p| w.strip_prefix(p))
                {
                    ('f', Some(v.to_string()))
                } else if let Some(v) = w.strip_prefix("--directory=") {
                    ('C', Some(v.to_string()))
                } else if let Some(v) = w.strip_prefix("-f").filter(|v| !v.is_empty()) {
                    ('f', Some(v.to_string()))
                } else if let Some(v) = w.strip_prefix("-C").filter(|v| !v.is_empty()) {
                    ('C', Some(v.to_string()))
                } else {
                    continue;
                }
            }
        };
        if matches!(
            w.as_str(),
            "-f" | "--file" | "--makefile" | "-C" | "--directory"
        ) {
            k += 1;
        }
        if flag == 'f' {
            named.push(k - 1);
        }
        let value = expanded(&value?)?;
        match flag {
            'C' => dir = joined(&dir, &value),
            _ => files.push(value),
        }
    }
    if files.is_empty() {
        files = ["GNUmakefile", "makefile", "Makefile"]
            .map(String::from)
            .to_vec();
    }
    Some((dir, files, named))
}
