//! Data contracts: every breach becomes a row of `violations.csv` (rule, severity, file, its row,
//! column, value, message). A `blocking` breach stops publication of the curated tables unless
//! `fail_soft` is set; `warning`s are reported and the affected rows handled as documented.
//!
//! | rule | severity | effect |
//! |------|----------|--------|
//! | `empty_file`, `no_data_rows`, `missing_required_column`, `no_valid_rows` | blocking | nothing to build |
//! | `too_many_bad_dates` (share above `max_bad_date_share`) | blocking | the date column is not trustworthy |
//! | `too_many_ragged_rows` (share above `max_ragged_row_share`) | blocking | the file does not split into its header's columns |
//! | `scientific_id` (a customer id as Excel displays a long number, `4.00012E+11`: its last digits lost), and `scientific_ids` past `max_bad_number_share` of the rows | warning, blocking | row dropped, counted |
//! | `too_many_bad_numbers` (unreadable values per row above `max_bad_number_share`) | blocking | the value columns are not trustworthy |
//! | `too_many_blank_ids` (rows of a blank customer id above `max_blank_id_share`) | blocking | the customer id column is not trustworthy |
//! | `duplicate_key` (same `invoice_id` + line id + `product_sku` on rows that differ, of one customer in one year; only for logs with a line-id column) | blocking | one line would be counted twice |
//! | `duplicate_column` (a header written twice; warning when the column is not loaded) | blocking | which copy holds the data is ambiguous |
//! | `unreadable_row` (the CSV reader's error), `unclosed_quote` (whole rows read into one quoted field) | blocking | rows after it would be lost |
//! | `unparseable_date`, `date_out_of_bounds`, `null_customer_id`, `ragged_row` | warning | row dropped, counted |
//! | `total_row` (a dateless line with a total label in any cell: `Grand Total`, `INV1102 Total`) | warning | row dropped, counted |
//! | `excluded_status` (a status of no sale under `excluded_statuses`: `Cancelled`, `Open`) | warning | row dropped, counted |
//! | `refunded_line` (a long log's line whose `aliases.refunded_quantity` is its whole quantity; a part refunded is taken off) | warning | row dropped, counted |
//! | `component_line` (a long log's line with `aliases.parent_line` set: a variant or a bundle's item, its parent line holding its value) | warning | row dropped, counted |
//! | `repeated_header` (the header again mid-file: a report's page headers) | warning | lines dropped, counted, one warning |
//! | `blank_cost` (a long log's line with a revenue and no cost, under `aliases.cost`) | warning | its GP is its whole revenue; counted on the console |
//! | `exact_duplicate` | warning | repeated line dropped, counted (loaded with `exact_duplicates: keep`) |
//! | `unparseable_number`, `oversized_field` | warning | value read as 0 / empty |
//! | `missing_product_column`, `unmapped_product_column`, `encoding_fallback`, `customer_id_twins` (ids alike but for leading zeros, kept apart), `customer_id_spellings` (the spellings `customer_id_spelling: words` merged into one customer), `mixed_currency` | warning | reported |
//! | `product_leading_zeros` (a long log's item code found only without its zeros) | warning | loaded as the map's SKU, reported |
//! | `unlisted_product` (a long log's product the SKU map does not list, on rows naming one of its divisions) | warning | loaded in that division, reported once per product |
//! | `cost_without_quantity` (a cost per unit, `cost_per_unit: true`, on a line of no quantity) | warning | one unit's cost taken off |
//! | `part_missing_column` (a folder's file or a sheet lacks the customer id or date column, or a long log's product or GP) | blocking | every row of it would be dropped |
//! | `part_header_differs` (a file as wide as the data and a tenth of the folder or more, whose headers are another's: a subsidiary's export in its language) | blocking | left out, years of sales would go |
//! | `part_columns_differ` (a folder's file lacks columns another has), `empty_part`, `unrelated_part`, `copied_part` (a byte-for-byte copy of another part), `subfolder_not_read`, `invoice_in_two_parts` | warning | its rows have those cells empty / the file is left out / reported |

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Blocking,
    Warning,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: &'static str,
    pub severity: Severity,
    /// The file the breach is in (a folder's part; empty when it is in no one file).
    pub file: String,
    /// 1-based line of the raw file (the header is row 1), when the breach is in one row.
    pub row: Option<u64>,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// Detail rows kept per rule; beyond it, one summary row gives the total.
pub const DETAIL_CAP: usize = 1_000;

#[derive(Debug, Default)]
pub struct Violations {
    rows: Vec<Violation>,
    counts: BTreeMap<&'static str, (Severity, u64)>,
}

fn clip(s: &str) -> String {
    if s.len() <= 120 {
        return s.to_string();
    }
    let mut end = 120;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &s[..end], s.len())
}

impl Violations {
    pub fn push(
        &mut self,
        rule: &'static str,
        severity: Severity,
        row: Option<u64>,
        column: &str,
        value: &str,
        message: impl Into<String>,
    ) {
        let c = self.counts.entry(rule).or_insert((severity, 0));
        c.1 += 1;
        if c.1 as usize <= DETAIL_CAP {
            self.rows.push(Violation {
                rule,
                severity,
                file: String::new(),
                row,
                column: column.to_string(),
                value: clip(value),
                message: message.into(),
            });
        }
    }

