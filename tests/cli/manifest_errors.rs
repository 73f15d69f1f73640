//! Every manifest mistake is exit code 3 with `file:line:column`, a caret and a hint.

use crate::support::Ws;

#[track_caller]
fn fails(manifest: &str, location: &str, message: &str) -> String {
    let ws = Ws::new(manifest);
    ws.write("data/in.csv", "a\n1\n");
    let r = ws.run(&["run"]).code(3);
    assert!(
        r.stderr.contains(location),
        "expected `{location}` in:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(message),
        "expected `{message}` in:\n{}",
        r.stderr
    );
    r.stderr
}

#[test]
fn unknown_key_with_suggestion() {
    let e = fails(
        "nodes:\n  a:\n    stage: probe\n    neds: [b]\n",
        "[pipeline.yaml:4:5]",
        "unknown key `neds` in node `a`",
    );
    assert!(e.contains("did you mean `needs`?"), "{e}");
}

#[test]
fn unknown_top_level_key() {
    fails(
        "version: 1\nnodez: {}\n",
        "[pipeline.yaml:2:1]",
        "unknown key `nodez` in the manifest",
    );
}

#[test]
fn unknown_stage() {
    let e = fails(
        "nodes:\n  a:\n    stage: prob\n",
        "[pipeline.yaml:3:12]",
        "unknown stage `prob` in node `a`",
    );
    assert!(e.contains("did you mean `probe`?"), "{e}");
}

#[test]
fn undefined_variable_in_a_path() {
    fails(
        "nodes:\n  a:\n    cmd: touch {out.0}\n    foreach: {division: [A]}\n    outputs: [\"x/{divison}.txt\"]\n",
        "[pipeline.yaml:5:18]",
        "undefined variable `divison`",
    );
}

#[test]
fn undefined_variable_in_foreach() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    foreach: {cutoff: $cutofs}\n",
        "[pipeline.yaml:4:23]",
        "undefined variable `cutofs`",
    );
}

#[test]
fn only_a_cmd_is_told_how_to_write_a_shell_variable() {
    // `${HOME}` in a cmd reads as the placeholder `{HOME}`: the hint says how to mean the shell's.
    let e = fails(
        "nodes:\n  a:\n    cmd: echo ${HOME} > {out.0}\n    outputs: [x.txt]\n",
        "[pipeline.yaml:3:16]",
        "undefined variable `HOME`",
    );
    assert!(e.contains("a shell variable in a `cmd` is `$HOME`"), "{e}");
    // awk's code in braces is no variable: the hint says to double the braces, not `$n+=$2`.
    let e = fails(
        "nodes:\n  a:\n    cmd: awk '{n+=$2} END {print n}' in.txt > {out.0}\n    outputs: [x.txt]\n",
        "[pipeline.yaml:3:15]",
        "undefined variable `n+=$2`",
    );
    assert!(
        e.contains("double them: `{{n+=$2}}`") && !e.contains("shell variable"),
        "{e}"
    );
    // A built-in stage's params go through no shell: no such hint there.
    for params in ["{message: \"{HOME}\"}", "{message: $HOME}"] {
        let e = fails(
            &format!("nodes:\n  a:\n    stage: probe\n    params: {params}\n"),
            "[pipeline.yaml:4:",
            "undefined variable `HOME`",
        );
        assert!(!e.contains("shell variable"), "{params}: {e}");
    }
}

#[test]
fn missing_input_file() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    inputs: [data/nope.csv]\n",
        "[pipeline.yaml:4:14]",
        "input `data/nope.csv` of `a` does not exist",
    );
}

