//! One customer's page (`/customer?id=...`): their whitespace opportunities and ICP scores.

use std::sync::Arc;

use super::files::{Row, Table};
use super::html::{cell, esc, isolate, page, table};
use super::outputs::{self, Outputs};
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

/// A whole output with a `customer_id` column (the table the listings show, not read again).
type Csv = Option<Arc<Table>>;
type Picked<'a> = Option<(&'a Vec<String>, Vec<Row<'a>>)>;

/// The customer's rows by the numeric column `sort` (descending or not), then by division; a
/// value that is not a number comes last either way.
fn sorted_by<'a>(t: &'a Csv, id: &str, sort: &str, descending: bool) -> Picked<'a> {
    t.as_ref().and_then(|t| {
        let h = &t.header;
        let si = t.col(sort);
        let di = t.col("division");
        let mut r = t.rows_where("customer_id", id)?;
        let key = |r: &Row| si.and_then(|i| r.get(i).parse::<f64>().ok());
        let div = |r: &Row<'a>| di.map(|i| r.get(i)).unwrap_or_default();
        r.sort_by(|a, b| {
            let by = match (key(a), key(b)) {
                (Some(x), Some(y)) if descending => y.total_cmp(&x),
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by.then_with(|| div(a).cmp(div(b)))
        });
        Some((h, r))
    })
}

/// The Customer page is none of the nav's pages: no nav link is marked.
const ACTIVE: &str = "/customer";

/// One customer: their whitespace opportunities (best first) and their ICP scores by division.
pub fn page_for(ws: &Workspace, query: &Query) -> Reply {
    // The id exactly as given (as the listings link it): an id may have spaces of its own.
    let id = query.get("id").unwrap_or("");
    if id.trim().is_empty() {
        return Reply::bad("`id` (a customer id) is required");
    }
    let o = Outputs::find(ws);
    // As the manifest places them; a file no node writes is never read. Whole and cached, as
    // the listings read them: a customer's rows picked out of it, not the file scanned again.
    let read = |p: &Option<String>| {
        p.as_ref()
            .and_then(|p| super::cache::table(&ws.root.join(p)))
            .filter(|t| t.col("customer_id").is_some())
    };
    let (white, scores) = (read(&o.whitespace), read(&o.scores));
    let files: Vec<&str> = [
        (&o.whitespace, outputs::WHITESPACE),
        (&o.scores, outputs::SCORES),
    ]
    .iter()
    .map(|(p, default)| p.as_deref().unwrap_or(default))
    .collect();
    if white.is_none() && scores.is_none() {
        let orphans = o.unwritten(ws, &[outputs::WHITESPACE.into(), outputs::SCORES.into()]);
        return Reply::html(page(
            ACTIVE,
            "Customer",
            &format!(
                "{}{orphans}",
                super::status::missing(&o, "the whitespace ranking and the ICP scores", &files)
            ),
        ));
    }
    let w = sorted_by(&white, id, "rank_in_customer", false);
    let sc = sorted_by(&scores, id, "icp_percentile", true);
    let name = [&w, &sc]
        .iter()
        .filter_map(|t| t.as_ref())
        .find_map(|(h, r)| {
            let ni = h.iter().position(|x| x == "customer_name")?;
            r.first().map(|r| r.get(ni).to_string())
        });
    let Some(name) = name else {
        let mut reply = Reply::html(page(
            ACTIVE,
            "Customer",
            &format!(
                "<p class=\"note\">No customer <code>{}</code> in the scores or the whitespace ranking{}.</p>",
                esc(id),
                if id.trim() != id {
                    " (the id asked for has spaces around it)"
                } else {
                    ""
                }
            ),
        ));
        reply.status = 404;
        return reply;
    };
    let mut body = super::status::banner(ws, &o, &files);
    for (t, path) in [(&white, files[0]), (&scores, files[1])] {
        if let Some(t) = t {
            body.push_str(&t.warning(path));
        }
    }
    body.push_str(&format!("<p>Customer <code>{}</code>.</p>", cell(id)));
    let drop = ["customer_id", "customer_name"];
    let section = |title: &str, tid: &str, t: &Picked| {
        let Some((h, rows)) = t else {
            return format!("<h2>{title}</h2><p>Not built yet.</p>");
        };
        let keep: Vec<usize> = (0..h.len())
            .filter(|&i| !drop.contains(&h[i].as_str()))
            .collect();
        let head: Vec<&str> = keep.iter().map(|&i| h[i].as_str()).collect();
        let shown: Vec<Vec<String>> = rows
            .iter()
            .map(|r| keep.iter().map(|&i| cell(r.get(i))).collect())
            .collect();
        format!("<h2>{title}</h2>{}", table(tid, &head, &shown))
    };
    body.push_str(&section(
        "Whitespace opportunities, best first",
        "opportunities",
        &w,
    ));
    body.push_str(&section(
        "ICP scores by division, highest percentile first",
        "scores",
        &sc,
    ));
    Reply::html(page(
        ACTIVE,
        &format!("Customer: {}", isolate(&name)),
        &body,
    ))
}
