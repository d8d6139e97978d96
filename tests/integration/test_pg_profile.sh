# Integration test of `writebench profile` on PostgreSQL (issue 5): at small N,
# after the load and ANALYZE, the EXPLAIN (ANALYZE, BUFFERS) plan of the
# category read uses products_category_idx in the baseline and does not in the
# variant without it (asserted on the plan text, never on timings); every read
# of products and users has its plan printed and recorded; CHECK and the
# foreign key are dropped for real (their variants run); the caching study
# runs on PostgreSQL too (stale reads without invalidation, none with it).
# --echo prints profile's own libpq statements (PREPARE, each execution with its
# values, EXPLAIN, the caching study's statements, DEALLOCATE) and summaries that
# count exactly the lines printed before them.
#
# 5000 products over 100 categories: a category is 1% of the table, which the
# planner serves from the index (a bitmap or index scan) once ANALYZE has run;
# no enable_seqscan tweak is needed.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture

SCHEMA="wbprofile_$$"
dir=$(make_temp_dir)

run_wb profile --db "$BASE" --schema "$SCHEMA" --workload products --rows 5000 --repeat 5 \
    --load-repeat 1 --cache-lookups 1000 --results "$dir/res"
check_eq "profile products on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "loads with copy-binary by default" "$out" "loaded with copy-binary"
for variant in baseline without:products_name_key without:products_category_idx without:products_check \
    with:products_price_idx; do
    check_contains "variant $variant ran" "$out" "== $variant:"
done
check_contains "EXPLAIN ANALYZE output printed" "$out" "plan: Execution Time:"
check_contains "BUFFERS output printed" "$out" "Buffers: shared hit="
check_contains "CHECK's trade-off line is measured" "$out" "  CHECK (price >= 0): load "
run=$(run_dir_in "$dir/res")
check "run.conf names the backend" grep -q '^backend = postgresql$' "$run/run.conf"
py_checks "$run/profile.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
plan = {(r["variant"], r["read"]): r["plan"] for r in rows}
variants = ["baseline", "without:products_name_key", "without:products_category_idx", "without:products_check",
            "with:products_price_idx"]
reads = ["by-name", "by-category", "price-above", "count-per-category"]
check(sorted(plan) == sorted((v, r) for v in variants for r in reads), "one row per (variant, read)")
base = plan[("baseline", "by-category")]
without = plan[("without:products_category_idx", "by-category")]
print("baseline by-category plan:\n" + base)
print("without-index by-category plan:\n" + without)
check("products_category_idx" in base, "with the index, the category read's plan uses products_category_idx")
check("products_category_idx" not in without, "without it, the plan does not mention it")
check("Seq Scan on products" in without, "without it, a sequential scan")
check("products_price_idx" in plan[("with:products_price_idx", "price-above")]
      or "Seq Scan" in plan[("with:products_price_idx", "price-above")], "candidate price plan recorded")
check(all("Execution Time" in p for p in plan.values()), "every plan is EXPLAIN ANALYZE output")
PY
py_checks "$run/cache.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
by = {r["path"]: r for r in rows}
check(all(r["backend"] == "postgresql" for r in rows) and len(rows) == 5, "cache.csv: five postgresql rows")
check(int(by["update-no-invalidate"]["stale_reads"]) > 0, "stale reads without invalidation")
check(by["update-invalidate"]["stale_reads"] == "0", "no stale read with invalidation")
PY

run_wb profile --db "$BASE" --schema "$SCHEMA" --workload users --rows 2000 --repeat 5 --load-repeat 1 \
    --no-cache --results "$dir/res-u"
check_eq "profile users on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "the foreign key is dropped and measured" "$out" "  foreign key address.user_id: load "
check_contains "the join uses the candidate index" "$out" "address_user_id_idx"
check_contains "the prefix read can use the C-collation candidate" "$out" "user_account_name_idx"

run_wb profile --db "$BASE" --schema "$SCHEMA" --workload products --rows 500 --repeat 3 --load-repeat 1 \
    --baseline-only --cache-lookups 30 --echo --results "$dir/res-e"
check_eq "profile --echo on PostgreSQL exits 0" 0 "$WB_RC" || show_wb_output
check "--echo: stdout has no echo line" bash -c "! grep -q 'echo\]' '$WB_OUT'"
py_checks "$WB_ERR" <<'PY'
import re
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("[echo] ")]
sections, current = {}, []
for l in lines:
    m = re.match(r"\[echo\] summary of (.*): (\d+) statements", l)
    if m:
        sections[m.group(1)] = (int(m.group(2)), current)
        current = []
    elif re.match(r"\[echo\] +[\d.]+ ms  ", l):
        current.append(l)
check(sorted(sections) == ["the caching study on baseline", "the set-up (server version and settings)",
                           "the variant baseline"], "three summaries: %s" % sorted(sections))
for title, (total, section) in sections.items():
    check(total == len(section), "%s: the summary counts the %d lines printed before it (says %d)" % (title, len(section), total))
variant = sections.get("the variant baseline", (0, []))[1]
study = sections.get("the caching study on baseline", (0, []))[1]
def count(section, needle):
    return sum(needle in l for l in section)
check(count(variant, "ms  COPY ") >= 1, "the COPY load echoed")
check(count(variant, "ms  EXPLAIN (ANALYZE, BUFFERS) ") == 4, "the four plans echoed")
check(count(variant, "ms  PREPARE AS SELECT ") == 4, "each read prepared once, echoed")
check(count(variant, "WHERE name = $1  -- $1='product ") == 1 + 1 + 3,
      "by-name: its plan, the warm-up and 3 executions, each with its value")
check(count(variant, "ms  DEALLOCATE ") == 4, "each read's statement deallocated, echoed")
check(count(study, "ms  PREPARE AS ") == 2 and count(study, "ms  DEALLOCATE wb_cache_") == 2,
      "the caching study's two prepared statements, prepared and deallocated")
check(count(study, "-- $1='") >= 30, "the caching study's lookups echoed with their keys")
PY

run_wb drop --db "$BASE" --schema "$SCHEMA" --workload products
run_wb drop --db "$BASE" --schema "$SCHEMA" --workload users
psql "$BASE" -X -q -c "DROP SCHEMA IF EXISTS \"$SCHEMA\" CASCADE" >/dev/null 2>&1
finish
