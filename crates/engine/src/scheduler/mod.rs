//! The scheduler: runs the stale instances of a selection on N worker threads, upstream first.
//!
//! - An instance is dispatched when all its upstream instances are settled; it is then checked
//!   again with their real outputs, so a rebuilt but byte-identical upstream output leaves it
//!   fresh ("unchanged", early cutoff) without running.
//! - A failed instance's dependents are skipped. Without `--keep-going` nothing new starts
//!   after a failure (running instances finish); with it, independent work goes on.
//! - Results are published, recorded in `pipeline.lock` and appended to the run log by the
//!   main thread, one instance at a time, as each finishes: a run killed at any point has
//!   recorded exactly the instances that completed (`publish.rs`).

mod options;
mod outcome;
mod outputs;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Instant;

use super::dispatch::{Dispatch, Done, Local, Notice};
use super::executor::{self, Prepared};
use super::fingerprint::{FingerprintInputs, StaleReason};
use super::graph::Graph;
use super::hashcache::HashCache;
use super::interrupt::signal_name;
use super::lockfile::LockFile;
use super::manifest::Manifest;
use super::plan::{Outputs, Planner};
use super::report::{Event, Reporter};
use super::runlog::RunLog;
use super::slurm::{ExecutorKind, Slurm};
use super::workspace::Workspace;
use super::StageCatalog;
use crate::Error;

pub use options::RunOptions;
use outcome::result;
pub(crate) use outcome::stamp;
pub use outcome::{
    append_run_record, new_run_id, InstanceResult, RunReport, Status, FS_ERROR_EXIT,
};
use outputs::outputs_read;
pub(crate) use outputs::{changed_files, outputs_on_disk};

/// How often a run waiting on its instances looks at its [`Interrupt`](crate::interrupt::Interrupt).
const INTERRUPT_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// What a run works on: the workspace, its manifest and graph, and the stages' hooks.
pub struct Engine<'a> {
    pub ws: &'a Workspace,
    pub manifest: &'a Manifest,
    pub graph: &'a Graph,
    /// The built-in stages, asked to check each finished instance's report.
    pub catalog: &'a dyn StageCatalog,
    /// The program that runs built-in stages (`<exe> worker <job file>`).
    pub exe: PathBuf,
}

pub(crate) struct Running {
    /// Cores granted: at the start, and more when cores fall idle ([`Drain::lend_idle_cores`]).
    cores: usize,
    pub(crate) prepared: Prepared,
    pub(crate) current: FingerprintInputs,
    pub(crate) reasons: Vec<StaleReason>,
    /// Said of the run before it started (an upstream output changed after it was published).
    pub(crate) warnings: Vec<String>,
    /// Another instance ran at some moment of this one's run: a write into an upstream output
    /// meanwhile may have been either's.
    pub(crate) overlapped: bool,
}

/// The engine state a run mutates: the lock, the hash cache and the run log.
pub struct State<'s> {
    pub lock: &'s mut LockFile,
    pub cache: &'s mut HashCache,
    pub runlog: &'s mut RunLog,
}

/// One run in progress (modelled on cargo's `DrainState`): what waits, what runs, what is
/// settled. The main thread owns it; executors only send back [`Done`] messages.
struct Drain<'r, 'a> {
    engine: &'r Engine<'a>,
    opts: &'r RunOptions,
    run_id: String,
    /// Stale instances not yet started, in topological order, with the plan's reasons.
    pending: Vec<(usize, Vec<StaleReason>)>,
    running: HashMap<usize, Running>,
    /// Upstream outputs of every instance that is settled fresh, unchanged or built.
    settled: HashMap<usize, Outputs>,
    results: BTreeMap<usize, InstanceResult>,
    total: usize,
    done: usize,
    /// Nothing new starts (a failure without `--keep-going`, or an interruption).
    stop: bool,
    /// The signal that interrupted the run, and when the running children were asked to stop.
    interrupted: Option<(i32, Instant)>,
    /// The children outlived [`crate::interrupt::GRACE`] and were killed.
    killed: bool,
    /// Warnings found while planning, for the instance they are about (an upstream outside
    /// the selection that is stale), given to it when it starts.
    planned_warnings: HashMap<usize, Vec<String>>,
}

