//! gosales: a manifest-driven, incremental DAG pipeline that turns a reseller's sales logs into
//! ICP scores and whitespace opportunities.
//!
//! The crate is organised like the pipeline it runs:
//! - [`engine`]: the manifest, the partition-expanded DAG, fingerprints, the lock file, the
//!   hash-chained run log and the scheduler. It knows nothing about what a stage computes.
//! - [`stages`]: the `Stage` trait, its registry and one module per built-in stage.
//! - [`cli`]: one module per subcommand; the only place that prints.

// Manifest errors carry their source text for rendering; they are built once, on a cold path,
// so their size does not matter and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cli;
#[cfg(test)]
mod code_version;
/// The engine crate, under the name the rest of gosales has always used for it.
pub use gosales_engine as engine;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod ml;
pub mod onboard;
pub mod stages;
pub mod synth;
pub mod ui;

pub use error::{Error, ExitCode};
