#!/usr/bin/env bash
# Are the default pipeline's outputs byte-identical between a git revision and the working tree?
# For refactors that must not change a number (issue 12's move of the engine into its own crate).
#
#   bench/same-outputs.sh REV        (e.g. bench/same-outputs.sh HEAD~2)
#
# Builds REV (release, in a temporary worktree) and the working tree, runs the default pipeline
# from scratch with each, and compares every output file's blake3 as pipeline.lock records it.
# Exit 0 when all are identical; 1 and the differing files otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
REV="${1:?usage: bench/same-outputs.sh REV}"
ROOT="$(pwd)"
TMP="$(mktemp -d /tmp/gosales-same.XXXXXX)"
trap 'git -C "$ROOT" worktree remove --force "$TMP/rev" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
git worktree add --detach "$TMP/rev" "$REV" >/dev/null
# One target directory: the dependencies are built once and shared by both builds.
(cd "$TMP/rev" && CARGO_TARGET_DIR="$ROOT/target" cargo build --release --quiet)
cp "$ROOT/target/release/gosales" "$TMP/gosales-rev"
cargo build --release --quiet
run() { # binary, tree, workspace
  mkdir -p "$3" && cp "$2/pipeline.yaml" "$3/" && cp -r "$2/stages" "$3/"
  (cd "$3" && "$1" run -j 2 >/dev/null 2>&1)
}
run "$TMP/gosales-rev" "$TMP/rev" "$TMP/a"
run "$ROOT/target/release/gosales" "$ROOT" "$TMP/b"
python3 - "$TMP/a/pipeline.lock" "$TMP/b/pipeline.lock" "$REV" <<'PY'
import json, sys
def outputs(path):
    out = {}
    for entry in json.load(open(path))["instances"].values():
        out.update(entry["outputs"])
    return out
a, b = outputs(sys.argv[1]), outputs(sys.argv[2])
differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
print(f"{len(a)} output files at {sys.argv[3]}, {len(b)} in the working tree, {len(differ)} differ")
for k in differ[:20]:
    print("  differs:", k)
# All of them, by file name with the division left out (`validation_metrics_<d>.json`).
import collections
def name(k):
    parts = k.split("/")
    # outputs/<node>/<division>/<file>: the file name with its division as <d>.
    return parts[-1].replace(parts[2], "<d>") if len(parts) == 4 else parts[-1]
names = collections.Counter(name(k) for k in differ)
for name, n in sorted(names.items()):
    print(f"  {n:4d} x {name}")
sys.exit(1 if differ else 0)
PY
