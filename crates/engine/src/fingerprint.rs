//! Fingerprints: when is an instance fresh, and if not, exactly why.
//!
//! # Fresh and stale
//! An instance is *fresh* when `pipeline.lock` has an entry for it whose fingerprint equals the
//! one computed now, and every output it recorded is on disk with the recorded blake3. Otherwise
//! it is *stale*, with one or more [`StaleReason`]s.
//!
//! # What goes into the fingerprint
//! | part | source | why |
//! |------|--------|-----|
//! | `engine` | [`FORMAT_VERSION`] | bump it when the meaning of a fingerprint changes |
//! | `action` | stage name + the hash of its source (build.rs), or the resolved `cmd` with the blake3 of each program and script it runs ([`super::tools`]) | code edits, a new tool version rerun the node |
//! | `partition` | the instance's foreach values | |
//! | `params` | every leaf of the resolved params as the stage reads them ([`crate::StageCatalog::effective_params`]; a `cmd`'s as written), by dotted key | `explain` names the key; `0.0` for `0`, or a default written out, reruns nothing |
//! | `inputs` | blake3 of each declared source file (directories: each file in them) | |
//! | `upstream` | blake3 of each output file of each upstream instance | a rebuilt but byte-identical output leaves downstream fresh (early cutoff) |
//! | `bindings` | each declared input's and output's name with its path, each role with the upstream instances filling it | a stage reads its inputs by name: renaming `denylist` to `old_denylist` left the files and their hashes alike, the labels fresh, and a forced run without its denylist |
//!
//! The hash is blake3 over the canonical JSON of [`FingerprintInputs`] (sorted maps, no
//! whitespace), never `std::hash`, so it is stable across platforms and releases.
//!
//! # What stays out, deliberately
//! - mtimes: they only key the [`super::hashcache`]; touching a file changes nothing;
//! - absolute paths: moving the workspace keeps it fresh;
//! - thread count (`-j`), wall-clock time, user and host: they are recorded in the run log only;
//! - the rest of a `cmd` node's environment: variables, and what its programs load at run time
//!   (Python packages: declare a lock file as an input).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Bump when the fingerprint's composition or meaning changes: every instance becomes stale.
pub const FORMAT_VERSION: &str = "gosales-fp/3";

/// The instance's action as fingerprinted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionRecord {
    Stage {
        name: String,
        code: String,
    },
    Cmd {
        cmd: String,
        /// What the command runs, by the word it uses: blake3 of each program and script file
        /// ([`super::tools`]). Absent in entries written before it was recorded.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        tools: BTreeMap<String, String>,
        /// The environment variables it reads, each with the blake3 of its value or `unset`
        /// ([`super::tools::env`]). Absent in entries written before it was recorded.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        env: BTreeMap<String, String>,
    },
}

/// Everything that determines an instance's outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FingerprintInputs {
    pub engine: String,
    pub action: ActionRecord,
    pub partition: BTreeMap<String, String>,
    pub params: BTreeMap<String, Value>,
    pub inputs: BTreeMap<String, String>,
    pub upstream: BTreeMap<String, super::plan::Outputs>,
    /// `input.NAME` / `output.NAME` -> path, `needs.ROLE` -> the upstream instances filling it
    /// (comma-separated, in order): the names a stage reads its files and roles by. Absent in
    /// entries written before it was recorded (`gosales-fp/1`).
    // Skipped when empty, so an entry of the previous format reserialises to the bytes it was
    // fingerprinted from: the lock loads, and the entry reads as the format's change.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bindings: BTreeMap<String, String>,
}

impl FingerprintInputs {
    pub fn fingerprint(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("fingerprint inputs serialise");
        blake3::hash(&bytes).to_hex().to_string()
    }
}

/// Flattens params to `dotted.key` -> leaf value (arrays index as `key[0]`), sorted: the names
/// a `cmd` template reads them by (`{params.windows.months}`).
pub fn flatten_params(v: &Value) -> BTreeMap<String, Value> {
    flatten(v, std::borrow::Cow::Borrowed)
}

