# Magento 2 order items export (sales_order_item joined with sales_order), as an SQL/extension export writes it
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s5_magento"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=15)
r = random.Random(11)
for c in custs:
    c["mid"] = "" if r.random() < 0.12 else str(1000 + c["idx"])   # guests: customer_id NULL
hdr = ["order_increment_id","order_created_at","order_status","store_id","customer_id","customer_email","customer_firstname","customer_lastname","customer_group_id","order_currency_code","item_id","parent_item_id","product_id","product_type","sku","name","qty_ordered","qty_invoiced","qty_shipped","qty_refunded","qty_canceled","base_cost","price","base_price","original_price","row_total","base_row_total","discount_percent","discount_amount","tax_percent","tax_amount","row_total_incl_tax","amount_refunded","order_grand_total","order_subtotal","order_shipping_amount"]
STAT = ["complete"] * 80 + ["processing"] * 6 + ["canceled"] * 5 + ["closed"] * 4 + ["pending"] * 3 + ["holded"] * 2
COL = ["BLK", "WHT", "GRY"]
truth = []
oid = 0; item = 0
def f4(x): return f"{x:.4f}"
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=61 if part == "log" else 62):
        c = o["cust"]; oid += 1
        st = r.choice(STAT)
        inc = f"{100000000 + oid:09d}"
        lines = []
        for p, q, up in o["lines"]:
            dp = r.choice([0, 0, 0, 10])
            rt = round(q * up, 2); da = round(rt * dp / 100, 2)
            lines.append((p, q, up, rt, dp, da))
        sub = sum(l[3] for l in lines); ship = r.choice([0, 15, 30]); tax = round((sub - sum(l[5] for l in lines)) * 0.08, 2)
        gt = round(sub - sum(l[5] for l in lines) + ship + tax, 2)
        ts = o["date"].strftime("%Y-%m-%d %H:%M:%S")
        base = [inc, ts, st, "1", c["mid"], c["email"], c["name"].split()[0], c["name"].split()[-1], "1" if c["mid"] else "0", "USD"]
        for p, q, up, rt, dp, da in lines:
            item += 1
            conf = p["cat"] in ("Networking", "Storage")
            sku = p["sku"] + ("-" + COL[hash(c["name"] + p["sku"]) % 3] if conf else "")
            inv = q if st in ("complete", "processing", "closed") else 0
            ref = q if st == "closed" else 0
            canc = q if st == "canceled" else 0
            tx = round((rt - da) * 0.08, 2)
            rows.append(base + [str(item), "", str(500 + PRODUCTS.index(p)), "configurable" if conf else "simple", sku, p["name"], f4(q), f4(inv), f4(inv if st == "complete" else 0), f4(ref), f4(canc),
                                f4(up * 0.6), f4(up), f4(up), f4(up), f4(rt), f4(rt), f4(dp), f4(da), "8.0000", f4(tx), f4(rt + tx), f4(rt - da if st == "closed" else 0), f4(gt), f4(sub), f4(ship)])
            pid = item
            if conf:
                item += 1
                rows.append(base + [str(item), str(pid), str(900 + PRODUCTS.index(p)), "simple", sku, p["name"] + " " + sku[-3:], f4(q), f4(inv), f4(inv if st == "complete" else 0), f4(ref), f4(canc),
                                    f4(up * 0.6), "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", "0.0000", f4(gt), f4(sub), f4(ship)])
            if st in ("complete", "processing"):
                truth.append(dict(part=part, cust=c["email"], mid=c["mid"], name=c["name"], date=o["date"].strftime("%Y-%m-%d"), product=sku, cat=p["cat"], value=round(rt - da, 2), row_total=rt))
    fn = f"{out}/order_items_2022_2024.csv" if part == "log" else f"{out}/order_items_2025H1.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
