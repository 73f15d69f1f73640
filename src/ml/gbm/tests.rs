use super::*;
use std::ffi::CString;

/// `n` rows of (x0, x1) uniform, y = 1 when x0 > 0.5.
fn rule_data(seed: u64, n: usize) -> (Vec<f64>, Vec<u8>) {
    let mut rng = crate::synth::Rng::new(seed, 0);
    let mut x = Vec::with_capacity(n * 2);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let a = rng.f64();
        x.push(a);
        x.push(rng.f64());
        y.push(u8::from(a > 0.5));
    }
    (x, y)
}

/// [`rule_data`]'s 3,000 rows (seed `seed`) widened to `nf` columns: `row` pushes a row's
/// values from its two and a second generator (seed `noise`), for the tests of how
/// LightGBM reads zeros, NaN and sparse columns.
fn widened(
    seed: u64,
    noise: u64,
    nf: usize,
    mut row: impl FnMut(&[f64], &mut crate::synth::Rng, &mut Vec<f64>),
) -> (Vec<f64>, Vec<u8>) {
    let (x0, y) = rule_data(seed, 3000);
    let mut rng = crate::synth::Rng::new(noise, 0);
    let mut x = Vec::with_capacity(y.len() * nf);
    for r in x0.chunks_exact(2) {
        row(r, &mut rng, &mut x);
    }
    assert_eq!(x.len(), y.len() * nf);
    (x, y)
}

/// Small trees, no sampling, one thread: the settings the unit tests start from.
pub(crate) fn params(max_iterations: u32) -> GbmParams {
    GbmParams {
        num_leaves: 7,
        min_data_in_leaf: 20,
        learning_rate: 0.1,
        feature_fraction: 1.0,
        bagging_fraction: 1.0,
        bagging_freq: 0,
        max_iterations,
        early_stopping_rounds: 10,
        seed: 42,
        threads: 1,
        max_bin: 255,
        stop_metric: "auc".into(),
    }
}

#[test]
fn logloss_stopping_keeps_the_trees_auc_cannot_tell_apart() {
    // The first tree already ranks y = (x0 > 0.5) perfectly, so the validation AUC never
    // improves on it and AUC stopping keeps one tree; the probabilities go on improving for
    // many more, which the log loss sees (lower is better).
    let (x, y) = rule_data(7, 2000);
    let (vx, vy) = rule_data(8, 500);
    let p = params(200);
    let valid = Some((vx.as_slice(), vy.as_slice()));
    let by_auc = fit(&x, &y, 2, valid, &p, 1.0, None).unwrap();
    let ll = GbmParams {
        stop_metric: "binary_logloss".into(),
        ..p.clone()
    };
    let by_ll = fit(&x, &y, 2, valid, &ll, 1.0, None).unwrap();
    assert_eq!(by_auc.iterations, 1);
    assert!(by_ll.iterations > 20, "{}", by_ll.iterations);
    let loss = |m: &Gbm| crate::ml::metrics::log_loss(&vy, &m.predict(&vx, 2).unwrap());
    assert!(loss(&by_ll) < loss(&by_auc) / 2.0);
}

#[test]
fn sparse_columns_bin_as_the_dense_matrix_did() {
    // Mostly zeros, some NaN, a constant column and a negative one: the CSC Dataset must
    // give the very model the dense one gave.
    let nf = 5;
    let (x, y) = widened(3, 5, nf, |r, rng, x| {
        let u = rng.f64();
        x.push(if u < 0.7 { 0.0 } else { r[0] });
        x.push(if u < 0.1 { f64::NAN } else { r[1] * 100.0 });
        x.push(0.0);
        x.push(-r[0] * f64::from(u8::from(rng.f64() < 0.2)));
        x.push(1.0);
    });
    let p = GbmParams {
        feature_fraction: 0.6,
        ..params(40)
    };
    let settings =
        CString::new(format!("num_threads=1 max_bin={} verbosity=-1", p.max_bin)).unwrap();
    let dense = Binned {
        train: ffi::dataset_dense(&x, &y, nf, &settings).unwrap(),
        valid: None,
    };
    let from_dense = fit_binned(&dense, &p, 1.0, None).unwrap();
    let from_csc = fit(&x, &y, nf, None, &p, 1.0, None).unwrap();
    assert_eq!(
        from_dense.model_text().unwrap(),
        from_csc.model_text().unwrap()
    );
    assert!(from_csc.iterations > 1);
}

