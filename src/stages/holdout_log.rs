//! What the holdout's ETL left out, for the validation report: a buyer whose only holdout lines
//! were dropped (a blank customer id, a date that does not parse, a product the SKU map does not
//! name) counts as a non-buyer, so an auditor reading the holdout figures must see how many
//! lines that was, there and not only in the holdout's own QA folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The holdout star's `row_counts.json` in whichever of its output folders holds it, as a
/// `holdout_log` block, or `None` when the upstream wrote none (an ETL of another node shape).
pub fn summary(outputs: &[PathBuf]) -> Option<Value> {
    let qa = outputs
        .iter()
        .find(|p| p.join("row_counts.json").is_file())?;
    let counts: Value =
        serde_json::from_slice(&std::fs::read(qa.join("row_counts.json")).ok()?).ok()?;
    Some(block(&counts, qa))
}

fn block(counts: &Value, qa: &Path) -> Value {
    let raw = counts["raw_rows"].as_u64().unwrap_or(0);
    let dropped = counts["dropped"].as_object().cloned().unwrap_or_default();
    // An exact duplicate repeats a line that stays: no buyer is lost with it.
    let lost: Vec<(String, u64)> = dropped
        .iter()
        .filter(|(rule, _)| *rule != "exact_duplicate")
        .map(|(rule, n)| (rule.clone(), n.as_u64().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let rows_lost: u64 = lost.iter().map(|(_, n)| n).sum();
    let unmapped = counts["unmapped_product_lines"].as_u64().unwrap_or(0);
    // A wide log's product column the SKU map does not name is not loaded at all; a GP that
    // is not a number is read as 0: both can hide a buyer.
    let (columns, zeros) = from_violations(&qa.join("violations.csv"));
    let zeros_total: u64 = zeros.values().sum();
    let duplicates = dropped
        .get("exact_duplicate")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let mut out = json!({
        "raw_rows": raw,
        "dropped": dropped,
        "rows_left_out": rows_lost,
        // Said in the file: `dropped` sums to more, and an auditor found nothing saying why.
        "rows_left_out_counts": "the dropped rows that could hold a sale no other row keeps: every rule but `exact_duplicate` (a repeat of a line that stays loaded)",
        "unmapped_product_lines": unmapped,
        "unmapped_product_columns": columns,
        "values_read_as_zero": zeros,
    });
    // Not lost: loaded in the division their rows name, which may not be the one the SKU map
    // would give them.
    let unlisted = counts["unlisted_product_lines"].as_u64().unwrap_or(0);
    if unlisted > 0 {
        out["unlisted_product_lines"] = json!(unlisted);
    }
    if rows_lost > 0 || unmapped > 0 || !columns.is_empty() || zeros_total > 0 {
        let mut parts = Vec::new();
        if rows_lost > 0 {
            let each: Vec<String> = lost.iter().map(|(r, n)| format!("{r} {n}")).collect();
            parts.push(format!(
                "{rows_lost} of its {raw} rows ({}{})",
                each.join(", "),
                match duplicates {
                    0 => String::new(),
                    n => format!("; and {n} exact duplicate(s), each a repeat of a line kept"),
                }
            ));
        }
        if unmapped > 0 {
            parts.push(format!(
                "{unmapped} lines of products the SKU map does not name"
            ));
        }
        if !columns.is_empty() {
            parts.push(format!(
                "the product column(s) {}, not in the SKU map",
                columns
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if zeros_total > 0 {
            let each: Vec<String> = zeros.iter().map(|(c, n)| format!("`{c}` {n}")).collect();
            parts.push(format!(
                "{zeros_total} values that are not numbers, read as 0 ({})",
                each.join(", ")
            ));
        }
        // No folder named: nodes renamed by roles must write the same bytes.
        out["note"] = json!(format!(
            "the holdout log's ETL left out {}. A customer who bought only on those counts as a non-buyer here (each is listed in the `violations.csv` of the holdout's ETL)",
            parts.join("; ")
        ));
    }
    out
}

/// From `violations.csv`: the columns named under `unmapped_product_column` (in its order),
/// and per column the values read as 0 (`unparseable_number`).
fn from_violations(path: &Path) -> (Vec<String>, BTreeMap<String, u64>) {
    let mut columns = Vec::new();
    let mut zeros = BTreeMap::new();
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return (columns, zeros);
    };
    let Ok(header) = r.headers().cloned() else {
        return (columns, zeros);
    };
    let (Some(rule), Some(column)) = (
        header.iter().position(|h| h == "rule"),
        header.iter().position(|h| h == "column"),
    ) else {
        return (columns, zeros);
    };
    for rec in r.records().filter_map(Result::ok) {
        let col = crate::stages::spreadsheet_true(rec.get(column).unwrap_or_default()).to_string();
        match rec.get(rule) {
            Some("unmapped_product_column") => columns.push(col),
            Some("unparseable_number") => *zeros.entry(col).or_insert(0) += 1,
            _ => {}
        }
    }
    (columns, zeros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_could_hold_buyers_are_counted_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let qa = dir.path().join("qa");
        std::fs::create_dir_all(&qa).unwrap();
        std::fs::write(
            qa.join("row_counts.json"),
            r#"{"raw_rows": 5992, "dropped": {"exact_duplicate": 15, "null_customer_id": 11, "unparseable_date": 11}, "unmapped_product_lines": 4}"#,
        )
        .unwrap();
        std::fs::write(
            qa.join("violations.csv"),
            "rule,severity,file,row,column,value,message\nunmapped_product_column,warning,h.csv,,Widgets,,not in the SKU map: not loaded\nunparseable_number,warning,h.csv,7,PDM,12O34,not a number: read as 0\nunparseable_number,warning,h.csv,9,PDM,x,not a number: read as 0\n",
        )
        .unwrap();
        let star = dir.path().join("star");
        let v = summary(&[star, qa]).unwrap();
        assert_eq!(v["raw_rows"], 5992);
        assert_eq!(v["rows_left_out"], 22);
        assert_eq!(v["unmapped_product_lines"], 4);
        assert_eq!(v["dropped"]["exact_duplicate"], 15);
        assert_eq!(v["values_read_as_zero"]["PDM"], 2);
        assert_eq!(
            v["note"],
            "the holdout log's ETL left out 22 of its 5992 rows (null_customer_id 11, unparseable_date 11; and 15 exact duplicate(s), each a repeat of a line kept); 4 lines of products the SKU map does not name; the product column(s) `Widgets`, not in the SKU map; 2 values that are not numbers, read as 0 (`PDM` 2). A customer who bought only on those counts as a non-buyer here (each is listed in the `violations.csv` of the holdout's ETL)"
        );
    }

    #[test]
    fn a_clean_holdout_has_counts_and_no_note() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("row_counts.json"),
            r#"{"raw_rows": 10, "dropped": {"exact_duplicate": 2}}"#,
        )
        .unwrap();
        let v = summary(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(v["rows_left_out"], 0);
        assert!(v.get("note").is_none(), "{v}");
        assert!(summary(&[dir.path().join("nothing")]).is_none());
    }
}
