"""A sales-log generator that is not gosales': other columns, other divisions, other dynamics.

Issue 11 was filed from a log of another generator; this one tests gosales the same way. Its
hidden process: each customer has a size, an engagement and an affinity per division; every
month it may churn (unseen), and each division fires with a logistic hazard of those traits,
the season, momentum (bought the division in the last two months) and cross effects (printers
pull print materials; design software pulls simulation and data management); design software
renews on its anniversary. Truth = P(net GP > 0 in the division in the holdout window | the
hidden state at the scoring cutoff), the mean of independent replays of the same process.

    python gen.py OUT_DIR [--seed 1] [--customers 5000] [--replays 1000] [--history]

writes OUT_DIR/sales_history.csv (the training log, from 2021-01-01, --years long),
OUT_DIR/sales_holdout.csv (the --holdout-months after it)
and OUT_DIR/truth.csv (customer, division, p_true for every customer with a line by the cutoff;
with --history also p_history, the history ceiling of ceiling.py).
"""
import argparse
import calendar
import csv
import os

import numpy as np

DIVS = ["Design Software", "Simulation Tools", "Data Management", "3D Printers",
        "Print Materials", "Services & Training"]
BASE = np.array([-4.3, -5.2, -5.4, -5.8, -5.0, -4.4])
SKUS = {
    "Design Software": [("DS-100", "Design Std seat", 900), ("DS-200", "Design Pro seat", 1500)],
    "Simulation Tools": [("SIM-10", "Sim Flow", 2200), ("SIM-20", "Sim Structure", 2600)],
    "Data Management": [("DM-5", "Vault Basic", 700), ("DM-9", "Vault Enterprise", 1900)],
    "3D Printers": [("PR-X1", "Printer X1", 4000), ("PR-X5", "Printer X5", 9000)],
    "Print Materials": [("MAT-R", "Resin 1L", 60), ("MAT-F", "Filament spool", 40),
                        ("MAT-P", "Powder kg", 90)],
    "Services & Training": [("SVC-TR", "Training day", 500), ("SVC-IM", "Implementation", 1200)],
}
N_HIST = 48  # months of the training log (2021-01 .. 2024-12 by default)
N_HOLD = 6   # months of the holdout after it


def month_date(m):
    return 2021 + m // 12, m % 12 + 1


# How likely each division is to be a new customer's first purchase, before its affinities.
ENTRY_MIX = np.array([3, 0.5, 0.5, 1, 0.3, 1.0])
SEASON = np.array([0.0, 0.0, 0.1, 0.0, 0.0, 0.2, -0.2, -0.3, 0.1, 0.0, 0.2, 0.4])


