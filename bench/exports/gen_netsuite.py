# NetSuite transaction saved search (Main Line not filtered), Export - CSV
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s9_netsuite"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=19)
r = random.Random(14)
for c in custs: c["ent"] = f"CUST{1000 + c['idx']}"
hdr = ["Internal ID", "Date", "Type", "Document Number", "Name", "Memo", "Item", "Class", "Quantity", "Amount", "Status", "Created From"]
def us(d): return f"{d.month}/{d.day}/{d.year}"
truth = []
iid = 50000; docn = 0; cmn = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    end = dt.datetime.fromisoformat(b) + dt.timedelta(hours=23)
    for o in orders(custs, a, b, seed=101 if part == "log" else 102):
        c = o["cust"]; nm = f"{c['ent']} {c['name']}"
        typ = "Cash Sale" if r.random() < 0.1 else "Invoice"
        docs = [(typ, o["date"], o["lines"])]
        if r.random() < 0.06:
            cd = o["date"] + dt.timedelta(days=r.randrange(5, 30))
            if cd <= end:
                p, q, up = o["lines"][0]
                docs.append(("Credit Memo" if typ == "Invoice" else "Cash Refund", cd, [(p, q, up)]))
        for t, d, lines in docs:
            iid += 1
            if t in ("Invoice", "Cash Sale"):
                docn += 1; num = f"INV{docn:06d}" if t == "Invoice" else f"CS{docn:06d}"; status = "Paid In Full" if t == "Invoice" else "Deposited"
            else:
                cmn += 1; num = f"CM{cmn:05d}" if t == "Credit Memo" else f"CR{cmn:05d}"; status = "Fully Applied" if t == "Credit Memo" else ""
            sub = round(sum(q * up for p, q, up in lines), 2); ship = 0 if t in ("Credit Memo", "Cash Refund") else r.choice([0, 0, 25.0, 40.0]); tax = round(sub * 0.0725, 2)
            tot = round(sub + ship + tax, 2)
            rows.append([str(iid), us(d), t, num, nm, "", "", "", "", f"{tot:.2f}", status, ""])   # main line
            for p, q, up in lines:
                amt = round(q * up, 2)
                rows.append([str(iid), us(d), t, num, nm, "", f"{p['cat']} : {p['name']}", p["cat"], str(q), f"{amt:.2f}", status, ""])
                truth.append(dict(part=part, cust=nm, ent=c["ent"], name=c["name"], date=d.strftime("%Y-%m-%d"), product=f"{p['cat']} : {p['name']}", cat=p["cat"], value=amt if t in ("Invoice", "Cash Sale") else -amt))
            if ship:
                rows.append([str(iid), us(d), t, num, nm, "", "UPS Ground", "", "", f"{ship:.2f}", status, ""])
            rows.append([str(iid), us(d), t, num, nm, "Sales Tax", "CA-SAN FRANCISCO", "", "", f"{tax:.2f}", status, ""])
    rows.sort(key=lambda x: (dt.datetime.strptime(x[1], "%m/%d/%Y"), int(x[0])))
    tag = "2022-2024" if part == "log" else "2025H1"
    with open(f"{out}/TransactionSalesDetail{tag}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
