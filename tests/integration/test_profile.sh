# Integration test of `writebench profile` on SQLite (issue 5, items 2, 3 and 5):
#  1. products and users at small N: exit 0, the reads derived from each
#     workload's keys, indexes and foreign keys listed, every read's latency line
#     and its EXPLAIN QUERY PLAN text printed for every variant, the index
#     trade-off table printed (CHECK "not droppable on SQLite", the foreign key
#     with enforcement off);
#  2. the plans change with the variant: the category read searches
#     products_category_idx in the baseline and scans without it; the join from a
#     user to its addresses uses the candidate address_user_id_idx;
#  3. the run directory holds run.conf, code.diff, run.log and profile.csv with
#     the documented header and one row per (variant, read);
#  4. the caching study runs after the baseline: its three paths and both update
#     passes printed, cache.csv with its documented header, stale reads counted
#     without invalidation and none with it (--no-cache skips it);
#  5. --report writes a well-formed report.html with both tables;
#  6. --echo prints profile's own statements (each plan, each execution of each read,
#     the caching study's lookups) with durations, and a summary after the set-up,
#     the variant and the caching study, each counting exactly the lines printed
#     since the one before; stdout does not change; without --echo, no echo line;
#  7. bad input: one line, exit 2;
#  8. every effect in the trade-off table is a percentage judged against the noise
#     of its repeats or "no significant difference" (with 2 loads a variant), or
#     says it is not judged (1 load); profile.csv keeps the same judgement;
#  9. every_feature (three tables, composite indexes, three foreign keys): the
#     list of its reads asserted whole, every read run and its warm-up checked
#     against the generator row by row in every variant (the rows checked counted
#     as the definitions say), its variants (every foreign key's enforcement off
#     at once, the candidate on order_items.customer_id) measured;
# 10. nothing of profile's own is left behind: after a normal end, after a load
#     that crashes, after a load killed at --timeout and after SIGTERM, the
#     file's sqlite_master is exactly what `setup` of the workload makes (no
#     candidate index, no dropped index, no sqlite_stat1); the crash and the
#     timeout are one line on stderr and in run.log, exit 1; SIGTERM exits 143, as run.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
ROWS=2000
REPEAT=5

