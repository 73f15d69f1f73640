use super::*;

fn words(cmd: &str) -> Vec<String> {
    named(cmd)
        .iter()
        .map(|n| match n {
            Named::Program(w) => format!("program {w}"),
            Named::Script(w) => format!("script {w}"),
        })
        .collect()
}

#[test]
fn finds_every_program_of_a_pipeline_and_the_scripts_it_runs() {
    assert_eq!(
        words("LC_ALL=C sort -u data/in.csv | python3 scripts/fit.py --out out.csv && gzip -9 out.csv"),
        ["program sort", "program python3", "script scripts/fit.py", "program gzip"]
    );
    assert_eq!(
        words("env -i -u HOME PATH=/usr/bin nice -n 5 Rscript 'my scripts/plot.R' x; ./bin/tool"),
        [
            "program Rscript",
            "script my scripts/plot.R",
            "program ./bin/tool"
        ]
    );
    // Quotes hide operators; `$(...)` and keywords are seen through; variables are not.
    assert_eq!(
        words("if test -f a; then echo 'a | b' > o; fi; $TOOL x.py; n=$(wc -l < f)"),
        ["program test", "program echo", "script x.py", "program wc"]
    );
    assert_eq!(
        words("timeout -s KILL 5m exec -a fit python3 run.py --config=conf.py"),
        ["program python3", "script run.py", "script conf.py"]
    );
}

#[test]
fn what_the_command_writes_comments_heredocs_and_loops_are_not_programs() {
    // Redirect targets and output options are written by the command, not run by it.
    assert_eq!(
        words("python3 render.py > build/q.sql 2>&1 && psql -f build/q.sql -o out.py --output=o.R"),
        [
            "program python3",
            "script render.py",
            "program psql",
            "script build/q.sql"
        ]
    );
    // An apostrophe in a comment does not swallow the lines after it; heredoc lines are data.
    assert_eq!(
        words(
            "# don't forget\npython3 - <<'EOF'\nimport sys\ndf = 1\nEOF\nRscript fit.R # it's fine"
        ),
        ["program python3", "program Rscript", "script fit.R"]
    );
    assert_eq!(
        words("for R in a b; do Rscript \"$R\".R; done"),
        ["program Rscript"]
    );
    // `cd` inside a subshell moves only the subshell (`make` reads `sub/Makefile`); its options
    // are not a directory.
    assert_eq!(
        words("(cd sub && make) && python3 run.py; cd -P analysis && Rscript fit.R"),
        [
            "program make",
            "script sub/GNUmakefile",
            "script sub/makefile",
            "script sub/Makefile",
            "program python3",
            "script run.py",
            "program Rscript",
            "script analysis/fit.R"
        ]
    );
    // A shift is no heredoc; an input redirection feeds the program code, not a program.
    assert_eq!(
        words("python3 -c 'print(1<<3)'\nRscript x.R\n< q.sql psql -X; cat <<< \"$x\" > o.sh"),
        [
            "program python3",
            "program Rscript",
            "script x.R",
            "program psql",
            "script q.sql",
            "program cat"
        ]
    );
    // `cd` moves where later relative words resolve.
    assert_eq!(
        words("cd analysis && Rscript fit.R && ../bin/post ./out.sh"),
        [
            "program Rscript",
            "script analysis/fit.R",
            "program bin/post",
            "script analysis/out.sh"
        ]
    );
}

#[test]
fn launchers_run_the_program_after_their_options() {
    assert_eq!(
        words("find data -name '*.csv' | xargs -0 -n 1 -P 4 python3 one.py; srun -n 4 --mem=8G -p long Rscript fit.R"),
        ["program find", "program python3", "script one.py", "program Rscript", "script fit.R"]
    );
    assert_eq!(
        words("taskset -c 0,1 flock -w 10 /tmp/lock mpirun -np 8 ./bin/sim in.sh; stdbuf -oL awk -f x.awk f"),
        ["program ./bin/sim", "script in.sh", "program awk", "script x.awk"]
    );
}

#[test]
fn a_redirection_glued_to_a_word_splits_it_as_sh_does() {
    assert_eq!(
        words("python3 gen.py>out.sh 2>err.log; Rscript fit.R>>log.R; psql<q.sql; x2>y.py"),
        [
            "program python3",
            "script gen.py",
            "program Rscript",
            "script fit.R",
            "program psql",
            "script q.sql",
            "program x2"
        ]
    );
}

