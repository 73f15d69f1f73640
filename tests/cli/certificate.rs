//! The no-op shortcut (`cache/fresh.cert`): it answers "nothing to do" only while nothing that a
//! full plan reads has changed; every kind of change falls back to the plan and reruns.

use crate::incremental::workspace;
use crate::support::{one_line, Ws};

const SHORTCUT: &str = "no file changed since cache/fresh.cert";

/// Files written less than a clock step ago are not trusted by stat (the hash cache's racy
/// rule), so the certificate is written by the first run after they have aged.
fn settle(ws: &Ws) {
    std::thread::sleep(std::time::Duration::from_millis(150));
    ws.run(&["run"]).ok();
    assert!(ws.path("cache/fresh.cert").is_file());
}

/// Builds, then checks a later run takes the shortcut.
fn built() -> Ws {
    let ws = workspace();
    ws.run(&["run"]).ok();
    settle(&ws);
    let again = ws.run(&["run"]).ok();
    assert!(
        again.stderr.contains("nothing to do: 8 instances fresh")
            && again.stderr.contains(SHORTCUT),
        "{}",
        again.stderr
    );
    ws
}

#[test]
fn each_change_a_plan_would_see_is_seen() {
    type Change = fn(&Ws);
    let changes: [(&str, Change, &str); 8] = [
        (
            "params file",
            |ws| ws.write("stages/train.yaml", "message: other\n"),
            "train@A",
        ),
        (
            "csv var source",
            |ws| {
                ws.write("data/C.txt", "division C\n");
                ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS2,B\nS3,C\n");
            },
            "features@C@2023-06-30",
        ),
        (
            "input, same size",
            |ws| ws.write("data/A.txt", "division Z\n"),
            "features@A@2023-06-30",
        ),
        (
            "output edited",
            |ws| ws.write("outputs/report.txt", "tampered\n"),
            "report",
        ),
        (
            "output deleted",
            |ws| std::fs::remove_file(ws.path("outputs/source/raw.txt")).unwrap(),
            "source",
        ),
        (
            "file added to an output directory",
            |ws| ws.write("outputs/train/B/extra.txt", "x\n"),
            "train@B",
        ),
        (
            "manifest edited",
            |ws| {
                let m = ws
                    .read("pipeline.yaml")
                    .replace("features {division}", "features of {division}");
                ws.write("pipeline.yaml", &m);
            },
            "features@B@2024-06-30",
        ),
        ("a forced instance", |_| {}, "source"),
    ];
    for (what, change, reruns) in changes {
        let ws = built();
        change(&ws);
        let needle = format!("\"instance\":\"{reruns}\"");
        let runs_before = ws.read("cache/runlog.jsonl").matches(&needle).count();
        // A human run: the only kind the shortcut serves.
        let args: &[&str] = if what == "a forced instance" {
            &["run", "--force", "source"]
        } else {
            &["run"]
        };
        let r = ws.run(args).ok();
        assert!(!r.stderr.contains("nothing to do"), "{what}: {}", r.stderr);
        let runs_after = ws.read("cache/runlog.jsonl").matches(&needle).count();
        assert!(
            runs_after > runs_before,
            "{what}: {reruns} did not run\n{}",
            r.stderr
        );
        // Afterwards the shortcut holds again, and agrees with the plan.
        let plan = ws.run(&["run", "--dry-run"]).ok();
        assert!(plan.stdout.is_empty(), "{what}: {}", plan.stdout);
        settle(&ws);
        let again = ws.run(&["run"]).ok();
        assert!(again.stderr.contains(SHORTCUT), "{what}: {}", again.stderr);
    }
}

#[test]
fn a_hand_edited_lock_is_refused_not_certified() {
    let ws = built();
    let lock = ws
        .read("pipeline.lock")
        .replacen("\"first\"", "\"edited\"", 1);
    ws.write("pipeline.lock", &lock);
    let r = ws.run(&["run"]).code(4);
    assert!(
        r.stderr.contains("does not match its own fingerprint"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_lock_whose_recorded_output_hash_was_edited_is_corrupt_state() {
    // A tester zeroed one output's hash: `status` and `run` exited 0 and blamed the output,
    // "modified outside gosales", which nobody had touched.
    let ws = built();
    let lock = ws.read("pipeline.lock");
    let at = lock.find("\"outputs/report.txt\": \"").unwrap() + "\"outputs/report.txt\": \"".len();
    let mut edited = lock.clone();
    edited.replace_range(at..at + 12, "000000000000");
    ws.write("pipeline.lock", &edited);
    for args in [&["status"][..], &["run"]] {
        let r = ws.run(args).code(4);
        assert!(
            one_line(&r.stderr).contains("records outputs or resolved values other than"),
            "{}",
            r.stderr
        );
    }
    assert!(!ws.read("outputs/report.txt").is_empty());
}

#[test]
fn a_target_takes_the_shortcut_and_counts_what_it_selects() {
    let ws = built();
    let r = ws.run(&["run", "--target", "train"]).ok();
    assert!(
        r.stderr.contains("nothing to do: 7 instances fresh"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(SHORTCUT), "{}", r.stderr);
    // An unknown target still gets the plan's error, never a shortcut.
    let r = ws.run(&["run", "--target", "trian"]).code(2);
    assert!(r.stderr.contains("did you mean `train`"), "{}", r.stderr);
    // The run log records the shortcut run like any other, and stays verifiable.
    ws.run(&["audit"]).ok();
}

#[cfg(unix)]
#[test]
fn an_input_behind_a_symlink_is_watched_to_its_bytes() {
    // A tester's `data/in.txt -> ../ext/in.txt`: the certificate watched the link alone, so
    // after an edit of its target `run` said "nothing to do" while `status` said stale.
    let ws = workspace();
    let original = ws.read("data/A.txt");
    ws.write("ext/A.txt", &original);
    std::fs::remove_file(ws.path("data/A.txt")).unwrap();
    std::os::unix::fs::symlink("../ext/A.txt", ws.path("data/A.txt")).unwrap();
    ws.run(&["run"]).ok();
    settle(&ws);
    assert!(ws.run(&["run"]).ok().stderr.contains(SHORTCUT));
    // Same size, so only the target's mtime and bytes say it changed.
    ws.write("ext/A.txt", &original.replace('A', "Z"));
    let r = ws.run(&["run"]).ok();
    assert!(!r.stderr.contains("nothing to do"), "{}", r.stderr);
    assert!(
        ws.read("cache/runlog.jsonl")
            .matches("\"instance\":\"features@A@2023-06-30\"")
            .count()
            >= 2,
        "{}",
        r.stderr
    );
}
