//! Params: inline or from a file under `stages/`, `extends`, and where each key was written.

use super::*;

impl Manifest {
    pub(super) fn load_params(
        &self,
        node: Option<&Node>,
        ctx: &str,
        read: &mut Vec<(String, String)>,
    ) -> Result<Params, ManifestError> {
        let f = &self.file;
        match node {
            None => Ok(Params {
                value: Value::Object(Default::default()),
                file: f.clone(),
                pos: Pos::default(),
                key_pos: BTreeMap::new(),
                value_pos: BTreeMap::new(),
                base: None,
            }),
            Some(Node::Scalar(s)) => {
                // A params file, relative to the workspace root.
                let rel = s.as_str();
                let path = self.root.join(rel);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    f.error(
                        scalar_pos(f, s),
                        ErrorKind::Unreadable {
                            path: rel.to_string(),
                            reason: e.to_string(),
                        },
                    )
                })?;
                // No key at all (not even `{}`): a file truncated by accident would run every
                // stage on built-in defaults, differing from the ones written, with no word.
                if text
                    .lines()
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
                {
                    return Err(f.error(
                        scalar_pos(f, s),
                        ErrorKind::Unreadable {
                            path: rel.to_string(),
                            reason: "the params file holds no key (write `{}` in it to take every built-in default)".into(),
                        },
                    ));
                }
                read.push((
                    rel.to_string(),
                    blake3::hash(text.as_bytes()).to_hex().to_string(),
                ));
                let pfile = SourceFile::new(rel, text);
                let doc = yaml::parse(&pfile)?;
                let map = expect_mapping(&pfile, &doc, "a params file")?;
                let (mut key_pos, mut value_pos) = (BTreeMap::new(), BTreeMap::new());
                collect_key_pos(&pfile, &doc, "", &mut key_pos, &mut value_pos);
                Ok(Params {
                    value: yaml::to_json(&doc),
                    pos: pfile.marked(map.span(), 1),
                    file: pfile,
                    key_pos,
                    value_pos,
                    base: None,
                })
            }
            Some(n @ Node::Mapping(map)) => {
                let (mut key_pos, mut value_pos) = (BTreeMap::new(), BTreeMap::new());
                collect_key_pos(f, n, "", &mut key_pos, &mut value_pos);
                let mut value = yaml::to_json(n);
                let mut extended = None;
                if let Some(base) = map.get_node(EXTENDS) {
                    // `{extends: stages/etl.yaml, log: holdout}`: the file's params, with the
                    // inline keys replacing whole top-level keys of it.
                    if !matches!(base, Node::Scalar(_)) {
                        return Err(yaml::wrong_type(
                            f,
                            base,
                            "a params file path",
                            &format!("`params.{EXTENDS}` of {ctx}"),
                        ));
                    }
                    let base = self.load_params(Some(base), ctx, read)?;
                    let mut merged = base.value.as_object().cloned().unwrap_or_default();
                    for (k, v) in value.as_object().into_iter().flatten() {
                        if k != EXTENDS {
                            merged.insert(k.clone(), v.clone());
                        }
                    }
                    value = Value::Object(merged);
                    key_pos.retain(|k, _| k != EXTENDS);
                    value_pos.retain(|k, _| k != EXTENDS);
                    extended = Some(Box::new(base));
                }
                Ok(Params {
                    value,
                    file: f.clone(),
                    pos: yaml::node_pos(f, n),
                    key_pos,
                    value_pos,
                    base: extended,
                })
            }
            Some(n) => Err(yaml::wrong_type(
                f,
                n,
                "a mapping or a params file path",
                &format!("`params` of {ctx}"),
            )),
        }
    }
}

pub(super) fn collect_key_pos(
    file: &SourceFile,
    node: &Node,
    prefix: &str,
    keys: &mut BTreeMap<String, Pos>,
    values: &mut BTreeMap<String, Pos>,
) {
    if let Node::Mapping(map) = node {
        for (k, v) in map.iter() {
            let path = if prefix.is_empty() {
                k.as_str().to_string()
            } else {
                format!("{prefix}.{}", k.as_str())
            };
            keys.insert(path.clone(), scalar_pos(file, k));
            if let Node::Scalar(s) = v {
                values.insert(path.clone(), scalar_pos(file, s));
            }
            collect_key_pos(file, v, &path, keys, values);
        }
    }
}

pub(super) fn collect_strings(v: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, prefix, out)),
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                collect_strings(x, &p, out);
            }
        }
        _ => {}
    }
}