#[test]
fn variables_from_the_environment_are_expanded_where_sh_would_expand_them() {
    let env = |n: &str| match n {
        "TOOL" => Some("bin/fit".to_string()),
        "DIR" => Some("scripts".to_string()),
        _ => None,
    };
    let words = |cmd: &str| -> Vec<String> {
        named_with(cmd, &env)
            .iter()
            .map(|n| n.word().to_string())
            .collect()
    };
    assert_eq!(
        words("$TOOL --rows 5 && python3 \"$DIR/a.py\" ${DIR}/b.R $UNSET_X.py"),
        ["bin/fit", "python3", "scripts/a.py", "scripts/b.R"]
    );
    // A variable the command sets itself is not the environment's.
    assert_eq!(
        words("TOOL=other; $TOOL; DIR=x; python3 $DIR/a.py"),
        ["python3"]
    );
}

#[test]
fn resolves_on_path_as_sh_does() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let tool = |d: &Path, mode: u32| {
        let p = d.join("tool");
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        p
    };
    tool(&a, 0o644); // not executable: skipped, as `sh` skips it
    let in_b = tool(&b, 0o755);
    let path = std::env::join_paths([&a, &b]).unwrap();
    let found = resolve(&Named::Program("tool".into()), dir.path(), Some(&path));
    assert_eq!(found.file, Some(in_b));
    // The file passed over is watched too: a `chmod +x` would make it the one.
    assert_eq!(found.searched, [a.clone(), a.join("tool"), b.clone()]);
    let none = resolve(&Named::Program("nope".into()), dir.path(), Some(&path));
    assert_eq!((none.file, none.searched.len()), (None, 2));
    // A relative PATH entry is relative to the workspace root, where `sh` runs.
    let rel = std::env::join_paths(["b"]).unwrap();
    let found = resolve(&Named::Program("tool".into()), dir.path(), Some(&rel));
    assert_eq!(found.file, Some(b.join("tool")));
    assert!(under("./data/x.py", "data"));
    assert!(!under("database.py", "data"));
}

#[test]
fn a_shell_string_is_a_command_of_its_own_and_a_shell_operand_a_script() {
    assert_eq!(
        words("sh -c \"sh scripts/main.sh\" && bash -euo pipefail -c 'cd sub && python3 x.py | jq -f q.jq' > o.json"),
        [
            "program sh",
            "script scripts/main.sh",
            "program bash",
            "program python3",
            "script sub/x.py",
            "program jq",
            "script sub/q.jq"
        ]
    );
    // A shell runs its operand whatever its name; options before it are not files.
    assert_eq!(
        words("bash -x -o errexit scripts/build arg.py"),
        ["program bash", "script scripts/build", "script arg.py"]
    );
    // Nested strings are read to a bound; the fuzz input `sh -c sh -c ...` ends.
    let deep = "sh -c ".repeat(40) + "x.py";
    assert!(named(&deep).len() <= 3);
}

#[test]
fn make_reads_its_makefile_and_a_builtin_source_reads_a_script() {
    assert_eq!(
        words(
            "make -s out; make -f build.mk -C sub all; gmake --file=a.mk --directory=d; make -Cx"
        ),
        [
            "program make",
            "script GNUmakefile",
            "script makefile",
            "script Makefile",
            "script sub/build.mk",
            "program gmake",
            "script d/a.mk",
            "script x/GNUmakefile",
            "script x/makefile",
            "script x/Makefile"
        ]
    );
    assert_eq!(
        words(
            ". scripts/lib.sh; source env/vars; jq --config=conf.toml --config conf.yaml -f q.jq"
        ),
        [
            "script scripts/lib.sh",
            "script env/vars",
            "program jq",
            "script q.jq",
            "script conf.toml",
            "script conf.yaml"
        ]
    );
}

#[test]
fn a_shebang_names_the_interpreter() {
    let s = |h: &str| read::shebang(h.as_bytes());
    assert_eq!(
        s("#!/usr/bin/env python3\nimport x"),
        Some((
            vec!["/usr/bin/env".to_string(), "python3".to_string()],
            "python3".to_string()
        ))
    );
    assert_eq!(
        s("#!/usr/bin/env -S X=1 -u Y bash -e\n").map(|(w, n)| (w[1].clone(), n)),
        Some(("bash".to_string(), "bash".to_string()))
    );
    assert_eq!(
        s("#! /bin/sh -eu"),
        Some((vec!["/bin/sh".to_string()], "sh".to_string()))
    );
    assert_eq!(s("\x7fELF\0\0"), None);
    assert_eq!(s("#!"), None);
    assert_eq!(
        s("#!\u{0}\u{1}"),
        Some((vec!["\u{0}\u{1}".to_string()], "\u{0}\u{1}".to_string()))
    );
}

