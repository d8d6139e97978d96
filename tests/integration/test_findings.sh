#!/usr/bin/env bash
# Findings (docs/ANALYSIS.md, "findings"): from planted runs (results files
# written by make_planted_run.py with known numbers) `writebench findings`
# confirms a 6x gain with tight repeats with its interval, calls a 1.02x
# difference within noise, states nothing from groups of different sizes, names
# an N^2 strategy over a rows scan and a failed verification on a hostile row as
# traps; asyncio programs (io=async) against the synchronous ones and C against
# them, confirmed, refuted or within noise; --format json is findings.json, valid JSON with exactly the fields
# docs/FORMATS.md documents. Then a real run prints its findings after the
# rankings and keeps findings.json, and the report has a Findings section first.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
res="$dir/results"
plant() { python3 "$WB_SOURCE_DIR/tests/integration/make_planted_run.py" "$@"; }

# prepared 6x faster than single-tx, tight; values-multirow 1.02x faster than
# prepared; single-autocommit only at 100 rows (the slow strategies' size).
plant "$res/20260101T000000Z-a001" \
    prepared:insert:1000:1:-:1:0.100 prepared:insert:1000:1:-:2:0.101 prepared:insert:1000:1:-:3:0.099 \
    single-tx:insert:1000:1:-:1:0.600 single-tx:insert:1000:1:-:2:0.605 single-tx:insert:1000:1:-:3:0.595 \
    values-multirow:insert:1000:1:1000:1:0.0980 values-multirow:insert:1000:1:1000:2:0.0990 \
    values-multirow:insert:1000:1:1000:3:0.0970 \
    single-autocommit:insert:100:1:-:1:0.300 single-autocommit:insert:100:1:-:2:0.310
# A rows scan: replace grows as N^2 on the update pass; a strategy fails
# verification on key 17, a hostile row.
plant "$res/20260101T000000Z-a002" \
    replace:update:100:1:1000:1:0.010 replace:update:1000:1:1000:1:1.000 \
    on-conflict:update:100:1:1000:1:0.010 on-conflict:update:1000:1:1000:1:0.090 \
    "test-mangle-quote:insert:100:1:-:1:0.01:6000:verification failed: user_account: 10 of 100 rows wrong (first: key 17, name: 'OBrien user17' expected 'O''Brien user17')"

run_wb findings --results "$res" --format json
check_eq "findings --format json exits 0" 0 "$WB_RC" || show_wb_output
check_eq "nothing on stderr" "" "$(cat "$WB_ERR")"
py_checks "$WB_OUT" "$WB_SOURCE_DIR/docs/FORMATS.md" <<'PY'
import json, re
doc = json.load(open(sys.argv[1], encoding="utf-8"))
fmt = open(sys.argv[2], encoding="utf-8").read()
section = fmt[fmt.index("\n## findings.json"):]
section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
def documented(heading):
    part = section[section.index("\n### " + heading):]
    part = part[:part.find("\n### ", 1)] if "\n### " in part[1:] else part
    cells = [m.group(1) for m in re.finditer(r"^\| (`[a-z_0-9]+`(?:, `[a-z_0-9]+`)*) \|", part, re.M)]
    return [name for cell in cells for name in re.findall(r"`([a-z_0-9]+)`", cell)]
check(doc["format"] == "writebench-findings" and doc["format_version"] == 1, "the document's format and version")
check(list(doc) == documented("The document"), f"the document's keys are those documented: {list(doc)}")
check(list(doc["rule"]) == documented("rule"), f"rule's keys are documented: {list(doc['rule'])}")
keys = documented("A finding")
check(all(list(f) == keys for f in doc["findings"]), "every finding has exactly the documented keys, in order")
ends = [e for f in doc["findings"] for e in (f["a"], f["b"]) if e is not None]
check(ends and all(list(e) == documented("A side: a and b") for e in ends), "every side has the documented keys")
check(all(list(t) == documented("tests") for f in doc["findings"] for t in f["tests"]), "every test has run_id, test, repeat")
check(all(list(c) == documented("not_checked") for c in doc["not_checked"]), "not_checked entries have the documented keys")
check(doc["runs"] == ["20260101T000000Z-a001", "20260101T000000Z-a002"], "the runs read")

by_id = {}
for f in doc["findings"]:
    by_id.setdefault(f["id"], []).append(f)
p = by_id.get("prepared", [None])[0]
check(p is not None and p["verdict"] == "confirmed", "6x with tight repeats: confirmed")
if p:
    check(abs(p["ratio"] - 6.0) < 0.02 and p["single_run"] is False, f"its ratio is 6.0 with repeats: {p['ratio']}")
    check(5.7 < p["ci95_low"] < 6.0 < p["ci95_high"] < 6.3, f"and its 95% interval is tight: {p['ci95_low']}..{p['ci95_high']}")
    check(p["a"]["strategy"] == "prepared" and p["b"]["strategy"] == "single-tx" and p["rows"] == 1000, "the sides and the set")
    check({(t["run_id"], t["test"]) for t in p["tests"]} ==
          {("20260101T000000Z-a001", "prepared-insert"), ("20260101T000000Z-a001", "single-tx-insert")}
          and len(p["tests"]) == 6, "it rests on the six tests, by run id and name")
