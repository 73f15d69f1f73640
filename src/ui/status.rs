//! The pipeline's state for the Overview page: per node, how many instances are fresh, stale or
//! failed (read-only: the planner hashes through the stat cache and nothing is written).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::html::esc;
use super::outputs::Outputs;
use crate::engine::entry::Entry;
use crate::engine::hashcache::HashCache;
use crate::engine::scheduler::Status;
use crate::engine::session::Session;
use crate::engine::workspace::Workspace;

pub struct NodeState {
    pub name: String,
    pub upstream: Vec<String>,
    pub total: usize,
    pub fresh: usize,
    pub stale: usize,
    pub failed: usize,
}

/// `records` is the run log as the caller already read it (its last outcome per instance marks
/// failures).
pub fn pipeline(
    ws: &Workspace,
    records: &[crate::engine::runlog::LogLine],
) -> Result<Vec<NodeState>, String> {
    let path = ws.root.join(crate::engine::manifest::MANIFEST_FILE);
    let session = Session::load(&path, &crate::stages::Catalog).map_err(|e| e.to_string())?;
    let (m, g) = (&session.manifest, &session.graph);
    let lock = session.lock().map_err(|e| e.to_string())?;
    // The server lives long: what it learned of system programs may be out of date.
    crate::engine::tools::forget();
    let plan = with_cache(ws, |cache| {
        session
            .planner(&lock, cache)
            .plan(&g.order, &BTreeSet::new())
    })
    .map_err(|e| e.to_string())?;
    // The last recorded outcome of each instance.
    let mut last: HashMap<&str, Status> = HashMap::new();
    for (_, _, e) in records {
        if let Entry::Instance(e) = e {
            last.insert(&e.instance, e.status);
        }
    }
    let mut nodes: Vec<NodeState> = m
        .nodes
        .iter()
        .map(|n| NodeState {
            name: n.name.clone(),
            upstream: Vec::new(),
            total: 0,
            fresh: 0,
            stale: 0,
            failed: 0,
        })
        .collect();
    let mut ups: Vec<BTreeSet<String>> = vec![BTreeSet::new(); nodes.len()];
    for (i, v) in plan {
        let inst = &g.instances[i];
        let n = &mut nodes[inst.node_idx];
        n.total += 1;
        if v.is_fresh() {
            n.fresh += 1;
        } else if last.get(inst.id.as_str()) == Some(&Status::Failed) {
            n.failed += 1;
        } else {
            n.stale += 1;
        }
        ups[inst.node_idx].extend(inst.deps.iter().map(|&d| g.instances[d].node.clone()));
    }
    for (n, u) in nodes.iter_mut().zip(ups) {
        n.upstream = u.into_iter().collect();
    }
    Ok(nodes)
}

