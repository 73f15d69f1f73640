//! Failures, kills, concurrent runs and corrupt state never lose or fake good outputs.

use std::time::{Duration, Instant};

use crate::incremental::workspace;
use crate::support::{with_status, Ws};

fn wait_for(mut cond: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_failing_cmd_keeps_the_earlier_good_output() {
    let ws = Ws::new("nodes:\n  a:\n    cmd: echo good > {out.0}\n    outputs: [outputs/a.txt]\n");
    ws.run(&["run"]).ok();
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    cmd: echo partial > {out.0}; exit 3\n    outputs: [outputs/a.txt]\n",
    );
    let r = ws.run(&["run"]).code(1);
    assert!(
        r.stderr.contains("FAILED    a: exited with code 3"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("outputs/a.txt"), "good\n");
    assert!(ws
        .read("cache/runlog.jsonl")
        .contains("\"status\":\"failed\""));
    // Still stale: the failed attempt recorded nothing as fresh; status says why it still is.
    let st = ws.run(&["status", "--check"]).code(1);
    assert!(
        st.stdout.contains("failed: exited with code 3")
            && st.stdout.contains("(log: cache/logs/a.log)"),
        "{}",
        st.stdout
    );
    // Mended and rebuilt: the failure is forgotten.
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    cmd: echo better > {out.0}\n    outputs: [outputs/a.txt]\n",
    );
    ws.run(&["run"]).ok();
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    cmd: echo best > {out.0}\n    outputs: [outputs/a.txt]\n",
    );
    let st = ws.run(&["status"]).ok();
    assert!(!st.stdout.contains("failed"), "{}", st.stdout);
}

#[test]
fn a_fresh_instance_whose_forced_rebuild_failed_says_so_in_status() {
    // The outputs on record still match the fingerprint, so the instance is fresh; but its
    // last attempt failed, and `status --json` said `last_failure: null` (the error was only
    // in cache/failures.json).
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: test -e fail.flag && exit 4; echo good > {out.0}\n    outputs: [outputs/a.txt]\n",
    );
    ws.run(&["run"]).ok();
    // A no-op run, once the outputs have aged past the clock step, writes the certificate that
    // later no-op runs answer from.
    std::thread::sleep(std::time::Duration::from_millis(150));
    ws.run(&["run"]).ok();
    assert!(ws.path("cache/fresh.cert").is_file());
    ws.write("fail.flag", "");
    ws.run(&["run", "--force", "a"]).code(1);
    assert_eq!(ws.read("outputs/a.txt"), "good\n");
    let st = ws.run(&["status", "--json"]).ok().json();
    let a = &st["instances"][0];
    assert_eq!(a["state"], "fresh", "{st}");
    assert!(
        a["last_failure"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("exited with code 4")),
        "{st}"
    );
    let text = ws.run(&["status"]).ok();
    assert!(
        text.stdout.contains("fresh  (its last run")
            && text.stdout.contains("exited with code 4")
            && text
                .stdout
                .contains("outputs on record are from its last good build"),
        "{}",
        text.stdout
    );
    // A run that finds it fresh forgets the failure, also when it answers from the certificate
    // (the note stayed through any number of those).
    let r = ws.run(&["run"]).ok();
    assert!(
        r.stderr.contains("no file changed since cache/fresh.cert"),
        "{}",
        r.stderr
    );
    let st = ws.run(&["status", "--json"]).ok().json();
    assert!(st["instances"][0]["last_failure"].is_null(), "{st}");
}

