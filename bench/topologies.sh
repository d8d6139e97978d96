#!/usr/bin/env bash
# Benchmark of issue 13 (not a test: it prints figures). On `users`, ROWS rows per
# table (the per-row single-autocommit at SLOW_ROWS), REPEAT repeats in one run each,
# the strategies single-autocommit, batch-commit (--batch BATCH), prepared,
# copy-binary and staging-merge on three throwaway PostgreSQL topologies:
#   - lone:        pg-temp:                     one server, commits wait for its own flush;
#   - sync standby pg-temp:?standby=sync        every commit also waits for a streaming
#                  standby's flush, run with --set synchronous_commit=on,off (on is the
#                  default: the "sync standby" column; off: commits wait for no flush);
#   - pooler:      pg-temp:?pooler=transaction  pgbouncer in transaction mode in front
#                  (prepared needs named prepared statements kept across transactions,
#                  which it cannot keep: skipped with the probe's reason).
# It prints a rows/s table (median, min..max over the repeats), the commit p99 table
# (the median over the repeats of each test's batch_p99_ms: a batch is a commit for the
# per-row and batch-commit strategies, the whole transaction for prepared, a COPY for
# copy-binary and a staged table for staging-merge), and checks the expected shape
# rather than assuming it: per-row commits lose the most on the sync standby (the
# smallest standby/lone ratio of rows/s), COPY the least (the largest).
# Every figure comes from the runs' results.csv.
# Usage: bench/topologies.sh                      (ROWS=100000 SLOW_ROWS=10000 REPEAT=3 BATCH=1000)
#        ROWS=2000 SLOW_ROWS=500 REPEAT=1 bench/topologies.sh   (a smoke run)
# Builds a Release binary in build-bench/; keeps the runs under results/bench/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-100000}
SLOW_ROWS=${SLOW_ROWS:-10000}
REPEAT=${REPEAT:-3}
BATCH=${BATCH:-1000}
STRATEGIES=single-autocommit,batch-commit,prepared,copy-binary,staging-merge
PER_ROW=single-autocommit
COPY=copy-binary

scripts/deps --bench
BUILD_DIR=build-bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p results/bench
out=$(mktemp -d "results/bench/topologies.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
echo "runs kept in $out/"

run_status=0
# run LABEL URL [ARGS...]: one run of the strategies on a topology, kept in $out/LABEL.
run() {
    local label=$1 url=$2
    shift 2
    echo
    echo "=== $label ($url $*), users, $ROWS rows ($PER_ROW at $SLOW_ROWS), batch $BATCH, repeat $REPEAT"
    "$wb" run --db "$url" --workload users --rows "$ROWS" --slow-rows "$SLOW_ROWS" --batch "$BATCH" \
        --repeat "$REPEAT" --strategies "$STRATEGIES" --results "$out/$label" "$@" || run_status=$?
}
run lone "pg-temp:"
run standby "pg-temp:?standby=sync" --set synchronous_commit=on,off
run pooler "pg-temp:?pooler=transaction"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" "$STRATEGIES" "$PER_ROW" "$COPY" <<'PY'
import csv, glob, os, statistics, sys
out, strategies, per_row, copy = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4]
# (column title, run directory, settings of its tests)
columns = [("lone", "lone", ""), ("sync standby", "standby", "synchronous_commit=on"),
           ("sync standby, synchronous_commit=off", "standby", "synchronous_commit=off"),
           ("pooler=transaction", "pooler", "")]
tests = {}
for title, label, settings in columns:
    for path in glob.glob(os.path.join(out, label, "*", "results.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["phase"] == "insert" and r["settings"] == settings:
                    tests.setdefault((title, r["strategy"]), []).append(r)

def cell(title, strategy, figure):
    rs = tests.get((title, strategy), [])
    ok = [r for r in rs if r["success"] == "1" and r[figure]]
    if not ok:
        skipped = [r["error"] for r in rs if r["error"].startswith("skipped:")]
        return ("skipped" if skipped else "failed" if rs else "-"), None
    values = sorted(float(r[figure]) for r in ok)
    m = statistics.median(values)
    return (f"{m:,.0f} ({values[0]:,.0f}..{values[-1]:,.0f})" if figure == "rows_per_s"
            else f"{m:.3f} ({values[0]:.3f}..{values[-1]:.3f})"), m

for heading, figure in (("rows/s (median, min..max over the repeats)", "rows_per_s"),
                        ("commit p99 latency, ms (batch_p99_ms: median, min..max over the repeats)", "batch_p99_ms")):
    print()
    print(heading)
    print("| strategy | " + " | ".join(t for t, _, _ in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for s in strategies:
        print(f"| {s} | " + " | ".join(cell(t, s, figure)[0] for t, _, _ in columns) + " |")

# The shape: the standby's rows/s over the lone server's, per strategy.
print()
ratios = {}
for s in strategies:
    _, lone = cell("lone", s, "rows_per_s")
    _, standby = cell("sync standby", s, "rows_per_s")
    if lone and standby:
        ratios[s] = standby / lone
for s, q in sorted(ratios.items(), key=lambda kv: kv[1]):
    print(f"sync standby / lone, {s}: {q:.3f}")
if per_row in ratios and copy in ratios and len(ratios) >= 3:
    loses_most = min(ratios, key=ratios.get) == per_row
    loses_least = max(ratios, key=ratios.get) == copy
    print(f"per-row commits ({per_row}) lose the most on the sync standby: {'holds' if loses_most else 'does NOT hold'}")
    print(f"COPY ({copy}) loses the least: {'holds' if loses_least else 'does NOT hold'}")
    print("expected shape:", "holds" if loses_most and loses_least else "does NOT hold")
else:
    print("expected shape: cannot be checked (a strategy did not succeed on both the lone server and the standby)")
PY
exit "$run_status"
