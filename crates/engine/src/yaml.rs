//! Spanned YAML: parse with marked-yaml so every key and value keeps its line and column, and
//! helpers that turn shape mistakes into [`ManifestError`]s pointing at the offending text.

use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{LoadError, LoaderOptions, Node};
use serde_json::Value;

use super::diagnostic::{suggest, ErrorKind, ManifestError, Pos, SourceFile};

/// Parses a YAML document whose top level must be a mapping. Duplicate keys are errors.
pub fn parse(src: &SourceFile) -> Result<Node, ManifestError> {
    // marked-yaml coerces every scalar unless told otherwise: with `prevent_coercion` only plain
    // scalars may be typed, so `"000123"` stays the string a user quoted it as.
    let opts = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true);
    if let Some(line) = second_document(&src.text) {
        return Err(src.error(
            src.pos(line, 1, 3),
            ErrorKind::Syntax(
                "a second YAML document: only the first of a file is read, so its keys would be ignored without a word; merge them into the first (remove this `---`)".into(),
            ),
        ));
    }
    marked_yaml::parse_yaml_with_options(0, src.text.as_str(), opts).map_err(|e| {
        let (pos, msg) = match &e {
            LoadError::TopLevelMustBeMapping(m) => (
                src.pos(m.line(), m.column(), 1),
                "the top level must be a mapping of keys".to_string(),
            ),
            LoadError::DuplicateKey(inner) => {
                let key = &inner.key;
                (
                    scalar_pos(src, key),
                    format!("duplicate key `{}`", key.as_str()),
                )
            }
            LoadError::ScanError(m, scan) => {
                #[allow(deprecated)]
                let d = std::error::Error::description(scan).to_string();
                // The scanner stops where it gave up, often lines after the bracket left open:
                // shown at the bracket.
                match unclosed_flow(&src.text, m.line()) {
                    Some((c, line, col)) => (
                        src.pos(line, col, 1),
                        format!(
                            "this `{c}` is not closed ({d}, at line {}, column {})",
                            m.line(),
                            m.column()
                        ),
                    ),
                    None => (src.pos(m.line(), m.column(), 1), d),
                }
            }
            LoadError::UnexpectedAnchor(m) => (
                src.pos(m.line(), m.column(), 1),
                "anchors and aliases are not supported".to_string(),
            ),
            LoadError::UnexpectedTag(m) => (
                src.pos(m.line(), m.column(), 1),
                "YAML tags are not supported".to_string(),
            ),
            LoadError::MappingKeyMustBeScalar(m) => (
                src.pos(m.line(), m.column(), 1),
                "mapping keys must be plain strings".to_string(),
            ),
            other => (Pos::default(), other.to_string()),
        };
        src.error(pos, ErrorKind::Syntax(msg))
    })
}

/// The innermost `{` or `[` of a flow collection still open at the end of line `upto`
/// (1-based), with its line and column: outside quotes and comments, one that starts a value
/// (after `key:`, `- ` or at a line's start) or sits inside another.
fn unclosed_flow(text: &str, upto: usize) -> Option<(char, usize, usize)> {
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    for (n, line) in text.lines().take(upto).enumerate() {
        let (mut single, mut double) = (false, false);
        let mut prev_word = ' ';
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match c {
                '\'' if !double => single = !single,
                '"' if !single => double = !double,
                '#' if !single && !double && prev.is_whitespace() => break,
                '{' | '['
                    if !single
                        && !double
                        && (!open.is_empty() || matches!(prev_word, ':' | '-' | ' ')) =>
                {
                    open.push((c, n + 1, col + 1));
                }
                '}' | ']' if !single && !double && !open.is_empty() => {
                    open.pop();
                }
                _ => {}
            }
            if !c.is_whitespace() {
                prev_word = c;
            }
            prev = c;
        }
    }
    open.pop()
}

/// The 1-based line of a document start (`---`) or end (`...`) marker that has content
/// before it: the first document's end. A marker always sits at column 0, even inside a block
/// scalar, so a line scan finds it.
fn second_document(text: &str) -> Option<usize> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        let marker = ["---", "..."].iter().any(|m| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        });
        if marker && content {
            // A lone end marker with nothing after it ends the only document.
            let rest_empty = text
                .lines()
                .skip(i + 1)
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
            if line.starts_with("...") && rest_empty {
                return None;
            }
            return Some(i + 1);
        }
        let t = line.trim();
        if !marker && !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
            content = true;
        }
    }
    None
}

/// Position of a scalar, underlining its text (and its quotes, if quoted).
pub fn scalar_pos(src: &SourceFile, s: &MarkedScalarNode) -> Pos {
    let quotes = if s.may_coerce() { 0 } else { 2 };
    src.marked(s.span(), s.as_str().len().max(1) + quotes)
}

/// Position of any node: a scalar's text, or the first character of a collection.
pub fn node_pos(src: &SourceFile, node: &Node) -> Pos {
    match node {
        Node::Scalar(s) => scalar_pos(src, s),
        other => src.marked(other.span(), 1),
    }
}

pub fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Scalar(_) => "a scalar",
        Node::Mapping(_) => "a mapping",
        Node::Sequence(_) => "a list",
    }
}

/// Rejects keys outside `allowed`, with a did-you-mean.
pub fn check_keys(
    src: &SourceFile,
    map: &MarkedMappingNode,
    allowed: &[&'static str],
    context: &str,
) -> Result<(), ManifestError> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(src.error(
                scalar_pos(src, key),
                ErrorKind::UnknownKey {
                    key: key.as_str().to_string(),
                    context: context.to_string(),
                    expected: allowed.to_vec(),
                    suggestion: suggest(key.as_str(), allowed.iter().copied()),
                },
            ));
        }
    }
    Ok(())
}

