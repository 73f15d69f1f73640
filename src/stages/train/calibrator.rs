//! The calibration maps `train` chooses between out of time and `score` applies: none, Platt on
//! the logit, or isotonic.

use serde::{Deserialize, Serialize};

use super::params::CalMethod;
use crate::ml::calibrate::{Isotonic, Platt};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibrator {
    None,
    Platt(Platt),
    Isotonic(Isotonic),
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

impl Calibrator {
    pub fn fit(m: CalMethod, p: &[f64], y: &[u8]) -> Calibrator {
        match m {
            CalMethod::None => Calibrator::None,
            CalMethod::Platt => Calibrator::Platt(Platt::fit(
                &p.iter().map(|&v| logit(v)).collect::<Vec<_>>(),
                y,
            )),
            CalMethod::Isotonic => Calibrator::Isotonic(Isotonic::fit(
                p,
                &y.iter().map(|&v| v as f64).collect::<Vec<_>>(),
            )),
        }
    }
    pub fn apply(&self, p: f64) -> f64 {
        match self {
            Calibrator::None => p,
            Calibrator::Platt(c) => c.predict(logit(p)),
            Calibrator::Isotonic(c) => c.predict(p),
        }
    }
}
