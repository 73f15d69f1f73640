# WooCommerce order export (Advanced Order Export style, one row per line item)
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s1_woo"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=11)
r = random.Random(5)
for c in custs:
    c["uid"] = 0 if r.random() < 0.15 else 100 + c["idx"] * 3   # guests have user id 0
    c["first"], c["last"] = r.choice(["Ann","Bob","Cara","Dan","Eve","Fay"]), r.choice(["Smith","Lee","Ng","Cruz"])
truth = []
STAT = ["completed"] * 80 + ["processing"] * 6 + ["cancelled"] * 4 + ["refunded"] * 4 + ["failed"] * 2 + ["on-hold"] * 2 + ["pending"] * 2
LABEL = {"completed": "Completed", "processing": "Processing", "cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed", "on-hold": "On hold", "pending": "Pending payment"}
hdr = ["Order ID", "Order Number", "Order Status", "Order Date", "Paid Date", "Customer User ID", "Billing First Name", "Billing Last Name", "Billing Company", "Billing Email", "Billing Phone", "Billing City", "Billing Country", "Payment Method Title", "Order Currency", "Cart Discount", "Order Shipping", "Order Tax", "Order Total", "Order Refund", "Item #", "Item Name", "SKU", "Category", "Quantity", "Item Cost", "Coupon Code"]
oid = 4000
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=21 if part == "log" else 22):
        c = o["cust"]; oid += 1
        st = r.choice(STAT)
        sub = sum(q * up for p, q, up in o["lines"])
        ship = r.choice([0, 9.95, 14.5, 25])
        tax = round(sub * 0.0825, 2)
        disc = 0.0
        tot = round(sub + ship + tax, 2)
        for i, (p, q, up) in enumerate(o["lines"]):
            rows.append([oid, oid, LABEL[st], o["date"].strftime("%Y-%m-%d %H:%M:%S"),
                         o["date"].strftime("%Y-%m-%d %H:%M:%S") if st in ("completed", "processing", "refunded") else "",
                         c["uid"], c["first"], c["last"], c["name"], c["email"], "555-0100", "Austin", "US", "Credit Card (Stripe)", "USD",
                         f"{disc:.2f}", f"{ship:.2f}", f"{tax:.2f}", f"{tot:.2f}", f"{tot:.2f}" if st == "refunded" else "0.00",
                         i + 1, p["name"], p["sku"], p["cat"], q, f"{up:.2f}", ""])
            if st in ("completed", "processing"):
                truth.append(dict(part=part, cust=c["email"], uid=c["uid"], name=c["name"], date=o["date"].strftime("%Y-%m-%d"), product=p["sku"], pname=p["name"], cat=p["cat"], value=round(q * up, 2)))
    # Woo exports newest first
    rows.sort(key=lambda x: (x[3], x[0], x[20]), reverse=True)
    fn = f"{out}/orders-2022-2024.csv" if part == "log" else f"{out}/orders-2025-H1.csv"
    with open(fn, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows), "rows")
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
