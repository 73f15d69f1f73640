#!/usr/bin/env bash
# Model quality against the truth (issue 11): for two generator seeds, the default pipeline from
# scratch, then per division with at least 50 holdout buyers, gosales' holdout AUC, lift@10 and
# Brier beside a fixed simple baseline's (LightGBM with library defaults on the same matrix,
# `baseline: true` in models.yaml) and the truth oracle's (`gosales gen-data --truth`: each customer's true probability
# of a purchase in the holdout window, the mean over 2,000 replays of the generator after the
# scoring cutoff), on exactly the same customers and realised labels.
#
#   bench/quality.sh [SEED ...]      (default: 42 7)
#   QUALITY_WS=/tmp/q bench/quality.sh 42   keeps the workspace in /tmp/q-42 and reuses it, so a
#                                           second run rebuilds only what a change made stale
#
# The oracle is the ceiling: a model above it beyond noise is leaking. "gap 95% CI" is a paired
# bootstrap of the AUC gap over customers (200 resamples): how precisely the holdout's buyers can
# measure it. A second table per seed sets gosales beside the history ceiling (`gen-data
# --history`): the oracle's probability averaged over what the sales history cannot tell (the
# hidden engagement, size and churn, inferred under the generator's law), the best any model of
# the log could score; the oracle's lead over it is what only hidden state buys. Takes ~2-4
# minutes a seed.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(42 7)
BIN="${GOSALES_BIN:-target/release/gosales}"
# Replays per customer for the oracle and the ceiling. Monte Carlo noise in a probability only
# lowers the AUC it scores: at 200 replays the oracle's AUC read 0.01-0.03 low in divisions of
# 1-3% prevalence (seed 42: CAMWorks 0.775, Scanning 0.910; at 4,000: 0.790, 0.938). 2,000 is
# within 0.008 of 4,000 (most divisions within 0.003) and takes ~30 s a seed.
REPLAYS="${QUALITY_REPLAYS:-2000}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
for seed in "${SEEDS[@]}"; do
  if [ -n "${QUALITY_WS:-}" ]; then WS="$QUALITY_WS-$seed"; mkdir -p "$WS"; else
    WS="$(mktemp -d /tmp/gosales-quality.XXXXXX)"; fi
  if [ ! -f "$WS/pipeline.yaml" ]; then
    cp -r "$ROOT/pipeline.yaml" "$ROOT/stages" "$WS/"
    sed -i "s/^seed: .*/seed: $seed/" "$WS/stages/source.yaml"
    # The fixed simple baseline (LightGBM with library defaults, same matrix), scored by validate.
    echo "baseline: true" >> "$WS/stages/models.yaml"
  fi
  (cd "$WS" && "$BIN" run -j "$(nproc)" >/dev/null 2>"$WS/run.log") || {
    echo "seed $seed: the pipeline failed; see $WS/run.log"; exit 1; }
  # The same generator settings as stages/source.yaml (gen-data's defaults), and the label
  # definition of stages/labels.yaml.
  window=$(awk '/^window_months:/ {print $2}' "$WS/stages/labels.yaml")
  (cd "$WS" && "$BIN" gen-data --seed "$seed" --out "$WS/gen" --truth "$WS/truth.csv" \
    --window-months "$window" --sku-map stages/sku_map.csv \
    --denylist stages/label_denylist_skus.csv --history --replays "$REPLAYS" 2>/dev/null)
  echo
  echo "seed $seed (holdout window: $window months after 2024-12-31)"
  PYTHONPATH="$ROOT/bench" python3 - "$WS" <<'PY'
import csv, glob, json, math, os, sys
ws = sys.argv[1]
truth, history = {}, {}
with open(f"{ws}/truth.csv") as f:
    for r in csv.DictReader(f):
        truth[(r["customer_id"], r["division"])] = float(r["p_true"])
        history[(r["customer_id"], r["division"])] = float(r["p_history"])

from holdout_metrics import auc

def lift10(y, p, ids):
    order = sorted(range(len(y)), key=lambda i: (-p[i], ids[i]))
    k = math.ceil(len(y) * 0.10)
    return (sum(y[i] for i in order[:k]) / k) / (sum(y) / len(y))

def brier(y, p):
    return sum((a - b) ** 2 for a, b in zip(p, y)) / len(y)

import random

def gap_interval(y, p, t, n=200):
    # Paired bootstrap of the oracle-minus-gosales AUC gap over customers (fixed seed): how
    # precisely this many buyers can measure a gap at all.
    rng = random.Random(0)
    gaps = []
    idx = range(len(y))
    while len(gaps) < n:
        s = [rng.choice(idx) for _ in idx]
        ys = [y[i] for i in s]
        if 0 < sum(ys) < len(ys):
            gaps.append(auc(ys, [t[i] for i in s]) - auc(ys, [p[i] for i in s]))
    gaps.sort()
    return gaps[int(0.025 * n)], gaps[int(0.975 * n) - 1]

ceiling = []
print("| division | buyers / rows | gosales AUC | baseline AUC | oracle AUC | gap | gap 95% CI | gosales lift@10 | baseline lift@10 | oracle lift@10 | ratio | gosales Brier | baseline Brier | oracle Brier |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for path in sorted(glob.glob(f"{ws}/outputs/validate/*/holdout_scores_*.csv")):
    d = os.path.basename(os.path.dirname(path))
    ids, y, p, b = [], [], [], []
    with open(path) as f:
        for r in csv.DictReader(f):
            ids.append(r["customer_id"]); y.append(int(r["label"])); p.append(float(r["p"]))
            b.append(float(r["p_baseline"]) if r.get("p_baseline") else None)
    if sum(y) < 50:
        continue
    t = [truth.get((i, d), 0.0) for i in ids]
    ga, oa = auc(y, p), auc(y, t)
    gl, ol = lift10(y, p, ids), lift10(y, t, ids)
    has_b = all(v is not None for v in b)
    ba = f"{auc(y, b):.3f}" if has_b else "n/a"
    bl = f"{lift10(y, b, ids):.2f}" if has_b else "n/a"
    bb = f"{brier(y, b):.4f}" if has_b else "n/a"
    lo, hi = gap_interval(y, p, t)
    print(f"| {d} | {sum(y)} / {len(y)} | {ga:.3f} | {ba} | {oa:.3f} | {oa - ga:+.3f} | {lo:+.3f} to {hi:+.3f} | {gl:.2f} | {bl} | {ol:.2f} | {gl / ol:.0%} | {brier(y, p):.4f} | {bb} | {brier(y, t):.4f} |")
    h = [history.get((i, d), 0.0) for i in ids]
    ha, hl = auc(y, h), lift10(y, h, ids)
    hlo, hhi = gap_interval(y, p, h)
    ceiling.append(f"| {d} | {ga:.3f} | {ha:.3f} | {oa:.3f} | {ha - ga:+.3f} | {hlo:+.3f} to {hhi:+.3f} | {oa - ha:+.3f} | {gl:.2f} | {hl:.2f} | {gl / hl:.0%} | {brier(y, p):.4f} | {brier(y, h):.4f} |")
# The history ceiling (gen-data --history): the best any model of the sales log could do, the
# oracle's probability averaged over the hidden traits and churn the history leaves uncertain.
print()
print("| division | gosales AUC | history-ceiling AUC | oracle AUC | gap to the ceiling | its 95% CI | what only hidden state adds | gosales lift@10 | ceiling lift@10 | ratio | gosales Brier | ceiling Brier |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(ceiling))
PY
  [ -n "${QUALITY_WS:-}" ] || rm -rf "$WS"
done
