//! gosales-engine: a manifest-driven, incremental, partitioned DAG engine. Everything about
//! *when* and *how* work runs, nothing about *what* it computes.
//!
//! Flow: [`manifest`] (a validated `pipeline.yaml`, with file:line:column [`diagnostic`]s) ->
//! [`graph`] (partition instances in a petgraph DAG) -> [`select`] (targets) -> [`plan`] (fresh
//! or stale, with reasons, via [`fingerprint`], [`hashcache`], [`lockfile`] and, for `cmd` nodes,
//! the programs and scripts they run, [`tools`]) -> [`scheduler`]
//! (parallel execution through [`executor`], on this machine or as [`slurm`] jobs), recording
//! every instance run as a typed [`entry`] in the hash-chained [`runlog`], which [`audit`]
//! verifies. [`certificate`] answers a no-op run without planning.
//!
//! # Using it
//!
//! A front end loads a [`session::Session`] with its [`StageCatalog`] (the built-in stages it
//! offers: names, code versions, params checks, the upstream [`Role`]s each reads and a hook to
//! check what a finished instance reports; the session keeps it for every build), selects
//! targets ([`select::select`]), and calls [`session::Session::build`] with a
//! [`report::Reporter`] that shows progress its own way. The manifest's language is described
//! in [`manifest`]; [`set_commands`] spells the front end's own commands in the engine's advice.
//! `build` takes the workspace's run lock (waiting for another run to finish), runs and saves
//! the state; a front end that takes the lock itself ([`workspace::RunLock`], to say it waits
//! or to refuse to) calls [`session::Session::build_locked`] instead. ([`scheduler::run`] is the
//! run alone, under a lock its caller holds, with state its caller loads and saves.) Built-in
//! stages run in a child process the front end provides (`<exe> worker <job file>`), speaking
//! the [`job`] protocol; `cmd` nodes run shell commands. Errors are [`Error`]s, as data: the
//! front end decides exit codes and wording (they are also [`miette::Diagnostic`]s, for a front
//! end that lets miette show them). The engine never prints.
//!
//! ```
//! use gosales_engine::report::Recorder;
//! use gosales_engine::scheduler::{RunOptions, Status};
//! use gosales_engine::session::Session;
//! use gosales_engine::NoStages;
//!
//! # fn main() -> gosales_engine::miette::Result<()> {
//! // A workspace: a manifest of `cmd` nodes (no built-in stages), beside its input.
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("words.txt"), "b\na\n").unwrap();
//! std::fs::write(
//!     dir.path().join("pipeline.yaml"),
//!     "nodes:
//!   sorted:
//!     cmd: sort {in.0} > {out.0}
//!     inputs: [words.txt]
//!     outputs: [outputs/sorted.txt]
//! ",
//! )
//! .unwrap();
//!
//! // Load and validate it (a manifest error carries its file:line for miette to show).
//! let session = Session::load(&dir.path().join("pipeline.yaml"), &NoStages)?;
//! // Select: every instance with no targets, else what the targets name and their upstream.
//! let selection = gosales_engine::select::select(&session.graph, &[], false)?;
//! // Build what is stale. `NoStages` runs no worker, so the program given is never started.
//! let opts = RunOptions {
//!     jobs: 2,
//!     ..RunOptions::new("doc example")
//! };
//! let mut events = Recorder::default();
//! let report = session.build("/bin/false".into(), &selection, &opts, &mut events)?;
//!
//! // Read the results: a failure is a status in the report, not an `Err`.
//! assert!(report.ok());
//! assert_eq!(report.results[0].instance, "sorted");
//! assert_eq!(report.results[0].status, Status::Built);
//! let sorted = std::fs::read_to_string(dir.path().join("outputs/sorted.txt")).unwrap();
//! assert_eq!(sorted, "a\nb\n");
//!
//! // A second build finds it fresh and runs nothing.
//! let again = session.build("/bin/false".into(), &selection, &opts, &mut events)?;
//! assert_eq!(again.count(Status::Fresh), 1);
//! # Ok(())
//! # }
//! ```

