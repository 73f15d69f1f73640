# BigCommerce "Export Orders" (Default template): one row per order, every product packed in `Product Details`
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s6_bc"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=26)
r = random.Random(8)
for c in custs: c["bcid"] = "0" if r.random() < 0.1 else str(100 + c["idx"])
hdr = ["Order ID", "Customer ID", "Customer Name", "Customer Email", "Customer Phone", "Order Date", "Order Status", "Subtotal (inc tax)", "Subtotal (ex tax)", "Tax Total", "Shipping Cost (inc tax)", "Shipping Cost (ex tax)", "Ship Method", "Handling Cost (inc tax)", "Handling Cost (ex tax)", "Store Credit Redeemed", "Gift Certificate Amount Redeemed", "Coupon Details", "Order Total (inc tax)", "Order Total (ex tax)", "Payment Method", "Total Quantity", "Total Shipped", "Date Shipped", "Order Currency Code", "Exchange Rate", "Order Notes", "Billing First Name", "Billing Last Name", "Billing Company", "Billing Street 1", "Billing Suburb", "Billing State", "Billing Zip", "Billing Country", "Product Details"]
ST = ["Completed"] * 70 + ["Shipped"] * 15 + ["Awaiting Fulfillment"] * 4 + ["Cancelled"] * 4 + ["Refunded"] * 3 + ["Declined"] * 2 + ["Awaiting Payment"] * 2
truth = []
oid = 100
def dd(d): return d.strftime("%d/%m/%Y")
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=121 if part == "log" else 122):
        c = o["cust"]; oid += 1; d = o["date"]
        st = r.choice(ST)
        sub = round(sum(q * up for p, q, up in o["lines"]), 2); tax = round(sub * 0.1, 2); ship = r.choice([0, 9.95, 19.95])
        det = []
        for p, q, up in o["lines"]:
            det.append(f"Product ID: {200 + PRODUCTS.index(p)}, Product Qty: {q}, Product SKU: {p['sku']}, Product Name: {p['name']}, Product Weight: 1.0000, Product Variation Details: , Product Unit Price: {up:.2f}, Product Total Price: {q * up:.2f}")
            if st in ("Completed", "Shipped", "Awaiting Fulfillment"):
                truth.append(dict(part=part, cust=c["email"], bcid=c["bcid"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=round(q * up, 2)))
        fn_, ln_ = c["name"].split(" ", 1)
        rows.append([str(oid), c["bcid"], c["name"] if c["bcid"] != "0" else "Guest", c["email"], "555-0100", dd(d), st, f"{sub + tax:.2f}", f"{sub:.2f}", f"{tax:.2f}", f"{ship * 1.1:.2f}", f"{ship:.2f}", "Flat Rate", "0.00", "0.00", "0.00", "0.00", "", f"{sub + tax + ship * 1.1:.2f}", f"{sub + ship:.2f}", "Credit Card", str(sum(q for _, q, _ in o["lines"])), "0", "", "AUD", "1.0000000000", "", fn_, ln_, c["name"], "1 George St", "Sydney", "NSW", "2000", "Australia", "|".join(det)])
    fn = f"{out}/orders-2022-2024.csv" if part == "log" else f"{out}/orders-2025.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
