//! gosales-engine as another program would use it: through its public API only (this file is
//! outside the crate), with a catalog of no stages and `cmd` nodes over partitions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gosales_engine::interrupt::Interrupt;
use gosales_engine::report::Recorder;
use gosales_engine::scheduler::{RunOptions, RunReport, Status};
use gosales_engine::session::Session;
use gosales_engine::slurm::ExecutorKind;
use gosales_engine::{Error, NoStages};

/// Per region: the first line of its file; then one summary over every region.
const MANIFEST: &str = "vars:
  regions: [north, south]
nodes:
  head:
    cmd: head -n 1 {in.0} > {out.0}
    foreach: {region: $regions}
    inputs: ['data/{region}.txt']
    outputs: ['outputs/head/{region}.txt']
  summary:
    cmd: cat outputs/head/north.txt outputs/head/south.txt | sort > {out.0}
    needs: [head]
    outputs: [outputs/summary.txt]
";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace holding [`MANIFEST`] and each region's file.
fn regions(north: &str, south: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pipeline.yaml", MANIFEST);
    write(dir.path(), "data/north.txt", north);
    write(dir.path(), "data/south.txt", south);
    dir
}

/// Two jobs here, stopped only when `interrupt` is requested.
fn options(interrupt: Interrupt) -> RunOptions {
    RunOptions {
        jobs: 2,
        keep_going: false,
        forced: BTreeSet::new(),
        command: "library test".into(),
        executor: ExecutorKind::Local,
        interrupt,
    }
}

fn build(root: &Path, targets: &[&str]) -> Result<(RunReport, Vec<String>), Error> {
    let s = Session::load(&root.join("pipeline.yaml"), &NoStages)?;
    let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
    let selection = gosales_engine::select::select(&s.graph, &targets, false)?;
    let opts = options(Interrupt::new());
    let mut rec = Recorder::default();
    let report = s.build(PathBuf::from("/bin/false"), &selection, &opts, &mut rec)?;
    Ok((report, rec.lines))
}

fn statuses(r: &RunReport) -> Vec<(String, Status)> {
    r.results
        .iter()
        .map(|x| (x.instance.clone(), x.status))
        .collect()
}

fn pairs(v: &[(&str, Status)]) -> Vec<(String, Status)> {
    v.iter().map(|(i, s)| (i.to_string(), *s)).collect()
}

#[test]
fn a_front_end_builds_only_what_is_stale_and_the_audit_proves_it() {
    let dir = regions("oslo\nbergen\n", "rome\nnaples\n");
    let root = dir.path();

    let (first, events) = build(root, &[]).unwrap();
    assert!(first.ok());
    assert_eq!(first.count(Status::Built), 3);
    assert_eq!(events.first().map(String::as_str), Some("planned 3"));
    let summary = || std::fs::read_to_string(root.join("outputs/summary.txt")).unwrap();
    assert_eq!(summary(), "oslo\nrome\n");

    // Nothing changed: nothing runs.
    let (second, _) = build(root, &[]).unwrap();
    assert_eq!(second.count(Status::Fresh), 3);

    // A line below the first changes one partition's input but not its output: that instance
    // reruns, and the summary is not run (early cutoff).
    write(root, "data/south.txt", "rome\nturin\n");
    let (third, _) = build(root, &[]).unwrap();
    assert_eq!(
        statuses(&third),
        pairs(&[
            ("head@north", Status::Fresh),
            ("head@south", Status::Built),
            ("summary", Status::Unchanged),
        ])
    );

    // A target builds it and its upstream only.
    write(root, "data/north.txt", "alta\n");
    let (fourth, _) = build(root, &["head@north"]).unwrap();
    assert_eq!(statuses(&fourth), pairs(&[("head@north", Status::Built)]));
    let (fifth, _) = build(root, &[]).unwrap();
    assert_eq!(fifth.count(Status::Built), 1, "the summary was left stale");
    assert_eq!(summary(), "alta\nrome\n");

    // Every run is in the hash-chained log; the audit re-hashes every output and passes.
    let s = Session::load(&root.join("pipeline.yaml"), &NoStages).unwrap();
    let audit = gosales_engine::audit::audit(&s.ws).unwrap();
    assert!(audit.problems.is_empty(), "{:?}", audit.problems);
    assert_eq!(audit.outputs_checked, 3);
}

