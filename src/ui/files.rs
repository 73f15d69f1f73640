//! Reading the outputs the pages show. Paths are fixed by the pages, never taken from a request.

use std::path::Path;

use serde_json::Value;

/// A whole CSV output, its true values (the spreadsheet guard the writers put on text cells taken
/// off, as [`read_table`] does).
pub(super) fn read_csv(path: &Path) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let (r, header) = table_reader(path)?;
    let rows = r
        .into_records()
        .filter_map(|x| x.ok())
        .map(|x| {
            x.iter()
                .map(|c| crate::stages::spreadsheet_true(c).to_string())
                .collect()
        })
        .collect();
    Some((header, rows))
}

/// The header and only the rows whose `col` is `value` (true values both), streamed: a
/// customer's rows out of a 100,000-row file without holding the file as strings.
pub(super) fn read_csv_where(
    path: &Path,
    col: &str,
    value: &str,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let (mut r, header) = table_reader(path)?;
    let i = header.iter().position(|h| h == col)?;
    let guarded = crate::stages::spreadsheet_safe(value);
    let mut rec = csv::ByteRecord::new();
    let mut rows = Vec::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if e.is_io_error() => break,
            // A malformed record is skipped, as `read_csv` does; the rest still counts.
            Err(_) => continue,
        }
        if rec.get(i) == Some(guarded.as_bytes()) {
            rows.push(
                rec.iter()
                    .map(|f| {
                        crate::stages::spreadsheet_true(&String::from_utf8_lossy(f)).to_string()
                    })
                    .collect(),
            );
        }
    }
    Some((header, rows))
}

/// A CSV output as the UI shows it: the true values (the spreadsheet guard the writers put on
/// text cells taken off), and the rows it could not read, counted rather than dropped unseen.
pub(super) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// How many records could not be read, and the first one's error.
    pub bad: usize,
    pub first_bad: String,
}

impl Table {
    /// An error banner naming the rows that could not be read; empty when there are none.
    pub fn warning(&self, path: &str) -> String {
        if self.bad == 0 {
            return String::new();
        }
        format!(
            "<p class=\"note failed\" id=\"malformed\">{} of <code>{}</code> cannot be read and {} not shown ({}): the file is truncated or was edited by hand. Rebuild it (<code>gosales run --force NODE</code> for the node that writes it) or see Audit.</p>",
            super::format::count(self.bad as u64, "record", "records"),
            super::html::esc(path),
            if self.bad == 1 { "is" } else { "are" },
            super::html::esc(&self.first_bad)
        )
    }
}

fn table_reader(path: &Path) -> Option<(csv::Reader<std::fs::File>, Vec<String>)> {
    let mut r = csv::Reader::from_path(path).ok()?;
    let header: Vec<String> = r
        .headers()
        .ok()?
        .iter()
        .map(|h| crate::stages::spreadsheet_true(h).to_string())
        .collect();
    Some((r, header))
}

/// The rows of a CSV written with the spreadsheet guard, whose `col` is `value` (true values
/// both), or all of them when `only` is `None`. Streamed: a customer's rows out of a
/// 100,000-row file without holding the file as strings.
pub(super) fn read_table(path: &Path, only: Option<(&str, &str)>) -> Option<Table> {
    let (mut r, header) = table_reader(path)?;
    let only = match only {
        Some((col, value)) => Some((
            header.iter().position(|h| h == col)?,
            crate::stages::spreadsheet_safe(value).into_owned(),
        )),
        None => None,
    };
    let mut t = Table {
        header,
        rows: Vec::new(),
        bad: 0,
        first_bad: String::new(),
    };
    let mut rec = csv::ByteRecord::new();
    loop {
        let (err, stop) = match r.read_byte_record(&mut rec) {
            Ok(true) => match std::str::from_utf8(rec.as_slice()) {
                Ok(_) => (None, false),
                Err(_) => (Some("not UTF-8".to_string()), false),
            },
            Ok(false) => break,
            Err(e) => (Some(e.to_string()), e.is_io_error()),
        };
        if let Some(e) = err {
            if t.bad == 0 {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                t.first_bad = if line > 0 && !e.contains("line") {
                    format!("line {line}: {e}")
                } else {
                    e
                };
            }
            t.bad += 1;
            if stop || r.is_done() {
                break;
            }
            continue;
        }
        if let Some((i, v)) = &only {
            if rec.get(*i) != Some(v.as_bytes()) {
                continue;
            }
        }
        t.rows.push(
            rec.iter()
                .map(|f| {
                    let f = std::str::from_utf8(f).unwrap_or_default();
                    crate::stages::spreadsheet_true(f).to_string()
                })
                .collect(),
        );
    }
    Some(t)
}

pub(super) fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

pub(super) fn num(v: &Value) -> String {
    v.as_f64()
        .map(|x| format!("{x:.3}"))
        .unwrap_or_else(|| "n/a".into())
}

/// A JSON value as escaped HTML text (strings without their quotes).
pub(super) fn val(v: &Value) -> String {
    super::html::esc(&match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::{read_csv, read_csv_where};

    #[test]
    fn whole_and_filtered_reads_give_true_values_and_match_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("holdout_scores_PDM.csv");
        // As the stages write them: formula-like text behind a `'`, a true `'=x` behind two.
        let text = "customer_id,label,p\n'=1+1,1,0.9\n''=x,0,0.1\n'-At Div,0,0.2\n-5,1,0.3\n";
        std::fs::write(&path, text).unwrap();
        let (h, rows) = read_csv(&path).unwrap();
        assert_eq!(h, ["customer_id", "label", "p"]);
        let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, ["=1+1", "'=x", "-At Div", "-5"]);
        let (_, only) = read_csv_where(&path, "customer_id", "=1+1").unwrap();
        assert_eq!(only, [["=1+1", "1", "0.9"]]);
        let (_, only) = read_csv_where(&path, "customer_id", "'=x").unwrap();
        assert_eq!(only, [["'=x", "0", "0.1"]]);
    }
}