#[test]
fn an_input_misspelling_a_declared_output_is_offered_it() {
    // A tester's `outputs/whitespce.csv` got "create the file, fix the path, or declare a node
    // that outputs it" beside a node that outputs `outputs/whitespace.csv`.
    let e = fails(
        "nodes:\n  a:\n    cmd: touch {out.0}\n    outputs: [outputs/whitespace.csv]\n  b:\n    cmd: touch {out.0}\n    inputs: [outputs/whitespce.csv]\n    outputs: [b.txt]\n",
        "[pipeline.yaml:7:14]",
        "input `outputs/whitespce.csv` of `b` does not exist",
    );
    let e = crate::support::one_line(&e);
    assert!(
        e.contains("did you mean `outputs/whitespace.csv`, which a node outputs?"),
        "{e}"
    );
    // Nothing near: the plain advice.
    let e = fails(
        "nodes:\n  a:\n    stage: probe\n    inputs: [data/nope.csv]\n",
        "[pipeline.yaml:4:14]",
        "does not exist",
    );
    assert!(!e.contains("did you mean"), "{e}");
}

#[test]
fn duplicate_outputs() {
    fails(
        "nodes:\n  a:\n    cmd: touch {out.0}\n    outputs: [o.txt]\n  b:\n    cmd: touch {out.0}\n    outputs: [o.txt]\n",
        "[pipeline.yaml:7:15]",
        "output `o.txt` is declared by both `a` and `b`",
    );
}

#[test]
fn partitioned_outputs_that_collide() {
    fails(
        "nodes:\n  a:\n    cmd: touch {out.0}\n    foreach: {d: [X, Y]}\n    outputs: [same.txt]\n",
        "[pipeline.yaml:5:15]",
        "output `same.txt` is declared by both `a@X` and `a@Y`",
    );
}

#[test]
fn cycle_is_printed() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    needs: [b]\n  b:\n    stage: probe\n    needs: [c]\n  c:\n    stage: probe\n    needs: [a]\n",
        "pipeline.yaml:4:13",
        "dependency cycle: a -> b -> c -> a",
    );
}

#[test]
fn unknown_need() {
    let e = fails(
        "nodes:\n  a:\n    stage: probe\n    needs: [sourc]\n  source:\n    stage: probe\n",
        "[pipeline.yaml:4:13]",
        "needs unknown node `sourc`",
    );
    assert!(e.contains("did you mean `source`?"), "{e}");
}

#[test]
fn need_binding_that_matches_nothing() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    foreach: {d: [X]}\n  b:\n    stage: probe\n    foreach: {d: [Y]}\n    needs: [\"a@{d}\"]\n",
        "[pipeline.yaml:8:13]",
        "`a@Y` matches no instance of node `a` (from `b@Y`)",
    );
}

#[test]
fn invalid_stage_params_point_at_the_key() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    params: {mesage: hi}\n",
        "[pipeline.yaml:4:14]",
        "unknown field `mesage`",
    );
}

#[test]
fn a_bad_list_item_points_at_its_key() {
    // The default pipeline, with a calibration it does not know on line 3 of models.yaml.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = Ws::new(&std::fs::read_to_string(repo.join("pipeline.yaml")).unwrap());
    for f in std::fs::read_dir(repo.join("stages")).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        ws.write(
            &format!("stages/{name}"),
            &std::fs::read_to_string(&f).unwrap(),
        );
    }
    ws.write(
        "stages/models.yaml",
        "models: [logreg]\nseed: 1\ncalibration: [none, sigmoid]\n",
    );
    let r = ws.run(&["status"]).code(3);
    assert!(r.stderr.contains("[stages/models.yaml:3:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown variant `sigmoid`"),
        "{}",
        r.stderr
    );
}

#[test]
fn errors_in_a_params_file_name_that_file() {
    let ws = Ws::new("nodes:\n  a:\n    stage: probe\n    params: stages/a.yaml\n");
    ws.write("stages/a.yaml", "message: hi\nsleep_ms: {x}\n");
    let r = ws.run(&["status"]).code(3);
    assert!(r.stderr.contains("[stages/a.yaml:2:"), "{}", r.stderr);
}

#[test]
fn yaml_syntax_error() {
    fails("nodes:\n  a: [1\n", "pipeline.yaml:", "invalid YAML");
}

#[test]
fn both_stage_and_cmd() {
    fails(
        "nodes:\n  a:\n    stage: probe\n    cmd: echo\n",
        "[pipeline.yaml:2:3]",
        "node `a` has both `stage` and `cmd`",
    );
}

