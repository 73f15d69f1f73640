# Lightspeed Retail X-Series (Vend) "Sales" export: per sale a `Sale` row (customer, totals), its `Sale Line` rows
import os
# (product in Details/Sku, customer blank) and `Payment` rows; returns as negative-quantity lines; VOIDED sales
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s7_vend"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=27)
r = random.Random(9)
for c in custs: c["code"] = f"{c['name'].split()[0].upper()[:4]}-{1000 + c['idx']}"
hdr = ["Date", "Receipt Number", "Line Type", "Customer Code", "Customer Name", "Note", "Quantity", "Subtotal", "Sales Tax", "Discount", "Loyalty", "Total", "Paid", "Details", "Register", "User", "Status", "Sku", "AccountCodeSale", "AccountCodePurchase"]
truth = []
rec = 0
def f2(x): return f"{x:.2f}"
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=131 if part == "log" else 132):
        c = o["cust"]; rec += 1; d = o["date"]
        st = r.choices(["CLOSED", "ONACCOUNT_CLOSED", "VOIDED"], [80, 16, 4])[0]
        ts = d.strftime("%Y-%m-%d %H:%M:%S")
        lines = []
        for p, q, up in o["lines"]:
            if r.random() < 0.03: q = -q  # a return
            disc = round(q * up * 0.1, 2) if r.random() < 0.1 else 0.0
            sub = round(q * up - disc, 2); tax = round(sub * 0.15, 2)
            lines.append([ts, str(rec), "Sale Line", "", "", "", str(q), f2(sub), f2(tax), f2(disc), "0.00", f2(sub + tax), "", p["name"], "Main Register", "Sam", st, p["sku"], "200", "300"])
            if st != "VOIDED":
                truth.append(dict(part=part, cust=c["code"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=sub))
        S = sum(float(l[7]) for l in lines); T = sum(float(l[8]) for l in lines); D = sum(float(l[9]) for l in lines)
        Q = sum(int(l[6]) for l in lines)
        rows.append([ts, str(rec), "Sale", c["code"], c["name"], "", str(Q), f2(S), f2(T), f2(D), "0.00", f2(S + T), f2(S + T if st != "VOIDED" else 0), "", "Main Register", "Sam", st, "", "", ""])
        rows += lines
        if st != "VOIDED":
            rows.append([ts, str(rec), "Payment", "", "", "", "", "", "", "", "", "", f2(S + T), "On Account" if st.startswith("ONACCOUNT") else "Credit Card", "Main Register", "Sam", st, "", "", ""])
    fn = f"{out}/sales_2022-2024.csv" if part == "log" else f"{out}/sales_2025.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
