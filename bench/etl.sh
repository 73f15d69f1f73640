#!/usr/bin/env bash
# Phase 0 benchmark (issues 3 and 10): ETL and `init` of the default 5,000-customer synthetic log, and of a
# generated log of about 1,000,000 wide rows, then of the same log as a folder of yearly files
# (one header; and the 2024 file's columns reversed), then of the same sales as one row per
# product line, and (a binary that reads JSON) as JSON Lines.
# Prints wall time and peak RSS of each step.
#
#   bench/etl.sh [CUSTOMERS_FOR_THE_BIG_RUN]     (default 121000, which gives ~1.0 M rows)
set -euo pipefail
cd "$(dirname "$0")/.."
BIG="${1:-121000}"
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
WS="$(mktemp -d /tmp/gosales-etl-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cd "$WS"

measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WS/t" "$@" >/dev/null 2>"$WS/err" || { cat "$WS/err"; exit 1; }
  read -r secs kb < "$WS/t"
  printf "%-44s %6.2f s wall, %6d MB peak RSS\n" "$label" "$secs" "$((kb / 1024))"
}

config() { # dir
  cat > "$1/etl.yaml" <<YAML
paths:
  sales_log: $1/Sales_Log.csv
  enrichment: "$1/TR - Industry Enrichment.csv"
  sku_map: $ROOT/stages/sku_map.csv
  star: $1/out/star
  qa: $1/out/qa
  staging: $1/out/staging
date_max: "2025-12-31"
YAML
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
measure "gen-data, 5,000 customers" "$BIN" gen-data --customers 5000 --out "$WS/small"
config "$WS/small"
echo "  $(($(wc -l < "$WS/small/Sales_Log.csv") - 1)) rows, $(du -m "$WS/small/Sales_Log.csv" | cut -f1) MB"
measure "etl build-star, 5,000 customers" "$BIN" etl build-star --config "$WS/small/etl.yaml" --rebuild
measure "gen-data, $BIG customers" "$BIN" gen-data --customers "$BIG" --out "$WS/big"
config "$WS/big"
echo "  $(($(wc -l < "$WS/big/Sales_Log.csv") - 1)) rows, $(du -m "$WS/big/Sales_Log.csv" | cut -f1) MB"
measure "etl build-star, $BIG customers" "$BIN" etl build-star --config "$WS/big/etl.yaml" --rebuild
grep -h '"fact_transactions"\|"raw_rows"\|"dim_customer"' "$WS/big/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
# Onboarding the same big log: `init` reads every row once (dates, products, divisions).
measure "init (profile + choose + write), $BIG customers" "$BIN" init "$WS/big/ws" --sales-log "$WS/big/Sales_Log.csv" --holdout "$WS/big/Sales Log 2025 YTD.csv"
# The same log as a folder of yearly exports: once with one header (joined byte for byte), once
# with the 2024 file's columns reversed (read under the union of the columns).
python3 - "$WS/big/Sales_Log.csv" "$WS" <<'PY'
import csv, os, re, sys
src, ws = sys.argv[1:3]
with open(src, newline="", encoding="utf-8", errors="surrogateescape") as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
at = head.index("Rec Date")
years = {}
for r in body:
    m = re.search(r"(20\d\d)", r[at] if at < len(r) else "")
    years.setdefault(m.group(1) if m else "2021", []).append(r)
for kind in ("folder", "union"):
    os.makedirs(f"{ws}/{kind}/Sales_Log.csv", exist_ok=True)
    for y, rs in years.items():
        flip = kind == "union" and y == "2024"
        with open(f"{ws}/{kind}/Sales_Log.csv/sales_{y}.csv", "w", newline="", encoding="utf-8", errors="surrogateescape") as g:
            w = csv.writer(g, lineterminator="\n")
            w.writerow(head[::-1] if flip else head)
            w.writerows([r[::-1] for r in rs] if flip else rs)
PY
for kind in folder union; do
  cp "$WS/big/TR - Industry Enrichment.csv" "$WS/$kind/"
  config "$WS/$kind"
  measure "etl build-star, $BIG customers, $kind of years" "$BIN" etl build-star --config "$WS/$kind/etl.yaml" --rebuild
  grep -h '"fact_transactions"\|"raw_rows"' "$WS/$kind/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
  measure "init, $BIG customers, $kind of years" "$BIN" init "$WS/$kind/ws" --sales-log "$WS/$kind/Sales_Log.csv"
done
# The same sales as one row per product line (an ERP export's shape): each non-empty GP cell of
# the wide log becomes a line `Product,Qty,GP`; the SKU map is the same (its gp_column names
# the product values). ETL and init read it as a long log.
mkdir -p "$WS/long"
python3 - "$WS/big/Sales_Log.csv" "$WS/long/Sales_Log.csv" "$ROOT/stages/sku_map.csv" <<'PY'
import csv, sys
src, dst, skumap = sys.argv[1:4]
skus = {r["gp_column"]: r["qty_column"] for r in csv.DictReader(open(skumap))}
with open(src, newline="") as f, open(dst, "w", newline="") as g:
    r, w = csv.reader(f), csv.writer(g)
    head = next(r)
    at = {h: i for i, h in enumerate(head)}
    base = ["CustomerId", "Rec Date", "Division", "Customer", "InvoiceId"]
    w.writerow(base + ["Product", "Qty", "GP"])
    for row in r:
        for sku, qty in skus.items():
            gp = row[at[sku]] if sku in at else ""
            if gp:
                w.writerow([row[at[b]] for b in base] + [sku, row[at[qty]] if qty in at else "", gp])
PY
cp "$WS/big/TR - Industry Enrichment.csv" "$WS/long/"
config "$WS/long"
echo "  long: $(($(wc -l < "$WS/long/Sales_Log.csv") - 1)) lines, $(du -m "$WS/long/Sales_Log.csv" | cut -f1) MB"
measure "etl build-star, $BIG customers, long" "$BIN" etl build-star --config "$WS/long/etl.yaml" --rebuild
grep -h '"fact_transactions"\|"raw_rows"' "$WS/long/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
measure "init, $BIG customers, long" "$BIN" init "$WS/long/ws" --sales-log "$WS/long/Sales_Log.csv"
# The same lines as an ERP exports invoices: a header table (invoice, customer, day, name) and a
# lines table (invoice, division, product, quantity, GP) in one folder, joined by the invoice
# number on read.
mkdir -p "$WS/tables/Sales_Log.csv"
python3 - "$WS/long/Sales_Log.csv" "$WS/tables/Sales_Log.csv" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
seen = {}
with open(src, newline="") as f, open(f"{dst}/lines.csv", "w", newline="") as g:
    r, w = csv.reader(f), csv.writer(g)
    next(r)
    w.writerow(["Invoice No", "Division", "Product", "Qty", "GP"])
    for cust, day, div, name, inv, product, qty, gp in r:
        assert seen.setdefault(inv, (cust, day, name)) == (cust, day, name), inv
        w.writerow([inv, div, product, qty, gp])
with open(f"{dst}/invoices.csv", "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(["No.", "Customer No", "Invoice Date", "Customer Name"])
    for inv, (cust, day, name) in seen.items():
        w.writerow([inv, cust, day, name])
print(f"  tables: {len(seen)} invoices")
PY
cp "$WS/big/TR - Industry Enrichment.csv" "$WS/tables/"
config "$WS/tables"
cat >> "$WS/tables/etl.yaml" <<YAML
shape: long
aliases:
  customer_id: [Customer No]
  order_date: [Invoice Date]
  customer_name: [Customer Name]
  invoice_id: [Invoice No]
YAML
measure "etl build-star, $BIG customers, two tables" "$BIN" etl build-star --config "$WS/tables/etl.yaml" --rebuild
grep -h '"fact_transactions"\|"raw_rows"' "$WS/tables/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
measure "init, $BIG customers, two tables" "$BIN" init "$WS/tables/ws" --sales-log "$WS/tables/Sales_Log.csv"
# The same lines as JSON Lines, as a warehouse's JSON unload writes them (a binary that reads
# JSON only: its `init --help` says so).
if "$BIN" init --help | grep -q "Parquet or JSON"; then
  mkdir -p "$WS/json"
  python3 - "$WS/long/Sales_Log.csv" "$WS/json/Sales_Log.jsonl" <<'PY'
import csv, json, sys
src, dst = sys.argv[1:3]
with open(src, newline="") as f, open(dst, "w") as g:
    r = csv.reader(f)
    header = next(r)
    for row in r:
        g.write(json.dumps(dict(zip(header, row))) + "\n")
PY
  cp "$WS/big/TR - Industry Enrichment.csv" "$WS/json/"
  config "$WS/json"
  sed -i "s|$WS/json/Sales_Log.csv|$WS/json/Sales_Log.jsonl|" "$WS/json/etl.yaml"
  echo "  json: $(wc -l < "$WS/json/Sales_Log.jsonl") records, $(du -m "$WS/json/Sales_Log.jsonl" | cut -f1) MB"
  measure "etl build-star, $BIG customers, JSON Lines" "$BIN" etl build-star --config "$WS/json/etl.yaml" --rebuild
  grep -h '"fact_transactions"\|"raw_rows"' "$WS/json/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
  measure "init, $BIG customers, JSON Lines" "$BIN" init "$WS/json/ws" --sales-log "$WS/json/Sales_Log.jsonl"
fi
