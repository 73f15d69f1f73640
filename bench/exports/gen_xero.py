# Xero "Receivable Invoice Detail" report exported to CSV/Excel: title lines, grouped by Contact,
import os
# "Total <contact>" rows, dates "3 Jan 2023", Source Receivable Invoice / Receivable Credit Note (negative),
# Net = line value excl. tax, a grand Total row.
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
GROUPED = not (len(sys.argv) > 1 and sys.argv[1] == "flat")
out = ROOT + ("/s2_xero" if GROUPED else "/s2_xero_flat")
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=22)
r = random.Random(4)
def dx(d): return f"{d.day} {d.strftime('%b %Y')}"
def m(x): return f"{x:,.2f}"
truth = []
n = 0; cn = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    tx = []
    for o in orders(custs, a, b, seed=81 if part == "log" else 82):
        c = o["cust"]; n += 1
        d = o["date"]
        st = r.choices(["Paid", "Awaiting Payment", "Voided"], [85, 12, 3])[0]
        for p, q, up in o["lines"]:
            disc = r.choice([0, 0, 0, 5, 10])
            net = round(q * up * (1 - disc / 100), 2)
            tax = round(net * 0.1, 2)
            tx.append([c["name"], dx(d), f"INV-{n:05d}", f"PO {r.randrange(1000,9999)}", "Receivable Invoice", p["name"], p["sku"], f"{q:.2f}", m(up), (f"{disc:.2f}%" if disc else ""), m(net), m(tax), m(net + tax), f"200 - Sales - {p['cat']}", st, d])
            if st != "Voided":
                truth.append(dict(part=part, cust=c["name"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=net))
        if r.random() < 0.05:
            cd = d + dt.timedelta(days=r.randrange(2, 20))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                cn += 1
                p, q, up = o["lines"][0]
                net = -round(q * up, 2); tax = round(net * 0.1, 2)
                tx.append([c["name"], dx(cd), f"CN-{cn:04d}", f"INV-{n:05d}", "Receivable Credit Note", p["name"], p["sku"], f"{-q:.2f}", m(up), "", m(net), m(tax), m(net + tax), f"200 - Sales - {p['cat']}", "Paid", cd])
                truth.append(dict(part=part, cust=c["name"], date=cd.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=net))
    hdr = ["Invoice Date", "Invoice Number", "Reference", "Source", "Description", "Item Code", "Quantity", "Unit Price", "Discount", "Net", "Tax", "Gross", "Account", "Invoice Status"]
    period = "For the period 1 January 2022 to 31 December 2024" if part == "log" else "For the period 1 January 2025 to 30 June 2025"
    rows = [["Receivable Invoice Detail"], ["Demo Company (AU)"], [period], []]
    if GROUPED:
        rows.append([""] + hdr)
        for cname in sorted(set(t[0] for t in tx)):
            ts = sorted([t for t in tx if t[0] == cname], key=lambda t: t[-1])
            rows.append([cname])
            for t in ts: rows.append([""] + t[1:-1])
            net = sum(float(t[10].replace(",", "")) for t in ts if t[14] != "Voided")
            rows.append([f"Total {cname}", "", "", "", "", "", "", "", "", "", m(net), "", "", "", ""])
        rows.append(["Total", "", "", "", "", "", "", "", "", "", m(sum(float(t[10].replace(",", "")) for t in tx if t[14] != "Voided")), "", "", "", ""])
    else:
        rows.append(["Contact"] + hdr)
        for t in sorted(tx, key=lambda t: t[-1]): rows.append(t[:-1])
        rows.append(["Total", "", "", "", "", "", "", "", "", "", m(sum(float(t[10].replace(",", "")) for t in tx if t[14] != "Voided")), "", "", "", ""])
    fn = f"{out}/Receivable_Invoice_Detail_2022-2024.csv" if part == "log" else f"{out}/Receivable_Invoice_Detail_2025.csv"
    with open(fn, "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
