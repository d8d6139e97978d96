#!/usr/bin/env bash
# Benchmark of issue 12, MariaDB (not a test: it prints figures). On one throwaway
# MariaDB server (tests/mariadb/server.sh: the settings of `--db mariadb-temp:`,
# MariaDB's compiled-in defaults, durable commits), on the `products` workload:
#   1. one writebench run of every strategy that runs on MariaDB at ROWS rows (the
#      slow ones at the default --slow-rows), printed as a table of the insert pass:
#      strategy, rows, rows/s, its ratio to the server's own LOAD DATA, seconds,
#      client peak RSS, server peak RSS, redo MB, commits;
#   2. the server's own limits, measured here next to it, each REF_REPEATS times on
#      the same fully indexed table, timed inside the server (NOW(6) around the
#      statement, so no client and no connecting is counted):
#        - LOAD DATA INFILE (the server reading a file itself, not LOCAL) of exactly
#          the rows load-data loaded and verified, written out with SELECT ... INTO
#          OUTFILE (CHECKSUM TABLE checks they come back the same);
#        - INSERT ... SELECT from the Sequence engine (seq_1_to_N) with the products
#          formulas without the hostile rows: the engine making rows with no client;
# then the issue-12 targets, PASS or FAIL with the numbers:
#   - the best client insert strategy's rows/s >= 0.9x the server's LOAD DATA;
#   - that strategy's client peak RSS <= 16 MiB.
# Usage: bench/mariadb-products.sh                (ROWS=1000000)
#        ROWS=2000 bench/mariadb-products.sh      (a quick check that it works)
#        STRATEGIES=load-data,values-multirow bench/mariadb-products.sh
#                                                 (some strategies only: at 1M rows the
#                                                 one-row-a-statement ones take minutes each)
# Other knobs: REF_REPEATS (each reference's runs, the median counts; 3), TIMEOUT_S
# (per test; 1800). Builds a Release binary in build-bench/; keeps the runs, the
# reference timings and this output under results/bench/mariadb-products.<time>.XXXX/.
# The server is removed at exit. The figures are for this machine as it was at the
# time: the load average at the start and the end is printed with them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
STRATEGIES=${STRATEGIES:-all}
REF_REPEATS=${REF_REPEATS:-3}
TIMEOUT_S=${TIMEOUT_S:-1800}
BUILD_DIR=build-bench
LOAD_DATA_TARGET=0.9 # best client strategy's rows/s / the server's LOAD DATA's
RSS_LIMIT_KB=$((16 * 1024))
MAIN_DB=writebench # every strategy
REF_DB=wbloadref   # the references: load-data's verified rows, then the server's own loads

# --test brings mariadb-server (the server and the mariadb client) and python3.
scripts/deps --test --bench
echo "building Release in $BUILD_DIR/ ..."
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWB_SANITIZE=OFF >/dev/null
cmake --build "$BUILD_DIR" --target writebench -j2 >/dev/null
wb="$BUILD_DIR/writebench"
"$wb" --version
command -v mariadb >/dev/null || { echo "mariadb-products.sh: the mariadb client is missing (Debian: mariadb-client)" >&2; exit 1; }

mkdir -p results/bench
out=$(mktemp -d "results/bench/mariadb-products.$(date -u +%Y%m%dT%H%M%SZ).XXXX")
out=$(cd "$out" && pwd)
echo "runs kept in $out/"
echo "machine: $(nproc) cores, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work may share it)"

