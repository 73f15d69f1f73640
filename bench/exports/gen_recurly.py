# Recurly line items export (v2 style): amounts in cents (*_in_cents), upper-case currency, type charge/credit,
import os
# origin plan/add_on/one_time/prorated, invoice_state paid/past_due/failed/voided; add-on rows carry their plan's plan_code
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s5_recurly"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=25)
r = random.Random(7)
for c in custs: c["code"] = c["name"].lower().replace(" ", "-") + f"-{c['idx']}"
hdr = ["account_code", "account_company_name", "invoice_number", "invoice_state", "invoice_date", "line_item_uuid", "type", "origin", "plan_code", "add_on_code", "description", "quantity", "unit_amount_in_cents", "discount_in_cents", "subtotal_in_cents", "tax_in_cents", "total_in_cents", "currency", "start_date", "end_date"]
truth = []
inv = 1000
def iso(d): return d.strftime("%Y-%m-%dT%H:%M:%SZ")
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=111 if part == "log" else 112):
        c = o["cust"]; inv += 1
        d = o["date"]
        st = r.choices(["paid", "past_due", "failed", "voided"], [88, 6, 3, 3])[0]
        base = None
        for p, q, up in o["lines"]:
            uc = int(round(up * 100)); sub = uc * q
            disc = int(round(sub * 0.1)) if r.random() < 0.15 else 0
            tax = int(round((sub - disc) * 0.07))
            if p["cat"] == "Services" and base:
                plan, addon, origin = base, p["sku"], "add_on"
            else:
                plan, addon, origin = p["sku"], "", "plan"
                base = base or p["sku"]
            rows.append([c["code"], c["name"], str(inv), st, iso(d), f"{r.getrandbits(128):032x}", "charge", origin, plan, addon, p["name"], str(q), str(uc), str(disc), str(sub), str(tax), str(sub - disc + tax), "USD", iso(d), iso(d + dt.timedelta(days=30))])
            if st in ("paid", "past_due"):
                truth.append(dict(part=part, cust=c["code"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=(sub - disc) / 100))
        if r.random() < 0.06:  # proration credit on the same invoice
            p, q, up = o["lines"][0]
            cr = -int(round(up * 100 * 0.5))
            rows.append([c["code"], c["name"], str(inv), st, iso(d), f"{r.getrandbits(128):032x}", "credit", "prorated", p["sku"], "", f"Unused time on {p['name']}", "1", str(cr), "0", str(cr), "0", str(cr), "USD", iso(d), iso(d + dt.timedelta(days=15))])
            if st in ("paid", "past_due"):
                truth.append(dict(part=part, cust=c["code"], date=d.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=cr / 100))
    fn = f"{out}/line_items_export_2022-2024.csv" if part == "log" else f"{out}/line_items_export_2025.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
