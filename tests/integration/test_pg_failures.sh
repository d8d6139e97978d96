# Integration test of failures on PostgreSQL (docs/ARCHITECTURE.md,
# "Measurements", "Safety"; issue 3):
#  1. a password given in a conninfo string, a URL or PGPASSWORD appears in none of
#     the run's files, nor on stdout or stderr, also when the connection fails;
#  2. the server stopped in the middle of a test (immediate shutdown of a second
#     throwaway cluster this test starts): that test fails with a clear message, the
#     results finished before are kept, writebench exits 1 and does not crash.
#
# Needs the PostgreSQL fixture (WB_PG_CONNINFO_FILE, set by CTest) and the server
# binaries (tests/pg/cluster.sh). The fixture's cluster trusts local connections, so a
# password given to it is simply unused: enough to see where it would travel.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

CLUSTER_SH="$WB_SOURCE_DIR/tests/pg/cluster.sh"
DB="wbt_failures_$$"
SECRET="Wb-Pw-$$-x9Q"
ROWS=40
SECOND_CLUSTER=""

export PGOPTIONS="-c client_min_messages=warning"
admin_sql() { psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
cleanup() {
    admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null
    [[ -n "$SECOND_CLUSTER" ]] && bash "$CLUSTER_SH" stop "$SECOND_CLUSTER" >/dev/null 2>&1
    wb_cleanup
}
trap cleanup EXIT
admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" ||
    { fail "cannot create database $DB"; finish; }

# The socket directory and port of the fixture, for the URL form.
socket_dir=$(sed -n "s/.*host='\([^']*\)'.*/\1/p" <<<"$BASE")
port=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$BASE")
url_host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$socket_dir")

# The secret must be in none of the files under a directory, nor in the last run's output.
check_no_secret() {
    local what=$1 dir=$2 found
    found=$(grep -rlF -- "$SECRET" "$dir" "$WB_OUT" "$WB_ERR" 2>/dev/null)
    check_eq "$what: the password appears nowhere" "" "$found"
}

# --- 1. passwords
tmp=$(make_temp_dir)
run_wb run --db "$BASE dbname=$DB password=$SECRET" --workload users --rows $ROWS --strategies prepared \
    --results "$tmp/conninfo"
check_eq "a run with a password in a conninfo string succeeds" 0 "$WB_RC" || show_wb_output
check "  ... and wrote its files" test -n "$(run_dir_in "$tmp/conninfo")"
check_no_secret "conninfo string" "$tmp/conninfo"

run_wb run --db "postgresql://postgres:$SECRET@/$DB?host=$url_host&port=$port" --workload users --rows $ROWS \
    --strategies prepared --results "$tmp/url"
check_eq "a run with a password in a URL succeeds" 0 "$WB_RC" || show_wb_output
check_no_secret "URL" "$tmp/url"
if run_dir=$(run_dir_in "$tmp/url") && [[ -n "$run_dir" ]]; then
    check "run.conf names the database, redacted" grep -q "postgresql://postgres@" "$run_dir/run.conf"
fi

export PGPASSWORD=$SECRET
run_wb run --db "$BASE dbname=$DB" --workload users --rows $ROWS --strategies prepared --results "$tmp/env"
check_eq "a run with PGPASSWORD succeeds" 0 "$WB_RC" || show_wb_output
check_no_secret "PGPASSWORD" "$tmp/env"
unset PGPASSWORD

run_wb run --db "$BASE dbname=wbt_no_such_db_$$ password=$SECRET" --workload users --rows $ROWS \
    --strategies prepared --results "$tmp/refused"
check_eq "a database that does not exist: exit 2" 2 "$WB_RC" || show_wb_output
check_contains "  ... with the server's reason" "$(cat "$WB_ERR")" "does not exist"
check_no_secret "failed connection" "$tmp/refused"
run_wb drop --db "postgresql://postgres:$SECRET@/wbt_no_such_db_$$?host=$url_host&port=$port" --workload users
check_eq "drop on a database that does not exist: exit 2" 2 "$WB_RC" || show_wb_output
check_no_secret "failed drop" "$tmp/refused"

# --- 2. the server stops in the middle of a test
SECOND_CLUSTER="$(make_temp_dir)/cluster"
if ! bash "$CLUSTER_SH" start "$SECOND_CLUSTER" >/dev/null; then
    fail "cannot start a second throwaway cluster with tests/pg/cluster.sh"
    finish
fi
second=$(cat "$SECOND_CLUSTER/conninfo")
results="$tmp/results-stopped" # unique: it appears in the command line of parent and child
# copy-binary finishes in a second or two; single-autocommit (a commit per row, fsync
# on) then needs minutes for as many rows, long enough to stop the server under it.
BIG_ROWS=100000
(exec "$WB_BIN" run --db "$second" --workload users --rows $BIG_ROWS --slow-rows $BIG_ROWS --timeout 300 \
    --strategies copy-binary,single-autocommit,values-multirow --results "$results" \
    </dev/null >"$tmp/stopped.out" 2>"$tmp/stopped.err") &
run_pid=$!
track_pid "$run_pid"

# Data rows in results.csv, and the rows the running test has written so far.
data_rows() {
    local csvs=("$results"/*/results.csv)
    if [[ -f "${csvs[0]}" ]]; then echo $(($(wc -l <"${csvs[0]}") - 1)); else echo 0; fi
}
single_rows() {
    psql "$second" -X -At -c "SELECT count(*) FROM writebench.user_account" 2>/dev/null || echo 0
}
deadline=$((SECONDS + 60))
# single-autocommit is writing: copy-binary is recorded and the tables, reset since,
# fill again.
writing() {
    local n
    n=$(single_rows)
    [[ $(data_rows) -ge 1 && $n -ge 50 && $n -lt $BIG_ROWS ]]
}
while ! writing && [[ $SECONDS -lt $deadline ]] && kill -0 "$run_pid" 2>/dev/null; do
    sleep 0.2
done
check "copy-binary finished and single-autocommit is writing before the stop" writing
bash "$CLUSTER_SH" stop "$SECOND_CLUSTER" >/dev/null # pg_ctl stop -m immediate, then rm -r
SECOND_CLUSTER=""

deadline=$((SECONDS + 60))
while kill -0 "$run_pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do
    sleep 0.2
done
if kill -0 "$run_pid" 2>/dev/null; then
    fail "writebench still runs 60 s after the server stopped"
    kill -9 "$run_pid"
fi
wait "$run_pid"
rc=$?
check_eq "writebench exits 1 when the server goes away mid-run" 1 "$rc" ||
    { tail -n 20 "$tmp/stopped.out" "$tmp/stopped.err"; }
check "it says so on stderr" grep -qi "reach\|server\|connection" "$tmp/stopped.err" ||
    cat "$tmp/stopped.err"
check "no child of the run is left" test -z "$(pgrep -f -- "$results")"
run_dir=$(run_dir_in "$results")
if [[ -z "$run_dir" ]]; then
    fail "one run directory under --results"
else
    py_checks "$run_dir" $BIG_ROWS <<'PY'
import os, re
run_dir, rows = sys.argv[1], int(sys.argv[2])
header, records, lists = read_csv(os.path.join(run_dir, "results.csv"))
by_test = {r["test"]: r for r in records}
print("tests recorded: " + "; ".join(f"{r['test']}={r['success']} {r['error']!r}" for r in records))
p = by_test.get("copy-binary-insert")
if check(p is not None, "the finished test (copy-binary-insert) is kept"):
    check(p["success"] == "1" and p["rows_verified"] == str(2 * rows), "  ... verified, as it was")
s = by_test.get("single-autocommit-insert")
if check(s is not None, "the interrupted test (single-autocommit-insert) is recorded"):
    check(s["success"] == "0", "  ... as failed")
    check(re.search(r"terminat|server|connection|closed", s["error"], re.I),
          f"  ... with the server's message ({s['error']!r})")
    check(not re.search(r"crash|signal", s["error"], re.I), "  ... not as a crash")
check(all(r["test"] != "values-multirow-insert" or r["success"] == "0" for r in records),
      "no later test pretends to have succeeded")
with open(os.path.join(run_dir, "results.json"), encoding="utf-8") as f:
    doc = json.load(f)
results = doc if isinstance(doc, list) else doc.get("results", [])
check(any(x.get("test") == "copy-binary-insert" for x in results), "results.json keeps the finished test")
check(doc.get("run_state") == "cut short" and str(doc.get("cut_short", "")).startswith("database unreachable: "),
      f"results.json says the run was cut short because the database went away ({doc.get('run_state')!r}, {doc.get('cut_short')!r})")
check(doc.get("tests_recorded") == len(records) and (doc.get("tests_planned") or 0) > len(records),
      f"... with {doc.get('tests_recorded')} of {doc.get('tests_planned')} tests recorded")
PY
    run_wb aggregate "$run_dir"
    check_eq "aggregate reads the run cut short: exit 0" 0 "$WB_RC"
    check_contains "... and names it on stderr" "$(cat "$WB_ERR")" ", cut short: database unreachable: "
    check "run.log tells what happened" grep -qi "unreachable\|stopped\|server\|connection" "$run_dir/run.log"
fi

finish
