//! Negative sampling for fits on many rows: every positive is kept, the negatives are thinned
//! by a seeded hash and the kept ones weigh the inverse of their rate, so a fit at 115,000
//! customers sees a few times fewer rows with the class balance (and so the probabilities) of
//! them all. Why not bagging (`bagging_fraction`): LightGBM still bins, stores and re-indexes
//! every row for it, and at 115,000 customers a cap on rows per tree was no faster (README).

use super::data::Stacked;

/// The rows a fit sees when more than `cap` (> 0) are asked for: every positive, and of the
/// negatives those whose seeded hash of (customer, cutoff) ranks lowest, enough for `cap` rows
/// in all but never fewer negatives than positives; with the negatives' sampling rate, by whose
/// inverse the fit weighs each kept negative, so the weighted rows keep the population's class
/// balance and the fit's probabilities stay calibrated. At 115,000 customers this cuts a fold's
/// work several times over; at or under `cap` rows nothing changes (`None`, rate 1).
pub fn sample_negatives(
    d: &Stacked,
    rows: &[usize],
    cap: usize,
    seed: u64,
) -> (Option<Vec<usize>>, f64) {
    if cap == 0 || rows.len() <= cap {
        return (None, 1.0);
    }
    let (pos, neg): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| d.y[i] == 1);
    let keep = cap.saturating_sub(pos.len()).max(pos.len()).min(neg.len());
    if keep == neg.len() || keep == 0 {
        return (None, 1.0);
    }
    // A row's rank depends only on the seed, its customer and its cutoff: the same customer
    // at the same cutoff is kept or dropped alike in every fit that samples at that rate.
    let rank = |i: usize| -> u64 {
        let mut h = blake3::Hasher::new();
        h.update(&seed.to_le_bytes());
        h.update(d.ids[i].as_bytes());
        h.update(&(d.cutoff_of[i] as u64).to_le_bytes());
        u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().expect("8 bytes"))
    };
    let mut ranked: Vec<(u64, usize)> = neg.iter().map(|&i| (rank(i), i)).collect();
    ranked.select_nth_unstable(keep);
    let mut kept: Vec<usize> = pos
        .into_iter()
        .chain(ranked[..keep].iter().map(|&(_, i)| i))
        .collect();
    kept.sort_unstable();
    (Some(kept), keep as f64 / neg.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::train::fit::{self, Candidate, Family};
    use chrono::NaiveDate;
    use serde_json::json;

    /// `n` rows over two cutoffs, about 5% positive, with one informative column.
    fn rows(n: usize) -> Stacked {
        let mut rng = crate::synth::Rng::new(7, 1);
        let y: Vec<u8> = (0..n).map(|_| u8::from(rng.f64() < 0.05)).collect();
        Stacked {
            window_months: 6,
            cutoffs: vec![
                NaiveDate::from_ymd_opt(2023, 6, 30).unwrap(),
                NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
            ],
            cutoff_of: (0..n).map(|i| i % 2).collect(),
            ids: (0..n).map(|i| format!("c{:05}", i / 2)).collect(),
            revenue: vec![0.0; n],
            names: vec!["signal".into(), "noise".into()],
            cols: vec![
                y.iter().map(|&v| v as f64 + 2.0 * rng.f64()).collect(),
                (0..n).map(|_| rng.f64()).collect(),
            ],
            y,
        }
    }

    #[test]
    fn keeps_every_positive_and_a_seeded_share_of_negatives() {
        let d = rows(4000);
        let all: Vec<usize> = (0..d.y.len()).collect();
        let pos = d.y.iter().filter(|&&v| v == 1).count();
        let neg = all.len() - pos;
        assert_eq!(sample_negatives(&d, &all, 0, 1), (None, 1.0));
        assert_eq!(sample_negatives(&d, &all, 4000, 1), (None, 1.0));
        let (kept, rate) = sample_negatives(&d, &all, 1000, 1);
        let kept = kept.unwrap();
        assert_eq!(kept.len(), 1000);
        assert!(kept.windows(2).all(|w| w[0] < w[1]), "rows stay in order");
        assert_eq!(kept.iter().filter(|&&i| d.y[i] == 1).count(), pos);
        assert_eq!(rate, (1000 - pos) as f64 / neg as f64);
        // Deterministic for a seed; another seed draws other negatives.
        assert_eq!(sample_negatives(&d, &all, 1000, 1).0.unwrap(), kept);
        assert_ne!(sample_negatives(&d, &all, 1000, 2).0.unwrap(), kept);
        // A cap under twice the positives still keeps as many negatives as positives.
        let (kept, _) = sample_negatives(&d, &all, pos, 1);
        assert_eq!(kept.unwrap().len(), 2 * pos);
    }

    fn mean_prediction(c: serde_json::Value, family: Family, d: &Stacked) -> f64 {
        let all: Vec<usize> = (0..d.y.len()).collect();
        let c = Candidate { family, params: c };
        let m = fit::fit(&c, d, &all, None, 42, Some(60), None).unwrap();
        let p = m.predict(d, &all).unwrap();
        p.iter().sum::<f64>() / p.len() as f64
    }

    #[cfg(feature = "gbm")]
    #[test]
    fn sampled_lightgbm_fits_keep_the_population_s_probabilities() {
        let d = rows(20_000);
        let prevalence = d.y.iter().filter(|&&v| v == 1).count() as f64 / d.y.len() as f64;
        let lgbm = |cap: u64| {
            json!({"num_leaves": 7, "min_data_in_leaf": 20, "learning_rate": 0.1,
                   "feature_fraction": 1.0, "scale_pos_weight_cap": 1.0, "max_bin": 63,
                   "max_fit_rows": cap})
        };
        let full = mean_prediction(lgbm(0), Family::Lgbm, &d);
        // About a fifth of the negatives: unweighted, the mean would be about 0.2.
        let sampled = mean_prediction(lgbm(5000), Family::Lgbm, &d);
        assert!((full - prevalence).abs() < 0.005, "{full} vs {prevalence}");
        assert!(
            (sampled - prevalence).abs() < 0.01,
            "{sampled} vs {prevalence}"
        );
    }

    #[test]
    fn sampled_logistic_regressions_keep_the_balanced_fit() {
        let d = rows(20_000);
        let lr =
            |cap: u64| json!({"c": 1.0, "l1_ratio": 0.0, "tolerance": 1e-8, "max_fit_rows": cap});
        let full = mean_prediction(lr(0), Family::Logreg, &d);
        let sampled = mean_prediction(lr(5000), Family::Logreg, &d);
        // Unweighted negatives would lift every balanced probability by log(1 / rate) in logit.
        assert!((full - sampled).abs() < 0.03, "{full} vs {sampled}");
    }
}
