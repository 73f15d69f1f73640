# Excel PivotTable in COMPACT form (Excel's default): Customer and Product Line nested in one "Row Labels" column,
import os
# customer rows carry the subtotal, product lines below; years above months; Grand Total row/column.
import sys, csv
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_pivot import build, money, MON, custs
import gen_pivot
from lib import ROOT
out = ROOT + "/s6_pivot"
os.makedirs(out, exist_ok=True)
def compact(agg, years, months, flat):
    cols = [(y, m) for y in years for m in months[y]]
    rows = []
    if flat:
        hdr = ["Row Labels"]
        for y in years:
            hdr += [f"{MON[m-1]} {y}" for m in months[y]] + [f"{y} Total"]
        rows.append(hdr + ["Grand Total"])
    else:
        rows.append(["Sum of Revenue", "Column Labels"] + [""] * (len(cols) + len(years)))
        r2 = [""]; r3 = ["Row Labels"]
        for y in years:
            for i, m in enumerate(months[y]):
                r2.append(str(y) if i == 0 else ""); r3.append(MON[m - 1])
            r2.append(f"{y} Total"); r3.append("")
        rows += [r2 + ["Grand Total"], r3 + [""]]
    names = sorted({k[0] for k in agg})
    gt = {}
    def line(label, f):
        row = [label]
        for y in years:
            vs = [f(y, m) for m in months[y]]
            row += [round(v, 2) for v in vs] + [round(sum(vs), 2)]
        row.append(round(sum(f(y, m) for y in years for m in months[y]), 2))
        return row
    for cn in names:
        cats = sorted({k[1] for k in agg if k[0] == cn})
        rows.append(line(cn, lambda y, m: sum(agg.get((cn, c, y, m), 0) for c in cats)))
        for c in cats:
            rows.append(line(c, lambda y, m: agg.get((cn, c, y, m), 0)))
    rows.append(line("Grand Total", lambda y, m: sum(v for k, v in agg.items() if k[2] == y and k[3] == m)))
    return rows
gen_pivot.truth.clear()
for part, (a, b), seed in [("log", ("2022-01-01", "2024-12-31"), 71), ("holdout", ("2025-01-01", "2025-06-30"), 72)]:
    agg, years, months = build(part, a, b, seed)
    tag = "2022-2024" if part == "log" else "2025H1"
    gen_pivot.write_csv(compact(agg, years, months, False), f"{out}/compact_{tag}.csv")
    gen_pivot.write_csv(compact(agg, years, months, True), f"{out}/compactflat_{tag}.csv")
