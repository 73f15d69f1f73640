use super::*;
use std::collections::BTreeMap;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn versions(src: &Path) -> BTreeMap<String, String> {
    stage_versions(src, "")
        .into_iter()
        .map(|(n, v, _)| (n, v))
        .collect()
}

/// A copy of gosales' and the engine's sources (no `vendor/`) in a temporary directory.
fn copied_src() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("src"), &src);
    copy_tree(&engine_src(&root.join("src")), &engine_src(&src));
    (dir, src)
}

/// The stages whose version changes when `file` (relative to the project root) gets a
/// comment appended, in a copy of the tree.
fn stale_after_editing(file: &str) -> Vec<String> {
    let (_dir, src) = copied_src();
    stale_after_editing_in(&src, file)
}

/// [`stale_after_editing`] in a tree already copied (and perhaps changed) by the caller.
fn stale_after_editing_in(src: &Path, file: &str) -> Vec<String> {
    let before = versions(src);
    let p = src.parent().unwrap().join(file);
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\n// an edit\n");
    std::fs::write(&p, text).unwrap();
    let after = versions(src);
    before
        .keys()
        .filter(|k| before[*k] != after[*k])
        .cloned()
        .collect()
}

/// Declares `mod extra;` at the top of `parent` (before any inline tests, which are cut off as
/// test code) with a function calling it by a bare path, and writes the child `child`.
fn add_child(src: &Path, parent: &str, child: &str) {
    let parent = src.join(parent);
    let text = std::fs::read_to_string(&parent).unwrap();
    let code = "mod extra;\npub fn twice(x: f64) -> f64 {\n    extra::double(x)\n}\n";
    std::fs::write(&parent, format!("{code}{text}")).unwrap();
    let child = src.join(child);
    std::fs::create_dir_all(child.parent().unwrap()).unwrap();
    std::fs::write(&child, "pub fn double(x: f64) -> f64 {\n    2.0 * x\n}\n").unwrap();
}

#[test]
fn an_edit_to_vendored_source_reaches_every_stage() {
    // The patched LightGBM is a path dependency whose Cargo.lock entry never changes.
    let (dir, src) = copied_src();
    let plain = versions(&src);
    let cpp = dir.path().join("vendor/lightgbm3-sys/lightgbm/src/io");
    std::fs::create_dir_all(&cpp).unwrap();
    std::fs::write(
        cpp.join("train_share_states.cpp"),
        "const double k = 0.0;\n",
    )
    .unwrap();
    let vendored = versions(&src);
    std::fs::write(
        cpp.join("train_share_states.cpp"),
        "const double k = 0.6;\n",
    )
    .unwrap();
    let edited = versions(&src);
    assert_eq!(plain.len(), vendored.len());
    for (stage, v) in &vendored {
        assert_ne!(
            &plain[stage], v,
            "{stage}: vendored source not in its version"
        );
        assert_ne!(
            &edited[stage], v,
            "{stage}: an edit to vendored source missed"
        );
    }
}

#[test]
fn an_edit_reaches_exactly_the_stages_that_can_reach_the_file() {
    // history.rs: every stage that reads the star through it, and nothing else.
    assert_eq!(
        stale_after_editing("src/stages/history.rs"),
        [
            "features",
            "labels",
            "score",
            "train",
            "validate",
            "whitespace",
            "whitespace_holdout"
        ]
    );
    // stages/mod.rs (the Stage trait, parse_params, write_csv): every stage.
    assert_eq!(
        stale_after_editing("src/stages/mod.rs"),
        [
            "etl",
            "features",
            "labels",
            "probe",
            "score",
            "source",
            "train",
            "validate",
            "whitespace",
            "whitespace_holdout"
        ]
    );
    // An ml file: the stages that fit, score or measure models.
    assert_eq!(
        stale_after_editing("src/ml/metrics.rs"),
        [
            "score",
            "train",
            "validate",
            "whitespace",
            "whitespace_holdout"
        ]
    );
    // A file split out of a stage's module root (the calibration maps, which `score`
    // applies to every model): the stages that name the root reach it too.
    assert_eq!(
        stale_after_editing("src/stages/train/calibrator.rs"),
        [
            "score",
            "train",
            "validate",
            "whitespace",
            "whitespace_holdout"
        ]
    );
    // A child module reached only through a glob re-export (`pub use date::*;` in parse.rs):
    // every stage that parses the log's cells.
    assert!(stale_after_editing("src/stages/etl/parse/date.rs").contains(&"etl".to_string()));
    assert_eq!(
        stale_after_editing("src/stages/etl/parse/date.rs"),
        stale_after_editing("src/stages/etl/parse.rs")
    );
    assert!(stale_after_editing("src/stages/etl/parse/tests.rs").is_empty());
    // Tests split into files of their own (`#[cfg(test)] mod tests;`) shape no output.
    assert!(stale_after_editing("src/stages/train/tests.rs").is_empty());
    assert!(stale_after_editing("src/ml/gbm/tests.rs").is_empty());
    assert!(stale_after_editing("src/stages/whitespace/tests.rs").is_empty());
    assert!(stale_after_editing("src/stages/labels/tests.rs").is_empty());
    // ... whatever the crate feature they need (`#![cfg(feature = ..)]` inside the file).
    assert!(stale_after_editing("src/ml/treeshap/tests.rs").is_empty());
    assert!(stale_after_editing("src/ml/logreg/tests.rs").is_empty());
    // The module they test does shape outputs.
    assert!(!stale_after_editing("src/ml/treeshap.rs").is_empty());
    // The engine's worker protocol: every stage (each runs from a StageContext).
    assert_eq!(
        stale_after_editing("crates/engine/src/job.rs"),
        stale_after_editing("src/stages/mod.rs")
    );
    // The scheduler decides when a stage runs, never what it writes.
    assert!(stale_after_editing("crates/engine/src/scheduler/mod.rs").is_empty());
    assert!(stale_after_editing("crates/engine/src/scheduler/outcome.rs").is_empty());
    assert!(stale_after_editing("crates/engine/src/publish.rs").is_empty());
    // The UI is no stage's code.
    assert!(stale_after_editing("src/ui/html.rs").is_empty());
}

