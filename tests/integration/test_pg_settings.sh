# Integration test of session settings as a scan axis on PostgreSQL (issue 13, item 3):
#  1. `--set synchronous_commit=on,off` runs each strategy twice, once under each value
#     (SET on each of the strategy's connections, echoed under --echo), each result
#     labelled in the settings column; the closing rankings, aggregate and the report's
#     settings chart keep the two apart; commits count as without --set;
#  2. a setting the role may not change (commit_delay needs superuser, or a grant) is
#     refused before the run with the server's reason: exit 2, one line, nothing written,
#     for a non-superuser role this test creates;
#  3. bad --set values are one line and exit 2 before anything is written.
# Needs the PostgreSQL fixture; works in databases of its own.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

DB="wbt_set_$$"
PLAIN_DB="wbt_set_plain_$$"
ROLE="wbt_plain_$$"
export PGOPTIONS="-c client_min_messages=warning"
admin_sql() { psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
cleanup_db() {
    admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $PLAIN_DB WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS $ROLE" 2>/dev/null
}
trap 'cleanup_db; wb_cleanup' EXIT
cleanup_db
admin_sql -c "CREATE DATABASE $DB" -c "CREATE ROLE $ROLE LOGIN NOSUPERUSER" -c "CREATE DATABASE $PLAIN_DB OWNER $ROLE" ||
    { fail "cannot create the test's databases and role"; finish; }
tmp=$(make_temp_dir)

# --- 1. two values, each strategy twice, grouped apart
run_wb run --db "$BASE dbname=$DB" --rows 30 --strategies single-tx,copy-binary,on-conflict-batch \
    --set synchronous_commit=on,off --results "$tmp/scan" --echo
check_eq "--set synchronous_commit=on,off: exit status 0" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/scan")
check_contains "each of the strategy's connections gets SET (--echo)" "$(cat "$WB_ERR")" "SET synchronous_commit TO E'off'"
check_contains "  ... and the other value" "$(cat "$WB_ERR")" "SET synchronous_commit TO E'on'"
check_contains "the closing rankings are apart" "$(cat "$WB_OUT")" "insert pass, 30 rows, batch 1,000, 1 thread, synchronous_commit=off, verified"
check_contains "run.conf records the list" "$(cat "$run_dir/run.conf")" "set.synchronous_commit = on,off"
py_checks "$run_dir/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
tests = sorted((r["test"], r["settings"]) for r in rows)
expect = sorted((t, f"synchronous_commit={v}") for t in ("single-tx-insert", "copy-binary-insert",
         "on-conflict-batch-insert", "on-conflict-batch-update") for v in ("on", "off"))
check(tests == expect, f"each strategy pass ran once under each value ({tests})")
check(all(r["success"] == "1" for r in rows), "every test verified")
# One commit each: the SET each connection runs is writebench's own, calibrated out. A
# miscalibration would shift every test alike; autovacuum working in the database during
# a test (it vacuums the catalogues these resets churn) only adds to one now and then.
commits = [int(r["commits"]) for r in rows if r["commits"].isdigit()]
check(len(commits) == len(rows) and min(commits) == 1 and sum(c == 1 for c in commits) >= len(rows) - 2,
      f"one commit each, the SET not counted ({[r['commits'] for r in rows]})")
PY
run_wb aggregate "$run_dir" --format csv
py_checks "$WB_OUT" <<'PY'
header, groups, _ = read_csv(sys.argv[1])
check(header[30] == "settings" and header[-4:] == ["median_batch_p50_ms", "median_batch_p95_ms", "median_batch_p99_ms",
                                                "max_batch_max_ms"],
      "aggregate: settings, then the batch latency columns at the end")
pairs = sorted((g["test"], g["settings"]) for g in groups)
check(len(pairs) == 8 and len(set(pairs)) == 8, f"aggregate keeps the two values apart: 8 groups ({pairs})")
check(all(g["runs"] == "1" for g in groups), "one run each: nothing pooled across values")
PY
run_wb report "$run_dir" --out "$tmp/report.html"
check_eq "report: exit status 0" 0 "$WB_RC" || show_wb_output
py_checks "$tmp/report.html" <<'PY'
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
charts = [f for f in root.iter("figure") if "scaling-settings" in (f.get("class") or "").split()]
check(len(charts) == 2, f"a settings chart for each pass ({len(charts)})")
if charts:
    texts = ["".join(t.itertext()) for t in charts[0].iter("text")]
    check("synchronous_commit=on" in texts and "synchronous_commit=off" in texts, "its legend names both values")
PY

# --- 2. a setting the role may not change: refused before the run, with the server's reason
run_wb run --db "$BASE dbname=$PLAIN_DB user=$ROLE" --rows 20 --strategies single-tx \
    --set synchronous_commit=on,off --set commit_delay=10 --results "$tmp/refused"
check_eq "commit_delay as a non-superuser: exit status 2" 2 "$WB_RC" || show_wb_output
check_eq "  ... one line on stderr" 1 "$(wc -l <"$WB_ERR")"
check_contains "  ... naming the setting and the server's reason" "$(cat "$WB_ERR")" \
    "--set commit_delay=10 is refused: permission denied to set parameter \"commit_delay\""
check "  ... and nothing written" test ! -e "$tmp/refused"
run_wb run --db "$BASE dbname=$PLAIN_DB user=$ROLE" --rows 20 --strategies single-tx \
    --set synchronous_commit=off --results "$tmp/allowed"
check_eq "a setting the role may change: exit status 0" 0 "$WB_RC" || show_wb_output

# --- 3. bad values: one line, exit 2, nothing written
for bad in "synchronous_commit" "synchronous_commit=" "synchronous_commit=on,,off" "synchronous_commit=on,on" \
    "bad name=1" "x;drop=1" "synchronous_commit=on;off"; do
    run_wb run --db "$BASE dbname=$DB" --results "$tmp/bad" --set "$bad"
    check_eq "--set '$bad' exits 2" 2 "$WB_RC"
    check_eq "--set '$bad' prints one line" 1 "$(wc -l <"$WB_ERR")"
    check "--set '$bad' writes nothing" test ! -e "$tmp/bad"
done
run_wb run --db "$BASE dbname=$DB" --results "$tmp/bad" --set synchronous_commit=on --set synchronous_commit=off
check_eq "the same --set twice exits 2" 2 "$WB_RC"
check_contains "  ... saying to give one list" "$(cat "$WB_ERR")" "is given twice; give its values as one list"

finish