m = by_id.get("multirow", [None])[0]
check(m is not None and m["verdict"] == "within noise" and abs(m["ratio"] - 1.02) < 0.01,
      f"1.02x: within noise ({m and m['ratio']})")
o = by_id.get("one-transaction", [])
check(len(o) == 1 and o[0]["verdict"] == "not compared" and o[0]["ratio"] is None and o[0]["rows"] is None,
      "different sizes: no verdict, no ratio")
check(o and "not measured at the same size" in o[0]["statement"], "and it says not measured at the same size")
s = by_id.get("superlinear", [])
check(len(s) == 1 and s[0]["kind"] == "trap" and s[0]["b"]["strategy"] == "replace" and abs(s[0]["exponent"] - 2) < 1e-6,
      "N^2 over a rows scan: replace is named as a trap, exponent 2 (on-conflict, N^0.95, is not)")
v = by_id.get("failed-verification", [])
check(len(v) == 1 and v[0]["b"]["strategy"] == "test-mangle-quote" and "key 17" in v[0]["statement"]
      and "hostile row" in v[0]["statement"], "a failed verification is a trap naming the hostile key")
check(all(f["verdict"] in ("confirmed", "refuted", "within noise", "not compared", "trap") for f in doc["findings"]),
      "every verdict is one of the five")
check("copy" in [c["id"] for c in doc["not_checked"]], "COPY's claim is listed as not checked (no COPY ran)")
PY

# asyncio (programs declaring io=async) against the synchronous external programs, and
# C against asyncio, each confirmed, refuted or within noise as the planted numbers say.
# a101: async 3x faster than the fastest sync program, C 2x faster than async;
# a102: async slower than sync (0.6x), C slower than async (0.5x); a103: 1.01x apart.
plant "$res/20260101T000000Z-a101" \
    prepared:insert:1000:1:-:1:0.050 prepared:insert:1000:1:-:2:0.051 prepared:insert:1000:1:-:3:0.049 \
    asyncpg_copy@async:insert:1000:1:-:1:0.100 asyncpg_copy@async:insert:1000:1:-:2:0.101 \
    asyncpg_copy@async:insert:1000:1:-:3:0.099 \
    psycopg_copy@sync:insert:1000:1:-:1:0.300 psycopg_copy@sync:insert:1000:1:-:2:0.303 \
    psycopg_copy@sync:insert:1000:1:-:3:0.297 \
    orm_add_all@sync:insert:1000:1:-:1:0.900 orm_add_all@sync:insert:1000:1:-:2:0.905
plant "$res/20260101T000000Z-a102" \
    prepared:insert:1000:1:-:1:0.400 prepared:insert:1000:1:-:2:0.404 prepared:insert:1000:1:-:3:0.396 \
    async_core_insert@async:insert:1000:1:64:1:0.200 async_core_insert@async:insert:1000:1:64:2:0.202 \
    async_core_insert@async:insert:1000:1:64:3:0.198 \
    core_executemany@sync:insert:1000:1:64:1:0.120 core_executemany@sync:insert:1000:1:64:2:0.121 \
    core_executemany@sync:insert:1000:1:64:3:0.119
plant "$res/20260101T000000Z-a103" \
    prepared:insert:1000:1:-:1:0.010 prepared:insert:1000:1:-:2:0.010 \
    asyncpg_executemany@async:insert:1000:1:64:1:0.1000 asyncpg_executemany@async:insert:1000:1:64:2:0.1030 \
    asyncpg_executemany@async:insert:1000:1:64:3:0.0970 \
    psycopg_executemany@sync:insert:1000:1:64:1:0.1010 psycopg_executemany@sync:insert:1000:1:64:2:0.1040 \
    psycopg_executemany@sync:insert:1000:1:64:3:0.0980
for run in a101 a102 a103; do
    run_wb findings --results "$res" "20260101T000000Z-$run" --format json
    check_eq "findings of $run exit 0" 0 "$WB_RC" || show_wb_output
    cp "$WB_OUT" "$dir/async-$run.json"
done
py_checks "$dir" <<'PY'
import json
def claim(run, cid):
    found = [f for f in json.load(open(f"{sys.argv[1]}/async-{run}.json"))["findings"] if f["id"] == cid]
    check(len(found) == 1, f"{run}: one {cid} finding ({len(found)})")
    return found[0] if found else {"verdict": None, "ratio": None, "a": {}, "b": {}}
