//! The environment variables a `cmd` reads, as part of its fingerprint.
//!
//! `python3 fit.py --rows $ROWS` writes what `$ROWS` says, and `$TOOL x` runs whatever `$TOOL`
//! names: the variable is as much a part of the action as the text around it. The shell command
//! is known before it runs, so the variables it expands are too: every `$NAME` and `${NAME...}`
//! outside single quotes and comments (heredoc bodies included, which expand unless their
//! delimiter is quoted), less the names the command sets itself (`NAME=x`, `export NAME=x`,
//! `read NAME`, `for NAME in`) and the shell's own changing ones (`$RANDOM`, `$PWD`, ...).
//! Each is recorded by the blake3 of its value, never the value (a `$PASSWORD` must not reach
//! the lock file or the run log), or as unset. Bazel tracks `--action_env` and Snakemake
//! `envvars:` for the same reason; here nothing needs declaring.

use std::collections::{BTreeMap, BTreeSet};

/// What an unset variable is recorded as (a blake3 hex digest is never this).
pub const UNSET: &str = "unset";

/// Variables the shell sets or changes itself: not read from the environment gosales runs in.
const DYNAMIC: &[&str] = &[
    "RANDOM",
    "SRANDOM",
    "SECONDS",
    "LINENO",
    "BASHPID",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "PPID",
    "PWD",
    "OLDPWD",
    "BASH_COMMAND",
    "FUNCNAME",
    "HISTCMD",
    "SHLVL",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "PIPESTATUS",
    "BASH_REMATCH",
    "IFS",
];

/// Builtins whose plain arguments name variables they set.
const SETTERS: &[&str] = &[
    "export",
    "local",
    "declare",
    "typeset",
    "readonly",
    "read",
    "unset",
    "mapfile",
    "readarray",
];

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every variable name expanded outside single quotes and comments, in order of first use.
fn referenced(cmd: &str) -> Vec<String> {
    let chars: Vec<char> = cmd.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let (mut single, mut double, mut comment) = (false, false, false);
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if comment {
            comment = ch != '\n';
            continue;
        }
        match ch {
            '\\' if !single => i += 1, // an escaped character, `\$X` included, is literal
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single
                && !double
                && (i == 1 || chars[i - 2].is_whitespace() || ";|&(".contains(chars[i - 2])) =>
            {
                comment = true
            }
            '$' if !single && chars.get(i) == Some(&'(') && chars.get(i + 1) == Some(&'(') => {
                i = arithmetic(&chars, i + 2, &mut out);
            }
            '$' if !single => {
                // `${#X}`, `${!X}`: X's length or indirection still reads X.
                let braced = chars.get(i) == Some(&'{');
                let mut j = i + usize::from(braced);
                if braced && matches!(chars.get(j), Some('#' | '!')) {
                    j += 1;
                }
                if !chars.get(j).is_some_and(|&c| is_name_start(c)) {
                    continue; // `$1`, `$@`, `$(`, `$((`, `$'...'`
                }
                let start = j;
                while chars.get(j).is_some_and(|&c| is_name(c)) {
                    j += 1;
                }
                let name: String = chars[start..j].iter().collect();
                if !out.contains(&name) {
                    out.push(name);
                }
                i = j;
            }
            _ => {}
        }
    }
    out
}

