//! Where the files each page shows are: found through the manifest, per request, never by a
//! fixed path alone. A renamed node, a division dropped from the SKU map or an output moved
//! leaves its old files on disk (orphans, until `gosales clean`); a page that read fixed paths
//! showed them as the current result. So each page reads what the instances of the stage it
//! shows write: `train` per division (and the `validate` that needs it), `score`'s directory,
//! `whitespace`'s ranking and summary, the `etl` QA of the training log and of the holdout, and
//! the truth of a `source` publishing it.
//!
//! A manifest with no instance of a stage (a pipeline of `cmd` nodes) falls back to the default
//! path, shown only when some node writes it. A manifest that cannot be loaded falls back to the
//! default paths as they are: the pages already say it cannot be read.

use std::collections::BTreeSet;

use serde_json::Value;

use super::html::esc;
use crate::engine::graph::{Instance, InstanceAction};
use crate::engine::session::Session;
use crate::engine::workspace::Workspace;

/// The default pipeline's paths, for the fallbacks.
pub const TRAIN: &str = "outputs/train";
pub const VALIDATE: &str = "outputs/validate";
pub const SCORES: &str = "outputs/scores/icp_scores.csv";
pub const WHITESPACE: &str = "outputs/whitespace.csv";
pub const WHITESPACE_SUMMARY: &str = "outputs/whitespace_summary.json";
pub const WHITESPACE_HOLDOUT: &str = "outputs/whitespace_holdout.json";
pub const QA: &str = "outputs/qa";
pub const HOLDOUT_QA: &str = "outputs/holdout/qa";
/// The default pipeline's `truth` node's folder, then a source that writes log and truth.
const TRUTH_DIRS: [&str; 2] = ["outputs/truth", "outputs/sales_log"];

/// One division's model and its holdout validation, workspace-relative folders.
pub struct Division {
    pub name: String,
    pub train: String,
    pub validate: Option<String>,
}

/// The files the pages read, as the manifest places them.
pub struct Outputs {
    /// The manifest as loaded (banners and notes plan through it), or why it cannot be.
    pub session: Result<Session<'static>, String>,
    /// Every division a current node trains, in manifest order (built or not).
    pub divisions: Vec<Division>,
    /// Whether some node validates on a holdout.
    pub validates: bool,
    pub scores: Option<String>,
    pub whitespace: Option<String>,
    pub whitespace_summary: Option<String>,
    /// The whitespace list judged on the holdout (`whitespace_holdout`'s report).
    pub whitespace_holdout: Option<String>,
    pub qa: Option<String>,
    pub holdout_qa: Option<String>,
    /// Folders of sources that publish the truth oracle.
    pub truth: Vec<String>,
}

fn stage(i: &Instance) -> Option<&str> {
    match &i.action {
        InstanceAction::Stage { stage, .. } => Some(stage),
        InstanceAction::Cmd { .. } => None,
    }
}

fn output<'a>(i: &'a Instance, name: &str) -> Option<&'a str> {
    i.outputs
        .iter()
        .find(|o| o.name == name)
        .map(|o| o.path.as_str())
}

/// Output `name`, else `file` inside the instance's folder (as the stages fall back).
fn output_or(i: &Instance, name: &str, file: &str) -> Option<String> {
    output(i, name)
        .map(str::to_string)
        .or_else(|| output(i, "dir").map(|d| format!("{d}/{file}")))
}

fn division(i: &Instance) -> Option<&str> {
    i.partition
        .iter()
        .find(|(k, _)| k == "division")
        .map(|(_, v)| v.as_str())
}

/// The upstream instances filling `role` of instance `i`.
fn role<'a>(i: &'a Instance, role: &str) -> &'a [usize] {
    i.needs
        .iter()
        .find(|(r, _)| r == role)
        .map_or(&[], |(_, v)| v.as_slice())
}

/// Whether the workspace path `a` is `b`, inside it, or holds it.
pub fn overlaps(a: &str, b: &str) -> bool {
    let within = |x: &str, root: &str| {
        x == root || (x.starts_with(root) && x.as_bytes().get(root.len()) == Some(&b'/'))
    };
    within(a, b) || within(b, a)
}

