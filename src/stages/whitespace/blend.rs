//! The blend: each component normalised to [0, 1] by percentile rank (within the division, or
//! pooled over all pairs) and weighted, a signal with too little coverage weighing less.

use std::collections::BTreeMap;

use super::{Normalize, Pair, Params, Weights};
use crate::stages::score::percentiles;

type Component = Box<dyn Fn(&Pair) -> Option<f64>>;

/// The weights of the blend: a signal present for fewer than `threshold` of the pairs has its
/// weight shrunk by coverage / threshold; then all are renormalised to sum to 1. Returns the
/// shrunk and the final weights, in the order p_icp, affinity, als, expected value. When every
/// weighted signal is absent, the ranking falls back to p_icp alone.
pub fn effective_weights(w: &Weights, coverage: [f64; 4], threshold: f64) -> ([f64; 4], [f64; 4]) {
    let base = [w.p_icp, w.affinity, w.als, w.expected_value];
    let mut shrunk = base;
    for (s, c) in shrunk.iter_mut().zip(coverage) {
        if threshold > 0.0 && c < threshold {
            *s *= c / threshold;
        }
    }
    let total: f64 = shrunk.iter().sum();
    if total <= 0.0 {
        // Every weighted signal is absent: rank by the ICP score rather than score all zero.
        return (shrunk, [1.0, 0.0, 0.0, 0.0]);
    }
    (shrunk, shrunk.map(|x| x / total))
}

/// Sets every pair's `score`. Returns each signal's coverage (the share of pairs it is present
/// for), its shrunk weight and its final weight, in the order of [`effective_weights`].
pub(super) fn score(pairs: &mut [Pair], p: &Params) -> ([f64; 4], [f64; 4], [f64; 4]) {
    let groups: Vec<Vec<usize>> = match p.normalize {
        Normalize::Pooled => vec![(0..pairs.len()).collect()],
        Normalize::PerDivision => {
            let mut g: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, x) in pairs.iter().enumerate() {
                g.entry(x.division.as_str()).or_default().push(i);
            }
            g.into_values().collect()
        }
    };
    let n = pairs.len().max(1) as f64;
    let coverage = |f: &dyn Fn(&Pair) -> Option<f64>| {
        pairs.iter().filter(|x| f(x).is_some()).count() as f64 / n
    };
    let covered = [
        1.0,
        coverage(&|x| x.affinity),
        coverage(&|x| x.als_similarity),
        1.0,
    ];
    let (raw, weights) = effective_weights(&p.weights, covered, p.coverage_threshold);
    let mut score = vec![0.0; pairs.len()];
    for g in &groups {
        let comps: [Component; 4] = [
            Box::new(|x| Some(x.p_icp)),
            Box::new(|x| x.affinity),
            Box::new(|x| x.als_similarity),
            Box::new(|x| Some(x.expected_value)),
        ];
        for (k, f) in comps.iter().enumerate() {
            let present: Vec<usize> = g
                .iter()
                .copied()
                .filter(|&i| f(&pairs[i]).is_some())
                .collect();
            let vals: Vec<f64> = present
                .iter()
                .map(|&i| f(&pairs[i]).unwrap_or(0.0))
                .collect();
            for (&i, pct) in present.iter().zip(percentiles(&vals)) {
                score[i] += weights[k] * pct / 100.0;
            }
        }
    }
    for (x, s) in pairs.iter_mut().zip(score) {
        x.score = (s * 1e9).round() / 1e9;
    }
    (covered, raw, weights)
}
