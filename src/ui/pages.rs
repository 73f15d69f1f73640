//! The pages. Each reads engine state or files under `outputs/` by fixed paths (never a path
//! taken from the request), and says what is missing and how to build it when a file is absent.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::html::{esc, missing, page, q, table};
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

/// Largest page size a request may ask for.
pub const MAX_PAGE_SIZE: usize = 500;

pub(super) fn read_csv(path: &Path) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::Reader::from_path(path).ok()?;
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_string).collect();
    let rows = r
        .records()
        .filter_map(|x| x.ok())
        .map(|x| x.iter().map(str::to_string).collect())
        .collect();
    Some((header, rows))
}

/// The header and only the rows whose `col` is `value`, streamed: a customer's rows out of a
/// 100,000-row file without holding the file as strings.
fn read_csv_where(path: &Path, col: &str, value: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::Reader::from_path(path).ok()?;
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_string).collect();
    let i = header.iter().position(|h| h == col)?;
    let mut rec = csv::ByteRecord::new();
    let mut rows = Vec::new();
    while r.read_byte_record(&mut rec).unwrap_or(false) {
        if rec.get(i) == Some(value.as_bytes()) {
            rows.push(
                rec.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            );
        }
    }
    Some((header, rows))
}

pub(super) fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

pub(super) fn num(v: &Value) -> String {
    v.as_f64()
        .map(|x| format!("{x:.3}"))
        .unwrap_or_else(|| "n/a".into())
}

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
        Ok(_) => body.push_str(&missing("The pipeline", "whitespace")),
        Err(e) => body.push_str(&format!(
            "<p class=\"failed\">{}</p>{}",
            esc(&e),
            missing("The pipeline", "whitespace")
        )),
    }
    if let Some((records, problems)) = &log {
        if let Some((_, _, last)) = records.iter().rev().find(|(_, _, e)| e["kind"] == "run") {
            body.push_str(&format!(
                "<h2>Last run</h2><p>{} by {} on {}: <span class=\"{}\">{}</span>, {} built, {} fresh, {} failed ({} ms)</p>",
                esc(last["at"].as_str().unwrap_or("")),
                esc(last["user"].as_str().unwrap_or("")),
                esc(last["host"].as_str().unwrap_or("")),
                if last["status"] == "ok" { "pass" } else { "failed" },
                esc(last["status"].as_str().unwrap_or("")),
                last["built"],
                last["fresh"],
                last["failed"],
                last["duration_ms"]
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

fn filtered<'a>(
    rows: &'a [Vec<String>],
    header: &[String],
    filters: &[(&str, &str)],
    search: Option<(&str, &str)>,
) -> Vec<&'a Vec<String>> {
    let col = |name: &str| header.iter().position(|h| h == name);
    rows.iter()
        .filter(|r| {
            filters
                .iter()
                .all(|(c, v)| v.is_empty() || col(c).is_some_and(|i| r[i] == *v))
        })
        .filter(|r| match search {
            Some((cols, needle)) if !needle.is_empty() => {
                let needle = needle.to_lowercase();
                cols.split(',')
                    .filter_map(col)
                    .any(|i| r[i].to_lowercase().contains(&needle))
            }
            _ => true,
        })
        .collect()
}

fn pager(base: &str, qs: &[(&str, String)], page_no: usize, size: usize, total: usize) -> String {
    let pages = total.div_ceil(size).max(1);
    let link = |p: usize| {
        let mut parts: Vec<String> = qs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", q(v)))
            .collect();
        parts.push(format!("page={p}"));
        parts.push(format!("size={size}"));
        format!("{base}?{}", parts.join("&amp;"))
    };
    let mut s = format!("<p>{total} rows, page {page_no} of {pages}. ");
    if page_no > 1 {
        s.push_str(&format!("<a href=\"{}\">previous</a> ", link(page_no - 1)));
    }
    if page_no < pages {
        s.push_str(&format!("<a href=\"{}\">next</a>", link(page_no + 1)));
    }
    s.push_str("</p>");
    s
}

fn page_args(query: &Query) -> Result<(usize, usize), Reply> {
    let page_no = query
        .get("page")
        .map(|v| v.parse::<usize>())
        .transpose()
        .map_err(|_| Reply::bad("`page` must be a positive number"))?
        .unwrap_or(1)
        .max(1);
    let size = query
        .get("size")
        .map(|v| v.parse::<usize>())
        .transpose()
        .map_err(|_| Reply::bad("`size` must be a positive number"))?
        .unwrap_or(50);
    if size == 0 || size > MAX_PAGE_SIZE {
        return Err(Reply::bad(&format!(
            "`size` must be between 1 and {MAX_PAGE_SIZE}"
        )));
    }
    Ok((page_no, size))
}

/// A filterable, paginated table over a CSV output, with a CSV download of the filtered rows.
#[allow(clippy::too_many_arguments)]
fn listing(
    ws: &Workspace,
    query: &Query,
    path: &str,
    route: &str,
    title: &str,
    target: &str,
    filter_cols: &[&str],
    search_cols: &str,
) -> Reply {
    let (page_no, size) = match page_args(query) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some((header, rows)) = read_csv(&ws.root.join(path)) else {
        return Reply::html(page(route, title, &missing(title, target)));
    };
    let values: Vec<(&str, String)> = filter_cols
        .iter()
        .map(|c| (*c, query.get(c).unwrap_or("").to_string()))
        .collect();
    let search = query.get("q").unwrap_or("");
    let filters: Vec<(&str, &str)> = values.iter().map(|(c, v)| (*c, v.as_str())).collect();
    let hits = filtered(&rows, &header, &filters, Some((search_cols, search)));
    if query.get("format") == Some("csv") {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&header);
        for r in &hits {
            let _ = w.write_record(r.iter());
        }
        return Reply::csv(
            w.into_inner().unwrap_or_default(),
            &format!("{}.csv", route.trim_start_matches('/')),
        );
    }
    let mut form = format!("<form method=\"get\" action=\"{route}\">");
    for (c, v) in &values {
        let mut options: Vec<&str> = header
            .iter()
            .position(|h| h == c)
            .map(|i| rows.iter().map(|r| r[i].as_str()).collect())
            .unwrap_or_default();
        options.sort_unstable();
        options.dedup();
        form.push_str(&format!(
            "<label>{} <select name=\"{c}\"><option value=\"\">all</option>",
            esc(c)
        ));
        for o in options {
            form.push_str(&format!(
                "<option{}>{}</option>",
                if o == v { " selected" } else { "" },
                esc(o)
            ));
        }
        form.push_str("</select></label>");
    }
    form.push_str(&format!(
        "<label>search <input name=\"q\" value=\"{}\"></label><button>filter</button></form>",
        esc(search)
    ));
    let mut qs = values.clone();
    qs.push(("q", search.to_string()));
    let dl: Vec<String> = qs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", q(v)))
        .collect();
    let start = (page_no - 1) * size;
    let shown: Vec<Vec<String>> = hits
        .iter()
        .skip(start)
        .take(size)
        .map(|r| cells(&header, r))
        .collect();
    let head: Vec<&str> = header.iter().map(String::as_str).collect();
    // With no filter, a summary of the best rows of each division heads the listing.
    let summary = if search.is_empty() && values.iter().all(|(_, v)| v.is_empty()) && page_no == 1 {
        top_per_division(&header, &rows, 3)
    } else {
        String::new()
    };
    let body = format!(
        "{summary}{form}{}<p><a href=\"{route}?{}format=csv\">download these rows as CSV</a></p>{}",
        pager(route, &qs, page_no, size, hits.len()),
        dl.iter().map(|x| format!("{x}&amp;")).collect::<String>(),
        table("rows", &head, &shown)
    );
    Reply::html(page(route, title, &body))
}

/// A row's cells, escaped; the customer id links to the customer's page.
fn cells(header: &[String], row: &[String]) -> Vec<String> {
    header
        .iter()
        .zip(row)
        .map(|(h, c)| {
            if h == "customer_id" {
                format!("<a href=\"/customer?id={}\">{}</a>", q(c), esc(c))
            } else {
                esc(c)
            }
        })
        .collect()
}

/// The first `k` rows of each division (the files are sorted best first within a division).
fn top_per_division(header: &[String], rows: &[Vec<String>], k: usize) -> String {
    let Some(di) = header.iter().position(|h| h == "division") else {
        return String::new();
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut top: BTreeMap<&str, Vec<&Vec<String>>> = BTreeMap::new();
    for r in rows {
        let n = seen.entry(r[di].as_str()).or_default();
        if *n < k {
            *n += 1;
            top.entry(r[di].as_str()).or_default().push(r);
        }
    }
    let shown: Vec<Vec<String>> = top.values().flatten().map(|r| cells(header, r)).collect();
    let head: Vec<&str> = header.iter().map(String::as_str).collect();
    format!(
        "<h2>Top {k} per division</h2>{}<h2>All rows</h2>",
        table("top", &head, &shown)
    )
}

type Csv = Option<(Vec<String>, Vec<Vec<String>>)>;
type Picked<'a> = Option<(&'a Vec<String>, Vec<&'a Vec<String>>)>;

/// The rows, ascending by the numeric column `sort`.
fn sorted_by<'a>(t: &'a Csv, sort: &str) -> Picked<'a> {
    t.as_ref().map(|(h, rows)| {
        let si = h.iter().position(|x| x == sort);
        let mut r: Vec<&Vec<String>> = rows.iter().collect();
        if let Some(si) = si {
            let key = |r: &Vec<String>| r[si].parse::<f64>().unwrap_or(f64::MAX);
            r.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        (h, r)
    })
}

/// One customer: their whitespace opportunities (best first) and their ICP scores by division.
pub fn customer(ws: &Workspace, query: &Query) -> Reply {
    let id = query.get("id").unwrap_or("").trim();
    if id.is_empty() {
        return Reply::bad("`id` (a customer id) is required");
    }
    let white = read_csv_where(&ws.root.join("outputs/whitespace.csv"), "customer_id", id);
    let scores = read_csv_where(
        &ws.root.join("outputs/scores/icp_scores.csv"),
        "customer_id",
        id,
    );
    if white.is_none() && scores.is_none() {
        return Reply::html(page(
            "/whitespace",
            "Customer",
            &missing("The whitespace ranking", "whitespace"),
        ));
    }
    let w = sorted_by(&white, "rank_in_customer");
    let sc = sorted_by(&scores, "icp_percentile");
    let name = [&w, &sc]
        .iter()
        .filter_map(|t| t.as_ref())
        .find_map(|(h, r)| {
            let ni = h.iter().position(|x| x == "customer_name")?;
            r.first().map(|r| r[ni].clone())
        });
    let Some(name) = name else {
        let mut reply = Reply::html(page(
            "/whitespace",
            "Customer",
            &format!(
                "<p class=\"note\">No customer <code>{}</code> in the scores or the whitespace ranking.</p>",
                esc(id)
            ),
        ));
        reply.status = 404;
        return reply;
    };
    let mut body = format!("<p>Customer <code>{}</code>.</p>", esc(id));
    let drop = ["customer_id", "customer_name"];
    let section = |title: &str, tid: &str, t: &Picked, rev: bool| {
        let Some((h, rows)) = t else {
            return format!("<h2>{title}</h2><p>Not built yet.</p>");
        };
        let keep: Vec<usize> = (0..h.len())
            .filter(|&i| !drop.contains(&h[i].as_str()))
            .collect();
        let head: Vec<&str> = keep.iter().map(|&i| h[i].as_str()).collect();
        let mut shown: Vec<Vec<String>> = rows
            .iter()
            .map(|r| keep.iter().map(|&i| esc(&r[i])).collect())
            .collect();
        if rev {
            shown.reverse();
        }
        format!("<h2>{title}</h2>{}", table(tid, &head, &shown))
    };
    body.push_str(&section(
        "Whitespace opportunities, best first",
        "opportunities",
        &w,
        false,
    ));
    body.push_str(&section(
        "ICP scores by division, highest percentile first",
        "scores",
        &sc,
        true,
    ));
    Reply::html(page("/whitespace", &format!("Customer: {name}"), &body))
}

pub fn scores(ws: &Workspace, query: &Query) -> Reply {
    listing(
        ws,
        query,
        "outputs/scores/icp_scores.csv",
        "/scores",
        "Scores",
        "score",
        &["division", "icp_grade"],
        "customer_id,customer_name",
    )
}

pub fn whitespace(ws: &Workspace, query: &Query) -> Reply {
    listing(
        ws,
        query,
        "outputs/whitespace.csv",
        "/whitespace",
        "Whitespace",
        "whitespace",
        &["division"],
        "customer_id,customer_name",
    )
}

pub fn quality(ws: &Workspace) -> Reply {
    let qa = ws.root.join("outputs/qa");
    let Some(counts) = read_json(&qa.join("row_counts.json")) else {
        return Reply::html(page(
            "/quality",
            "Data quality",
            &missing("The star schema", "star"),
        ));
    };
    let mut body = format!(
        "<h2>Row counts</h2>{}",
        table(
            "counts",
            &[
                "raw rows",
                "staged rows",
                "fact lines",
                "customers",
                "blocked"
            ],
            &[vec![
                counts["raw_rows"].to_string(),
                counts["staged_rows"].to_string(),
                counts["fact_transactions"].to_string(),
                counts["dim_customer"].to_string(),
                counts["blocked"].to_string()
            ]]
        )
    );
    if let Some(obj) = counts["dropped"].as_object() {
        let rows: Vec<Vec<String>> = obj
            .iter()
            .map(|(k, v)| vec![esc(k), v.to_string()])
            .collect();
        body.push_str(&format!(
            "<h2>Dropped rows</h2>{}",
            table("dropped", &["reason", "rows"], &rows)
        ));
    }
    if let Some((h, v)) = read_csv(&qa.join("violations.csv")) {
        let mut by_rule: BTreeMap<(String, String), usize> = BTreeMap::new();
        for r in &v {
            *by_rule.entry((r[0].clone(), r[1].clone())).or_default() += 1;
        }
        let rows: Vec<Vec<String>> = by_rule
            .iter()
            .map(|((rule, sev), n)| {
                vec![
                    esc(rule),
                    format!(
                        "<span class=\"{}\">{}</span>",
                        if sev == "blocking" { "fail" } else { "stale" },
                        esc(sev)
                    ),
                    n.to_string(),
                ]
            })
            .collect();
        body.push_str(&format!(
            "<h2>Contract violations</h2>{}",
            table(
                "violations",
                &["rule", "severity", "rows in violations.csv"],
                &rows
            )
        ));
        let _ = h;
    }
    if let Some(sums) = read_json(&qa.join("checksums.json")).and_then(|v| v.as_object().cloned()) {
        let rows: Vec<Vec<String>> = sums
            .iter()
            .map(|(k, v)| vec![esc(k), esc(v.as_str().unwrap_or(""))])
            .collect();
        body.push_str(&format!(
            "<h2>Checksums</h2>{}",
            table("checksums", &["artifact", "blake3"], &rows)
        ));
    }
    Reply::html(page("/quality", "Data quality", &body))
}

pub fn audit(ws: &Workspace) -> Reply {
    let (records, problems) = match crate::engine::runlog::verify(ws) {
        Ok(x) => x,
        Err(e) => {
            return Reply::html(page(
                "/audit",
                "Audit",
                &format!("<p class=\"failed\">{}</p>", esc(&e.to_string())),
            ))
        }
    };
    if records.is_empty() {
        return Reply::html(page(
            "/audit",
            "Audit",
            &missing("The run log", "whitespace"),
        ));
    }
    let mut body = if problems.is_empty() {
        format!("<p class=\"pass\">The run log's hash chain is intact: {} records. Run <code>gosales audit</code> to also re-hash every output.</p>", records.len())
    } else {
        let rows: Vec<Vec<String>> = problems
            .iter()
            .map(|p| vec![p.line.to_string(), esc(&p.message)])
            .collect();
        format!(
            "<p class=\"fail\">{} problem(s) in the run log.</p>{}",
            problems.len(),
            table("problems", &["line", "problem"], &rows)
        )
    };
    let rows: Vec<Vec<String>> = records
        .iter()
        .rev()
        .take(100)
        .map(|(line, _, e)| {
            let what = e["instance"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("run: {}", e["command"].as_str().unwrap_or("")));
            vec![
                line.to_string(),
                esc(e["at"].as_str().unwrap_or("")),
                esc(&what),
                esc(e["status"].as_str().unwrap_or("")),
                esc(&e["fingerprint"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .take(16)
                    .collect::<String>()),
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
