use super::*;

#[test]
fn low_coverage_shrinks_a_weight_and_the_rest_renormalise() {
    let w = d_weights(); // 0.5, 0.2, 0.15, 0.15
                         // Affinity on 15 % of the pairs, threshold 30 %: its weight halves to 0.1.
    let (shrunk, weights) = effective_weights(&w, [1.0, 0.15, 0.9, 1.0], 0.3);
    assert_eq!(shrunk, [0.5, 0.1, 0.15, 0.15]);
    let total = 0.9;
    for (got, want) in weights
        .iter()
        .zip([0.5 / total, 0.1 / total, 0.15 / total, 0.15 / total])
    {
        assert!((got - want).abs() < 1e-12, "{weights:?}");
    }
    assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // A signal absent everywhere gets no weight; full coverage leaves the config's weights.
    let (_, weights) = effective_weights(&w, [1.0, 0.0, 1.0, 1.0], 0.3);
    assert_eq!(weights[1], 0.0);
    let (_, weights) = effective_weights(&w, [1.0; 4], 0.3);
    assert!((weights[0] - 0.5).abs() < 1e-12);
    // Only affinity weighted, and no pair has it: p_icp ranks alone.
    let only = Weights {
        p_icp: 0.0,
        affinity: 1.0,
        als: 0.0,
        expected_value: 0.0,
    };
    let (_, weights) = effective_weights(&only, [1.0, 0.0, 1.0, 1.0], 0.3);
    assert_eq!(weights, [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn no_opportunity_is_a_table_with_its_header_and_the_header_is_a_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    write(&[], &empty).unwrap();
    let text = std::fs::read_to_string(&empty).unwrap();
    assert_eq!(text, format!("{}\n", COLUMNS.join(",")));
    let one = dir.path().join("one.csv");
    let pair = Pair {
        customer_id: "C1".into(),
        customer_name: "Acme".into(),
        division: "CAD".into(),
        score: 0.5,
        p_icp: 0.4,
        affinity: None,
        als_similarity: None,
        expected_value: 10.0,
        rank_in_customer: 1,
        rank_in_division: 1,
        explanation: String::new(),
        icp_grade: "C".into(),
    };
    write(&[pair], &one).unwrap();
    let text = std::fs::read_to_string(&one).unwrap();
    assert_eq!(text.lines().next(), Some(COLUMNS.join(",").as_str()));
}

#[test]
fn a_division_is_owned_by_what_was_kept_of_it() {
    let t = |day, division, gp| history::Txn {
        day,
        sku: 0,
        division,
        gp,
        qty: 1.0,
    };
    let lines = [
        // Division 0: bought and credited back whole. 1: a credit alone. 2: a free item.
        // 3: a loss leader. 4: bought, partly returned. 5: bought before the window only.
        t(10, 0, 1000.0),
        t(12, 0, -1000.0),
        t(11, 1, -200.0),
        t(11, 2, 0.0),
        t(11, 3, -50.0),
        t(10, 4, 300.0),
        t(13, 4, -100.0),
        t(1, 5, 500.0),
    ];
    assert_eq!(
        purchases::owned(&lines, 5, &purchases::Rules::default()),
        [4]
    );
}