/// Whether some instance of the manifest writes `path` (or a folder holding it, or a file in it).
pub fn written(s: &Session, path: &str) -> bool {
    s.graph
        .instances
        .iter()
        .any(|i| i.outputs.iter().any(|o| overlaps(&o.path, path)))
}

/// The folders under `dir` that hold a model card, sorted by name.
fn card_dirs(ws: &Workspace, dir: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(ws.root.join(dir))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("model_card.json").is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            (name.clone(), format!("{dir}/{name}"))
        })
        .collect();
    out.sort();
    out
}

impl Outputs {
    pub fn find(ws: &Workspace) -> Outputs {
        let path = ws.root.join(crate::engine::manifest::MANIFEST_FILE);
        match Session::load(&path, &crate::stages::Catalog) {
            Ok(s) => Outputs::of(ws, s),
            Err(e) => Outputs::defaults(ws, Err(e.to_string())),
        }
    }

    /// The default paths, every one (`session` cannot be loaded).
    fn defaults(ws: &Workspace, session: Result<Session<'static>, String>) -> Outputs {
        Outputs {
            session,
            divisions: card_dirs(ws, TRAIN)
                .into_iter()
                .map(|(name, train)| Division {
                    validate: Some(format!("{VALIDATE}/{name}")),
                    name,
                    train,
                })
                .collect(),
            validates: true,
            scores: Some(SCORES.into()),
            whitespace: Some(WHITESPACE.into()),
            whitespace_summary: Some(WHITESPACE_SUMMARY.into()),
            whitespace_holdout: Some(WHITESPACE_HOLDOUT.into()),
            qa: Some(QA.into()),
            holdout_qa: Some(HOLDOUT_QA.into()),
            truth: TRUTH_DIRS.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn of(ws: &Workspace, s: Session<'static>) -> Outputs {
        let g = &s.graph;
        let of = |kind: &str| -> Vec<&Instance> {
            g.instances
                .iter()
                .filter(|i| stage(i) == Some(kind))
                .collect()
        };
        // The default path where no instance is of the stage: shown only if a node writes it.
        let kept = |p: &str| written(&s, p).then(|| p.to_string());
        let (trains, validates) = (of("train"), of("validate"));
        let mut divisions: Vec<Division> = Vec::new();
        for (t, ti) in g
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| stage(i) == Some("train"))
        {
            let (Some(name), Some(dir)) = (division(ti), output(ti, "dir")) else {
                continue;
            };
            if divisions.iter().any(|d| d.name == name) {
                continue;
            }
            let v = validates.iter().find(|v| role(v, "train").contains(&t));
            divisions.push(Division {
                name: name.to_string(),
                train: dir.to_string(),
                validate: v.and_then(|v| output(v, "dir")).map(str::to_string),
            });
        }
        if trains.is_empty() {
            divisions = card_dirs(ws, TRAIN)
                .into_iter()
                .filter(|(_, dir)| written(&s, dir))
                .map(|(name, train)| {
                    let v = format!("{VALIDATE}/{name}");
                    Division {
                        validate: written(&s, &v).then_some(v),
                        name,
                        train,
                    }
                })
                .collect();
        }
        // The holdout's ETL: told by its params' `log`, or by filling a validation's `holdout`.
        let holdout_etls: BTreeSet<usize> = validates
            .iter()
            .flat_map(|v| role(v, "holdout").iter().copied())
            .collect();
        let etls: Vec<(usize, &Instance)> = g
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| stage(i) == Some("etl"))
            .collect();
        let is_holdout =
            |n: usize, i: &Instance| i.params["log"] == "holdout" || holdout_etls.contains(&n);
        let qa_of = |i: &Instance| output_or(i, "qa", "qa");
        let (qa, holdout_qa) = if etls.is_empty() {
            (kept(QA), kept(HOLDOUT_QA))
        } else {
            (
                etls.iter()
                    .find(|(n, i)| !is_holdout(*n, i))
                    .and_then(|(_, i)| qa_of(i)),
                etls.iter()
                    .find(|(n, i)| is_holdout(*n, i))
                    .and_then(|(_, i)| qa_of(i)),
            )
        };
        let scores = match of("score").first() {
            Some(i) => output(i, "dir").map(|d| format!("{d}/icp_scores.csv")),
            None => kept(SCORES),
        };
        let (whitespace, whitespace_summary) = match of("whitespace").first() {
            Some(i) => (
                output_or(i, "csv", "whitespace.csv"),
                output(i, "summary").map(str::to_string),
            ),
            None => (kept(WHITESPACE), kept(WHITESPACE_SUMMARY)),
        };
        let whitespace_holdout = match of("whitespace_holdout").first() {
            Some(i) => output(i, "report").map(str::to_string),
            None => kept(WHITESPACE_HOLDOUT),
        };
        let sources = of("source");
        let truth = if sources.is_empty() {
            TRUTH_DIRS.iter().filter_map(|d| kept(d)).collect()
        } else {
            sources
                .iter()
                .filter(|i| publishes_truth(&i.params))
                .filter_map(|i| output(i, "dir").map(str::to_string))
                .collect()
        };
        Outputs {
            validates: !validates.is_empty() || divisions.iter().any(|d| d.validate.is_some()),
            divisions,
            scores,
            whitespace,
            whitespace_summary,
            whitespace_holdout,
            qa,
            holdout_qa,
            truth,
            session: Ok(s),
        }
    }

