# Integration test of a user's transaction pooler and a standby, started by
# tests/pg/cluster.sh (the bash twin of pg-temp's topologies): a primary, an
# asynchronous standby and pgbouncer in pool_mode=transaction in front (issue 13,
# item 2). writebench is given pgbouncer's socket, as a user would, with no way past it:
#  1. its probes find what the pooler breaks (prepared statements, settings and session
#     locks do not survive between transactions, server sessions outlive connections),
#     every strategy that needs prepared statements kept between transactions is
#     skipped with that reason, not failed, and every other strategy verifies; run.conf
#     records the probes, the lock's form and that commits are unknown;
#  2. the one-run-per-database lock still holds behind the pooler: while a run holds it
#     (a transaction kept open on one pooled connection), a second run through the
#     pooler and one on the primary directly are refused, naming the holder; afterwards
#     the run verifies;
#  3. a libpq multi-host conninfo (the standby first, target_session_attrs=read-write)
#     reaches the primary, and run.conf records it without its password.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/hold_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/hold_lib.sh"

command -v psql >/dev/null || { fail "psql is needed by this test (Debian: postgresql-client)"; finish; }
tmp=$(make_temp_dir)
CLUSTER="$tmp/cluster"
trap 'bash "$WB_SOURCE_DIR/tests/pg/cluster.sh" stop "$CLUSTER" >/dev/null 2>&1; wb_cleanup' EXIT
if ! bash "$WB_SOURCE_DIR/tests/pg/cluster.sh" start "$CLUSTER" --standby async --pooler transaction >"$tmp/cluster.out" 2>&1; then
    fail "cluster.sh could not start a primary, a standby and pgbouncer: $(tail -n 5 "$tmp/cluster.out")"
    finish
fi
POOLED=$(cat "$CLUSTER/conninfo")
PRIMARY=$(cat "$CLUSTER/conninfo_primary")
STANDBY=$(cat "$CLUSTER/conninfo_standby")
check "pgbouncer is what clients reach" test "$POOLED" != "$PRIMARY"

# --- 1. probes and skips behind a transaction pooler
results="$tmp/pooled"
run_wb run --db "$POOLED" --rows 40 --slow-rows 20 --batch 16 --results "$results" --timeout 120
check_eq "behind the transaction pooler: exit status 0" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$results")
py_checks "$run_dir" <<'PY'
run_dir = sys.argv[1]
header, results, _ = read_csv(run_dir + "/results.csv")
conf = open(run_dir + "/run.conf").read()
# the strategies whose catalogue entry needs prepared statements kept between transactions
kept = {"prepared", "values-multirow", "pipeline", "unnest", "select-then-write", "update-then-insert",
        "on-conflict", "on-conflict-batch", "merge", "bulk-update", "commit-queue"}
check(len(results) >= 25, f"every strategy ran or was skipped ({len(results)} tests)")
for r in results:
    if r["strategy"] in kept:
        check(r["success"] == "0" and r["error"].startswith(
              "skipped: it needs prepared statements kept between transactions, which this connection lacks: "
              "a statement prepared on this connection was gone in its next transaction"),
              f"{r['test']} is skipped with the probe's reason ({r['error'][:90]!r})")
    else:
        check(r["success"] == "1", f"{r['test']} verified behind the pooler ({r['error'][:90]!r})")
    check(r["commits"] == "", f"{r['test']}: commits unknown behind the pooler, not a wrong figure ({r['commits']!r})")
check(set(r["strategy"] for r in results) >= kept | {"copy-binary", "staging-merge", "single-tx"},
      "the skipped strategies and the others all appear")
for line in ("probe.kept_statements = no: ", "probe.session_state = no: ", "probe.session_locks = no: ",
             "probe.own_session = no: ", "probe.copy = yes", "probe.merge = yes", "probe.pipeline = yes",
             "probe.temp_tables = yes", "lock = held in a transaction kept open on one pooled connection",
             "readings = through the pooler"):
    check(line in conf, f"run.conf: {line}")
PY

# --- 2. the lock holds behind the pooler
held_start A "$WB_SOURCE_DIR/tests/external/pg_psql.sh" --db "$POOLED" --rows 20 --results "$tmp/held"
run_wb run --db "$POOLED" --rows 20 --strategies copy-binary --results "$tmp/second"
check_refused "a second run through the pooler" A
run_wb run --db "$PRIMARY" --rows 20 --strategies copy-binary --results "$tmp/direct"
check_refused "a run on the primary itself" A
check "  ... and the refused runs left no run directory" test ! -e "$tmp/second" -a ! -e "$tmp/direct"
held_release A
check_eq "the held run, once released: exit status 0" 0 "${HELD_RC[A]}" || held_output A

# --- 3. several hosts: the standby first, then the primary; libpq picks the writable one
host=$(sed -n "s/^host='\([^']*\)'.*/\1/p" <<<"$PRIMARY")
primary_port=$(sed -n 's/.* port=\([0-9]*\) .*/\1/p' <<<"$PRIMARY")
standby_port=$(sed -n 's/.* port=\([0-9]*\) .*/\1/p' <<<"$STANDBY")
SECRET="Wb-Multi-Pw-$$"
multi="host=$host,$host port=$standby_port,$primary_port target_session_attrs=read-write dbname=postgres user=postgres password=$SECRET"
run_wb run --db "$multi" --rows 20 --strategies copy-binary,single-tx --results "$tmp/multi"
check_eq "a multi-host conninfo: exit status 0" 0 "$WB_RC" || show_wb_output
run_dir=$(run_dir_in "$tmp/multi")
conf=$(cat "$run_dir/run.conf" 2>/dev/null)
check_contains "  ... run.conf records the hosts and target_session_attrs" "$conf" \
    "db = host=$host,$host port=$standby_port,$primary_port target_session_attrs=read-write dbname=postgres user=postgres"
check_contains "  ... and the one libpq connected to: the primary" "$conf" \
    "postgresql.connected_to = host $host port $primary_port"
check_eq "  ... and no file of the run holds the password" "" "$(grep -rl -- "$SECRET" "$run_dir" || true)"

finish
