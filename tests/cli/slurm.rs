//! The Slurm executor against a real single-node Slurm, started by `scripts/slurm-dev start`.
//! Skipped where Slurm is not installed, unless `GOSALES_REQUIRE_SLURM=1` (CI sets it), which
//! turns a missing or broken Slurm into a failure.

use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{signals_as_from_a_terminal, with_status, Ws};

fn slurm_up() -> bool {
    static UP: OnceLock<bool> = OnceLock::new();
    *UP.get_or_init(|| {
        let required = std::env::var_os("GOSALES_REQUIRE_SLURM").is_some_and(|v| v == "1");
        let installed = Command::new("sh")
            .args(["-c", "command -v sbatch && command -v slurmctld"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            assert!(
                !required,
                "GOSALES_REQUIRE_SLURM=1 but Slurm is not installed"
            );
            eprintln!("skipping: Slurm is not installed (scripts/slurm-dev install)");
            return false;
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/slurm-dev");
        let started = Command::new(script)
            .arg("start")
            .status()
            .is_ok_and(|s| s.success());
        assert!(started || !required, "scripts/slurm-dev start failed");
        started
    })
}

macro_rules! require_slurm {
    () => {
        if !slurm_up() {
            return;
        }
    };
}

const FANOUT: &str = r#"version: 1
vars:
  parts: ["a", "b", "c"]
executor:
  kind: slurm
  slurm: {cpus: 1, mem: 200M, time: "00:10:00"}
nodes:
  gen:
    cmd: echo "making {p}" >&2; printf '%s\n' {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/gen/{p}.txt"]
  all:
    cmd: cat {in.gen} > {out.0}
    needs: [gen]
    outputs: ["outputs/all.txt"]
"#;

/// The lock's record of every instance: (fingerprint, output hashes), without timestamps.
fn lock_records(ws: &Ws) -> Value {
    let lock: Value = serde_json::from_str(&ws.read("pipeline.lock")).unwrap();
    let mut out = serde_json::Map::new();
    for (id, e) in lock["instances"].as_object().expect("instances") {
        out.insert(
            id.clone(),
            serde_json::json!({"fingerprint": e["fingerprint"], "outputs": e["outputs"]}),
        );
    }
    Value::Object(out)
}

#[test]
fn a_slurm_run_records_what_a_local_run_records() {
    require_slurm!();
    let on_slurm = Ws::new(FANOUT);
    let (report, _) = on_slurm.run_json(&["-j", "2"]);
    assert_eq!(report["status"], "ok", "{report:#}");
    assert_eq!(with_status(&report, "built").len(), 4);
    // Slurm wrote each job's stderr to the instance log.
    assert!(on_slurm.read("cache/logs/gen@b.log").contains("making b"));
    assert_eq!(on_slurm.read("outputs/all.txt"), "a\nb\nc\n");

    let local = Ws::new(&FANOUT.replace("kind: slurm", "kind: local"));
    local.run(&["run"]).ok();
    assert_eq!(lock_records(&on_slurm), lock_records(&local));

    // Then everything behaves as locally: a no-op, fresh status, a clean audit.
    let (again, _) = on_slurm.run_json(&[]);
    assert_eq!(with_status(&again, "fresh").len(), 4, "{again:#}");
    on_slurm.run(&["status", "--check"]).ok();
    on_slurm.run(&["audit"]).ok();
    let dry = on_slurm.run(&["run", "--dry-run", "--force", "all"]).ok();
    assert!(dry.stdout.contains("would run all"), "{}", dry.stdout);
    // Nothing is left in flight.
    assert!(!on_slurm.path("cache/slurm.jobs").exists());
}

#[test]
fn a_failed_job_says_why_and_keep_going_goes_on() {
    require_slurm!();
    let ws = Ws::new(&FANOUT.replace(
        "printf '%s\\n' {p} > {out.0}",
        "printf '%s\\n' {p} > {out.0}; if [ {p} = b ]; then echo 'part b is broken' >&2; exit 3; fi",
    ));
    let (report, run) = ws.run_json(&["--keep-going"]);
    assert_eq!(run.code, 1);
    assert_eq!(with_status(&report, "built"), ["gen@a", "gen@c"]);
    assert_eq!(with_status(&report, "skipped"), ["all"]);
    let failed = &report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["instance"] == "gen@b")
        .unwrap();
    assert_eq!(failed["exit_code"], 3);
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with("exited with code 3: part b is broken"),
        "{error}"
    );
    // The job id, to take to `sacct`, at the end.
    assert!(
        error.contains(" (Slurm job ") && error.ends_with(')'),
        "{error}"
    );
    assert!(!ws.path("outputs/gen/b.txt").exists());
}

#[test]
fn requests_slurm_cannot_take_are_refused_before_anything_runs() {
    require_slurm!();
    let cases = [
        ("mem: 200M", "mem: 100000G", "mem=100000G"),
        (
            "cpus: 1",
            "cpus: 1, partition: no_such_partition",
            "partition",
        ),
    ];
    for (from, to, said) in cases {
        let ws = Ws::new(&FANOUT.replace(from, to));
        let r = ws.run(&["run"]).code(2);
        assert!(
            r.stderr
                .contains("Slurm refuses the jobs of every node without a request of its own")
                && r.stderr.contains(said),
            "{}",
            r.stderr
        );
        // The defaults' line (`slurm:`), not `kind:`'s: they are every node's request.
        assert!(
            r.stderr.contains("`executor.slurm` at pipeline.yaml:6"),
            "{}",
            r.stderr
        );
        assert!(!ws.path("outputs").exists() && !ws.path("pipeline.lock").exists());
    }
    // No sbatch on PATH.
    let ws = Ws::new(FANOUT);
    let out = ws
        .cmd(&["run"])
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs `sbatch` on PATH"));
    // `--executor local` overrides the manifest.
    ws.run(&["run", "--executor", "local"]).ok();
}

/// Starts `run` in the background and waits until Slurm runs the job named `name`.
#[allow(clippy::zombie_processes)] // the caller waits for the child
fn start_and_wait_running(ws: &Ws, name: &str) -> (std::process::Child, u64) {
    let child = signals_as_from_a_terminal(&mut ws.cmd(&["run", "-j", "2"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = Command::new("squeue")
            .args([
                "-h",
                "-t",
                "running",
                "-n",
                &format!("gosales:{name}"),
                "-o",
                "%i",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let ids: Vec<u64> = text.lines().filter_map(|l| l.trim().parse().ok()).collect();
        // Other tests' jobs share the name space: take the one this workspace submitted.
        let mine = std::fs::read_to_string(ws.path("cache/slurm.jobs")).unwrap_or_default();
        if let Some(id) = ids
            .into_iter()
            .find(|id| mine.lines().any(|l| l.starts_with(&format!("{id} "))))
        {
            return (child, id);
        }
        assert!(Instant::now() < deadline, "job {name} never ran");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn job_state(id: u64) -> String {
    let out = Command::new("scontrol")
        .args(["show", "job", "-o", &id.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|f| f.strip_prefix("JobState="))
        .unwrap_or("?")
        .to_string()
}

fn wait_state(id: u64, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while job_state(id) != want {
        assert!(
            Instant::now() < deadline,
            "job {id} is {}, not {want}",
            job_state(id)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

const SLOW: &str = r#"version: 1
vars:
  parts: ["a", "b"]
executor:
  kind: slurm
  slurm: {mem: 100M}
nodes:
  quick:
    cmd: echo {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/quick/{p}.txt"]
  slow:
    cmd: sleep 120; cat {in.quick} > {out.0}
    needs: [quick]
    outputs: ["outputs/slow.txt"]
"#;

#[test]
fn ctrl_c_cancels_the_jobs_and_the_next_run_redoes_only_what_did_not_finish() {
    require_slurm!();
    let ws = Ws::new(SLOW);
    let (child, id) = start_and_wait_running(&ws, "slow");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("interrupted (SIGINT): nothing new starts; stopping 1 running instance")
            && stderr.contains("slow: interrupted (SIGINT) before it finished"),
        "{stderr}"
    );
    wait_state(id, "CANCELLED");
    // The run is recorded, as a local one is.
    let log = ws.read("cache/runlog.jsonl");
    assert!(
        log.lines()
            .last()
            .unwrap()
            .contains(r#""status":"interrupted (SIGINT)""#),
        "{log}"
    );
    ws.run(&["audit"]).ok();

    ws.write("pipeline.yaml", &SLOW.replace("sleep 120", "sleep 0"));
    let (report, _) = ws.run_json(&[]);
    assert_eq!(with_status(&report, "fresh"), ["quick@a", "quick@b"]);
    assert_eq!(with_status(&report, "built"), ["slow"]);
}

#[test]
fn after_kill_9_the_next_run_cancels_the_orphaned_job() {
    require_slurm!();
    let ws = Ws::new(SLOW);
    let (mut child, id) = start_and_wait_running(&ws, "slow");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        job_state(id),
        "RUNNING",
        "the job outlives a kill -9 of its coordinator"
    );

    ws.write("pipeline.yaml", &SLOW.replace("sleep 120", "sleep 0"));
    let r = ws.run(&["run"]).ok();
    assert!(
        r.stderr.contains("cancelled 1 Slurm job(s) left in flight"),
        "{}",
        r.stderr
    );
    assert_eq!(job_state(id), "CANCELLED");
    assert_eq!(ws.read("outputs/slow.txt"), "a\nb\n");
}

#[test]
fn a_job_cancelled_by_someone_else_fails_as_cancelled() {
    require_slurm!();
    let ws = Ws::new(SLOW);
    let (child, id) = start_and_wait_running(&ws, "slow");
    Command::new("scancel")
        .arg(id.to_string())
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cancelled (Slurm job {id} is CANCELLED)")),
        "{stderr}"
    );
    assert!(!ws.path("outputs/slow.txt").exists());
}

#[test]
fn a_node_that_cannot_see_the_workspace_is_named_as_the_cause() {
    require_slurm!();
    // Jobs are submitted held; the test then hides the staging directory, as a node without
    // the shared filesystem would see it, and releases the job.
    let ws = Ws::new(&SLOW.replace("slurm: {mem: 100M}", "slurm: {mem: 100M, args: [--hold]}"));
    let mut child = ws
        .cmd(&["run", "--target", "quick@a"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let id: u64 = loop {
        let jobs = std::fs::read_to_string(ws.path("cache/slurm.jobs")).unwrap_or_default();
        // `submitting <instance>` before sbatch, `<id> <instance>` after.
        let listed = jobs
            .lines()
            .find_map(|l| l.split_whitespace().next().and_then(|s| s.parse().ok()));
        if let Some(id) = listed {
            break id;
        }
        assert!(Instant::now() < deadline, "no job submitted");
        std::thread::sleep(Duration::from_millis(50));
    };
    std::fs::rename(ws.path("cache/tmp"), ws.path("cache/hidden")).unwrap();
    Command::new("scontrol")
        .args(["release", &id.to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("filesystem every node shares"), "{stderr}");
}

#[test]
fn the_default_pipeline_on_slurm_is_byte_identical_to_a_local_run() {
    require_slurm!();
    let small = |ws: &Ws| {
        let root = env!("CARGO_MANIFEST_DIR");
        for entry in std::fs::read_dir(format!("{root}/stages")).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            ws.write(
                &format!("stages/{name}"),
                &std::fs::read_to_string(&p).unwrap(),
            );
        }
        // Small data and a one-point grid keep this to about a minute per run in a debug build.
        let source = ws
            .read("stages/source.yaml")
            .replace("customers: 5000", "customers: 400")
            .replace("replays: 200", "replays: 20");
        assert!(source.contains("customers: 400"));
        ws.write("stages/source.yaml", &source);
        let models = ws
            .read("stages/models.yaml")
            .replace("c: [0.1]", "c: [0.5]")
            .replace("l1_ratio: [0.0, 0.5]", "l1_ratio: [0.5]")
            .replace("num_leaves: [7, 15]", "num_leaves: [7]")
            .replace("max_iterations: 800", "max_iterations: 60");
        assert!(models.contains("num_leaves: [7]") && models.contains("max_iterations: 60"));
        ws.write("stages/models.yaml", &models);
    };
    // Three of the shipped cutoffs: what is compared is the executors, not the training data.
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/pipeline.yaml")).unwrap();
    let (head, rest) = shipped.split_once("  cutoffs: [").unwrap();
    let (_, tail) = rest.split_once(']').unwrap();
    let manifest = format!(r#"{head}  cutoffs: ["2023-06-30", "2023-12-31", "2024-06-30"]{tail}"#);
    assert!(manifest.contains(r#"cutoffs: ["2023-06-30", "2023-12-31", "2024-06-30"]"#));
    let local = Ws::new(&manifest);
    small(&local);
    let on_slurm = Ws::new(&manifest);
    small(&on_slurm);
    let (report, _) = local.run_json(&["-j", "2", "--target", "whitespace"]);
    assert_eq!(report["status"], "ok", "{report:#}");
    let (report, _) =
        on_slurm.run_json(&["-j", "2", "--executor", "slurm", "--target", "whitespace"]);
    assert_eq!(report["status"], "ok", "{report:#}");
    let records = lock_records(&on_slurm);
    assert!(records.as_object().unwrap().len() > 50);
    assert_eq!(records, lock_records(&local));
}

/// Puts a script named `program` in the workspace's `bin/`, for a run with [`with_wrappers`]
/// on PATH: `$REAL` in `body` is the real command.
fn wrap(ws: &Ws, program: &str, body: &str) {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .unwrap();
    let real = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(!real.is_empty(), "{program} is not on PATH");
    let path = ws.path(&format!("bin/{program}"));
    ws.write(
        &format!("bin/{program}"),
        &format!("#!/bin/sh\nREAL={real}\n{body}\n"),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `gosales ARGS` with the workspace's `bin/` first on PATH.
fn with_wrappers(ws: &Ws, args: &[&str]) -> Command {
    let mut c = ws.cmd(args);
    let path = std::env::var("PATH").unwrap_or_default();
    c.env("PATH", format!("{}:{path}", ws.path("bin").display()));
    c
}

fn output(c: &mut Command) -> (i32, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_requeued_job_starts_again_from_empty_outputs_and_its_wait_is_told() {
    require_slurm!();
    let ws = Ws::new(
        r#"version: 1
executor:
  kind: slurm
  slurm: {mem: 100M}
nodes:
  gen:
    cmd: echo start >> {out.0}; sleep 6; echo end >> {out.0}
    outputs: ["outputs/gen.txt"]
"#,
    );
    let (child, id) = start_and_wait_running(&ws, "gen");
    // Let the first attempt write `start`, then requeue it (as a node going DOWN would).
    std::thread::sleep(Duration::from_secs(2));
    let requeued = Command::new("scontrol")
        .args(["requeue", &id.to_string()])
        .status()
        .unwrap();
    assert!(requeued.success());
    wait_state(id, "PENDING");
    // Slurm holds a requeued job back (BeginTime) for about two minutes: let the run see
    // the wait, then start it now.
    std::thread::sleep(Duration::from_secs(2));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !Command::new("scontrol")
        .args(["update", &format!("jobid={id}"), "starttime=now"])
        .status()
        .unwrap()
        .success()
    {
        assert!(Instant::now() < deadline, "cannot start job {id} again");
        std::thread::sleep(Duration::from_millis(500));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(ws.read("outputs/gen.txt"), "start\nend\n");
    assert!(
        stderr.contains(&format!(
            "waiting: gen (Slurm job {id}) PENDING (BeginTime)"
        )),
        "{stderr}"
    );
    ws.run(&["audit"]).ok();
}

#[test]
fn a_warning_before_the_job_id_or_no_id_at_all_leaves_no_job_untracked() {
    require_slurm!();
    let ws = Ws::new(FANOUT);
    wrap(
        &ws,
        "sbatch",
        r#"echo "sbatch: warning: this is a warning line"; exec "$REAL" "$@""#,
    );
    let (code, stderr) = output(&mut with_wrappers(&ws, &["run", "-j", "2"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.read("outputs/all.txt"), "a\nb\nc\n");
    assert!(!ws.path("cache/slurm.jobs").exists());

    // An sbatch that submits and prints no id: the job is found by its name and script.
    let ws = Ws::new(FANOUT);
    wrap(
        &ws,
        "sbatch",
        r#"case "$*" in *--test-only*) exec "$REAL" "$@";; esac
"$REAL" "$@" >/dev/null || exit $?
echo "Submitted, somehow""#,
    );
    let (code, stderr) = output(&mut with_wrappers(&ws, &["run", "-j", "2"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.read("outputs/all.txt"), "a\nb\nc\n");
}

#[test]
fn a_failing_squeue_is_waited_out_and_scontrol_tells_how_jobs_ended() {
    require_slurm!();
    let ws = Ws::new(FANOUT);
    let unreachable = r#"echo "slurm_load_jobs error: Unable to contact slurm controller (connect failure)" >&2; exit 1"#;
    wrap(&ws, "squeue", unreachable);
    let (code, stderr) = output(&mut with_wrappers(&ws, &["run", "-j", "2"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.read("outputs/all.txt"), "a\nb\nc\n");
    assert!(!ws.path("cache/slurm.jobs").exists());

    // With scontrol and sacct failing too, a bounded wait gives up: the job is cancelled and
    // its id kept for the next run.
    let ws = Ws::new(
        r#"version: 1
executor:
  kind: slurm
  slurm: {mem: 100M}
nodes:
  long:
    cmd: sleep 60; echo done > {out.0}
    outputs: ["outputs/long.txt"]
"#,
    );
    wrap(&ws, "squeue", unreachable);
    wrap(&ws, "scontrol", unreachable);
    wrap(&ws, "sacct", unreachable);
    let (code, stderr) =
        output(with_wrappers(&ws, &["run"]).env("GOSALES_SLURM_UNREACHABLE_S", "3"));
    assert_eq!(code, 1, "{stderr}");
    let jobs = ws.read("cache/slurm.jobs");
    let id: u64 = jobs.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        stderr.contains(&format!(
            "lost track of Slurm job {id}: squeue has failed for"
        )),
        "{stderr}"
    );
    assert!(jobs.contains(" long"), "{jobs}");
    wait_state(id, "CANCELLED");
    // The next run, with Slurm answering, finds it ended and forgets it.
    ws.run(&["run", "--executor", "local"]).ok();
    assert!(!ws.path("cache/slurm.jobs").exists());
}

#[test]
fn an_unreachable_controller_is_retried_and_not_blamed_on_the_manifest() {
    require_slurm!();
    // Before anything runs: a few tries, then exit 7 naming the controller.
    let ws = Ws::new(FANOUT);
    wrap(
        &ws,
        "sbatch",
        r#"sleep 1; echo "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)" >&2; exit 1"#,
    );
    let started = Instant::now();
    let (code, stderr) = output(&mut with_wrappers(&ws, &["run"]));
    assert_eq!(code, 7, "{stderr}");
    assert!(stderr.contains("controller did not answer"), "{stderr}");
    assert!(!stderr.contains("change the request"), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(10));
    // The time it says is what the check took, each try's own wait included (15 s of pauses
    // and five tries of a second): it had said 15 s of a check that took 1 min 45 s.
    let said: u64 = stderr
        .split("5 tries over ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(said >= 20, "{stderr}");

    // One submission timing out is retried.
    let ws = Ws::new(FANOUT);
    let count = ws.path("sbatch.count");
    wrap(
        &ws,
        "sbatch",
        &format!(
            r#"case "$*" in *--test-only*) exec "$REAL" "$@";; esac
n=$(cat {c} 2>/dev/null || echo 0); echo $((n+1)) > {c}
if [ "$n" = 0 ]; then echo "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation" >&2; exit 1; fi
exec "$REAL" "$@""#,
            c = count.display()
        ),
    );
    let (code, stderr) = output(&mut with_wrappers(&ws, &["run", "-j", "1"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.read("outputs/all.txt"), "a\nb\nc\n");
    assert_eq!(ws.read("sbatch.count").trim(), "5");
}

#[test]
fn partition_values_that_sanitise_alike_keep_their_own_logs() {
    require_slurm!();
    let ws = Ws::new(
        r#"version: 1
vars:
  parts: ["a b", "a_b", "é", "ü"]
executor:
  kind: slurm
  slurm: {mem: 100M}
nodes:
  sp:
    cmd: echo log of {p}; echo {p} > {out.0}
    foreach: {p: $parts}
    outputs: ["outputs/sp/{p}.txt"]
"#,
    );
    for executor in ["slurm", "local"] {
        let (code, stderr) = output(&mut ws.cmd(&["run", "--force", "sp", "--executor", executor]));
        assert_eq!(code, 0, "{stderr}");
        let logs: Vec<String> = std::fs::read_dir(ws.path("cache/logs"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        for p in ["a b", "a_b", "é", "ü"] {
            assert!(
                logs.iter().any(|l| l.trim() == format!("log of {p}")),
                "{executor}: {logs:?}"
            );
        }
    }
}

#[test]
fn a_file_name_longer_than_the_file_system_takes_is_named_as_such() {
    let long = "x".repeat(260);
    let ws = Ws::new(&format!(
        r#"version: 1
vars:
  parts: ["{long}", "short"]
nodes:
  sp:
    cmd: echo {{p}} > {{out.0}}
    foreach: {{p: $parts}}
    outputs: ["outputs/sp/{{p}}.txt"]
"#
    ));
    let r = ws.run(&["run"]).code(3);
    assert!(r.stderr.contains("at most 255 bytes"), "{}", r.stderr);
    // Pointed at the output's declaration (line 8), not the node's `cmd:` (line 6).
    assert!(r.stderr.contains("[pipeline.yaml:8:"), "{}", r.stderr);
    // 200 bytes fit, staged or not, on either executor.
    let ws = Ws::new(&format!(
        r#"version: 1
vars:
  parts: ["{}"]
nodes:
  sp:
    cmd: echo {{p}} > {{out.0}}
    foreach: {{p: $parts}}
    outputs: ["outputs/sp/{{p}}.txt"]
"#,
        "y".repeat(200)
    ));
    ws.run(&["run"]).ok();
    if slurm_up() {
        ws.run(&["run", "--force", "sp", "--executor", "slurm"])
            .ok();
    }
}

#[test]
fn a_closed_pipe_cancels_the_jobs_as_ctrl_c_does() {
    require_slurm!();
    // `gosales run 2>&1 | head`: once the reader is gone, the next progress line (`tick`'s,
    // released by the test) stops the run; dying of SIGPIPE instead left `slow` queued.
    let manifest = SLOW.replace(
        "nodes:\n",
        "nodes:\n  tick:\n    cmd: until [ -f go ]; do sleep 0.1; done; echo > {out.0}\n    outputs: [\"outputs/tick.txt\"]\n",
    );
    let ws = Ws::new(&manifest);
    let (mut child, id) = start_and_wait_running(&ws, "slow");
    drop(child.stderr.take());
    ws.write("go", "");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141));
    wait_state(id, "CANCELLED");
    let log = ws.read("cache/runlog.jsonl");
    assert!(
        log.lines()
            .last()
            .unwrap()
            .contains(r#""status":"interrupted (SIGPIPE)""#),
        "{log}"
    );
}
