//! Manifest diagnostics: errors that point at a file, line and column, with the source line
//! underlined and a hint. Every semantic check of the manifest reports through [`SourceFile::error`].

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A text file the manifest layer read, kept so errors can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative to the workspace root).
    pub name: String,
    pub text: Arc<String>,
    line_starts: Arc<Vec<usize>>,
}

/// A position in a [`SourceFile`]: byte offset and length, plus the 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub offset: usize,
    pub len: usize,
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text: Arc::new(text),
            line_starts: Arc::new(line_starts),
        }
    }

    /// Converts a (1-based line, 1-based character column) marker into a byte position.
    pub fn pos(&self, line: usize, column: usize, len: usize) -> Pos {
        let line = line.max(1);
        let start = *self
            .line_starts
            .get(line - 1)
            .unwrap_or(self.line_starts.last().unwrap_or(&0));
        let rest = &self.text[start.min(self.text.len())..];
        let byte_col: usize = rest
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        let offset = (start + byte_col).min(self.text.len());
        let len = len.min(self.text.len() - offset);
        Pos {
            offset,
            len,
            line,
            column: column.max(1),
        }
    }

    /// The position of byte `offset` (on a character boundary), `len` bytes long.
    pub fn at_offset(&self, offset: usize, len: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = 1 + self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        Pos {
            offset,
            len: len.min(self.text.len() - offset),
            line,
            column,
        }
    }

    /// Position of a marked-yaml span, `len` bytes long.
    pub fn marked(&self, span: &marked_yaml::Span, len: usize) -> Pos {
        match span.start() {
            Some(m) => self.pos(m.line(), m.column(), len),
            None => Pos::default(),
        }
    }

    pub fn error(&self, at: Pos, kind: ErrorKind) -> ManifestError {
        let (label, help) = kind.label_and_help();
        ManifestError {
            location: format!("{}:{}:{}", self.name, at.line, at.column),
            message: kind.to_string(),
            kind,
            src: NamedSource::new(self.name.clone(), self.text.as_str().to_owned()),
            span: SourceSpan::new(at.offset.into(), at.len),
            label,
            help,
        }
    }
}

/// What went wrong in a manifest or params file. Messages are written in one place, here.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum ErrorKind {
    #[error("invalid YAML: {0}")]
    Syntax(String),
    #[error("unknown key `{key}` in {context}")]
    UnknownKey {
        key: String,
        context: String,
        expected: Vec<&'static str>,
        suggestion: Option<String>,
    },
    #[error("missing key `{key}` in {context}")]
    MissingKey { key: &'static str, context: String },
    #[error("expected {expected} for {context}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
        context: String,
    },
    #[error("node `{node}` has both `stage` and `cmd`")]
    StageAndCmd { node: String },
    #[error("node `{node}` needs a `stage` or a `cmd`")]
    NoAction { node: String },
    #[error("unknown stage `{stage}` in node `{node}`")]
    UnknownStage {
        stage: String,
        node: String,
        known: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("undefined variable `{var}`")]
    UndefinedVar {
        var: String,
        known: Vec<String>,
        suggestion: Option<String>,
        /// In a `cmd`, where `${HOME}` reads as a placeholder: the hint then says how to
        /// write a shell variable.
        in_cmd: bool,
    },
    #[error("`{{{placeholder}}}` names no {what} of this node")]
    UnknownPlaceholder {
        placeholder: String,
        what: String,
        known: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("node `{node}` needs unknown node `{need}`")]
    UnknownNeed {
        node: String,
        need: String,
        suggestion: Option<String>,
    },
    #[error("node `{node}` (stage `{stage}`) has no role `{role}`")]
    UnknownRole {
        node: String,
        stage: String,
        role: String,
        known: String,
        suggestion: Option<String>,
    },
    #[error("node `{node}` (stage `{stage}`) reads role `{role}` ({about}), and no `needs` entry fills it")]
    UnboundRole {
        node: String,
        stage: String,
        role: String,
        about: String,
        default_node: String,
    },
    #[error("node `{node}` fills role `{role}` with node `{target}`, of stage `{target_stage}`: the role reads the outputs of a `{expected}` node")]
    RoleStage {
        node: String,
        role: String,
        target: String,
        target_stage: String,
        expected: String,
    },
    #[error("`{need}` matches no instance of node `{target}` (from `{instance}`)")]
    NeedMatchesNothing {
        need: String,
        target: String,
        instance: String,
    },
    #[error("input `{path}` of `{instance}` does not exist")]
    MissingInput {
        path: String,
        instance: String,
        /// The declared output nearest to `path` by name, for a misspelt one.
        suggestion: Option<String>,
    },
    #[error("output `{path}` is declared by both `{first}`{} and `{second}`", .inside.as_ref().map_or(String::new(), |o| format!(" (inside its output `{o}`)")))]
    DuplicateOutput {
        path: String,
        first: String,
        /// The output of `first` that `path` lies inside, when it is not the same path.
        inside: Option<String>,
        second: String,
    },
    #[error("dependency cycle: {}", cycle.join(" -> "))]
    Cycle { cycle: Vec<String> },
    #[error("invalid value `{value}` for {context}: {reason}")]
    InvalidValue {
        value: String,
        context: String,
        reason: String,
    },
    #[error("invalid params for stage `{stage}`: {reason}")]
    InvalidParams { stage: String, reason: String },
    #[error("cannot read `{path}`: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("unsupported manifest version `{found}`")]
    Version { found: String },
}

