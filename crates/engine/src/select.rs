//! Target selection: which instances a command works on.
//!
//! Grammar of one target (several may be given; their union is taken):
//! - `features`: every instance of the node;
//! - `features@Solidworks@2024-06-30`: one instance;
//! - `features@Solidworks`: the instances whose leading partition values match (a prefix);
//! - `features@*@2024-06-30`: `*` matches any value at that position.
//!
//! A selection then closes over its upstream (what it needs) and, with `--downstream`, over
//! what depends on it too; only the stale instances in it will run.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::diagnostic::suggest;
use super::graph::Graph;
use crate::Error;

/// The instances one target names.
pub fn matches(graph: &Graph, target: &str) -> Result<Vec<usize>, Error> {
    if let Some(&i) = graph.index.get(target) {
        return Ok(vec![i]);
    }
    let mut parts = target.split('@');
    let node = parts.next().unwrap_or_default();
    let pats: Vec<&str> = parts.collect();
    let of_node: Vec<usize> = (0..graph.instances.len())
        .filter(|&i| graph.instances[i].node == node)
        .collect();
    if of_node.is_empty() {
        let mut names: Vec<&str> = graph.instances.iter().map(|i| i.node.as_str()).collect();
        names.dedup();
        let help = match suggest(node, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? nodes: {}", names.join(", ")),
            None => format!("nodes: {}", names.join(", ")),
        };
        return Err(Error::UnknownTarget {
            message: format!("unknown target `{target}`: no node `{node}`"),
            suggestion: Some(help),
        });
    }
    let found: Vec<usize> = of_node
        .iter()
        .copied()
        .filter(|&i| {
            let p = &graph.instances[i].partition;
            pats.len() <= p.len()
                && pats
                    .iter()
                    .zip(p)
                    .all(|(pat, (_, v))| *pat == "*" || pat == v)
        })
        .collect();
    if found.is_empty() {
        let examples: Vec<&str> = of_node
            .iter()
            .take(5)
            .map(|&i| graph.instances[i].id.as_str())
            .collect();
        let ids: Vec<&str> = of_node
            .iter()
            .map(|&i| graph.instances[i].id.as_str())
            .collect();
        let help = match suggest(target, ids.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? instances of `{node}` include: {}",
                examples.join(", ")
            ),
            None => format!("instances of `{node}` include: {}", examples.join(", ")),
        };
        return Err(Error::UnknownTarget {
            message: format!("unknown target `{target}`: no instance of `{node}` matches"),
            suggestion: Some(help),
        });
    }
    Ok(found)
}

/// Resolves targets (all instances when empty), closes upstream (and downstream if asked),
/// and returns the selection in topological order.
pub fn select(graph: &Graph, targets: &[String], downstream: bool) -> Result<Vec<usize>, Error> {
    let mut set: BTreeSet<usize> = BTreeSet::new();
    if targets.is_empty() {
        set.extend(0..graph.instances.len());
    } else {
        for t in targets {
            set.extend(matches(graph, t)?);
        }
    }
    if downstream {
        let mut stack: Vec<usize> = set.iter().copied().collect();
        while let Some(i) = stack.pop() {
            for d in graph.dependents(i) {
                if set.insert(d) {
                    stack.push(d);
                }
            }
        }
    }
    let mut stack: Vec<usize> = set.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for &d in &graph.instances[i].deps {
            if set.insert(d) {
                stack.push(d);
            }
        }
    }
    Ok(graph
        .order
        .iter()
        .copied()
        .filter(|i| set.contains(i))
        .collect())
}

/// `selection` as the engine takes it (from a caller that may have built it by hand): every
/// index an instance of `graph`, else an [`Error::UnknownTarget`] (not a panic deep in
/// planning), and each instance once, where it first appears (a repeated one was planned, run
/// and counted twice). Borrowed when it already is so.
pub fn checked<'s>(graph: &Graph, selection: &'s [usize]) -> Result<Cow<'s, [usize]>, Error> {
    let n = graph.instances.len();
    if let Some(&bad) = selection.iter().find(|&&i| i >= n) {
        return Err(Error::UnknownTarget {
            message: format!(
                "instance index {bad} is out of range: the graph has {n} instance{}",
                if n == 1 { "" } else { "s" }
            ),
            suggestion: Some(
                "select instances with `select::select` or `select::matches`, which return indices into this session's graph".into(),
            ),
        });
    }
    let mut seen = vec![false; n];
    if selection
        .iter()
        .all(|&i| !std::mem::replace(&mut seen[i], true))
    {
        return Ok(Cow::Borrowed(selection));
    }
    seen.fill(false);
    Ok(Cow::Owned(
        selection
            .iter()
            .copied()
            .filter(|&i| !std::mem::replace(&mut seen[i], true))
            .collect(),
    ))
}
