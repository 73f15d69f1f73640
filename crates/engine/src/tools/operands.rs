//! What the operands of some programs are: a shell's script or command string, the makefiles
//! `make` reads, a file a script sources from its own directory.

use super::parse::{joined, redirection};

/// How a script names its own directory, as [`shlex`] leaves the word: `. "$(dirname "$0")/x"`.
pub(super) const BESIDE: &[&str] = &[
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
pub(super) fn shell_operand(rest: &[String]) -> Option<(bool, usize)> {
    let mut string = false;
    let mut k = 0;
    while let Some(w) = rest.get(k) {
        if w == "--" {
            k += 1;
            break;
        }
        let input = w.trim_start_matches(|c: char| c.is_ascii_digit());
        if redirection(w).is_some() || input.starts_with('<') {
            k += if redirection(w) == Some(true) || matches!(input, "<" | "<<" | "<<-" | "<<<") {
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
            // `sh -s a b < job`: the script comes on stdin, the words after are its arguments.
            if w.starts_with('-') && flags.contains('s') && !string {
                return None;
            }
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
pub(super) fn makefiles(
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
