//! The web UI over HTTP: every page, downloads, escaping, refusals, and the empty workspace.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use crate::support::Ws;

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(ws: &Ws) -> Server {
    let mut child = ws
        .cmd(&["ui", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no port in {line:?}"));
    Server { child, port }
}

/// (status, headers, body)
pub fn get(s: &Server, path: &str) -> (u16, String, String) {
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(c, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut raw = String::new();
    c.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// Nodes that write the files each page reads (by `cmd`, so a test can run them quickly).
const PAGES_PIPELINE: &str = r#"
version: 1
nodes:
  star:
    cmd: mkdir -p {out.0}
    outputs: [outputs/qa]
  train:
    cmd: mkdir -p {out.0}
    outputs: [outputs/train]
  score:
    cmd: cp {in.s} {out.0}
    inputs: {s: data/scores.csv}
    outputs: [outputs/scores/icp_scores.csv]
  whitespace:
    cmd: cp {in.w} {out.0}
    needs: [score]
    inputs: {w: data/ws.csv}
    outputs: [outputs/whitespace.csv]
"#;

/// One node declaring every file the pages read at the default pipeline's paths (never run: a
/// test writes the files). A page shows only what a node of the manifest writes.
pub const OUTPUTS_PIPELINE: &str = r#"
version: 1
nodes:
  pages:
    cmd: "true"
    outputs: [outputs/train, outputs/validate, outputs/scores, outputs/whitespace.csv, outputs/whitespace_summary.json, outputs/whitespace_holdout.json, outputs/qa, outputs/holdout/qa, outputs/truth, outputs/sales_log]
"#;

#[test]
fn before_any_run_every_page_says_what_to_build() {
    let ws = Ws::new(PAGES_PIPELINE);
    ws.write("data/scores.csv", "customer_id\n");
    ws.write("data/ws.csv", "customer_id\n");
    let s = start(&ws);
    for (path, says) in [
        ("/", "<code>gosales run</code> builds the whole pipeline"),
        ("/scores", "Not built yet: the ICP scores"),
        ("/scores", "<code>gosales run --target score</code>"),
        (
            "/whitespace",
            "<code>gosales run --target whitespace</code>",
        ),
        ("/models", "Not built yet: the models"),
        ("/models", "<code>gosales run --target train</code>"),
        ("/quality", "<code>gosales run --target star</code>"),
        (
            "/audit",
            "<code>gosales run</code> builds the whole pipeline",
        ),
        (
            "/customer?id=1",
            "<code>gosales run --target score --target whitespace</code>",
        ),
    ] {
        let (code, _, body) = get(&s, path);
        assert_eq!(code, 200, "{path}");
        assert!(body.contains(says), "{path}: {body}");
        assert!(!body.contains("has not"), "{path}: {body}");
    }
    // A download of what is not built is a plain 404 that says what builds it.
    let (code, head, body) = get(&s, "/scores?format=csv");
    assert_eq!(code, 404, "{body}");
    assert!(head.contains("text/plain"), "{head}");
    assert!(body.contains("`gosales run --target score`"), "{body}");
    // A manifest without the node suggests no target: it says that no node writes the file.
    let empty = Ws::new("nodes: {}\n");
    let s = start(&empty);
    let (_, _, body) = get(&s, "/scores");
    assert!(
        body.contains("No node in <code>pipeline.yaml</code> writes") && !body.contains("--target"),
        "{body}"
    );
}

#[test]
fn a_workspace_without_a_holdout_is_told_how_to_add_one_not_a_missing_target() {
    let ws = Ws::new(PAGES_PIPELINE);
    model_fixture(&ws);
    std::fs::remove_dir_all(ws.path("outputs/validate")).unwrap();
    let s = start(&ws);
    let (code, _, body) = get(&s, "/models?division=PDM");
    assert_eq!(code, 200);
    assert!(!body.contains("--target validate"), "{body}");
    assert!(
        body.contains("no holdout validation node")
            && body.contains("gosales init DIR --sales-log FILE --holdout FILE"),
        "{body}"
    );
    // With a validate node, the page names it.
    let mut m = PAGES_PIPELINE.to_string();
    m.push_str("  validate:\n    cmd: mkdir -p {out.0}\n    outputs: [outputs/validate/PDM]\n");
    ws.write("pipeline.yaml", &m);
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(
        body.contains("<code>gosales run --target validate</code>"),
        "{body}"
    );
}

#[test]
fn long_and_guarded_ids_open_and_every_page_shows_the_true_values() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let long = "Q".repeat(250);
    let hebrew = "\u{5e9}".repeat(120); // 240 bytes
    let header = "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n";
    // As the score stage writes them: formula-like text behind a `'`; a true `'=x` behind two.
    let rows = format!(
        "{long},Long id,PDM,0.9,99,A,r1,r2,r3,abc,2024-12-31\n\
         {hebrew},Hebrew id,PDM,0.8,90,A,r1,r2,r3,abc,2024-12-31\n\
         '+plus,'=1+1,'-At Div,0.7,80,B,r1,r2,r3,abc,2024-12-31\n\
         q1,''=x,PDM,0.6,70,B,r1,r2,r3,abc,2024-12-31\n\
         rtl,\u{202e}evil,PDM,0.5,60,C,r1,r2,r3,abc,2024-12-31\n"
    );
    ws.write("outputs/scores/icp_scores.csv", &format!("{header}{rows}"));
    let s = start(&ws);
    let (code, _, body) = get(&s, "/scores");
    assert_eq!(code, 200);
    // Every customer link the page prints opens that customer.
    let links: Vec<String> = body
        .split("href=\"/customer?id=")
        .skip(1)
        .map(|x| format!("/customer?id={}", &x[..x.find('"').unwrap()]))
        .collect();
    assert_eq!(links.len(), 5, "{body}");
    for l in &links {
        let (code, _, page) = get(&s, l);
        assert_eq!(code, 200, "{l}: {page}");
    }
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    for id in [&long, &hebrew] {
        let (code, _, page) = get(&s, &format!("/scores?q={}", enc(id)));
        assert_eq!(code, 200, "{page}");
        assert!(page.contains("1 rows"), "{page}");
        assert_eq!(get(&s, &format!("/customer?id={}", enc(id))).0, 200);
    }
    // A bound remains.
    assert_eq!(get(&s, &format!("/scores?q={}", "x".repeat(5000))).0, 400);
    // True values shown and matched, not the spreadsheet guard.
    assert!(body.contains("<bdi>=1+1</bdi>"), "{body}");
    assert!(body.contains("<bdi>&#39;=x</bdi>"), "{body}");
    assert!(
        !body.contains("&#39;-At Div") && !body.contains("&#39;&#39;=x"),
        "{body}"
    );
    let (code, _, page) = get(&s, "/scores?division=-At%20Div");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("1 rows"), "{page}");
    let (code, _, page) = get(&s, "/customer?id=%2Bplus");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("Customer: \u{2068}=1+1\u{2069}"), "{page}");
    // The Customer page is not Whitespace: nothing in the nav is marked.
    assert!(!page.contains("class=\"on\""), "{page}");
    // Text from data is isolated, so a direction override cannot reorder the page.
    assert!(body.contains("<bdi>\u{202e}evil</bdi>"), "{body}");
    // The download is guarded again, exactly as the stage wrote it.
    let (_, _, csv) = get(&s, "/scores?format=csv");
    assert_eq!(csv, format!("{header}{rows}"));
}

#[test]
fn query_values_are_refused_alike_and_the_form_keeps_the_page_size() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    ws.write(
        "outputs/scores/icp_scores.csv",
        "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n\
         1,Acme,PDM,,99,A,r1,r2,r3,abc,2024-12-31\n\
         2,Bolt,PDM,0.5,50,C,r1,r2,r3,abc,2024-12-31\n\
         3,Cobalt,PDM,0.4,50,C,r1,r2,r3,abc,2024-12-31\n",
    );
    let s = start(&ws);
    for (path, says) in [
        ("/scores?page=0", "`page` must be a whole number, 1 or more"),
        (
            "/scores?page=-1",
            "`page` must be a whole number, 1 or more",
        ),
        ("/scores?icp_grade=Z", "have: A, C"),
        ("/scores?format=json", "`format` must be `csv`"),
        ("/scores?format=CSV", "`format` must be `csv`"),
        ("/scores?page=2&page=3", "`page` is given more than once"),
    ] {
        let (code, _, body) = get(&s, path);
        assert_eq!(code, 400, "{path}: {body}");
        assert!(body.contains(says), "{path}: {body}");
    }
    // Raw bytes that are not UTF-8 in the request line: an answer, not a closed connection.
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.write_all(b"GET /scores?q=\xff\xfe HTTP/1.0\r\n\r\n")
        .unwrap();
    let mut raw = String::new();
    c.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 400"), "{raw:?}");
    // Empty cells sort last in either order.
    let order = |body: &str| -> Vec<usize> {
        let rows = body.split("<table id=\"rows\">").nth(1).unwrap();
        ["Acme", "Bolt", "Cobalt"]
            .iter()
            .map(|n| rows.find(n).unwrap())
            .collect()
    };
    for dir in ["asc", "desc"] {
        let (_, _, body) = get(&s, &format!("/scores?sort=p_icp&order={dir}"));
        let o = order(&body);
        assert!(o[0] > o[1] && o[0] > o[2], "{dir}: the empty p_icp last");
    }
    // The filter form carries the page size chosen.
    let (_, _, body) = get(&s, "/scores?size=2");
    assert!(
        body.contains("<input type=\"hidden\" name=\"size\" value=\"2\">"),
        "{body}"
    );
}

