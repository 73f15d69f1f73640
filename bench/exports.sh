#!/usr/bin/env bash
# Other systems' exports (README "Other systems' exports"): each written as its system writes it
# by a generator that keeps the truth of every sale line, onboarded with `gosales init` and
# `run` alone, its star compared with the truth. Needs python3 with pandas, pyarrow, openpyxl.
#
#   bench/exports.sh            (about 2 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${GOSALES_BIN:-target/release/gosales}"
[ -x "$BIN" ] || cargo build --release
export GOSALES_BIN="$(realpath "$BIN")"
export EXPORTS_DIR="$(mktemp -d /tmp/gosales-exports.XXXXXX)"
trap 'rm -rf "$EXPORTS_DIR"' EXIT
"${PYTHON:-python3}" bench/exports/check.py
