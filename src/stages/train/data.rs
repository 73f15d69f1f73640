//! Training rows: (customer, cutoff) pairs, features at the cutoff joined to the label of the
//! window after it, stacked over cutoffs.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::stages::history::read_parquet;

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
    let str_col = |df: &DataFrame, c: &str| -> Result<Vec<String>, String> {
        Ok(df
            .column(c)
            .map_err(|e| e.to_string())?
            .str()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|s| s.unwrap_or("").to_string())
            .collect())
    };
    let num_col = |df: &DataFrame, c: &str| -> Result<Vec<f64>, String> {
        let s = df
            .column(c)
            .map_err(|e| e.to_string())?
            .cast(&DataType::Float64)
            .map_err(|e| e.to_string())?;
        Ok(s.f64()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect())
    };
    let fid = str_col(&fx, "customer_id")?;
    let lid = str_col(&lb, "customer_id")?;
    let label = num_col(&lb, "label")?;
    let net = num_col(&lb, "net_gp_window")?;
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
        let v = num_col(&fx, &name)?;
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

/// All cutoffs' rows stacked. Columns are the union (a column absent at one cutoff, e.g. an
/// industry that was not yet among the top ones, is 0 there).
pub struct Stacked {
    pub cutoffs: Vec<NaiveDate>,
    pub cutoff_of: Vec<usize>,
    pub ids: Vec<String>,
    pub y: Vec<u8>,
    pub revenue: Vec<f64>,
    pub names: Vec<String>,
    pub cols: Vec<Vec<f64>>,
}

pub fn stack(mut parts: Vec<Part>) -> Stacked {
    parts.sort_by_key(|p| p.cutoff);
    let mut names: Vec<String> = Vec::new();
    for p in &parts {
        for n in &p.names {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    let rows: usize = parts.iter().map(|p| p.ids.len()).sum();
    let mut cols = vec![Vec::with_capacity(rows); names.len()];
    let mut s = Stacked {
        cutoffs: Vec::new(),
        cutoff_of: Vec::new(),
        ids: Vec::new(),
        y: Vec::new(),
        revenue: Vec::new(),
        names: Vec::new(),
        cols: Vec::new(),
    };
    for (k, p) in parts.into_iter().enumerate() {
        let index: HashMap<&str, usize> = p
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        for (j, n) in names.iter().enumerate() {
            match index.get(n.as_str()) {
                Some(&i) => cols[j].extend_from_slice(&p.cols[i]),
                None => cols[j].extend(std::iter::repeat_n(0.0, p.ids.len())),
            }
        }
        s.cutoffs.push(p.cutoff);
        s.cutoff_of.extend(std::iter::repeat_n(k, p.ids.len()));
        s.y.extend(p.y);
        s.revenue.extend(p.revenue);
        s.ids.extend(p.ids);
    }
    s.names = names;
    s.cols = cols;
    s
}
