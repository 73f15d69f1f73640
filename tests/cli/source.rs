//! The `source` stage end to end: a user's CSV files published under their own names, and the
//! synthetic source's truth oracle and history ceiling.

use crate::etl::{f64s, header, read, row, strs, SKU_MAP};
use crate::support::{with_status, Ws};

#[test]
fn a_csv_source_publishes_the_users_files_under_their_own_names() {
    let h = header();
    let rows = [
        row(
            &h,
            ["101", "2024-01-02", "Solidworks", "101 Acme Tools", "1"],
            &[("SWX_Core", "10"), ("SWX_Core_Qty", "1")],
        ),
        row(
            &h,
            ["102", "1/3/2024", "Solidworks", "102 Bolt Works", "2"],
            &[("PDM", "$1,000.00")],
        ),
    ];
    let ws = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    params: {kind: csv}\n    inputs: {sales_log: data/my_log.csv, enrichment: data/industries.csv}\n  star:\n    stage: etl\n    needs: [sales_log]\n    inputs: {sku_map: stages/sku_map.csv}\n    outputs: {star: outputs/star, qa: outputs/qa, staging: outputs/staging}\n",
    );
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.write(
        "data/my_log.csv",
        &format!("{}\n{}\n", h.join(","), rows.join("\n")),
    );
    ws.write(
        "data/industries.csv",
        "Customer,Industry,ID\nAcme Tools,Energy,101\n",
    );
    ws.run(&["run"]).ok();
    // Published under the user's own names, with the role of each in sources.json.
    assert_eq!(
        ws.read("outputs/sales_log/my_log.csv"),
        ws.read("data/my_log.csv")
    );
    assert!(ws.path("outputs/sales_log/industries.csv").is_file());
    let roles: serde_json::Value =
        serde_json::from_str(&ws.read("outputs/sales_log/sources.json")).unwrap();
    assert_eq!(
        roles,
        serde_json::json!({"sales_log": "my_log.csv", "enrichment": "industries.csv"})
    );
    let fact = read(&ws, "outputs/star/fact_transactions.parquet");
    assert_eq!(f64s(&fact, "gross_profit"), [10.0, 1000.0]);
    assert_eq!(
        strs(&read(&ws, "outputs/star/dim_customer.parquet"), "industry"),
        ["Energy", ""]
    );
    // Editing the user's file reruns the source and the ETL.
    ws.write(
        "data/my_log.csv",
        &format!("{}\n{}\n", h.join(","), rows[0]),
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(
        crate::support::with_status(&r, "built"),
        ["sales_log", "star"]
    );
    // The generator's settings are none of a csv source's: one written beside `kind: csv`
    // reruns nothing, and the record lists only what it reads.
    let manifest = ws.read("pipeline.yaml");
    ws.write(
        "pipeline.yaml",
        &manifest.replace("{kind: csv}", "{kind: csv, seed: 7, customers: 10}"),
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 0, "{r:#}");
    let explain = ws.run(&["explain", "sales_log"]).ok().stdout;
    assert!(explain.contains("param     kind = \"csv\""), "{explain}");
    assert!(!explain.contains("seed"), "{explain}");
}

