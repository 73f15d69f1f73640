//! Ctrl-C, `kill` and a closed terminal stop a local run cleanly: nothing new starts, the
//! running instances and everything they started are stopped, what finished stays published,
//! the run log says the run was interrupted, and the next run redoes only the rest.

use std::os::unix::process::CommandExt as _;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{signals_as_from_a_terminal, with_status, Run, Ws};

/// `quick` finishes at once; `slow` starts a `sleep` of its own (a grandchild of gosales) and
/// writes the sleeper's pid; `after` waits for `slow`.
const SLOW: &str = r#"version: 1
vars:
  parts: ["a", "b"]
nodes:
  quick:
    cmd: echo {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/quick/{p}.txt"]
  slow:
    cmd: sleep 60 & echo $! > sleeper.pid; wait; cat {in.quick} > {out.0}
    needs: [quick]
    outputs: ["outputs/slow.txt"]
  after:
    cmd: cat {in.slow} > {out.0}
    needs: [slow]
    outputs: ["outputs/after.txt"]
"#;

/// Starts `gosales ARGS` in a process group of its own (as a shell starts a job), and waits
/// until `slow` has started its sleeper; returns the run and the sleeper's pid.
#[allow(clippy::zombie_processes)] // the caller waits for the child
fn start(ws: &Ws, args: &[&str]) -> (Child, i32) {
    let mut child = signals_as_from_a_terminal(&mut ws.cmd(args))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pid = std::fs::read_to_string(ws.path("sleeper.pid")).unwrap_or_default();
        if let Ok(pid) = pid.trim().parse() {
            return (child, pid);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`slow` never started");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for the run to end, at most 30 s (it would hang on the 60 s sleeper if the
/// interruption stopped nothing).
fn finish(mut child: Child) -> Run {
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the interrupted run did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out: Output = child.wait_with_output().unwrap();
    Run::from(out)
}

/// Whether `pid` still runs (a zombie no one reaped does not count).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
        Err(_) => false,
    }
}

fn last_run_record(ws: &Ws) -> serde_json::Value {
    let log = ws.read("cache/runlog.jsonl");
    let line = log.lines().last().expect("a run record");
    serde_json::from_str::<serde_json::Value>(line).unwrap()["entry"].clone()
}

/// The stopped instance's processes die with it, the run is recorded, and the next run
/// redoes only what did not finish.
fn stops_cleanly(ws: &Ws, signal: i32, to_group: bool, code: i32, name: &str) {
    let (child, sleeper) = start(ws, &["run", "-j", "2"]);
    let pid = child.id() as i32;
    // SAFETY: kill has no memory effects; `pid` is our child, not yet reaped.
    unsafe { libc::kill(if to_group { -pid } else { pid }, signal) };
    let r = finish(child).code(code);
    assert!(
        r.stderr.contains(&format!("interrupted ({name})"))
            && r.stderr
                .contains("the next run redoes only what did not finish"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "after: not started: the run was interrupted ({name})"
        )),
        "{}",
        r.stderr
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(sleeper) {
        assert!(
            Instant::now() < deadline,
            "the instance's own child outlived the run"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let rec = last_run_record(ws);
    assert_eq!(rec["kind"], "run");
    assert_eq!(rec["status"], format!("interrupted ({name})"));
    assert_eq!(
        (rec["built"].as_u64(), rec["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert!(!ws.path("outputs/slow.txt").exists());
    assert!(
        !ws.path("cache/failed/slow").exists(),
        "an interrupted attempt is not kept as a failure to inspect"
    );
    ws.run(&["audit"]).ok();

    ws.write("pipeline.yaml", &SLOW.replace("sleep 60", "sleep 0"));
    let (report, _) = ws.run_json(&[]);
    assert_eq!(with_status(&report, "fresh"), ["quick@a", "quick@b"]);
    assert_eq!(with_status(&report, "built"), ["after", "slow"]);
    assert_eq!(ws.read("outputs/after.txt"), "a\nb\n");
}

#[test]
fn ctrl_c_stops_the_run_and_the_processes_it_started() {
    // A terminal's Ctrl-C reaches the whole foreground process group.
    stops_cleanly(&Ws::new(SLOW), libc::SIGINT, true, 130, "SIGINT");
}

#[test]
fn kill_of_gosales_alone_stops_its_children_too() {
    // `kill <pid>` reaches gosales only; it must stop what it started itself.
    stops_cleanly(&Ws::new(SLOW), libc::SIGTERM, false, 143, "SIGTERM");
}

#[test]
fn json_reports_the_interruption() {
    let ws = Ws::new(SLOW);
    let (child, _) = start(&ws, &["run", "--json", "-j", "2"]);
    // SAFETY: as above.
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    let r = finish(child).code(129);
    let report = r.json();
    assert_eq!(report["status"], "interrupted (SIGHUP)");
    assert_eq!(with_status(&report, "failed"), ["slow"]);
    assert_eq!(with_status(&report, "skipped"), ["after"]);
}

#[test]
fn a_signal_while_waiting_for_the_workspace_lock_ends_the_wait_at_once() {
    let ws = Ws::new(SLOW);
    let (holder, _) = start(&ws, &["run", "-j", "2"]);
    let mut waiter = signals_as_from_a_terminal(&mut ws.cmd(&["run", "--json"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(waiter.try_wait().unwrap().is_none(), "the second run waits");
    // SAFETY: kill has no memory effects; both are our children, not yet reaped.
    unsafe { libc::kill(waiter.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while waiter.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "SIGTERM did not end the wait");
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(-(holder.id() as i32), libc::SIGINT) };
    finish(holder).code(130);
}

#[test]
fn a_run_started_under_nohup_ignores_the_hangup() {
    let ws = Ws::new(&SLOW.replace("sleep 60", "sleep 1"));
    let mut cmd = ws.cmd(&["run", "-j", "2"]);
    signals_as_from_a_terminal(&mut cmd);
    // SAFETY: signal() is async-signal-safe; it runs in the child between fork and exec (after
    // the hook above, so SIGHUP ends up ignored, as `nohup` leaves it).
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            Ok(())
        });
    }
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ws.path("sleeper.pid").exists() {
        assert!(Instant::now() < deadline, "`slow` never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: as above.
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    finish(child).ok();
    assert_eq!(ws.read("outputs/after.txt"), "a\nb\n");
}

#[test]
fn a_second_ctrl_c_quits_at_once_and_leaves_nothing_running() {
    // `slow` shrugs off the polite SIGTERM (its shell and sleeper ignore it), as a program busy
    // in a C library may: the first Ctrl-C would wait out the grace period for it.
    let ws = Ws::new(&SLOW.replace("cmd: sleep 60 &", "cmd: trap '' TERM; sleep 60 &"));
    let (child, sleeper) = start(&ws, &["run", "-j", "2"]);
    let group = -(child.id() as i32);
    // SAFETY: kill has no memory effects; the group is our child's, not yet reaped.
    unsafe { libc::kill(group, libc::SIGINT) };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        alive(sleeper),
        "the first Ctrl-C waits for the grace period"
    );
    unsafe { libc::kill(group, libc::SIGINT) };
    let started = Instant::now();
    let out = finish(child);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the second Ctrl-C ends gosales at once"
    );
    assert_eq!(
        out.code, -1,
        "gosales dies of the second signal: {}",
        out.stderr
    );
    while alive(sleeper) && started.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(sleeper), "the sleeper outlived gosales");
}

#[test]
fn a_closed_pipe_stops_the_run_as_a_hangup_does_and_records_it() {
    // `gosales run 2>&1 | head -3`, or quitting `less`: the reader is gone and the next progress
    // line meets a closed pipe. `tick` ends while `slow` sleeps, so that line comes mid-run.
    let manifest = SLOW.replace(
        "nodes:\n",
        "nodes:\n  tick:\n    cmd: until [ -f sleeper.pid ]; do sleep 0.05; done; sleep 0.5; echo > {out.0}\n    outputs: [\"outputs/tick.txt\"]\n",
    );
    let ws = Ws::new(&manifest);
    let (mut child, sleeper) = start(&ws, &["run", "-j", "3"]);
    drop(child.stderr.take());
    let r = finish(child).code(141);
    assert_eq!(r.stderr, "", "stderr was closed");
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(sleeper) {
        assert!(Instant::now() < deadline, "`slow` outlived the run");
        std::thread::sleep(Duration::from_millis(20));
    }
    let rec = last_run_record(&ws);
    assert_eq!(rec["status"], "interrupted (SIGPIPE)");
    assert_eq!(
        (rec["built"].as_u64(), rec["failed"].as_u64()),
        (Some(3), Some(1)),
        "quick@a, quick@b and tick built; slow stopped"
    );
    ws.run(&["audit"]).ok();

    ws.write("pipeline.yaml", &manifest.replace("sleep 60", "sleep 0"));
    let (report, _) = ws.run_json(&[]);
    assert_eq!(with_status(&report, "built"), ["after", "slow"]);
}

#[test]
fn after_a_kill_9_status_does_not_blame_a_failure_the_killed_run_rebuilt() {
    // `x` fails, then a run builds it and is killed (-9) while `slow` sleeps: the run never
    // ends, and `status` said "its last run failed" of `x` though its outputs were new.
    let ws = Ws::new(
        r#"version: 1
nodes:
  x:
    cmd: test -f go && echo ok > {out.0}
    outputs: ["outputs/x.txt"]
  slow:
    cmd: sleep 60 & echo $! > sleeper.pid; wait; echo done > {out.0}
    outputs: ["outputs/slow.txt"]
"#,
    );
    ws.run(&["run", "-t", "x"]).code(1);
    let out = ws.run(&["status"]).stdout;
    assert!(out.contains("its last run"), "{out}");
    ws.write("go", "");
    let (mut child, _) = start(&ws, &["run", "-j", "2"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ws.path("outputs/x.txt").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Published: the lock journal records it.
    let journal = || std::fs::read_to_string(ws.path("cache/lock.journal")).unwrap_or_default();
    while !journal().contains("\"x\"") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: kill has no memory effects; the group is our child's, not yet reaped.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    child.wait().unwrap();
    let out = ws.run(&["status"]).ok().stdout;
    let x = out.lines().find(|l| l.starts_with("x ")).unwrap();
    assert_eq!(
        x.split_whitespace().collect::<Vec<_>>(),
        ["x", "fresh"],
        "{out}"
    );
}