#[test]
fn csv_column_missing() {
    let ws = Ws::new("vars:\n  d: {from_csv: stages/m.csv, column: division}\nnodes:\n  a:\n    stage: probe\n    foreach: {x: $d}\n");
    ws.write("stages/m.csv", "sku,div\nA,B\n");
    let r = ws.run(&["status"]).code(3);
    assert!(
        r.stderr
            .contains("no column `division` (columns: sku, div)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[pipeline.yaml:2:17]"), "{}", r.stderr);
}

#[test]
fn every_bad_partition_value_of_a_csv_variable_in_one_message_at_its_definition() {
    let ws = Ws::new("vars:\n  d: {from_csv: stages/m.csv, column: division}\nnodes:\n  a:\n    stage: probe\n    foreach: {x: $d}\n");
    ws.write(
        "stages/m.csv",
        "sku,division\nA,CAD/CAM\nB,Fine\nC,3D * Print\nD,PLM@Ent\n",
    );
    let r = ws.run(&["status"]).code(3);
    assert!(
        r.stderr
            .contains("`CAD/CAM`, `3D * Print`, `PLM@Ent` for `foreach.x`"),
        "{}",
        r.stderr
    );
    // Where `$d` is defined, the line that names the file the values come from.
    assert!(r.stderr.contains("[pipeline.yaml:2:"), "{}", r.stderr);
    // And the CSV line of each value, where it is mended (the message wraps; join it).
    let text = r.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace(" │ ", " ");
    assert!(
        text.contains("(`CAD/CAM` first on stages/m.csv line 2; `3D * Print` first on stages/m.csv line 4; `PLM@Ent` first on stages/m.csv line 5)"),
        "{text}"
    );
}

#[test]
fn a_cutoff_that_is_no_date_is_a_manifest_error_on_its_line() {
    let ws = Ws::new("vars:\n  score_cutoff: \"2024-13-45\"\nnodes:\n  a:\n    stage: probe\n    foreach: {cutoff: $score_cutoff}\n");
    let r = ws.run(&["status"]).code(3);
    assert!(
        r.stderr
            .contains("invalid value `2024-13-45` for `foreach.cutoff` of node `a`")
            && r.stderr.contains("a cutoff is a date, YYYY-MM-DD,"),
        "{}",
        r.stderr
    );
    // Where the value is written (the variable, line 2), as the engine's own checks of a
    // value say; until 2026-12-07 the stage's check underlined the `foreach` key (line 6).
    assert!(r.stderr.contains("[pipeline.yaml:2:"), "{}", r.stderr);
}

