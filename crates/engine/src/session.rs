//! A loaded workspace: the manifest, its instance graph and where the engine keeps its state.
//! Every front end (the `gosales` CLI, its web UI, a library user) starts from one.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::hashcache::{HashCache, Stat};
use crate::lockfile::LockFile;
use crate::manifest::Manifest;
use crate::plan::Planner;
use crate::report::{Event, Reporter};
use crate::runlog::RunLog;
use crate::scheduler::{self, Engine, RunOptions, RunReport, State};
use crate::workspace::{RunLock, Workspace};
use crate::{Error, StageCatalog};

/// A workspace loaded with the catalog of built-in stages it was checked against, which every
/// build then uses: a session cannot be built with another catalog than the one that validated
/// its params and computed its code versions (until 2026-12-07 `build` took the catalog again,
/// and a different one silently turned off the check that workers ran the code fingerprinted).
pub struct Session<'c> {
    /// The built-in stages the manifest was checked against (private: a session is built
    /// with the catalog that validated it, and no other).
    catalog: &'c dyn StageCatalog,
    /// The manifest file, absolute.
    pub manifest_path: PathBuf,
    pub ws: Workspace,
    pub manifest: Manifest,
    pub graph: Graph,
}

/// What [`Session::build_locked`] leaves its caller: the report and the state the run saved
/// (the `gosales` CLI writes its no-op certificate from them).
pub struct Built {
    pub report: RunReport,
    /// `pipeline.lock` as the run saved it.
    pub lock: LockFile,
    pub cache: HashCache,
    /// Whether `pipeline.lock` on disk is the file this run read, or the one it wrote: false
    /// when someone edited it during the run, so that nothing may vouch for it.
    pub lock_as_read: bool,
}

impl<'c> Session<'c> {
    /// Loads and validates the manifest at `path` against `catalog` and expands its graph.
    pub fn load(path: &Path, catalog: &'c dyn StageCatalog) -> Result<Session<'c>, Error> {
        let manifest = Manifest::load(path, catalog)?;
        let manifest_path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Session::from_manifest(manifest_path, manifest, catalog)
    }

    /// A session of a manifest parsed from text ([`Manifest::parse`]) rather than loaded from
    /// a file: `manifest_path` names it in messages (it need not exist); its graph is expanded
    /// against `catalog`, the one the manifest was parsed with.
    pub fn from_manifest(
        manifest_path: PathBuf,
        manifest: Manifest,
        catalog: &'c dyn StageCatalog,
    ) -> Result<Session<'c>, Error> {
        let graph = Graph::build(&manifest, catalog)?;
        Ok(Session {
            catalog,
            manifest_path,
            ws: Workspace::new(manifest.root.clone()),
            manifest,
            graph,
        })
    }

