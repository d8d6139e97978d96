#!/usr/bin/env bash
# aggregate and correlate over real runs: the figures agree with a recomputation
# from results.csv in python, every format is well-formed, sizes never mix, and
# damaged run directories (corrupt, truncated, empty, foreign, newer format) are
# each reported by name and skipped while the good runs are still aggregated.
# External strategies (a run written by hand, make_external_run.py): every format
# carries their origin and language, and a bad origin skips the run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
res="$dir/results"
strategies=prepared,values-multirow,server-generate

run_wb run --db "sqlite://$dir/a.db" --results "$res" --rows 200 --strategies "$strategies" --repeat 2
check_eq "run at 200 rows exits 0" 0 "$WB_RC" || show_wb_output
run_wb run --db "sqlite://$dir/b.db" --results "$res" --rows 100 --strategies "$strategies" --repeat 2
check_eq "run at 100 rows exits 0" 0 "$WB_RC" || show_wb_output
mapfile -t runs < <(cd "$res" && ls)
check_eq "two run directories" 2 "${#runs[@]}"

# ---- aggregate: csv (the default) --------------------------------------------
run_wb aggregate --results "$res"
check_eq "aggregate exits 0" 0 "$WB_RC" || show_wb_output
check_eq "aggregate prints nothing on stderr" "" "$(cat "$WB_ERR")"
cp "$WB_OUT" "$dir/aggregate.csv"
check_eq "the csv header is exactly the aggregate columns of docs/ARCHITECTURE.md" \
    "test,strategy,phase,backend,workload,rows,threads,batch,runs,success_rate,mean_duration_s,sd_duration_s,median_duration_s,min_duration_s,max_duration_s,ci95_low_s,ci95_high_s,mean_rows_per_s,mean_peak_rss_kb,max_peak_rss_kb,mean_wal_bytes,z_duration,z_memory,outlier,origin,language,verify,mean_verify_s,mean_process_s,ci95_note,settings,median_batch_p50_ms,median_batch_p95_ms,median_batch_p99_ms,max_batch_max_ms" \
    "$(head -n 1 "$dir/aggregate.csv")"
check "every group of these runs is a built-in strategy, in C" \
    awk -F, 'NR > 1 && !/,built-in,c,/ { exit 1 }' "$dir/aggregate.csv"

