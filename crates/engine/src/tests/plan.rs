//! Planning and running through the real scheduler, with `cmd` nodes: what is stale and why,
//! what a run reports, and early cutoff.

use std::collections::BTreeSet;
use std::path::Path;

use super::session;
use crate::fingerprint::StaleReason;
use crate::hashcache::HashCache;
use crate::report::Recorder;
use crate::runlog::RunLog;
use crate::scheduler::{self, RunOptions, State, Status};
use crate::session::Session;
use crate::slurm::ExecutorKind;

/// `a` keeps the first byte of the input; `b` upper-cases `a`'s output.
const M: &str = "nodes:
  a:
    cmd: head -c 1 {in.src} > {out.0}
    inputs: {src: data/in.txt}
    outputs: [outputs/a.txt]
  b:
    cmd: tr a-z A-Z < {in.a} > {out.0}
    needs: [a]
    outputs: [outputs/b.txt]
";

fn run(s: &Session) -> (Vec<String>, Vec<(String, Status)>) {
    run_on(s, 2)
}

/// Runs the whole graph locally on `jobs` slots: the reporter's lines and each result's status.
fn run_on(s: &Session, jobs: usize) -> (Vec<String>, Vec<(String, Status)>) {
    run_selection(s, &s.graph.order, jobs)
}

/// Runs `selection` alone (as `exec` does when it names one instance).
fn run_selection(
    s: &Session,
    selection: &[usize],
    jobs: usize,
) -> (Vec<String>, Vec<(String, Status)>) {
    let mut lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    let mut runlog = RunLog::open(&s.ws).unwrap();
    let opts = RunOptions {
        jobs,
        keep_going: false,
        forced: BTreeSet::new(),
        command: "test".into(),
        executor: ExecutorKind::Local,
        interrupt: Default::default(),
    };
    let mut rec = Recorder::default();
    let engine = s.engine("/bin/false".into());
    let state = State {
        lock: &mut lock,
        cache: &mut cache,
        runlog: &mut runlog,
    };
    let report = scheduler::run(&engine, selection, &opts, state, &mut rec).unwrap();
    lock.save(&s.ws).unwrap();
    let statuses = report
        .results
        .iter()
        .map(|r| (r.instance.clone(), r.status))
        .collect();
    (rec.lines, statuses)
}

