//! Expansion of node definitions into partition instances, and the instance DAG.
//!
//! A node with `foreach: {division: [A, B], cutoff: [c1]}` becomes the instances
//! `features@A@c1` and `features@B@c1`: the node name, then the partition values in the
//! order the `foreach` keys were written. An edge comes from `needs` (with partition binding:
//! `labels@{division}` picks the `labels` instances whose first partition value matches) or from
//! an input path that another instance declares as an output.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::Value;

use super::diagnostic::{ErrorKind, ManifestError, Pos};
use super::manifest::{Action, Foreach, Manifest, NodeDef, VarValue};
use super::template::render;
use super::StageCatalog;

mod disk;
mod order;
mod reads;

use disk::check_through_symlinks;
use order::{find_cycle, stable_topo};

/// A path declared by an instance, with the name it is referred to by (`{in.NAME}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPath {
    pub name: String,
    /// Relative to the workspace root, `/`-separated (absolute for inputs outside it).
    pub path: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceAction {
    Stage {
        stage: String,
        code_version: String,
        /// The params as the stage reads them ([`crate::StageCatalog::effective_params`]):
        /// what the fingerprint holds. The stage itself is given [`Instance::params`].
        effective_params: Value,
    },
    Cmd {
        template: String,
    },
}

/// One runnable unit: a node at one partition.
#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub node: String,
    /// Index of the node in [`Manifest::nodes`].
    pub node_idx: usize,
    pub partition: Vec<(String, String)>,
    pub action: InstanceAction,
    pub params: Value,
    /// Declared inputs that no instance produces: hashed as source files.
    pub inputs: Vec<NamedPath>,
    /// Declared inputs that an upstream instance produces: covered by its output hashes.
    pub produced_inputs: Vec<NamedPath>,
    /// Declared inputs (directories) that hold upstream outputs: made by those instances, so
    /// not there before they run.
    pub holding_inputs: Vec<String>,
    /// For a `cmd`, the upstream instances it reads only in part, with the paths it reads of
    /// them (a declared input inside an upstream output, or a directory holding some of its
    /// outputs, named as written): its fingerprint holds only those files of theirs. An
    /// upstream named by `needs` (`{in.ROLE}` may read any of its outputs) or reached through a
    /// symlink is read whole and is not here.
    pub partial_reads: BTreeMap<usize, Vec<String>>,
    /// For a `cmd`, the command as it runs from the workspace root, rendered once at load (the
    /// fingerprint's text, and what [`Instance::partial_reads`] is checked against); `None`
    /// where it does not render, which planning reports.
    pub command: Option<String>,
    pub outputs: Vec<NamedPath>,
    /// Upstream instances grouped by role (the node's name unless `needs` binds a role), for
    /// `{in.ROLE}` and stages.
    pub needs: Vec<(String, Vec<usize>)>,
    /// Every upstream instance, sorted.
    pub deps: Vec<usize>,
}

impl Instance {
    pub fn is_partitioned(&self) -> bool {
        !self.partition.is_empty()
    }

    /// Its declared inputs (an upstream's too) and outputs, workspace-relative: what a `cmd`
    /// reads or writes as data, never a program it runs ([`crate::tools`]).
    pub fn declared_paths(&self) -> Vec<&str> {
        (self
            .inputs
            .iter()
            .chain(&self.produced_inputs)
            .chain(&self.outputs))
        .map(|p| p.path.as_str())
        .collect()
    }
}

/// The expanded, acyclic instance graph.
#[derive(Debug)]
pub struct Graph {
    pub instances: Vec<Instance>,
    pub index: HashMap<String, usize>,
    /// Graph node `i` is instance `i`; edges point from upstream to downstream.
    pub dag: DiGraph<usize, ()>,
    /// A topological order (upstream first), stable: manifest order breaks ties.
    pub order: Vec<usize>,
}

fn instance_id(node: &str, partition: &[(String, String)]) -> String {
    let mut id = node.to_string();
    for (_, v) in partition {
        id.push('@');
        id.push_str(v);
    }
    id
}