# Recompute every group from the runs' results.csv with python's statistics module.
py_checks "$dir/aggregate.csv" "$res"/*/results.csv <<'PY'
import statistics, math
_, groups, _ = read_csv(sys.argv[1])
tests = []
for path in sys.argv[2:]:
    tests += read_csv(path)[1]
key = lambda r: (r["strategy"], r["phase"], r["backend"], r["workload"], r["rows"], r["threads"], r["batch"])
expected = {}
for t in tests:
    expected.setdefault(key(t), []).append(t)
check(len(groups) == len(expected), f"one group per (strategy, phase, backend, workload, rows, threads, batch): {len(groups)} vs {len(expected)}")
check({key(g) for g in groups} == set(expected), "the groups' keys are the tests' keys")
check({g["rows"] for g in groups} == {"100", "200"}, "both sizes present, each in its own groups")
near = lambda a, b, tol: abs(float(a) - b) <= tol
ok_all = True
for g in groups:
    ts = expected[key(g)]
    d = [float(t["duration_s"]) for t in ts if t["success"] == "1"]
    ok = int(g["runs"]) == len(ts) and g["test"] == g["strategy"] + "-" + g["phase"]
    ok &= near(g["success_rate"], len(d) / len(ts), 0.0005)
    ok &= near(g["mean_duration_s"], statistics.mean(d), 1.5e-6)
    ok &= near(g["median_duration_s"], statistics.median(d), 1.5e-6)
    ok &= near(g["min_duration_s"], min(d), 1e-9) and near(g["max_duration_s"], max(d), 1e-9)
    if len(d) >= 2:
        sd = statistics.stdev(d)
        ok &= near(g["sd_duration_s"], sd, 1.5e-6)
        # t(0.975, 1) = 12.7062047362 (repeat 2: two tests per group)
        if len(d) == 2:
            low = statistics.mean(d) - 12.7062047362 * sd / math.sqrt(2)
            if low < 0:  # too few runs to bound the mean: no interval, a note
                ok &= g["ci95_low_s"] == "" and g["ci95_high_s"] == "" and g["ci95_note"] == "too few runs"
            else:
                ok &= near(g["ci95_low_s"], low, 3e-6)
    rss = [int(t["peak_rss_kb"]) for t in ts if t["success"] == "1" and t["peak_rss_kb"]]
    ok &= near(g["mean_peak_rss_kb"], statistics.mean(rss), 0.06) and int(g["max_peak_rss_kb"]) == max(rss)
    rps = [float(t["rows_per_s"]) for t in ts if t["success"] == "1"]
    ok &= near(g["mean_rows_per_s"], statistics.mean(rps), 0.06)
    # the batches' latencies: the median of each test's percentile, the largest max
    for col in ("p50", "p95", "p99"):
        v = [float(t[f"batch_{col}_ms"]) for t in ts if t["success"] == "1" and t[f"batch_{col}_ms"]]
        ok &= (g[f"median_batch_{col}_ms"] == "") if not v else near(g[f"median_batch_{col}_ms"], statistics.median(v), 0.0006)
    v = [float(t["batch_max_ms"]) for t in ts if t["success"] == "1" and t["batch_max_ms"]]
    ok &= (g["max_batch_max_ms"] == "") if not v else near(g["max_batch_max_ms"], max(v), 0.0006)
    if not ok:
        print("mismatch in group", g)
    ok_all &= bool(ok)
check(ok_all, "every group's figures match python's statistics over the same tests")
# z-scores: within (workload, backend, rows, phase), over the groups' means, population sd
sets = {}
for g in groups:
    sets.setdefault((g["workload"], g["backend"], g["rows"], g["phase"]), []).append(g)
ok_z = True
for members in sets.values():
    means = [float(g["mean_duration_s"]) for g in members]
    mu, sd = statistics.mean(means), statistics.pstdev(means)
    for g, m in zip(members, means):
        z = (m - mu) / sd if sd > 0 else 0.0
        ok_z &= near(g["z_duration"], z, 0.01)
check(ok_z, "z_duration is computed within each (workload, backend, rows, phase) set")
# order: comparable sets together, rows/s descending inside each
order_ok = all(float(a["mean_rows_per_s"]) >= float(b["mean_rows_per_s"])
               for a, b in zip(groups, groups[1:])
               if (a["workload"], a["backend"], a["rows"], a["phase"]) == (b["workload"], b["backend"], b["rows"], b["phase"]))
check(order_ok, "groups are ordered fastest first within each comparable set")
PY

run_wb aggregate --results "$res"
check "aggregate's output is the same every time" cmp -s "$WB_OUT" "$dir/aggregate.csv"

# ---- the other formats -------------------------------------------------------
ngroups=$(($(wc -l <"$dir/aggregate.csv") - 1))
run_wb aggregate --results "$res" --format json
check_eq "--format json exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" "$dir/aggregate.csv" <<'PY'
doc = json.load(open(sys.argv[1]))
header, rows, _ = read_csv(sys.argv[2])
check(list(doc) == ["groups"], "json is {\"groups\": [...]}")
g = doc["groups"]
check(len(g) == len(rows), "json has as many groups as the csv")
check(all(list(o) == header for o in g), "every json object has the csv columns as keys, in order")
check(all((v is None) == (rows[i][k] == "") for i, o in enumerate(g) for k, v in o.items()),
      "json null exactly where the csv is empty")
check(all(isinstance(o["rows"], int) and isinstance(o["mean_duration_s"], (int, float)) for o in g),
      "numbers are json numbers")
PY
run_wb aggregate --results "$res" --format markdown
check_eq "--format markdown exits 0" 0 "$WB_RC"
check_contains "markdown header row" "$(head -n 1 "$WB_OUT")" "| test | strategy | phase | backend |"
check "markdown separator row" grep -Eq '^\|---\|---\|.*---:\|---\|---\|---\|---:\|---:\|---\|---\|---:\|---:\|---:\|---:\|$' "$WB_OUT"
check_eq "markdown: header, separator and one line per group" $((ngroups + 2)) "$(wc -l <"$WB_OUT")"
check "every markdown line is a table row" awk '!/^\|.*\|$/ { exit 1 }' "$WB_OUT"
COLUMNS=1000 run_wb aggregate --results "$res" --format table
check_eq "--format table exits 0" 0 "$WB_RC"
check_eq "table: header, rule and one line per group" $((ngroups + 2)) "$(wc -l <"$WB_OUT")"
check "table rule under the header" grep -Eq '^-+(  -+)+$' <(sed -n 2p "$WB_OUT")
check_eq "table at 1000 columns: every column" 35 "$(head -n 1 "$WB_OUT" | wc -w)"
check "table at 1000 columns: nothing left out" bash -c "! grep -q 'left out' '$WB_OUT'"
# Narrower: the least important columns go first, and one note under the table says which.
COLUMNS=60 run_wb aggregate --results "$res" --format table
check_eq "--format table at 60 columns exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" <<'PY'
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
header = lines[0].split()
check(header[0] == "test" and "mean_duration_s" in header and "strategy" not in header,
      f"at 60 columns the test and the mean stay, the strategy goes: {header}")
table = lines[:2 + sum(1 for l in lines[2:] if not l.startswith(("(", " ")))]
check(all(len(l) <= 60 for l in table), "every line of the table fits 60 columns")
note = " ".join(l.strip() for l in lines[len(table):])
check(note.startswith("(left out to fit 60 columns: strategy, phase,") and note.endswith("set COLUMNS)"),
      f"the note under the table names what was left out: {note[:80]}")
dropped = note.split(": ", 1)[1].split(";")[0].split(", ")
check(len(dropped) + len(header) == 35 and not set(dropped) & set(header),
      "the note names exactly the columns not shown")
PY

# ---- naming runs -----------------------------------------------------------------
run_wb aggregate --results "$res" "${runs[0]}"
check_eq "aggregate of one named run exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" "$res/${runs[0]}/results.csv" <<'PY'
_, groups, _ = read_csv(sys.argv[1])
_, tests, _ = read_csv(sys.argv[2])
check({g["rows"] for g in groups} == {t["rows"] for t in tests}, "only the named run's size is aggregated")
PY
run_wb aggregate "$res/${runs[1]}"
check_eq "a run named by its path exits 0" 0 "$WB_RC"
run_wb aggregate --results "$res" "${runs[0]}" nope
check_eq "a missing named run exits 2" 2 "$WB_RC"
check_eq "... with one line" 1 "$(wc -l <"$WB_ERR")"
check_contains "... naming it" "$(cat "$WB_ERR")" "'nope'"
check_eq "... and prints nothing on stdout" 0 "$(wc -c <"$WB_OUT")"
run_wb aggregate --results "$dir/no-such-dir"
check_eq "a missing results directory exits 2" 2 "$WB_RC"
check_eq "... with one line" 1 "$(wc -l <"$WB_ERR")"
check_contains "... naming it" "$(cat "$WB_ERR")" "no-such-dir"
run_wb aggregate --results "$res" --format xml
check_eq "an unknown format exits 2" 2 "$WB_RC"
check_contains "... naming it and the formats" "$(cat "$WB_ERR")" "'xml'; the formats are: csv, table, markdown, json"

# ---- correlate -------------------------------------------------------------------
run_wb correlate --results "$res"
check_eq "correlate exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" "$res"/*/results.csv <<'PY'
import statistics
header, rows, _ = read_csv(sys.argv[1])
measures = ["duration_s", "rows_per_s", "cpu_user_s", "cpu_sys_s", "peak_rss_kb", "server_peak_rss_kb",
            "wal_bytes", "commits", "batch", "threads"]
