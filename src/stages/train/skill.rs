//! Whether a division's model ranks customers better than chance out of time.
//!
//! A log with no signal for a division (Tableau's Superstore: who buys furniture next half-year
//! is not in its history) still gets a model, percentiles and grades; an A would then be a coin's
//! A. The verdict is the mean out-of-time AUC over the folds less 1.96 of its standard error:
//! not above 0.5, the model's order is indistinguishable from chance, and `score` gives its rows
//! no grade. The error is the larger of two: Hanley and McNeil's, per fold from its buyers and
//! non-buyers, as if the folds were independent; and a bootstrap over customers, who recur from
//! fold to fold (a customer's score and label at one cutoff are much like at the next, so four
//! folds of the same 59 customers are not four times the evidence of one).

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
    /// Positive rows over those folds (a customer buying after two cutoffs counts twice).
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
            "buyers_are": "positive rows over the folds: a customer who bought after two cutoffs counts twice",
            "folds": self.folds,
            "rule": "mean out-of-time AUC over the folds less 1.96 standard errors (the larger of Hanley-McNeil per fold and a bootstrap over customers, who recur across folds) must be above 0.5; else the scores rank customers no better than chance and get no grade",
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
    let mut folds: std::collections::BTreeMap<usize, Vec<(usize, f64)>> = Default::default();
    for &(i, p) in oot {
        folds.entry(d.cutoff_of[i]).or_default().push((i, p));
    }
    let mut customers: std::collections::HashMap<&str, usize> = Default::default();
    let mut kept: Vec<Vec<Row>> = Vec::new();
    let mut aucs = Vec::new();
    let (mut var, mut buyers) = (0.0, 0);
    for rows in folds.values() {
        let y: Vec<u8> = rows.iter().map(|&(i, _)| d.y[i]).collect();
        let p: Vec<f64> = rows.iter().map(|&(_, p)| p).collect();
        let Some(a) = metrics::roc_auc(&y, &p) else {
            continue;
        };
        let pos = y.iter().filter(|&&v| v == 1).count();
        var += variance(a, pos, y.len() - pos).max(0.0);
        buyers += pos;
        aucs.push(a);
        let mut fold = Vec::with_capacity(rows.len());
        for &(i, p) in rows {
            let next = customers.len();
            fold.push(Row {
                p,
                buyer: d.y[i] == 1,
                customer: *customers.entry(d.ids[i].as_str()).or_insert(next),
            });
        }
        fold.sort_by(|a, b| a.p.total_cmp(&b.p));
        kept.push(fold);
    }
    if aucs.is_empty() {
        return None;
    }
    let k = aucs.len() as f64;
    let auc = aucs.iter().sum::<f64>() / k;
    let se = (var.sqrt() / k).max(bootstrap_se(&kept, customers.len()));
    Some(Skill {
        auc,
        lower: auc - 1.96 * se,
        buyers,
        folds: aucs.len(),
    })
}

/// A fold's row: its score, its label and its customer's number.
struct Row {
    p: f64,
    buyer: bool,
    customer: usize,
}

/// Draws of the customers (with replacement) behind [`bootstrap_se`].
const DRAWS: usize = 200;

