#!/usr/bin/env bash
# Phase 3 benchmark (issue 5): training one division over 3 cutoffs with both families and the
# default grids, then every division (12) through the pipeline, on the 5,000-customer default.
# Prints wall times and a table of out-of-time and holdout metrics per division.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
WS="$(mktemp -d /tmp/gosales-train-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cp -r pipeline.yaml stages "$WS/"
cd "$WS"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$BIN" run --target 'features' --target 'labels' --target holdout_star >/dev/null 2>&1
s=$(date +%s%N)
"$BIN" train --division Simulation --cutoffs 2023-06-30,2023-12-31,2024-06-30 --window-months 6 --out "$WS/one" 2>&1 | sed 's/^/  /'
e=$(date +%s%N)
echo "train one division (Simulation), 3 cutoffs, logreg + lgbm grids: $(((e - s) / 1000000)) ms"
# The original engine's search: 41 settings a cutoff (LR 9 + LightGBM 32, 400 trees), here with
# bagging as the fifth LightGBM axis.
cat > "$WS/models41.yaml" <<'YAML'
models: [logreg, lgbm]
logreg: {c: [0.01, 0.1, 1.0], l1_ratio: [0.0, 0.5, 0.9]}
lgbm:
  num_leaves: [15, 31]
  min_data_in_leaf: [20, 50]
  learning_rate: [0.05, 0.1]
  feature_fraction: [0.8, 1.0]
  bagging_fraction: [0.8, 1.0]
  bagging_freq: 1
  max_iterations: 400
YAML
s=$(date +%s%N)
"$BIN" train --division Simulation --cutoffs 2023-06-30,2023-12-31,2024-06-30 --window-months 6 --config "$WS/models41.yaml" --out "$WS/one41" >/dev/null 2>&1
e=$(date +%s%N)
echo "train one division (Simulation), 41-setting grid (LR 9 + LightGBM 32): $(((e - s) / 1000000)) ms"
s=$(date +%s%N)
"$BIN" run -j "$(nproc)" --target train --target validate >/dev/null 2>&1
e=$(date +%s%N)
echo "train + validate all 12 divisions (-j $(nproc)):                 $(((e - s) / 1000000)) ms"
python3 - <<'PY'
import json, os
print("| division | model | calibration | OOT AUC | OOT lift@10 | OOT Brier | holdout AUC | holdout lift@10 | holdout Brier | holdout buyers / rows | new-logo buyers (not scored) | gates |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
f = lambda x: "n/a" if x is None else f"{x:.3f}"
for d in sorted(os.listdir("outputs/train")):
    card = json.load(open(f"outputs/train/{d}/model_card.json"))
    v = json.load(open(f"outputs/validate/{d}/validation_metrics_{d}.json"))
    if card.get("status") != "trained":
        print(f"| {d} | skipped: {card.get('reason')} |"); continue
    m, h = card["metrics_out_of_time"], v.get("metrics", {})
    print(f"| {d} | {card['selected']['winner']['family']} | {card['calibration']['chosen']} | {f(m['auc'])} | {f(m['lift@10'])} | {f(m['brier'])} | {f(h.get('auc'))} | {f(h.get('lift@10'))} | {f(h.get('brier'))} | {v.get('positives')} / {v.get('rows')} | {v.get('new_logo_buyers_not_scorable')} | {'pass' if v.get('passed') else 'FAIL'} |")
PY
