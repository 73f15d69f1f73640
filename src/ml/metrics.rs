//! Ranking and probability metrics, with scikit-learn's conventions: ROC AUC counts ties as
//! half; average precision is the step-wise sum over distinct thresholds (ties grouped, no
//! interpolation); log loss clips probabilities to [1e-15, 1 - 1e-15].
//!
//! Lift@K is pinned down so that metric diffs compare like with like: sort by score descending,
//! ties broken by the row key ascending, take the top ceil(K% x n), divide its positive rate by
//! the overall positive rate of the same population.

/// Area under the ROC curve; `None` when only one class is present.
pub fn roc_auc(y: &[u8], score: &[f64]) -> Option<f64> {
    let n_pos = y.iter().filter(|&&v| v == 1).count();
    let n_neg = y.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| score[a].total_cmp(&score[b]));
    // Average ranks over ties, then the Mann-Whitney statistic.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && score[idx[j + 1]] == score[idx[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum_pos += idx[i..=j].iter().filter(|&&k| y[k] == 1).count() as f64 * avg_rank;
        i = j + 1;
    }
    let np = n_pos as f64;
    Some((rank_sum_pos - np * (np + 1.0) / 2.0) / (np * n_neg as f64))
}

/// Average precision (area under the step-wise precision-recall curve); `None` without positives.
pub fn average_precision(y: &[u8], score: &[f64]) -> Option<f64> {
    let n_pos = y.iter().filter(|&&v| v == 1).count() as f64;
    if n_pos == 0.0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let (mut tp, mut fp, mut prev_recall, mut ap) = (0.0, 0.0, 0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && score[idx[j + 1]] == score[idx[i]] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            if y[k] == 1 {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
        }
        let recall = tp / n_pos;
        ap += (recall - prev_recall) * tp / (tp + fp);
        prev_recall = recall;
        i = j + 1;
    }
    Some(ap)
}

pub fn brier(y: &[u8], p: &[f64]) -> f64 {
    y.iter()
        .zip(p)
        .map(|(&t, &q)| (q - t as f64).powi(2))
        .sum::<f64>()
        / y.len().max(1) as f64
}

pub fn log_loss(y: &[u8], p: &[f64]) -> f64 {
    let eps = 1e-15;
    y.iter()
        .zip(p)
        .map(|(&t, &q)| {
            let q = q.clamp(eps, 1.0 - eps);
            if t == 1 {
                -q.ln()
            } else {
                -(1.0 - q).ln()
            }
        })
        .sum::<f64>()
        / y.len().max(1) as f64
}

/// Row order for top-K cuts: score descending, then key ascending.
fn ranked(score: &[f64], key: &[&str]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..score.len()).collect();
    idx.sort_by(|&a, &b| {
        score[b]
            .total_cmp(&score[a])
            .then_with(|| key[a].cmp(key[b]))
    });
    idx
}

/// Number of rows in the top `pct` percent: ceil(pct / 100 x n), at least 1 when n > 0.
pub fn top_k(n: usize, pct: f64) -> usize {
    if n == 0 {
        return 0;
    }
    ((pct / 100.0 * n as f64) - 1e-9)
        .ceil()
        .clamp(1.0, n as f64) as usize
}

/// Rows in top-K order ([`ranked`]), sorted once for every cut taken from it: a model's fold
/// metrics take four (lift at 5, 10 and 20% and revenue lift), each of which sorted on its own.
pub struct Ranking(Vec<usize>);

impl Ranking {
    pub fn of(score: &[f64], key: &[&str]) -> Ranking {
        Ranking(ranked(score, key))
    }

    /// Positives in the top `pct` percent (the top [`top_k`] rows).
    pub fn hits(&self, y: &[u8], pct: f64) -> usize {
        let k = top_k(y.len(), pct);
        self.0[..k].iter().filter(|&&i| y[i] == 1).count()
    }

    /// Positive rate in the top `pct` percent over the overall positive rate; `None` without
    /// positives.
    pub fn lift(&self, y: &[u8], pct: f64) -> Option<f64> {
        let total: f64 = y.iter().map(|&v| v as f64).sum();
        if total == 0.0 {
            return None;
        }
        let k = top_k(y.len(), pct);
        let hits: f64 = self.0[..k].iter().map(|&i| y[i] as f64).sum();
        Some((hits / k as f64) / (total / y.len() as f64))
    }

