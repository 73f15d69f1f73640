//! Stages read upstream outputs by role, and the manifest binds roles to nodes: renaming every
//! node of a pipeline (binding the roles in `needs`) builds the same bytes; a role left unbound,
//! or a role a stage does not have, fails at load with the file and line.

use crate::support::Ws;

const SKU_MAP: &str = include_str!("../../stages/sku_map.csv");

const MODELS: &str = "{logreg: {c: [0.5], l1_ratio: [0.5]}, lgbm: {num_leaves: [7], min_data_in_leaf: [20], learning_rate: [0.1], feature_fraction: [0.8], max_iterations: 40}}";

/// Everything from the log to whitespace for one division, the nodes named as given, `needs`
/// written by `needs(node)`.
fn pipeline(names: [&str; 9], needs: impl Fn(&str) -> String) -> String {
    let [log, star, labels, features, train, holdout, scoring, validate, score] = names;
    format!(
        r#"nodes:
  {log}:
    stage: source
    params: {{kind: synthetic, customers: 400, seed: 5}}
  {star}:
    stage: etl
    needs: [{log}]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{date_max: "2025-12-31"}}
    outputs: {{star: outputs/{star}, qa: outputs/{star}_qa, staging: outputs/{star}_staging}}
  {labels}:
    stage: labels
    needs: {star_needs}
    foreach: {{division: [Solidworks], cutoff: ["2023-06-30", "2023-12-31", "2024-06-30"]}}
    params: {{window_months: 6}}
  {features}:
    stage: features
    needs: {star_needs}
    foreach: {{division: [Solidworks], cutoff: ["2023-06-30", "2023-12-31", "2024-06-30"]}}
    params: {{als: {{iterations: 3}}}}
  {train}:
    stage: train
    needs: {train_needs}
    foreach: {{division: [Solidworks]}}
    params: {MODELS}
  {holdout}:
    stage: etl
    needs: [{log}]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{log: holdout, date_max: "2025-12-31"}}
    outputs: {{star: outputs/{holdout}, qa: outputs/{holdout}_qa, staging: outputs/{holdout}_staging}}
  {scoring}:
    stage: features
    needs: {scoring_needs}
    foreach: {{division: [Solidworks], cutoff: ["2024-12-31"]}}
    params: {{als: {{iterations: 3}}}}
  {validate}:
    stage: validate
    needs: {validate_needs}
    foreach: {{division: [Solidworks]}}
    params: {{gates: {{min_auc: 0.5, min_lift_at_10: 1.0}}}}
  {score}:
    stage: score
    needs: {score_needs}
    outputs: {{dir: outputs/scores}}
  ws:
    stage: whitespace
    needs: {ws_needs}
    outputs: {{csv: outputs/whitespace.csv, summary: outputs/whitespace_summary.json}}
"#,
        star_needs = needs("labels"),
        train_needs = needs("train"),
        scoring_needs = needs("scoring"),
        validate_needs = needs("validate"),
        score_needs = needs("score"),
        ws_needs = needs("ws"),
    )
}

const DEFAULT_NAMES: [&str; 9] = [
    "sales_log",
    "star",
    "labels",
    "features",
    "train",
    "holdout_star",
    "features_score",
    "validate",
    "score",
];

/// `needs` as lists that name the stages' default nodes.
fn by_name(node: &str) -> String {
    match node {
        "labels" => "[star]",
        "train" => r#"["features@{division}", "labels@{division}"]"#,
        "scoring" => r#"[star, "train@{division}"]"#,
        "validate" => r#"["train@{division}", "features_score@{division}", holdout_star]"#,
        "score" => "[train, features_score, star]",
        _ => "[score, features_score, star, train]",
    }
    .into()
}

const RENAMED: [&str; 9] = [
    "raw",
    "warehouse",
    "targets",
    "matrix",
    "models",
    "later",
    "matrix_now",
    "check",
    "icp",
];

