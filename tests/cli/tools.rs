//! A `cmd` node's fingerprint holds the programs and scripts it runs: a new version of either
//! reruns it, through the full plan and through the no-op shortcut alike.

use crate::support::{Run, Ws};

const PIPELINE: &str = r#"
version: 1
nodes:
  up:
    cmd: sh scripts/step.sh {in.src} | shout > {out.0}
    inputs: {src: data/in.txt}
    outputs: [outputs/up.txt]
"#;

fn tool(ws: &Ws, rel: &str, body: &str) {
    ws.write(rel, &format!("#!/bin/sh\n{body}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = ws.path(rel);
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// `gosales` with the workspace's `first/` and `tools/` directories ahead of the usual PATH.
fn gosales(ws: &Ws, args: &[&str]) -> Run {
    let path = std::env::join_paths(
        [ws.path("first"), ws.path("tools")]
            .into_iter()
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    Run::from(ws.cmd(args).env("PATH", path).output().unwrap())
}

/// A run after files have aged past the hash cache's racy window, so it may certify.
fn settled(ws: &Ws) -> Run {
    std::thread::sleep(std::time::Duration::from_millis(150));
    gosales(ws, &["run"]).ok()
}

#[test]
fn a_new_program_or_script_version_reruns_the_command() {
    let ws = Ws::new(PIPELINE);
    ws.write("data/in.txt", "hello\n");
    ws.write("scripts/step.sh", "head -c 2 \"$1\"\n");
    std::fs::create_dir_all(ws.path("first")).unwrap();
    tool(&ws, "tools/shout", "tr a-z A-Z");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/up.txt"), "HE");
    let explain = gosales(&ws, &["explain", "up"]).ok().stdout;
    assert!(explain.contains("runs      shout ("), "{explain}");
    assert!(explain.contains("runs      scripts/step.sh ("), "{explain}");

    type Change = fn(&Ws);
    let changes: [(&str, Change, &str); 3] = [
        (
            "the script, same size",
            |ws| ws.write("scripts/step.sh", "head -c 3 \"$1\"\n"),
            "`scripts/step.sh`, which the command runs, changed",
        ),
        (
            "the program rebuilt",
            |ws| tool(ws, "tools/shout", "tr a-z A-Z | rev"),
            "`shout`, which the command runs, changed",
        ),
        (
            "another program of that name earlier on PATH",
            |ws| tool(ws, "first/shout", "tr a-z A-Z | tr L X"),
            "`shout`, which the command runs, changed",
        ),
    ];
    let mut expected = ["HEL", "LEH", "HEX"].into_iter();
    for (what, change, why) in changes {
        settled(&ws);
        let noop = gosales(&ws, &["run"]).ok();
        assert!(
            noop.stderr
                .contains("no file changed since cache/fresh.cert"),
            "{what}: {}",
            noop.stderr
        );
        change(&ws);
        let explain = gosales(&ws, &["explain", "up"]).ok().stdout;
        assert!(explain.contains(why), "{what}: {explain}");
        let r = gosales(&ws, &["run"]).ok();
        assert!(!r.stderr.contains("nothing to do"), "{what}: {}", r.stderr);
        assert_eq!(
            ws.read("outputs/up.txt"),
            expected.next().unwrap(),
            "{what}"
        );
    }
}