#[test]
fn a_failing_command_keeps_earlier_outputs_and_says_which() {
    let dir = regions("oslo\n", "rome\n");
    let root = dir.path();
    assert!(build(root, &[]).unwrap().0.ok());

    // The summary's command now fails: the run reports it, the earlier summary stays.
    let broken = MANIFEST.replace("| sort >", "| sort && false >");
    write(root, "pipeline.yaml", &broken);
    write(root, "data/north.txt", "alta\n");
    let (report, _) = build(root, &[]).unwrap();
    assert!(!report.ok());
    assert_eq!(
        statuses(&report),
        pairs(&[
            ("head@north", Status::Built),
            ("head@south", Status::Fresh),
            ("summary", Status::Failed),
        ])
    );
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/summary.txt")).unwrap(),
        "oslo\nrome\n"
    );
}

#[test]
fn errors_are_data_a_front_end_can_word_its_own_way() {
    let dir = regions("oslo\n", "rome\n");
    let root = dir.path();
    // An unknown target names what exists.
    let err = build(root, &["heads"]).unwrap_err().to_string();
    assert!(err.contains("heads") && err.contains("head"), "{err}");
    // A stage the catalog does not offer is refused at load, typed, with its place in the
    // manifest (`file:line:column`) for the front end to show.
    write(root, "pipeline.yaml", "nodes:\n  x:\n    stage: train\n");
    match build(root, &[]) {
        Err(Error::Manifest(m)) => {
            assert!(m.message.contains("train"), "{}", m.message);
            assert!(m.location.ends_with("pipeline.yaml:3:12"), "{}", m.location);
        }
        other => panic!(
            "expected a manifest error, got {:?}",
            other.map(|r| r.0.ok())
        ),
    }
}

/// A report rendered as a terminal shows it, without colour.
fn render(d: &dyn gosales_engine::miette::Diagnostic) -> String {
    use gosales_engine::miette::{GraphicalReportHandler, GraphicalTheme};
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(200)
        .render_report(&mut out, d)
        .unwrap();
    out
}

#[test]
fn an_engine_error_is_a_miette_diagnostic_that_shows_where_in_the_manifest() {
    let dir = regions("oslo\n", "rome\n");
    let root = dir.path();
    write(root, "pipeline.yaml", "nodes:\n  x:\n    stage: train\n");
    // What a `fn main() -> miette::Result<()>` does with `?`, through the re-exported miette.
    fn load(root: &Path) -> gosales_engine::miette::Result<Session<'static>> {
        Ok(Session::load(&root.join("pipeline.yaml"), &NoStages)?)
    }
    let report = load(root).err().expect("a manifest error");
    let shown = render(report.as_ref());
    for part in [
        "gosales::manifest",
        "unknown stage `train`",
        "pipeline.yaml:3:12",
        "stage: train",
        "not a built-in stage",
    ] {
        assert!(shown.contains(part), "no `{part}` in:\n{shown}");
    }
    // An unknown target's suggestion is its help.
    write(root, "pipeline.yaml", MANIFEST);
    let err = build(root, &["heads"]).unwrap_err();
    let shown = render(&err);
    assert!(shown.contains("did you mean `head`?"), "{shown}");
}