// Manifest errors carry their source text for rendering; they are built once, on a cold path,
// so their size does not matter and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]
// The engine never prints: a front end decides what the user sees (through `report::Reporter`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod advice;
pub mod audit;
pub mod certificate;
pub mod code_version;
pub mod diagnostic;
pub(crate) mod dispatch;
pub mod entry;
pub mod error;
pub mod executor;
pub mod failures;
pub mod fingerprint;
pub mod graph;
pub mod hashcache;
pub mod interrupt;
pub mod job;
pub mod lockfile;
pub mod manifest;
pub mod orphans;
pub mod plan;
mod publish;
pub mod report;
pub mod runlog;
pub mod scheduler;
pub mod select;
pub mod session;
pub mod slurm;
pub mod space;
pub(crate) mod template;
pub mod tools;
pub mod workspace;
pub mod yaml;

pub use error::{Error, Result};

static COMMANDS: std::sync::OnceLock<Commands> = std::sync::OnceLock::new();

/// How the front end spells the commands the engine's messages advise (`rptb build --rebuild
/// count@alpha`, `rptb verify --anchor ...`): a library user's tool is not `gosales`, and its
/// verbs and flags need not be gosales'. The default is gosales' own. Each field is one word
/// of the command line, put together as `{program} {run} {target} ID`, `{program} {run}
/// {force} ID`, `{program} {explain} ID`, `{program} {audit}`, `{program} {audit} {head} HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commands {
    /// The program (`gosales`).
    pub program: String,
    /// The command that builds what is stale (`run`).
    pub run: String,
    /// Its option that builds one instance and its upstream (`--target`).
    pub target: String,
    /// Its option that rebuilds one instance even if fresh (`--force`).
    pub force: String,
    /// Its option that goes on with independent work after a failure (`--keep-going`).
    pub keep_going: String,
    /// The command that says why an instance is stale (`explain`).
    pub explain: String,
    /// The command that verifies the workspace (`audit`).
    pub audit: String,
    /// Its option that checks the run log against a head kept elsewhere (`--head`).
    pub head: String,
}

impl Default for Commands {
    fn default() -> Self {
        Commands {
            program: "gosales".into(),
            run: "run".into(),
            target: "--target".into(),
            force: "--force".into(),
            keep_going: "--keep-going".into(),
            explain: "explain".into(),
            audit: "audit".into(),
            head: "--head".into(),
        }
    }
}

/// Sets how the engine's messages spell the front end's commands ([`Commands`]). Set once,
/// before the first session; `false` if it was set already.
pub fn set_commands(commands: Commands) -> bool {
    COMMANDS.set(commands).is_ok()
}

/// Names the front end in the commands the engine's messages advise, with gosales' verbs and
/// flags ([`set_commands`] sets those too). Set once, before the first session; `false` if it
/// was set already. Unset, it is `gosales`.
pub fn set_program_name(name: impl Into<String>) -> bool {
    set_commands(Commands {
        program: name.into(),
        ..Commands::default()
    })
}

/// The front end's commands as messages spell them ([`set_commands`]).
pub fn commands() -> &'static Commands {
    static DEFAULT: std::sync::OnceLock<Commands> = std::sync::OnceLock::new();
    COMMANDS
        .get()
        .unwrap_or_else(|| DEFAULT.get_or_init(Commands::default))
}

/// The front end's name for the commands messages advise ([`set_program_name`]).
pub fn program() -> &'static str {
    &commands().program
}

/// The miette this crate's diagnostics are built with ([`Error`] and
/// [`diagnostic::ManifestError`] implement its `Diagnostic`), so that a front end renders them
/// with the same version, without depending on miette itself.
pub use miette;

/// An upstream a built-in stage reads, by role (e.g. `score` reads the role `features`: the
/// feature matrix at the scoring cutoff). The manifest binds each role to a node (see
/// [`manifest::Need`]), so a stage never depends on how nodes are named.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    pub name: &'static str,
    /// The node a `needs` list entry must name to fill the role without a mapping.
    pub default_node: &'static str,
    /// A required role that nothing fills is a load error.
    pub required: bool,
    /// What the role is, for error messages and `--help`.
    pub about: &'static str,
    /// The built-in stages whose nodes can fill it (empty: any). A node of another stage is a
    /// load error; a `cmd` node fills any role (its outputs are the user's to shape). Swapped
    /// bindings (`{labels: features, features: labels}`) loaded, and failed mid-run.
    pub stages: &'static [&'static str],
}

