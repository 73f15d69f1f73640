# FreshBooks "Invoice Details" report CSV: Client Name, Invoice #, Date Issued, Invoice Status (draft/sent/viewed/paid/partial/overdue),
import os
# Item Name, Rate, Quantity, invoice-level Discount Percentage, Item Subtotal (rate*qty), taxes, Item Total (incl. tax)
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s9_fb"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=30)
r = random.Random(12)
hdr = ["Client Name", "Invoice #", "Date Issued", "Invoice Status", "Date Paid", "Item Name", "Item Description", "Rate", "Quantity", "Discount Percentage", "Item Subtotal", "Tax 1 Type", "Tax 1 Amount", "Tax 2 Type", "Tax 2 Amount", "Item Total", "Currency"]
truth = []
n = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=151 if part == "log" else 152):
        c = o["cust"]; n += 1; d = o["date"]
        st = r.choices(["paid", "sent", "viewed", "partial", "overdue", "draft"], [75, 5, 5, 4, 6, 5])[0]
        disc = r.choice([0, 0, 0, 0, 5, 10])
        paid = (d + dt.timedelta(days=r.randrange(5, 40))).strftime("%Y-%m-%d") if st == "paid" else ""
        for p, q, up in o["lines"]:
            sub = round(q * up, 2); t1 = round(sub * (1 - disc / 100) * 0.13, 2)
            rows.append([c["name"], f"{n:07d}", d.strftime("%Y-%m-%d"), st, paid, p["name"], p["cat"] + " - " + p["name"], f"{up:.2f}", f"{q}", f"{disc}", f"{sub:.2f}", "HST", f"{t1:.2f}", "", "0.00", f"{sub * (1 - disc / 100) + t1:.2f}", "CAD"])
            if st != "draft":
                truth.append(dict(part=part, cust=c["name"], date=d.strftime("%Y-%m-%d"), product=p["name"], cat=p["cat"], value=round(sub * (1 - disc / 100), 2), sub=sub))
    fn = f"{out}/invoice_details_2022-2024.csv" if part == "log" else f"{out}/invoice_details_2025.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