/// Runs the stale instances of `selection` (topologically ordered). An index that is no
/// instance is an error, a repeated one runs and counts once ([`crate::select::checked`]).
pub fn run(
    engine: &Engine,
    selection: &[usize],
    opts: &RunOptions,
    state: State<'_>,
    reporter: &mut dyn Reporter,
) -> Result<RunReport, Error> {
    let started = Instant::now();
    let selection = &*super::select::checked(engine.graph, selection)?;
    let State {
        lock,
        cache,
        runlog,
    } = state;
    // Nothing else can run (we hold the run lock): leftovers in staging are from a killed run.
    let _ = std::fs::remove_dir_all(engine.ws.tmp_dir());
    let mut drain = Drain::plan(engine, opts, selection, lock, cache)?;
    reporter.report(Event::Planned { stale: drain.total });

    let (tx, rx) = mpsc::channel::<Done>();
    let mut dispatch: Box<dyn Dispatch> = match opts.executor {
        ExecutorKind::Local => Box::new(Local::new(tx.clone())),
        ExecutorKind::Slurm => Box::new(Slurm::new(
            engine.ws,
            &engine.manifest.executor,
            tx.clone(),
        )?),
    };
    let drained = drain.drain(&mut *dispatch, &rx, lock, cache, runlog, reporter);
    dispatch.finish();
    reporter.report(Event::Finished);
    drained?;
    drain.skip_the_rest();
    // Empty once every instance published or discarded what it staged; only if empty, so
    // nothing a kept failure or a Slurm job left there is lost.
    let _ = fs::remove_dir(engine.ws.tmp_dir().join(&drain.run_id));
    cache.save(engine.ws)?;
    let report = RunReport {
        run_id: drain.run_id.clone(),
        results: selection
            .iter()
            .filter_map(|i| drain.results.remove(i))
            .collect(),
        duration_ms: started.elapsed().as_millis() as u64,
        interrupted: drain.interrupted.map(|(sig, _)| sig),
    };
    let counts = [
        Status::Built,
        Status::Unchanged,
        Status::Fresh,
        Status::Failed,
        Status::Skipped,
    ]
    .map(|s| report.count(s));
    append_run_record(
        runlog,
        &report.run_id,
        &opts.command,
        selection.len(),
        counts,
        report.duration_ms,
        report.interrupted,
        engine.catalog.identity(),
    )?;
    Ok(report)
}

impl<'r, 'a> Drain<'r, 'a> {
    /// Plans the selection: fresh instances are settled at once, the rest wait.
    fn plan(
        engine: &'r Engine<'a>,
        opts: &'r RunOptions,
        selection: &[usize],
        lock: &LockFile,
        cache: &mut HashCache,
    ) -> Result<Self, Error> {
        let graph = engine.graph;
        let mut planner = Planner::new(engine.ws, engine.manifest, graph, lock, cache);
        let initial = planner.plan(selection, &opts.forced)?;
        let mut settled = planner.outside_settled(selection)?;
        let selected: BTreeSet<usize> = selection.iter().copied().collect();
        for &i in selection {
            for &d in &graph.instances[i].deps {
                if selected.contains(&d) {
                    continue;
                }
                let Some(now) = settled.get_mut(&d) else {
                    return Err(Error::NeverBuilt {
                        instance: graph.instances[i].id.clone(),
                        needs: graph.instances[d].id.clone(),
                    });
                };
                let published = &lock.instances[&graph.instances[d].id].outputs;
                if let Some(file) = published.keys().find(|f| !now.contains_key(*f)) {
                    return Err(Error::UpstreamMissing {
                        instance: graph.instances[i].id.clone(),
                        needs: graph.instances[d].id.clone(),
                        file: file.clone(),
                    });
                }
                // As published: an output edited since is found when `i` starts, and said
                // ([`Self::upstream_as_on_disk`]); `exec` of an instance read a hand-edited
                // upstream without a word.
                *now = published.clone();
            }
        }
        // An upstream outside the selection that a run would rebuild (its params edited): the
        // instance reads what it published before, and is told so (`exec` said nothing).
        let mut planned_warnings: HashMap<usize, Vec<String>> = HashMap::new();
        let outside: BTreeSet<usize> = selection
            .iter()
            .flat_map(|&i| graph.instances[i].deps.iter().copied())
            .filter(|d| !selected.contains(d))
            .collect();
        for d in outside {
            let Some((_, v)) = planner.plan(&[d], &BTreeSet::new())?.pop() else {
                continue;
            };
            let Some(reason) = v.reasons.first().filter(|_| !v.is_fresh()) else {
                continue;
            };
            let id = &graph.instances[d].id;
            for &i in selection
                .iter()
                .filter(|&&i| graph.instances[i].deps.contains(&d))
            {
                planned_warnings.entry(i).or_default().push(format!(
                    "upstream `{id}` is stale ({reason}) and not in this run: this instance reads its outputs as they are on disk; `{}` rebuilds it first",
                    crate::advice::run_target(id)
                ));
            }
        }
        let mut results = BTreeMap::new();
        let mut pending = Vec::new();
        for (i, v) in initial {
            if v.is_fresh() {
                settled.insert(i, lock.instances[&graph.instances[i].id].outputs.clone());
                results.insert(i, result(graph, i, Status::Fresh, Vec::new()));
            } else {
                pending.push((i, v.reasons));
            }
        }
        Ok(Drain {
            engine,
            opts,
            run_id: new_run_id(),
            total: pending.len(),
            pending,
            running: HashMap::new(),
            settled,
            results,
            done: 0,
            stop: false,
            interrupted: None,
            killed: false,
            planned_warnings,
        })
    }