# The schema of a SQLite file as sqlite_master has it, one sorted line per object.
sqlite_schema() {
    python3 - "$1" <<'PY'
import sqlite3, sys
for row in sorted(sqlite3.connect(sys.argv[1]).execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master")):
    print("|".join(row))
PY
}
# setup's schema of a workload, made once in a fresh file: what profile must leave.
setup_schema() {
    local file
    file="$dir/setup-$(basename "$1").db"
    [[ -e "$file" ]] || "$WB_BIN" setup --db "sqlite:///$file" --workload "$1" >/dev/null 2>&1
    sqlite_schema "$file"
}
# check_leaves_setup WHAT FILE WORKLOAD: the file holds exactly what setup makes.
check_leaves_setup() {
    local got want
    got=$(sqlite_schema "$2")
    want=$(setup_schema "$3")
    check_eq "$1: sqlite_master is what setup of $3 makes" "$want" "$got"
}

# ---- products ------------------------------------------------------------------
run_wb profile --db "sqlite:///$dir/p.db" --workload products --rows $ROWS --repeat $REPEAT \
    --load-repeat 2 --cache-lookups 2000 --zipf 1.2 --report --results "$dir/res-p"
check_eq "profile products exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
for variant in baseline without:products_name_key without:products_category_idx without:products_check; do
    check_contains "variant $variant printed" "$out" "== $variant:"
done
check "no candidate index for products (no foreign key wants one)" bash -c "! grep -q '^== with:' '$WB_OUT'"
check_contains "the reads are listed" "$out" "reads (from the workload's keys, indexes and foreign keys):
  by-key:products  one products row by its key id
  by-unique:products(name)  one products row by its unique (name), index products_name_key
  by-prefix:products(category)  every products row with the (category) of one row, index products_category_idx
"
for read in 'by-key:products' 'by-unique:products(name)' 'by-prefix:products(category)'; do
    check_eq "read $read: a latency line per variant run (3)" 3 \
        "$(grep -cF "read $read: mean " "$WB_OUT")"
done
check "every latency line says how many rows were checked" bash -c \
    "! grep '^read ' '$WB_OUT' | grep -vE ' us \\([0-9]+ executions, [0-9.]+ rows each, [0-9]+ rows checked\\)\$'"
check_contains "baseline by-name plan uses the unique index" "$out" "plan: SEARCH products USING INDEX products_name_key (name=?)"
check_eq "plan lines for every read of every variant (at least 9)" 1 \
    "$(( $(grep -c '^    plan: ' "$WB_OUT") >= 9 ))"
check_contains "the trade-off table" "$out" "index trade-off"
check_contains "the trade-off line of the category index" "$out" "  index products_category_idx: load "
# An effect judged against the noise: a signed percentage or "no significant difference".
JUDGED='([+-][0-9]+\.[0-9]%|no significant difference)'
check "the category index line names its read, each effect judged" \
    grep -Eq "^  index products_category_idx: load $JUDGED, .*read by-prefix:products\(category\) $JUDGED(,|\$)" "$WB_OUT"
check "every effect of every trade-off line is judged (2 loads, $REPEAT executions a side)" python3 - "$WB_OUT" <<'PY'
import re, sys
lines = [l for l in open(sys.argv[1]) if re.match(r"  (unique index|index) ", l)]
effect = r"([+-]\d+\.\d%|no significant difference)"
ok = len(lines) == 2 and all(re.fullmatch(r"  .*?: load %s(, read [^ ]+ %s)+\n" % (effect, effect), l) for l in lines)
sys.exit(0 if ok else 1)
PY
check_contains "the table says how effects are judged" "$out" '"no significant difference" when Welch'"'"'s t-test on the repeats finds none at 95%'
check_contains "the end says the tables are back as setup makes them" "$out" "database: sqlite:///$dir/p.db holds the workload's tables as setup makes them (empty)"
check_leaves_setup "after profile products (two indexes dropped, ANALYZE run)" "$dir/p.db" products
check_contains "setup's schema holds the workload's own indexes" "$(setup_schema products)" "index|products_category_idx|"
check_contains "CHECK is not droppable on SQLite" "$out" "CHECK (price >= 0): not droppable on SQLite"
check "without --echo, no echo line" bash -c "! grep -q '^\[echo\]' '$WB_ERR'"

run=$(run_dir_in "$dir/res-p")
check "one run directory" test -n "$run"
for f in run.conf code.diff run.log profile.csv; do
    check "$f in the run directory" test -s "$run/$f"
done
check "--report wrote report.html" test -s "$run/report.html"
check_contains "--report printed its path" "$out" "report: $run/report.html"
py_checks "$run/report.html" <<'PY'
import xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
check(True, "report.html is well-formed XML")
tables = doc.getElementsByTagName("table")
classes = [t.getAttribute("class") for t in tables]
check(classes == ["profile", "cache"], "a latency table and a cache table: %s" % classes)
heads = [th.firstChild.data for th in tables[0].getElementsByTagName("th")]
check("effect on the load" in heads and "effect on the read" in heads, "the effect columns: %s" % heads)
rows = tables[0].getElementsByTagName("tr")
check(len(rows) == 1 + 9, "a row per (variant, read) plus the header: %d" % len(rows))
check(len(tables[1].getElementsByTagName("tr")) == 1 + 5, "five cache rows plus the header")
check("SEARCH products USING INDEX products_category_idx" in doc.toxml(), "plans are in the report")
PY
check "run.conf names the loading strategy" grep -q '^strategy = values-multirow$' "$run/run.conf"
py_checks "$run/profile.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(header == ["run_id", "backend", "workload", "rows", "strategy", "variant", "read", "repetitions",
                 "rows_returned", "mean_us", "p50_us", "p95_us", "p99_us", "load_s", "load_repetitions",
                 "plan", "load_change_pct", "load_p", "load_verdict", "read_change_pct", "read_p",
                 "read_verdict", "read_kind", "read_table", "read_columns", "rows_checked"],
      "profile.csv header is the documented one: %s" % header)
