#!/usr/bin/env bash
# The whole default pipeline (issue 15): from scratch in a fresh workspace, then a no-op run.
# Prints wall times, and per node the instances, wall and CPU seconds (user + system of each
# child, from wait4, recorded in the run log) and the largest peak RSS, so the next change can
# be compared node by node.
#
#   bench/pipeline.sh [JOBS]      (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-2}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
WS="$(mktemp -d /tmp/gosales-pipeline-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cp -r "$ROOT/pipeline.yaml" "$ROOT/stages" "$WS/"
cd "$WS"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); -j $JOBS"
s=$(date +%s%N); "$BIN" run -j "$JOBS" >/dev/null 2>run.log || { tail -5 run.log; exit 1; }; e=$(date +%s%N)
echo "from scratch: $(((e - s) / 1000000)) ms wall"
s=$(date +%s%N); "$BIN" run >/dev/null 2>&1; e=$(date +%s%N)
echo "no-op run:    $(((e - s) / 1000000)) ms wall"
python3 - <<'PY'
import json, collections
rows = [json.loads(l)["entry"] for l in open("cache/runlog.jsonl")]
built = [r for r in rows if r.get("kind") == "instance" and r.get("status") == "built"]
agg = collections.OrderedDict()
for r in built:
    a = agg.setdefault(r["node"], [0, 0, 0, 0])
    a[0] += 1; a[1] += r.get("duration_ms", 0); a[2] += r.get("cpu_ms", 0)
    a[3] = max(a[3], r.get("peak_rss_kb") or 0)
print(f"{'node':<16} {'inst':>5} {'wall s':>8} {'cpu s':>8} {'max RSS MB':>11}")
for node, (n, wall, cpu, rss) in sorted(agg.items(), key=lambda kv: -kv[1][2]):
    print(f"{node:<16} {n:>5} {wall/1000:>8.1f} {cpu/1000:>8.1f} {rss/1024:>11.0f}")
tot = [sum(a[i] for a in agg.values()) for i in range(3)]
print(f"{'all':<16} {tot[0]:>5} {tot[1]/1000:>8.1f} {tot[2]/1000:>8.1f}")
PY
