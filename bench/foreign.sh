#!/usr/bin/env bash
# gosales on a sales log it did not generate (issue 11): bench/foreign/gen.py writes a log of
# another shape (`Customer Number`, `Product Line` divisions with spaces and `&`, `Item Number`
# SKUs, day-first dates, several lines of one SKU on an invoice, a holdout file of its own) from
# another process (hidden affinities, unseen churn, momentum, cross-division pulls, anniversary
# renewals), with its truth and its history ceiling. `gosales init` onboards it in one step,
# `gosales run` builds it, and bench/foreign/compare.py sets gosales' holdout AUC, lift@10 and
# Brier beside a plain LightGBM's (fixed hyperparameters, simple window features), the history
# ceiling's and the truth's, on the same customers and labels.
#
#   bench/foreign.sh [SEED ...]     (default: 1 2; ~6 minutes a seed on 2 cores, most of it the
#                                    ceiling's importance sampling)
#   FOREIGN_WS=/tmp/fw bench/foreign.sh 1   keeps data and workspace in /tmp/fw-1
#   GEN_ARGS="--years 2 --holdout-months 3" bench/foreign.sh 1   other date ranges and windows
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(1 2)
GEN_ARGS="${GEN_ARGS:-}"
BIN="$(realpath "${GOSALES_BIN:-target/release/gosales}")"
PY="${PYTHON:-python3}"
"$PY" -c "import numpy, pandas, lightgbm" 2>/dev/null || {
  echo "needs numpy, pandas and lightgbm for $PY (PYTHON=/path/to/venv/bin/python)"; exit 1; }
[ -x "$BIN" ] || cargo build --release
for seed in "${SEEDS[@]}"; do
  if [ -n "${FOREIGN_WS:-}" ]; then D="$FOREIGN_WS-$seed"; mkdir -p "$D"; else
    D="$(mktemp -d /tmp/gosales-foreign.XXXXXX)"; fi
  [ -f "$D/data/truth.csv" ] || "$PY" bench/foreign/gen.py "$D/data" --seed "$seed" --history $GEN_ARGS
  [ -f "$D/ws/pipeline.yaml" ] || "$BIN" init "$D/ws" --sales-log "$D/data/sales_history.csv" \
    --holdout "$D/data/sales_holdout.csv" > "$D/init.log" 2>&1
  "$BIN" -C "$D/ws" run -j "$(nproc)" > "$D/run.log" 2>&1 || {
    echo "seed $seed: the pipeline failed; see $D/run.log"; exit 1; }
  echo
  echo "seed $seed: $(tail -1 "$D/run.log")"
  "$PY" -W ignore bench/foreign/compare.py "$D/data" "$D/ws"
  [ -n "${FOREIGN_WS:-}" ] || rm -rf "$D"
done
