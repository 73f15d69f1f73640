//! The pages. Each reads engine state or the files the manifest's nodes write ([`outputs`]; never
//! a path taken from the request), and says what is missing and how to build it when a file is
//! absent.

use std::collections::BTreeMap;

use super::files::{num, read_json, val, Table};
use super::html::{cell, esc, page, table};
use super::listing::{top_per_division, Listing};
use super::outputs::{self, Outputs};
use super::{Query, Reply};
use crate::engine::entry::Entry;
use crate::engine::report::status_word;
use crate::engine::workspace::Workspace;

/// The note of a workspace where nothing has run.
const NOTHING_RUN: &str = "<p class=\"note\" id=\"missing\">Nothing has been built in this workspace yet. <code>gosales run</code> builds the whole pipeline.</p>";

pub fn overview(ws: &Workspace) -> Reply {
    let mut body = String::new();
    // Read and verify the run log once: the graph and the last-run line both use it.
    let log = crate::engine::runlog::verify(ws).ok();
    let records = log.as_ref().map(|l| l.0.as_slice()).unwrap_or(&[]);
    match super::status::pipeline(ws, records) {
        Ok(nodes) if nodes.iter().any(|n| n.fresh + n.failed > 0) => {
            body.push_str("<h2>Pipeline</h2>");
            body.push_str(&super::status::svg(&nodes));
            let rows: Vec<Vec<String>> = nodes
                .iter()
                .map(|n| {
                    let state = |c: usize, class: &str| {
                        if c > 0 {
                            format!("<span class=\"{class}\">{c}</span>")
                        } else {
                            "0".into()
                        }
                    };
                    vec![
                        esc(&n.name),
                        n.total.to_string(),
                        state(n.fresh, "fresh"),
                        state(n.stale, "stale"),
                        state(n.failed, "failed"),
                        esc(&n.upstream.join(", ")),
                    ]
                })
                .collect();
            body.push_str(&table(
                "nodes",
                &["node", "instances", "fresh", "stale", "failed", "needs"],
                &rows,
            ));
            body.push_str("<p><code>gosales status</code> and <code>gosales explain</code> say why an instance is stale.</p>");
        }
        Ok(_) => body.push_str(NOTHING_RUN),
        Err(e) => body.push_str(&format!("<p class=\"failed\">{}</p>", esc(&e))),
    }
    if let Some((records, problems)) = &log {
        let last_run = records.iter().rev().find_map(|(_, _, e)| match e {
            Entry::Run(r) => Some(r),
            _ => None,
        });
        if let Some(last) = last_run {
            body.push_str(&format!(
                "<h2>Last run</h2><p>{} by {} on {}: <span class=\"{}\">{}</span>, {} built, {} fresh, {} failed ({} ms)</p>",
                esc(&last.stamp.at),
                esc(&last.stamp.user),
                esc(&last.stamp.host),
                if last.status == "ok" { "pass" } else { "failed" },
                esc(&last.status),
                last.built,
                last.fresh,
                last.failed,
                last.duration_ms
            ));
        }
        if !problems.is_empty() {
            body.push_str(&format!(
                "<p class=\"failed\">The run log has {} chain problem(s): see Audit.</p>",
                problems.len()
            ));
        }
    }
    Reply::html(page("/", "Overview", &body))
}

pub fn scores(ws: &Workspace, query: &Query) -> Reply {
    let o = Outputs::find(ws);
    Listing {
        path: o.scores.as_deref(),
        default_path: outputs::SCORES,
        route: "/scores",
        title: "Scores",
        what: "the ICP scores",
        filters: &["division", "icp_grade"],
        search: &["customer_id", "customer_name"],
        preface: Some(score_summary),
    }
    .render(ws, &o, query)
}

/// Per division: customers scored and the expected number of new buyers in the label window
/// (the sum of calibrated probabilities).
fn score_summary(_: &Workspace, _: &Outputs, t: &Table) -> String {
    let (Some(di), Some(pi)) = (t.col("division"), t.col("p_icp")) else {
        return String::new();
    };
    let mut by: BTreeMap<&str, (usize, f64, f64)> = BTreeMap::new();
    for r in t.rows() {
        let p: f64 = r.get(pi).parse().unwrap_or(0.0);
        let e = by.entry(r.get(di)).or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += p;
        e.2 = e.2.max(p);
    }
    let shown: Vec<Vec<String>> = by
        .iter()
        .map(|(d, (n, sum, max))| {
            vec![
                cell(d),
                n.to_string(),
                format!("{sum:.1}"),
                format!("{:.4}", sum / *n as f64),
                format!("{max:.4}"),
            ]
        })
        .collect();
    format!(
        "<h2>By division</h2>{}<p>Expected buyers: the sum of the calibrated probabilities, the number of customers the model expects to buy in the division within the label window.</p><h2>All rows</h2>",
        table(
            "summary",
            &["division", "customers scored", "expected buyers", "mean p_icp", "highest p_icp"],
            &shown
        )
    )
}

