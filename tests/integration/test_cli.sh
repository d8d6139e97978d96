# Integration test of the command line (docs/ARCHITECTURE.md, "Safety",
# "Command line"; issue 2 items 1, 8, 9):
# help and version, the command table, every kind of bad input to `run`
# (exit 2, exactly one line on stderr naming the problem, NOTHING created),
# describe in its three formats, and setup / count / show / drop.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

unset WRITEBENCH_TEST_STRATEGIES PGPASSWORD
HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1

# ---- helpers -------------------------------------------------------------

# run_in CWD TMP ARGS...: like run_wb, but from directory CWD with TMPDIR=TMP, so
# the temporary directory a default --db would make is visible to the test only.
run_in() {
    local cwd=$1 tmp=$2
    shift 2
    next_wb_output
    (cd "$cwd" && TMPDIR="$tmp" "$WB_BIN" "$@" </dev/null >"$WB_OUT" 2>"$WB_ERR")
    WB_RC=$?
}

# expect_one_line_error WHAT KEYWORD...: the last command exited 2, printed
# nothing on stdout and exactly one line on stderr containing every KEYWORD.
expect_one_line_error() {
    local what=$1 err key
    shift
    err=$(cat "$WB_ERR")
    check_eq "$what: exit status 2" 2 "$WB_RC"
    check_eq "$what: exactly one line on stderr" 1 "$(wc -l <"$WB_ERR" | tr -d ' ')"
    check_eq "$what: nothing on stdout" "" "$(cat "$WB_OUT")"
    for key in "$@"; do
        check_contains "$what: the error names '$key'" "$err" "$key"
    done
}

# A fresh case directory with an empty working directory and an empty TMPDIR.
new_case() {
    CASE=$(make_temp_dir)
    mkdir "$CASE/cwd" "$CASE/tmp"
}

# expect_nothing_created WHAT: the case's working directory and TMPDIR are still empty.
expect_nothing_created() {
    check_eq "$1: nothing created in the working directory" "" "$(ls -A "$CASE/cwd")"
    check_eq "$1: nothing created in TMPDIR" "" "$(ls -A "$CASE/tmp")"
}

# bad_run WHAT 'KEYWORD|KEYWORD' ARGS...: `run ARGS --results cwd/results` is refused
# with one line naming the problem, and nothing is created.
bad_run() {
    local what=$1 keys=$2
    shift 2
    new_case
    run_in "$CASE/cwd" "$CASE/tmp" run --rows 10 "$@" --results "$CASE/cwd/results"
    local IFS='|'
    # shellcheck disable=SC2086
    expect_one_line_error "run $what" $keys
    expect_nothing_created "run $what"
}

# make_foreign_db PATH: a SQLite file with a table of its own, not made by writebench.
make_foreign_db() {
    python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE user_account (id INTEGER PRIMARY KEY, name TEXT)")
c.execute("INSERT INTO user_account VALUES (1, 'precious')")
c.commit()
c.close()
PY
}

# ---- help, version, the command table --------------------------------------

for args in "" "--help" "help" "-h"; do
    # shellcheck disable=SC2086
    run_wb $args
    check_eq "'writebench $args' exits 0" 0 "$WB_RC"
    check_contains "'writebench $args' prints the usage" "$(cat "$WB_OUT")" "usage: writebench <command>"
    for cmd in run describe setup count show drop aggregate correlate report compare profile; do
        check_contains "'writebench $args' lists $cmd" "$(cat "$WB_OUT")" "  $cmd "
    done
    check_eq "'writebench $args' prints nothing on stderr" "" "$(cat "$WB_ERR")"
done

run_wb --version
check_eq "--version exits 0" 0 "$WB_RC"
check "--version prints 'writebench <version> (commit <commit>)'" \
    grep -Eq '^writebench [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-z-]+\)$' "$WB_OUT"

for form in "help run" "run --help" "run --rows 5 --help" "run --rows abc --help"; do
    # shellcheck disable=SC2086
    run_wb $form
    check_eq "'$form' exits 0" 0 "$WB_RC"
    out=$(cat "$WB_OUT")
    check_contains "'$form' prints run's usage" "$out" "usage: writebench run"
    for opt in --db --workload --rows --strategies --batch --threads --repeat --timeout --results \
        --verify --slow-rows --pragma --external-dir --external-slow --external; do
        check_contains "'$form' documents $opt" "$out" "  $opt "
    done
    check "'$form' wraps at 78 columns" awk 'length > 78 { exit 1 }' "$WB_OUT"
