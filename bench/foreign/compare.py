"""gosales against a plain LightGBM and the truth, on a log gosales did not generate (issue 11).

    python compare.py DATA_DIR WORKSPACE

DATA_DIR is gen.py's output; WORKSPACE a `gosales init` workspace for its training log and
holdout, already run. The plain model is issue 11's yardstick: LightGBM with fixed
hyperparameters on simple per-division window features (GP and lines in the last 3/6/12/24
months and ever, days since the last and first purchase, the same over all divisions), trained
on gosales' own cutoffs with its label (net GP > 0 in the window after the cutoff, among
customers with a line on or before it). Every figure is on gosales' holdout rows: the same
customers and realised labels.
"""
import glob
import math
import os
import re
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from holdout_metrics import auc  # noqa: E402

data, ws = sys.argv[1], sys.argv[2]
log = pd.read_csv(f"{data}/sales_history.csv")
hold = pd.read_csv(f"{data}/sales_holdout.csv")
for t in (log, hold):
    t["date"] = pd.to_datetime(t["Invoice Date"], format="%d/%m/%Y")
    t.columns = [{"Customer Number": "cust", "Product Line": "div", "Gross Profit": "gp"}.get(c, c)
                 for c in t.columns]
divs = sorted(log["div"].unique())
pipe = open(f"{ws}/pipeline.yaml").read()
cutoffs = re.findall(r"\d{4}-\d{2}-\d{2}", re.search(r"cutoffs:.*", pipe).group(0))
window = int(re.search(r"window_months:\s*(\d+)", open(f"{ws}/stages/labels.yaml").read()).group(1))
score_cutoff = log["date"].max()
truth_months = int(open(f"{data}/truth_months.txt").read())
if truth_months != window:
    sys.exit(f"the truth is for {truth_months} months after the cutoff, gosales' label window "
             f"is {window}: regenerate with --truth-months {window}")


def features(c):
    seen = log[log["date"] <= c]
    custs = np.sort(seen["cust"].unique())
    out = pd.DataFrame(index=custs)
    days = (c - seen["date"]).dt.days
    for name, part in [("all", seen)] + [(d, seen[seen["div"] == d]) for d in divs]:
        dd = days.loc[part.index]
        for m in (3, 6, 12, 24, 999):
            w = part[dd < m * 30.44]
            out[f"{name}|gp{m}"] = w.groupby("cust")["gp"].sum()
            out[f"{name}|n{m}"] = w.groupby("cust").size()
        out[f"{name}|since_last"] = dd.groupby(part["cust"]).min()
        out[f"{name}|since_first"] = dd.groupby(part["cust"]).max()
    cnt = [c for c in out.columns if "|gp" in c or "|n" in c]
    out[cnt] = out[cnt].fillna(0)
    return out


def labels(c, src, end):
    w = src[(src["date"] > c) & (src["date"] <= end)]
    return w.groupby(["cust", "div"])["gp"].sum() > 0


def label_matrix(idx, lab):
    lab = lab[lab].reset_index()
    return {d: np.isin(idx, lab.loc[lab["div"] == d, "cust"]).astype(int) for d in divs}


train_x, train_y = [], {d: [] for d in divs}
for c in cutoffs:
    c = pd.Timestamp(c)
    x = features(c)
    y = label_matrix(x.index.values, labels(c, log, c + pd.DateOffset(months=window)))
    train_x.append(x)
    for d in divs:
        train_y[d].append(y[d])
X = pd.concat(train_x)
xs = features(score_cutoff)
ys = label_matrix(xs.index.values, labels(score_cutoff, hold, score_cutoff + pd.DateOffset(months=window)))
truth_file = pd.read_csv(f"{data}/truth.csv").set_index(["customer_id", "division"])
truth = truth_file["p_true"]
history = truth_file["p_history"] if "p_history" in truth_file else None
params = dict(objective="binary", learning_rate=0.05, num_leaves=15, min_data_in_leaf=40,
              feature_fraction=0.8, bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0,
              seed=0, verbose=-1, num_threads=2, deterministic=True)


def lift10(y, p, ids):
    order = sorted(range(len(y)), key=lambda i: (-p[i], ids[i]))
    k = math.ceil(len(y) * 0.10)
    return (sum(y[i] for i in order[:k]) / k) / (sum(y) / len(y))


print(f"cutoffs {cutoffs}, window {window} months, scoring {score_cutoff.date()}")
print("| division | buyers / rows | gosales model | gosales AUC | plain AUC | ceiling AUC | truth AUC | gosales gap to the ceiling | gosales lift@10 | plain lift@10 | ceiling lift@10 | truth lift@10 | gosales Brier | plain Brier | ceiling Brier |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
gaps = {"gosales": 0.0, "plain": 0.0, "gosales to ceiling": 0.0, "plain to ceiling": 0.0}
for d in divs:
    booster = lgb.train(params, lgb.Dataset(X, np.concatenate(train_y[d])), num_boost_round=300)
    plain = pd.Series(booster.predict(xs), index=xs.index)
    path = glob.glob(f"{ws}/outputs/validate/{d}/holdout_scores_*.csv")
    card = glob.glob(f"{ws}/outputs/validate/{d}/validation_metrics_*.json")
    if not path:
        print(f"| {d} | no gosales holdout scores |")
        continue
    g = pd.read_csv(path[0], dtype={"customer_id": str})
    model = re.search(r'"model":\s*"(\w+)"', open(card[0]).read()).group(1) if card else "?"
    ids = list(g["customer_id"])
    y = list(g["label"])
    mine = dict(zip(xs.index, ys[d]))
    agree = sum(mine.get(i, -1) == v for i, v in zip(ids, y))
    p = list(g["p"])
    b = [plain.get(i, 0.0) for i in ids]
    t = [truth.get((i, d), 0.0) for i in ids]
    h = [history.get((i, d), 0.0) for i in ids] if history is not None else None
    br = lambda q: sum((a - v) ** 2 for a, v in zip(q, y)) / len(y)
    ga, ba, ta = auc(y, p), auc(y, b), auc(y, t)
    ha = auc(y, h) if h else float("nan")
    gaps["gosales"] += ta - ga
    gaps["plain"] += ta - ba
    gaps["gosales to ceiling"] += ha - ga
    gaps["plain to ceiling"] += ha - ba
    hl = f"{lift10(y, h, ids):.2f}" if h else "n/a"
    hb = f"{br(h):.4f}" if h else "n/a"
    note = "" if agree == len(y) and len(y) == len(xs) else f" (labels agree {agree}/{len(y)}; plain population {len(xs)})"
    print(f"| {d} | {sum(y)} / {len(y)}{note} | {model} | {ga:.3f} | {ba:.3f} | {ha:.3f} | {ta:.3f} | {ha - ga:+.3f} | {lift10(y, p, ids):.2f} | {lift10(y, b, ids):.2f} | {hl} | {lift10(y, t, ids):.2f} | {br(p):.4f} | {br(b):.4f} | {hb} |")
print("\nsummed AUC gaps: " + ", ".join(f"{k} {v:.3f}" for k, v in gaps.items()))
