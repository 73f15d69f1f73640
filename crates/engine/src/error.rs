//! The engine's errors: what went wrong, as data. How it is shown (exit codes, hints naming
//! commands) is the front end's business: the `gosales` CLI maps each variant in one place.

use std::path::PathBuf;

use thiserror::Error as ThisError;

use crate::diagnostic::ManifestError;

/// Which piece of engine state a [`Error::State`] is about, so a front end can say how to
/// recover from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFile {
    /// `pipeline.lock`.
    Lock,
    /// The journal of lock entries an interrupted run left behind.
    LockJournal,
    /// `cache/runlog.jsonl`.
    RunLog,
}

/// Everything the engine can fail with.
#[derive(Debug, ThisError)]
pub enum Error {
    /// The manifest, a params file or an executor config is invalid (rendered with its source).
    #[error(transparent)]
    Manifest(#[from] Box<ManifestError>),

    /// A target names nothing in the graph. `suggestion` lists close names or what exists.
    #[error("{message}")]
    UnknownTarget {
        message: String,
        suggestion: Option<String>,
    },

    /// A selected instance needs an upstream instance that is not selected and was never built.
    #[error("`{instance}` needs `{needs}`, which has never been built")]
    NeverBuilt { instance: String, needs: String },

    /// A selected instance needs an upstream instance that is not selected, was built, and has
    /// lost an output since (deleted by hand): running on what is left would read a partial
    /// upstream (an `exec score` with a division's model gone scored the other divisions only).
    #[error("`{instance}` needs `{needs}`, whose output `{file}` is missing")]
    UpstreamMissing {
        instance: String,
        needs: String,
        file: String,
    },

    /// The executor cannot run the work as configured (a missing program, a refused request).
    #[error("{message}")]
    Executor { message: String, fix: String },

    /// The executor's service (Slurm's controller) did not answer, after retries: nothing is
    /// wrong with the manifest, and the same run may work later.
    #[error("{message}")]
    Unavailable { message: String, fix: String },

    /// Engine state on disk is unreadable or does not verify.
    #[error("`{}` is corrupt: {message}", path.display())]
    State {
        file: StateFile,
        path: PathBuf,
        message: String,
    },

    /// Another run holds the workspace lock and the caller asked not to wait.
    #[error("the workspace is locked by another run ({holder})")]
    Locked { holder: String },

    /// A filesystem operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn state(file: StateFile, path: impl Into<PathBuf>, message: String) -> Self {
        Error::State {
            file,
            path: path.into(),
            message,
        }
    }
}

/// So that `fn main() -> miette::Result<()>` can `?` an engine error, and a manifest error is
/// rendered with its file, line, underlined source and hint rather than its message alone:
/// everything is delegated to the [`ManifestError`] where there is one. The other variants
/// carry no source text; the hint each holds (`suggestion`, `fix`) becomes its help.
impl miette::Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            Error::Manifest(m) => m.code(),
            _ => None,
        }
    }

    fn severity(&self) -> Option<miette::Severity> {
        match self {
            Error::Manifest(m) => m.severity(),
            _ => None,
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            Error::Manifest(m) => m.help(),
            Error::UnknownTarget {
                suggestion: Some(s),
                ..
            } => Some(Box::new(s)),
            Error::Executor { fix, .. } if !fix.is_empty() => Some(Box::new(fix)),
            Error::Unavailable { fix, .. } if !fix.is_empty() => Some(Box::new(fix)),
            _ => None,
        }
    }

    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        match self {
            Error::Manifest(m) => m.url(),
            _ => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match self {
            Error::Manifest(m) => m.source_code(),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match self {
            Error::Manifest(m) => m.labels(),
            _ => None,
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        match self {
            Error::Manifest(m) => m.related(),
            _ => None,
        }
    }

    fn diagnostic_source(&self) -> Option<&dyn miette::Diagnostic> {
        match self {
            Error::Manifest(m) => m.diagnostic_source(),
            _ => None,
        }
    }
}

impl From<ManifestError> for Error {
    fn from(e: ManifestError) -> Self {
        Error::Manifest(Box::new(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
