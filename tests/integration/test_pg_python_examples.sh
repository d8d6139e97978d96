# Integration test of the Python example strategies (examples/python, issue 6) run by
# writebench as external programs:
#  1. on the throwaway PostgreSQL, --threads 2: every example's insert and update
#     pass on users is ok and verified (rows_verified = rows x tables), recorded as an
#     external python strategy; the same for the insert idioms on products (unique
#     index, numeric price; the upserts are left out there to keep the test short);
#  2. on SQLite, users: the examples that support SQLite verify the same way, and the
#     PostgreSQL-only ones are skipped with the reason "needs PostgreSQL";
#  3. the negative test: tests/external/string_format.py, which formats values into
#     its SQL, runs to the end without an error and is caught by verification on the
#     hostile rows (a NULL written as 'None'), and the run exits 1.
#  4. examples/python/README.md has a row for every example.
# Every example declares its params (batch and threads columns as declared) and reports
# its timed region (duration_s from its report, process_s the whole process).
#
# Needs the PostgreSQL fixture (WB_PG_CONNINFO_FILE, set by CTest) and Debian's
# /usr/bin/python3 with python3-sqlalchemy, python3-psycopg2, python3-psycopg,
# python3-asyncpg, python3-aiosqlite and python3-dogpile.cache (scripts/deps --test
# installs them); skips (77) naming what is missing.
# Works in a database of its own, dropped at the end.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/python_examples.sh
source "$(dirname "${BASH_SOURCE[0]}")/python_examples.sh"

PYTHON=/usr/bin/python3 # the examples' #! line: Debian's packages are for this one
[[ -x "$PYTHON" ]] || skip_test "$PYTHON is missing: the Python examples need Debian's python3 (scripts/deps --examples)"
for module in sqlalchemy:python3-sqlalchemy psycopg2:python3-psycopg2 psycopg:python3-psycopg \
    asyncpg:python3-asyncpg aiosqlite:python3-aiosqlite dogpile.cache:python3-dogpile.cache; do
    "$PYTHON" -c "import ${module%%:*}" 2>/dev/null ||
        skip_test "the Python package ${module%%:*} is missing for $PYTHON (Debian: ${module#*:}; scripts/deps --examples)"
done

pg_fixture psql

EXAMPLES="$WB_SOURCE_DIR/examples/python"
NEGATIVE="$WB_SOURCE_DIR/tests/external/string_format.py"
DB="wbt_pyex_$$"
TARGET="$BASE dbname=$DB" # a later keyword wins in a conninfo string
ROWS=200                  # >= 80: every hostile kind in every column
BATCH=64                  # several batches and commits per table
THREADS=2

admin_sql() { PGOPTIONS="-c client_min_messages=warning" psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
drop_db() { admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null; }
trap 'drop_db; wb_cleanup' EXIT

drop_db
admin_sql -c "CREATE DATABASE $DB" || { fail "cannot create database $DB"; finish; }
tmp=$(make_temp_dir)

# The insert idioms (the rest are upserts), and the cached lookup (a numeric price in
# the rows it checks and caches).
INSERT_EXAMPLES=(orm_add_all orm_bulk_save_objects orm_bulk_insert_mappings core_executemany
    psycopg_executemany psycopg2_execute_values psycopg_copy asyncpg_executemany asyncpg_copy async_orm_add_all
    async_core_insert orm_bulk_update_mappings dogpile_cached_lookup)

start_s=$SECONDS

# --- 1. PostgreSQL: every example on users, the insert idioms on products
run_examples pg-users "$TARGET" users
check_examples pg-users postgresql users
run_examples pg-products "$TARGET" products "${INSERT_EXAMPLES[@]}"
check_examples pg-products postgresql products "${INSERT_EXAMPLES[@]}"

# --- 2. SQLite (writebench creates the file)
run_examples sqlite-users "sqlite://$tmp/examples.db" users
check_examples sqlite-users sqlite users

# --- 3. the negative test: values formatted into the SQL are caught on the hostile rows
run_wb run --db "$TARGET" --workload users --rows $ROWS --timeout 60 --results "$tmp/negative" \
    --strategies none --external string_format="$NEGATIVE"
check_eq "string_format: the run exits 1 (a test failed)" 1 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/negative")
if [[ -n "$run_dir" && -f "$run_dir/results.json" ]]; then
    py_checks "$run_dir/results.json" "$ROWS" <<'PY'
results = {r["phase"]: r for r in json.load(open(sys.argv[1]))["results"]}
rows = int(sys.argv[2])
check(sorted(results) == ["insert", "update"], f"string_format: an insert and an update result ({sorted(results)})")
# The NULL fullnames of docs/WORKLOADS.md: version 1 at keys 57 and 137, version 2 at
# 47 and 127 (hostile kind 0 of fullname). The script exits 0 on both passes, so the
# error must be verification's, naming the first of them.
first_null = {"insert": 57, "update": 47}
for phase, key in first_null.items():
    r = results.get(phase)
    if r is None:
        continue
    want = (f"user_account: 2 of {rows} rows wrong (first: key {key}, "
            "fullname is 'None' but should be NULL)")
    check(r["status"] == "failed" and r["success"] is False and "verification failed" in r["error"]
          and want in r["error"],
          f"string_format-{phase}: fails verification on the hostile rows with {want!r} "
          f"(status {r['status']}, error {r['error'][:300]!r})")
    check(r["rows_verified"] == 2 * rows - 2,
          f"string_format-{phase}: all but the 2 NULL rows verified ({r['rows_verified']} of {2 * rows})")
PY
else
    fail "string_format: no run directory with a results.json under $tmp/negative"
fi

echo "(the four runs took $((SECONDS - start_s)) s)"

# --- 4. examples/python/README.md has a row for every example
for script in "$EXAMPLES"/*; do
    [[ -f "$script" && -x "$script" ]] || continue
    name=$(basename "${script%.*}")
    check "README.md of examples/python has a row for $name" grep -q "^| $name |" "$EXAMPLES/README.md"
done
finish