    pub fn extend(&mut self, other: Violations) {
        for v in other.rows {
            let c = self.counts.entry(v.rule).or_insert((v.severity, 0));
            c.1 += 1;
            if c.1 as usize <= DETAIL_CAP {
                self.rows.push(v);
            }
        }
        // Rows beyond the other's cap were counted there but not kept: add those counts.
        for (rule, (sev, n)) in other.counts {
            let kept = (n as usize).min(DETAIL_CAP) as u64;
            let c = self.counts.entry(rule).or_insert((sev, 0));
            c.1 += n - kept;
        }
    }

    /// Takes every row number, so far a line of the text the ETL read (a folder's files joined),
    /// to its file and that file's line.
    pub fn locate(&mut self, log: &super::parts::Log) {
        for v in self.rows.iter_mut().filter(|v| v.file.is_empty()) {
            match v.row {
                Some(line) => {
                    let (file, line) = log.file_line(line);
                    v.file = file.to_string();
                    v.row = Some(line);
                }
                // A folder's breach in no row is about the whole log; a single file's is in it.
                None if !log.has_parts() => v.file = log.files[0].clone(),
                None => {}
            }
        }
    }

    /// A breach already placed in its file.
    pub fn push_in(
        &mut self,
        file: &str,
        rule: &'static str,
        severity: Severity,
        row: Option<u64>,
        message: String,
    ) {
        let before = self.rows.len();
        self.push(rule, severity, row, "", "", message);
        if let Some(v) = self.rows.get_mut(before) {
            v.file = file.to_string();
        }
    }

    /// The messages of the breaches of `rules` (at most `max`): what a console shows of them.
    /// The messages of `rules`' breaches, at most `max` of them and then how many more there
    /// are (a console shows a few; QA has them all).
    pub fn messages(&self, rules: &[&str], max: usize) -> Vec<String> {
        let all: Vec<&Violation> = self
            .rows
            .iter()
            .filter(|v| rules.contains(&v.rule))
            .collect();
        let mut out: Vec<String> = all.iter().take(max).map(|v| v.message.clone()).collect();
        if all.len() > max {
            out.push(format!(
                "... and {} more of these in violations.csv",
                all.len() - max
            ));
        }
        out
    }

    pub fn is_blocking(&self) -> bool {
        self.counts.values().any(|(s, _)| *s == Severity::Blocking)
    }

    /// The first breach of `rule` kept in detail.
    pub fn first(&self, rule: &str) -> Option<&Violation> {
        self.rows.iter().find(|v| v.rule == rule)
    }

    pub fn count(&self, rule: &str) -> u64 {
        self.counts.get(rule).map(|c| c.1).unwrap_or(0)
    }

    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.counts
            .iter()
            .map(|(k, (_, n))| (k.to_string(), *n))
            .collect()
    }

    /// The message of the first blocking breach, by rule name: what a console line can show.
    pub fn first_blocking(&self) -> Option<String> {
        self.rows
            .iter()
            .find(|v| v.severity == Severity::Blocking)
            .map(|v| match (v.row, v.file.as_str()) {
                // The file line where it is: the first thing to open the file at.
                (Some(line), "") => format!("{} at line {line}: {}", v.rule, v.message),
                (Some(line), file) => format!("{} at `{file}` line {line}: {}", v.rule, v.message),
                (None, _) => format!("{}: {}", v.rule, v.message),
            })
    }

    pub fn blocking_rules(&self) -> Vec<&'static str> {
        self.counts
            .iter()
            .filter(|(_, (s, _))| *s == Severity::Blocking)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Writes `violations.csv`: always with a header, detail rows sorted by row then rule, and one
    /// summary row per rule whose count passed the cap.
    pub fn write_csv(&self, path: &Path) -> Result<(), String> {
        let mut rows = self.rows.clone();
        rows.sort_by(|a, b| {
            (&a.file, a.row.unwrap_or(0), a.rule, &a.column).cmp(&(
                &b.file,
                b.row.unwrap_or(0),
                b.rule,
                &b.column,
            ))
        });
        let mut w = csv::Writer::from_path(path)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        let io = |e: csv::Error| e.to_string();
        w.write_record([
            "rule", "severity", "file", "row", "column", "value", "message",
        ])
        .map_err(io)?;
        for v in &rows {
            let row = v.row.map(|r| r.to_string()).unwrap_or_default();
            // Values come straight from the user's file: no formula may ride along.
            let safe = crate::stages::spreadsheet_safe;
            w.write_record([
                v.rule,
                v.severity.as_str(),
                &safe(&v.file),
                &row,
                &safe(&v.column),
                &safe(&v.value),
                &safe(&v.message),
            ])
            .map_err(io)?;
        }
        for (rule, (sev, n)) in &self.counts {
            if *n as usize > DETAIL_CAP {
                let more = *n as usize - DETAIL_CAP;
                let msg = format!("... and {more} more rows like the above ({n} in all)");
                w.write_record([*rule, sev.as_str(), "", "", "", "", msg.as_str()])
                    .map_err(io)?;
            }
        }
        w.flush().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_gets_a_few_messages_and_how_many_more_there_are() {
        let mut vio = Violations::default();
        for i in 0..7 {
            vio.push(
                "product_leading_zeros",
                Severity::Warning,
                Some(i + 2),
                "Item",
                "333",
                format!("code {i}"),
            );
        }
        vio.push("exact_duplicate", Severity::Warning, Some(3), "", "", "dup");
        let m = vio.messages(&["product_leading_zeros"], 5);
        assert_eq!(m.len(), 6, "{m:?}");
        assert_eq!(m[4], "code 4");
        assert_eq!(m[5], "... and 2 more of these in violations.csv");
        assert_eq!(vio.messages(&["exact_duplicate"], 5), ["dup"]);
    }
}
