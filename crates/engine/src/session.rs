//! A loaded workspace: the manifest, its instance graph and where the engine keeps its state.
//! Every front end (the `gosales` CLI, its web UI, a library user) starts from one.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::hashcache::HashCache;
use crate::lockfile::LockFile;
use crate::manifest::Manifest;
use crate::plan::Planner;
use crate::scheduler::Engine;
use crate::workspace::Workspace;
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
