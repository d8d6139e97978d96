#!/usr/bin/env bash
# writebench advise (docs/ANALYSIS.md, "advice"), on SQLite:
#  1. from planted runs (make_planted_run.py, known numbers) it names, per need, the
#     fastest verified strategy and its runner-up with rows/s, the interval of
#     repeats, memory and server work; a faster strategy with a failed test is
#     left out; a faster one measured at fewer rows is not compared; a need the run
#     did not measure says "not measured" with the options that measure it; the
#     latest run is read by default; bad input is one line and exit 2;
#  2. the code it writes for users, products and the events workload file (C with
#     SQLite's C API, Python with SQLAlchemy Core), planted so that every shape a
#     language writes is advised (one INSERT per row, multi-row VALUES, upserts of
#     one row and of a batch, UPDATE from VALUES), compiles clean and runs as an
#     external strategy, and every pass it writes verifies.
# Needs /usr/bin/python3 with python3-sqlalchemy; skips (77) naming it otherwise.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/advise_code.sh
source "$(dirname "${BASH_SOURCE[0]}")/advise_code.sh"

/usr/bin/python3 -c "import sqlalchemy" 2>/dev/null ||
    skip_test "the generated Python needs /usr/bin/python3 with sqlalchemy (Debian: python3-sqlalchemy)"
command -v cc >/dev/null && pkg-config --exists sqlite3 || skip_test "needs cc and SQLite's headers (libsqlite3-dev)"

tmp=$(make_temp_dir)
res="$tmp/choose"
ROWS=200 # >= 80: every hostile kind in every column
BATCH=50 # several batches and commits per table

# --- 1. choosing
# a001: prepared fastest with tight repeats, values-multirow next; batch-commit faster
# still but one of its tests failed; single-tx fastest of all but at 100 rows only.
python3 "$PLANT" "$res/20260101T000000Z-a001" \
    prepared:insert:1000:1:-:1:0.100:7000 prepared:insert:1000:1:-:2:0.102:7000 prepared:insert:1000:1:-:3:0.098:7000 \
    values-multirow:insert:1000:1:1000:1:0.150 values-multirow:insert:1000:1:1000:2:0.152 \
    batch-commit:insert:1000:1:1000:1:0.050 "batch-commit:insert:1000:1:1000:2:0.05:6000:verification failed: x" \
    single-tx:insert:100:1:-:1:0.001
# a002 (the latest): only the update pass; bulk-update beats on-conflict.
python3 "$PLANT" "$res/20260101T000000Z-a002" \
    bulk-update:update:1000:1:500:1:0.200 on-conflict:update:1000:1:500:1:0.400 on-conflict-batch:update:1000:1:500:1:0.300

run_wb advise --results "$res" 20260101T000000Z-a001
out=$(cat "$WB_OUT")
check_eq "advise RUN exits 0" 0 "$WB_RC" || show_wb_output
bulk=$(sed -n '/^one-off bulk load/,/^$/p' "$WB_OUT")
check_contains "bulk load: the set, at the largest rows" "$bulk" "one-off bulk load: users on sqlite, 1,000 rows, 1 thread"
check_contains "bulk load: prepared, with its rows/s and the interval of its 3 repeats" "$bulk" \
    "use        prepared: 20,005 rows/s (95% interval"
check_contains "bulk load: the tests it rests on" "$bulk" ", 3 tests), client peak 6.8 MiB, WAL 195 KiB, 1 commit, database +98 KiB"
check_contains "bulk load: runner-up values-multirow" "$bulk" "runner-up  values-multirow (batch 1,000): 13,246 rows/s (95% interval"
check_contains "bulk load: batch-commit (a failed test) left out" "$bulk" "left out: 1 strategy with a failed test"
check "bulk load: single-tx at 100 rows is not compared" bash -c '! grep -q single-tx <<<"$1"' _ "$bulk"
batches=$(sed -n '/^steady batches/,/^$/p' "$WB_OUT")
check_contains "batches: per batch size" "$batches" "steady batches of B rows: users on sqlite, 1,000 rows, 1 thread, batches of 1,000 rows"
check_contains "batches: values-multirow alone" "$batches" "runner-up  none: it was the only verified strategy here"
check_contains "insert-or-update: not measured, and how to measure it" "$out" \
    "not measured: no update pass was verified (run upsert strategies, e.g. --strategies"

