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

/// Quotes a value for `sh` if it contains anything but safe characters.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
    {
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
