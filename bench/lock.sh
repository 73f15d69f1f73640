#!/usr/bin/env bash
# Lock journal benchmark (issue 14, part 6): a cold build of N tiny `echo` instances, where the
# engine's own per-instance bookkeeping (publish, lock, run log) is all there is to time.
# Before the journal the lock was rewritten and synced whole after every instance (quadratic).
#
#   bench/lock.sh [N]      (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
WS="$(mktemp -d /tmp/gosales-lock-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cd "$WS"
"$ROOT/bench/echo-manifest.sh" "$N" > pipeline.yaml
echo "machine: $(nproc) cores; $N echo instances"
s=$(date +%s%N); /usr/bin/time -f "%M" -o "$WS/rss" "$BIN" run -j 2 >/dev/null 2>"$WS/log"; e=$(date +%s%N)
echo "cold build, -j 2:   $(((e - s) / 1000000)) ms, peak RSS $(cat "$WS/rss") KB, lock $(du -k pipeline.lock | cut -f1) KB"
# Outputs hashed within a clock step of being written are not trusted by stat (the hash cache's
# racy rule): the first no-op hashes them again and writes the no-op certificate; later ones
# answer from it.
s=$(date +%s%N); "$BIN" run >/dev/null 2>&1; e=$(date +%s%N)
echo "first no-op run:    $(((e - s) / 1000000)) ms"
s=$(date +%s%N); "$BIN" run >/dev/null 2>&1; e=$(date +%s%N)
echo "second no-op run:   $(((e - s) / 1000000)) ms"