#[test]
fn a_build_waiting_for_another_runs_lock_says_so_and_stops_when_interrupted() {
    use gosales_engine::workspace::{RunLock, Workspace};
    let dir = regions("oslo\n", "rome\n");
    let root = dir.path();
    let s = Session::load(&root.join("pipeline.yaml"), &NoStages).unwrap();
    let selection = gosales_engine::select::select(&s.graph, &[], false).unwrap();
    let other = RunLock::acquire(&Workspace::new(root), false, "the other run", |_| {}).unwrap();
    let interrupt = Interrupt::new();
    let opts = options(interrupt.clone());
    let mut rec = Recorder::default();
    let started = std::time::Instant::now();
    let (report, waited) = std::thread::scope(|scope| {
        scope.spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            interrupt.request(libc::SIGINT);
            // Released late, so that a wait deaf to the interrupt still ends (and fails).
            std::thread::sleep(std::time::Duration::from_secs(4));
            drop(other);
        });
        let r = s.build(PathBuf::from("/bin/false"), &selection, &opts, &mut rec);
        (r.unwrap(), started.elapsed())
    });
    assert!(
        waited < std::time::Duration::from_secs(3),
        "waited {waited:?} with the interrupt requested after 300 ms"
    );
    assert_eq!(report.interrupted, Some(libc::SIGINT));
    assert!(!report.ok() && report.results.is_empty());
    assert!(
        rec.lines[0].starts_with("waiting for pid ") && rec.lines[0].ends_with("the other run"),
        "{:?}",
        rec.lines
    );
    assert_eq!(
        rec.lines[1..],
        ["interrupted SIGINT (0 running)", "finished"]
    );
    assert!(!root.join("outputs").exists(), "nothing runs");
    // Once the other run is gone, a build takes the lock.
    let (report, _) = build(root, &[]).unwrap();
    assert!(report.ok());
}

#[test]
fn a_selection_built_by_hand_is_checked_and_counts_each_instance_once() {
    use gosales_engine::hashcache::HashCache;
    let dir = regions("oslo\n", "rome\n");
    let root = dir.path();
    let s = Session::load(&root.join("pipeline.yaml"), &NoStages).unwrap();
    let all = gosales_engine::select::select(&s.graph, &[], false).unwrap();
    let opts = options(Interrupt::new());
    let exe = || PathBuf::from("/bin/false");
    // An index past the graph is an error, before anything runs or plans.
    let bad = [all[0], 99];
    let lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    match s.planner(&lock, &mut cache).plan(&bad, &BTreeSet::new()) {
        Err(Error::UnknownTarget { message, .. }) => assert!(message.contains("99"), "{message}"),
        other => panic!(
            "expected an unknown target, got {:?}",
            other.map(|v| v.len())
        ),
    }
    match s.build(exe(), &bad, &opts, &mut Recorder::default()) {
        Err(Error::UnknownTarget { message, .. }) => assert_eq!(
            message,
            "instance index 99 is out of range: the graph has 3 instances"
        ),
        other => panic!(
            "expected an unknown target, got {:?}",
            other.map(|r| r.ok())
        ),
    }
    assert!(!root.join("outputs").exists());
    // Each instance given twice runs, and is counted, once.
    let twice: Vec<usize> = all.iter().flat_map(|&i| [i, i]).collect();
    let mut rec = Recorder::default();
    let report = s.build(exe(), &twice, &opts, &mut rec).unwrap();
    assert!(report.ok());
    assert_eq!(report.results.len(), 3);
    assert_eq!(report.count(Status::Built), 3);
    assert_eq!(rec.lines[0], "planned 3");
    assert_eq!(
        rec.lines.iter().filter(|l| l.starts_with("built")).count(),
        3
    );
    let verdicts = s
        .planner(&s.lock().unwrap(), &mut HashCache::load(&s.ws))
        .plan(&twice, &BTreeSet::new())
        .unwrap();
    assert_eq!(verdicts.len(), 3);
}

