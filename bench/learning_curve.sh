#!/usr/bin/env bash
# How much of the gap to the truth oracle is more data away (issue 11)? The generator draws
# customer i from its own random stream, so a run with more customers contains the default
# run's 5,000 customers with the same histories (up to the 0.25% of rows whose dirty-data
# defects, drawn per row of the whole log, land elsewhere). This runs the default pipeline with
# 5,000 customers and with N, then scores both models on exactly the same holdout rows (the
# first 5,000 customers' that both populations contain) beside the oracle's probabilities.
#
#   bench/learning_curve.sh [N] [SEED]     (default: 40000 42; ~20 minutes at 40,000)
#   LC_WS=/tmp/lc bench/learning_curve.sh   keeps the workspaces in /tmp/lc-<N>-<SEED>
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-40000}"
SEED="${2:-42}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
run() { # customers -> workspace
  local n="$1" ws
  if [ -n "${LC_WS:-}" ]; then ws="$LC_WS-$n-$SEED"; mkdir -p "$ws"; else ws="$(mktemp -d /tmp/gosales-lc.XXXXXX)"; fi
  if [ ! -f "$ws/pipeline.yaml" ]; then
    cp -r "$ROOT/pipeline.yaml" "$ROOT/stages" "$ws/"
    sed -i "s/^seed: .*/seed: $SEED/; s/^customers: .*/customers: $n/" "$ws/stages/source.yaml"
  fi
  local s e
  s=$(date +%s)
  (cd "$ws" && "$BIN" run -j "$(nproc)" >/dev/null 2>"$ws/run.log") || { echo "$n customers: the pipeline failed; see $ws/run.log" >&2; exit 1; }
  e=$(date +%s)
  echo "$n customers: pipeline $((e - s)) s ($ws)" >&2
  echo "$ws"
}
SMALL="$(run 5000)"
BIG="$(run "$N")"
PYTHONPATH="$ROOT/bench" python3 - "$SMALL" "$BIG" "$N" <<'PY'
import csv, glob, os, sys
small, big, n = sys.argv[1], sys.argv[2], sys.argv[3]

from holdout_metrics import auc

def scores(ws, d):
    out = {}
    with open(f"{ws}/outputs/validate/{d}/holdout_scores_{d}.csv") as f:
        for r in csv.DictReader(f):
            out[r["customer_id"]] = (int(r["label"]), float(r["p"]))
    return out

truth = {}
truth_csv = next(p for p in (f"{small}/outputs/truth/truth.csv", f"{small}/outputs/sales_log/truth.csv") if os.path.exists(p))
with open(truth_csv) as f:
    for r in csv.DictReader(f):
        truth[(r["customer_id"], r["division"])] = float(r["p_true"])
print(f"| division | rows (same customers) | buyers | labels agree | trained on 5,000: AUC | trained on {int(n):,}: AUC | oracle AUC | gap at 5,000 | gap at {int(n):,} |")
print("|---|---|---|---|---|---|---|---|---|")
for path in sorted(glob.glob(f"{small}/outputs/validate/*/holdout_scores_*.csv")):
    d = os.path.basename(os.path.dirname(path))
    a, b = scores(small, d), scores(big, d)
    ids = sorted(set(a) & set(b))
    y = [a[i][0] for i in ids]
    if sum(y) < 50:
        continue
    agree = sum(a[i][0] == b[i][0] for i in ids) / len(ids)
    pa, pb = [a[i][1] for i in ids], [b[i][1] for i in ids]
    t = [truth.get((i, d), 0.0) for i in ids]
    sa, sb, so = auc(y, pa), auc(y, pb), auc(y, t)
    print(f"| {d} | {len(ids)} | {sum(y)} | {agree:.2%} | {sa:.3f} | {sb:.3f} | {so:.3f} | {so - sa:+.3f} | {so - sb:+.3f} |")
PY