run_wb advise --results "$res"
check_eq "advise (the latest run) exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "the latest run by default" "$out" "advice from run 20260101T000000Z-a002 (the latest in $res)"
check_contains "insert-or-update: bulk-update" "$out" "use        bulk-update (batch 500): 10,000 rows/s (single run)"
check_contains "insert-or-update: runner-up on-conflict-batch" "$out" "runner-up  on-conflict-batch (batch 500)"
check_contains "bulk load: not measured in this run" "$out" "not measured: no insert pass was verified"

# The report's Advice section, after Findings: the same advice, and the code of each item.
run_wb report --results "$res" --out "$tmp/report.html" 20260101T000000Z-a001
check_eq "report exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$tmp/report.html" <<'PY'
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/1999/xhtml}"
ids = [e.get("id") for e in root.iter(ns + "h2")] or [e.get("id") for e in root.iter("h2")]
check(ids[:2] == ["findings", "advice"], f"the Advice section comes right after Findings: {ids[:3]}")
page = open(sys.argv[1], encoding="utf-8").read()
check("prepared: 20,005 rows/s (95% interval" in page, "it names prepared with its rows/s and interval")
check("not measured: no update pass was verified" in page, "it says insert-or-update was not measured")
summaries = ["".join(s.itertext()) for s in root.iter(ns + "summary")] or ["".join(s.itertext()) for s in root.iter("summary")]
check("C with SQLite's C API: users-load-c-sqlite.c" in summaries and
      "Python with SQLAlchemy Core: users-load-sqlalchemy-sqlite.py" in summaries,
      f"the programs of the bulk load are listed ({[s for s in summaries if 'users-' in s]})")
check("def read_rows(" in page and "INSERT INTO \\&quot;user_account\\&quot;" in page, "their code is in the page, escaped")
PY

run_wb advise --results "$res" 20260101T000000Z-nope
check_eq "an unknown run: exit 2" 2 "$WB_RC"
check_eq "one line naming it" 1 "$(wc -l <"$WB_ERR")"
check_contains "the line names the run" "$(cat "$WB_ERR")" "20260101T000000Z-nope"
run_wb advise --results "$res" --code ""
check_eq "--code without a directory: exit 2" 2 "$WB_RC"
run_wb advise --results "$res" --frobnicate
check_eq "an unknown option: exit 2" 2 "$WB_RC"

# --- 2. the code, on SQLite
LANGUAGES=2 # C with SQLite's C API, Python with SQLAlchemy Core
# r1: one INSERT per row (bulk load), multi-row VALUES (batches), one upsert per row
ROW_SHAPES=(prepared:insert:$ROWS:1:-:1:0.10 values-multirow:insert:$ROWS:1:$BATCH:1:0.11
    batch-commit:insert:$ROWS:1:$BATCH:1:0.5 on-conflict:update:$ROWS:1:$BATCH:1:0.10
    on-conflict-batch:update:$ROWS:1:$BATCH:1:0.2)
# r2: multi-row VALUES (bulk load), a multi-row upsert (batches), UPDATE from VALUES
BATCH_SHAPES=(values-multirow:insert:$ROWS:1:$BATCH:1:0.10 on-conflict-batch:insert:$ROWS:1:$BATCH:1:0.11
    prepared:insert:$ROWS:1:-:1:0.3 bulk-update:update:$ROWS:1:$BATCH:1:0.10 on-conflict:update:$ROWS:1:$BATCH:1:0.2)
for workload in users products events; do
    file="$WB_SOURCE_DIR/workloads/$workload.yaml"
    advise_programs "$workload-r1" sqlite "$file" "${ROW_SHAPES[@]}"
    run_programs "$workload-r1" "sqlite://$tmp/$workload-r1.db" "$file" sqlite3
    [[ $workload == products ]] && continue # the batch shapes on users and events only: keep the test short
    advise_programs "$workload-r2" sqlite "$file" "${BATCH_SHAPES[@]}"
    run_programs "$workload-r2" "sqlite://$tmp/$workload-r2.db" "$file" sqlite3
done
finish
