# Integration test of `writebench profile` on PostgreSQL (issues 5 and 11): at
# small N, after the load and ANALYZE, the EXPLAIN (ANALYZE, BUFFERS) plan of the
# category read uses products_category_idx in the baseline and does not in the
# variant without it (asserted on the plan text, never on timings); every read
# of products and users has its plan printed and recorded; CHECK and the
# foreign key are dropped for real (their variants run); the caching study
# runs on PostgreSQL too (stale reads without invalidation, none with it).
# every_feature (three tables, composite indexes, three foreign keys): its reads
# listed and asserted whole, each run and checked against the generator in every
# variant, every CHECK and each of the three foreign keys dropped for real under
# the server's own constraint names.
# --echo prints profile's own libpq statements (PREPARE, each execution with its
# values, EXPLAIN, the caching study's statements, DEALLOCATE) and summaries that
# count exactly the lines printed before them; the load's are its child's.
# Nothing of profile's own is left behind: after profile of products and of users,
# and after SIGTERM in the middle of a profile, the schema's catalog (pg_class,
# pg_indexes, pg_constraint) is exactly what `setup` of the workload makes in a
# fresh schema. `--db pg-temp:` is accepted: its cluster is gone at the end, also
# after SIGTERM.
#
# 5000 products over 100 categories: a category is 1% of the table, which the
# planner serves from the index (a bitmap or index scan) once ANALYZE has run;
# no enable_seqscan tweak is needed.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

SCHEMA="wbprofile_$$"
SCHEMA_U="wbprofile_users_$$" # a schema per workload, so that each holds one workload's tables
dir=$(make_temp_dir)

# The catalog of a schema, one sorted line per relation, index and constraint, with
# the schema's name replaced by S so that two schemas compare.
pg_catalog_of() {
    psql "$BASE" -X -A -t -q -v s="$1" <<'SQL' | sed "s/\b$1\b/S/g"
SELECT 'class|' || c.relname || '|' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'s'
UNION ALL SELECT 'index|' || indexname || '|' || indexdef FROM pg_indexes WHERE schemaname = :'s'
UNION ALL SELECT 'constraint|' || conname || '|' || pg_get_constraintdef(oid) FROM pg_constraint
 WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = :'s')
ORDER BY 1;
SQL
}
# check_leaves_setup WHAT SCHEMA WORKLOAD: the schema holds exactly what setup makes.
check_leaves_setup() {
    local fresh
    fresh="wbsetup_$(basename "$3" .yaml)_$$"
    [[ -n "$(pg_catalog_of "$fresh")" ]] || "$WB_BIN" setup --db "$BASE" --schema "$fresh" --workload "$3" >/dev/null
    local want got
    want=$(pg_catalog_of "$fresh")
    got=$(pg_catalog_of "$2")
    check "$1: setup's catalog is not empty" test -n "$want"
    check_eq "$1: the schema's catalog is what setup of $3 makes" "$want" "$got"
}
# check_cluster_gone WHAT RUN_DIR: the pg-temp cluster of the run is removed, no process left.
check_cluster_gone() {
    local cluster left="" proc
    cluster=$(sed -n 's/^pg_temp\.dir = //p' "$2/run.conf" 2>/dev/null)
    check "$1: run.conf records the cluster directory" test -n "$cluster" || return
    check "$1: the cluster directory $cluster is gone" test ! -e "$cluster"
    for proc in /proc/[0-9]*; do
        if tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qF -- "$cluster" ||
            [[ "$(readlink "$proc/cwd" 2>/dev/null)" == "$cluster"* ]]; then
            left+=" ${proc#/proc/}"
        fi
    done
    check_eq "$1: no process of the cluster is left" "" "$left"
}

run_wb profile --db "$BASE" --schema "$SCHEMA" --workload products --rows 5000 --repeat 5 \
    --load-repeat 1 --cache-lookups 1000 --results "$dir/res"
check_eq "profile products on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "loads with copy-binary by default" "$out" "loaded with copy-binary"
for variant in baseline without:products_name_key without:products_category_idx without:products_check; do
    check_contains "variant $variant ran" "$out" "== $variant:"