    /// Starts what is ready and settles what finishes until nothing runs.
    fn drain(
        &mut self,
        dispatch: &mut dyn Dispatch,
        rx: &Receiver<Done>,
        lock: &mut LockFile,
        cache: &mut HashCache,
        runlog: &mut RunLog,
        reporter: &mut dyn Reporter,
    ) -> Result<(), Error> {
        loop {
            // Looked at here too, not only when nothing reports: short instances may settle
            // faster than the poll.
            self.watch_interrupt(dispatch, reporter);
            self.start_ready(dispatch, lock, cache, reporter)?;
            for n in dispatch.notices() {
                match n {
                    Notice::Say(text) => reporter.notice(&text),
                    Notice::Shows { i, what } if self.running.contains_key(&i) => {
                        reporter.instance_state(&self.engine.graph.instances[i].id, &what)
                    }
                    Notice::Shows { .. } => {}
                }
            }
            if self.running.is_empty() {
                return Ok(());
            }
            let (i, mut outcome) = match rx.recv_timeout(INTERRUPT_POLL) {
                Ok(done) => done,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => {
                    unreachable!("the dispatch holds a sender while instances run")
                }
            };
            let r = self
                .running
                .remove(&i)
                .expect("result of a running instance");
            if let (Some((sig, _)), false) = (self.interrupted, outcome.ok) {
                // Half an instance stopped on purpose is nothing to inspect: not kept in
                // `cache/failed` as a failure's files are.
                executor::discard(&r.prepared);
                outcome.error = Some(format!(
                    "interrupted ({}) before it finished",
                    signal_name(sig)
                ));
            }
            let res = super::publish::finish(
                self.engine,
                i,
                r,
                outcome,
                lock,
                cache,
                runlog,
                &self.run_id,
            )?;
            match res.status {
                Status::Built => {
                    let id = &self.engine.graph.instances[i].id;
                    self.settled.insert(i, lock.instances[id].outputs.clone());
                }
                _ if !self.opts.keep_going => self.stop = true,
                _ => {}
            }
            self.settle(i, res, reporter);
        }
    }

    /// Once the run's [`Interrupt`](crate::interrupt::Interrupt) is requested: stops starting anything and asks the running
    /// instances to stop (SIGTERM); those still running [`crate::interrupt::GRACE`] later are
    /// killed. Their outcomes still arrive and are recorded as failures.
    fn watch_interrupt(&mut self, dispatch: &mut dyn Dispatch, reporter: &mut dyn Reporter) {
        match self.interrupted {
            None => {
                let Some(sig) = self.opts.interrupt.requested() else {
                    return;
                };
                self.stop = true;
                self.interrupted = Some((sig, Instant::now()));
                dispatch.interrupt(libc::SIGTERM);
                reporter.report(Event::Interrupted {
                    signal: sig,
                    running: self.running.len(),
                });
            }
            Some((_, at)) if !self.killed && at.elapsed() >= super::interrupt::GRACE => {
                self.killed = true;
                dispatch.interrupt(libc::SIGKILL);
            }
            Some(_) => {}
        }
    }