/// [`flatten_params`] for a fingerprint: one key per leaf whatever the keys hold. A key with a
/// `.`, a bracket or a quote in it is written as a JSON string (`spark."executor.memory"`), or
/// `{spark: {executor.memory: 4g}}` and `{"spark.executor.memory": 4g}` (or `{cols: [x]}` and
/// `{"cols[0]": x}`) were one fingerprint, and a stage handed the other params stayed fresh.
/// Every other key is written as [`flatten_params`] writes it: the locks of such params keep
/// their fingerprints.
pub fn fingerprint_params(v: &Value) -> BTreeMap<String, Value> {
    flatten(v, |k| {
        if k.is_empty() || k.contains(['.', '[', ']', '"']) {
            std::borrow::Cow::Owned(Value::String(k.to_string()).to_string())
        } else {
            std::borrow::Cow::Borrowed(k)
        }
    })
}

fn flatten<'a>(
    v: &'a Value,
    key: impl Fn(&'a str) -> std::borrow::Cow<'a, str> + Copy,
) -> BTreeMap<String, Value> {
    fn walk<'a>(
        v: &'a Value,
        prefix: String,
        key: impl Fn(&'a str) -> std::borrow::Cow<'a, str> + Copy,
        out: &mut BTreeMap<String, Value>,
    ) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, x) in m {
                    let k = key(k);
                    let p = if prefix.is_empty() {
                        k.into_owned()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(x, p, key, out);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{prefix}[{i}]"), key, out);
                }
            }
            other => {
                if !prefix.is_empty() {
                    out.insert(prefix, other.clone());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(v, String::new(), key, &mut out);
    out
}

/// Why an instance must run. Serialised (kebab-case tag) for `--json` and the run log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum StaleReason {
    NeverBuilt,
    Forced,
    EngineChanged {
        old: String,
        new: String,
    },
    CodeChanged {
        stage: String,
        old: String,
        new: String,
    },
    StageChanged {
        old: String,
        new: String,
    },
    CmdChanged {
        old: String,
        new: String,
    },
    ToolChanged {
        tool: String,
        old: String,
        new: String,
    },
    ToolAdded {
        tool: String,
    },
    ToolRemoved {
        tool: String,
    },
    EnvChanged {
        var: String,
        old: String,
        new: String,
    },
    EnvAdded {
        var: String,
    },
    EnvRemoved {
        var: String,
    },
    PartitionChanged {
        key: String,
        old: String,
        new: String,
    },
    PartitionAdded {
        key: String,
        new: String,
    },
    PartitionRemoved {
        key: String,
        old: String,
    },
    ParamChanged {
        key: String,
        old: Value,
        new: Value,
    },
    ParamAdded {
        key: String,
        new: Value,
    },
    ParamRemoved {
        key: String,
        old: Value,
    },
    InputChanged {
        path: String,
        old: String,
        new: String,
    },
    InputAdded {
        path: String,
    },
    InputRemoved {
        path: String,
    },
    UpstreamChanged {
        instance: String,
        path: String,
    },
    UpstreamAdded {
        instance: String,
    },
    UpstreamRemoved {
        instance: String,
    },
    /// A name an input, output or role is bound by now names another path or instance.
    BindingChanged {
        binding: String,
        old: String,
        new: String,
    },
    BindingAdded {
        binding: String,
        new: String,
    },
    BindingRemoved {
        binding: String,
        old: String,
    },
    /// An upstream instance will rerun; this one reruns only if that changes its outputs.
    UpstreamStale {
        instance: String,
    },
    OutputMissing {
        path: String,
    },
    /// A declared output this instance's recorded run did not write (a path newly declared,
    /// or swapped with another node's): the file may exist, as another's.
    OutputNotBuilt {
        path: String,
    },
    OutputModified {
        path: String,
        expected: String,
        actual: String,
    },
    OutputUnexpected {
        path: String,
    },
    /// The lock records an output the manifest no longer declares.
    OutputUndeclared {
        path: String,
    },
    /// The fingerprint differs from the recorded one, yet no part of it that [`diff`] compares
    /// does: the lock entry was edited, or a part is compared nowhere. Still stale: a fresh
    /// verdict must mean the fingerprint matched.
    FingerprintChanged {
        old: String,
        new: String,
    },
}

/// The first 12 characters of a hex hash (blake3, as the engine records), else the value
/// whole: a code version need not be a hash (`csv_summary/1` => `csv_summary/2` cut to 12
/// read as no change at all), nor is a hand-edited lock entry. ASCII only, so the cut never
/// splits a character.
fn short(h: &str) -> &str {
    if h.len() > 12 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        &h[..12]
    } else {
        h
    }
}

