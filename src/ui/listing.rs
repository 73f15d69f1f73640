//! A filterable, sortable, paginated table over one CSV output, with a CSV download of the
//! filtered rows: the Scores and Whitespace pages.

use std::collections::{BTreeMap, BTreeSet};

use super::files::{Cells, Row, Table};
use super::html::{cell, esc, isolate, page, q, table_html};
use super::outputs::Outputs;
use super::{Query, Reply};
use crate::engine::workspace::Workspace;

/// Largest page size a request may ask for.
pub const MAX_PAGE_SIZE: usize = 500;

/// Query parameters every listing accepts, besides its filter columns.
pub const PARAMS: &[&str] = &["q", "page", "size", "format", "sort", "order"];

/// Renders a summary from the workspace, where its outputs are, and a CSV's header and rows.
pub type Preface = fn(&Workspace, &Outputs, &Table) -> String;

pub struct Listing<'a> {
    /// The CSV, relative to the workspace, as the manifest places it (`None`: no node writes
    /// it), and the default pipeline's path of it (named when nothing writes the CSV, and as an
    /// orphan when something else does); the page's route and title.
    pub path: Option<&'a str>,
    pub default_path: &'a str,
    pub route: &'a str,
    pub title: &'a str,
    /// What the file holds, for the note shown before it is built ("the ICP scores").
    pub what: &'a str,
    /// Columns offered as exact-match filters, and the columns the search box looks in.
    pub filters: &'a [&'a str],
    pub search: &'a [&'a str],
    /// A summary shown above the unfiltered, unsorted first page, from the header and all rows.
    pub preface: Option<Preface>,
}

/// The values of column `i`, sorted, each once, for an error that lists what there is.
fn distinct(t: &Table, i: usize) -> String {
    let have: BTreeSet<&str> = t.rows().map(|r| r.get(i)).collect();
    have.into_iter().collect::<Vec<_>>().join(", ")
}

/// The default page size.
const PAGE_SIZE: usize = 50;

/// `page` is a whole number from 1 (0 and negatives are refused alike; a page past the end
/// shows the last one); `size` from 1 to [`MAX_PAGE_SIZE`].
fn page_args(query: &Query) -> Result<(usize, usize), Reply> {
    let page_no = match query.get("page") {
        None => 1,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(Reply::bad("`page` must be a whole number, 1 or more")),
        },
    };
    let size = query
        .get("size")
        .map(|v| v.parse::<usize>())
        .transpose()
        .map_err(|_| Reply::bad(&format!("`size` must be between 1 and {MAX_PAGE_SIZE}")))?
        .unwrap_or(PAGE_SIZE);
    if size == 0 || size > MAX_PAGE_SIZE {
        return Err(Reply::bad(&format!(
            "`size` must be between 1 and {MAX_PAGE_SIZE}"
        )));
    }
    Ok((page_no, size))
}

/// The query string of the current view (filters, search, sort), for links.
fn link(route: &str, qs: &[(&str, String)], extra: &[(&str, String)]) -> String {
    // A key in `extra` replaces the view's (a page link's `size`): a key twice is refused.
    let parts: Vec<String> = qs
        .iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .chain(extra)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", q(v)))
        .collect();
    format!("{route}?{}", parts.join("&amp;"))
}

/// Sorts rows by a column: numerically when every non-empty cell is a number, else as text.
/// Empty cells come last in either order. Stable, so rows that tie keep the file's order. Each
/// cell is parsed once, not per comparison.
fn sort_rows<R: Cells + Copy>(rows: &mut Vec<R>, col: usize, descending: bool) {
    let (empty, full): (Vec<R>, Vec<R>) = rows.iter().partition(|r| r.cell(col).is_empty());
    *rows = full;
    let keys: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.cell(col).parse::<f64>().ok())
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let numeric: Option<Vec<f64>> = keys.into_iter().collect();
    match &numeric {
        Some(k) => order.sort_by(|&a, &b| k[a].total_cmp(&k[b])),
        None => order.sort_by(|&a, &b| rows[a].cell(col).cmp(rows[b].cell(col))),
    }
    if descending {
        // Reverse the order of distinct keys only, so ties stay in file order.
        let same = |a: usize, b: usize| match &numeric {
            Some(k) => k[a] == k[b],
            None => rows[a].cell(col) == rows[b].cell(col),
        };
        let mut groups: Vec<&[usize]> = Vec::new();
        let mut start = 0;
        for i in 1..=order.len() {
            if i == order.len() || !same(order[i - 1], order[i]) {
                groups.push(&order[start..i]);
                start = i;
            }
        }
        order = groups.into_iter().rev().flatten().copied().collect();
    }
    *rows = order.into_iter().map(|i| rows[i]).chain(empty).collect();
}

