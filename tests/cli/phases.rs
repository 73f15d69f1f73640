//! Phases 1 and 2 in a pipeline: partitions per division x cutoff, computed only when new.

use crate::support::{with_status, Ws};

const SKU_MAP: &str = include_str!("../../stages/sku_map.csv");

fn pipeline(divisions: &str, cutoffs: &str) -> String {
    format!(
        r#"vars:
  divisions: {divisions}
  cutoffs: {cutoffs}
nodes:
  sales_log:
    stage: source
    params: {{kind: synthetic, customers: 120, seed: 3}}
  star:
    stage: etl
    needs: [sales_log]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{date_max: "2025-12-31"}}
    outputs: {{star: outputs/star, qa: outputs/qa, staging: outputs/staging}}
  labels:
    stage: labels
    needs: [star]
    foreach: {{division: $divisions, cutoff: $cutoffs}}
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{window_months: 6}}
  features:
    stage: features
    needs: [star]
    foreach: {{division: $divisions, cutoff: $cutoffs}}
    inputs: {{sku_map: stages/sku_map.csv}}
    params: {{als: {{iterations: 3}}}}
"#
    )
}

#[test]
fn adding_a_cutoff_or_a_division_computes_only_the_new_partitions() {
    let ws = Ws::new(&pipeline(
        "[Simulation, PDM]",
        "[\"2023-06-30\", \"2024-06-30\"]",
    ));
    ws.write("stages/sku_map.csv", SKU_MAP);
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 10, "{r:#}");
    for f in [
        "outputs/labels/Simulation/2024-06-30/labels.parquet",
        "outputs/labels/Simulation/2024-06-30/prevalence.csv",
        "outputs/labels/Simulation/2024-06-30/cutoff.json",
        "outputs/features/PDM/2023-06-30/features.parquet",
        "outputs/features/PDM/2023-06-30/feature_catalog.csv",
        "outputs/features/PDM/2023-06-30/feature_stats.json",
    ] {
        assert!(ws.path(f).is_file(), "missing {f}");
    }
    let catalog = ws.read("outputs/features/PDM/2023-06-30/feature_catalog.csv");
    assert!(catalog.starts_with("name,family,dtype,coverage,description\n"));
    for family in [
        "rfm",
        "recency",
        "trajectory",
        "lifecycle",
        "seasonality",
        "cross_division",
        "diversity",
        "returns",
        "sku",
        "industry",
        "affinity",
        "als",
        "missingness",
    ] {
        assert!(
            catalog.contains(&format!(",{family},")),
            "no {family} feature in the catalog"
        );
    }
    let stats: serde_json::Value =
        serde_json::from_str(&ws.read("outputs/features/PDM/2023-06-30/feature_stats.json"))
            .unwrap();
    assert!(stats["checksum"].as_str().unwrap().starts_with("blake3:"));
    assert!(stats["winsor_caps"]["rfm__all__gp_sum__12m"].is_number());

    ws.write(
        "pipeline.yaml",
        &pipeline(
            "[Simulation, PDM]",
            "[\"2023-06-30\", \"2023-12-31\", \"2024-06-30\"]",
        ),
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(
        with_status(&r, "built"),
        [
            "features@PDM@2023-12-31",
            "features@Simulation@2023-12-31",
            "labels@PDM@2023-12-31",
            "labels@Simulation@2023-12-31"
        ]
    );
    ws.write(
        "pipeline.yaml",
        &pipeline(
            "[Simulation, PDM, Training]",
            "[\"2023-06-30\", \"2023-12-31\", \"2024-06-30\"]",
        ),
    );
    let (r, _) = ws.run_json(&[]);
    assert_eq!(r["built"], 6, "{r:#}");
    assert!(with_status(&r, "built")
        .iter()
        .all(|i| i.contains("@Training@")));
    ws.run(&["audit"]).ok();
}