# One server for the whole script, removed at exit whatever happens.
state=$(mktemp -d)
cleanup() {
    bash tests/mariadb/server.sh stop "$state/mariadb" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash tests/mariadb/server.sh start "$state/mariadb"
url=$(cat "$state/mariadb/url")
socket=$(cat "$state/mariadb/socket")
server_dir=$(cat "$state/mariadb/server_dir")
db_url() { echo "mariadb://root@localhost/$1?${url#*\?}"; }
sql() { mariadb --no-defaults -S "$socket" -u root -N -B "$@"; }

# Each run goes on to the report even when some test failed (exit 1).
run_status=0
echo
echo "=== products, $ROWS rows: strategies $STRATEGIES (slow ones at the default --slow-rows)"
"$wb" run --db "$(db_url "$MAIN_DB")" --workload products --rows "$ROWS" --strategies "$STRATEGIES" \
    --timeout "$TIMEOUT_S" --results "$out/main" || run_status=$?

# --- the server's own LOAD DATA INFILE of the same rows, from a file
echo
echo "=== server references: load-data loads and verifies $ROWS rows into $REF_DB, the server writes them to a file"
echo "    (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
"$wb" run --db "$(db_url "$REF_DB")" --workload products --rows "$ROWS" --strategies load-data \
    --timeout "$TIMEOUT_S" --results "$out/ref" || run_status=$?
file="$server_dir/products.tsv"
columns="id, name, category, price"
# The server's own defaults for both directions: tab-separated, backslash escapes, \N.
sql -e "SELECT $columns FROM $REF_DB.products ORDER BY id INTO OUTFILE '$file' CHARACTER SET utf8mb4"
loaded=$(sql -e "CHECKSUM TABLE $REF_DB.products EXTENDED" | cut -f2)
echo "file: $file, $(du -m "$file" | cut -f1) MB, $(sql -e "SELECT count(*) FROM $REF_DB.products") rows, checksum $loaded"
# timed_ms SQL: the statement's time inside the server, in ms, on a session of its own.
timed_ms() {
    sql -e "SET @t = NOW(6); $1; SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6)) / 1000"
}
: >"$out/server-load-data.txt"
for ((i = 1; i <= REF_REPEATS; i++)); do
    sql -e "TRUNCATE $REF_DB.products"
    ms=$(timed_ms "LOAD DATA INFILE '$file' INTO TABLE $REF_DB.products CHARACTER SET utf8mb4 ($columns)")
    echo "server LOAD DATA INFILE $i: $ms ms"
    echo "$ms" >>"$out/server-load-data.txt"
done
reloaded=$(sql -e "CHECKSUM TABLE $REF_DB.products EXTENDED" | cut -f2)
if [[ "$loaded" == "$reloaded" ]]; then
    echo "the server's LOAD DATA loaded exactly the rows load-data loaded and verified (checksum $loaded)"
else
    echo "WARNING: the rows the server loaded differ from load-data's (checksum $reloaded vs $loaded)"
    echo "mismatch" >>"$out/server-load-data.txt"
fi
rm -f "$file"

# --- INSERT ... SELECT from the Sequence engine: the products formulas (docs/WORKLOADS.md)
# without the hostile rows, into the same indexed table
: >"$out/server-insert-select.txt"
for ((i = 1; i <= REF_REPEATS; i++)); do
    sql -e "TRUNCATE $REF_DB.products"
    ms=$(timed_ms "USE $REF_DB; INSERT INTO products ($columns) SELECT seq, CONCAT('product ', seq), CONCAT('category ', seq % 100), (seq * 7919 % 1000000) / 100 FROM seq_1_to_$ROWS")
    echo "server INSERT ... SELECT FROM seq_1_to_$ROWS $i: $ms ms"
    echo "$ms" >>"$out/server-insert-select.txt"
done

echo
echo "machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$ROWS" "$LOAD_DATA_TARGET" "$RSS_LIMIT_KB" <<'PY' | tee "$out/report.txt"
import csv, glob, statistics, sys
out, rows_wanted = sys.argv[1], int(sys.argv[2])
target, rss_limit_kb = float(sys.argv[3]), int(sys.argv[4])

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

def medians(path):
    try:
        values = [l.strip() for l in open(path)]
    except OSError:
        return None, []
    ms = [float(v) for v in values if v.replace(".", "", 1).isdigit()]
    return (statistics.median(ms) if ms and "mismatch" not in values else None), ms

conf = conf_of("main")
print("server: MariaDB " + conf.get("mariadb.version", "?") + "; " + ", ".join(
    f"{k} {conf.get('mariadb.' + k, '?')}" for k in
    ("innodb_flush_log_at_trx_commit", "innodb_buffer_pool_size", "innodb_log_file_size", "log_bin")))
load_ms, load_all = medians(f"{out}/server-load-data.txt")
gen_ms, gen_all = medians(f"{out}/server-insert-select.txt")
load_rate = rows_wanted / (load_ms / 1000) if load_ms else None
if load_ms:
    print(f"server LOAD DATA INFILE: {load_rate:,.0f} rows/s (median of {', '.join(f'{m / 1000:.2f}' for m in load_all)} s)")
else:
    print("server LOAD DATA INFILE: no figure (failed, or it did not load the same rows)")
if gen_ms:
    print(f"server INSERT ... SELECT FROM seq_1_to_N: {rows_wanted / (gen_ms / 1000):,.0f} rows/s "
          f"(median of {', '.join(f'{m / 1000:.2f}' for m in gen_all)} s)")
print()

def mib(kb):
    return f"{number(kb) / 1024:.1f}" if number(kb) is not None else "-"
main = [r for r in rows_of("main") if r["phase"] == "insert"]
largest = max(int(r["rows"]) for r in main)
print(f"{'strategy':<26} {'rows':>14} {'rows/s':>10} {'x LOAD DATA':>11} {'seconds':>8} {'client MiB':>10} "
      f"{'server MiB':>10} {'redo MB':>8} {'commits':>9}  status")
for r in sorted(main, key=lambda r: -(number(r["rows_per_s"]) or 0)):
    rate = number(r["rows_per_s"]) or 0
    ratio = f"{rate / load_rate:.2f}" if load_rate and rate else "-"
    redo = f"{number(r['wal_bytes']) / 1e6:.1f}" if number(r["wal_bytes"]) is not None else "-"
    status = "ok" if r["success"] == "1" else ("no rows written" if r["strategy"] == "generate-only" else "FAILED: " + r["error"][:60])
    rows = f"{int(r['rows']):,}" + (" slow" if int(r["rows"]) < largest else "")
    print(f"{r['strategy']:<26} {rows:>14} {rate:>10,.0f} {ratio:>11} {number(r['duration_s']) or 0:>8.2f} "
          f"{mib(r['peak_rss_kb']):>10} {mib(r['server_peak_rss_kb']):>10} {redo:>8} {r['commits'] or '-':>9}  {status}")
print("(insert pass; 'slow': a commit per row, run at --slow-rows, never extrapolated; server MiB: mariadbd's "
      "peak RSS during the test; redo MB: Innodb_os_log_written, 10^6 bytes)")
print()

verdicts = []
def verdict(ok, text):
    verdicts.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {text}")

references = ("server-generate", "generate-only")
clients = [r for r in main if r["success"] == "1" and int(r["rows"]) == largest and r["strategy"] not in references]
best = max(clients, key=lambda r: number(r["rows_per_s"]), default=None)
if best and load_rate:
    ratio = number(best["rows_per_s"]) / load_rate
    verdict(ratio >= target, f"best client strategy {best['strategy']}: {number(best['rows_per_s']):,.0f} rows/s, "
            f"{ratio:.3f}x the server's own LOAD DATA INFILE ({load_rate:,.0f} rows/s); target >= {target}x")
    ref = next((r for r in rows_of("ref") if r["success"] == "1"), None)
    if ref:
        print(f"      (load-data run just before the server's loads, the same rows: {number(ref['rows_per_s']):,.0f} rows/s, "
              f"{number(ref['rows_per_s']) / load_rate:.2f}x)")
else:
    verdict(False, "best client strategy vs the server's LOAD DATA: missing results or the load did not match")
if best and best["peak_rss_kb"]:
    kb = int(best["peak_rss_kb"])
    verdict(kb <= rss_limit_kb, f"{best['strategy']} client peak RSS at {int(best['rows']):,} rows: {kb / 1024:.1f} MiB "
            f"({kb} KiB; target <= {rss_limit_kb / 1024:.0f} MiB)")
else:
    verdict(False, "best client strategy's peak RSS: missing")
print()
print(f"{sum(verdicts)} of {len(verdicts)} targets met" + ("" if all(verdicts) else "; see above for the misses"))
PY
[[ $run_status -eq 0 ]] || echo "note: a run exited with status $run_status (see the table and the runs' run.log)"
