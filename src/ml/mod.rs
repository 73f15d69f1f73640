//! Numerical building blocks for phase 3: metrics, calibration and the elastic-net logistic
//! regression. Pure functions over slices: no I/O, no engine or stage types. Each is checked
//! against scikit-learn's results in `tests/golden/` (copied from `shared/golden/`).

pub mod calibrate;
pub mod cholesky;
#[cfg(feature = "gbm")]
pub mod gbm;
pub mod gram;
pub mod logreg;
pub mod metrics;
pub mod treeshap;

#[cfg(test)]
pub(crate) fn golden(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

#[cfg(test)]
pub(crate) fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}
