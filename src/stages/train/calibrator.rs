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
            CalMethod::Platt => {
                let fitted = Platt::fit(&p.iter().map(|&v| logit(v)).collect::<Vec<_>>(), y);
                // A decreasing map (a > 0: the model ranked this data backwards) would turn the
                // model's ranking over, and its AUC with it. Not a calibration: the level of the
                // data (its smoothed prevalence, as Platt's start), the model's order kept by a
                // slope as small as isotonic's tie ramp.
                Calibrator::Platt(if fitted.a > 0.0 {
                    let pos = y.iter().filter(|&&v| v == 1).count() as f64;
                    let neg = y.len() as f64 - pos;
                    Platt {
                        a: -crate::ml::calibrate::TIE_RAMP,
                        b: ((neg + 1.0) / (pos + 1.0)).ln(),
                    }
                } else {
                    fitted
                })
            }
            // Shrunk: a step of no buyer among its calibration rows is no certainty of none.
            CalMethod::Isotonic => Calibrator::Isotonic(Isotonic::fit_jeffreys(
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
