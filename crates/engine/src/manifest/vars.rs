//! Variables (`vars`): a scalar, a list, or the distinct values of a CSV column.

use std::collections::BTreeSet;
use std::path::Path;

use marked_yaml::types::MarkedScalarNode;
use marked_yaml::Node;
use serde_json::Value;

use super::{Manifest, Var, VarValue};
use crate::diagnostic::{ErrorKind, ManifestError};
use crate::yaml::{self, check_keys, expect_scalar, expect_scalar_list, scalar_pos};

const CSV_VAR_KEYS: &[&str] = &["from_csv", "column"];

impl Manifest {
    pub(super) fn load_var(
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
}

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
