# QuickBooks Desktop "Sales by Customer Detail" exported to CSV: customer in column 1, its jobs in column 2 (own column),
import os
# each with a "Total <name>" row; Item written "Parent:Sub" (QB sub-items); Name column = "Customer:Job"
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s1b_qbdc"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=21)
r = random.Random(3)
for c in custs: c["jobs"] = [None] if r.random() < 0.7 else ["Main Office", "Warehouse"]
def money(x): return ("-" if x < 0 else "") + f"{abs(x):,.2f}"
truth = []
num = 7000
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    tx = []
    for o in orders(custs, a, b, seed=71 if part == "log" else 72):
        c = o["cust"]; num += 1; job = r.choice(c["jobs"]); d = o["date"]
        typ = "Invoice" if r.random() < 0.8 else "Sales Receipt"
        for p, q, up in o["lines"]:
            amt = round(q * up, 2)
            tx.append((c["name"], job, typ, d, str(num), p["name"], f"{p['cat']}:{p['name']}", q, up, amt))
            truth.append(dict(part=part, cust=c["name"], date=d.strftime("%Y-%m-%d"), product=f"{p['cat']}:{p['name']}", cat=p["cat"], value=amt))
        if r.random() < 0.05:
            cd = d + dt.timedelta(days=r.randrange(2, 20))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                num += 1; p, q, up = o["lines"][0]; amt = -round(q * up, 2)
                tx.append((c["name"], job, "Credit Memo", cd, str(num), p["name"], f"{p['cat']}:{p['name']}", -q, up, amt))
                truth.append(dict(part=part, cust=c["name"], date=cd.strftime("%Y-%m-%d"), product=f"{p['cat']}:{p['name']}", cat=p["cat"], value=amt))
    rows = [["", "", "", "Type", "Date", "Num", "Memo", "Name", "Item", "Qty", "Sales Price", "Amount", "Balance"]]
    for cn in sorted(set(t[0] for t in tx)):
        ct = [t for t in tx if t[0] == cn]
        rows.append([cn] + [""] * 12)
        jobs = sorted(set(t[1] for t in ct), key=lambda j: (j is not None, j or ""))
        for j in jobs:
            jt = sorted([t for t in ct if t[1] == j], key=lambda t: (t[3], t[4]))
            if j: rows.append(["", j] + [""] * 11)
            bal = 0
            for t in jt:
                bal = round(bal + t[9], 2)
                rows.append(["", "", "", t[2], t[3].strftime("%m/%d/%Y"), t[4], t[5], cn + (":" + j if j else ""), t[6], str(t[7]), f"{t[8]:,.2f}", money(t[9]), money(bal)])
            if j: rows.append(["", "Total " + j] + [""] * 9 + [money(bal), money(bal)])
        tot = round(sum(t[9] for t in ct), 2)
        rows.append(["Total " + cn] + [""] * 10 + [money(tot), money(tot)])
    rows.append(["TOTAL"] + [""] * 10 + [money(round(sum(t[9] for t in tx), 2))] * 2)
    fn = f"{out}/sales_by_customer_detail_2022-2024.csv" if part == "log" else f"{out}/sales_by_customer_detail_2025H1.csv"
    with open(fn, "w", newline="") as f: csv.writer(f).writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
