//! Just enough Rust lexing to tell code from test code: where an inline test module ends.

/// The text the compiler builds outputs from: comments removed (a doc comment naming
/// `crate::stages` is no dependency) and inline `#[cfg(test)] mod .. { }` blocks cut out, up
/// to their closing brace (test code shapes no output, and its `use super::*` would otherwise
/// name the whole parent module; code after the block still counts).
pub(super) fn code_only(text: &str) -> String {
    let mut kept = String::new();
    let mut body = text;
    let mut from = 0;
    while let Some(at) = body[from..].find("#[cfg(test)]") {
        let start = from + at;
        let after = body[start + "#[cfg(test)]".len()..].trim_start();
        // An inline test module (`mod tests {`), not a declaration of a file (`mod tests;`).
        let inline = after.strip_prefix("mod ").is_some_and(|r| {
            r.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .trim_start()
                .starts_with('{')
        });
        if inline {
            let open = body.len() - after.len() + after.find('{').unwrap_or(0);
            if let Some(close) = matching_brace(body, open) {
                kept.push_str(&body[..start]);
                body = &body[close + 1..];
                from = 0;
                continue;
            }
        }
        from = start + 1;
    }
    kept.push_str(body);
    kept.lines()
        .map(|l| match l.find("//") {
            // Not inside a string such as "http://": a comment starts a line or follows code.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The byte offset of the `}` closing the `{` at `open`, skipping braces in string, raw string,
/// byte and char literals and in comments (a lifetime `'a` is not a char literal). `None` when
/// it finds no close: the caller then keeps the rest of the file (more paths followed, never
/// fewer).
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in Rust.
                let mut nest = 0usize;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        nest += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'r' if i == 0
                || !ident(b[i - 1])
                || (b[i - 1] == b'b' && (i < 2 || !ident(b[i - 2]))) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + 2 + hashes;
                    i = text[body..]
                        .find(&close)
                        .map_or(b.len(), |n| body + n + close.len());
                    continue;
                }
            }
            b'\'' => {
                // A char literal closes within a few bytes ('{', '\'', '\u{7b}', 'é'); a
                // lifetime or label does not. `close`: the offset of its closing quote.
                let rest = &text[i + 1..];
                let close = if let Some(esc) = rest.strip_prefix('\\') {
                    let escaped = esc.chars().next().map_or(1, char::len_utf8);
                    text.get(i + 2 + escaped..)
                        .and_then(|r| r.find('\''))
                        .filter(|&m| m <= 6)
                        .map(|m| 2 + escaped + m)
                } else {
                    rest.chars()
                        .next()
                        .map(char::len_utf8)
                        .filter(|&n| rest[n..].starts_with('\''))
                        .map(|n| 1 + n)
                };
                if let Some(c) = close {
                    i += c;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}
