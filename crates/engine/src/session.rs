//! A loaded workspace: the manifest, its instance graph and where the engine keeps its state.
//! Every front end (the `gosales` CLI, its web UI, a library user) starts from one.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::hashcache::HashCache;
use crate::lockfile::LockFile;
use crate::manifest::Manifest;
use crate::plan::Planner;
use crate::report::Reporter;
use crate::runlog::RunLog;
use crate::scheduler::{self, Engine, RunOptions, RunReport, State};
use crate::workspace::{RunLock, Workspace};
use crate::{Error, StageCatalog};

pub struct Session {
    /// The manifest file, absolute.
    pub manifest_path: PathBuf,
    pub ws: Workspace,
    pub manifest: Manifest,
    pub graph: Graph,
}

impl Session {
    /// Loads and validates the manifest at `path` against `catalog` and expands its graph.
    pub fn load(path: &Path, catalog: &dyn StageCatalog) -> Result<Session, Error> {
        let manifest = Manifest::load(path, catalog)?;
        let graph = Graph::build(&manifest, catalog)?;
        Ok(Session {
            manifest_path: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
            ws: Workspace::new(manifest.root.clone()),
            manifest,
            graph,
        })
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
    /// the one call a front end needs for a run. It waits for the workspace's run lock (another
    /// run in this workspace finishes first; on Slurm, a request Slurm cannot take is refused
    /// first), cancels Slurm jobs a killed run left in flight,
    /// forgets lock entries of instances the manifest no longer has, runs, and saves
    /// `pipeline.lock`. The run log and hash cache are written as instances settle, so a
    /// failure (returned as the report's statuses, not an `Err`) keeps what was built.
    pub fn build(
        &self,
        catalog: &dyn StageCatalog,
        exe: PathBuf,
        selection: &[usize],
        opts: &RunOptions,
        reporter: &mut dyn Reporter,
    ) -> Result<RunReport, Error> {
        if opts.executor == crate::slurm::ExecutorKind::Slurm {
            // Refuse a request Slurm cannot take before anything runs.
            let nodes = selection
                .iter()
                .map(|&i| self.graph.instances[i].node.as_str())
                .collect();
            crate::slurm::preflight(&self.manifest.executor, &self.manifest.file, &nodes)?;
        }
        let _held = RunLock::acquire(&self.ws, true, &opts.command, |_| {})?;
        crate::slurm::reap_leftovers(&self.ws)?;
        let mut lock = self.lock()?;
        let mut runlog = RunLog::open(&self.ws)?;
        let mut cache = HashCache::load(&self.ws);
        lock.retain(|id| self.graph.index.contains_key(id));
        let engine = self.engine(catalog, exe);
        let state = State {
            lock: &mut lock,
            cache: &mut cache,
            runlog: &mut runlog,
        };
        let report = scheduler::run(&engine, selection, opts, state, reporter)?;
        lock.save(&self.ws)?;
        Ok(report)
    }

    /// What a run needs: this session, the stages' hooks and the program that runs stages.
    pub fn engine<'a>(&'a self, catalog: &'a dyn StageCatalog, exe: PathBuf) -> Engine<'a> {
        Engine {
            ws: &self.ws,
            manifest: &self.manifest,
            graph: &self.graph,
            catalog,
            exe,
        }
    }
}