impl fmt::Display for StaleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StaleReason::*;
        match self {
            NeverBuilt => write!(f, "never built"),
            Forced => write!(f, "forced"),
            EngineChanged { old, new } => {
                write!(f, "engine fingerprint format changed ({old} => {new})")
            }
            CodeChanged { stage, old, new } => {
                write!(
                    f,
                    "code of stage `{stage}` changed ({} => {})",
                    short(old),
                    short(new)
                )
            }
            StageChanged { old, new } => write!(f, "action changed (`{old}` => `{new}`)"),
            CmdChanged { old, new } => write!(f, "command changed (`{old}` => `{new}`)"),
            ToolChanged { tool, old, new } => write!(
                f,
                "`{tool}`, which the command runs, changed ({} => {})",
                short(old),
                short(new)
            ),
            ToolAdded { tool } => write!(f, "the command now runs `{tool}`"),
            ToolRemoved { tool } => write!(f, "the command no longer runs `{tool}`"),
            EnvChanged { var, old, .. } if old == super::tools::env::UNSET => {
                write!(f, "`${var}`, which the command reads, is now set")
            }
            EnvChanged { var, new, .. } if new == super::tools::env::UNSET => {
                write!(f, "`${var}`, which the command reads, is now unset")
            }
            EnvChanged { var, .. } => {
                write!(f, "`${var}`, which the command reads, changed")
            }
            EnvAdded { var } => write!(f, "the command now reads `${var}`"),
            EnvRemoved { var } => write!(f, "the command no longer reads `${var}`"),
            PartitionChanged { key, old, new } => {
                write!(f, "partition value `{key}` changed ({old} => {new})")
            }
            PartitionAdded { key, new } => write!(f, "partition key `{key}` added ({new})"),
            PartitionRemoved { key, old } => {
                write!(f, "partition key `{key}` removed (was {old})")
            }
            ParamChanged { key, old, new } => write!(f, "param `{key}` changed ({old} => {new})"),
            ParamAdded { key, new } => write!(f, "param `{key}` added ({new})"),
            ParamRemoved { key, old } => write!(f, "param `{key}` removed (was {old})"),
            InputChanged { path, old, new } => {
                write!(
                    f,
                    "input `{path}` changed ({} => {})",
                    short(old),
                    short(new)
                )
            }
            InputAdded { path } => write!(f, "input `{path}` added"),
            InputRemoved { path } => write!(f, "input `{path}` removed"),
            UpstreamChanged { instance, path } => {
                write!(f, "upstream `{instance}` output `{path}` changed")
            }
            UpstreamAdded { instance } => write!(f, "new upstream `{instance}`"),
            UpstreamRemoved { instance } => write!(f, "upstream `{instance}` no longer needed"),
            BindingChanged { binding, old, new } => {
                write!(f, "`{binding}` now names `{new}` (was `{old}`)")
            }
            BindingAdded { binding, new } => write!(f, "`{binding}` added (`{new}`)"),
            BindingRemoved { binding, old } => write!(f, "`{binding}` removed (was `{old}`)"),
            UpstreamStale { instance } => write!(f, "upstream `{instance}` will rerun"),
            OutputMissing { path } => write!(f, "output `{path}` is missing"),
            OutputNotBuilt { path } => {
                write!(
                    f,
                    "output `{path}` is newly declared: its last run did not write it"
                )
            }
            OutputModified {
                path,
                expected,
                actual,
            } => write!(
                f,
                "output `{path}` was modified outside {} (recorded {}, found {})",
                crate::program(),
                short(expected),
                short(actual)
            ),
            OutputUnexpected { path } => {
                write!(f, "unexpected file `{path}` in an output directory")
            }
            OutputUndeclared { path } => write!(f, "output `{path}` is no longer declared"),
            FingerprintChanged { old, new } => write!(
                f,
                "fingerprint changed ({} => {}) though none of its recorded parts differs",
                short(old),
                short(new)
            ),
        }
    }
}

fn diff_maps<V: PartialEq + Clone>(
    old: &BTreeMap<String, V>,
    new: &BTreeMap<String, V>,
    changed: impl Fn(&String, &V, &V) -> StaleReason,
    added: impl Fn(&String, &V) -> StaleReason,
    removed: impl Fn(&String, &V) -> StaleReason,
    out: &mut Vec<StaleReason>,
) {
    for (k, n) in new {
        match old.get(k) {
            Some(o) if o != n => out.push(changed(k, o, n)),
            None => out.push(added(k, n)),
            _ => {}
        }
    }
    for (k, o) in old {
        if !new.contains_key(k) {
            out.push(removed(k, o));
        }
    }
}

