# Integration test of runs cut short (issue 10, item 1), on SQLite: a run stopped
# by SIGINT, SIGTERM or SIGKILL inside its first test and inside a later one. The
# moment is an event, not a time: the run's last strategy is tests/external/hold.sh,
# which says through a FIFO that it has started and then waits for a line that
# never comes; the signal is sent then. Checked each time:
#  - exit status 130 (SIGINT), 143 (SIGTERM), killed (SIGKILL);
#  - results.json: run_state "cut short" with the reason "interrupted by SIGINT" (or
#    SIGTERM), tests_planned and tests_recorded; after SIGKILL it still reads
#    "running" (no end was ever recorded);
#  - every test finished before the signal is kept in results.csv and results.json;
#  - aggregate, correlate, compare and report name the run on stderr ("3 of 5
#    tests, cut short: interrupted by SIGINT") and use its tests; the report's Runs
#    table says it; --whole-runs-only leaves it out;
#  - a missing end mark in a copied run (SIGKILL's state) is read as cut short.
# A signal between two tests or before the first is read before the next test
# starts (run.c's run_test); it has no event to wait on from here, so it is driven
# in unit/test_runner.c through the mock executor (no test starts after it).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null || skip_test "the sqlite3 command is needed by the writer program (Debian: sqlite3)"

ROWS=20
HOLD="$WB_SOURCE_DIR/tests/external/hold.sh"
WRITER="$WB_SOURCE_DIR/tests/external/sqlite_cte.sh"
tmp=$(make_temp_dir)

