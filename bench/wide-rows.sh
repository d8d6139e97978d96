#!/usr/bin/env bash
# Benchmark of issue 11 (not a test: it prints figures). Wide rows on a throwaway
# PostgreSQL (pg-temp:), ROWS rows (1,000,000), REPEAT runs each (3): the shipped `events`
# (16 columns: a timestamptz, a device id, ten double precision readings, a jsonb
# payload, a text status) and generated workloads of 8, 32 and 128 columns (a mix
# of integer, double precision, text, timestamptz, boolean, numeric, varchar and
# bigint columns). For each workload and each of values-multirow, unnest,
# copy-text and copy-binary it prints the median rows/s of the REPEAT runs with
# their range, MB/s (the database's growth per second of the median run) and the
# client's peak RSS (the largest); and the load-time check's own time
# (`workload check`, at the run's largest key). It writes a chart of rows/s against
# the number of columns (SVG) beside the runs, and checks three targets:
#   - copy-binary at least 1.3x copy-text's rows/s on events (the median of the
#     ratios of the two in the same repetition, with their range);
#   - the client's peak RSS at most 16 MB for every strategy at any width;
#   - the load-time check under 1 s for every workload.
# Usage: bench/wide-rows.sh                 (ROWS=1000000, REPEAT=3)
#        ROWS=2000 REPEAT=1 bench/wide-rows.sh   (a quick look that it runs)
# Builds a Release binary in build-bench/; keeps the runs, the generated workloads
# and the chart under results/bench/wide-rows.<time>/. Exits 1 when a target is
# not met, or a test failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
REPEAT=${REPEAT:-3}
WIDTHS=${WIDTHS:-"8 32 128"}
BUILD_DIR=build-bench
STRATEGIES=values-multirow,unnest,copy-text,copy-binary
BINARY_OVER_TEXT_TARGET=1.3
RSS_TARGET_KB=$((16 * 1024))
CHECK_TARGET_S=1

