# Integration test of whole runs on MariaDB through the command line (issue 12):
#  1. every strategy that runs on MariaDB (the set comes from `describe --format
#     json`), every workload: users, products, events, orders, every_feature and
#     every_type (every SQL type, hostile values, NULLs), both passes, --rows 200 at
#     --threads 1,3 (every_feature at 1: its foreign keys reference other keys'
#     rows); one results.csv row per strategy pass and thread count, every one
#     verified (all rows) or skipped with its reason, the server-side figures filled
#     in (redo bytes, commits, the server's peak RSS), and every test's
#     transaction_retries in results.json a count (InnoDB's deadlocks of
#     update-then-insert at 3 threads are retried, never a failure); the one
#     skip InnoDB decides is accepted by its reason only: replace's update pass
#     where a foreign key references the table;
#  2. --pragma sql_mode=NO_BACKSLASH_ESCAPES on products and every_type, the
#     strategies whose escaping differs (values inlined as text, binary binds, LOAD
#     DATA, multi-row statements): every hostile value verified with backslashes
#     taken literally (test_mariadb_strategies runs the whole catalogue so);
#  3. count, show and drop on the database, and drop removes the database, empty;
#  4. `--db mariadb-temp:` runs and leaves no server process and no directory, also
#     when writebench is killed with SIGKILL in the middle of a test.
#
# Needs the MariaDB fixture (WB_MARIADB_URL_FILE, set by CTest); works in databases
# of its own.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mariadb_fixture

DB="wbt_run_$$"
ROWS=200 # >= 80: every hostile kind in every column
NBE_STRATEGIES=single-tx,prepared,values-multirow,load-data,on-conflict-batch,bulk-update
EVENT_BOUND_S=120 # the longest wait for the next event: only reached when something is wrong
tmp=$(make_temp_dir)
trap 'mdb_sql -e "DROP DATABASE IF EXISTS $DB; DROP DATABASE IF EXISTS ${DB}_nbe" 2>/dev/null; wb_cleanup' EXIT

if ! "$WB_BIN" describe --format json >"$tmp/describe.json" 2>"$tmp/describe.err"; then
    fail "writebench describe --format json: $(head -c 300 "$tmp/describe.err")"
    finish
fi

