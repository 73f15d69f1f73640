//! `gosales dag`: the instance graph (or, with `--by-node`, the node graph).

use std::collections::BTreeSet;

use clap::{Args, ValueEnum};

use super::Cli;
use crate::engine::select::select;
use crate::{Error, ExitCode};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One line per instance: `id <- upstream, ...`, upstream first
    Text,
    /// Graphviz: `gosales dag --format dot | dot -Tsvg > dag.svg`
    Dot,
    /// Mermaid flowchart, for Markdown that renders it (GitHub, GitLab)
    Mermaid,
}

#[derive(Debug, Args)]
pub struct DagArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Only these targets and what they need (repeatable)
    #[arg(short, long = "target", value_name = "TARGET")]
    pub targets: Vec<String>,
    /// One vertex per node instead of per partition instance
    #[arg(long)]
    pub by_node: bool,
}

pub fn run(cli: &Cli, a: &DagArgs) -> Result<ExitCode, Error> {
    let s = super::session(cli)?;
    let sel = select(&s.graph, &a.targets, false)?;
    let g = &s.graph;
    // (vertex, [upstream vertices]) in topological order.
    let mut vertices: Vec<(String, Vec<String>)> = Vec::new();
    if a.by_node {
        let mut seen = BTreeSet::new();
        for &i in &sel {
            let node = &g.instances[i].node;
            if !seen.insert(node.clone()) {
                continue;
            }
            let count = sel
                .iter()
                .filter(|&&j| &g.instances[j].node == node)
                .count();
            let mut ups: BTreeSet<String> = BTreeSet::new();
            for &j in sel.iter().filter(|&&j| &g.instances[j].node == node) {
                ups.extend(
                    g.instances[j]
                        .deps
                        .iter()
                        .map(|&d| g.instances[d].node.clone()),
                );
            }
            let label = if count > 1 {
                format!("{node} ({count})")
            } else {
                node.clone()
            };
            vertices.push((label, ups.into_iter().collect()));
        }
        // Edges refer to node names; map them to labels.
        let labels: Vec<(String, String)> = vertices
            .iter()
            .map(|(l, _)| (l.split(" (").next().unwrap_or(l).to_string(), l.clone()))
            .collect();
        for (_, ups) in vertices.iter_mut() {
            for u in ups.iter_mut() {
                if let Some((_, l)) = labels.iter().find(|(n, _)| n == u) {
                    *u = l.clone();
                }
            }
        }
    } else {
        for &i in &sel {
            let inst = &g.instances[i];
            vertices.push((
                inst.id.clone(),
                inst.deps
                    .iter()
                    .map(|&d| g.instances[d].id.clone())
                    .collect(),
            ));
        }
    }
    match a.format {
        Format::Text => {
            for (v, ups) in &vertices {
                if ups.is_empty() {
                    println!("{v}");
                } else {
                    println!("{v} <- {}", ups.join(", "));
                }
            }
        }
        Format::Dot => {
            println!(
                "digraph gosales {{\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];"
            );
            for (v, ups) in &vertices {
                println!("  {};", dot_id(v));
                for u in ups {
                    println!("  {} -> {};", dot_id(u), dot_id(v));
                }
            }
            println!("}}");
        }
        Format::Mermaid => {
            println!("flowchart LR");
            let id = |v: &str| vertices.iter().position(|(x, _)| x == v).unwrap_or(0);
            for (k, (v, _)) in vertices.iter().enumerate() {
                println!("  n{k}[\"{}\"]", v.replace('"', "'"));
            }
            for (v, ups) in &vertices {
                for u in ups {
                    println!("  n{} --> n{}", id(u), id(v));
                }
            }
        }
    }
    Ok(ExitCode::Ok)
}

/// An instance id as a quoted DOT id: `"` and `\` escaped (a division may be `Cloud "AI"`).
fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dot_ids_escape_quotes() {
        assert_eq!(super::dot_id("train@A"), r#""train@A""#);
        assert_eq!(
            super::dot_id(r#"labels@Cloud "AI"@2022-06-30"#),
            r#""labels@Cloud \"AI\"@2022-06-30""#
        );
    }
}
