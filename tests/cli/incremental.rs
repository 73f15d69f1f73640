//! What reruns after which change: the engine's core promise.

use crate::support::{assert_mentions, with_status, Ws};

pub const PIPELINE: &str = r#"
version: 1
vars:
  divisions: {from_csv: stages/sku_map.csv, column: division}
  cutoffs: ["2023-06-30", "2024-06-30"]
nodes:
  source:
    cmd: cp {in.raw} {out.copy}
    inputs: {raw: data/raw.txt}
    outputs: {copy: outputs/source/raw.txt}
  features:
    stage: probe
    needs: [source]
    foreach: {division: $divisions, cutoff: $cutoffs}
    inputs: ["data/{division}.txt"]
    params: {message: "features {division}"}
  train:
    stage: probe
    needs: ["features@{division}"]
    foreach: {division: $divisions}
    params: stages/train.yaml
  report:
    cmd: cat outputs/train/*/probe.txt > {out.0}
    needs: [train]
    outputs: [outputs/report.txt]
"#;

pub fn workspace() -> Ws {
    let ws = Ws::new(PIPELINE);
    ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS2,B\nS3,A\n");
    ws.write("stages/train.yaml", "message: first\n");
    ws.write("data/raw.txt", "raw sales\n");
    ws.write("data/A.txt", "division A\n");
    ws.write("data/B.txt", "division B\n");
    ws
}

#[test]
fn first_run_builds_everything_and_second_is_a_noop() {
    let ws = workspace();
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 8, "{r:#}");
    assert_eq!(r["status"], "ok");
    let lock = ws.read("pipeline.lock");
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 0);
    assert_eq!(r["fresh"], 8);
    // A no-op run leaves the lock byte-identical.
    assert_eq!(lock, ws.read("pipeline.lock"));
    let human = ws.run(&["run"]).ok();
    assert!(
        human.stderr.contains("nothing to do: 8 instances fresh"),
        "{}",
        human.stderr
    );
}

#[test]
fn writing_a_default_out_reruns_nothing_but_changing_it_does() {
    // The fingerprint holds the params as the stage reads them: a default written out (or
    // deleted again) is no change, as DVC and Bazel treat a value, not its spelling.
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    ws.write(
        "stages/train.yaml",
        "message: first\nsleep_ms: 0\nfail: false\n",
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 0, "{r:#}");
    assert_eq!(r["fresh"], 8);
    ws.write("stages/train.yaml", "message: first\nsleep_ms: 1\n");
    let status = ws.run(&["status"]).ok();
    assert!(
        status.stdout.contains("param `sleep_ms` changed (0 => 1)"),
        "{}",
        status.stdout
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(with_status(&r, "built"), ["train@A", "train@B"]);
}

#[test]
fn a_param_edit_reruns_exactly_that_node_and_its_downstream() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    ws.write("stages/train.yaml", "message: second\n");
    let status = ws.run(&["status"]).ok();
    assert!(
        status
            .stdout
            .contains("param `message` changed (\"first\" => \"second\")"),
        "{}",
        status.stdout
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(with_status(&r, "built"), ["report", "train@A", "train@B"]);
    assert_eq!(r["fresh"], 5);
}

#[test]
fn one_partitions_input_edit_reruns_only_that_partition() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    ws.write("data/A.txt", "division A, revised\n");
    let (r, _) = ws.run_json(&[]);
    assert_eq!(
        with_status(&r, "built"),
        [
            "features@A@2023-06-30",
            "features@A@2024-06-30",
            "report",
            "train@A"
        ]
    );
    assert_eq!(
        with_status(&r, "fresh"),
        [
            "features@B@2023-06-30",
            "features@B@2024-06-30",
            "source",
            "train@B"
        ]
    );
}

#[test]
fn touching_a_file_without_changing_it_reruns_nothing() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    std::thread::sleep(std::time::Duration::from_millis(20));
    ws.write("data/A.txt", "division A\n");
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 0, "{r:#}");
}

#[test]
fn a_byte_identical_rebuilt_output_leaves_downstream_fresh() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    // Another command producing the same bytes: `source` reruns, its output is identical.
    let edited = PIPELINE.replace("cp {in.raw} {out.copy}", "cat {in.raw} > {out.copy}");
    ws.write("pipeline.yaml", &edited);
    let dry = ws.run(&["run", "--dry-run"]).ok();
    assert!(
        dry.stdout.contains("would run source: command changed"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("may run  features@A@2023-06-30: upstream `source` will rerun"),
        "{}",
        dry.stdout
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(with_status(&r, "built"), ["source"]);
    // Everything downstream waited for `source`, then found its inputs identical: not run.
    assert_eq!(with_status(&r, "unchanged").len(), 7, "{r:#}");
    ws.run(&["status", "--check"]).ok();
}

#[test]
fn a_division_added_to_the_csv_computes_only_its_partitions() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    ws.write(
        "stages/sku_map.csv",
        "sku,division\nS1,A\nS2,B\nS3,A\nS4,C\n",
    );
    ws.write("data/C.txt", "division C\n");
    let (r, _) = ws.run_json(&[]);
    assert_eq!(
        with_status(&r, "built"),
        [
            "features@C@2023-06-30",
            "features@C@2024-06-30",
            "report",
            "train@C"
        ]
    );
    assert_eq!(r["fresh"], 7);
}

#[test]
fn a_deleted_or_edited_output_is_rebuilt() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    std::fs::remove_file(ws.path("outputs/train/A/probe.txt")).unwrap();
    ws.write("outputs/report.txt", "hand edit\n");
    let status = ws.run(&["status"]).ok();
    assert!(
        status
            .stdout
            .contains("output `outputs/train/A/probe.txt` is missing"),
        "{}",
        status.stdout
    );
    assert!(
        status
            .stdout
            .contains("output `outputs/report.txt` was modified outside gosales"),
        "{}",
        status.stdout
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(with_status(&r, "built"), ["report", "train@A"]);
}

#[test]
fn force_reruns_a_fresh_instance_and_early_cutoff_spares_downstream() {
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    let (r, _) = ws.run_json(&["--force", "features@A@2023-06-30"]);
    assert_eq!(with_status(&r, "built"), ["features@A@2023-06-30"]);
    assert_eq!(with_status(&r, "unchanged"), ["report", "train@A"]);
    assert_eq!(r["fresh"], 5);
}

#[test]
fn outputs_are_byte_identical_across_clean_rebuilds() {
    let a = workspace();
    let b = workspace();
    a.run_json(&[]).1.ok();
    b.run_json(&["-j", "1"]).1.ok();
    assert_eq!(a.read("pipeline.lock"), b.read("pipeline.lock"));
    assert_eq!(a.read("outputs/report.txt"), b.read("outputs/report.txt"));
}

#[test]
fn a_failed_run_forgets_nothing_of_instances_an_edit_dropped_for_a_moment() {
    // A mistyped SKU map drops division B from the graph for one run, which fails; once the map
    // is fixed, B's instances are still fresh (the lock kept them), not rebuilt.
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS2,A\nS3,A\n");
    ws.write("stages/train.yaml", "message: second\nfail: true\n");
    ws.run_json(&[]).1.code(1);
    assert!(ws.read("pipeline.lock").contains("train@B"));
    ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS2,B\nS3,A\n");
    ws.write("stages/train.yaml", "message: first\n");
    let (r, _) = ws.run_json(&[]);
    assert!(with_status(&r, "built").is_empty(), "{r:#}");
    // A run that succeeds without a division forgets it.
    ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS2,A\nS3,A\n");
    ws.run_json(&[]).1.ok();
    assert!(!ws.read("pipeline.lock").contains("train@B"));
}

#[test]
fn a_forced_rebuild_that_does_not_reproduce_its_recorded_bytes_is_warned_and_logged() {
    // A node whose output is not a function of its inputs: the same fingerprint, other bytes.
    let ws = Ws::new(
        "version: 1\nnodes:\n  noisy:\n    cmd: od -An -N8 -tx8 /dev/urandom > {out.0}\n    outputs: [outputs/noisy.txt]\n  steady:\n    cmd: echo same > {out.0}\n    outputs: [outputs/steady.txt]\n",
    );
    ws.run_json(&[]).1.ok();
    let (r, _) = ws.run_json(&["--force", "noisy", "--force", "steady"]);
    let warned = |id: &str| {
        r["instances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["instance"] == id)
            .unwrap()["warnings"]
            .to_string()
    };
    assert!(
        warned("noisy").contains("not reproduced: built again under the fingerprint of its last recorded run, 1 of its output files differ (`outputs/noisy.txt`"),
        "{r:#}"
    );
    assert!(!warned("steady").contains("not reproduced"), "{r:#}");
    // Kept in the run log, as evidence beside the outputs it qualifies.
    let log = ws.read("cache/runlog.jsonl");
    let last_noisy = log
        .lines()
        .rfind(|l| l.contains("\"instance\":\"noisy\""))
        .unwrap();
    assert!(last_noisy.contains("not reproduced"), "{last_noisy}");
}

#[test]
fn a_run_log_record_alone_recomputes_its_fingerprint() {
    // Once the lock has moved on, the log is what proves an earlier number: each instance
    // record holds everything its fingerprint was computed from.
    let ws = workspace();
    ws.run_json(&[]).1.ok();
    let log = ws.read("cache/runlog.jsonl");
    let mut checked = 0;
    for line in log.lines() {
        let rec: serde_json::Value = serde_json::from_str(line).unwrap();
        let entry = gosales::engine::entry::Entry::parse(&rec["entry"].to_string());
        if let gosales::engine::entry::Entry::Instance(e) = entry {
            let from = e.fingerprint_inputs().expect("recorded in full");
            assert_eq!(from.fingerprint(), e.fingerprint, "{}", e.instance);
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "{log}");
}

#[test]
fn an_input_directory_holding_another_nodes_output_is_read_after_it() {
    // `reader` is listed first and its directory does not exist yet: it used to run first (or
    // beside `gen`), fail or read the last run's bytes, and take a second run to catch up.
    let m = "nodes:\n  reader:\n    cmd: cat {in.d}/* > {out.o}\n    inputs: {d: outputs/sub}\n    outputs: {o: outputs/reader.txt}\n  gen:\n    cmd: echo {params.v} > {out.o}\n    params: {v: v1}\n    outputs: {o: outputs/sub/x.txt}\n";
    let ws = Ws::new(m);
    assert!(ws.run(&["dag"]).ok().stdout.contains("reader <- gen"));
    ws.run(&["run", "-j", "2"]).ok();
    assert_eq!(ws.read("outputs/reader.txt"), "v1\n");
    ws.write("pipeline.yaml", &m.replace("v: v1", "v: v2"));
    let (report, _) = ws.run_json(&["-j", "2"]);
    assert_eq!(with_status(&report, "built"), ["gen", "reader"]);
    assert_eq!(ws.read("outputs/reader.txt"), "v2\n");
    // A file of the user's beside the output is an input like any other.
    ws.write("outputs/sub/notes.txt", "mine\n");
    let (report, _) = ws.run_json(&[]);
    assert_eq!(with_status(&report, "built"), ["reader"]);

    // An input that holds, or is, the instance's own output never settles: refused.
    for input in ["outputs", "outputs/reader.txt"] {
        let ws = Ws::new(&format!(
            "nodes:\n  reader:\n    cmd: ls {{in.d}} > {{out.o}}\n    inputs: {{d: {input}}}\n    outputs: {{o: outputs/reader.txt}}\n"
        ));
        let r = ws.run(&["status"]).code(3);
        assert_mentions(
            &r.stderr,
            &[&format!("`{input}`"), "this instance's own output"],
        );
    }
}

#[test]
fn an_input_reaching_outputs_through_a_symlink_is_read_after_them() {
    // `results -> outputs`: the lexical paths never meet, so `reader` got no edge.
    let ws = Ws::new("nodes:\n  reader:\n    cmd: cat {in.x} {in.d}/sub/* > {out.o}\n    inputs: {x: results/a.txt, d: results}\n    outputs: {o: out/reader.txt}\n  a:\n    cmd: echo a{params.v} > {out.o}\n    params: {v: 1}\n    outputs: {o: outputs/a.txt}\n  b:\n    cmd: echo b{params.v} > {out.o}\n    params: {v: 1}\n    outputs: {o: outputs/sub/b.txt}\n");
    std::fs::create_dir_all(ws.path("outputs")).unwrap();
    std::os::unix::fs::symlink("outputs", ws.path("results")).unwrap();
    assert!(ws.run(&["dag"]).ok().stdout.contains("reader <- a, b"));
    ws.run(&["run", "-j", "2"]).ok();
    assert_eq!(ws.read("out/reader.txt"), "a1\nb1\n");
    let m = ws.read("pipeline.yaml").replace("v: 1", "v: 2");
    ws.write("pipeline.yaml", &m);
    let (report, _) = ws.run_json(&["-j", "2"]);
    assert_eq!(with_status(&report, "built"), ["a", "b", "reader"]);
    assert_eq!(ws.read("out/reader.txt"), "a2\nb2\n");
}

#[test]
fn two_nodes_that_swap_their_output_paths_are_not_told_a_present_file_is_missing() {
    let m = "nodes:\n  a:\n    cmd: echo a > {out.0}\n    outputs: [out/a.txt]\n  b:\n    cmd: echo b > {out.0}\n    outputs: [out/b.txt]\n";
    let ws = Ws::new(m);
    ws.run(&["run"]).ok();
    ws.write(
        "pipeline.yaml",
        &m.replace("out/a.txt", "out/T")
            .replace("out/b.txt", "out/a.txt")
            .replace("out/T", "out/b.txt"),
    );
    let r = ws.run(&["status"]).ok();
    assert!(
        r.stdout
            .contains("output `out/b.txt` is newly declared: its last run did not write it"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("is missing"), "{}", r.stdout);
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("out/a.txt"), "b\n");
    assert_eq!(ws.read("out/b.txt"), "a\n");
}