# check_run NAME RESULTS_DIR WORKLOAD THREADS [STRATEGIES]: one run's results.csv against
# the catalogue (STRATEGIES: the comma list the run was given; all by default).
check_run() {
    local name=$1 results=$2 workload=$3 threads=$4 run_dir
    run_dir=$(run_dir_in "$results")
    if [[ -z "$run_dir" || ! -f "$run_dir/results.csv" ]]; then
        fail "$name: no run directory with a results.csv under $results"
        show_wb_output
        return
    fi
    local tables
    if [[ -f $workload ]]; then
        tables=$(grep -c '^  - name:' "$workload")
    else
        tables=$(WORKLOAD=$workload python3 -c 'import json, os, sys
print({w["name"]: len(w["tables"]) for w in json.load(sys.stdin)["workloads"]}[os.environ["WORKLOAD"]])' <"$tmp/describe.json")
    fi
    py_checks "$run_dir/results.csv" "$tmp/describe.json" "$name" "$(basename "$workload" .yaml)" "$threads" "$ROWS" \
        "$WB_RC" "${5:-all}" "$tables" "$run_dir/results.json" <<'PY'
import json
path, describe, name, workload, threads, rows, rc, chosen, tables, results_json = sys.argv[1:]
rows, rc, tables = int(rows), int(rc), int(tables)
threads = [int(t) for t in threads.split(",")]
doc = json.load(open(describe))
header, results, _ = read_csv(path)
got = {(r["strategy"], r["phase"], int(r["threads"])) for r in results}
want = set()
for s in doc["strategies"]:
    if "mariadb" not in s["backends"] or (chosen != "all" and s["name"] not in chosen.split(",")):
        continue
    for phase in s["passes"]:
        for t in (threads if s["threads"] else threads[:1]):
            want.add((s["name"], phase, t))
check(got == want, f"{name}: one test per strategy, pass and thread count (missing {sorted(want - got)[:5]}, extra {sorted(got - want)[:5]})")
check(all(r["backend"] == "mariadb" for r in results), f"{name}: every row's backend is mariadb")
failed = []
for r in results:
    test = f'{r["strategy"]}-{r["phase"]} at {r["threads"]} threads'
    if r["error"].startswith("skipped: "):
        ok = r["strategy"] == "replace" and r["phase"] == "update" and "InnoDB refuses to delete" in r["error"]
        check(ok, f"{name}: {test} is skipped only where InnoDB refuses REPLACE's delete ({r['error'][:120]})")
        continue
    if r["success"] != "1":
        failed.append(f'{test}: {r["error"][:160]}')
        continue
    if r["strategy"] == "generate-only":
        continue
    if int(r["rows_verified"] or 0) != rows * tables:
        failed.append(f'{test}: {r["rows_verified"]} rows verified, not {rows * tables}')
    if r["wal_bytes"] == "" or int(r["wal_bytes"]) <= 0:
        failed.append(f'{test}: no redo bytes ({r["wal_bytes"]!r})')
    if r["commits"] == "" or int(r["commits"]) < 1:
        failed.append(f'{test}: no commits ({r["commits"]!r})')
    if r["server_peak_rss_kb"] == "" or int(r["server_peak_rss_kb"]) <= 0:
        failed.append(f'{test}: no server peak RSS ({r["server_peak_rss_kb"]!r})')
check(not failed, f"{name}: every other test verified all rows, with redo bytes, commits and server memory: {failed[:4]}")
check(rc == 0, f"{name}: exit status {rc}")
objects = json.load(open(results_json))["results"]
counts = [o.get("transaction_retries") for o in objects if not o["error"].startswith("skipped: ")]
check(len(objects) == len(results) and all(isinstance(n, int) and n >= 0 for n in counts),
      f"{name}: every test's transaction_retries is a count ({counts[:8]})")
retried = sorted({(o["strategy"], o["threads"]) for o in objects if (o.get("transaction_retries") or 0) > 0})
print(f"{name}: transactions retried in {retried or 'no test'}")
PY
}

# --- 1. every strategy, every workload, both passes, threads 1 and 3
WORKLOADS=(users products events orders "$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
    "$WB_SOURCE_DIR/tests/workloads/every_type.yaml")
for workload in "${WORKLOADS[@]}"; do
    name=$(basename "$workload" .yaml)
    threads="1,3"
    [[ $name == every_feature ]] && threads=1
    run_wb run --db "$(mdb_url "$DB")" --workload "$workload" --rows "$ROWS" --slow-rows "$ROWS" --threads "$threads" \
        --results "$tmp/run-$name"
    check_run "$name" "$tmp/run-$name" "$workload" "$threads"
done
run_dir=$(run_dir_in "$tmp/run-products")
conf=$(cat "$run_dir/run.conf" 2>/dev/null)
check_contains "run.conf names the database" "$conf" "db = $(mdb_url "$DB")"
check_contains "run.conf records the durability setting" "$conf" "mariadb.innodb_flush_log_at_trx_commit = "
check_contains "run.conf records the session's sql_mode" "$conf" "mariadb.session_sql_mode = PIPES_AS_CONCAT,ANSI_QUOTES,"

# --- 2. NO_BACKSLASH_ESCAPES: backslashes are data, and every hostile value still verifies
run_wb run --db "$(mdb_url "${DB}_nbe")" --pragma sql_mode=NO_BACKSLASH_ESCAPES --workload products --rows "$ROWS" \
    --slow-rows "$ROWS" --strategies "$NBE_STRATEGIES" --results "$tmp/nbe"
check_run "NO_BACKSLASH_ESCAPES" "$tmp/nbe" products 1 "$NBE_STRATEGIES"
run_wb run --db "$(mdb_url "${DB}_nbe")" --pragma sql_mode=NO_BACKSLASH_ESCAPES \
    --workload "$WB_SOURCE_DIR/tests/workloads/every_type.yaml" --rows "$ROWS" --slow-rows "$ROWS" \
    --strategies "$NBE_STRATEGIES" --results "$tmp/nbe-types"
check_run "NO_BACKSLASH_ESCAPES every_type" "$tmp/nbe-types" "$WB_SOURCE_DIR/tests/workloads/every_type.yaml" 1 \
    "$NBE_STRATEGIES"
run_dir=$(run_dir_in "$tmp/nbe")
check_contains "NO_BACKSLASH_ESCAPES: run.conf records the session's sql_mode" \
    "$(cat "$run_dir/run.conf" 2>/dev/null)" "mariadb.session_sql_mode = PIPES_AS_CONCAT,ANSI_QUOTES,NO_BACKSLASH_ESCAPES"
check_eq "NO_BACKSLASH_ESCAPES: a backslash in the data is one byte" "1" \
    "$(mdb_sql -e "SELECT count(*) > 0 FROM ${DB}_nbe.products WHERE LOCATE(CHAR(92), name) > 0")"

# --- 3. count, show, drop
run_wb count --db "$(mdb_url "$DB")" --workload products
check_eq "count: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "count: the products table holds the last run's rows" "$(cat "$WB_OUT")" "products"
run_wb show --db "$(mdb_url "$DB")" --workload products
check_eq "show: exit 0" 0 "$WB_RC" || show_wb_output
for workload in "${WORKLOADS[@]}"; do
    run_wb drop --db "$(mdb_url "$DB")" --workload "$workload"
    check_eq "drop $(basename "$workload" .yaml): exit 0" 0 "$WB_RC" || show_wb_output
done
check_contains "drop: the last drop removes the empty database" "$(cat "$WB_OUT" "$WB_ERR")" "removed: it held nothing else"
check_eq "drop: the database is gone" "0" \
    "$(mdb_sql -e "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$DB'")"

# --- 4. mariadb-temp: runs, and leaves nothing behind
# left_behind DIR: the mariadbd processes whose command line names DIR.
left_behind() {
    local pid
    for pid in $(pgrep -x mariadbd 2>/dev/null); do
        tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -qF -- "$1" && echo "$pid"
    done
}
run_wb run --db mariadb-temp: --workload products --strategies load-data,on-conflict-batch --rows "$ROWS" \
    --results "$tmp/temp"
check_eq "mariadb-temp: exit 0" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/temp")
server_dir=$(sed -n 's/^mariadb_temp\.dir = //p' "$run_dir/run.conf" 2>/dev/null)
check "mariadb-temp: run.conf records the server's directory" test -n "$server_dir"
check_eq "mariadb-temp: run.conf says the database is mariadb-temp:" "db = mariadb-temp:" \
    "$(grep '^db = ' "$run_dir/run.conf" 2>/dev/null)"
py_checks "$run_dir/results.csv" "$ROWS" <<'PY'
_, rows, _ = read_csv(sys.argv[1])
n = int(sys.argv[2])
check(len(rows) == 3 and all(r["success"] == "1" and r["rows_verified"] == str(n) for r in rows),
      f"mariadb-temp: load-data and on-conflict-batch verified {n} rows ({[(r['test'], r['success'], r['rows_verified']) for r in rows]})")
PY
if [[ -n "$server_dir" ]]; then
    check "mariadb-temp: the directory $server_dir is gone" test ! -e "$server_dir"
    check_eq "mariadb-temp: no server process is left" "" "$(left_behind "$server_dir")"
fi

# SIGKILL in the middle of a test: an external program holds still (it signals on
# one FIFO and blocks reading another) while the test reads the server's directory
# from run.conf and kills writebench; the watcher still stops the server and removes
# the directory.
events="$tmp/events" release="$tmp/release"
mkfifo "$events" "$release"
exec 3<>"$events" 4<>"$release"
(
    "$WB_BIN" run --db mariadb-temp: --workload products --rows 10 --verify count --strategies none \
        --results "$tmp/killed" --external hold="$WB_SOURCE_DIR/tests/external/fifo_hold.sh" "$events" "$release" \
        </dev/null >"$tmp/killed.out" 2>"$tmp/killed.err" &
    echo "pid $!" >&3
    wait $! 2>/dev/null # (no "Killed" line: the kill is this test's)
    echo "ended $?" >&3
) &
track_pid $!
wb_pid="" rc="" server_dir=""
while [[ -z "$rc" ]] && read -r -t "$EVENT_BOUND_S" -u 3 kind value; do
    case $kind in
        pid) wb_pid=$value; track_pid "$wb_pid" ;;
        started)
            run_dir=$(run_dir_in "$tmp/killed")
            server_dir=$(sed -n 's/^mariadb_temp\.dir = //p' "$run_dir/run.conf" 2>/dev/null)
            check "SIGKILL: the server runs ($server_dir)" test -d "$server_dir/data"
            kill -KILL "$wb_pid"
            echo go >&4 # the program, its parent gone, may end
            ;;
        ended) rc=$value ;;
    esac
done
check_eq "SIGKILL: writebench was killed" 137 "$rc"
exec 3>&- 4>&-
if [[ -n "$server_dir" ]]; then
    # The watcher looks at its control pipe every second, then kills the server and
    # removes the directory: bounded by EVENT_BOUND_S, over at once when done.
    for ((i = 0; i < EVENT_BOUND_S * 10; i++)); do
        [[ -e "$server_dir" || -n "$(left_behind "$server_dir")" ]] || break
        sleep 0.1
    done
    check "SIGKILL: the directory $server_dir is gone" test ! -e "$server_dir"
    check_eq "SIGKILL: no server process is left" "" "$(left_behind "$server_dir")"
fi

finish
