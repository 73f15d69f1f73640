//! Splitting a command into its simple commands as `sh` would: heredoc bodies, comments and
//! quotes, and the subshell each runs in.

/// The command without its heredoc bodies (`<<EOF ... EOF`), which are data, not commands.
fn without_heredocs(cmd: &str) -> String {
    split_heredocs(cmd).0
}

/// Each heredoc's body, with the text of its line before the `<<` (the command it feeds).
pub(super) fn heredocs(cmd: &str) -> Vec<(String, String)> {
    split_heredocs(cmd)
        .1
        .into_iter()
        .map(|(before, body, _)| (before, body))
        .collect()
}

/// Each heredoc: the text before its `<<`, its body, and whether the shell expands the body
/// (its delimiter unquoted).
fn split_heredocs(cmd: &str) -> (String, Vec<(String, String, bool)>) {
    let lines: Vec<&str> = cmd.lines().collect();
    let mut out = String::new();
    let mut bodies = Vec::new();
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
        let quoted = rest
            .trim_start_matches('-')
            .trim_start()
            .starts_with(['\'', '"', '\\']);
        let delim: String = rest
            .trim_start_matches('-')
            .trim_start()
            .trim_start_matches(['\'', '"', '\\'])
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // Only a `<<` whose delimiter closes a later line is a heredoc (not `1<<3`).
        let closes = |l: &&str| {
            let l = if tabs { l.trim_start_matches('\t') } else { l };
            !delim.is_empty() && *l == delim
        };
        if let Some(end) = lines[i..].iter().position(closes) {
            bodies.push((
                line[..at].to_string(),
                lines[i..i + end].join("\n"),
                !quoted,
            ));
            i += end + 1;
        }
    }
    (out, bodies)
}

/// The words of a simple command as `sh` reads them; split at whitespace where its quotes do
/// not balance (a fragment around a substitution).
pub(super) fn words(simple: &str) -> Vec<String> {
    shlex::split(simple).unwrap_or_else(|| simple.split_whitespace().map(str::to_string).collect())
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
pub(super) fn scoped_commands(cmd: &str) -> (Vec<(String, usize, usize)>, Vec<usize>) {
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

/// The commands of the substitutions inside double quotes (`"$(tools/gen)"`, `` "`x`" ``):
/// [`scoped_commands`] keeps a quoted word whole (`source "$(dirname "$0")/lib.sh"` names one
/// file), so what runs inside it is read apart, each a command of its own.
pub(super) fn quoted_substitutions(cmd: &str) -> Vec<String> {
    let (text, bodies) = split_heredocs(cmd);
    let mut out = substitutions(&text.chars().collect::<Vec<_>>(), false);
    // An unquoted heredoc's body is expanded as a double-quoted string is.
    for (_, body, expanded) in bodies {
        if expanded {
            out.extend(substitutions(&body.chars().collect::<Vec<_>>(), true));
        }
    }
    out
}

/// The substitutions [`quoted_substitutions`] reads, in `chars`; `heredoc` reads it as an
/// expanded heredoc body: all of it as in double quotes, and a quote is a character.
fn substitutions(chars: &[char], heredoc: bool) -> Vec<String> {
    let mut out = Vec::new();
    let (mut single, mut double, mut escaped) = (false, heredoc, false);
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if escaped {
            escaped = false;
            continue;
        }
        let starts_word = i == 1 || chars[i - 2].is_whitespace() || ";|&(".contains(chars[i - 2]);
        if heredoc && matches!(ch, '\'' | '"') {
            continue;
        }
        if ch == '#' && !single && !double && starts_word {
            while i < chars.len() && chars[i] != '\n' {
                i += 1; // a comment
            }
            continue;
        }
        match ch {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if double && chars.get(i) == Some(&'(') && chars.get(i + 1) != Some(&'(') => {
                let end = closing(chars, i + 1);
                out.push(chars[i + 1..end].iter().collect());
                i = end + 1;
            }
            '`' if double => {
                let mut end = i;
                while end < chars.len() && chars[end] != '`' {
                    end += 1 + usize::from(chars[end] == '\\');
                }
                let end = end.min(chars.len());
                out.push(chars[i..end].iter().collect());
                i = end + 1;
            }
            _ => {}
        }
    }
    out
}

/// Where the `)` closing a substitution whose body starts at `i` is (or the end): parentheses
/// nest, and quotes inside it are its own.
fn closing(chars: &[char], mut i: usize) -> usize {
    let (mut single, mut double, mut depth) = (false, false, 1usize);
    while i < chars.len() {
        match chars[i] {
            '\\' if !single => i += 1,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '(' if !single && !double => depth += 1,
            ')' if !single && !double => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}
