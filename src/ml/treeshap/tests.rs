// The tests fit models to explain: they need LightGBM.
#![cfg(feature = "gbm")]

use super::*;
use crate::ml::gbm::{fit, GbmParams};

#[test]
fn matches_lightgbm_predict_contrib() {
    // Five features, one repeated in interactions, many exact zeros (like GP sums).
    let mut rng = crate::synth::Rng::new(3, 0);
    let (n, f) = (3000, 5);
    let mut x = Vec::with_capacity(n * f);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let v: Vec<f64> = (0..f)
            .map(|j| {
                let u = rng.f64();
                if j == 2 && u < 0.5 {
                    0.0
                } else {
                    (u * 100.0).round() / 10.0
                }
            })
            .collect();
        let signal = v[0] * 0.3 + v[2] * 0.2 - v[1] * v[0] * 0.02 + rng.f64() * 2.0;
        y.push(u8::from(signal > 2.5));
        x.extend(v);
    }
    let p = GbmParams {
        num_leaves: 15,
        min_data_in_leaf: 20,
        learning_rate: 0.1,
        feature_fraction: 1.0,
        bagging_fraction: 1.0,
        bagging_freq: 0,
        max_iterations: 30,
        early_stopping_rounds: 10,
        seed: 42,
        threads: 1,
        max_bin: 255,
        stop_metric: "auc".into(),
    };
    let m = fit(&x, &y, f, None, &p, 1.0, None).unwrap();
    let lgb = m.booster.predict_contrib(&x, f as i32, true).unwrap();
    let e = Ensemble::parse(&m.model_text().unwrap()).unwrap();
    assert_eq!(e.n_features, f);
    let ours = e.contributions(&x, n);
    assert_eq!(ours.len(), lgb.len());
    for (i, (a, b)) in ours.iter().zip(&lgb).enumerate() {
        assert!(
            (a - b).abs() <= 1e-9 * (1.0 + b.abs()),
            "value {i}: {a} vs {b}"
        );
    }
    // In chunks through one memo, as `score` does: the same values to the bit.
    let mut memo = Memo::default();
    let mut chunked = Vec::new();
    for s in (0..n).step_by(700) {
        let end = (s + 700).min(n);
        chunked.extend(e.contributions_with(&mut memo, &x[s * f..end * f], end - s));
    }
    assert_eq!(chunked, ours);
    // That memo handed another model starts afresh for it.
    let m2 = fit(
        &x,
        &y,
        f,
        None,
        &GbmParams { num_leaves: 7, ..p },
        1.0,
        None,
    )
    .unwrap();
    let e2 = Ensemble::parse(&m2.model_text().unwrap()).unwrap();
    assert_eq!(
        e2.contributions_with(&mut memo, &x, n),
        e2.contributions(&x, n)
    );
    // A row's contributions sum to its raw score: the logit of the probability.
    let prob = m.predict(&x[..f], f).unwrap()[0];
    let sum: f64 = ours[..=f].iter().sum();
    assert!(
        (1.0 / (1.0 + (-sum).exp()) - prob).abs() < 1e-12,
        "{sum} vs {prob}"
    );
}

#[test]
fn refuses_trees_too_large_for_its_masks() {
    // 200 leaves on 3,000 rows of random labels: trees of more than 128 splits.
    let mut rng = crate::synth::Rng::new(5, 0);
    let (n, f) = (3000, 5);
    let x: Vec<f64> = (0..n * f).map(|_| rng.f64()).collect();
    let y: Vec<u8> = (0..n).map(|_| u8::from(rng.f64() > 0.5)).collect();
    let p = GbmParams {
        num_leaves: 200,
        min_data_in_leaf: 2,
        learning_rate: 0.1,
        feature_fraction: 1.0,
        bagging_fraction: 1.0,
        bagging_freq: 0,
        max_iterations: 2,
        early_stopping_rounds: 10,
        seed: 1,
        threads: 1,
        max_bin: 255,
        stop_metric: "auc".into(),
    };
    let m = fit(&x, &y, f, None, &p, 1.0, None).unwrap();
    let Err(e) = Ensemble::parse(&m.model_text().unwrap()) else {
        panic!("a tree of more than 128 splits is refused");
    };
    assert!(e.contains("splits (at most 128 supported)"), "{e}");
}

#[test]
fn refuses_broken_text() {
    assert!(Ensemble::parse("tree\nversion=v4\n").is_err());
    let e = Ensemble::parse("max_feature_idx=1\nTree=0\nsplit_feature=5\nthreshold=1\ndecision_type=2\nleft_child=-1\nright_child=-2\nleaf_value=0 1\ninternal_count=2\nleaf_count=1 1\n")
        .unwrap_err();
    assert!(e.contains("inconsistent"), "{e}");
    let e = Ensemble::parse("num_tree_per_iteration=3\nmax_feature_idx=1\n").unwrap_err();
    assert!(e.contains("3 trees per iteration"), "{e}");
}
