//! `gosales run` and `gosales exec`.

use std::collections::BTreeSet;

use clap::Args;
use serde_json::json;

use super::{print_json, Cli, Session};
use crate::engine::audit;
use crate::engine::certificate;
use crate::engine::hashcache::{HashCache, Stat};
use crate::engine::interrupt::Interrupt;
use crate::engine::runlog::RunLog;
use crate::engine::scheduler::{self, RunOptions, Status};
use crate::engine::select::{matches, select};
use crate::engine::slurm::{self, ExecutorKind};
use crate::engine::workspace::{RunLock, Workspace};
use crate::engine::StageCatalog as _;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Build this target and what it needs (repeatable; default: everything)
    #[arg(short, long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Also select everything downstream of the targets
    #[arg(long)]
    pub downstream: bool,
    /// Parallel instances: processes here, or Slurm jobs in flight (default: the number of
    /// cores; 32 with the Slurm executor)
    #[arg(short, long, value_name = "N", value_parser = jobs)]
    pub jobs: Option<usize>,
    /// Where instances run: `local` child processes, or one `slurm` batch job each (default:
    /// `executor.kind` in pipeline.yaml, else local). Slurm needs the workspace on a filesystem
    /// every node shares and gosales at the same path on every node
    #[arg(long, value_enum, value_name = "KIND")]
    pub executor: Option<Executor>,
    /// Show what would run and why, without running anything
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Rerun these instances even if fresh (repeatable; same grammar as --target)
    #[arg(long, value_name = "TARGET")]
    pub force: Vec<String>,
    /// After a failure, go on with the instances that do not depend on it
    #[arg(short, long)]
    pub keep_going: bool,
    /// Exit with code 5 instead of waiting when another run holds the workspace
    #[arg(long)]
    pub no_wait: bool,
    /// Print a JSON report on stdout (and no progress)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The instance to run, e.g. `features@Solidworks@2024-06-30`
    pub instance: String,
    /// Exit with code 5 instead of waiting when another run holds the workspace
    #[arg(long)]
    pub no_wait: bool,
    /// Print a JSON report on stdout
    #[arg(long)]
    pub json: bool,
}

/// `--executor`: where instances run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Executor {
    /// Child processes on this machine
    Local,
    /// One Slurm batch job per instance (the workspace must be on a filesystem the nodes share)
    Slurm,
}

impl From<Executor> for ExecutorKind {
    fn from(e: Executor) -> Self {
        match e {
            Executor::Local => ExecutorKind::Local,
            Executor::Slurm => ExecutorKind::Slurm,
        }
    }
}

/// The program the workers run. On Linux `/proc/self/exe`: the very binary this run started
/// from, even after a build replaces the file at its path mid-run, so workers run the code the
/// run fingerprinted (the engine also checks what each worker reports it ran).
fn gosales_exe() -> Result<std::path::PathBuf, Error> {
    let pinned = std::path::Path::new("/proc/self/exe");
    if pinned.exists() {
        return Ok(pinned.to_path_buf());
    }
    std::env::current_exe().map_err(|e| Error::io("cannot locate the gosales binary", "gosales", e))
}

/// `-j N`: at least one (`-j 0` ran one at a time without a word).
fn jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 runs nothing: give 1 or more instances at once".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "`{s}` is no count of instances: give a whole number, 1 or more"
        )),
    }
}

