# Integration test of pg-temp's topologies (issue 13, item 1), real processes, in one
# run of every strategy on `pg-temp:?standby=sync&pooler=session` (one run rather than
# two: a cluster and a full run each cost seconds, and the suite has a budget):
#  - every strategy verifies on the primary, and the synchronous standby holds the same
#    rows after every test (the same in-database verification there; run.log says so);
#  - behind pgbouncer in session mode every strategy verifies;
#  - commits are counted once: neither the standby nor the pooler adds any (the per-row
#    and one-transaction strategies count exactly what they commit);
#  - results carry the standby's figures and run.conf the topology;
#  - the run starts and removes its own cluster, standby and pooler: afterwards no
#    process and no directory of it is left.
# Transaction pooling (probes and skips) and an asynchronous standby are in
# test_pg_pooler.sh; SIGKILL of writebench with a standby and a pooler in
# tests/unit/test_pg_backend.c.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=40
SLOW_ROWS=20
BATCH=16
tmp=$(make_temp_dir)

# check_topology NAME URL: one run of every strategy on the topology and its checks.
check_topology() {
    local name=$1 url=$2 results="$tmp/$1" run_dir cluster_dir
    run_wb run --db "$url" --rows "$ROWS" --slow-rows "$SLOW_ROWS" --batch "$BATCH" --results "$results" \
        --timeout 120
    check_eq "$name: exit status 0" 0 "$WB_RC" || show_wb_output
    run_dir=$(run_dir_in "$results")
    if [[ -z "$run_dir" ]]; then
        fail "$name: no run directory"
        return
    fi
    cluster_dir=$(sed -n 's/^pg_temp.dir = //p' "$run_dir/run.conf")
    check "$name: run.conf names the cluster's directory" test -n "$cluster_dir"
    check "$name: the cluster's directory is gone" test ! -e "$cluster_dir"
    check_eq "$name: no process of the cluster is left" "" "$(pgrep -f -- "$cluster_dir/" || true)"
    py_checks "$name" "$run_dir" "$ROWS" "$SLOW_ROWS" "$BATCH" "$url" <<'PY'
import math, re
name, run_dir, rows, slow_rows, batch, url = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]), sys.argv[6]
header, results, _ = read_csv(run_dir + "/results.csv")
conf = open(run_dir + "/run.conf").read()
log = open(run_dir + "/run.log").read()
check(len(results) >= 25, f"{name}: every strategy ran ({len(results)} tests)")
bad = [r["test"] + ": " + r["error"] for r in results if r["success"] != "1"]
check(not bad, f"{name}: every test verified {bad[:3]}")
written = [r for r in results if r["verify"] != "none"]
unconfirmed = [r["test"] for r in written if f"{r['test']}: verified on the standby too" not in log]
check(not unconfirmed, f"{name}: every written test verified on the standby too {unconfirmed[:3]}")
by = {r["test"]: r for r in results}
# commits counted once: what the strategy commits, whatever the standby or pooler
expect = {"single-autocommit-insert": 2 * slow_rows, "single-tx-insert": 1, "copy-binary-insert": 1,
          "values-multirow-insert": 1, "on-conflict-batch-update": 1, "server-generate-insert": 1,
          "batch-commit-insert": math.ceil(2 * rows / batch)}
for test, commits in expect.items():
    check(by[test]["commits"] == str(commits), f"{name}: {test} counts {commits} commits (got {by[test]['commits']!r})")
for col in ("standby_received_bytes", "standby_lag_bytes"):
    check(col in header, f"{name}: results.csv has {col}")
got = by["copy-binary-insert"]
# what the standby had received by the end of the test: all of it when every commit waited
# for its flush; an asynchronous one may not have received the last commit yet
sync = "standby=sync" in url
check(got["standby_received_bytes"].isdigit() and (int(got["standby_received_bytes"]) > 0 or not sync),
      f"{name}: what the standby received during copy-binary is known ({got['standby_received_bytes']!r})")
check(got["standby_lag_bytes"].isdigit(), f"{name}: its replay lag in bytes is known ({got['standby_lag_bytes']!r})")
check(by["generate-only-insert"]["standby_received_bytes"] in ("0", ""), f"{name}: generate-only sent the standby nothing")
topo = "synchronous standby" if sync else "asynchronous standby"
check(re.search(r"^pg_temp.topology = primary \+ " + topo, conf, re.M), f"{name}: run.conf records the {topo}")
check(("pooler=session" in url) == ("pg_temp.pooler = " in conf), f"{name}: run.conf records the pooler when there is one")
check(f"db = {url}" in conf, f"{name}: run.conf records the --db value")
PY
}

check_topology sync-standby-session-pooler "pg-temp:?standby=sync&pooler=session"

finish
