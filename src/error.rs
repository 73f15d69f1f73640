//! The crate's error type and the process exit codes, decided in one place.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error as ThisError;

use crate::engine::diagnostic::ManifestError;

/// Process exit codes. Documented in the README; tests assert them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything asked for succeeded.
    Ok = 0,
    /// A run had failed instances, `audit` found a mismatch, or `status --check` found stale work.
    Failed = 1,
    /// The command line was wrong: bad flag, unknown target or instance.
    Usage = 2,
    /// The manifest or a params file is invalid, or a declared input is missing.
    Manifest = 3,
    /// Engine state (`pipeline.lock`, `cache/runlog.jsonl`, the hash cache) is unreadable.
    State = 4,
    /// Another run holds the workspace lock and `--no-wait` was given.
    Locked = 5,
    /// A filesystem operation failed (permissions, disk full, ...).
    Io = 6,
    /// A service the run needs did not answer (Slurm's controller), after retries.
    Unavailable = 7,
    /// Blocking data-contract violations stopped publication (`etl build-star`).
    Contract = 10,
    /// A run stopped by SIGHUP, SIGINT, SIGPIPE or SIGTERM (128 + the signal, as a shell
    /// reports it).
    Hangup = 129,
    Interrupted = 130,
    BrokenPipe = 141,
    Terminated = 143,
}

/// Everything that can stop a gosales command.
#[derive(Debug, ThisError, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] Box<ManifestError>),

    #[error("{message}")]
    #[diagnostic(code(gosales::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{}` is corrupt: {message}", path.display())]
    #[diagnostic(code(gosales::state))]
    State {
        path: PathBuf,
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("the workspace is locked by another gosales run ({holder})")]
    #[diagnostic(
        code(gosales::locked),
        help("wait for it to finish, or run without `--no-wait` to queue behind it")
    )]
    Locked { holder: String },

    #[error("{action} `{}`", path.display())]
    #[diagnostic(code(gosales::io))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{message}")]
    #[diagnostic(code(gosales::unavailable))]
    Unavailable {
        message: String,
        #[help]
        help: Option<String>,
    },

    /// A run or audit finished with failures; the details were already reported.
    #[error("{0}")]
    #[diagnostic(code(gosales::failed))]
    Failed(String),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Manifest(_) => ExitCode::Manifest,
            Error::Usage { .. } => ExitCode::Usage,
            Error::State { .. } => ExitCode::State,
            Error::Locked { .. } => ExitCode::Locked,
            Error::Io { .. } => ExitCode::Io,
            Error::Unavailable { .. } => ExitCode::Unavailable,
            Error::Failed(_) => ExitCode::Failed,
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub fn usage(message: impl Into<String>, help: Option<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help,
        }
    }

    pub fn state(path: impl Into<PathBuf>, message: impl Into<String>, help: &str) -> Self {
        Error::State {
            path: path.into(),
            message: message.into(),
            help: Some(help.to_string()),
        }
    }
}

/// The engine's errors as the CLI shows them: each gets its exit code (through the variant) and
/// a hint naming what to run or edit. The only place engine errors meet gosales' commands.
impl From<gosales_engine::Error> for Error {
    fn from(e: gosales_engine::Error) -> Self {
        use gosales_engine::error::StateFile;
        use gosales_engine::Error as E;
        match e {
            E::Manifest(m) => Error::Manifest(m),
            E::UnknownTarget {
                message,
                suggestion,
            } => Error::usage(message, suggestion),
            E::NeverBuilt { instance, needs } => Error::usage(
                format!("`{instance}` needs `{needs}`, which has never been built"),
                Some(format!("run `gosales run --target {needs}` first")),
            ),
            E::UpstreamMissing {
                instance,
                needs,
                file,
            } => Error::usage(
                format!("`{instance}` needs `{needs}`, whose output `{file}` is missing (deleted since it was built)"),
                Some(format!("run `gosales run --target {needs}` first: it rebuilds what is missing")),
            ),
            E::Executor { message, fix } => Error::usage(
                message,
                Some(format!("{fix}, or run with `--executor local`")),
            ),
            E::Unavailable { message, fix } => Error::Unavailable {
                message,
                help: Some(fix),
            },
            E::State {
                file,
                path,
                message,
            } => Error::state(
                path,
                message,
                match file {
                    StateFile::Lock => "restore it from version control (`git checkout pipeline.lock`), or delete it to rebuild everything",
                    StateFile::LockJournal => "the journal of an interrupted run is damaged; delete it to rerun what that run built",
                    StateFile::RunLog => "run `gosales audit` for a full report; to start a new chain, move the file aside (it stays verifiable on its own)",
                },
            ),
            E::Locked { holder } => Error::Locked { holder },
            E::Io {
                action,
                path,
                source,
            } => Error::Io {
                action,
                path,
                source,
            },
        }
    }
}

impl From<ManifestError> for Error {
    fn from(e: ManifestError) -> Self {
        Error::Manifest(Box::new(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
