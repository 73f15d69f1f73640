# A hand-kept Google Sheets / Excel log downloaded as CSV: d-mmm-yy dates, accounting-format money,
import os
# credits in parentheses, a TOTAL row and notes rows at the bottom, a title row on top.
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s11_sheets"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=21)
r = random.Random(16)
def acct(x):
    if abs(x) < 0.005: return " $ -   "
    s = f"{abs(x):,.2f}"
    return f" $ ({s})" if x < 0 else f" $ {s} "
def dmy(d): return f"{d.day}-{d.strftime('%b')}-{d.strftime('%y')}"
hdr = ["Date", "Invoice #", "Customer #", "Customer", "Product", "Category", "Qty", "Unit Price", "Amount", "Cost", "Profit", "Rep", "Notes"]
truth = []; inv = 3000
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = [["Acme Reseller - Sales Log " + ("2022-2024" if part == "log" else "2025 H1")] + [""] * 12, [""] * 13, hdr]
    tot = [0, 0, 0]
    for o in orders(custs, a, b, seed=121 if part == "log" else 122):
        c = o["cust"]; inv += 1
        for p, q, up in o["lines"]:
            amt = round(q * up, 2); cost = round(amt * r.uniform(0.55, 0.85), 2); gp = round(amt - cost, 2)
            credit = r.random() < 0.03
            if credit: q, amt, cost, gp = -q, -amt, -cost, -gp
            rows.append([dmy(o["date"]), f"INV-{inv}", f"C{c['idx']+1:04d}", c["name"], p["name"], p["cat"], str(q), acct(up), acct(amt), acct(cost), acct(gp), r.choice(["JS", "MK", "AL"]), "credit - damaged" if credit else ""])
            tot[0] += amt; tot[1] += cost; tot[2] += gp
            truth.append(dict(part=part, cust=f"C{c['idx']+1:04d}", name=c["name"], date=o["date"].strftime("%Y-%m-%d"), product=p["name"], cat=p["cat"], value=gp, revenue=amt))
    rows += [[""] * 13, ["TOTAL", "", "", "", "", "", "", "", acct(tot[0]), acct(tot[1]), acct(tot[2]), "", ""], [""] * 13,
             ["Notes: profit per line = Amount - Cost (landed). Credits shown in brackets."] + [""] * 12,
             ["Last updated 3-Jan-25 by MK"] + [""] * 12]
    tag = "2022-2024" if part == "log" else "2025H1"
    with open(f"{out}/Sales Log {tag} - Sheet1.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
