//! `{name}` placeholders in manifest strings. `{{` and `}}` are literal braces.

/// A placeholder found in a template: its name and byte offset (of the `{`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub name: String,
    pub offset: usize,
}

/// Lists the placeholders of a template, or the offset of an unclosed `{`.
pub fn placeholders(tpl: &str) -> Result<Vec<Placeholder>, usize> {
    let mut out = Vec::new();
    let bytes = tpl.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let end = tpl[i..].find('}').ok_or(i)?;
                out.push(Placeholder {
                    name: tpl[i + 1..i + end].trim().to_string(),
                    offset: i,
                });
                i += end + 1;
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// Replaces every placeholder through `lookup`; returns the first name it could not resolve.
pub fn render(tpl: &str, mut lookup: impl FnMut(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(tpl.len());
    let bytes = tpl.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                out.push_str(&tpl[last..i]);
                out.push('{');
                i += 2;
                last = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                out.push_str(&tpl[last..i]);
                out.push('}');
                i += 2;
                last = i;
            }
            b'{' => {
                let Some(end) = tpl[i..].find('}') else {
                    return Err(tpl[i..].to_string());
                };
                out.push_str(&tpl[last..i]);
                let name = tpl[i + 1..i + end].trim();
                out.push_str(&lookup(name).ok_or_else(|| name.to_string())?);
                i += end + 1;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&tpl[last..]);
    Ok(out)
}

/// [`render`] for a shell command whose `lookup` gives shell words, each quoted as needed
/// ([`shell_quote`]). A placeholder the command wraps in quotes (`echo '{d}'`, `"{in.x}"`, as
/// people write paths) would have its value's own quoting undone: a value `$(touch x)` would
/// run, and `it's` end the quote. There the quote is closed before the words and reopened after
/// them, so the value stays exactly as written whatever quotes surround it.
pub fn render_shell(
    tpl: &str,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<String, String> {
    let quotes = quote_at_placeholders(tpl);
    let mut k = 0;
    render(tpl, |name| {
        let words = lookup(name)?;
        let q = quotes.get(k).copied().flatten();
        k += 1;
        Some(match q {
            // A plain word (a path, a number) reads the same inside quotes: left as it was, so
            // the command, and its fingerprint, stay what they were for the usual `"{in.x}"`.
            Some(q) if !is_plain(&words) => format!("{q}{words}{q}"),
            _ => words,
        })
    })
}

/// Characters `sh` reads as themselves, in quotes or not.
fn is_plain(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
}

/// The quote (`'` or `"`) each placeholder of a shell template stands inside, in order, by the
/// literal text before it: single quotes take everything to the next `'`, a backslash escapes
/// the next character outside them.
fn quote_at_placeholders(tpl: &str) -> Vec<Option<char>> {
    let bytes = tpl.as_bytes();
    let (mut out, mut quote, mut i) = (Vec::new(), None::<char>, 0);
    while i < bytes.len() {
        match (bytes[i], quote) {
            (b'{', _) if bytes.get(i + 1) == Some(&b'{') => i += 2,
            (b'}', _) if bytes.get(i + 1) == Some(&b'}') => i += 2,
            (b'{', _) => {
                out.push(quote);
                i += tpl[i..].find('}').map_or(bytes.len(), |e| e + 1);
            }
            (b'\\', Some('\'')) => i += 1,
            (b'\\', _) => i += 2,
            (b'\'', None) => {
                quote = Some('\'');
                i += 1;
            }
            (b'\'', Some('\'')) | (b'"', Some('"')) => {
                quote = None;
                i += 1;
            }
            (b'"', None) => {
                quote = Some('"');
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Quotes a value for `sh` if it contains anything but safe characters.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && is_plain(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_escapes() {
        let r = render("a/{x}/{{lit}}/{ y }", |n| Some(n.to_uppercase())).unwrap();
        assert_eq!(r, "a/X/{lit}/Y");
        assert_eq!(render("{nope}", |_| None), Err("nope".to_string()));
    }

    #[test]
    fn a_placeholder_in_quotes_keeps_its_value_as_written() {
        let words = |v: &str| shell_quote(v);
        let run = |tpl: &str, v: &str| {
            let cmd = render_shell(tpl, |_| Some(words(v))).unwrap();
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {cmd}")])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        for v in ["it's", "$(echo pwned)", "a b", "`echo x`", "plain", "\"q\""] {
            for tpl in ["{d}", "'{d}'", "\"{d}\"", "'x-{d}-y'", "\"x-{d}-y\""] {
                let want = tpl.trim_matches(['\'', '"']).replace("{d}", v);
                assert_eq!(run(tpl, v), want, "{tpl} with {v}");
            }
        }
        // Escaped quotes and braces do not open a quote.
        assert_eq!(
            quote_at_placeholders(r#"echo \' {a} "it\"s {b}" '{c}' {{x}} {d}"#),
            [None, Some('"'), Some('\''), None]
        );
    }

    #[test]
    fn lists_placeholders_with_offsets() {
        let p = placeholders("ab{c}{{d}}{e}").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].offset), ("c", 2));
        assert_eq!((p[1].name.as_str(), p[1].offset), ("e", 10));
        assert_eq!(placeholders("x{open"), Err(1));
    }

    #[test]
    fn quotes_for_shell() {
        assert_eq!(shell_quote("outputs/a.csv"), "outputs/a.csv");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