done

for cmd in describe setup count show drop aggregate compare; do
    run_wb "$cmd" --help
    check_eq "'$cmd --help' exits 0" 0 "$WB_RC"
    check_contains "'$cmd --help' prints its usage" "$(cat "$WB_OUT")" "usage: writebench $cmd"
done
run_wb help show
check_contains "'help show' documents --limit" "$(cat "$WB_OUT")" "--limit N"

run_wb rnu
expect_one_line_error "unknown command 'rnu'" "'rnu'" "'run'"
run_wb describ
expect_one_line_error "unknown command 'describ'" "'describ'" "'describe'"
run_wb frobnicate
expect_one_line_error "unknown command 'frobnicate'" "'frobnicate'" "describe"
run_wb help frobnicate
expect_one_line_error "help for an unknown command" "'frobnicate'"
run_wb --frobnicate
expect_one_line_error "unknown option before the command" "--frobnicate"

# profile (issue 5) has its own tests (test_profile.sh); here only its help.
run_wb profile --help
check_eq "'profile --help' exits 0" 0 "$WB_RC"
check_contains "'profile --help' prints its usage" "$(cat "$WB_OUT")" "usage: writebench profile"

# ---- run: every bad input is one line, exit 2, and creates nothing ------------

bad_run "unknown strategy" "prepard|prepared" --strategies prepard
bad_run "unknown strategy among good ones" "on-conflikt|on-conflict" --strategies prepared,on-conflikt
bad_run "empty strategy list" "--strategies" --strategies ,
bad_run "--rows 0" "--rows|0" --rows 0
bad_run "--rows -5" "--rows|-5" --rows -5
bad_run "--rows abc" "--rows must be a whole number|abc" --rows abc
bad_run "--rows=10k" "--rows|10k" --rows=10k
bad_run "--rows without a value" "--rows needs a value" --rows
bad_run "--batch 0" "--batch|0" --batch 0
bad_run "--threads 0" "--threads|0" --threads 0
bad_run "--threads 65" "--threads|65" --threads 65
bad_run "--repeat x" "--repeat|'x'" --repeat x
bad_run "--timeout 0" "--timeout" --timeout 0
bad_run "--timeout 1m" "--timeout|1m" --timeout 1m
bad_run "--slow-rows 0" "--slow-rows" --slow-rows 0
bad_run "--verify maybe" "--verify|maybe|values|count" --verify maybe
bad_run "--workload nope" "nope|users|products" --workload nope
bad_run "unknown option" "--rowz|did you mean --rows" --rowz 5
bad_run "stray argument" "unexpected argument 'extra'" extra
bad_run "--db oracle://x" "--db|oracle://x" --db oracle://x
bad_run "--db sqlite::memory:" "memory" --db sqlite::memory:
bad_run "--db=" "--db" --db=
bad_run "--pragma 'x;drop'" "--pragma|x;drop" --pragma 'x;drop'
bad_run "--pragma without =" "--pragma|name=value" --pragma synchronous
# A well-formed but unknown name is only caught by SQLite, once the default database
# exists: the run must remove that fresh database again.
bad_run "--pragma with a mistyped name" "synchronus" --pragma synchronus=OFF
bad_run "--pragma with a PostgreSQL --db" "--pragma" --db postgresql://u@h/db --pragma synchronous=OFF
bad_run "--external without NAME=" "--external ./prog|NAME=PROGRAM" --external ./prog arg
bad_run "--external-slow naming no program" "--external-slow nope" --external-slow nope --external-dir "$WB_SOURCE_DIR/examples/python"

# An unreachable server: one line naming the target (without its password), exit 2.
bad_run "an unreachable PostgreSQL --db" "cannot connect|postgresql://u@h/db" --db postgresql://u:secret@h/db
check "a PostgreSQL --db: the password appears nowhere in the output" \
    bash -c '! grep -q secret "$1" "$2"' _ "$WB_OUT" "$WB_ERR"