variants = ["baseline", "without:products_name_key", "without:products_category_idx"]
reads = ["by-key:products", "by-unique:products(name)", "by-prefix:products(category)"]
pairs = [(r["variant"], r["read"]) for r in rows]
check(sorted(pairs) == sorted((v, r) for v in variants for r in reads), "one row per (variant, read): %s" % pairs)
check(all(r["backend"] == "sqlite" and r["workload"] == "products" and r["rows"] == "2000" for r in rows),
      "backend, workload, rows filled")
check(all(r["repetitions"] == "5" and float(r["p50_us"]) > 0 and float(r["p99_us"]) >= float(r["p50_us"])
          for r in rows), "latencies filled and ordered")
check(all(float(r["load_s"]) > 0 for r in rows), "load time filled")
plan = {(r["variant"], r["read"]): r["plan"] for r in rows}
cat = "by-prefix:products(category)"
check("USING INDEX products_category_idx" in plan[("baseline", cat)], "baseline: category read uses the index")
check("products_category_idx" not in plan[("without:products_category_idx", cat)]
      and "SCAN products" in plan[("without:products_category_idx", cat)], "without it: a scan")
byname = [r for r in rows if r["read"] == "by-unique:products(name)"]
check(all(float(r["rows_returned"]) == 1.0 and r["rows_checked"] == "1" for r in byname),
      "the unique name lookup returns one row every time, checked")
kinds = {r["read"]: (r["read_kind"], r["read_table"], r["read_columns"]) for r in rows}
check(kinds == {"by-key:products": ("by-key", "products", "id"),
                "by-unique:products(name)": ("by-unique", "products", "name"),
                cat: ("by-prefix", "products", "category")}, "each read's kind, table and columns: %s" % kinds)
# 2000 products over 100 categories: 20 a category, every one checked
check(all(r["rows_checked"] == "20" for r in rows if r["read"] == cat), "the category read: 20 rows checked")
effects = ["load_change_pct", "load_p", "load_verdict", "read_change_pct", "read_p", "read_verdict"]
check(all(r[c] == "" for r in rows if r["variant"] == "baseline" for c in effects),
      "the baseline has no effect of its own: empty effect columns")
others = [r for r in rows if r["variant"] != "baseline"]
for side in ("load", "read"):
    check(all(r[side + "_verdict"] in ("significant", "no significant difference") for r in others),
          "%s: every variant's effect judged (2 loads, 5 executions a side): %s"
          % (side, sorted(set(r[side + "_verdict"] for r in others))))
    check(all((float(r[side + "_p"]) < 0.05) == (r[side + "_verdict"] == "significant") for r in others),
          "%s: significant exactly when Welch's p < 0.05" % side)
    check(all(r[side + "_change_pct"] != "" for r in others), "%s: the change is kept" % side)
load_p50 = {r["variant"]: float(r["load_s"]) for r in rows}
removed = [r for r in others if r["variant"] == "without:products_category_idx"][0]
want = (load_p50["baseline"] / load_p50["without:products_category_idx"] - 1) * 100
check(abs(float(removed["load_change_pct"]) - want) < 0.01 * max(1, abs(want)),
      "a removed index's load change is the baseline's median over the variant's: %s vs %.3f"
      % (removed["load_change_pct"], want))
PY
check_contains "the caching study printed" "$out" "caching study: products, 2000 rows, Zipf s = 1.20"
check "the cached path's hit ratio printed" grep -Eq '^  cached +2000 lookups, .* hit ratio 0\.[0-9]+' "$WB_OUT"
py_checks "$run/cache.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(header == ["run_id", "backend", "workload", "table", "rows", "zipf_s", "seed", "capacity", "distinct_keys",
                 "path", "lookups", "hits", "hit_ratio", "mean_us", "p50_us", "p95_us", "p99_us", "speedup",
                 "updates", "stale_reads", "stale_ratio"], "cache.csv header is the documented one: %s" % header)
