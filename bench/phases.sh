#!/usr/bin/env bash
# Phases 1-2 benchmark (issue 4): labels and features for all divisions at one cutoff, on the
# 5,000-customer default and on a log of about 1,000,000 fact lines. Each instance is its own
# process; the figures are the wall time of the whole `gosales run` and the largest peak RSS of
# any instance (from the run report).
#
#   bench/phases.sh [CUSTOMERS_FOR_THE_BIG_RUN]     (default 115000, about 1.0 M fact lines)
set -euo pipefail
cd "$(dirname "$0")/.."
BIG="${1:-115000}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
WS="$(mktemp -d /tmp/gosales-phases-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cp -r pipeline.yaml stages "$WS/"
cd "$WS"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
phase() { # label
  local s e
  s=$(date +%s%N)
  "$BIN" run -j "$(nproc)" --json --target 'labels@*@2024-06-30' --target 'features@*@2024-06-30' > "$WS/report.json"
  e=$(date +%s%N)
  python3 - "$1" $(((e - s) / 1000000)) "$WS/report.json" <<'PY'
import json, sys
label, ms, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = json.load(open(path))
built = [i for i in r["instances"] if i["status"] == "built"]
rss = max((i.get("peak_rss_kb") or 0) for i in built) // 1024
feat = [i["duration_ms"] for i in built if i["instance"].startswith("features@")]
print(f"{label:<52} {ms/1000:6.2f} s wall for {len(built)} instances; slowest features instance {max(feat)/1000:.2f} s; max peak RSS {rss} MB")
PY
}
lines() { python3 -c "import json;print(json.load(open('outputs/qa/row_counts.json'))['fact_transactions'])"; }

"$BIN" run --target star >/dev/null 2>&1
phase "all 12 divisions at 2024-06-30, 5,000 customers ($(lines) lines)"
sed -i "s/^customers: .*/customers: $BIG/" stages/source.yaml
s=$(date +%s%N); "$BIN" run --target star >/dev/null 2>&1; e=$(date +%s%N)
echo "  (source + ETL of $BIG customers: $(((e - s) / 1000000)) ms)"
phase "all 12 divisions at 2024-06-30, $BIG customers ($(lines) lines)"
