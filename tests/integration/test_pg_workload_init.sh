# Integration test of `writebench workload init` on PostgreSQL (docs/WORKLOADS.md,
# "workload init"):
#   1. the golden files of the DDL files marked "-- test: loads" agree on PostgreSQL
#      (workload check) and run, both passes, every test verified (every strategy for
#      some, a set of the native ones for the rest, to keep the suite short);
#   2. --from on tables the test creates in a schema of its own database, with data and
#      statistics: the output is tests/ddl/from_pg.yaml (n_distinct, avg_width and the
#      foreign key's parents from pg_stats), which loads and runs on PostgreSQL and
#      SQLite; reading wrote nothing: the tables' rows, their catalog rows (pg_class but
#      its sizes, pg_attribute, pg_attrdef, pg_constraint, pg_index, pg_statistic) and
#      the list of schemas are the same before and after (no writebench schema made);
#      tests/ddl/from_sqlite.yaml (--from a SQLite file) runs here too;
#   3. --copy-common-values on a table of NULLs, skewed text, booleans and integers: the
#      output is tests/ddl/from_pg_common.yaml (choices weighted by most_common_freqs,
#      nulls from null_frac); without the flag, no value of the table is in the output.
# WB_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
# Needs the PostgreSQL fixture (WB_PG_CONNINFO_FILE, set by CTest).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

DDL_DIR="$WB_SOURCE_DIR/tests/ddl"
DB=wbt_init # a fixed name: the golden files name the database
TARGET="$BASE dbname=$DB"
NATIVE=copy-binary,copy-text,unnest,pipeline,merge,staging-merge,on-conflict-batch,load-then-index,server-generate
tmp=$(make_temp_dir)

