//! An adversarial audit's findings: what `gosales audit` must catch, and what it must say, when
//! someone who can write the workspace edits it on purpose (or a kill or a cut leaves it odd).

use crate::incremental::workspace;
use crate::support::{assert_mentions, Ws};

/// The run log's lines as (line, entry text), the entry exactly as written.
fn log_entries(ws: &Ws) -> Vec<String> {
    ws.read("cache/runlog.jsonl")
        .lines()
        .map(|l| {
            let at = l.find(",\"entry\":").expect("a record") + ",\"entry\":".len();
            l[at..l.len() - 1].to_string()
        })
        .collect()
}

/// Writes `entries` as a whole chain, every hash recomputed: what anyone who can write the
/// workspace can do, since no key signs the log.
fn write_chain(ws: &Ws, entries: &[String]) {
    let mut prev = gosales_engine::runlog::GENESIS.to_string();
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let seq = i as u64 + 1;
        let hash = gosales_engine::runlog::chain_hash(seq, &prev, e);
        out.push_str(&format!(
            "{{\"seq\":{seq},\"prev\":\"{prev}\",\"hash\":\"{hash}\",\"entry\":{e}}}\n"
        ));
        prev = hash;
    }
    ws.write("cache/runlog.jsonl", &out);
    // The checkpoint only speeds a run's check up; a forger would drop it too.
    let _ = std::fs::remove_file(ws.path("cache/runlog.verified"));
}

fn blake3_of(ws: &Ws, rel: &str) -> String {
    blake3::hash(&std::fs::read(ws.path(rel)).unwrap())
        .to_hex()
        .to_string()
}

fn edit_lock(ws: &Ws, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut lock: serde_json::Value = serde_json::from_str(&ws.read("pipeline.lock")).unwrap();
    edit(&mut lock);
    ws.write(
        "pipeline.lock",
        &(serde_json::to_string_pretty(&lock).unwrap() + "\n"),
    );
}

#[test]
fn audit_prints_the_head_and_a_kept_head_catches_a_forged_history_with_every_hash_recomputed() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let r = ws.run(&["audit", "--json"]).ok();
    let head = r.json()["head"]["hash"].as_str().unwrap().to_string();
    assert_eq!(head.len(), 64);
    assert_eq!(r.json()["head"]["record"], 9);
    let text = ws.run(&["audit"]).ok();
    assert_mentions(
        &text.stdout,
        &[&format!("head {head} (record 9)"), "agrees with itself"],
    );

    // Appending keeps an old head valid: it is still a record, unchanged with all before it.
    ws.write("stages/train.yaml", "message: second\n");
    ws.run(&["run"]).ok();
    let r = ws.run(&["audit", "--head", &head]).ok();
    assert_mentions(&r.stdout, &[&format!("anchored: head {head} is record 9")]);
    let first = head;
    let head = ws.run(&["audit", "--json"]).json()["head"]["hash"]
        .as_str()
        .unwrap()
        .to_string();

    // The forgery: the report's output rewritten, its hash in the lock, in its run's record,
    // and every chain hash recomputed. Internally consistent, so without an anchor it passes.
    let old = blake3_of(&ws, "outputs/report.txt");
    ws.write("outputs/report.txt", "forged\n");
    let new = blake3_of(&ws, "outputs/report.txt");
    ws.write(
        "pipeline.lock",
        &ws.read("pipeline.lock").replace(&old, &new),
    );
    // The entry's seal recomputed too: it catches an edit, not a forger who knows the rule.
    edit_lock(&ws, |l| {
        let e = &mut l["instances"]["report"];
        let mut h = blake3::Hasher::new();
        h.update(e["fingerprint"].as_str().unwrap().as_bytes());
        for (path, hash) in e["outputs"].as_object().unwrap() {
            h.update(b"\0");
            h.update(path.as_bytes());
            h.update(b"\0");
            h.update(hash.as_str().unwrap().as_bytes());
        }
        e["seal"] = h.finalize().to_hex().to_string().into();
    });
    let entries: Vec<String> = log_entries(&ws)
        .into_iter()
        .map(|e| e.replace(&old, &new))
        .collect();
    write_chain(&ws, &entries);
    ws.run(&["audit"]).ok();
    // The head kept from before does not survive it.
    let r = ws.run(&["audit", "--head", &head]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            &format!("head {}", &head[..16]),
            "no record of cache/runlog.jsonl has this hash",
            "rewritten",
        ],
    );
    // The records before the forged one are untouched: the first head still holds.
    ws.run(&["audit", "--head", &first]).ok();
    // A head is the whole hash: a prefix or a typo is a bad command line.
    let r = ws.run(&["audit", "--head", &head[..12]]).code(2);
    assert_mentions(&r.stderr, &["is no head"]);
}

