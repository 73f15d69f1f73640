//! A real browser (Debian's headless chromium, installed by `.ci/run`) loads every UI page,
//! finds its main table or chart, sees no console error, and saves a screenshot under
//! `target/tmp/screenshots/`. Skipped, saying so, where chromium is not installed.

use std::process::Command;

use crate::support::Ws;
use crate::ui::start;

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

fn browse(bin: &str, profile: &std::path::Path, extra: &[&str], url: &str) -> (String, String) {
    let o = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn every_page_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (.ci/run installs it)");
        return;
    };
    let ws = Ws::new(crate::ui::OUTPUTS_PIPELINE);
    ws.write(
        "outputs/scores/icp_scores.csv",
        "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n1,Acme,PDM,0.9,99,A,r1,r2,r3,abc,2024-12-31\n",
    );
    ws.write(
        "outputs/whitespace.csv",
        "customer_id,customer_name,division,score,explanation\n1,Acme,CAMWorks,0.8,\"p=0.31\"\n",
    );
    crate::ui::model_fixture(&ws);
    ws.write("outputs/qa/row_counts.json", r#"{"raw_rows": 10, "staged_rows": 9, "fact_transactions": 12, "dim_customer": 3, "blocked": false, "dropped": {"exact_duplicate": 1}}"#);
    ws.write(
        "outputs/qa/violations.csv",
        "rule,severity,row,column,value,message\nexact_duplicate,warning,3,,,dropped\n",
    );
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let server = start(&ws);
    for (name, path, marker) in [
        ("overview", "/", "<h1>Overview</h1>"),
        ("scores", "/scores", "<table id=\"rows\">"),
        ("whitespace", "/whitespace", "<table id=\"rows\">"),
        ("models", "/models", "<svg id=\"gains-PDM\""),
        (
            "model",
            "/models?division=PDM",
            "<svg id=\"calibration-PDM\"",
        ),
        ("customer", "/customer?id=1", "<table id=\"opportunities\">"),
        ("quality", "/quality", "<table id=\"violations\">"),
        ("audit", "/audit", "<h1>Audit</h1>"),
    ] {
        let url = format!("http://127.0.0.1:{}{path}", server.port);
        let (dom, log) = browse(
            bin,
            &ws.path(&format!("profile-{name}")),
            &["--dump-dom"],
            &url,
        );
        assert!(
            dom.contains(marker),
            "{path}: `{marker}` not in the rendered DOM"
        );
        assert!(
            !log.lines()
                .any(|l| l.contains(":CONSOLE") && l.to_lowercase().contains("error")),
            "{path}: console error:\n{log}"
        );
        let shot = shots.join(format!("{name}.png"));
        browse(
            bin,
            &ws.path(&format!("profile-{name}-shot")),
            &[&format!("--screenshot={}", shot.display())],
            &url,
        );
        assert!(
            std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
            "{path}: no screenshot"
        );
    }
}