/// (instance, first stale reason) for every stale instance.
fn stale(s: &Session) -> Vec<(String, String)> {
    let lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    let plan = s
        .planner(&lock, &mut cache)
        .plan(&s.graph.order, &BTreeSet::new())
        .unwrap();
    plan.into_iter()
        .filter(|(_, v)| !v.is_fresh())
        .map(|(i, v)| {
            let why = match &v.reasons[0] {
                StaleReason::NeverBuilt => "never-built".to_string(),
                StaleReason::InputChanged { path, .. } => format!("input {path}"),
                other => serde_json::to_value(other).unwrap()["reason"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            };
            (s.graph.instances[i].id.clone(), why)
        })
        .collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn a_run_builds_what_is_stale_reports_it_and_cuts_off_early() {
    let (dir, s) = session(M);
    let root = dir.path();
    write(root, "data/in.txt", "hello");
    let pair = |a: &str, b: &str| vec![("a".to_string(), a.to_string()), ("b".into(), b.into())];
    assert_eq!(stale(&s), pair("never-built", "never-built"));

    let (events, results) = run(&s);
    assert_eq!(
        events,
        // `a` runs alone on two slots, so it may use both cores; so may `b`.
        [
            "planned 2",
            "started a (2 cores)",
            "built a 1/2",
            "started b (2 cores)",
            "built b 2/2",
            "finished"
        ]
    );
    assert_eq!(
        results,
        [("a".into(), Status::Built), ("b".into(), Status::Built)]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/b.txt")).unwrap(),
        "H"
    );
    assert!(stale(&s).is_empty(), "a second plan finds nothing to do");

    // Each change, the plan's verdict, and what the run then does.
    // (new input, the plan's verdicts, the run's statuses)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(&'a str, Status)]);
    let cases: &[Case] = &[
        // Same first byte: `a` reruns, its output is identical, `b` is not run.
        (
            "help",
            &[("a", "input data/in.txt"), ("b", "upstream-stale")],
            &[("a", Status::Built), ("b", Status::Unchanged)],
        ),
        // A new first byte reaches `b`.
        (
            "jelly",
            &[("a", "input data/in.txt"), ("b", "upstream-stale")],
            &[("a", Status::Built), ("b", Status::Built)],
        ),
    ];
    for (text, verdicts, statuses) in cases {
        write(root, "data/in.txt", text);
        let want: Vec<(String, String)> = verdicts
            .iter()
            .map(|(i, w)| (i.to_string(), w.to_string()))
            .collect();
        assert_eq!(stale(&s), want, "after writing {text:?}");
        let (_, results) = run(&s);
        let want: Vec<(String, Status)> = statuses
            .iter()
            .map(|(i, st)| (i.to_string(), *st))
            .collect();
        assert_eq!(results, want, "after writing {text:?}");
        assert!(stale(&s).is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/b.txt")).unwrap(),
        "J"
    );

    // Every run is in the chained log, typed; the audit re-hashes the outputs and passes.
    let report = crate::audit::audit(&s.ws).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let runs = report
        .records
        .iter()
        .filter(|(_, _, e)| matches!(e, crate::entry::Entry::Run(_)))
        .count();
    assert_eq!(runs, 3);
}

#[test]
fn a_command_reruns_only_when_the_outputs_it_reads_change() {
    // `up` writes three outputs; only `a.txt` and `d/two.txt` follow the input.
    let (dir, s) = session(
        "nodes:
  up:
    cmd: cp {in.src} {out.a} && echo fixed > {out.b} && mkdir -p {out.d} && echo x > {out.d}/one.txt && cp {in.src} {out.d}/two.txt
    inputs: {src: data/in.txt}
    outputs: {a: outputs/a.txt, b: outputs/b.txt, d: outputs/d}
  reads_b:
    cmd: cp {in.b} {out.0}
    inputs: {b: outputs/b.txt}
    outputs: [outputs/rb.txt]
  reads_one:
    cmd: cp {in.one} {out.0}
    inputs: {one: outputs/d/one.txt}
    outputs: [outputs/r1.txt]
  reads_a:
    cmd: cp {in.a} {out.0}
    inputs: {a: outputs/a.txt}
    outputs: [outputs/ra.txt]
  needs_it:
    cmd: cp {in.b} {out.0}
    inputs: {b: outputs/b.txt}
    needs: [up]
    outputs: [outputs/rq.txt]
  globs:
    cmd: cat outputs/d/*.txt > {out.0}
    inputs: {one: outputs/d/one.txt}
    outputs: [outputs/rg.txt]
  literal:
    cmd: cat {in.b} outputs/a.txt > {out.0}
    inputs: {b: outputs/b.txt}
    outputs: [outputs/rl.txt]
",
    );
    let root = dir.path();
    write(root, "data/in.txt", "one");
    let (_, results) = run(&s);
    assert!(
        results.iter().all(|(_, st)| *st == Status::Built),
        "{results:?}"
    );

    write(root, "data/in.txt", "two");
    let (_, results) = run(&s);
    let status = |id: &str| results.iter().find(|(i, _)| i == id).map(|(_, st)| *st);
    assert_eq!(status("up"), Some(Status::Built));
    // Neither file they read changed: not run (they reran on any output of `up` before).
    assert_eq!(status("reads_b"), Some(Status::Unchanged));
    assert_eq!(status("reads_one"), Some(Status::Unchanged));
    assert_eq!(status("reads_a"), Some(Status::Built));
    // A command naming an undeclared path beside the outputs it declares reads them whole.
    assert_eq!(status("globs"), Some(Status::Built));
    assert_eq!(status("literal"), Some(Status::Built));
    // `needs` gives the command every output (`{in.up}`): read whole.
    assert_eq!(status("needs_it"), Some(Status::Built));
    assert!(stale(&s).is_empty());
    let report = crate::audit::audit(&s.ws).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn idle_slots_are_shared_as_cores_among_what_is_ready() {
    // Three independent instances then one that needs them, on 4 slots: the three share the
    // four cores (2, 1, 1); the last runs alone with all four.
    let (dir, s) = session(
        "nodes:
  w:
    cmd: echo {i} > {out.0}
    foreach: {i: [x, y, z]}
    outputs: ['outputs/{i}.txt']
  join:
    cmd: cat {in.w} > {out.0}
    needs: [w]
    outputs: [outputs/all.txt]
",
    );
    let (lines, _) = run_on(&s, 4);
    let started: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("started"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        started,
        [
            "started w@x (2 cores)",
            "started w@y",
            "started w@z",
            "started join (4 cores)"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("outputs/all.txt")).unwrap(),
        "x\ny\nz\n"
    );
}

#[test]
fn cores_left_idle_are_lent_to_what_still_runs() {
    // `slow` and `quick` start together on two slots, a core each. When `quick` ends nothing is
    // ready, so `slow` is lent the idle core: its cores file says 2 (it waits up to 5 s for it).
    let (dir, s) = session(
        r#"nodes:
  slow:
    cmd: 'for i in $(seq 100); do [ -f "$GOSALES_CORES_FILE" ] && break; sleep 0.05; done; cat "$GOSALES_CORES_FILE" > {out.0}'
    outputs: [outputs/slow.txt]
  quick:
    cmd: echo done > {out.0}
    outputs: [outputs/quick.txt]
"#,
    );
    let (lines, statuses) = run(&s);
    assert!(
        statuses.iter().all(|(_, st)| *st == Status::Built),
        "{lines:?}"
    );
    assert!(lines.contains(&"started slow".to_string()), "{lines:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("outputs/slow.txt")).unwrap(),
        "2\n"
    );
}

#[test]
fn idle_cores_are_not_lent_while_two_instances_run() {
    // On three slots `quick` ends at once, leaving `a` and `b`: a core lent to one of them would
    // still be held when the other ended and its downstream became ready, so none is lent. Each
    // looks while the other still runs (0.4 s apart either way, for slow process starts).
    let (dir, s) = session(
        r#"nodes:
  a:
    cmd: 'sleep 0.2; (cat "$GOSALES_CORES_FILE" 2>/dev/null || echo none) > {out.0}; sleep 1'
    outputs: [outputs/a.txt]
  b:
    cmd: 'sleep 0.6; (cat "$GOSALES_CORES_FILE" 2>/dev/null || echo none) > {out.0}'
    outputs: [outputs/b.txt]
  quick:
    cmd: echo done > {out.0}
    outputs: [outputs/quick.txt]
"#,
    );
    run_on(&s, 3);
    for f in ["outputs/a.txt", "outputs/b.txt"] {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(f)).unwrap(),
            "none\n",
            "{f}"
        );
    }
}

#[test]
fn a_file_behind_a_symlink_in_an_input_directory_is_hashed_and_a_loop_is_named() {
    let (dir, s) = session(
        "nodes:
  a:
    cmd: cat {in.d}/* > {out.0}
    inputs: {d: data/d}
    outputs: [outputs/a.txt]
",
    );
    let root = dir.path();
    write(root, "elsewhere/real.txt", "one");
    write(root, "data/d/plain.txt", "p");
    std::os::unix::fs::symlink("../../elsewhere/real.txt", root.join("data/d/linked.txt")).unwrap();
    run(&s);
    assert!(stale(&s).is_empty());
    // The command reads through the link: a change behind it makes `a` stale, by the link's path.
    write(root, "elsewhere/real.txt", "two");
    assert_eq!(
        stale(&s),
        [("a".to_string(), "input data/d/linked.txt".to_string())]
    );
    run(&s);
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/a.txt")).unwrap(),
        "twop"
    );

    std::os::unix::fs::symlink("..", root.join("data/d/up")).unwrap();
    let lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    let err = s
        .planner(&lock, &mut cache)
        .plan(&s.graph.order, &BTreeSet::new())
        .unwrap_err();
    let err = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(
        err.contains("symlink loop") && err.contains("data/d/up"),
        "{err}"
    );
}

#[test]
fn the_no_op_certificate_sees_a_change_inside_a_symlinked_input_directory() {
    let (dir, s) = session(
        "nodes:
  a:
    cmd: ': {in.d} > {out.0}'
    inputs: {d: data/d}
    outputs: [outputs/a.txt]
",
    );
    // (No program in the command: the certificate also watches programs' PATH directories, which
    // other tests running at the same time may disturb.)
    let root = dir.path();
    write(root, "elsewhere/f.txt", "one");
    std::fs::create_dir_all(root.join("data/d")).unwrap();
    std::os::unix::fs::symlink("../../elsewhere", root.join("data/d/sub")).unwrap();
    run(&s);
    // Past the racy window, so that the stats can vouch for the hashes.
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert!(stale(&s).is_empty());
    let lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    s.planner(&lock, &mut cache)
        .plan(&s.graph.order, &BTreeSet::new())
        .unwrap();
    let manifest = root.join("pipeline.yaml");
    let written =
        crate::certificate::write(&s.ws, &s.manifest, &manifest, &s.graph, &lock, &cache, "");
    assert!(
        written,
        "a workspace with a symlinked directory gets a certificate"
    );
    assert_eq!(
        crate::certificate::check(&s.ws, &manifest, "", None),
        Some(1)
    );
    write(root, "elsewhere/f.txt", "two!");
    assert_eq!(crate::certificate::check(&s.ws, &manifest, "", None), None);
}

#[test]
fn exec_records_the_upstream_bytes_it_read_not_the_locks_hashes() {
    let (dir, s) = session(M);
    let root = dir.path();
    write(root, "data/in.txt", "hello");
    run(&s);
    write(root, "outputs/a.txt", "T");
    let b = s.graph.index["b"];
    let (_, results) = run_selection(&s, &[b], 1);
    assert_eq!(results, [("b".to_string(), Status::Built)]);
    assert_eq!(
        std::fs::read_to_string(root.join("outputs/b.txt")).unwrap(),
        "T"
    );
    let lock = s.lock().unwrap();
    let tampered = crate::hashcache::hash_file(&root.join("outputs/a.txt")).unwrap();
    assert_eq!(
        lock.instances["b"].from.upstream["a"].get("outputs/a.txt"),
        Some(&tampered),
        "`b` is recorded as built from the bytes it read"
    );
    // `a`'s edited output still makes it stale, and `b` with it once `a` is rebuilt.
    assert_eq!(stale(&s)[0].0, "a");
}

#[test]
fn a_renamed_foreach_key_makes_the_instance_stale() {
    let manifest = |key: &str| {
        format!(
            "nodes:
  w:
    cmd: echo {{{key}}} > {{out.0}}
    foreach: {{{key}: [x]}}
    outputs: ['outputs/{{{key}}}.txt']
"
        )
    };
    let (dir, s) = session(&manifest("i"));
    run(&s);
    assert!(stale(&s).is_empty());
    // Same id, command and outputs; only the partition's key differs.
    std::fs::write(dir.path().join("pipeline.yaml"), manifest("j")).unwrap();
    let s = super::load(dir.path()).unwrap();
    assert_eq!(
        stale(&s),
        [("w@x".to_string(), "partition-added".to_string())]
    );
}

#[test]
fn an_output_no_longer_declared_makes_the_instance_stale() {
    // The command writes `b` into its staging slot without naming it, so dropping `b` from
    // the outputs leaves the command, and so the fingerprint, as it was.
    let manifest = |outputs: &str| {
        format!(
            "nodes:
  w:
    cmd: 'echo a > {{out.a}}; echo b > \"$(dirname {{out.a}})/w+1+b.txt\"'
    outputs: {{{outputs}}}
"
        )
    };
    let (dir, s) = session(&manifest("a: outputs/a.txt, b: outputs/b.txt"));
    let (lines, _) = run(&s);
    assert!(stale(&s).is_empty(), "{lines:?}");
    std::fs::write(
        dir.path().join("pipeline.yaml"),
        manifest("a: outputs/a.txt"),
    )
    .unwrap();
    let s = super::load(dir.path()).unwrap();
    assert_eq!(
        stale(&s),
        [("w".to_string(), "output-undeclared".to_string())]
    );
    run(&s);
    assert!(stale(&s).is_empty());
    assert_eq!(
        s.lock().unwrap().instances["w"].output_roots,
        ["outputs/a.txt"]
    );
}

#[test]
fn a_cmd_that_cannot_be_rendered_never_runs() {
    // `{params.k}` looks scalar at load (`$l`), but `l` is a list: there is nothing to put there.
    let (dir, s) = session(
        "vars:
  l: [1, 2]
nodes:
  n:
    cmd: echo {params.k} > {out.o}
    params: {k: $l}
    outputs: {o: outputs/n.txt}
",
    );
    let mut lock = s.lock().unwrap();
    let mut cache = HashCache::load(&s.ws);
    let mut runlog = RunLog::open(&s.ws).unwrap();
    let opts = RunOptions {
        jobs: 1,
        keep_going: false,
        forced: BTreeSet::new(),
        command: "test".into(),
        executor: ExecutorKind::Local,
        interrupt: Default::default(),
    };
    let engine = s.engine("/bin/false".into());
    let state = State {
        lock: &mut lock,
        cache: &mut cache,
        runlog: &mut runlog,
    };
    let err = scheduler::run(
        &engine,
        &s.graph.order,
        &opts,
        state,
        &mut Recorder::default(),
    )
    .unwrap_err();
    match err {
        crate::Error::Manifest(m) => {
            assert!(
                m.message.contains("`{params.k}` resolves to no scalar"),
                "{}",
                m.message
            );
            assert!(m.location.contains("pipeline.yaml:5:"), "{}", m.location);
        }
        e => panic!("{e}"),
    }
    assert!(!dir.path().join("{out.o}").exists());
}
