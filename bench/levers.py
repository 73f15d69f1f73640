#!/usr/bin/env python3
"""Offline replicas of modelling levers for issue 11, on a workspace `bench/quality.sh` kept.

Reads the default pipeline's own feature matrices, labels and holdout scores
(QUALITY_WS=/tmp/q bench/quality.sh 42 leaves them in /tmp/q-42) and fits a plain LightGBM
replica of gosales' chosen configuration (15 leaves, 100 rows a leaf, learning rate 0.05, half
the features a tree, 63 bins; rounds chosen by early stopping on the last training cutoff, then
refitted on all five) with and without each lever. Prints each division's holdout AUC beside
gosales' and the history ceiling's, and the summed gap to the ceiling. A lever is worth building
into the pipeline only if it lowers the summed gap on both seeds beyond the replica's noise.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install lightgbm pandas pyarrow scikit-learn
    /tmp/venv/bin/python bench/levers.py /tmp/q-42 base,aux,te,season,pooled

Levers: `aux`, the out-of-fold score of a model of "bought anything in the window" (every
division's label, ten times the positives) as a feature; `te`, the division's purchase rate per
industry (empirically smoothed, out of fold by cutoff); `season`, the cutoff's calendar month
(windows after June and after December differ by the Q4 peak); `pooled`, one model over every
division's rows with the division as a categorical feature. Not part of CI (it needs the
packages above).
"""
import glob
import os
import sys
import warnings

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold

warnings.filterwarnings("ignore", category=pd.errors.PerformanceWarning)
WS = sys.argv[1]
VARIANTS = sys.argv[2].split(",") if len(sys.argv) > 2 else ["base", "aux", "te", "season"]
O = f"{WS}/outputs"
DIVS = sorted(os.listdir(f"{O}/features"))
CUTOFFS = sorted(os.listdir(f"{O}/features/{DIVS[0]}"))
TRUTH = pd.read_csv(f"{WS}/truth.csv", dtype={"customer_id": str})
P = dict(objective="binary", num_leaves=15, min_data_in_leaf=100, learning_rate=0.05,
         feature_fraction=0.5, max_bin=63, verbose=-1, seed=1, deterministic=True,
         num_threads=os.cpu_count())
LABELS = {(d, c): pd.read_parquet(f"{O}/labels/{d}/{c}/labels.parquet") for d in DIVS for c in CUTOFFS}


def ceiling(d, ids):
    h = TRUTH[TRUTH.division == d].set_index("customer_id").p_history
    return ids.map(h).fillna(0).values


def fit(X, y, rounds, cat="auto"):
    return lgb.train(P, lgb.Dataset(X, y, categorical_feature=cat), rounds)


def rounds_for(X, y, cut, cat="auto"):
    va = cut == CUTOFFS[-1]
    ds = lgb.Dataset(X[~va], y[~va], categorical_feature=cat)
    dv = lgb.Dataset(X[va], y[va], reference=ds)
    b = lgb.train(P, ds, 3000, valid_sets=[dv], callbacks=[lgb.early_stopping(15, verbose=False)])
    return max(b.best_iteration, 10)


def fit_score(X, y, cut, Xs):
    return fit(X, y, rounds_for(X, y, cut)).predict(Xs)


def holdout(d):
    hs = glob.glob(f"{O}/validate/{d}/holdout_scores_*.csv")
    if not hs:
        return None
    h = pd.read_csv(hs[0], dtype={"customer_id": str})
    if h.label.sum() < 50:
        return None
    s = pd.read_parquet(f"{O}/features_score/{d}/latest/features.parquet")
    return s.merge(h[["customer_id", "label", "p"]], on="customer_id")


def training(d):
    frames = []
    for c in CUTOFFS:
        f = pd.read_parquet(f"{O}/features/{d}/{c}/features.parquet")
        f = f.merge(LABELS[(d, c)][["customer_id", "label", "censored"]], on="customer_id")
        f = f[f.censored == 0].drop(columns="censored")
        f["cut"] = c
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def bought_anything(c):
    m = None
    for d in DIVS:
        l = LABELS[(d, c)].set_index("customer_id")["label"]
        m = l if m is None else m.combine(l, max, fill_value=0)
    return m


