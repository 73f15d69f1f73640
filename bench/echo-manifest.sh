#!/usr/bin/env bash
# Prints a manifest of N tiny `echo` instances (one node fanned out over ids 1..N), where the
# engine's own per-instance work is all there is to time. Used by bench/lock.sh and
# bench/engine.sh (SCALE=N).
#
#   bench/echo-manifest.sh N > pipeline.yaml
set -euo pipefail
N="$1"
echo "vars:"
printf "  ids: ["; seq 1 "$N" | sed 's/^/"/; s/$/"/' | paste -sd, | tr -d '\n'; echo "]"
echo "nodes:"
echo "  e:"
echo "    cmd: echo {i} > {out.0}"
echo "    foreach: {i: \$ids}"
echo "    outputs: [\"outputs/{i}.txt\"]"
