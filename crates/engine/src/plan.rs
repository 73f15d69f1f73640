//! Deciding, per instance, fresh or stale, and why. Used by `run`, `status`, `explain` and
//! `--dry-run` alike, so what they say always agrees with what a run would do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::diagnostic::ErrorKind;
use super::executor::render_cmd;
use super::fingerprint::{
    diff, fingerprint_params, ActionRecord, FingerprintInputs, StaleReason, FORMAT_VERSION,
};
use super::graph::{Graph, InstanceAction};
use super::hashcache::{list_files, HashCache};
use super::lockfile::LockFile;
use super::manifest::Manifest;
use super::workspace::Workspace;
use crate::Error;

/// Output files of a settled instance: file path -> blake3.
/// An instance's output hashes (path -> blake3), shared: the plan passes them around per
/// instance, and copying 100,000 maps cost more than planning them.
pub type Outputs = std::sync::Arc<BTreeMap<String, String>>;

/// The verdict on one instance.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Empty when fresh.
    pub reasons: Vec<StaleReason>,
    /// The fingerprint inputs as they are now (absent when it was never built, or unknowable).
    pub current: Option<FingerprintInputs>,
}

impl Verdict {
    pub fn is_fresh(&self) -> bool {
        self.reasons.is_empty()
    }
    /// Stale only because upstream instances will rerun: it runs only if their outputs change.
    pub fn is_conditional(&self) -> bool {
        !self.reasons.is_empty()
            && self
                .reasons
                .iter()
                .all(|r| matches!(r, StaleReason::UpstreamStale { .. }))
    }
}

/// Files under an entry's output roots that it does not record: put there by hand, or left by
/// something else. `status` calls its instance stale for them, and `audit` reports them.
pub fn unexpected_outputs(
    ws: &Workspace,
    entry: &super::lockfile::LockEntry,
) -> Result<Vec<String>, Error> {
    let mut seen = BTreeSet::new();
    for r in &entry.output_roots {
        let abs = ws.abs(r);
        match list_files(&abs, r) {
            Ok(files) => seen.extend(files.into_iter().map(|(k, _)| k)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("cannot read output", abs, e)),
        }
    }
    Ok(seen
        .into_iter()
        .filter(|k| !entry.outputs.contains_key(k))
        .collect())
}

pub struct Planner<'a> {
    ws: &'a Workspace,
    manifest: &'a Manifest,
    graph: &'a Graph,
    lock: &'a LockFile,
    cache: &'a mut HashCache,
    /// Inputs hashed through [`HashCache::tree_verified`]: for an instance about to run, whose
    /// record says what it read.
    verify: bool,
}

impl<'a> Planner<'a> {
    pub fn new(
        ws: &'a Workspace,
        manifest: &'a Manifest,
        graph: &'a Graph,
        lock: &'a LockFile,
        cache: &'a mut HashCache,
    ) -> Self {
        Planner {
            ws,
            manifest,
            graph,
            lock,
            cache,
            verify: false,
        }
    }

    /// A planner for instances about to run: their inputs are hashed again unless this process
    /// hashed them already, never taken from the cache file alone.
    pub fn verifying(mut self) -> Self {
        self.verify = true;
        self
    }

    /// Fails with a manifest error if a declared source input of `i` does not exist.
    pub fn check_inputs_exist(&self, i: usize) -> Result<(), Error> {
        let inst = &self.graph.instances[i];
        for input in &inst.inputs {
            // A directory that holds upstream outputs is made by them (nothing is there before).
            if !self.ws.abs(&input.path).exists() && !inst.holding_inputs.contains(&input.path) {
                return Err(self
                    .manifest
                    .file
                    .error(
                        input.pos,
                        ErrorKind::MissingInput {
                            path: input.path.clone(),
                            instance: inst.id.clone(),
                            suggestion: crate::diagnostic::suggest(
                                &input.path,
                                self.graph
                                    .instances
                                    .iter()
                                    .flat_map(|i| i.outputs.iter().map(|o| o.path.as_str())),
                            ),
                        },
                    )
                    .into());
            }
        }
        Ok(())
    }

    /// Hashes (in parallel) every file the verdicts on `selection` will need.
    pub fn prefetch(&mut self, selection: &[usize]) {
        let mut files = Vec::new();
        for &i in selection {
            let inst = &self.graph.instances[i];
            let Some(entry) = self.lock.instances.get(&inst.id) else {
                continue;
            };
            for input in &inst.inputs {
                if let Ok(f) = list_files(&self.ws.abs(&input.path), &input.path) {
                    files.extend(f);
                }
            }
            for key in entry.outputs.keys() {
                files.push((key.clone(), self.ws.abs(key)));
            }
        }
        self.cache.prefetch(&files);
    }