impl Listing<'_> {
    pub fn render(&self, ws: &Workspace, o: &Outputs, query: &Query) -> Reply {
        let (route, title) = (self.route, self.title);
        let (page_no, size) = match page_args(query) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let csv = match query.get("format") {
            None => false,
            Some("csv") => true,
            Some(f) => {
                return Reply::bad(&format!(
                    "`format` must be `csv` (the download), or absent for the page; not `{f}`"
                ))
            }
        };
        // Old files at the default path that no node writes any more are named, never shown.
        let orphans = o.unwritten(ws, &[self.default_path.to_string()]);
        let path = self.path.unwrap_or(self.default_path);
        let table = self
            .path
            .and_then(|p| super::cache::table(&ws.root.join(p)));
        let Some(table) = table else {
            if csv {
                return Reply::missing(&super::status::missing_text(o, self.what, &[path]));
            }
            return Reply::html(page(
                route,
                title,
                &format!("{}{orphans}", super::status::missing(o, self.what, &[path])),
            ));
        };
        if table.header.iter().all(|h| h.trim().is_empty()) {
            // An empty file (or one of blank lines): no header, so no table. Until 2026-12-07
            // the page said "0 rows", as of a ranking with nothing in it.
            let why = format!(
                "`{path}` is empty (no header row): it was cut, or written by something other than the node that writes it; rebuild it (`gosales run --force NODE` for that node) or see Audit"
            );
            if csv {
                return Reply::unreadable(&why);
            }
            return Reply::html(page(
                route,
                title,
                &format!(
                    "{}<p class=\"note failed\" id=\"malformed\">{}</p>{orphans}",
                    super::status::banner(ws, o, &[path]),
                    esc(&why)
                ),
            ));
        }
        let header = &table.header;
        let col = |name: &str| table.col(name);
        let sort = query.get("sort").unwrap_or("");
        let sort_col = match sort {
            "" => None,
            s => match col(s) {
                Some(i) => Some(i),
                None => {
                    return Reply::bad(&format!("`sort` must be a column: {}", header.join(", ")))
                }
            },
        };
        let descending = match query.get("order").unwrap_or("asc") {
            "asc" => false,
            "desc" => true,
            _ => return Reply::bad("`order` must be `asc` or `desc`"),
        };
        let values: Vec<(&str, String)> = self
            .filters
            .iter()
            .map(|c| (*c, query.get(c).unwrap_or("").to_string()))
            .collect();
        let search = query.get("q").unwrap_or("");
        let needle = search.to_lowercase();
        let search_cols: Vec<usize> = self.search.iter().filter_map(|c| col(c)).collect();
        let filter_cols: Vec<(Option<usize>, &str)> = values
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| (col(c), v.as_str()))
            .collect();
        // A grade (or another filter but the division) no row has is a wrong value.
        for (c, v) in &filter_cols_named(&values) {
            if *c == "division" {
                continue;
            }
            if let Some(i) = col(c) {
                if !table.rows().any(|r| r.get(i) == *v) {
                    return Reply::bad(&format!(
                        "no {c} `{v}` in {} (have: {})",
                        path,
                        distinct(&table, i)
                    ));
                }
            }
        }
        // A division that does not exist is a wrong address, not an empty page.
        if let (Some(d), Some(i)) = (
            query.get("division").filter(|d| !d.is_empty()),
            col("division"),
        ) {
            if !table.rows().any(|r| r.get(i) == d) {
                return Reply::missing(&format!(
                    "no division `{d}` in {} (have: {})",
                    path,
                    distinct(&table, i)
                ));
            }
        }
        let mut hits: Vec<Row> = table
            .rows()
            .filter(|r| {
                filter_cols
                    .iter()
                    .all(|(i, v)| i.is_some_and(|i| r.get(i) == *v))
            })
            .filter(|r| {
                needle.is_empty()
                    || search_cols
                        .iter()
                        .any(|&i| r.get(i).to_lowercase().contains(&needle))
            })
            .collect();
        if let Some(i) = sort_col {
            sort_rows(&mut hits, i, descending);
        }
        if csv && table.bad > 0 {
            // A download is a file of its own, with no banner to say rows are missing: refused
            // rather than short (until 2026-12-07 a cut `whitespace.csv` downloaded 625 of its
            // 626 rows with a 200).
            return Reply::unreadable(&format!(
                "{} of `{path}` cannot be read ({}): the file is truncated or was edited by hand; rebuild it (`gosales run --force NODE` for the node that writes it) or see Audit",
                super::format::count(table.bad as u64, "record", "records"),
                table.first_bad
            ));
        }
        if csv {
            // The true values read, guarded again for the spreadsheet the download is for.
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(
                header
                    .iter()
                    .map(|h| crate::stages::spreadsheet_safe(h).into_owned()),
            );
            for r in &hits {
                let _ = w.write_record(
                    r.iter()
                        .map(|c| crate::stages::spreadsheet_safe(c).into_owned()),
                );
            }
            return Reply::csv(
                w.into_inner().unwrap_or_default(),
                &format!("{}.csv", route.trim_start_matches('/')),
            );
        }
        let mut qs = values.clone();
        qs.push(("q", search.to_string()));
        // Sorting keeps the page size asked for, as the form does.
        if let Some(size) = query.get("size") {
            qs.push(("size", size.to_string()));
        }
        let view = {
            let mut v = qs.clone();
            v.push(("sort", sort.to_string()));
            if descending {
                v.push(("order", "desc".into()));
            }
            v
        };
        let form = self.form(
            &table,
            &values,
            search,
            (sort, descending),
            query.get("size"),
        );
        // Column headers sort: a second click on the sorted column reverses it.
        let head: Vec<String> = header
            .iter()
            .map(|h| {
                let on = h == sort;
                let order = if on && !descending { "desc" } else { "asc" };
                format!(
                    "<a href=\"{}\">{}</a>{}",
                    link(
                        route,
                        &qs,
                        &[("sort", h.clone()), ("order", order.to_string())]
                    ),
                    esc(h),
                    match (on, descending) {
                        (true, false) => " &#9650;",
                        (true, true) => " &#9660;",
                        _ => "",
                    }
                )
            })
            .collect();
        let pages = hits.len().div_ceil(size).max(1);
        // A page past the end shows the last one (and never overflows).
        let page_no = page_no.min(pages);
        let start = (page_no - 1) * size;
        let shown: Vec<Vec<String>> = hits
            .iter()
            .skip(start)
            .take(size)
            .map(|r| cells(header, *r))
            .collect();
        let pristine =
            needle.is_empty() && filter_cols.is_empty() && sort_col.is_none() && page_no == 1;
        let preface = match self.preface {
            Some(f) if pristine => f(ws, o, &table),
            _ => String::new(),
        };
        let mut pager = format!("<p>{} rows, page {page_no} of {pages}. ", hits.len());
        let at = |p: usize| {
            link(
                route,
                &view,
                &[("page", p.to_string()), ("size", size.to_string())],
            )
        };
        if page_no > 1 {
            pager.push_str(&format!("<a href=\"{}\">previous</a> ", at(page_no - 1)));
        }
        if page_no < pages {
            pager.push_str(&format!("<a href=\"{}\">next</a>", at(page_no + 1)));
        }
        pager.push_str("</p>");
        let body = format!(
            "{}{}{orphans}{preface}{form}{pager}<p><a href=\"{}\">download these rows as CSV</a></p>{}",
            super::status::banner(ws, o, &[path]),
            table.warning(path),
            link(route, &view, &[("format", "csv".into())]),
            table_html("rows", &head, &shown)
        );
        Reply::html(page(route, title, &body))
    }

    fn form(
        &self,
        table: &Table,
        values: &[(&str, String)],
        search: &str,
        (sort, descending): (&str, bool),
        size: Option<&str>,
    ) -> String {
        let mut form = format!("<form method=\"get\" action=\"{}\">", self.route);
        for (c, v) in values {
            // A set, not a sorted copy of the column: a few values out of 400,000 rows.
            let options: BTreeSet<&str> = table
                .col(c)
                .map(|i| table.rows().map(|r| r.get(i)).collect())
                .unwrap_or_default();
            form.push_str(&format!(
                "<label>{} <select name=\"{c}\"><option value=\"\">all</option>",
                esc(c)
            ));
            for o in options {
                form.push_str(&format!(
                    "<option value=\"{}\"{}>{}</option>",
                    esc(o),
                    if o == v { " selected" } else { "" },
                    esc(&isolate(o))
                ));
            }
            form.push_str("</select></label>");
        }
        if !sort.is_empty() {
            form.push_str(&format!(
                "<input type=\"hidden\" name=\"sort\" value=\"{}\"><input type=\"hidden\" name=\"order\" value=\"{}\">",
                esc(sort),
                if descending { "desc" } else { "asc" }
            ));
        }
        // The page size chosen stays when the filter changes.
        if let Some(size) = size {
            form.push_str(&format!(
                "<input type=\"hidden\" name=\"size\" value=\"{}\">",
                esc(size)
            ));
        }
        form.push_str(&format!(
            "<label>search <input name=\"q\" value=\"{}\"></label><button>filter</button></form>",
            esc(search)
        ));
        form
    }
}

