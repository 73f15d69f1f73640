//! The feature matrix under construction: named columns of optional values, then winsorisation,
//! missingness flags and filling, done once, in that order, for every column.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde_json::{json, Value};

/// How a missing value is filled after its flag is taken.
#[derive(Debug, Clone, Copy)]
pub enum Fill {
    Zero,
    /// A large sentinel for "never" (days since an event that did not happen).
    Never,
}

pub const NEVER_DAYS: f64 = 3650.0;

pub struct Col {
    pub name: String,
    pub family: &'static str,
    pub description: String,
    pub values: Vec<Option<f64>>,
    pub fill: Fill,
    pub winsorise: bool,
}

#[derive(Default)]
pub struct Matrix {
    pub rows: usize,
    pub cols: Vec<Col>,
}

/// Linear-interpolation quantile (type 7) of sorted values.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

impl Matrix {
    pub fn new(rows: usize) -> Self {
        Matrix {
            rows,
            cols: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        name: impl Into<String>,
        family: &'static str,
        description: impl Into<String>,
        values: Vec<Option<f64>>,
        fill: Fill,
        winsorise: bool,
    ) {
        debug_assert_eq!(values.len(), self.rows);
        // Two names that [`key`] makes one (divisions `Hardware` and `HARDWARE`, industries
        // `R&D` and `R and D`) would make one column name twice, which no frame holds: the
        // later ones are numbered, in the order pushed, which training and scoring share.
        let mut name: String = name.into();
        if self.cols.iter().any(|c| c.name == name) {
            let base = name.clone();
            let mut k = 2;
            while self.cols.iter().any(|c| c.name == name) {
                name = format!("{base}_{k}");
                k += 1;
            }
        }
        self.cols.push(Col {
            name,
            family,
            description: description.into(),
            values,
            fill,
            winsorise,
        });
    }

    /// Caps winsorised columns at their upper `p` quantile over the non-missing, non-zero
    /// values, or at the cap `given` for the column (a scoring matrix takes the training caps, so the model
    /// sees values clipped as they were when it was fitted). Returns the caps, by column.
    pub fn winsorise(
        &mut self,
        p: f64,
        given: Option<&BTreeMap<String, f64>>,
    ) -> BTreeMap<String, f64> {
        let mut caps = BTreeMap::new();
        for c in self.cols.iter_mut().filter(|c| c.winsorise) {
            let cap = match given.and_then(|g| g.get(&c.name)) {
                Some(&cap) => cap,
                None => {
                    // Over the non-zero values only: most customers buy nothing in most
                    // divisions, and a quantile over the zeros too capped every column with
                    // under 1% buyers at 0, erasing its whole signal.
                    let mut v: Vec<f64> = c
                        .values
                        .iter()
                        .flatten()
                        .copied()
                        .filter(|&x| x != 0.0)
                        .collect();
                    if v.is_empty() {
                        continue;
                    }
                    v.sort_by(f64::total_cmp);
                    quantile(&v, p)
                }
            };
            for x in c.values.iter_mut().flatten() {
                if *x > cap {
                    *x = cap;
                }
            }
            caps.insert(c.name.clone(), cap);
        }
        caps
    }

    /// Builds the frame: `customer_id`, every column (filled), and a `<name>__missing` flag for
    /// every column that had a missing value. Also returns the catalog and coverage.
    pub fn finish(self, ids: &[&str]) -> PolarsResult<(DataFrame, Vec<CatalogRow>)> {
        let mut columns = vec![Column::new("customer_id".into(), ids.to_vec())];
        let mut catalog = Vec::new();
        let mut flags = Vec::new();
        for c in self.cols {
            let present = c.values.iter().filter(|v| v.is_some()).count();
            let coverage = if self.rows == 0 {
                0.0
            } else {
                present as f64 / self.rows as f64
            };
            let fill = match c.fill {
                Fill::Zero => 0.0,
                Fill::Never => NEVER_DAYS,
            };
            if present < self.rows {
                let flag: Vec<i8> = c.values.iter().map(|v| i8::from(v.is_none())).collect();
                flags.push((format!("{}__missing", c.name), c.name.clone(), flag));
            }
            let filled: Vec<f64> = c.values.iter().map(|v| v.unwrap_or(fill)).collect();
            columns.push(Column::new(c.name.as_str().into(), filled));
            catalog.push(CatalogRow {
                name: c.name,
                family: c.family,
                dtype: "f64",
                coverage,
                description: c.description,
            });
        }
        for (name, of, flag) in flags {
            columns.push(Column::new(name.as_str().into(), flag));
            catalog.push(CatalogRow {
                name,
                family: "missingness",
                dtype: "i8",
                coverage: 1.0,
                description: format!("1 when `{of}` was undefined for the customer (then filled)"),
            });
        }
        Ok((DataFrame::new(ids.len(), columns)?, catalog))
    }
}

pub struct CatalogRow {
    pub name: String,
    pub family: &'static str,
    pub dtype: &'static str,
    pub coverage: f64,
    pub description: String,
}

pub fn coverage_json(catalog: &[CatalogRow]) -> Value {
    Value::Object(
        catalog
            .iter()
            .map(|c| (c.name.clone(), json!((c.coverage * 1e6).round() / 1e6)))
            .collect(),
    )
}

/// Lower case; runs of anything but letters and digits become `_`.
pub fn key(s: &str) -> String {
    let mut out = String::new();
    for ch in s.to_lowercase().replace('&', " and ").chars() {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let t = out.trim_matches('_').to_string();
    if t.is_empty() {
        "unknown".into()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_linear() {
        assert_eq!(quantile(&[0.0, 1000.0], 0.5), 500.0);
        assert_eq!(quantile(&[50.0, 100.0], 0.5), 75.0);
        assert_eq!(
            quantile(&[1.0, 2.0, 3.0, 4.0, 100.0], 0.99),
            4.0 + 96.0 * 0.96
        );
    }

    #[test]
    fn names_that_key_alike_get_columns_of_their_own() {
        let mut m = Matrix::new(1);
        for d in ["Hardware", "HARDWARE", "hardware"] {
            m.push(
                format!("xdiv__{}__gp", key(d)),
                "crossdiv",
                "",
                vec![Some(1.0)],
                Fill::Zero,
                false,
            );
        }
        let names: Vec<&str> = m.cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "xdiv__hardware__gp",
                "xdiv__hardware__gp_2",
                "xdiv__hardware__gp_3"
            ]
        );
    }

    #[test]
    fn keys() {
        assert_eq!(key("Aerospace & Defense"), "aerospace_and_defense");
        assert_eq!(key("Success Plan"), "success_plan");
        assert_eq!(key("--"), "unknown");
    }

    #[test]
    fn given_caps_replace_the_matrix_quantile() {
        let mut m = Matrix::new(3);
        let gp = vec![Some(10.0), Some(50.0), Some(1000.0)];
        m.push("gp", "rfm", "", gp.clone(), Fill::Zero, true);
        m.push("other", "rfm", "", gp, Fill::Zero, true);
        let given: BTreeMap<String, f64> = [("gp".to_string(), 40.0)].into();
        let caps = m.winsorise(0.5, Some(&given));
        // `gp` takes the given cap; `other`, absent from it, its own median.
        assert_eq!(caps["gp"], 40.0);
        assert_eq!(caps["other"], 50.0);
        let v: Vec<f64> = m.cols[0].values.iter().flatten().copied().collect();
        assert_eq!(v, [10.0, 40.0, 40.0]);
    }

    #[test]
    fn a_sparse_column_keeps_its_signal() {
        // 5 buyers among 1,000: the p99 over all values would be 0 and erase them.
        let mut v = vec![Some(0.0); 1000];
        for (k, x) in [100.0, 200.0, 300.0, 400.0, 5000.0].into_iter().enumerate() {
            v[k * 7] = Some(x);
        }
        let mut m = Matrix::new(1000);
        m.push("gp", "rfm", "", v, Fill::Zero, true);
        let caps = m.winsorise(0.99, None);
        assert!(caps["gp"] > 400.0 && caps["gp"] < 5000.0, "{caps:?}");
        let kept: Vec<f64> = m.cols[0]
            .values
            .iter()
            .flatten()
            .copied()
            .filter(|&x| x > 0.0)
            .collect();
        assert_eq!(&kept[..4], [100.0, 200.0, 300.0, 400.0]);
    }

    #[test]
    fn winsorise_then_flag_then_fill() {
        let mut m = Matrix::new(4);
        m.push(
            "gp",
            "rfm",
            "",
            vec![Some(1.0), Some(2.0), Some(1000.0), None],
            Fill::Zero,
            true,
        );
        m.push(
            "rec",
            "rfm",
            "",
            vec![Some(5.0), None, Some(1.0), Some(2.0)],
            Fill::Never,
            false,
        );
        let caps = m.winsorise(0.5, None);
        assert_eq!(caps["gp"], 2.0);
        let (df, cat) = m.finish(&["a", "b", "c", "d"]).unwrap();
        let gp: Vec<f64> = df
            .column("gp")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(gp, [1.0, 2.0, 2.0, 0.0]);
        let rec: Vec<f64> = df
            .column("rec")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(rec, [5.0, NEVER_DAYS, 1.0, 2.0]);
        let flag: Vec<i8> = df
            .column("gp__missing")
            .unwrap()
            .i8()
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(flag, [0, 0, 0, 1]);
        assert_eq!(cat.len(), 4);
        assert_eq!(cat[0].coverage, 0.75);
    }
}
