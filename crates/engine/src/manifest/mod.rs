//! `pipeline.yaml`: parsed with spans, checked, and turned into a [`Manifest`] of node
//! definitions (not yet expanded into partition instances; that is [`super::graph`]).
//!
//! ```yaml
//! version: 1
//! vars:
//!   cutoffs: ["2023-06-30", "2024-06-30"]
//!   divisions: {from_csv: stages/sku_map.csv, column: division}
//! nodes:
//!   features:
//!     stage: features              # or `cmd: <shell command>`
//!     needs: ["labels@{division}"]
//!     foreach: {division: $divisions, cutoff: $cutoffs}
//!     inputs: [stages/features.yaml]
//!     params: stages/features.yaml # or an inline mapping
//!   holdout_star:
//!     stage: etl
//!     params: {extends: stages/etl.yaml, log: holdout}  # a file, with keys replaced
//! ```
//!
//! # The language
//!
//! Top-level keys: `version` (1), `vars`, `nodes` and `executor` (where instances run, never
//! part of a fingerprint: [`crate::slurm::config`]). Any other key, here or in a node, is an
//! error at its line, with the nearest key suggested.
//!
//! **Variables** (`vars`): a scalar (`window: 6`), a list, or the distinct values of a CSV
//! column (`{from_csv: FILE, column: NAME}`, whose file is fingerprinted with the manifest).
//! A variable is used as `$name` (a whole value, typed as YAML types it where it is defined:
//! `window_months: $window` reads the number 6) or as `{name}` inside a string (text).
//!
//! **Nodes** (`nodes`, each a mapping with the keys of `NODE_KEYS`):
//! - `stage: NAME` (a built-in stage of the [`StageCatalog`]) or `cmd: TEXT` (a shell command,
//!   run with `sh -c` in the workspace root), exactly one of them; `desc` is free text.
//! - `foreach: {key: [values] | $list, ...}`: the node fans out into one instance per
//!   combination (the cartesian product, in the order the keys are written), with ids
//!   `node@value1@value2`. Partition values name directories and ids: not empty, no space
//!   at either end, no `@`, `/`, `\`, braces, `*`, control characters or leading `.`, and no
//!   value listed twice
//!   ([`StageCatalog::check_partition`] may refuse more). Each key is a placeholder,
//!   `{division}`, and a param value, `$division`.
//! - `needs: [NODE | "NODE@PATTERN@...", ...]`: upstream instances. The patterns match the
//!   upstream's partition values in order, its first value first: a `{key}` renders to this
//!   instance's value (`labels@{division}`, where `division` is the labels' first key, reads
//!   the same division's labels), `*` matches any value, and values after the patterns are
//!   free. A bare `NODE` needs every instance of the node; a need matching none is an error. A stage that declares roles
//!   ([`StageCatalog::roles`]) has them filled by the entry naming each role's default node,
//!   or by a map, `needs: {train: "models@{division}"}`; see [`Need`].
//! - `inputs` and `outputs`: a list (named by index, `{in.0}`) or a map of names to paths,
//!   relative to the root, files or directories, hashed by content. A stage may restrict the
//!   names ([`StageCatalog::input_names`], [`StageCatalog::output_names`]). **A stage node
//!   without `outputs` writes into one directory, `outputs/<node>/<value>/<value>...`, under
//!   the output name `dir`**, which the engine creates before the stage runs
//!   ([`StageCatalog::output_is_dir`]). An input path another instance declares as an output
//!   makes an edge by itself.
//! - `params`: an inline mapping, a params file (`params: stages/x.yaml`, fingerprinted by what
//!   the stage reads of it: [`StageCatalog::effective_params`]), or `{extends: FILE, key: ...}`,
//!   a file's params with the keys written beside it replaced. Checked at load by
//!   [`StageCatalog::check_params`]; the error's first backticked word is taken as the key to
//!   underline (`"`min_qty` must be at least 1"`), so name the key first.
//!
//! Partition keys and scalar variables also fill paths, needs and string params
//! (`data/{division}.csv`, `"labels of {division}"`).
//!
//! **Placeholders** in a `cmd`: `{in.NAME}` (a named input,
//! or the outputs of the needed node or role `NAME`), `{in}` (all inputs), `{out.NAME}`,
//! `{out}`, `{params.KEY}`, partition keys and scalar variables. Values are shell-quoted, also
//! inside quotes the command puts around them; `{{` and `}}` are literal braces (awk's
//! `{{n+=$2}}`). A placeholder that names nothing is an error at its line. `{out...}` points
//! into a staging directory, renamed into place only when the command succeeds and every
//! declared output exists; a stage's job gives it the same staging paths
//! ([`crate::job::StageJob::output`]).
//!
//! Unknown keys, stages or variables, missing inputs, duplicate or nested outputs, outputs
//! that are engine state (`cache/`, `pipeline.lock`, the manifest, a params file), `needs`
//! that match nothing and cycles are [`ManifestError`]s with the file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use marked_yaml::types::MarkedScalarNode;
use marked_yaml::Node;
use serde_json::Value;