/// `eprintln!` that cannot panic. Once the reader of stderr is gone (`gosales run 2>&1 | head`:
/// SIGPIPE is handled during a run, so the write fails with EPIPE) or the disk under a
/// redirected log is full, a write fails; the run must still stop cleanly and be recorded.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// Ctrl-C (and SIGTERM, SIGHUP, SIGPIPE) stop a run cleanly: what finished stays, the run log records
/// the run as interrupted. Installed only once the workspace lock is held, so that a run still
/// waiting for it (in a `flock` the handler would restart) dies of the signal at once.
fn interrupt_on_signals() -> Result<Interrupt, Error> {
    Interrupt::on_signals().map_err(|e| Error::io("cannot install signal handlers", "gosales", e))
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

/// The no-op shortcut ([`certificate`]): with the workspace lock held, answers "nothing to do"
/// from the certificate's stats alone. `None` when a full plan is needed.
fn certified_noop(
    cli: &Cli,
    a: &RunArgs,
    held: &mut Option<RunLock>,
    started: std::time::Instant,
) -> Result<Option<ExitCode>, Error> {
    let eligible =
        !a.dry_run && !a.json && !a.downstream && a.force.is_empty() && a.targets.len() <= 1;
    let Ok(path) = super::find_manifest(cli) else {
        return Ok(None);
    };
    let path = std::path::absolute(&path).unwrap_or(path);
    let root = path.parent().map(std::path::Path::to_path_buf);
    let (true, Some(root)) = (eligible && path.is_file(), root) else {
        return Ok(None);
    };
    let ws = Workspace::new(root);
    // A lost run log is worth the full plan: it is what says so.
    if !ws.certificate_path().exists() || audit::runlog_without_instances(&ws).is_some() {
        return Ok(None);
    }
    let lock = acquire(&ws, a.no_wait, a.json)?;
    let certified = certificate::check(
        &ws,
        &path,
        &identity(),
        a.targets.first().map(String::as_str),
    );
    let Some(selected) = certified else {
        *held = Some(lock);
        return Ok(None);
    };
    let mut runlog = RunLog::open(&ws)?;
    let ms = started.elapsed().as_millis();
    scheduler::append_run_record(
        &mut runlog,
        &scheduler::new_run_id(),
        &command_line(),
        selected,
        [0, 0, selected, 0, 0],
        ms as u64,
        None,
        crate::engine::StageCatalog::identity(&crate::stages::Catalog),
    )?;
    // Every instance is fresh (the certificate says so): a failed forced rebuild's note goes,
    // as after a full plan (it stayed in `status` through any number of no-op runs).
    crate::engine::failures::forget_all(&ws)?;
    say!("nothing to do: {selected} instances fresh ({ms} ms; no file changed since cache/fresh.cert)");
    Ok(Some(ExitCode::Ok))
}

/// What the certificate's key takes from this program: every stage's code version, and the
/// binary itself (by stat), so that any rebuilt gosales plans in full once.
fn identity() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{:?}", Stat::of(&m)))
        .unwrap_or_default();
    format!("{} {exe}", crate::stages::Catalog.digest())
}

fn acquire(ws: &Workspace, no_wait: bool, json: bool) -> Result<RunLock, Error> {
    let lock = RunLock::acquire(ws, !no_wait, &command_line(), |holder| {
        say!("waiting for the workspace lock held by {holder}");
    })?;
    let reaped = slurm::reap_leftovers(ws)?;
    if reaped.cancelled > 0 && !json {
        say!(
            "cancelled {} Slurm job(s) left in flight by an earlier run of this workspace that was killed; what they did not finish is stale",
            reaped.cancelled
        );
    }
    if let Some(warning) = &reaped.unconfirmed {
        say!("warning: {warning}");
    }
    Ok(lock)
}

pub fn run(cli: &Cli, a: &RunArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let mut held = None;
    if let Some(code) = certified_noop(cli, a, &mut held, started)? {
        return Ok(code);
    }
    let s = super::session(cli)?;
    let selection = select(&s.graph, &a.targets, a.downstream)?;
    let mut forced = BTreeSet::new();
    for f in &a.force {
        let named = matches(&s.graph, f)?;
        // `--force a -t b` with `a` outside what `b` needs forced nothing, said nothing, and
        // exited 0 on "nothing to do".
        if !named.iter().any(|i| selection.contains(i)) {
            return Err(Error::usage(
                format!(
                    "`--force {f}` names no instance this run selects (the targets and what they need)"
                ),
                Some(format!("add it to the targets: `--target {f}`")),
            ));
        }
        forced.extend(named);
    }
    if a.dry_run {
        // What the run itself would refuse, the dry run refuses.
        crate::engine::runlog::RunLog::check(&s.ws)?;
        return dry_run(&s, &selection, &forced, a.json, started);
    }
    let executor = a
        .executor
        .map_or(s.manifest.executor.kind, ExecutorKind::from);
    let opts = RunOptions {
        jobs: a.jobs.unwrap_or_else(|| match executor {
            ExecutorKind::Slurm => 32,
            ExecutorKind::Local => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        }),
        keep_going: a.keep_going,
        forced,
        command: command_line(),
        executor,
        interrupt: Default::default(),
    };
    s.preflight(&selection, &opts)?;
    warn_lost_history(&s)?;
    let held = match held {
        Some(l) => l,
        None => acquire(&s.ws, a.no_wait, a.json)?,
    };
    // Only now: waiting for the lock above, a signal still ends the process at once.
    let opts = RunOptions {
        interrupt: interrupt_on_signals()?,
        ..opts
    };
    let built = s.build_locked(
        &held,
        gosales_exe()?,
        &selection,
        &opts,
        &mut *super::progress::reporter(a.json),
    )?;
    let whole = selection.len() == s.graph.instances.len();
    if whole && built.report.ok() && built.lock_as_read {
        certificate::write(
            &s.ws,
            &s.manifest,
            &s.manifest_path,
            &s.graph,
            &built.lock,
            &built.cache,
            &identity(),
        );
    }
    summarise(&built.report, a.json, started)
}

