//! Splitting a command into its simple commands as `sh` would: heredoc bodies, comments and
//! quotes, and the subshell each runs in.

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