/// The reasons `new` differs from the recorded `old`, most fundamental first.
pub fn diff(old: &FingerprintInputs, new: &FingerprintInputs) -> Vec<StaleReason> {
    use StaleReason::*;
    let mut out = Vec::new();
    if old.engine != new.engine {
        out.push(EngineChanged {
            old: old.engine.clone(),
            new: new.engine.clone(),
        });
    }
    match (&old.action, &new.action) {
        (ActionRecord::Stage { name: a, code: ca }, ActionRecord::Stage { name: b, code: cb })
            if a == b =>
        {
            if ca != cb {
                out.push(CodeChanged {
                    stage: b.clone(),
                    old: ca.clone(),
                    new: cb.clone(),
                });
            }
        }
        (
            ActionRecord::Cmd {
                cmd: a,
                tools: ta,
                env: ea,
            },
            ActionRecord::Cmd {
                cmd: b,
                tools: tb,
                env: eb,
            },
        ) => {
            if a != b {
                out.push(CmdChanged {
                    old: a.clone(),
                    new: b.clone(),
                });
            }
            diff_maps(
                ta,
                tb,
                |k, o, n| ToolChanged {
                    tool: k.clone(),
                    old: o.clone(),
                    new: n.clone(),
                },
                |k, _| ToolAdded { tool: k.clone() },
                |k, _| ToolRemoved { tool: k.clone() },
                &mut out,
            );
            diff_maps(
                ea,
                eb,
                |k, o, n| EnvChanged {
                    var: k.clone(),
                    old: o.clone(),
                    new: n.clone(),
                },
                |k, _| EnvAdded { var: k.clone() },
                |k, _| EnvRemoved { var: k.clone() },
                &mut out,
            );
        }
        (a, b) => out.push(StageChanged {
            old: describe(a),
            new: describe(b),
        }),
    }
    diff_maps(
        &old.partition,
        &new.partition,
        |k, o, n| PartitionChanged {
            key: k.clone(),
            old: o.clone(),
            new: n.clone(),
        },
        |k, n| PartitionAdded {
            key: k.clone(),
            new: n.clone(),
        },
        |k, o| PartitionRemoved {
            key: k.clone(),
            old: o.clone(),
        },
        &mut out,
    );
    // An entry of an earlier format holds the params as written, this one as the stage reads
    // them (defaults included, `0` as `0.0`): only a key both name, with another value, is
    // news beside the format's change.
    let same_format = old.engine == new.engine;
    let (old_params, new_params) = if same_format {
        (old.params.clone(), new.params.clone())
    } else {
        let differs = |o: &Value, n: &Value| match (o.as_f64(), n.as_f64()) {
            (Some(a), Some(b)) => a != b,
            _ => o != n,
        };
        let both: Vec<&String> = old
            .params
            .iter()
            .filter(|(k, o)| new.params.get(*k).is_some_and(|n| differs(o, n)))
            .map(|(k, _)| k)
            .collect();
        let pick = |m: &BTreeMap<String, Value>| -> BTreeMap<String, Value> {
            both.iter().map(|k| ((*k).clone(), m[*k].clone())).collect()
        };
        (pick(&old.params), pick(&new.params))
    };
    diff_maps(
        &old_params,
        &new_params,
        |k, o, n| ParamChanged {
            key: k.clone(),
            old: o.clone(),
            new: n.clone(),
        },
        |k, n| ParamAdded {
            key: k.clone(),
            new: n.clone(),
        },
        |k, o| ParamRemoved {
            key: k.clone(),
            old: o.clone(),
        },
        &mut out,
    );
    // An entry of the previous format has no bindings: the engine change says it all.
    if same_format {
        diff_maps(
            &old.bindings,
            &new.bindings,
            |k, o, n| BindingChanged {
                binding: k.clone(),
                old: o.clone(),
                new: n.clone(),
            },
            |k, n| BindingAdded {
                binding: k.clone(),
                new: n.clone(),
            },
            |k, o| BindingRemoved {
                binding: k.clone(),
                old: o.clone(),
            },
            &mut out,
        );
    }
    diff_maps(
        &old.inputs,
        &new.inputs,
        |k, o, n| InputChanged {
            path: k.clone(),
            old: o.clone(),
            new: n.clone(),
        },
        |k, _| InputAdded { path: k.clone() },
        |k, _| InputRemoved { path: k.clone() },
        &mut out,
    );
    for (inst, new_outs) in &new.upstream {
        match old.upstream.get(inst) {
            None => out.push(UpstreamAdded {
                instance: inst.clone(),
            }),
            Some(old_outs) => {
                let paths: std::collections::BTreeSet<&String> =
                    old_outs.keys().chain(new_outs.keys()).collect();
                for p in paths {
                    if old_outs.get(p) != new_outs.get(p) {
                        out.push(UpstreamChanged {
                            instance: inst.clone(),
                            path: p.clone(),
                        });
                    }
                }
            }
        }
    }
    for inst in old.upstream.keys() {
        if !new.upstream.contains_key(inst) {
            out.push(UpstreamRemoved {
                instance: inst.clone(),
            });
        }
    }
    out
}

