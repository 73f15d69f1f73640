//! The UI finds the files it shows through the manifest: a renamed node, a division dropped
//! from the SKU map or an output moved leaves old files on disk, and no page shows them as the
//! current result; each says they are there and that `gosales clean` removes them.

use crate::support::Ws;
use crate::ui::{get, start};

const SKU_MAP: &str = include_str!("../../stages/sku_map.csv");

/// A pipeline whose nodes write elsewhere than the default one: `train` renamed `model`, the
/// scores and whitespace under `outputs/ranked`, the QA beside each star. Loaded, never run:
/// the tests write the files.
fn manifest(divisions: &str) -> String {
    format!(
        r#"nodes:
  log:
    stage: source
    params: {{kind: synthetic, customers: 400, seed: 5}}
  warehouse:
    stage: etl
    needs: [log]
    inputs: {{sku_map: stages/sku_map.csv}}
    outputs: {{star: outputs/warehouse, qa: outputs/warehouse_qa, staging: outputs/warehouse_staging}}
  later:
    stage: etl
    needs: [log]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{log: holdout}}
    outputs: {{star: outputs/later, qa: outputs/later_qa, staging: outputs/later_staging}}
  labels:
    stage: labels
    needs: {{star: warehouse}}
    foreach: {{division: {divisions}, cutoff: ["2023-06-30", "2023-12-31"]}}
  features:
    stage: features
    needs: {{star: warehouse}}
    foreach: {{division: {divisions}, cutoff: ["2023-06-30", "2023-12-31"]}}
  model:
    stage: train
    needs: ["features@{{division}}", "labels@{{division}}"]
    foreach: {{division: {divisions}}}
  features_score:
    stage: features
    needs: {{star: warehouse, train: "model@{{division}}"}}
    foreach: {{division: {divisions}, cutoff: ["2024-12-31"]}}
  validate:
    stage: validate
    needs: {{train: "model@{{division}}", features: "features_score@{{division}}", holdout: later}}
    foreach: {{division: {divisions}}}
  score:
    stage: score
    needs: {{train: model, features: features_score, star: warehouse}}
    outputs: {{dir: outputs/ranked/scores}}
  whitespace:
    stage: whitespace
    needs: {{score: score, features: features_score, star: warehouse, train: model}}
    outputs: {{csv: outputs/ranked/whitespace.csv, summary: outputs/ranked/whitespace_summary.json}}
"#
    )
}

fn workspace(divisions: &str) -> Ws {
    let ws = Ws::new(&manifest(divisions));
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws
}

fn card(family: &str) -> String {
    format!(
        r#"{{"status": "trained", "selected": {{"winner": {{"family": "{family}"}}}}, "calibration": {{"chosen": "none"}}, "metrics_out_of_time": {{"auc": 0.7}}}}"#
    )
}

#[test]
fn the_models_page_lists_the_models_the_manifest_trains_never_orphaned_ones() {
    let ws = workspace("[Solidworks, PDM]");
    ws.write("outputs/model/Solidworks/model_card.json", &card("lgbm"));
    ws.write("outputs/model/PDM/model_card.json", &card("lgbm"));
    // Left by the node before it was renamed, and by a division since dropped.
    ws.write("outputs/train/Solidworks/model_card.json", &card("logreg"));
    ws.write("outputs/model/Gone/model_card.json", &card("logreg"));
    let s = start(&ws);
    let (code, _, body) = get(&s, "/models");
    assert_eq!(code, 200, "{body}");
    let rows = body.split("id=\"models\"").nth(1).unwrap();
    let rows = &rows[..rows.find("</table>").unwrap()];
    assert_eq!(rows.matches("<td>lgbm</td>").count(), 2, "{rows}");
    assert!(!rows.contains("logreg") && !rows.contains("Gone"), "{rows}");
    let orphans = body.split("id=\"orphans\"").nth(1).expect("an orphan note");
    assert!(
        orphans.contains("<code>outputs/model/Gone</code>")
            && orphans.contains("<code>outputs/train/Solidworks</code>")
            && orphans.contains("<code>gosales clean</code> removes those"),
        "{orphans}"
    );
    assert_eq!(get(&s, "/models?division=Gone").0, 404);
    let (_, _, page) = get(&s, "/models?division=Solidworks");
    assert!(page.contains("<td>model</td><td>lgbm</td>"), "{page}");

    // A division dropped from the manifest is no longer listed.
    ws.write("pipeline.yaml", &manifest("[Solidworks]"));
    let (_, _, body) = get(&s, "/models");
    assert!(!body.contains("division=PDM"), "{body}");
    assert!(body.contains("<code>outputs/model/PDM</code>"), "{body}");

    // Nothing built where the manifest trains: the page names that folder and node, not the
    // default pipeline's.
    std::fs::remove_dir_all(ws.path("outputs/model")).unwrap();
    let (_, _, body) = get(&s, "/models");
    assert!(
        body.contains("Not built yet: the models (<code>outputs/model</code>)")
            && body.contains("<code>gosales run --target model</code>"),
        "{body}"
    );
    assert!(!body.contains("logreg"), "{body}");
}