by = {r["path"]: r for r in rows}
check(sorted(by) == ["cached", "plain", "prepared", "update-invalidate", "update-no-invalidate"], "five rows: %s" % sorted(by))
check(by["plain"]["speedup"] == "1.0000" and float(by["cached"]["hit_ratio"]) > 0, "speedup and hit ratio filled")
check(int(by["update-no-invalidate"]["stale_reads"]) > 0, "stale reads without invalidation")
check(by["update-invalidate"]["stale_reads"] == "0", "no stale read with invalidation")
check(by["plain"]["capacity"] == "200" and by["plain"]["zipf_s"] == "1.2000", "capacity (rows/10) and exponent recorded")
PY

# ---- users ---------------------------------------------------------------------
TMPDIR="$dir" run_wb profile --workload users --rows $ROWS --repeat $REPEAT --load-repeat 1 --no-cache \
    --results "$dir/res-u"
check_eq "profile users (default --db) exits 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
for read in by-key:user_account by-key:address join-parent:address.user_id join-children:address.user_id; do
    check_eq "read $read: a latency line per variant (3)" 3 "$(grep -cF "read $read: mean " "$WB_OUT")"
done
check_contains "the foreign key runs with enforcement off on SQLite" "$out" "PRAGMA foreign_keys=OFF"
check_contains "the foreign key's trade-off line" "$out" "  foreign key address.user_id: load "
check_contains "the join from a user to its addresses uses the candidate index" "$out" \
    "SEARCH c USING INDEX address_user_id_idx (user_id=?)"
run=$(run_dir_in "$dir/res-u")
check "--no-cache: no caching study" test ! -e "$run/cache.csv"
check_eq "users profile.csv: 3 variants x 4 reads + header" 13 "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$run/profile.csv")"
check "1 load a variant: the load's effect is shown but not judged" grep -Eq \
    '^  foreign key address.user_id: load [+-][0-9.]+% \(not judged: fewer than 2 samples a side\), read by-key:user_account ' "$WB_OUT"
py_checks "$run/profile.csv" <<'PY'
_, rows, _ = read_csv(sys.argv[1])
others = [r for r in rows if r["variant"] != "baseline"]
check(others and all(r["load_verdict"] == "not judged" and r["load_p"] == "" for r in others),
      "profile.csv: a load of 1 sample a side is 'not judged', with no p")
PY
users_db=$(sed -n 's|^database: sqlite://\(.*\) holds the workload.*|\1|p' "$WB_OUT")
check "the default database is named at the end" test -f "$users_db"
check_leaves_setup "after profile users (the foreign key's variant, a candidate)" "$users_db" users

TMPDIR="$dir" run_wb profile --baseline-only --rows 100 --repeat 2 --load-repeat 1 --cache-lookups 100 --results "$dir/res-b"
check_eq "--baseline-only exits 0" 0 "$WB_RC" || show_wb_output
check "--baseline-only prints no trade-off" bash -c "! grep -q 'index trade-off' '$WB_OUT'"

TMPDIR="$dir" run_wb profile --strategy fastest --baseline-only --no-cache --rows 300 --repeat 2 --load-repeat 1 \
    --results "$dir/res-f"
check_eq "--strategy fastest exits 0" 0 "$WB_RC" || show_wb_output
check_contains "--strategy fastest says so" "$(cat "$WB_OUT")" "choosing the fastest insert strategy at 300 rows:"
chosen=$(sed -n 's/^profile .* rows loaded with \([a-z-]*\) .*/\1/p' "$WB_OUT")
check "the chosen strategy ($chosen) was among those timed" grep -Eq "^  $chosen: [0-9.]+ s$" "$WB_OUT"
check "no slow strategy is tried" bash -c "! grep -q '^  single-autocommit' '$WB_OUT'"
run=$(run_dir_in "$dir/res-f")
check "run.conf records the chosen strategy" grep -q "^strategy = $chosen$" "$run/run.conf"
check "run.log records the strategies tried" grep -q -- "--strategy fastest: $chosen: " "$run/run.log"

