# Integration test of external strategies on PostgreSQL (issue 6; docs/EXTERNAL.md):
#  1. a shell program that runs `psql` with NO connection arguments and unqualified
#     table names (tests/external/pg_psql.sh) writes both workloads, both passes, and
#     verifies: the PG* variables lead it to the server and PGOPTIONS's search_path to
#     writebench's schema; the Python example (tests/external/minimal_python.py, psycopg2
#     connecting with no arguments) verifies too;
#  2. the environment it sees: WRITEBENCH_SCHEMA, PGOPTIONS (after the inherited one),
#     PGAPPNAME, the PG* parts of the connection, a WRITEBENCH_DATABASE_URL that libpq
#     accepts and that decodes to the same parts, the password included, and
#     WRITEBENCH_REPORT; a program that does not report has process_s = duration_s;
#  3. the password reaches the program's environment only: no file of the run, and
#     nothing writebench prints, holds it;
#  4. the server process serving the program is measured: a program whose backend sorts
#     about 100 MB in memory (tests/external/pg_backend_memory.sh) gets a
#     server_peak_rss_kb far above an idle backend's.
# The fixture trusts local connections, so the server does not check the password: the
# test checks where the password goes, not that the server accepts it (said in its output).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

EXT="$WB_SOURCE_DIR/tests/external"
SCHEMA="wbext_$$"
# Characters a URI must percent-encode, and a space; no quote or backslash, so that the
# conninfo below needs no escaping.
SECRET="Wb ext/pw:@%&=?#-$$"
ROWS=150
INHERITED_PGOPTIONS="-c work_mem=5MB"

# A database of its own: commit counts are per database, and other tests of the suite
# write into the fixture's default one at the same time.
DB="wbt_ext_$$"
FIXTURE_BASE=$BASE
psql "$FIXTURE_BASE" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
psql "$FIXTURE_BASE" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null || { fail "cannot create database $DB"; finish; }
BASE="$FIXTURE_BASE dbname=$DB" # a later keyword wins in a conninfo string
admin_sql() { psql "$BASE" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_db() { psql "$FIXTURE_BASE" -X -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1; }
trap 'drop_db; wb_cleanup' EXIT

tmp=$(make_temp_dir)
if ! /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; then
    fail "/usr/bin/python3 cannot import psycopg2: install python3-psycopg2 (scripts/deps --test)"
fi
echo "note - the fixture trusts local connections: the password given below is passed on but never checked by the server"

# --- 1. both workloads: the psql program and the Python example verify
for workload in users products; do
    mkdir -p "$tmp/env-$workload"
    PGOPTIONS="$INHERITED_PGOPTIONS" run_wb run --db "$BASE password='$SECRET'" --schema "$SCHEMA" \
        --workload "$workload" --rows $ROWS --strategies none --results "$tmp/results-$workload" \
        --external psql="$EXT/pg_psql.sh" "$tmp/env-$workload" \
        --external py="$EXT/minimal_python.py"
    check_eq "$workload: exit 0" 0 "$WB_RC" || show_wb_output
    run_dir=$(run_dir_in "$tmp/results-$workload")
    if [[ -z "$run_dir" || ! -f "$run_dir/results.json" ]]; then
        fail "$workload: no run directory with a results.json under $tmp/results-$workload"
        continue
    fi
    py_checks "$run_dir/results.json" "$workload" $ROWS <<'PY'
workload, rows = sys.argv[2], int(sys.argv[3])
tables = 2 if workload == "users" else 1
by_test = {r["test"]: r for r in json.load(open(sys.argv[1], encoding="utf-8"))["results"]}
check(sorted(by_test) == ["psql-insert", "psql-update", "py-insert", "py-update"],
      f"{workload}: two programs, two passes each: {sorted(by_test)}")
for name, language in (("psql", "shell"), ("py", "python")):
    for phase in ("insert", "update"):
        r = by_test.get(f"{name}-{phase}")
        if not r:
            continue
        check(r["status"] == "ok" and r["rows_verified"] == rows * tables and r["backend"] == "postgresql",
              f"{workload}: {name}-{phase} verified {rows * tables} rows on postgresql "
              f"({r['status']}, {r['rows_verified']}, {r['error'][:300]!r})")
        check(r["origin"] == "external" and r["language"] == language,
              f"{workload}: {name}-{phase} is external, language {language} ({r['origin']!r}, {r['language']!r})")
        check((r["wal_bytes"] or 0) > 0 and r["commits"] is not None and r["commits"] >= 1,
              f"{workload}: {name}-{phase}: the server's WAL bytes and commits are measured "
              f"(wal_bytes {r['wal_bytes']}, commits {r['commits']})")
        # Neither program reports a timed region: duration_s is the whole process time.
        check(r["process_s"] is not None and r["process_s"] == r["duration_s"],
              f"{workload}: {name}-{phase}: no report, process_s {r['process_s']} = duration_s {r['duration_s']}")
PY
    check_eq "$workload: the password is in no file of the run, nor in writebench's output" "" \
        "$(grep -rlF -e "$SECRET" -e "Wb%20ext" "$run_dir" "$WB_OUT" "$WB_ERR")"
done
# Without the search_path, unqualified names would resolve to "$user" or public.
check_eq "the programs' tables are in $SCHEMA, none in public or the user's schema" "3 0" \
    "$(admin_sql -c "SELECT count(*) FILTER (WHERE schemaname = '$SCHEMA'),
                            count(*) FILTER (WHERE schemaname IN ('public', current_user))
                     FROM pg_tables WHERE tablename IN ('user_account', 'address', 'products')" | tr '|' ' ')"

# --- 2. the environment the psql program saw (written outside the run directory)
env_file="$tmp/env-users/insert.env"
if check "the psql program dumped its environment" test -f "$env_file"; then
    conninfo_values=$(psql "$BASE" -X -At -c "SELECT current_setting('port')" 2>&1)
    py_checks "$env_file" "$BASE" "$SCHEMA" "$SECRET" "$INHERITED_PGOPTIONS" "$conninfo_values" <<'PY'
import os, re, subprocess, urllib.parse
env_path, base, schema, secret, inherited, port = sys.argv[1:7]
env = {}
for line in open(env_path, encoding="utf-8"):
    name, sep, value = line.rstrip("\n").partition("=")
    if sep:
        env[name] = value
# The fixture's conninfo: key='value' or key=value words.
parts = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
         for m in re.finditer(r"(\w+)=(?:'([^']*)'|(\S+))", base)}