#[test]
fn a_worker_that_panicked_is_reported_by_its_panic_not_its_backtrace_note() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // What a Rust worker run with RUST_BACKTRACE=1 leaves in its log when it panics.
    write(
        root,
        "worker.sh",
        "echo 'reading sales.csv'
echo \"thread 'main' panicked at src/stages.rs:42:9:\" >&2
echo 'division West has no rows' >&2
echo 'stack backtrace:' >&2
echo '   0: tally::stages::run' >&2
echo 'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.' >&2
exit 101
",
    );
    write(
        root,
        "pipeline.yaml",
        "nodes:\n  w:\n    cmd: sh worker.sh && touch {out.0}\n    outputs: [outputs/w.txt]\n",
    );
    let (report, _) = build(root, &[]).unwrap();
    assert_eq!(
        report.results[0].error.as_deref(),
        Some("exited with code 101: thread 'main' panicked at src/stages.rs:42:9: division West has no rows")
    );
}

#[test]
fn a_run_leaves_no_cores_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `quick` ends first, so its core is lent to `slow` through `slow`'s cores file.
    write(
        root,
        "pipeline.yaml",
        "nodes:
  quick:
    cmd: echo q > {out.0}
    outputs: [outputs/quick.txt]
  slow:
    cmd: sleep 0.5; cat \"$GOSALES_CORES_FILE\" > {out.0}
    outputs: [outputs/slow.txt]
",
    );
    let (report, _) = build(root, &[]).unwrap();
    assert!(report.ok());
    // The lending happened, so there was a file to clean up.
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/slow.txt")).unwrap(),
        "2\n"
    );
    let left: Vec<_> = walkdir(&root.join("cache/tmp"));
    assert!(left.is_empty(), "left in cache/tmp: {left:?}");
}

/// Every file under `dir`.
fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn run_options_start_from_new_and_show_with_debug_and_a_status_displays_as_its_word() {
    let opts = RunOptions {
        keep_going: true,
        ..RunOptions::new("tally build")
    };
    assert!(opts.jobs >= 1);
    assert_eq!(opts.command, "tally build");
    assert_eq!(opts.executor, ExecutorKind::Local);
    assert!(opts.forced.is_empty() && opts.interrupt.requested().is_none());
    let shown = format!("{opts:?}");
    assert!(shown.contains("keep_going: true"), "{shown}");
    assert_eq!(RunOptions::default().command, "");
    for s in [
        Status::Fresh,
        Status::Unchanged,
        Status::Built,
        Status::Failed,
        Status::Skipped,
    ] {
        assert_eq!(s.to_string(), gosales_engine::report::status_word(s));
    }
    assert_eq!(format!("{:<7}|", Status::Built), "built  |");
}

