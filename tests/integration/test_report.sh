#!/usr/bin/env bash
# `writebench report`: the HTML file is well-formed XML, self-contained (no
# network reference, no script), names every test of the runs, has the charts
# of every comparable group and the scaling lines of a scan, escapes data
# (errors with < > & " and bytes that are not UTF-8), never shows a password,
# and reports bad input in one line; external strategies (runs written by hand,
# make_external_run.py) are marked with their language in every table and chart,
# have their own legend entries, and an explanatory section. Rendering in a
# browser: test_report_render.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
results="$dir/results"

# Two runs in one results directory: a plain one (two repeats, so intervals
# exist; a slow strategy at --slow-rows, so two comparable groups) and a scan
# over rows (the scaling lines).
run_wb run --db "sqlite://$dir/a.db" --results "$results" --rows 200 --slow-rows 50 --repeat 2 \
    --strategies server-generate,prepared,values-multirow,on-conflict,single-autocommit
check_eq "the plain run exits 0" 0 "$WB_RC" || show_wb_output
run_wb run --db "sqlite://$dir/b.db" --results "$results" --rows 100,400 \
    --strategies server-generate,prepared,values-multirow
check_eq "the scan run exits 0" 0 "$WB_RC" || show_wb_output

# Default output: <results>/report.html, its path printed.
(cd "$dir" && "$WB_BIN" report --results results >"$dir/report.out" 2>"$dir/report.err")
check_eq "report exits 0" 0 "$?"
check_contains "report prints the path" "$(cat "$dir/report.out")" "report: results/report.html"
check_eq "report prints nothing on stderr" "" "$(cat "$dir/report.err")"
check "the default file is <results>/report.html" test -s "$results/report.html"

py_checks "$results" "$results/report.html" <<'PY'
import glob, os, re
import xml.etree.ElementTree as ET
results, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
try:
    root = ET.fromstring(text)
    check(True, "the report is well-formed XML")
except ET.ParseError as err:
    check(False, f"the report is well-formed XML: {err}")
    sys.exit(0)
check(text.startswith("<!DOCTYPE html>"), "it starts as an HTML5 document")
page = "".join(root.itertext())

# Every test of every run is named in it.
tests = set()
for csv_path in glob.glob(os.path.join(results, "*", "results.csv")):
    _, rows, _ = read_csv(csv_path)
    tests |= {r["test"] for r in rows}
missing = sorted(t for t in tests if t not in page)
check(len(tests) >= 7 and not missing, f"every test ({len(tests)}) appears; missing: {missing}")
run_ids = [os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(results, "*", "results.csv"))]
check(all(r in page for r in run_ids), f"both run ids appear ({run_ids})")

# Self-contained: no network reference, no script, no external file at all.
check(not re.search(r"https?:", text), "no http:// or https:// anywhere")
check("<script" not in text and "<link" not in text and "<img" not in text, "no script, link or img element")
refs = re.findall(r'(?:href|src)="([^"]*)"', text)
check(all(r.startswith("#") for r in refs), f"every href/src is a link within the page ({[r for r in refs if not r.startswith('#')][:3]})")
urls = re.findall(r"url\(([^)]*)\)", text)
check(all(u.startswith("#") for u in urls), "every url(...) is a pattern in the page")

# Charts: each comparable group (workload, backend, rows) has its section with
# duration, memory and share bar charts, each an inline <svg>.
panels = [s for s in root.iter("section") if s.get("class") == "panel"]
titles = ["".join(s.find("h2").itertext()) for s in panels]
for rows in ("50", "100", "200", "400"):
    check(any(f", {rows} rows per table" in t for t in titles), f"a section for {rows} rows per table ({titles})")
def figures(node, kind):
    return [f for f in node.iter("figure") if kind in (f.get("class") or "").split()]
