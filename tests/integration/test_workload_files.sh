# Integration test of workload files (docs/WORKLOADS.md, "The format"; issue 11):
#   1. bad files: an unknown type or generator, a generator that cannot fill its
#      column, a foreign key to a later table, a unique column whose generator
#      repeats, a varchar(5) with longer values, a duplicate key, an unknown key, a
#      CHECK that would end the statement, malformed YAML, an empty file: each is
#      one line on stderr naming the file, line and column, exit 2, nothing on
#      stdout; through run, nothing is created either;
#   2. workload show: tables, DDL on both backends, first rows in both versions;
#   3. workload check on SQLite: agreement, and a database that cannot be opened;
#      Bad values of the types: a char(3), a smallint, a numeric(5,2) too small
#      for the generator's values, a double that is not a binary fraction, a
#      unique column of a choice, NULLs in a NOT NULL column, a key given twice,
#      a malformed time, a json field of bytes, an updated column that cannot
#      change;
#   4. every strategy on the test-only every_feature workload, both passes,
#      verifies on SQLite; so does every strategy that honours --threads at
#      --threads 3, though its foreign keys reference rows of other threads' key
#      ranges (modulo 5, children_per_parent 3); a CHECK planted to fail one key of
#      thread 2's range fails each test with thread 2's error, not a hang of the
#      threads waiting for it (a --timeout would say "timeout");
#      every strategy, both passes, on the test-only every_type workload (every
#      type and generator) and the shipped events and orders (threads 1 and 3)
#      verifies;
#   5. --workload FILE in run: run.conf and code.diff name the file and its sha256,
#      results.csv names the workload, and aggregate keeps two files of one name
#      apart while the shipped file and a run from before files (no sha256) group
#      together.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tmp=$(make_temp_dir)
EVERY="$WB_SOURCE_DIR/tests/workloads/every_feature.yaml"

# expect_bad_file NAME POSITION KEYWORD...: `workload show` of $tmp/NAME.yaml fails
# in one line that starts with FILE:POSITION: and holds every keyword.
expect_bad_file() {
    local name=$1 position=$2 file="$tmp/$1.yaml"
    shift 2
    run_wb workload show "$file"
    check_eq "$name: exit status 2" 2 "$WB_RC"
    check_eq "$name: one line on stderr" 1 "$(wc -l <"$WB_ERR" | tr -d ' ')"
    check_eq "$name: nothing on stdout" "" "$(cat "$WB_OUT")"
    check_contains "$name: the file, line and column" "$(cat "$WB_ERR")" \
        "writebench workload show: $file:$position: "
    local key
    for key in "$@"; do
        check_contains "$name: names '$key'" "$(cat "$WB_ERR")" "$key"
    done
}

# head_of FILE: the start of a workload file, its one table's columns to follow.
head_of() {
    cat >"$1" <<'EOF'
workload: bad
description: a file with one mistake
tables:
  - name: t
    key: id
    columns:
EOF
}

# --- 1. bad files ------------------------------------------------------------
head_of "$tmp/type.yaml"
cat >>"$tmp/type.yaml" <<'EOF'
      - name: a
        type: int7
        generator: {kind: pattern}
EOF
expect_bad_file type 8:15 "unknown type 'int7'" "varchar(n)" "timestamptz" "bytea"

head_of "$tmp/generator.yaml"
cat >>"$tmp/generator.yaml" <<'EOF'
      - name: a
        type: text
        generator: {kind: gauss, s: 1.1}
EOF
expect_bad_file generator 9:27 "unknown generator 'gauss'" "pattern" "zipf" "json"

head_of "$tmp/mismatch.yaml"
cat >>"$tmp/mismatch.yaml" <<'EOF'
      - name: a
        type: bigint
        generator: {kind: pattern}
EOF
expect_bad_file mismatch 9:27 "generator pattern makes text" "column a is bigint"

cat >"$tmp/later.yaml" <<'EOF'
workload: bad
description: a child before its parent
tables:
  - name: child
    key: id
    columns:
      - name: parent_id
        type: bigint
        generator: {kind: foreign_key, references: parent}
  - name: parent
    key: id
    columns:
      - name: a
        type: text
        generator: {kind: pattern}
EOF
expect_bad_file later 9:52 "foreign key to table parent" "comes after table child"