/// A row's cells, escaped and isolated; the customer id links to the customer's page (unless
/// it is longer than a query value may be, so that every link printed opens).
pub fn cells(header: &[String], row: Row) -> Vec<String> {
    header
        .iter()
        .zip(row.iter())
        .map(|(h, c)| {
            if h == "customer_id" && !c.is_empty() && c.len() <= super::MAX_VALUE {
                format!("<a href=\"/customer?id={}\">{}</a>", q(c), cell(c))
            } else {
                cell(c)
            }
        })
        .collect()
}

/// The filters given a value, by name.
fn filter_cols_named<'a>(values: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    values
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(c, v)| (*c, v.as_str()))
        .collect()
}

/// The first `k` rows of each division (the files are sorted best first within a division).
pub fn top_per_division(table: &Table, k: usize) -> String {
    let Some(di) = table.col("division") else {
        return String::new();
    };
    let mut top: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
    for r in table.rows() {
        let t = top.entry(r.get(di)).or_default();
        if t.len() < k {
            t.push(r);
        }
    }
    let header = &table.header;
    let shown: Vec<Vec<String>> = top.values().flatten().map(|r| cells(header, *r)).collect();
    let head: Vec<String> = header.iter().map(|h| esc(h)).collect();
    format!(
        "<h2>Top {k} per division</h2>{}<h2>All rows</h2>",
        table_html("top", &head, &shown)
    )
}

