#!/usr/bin/env bash
# Engine benchmark (issue 2): a generated manifest of 1,000 `cmd` instances over 1 GB of input
# files. Prints: dry-run of the fully stale graph, cold build, no-op run, cold hashing throughput.
#
#   bench/engine.sh [SHARDS] [MB_PER_SHARD]      (defaults: 500 shards x 2 MB = 1 GB, 1,000 instances)
#
# Uses the release binary (built if missing). Nothing here is a pass/fail test: it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARDS="${1:-500}"
MB="${2:-2}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
WS="$(mktemp -d /tmp/gosales-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cd "$WS"

mkdir -p data
for i in $(seq -w 1 "$SHARDS"); do
  head -c $((MB * 1024 * 1024)) /dev/urandom > "data/shard_$i.bin"
done
{
  echo "version: 1"
  echo "vars:"
  printf "  shards: ["; seq -w 1 "$SHARDS" | sed 's/^/"/; s/$/"/' | paste -sd, | tr -d '\n'; echo "]"
  echo "nodes:"
  echo "  shard:"
  echo "    cmd: head -c 4096 {in.0} | od -An -tx1 | head -4 > {out.0}"
  echo "    foreach: {i: \$shards}"
  echo "    inputs: [\"data/shard_{i}.bin\"]"
  echo "    outputs: [\"outputs/shard/{i}.txt\"]"
  echo "  summary:"
  echo "    cmd: wc -c < {in.0} > {out.0}"
  echo "    foreach: {i: \$shards}"
  echo "    inputs: [\"outputs/shard/{i}.txt\"]"
  echo "    outputs: [\"outputs/summary/{i}.txt\"]"
} > pipeline.yaml

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

total_mb=$((SHARDS * MB))
instances=$(( SHARDS * 2 ))
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -r)"
echo "workload: $instances cmd instances, $SHARDS input files, $total_mb MB of input"

dry=$(for _ in 1 2 3 4 5 6 7; do ms "$BIN" run --dry-run; done | median)
echo "dry-run, fully stale graph:       ${dry} ms (median of 7)"

s=$(date +%s%N); /usr/bin/time -f "%M" -o "$WS/rss" "$BIN" run -j "$(nproc)" >/dev/null 2>"$WS/build.log"; e=$(date +%s%N)
echo "cold build (runs all, -j $(nproc)):     $(((e - s) / 1000000)) ms, gosales peak RSS $(cat "$WS/rss") KB"

noop=$(for _ in $(seq 1 11); do ms "$BIN" run; done | median)
echo "no-op run:                        ${noop} ms (median of 11)"
status=$(for _ in 1 2 3 4 5; do ms "$BIN" status; done | median)
echo "status (all fresh):               ${status} ms (median of 5)"

# Cold hashing: forget every cached hash; `status` must then re-hash all inputs and outputs.
rm -f cache/hashcache.json
s=$(date +%s%N); "$BIN" status >/dev/null 2>&1; e=$(date +%s%N)
t=$(((e - s) / 1000000))
echo "cold hashing, page cache warm:    ${t} ms for $total_mb MB = $(awk -v mb="$total_mb" -v t="$t" 'BEGIN {printf "%.2f GB/s", mb / 1024 / (t / 1000)}')"
if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
  rm -f cache/hashcache.json
  s=$(date +%s%N); "$BIN" status >/dev/null 2>&1; e=$(date +%s%N)
  t=$(((e - s) / 1000000))
  echo "cold hashing, page cache dropped: ${t} ms for $total_mb MB = $(awk -v mb="$total_mb" -v t="$t" 'BEGIN {printf "%.2f GB/s", mb / 1024 / (t / 1000)}')"
else
  echo "cold hashing, page cache dropped: skipped (cannot write /proc/sys/vm/drop_caches)"
fi
"$BIN" audit >/dev/null && echo "audit after benchmark:            ok"

# The scale of the plan (issue 14, part 7): SCALE=100000 bench/engine.sh adds a manifest of that
# many `echo` instances: dry-run of the stale graph, the cold build, then the no-op run, each with
# the coordinator's peak RSS. (The cold build of 100,000 takes about 5 minutes on 2 cores.)
if [ -n "${SCALE:-}" ]; then
  BIG="$WS/scale"
  mkdir -p "$BIG"
  cd "$BIG"
  "$ROOT/bench/echo-manifest.sh" "$SCALE" > pipeline.yaml
  timed() { /usr/bin/time -f "%e s, peak RSS %M KB" "$@" 2>&1 >/dev/null | tail -1; }
  echo "scale: $SCALE echo instances"
  echo "  dry-run, fully stale:           $(timed "$BIN" run --dry-run)"
  echo "  cold build, -j $(nproc):             $(timed "$BIN" run -j "$(nproc)")"
  "$BIN" run >/dev/null 2>&1  # the first no-op moves the run log's verified checkpoint
  for _ in 1 2 3; do echo "  no-op run:                      $(timed "$BIN" run)"; done
  echo "  dry-run, all fresh:             $(timed "$BIN" run --dry-run)"
fi
