#!/usr/bin/env bash
# Benchmark of issue 5 (not a test: it prints figures): the cost of --echo.
# single-tx on the products workload with ROWS rows (SQLite), run REPEAT times
# without --echo and REPEAT times with --echo (stderr to /dev/null), alternating
# so that drift in the machine hits both alike. Compares the median of the timed
# duration_s (the strategy alone: no verification, no connect) and prints the
# overhead in percent against the 5% target: PASS or FAIL. Also prints the
# child's CPU time (user+sys), steadier than the duration on a busy machine.
# Usage: bench/echo-overhead.sh                 (ROWS=100000 REPEAT=3)
#        ROWS=20000 REPEAT=5 bench/echo-overhead.sh
#        DB=postgresql://... bench/echo-overhead.sh   (any --db; default: SQLite files)
# Builds a Release binary in build-bench/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-100000}
REPEAT=${REPEAT:-3}
TARGET_PERCENT=5
BUILD_DIR=${BUILD_DIR:-build-bench}

echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run of single-tx; appends its duration_s to the file named by $1.
run_once() {
    local mode=$1 db=${DB:-}
    [[ -z "$db" ]] && db="sqlite://$work/$mode.db"
    local args=(run --db "$db" --workload products --rows "$ROWS" --strategies single-tx
                --verify count --results "$work/results-$mode")
    [[ "$mode" == echo ]] && args+=(--echo)
    "$wb" "${args[@]}" >/dev/null 2>/dev/null
    # The newest run's results.csv: its duration_s column.
    local csv
    csv=$(ls -td "$work/results-$mode"/*/ | head -n 1)results.csv
    python3 - "$csv" >>"$work/$mode.txt" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and rows[-1]["success"] == "1", "the test failed"
r = rows[-1]
print(r["duration_s"], float(r["cpu_user_s"]) + float(r["cpu_sys_s"]))
EOF
}

echo "single-tx, products, $ROWS rows, $REPEAT runs each, --echo output to /dev/null"
for ((i = 1; i <= REPEAT; i++)); do
    run_once plain
    run_once echo
done

python3 - "$work/plain.txt" "$work/echo.txt" "$TARGET_PERCENT" <<'EOF'
import statistics, sys
plain_runs = [line.split() for line in open(sys.argv[1])]
echo_runs = [line.split() for line in open(sys.argv[2])]
target = float(sys.argv[3])
plain, echo = [float(r[0]) for r in plain_runs], [float(r[0]) for r in echo_runs]
plain_cpu, echo_cpu = [float(r[1]) for r in plain_runs], [float(r[1]) for r in echo_runs]
fmt = lambda xs: ", ".join(f"{x:.3f}" for x in xs)
print(f"without --echo: duration_s {fmt(plain)}  median {statistics.median(plain):.3f}")
print(f"with    --echo: duration_s {fmt(echo)}  median {statistics.median(echo):.3f}")
cpu_overhead = (statistics.median(echo_cpu) / statistics.median(plain_cpu) - 1) * 100
print(f"child CPU time (user+sys) medians: {statistics.median(plain_cpu):.3f} s without, "
      f"{statistics.median(echo_cpu):.3f} s with --echo: {cpu_overhead:+.1f}% (for information: "
      "less sensitive to other load on the machine than the duration)")
overhead = (statistics.median(echo) / statistics.median(plain) - 1) * 100
verdict = "PASS" if overhead < target else "FAIL"
print(f"overhead of --echo: {overhead:+.1f}% of duration_s (target < {target:g}%): {verdict}")
EOF