#[test]
fn boosters_sharing_sparse_bins_fit_what_fresh_bins_fit() {
    // Mostly-zero columns go to LightGBM's multi-value bin. Boosters sharing one Dataset
    // (as a fold's candidates do) must each fit what a fresh Dataset gives, bagged ones
    // too: a patch that built that bin once per Dataset and copied it for the next booster
    // was tried and not kept (README, issue 15's tenth round); this holds any such sharing
    // to the fresh fits.
    let nf = 6;
    let (x, y) = widened(17, 19, nf, |r, rng, x| {
        for k in 0..nf {
            let keep = rng.f64() < 0.08 + 0.02 * k as f64;
            x.push(if keep { r[k % 2] * (k + 1) as f64 } else { 0.0 });
        }
    });
    let csc = Csc::from_row_major(&x, nf);
    let shared = bin(&csc, &y, None, None, 1, 63).unwrap();
    let plain = GbmParams {
        feature_fraction: 0.5,
        max_bin: 63,
        ..params(30)
    };
    let bagged = GbmParams {
        bagging_fraction: 0.6,
        bagging_freq: 1,
        ..plain.clone()
    };
    for q in [&plain, &bagged, &plain, &bagged] {
        let reused = fit_binned(&shared, q, 1.0, None).unwrap();
        let fresh = fit(&x, &y, nf, None, q, 1.0, None).unwrap();
        assert_eq!(reused.model_text().unwrap(), fresh.model_text().unwrap());
        assert!(fresh.iterations > 5);
    }
}

#[test]
fn columns_and_rows_give_the_same_sparse_matrix() {
    // Zeros (negative ones too, which LightGBM also drops), NaN, a column all zero, and
    // rows taken out of order and twice.
    let cols = vec![
        vec![0.0, 1.5, -0.0, f64::NAN, 2.0],
        vec![0.0; 5],
        vec![-3.0, 0.0, 4.0, 0.0, f64::NAN],
    ];
    let rows = [4, 0, 2, 2, 3];
    let x: Vec<f64> = rows
        .iter()
        .flat_map(|&i| cols.iter().map(move |c| c[i]))
        .collect();
    let (a, b) = (Csc::from_columns(&cols, &rows), Csc::from_row_major(&x, 3));
    assert_eq!(
        (a.rows, &a.col_ptr, &a.indices),
        (b.rows, &b.col_ptr, &b.indices)
    );
    let bits = |m: &Csc| m.data.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a.col_ptr, [0, 2, 2, 6]);
}

#[test]
fn predictions_walked_in_rust_are_lightgbms_to_the_bit() {
    // Zeros, NaN (a NaN missing type), a column zero on most rows, negatives; then rows
    // LightGBM's reader treats specially: values within its zero threshold, negative zero,
    // NaN where training had none. (A zero missing type needs `zero_as_missing`, which
    // gosales never sets; `goes_left` follows LightGBM's `NumericalDecision` for it too.)
    let nf = 4;
    let (x, y) = widened(11, 13, nf, |r, rng, x| {
        let u = rng.f64();
        x.push(if u < 0.5 { 0.0 } else { r[0] });
        x.push(if u < 0.1 {
            f64::NAN
        } else {
            r[1] * 100.0 - 50.0
        });
        x.push(-r[0] * f64::from(u8::from(rng.f64() < 0.2)));
        x.push(r[0] + r[1]);
    });
    let p = GbmParams {
        num_leaves: 15,
        feature_fraction: 0.75,
        ..params(60)
    };
    let m = fit(&x, &y, nf, None, &p, 1.0, None).unwrap();
    assert!(m.trees.is_some() && m.iterations > 10);
    let mut q = x.clone();
    for (i, v) in q.iter_mut().enumerate().filter(|(i, _)| i % 7 == 0) {
        *v = [1e-40, -1e-40, -0.0, f64::NAN, 1e-30][i % 5];
    }
    let ours = m.predict(&q, nf).unwrap();
    let theirs = m
        .booster
        .predict_with_params(&q, nf as i32, true, "num_threads=1")
        .unwrap();
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.to_bits(), b.to_bits(), "{a} against LightGBM's {b}");
    }
    // Read from columns in place, a subset of rows in any order: the same bits.
    let cols: Vec<Vec<f64>> = (0..nf)
        .map(|j| q.iter().skip(j).step_by(nf).copied().collect())
        .collect();
    let rows: Vec<usize> = (0..y.len()).rev().step_by(3).collect();
    let from_cols = m.predict_columns(&cols, &rows).unwrap();
    for (&r, a) in rows.iter().zip(&from_cols) {
        assert_eq!(a.to_bits(), theirs[r].to_bits(), "row {r}");
    }
}

