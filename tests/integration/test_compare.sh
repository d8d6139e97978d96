# Integration test of `writebench compare A B` (issue 4; docs/ARCHITECTURE.md,
# "Analysis", "Results files") on real runs: two runs of the same thing are
# compared test by test; a copy of a run is not flagged at all, even with
# --fail-if-slower 0; a run whose durations were
# doubled (fabricated from a real one, so the slow-down is exactly 2x whatever
# the machine's noise) is flagged and fails --fail-if-slower 50. Every figure
# is checked against the runs' own results.csv, and every p-value against a
# Welch t-test computed here in Python. Then the formats and the bad inputs.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tmp=$(make_temp_dir)
results="$tmp/results"

# Two real runs of the same thing: every strategy, tiny sizes, three repeats.
for name in first second; do
    run_wb run --db "sqlite://$tmp/$name.db" --rows 300 --slow-rows 30 --repeat 3 --results "$results"
    check_eq "run ($name) exits 0" 0 "$WB_RC" || show_wb_output
done
runs=("$results"/*/)
if [[ ${#runs[@]} -ne 2 ]]; then
    fail "two run directories under --results (found ${#runs[@]})"
    finish
fi
run_a=$(basename "${runs[0]}")
run_a2=$(basename "${runs[1]}")

# The fabricated runs, outside --results (compare also takes paths): an exact copy
# of A, and A with every duration doubled and every rows/s halved.
fab="$tmp/fabricated"
mkdir -p "$fab"
cp -r "$results/$run_a" "$fab/copy"
cp -r "$results/$run_a" "$fab/slow"
python3 - "$fab/slow" <<'PY'
import csv, json, os, sys
run = sys.argv[1]
path = os.path.join(run, "results.csv")
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header = rows[0]
d, r = header.index("duration_s"), header.index("rows_per_s")
for row in rows[1:]:
    if row[d]:
        row[d] = "%.6f" % (2 * float(row[d]))
    if row[r]:
        row[r] = "%.1f" % (float(row[r]) / 2)
with open(path, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
path = os.path.join(run, "results.json")
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
for result in doc["results"]:
    if result["duration_s"] is not None:
        result["duration_s"] *= 2
    if result["rows_per_s"] is not None:
        result["rows_per_s"] /= 2
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f)
PY
check_eq "fabricating the 2x run" 0 $?

# Shared by the python checks below: the groups of results.csv files, and
# Welch's test written out from its textbook formulas (p by Simpson's rule on
# Student's t density), independent of writebench's code.
COMPARE_PY='
import math, statistics
def groups(*paths):
    """(test, rows, threads, batch) -> durations of the successful tests, over the files"""
    out = {}
    for path in paths:
        for r in read_csv(path)[1]:
            key = (r["test"], r["rows"], r["threads"], r["batch"])
            out.setdefault(key, [])
            if r["success"] == "1" and r["duration_s"]:
                out[key].append(float(r["duration_s"]))
    return out
def welch_p(a, b):
    va, vb = statistics.variance(a), statistics.variance(b)
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    if va == 0 and vb == 0:
        return 1.0 if ma == mb else 0.0
    se2 = va / len(a) + vb / len(b)
    t = abs(ma - mb) / math.sqrt(se2)
    df = se2 ** 2 / ((va / len(a)) ** 2 / (len(a) - 1) + (vb / len(b)) ** 2 / (len(b) - 1))
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    pdf = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)
    n = 4000
    h = t / n
    s = pdf(0) + pdf(t) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, n))
    return max(0.0, 1 - 2 * s * h / 3)
def compared(path):
    """compare --format csv output: (test, rows, threads, batch) -> row"""
    return {(r["test"], r["rows"], r["threads"], r["batch"]): r for r in read_csv(path)[1]}
def check_against(rows, a, b, what):
    """every row of the comparison agrees with the durations a and b"""
    check(set(rows) == set(a) == set(b), what + ": every test compared, none on one side only")
    bad = []
    for key, r in rows.items():
        da, db = a.get(key, []), b.get(key, [])
        ok = r["n_a"] == str(len(da)) and r["n_b"] == str(len(db))
        if da and db:
            ma, mb = statistics.fmean(da), statistics.fmean(db)
            ok = ok and abs(float(r["mean_a_s"]) - ma) < 1e-6 and abs(float(r["mean_b_s"]) - mb) < 1e-6
            ok = ok and abs(float(r["ratio"]) - mb / ma) < 6e-4
        if len(da) >= 2 and len(db) >= 2:
            p = welch_p(da, db)
            ok = ok and abs(float(r["p_value"]) - p) < 1e-3 and r["method"].startswith("welch p")
            if abs(p - 0.05) > 0.002:  # not on the edge, where rounding may tip it
                want = "within noise" if p >= 0.05 else ("slower" if mb > ma else "faster")
                ok = ok and r["verdict"] == want
        else:
            ok = ok and r["verdict"] == "not judged" and r["method"] == "n<2" and r["p_value"] == ""
        if not ok:
            bad.append((key, r))
    check(not bad, what + ": n, means, ratio, p-value and verdict of every test agree with the runs " + repr(bad[:2]))
'

# --- 1. two real runs of the same thing: compared test by test (their timings
# may differ significantly by chance, so only the figures are checked here)
run_wb compare "$run_a" "$run_a2" --results "$results" --format csv
check_eq "compare of two real runs exits 0" 0 "$WB_RC" || show_wb_output
check_eq "nothing on stderr" "" "$(cat "$WB_ERR")"
py_checks "$WB_OUT" "$results/$run_a/results.csv" "$results/$run_a2/results.csv" <<PY
$COMPARE_PY
header = read_csv(sys.argv[1])[0]
check(header == ["test", "strategy", "phase", "backend", "workload", "rows", "threads", "batch", "n_a", "n_b",
                 "mean_a_s", "mean_b_s", "ratio", "change_pct", "rows_per_s_a", "rows_per_s_b", "p_value",
                 "verdict", "method", "origin", "language"], "csv header: " + ",".join(header))
check(all(r["origin"] == "built-in" and r["language"] == "c" for r in read_csv(sys.argv[1])[1]),
      "every test of these runs is a built-in strategy, in C")
rows = compared(sys.argv[1])
check(len(rows) >= 20, f"{len(rows)} tests compared")
check_against(rows, groups(sys.argv[2]), groups(sys.argv[3]), "A vs A2")
PY

# Sets: A and its copy against A2 pool the samples of each side.
run_wb compare "$run_a,$fab/copy" "$run_a2" --results "$results" --format csv
check_eq "compare of a set of runs exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" "$results/$run_a/results.csv" "$results/$run_a2/results.csv" <<PY
$COMPARE_PY
check_against(compared(sys.argv[1]), groups(sys.argv[2], sys.argv[2]), groups(sys.argv[3]), "A,copy vs A2")
PY

# --- 2. a run against an exact copy of itself: nothing flagged, even at 0%
run_wb compare "$results/$run_a" "$fab/copy" --fail-if-slower 0 --format csv
check_eq "A vs its copy with --fail-if-slower 0 exits 0" 0 "$WB_RC" || show_wb_output
check_eq "nothing on stderr" "" "$(cat "$WB_ERR")"
py_checks "$WB_OUT" <<'PY'
rows = read_csv(sys.argv[1])[1]
check(len(rows) >= 20, f"{len(rows)} tests compared")
check(all(r["verdict"] in ("within noise", "not judged") for r in rows), "no test flagged")
check(all(r["ratio"] == "1.000" and r["change_pct"] == "0.0" for r in rows if r["n_a"] != "0"), "every ratio is 1")
check(all(r["p_value"] == "1.0000" for r in rows if r["verdict"] == "within noise"), "every p-value is 1")
PY

# --- 3. a real 2x slow-down (fabricated): flagged, and --fail-if-slower 50 fails
run_wb compare "$results/$run_a" "$fab/slow" --fail-if-slower 50 --format csv
check_eq "A vs 2x with --fail-if-slower 50 exits 1" 1 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" "$WB_ERR" "$results/$run_a/results.csv" "$fab/slow/results.csv" <<PY
$COMPARE_PY
rows = compared(sys.argv[1])
a, b = groups(sys.argv[3]), groups(sys.argv[4])
check_against(rows, a, b, "A vs 2x")
check(all(r["ratio"] == "2.000" and r["change_pct"] == "100.0" for r in rows.values() if r["mean_b_s"]),
      "every ratio is 2.000, every change +100.0%")
slower = sorted(k[0] for k, r in rows.items() if r["verdict"] == "slower")
check(slower, f"the slow-down is flagged ({len(slower)} of {len(rows)} tests)")
check(all(r["verdict"] != "faster" for r in rows.values()), "nothing flagged faster")
with open(sys.argv[2], encoding="utf-8") as f:
    lines = f.read().splitlines()
prefix = "writebench compare: slower by more than 50%: "
named = sorted(line[len(prefix):].split(" ", 1)[0] for line in lines if line.startswith(prefix))
check(named == slower, f"stderr names exactly the flagged tests ({len(named)} lines)")
check(all(line.startswith(prefix) or "not judged" in line for line in lines), "stderr holds nothing else")
PY

run_wb compare "$results/$run_a" "$fab/slow" --fail-if-slower 150
check_eq "a 2x slow-down does not fail --fail-if-slower 150 (it is +100%)" 0 "$WB_RC" || show_wb_output
check_eq "and names no test" "" "$(cat "$WB_ERR")"
COLUMNS=1000 run_wb compare "$fab/slow" "$results/$run_a" --fail-if-slower 0
check_eq "the other way round (2x faster) exits 0 even at 0%" 0 "$WB_RC" || show_wb_output
check_contains "the speed-up is reported" "$(cat "$WB_OUT")" " faster "

# --- 4. the formats (a wide terminal: every column; test_analysis.sh checks the fitting)
COLUMNS=1000 run_wb compare "$run_a" "$fab/slow" --results "$results"
check_eq "table (the default) exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "table names side A" "$out" "A: $run_a (1 run, "
check_contains "table names side B (by its directory's name)" "$out" "B: slow (1 run, "
check_contains "table says what is shared" "$out" "backend: sqlite, workload: users (every test)"
check_contains "table has the columns" "$out" "mean_a_s  mean_b_s  ratio  change_pct"
check_contains "table has the method" "$out" "welch p"
check_contains "table ends with the summary" "$(tail -n 1 "$WB_OUT")" "tests compared: "

run_wb compare "$run_a" "$fab/slow" --results "$results" --format markdown
check_eq "markdown exits 0" 0 "$WB_RC" || show_wb_output
check_contains "markdown lists the sides" "$(head -n 1 "$WB_OUT")" "- A: $run_a"
check_contains "markdown table" "$(cat "$WB_OUT")" "| test | rows | threads | batch | n_a | n_b |"

run_wb compare "$run_a" "$fab/slow" --results "$results" --format json
check_eq "json exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" "$results/$run_a/results.csv" <<PY
$COMPARE_PY
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
check(list(doc) == ["tests"], "json is {\"tests\": [...]}")
tests = doc.get("tests", [])
check(len(tests) == len(groups(sys.argv[2])), f"one object per test ({len(tests)})")
check(all(t["ratio"] is None or abs(t["ratio"] - 2) < 1e-9 for t in tests), "ratios are numbers, 2")
# JSON has one number type: a p-value of exactly 0 or 1 is written "0" or "1", which Python reads as int.
check(all(t["p_value"] is None or (isinstance(t["p_value"], (int, float)) and not isinstance(t["p_value"], bool) and 0 <= t["p_value"] <= 1) for t in tests), "p_value is a number in [0, 1] or null")
check(all(t["batch"] is None or isinstance(t["batch"], int) for t in tests), "batch is a number or null")
PY

# A test on one side only is listed apart: drop one test from a copy of A.
cp -r "$results/$run_a" "$fab/fewer"
python3 - "$fab/fewer" <<'PY'
import csv, json, os, sys
path = os.path.join(sys.argv[1], "results.csv")
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
keep = [rows[0]] + [r for r in rows[1:] if r[1] != "prepared-insert"]
with open(path, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(keep)
path = os.path.join(sys.argv[1], "results.json")
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
doc["results"] = [r for r in doc["results"] if r["test"] != "prepared-insert"]
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f)
PY
run_wb compare "$results/$run_a" "$fab/fewer"
check_eq "compare with a test missing in B exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "the one-side test is listed apart" "$out" "not compared, found on one side only:"
check_contains "it is prepared-insert, in A" "$(sed -n '/not compared/,$p' "$WB_OUT")" "A     prepared-insert"
check_contains "the summary counts it" "$out" "; 1 only in A, 0 only in B."
run_wb compare "$results/$run_a" "$fab/fewer" --format csv
check_contains "csv marks it 'only in A'" "$(grep '^prepared-insert,' "$WB_OUT")" ",only in A,"

# --- 5. bad input: one line naming the problem, exit 2, nothing on stdout
bad_input() { # DESCRIPTION WHAT-STDERR-SAYS ARGS...
    local what=$1 says=$2
    shift 2
    run_wb compare "$@"
    check_eq "$what: exit 2" 2 "$WB_RC" || show_wb_output
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")"
    check_contains "$what: says so" "$(cat "$WB_ERR")" "$says"
    check_eq "$what: nothing on stdout" "" "$(cat "$WB_OUT")"
}
bad_input "missing run A" "A: no run 'no-such-run'" no-such-run "$run_a" --results "$results"
bad_input "missing run in set B" "B: no run 'no-such-run'" "$run_a" "$run_a2,no-such-run" --results "$results"
bad_input "one run only" "needs two runs" "$run_a" --results "$results"
bad_input "negative PCT" "--fail-if-slower must be a percentage" "$run_a" "$run_a2" --results "$results" \
    --fail-if-slower -5
bad_input "PCT not a number" "got 'ten'" "$run_a" "$run_a2" --results "$results" --fail-if-slower ten
bad_input "PCT with a percent sign" "got '10%'" "$run_a" "$run_a2" --results "$results" --fail-if-slower 10%
bad_input "unknown format" "unknown format 'xml'" "$run_a" "$run_a2" --results "$results" --format xml
bad_input "empty name in a set" "empty run name" "$run_a,,$run_a2" "$run_a2" --results "$results"

# A side whose only run cannot be read: the run is named as skipped, then the side.
mkdir -p "$tmp/not-a-run"
run_wb compare "$run_a" "$tmp/not-a-run" --results "$results"
check_eq "unreadable side B: exit 2" 2 "$WB_RC" || show_wb_output
check_contains "names the unreadable directory" "$(cat "$WB_ERR")" "$tmp/not-a-run"
check_contains "names side B" "$(tail -n 1 "$WB_ERR")" "writebench compare: B: "
check_eq "nothing on stdout" "" "$(cat "$WB_OUT")"

# A set with an unreadable run: compared without it, and said so.
run_wb compare "$run_a,$tmp/not-a-run" "$fab/copy" --results "$results" --format csv
check_eq "a set with an unreadable run: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "names the skipped run" "$(cat "$WB_ERR")" "skipping $tmp/not-a-run"
check_contains "counts side A's runs" "$(cat "$WB_ERR")" "writebench compare: A: 1 run(s) read, 1 skipped"
check "compares A's tests all the same" grep -q ',within noise,welch p=1.000,built-in,c$' "$WB_OUT"

finish
