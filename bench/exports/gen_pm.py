# ERP value entries export (no product names, no groups) + an item master in the same folder to join by item code
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s13_pm"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=34)
r = random.Random(16)
for c in custs: c["no"] = f"C{20000 + c['idx']}"
GRP = {"Networking": "NETWORK", "Storage": "STORAGE", "Software": "SOFTWARE", "Services": "SERVICES"}
code = {p["sku"]: f"{1000 + i * 10}" for i, p in enumerate(PRODUCTS)}  # numeric item numbers
truth = []
n = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=191 if part == "log" else 192):
        c = o["cust"]; n += 1; d = o["date"]
        for p, q, up in o["lines"]:
            sa = round(q * up, 2); ca = round(q * up * 0.7, 2)
            rows.append([d.strftime("%Y-%m-%d"), "Sale", f"PSI{n:06d}", c["no"], code[p["sku"]], f"{q}", f"{sa:.2f}", f"{-ca:.2f}"])
            truth.append(dict(part=part, cust=c["no"], date=d.strftime("%Y-%m-%d"), product=code[p["sku"]], cat=GRP[p["cat"]], value=round(sa - ca, 2)))
    os.makedirs(f"{out}/{part}", exist_ok=True)
    with open(f"{out}/{part}/value_entries.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["Posting Date", "Item Ledger Entry Type", "Document No.", "Source No.", "Item No.", "Invoiced Quantity", "Sales Amount (Actual)", "Cost Amount (Actual)"]); w.writerows(rows)
    print(part, len(rows))
with open(f"{out}/log/items.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["No.", "Description", "Base Unit of Measure", "Item Category Code", "Unit Price", "Unit Cost", "Blocked"])
    for p in PRODUCTS: w.writerow([code[p["sku"]], p["name"], "PCS", GRP[p["cat"]], f"{p['price']:.2f}", f"{p['price'] * 0.7:.2f}", "No"])
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