const SCORES_HEADER: &str = "customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n";
const WS_HEADER: &str = "customer_id,customer_name,division,score,rank_in_customer,explanation\n";

fn summary(weight: f64) -> String {
    format!(
        r#"{{"normalize": "per_division", "coverage_threshold": 0.3, "owned_since": "2022-12-31",
            "signals": [{{"signal": "als", "coverage": 1.0, "base_weight": {weight}, "weight": {weight}}}], "eligibility": []}}"#
    )
}

fn qa(raw: u64) -> String {
    format!(
        r#"{{"raw_rows": {raw}, "staged_rows": 1, "fact_transactions": 1, "dim_customer": 1, "blocked": false}}"#
    )
}

#[test]
fn scores_whitespace_customer_and_quality_read_where_the_manifest_writes() {
    let ws = workspace("[Solidworks]");
    // The default paths hold what an earlier manifest wrote there; the live files are elsewhere.
    ws.write(
        "outputs/scores/icp_scores.csv",
        &format!("{SCORES_HEADER}1,Old Co,Solidworks,0.9,99,A,r,r,r,f,2024-12-31\n"),
    );
    ws.write(
        "outputs/ranked/scores/icp_scores.csv",
        &format!("{SCORES_HEADER}1,New Co,Solidworks,0.2,40,D,r,r,r,f,2024-12-31\n"),
    );
    ws.write(
        "outputs/whitespace.csv",
        &format!("{WS_HEADER}1,Old Co,PDM,0.9,1,old\n"),
    );
    ws.write(
        "outputs/ranked/whitespace.csv",
        &format!("{WS_HEADER}1,New Co,PDM,0.5,1,new\n"),
    );
    ws.write("outputs/whitespace_summary.json", &summary(0.15));
    ws.write("outputs/ranked/whitespace_summary.json", &summary(0.4));
    ws.write("outputs/qa/row_counts.json", &qa(111));
    ws.write("outputs/holdout/qa/row_counts.json", &qa(222));
    ws.write("outputs/warehouse_qa/row_counts.json", &qa(333));
    ws.write("outputs/later_qa/row_counts.json", &qa(444));
    let s = start(&ws);

    let (_, _, body) = get(&s, "/scores");
    assert!(
        body.contains("New Co") && !body.contains("Old Co"),
        "{body}"
    );
    assert!(
        body.contains("id=\"orphans\"")
            && body.contains("<code>outputs/scores/icp_scores.csv</code> is on disk"),
        "{body}"
    );
    assert_eq!(get(&s, "/scores?icp_grade=A").0, 400, "no live row is A");
    let (_, _, body) = get(&s, "/whitespace");
    assert!(
        body.contains("New Co") && !body.contains("Old Co"),
        "{body}"
    );
    assert!(
        body.contains("<td>als</td><td>1.000</td><td>0.400</td>"),
        "the live summary: {body}"
    );
    let (_, _, body) = get(&s, "/customer?id=1");
    assert!(
        body.contains("New Co") && !body.contains("Old Co"),
        "{body}"
    );
    let (_, _, body) = get(&s, "/quality");
    assert!(
        body.contains("<td>training log</td><td>333</td>")
            && body.contains("<td>holdout log</td><td>444</td>"),
        "{body}"
    );
    assert!(
        !body.contains("<td>111</td>") && !body.contains("<td>222</td>"),
        "{body}"
    );

    // Not built where the manifest writes it: the orphan is still not shown.
    std::fs::remove_file(ws.path("outputs/ranked/scores/icp_scores.csv")).unwrap();
    let (_, _, body) = get(&s, "/scores");
    assert!(
        body.contains(
            "Not built yet: the ICP scores (<code>outputs/ranked/scores/icp_scores.csv</code>)"
        ) && body.contains("<code>gosales run --target score</code>"),
        "{body}"
    );
    assert!(
        !body.contains("Old Co") && body.contains("id=\"orphans\""),
        "{body}"
    );
    assert_eq!(get(&s, "/scores?format=csv").0, 404);
}