#[test]
fn a_cmd_that_skips_its_declared_output_fails_clearly() {
    let ws =
        Ws::new("nodes:\n  a:\n    cmd: echo hi > elsewhere.txt\n    outputs: [outputs/a.txt]\n");
    let r = ws.run(&["run"]).code(1);
    assert!(
        r.stderr
            .contains("did not create declared output `outputs/a.txt`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_cmd_writing_into_an_upstream_output_is_named_and_the_run_converges_on_the_true_bytes() {
    // `rogue` overwrites `a`'s output; `b` reads it after. Recorded with `a`'s published hash,
    // `b` stayed fresh on `forged` once `a` was rebuilt, and `status` and `audit` agreed.
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: echo good > {out.o}\n    outputs: {o: outputs/a.txt}\n  rogue:\n    cmd: echo forged > outputs/a.txt; echo r > {out.o}\n    needs: [a]\n    outputs: {o: outputs/rogue.txt}\n  b:\n    cmd: cat {in.a} > {out.o}\n    needs: [a, rogue]\n    outputs: {o: outputs/b.txt}\n",
    );
    let (report, _) = ws.run_json(&["-j", "1"]);
    let b = &report["instances"][2];
    assert_eq!(b["instance"], "b");
    assert!(
        b["warnings"][0]
            .as_str()
            .is_some_and(|w| w
                .contains("`outputs/a.txt`, an output of `a`, changed on disk after `a` wrote it")),
        "{b}"
    );
    let st = ws.run(&["status"]).code(0);
    assert!(
        st.stdout
            .contains("output `outputs/a.txt` was modified outside gosales"),
        "`a` is stale: {}",
        st.stdout
    );
    ws.run(&["audit"]).code(1);
    ws.run(&["run", "-j", "1"]).ok();
    assert_eq!(ws.read("outputs/a.txt"), "good\n");
    assert_eq!(ws.read("outputs/b.txt"), "good\n");
    ws.run(&["audit"]).ok();
}

#[test]
fn a_write_into_an_upstream_output_beside_a_running_downstream_never_ends_fresh_on_it() {
    // `rogue` overwrites `a`'s output while `c` runs beside it: `c` recorded the published
    // bytes, and after `a` was rebuilt it stayed fresh on `HACKED` (status and audit agreed).
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: echo hello > {out.f}\n    outputs: {f: outputs/a.txt}\n  rogue:\n    cmd: sleep 0.3; echo HACKED > outputs/a.txt; echo r > {out.f}\n    needs: [a]\n    outputs: {f: outputs/r.txt}\n  c:\n    cmd: sleep 0.8; cat {in.a} > {out.f}\n    needs: [a]\n    outputs: {f: outputs/c.txt}\n",
    );
    for _ in 0..3 {
        ws.run(&["run", "-j", "3"]).ok();
        let fresh = ws.run(&["status", "--check"]).code == 0;
        assert!(
            !fresh || ws.read("outputs/c.txt") == ws.read("outputs/a.txt"),
            "fresh, yet `c` holds {:?} and `a` {:?}",
            ws.read("outputs/c.txt"),
            ws.read("outputs/a.txt")
        );
    }
}

