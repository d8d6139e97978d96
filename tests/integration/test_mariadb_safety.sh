# Integration test of writebench's safety rules on MariaDB (docs/ARCHITECTURE.md,
# "Safety"; issue 12):
#  1. a database writebench did not create (no mark), with a table of the workload's
#     very name, is refused by run, setup and drop at once (exit 2, one line naming it),
#     and stays exactly as it was; no run directory is made;
#  2. decoy tables in another database, named like the workloads' (products,
#     user_account, address, with hostile values), are untouched by a run of every
#     strategy and by drop: CHECKSUM TABLE and their definitions before and after;
#  3. a password in --db (a user with a password and rights on its database only):
#     in no file of the run directory (run.conf, run.log, results, code.diff), not on
#     stdout or stderr, and not in the process listing while a test is running
#     (writebench masks it in its argv; an external program holds still so that the
#     listing can be read mid-test), while the program itself gets it in its
#     environment (MYSQL_PWD) to connect;
#  4. a second writebench on the same database is refused, naming the first.
#
# Needs the MariaDB fixture (WB_MARIADB_URL_FILE, set by CTest).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mariadb_fixture

UNMARKED="wbt_unmarked_$$"
DECOY="wbt_decoy_$$"
SAFE="wbt_safe_$$"
USER="wbt_user_$$"
SECRET="Wb-Safe-Pw-$$-q7"
MASKED=$(printf '%*s' ${#SECRET} '' | tr ' ' x)
ROWS=60
EVENT_BOUND_S=120
tmp=$(make_temp_dir)
cleanup_db() {
    mdb_sql -e "DROP DATABASE IF EXISTS $UNMARKED; DROP DATABASE IF EXISTS $DECOY; DROP DATABASE IF EXISTS $SAFE;
                DROP USER IF EXISTS '$USER'@'localhost'" 2>/dev/null
}
trap 'cleanup_db; wb_cleanup' EXIT
cleanup_db

mdb_sql <<SQL || fail "setup of the foreign databases"
CREATE DATABASE $UNMARKED;
CREATE TABLE $UNMARKED.products (id BIGINT PRIMARY KEY, name TEXT);
INSERT INTO $UNMARKED.products VALUES (1, 'someone else''s row');
CREATE DATABASE $DECOY COMMENT 'a colleague''s database';
CREATE TABLE $DECOY.products (id BIGINT PRIMARY KEY, name TEXT, category TEXT, price DECIMAL(10,2));
INSERT INTO $DECOY.products VALUES (1, 'tab\there', 'back\\\\slash', 1.50), (2, 'O''Brien', NULL, 0);
CREATE TABLE $DECOY.user_account (id BIGINT PRIMARY KEY, name VARCHAR(30) NOT NULL, fullname TEXT);
INSERT INTO $DECOY.user_account VALUES (1, 'not writebench''s', 'é');
CREATE TABLE $DECOY.address (id BIGINT PRIMARY KEY, street_address TEXT NOT NULL, user_id BIGINT NOT NULL);
INSERT INTO $DECOY.address VALUES (1, 'x', 1);
CREATE USER '$USER'@'localhost' IDENTIFIED BY '$SECRET';
GRANT ALL PRIVILEGES ON $SAFE.* TO '$USER'@'localhost';
SQL

# The foreign databases, as one text: every table's checksum and definition, and the
# databases' comments.
fingerprint() {
    local db t
    for db in $UNMARKED $DECOY; do
        mdb_sql -e "SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$db'"
        for t in $(mdb_sql -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' ORDER BY 1"); do
            mdb_sql -e "CHECKSUM TABLE $db.$t EXTENDED; SHOW CREATE TABLE $db.$t"
        done
    done
}
initial=$(fingerprint)
check_contains "the foreign databases are in place" "$initial" "$DECOY.products"

# --- 1. an unmarked database is refused, whatever the command
for cmd in run setup drop; do
    args=(--db "$(mdb_url "$UNMARKED")" --workload products)
    [[ $cmd == run ]] && args+=(--rows 10 --results "$tmp/refused")
    run_wb "$cmd" "${args[@]}"
    check_eq "$cmd on an unmarked database: exit status 2" 2 "$WB_RC" || show_wb_output
    check_eq "$cmd on an unmarked database: one line on stderr" 1 "$(wc -l <"$WB_ERR")" || show_wb_output
    check_contains "$cmd on an unmarked database: names it and the missing mark" "$(cat "$WB_ERR")" \
        "database \"$UNMARKED\" exists but was not created by writebench (no writebench mark)"
done
check_eq "run on an unmarked database: no run directory was made" "" "$(run_dir_in "$tmp/refused")"
check_eq "the unmarked database is as it was" "$initial" "$(fingerprint)"

# --- 2 and 3. every strategy in writebench's own database, as a user with a password
url="mariadb://$USER:$SECRET@localhost/$SAFE?${MDB_URL#*\?}"
shown="mariadb://$USER:$MASKED@localhost/$SAFE?${MDB_URL#*\?}"
for workload in products users; do
    run_wb run --db "$url" --workload "$workload" --rows "$ROWS" --slow-rows "$ROWS" --results "$tmp/results"
    check "run of every strategy on $workload as $USER: exit 0 or 1 (a deadlock)" test "$WB_RC" -le 1 || show_wb_output
    check_eq "run of every strategy on $workload: nothing failed but by a deadlock" "" \
        "$(grep -v 'Deadlock found' "$tmp/results"/*/results.csv | awk -F, 'NR > 1 && $12 == 0 && $0 !~ /skipped: /' | head -n 3)"
done
check_eq "the runs left the foreign databases as they were" "$initial" "$(fingerprint)"
check_eq "the runs wrote into writebench's database" "$ROWS" "$(mdb_sql -e "SELECT count(*) FROM $SAFE.products")"

# the process listing mid-test, while an external program holds still
events="$tmp/events" release="$tmp/release"
mkfifo "$events" "$release"
exec 3<>"$events" 4<>"$release"
(
    "$WB_BIN" run --db "$url" --workload products --rows 10 --verify count --strategies none \
        --results "$tmp/results" \
        --external hold="$WB_SOURCE_DIR/tests/external/fifo_hold.sh" "$events" "$release" \
        </dev/null >"$tmp/hold.out" 2>"$tmp/hold.err" &
    echo "pid $!" >&3
    wait $!
    echo "ended $?" >&3
) &
track_pid $!
wb_pid="" rc="" looked=0
while [[ -z "$rc" ]] && read -r -t "$EVENT_BOUND_S" -u 3 kind value; do
    case $kind in
        pid) wb_pid=$value; track_pid "$wb_pid" ;;
        started)
            looked=$((looked + 1))
            cmdline=$(tr '\0' ' ' </proc/"$wb_pid"/cmdline)
            check_contains "mid-test: writebench's cmdline shows the masked --db" "$cmdline" "--db $shown "
            listing=$(ps -eo args)
            # never printed: the listing holds other people's processes
            if [[ "$listing" == *"$SECRET"* ]]; then fail "mid-test: ps shows the password"; else pass "mid-test: ps shows the password nowhere"; fi
            env_of_program=$(tr '\0' '\n' </proc/"$value"/environ 2>/dev/null)
            check_contains "mid-test: the program gets the password in its environment only" "$env_of_program" \
                "MYSQL_PWD=$SECRET"
            echo go >&4 ;;
        ended) rc=$value ;;
    esac
