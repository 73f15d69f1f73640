//! Whole-manifest checks: placeholders and variables, `needs` targets.

use super::params::collect_strings;
use super::*;

impl Manifest {
    /// Every `{name}` in needs, inputs, outputs and params must be a foreach key or a scalar
    /// var (cmd strings may also use `in.*`, `out.*` and `params.*`); every `$name` a var.
    pub(super) fn check_placeholders(&self, def: &NodeDef) -> Result<(), ManifestError> {
        let f = &self.file;
        let keys: Vec<&str> = def.foreach.iter().map(|f| f.key.as_str()).collect();
        let known = |name: &str| -> bool {
            keys.contains(&name)
                || matches!(
                    self.vars.get(name).map(|v| &v.value),
                    Some(VarValue::Scalar(_))
                )
        };
        let check = |file: &SourceFile,
                     text: &str,
                     pos: Pos,
                     extra: &dyn Fn(&str) -> bool,
                     in_cmd: bool| {
            let quote = usize::from(
                file.text
                    .get(pos.offset..pos.offset + 1)
                    .is_some_and(|c| c == "\"" || c == "'"),
            );
            let list = placeholders(text).map_err(|off| {
                file.error(
                    Pos {
                        offset: pos.offset + quote + off,
                        len: 1,
                        ..pos
                    },
                    ErrorKind::InvalidValue {
                        value: text.to_string(),
                        context: "a template".into(),
                        reason: "unclosed `{` (write `{{` for a literal brace)".into(),
                    },
                )
            })?;
            for p in list {
                let mut at = Pos {
                    offset: pos.offset + quote + p.offset,
                    len: p.name.len() + 2,
                    line: pos.line,
                    column: pos.column + quote + text[..p.offset].chars().count(),
                };
                // In a quoted scalar, escapes (`''`, `\u00e9`) make the text as written longer
                // than the value: find the placeholder as written, at or after where the value
                // puts it (the column pointed at `s {nosuch` in `'it''s {nosuch}'`).
                let needle = format!("{{{}}}", p.name);
                if quote == 1 && file.text.get(at.offset..at.offset + needle.len()) != Some(&needle)
                {
                    if let Some(d) = file.text.get(at.offset..).and_then(|r| r.find(&needle)) {
                        at = file.at_offset(at.offset + d, needle.len());
                    }
                }
                if !known(&p.name) && !extra(&p.name) {
                    return Err(self.undefined_var_in(file, &p.name, at, &keys, in_cmd));
                }
                self.check_cmd_placeholder(def, &p.name, at)?;
            }
            Ok(())
        };
        let none = |_: &str| false;
        for l in def
            .needs
            .iter()
            .map(|n| &n.target)
            .chain(def.inputs.iter().map(|(_, l)| l))
            .chain(def.outputs.iter().map(|(_, l)| l))
        {
            check(f, &l.text, l.pos, &none, false)?;
        }
        if let Action::Cmd { template, pos } = &def.action {
            let cmd_extra = |n: &str| {
                n == "in"
                    || n == "out"
                    || n.starts_with("in.")
                    || n.starts_with("out.")
                    || n.starts_with("params.")
            };
            check(f, template, *pos, &cmd_extra, true)?;
        }
        let mut strings = Vec::new();
        collect_strings(&def.params.value, "", &mut strings);
        for (key, s) in strings {
            // The value itself where it is a scalar (else its key), in the file it is written
            // in: a params file, or an `extends` file rather than the manifest's `extends`.
            let (file, pos) = def
                .params
                .find_value(&key)
                .or_else(|| def.params.find_key(|k| k == key))
                .unwrap_or((&def.params.file, def.params.pos));
            if let Some(var) = s.strip_prefix('$') {
                if !self.vars.contains_key(var) && !keys.contains(&var) {
                    return Err(self.undefined_var_in(file, var, pos, &keys, false));
                }
            } else {
                check(file, &s, pos, &none, false).map_err(|mut e| {
                    // The key's position is the best anchor for a value inside a params file.
                    if e.location.is_empty() {
                        e.location = file.name.clone();
                    }
                    e
                })?;
            }
        }
        Ok(())
    }

    /// `{in.X}`, `{out.X}` and `{params.X}` must name an input (or a `needs` node or role), an
    /// output, or a scalar param of the node: one that resolves to nothing could only run
    /// as literal text (a file named `{out.o}` in the workspace root). Other names pass.
    fn check_cmd_placeholder(
        &self,
        def: &NodeDef,
        name: &str,
        at: Pos,
    ) -> Result<(), ManifestError> {
        let (what, known): (&str, Vec<String>) = if let Some(k) = name.strip_prefix("in.") {
            let mut known: Vec<String> = def.inputs.iter().map(|(n, _)| n.clone()).collect();
            for need in &def.needs {
                known.push(need.target.text.split('@').next().unwrap_or("").to_string());
                if !need.role.is_empty() {
                    known.push(need.role.clone());
                }
            }
            if known.iter().any(|n| n == k) {
                return Ok(());
            }
            ("input, needed node or role", known)
        } else if let Some(k) = name.strip_prefix("out.") {
            let known: Vec<String> = def.outputs.iter().map(|(n, _)| n.clone()).collect();
            if known.iter().any(|n| n == k) {
                return Ok(());
            }
            ("output", known)
        } else if let Some(k) = name.strip_prefix("params.") {
            let flat = crate::fingerprint::flatten_params(&def.params.value);
            let scalar = |v: &Value| !matches!(v, Value::Object(_) | Value::Array(_));
            if flat.get(k).is_some_and(scalar) {
                return Ok(());
            }
            let known = flat
                .iter()
                .filter(|(_, v)| scalar(v))
                .map(|(k, _)| k.clone())
                .collect();
            ("scalar param", known)
        } else {
            return Ok(());
        };
        let (_, key) = name.split_once('.').unwrap_or(("", name));
        let mut known = known;
        known.sort();
        known.dedup();
        Err(self.file.error(
            at,
            ErrorKind::UnknownPlaceholder {
                placeholder: name.to_string(),
                what: what.to_string(),
                suggestion: suggest(key, known.iter().map(String::as_str)),
                known,
            },
        ))
    }

    pub(super) fn undefined_var(&self, var: &str, at: Pos, keys: &[&str]) -> ManifestError {
        self.undefined_var_in(&self.file, var, at, keys, false)
    }

    pub(super) fn undefined_var_in(
        &self,
        file: &SourceFile,
        var: &str,
        at: Pos,
        keys: &[&str],
        in_cmd: bool,
    ) -> ManifestError {
        let mut known: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        known.extend(self.vars.keys().cloned());
        file.error(
            at,
            ErrorKind::UndefinedVar {
                var: var.to_string(),
                suggestion: suggest(var, known.iter().map(String::as_str)),
                known,
                in_cmd,
            },
        )
    }

    /// Every `needs` entry names an existing node, and the node-level graph has no cycle.
    pub(super) fn check_needs(&self) -> Result<(), ManifestError> {
        let names: Vec<&str> = self.nodes.iter().map(|n| n.name.as_str()).collect();
        for n in &self.nodes {
            for need in &n.needs {
                let need = &need.target;
                let target = need.text.split('@').next().unwrap_or("");
                if !names.contains(&target) {
                    return Err(self.file.error(
                        Pos {
                            len: target.len().max(1),
                            ..need.pos
                        },
                        ErrorKind::UnknownNeed {
                            node: n.name.clone(),
                            need: target.to_string(),
                            suggestion: suggest(target, names.iter().copied()),
                        },
                    ));
                }
            }
        }
        Ok(())
    }
}
