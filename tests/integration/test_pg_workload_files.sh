# Integration test of workload files on PostgreSQL (issue 11): the test-only
# tests/workloads/every_feature.yaml (every generator, every parent row mapping,
# several foreign keys and CHECKs per table, multi-column unique indexes) runs
# with every strategy, both passes, and every test verifies; so does every
# strategy that honours --threads at --threads 3 (its foreign keys reference
# rows of other threads' key ranges: each thread commits a table and waits for
# the others before the next, so a foreign-key check under READ COMMITTED sees
# the parents); a CHECK planted to fail one key of thread 2's range fails each
# test with thread 2's error rather than leaving the other threads waiting;
# the test-only tests/workloads/every_type.yaml (every type and generator) and
# the shipped events and orders run with every strategy (COPY text and binary,
# copy-freeze, unlogged-then-logged, unnest, staging, MERGE, pipeline, bulk update, load-then-index,
# server-generate among them), both passes, threads 1 and 3, and every test
# verifies;
# `workload check` agrees on the fixture's server for every shipped workload and
# for it; drop removes its tables and writebench's schema.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql
SCHEMA=wb_test_workload_files
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
tmp=$(make_temp_dir)

EVERY_TYPE="$WB_SOURCE_DIR/tests/workloads/every_type.yaml"
PARTIAL="$WB_SOURCE_DIR/tests/workloads/partial_index.yaml"
for workload in users products events orders "$EVERY" "$EVERY_TYPE" "$PARTIAL"; do
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
run_wb describe --format json
threaded=$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(",".join(s["name"] for s in doc["strategies"] if s["threads"] and "postgresql" in s["backends"]))
' "$WB_OUT")
check "some PostgreSQL strategies honour --threads" test -n "$threaded"
run_wb run --db "$BASE" --schema "$SCHEMA" --workload "$EVERY" --rows 60 --slow-rows 30 --batch 7 --threads 3 \
    --strategies "$threaded" --results "$tmp/threads"
check_eq "every threaded strategy on every_feature at --threads 3: exit 0 (every test verified)" 0 "$WB_RC" ||
    show_wb_output
py_checks "$(run_dir_in "$tmp/threads")/results.csv" "$threaded" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
names = sys.argv[2].split(",")
threaded = [r for r in rows if r["strategy"] in names]
check(sorted(set(r["strategy"] for r in threaded)) == sorted(names), "every threaded strategy ran: %s" % names)
check(all(r["threads"] == "3" for r in threaded), "each at 3 threads")
bad = [r["test"] + ": " + r["error"] for r in threaded if r["success"] != "1" or r["verify"] != "values"]
check(not bad, "every test verified value by value: %s" % bad[:3])
PY

# A failing thread releases the others (customer 30 is in thread 2's keys 21..40).
sed '/- "credit >= 0"/a\      - "customer_id <> 30"' "$EVERY" >"$tmp/planted.yaml"
planted=single-tx,values-multirow,pipeline,unnest,copy-binary,staging-merge
run_wb run --db "$BASE" --schema "$SCHEMA" --workload "$tmp/planted.yaml" --rows 60 --batch 7 --threads 3 \
    --strategies "$planted" --timeout 60 --results "$tmp/planted"
check_eq "a planted failure in one thread: exit 1 (the tests failed), not a hang" 1 "$WB_RC" || show_wb_output
py_checks "$(run_dir_in "$tmp/planted")/results.csv" "$planted" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
inserts = [r for r in rows if r["phase"] == "insert"]
check(sorted(r["strategy"] for r in inserts) == sorted(sys.argv[2].split(",")), "every insert test ran")
for r in inserts:
    check(r["success"] == "0" and r["error"].startswith("thread 2: customers")
          and 'violates check constraint "customers_customer_id_check"' in r["error"]
          and "(30, " in r["error"], "%s failed with thread 2's error: %s" % (r["test"], r["error"][:200]))
    check("timeout" not in r["error"] and "stopped" not in r["error"], "%s: not a timeout" % r["test"])
PY
run_wb drop --db "$BASE" --schema "$SCHEMA" --workload "$EVERY"
check_eq "drop every_feature: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "drop: the three tables" "$(cat "$WB_OUT")" "order_items"
# every strategy, both passes, on every type and generator (every_type, threads 1
# and 3) and on the shipped events and orders (3 threads: orders' children wait for
# their parents at the barrier); test_pg_strategies runs them with 1 and 4 threads too
for spec in "$EVERY_TYPE:1,3" "events:3" "orders:3" "$PARTIAL:1"; do
    workload=${spec%:*} threads=${spec##*:} name=$(basename "${spec%:*}" .yaml)
    run_wb run --db "$BASE" --schema "$SCHEMA" --workload "$workload" --rows 100 --slow-rows 10 \
        --threads "$threads" --results "$tmp/$name-results"
    check_eq "every strategy on $name, threads $threads: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
    py_checks "$(run_dir_in "$tmp/$name-results")/results.csv" "$threads" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
threads = set(sys.argv[2].split(","))
names = {r["strategy"] for r in rows}
check({"copy-binary", "copy-text", "unnest", "staging-merge", "merge", "bulk-update", "load-then-index",
       "server-generate", "pipeline", "copy-freeze", "unlogged-then-logged"} <= names,
      f"the native strategies ran ({sorted(names)})")
check({r["threads"] for r in rows} >= threads, f"threads {sorted(threads)} ran")
check({r["phase"] for r in rows} == {"insert", "update"}, "both passes ran")
bad = [r["test"] + " " + r["threads"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(not bad, f"every test verified: {bad[:3]}")
PY
    if [[ $name == partial_index ]]; then
        # made with their predicates, and still so after load-then-index rebuilt them
        check_eq "partial_index: the partial indexes keep their predicates after every strategy" \
            "accounts_active_handle_key|CREATE UNIQUE INDEX accounts_active_handle_key ON $SCHEMA.accounts USING btree (handle) WHERE (status = 'active'::text)
accounts_balance_idx|CREATE INDEX accounts_balance_idx ON $SCHEMA.accounts USING btree (balance) WHERE ((status <> 'closed'::text) AND (balance IS NOT NULL))" \
            "$(psql "$BASE" -X -At -c "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '$SCHEMA' AND tablename = 'accounts' AND indexname <> 'accounts_pkey' ORDER BY 1")"
    fi
    run_wb drop --db "$BASE" --schema "$SCHEMA" --workload "$workload"
    check_eq "drop $name: exit 0" 0 "$WB_RC" || show_wb_output
done

finish
