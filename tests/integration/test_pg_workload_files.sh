# Integration test of workload files on PostgreSQL (issue 11): the test-only
# tests/workloads/every_feature.yaml (every generator, every parent row mapping,
# several foreign keys and CHECKs per table, multi-column unique indexes) runs
# with every strategy, both passes, and every test verifies;
# `workload check` agrees on the fixture's server for every shipped workload and
# for it; drop removes its tables and writebench's schema.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture
SCHEMA=wb_test_workload_files
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
tmp=$(make_temp_dir)

for workload in users products "$EVERY"; do
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
finish