done
check_contains "EXPLAIN ANALYZE output printed" "$out" "plan: Execution Time:"
check_contains "BUFFERS output printed" "$out" "Buffers: shared hit="
check_contains "CHECK's trade-off line is measured" "$out" "  CHECK (price >= 0): load "
check_leaves_setup "after profile products (two indexes and CHECK dropped)" "$SCHEMA" products
run=$(run_dir_in "$dir/res")
check "run.conf names the backend" grep -q '^backend = postgresql$' "$run/run.conf"
py_checks "$run/profile.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
plan = {(r["variant"], r["read"]): r["plan"] for r in rows}
variants = ["baseline", "without:products_name_key", "without:products_category_idx", "without:products_check"]
reads = ["by-key:products", "by-unique:products(name)", "by-prefix:products(category)"]
check(sorted(plan) == sorted((v, r) for v in variants for r in reads), "one row per (variant, read)")
check(all(r["rows_checked"] == "50" for r in rows if r["read"] == reads[2]),
      "the category read: 50 rows checked (5000 products, 100 categories)")
base = plan[("baseline", "by-prefix:products(category)")]
without = plan[("without:products_category_idx", "by-prefix:products(category)")]
print("baseline by-category plan:\n" + base)
print("without-index by-category plan:\n" + without)
check("products_category_idx" in base, "with the index, the category read's plan uses products_category_idx")
check("products_category_idx" not in without, "without it, the plan does not mention it")
check("Seq Scan on products" in without, "without it, a sequential scan")
check(all("Execution Time" in p for p in plan.values()), "every plan is EXPLAIN ANALYZE output")
PY
py_checks "$run/cache.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
by = {r["path"]: r for r in rows}
check(all(r["backend"] == "postgresql" for r in rows) and len(rows) == 5, "cache.csv: five postgresql rows")
check(int(by["update-no-invalidate"]["stale_reads"]) > 0, "stale reads without invalidation")
check(by["update-invalidate"]["stale_reads"] == "0", "no stale read with invalidation")
PY

run_wb profile --db "$BASE" --schema "$SCHEMA_U" --workload users --rows 2000 --repeat 5 --load-repeat 1 \
    --no-cache --results "$dir/res-u"
check_eq "profile users on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "the foreign key is dropped and measured" "$out" "  foreign key address.user_id: load "
check "the join from a user to its addresses uses the candidate index" grep -Eq \
    '^    plan: .*(Index Scan using address_user_id_idx on address c|Bitmap Index Scan on address_user_id_idx)' "$WB_OUT"
check_leaves_setup "after profile users (the foreign key dropped, a candidate made)" "$SCHEMA_U" users

run_wb profile --db "$BASE" --schema "$SCHEMA" --workload products --rows 500 --repeat 3 --load-repeat 1 \
    --baseline-only --cache-lookups 30 --echo --results "$dir/res-e"
check_eq "profile --echo on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
check "--echo: stdout has no echo line" bash -c "! grep -q 'echo\]' '$WB_OUT'"
py_checks "$WB_ERR" <<'PY'
import re
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("[echo] ")]
sections, order, current = {}, [], []
for l in lines:
    m = re.match(r"\[echo\] summary of (.*): (\d+) statements", l)
    if m:
        sections[m.group(1)] = (int(m.group(2)), current)
        order.append(m.group(1))
        current = []
    elif re.match(r"\[echo\] +[\d.]+ ms  ", l):
        current.append(l)
load_title = "this test (products, 500 rows, 1 connection)"
check(order == ["the set-up (server version and settings)", "the schema for baseline", load_title,
                "the variant baseline", "the caching study on baseline",
                "the clean-up (the tables as setup makes them)"], "the summaries, in order: %s" % order)
# The load's child echoes its readings (the commit count, the WAL position) after its
# own summary, as a run's test does: printed, counted in no summary.
readings = re.compile(r"\[echo\] +[\d.]+ ms  SELECT (pg_catalog\.pg_stat_force_next_flush\(\)|d\.xact_commit, )")
for k, title in enumerate(order):
    total, section = sections[title]
    extra = sum(bool(readings.match(l)) for l in section) if k > 0 and order[k - 1] == load_title else 0
    check(total == len(section) - extra, "%s: the summary counts the %d lines printed before it (says %d; %d "
          "readings of the load's child)" % (title, len(section), total, extra))