#[test]
fn a_child_module_named_by_a_bare_path_is_reached() {
    // A file module (`stages/history.rs`) that declares a child and calls it by a bare
    // path: the child is part of every stage that reaches the parent.
    let (_dir, src) = copied_src();
    add_child(&src, "stages/history.rs", "stages/history/extra.rs");
    assert_eq!(
        stale_after_editing_in(&src, "src/stages/history/extra.rs"),
        [
            "features",
            "labels",
            "score",
            "train",
            "validate",
            "whitespace",
            "whitespace_holdout"
        ]
    );
    // Spelled `self::`, already followed; a path that merely ends in the name is not one.
    assert_eq!(
        with_child_paths(
            "mod extra;\nuse extra::A;\nfn f() { other::extra::g(); }",
            &[]
        ),
        "mod extra;\nuse self::extra::A;\nfn f() { other::extra::g(); }"
    );
}

#[test]
fn a_module_roots_bare_paths_into_its_children_are_reached() {
    // `ml/mod.rs` (reached by the stages that fit or measure models) gains a function that
    // calls a child by a bare path: an edit to the child reruns exactly those stages.
    let (_dir, src) = copied_src();
    add_child(&src, "ml/mod.rs", "ml/extra.rs");
    let reached = stale_after_editing_in(&src, "src/ml/extra.rs");
    assert!(!reached.is_empty());
    assert_eq!(reached, stale_after_editing_in(&src, "src/ml/mod.rs"));
    // The engine-side check every stage's report passes (the catalog calls it by a bare path):
    // every stage, since a stricter check may refuse what an earlier run accepted.
    assert_eq!(
        stale_after_editing("src/stages/leakage.rs"),
        stale_after_editing("src/stages/mod.rs")
    );
    // The catalog's bare paths to the stages it lists stay out: an edit to one stage reruns
    // it (and what names it), never the rest.
    assert_eq!(stale_after_editing("src/stages/probe.rs"), ["probe"]);
}

#[test]
fn only_the_test_block_is_cut_and_re_exports_are_followed() {
    // Code after an inline test module still counts; the module's own paths do not.
    let text = "fn a() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { if true { crate::x::y() } }\n}\nfn b() { crate::m::f() }\n";
    let code = code_only(text);
    assert!(code.contains("crate::m::f"), "{code}");
    assert!(
        !code.contains("super::*") && !code.contains("crate::x"),
        "{code}"
    );
    // Braces inside literals and comments of the test block do not end it early or late.
    let text = concat!(
        "#[cfg(test)]\nmod tests {\n",
        "    const A: &str = \"}}\"; const B: char = '}'; const C: char = '\\'';\n",
        "    const D: &str = r#\"\"}\"#; const E: &[u8] = br\"}\"; const F: char = '\\u{7d}';\n",
        "    // }\n    /* } /* } */ } */\n",
        "    fn t<'a>(x: &'a str) -> &'a str { crate::x::y(); x }\n",
        "}\n",
        "fn b() { crate::m::f() }\n",
    );
    let code = code_only(text);
    assert!(code.contains("crate::m::f"), "{code}");
    assert!(!code.contains("crate::x"), "{code}");
    // A block whose close cannot be found is kept whole: more paths followed, never fewer.
    let code = code_only(
        "#[cfg(test)]\nmod tests {\n    fn t() { crate::x::y() }\nfn b() { crate::m::f() }\n",
    );
    assert!(
        code.contains("crate::m::f") && code.contains("crate::x"),
        "{code}"
    );
    // A root's re-export of a child is followed: the root's own code may use the name.
    assert_eq!(
        with_child_paths("mod a;\npub use a::X;\npub(crate) use a::{Y, Z};", &[]),
        "mod a;\npub use self::a::X;\npub(crate) use self::a::{Y, Z};"
    );
    // ... except the catalog's paths to the stages it lists.
    assert_eq!(
        with_child_paths(
            "mod etl;\nmod leakage;\nfn f() { etl::Etl; leakage::check() }",
            &["etl".into()]
        ),
        "mod etl;\nmod leakage;\nfn f() { etl::Etl; self::leakage::check() }"
    );
}