/// A declared path as the engine keys it ([`super::workspace::lexical`], as orphans are
/// found), so that an input spelled `outputs/./x` gets its edge from the node writing
/// `outputs/x`. A path leading out of the workspace stays as written.
fn normalise(root: &Path, path: &str) -> String {
    let p = path.trim().replace('\\', "/");
    match super::workspace::lexical(root, &p) {
        Some(n) if !n.is_empty() => n,
        _ => p.trim_start_matches("./").trim_end_matches('/').to_string(),
    }
}

impl Graph {
    pub fn build(m: &Manifest, catalog: &dyn StageCatalog) -> Result<Graph, ManifestError> {
        let mut instances = Vec::new();
        for (node_idx, def) in m.nodes.iter().enumerate() {
            for partition in partitions(def) {
                instances.push(expand(m, def, node_idx, partition, catalog)?);
            }
        }
        let index: HashMap<String, usize> = instances
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.id.clone(), i))
            .collect();

        // Output ownership: no path declared twice, none nested inside another's output.
        let mut owners: BTreeMap<String, (usize, Pos)> = BTreeMap::new();
        for (i, inst) in instances.iter().enumerate() {
            for out in &inst.outputs {
                if let Some((j, _)) = owners.insert(out.path.clone(), (i, out.pos)) {
                    return Err(m.file.error(
                        out.pos,
                        ErrorKind::DuplicateOutput {
                            path: out.path.clone(),
                            first: instances[j].id.clone(),
                            inside: None,
                            second: inst.id.clone(),
                        },
                    ));
                }
            }
        }
        let paths: Vec<(&String, &(usize, Pos))> = owners.iter().collect();
        for w in paths.windows(2) {
            let (a, (ia, _)) = w[0];
            let (b, (ib, pos)) = w[1];
            if b.starts_with(&format!("{a}/")) {
                return Err(m.file.error(
                    *pos,
                    ErrorKind::DuplicateOutput {
                        path: b.clone(),
                        first: instances[*ia].id.clone(),
                        inside: Some(a.clone()),
                        second: instances[*ib].id.clone(),
                    },
                ));
            }
        }
        let mut resolved = check_through_symlinks(m, &instances)?;
        let owner_of = |path: &str| -> Option<usize> {
            // The output equal to `path`, or the closest output directory containing it.
            let mut p = path;
            loop {
                if let Some((i, _)) = owners.get(p) {
                    return Some(*i);
                }
                p = &p[..p.rfind('/')?];
            }
        };

        // Edges from `needs`, then from produced inputs.
        for i in 0..instances.len() {
            let def = &m.nodes[instances[i].node_idx];
            let mut needs: Vec<(String, Vec<usize>)> = Vec::new();
            for def_need in &def.needs {
                let need = &def_need.target;
                let rendered = render_str(m, &instances[i].partition, &need.text, need.pos)?;
                let mut parts = rendered.split('@');
                let target = parts.next().unwrap_or_default().to_string();
                let pats: Vec<&str> = parts.collect();
                let matched: Vec<usize> = instances
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.node == target)
                    .filter(|(_, t)| {
                        pats.len() <= t.partition.len()
                            && pats
                                .iter()
                                .zip(&t.partition)
                                .all(|(p, (_, v))| *p == "*" || p == v)
                    })
                    .map(|(j, _)| j)
                    .collect();
                if matched.is_empty() {
                    return Err(m.file.error(
                        need.pos,
                        ErrorKind::NeedMatchesNothing {
                            need: rendered,
                            target,
                            instance: instances[i].id.clone(),
                        },
                    ));
                }
                match needs.iter_mut().find(|(n, _)| *n == def_need.role) {
                    Some((_, v)) => v.extend(matched),
                    None => needs.push((def_need.role.clone(), matched)),
                }
            }
            let mut inputs = Vec::new();
            let mut produced = Vec::new();
            let mut holding = Vec::new();
            // Per upstream: the paths read of it, or None where it is read whole.
            let mut reads: BTreeMap<usize, Option<Vec<String>>> = needs
                .iter()
                .flat_map(|(_, v)| v.iter().map(|&j| (j, None)))
                .collect();
            let mut read = |j: usize, path: Option<&str>| {
                let e = reads.entry(j).or_insert_with(|| Some(Vec::new()));
                match (e.as_mut(), path) {
                    (Some(paths), Some(p)) => paths.push(p.to_string()),
                    _ => *e = None,
                }
            };
            for input in std::mem::take(&mut instances[i].inputs) {
                let lexical = owner_of(&input.path);
                let (linked, held) = match (lexical, resolved.as_mut()) {
                    (None, Some(r)) => r.owners(&input.path),
                    _ => (None, Vec::new()),
                };
                match lexical.or(linked) {
                    Some(j) if j != i => {
                        read(j, lexical.map(|_| input.path.as_str()));
                        let node = instances[j].node.clone();
                        match needs.iter_mut().find(|(n, _)| *n == node) {
                            Some((_, v)) => v.push(j),
                            None => needs.push((node, vec![j])),
                        }
                        produced.push(input);
                    }
                    Some(_) => {
                        return Err(m.file.error(
                            input.pos,
                            ErrorKind::InvalidValue {
                                value: input.path.clone(),
                                context: format!("an input of `{}`", instances[i].id),
                                reason: "it is this instance's own output (or inside it): an instance cannot read what it writes".into(),
                            },
                        ));
                    }
                    None => {
                        // A directory holding outputs: read after the instances that write
                        // them (else it ran first, or beside them, on the bytes of the run
                        // before, and took a second run to catch up). Its own would change
                        // its input with every build.
                        let within = format!("{}/", input.path);
                        let linked = held
                            .iter()
                            .map(|&j| (&instances[j].outputs[0].path, j, false));
                        for (out, j, lexical) in owners
                            .range(within.clone()..)
                            .take_while(|(k, _)| k.starts_with(&within))
                            .map(|(k, &(j, _))| (k, j, true))
                            .chain(linked)
                        {
                            if j == i {
                                return Err(m.file.error(
                                    input.pos,
                                    ErrorKind::InvalidValue {
                                        value: input.path.clone(),
                                        context: format!("an input of `{}`", instances[i].id),
                                        reason: format!(
                                            "it holds this instance's own output `{out}`, so every build would change its own input; name the files it reads instead"
                                        ),
                                    },
                                ));
                            }
                            read(j, lexical.then_some(input.path.as_str()));
                            let node = instances[j].node.clone();
                            match needs.iter_mut().find(|(n, _)| *n == node) {
                                Some((_, v)) => v.push(j),
                                None => needs.push((node, vec![j])),
                            }
                            if holding.last() != Some(&input.path) {
                                holding.push(input.path.clone());
                            }
                        }
                        // Symlinks inside it into outputs: read after their writers, whole.
                        let inner = resolved
                            .as_mut()
                            .map(|r| r.linked_within(&input.path))
                            .unwrap_or_default();
                        for j in inner.into_iter().filter(|&j| j != i) {
                            read(j, None);
                            let node = instances[j].node.clone();
                            match needs.iter_mut().find(|(n, _)| *n == node) {
                                Some((_, v)) => v.push(j),
                                None => needs.push((node, vec![j])),
                            }
                        }
                        inputs.push(input);
                    }
                }
            }
            for (_, v) in needs.iter_mut() {
                v.sort_unstable();
                v.dedup();
            }
            let mut deps: Vec<usize> = needs.iter().flat_map(|(_, v)| v.iter().copied()).collect();
            deps.sort_unstable();
            deps.dedup();
            let inst = &mut instances[i];
            // A stage is given its upstreams whole (`StageJob::upstream_of`), whatever it names.
            if matches!(inst.action, InstanceAction::Cmd { .. }) {
                inst.partial_reads = reads
                    .into_iter()
                    .filter_map(|(j, paths)| Some((j, paths?)))
                    .collect();
            }
            inst.inputs = inputs;
            inst.produced_inputs = produced;
            inst.holding_inputs = holding;
            inst.needs = needs;
            inst.deps = deps;
        }

        let mut dag = DiGraph::with_capacity(instances.len(), instances.len());
        let nodes: Vec<NodeIndex> = (0..instances.len()).map(|i| dag.add_node(i)).collect();
        for (i, inst) in instances.iter().enumerate() {
            for &d in &inst.deps {
                dag.add_edge(nodes[d], nodes[i], ());
            }
        }
        let order = match stable_topo(&instances) {
            Some(order) => order,
            None => {
                let cycle = find_cycle(&dag);
                let first = cycle.first().copied().unwrap_or(0);
                // Edges point downstream; print the cycle in `needs` order: a -> b means a needs b.
                let mut names: Vec<String> = std::iter::once(first)
                    .chain(cycle.iter().skip(1).rev().copied())
                    .map(|i| instances[i].id.clone())
                    .collect();
                names.push(instances[first].id.clone());
                let def = &m.nodes[instances[first].node_idx];
                // Under the need that names the next node of the cycle: the first need was
                // underlined, though it was no part of it (a tester's `needs: [sales_log,
                // whitespace]`).
                let next = cycle.iter().skip(1).next_back().copied().unwrap_or(first);
                // Or, where no need names it, under the input that reads its output: a cycle
                // closed through `inputs` was underlined at the node's name.
                let reads_next = |p: &NamedPath| {
                    instances[next].outputs.iter().any(|o| {
                        p.path == o.path
                            || p.path.starts_with(&format!("{}/", o.path))
                            || o.path.starts_with(&format!("{}/", p.path))
                    })
                };
                let pos = def
                    .needs
                    .iter()
                    .find(|n| n.target.text.split('@').next() == Some(&instances[next].node))
                    .map(|n| n.target.pos)
                    .or_else(|| {
                        let inst = &instances[first];
                        inst.produced_inputs
                            .iter()
                            .chain(&inst.inputs)
                            .find(|p| reads_next(p))
                            .map(|p| p.pos)
                    })
                    .or(def.needs.first().map(|n| n.target.pos))
                    .unwrap_or(def.pos);
                return Err(m.file.error(pos, ErrorKind::Cycle { cycle: names }));
            }
        };
        let mut graph = Graph {
            instances,
            index,
            dag,
            order,
        };
        graph.render_commands(m);
        Ok(graph)
    }

    /// Instances downstream of `i` (not including `i`).
    pub fn dependents(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.dag
            .neighbors_directed(NodeIndex::new(i), petgraph::Direction::Outgoing)
            .map(|n| n.index())
    }
}

