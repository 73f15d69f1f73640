//! HTML building blocks. Every piece of text that comes from data goes through [`esc`].

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Shown, not sent: a NUL or an ESC from a query string echoed raw (a tester's).
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn q(s: &str) -> String {
    // RFC 3986 unreserved characters stay as they are.
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

const NAV: &[(&str, &str)] = &[
    ("/", "Overview"),
    ("/scores", "Scores"),
    ("/whitespace", "Whitespace"),
    ("/models", "Models"),
    ("/quality", "Data quality"),
    ("/audit", "Audit"),
];

/// A whole page: inline CSS only, no script, nothing fetched from elsewhere.
pub fn page(active: &str, title: &str, body: &str) -> String {
    let nav: String = NAV
        .iter()
        .map(|(href, label)| {
            format!(
                "<a href=\"{href}\"{}>{label}</a>",
                if *href == active { " class=\"on\"" } else { "" }
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>gosales: {t}</title><style>\
body{{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}}nav{{background:#1f3b57;padding:8px 16px}}\
nav a{{color:#dde;margin-right:16px;text-decoration:none}}nav a.on{{color:#fff;font-weight:bold}}\
main{{padding:16px}}table{{border-collapse:collapse;margin:8px 0}}th,td{{border:1px solid #ccd;padding:3px 8px;text-align:left;white-space:nowrap}}td:last-child{{white-space:normal;min-width:20em}}\
th{{background:#eef}}.fresh{{color:#176a2c}}.stale{{color:#a15c00}}.failed,.fail{{color:#b00020}}.pass{{color:#176a2c}}\
.note{{background:#fff8e0;border:1px solid #e6d38a;padding:8px}}form *{{margin-right:8px}}</style></head>\
<body><nav>{nav}</nav><main><h1>{t}</h1>{body}</main></body></html>",
        t = esc(title)
    )
}

/// A table from a header and rows of already-escaped cells.
pub fn table(id: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let head: Vec<String> = header.iter().map(|h| esc(h)).collect();
    table_html(id, &head, rows)
}

/// A table whose header cells are HTML already (links, for instance).
pub fn table_html(id: &str, header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = format!("<table id=\"{id}\"><thead><tr>");
    for h in header {
        s.push_str(&format!("<th>{h}</th>"));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            s.push_str(&format!("<td>{c}</td>"));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// Text from data as a table cell: escaped, and isolated (`<bdi>`) so that right-to-left text
/// or a stray direction override (U+202E) in a name cannot reorder what follows it. Numbers and
/// empty cells stay bare.
pub fn cell(s: &str) -> String {
    if s.is_empty() || s.parse::<f64>().is_ok() {
        esc(s)
    } else {
        format!("<bdi>{}</bdi>", esc(s))
    }
}

/// Text from data inside plain text (a title, an `<option>`), where no element may go: wrapped
/// in the Unicode first-strong isolate and its pop (U+2068, U+2069), the `<bdi>` of plain text.
/// Not escaped.
pub fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(super::esc("a\u{0}b\u{1b}\u{7f}"), "a\\u{0}b\\u{1b}\\u{7f}");
    }
}
