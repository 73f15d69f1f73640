use super::{ids, load, session, workspace};
use crate::diagnostic::ErrorKind;
use crate::Error;

const GRID: &str = "nodes:
  a:
    stage: make
    foreach: {d: [X, Y], c: ['1', '2']}
  b:
    stage: make
    foreach: {d: [X, Y]}
    needs: ['a@{d}']
  all:
    stage: make
    needs: [a]
  second:
    stage: make
    needs: ['a@*@2']
";

#[test]
fn foreach_expands_and_needs_bind_partitions() {
    let (_d, s) = session(GRID);
    let cases: &[(&str, &[&str])] = &[
        ("a@X@1", &[]),
        ("b@X", &["a@X@1", "a@X@2"]),
        ("b@Y", &["a@Y@1", "a@Y@2"]),
        ("all", &["a@X@1", "a@X@2", "a@Y@1", "a@Y@2"]),
        ("second", &["a@X@2", "a@Y@2"]),
    ];
    for (id, deps) in cases {
        let i = s.graph.index[*id];
        assert_eq!(ids(&s, &s.graph.instances[i].deps), *deps, "deps of {id}");
    }
    assert_eq!(s.graph.instances.len(), 4 + 2 + 1 + 1);
    // Upstream first, always.
    let pos = |id: &str| {
        s.graph
            .order
            .iter()
            .position(|&i| s.graph.instances[i].id == id)
    };
    assert!(pos("a@Y@2") < pos("b@Y") && pos("a@X@2") < pos("second"));
}