variant = sections.get("the variant baseline", (0, []))[1]
study = sections.get("the caching study on baseline", (0, []))[1]
load = sections.get(load_title, (0, []))[1]
def count(section, needle):
    return sum(needle in l for l in section)
check(count(load, "ms  COPY ") == 1, "the COPY load echoed, by its child")
check(count(variant, "ms  COPY ") == 0, "no COPY among the parent's own statements")
check(count(variant, "ms  EXPLAIN (ANALYZE, BUFFERS) ") == 3, "the three plans echoed")
check(count(variant, "ms  PREPARE AS SELECT ") == 3, "each read prepared once, echoed")
check(count(variant, 'WHERE "name" = $1  -- $1=\'product ') == 1 + 1 + 3,
      "the name lookup: its plan, the checked warm-up and 3 executions, each with its value")
check(count(variant, "ms  DEALLOCATE ") == 3, "each read's statement deallocated, echoed")
check(count(study, "ms  PREPARE AS ") == 2 and count(study, "ms  DEALLOCATE wb_cache_") == 2,
      "the caching study's two prepared statements, prepared and deallocated")
check(count(study, "-- $1='") >= 30, "the caching study's lookups echoed with their keys")
PY

# ---- every_feature: three tables, composite indexes, three foreign keys ----------------
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
SCHEMA_E="wbprofile_every_$$"
run_wb profile --db "$BASE" --schema "$SCHEMA_E" --workload "$EVERY" --rows 300 --repeat 3 --load-repeat 1 \
    --cache-lookups 50 --results "$dir/res-every"
check_eq "profile every_feature on PostgreSQL exits 0 (every read of every variant checked)" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" <<'PY'
import re
out = open(sys.argv[1]).read()
listed = re.search(r"reads \(from the workload's keys, indexes and foreign keys\):\n((?:  .*\n)+)", out)
names = [l.split()[0] for l in listed.group(1).splitlines()] if listed else []
check(names == ["by-key:customers", "by-unique:customers(email)", "by-unique:customers(code+region)",
                "by-prefix:customers(region)", "by-prefix:customers(code)",
                "by-key:orders", "by-prefix:orders(customer_id)", "join-parent:orders.customer_id",
                "join-children:orders.customer_id",
                "by-key:order_items", "by-unique:order_items(order_id+customer_id)", "by-prefix:order_items(order_id)",
                "join-parent:order_items.order_id", "join-children:order_items.order_id",
                "join-parent:order_items.customer_id", "join-children:order_items.customer_id"],
      "the reads derived from every_feature's keys, indexes and foreign keys: %s" % names)
variants = re.findall(r"^== (\S+): ", out, re.M)
check(variants == ["baseline", "without:customers_email_key", "without:customers_region_code_idx",
                   "without:customers_code_region_key", "without:customers_check", "without:orders_customer_id_idx",
                   "without:orders_customer_id_fkey", "without:order_items_order_id_customer_id_key",
                   "without:order_items_check", "without:order_items_order_id_fkey",
                   "without:order_items_customer_id_fkey", "with:order_items_customer_id_idx"],
      "the variants, every one of them run: %s" % variants)
for name in names:
    n = len(re.findall(r"^read %s: mean " % re.escape(name), out, re.M))
    check(n == len(variants), "%s: a latency line in each of the %d variants (%d)" % (name, len(variants), n))
for line in ("  CHECK (credit >= 0) and 1 more: load ", "  CHECK (amount >= 0): load ",
             "  foreign key orders.customer_id: load ", "  foreign key order_items.order_id: load ",
             "  foreign key order_items.customer_id: load ", "  index order_items_customer_id_idx (candidate): load "):
    check(line in out, "the trade-off line %r is measured" % line.strip())
PY
run=$(run_dir_in "$dir/res-every")
py_checks "$run/profile.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
base = {r["read"]: r for r in rows if r["variant"] == "baseline"}
want = {"by-prefix:orders(customer_id)": 60, "join-children:orders.customer_id": 60,
        "by-prefix:order_items(order_id)": 3, "join-children:order_items.order_id": 3,
        "join-children:order_items.customer_id": 1, "by-prefix:customers(code)": 1}
