//! Reading a `cmd` as `sh` would, far enough to name the programs and scripts it runs.

use super::env;

/// Extensions of the files a command runs rather than reads.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "r", "R", "jl", "sh", "bash", "zsh", "pl", "rb", "js", "mjs", "ts", "lua", "sql", "awk",
    "sed", "tcl", "php", "ipynb", "Rmd", "qmd",
];

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
