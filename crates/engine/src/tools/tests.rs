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
    // `cd` inside a subshell moves only the subshell; its options are not a directory.
    assert_eq!(
        words("(cd sub && make) && python3 run.py; cd -P analysis && Rscript fit.R"),
        [
            "program make",
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