head_of "$tmp/unique.yaml"
cat >>"$tmp/unique.yaml" <<'EOF'
      - name: category
        type: text
        generator: {kind: pattern, prefix: "category ", modulo: 100}
    indexes:
      - {columns: [category], unique: true}
EOF
expect_bad_file unique 9:20 "column category is in unique index t_category_key" "repeats"

head_of "$tmp/varchar.yaml"
cat >>"$tmp/varchar.yaml" <<'EOF'
      - name: code
        type: varchar(5)
        generator: {kind: pattern, prefix: "c"}
        hostile: false
EOF
expect_bad_file varchar 8:15 "column code is varchar(5)" "12 characters"

head_of "$tmp/char.yaml"
cat >>"$tmp/char.yaml" <<'EOF'
      - name: code
        type: char(3)
        generator: {kind: text, length: {min: 2, max: 4}}
        hostile: false
EOF
expect_bad_file char 8:15 "column code is char(3)" "4 characters"

head_of "$tmp/smallint.yaml"
cat >>"$tmp/smallint.yaml" <<'EOF'
      - name: qty
        type: smallint
        generator: {kind: uniform, min: 1, max: 40000}
EOF
expect_bad_file smallint 9:49 "column qty is smallint" "reaches 40000" "outside its range"

head_of "$tmp/numeric.yaml"
cat >>"$tmp/numeric.yaml" <<'EOF'
      - name: price
        type: numeric(5,2)
        generator: {kind: sequence, start: 1.5, step: 0.25}
EOF
expect_bad_file numeric 9:55 "column price is numeric(5,2)" "outside its precision"

head_of "$tmp/double.yaml"
cat >>"$tmp/double.yaml" <<'EOF'
      - name: reading
        type: double precision
        generator: {kind: uniform, min: 0, max: 0.3, fraction_bits: 4}
EOF
expect_bad_file double 9:49 "max is not a multiple of 2^-4"

head_of "$tmp/unique_choice.yaml"
cat >>"$tmp/unique_choice.yaml" <<'EOF'
      - name: status
        type: text
        generator: {kind: choice, values: [a, b]}
    indexes:
      - {columns: [status], unique: true}
EOF
expect_bad_file unique_choice 9:20 "column status is in unique index t_status_key" "a choice repeats its values"

head_of "$tmp/nulls.yaml"
cat >>"$tmp/nulls.yaml" <<'EOF'
      - name: flag
        type: boolean
        nullable: false
        generator: {kind: boolean, nulls: 0.1}
EOF
expect_bad_file nulls 10:43 "column flag is not nullable" "no share of NULLs"

head_of "$tmp/twice.yaml"
cat >>"$tmp/twice.yaml" <<'EOF'
      - name: note
        type: text
        nulls: 0.1
        generator: {kind: pattern, nulls: 0.2}
EOF
expect_bad_file twice 10:43 "nulls is given twice"

head_of "$tmp/time.yaml"
cat >>"$tmp/time.yaml" <<'EOF'
      - name: at
        type: timestamptz
        generator: {kind: time, from: "2024-13-01", to: "2025-01-01"}
EOF
expect_bad_file time 9:39 "from must be a time"

head_of "$tmp/field.yaml"
cat >>"$tmp/field.yaml" <<'EOF'
      - name: doc
        type: jsonb
        generator: {kind: json, fields: {blob: {kind: bytes, length: {fixed: 4}}}}
EOF
expect_bad_file field 9:55 "generator bytes cannot make a field of a json document"

head_of "$tmp/updated.yaml"
cat >>"$tmp/updated.yaml" <<'EOF'
      - name: level
        type: integer
        updated: true
        generator: {kind: uniform, min: 3, max: 3}
EOF
expect_bad_file updated 10:20 "column level says updated: true" "min = max"

head_of "$tmp/duplicate.yaml"
cat >>"$tmp/duplicate.yaml" <<'EOF'
      - name: a
        type: text
        generator: {kind: pattern}
        type: varchar(10)
EOF
expect_bad_file duplicate 10:9 "duplicate key 'type'" "first at line 8, column 9"

head_of "$tmp/unknown_key.yaml"
cat >>"$tmp/unknown_key.yaml" <<'EOF'
      - name: a
        type: text
        nulable: false
        generator: {kind: pattern}
EOF
expect_bad_file unknown_key 9:9 "unknown key 'nulable'" "nullable"

head_of "$tmp/check.yaml"
cat >>"$tmp/check.yaml" <<'EOF'
      - name: a
        type: text
        generator: {kind: pattern}
    checks:
      - "a <> '' OR 1 = 1; DROP TABLE t"
