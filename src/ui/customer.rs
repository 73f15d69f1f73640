//! One customer's page (`/customer?id=...`): their whitespace opportunities and ICP scores.

use super::files::read_csv_where;
use super::html::{esc, missing, page, table};
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

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
pub fn page_for(ws: &Workspace, query: &Query) -> Reply {
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
