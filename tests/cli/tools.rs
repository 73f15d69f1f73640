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

/// Runs and certifies `ws`, makes `change`, and checks that every node of `nodes` is stale with
/// `why` and is rebuilt, each writing what `outputs` (`(file, text)`) says.
fn stale_after(
    ws: &Ws,
    nodes: &[&str],
    change: impl Fn(&Ws),
    word: &str,
    outputs: &[(&str, &str)],
) {
    settled(ws);
    let noop = gosales(ws, &["run"]).ok();
    assert!(noop.stderr.contains(SHORTCUT), "{word}: {}", noop.stderr);
    for node in nodes {
        let explain = gosales(ws, &["explain", node]).ok().stdout;
        assert!(explain.starts_with(&format!("{node}: fresh")), "{explain}");
        assert!(
            explain.contains(&format!("runs      {word} (")),
            "{explain}"
        );
    }
    change(ws);
    for node in nodes {
        let explain = gosales(ws, &["explain", node]).ok().stdout;
        let why = format!("`{word}`, which the command runs, changed");
        assert!(explain.starts_with(&format!("{node}: stale")), "{explain}");
        assert!(explain.contains(&why), "{explain}");
    }
    let r = gosales(ws, &["run"]).ok();
    assert!(!r.stderr.contains("nothing to do"), "{word}: {}", r.stderr);
    for (file, text) in outputs {
        assert_eq!(ws.read(file), *text, "{word}: {file}");
    }
}

#[test]
fn a_file_a_shell_script_sources_is_part_of_the_command() {
    let ws = Ws::new(
        "nodes:\n  dot:\n    cmd: sh scripts/main.sh > {out.0}\n    outputs: [outputs/dot.txt]\n  src:\n    cmd: bash scripts/main.bash > {out.0}\n    outputs: [outputs/src.txt]\n",
    );
    ws.write("scripts/main.sh", ". scripts/lib.sh\nprintf '%s' \"$X\"\n");
    ws.write(
        "scripts/main.bash",
        "source scripts/lib.sh\nprintf '%s!' \"$X\"\n",
    );
    ws.write("scripts/lib.sh", "X=one\n. scripts/deep.sh\n");
    ws.write("scripts/deep.sh", "X=\"$X-deep\"\n");
    ws.write("scripts/unrelated.sh", "X=never\n");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/dot.txt"), "one-deep");
    // Edited after a no-op run: the certificate watches it, the plan hashes it.
    stale_after(
        &ws,
        &["dot", "src"],
        |ws| ws.write("scripts/lib.sh", "X=two\n. scripts/deep.sh\n"),
        "scripts/lib.sh",
        &[
            ("outputs/dot.txt", "two-deep"),
            ("outputs/src.txt", "two-deep!"),
        ],
    );
    // Sourced by a sourced file.
    stale_after(
        &ws,
        &["dot", "src"],
        |ws| ws.write("scripts/deep.sh", "X=\"$X-DEEP\"\n"),
        "scripts/deep.sh",
        &[
            ("outputs/dot.txt", "two-DEEP"),
            ("outputs/src.txt", "two-DEEP!"),
        ],
    );
}

