# Square "Item Sales" CSV export
import os
import sys, csv, random, string
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s2_square"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=12)
r = random.Random(7)
for c in custs:
    c["sqid"] = "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(26))
def money(x):
    s = f"${abs(x):,.2f}"
    return "-" + s if x < 0 else s
hdr = ["Date","Time","Time Zone","Category","Item","Qty","Price Point Name","SKU","Modifiers Applied","Gross Sales","Discounts","Net Sales","Tax","Transaction ID","Payment ID","Device Name","Notes","Details","Event Type","Location","Dining Option","Customer ID","Customer Name","Customer Reference ID","Unit","Count","Itemization Type","Channel"]
truth = []
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=31 if part == "log" else 32):
        c = o["cust"]
        walkin = r.random() < 0.03
        tx = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(22))
        pay = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(22))
        refund = r.random() < 0.04
        for p, q, up in o["lines"]:
            gross = round(q * up, 2)
            disc = -round(gross * 0.1, 2) if r.random() < 0.2 else 0.0
            net = round(gross + disc, 2)
            tax = round(net * 0.0725, 2)
            base = [o["date"].strftime("%Y-%m-%d"), o["date"].strftime("%H:%M:%S"), "Pacific Time (US & Canada)", p["cat"], p["name"], str(q), "Regular", p["sku"], "", money(gross), money(disc), money(net), money(tax), tx, pay, "Front Counter", "", "", "Payment", "Main Store", "", "" if walkin else c["sqid"], "" if walkin else c["name"], "" if walkin else f"REF{c['idx']:04d}", "ea", "1", "Physical Item", "Point of Sale"]
            rows.append(base)
            if not walkin:
                truth.append(dict(part=part, cust=c["sqid"], name=c["name"], date=o["date"].strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=net))
            if refund:
                rd = o["date"] + dt.timedelta(days=r.randrange(1, 10))
                if (part == "log" and rd.year > 2024) or (part == "holdout" and rd > dt.datetime(2025, 6, 30, 23)):
                    continue
                rr = list(base)
                rr[0] = rd.strftime("%Y-%m-%d"); rr[5] = str(-q); rr[9] = money(-gross); rr[10] = money(-disc); rr[11] = money(-net); rr[12] = money(-tax); rr[18] = "Refund"
                rows.append(rr)
                if not walkin:
                    truth.append(dict(part=part, cust=c["sqid"], name=c["name"], date=rd.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=-net))
    rows.sort(key=lambda x: (x[0], x[1]), reverse=True)
    fn = f"{out}/items-2022-01-01-2024-12-31.csv" if part == "log" else f"{out}/items-2025-01-01-2025-06-30.csv"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