#[test]
fn found_follows_sources_shebangs_and_includes_and_survives_odd_files() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::workspace::Workspace::new(dir.path().to_path_buf());
    let write = |rel: &str, body: &[u8]| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    };
    write(
        "scripts/main.sh",
        b". scripts/lib.sh\nsource \"$(dirname \"$0\")/more.sh\"\n. scripts/self.sh\n",
    );
    write("scripts/lib.sh", b"#!/bin/sh\n. scripts/deep.sh\n");
    write("scripts/more.sh", b"echo\n");
    write("scripts/deep.sh", b"echo\n");
    write("scripts/self.sh", b". scripts/self.sh\n. scripts/main.sh\n"); // a cycle ends
    write(
        "Makefile",
        b"include rules.mk\n-include opt.mk $(X).mk\nall:\n\t. x.sh\n",
    );
    write("rules.mk", b"include nested.mk\n");
    write("nested.mk", b"");
    write("bin.sh", b"\0\0\0. scripts/lib.sh\n");
    let mut huge = b"#!/bin/sh\n".to_vec();
    huge.resize(3 << 20, b'#');
    huge.extend_from_slice(b"\n. scripts/deep.sh\n");
    write("huge.sh", &huge);
    let words = |cmd: &str| -> Vec<String> {
        super::found(&ws, cmd, &[])
            .into_iter()
            .filter(|f| f.file.is_some())
            .map(|f| f.named.word().to_string())
            .collect()
    };
    let w = words("sh scripts/main.sh");
    for f in [
        "scripts/lib.sh",
        "scripts/more.sh",
        "scripts/deep.sh",
        "scripts/self.sh",
        "/bin/sh",
    ] {
        assert!(w.contains(&f.to_string()), "{f}: {w:?}");
    }
    let w = words("make -s");
    assert!(
        w.contains(&"Makefile".to_string()) && w.contains(&"rules.mk".to_string()),
        "{w:?}"
    );
    // An include's own includes, in turn.
    assert!(w.contains(&"nested.mk".to_string()), "{w:?}");
    // A binary is not read; a huge script is read to a bound.
    assert!(!words("sh bin.sh").contains(&"scripts/lib.sh".to_string()));
    let w = words("sh huge.sh");
    assert!(w.contains(&"huge.sh".to_string()) && !w.contains(&"scripts/deep.sh".to_string()));
    // A declared input is hashed as an input, but what it sources is followed.
    let w = super::found(&ws, "sh scripts/main.sh", &["scripts/main.sh"]);
    let w: Vec<&str> = w.iter().map(|f| f.named.word()).collect();
    assert!(
        !w.contains(&"scripts/main.sh") && w.contains(&"scripts/lib.sh"),
        "{w:?}"
    );
}

#[test]
fn a_substitution_inside_double_quotes_runs_its_programs() {
    assert_eq!(
        words("echo \"$(tools/gen)\" > o; echo \"a `tools/gen2` b\" && echo \"$((1 + 2))\""),
        ["program tools/gen", "program tools/gen2", "program echo"]
    );
    // Quoted afresh inside, and nested.
    let w = words("cp \"$(dirname \"$(python3 where.py)\")/x\" y.py");
    for want in [
        "program dirname",
        "program python3",
        "script where.py",
        "script y.py",
    ] {
        assert!(w.contains(&want.to_string()), "{want}: {w:?}");
    }
}

#[test]
fn a_script_fed_to_a_shell_on_stdin_is_run() {
    assert_eq!(
        words("sh < tools/job > o"),
        ["program sh", "script tools/job"]
    );
    assert_eq!(
        words("bash -e > o <<'EOF'\ntools/hjob --fast\nEOF\nwc -l o"),
        ["program tools/hjob", "program bash", "program wc"]
    );
    // Fed to another program, a heredoc is data.
    assert_eq!(words("cat > o <<'EOF'\ntools/hjob\nEOF"), ["program cat"]);
}

#[test]
fn an_interpreter_option_with_an_argument_does_not_hide_the_script() {
    assert_eq!(
        words("python3 -W ignore -X utf8 tools/job x"),
        ["program python3", "script tools/job"]
    );
    assert_eq!(
        words("perl -I lib tools/p"),
        ["program perl", "script tools/p"]
    );
    assert_eq!(
        words("julia -t 4 -L setup.jl run"),
        ["program julia", "script setup.jl", "script run"]
    );
    assert_eq!(
        words("node -r dotenv/config app"),
        ["program node", "script app"]
    );
    assert_eq!(words("perl -p tools/p"), ["program perl", "script tools/p"]);
    assert_eq!(words("node -p 1+1"), ["program node"]);
}