/// A left-to-right layered drawing of the node graph, each box coloured by its state.
pub fn svg(nodes: &[NodeState]) -> String {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let mut depth = vec![0usize; nodes.len()];
    // Nodes come in manifest order; iterate to a fixed point (the graph is acyclic).
    for _ in 0..nodes.len() {
        for (i, n) in nodes.iter().enumerate() {
            let d = n
                .upstream
                .iter()
                .filter_map(|u| index.get(u.as_str()))
                .map(|&j| depth[j] + 1)
                .max()
                .unwrap_or(0);
            depth[i] = depth[i].max(d);
        }
    }
    let mut layers: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in depth.iter().enumerate() {
        layers.entry(*d).or_default().push(i);
    }
    let (bw, bh, gx, gy) = (150.0, 40.0, 60.0, 18.0);
    let mut pos = vec![(0.0, 0.0); nodes.len()];
    let mut height: f64 = 0.0;
    for (d, members) in &layers {
        for (k, &i) in members.iter().enumerate() {
            pos[i] = (10.0 + *d as f64 * (bw + gx), 10.0 + k as f64 * (bh + gy));
            height = height.max(pos[i].1 + bh + 10.0);
        }
    }
    let width = 10.0 + layers.len() as f64 * (bw + gx);
    let mut s = format!("<svg id=\"dag\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\"><title>pipeline</title>");
    for (i, n) in nodes.iter().enumerate() {
        for u in &n.upstream {
            if let Some(&j) = index.get(u.as_str()) {
                s.push_str(&format!(
                    "<line x1=\"{:.0}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" stroke=\"#99a\"/>",
                    pos[j].0 + bw,
                    pos[j].1 + bh / 2.0,
                    pos[i].0,
                    pos[i].1 + bh / 2.0
                ));
            }
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        let fill = if n.failed > 0 {
            "#f4c7c3"
        } else if n.stale > 0 {
            "#fde9b6"
        } else {
            "#cfe8d4"
        };
        s.push_str(&format!(
            "<rect x=\"{:.0}\" y=\"{:.0}\" width=\"{bw}\" height=\"{bh}\" rx=\"5\" fill=\"{fill}\" stroke=\"#556\"/><text x=\"{:.0}\" y=\"{:.0}\" font-size=\"12\">{}</text><text x=\"{:.0}\" y=\"{:.0}\" font-size=\"10\">{}/{} fresh{}</text>",
            pos[i].0,
            pos[i].1,
            pos[i].0 + 6.0,
            pos[i].1 + 16.0,
            esc(&n.name),
            pos[i].0 + 6.0,
            pos[i].1 + 32.0,
            n.fresh,
            n.total,
            if n.failed > 0 { format!(", {} failed", n.failed) } else { String::new() }
        ));
    }
    s.push_str("</svg>");
    s
}

/// The nodes of the manifest that write `paths` (files or directories), in manifest order.
fn writers(s: &Session, paths: &[&str]) -> Vec<String> {
    let mut names: Vec<(usize, String)> = s
        .graph
        .instances
        .iter()
        .filter(|i| {
            i.outputs
                .iter()
                .any(|o| paths.iter().any(|p| super::outputs::overlaps(&o.path, p)))
        })
        .map(|i| (i.node_idx, i.node.clone()))
        .collect();
    names.sort();
    names.dedup();
    names.into_iter().map(|(_, n)| n).collect()
}

/// `gosales run` with a `--target` per node.
fn run_cmd(nodes: &[String]) -> String {
    let mut c = String::from("gosales run");
    for n in nodes {
        c.push_str(&format!(" --target {n}"));
    }
    c
}

/// What is missing and how to build it, in plain text (code in backticks): the command naming
/// the node(s) of the manifest that write `paths`, never a target the manifest lacks.
pub fn missing_text(o: &Outputs, what: &str, paths: &[&str]) -> String {
    let files = paths
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let how = match &o.session {
        Err(e) => format!("The manifest cannot be read, so no command can build it: {e}"),
        Ok(s) => match writers(s, paths) {
            n if !n.is_empty() => format!("Build it with `{}`.", run_cmd(&n)),
            _ => format!(
                "No node in `{}` writes {files}: add one that does.",
                crate::engine::manifest::MANIFEST_FILE
            ),
        },
    };
    format!("Not built yet: {what} ({files}). {how}")
}

/// A workspace set up without a holdout log: how to add one.
pub const NO_HOLDOUT: &str = "This workspace has no holdout validation node: it was set up without a holdout log. To validate on later data, set the workspace up again with one, `gosales init DIR --sales-log FILE --holdout FILE` (README, \"Your own data\").";

/// Plain text with code in backticks as a note on a page.
pub fn note(text: &str) -> String {
    let mut html = String::new();
    for (i, part) in esc(text).split('`').enumerate() {
        if i > 0 {
            html.push_str(if i % 2 == 1 { "<code>" } else { "</code>" });
        }
        html.push_str(part);
    }
    format!("<p class=\"note\" id=\"missing\">{html}</p>")
}

/// [`missing_text`] as a note on a page.
pub fn missing(o: &Outputs, what: &str, paths: &[&str]) -> String {
    note(&missing_text(o, what, paths))
}

/// The server's hash cache, kept across requests: the UI never writes the engine's state, so
/// an input edited since the last run would otherwise be hashed again on every page (a 500 MB
/// log, on every click).
fn with_cache<T>(ws: &Workspace, f: impl FnOnce(&mut HashCache) -> T) -> T {
    static CACHE: std::sync::Mutex<Option<HashCache>> = std::sync::Mutex::new(None);
    let mut held = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(held.get_or_insert_with(|| HashCache::load(ws)))
}

/// A warning for a page whose data comes from `paths`: the instances that write them (and their
/// upstream) planned as `gosales status` plans them, through the server's stat cache, so only
/// files changed since the server last looked are hashed. Empty when every such instance is
/// fresh, or no node writes the paths. Planned on every request (the default pipeline's in a
/// few tens of milliseconds): an input edited a second ago must show.
pub fn banner(ws: &Workspace, o: &Outputs, paths: &[&str]) -> String {
    let planned = planned_banner(ws, o, paths);
    // Planned now, from the files as they are now: if one the page read has changed since, the
    // page shows another state than the plan judged (a run published between the two). Until
    // 2026-12-07 a customer's page mid-run showed new grades beside the old whitespace
    // explanation, with no banner, on 168 of a tester's 1,140 loads.
    let changed = super::cache::changed_since_read();
    if changed.is_empty() {
        return planned;
    }
    let names: Vec<String> = changed
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&ws.root).unwrap_or(p);
            format!("<code>{}</code>", esc(&rel.display().to_string()))
        })
        .collect();
    format!(
        "<p class=\"note stale\" id=\"changing\">Changing: {} changed on disk while this page was made (a run is rebuilding it?), so the page may mix old and new results. Reload it.</p>{planned}",
        names.join(", ")
    )
}

