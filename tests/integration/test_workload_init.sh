# Integration test of `writebench workload init` (docs/WORKLOADS.md, "workload init"):
#   1. --ddl on every tests/ddl/*.sql: its output is exactly tests/ddl/NAME.yaml (the
#      golden file), or, for a file init must refuse, exit 2 with exactly the one line
#      of tests/ddl/NAME.err (file:line:column: message) and nothing on stdout;
#   2. the golden files of the DDL files marked "-- test: loads" (those whose types and
#      generators this writebench's loader takes) load (workload show), agree on SQLite
#      (workload check) and run with every strategy, both passes, every test verified;
#   3. --from on a SQLite file the test makes (rollback journal and WAL): the output is
#      tests/ddl/from_sqlite.yaml and loads, checks and runs; the file is byte for byte
#      unchanged (sha256) and nothing is left beside it; a missing file is not created;
#   4. the command's mistakes: one line each, exit 2.
# WB_UPDATE_GOLDEN=1 rewrites the golden files from the output instead of comparing
# (then read the diff before committing it).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DDL_DIR="$WB_SOURCE_DIR/tests/ddl"
tmp=$(make_temp_dir)
STRATEGIES=all

# golden NAME KIND ACTUAL_FILE: compare with $DDL_DIR/NAME.KIND, or rewrite it.
golden() {
    local name=$1 kind=$2 actual=$3 expected="$DDL_DIR/$1.$2"
    if [[ "${WB_UPDATE_GOLDEN:-0}" == 1 ]]; then
        cp "$actual" "$expected"
        pass "$name.$kind rewritten"
        return
    fi
    if diff -u "$expected" "$actual" >"$tmp/diff"; then
        pass "$name: the output is $name.$kind"
    else
        fail "$name: the output differs from $name.$kind:"
        head -n 40 "$tmp/diff"
    fi
}