/// How the scores were blended (from `whitespace_summary.json`), then the best rows of each
/// division.
fn whitespace_summary(ws: &Workspace, o: &Outputs, t: &Table) -> String {
    let mut s = String::new();
    let summary = o.whitespace_summary.as_ref();
    if let Some(sum) = summary.and_then(|p| read_json(&ws.root.join(p))) {
        let signals: Vec<Vec<String>> = sum["signals"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                vec![
                    esc(x["signal"].as_str().unwrap_or("")),
                    num(&x["coverage"]),
                    num(&x["base_weight"]),
                    num(&x["weight"]),
                ]
            })
            .collect();
        s.push_str(&format!(
            "<h2>How the score is made</h2><p>Each signal is a percentile rank ({}), blended with these weights. A signal present for fewer than {} of the pairs has its weight shrunk in proportion, and the weights are renormalised. Pairs whose customer bought in the division since {} are not whitespace.</p>{}",
            esc(sum["normalize"].as_str().unwrap_or("")),
            num(&sum["coverage_threshold"]),
            esc(sum["owned_since"].as_str().unwrap_or("")),
            table(
                "weights",
                &["signal", "coverage", "configured weight", "weight used"],
                &signals
            )
        ));
        let el: Vec<Vec<String>> = sum["eligibility"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                vec![
                    cell(x["division"].as_str().unwrap_or("")),
                    val(&x["scored"]),
                    val(&x["owned_excluded"]),
                    val(&x["kept"]),
                ]
            })
            .collect();
        s.push_str(&table(
            "eligibility",
            &[
                "division",
                "customers scored",
                "owners excluded",
                "whitespace pairs",
            ],
            &el,
        ));
    }
    if let Some(report) = o
        .whitespace_holdout
        .as_ref()
        .and_then(|p| read_json(&ws.root.join(p)))
    {
        s.push_str(&whitespace_on_holdout(&report));
    }
    s.push_str(&top_per_division(t, 3));
    s
}