#[test]
fn a_bad_partition_fails_clearly() {
    let ws = Ws::new(&pipeline("[Simulaton]", "[\"2024-06-30\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    let (r, run) = ws.run_json(&["--keep-going"]);
    assert_eq!(run.code, 1);
    let failed: Vec<&serde_json::Value> = r["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(
        failed.iter().all(|f| f["error"]
            .as_str()
            .unwrap()
            .contains("unknown division `Simulaton`")),
        "{r:#}"
    );
}

#[test]
fn standalone_commands_validate_their_arguments() {
    let ws = Ws::new(&pipeline("[PDM]", "[\"2024-06-30\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.run(&["run", "--target", "star"]).ok();
    let r = ws
        .run(&[
            "labels",
            "build",
            "--division",
            "PDM",
            "--cutoff",
            "2024-06-30",
            "--window-months",
            "0",
        ])
        .code(2);
    assert!(r.stderr.contains("window_months"), "{}", r.stderr);
    let r = ws
        .run(&[
            "labels",
            "build",
            "--division",
            "PDM",
            "--cutoff",
            "2030-01-01",
        ])
        .code(2);
    assert!(
        r.stderr.contains("is on or after the log's last sale"),
        "{}",
        r.stderr
    );
    let r = ws
        .run(&[
            "labels",
            "build",
            "--division",
            "PDM",
            "--cutoff",
            "2024-06-30",
            "--mode",
            "all",
            "--json",
        ])
        .ok();
    assert_eq!(r.json()["mode"], "all");
    assert!(ws
        .path("outputs/labels/PDM/2024-06-30/labels.parquet")
        .is_file());
    ws.write("f.yaml", "windows_months: [12]\nals: {enabled: false}\n");
    let r = ws
        .run(&[
            "features",
            "build",
            "--division",
            "PDM",
            "--cutoff",
            "2024-06-30",
            "--config",
            "f.yaml",
            "--json",
        ])
        .ok();
    assert_eq!(r.json()["division"], "PDM");
    ws.write("f.yaml", "windows_month: [12]\n");
    let r = ws
        .run(&[
            "features",
            "build",
            "--division",
            "PDM",
            "--cutoff",
            "2024-06-30",
            "--config",
            "f.yaml",
        ])
        .code(3);
    assert!(
        r.stderr.contains("unknown field `windows_month`"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_latest_cutoff_is_the_last_transaction_date_of_the_log() {
    let ws = Ws::new(
        r#"nodes:
  sales_log:
    stage: source
    params: {kind: synthetic, customers: 120, seed: 3}
  star:
    stage: etl
    needs: [sales_log]
    inputs: {sku_map: stages/sku_map.csv}
    outputs: {star: outputs/star, qa: outputs/qa, staging: outputs/staging}
  features_score:
    stage: features
    needs: [star]
    foreach: {division: [PDM], cutoff: [latest]}
    params: {als: {iterations: 3}}
"#,
    );
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.run(&["run"]).ok();
    let stats: serde_json::Value =
        serde_json::from_str(&ws.read("outputs/features_score/PDM/latest/feature_stats.json"))
            .unwrap();
    // The synthetic training log ends on 2024-12-31; its last line is a feature, not later.
    assert_eq!(stats["cutoff"], "2024-12-31", "{stats:#}");
    assert_eq!(stats["max_event_date"], "2024-12-31");
    // The date `latest` stood for is in the run's record, not only inside its outputs (an
    // auditor found only `cutoff = latest` in the lock and the log), and `explain` shows it.
    let record = ws
        .read("cache/runlog.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["entry"]["instance"] == "features_score@PDM@latest")
        .unwrap();
    assert_eq!(
        record["entry"]["resolved"]["cutoff"], "2024-12-31",
        "{record:#}"
    );
    let out = ws
        .run(&["explain", "features_score@PDM@latest"])
        .ok()
        .stdout;
    assert!(
        out.contains("partition cutoff = latest (resolved to 2024-12-31 at its last build)"),
        "{out}"
    );
    let j = ws
        .run(&["explain", "features_score@PDM@latest", "--json"])
        .ok()
        .json();
    assert_eq!(j["resolved"]["cutoff"], "2024-12-31");
    // And in `pipeline.lock`, the record an auditor diffs and commits, sealed with its entry:
    // an edited date is corrupt state, not a different build.
    let lock = ws.read("pipeline.lock");
    let parsed: serde_json::Value = serde_json::from_str(&lock).unwrap();
    assert_eq!(
        parsed["instances"]["features_score@PDM@latest"]["resolved"]["cutoff"], "2024-12-31",
        "{parsed:#}"
    );
    ws.run(&["audit"]).ok();
    ws.write(
        "pipeline.lock",
        &lock.replace("\"cutoff\": \"2024-12-31\"", "\"cutoff\": \"2024-06-30\""),
    );
    let out = ws.run(&["audit"]).code(1).stdout;
    assert!(
        out.contains("features_score@PDM@latest") && out.contains("other than it was sealed with"),
        "{out}"
    );
    // A forger who also re-seals the entry is caught against the run log.
    let mut forged = parsed.clone();
    let entry = &mut forged["instances"]["features_score@PDM@latest"];
    entry["resolved"]["cutoff"] = "2024-06-30".into();
    let mut h = blake3::Hasher::new();
    h.update(entry["fingerprint"].as_str().unwrap().as_bytes());
    for (path, hash) in entry["outputs"].as_object().unwrap() {
        for part in [path.as_str(), hash.as_str().unwrap()] {
            h.update(b"\0");
            h.update(part.as_bytes());
        }
    }
    h.update(b"\0resolved\0cutoff\0");
    h.update(b"2024-06-30");
    entry["seal"] = h.finalize().to_hex().to_string().into();
    ws.write(
        "pipeline.lock",
        &(serde_json::to_string_pretty(&forged).unwrap() + "\n"),
    );
    let out = ws.run(&["audit"]).code(1).stdout;
    assert!(
        out.contains("what it resolved (cutoff = 2024-06-30) differs from its last recorded run")
            && !out.contains("other than it was sealed with"),
        "{out}"
    );
}

#[test]
fn a_cutoff_past_the_log_is_warned_and_one_on_its_last_day_refused_for_labels() {
    // The synthetic log ends 2024-12-31. Scoring 45 days later reads those days as days
    // without a purchase; a tester's such `score_cutoff` ran with no word.
    let ws = Ws::new(&pipeline("[PDM]", "[\"2025-02-14\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    let r = ws.run(&["run", "--target", "features"]).ok();
    assert!(
        r.stderr
            .contains("the cutoff is 45 days after the log's last sale (2024-12-31)"),
        "{}",
        r.stderr
    );
    // A label needs a window after its cutoff: on the last day, the refusal says which side
    // (it said "outside the data", whose range includes the day).
    let ws = Ws::new(&pipeline("[PDM]", "[\"2024-12-31\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    let (r, run) = ws.run_json(&["--target", "labels", "--keep-going"]);
    assert_eq!(run.code, 1);
    assert!(
        r.to_string()
            .contains("is on or after the log's last sale (2024-12-31"),
        "{r:#}"
    );
    // Within the data, no word.
    let ws = Ws::new(&pipeline("[PDM]", "[\"2024-06-30\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    let r = ws.run(&["run", "--target", "features"]).ok();
    assert!(
        !r.stderr.contains("after the log's last sale"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_month_appended_to_the_log_leaves_a_closed_cutoffs_labels_and_features_byte_identical() {
    // A tester appended January 2025 to a 1.5-million-line log: every model retrained, because
    // `cutoff.json` and `feature_stats.json` recorded the log's last date.
    let ws = Ws::new(&pipeline("[PDM]", "[\"2023-06-30\"]"));
    ws.write("stages/sku_map.csv", SKU_MAP);
    ws.run(&["run"]).ok();
    let files = [
        "outputs/labels/PDM/2023-06-30/cutoff.json",
        "outputs/labels/PDM/2023-06-30/labels.parquet",
        "outputs/features/PDM/2023-06-30/feature_stats.json",
        "outputs/features/PDM/2023-06-30/features.parquet",
    ];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(ws.path(f)).unwrap())
        .collect();
    let stats_before = ws.read("outputs/qa/row_counts.json");
    // The holdout starts a month later: the training log gains January 2025.
    let manifest = ws.read("pipeline.yaml");
    ws.write(
        "pipeline.yaml",
        &manifest.replace("seed: 3}", "seed: 3, holdout_start: \"2025-02-01\"}"),
    );
    ws.run(&["run"]).ok();
    assert_ne!(
        ws.read("outputs/qa/row_counts.json"),
        stats_before,
        "the log grew"
    );
    for (f, b) in files.iter().zip(&before) {
        assert!(
            std::fs::read(ws.path(f)).unwrap() == *b,
            "{f} changed with sales after its window"
        );
    }
}