for s, title in zip(panels, titles):
    for kind in ("duration", "memory"):
        fig = figures(s, kind)
        check(len(fig) == 1 and fig[0].find("svg") is not None, f"{title}: a {kind} chart as inline svg")
    if "200 rows" in title:
        fig = figures(s, "share")
        check(len(fig) == 1 and fig[0].find("svg") is not None, f"{title}: the share of server-generate chart")
        fig = figures(s, "scatter")
        svg = next(fig[0].iter("svg"), None) if fig else None
        check(len(fig) == 1 and svg is not None, f"{title}: the z-score scatter")
        if svg is not None:
            # Every point is numbered and the numbers are keyed in the table beside it.
            labels = [t.text for t in svg.iter("text") if t.get("font-weight") == "bold" and (t.text or "").isdigit()]
            rows_in_table = fig[0].find(".//table").findall("tr")[1:]
            check(len(labels) == len(rows_in_table) >= 5, f"scatter: {len(labels)} numbered points, {len(rows_in_table)} table rows")
        bars = [t for t in figures(s, "duration")[0].iter("text") if t.get("text-anchor") == "end"]
        check(len(bars) >= 6, f"{title}: one bar label per test ({len(bars)})")

scaling = figures(root, "scaling-rows")
check(len(scaling) >= 1, f"a rows scaling chart for the scan ({len(scaling)})")
check(not figures(root, "scaling-batch") and not figures(root, "scaling-threads"),
      "no batch or threads scaling chart: the runs do not vary them")
if scaling:
    paths = [p for p in scaling[0].find("svg").iter("path") if p.get("fill") == "none"]
    check(len(paths) >= 3, f"one line per strategy of the scan ({len(paths)})")
check("per ten-fold rows" in page, "the trend per ten-fold rows is stated")

# Axis labels carry units; the legend names the phases and the error bars.
check("mean duration (" in page and "peak resident memory" in page and "rows/s" in page, "axis labels with units")
check("95% confidence interval" in page, "the error bars are explained")

# The aggregate table has every aggregate column.
agg = root.find(".//*[@id='aggregate']")
tables = [t for t in root.iter("table") if t.find("tr") is not None and [("".join(th.itertext())) for th in t.find("tr")][:2] == ["test", "strategy"]]
expected = ("test strategy phase backend workload rows threads batch runs success_rate mean_duration_s sd_duration_s "
            "median_duration_s min_duration_s max_duration_s ci95_low_s ci95_high_s mean_rows_per_s mean_peak_rss_kb "
            "max_peak_rss_kb mean_wal_bytes z_duration z_memory outlier origin language verify mean_verify_s "
            "mean_process_s ci95_note settings median_batch_p50_ms median_batch_p95_ms median_batch_p99_ms max_batch_max_ms").split()
check(agg is not None and len(tables) == 1 and ["".join(th.itertext()) for th in tables[0].find("tr")] == expected,
      "the aggregate table has exactly the aggregate columns")
check(len(tables) == 1 and len(tables[0].findall("tr")) - 1 >= 12, "the aggregate table has a row per group")
check("None: every test ran" in page, "no failures listed when there are none")
check(root.find(".//*[@id='origin']") is None and "external program" not in page,
      "built-in strategies only: no section or legend entry about external programs")
check("(c)" not in page, "a built-in test's name carries no language")
PY

# A failing run: the verification error holds quotes. Then the same run with an
# error holding < > & " and a byte that is not UTF-8, and a run.conf with a
# password-like key: all data, all escaped or withheld.
fail_results="$dir/fail"
WRITEBENCH_TEST_STRATEGIES=1 run_wb run --db "sqlite://$dir/f.db" --results "$fail_results" --rows 50 \
    --strategies server-generate,test-mangle-quote
check_eq "the failing run exits 1" 1 "$WB_RC" || show_wb_output
fail_run=$(run_dir_in "$fail_results")
run_wb report --results "$fail_results" --out "$dir/fail.html"
check_eq "report of a failing run exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$dir/fail.html" "$fail_run/results.csv" <<'PY'
import xml.etree.ElementTree as ET
text = open(sys.argv[1], encoding="utf-8").read()
root = ET.fromstring(text)
_, rows, _ = read_csv(sys.argv[2])
errors = [r["error"] for r in rows if r["success"] == "0"]
check(len(errors) == 2 and all("'" in e for e in errors), "the mangle-quote errors hold quotes")
cells = ["".join(p.itertext()) for p in root.iter("pre")]
check(all(e in cells for e in errors), "each error appears whole, as its text")
check("O&#39;&#39;Brien" in text, "the quotes are written as entities")
check("test-mangle-quote-insert" in "".join(root.itertext()), "the failed test is listed")
PY