    /// The built-in stages the manifest was checked against, which every build uses.
    pub fn catalog(&self) -> &'c dyn StageCatalog {
        self.catalog
    }

    /// `pipeline.lock` as it is on disk now.
    pub fn lock(&self) -> Result<LockFile, Error> {
        LockFile::load(&self.ws)
    }

    /// A planner over this session's graph, with the lock and hash cache given.
    pub fn planner<'a>(&'a self, lock: &'a LockFile, cache: &'a mut HashCache) -> Planner<'a> {
        Planner::new(&self.ws, &self.manifest, &self.graph, lock, cache)
    }

    /// Builds what is stale in `selection` (instance indices in topological order, as
    /// [`crate::select::select`] returns them; `graph.order` for everything) and records it:
    /// the one call a front end needs for a run. On Slurm, a request Slurm cannot take is
    /// refused first; then it waits for the workspace's run lock (another run in this workspace
    /// finishes first), cancels Slurm jobs a killed run left in flight and runs
    /// ([`Session::build_locked`]). A failure is returned as the report's statuses, not an
    /// `Err`, and keeps what was built.
    ///
    /// While it waits for the lock, `reporter` hears of it ([`Reporter::waiting_for_lock`]),
    /// and `opts.interrupt` is watched: requested then, nothing has run, and the report says
    /// so (its `interrupted` signal, no results; the reporter gets [`Event::Interrupted`] and
    /// [`Event::Finished`]). Nothing is recorded: the run log is the lock holder's.
    pub fn build(
        &self,
        exe: PathBuf,
        selection: &[usize],
        opts: &RunOptions,
        reporter: &mut dyn Reporter,
    ) -> Result<RunReport, Error> {
        self.preflight(selection, opts)?;
        let started = std::time::Instant::now();
        let held = RunLock::acquire_interruptible(&self.ws, &opts.command, &opts.interrupt, |h| {
            reporter.waiting_for_lock(h)
        })?;
        let Some(held) = held else {
            let signal = opts.interrupt.requested().unwrap_or(libc::SIGTERM);
            reporter.report(Event::Interrupted { signal, running: 0 });
            reporter.report(Event::Finished);
            return Ok(RunReport {
                run_id: scheduler::new_run_id(),
                results: Vec::new(),
                duration_ms: started.elapsed().as_millis() as u64,
                interrupted: Some(signal),
            });
        };
        crate::slurm::reap_leftovers(&self.ws)?;
        Ok(self
            .build_locked(&held, exe, selection, opts, reporter)?
            .report)
    }

    /// On the Slurm executor, asks Slurm whether it would take each node's request (its
    /// partition, time, memory), so that a run it cannot take stops before anything runs.
    pub fn preflight(&self, selection: &[usize], opts: &RunOptions) -> Result<(), Error> {
        let selection = crate::select::checked(&self.graph, selection)?;
        if opts.executor != crate::slurm::ExecutorKind::Slurm {
            return Ok(());
        }
        let nodes = selection
            .iter()
            .map(|&i| self.graph.instances[i].node.as_str())
            .collect();
        crate::slurm::preflight(&self.manifest.executor, &self.manifest.file, &nodes)
    }

    /// [`Session::build`] for a front end that holds the run lock already (it took it to say
    /// that it waits, or to refuse to wait, and reaped what a killed run left in flight). Reads
    /// the state under the lock (the previous run may just have written it), runs, forgets lock
    /// entries of instances the manifest no longer has (after a run that succeeded), and saves
    /// `pipeline.lock`; the
    /// run log and hash cache are written as instances settle.
    pub fn build_locked(
        &self,
        held: &RunLock,
        exe: PathBuf,
        selection: &[usize],
        opts: &RunOptions,
        reporter: &mut dyn Reporter,
    ) -> Result<Built, Error> {
        remove_stale_temps(&self.ws, held);
        let stat = || {
            std::fs::metadata(self.ws.lock_path())
                .ok()
                .map(|m| Stat::of(&m))
        };
        let read = stat();
        let mut lock = self.lock()?;
        let mut runlog = RunLog::open(&self.ws)?;
        let mut cache = HashCache::load(&self.ws);
        let engine = self.engine(exe);
        let state = State {
            lock: &mut lock,
            cache: &mut cache,
            runlog: &mut runlog,
        };
        let report = scheduler::run(&engine, selection, opts, state, reporter)?;
        // Entries of instances the manifest no longer has go once a run succeeds with it. Not
        // after a failure: a mistyped SKU map row can drop a division from the graph for one
        // failed run, and forgetting its instances then rebuilt them all once it was fixed.
        let forgotten = if report.ok() {
            self.forget_in(&mut lock)
        } else {
            Vec::new()
        };
        crate::failures::record(&self.ws, &report)?;
        let rewrites = lock.will_write(&self.ws);
        lock.save(&self.ws)?;
        record_forgotten(&mut runlog, forgotten, "no longer in the manifest")?;
        // Unless this run wrote the lock, it must be the file it read (no edit in between).
        let lock_as_read = rewrites || stat() == read;
        Ok(Built {
            report,
            lock,
            cache,
            lock_as_read,
        })
    }

    /// Forgets the `pipeline.lock` entries of instances the manifest no longer has, and records
    /// that in the run log (`why`), as a run that succeeds does: for a front end that removed
    /// their outputs ([`crate::orphans::remove`]), so that the lock no longer vouches for files
    /// that are gone (until 2026-12-07 `gosales clean` left the entries, and `audit` then
    /// failed on every file clean had removed). Returns the instances forgotten.
    pub fn forget_absent(&self, _held: &RunLock, why: &str) -> Result<Vec<String>, Error> {
        let mut lock = self.lock()?;
        let forgotten = self.forget_in(&mut lock);
        if forgotten.is_empty() {
            return Ok(forgotten);
        }
        let mut runlog = RunLog::open(&self.ws)?;
        lock.save(&self.ws)?;
        record_forgotten(&mut runlog, forgotten.clone(), why)?;
        Ok(forgotten)
    }

    /// The instances `lock` has entries for that the manifest no longer has.
    pub fn absent_from_manifest(&self, lock: &LockFile) -> Vec<String> {
        lock.instances
            .keys()
            .filter(|id| !self.graph.index.contains_key(*id))
            .cloned()
            .collect()
    }

    /// Drops from `lock` the entries [`Session::absent_from_manifest`] names; returns them.
    fn forget_in(&self, lock: &mut LockFile) -> Vec<String> {
        lock.retain(|id| self.graph.index.contains_key(id))
    }

    /// What a run needs: this session, its stages' hooks and the program that runs stages.
    pub fn engine(&self, exe: PathBuf) -> Engine<'_> {
        Engine {
            ws: &self.ws,
            manifest: &self.manifest,
            graph: &self.graph,
            catalog: self.catalog,
            exe,
        }
    }
}