    fn settle(&mut self, i: usize, res: InstanceResult, reporter: &mut dyn Reporter) {
        self.done += 1;
        reporter.report(Event::Settled {
            done: self.done,
            total: self.total,
            result: &res,
        });
        self.results.insert(i, res);
    }

    /// Dispatches every pending instance whose upstream is settled, while slots are free; each is
    /// checked again with its upstream's real outputs first (early cutoff). When fewer instances
    /// are ready than slots are free, the free slots are shared among them as cores
    /// ([`crate::job::StageJob::cores`]): a lone training instance may use the idle cores. A
    /// Slurm job gets the CPUs its request names (1 if none).
    fn start_ready(
        &mut self,
        dispatch: &mut dyn Dispatch,
        lock: &mut LockFile,
        cache: &mut HashCache,
        reporter: &mut dyn Reporter,
    ) -> Result<(), Error> {
        let slots = self.opts.jobs.max(1);
        let graph = self.engine.graph;
        let mut progressed = true;
        // Slots are cores here: an instance holds as many as it was granted. A Slurm job holds
        // one slot, whatever CPUs it asked the cluster for.
        let granted = |d: &Self| match d.opts.executor {
            ExecutorKind::Local => d.running.values().map(|r| r.cores).sum::<usize>(),
            ExecutorKind::Slurm => d.running.len(),
        };
        while progressed && !self.stop && granted(self) < slots {
            progressed = false;
            let free = slots - granted(self);
            // One pass: skip what an upstream failure rules out, collect what is ready.
            let mut ready: Vec<(usize, Vec<StaleReason>)> = Vec::new();
            let mut k = 0;
            while k < self.pending.len() && ready.len() < free {
                let i = self.pending[k].0;
                let deps = &graph.instances[i].deps;
                let upstream_failed = deps.iter().any(|d| {
                    matches!(
                        self.results.get(d).map(|r| r.status),
                        Some(Status::Failed | Status::Skipped)
                    )
                });
                if upstream_failed {
                    let (_, reasons) = self.pending.remove(k);
                    let mut r = result(graph, i, Status::Skipped, reasons);
                    r.error = Some("an upstream instance failed".into());
                    self.settle(i, r, reporter);
                    progressed = true;
                    continue;
                }
                if deps.iter().all(|d| self.settled.contains_key(d)) {
                    ready.push(self.pending.remove(k));
                    continue;
                }
                k += 1;
            }
            let n = ready.len();
            for (r, (i, planned)) in ready.into_iter().enumerate() {
                progressed = true;
                let cores = match self.opts.executor {
                    // The first `free % n` get one core more (`n` >= 1 inside this loop).
                    ExecutorKind::Local => free / n + usize::from(r < free % n),
                    // A Slurm job has the CPUs it asked for, whatever is free here.
                    ExecutorKind::Slurm => {
                        let node = &graph.instances[i].node;
                        let cpus = self.engine.manifest.executor.request(node).cpus;
                        cpus.map_or(1, |c| c.max(1) as usize)
                    }
                };
                self.start_one(i, planned, cores, dispatch, lock, cache, reporter)?;
            }
        }
        if self.opts.executor == ExecutorKind::Local && !self.stop {
            self.lend_idle_cores(slots - granted(self).min(slots));
        }
        Ok(())
    }

