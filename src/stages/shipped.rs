//! Guardrail: the pipeline a `git clone` runs loads, and every params file under `stages/` is
//! one a stage accepts. Without this a stage's params struct could drift from the shipped YAML
//! and only the first real run would say so.

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::engine::manifest::Action;
    use crate::engine::session::Session;
    use crate::engine::yaml;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_shipped_pipeline_loads_with_every_role_bound() {
        let s = Session::load(&root().join("pipeline.yaml"), &crate::stages::Catalog)
            .unwrap_or_else(|e| panic!("pipeline.yaml does not load: {e}"));
        let stages: Vec<&str> = s
            .manifest
            .nodes
            .iter()
            .filter_map(|n| match &n.action {
                Action::Stage { name, .. } => Some(name.as_str()),
                Action::Cmd { .. } => None,
            })
            .collect();
        for stage in [
            "source",
            "etl",
            "labels",
            "features",
            "train",
            "validate",
            "score",
            "whitespace",
            "whitespace_holdout",
        ] {
            assert!(
                stages.contains(&stage),
                "no `{stage}` node in pipeline.yaml"
            );
        }
        // Every role a stage declares is filled in the shipped pipeline.
        for inst in &s.graph.instances {
            let def = &s.manifest.nodes[inst.node_idx];
            let Action::Stage { name, .. } = &def.action else {
                continue;
            };
            for role in crate::stages::find(name).unwrap().roles() {
                let filled = inst
                    .needs
                    .iter()
                    .any(|(r, v)| r == role.name && !v.is_empty());
                assert!(
                    filled || !role.required,
                    "{}: role `{}` unfilled",
                    inst.id,
                    role.name
                );
            }
        }
    }

    #[test]
    fn every_params_file_under_stages_is_accepted_by_its_stage() {
        let dir = root().join("stages");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let stage = match path.file_stem().unwrap().to_str().unwrap() {
                "models" => "train",
                other => other,
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let file = crate::engine::diagnostic::SourceFile::new(path.display().to_string(), text);
            let doc = yaml::parse(&file).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let params = yaml::to_json(&doc);
            let s = crate::stages::find(stage)
                .unwrap_or_else(|| panic!("{}: no stage `{stage}`", path.display()));
            s.check_params(&params)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            checked += 1;
        }
        assert!(checked >= 8, "only {checked} params files");
    }
}
