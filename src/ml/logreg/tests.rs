use super::*;
use crate::ml::{floats, golden};

#[test]
fn the_linear_predictor_sums_each_row_as_a_plain_loop_does() {
    // Four rows at a time must give each row's sum the bits of a row-by-row `sum`: eleven
    // rows (two blocks and a remainder of three), values of every magnitude, and rows whose
    // products are all negative zeros (the sum's starting value decides their sign).
    let mut rng = crate::synth::Rng::new(5, 0);
    let (n, p) = (11, 37);
    let value = |i: usize, rng: &mut crate::synth::Rng| -> f64 {
        if i % 5 == 2 {
            0.0
        } else {
            (rng.f64() - 0.5) * 10f64.powi((rng.f64() * 12.0) as i32 - 6)
        }
    };
    let cells: Vec<f64> = (0..n * p).map(|k| value(k / p, &mut rng)).collect();
    let x = Design::from_columns(n, p, |j, i| cells[i * p + j]);
    let b: Vec<f64> = (0..p).map(|j| -1.0 - j as f64 * rng.f64()).collect();
    for b0 in [0.25, -0.0] {
        let mut eta = vec![0.0; n];
        linear_predictor(&x, b0, &b, &mut eta);
        for (i, e) in eta.iter().enumerate() {
            let plain = b0
                + x.row(i)
                    .iter()
                    .zip(&b)
                    .map(|(&xij, bj)| f64::from(xij) * bj)
                    .sum::<f64>();
            assert_eq!(e.to_bits(), plain.to_bits(), "row {i}, b0 {b0}");
        }
        assert!(b0 != -0.0 || eta[2].is_sign_negative(), "a row of zeros");
    }
}

#[test]
fn matches_scikit_learn_elastic_net_fits() {
    let g = golden("elasticnet_logreg.json");
    let rows: Vec<Vec<f64>> = g["X"].as_array().unwrap().iter().map(floats).collect();
    let y: Vec<u8> = floats(&g["y"]).iter().map(|&v| v as u8).collect();
    let p = rows[0].len();
    let x: Vec<Vec<f64>> = (0..p)
        .map(|j| rows.iter().map(|r| r[j]).collect())
        .collect();
    for fit in g["fits"].as_array().unwrap() {
        let pen = Penalty {
            c: fit["C"].as_f64().unwrap(),
            l1_ratio: fit["l1_ratio"].as_f64().unwrap(),
        };
        let w = if fit["class_weight"] == "balanced" {
            balanced_weights(&y)
        } else {
            vec![1.0; y.len()]
        };
        let m = LogReg::fit(&x, &y, &w, pen);
        assert!(m.converged, "{fit}");
        let want = floats(&fit["coef"]);
        let b0 = fit["intercept"].as_f64().unwrap();
        assert!(
            (m.intercept - b0).abs() < 1e-3,
            "intercept {} vs {b0} for {pen:?} {}",
            m.intercept,
            fit["class_weight"]
        );
        for (j, (got, want)) in m.coef.iter().zip(&want).enumerate() {
            assert!(
                (got - want).abs() < 1e-3,
                "coef {j}: {got} vs {want} for {pen:?} {}",
                fit["class_weight"]
            );
            if *want == 0.0 {
                assert!(got.abs() < 1e-6, "coef {j} should be zero, is {got}");
            }
        }
    }
}
