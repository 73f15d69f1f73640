//! `gosales audit` proves history and outputs agree, and catches tampering precisely.

use crate::incremental::workspace;
use crate::support::Ws;

#[test]
fn a_clean_workspace_audits_ok() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let r = ws.run(&["audit", "--json"]).ok();
    let j = r.json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["lock_entries"], 8);
    assert_eq!(j["outputs_checked"], 8);
}

#[test]
fn a_modified_output_is_reported_with_its_path() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    ws.write("outputs/train/B/probe.txt", "tampered\n");
    let r = ws.run(&["audit"]).code(1);
    assert!(
        r.stdout
            .contains("outputs/train/B/probe.txt: content changed since it was recorded"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_hand_edited_hash_in_the_lock_file_is_reported() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let lock = ws.read("pipeline.lock");
    let hash = lock
        .split("\"outputs/train/B/probe.txt\": \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no output hash in {lock}"))
        .to_string();
    ws.write("pipeline.lock", &lock.replace(&hash, "abc"));
    let r = ws.run(&["audit"]).code(1);
    // The lock checks itself, so the edit is named as such (and the short hash crashes nothing).
    assert!(
        r.stdout.contains("is corrupt") && r.stdout.contains("edited by hand"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_edited_run_log_line_breaks_the_chain_at_that_line() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let log = ws.read("cache/runlog.jsonl");
    let mut lines: Vec<String> = log.lines().map(String::from).collect();
    assert!(lines.len() >= 9);
    lines[2] = lines[2].replacen("\"status\":\"built\"", "\"status\":\"failed\"", 1);
    ws.write("cache/runlog.jsonl", &(lines.join("\n") + "\n"));
    let r = ws.run(&["audit"]).code(1);
    assert!(
        r.stdout
            .contains("cache/runlog.jsonl:3: content does not match its hash"),
        "{}",
        r.stdout
    );
    // The next run verifies the whole chain, not only the last line: it refuses (exit 4) and
    // names the line, so nothing is appended to a broken chain.
    let r = ws.run(&["run"]).code(4);
    assert!(
        r.stderr.contains("line 3 does not match its hash"),
        "{}",
        r.stderr
    );
    ws.run(&["audit"]).code(1);
}

#[test]
fn a_deleted_run_log_line_is_reported() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let log = ws.read("cache/runlog.jsonl");
    let lines: Vec<&str> = log.lines().collect();
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, l)| *l)
        .collect();
    ws.write("cache/runlog.jsonl", &(kept.join("\n") + "\n"));
    let r = ws.run(&["audit"]).code(1);
    assert!(
        r.stdout
            .contains("cache/runlog.jsonl:4: sequence number 5 where 4 was expected"),
        "{}",
        r.stdout
    );
}

#[test]
fn audit_finds_the_workspace_upward_and_a_directory_with_nothing_to_audit_is_no_pass() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    std::fs::create_dir_all(ws.path("sub/dir")).unwrap();
    // From a subdirectory, as every other command: the workspace above is audited.
    let r = crate::support::Run::from(
        ws.cmd(&["audit", "--json"])
            .current_dir(ws.path("sub/dir"))
            .output()
            .unwrap(),
    );
    assert_eq!(r.json()["lock_entries"], 8, "{}", r.stderr);
    // A directory with no pipeline.yaml and no pipeline.lock: refused, not "audit ok".
    let empty = tempfile::tempdir().unwrap();
    let r = crate::support::Run::from(
        ws.cmd(&["audit"])
            .current_dir(empty.path())
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no pipeline.lock to audit"),
        "{}",
        r.stderr
    );
    // The run log of a workspace whose lock is gone is a problem.
    std::fs::remove_file(ws.path("pipeline.lock")).unwrap();
    let r = ws.run(&["audit"]).code(1);
    assert!(r.stdout.contains("pipeline.lock: missing"), "{}", r.stdout);
}

#[test]
fn an_edited_workspace_script_a_cmd_runs_fails_the_audit_as_stale_work() {
    // Filed only as "built by another program or environment", the edit passed the audit
    // while `status --check` failed.
    let ws = Ws::new(
        "nodes:\n  fit:\n    cmd: sh scripts/fit.sh > {out.o}\n    outputs: {o: outputs/fit.txt}\n",
    );
    ws.write("scripts/fit.sh", "echo 1\n");
    ws.run(&["run"]).ok();
    ws.run(&["audit"]).ok();
    ws.write("scripts/fit.sh", "echo 2\n");
    ws.run(&["status", "--check"]).code(1);
    let r = ws.run(&["audit"]).code(1);
    assert!(
        r.stdout.contains("fit") && r.stdout.contains("scripts/fit.sh")
            || r.stderr.contains("scripts/fit.sh"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}
