//! Whether a division's model ranks customers better than chance out of time.
//!
//! A log with no signal for a division (Tableau's Superstore: who buys furniture next half-year
//! is not in its history) still gets a model, percentiles and grades; an A would then be a coin's
//! A. The verdict is the mean out-of-time AUC over the folds less 1.96 of its standard error
//! (Hanley and McNeil's, per fold, from its buyers and non-buyers): not above 0.5, the model's
//! order is indistinguishable from chance, and `score` gives its rows no grade.

use serde_json::{json, Value};

use super::data::Stacked;
use crate::ml::metrics;

/// The out-of-time evidence of a model's skill.
#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    /// Mean AUC over the folds with both buyers and non-buyers.
    pub auc: f64,
    /// `auc` less 1.96 standard errors.
    pub lower: f64,
    /// Buyers over those folds.
    pub buyers: usize,
    pub folds: usize,
}

impl Skill {
    pub fn better_than_chance(&self) -> bool {
        self.lower > 0.5
    }

    pub fn to_json(&self) -> Value {
        json!({
            "better_than_chance": self.better_than_chance(),
            "auc_out_of_time": self.auc,
            "auc_lower_95": self.lower,
            "buyers": self.buyers,
            "folds": self.folds,
            "rule": "mean out-of-time AUC over the folds less 1.96 standard errors (Hanley-McNeil, per fold) must be above 0.5; else the scores rank customers no better than chance and get no grade",
        })
    }

    /// The verdict `train` wrote in a model card (`None`: a card from before it, or no model).
    pub fn better_than_chance_in(card: &Value) -> Option<bool> {
        card["skill"]["better_than_chance"].as_bool()
    }
}

/// The one-sided p-value of the skill in a model card: the chance that a model with none shows
/// an out-of-time AUC this far above 0.5 (`None`: a card from before the verdict).
pub fn p_value_in(card: &Value) -> Option<f64> {
    let s = &card["skill"];
    let (auc, lower) = (s["auc_out_of_time"].as_f64()?, s["auc_lower_95"].as_f64()?);
    let se = (auc - lower) / 1.96;
    if se.is_nan() || se <= 0.0 {
        return Some(if auc > 0.5 { 0.0 } else { 1.0 });
    }
    let z = (auc - 0.5) / se;
    Some(0.5 * libm::erfc(z / std::f64::consts::SQRT_2))
}

/// The family-wise rate of [`holm`]: one-sided 2.5%, the rate of the 1.96 bound of one division.
pub const FAMILY_RATE: f64 = 0.025;

/// Holm's step-down over the divisions' p-values: which are better than chance when all are
/// judged at once. Alone, one division of forty with no signal passes the 1.96 bound by chance:
/// a trial's 47 one-product divisions with no signal had one graded A to F.
pub fn holm(p: &[f64]) -> Vec<bool> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut pass = vec![false; m];
    for (k, &i) in order.iter().enumerate() {
        if p[i] > FAMILY_RATE / (m - k) as f64 {
            break;
        }
        pass[i] = true;
    }
    pass
}

/// Hanley and McNeil's variance of an AUC `a` over `pos` buyers and `neg` non-buyers.
fn variance(a: f64, pos: usize, neg: usize) -> f64 {
    let (p, n) = (pos as f64, neg as f64);
    let q1 = a / (2.0 - a);
    let q2 = 2.0 * a * a / (1.0 + a);
    (a * (1.0 - a) + (p - 1.0) * (q1 - a * a) + (n - 1.0) * (q2 - a * a)) / (p * n)
}