/// `needs` as maps that bind each role to a renamed node.
fn by_role(node: &str) -> String {
    match node {
        "labels" => "{star: warehouse}",
        "train" => r#"{labels: "targets@{division}", features: "matrix@{division}"}"#,
        "scoring" => r#"{star: warehouse, train: "models@{division}"}"#,
        "validate" => {
            r#"{train: "models@{division}", features: "matrix_now@{division}", holdout: later}"#
        }
        "score" => "{train: models, features: matrix_now, star: warehouse}",
        _ => "{score: icp, features: matrix_now, star: warehouse, train: models}",
    }
    .into()
}

fn workspace(manifest: &str) -> Ws {
    let ws = Ws::new(manifest);
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws
}

#[test]
fn renamed_nodes_with_roles_bound_build_the_same_bytes() {
    let a = workspace(&pipeline(DEFAULT_NAMES, by_name));
    a.run(&["run"]).ok();
    let b = workspace(&pipeline(RENAMED, by_role));
    b.run(&["run"]).ok();
    for f in [
        "outputs/whitespace.csv",
        "outputs/whitespace_summary.json",
        "outputs/scores/icp_scores.csv",
    ] {
        assert!(a.path(f).is_file(), "missing {f}");
        assert_eq!(a.read(f), b.read(f), "{f} differs after renaming");
    }
    assert_eq!(
        a.read("outputs/validate/Solidworks/validation_metrics_Solidworks.json"),
        b.read("outputs/check/Solidworks/validation_metrics_Solidworks.json")
    );
}

#[test]
fn a_role_nothing_fills_fails_at_load_with_the_line() {
    // Renamed nodes, but `needs` still lists them: `score` cannot tell which node is its star schema.
    let ws = workspace(&pipeline(RENAMED, |n| {
        by_role(n).replace(
            "{train: models, features: matrix_now, star: warehouse}",
            "[models, matrix_now, warehouse]",
        )
    }));
    let r = ws.run(&["status"]).code(3);
    assert!(r.stderr.contains("reads role `star`"), "{}", r.stderr);
    assert!(r.stderr.contains("needs: {star: NODE"), "{}", r.stderr);
    let line = ws
        .read("pipeline.yaml")
        .lines()
        .position(|l| l.contains("[models, matrix_now, warehouse]"))
        .unwrap()
        + 1;
    assert!(
        r.stderr.contains(&format!("pipeline.yaml:{line}:")),
        "{}",
        r.stderr
    );
    // Nothing ran, nothing was written.
    assert!(!ws.path("outputs").exists());
}

#[test]
fn a_role_the_stage_does_not_have_is_named_with_a_suggestion() {
    let ws = workspace(&pipeline(RENAMED, |n| {
        by_role(n).replace("{score: icp,", "{scores: icp,")
    }));
    let r = ws.run(&["run"]).code(3);
    assert!(r.stderr.contains("has no role `scores`"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean `score`?"), "{}", r.stderr);
}

#[test]
fn a_role_bound_to_a_node_of_another_stage_fails_at_load_with_its_line() {
    // A tester swapped train's roles: it loaded, and the run failed mid-way ("no labels
    // partition to take the label definition from").
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/pipeline.yaml"))
        .unwrap()
        .replace(
            r#"needs: ["features@{division}", "labels@{division}"]"#,
            r#"needs: {labels: "features@{division}", features: "labels@{division}"}"#,
        );
    assert!(manifest.contains("labels: \"features@"));
    let ws = Ws::new(&manifest);
    let stages = concat!(env!("CARGO_MANIFEST_DIR"), "/stages");
    for f in std::fs::read_dir(stages).unwrap() {
        let f = f.unwrap();
        let name = format!("stages/{}", f.file_name().to_string_lossy());
        ws.write(&name, &std::fs::read_to_string(f.path()).unwrap());
    }
    let r = ws.run(&["run", "-n"]).code(3);
    assert!(
        r.stderr
            .contains("fills role `labels` with node `features`, of stage `features`")
            && r.stderr.contains("pipeline.yaml:68"),
        "{}",
        r.stderr
    );
}
