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
echo "nodes: {}" > pipeline.yaml
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
PY
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$BIN" ui --port 8655 2>/dev/null & echo $! > pid
sleep 1
for path in / "/scores" "/scores?division=PDM&page=50" "/scores?q=Customer%209999" "/whitespace" "/whitespace?division=CPE&page=100" /models /quality /audit; do
  best=""
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:8655$path")
    best=$(python3 -c "print(min(float('$t'), float('${best:-9}')))")
  done
  printf "%-40s %6.0f ms (best of 5)\n" "$path" "$(python3 -c "print($best*1000)")"
done