export PGOPTIONS="-c client_min_messages=warning"
admin_sql() { psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
db_sql() { psql "$TARGET" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_db() { admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null; }
trap 'drop_db; wb_cleanup' EXIT
drop_db
admin_sql -c "CREATE DATABASE $DB" || { fail "cannot create database $DB"; finish; }

golden() {
    local name=$1 actual=$2 expected="$DDL_DIR/$1.yaml"
    if [[ "${WB_UPDATE_GOLDEN:-0}" == 1 ]]; then
        cp "$actual" "$expected"
        pass "$name.yaml rewritten"
    elif diff -u "$expected" "$actual" >"$tmp/diff"; then
        pass "$name: the output is $name.yaml"
    else
        fail "$name: the output differs from $name.yaml:"
        head -n 40 "$tmp/diff"
    fi
}

# runs_on_pg NAME FILE STRATEGIES: check and run a workload file in a schema of its own.
runs_on_pg() {
    local name=$1 file=$2 strategies=$3 schema="wb_init_$1"
    run_wb workload check "$file" --db "$TARGET"
    check_eq "$name: workload check agrees on PostgreSQL" 0 "$WB_RC" || show_wb_output
    run_wb run --db "$TARGET" --schema "$schema" --workload "$file" --rows 60 --slow-rows 30 \
        --strategies "$strategies" --results "$tmp/results-$name"
    check_eq "$name: $strategies, both passes, verified on PostgreSQL" 0 "$WB_RC" || show_wb_output
    py_checks "$(run_dir_in "$tmp/results-$name")/results.csv" "$name" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
bad = [r["test"] + ": " + r["error"] for r in rows if r["success"] != "1" and r["verify"] != "none"]
check(len(rows) >= 8 and not bad, f"{sys.argv[2]}: {len(rows)} tests, every one verified: {bad[:3]}")
PY
    run_wb drop --db "$TARGET" --schema "$schema" --workload "$file"
    check_eq "$name: drop" 0 "$WB_RC" || show_wb_output
}

# --- 1. the DDL files that load ------------------------------------------------------
for sql in "$DDL_DIR"/*.sql; do
    head -n 1 "$sql" | grep -q '^-- test: loads' || continue
    name=$(basename "$sql" .sql)
    case $name in identity | foreign_keys) strategies=all ;; *) strategies=$NATIVE ;; esac
    runs_on_pg "$name" "$DDL_DIR/$name.yaml" "$strategies"
done

# --- 2. --from tables with data and statistics -----------------------------------------
db_sql <<'SQL' || fail "setup of the source tables"
CREATE SCHEMA shop;
CREATE TABLE shop.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login varchar(40) NOT NULL UNIQUE,
    region text NOT NULL,
    credit numeric(10,2) NOT NULL DEFAULT 0 CHECK (credit >= 0)
) WITH (autovacuum_enabled = false);
CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers,
    note text NOT NULL,
    total numeric(10,2) NOT NULL CHECK (total BETWEEN 0 AND 99999.99)
) WITH (autovacuum_enabled = false);
CREATE INDEX orders_customer_note ON shop.orders (customer_id, note);
CREATE INDEX orders_paid ON shop.orders (note) WHERE total > 0;
CREATE TABLE shop.shapes (
    id bigint PRIMARY KEY,
    status text,
    flag boolean NOT NULL,
    score integer,
    remark varchar(200)
) WITH (autovacuum_enabled = false);
INSERT INTO shop.customers (login, region, credit)
    SELECT 'login' || g, 'region ' || (g % 7), (g % 100) / 4.0 FROM generate_series(1, 500) g;
INSERT INTO shop.orders (customer_id, note, total)
    SELECT 1 + g % 40, 'order note ' || g, (g % 1000) / 10.0 FROM generate_series(1, 2000) g;
INSERT INTO shop.shapes
    SELECT g, CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 < 6 THEN 'shipped-secret' WHEN g % 10 < 9 THEN 'open-secret'
                   ELSE 'lost-secret' END,
           g % 10 < 7, g % 20, CASE WHEN g % 20 = 0 THEN NULL ELSE 'remark ' || g || ' of a medium length' END
    FROM generate_series(1, 1000) g;
-- the types whose files once did not load: char(n), a short varchar, json, jsonb, bytea,
-- an integer UNIQUE column and an integer foreign key (both written bigint)
CREATE TABLE shop.kinds (
    id integer PRIMARY KEY,
    code char(3),
    tag varchar(6),
    doc jsonb,
    raw json,
    blob bytea,
    ext integer UNIQUE,
    customer_ref integer REFERENCES shop.customers
) WITH (autovacuum_enabled = false);
INSERT INTO shop.kinds
    SELECT g, 'c' || (g % 10), 't' || g, jsonb_build_object('n', g), json_build_object('m', g),
           decode(md5(g::text), 'hex'), g * 3, 1 + g % 500
    FROM generate_series(1, 300) g;
ANALYZE shop.customers;
ANALYZE shop.orders;
ANALYZE shop.shapes;
ANALYZE shop.kinds;
SQL

# The source's rows and catalog rows, as one digest: what reading must not change.
source_digest() {
    db_sql <<'SQL'
SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
    SELECT 'customers ' || t::text FROM shop.customers t
    UNION ALL SELECT 'orders ' || t::text FROM shop.orders t
    UNION ALL SELECT 'shapes ' || t::text FROM shop.shapes t
    UNION ALL SELECT 'kinds ' || t::text FROM shop.kinds t
    UNION ALL SELECT 'class ' || row(c.oid, c.relname, c.relnamespace, c.reltype, c.relowner, c.relam, c.relkind,
                                     c.relnatts, c.relchecks, c.relhasindex, c.relpersistence, c.reloptions)::text
        FROM pg_class c WHERE c.relnamespace = 'shop'::regnamespace
    UNION ALL SELECT 'attribute ' || a::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'shop'::regnamespace
    UNION ALL SELECT 'default ' || d::text FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
        WHERE c.relnamespace = 'shop'::regnamespace
    UNION ALL SELECT 'constraint ' || k::text FROM pg_constraint k WHERE k.connamespace = 'shop'::regnamespace
    UNION ALL SELECT 'index ' || i::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = 'shop'::regnamespace
    UNION ALL SELECT 'statistic ' || s::text FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid
        WHERE c.relnamespace = 'shop'::regnamespace
    UNION ALL SELECT 'schema ' || n.nspname FROM pg_namespace n
) q(x)
SQL
}
before=$(source_digest)
check "the source digest was read" test -n "$before"

run_wb workload init --from "$TARGET" --table shop.customers --table shop.orders --table shop.kinds --name from_pg
check_eq "--from postgresql: exit 0" 0 "$WB_RC" || show_wb_output
cp "$WB_OUT" "$tmp/from_pg.yaml"
run_wb workload init --from "$TARGET" --table shop.shapes --name from_pg_common --copy-common-values
check_eq "--from postgresql --copy-common-values: exit 0" 0 "$WB_RC" || show_wb_output
cp "$WB_OUT" "$tmp/from_pg_common.yaml"
run_wb workload init --from "$TARGET" --table shop.shapes --name from_pg_shape
check_eq "--from postgresql without --copy-common-values: exit 0" 0 "$WB_RC" || show_wb_output
cp "$WB_OUT" "$tmp/from_pg_shape.yaml"
run_wb workload init --from "$TARGET" --table shop.nope
check_eq "--from --table shop.nope: exit 2" 2 "$WB_RC"
check_contains "--from --table shop.nope: names it" "$(cat "$WB_ERR")" "--table shop.nope: the database has no such table"
check_eq "reading wrote nothing: rows, catalog rows and schemas unchanged" "$before" "$(source_digest)"
check_eq "no writebench schema was made" "0" "$(db_sql -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'writebench'")"

golden from_pg "$tmp/from_pg.yaml"
golden from_pg_common "$tmp/from_pg_common.yaml"
for secret in shipped-secret open-secret lost-secret "of a medium length"; do
    check "without --copy-common-values, '$secret' is not in the output" bash -c "! grep -q -- '$secret' '$tmp/from_pg_shape.yaml'"
done
check_contains "with --copy-common-values, the values and their weights" "$(cat "$tmp/from_pg_common.yaml")" \
    'values: ["shipped-secret", "open-secret", "lost-secret"], weights: [5000, 3000, 1000]'
check_contains "null_frac becomes nulls" "$(cat "$tmp/from_pg_common.yaml")" "nulls: 0.1"

runs_on_pg from_pg "$DDL_DIR/from_pg.yaml" all
runs_on_pg from_sqlite "$DDL_DIR/from_sqlite.yaml" "$NATIVE"
run_wb run --db "sqlite://$tmp/from_pg.db" --workload "$DDL_DIR/from_pg.yaml" --rows 60 --slow-rows 30 \
    --results "$tmp/results-from-pg-sqlite"
check_eq "from_pg: every strategy verified on SQLite too" 0 "$WB_RC" || show_wb_output
finish