/// The standard deviation of the mean fold AUC over [`DRAWS`] resamples of the customers, each
/// drawn customer bringing all its rows in every fold. Seeded: the same folds give the same
/// figure.
fn bootstrap_se(folds: &[Vec<Row>], customers: usize) -> f64 {
    if customers < 2 {
        return 0.0;
    }
    let mut rng = crate::synth::Rng::new(0x5EED_A0C0, customers as u64);
    let mut weight = vec![0u32; customers];
    let mut means = Vec::with_capacity(DRAWS);
    for _ in 0..DRAWS {
        weight.iter_mut().for_each(|w| *w = 0);
        for _ in 0..customers {
            weight[(rng.next_u64() % customers as u64) as usize] += 1;
        }
        let aucs: Vec<f64> = folds
            .iter()
            .filter_map(|f| weighted_auc(f, &weight))
            .collect();
        if !aucs.is_empty() {
            means.push(aucs.iter().sum::<f64>() / aucs.len() as f64);
        }
    }
    if means.len() < 2 {
        return 0.0;
    }
    let n = means.len() as f64;
    let mean = means.iter().sum::<f64>() / n;
    (means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The AUC of rows sorted by score, each weighing its customer's draw count (ties count half).
fn weighted_auc(rows: &[Row], weight: &[u32]) -> Option<f64> {
    let (mut below, mut sum, mut buyers, mut others) = (0.0, 0.0, 0.0, 0.0);
    for tie in rows.chunk_by(|a, b| a.p == b.p) {
        let (mut pos, mut neg) = (0.0, 0.0);
        for r in tie {
            let w = f64::from(weight[r.customer]);
            if r.buyer {
                pos += w;
            } else {
                neg += w;
            }
        }
        sum += pos * (below + 0.5 * neg);
        below += neg;
        buyers += pos;
        others += neg;
    }
    (buyers > 0.0 && others > 0.0).then(|| sum / (buyers * others))
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

    #[test]
    fn the_same_customers_in_every_fold_are_not_fresh_evidence() {
        // 60 customers, 15 buyers, a weak signal; alone, one fold is short of the bound.
        let one: Vec<(u8, f64)> = (0..60u64)
            .map(|c| {
                let buyer = c % 4 == 0;
                let noise = crate::synth::Rng::new(1, c).f64();
                (u8::from(buyer), noise + if buyer { 0.12 } else { 0.0 })
            })
            .collect();
        let rows = |folds: usize| {
            let y: Vec<u8> = (0..folds).flat_map(|_| one.iter().map(|r| r.0)).collect();
            let mut d = stacked(y, (0..folds * 60).map(|i| 1 + i / 60).collect());
            // The same customer ids in every fold, as at successive cutoffs.
            d.ids = (0..folds * 60).map(|i| (i % 60).to_string()).collect();
            let oot: Vec<(usize, f64)> = (0..folds * 60).map(|i| (i, one[i % 60].1)).collect();
            (d, oot)
        };
        let (d, oot) = rows(1);
        let alone = of(&d, &oot).unwrap();
        assert!(!alone.better_than_chance(), "{alone:?}");
        // Four copies of that fold: as independent folds the error would halve and pass; over
        // the customers it stays that of one fold.
        let (d, oot) = rows(4);
        let four = of(&d, &oot).unwrap();
        assert!((four.auc - alone.auc).abs() < 1e-12);
        assert!(
            four.auc - 1.96 * variance(four.auc, 15, 45).sqrt() / 2.0 > 0.5,
            "{four:?}"
        );
        assert!(!four.better_than_chance(), "{four:?}");
        assert!(
            (four.lower - alone.lower).abs() < 0.03,
            "{four:?} {alone:?}"
        );
        // Deterministic.
        assert_eq!(of(&d, &oot), Some(four));
    }

    #[test]
    fn a_weighted_auc_of_unit_weights_is_the_auc() {
        let rows: Vec<Row> = [
            (0.1, false),
            (0.2, true),
            (0.2, false),
            (0.4, true),
            (0.3, false),
        ]
        .iter()
        .enumerate()
        .map(|(c, &(p, buyer))| Row {
            p,
            buyer,
            customer: c,
        })
        .collect();
        let mut sorted = rows;
        sorted.sort_by(|a, b| a.p.total_cmp(&b.p));
        let y: Vec<u8> = sorted.iter().map(|r| u8::from(r.buyer)).collect();
        let p: Vec<f64> = sorted.iter().map(|r| r.p).collect();
        let a = weighted_auc(&sorted, &[1; 5]).unwrap();
        assert!((a - metrics::roc_auc(&y, &p).unwrap()).abs() < 1e-12);
        // Doubling a customer counts its row twice.
        assert!(weighted_auc(&sorted, &[1, 1, 1, 2, 1]).unwrap() > a);
    }
}
