# "Sales by customer and product line, by year" (BI / spreadsheet summary): a column per year
import os
import sys, csv
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s14_yr"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=35)
os_ = orders(custs, "2022-01-01", "2024-12-31", seed=201)
agg = {}
for o in os_:
    for p, q, up in o["lines"]:
        k = (o["cust"]["idx"], o["cust"]["name"], p["cat"]); agg.setdefault(k, {}); y = o["date"].year
        agg[k][y] = round(agg[k].get(y, 0) + q * up, 2)
with open(f"{out}/sales_by_year.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["Customer ID", "Customer", "Product Line", "2022", "2023", "2024", "Total"])
    for k in sorted(agg):
        v = agg[k]; w.writerow([f"C{k[0]:04d}", k[1], k[2]] + [f"{v.get(y, 0):.2f}" for y in (2022, 2023, 2024)] + [f"{sum(v.values()):.2f}"])
print(len(agg))
