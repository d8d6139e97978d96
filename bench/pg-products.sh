#!/usr/bin/env bash
# Benchmark of issue 3 (not a test: it prints figures). On one throwaway PostgreSQL
# cluster (tests/pg/cluster.sh, every write setting at the server's default), on the
# `products` workload:
#   1. one writebench run of every PostgreSQL strategy at ROWS rows (the slow ones at
#      the default --slow-rows), printed as a table: strategy, pass, rows, rows/s,
#      duration, client peak RSS, server peak RSS, WAL MB, commits;
#   2. the references measured here, next to it: the server loading the same rows
#      from a file with server-side COPY, and pgbench running the same one-row INSERT;
#      as context for a shared machine, each is paired with a client run close in
#      time (copy-binary just before the COPYs; single-autocommit after each pgbench);
#   3. copy-binary alone at BIG_ROWS, for its memory;
# then the issue-3 targets, PASS or FAIL with the numbers:
#   - the best client insert strategy takes <= 1.0x the time of the server-side COPY;
#   - load-then-index takes <= 0.6x the time of copy-binary into the indexed table;
#   - single-autocommit's rows/s >= 0.9x pgbench's tps (one client, -M prepared);
#   - copy-binary's client peak RSS <= 16 MiB at ROWS and at BIG_ROWS.
# Usage: bench/pg-products.sh                  (ROWS=1000000 BIG_ROWS=5000000)
#        ROWS=100000 BIG_ROWS=200000 bench/pg-products.sh
# Other knobs: REF_REPEATS (server COPY and pgbench runs, the median counts; 3),
# PGBENCH_TX (transactions per pgbench run; 10000), TIMEOUT_S (per test; 1800).
# Builds a Release binary in build-bench/; keeps the runs, the reference timings and
# this output under results/bench/pg-products.<time>.XXXX/. The cluster is removed at
# exit. The figures are for this machine as it was at the time: the load average at
# the start and the end is printed with them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
BIG_ROWS=${BIG_ROWS:-5000000}
REF_REPEATS=${REF_REPEATS:-3}
PGBENCH_TX=${PGBENCH_TX:-10000}
TIMEOUT_S=${TIMEOUT_S:-1800}
BUILD_DIR=build-bench
COPY_TARGET=1.0        # best client strategy's time / server-side COPY's time
LOAD_INDEX_TARGET=0.6  # load-then-index's time / copy-binary's time
PGBENCH_TARGET=0.9     # single-autocommit's rows/s / pgbench's tps
RSS_LIMIT_KB=$((16 * 1024))
MAIN_SCHEMA=writebench # every strategy, then copy-binary alone at BIG_ROWS
REF_SCHEMA=wbcopyref   # copy-binary at ROWS: the rows the server-side COPY loads
PGBENCH_SCHEMA=wbpgbench
AUTOCOMMIT_SCHEMA=wbautocommit # single-autocommit runs paired with the pgbench runs

# --test brings postgresql-15: the server binaries for the cluster, psql and pgbench.
scripts/deps --test --bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version
for tool in psql pgbench; do
    command -v "$tool" >/dev/null || { echo "pg-products.sh: $tool is missing (Debian: postgresql-client-15)" >&2; exit 1; }
done