    /// Share of the positives' revenue captured in the top `pct` percent, over `pct` / 100.
    pub fn revenue_lift(&self, y: &[u8], revenue: &[f64], pct: f64) -> Option<f64> {
        let total: f64 = y
            .iter()
            .zip(revenue)
            .filter(|(&t, _)| t == 1)
            .map(|(_, r)| r.max(0.0))
            .sum();
        if total <= 0.0 {
            return None;
        }
        let k = top_k(y.len(), pct);
        let got: f64 = self.0[..k]
            .iter()
            .filter(|&&i| y[i] == 1)
            .map(|&i| revenue[i].max(0.0))
            .sum();
        // `+ 0.0`: a top k without a positive sums `-0.0` revenues (a credit's `max(0.0)`), and
        // a report printed `-0.0`.
        Some((got / total) / (k as f64 / y.len() as f64) + 0.0)
    }
}

/// Positive rate in the top `pct` percent over the overall positive rate; `None` without positives.
pub fn lift_at(y: &[u8], score: &[f64], key: &[&str], pct: f64) -> Option<f64> {
    Ranking::of(score, key).lift(y, pct)
}

/// Share of the positives' revenue captured in the top `pct` percent, over `pct` / 100.
pub fn revenue_lift_at(
    y: &[u8],
    score: &[f64],
    key: &[&str],
    revenue: &[f64],
    pct: f64,
) -> Option<f64> {
    Ranking::of(score, key).revenue_lift(y, revenue, pct)
}

/// One decile of a gains table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gain {
    pub decile: usize,
    pub rows: usize,
    pub positives: usize,
    pub positive_rate: f64,
    pub cumulative_capture: f64,
    pub lift: f64,
}

/// Deciles by score (top first), cut with the same tie rule as lift.
pub fn gains(y: &[u8], score: &[f64], key: &[&str]) -> Vec<Gain> {
    let n = y.len();
    let total: f64 = y.iter().map(|&v| v as f64).sum();
    let base = if n > 0 { total / n as f64 } else { 0.0 };
    let order = ranked(score, key);
    let mut out = Vec::new();
    let mut captured = 0.0;
    let mut start = 0;
    for d in 1..=10 {
        let end = top_k(n, d as f64 * 10.0).max(start);
        let rows = end - start;
        let pos = order[start..end].iter().filter(|&&i| y[i] == 1).count();
        captured += pos as f64;
        let rate = if rows > 0 {
            pos as f64 / rows as f64
        } else {
            0.0
        };
        out.push(Gain {
            decile: d,
            rows,
            positives: pos,
            positive_rate: rate,
            cumulative_capture: if total > 0.0 { captured / total } else { 0.0 },
            lift: if base > 0.0 { rate / base } else { 0.0 },
        });
        start = end;
    }
    out
}

/// Reliability bins: `bins` equal-count bins in increasing predicted probability, each
/// (mean predicted, observed rate, rows).
pub fn calibration_bins(y: &[u8], p: &[f64], bins: usize) -> Vec<(f64, f64, usize)> {
    // Equal-count (quantile) bins: at 1-10% prevalence almost every score is under 0.1, and
    // equal-width bins put nearly all rows in the first one, which then says nothing.
    let n = y.len().min(p.len());
    let bins = bins.clamp(1, n.max(1));
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    (0..bins)
        .map(|b| &order[b * n / bins..(b + 1) * n / bins])
        .filter(|rows| !rows.is_empty())
        .map(|rows| {
            let c = rows.len() as f64;
            (
                rows.iter().map(|&i| p[i]).sum::<f64>() / c,
                rows.iter().map(|&i| f64::from(y[i])).sum::<f64>() / c,
                rows.len(),
            )
        })
        .collect()
}