    /// The fingerprint inputs of `i` now, given the outputs of its upstream instances.
    pub fn current(
        &mut self,
        i: usize,
        upstream: &dyn Fn(usize) -> Option<Outputs>,
    ) -> Result<FingerprintInputs, Error> {
        let inst = &self.graph.instances[i];
        let action = match &inst.action {
            InstanceAction::Stage {
                stage,
                code_version,
                ..
            } => ActionRecord::Stage {
                name: stage.clone(),
                code: code_version.clone(),
            },
            InstanceAction::Cmd { template } => {
                // Rendered at load; rendered again only to report why it does not render.
                let cmd = match &inst.command {
                    Some(c) => c.clone(),
                    None => render_cmd(self.manifest, self.graph, inst, template, &|o| {
                        o.path.clone()
                    })?,
                };
                let declared = inst.declared_paths();
                let (tools, env) = super::tools::hashes_and_env(
                    self.ws,
                    self.cache,
                    &cmd,
                    &declared,
                    self.verify,
                    &super::tools::env::process,
                )
                .map_err(|e| {
                    Error::io(
                        "cannot hash a program the command runs",
                        self.ws.root.clone(),
                        e,
                    )
                })?;
                ActionRecord::Cmd { cmd, tools, env }
            }
        };
        let mut inputs = BTreeMap::new();
        for input in &inst.inputs {
            let abs = self.ws.abs(&input.path);
            let hashed = if self.verify {
                self.cache.tree_verified(&input.path, &abs)
            } else {
                self.cache.tree(&input.path, &abs)
            };
            match hashed {
                Ok(Some(files)) => inputs.extend(files),
                Ok(None) => self.check_inputs_exist(i)?,
                Err(e) => return Err(Error::io("cannot hash input", abs, e)),
            }
        }
        let mut up = BTreeMap::new();
        for &d in &inst.deps {
            let mut outputs = upstream(d).unwrap_or_default();
            // A command that reads one output of an upstream does not rerun when another changes.
            if let Some(read) = inst.reads_of(d, &outputs) {
                outputs = Outputs::new(read);
            }
            up.insert(self.graph.instances[d].id.clone(), outputs);
        }
        let mut bindings = BTreeMap::new();
        for p in inst.inputs.iter().chain(&inst.produced_inputs) {
            bindings.insert(format!("input.{}", p.name), p.path.clone());
        }
        for p in &inst.outputs {
            bindings.insert(format!("output.{}", p.name), p.path.clone());
        }
        // In the order the stage receives them (`train` reads its folds in cutoff order): a
        // reordered `cutoffs` var is a change to what it is given.
        for (role, ids) in &inst.needs {
            let ids: Vec<&str> = ids
                .iter()
                .map(|&d| self.graph.instances[d].id.as_str())
                .collect();
            bindings.insert(format!("needs.{role}"), ids.join(","));
        }
        Ok(FingerprintInputs {
            engine: FORMAT_VERSION.to_string(),
            action,
            partition: inst.partition.iter().cloned().collect(),
            params: fingerprint_params(match &inst.action {
                InstanceAction::Stage {
                    effective_params, ..
                } => effective_params,
                InstanceAction::Cmd { .. } => &inst.params,
            }),
            inputs,
            upstream: up,
            bindings,
        })
    }

    /// Problems with the recorded outputs of `i` on disk (missing, modified, unexpected files).
    pub fn output_problems(&mut self, i: usize) -> Result<Vec<StaleReason>, Error> {
        let inst = &self.graph.instances[i];
        let Some(entry) = self.lock.instances.get(&inst.id) else {
            return Ok(vec![StaleReason::NeverBuilt]);
        };
        let mut out = Vec::new();
        let roots: Vec<String> = inst.outputs.iter().map(|o| o.path.clone()).collect();
        for r in &roots {
            if !entry.output_roots.contains(r) {
                // Not "missing": after two nodes swapped their paths the file is there, the
                // other's (a tester was told `out/b.txt` was missing beside the file).
                out.push(StaleReason::OutputNotBuilt { path: r.clone() });
            }
        }
        // The lock may record an output no node declares now (an entry written before the
        // bindings named the outputs, or a dropped one): stale here, else `clean` would delete
        // what a fresh instance is said to have written.
        for r in &entry.output_roots {
            if !roots.contains(r) {
                out.push(StaleReason::OutputUndeclared { path: r.clone() });
            }
        }
        let unexpected = unexpected_outputs(self.ws, entry)?;
        for (key, expected) in entry.outputs.iter() {
            let abs = self.ws.abs(key);
            match self.cache.file(key, &abs) {
                Ok(Some(actual)) if &actual == expected => {}
                Ok(Some(actual)) => out.push(StaleReason::OutputModified {
                    path: key.clone(),
                    expected: expected.clone(),
                    actual,
                }),
                Ok(None) => out.push(StaleReason::OutputMissing { path: key.clone() }),
                // A directory or a pipe where the build wrote a file (the cache refuses to open
                // it) is a modified output, which a run replaces (keeping it in
                // `cache/replaced/`): until 2026-12-08 it stopped `status`, `run` and
                // `explain` with "Is a directory", or hung on the pipe.
                Err(e) => match crate::hashcache::not_a_file(&e) {
                    Some(what) => out.push(StaleReason::OutputModified {
                        path: key.clone(),
                        expected: expected.clone(),
                        actual: what.into(),
                    }),
                    None => return Err(Error::io("cannot hash output", abs, e)),
                },
            }
        }
        out.extend(
            unexpected
                .into_iter()
                .map(|path| StaleReason::OutputUnexpected { path }),
        );
        Ok(out)
    }

