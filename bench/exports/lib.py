"""Common helpers for gosales shape trials.

Truth files: CSV with columns part (log/holdout), cust (key gosales should use),
date (YYYY-MM-DD), product, value (float, 2dp).
"""
import os, sys, json, subprocess, random, datetime as dt
import numpy as np
import pandas as pd

# The binary and the folder the exports and workspaces go to: set by bench/exports.sh.
G = os.environ.get("GOSALES_BIN", "gosales")
ROOT = os.environ.get("EXPORTS_DIR", os.getcwd())

CATS = {
    "Networking": ["Switch 24P", "Router AX", "Access Point", "Patch Cable", "Firewall X1"],
    "Storage": ["NAS 4-Bay", "SSD 2TB", "HDD 8TB", "Backup License"],
    "Software": ["Office Suite", "Antivirus Pro", "CRM Seat", "Backup Cloud"],
    "Services": ["Install Hour", "Support Plan", "Onsite Visit"],
}
PRODUCTS = []
for cat, items in CATS.items():
    for i, it in enumerate(items):
        sku = cat[:3].upper() + "-" + f"{100 + i * 7}"
        price = round(random.Random(it).uniform(15, 900), 2)
        PRODUCTS.append(dict(cat=cat, name=it, sku=sku, price=price))

FIRST = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
         "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Gringotts", "Oceanic", "Monarch",
         "Sterling", "Pied Piper", "Dunder", "Prestige", "Massive"]
SUFFIX = ["Inc", "LLC", "Ltd", "Corp", "Group", "Partners", "Co", "Holdings", "Systems", "Labs",
          "Works", "Traders", "Supply", "Dynamics", "Solutions"]


def customers(n=300, seed=1):
    r = random.Random(seed)
    out = []
    names = set()
    for i in range(n):
        while True:
            nm = f"{r.choice(FIRST)} {r.choice(['North','South','East','West','Blue','Red','Prime','Metro','Alpha','Delta','Apex','Summit'])} {r.choice(SUFFIX)}"
            if nm not in names:
                names.add(nm)
                break
        slug = nm.lower().replace(" ", "")
        out.append(dict(idx=i, name=nm, email=f"buyer{i}@{slug[:12]}.com",
                        activity=r.uniform(0.2, 3.0), pref=r.sample(list(CATS), 2)))
    return out


def orders(custs, start, end, seed, per_cust_year=4.0, max_lines=4):
    """Yield orders: dict(cust, date(datetime), lines=[(product, qty, unit_price)])."""
    r = random.Random(seed)
    d0 = dt.datetime.fromisoformat(start)
    d1 = dt.datetime.fromisoformat(end)
    span_days = (d1 - d0).days + 1
    years = span_days / 365.0
    out = []
    for c in custs:
        k = np.random.default_rng(seed * 1000 + c["idx"]).poisson(c["activity"] * per_cust_year * years)
        for _ in range(k):
            day = d0 + dt.timedelta(days=r.randrange(span_days), seconds=r.randrange(8 * 3600, 20 * 3600))
            nl = r.choice([1, 1, 1, 2, 2, 3, max_lines])
            lines = []
            used = set()
            for _ in range(nl):
                if r.random() < 0.7:
                    cat = r.choice(c["pref"])
                else:
                    cat = r.choice(list(CATS))
                cands = [p for p in PRODUCTS if p["cat"] == cat and p["sku"] not in used]
                if not cands:
                    continue
                p = r.choice(cands)
                used.add(p["sku"])
                q = r.choice([1, 1, 1, 2, 3, 5, 10])
                up = round(p["price"] * r.uniform(0.9, 1.1), 2)
                lines.append((p, q, up))
            out.append(dict(cust=c, date=day, lines=lines))
    out.sort(key=lambda o: o["date"])
    return out


def sh(cmd, timeout=600):
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def run_trial(name, log, holdout=None, extra=""):
    ws = f"{ROOT}/ws_{name}"
    cmd = f"{G} init {ws} --sales-log '{log}' --force {extra}"
    if holdout:
        cmd += f" --holdout '{holdout}'"
    rc, out, err = sh(cmd)
    print("$", cmd)
    print(out)
    print(err)
    with open(f"{ROOT}/{name}.init.txt", "w") as f:
        f.write(out + "\n---stderr---\n" + err)
    if rc != 0:
        print("INIT EXIT", rc)
        return None
    rc, out, err = sh(f"{G} -C {ws} run")
    with open(f"{ROOT}/{name}.run.txt", "w") as f:
        f.write(out + "\n---stderr---\n" + err)
    tail = (out + err).splitlines()
    print("\n".join([l for l in tail if "warn" in l.lower() or "fail" in l.lower() or "done" in l.lower() or "error" in l.lower() or "×" in l][:40]))
    print("RUN EXIT", rc)
    return ws


def compare(ws, truth, part="log", key="cust", star="star", show=8):
    t = truth[truth.part == part].copy()
    path = f"{ws}/outputs/{star}/fact_transactions.parquet"
    if not os.path.exists(path):
        print("NO", path)
        return
    f = pd.read_parquet(path)
    print(f"== {part} ({star}) facts {len(f)} vs truth lines {len(t)}; value {f.gross_profit.sum():,.2f} vs {t.value.sum():,.2f}; diff {f.gross_profit.sum()-t.value.sum():,.2f}")
    f["d"] = pd.to_datetime(f.order_date).dt.strftime("%Y-%m-%d")
    print("   star dates", f.d.min(), f.d.max(), " truth", t.date.min(), t.date.max())
    fc = f.groupby(f.customer_id.astype(str)).gross_profit.sum().round(2)
    tc = t.groupby(t[key].astype(str)).value.sum().round(2)
    print(f"   customers star {len(fc)} truth {len(tc)}; ids in star not truth: {len(set(fc.index)-set(tc.index))} e.g. {list(set(fc.index)-set(tc.index))[:3]}")
    j = pd.concat([fc.rename("star"), tc.rename("truth")], axis=1).fillna(0)
    j["diff"] = (j.star - j.truth).round(2)
    bad = j[j["diff"].abs() > 0.005]
    print(f"   customers with value mismatch: {len(bad)}")
    if len(bad):
        print(bad.head(show).to_string())
    # per (cust,date,product)
    fk = f.groupby([f.customer_id.astype(str), "d", f.product_sku.astype(str)]).gross_profit.sum().round(2)
    tk = t.groupby([t[key].astype(str), "date", t["product"].astype(str)]).value.sum().round(2)
    jk = pd.concat([fk.rename("star"), tk.rename("truth")], axis=1).fillna(0)
    jk["diff"] = (jk.star - jk.truth).round(2)
    badk = jk[jk["diff"].abs() > 0.005]
    print(f"   (cust,date,product) keys star {len(fk)} truth {len(tk)} mismatched {len(badk)}")
    if len(badk):
        print(badk.head(show).to_string())
    print("   products star:", sorted(f.product_sku.astype(str).unique())[:30])
    if "product_division" in f:
        print("   divisions:", f.groupby("product_division").size().to_dict())
    return f


def violations(ws, n=15):
    p = f"{ws}/outputs/qa/violations.csv"
    if os.path.exists(p):
        v = pd.read_csv(p)
        print("violations by rule:", v.groupby(["rule", "severity"]).size().to_dict())
        return v