# A statistics table that was there before profile stays; the ones its ANALYZE makes go.
"$WB_BIN" setup --db "sqlite:///$dir/stats.db" --workload products >/dev/null 2>&1
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("ANALYZE"); c.commit()' "$dir/stats.db"
check "ANALYZE made sqlite_stat1 before the profile" grep -q "sqlite_stat1" <(sqlite_schema "$dir/stats.db")
run_wb profile --db "sqlite:///$dir/stats.db" --baseline-only --no-cache --rows 100 --repeat 2 --load-repeat 1 \
    --results "$dir/res-stats"
check_eq "profile on a file with statistics exits 0" 0 "$WB_RC" || show_wb_output
check "sqlite_stat1, there before, is kept" grep -q "^table|sqlite_stat1|" <(sqlite_schema "$dir/stats.db")

# ---- --echo ----------------------------------------------------------------------
TMPDIR="$dir" run_wb profile --baseline-only --rows 200 --repeat 4 --load-repeat 1 --cache-lookups 30 --echo \
    --results "$dir/res-e"
check_eq "profile --echo exits 0" 0 "$WB_RC" || show_wb_output
check "--echo: stdout has no echo line" bash -c "! grep -q 'echo\]' '$WB_OUT'"
check "--echo: stdout still has the reads" grep -qF 'read by-unique:products(name): mean ' "$WB_OUT"
py_checks "$WB_ERR" <<'PY'
import re
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("[echo] ")]
# Sections: the statement lines up to each summary's header, whose total must match.
sections, current, summaries = [], [], {}
for i, l in enumerate(lines):
    m = re.match(r"\[echo\] summary of (.*): (\d+) statements, (\d+) distinct", l)
    if m:
        sections.append((m.group(1), int(m.group(2)), current))
        current = []
        rows = summaries[m.group(1)] = {}
        for r in lines[i + 2:]:
            rm = re.match(r"\[echo\] +(\d+) +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+  (.*)", r)
            if not rm:
                break
            rows[rm.group(2)] = int(rm.group(1))
    elif re.match(r"\[echo\] +[\d.]+ ms  ", l):
        current.append(l)
titles = [t for t, _, _ in sections]
load_title = "this test (products, 200 rows, 1 connection)"
check(titles == ["the set-up (server version and settings)", "the schema for baseline", load_title,
                 "the variant baseline", "the caching study on baseline",
                 "the clean-up (the tables as setup makes them)"],
      "a summary after the set-up, the schema, the load (its child's), the variant, the caching study and "
      "the clean-up: %s" % titles)
# The load's child echoes its readings of the database after its own summary (as a
# run's test does): printed, counted in no summary.
readings = re.compile(r"\[echo\] +[\d.]+ ms  PRAGMA (page_count|freelist_count|page_size)$")
for k, (title, total, section) in enumerate(sections):
    after_child = k > 0 and sections[k - 1][0] == load_title
    extra = sum(bool(readings.match(l)) for l in section) if after_child else 0
    check(total == len(section) - extra, "%s: the summary counts the %d lines printed before it (says %d; %d "
          "readings of the load's child)" % (title, len(section), total, extra))
check(not current, "no statement line after the last summary: %d" % len(current))
variant = dict((t, s) for t, _, s in sections).get("the variant baseline", [])
load = dict((t, s) for t, _, s in sections).get(load_title, [])
def count(section, needle):
    return sum(needle in l for l in section)
check(count(variant, 'ms  SELECT "id", "name", "category", "price" FROM "products" WHERE "name" = \'') == 1 + 4,
      "by-unique:products(name): the checked warm-up and 4 executions echoed, each with its value")