#[test]
fn audit_reports_a_dropped_lock_entry_or_output_that_it_would_no_longer_check() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let clean = ws.read("pipeline.lock");

    // The entry dropped, and its output edited: nothing else said a word of that file.
    edit_lock(&ws, |l| {
        l["instances"].as_object_mut().unwrap().remove("report");
    });
    ws.write("outputs/report.txt", "edited\n");
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "pipeline.lock: report",
            "succeeded, but pipeline.lock has no entry for it",
        ],
    );

    // One output dropped from an entry.
    ws.write("pipeline.lock", &clean);
    ws.run(&["run", "--force", "report"]).ok();
    edit_lock(&ws, |l| {
        l["instances"]["report"]["outputs"]
            .as_object_mut()
            .unwrap()
            .clear();
    });
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &["output `outputs/report.txt`", "is not in pipeline.lock"],
    );
}

#[test]
fn audit_leaves_alone_an_entry_a_run_forgot_for_an_instance_dropped_from_the_manifest() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    // Division B leaves the SKU map: a run forgets its entries, and records that it did.
    ws.write("stages/sku_map.csv", "sku,division\nS1,A\nS3,A\n");
    ws.run(&["run"]).ok();
    assert!(!ws.read("pipeline.lock").contains("train@B"));
    assert!(ws
        .read("cache/runlog.jsonl")
        .contains("\"kind\":\"forget\""));
    ws.run(&["audit"]).ok();
    // Even without the manifest to say B is gone, the log does.
    std::fs::rename(ws.path("pipeline.yaml"), ws.path("pipeline.yaml.away")).unwrap();
    let r = ws.run(&["audit", "--json"]).ok();
    assert_mentions(&r.stdout, &["no manifest at"]);
}

#[test]
fn audit_reports_an_unexpected_file_in_an_output_directory() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let lock: serde_json::Value = serde_json::from_str(&ws.read("pipeline.lock")).unwrap();
    let root = lock["instances"]["train@A"]["output_roots"][0]
        .as_str()
        .unwrap()
        .to_string();
    ws.write(&format!("{root}/probe_FINAL.txt"), "x\n");
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[&format!(
            "{root}/probe_FINAL.txt: unexpected file in an output directory of train@A"
        )],
    );
}

#[test]
fn audit_reports_outputs_that_no_longer_follow_from_the_params_and_upstream_on_disk() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    // A params file edited: the recorded outputs are not what it makes now.
    ws.write("stages/train.yaml", "message: edited\n");
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "train@A: its recorded outputs are not what the files on disk now make",
            "param `message`",
            "a run would rebuild it",
        ],
    );
    // One upstream rebuilt alone: downstream records name upstream bytes no longer published.
    ws.run(&["run", "-t", "train@A"]).ok();
    let r = ws.run(&["audit", "--json"]).code(1);
    let problems = r.json()["problems"].as_array().unwrap().clone();
    let named: Vec<&str> = problems
        .iter()
        .map(|p| p["what"].as_str().unwrap())
        .collect();
    assert!(named.contains(&"report"), "{problems:?}");
    assert!(named.contains(&"train@B"), "{problems:?}");
    assert!(!named.contains(&"train@A"), "{problems:?}");
    // The run it names makes it pass.
    ws.run(&["run"]).ok();
    ws.run(&["audit"]).ok();
}

#[test]
fn a_run_refuses_an_edited_last_record_rather_than_cut_it_as_torn_and_audit_notes_repairs() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let log = ws.read("cache/runlog.jsonl");
    // The last record edited, then its newline dropped so that it looks torn.
    let edited = log.trim_end().replacen("\"built\":8", "\"built\":9", 1);
    assert_ne!(edited, log.trim_end());
    ws.write("cache/runlog.jsonl", &edited);
    let r = ws.run(&["run", "--json"]).code(4);
    assert_mentions(
        r.json()["error"].as_str().unwrap(),
        &["line 9 (the last, without its newline) does not match its hash (edited?)"],
    );
    assert_eq!(
        ws.read("cache/runlog.jsonl"),
        edited,
        "the evidence was cut"
    );
    // What the run refuses, `status --check` and the dry run refuse: a CI gate on them passed.
    for args in [&["status", "--check"][..], &["run", "-n"][..]] {
        let r = ws.run(args).code(4);
        assert!(
            r.stderr
                .contains("is corrupt: line 9 (the last, without its newline)"),
            "{args:?}: {}",
            r.stderr
        );
    }
    // The audit fails, and offers no head to keep of the chain that failed.
    let r = ws.run(&["audit"]).code(1);
    assert!(!r.stdout.contains("head "), "{}", r.stdout);

    // A real tear is repaired, and the audit's verdict says so.
    ws.write("cache/runlog.jsonl", &format!("{log}{{\"seq\":10,\"pr"));
    ws.run(&["run"]).ok();
    let r = ws.run(&["audit"]).ok();
    assert_mentions(
        &r.stdout,
        &[
            "the log records 1 repair(s)",
            "note: the run log records a repair at line 10",
            "torn",
        ],
    );
}