/// Records in the run log that the lock forgot `instances` (nothing when there are none). After
/// the lock without them is saved: a save that failed (a full disk) left entries the log would
/// otherwise say were forgotten, and the audit called them put back.
fn record_forgotten(runlog: &mut RunLog, instances: Vec<String>, why: &str) -> Result<(), Error> {
    if instances.is_empty() {
        return Ok(());
    }
    runlog
        .append(&crate::entry::Entry::Forget(crate::entry::ForgetEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            instances,
            why: why.into(),
        }))
        .map(|_| ())
}

/// The state files [`crate::workspace::write_atomic`] writes, by directory: their temp files are
/// `.<name>.tmp<pid>` beside them.
const ATOMIC_STATE: [(&str, &[&str]); 2] = [
    ("", &["pipeline.lock"]),
    (
        "cache",
        &[
            "hashcache.json",
            "runlog.verified",
            "fresh.cert",
            "failures.json",
        ],
    ),
];

/// Removes the temp files of gosales' own atomic writes that a failed write or a kill left
/// behind (`cache/.hashcache.json.tmp28903`): they would pile up forever. Only under the run
/// lock, and even then a file whose pid is alive on this host, or that changed in the last
/// minute, is left: `status` and `explain` save the hash cache without the lock. (Here, not in
/// `workspace.rs`: every stage's code version covers that file, and this is no stage's
/// concern.)
fn remove_stale_temps(ws: &Workspace, _held: &RunLock) -> usize {
    let mut removed = 0;
    for (dir, names) in ATOMIC_STATE {
        let dir = ws.root.join(dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name();
            let Some(pid) = file.to_str().and_then(|f| temp_pid(f, names)) else {
                continue;
            };
            let recent = entry
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| t.elapsed().map_or(true, |age| age.as_secs() < 60))
                .unwrap_or(true);
            if !recent && !alive(pid) && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// The pid of `.<name>.tmp<pid>` for one of `names`, else `None`.
fn temp_pid(file: &str, names: &[&str]) -> Option<i32> {
    let rest = file.strip_prefix('.')?;
    names.iter().find_map(|n| {
        let digits = rest.strip_prefix(n)?.strip_prefix(".tmp")?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    })
}

/// True when a process `pid` exists on this host (ours or another user's).
fn alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
