//! What the holdout's ETL left out, for the validation report: a buyer whose only holdout lines
//! were dropped (a blank customer id, a date that does not parse, a product the SKU map does not
//! name) counts as a non-buyer, so an auditor reading the holdout figures must see how many
//! lines that was, there and not only in the holdout's own QA folder.

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
    // A wide log's product column the SKU map does not name is not loaded at all.
    let columns = unmapped_columns(&qa.join("violations.csv"));
    let mut out = json!({
        "raw_rows": raw,
        "dropped": dropped,
        "rows_left_out": rows_lost,
        "unmapped_product_lines": unmapped,
        "unmapped_product_columns": columns,
    });
    if rows_lost > 0 || unmapped > 0 || !columns.is_empty() {
        let mut parts = Vec::new();
        if rows_lost > 0 {
            let each: Vec<String> = lost.iter().map(|(r, n)| format!("{r} {n}")).collect();
            parts.push(format!(
                "{rows_lost} of its {raw} rows ({})",
                each.join(", ")
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
        let folder = qa
            .file_name()
            .map_or_else(|| "qa".to_string(), |f| f.to_string_lossy().into_owned());
        out["note"] = json!(format!(
            "the holdout log's ETL left out {}. A customer who bought only on those counts as a non-buyer here (each is listed in the holdout's {folder}/violations.csv)",
            parts.join("; ")
        ));
    }
    out
}

/// The columns `violations.csv` names under `unmapped_product_column`, in its order.
fn unmapped_columns(path: &Path) -> Vec<String> {
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    let Ok(header) = r.headers().cloned() else {
        return Vec::new();
    };
    let (Some(rule), Some(column)) = (
        header.iter().position(|h| h == "rule"),
        header.iter().position(|h| h == "column"),
    ) else {
        return Vec::new();
    };
    r.records()
        .filter_map(Result::ok)
        .filter(|rec| rec.get(rule) == Some("unmapped_product_column"))
        .filter_map(|rec| {
            rec.get(column)
                .map(|c| crate::stages::spreadsheet_true(c).to_string())
        })
        .collect()
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
            "rule,severity,file,row,column,value,message\nunmapped_product_column,warning,h.csv,,Widgets,,not in the SKU map: not loaded\n",
        )
        .unwrap();
        let star = dir.path().join("star");
        let v = summary(&[star, qa]).unwrap();
        assert_eq!(v["raw_rows"], 5992);
        assert_eq!(v["rows_left_out"], 22);
        assert_eq!(v["unmapped_product_lines"], 4);
        assert_eq!(v["dropped"]["exact_duplicate"], 15);
        assert_eq!(
            v["note"],
            "the holdout log's ETL left out 22 of its 5992 rows (null_customer_id 11, unparseable_date 11); 4 lines of products the SKU map does not name; the product column(s) `Widgets`, not in the SKU map. A customer who bought only on those counts as a non-buyer here (each is listed in the holdout's qa/violations.csv)"
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
