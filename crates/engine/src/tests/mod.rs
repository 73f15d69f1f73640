//! Table-driven tests of the engine on its own: no gosales stage, no polars. A small catalog of
//! fake stages stands in for the built-in ones; `cmd` nodes run real shell commands.

mod graph;
mod plan;
mod roles;
mod runlog;
mod select;

use std::path::Path;

use crate::session::Session;
use crate::{Role, StageCatalog};

/// Stages `make` (no roles) and `join` (role `left`, default node `a`, required; role `right`,
/// optional).
pub struct Fake;

impl StageCatalog for Fake {
    fn names(&self) -> Vec<String> {
        vec!["join".into(), "make".into()]
    }
    fn code_version(&self, stage: &str) -> Option<String> {
        ["join", "make"]
            .contains(&stage)
            .then(|| format!("{stage}-v1"))
    }
    fn check_params(&self, _stage: &str, _params: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }
    fn roles(&self, stage: &str) -> Vec<Role> {
        match stage {
            "join" => vec![
                Role {
                    name: "left",
                    default_node: "a",
                    required: true,
                    about: "the left side",
                    stages: &["make"],
                },
                Role {
                    name: "right",
                    default_node: "b",
                    required: false,
                    about: "the right side",
                    stages: &[],
                },
            ],
            _ => Vec::new(),
        }
    }
}

/// A workspace holding `manifest` as pipeline.yaml.
pub fn workspace(manifest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("pipeline.yaml"), manifest).expect("write manifest");
    dir
}

pub fn load(dir: &Path) -> Result<Session<'static>, crate::Error> {
    Session::load(&dir.join("pipeline.yaml"), &Fake)
}

/// Loads a manifest that must be valid.
pub fn session(manifest: &str) -> (tempfile::TempDir, Session<'static>) {
    let dir = workspace(manifest);
    let s = load(dir.path()).unwrap_or_else(|e| panic!("manifest should load: {e}\n{manifest}"));
    (dir, s)
}

/// The ids of instances `ix`.
pub fn ids(s: &Session, ix: &[usize]) -> Vec<String> {
    ix.iter()
        .map(|&i| s.graph.instances[i].id.clone())
        .collect()
}
