#!/usr/bin/env bash
# UI benchmark (issue 6): every page's response time with a 100,000-row whitespace table and a
# 100,000-row score table (pagination, not a full dump). Release binary; curl as the client.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
WS="$(mktemp -d /tmp/gosales-ui-bench.XXXXXX)"
trap 'kill $(cat "$WS/pid") 2>/dev/null || true; rm -rf "$WS"' EXIT
cd "$WS"
# One node declaring the files the pages read (the UI shows only what a node writes); never run.
cat > pipeline.yaml <<'YAML'
nodes:
  pages:
    cmd: "true"
    outputs: [outputs/train, outputs/scores, outputs/whitespace.csv]
YAML
mkdir -p outputs/scores
python3 - <<'PY'
import random
random.seed(1)
divs = ["CAMWorks", "CPE", "Hardware", "PDM", "Simulation", "Training"]
with open("outputs/whitespace.csv", "w") as f:
    f.write("customer_id,customer_name,division,score,p_icp,affinity,als_similarity,expected_value,rank_in_customer,rank_in_division,explanation\n")
    for i in range(100000):
        f.write(f"{100000+i},Customer {i},{divs[i%6]},{random.random():.6f},{random.random():.6f},1.2,0.5,100.0,1,{i//6+1},\"p=0.31\"\n")
with open("outputs/scores/icp_scores.csv", "w") as f:
    f.write("customer_id,customer_name,division,p_icp,icp_percentile,icp_grade,reason_1,reason_2,reason_3,model_fingerprint,scoring_cutoff\n")
    for i in range(100000):
        f.write(f"{100000+i},Customer {i},{divs[i%6]},{random.random():.6f},50,C,a,b,c,fp,2024-12-31\n")
import json, os
os.makedirs("outputs/train/PDM", exist_ok=True)
json.dump({"division": "PDM", "status": "trained", "data": {"cutoffs": ["2023-06-30", "2024-06-30"], "rows": 9000, "positives": 400, "prevalence": 0.044, "features": 255},
           "selected": {"rule": "lift@10", "winner": {"family": "lgbm", "params": {"num_leaves": 15}}, "final_iterations": 24},
           "calibration": {"chosen": "isotonic", "compared": []}, "metrics_out_of_time": {"auc": 0.7, "lift@10": 2.3},
           "feature_importance_top20": [{"feature": f"f{i}", "importance": 100 - i} for i in range(20)]},
          open("outputs/train/PDM/model_card.json", "w"))
json.dump({"folds": [{"cutoff": "2024-06-30", "trained_on": ["2023-06-30"], "auc": 0.7}], "mean": {"auc": 0.7}}, open("outputs/train/PDM/metrics.json", "w"))
with open("outputs/train/PDM/gains.csv", "w") as f:
    f.write("decile,rows,positives,positive_rate,cumulative_capture,lift\n" + "".join(f"{d},900,40,0.04,0.1,{3 - d / 5}\n" for d in range(1, 11)))
with open("outputs/train/PDM/calibration_PDM.csv", "w") as f:
    f.write("mean_predicted,observed_rate,count\n" + "".join(f"{d / 100},{d / 90},900\n" for d in range(1, 11)))
PY
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$BIN" ui --port 8655 2>/dev/null & echo $! > pid
sleep 1
for path in / "/scores" "/scores?sort=p_icp&order=desc" "/scores?division=PDM&page=50" "/scores?q=Customer%209999" "/whitespace" "/whitespace?division=CPE&page=100" "/customer?id=150000" /models "/models?division=PDM" /quality /audit; do
  best=""
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:8655$path")
    best=$(python3 -c "print(min(float('$t'), float('${best:-9}')))")
  done
  printf "%-40s %6.0f ms (best of 5)\n" "$path" "$(python3 -c "print($best*1000)")"
done