bad_run "an unreachable PostgreSQL conninfo --db" "cannot connect" --db "host=h dbname=d password=secret"
check "a conninfo --db: the password appears nowhere in the output" \
    bash -c '! grep -q secret "$1" "$2"' _ "$WB_OUT" "$WB_ERR"

# A results directory under a regular file cannot be created.
new_case
touch "$CASE/cwd/file"
run_in "$CASE/cwd" "$CASE/tmp" run --rows 10 --results "$CASE/cwd/file/results"
expect_one_line_error "run --results under a regular file" "file/results"
check_eq "run --results under a regular file: nothing created in the working directory" \
    "file" "$(ls -A "$CASE/cwd")"
check_eq "run --results under a regular file: nothing created in TMPDIR" "" "$(ls -A "$CASE/tmp")"

# Two mistakes at once: still one line.
new_case
run_in "$CASE/cwd" "$CASE/tmp" run --rows 0 --strategies nope --results "$CASE/cwd/results"
check_eq "two mistakes: exit status 2" 2 "$WB_RC"
check_eq "two mistakes: one line on stderr" 1 "$(wc -l <"$WB_ERR" | tr -d ' ')"
expect_nothing_created "two mistakes"

# A database file writebench did not create is refused, unchanged.
if [[ $HAVE_PY == 1 ]]; then
    new_case
    make_foreign_db "$CASE/foreign.db"
    sum_before=$(sha256sum <"$CASE/foreign.db")
    run_in "$CASE/cwd" "$CASE/tmp" run --rows 10 --strategies prepared \
        --db "sqlite://$CASE/foreign.db" --results "$CASE/cwd/results"
    expect_one_line_error "run on a file writebench did not create" "foreign.db"
    # The results directory is the one thing run may create before it connects
    # (it is checked before the database); it must stay empty.
    check_eq "run on a file writebench did not create: no run directory" "" "$(ls -A "$CASE/cwd/results" 2>/dev/null)"
    rmdir "$CASE/cwd/results" 2>/dev/null
    expect_nothing_created "run on a file writebench did not create"
    check_eq "run on a file writebench did not create: the file is unchanged" \
        "$sum_before" "$(sha256sum <"$CASE/foreign.db")"
    check_eq "run on a file writebench did not create: no -wal or -shm file left" \
        "cwd foreign.db tmp " "$(ls -A "$CASE" | sort | tr '\n' ' ')"
else
    echo "skipped: the foreign-file checks need python3's sqlite3 module"
fi

# ---- describe ------------------------------------------------------------

run_wb describe
check_eq "describe exits 0" 0 "$WB_RC"
out=$(cat "$WB_OUT")
for name in server-generate single-autocommit prepared values-multirow on-conflict commit-queue; do
    check_contains "describe lists $name" "$out" "$name"
done
check_contains "describe gives the idiom" "$out" "Idiom: cursor.executemany"
check_contains "describe lists the workloads" "$out" "WORKLOADS"
check_contains "describe lists the users workload's tables" "$out" "user_account (id"
check_contains "describe lists the products workload" "$out" "products"
check "describe (text) wraps at 78 columns" awk 'length > 78 { exit 1 }' "$WB_OUT"
check "describe hides the test-only strategies" bash -c '! grep -q test-drop-row "$1"' _ "$WB_OUT"

run_wb describe --format markdown
check_eq "describe --format markdown exits 0" 0 "$WB_RC"
check "describe --format markdown has the strategy table's header" \
    grep -q '^| name | family | passes | backends | --batch | --threads | slow | description | idiom |$' "$WB_OUT"
check "describe --format markdown: every strategy row has 9 cells" \
    awk -F' \\| ' '/^## Workloads/ { w = 1 } !w && /^\| `/ { if (NF != 9) exit 1 }' "$WB_OUT"
check "describe --format markdown: every workload row has 3 cells" \
    awk -F' \\| ' '/^## Workloads/ { w = 1 } w && /^\| `/ { n++; if (NF != 3) exit 1 } END { exit n < 2 }' "$WB_OUT"
check_contains "describe --format markdown has a row for prepared" "$(cat "$WB_OUT")" '| `prepared` | insert |'