#[test]
fn a_new_compiler_is_a_new_code_version() {
    let rustc = "rustc 1.95.0 (59807616e 2026-04-14)\nc++ (Debian 12.2.0-14) 12.2.0";
    let next = "rustc 1.96.0 (0c1d2e3f4 2026-05-28)\nc++ (Debian 12.2.0-14) 12.2.0";
    let v = "0123456789abcdef";
    assert_ne!(with_toolchain(v, rustc), with_toolchain(v, next));
    assert_ne!(with_toolchain(v, rustc), v);
    assert_eq!(with_toolchain(v, rustc), with_toolchain(v, rustc));
    assert_eq!(with_toolchain(v, rustc).len(), 16);
    assert_eq!(with_toolchain(v, ""), v);
}

#[test]
fn paths_groups_and_reexports_are_followed() {
    let m = vec!["stages".to_string(), "train".to_string(), "fit".to_string()];
    let p = paths_in(
        "use super::{data::Stacked, Params};\nuse crate::ml::logreg::{self, LogReg};\nuse self::x::*;",
        &m,
    );
    let s: Vec<String> = p.iter().map(|x| x.join("::")).collect();
    assert_eq!(
        s,
        [
            "ml::logreg",
            "ml::logreg::LogReg",
            "stages::train::data::Stacked",
            "stages::train::Params",
            "stages::train::fit::x::*"
        ]
    );
    let r = reexports(
        "pub use context::{StageContext, StageError};\npub mod context;",
        &["stages".to_string()],
        "StageContext",
    );
    assert_eq!(r, [vec!["stages", "context", "StageContext"]]);
}

#[test]
fn locked_versions_pick_the_crates_that_shape_outputs_and_what_they_depend_on() {
    let lock = "[[package]]\nname = \"polars-core\"\nversion = \"0.55.2\"\ndependencies = [\n \"lz4\",\n \"quick-xml 0.39.4\",\n]\n\n[[package]]\nname = \"indicatif\"\nversion = \"0.18.6\"\ndependencies = [\n \"unicode-width\",\n]\n\n[[package]]\nname = \"lz4\"\nversion = \"1.28.1\"\ndependencies = [\n \"lz4-sys\",\n]\n\n[[package]]\nname = \"lz4-sys\"\nversion = \"1.11.1\"\n\n[[package]]\nname = \"quick-xml\"\nversion = \"0.39.4\"\n\n[[package]]\nname = \"quick-xml\"\nversion = \"0.42.0\"\n\n[[package]]\nname = \"unicode-width\"\nversion = \"0.2.3\"\n";
    let v = locked_versions(lock);
    // Not indicatif (a progress bar) nor what only it uses; both quick-xml versions, one of
    // them only under polars; LZ4 under polars, two levels down.
    assert_eq!(
        v.into_iter().collect::<Vec<_>>(),
        [
            "lz4-sys@1.11.1",
            "lz4@1.28.1",
            "polars-core@0.55.2",
            "quick-xml@0.39.4",
            "quick-xml@0.42.0"
        ]
    );
    // A bump of the older of two versions is seen (a map by name kept only the last).
    let bumped = lock.replace("0.39.4", "0.39.5");
    assert_ne!(locked_versions(lock), locked_versions(&bumped));
    // Every locked crate under the real lock's polars, csv, LightGBM: LZ4 and the number
    // formatting the CSV writer uses among them.
    let real =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let names: BTreeSet<String> = locked_versions(&real)
        .iter()
        .map(|c| c.split('@').next().unwrap().to_string())
        .collect();
    for c in [
        "lz4",
        "ryu",
        "itoa",
        "libm",
        "polars-parquet",
        "lightgbm3-sys",
    ] {
        assert!(names.contains(c), "{c} missing from {names:?}");
    }
    assert!(!names.contains("indicatif") && !names.contains("clap"));
}