check(header == ["measure"] + measures, "correlate's columns: measure, then the measures")
check([r["measure"] for r in rows] == measures, "one row per measure")
check(all(rows[i][m] == "1.000" for i, m in enumerate(measures) if rows[i][m] != ""), "the diagonal is 1")
check(all(rows[i][measures[j]] == rows[j][measures[i]] for i in range(10) for j in range(10)), "the matrix is symmetric")
check(rows[5]["duration_s"] == "", "server_peak_rss_kb (unknown on SQLite) has no coefficient")
tests = []
for p in sys.argv[2:]:
    tests += [t for t in read_csv(p)[1] if t["success"] == "1"]
x = [float(t["duration_s"]) for t in tests]
y = [float(t["rows_per_s"]) for t in tests]
mx, my = statistics.mean(x), statistics.mean(y)
r = sum((a - mx) * (b - my) for a, b in zip(x, y)) / (sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y)) ** 0.5
check(abs(float(rows[0]["rows_per_s"]) - r) <= 0.0006, f"duration_s x rows_per_s matches python ({rows[0]['rows_per_s']} vs {r:.4f})")
PY
run_wb correlate --results "$res" --format json
check_eq "correlate --format json exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" <<'PY'
doc = json.load(open(sys.argv[1]))
c = doc["correlations"]
check(len(c) == 10 and c[0]["measure"] == "duration_s" and c[0]["duration_s"] == 1, "json correlation matrix")
check(c[0]["server_peak_rss_kb"] is None, "unknown coefficients are null")
PY
# Fitted to the terminal like aggregate: the least important measures go first, said under it.
COLUMNS=60 run_wb correlate --results "$res" --format table
check_eq "correlate --format table at 60 columns exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" <<'PY'
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
table = lines[:2 + sum(1 for l in lines[2:] if not l.startswith(("(", " ")))]
check(all(len(l) <= 60 for l in table), "every line of correlate's table fits 60 columns")
header = table[0].split()
check(header[:3] == ["measure", "duration_s", "rows_per_s"], f"the measure and the main measures stay: {header}")
note = " ".join(l.strip() for l in lines[len(table):])
check(note.startswith("(left out to fit 60 columns:") and "batch" in note, f"the note names what went: {note[:80]}")
PY
COLUMNS=60 run_wb compare --results "$res" "${runs[0]}" "${runs[1]}" --format table
check_eq "compare --format table at 60 columns exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" <<'PY'
text = open(sys.argv[1], encoding="utf-8").read()
rows = [l for l in text.splitlines() if l.startswith(("test ", "----")) or "-insert" in l or "-update" in l]
check(rows and all(len(l) <= 60 for l in rows), "every line of compare's tables fits 60 columns")
check("left out to fit 60 columns:" in text, "and compare says what it left out")
PY