mkdir -p results/bench
out=$(mktemp -d "results/bench/pg-products.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
out=$(cd "$out" && pwd)
echo "runs kept in $out/"
echo "machine: $(nproc) cores, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work may share it)"
"$wb" describe --format json >"$out/describe.json"

# One cluster for the whole script, removed at exit whatever happens.
state=$(mktemp -d)
cleanup() {
    bash tests/pg/cluster.sh stop "$state/pg" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash tests/pg/cluster.sh start "$state/pg"
conn=$(cat "$state/pg/conninfo")
cluster=$(cat "$state/pg/cluster_dir")
export PGOPTIONS="-c client_min_messages=warning"
sql() { psql "$conn" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Each run goes on to the report even when some test failed (exit 1).
run_status=0
echo
echo "=== products, $ROWS rows: every PostgreSQL strategy (slow ones at the default --slow-rows)"
"$wb" run --db "$conn" --schema "$MAIN_SCHEMA" --workload products --rows "$ROWS" --strategies all \
    --timeout "$TIMEOUT_S" --results "$out/main" || run_status=$?

# --- the server loading the same rows from a file with server-side COPY
# copy-binary loads and verifies the rows; the server writes them to a file in the
# cluster's own directory (its user can write and read there; server-side COPY needs
# a superuser: the cluster's user "postgres" is one). Then, REF_REPEATS times: empty
# the same fully indexed table and time `COPY ... FROM 'file'` (text format, the
# server's default), with psql's \timing: the statement's round trip, as writebench's
# duration_s is the strategy's time without connecting. Each COPY commits on its own,
# as copy-binary does.
echo
echo "=== server-side COPY reference: copy-binary loads and verifies $ROWS rows into $REF_SCHEMA, the server copies them to a file"
echo "    (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
"$wb" run --db "$conn" --schema "$REF_SCHEMA" --workload products --rows "$ROWS" --strategies copy-binary \
    --timeout "$TIMEOUT_S" --results "$out/ref" || run_status=$?
columns=$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(", ".join(next(t for w in doc["workloads"] if w["name"] == "products" for t in w["tables"])["columns"]))
' "$out/describe.json")
file="$cluster/products.copy"
digest_sql="SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) FROM (SELECT $columns FROM $REF_SCHEMA.products) t"
loaded_digest=$(sql -c "$digest_sql")
sql -c "COPY (SELECT $columns FROM $REF_SCHEMA.products ORDER BY id) TO '$file'"
echo "file: $file, $(du -m "$file" | cut -f1) MB, $(sql -c "SELECT count(*) FROM $REF_SCHEMA.products") rows"
: >"$out/server-copy.txt"
for ((i = 1; i <= REF_REPEATS; i++)); do
    sql -c "TRUNCATE $REF_SCHEMA.products"
    timing=$(printf '\\timing on\nCOPY %s.products (%s) FROM %s;\n' "$REF_SCHEMA" "$columns" "'$file'" | sql)
    ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$timing")
    echo "server-side COPY $i: $ms ms"
    echo "$ms" >>"$out/server-copy.txt"
done
reloaded_digest=$(sql -c "$digest_sql")
if [[ "$loaded_digest" == "$reloaded_digest" ]]; then
    echo "the server's COPY loaded exactly the rows copy-binary loaded and verified (md5 $loaded_digest)"
else
    echo "WARNING: the rows loaded by server-side COPY differ from copy-binary's ($reloaded_digest vs $loaded_digest)"
    echo "mismatch" >>"$out/server-copy.txt"
fi
rm -f "$file"

# --- pgbench running the same one-row INSERT, one client, -M prepared
# A scratch copy of the products table in a schema of this script's: same columns,
# same indexes (primary key, unique name, category), same CHECK. The statement is one
# plain INSERT ... VALUES of one row per transaction, like single-autocommit's. pgbench
# has no counter, so the keys come from a sequence: 1, 2, 3, ... in order, as
# single-autocommit writes them (random keys would split B-tree pages all over), and
# the unique name is made from the same key; category and price are random variables
# bound as parameters. nextval() costs a function call and, every 32 values, a little
# WAL: a small handicap on pgbench's side.
echo
echo "=== pgbench reference: the same one-row INSERT, one client, -M prepared, $PGBENCH_TX transactions x $REF_REPEATS,"
echo "    each followed by single-autocommit alone at $PGBENCH_TX rows (a pair close in time, for the machine's load)"
echo "    (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
sql <<SQL
DROP SCHEMA IF EXISTS $PGBENCH_SCHEMA CASCADE;
CREATE SCHEMA $PGBENCH_SCHEMA;
CREATE TABLE $PGBENCH_SCHEMA.products (LIKE $MAIN_SCHEMA.products INCLUDING ALL);
CREATE SEQUENCE $PGBENCH_SCHEMA.ids;
SQL
cat >"$out/pgbench.sql" <<SQL
\\set cat random(1, 1000)
\\set cents random(0, 9999999)
INSERT INTO $PGBENCH_SCHEMA.products (id, name, category, price) VALUES (nextval('$PGBENCH_SCHEMA.ids'), 'product ' || currval('$PGBENCH_SCHEMA.ids'), 'category ' || :cat, :cents / 100.0);
SQL
: >"$out/pgbench-tps.txt"
for ((i = 1; i <= REF_REPEATS; i++)); do
    sql -c "TRUNCATE $PGBENCH_SCHEMA.products" -c "ALTER SEQUENCE $PGBENCH_SCHEMA.ids RESTART"
    pgbench -n -c 1 -j 1 -M prepared -t "$PGBENCH_TX" -f "$out/pgbench.sql" "$conn" >"$out/pgbench-$i.txt" 2>&1 ||
        { cat "$out/pgbench-$i.txt"; echo "pgbench failed" >&2; exit 1; }
    tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$out/pgbench-$i.txt")
    echo "pgbench $i: $tps tps ($(sed -n 's/^number of failed transactions: //p' "$out/pgbench-$i.txt") failed)"
    echo "$tps" >>"$out/pgbench-tps.txt"
    "$wb" run --db "$conn" --schema "$AUTOCOMMIT_SCHEMA" --workload products --rows "$PGBENCH_TX" \
        --slow-rows "$PGBENCH_TX" --strategies single-autocommit --results "$out/autocommit/$i" >"$out/autocommit-$i.txt" 2>&1 ||
        run_status=$?
    echo "single-autocommit $i: $(python3 -c '
import csv, glob, sys
r = next(csv.DictReader(open(glob.glob(sys.argv[1] + "/*/results.csv")[0])))
print(r["rows_per_s"] + " rows/s" if r["success"] == "1" else "FAILED: " + r["error"])' "$out/autocommit/$i")"
done
sql -c "DROP SCHEMA $PGBENCH_SCHEMA CASCADE"

echo
echo "=== products, $BIG_ROWS rows: copy-binary alone"
"$wb" run --db "$conn" --schema "$MAIN_SCHEMA" --workload products --rows "$BIG_ROWS" --strategies copy-binary \
    --timeout "$TIMEOUT_S" --results "$out/big" || run_status=$?

echo
echo "machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$COPY_TARGET" "$LOAD_INDEX_TARGET" "$PGBENCH_TARGET" "$RSS_LIMIT_KB" <<'PY' | tee "$out/report.txt"
import csv, glob, json, statistics, sys
out = sys.argv[1]
copy_target, load_index_target, pgbench_target = map(float, sys.argv[2:5])
rss_limit_kb = int(sys.argv[5])
catalogue = {s["name"]: s for s in json.load(open(f"{out}/describe.json"))["strategies"]}

def rows_of(sub):
    files = glob.glob(f"{out}/{sub}/*/results.csv")
    if not files:
        sys.exit(f"no results.csv under {out}/{sub}")
    with open(files[0], newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def conf_of(sub):
    files = glob.glob(f"{out}/{sub}/*/run.conf")
    lines = open(files[0], encoding="utf-8").read().splitlines() if files else []
    return dict(l.split(" = ", 1) for l in lines if " = " in l and not l.startswith("#"))

def number(s):
    return float(s) if s not in ("", None) else None

def numbers_in(path):
    try:
        values = [l.strip() for l in open(path)]
    except OSError:
        return [], False
    return [float(v) for v in values if v.replace(".", "", 1).isdigit()], "mismatch" not in values

main, big = rows_of("main"), rows_of("big")
conf = conf_of("main")
print("server: PostgreSQL " + conf.get("postgresql.server_version", "?") + "; " + ", ".join(
    f"{k} {conf.get('postgresql.' + k, '?')}" for k in
    ("synchronous_commit", "fsync", "wal_level", "shared_buffers", "max_wal_size", "full_page_writes")))
print()

def mib(kb):
    return f"{number(kb) / 1024:.1f}" if number(kb) is not None else "-"
largest = max(int(r["rows"]) for r in main)
print(f"{'strategy':<20} {'pass':<6} {'rows':>14} {'rows/s':>10} {'seconds':>8} {'client MiB':>10} "
      f"{'server MiB':>10} {'WAL MB':>8} {'commits':>9}  status")
for phase in ("insert", "update"):
    for r in sorted((r for r in main if r["phase"] == phase), key=lambda r: -(number(r["rows_per_s"]) or 0)):
        wal = f"{number(r['wal_bytes']) / 1e6:.1f}" if number(r["wal_bytes"]) is not None else "-"
        status = "ok" if r["success"] == "1" else "FAILED: " + r["error"][:60]
        rows = f"{int(r['rows']):,}" + (" slow" if int(r["rows"]) < largest else "")
        print(f"{r['strategy']:<20} {phase:<6} {rows:>14} {number(r['rows_per_s']) or 0:>10,.0f} "
              f"{number(r['duration_s']) or 0:>8.2f} {mib(r['peak_rss_kb']):>10} {mib(r['server_peak_rss_kb']):>10} "
              f"{wal:>8} {r['commits'] or '-':>9}  {status}")
print("(rows per table; 'slow': a commit per row, run at --slow-rows, never extrapolated; "
      "server MiB: the backend's peak RSS; WAL MB: 10^6 bytes)")
print()

verdicts = []
def verdict(ok, text):
    verdicts.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {text}")

def ok_row(rows, strategy, phase="insert"):
    return next((r for r in rows if r["strategy"] == strategy and r["phase"] == phase and r["success"] == "1"), None)

# 1. the best client insert strategy vs the server's own COPY from a file
copy_ms, same_rows = numbers_in(f"{out}/server-copy.txt")
clients = [r for r in main if r["phase"] == "insert" and r["success"] == "1" and int(r["rows"]) == largest
           and not catalogue.get(r["strategy"], {}).get("reference")]
best = min(clients, key=lambda r: number(r["duration_s"]), default=None)
if best and copy_ms and same_rows:
    copy_s = statistics.median(copy_ms) / 1000
    ratio = number(best["duration_s"]) / copy_s
    verdict(ratio <= copy_target,
            f"best client strategy {best['strategy']} takes {number(best['duration_s']):.2f} s, "
            f"{ratio:.3f}x the server-side COPY from a file ({copy_s:.2f} s, median of "
            f"{', '.join(f'{m / 1000:.2f}' for m in copy_ms)} s); target <= {copy_target}x")
    ref_cb = ok_row(rows_of("ref"), "copy-binary")
    if ref_cb:
        print(f"      (copy-binary run just before the server's COPYs, the same rows: "
              f"{number(ref_cb['duration_s']):.2f} s, {number(ref_cb['duration_s']) / copy_s:.2f}x)")
    indexed = [r for r in clients if r["strategy"] != "load-then-index"]
    best_indexed = min(indexed, key=lambda r: number(r["duration_s"]), default=None)
    if best_indexed and best_indexed is not best:
        print(f"      (into the indexed table: {best_indexed['strategy']} {number(best_indexed['duration_s']):.2f} s, "
              f"{number(best_indexed['duration_s']) / copy_s:.2f}x)")
else:
    verdict(False, "best client strategy vs server-side COPY: missing results or the COPY did not load the same rows")

# 2. load-then-index vs copy-binary into the fully indexed table
lti, cb = ok_row(main, "load-then-index"), ok_row(main, "copy-binary")
if lti and cb:
    ratio = number(lti["duration_s"]) / number(cb["duration_s"])
    verdict(ratio <= load_index_target,
            f"load-then-index takes {number(lti['duration_s']):.2f} s, {ratio:.3f}x copy-binary's "
            f"{number(cb['duration_s']):.2f} s into the indexed table; target <= {load_index_target}x")
else:
    verdict(False, "load-then-index vs copy-binary: missing or failed results")

# 3. single-autocommit vs pgbench (products has one table: rows/s = transactions/s)
tps, _ = numbers_in(f"{out}/pgbench-tps.txt")
sa = ok_row(main, "single-autocommit")
if sa and tps:
    median_tps = statistics.median(tps)
    ratio = number(sa["rows_per_s"]) / median_tps
    verdict(ratio >= pgbench_target,
            f"single-autocommit {number(sa['rows_per_s']):,.0f} rows/s at {int(sa['rows']):,} rows is {ratio:.3f}x "
            f"pgbench's {median_tps:,.0f} tps (median of {', '.join(f'{t:,.0f}' for t in tps)}); "
            f"target >= {pgbench_target}x")
    paired = [next(csv.DictReader(open(f)), None) if f else None
              for i in range(1, len(tps) + 1) for f in [next(iter(glob.glob(f"{out}/autocommit/{i}/*/results.csv")), None)]]
    rates = [number(r["rows_per_s"]) if r and r["success"] == "1" else None for r in paired]
    ratios = [rate / t for rate, t in zip(rates, tps) if rate]
    if ratios:
        print(f"      (pairs close in time, pgbench then single-autocommit: "
              + ", ".join(f"{t:,.0f} tps / {rate:,.0f} rows/s" if rate else f"{t:,.0f} tps / failed"
                          for t, rate in zip(tps, rates))
              + f"; ratios {', '.join(f'{x:.2f}' for x in ratios)}, median {statistics.median(ratios):.2f})")
else:
    verdict(False, "single-autocommit vs pgbench: missing or failed results")

# 4. copy-binary's client memory at ROWS and at BIG_ROWS
for rows in (main, big):
    r = ok_row(rows, "copy-binary")
    if r and r["peak_rss_kb"]:
        kb = int(r["peak_rss_kb"])
        verdict(kb <= rss_limit_kb, f"copy-binary client peak RSS at {int(r['rows']):,} rows: {kb / 1024:.1f} MiB "
                f"({kb} KiB; target <= {rss_limit_kb / 1024:.0f} MiB)")
    else:
        verdict(False, "copy-binary peak RSS: missing or failed result")
print()
print(f"{sum(verdicts)} of {len(verdicts)} targets met" + ("" if all(verdicts) else "; see above for the misses"))
PY
[[ $run_status -eq 0 ]] || echo "note: a run exited with status $run_status (see the table and the runs' run.log)"