fn planned_banner(ws: &Workspace, o: &Outputs, paths: &[&str]) -> String {
    let Some(s) = o.session() else {
        return String::new();
    };
    let g = &s.graph;
    let mine: Vec<usize> = (0..g.instances.len())
        .filter(|&i| {
            g.instances[i]
                .outputs
                .iter()
                .any(|o| paths.iter().any(|p| super::outputs::overlaps(&o.path, p)))
        })
        .collect();
    if mine.is_empty() {
        return String::new();
    }
    // The page's instances and everything upstream of them, in graph order.
    let mut wanted = vec![false; g.instances.len()];
    let mut todo = mine.clone();
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut wanted[i], true) {
            todo.extend(g.instances[i].deps.iter().copied());
        }
    }
    let selection: Vec<usize> = g.order.iter().copied().filter(|&i| wanted[i]).collect();
    let Ok(lock) = s.lock() else {
        return "<p class=\"failed\" id=\"stale\">pipeline.lock cannot be read: whether this page is current is unknown (see Audit).</p>".into();
    };
    crate::engine::tools::forget();
    let plan = match with_cache(ws, |cache| {
        s.planner(&lock, cache).plan(&selection, &BTreeSet::new())
    }) {
        Ok(p) => p,
        Err(e) => {
            return format!(
                "<p class=\"failed\" id=\"stale\">Whether this page is current is unknown: {}</p>",
                esc(&e.to_string())
            )
        }
    };
    let mut nodes: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for (i, v) in &plan {
        if v.is_fresh() || !mine.contains(i) {
            continue;
        }
        let inst = &g.instances[*i];
        if !nodes.contains(&inst.node) {
            nodes.push(inst.node.clone());
        }
        if why.len() < 3 {
            why.push(format!(
                "<code>{}</code>: {}",
                esc(&inst.id),
                esc(&v.reasons[0].to_string())
            ));
        }
    }
    if nodes.is_empty() {
        return String::new();
    }
    let stale = plan
        .iter()
        .filter(|(i, v)| mine.contains(i) && !v.is_fresh())
        .count();
    format!(
        "<p class=\"note stale\" id=\"stale\">Out of date: {} behind this page {} stale, so what it shows may not be the current result ({}{}). Rebuild with <code>{}</code>.</p>",
        super::format::count(stale as u64, "instance", "instances"),
        if stale == 1 { "is" } else { "are" },
        why.join("; "),
        if stale > why.len() { "; ..." } else { "" },
        esc(&run_cmd(&nodes))
    )
}