/// The list judged on the holdout (`whitespace_holdout.json`): its top 10% in the list's order
/// beside the same rows by p_icp alone, for the whole file and each division.
fn whitespace_on_holdout(r: &serde_json::Value) -> String {
    let top10 = |f: &serde_json::Value, key: &str| num(&f["top"][1][key]);
    let line = |name: String, d: &serde_json::Value| {
        if d["status"] == "not_measured" {
            let why = esc(d["reason"].as_str().unwrap_or(""));
            return vec![
                name,
                val(&d["rows"]),
                why,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
        }
        vec![
            name,
            val(&d["rows"]),
            val(&d["buyers"]),
            num(&d["base_rate"]),
            top10(&d["list"], "lift"),
            top10(&d["p_icp"], "lift"),
            top10(&d["list"], "gp_lift"),
            top10(&d["p_icp"], "gp_lift"),
        ]
    };
    let mut rows = vec![line("<b>whole file</b>".into(), &r["whole_file"])];
    for d in r["divisions"].as_array().into_iter().flatten() {
        rows.push(line(cell(d["division"].as_str().unwrap_or("")), d));
    }
    format!(
        "<h2>On the holdout</h2><p>Who of the list's non-owners bought in the holdout window after {}, as each division's model was trained to count a purchase: the top 10% of the rows in the list's order (a division's rank; the whole file's row order) beside the same rows ordered by p_icp alone. Lift is the top's purchase rate over the rows' base rate; GP lift, the share of the buyers' gross profit the top holds over its share of rows (<code>whitespace_holdout.json</code>).</p>{}",
        esc(r["scoring_cutoff"].as_str().unwrap_or("")),
        table(
            "holdout",
            &[
                "division",
                "pairs",
                "holdout buyers",
                "base rate",
                "lift@10, list",
                "lift@10, p_icp",
                "GP lift@10, list",
                "GP lift@10, p_icp",
            ],
            &rows
        )
    )
}

pub fn whitespace(ws: &Workspace, query: &Query) -> Reply {
    let o = Outputs::find(ws);
    Listing {
        path: o.whitespace.as_deref(),
        default_path: outputs::WHITESPACE,
        route: "/whitespace",
        title: "Whitespace",
        what: "the whitespace ranking",
        filters: &["division"],
        search: &["customer_id", "customer_name"],
        preface: Some(whitespace_summary),
    }
    .render(ws, &o, query)
}

pub fn audit(ws: &Workspace) -> Reply {
    // The same checks as `gosales audit`: the chain, the lock file against the log, and every
    // recorded output re-hashed from disk. Under the run lock, as `gosales audit` takes it,
    // but never waiting for it: mid-run, a published output not yet recorded is no tampering.
    // One audit page at a time in this server: two tabs loading it at once took the run lock
    // from each other, and all but one were told "a run is in progress" (a tester's 6 to 20
    // loads at once, until 2026-12-07). The others are told an audit is being made.
    // Never waited for: a thread parked here is one of the pool's 8, and reloads during a slow
    // audit would take them all.
    static AUDITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = match AUDITING.try_lock() {
        Ok(g) => g,
        Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => {
            return Reply::html(page(
                "/audit",
                "Audit",
                "<p id=\"verdict\">This server is making the audit for another request: reload this page in a moment.</p>",
            ))
        }
    };
    let held =
        crate::engine::workspace::RunLock::acquire(ws, false, "gosales ui (audit page)", |_| {});
    let _held = match held {
        Ok(l) => l,
        Err(crate::engine::Error::Locked { holder }) => {
            return Reply::html(page(
                "/audit",
                "Audit",
                &format!(
                    "<p id=\"verdict\">A run is in progress ({}): the audit is shown when it ends. Reload this page then.</p>",
                    esc(&holder)
                ),
            ))
        }
        Err(e) => {
            return Reply::html(page(
                "/audit",
                "Audit",
                &format!("<p class=\"failed\">{}</p>", esc(&e.to_string())),
            ))
        }
    };
    // The same call, manifest and verdict as `gosales audit`: the page must never say "passed"
    // where the command fails (a deleted lock or run log passed here, or read as unbuilt).
    let manifest = ws.root.join(crate::engine::manifest::MANIFEST_FILE);
    let opts = crate::engine::audit::Options {
        manifest: Some((&manifest, &crate::stages::Catalog)),
        heads: &[],
    };
    let report = match crate::engine::audit::check(ws, &opts) {
        Ok(x) => x,
        Err(e) => {
            return Reply::html(page(
                "/audit",
                "Audit",
                &format!("<p class=\"failed\">{}</p>", esc(&e.to_string())),
            ))
        }
    };
    let (records, problems) = (&report.records, &report.problems);
    if records.is_empty() && report.ok() && report.lock_entries == 0 {
        return Reply::html(page("/audit", "Audit", NOTHING_RUN));
    }
    // The command's verdict, in the page's words for its head ("Audit passed", "Audit FAILED").
    let verdict = report.verdict();
    let said = verdict
        .split_once(": ")
        .map_or(verdict.as_str(), |(_, rest)| rest);
    let mut body = if report.ok() {
        format!(
            "<p class=\"pass\" id=\"verdict\">Audit passed: {}.</p>",
            esc(said)
        )
    } else {
        let rows: Vec<Vec<String>> = problems
            .iter()
            .map(|p| vec![esc(&p.what), esc(&p.detail)])
            .collect();
        format!(
            "<p class=\"fail\" id=\"verdict\">Audit FAILED: {}.</p>{}",
            esc(said),
            table("problems", &["where", "problem"], &rows)
        )
    };
    let epilogue = report.epilogue();
    if !epilogue.is_empty() {
        body.push_str("<ul id=\"notes\">");
        for line in &epilogue {
            body.push_str(&format!("<li>{}</li>", esc(line.trim_start())));
        }
        body.push_str("</ul>");
    }
    body.push_str("<p>The same checks as <code>gosales audit</code>, run for this page.</p>");
    let rows: Vec<Vec<String>> = records
        .iter()
        .rev()
        .take(100)
        .map(|(line, _, e)| {
            let (at, what, status, fingerprint) = match e {
                Entry::Instance(i) => (
                    i.stamp.at.as_str(),
                    i.instance.clone(),
                    status_word(i.status),
                    i.fingerprint.as_str(),
                ),
                Entry::Run(r) => (
                    r.stamp.at.as_str(),
                    format!("run: {}", r.command),
                    r.status.as_str(),
                    "",
                ),
                Entry::Repair(r) => (r.at.as_str(), format!("repair: {}", r.what), "", ""),
                Entry::Forget(f) => (
                    f.at.as_str(),
                    format!("forget: {} ({})", f.instances.join(", "), f.why),
                    "",
                    "",
                ),
                Entry::Other => ("", String::new(), "", ""),
            };
            vec![
                line.to_string(),
                esc(at),
                esc(&what),
                esc(status),
                esc(&fingerprint.chars().take(16).collect::<String>()),
            ]
        })
        .collect();
    body.push_str(&format!(
        "<h2>Latest records</h2>{}",
        table(
            "runlog",
            &["line", "at", "what", "status", "fingerprint"],
            &rows
        )
    ));
    Reply::html(page("/audit", "Audit", &body))
}