# ---- damaged run directories -----------------------------------------------------
good="$res/${runs[0]}"
mkdir "$res/corrupt" "$res/truncated" "$res/empty" "$res/foreign" "$res/newer"
head -c 3000 /dev/urandom >"$res/corrupt/results.csv"
# cut in the middle of the last line: no newline at the end
size=$(wc -c <"$good/results.csv")
head -c $((size - 20)) "$good/results.csv" >"$res/truncated/results.csv"
: >"$res/empty/results.csv"
printf 'name,price\nwidget,3\ngadget,4\n' >"$res/foreign/results.csv"
cp "$good/results.csv" "$res/newer/results.csv"
sed -E 's/"format_version": [0-9]+/"format_version": 99/' "$good/results.json" >"$res/newer/results.json"
# not a run at all (no run file): passed over in silence; a run.log alone: a broken run
mkdir "$res/notes" "$res/nocsv"
echo "my notes" >"$res/notes/README"
echo "2026-01-01T00:00:00.000Z started" >"$res/nocsv/run.log"
# a well-formed file with one figure that is not a number (duration_s of the 2nd test)
mkdir "$res/badnumber"
python3 - "$good/results.csv" "$res/badnumber/results.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
rows[2][rows[0].index("duration_s")] = "0.12.5"
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
PY

run_wb aggregate --results "$res"
check_eq "aggregate with damaged runs still exits 0" 0 "$WB_RC" || show_wb_output
err=$(cat "$WB_ERR")
for bad in corrupt truncated empty foreign newer badnumber nocsv; do
    check_contains "the $bad run is reported by name" "$err" "writebench: skipping $res/$bad: "
done
check_contains "the truncated run: why" "$err" "$res/truncated: results.csv is truncated"
check_contains "the empty run: why" "$err" "$res/empty: results.csv is empty"
check_contains "the foreign run: why" "$err" "$res/foreign: not a writebench results.csv"
check_contains "the newer run: why" "$err" "$res/newer: written by a newer writebench (results format_version 99"
check_contains "the run with a bad number: why and where" "$err" \
    "$res/badnumber: results.csv line 3: duration_s is not a number: '0.12.5'"
check_contains "the run without results.csv: why" "$err" "$res/nocsv: no results.csv"
check "a directory without any run file is not reported" bash -c "! grep -q notes '$WB_ERR'"
check_contains "a summary line counts them" "$err" "2 run(s) read, 7 skipped"
check_eq "one stderr line per skipped run plus the summary" 8 "$(wc -l <"$WB_ERR")"
check "the good runs' aggregate is unchanged by the damaged ones" cmp -s "$WB_OUT" "$dir/aggregate.csv"

run_wb correlate --results "$res"
check_eq "correlate with damaged runs exits 0" 0 "$WB_RC"
run_wb aggregate --results "$res" corrupt
check_eq "naming only a damaged run exits 2" 2 "$WB_RC"
check_contains "... after reporting it" "$(head -n 1 "$WB_ERR")" "skipping $res/corrupt"
check_contains "... and saying nothing was readable" "$(tail -n 1 "$WB_ERR")" "none of the named runs could be read"