def per_division():
    rows = []
    anyl = {c: bought_anything(c) for c in CUTOFFS} if "aux" in VARIANTS else {}
    for d in DIVS:
        sc = holdout(d)
        if sc is None:
            continue
        tr = training(d)
        feats = [c for c in tr.columns if c not in ("customer_id", "label", "cut")]
        X, y, cut = tr[feats].fillna(0).values, tr.label.values, tr.cut.values
        Xs = sc.reindex(columns=feats, fill_value=0.0)[feats].values
        row = {"division": d, "buyers": int(sc.label.sum()),
               "ceiling": roc_auc_score(sc.label, ceiling(d, sc.customer_id)),
               "gosales": roc_auc_score(sc.label, sc.p)}
        if "base" in VARIANTS:
            row["base"] = roc_auc_score(sc.label, fit_score(X, y, cut, Xs))
        if "aux" in VARIANTS:
            ya = np.array([anyl[c].get(i, 0) for c, i in zip(cut, tr.customer_id)])
            n = rounds_for(X, ya, cut)
            oof = np.zeros(len(tr))
            ids = tr.customer_id.values
            uniq = np.unique(ids)
            for _, held in KFold(5, shuffle=True, random_state=0).split(uniq):
                m = np.isin(ids, uniq[held])
                oof[m] = fit(X[~m], ya[~m], n).predict(X[m])
            aux = fit(X, ya, n).predict(Xs)
            row["aux"] = roc_auc_score(sc.label, fit_score(np.column_stack([X, oof]), y, cut,
                                                           np.column_stack([Xs, aux])))
        if "te" in VARIANTS:
            cols = [c for c in feats if c.startswith("industry__is_")]
            ind = lambda a: np.where(a.max(1) > 0, a.argmax(1), -1)
            it, isc = ind(tr[cols].values), ind(sc.reindex(columns=cols, fill_value=0)[cols].values)
            prior, k = y.mean(), 50.0

            def rate(mask):
                g = pd.DataFrame({"i": it[mask], "y": y[mask]}).groupby("i").y.agg(["sum", "count"])
                return (g["sum"] + k * prior) / (g["count"] + k)
            te = np.zeros(len(tr))
            for c in CUTOFFS:
                m = cut == c
                te[m] = pd.Series(it[m]).map(rate(~m)).fillna(prior).values
            tes = pd.Series(isc).map(rate(np.ones(len(tr), bool))).fillna(prior).values
            row["te"] = roc_auc_score(sc.label, fit_score(np.column_stack([X, te]), y, cut,
                                                          np.column_stack([Xs, tes])))
        if "season" in VARIANTS:
            month = np.array([int(c[5:7]) for c in cut], dtype=float)
            row["season"] = roc_auc_score(sc.label, fit_score(
                np.column_stack([X, month]), y, cut, np.column_stack([Xs, np.full(len(Xs), 12.0)])))
        rows.append(row)
        print(row, flush=True)
    return pd.DataFrame(rows).set_index("division")


def pooled(df):
    trs, scs = [], []
    for k, d in enumerate(DIVS):
        tr = training(d)
        tr = tr.assign(div=k)
        trs.append(tr)
        if d in df.index:
            sc = holdout(d)
            sc = sc.assign(div=k)
            scs.append(sc)
    tr = pd.concat(trs, ignore_index=True).fillna(0.0)
    sc = pd.concat(scs, ignore_index=True)
    feats = [c for c in tr.columns if c not in ("customer_id", "label", "cut")]
    X = tr[feats]
    n = rounds_for(X, tr.label.values, tr.cut.values, ["div"])
    model = fit(X, tr.label.values, n, ["div"])
    sc["pooled"] = model.predict(sc.reindex(columns=feats, fill_value=0.0)[feats].fillna(0.0))
    return {d: roc_auc_score(s.label, s.pooled) for d, s in ((d, sc[sc["div"] == DIVS.index(d)]) for d in df.index)}


if __name__ == "__main__":
    df = per_division()
    if "pooled" in VARIANTS:
        df["pooled"] = pd.Series(pooled(df))
    for v in ["gosales"] + [v for v in ["base", "aux", "te", "season", "pooled"] if v in df]:
        df[f"gap {v}"] = df.ceiling - df[v]
    print(df.round(3).to_string())
    print("summed gap to the ceiling:")
    print(df[[c for c in df.columns if c.startswith("gap ")]].sum().round(3).to_string())