    /// The node writing `path` (the first in manifest order), when the manifest loads.
    pub fn writer(&self, path: &str) -> Option<&str> {
        self.session()?
            .graph
            .instances
            .iter()
            .find(|i| i.outputs.iter().any(|o| overlaps(&o.path, path)))
            .map(|i| i.node.as_str())
    }

    pub fn session(&self) -> Option<&Session<'static>> {
        self.session.as_ref().ok()
    }

    /// The folder(s) the models are trained in, for a note on what is not built: their common
    /// parent when they share one.
    pub fn train_paths(&self) -> Vec<String> {
        let parents: BTreeSet<&str> = self
            .divisions
            .iter()
            .map(|d| {
                d.train
                    .rsplit_once('/')
                    .map_or(d.train.as_str(), |(p, _)| p)
            })
            .collect();
        match parents.len() {
            0 => vec![TRAIN.into()],
            1 => parents.into_iter().map(str::to_string).collect(),
            _ => self.divisions.iter().map(|d| d.train.clone()).collect(),
        }
    }

    /// A note naming `candidates` that are on disk yet written by no node of the manifest: they
    /// are not shown. Empty when there are none, or the manifest cannot be loaded.
    pub fn unwritten(&self, ws: &Workspace, candidates: &[String]) -> String {
        let Some(s) = self.session() else {
            return String::new();
        };
        let mut found: Vec<&str> = candidates
            .iter()
            .map(String::as_str)
            .filter(|p| ws.root.join(p).exists() && !written(s, p))
            .collect();
        found.sort_unstable();
        found.dedup();
        if found.is_empty() {
            return String::new();
        }
        format!(
            "<p class=\"note\" id=\"orphans\">Not shown: {} {} on disk, but no node of <code>{}</code> writes {} any more (left by a node, division or output path since renamed or removed). <code>gosales status</code> lists the orphaned outputs gosales published, and <code>gosales clean</code> removes those (a file put there by hand is yours to remove).</p>",
            found
                .iter()
                .map(|p| format!("<code>{}</code>", esc(p)))
                .collect::<Vec<_>>()
                .join(", "),
            if found.len() == 1 { "is" } else { "are" },
            crate::engine::manifest::MANIFEST_FILE,
            if found.len() == 1 { "it" } else { "them" },
        )
    }

    /// Model folders beside the trained ones (and under the default `outputs/train`) that no
    /// node writes: a removed or renamed division's, or a renamed node's.
    pub fn stray_models(&self, ws: &Workspace) -> Vec<String> {
        let mut parents: BTreeSet<String> = self
            .divisions
            .iter()
            .filter_map(|d| d.train.rsplit_once('/').map(|(p, _)| p.to_string()))
            .collect();
        parents.insert(TRAIN.into());
        parents
            .iter()
            .flat_map(|p| card_dirs(ws, p))
            .map(|(_, dir)| dir)
            .filter(|dir| !self.divisions.iter().any(|d| &d.train == dir))
            .collect()
    }
}

/// Whether a `source` instance's params publish the truth oracle (`publish` lists `truth`, or
/// is left out, with a `truth` block).
fn publishes_truth(params: &Value) -> bool {
    params["truth"].is_object()
        && params["publish"]
            .as_array()
            .is_none_or(|p| p.iter().any(|x| x == "truth"))
}
