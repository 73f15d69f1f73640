//! The Data quality page: the training log's ETL QA and, beside it, the holdout log's. The
//! holdout star feeds the validation labels, so rows it dropped and numbers it could not read
//! change the holdout metrics as much as the training log's change the models.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::files::{read_json, val, Table};
use super::html::{esc, page, table};
use super::outputs::{self, Outputs};
use super::Reply;
use crate::engine::workspace::Workspace;

/// One log's QA directory as read.
struct Qa {
    name: &'static str,
    counts: Value,
    violations: Option<std::sync::Arc<Table>>,
    checksums: Option<serde_json::Map<String, Value>>,
}

fn read(dir: &Path, name: &'static str) -> Option<Qa> {
    Some(Qa {
        name,
        counts: read_json(&dir.join("row_counts.json"))?,
        violations: super::cache::table(&dir.join("violations.csv")),
        checksums: read_json(&dir.join("checksums.json")).and_then(|v| v.as_object().cloned()),
    })
}

pub fn quality(ws: &Workspace) -> Reply {
    // The QA folders of the ETL nodes as the manifest places them: the training log's, and the
    // holdout's (its params' `log: holdout`, or the one a validation reads).
    let o = Outputs::find(ws);
    let orphans = o.unwritten(ws, &[outputs::QA.into(), outputs::HOLDOUT_QA.into()]);
    let at = |p: &Option<String>, name| p.as_ref().and_then(|p| read(&ws.root.join(p), name));
    let Some(training) = at(&o.qa, "training log") else {
        let path = o.qa.as_deref().unwrap_or(outputs::QA);
        return Reply::html(page(
            "/quality",
            "Data quality",
            &format!(
                "{}{orphans}",
                super::status::missing(&o, "the star schema's QA", &[path])
            ),
        ));
    };
    let mut logs = vec![training];
    logs.extend(at(&o.holdout_qa, "holdout log"));
    let mut body = orphans;
    body.push_str(&counts(&logs));
    body.push_str(&dropped(&logs));
    body.push_str(&violations(&logs));
    body.push_str(&checksums(&logs));
    Reply::html(page("/quality", "Data quality", &body))
}

fn counts(logs: &[Qa]) -> String {
    let rows: Vec<Vec<String>> = logs
        .iter()
        .map(|l| {
            let c = &l.counts;
            vec![
                l.name.to_string(),
                val(&c["raw_rows"]),
                val(&c["staged_rows"]),
                val(&c["fact_transactions"]),
                val(&c["dim_customer"]),
                val(&c["blocked"]),
            ]
        })
        .collect();
    let header = [
        "log",
        "raw rows",
        "staged rows",
        "fact lines",
        "customers",
        "blocked",
    ];
    format!("<h2>Row counts</h2>{}", table("counts", &header, &rows))
}

/// One row per key found in any log, one column per log (0 where a log has none of it).
fn side_by_side(
    logs: &[Qa],
    per_log: impl Fn(&Qa) -> BTreeMap<Vec<String>, String>,
) -> Vec<Vec<String>> {
    let each: Vec<BTreeMap<Vec<String>, String>> = logs.iter().map(per_log).collect();
    let keys: std::collections::BTreeSet<&Vec<String>> =
        each.iter().flat_map(|m| m.keys()).collect();
    keys.into_iter()
        .map(|k| {
            let mut row = k.clone();
            row.extend(each.iter().map(|m| m.get(k).cloned().unwrap_or("0".into())));
            row
        })
        .collect()
}

fn header<'a>(first: &[&'a str], logs: &'a [Qa]) -> Vec<&'a str> {
    first
        .iter()
        .copied()
        .chain(logs.iter().map(|l| l.name))
        .collect()
}

fn dropped(logs: &[Qa]) -> String {
    if logs.iter().all(|l| !l.counts["dropped"].is_object()) {
        return String::new();
    }
    let rows = side_by_side(logs, |l| {
        l.counts["dropped"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (vec![esc(k)], val(v)))
            .collect()
    });
    format!(
        "<h2>Dropped rows</h2>{}",
        table("dropped", &header(&["reason"], logs), &rows)
    )
}

fn violations(logs: &[Qa]) -> String {
    if logs.iter().all(|l| l.violations.is_none()) {
        return String::new();
    }
    let rows = side_by_side(logs, |l| {
        let mut by_rule: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let rows = l.violations.iter().filter(|t| t.header.len() > 1);
        for r in rows.flat_map(|t| t.rows()) {
            let class = if r.get(1) == "blocking" {
                "fail"
            } else {
                "stale"
            };
            let severity = format!("<span class=\"{class}\">{}</span>", esc(r.get(1)));
            *by_rule.entry(vec![esc(r.get(0)), severity]).or_default() += 1;
        }
        by_rule
            .into_iter()
            .map(|(k, n)| (k, n.to_string()))
            .collect()
    });
    let header = header(&["rule", "severity"], logs);
    // Rows that cannot be read (a cut file) are said, never dropped unseen.
    let banners: String = logs
        .iter()
        .filter_map(|l| {
            let t = l.violations.as_ref()?;
            Some(t.warning(&format!("violations.csv ({})", l.name)))
        })
        .collect();
    format!(
        "<h2>Contract violations</h2><p>Rows in each log's <code>violations.csv</code>.</p>{banners}{}",
        table("violations", &header, &rows)
    )
}

fn checksums(logs: &[Qa]) -> String {
    let mut out = String::new();
    for (i, l) in logs.iter().enumerate() {
        let Some(sums) = &l.checksums else { continue };
        let rows: Vec<Vec<String>> = sums
            .iter()
            .map(|(k, v)| vec![esc(k), esc(v.as_str().unwrap_or(""))])
            .collect();
        let id = if i == 0 {
            "checksums"
        } else {
            "holdout-checksums"
        };
        out.push_str(&format!(
            "<h2>Checksums, {}</h2>{}",
            l.name,
            table(id, &["artifact", "blake3"], &rows)
        ));
    }
    out
}
