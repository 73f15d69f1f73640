# Sage 50 (US) Sales Journal export (File > Import/Export > Accounts Receivable > Sales Journal)
import os
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
out = ROOT + "/s4_sage"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=14)
r = random.Random(10)
for c in custs:
    c["sid"] = (c["name"].replace(" ", "")[:6].upper() + f"{c['idx']:03d}")
GL = {"Networking": "40000-00", "Storage": "40100-00", "Software": "40200-00", "Services": "40300-00"}
hdr = ["Customer ID","Customer Name","Invoice/CM #","Apply to Invoice Number","Credit Memo","Progress Billing Invoice","Date","Ship By","Quote","Quote #","Quote Good Thru Date","Drop Ship","Ship to Name","Ship to Address-Line One","Ship to Address-Line Two","Ship to City","Ship to State","Ship to Zipcode","Ship to Country","Customer PO","Ship Via","Ship Date","Date Due","Discount Amount","Discount Date","Displayed Terms","Sales Representative ID","Accounts Receivable Account","Accounts Receivable Amount","Sales Tax ID","Invoice Note","Note Prints After Line Items","Statement Note","Stmt Note Prints Before Ref","Internal Note","Beginning Balance Transaction","Number of Distributions","Invoice/CM Distribution","Apply to Invoice Distribution","Apply To Sales Order","Apply to Proposal","Quantity","SO/Proposal Number","Item ID","Serial Number","SO/Proposal Distribution","Description","G/L Account","Unit Price","Tax Type","UPC / SKU","Weight","Amount","Job ID","Sales Tax Agency ID","Transaction Period","Transaction Number","Return Authorization","Voided by Transaction","Recur Number","Recur Frequency"]
def d2(d): return f"{d.month}/{d.day}/{d.strftime('%y')}"
truth = []
inv = 10000; tn = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=51 if part == "log" else 52):
        c = o["cust"]; inv += 1; tn += 1
        d = o["date"]
        docs = [("inv", d, o["lines"], str(inv), "")]
        if r.random() < 0.05:   # a credit memo for part of the invoice, a few days later
            cd = d + dt.timedelta(days=r.randrange(3, 20))
            if not ((part == "log" and cd.year > 2024) or (part == "holdout" and cd > dt.datetime(2025, 6, 30, 23))):
                p, q, up = o["lines"][0]
                docs.append(("cm", cd, [(p, max(1, q // 2), up)], f"CM{inv}", str(inv)))
        for kind, dd, lines, num, applyto in docs:
            cm = kind == "cm"
            sub = round(sum(q * up for p, q, up in lines), 2)
            tax = round(sub * 0.06, 2)
            ar = round(sub + tax, 2) * (-1 if cm else 1)
            ndist = len(lines) + 1
            k = 0
            for p, q, up in lines:
                k += 1
                amt = round(q * up, 2)
                rows.append([c["sid"], c["name"], num, applyto, "TRUE" if cm else "FALSE", "FALSE", d2(dd), "", "FALSE", "", "", "FALSE", c["name"], "12 Main St", "", "Columbus", "OH", "43004", "USA", "", "UPS Ground", d2(dd), d2(dd + dt.timedelta(days=30)), "0.00", "", "Net 30 Days", "", "11000", f"{ar:.2f}", "OHIO", "", "FALSE", "", "FALSE", "", "FALSE", str(ndist), str(k), "0", "FALSE", "FALSE",
                             f"{(-q if cm else q):.2f}", "", p["sku"], "", "0", p["name"], GL[p["cat"]], f"{up:.5f}", "1", "", "0.00", f"{(amt if cm else -amt):.2f}", "", "", "", str(tn), "", "", "0", "0"])
                truth.append(dict(part=part, cust=c["sid"], name=c["name"], date=dd.strftime("%Y-%m-%d"), product=p["sku"], cat=p["cat"], value=(-amt if cm else amt)))
            k += 1
            rows.append([c["sid"], c["name"], num, applyto, "TRUE" if cm else "FALSE", "FALSE", d2(dd), "", "FALSE", "", "", "FALSE", c["name"], "12 Main St", "", "Columbus", "OH", "43004", "USA", "", "UPS Ground", d2(dd), d2(dd + dt.timedelta(days=30)), "0.00", "", "Net 30 Days", "", "11000", f"{ar:.2f}", "OHIO", "", "FALSE", "", "FALSE", "", "FALSE", str(ndist), "0", "0", "FALSE", "FALSE",
                         "0.00", "", "", "", "0", "Ohio Sales Tax", "23100", "0.00000", "0", "", "0.00", f"{(tax if cm else -tax):.2f}", "", "OHIO", "", str(tn), "", "", "0", "0"])
    fn = f"{out}/SALES_JOURNAL_2022_2024.CSV" if part == "log" else f"{out}/SALES_JOURNAL_2025.CSV"
    with open(fn, "w", newline="") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
