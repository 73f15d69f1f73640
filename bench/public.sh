#!/usr/bin/env bash
# Onboards and runs real public sales logs that gosales never generated, and prints what a user
# would check: the columns init chose, its warnings, the run's summary, each division's skill
# verdict and the star's GP total. The logs are not in the repository (their licences are
# their authors'); get them from public GitHub copies (README, "Real public sales logs"):
#   DATA/superstore.csv        Tableau's "Sample - Superstore" (7jagadeesh/Sample-Datasets)
#   DATA/sales_data_sample.csv Kaggle's classic-models sample (Sgupta1-prog/Sample_Sales_Data)
#   DATA/nw/                   Northwind as CSVs: orders, order_details, products, categories,
#                              customers (SpocWeb/Northwind_csv)
#   DATA/online_retail_es.csv  the first UCI Online Retail rows, `;` and decimal commas
#                              (brunonapoli/tp-matematica3, OnlineRetail.csv)
#   DATA/US_Regional_Sales_Data.csv  a regional order log, as published
#                              (hsmanik/Supplychain_Analytics)
#   DATA/chinook/              Chinook's tables as CSVs: Invoice, Invoice_Line, Track, Genre, ...
#                              (sherinstella/ITUNE-MUSIC-INSIGHTS)
#   DATA/chinook_lines.csv     the same lines joined flat to their track's name and `Genre`
# Usage: bench/public.sh DATA [WORKDIR]   (GOSALES_BIN: another binary; PYTHON: one with pandas)
set -euo pipefail
data=${1:?usage: bench/public.sh DATA [WORKDIR]}
work=${2:-$(mktemp -d)}
G=$(realpath "${GOSALES_BIN:-$(dirname "$0")/../target/release/gosales}")
data=$(cd "$data" && pwd)
mkdir -p "$work"
cd "$work"

one() {
  local name=$1 log=$2
  shift 2
  echo "== $name"
  rm -rf "$name"
  if ! "$G" init "$name" --sales-log "$log" "$@" >"$name.init" 2>&1; then
    sed -n 's/^  *[│×] */  /p' "$name.init" | head -4
    return 0
  fi
  grep -E "^  columns|^               customer_name|^  shape|^               (no line value|no GP)|^  dates|^               read|WARNING|lose money|one value per customer" "$name.init" | cut -c1-220
  local t0=$SECONDS
  "$G" -C "$name" run -j 2 >"$name.run" 2>&1 || true
  grep -E "^done|no better than chance" "$name.run" | cut -c1-200
  python3 - "$name" <<'PY'
import glob, json, sys
ws = sys.argv[1]
for card in sorted(glob.glob(f"{ws}/outputs/train/*/model_card.json")):
    c = json.load(open(card))
    s = c.get("skill") or {}
    verdict = "skipped: " + str(c.get("reason", ""))[:90] if c.get("status") != "trained" else (
        f"AUC {s.get('auc_out_of_time', 0):.3f}, lower bound {s.get('auc_lower_95', 0):.3f}: "
        + ("ranks" if s.get("better_than_chance") else "no better than chance"))
    print(f"   {card.split('/')[-2]}: {verdict}")
PY
}

one superstore "$data/superstore.csv"
one classic_models "$data/sales_data_sample.csv"
one northwind "$data/nw"
# The star's GP, to the cent (pandas: PYTHON=/path/to/venv/bin/python).
${PYTHON:-python3} - 2>/dev/null <<'PY' || echo "   (the GP total needs pandas: set PYTHON)"
import pandas as pd
f = pd.read_parquet("northwind/outputs/star/fact_transactions.parquet")
print(f"   northwind star: {len(f):,} lines, GP {f['gross_profit'].sum():,.2f}")
PY
one online_retail_es "$data/online_retail_es.csv"
one us_regional "$data/US_Regional_Sales_Data.csv"
${PYTHON:-python3} - "$data" 2>/dev/null <<'PY' || echo "   (the GP check needs pandas: set PYTHON)"
import sys, pandas as pd
d = pd.read_csv(f"{sys.argv[1]}/US_Regional_Sales_Data.csv")
for c in ["Unit Cost", "Unit Price"]:
    d[c] = d[c].astype(str).str.replace(",", "").astype(float)
q = d["Order Quantity"]
want = (q * d["Unit Price"] * (1 - d["Discount Applied"]) - q * d["Unit Cost"]).sum()
f = pd.read_parquet("us_regional/outputs/star/fact_transactions.parquet")
print(f"   us_regional star: GP {f['gross_profit'].sum():,.2f}, price x qty less discount less unit cost x qty {want:,.2f}; {f['order_date'].nunique()} order days")
PY
one chinook "$data/chinook"
one chinook_lines "$data/chinook_lines.csv"
