# Dynamics 365 Finance "Invoice journal" lines (CustInvoiceTrans via Accounts receivable > Inquiries > Invoice journal > Lines, Export to Excel)
import os
# labels as the UI shows them; credit notes negative; customers of one name at two accounts (two sites of a chain)
import sys, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
import openpyxl
out = ROOT + "/s12_d365"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=33)
r = random.Random(15)
for c in custs: c["acct"] = f"US-{c['idx'] + 1:03d}"
# 20 chains: a second account with the very same name
for i in range(20):
    custs[150 + i]["name"] = custs[i]["name"]
GRP = {"Networking": "NETW", "Storage": "STOR", "Software": "SOFT", "Services": "SERV"}
hdr = ["Invoice", "Invoice date", "Customer account", "Name", "Sales order", "Item number", "Product name", "Item group", "Quantity", "Unit", "Unit price", "Discount", "Net amount", "Currency", "Site", "Warehouse", "Sales tax group"]
truth = []
n = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Invoice journal"
    ws.append(hdr)
    for o in orders(custs, a, b, seed=181 if part == "log" else 182):
        c = o["cust"]; n += 1; d = o["date"]
        docs = [("inv", d, o["lines"], f"CIV-{n:06d}")]
        if r.random() < 0.05:
            cd = d + dt.timedelta(days=r.randrange(2, 20))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                docs.append(("cr", cd, o["lines"][:1], f"CCN-{n:06d}"))
        for kind, day, lines, num in docs:
            s = -1 if kind == "cr" else 1
            for p, q, up in lines:
                amt = round(q * up, 2) * s
                ws.append([num, day.replace(hour=0, minute=0, second=0), c["acct"], c["name"], f"SO-{n:06d}", p["sku"], p["name"], GRP[p["cat"]], q * s, "ea", up, 0, amt, "USD", "1", "11", "CA"])
                ws.cell(ws.max_row, 2).number_format = "m/d/yyyy"
                truth.append(dict(part=part, cust=c["acct"], date=day.strftime("%Y-%m-%d"), product=p["sku"], cat=GRP[p["cat"]], value=amt))
    fn = f"{out}/Invoice journal lines 2022-2024.xlsx" if part == "log" else f"{out}/Invoice journal lines 2025.xlsx"
    wb.save(fn)
    print(part, ws.max_row)
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