fn describe(a: &ActionRecord) -> String {
    match a {
        ActionRecord::Stage { name, .. } => format!("stage {name}"),
        ActionRecord::Cmd { cmd, .. } => format!("cmd {cmd}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fp() -> FingerprintInputs {
        FingerprintInputs {
            engine: FORMAT_VERSION.into(),
            action: ActionRecord::Stage {
                name: "features".into(),
                code: "abc".into(),
            },
            partition: BTreeMap::from([("division".into(), "A".into())]),
            params: flatten_params(&json!({"windows": {"months": 12}, "alpha": [1, 2]})),
            inputs: BTreeMap::from([("stages/sku_map.csv".into(), "h1".into())]),
            upstream: BTreeMap::new(),
            bindings: BTreeMap::from([
                ("input.sku_map".into(), "stages/sku_map.csv".into()),
                ("needs.star".into(), "star".into()),
            ]),
        }
    }

    #[test]
    fn a_renamed_input_or_a_swapped_role_is_stale_and_named() {
        // The same file under another name: a stage reads inputs by name, so it may no longer
        // read this one at all (a tester's `denylist` renamed `old_denylist` stayed fresh).
        let a = fp();
        let mut b = fp();
        b.bindings.remove("input.sku_map");
        b.bindings
            .insert("input.old_sku_map".into(), "stages/sku_map.csv".into());
        assert_ne!(a.fingerprint(), b.fingerprint());
        let why: Vec<String> = diff(&a, &b).iter().map(ToString::to_string).collect();
        assert_eq!(
            why,
            [
                "`input.old_sku_map` added (`stages/sku_map.csv`)",
                "`input.sku_map` removed (was `stages/sku_map.csv`)"
            ]
        );
        let mut c = fp();
        c.bindings
            .insert("needs.star".into(), "holdout_star".into());
        assert_eq!(
            diff(&a, &c)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["`needs.star` now names `holdout_star` (was `star`)"]
        );
        // A lock entry of the previous format (no bindings) reads as the format's change alone.
        let mut old = fp();
        old.engine = "gosales-fp/1".into();
        old.bindings.clear();
        assert_eq!(
            diff(&old, &a),
            [StaleReason::EngineChanged {
                old: "gosales-fp/1".into(),
                new: FORMAT_VERSION.into()
            }]
        );
    }

    #[test]
    fn an_entry_of_the_as_written_format_names_only_real_param_edits() {
        // gosales-fp/2 held params as written; gosales-fp/3 as the stage reads them, defaults
        // included. The upgrade says the format changed, and names a key only when its value
        // did (a user who edited one and upgraded in the same step), not each default.
        let mut old = fp();
        old.engine = "gosales-fp/2".into();
        old.params = flatten_params(&json!({"windows": {"months": 12}, "alpha": 0, "m": "a"}));
        let mut new = fp();
        new.params = flatten_params(
            &json!({"windows": {"months": 12}, "alpha": 0.0, "m": "b", "extra": false}),
        );
        assert_eq!(
            diff(&old, &new),
            [
                StaleReason::EngineChanged {
                    old: "gosales-fp/2".into(),
                    new: FORMAT_VERSION.into()
                },
                StaleReason::ParamChanged {
                    key: "m".into(),
                    old: json!("a"),
                    new: json!("b")
                }
            ]
        );
    }

    #[test]
    fn flattening_names_nested_keys() {
        let p = fp().params;
        assert_eq!(p.get("windows.months"), Some(&json!(12)));
        assert_eq!(p.get("alpha[1]"), Some(&json!(2)));
    }

    #[test]
    fn params_spelled_apart_are_fingerprinted_apart() {
        let fp = |v: Value| fingerprint_params(&v);
        assert_ne!(
            fp(json!({"spark": {"executor.memory": "4g"}})),
            fp(json!({"spark.executor.memory": "4g"}))
        );
        assert_ne!(fp(json!({"cols": ["x"]})), fp(json!({"cols[0]": "x"})));
        assert_ne!(fp(json!({"a": {"": 1}})), fp(json!({"a": 1})));
        // Plain keys as flatten_params writes them: the fingerprints locks hold stay.
        let plain = json!({"windows": {"months": 12}, "alpha": [1, 2]});
        assert_eq!(fp(plain.clone()), flatten_params(&plain));
    }

    #[test]
    fn an_entry_of_the_previous_format_keeps_its_own_fingerprint() {
        // A lock written before bindings were recorded: its entries must still match their
        // recorded fingerprints (else the lock reads as corrupt), and read as the format's
        // change. A reviewer's upgraded workspace was refused as "edited by hand".
        let mut old = fp();
        old.engine = "gosales-fp/1".into();
        old.bindings.clear();
        let mut v = serde_json::to_value(&old).unwrap();
        v.as_object_mut().unwrap().remove("bindings");
        let text = serde_json::to_vec(&v).unwrap();
        let recorded = blake3::hash(&text).to_hex().to_string();
        let loaded: FingerprintInputs = serde_json::from_slice(&text).unwrap();
        assert_eq!(loaded.fingerprint(), recorded);
        assert_eq!(
            diff(&loaded, &fp()),
            [StaleReason::EngineChanged {
                old: "gosales-fp/1".into(),
                new: FORMAT_VERSION.into()
            }]
        );
    }

    #[test]
    fn fingerprint_is_stable_and_sensitive() {
        let a = fp();
        assert_eq!(a.fingerprint(), fp().fingerprint());
        let mut b = fp();
        b.params.insert("windows.months".into(), json!(24));
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(
            diff(&a, &b),
            vec![StaleReason::ParamChanged {
                key: "windows.months".into(),
                old: json!(12),
                new: json!(24)
            }]
        );
        assert_eq!(
            diff(&a, &b)[0].to_string(),
            "param `windows.months` changed (12 => 24)"
        );
    }

    #[test]
    fn code_and_input_changes_are_named() {
        let a = fp();
        let mut b = fp();
        b.action = ActionRecord::Stage {
            name: "features".into(),
            code: "def".into(),
        };
        b.inputs.insert("stages/sku_map.csv".into(), "h2".into());
        let reasons = diff(&a, &b);
        assert!(matches!(reasons[0], StaleReason::CodeChanged { .. }));
        assert!(
            matches!(&reasons[1], StaleReason::InputChanged { path, .. } if path == "stages/sku_map.csv")
        );
    }

    #[test]
    fn a_renamed_partition_key_is_named() {
        let a = fp();
        let mut b = fp();
        b.partition = BTreeMap::from([("div".into(), "A".into())]);
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(
            diff(&a, &b),
            vec![
                StaleReason::PartitionAdded {
                    key: "div".into(),
                    new: "A".into()
                },
                StaleReason::PartitionRemoved {
                    key: "division".into(),
                    old: "A".into()
                }
            ]
        );
    }

    #[test]
    fn only_hex_hashes_are_shortened_in_reasons() {
        let changed = |old: &str, new: &str| {
            StaleReason::CodeChanged {
                stage: "csv_summary".into(),
                old: old.into(),
                new: new.into(),
            }
            .to_string()
        };
        assert_eq!(
            changed("csv_summary/1", "csv_summary/2"),
            "code of stage `csv_summary` changed (csv_summary/1 => csv_summary/2)"
        );
        let (a, b) = ("0123456789abcdef0123", "fedcba98765432100123");
        assert_eq!(
            changed(a, b),
            "code of stage `csv_summary` changed (0123456789ab => fedcba987654)"
        );
        // Not hex (an edited lock): whole, and never cut inside a character.
        assert_eq!(
            changed("ééééééééééééééé", "x"),
            "code of stage `csv_summary` changed (ééééééééééééééé => x)"
        );
    }
}
