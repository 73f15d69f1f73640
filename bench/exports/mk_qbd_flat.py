# variant: QBD Sales by Item Detail with only one group level (sub-items in the first column), title lines unpadded
import os
import csv, sys
for fn in ["sales_by_item_detail_2022-2024.csv", "sales_by_item_detail_2025H1.csv"]:
    rows = list(csv.reader(open("s1_qbd/" + fn)))
    out = [["Sales by Item Detail"]]
    for r in rows:
        if r[4] == "Type":
            out.append([""] + r[4:]); continue
        lead = [c for c in r[:4] if c]
        if r[4]:
            out.append([""] + r[4:])
        elif lead and r[2]:   # sub-item level (col 2) or total sub
            out.append([lead[0]] + r[4:])
        elif lead and r[1] and r[1] in ("Freight", "Disc 5%", "Total Freight", "Total Disc 5%"):
            out.append([lead[0]] + r[4:])
    with open("s1_qbd/flat_" + fn, "w", newline="") as f:
        csv.writer(f).writerows(out)