impl ErrorKind {
    fn label_and_help(&self) -> (String, Option<String>) {
        use ErrorKind::*;
        let did_you_mean = |s: &Option<String>| s.as_ref().map(|s| format!("did you mean `{s}`?"));
        match self {
            Syntax(_) => ("here".into(), None),
            UnknownKey {
                expected,
                suggestion,
                ..
            } => (
                "unknown key".into(),
                Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`? expected one of: {}", expected.join(", ")),
                    None => format!("expected one of: {}", expected.join(", ")),
                }),
            ),
            MissingKey { key, .. } => (format!("`{key}` is required here"), None),
            WrongType { expected, .. } => (format!("expected {expected}"), None),
            StageAndCmd { .. } => (
                "this node".into(),
                Some("a node runs either a built-in `stage` or a shell `cmd`, not both".into()),
            ),
            NoAction { .. } => (
                "this node".into(),
                Some("add `stage: <name>` for a built-in stage, or `cmd: <shell command>`".into()),
            ),
            UnknownStage {
                known, suggestion, ..
            } => (
                "not a built-in stage".into(),
                Some(match did_you_mean(suggestion) {
                    Some(d) => format!("{d} built-in stages: {}", known.join(", ")),
                    None => format!("built-in stages: {}", known.join(", ")),
                }),
            ),
            UndefinedVar {
                var,
                known,
                suggestion,
                in_cmd,
            } => {
                let defined = match did_you_mean(suggestion) {
                    Some(d) => format!("{d} defined: {}", known.join(", ")),
                    None if known.is_empty() => "no variables are defined here".into(),
                    None => format!("defined: {}", known.join(", ")),
                };
                (
                    "not defined in `vars` or by `foreach`".into(),
                    Some(if *in_cmd && !var.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        // `{n+=$2}` is code (awk's, a shell's group), no variable's name.
                        format!(
                            "braces in a `cmd` are placeholders; to write `{{{var}}}` as code (awk, a shell group), double them: `{{{{{var}}}}}`"
                        )
                    } else if *in_cmd {
                        format!(
                            "{defined}; a shell variable in a `cmd` is `${var}` or `${{{{{var}}}}}` (`{{{{` and `}}}}` are literal braces)"
                        )
                    } else {
                        defined
                    }),
                )
            }
            UnknownPlaceholder {
                what,
                known,
                suggestion,
                ..
            } => (
                format!("no such {what}"),
                Some(match did_you_mean(suggestion) {
                    Some(d) => format!("{d} declared: {}", known.join(", ")),
                    None if known.is_empty() => format!("this node declares no {what}"),
                    None => format!("declared: {}", known.join(", ")),
                }),
            ),
            UnknownNeed { suggestion, .. } => ("no such node".into(), did_you_mean(suggestion)),
            UnknownRole {
                known, suggestion, ..
            } => (
                "no such role".into(),
                Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`? roles of this stage: {known}"),
                    None if known.is_empty() => "this stage reads no upstream by role; write `needs` as a list".into(),
                    None => format!("roles of this stage: {known}"),
                }),
            ),
            UnboundRole {
                role, default_node, ..
            } => (
                "role not filled".into(),
                Some(format!("list the node `{default_node}` in `needs`, or bind the role to a node: `needs: {{{role}: NODE, ...}}`")),
            ),
            RoleStage { role, expected, .. } => (
                "wrong kind of node".into(),
                Some(format!("bind `{role}` to a `{expected}` node: `needs: {{{role}: NODE, ...}}`")),
            ),
            NeedMatchesNothing { .. } => (
                "matches nothing".into(),
                Some("partition values in `needs` are matched in the target's `foreach` key order; use `*` for any".into()),
            ),
            MissingInput { suggestion, .. } => (
                "file not found".into(),
                Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`, which a node outputs? Else create the file, fix the path, or declare a node that outputs it"),
                    None => "create the file, fix the path, or declare a node that outputs it".into(),
                }),
            ),
            DuplicateOutput { .. } => (
                "declared twice".into(),
                Some("every output path must belong to exactly one instance; add a partition placeholder such as `{division}`".into()),
            ),
            Cycle { .. } => (
                "part of the cycle".into(),
                Some("read `a -> b` as `a` needs `b`; remove one of these needs".into()),
            ),
            InvalidValue { .. } => ("invalid".into(), None),
            InvalidParams { .. } => ("here".into(), None),
            Unreadable { .. } => ("here".into(), None),
            Version { .. } => ("here".into(), Some(format!("this {} reads `version: 1`", crate::program()))),
        }
    }
}

/// A manifest problem, rendered by miette with the source line and a caret.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(gosales::manifest))]
pub struct ManifestError {
    pub kind: ErrorKind,
    pub message: String,
    /// `file:line:column`, also shown in miette's header; kept for `--json` and tests.
    pub location: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// The closest candidate by Jaro-Winkler similarity, if it is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