#[test]
fn an_edit_to_a_file_the_command_does_not_run_leaves_it_fresh() {
    let ws = Ws::new(
        "nodes:\n  dot:\n    cmd: sh -c \"sh scripts/main.sh --config conf.yaml\" > {out.0}\n    outputs: [outputs/dot.txt]\n",
    );
    ws.write("scripts/main.sh", ". scripts/lib.sh\nprintf '%s' \"$X\"\n");
    ws.write("scripts/lib.sh", "X=one\n");
    ws.write("conf.yaml", "a: 1\n");
    ws.write("scripts/unrelated.sh", "X=never\n");
    ws.write("other.yaml", "b: 1\n");
    ws.write("Makefile", "all:\n\techo\n");
    gosales(&ws, &["run"]).ok();
    settled(&ws);
    let noop = gosales(&ws, &["run"]).ok();
    assert!(noop.stderr.contains(SHORTCUT), "{}", noop.stderr);
    ws.write("scripts/unrelated.sh", "X=other\n");
    ws.write("other.yaml", "b: 2\n");
    ws.write("Makefile", "all:\n\techo changed\n");
    let explain = gosales(&ws, &["explain", "dot"]).ok().stdout;
    assert!(explain.starts_with("dot: fresh"), "{explain}");
    for f in ["scripts/main.sh", "scripts/lib.sh", "conf.yaml"] {
        assert!(explain.contains(&format!("runs      {f} (")), "{explain}");
    }
    for f in ["unrelated", "other.yaml", "Makefile"] {
        assert!(!explain.contains(f), "{explain}");
    }
    let r = gosales(&ws, &["run"]).ok();
    assert!(r.stderr.contains("nothing to do"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn the_interpreter_a_script_names_on_its_first_line_is_part_of_the_command() {
    let ws = Ws::new(
        "nodes:\n  envd:\n    cmd: ./scripts/run.up > {out.0}\n    outputs: [outputs/envd.txt]\n  abs:\n    cmd: scripts/run.abs > {out.0}\n    outputs: [outputs/abs.txt]\n",
    );
    // `interp [-x] FILE` prints FILE after its `#!` line, upper-cased: found on PATH by `env`,
    // or named by its absolute path.
    tool(
        &ws,
        "tools/interp",
        "for f; do :; done; tail -n +2 \"$f\" | tr a-z A-Z",
    );
    tool(&ws, "scripts/run.up", "");
    ws.write("scripts/run.up", "#!/usr/bin/env -S interp -x\nhello\n");
    tool(&ws, "abs/interp", "tail -n +2 \"$1\" | tr a-z A-Z");
    let abs = ws.path("abs/interp").to_string_lossy().into_owned();
    tool(&ws, "scripts/run.abs", "");
    ws.write("scripts/run.abs", &format!("#!{abs}\nbye\n"));
    for f in ["scripts/run.up", "scripts/run.abs"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(ws.path(f), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/envd.txt"), "HELLO\n");
    assert_eq!(ws.read("outputs/abs.txt"), "BYE\n");
    stale_after(
        &ws,
        &["envd"],
        |ws| {
            tool(
                ws,
                "tools/interp",
                "for f; do :; done; tail -n +2 \"$f\" | tr a-z A-Z | tr L X",
            )
        },
        "interp",
        &[("outputs/envd.txt", "HEXXO\n")],
    );
    stale_after(
        &ws,
        &["abs"],
        |ws| tool(ws, "abs/interp", "tail -n +2 \"$1\""),
        &abs,
        &[("outputs/abs.txt", "bye\n")],
    );
    let explain = gosales(&ws, &["explain", "envd"]).ok().stdout;
    assert!(explain.contains("runs      /usr/bin/env ("), "{explain}");
}

#[test]
fn the_makefile_make_reads_is_part_of_the_command() {
    if std::process::Command::new("make")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `make` on PATH");
        return;
    }
    let ws = Ws::new(
        "nodes:\n  dflt:\n    cmd: make -s out > {out.0}\n    outputs: [outputs/dflt.txt]\n  file:\n    cmd: make -s -f build.mk > {out.0}\n    outputs: [outputs/file.txt]\n  dir:\n    cmd: make -s -C sub > {out.0}\n    outputs: [outputs/dir.txt]\n",
    );
    ws.write("Makefile", "include rules.mk\nout:\n\t@echo $(WORD)\n");
    ws.write("rules.mk", "WORD = one\n");
    ws.write("build.mk", "all:\n\t@echo built\n");
    ws.write("sub/Makefile", "all:\n\t@echo sub\n");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/dflt.txt"), "one\n");
    stale_after(
        &ws,
        &["dflt"],
        |ws| ws.write("Makefile", "include rules.mk\nout:\n\t@echo $(WORD)!\n"),
        "Makefile",
        &[("outputs/dflt.txt", "one!\n")],
    );
    stale_after(
        &ws,
        &["dflt"],
        |ws| ws.write("rules.mk", "WORD = two\n"),
        "rules.mk",
        &[("outputs/dflt.txt", "two!\n")],
    );
    stale_after(
        &ws,
        &["file"],
        |ws| ws.write("build.mk", "all:\n\t@echo BUILT\n"),
        "build.mk",
        &[("outputs/file.txt", "BUILT\n")],
    );
    stale_after(
        &ws,
        &["dir"],
        |ws| ws.write("sub/Makefile", "all:\n\t@echo SUB\n"),
        "sub/Makefile",
        &[("outputs/dir.txt", "SUB\n")],
    );
}

#[test]
fn the_command_string_a_shell_runs_is_read_as_a_command() {
    let ws = Ws::new(
        "nodes:\n  dq:\n    cmd: sh -c \"sh scripts/inner.sh\" > {out.0}\n    outputs: [outputs/dq.txt]\n  sq:\n    cmd: bash -e -c 'cd scripts && sh inner.sh' > {out.0}\n    outputs: [outputs/sq.txt]\n",
    );
    ws.write("scripts/inner.sh", "printf one\n");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/dq.txt"), "one");
    stale_after(
        &ws,
        &["dq", "sq"],
        |ws| ws.write("scripts/inner.sh", "printf two\n"),
        "scripts/inner.sh",
        &[("outputs/dq.txt", "two"), ("outputs/sq.txt", "two")],
    );
}

#[test]
fn a_config_named_file_the_command_writes_through_tee_leaves_it_fresh() {
    // `.json` names a config the command runs, unless the command writes it: through `tee`,
    // a new file each run (a timestamp), the node was stale after every run.
    let ws = Ws::new(
        "nodes:\n  stamp:\n    cmd: date +%s%N | tee run.json > {out.0}\n    outputs: [outputs/stamp.txt]\n",
    );
    gosales(&ws, &["run"]).ok();
    settled(&ws);
    let r = gosales(&ws, &["run"]).ok();
    assert!(r.stderr.contains("nothing to do"), "{}", r.stderr);
    let explain = gosales(&ws, &["explain", "stamp"]).ok().stdout;
    assert!(!explain.contains("runs      run.json"), "{explain}");
}

#[test]
fn a_configuration_file_named_on_the_command_line_is_part_of_the_command() {
    let ws = Ws::new(
        "nodes:\n  cfg:\n    cmd: show -f scripts/q.jq --config conf.yaml --config=conf.toml > {out.0}\n    outputs: [outputs/cfg.txt]\n",
    );
    // `show` prints the files its arguments name.
    tool(
        &ws,
        "tools/show",
        "for a; do f=${a#--config=}; [ -f \"$f\" ] && cat \"$f\"; done; true",
    );
    ws.write("scripts/q.jq", ".a\n");
    ws.write("conf.yaml", "a: 1\n");
    ws.write("conf.toml", "a = 1\n");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/cfg.txt"), ".a\na: 1\na = 1\n");
    stale_after(
        &ws,
        &["cfg"],
        |ws| ws.write("scripts/q.jq", ".b\n"),
        "scripts/q.jq",
        &[("outputs/cfg.txt", ".b\na: 1\na = 1\n")],
    );
    stale_after(
        &ws,
        &["cfg"],
        |ws| ws.write("conf.yaml", "a: 2\n"),
        "conf.yaml",
        &[("outputs/cfg.txt", ".b\na: 2\na = 1\n")],
    );
    stale_after(
        &ws,
        &["cfg"],
        |ws| ws.write("conf.toml", "a = 2\n"),
        "conf.toml",
        &[("outputs/cfg.txt", ".b\na: 2\na = 2\n")],
    );
}

#[test]
fn split_strings_modules_interpreter_operands_and_awk_programs_are_what_the_command_runs() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `python3` on PATH");
        return;
    }
    // A re-audit found each of these fresh after an edit that changed the output.
    let ws = Ws::new(
        "nodes:\n  split:\n    cmd: env -S \"python3 scripts/s.py\" > {out.0}\n    outputs: [outputs/split.txt]\n  module:\n    cmd: python3 -m pkg.mod > {out.0}\n    outputs: [outputs/module.txt]\n  bare:\n    cmd: python3 scripts/job > {out.0}\n    outputs: [outputs/bare.txt]\n  awk:\n    cmd: echo x | awk -f scripts/prog > {out.0}\n    outputs: [outputs/awk.txt]\n",
    );
    ws.write("scripts/s.py", "print('s1')\n");
    ws.write("pkg/__init__.py", "");
    ws.write("pkg/mod.py", "print('m1')\n");
    ws.write("scripts/job", "print('j1')\n");
    ws.write("scripts/prog", "{ print \"a1\" }\n");
    gosales(&ws, &["run"]).ok();
    assert_eq!(ws.read("outputs/split.txt"), "s1\n");
    assert_eq!(ws.read("outputs/module.txt"), "m1\n");
    stale_after(
        &ws,
        &["split"],
        |ws| ws.write("scripts/s.py", "print('s2')\n"),
        "scripts/s.py",
        &[("outputs/split.txt", "s2\n")],
    );
    stale_after(
        &ws,
        &["module"],
        |ws| ws.write("pkg/mod.py", "print('m2')\n"),
        "pkg/mod.py",
        &[("outputs/module.txt", "m2\n")],
    );
    stale_after(
        &ws,
        &["bare"],
        |ws| ws.write("scripts/job", "print('j2')\n"),
        "scripts/job",
        &[("outputs/bare.txt", "j2\n")],
    );
    stale_after(
        &ws,
        &["awk"],
        |ws| ws.write("scripts/prog", "{ print \"a2\" }\n"),
        "scripts/prog",
        &[("outputs/awk.txt", "a2\n")],
    );
}

#[test]
fn a_copy_s_destination_is_written_not_run_and_includes_nest() {
    // `cp ... run_log.json`: a destination named like a config was stale on every run.
    let ws = Ws::new(
        "nodes:\n  stamp:\n    cmd: date +%s%N > {out.0}; cp {out.0} run_log.json\n    outputs: [outputs/stamp.txt]\n",
    );
    gosales(&ws, &["run"]).ok();
    settled(&ws);
    let r = gosales(&ws, &["run"]).ok();
    assert!(r.stderr.contains("nothing to do"), "{}", r.stderr);
    if std::process::Command::new("make")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped the makefile half: no `make` on PATH");
        return;
    }
    // A makefile included by an included makefile.
    let ws =
        Ws::new("nodes:\n  mk:\n    cmd: make -s out > {out.0}\n    outputs: [outputs/mk.txt]\n");
    ws.write("Makefile", "include mk/one.mk\nout:\n\t@echo $(WORD)\n");
    ws.write("mk/one.mk", "include mk/two.mk\n");
    ws.write("mk/two.mk", "WORD = one\n");
    gosales(&ws, &["run"]).ok();
    stale_after(
        &ws,
        &["mk"],
        |ws| ws.write("mk/two.mk", "WORD = two\n"),
        "mk/two.mk",
        &[("outputs/mk.txt", "two\n")],
    );
}
