#!/usr/bin/env bash
# UI memory benchmark: resident memory and response times of `gosales ui` over a workspace of
# the default pipeline whose scores and whitespace ranking are enlarged to ~35,000 customers
# (rows replicated under new customer ids). bench/ui.sh times every page over synthetic files;
# this one watches memory, over real outputs, for one or more binaries side by side.
#
#   bench/ui_memory.sh [BINARY...]      (default: target/release/gosales)
#
# The workspace is built once (one `gosales run -j 2` of the default pipeline, a few minutes, by
# the first binary) in $UI_BENCH_WS (default /tmp/gosales-ui-memory) and reused. The enlarged
# files are no longer the recorded outputs: the pages say so in a banner and Audit fails, which
# does not matter here; the tables still render (checked below). Each binary gets a fresh server;
# every page is requested twice (the second pass shows what repeated requests cost). Printed: each
# request's status, time and the server's VmRSS after it, then VmHWM (peak) and VmRSS at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=(target/release/gosales)
for i in "${!BINS[@]}"; do BINS[$i]="$(realpath "${BINS[$i]}")"; done
WS="${UI_BENCH_WS:-/tmp/gosales-ui-memory}"
CUSTOMERS="${UI_BENCH_CUSTOMERS:-35675}"
PORT="${UI_BENCH_PORT:-8657}"

if [ ! -f "$WS/outputs/whitespace.csv" ]; then
  mkdir -p "$WS"
  cp -r "$REPO/pipeline.yaml" "$REPO/stages" "$WS/"
  (cd "$WS" && "${BINS[0]}" run -j 2 >"$WS/run.log" 2>&1)
fi

# Replicate each customer's rows under new ids (id + 1,000,000 per copy, name suffixed "#k")
# until there are CUSTOMERS customers; the originals are kept beside as *.small, so a rerun
# starts from them. Copies follow their original, so each division stays best first.
python3 - "$WS" "$CUSTOMERS" <<'PY'
import csv, os, shutil, sys
ws, want = sys.argv[1], int(sys.argv[2])
for rel in ["outputs/scores/icp_scores.csv", "outputs/whitespace.csv"]:
    path = os.path.join(ws, rel)
    small = path + ".small"
    if not os.path.exists(small):
        shutil.copy2(path, small)
    with open(small, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    ci, ni = header.index("customer_id"), header.index("customer_name")
    ids = sorted({r[ci] for r in rows})
    copies, n, k = {c: [] for c in ids}, 0, 0
    while n < want:
        for c in ids[: want - n]:
            copies[c].append(k)
        n, k = n + min(len(ids), want - n), k + 1
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            for k in copies.get(r[ci], []):
                out = list(r)
                if k:
                    out[ci] = str(int(r[ci]) + 1_000_000 * k)
                    out[ni] = f"{r[ni]} #{k}"
                w.writerow(out)
    print(f"{rel}: {n} customers, {os.path.getsize(path) / 1e6:.1f} MB")
PY
# Dated well before the server starts, so nothing looks just written.
touch -d '-1 min' "$WS/outputs/scores/icp_scores.csv" "$WS/outputs/whitespace.csv"

ID="$(awk -F, 'NR==2 {print $1}' "$WS/outputs/whitespace.csv")"
DIV="$(awk -F, 'NR==2 {print $3}' "$WS/outputs/whitespace.csv")"
PAGES=(
  "/scores" "/scores?sort=p_icp&order=desc" "/scores?division=$DIV&page=3" "/scores?q=precision"
  "/whitespace" "/whitespace?sort=score&order=desc" "/whitespace?division=$DIV"
  "/whitespace?division=$DIV&sort=expected_value&order=desc&page=2"
  "/customer?id=$ID" "/models" "/models?division=$DIV" "/scores?format=csv"
)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); workspace $WS"
kb() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$2/status"; }
for BIN in "${BINS[@]}"; do
  echo "== $BIN"
  "$BIN" ui -C "$WS" --port "$PORT" 2>/dev/null &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  printf "%-4s %-66s %6s %9s %10s\n" pass page status seconds "VmRSS MB"
  for pass in 1 2; do
    for p in "${PAGES[@]}"; do
      read -r code secs < <(curl -s -o "$WS/page" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT$p")
      # A listing must show its table: a page that failed to read the file would be fast.
      case "$p" in /scores\?format*) ;; /scores*|/whitespace*) grep -q 'id="rows"' "$WS/page" || code="$code(no table)";; esac
      printf "%-4s %-66s %6s %9s %10d\n" "$pass" "$p" "$code" "$secs" "$(($(kb VmRSS $PID) / 1024))"
    done
  done
  printf "peak (VmHWM) %d MB, after the visits (VmRSS) %d MB\n" "$(($(kb VmHWM $PID) / 1024))" "$(($(kb VmRSS $PID) / 1024))"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  trap - EXIT
done