fn partitions(def: &NodeDef) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for Foreach { key, values, .. } in &def.foreach {
        out = out
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut p = p.clone();
                    p.push((key.clone(), v.clone()));
                    p
                })
            })
            .collect();
    }
    out
}

/// The text of partition key or scalar variable `name` for this partition, as written.
pub(crate) fn lookup(m: &Manifest, partition: &[(String, String)], name: &str) -> Option<String> {
    partition
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .or_else(|| match m.vars.get(name).map(|v| &v.value) {
            Some(VarValue::Scalar(s)) => Some(s.clone()),
            _ => None,
        })
}

fn render_str(
    m: &Manifest,
    partition: &[(String, String)],
    text: &str,
    pos: Pos,
) -> Result<String, ManifestError> {
    render(text, |n| lookup(m, partition, n)).map_err(|var| {
        m.file.error(
            pos,
            ErrorKind::UndefinedVar {
                var,
                known: Vec::new(),
                suggestion: None,
                in_cmd: false,
            },
        )
    })
}

/// Resolves `$var` references and `{placeholders}` inside params. A whole value `$name` takes
/// the partition's or the variable's value as YAML types it where it is written, as if it were
/// written in place: `window_months: $win` with `win: 6` reads the number 6.
fn render_params(m: &Manifest, def: &NodeDef, partition: &[(String, String)], v: &Value) -> Value {
    match v {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix('$') {
                if let Some((_, pv)) = partition.iter().find(|(k, _)| k == name) {
                    let typed = def.foreach.iter().find(|f| f.key == name).and_then(|f| {
                        let i = f.values.iter().position(|x| x == pv)?;
                        f.typed.get(i).cloned()
                    });
                    return typed.unwrap_or_else(|| Value::String(pv.clone()));
                }
                if let Some(var) = m.vars.get(name) {
                    return var.typed.clone();
                }
            }
            // Placeholders were checked at load; an unknown one stays literal.
            Value::String(render(s, |n| lookup(m, partition, n)).unwrap_or_else(|_| s.clone()))
        }
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| render_params(m, def, partition, x))
                .collect(),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), render_params(m, def, partition, x)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Why an output at `path` would overwrite the engine's own state or the manifest's sources,
