//! Orphaned outputs: `status` names the files gosales published for nodes, partitions or paths
//! the manifest no longer declares, and `clean` removes them and nothing else.

use crate::support::Ws;

const BEFORE: &str = r#"version: 1
vars:
  parts: ["x", "y"]
nodes:
  a:
    cmd: echo {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/a/{p}.txt"]
  b:
    cmd: cat {in.a} > {out.0}
    needs: [a]
    outputs: ["outputs/b.txt"]
  d:
    cmd: mkdir -p {out.0} && echo 1 > {out.0}/one.txt
    outputs: ["outputs/dir"]
"#;

/// `y` dropped from the partitions, `b` renamed `c` with a new output path, `d` unchanged.
const AFTER: &str = r#"version: 1
vars:
  parts: ["x"]
nodes:
  a:
    cmd: echo {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/a/{p}.txt"]
  c:
    cmd: cat {in.a} > {out.0}
    needs: [a]
    outputs: ["outputs/c/all.txt"]
  d:
    cmd: mkdir -p {out.0} && echo 1 > {out.0}/one.txt
    outputs: ["outputs/dir"]
"#;

fn orphans(ws: &Ws) -> Vec<String> {
    let r = ws.run(&["status", "--json"]).ok();
    r.json()["orphans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn status_names_orphaned_outputs_and_clean_removes_only_them() {
    let ws = Ws::new(BEFORE);
    ws.run(&["run"]).ok();
    // A file of the user's own next to the outputs is never gosales' to remove.
    ws.write("outputs/notes.txt", "mine\n");
    assert!(orphans(&ws).is_empty());

    ws.write("pipeline.yaml", AFTER);
    ws.run(&["run"]).ok();
    assert_eq!(orphans(&ws), ["outputs/a/y.txt", "outputs/b.txt"]);
    let status = ws.run(&["status"]).ok();
    assert!(
        status.stderr.contains(
            "2 orphaned output file(s), published for nodes, partitions or paths no longer in the manifest: outputs/a/y.txt and 1 more; `gosales clean` removes them"
        ),
        "{}",
        status.stderr
    );
    // The counts close the report, orphans or not (`status 2>&1 | tail -1`).
    assert!(
        status.stderr.trim_end().ends_with("fresh, 0 stale"),
        "{}",
        status.stderr
    );

    // A dry run lists and keeps them.
    let dry = ws.run(&["clean", "--dry-run"]).ok();
    assert_eq!(
        dry.stdout,
        "would remove  outputs/a/y.txt\nwould remove  outputs/b.txt\n"
    );
    assert!(ws.path("outputs/b.txt").exists());

    let r = ws.run(&["clean", "--json"]).ok();
    assert_eq!(r.json()["removed"], 2);
    for gone in ["outputs/a/y.txt", "outputs/b.txt"] {
        assert!(!ws.path(gone).exists(), "{gone} is still there");
    }
    for kept in [
        "outputs/a/x.txt",
        "outputs/c/all.txt",
        "outputs/dir/one.txt",
        "outputs/notes.txt",
    ] {
        assert!(ws.path(kept).exists(), "{kept} was removed");
    }
    assert!(orphans(&ws).is_empty());
    // Live outputs are untouched: the audit passes and nothing is stale.
    ws.run(&["audit"]).ok();
    ws.run(&["status", "--check"]).ok();
    assert!(ws.run(&["clean"]).ok().stderr.contains("nothing to clean"));
}

#[test]
fn a_published_file_the_manifest_now_reads_as_an_input_is_not_an_orphan() {
    let ws = Ws::new(BEFORE);
    ws.run(&["run"]).ok();
    // `b` is gone, but its file is now a source another node reads.
    ws.write(
        "pipeline.yaml",
        &AFTER.replace("needs: [a]\n", "needs: [a]\n    inputs: [outputs/b.txt]\n"),
    );
    ws.run(&["run"]).ok();
    assert_eq!(orphans(&ws), ["outputs/a/y.txt"]);
}

#[test]
fn clean_keeps_a_file_written_over_an_orphan_and_a_path_declared_another_way() {
    let ws = Ws::new(BEFORE);
    ws.run(&["run"]).ok();
    // `b` goes; its path is then written by hand, and `y`'s output is read through an
    // absolute path with a `./` in it.
    let y = ws.root().join("outputs/./a/y.txt");
    ws.write(
        "pipeline.yaml",
        &AFTER.replace(
            "needs: [a]\n",
            &format!("needs: [a]\n    inputs: [\"{}\"]\n", y.display()),
        ),
    );
    ws.run(&["run"]).ok();
    ws.write("outputs/b.txt", "my own notes\n");
    assert!(orphans(&ws).is_empty(), "{:?}", orphans(&ws));
    ws.run(&["clean"]).ok();
    assert_eq!(ws.read("outputs/b.txt"), "my own notes\n");
    assert!(ws.path("outputs/a/y.txt").exists());
}

#[test]
fn orphans_are_found_and_removed_through_an_outputs_symlink_to_another_directory() {
    let ws = Ws::new(BEFORE);
    // `outputs` moved to another mount and linked back, as an operator frees space.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("outputs")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("outputs"), ws.path("outputs")).unwrap();
    ws.run(&["run"]).ok();
    ws.write("pipeline.yaml", AFTER);
    ws.run(&["run"]).ok();
    assert_eq!(orphans(&ws), ["outputs/a/y.txt", "outputs/b.txt"]);
    let dry = ws.run(&["clean", "-n"]).ok();
    assert_eq!(
        dry.stdout,
        "would remove  outputs/a/y.txt\nwould remove  outputs/b.txt\n"
    );
    ws.run(&["clean"]).ok();
    assert!(!elsewhere.path().join("outputs/b.txt").exists());
    assert!(!elsewhere.path().join("outputs/a/y.txt").exists());
    assert_eq!(ws.read("outputs/a/x.txt"), "x\n");
    assert!(ws.path("outputs").is_symlink(), "the link itself stays");
    ws.run(&["audit"]).ok();
}

#[test]
fn clean_before_a_run_forgets_the_lock_entries_of_what_it_removed() {
    // Until 2026-12-07 `clean` removed the files and left their lock entries, so the audit
    // that followed failed on each file removed ("cannot be read"), until a run forgot them.
    let two = "nodes:\n  a:\n    cmd: echo {p} > {out.0}\n    foreach: {p: [x, y]}\n    outputs: [\"outputs/a/{p}.txt\"]\n";
    let ws = Ws::new(two);
    ws.run(&["run"]).ok();
    ws.write("pipeline.yaml", &two.replace("[x, y]", "[x]"));
    let r = ws.run(&["clean", "--json"]).ok();
    assert_eq!(r.json()["removed"], 1);
    assert_eq!(r.json()["forgotten"], serde_json::json!(["a@y"]));
    assert!(!ws.path("outputs/a/y.txt").exists());
    let audit = ws.run(&["audit"]).ok();
    assert!(audit.stdout.starts_with("audit ok"), "{}", audit.stdout);
    ws.run(&["status", "--check"]).ok();
    let log = std::fs::read_to_string(ws.path("cache/runlog.jsonl")).unwrap();
    assert!(
        log.contains("no longer in the manifest (`gosales clean`)"),
        "{log}"
    );
    assert!(!std::fs::read_to_string(ws.path("pipeline.lock"))
        .unwrap()
        .contains("a@y"));
}

#[test]
fn a_dropped_partitions_file_inside_an_input_directory_is_an_orphan() {
    // A report over the whole folder: the dropped partition's file was called live (it is
    // inside a declared input), so the report went on listing it and `clean` left it.
    let m = "nodes:\n  a:\n    cmd: echo {p} > {out.0}\n    foreach: {p: [x, y]}\n    outputs: [\"outputs/gen/{p}.txt\"]\n  report:\n    cmd: cat {in.m}/*.txt > {out.f}\n    inputs: {m: outputs/gen}\n    outputs: {f: out/report.txt}\n";
    let ws = Ws::new(m);
    ws.run(&["run"]).ok();
    ws.write("pipeline.yaml", &m.replace("[x, y]", "[x]"));
    assert_eq!(orphans(&ws), ["outputs/gen/y.txt"]);
    ws.run(&["clean"]).ok();
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("out/report.txt"), "x\n");
    ws.run(&["audit"]).ok();
}

#[test]
fn a_file_in_an_input_directory_no_node_writes_into_any_more_is_kept() {
    // `fetch` wrote the raw data once and was removed; `etl` reads the folder. Nothing can
    // build that file again: it is source data now, not an orphan.
    let m = "nodes:\n  fetch:\n    cmd: mkdir -p data/raw && echo 1 > {out.0}\n    outputs: [data/raw/2024.csv]\n  etl:\n    cmd: cat {in.r}/*.csv > {out.0}\n    inputs: {r: data/raw}\n    outputs: [out/all.csv]\n    needs: [fetch]\n";
    let ws = Ws::new(m);
    ws.run(&["run"]).ok();
    ws.write(
        "pipeline.yaml",
        "nodes:\n  etl:\n    cmd: cat {in.r}/*.csv > {out.0}\n    inputs: {r: data/raw}\n    outputs: [out/all.csv]\n",
    );
    assert!(orphans(&ws).is_empty(), "{:?}", orphans(&ws));
    ws.run(&["clean"]).ok();
    assert!(ws.path("data/raw/2024.csv").exists());
}