#[test]
fn stale_or_tampered_outputs_and_malformed_rows_get_a_banner() {
    let ws = Ws::new(PAGES_PIPELINE);
    let header = "customer_id,customer_name,division,score,rank_in_customer,explanation\n";
    ws.write("data/scores.csv", "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n7,Acme,PDM,0.9,99,A,r1,r2,r3,abc,2024-12-31\n");
    ws.write(
        "data/ws.csv",
        &format!("{header}7,Acme,CAMWorks,0.9,1,p\n8,Bolt,CAMWorks,0.8,1,p\n"),
    );
    ws.run(&["run"]).ok();
    let s = start(&ws);
    for path in ["/whitespace", "/scores", "/customer?id=7"] {
        let (code, _, body) = get(&s, path);
        assert_eq!(code, 200, "{path}");
        assert!(!body.contains("id=\"stale\""), "fresh: {path}: {body}");
    }
    // The input of `whitespace` changes: its page (and the customer's) say so; Scores does not.
    ws.write(
        "data/ws.csv",
        &format!("{header}8,Bolt,CAMWorks,0.9,1,p\n7,Acme,CAMWorks,0.8,1,p\n"),
    );
    for path in ["/whitespace", "/customer?id=7"] {
        let (_, _, body) = get(&s, path);
        assert!(
            body.contains("id=\"stale\"")
                && body.contains("<code>gosales run --target whitespace</code>"),
            "{path}: {body}"
        );
    }
    assert!(!get(&s, "/scores").2.contains("id=\"stale\""));
    ws.run(&["run"]).ok();
    assert!(!get(&s, "/whitespace").2.contains("id=\"stale\""));
    // A truncated output: its partial last row is an error banner, and the lock disagrees.
    let full = ws.read("outputs/whitespace.csv");
    ws.write("outputs/whitespace.csv", &full[..full.len() - 8]);
    let (_, _, body) = get(&s, "/whitespace");
    assert!(body.contains("id=\"malformed\""), "{body}");
    assert!(
        body.contains("1 record of <code>outputs/whitespace.csv</code> cannot be read"),
        "{body}"
    );
    assert!(
        body.contains("was modified outside gosales")
            && body.contains("<code>gosales run --target whitespace</code>"),
        "{body}"
    );
    // An empty file is said to be one, not shown as a ranking of 0 rows (until 2026-12-07).
    ws.write("outputs/scores/icp_scores.csv", "");
    let (_, _, body) = get(&s, "/scores");
    assert!(
        body.contains("<code>outputs/scores/icp_scores.csv</code> is empty (no header row)")
            || body.contains("`outputs/scores/icp_scores.csv` is empty (no header row)"),
        "{body}"
    );
    assert!(!body.contains("0 rows"), "{body}");
    assert_eq!(get(&s, "/scores?format=csv").0, 500);
    // Its download is refused, not served short of the record (a 200 until 2026-12-07).
    let (code, _, body) = get(&s, "/whitespace?format=csv");
    assert_eq!(code, 500, "{body}");
    assert!(
        body.contains("1 record of `outputs/whitespace.csv` cannot be read"),
        "{body}"
    );
}