check(count(variant, "ms  EXPLAIN QUERY PLAN ") == 3, "the three plans echoed")
check(count(load, 'ms  INSERT INTO "products"') >= 1, "the load echoed, by its child")
check(count(variant, 'ms  INSERT INTO "products"') == 0, "no load statement in the parent's own")
rows = summaries.get("the variant baseline", {})
by_name = rows.get('SELECT "id", "name", "category", "price" FROM "products" WHERE "name" = ?1')
check(by_name == 5, "the summary counts the name lookup 5 times: %s" % by_name)
study = dict((t, s) for t, _, s in sections).get("the caching study on baseline", [])
check(count(study, 'WHERE "id" = ') >= 30, "the caching study's lookups echoed: %d" % count(study, 'WHERE "id" = '))
PY

# ---- every_feature: three tables, composite indexes, three foreign keys ----------------
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"
run_wb profile --db "sqlite:///$dir/every.db" --workload "$EVERY" --rows 300 --repeat 3 --load-repeat 1 \
    --cache-lookups 50 --results "$dir/res-every"
check_eq "profile every_feature exits 0 (every read of every variant checked)" 0 "$WB_RC" || show_wb_output
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
                   "without:foreign_keys", "without:order_items_order_id_customer_id_key",
                   "without:order_items_check", "with:order_items_customer_id_idx"], "the variants: %s" % variants)
ran = len(variants) - 2  # the two CHECK variants are not droppable on SQLite
for name in names:
    n = len(re.findall(r"^read %s: mean " % re.escape(name), out, re.M))
    check(n == ran, "%s: a latency line in each of the %d variants that ran (%d)" % (name, ran, n))
check("  every foreign key (3): load " in out, "the foreign keys' trade-off line (enforcement off)")
check("  index order_items_customer_id_idx (candidate): load " in out, "the candidate's trade-off line")
check("plan: SEARCH c USING INDEX order_items_customer_id_idx (customer_id=?)" in out,
      "the candidate serves the join from a customer to its order items")
PY
run=$(run_dir_in "$dir/res-every")
py_checks "$run/profile.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
base = {r["read"]: r for r in rows if r["variant"] == "baseline"}
check(len(base) == 16, "16 reads in the baseline: %d" % len(base))
# what each read must return at 300 rows, from the definitions: orders.customer_id is
# (k - 1) % 5 + 1 (60 orders a customer), order_items.order_id (k - 1) / 3 + 1 (3 items
# an order), order_items.customer_id k (one item a customer), code "C-" || k (unique)
want = {"by-prefix:orders(customer_id)": 60, "join-children:orders.customer_id": 60,
        "by-prefix:order_items(order_id)": 3, "join-children:order_items.order_id": 3,
        "join-children:order_items.customer_id": 1, "by-prefix:customers(code)": 1}
for name, r in base.items():
    expected = want.get(name, 1 if r["read_kind"] in ("by-key", "by-unique", "join-parent") else None)
    if expected is None:
        check(int(r["rows_checked"]) >= 1, "%s: rows checked (%s)" % (name, r["rows_checked"]))
    else:
        check(r["rows_checked"] == str(expected), "%s: %d rows checked, got %s" % (name, expected, r["rows_checked"]))
check(all(int(r["rows_checked"]) >= 1 for r in rows), "every read of every variant checked its rows")
check(base["join-children:orders.customer_id"]["read_table"] == "customers"
      and base["join-children:orders.customer_id"]["read_columns"] == "customer_id", "a join's table and column")
PY
check_leaves_setup "after profile every_feature (three foreign keys off, a candidate made)" "$dir/every.db" "$EVERY"