scripts/deps --bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p results/bench
out=$(mktemp -d "results/bench/wide-rows.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
echo "runs kept in $out/"

# wide_workload N FILE: a workload of one table of N columns (the key and N - 1 others,
# their types in turn from a mix), none of which version 2 changes.
wide_workload() {
    python3 - "$1" >"$2" <<'PY'
import sys
n = int(sys.argv[1])
mix = [
    ("integer", "{kind: uniform, min: -1000000, max: 1000000}"),
    ("double precision", "{kind: uniform, min: -1000, max: 1000, fraction_bits: 8}"),
    ("text", "{kind: text, length: {min: 8, max: 32}}"),
    ("timestamptz", '{kind: time, from: "2024-01-01T00:00:00Z", to: "2024-12-31T23:59:59Z", order: uniform}'),
    ("boolean", "{kind: boolean, true_share: 0.3}"),
    ("numeric(12,2)", "{kind: uniform, min: 0, max: 99999.99}"),
    ("varchar(32)", "{kind: choice, values: [alpha, beta, gamma, delta, epsilon]}"),
    ("bigint", "{kind: sequence, start: 1, step: 7}"),
]
print(f"workload: wide{n}")
print(f"description: one table of {n} columns, a mix of eight types (bench/wide-rows.sh)")
print("tables:")
print(f"  - name: wide{n}")
print("    key: id")
print("    columns:")
for i in range(1, n):
    sql_type, generator = mix[(i - 1) % len(mix)]
    print(f"      - {{name: c{i:03d}, type: \"{sql_type}\", generator: {generator}, hostile: false}}")
PY
}

workloads=(events)
for n in $WIDTHS; do
    wide_workload "$n" "$out/wide$n.yaml"
    workloads+=("$out/wide$n.yaml")
done

run_status=0
for w in "${workloads[@]}"; do
    name=$(basename "$w" .yaml)
    echo
    echo "=== PostgreSQL (pg-temp:), $name, $ROWS rows, $REPEAT runs: $STRATEGIES"
    "$wb" run --db pg-temp: --workload "$w" --rows "$ROWS" --strategies "$STRATEGIES" --repeat "$REPEAT" \
        --results "$out/runs/$name" || run_status=$?
    echo "=== the load-time check of $name, up to key $ROWS"
    "$wb" workload check "$w" --db pg-temp: --rows "$ROWS" | tee "$out/check-$name.txt" || run_status=$?
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

targets=0
python3 - "$out" "$BINARY_OVER_TEXT_TARGET" "$RSS_TARGET_KB" "$CHECK_TARGET_S" <<'PY' || targets=$?
import csv, glob, os, re, statistics, sys
out, ratio_target, rss_target_kb, check_target_s = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
strategies = ["values-multirow", "unnest", "copy-text", "copy-binary"]
runs = {}     # (workload, strategy) -> {repetition: row}
columns = {}  # workload -> number of columns
for path in glob.glob(os.path.join(out, "runs", "*", "*", "results.csv")):
    name = path.split(os.sep)[-3]
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["phase"] == "insert" and r["strategy"] in strategies:
                runs.setdefault((name, r["strategy"]), {})[int(r["repeat"])] = r

def median_run(by_repeat):
    """The run of the median rows/s (the lower middle one of an even count)."""
    ordered = sorted(by_repeat.values(), key=lambda r: float(r["rows_per_s"] or 0))
    return ordered[(len(ordered) - 1) // 2]

results = {key: median_run(by_repeat) for key, by_repeat in runs.items()}  # (workload, strategy) -> median run
checks = {}
for path in glob.glob(os.path.join(out, "check-*.txt")):
    m = re.search(r"the check took ([0-9.]+) s", open(path, encoding="utf-8").read())
    checks[os.path.basename(path)[len("check-"):-len(".txt")]] = float(m.group(1)) if m else None
for name in {w for w, _ in results}:
    columns[name] = 16 if name == "events" else int(name[len("wide"):])

def number(r, key):
    return float(r[key]) if r and r.get(key) not in (None, "") else None

print()
print("| workload | columns | strategy | rows/s (median) | range of the runs | MB/s | client peak RSS | verified |")
print("|---|---:|---|---:|---:|---:|---:|---|")
for name in sorted(columns, key=lambda w: columns[w]):
    for s in strategies:
        r = results.get((name, s))
        all_runs = list(runs.get((name, s), {}).values())
        rows_s, dur, db = (number(r, k) for k in ("rows_per_s", "duration_s", "db_bytes"))
        each = [number(x, "rows_per_s") for x in all_runs if number(x, "rows_per_s")]
        rss = max((number(x, "peak_rss_kb") or 0 for x in all_runs), default=0)
        mb_s = db / dur / 1e6 if db and dur else None
        print(f"| {name} | {columns[name]} | {s} | {rows_s:,.0f} | " if rows_s else f"| {name} | {columns[name]} | {s} | - | ",
              end="")
        print(f"{min(each):,.0f}..{max(each):,.0f} ({len(each)}) | " if each else "- | ", end="")
        print(f"{mb_s:.1f} | " if mb_s else "- | ", end="")
        print(f"{rss / 1024:.1f} MiB | " if rss else "- | ", end="")
        verified = all_runs and all(x["success"] == "1" for x in all_runs)
        print(("yes" if verified else "NO") + " |")
print()
print("| workload | load-time check |")
print("|---|---:|")
for name in sorted(columns, key=lambda w: columns[w]):
    c = checks.get(name)
    print(f"| {name} | {c:.3f} s |" if c is not None else f"| {name} | - |")

met = True
# the ratio of the two in each repetition (the same minutes of the machine), then their median
text_runs, binary_runs = runs.get(("events", "copy-text"), {}), runs.get(("events", "copy-binary"), {})
ratios = sorted(number(binary_runs[k], "rows_per_s") / number(text_runs[k], "rows_per_s")
                for k in text_runs.keys() & binary_runs.keys()
                if number(text_runs[k], "rows_per_s") and number(binary_runs[k], "rows_per_s"))
ratio = statistics.median(ratios) if ratios else None
ok = ratio is not None and ratio >= ratio_target
met &= ok
print()
print(f"copy-binary / copy-text on events: {ratio:.2f}x, the median of {len(ratios)} runs (range {ratios[0]:.2f}..{ratios[-1]:.2f})"
      if ratio else "copy-binary / copy-text on events: -", f"(target >= {ratio_target}x):", "met" if ok else "NOT met")
rss = [number(r, "peak_rss_kb") for by_repeat in runs.values() for r in by_repeat.values()]
worst = max((x for x in rss if x), default=None)
ok = worst is not None and all(x is not None and x <= rss_target_kb for x in rss)
met &= ok
print(f"client peak RSS at most {rss_target_kb // 1024} MB at any width: the largest is",
      f"{worst / 1024:.1f} MiB:" if worst else "-:", "met" if ok else "NOT met")
slowest = max((c for c in checks.values() if c is not None), default=None)
ok = slowest is not None and len(checks) == len(columns) and all(c is not None and c < check_target_s for c in checks.values())
met &= ok
print(f"load-time check under {check_target_s:g} s: the slowest took", f"{slowest:.3f} s:" if slowest is not None else "-:",
      "met" if ok else "NOT met")

# rows/s against columns, one line per strategy, as an SVG of its own
width, height, left, right, top, bottom = 640, 400, 80, 150, 30, 50
xs = sorted(set(columns.values()))
ys = [number(r, "rows_per_s") for r in results.values() if number(r, "rows_per_s")]
if xs and ys:
    import math
    ymax = max(ys) * 1.1
    lx = lambda c: left + (math.log(c) - math.log(xs[0])) / ((math.log(xs[-1]) - math.log(xs[0])) or 1) * (width - left - right)
    ly = lambda v: top + (1 - v / ymax) * (height - top - bottom)
    colors = ["#1b6ca8", "#d1495b", "#edae49", "#00798c"]
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="{width / 2}" y="18" text-anchor="middle">rows/s against columns (PostgreSQL, pg-temp:, insert pass, medians)</text>',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>']
    for c in xs:
        svg.append(f'<text x="{lx(c):.1f}" y="{height - bottom + 18}" text-anchor="middle">{c}</text>')
    svg.append(f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">columns (log scale)</text>')
    for i in range(5):
        v = ymax * i / 4
        svg.append(f'<text x="{left - 6}" y="{ly(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
    for k, s in enumerate(strategies):
        points = sorted((columns[w], number(r, "rows_per_s")) for (w, st), r in results.items()
                        if st == s and number(r, "rows_per_s"))
        if not points:
            continue
        path = " ".join(f"{lx(c):.1f},{ly(v):.1f}" for c, v in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colors[k]}" stroke-width="2"/>')
        for c, v in points:
            svg.append(f'<circle cx="{lx(c):.1f}" cy="{ly(v):.1f}" r="3" fill="{colors[k]}"/>')
        svg.append(f'<text x="{width - right + 10}" y="{top + 20 * k + 10}" fill="{colors[k]}">{s}</text>')
    svg.append("</svg>")
    with open(os.path.join(out, "rows-per-s-by-columns.svg"), "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")
    print("chart:", os.path.join(out, "rows-per-s-by-columns.svg"))
sys.exit(0 if met else 1)
PY
[[ $run_status -eq 0 ]] || exit "$run_status"
exit "$targets"