#[test]
fn stalled_downloads_hold_a_thread_for_the_timeout_at_most() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let mut big =
        String::from("customer_id,customer_name,division,score,rank_in_customer,explanation\n");
    let mut i = 0;
    while big.len() < 9_000_000 {
        big.push_str(&format!(
            "{i},\"Customer name {i}\",PDM,0.5,1,\"peers buy PDM, p=0.21\"\n"
        ));
        i += 1;
    }
    ws.write("outputs/whitespace.csv", &big);
    let s = start(&ws);
    // As many clients as threads ask for the whole CSV and, once its reply starts, read no more.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            write!(c, "GET /whitespace?format=csv HTTP/1.0\r\n\r\n").unwrap();
            c
        })
        .collect();
    let mut started = None;
    for mut c in &stalled {
        let mut first = [0u8; 12];
        c.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        started.get_or_insert_with(std::time::Instant::now);
    }
    let (code, _, _) = get(&s, "/quality");
    assert_eq!(code, 200);
    // The documented 10 s for the whole reply, not 10 s a write: the ninth client waits for
    // the first stalled reply to be given up on, within the timeout of its start.
    let waited = started.unwrap().elapsed();
    eprintln!("the ninth request waited {waited:?} from the first stalled reply");
    assert!(waited < std::time::Duration::from_secs(13), "{waited:?}");
    drop(stalled);
}

