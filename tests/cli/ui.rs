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

#[test]
fn before_any_run_every_page_says_what_to_build() {
    let ws = Ws::new("nodes: {}\n");
    let s = start(&ws);
    for (path, target) in [
        ("/", "whitespace"),
        ("/scores", "score"),
        ("/whitespace", "whitespace"),
        ("/models", "train"),
        ("/quality", "star"),
        ("/audit", "whitespace"),
    ] {
        let (code, _, body) = get(&s, path);
        assert_eq!(code, 200, "{path}");
        assert!(
            body.contains(&format!("gosales run --target {target}")),
            "{path}: {body}"
        );
    }
}

#[test]
fn pages_filter_paginate_download_escape_and_refuse() {
    let ws = Ws::new("nodes: {}\n");
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
    let (code, head, body) = get(&s, "/scores?format=csv&icp_grade=C");
    assert_eq!(code, 200);
    assert!(
        head.contains("attachment; filename=\"scores.csv\""),
        "{head}"
    );
    assert_eq!(body.lines().count(), 3, "{body}");
    assert_eq!(get(&s, "/scores?size=100000").0, 400);
    assert_eq!(get(&s, "/scores?page=x").0, 400);
    assert_eq!(get(&s, "/scores?evil=1").0, 400);
    assert_eq!(get(&s, "/../../etc/passwd").0, 404);
    assert_eq!(get(&s, "/outputs/scores/icp_scores.csv").0, 404);
}
