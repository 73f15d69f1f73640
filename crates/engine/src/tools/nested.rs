//! Commands inside a command: the strings a shell runs (`sh -c`, a heredoc or here-string fed
//! to it) and the words other programs run as a command line (`eval`, `find -exec`).

use super::operands::shell_operand;
use super::parse::{base, SHELLS};
use super::split::{heredocs, simple_commands};

/// The command strings a shell in `cmd` runs: each `sh -c STRING`, and each heredoc fed to a
/// shell with no script operand (`sh <<'EOF'`). Their programs run, and their variables are
/// read, as the inner shell sees them, single quotes of the outer command or not.
pub(super) fn shell_strings(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (simple, _) in simple_commands(cmd) {
        let words = super::split::words(&simple);
        for (k, w) in words.iter().enumerate() {
            if SHELLS.contains(&base(w)) {
                if let Some((true, j)) = shell_operand(&words[k + 1..]) {
                    out.push(words[k + 1 + j].clone());
                }
            }
        }
        out.extend(shell_herestrings(&words));
        if let Some(k) = words
            .iter()
            .position(|w| matches!(base(w), "eval" | "find"))
        {
            out.extend(word_commands(base(&words[k]), &words[k + 1..]));
        }
    }
    out.extend(shell_heredocs(cmd));
    out
}

/// The commands a program runs from its own words, as a command line: all of `eval`'s, and
/// each `find -exec|-execdir|-ok|-okdir ... ;` (or `+`).
pub(super) fn word_commands(name: &str, rest: &[String]) -> Vec<String> {
    let line = |ws: &[String]| {
        ws.iter()
            .map(|w| crate::template::shell_quote(w))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match name {
        "eval" => vec![rest.join(" ")],
        "find" => {
            let mut out = Vec::new();
            let mut k = 0;
            while k < rest.len() {
                if matches!(rest[k].as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
                    let end = rest[k + 1..]
                        .iter()
                        .position(|w| w == ";" || w == "+")
                        .map_or(rest.len(), |e| k + 1 + e);
                    out.push(line(&rest[k + 1..end]));
                    k = end;
                }
                k += 1;
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The here-strings `cmd` feeds to a shell as its script (`bash <<< 'echo $X'`).
pub(super) fn shell_herestrings(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if !SHELLS.contains(&base(w)) {
            continue;
        }
        for (j, x) in words[k + 1..].iter().enumerate() {
            if x == "<<<" {
                out.extend(words.get(k + 2 + j).cloned());
            } else if let Some(s) = x.strip_prefix("<<<").filter(|s| !s.is_empty()) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// The bodies of the heredocs `cmd` feeds to a shell as its script.
pub(super) fn shell_heredocs(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (before, body) in heredocs(cmd) {
        let Some((simple, _)) = simple_commands(&before).pop() else {
            continue;
        };
        let words = super::split::words(&simple);
        let fed = words
            .iter()
            .position(|w| SHELLS.contains(&base(w)))
            .is_some_and(|k| shell_operand(&words[k + 1..]).is_none());
        if fed {
            out.push(body);
        }
    }
    out
}
