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

use std::collections::{BTreeMap, BTreeSet};
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

/// The default manifest file name.
mod checks;
mod params;
mod roles;

pub use roles::Need;

pub const MANIFEST_FILE: &str = "pipeline.yaml";

const TOP_KEYS: &[&str] = &["version", "vars", "nodes", "executor"];
const NODE_KEYS: &[&str] = &[
    "desc", "stage", "cmd", "needs", "inputs", "outputs", "params", "foreach",
];
const CSV_VAR_KEYS: &[&str] = &["from_csv", "column"];
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

    fn load_var(
        &self,
        key: &MarkedScalarNode,
        node: &Node,
        read: &mut Vec<(String, String)>,
    ) -> Result<Var, ManifestError> {
        let f = &self.file;
        let ctx = format!("variable `{}`", key.as_str());
        let pos = scalar_pos(f, key);
        let mut lines = None;
        let mut typed = yaml::to_json(node);
        let value = match node {
            Node::Scalar(s) => VarValue::Scalar(s.as_str().to_string()),
            Node::Sequence(_) => VarValue::List(
                expect_scalar_list(f, node, &ctx)?
                    .into_iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
            ),
            Node::Mapping(map) => {
                check_keys(f, map, CSV_VAR_KEYS, &ctx)?;
                let get = |k: &'static str| {
                    map.get_node(k)
                        .ok_or_else(|| {
                            f.error(
                                pos,
                                ErrorKind::MissingKey {
                                    key: k,
                                    context: ctx.clone(),
                                },
                            )
                        })
                        .and_then(|n| expect_scalar(f, n, &ctx))
                };
                let path = get("from_csv")?;
                let column = get("column")?;
                let (values, at, hash) =
                    read_csv_column(&self.root, path.as_str(), column.as_str()).map_err(
                        |reason| {
                            f.error(
                                scalar_pos(f, path),
                                ErrorKind::Unreadable {
                                    path: path.as_str().to_string(),
                                    reason,
                                },
                            )
                        },
                    )?;
                read.push((path.as_str().to_string(), hash));
                lines = Some((path.as_str().to_string(), at));
                typed = Value::Array(values.iter().cloned().map(Value::String).collect());
                VarValue::List(values)
            }
        };
        Ok(Var {
            value,
            pos,
            lines,
            typed,
        })
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

    fn load_foreach(&self, node: Option<&Node>, ctx: &str) -> Result<Vec<Foreach>, ManifestError> {
        let f = &self.file;
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        let map = expect_mapping(f, node, &format!("`foreach` of {ctx}"))?;
        let mut out = Vec::new();
        for (k, v) in map.iter() {
            let kctx = format!("`foreach.{}` of {ctx}", k.as_str());
            let (values, typed): (Vec<String>, Vec<Value>) = match v {
                Node::Scalar(s) if s.as_str().starts_with('$') => {
                    let name = &s.as_str()[1..];
                    let Some(var) = self.vars.get(name) else {
                        return Err(self.undefined_var(name, scalar_pos(f, s), &[]));
                    };
                    match (&var.value, &var.typed) {
                        (VarValue::List(l), Value::Array(t)) => (l.clone(), t.clone()),
                        (VarValue::List(l), _) => {
                            (l.clone(), l.iter().cloned().map(Value::String).collect())
                        }
                        (VarValue::Scalar(x), t) => (vec![x.clone()], vec![t.clone()]),
                    }
                }
                _ => expect_scalar_list(f, v, &kctx)?
                    .into_iter()
                    .map(|s| (s.as_str().to_string(), yaml::scalar_to_json(s)))
                    .unzip(),
            };
            // A value from a variable is wrong where the variable is defined (a `from_csv`
            // column points at its file there).
            let vpos = match v {
                Node::Scalar(s) if s.as_str().starts_with('$') => self
                    .vars
                    .get(&s.as_str()[1..])
                    .map_or_else(|| yaml::node_pos(f, v), |var| var.pos),
                _ => yaml::node_pos(f, v),
            };
            let bad: Vec<&str> = values
                .iter()
                .filter(|v| !is_partition_value(v))
                .map(String::as_str)
                .collect();
            if !bad.is_empty() {
                // A `from_csv` value is mended in its file: say on which line.
                let lines = match v {
                    Node::Scalar(s) => self
                        .vars
                        .get(s.as_str().trim_start_matches('$'))
                        .and_then(|var| var.lines.as_ref()),
                    _ => None,
                };
                let whence = lines.map_or_else(String::new, |(file, at)| {
                    let each: Vec<String> = bad
                        .iter()
                        .filter_map(|b| {
                            let i = values.iter().position(|v| v == b)?;
                            Some(format!("`{b}` first on {file} line {}", at.get(i)?))
                        })
                        .collect();
                    format!(" ({})", each.join("; "))
                });
                return Err(f.error(
                    vpos,
                    ErrorKind::InvalidValue {
                        // Every bad value at once: one run to learn them all.
                        value: bad.join("`, `"),
                        context: kctx.clone(),
                        reason: format!("partition values name directories and instance ids: not empty, no space at either end, no `@`, `/`, `\\`, braces, `*`, control characters or leading `.`{whence}"),
                    },
                ));
            }
            // One partition per text. A `from_csv` column's values come distinct, so a repeat
            // is in a list someone wrote: a typo for another value (`[north, south, north]`
            // for `east`), refused rather than silently one partition (until 2026-12-07). Two
            // types of one text (`['7', 7]`) would give `$key` whichever came first.
            let mut seen: BTreeMap<String, Value> = BTreeMap::new();
            for (v, t) in values.iter().zip(&typed) {
                match seen.get(v) {
                    Some(first) if first != t => {
                        return Err(f.error(
                            vpos,
                            ErrorKind::InvalidValue {
                                value: v.clone(),
                                context: kctx.clone(),
                                reason: format!("`{v}` is listed as {first} and as {t}: one partition, two values for `${}`; write them alike", k.as_str()),
                            },
                        ));
                    }
                    Some(_) => {
                        return Err(f.error(
                            vpos,
                            ErrorKind::InvalidValue {
                                value: v.clone(),
                                context: kctx.clone(),
                                reason: format!("`{v}` is listed twice: each value is one partition; remove the repeat, or write the value it stands for"),
                            },
                        ));
                    }
                    None => {
                        seen.insert(v.clone(), t.clone());
                    }
                }
            }
            if values.is_empty() {
                // Silently zero instances would also drop the node's entries from the lock.
                return Err(f.error(
                    vpos,
                    ErrorKind::InvalidValue {
                        value: String::new(),
                        context: kctx.clone(),
                        reason: "no values: the node would have no instances (is the variable or its CSV column empty?)".into(),
                    },
                ));
            }
            out.push(Foreach {
                key: k.as_str().to_string(),
                values,
                typed,
                pos: scalar_pos(f, k),
                values_pos: vpos,
            });
        }
        Ok(out)
    }

    pub fn node(&self, name: &str) -> Option<&NodeDef> {
        self.nodes.iter().find(|n| n.name == name)
    }
}

/// Distinct non-blank values of one CSV column, in order of first appearance.
/// The distinct values of one column, and the blake3 of the bytes they were read from.
/// The column's distinct non-empty values in file order, the line each is first on, and the
/// file's blake3.
fn read_csv_column(
    root: &Path,
    rel: &str,
    column: &str,
) -> Result<(Vec<String>, Vec<u64>, String), String> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| e.to_string())?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let idx = headers.iter().position(|h| h == column).ok_or_else(|| {
        format!(
            "no column `{column}` (columns: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        )
    })?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut at = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        if let Some(v) = rec.get(idx).filter(|v| !v.is_empty()) {
            if seen.insert(v.to_string()) {
                out.push(v.to_string());
                at.push(rec.position().map_or(i as u64 + 2, |p| p.line()));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("column `{column}` has no values"));
    }
    Ok((out, at, hash))
}