#[test]
fn pages_filter_paginate_download_escape_and_refuse() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    ws.write(
        "outputs/scores/icp_scores.csv",
        "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n\
         1,<script>alert(1)</script>,PDM,0.9,99,A,r1,r2,r3,abc,2024-12-31\n\
         2,Bolt Works,PDM,0.5,50,C,r1,r2,r3,abc,2024-12-31\n\
         3,Cobalt Inc,CAMWorks,0.4,50,C,r1,r2,r3,def,2024-12-31\n",
    );
    let s = start(&ws);
    let (code, _, body) = get(&s, "/scores");
    assert_eq!(code, 200);
    assert!(body.contains("<table id=\"rows\">"));
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !body.contains("<script>alert"),
        "data must be escaped"
    );
    let (_, _, body) = get(&s, "/scores?division=PDM&size=1&page=2");
    assert!(
        body.contains("2 rows, page 2 of 2")
            && body.contains("Bolt Works")
            && !body.contains("Cobalt"),
        "{body}"
    );
    let (_, _, body) = get(&s, "/scores?q=cobalt");
    assert!(body.contains("1 rows") && body.contains("Cobalt Inc"));
    // A search pasted decomposed (`o` + U+0308, as macOS writes `ö`) finds the composed cell.
    ws.write(
        "outputs/scores/icp_scores.csv",
        &ws.read("outputs/scores/icp_scores.csv")
            .replace("Cobalt Inc", "Cöbalt Inc"),
    );
    let (_, _, body) = get(&s, "/scores?q=co%CC%88balt");
    assert!(
        body.contains("1 rows") && body.contains("Cöbalt Inc"),
        "{body}"
    );
    ws.write(
        "outputs/scores/icp_scores.csv",
        &ws.read("outputs/scores/icp_scores.csv")
            .replace("Cöbalt Inc", "Cobalt Inc"),
    );
    let (code, head, body) = get(&s, "/scores?format=csv&icp_grade=C");
    assert_eq!(code, 200);
    assert!(
        head.contains("attachment; filename=\"scores.csv\""),
        "{head}"
    );
    assert_eq!(body.lines().count(), 3, "{body}");
    // Sorting: numeric columns as numbers, either order, carried into the download and pager.
    let order = |body: &str| -> Vec<usize> {
        let rows = body.split("<table id=\"rows\">").nth(1).unwrap();
        ["&lt;script&gt;", "Bolt Works", "Cobalt Inc"]
            .iter()
            .map(|n| rows.find(n).unwrap())
            .collect()
    };
    let (_, _, body) = get(&s, "/scores?sort=p_icp&order=asc");
    let o = order(&body);
    assert!(o[2] < o[1] && o[1] < o[0], "ascending p_icp");
    assert!(
        body.contains("p_icp</a> &#9650;"),
        "the sorted column is marked"
    );
    assert!(
        body.contains("href=\"/scores?sort=p_icp&amp;order=desc\""),
        "a second click reverses"
    );
    let (_, _, body) = get(&s, "/scores?sort=customer_name&order=desc");
    let o = order(&body);
    assert!(o[2] < o[1], "text columns sort as text");
    let (_, _, csv) = get(&s, "/scores?sort=p_icp&order=asc&format=csv");
    assert!(csv.lines().nth(1).unwrap().starts_with("3,Cobalt"), "{csv}");
    assert_eq!(get(&s, "/scores?sort=nope").0, 400);
    assert_eq!(get(&s, "/scores?sort=p_icp&order=sideways").0, 400);
    // Unfiltered, the page starts with expected buyers per division.
    let (_, _, body) = get(&s, "/scores");
    let summary = body.split("id=\"summary\"").nth(1).unwrap();
    assert!(
        summary.contains("<td><bdi>PDM</bdi></td><td>2</td><td>1.4</td>"),
        "{summary}"
    );
    assert_eq!(get(&s, "/scores?size=100000").0, 400);
    // A page past the end shows the last page; the largest number does not overflow.
    let (code, _, body) = get(&s, "/scores?page=18446744073709551615&size=2");
    assert_eq!(code, 200);
    assert!(body.contains("3 rows, page 2 of 2"), "{body}");
    assert!(body.contains("<option value=\"PDM\">\u{2068}PDM\u{2069}</option>"));
    assert_eq!(get(&s, "/scores?page=x").0, 400);
    assert_eq!(get(&s, "/scores?evil=1").0, 400);
    assert_eq!(get(&s, "/../../etc/passwd").0, 404);
    assert_eq!(get(&s, "/outputs/scores/icp_scores.csv").0, 404);
}

/// A trained PDM model's artifacts and its holdout validation, as `train` and `validate` write
/// them (trimmed to what the pages read).
pub fn model_fixture(ws: &Ws) {
    ws.write(
        "outputs/train/PDM/model_card.json",
        r#"{"division": "PDM", "status": "trained",
            "data": {"cutoffs": ["2023-06-30", "2023-12-31", "2024-06-30"], "rows": 900, "positives": 40, "prevalence": 0.044, "features": 12},
            "grid_searched": [{}, {}],
            "selected": {"rule": "best mean out-of-time lift@10", "winner": {"family": "lgbm", "params": {"num_leaves": 15}}, "final_iterations": 24},
            "calibration": {"chosen": "platt", "compared": [{"method": "platt", "mean_brier": 0.04}, {"method": "isotonic", "mean_brier": 0.05}]},
            "metrics_out_of_time": {"auc": 0.7, "lift@10": 2.0, "brier": 0.05, "calibration_mae": 0.01},
            "feature_importance_top20": [{"feature": "recency__all__days", "importance": 120.5}]}"#,
    );
    ws.write(
        "outputs/train/PDM/metrics.json",
        r#"{"folds": [{"cutoff": "2023-12-31", "trained_on": ["2023-06-30"], "rows": 300, "positives": 12, "auc": 0.68, "lift@10": 1.9},
                      {"cutoff": "2024-06-30", "trained_on": ["2023-06-30", "2023-12-31"], "rows": 320, "positives": 15, "auc": 0.72, "lift@10": 2.1}],
            "mean": {"auc": 0.7, "lift@10": 2.0}}"#,
    );
    ws.write("outputs/train/PDM/gains.csv", "decile,rows,positives,positive_rate,cumulative_capture,lift\n1,10,5,0.5,0.5,3.0\n2,10,2,0.2,0.7,1.2\n");
    ws.write(
        "outputs/train/PDM/calibration_PDM.csv",
        "mean_predicted,observed_rate,count\n0.02,0.03,500\n0.11,0.09,120\n",
    );
    ws.write(
        "outputs/train/PDM/thresholds.csv",
        "k_percent,count,threshold\n10.0,62,0.11\n",
    );
    ws.write(
        "outputs/validate/PDM/validation_metrics_PDM.json",
        r#"{"label_definition": "net GP in PDM", "scoring_cutoff": "2024-12-31", "window_end": "2025-06-30", "censored": false,
            "label_params": {"window_months": 6, "gp_min_threshold": 0.0}, "rows": 400, "positives": 20, "new_logo_buyers_not_scorable": 1,
            "metrics": {"auc": 0.71, "lift@10": 3.0}, "gates": {"min_auc": {"threshold": 0.6, "value": 0.71, "pass": true}}, "passed": true}"#,
    );
}