/// Adds the variables read by the arithmetic expansion whose body starts at `i` (after
/// `$((`), where a bare `NAME` reads the variable as `$NAME` does (`$((ROWS + 1))`). Returns
/// where it ends (after `))`, or the end). A word starting with a digit is a number, base
/// prefixes included (`16#ff`, `0x1f`).
fn arithmetic(chars: &[char], mut i: usize, out: &mut Vec<String>) -> usize {
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return (i + 2).min(chars.len()),
            ')' => depth -= 1,
            '0'..='9' => {
                while chars.get(i + 1).is_some_and(|&c| is_name(c) || c == '#') {
                    i += 1;
                }
            }
            c if is_name_start(c) => {
                let start = i;
                while chars.get(i + 1).is_some_and(|&c| is_name(c)) {
                    i += 1;
                }
                let name: String = chars[start..=i].iter().collect();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The names the command sets itself: whatever the environment says, it expands its own value.
fn assigned(cmd: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let name_of = |w: &str| -> Option<String> {
        let n = w.split_once('=').map_or(w, |(n, _)| n);
        let n = n.strip_suffix('+').unwrap_or(n); // `X+=y`
        (n.starts_with(is_name_start) && n.chars().all(is_name)).then(|| n.to_string())
    };
    for (simple, _) in super::split::simple_commands(cmd) {
        let words = super::split::words(&simple);
        let mut setter = false;
        // `X=1` alone sets X in the shell; `X=1 prog` only in prog's environment, and the
        // command's own `$X` still expands the outer value.
        let mut leading = Vec::new();
        let mut program = false;
        for (k, w) in words.iter().enumerate() {
            if setter {
                if !w.starts_with('-') {
                    out.extend(name_of(w));
                }
                continue;
            }
            if matches!(w.as_str(), "for" | "select") {
                out.extend(words.get(k + 1).and_then(|n| name_of(n)));
                break;
            }
            if SETTERS.contains(&w.as_str()) {
                setter = true;
                continue;
            }
            if super::parse::is_assignment(w) || (w.contains("+=") && name_of(w).is_some()) {
                leading.extend(name_of(w));
                continue;
            }
            if super::parse::KEYWORDS.contains(&w.as_str()) {
                continue;
            }
            program = true;
            break; // its arguments are its own (`make CC=gcc`)
        }
        if !program {
            out.extend(leading);
        }
    }
    out
}

/// The environment variables `cmd` reads (see the module docs), sorted.
pub fn reads(cmd: &str) -> BTreeSet<String> {
    reads_nested(cmd, 0)
}

fn reads_nested(cmd: &str, nesting: usize) -> BTreeSet<String> {
    let set = assigned(cmd);
    let mut names: BTreeSet<String> = referenced(cmd).into_iter().collect();
    // `bash -c 'echo "$ROWS"'`: the inner shell expands what the outer quotes kept literal.
    if nesting < 4 {
        for inner in super::nested::shell_strings(cmd) {
            names.extend(reads_nested(&inner, nesting + 1));
        }
    }
    names
        .into_iter()
        .filter(|n| !set.contains(n) && !DYNAMIC.contains(&n.as_str()))
        .collect()
}

/// Each variable `cmd` reads with the blake3 of its value in `lookup` (the process environment,
/// for a plan), or [`UNSET`].
pub fn hashes(cmd: &str, lookup: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, String> {
    hashes_of(reads(cmd), lookup)
}

/// Each of `names` with the blake3 of its value in `lookup`, or [`UNSET`].
pub fn hashes_of(
    names: BTreeSet<String>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    names
        .into_iter()
        .map(|n| {
            let h = hash_of(lookup(&n).as_deref());
            (n, h)
        })
        .collect()
}

/// How a variable's value is recorded: its blake3, or [`UNSET`].
pub fn hash_of(value: Option<&str>) -> String {
    value.map_or_else(
        || UNSET.to_string(),
        |v| blake3::hash(v.as_bytes()).to_hex().to_string(),
    )
}

/// The process environment, as a `lookup`.
pub fn process(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// `word` with every `$NAME` and `${NAME}` among `reads` replaced by its value in `lookup`:
/// the program or script the shell will run. `None` when anything else would be expanded
/// (`$1`, `${X:-y}`, `$(...)`), a variable is unset or set by the command itself, or the value
/// holds whitespace (the shell would split it): such a word stays unresolved, though the
/// variable's value is still in the fingerprint.
pub fn expand(
    word: &str,
    reads: &BTreeSet<String>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = if let Some(b) = after.strip_prefix('{') {
            let end = b.find('}')?;
            (&b[..end], &b[end + 1..])
        } else {
            let end = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if !name.starts_with(is_name_start) || !name.chars().all(is_name) || !reads.contains(name) {
            return None;
        }
        let value = lookup(name)?;
        if value.chars().any(char::is_whitespace) || value.contains('$') {
            return None;
        }
        out.push_str(&value);
        rest = tail;
    }
    out.push_str(rest);
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cmd: &str) -> Vec<String> {
        reads(cmd).into_iter().collect()
    }

    #[test]
    fn reads_what_the_shell_expands_and_not_what_the_command_sets() {
        assert_eq!(
            names(r#"python3 fit.py --rows $ROWS --out "${OUT_DIR}/m.txt" ${#LIST} ${MODE:-fast}"#),
            ["LIST", "MODE", "OUT_DIR", "ROWS"]
        );
        // Single quotes, escapes, comments, special and dynamic parameters read nothing.
        assert_eq!(
            names("echo '$A' \\$B $1 $@ $? $$ $RANDOM $PWD $(date) $((1+2)) # uses $C\nawk '{print $2}' f"),
            Vec::<String>::new()
        );
        // What the command sets itself, before or after use; a prefix assignment sets only the
        // program's environment, so `$X` and `$T` there are still the outer ones.
        assert_eq!(
            names("X=1; export Y=2; read -r Z; for F in a b; do cat $F $X $Y $Z; done; echo $W"),
            ["W"]
        );
        assert_eq!(names("T=$T X=1 prog $X"), ["T", "X"]);
        // A heredoc body expands (unless its delimiter is quoted: read anyway, harmlessly).
        assert_eq!(names("cat <<EOF > o\n$GREETING\nEOF"), ["GREETING"]);
        // `make CC=gcc` passes an argument, it sets nothing in the shell.
        assert_eq!(names("make CC=gcc; echo $CC"), ["CC"]);
    }

    #[test]
    fn a_shell_string_or_script_heredoc_reads_its_variables_as_the_inner_shell_does() {
        assert_eq!(names("bash -c 'echo \"$ROWS\"' > o"), ["ROWS"]);
        assert_eq!(names("sh -c \"echo \\$A\""), ["A"]);
        assert_eq!(names("sh > o <<'EOF'\necho $B\nEOF"), ["B"]);
        // Quoted literal for a program that is no shell: not read.
        assert_eq!(names("awk '{print $NF}' f"), Vec::<String>::new());
        // Set by the inner command itself: its own.
        assert_eq!(names("bash -c 'D=1; echo $D'"), Vec::<String>::new());
    }

    #[test]
    fn a_bare_name_in_arithmetic_is_read() {
        assert_eq!(
            names("echo $((BAZ + 1)) \"$(( (ROWS*2) / $COLS ))\" $((16#ff + 0x1f + N2))"),
            ["BAZ", "COLS", "N2", "ROWS"]
        );
        // The arithmetic ends where it ends: what follows is read as usual.
        assert_eq!(names("echo $((1+2))$AFTER '$((NOT))'"), ["AFTER"]);
    }

    #[test]
    fn values_are_hashed_never_recorded_and_unset_is_distinct_from_empty() {
        let env = |n: &str| match n {
            "TOKEN" => Some("s3cret".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let h = hashes("curl -H $TOKEN $EMPTY $MISSING", &env);
        assert_eq!(h["MISSING"], UNSET);
        assert_ne!(h["EMPTY"], UNSET);
        assert_eq!(h["TOKEN"], blake3::hash(b"s3cret").to_hex().to_string());
        assert!(!h.values().any(|v| v.contains("s3cret")));
    }

    #[test]
    fn expands_plain_variables_only() {
        let env = |n: &str| match n {
            "TOOL" => Some("/opt/tool/bin/fit".to_string()),
            "DIR" => Some("scripts".to_string()),
            "SPACED" => Some("python3 -u".to_string()),
            _ => None,
        };
        let r = reads("$TOOL ${DIR}/a.py $DIR/b.py $SPACED ${DIR:-x} $NOPE $1");
        assert_eq!(
            expand("$TOOL", &r, &env).as_deref(),
            Some("/opt/tool/bin/fit")
        );
        assert_eq!(
            expand("${DIR}/a.py", &r, &env).as_deref(),
            Some("scripts/a.py")
        );
        assert_eq!(
            expand("$DIR/b.py", &r, &env).as_deref(),
            Some("scripts/b.py")
        );
        for w in [
            "$SPACED",
            "${DIR:-x}",
            "$NOPE",
            "$1",
            "$(which x)",
            "$UNREAD",
        ] {
            assert_eq!(expand(w, &r, &env), None, "{w}");
        }
    }
}