run_wb describe --format=json
check_eq "describe --format json exits 0" 0 "$WB_RC"
if [[ $HAVE_PY == 1 ]]; then
    check "describe --format json parses (python3 -m json.tool)" python3 -m json.tool "$WB_OUT" /dev/null
    py_checks "$WB_OUT" <<'PY'
doc = json.load(open(sys.argv[1], encoding="utf-8"))
strategies = doc.get("strategies", [])
names = [s.get("name") for s in strategies]
check(len(names) >= 14, f"json: at least the 14 SQLite strategies ({len(names)})")
check(len(set(names)) == len(names), "json: strategy names are unique")
keys = {"name", "family", "passes", "backends", "batch", "threads", "slow", "description", "idiom"}
check(all(keys <= set(s) for s in strategies), "json: every strategy has " + ", ".join(sorted(keys)))
check(all(set(s["passes"]) <= {"insert", "update"} and s["passes"] for s in strategies),
      "json: passes are insert and/or update")
check(all(s["backends"] and set(s["backends"]) <= {"sqlite", "postgresql", "mariadb"} for s in strategies),
      "json: every strategy names its backends (sqlite, postgresql and/or mariadb)")
check(all("sqlite" in s["backends"] for s in strategies if s["name"] in
      ("prepared", "values-multirow", "on-conflict", "replace", "commit-queue")), "json: the SQLite strategies name sqlite")
by_name = {s["name"]: s for s in strategies}
check(by_name.get("single-autocommit", {}).get("slow") is True, "json: single-autocommit is slow")
check(by_name.get("prepared", {}).get("batch") is False, "json: prepared does not honour --batch")
check(by_name.get("bulk-update", {}).get("passes") == ["update"], "json: bulk-update only updates")
check(not any(n.startswith("test-") for n in names), "json: no test-only strategy")
workloads = {w.get("name"): w for w in doc.get("workloads", [])}
check(set(workloads) >= {"users", "products"}, f"json: workloads users and products ({sorted(workloads)})")
users = [t["name"] for t in workloads.get("users", {}).get("tables", [])]
check(users == ["user_account", "address"], f"json: users has user_account then address ({users})")
PY
else
    echo "skipped: parsing describe's JSON needs python3"
fi

WRITEBENCH_TEST_STRATEGIES=1 run_wb describe --format json
check_contains "describe shows the test-only strategies when asked to" "$(cat "$WB_OUT")" '"test-drop-row"'

run_wb describe --format yaml
expect_one_line_error "describe --format yaml" "--format" "yaml"

# ---- setup / count / show / drop ---------------------------------------------

for cmd in count show drop; do
    new_case
    run_in "$CASE/cwd" "$CASE/tmp" "$cmd"
    expect_one_line_error "$cmd without --db" "--db is required"
    expect_nothing_created "$cmd without --db"
done

new_case
run_in "$CASE/cwd" "$CASE/tmp" count --db "sqlite://$CASE/missing.db"
expect_one_line_error "count on a missing file" "missing.db"
check "count on a missing file does not create it" test ! -e "$CASE/missing.db"

DB_DIR=$(make_temp_dir)
DB="$DB_DIR/w.db"
run_wb setup --db "sqlite://$DB"
check_eq "setup exits 0" 0 "$WB_RC"
check "setup creates the database file" test -s "$DB"
check_contains "setup names the database" "$(cat "$WB_OUT")" "$DB"
check_contains "setup names the tables" "$(cat "$WB_OUT")" "user_account, address"
run_wb setup --db "sqlite://$DB"
check_eq "setup again on writebench's own file exits 0" 0 "$WB_RC"

run_wb count --db "sqlite://$DB"
check_eq "count exits 0" 0 "$WB_RC"
check "count prints 0 rows for user_account" grep -Eq '^user_account +0$' "$WB_OUT"
check "count prints 0 rows for address" grep -Eq '^address +0$' "$WB_OUT"

run_wb show --db "sqlite://$DB"
check_eq "show on empty tables exits 0" 0 "$WB_RC"
check_contains "show says user_account is empty" "$(cat "$WB_OUT")" "user_account: 0 rows"

run_wb show --db "sqlite://$DB" --limit 0
expect_one_line_error "show --limit 0" "--limit"
run_wb count --db "sqlite://$DB" --workload nope
expect_one_line_error "count --workload nope" "nope"