pub fn expect_mapping<'a>(
    src: &SourceFile,
    node: &'a Node,
    context: &str,
) -> Result<&'a MarkedMappingNode, ManifestError> {
    node.as_mapping()
        .ok_or_else(|| wrong_type(src, node, "a mapping", context))
}

pub fn expect_scalar<'a>(
    src: &SourceFile,
    node: &'a Node,
    context: &str,
) -> Result<&'a MarkedScalarNode, ManifestError> {
    node.as_scalar()
        .ok_or_else(|| wrong_type(src, node, "a string", context))
}

/// A list of strings; a single scalar is accepted as a one-element list.
pub fn expect_scalar_list<'a>(
    src: &SourceFile,
    node: &'a Node,
    context: &str,
) -> Result<Vec<&'a MarkedScalarNode>, ManifestError> {
    match node {
        Node::Scalar(s) => Ok(vec![s]),
        Node::Sequence(seq) => seq.iter().map(|n| expect_scalar(src, n, context)).collect(),
        Node::Mapping(_) => Err(wrong_type(src, node, "a list of strings", context)),
    }
}

pub fn wrong_type(
    src: &SourceFile,
    node: &Node,
    expected: &'static str,
    context: &str,
) -> ManifestError {
    src.error(
        node_pos(src, node),
        ErrorKind::WrongType {
            expected,
            found: kind_name(node),
            context: context.to_string(),
        },
    )
}

/// Converts a spanned node to JSON, typing plain scalars by YAML 1.2's core schema
/// (null, booleans, integers, floats; everything else, including dates, stays a string).
pub fn to_json(node: &Node) -> Value {
    match node {
        Node::Scalar(s) => scalar_to_json(s),
        Node::Sequence(seq) => Value::Array(seq.iter().map(to_json).collect()),
        Node::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().to_string(), to_json(v)))
                .collect(),
        ),
    }
}

pub fn scalar_to_json(s: &MarkedScalarNode) -> Value {
    let text = s.as_str();
    if !s.may_coerce() {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    // Above i64::MAX a whole number is still one (a seed of 2^63 was read as a float, and a
    // param reading a u64 refused it as "floating point").
    if let Ok(u) = text.parse::<u64>() {
        return Value::from(u);
    }
    let looks_numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && text.chars().any(|c| c.is_ascii_digit());
    if looks_numeric {
        if let Ok(f) = text.parse::<f64>() {
            if let Some(n) = serde_json::Number::from_f64(f) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        to_json(&parse(&SourceFile::new("p.yaml", text.to_string())).unwrap())
    }

    #[test]
    fn whole_numbers_up_to_u64_max_stay_whole() {
        // 2^63 was read as the float 9.223372036854776e18, which a seed (u64) refused.
        assert_eq!(
            json("s: 9223372036854775808\nm: 18446744073709551615\n"),
            serde_json::json!({"s": 9223372036854775808u64, "m": u64::MAX})
        );
        assert!(json("x: 18446744073709551616\n")["x"].is_f64());
    }

    #[test]
    fn an_unclosed_bracket_is_named_where_it_opened() {
        // A tester's manifest: the scanner gave up at line 7.
        let text = "version: 1\nnodes:\n  a:\n    cmd: echo '{' {out.o}\n    outputs: {o: o/a\n\n  b:\n    cmd: echo > {out.o}\n    outputs: {o: o/b}\n";
        let e = parse(&SourceFile::new("p.yaml", text.into())).unwrap_err();
        let shown = format!("{:?}", e.kind);
        assert!(shown.contains("this `{` is not closed"), "{shown}");
        assert_eq!(e.location, "p.yaml:5:14");
        assert_eq!(unclosed_flow("a: [1, {b: 2}]\nc: d\n", 2), None);
    }

    #[test]
    fn a_second_document_is_refused_at_its_marker_and_one_document_is_read() {
        // `printf -- '---\ngp_min_threshold: 100\n' >> labels.yaml` was read as no edit.
        assert_eq!(second_document("a: 1\n---\nb: 2\n"), Some(2));
        assert_eq!(second_document("a: 1\n...\n---\nb: 2\n"), Some(2));
        assert_eq!(second_document("# c\n---\na: 1\n"), None);
        assert_eq!(second_document("%YAML 1.2\n---\na: 1\n...\n"), None);
        assert_eq!(second_document("a: |\n  ---\n  x\nb: '---'\n"), None);
        let e = parse(&SourceFile::new(
            "p.yaml",
            "a: 1\n--- # more\nb: 2\n".into(),
        ));
        assert!(format!("{:?}", e.unwrap_err()).contains("a second YAML document"));
        assert_eq!(json("---\na: 1\n"), serde_json::json!({"a": 1}));
    }

    #[test]
    fn a_quoted_scalar_stays_the_string_it_was_written_as() {
        // A part number like 000123 or a division called "true" is a string once quoted.
        let v = json("a: \"000123\"\nb: '12.5'\nc: [\"true\", 'null', \"7\"]\nd: 000123\ne: 7\n");
        assert_eq!(v["a"], "000123");
        assert_eq!(v["b"], "12.5");
        assert_eq!(v["c"], serde_json::json!(["true", "null", "7"]));
        // Plain scalars are typed by the core schema as before.
        assert_eq!(v["d"], 123);
        assert_eq!(v["e"], 7);
    }
}