done
exec 3>&- 4>&-
check_eq "the held run ended with the program's tests failed (it wrote nothing, exit 1)" 1 "$rc"
check "the program held still at least once" test "$looked" -ge 1
if grep -rqF -- "$SECRET" "$tmp/results" "$tmp/hold.out" "$tmp/hold.err" "$WB_TEMP_REGISTRY"/run*.out \
    "$WB_TEMP_REGISTRY"/run*.err; then
    fail "a file of the runs (run.conf, run.log, results, code.diff, output) holds the password"
else
    pass "no file of the runs holds the password"
fi
check_contains "run.conf names the database without the password" \
    "$(cat "$tmp/results"/*/run.conf)" "db = mariadb://$USER@localhost/$SAFE?"

# --- 4. one writebench per database
exec 3<>"$events" 4<>"$release"
(
    "$WB_BIN" run --db "$url" --workload products --rows 10 --verify count --strategies none \
        --results "$tmp/first" --external hold="$WB_SOURCE_DIR/tests/external/fifo_hold.sh" "$events" "$release" \
        </dev/null >/dev/null 2>&1 &
    echo "pid $!" >&3
    wait $!
    echo "ended $?" >&3
) &
track_pid $!
rc="" first_pid=""
while [[ -z "$rc" ]] && read -r -t "$EVENT_BOUND_S" -u 3 kind value; do
    case $kind in
        pid) first_pid=$value; track_pid "$first_pid" ;;
        started)
            run_wb setup --db "$url" --workload products
            check_eq "a second writebench on the database: exit 2" 2 "$WB_RC"
            check_contains "a second writebench is refused, naming the first" "$(cat "$WB_ERR")" \
                "database \"$SAFE\" of mariadb://$USER@localhost/$SAFE"
            check_contains "the refusal names the first's pid" "$(cat "$WB_ERR")" "is in use by writebench run "
            check_contains "the refusal names the first's pid" "$(cat "$WB_ERR")" "(pid $first_pid on host "
            echo go >&4 ;;
        ended) rc=$value ;;
    esac
done
exec 3>&- 4>&-

# drop: writebench's tables go, the foreign databases stay
for workload in products users; do
    run_wb drop --db "$url" --workload "$workload"
    check_eq "drop $workload: exit 0" 0 "$WB_RC" || show_wb_output
done
check_eq "drop left the foreign databases as they were" "$initial" "$(fingerprint)"

finish