#[test]
fn a_front_end_can_stop_a_run_and_a_child_deaf_to_sigterm_is_killed_after_the_grace() {
    // `stubborn` ignores SIGTERM (and so does its sleep); `quick` finishes first.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pipeline.yaml",
        "nodes:
  quick:
    cmd: echo done > {out.0}
    outputs: [outputs/quick.txt]
  stubborn:
    cmd: trap '' TERM; touch started; sleep 60; echo never > {out.0}
    outputs: [outputs/stubborn.txt]
  after:
    cmd: cat {in.stubborn} > {out.0}
    needs: [stubborn]
    outputs: [outputs/after.txt]
",
    );
    let s = Session::load(&root.join("pipeline.yaml"), &NoStages).unwrap();
    let interrupt = Interrupt::new();
    let opts = options(interrupt.clone());
    // A cancel button elsewhere: pressed once the stubborn instance runs.
    let started = root.join("started");
    let asker = std::thread::spawn(move || {
        while !started.exists() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        interrupt.request(libc::SIGINT);
    });
    let t0 = std::time::Instant::now();
    let mut rec = Recorder::default();
    let report = s
        .build(PathBuf::from("/bin/false"), &s.graph.order, &opts, &mut rec)
        .unwrap();
    asker.join().unwrap();
    let took = t0.elapsed();
    assert!(
        took >= gosales_engine::interrupt::GRACE && took < std::time::Duration::from_secs(30),
        "killed after the grace, not at once nor never: {took:?}"
    );
    assert_eq!(report.interrupted, Some(libc::SIGINT));
    assert!(!report.ok());
    let stubborn = report
        .results
        .iter()
        .find(|r| r.instance == "stubborn")
        .unwrap();
    assert_eq!(stubborn.status, Status::Failed);
    assert!(
        stubborn
            .error
            .as_deref()
            .unwrap()
            .starts_with("interrupted (SIGINT) before it finished"),
        "{:?}",
        stubborn.error
    );
    let after = report
        .results
        .iter()
        .find(|r| r.instance == "after")
        .unwrap();
    assert_eq!(after.status, Status::Skipped);
    assert!(rec
        .lines
        .iter()
        .any(|l| l.starts_with("interrupted SIGINT")));
    // The run is recorded as interrupted, and what finished is proven by the audit.
    let log = std::fs::read_to_string(root.join("cache/runlog.jsonl")).unwrap();
    assert!(log
        .lines()
        .last()
        .unwrap()
        .contains(r#""status":"interrupted (SIGINT)""#));
    let audit = gosales_engine::audit::audit(&s.ws).unwrap();
    assert!(audit.problems.is_empty(), "{:?}", audit.problems);
}

/// Whether `pid` is gone (or a zombie no one has reaped yet: it runs no more).
fn gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn a_coordinator_killed_with_sigkill_takes_the_commands_own_children_with_it() {
    // Run again as the coordinator (the test binary, with this test only), which is killed.
    if let Some(root) = std::env::var_os("GOSALES_TEST_COORDINATOR") {
        let _ = build(Path::new(&root), &[]);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pipeline.yaml",
        "nodes:
  n:
    cmd: 'sleep 60 & echo $! > grandchild.tmp; mv grandchild.tmp grandchild.pid; wait'
    outputs: [outputs/n.txt]
",
    );
    let mut coordinator = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_coordinator_killed_with_sigkill_takes_the_commands_own_children_with_it",
            "--test-threads=1",
        ])
        .env("GOSALES_TEST_COORDINATOR", root)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid_file = root.join("grandchild.pid");
    let t0 = std::time::Instant::now();
    while !pid_file.exists() {
        assert!(t0.elapsed().as_secs() < 30, "the command never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sleeper: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    coordinator.kill().unwrap();
    coordinator.wait().unwrap();
    let t0 = std::time::Instant::now();
    while !gone(sleeper) && t0.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let survived = !gone(sleeper);
    if survived {
        // SAFETY: kill has no memory effects; the pid is the sleep this test started.
        unsafe { libc::kill(sleeper, libc::SIGKILL) };
    }
    assert!(
        !survived,
        "the command's `sleep 60` outlived its killed coordinator"
    );
}

/// One stage, `s`, at code version `s-v1`, whose workers report the code they ran.
struct Reporting;

impl gosales_engine::StageCatalog for Reporting {
    fn names(&self) -> Vec<String> {
        vec!["s".into()]
    }
    fn code_version(&self, stage: &str) -> Option<String> {
        (stage == "s").then(|| "s-v1".into())
    }
    fn check_params(&self, _: &str, _: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }
    fn workers_report_code(&self) -> bool {
        true
    }
}

#[test]
fn outputs_are_credited_only_to_the_code_the_worker_says_it_ran() {
    // The worker is a script that writes its report with the code version it is given: the
    // run's own, another build's, or none (a worker older than the report field).
    for (ran, credited) in [(Some("s-v1"), true), (Some("s-v0"), false), (None, false)] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "pipeline.yaml", "nodes:\n  a:\n    stage: s\n");
        let field = ran.map_or(String::new(), |c| format!(", \"code_version\": \"{c}\""));
        write(
            dir.path(),
            "worker.sh",
            &format!(
                "#!/bin/sh\nreport=$(sed -n 's/^  \"report\": \"\\(.*\\)\".*/\\1/p' \"$2\")\necho '{{\"warnings\": []{field}}}' > \"$report\"\n"
            ),
        );
        let exe = dir.path().join("worker.sh");
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let s = Session::load(&dir.path().join("pipeline.yaml"), &Reporting).unwrap();
        let selection = gosales_engine::select::select(&s.graph, &[], false).unwrap();
        let mut rec = Recorder::default();
        let report = s
            .build(exe, &selection, &options(Interrupt::new()), &mut rec)
            .unwrap();
        let r = &report.results[0];
        if credited {
            assert_eq!(r.status, Status::Built, "{r:?}");
        } else {
            assert_eq!(r.status, Status::Failed, "{r:?}");
            let e = r.error.as_deref().unwrap_or_default();
            assert!(
                e.contains("stage `s` ran other code than the run fingerprinted"),
                "{e}"
            );
            assert!(
                !dir.path().join("pipeline.lock").exists()
                    || !std::fs::read_to_string(dir.path().join("pipeline.lock"))
                        .unwrap()
                        .contains("\"a\"")
            );
        }
    }
}