    /// The verdict on `i`. `settled` holds outputs of upstream instances known to be current;
    /// an upstream instance missing from it is pending (stale, not yet rerun).
    pub fn verdict(
        &mut self,
        i: usize,
        settled: &HashMap<usize, Outputs>,
        forced: bool,
    ) -> Result<Verdict, Error> {
        let inst = &self.graph.instances[i];
        self.check_inputs_exist(i)?;
        let Some(entry) = self.lock.instances.get(&inst.id) else {
            return Ok(Verdict {
                reasons: vec![StaleReason::NeverBuilt],
                current: None,
            });
        };
        let mut reasons = Vec::new();
        if forced {
            reasons.push(StaleReason::Forced);
        }
        for &d in &inst.deps {
            if !settled.contains_key(&d) {
                reasons.push(StaleReason::UpstreamStale {
                    instance: self.graph.instances[d].id.clone(),
                });
            }
        }
        reasons.extend(self.output_problems(i)?);
        // For a pending upstream, assume its recorded outputs: the reasons then say what else
        // changed; at dispatch time the real outputs decide (early cutoff).
        let lock = self.lock;
        let graph = self.graph;
        let upstream = |d: usize| -> Option<Outputs> {
            settled.get(&d).cloned().or_else(|| {
                lock.instances
                    .get(&graph.instances[d].id)
                    .map(|e| e.outputs.clone())
            })
        };
        let current = self.current(i, &upstream)?;
        let fingerprint = current.fingerprint();
        if fingerprint != entry.fingerprint {
            let named = diff(&entry.from, &current);
            if named.is_empty() {
                reasons.push(StaleReason::FingerprintChanged {
                    old: entry.fingerprint.clone(),
                    new: fingerprint,
                });
            }
            reasons.extend(named);
        }
        Ok(Verdict {
            reasons,
            current: Some(current),
        })
    }

    /// Upstream instances outside the selection count as settled (that is how `exec` runs one
    /// instance on top of what is already built), with the outputs on disk now. The command
    /// reads those bytes, so the fingerprint must record them: the lock's hashes would claim
    /// the recorded outputs even after a file was edited or deleted. When the files match the
    /// lock (the usual case), its shared map is used.
    pub fn outside_settled(
        &mut self,
        selection: &[usize],
    ) -> Result<HashMap<usize, Outputs>, Error> {
        let set: BTreeSet<usize> = selection.iter().copied().collect();
        let mut settled = HashMap::new();
        for &i in selection {
            for &d in &self.graph.instances[i].deps {
                if set.contains(&d) || settled.contains_key(&d) {
                    continue;
                }
                let Some(e) = self.lock.instances.get(&self.graph.instances[d].id) else {
                    continue;
                };
                let now = super::scheduler::outputs_on_disk(self.ws, self.cache, &e.output_roots)?;
                let outputs = if now == *e.outputs {
                    e.outputs.clone()
                } else {
                    std::sync::Arc::new(now)
                };
                settled.insert(d, outputs);
            }
        }
        Ok(settled)
    }

    /// Verdicts for a whole selection (in topological order), as a dry run sees them. An
    /// index that is no instance is an error, a repeated one is planned once
    /// ([`crate::select::checked`]).
    pub fn plan(
        &mut self,
        selection: &[usize],
        forced: &BTreeSet<usize>,
    ) -> Result<Vec<(usize, Verdict)>, Error> {
        let selection = &*super::select::checked(self.graph, selection)?;
        self.prefetch(selection);
        let mut settled = self.outside_settled(selection)?;
        let mut out = Vec::with_capacity(selection.len());
        for &i in selection {
            let v = self.verdict(i, &settled, forced.contains(&i))?;
            if v.is_fresh() {
                if let Some(e) = self.lock.instances.get(&self.graph.instances[i].id) {
                    settled.insert(i, e.outputs.clone());
                }
            }
            out.push((i, v));
        }
        Ok(out)
    }
}