#[cfg(test)]
mod tests {
    use super::sort_rows;

    fn rows(cells: &[&str]) -> Vec<Vec<String>> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| vec![i.to_string(), c.to_string()])
            .collect()
    }

    fn sorted(cells: &[&str], descending: bool) -> Vec<String> {
        let data = rows(cells);
        let mut r: Vec<&Vec<String>> = data.iter().collect();
        sort_rows(&mut r, 1, descending);
        r.iter().map(|x| x[0].clone()).collect()
    }

    #[test]
    fn numbers_sort_as_numbers_and_ties_keep_file_order_both_ways() {
        // Rows 0 and 2 tie (2 and 2.0); 10 is above 9 as a number, not as text.
        // The empty cell comes last either way.
        let cells = ["2", "10", "2.0", "9", ""];
        assert_eq!(sorted(&cells, false), ["0", "2", "3", "1", "4"]);
        assert_eq!(sorted(&cells, true), ["1", "3", "0", "2", "4"]);
        assert_eq!(sorted(&["", "b", "", "a"], false), ["3", "1", "0", "2"]);
        assert_eq!(sorted(&["", "b", "", "a"], true), ["1", "3", "0", "2"]);
        // One non-number makes the column text.
        assert_eq!(sorted(&["b", "10", "a", "9"], false), ["1", "3", "2", "0"]);
    }
}
