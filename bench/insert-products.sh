#!/usr/bin/env bash
# Benchmark of issue 2 (not a test: it prints figures). On the `products`
# workload, runs every insert strategy and the server-generate reference at
# ROWS rows in one run, then prepared alone at BIG_ROWS, and prints:
#   - a table: strategy, rows, rows/s, fraction of server-generate, peak RSS;
#   - the targets: the best client strategy reaches >= 0.8 of server-generate;
#     prepared's peak RSS is <= 16 MiB at ROWS and at BIG_ROWS and does not grow.
# Usage: bench/insert-products.sh          (ROWS=1000000 BIG_ROWS=4000000)
#        ROWS=100000 BIG_ROWS=400000 bench/insert-products.sh
# Builds a Release binary in build-bench/; keeps the runs under results/bench/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
BIG_ROWS=${BIG_ROWS:-4000000}
BUILD_DIR=build-bench
SERVER_SHARE_TARGET=0.8
RSS_LIMIT_KB=$((16 * 1024))
# Peak RSS moves by a few pages from run to run; more than this between ROWS and
# BIG_ROWS rows is growth with the row count, i.e. memory that is not O(1).
RSS_GROWTH_TOLERANCE_KB=1024

scripts/deps --bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version

# Every insert strategy plus the reference, from the catalogue itself.
strategies=$("$wb" describe --format json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
strategies = doc.get("strategies", []) if isinstance(doc, dict) else doc
def as_list(v):
    return [p for p in v.replace(" ", ",").split(",") if p] if isinstance(v, str) else list(v or [])
names = [s["name"] for s in strategies
         if (s.get("family") in ("insert", "reference") or s["name"] == "server-generate")
         and "sqlite" in (as_list(s.get("backends")) or ["sqlite"])]
print(",".join(names))')

mkdir -p results/bench
out=$(mktemp -d "results/bench/insert-products.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
echo "runs kept in $out/"

# The databases are big (hundreds of MB at 4M rows) and only the figures matter:
# they live in a temporary directory removed at exit.
db_dir=$(mktemp -d)
trap 'rm -rf "$db_dir"' EXIT

# Each run goes on to the report even when some test failed (exit 1).
run_status=0
echo
echo "=== products, $ROWS rows: $strategies"
"$wb" run --db "sqlite://$db_dir/main.db" --workload products --rows "$ROWS" --strategies "$strategies" --results "$out/main" || run_status=$?
echo
echo "=== products, $BIG_ROWS rows: prepared alone"
"$wb" run --db "sqlite://$db_dir/big.db" --workload products --rows "$BIG_ROWS" --strategies prepared --results "$out/big" || run_status=$?

echo
python3 - "$out" "$SERVER_SHARE_TARGET" "$RSS_LIMIT_KB" "$RSS_GROWTH_TOLERANCE_KB" <<'PY'
import csv, glob, sys
out, share_target = sys.argv[1], float(sys.argv[2])
rss_limit_kb, growth_tolerance_kb = int(sys.argv[3]), int(sys.argv[4])

def rows_of(sub):
    files = glob.glob(f"{out}/{sub}/*/results.csv")
    if not files:
        sys.exit(f"no results.csv under {out}/{sub}")
    with open(files[0], newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["phase"] == "insert"]

def number(s):
    return float(s) if s not in ("", None) else None

main, big = rows_of("main"), rows_of("big")
reference = next((r for r in main if r["strategy"] == "server-generate" and r["success"] == "1"), None)
ref_rate = number(reference["rows_per_s"]) if reference else None

largest = max(int(r["rows"]) for r in main)
print(f"{'strategy':<20} {'rows':>14} {'rows/s':>12} {'of server':>9} {'peak RSS MiB':>12}  status")
for r in sorted(main, key=lambda r: -(number(r["rows_per_s"]) or 0)):
    rate, rss = number(r["rows_per_s"]), number(r["peak_rss_kb"])
    share = f"{rate / ref_rate:.2f}" if rate and ref_rate else "-"
    status = "ok" if r["success"] == "1" else "FAILED: " + r["error"][:60]
    rows = f"{int(r['rows']):,}" + (" slow" if int(r["rows"]) < largest else "")
    print(f"{r['strategy']:<20} {rows:>14} {rate or 0:>12,.0f} {share:>9} "
          f"{(rss or 0) / 1024:>12.1f}  {status}")
print("(rows per table; 'slow': a commit per row, run at --slow-rows, never extrapolated)")

print()
verdicts = []
def verdict(ok, text):
    verdicts.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {text}")

clients = [r for r in main if r["strategy"] != "server-generate" and r["success"] == "1"]
best = max(clients, key=lambda r: number(r["rows_per_s"]), default=None)
if best and ref_rate:
    share = number(best["rows_per_s"]) / ref_rate
    verdict(share >= share_target,
            f"best client strategy {best['strategy']} reaches {share:.2f} of server-generate "
            f"({number(best['rows_per_s']):,.0f} vs {ref_rate:,.0f} rows/s; target >= {share_target})")
else:
    verdict(False, "best client strategy vs server-generate: missing or failed results")

def prepared_rss(rows):
    r = next((r for r in rows if r["strategy"] == "prepared" and r["success"] == "1"), None)
    return (int(r["rows"]), int(r["peak_rss_kb"])) if r and r["peak_rss_kb"] else (None, None)
small_rows, small_kb = prepared_rss(main)
big_rows, big_kb = prepared_rss(big)
for n, kb in ((small_rows, small_kb), (big_rows, big_kb)):
    if kb is None:
        verdict(False, "prepared peak RSS: missing or failed result")
    else:
        verdict(kb <= rss_limit_kb, f"prepared peak RSS at {n:,} rows: {kb / 1024:.1f} MiB "
                f"(target <= {rss_limit_kb / 1024:.0f} MiB)")
if small_kb is not None and big_kb is not None:
    verdict(big_kb - small_kb <= growth_tolerance_kb,
            f"prepared peak RSS does not grow from {small_rows:,} to {big_rows:,} rows: "
            f"{small_kb} -> {big_kb} KiB ({big_kb - small_kb:+d} KiB; tolerance {growth_tolerance_kb} KiB)")
print()
print("all targets met" if all(verdicts) else "some targets missed")
PY
[[ $run_status -eq 0 ]] || echo "note: a run exited with status $run_status (see the table and the runs' run.log)"