#[test]
fn model_detail_and_customer_pages() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    ws.write(
        "outputs/scores/icp_scores.csv",
        "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n\
         7,<b>Acme</b>,PDM,0.9,99,A,r1,r2,r3,abc,2024-12-31\n\
         7,<b>Acme</b>,CAMWorks,0.2,40,D,r1,r2,r3,def,2024-12-31\n\
         8,Bolt,PDM,0.1,20,E,r1,r2,r3,abc,2024-12-31\n",
    );
    ws.write(
        "outputs/whitespace.csv",
        "customer_id,customer_name,division,score,rank_in_customer,explanation\n\
         8,Bolt,CAMWorks,0.9,1,\"p=0.50\"\n\
         7,<b>Acme</b>,Simulation,0.7,2,\"p=0.20\"\n\
         7,<b>Acme</b>,CAMWorks,0.8,1,\"peers buy CAMWorks, p=0.21\"\n",
    );
    let s = start(&ws);
    let (code, _, body) = get(&s, "/models?division=PDM");
    assert_eq!(code, 200);
    for marker in [
        "id=\"card\"",
        "id=\"folds\"",
        "<svg id=\"gains-PDM\"",
        "<svg id=\"calibration-PDM\"",
        "id=\"holdout\"",
        "id=\"thresholds\"",
        "recency__all__days",
        "isotonic (mean Brier 0.05000)",
        "2023-06-30, 2023-12-31",
    ] {
        assert!(body.contains(marker), "model page lacks {marker}");
    }
    // Two folds and the mean row.
    let folds = body.split("id=\"folds\"").nth(1).unwrap();
    let folds = &folds[..folds.find("</table>").unwrap()];
    assert_eq!(folds.matches("<tr>").count(), 4, "header, two folds, mean");
    assert!(
        !body.contains("Truth oracle"),
        "no truth file, no oracle line"
    );
    let (_, _, index) = get(&s, "/models");
    assert!(index.contains("<a href=\"/models?division=PDM\"><bdi>PDM</bdi></a>"));
    assert!(
        index.contains("<span class=\"pass\">pass</span>"),
        "holdout gates"
    );
    assert_eq!(get(&s, "/models?division=Nope").0, 404);
    assert_eq!(get(&s, "/models?division=..%2F..%2Fetc").0, 404);

    let (code, _, body) = get(&s, "/customer?id=7");
    assert_eq!(code, 200);
    assert!(
        body.contains("Customer: \u{2068}&lt;b&gt;Acme&lt;/b&gt;\u{2069}"),
        "escaped name"
    );
    let opp = body.split("id=\"opportunities\"").nth(1).unwrap();
    let (camworks, simulation) = (
        opp.find("CAMWorks").unwrap(),
        opp.find("Simulation").unwrap(),
    );
    assert!(camworks < simulation, "best opportunity first");
    assert!(
        !opp[..opp.find("</table>").unwrap()].contains("Bolt"),
        "only this customer"
    );
    let sc = body.split("id=\"scores\"").nth(1).unwrap();
    assert!(
        sc.find("PDM").unwrap() < sc.find("CAMWorks").unwrap(),
        "highest percentile first"
    );
    assert_eq!(get(&s, "/customer?id=404").0, 404);
    assert_eq!(get(&s, "/customer").0, 400);
    assert_eq!(get(&s, "/customer?id=7&x=1").0, 400);
    // Listings link each customer to that page; unfiltered, they start with the best per division.
    let (_, _, list) = get(&s, "/whitespace");
    assert!(list.contains("<a href=\"/customer?id=7\">7</a>"));
    assert!(list.contains("id=\"top\""));
    assert!(
        !list.contains("id=\"weights\""),
        "no summary file, no weights table"
    );
    ws.write(
        "outputs/whitespace_summary.json",
        r#"{"normalize": "per_division", "coverage_threshold": 0.3, "owned_since": "2022-12-31",
            "signals": [{"signal": "affinity", "coverage": 0.15, "base_weight": 0.2, "weight": 0.11}],
            "eligibility": [{"division": "CAMWorks", "scored": 10, "owned_excluded": 4, "kept": 6}]}"#,
    );
    let (_, _, list) = get(&s, "/whitespace");
    assert!(list.contains("<td>affinity</td><td>0.150</td><td>0.200</td><td>0.110</td>"));
    assert!(list.contains("<td><bdi>CAMWorks</bdi></td><td>10</td><td>4</td><td>6</td>"));
    assert!(
        !list.contains("id=\"holdout\""),
        "no holdout report, no table"
    );
    // The list judged on the holdout: each division's top 10% beside p_icp's, and a division
    // not measured says why.
    let top = |lift: f64, gp: f64| {
        format!(r#"{{"top": [{{}}, {{"lift": {lift}, "gp_lift": {gp}}}, {{}}]}}"#)
    };
    ws.write(
        "outputs/whitespace_holdout.json",
        &format!(
            r#"{{"scoring_cutoff": "2024-12-31",
                "whole_file": {{"rows": 10, "buyers": 2, "base_rate": 0.2, "list": {}, "p_icp": {}}},
                "divisions": [{{"division": "CAMWorks", "status": "measured", "rows": 6, "buyers": 1, "base_rate": 0.1667, "list": {}, "p_icp": {}}},
                              {{"division": "PDM", "status": "not_measured", "reason": "not measured: in-sample", "rows": 4}}]}}"#,
            top(2.5, 2.0),
            top(5.0, 4.5),
            top(0.0, 0.0),
            top(6.0, 6.0)
        ),
    );
    let (_, _, list) = get(&s, "/whitespace");
    let table = list.split("id=\"holdout\"").nth(1).expect(&list);
    assert!(table.contains("<td><b>whole file</b></td><td>10</td><td>2</td><td>0.200</td><td>2.500</td><td>5.000</td><td>2.000</td><td>4.500</td>"), "{table}");
    assert!(table.contains("<td><bdi>CAMWorks</bdi></td><td>6</td><td>1</td><td>0.167</td><td>0.000</td><td>6.000</td>"), "{table}");
    assert!(
        table.contains("<td><bdi>PDM</bdi></td><td>4</td><td>not measured: in-sample</td>"),
        "{table}"
    );
    assert!(list.contains("after 2024-12-31"));
    let (_, _, filtered) = get(&s, "/whitespace?division=CAMWorks");
    assert!(!filtered.contains("id=\"top\""));
}