/// Said before the run (once a command): after it, the log is no longer empty but still
/// holds no record of the instances that stayed fresh.
fn warn_lost_history(s: &Session) -> Result<(), Error> {
    if audit::runlog_without_instances(&s.ws).is_none() {
        return Ok(());
    }
    let known = |n: &str| s.graph.instances.iter().any(|i| i.node == n);
    if let Some(lost) = audit::lost_history(&s.ws, &s.lock()?, known) {
        say!("warning   {}", lost.message());
    }
    Ok(())
}

fn summarise(
    report: &scheduler::RunReport,
    json: bool,
    started: std::time::Instant,
) -> Result<ExitCode, Error> {
    let ms = started.elapsed().as_millis();
    if json {
        print_json(&json!({
            "status": report.status(),
            "run_id": report.run_id,
            "duration_ms": ms,
            "built": report.count(Status::Built),
            "unchanged": report.count(Status::Unchanged),
            "fresh": report.count(Status::Fresh),
            "failed": report.count(Status::Failed),
            "skipped": report.count(Status::Skipped),
            "instances": report.results,
        }));
    } else {
        let ran = report.count(Status::Built)
            + report.count(Status::Failed)
            + report.count(Status::Unchanged);
        if ran == 0 && report.ok() {
            say!(
                "nothing to do: {} instances fresh ({ms} ms)",
                report.count(Status::Fresh)
            );
        } else {
            warn(report);
            // One line a reason: a failure early in a run leaves dozens not started.
            let skipped = by_message(
                report
                    .results
                    .iter()
                    .filter(|r| r.status == Status::Skipped)
                    .map(|r| (r.error.as_deref().unwrap_or_default(), r.instance.as_str())),
            );
            for (why, ids) in skipped {
                let named = match ids.len() {
                    n if n <= 3 => ids.join(", "),
                    n => format!("{} and {} more", ids[..2].join(", "), n - 2),
                };
                say!("skipped   {named}: {why}");
            }
            say!(
                "{} in {:.2} s: {} built, {} unchanged, {} fresh, {} failed, {} skipped",
                match report.interrupted {
                    Some(_) => report.status().to_uppercase(),
                    None if report.ok() => "done".into(),
                    None => "FAILED".into(),
                },
                ms as f64 / 1000.0,
                report.count(Status::Built),
                report.count(Status::Unchanged),
                report.count(Status::Fresh),
                report.count(Status::Failed),
                report.count(Status::Skipped),
            );
        }
    }
    if let Some(sig) = report.interrupted {
        if !json {
            say!("the next run redoes only what did not finish");
        }
        return Ok(match sig {
            libc::SIGHUP => ExitCode::Hangup,
            libc::SIGTERM => ExitCode::Terminated,
            libc::SIGPIPE => ExitCode::BrokenPipe,
            _ => ExitCode::Interrupted,
        });
    }
    Ok(if report.ok() {
        ExitCode::Ok
    } else if report.results.iter().any(|r| {
        r.status == Status::Failed
            && (r.exit_code == Some(crate::engine::scheduler::FS_ERROR_EXIT)
                || r.error
                    .as_deref()
                    .is_some_and(crate::engine::space::is_fs_refusal))
    }) {
        // A full disk or a refused write is the filesystem's doing, not the stage's: exit 6.
        ExitCode::Io
    } else {
        ExitCode::Failed
    })
}