python3 - "$fail_run" <<'PY'
import csv, io, sys
run = sys.argv[1]
with open(f"{run}/results.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
col = rows[0].index("error")
for r in rows[1:]:
    if r[col]:
        r[col] = 'bad <script>alert("x")</script> & <b>bold</b> \x01 end'
out = io.StringIO()
csv.writer(out, lineterminator="\n").writerows(rows)
data = out.getvalue().encode("utf-8")
open(f"{run}/results.csv", "wb").write(data)
# A copy with a byte that is not UTF-8: damage, the run is skipped whole.
import shutil
shutil.copytree(run, run + "-not-utf8")
open(f"{run}-not-utf8/results.csv", "wb").write(data.replace(b"\x01", b"\xff\x01"))
with open(f"{run}/run.conf", "a") as f:
    f.write("db_password = hunter2-secret\nPGPASSWORD = hunter3-secret\n")
PY
run_wb report "$fail_run-not-utf8" --out "$dir/not-utf8.html"
check_eq "a run whose results.csv is not UTF-8 is not reported: exit 2" 2 "$WB_RC"
check_contains "... it is named as damaged, with the line" "$(cat "$WB_ERR")" \
    "skipping $fail_run-not-utf8: damaged: results.csv line "
rm -rf "$fail_run-not-utf8"
run_wb report "$fail_run" --out "$dir/escaped.html"
check_eq "report of the doctored run exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$dir/escaped.html" <<'PY'
import xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
try:
    text = raw.decode("utf-8")
    check(True, "the report is valid UTF-8 although an error was not")
except UnicodeDecodeError as err:
    check(False, f"the report is valid UTF-8: {err}")
    sys.exit(0)
try:
    root = ET.fromstring(text)
    check(True, "still well-formed XML with < > & \" and a control byte in the data")
except ET.ParseError as err:
    check(False, f"well-formed XML with hostile data: {err}")
    sys.exit(0)
check("<script" not in text and "<b>bold" not in text, "no markup from the data survives")
check("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in text, "< > & \" written as entities")
cells = ["".join(p.itertext()) for p in root.iter("pre")]
check(any('bad <script>alert("x")</script> & <b>bold</b> \ufffd end' == c for c in cells),
      f"the error reads back as written, a control byte as U+FFFD ({cells[:1]})")
check("hunter2" not in text and "hunter3" not in text, "no password-like setting is shown")
PY

# External strategies: two hand-written runs (1000 and 2000 rows, so a scaling
# chart) holding built-in strategies and Python, shell and native programs.
ext="$dir/external"
python3 "$WB_SOURCE_DIR/tests/integration/make_external_run.py" "$ext/20261122T031500Z-e0e0" 1000 &&
    python3 "$WB_SOURCE_DIR/tests/integration/make_external_run.py" "$ext/20261122T031600Z-e0e1" 2000
check_eq "the hand-written runs are made" 0 $?
run_wb report --results "$ext" --out "$dir/external.html"
check_eq "report of runs with external programs exits 0" 0 "$WB_RC" || show_wb_output
check_eq "... and says nothing on stderr" "" "$(cat "$WB_ERR")"
py_checks "$dir/external.html" <<'PY'
import re
import xml.etree.ElementTree as ET
text = open(sys.argv[1], encoding="utf-8").read()
try:
    root = ET.fromstring(text)
    check(True, "the report with external programs is well-formed XML")
except ET.ParseError as err:
    check(False, f"well-formed XML: {err}")
    sys.exit(0)
words = lambda node: " ".join("".join(node.itertext()).split())

# The section saying what the marks mean, linked from the contents.
origin = root.find(".//*[@id='origin']")
check(origin is not None and any(a.get("href") == "#origin" for a in root.iter("a")),
      "a section on built-in and external strategies, in the contents")
if origin is not None:
    note = " ".join(words(e) for e in root.iter("p") if "external strategy" in words(e))
    for name in ("orm_add_all (python)", "go_copy (native)", "copy_psql (shell)"):
        check(name in note, f"it lists {name}")
    check("interpreter start-up and connecting included" in note, "it says what an external duration includes")

# Bars: an external program's label carries its language; a built-in's does not;
# external bars have their own fill and legend entries.
def bar_fills(fig):
    fills = {}
    for g in fig.iter("g"):
        t, rect = g.find("title"), g.find("rect")
        if t is not None and rect is not None:
            fills["".join(t.itertext()).split(":")[0]] = rect.get("fill")
    return fills
panels = [s for s in root.iter("section") if s.get("class") == "panel"]
check(len(panels) == 2, f"one section per size ({len(panels)})")
for s in panels:
    dur = next(f for f in s.iter("figure") if "duration" in f.get("class").split())
    fills = bar_fills(dur)
    check({"orm_add_all-insert (python)", "go_copy-insert (native)", "copy_psql-insert (shell)",
           "orm_add_all-update (python)", "prepared-insert", "prepared-update"} <= set(fills),
          f"duration bars are labelled with the language of external programs ({sorted(fills)})")
    builtin = {fills[k] for k in ("prepared-insert", "server-generate-insert")}
    external = {fills[k] for k in ("orm_add_all-insert (python)", "go_copy-insert (native)")}
    check(len(builtin) == 1 and len(external) == 1 and builtin != external,
          f"external insert bars look different from built-in ones ({builtin} vs {external})")
    legend = words(dur)
    check("insert, external program" in legend and "update, external program" in legend,
          "the legend names the external programs' bars")
    scatter = next((f for f in s.iter("figure") if "scatter" in f.get("class").split()), None)
    check(scatter is not None and "orm_add_all-update (python)" in words(scatter),
          "the scatter's table names the Python program with its language")

# At a glance: the fastest external program against the fastest built-in client.
glance = words(root.find(".//*[@id='glance']/.."))
check("the fastest external program, go_copy-insert (native) (mean 15.5 ms), takes 0.74x the time of the fastest "
      "built-in client strategy, prepared-insert" in glance, "at a glance: native against C on insert")
check("the fastest external program, orm_add_all-update (python)" in glance and "prepared-update" in glance,
      "at a glance: Python against C on update")

# Scaling: one line per program, its name with the language.
scaling = [f for f in root.iter("figure") if "scaling-rows" in f.get("class").split()]
check(len(scaling) >= 1, "a rows scaling chart")
if scaling:
    labels = [words(t) for t in scaling[0].iter("text")]
    check("orm_add_all (python)" in labels and "prepared" in labels and "go_copy (native)" in labels,
          f"the lines are named with the language ({labels[-8:]})")

# Failures, and the aggregate table's columns.
failures = root.find(".//*[@id='failures']/..")
check("copy_psql-insert (shell)" in words(failures) and "Connection refused" in words(failures),
      "the failed external test is listed with its language and error")
agg = [t for t in root.iter("table") if t.find("tr") is not None and [words(th) for th in t.find("tr")][:2] == ["test", "strategy"]]
if agg:
    head = [words(th) for th in agg[0].find("tr")]
    at = head.index("origin") if "origin" in head else -1
    check(head[at:at + 2] == ["origin", "language"], "the aggregate table has origin and language")
    cells = [[words(td) for td in tr] for tr in agg[0].findall("tr")[1:]]
    check(["external", "python"] in [c[at:at + 2] for c in cells] and ["built-in", "c"] in [c[at:at + 2] for c in cells],
          "its rows say external/python and built-in/c")
else:
    check(False, "the aggregate table is there")
PY

# Bad input: one line, exit 2.
run_wb report --results "$dir/nowhere"
check_eq "a missing results directory exits 2" 2 "$WB_RC"
check_eq "... with one line" 1 "$(wc -l <"$WB_ERR")"
run_wb report no-such-run --results "$results"
check_eq "an unknown run exits 2" 2 "$WB_RC"
check_contains "... naming it" "$(cat "$WB_ERR")" "no-such-run"
run_wb report --results "$results" --out "$dir/no/such/dir/r.html"
check_eq "an unwritable --out exits 2" 2 "$WB_RC"
check_eq "... with one line" 1 "$(wc -l <"$WB_ERR")"
check_contains "... naming the file" "$(cat "$WB_ERR")" "$dir/no/such/dir/r.html"
check "... and writes nothing" test ! -e "$dir/no/such/dir"
finish
