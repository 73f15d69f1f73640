//! Training rows: (customer, cutoff) pairs, features at the cutoff joined to the label of the
//! window after it, stacked over cutoffs.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::stages::history::{f64_column, read_parquet, str_column};

/// One cutoff's joined rows.
pub struct Part {
    pub cutoff: NaiveDate,
    pub window_months: u64,
    pub ids: Vec<String>,
    pub y: Vec<u8>,
    /// Net window gross profit (the revenue behind revenue-weighted lift).
    pub revenue: Vec<f64>,
    pub names: Vec<String>,
    /// Column-major values.
    pub cols: Vec<Vec<f64>>,
}

fn json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("`{}`: {e}", path.display()))
}

fn date_of(v: &serde_json::Value, path: &Path) -> Result<NaiveDate, String> {
    v["cutoff"]
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| format!("`{}` has no `cutoff` date", path.display()))
}

/// The cutoff a features partition was built at (its `feature_stats.json`).
pub fn features_cutoff(features: &Path) -> Result<NaiveDate, String> {
    let path = features.join("feature_stats.json");
    date_of(&json(&path)?, &path)
}

/// Reads one partition's features and labels and joins them on customer_id.
pub fn load_part(features: &Path, labels: &Path) -> Result<Part, String> {
    let stats_path = features.join("feature_stats.json");
    let cut_path = labels.join("cutoff.json");
    let stats = json(&stats_path)?;
    let cut = json(&cut_path)?;
    let (cf, cl) = (date_of(&stats, &stats_path)?, date_of(&cut, &cut_path)?);
    if cf != cl {
        return Err(format!(
            "features are at {cf} but labels at {cl} (`{}` vs `{}`)",
            features.display(),
            labels.display()
        ));
    }
    let fx = read_parquet(&features.join("features.parquet"))?;
    let lb = read_parquet(&labels.join("labels.parquet"))?;
    let fid = str_column(&fx, "customer_id")?;
    let lid = str_column(&lb, "customer_id")?;
    let label = f64_column(&lb, "label", f64::NAN)?;
    let net = f64_column(&lb, "net_gp_window", f64::NAN)?;
    let lpos: HashMap<&str, usize> = lid
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let only_features = fid
        .iter()
        .filter(|s| !lpos.contains_key(s.as_str()))
        .count();
    let fset: std::collections::HashSet<&str> = fid.iter().map(String::as_str).collect();
    let only_labels = lid.iter().filter(|s| !fset.contains(s.as_str())).count();
    if only_features > 0 || only_labels > 0 {
        return Err(format!(
            "features and labels disagree on customers at {cf}: {only_features} only in features, {only_labels} only in labels (do `features.population` and `labels.mode` match?)"
        ));
    }
    let order: Vec<usize> = fid.iter().map(|s| lpos[s.as_str()]).collect();
    let mut names = Vec::new();
    let mut cols = Vec::new();
    for c in fx.columns().iter().skip(1) {
        let name = c.name().to_string();
        if is_partition_local(&name) {
            continue;
        }
        let v = f64_column(&fx, &name, f64::NAN)?;
        if let Some(bad) = v.iter().position(|x| !x.is_finite()) {
            return Err(format!(
                "feature `{name}` has a non-finite value (customer `{}`, cutoff {cf})",
                fid[bad]
            ));
        }
        names.push(name);
        cols.push(v);
    }
    Ok(Part {
        cutoff: cf,
        window_months: cut["window_months"].as_u64().unwrap_or(0),
        y: order.iter().map(|&i| u8::from(label[i] > 0.5)).collect(),
        revenue: order.iter().map(|&i| net[i]).collect(),
        ids: fid,
        names,
        cols,
    })
}

/// Columns whose meaning is local to one partition's fit: the ALS factors (their axes differ
/// from one cutoff's fit to the next, so stacked they would not be one column).
pub fn is_partition_local(name: &str) -> bool {
    name.strip_prefix("als__f")
        .is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
}