/// What built stages warned of, once a message (a warning repeated by every instance of a
/// node is one line, naming the first and how many more). A node whose instances warn of many
/// different things (47 divisions with no skill, each its own figures) gets its first few and a
/// count: the rest are in each instance's record, where `explain` and `run --json` show them.
fn warn(report: &scheduler::RunReport) {
    let warnings = by_message(report.results.iter().flat_map(|r| {
        r.warnings
            .iter()
            .map(move |w| (w.as_str(), r.instance.as_str()))
    }));
    let node = |instance: &str| instance.split('@').next().unwrap_or(instance).to_string();
    let mut per_node: Vec<(String, Grouped)> = Vec::new();
    for (message, from) in warnings {
        let n = node(from[0]);
        match per_node.iter_mut().find(|(m, _)| *m == n) {
            Some((_, list)) => list.push((message, from)),
            None => per_node.push((n, vec![(message, from)])),
        }
    }
    for (node, list) in per_node {
        let shown = if list.len() > WARNINGS_SHOWN + 2 {
            WARNINGS_SHOWN
        } else {
            list.len()
        };
        for (message, from) in &list[..shown] {
            let more = match from.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            say!("warning   {message} ({}{more})", from[0]);
        }
        let rest = &list[shown..];
        if let Some((_, from)) = rest.first() {
            let mut instances: Vec<&str> =
                rest.iter().flat_map(|(_, f)| f.iter().copied()).collect();
            instances.sort_unstable();
            instances.dedup();
            say!(
                "warning   ... {} more warnings from {} {node} instance(s): `gosales explain {}` shows an instance's, `gosales run --json` all",
                rest.len(),
                instances.len(),
                from[0]
            );
        }
    }
}

/// Messages, each with the instances that gave it.
type Grouped<'a> = Vec<(&'a str, Vec<&'a str>)>;

/// How many of a node's different warnings a run prints before it counts the rest.
const WARNINGS_SHOWN: usize = 5;

/// (message, instance) pairs grouped by message, in the order first seen, each instance once.
fn by_message<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for (message, instance) in pairs {
        match out.iter_mut().find(|(m, _)| *m == message) {
            Some((_, from)) if from.last() == Some(&instance) => {}
            Some((_, from)) => from.push(instance),
            None => out.push((message, vec![instance])),
        }
    }
    out
}

fn dry_run(
    s: &Session,
    selection: &[usize],
    forced: &BTreeSet<usize>,
    json: bool,
    started: std::time::Instant,
) -> Result<ExitCode, Error> {
    let lock = s.lock()?;
    let mut cache = HashCache::load(&s.ws);
    let mut planner = s.planner(&lock, &mut cache);
    let plan = planner.plan(selection, forced)?;
    // A dry run may hash files; keeping the results makes the next command faster. The cache is
    // written atomically, so this is safe even while a run holds the lock.
    let _ = cache.save(&s.ws);
    let stale: Vec<_> = plan.iter().filter(|(_, v)| !v.is_fresh()).collect();
    if json {
        // Counts under the names `run --json` and `status --json` give them; the lists beside.
        print_json(&json!({
            "dry_run": true,
            "duration_ms": started.elapsed().as_millis(),
            "stale": stale.len(),
            "conditional": stale.iter().filter(|(_, v)| v.is_conditional()).count(),
            "fresh": plan.len() - stale.len(),
            "would_run": stale.iter().map(|(i, v)| json!({
                "instance": s.graph.instances[*i].id,
                "conditional": v.is_conditional(),
                "reasons": v.reasons,
            })).collect::<Vec<_>>(),
            "fresh_instances": plan.iter().filter(|(_, v)| v.is_fresh()).map(|(i, _)| &s.graph.instances[*i].id).collect::<Vec<_>>(),
        }));
        return Ok(ExitCode::Ok);
    }
    for (i, v) in &stale {
        let reasons: Vec<String> = v.reasons.iter().map(ToString::to_string).collect();
        let verb = if v.is_conditional() {
            "may run "
        } else {
            "would run"
        };
        println!(
            "{verb} {}: {}",
            s.graph.instances[*i].id,
            reasons.join("; ")
        );
    }
    say!(
        "dry run: {} of {} selected instances stale ({} only if upstream outputs change), {} fresh ({} ms)",
        stale.len(),
        plan.len(),
        stale.iter().filter(|(_, v)| v.is_conditional()).count(),
        plan.len() - stale.len(),
        started.elapsed().as_millis()
    );
    Ok(ExitCode::Ok)
}

pub fn exec(cli: &Cli, a: &ExecArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let s = super::session(cli)?;
    let i = super::one_instance(&s, &a.instance, "exec")?;
    let held = acquire(&s.ws, a.no_wait, a.json)?;
    let opts = RunOptions {
        jobs: 1,
        keep_going: false,
        forced: BTreeSet::from([i]),
        command: command_line(),
        executor: ExecutorKind::Local,
        interrupt: interrupt_on_signals()?,
    };
    let built = s.build_locked(
        &held,
        gosales_exe()?,
        &[i],
        &opts,
        &mut *super::progress::reporter(a.json),
    )?;
    summarise(&built.report, a.json, started)
}
