//! Reading the outputs the pages show. Paths are fixed by the pages, never taken from a request.

use std::path::Path;

use serde_json::Value;

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
pub(super) fn read_csv_where(
    path: &Path,
    col: &str,
    value: &str,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::Reader::from_path(path).ok()?;
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_string).collect();
    let i = header.iter().position(|h| h == col)?;
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

/// A JSON value as escaped HTML text (strings without their quotes).
pub(super) fn val(v: &Value) -> String {
    super::html::esc(&match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}