#[test]
fn one_stalled_client_does_not_stall_the_others_and_head_and_404_answer() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let mut big = String::from("customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n");
    for i in 0..150_000 {
        big.push_str(&format!(
            "{i},\"Name {i}\",PDM,0.5,50,C,a,b,c,f,2024-12-31\n"
        ));
    }
    big.push_str("999999,'=HYPERLINK(\"http://x/\"),PDM,0.5,50,C,a,b,c,f,2024-12-31\n");
    ws.write("outputs/scores/icp_scores.csv", &big);
    let s = start(&ws);
    // A client asks for the whole CSV and never reads it.
    let mut stalled = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(stalled, "GET /scores?format=csv HTTP/1.0\r\n\r\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let t = std::time::Instant::now();
    let (code, _, _) = get(&s, "/quality");
    assert_eq!(code, 200);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    // HEAD: headers only; an unknown division: 404.
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(c, "HEAD /scores HTTP/1.0\r\n\r\n").unwrap();
    let mut raw = String::new();
    c.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.ends_with("\r\n\r\n"), "no body for HEAD: {raw}");
    let (code, _, body) = get(&s, "/scores?division=Nosuch");
    assert_eq!(code, 404, "{body}");
    assert!(body.contains("no division `Nosuch`"), "{body}");
    // Downloads defuse formula cells (already-defused ones stay as they are).
    let (_, _, csv) = get(&s, "/scores?format=csv&q=999999");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains("''="), "{csv}");
    drop(stalled);
}