#[test]
fn files_an_output_directory_held_that_no_build_wrote_are_kept_not_deleted() {
    // `results/` held the user's own file before a node declared it an output; publishing
    // replaced the directory whole and the file was gone.
    let m = "nodes:\n  a:\n    cmd: mkdir -p {out.d} && echo {params.v} > {out.d}/r.txt\n    params: {v: 1}\n    outputs: {d: results}\n";
    let ws = Ws::new(m);
    ws.write("results/keep.txt", "mine\n");
    let (report, _) = ws.run_json(&[]);
    let w = report["instances"][0]["warnings"][0]
        .as_str()
        .unwrap_or_default();
    assert!(
        w.contains("`results` held a file no build of this instance wrote (results/keep.txt)")
            && w.contains("kept in `cache/replaced/"),
        "{report}"
    );
    let kept: Vec<_> = walk(&ws.path("cache/replaced"))
        .into_iter()
        .filter(|p| p.ends_with("results/keep.txt"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), "mine\n");
    // A rebuild replaces only what a build wrote: nothing more is kept, nothing said.
    ws.write("pipeline.yaml", &m.replace("v: 1", "v: 2"));
    let (report, _) = ws.run_json(&[]);
    assert!(report["instances"][0]["warnings"].is_null(), "{report}");
    assert_eq!(ws.read("results/r.txt"), "2\n");

    // Where the old files cannot be kept, nothing is published and they stay where they were.
    let ws = Ws::new(&m.replace("outputs: {d: results}", "outputs: {d: out/d}"));
    ws.write("out/d/mine.txt", "mine\n");
    ws.write("cache/replaced", "not a directory\n");
    let r = ws.run(&["run"]).code(6);
    assert!(
        r.stderr.contains("cannot keep a file the output replaces"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("out/d/mine.txt"), "mine\n");
    // A file where a directory output goes is kept too, and the output published.
    std::fs::remove_file(ws.path("cache/replaced")).unwrap();
    std::fs::remove_dir_all(ws.path("out/d")).unwrap();
    ws.write("out/d", "a file\n");
    let (report, _) = ws.run_json(&[]);
    assert_eq!(with_status(&report, "built"), ["a"]);
    assert_eq!(ws.read("out/d/r.txt"), "1\n");

    // A node whose output directory holds its own input is refused before anything runs.
    let ws = Ws::new("nodes:\n  a:\n    cmd: cp {in.raw} {out.d}/\n    inputs: {raw: data/raw.csv}\n    outputs: {d: data}\n");
    ws.write("data/raw.csv", "x\n");
    ws.run(&["run"]).code(3);
    assert_eq!(ws.read("data/raw.csv"), "x\n");
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_value_placed_inside_quotes_in_a_cmd_stays_as_written_and_never_runs() {
    // `echo '{params.msg}'`: gosales quotes each value itself, and the user's quotes around it
    // undid that quoting: `$(touch pwned)` ran, and `it's` ended the quote.
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: echo '{params.msg}' \"{params.msg}\" > {out.o}\n    params: {msg: \"it's $(touch pwned)\"}\n    outputs: {o: outputs/a.txt}\n",
    );
    ws.run(&["run"]).ok();
    assert!(!ws.path("pwned").exists(), "the value ran");
    assert_eq!(
        ws.read("outputs/a.txt"),
        "it's $(touch pwned) it's $(touch pwned)\n"
    );
}

#[test]
fn keep_going_runs_independent_work_and_skips_dependents() {
    let m = "nodes:\n  bad:\n    stage: probe\n    params: {fail: true}\n  good:\n    stage: probe\n  after_bad:\n    stage: probe\n    needs: [bad]\n";
    let ws = Ws::new(m);
    let (r, run) = ws.run_json(&["--keep-going", "-j", "1"]);
    assert_eq!(run.code, 1);
    assert_eq!(with_status(&r, "failed"), ["bad"]);
    assert_eq!(with_status(&r, "built"), ["good"]);
    assert_eq!(with_status(&r, "skipped"), ["after_bad"]);
    // A failed stage publishes nothing, not even what it wrote before failing.
    assert!(!ws.path("outputs/bad").exists());

    let ws = Ws::new(m);
    let (r, _) = ws.run_json(&["-j", "1"]);
    assert_eq!(with_status(&r, "failed"), ["bad"]);
    assert_eq!(with_status(&r, "skipped"), ["after_bad", "good"]);
    // Only independent work is told of `--keep-going`, which would not run a dependent either
    // (until 2026-12-07 both were).
    let error = |id: &str| {
        r["instances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["instance"] == id)
            .unwrap()["error"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(error("after_bad"), "an upstream instance failed");
    assert!(
        error("good").contains("use --keep-going"),
        "{}",
        error("good")
    );
}

#[test]
fn a_failure_that_wrote_nothing_is_not_said_to_have_kept_anything() {
    // The directory is there (made by the command, as a stage's are made for it), but empty.
    let ws =
        Ws::new("nodes:\n  d:\n    cmd: mkdir -p {out.0} && exit 3\n    outputs: [outputs/d]\n");
    let r = ws.run(&["run"]).code(1);
    assert!(!r.stderr.contains("is kept in"), "{}", r.stderr);
    assert!(!ws.path("cache/failed/d").exists());
    // One file in it is worth keeping, and the message says where.
    ws.write(
        "pipeline.yaml",
        "nodes:\n  d:\n    cmd: mkdir -p {out.0}/sub && echo half > {out.0}/sub/part.txt && exit 3\n    outputs: [outputs/d]\n",
    );
    let r = ws.run(&["run"]).code(1);
    assert!(
        r.stderr
            .contains("(what it wrote is kept in `cache/failed/d`)"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("cache/failed/d/outputs/d/sub/part.txt"), "half\n");
}

#[test]
fn feature_events_after_the_cutoff_fail_the_instance() {
    let ws = Ws::new(
        "nodes:\n  features:\n    stage: probe\n    foreach: {cutoff: [\"2024-06-30\"]}\n    params: {feature_event: \"2024-07-01\"}\n  labels:\n    stage: probe\n    foreach: {cutoff: [\"2024-06-30\"]}\n    params: {label_event: \"2024-06-30\"}\n  ok:\n    stage: probe\n    foreach: {cutoff: [\"2024-06-30\"]}\n    params: {feature_event: \"2024-06-30\", label_event: \"2024-07-01\"}\n",
    );
    let (r, _) = ws.run_json(&["--keep-going"]);
    let failed: Vec<&serde_json::Value> = r["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{r:#}");
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .contains("leakage: read a feature event dated 2024-07-01, after the cutoff 2024-06-30"));
    assert!(failed[1]["error"]
        .as_str()
        .unwrap()
        .contains("leakage: read a label event dated 2024-06-30"));
    assert_eq!(with_status(&r, "built"), ["ok@2024-06-30"]);
    assert!(!ws.path("outputs/features").exists());
}

#[test]
fn parallel_jobs_really_overlap() {
    let ws = Ws::new(
        "nodes:\n  t:\n    cmd: date +%s%N > {out.0}; sleep 0.6; date +%s%N >> {out.0}\n    foreach: {i: [a, b]}\n    outputs: [\"outputs/{i}.txt\"]\n",
    );
    ws.run(&["run", "-j", "2"]).ok();
    let span = |f: &str| -> (u128, u128) {
        let t: Vec<u128> = ws
            .read(f)
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect();
        (t[0], t[1])
    };
    let (a0, a1) = span("outputs/a.txt");
    let (b0, b1) = span("outputs/b.txt");
    assert!(
        a0 < b1 && b0 < a1,
        "intervals do not overlap: a {a0}..{a1}, b {b0}..{b1}"
    );
}

#[test]
fn kill_mid_run_then_rerun_redoes_only_the_unfinished() {
    let ws = Ws::new(
        "nodes:\n  t:\n    cmd: echo partial > {out.0}; sleep 0.5; echo done >> {out.0}\n    foreach: {i: [a, b, c, d]}\n    outputs: [\"outputs/{i}.txt\"]\n",
    );
    let mut child = ws
        .cmd(&["run", "-j", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Finished instances are journaled at once (the lock is compacted when the run ends).
    let known = || {
        std::fs::read_to_string(ws.path("pipeline.lock")).unwrap_or_default()
            + &std::fs::read_to_string(ws.path("cache/lock.journal")).unwrap_or_default()
    };
    wait_for(
        || known().contains("\"t@a\""),
        "the first instance to finish",
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let lock = known();
    let done: Vec<&str> = ["a", "b", "c", "d"]
        .into_iter()
        .filter(|i| lock.contains(&format!("\"t@{i}\"")))
        .collect();
    assert!(done.len() < 4, "the run finished before it was killed");
    // Nothing half-written is in place: every published output is complete.
    for i in ["a", "b", "c", "d"] {
        if let Ok(text) = std::fs::read_to_string(ws.path(&format!("outputs/{i}.txt"))) {
            assert_eq!(text, "partial\ndone\n");
        }
    }
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["fresh"].as_u64().unwrap() as usize, done.len());
    assert_eq!(r["built"].as_u64().unwrap() as usize, 4 - done.len());
    ws.run(&["audit"]).ok();
}

#[test]
fn a_second_concurrent_run_waits_or_exits_clearly() {
    let ws = Ws::new(
        "nodes:\n  slow:\n    cmd: sleep 1.5; echo ok > {out.0}\n    outputs: [outputs/slow.txt]\n",
    );
    let mut first = ws
        .cmd(&["run"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(
        || std::fs::read_to_string(ws.path("cache/run.lock")).is_ok_and(|t| t.contains("pid")),
        "the first run to take the lock",
    );
    let r = ws.run(&["run", "--no-wait"]).code(5);
    assert!(
        r.stderr
            .contains("the workspace is locked by another gosales run (pid"),
        "{}",
        r.stderr
    );
    let r = ws.run(&["run", "--json"]).ok();
    assert!(
        r.stderr
            .contains("waiting for the workspace lock held by pid"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.json()["built"],
        0,
        "the waiting run saw the first run's results"
    );
    assert!(first.wait().unwrap().success());
    assert_eq!(ws.read("outputs/slow.txt"), "ok\n");
    ws.run(&["audit"]).ok();
}

#[test]
fn a_lock_left_by_a_killed_run_is_recovered() {
    let ws = Ws::new(
        "nodes:\n  slow:\n    cmd: sleep 5; echo ok > {out.0}\n    outputs: [outputs/slow.txt]\n",
    );
    let mut first = ws
        .cmd(&["run"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(
        || std::fs::read_to_string(ws.path("cache/run.lock")).is_ok_and(|t| t.contains("pid")),
        "the lock",
    );
    first.kill().unwrap();
    first.wait().unwrap();
    ws.write(
        "pipeline.yaml",
        "nodes:\n  slow:\n    cmd: echo ok > {out.0}\n    outputs: [outputs/slow.txt]\n",
    );
    ws.run(&["run", "--no-wait"]).ok();
}

#[test]
fn a_corrupt_lock_file_is_a_clear_error_and_outputs_survive() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    ws.write("pipeline.lock", "{\"version\": 1, \"instances\": {\"x\": ");
    let r = ws.run(&["run"]).code(4);
    assert!(
        r.stderr.contains("pipeline.lock` is corrupt"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("git checkout pipeline.lock"),
        "{}",
        r.stderr
    );
    assert!(ws.path("outputs/report.txt").exists());
    ws.run(&["status"]).code(4);
}

#[test]
fn a_corrupt_run_log_tail_is_a_clear_error() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let mut log = ws.read("cache/runlog.jsonl");
    let lines = log.lines().count();
    log.push_str("{\"seq\": 99, \"prev\": \"x\"\n");
    ws.write("cache/runlog.jsonl", &log);
    let r = ws.run(&["run"]).code(4);
    assert!(
        r.stderr.contains(&format!(
            "runlog.jsonl` is corrupt: line {} is not a run log record",
            lines + 1
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_torn_run_log_tail_is_repaired_with_a_recorded_note() {
    // What an append cut short by a full disk or a crash leaves: half a line, no newline.
    let ws = workspace();
    ws.run(&["run"]).ok();
    let good = ws.read("cache/runlog.jsonl");
    let torn = format!("{{\"seq\":{},\"prev\":\"ab", good.lines().count() + 1);
    ws.write("cache/runlog.jsonl", &format!("{good}{torn}"));
    ws.run(&["run"]).ok();
    let log = ws.read("cache/runlog.jsonl");
    assert!(log.starts_with(&good), "the good lines are kept");
    let repair: serde_json::Value =
        serde_json::from_str(log.lines().nth(good.lines().count()).unwrap()).unwrap();
    assert_eq!(repair["entry"]["kind"], "repair");
    assert_eq!(repair["entry"]["removed_bytes"], torn.len());
    ws.run(&["audit"]).ok();
    // A complete last record that only lost its newline is kept, not cut.
    let full = ws.read("cache/runlog.jsonl");
    ws.write("cache/runlog.jsonl", full.trim_end_matches('\n'));
    ws.run(&["run"]).ok();
    let after = ws.read("cache/runlog.jsonl");
    assert!(after.starts_with(&full), "the last record survives");
    assert!(after.contains("newline added"));
    ws.run(&["audit"]).ok();
}

#[test]
fn a_torn_lock_journal_line_is_ignored_and_a_damaged_one_refused() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    // A kill mid-append leaves half a line: the entries before it count, the half does not.
    ws.write("cache/lock.journal", "{\"id\":\"x\",\"entry\":{\"no");
    ws.run(&["status", "--check"]).ok();
    ws.run(&["run"]).ok();
    assert!(
        !ws.path("cache/lock.journal").exists(),
        "compacted at the end of the run"
    );
    ws.write("cache/lock.journal", "not json\n");
    let r = ws.run(&["status"]).code(4);
    assert!(r.stderr.contains("lock.journal"), "{}", r.stderr);
}

#[test]
fn a_directory_or_a_pipe_where_a_built_file_was_is_a_modified_output_that_a_run_replaces() {
    // A tester's `mkdir` at a built output stopped `status`, `run` and `explain` of the whole
    // workspace with "Is a directory" (exit 6); a `mkfifo` there hung `status` for good.
    let ws = Ws::new("nodes:\n  a:\n    cmd: echo good > {out.0}\n    outputs: [outputs/a.txt]\n");
    ws.run(&["run"]).ok();
    std::fs::remove_file(ws.path("outputs/a.txt")).unwrap();
    std::fs::create_dir(ws.path("outputs/a.txt")).unwrap();
    ws.write("outputs/a.txt/notes.txt", "mine\n");
    let out = ws.run(&["status"]).ok().stdout;
    assert!(
        out.contains("output `outputs/a.txt` was modified outside gosales (recorded ")
            && out.contains(", found a directory)"),
        "{out}"
    );
    ws.run(&["explain", "a"]).ok();
    let r = ws.run(&["run"]).ok();
    assert!(
        r.stderr.contains("kept in `cache/replaced/"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.read("outputs/a.txt"), "good\n");
    ws.run(&["audit"]).ok();
    std::fs::remove_file(ws.path("outputs/a.txt")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(ws.path("outputs/a.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    // Opening the pipe would block for good: a hang fails the test instead of stalling it.
    let mut child = ws
        .cmd(&["status"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`status` hung on a named pipe at an output path");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("found not a regular file)"), "{out}");
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/a.txt"), "good\n");
}
