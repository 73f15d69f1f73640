# QuickBooks Desktop "Sales by Item Detail" report, exported to CSV (Export > CSV file)
import os
# Item type sections > parent item > sub-item, Type/Date/Num/Memo/Name/Qty/Sales Price/Amount/Balance
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s1_qbd"
os.makedirs(out, exist_ok=True)
TITLE = len(sys.argv) > 1 and sys.argv[1] == "title"
custs = customers(300, seed=21)
r = random.Random(3)
for c in custs:
    c["qb"] = c["name"]
    c["jobs"] = [None] if r.random() < 0.7 else ["Main Office", "Warehouse"]
ITYPE = {"Networking": "Inventory", "Storage": "Inventory", "Software": "Non-inventory Part", "Services": "Service"}
def money(x):
    s = f"{abs(x):,.2f}"
    return ("-" if x < 0 else "") + s
truth = []
num = 7000
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    tx = []  # (itype, parent, sub, type, date, num, memo, name, qty, price, amount)
    for o in orders(custs, a, b, seed=71 if part == "log" else 72):
        c = o["cust"]; num += 1
        job = r.choice(c["jobs"])
        name = c["qb"] + (":" + job if job else "")
        typ = "Invoice" if r.random() < 0.8 else "Sales Receipt"
        d = o["date"]
        for p, q, up in o["lines"]:
            amt = round(q * up, 2)
            tx.append((ITYPE[p["cat"]], p["cat"], p["name"], typ, d, str(num), p["name"], name, q, up, amt))
            truth.append(dict(part=part, cust=c["qb"], date=d.strftime("%Y-%m-%d"), product=p["name"], cat=p["cat"], value=amt))
        if r.random() < 0.15:  # freight
            tx.append(("Other Charge", None, "Freight", typ, d, str(num), "Freight", name, "", 25.0, 25.0))
        if r.random() < 0.1:  # discount
            disc = -round(sum(q * up for p, q, up in o["lines"]) * 0.05, 2)
            tx.append(("Discount", None, "Disc 5%", typ, d, str(num), "5% discount", name, "", "-5.0%", disc))
        if r.random() < 0.05:  # credit memo
            cd = d + dt.timedelta(days=r.randrange(2, 20))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                num += 1
                p, q, up = o["lines"][0]
                amt = -round(q * up, 2)
                tx.append((ITYPE[p["cat"]], p["cat"], p["name"], "Credit Memo", cd, str(num), p["name"], name, -q, up, amt))
                truth.append(dict(part=part, cust=c["qb"], date=cd.strftime("%Y-%m-%d"), product=p["name"], cat=p["cat"], value=amt))
    rows = []
    hdr = ["", "", "", "", "Type", "Date", "Num", "Memo", "Name", "Qty", "Sales Price", "Amount", "Balance"]
    if TITLE:
        rows += [["Rock Castle Networks"] + [""] * 12, ["Sales by Item Detail"] + [""] * 12,
                 [("January 2022 through December 2024" if part == "log" else "January through June 2025")] + [""] * 12]
    rows.append(hdr)
    order = ["Inventory", "Non-inventory Part", "Service", "Other Charge", "Discount"]
    for it in order:
        its = [t for t in tx if t[0] == it]
        if not its: continue
        rows.append([it] + [""] * 12)
        tot_it_q = 0; tot_it_a = 0
        parents = sorted(set(t[1] for t in its), key=lambda x: (x is None, x))
        for par in parents:
            pts = [t for t in its if t[1] == par]
            if par: rows.append(["", par] + [""] * 11)
            for sub in sorted(set(t[2] for t in pts)):
                sts = sorted([t for t in pts if t[2] == sub], key=lambda t: (t[4], t[5]))
                lvl = 2 if par else 1
                pre = [""] * lvl + [sub] + [""] * (3 - lvl)
                rows.append(pre + [""] * 9)
                bal = 0; tq = 0
                for t in sts:
                    bal = round(bal + t[10], 2)
                    if t[8] != "": tq += t[8]
                    rows.append(["", "", "", "", t[3], t[4].strftime("%m/%d/%Y"), t[5], t[6], t[7], str(t[8]), (f"{t[9]:,.2f}" if isinstance(t[9], float) else t[9]), money(t[10]), money(bal)])
                pre = [""] * lvl + ["Total " + sub] + [""] * (3 - lvl)
                rows.append(pre + ["", "", "", "", "", str(tq) if tq else "", "", money(bal), money(bal)])
                tot_it_a += bal
            if par:
                pa = round(sum(t[10] for t in pts), 2)
                rows.append(["", "Total " + par] + [""] * 9 + [money(pa), money(pa)])
        rows.append(["Total " + it] + [""] * 10 + [money(round(tot_it_a, 2)), money(round(tot_it_a, 2))])
    grand = round(sum(t[10] for t in tx), 2)
    rows.append(["TOTAL"] + [""] * 10 + [money(grand), money(grand)])
    fn = f"{out}/sales_by_item_detail_2022-2024.csv" if part == "log" else f"{out}/sales_by_item_detail_2025H1.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL); w.writerows(rows)
    print(part, len(rows), len(tx))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
