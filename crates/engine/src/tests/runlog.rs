use super::session;
use crate::entry::{Entry, RepairEntry};
use crate::runlog::{verify, RunLog};
use crate::scheduler::append_run_record;

#[test]
fn entries_chain_parse_back_typed_and_any_edit_is_found() {
    let (dir, s) = session("nodes:\n  a:\n    stage: make\n");
    let mut log = RunLog::open(&s.ws).unwrap();
    append_run_record(
        &mut log,
        "r1",
        "gosales run",
        3,
        [1, 0, 2, 0, 0],
        12,
        None,
        Default::default(),
    )
    .unwrap();
    append_run_record(
        &mut log,
        "r2",
        "gosales run",
        3,
        [0, 0, 2, 1, 0],
        5,
        None,
        Default::default(),
    )
    .unwrap();
    log.append(&Entry::Repair(RepairEntry {
        at: "2026-01-01T00:00:00.000Z".into(),
        what: "test".into(),
        removed_bytes: 0,
        removed_blake3: None,
    }))
    .unwrap();
    log.append(&serde_json::json!({"kind": "from-a-later-version", "x": 1}))
        .unwrap();
    let (records, problems) = verify(&s.ws).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let kinds: Vec<String> = records
        .iter()
        .map(|(_, _, e)| match e {
            Entry::Run(r) => format!("run {} {} {}", r.stamp.run_id, r.status, r.fresh),
            Entry::Instance(i) => format!("instance {}", i.instance),
            Entry::Repair(r) => format!("repair {}", r.what),
            Entry::Forget(f) => format!("forget {}", f.instances.join(",")),
            Entry::Other => "other".into(),
        })
        .collect();
    assert_eq!(
        kinds,
        ["run r1 ok 2", "run r2 failed 2", "repair test", "other"]
    );

    // Editing, deleting or reordering a line is reported at that line.
    let path = dir.path().join("cache/runlog.jsonl");
    let original = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let edits: Vec<(String, usize)> = vec![
        (original.replacen("\"r1\"", "\"r9\"", 1), 1),
        (format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3]), 2),
        (
            format!("{}\n{}\n{}\n{}\n", lines[1], lines[0], lines[2], lines[3]),
            1,
        ),
    ];
    for (text, line) in edits {
        std::fs::write(&path, &text).unwrap();
        let (_, problems) = verify(&s.ws).unwrap();
        assert!(
            problems.iter().any(|p| p.line == line),
            "expected a problem at line {line}: {problems:?}"
        );
        // And a run refuses to append to it.
        assert!(RunLog::open(&s.ws).is_err());
    }
}

#[test]
fn a_recorded_hash_of_non_ascii_text_is_reported_not_a_panic() {
    let (dir, s) = session("nodes:\n  a:\n    stage: make\n");
    let mut log = RunLog::open(&s.ws).unwrap();
    append_run_record(
        &mut log,
        "r1",
        "gosales run",
        1,
        [1, 0, 0, 0, 0],
        1,
        None,
        Default::default(),
    )
    .unwrap();
    let path = dir.path().join("cache/runlog.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rec: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    // Byte 12 falls inside the sixth `é`.
    rec["hash"] = "aéééééééééééééé".into();
    std::fs::write(&path, format!("{rec}\n")).unwrap();
    let (_, problems) = verify(&s.ws).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.line == 1 && p.message.contains("recorded aééééééééééé,")),
        "{problems:?}"
    );
}

#[test]
fn a_run_refuses_a_log_with_an_empty_line_as_the_audit_does() {
    let (dir, s) = session("nodes:\n  a:\n    stage: make\n");
    let mut log = RunLog::open(&s.ws).unwrap();
    append_run_record(
        &mut log,
        "r1",
        "gosales run",
        1,
        [1, 0, 0, 0, 0],
        1,
        None,
        Default::default(),
    )
    .unwrap();
    append_run_record(
        &mut log,
        "r2",
        "gosales run",
        1,
        [1, 0, 0, 0, 0],
        1,
        None,
        Default::default(),
    )
    .unwrap();
    let path = dir.path().join("cache/runlog.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    // A blank line between records is an edit: refused, as the audit reports it.
    let edited = format!("{first}\n\n{rest}");
    {
        std::fs::write(&path, &edited).unwrap();
        // Past any checkpoint: the bytes before it changed, or the blank line comes after it.
        let (_, problems) = verify(&s.ws).unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.message.starts_with("empty line between records")),
            "{problems:?}"
        );
        assert!(RunLog::open(&s.ws).is_err(), "{edited:?}");
    }
    // Blank space after the last newline is cut off and recorded, not appended after.
    std::fs::write(&path, format!("{text}  ")).unwrap();
    RunLog::open(&s.ws).unwrap();
    let (records, problems) = verify(&s.ws).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(matches!(records.last().unwrap().2, Entry::Repair(_)));
}

#[test]
fn blank_lines_after_the_last_record_are_repaired_not_refused() {
    let (dir, s) = session("nodes:\n  a:\n    stage: make\n");
    let path = dir.path().join("cache/runlog.jsonl");
    // `echo >> cache/runlog.jsonl`, `' \n'`, several, and a log of nothing but a newline.
    for junk in ["\n", " \n", "\n\n \t\n", "\r\n"] {
        let mut log = RunLog::open(&s.ws).unwrap();
        append_run_record(
            &mut log,
            "r",
            "gosales run",
            1,
            [1, 0, 0, 0, 0],
            1,
            None,
            Default::default(),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}{junk}")).unwrap();
        RunLog::open(&s.ws).unwrap_or_else(|e| panic!("{junk:?} refused: {e}"));
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(&text), "{junk:?}: records before it kept");
        let (records, problems) = verify(&s.ws).unwrap();
        assert!(problems.is_empty(), "{junk:?}: {problems:?}");
        let Entry::Repair(r) = &records.last().unwrap().2 else {
            panic!("{junk:?}: no repair record");
        };
        assert_eq!(r.removed_bytes, junk.len());
        assert!(r.what.contains("whitespace"), "{}", r.what);
    }
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, "\n").unwrap();
    RunLog::open(&s.ws).unwrap();
    let (records, problems) = verify(&s.ws).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(records.len(), 1);
}
