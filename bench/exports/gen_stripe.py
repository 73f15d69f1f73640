# Stripe: (a) Sigma query export of invoice line items (amounts in cents, UTC timestamps)
import os
#         (b) API dump: {"object":"list","data":[invoice with "lines":{"object":"list","data":[...]}]} (epoch seconds, cents)
import sys, csv, random, string, json
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s8_stripe"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=18)
r = random.Random(13)
def sid(p, n=14): return p + "".join(r.choice(string.ascii_letters + string.digits) for _ in range(n))
for c in custs: c["cus"] = sid("cus_")
prod = {p["sku"]: sid("prod_") for p in PRODUCTS}
price = {p["sku"]: sid("price_1N", 16) for p in PRODUCTS}
hdr = ["id", "invoice_id", "invoice_number", "invoice_status", "invoice_created", "customer_id", "customer_email", "customer_name", "amount", "currency", "quantity", "description", "period_start", "period_end", "price_id", "product_id", "product_name", "proration", "type", "subscription_id"]
STAT = ["paid"] * 85 + ["open"] * 5 + ["void"] * 5 + ["draft"] * 5
truth = []
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []; invs = []
    for k, o in enumerate(orders(custs, a, b, seed=91 if part == "log" else 92)):
        c = o["cust"]; st = r.choice(STAT)
        iid = sid("in_1N", 20); num = f"{c['cus'][4:12].upper()}-{k+1:04d}"
        ts = o["date"]
        lines = []
        for p, q, up in o["lines"]:
            lines.append((p, q, round(q * up * 100), f"{q} × {p['name']} (at ${up:,.2f} / month)", False))
        if r.random() < 0.06:   # a proration credit for unused time
            p, q, up = o["lines"][0]
            lines.append((p, q, -round(q * up * 100 * r.uniform(0.1, 0.5)), f"Unused time on {q} × {p['name']} after {ts:%d %b %Y}", True))
        jl = []
        for p, q, cents, desc, pro in lines:
            lid = sid("il_1N", 20)
            ps = ts; pe = ts + dt.timedelta(days=30)
            rows.append([lid, iid, num, st, ts.strftime("%Y-%m-%d %H:%M:%S"), c["cus"], c["email"], c["name"], str(cents), "usd", str(q), desc, ps.strftime("%Y-%m-%d %H:%M:%S"), pe.strftime("%Y-%m-%d %H:%M:%S"), price[p["sku"]], prod[p["sku"]], p["name"], "true" if pro else "false", "subscription", sid("sub_1N", 20)])
            ep = int(ts.replace(tzinfo=dt.timezone.utc).timestamp())
            jl.append({"id": lid, "object": "line_item", "amount": cents, "amount_excluding_tax": cents, "currency": "usd", "description": desc, "discountable": not pro, "invoice": iid, "livemode": True, "metadata": {},
                       "period": {"end": ep + 30 * 86400, "start": ep}, "price": {"id": price[p["sku"]], "object": "price", "currency": "usd", "product": prod[p["sku"]], "unit_amount": round(cents / q) if not pro else None, "type": "recurring"},
                       "proration": pro, "quantity": q, "subscription": None, "type": "subscription"})
            if st in ("paid", "open"):
                truth.append(dict(part=part, cust=c["cus"], email=c["email"], name=c["name"], date=ts.strftime("%Y-%m-%d"), product=prod[p["sku"]], pname=p["name"], cat=p["cat"], value=cents / 100))
        tot = sum(l[2] for l in lines)
        invs.append({"id": iid, "object": "invoice", "account_country": "US", "amount_due": tot, "amount_paid": tot if st == "paid" else 0, "amount_remaining": 0 if st == "paid" else tot, "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
                     "created": int(ts.replace(tzinfo=dt.timezone.utc).timestamp()), "currency": "usd", "customer": c["cus"], "customer_email": c["email"], "customer_name": c["name"], "lines": {"object": "list", "data": jl, "has_more": False, "total_count": len(jl), "url": f"/v1/invoices/{iid}/lines"},
                     "number": num, "paid": st == "paid", "status": st, "subtotal": tot, "total": tot, "tax": None})
    tag = "2022-2024" if part == "log" else "2025H1"
    with open(f"{out}/sigma_invoice_line_items_{tag}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    with open(f"{out}/invoices_{tag}.json", "w") as f:
        json.dump({"object": "list", "data": invs[::-1], "has_more": False, "url": "/v1/invoices"}, f, indent=2)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