/// if it would. Publishing replaces an output whole, so an output directory holding one of
/// them counts too: a run would then rewrite its own run log, lock or params.
fn engine_state_under(m: &Manifest, path: &str) -> Option<String> {
    if path == "." || path == "cache" || path.starts_with("cache/") {
        return Some("`cache/` holds the engine's state (run log, hash cache, staging)".into());
    }
    let covers = |f: &str| f == path || f.starts_with(&format!("{path}/"));
    if covers("pipeline.lock") {
        return Some("`pipeline.lock` is the engine's record of what was built".into());
    }
    if covers(&m.file.name) {
        return Some(format!("`{}` is the manifest", m.file.name));
    }
    m.config_files
        .iter()
        .find(|(f, _)| covers(f))
        .map(|(f, _)| format!("`{f}` is a params or CSV file the manifest reads"))
}

fn expand(
    m: &Manifest,
    def: &NodeDef,
    node_idx: usize,
    partition: Vec<(String, String)>,
    catalog: &dyn StageCatalog,
) -> Result<Instance, ManifestError> {
    let id = instance_id(&def.name, &partition);
    let root = std::path::absolute(&m.root).unwrap_or_else(|_| m.root.clone());
    let params = render_params(m, def, &partition, &def.params.value);
    let action = match &def.action {
        Action::Stage { name, .. } => {
            let checked = catalog
                .check_params(name, &params)
                .and_then(|()| catalog.effective_params(name, &params));
            let effective_params = checked.map_err(|reason| {
                // Point at the key serde complained about, when we can find it.
                // `calibration[0]` is the `calibration` key's first item.
                let key = reason.split('`').nth(1).unwrap_or_default();
                let key = key.split('[').next().unwrap_or(key);
                // A key of an `extends` file is pointed at in that file, not at `extends`.
                let (file, pos) = def
                    .params
                    .find_key(|k| k == key || k.ends_with(&format!(".{key}")))
                    .unwrap_or((&def.params.file, def.params.pos));
                let pos = if pos == Pos::default() { def.pos } else { pos };
                file.error(
                    pos,
                    ErrorKind::InvalidParams {
                        stage: name.clone(),
                        reason,
                    },
                )
            })?;
            InstanceAction::Stage {
                stage: name.clone(),
                code_version: catalog.code_version(name).unwrap_or_default(),
                effective_params,
            }
        }
        Action::Cmd { template, .. } => InstanceAction::Cmd {
            template: template.clone(),
        },
    };
    let paths = |list: &[(String, super::manifest::Located)], is_output: bool| {
        list.iter()
            .map(|(name, l)| {
                let path = normalise(&root, &render_str(m, &partition, &l.text, l.pos)?);
                let escapes = path.split('/').any(|c| c == "..");
                if path.is_empty() || (is_output && (path.starts_with('/') || escapes)) {
                    return Err(m.file.error(
                        l.pos,
                        ErrorKind::InvalidValue {
                            value: path,
                            context: format!("an output of `{id}`"),
                            reason: "outputs must be relative paths inside the workspace".into(),
                        },
                    ));
                }
                if is_output {
                    if let Some(reason) = engine_state_under(m, &path) {
                        return Err(m.file.error(
                            l.pos,
                            ErrorKind::InvalidValue {
                                value: path,
                                context: format!("an output of `{id}`"),
                                reason,
                            },
                        ));
                    }
                }
                Ok(NamedPath {
                    name: name.clone(),
                    path,
                    pos: l.pos,
                })
            })
            .collect::<Result<Vec<_>, ManifestError>>()
    };
    let inputs = paths(&def.inputs, false)?;
    let mut outputs = paths(&def.outputs, true)?;
    if outputs.is_empty() && matches!(def.action, Action::Stage { .. }) {
        // A stage writes into its own directory unless told otherwise.
        let mut dir = format!("outputs/{}", def.name);
        for (_, v) in &partition {
            dir.push('/');
            dir.push_str(v);
        }
        outputs.push(NamedPath {
            name: "dir".into(),
            path: dir,
            pos: def.pos,
        });
    }
    Ok(Instance {
        id,
        node: def.name.clone(),
        node_idx,
        partition,
        action,
        params,
        inputs,
        produced_inputs: Vec::new(),
        holding_inputs: Vec::new(),
        partial_reads: BTreeMap::new(),
        command: None,
        outputs,
        needs: Vec::new(),
        deps: Vec::new(),
    })
}
