//! The command line: one module per subcommand. This is the only layer that prints.

mod audit;
mod clean;
mod dag;
mod etl;
mod explain;
mod gen_data;
mod holdout;
mod init;
mod phases;
mod progress;
mod run;
mod status;
mod ui;
mod worker;

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::engine::manifest::MANIFEST_FILE;
use crate::{Error, ExitCode};

const AFTER_HELP: &str = "\
Targets (for --target, --force, exec and explain):
  features                        every instance of the node `features`
  features@Solidworks@2024-06-30  one instance (partition values in `foreach` order)
  features@Solidworks             instances whose leading partition values match
  features@*@2024-06-30           `*` matches any value at that position

Exit codes:
  0 success   1 failed instances, audit mismatch or stale (--check)   2 bad command line
  3 invalid manifest or missing input   4 corrupt pipeline.lock or run log
  5 workspace locked (--no-wait)   6 filesystem error
  10 blocking data-contract violations (`etl build-star`)
  130 run stopped by Ctrl-C (143 SIGTERM, 129 SIGHUP, 141 SIGPIPE: a closed
      pipe such as `| head`): what finished is kept

Examples:
  gosales run                            build everything that is stale
  gosales run --target whitespace -j 2   build `whitespace` and what it needs
  gosales run --dry-run                  show what would run, and why
  gosales explain features@PDM@2024-06-30
  gosales audit                          verify the run log and every recorded output";

/// A manifest-driven, incremental DAG pipeline: sales logs in, ICP scores and whitespace out.
///
/// gosales reads `pipeline.yaml`, expands each node over its partitions, and runs only the
/// instances whose fingerprint (code version, params, input bytes, upstream outputs) changed.
#[derive(Debug, Parser)]
#[command(name = "gosales", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Workspace directory (default: the nearest directory upward holding pipeline.yaml); the
    /// standalone commands (etl, labels, features, train, validate-holdout, gen-data, init) read
    /// their relative paths from it, as `make -C` does
    #[arg(short = 'C', long = "dir", global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Manifest file (default: DIR/pipeline.yaml)
    #[arg(long, global = true, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build what is stale in the selection (everything by default), upstream first, in parallel
    Run(run::RunArgs),
    /// Run one instance now, exactly as the scheduler would (its upstream must be built)
    Exec(run::ExecArgs),
    /// Show every selected instance as fresh or stale, with the reasons
    Status(status::StatusArgs),
    /// Explain one instance: what its fingerprint is made of and why it is stale
    Explain(explain::ExplainArgs),
    /// Print the instance graph as text, Graphviz dot or Mermaid
    Dag(dag::DagArgs),
    /// Verify the run log's hash chain and re-hash every recorded output
    Audit(audit::AuditArgs),
    /// Remove orphaned outputs: files gosales published for nodes, partitions or output paths
    /// that pipeline.yaml no longer declares (`status` lists them)
    Clean(clean::CleanArgs),
    /// Phase 0 outside the pipeline: `gosales etl build-star --config FILE`
    Etl(etl::EtlArgs),
    /// Phase 1 outside the pipeline: `gosales labels build --division D --cutoff C`
    Labels(phases::LabelsArgs),
    /// Phase 2 outside the pipeline: `gosales features build --division D --cutoff C`
    Features(phases::FeaturesArgs),
    /// Phase 3 outside the pipeline: `gosales train --division D --cutoffs C1,C2,C3`
    Train(phases::TrainArgs),
    /// Holdout validation of one division's model; exit 1 when a gate fails
    ValidateHoldout(holdout::ValidateArgs),
    /// Serve the web UI (Overview, Scores, Whitespace, Models, Data quality, Audit) on localhost
    #[command(
        long_about = "Serve the web UI on localhost: read-only, offline (no script, no CDN), over the \
files under outputs/ and the engine state.\n\n\
Pages:\n  \
/             the pipeline graph, fresh/stale/failed per node, the last run\n  \
/scores       ICP scores; ?division= ?icp_grade= filter, ?q= searches id and name,\n                \
?sort=<column>&order=asc|desc, ?page= ?size= (at most 500), ?format=csv downloads\n  \
/whitespace   the ranking, same parameters (no grade), with the blend's weights and coverage\n  \
/customer     ?id=<customer id>: one customer's opportunities and scores\n  \
/models       every division's metrics; ?division=<name> for its card, folds and charts\n  \
/quality      row counts, dropped rows, contract violations, checksums\n  \
/audit        the full audit (as `gosales audit`) and the latest run log records\n\n\
Before the pipeline has run, each page says what is missing and the `gosales run --target` \
that builds it.\n\nExample: gosales ui --port 8501, then open http://127.0.0.1:8501/"
    )]
    Ui(ui::UiArgs),
    /// Write the synthetic sales log, holdout and enrichment files (the default data set)
    GenData(gen_data::GenDataArgs),
    /// Set up a workspace for your own sales log: columns, SKU map, window and cutoffs chosen
    /// from the data, each choice printed with where to change it
    Init(init::InitArgs),
    /// (internal) run a built-in stage from a job file; started by the engine
    #[command(hide = true)]
    Worker(worker::WorkerArgs),
    /// (internal) run a prepared instance inside a Slurm job; submitted by the engine
    #[command(hide = true)]
    Job(worker::JobArgs),
}