# ---- a load that crashes, one that hangs past --timeout, SIGTERM: nothing left behind --
# The test-only strategies (WRITEBENCH_TEST_STRATEGIES=1) write half the rows, then die
# of SIGSEGV or never return. The load runs in a child: profile outlives it, says so
# in one line, and puts the tables back.
for case in "test-crash|crashed: killed by signal 11" "test-hang|timeout: killed after 0.2 s"; do
    strategy=${case%%|*} said=${case#*|}
    WRITEBENCH_TEST_STRATEGIES=1 run_wb profile --db "sqlite:///$dir/$strategy.db" --rows 200 --repeat 2 \
        --load-repeat 1 --no-cache --strategy $strategy --timeout 0.2 --results "$dir/res-$strategy"
    check_eq "$strategy: exit 1" 1 "$WB_RC" || show_wb_output
    check_eq "$strategy: one line on stderr" 1 "$(wc -l <"$WB_ERR")"
    check_contains "$strategy: the line says what happened to the load" "$(cat "$WB_ERR")" \
        "writebench profile: baseline: loading with $strategy: $said"
    run=$(run_dir_in "$dir/res-$strategy")
    check "$strategy: run.log records it" grep -q "baseline: failed: loading with $strategy: $said" "$run/run.log"
    check "$strategy: run.log records the clean-up" grep -q "tables reset to the workload's own schema" "$run/run.log"
    check_leaves_setup "after a load that $strategy" "$dir/$strategy.db" products
    check "$strategy: the tables are empty again" test "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM products").fetchone()[0])' "$dir/$strategy.db")" = 0
done

# SIGTERM while the load hangs (no --timeout to end it): exit 143 (128 + SIGTERM, as run), the child gone, the
# tables back. The handler is in place before run.log's "baseline: start".
WRITEBENCH_TEST_STRATEGIES=1 "$WB_BIN" profile --db "sqlite:///$dir/term.db" --rows 200 --repeat 2 --load-repeat 1 \
    --no-cache --strategy test-hang --results "$dir/res-term" </dev/null >"$dir/term.out" 2>"$dir/term.err" &
pid=$!
track_pid "$pid"
started=0
for _ in $(seq 600); do # at most about a minute
    if grep -qs "baseline: start" "$dir"/res-term/*/run.log; then started=1; break; fi
    sleep 0.1
done
check_eq "SIGTERM: the profile reached its first load" 1 "$started"
kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM: exit 143" 143 "$?"
check_eq "SIGTERM: one line on stderr" "writebench profile: interrupted by the user; the tables are back as setup makes them" \
    "$(cat "$dir/term.err")"
check "SIGTERM: run.log says so" grep -qs "profile interrupted by the user" "$dir"/res-term/*/run.log
left=""
for proc in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qF -- "$dir/term.db" && left+=" ${proc#/proc/}"
done
check_eq "SIGTERM: no process of the profile is left (the hanging load was killed)" "" "$left"
check_leaves_setup "after SIGTERM during a load" "$dir/term.db" products

# ---- bad input -------------------------------------------------------------------
bad() {
    local what=$1 pattern=$2
    shift 2
    run_wb profile "$@" --results "$dir/res-bad"
    check_eq "$what: exit 2" 2 "$WB_RC"
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")"
    check "$what: names the problem" grep -Eq -- "$pattern" "$WB_ERR"
}
bad "unknown workload" "frob" --workload frob
bad "unknown strategy" "prepard|prepared" --strategy prepard
bad "an upsert strategy" "not an insert strategy" --strategy on-conflict
bad "load-then-index" "load-then-index" --strategy load-then-index
bad "--repeat 0" "--repeat" --repeat 0
bad "--zipf 0" "--zipf" --zipf 0
bad "--zipf abc" "--zipf" --zipf abc
bad "--timeout 0" "--timeout" --timeout 0
bad "--timeout abc" "--timeout" --timeout abc
# A bad --pragma is refused before the default database's directory is made.
mkdir -p "$dir/tmp-bad"
TMPDIR="$dir/tmp-bad" bad "--pragma 'x;drop'" "--pragma" --pragma 'x;drop'
check "a bad --pragma created no default database" test -z "$(ls -A "$dir/tmp-bad")"
check "bad input created no results directory" test ! -e "$dir/res-bad"

run_wb profile --help
check_eq "profile --help exits 0" 0 "$WB_RC"
for opt in --db --workload --rows --repeat --strategy --results --schema --load-repeat \
    --no-cache --zipf --cache-capacity --cache-lookups --report --echo --timeout; do
    check_contains "--help documents $opt" "$(cat "$WB_OUT")" "  $opt "
done

finish
