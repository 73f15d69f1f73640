# Zoho Books Invoice.csv export (one row per invoice line; invoice fields repeated)
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s3_zoho"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=13)
r = random.Random(9)
for c in custs:
    c["zid"] = str(460000000026049 + c["idx"] * 1013 + r.randrange(7))   # 15-digit Zoho ids
pid = {p["sku"]: str(460000000031001 + i * 17) for i, p in enumerate(PRODUCTS)}
hdr = ["Invoice Date","Invoice ID","Invoice Number","Invoice Status","Customer ID","Customer Name","Is Inclusive Tax","Due Date","PurchaseOrder","Currency Code","Exchange Rate","Discount Type","Is Discount Before Tax","Template Name","Entity Discount Percent","SubTotal","Total","Balance","Adjustment","Adjustment Description","Payment Terms","Payment Terms Label","Notes","Terms & Conditions","Entity Discount Amount","Shipping Charge","Item Name","Item Desc","Quantity","Discount","Discount Amount","Item Total","Usage unit","Item Price","Product ID","Brand","Account","Account Code","Item Tax","Item Tax %","Item Tax Amount","Item Type","SKU","Sales person","Primary Contact EmailID","Billing City","Billing Country"]
STAT = ["Paid"] * 70 + ["Overdue"] * 8 + ["Sent"] * 6 + ["PartiallyPaid"] * 4 + ["Void"] * 6 + ["Draft"] * 6
truth = []
inv = 1
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=41 if part == "log" else 42):
        c = o["cust"]; inv += 1
        st = r.choice(STAT)
        lines = []
        for p, q, up in o["lines"]:
            dpct = r.choice([0, 0, 0, 5, 10])
            damt = round(q * up * dpct / 100, 2)
            it = round(q * up - damt, 2)
            lines.append((p, q, up, dpct, damt, it))
        sub = round(sum(l[5] for l in lines), 2)
        ship = r.choice([0, 0, 25, 40])
        tax = round(sub * 0.18, 2)
        tot = round(sub + ship + tax, 2)
        d = o["date"]
        for p, q, up, dpct, damt, it in lines:
            rows.append([d.strftime("%d/%m/%Y"), str(460000000040000 + inv * 3), f"INV-{inv:06d}", st, c["zid"], c["name"], "false",
                         (d + dt.timedelta(days=30)).strftime("%d/%m/%Y"), "", "USD", "1.00", "item_level", "true", "Standard Template", "0.00",
                         f"{sub:.2f}", f"{tot:.2f}", f"{tot if st in ('Overdue','Sent') else 0:.2f}", "0.00", "", "30", "Net 30", "Thanks for your business.", "", "0.00", f"{ship:.2f}",
                         p["name"], "", str(q), f"{dpct:.2f}", f"{damt:.2f}", f"{it:.2f}", "pcs", f"{up:.2f}", pid[p["sku"]], "", "Sales", "4000", "GST18", "18.00", f"{it*0.18:.2f}", "goods", p["sku"], "Priya", c["email"], "Pune", "India"])
            if st not in ("Void", "Draft"):
                truth.append(dict(part=part, cust=c["zid"], name=c["name"], date=d.strftime("%Y-%m-%d"), product=p["sku"], pname=p["name"], cat=p["cat"], value=it))
    fn = f"{out}/Invoice.csv" if part == "log" else f"{out}/Invoice_2025H1.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