#[test]
fn binding_off_loopback_warns_that_there_is_no_authentication() {
    let ws = Ws::new("nodes: {}\n");
    let mut child = ws
        .cmd(&["ui", "--host", "0.0.0.0", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    err.read_line(&mut first).unwrap();
    err.read_line(&mut second).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("listening on http://0.0.0.0:"), "{first}");
    assert!(second.contains("no authentication"), "{second}");
}

#[test]
fn the_models_page_sets_the_truth_oracle_beside_the_holdout_of_synthetic_data() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    ws.write(
        "outputs/sales_log/sources.json",
        r#"{"sales_log": "Sales_Log.csv", "truth": "truth.csv"}"#,
    );
    // Of the holdout's label: the oracle is its ceiling.
    let definition = r#"{"cutoff": "2024-12-31", "window_months": 6, "gp_min_threshold": 0.0}"#;
    ws.write("outputs/sales_log/truth.json", definition);
    // Another division's rows must not be read as PDM's.
    ws.write(
        "outputs/sales_log/truth.csv",
        "customer_id,division,known_at_cutoff,p_true\n\
         1,PDM,1,0.7\n1,CAMWorks,1,0.0\n2,PDM,1,0.1\n2,CAMWorks,1,0.9\n\
         3,PDM,1,0.6\n4,PDM,1,0.2\n",
    );
    ws.write(
        "outputs/validate/PDM/holdout_scores_PDM.csv",
        "customer_id,label,p\n1,1,0.9\n2,0,0.8\n3,1,0.3\n4,0,0.1\n",
    );
    let s = start(&ws);
    let (code, _, body) = get(&s, "/models?division=PDM");
    assert_eq!(code, 200);
    // Oracle: both buyers above both non-buyers (AUC 1); the top 10% (one row) is a buyer at a
    // 50% base rate (lift 2); Brier (0.09 + 0.01 + 0.16 + 0.04) / 4. The model ranks one
    // non-buyer above a buyer: AUC 3/4.
    assert!(
        body.contains("on these 4 rows: AUC 1.000, lift@10 2.00, Brier 0.0750."),
        "{body}"
    );
    assert!(
        body.contains("This model: AUC 0.750 (-0.250 against the oracle), lift@10 2.00 (100% of the oracle's)"),
        "{body}"
    );
    assert!(
        !body.contains("History ceiling"),
        "no p_history, no ceiling"
    );

    // With the history ceiling (`truth: {history: true}`), its line follows the oracle's.
    ws.write(
        "outputs/sales_log/truth.csv",
        "customer_id,division,known_at_cutoff,p_true,p_history\n\
         1,PDM,1,0.7,0.5\n1,CAMWorks,1,0.0,0.0\n2,PDM,1,0.1,0.4\n2,CAMWorks,1,0.9,0.8\n\
         3,PDM,1,0.6,0.3\n4,PDM,1,0.2,0.2\n",
    );
    let (_, _, body) = get(&s, "/models?division=PDM");
    // Ceiling: 0.5 > 0.4 > 0.3 > 0.2 puts one buyer first, then a non-buyer: AUC 3/4, lift 2;
    // Brier (0.25 + 0.16 + 0.49 + 0.04) / 4.
    assert!(
        body.contains("AUC 0.750, lift@10 2.00, Brier 0.2350; this model is +0.000 AUC from it, at 100% of its lift@10."),
        "{body}"
    );

    // The default pipeline's `truth` node publishes it on its own: that one is read first.
    ws.write("outputs/truth/sources.json", r#"{"truth": "truth.csv"}"#);
    ws.write("outputs/truth/truth.json", definition);
    ws.write(
        "outputs/truth/truth.csv",
        "customer_id,division,known_at_cutoff,p_true\n1,PDM,1,0.1\n2,PDM,1,0.7\n3,PDM,1,0.2\n4,PDM,1,0.6\n",
    );
    let (_, _, body) = get(&s, "/models?division=PDM");
    // Both non-buyers above both buyers: AUC 0, the top row a non-buyer (lift 0, so no share
    // of it to print); Brier (0.81 + 0.49 + 0.64 + 0.36) / 4.
    assert!(
        body.contains("on these 4 rows: AUC 0.000, lift@10 0.00, Brier 0.5750."),
        "{body}"
    );
    assert!(
        body.contains("lift@10 2.00 (n/a of the oracle's)"),
        "{body}"
    );
}

#[test]
fn the_models_page_tells_close_briers_apart_names_an_lr_treeless_and_counts_in_the_singular() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    // An LR (no tree count) whose calibrations differ past the third decimal; one new-logo
    // buyer in the holdout.
    ws.write(
        "outputs/train/PDM/model_card.json",
        r#"{"division": "PDM", "status": "trained",
            "data": {"cutoffs": ["2023-06-30", "2023-12-31"], "rows": 900, "positives": 40, "prevalence": 0.044, "features": 12},
            "selected": {"rule": "r", "winner": {"family": "logreg", "params": {"c": 0.1}}, "final_iterations": null},
            "calibration": {"chosen": "none", "compared": [{"method": "none", "mean_brier": 0.031090320177575542}, {"method": "platt", "mean_brier": 0.03126941854874758}, {"method": "isotonic", "mean_brier": 0.03137369402062222}]},
            "metrics_out_of_time": {"auc": 0.7, "lift@10": 2.0, "brier": 0.05}}"#,
    );
    let s = start(&ws);
    let (code, _, body) = get(&s, "/models?division=PDM");
    assert_eq!(code, 200);
    assert!(
        body.contains(
            "none (mean Brier 0.03109), platt (mean Brier 0.03127), isotonic (mean Brier 0.03137)"
        ),
        "{body}"
    );
    assert!(
        body.contains("<td>trees in the final model</td><td>none (logistic regression)</td>"),
        "{body}"
    );
    assert!(!body.contains("<td>null</td>"), "{body}");
    assert!(
        body.contains("1 new-logo buyer, not scorable from history, is not in the metrics"),
        "{body}"
    );
}

#[test]
fn the_quality_page_sets_the_holdout_logs_qa_beside_the_training_logs() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let counts = |raw: u64, dropped: &str| {
        format!(
            r#"{{"raw_rows": {raw}, "dropped": {{{dropped}}}, "staged_rows": 10, "fact_transactions": 12, "dim_customer": 5, "blocked": false}}"#
        )
    };
    ws.write(
        "outputs/qa/row_counts.json",
        &counts(41268, r#""exact_duplicate": 113"#),
    );
    ws.write(
        "outputs/qa/violations.csv",
        "rule,severity,file,row,column,value,message\nexact_duplicate,warning,a.csv,5,,,dropped\n",
    );
    let s = start(&ws);
    let (_, _, body) = get(&s, "/quality");
    assert!(
        !body.contains("holdout log"),
        "no holdout QA, no column: {body}"
    );
    ws.write(
        "outputs/holdout/qa/row_counts.json",
        &counts(5992, r#""exact_duplicate": 15, "unparseable_date": 11"#),
    );
    ws.write(
        "outputs/holdout/qa/violations.csv",
        "rule,severity,file,row,column,value,message\n\
         unparseable_number,warning,h.csv,267,Consumables,31685O,not a number: read as 0\n\
         unparseable_number,warning,h.csv,485,Services,222988O,not a number: read as 0\n",
    );
    ws.write(
        "outputs/holdout/qa/checksums.json",
        r#"{"fact_transactions.parquet": "blake3:ab"}"#,
    );
    let (_, _, body) = get(&s, "/quality");
    let section = |id: &str| {
        let t = body
            .split(&format!("id=\"{id}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no {id}: {body}"));
        t[..t.find("</table>").unwrap()].to_string()
    };
    let counts = section("counts");
    assert!(
        counts.contains("<td>training log</td><td>41268</td>"),
        "{counts}"
    );
    assert!(
        counts.contains("<td>holdout log</td><td>5992</td>"),
        "{counts}"
    );
    // One row per reason or rule, a column per log.
    let dropped = section("dropped");
    assert!(
        dropped.contains("<td>exact_duplicate</td><td>113</td><td>15</td>"),
        "{dropped}"
    );
    assert!(
        dropped.contains("<td>unparseable_date</td><td>0</td><td>11</td>"),
        "{dropped}"
    );
    let violations = section("violations");
    assert!(
        violations.contains("<td>unparseable_number</td><td><span class=\"stale\">warning</span></td><td>0</td><td>2</td>"),
        "{violations}"
    );
    assert!(section("holdout-checksums").contains("blake3:ab"));
}

#[test]
fn sorting_and_paging_keep_the_page_size_once() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let mut csv =
        String::from("customer_id,customer_name,division,score,rank_in_customer,explanation\n");
    for i in 0..30 {
        csv.push_str(&format!("{i},Customer {i},PDM,0.{i:02},1,p\n"));
    }
    ws.write("outputs/whitespace.csv", &csv);
    let s = start(&ws);
    let (code, _, body) = get(&s, "/whitespace?size=10");
    assert_eq!(code, 200);
    // Every link a page prints opens (a parameter twice is refused) and keeps `size`.
    let links: Vec<String> = body
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .filter(|h| h.starts_with("/whitespace?"))
        .map(|h| h.replace("&amp;", "&"))
        .collect();
    assert!(links.iter().any(|l| l.contains("sort=")), "{links:?}");
    assert!(links.iter().any(|l| l.contains("page=2")), "{links:?}");
    for l in &links {
        assert_eq!(l.matches("size=10").count(), 1, "{l}");
        assert_eq!(get(&s, l).0, 200, "{l}");
    }
}

