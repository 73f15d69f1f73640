#!/usr/bin/env bash
# A sales log as Parquet (src/stages/etl/columnar.rs): the ~1,000,000-row generated log of
# bench/etl.sh written by pyarrow as a Spark job writes it (a folder of four snappy part files,
# dates as date32, GP and quantities as doubles), then built by the ETL beside the CSV. Prints
# wall time and peak RSS of each, and their fact counts and GP totals, which must be equal.
#
#   bench/parquet.sh [CUSTOMERS]      (default 121000, which gives ~1.0 M rows)
# Needs pyarrow; set PYTHON to an interpreter that has it (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIG="${1:-121000}"
PY="${PYTHON:-python3}"
"$PY" -c 'import pyarrow' 2>/dev/null || { echo "bench/parquet.sh needs pyarrow (PYTHON=...)" >&2; exit 2; }
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
BIN="$(realpath "$BIN")"
ROOT="$(pwd)"
WS="$(mktemp -d /tmp/gosales-parquet-bench.XXXXXX)"
trap 'rm -rf "$WS"' EXIT
cd "$WS"

measure() { # label, command...
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WS/t" "$@" >/dev/null 2>"$WS/err" || { cat "$WS/err"; exit 1; }
  read -r secs kb < "$WS/t"
  printf "%-44s %6.2f s wall, %6d MB peak RSS\n" "$label" "$secs" "$((kb / 1024))"
}

config() { # dir, log
  cat > "$1/etl.yaml" <<YAML
paths:
  sales_log: $2
  sku_map: $ROOT/stages/sku_map.csv
  star: $1/out/star
  qa: $1/out/qa
  staging: $1/out/staging
date_max: "2025-12-31"
YAML
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$BIN" gen-data --customers "$BIG" --out "$WS/csv" >/dev/null 2>&1
echo "  $(($(wc -l < "$WS/csv/Sales_Log.csv") - 1)) rows, $(du -m "$WS/csv/Sales_Log.csv" | cut -f1) MB of CSV"
mkdir -p "$WS/pq/spark"
"$PY" - "$WS/csv/Sales_Log.csv" "$WS/pq/spark" <<'PY'
import sys
import pyarrow as pa, pyarrow.csv as pcsv, pyarrow.parquet as pq, pyarrow.compute as pc
src, out = sys.argv[1:3]
# Every column as text first (the generator writes a few dirty cells on purpose), then the
# clean ones typed as a warehouse would hold them; a column with any dirty cell stays text.
t = pcsv.read_csv(src, convert_options=pcsv.ConvertOptions(column_types={}, strings_can_be_null=True,
                  auto_dict_encode=False), read_options=pcsv.ReadOptions(autogenerate_column_names=False))
cols = []
for name, col in zip(t.column_names, t.columns):
    col = col.cast(pa.string())
    typed = {"CustomerId": (), "InvoiceId": (), "Rec Date": (pa.date32(),)}
    for typ in typed.get(name, (pa.float64(),)):
        try:
            col = pc.cast(col, typ)
        except pa.ArrowInvalid:
            pass
    cols.append(col)
t = pa.table(cols, names=t.column_names)
n = t.num_rows
for k in range(4):
    part = t.slice(k * n // 4, (k + 1) * n // 4 - k * n // 4)
    pq.write_table(part, f"{out}/part-0000{k}-bench-c000.snappy.parquet", compression="snappy")
open(f"{out}/_SUCCESS", "w").close()
PY
echo "  $(du -m "$WS/pq/spark" | cut -f1) MB of Parquet in 4 parts"
config "$WS/csv" "$WS/csv/Sales_Log.csv"
config "$WS/pq" "$WS/pq/spark"
measure "etl build-star, CSV" "$BIN" etl build-star --config "$WS/csv/etl.yaml" --rebuild
measure "etl build-star, Parquet folder" "$BIN" etl build-star --config "$WS/pq/etl.yaml" --rebuild
for k in csv pq; do
  printf "%-4s " "$k"; grep -h '"fact_transactions"\|"raw_rows"' "$WS/$k/out/qa/row_counts.json" | tr -d ' ,' | paste -sd' '
done
"$PY" - "$WS" <<'PY'
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
ws = sys.argv[1]
for k in ("csv", "pq"):
    t = pq.read_table(f"{ws}/{k}/out/star/fact_transactions.parquet", columns=["gross_profit"])
    print(f"{k:4} GP total {pc.sum(t['gross_profit']).as_py():,.2f}")
PY
