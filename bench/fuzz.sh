#!/usr/bin/env bash
# Fuzzing (issue 13): seeded mutations of the manifest, the sales-log CSV and a folder of two log
# files joined, in release
# mode, ITERS cases per parser (default 200,000: a few minutes on 2 cores). A panic prints the
# case and saves the input; add it to tests/fuzz/{manifest,csv,parts}/ so `cargo test` replays it.
#
#   bench/fuzz.sh [ITERS]
set -euo pipefail
cd "$(dirname "$0")/.."
ITERS="${1:-200000}"
echo "machine: $(nproc) cores; $ITERS cases per parser"
start=$(date +%s)
GOSALES_FUZZ_ITERS="$ITERS" cargo test --release --lib fuzz -- --test-threads 2
echo "fuzzed $ITERS cases per parser in $(( $(date +%s) - start )) s (including the build)"
