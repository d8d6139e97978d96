#!/usr/bin/env bash
# Benchmark of issue 5 (not a test: it prints figures): the cost of --echo.
# single-tx on the products workload with ROWS rows (SQLite), run REPEAT times
# without --echo and REPEAT times with --echo (stderr to /dev/null), in pairs one
# right after the other (plain first in odd rounds, echo first in even ones) so
# that drift in the machine hits both alike. From the timed duration_s (the
# strategy alone: no verification, no connect) it prints:
#   - the overhead of each pair (echo / plain - 1) and their median: the verdict
#     against the 5% target, PASS or FAIL, is on this paired median;
#   - the median of all echo runs against the median of all plain runs, and the
#     fastest against the fastest, for comparison;
#   - the spread of the plain runs alone ((max - min) / median): on a shared
#     machine it is often larger than the effect measured, and then one figure
#     means little: run it again, or raise REPEAT;
#   - the child's CPU time (user+sys), less sensitive to other load;
#   - then (SQLite only) bench/echo-interleaved.c, run REPEAT times: the same
#     statements inside one process on three connections (plain, --echo, a trace
#     callback that does nothing) taking turns every 1,000 rows, so that the load
#     of the machine cancels out: the cost of --echo per statement, and how much of
#     it is SQLite's own tracing (which --echo cannot avoid). The steadiest figure
#     on a shared machine; the verdict stays on the runs above.
# Usage: bench/echo-overhead.sh                 (ROWS=100000 REPEAT=7)
#        ROWS=20000 REPEAT=5 bench/echo-overhead.sh
#        DB=postgresql://... bench/echo-overhead.sh   (any --db; default: SQLite files)
# Builds a Release binary in build-bench/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-100000}
REPEAT=${REPEAT:-7}
TARGET_PERCENT=5
BUILD_DIR=${BUILD_DIR:-build-bench}

echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The interleaved measurement links the library writebench was just built from.
"${CC:-cc}" -O2 -std=c11 -D_GNU_SOURCE -Isrc bench/echo-interleaved.c "$BUILD_DIR/libwbcore.a" \
    -lsqlite3 -lpq -lm -lpthread -o "$work/echo-interleaved"

# One run of single-tx in mode $1 (plain or echo); appends "duration_s cpu_s" to $work/$1.txt.
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
    if ((i % 2)); then
        run_once plain
        run_once echo
    else
        run_once echo
        run_once plain
    fi
done

python3 - "$work/plain.txt" "$work/echo.txt" "$TARGET_PERCENT" <<'EOF'
import statistics, sys
plain_runs = [line.split() for line in open(sys.argv[1])]
echo_runs = [line.split() for line in open(sys.argv[2])]
target = float(sys.argv[3])
plain, echo = [float(r[0]) for r in plain_runs], [float(r[0]) for r in echo_runs]
plain_cpu, echo_cpu = [float(r[1]) for r in plain_runs], [float(r[1]) for r in echo_runs]
fmt = lambda xs: ", ".join(f"{x:.3f}" for x in xs)
pct = lambda a, b: (a / b - 1) * 100
print(f"without --echo: duration_s {fmt(plain)}  median {statistics.median(plain):.3f}")
print(f"with    --echo: duration_s {fmt(echo)}  median {statistics.median(echo):.3f}")
pairs = [pct(e, p) for p, e in zip(plain, echo)]
print("overhead of each pair: " + ", ".join(f"{x:+.1f}%" for x in pairs))
spread = (max(plain) - min(plain)) / statistics.median(plain) * 100
print(f"median against median: {pct(statistics.median(echo), statistics.median(plain)):+.1f}%; "
      f"fastest against fastest: {pct(min(echo), min(plain)):+.1f}%; "
      f"spread of the runs without --echo: {spread:.0f}% of their median")
cpu_overhead = pct(statistics.median(echo_cpu), statistics.median(plain_cpu))
print(f"child CPU time (user+sys) medians: {statistics.median(plain_cpu):.3f} s without, "
      f"{statistics.median(echo_cpu):.3f} s with --echo: {cpu_overhead:+.1f}% (for information: "
      "less sensitive to other load on the machine than the duration)")
overhead = statistics.median(pairs)
verdict = "PASS" if overhead < target else "FAIL"
print(f"overhead of --echo: {overhead:+.1f}% of duration_s, median of the pairs (target < {target:g}%): {verdict}")
EOF

[[ -n "${DB:-}" ]] && exit 0 # the interleaved measurement is SQLite's
echo "interleaved in one process (bench/echo-interleaved.c), $ROWS rows on each connection, $REPEAT times:"
for ((i = 1; i <= REPEAT; i++)); do
    rm -rf "$work/interleaved" && mkdir "$work/interleaved"
    "$work/echo-interleaved" "$work/interleaved" "$ROWS" >>"$work/interleaved.txt"
done
python3 - "$work/interleaved.txt" "$ROWS" <<'EOF'
import statistics, sys
runs = [dict(zip(l.split()[0::2], map(float, l.split()[1::2]))) for l in open(sys.argv[1])]
rows = int(sys.argv[2])
for kind, what in (("echo", "--echo"), ("noop", "a no-op trace callback (SQLite's tracing alone)")):
    pct = [(r[kind] / r["plain"] - 1) * 100 for r in runs]
    ns = [(r[kind] - r["plain"]) / rows * 1e9 for r in runs]
    print(f"  {what}: " + ", ".join(f"{x:+.1f}%" for x in pct) +
          f"; median {statistics.median(pct):+.1f}% ({statistics.median(ns):.0f} ns per statement)")
EOF
