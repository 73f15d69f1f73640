//! `foreach`: the partition keys of a node and the values each fans out over.

use std::collections::BTreeMap;

use marked_yaml::Node;
use serde_json::Value;

use super::{is_partition_value, Foreach, Manifest, VarValue};
use crate::diagnostic::{ErrorKind, ManifestError};
use crate::yaml::{self, expect_mapping, expect_scalar_list, scalar_pos};

impl Manifest {
    pub(super) fn load_foreach(
        &self,
        node: Option<&Node>,
        ctx: &str,
    ) -> Result<Vec<Foreach>, ManifestError> {
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
}
