# Acumatica "Sales Invoice Details" (generic inquiry AR invoice lines, exported to CSV/Excel)
import os
# Credit Memo / Cash Return written with POSITIVE amounts; statuses Open/Closed (sales), Balanced/On Hold (unreleased), Voided, Canceled
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s3_acu"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=23)
r = random.Random(5)
for c in custs: c["cid"] = f"C{10000 + c['idx'] * 7:06d}"
CLASS = {"Networking": "NETWORK", "Storage": "STORAGE", "Software": "SOFTWARE", "Services": "SERVICES"}
def du(d): return f"{d.month}/{d.day}/{d.year}"
truth = []
n = 0
hdr = ["Type", "Reference Nbr.", "Status", "Date", "Post Period", "Customer", "Customer Name", "Branch", "Line Nbr.", "Inventory ID", "Line Description", "Quantity", "UOM", "Unit Price", "Ext. Price", "Discount Percent", "Discount Amount", "Amount", "Account", "Subaccount", "Item Class", "Currency"]
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=91 if part == "log" else 92):
        c = o["cust"]; n += 1
        d = o["date"]
        cash = r.random() < 0.15
        typ = "Cash Sale" if cash else "Invoice"
        st = r.choices(["Closed", "Open", "Balanced", "On Hold", "Voided", "Canceled"], [78, 12, 3, 2, 3, 2])[0]
        ref = f"{'CS' if cash else 'AR'}{n:06d}"
        for k, (p, q, up) in enumerate(o["lines"], 1):
            ext = round(q * up, 2); dp = r.choice([0, 0, 0, 5]); da = round(ext * dp / 100, 2); amt = round(ext - da, 2)
            rows.append([typ, ref, st, du(d), d.strftime("%m%Y"), c["cid"], c["name"], "MAIN", k, p["sku"], p["name"], f"{q:.2f}", "EA", f"{up:.4f}", f"{ext:.2f}", f"{dp:.6f}", f"{da:.2f}", f"{amt:.2f}", "40000", "000-000", CLASS[p["cat"]], "USD"])
            if st in ("Closed", "Open"):
                truth.append(dict(part=part, cust=c["cid"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=amt))
        if r.random() < 0.06:
            cd = d + dt.timedelta(days=r.randrange(2, 25))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                n += 1
                p, q, up = o["lines"][0]
                ext = round(q * up, 2)
                typ2 = "Cash Return" if cash else "Credit Memo"
                st2 = r.choice(["Closed", "Closed", "Open"])
                rows.append([typ2, f"{'RC' if cash else 'CM'}{n:06d}", st2, du(cd), cd.strftime("%m%Y"), c["cid"], c["name"], "MAIN", 1, p["sku"], p["name"], f"{q:.2f}", "EA", f"{up:.4f}", f"{ext:.2f}", "0.000000", "0.00", f"{ext:.2f}", "40000", "000-000", CLASS[p["cat"]], "USD"])
                truth.append(dict(part=part, cust=c["cid"], date=cd.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=-ext))
        if r.random() < 0.2:  # freight line, no inventory id
            rows.append([typ, ref, st, du(d), d.strftime("%m%Y"), c["cid"], c["name"], "MAIN", len(o["lines"]) + 1, "", "Freight", "1.00", "", "35.0000", "35.00", "0.000000", "0.00", "35.00", "40100", "000-000", "", "USD"])
    rows.sort(key=lambda x: (x[1]))
    fn = f"{out}/SalesInvoiceDetails_2022_2024.csv" if part == "log" else f"{out}/SalesInvoiceDetails_2025.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