run_wb drop --db "sqlite://$DB"
check_eq "drop exits 0" 0 "$WB_RC"
check_contains "drop says what it dropped" "$(cat "$WB_OUT")" "dropped address (0 rows), user_account (0 rows)"
run_wb count --db "sqlite://$DB"
check_eq "count after drop fails (the tables are gone)" 2 "$WB_RC"
check_eq "count after drop: one line" 1 "$(wc -l <"$WB_ERR" | tr -d ' ')"
run_wb drop --db "sqlite://$DB"
check_eq "drop again exits 0" 0 "$WB_RC"
check_contains "drop again says there is nothing to drop" "$(cat "$WB_OUT")" "nothing to drop"

run_wb setup --db "sqlite://$DB" --workload products
check_eq "setup --workload products exits 0" 0 "$WB_RC"
run_wb count --db "sqlite://$DB" --workload products
check "count --workload products prints 0 rows for products" grep -Eq '^products +0$' "$WB_OUT"
run_wb drop --db "sqlite://$DB" --workload products
check_contains "drop --workload products drops products" "$(cat "$WB_OUT")" "dropped products (0 rows)"

# setup without --db makes a new file in a fresh temporary directory and says where.
new_case
run_in "$CASE/cwd" "$CASE/tmp" setup
check_eq "setup without --db exits 0" 0 "$WB_RC"
made=$(sed -n 's/^database file: //p' "$WB_OUT")
check "setup without --db prints the file it made" test -n "$made"
check "setup without --db made it under TMPDIR" test -s "$CASE/tmp/${made#"$CASE/tmp/"}"

# After a small run, count and show see what it wrote, every value on one line.
RUN_DIR=$(make_temp_dir)
RUN_DB="$RUN_DIR/run.db"
# (server-generate: the one strategy that needs no client code, so this checks the CLI.)
run_wb run --db "sqlite://$RUN_DB" --rows 20 --strategies server-generate --results "$RUN_DIR/results"
check_eq "a small run exits 0" 0 "$WB_RC"
[[ $WB_RC == 0 ]] || show_wb_output
run_wb count --db "sqlite://$RUN_DB"
check "count after the run: 20 rows in user_account" grep -Eq '^user_account +20$' "$WB_OUT"
check "count after the run: 20 rows in address" grep -Eq '^address +20$' "$WB_OUT"
run_wb show --db "sqlite://$RUN_DB" --limit 20
check_eq "show after the run exits 0" 0 "$WB_RC"
# 2 tables x (title + header + 20 rows) + 1 blank line: a raw newline in a value would add lines.
check_eq "show prints one line per row (newlines in values are escaped)" 45 "$(wc -l <"$WB_OUT" | tr -d ' ')"
check "show prints no raw tab or carriage return" bash -c '! grep -q $'"'"'[\t\r]'"'"' "$1"' _ "$WB_OUT"
check_contains "show quotes text values" "$(cat "$WB_OUT")" "  1  'user1"
check "show makes the hostile values' control characters visible (\\t, \\n or \\r)" \
    grep -Eq "'[^']*\\\\[tnr]" "$WB_OUT"
run_wb show --db "sqlite://$RUN_DB" --limit 3
check_contains "show --limit 3 says there are more rows" "$(cat "$WB_OUT")" "user_account: 20 rows, the first ones by key:"
check_eq "show --limit 3 prints 3 rows per table" 11 "$(wc -l <"$WB_OUT" | tr -d ' ')"

# Never touch a file writebench did not create.
if [[ $HAVE_PY == 1 ]]; then
    for cmd in setup count show drop; do
        new_case
        make_foreign_db "$CASE/foreign.db"
        sum_before=$(sha256sum <"$CASE/foreign.db")
        run_in "$CASE/cwd" "$CASE/tmp" "$cmd" --db "sqlite://$CASE/foreign.db"
        expect_one_line_error "$cmd on a file writebench did not create" "foreign.db"
        check_eq "$cmd on a file writebench did not create: the file is unchanged" \
            "$sum_before" "$(sha256sum <"$CASE/foreign.db")"
    done
else
    echo "skipped: the foreign-file checks need python3's sqlite3 module"
fi

finish