/// One stage, `s`, whose outputs are all files, even one named `dir`.
struct Files;

impl gosales_engine::StageCatalog for Files {
    fn names(&self) -> Vec<String> {
        vec!["s".into()]
    }
    fn code_version(&self, stage: &str) -> Option<String> {
        (stage == "s").then(|| "s-v1".into())
    }
    fn check_params(&self, _: &str, _: &serde_json::Value) -> Result<(), String> {
        Ok(())
    }
    fn output_is_dir(&self, _: &str, _: &str) -> bool {
        false
    }
}

#[test]
fn a_catalog_says_which_outputs_are_directories_and_a_missing_one_is_explained_for_a_stage() {
    // The worker writes its report and, unless told not to, the text file its job gives for
    // the output `dir` (the job file is pretty JSON: the path is the line after `"dir",`).
    for writes in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "pipeline.yaml",
            "nodes:\n  a:\n    stage: s\n    outputs: {dir: outputs/dir.txt}\n",
        );
        let out = if writes {
            "out=$(awk '/\"dir\",$/ {getline; gsub(/^ *\"|\",?$/, \"\"); print}' \"$2\")\necho hello > \"$out\"\n"
        } else {
            ""
        };
        write(
            dir.path(),
            "worker.sh",
            &format!(
                "#!/bin/sh\nreport=$(sed -n 's/^  \"report\": \"\\(.*\\)\".*/\\1/p' \"$2\")\n{out}echo '{{\"warnings\": []}}' > \"$report\"\n"
            ),
        );
        let exe = dir.path().join("worker.sh");
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let s = Session::load(&dir.path().join("pipeline.yaml"), &Files).unwrap();
        let selection = gosales_engine::select::select(&s.graph, &[], false).unwrap();
        let report = s
            .build(
                exe,
                &selection,
                &options(Interrupt::new()),
                &mut Recorder::default(),
            )
            .unwrap();
        let r = &report.results[0];
        if writes {
            // Before `output_is_dir`, every output named `dir` was made a directory first,
            // and the worker's write failed with "Is a directory".
            assert_eq!(r.status, Status::Built, "{r:?}");
            let text = std::fs::read_to_string(dir.path().join("outputs/dir.txt")).unwrap();
            assert_eq!(text, "hello\n");
        } else {
            assert_eq!(r.status, Status::Failed, "{r:?}");
            let e = r.error.as_deref().unwrap_or_default();
            // A stage has no `{out...}` placeholder: the advice names the job's path.
            assert!(e.contains("StageJob::output"), "{e}");
            assert!(!e.contains("placeholder"), "{e}");
        }
    }
}
