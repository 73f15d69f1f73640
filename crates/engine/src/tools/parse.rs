//! Reading a `cmd` as `sh` would, far enough to name the programs and scripts it runs.

use super::env;
use super::nested::{shell_heredocs, shell_herestrings, word_commands};
use super::operands::{makefiles, shell_operand, BESIDE};
use super::split::{quoted_substitutions, scoped_commands};
use super::vocabulary::*;

/// Shells: `sh FILE` runs FILE as a shell script whatever its name, `sh -c STRING` runs STRING
/// as a command of its own.
pub(super) const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh"];

/// How deep a `sh -c` string inside a `sh -c` string is read.
const MAX_NESTING: usize = 4;

/// Words that start a simple command but are not its program.
pub(super) const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "[[", "]]",
];

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
pub(super) fn redirection(word: &str) -> Option<bool> {
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
    if nesting < MAX_NESTING {
        for body in shell_heredocs(cmd)
            .into_iter()
            .chain(quoted_substitutions(cmd))
        {
            mentions_into(&body, lookup, cwd0, script, nesting + 1, out);
        }
    }
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
        let words = super::split::words(&simple);
        if words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "for" | "case" | "select" | "in" | "esac"))
        {
            continue; // a loop variable and its list, or a case pattern: no program
        }
        let mut program: Option<(usize, &str)> = None;
        let mut wrapper: Option<&[&str]> = None;
        let mut wrapper_name = "";
        let mut positional_due = 0usize;
        let mut skip_next = false;
        // `env -S "python3 x.py"`: the next word is a command line of its own.
        let mut split_next = false;
        let mut input_next = false;
        // Arguments, by the index of their word.
        let mut args: Vec<(usize, &str)> = Vec::new();
        // The file on standard input (`sh < job`): a shell with no operand runs it.
        let mut stdin: Option<(usize, &str)> = None;
        for (k, w) in words.iter().enumerate() {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if std::mem::take(&mut split_next) {
                if nesting < MAX_NESTING {
                    mentions_into(w, lookup, &cwd, script, nesting + 1, out);
                }
                continue;
            }
            if std::mem::take(&mut input_next) {
                args.push((k, w)); // `psql < q.sql`: the program reads it as code
                stdin = Some((k, w));
                continue;
            }
            if let Some(next) = redirection(w) {
                skip_next = next;
                continue;
            }
            // `0< job` is `< job`.
            let unnumbered = w.trim_start_matches(|c: char| c.is_ascii_digit());
            if let Some(rest) = unnumbered
                .strip_prefix('<')
                .filter(|_| !w.starts_with("<("))
            {
                match rest {
                    "" => input_next = true,
                    // A heredoc marker or a here-string: what follows is data.
                    "<" | "<-" | "<<" => skip_next = true,
                    r if r.starts_with(['<', '&']) => {}
                    r => {
                        args.push((k, r));
                        stdin = Some((k, r));
                    }
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
                if wrapper_name == "env" {
                    let split = ["-S", "--split-string"].contains(&w.as_str());
                    let glued = w
                        .strip_prefix("--split-string=")
                        .or_else(|| w.strip_prefix("-S").filter(|r| !r.is_empty()));
                    if split {
                        split_next = true;
                        continue;
                    }
                    if let Some(line) = glued {
                        if nesting < MAX_NESTING {
                            mentions_into(line, lookup, &cwd, script, nesting + 1, out);
                        }
                        continue;
                    }
                }
                if w.starts_with('-') {
                    skip_next = opts.contains(&w.as_str());
                    continue;
                }
                if positional_due > 0 {
                    positional_due -= 1;
                    continue; // `timeout 60 prog`
                }
            }
            if let Some((name, opts, positional)) = WRAPPERS.iter().find(|(name, ..)| name == w) {
                wrapper = Some(opts);
                wrapper_name = name;
                positional_due = *positional;
                continue;
            }
            program = Some((k, w));
        }
        let Some((at, prog)) = program else { continue };
        let rest = &words[at + 1..];
        // Commands given as words to run: `eval tools/gen`, `find . -exec tools/gen {} \;`.
        if nesting < MAX_NESTING {
            for inner in word_commands(base(prog), rest) {
                mentions_into(&inner, lookup, &cwd, script, nesting + 1, out);
            }
        }
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
                None => {
                    if let Some((k, f)) = stdin.and_then(|(k, f)| Some((k, expanded(f)?))) {
                        not_files.push(k);
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Shell);
                    }
                    // `bash <<< 'tools/x'`: the string is its script.
                    if nesting < MAX_NESTING {
                        for inner in shell_herestrings(&words[at..]) {
                            mentions_into(&inner, lookup, &cwd, script, nesting + 1, out);
                        }
                    }
                }
            }
        }
        // Programs whose operands are files they write (`date | tee run.json`): a config-like
        // name among them is no file the command runs, and hashing it would leave the node
        // stale after every run.
        if WRITERS.contains(&name) {
            continue;
        }
        // A copy's destination is written (`cp out.txt run_log.json` was stale every run).
        if COPIERS.contains(&name) {
            if let Some((k, _)) = args.iter().rev().find(|(_, a)| !a.starts_with('-')) {
                not_files.push(*k);
            }
        }
        // An interpreter's first operand is its script, whatever its name (`python3 job`,
        // `perl tool`), and `python3 -m pkg.mod` runs `pkg/mod.py` (or `pkg/mod/__main__.py`).
        // Imports are not followed: declare what a script imports as an input.
        if is_interpreter(name) {
            let (with_argument, with_file) = interpreter_options(name);
            let words_at = |k: usize| words.get(k);
            // The arguments as parsed: redirections and heredoc markers are not among them.
            let mut words = args.iter().copied();
            while let Some((k, a)) = words.next() {
                // A short option taking an argument, alone or last of a cluster (`-uBW ignore`).
                let takes_next = with_argument.contains(&a)
                    || (a.len() > 2
                        && a.starts_with('-')
                        && !a.starts_with("--")
                        && a[1..].chars().all(|c| c.is_ascii_alphabetic())
                        && with_argument
                            .iter()
                            .any(|o| o.len() == 2 && a.ends_with(&o[1..])));
                if takes_next {
                    words.next();
                    continue;
                }
                // `--max-old-space-size=100`, `--require=./mod.js`: an option and its value.
                if words_at(k).is_some_and(|w| w.starts_with('-') && w.contains('=')) {
                    continue;
                }
                // `python3 -mpkg.mod`.
                if let Some(module) = a
                    .strip_prefix("-m")
                    .filter(|m| name.starts_with("python") && !m.is_empty() && !m.starts_with('-'))
                {
                    let base = module.replace('.', "/");
                    for f in [format!("{base}.py"), format!("{base}/__main__.py")] {
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                    }
                    break;
                }
                if with_file.contains(&a) {
                    if let Some((k, f)) = words.next().and_then(|(k, f)| Some((k, expanded(f)?))) {
                        not_files.push(k);
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                    }
                    continue;
                }
                if a == "-" {
                    break; // the script comes on stdin
                }
                if a == "-m" && name.starts_with("python") {
                    if let Some((_, module)) = words.next() {
                        let base = module.replace('.', "/");
                        for f in [format!("{base}.py"), format!("{base}/__main__.py")] {
                            push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                        }
                    }
                    break;
                }
                let code = matches!(a, "-e" | "-c" | "-E" | "--eval")
                    || (name == "node" && matches!(a, "-p" | "--print"))
                    || (name == "php" && a == "-r");
                if code {
                    break; // code on the command line
                }
                if a == "--" {
                    // The end of the options: the script follows.
                    if let Some((k, f)) = words.next().and_then(|(k, f)| Some((k, expanded(f)?))) {
                        not_files.push(k);
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                    }
                    break;
                }
                if a.starts_with('-') {
                    continue;
                }
                if let Some(f) = expanded(a) {
                    not_files.push(k);
                    push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                }
                break;
            }
        }
        // `awk -f prog`, `sed -f edits`, `jq -f filter`: the file after `-f` is code.
        if matches!(
            name,
            "awk" | "gawk" | "mawk" | "nawk" | "sed" | "gsed" | "jq"
        ) {
            for (k, pair) in rest.windows(2).enumerate() {
                // `-f`, alone or last of a cluster (`sed -nf prog`).
                let short_f = pair[0].len() >= 2
                    && pair[0].starts_with('-')
                    && !pair[0].starts_with("--")
                    && pair[0].ends_with('f')
                    && pair[0][1..].chars().all(|c| c.is_ascii_alphabetic());
                if short_f || pair[0] == "--file" || pair[0] == "--from-file" {
                    if let Some(f) = expanded(&pair[1]) {
                        not_files.push(at + 2 + k);
                        push(out, Named::Script(joined(&cwd, &f)), &cwd, Kind::Plain);
                    }
                }
            }
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
