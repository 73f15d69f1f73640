//! A `cmd` node's fingerprint holds the programs and scripts it runs: a new version of either
//! reruns it, through the full plan and through the no-op shortcut alike.

use crate::support::{Run, Ws};

const SHORTCUT: &str = "no file changed since cache/fresh.cert";

fn tool(ws: &Ws, rel: &str, body: &str) {
    ws.write(rel, &format!("#!/bin/sh\n{body}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = ws.path(rel);
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// `gosales` with the workspace's `first/` (not created yet) and `tools/` directories ahead of
/// the usual PATH.
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

#[cfg(unix)]
fn link(ws: &Ws, target: &str, rel: &str) {
    let _ = std::fs::remove_file(ws.path(rel));
    std::os::unix::fs::symlink(target, ws.path(rel)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_new_program_or_script_version_reruns_the_command() {
    let ws = Ws::new(
        "nodes:\n  up:\n    cmd: sh scripts/step.sh {in.src} | shout > {out.0}\n    inputs: {src: data/in.txt}\n    outputs: [outputs/up.txt]\n",
    );
    ws.write("data/in.txt", "hello\n");
    ws.write("scripts/step.sh", "head -c 2 \"$1\"\n");
    // As `update-alternatives` and versioned installs lay it out: tools/shout -> alt/shout ->
    // versions/current/shout, with `versions/current` a directory link to `v1`.
    tool(&ws, "versions/v1/shout", "tr a-z A-Z");
    for d in ["alt", "tools"] {
        std::fs::create_dir_all(ws.path(d)).unwrap();
    }
    link(&ws, "v1", "versions/current");
    link(&ws, "../versions/current/shout", "alt/shout");
    link(&ws, "../alt/shout", "tools/shout");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/up.txt"), "HE");
    let explain = gosales(&ws, &["explain", "up"]).ok().stdout;
    assert!(explain.contains("runs      shout ("), "{explain}");
    assert!(explain.contains("runs      scripts/step.sh ("), "{explain}");

    type Change = fn(&Ws);
    let changes: [(&str, Change, &str, &str); 5] = [
        (
            "the script, same size",
            |ws| ws.write("scripts/step.sh", "head -c 3 \"$1\"\n"),
            "`scripts/step.sh`, which the command runs, changed",
            "HEL",
        ),
        (
            "the program rebuilt, through its links",
            |ws| tool(ws, "versions/v1/shout", "tr a-z A-Z | rev"),
            "`shout`, which the command runs, changed",
            "LEH",
        ),
        (
            "the versioned directory pointed at another version",
            |ws| {
                tool(ws, "versions/v2/shout", "tr a-z A-Z | tr H J");
                link(ws, "v2", "versions/current");
            },
            "`shout`, which the command runs, changed",
            "JEL",
        ),
        (
            "the alternative pointed elsewhere (no PATH directory changes)",
            |ws| {
                tool(ws, "versions/v3/shout", "tr a-z A-Z | tr E Q");
                link(ws, "../versions/v3/shout", "alt/shout");
            },
            "`shout`, which the command runs, changed",
            "HQL",
        ),
        (
            "another program of that name in a PATH directory created before its own",
            |ws| tool(ws, "first/shout", "tr a-z A-Z | tr L X"),
            "`shout`, which the command runs, changed",
            "HEX",
        ),
    ];
    for (what, change, why, output) in changes {
        settled(&ws);
        let noop = gosales(&ws, &["run"]).ok();
        assert!(noop.stderr.contains(SHORTCUT), "{what}: {}", noop.stderr);
        change(&ws);
        let explain = gosales(&ws, &["explain", "up"]).ok().stdout;
        assert!(explain.contains(why), "{what}: {explain}");
        let r = gosales(&ws, &["run"]).ok();
        assert!(!r.stderr.contains("nothing to do"), "{what}: {}", r.stderr);
        assert_eq!(ws.read("outputs/up.txt"), output, "{what}");
    }
}

#[test]
fn a_program_the_command_builds_is_recorded_once_it_exists_and_never_certified_before() {
    // The first plan finds no `gen/tool.sh`; the run writes it. The shortcut must not answer
    // while a plan would see a new program, and the node settles after one rerun.
    let ws = Ws::new(
        "nodes:\n  built:\n    cmd: \"mkdir -p gen && printf 'echo built' > gen/tool.sh && sh gen/tool.sh > {out.0}\"\n    outputs: [outputs/built.txt]\n",
    );
    gosales(&ws, &["run"]).ok();
    for _ in 0..3 {
        settled(&ws);
        let stale = gosales(&ws, &["explain", "built"]).ok().stdout;
        let r = gosales(&ws, &["run"]).ok();
        assert!(
            !(stale.contains(": stale") && r.stderr.contains(SHORTCUT)),
            "the shortcut answered while the plan said:\n{stale}\n{}",
            r.stderr
        );
    }
    let explain = gosales(&ws, &["explain", "built"]).ok().stdout;
    assert!(explain.starts_with("built: fresh"), "{explain}");
    assert!(explain.contains("runs      gen/tool.sh ("), "{explain}");
    settled(&ws);
    let r = gosales(&ws, &["run"]).ok();
    assert!(r.stderr.contains(SHORTCUT), "{}", r.stderr);
}

/// `gosales` with `GREETING` set to `greeting` (or unset) and `TOOL` naming a workspace script.
fn with_greeting(ws: &Ws, args: &[&str], greeting: Option<&str>) -> Run {
    let mut c = ws.cmd(args);
    c.env("TOOL", "tools/say.sh");
    match greeting {
        Some(g) => c.env("GREETING", g),
        None => c.env_remove("GREETING"),
    };
    Run::from(c.output().unwrap())
}

#[test]
fn an_environment_variable_the_command_reads_is_in_its_fingerprint_by_hash_only() {
    let ws = Ws::new(
        "nodes:\n  greet:\n    cmd: sh $TOOL \"${{GREETING}}\" > {out.0}\n    outputs: [outputs/greet.txt]\n",
    );
    ws.write("tools/say.sh", "printf '%s!' \"$1\"\n");
    let secret = "s3cret-greeting";
    with_greeting(&ws, &["run"], Some(secret)).ok();
    assert_eq!(ws.read("outputs/greet.txt"), format!("{secret}!"));
    let explain = with_greeting(&ws, &["explain", "greet"], Some(secret))
        .ok()
        .stdout;
    assert!(explain.starts_with("greet: fresh"), "{explain}");
    // `$TOOL` expanded: the script it names is tracked like any other.
    assert!(explain.contains("runs      tools/say.sh ("), "{explain}");
    assert!(explain.contains("reads     $GREETING (value "), "{explain}");
    assert!(explain.contains("reads     $TOOL (value "), "{explain}");
    // A value may be a secret: only its hash reaches the lock, the run log and `explain`.
    for f in ["pipeline.lock", "cache/runlog.jsonl"] {
        assert!(!ws.read(f).contains(secret), "{f} holds the value");
    }
    assert!(!explain.contains(secret));

    type Step<'a> = (&'a str, Option<&'a str>, Option<fn(&Ws)>, &'a str, &'a str);
    let steps: [Step; 4] = [
        (
            "the value changed",
            Some("hello"),
            None,
            "`$GREETING`, which the command reads, changed",
            "hello!",
        ),
        (
            "unset",
            None,
            None,
            "`$GREETING`, which the command reads, is now unset",
            "!",
        ),
        (
            "set again",
            Some("hi"),
            None,
            "`$GREETING`, which the command reads, is now set",
            "hi!",
        ),
        (
            "the script `$TOOL` names edited",
            Some("hi"),
            Some(|ws| ws.write("tools/say.sh", "printf '%s?' \"$1\"\n")),
            "`tools/say.sh`, which the command runs, changed",
            "hi?",
        ),
    ];
    let mut before = Some(secret);
    for (what, greeting, change, why, output) in steps {
        // Settled and certified with the old value: the shortcut must not answer for the new.
        std::thread::sleep(std::time::Duration::from_millis(150));
        with_greeting(&ws, &["run"], before).ok();
        let noop = with_greeting(&ws, &["run"], before).ok();
        assert!(noop.stderr.contains(SHORTCUT), "{what}: {}", noop.stderr);
        if let Some(change) = change {
            change(&ws);
        }
        let explain = with_greeting(&ws, &["explain", "greet"], greeting)
            .ok()
            .stdout;
        assert!(explain.contains(why), "{what}: {explain}");
        let r = with_greeting(&ws, &["run"], greeting).ok();
        assert!(!r.stderr.contains("nothing to do"), "{what}: {}", r.stderr);
        assert_eq!(ws.read("outputs/greet.txt"), output, "{what}");
        before = greeting;
    }
}