/// Count-weighted mean absolute gap between predicted and observed rates over the bins.
pub fn calibration_mae(y: &[u8], p: &[f64], bins: usize) -> f64 {
    let b = calibration_bins(y, p, bins);
    let n: usize = b.iter().map(|x| x.2).sum();
    b.iter()
        .map(|(mp, obs, c)| (mp - obs).abs() * *c as f64)
        .sum::<f64>()
        / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::{floats, golden};

    #[test]
    fn a_revenue_lift_of_nothing_is_zero_not_minus_zero() {
        // The top decile holds no positive; the positives' revenue is a credit's -0.0 and 5.
        let y = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
        let score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.05];
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
        let revenue = [-0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, 5.0];
        let r = revenue_lift_at(&y, &score, &keys, &revenue, 10.0).unwrap();
        assert_eq!(serde_json::json!(r).to_string(), "0.0");
    }

    #[test]
    fn match_scikit_learn_on_the_golden_cases() {
        let g = golden("metrics.json");
        for case in g["cases"].as_array().unwrap() {
            let y: Vec<u8> = floats(&case["y_true"]).iter().map(|&v| v as u8).collect();
            let p = floats(&case["y_prob"]);
            let close = |a: f64, b: &serde_json::Value, what: &str| {
                let b = b.as_f64().unwrap();
                assert!(
                    (a - b).abs() < 1e-9,
                    "{what}: {a} vs {b} (n = {})",
                    case["n"]
                );
            };
            close(roc_auc(&y, &p).unwrap(), &case["roc_auc"], "roc_auc");
            close(
                average_precision(&y, &p).unwrap(),
                &case["average_precision"],
                "average_precision",
            );
            close(brier(&y, &p), &case["brier"], "brier");
            close(log_loss(&y, &p), &case["log_loss"], "log_loss");
        }
    }

    #[test]
    fn calibration_bins_hold_equal_counts_where_the_scores_are() {
        // Every score under 0.1, as at a few percent prevalence: ten bins of 100 rows each.
        let p: Vec<f64> = (0..1000).map(|i| i as f64 / 10_000.0).collect();
        let y: Vec<u8> = (0..1000).map(|i| u8::from(i % 20 == 0)).collect();
        let b = calibration_bins(&y, &p, 10);
        assert_eq!(b.len(), 10);
        assert!(b.iter().all(|&(_, _, c)| c == 100));
        assert!(b.windows(2).all(|w| w[0].0 < w[1].0));
        assert!((b[0].1 - 0.05).abs() < 1e-12);
    }

    #[test]
    fn lift_by_hand() {
        // 10 rows, 2 positives (base rate 0.2). Top 10% = 1 row.
        let y = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        let s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0];
        let k: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        let k: Vec<&str> = k.iter().map(String::as_str).collect();
        assert_eq!(lift_at(&y, &s, &k, 10.0), Some(5.0)); // 1/1 over 0.2
        assert_eq!(lift_at(&y, &s, &k, 20.0), Some(2.5)); // 1/2 over 0.2
        assert_eq!(lift_at(&y, &s, &k, 40.0), Some(2.5)); // 2/4 over 0.2
                                                          // ceil: 15% of 10 is 1.5 -> 2 rows.
        assert_eq!(top_k(10, 15.0), 2);
        assert_eq!(top_k(10, 10.0), 1);
        // Ties broken by key: both score 1.0; "a" (negative) sorts before "b" (positive).
        let y2 = [1, 0, 0, 0];
        let s2 = [1.0, 1.0, 0.0, 0.0];
        assert_eq!(lift_at(&y2, &s2, &["b", "a", "c", "d"], 25.0), Some(0.0));
        assert_eq!(lift_at(&y2, &s2, &["a", "b", "c", "d"], 25.0), Some(4.0));
        assert_eq!(lift_at(&[0, 0], &[0.1, 0.2], &["a", "b"], 10.0), None);
        // Revenue lift: the top row holds 300 of 400 positive revenue; top 10% of 10 rows.
        let rev = [300.0, 5.0, 5.0, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        assert_eq!(revenue_lift_at(&y, &s, &k, &rev, 10.0), Some(0.75 / 0.1));
    }

    #[test]
    fn gains_capture_everything_by_the_last_decile() {
        let y: Vec<u8> = (0..100).map(|i| u8::from(i % 7 == 0)).collect();
        let s: Vec<f64> = (0..100).map(|i| 1.0 - i as f64 / 100.0).collect();
        let keys: Vec<String> = (0..100).map(|i| format!("{i:03}")).collect();
        let k: Vec<&str> = keys.iter().map(String::as_str).collect();
        let g = gains(&y, &s, &k);
        assert_eq!(g.len(), 10);
        assert_eq!(g.iter().map(|d| d.rows).sum::<usize>(), 100);
        assert!((g[9].cumulative_capture - 1.0).abs() < 1e-12);
    }
}
