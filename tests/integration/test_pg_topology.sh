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
# With --set synchronous_commit=off on a sync standby, the standby holds every row after
# each test (asynchronous commits flushed before the wait).
# And writebench SIGKILLed in the middle of a test on `pg-temp:?standby=sync&pooler=transaction`
# (held there by tests/external/hold.sh): the primary, the standby and pgbouncer are all
# stopped and the cluster's directory removed. Transaction pooling's probes and skips
# and an asynchronous standby are in test_pg_pooler.sh.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/hold_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/hold_lib.sh"

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
# Autovacuum works in the cluster now and then (it vacuums the catalogues the resets
# churn), and its transactions count in the database's figure too: a test it falls into
# counts a few more. So: never fewer, at most two tests off, and single-autocommit, which
# a standby counted twice would double, close to its rows.
got = {t: int(by[t]["commits"]) if by[t]["commits"].isdigit() else -1 for t in expect}
check(all(got[t] >= want for t, want in expect.items()), f"{name}: no test counts fewer commits than it made {got}")
off = [t for t, want in expect.items() if got[t] != want]
check(len(off) <= 2, f"{name}: commits exactly what the strategy made, but for autovacuum's now and then {got}")
auto = got["single-autocommit-insert"]
check(expect["single-autocommit-insert"] <= auto <= expect["single-autocommit-insert"] + 8,
      f"{name}: single-autocommit counts each of its commits once ({auto} for {expect['single-autocommit-insert']})")
for col in ("standby_received_bytes", "standby_lag_bytes"):
    check(col in header, f"{name}: results.csv has {col}")
# the load tricks ran and the standby holds their rows too (unlogged-then-logged's reach it
# only with SET LOGGED; copy-freeze's frozen rows replay as any others)
for trick in ("copy-freeze-insert", "unlogged-then-logged-insert", "load-then-index-insert"):
    check(trick in by and by[trick]["success"] == "1" and f"{trick}: verified on the standby too" in log,
          f"{name}: {trick} verified on the primary and on the standby")
# every batching strategy reports its batches' latency; copy-binary's are its COPYs
check(all(by[t]["batches"].isdigit() and int(by[t]["batches"]) >= 1 and by[t]["batch_p99_ms"]
          for t in ("batch-commit-insert", "copy-binary-insert", "single-autocommit-insert")),
      f"{name}: batch latencies recorded")
got = by["copy-binary-insert"]
# what the standby had received by the end of the test: all of it when every commit waited
# for its flush; an asynchronous one may not have received the last commit yet
sync = "standby=sync" in url
check(got["standby_received_bytes"].isdigit() and (int(got["standby_received_bytes"]) > 0 or not sync),
      f"{name}: what the standby received during copy-binary is known ({got['standby_received_bytes']!r})")
check(got["standby_lag_bytes"].isdigit(), f"{name}: its replay lag in bytes is known ({got['standby_lag_bytes']!r})")
# (not asserted: generate-only sends the standby nothing, but the figure is the whole
# server's WAL, which a checkpoint or autovacuum during it writes too)
topo = "synchronous standby" if sync else "asynchronous standby"
check(re.search(r"^pg_temp.topology = primary \+ " + topo, conf, re.M), f"{name}: run.conf records the {topo}")
check(("pooler=session" in url) == ("pg_temp.pooler = " in conf), f"{name}: run.conf records the pooler when there is one")
check(f"db = {url}" in conf, f"{name}: run.conf records the --db value")
PY
}

check_topology sync-standby-session-pooler "pg-temp:?standby=sync&pooler=session"

# --- asynchronous commits on the sync standby (the benchmark's synchronous_commit=off): the
# standby must still hold every row once writebench has waited for it, the last commit
# included (the wait flushes the primary's WAL with a commit that wrote some)
run_wb run --db "pg-temp:?standby=sync" --set synchronous_commit=off --strategies single-autocommit,batch-commit \
    --rows 400 --slow-rows 100 --batch 100 --results "$tmp/async-commits" --timeout 120
check_eq "synchronous_commit=off on the sync standby: exit 0" 0 "$WB_RC" || show_wb_output
async_dir=$(run_dir_in "$tmp/async-commits")
check_eq "  ... every test verified on the standby too" 2 \
    "$(grep -c 'verified on the standby too' "$async_dir/run.log" 2>/dev/null || echo 0)"

# --- SIGKILL of writebench with a standby and a pooler: nothing of the cluster is left
held_start K "$WB_SOURCE_DIR/tests/external/pg_psql.sh" --db "pg-temp:?standby=sync&pooler=transaction" --rows 20 \
    --results "$tmp/killed"
killed_dir=$(run_dir_in "$tmp/killed")
cluster_dir=$(sed -n 's/^pg_temp.dir = //p' "$killed_dir/run.conf" 2>/dev/null)
check "the held run's cluster is there: $cluster_dir" test -n "$cluster_dir" -a -d "$cluster_dir"
check "  ... with its primary, standby and pgbouncer running" \
    test "$(pgrep -f -- "$cluster_dir/" | wc -l)" -ge 3
held_kill K
# The watcher sees writebench's end on its control pipe at once, stops the three and
# removes the directory: wait for that event, bounded.
gone() { [[ ! -e "$cluster_dir" && -z "$(pgrep -f -- "$cluster_dir/" || true)" ]]; }
for _ in $(seq 300); do gone && break; sleep 0.1; done
check "after SIGKILL of writebench: the cluster's directory is gone" test ! -e "$cluster_dir"
check_eq "  ... and no process of it is left" "" "$(pgrep -af -- "$cluster_dir/" || true)"

finish
