# Integration test of `writebench run` on SQLite (docs/ARCHITECTURE.md, "Run
# protocol", "Measurements", "Results files"; issue 2): every strategy on both
# workloads at a small size writes, verifies and is recorded in all five run
# files; --threads and --repeat do what they say.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

unset WRITEBENCH_TEST_STRATEGIES # `all` must mean the user-visible strategies only

ROWS=300
SLOW_ROWS=100
BATCH=64

# The strategies and their passes, from describe (the catalogue is the truth).
describe_json=$(make_temp_dir)/describe.json
run_wb describe --format json
check_eq "describe --format json exits 0" 0 "$WB_RC"
cp "$WB_OUT" "$describe_json"
VERSION=$("$WB_BIN" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)
check "writebench --version names a version" test -n "$VERSION"

# check_run_files RESULTS_DIR WORKLOAD ROWS SLOW_ROWS THREADS BATCH REPEATS STRATEGIES
# Checks the one run directory under RESULTS_DIR against the contract: results.csv
# header and one complete, verified row per (repeat, strategy, pass) in run order;
# results.json with the same results; run.conf, code.diff, run.log.
check_run_files() {
    local results=$1 workload=$2 rows=$3 slow_rows=$4 threads=$5 batch=$6 repeats=$7 strategies=$8
    local run_dir
    run_dir=$(run_dir_in "$results")
    if [[ -z "$run_dir" ]]; then
        fail "$workload: exactly one run directory under --results (found: $(ls "$results" 2>/dev/null | tr '\n' ' '))"
        return
    fi
    local file
    for file in run.conf results.csv results.json code.diff run.log; do
        check "$workload: $file exists" test -s "$run_dir/$file"
    done
    py_checks "$run_dir" "$describe_json" "$workload" "$rows" "$slow_rows" "$threads" "$batch" \
        "$repeats" "$strategies" "$VERSION" <<'PY'
import os
run_dir, describe_path, workload = sys.argv[1], sys.argv[2], sys.argv[3]
rows, slow_rows, threads, batch, repeats = (int(x) for x in sys.argv[4:9])
selected, version = sys.argv[9], sys.argv[10]
run_id = os.path.basename(run_dir)
tables = {"users": 2, "products": 1}[workload]  # docs/ARCHITECTURE.md, "Workloads"

HEADER = ("run_id,test,strategy,phase,backend,server_version,workload,rows,threads,batch,"
          "repeat,success,rows_verified,duration_s,rows_per_s,connect_s,cpu_user_s,cpu_sys_s,"
          "peak_rss_kb,server_peak_rss_kb,wal_bytes,commits,db_bytes,error,verify,verify_s,process_s,"
          "settings,standby_received_bytes,standby_lag_bytes,standby_replay_lag_s,batches,batch_p50_ms,batch_p95_ms,"
          "batch_p99_ms,batch_max_ms").split(",")

# describe --format json: a list of strategies, or {"strategies": [...]}; each with a
# name, its passes (a list or a comma-separated string) and, if it says so, whether
# it is slow and which backends run it.
with open(describe_path, encoding="utf-8") as f:
    described = json.load(f)
if isinstance(described, dict):
    described = described.get("strategies", [])
def as_list(v):
    if isinstance(v, str):
        return [p for p in v.replace(" ", ",").split(",") if p]
    return list(v or [])
catalogue = []
for s in described:
    passes = [p for p in ("insert", "update") if p in as_list(s.get("passes"))]
    flags = as_list(s.get("flags"))
    slow = bool(s.get("slow")) or "slow" in flags
    backends = as_list(s.get("backends")) or ["sqlite"]
    if "sqlite" in backends:
        catalogue.append((s["name"], passes, slow, s.get("batch", True), s.get("threads", True)))
check(len(catalogue) >= 10, f"describe lists the SQLite strategies ({len(catalogue)})")
if selected == "all":
    chosen = catalogue
else:
    by_name = {c[0]: c for c in catalogue}
    chosen = [by_name[n] for n in selected.split(",")]
slow_names = {c[0] for c in chosen if c[2]}
# --batch and --threads are recorded where the strategy honours them; a strategy
# that ignores --batch records it empty, one that ignores --threads records 1.
batch_names = {c[0] for c in chosen if c[3]}
thread_names = {c[0] for c in chosen if c[4]}
expected = [(r, f"{name}-{phase}") for r in range(1, repeats + 1)
            for name, passes, *_ in chosen for phase in passes]

with open(os.path.join(run_dir, "results.csv"), newline="", encoding="utf-8") as f:
    text = f.read()
check(text.endswith("\n"), f"{workload}: results.csv ends with a complete line")
header, records, lists = read_csv(os.path.join(run_dir, "results.csv"))
check(header == HEADER, f"{workload}: results.csv header is exactly the contract's (docs/ARCHITECTURE.md)" +
      ("" if header == HEADER else f" (got {header})"))
check(all(len(l) == len(HEADER) for l in lists), f"{workload}: every row has {len(HEADER)} columns")
got = [(int(r.get("repeat") or 0), r.get("test")) for r in records]
check(got == expected, f"{workload}: one row per test, in run order ({len(got)} rows, expected "
      f"{len(expected)})" + ("" if got == expected else f": got {got}, expected {expected}"))

def num(r, key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None

bad = []
for r in records:
    name, test = r.get("strategy", ""), r.get("test", "")
    want_rows = slow_rows if name in slow_names else rows
    problems = []
    if r.get("run_id") != run_id: problems.append(f"run_id {r.get('run_id')!r} != dir {run_id!r}")
    if test != f"{name}-{r.get('phase')}": problems.append("test != strategy-phase")
    if r.get("backend") != "sqlite": problems.append(f"backend {r.get('backend')!r}")
    if not r.get("server_version", "").startswith("3."): problems.append(f"server_version {r.get('server_version')!r}")
    if r.get("workload") != workload: problems.append(f"workload {r.get('workload')!r}")
    if r.get("rows") != str(want_rows): problems.append(f"rows {r.get('rows')!r} != {want_rows}")
    want_threads = str(threads) if name in thread_names else "1"
    want_batch = str(batch) if name in batch_names else ""
    if r.get("threads") != want_threads: problems.append(f"threads {r.get('threads')!r} != {want_threads!r}")
    if r.get("batch") != want_batch: problems.append(f"batch {r.get('batch')!r} != {want_batch!r}")
    if r.get("success") != "1": problems.append(f"success {r.get('success')!r}: {r.get('error')}")
    # generate-only writes nothing by design: nothing to verify
    want_verified = "" if name == "generate-only" else str(want_rows * tables)
    if r.get("rows_verified") != want_verified:
        problems.append(f"rows_verified {r.get('rows_verified')!r} != {want_verified!r}")
    want_verify = "none" if name == "generate-only" else "values"
    if r.get("verify") != want_verify: problems.append(f"verify {r.get('verify')!r} != {want_verify!r}")
    v = num(r, "verify_s")
    if name != "generate-only" and (v is None or v <= 0): problems.append(f"verify_s {r.get('verify_s')!r} not > 0")
    for key in ("duration_s", "rows_per_s", "peak_rss_kb"):
        v = num(r, key)
        if v is None or v <= 0: problems.append(f"{key} {r.get(key)!r} not > 0")
    for key in ("cpu_user_s", "cpu_sys_s", "connect_s"):
        v = num(r, key)
        if v is None or v < 0: problems.append(f"{key} {r.get(key)!r} not >= 0")
    if r.get("server_peak_rss_kb") != "": problems.append("server_peak_rss_kb not empty on SQLite")
    # bytes written and commits: unknown is empty, never negative
    # (docs/ARCHITECTURE.md, "Measurements");
    # db_bytes is growth, which an update may make negative, but not an insert
    growing = ("wal_bytes", "commits") + (("db_bytes",) if r.get("phase") == "insert" else ())
    for key in growing:
        v = num(r, key)
        if r.get(key) != "" and (v is None or v < 0): problems.append(f"{key} {r.get(key)!r} is negative")
    if r.get("error") != "": problems.append(f"error {r.get('error')!r}")
    if problems:
        bad.append(f"repeat {r.get('repeat')} {test}: " + "; ".join(problems))
check(not bad, f"{workload}: every row succeeded, verified {tables} table(s) x rows, sane figures" +
      ("" if not bad else ": " + " | ".join(bad)))

with open(os.path.join(run_dir, "results.json"), encoding="utf-8") as f:
    try:
        doc = json.load(f)
    except ValueError as e:
        doc = None
        check(False, f"{workload}: results.json parses ({e})")
if doc is not None:
    results = doc if isinstance(doc, list) else doc.get("results")
    check(isinstance(results, list) and len(results) == len(records),
          f"{workload}: results.json holds as many results as results.csv "
          f"({len(results) if isinstance(results, list) else results!r} vs {len(records)})")
    if isinstance(results, list):
        tests = [x.get("test") for x in results if isinstance(x, dict)]
        check(tests == [r["test"] for r in records], f"{workload}: results.json tests match results.csv")

with open(os.path.join(run_dir, "run.conf"), encoding="utf-8") as f:
    conf = f.read()
check("workload" in conf and workload in conf, f"{workload}: run.conf names the workload")
check("rows" in conf and str(rows) in conf, f"{workload}: run.conf records rows = {rows}")
with open(os.path.join(run_dir, "code.diff"), encoding="utf-8", errors="replace") as f:
    check(version in f.read(), f"{workload}: code.diff names version {version}")
PY
}

# Both workloads, every strategy, insert and update passes.
for workload in users products; do
    tmp=$(make_temp_dir)
    run_wb run --db "sqlite://$tmp/bench.db" --workload "$workload" --rows $ROWS \
        --slow-rows $SLOW_ROWS --batch $BATCH --strategies all --results "$tmp/results"
    check_eq "$workload: run --strategies all exits 0" 0 "$WB_RC" || show_wb_output
    check "$workload: run prints a line per test" test -s "$WB_OUT"
    check_run_files "$tmp/results" "$workload" $ROWS $SLOW_ROWS 1 $BATCH 1 all
done

# Several connections over disjoint key ranges (lock waits are real on SQLite).
THREADED=single-tx,prepared,values-multirow,on-conflict,commit-queue
tmp=$(make_temp_dir)
run_wb run --db "sqlite://$tmp/bench.db" --workload users --rows $ROWS --slow-rows $SLOW_ROWS \
    --batch $BATCH --threads 3 --strategies $THREADED --results "$tmp/results"
check_eq "threads 3: exits 0" 0 "$WB_RC" || show_wb_output
check_run_files "$tmp/results" users $ROWS $SLOW_ROWS 3 $BATCH 1 $THREADED

# --repeat 2 runs the whole sequence twice, repeat 1 then repeat 2.
REPEATED=prepared,on-conflict
tmp=$(make_temp_dir)
run_wb run --db "sqlite://$tmp/bench.db" --workload products --rows $ROWS --slow-rows $SLOW_ROWS \
    --batch $BATCH --repeat 2 --strategies $REPEATED --results "$tmp/results"
check_eq "repeat 2: exits 0" 0 "$WB_RC" || show_wb_output
check_run_files "$tmp/results" products $ROWS $SLOW_ROWS 1 $BATCH 2 $REPEATED

finish
