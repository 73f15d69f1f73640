//! What an ETL build did: the report its console lines and `gosales etl` print.

use serde::Serialize;

use super::{contracts, ingest, ingest::Counts};

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub blocked: bool,
    pub published: bool,
    pub blocking_rules: Vec<&'static str>,
    /// The first blocking breach's rule and message (the rest are in violations.csv).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_blocking: Option<String>,
    pub counts: Counts,
    pub fact_lines: u64,
    pub customers: u64,
    pub violations: std::collections::BTreeMap<String, u64>,
    /// What joining a log's parts found (a part's missing columns, an unrelated file, invoices
    /// in two parts): said on the console, not only in violations.csv.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub part_warnings: Vec<String>,
    /// The month-end a weekday business's log runs through, past its last sale
    /// (`closed_on_weekends`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_through: Option<chrono::NaiveDate>,
}

impl Report {
    /// ` (first: <rule>: <message>)` when blocked, for a console line; else empty.
    pub fn first_blocking_note(&self) -> String {
        self.first_blocking
            .as_ref()
            .map(|m| format!(" (first: {m})"))
            .unwrap_or_default()
    }
}

/// One console line for the rows dropped because they name no customer or no usable day: lost
/// sales the user should hear of on the run, not only in violations.csv (a trial lost 1.45% of
/// a log's GP to blank ids with no word on the console).
pub(super) fn dropped_rows(c: &ingest::Counts) -> Option<String> {
    let why = [
        ("null_customer_id", "a blank customer id"),
        ("unparseable_date", "an unreadable date"),
        ("date_out_of_bounds", "a date outside date_min/date_max"),
        ("excluded_status", "a status of no sale"),
        (
            "excluded_document",
            "a document of no sale (a quote, an order beside its invoice)",
        ),
        ("refunded_line", "a refund of the whole line"),
        // Dropped with no word on the console: a tester's 6,479 rows with an unquoted comma in
        // a name (0.4% of the log's GP).
        (
            "ragged_row",
            "a field count other than the header's (an unquoted separator or a stray quote in a value?)",
        ),
        (
            "scientific_id",
            "a customer id in Excel's scientific display",
        ),
        // An export's repeated line, or several lines of one product on one invoice written
        // alike: the run says so (it said nothing, and a tester's three such lines were two
        // lost sales); `init` counts them first.
        (
            "exact_duplicate",
            "repeating an earlier line exactly (real lines alike? `exact_duplicates: keep`)",
        ),
    ];
    let parts: Vec<String> = why
        .iter()
        .filter_map(|(rule, what)| {
            let n = *c.dropped.get(*rule)?;
            (n > 0).then(|| format!("{n} for {what} (`{rule}`)"))
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let n: u64 = why.iter().filter_map(|(r, _)| c.dropped.get(*r)).sum();
    // QA keeps the first rows of a rule and counts the rest: say so where that is the case.
    let cap = contracts::DETAIL_CAP as u64;
    let listed = if why
        .iter()
        .any(|(r, _)| c.dropped.get(*r).is_some_and(|&k| k > cap))
    {
        format!("qa/violations.csv lists the first {cap} of each rule and counts the rest")
    } else {
        "each row is in qa/violations.csv".to_string()
    };
    Some(format!(
        "{n} of {} rows dropped: {}; their sales are in no label or feature ({listed})",
        c.raw_rows,
        parts.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dropped_rows_line_says_where_qa_stops_listing_them() {
        // QA lists 1,000 rows a rule and counts the rest; the console said each row was there.
        let mut c = ingest::Counts {
            raw_rows: 7000,
            ..Default::default()
        };
        c.dropped.insert("null_customer_id".into(), 1000);
        let line = dropped_rows(&c).unwrap();
        assert!(
            line.ends_with("(each row is in qa/violations.csv)"),
            "{line}"
        );
        c.dropped.insert("null_customer_id".into(), 1500);
        let line = dropped_rows(&c).unwrap();
        assert!(
            line.starts_with("1500 of 7000 rows dropped: 1500 for a blank customer id")
                && line.ends_with(
                    "(qa/violations.csv lists the first 1000 of each rule and counts the rest)"
                ),
            "{line}"
        );
    }
}
