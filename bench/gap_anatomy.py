#!/usr/bin/env python3
"""Where a division's gap to the truth oracle comes from (issue 11), on a workspace that ran the
default synthetic pipeline (e.g. one kept by `QUALITY_WS=/tmp/q bench/quality.sh 42`).

    bench/gap_anatomy.py WORKSPACE DIVISION

The oracle knows two things no history shows: whether a customer has already churned (its
probability is then 0), and each living customer's latent engagement and size. This prints the
holdout AUC of the model and of the oracle; the model's AUC if it were told who can still buy
(its score times "oracle > 0"); both AUCs among the customers who can; and, by days of silence
before the scoring cutoff, the realised buyer rate, the oracle's mean and the model's mean."""
import csv
import datetime
import os
import statistics
import sys

from holdout_metrics import auc

ws, division = sys.argv[1], sys.argv[2]
cutoff = datetime.date(2024, 12, 31)


def parse_day(s):
    s = s.strip()
    if "/" in s:
        m, d, y = s.split()[0].split("/")
        return datetime.date(int(y), int(m), int(d))
    return datetime.date.fromisoformat(s[:10])


last = {}
with open(f"{ws}/outputs/sales_log/Sales_Log.csv", newline="") as f:
    for r in csv.DictReader(f):
        try:
            cid = str(int(float(r["CustomerId"])))
            day = parse_day(r["Rec Date"])
        except ValueError:
            continue  # the generator's dirty rows: blank ids, impossible dates
        if day <= cutoff:
            last[cid] = max(last.get(cid, day), day)
truth = {}
# The `truth` node publishes it (outputs/truth/); workspaces built before it was a node of
# its own hold it under the source's folder.
truth_csv = next(
    p
    for p in (f"{ws}/outputs/truth/truth.csv", f"{ws}/outputs/sales_log/truth.csv")
    if os.path.exists(p)
)
with open(truth_csv, newline="") as f:
    for r in csv.DictReader(f):
        if r["division"] == division:
            truth[r["customer_id"]] = float(r["p_true"])
rows = []
path = f"{ws}/outputs/validate/{division}/holdout_scores_{division}.csv"
with open(path, newline="") as f:
    for r in csv.DictReader(f):
        c = r["customer_id"]
        silent = (cutoff - last[c]).days if c in last else 10_000
        rows.append((int(r["label"]), float(r["p"]), truth.get(c, 0.0), silent))
y = [r[0] for r in rows]
print(f"{division}: {len(rows)} customers, {sum(y)} buyers")
print(f"  AUC: model {auc(y, [r[1] for r in rows]):.3f}, oracle {auc(y, [r[2] for r in rows]):.3f}")
print(f"  model told who can still buy: {auc(y, [r[1] * (r[2] > 0) for r in rows]):.3f}")
able = [r for r in rows if r[2] > 0]
ya = [r[0] for r in able]
print(
    f"  among the {len(able)} who can ({sum(ya)} buyers): model {auc(ya, [r[1] for r in able]):.3f},"
    f" oracle {auc(ya, [r[2] for r in able]):.3f}"
)
print("  | days silent | customers | bought | oracle mean | model mean | oracle = 0 |")
print("  |---|---|---|---|---|---|")
for lo, hi in [(0, 90), (90, 180), (180, 365), (365, 450), (450, 730), (730, 900), (900, 10_001)]:
    b = [r for r in rows if lo <= r[3] < hi]
    if b:
        print(
            f"  | {lo}-{hi if hi < 10_000 else ''} | {len(b)} | {statistics.mean(r[0] for r in b):.3f} |"
            f" {statistics.mean(r[2] for r in b):.3f} | {statistics.mean(r[1] for r in b):.3f} |"
            f" {sum(1 for r in b if r[2] == 0)} |"
        )