#[test]
fn batched_histograms_fit_what_row_wise_histograms_fit() {
    // The vendored LightGBM builds the histograms of several dense columns in one pass
    // (PATCHED.md, patch 7). Its row-wise mode, untouched by that patch, sums every bin over
    // the same rows in the same order, so both must give the very same trees: on 8-bit
    // columns (> 16 bins) and 4-bit ones (<= 16), more than one batch of eight and a
    // remainder, a sparse column, sampled features, bagged rows (the indexed path) and not.
    let nf = 30;
    let mut rng = crate::synth::Rng::new(29, 0);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for _ in 0..4000 {
        let row: Vec<f64> = (0..nf)
            .map(|k| match k % 3 {
                0 => rng.f64(),
                1 => (rng.f64() * 9.0).floor(),
                _ if rng.f64() < [0.6, 0.9][k % 2] => 0.0,
                _ => rng.f64() * 5.0,
            })
            .collect();
        let z = row[0] * 2.0 - row[1] * 0.3 + row[2] - row[3] + row[7] * 0.2 - 0.5;
        y.push(u8::from(rng.f64() < 1.0 / (1.0 + (-z).exp())));
        x.extend(row);
    }
    let csc = Csc::from_row_major(&x, nf);
    let binned = bin(&csc, &y, None, None, 1, 63).unwrap();
    let model = |row_wise: bool, bagging: f64| {
        let mut q = json!({
            "objective": "binary", "num_iterations": 25, "num_leaves": 7,
            "min_data_in_leaf": 20, "learning_rate": 0.1, "feature_fraction": 0.8,
            "feature_fraction_seed": 3, "bagging_fraction": bagging, "bagging_freq": 1,
            "bagging_seed": 3, "seed": 3, "deterministic": true, "num_threads": 1,
            "verbosity": -1,
        });
        q[if row_wise {
            "force_row_wise"
        } else {
            "force_col_wise"
        }] = json!(true);
        let text = ffi::train(&binned.train, None, &q).unwrap();
        // The parameters section names the mode; the trees must not differ.
        text.split("parameters:").next().unwrap().to_string()
    };
    for bagging in [1.0, 0.7] {
        let col_wise = model(false, bagging);
        // Not assert_eq!: a failure would print two models of 25 trees.
        let same = col_wise == model(true, bagging);
        assert!(
            same,
            "bagging {bagging}: other trees than row-wise histograms give"
        );
        assert!(col_wise.matches("Tree=").count() == 25);
    }
}

#[test]
fn learns_a_simple_rule_deterministically() {
    // y = 1 when x0 > 0.5, x1 is noise.
    let (x, y) = rule_data(7, 2000);
    let p = params(50);
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
        ..p.clone()
    };
    let b1 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
    let b2 = fit(&x, &y, 2, None, &bag, 1.0, None).unwrap();
    assert_eq!(b1.predict(&x, 2).unwrap(), b2.predict(&x, 2).unwrap());
    assert_ne!(b1.model_text().unwrap(), m1.model_text().unwrap());
    assert!(b1.model_text().unwrap().contains("[bagging_fraction: 0.5]"));
    // Rows binned once serve several fits: each model is the one fitted on fresh bins.
    let (vx, vy) = (&x[..400], &y[..200]);
    let (cx, cvx) = (Csc::from_row_major(&x, 2), Csc::from_row_major(vx, 2));
    let shared = bin(&cx, &y, None, Some((&cvx, vy)), 1, 255).unwrap();
    for q in [&p, &bag] {
        let fresh = fit(&x, &y, 2, Some((vx, vy)), q, 1.0, None).unwrap();
        let reused = fit_binned(&shared, q, 1.0, None).unwrap();
        assert_eq!(fresh.model_text().unwrap(), reused.model_text().unwrap());
    }
    // `max_bin` is the Dataset's: fewer bins, other split thresholds.
    let coarse = fit(
        &x,
        &y,
        2,
        None,
        &GbmParams {
            max_bin: 7,
            stop_metric: "auc".into(),
            ..p.clone()
        },
        1.0,
        None,
    )
    .unwrap();
    assert_ne!(coarse.model_text().unwrap(), m1.model_text().unwrap());
}
