# Integration test of how `writebench run` records failures (docs/ARCHITECTURE.md,
# "Run protocol", "Measurements"; issue 2):
# wrong values are caught by verification, a crash and a hang are recorded as such
# and the run goes on; a run killed midway keeps every finished row and leaves no
# child process behind. Uses the test-only strategies (WRITEBENCH_TEST_STRATEGIES=1).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export WRITEBENCH_TEST_STRATEGIES=1

ROWS=300
TIMEOUT_S=3

# --- 1. wrong, crashing and hanging strategies between two good ones
tmp=$(make_temp_dir)
# (test-hang never returns: that the run ends at all, with test-hang recorded as a
# timeout and single-tx after it verified, shows the hang was cut at --timeout)
run_wb run --db "sqlite://$tmp/bench.db" --workload users --rows $ROWS --timeout $TIMEOUT_S \
    --strategies prepared,test-drop-row,test-mangle-quote,test-crash,test-hang,single-tx \
    --results "$tmp/results"
check_eq "a run with failing tests exits 1" 1 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/results")
if [[ -z "$run_dir" ]]; then
    fail "one run directory under --results"
else
    check "run.log mentions the crash" grep -q test-crash "$run_dir/run.log"
    check "run.log mentions the hang" grep -q test-hang "$run_dir/run.log"
    py_checks "$run_dir" $ROWS <<'PY'
import os, re
run_dir, rows = sys.argv[1], int(sys.argv[2])
header, records, lists = read_csv(os.path.join(run_dir, "results.csv"))
by_test = {r["test"]: r for r in records}
tests = [r["test"] for r in records]
print("tests recorded: " + ", ".join(f"{r['test']}={r['success']}" for r in records))
check(all(len(l) == len(header) == 36 for l in lists), "every row has 36 columns")

def has(test, success, pattern=None, what=""):
    r = by_test.get(test)
    if not check(r is not None, f"{test} is recorded"):
        return
    check(r["success"] == str(success), f"{test} success={success} (got {r['success']}: {r['error']!r})")
    if pattern:
        check(re.search(pattern, r["error"], re.I), f"{test}: error says {what} ({r['error']!r})")

has("prepared-insert", 1)
check(by_test.get("prepared-insert", {}).get("rows_verified") == str(2 * rows), "prepared verified every row")
has("test-drop-row-insert", 0, r"verif", "verification failed")
has("test-mangle-quote-insert", 0, r"verif", "verification failed")
for test in ("test-drop-row-update", "test-mangle-quote-update"):
    if test in by_test:  # the update pass may be left out after a failed insert
        has(test, 0, r"verif", "verification failed")
has("test-crash-insert", 0, r"crash|signal|exit", "it crashed")
has("test-hang-insert", 0, r"time ?out|timed out", "it timed out")
has("single-tx-insert", 1)
check(by_test.get("single-tx-insert", {}).get("rows_verified") == str(2 * rows), "single-tx verified every row")
check(tests and tests[-1] == "single-tx-insert", "the run went on to the last strategy after the failures")

# results.json says which kind of failure each was (result.h: wb_status_name)
with open(os.path.join(run_dir, "results.json"), encoding="utf-8") as f:
    doc = json.load(f)
results = doc if isinstance(doc, list) else doc.get("results", [])
status = {x.get("test"): x.get("status") for x in results}
for test, want in (("prepared-insert", "ok"), ("test-drop-row-insert", "failed"),
                   ("test-crash-insert", "crashed"), ("test-hang-insert", "timeout")):
    check(status.get(test) == want, f"results.json: {test} status {want} (got {status.get(test)!r})")
PY
fi

# --- 2. a run killed midway keeps all finished rows, and its child dies with it
tmp=$(make_temp_dir)
results="$tmp/results-killed" # unique: it appears in the command line of parent and child
(exec "$WB_BIN" run --db "sqlite://$tmp/bench.db" --workload users --rows $ROWS --timeout 600 \
    --strategies prepared,single-tx,test-hang,values-multirow --results "$results" \
    </dev/null >"$tmp/run.out" 2>&1) &
parent_pid=$!
track_pid "$parent_pid"

# Number of complete data rows in the run's results.csv (0 while there is none).
data_rows() {
    python3 - "$results" <<'PY' 2>/dev/null || echo 0
import csv, glob, sys
files = glob.glob(sys.argv[1] + "/*/results.csv")
print(sum(1 for _ in csv.reader(open(files[0], newline=""))) - 1 if files else 0)
PY
}
# Whether a process is running (a zombie is dead: it only waits to be reaped).
alive() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ -n "$state" && "$state" != Z* ]]
}

for _ in $(seq 1 300); do # up to 60 s
    [[ $(data_rows) -ge 2 ]] && break
    alive "$parent_pid" || break
    sleep 0.2
done
check "the run recorded 2 tests before being killed" test "$(data_rows)" -ge 2
children=""
for _ in $(seq 1 50); do # the test-hang child, up to 10 s
    children=$(pgrep -P "$parent_pid" | tr '\n' ' ')
    [[ -n "$children" ]] && break
    sleep 0.2
done
check "a child process runs test-hang (children: ${children:-none})" test -n "$children"
kill -9 "$parent_pid" 2>/dev/null
wait "$parent_pid" 2>/dev/null
left=""
for _ in $(seq 1 25); do # up to 5 s for the child to die with its parent
    left=""
    for pid in $( (echo "$children"; pgrep -f -- "$results") | tr ' ' '\n' | sort -u); do
        alive "$pid" && left+="$pid "
    done
    [[ -z "$left" ]] && break
    sleep 0.2
done
check "no writebench process of the killed run is left (left: ${left:-none})" test -z "$left"
for pid in $left; do kill -9 "$pid" 2>/dev/null; done

run_dir=$(run_dir_in "$results")
if [[ -z "$run_dir" ]]; then
    fail "the killed run left its run directory"
else
    py_checks "$run_dir" <<'PY'
import os
run_dir = sys.argv[1]
with open(os.path.join(run_dir, "results.csv"), newline="", encoding="utf-8") as f:
    text = f.read()
check(text.endswith("\n"), "results.csv ends with a complete line")
header, records, lists = read_csv(os.path.join(run_dir, "results.csv"))
check(len(header) == 36 and header[0] == "run_id" and header[-1] == "batch_max_ms", "results.csv header intact")
check(len(records) >= 2, f"results.csv keeps the finished rows ({len(records)})")
check(all(len(l) == 36 for l in lists), "every kept row is complete (36 columns)")
tests = [(r["test"], r["success"]) for r in records[:2]]
check(tests == [("prepared-insert", "1"), ("single-tx-insert", "1")],
      f"the finished tests are kept as they ended ({tests})")
with open(os.path.join(run_dir, "results.json"), encoding="utf-8") as f:
    try:
        json.load(f)
        check(True, "results.json is still valid JSON")
    except ValueError as e:
        check(False, f"results.json is still valid JSON ({e})")
PY
fi

finish