#[test]
fn audit_after_a_kill_says_the_lock_journal_holds_the_completed_instances() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    // What a kill -9 of a first run leaves: the records of the instances it finished (the
    // first three here), each of them in the journal, and no pipeline.lock yet.
    let entries: Vec<String> = log_entries(&ws).into_iter().take(3).collect();
    let lock: serde_json::Value = serde_json::from_str(&ws.read("pipeline.lock")).unwrap();
    let mut journal = String::new();
    for e in &entries {
        let e: serde_json::Value = serde_json::from_str(e).unwrap();
        let id = e["instance"].as_str().unwrap();
        let entry = &lock["instances"][id];
        journal.push_str(&serde_json::json!({"id": id, "entry": entry}).to_string());
        journal.push('\n');
    }
    ws.write("cache/lock.journal", &journal);
    // The instances it had not finished published nothing.
    let finished: Vec<String> = entries
        .iter()
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(e).unwrap()["instance"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for (id, entry) in lock["instances"].as_object().unwrap() {
        if !finished.contains(id) {
            for path in entry["outputs"].as_object().unwrap().keys() {
                std::fs::remove_file(ws.path(path)).unwrap();
            }
        }
    }
    std::fs::remove_file(ws.path("pipeline.lock")).unwrap();
    write_chain(&ws, &entries);
    let r = ws.run(&["audit"]).ok();
    assert!(!r.stdout.contains("pipeline.lock: missing"), "{}", r.stdout);
    assert_mentions(
        &r.stdout,
        &[
            "cache/lock.journal holds 3 instance(s)",
            "`gosales run` finishes the rest",
        ],
    );
}

#[test]
fn audit_names_the_fix_when_the_logs_last_records_are_cut() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    // The run record and the last instance record (`report`'s) cut off the end.
    let log = ws.read("cache/runlog.jsonl");
    let lines: Vec<&str> = log.lines().collect();
    ws.write(
        "cache/runlog.jsonl",
        &(lines[..lines.len() - 2].join("\n") + "\n"),
    );
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "pipeline.lock: report: no successful run of this instance is recorded",
            "`gosales run --force report` rebuilds and records it",
        ],
    );
    ws.run(&["run", "--force", "report"]).ok();
    ws.run(&["audit"]).ok();
}

#[test]
fn the_ui_audit_page_says_what_audit_says_when_the_lock_or_run_log_is_deleted() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    std::fs::remove_file(ws.path("pipeline.lock")).unwrap();
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(&r.stdout, &["pipeline.lock: missing"]);
    let ui = crate::ui::start(&ws);
    let (_, _, page) = crate::ui::get(&ui, "/audit");
    assert_mentions(&page, &["Audit FAILED", "missing, while the run log holds"]);
    drop(ui);

    let ws = workspace();
    ws.run(&["run"]).ok();
    std::fs::remove_file(ws.path("cache/runlog.jsonl")).unwrap();
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(&r.stdout, &["gosales run --force"]);
    let ui = crate::ui::start(&ws);
    let (_, _, page) = crate::ui::get(&ui, "/audit");
    assert!(!page.contains("Nothing has been built"), "{page}");
    assert_mentions(
        &page,
        &[
            "Audit FAILED",
            "missing while pipeline.lock records 8 built instances",
        ],
    );
}

#[test]
fn audit_reports_a_record_whose_fingerprint_its_own_recorded_inputs_do_not_give() {
    // A forger rewrote a record's params (to say other params made its outputs) and recomputed
    // the chain, but not the fingerprint, which the lock still matches.
    let ws = workspace();
    ws.run(&["run"]).ok();
    let entries: Vec<String> = log_entries(&ws)
        .into_iter()
        .map(|e| {
            if e.contains("\"instance\":\"train@A\"") {
                e.replace("\"message\":\"first\"", "\"message\":\"approved\"")
            } else {
                e
            }
        })
        .collect();
    assert!(entries.iter().any(|e| e.contains("approved")));
    write_chain(&ws, &entries);
    let r = ws.run(&["audit"]).code(1);
    let text = format!("{}{}", r.stdout, r.stderr);
    assert!(
        text.contains("the record of `train@A` names a fingerprint its own recorded params, inputs and code do not give"),
        "{text}"
    );
}