def step(rng, m, alive, e, u, z, q, last, ever, join, probs=None):
    """One month of the process for arrays of customers; returns the (N, D) purchase mask.

    With `probs` (a list), appends each division's probability of a purchase this month given
    the state after churn: ceiling.py's replays average those rather than the 0/1 draws."""
    n = alive.shape[0]
    known = join < m  # the join month's purchase is drawn separately
    alive &= ~(known & (rng.random(n) < q))
    logit = BASE[None, :] + 0.7 * e[:, None] + 0.8 * u + 0.35 * z[:, None] + SEASON[m % 12]
    logit = logit + 1.2 * ((m - last) <= 2)
    logit[:, 4] += 2.5 * ever[:, 3]
    logit[:, 1] += 1.0 * ever[:, 0]
    logit[:, 2] += 1.0 * ever[:, 0]
    p = 1 / (1 + np.exp(-logit))
    buy = rng.random(logit.shape) < p
    due = last[:, 0] == m - 12
    renew = due & (rng.random(n) < 0.75)
    buy[:, 0] |= renew
    buy &= (alive & known)[:, None]
    if probs is not None:
        p[:, 0] = np.where(due, 1 - (1 - p[:, 0]) * 0.25, p[:, 0])
        probs.append(p * (alive & known)[:, None])
    entry = join == m
    if entry.any():
        w = np.exp(1.5 * u[entry]) * ENTRY_MIX
        pick = (w.cumsum(1) / w.sum(1, keepdims=True) > rng.random(entry.sum())[:, None]).argmax(1)
        first = np.zeros((entry.sum(), len(DIVS)), bool)
        first[np.arange(entry.sum()), pick] = True
        buy[entry] = first
    return buy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--customers", type=int, default=5000)
    ap.add_argument("--replays", type=int, default=1000)
    ap.add_argument("--history", action="store_true",
                    help="also p_history: E[p_true | the sales history], by importance sampling")
    ap.add_argument("--draws", type=int, default=8000)
    ap.add_argument("--years", type=int, default=4, help="of the training log, from 2021")
    ap.add_argument("--holdout-months", type=int, default=6)
    ap.add_argument("--truth-months", type=int, default=None,
                    help="the label window the truth is for (default: the whole holdout)")
    a = ap.parse_args()
    global N_HIST, N_HOLD
    N_HIST, N_HOLD = 12 * a.years, a.holdout_months
    window = a.truth_months or N_HOLD
    rng = np.random.default_rng(a.seed)
    n, d = a.customers, len(DIVS)
    e = rng.normal(size=n)
    z = rng.normal(size=n)
    u = rng.normal(size=(n, d)) * 0.9 + 0.3 * e[:, None]
    q = 0.01 * np.exp(-0.6 * e)
    join = rng.integers(0, N_HIST + N_HOLD, size=n)
    alive = np.ones(n, bool)
    last = np.full((n, d), -100)
    ever = np.zeros((n, d), bool)
    events = []
    truth = None
    for m in range(N_HIST + N_HOLD):
        if m == N_HIST:
            truth = replay(a.replays, a.seed, alive, e, u, z, q, last, ever, join, window)
        buy = step(rng, m, alive, e, u, z, q, last, ever, join)
        last[buy] = m
        ever |= buy
        for c, k in zip(*np.nonzero(buy)):
            events.append((m, c, k))
    os.makedirs(a.out, exist_ok=True)
    qty = write_logs(a, rng, events, z)
    known = join < N_HIST
    hist = None
    if a.history:
        from ceiling import history_ceiling
        hist = history_ceiling(a.seed, known, join, events, qty, a.draws, N_HIST, window)
    with open(os.path.join(a.out, "truth_months.txt"), "w") as f:
        f.write(f"{window}\n")
    with open(os.path.join(a.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "division", "p_true"] + (["p_history"] if a.history else []))
        for c in np.nonzero(known)[0]:
            for k in range(d):
                extra = [f"{hist[c, k]:.6f}"] if a.history else []
                w.writerow([cid(c), DIVS[k], f"{truth[c, k]:.6f}"] + extra)


def replay(r, seed, alive, e, u, z, q, last, ever, join, window):
    """Mean over r independent futures of "bought the division in the next `window` months"."""
    hits = np.zeros(last.shape)
    for i in range(r):
        rr = np.random.default_rng([seed, 7919, i])
        al, la, ev = alive.copy(), last.copy(), ever.copy()
        got = np.zeros(last.shape, bool)
        for m in range(N_HIST, N_HIST + window):
            buy = step(rr, m, al, e, u, z, q, la, ev, join)
            la[buy] = m
            ev |= buy
            got |= buy
        hits += got
    return hits / r


def cid(c):
    return f"C-{10001 + c}"


def write_logs(a, rng, events, z):
    # A month's purchases of one customer share an invoice (a basket); a line of one SKU is
    # sometimes split in two; dates are day-first with days past 12, as a European ERP writes.
    by = {}
    for m, c, k in events:
        by.setdefault((m, c), []).append(k)
    rows = {True: [], False: []}
    qty_of = {}
    inv = 0
    for (m, c), ks in sorted(by.items()):
        y, mo = month_date(m)
        day = int(rng.integers(1, calendar.monthrange(y, mo)[1] + 1))
        inv += 1
        for k in ks:
            code, desc, price = SKUS[DIVS[k]][int(rng.integers(len(SKUS[DIVS[k]])))]
            qty = 1 + int(rng.poisson(np.exp(0.5 * z[c])))
            qty_of[(m, c, k)] = qty
            parts = [qty] if qty < 2 or rng.random() > 0.25 else [qty // 2, qty - qty // 2]
            for p in parts:
                gp = round(p * price * rng.uniform(0.25, 0.4), 2)
                rev = round(p * price * rng.uniform(0.95, 1.05), 2)
                rows[m < N_HIST].append([f"INV{y}-{inv:06d}", f"{day:02d}/{mo:02d}/{y}", cid(c),
                                         f"Company {10001 + c} Ltd", code, desc, DIVS[k], p,
                                         f"{rev:.2f}", f"{gp:.2f}"])
    head = ["Invoice Number", "Invoice Date", "Customer Number", "Customer Name", "Item Number",
            "Item Description", "Product Line", "Quantity", "Net Amount", "Gross Profit"]
    for train, name in [(True, "sales_history.csv"), (False, "sales_holdout.csv")]:
        with open(os.path.join(a.out, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(head)
            w.writerows(rows[train])
    return qty_of


if __name__ == "__main__":
    main()