parts["password"] = secret

for name, value in (("WRITEBENCH_BACKEND", "postgresql"), ("WRITEBENCH_SCHEMA", schema),
                    ("WRITEBENCH_PROTOCOL", "1"), ("WRITEBENCH_STRATEGY", "psql"),
                    ("WRITEBENCH_WORKLOAD", "users"), ("WRITEBENCH_TABLES", "user_account,address"),
                    ("WRITEBENCH_PHASE", "insert"), ("WRITEBENCH_DATA_VERSION", "1"),
                    ("PGHOST", parts.get("host")), ("PGPORT", parts.get("port")),
                    ("PGUSER", parts.get("user")), ("PGDATABASE", parts.get("dbname")),
                    ("PGPASSWORD", secret)):
    check(env.get(name) == value, f"{name}={value!r} (got {env.get(name)!r})")
check(env.get("PGOPTIONS") == f'{inherited} -c search_path="{schema}"',
      f"PGOPTIONS is the inherited options, then the search_path (got {env.get('PGOPTIONS')!r})")
check(env.get("PGAPPNAME", "").startswith("writebench-external"),
      f"PGAPPNAME names writebench-external (got {env.get('PGAPPNAME')!r})")
check("WRITEBENCH_SQLITE_PATH" not in env, "no WRITEBENCH_SQLITE_PATH on PostgreSQL")
out_dir = env.get("WRITEBENCH_OUTPUT_DIR", "")
check(out_dir and env.get("WRITEBENCH_REPORT") == out_dir + "/writebench-report.json",
      f"WRITEBENCH_REPORT is writebench-report.json in the output directory (got {env.get('WRITEBENCH_REPORT')!r})")

url = env.get("WRITEBENCH_DATABASE_URL", "")
u = urllib.parse.urlsplit(url)
query = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
check(u.scheme == "postgresql" and urllib.parse.unquote(u.path) == "/" + parts.get("dbname", ""),
      f"WRITEBENCH_DATABASE_URL is postgresql:///DBNAME?... ({url.replace(urllib.parse.quote(secret, safe=''), '<password>')!r})")
for key in ("host", "port", "user", "password"):
    check(query.get(key) == parts.get(key),
          f"WRITEBENCH_DATABASE_URL's {key} decodes to the connection's" + ("" if key == "password" else f" ({parts.get(key)!r})"))
# libpq accepts it as it is (the password is not checked by this server: trust).
# PGOPTIONS is dropped so that only the URL decides where psql goes.
clean = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
out = subprocess.run(["psql", url, "-X", "-At", "-c", "SELECT current_database() || ' ' || current_setting('port')"],
                     capture_output=True, text=True, env=clean)
check(out.returncode == 0 and out.stdout.strip() == f"{parts.get('dbname')} {port}",
      f"psql connects with WRITEBENCH_DATABASE_URL alone: {out.stdout.strip()!r} {out.stderr.strip()[:200]!r}")
PY
fi

# --- 4. the program's server process: its peak memory is sampled while it runs
run_wb run --db "$BASE" --schema "$SCHEMA" --rows 10 --strategies none --verify count \
    --results "$tmp/results-memory" --external sorter="$EXT/pg_backend_memory.sh"
run_dir=$(run_dir_in "$tmp/results-memory")
py_checks "$run_dir/results.json" <<'PY'
r = {x["test"]: x for x in json.load(open(sys.argv[1], encoding="utf-8"))["results"]}.get("sorter-insert", {})
kb = r.get("server_peak_rss_kb") or 0
check(kb > 60000, f"the backend's in-memory sort is seen: server_peak_rss_kb {kb} > 60000")
check(r.get("peak_rss_kb", 0) < 60000, f"and the client's own figure is psql's: {r.get('peak_rss_kb')} < 60000")
PY

finish