#[test]
fn a_forged_hash_cache_entry_cannot_make_a_run_record_bytes_it_did_not_read() {
    // A tester changed an upstream output and rewrote its hash-cache entry (the new file's
    // stat, the old hash). A downstream then ran on the tampered bytes and recorded the old
    // hash as what it read; with the bytes put back, `status` and `audit` vouched for output
    // made from the tampered ones.
    use std::os::unix::fs::MetadataExt;
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: printf good > {out.0}\n    outputs: [outputs/a.txt]\n  b:\n    cmd: cat {in.0} > {out.0}\n    inputs: [outputs/a.txt]\n    outputs: [outputs/b.txt]\n",
    );
    ws.run(&["run"]).ok();
    let good = blake3_of(&ws, "outputs/a.txt");
    ws.write("outputs/a.txt", "evil");
    let meta = std::fs::metadata(ws.path("outputs/a.txt")).unwrap();
    let mut cache: serde_json::Value =
        serde_json::from_str(&ws.read("cache/hashcache.json")).unwrap();
    cache["files"]["outputs/a.txt"] = serde_json::json!({
        "size": meta.size(),
        "mtime_ns": meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
        "ctime_ns": meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        "ino": meta.ino(),
        "dev": meta.dev(),
        "hash": good,
    });
    ws.write("cache/hashcache.json", &cache.to_string());
    let manifest = ws.read("pipeline.yaml");
    ws.write(
        "pipeline.yaml",
        &manifest.replace("cat {in.0} > {out.0}", "cat < {in.0} > {out.0}"),
    );
    let r = ws.run(&["run", "--target", "b"]).ok();
    assert_mentions(
        &r.stderr,
        &["`outputs/a.txt`, an output of `a`, changed on disk after `a` wrote it"],
    );
    assert_eq!(ws.read("outputs/b.txt"), "evil");
    // The bytes put back: `b`, made from the others, is stale, and the audit says so.
    ws.write("outputs/a.txt", "good");
    let s = ws.run(&["status", "--check"]).code(1);
    assert!(
        s.stdout.contains("b ") && s.stdout.contains("stale"),
        "{}",
        s.stdout
    );
    ws.run(&["audit"]).code(1);
}

#[test]
fn a_forged_hash_cache_entry_of_a_script_cannot_make_a_run_record_it() {
    // The same forgery on the script a `cmd` runs: the run recorded the old script's hash for
    // the output the tampered one made, and with the script put back `audit` passed.
    use std::os::unix::fs::MetadataExt;
    let ws = Ws::new(
        "nodes:\n  t:\n    cmd: sh scripts/say.sh > {out.0}\n    outputs: [outputs/t.txt]\n",
    );
    ws.write("scripts/say.sh", "echo good\n");
    // Past the window in which a file just written is hashed but not cached.
    std::thread::sleep(std::time::Duration::from_millis(250));
    ws.run(&["run"]).ok();
    let cache: serde_json::Value = serde_json::from_str(&ws.read("cache/hashcache.json")).unwrap();
    let key = cache["files"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.ends_with("say.sh"))
        .expect("the script's entry")
        .clone();
    let old = cache["files"][&key]["hash"].clone();
    ws.write("scripts/say.sh", "echo evil\n");
    let meta = std::fs::metadata(ws.path("scripts/say.sh")).unwrap();
    let mut forged = cache.clone();
    forged["files"][&key] = serde_json::json!({
        "size": meta.size(),
        "mtime_ns": meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
        "ctime_ns": meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        "ino": meta.ino(),
        "dev": meta.dev(),
        "hash": old,
    });
    ws.write("cache/hashcache.json", &forged.to_string());
    let manifest = ws.read("pipeline.yaml");
    ws.write(
        "pipeline.yaml",
        &manifest.replace("> {out.0}", "> {out.0} 2>&1"),
    );
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/t.txt"), "evil\n");
    ws.write("scripts/say.sh", "echo good\n");
    ws.run(&["status", "--check"]).code(1);
    ws.run(&["audit"]).code(1);
}

