use super::*;
use crate::stages::parse_params;
use chrono::NaiveDate;

fn stacked(y: Vec<u8>, cutoff_of: Vec<usize>, n_cut: usize) -> Stacked {
    let n = y.len();
    let mut rng = crate::synth::Rng::new(1, 1);
    Stacked {
        window_months: 6,
        cutoffs: (0..n_cut)
            .map(|k| NaiveDate::from_ymd_opt(2023 + k as i32, 6, 30).unwrap())
            .collect(),
        cutoff_of,
        ids: (0..n).map(|i| format!("c{i:04}")).collect(),
        revenue: y.iter().map(|&v| v as f64 * 100.0).collect(),
        names: vec!["signal".into(), "noise".into()],
        cols: vec![
            y.iter().map(|&v| v as f64 + rng.f64()).collect(),
            (0..n).map(|_| rng.f64()).collect(),
        ],
        y,
    }
}

#[test]
fn the_stopping_metric_is_checked_and_reaches_every_lightgbm_candidate() {
    let p: Params = parse_params(&json!({"lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.1], "feature_fraction": [1.0], "stop_metric": "binary_logloss"}})).unwrap();
    p.check().unwrap();
    let lgbm: Vec<Candidate> = p
        .candidates()
        .into_iter()
        .filter(|c| c.family == Family::Lgbm)
        .collect();
    assert!(lgbm
        .iter()
        .all(|c| c.params["stop_metric"] == "binary_logloss"));
    let bad: Params = parse_params(&json!({"lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.1], "feature_fraction": [1.0], "stop_metric": "aucpr"}})).unwrap();
    let e = bad.check().unwrap_err();
    assert!(e.contains("lgbm.stop_metric") && e.contains("aucpr"), "{e}");
}

fn params() -> Params {
    let mut p: Params =
        parse_params(&json!({"models": ["logreg"], "logreg": {"c": [1.0], "l1_ratio": [0.0]}}))
            .unwrap();
    p.min_positives = 5;
    p
}

#[test]
fn the_identity_calibrator_keeps_probabilities_and_round_trips() {
    let c = Calibrator::fit(CalMethod::None, &[0.2, 0.7], &[0, 1]);
    assert_eq!(c.apply(0.123), 0.123);
    let text = serde_json::to_value(&c).unwrap();
    assert_eq!(text, json!({"method": "none"}));
    let back: Option<Calibrator> = serde_json::from_value(text).unwrap();
    assert_eq!(back.unwrap().apply(0.9), 0.9);
    let p: Params = parse_params(&json!({"calibration": ["none", "platt"]})).unwrap();
    assert_eq!(p.calibration, vec![CalMethod::None, CalMethod::Platt]);
}

#[test]
fn guardrails() {
    // One cutoff: no out-of-time validation possible.
    let d = stacked(vec![0, 1, 0, 1], vec![0; 4], 1);
    assert!(train(&d, &params(), "X", 1)
        .err()
        .unwrap()
        .contains("at least two training cutoffs"));
    // Too few positives: skipped, with the reason.
    let d = stacked(
        vec![0, 1, 0, 0, 0, 0, 1, 0],
        vec![0, 0, 0, 0, 1, 1, 1, 1],
        2,
    );
    match train(&d, &params(), "X", 1).unwrap() {
        Trained::Skipped { reason, .. } => {
            assert!(reason.contains("fewer than `min_positives`"), "{reason}")
        }
        Trained::Model { .. } => panic!("should skip"),
    }
    // An all-negative validation fold, and no later one: skipped, saying why.
    let mut y = vec![0u8; 40];
    for v in y.iter_mut().take(10) {
        *v = 1;
    }
    let d = stacked(y, (0..40).map(|i| usize::from(i >= 20)).collect(), 2);
    match train(&d, &params(), "X", 1).unwrap() {
        Trained::Skipped { reason, .. } => {
            assert!(reason.contains("too few buyers to validate"), "{reason}")
        }
        Trained::Model { .. } => panic!("should skip"),
    }
    // The other way round, a division everyone buys in the validation fold: the short class
    // is the non-buyers, and the reason says so.
    let mut y = vec![1u8; 40];
    for v in y.iter_mut().take(10) {
        *v = 0;
    }
    let d = stacked(y, (0..40).map(|i| usize::from(i >= 20)).collect(), 2);
    match train(&d, &params(), "X", 1).unwrap() {
        Trained::Skipped { reason, .. } => {
            assert!(reason.contains("too few non-buyers"), "{reason}")
        }
        Trained::Model { .. } => panic!("should skip"),
    }
}

#[test]
fn early_stopping_never_sees_the_fold_it_is_scored_on() {
    let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
    let d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
    let train_rows: Vec<usize> = (0..200).collect();
    let (fit_rows, stop_rows) = early_stopping_split(&d, &train_rows);
    assert!(!stop_rows.is_empty() && fit_rows.len() > 2 * stop_rows.len());
    assert!(stop_rows.iter().all(|i| *i < 200 && !fit_rows.contains(i)));
    assert_eq!(early_stopping_split(&d, &train_rows).1, stop_rows);
}

#[cfg(feature = "gbm")]
#[test]
fn lightgbm_fold_predictions_do_not_depend_on_the_fold_labels() {
    // Were the fold's labels used to stop early, permuting them would change the trees.
    let y: Vec<u8> = (0..600).map(|i| u8::from(i % 5 == 0)).collect();
    let d = stacked(y, (0..600).map(|i| i / 200).collect(), 3);
    let mut shuffled = d.clone();
    for i in 400..600 {
        shuffled.y[i] = u8::from(i % 3 == 0);
    }
    let p: Params = parse_params(&json!({"models": ["lgbm"], "lgbm": {"num_leaves": [7], "min_data_in_leaf": [10], "learning_rate": [0.3], "feature_fraction": [1.0], "max_iterations": 200, "early_stopping_rounds": 3}})).unwrap();
    let iterations = |d: &Stacked| {
        let Trained::Model { report, .. } = train(d, &p, "X", 1).unwrap() else {
            panic!("skipped")
        };
        report["grid"][0]["best_iterations"].clone()
    };
    assert_eq!(iterations(&d), iterations(&shuffled));
}

#[test]
fn a_label_window_reaching_into_the_validation_fold_is_purged() {
    // Cutoffs 2023-06-30, 2024-06-30, 2024-12-31 with 12-month windows: when validating on
    // 2024-12-31, the 2024-06-30 rows' labels run to 2025-06-30, into the validation
    // period; they leave that fold. The 2023-06-30 rows end exactly at 2024-06-30: kept.
    let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
    let mut d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
    d.cutoffs[2] = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    d.window_months = 12;
    let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
        panic!("skipped")
    };
    assert_eq!(report["purged_training_rows_per_fold"], json!([0, 100]));
    // Windows longer than the gap to the next cutoff (quarterly cutoffs, 6-month labels) leave
    // the first folds nothing to train on: those cutoffs are trained on, never validated on.
    d.window_months = 18;
    let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
        panic!("skipped")
    };
    assert_eq!(report["unvalidated_cutoffs"], json!(["2024-06-30"]));
    let folds = report["metrics"]["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 1);
    assert_eq!(folds[0]["cutoff"], "2024-12-31");
    assert_eq!(folds[0]["trained_on"], json!(["2023-06-30"]));
    assert_eq!(report["purged_training_rows_per_fold"], json!([100]));
    // No fold left at all: a clear error, not an empty model card.
    d.window_months = 24;
    let e = train(&d, &params(), "X", 1).err().unwrap();
    assert!(
        e.contains("no fold has training rows (of both classes) once purged"),
        "{e}"
    );
}

#[test]
fn a_first_cutoff_without_buyers_is_trained_on_not_validated_on() {
    // A rare division: nobody bought in the first cutoff's window, so the first fold would
    // learn from one class. It is left unvalidated; the division still trains.
    let y: Vec<u8> = (0..300).map(|i| u8::from(i >= 100 && i % 4 == 0)).collect();
    let d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
    let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
        panic!("skipped")
    };
    assert_eq!(report["unvalidated_cutoffs"], json!(["2024-06-30"]));
    let folds = report["metrics"]["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 1);
    assert_eq!(folds[0]["trained_on"], json!(["2023-06-30", "2024-06-30"]));
}

#[test]
fn learns_and_reports_out_of_time() {
    let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
    let d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
    let Trained::Model { report, .. } = train(&d, &params(), "X", 1).unwrap() else {
        panic!("skipped")
    };
    let folds = report["metrics"]["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 2);
    assert!(
        report["metrics"]["mean"]["auc"].as_f64().unwrap() > 0.9,
        "{report:#}"
    );
}

#[test]
fn fits_run_in_parallel_with_the_same_results_as_one_at_a_time() {
    let y: Vec<u8> = (0..600).map(|i| u8::from(i % 4 == 0)).collect();
    let d = stacked(y, (0..600).map(|i| i / 200).collect(), 3);
    // Two LR chains (l1_ratio 0 and 0.5, two values of c each) and two LightGBM candidates
    // when the feature is on: chains of unequal length, so their order of completion varies.
    let models = if cfg!(feature = "gbm") {
        json!(["logreg", "lgbm"])
    } else {
        json!(["logreg"])
    };
    let p: Params = parse_params(&json!({"models": models, "logreg": {"c": [0.1, 1.0], "l1_ratio": [0.0, 0.5]}, "lgbm": {"num_leaves": [7, 15], "min_data_in_leaf": [10], "learning_rate": [0.3], "feature_fraction": [1.0], "max_iterations": 40}})).unwrap();
    let run = |cores: usize| match train(&d, &p, "X", cores).unwrap() {
        Trained::Model {
            report, oot, model, ..
        } => (
            report.to_string(),
            format!("{oot:?}"),
            model.export(&d).unwrap().0,
        ),
        Trained::Skipped { reason, .. } => panic!("skipped: {reason}"),
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(5));
}

#[test]
fn a_platt_map_that_would_turn_the_ranking_over_keeps_the_models_order_at_the_datas_level() {
    // Scores that rank the calibration data backwards: an unconstrained Platt fit decreases,
    // and applied it would reverse every customer's order (and the AUC with it).
    let p: Vec<f64> = (0..200).map(|i| 0.05 + 0.9 * i as f64 / 200.0).collect();
    let y: Vec<u8> = (0..200).map(|i| u8::from(i < 40)).collect();
    let c = Calibrator::fit(CalMethod::Platt, &p, &y);
    let out: Vec<f64> = p.iter().map(|&v| c.apply(v)).collect();
    assert!(out.windows(2).all(|w| w[1] > w[0]), "order turned over");
    // The level is the data's: 40 buyers in 200, smoothed as Platt's start is.
    assert!((out[100] - 41.0 / 202.0).abs() < 1e-6, "{}", out[100]);
    // A map that increases is left as fitted.
    let y: Vec<u8> = (0..200).map(|i| u8::from(i >= 160)).collect();
    let c = Calibrator::fit(CalMethod::Platt, &p, &y);
    assert!(c.apply(0.9) > 0.5 && c.apply(0.1) < 0.1);
}

#[test]
fn with_one_fold_no_row_is_calibrated_by_a_map_fitted_on_it() {
    // Each row's calibrated value must not move when its own label does.
    let p: Vec<f64> = (0..300).map(|i| ((i * 37) % 300) as f64 / 300.0).collect();
    let y: Vec<u8> = (0..300)
        .map(|i| u8::from((i * 37) % 300 > 200 || i % 9 == 0))
        .collect();
    for m in [CalMethod::Platt, CalMethod::Isotonic] {
        let base = out_of_fold(m, std::slice::from_ref(&p), std::slice::from_ref(&y), 0);
        for i in [0, 1, 150, 299] {
            let mut flipped = y.clone();
            flipped[i] = 1 - flipped[i];
            let again = out_of_fold(m, std::slice::from_ref(&p), &[flipped], 0);
            assert_eq!(base[i], again[i], "{m:?} row {i}");
        }
    }
}

#[test]
fn features_that_rank_nothing_skip_the_division_instead_of_failing_it() {
    // Every column the same for every row: each candidate scores every row alike, and before,
    // one won on the tie-break's lift@10 and then failed the instance as degenerate.
    let y: Vec<u8> = (0..300).map(|i| u8::from(i % 4 == 0)).collect();
    let mut d = stacked(y, (0..300).map(|i| i / 100).collect(), 3);
    for c in &mut d.cols {
        c.iter_mut().for_each(|v| *v = 1.0);
    }
    match train(&d, &params(), "X", 1).unwrap() {
        Trained::Skipped { reason, .. } => assert!(reason.contains("same score"), "{reason}"),
        Trained::Model { .. } => panic!("a model that ranks nothing"),
    }
}

#[test]
fn a_candidate_with_one_score_a_fold_never_wins_even_when_the_folds_differ() {
    // 92 customers a cutoff (the classic-models log): LightGBM with 100-row leaves cannot
    // split, and gives each fold its training prevalence, one score a fold, another the next.
    // Pooled, those scores differ; each fold's ranking is still the tie-break's.
    let per = 92;
    let y: Vec<u8> = (0..3 * per)
        .map(|i| u8::from(i % per < [6, 9, 13][i / per]))
        .collect();
    let mut d = stacked(y, (0..3 * per).map(|i| i / per).collect(), 3);
    d.cols[0] = d.cols[1].iter().map(|v| 1.0 - v).collect();
    let mut p: Params = parse_params(&json!({
        "models": ["logreg", "lgbm"],
        "logreg": {"c": [1.0], "l1_ratio": [0.0]},
        "lgbm": {"num_leaves": [7], "min_data_in_leaf": [100], "learning_rate": [0.1], "feature_fraction": [1.0]}
    }))
    .unwrap();
    p.min_positives = 5;
    let lgbm_one_score_a_fold = |t: &Trained| match t {
        Trained::Model { report, .. } => report["grid"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["candidate"]["family"] == "lgbm")
            .map(|g| g["mean_auc"].as_f64() == Some(0.5))
            .unwrap(),
        Trained::Skipped { .. } => true,
    };
    let t = train(&d, &p, "X", 1).unwrap();
    assert!(
        lgbm_one_score_a_fold(&t),
        "the premise: LightGBM cannot split here"
    );
    match t {
        Trained::Model { report, .. } => {
            assert_eq!(
                report["selection"]["winner"]["family"], "logreg",
                "{}",
                report["selection"]
            )
        }
        Trained::Skipped { reason, .. } => panic!("the LR ranks: {reason}"),
    }
}