/// The workspace from `--dir` / `--manifest` / the current directory, without loading the
/// manifest: for commands that read only what is on disk (`audit`, `ui`).
fn workspace_only(cli: &Cli) -> Result<crate::engine::workspace::Workspace, Error> {
    let root = match (&cli.dir, &cli.manifest) {
        (_, Some(m)) => manifest_dir(m),
        (Some(d), None) => d.clone(),
        // The nearest directory upward holding pipeline.yaml, as the other commands find it;
        // else here (a workspace whose manifest is gone still has its history to audit).
        (None, None) => match find_manifest(cli) {
            Ok(m) => manifest_dir(&m),
            Err(_) => std::env::current_dir()
                .map_err(|e| Error::io("cannot read current directory", ".", e))?,
        },
    };
    Ok(crate::engine::workspace::Workspace::new(root))
}

/// The directory a manifest path is in (`.` for a bare file name).
fn manifest_dir(m: &Path) -> PathBuf {
    m.parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| ".".into())
}

/// The standalone commands read and write paths relative to the workspace, as `make -C` does:
/// `-C DIR` moves there first (for `init` too: its paths are then read from DIR); the phase commands that read a built workspace (`labels`,
/// `features`, `train`, `validate-holdout`) otherwise move to the nearest directory upward
/// holding `pipeline.yaml`, as the pipeline commands find it (from `stages/`, they looked for
/// `outputs/` there and asked to build what was built).
fn enter_workspace(cli: &Cli) -> Result<(), Error> {
    let reads_workspace = matches!(
        cli.command,
        Command::Labels(_) | Command::Features(_) | Command::Train(_) | Command::ValidateHoldout(_)
    );
    if let (Command::Init(a), Some(m)) = (&cli.command, &cli.manifest) {
        // init writes DIR/pipeline.yaml, the file every other command looks for; a manifest
        // elsewhere would be one no `gosales -C DIR ...` finds.
        return Err(Error::usage(
            format!(
                "`--manifest {}` names a manifest to read; init writes its workspace's own, {}",
                m.display(),
                a.dir.join(MANIFEST_FILE).display()
            ),
            Some(format!(
                "drop `--manifest`: `gosales init {} --sales-log FILE`",
                a.dir.display()
            )),
        ));
    }
    let standalone = reads_workspace
        || matches!(
            cli.command,
            Command::GenData(_) | Command::Etl(_) | Command::Init(_)
        );
    if !standalone {
        return Ok(());
    }
    let dir = match &cli.dir {
        Some(d) => Some(d.clone()),
        None if reads_workspace => find_manifest(cli).ok().map(|m| manifest_dir(&m)),
        None => None,
    };
    if let Some(d) = dir {
        std::env::set_current_dir(&d).map_err(|e| Error::io("cannot enter", &d, e))?;
    }
    Ok(())
}

pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    enter_workspace(&cli)?;
    match &cli.command {
        Command::Worker(a) => worker::run(a),
        Command::Job(a) => worker::job(a),
        Command::GenData(a) => gen_data::run(a),
        Command::Init(a) => init::run(a, cli.dir.as_deref()),
        Command::Etl(a) => etl::run(a),
        Command::Labels(a) => phases::labels(a),
        Command::Features(a) => phases::features(a),
        Command::Train(a) => phases::train(a),
        Command::Ui(a) => ui::run(&cli, a),
        Command::ValidateHoldout(a) => holdout::validate_holdout(a),
        Command::Run(a) => run::run(&cli, a),
        Command::Exec(a) => run::exec(&cli, a),
        Command::Status(a) => status::run(&cli, a),
        Command::Explain(a) => explain::run(&cli, a),
        Command::Dag(a) => dag::run(&cli, a),
        Command::Audit(a) => audit::run(&cli, a),
        Command::Clean(a) => clean::run(&cli, a),
    }
}