/// All cutoffs' rows stacked. Columns are the union (a column absent at one cutoff, e.g. an
/// industry that was not yet among the top ones, is 0 there).
#[derive(Clone)]
pub struct Stacked {
    pub cutoffs: Vec<NaiveDate>,
    /// The label window after each cutoff (one definition for all: `labels::definition_of`).
    pub window_months: u64,
    pub cutoff_of: Vec<usize>,
    pub ids: Vec<String>,
    pub y: Vec<u8>,
    pub revenue: Vec<f64>,
    pub names: Vec<String>,
    pub cols: Vec<Vec<f64>>,
}

impl Stacked {
    pub fn empty() -> Stacked {
        Stacked {
            cutoffs: Vec::new(),
            window_months: 0,
            cutoff_of: Vec::new(),
            ids: Vec::new(),
            y: Vec::new(),
            revenue: Vec::new(),
            names: Vec::new(),
            cols: Vec::new(),
        }
    }

    /// Appends a later cutoff's rows, freeing each of the part's columns once copied: a run
    /// holds one part beside the stack, never all of them with it (at 115,000 customers a
    /// part is 350 MB and the stack 1.8 GB). A column first seen at this cutoff is 0 on the
    /// rows before it.
    pub fn push(&mut self, p: Part) {
        let (before, n) = (self.y.len(), p.ids.len());
        if self.cutoffs.is_empty() {
            self.window_months = p.window_months;
        }
        let known: HashMap<String, usize> = self
            .names
            .iter()
            .enumerate()
            .map(|(j, name)| (name.clone(), j))
            .collect();
        let mut filled = vec![false; self.names.len()];
        for (name, v) in p.names.into_iter().zip(p.cols) {
            match known.get(&name) {
                Some(&j) => {
                    // Exactly what this part adds: doubling growth would leave up to half of a
                    // 1.8 GB stack unused.
                    self.cols[j].reserve_exact(n);
                    self.cols[j].extend_from_slice(&v);
                    filled[j] = true;
                }
                None => {
                    let mut col = Vec::with_capacity(before + n);
                    col.extend(std::iter::repeat_n(0.0, before));
                    col.extend_from_slice(&v);
                    self.names.push(name);
                    self.cols.push(col);
                }
            }
        }
        for (col, _) in self.cols.iter_mut().zip(&filled).filter(|(_, f)| !**f) {
            col.reserve_exact(n);
            col.extend(std::iter::repeat_n(0.0, n));
        }
        self.cutoff_of
            .extend(std::iter::repeat_n(self.cutoffs.len(), n));
        self.cutoffs.push(p.cutoff);
        self.y.extend(p.y);
        self.revenue.extend(p.revenue);
        self.ids.extend(p.ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    fn write_part(dir: &Path, ids: &[&str], feat: &[f64], label_ids: &[&str], labels: &[i8]) {
        std::fs::create_dir_all(dir.join("f")).unwrap();
        std::fs::create_dir_all(dir.join("l")).unwrap();
        let mut f = DataFrame::new_infer_height(vec![
            Column::new("customer_id".into(), ids.to_vec()),
            Column::new("x".into(), feat.to_vec()),
        ])
        .unwrap();
        crate::stages::etl::write::write_parquet(&mut f, &dir.join("f/features.parquet")).unwrap();
        std::fs::write(
            dir.join("f/feature_stats.json"),
            r#"{"cutoff": "2024-06-30"}"#,
        )
        .unwrap();
        let n = label_ids.len();
        let mut l = DataFrame::new_infer_height(vec![
            Column::new("customer_id".into(), label_ids.to_vec()),
            Column::new("label".into(), labels.to_vec()),
            Column::new("net_gp_window".into(), vec![0.0; n]),
        ])
        .unwrap();
        crate::stages::etl::write::write_parquet(&mut l, &dir.join("l/labels.parquet")).unwrap();
        std::fs::write(
            dir.join("l/cutoff.json"),
            r#"{"cutoff": "2024-06-30", "window_months": 6}"#,
        )
        .unwrap();
    }

    #[test]
    fn joins_by_customer_and_rejects_disagreement_and_non_finite_values() {
        let d = tempfile::tempdir().unwrap();
        write_part(d.path(), &["a", "b"], &[1.0, 2.0], &["b", "a"], &[1, 0]);
        let p = load_part(&d.path().join("f"), &d.path().join("l")).unwrap();
        assert_eq!(p.ids, ["a", "b"]);
        assert_eq!(p.y, [0, 1], "labels follow the feature rows, joined by id");

        write_part(d.path(), &["a", "b"], &[1.0, 2.0], &["a", "c"], &[1, 0]);
        let e = load_part(&d.path().join("f"), &d.path().join("l"))
            .err()
            .unwrap();
        assert!(
            e.contains("disagree on customers")
                && e.contains("1 only in features, 1 only in labels"),
            "{e}"
        );

        write_part(
            d.path(),
            &["a", "b"],
            &[1.0, f64::NAN],
            &["a", "b"],
            &[1, 0],
        );
        let e = load_part(&d.path().join("f"), &d.path().join("l"))
            .err()
            .unwrap();
        assert!(
            e.contains("feature `x` has a non-finite value (customer `b`"),
            "{e}"
        );

        std::fs::write(
            d.path().join("l/cutoff.json"),
            r#"{"cutoff": "2023-12-31"}"#,
        )
        .unwrap();
        let e = load_part(&d.path().join("f"), &d.path().join("l"))
            .err()
            .unwrap();
        assert!(
            e.contains("features are at 2024-06-30 but labels at 2023-12-31"),
            "{e}"
        );
    }

    fn part(cutoff: &str, ids: &[&str], cols: &[(&str, &[f64])]) -> Part {
        Part {
            cutoff: NaiveDate::parse_from_str(cutoff, "%Y-%m-%d").unwrap(),
            window_months: 6,
            ids: ids.iter().map(|s| s.to_string()).collect(),
            y: vec![0; ids.len()],
            revenue: vec![0.0; ids.len()],
            names: cols.iter().map(|(n, _)| n.to_string()).collect(),
            cols: cols.iter().map(|(_, v)| v.to_vec()).collect(),
        }
    }

    #[test]
    fn stacking_takes_the_union_of_columns_with_zeros_where_a_cutoff_lacks_one() {
        let mut s = Stacked::empty();
        s.push(part(
            "2023-06-30",
            &["a", "b"],
            &[("x", &[1.0, 2.0]), ("y", &[3.0, 4.0])],
        ));
        // `z` appears (an industry entering the top ones), `y` is gone, the order differs.
        s.push(part("2023-12-31", &["a"], &[("z", &[7.0]), ("x", &[5.0])]));
        s.push(part(
            "2024-06-30",
            &["c"],
            &[("y", &[9.0]), ("z", &[8.0]), ("x", &[6.0])],
        ));
        assert_eq!(s.names, ["x", "y", "z"]);
        assert_eq!(s.cols[0], [1.0, 2.0, 5.0, 6.0]);
        assert_eq!(s.cols[1], [3.0, 4.0, 0.0, 9.0]);
        assert_eq!(s.cols[2], [0.0, 0.0, 7.0, 8.0]);
        assert_eq!(s.cutoff_of, [0, 0, 1, 2]);
        assert_eq!(s.ids, ["a", "b", "a", "c"]);
        assert_eq!(s.window_months, 6);
        assert!(
            s.cols.iter().all(|c| c.len() == c.capacity()),
            "no slack capacity"
        );
    }

    #[test]
    fn als_factors_are_not_stacked_but_their_owner_cosine_is() {
        let d = tempfile::tempdir().unwrap();
        write_part(d.path(), &["a", "b"], &[1.0, 2.0], &["a", "b"], &[1, 0]);
        let mut f = DataFrame::new_infer_height(vec![
            Column::new("customer_id".into(), ["a", "b"]),
            Column::new("x".into(), [1.0, 2.0]),
            Column::new("als__f0".into(), [0.1, 0.2]),
            Column::new("als__f12".into(), [0.3, 0.4]),
            Column::new("als__owner_cosine".into(), [0.9, -0.1]),
        ])
        .unwrap();
        crate::stages::etl::write::write_parquet(&mut f, &d.path().join("f/features.parquet"))
            .unwrap();
        let p = load_part(&d.path().join("f"), &d.path().join("l")).unwrap();
        assert_eq!(p.names, ["x", "als__owner_cosine"]);
        assert!(is_partition_local("als__f3") && !is_partition_local("als__f"));
    }
}