#[test]
fn audit_names_the_line_of_a_non_utf8_byte_and_bytes_outside_the_hashed_entry() {
    let ws = workspace();
    ws.run(&["run"]).ok();
    let clean = std::fs::read(ws.path("cache/runlog.jsonl")).unwrap();
    let lines: Vec<&[u8]> = clean.split(|&b| b == b'\n').collect();
    let with_line = |n: usize, line: Vec<u8>| {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(if i + 1 == n { &line } else { l });
        }
        std::fs::write(ws.path("cache/runlog.jsonl"), out).unwrap();
    };
    // One byte that is no UTF-8: until 2026-12-07 a filesystem error (exit 6), no line.
    let mut bad = lines[2].to_vec();
    let at = bad.iter().position(|&b| b == b'{').unwrap() + 1;
    bad.insert(at, 0xff);
    with_line(3, bad);
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &["cache/runlog.jsonl:3", "not UTF-8 text (a byte was edited)"],
    );
    // A field beside `entry`: nothing hashes it, so nothing vouched for it (it passed).
    let text = String::from_utf8(lines[3].to_vec()).unwrap();
    with_line(
        4,
        text.replacen('{', "{\"approved_by\":\"CFO\",", 1)
            .into_bytes(),
    );
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "cache/runlog.jsonl:4",
            "holds bytes outside its hashed entry",
        ],
    );
    // ... and a run refuses it, as any other edit (exit 4).
    let r = ws.run(&["run", "--force", "report", "--json"]).code(4);
    let message = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        message.contains("line 4 holds bytes outside its hashed entry"),
        "{message}"
    );
    // CR line ends (the log converted to CRLF).
    let crlf: Vec<u8> = String::from_utf8(clean.clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    std::fs::write(ws.path("cache/runlog.jsonl"), crlf).unwrap();
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "cache/runlog.jsonl:1",
            "ends in a carriage return (the log was converted to CRLF line ends)",
            "sed -i 's/\\r$//' cache/runlog.jsonl",
        ],
    );
    // The last record edited and its newline dropped, as if torn: refused by a run as any
    // other edited line (it was "repaired", a newline added after the edit).
    let mut last = clean.clone();
    last.pop();
    let at = last.iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let edited = String::from_utf8(last[at..].to_vec()).unwrap().replacen(
        '{',
        "{\"approved_by\":\"CFO\",",
        1,
    );
    last.truncate(at);
    last.extend_from_slice(edited.as_bytes());
    std::fs::write(ws.path("cache/runlog.jsonl"), &last).unwrap();
    let r = ws.run(&["run", "--json"]).code(4);
    let message = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        message.contains("(the last, without its newline) holds bytes outside its hashed entry"),
        "{message}"
    );
    // A blank line at the end is said to be one, with its fix; between records, an edit.
    let mut tail = clean.clone();
    tail.push(b'\n');
    std::fs::write(ws.path("cache/runlog.jsonl"), &tail).unwrap();
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &["blank line after the last record (no record is lost: `gosales run` removes it"],
    );
    std::fs::write(ws.path("cache/runlog.jsonl"), &clean).unwrap();
    ws.run(&["audit"]).ok();
}

#[test]
fn audit_blames_an_edited_lock_hash_on_the_lock_and_never_passes_unrecorded_outputs() {
    let ws = workspace();
    // Never built: nothing to vouch for, said so.
    let r = ws.run(&["audit"]).ok();
    assert!(
        r.stdout.contains("audit ok: nothing is built yet"),
        "{}",
        r.stdout
    );
    ws.run(&["run"]).ok();
    let lock = ws.read("pipeline.lock");
    // One hex digit of a recorded hash changed in the lock; the file is as the log has it.
    let h = blake3_of(&ws, "outputs/report.txt");
    let flipped = format!("{}{}", if h.starts_with('0') { '1' } else { '0' }, &h[1..]);
    ws.write("pipeline.lock", &lock.replace(&h, &flipped));
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "records `outputs/report.txt` as blake3",
            "the lock was edited (or a run was killed between recording the run and writing the lock), not the file",
        ],
    );
    assert!(
        !r.stdout.contains("outputs/report.txt: content changed"),
        "{}",
        r.stdout
    );
    // Lock and history deleted, an output forged: until 2026-12-07 "audit ok" on 0 records.
    std::fs::remove_file(ws.path("pipeline.lock")).unwrap();
    std::fs::remove_dir_all(ws.path("cache")).unwrap();
    ws.write("outputs/report.txt", "forged\n");
    let r = ws.run(&["audit"]).code(1);
    assert_mentions(
        &r.stdout,
        &[
            "8 file(s) sit under the declared outputs of 8 instance(s) that pipeline.lock has no entry for",
        ],
    );
}
