# Integration test of the batches' latencies (issue 13, item 4; docs/FORMATS.md,
# results.csv's batch_* columns): a strategy with one batch slowed by a planted
# 200 ms delay (test-slow-batch, WRITEBENCH_TEST_STRATEGIES=1) shows it as the max
# and not in the median. The only timing the checks rest on is the planted delay
# itself: the max is at least the delay, and the median's histogram bucket lies
# strictly below the max's (buckets are 1/64 of a power of two wide, so a median
# below max / 1.02 is in another bucket). Also: every batching strategy records
# batches, and a per-row strategy in autocommit one per row.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export WRITEBENCH_TEST_STRATEGIES=1
ROWS=400
BATCH=10

tmp=$(make_temp_dir)
run_wb run --db "sqlite://$tmp/bench.db" --workload users --rows $ROWS --batch $BATCH --slow-rows 50 \
    --strategies test-slow-batch,batch-commit,values-multirow,single-autocommit,prepared --results "$tmp/results"
check_eq "the run exits 0" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/results")
py_checks "$run_dir" $ROWS $BATCH <<'PY'
import os
run_dir, rows, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
planted_ms = 200.0
with open(os.path.join(run_dir, "results.json")) as f:
    results = {r["test"]: r for r in json.load(f)["results"]}
tables = 2  # users: user_account and address
for phase in ("insert", "update"):
    r = results.get(f"test-slow-batch-{phase}")
    if not check(r is not None, f"test-slow-batch-{phase} is recorded"):
        continue
    print(f"{phase}: batches {r['batches']} p50 {r['batch_p50_ms']} p95 {r['batch_p95_ms']} "
          f"p99 {r['batch_p99_ms']} max {r['batch_max_ms']} ms")
    check(r["batches"] == tables * rows // batch, f"{phase}: one batch per commit of {batch} rows ({r['batches']})")
    check(r["batch_max_ms"] >= planted_ms, f"{phase}: the max holds the planted {planted_ms} ms")
    check(r["batch_p50_ms"] < planted_ms, f"{phase}: the median does not")
    check(r["batch_p50_ms"] * 1.02 < r["batch_max_ms"], f"{phase}: the median's bucket is below the max's")
    check(r["batch_p50_ms"] <= r["batch_p95_ms"] <= r["batch_p99_ms"] <= r["batch_max_ms"],
          f"{phase}: p50 <= p95 <= p99 <= max")
for test, expected in (("batch-commit-insert", tables * rows // batch),
                       ("values-multirow-insert", tables * rows // batch),
                       ("single-autocommit-insert", tables * 50),
                       ("prepared-insert", 1)):
    r = results.get(test)
    if check(r is not None, f"{test} is recorded"):
        check(r["batches"] == expected, f"{test}: {expected} batches recorded (got {r['batches']})")
        check(r["batch_max_ms"] is not None and r["batch_max_ms"] > 0, f"{test}: a max latency")

header, records, _ = read_csv(os.path.join(run_dir, "results.csv"))
check(header[-5:] == ["batches", "batch_p50_ms", "batch_p95_ms", "batch_p99_ms", "batch_max_ms"],
      "results.csv ends with the batch columns")
csv_slow = [x for x in records if x["test"] == "test-slow-batch-insert"]
check(csv_slow and float(csv_slow[0]["batch_max_ms"]) >= planted_ms, "results.csv holds the same max")
PY

# The report shows each set's batch latencies side by side, on an axis in ms.
run_wb report "$run_dir" --out "$tmp/report.html"
check_eq "report exits 0" 0 "$WB_RC" || show_wb_output
py_checks "$tmp/report.html" <<'PY'
import re
html = open(sys.argv[1], encoding="utf-8").read()
figures = re.findall(r'<figure class="chart latency">(.*?)</figure>', html, re.S)
check(len(figures) >= 1, f"a batch latency chart per set with batches ({len(figures)})")
slow = [f for f in figures if "test-slow-batch-insert" in f]
if check(slow, "the slow-batch test is in one of them"):
    f = slow[0]
    check(re.search(r'class="axis-label"[^>]*>batch latency \(ms\)', f), "its axis is labelled in ms")
    for name in ("p50 (median)", "p95", "p99", "max"):
        check(f">{name}<" in f, f"its legend names {name}")
    # the planted batch sleeps at least 200 ms (more on a loaded machine); every other
    # batch takes well under 1 ms, so a label of 200 ms or more can only be the planted one
    maxima = [float(v) for v in re.findall(r"max (\d+(?:\.\d+)?) ms", f)]
    check(maxima and max(maxima) >= 200, f"the planted batch is the max bar's label (max labels: {maxima})")
PY

finish
