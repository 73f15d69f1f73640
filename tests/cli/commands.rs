//! Target selection, dag, explain, exec, status and their machine-readable forms.

use crate::incremental::workspace;
use crate::support::{with_status, Ws};

fn would_run(ws: &crate::support::Ws, args: &[&str]) -> Vec<String> {
    let mut a = vec!["run", "--dry-run", "--json"];
    a.extend_from_slice(args);
    let j = ws.run(&a).ok().json();
    let mut v: Vec<String> = j["would_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["instance"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_target_selects_its_upstream_closure_only() {
    let ws = workspace();
    assert_eq!(
        would_run(&ws, &["--target", "train@A"]),
        [
            "features@A@2023-06-30",
            "features@A@2024-06-30",
            "source",
            "train@A"
        ]
    );
    let (r, _) = ws.run_json(&["--target", "train@A"]);
    assert_eq!(r["built"], 4);
    assert!(!ws.path("outputs/train/B").exists());
}

#[test]
fn partition_patterns_and_downstream() {
    let ws = workspace();
    assert_eq!(
        would_run(&ws, &["--target", "features@*@2024-06-30"]),
        ["features@A@2024-06-30", "features@B@2024-06-30", "source"]
    );
    assert_eq!(
        would_run(&ws, &["--target", "features@B"]),
        ["features@B@2023-06-30", "features@B@2024-06-30", "source"]
    );
    ws.run(&["run"]).ok();
    // Downstream of one partition: its train and the report, not the other division.
    assert_eq!(
        would_run(
            &ws,
            &[
                "--target",
                "features@A@2023-06-30",
                "--downstream",
                "--force",
                "features@A@2023-06-30"
            ]
        ),
        ["features@A@2023-06-30", "report", "train@A"]
    );
    assert_eq!(
        would_run(&ws, &["--force", "source", "--force", "train@B"]).len(),
        8
    );
}

#[test]
fn unknown_targets_are_usage_errors_with_suggestions() {
    let ws = workspace();
    let r = ws.run(&["run", "--target", "trian"]).code(2);
    assert!(
        r.stderr.contains("unknown target `trian`: no node `trian`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `train`?"), "{}", r.stderr);
    let r = ws.run(&["run", "--target", "train@Z"]).code(2);
    assert!(
        r.stderr.contains("no instance of `train` matches"),
        "{}",
        r.stderr
    );
    ws.run(&["explain", "nope"]).code(2);
}

#[test]
fn dag_in_three_formats() {
    let ws = workspace();
    let t = ws.run(&["dag"]).ok().stdout;
    assert!(
        t.contains("train@A <- features@A@2023-06-30, features@A@2024-06-30"),
        "{t}"
    );
    let d = ws.run(&["dag", "--format", "dot"]).ok().stdout;
    assert!(
        d.starts_with("digraph gosales {")
            && d.contains("\"source\" -> \"features@B@2024-06-30\";"),
        "{d}"
    );
    let m = ws
        .run(&["dag", "--format", "mermaid", "--by-node"])
        .ok()
        .stdout;
    assert!(
        m.contains("flowchart LR") && m.contains("[\"features (4)\"]") && m.contains("n1 --> n2"),
        "{m}"
    );
}

#[test]
fn explain_names_the_changed_key_and_the_fingerprint_parts() {
    let ws = workspace();
    // Before any run: an instance with no upstream shows what its first build's fingerprint
    // would be made of (it showed `fingerprint: null`); one whose upstream is unbuilt cannot.
    let out = ws.run(&["explain", "source"]).ok().stdout;
    assert!(
        out.contains("never built: its first build's fingerprint would be ")
            && out.contains("cmd       cp ")
            && out.contains("input     data/raw.txt  "),
        "{out}"
    );
    let j = ws.run(&["explain", "source", "--json"]).ok().json();
    assert!(
        j["fingerprint"].is_string() && j["recorded_fingerprint"].is_null(),
        "{j:#}"
    );
    let out = ws.run(&["explain", "train@A"]).ok().stdout;
    assert!(
        out.contains("never built: it has no recorded fingerprint yet"),
        "{out}"
    );
    ws.run(&["run", "--target", "source"]).ok();
    let recorded = ws.run(&["explain", "source", "--json"]).ok().json();
    assert_eq!(recorded["recorded_fingerprint"], j["fingerprint"]);
    // Its upstream built and fresh: predicted; the upstream made stale: not (it reruns first).
    let f = "features@A@2023-06-30";
    let out = ws.run(&["explain", f]).ok().stdout;
    assert!(
        out.contains("its first build's fingerprint would be"),
        "{out}"
    );
    ws.write("data/raw.txt", "raw sales, edited\n");
    let out = ws.run(&["explain", f]).ok().stdout;
    assert!(
        out.contains("never built: it has no recorded fingerprint yet"),
        "{out}"
    );
    ws.write("data/raw.txt", "raw sales\n");
    ws.run(&["run"]).ok();
    let out = ws.run(&["explain", "train@A"]).ok().stdout;
    assert!(out.starts_with("train@A: fresh"), "{out}");
    assert!(out.contains("param     message = \"first\""), "{out}");
    ws.write("stages/train.yaml", "message: changed\n");
    let out = ws.run(&["explain", "train@A"]).ok().stdout;
    assert!(
        out.contains("train@A: stale\n  - param `message` changed (\"first\" => \"changed\")"),
        "{out}"
    );
    let j = ws.run(&["explain", "train@A", "--json"]).ok().json();
    assert_eq!(j["reasons"][0]["reason"], "param-changed");
    assert_eq!(j["reasons"][0]["key"], "message");
    ws.write("data/B.txt", "new\n");
    let out = ws.run(&["explain", "features@B@2024-06-30"]).ok().stdout;
    assert!(out.contains("input `data/B.txt` changed"), "{out}");
    let out = ws.run(&["explain", "train@B"]).ok().stdout;
    assert!(
        out.contains("upstream `features@B@2023-06-30` will rerun"),
        "{out}"
    );
}

#[test]
fn exec_runs_exactly_one_instance() {
    let ws = workspace();
    let r = ws.run(&["exec", "train@A"]).code(2);
    assert!(
        r.stderr
            .contains("needs `features@A@2023-06-30`, which has never been built"),
        "{}",
        r.stderr
    );
    ws.run(&["run", "--target", "features@A"]).ok();
    let r = ws.run(&["exec", "train@A", "--json"]).ok().json();
    assert_eq!(with_status(&r, "built"), ["train@A"]);
    // exec always runs, even when fresh, and is recorded like any run.
    let r = ws.run(&["exec", "train@A", "--json"]).ok().json();
    assert_eq!(with_status(&r, "built"), ["train@A"]);
    ws.run(&["audit"]).ok();
    ws.run(&["exec", "features"]).code(2);
}

#[test]
fn exec_refuses_an_upstream_missing_an_output_and_says_one_edited() {
    // A tester deleted one division's model and `exec score` exited 0, scoring the other
    // divisions only, with no word: what an upstream published must all be there.
    let ws = workspace();
    ws.run(&["run"]).ok();
    let report = ws.read("outputs/report.txt");
    std::fs::remove_file(ws.path("outputs/train/A/probe.txt")).unwrap();
    let r = ws.run(&["exec", "report"]).code(2);
    assert!(
        r.stderr.contains(
            "`report` needs `train@A`, whose output `outputs/train/A/probe.txt` is missing"
        ) && r.stderr.contains("gosales run --target train@A"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("outputs/report.txt"), report);
    ws.run(&["run", "--target", "train@A"]).ok();
    // An output edited by hand is read as it is, and said (it was read without a word).
    ws.write("outputs/train/B/probe.txt", "edited\n");
    let r = ws.run(&["exec", "report"]).ok();
    assert!(
        r.stderr.contains(
            "`outputs/train/B/probe.txt`, an output of `train@B`, changed on disk after `train@B` wrote it"
        ),
        "{}",
        r.stderr
    );
    assert!(ws.read("outputs/report.txt").contains("edited"));
    // Never also told it reads "the outputs it built before" (the record kept both, a
    // contradiction an auditor found).
    assert!(
        !r.stderr.contains("built before")
            && r.stderr.contains("reads its outputs as they are on disk"),
        "{}",
        r.stderr
    );
    ws.run(&["status", "--check"]).code(1);
    // An upstream a run would rebuild (its params edited) is read as it was built, and said.
    ws.run(&["run"]).ok();
    ws.write("stages/train.yaml", "message: changed\n");
    let r = ws.run(&["exec", "report"]).ok();
    assert!(
        r.stderr.contains(
            "upstream `train@A` is stale (param `message` changed (\"first\" => \"changed\"))"
        ) && r
            .stderr
            .contains("`gosales run --target train@A` rebuilds it first"),
        "{}",
        r.stderr
    );
}

#[test]
fn status_json_and_check() {
    let ws = workspace();
    let j = ws.run(&["status", "--json"]).ok().json();
    assert_eq!(j["stale"], 8);
    assert_eq!(j["instances"][0]["reasons"][0]["reason"], "never-built");
    ws.run(&["status", "--check"]).code(1);
    ws.run(&["run"]).ok();
    ws.run(&["status", "--check"]).ok();
}

#[test]
fn every_json_result_says_how_the_command_ended_in_ok_and_exit_code() {
    let ws = workspace();
    // A stale workspace: `status --check` exits 1, and its JSON says so in the same two keys.
    let c = ws.run(&["status", "--check", "--json"]).code(1).json();
    assert_eq!(
        (c["ok"].clone(), c["exit_code"].clone()),
        (false.into(), 1.into())
    );
    assert_eq!(c["stale"], 8);
    // A dry run counts under the names `run --json` uses, and lists beside them.
    let d = ws.run(&["run", "--dry-run", "--json"]).ok().json();
    assert_eq!(
        (d["ok"].clone(), d["dry_run"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(
        (d["stale"].clone(), d["fresh"].clone()),
        (8.into(), 0.into())
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(
        (r["ok"].clone(), r["exit_code"].clone()),
        (true.into(), 0.into())
    );
    let d = ws.run(&["run", "--dry-run", "--json"]).ok().json();
    assert_eq!(d["fresh"], r["built"]);
    assert_eq!(d["fresh_instances"].as_array().unwrap().len(), 8);
    for args in [
        &["status", "--json"][..],
        &["explain", "train@A", "--json"],
        &["audit", "--json"],
        &["clean", "--json"],
    ] {
        let j = ws.run(args).ok().json();
        assert_eq!(j["ok"], true, "{args:?}: {j:#}");
        assert_eq!(j["exit_code"], 0, "{args:?}: {j:#}");
    }
    let e = ws.run(&["explain", "nosuch", "--json"]).code(2).json();
    assert_eq!(
        (e["ok"].clone(), e["exit_code"].clone()),
        (false.into(), 2.into())
    );
    assert!(e["error"].as_str().unwrap().contains("nosuch"), "{e:#}");
    // A command line clap refuses: JSON too (stdout was empty).
    for args in [&["run", "--json", "--bogus"][..], &["explain", "--json"]] {
        let e = ws.run(args).code(2).json();
        assert_eq!(e["ok"], false, "{args:?}: {e:#}");
        assert!(!e["error"].as_str().unwrap_or_default().is_empty(), "{e:#}");
    }
    let e = ws.run(&["run", "--json", "--bogus"]).code(2).json();
    assert!(e["error"].as_str().unwrap().contains("'--bogus'"), "{e:#}");
}

#[test]
fn a_forced_instance_outside_the_selection_is_refused_not_ignored() {
    let ws = crate::support::Ws::new(
        "nodes:\n  a:\n    cmd: echo a > {out.o}\n    outputs: {o: outputs/a.txt}\n  b:\n    cmd: echo b > {out.o}\n    outputs: {o: outputs/b.txt}\n",
    );
    ws.run(&["run"]).ok();
    let r = ws.run(&["run", "--force", "a", "--target", "b"]).code(2);
    assert!(
        r.stderr
            .contains("`--force a` names no instance this run selects"),
        "{}",
        r.stderr
    );
    let (report, _) = ws.run_json(&["--force", "a", "--target", "a"]);
    assert_eq!(crate::support::with_status(&report, "built"), ["a"]);
    // `-j 0` ran one at a time without a word.
    let r = ws.run(&["run", "-j", "0"]).code(2);
    assert!(r.stderr.contains("0 runs nothing"), "{}", r.stderr);
}

#[test]
fn help_teaches_targets_and_exit_codes() {
    let ws = workspace();
    let h = ws.run(&["--help"]).ok().stdout;
    assert!(
        h.contains("features@*@2024-06-30") && h.contains("Exit codes:"),
        "{h}"
    );
    let h = ws.run(&["run", "--help"]).ok().stdout;
    assert!(h.contains("--keep-going") && h.contains("--dry-run"), "{h}");
}

#[test]
fn works_from_a_subdirectory_and_with_dash_c() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path("data/sub")).unwrap();
    let mut c = ws.cmd(&["status", "--json"]);
    c.current_dir(ws.path("data/sub"));
    assert!(c.output().unwrap().status.success());
    let other = tempfile::tempdir().unwrap();
    let mut c = std::process::Command::new(crate::support::BIN);
    c.args(["-C", ws.root().to_str().unwrap(), "run", "--json"])
        .current_dir(other.path());
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(ws.path("outputs/report.txt").exists());
}

#[test]
fn params_extend_a_file_and_replace_only_the_keys_given_inline() {
    let ws = crate::support::Ws::new(
        "nodes:\n  a:\n    stage: probe\n    params: stages/a.yaml\n  b:\n    stage: probe\n    params: {extends: stages/a.yaml, sleep_ms: 1}\n",
    );
    ws.write("stages/a.yaml", "message: shared\nsleep_ms: 0\n");
    ws.run(&["run"]).ok();
    let out = ws.run(&["explain", "b"]).ok().stdout;
    assert!(out.contains("param     message = \"shared\""), "{out}");
    assert!(out.contains("param     sleep_ms = 1"), "{out}");
    assert!(!out.contains("extends"), "{out}");
    // An edit to the shared file reaches the node that extends it.
    ws.write("stages/a.yaml", "message: edited\nsleep_ms: 0\n");
    let out = ws.run(&["explain", "b"]).ok().stdout;
    assert!(
        out.contains("param `message` changed (\"shared\" => \"edited\")"),
        "{out}"
    );
    // `extends` must name a file.
    ws.write(
        "pipeline.yaml",
        "nodes:\n  b:\n    stage: probe\n    params: {extends: [stages/a.yaml]}\n",
    );
    let r = ws.run(&["status"]).code(3);
    assert!(r.stderr.contains("params.extends"), "{}", r.stderr);
}

#[test]
fn a_relative_dash_c_runs_built_in_stages() {
    // Workers run in the workspace: a relative root must not make staging paths point nowhere.
    let ws = crate::support::Ws::new("# outer\n");
    ws.write(
        "inner/pipeline.yaml",
        "nodes:\n  a:\n    stage: probe\n    params: {message: hi}\n",
    );
    ws.run(&["-C", "inner", "run"]).ok();
    assert!(ws.path("inner/outputs/a/probe.txt").is_file());
}

#[test]
fn the_shipped_pipeline_and_every_stages_file_load() {
    // What `git clone` gives a user: the manifest, its params files and the SKU map.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = crate::support::Ws::new(&std::fs::read_to_string(root.join("pipeline.yaml")).unwrap());
    for e in std::fs::read_dir(root.join("stages")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        ws.write(
            &format!("stages/{name}"),
            &std::fs::read_to_string(e.path()).unwrap(),
        );
    }
    let r = ws.run(&["dag", "--by-node"]).ok();
    for node in [
        "sales_log",
        "truth",
        "star",
        "holdout_star",
        "labels (60)",
        "features (60)",
        "train (12)",
        "features_score (12)",
        "validate (12)",
        "score",
        "whitespace",
        "whitespace_holdout <- holdout_star, train (12), whitespace",
        "sku_catalog (12)",
    ] {
        assert!(r.stdout.contains(node), "{node} missing:\n{}", r.stdout);
    }
    let s = ws.run(&["status", "--json"]).ok().json();
    assert_eq!(s["instances"].as_array().unwrap().len(), 175, "{s:#}");
    // Every params file of stages/ is one some node reads, and each passed its stage's checks.
    for f in [
        "etl",
        "labels",
        "features",
        "models",
        "validate",
        "score",
        "whitespace",
        "whitespace_holdout",
        "source",
    ] {
        assert!(
            std::fs::read_to_string(root.join("pipeline.yaml"))
                .unwrap()
                .contains(&format!("stages/{f}.yaml")),
            "stages/{f}.yaml is not used by the shipped pipeline"
        );
    }
}

#[test]
fn the_run_log_records_each_instances_cpu_time() {
    let ws = crate::support::Ws::new(
        "nodes:\n  busy:\n    cmd: \"i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo $i > {out.0}\"\n    outputs: [outputs/busy.txt]\n",
    );
    ws.run(&["run"]).ok();
    let entry: serde_json::Value = ws
        .read("cache/runlog.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["entry"].clone())
        .find(|e| e["kind"] == "instance")
        .unwrap();
    let cpu = entry["cpu_ms"].as_u64().unwrap();
    assert!(cpu > 0, "{entry}");
    assert!(
        cpu <= entry["duration_ms"].as_u64().unwrap() + 50,
        "{entry}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_command_quietly() {
    // `gosales dag | head -1`, `gosales status | true`: the reader goes before all is written.
    use std::process::Stdio;
    let ws = workspace();
    for args in [&["dag", "--format", "dot"][..], &["status", "--json"]] {
        let mut child = ws
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
    }
}

#[test]
fn explain_traces_a_code_change_to_the_runtime_library_that_moved_and_version_lists_them() {
    // The auditor's case: an unchanged binary, one byte appended to the libm it loads. Every
    // built-in stage's code version moves; explain names the library, from the program the
    // building run recorded in the run log.
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let Some(libm) = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| p.rsplit('/').next().unwrap().starts_with("libm.so"))
    else {
        return; // not a dynamically linked glibc system: nothing to move
    };
    let ws = crate::support::Ws::new(
        "version: 1\nnodes:\n  a:\n    stage: probe\n    params: {message: hi}\n",
    );
    ws.run(&["run"]).ok();
    let libs = ws.path("libs");
    std::fs::create_dir_all(&libs).unwrap();
    let name = libm.rsplit('/').next().unwrap();
    let mut bytes = std::fs::read(libm).unwrap();
    bytes.push(0);
    std::fs::write(libs.join(name), bytes).unwrap();
    let out = ws
        .cmd(&["explain", "a"])
        .env("LD_LIBRARY_PATH", &libs)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("code of stage `probe` changed"), "{text}");
    assert!(
        text.contains("cause: the runtime libraries changed (libm.so.6 "),
        "{text}"
    );
    assert!(!text.contains("sources' build changed"), "{text}");
    // The audit of an untouched workspace under an upgraded runtime passes, and says so.
    let out = ws
        .cmd(&["audit"])
        .env("LD_LIBRARY_PATH", &libs)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("1 instance(s) were built by another program or environment than this one"),
        "{text}"
    );
    // Unmoved, explain has nothing to trace; --version lists what fingerprints mix.
    let r = ws.run(&["--version"]).ok();
    assert!(
        r.stdout.contains("probe") && r.stdout.contains("libm.so"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_cmd_gets_numbers_as_the_manifest_spells_them() {
    // JSON spelled them `1000.0` and `1e+20`: a tool reading an integer refused `1000.0`.
    let ws = Ws::new(
        "vars:\n  big: 99999999999999999999\nnodes:\n  a:\n    cmd: echo {params.n} {params.m} {params.b} {params.f} {params.w} > {out.0}\n    foreach: {w: [0.50]}\n    params: {n: 1e3, m: 99999999999999999999, b: $big, f: 0.10, w: $w}\n    outputs: [\"outputs/{w}.txt\"]\n",
    );
    ws.run(&["run"]).ok();
    assert_eq!(
        ws.read("outputs/0.50.txt"),
        "1e3 99999999999999999999 99999999999999999999 0.10 0.50\n"
    );
}