use super::diagnostic::{suggest, ErrorKind, ManifestError, Pos, SourceFile};
use super::template::placeholders;
use super::yaml::{
    self, check_keys, expect_mapping, expect_scalar, expect_scalar_list, scalar_pos,
};
use super::StageCatalog;

mod checks;
mod foreach;
mod params;
mod roles;
mod vars;

pub use roles::Need;

/// The default manifest file name.
pub const MANIFEST_FILE: &str = "pipeline.yaml";

const TOP_KEYS: &[&str] = &["version", "vars", "nodes", "executor"];
const NODE_KEYS: &[&str] = &[
    "desc", "stage", "cmd", "needs", "inputs", "outputs", "params", "foreach",
];
/// In inline params: a params file to start from (its keys, then the inline ones over them).
const EXTENDS: &str = "extends";

/// A validated manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The workspace root: the directory holding the manifest. All paths are relative to it.
    pub root: PathBuf,
    pub file: SourceFile,
    pub vars: BTreeMap<String, Var>,
    pub nodes: Vec<NodeDef>,
    /// Where instances run (`executor:`); never part of a fingerprint.
    pub executor: super::slurm::ExecutorConfig,
    /// Files other than the manifest that loading it read (params files, `from_csv` sources):
    /// (path relative to the root, blake3 of the bytes read). What the manifest means depends
    /// on them too.
    pub config_files: Vec<(String, String)>,
}

/// Whether `value` can be a partition value (`foreach`): it names directories and instance ids
/// (`features@CAD-CAM@2024-06-30`), so it cannot be empty, hold `@`, a path separator, braces,
/// `*` or a control character, or start with `.`.
pub fn is_partition_value(value: &str) -> bool {
    // Leading or trailing space: `a` and `a ` were two partitions that every listing printed
    // alike (and a `from_csv` column trims its values, so the two spellings disagreed).
    !(value.is_empty()
        || value.trim() != value
        || value.contains(['@', '/', '\\', '{', '}', '*'])
        || value.chars().any(char::is_control)
        || value.starts_with('.'))
}

#[derive(Debug, Clone)]
pub struct Var {
    pub value: VarValue,
    pub pos: Pos,
    /// For a `from_csv` list: the file and the line each value is first on, so that a value a
    /// partition cannot take is named where it can be mended (the CSV's row, not `vars`).
    pub lines: Option<(String, Vec<u64>)>,
    /// The value as YAML types it where it is written (`6` a number, `"6"` a string; a
    /// `from_csv` column's values are strings). A param written as `$name` takes this value,
    /// just as if it were written in place.
    pub typed: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VarValue {
    Scalar(String),
    List(Vec<String>),
}

/// A string from the manifest with its position.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Action {
    Stage { name: String, pos: Pos },
    Cmd { template: String, pos: Pos },
}

/// One `nodes:` entry.
#[derive(Debug, Clone)]
pub struct NodeDef {
    pub name: String,
    pub pos: Pos,
    pub desc: Option<String>,
    pub action: Action,
    pub needs: Vec<Need>,
    /// (name, path template). Names are the map keys, or the list index as a string.
    pub inputs: Vec<(String, Located)>,
    pub outputs: Vec<(String, Located)>,
    pub params: Params,
    /// In declaration order.
    pub foreach: Vec<Foreach>,
}

/// One `foreach` key and the values it fans out over.
#[derive(Debug, Clone)]
pub struct Foreach {
    pub key: String,
    /// As text: they name partitions, directories and instance ids.
    pub values: Vec<String>,
    /// The same values as YAML types them (`[3, 6]` numbers), for a param written as `$key`.
    pub typed: Vec<Value>,
    /// The key's position in the node.
    pub pos: Pos,
    /// Where the values are written: the list, or the variable's definition (a `from_csv`
    /// column's file is named there), for an error about one of them.
    pub values_pos: Pos,
}

/// A node's params: inline or from a file under `stages/`.
#[derive(Debug, Clone)]
pub struct Params {
    pub value: Value,
    /// The file the params were written in (the manifest itself when inline).
    pub file: SourceFile,
    pub pos: Pos,
    /// Position of every key, by dotted path (`windows.months`), for precise errors.
    pub key_pos: BTreeMap<String, Pos>,
    /// Position of every scalar value, by dotted path.
    pub value_pos: BTreeMap<String, Pos>,
    /// The `extends` file's params, whose top-level keys the inline ones replace.
    pub base: Option<Box<Params>>,
}

