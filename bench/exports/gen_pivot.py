# Excel PivotTable of revenue: rows Customer (+ Product Line), columns Years > Months, copied out / saved
import os
import sys, csv, random, calendar
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
import openpyxl
out = ROOT + "/s6_pivot"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=16)
MON = ["Jan","Feb","Mar","Apr","May","Jun","Jul","Aug","Sep","Oct","Nov","Dec"]
def money(x):  # Excel currency display
    if x == 0: return ""
    s = f"${abs(x):,.2f}"
    return f"({s})" if x < 0 else s
truth = []
def build(part, a, b, seed):
    agg = {}
    for o in orders(custs, a, b, seed=seed):
        for p, q, up in o["lines"]:
            k = (o["cust"]["name"], p["cat"], o["date"].year, o["date"].month)
            agg[k] = round(agg.get(k, 0) + q * up, 2)
    for (cn, cat, y, m), v in agg.items():
        last = calendar.monthrange(y, m)[1]
        truth.append(dict(part=part, cust=cn, date=f"{y}-{m:02d}-{last:02d}", product=cat, cat=cat, value=v))
    years = sorted({k[2] for k in agg})
    months = {y: sorted({k[3] for k in agg if k[2] == y}) for y in years}
    return agg, years, months
def tabular(agg, years, months, subtotals=True, repeat=False):
    """returns list of rows (python values), tabular form"""
    cols = [(y, m) for y in years for m in months[y]]
    rows = []
    r1 = ["Sum of Revenue", "", "Years", "Order Date"] + [""] * (len(cols) + len(years) - 1)
    rows.append(r1)
    r2 = ["", ""]
    r3 = ["Customer", "Product Line"]
    for y in years:
        for i, m in enumerate(months[y]):
            r2.append(str(y) if i == 0 else ""); r3.append(MON[m - 1])
        r2.append(f"{y} Total"); r3.append("")
    r2.append("Grand Total"); r3.append("")
    rows.append(r2); rows.append(r3)
    names = sorted({k[0] for k in agg})
    gt = {}
    for cn in names:
        cats = sorted({k[1] for k in agg if k[0] == cn})
        sub = {}
        for i, cat in enumerate(cats):
            row = [cn if (i == 0 or repeat) else "", cat]
            for y in years:
                ys = 0
                for m in months[y]:
                    v = agg.get((cn, cat, y, m), 0); ys += v
                    sub[(y, m)] = sub.get((y, m), 0) + v; gt[(y, m)] = gt.get((y, m), 0) + v
                    row.append(v)
                row.append(round(ys, 2))
            row.append(round(sum(agg.get((cn, cat, y, m), 0) for y in years for m in months[y]), 2))
            rows.append(row)
        if subtotals:
            row = [f"{cn} Total", ""]
            for y in years:
                for m in months[y]: row.append(round(sub.get((y, m), 0), 2))
                row.append(round(sum(sub.get((y, m), 0) for m in months[y]), 2))
            row.append(round(sum(sub.values()), 2))
            rows.append(row)
    row = ["Grand Total", ""]
    for y in years:
        for m in months[y]: row.append(round(gt[(y, m)], 2))
        row.append(round(sum(gt[(y, m)] for m in months[y]), 2))
    row.append(round(sum(gt.values()), 2))
    rows.append(row)
    return rows
def write_csv(rows, fn):
    with open(fn, "w", newline="") as f:
        w = csv.writer(f)
        for row in rows:
            w.writerow([money(x) if isinstance(x, float) or (isinstance(x, int) and not isinstance(x, bool)) else x for x in row])
def write_xlsx(rows, fn):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet2"
    for i in range(2): ws.append([])  # pivot placed at A3 as Excel does
    for row in rows:
        ws.append([None if (isinstance(x, (int, float)) and x == 0) else (x if x != "" else None) for x in row])
    for rr in ws.iter_rows(min_row=3):
        for c in rr:
            if isinstance(c.value, float): c.number_format = '"$"#,##0.00'
    d = wb.create_sheet("Data")  # the source sheet is often deleted; keep it out here
    wb.remove(d)
    wb.save(fn)
for part, (a, b), seed in [("log", ("2022-01-01", "2024-12-31"), 71), ("holdout", ("2025-01-01", "2025-06-30"), 72)]:
    agg, years, months = build(part, a, b, seed)
    rows = tabular(agg, years, months)
    tag = "2022-2024" if part == "log" else "2025H1"
    write_csv(rows, f"{out}/pivot_tabular_{tag}.csv")
    write_xlsx(rows, f"{out}/pivot_tabular_{tag}.xlsx")
    write_csv(tabular(agg, years, months, subtotals=False, repeat=True), f"{out}/pivot_repeat_{tag}.csv")
    print(part, len(agg), "cells")
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)