#[test]
fn a_version_managers_shim_is_followed_to_the_program_it_runs_from_the_workspace() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let exe = |p: &std::path::Path, body: &str| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let home = dir.path().join("home");
    // The manager answers from the version file where it is asked, as pyenv does.
    let pyenv = home.join("libexec/pyenv");
    exe(
        &pyenv,
        &format!(
            "#!/bin/sh\n[ \"$1\" = which ] || exit 1\necho {}/versions/$(cat .python-version)/bin/$2\n",
            home.display()
        ),
    );
    let shim = home.join("shims/python9");
    exe(
        &shim,
        &format!(
            "#!/bin/sh\nexec \"{}\" exec \"$0\" \"$@\"\n",
            pyenv.display()
        ),
    );
    for v in ["3.11", "3.13"] {
        exe(
            &home.join(format!("versions/{v}/bin/python9")),
            "#!/bin/sh\n",
        );
    }
    for v in ["3.11", "3.13"] {
        let root = dir.path().join(format!("ws-{v}"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join(".python-version"), v).unwrap();
        let ws = crate::workspace::Workspace::new(root);
        let words: Vec<String> = super::found(&ws, &format!("{} job.py", shim.display()), &[])
            .into_iter()
            .filter(|f| f.file.is_some())
            .map(|f| f.named.word().to_string())
            .collect();
        let real = home.join(format!("versions/{v}/bin/python9"));
        assert!(
            words.contains(&real.display().to_string()),
            "{v}: {words:?}"
        );
    }
}

#[test]
fn option_spellings_do_not_hide_the_script() {
    assert_eq!(words("sh -s a b < job"), ["program sh", "script job"]);
    assert_eq!(words("sh -s -- a < job"), ["program sh", "script job"]);
    assert_eq!(words("sh 0< job"), ["program sh", "script job"]);
    assert_eq!(
        words("node --max-old-space-size=100 app"),
        ["program node", "script app"]
    );
    assert!(words("node --require=./mod.js app").contains(&"script app".to_string()));
    assert_eq!(
        words("python3 -uBW ignore job"),
        ["program python3", "script job"]
    );
    assert_eq!(
        words("python3 -mpkg.mod"),
        [
            "program python3",
            "script pkg/mod.py",
            "script pkg/mod/__main__.py"
        ]
    );
    assert_eq!(words("sed -nf prog x"), ["program sed", "script prog"]);
}

#[test]
fn an_expanded_heredoc_runs_its_substitutions_and_a_quoted_one_does_not() {
    assert_eq!(
        words("cat <<EOF > o\nrows: $(tools/gen) \"`tools/gen2`\"\nEOF"),
        ["program tools/gen", "program tools/gen2", "program cat"]
    );
    assert_eq!(words("cat <<'EOF' > o\n$(tools/gen)\nEOF"), ["program cat"]);
}

#[test]
fn the_variables_of_a_shell_script_the_command_runs_or_sources_are_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::workspace::Workspace::new(dir.path().to_path_buf());
    std::fs::write(dir.path().join("job"), "echo \"$ROWS\"\n. ./lib.sh\n").unwrap();
    std::fs::write(dir.path().join("lib.sh"), "X=1; echo $MODE $X\n").unwrap();
    std::fs::write(dir.path().join("data.py"), "print('$NOT_A_SHELL_VAR')\n").unwrap();
    let lookup = |n: &str| (n == "ROWS").then(|| "100".to_string());
    for cmd in ["sh job > o", "sh < job > o"] {
        let found = super::found(&ws, &format!("{cmd}; python3 data.py"), &[]);
        let env = super::env_hashes(cmd, &found, &lookup);
        let names: Vec<&str> = env.keys().map(String::as_str).collect();
        assert_eq!(names, ["MODE", "ROWS"], "{cmd}");
        assert_eq!(env["ROWS"], super::env::hash_of(Some("100")));
        assert_eq!(env["MODE"], super::env::UNSET);
    }
}

#[test]
fn commands_given_as_words_and_here_strings_to_a_shell_are_read() {
    assert_eq!(
        words("find . -name '*.csv' -exec tools/gen {} \\; -exec sh -c 'tools/two' \\;"),
        [
            "program tools/gen",
            "program sh",
            "program tools/two",
            "program find"
        ]
    );
    assert_eq!(
        words("eval tools/gen x"),
        ["program tools/gen", "program eval"]
    );
    assert_eq!(
        words("bash -c \"bash <<< 'tools/x a'\""),
        ["program bash", "program tools/x"]
    );
    assert_eq!(
        super::env::reads("bash <<< 'echo $FOO'")
            .into_iter()
            .collect::<Vec<_>>(),
        ["FOO"]
    );
}