# ---- external strategies ---------------------------------------------------------
# A run written by hand as docs/FORMATS.md says: built-in strategies and external
# programs in Python, shell and a native binary (the runner starts none here).
ext="$dir/external"
python3 "$WB_SOURCE_DIR/tests/integration/make_external_run.py" "$ext/20261122T031500Z-e0e0"
check_eq "the hand-written run is made" 0 $?
run_wb aggregate --results "$ext"
check_eq "aggregate of a run with external programs exits 0" 0 "$WB_RC" || show_wb_output
check_eq "... and says nothing on stderr" "" "$(cat "$WB_ERR")"
cp "$WB_OUT" "$dir/external.csv"
py_checks "$dir/external.csv" "$ext/20261122T031500Z-e0e0/results.json" <<'PY'
header, groups, _ = read_csv(sys.argv[1])
at = header.index("outlier")
check(header[at:at + 3] == ["outlier", "origin", "language"], f"origin and language follow outlier ({header[at:at + 3]})")
results = json.load(open(sys.argv[2]))["results"]
expected = {(r["strategy"], r["phase"]): (r["origin"], r["language"]) for r in results}
got = {(g["strategy"], g["phase"]): (g["origin"], g["language"]) for g in groups}
check(got == expected, f"each group carries its strategy's origin and language ({len(got)} groups)")
check(got[("orm_add_all", "insert")] == ("external", "python") and got[("prepared", "insert")] == ("built-in", "c")
      and got[("go_copy", "insert")] == ("external", "native") and got[("copy_psql", "insert")] == ("external", "shell"),
      "python, native, shell and C told apart")
check(all(g["test"] == g["strategy"] + "-" + g["phase"] for g in groups), "csv keeps the plain test name")
orm = next(g for g in groups if g["test"] == "orm_add_all-insert")
check(orm["runs"] == "2" and orm["mean_duration_s"] == "0.510000", "an external group's figures are computed as any other")
PY
run_wb aggregate --results "$ext" --format json
py_checks "$WB_OUT" <<'PY'
g = json.load(open(sys.argv[1]))["groups"]
check(all(list(o)[list(o).index("outlier") + 1:][:2] == ["origin", "language"] for o in g), "json: origin and language follow outlier")
check(any(o["test"] == "orm_add_all-update" and o["origin"] == "external" and o["language"] == "python" for o in g),
      "json: the Python program is external, python")
PY
run_wb aggregate --results "$ext" --format markdown
check_contains "markdown: the columns" "$(head -n 1 "$WB_OUT")" "| outlier | origin | language |"
check "markdown: a Python row" grep -Eq '^\| orm_add_all-insert \|.*\| external \| python \|' "$WB_OUT"
COLUMNS=1000 run_wb aggregate --results "$ext" --format table
check "table: a native row" grep -Eq '^go_copy-insert .* external +native ' "$WB_OUT"
check "table: a C row" grep -Eq '^prepared-insert .* built-in +c ' "$WB_OUT"

# Beside the runs above, a run with external programs only adds its own groups.
cp -r "$ext/20261122T031500Z-e0e0" "$res/"
run_wb aggregate --results "$res"
check_eq "aggregate of built-in and external runs together exits 0" 0 "$WB_RC"
py_checks "$WB_OUT" "$dir/aggregate.csv" "$dir/external.csv" <<'PY'
both = open(sys.argv[1]).read().splitlines()
before = open(sys.argv[2]).read().splitlines()[1:]
external = open(sys.argv[3]).read().splitlines()[1:]
check(sorted(both[1:]) == sorted(before + external),
      "the built-in runs' groups and the external run's, each unchanged (other sizes: other comparable sets)")
PY
rm -rf "$res/20261122T031500Z-e0e0"

# An origin writebench never writes: the run is skipped whole, saying why.
bad="$ext/20261122T031501Z-bad0"
cp -r "$ext/20261122T031500Z-e0e0" "$bad"
sed -i 's/"origin": "external"/"origin": "plugin"/' "$bad/results.json"
run_wb aggregate --results "$ext"
check_eq "a run with an unknown origin is skipped, the others read: exit 0" 0 "$WB_RC"
check_contains "... naming the run and the value" "$(cat "$WB_ERR")" \
    "skipping $bad: results.json result 3 ('orm_add_all-insert'): origin 'plugin' is neither 'built-in' nor 'external'"
check "... and the good run's aggregate is unchanged" cmp -s "$WB_OUT" "$dir/external.csv"

finish
