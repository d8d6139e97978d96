# Integration test of workload files on PostgreSQL (issue 11): the test-only
# tests/workloads/every_feature.yaml (every parent row mapping, several foreign
# keys and CHECKs per table, multi-column unique indexes), the test-only
# tests/workloads/every_type.yaml (every type and generator) and the shipped
# events and orders run with every strategy (COPY text and binary, unnest,
# staging, MERGE, pipeline, bulk update, load-then-index, server-generate among
# them), both passes, threads 1 and 3 where the workload allows, and every test
# verifies;
# `workload check` agrees on the fixture's server for every shipped workload and
# for it; drop removes its tables and writebench's schema.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture
SCHEMA=wb_test_workload_files
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
tmp=$(make_temp_dir)

EVERY_TYPE="$WB_SOURCE_DIR/tests/workloads/every_type.yaml"
for workload in users products events orders "$EVERY" "$EVERY_TYPE"; do
    run_wb workload check "$workload" --db "$BASE"
    check_eq "workload check $(basename "$workload") on postgresql: exit 0" 0 "$WB_RC" || show_wb_output
    check_contains "workload check $(basename "$workload"): agree" "$(cat "$WB_OUT")" "agree on postgresql"
done

run_wb run --db "$BASE" --schema "$SCHEMA" --workload "$EVERY" --rows 60 --slow-rows 30 \
    --results "$tmp/results"
check_eq "every strategy on every_feature: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/results")
py_checks "$run_dir/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(len(rows) >= 25, f"every strategy and pass ran ({len(rows)} tests)")
check(all(r["workload"] == "every_feature" for r in rows), "results.csv names the workload")
bad = [r["test"] + " " + r["threads"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(not bad, f"every test verified: {bad[:3]}")
PY
run_wb drop --db "$BASE" --schema "$SCHEMA" --workload "$EVERY"
check_eq "drop every_feature: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "drop: the three tables" "$(cat "$WB_OUT")" "order_items"
# every strategy, both passes, on every type and generator (every_type, threads 1
# and 3) and on the shipped events (3 threads) and orders (1: it does not split by
# key ranges); test_pg_strategies runs the shipped ones with 1 and 4 threads too
for spec in "$EVERY_TYPE:1,3" "events:3" "orders:1"; do
    workload=${spec%:*} threads=${spec##*:} name=$(basename "${spec%:*}" .yaml)
    run_wb run --db "$BASE" --schema "$SCHEMA" --workload "$workload" --rows 100 --slow-rows 10 \
        --threads "$threads" --results "$tmp/$name-results"
    check_eq "every strategy on $name, threads $threads: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
    py_checks "$(run_dir_in "$tmp/$name-results")/results.csv" "$threads" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
threads = set(sys.argv[2].split(","))
names = {r["strategy"] for r in rows}
check({"copy-binary", "copy-text", "unnest", "staging-merge", "merge", "bulk-update", "load-then-index",
       "server-generate", "pipeline"} <= names, f"the native strategies ran ({sorted(names)})")
check({r["threads"] for r in rows} >= threads, f"threads {sorted(threads)} ran")
check({r["phase"] for r in rows} == {"insert", "update"}, "both passes ran")
bad = [r["test"] + " " + r["threads"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(not bad, f"every test verified: {bad[:3]}")
PY
    run_wb drop --db "$BASE" --schema "$SCHEMA" --workload "$workload"
    check_eq "drop $name: exit 0" 0 "$WB_RC" || show_wb_output
done

finish