# runs_on_sqlite NAME FILE: load, check and run a workload file on SQLite.
runs_on_sqlite() {
    local name=$1 file=$2
    run_wb workload show "$file" --limit 2
    check_eq "$name: workload show loads it" 0 "$WB_RC" || show_wb_output
    run_wb workload check "$file" --db sqlite::memory:
    check_eq "$name: workload check agrees on SQLite" 0 "$WB_RC" || show_wb_output
    run_wb run --db "sqlite://$tmp/$name.db" --workload "$file" --rows 60 --slow-rows 30 \
        --strategies "$STRATEGIES" --results "$tmp/results-$name"
    check_eq "$name: every strategy, both passes, verified on SQLite" 0 "$WB_RC" || show_wb_output
    py_checks "$(run_dir_in "$tmp/results-$name")/results.csv" "$name" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
bad = [r["test"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(len(rows) >= 20 and not bad, f"{sys.argv[2]}: {len(rows)} tests, every one verified: {bad[:3]}")
PY
}

# --- 1. and 2.: every DDL file ---------------------------------------------------------
loadable=0
for sql in "$DDL_DIR"/*.sql; do
    name=$(basename "$sql" .sql)
    [[ -e "$DDL_DIR/$name.yaml" || -e "$DDL_DIR/$name.err" || "${WB_UPDATE_GOLDEN:-0}" == 1 ]] ||
        { fail "$name.sql has neither $name.yaml nor $name.err"; continue; }
    # from the directory, so that the file is named as the golden files name it
    (cd "$DDL_DIR" && "$WB_BIN" workload init --ddl "$name.sql" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.stderr")
    rc=$?
    if [[ -e "$DDL_DIR/$name.err" || ( "${WB_UPDATE_GOLDEN:-0}" == 1 && $rc -ne 0 ) ]]; then
        check_eq "$name: refused with exit status 2" 2 "$rc"
        check_eq "$name: nothing on stdout" "" "$(cat "$tmp/$name.out")"
        check_eq "$name: one line on stderr" 1 "$(wc -l <"$tmp/$name.stderr" | tr -d ' ')"
        golden "$name" err "$tmp/$name.stderr"
        continue
    fi
    check_eq "$name: exit status 0" 0 "$rc" || cat "$tmp/$name.stderr"
    check_eq "$name: nothing on stderr" "" "$(cat "$tmp/$name.stderr")"
    golden "$name" yaml "$tmp/$name.out"
    if head -n 1 "$sql" | grep -q '^-- test: loads'; then
        loadable=$((loadable + 1))
        runs_on_sqlite "$name" "$tmp/$name.out"
    fi
done
check "at least five DDL files load and run" test "$loadable" -ge 5

# an error's column counts characters: "café (prénom text, nom text,)" puts ')' at 42
check_contains "bad_utf8_column: the column in characters" "$(cat "$DDL_DIR/bad_utf8_column.err")" \
    "bad_utf8_column.sql:2:42: syntax error"

# --table picks among the file's tables; a foreign key to one left out is not kept
(cd "$DDL_DIR" && "$WB_BIN" workload init --ddl foreign_keys.sql --table orders --table public.customers \
    --name picked </dev/null >"$tmp/picked.yaml" 2>"$tmp/picked.err")
check_eq "--table: exit 0" 0 "$?" || cat "$tmp/picked.err"
check_contains "--table: the name given" "$(cat "$tmp/picked.yaml")" "workload: picked"
check_eq "--table: two tables" 2 "$(grep -c '^  - name: ' "$tmp/picked.yaml")"
run_wb workload init --ddl "$DDL_DIR/foreign_keys.sql" --table order_lines
check_eq "--table order_lines alone: exit 0" 0 "$WB_RC" || show_wb_output
check_contains "--table order_lines alone: its parents' keys are not kept" "$(cat "$WB_OUT")" \
    "not kept: FOREIGN KEY (product_id) REFERENCES products (id): that table is not among --table"
check_contains "--table order_lines alone: its integer columns get integers" "$(cat "$WB_OUT")" \
    "generator: {kind: uniform, min: 0, max: 1000000}"
run_wb workload init --ddl "$DDL_DIR/foreign_keys.sql" --table nope
check_eq "--table nope: exit 2" 2 "$WB_RC"
check_contains "--table nope: names it" "$(cat "$WB_ERR")" "--table nope: foreign_keys.sql defines no such table"

# --- 3. --from a SQLite file ---------------------------------------------------------
make_source() {
    sqlite3 "$1" <<'EOF'
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login VARCHAR(40) NOT NULL UNIQUE,
    name TEXT,
    credit NUMERIC(10,2) NOT NULL DEFAULT 0 CHECK (credit >= 0)
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    note TEXT,
    total DECIMAL(10,2) CHECK (total BETWEEN 0 AND 99999.99)
);
CREATE INDEX orders_customer_note ON orders (customer_id, note);
CREATE INDEX orders_noted ON orders (note) WHERE note IS NOT NULL;
INSERT INTO customers (login, name, credit) VALUES ('ann', 'Ann', 10.5), ('bob', NULL, 0);
INSERT INTO orders (customer_id, note, total) VALUES (1, 'first', 99.5), (2, NULL, 0);
EOF
}
for mode in delete wal; do
    src="$tmp/source-$mode/shop.db"
    mkdir -p "$(dirname "$src")"
    make_source "$src"
    sqlite3 "$src" "PRAGMA journal_mode=$mode;" >/dev/null
    before=$(sha256sum "$src" | cut -c1-64)
    listing=$(ls -A "$(dirname "$src")")
    run_wb workload init --from "sqlite://$src" --table customers --table main.orders --name from_sqlite
    check_eq "--from sqlite ($mode): exit 0" 0 "$WB_RC" || show_wb_output
    check_eq "--from sqlite ($mode): the file is byte for byte unchanged" "$before" "$(sha256sum "$src" | cut -c1-64)"
    check_eq "--from sqlite ($mode): nothing left beside it" "$listing" "$(ls -A "$(dirname "$src")")"
    golden from_sqlite yaml "$WB_OUT"
done
runs_on_sqlite from_sqlite "$DDL_DIR/from_sqlite.yaml"
run_wb workload init --from "sqlite://$tmp/missing.db" --table t
check_eq "--from a missing file: exit 2" 2 "$WB_RC"
check_contains "--from a missing file: says so" "$(cat "$WB_ERR")" "no database file at $tmp/missing.db"
check "--from a missing file: not created" test ! -e "$tmp/missing.db"
run_wb workload init --from "sqlite://$tmp/source-delete/shop.db" --table nope
check_eq "--from --table nope: exit 2" 2 "$WB_RC"
check_contains "--from --table nope: names it" "$(cat "$WB_ERR")" "--table nope: SQLite file shop.db has no such table"

# --- 4. mistakes ----------------------------------------------------------------------
expect_usage_error() {
    local what=$1 needle=$2
    shift 2
    run_wb workload init "$@"
    check_eq "$what: exit 2" 2 "$WB_RC"
    check_eq "$what: one line" 1 "$(wc -l <"$WB_ERR" | tr -d ' ')"
    check_contains "$what: says why" "$(cat "$WB_ERR")" "$needle"
}
expect_usage_error "neither --ddl nor --from" "say what to read: --ddl FILE"
expect_usage_error "both --ddl and --from" "not both" --ddl "$DDL_DIR/checks.sql" --from "sqlite://$tmp/x.db"
expect_usage_error "--from without --table" "--from needs the tables" --from "sqlite://$tmp/x.db"
expect_usage_error "--copy-common-values without --from" "it goes with --from" --ddl "$DDL_DIR/checks.sql" \
    --copy-common-values
expect_usage_error "--from pg-temp:" "empty throwaway server" --from pg-temp: --table t
expect_usage_error "--ddl of a missing file" "$tmp/none.sql" --ddl "$tmp/none.sql"
printf 'CREATE TABLE t (id bigint PRIMARY KEY);\n' >"$tmp/one.sql"
expect_usage_error "a table with only its key" "$tmp/one.sql:1:14: table t has no column besides its key" \
    --ddl "$tmp/one.sql"
run_wb workload init --help
check_eq "workload init --help: exit 0" 0 "$WB_RC"
check_contains "workload init --help: the options" "$(cat "$WB_OUT")" "--copy-common-values"
finish
