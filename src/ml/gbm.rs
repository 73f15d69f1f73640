//! LightGBM through lightgbm3: binary objective, fixed seed and thread count, deterministic mode,
//! early stopping on a validation set. Categorical columns are not passed as such (lightgbm3's
//! safe API cannot set dataset parameters); every feature is numeric already.

use lightgbm3::{Booster, Dataset};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GbmParams {
    pub num_leaves: u32,
    pub min_data_in_leaf: u32,
    pub learning_rate: f64,
    pub feature_fraction: f64,
    /// Rows per tree (1.0: all) and how often they are redrawn (0: never).
    pub bagging_fraction: f64,
    pub bagging_freq: u32,
    pub max_iterations: u32,
    pub early_stopping_rounds: u32,
    pub seed: u64,
    pub threads: u32,
}

/// A trained booster and the number of trees it kept.
pub struct Gbm {
    pub booster: Booster,
    pub iterations: usize,
}

fn to_f32(y: &[u8]) -> Vec<f32> {
    y.iter().map(|&v| v as f32).collect()
}

/// Fits on row-major `x` (`n_features` per row). With `valid`, stops early on its AUC.
pub fn fit(
    x: &[f64],
    y: &[u8],
    n_features: usize,
    valid: Option<(&[f64], &[u8])>,
    p: &GbmParams,
    scale_pos_weight: f64,
    iterations: Option<u32>,
) -> Result<Gbm, String> {
    let train = Dataset::from_slice(x, &to_f32(y), n_features as i32, true)
        .map_err(|e| format!("LightGBM dataset: {e}"))?;
    let valid = match valid {
        Some((vx, vy)) => Some(
            Dataset::from_slice_with_reference(
                vx,
                &to_f32(vy),
                n_features as i32,
                true,
                Some(&train),
            )
            .map_err(|e| format!("LightGBM dataset: {e}"))?,
        ),
        None => None,
    };
    let mut params = json!({
        "objective": "binary",
        "metric": "auc",
        "num_iterations": iterations.unwrap_or(p.max_iterations),
        "num_leaves": p.num_leaves,
        "min_data_in_leaf": p.min_data_in_leaf,
        "learning_rate": p.learning_rate,
        "feature_fraction": p.feature_fraction,
        "feature_fraction_seed": p.seed,
        "bagging_fraction": p.bagging_fraction,
        "bagging_freq": p.bagging_freq,
        "bagging_seed": p.seed,
        "seed": p.seed,
        "deterministic": true,
        "force_row_wise": true,
        "num_threads": p.threads,
        "scale_pos_weight": scale_pos_weight,
        "verbosity": -1,
    });
    if valid.is_some() && iterations.is_none() {
        params["early_stopping_rounds"] = json!(p.early_stopping_rounds);
    }
    let booster = Booster::train_with_valid(train, valid, &params)
        .map_err(|e| format!("LightGBM training: {e}"))?;
    let iterations = booster.num_iterations().max(1) as usize;
    Ok(Gbm {
        booster,
        iterations,
    })
}

impl Gbm {
    pub fn predict(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>, String> {
        self.booster
            .predict_with_params(x, n_features as i32, true, "num_threads=1")
            .map_err(|e| format!("LightGBM prediction: {e}"))
    }

    /// LightGBM's own text format, loadable by its other bindings.
    pub fn model_text(&self) -> Result<String, String> {
        self.booster
            .save_string()
            .map_err(|e| format!("LightGBM save: {e}"))
    }

    /// Total gain per feature.
    pub fn importance(&self) -> Vec<f64> {
        self.booster
            .feature_importance(lightgbm3::ImportanceType::Gain)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_simple_rule_deterministically() {
        // y = 1 when x0 > 0.5, x1 is noise.
        let mut rng = crate::synth::Rng::new(7, 0);
        let n = 2000;
        let mut x = Vec::with_capacity(n * 2);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let a = rng.f64();
            x.push(a);
            x.push(rng.f64());
            y.push(u8::from(a > 0.5));
        }
        let p = GbmParams {
            num_leaves: 7,
            min_data_in_leaf: 20,
            learning_rate: 0.1,
            feature_fraction: 1.0,
            bagging_fraction: 1.0,
            bagging_freq: 0,
            max_iterations: 50,
            early_stopping_rounds: 10,
            seed: 42,
            threads: 1,
        };
        let m1 = fit(&x, &y, 2, None, &p, 1.0, None).unwrap();
        let m2 = fit(&x, &y, 2, None, &p, 1.0, None).unwrap();
        let p1 = m1.predict(&x, 2).unwrap();
        assert_eq!(p1, m2.predict(&x, 2).unwrap(), "bit-identical predictions");
        let auc = crate::ml::metrics::roc_auc(&y, &p1).unwrap();
        assert!(auc > 0.99, "{auc}");
        assert!(m1.importance()[0] > m1.importance()[1]);
        assert!(m1.model_text().unwrap().starts_with("tree"));
        // Bagging grows each tree on a seeded half of the rows: another model, the same each time.
        let bag = GbmParams {
            bagging_fraction: 0.5,
            bagging_freq: 1,
            ..p
        };
        let b1 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
        let b2 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
        assert_eq!(b1.predict(&x, 2).unwrap(), b2.predict(&x, 2).unwrap());
        assert_ne!(b1.model_text().unwrap(), m1.model_text().unwrap());
        assert!(b1.model_text().unwrap().contains("[bagging_fraction: 0.5]"));
    }
}