EOF
expect_bad_file check 11:9 "one expression, without ';' or comments"

head_of "$tmp/where.yaml"
cat >>"$tmp/where.yaml" <<'EOF'
      - name: a
        type: text
        generator: {kind: pattern}
    indexes:
      - {columns: [a], where: "a <> '' /* hidden */"}
EOF
expect_bad_file where 11:31 "index predicate" "one expression, without ';' or comments"

head_of "$tmp/syntax.yaml"
cat >>"$tmp/syntax.yaml" <<'EOF'
      - name: a
        type: [text
        generator: {kind: pattern}
EOF
expect_bad_file syntax 9:18 "YAML syntax"

: >"$tmp/empty.yaml"
expect_bad_file empty 1:1 "the file is empty"

# through run: the same line, and nothing made (no results, no default database)
case_dir=$(make_temp_dir)
mkdir "$case_dir/tmp"
(cd "$case_dir" && TMPDIR="$case_dir/tmp" "$WB_BIN" run --rows 10 --workload "$tmp/unique.yaml" \
    --results "$case_dir/results" </dev/null >"$case_dir/out" 2>"$case_dir/err")
check_eq "run --workload BADFILE: exit status 2" 2 "$?"
check_contains "run --workload BADFILE: the file's line and column" "$(cat "$case_dir/err")" "$tmp/unique.yaml:9:20:"
check_eq "run --workload BADFILE: one line" 1 "$(wc -l <"$case_dir/err" | tr -d ' ')"
check_eq "run --workload BADFILE: nothing created" "err out tmp" "$(cd "$case_dir" && echo * && ls -A tmp)"
run_wb count --db "sqlite://$tmp/none.db" --workload "$tmp/nope.yaml"
check_eq "count --workload MISSING: exit status 2" 2 "$WB_RC"
check_contains "count --workload MISSING: names the file" "$(cat "$WB_ERR")" "$tmp/nope.yaml"

# --- 2. workload show -------------------------------------------------------------
run_wb workload show users --limit 3
check_eq "workload show users: exit 0" 0 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "show: the file and sha256" "$out" "sha256: $(sha256sum "$WB_SOURCE_DIR/workloads/users.yaml" | cut -c1-64) (shipped)"
check_contains "show: SQLite DDL" "$out" 'CREATE TABLE "address" ("id" INTEGER PRIMARY KEY, "street_address" TEXT NOT NULL, "user_id" INTEGER NOT NULL REFERENCES "user_account" ("id"));'
check_contains "show: PostgreSQL DDL" "$out" 'CREATE TABLE "writebench"."user_account" ("id" bigint PRIMARY KEY, "name" varchar(30) NOT NULL, "fullname" text);'
check_contains "show: version 2 rows" "$out" "'user3_v2'"
check_contains "show: how a column is made" "$out" "'User ' || k || ' Smith' (version 2: suffix ' Smith-Jones'); hostile rows, offset 3"
run_wb workload show "$EVERY" --limit 2
check_eq "workload show every_feature: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "show: a foreign key's parent rows" "$(cat "$WB_OUT")" "references orders, the row (k - 1) / 3 + 1"
run_wb workload show
check_eq "workload show without a file: exit 2" 2 "$WB_RC"
run_wb workload frob users
check_eq "workload frob: exit 2" 2 "$WB_RC"
check_contains "workload frob: names the subcommands" "$(cat "$WB_ERR")" "show, check"

# --- 3. workload check on SQLite -------------------------------------------------
run_wb workload check "$EVERY" --db sqlite::memory:
check_eq "workload check every_feature: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "workload check: says what agreed" "$(cat "$WB_OUT")" "agree on sqlite"
check_contains "workload check: the last keys" "$(cat "$WB_OUT")" "9999999991..10000000000 of both versions"
run_wb workload check users --db "sqlite://$tmp/missing.db"
check_eq "workload check on a database that does not exist: exit 2" 2 "$WB_RC"
check "workload check created no database" test ! -e "$tmp/missing.db"
run_wb workload check users
check_eq "workload check without --db: exit 2" 2 "$WB_RC"

# --- 4. every strategy on every_feature ------------------------------------------
run_wb run --db "sqlite://$tmp/every.db" --workload "$EVERY" --rows 60 --slow-rows 30 \
    --results "$tmp/every-results"
check_eq "every strategy on every_feature: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
py_checks "$(run_dir_in "$tmp/every-results")/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
check(len(rows) >= 20, f"every strategy and pass ran ({len(rows)} tests)")
bad = [r["test"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(not bad, f"every test verified: {bad[:3]}")
PY

# Every strategy that honours --threads, at 3 threads: a child row may reference a
# parent in another thread's range, so the threads commit each table and meet
# before the next (strategies/strategy.h, wb_threads_sync_before).
run_wb describe --format json
threaded=$(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
print(",".join(s["name"] for s in doc["strategies"] if s["threads"] and "sqlite" in s["backends"]))
' "$WB_OUT")
check "some SQLite strategies honour --threads" test -n "$threaded"
run_wb run --db "sqlite://$tmp/every3.db" --workload "$EVERY" --rows 60 --slow-rows 30 --batch 7 --threads 3 \
    --strategies "$threaded" --results "$tmp/every3"
check_eq "every_feature with --threads 3: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
py_checks "$(run_dir_in "$tmp/every3")/results.csv" "$threaded" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
names = sys.argv[2].split(",")
threaded = [r for r in rows if r["strategy"] in names]
check(sorted(set(r["strategy"] for r in threaded)) == sorted(names), "every threaded strategy ran: %s" % names)
check(all(r["threads"] == "3" for r in threaded), "each at 3 threads")
bad = [r["test"] + ": " + r["error"] for r in threaded if r["success"] != "1" or r["verify"] != "values"]
check(not bad, "every test verified value by value: %s" % bad[:3])
PY

# A failing thread releases the others: a CHECK that only customer 30 breaks, in
# thread 2's range (keys 21..40 of 60), while threads 1 and 3 finish the customers
# and wait for it before the orders.
sed '/- "credit >= 0"/a\      - "customer_id <> 30"' "$EVERY" >"$tmp/planted.yaml"
check "the planted CHECK is in the copy" grep -q 'customer_id <> 30' "$tmp/planted.yaml"
run_wb run --db "sqlite://$tmp/planted.db" --workload "$tmp/planted.yaml" --rows 60 --batch 7 --threads 3 \
    --strategies single-tx,batch-commit,values-multirow,on-conflict-batch --timeout 60 --results "$tmp/planted"
check_eq "a planted failure in one thread: exit 1 (the tests failed), not a hang" 1 "$WB_RC" || show_wb_output
py_checks "$(run_dir_in "$tmp/planted")/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
inserts = [r for r in rows if r["phase"] == "insert"]
check(len(inserts) == 4, "four insert tests: %d" % len(inserts))
for r in inserts:
    check(r["success"] == "0" and r["error"].startswith("thread 2: customers key")
          and "CHECK constraint failed: customer_id <> 30" in r["error"],
          "%s failed with thread 2's error: %s" % (r["test"], r["error"]))
    check("timeout" not in r["error"] and "stopped" not in r["error"], "%s: not a timeout" % r["test"])
PY

# --- 4b. every strategy on every type and on the shipped events and orders ------------
# every_type: one column of every type and generator (threads 1 and 3); events: the
# wide time-series row (3 threads); orders: three tables, three foreign keys (3
# threads, children waiting for their parents at the barrier); test_strategies_sqlite runs the shipped ones with 1 and 3
EVERY_TYPE="$WB_SOURCE_DIR/tests/workloads/every_type.yaml"
PARTIAL="$WB_SOURCE_DIR/tests/workloads/partial_index.yaml"
for spec in "$EVERY_TYPE:1,3" "events:3" "orders:3" "$PARTIAL:1,3"; do
    workload=${spec%:*} threads=${spec##*:} name=$(basename "${spec%:*}" .yaml)
    run_wb run --db "sqlite://$tmp/$name.db" --workload "$workload" --rows 100 --slow-rows 10 \
        --threads "$threads" --results "$tmp/$name-results"
    check_eq "every strategy on $name, threads $threads: exit 0 (every test verified)" 0 "$WB_RC" || show_wb_output
    py_checks "$(run_dir_in "$tmp/$name-results")/results.csv" "$threads" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
threads = set(sys.argv[2].split(","))
check({r["threads"] for r in rows} >= threads, f"threads {sorted(threads)} ran")
check({r["phase"] for r in rows} == {"insert", "update"}, "both passes ran")
check(len(rows) >= 20, f"every strategy and pass ran ({len(rows)} tests)")
bad = [r["test"] + " " + r["threads"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(not bad, f"every test verified: {bad[:3]}")
PY
done
run_wb workload check "$EVERY_TYPE" --db sqlite::memory:
check_eq "workload check every_type on sqlite: exit 0" 0 "$WB_RC" || show_wb_output
# Partial indexes: made with their predicates, and still so after the run (load-then-index
# drops and rebuilds them); MariaDB has none: refused with one line before anything starts.
check_eq "the partial indexes keep their predicates after every strategy" \
    "CREATE UNIQUE INDEX \"accounts_active_handle_key\" ON \"accounts\" (\"handle\") WHERE status = 'active'
CREATE INDEX \"accounts_balance_idx\" ON \"accounts\" (\"balance\") WHERE status <> 'closed' AND balance IS NOT NULL" \
    "$(sqlite3 "$tmp/partial_index.db" "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")"
run_wb run --db mariadb://root@localhost/none --workload "$PARTIAL" --rows 10
check_eq "a partial index on MariaDB: exit 2" 2 "$WB_RC"
check_eq "with one line" "writebench run: workload partial_index: index accounts_active_handle_key of table accounts is partial (WHERE status = 'active'), and MariaDB has no partial indexes" "$(cat "$WB_ERR")"

# --- 5. --workload FILE in run, and the workload's identity in results --------------
mkdir -p "$tmp/copy"
# the shipped users with one more comment: the same values, another file
{ echo "# a copy"; cat "$WB_SOURCE_DIR/workloads/users.yaml"; } >"$tmp/copy/users.yaml"
copy_sha=$(sha256sum "$tmp/copy/users.yaml" | cut -c1-64)
results="$tmp/results"
run_wb run --db "sqlite://$tmp/a.db" --rows 20 --strategies single-tx --workload users --results "$results/shipped"
check_eq "run --workload users: exit 0" 0 "$WB_RC" || show_wb_output
run_wb run --db "sqlite://$tmp/b.db" --rows 20 --strategies single-tx --workload "$tmp/copy/users.yaml" \
    --results "$results/copy"
check_eq "run --workload COPY: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "run --workload COPY: the hint names the file" "$(cat "$WB_OUT")" "--workload $tmp/copy/users.yaml"
run_wb run --db "sqlite://$tmp/c.db" --rows 20 --strategies single-tx --workload "$EVERY" --results "$results/every"
check_eq "run --workload every_feature: exit 0" 0 "$WB_RC" || show_wb_output
copy_run=$(run_dir_in "$results/copy")
check_contains "run.conf: the workload's file" "$(cat "$copy_run/run.conf")" "workload_file = $tmp/copy/users.yaml"
check_contains "run.conf: the workload's sha256" "$(cat "$copy_run/run.conf")" "workload_sha256 = $copy_sha"
check_contains "code.diff: the workload's sha256" "$(cat "$copy_run/code.diff")" "workload sha256: $copy_sha"
# a run from before workload files: the same run without the sha256 in its run.conf
mkdir -p "$results/old"
cp -r "$(run_dir_in "$results/shipped")" "$results/old/20000101T000000Z-0000"
sed -i '/^workload_sha256 = /d; /^workload_file = /d' "$results/old/20000101T000000Z-0000/run.conf"
run_wb aggregate --format csv "$(run_dir_in "$results/shipped")" "$copy_run" "$(run_dir_in "$results/every")" \
    "$results/old/20000101T000000Z-0000"
check_eq "aggregate: exit 0" 0 "$WB_RC" || show_wb_output
py_checks "$WB_OUT" "$copy_sha" "$(run_dir_in "$results/every")/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
insert = {r["workload"]: r for r in rows if r["test"] == "single-tx-insert"}
copy = "users@" + sys.argv[2][:16]
check(set(insert) == {"users", copy} | {w for w in insert if w.startswith("every_feature@")} and len(insert) == 3,
      f"one group per workload file: users, {copy} and every_feature@...: {sorted(insert)}")
check(insert.get("users", {}).get("runs") == "2", "the shipped users and a run from before files group together")
check(insert.get(copy, {}).get("runs") == "1", "a copy of users with another sha256 is a group of its own")
_, csv_rows, _ = read_csv(sys.argv[3])
check(csv_rows and all(r["workload"] == "every_feature" for r in csv_rows), "results.csv names the workload by name")
PY

finish
