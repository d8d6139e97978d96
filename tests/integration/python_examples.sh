# What the integration tests of the Python example strategies (examples/python)
# share: test_pg_python_examples.sh (PostgreSQL and SQLite) and
# test_mariadb_python_examples.sh (MariaDB). Sourced after lib.sh; the test sets
# EXAMPLES (the directory), ROWS, BATCH, THREADS and tmp before calling:
#   run_examples NAME DB WORKLOAD [EXAMPLE...]     writebench runs the examples
#   check_examples NAME BACKEND WORKLOAD [EXAMPLE...]  and this checks the results:
# every example and pass recorded once, verified (rows x tables) unless it must be
# skipped here with its reason ("needs PostgreSQL", "needs MariaDB"), an external
# python strategy with batch, threads and io (sync or async) as it declares, timed by
# its own report; the cached lookup's report counts its stale reads (none on the
# insert pass, some after the updates of the update pass).

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

# Every example, and which need PostgreSQL or MariaDB. Listed here, not read from the
# directory, so that a script that loses its executable bit (and so its place in the
# run) fails.
EXAMPLES = {
    "orm_add_all", "orm_bulk_save_objects", "orm_bulk_insert_mappings", "core_executemany",
    "psycopg_executemany", "psycopg2_execute_values", "psycopg_copy",
    "orm_query_then_add", "orm_merge", "orm_session_per_row", "orm_scoped_session_threads",
    "core_on_conflict", "raw_merge_values", "commit_queue_threads",
    "pymysql_executemany", "pymysql_multirow", "pymysql_upsert",
    "asyncpg_executemany", "asyncpg_copy", "async_orm_add_all", "async_core_insert", "async_core_upsert",
    "orm_bulk_update_mappings", "dogpile_cached_lookup",
}
POSTGRES_ONLY = {"psycopg_executemany", "psycopg2_execute_values", "psycopg_copy", "raw_merge_values",
                 "asyncpg_executemany", "asyncpg_copy"}
MARIADB_ONLY = {"pymysql_executemany", "pymysql_multirow", "pymysql_upsert"}
# SQLAlchemy's asyncio API over aiosqlite or asyncpg: Debian has no asyncio MySQL driver.
NOT_MARIADB = {"async_orm_add_all", "async_core_insert", "async_core_upsert"}
ASYNC = {"asyncpg_executemany", "asyncpg_copy", "async_orm_add_all", "async_core_insert", "async_core_upsert"}
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
    if backend != "postgresql" and r["strategy"] in POSTGRES_ONLY:
        return "needs PostgreSQL"
    if backend != "mariadb" and r["strategy"] in MARIADB_ONLY:
        return "needs MariaDB"
    if backend == "mariadb" and r["strategy"] in NOT_MARIADB:
        return "needs SQLite or PostgreSQL (asyncio through aiosqlite or asyncpg)"
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
    "pymysql_executemany": ("batch",), "pymysql_multirow": ("batch",), "pymysql_upsert": ("batch",),
    "asyncpg_executemany": ("batch", "threads"), "asyncpg_copy": (), "async_orm_add_all": (),
    "async_core_insert": ("batch",), "async_core_upsert": ("batch",), "orm_bulk_update_mappings": ("batch",),
    "dogpile_cached_lookup": ("batch",),
}
check(set(PARAMS) == set(EXAMPLES) | set(PARAMS), f"{name}: PARAMS lists every example")
def as_declared(r):
    honours = PARAMS.get(r["strategy"], ("batch", "threads"))
    return (r["batch"] == (batch if "batch" in honours else None)
            and r["threads"] == (threads if "threads" in honours else 1))
check_all("batch and threads as each example declares them (B or empty, T or 1)", as_declared)
check_all("io async for the asyncio examples (their io=async header), sync for the others",
          lambda r: r["io"] == ("async" if r["strategy"] in ASYNC else "sync"))

# The cached lookup reports its cache (dogpile.cache, no invalidation): 10,000 lookups on
# each pass, none stale on the insert pass (every row is version 1), and on the update
# pass stale hits of the rows its batches rewrote. Any other example reports no cache.
def cache_as_reported(r):
    if r["status"] != "ok":
        return True
    if r["strategy"] != "dogpile_cached_lookup":
        return r["cache_lookups"] is None and r["stale_reads"] is None
    if r["phase"] == "insert":
        return r["cache_lookups"] == 10000 and r["stale_reads"] == 0
    return r["cache_lookups"] == 10000 and 0 < r["stale_reads"] <= 10000
check_all("cache_lookups and stale_reads: the cached lookup's own counts, null for the others", cache_as_reported)

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