/// What the engine needs to know about built-in stages.
pub trait StageCatalog: Sync {
    /// Names of every built-in stage, sorted.
    fn names(&self) -> Vec<String>;
    /// The stage's code version (a hash of its source), or `None` if there is no such stage.
    fn code_version(&self, stage: &str) -> Option<String>;
    /// Checks a stage's resolved params. The error names the offending key first, in
    /// backticks (`` "`min_qty` must be at least 1" ``): the manifest error underlines the
    /// param whose key is the first backticked word, or the whole params when none is.
    fn check_params(&self, stage: &str, params: &serde_json::Value) -> Result<(), String>;
    /// The params as the stage reads them, for the fingerprint: two spellings the stage reads
    /// alike (`0` and `0.0`, a key left at its default or written out) give one value, so an
    /// edit of the manifest that changes nothing the stage sees reruns nothing. It must keep
    /// apart any two params the stage reads differently (gosales: the stage's typed params,
    /// serialised again). The default, the params as written, always does. Called only on
    /// params [`Self::check_params`] accepted; an error is reported as theirs.
    fn effective_params(
        &self,
        _stage: &str,
        params: &serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        Ok(params.clone())
    }
    /// Whether this catalog's workers write the code version they ran into their report
    /// ([`job::StageReport::code_version`]). Then the engine credits an instance's outputs only
    /// to the code that made them: a worker that ran other code than the run fingerprinted (a
    /// binary replaced by an older build mid-run, a cluster node with another build), or that
    /// says nothing, fails the instance. Off by default, for workers written before it.
    fn workers_report_code(&self) -> bool {
        false
    }
    /// Checks one partition value of a stage node at load (`foreach`): what the stage will read
    /// it as (gosales: a `cutoff` is a date or `latest`), so that a typo is a manifest error
    /// with its line, not a failed instance. The default accepts every value.
    fn check_partition(&self, _stage: &str, _key: &str, _value: &str) -> Result<(), String> {
        Ok(())
    }
    /// The upstream roles a stage reads (none by default).
    fn roles(&self, _stage: &str) -> Vec<Role> {
        Vec::new()
    }
    /// The `inputs:` names a stage reads, or `None` for any (the default). A stage finds its
    /// files by name, so the manifest refuses a name outside the list: a renamed input would
    /// otherwise go unread with no word.
    fn input_names(&self, _stage: &str) -> Option<Vec<&'static str>> {
        None
    }
    /// The `outputs:` names a stage writes, or `None` for any (the default): checked at load
    /// as input names are.
    fn output_names(&self, _stage: &str) -> Option<Vec<&'static str>> {
        None
    }
    /// Whether the stage's output `name` is a directory, which the engine creates (empty, in
    /// staging) before the stage runs, for the stage to write files into; any other output is
    /// a path the stage creates itself, a file or a directory. The default: the output named
    /// `dir`, the name of a stage node's default output (`outputs/<node>/<value>...` when the
    /// node declares no `outputs:`). A catalog whose stages write a file named `dir` says no.
    fn output_is_dir(&self, _stage: &str, name: &str) -> bool {
        name == "dir"
    }
    /// What identifies the program running the stages, recorded with every run in the run
    /// log (`program`): its version, the build of each stage's code, the runtime it loaded. A
    /// code version that changed between two runs can then be traced to its cause. Empty by
    /// default.
    fn identity(&self) -> std::collections::BTreeMap<String, String> {
        std::collections::BTreeMap::new()
    }
    /// One hash over every stage's name and code version: changes whenever any stage's does.
    fn digest(&self) -> String {
        let mut h = blake3::Hasher::new();
        for name in self.names() {
            h.update(name.as_bytes());
            h.update(b"\0");
            h.update(self.code_version(&name).unwrap_or_default().as_bytes());
            h.update(b"\n");
        }
        h.finalize().to_hex().to_string()
    }
    /// Checks what a built-in stage reported about a finished instance, before its outputs are
    /// published: an `Err` fails the instance with that message. This is where a domain rule
    /// lives that the engine cannot know (gosales: no feature event after the partition's
    /// cutoff). The default accepts every report.
    fn check_report(
        &self,
        _stage: &str,
        _partition: &[(String, String)],
        _report: &job::StageReport,
    ) -> Result<(), String> {
        Ok(())
    }
}

/// The catalog of a front end with no built-in stages: every node is a `cmd`.
pub struct NoStages;

impl StageCatalog for NoStages {
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
    fn code_version(&self, _stage: &str) -> Option<String> {
        None
    }
    fn check_params(&self, stage: &str, _params: &serde_json::Value) -> Result<(), String> {
        Err(format!(
            "unknown stage `{stage}`: only `cmd` nodes run here"
        ))
    }
}

#[cfg(test)]
mod tests;