    /// Cores still idle once everything ready has started go to the one instance still
    /// running, through its cores file. Only to a lone instance: nothing can become ready
    /// before it settles (an instance's downstream is ready when it settles), and then every
    /// core it holds is free again, so no later instance waits or starts with fewer cores.
    /// With two or more running, a core lent to one would still be held when another ended
    /// and its downstream became ready. At the end of a pipeline a lone `score` started beside
    /// a short `validate` gets the second core when that one ends.
    fn lend_idle_cores(&mut self, idle: usize) {
        if idle == 0 || self.running.len() != 1 {
            return;
        }
        let r = self
            .running
            .values_mut()
            .next()
            .expect("one running instance");
        r.cores += idle;
        // Written whole, then renamed: a reader sees the old grant or the new one.
        let file = &r.prepared.cores_file;
        let tmp = file.with_extension("cores.tmp");
        if fs::write(&tmp, format!("{}\n", r.cores)).is_ok() {
            let _ = fs::rename(&tmp, file);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn start_one(
        &mut self,
        i: usize,
        planned: Vec<StaleReason>,
        cores: usize,
        dispatch: &mut dyn Dispatch,
        lock: &mut LockFile,
        cache: &mut HashCache,
        reporter: &mut dyn Reporter,
    ) -> Result<(), Error> {
        let e = self.engine;
        let graph = e.graph;
        let mut warnings = self.planned_warnings.remove(&i).unwrap_or_default();
        warnings.extend(self.upstream_as_on_disk(i, lock, cache)?);
        let mut planner = Planner::new(e.ws, e.manifest, graph, lock, cache).verifying();
        let verdict = planner.verdict(i, &self.settled, self.opts.forced.contains(&i))?;
        if verdict.is_fresh() {
            self.settled
                .insert(i, lock.instances[&graph.instances[i].id].outputs.clone());
            let r = result(graph, i, Status::Unchanged, planned);
            self.settle(i, r, reporter);
            return Ok(());
        }
        let current = match verdict.current {
            Some(c) => c,
            None => planner.current(i, &|d| self.settled.get(&d).cloned())?,
        };
        let prepared = executor::prepare(e, i, &self.run_id, cores)?;
        reporter.report(Event::Started {
            instance: &graph.instances[i].id,
            cores,
        });
        dispatch.start(i, &graph.instances[i].node, &prepared);
        let overlapped = !self.running.is_empty();
        for r in self.running.values_mut() {
            r.overlapped = true;
        }
        self.running.insert(
            i,
            Running {
                cores,
                prepared,
                current,
                reasons: verdict.reasons,
                warnings,
                overlapped,
            },
        );
        Ok(())
    }

    /// The outputs of `i`'s settled upstream instances as they are on disk now, put in
    /// `settled` where they differ from what was published, with a warning for each. A command
    /// that writes outside its declared outputs, into an upstream's (`sort -o` of its input in
    /// place, a script with a path of its own), changes the bytes `i` will read: recorded with
    /// the published hashes, `i` stayed "fresh" on output the upstream no longer produces, and
    /// `audit` passed. Now `i` records what it read, and the upstream, modified on disk, is
    /// stale. Files are stat-checked through the hash cache; one just published is hashed once
    /// more (its stat is too recent to vouch for it).
    fn upstream_as_on_disk(
        &mut self,
        i: usize,
        lock: &LockFile,
        cache: &mut HashCache,
    ) -> Result<Vec<String>, Error> {
        let (ws, graph) = (self.engine.ws, self.engine.graph);
        let mut warnings = Vec::new();
        for &d in &graph.instances[i].deps {
            let (Some(published), Some(entry)) = (
                self.settled.get(&d),
                lock.instances.get(&graph.instances[d].id),
            ) else {
                continue;
            };
            let now = outputs_read(ws, cache, &entry.output_roots)?;
            if now == **published {
                continue;
            }
            let id = &graph.instances[d].id;
            warnings.push(format!(
                "{}, an output of `{id}`, changed on disk after `{id}` wrote it (edited, or a command writing outside its declared outputs?): this instance reads it as it is now, and `{id}` is stale",
                changed_files(published, &now),
            ));
            self.settled.insert(d, std::sync::Arc::new(now));
        }
        Ok(warnings)
    }
    /// What never started is skipped, with the reason.
    fn skip_the_rest(&mut self) {
        let stop = self.stop;
        let graph = self.engine.graph;
        // Whether a failed instance is upstream of each instance, in one pass in graph order:
        // `--keep-going` would not run those either, so they are not told to use it (until
        // 2026-12-07 every skipped instance was).
        let mut downstream = vec![false; graph.instances.len()];
        for &i in &graph.order {
            downstream[i] = graph.instances[i].deps.iter().any(|&d| {
                downstream[d]
                    || self
                        .results
                        .get(&d)
                        .is_some_and(|r| r.status == Status::Failed)
            });
        }
        for (i, reasons) in std::mem::take(&mut self.pending) {
            let mut r = result(self.engine.graph, i, Status::Skipped, reasons);
            r.error = Some(if let Some((sig, _)) = self.interrupted {
                format!(
                    "not started: the run was interrupted ({})",
                    signal_name(sig)
                )
            } else if stop && downstream[i] {
                "an upstream instance failed".into()
            } else if stop {
                format!(
                    "not started: the run stopped after a failure (use {} to continue independent work)",
                    crate::commands().keep_going
                )
            } else {
                "an upstream instance failed".into()
            });
            self.results.insert(i, r);
        }
    }
}