# start_held NAME STRATEGIES: a run of STRATEGIES then the held program, in the
# background; returns once the program has started (its first, insert, pass).
declare -A PID DIR PROGRAM
start_held() {
    local name=$1 strategies=$2 dir fd line
    dir="$tmp/$name"
    mkdir -p "$dir"
    mkfifo "$dir/started" "$dir/release"
    exec {fd}<>"$dir/started"
    # The release FIFO is opened read-write by the program's side only: no line ever comes.
    "$WB_BIN" run --db "sqlite://$dir/db.sqlite" --rows $ROWS --results "$dir/results" --strategies "$strategies" \
        --external hold="$HOLD" "$dir/started" "$dir/release" "$WRITER" </dev/null >"$dir/out" 2>"$dir/err" &
    PID[$name]=$!
    track_pid "${PID[$name]}"
    DIR[$name]=$dir
    if ! read -r -t 120 -u "$fd" line; then
        fail "$name: the held program did not start within 120 s"
        cat "$dir/out" "$dir/err"
        finish
    fi
    exec {fd}<&-
    PROGRAM[$name]=${line#started }
    track_pid "${PROGRAM[$name]}"
}

# stop_held NAME SIGNAL: send SIGNAL to writebench, wait for it; sets RC.
stop_held() {
    kill -"$2" "${PID[$1]}"
    wait "${PID[$1]}"
    RC=$?
    kill -9 "${PROGRAM[$1]}" 2>/dev/null # after SIGKILL nothing is left to stop it
}

# check_state NAME STATE REASON RECORDED PLANNED: results.json's end mark and counts,
# and results.csv holding the same finished tests.
check_state() {
    local name=$1 run_dir
    run_dir=$(run_dir_in "${DIR[$name]}/results")
    RUN_DIR=$run_dir
    if [[ -z "$run_dir" ]]; then
        fail "$name: one run directory"
        return
    fi
    py_checks "$run_dir" "$2" "$3" "$4" "$5" "$name" <<'PY'
import os
run_dir, state, reason, recorded, planned, name = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
doc = json.load(open(os.path.join(run_dir, "results.json"), encoding="utf-8"))
check(doc["run_state"] == state, f"{name}: run_state {doc['run_state']!r} is {state!r}")
check((doc["cut_short"] or "") == reason, f"{name}: cut_short {doc['cut_short']!r} is {reason!r}")
check(doc["tests_planned"] == planned and doc["tests_recorded"] == recorded,
      f"{name}: {doc['tests_recorded']} of {doc['tests_planned']} tests recorded, expected {recorded} of {planned}")
_, rows, _ = read_csv(os.path.join(run_dir, "results.csv"))
check(len(rows) == recorded and [r["test"] for r in rows] == [r["test"] for r in doc["results"]],
      f"{name}: results.csv keeps the same {recorded} finished tests")
check(all(r["success"] == "1" for r in rows), f"{name}: every finished test verified")
check(all(r["strategy"] != "hold" for r in rows), f"{name}: the test in progress is not recorded as measured")
PY
}

# --- SIGINT inside a later test: server-generate (2 tests) and prepared (1) finished
start_held int server-generate,prepared
stop_held int INT
check_eq "SIGINT: exit status 130" 130 "$RC"
check_state int "cut short" "interrupted by SIGINT" 3 5
int_run=$RUN_DIR
check_contains "SIGINT: the footer says the run was cut short, and why" "$(cat "${DIR[int]}/out")" \
    "run cut short: interrupted by SIGINT"
check "SIGINT: run.log says it" grep -q "cut short: interrupted by SIGINT" "$int_run/run.log"

# --- SIGTERM inside the first test: nothing finished
start_held term none
stop_held term TERM
check_eq "SIGTERM: exit status 143" 143 "$RC"
check_state term "cut short" "interrupted by SIGTERM" 0 2
term_run=$RUN_DIR

# --- SIGKILL inside a later test: no end is ever recorded
start_held kill prepared
stop_held kill KILL
check_eq "SIGKILL: killed (exit status 137)" 137 "$RC"
check_state kill "running" "" 1 3
kill_run=$RUN_DIR

# --- what reads runs names each one cut short, and keeps its tests
id() { basename "$1"; }
run_wb aggregate "$int_run" "$kill_run"
check_eq "aggregate of two runs cut short: exit 0" 0 "$WB_RC" || show_wb_output
err=$(cat "$WB_ERR")
check_contains "aggregate names the interrupted run" "$err" \
    "writebench: run $(id "$int_run"): 3 of 5 tests, cut short: interrupted by SIGINT"
check_contains "aggregate names the killed run" "$err" \
    "writebench: run $(id "$kill_run"): 1 of 3 tests, cut short: no end recorded (killed, or still running)"
check "aggregate keeps their finished tests (prepared-insert of both runs: 2 runs)" \
    grep -Eq '^prepared-insert,prepared,insert,sqlite,users,20,1,,2,' "$WB_OUT"
check "aggregate keeps server-generate" grep -q '^server-generate-insert,' "$WB_OUT"

run_wb correlate "$int_run" "$kill_run"
check_eq "correlate: exit 0" 0 "$WB_RC"
check_contains "correlate names the run cut short" "$(cat "$WB_ERR")" "run $(id "$int_run"): 3 of 5 tests, cut short"

run_wb compare "$int_run" "$kill_run"
check_eq "compare: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "compare names both runs cut short" "$(cat "$WB_ERR")" "run $(id "$kill_run"): 1 of 3 tests, cut short"

run_wb report "$int_run" "$kill_run" "$term_run" --out "$tmp/report.html"
check_eq "report: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "report names the run with no test finished" "$(cat "$WB_ERR")" \
    "run $(id "$term_run"): 0 of 2 tests, cut short: interrupted by SIGTERM"
check "the report's Runs table says 3 of 5 tests, cut short" grep -q "3 of 5 tests, cut short: interrupted by SIGINT" \
    "$tmp/report.html"

run_wb aggregate "$int_run" "$kill_run" --whole-runs-only
check_eq "--whole-runs-only with only runs cut short: exit 2" 2 "$WB_RC"
check_contains "... saying they were left out" "$(cat "$WB_ERR")" "(left out: --whole-runs-only)"
check_contains "... and why nothing is left" "$(cat "$WB_ERR")" "no whole run left: 2 run(s) cut short left out"

# A whole run beside them: --whole-runs-only keeps it alone.
run_wb run --db "sqlite://$tmp/whole.db" --rows $ROWS --strategies prepared --results "$tmp/whole"
check_eq "a whole run: exit 0" 0 "$WB_RC" || show_wb_output
whole_run=$(run_dir_in "$tmp/whole")
check "the whole run says finished" grep -q '"run_state": "finished"' "$whole_run/results.json"
run_wb aggregate "$int_run" "$whole_run" --whole-runs-only
check_eq "--whole-runs-only beside a whole run: exit 0" 0 "$WB_RC"
check_eq "... one group: the whole run's prepared-insert" 1 "$(($(wc -l <"$WB_OUT") - 1))"
check "... with 1 run" grep -Eq '^prepared-insert,prepared,insert,sqlite,users,20,1,,1,' "$WB_OUT"

finish
