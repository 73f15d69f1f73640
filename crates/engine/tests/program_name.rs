//! A front end's own name in the commands the engine's messages advise: a library user's tool
//! is not `gosales`, and "run `gosales run`" sent its users to a program they do not have. A
//! test binary of its own, as the name is set once per process.

use std::path::PathBuf;

use gosales_engine::report::Recorder;
use gosales_engine::scheduler::RunOptions;
use gosales_engine::session::Session;
use gosales_engine::NoStages;

#[test]
fn the_audits_advice_names_the_front_end_that_set_its_name() {
    // Its verbs too: until 2026-12-07 only the program's name could be set, and a tool whose
    // verb is `build` was told to `run`.
    assert!(gosales_engine::set_commands(gosales_engine::Commands {
        program: "wc-pipe".into(),
        run: "build".into(),
        explain: "why".into(),
        ..Default::default()
    }));
    assert!(!gosales_engine::set_program_name("other"), "set once");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("pipeline.yaml"),
        "nodes:\n  copy:\n    cmd: cp {in.0} {out.0}\n    inputs: [in.txt]\n    outputs: [out.txt]\n",
    )
    .unwrap();
    std::fs::write(root.join("in.txt"), "a\n").unwrap();
    let manifest = root.join("pipeline.yaml");
    let s = Session::load(&manifest, &NoStages).unwrap();
    let selection = gosales_engine::select::select(&s.graph, &[], false).unwrap();
    let opts = RunOptions {
        jobs: 1,
        ..RunOptions::new("library test")
    };
    let report = s
        .build(
            PathBuf::from("/bin/false"),
            &selection,
            &opts,
            &mut Recorder::default(),
        )
        .unwrap();
    assert!(report.ok());
    // The input changes after the build: the audit says the output no longer follows from it.
    std::fs::write(root.join("in.txt"), "b\n").unwrap();
    let audit = gosales_engine::audit::check(
        &s.ws,
        &gosales_engine::audit::Options {
            manifest: Some((&manifest, &NoStages)),
            heads: &[],
        },
    )
    .unwrap();
    let said: Vec<&str> = audit.problems.iter().map(|p| p.detail.as_str()).collect();
    assert!(
        said.iter()
            .any(|d| d.contains("(`wc-pipe build`; `wc-pipe why copy` says why)")),
        "{said:?}"
    );
    assert!(!said.iter().any(|d| d.contains("gosales")), "{said:?}");
    // An output edited by hand: its stale reason names the tool, not gosales.
    std::fs::write(root.join("in.txt"), "a\n").unwrap();
    std::fs::write(root.join("out.txt"), "edited\n").unwrap();
    let mut cache = gosales_engine::hashcache::HashCache::load(&s.ws);
    let lock = s.lock().unwrap();
    let plan = s
        .planner(&lock, &mut cache)
        .plan(&selection, &Default::default())
        .unwrap();
    let shown: Vec<String> = plan
        .iter()
        .flat_map(|(_, v)| v.reasons.iter().map(|r| r.to_string()))
        .collect();
    assert!(
        shown
            .iter()
            .any(|r| r.contains("was modified outside wc-pipe")),
        "{shown:?}"
    );
}
