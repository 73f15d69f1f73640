# HubSpot CRM: Deals export + Line items export (two files, joined by deal Record ID <- Associated Deal IDs)
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s4_hub"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=24)
r = random.Random(6)
for c in custs: c["hid"] = str(5000000000 + c["idx"] * 137)
truth = []
did = 9100000000; lid = 3000000000
OPEN = ["Appointment scheduled", "Qualified to buy", "Presentation scheduled", "Decision maker bought-in", "Contract sent"]
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    deals = []; lines = []
    for o in orders(custs, a, b, seed=101 if part == "log" else 102):
        c = o["cust"]; did += r.randrange(1, 50)
        d = o["date"]
        stage = r.choices(["Closed won", "Closed lost"] + OPEN, [60, 25, 3, 3, 3, 3, 3])[0]
        created = d - dt.timedelta(days=r.randrange(5, 90))
        close = d
        if stage in OPEN:
            close = d + dt.timedelta(days=r.randrange(30, 200))  # expected close, maybe future
        tot = 0
        for p, q, up in o["lines"]:
            lid += r.randrange(1, 9)
            amt = round(q * up, 2); tot += amt
            lines.append([str(lid), p["name"], p["sku"], str(q), f"{up:.2f}", f"{amt:.2f}", created.strftime("%Y-%m-%d %H:%M"), str(did), p["cat"]])
            if stage == "Closed won":
                truth.append(dict(part=part, cust=c["name"], hid=c["hid"], date=close.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=amt))
        deals.append([str(did), f"{c['name']} - {p['cat']} {d.strftime('%b %Y')}", stage, close.strftime("%Y-%m-%d %H:%M"), r.choice(["Ann Lee", "Bob Stone", "Cy Park"]), f"{tot:.2f}", "Sales Pipeline", created.strftime("%Y-%m-%d %H:%M"), c["name"], c["hid"]])
    r.shuffle(lines)
    os.makedirs(f"{out}/{part}", exist_ok=True)
    with open(f"{out}/{part}/hubspot-crm-exports-all-deals.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount", "Pipeline", "Create Date", "Associated Company (Primary)", "Associated Company IDs (Primary)"]); w.writerows(deals)
    with open(f"{out}/{part}/hubspot-crm-exports-all-line-items.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["Record ID", "Name", "SKU", "Quantity", "Unit price", "Amount", "Create Date", "Associated Deal IDs", "Product category"]); w.writerows(lines)
    print(part, len(deals), len(lines))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