#[test]
fn a_cycle_is_underlined_at_the_need_that_closes_it() {
    // `c` comes first in both nodes' needs and is no part of the cycle `a -> b -> a`.
    let manifest = "nodes:\n  c:\n    stage: make\n  a:\n    stage: make\n    needs: [c, b]\n  b:\n    stage: make\n    needs: [c, a]\n";
    let dir = workspace(manifest);
    match load(dir.path()) {
        Err(Error::Manifest(m)) => {
            assert!(matches!(m.kind, ErrorKind::Cycle { .. }), "{:?}", m.kind);
            let at = &m.src.inner()[m.span.offset()..m.span.offset() + m.span.len()];
            assert!(
                at == "a" || at == "b",
                "underlined `{at}` at {}",
                m.location
            );
        }
        Err(e) => panic!("not a manifest error: {e}"),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn a_cycle_closed_through_inputs_is_underlined_at_the_input() {
    let manifest = "nodes:
  a:
    cmd: cp {in.0} {out.0}
    inputs: [outputs/b.txt]
    outputs: [outputs/a.txt]
  b:
    cmd: cp {in.0} {out.0}
    inputs: [data/seed.txt, outputs/a.txt]
    outputs: [outputs/b.txt]
";
    let dir = workspace(manifest);
    match load(dir.path()) {
        Err(Error::Manifest(m)) => {
            assert!(matches!(m.kind, ErrorKind::Cycle { .. }), "{:?}", m.kind);
            let at = &m.src.inner()[m.span.offset()..m.span.offset() + m.span.len()];
            assert!(
                at.contains("outputs/a.txt") || at.contains("outputs/b.txt"),
                "underlined `{at}` at {}",
                m.location
            );
        }
        Err(e) => panic!("not a manifest error: {e}"),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn a_symlink_inside_an_input_directory_into_outputs_is_an_edge() {
    let manifest = "nodes:
  up:
    cmd: mkdir -p outputs/up/sub && echo 1 > {out.o}
    outputs: {o: outputs/up/sub/n.csv}
  down:
    cmd: cat {in.t}/s/n.csv > {out.o}
    inputs: {t: in}
    outputs: {o: outputs/down.txt}
";
    let dir = workspace(manifest);
    std::fs::create_dir_all(dir.path().join("outputs/up/sub")).unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    std::os::unix::fs::symlink("../outputs/up/sub", dir.path().join("in/s")).unwrap();
    let s = load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let down = s.graph.index["down"];
    assert_eq!(ids(&s, &s.graph.instances[down].deps), ["up"]);
}

#[test]
fn an_input_through_a_symlink_to_an_output_not_built_yet_is_an_edge() {
    // A clean checkout: `res -> outputs/up` dangles until `up` runs.
    let manifest = "nodes:
  up:
    cmd: mkdir -p outputs/up && echo 1 > {out.o}
    outputs: {o: outputs/up/total.csv}
  down:
    cmd: cat {in.t} > {out.o}
    inputs: {t: res/total.csv}
    outputs: {o: outputs/down.txt}
";
    let dir = workspace(manifest);
    std::os::unix::fs::symlink("outputs/up", dir.path().join("res")).unwrap();
    let s = load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let down = s.graph.index["down"];
    assert_eq!(ids(&s, &s.graph.instances[down].deps), ["up"]);
}

#[test]
fn broken_graphs_are_refused_with_the_kind_of_error() {
    type Case = (&'static str, fn(&ErrorKind) -> bool);
    let cases: &[Case] = &[
        (
            "nodes:\n  a:\n    stage: make\n    needs: [b]\n  b:\n    stage: make\n    needs: [a]\n",
            |k| matches!(k, ErrorKind::Cycle { .. }),
        ),
        (
            "nodes:\n  a:\n    stage: make\n    needs: [nope]\n",
            |k| matches!(k, ErrorKind::UnknownNeed { .. }),
        ),
        (
            "nodes:\n  a:\n    stage: make\n    foreach: {d: [X]}\n  b:\n    stage: make\n    foreach: {d: [Y]}\n    needs: ['a@{d}']\n",
            |k| matches!(k, ErrorKind::NeedMatchesNothing { .. }),
        ),
        (
            "nodes:\n  a:\n    stage: nosuch\n",
            |k| matches!(k, ErrorKind::UnknownStage { .. }),
        ),
    ];
    for (manifest, expected) in cases {
        let dir = workspace(manifest);
        match load(dir.path()) {
            Err(Error::Manifest(m)) => assert!(expected(&m.kind), "{manifest}: got {:?}", m.kind),
            Err(e) => panic!("{manifest}: not a manifest error: {e}"),
            Ok(_) => panic!("{manifest}: loaded"),
        }
    }
}

#[test]
fn a_cmd_placeholder_naming_nothing_declared_fails_at_load_with_its_line() {
    let manifest = |cmd: &str| {
        format!(
            "nodes:
  up:
    cmd: echo > {{out.0}}
    outputs: [outputs/up.txt]
  n:
    cmd: {cmd}
    inputs: {{src: data/in.txt}}
    needs: [up]
    params: {{k: 1, deep: {{x: 2}}, list: [1, 2]}}
    outputs: {{o: outputs/n.txt}}
"
        )
    };
    let ok = "cat {in.src} {in.up} {params.k} {params.deep.x} {params.list[1]} > {out.o}";
    if let Err(e) = crate::tests::load(crate::tests::workspace(&manifest(ok)).path()) {
        panic!("{e}");
    }
    let cases: &[(&str, &str)] = &[
        ("echo > {out.x}", "`{out.x}` names no output"),
        ("cat {in.nope} > {out.o}", "`{in.nope}` names no input"),
        (
            "echo {params.j} > {out.o}",
            "`{params.j}` names no scalar param",
        ),
        (
            "echo {params.deep} > {out.o}",
            "`{params.deep}` names no scalar param",
        ),
    ];
    for (cmd, message) in cases {
        let dir = crate::tests::workspace(&manifest(cmd));
        match crate::tests::load(dir.path()) {
            Err(crate::Error::Manifest(m)) => {
                assert!(m.message.contains(message), "{cmd}: {}", m.message);
                assert!(
                    m.location.contains("pipeline.yaml:6:"),
                    "{cmd}: {}",
                    m.location
                );
            }
            Err(e) => panic!("{cmd}: {e}"),
            Ok(_) => panic!("{cmd}: loaded"),
        }
    }
}

#[test]
fn an_input_spelled_another_way_still_gets_its_edge_from_the_writer() {
    for spelling in [
        "outputs/./cdir",
        "outputs/x/../cdir",
        "outputs//cdir",
        "./outputs/cdir/",
        "{root}/outputs/cdir",
    ] {
        let dir = workspace("");
        let root = std::path::absolute(dir.path()).unwrap();
        let input = spelling.replace("{root}", &root.to_string_lossy());
        std::fs::write(
            dir.path().join("pipeline.yaml"),
            format!(
                "nodes:
  c:
    cmd: mkdir -p {{out.0}}
    outputs: [outputs/cdir]
  r:
    cmd: ls {{in.d}} > {{out.0}}
    inputs: {{d: '{input}'}}
    outputs: [outputs/r.txt]
"
            ),
        )
        .unwrap();
        let s = load(dir.path()).unwrap_or_else(|e| panic!("{spelling}: {e}"));
        let r = &s.graph.instances[s.graph.index["r"]];
        assert_eq!(ids(&s, &r.deps), ["c"], "{spelling}");
        assert_eq!(r.produced_inputs[0].path, "outputs/cdir", "{spelling}");
    }
}

#[test]
fn an_output_over_engine_state_or_the_manifests_sources_fails_at_load() {
    for (output, reason) in [
        ("cache/runlog.jsonl", "`cache/` holds the engine's state"),
        ("./cache", "`cache/` holds the engine's state"),
        ("pipeline.lock", "`pipeline.lock` is the engine's record"),
        ("pipeline.yaml", "`pipeline.yaml` is the manifest"),
        ("stages/p.yaml", "`stages/p.yaml` is a params"),
        ("stages", "`stages/p.yaml` is a params"),
        (".", "`cache/` holds the engine's state"),
    ] {
        let dir = workspace(&format!(
            "nodes:
  n:
    cmd: echo > {{out.x}}
    params: stages/p.yaml
    outputs: {{x: '{output}'}}
"
        ));
        std::fs::create_dir_all(dir.path().join("stages")).unwrap();
        std::fs::write(dir.path().join("stages/p.yaml"), "k: 1\n").unwrap();
        match load(dir.path()) {
            Err(Error::Manifest(m)) => {
                assert!(m.message.contains(reason), "{output}: {}", m.message);
                assert!(
                    m.location.contains("pipeline.yaml:5:"),
                    "{output}: {}",
                    m.location
                );
            }
            Err(e) => panic!("{output}: {e}"),
            Ok(_) => panic!("{output}: loaded"),
        }
    }
}

#[test]
fn outputs_that_are_one_file_through_a_symlink_fail_at_load_naming_it() {
    let manifest = |path: &str| {
        format!(
            "nodes:
  whitespace:
    cmd: echo > {{out.o}}
    outputs: {{o: outputs/whitespace_summary.json}}
  labels:
    cmd: mkdir -p {{out.d}}
    outputs: {{d: outputs/labels}}
  export:
    cmd: echo exported > {{out.o}}
    outputs: {{o: '{path}'}}
"
        )
    };
    // (link, where it points, the export's output, the node it collides with, how)
    let cases = [
        (
            "results",
            "outputs",
            "results/whitespace_summary.json",
            "whitespace",
            "as `outputs/whitespace_summary.json`",
        ),
        (
            "self",
            ".",
            "self/outputs/whitespace_summary.json",
            "whitespace",
            "as `outputs/whitespace_summary.json`",
        ),
        (
            "results",
            "outputs",
            "results/labels/x.csv",
            "labels",
            "inside its output `outputs/labels`",
        ),
        (
            "outputs/deep",
            "..",
            "outputs/deep/outputs/labels",
            "labels",
            "as `outputs/labels`",
        ),
    ];
    for (link, target, path, other, how) in cases {
        let dir = workspace(&manifest(path));
        std::fs::create_dir_all(dir.path().join("outputs")).unwrap();
        std::os::unix::fs::symlink(target, dir.path().join(link)).unwrap();
        match load(dir.path()) {
            Err(Error::Manifest(m)) => {
                assert!(
                    matches!(m.kind, ErrorKind::DuplicateOutput { .. }),
                    "{path}: {:?}",
                    m.kind
                );
                let expected = format!(
                    "output `{path}` is declared by both `{other}` ({how}) and `export`, through the symlink `{link}` -> `{target}`"
                );
                assert_eq!(m.message, expected);
                assert!(m.location.contains("pipeline.yaml:10:"), "{}", m.location);
            }
            Err(e) => panic!("{path}: {e}"),
            Ok(_) => panic!("{path}: loaded"),
        }
    }
    // A symlink elsewhere, or an output of its own under one, is fine; so is a dangling one.
    let dir = workspace(&manifest("results/export.txt"));
    std::fs::create_dir_all(dir.path().join("outputs")).unwrap();
    std::os::unix::fs::symlink("outputs", dir.path().join("results")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).unwrap();
    load(dir.path()).unwrap();
}

#[test]
fn an_output_inside_another_is_refused_whatever_sorts_between_them() {
    // `a`, `a-x`, `a/c` in text order: `a-x` sorts between a directory and what is inside it.
    let dir = workspace(
        "nodes:
  d:
    cmd: mkdir -p {out.o}
    outputs: {o: outputs/a}
  x:
    cmd: echo > {out.o}
    outputs: {o: outputs/a-x}
  inner:
    cmd: echo > {out.o}
    outputs: {o: outputs/a/c}
",
    );
    match load(dir.path()) {
        Err(Error::Manifest(m)) => {
            assert!(
                matches!(m.kind, ErrorKind::DuplicateOutput { .. }),
                "{:?}",
                m.kind
            );
            assert!(m.message.contains("declared by both"), "{}", m.message);
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn a_param_written_as_a_variable_reads_as_if_the_value_were_written_in_place() {
    // Before, every `$name` reached the stage as text: `window_months: $win` was the string
    // "6", and a stage reading a number refused it.
    let (_d, s) = session(
        "vars:
  win: 6
  text: '6'
  rate: 0.5
  off: false
  wins: [3, 6]
nodes:
  n:
    stage: make
    foreach: {w: $wins, q: [1, '2', x]}
    params: {a: $win, b: $text, c: $rate, d: $off, e: $wins, f: $w, g: $q, h: [$win, '{win}']}
",
    );
    let params = |id: &str| match &s.graph.instances[s.graph.index[id]].action {
        crate::graph::InstanceAction::Stage {
            effective_params, ..
        } => effective_params.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        params("n@6@1"),
        serde_json::json!({"a": 6, "b": "6", "c": 0.5, "d": false, "e": [3, 6], "f": 6, "g": 1,
            "h": [6, "6"]})
    );
    assert_eq!(params("n@3@2")["g"], "2");
    assert_eq!(params("n@3@x")["g"], "x");
}

#[test]
fn one_partition_listed_as_two_types_is_refused() {
    // `['7', 7]` is one partition `7`: `$x` was whichever came first, the other vanished.
    let e = refused("vars:\n  xs: ['7', 7]\nnodes:\n  n:\n    stage: make\n    foreach: {x: $xs}\n    params: {k: $x}\n",);
    assert!(
        e.to_string().contains(r#"is listed as "7" and as 7"#),
        "{e}"
    );
}

#[test]
fn a_partition_value_listed_twice_is_refused_where_it_is_written() {
    // Until 2026-12-07 `[north, south, north]` was two partitions, silently: the repeat is
    // most likely a typo for another value. A `from_csv` column's values come distinct.
    let e = refused(
        "nodes:\n  n:\n    stage: make\n    foreach:\n      region: [north, south, north]\n",
    );
    let text = e.to_string();
    assert!(text.contains("`north` is listed twice"), "{text}");
    assert!(text.contains("`foreach.region` of node `n`"), "{text}");
    // Through a variable, it is underlined where the variable is defined (line 2).
    let e = refused("vars:\n  regions: [a, b, a]\nnodes:\n  n:\n    stage: make\n    foreach: {region: $regions}\n",);
    assert!(e.to_string().contains("`a` is listed twice"), "{e}");
    assert!(format!("{e:?}").contains("pipeline.yaml:2:"), "{e:?}");
    // Distinct values load, one partition each.
    let (_d, s) = session("nodes:\n  n:\n    stage: make\n    foreach: {x: [7, '8']}\n");
    assert_eq!(s.graph.instances.len(), 2);
}

#[test]
fn a_partition_value_with_a_space_at_either_end_is_refused() {
    // `a` and `a ` were two partitions that `status` printed alike, byte for byte.
    for list in [r#"["a", "a "]"#, r#"[" b"]"#, r#"[""]"#] {
        let e = refused(&format!(
            "nodes:\n  n:\n    stage: make\n    foreach: {{d: {list}}}\n"
        ));
        assert!(
            e.to_string().contains("not empty, no space at either end"),
            "{list}: {e}"
        );
    }
    let (_d, s) = session("nodes:\n  n:\n    stage: make\n    foreach: {d: [\"Success Plan\"]}\n");
    assert_eq!(s.graph.instances[0].id, "n@Success Plan");
}

#[test]
fn a_nested_output_is_named_with_its_backticks_in_place() {
    // ``declared by both `g (inside its output `out`)` and `h` `` until 2026-12-07.
    let e = refused("nodes:\n  g:\n    cmd: mkdir -p {out.0}\n    outputs: [out]\n  h:\n    cmd: touch {out.0}\n    outputs: [out/x]\n",);
    assert_eq!(
        e.to_string(),
        "output `out/x` is declared by both `g` (inside its output `out`) and `h`"
    );
}

/// The manifest error `manifest` is refused with at load.
fn refused(manifest: &str) -> crate::diagnostic::ManifestError {
    let dir = super::workspace(manifest);
    match load(dir.path()) {
        Err(crate::Error::Manifest(e)) => *e,
        other => panic!("{manifest}: {:?}", other.map(|_| ())),
    }
}