impl Params {
    /// The file and position of the first dotted key `matches` accepts: where it is written
    /// inline, else in the `extends` file (its own line, not the inline `extends`).
    pub fn find_key(&self, matches: impl Fn(&str) -> bool) -> Option<(&SourceFile, Pos)> {
        let inline = self.key_pos.iter().find(|(k, _)| matches(k));
        match (inline, &self.base) {
            (Some((_, pos)), _) => Some((&self.file, *pos)),
            (None, Some(base)) => base.find_key(matches),
            (None, None) => None,
        }
    }

    /// The file and position of the scalar value at dotted `key`, as [`Params::find_key`].
    pub fn find_value(&self, key: &str) -> Option<(&SourceFile, Pos)> {
        if self.key_pos.contains_key(key) {
            return self.value_pos.get(key).map(|pos| (&self.file, *pos));
        }
        self.base.as_ref().and_then(|b| b.find_value(key))
    }
}

impl Manifest {
    /// Reads and validates `path`. `catalog` knows the built-in stages.
    pub fn load(path: &Path, catalog: &dyn StageCatalog) -> Result<Manifest, crate::Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::Error::io("cannot read manifest", path, e))?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| MANIFEST_FILE.to_string());
        let file = SourceFile::new(name, text);
        Ok(Self::parse(root, file, catalog)?)
    }

    pub fn parse(
        root: PathBuf,
        file: SourceFile,
        catalog: &dyn StageCatalog,
    ) -> Result<Manifest, ManifestError> {
        let doc = yaml::parse(&file)?;
        let top = expect_mapping(&file, &doc, "the manifest")?;
        check_keys(&file, top, TOP_KEYS, "the manifest")?;
        if let Some(v) = top.get_node("version") {
            let s = expect_scalar(&file, v, "`version`")?;
            if s.as_str() != "1" {
                return Err(file.error(
                    scalar_pos(&file, s),
                    ErrorKind::Version {
                        found: s.as_str().to_string(),
                    },
                ));
            }
        }
        let mut m = Manifest {
            root,
            file: file.clone(),
            vars: BTreeMap::new(),
            nodes: Vec::new(),
            executor: Default::default(),
            config_files: Vec::new(),
        };
        let mut read = Vec::new();
        if let Some(vars) = top.get_node("vars") {
            let vars = expect_mapping(&file, vars, "`vars`")?;
            for (k, v) in vars.iter() {
                let var = m.load_var(k, v, &mut read)?;
                m.vars.insert(k.as_str().to_string(), var);
            }
        }
        let Some(nodes) = top.get_node("nodes") else {
            return Err(file.error(
                file.pos(1, 1, 1),
                ErrorKind::MissingKey {
                    key: "nodes",
                    context: "the manifest".into(),
                },
            ));
        };
        let nodes = expect_mapping(&file, nodes, "`nodes`")?;
        for (k, v) in nodes.iter() {
            let node = m.load_node(k, v, catalog, &mut read)?;
            m.nodes.push(node);
        }
        read.sort();
        read.dedup();
        m.config_files = read;
        m.check_needs()?;
        m.bind_roles(catalog)?;
        if let Some(e) = top.get_node("executor") {
            let names: Vec<&str> = m.nodes.iter().map(|n| n.name.as_str()).collect();
            m.executor = super::slurm::ExecutorConfig::parse(&file, e, &names)?;
        }
        Ok(m)
    }

    fn load_node(
        &self,
        key: &MarkedScalarNode,
        node: &Node,
        catalog: &dyn StageCatalog,
        read: &mut Vec<(String, String)>,
    ) -> Result<NodeDef, ManifestError> {
        let f = &self.file;
        let name = key.as_str().to_string();
        let pos = scalar_pos(f, key);
        if name.is_empty() || name.contains(['@', '/', '\\', ' ', '{', '}', '*']) {
            return Err(f.error(
                pos,
                ErrorKind::InvalidValue {
                    value: name,
                    context: "a node name".into(),
                    reason: "use letters, digits, `_`, `-` and `.`".into(),
                },
            ));
        }
        let ctx = format!("node `{name}`");
        let map = expect_mapping(f, node, &ctx)?;
        check_keys(f, map, NODE_KEYS, &ctx)?;

        let text = |k: &str| -> Result<Option<Located>, ManifestError> {
            map.get_node(k)
                .map(|n| {
                    expect_scalar(f, n, &format!("`{k}` of {ctx}")).map(|s| Located {
                        text: s.as_str().to_string(),
                        pos: scalar_pos(f, s),
                    })
                })
                .transpose()
        };
        let desc = text("desc")?.map(|l| l.text);
        let action = match (text("stage")?, text("cmd")?) {
            (Some(_), Some(_)) => return Err(f.error(pos, ErrorKind::StageAndCmd { node: name })),
            (None, None) => return Err(f.error(pos, ErrorKind::NoAction { node: name })),
            (Some(stage), None) => {
                if catalog.code_version(&stage.text).is_none() {
                    let known = catalog.names();
                    return Err(f.error(
                        stage.pos,
                        ErrorKind::UnknownStage {
                            suggestion: suggest(&stage.text, known.iter().map(String::as_str)),
                            stage: stage.text,
                            node: name,
                            known,
                        },
                    ));
                }
                Action::Stage {
                    name: stage.text,
                    pos: stage.pos,
                }
            }
            (None, Some(cmd)) => Action::Cmd {
                template: cmd.text,
                pos: cmd.pos,
            },
        };

        let list = |k: &str| -> Result<Vec<Located>, ManifestError> {
            match map.get_node(k) {
                None => Ok(Vec::new()),
                Some(n) => Ok(expect_scalar_list(f, n, &format!("`{k}` of {ctx}"))?
                    .into_iter()
                    .map(|s| Located {
                        text: s.as_str().to_string(),
                        pos: scalar_pos(f, s),
                    })
                    .collect()),
            }
        };
        let named = |k: &str| -> Result<Vec<(String, Located)>, ManifestError> {
            match map.get_node(k) {
                Some(Node::Mapping(m)) => m
                    .iter()
                    .map(|(name, v)| {
                        let s = expect_scalar(f, v, &format!("`{k}.{}` of {ctx}", name.as_str()))?;
                        Ok((
                            name.as_str().to_string(),
                            Located {
                                text: s.as_str().to_string(),
                                pos: scalar_pos(f, s),
                            },
                        ))
                    })
                    .collect(),
                _ => Ok(list(k)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| (i.to_string(), l))
                    .collect()),
            }
        };
        let needs: Vec<Need> = match map.get_node("needs") {
            Some(Node::Mapping(_)) => named("needs")?
                .into_iter()
                .zip(match map.get_node("needs") {
                    Some(Node::Mapping(m)) => m.iter().map(|(k, _)| scalar_pos(f, k)).collect(),
                    _ => Vec::new(),
                })
                .map(|((role, target), pos)| Need {
                    target,
                    role,
                    role_pos: Some(pos),
                })
                .collect(),
            _ => list("needs")?
                .into_iter()
                .map(|target| Need {
                    target,
                    role: String::new(),
                    role_pos: None,
                })
                .collect(),
        };
        let inputs = named("inputs")?;
        let outputs = named("outputs")?;
        let foreach = self.load_foreach(map.get_node("foreach"), &ctx)?;
        if let Action::Stage { name: stage, .. } = &action {
            for (kind, declared, known) in [
                ("input", &inputs, catalog.input_names(stage)),
                ("output", &outputs, catalog.output_names(stage)),
            ] {
                let Some(known) = known else { continue };
                if let Some((name, at)) =
                    declared.iter().find(|(n, _)| !known.contains(&n.as_str()))
                {
                    let hint = suggest(name, known.iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    let verb = if kind == "input" { "reads" } else { "writes" };
                    let list = if known.is_empty() {
                        format!("it {verb} none")
                    } else {
                        format!(
                            "it {verb} {}",
                            known
                                .iter()
                                .map(|r| format!("`{r}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    return Err(f.error(
                        at.pos,
                        ErrorKind::InvalidValue {
                            value: name.clone(),
                            context: format!("`{kind}s` of {ctx}"),
                            reason: format!("stage `{stage}` finds its {kind} files by name and {verb} no {kind} named `{name}`: {list}{hint}"),
                        },
                    ));
                }
            }
            for Foreach {
                key,
                values,
                values_pos: vpos,
                ..
            } in &foreach
            {
                for value in values {
                    if let Err(reason) = catalog.check_partition(stage, key, value) {
                        return Err(f.error(
                            *vpos,
                            ErrorKind::InvalidValue {
                                value: value.clone(),
                                context: format!("`foreach.{key}` of {ctx}"),
                                reason,
                            },
                        ));
                    }
                }
            }
        }
        let params = self.load_params(map.get_node("params"), &ctx, read)?;

        let def = NodeDef {
            name,
            pos,
            desc,
            action,
            needs,
            inputs,
            outputs,
            params,
            foreach,
        };
        self.check_placeholders(&def)?;
        Ok(def)
    }

    pub fn node(&self, name: &str) -> Option<&NodeDef> {
        self.nodes.iter().find(|n| n.name == name)
    }
}
