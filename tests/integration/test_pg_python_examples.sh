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
# /usr/bin/python3 with python3-sqlalchemy, python3-psycopg2 and python3-psycopg
# (scripts/deps --test installs them); skips (77) naming what is missing.
# Works in a database of its own, dropped at the end.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON=/usr/bin/python3 # the examples' #! line: Debian's packages are for this one
[[ -x "$PYTHON" ]] || skip_test "$PYTHON is missing: the Python examples need Debian's python3 (scripts/deps --examples)"
for module in sqlalchemy:python3-sqlalchemy psycopg2:python3-psycopg2 psycopg:python3-psycopg; do
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

# The insert idioms (the rest are upserts).
INSERT_EXAMPLES=(orm_add_all orm_bulk_save_objects orm_bulk_insert_mappings core_executemany
    psycopg_executemany psycopg2_execute_values psycopg_copy)

# run_examples NAME DB WORKLOAD [EXAMPLE...]: writebench runs the examples named (all
# of examples/python by default), and nothing else, into $tmp/NAME. writebench's own
# options must come before --external-dir/--external: the rest is the programs'.
run_examples() {
    local name=$1 db=$2 workload=$3 programs=(--external-dir "$EXAMPLES") example
    shift 3
    if [[ $# -gt 0 ]]; then
        programs=()
        for example in "$@"; do programs+=(--external "$example=$EXAMPLES/$example.py"); done
    fi
    run_wb run --db "$db" --workload "$workload" --rows $ROWS --slow-rows $ROWS --batch $BATCH \
        --threads $THREADS --timeout 60 --results "$tmp/$name" --strategies none "${programs[@]}"
}

# check_examples NAME BACKEND WORKLOAD [EXAMPLE...]: the checks of one run_examples run
# (EXAMPLE...: the examples it ran, when not all).
check_examples() {
    local name=$1 backend=$2 workload=$3 run_dir
    shift 3
    check_eq "$name: exit status 0" 0 "$WB_RC" || show_wb_output
    run_dir=$(run_dir_in "$tmp/$name")
    if [[ -z "$run_dir" || ! -f "$run_dir/results.json" ]]; then
        fail "$name: no run directory with a results.json under $tmp/$name"
        return
    fi
    py_checks "$name" "$backend" "$workload" "$run_dir" "$ROWS" "$BATCH" "$THREADS" "$@" <<'PY'
name, backend, workload, run_dir = sys.argv[1:5]
rows, batch, threads = map(int, sys.argv[5:8])
chosen = set(sys.argv[8:])
ntables = {"users": 2, "products": 1}[workload]

# Every example, and which need PostgreSQL. Listed here, not read from the directory,
# so that a script that loses its executable bit (and so its place in the run) fails.
EXAMPLES = {
    "orm_add_all", "orm_bulk_save_objects", "orm_bulk_insert_mappings", "core_executemany",
    "psycopg_executemany", "psycopg2_execute_values", "psycopg_copy",
    "orm_query_then_add", "orm_merge", "orm_session_per_row", "orm_scoped_session_threads",
    "core_on_conflict", "raw_merge_values", "commit_queue_threads",
}
POSTGRES_ONLY = {"psycopg_executemany", "psycopg2_execute_values", "psycopg_copy", "raw_merge_values"}
check(chosen <= EXAMPLES, f"{name}: the examples run are known ({sorted(chosen - EXAMPLES)} are not)")
EXAMPLES = chosen or EXAMPLES

results = json.load(open(f"{run_dir}/results.json"))["results"]
_, csv_rows, _ = read_csv(f"{run_dir}/results.csv")
got = sorted((r["strategy"], r["phase"]) for r in results)
want = sorted((s, p) for s in EXAMPLES for p in ("insert", "update"))
check(got == want, f"{name}: one result per example and pass ({len(want)} expected, {len(got)} found; "
      f"missing {sorted(set(want) - set(got))}, unexpected {sorted(set(got) - set(want))})")
check(sorted((r["strategy"], r["phase"]) for r in csv_rows) == got,
      f"{name}: results.csv holds the same tests as results.json")

def expected_skip(r):
    """The reason an example must be skipped here, or None when it must verify."""
    if backend == "sqlite" and r["strategy"] in POSTGRES_ONLY:
        return "needs PostgreSQL"
    if r["strategy"] == "raw_merge_values" and int(r["server_version"].split(".")[0]) < 15:
        return "needs PostgreSQL 15 or later for MERGE"
    return None

for r in sorted(results, key=lambda r: (r["strategy"], r["phase"])):
    test = f"{name}: {r['strategy']}-{r['phase']}"
    reason = expected_skip(r)
    if reason is None:
        check(r["status"] == "ok" and r["success"] is True and r["error"] == ""
              and r["rows"] == rows and r["rows_verified"] == rows * ntables,
              f"{test} ok and verified: status {r['status']}, rows_verified {r['rows_verified']} "
              f"(want {rows * ntables}), error {r['error'][:300]!r}")
    else:
        check(r["status"] == "skipped" and r["error"] == f"skipped: {reason}",
              f"{test} skipped because it {reason}: status {r['status']}, error {r['error'][:300]!r}")

def check_all(what, ok):
    bad = [f"{r['strategy']}-{r['phase']}" for r in results if not ok(r)]
    check(not bad, f"{name}: {what}" + (f" (not so for {bad[:4]})" if bad else ""))

check_all("every result is an external python strategy",
          lambda r: r.get("origin") == "external" and r.get("language") == "python")
check_all(f"backend {backend}, workload {workload}", lambda r: r["backend"] == backend and r["workload"] == workload)
# What each example declares it honours (its `# writebench: params=` line): the batch
# column is --batch for those that honour it and empty for the others; threads is
# --threads or 1.
PARAMS = {
    "orm_add_all": (), "orm_bulk_save_objects": (), "orm_bulk_insert_mappings": (),
    "core_executemany": ("batch",), "psycopg_executemany": ("batch",),
    "psycopg2_execute_values": ("batch",), "psycopg_copy": (),
    "orm_query_then_add": ("batch",), "orm_merge": ("batch",), "orm_session_per_row": (),
    "orm_scoped_session_threads": ("batch", "threads"), "core_on_conflict": ("batch",),
    "raw_merge_values": ("batch",), "commit_queue_threads": ("batch", "threads"),
}
check(set(PARAMS) == set(EXAMPLES) | set(PARAMS), f"{name}: PARAMS lists every example")
def as_declared(r):
    honours = PARAMS.get(r["strategy"], ("batch", "threads"))
    return (r["batch"] == (batch if "batch" in honours else None)
            and r["threads"] == (threads if "threads" in honours else 1))
check_all("batch and threads as each example declares them (B or empty, T or 1)", as_declared)

# Every example reports its own timed region (wbexample.timed()): duration_s, and so
# rows/s, is the report's; process_s is the whole process, start-up included.
import glob
def timed_by_itself(r):
    if r["status"] == "skipped":
        return True
    dirs = glob.glob(f"{run_dir}/external/{r['strategy']}/{r['phase']}-r{r['repeat']}-n{r['rows']}-*")
    if len(dirs) != 1:
        return False
    try:
        reported = json.load(open(f"{dirs[0]}/writebench-report.json"))["duration_s"]
    except (OSError, ValueError, KeyError):
        return False
    d, p = r["duration_s"], r["process_s"]
    return (d == reported and p is not None and p >= d
            and abs(r["rows_per_s"] - rows * ntables / d) <= 1e-6 * r["rows_per_s"])
check_all("duration_s and rows/s from the script's own report, process_s >= duration_s", timed_by_itself)
check_all("measured: duration and peak RSS known for every test that ran",
          lambda r: r["status"] == "skipped" or (r["duration_s"] and r["duration_s"] > 0 and r["peak_rss_kb"] and r["peak_rss_kb"] > 0))
PY
}

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
