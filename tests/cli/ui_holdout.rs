//! What the Models page says of a holdout: the truth oracle only as the ceiling of the label it
//! is of, and a censored holdout as censored, never as a clean pass.

use crate::support::Ws;
use crate::ui::{get, model_fixture, start, OUTPUTS_PIPELINE};

/// The fixture's PDM model with a truth oracle of `definition` (none: an older truth).
fn with_truth(definition: Option<&str>) -> Ws {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    ws.write("outputs/truth/sources.json", r#"{"truth": "truth.csv"}"#);
    ws.write(
        "outputs/truth/truth.csv",
        "customer_id,division,known_at_cutoff,p_true\n1,PDM,1,0.7\n2,PDM,1,0.1\n",
    );
    if let Some(d) = definition {
        ws.write("outputs/truth/truth.json", d);
    }
    ws.write(
        "outputs/validate/PDM/holdout_scores_PDM.csv",
        "customer_id,label,p\n1,1,0.9\n2,0,0.2\n",
    );
    ws
}

#[test]
fn the_truth_oracle_is_the_ceiling_only_of_the_label_it_is_of() {
    // The fixture's holdout: cutoff 2024-12-31, 6-month window, GP above 0.
    let same = r#"{"cutoff": "2024-12-31", "window_months": 6, "gp_min_threshold": 0.0, "replays": 200, "history": false}"#;
    let ws = with_truth(Some(same));
    let s = start(&ws);
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(body.contains("<p class=\"oracle\">Truth oracle"), "{body}");

    // labels.yaml's window changed to 3 months, the truth's left at 6: no ceiling, a note.
    ws.write(
        "outputs/validate/PDM/validation_metrics_PDM.json",
        &ws.read("outputs/validate/PDM/validation_metrics_PDM.json")
            .replace("\"window_months\": 6", "\"window_months\": 3"),
    );
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(!body.contains("class=\"oracle\""), "{body}");
    assert!(
        body.contains("it is of another label (cutoff 2024-12-31, 6-month window, net GP above 0) than this holdout's (cutoff 2024-12-31, 3-month window, net GP above 0)")
            && body.contains("<code>truth.window_months</code>")
            && body.contains("<code>stages/labels.yaml</code>"),
        "{body}"
    );

    // A truth that records no definition is of an unknown label.
    let ws = with_truth(None);
    let s = start(&ws);
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(!body.contains("class=\"oracle\""), "{body}");
    assert!(
        body.contains("records no label definition") && body.contains("is unknown"),
        "{body}"
    );
}

#[test]
fn a_censored_holdout_is_shown_as_censored_beside_its_metrics_and_gates() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    // The holdout log ends three months into the six-month window; the gates pass on it, and a
    // gate of another shape (no value against a threshold) fails.
    ws.write(
        "outputs/validate/PDM/validation_metrics_PDM.json",
        r#"{"label_definition": "net GP in PDM", "scoring_cutoff": "2024-12-31", "window_end": "2025-06-30",
            "holdout_data_min_date": "2025-01-01", "holdout_data_max_date": "2025-03-31",
            "censored": true, "censored_start": false, "censored_end": true,
            "label_params": {"window_months": 6, "gp_min_threshold": 0.0}, "rows": 400, "positives": 20, "new_logo_buyers_not_scorable": 0,
            "metrics": {"auc": 0.71, "lift@10": 3.0},
            "gates": {"min_auc": {"threshold": 0.6, "value": 0.71, "pass": true}, "uncensored": {"pass": false, "reason": "the holdout ends before the label window"}},
            "passed": true}"#,
    );
    let s = start(&ws);
    let (_, _, index) = get(&s, "/models");
    let row = index.split("id=\"models\"").nth(1).unwrap();
    let row = &row[..row.find("</table>").unwrap()];
    assert!(row.contains("censored holdout"), "{row}");
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(
        !body.contains("<span class=\"pass\">Gates pass.</span>"),
        "{body}"
    );
    assert!(
        body.contains("Censored holdout: the holdout log ends 2025-03-31 but the label window ends 2025-06-30"),
        "{body}"
    );
    let table = body.split("id=\"holdout\"").nth(1).unwrap();
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("<td>censored</td><td><span class=\"fail\">yes</span></td>")
            && table.contains("<td>uncensored</td><td>FAIL (reason: the holdout ends before the label window)</td>"),
        "{table}"
    );

    // Uncensored, it is a clean pass.
    ws.write(
        "outputs/validate/PDM/validation_metrics_PDM.json",
        &ws.read("outputs/validate/PDM/validation_metrics_PDM.json")
            .replace("\"censored\": true", "\"censored\": false")
            .replace("\"censored_end\": true", "\"censored_end\": false"),
    );
    let (_, _, index) = get(&s, "/models");
    assert!(!index.contains("censored holdout"), "{index}");
}

