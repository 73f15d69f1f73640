#!/usr/bin/env python3
"""LightGBM settings and row weights for issue 11, measured offline like bench/levers.py.

On a workspace `QUALITY_WS=/tmp/q bench/quality.sh 42` kept (/tmp/q-42), fits the replica of
bench/levers.py (15 leaves, 100 rows a leaf, learning rate 0.05, half the features a tree, 63
bins; rounds by early stopping on the last training cutoff, then refitted on every cutoff) with
one change at a time, and prints each division's holdout AUC and the summed gap to the history
ceiling. Variants: `base`; `lr02` (learning rate 0.02, 40 rounds of patience); `ps20`, `ps100`
(path_smooth); `mdl300` (300 rows a leaf); `l1` (lambda_l1 5); `bin15` (15 bins); `mcw`
(min_sum_hessian_in_leaf 5); `rec`, `rec5` (rows weighted 0.8 or 0.5 to the power of their
cutoff's age in cutoffs: do recent cutoffs teach more?).

    /tmp/venv/bin/python bench/lgbm_params.py /tmp/q-42 base,lr02,ps20,ps100,mdl300,l1,bin15,rec,rec5
"""
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

WS, VARS = sys.argv[1], sys.argv[2].split(",")
sys.argv = [sys.argv[0], WS, "none"]  # what bench/levers.py reads at import
sys.path.insert(0, __file__.rsplit("/", 1)[0])
import levers as lv  # noqa: E402

VAR = {
    "base": {},
    "lr02": {"learning_rate": 0.02},
    "ps20": {"path_smooth": 20.0},
    "ps100": {"path_smooth": 100.0},
    "mdl300": {"min_data_in_leaf": 300},
    "l1": {"lambda_l1": 5.0},
    "bin15": {"max_bin": 15},
    "mcw": {"min_sum_hessian_in_leaf": 5.0},
    "rec": {},
    "rec5": {},
}
WEIGHT = {"rec": 0.8, "rec5": 0.5}


def fit_score(X, y, cut, Xs, params, w):
    va = cut == lv.CUTOFFS[-1]
    bins = {"max_bin": params["max_bin"]}
    ds = lgb.Dataset(X[~va], y[~va], weight=None if w is None else w[~va], params=bins)
    dv = lgb.Dataset(X[va], y[va], reference=ds)
    patience = 15 if params["learning_rate"] >= 0.05 else 40
    b = lgb.train(params, ds, 5000, valid_sets=[dv],
                  callbacks=[lgb.early_stopping(patience, verbose=False)])
    model = lgb.train(params, lgb.Dataset(X, y, weight=w, params=bins), max(b.best_iteration, 10))
    return model.predict(Xs)


rows = []
for d in lv.DIVS:
    sc = lv.holdout(d)
    if sc is None:
        continue
    tr = lv.training(d)
    feats = [c for c in tr.columns if c not in ("customer_id", "label", "cut")]
    X, y, cut = tr[feats].fillna(0).values, tr.label.values, tr.cut.values
    Xs = sc.reindex(columns=feats, fill_value=0.0)[feats].values
    age = np.array([len(lv.CUTOFFS) - 1 - lv.CUTOFFS.index(c) for c in cut])
    row = {"division": d, "ceiling": roc_auc_score(sc.label, lv.ceiling(d, sc.customer_id)),
           "gosales": roc_auc_score(sc.label, sc.p)}
    for v in VARS:
        params = dict(lv.P, **VAR[v])
        w = WEIGHT[v] ** age if v in WEIGHT else None
        row[v] = roc_auc_score(sc.label, fit_score(X, y, cut, Xs, params, w))
    rows.append(row)
    print(row, flush=True)
df = pd.DataFrame(rows).set_index("division")
for v in ["gosales"] + VARS:
    df["gap " + v] = df.ceiling - df[v]
print(WS)
print(df.round(3).to_string())
print("summed gap to the ceiling:")
print(df[[c for c in df.columns if c.startswith("gap ")]].sum().round(3).to_string())
