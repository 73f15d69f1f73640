# Shopify orders export (Orders > Export > CSV): order fields on the first line only; some products have no SKU
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s10_shopify"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=20)
r = random.Random(15)
NOSKU = {p["sku"] for p in PRODUCTS if p["cat"] in ("Services", "Software")}   # services/digital items often have no SKU
hdr = ["Name","Email","Financial Status","Paid at","Fulfillment Status","Fulfilled at","Accepts Marketing","Currency","Subtotal","Shipping","Taxes","Total","Discount Code","Discount Amount","Shipping Method","Created at","Lineitem quantity","Lineitem name","Lineitem price","Lineitem compare at price","Lineitem sku","Lineitem requires shipping","Lineitem taxable","Lineitem fulfillment status","Billing Name","Billing Street","Billing Company","Billing City","Billing Zip","Billing Country","Notes","Cancelled at","Payment Method","Refunded Amount","Vendor","Outstanding Balance","Id","Tags","Source","Lineitem discount"]
FS = ["paid"] * 85 + ["pending"] * 5 + ["refunded"] * 4 + ["voided"] * 3 + ["partially_refunded"] * 3
truth = []
n = 1000
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []; blocks = []
    for o in orders(custs, a, b, seed=111 if part == "log" else 112):
        c = o["cust"]; n += 1; fs = r.choice(FS)
        ts = o["date"].strftime("%Y-%m-%d %H:%M:%S -0500")
        sub = round(sum(q * up for p, q, up in o["lines"]), 2); ship = r.choice([0, 15.0]); tax = round(sub * 0.08, 2); tot = round(sub + ship + tax, 2)
        blk = []
        for i, (p, q, up) in enumerate(o["lines"]):
            first = i == 0
            of = [f"#{n}", c["email"], fs, ts if fs != "pending" else "", "fulfilled", ts, "no", "USD", f"{sub:.2f}", f"{ship:.2f}", f"{tax:.2f}", f"{tot:.2f}", "", "0.00", "Standard", ts]
            if not first:
                of = [f"#{n}"] + [""] * 15
            li = [str(q), p["name"], f"{up:.2f}", "", "" if p["sku"] in NOSKU else p["sku"], "true", "true", "fulfilled"]
            bill = [c["name"], "1 Main St", c["name"], "Boston", "02110", "US", "", "", "Shopify Payments", f"{tot:.2f}" if fs == "refunded" else "0.00", p["cat"], "0.00", str(4000000000 + n), "", "web", "0.00"] if first else [""] * 9 + [""] + [p["cat"]] + [""] * 5
            blk.append(of + li + bill)
            if fs in ("paid", "partially_refunded"):
                pass
            if fs in ("paid", "partially_refunded"):
                truth.append(dict(part=part, cust=c["email"], name=c["name"], date=o["date"].strftime("%Y-%m-%d"), product=p["sku"], pname=p["name"], cat=p["cat"], value=round(q * up, 2)))
        blocks.append(blk)
    for blk in blocks[::-1]: rows.extend(blk)  # newest order first, its lines in order
    tag = "2022-2024" if part == "log" else "2025H1"
    with open(f"{out}/orders_export_{tag}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