/// The skill of out-of-time predictions `oot` (row of `d`, probability), fold by fold (a fold is
/// a validation cutoff). `None` when no fold has both classes.
pub fn of(d: &Stacked, oot: &[(usize, f64)]) -> Option<Skill> {
    let mut folds: std::collections::BTreeMap<usize, (Vec<u8>, Vec<f64>)> = Default::default();
    for &(i, p) in oot {
        let f = folds.entry(d.cutoff_of[i]).or_default();
        f.0.push(d.y[i]);
        f.1.push(p);
    }
    let mut aucs = Vec::new();
    let (mut var, mut buyers) = (0.0, 0);
    for (y, p) in folds.values() {
        let Some(a) = metrics::roc_auc(y, p) else {
            continue;
        };
        let pos = y.iter().filter(|&&v| v == 1).count();
        var += variance(a, pos, y.len() - pos).max(0.0);
        buyers += pos;
        aucs.push(a);
    }
    if aucs.is_empty() {
        return None;
    }
    let k = aucs.len() as f64;
    let auc = aucs.iter().sum::<f64>() / k;
    Some(Skill {
        auc,
        lower: auc - 1.96 * var.sqrt() / k,
        buyers,
        folds: aucs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stacked(y: Vec<u8>, cutoff_of: Vec<usize>) -> Stacked {
        let mut d = Stacked::empty();
        d.ids = (0..y.len()).map(|i| i.to_string()).collect();
        d.revenue = vec![0.0; y.len()];
        d.y = y;
        d.cutoff_of = cutoff_of;
        d
    }

    #[test]
    fn holm_steps_down_from_the_strongest_and_stops_at_the_first_short() {
        // Alone each of the last three passes (p < 0.025); together only what clears its step.
        let pass = holm(&[0.02, 0.0001, 0.3, 0.004, 0.012]);
        // 0.0001 <= 0.025/5, 0.004 <= 0.025/4, 0.012 > 0.025/3: it and all after it fail.
        assert_eq!(pass, [false, true, false, true, false]);
        // One division is judged as alone.
        assert_eq!(holm(&[0.02]), [true]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn a_cards_p_value_is_one_sided_from_its_bound() {
        let card = |auc: f64, lower: f64| serde_json::json!({"skill": {"auc_out_of_time": auc, "auc_lower_95": lower}});
        // A bound at exactly 0.5 is z = 1.96: p = 0.025.
        let p = p_value_in(&card(0.6, 0.5)).unwrap();
        assert!((p - 0.025).abs() < 1e-4, "{p}");
        assert!(p_value_in(&card(0.5, 0.4)).unwrap() > 0.49);
        assert_eq!(p_value_in(&serde_json::json!({})), None);
    }

    #[test]
    fn hanley_mcneil_at_chance_is_the_closed_form() {
        // At A = 0.5, Q1 - A^2 = Q2 - A^2 = 1/12.
        let se = variance(0.5, 100, 100).sqrt();
        let expected = ((0.25 + 99.0 * 2.0 / 12.0) / 1e4_f64).sqrt();
        assert!((se - expected).abs() < 1e-12, "{se} vs {expected}");
    }

    #[test]
    fn a_model_that_ranks_at_random_is_told_from_one_that_ranks() {
        // Two folds of 400 rows, one in five a buyer.
        let n = 800;
        let y: Vec<u8> = (0..n).map(|i| u8::from(i % 5 == 0)).collect();
        let d = stacked(y.clone(), (0..n).map(|i| 1 + i / 400).collect());
        // Scores unrelated to the label: a hash of the row.
        let noise: Vec<(usize, f64)> = (0..n)
            .map(|i| {
                (
                    i,
                    ((i as u64).wrapping_mul(2654435761) % 1000) as f64 / 1000.0,
                )
            })
            .collect();
        let s = of(&d, &noise).unwrap();
        assert_eq!((s.folds, s.buyers), (2, 160));
        assert!(!s.better_than_chance(), "{s:?}");
        // The same noise, buyers nudged up: AUC about 0.7.
        let signal: Vec<(usize, f64)> = noise
            .iter()
            .map(|&(i, p)| (i, p + 0.35 * f64::from(y[i])))
            .collect();
        let s = of(&d, &signal).unwrap();
        assert!(s.better_than_chance(), "{s:?}");
        assert!(s.auc > 0.65 && s.lower > 0.6, "{s:?}");
        assert_eq!(
            Skill::better_than_chance_in(&json!({"skill": s.to_json()})),
            Some(true)
        );
        // A fold of one class counts for nothing.
        let d = stacked(vec![0; 10], vec![1; 10]);
        assert_eq!(of(&d, &(0..10).map(|i| (i, 0.1)).collect::<Vec<_>>()), None);
    }
}
