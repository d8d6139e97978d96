#!/usr/bin/env bash
# Parameter scans: `run` with comma lists for --rows, --batch and --threads runs the
# cross product, each combination its own test, and a strategy that ignores a
# parameter is not repeated for its other values.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
run_wb run --db "sqlite://$dir/scan.db" --results "$dir/results" --rows 100,300 --batch 10,50 --threads 1,2 \
    --strategies server-generate,prepared,values-multirow
check_eq "a scan run exits 0" 0 "$WB_RC"
run=$(run_dir_in "$dir/results")
check "the scan made one run directory" test -n "$run"

# Expected tests, from the strategies' flags:
#   server-generate (no batch, no threads; insert+update): 2 rows x 2 passes = 4
#   prepared (threads only): 2 rows x 2 threads = 4
#   values-multirow (batch and threads): 2 rows x 2 batches x 2 threads = 8
py_checks "$run/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(len(rows) == 16, f"16 tests in the scan ({len(rows)})")
check(all(r["success"] == "1" for r in rows), "every test verified")
keys = [(r["strategy"], r["phase"], r["rows"], r["batch"], r["threads"]) for r in rows]
check(len(set(keys)) == len(keys), "every combination ran exactly once")
vm = {(r["rows"], r["batch"], r["threads"]) for r in rows if r["strategy"] == "values-multirow"}
check(vm == {(n, b, t) for n in ("100", "300") for b in ("10", "50") for t in ("1", "2")},
      f"values-multirow ran every rows x batch x threads combination ({sorted(vm)})")
prep = {(r["rows"], r["batch"], r["threads"]) for r in rows if r["strategy"] == "prepared"}
check(prep == {(n, "", t) for n in ("100", "300") for t in ("1", "2")},
      f"prepared ran once per rows x threads, with an empty batch ({sorted(prep)})")
sg = {(r["rows"], r["threads"]) for r in rows if r["strategy"] == "server-generate"}
check(sg == {("100", "1"), ("300", "1")}, f"server-generate ran once per row count ({sorted(sg)})")
check(all(int(r["rows_verified"]) == 2 * int(r["rows"]) for r in rows), "rows_verified = rows x 2 tables")
PY
check_contains "run.conf records the rows list" "$(cat "$run/run.conf")" "rows = 100,300"
check_contains "run.conf records the threads list" "$(cat "$run/run.conf")" "threads = 1,2"

# --pragma lists are a scan axis like --batch: every value, each its own group, labelled
# in the settings column; run.conf keeps the list.
run_wb run --db "sqlite://$dir/pragmas.db" --results "$dir/pragmas" --rows 50 --strategies prepared,values-multirow \
    --pragma synchronous=FULL,OFF
check_eq "a --pragma list: exit status 0" 0 "$WB_RC" || show_wb_output
run=$(run_dir_in "$dir/pragmas")
py_checks "$run/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(len(rows) == 4, f"each strategy ran once per value ({len(rows)} tests)")
got = sorted((r["strategy"], r["settings"]) for r in rows)
check(got == [(s, f"synchronous={v}") for s in ("prepared", "values-multirow") for v in ("FULL", "OFF")],
      f"the settings column names each test's PRAGMA ({got})")
check(all(r["success"] == "1" for r in rows), "every test verified")
PY
check_contains "run.conf records the PRAGMA list" "$(cat "$run/run.conf")" "pragma.synchronous = FULL,OFF"
check_contains "the closing rankings are apart" "$(cat "$WB_OUT")" "insert pass, 50 rows, batch 1,000, 1 thread, synchronous=OFF, verified"
run_wb aggregate "$run" --format csv
check_eq "aggregate groups the two PRAGMAs apart: 4 groups and the header" 5 "$(wc -l <"$WB_OUT")"
# --set is PostgreSQL's: on SQLite it is refused, pointing at --pragma; bad lists too.
run_wb run --db "sqlite://$dir/set.db" --results "$dir/set-results" --set synchronous_commit=off
check_eq "--set on SQLite exits 2" 2 "$WB_RC"
check_contains "  ... pointing at --pragma" "$(cat "$WB_ERR")" "--pragma NAME=V1[,V2...] scans them the same way"
check "  ... and writes nothing" test ! -e "$dir/set-results"
for bad in "synchronous=FULL,,OFF" "synchronous=FULL,FULL" "synchronous=" "synchronous=FULL,"; do
    run_wb run --db "sqlite://$dir/bad.db" --results "$dir/bad-results" --pragma "$bad"
    check_eq "--pragma '$bad' exits 2" 2 "$WB_RC"
    check_eq "--pragma '$bad' prints one line" 1 "$(wc -l < "$WB_ERR")"
    check "--pragma '$bad' writes nothing" test ! -e "$dir/bad-results"
done

# Bad lists: one line, exit 2, nothing written.
for bad in "10,,20" "10,10" "10,x" ",10" "0,10"; do
    run_wb run --db "sqlite://$dir/bad.db" --results "$dir/bad-results" --rows "$bad"
    check_eq "--rows '$bad' exits 2" 2 "$WB_RC"
    check_eq "--rows '$bad' prints one line" 1 "$(wc -l < "$WB_ERR")"
    check "--rows '$bad' writes nothing" test ! -e "$dir/bad-results"
done
finish
