#!/usr/bin/env bash
# Scoring benchmark (issue 6): `score` (12 division models, reason codes for every row) and
# `whitespace` on the 5,000-customer default, each forced to rerun; best of 3. Builds the
# pipeline up to them first (a few minutes) unless GOSALES_WS names a workspace that has it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
if [ -n "${GOSALES_WS:-}" ]; then
  WS="$GOSALES_WS"
else
  WS="$(mktemp -d /tmp/gosales-score-bench.XXXXXX)"
  trap 'rm -rf "$WS"' EXIT
  cp -r pipeline.yaml stages "$WS/"
fi
cd "$WS"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$BIN" run -j "$(nproc)" --target whitespace >/dev/null 2>&1
best() {
  local best=""
  for _ in 1 2 3; do
    s=$(date +%s%N)
    "$BIN" exec "$1" >/dev/null 2>&1
    e=$(date +%s%N)
    t=$(((e - s) / 1000000))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}
s=$(best score)
w=$(best whitespace)
echo "score ($(tail -n +2 outputs/scores/icp_scores.csv | wc -l) rows, reason codes for each): ${s} ms"
echo "whitespace ($(tail -n +2 outputs/whitespace.csv | wc -l) pairs):                     ${w} ms"
echo "score + whitespace:                                   $((s + w)) ms (best of 3 each, through \`gosales exec\`)"