#[test]
fn a_holdout_refused_as_in_sample_shows_its_reason_and_no_figure() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    let reason = "not validated: the holdout label window (2024-09-30, 2025-03-31] overlaps the label window of training cutoff 2024-06-30 (to 2024-12-31)";
    ws.write(
        "outputs/validate/PDM/validation_metrics_PDM.json",
        &format!(
            r#"{{"division": "PDM", "status": "not_validated", "reason": "{reason}", "scoring_cutoff": "2024-09-30", "window_end": "2025-03-31", "passed": false}}"#
        ),
    );
    let s = start(&ws);
    let (_, _, index) = get(&s, "/models");
    let row = index.split("id=\"models\"").nth(1).unwrap();
    let row = &row[..row.find("</table>").unwrap()];
    assert!(
        row.contains("<td>in-sample</td>") && row.contains("not validated: in-sample window"),
        "{row}"
    );
    assert!(!row.contains("n/a"), "{row}");
    let (_, _, page) = get(&s, "/models?division=PDM");
    assert!(
        page.contains("id=\"not-validated\">not validated: the holdout label window"),
        "{page}"
    );
    assert!(!page.contains("A gate fails"), "{page}");
}

#[test]
fn what_the_holdouts_etl_left_out_is_said_beside_its_figures() {
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    let path = "outputs/validate/PDM/validation_metrics_PDM.json";
    let mut v: serde_json::Value = serde_json::from_str(&ws.read(path)).unwrap();
    v["holdout_log"] = serde_json::json!({
        "raw_rows": 100, "dropped": {"null_customer_id": 3}, "rows_left_out": 3,
        "unmapped_product_lines": 0, "unmapped_product_columns": [],
        "note": "the holdout log's ETL left out 3 of its 100 rows (null_customer_id 3). A customer who bought only on those counts as a non-buyer here (each is listed in the `violations.csv` of the holdout's ETL)"
    });
    ws.write(path, &v.to_string());
    let s = start(&ws);
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(
        body.contains("<p class=\"note\" id=\"holdout-log\">the holdout log&#39;s ETL left out 3 of its 100 rows")
            || body.contains("<p class=\"note\" id=\"holdout-log\">the holdout log's ETL left out 3 of its 100 rows"),
        "{body}"
    );
}

#[test]
fn the_probabilities_level_is_said_beside_the_holdouts_figures() {
    // A forecast summed from `p_icp` is off by what `metrics.level` says: shown, and marked
    // when it is off beyond chance by a tenth or more.
    let ws = Ws::new(OUTPUTS_PIPELINE);
    model_fixture(&ws);
    let path = "outputs/validate/PDM/validation_metrics_PDM.json";
    let mut v: serde_json::Value = serde_json::from_str(&ws.read(path)).unwrap();
    v["censored"] = false.into();
    v["metrics"]["level"] = serde_json::json!({
        "expected_buyers": 421.2, "buyers": 324, "buyers_over_expected": 324.0 / 421.2, "z": -5.0
    });
    ws.write(path, &v.to_string());
    let s = start(&ws);
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(
        body.contains("<p class=\"note failed\" id=\"level\">PDM: the model&#39;s probabilities expect 421 buyers in the holdout window, and 324 bought (0.77x as many, z = -5.0")
            || body.contains("<p class=\"note failed\" id=\"level\">PDM: the model's probabilities expect 421 buyers in the holdout window, and 324 bought (0.77x as many, z = -5.0"),
        "{body}"
    );
    v["metrics"]["level"] = serde_json::json!({
        "expected_buyers": 110.4, "buyers": 117, "buyers_over_expected": 117.0 / 110.4, "z": 0.6
    });
    ws.write(path, &v.to_string());
    let (_, _, body) = get(&s, "/models?division=PDM");
    assert!(
        body.contains(
            "<p id=\"level\">The probabilities expect 110 buyers; 117 bought (z = 0.6).</p>"
        ),
        "{body}"
    );
}