f = claim("a101", "async")
check(f["verdict"] == "confirmed" and abs(f["ratio"] - 3.0) < 0.01 and f["a"]["strategy"] == "asyncpg_copy"
      and f["b"]["strategy"] == "psycopg_copy" and f["b"]["language"] == "python",
      f"a101: async 3x faster than the fastest sync program: confirmed ({f['verdict']}, {f['ratio']}, "
      f"{f['a'].get('strategy')} against {f['b'].get('strategy')})")
f = claim("a101", "async-c")
check(f["verdict"] == "confirmed" and abs(f["ratio"] - 2.0) < 0.01 and f["a"]["strategy"] == "prepared"
      and f["b"]["strategy"] == "asyncpg_copy", f"a101: C 2x faster than async: confirmed ({f['verdict']}, {f['ratio']})")
f = claim("a102", "async")
check(f["verdict"] == "refuted" and abs(f["ratio"] - 0.6) < 0.01,
      f"a102: async slower than sync: refuted ({f['verdict']}, {f['ratio']})")
f = claim("a102", "async-c")
check(f["verdict"] == "refuted" and abs(f["ratio"] - 0.5) < 0.01,
      f"a102: C slower than async: refuted ({f['verdict']}, {f['ratio']})")
f = claim("a103", "async")
check(f["verdict"] == "within noise" and abs(f["ratio"] - 1.01) < 0.005,
      f"a103: 1.01x apart: within noise ({f['verdict']}, {f['ratio']})")
# a001 (built-ins only) states neither: no program declared io=async there.
PY
run_wb findings --results "$res" 20260101T000000Z-a001 --format json
check "a run without io=async programs states no async claim" python3 -c \
    'import json,sys; d=json.load(open(sys.argv[1])); assert not [f for f in d["findings"] if f["id"].startswith("async")]; assert "async" in [c["id"] for c in d["not_checked"]]' "$WB_OUT"

# The same findings for a person; a named run alone; bad input.
COLUMNS=100 run_wb findings --results "$res"
check_eq "findings (text) exits 0" 0 "$WB_RC"
check "text: the prepared claim confirmed" grep -q "^    confirmed    a prepared statement beats parsing every row" "$WB_OUT"
check "text: the traps under their heading" grep -q "^  traps, users on sqlite:" "$WB_OUT"
check "text: every line fits 100 columns" awk 'length > 100 { exit 1 }' "$WB_OUT"
run_wb findings --results "$res" 20260101T000000Z-a002 --format json
check "one named run: only its findings" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["runs"] == ["20260101T000000Z-a002"]' "$WB_OUT"
run_wb findings --results "$res" --format yaml
check_eq "an unknown format is bad input" 2 "$WB_RC"
check_contains "and says so in one line" "$(cat "$WB_ERR")" "writebench findings: --format: unknown format 'yaml'"
run_wb findings --results "$res" no-such-run
check_eq "an unknown run is bad input" 2 "$WB_RC"
check "findings writes nothing into the runs" test ! -e "$res/20260101T000000Z-a001/findings.json"

# A real run: the findings after the rankings, kept as findings.json.
COLUMNS=100 run_wb run --db "sqlite://$dir/a.db" --results "$dir/runs" --rows 200 --strategies prepared,single-tx --repeat 2
check_eq "run exits 0" 0 "$WB_RC" || show_wb_output
run=$(run_dir_in "$dir/runs")
py_checks "$WB_OUT" "$run/findings.json" "$(basename "$run")" <<'PY'
import json
out = open(sys.argv[1], encoding="utf-8").read()
ranking = out.find("fastest first:")
findings = out.find("findings of run " + sys.argv[3])
footer = out.find(" tests verified")
check(0 <= ranking < findings < footer, "run prints its findings after the rankings, before the footer")
check(("(kept in %s)" % sys.argv[2]) in out, "and says where findings.json is")
doc = json.load(open(sys.argv[2], encoding="utf-8"))
check(doc["runs"] == [sys.argv[3]], "findings.json names the run")
p = [f for f in doc["findings"] if f["id"] == "prepared"]
check(len(p) == 1 and p[0]["rows"] == 200 and len(p[0]["tests"]) == 4
      and all(t["run_id"] == sys.argv[3] for t in p[0]["tests"]), "the prepared claim rests on the run's four tests")
check(p and p[0]["verdict"] in ("confirmed", "refuted", "within noise"), "and has a verdict")
PY
run_wb report --results "$dir/runs" --out "$dir/report.html"
check_eq "report exits 0" 0 "$WB_RC"
py_checks "$dir/report.html" <<'PY'
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ids = [e.get("id") for e in root.iter("{http://www.w3.org/1999/xhtml}h2")] or [e.get("id") for e in root.iter("h2")]
check(ids[:3] == ["findings", "advice", "runs"], f"the report's first sections are Findings, then Advice: {ids[:3]}")
rows = [tr for tr in root.iter("tr") if (tr.get("class") or "").startswith("finding")]
check(any("prepared statement" in "".join(tr.itertext()) for tr in rows), "the report lists the prepared claim")
PY

finish