#[test]
fn a_cutoff_not_written_in_full_is_refused_not_a_second_partition_of_its_day() {
    // `2024-3-31` beside `2024-03-31` trained on that cutoff's rows twice (a tester's).
    let ws = Ws::new("vars:\n  cutoffs: [\"2024-03-31\", \"2024-3-31\"]\nnodes:\n  a:\n    stage: probe\n    foreach: {cutoff: $cutoffs}\n");
    let r = ws.run(&["status"]).code(3);
    assert!(
        r.stderr
            .contains("invalid value `2024-3-31` for `foreach.cutoff` of node `a`")
            && r.stderr.contains("(`2024-03-31`)"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_input_name_the_stage_does_not_read() {
    // A stage finds its files by name: `denylist` renamed `old_denylist` was left unread,
    // the labels fresh, a forced run without a denylist.
    let e = fails(
        "nodes:\n  a:\n    stage: labels\n    inputs: {sku_map: data/in.csv, old_denylist: data/in.csv}\n",
        "[pipeline.yaml:4:",
        "invalid value `old_denylist` for `inputs` of node `a`",
    );
    let e = e.replace("\n  │ ", " ");
    assert!(e.contains("reads no input named `old_denylist`"), "{e}");
    assert!(e.contains("did you mean `denylist`?"), "{e}");
}

#[test]
fn an_output_name_the_stage_does_not_write() {
    // A renamed `csv` failed mid-run, naming `dir`.
    let e = fails(
        "nodes:\n  a:\n    stage: whitespace\n    outputs: {table: out/w.csv, summary: out/s.json}\n",
        "[pipeline.yaml:4:",
        "invalid value `table` for `outputs` of node `a`",
    );
    let e = e.replace("\n  │ ", " ");
    assert!(e.contains("writes no output named `table`"), "{e}");
    assert!(e.contains("`csv`, `summary`, `dir`"), "{e}");
}

#[test]
fn an_empty_params_file_is_refused_and_an_explicit_empty_mapping_is_not() {
    // A truncated stages/models.yaml ran on built-in defaults with exit 0.
    let manifest = "nodes:\n  a:\n    stage: probe\n    params: stages/a.yaml\n";
    let ws = Ws::new(manifest);
    ws.write("stages/a.yaml", "# every key went\n\n");
    let r = ws.run(&["run"]).code(3);
    assert!(
        r.stderr.contains("pipeline.yaml:4")
            && r.stderr.contains("stages/a.yaml")
            && r.stderr.contains("holds no key"),
        "{}",
        r.stderr
    );
    ws.write("stages/a.yaml", "{}  # every default\n");
    ws.run(&["run"]).ok();
}

#[test]
fn a_mistake_in_a_params_file_is_pointed_at_in_that_file() {
    // Before, a key only an `extends` file holds was pointed at the inline `extends` in
    // pipeline.yaml, and an unknown placeholder in any params file at the manifest's own text,
    // at the params file's offset (a line of pipeline.yaml that had nothing to do with it).
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "params: {extends: stages/a.yaml, sleep_ms: 1}",
            "# shared\nmesage: hi\n",
            "[stages/a.yaml:2:1]",
            "unknown field `mesage`",
        ),
        (
            "params: {extends: stages/a.yaml, sleep_ms: 1}",
            "# shared\nmessage: \"{nope}\"\n",
            "[stages/a.yaml:2:11]",
            "undefined variable `nope`",
        ),
        (
            "params: stages/a.yaml",
            "# own\nmessage: \"{nope}\"\n",
            "[stages/a.yaml:2:11]",
            "undefined variable `nope`",
        ),
        // Escapes make the text as written longer than the value: the column is the text's.
        (
            "params: stages/a.yaml",
            "# own\nmessage: 'it''s {nope}'\n",
            "[stages/a.yaml:2:17]",
            "undefined variable `nope`",
        ),
        (
            "params: {extends: stages/a.yaml, sleep_ms: $nope}",
            "message: hi\n",
            "[pipeline.yaml:5:48]",
            "undefined variable `nope`",
        ),
    ];
    for (params, file, location, message) in cases {
        let ws = Ws::new(&format!(
            "# a comment line, so that an offset into stages/a.yaml lands on text here\nnodes:\n  a:\n    stage: probe\n    {params}\n"
        ));
        ws.write("stages/a.yaml", file);
        let r = ws.run(&["status"]).code(3);
        assert!(
            r.stderr.contains(location) && r.stderr.contains(message),
            "{params} / {file:?}: expected `{location}` and `{message}` in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn a_manifest_error_in_json_says_where_and_the_help() {
    // Until 2026-12-07 `--json` gave the message alone: no file:line:column, no did-you-mean.
    let ws = Ws::new("nodes:\n  a:\n    stage: probe\n    neds: [b]\n");
    for cmd in ["status", "run", "clean", "explain"] {
        let mut args = vec![cmd, "--json"];
        if cmd == "explain" {
            args.insert(1, "a");
        }
        let r = ws.run(&args).code(3);
        let j = r.json();
        assert_eq!(j["ok"], false, "{cmd}");
        assert_eq!(j["location"], "pipeline.yaml:4:5", "{cmd}: {j}");
        assert!(
            j["help"]
                .as_str()
                .unwrap_or_default()
                .contains("did you mean `needs`?"),
            "{cmd}: {j}"
        );
    }
}
