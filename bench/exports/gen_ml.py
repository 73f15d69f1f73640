# An ERP invoice-lines export with a multi-line quoted address field (CRLF inside quotes), order fields on first line only
import os
# (like Shopify / Odoo "export" with one2many lines), a title line above the header.
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
# `dup`: twenty customers share another's name (told apart by their `Customer Account`).
DUP = len(sys.argv) > 1 and sys.argv[1] == "dup"
out = ROOT + ("/s11_ml_dup" if DUP else "/s11_ml")
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=32)
r = random.Random(14)
for c in custs:
    c["acc"] = f"ACC{c['idx']:04d}"
    c["addr"] = f"{c['name']}\r\nAttn: Accounts Payable\r\n{r.randrange(1,999)} Market St, Suite {r.randrange(100,999)}\r\nSan Francisco, CA 94103"
if DUP:
    for i in range(20):
        custs[150 + i]["name"] = custs[i]["name"]; custs[150 + i]["addr"] = custs[i]["addr"].replace("Market", "Mission")
hdr = ["Invoice Number", "Invoice Date", "Customer Account", "Customer", "Invoice Address", "Salesperson", "Status", "Product", "Product Category", "Quantity", "Unit Price", "Subtotal", "Margin"]
truth = []
n = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=171 if part == "log" else 172):
        c = o["cust"]; n += 1; d = o["date"]
        st = r.choices(["Posted", "Cancelled"], [96, 4])[0]
        for k, (p, q, up) in enumerate(o["lines"]):
            sub = round(q * up, 2); mg = round(sub * 0.3, 2)
            first = [f"INV/{d.year}/{n:05d}", d.strftime("%m/%d/%Y"), c["acc"], c["name"], c["addr"], "Mitchell Admin", st] if k == 0 else [f"INV/{d.year}/{n:05d}", "", "", "", "", "", ""]
            rows.append(first + [f"[{p['sku']}] {p['name']}", p["cat"], f"{q:.2f}", f"{up:.2f}", f"{sub:.2f}", f"{mg:.2f}"])
            if st == "Posted":
                truth.append(dict(part=part, cust=c["acc"], date=d.strftime("%Y-%m-%d"), product=f"[{p['sku']}] {p['name']}", cat=p["cat"], value=mg))
    fn = f"{out}/account.move.line_2022-2024.csv" if part == "log" else f"{out}/account.move.line_2025.csv"
    with open(fn, "w", newline="") as f:
        f.write("Customer Invoices - Lines\r\n")
        w = csv.writer(f, lineterminator="\r\n"); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