#[test]
fn a_file_module_named_whole_reaches_its_folder_of_children() {
    // `use crate::engine::tools;` then `tools::extra::word()`: `tools.rs` has a folder
    // `tools/`, and the child is reached only through the bare path after the import (an
    // auditor's probe kept its version when `tools/extra.rs` changed).
    let (_dir, src) = copied_src();
    let engine = engine_src(&src);
    let tools = engine.join("tools.rs");
    let text = std::fs::read_to_string(&tools).unwrap();
    std::fs::write(&tools, format!("pub mod extra;\n{text}")).unwrap();
    std::fs::write(
        engine.join("tools").join("extra.rs"),
        "pub fn word() -> &'static str {\n    \"one\"\n}\n",
    )
    .unwrap();
    let probe = src.join("stages").join("probe.rs");
    let text = std::fs::read_to_string(&probe).unwrap();
    std::fs::write(
        &probe,
        format!("use crate::engine::tools;\npub fn probe_word() -> &'static str {{\n    tools::extra::word()\n}}\n{text}"),
    )
    .unwrap();
    assert!(
        stale_after_editing_in(&src, "crates/engine/src/tools/extra.rs")
            .contains(&"probe".to_string())
    );
}

#[test]
fn build_settings_are_part_of_every_version() {
    // A feature switched off changes what the same source computes (serde_json's
    // `preserve_order`: a report's keys in order), with no locked version moving.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let crates: BTreeSet<String> = ["serde_json@1.0.140", "polars@0.55.2"]
        .map(String::from)
        .into();
    let text = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nclap = \"4.6\"\nserde_json = { version = \"1\", features = [\"preserve_order\"] }\npolars = { version = \"=0.55.2\", features = [\n  \"lazy\",\n  \"csv\",\n] }\n\n[dev-dependencies]\ntempfile = \"3\"\n";
    let settings = |manifest: &str| {
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
        build_settings(root, &crates)
    };
    let before = settings(text);
    assert!(before.contains("preserve_order"));
    // The package's version, its dev-dependencies and a crate that shapes no output (a
    // command-line parser) are no build setting.
    assert_eq!(
        settings(
            &text
                .replace("0.1.0", "0.2.0")
                .replace("tempfile = \"3\"", "tempfile = \"3.1\"")
                .replace("clap = \"4.6\"", "clap = \"4.7\"")
        ),
        before
    );
    assert_ne!(
        settings(&text.replace(", features = [\"preserve_order\"]", "")),
        before
    );
    // A feature of polars listed on a line of its own is its setting too.
    assert_ne!(settings(&text.replace("  \"csv\",\n", "")), before);
    // A codegen flag, in the project's Cargo config.
    settings(text);
    std::fs::create_dir_all(root.join(".cargo")).unwrap();
    std::fs::write(
        root.join(".cargo/config.toml"),
        "[build]\nrustflags = [\"-C\", \"target-cpu=native\"]\n",
    )
    .unwrap();
    assert_ne!(build_settings(root, &crates), before);
}

#[test]
fn a_stage_file_beside_a_folder_of_its_children_is_one_stage_and_every_edit_counts() {
    // `stages/newstage.rs` with `newstage/extra.rs` (a child) and `newstage/tests.rs`: until
    // 2026-12-07 the folder was taken as a second stage of the same name, holding only tests,
    // and its version (no file) stood for the stage's: an edit to `newstage.rs` changed nothing.
    let (_dir, src) = copied_src();
    std::fs::write(
        src.join("stages/newstage.rs"),
        "mod extra;\npub fn f() -> f64 {\n    extra::double(1.0)\n}\n#[cfg(test)]\nmod tests;\n",
    )
    .unwrap();
    std::fs::create_dir_all(src.join("stages/newstage")).unwrap();
    std::fs::write(
        src.join("stages/newstage/extra.rs"),
        "pub fn double(x: f64) -> f64 {\n    2.0 * x\n}\n",
    )
    .unwrap();
    std::fs::write(src.join("stages/newstage/tests.rs"), "#[test]\nfn t() {}\n").unwrap();
    let named: Vec<String> = stage_versions(&src, "")
        .into_iter()
        .map(|(n, _, _)| n)
        .filter(|n| n == "newstage")
        .collect();
    assert_eq!(named, ["newstage"]);
    assert_eq!(
        stale_after_editing_in(&src, "src/stages/newstage.rs"),
        ["newstage"]
    );
    assert_eq!(
        stale_after_editing_in(&src, "src/stages/newstage/extra.rs"),
        ["newstage"]
    );
    assert!(stale_after_editing_in(&src, "src/stages/newstage/tests.rs").is_empty());
}