#[test]
fn a_synthetic_source_writes_the_truth_oracle_of_its_holdout() {
    let ws = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    inputs: {sku_map: stages/sku_map.csv}\n    params: {kind: synthetic, customers: 150, seed: 7, truth: {window_months: 6, replays: 20}}\n",
    );
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.run(&["run"]).ok();
    let sources: serde_json::Value =
        serde_json::from_str(&ws.read("outputs/sales_log/sources.json")).unwrap();
    assert_eq!(sources["truth"], "truth.csv");
    let truth = ws.read("outputs/sales_log/truth.csv");
    let mut lines = truth.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,division,known_at_cutoff,p_true")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let divisions: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(
        rows.len(),
        150 * divisions.len(),
        "a row per customer and division"
    );
    let p: Vec<f64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
    assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
    // 20 replays: every probability is a multiple of 1/20, and some customers may buy.
    assert!(p
        .iter()
        .all(|v| ((v * 20.0) - (v * 20.0).round()).abs() < 1e-9));
    assert!(p.iter().any(|&v| v > 0.0));
    // Beside it, the label its probabilities are of, for a reader to set against a model's.
    let def: serde_json::Value =
        serde_json::from_str(&ws.read("outputs/sales_log/truth.json")).unwrap();
    assert_eq!(def["window_months"], 6);
    assert_eq!(def["gp_min_threshold"], 0.0);
    assert_eq!(def["cutoff"], "2024-12-31");
    // The truth of user data is not known: asking for it is refused at load, naming the line.
    let ws2 = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    inputs: {sales_log: log.csv}\n    params: {kind: csv, truth: {replays: 5}}\n",
    );
    ws2.write("log.csv", "CustomerId\n1\n");
    let r = ws2.run(&["run"]).code(3);
    assert!(
        r.stderr.contains("`truth` is only for `kind: synthetic`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("pipeline.yaml:5"), "{}", r.stderr);
}

#[test]
fn a_synthetic_source_can_add_the_history_ceiling_to_its_truth() {
    let ws = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    inputs: {sku_map: stages/sku_map.csv}\n    params: {kind: synthetic, customers: 120, seed: 7, truth: {window_months: 6, replays: 20, history: true}}\n",
    );
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.run(&["run"]).ok();
    let truth = ws.read("outputs/sales_log/truth.csv");
    let mut lines = truth.lines();
    assert_eq!(
        lines.next(),
        Some("customer_id,division,known_at_cutoff,p_true,p_history")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let h: Vec<f64> = rows.iter().map(|r| r[4].parse().unwrap()).collect();
    assert!(h.iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(h.iter().any(|&v| v > 0.0));
    // Unknown at the cutoff: no history to infer from, and no purchase is scored for it.
    for r in rows.iter().filter(|r| r[2] == "0") {
        assert_eq!(r[4], "0.000000", "{r:?}");
    }
}

#[test]
fn the_truth_can_be_its_own_node_beside_the_log() {
    // One node writing both, and the default pipeline's split: one node per product, both
    // extending the same settings.
    let settings =
        "kind: synthetic\ncustomers: 120\nseed: 7\ntruth: {window_months: 6, replays: 20}\n";
    let both = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    inputs: {sku_map: stages/sku_map.csv}\n    params: stages/source.yaml\n",
    );
    let split = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    params: {extends: stages/source.yaml, publish: [data], truth: null}\n  truth:\n    stage: source\n    inputs: {sku_map: stages/sku_map.csv}\n    params: {extends: stages/source.yaml, publish: [truth]}\n",
    );
    for ws in [&both, &split] {
        ws.write("stages/sku_map.csv", SKU_MAP);
        ws.write("stages/source.yaml", settings);
        ws.run(&["run"]).ok();
    }
    assert!(!split.path("outputs/sales_log/truth.csv").exists());
    assert!(!split.path("outputs/truth/Sales_Log.csv").exists());
    assert_eq!(
        split.read("outputs/truth/truth.csv"),
        both.read("outputs/sales_log/truth.csv")
    );
    assert_eq!(
        split.read("outputs/sales_log/Sales_Log.csv"),
        both.read("outputs/sales_log/Sales_Log.csv")
    );
    // The truth's settings are the truth node's alone: more replays rebuild nothing else.
    split.write(
        "stages/source.yaml",
        &settings.replace("replays: 20", "replays: 30"),
    );
    let (r, run) = split.run_json(&[]);
    run.ok();
    assert_eq!(with_status(&r, "built"), ["truth"], "{r:#}");
    // A truth node without the truth's settings is refused at load, however the list is written.
    split.write("stages/source.yaml", "kind: synthetic\ncustomers: 120\n");
    let r = split.run(&["run"]).code(3);
    assert!(
        r.stderr.contains("`publish: [truth]` needs"),
        "{}",
        r.stderr
    );
    let twice = Ws::new(
        "nodes:\n  truth:\n    stage: source\n    params: {kind: synthetic, customers: 120, publish: [truth, truth]}\n",
    );
    let r = twice.run(&["run"]).code(3);
    assert!(
        r.stderr.contains("`publish: [truth]` needs"),
        "{}",
        r.stderr
    );
    // Switching the default's `sales_log` (`publish: [data]`) to a user's log keeps loading.
    let csv = Ws::new(
        "nodes:\n  sales_log:\n    stage: source\n    inputs: {sales_log: log.csv}\n    params: {kind: csv, publish: [data]}\n",
    );
    csv.write("log.csv", "CustomerId\n1\n");
    csv.run(&["run"]).ok();
    assert_eq!(csv.read("outputs/sales_log/log.csv"), "CustomerId\n1\n");
}
