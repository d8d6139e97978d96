# Integration test of writebench's own faults on SQLite (issue 10, item 2): the
# database is a file writebench's own process writes, so a file-size limit or a full
# disk strikes the test in progress; that is the machine's fault, never the
# strategy's:
#  1. a file-size limit (ulimit -f) that the database outgrows;
#  2. a full disk under the database (a small tmpfs, where this test may mount one;
#     that part is skipped, saying so, where it may not), the results elsewhere;
#  3. the results directory removed during the run (one line, exit 2, a footer that
#     does not point at it).
# Checked each time: exit 2, one line on stderr naming the cause as writebench's own
# error, the test in progress recorded as "not measured: ...", no test recorded as
# failed or crashed, results.json cut short with the reason.
# (test_pg_own_faults.sh covers the results files' own write faults on PostgreSQL.)
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tmp=$(make_temp_dir)
MOUNTED=""
cleanup() {
    [[ -n "$MOUNTED" ]] && umount "$MOUNTED" 2>/dev/null
    wb_cleanup
}
trap cleanup EXIT

# check_db_fault WHAT RESULTS PATTERN: the last run met a database that could not grow.
check_db_fault() {
    local what=$1 results=$2 pattern=$3
    check_eq "$what: exit status 2 (writebench's own error, not a strategy's)" 2 "$WB_RC" || show_wb_output
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")" || show_wb_output
    check_contains "$what: it names the cause" "$(cat "$WB_ERR")" "the database's file cannot grow ($pattern)"
    check_contains "$what: as writebench's own error" "$(cat "$WB_ERR")" "writebench's own error, not the strategy's"
    py_checks "$(run_dir_in "$results")" "$what" <<'PY'
import os
run_dir, what = sys.argv[1], sys.argv[2]
header, rows, lists = read_csv(os.path.join(run_dir, "results.csv"))
not_measured = [r for r in rows if r["error"].startswith("not measured: the database's file cannot grow")]
check(len(not_measured) == 1, f"{what}: the test in progress is recorded as not measured ({[r['test'] for r in not_measured]})")
blamed = [(r["test"], r["error"]) for r in rows if r["success"] != "1" and r["verify"] != "none" and r not in not_measured]
check(not blamed, f"{what}: no test is blamed on its strategy ({blamed})")
check(not_measured and rows[-1] is not_measured[0], f"{what}: the run stopped at it (it is the last test)")
doc = json.load(open(os.path.join(run_dir, "results.json"), encoding="utf-8"))
check(doc["run_state"] == "cut short" and doc["cut_short"].startswith("writebench's own error: the database's file cannot grow"),
      f"{what}: results.json says cut short, and why ({doc['run_state']}: {doc.get('cut_short')})")
PY
}

# --- 1. a file-size limit of 256 KiB: 5,000 users outgrow it, the results do not
run_wb_file_limited 256 run --db "sqlite://$tmp/limited.db" --rows 5000 --slow-rows 5000 --results "$tmp/limited"
check_db_fault "ulimit -f 256" "$tmp/limited" "File too large"

# --- 2. a full disk under the database
full="$tmp/full"
mkdir -p "$full"
if mount -t tmpfs -o size=256k tmpfs "$full" 2>/dev/null; then
    MOUNTED=$full
    run_wb run --db "sqlite://$full/db.sqlite" --rows 5000 --slow-rows 5000 --results "$tmp/full-results"
    check_db_fault "a full disk" "$tmp/full-results" "No space left on device"
else
    echo "SKIP (part 2): cannot mount a tmpfs here; the full-disk case is not checked"
fi

# --- 3. the results directory removed during the run (by an external program, the
# event itself): one line, exit 2, and no pointer at the directory that is gone
cat >"$tmp/remove_results.sh" <<'SH'
#!/bin/sh
# An external strategy that removes the results directory given as $1 and writes nothing.
rm -rf "$1"
SH
chmod +x "$tmp/remove_results.sh"
mkdir -p "$tmp/vanishing"
run_wb run --db "sqlite://$tmp/vanishing.db" --rows 10 --results "$tmp/vanishing" --strategies prepared \
    --external remove="$tmp/remove_results.sh" "$tmp/vanishing"
check_eq "a vanished results directory: exit status 2" 2 "$WB_RC" || show_wb_output
check_eq "  ... one line on stderr" 1 "$(wc -l <"$WB_ERR")" || show_wb_output
check_contains "  ... naming writebench's own error" "$(cat "$WB_ERR")" "(writebench's own error, not the strategy's)"
check_contains "  ... the footer says the directory is gone" "$(cat "$WB_OUT")" "is gone: it was removed during the run"

finish
