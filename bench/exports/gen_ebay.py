# eBay Seller Hub "Orders" report (CSV download): a blank first line, header, one row per single-item order;
import os
# a multi-item order is an order row (buyer, totals, no item) followed by its item rows (item fields, buyer blank);
# dates "Mar-05-23"; money "$1,234.56"; footer lines "N record(s) downloaded" and "Seller ID : ..."
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s10_ebay"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=31)
r = random.Random(13)
for c in custs: c["user"] = c["name"].lower().replace(" ", "_")[:14] + str(c["idx"])
hdr = ["Sales Record Number", "Order Number", "Buyer Username", "Buyer Name", "Buyer Email", "Buyer Note", "Buyer Address 1", "Buyer Address 2", "Buyer City", "Buyer State", "Buyer Zip", "Buyer Country", "Ship To Name", "Ship To Phone", "Item Number", "Item Title", "Custom Label", "Sold Via Promoted Listings", "Quantity", "Sold For", "Shipping And Handling", "Seller Collected Tax", "eBay Collected Tax", "Total Price", "Payment Method", "Sale Date", "Paid On Date", "Shipped On Date", "Feedback Left", "Feedback Received", "Tracking Number", "Transaction ID", "Variation Details", "Global Shipping Program", "Click And Collect", "eBay Plus"]
truth = []
srn = 1000
def ed(d): return d.strftime("%b-%d-%y")
def usd(x): return ("-" if x < 0 else "") + f"${abs(x):,.2f}"
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=161 if part == "log" else 162):
        c = o["cust"]; srn += 1; d = o["date"]
        on = f"{r.randrange(10,99)}-{r.randrange(10000,99999)}-{r.randrange(10000,99999)}"
        ship = r.choice([0, 9.99, 14.99]); tax = round(sum(q * up for _, q, up in o["lines"]) * 0.07, 2)
        tot = round(sum(q * up for _, q, up in o["lines"]) + ship + tax, 2)
        buyer = [c["user"], c["name"], c["email"], "", "1 Main St", "", "Austin", "TX", "73301", "United States", c["name"], "5125550100"]
        paid = ed(d); shipped = ed(d + dt.timedelta(days=2))
        def item(p, q, up, ident):
            return [str(200000000000 + PRODUCTS.index(p)), p["name"], p["sku"], "No", str(q), usd(up)]
        if len(o["lines"]) == 1:
            p, q, up = o["lines"][0]
            rows.append([str(srn), on] + buyer + item(p, q, up, 1) + [usd(ship), "$0.00", usd(tax), usd(tot), "PayPal", ed(d), paid, shipped, "No", "", f"1Z{r.randrange(10**9)}", str(r.randrange(10**12)), "", "No", "No", "No"])
        else:
            rows.append([str(srn), on] + buyer + ["", "", "", "", "", ""] + [usd(ship), "$0.00", usd(tax), usd(tot), "PayPal", ed(d), paid, shipped, "No", "", f"1Z{r.randrange(10**9)}", "", "", "No", "No", "No"])
            for p, q, up in o["lines"]:
                rows.append([str(srn), on] + [""] * 12 + item(p, q, up, 1) + ["", "", "", "", "", ed(d), paid, shipped, "No", "", "", str(r.randrange(10**12)), "", "", "", ""])
        for p, q, up in o["lines"]:
            truth.append(dict(part=part, cust=c["user"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=round(q * up, 2)))
    fn = f"{out}/eBay-OrdersReport-2022-2024.csv" if part == "log" else f"{out}/eBay-OrdersReport-2025.csv"
    with open(fn, "w", newline="") as f:
        f.write("\n")
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
        f.write("\n"); f.write(f"{len(rows)},record(s) downloaded,from,{a},to,{b}\n"); f.write("Seller ID : acme_networks_store\n")
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