for name, r in base.items():
    expected = want.get(name, 1 if r["read_kind"] in ("by-key", "by-unique", "join-parent") else None)
    if expected is not None:
        check(r["rows_checked"] == str(expected), "%s: %d rows checked, got %s" % (name, expected, r["rows_checked"]))
check(len(base) == 16 and all(int(r["rows_checked"]) >= 1 for r in rows),
      "16 reads, every one of every variant checked its rows")
check(all("Execution Time" in r["plan"] for r in rows), "every plan is EXPLAIN ANALYZE output")
PY
check_leaves_setup "after profile every_feature (CHECKs and three foreign keys dropped, a candidate made)" \
    "$SCHEMA_E" "$EVERY"

# ---- SIGTERM in the middle: exit 143, the tables back --------------------------
# A million executions of each read: the profile is still measuring when the signal
# comes (reads stop at the next execution), wherever it lands after "baseline: start".
# interrupt_profile NAME ARGS...: run profile ARGS in the background, SIGTERM it once
# its run.log says the baseline started, wait; sets TERM_RC and TERM_RUN.
interrupt_profile() {
    local name=$1 pid started=0
    shift
    "$WB_BIN" profile "$@" --results "$dir/res-$name" </dev/null >"$dir/$name.out" 2>"$dir/$name.err" &
    pid=$!
    track_pid "$pid"
    for _ in $(seq 1200); do # at most about two minutes (a pg-temp cluster starts first)
        if grep -qs "baseline: start" "$dir/res-$name"/*/run.log; then started=1; break; fi
        sleep 0.1
    done
    check_eq "$name: the profile reached its baseline" 1 "$started"
    kill -TERM "$pid"
    wait "$pid"
    TERM_RC=$?
    TERM_RUN=$(run_dir_in "$dir/res-$name")
}
interrupt_profile term --db "$BASE" --schema "$SCHEMA" --workload products --rows 500 --repeat 1000000 \
    --load-repeat 1 --cache-lookups 30
check_eq "SIGTERM: exit 143" 143 "$TERM_RC"
check_eq "SIGTERM: one line on stderr" "writebench profile: interrupted by the user; the tables are back as setup makes them" \
    "$(cat "$dir/term.err")"
check "SIGTERM: run.log says so" grep -q "profile interrupted by the user" "$TERM_RUN/run.log"
check_leaves_setup "after SIGTERM" "$SCHEMA" products

# ---- --db pg-temp: ------------------------------------------------------------------
run_wb profile --db pg-temp: --workload products --rows 300 --repeat 2 --load-repeat 2 --cache-lookups 30 \
    --results "$dir/res-temp"
check_eq "pg-temp: profile exits 0" 0 "$WB_RC" || show_wb_output
check_contains "pg-temp: says it starts a throwaway cluster" "$(cat "$WB_ERR")" "starting a throwaway PostgreSQL cluster"
check_contains "pg-temp: loads with copy-binary" "$(cat "$WB_OUT")" "loaded with copy-binary"
check_contains "pg-temp: the trade-off is measured" "$(cat "$WB_OUT")" "  CHECK (price >= 0): load "
run=$(run_dir_in "$dir/res-temp")
check "pg-temp: profile.csv written" test -s "$run/profile.csv"
check "pg-temp: run.conf names the backend" grep -q '^backend = postgresql$' "$run/run.conf"
check_cluster_gone "pg-temp" "$run"

interrupt_profile temp-term --db pg-temp: --workload products --rows 300 --repeat 1000000 --load-repeat 1 --no-cache
check_eq "pg-temp, SIGTERM: exit 143" 143 "$TERM_RC"
check_cluster_gone "pg-temp, SIGTERM" "$TERM_RUN"

run_wb drop --db "$BASE" --schema "$SCHEMA" --workload products
run_wb drop --db "$BASE" --schema "$SCHEMA_U" --workload users
run_wb drop --db "$BASE" --schema "$SCHEMA_E" --workload "$EVERY"
for schema in "$SCHEMA" "$SCHEMA_U" "$SCHEMA_E" "wbsetup_products_$$" "wbsetup_users_$$" "wbsetup_every_feature_$$"; do
    psql "$BASE" -X -q -c "DROP SCHEMA IF EXISTS \"$schema\" CASCADE" >/dev/null 2>&1
done
finish
