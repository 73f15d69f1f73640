//! An operations tester's findings: what a run, an audit and the state files do when the
//! workspace is handled roughly (an audit during a run, an immutable output directory, a
//! deleted `cache/`, temp files left by failed writes).

use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

use crate::support::{assert_mentions, with_status, Ws};

/// `slow` waits for a file named `release` before it writes, so a test can hold a run (and the
/// workspace lock) in the middle.
const GATED: &str = r#"version: 1
nodes:
  slow:
    cmd: "cat in.txt > {out.0} && touch started && while [ ! -e release ]; do sleep 0.05; done && cat in.txt > {out.1}"
    inputs: [in.txt]
    outputs: ["outputs/first.txt", "outputs/second.txt"]
  after:
    cmd: cat {in.slow} > {out.0}
    needs: [slow]
    outputs: ["outputs/after.txt"]
"#;

fn wait_for(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn audit_waits_for_a_run_and_the_ui_says_one_is_in_progress() {
    let ws = Ws::new(GATED);
    ws.write("in.txt", "1\n");
    ws.write("release", "");
    ws.run(&["run"]).ok();
    std::fs::remove_file(ws.path("release")).unwrap();
    std::fs::remove_file(ws.path("started")).unwrap();

    ws.write("in.txt", "2\n");
    let mut run = ws
        .cmd(&["run"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the run to start `slow`", || ws.path("started").exists());

    // Mid-run, `first.txt` is rewritten in staging; nothing the audit reads is half done, but
    // the audit must not look now: it waits, or says it would.
    let r = ws.run(&["audit", "--no-wait"]).code(5);
    assert_mentions(&r.stderr, &["gosales run"]);
    let ui = crate::ui::start(&ws);
    let (status, _, body) = crate::ui::get(&ui, "/audit");
    assert_eq!(status, 200);
    assert_mentions(
        &body,
        &["A run is in progress", "the audit is shown when it ends"],
    );
    assert!(!body.contains("FAILED"), "{body}");

    let audit = ws
        .cmd(&["audit"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    ws.write("release", "");
    assert!(run.wait().unwrap().success());
    let out = audit.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_mentions(&stderr, &["waiting for the workspace lock held by"]);
    assert_mentions(&stdout, &["audit ok"]);
    let (_, _, body) = crate::ui::get(&ui, "/audit");
    assert_mentions(&body, &["Audit passed"]);
}

/// Makes a directory immutable (`chattr +i`) for as long as it lives; `None` where the
/// filesystem or the user cannot.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn set(path: std::path::PathBuf) -> Option<Immutable> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Immutable(path))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

const PARTS: &str = r#"version: 1
vars:
  parts: ["x", "y", "z"]
nodes:
  a:
    cmd: mkdir -p {out.0} && cat in.txt > {out.0}/v.txt
    foreach: {p: $parts}
    inputs: [in.txt]
    outputs: ["outputs/a/{p}"]
"#;

#[test]
fn a_refused_publish_fails_its_instance_and_the_run_goes_on_recorded() {
    let ws = Ws::new(PARTS);
    ws.write("in.txt", "old\n");
    ws.run(&["run"]).ok();
    let Some(_guard) = Immutable::set(ws.path("outputs/a/y")) else {
        eprintln!("skipped: chattr +i refused here (not root, or no such attribute)");
        return;
    };
    ws.write("in.txt", "new\n");
    let r = ws.run(&["run", "-j", "1", "-k"]).code(6);
    assert_mentions(
        &r.stderr,
        &[
            "FAILED    a@y: built, but its outputs could not be published: cannot move aside `outputs/a/y`: Operation not permitted",
            "FAILED in",
            "2 built, 0 unchanged, 0 fresh, 1 failed, 0 skipped",
        ],
    );
    // The others went on and published; the refused one kept its earlier output.
    assert_eq!(ws.read("outputs/a/x/v.txt"), "new\n");
    assert_eq!(ws.read("outputs/a/z/v.txt"), "new\n");
    assert_eq!(ws.read("outputs/a/y/v.txt"), "old\n");
    // Recorded: the failure, the instance's run and the run's own record.
    assert_mentions(
        &ws.read("cache/failures.json"),
        &["a@y", "Operation not permitted"],
    );
    let log = ws.read("cache/runlog.jsonl");
    let last = log.lines().last().unwrap();
    assert_mentions(
        last,
        &[r#""kind":"run""#, r#""status":"failed""#, r#""failed":1"#],
    );

    let (report, r) = ws.run_json(&["-k"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_eq!(with_status(&report, "failed"), ["a@y"]);
    let instances = report["instances"].as_array().unwrap();
    let y = instances.iter().find(|i| i["instance"] == "a@y").unwrap();
    assert_eq!(y["exit_code"], 6);
    assert_mentions(y["error"].as_str().unwrap(), &["Operation not permitted"]);

    drop(_guard);
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/a/y/v.txt"), "new\n");
    ws.run(&["audit"]).ok();
}

const PAIR: &str = r#"version: 1
nodes:
  a:
    cmd: echo a > {out.0}
    outputs: ["outputs/a.txt"]
  b:
    cmd: cat {in.a} > {out.0}
    needs: [a]
    outputs: ["outputs/b.txt"]
"#;

#[test]
fn a_deleted_run_log_is_said_once_and_audit_names_it_as_one_problem() {
    let ws = Ws::new(PAIR);
    ws.run(&["run"]).ok();
    std::fs::remove_dir_all(ws.path("cache")).unwrap();

    let r = ws.run(&["status"]).ok();
    let warning = "cache/runlog.jsonl is missing while pipeline.lock records 2 built instances (was cache/ deleted?)";
    assert_mentions(
        &r.stderr,
        &[
            warning,
            "`gosales run --force a --force b` rebuilds and records them all",
        ],
    );
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);

    let r = ws.run(&["audit", "--json"]).code(1);
    let problems = r.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["what"], "cache/runlog.jsonl");
    assert_mentions(
        problems[0]["detail"].as_str().unwrap(),
        &[
            "missing while pipeline.lock records 2 built instances",
            "gosales run --force a --force b",
        ],
    );

    // A run finds everything fresh, says so, and records only its own run: still no history.
    let r = ws.run(&["run"]).ok();
    assert_mentions(&r.stderr, &[warning, "nothing to do"]);
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &["audit FAILED: 1 problem(s)", "holds no instance run"],
    );

    // The command it names records them again.
    ws.run(&["run", "--force", "a", "--force", "b"]).ok();
    ws.run(&["audit"]).ok();
    let r = ws.run(&["status"]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn a_run_removes_the_temp_files_failed_writes_left_but_no_live_ones() {
    let ws = Ws::new(PAIR);
    ws.run(&["run"]).ok();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let live = std::process::id();
    let old = SystemTime::now() - Duration::from_secs(600);
    let make = |rel: &str, aged: bool| {
        ws.write(rel, "partial");
        if aged {
            let f = std::fs::File::options()
                .write(true)
                .open(ws.path(rel))
                .unwrap();
            f.set_modified(old).unwrap();
        }
    };
    let gone = [
        format!("cache/.hashcache.json.tmp{dead}"),
        format!("cache/.runlog.verified.tmp{dead}"),
        format!(".pipeline.lock.tmp{dead}"),
    ];
    let kept = [
        // Its writer is alive.
        format!("cache/.hashcache.json.tmp{live}"),
        // Too recent to be sure.
        format!("cache/.failures.json.tmp{dead}"),
        // Not a name gosales writes.
        format!("cache/.notes.txt.tmp{dead}"),
        format!("cache/.hashcache.json.tmp{dead}x"),
    ];
    for rel in &gone {
        make(rel, true);
    }
    for (k, rel) in kept.iter().enumerate() {
        make(rel, k != 1);
    }
    let _ = std::fs::remove_file(ws.path("cache/fresh.cert"));
    ws.run(&["run"]).ok();
    for rel in &gone {
        assert!(!ws.path(rel).exists(), "{rel} left");
    }
    for rel in &kept {
        assert!(ws.path(rel).exists(), "{rel} removed");
    }
}