#[test]
fn a_client_trickling_its_request_is_cut_off_at_the_deadline() {
    // One byte every 300 ms: until 2026-12-07 the 10 s deadline was checked only as a line
    // of the request completed, so a long header line held the thread for as long as it took
    // (8 such clients froze the UI). A 70-byte line at this pace takes 21 s.
    let ws = Ws::new(OUTPUTS_PIPELINE);
    let s = start(&ws);
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_millis(300)))
        .unwrap();
    let request = format!("GET /quality HTTP/1.0\r\nX-Pad: {}\r\n\r\n", "a".repeat(70));
    let t = std::time::Instant::now();
    let mut cut = None;
    for b in request.bytes() {
        if c.write_all(&[b]).is_err() {
            cut = Some(t.elapsed());
            break;
        }
        // The read's timeout paces the bytes; an answer or a close ends the trickle.
        let mut buf = [0u8; 64];
        match c.read(&mut buf) {
            Ok(_) => {
                cut = Some(t.elapsed());
                break;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                cut = Some(t.elapsed());
                break;
            }
        }
    }
    let cut = cut.expect("the server read the whole trickled request");
    assert!(cut < std::time::Duration::from_secs(13), "{cut:?}");
}

#[test]
fn a_request_for_another_host_name_is_refused_on_loopback() {
    // DNS rebinding: a page of another site can make the browser ask this UI under that
    // site's name; with no authentication, it read every score (until 2026-12-07).
    let ws = Ws::new(OUTPUTS_PIPELINE);
    ws.write(
        "outputs/scores/icp_scores.csv",
        "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade\n1,A,PDM,0.5,50,C\n",
    );
    let s = start(&ws);
    let ask = |host: &str| {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        write!(c, "GET /scores?format=csv HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
        let mut raw = String::new();
        c.read_to_string(&mut raw).unwrap();
        raw
    };
    let refused = ask("attacker.example:8641");
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    assert!(!refused.contains("0.5"), "{refused}");
    for ok in [
        format!("localhost:{}", s.port),
        format!("127.0.0.1:{}", s.port),
        format!("[::1]:{}", s.port),
        "LOCALHOST".to_string(),
    ] {
        let r = ask(&ok);
        assert!(r.starts_with("HTTP/1.1 200"), "{ok}: {r}");
    }
}

#[test]
fn audit_pages_loaded_at_once_wait_for_each_other_and_none_claims_a_run() {
    // Two tabs' audits took the run lock from each other, and all but one were told "a run
    // is in progress" where none was (a tester's 6 to 20 loads at once, until 2026-12-07).
    // One is made at a time, never waited for (a waiting page would hold a pool thread).
    let ws =
        Ws::new("nodes:\n  a:\n    cmd: seq 1 3000000 > {out.0}\n    outputs: [outputs/a.txt]\n");
    ws.run(&["run"]).ok();
    let s = start(&ws);
    let port = s.port;
    let pages: Vec<String> = (0..8)
        .map(|_| {
            std::thread::spawn(move || {
                let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
                write!(c, "GET /audit HTTP/1.0\r\n\r\n").unwrap();
                let mut raw = String::new();
                c.read_to_string(&mut raw).unwrap();
                raw
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    for p in &pages {
        assert!(p.starts_with("HTTP/1.1 200"), "{p}");
        assert!(!p.contains("A run is in progress"), "{p}");
        assert!(
            p.contains("Audit passed") || p.contains("making the audit for another request"),
            "{p}"
        );
    }
    assert!(pages.iter().any(|p| p.contains("Audit passed")));
}
