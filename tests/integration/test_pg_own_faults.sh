# Integration test of writebench's own faults (issue 10, item 2), on PostgreSQL so
# that the only files writebench writes are its results (the server's files are the
# server's, outside the limits set here):
#  1. a file-size limit (ulimit -f): SIGXFSZ must not kill the run; the write fails
#     with EFBIG, which is writebench's own error: one clear line, exit 2, nothing
#     blamed on a strategy (no test recorded as crashed or failed), no .tmp file;
#  2. a full results directory (a small tmpfs, where this test may mount one; that
#     part is skipped, saying so, where it may not): the same.
# Either fault may strike before the first result (a large code.diff in a changed
# checkout) or in the middle: then nothing was measured and no run directory is
# left, or every result kept is whole and the run is marked as not finished.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql
SCHEMA="wbt_faults_$$"
export PGOPTIONS="-c client_min_messages=warning"
tmp=$(make_temp_dir)
MOUNTED=""
cleanup() {
    psql "$BASE" -X -q -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1
    [[ -n "$MOUNTED" ]] && umount "$MOUNTED" 2>/dev/null
    wb_cleanup
}
trap cleanup EXIT

# check_own_fault WHAT RESULTS_DIR PATTERN: the last run_wb met writebench's own
# write fault (PATTERN in its message) and said so as its own.
check_own_fault() {
    local what=$1 results=$2 pattern=$3 err
    err=$(cat "$WB_ERR")
    check_eq "$what: exit status 2 (writebench's own error, not a strategy's)" 2 "$WB_RC" || show_wb_output
    check_contains "$what: the message names the cause" "$err" "$pattern"
    check "$what: it says the error is writebench's own" grep -q "writebench's own error" "$WB_ERR"
    check_eq "$what: in one line on stderr" 1 "$(grep -c "writebench: " "$WB_ERR")" || show_wb_output
    check "$what: no crash and no sanitizer report" test -z "$(grep -i "crashed\|sanitizer\|core dumped" "$WB_ERR" "$WB_OUT")"
    check_eq "$what: no .tmp file left" "" "$(find "$results" -name '*.tmp' 2>/dev/null)"
    local run_dir
    run_dir=$(run_dir_in "$results")
    if [[ -z "$run_dir" ]]; then
        check_eq "$what: nothing measured, so no run directory is left" "" "$(ls -A "$results" 2>/dev/null)"
        return
    fi
    py_checks "$run_dir" "$what" <<'PY'
import os
run_dir, what = sys.argv[1], sys.argv[2]
header, rows, lists = read_csv(os.path.join(run_dir, "results.csv"))
check(len(rows) >= 1, f"{what}: the tests measured before the fault are kept ({len(rows)})")
check(all(len(l) == len(header) for l in lists), f"{what}: every kept row is whole")
check(all(r["success"] == "1" for r in rows), f"{what}: no kept test is blamed for the fault ({[(r['test'], r['error']) for r in rows if r['success'] != '1']})")
doc = json.load(open(os.path.join(run_dir, "results.json"), encoding="utf-8"))
check(doc["run_state"] != "finished", f"{what}: the run is not marked finished ({doc['run_state']})")
PY
}

# --- 1. a file-size limit of 16 KiB: results.json outgrows it within the run
results="$tmp/limited"
mkdir -p "$results"
run_wb_file_limited 16 run --db "$BASE" --schema "$SCHEMA" --rows 10 --results "$results"
check_own_fault "ulimit -f 16" "$results" "File too large"

# --- 2. a full results directory
full="$tmp/full"
mkdir -p "$full"
if mount -t tmpfs -o size=32k tmpfs "$full" 2>/dev/null; then
    MOUNTED=$full
    run_wb run --db "$BASE" --schema "$SCHEMA" --rows 10 --results "$full/results"
    check_own_fault "a full results directory" "$full/results" "No space left on device"
else
    echo "SKIP (part 2): cannot mount a tmpfs here; the full-disk case is not checked"
fi

finish
