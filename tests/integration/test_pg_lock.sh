# Integration test of "one run per database" on PostgreSQL (issue 10, items 3 and 8):
# runs held inside their test by tests/external/hold.sh (a FIFO handshake, no sleep):
#  1. two runs on two schemas of one server hold their locks at the same moment and
#     both verify; the lock's connection carries the holder in its application_name;
#  2. a second run, a profile, setup and drop on a held schema are refused at once:
#     exit 2, one line naming the holder's run id, pid, host and start time, nothing
#     written; count (read-only) still works;
#  3. once released, the next run on the same schema succeeds at once;
#  4. a run killed with SIGKILL leaves no stale lock: the next run proceeds;
#  5. drop removes writebench's schema once it holds nothing else, and keeps one that
#     still holds another workload's tables or a table of someone else.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/hold_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/hold_lib.sh"

pg_fixture psql

ROWS=20
WRITER="$WB_SOURCE_DIR/tests/external/pg_psql.sh"
A="wblock_a_$$"
B="wblock_b_$$"
C="wblock_c_$$"
D="wblock_d_$$"
# The advisory lock's keys (src/backends/postgres.c, LOCK_CLASS_KEY and the schema's hashtext).
LOCK_CLASS_KEY=2002911232

export PGOPTIONS="-c client_min_messages=warning"
db_sql() { psql "$BASE" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_schemas() {
    local s
    for s in "$A" "$B" "$C" "$D"; do
        db_sql -c "DROP SCHEMA IF EXISTS \"$s\" CASCADE" >/dev/null 2>&1
    done
}
trap 'wb_cleanup; drop_schemas' EXIT
schema_exists() { db_sql -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$1'"; }
tables_of() { db_sql -c "SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = '$1'"; }
tmp=$(make_temp_dir)

# --- 1. two schemas, side by side
held_start A "$WRITER" --db "$BASE" --schema "$A" --rows $ROWS --results "$tmp/results-a"
held_start B "$WRITER" --db "$BASE" --schema "$B" --rows $ROWS --results "$tmp/results-b"
pass "runs on schemas $A and $B both hold their lock at once"
check_contains "A's lock connection is named after its holder" \
    "$(db_sql -c "SELECT string_agg(application_name, ';') FROM pg_stat_activity WHERE application_name LIKE 'wb-lock %'")" \
    "wb-lock run ${HELD_RUN_ID[A]} ${HELD_PID[A]} $(hostname | cut -c1-10)"

# --- 2. refused on a held schema
run_wb run --db "$BASE" --schema "$A" --rows $ROWS --strategies server-generate --results "$tmp/results-a2"
check_refused "a second run on schema $A" A
check_contains "  ... and names the schema" "$(cat "$WB_ERR")" "schema \"$A\" of "
check_eq "  ... and makes no run directory" "" "$(ls "$tmp/results-a2" 2>/dev/null)"
run_wb profile --db "$BASE" --schema "$A" --rows $ROWS --repeat 1 --load-repeat 1 --baseline-only --no-cache \
    --results "$tmp/results-p"
check_refused "profile on schema $A" A
check_eq "  ... and makes no run directory" "" "$(ls "$tmp/results-p" 2>/dev/null)"
run_wb setup --db "$BASE" --schema "$A" --workload products
check_refused "setup on schema $A" A
run_wb drop --db "$BASE" --schema "$A"
check_refused "drop on schema $A" A
check_eq "  ... which dropped nothing: A's tables are there" "address,user_account" "$(tables_of "$A")"
run_wb count --db "$BASE" --schema "$A"
check_eq "count (read-only) is not refused while A runs" 0 "$WB_RC" || show_wb_output

# --- 3. released: both verify, and the schema is free at once
held_release A
held_release B
for run in A B; do
    check_eq "$run, released: exit 0" 0 "${HELD_RC[$run]}" || held_output $run
    check_contains "$run verified both passes" "$(cat "${HELD_DIR[$run]}/out")" "2 of 2 tests verified"
done
run_wb run --db "$BASE" --schema "$A" --rows $ROWS --strategies server-generate --results "$tmp/results-a3"
check_eq "the next run on schema $A succeeds" 0 "$WB_RC" || show_wb_output

# --- 4. SIGKILL leaves no stale lock
held_start K "$WRITER" --db "$BASE" --schema "$A" --rows $ROWS --results "$tmp/results-k"
held_kill K
# The server ends the killed run's session (and frees its lock) when it sees the
# connection close: wait for that as an event, bounded, by asking for the same lock.
await_lock_free() {
    db_sql -c "SET statement_timeout = '${HELD_WAIT_S}s'" \
        -c "SELECT pg_advisory_lock($LOCK_CLASS_KEY, hashtext('$1'))" \
        -c "SELECT pg_advisory_unlock($LOCK_CLASS_KEY, hashtext('$1'))" >/dev/null
}
check "after SIGKILL the server frees the lock" await_lock_free "$A"
run_wb run --db "$BASE" --schema "$A" --rows $ROWS --strategies server-generate --results "$tmp/results-after-kill"
check_eq "the run after a SIGKILLed one proceeds" 0 "$WB_RC" || show_wb_output

# --- 5. drop removes the schema once it holds nothing else
for s in "$A" "$B"; do
    run_wb drop --db "$BASE" --schema "$s"
    check_eq "drop on schema $s: exit 0" 0 "$WB_RC" || show_wb_output
    check_contains "  ... says the schema was removed" "$(cat "$WB_OUT")" "schema \"$s\" removed: it held nothing else"
    check_eq "  ... and it is gone" 0 "$(schema_exists "$s")"
done

run_wb setup --db "$BASE" --schema "$C" --workload users
run_wb setup --db "$BASE" --schema "$C" --workload products
check_eq "setup of two workloads in schema $C" 0 "$WB_RC" || show_wb_output
run_wb drop --db "$BASE" --schema "$C" --workload users
check_eq "drop users from $C: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "  ... keeps the schema, saying why" "$(cat "$WB_OUT")" "schema \"$C\" kept: it still holds"
check_eq "  ... with the products table in it" "products" "$(tables_of "$C")"
run_wb drop --db "$BASE" --schema "$C" --workload products
check_eq "drop products from $C: exit 0" 0 "$WB_RC" || show_wb_output
check_eq "  ... removes the now empty schema" 0 "$(schema_exists "$C")"

run_wb setup --db "$BASE" --schema "$D" --workload users
db_sql -c "CREATE TABLE \"$D\".theirs (x int); INSERT INTO \"$D\".theirs VALUES (42)" >/dev/null
run_wb drop --db "$BASE" --schema "$D" --workload users
check_eq "drop from $D, which holds a table of someone else: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "  ... keeps the schema" "$(cat "$WB_OUT")" "schema \"$D\" kept"
check_eq "  ... and the other table with its row" "42" "$(db_sql -c "SELECT x FROM \"$D\".theirs")"
check_eq "  ... and drops only the workload's tables" "theirs" "$(tables_of "$D")"

finish