/// Prints an error once, with source snippets for manifest errors.
pub fn report_error(err: &Error) {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    // Wrapped at spaces only: by default a path was broken at a hyphen
    // (`sales_lines_2013-` / `2017.csv`), which a reader cannot paste back.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    if handler.render_report(&mut out, err).is_err() {
        out = format!("error: {err}");
    }
    // Not `eprintln!`: it panics when stderr cannot be written (a log on a full disk).
    let _ = writeln!(std::io::stderr(), "{}", out.trim_end());
}

pub use crate::engine::session::Session;

pub(crate) fn find_manifest(cli: &Cli) -> Result<PathBuf, Error> {
    if let Some(m) = &cli.manifest {
        return Ok(match &cli.dir {
            Some(d) if m.is_relative() => d.join(m),
            _ => m.clone(),
        });
    }
    if let Some(d) = &cli.dir {
        return Ok(d.join(MANIFEST_FILE));
    }
    let cwd =
        std::env::current_dir().map_err(|e| Error::io("cannot read current directory", ".", e))?;
    let mut dir: Option<&Path> = Some(&cwd);
    while let Some(d) = dir {
        if d.join(MANIFEST_FILE).is_file() {
            return Ok(d.join(MANIFEST_FILE));
        }
        dir = d.parent();
    }
    Err(Error::usage(
        format!(
            "no `{MANIFEST_FILE}` in `{}` or any parent directory",
            cwd.display()
        ),
        Some("run gosales inside a workspace, or pass `-C DIR` or `--manifest FILE`".into()),
    ))
}

/// The workspace the command line names (`-C`, `--manifest`, or the nearest `pipeline.yaml`).
pub fn session(cli: &Cli) -> Result<Session<'static>, Error> {
    let path = find_manifest(cli)?;
    if !path.is_file() {
        return Err(Error::usage(
            format!("manifest `{}` not found", path.display()),
            Some("pass `-C DIR` or `--manifest FILE`".into()),
        ));
    }
    Ok(Session::load(&path, &crate::stages::Catalog)?)
}

/// The one instance `target` names, or a usage error that lists what it matched instead.
pub fn one_instance(s: &Session, target: &str, verb: &str) -> Result<usize, Error> {
    if let Some(&i) = s.graph.index.get(target) {
        return Ok(i);
    }
    let m = crate::engine::select::matches(&s.graph, target)?;
    let ids: Vec<&str> = m
        .iter()
        .take(5)
        .map(|&j| s.graph.instances[j].id.as_str())
        .collect();
    Err(Error::usage(
        format!(
            "`{target}` names {} instances; {verb} takes exactly one",
            m.len()
        ),
        Some(format!("for example: {}", ids.join(", "))),
    ))
}

/// The `--json` result of the command, printed by [`finish_json`] once the exit code is known.
static JSON_RESULT: std::sync::Mutex<Option<serde_json::Value>> = std::sync::Mutex::new(None);

/// Keeps `v` as the command's `--json` result. Nothing is printed yet: [`finish_json`] prints it
/// with `ok` and `exit_code` in front, so every command's JSON says how it ended in the same two
/// keys (a script reads `ok` instead of each command's own word for success).
pub fn print_json(v: &impl serde::Serialize) {
    let v = serde_json::to_value(v).expect("serialisable");
    *JSON_RESULT.lock().unwrap_or_else(|e| e.into_inner()) = Some(v);
}

/// Prints the kept `--json` result, if any, as `{"ok": code == 0, "exit_code": code, ...}`; a
/// failed command's error object replaces whatever result it kept.
pub fn finish_json(code: i32, error: Option<&Error>) {
    let kept = JSON_RESULT.lock().unwrap_or_else(|e| e.into_inner()).take();
    let mut out = serde_json::Map::new();
    out.insert("ok".into(), (code == 0).into());
    out.insert("exit_code".into(), code.into());
    match (error, kept) {
        (Some(err), _) => {
            out.insert("error".into(), err.to_string().into());
            // What the text form shows beside the message: where (a manifest error's
            // file:line:column) and the help (a did-you-mean). Until 2026-12-07 `--json`
            // dropped both.
            if let Error::Manifest(m) = err {
                out.insert("location".into(), m.location.clone().into());
            }
            if let Some(help) = miette::Diagnostic::help(err) {
                out.insert("help".into(), help.to_string().into());
            }
        }
        (None, Some(serde_json::Value::Object(m))) => {
            out.extend(m.into_iter().filter(|(k, _)| k != "ok" && k != "exit_code"));
        }
        (None, Some(other)) => {
            out.insert("result".into(), other);
        }
        (None, None) => return,
    }
    // Not `println!`: a run stopped by SIGPIPE (its reader gone) handles the signal, so the
    // write fails with EPIPE instead of ending the process, and must not panic.
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).expect("serialisable")
    );
}
