# Integration test of writebench's safety rules on PostgreSQL
# (docs/ARCHITECTURE.md, "Safety"; issue 3):
# a table public.user_account (the very name of the users workload's table) and
# schemas writebench did not create - one named like ours ("writebench") and one
# chosen with --schema - survive `run` and `drop` untouched: refused at once when the
# schema is not writebench's (exit 2, one line), never touched when it is.
#
# Needs the PostgreSQL fixture (WB_PG_CONNINFO_FILE, set by CTest); works in a
# database of its own, so it can run next to other tests on the same server.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture psql

DB="wbt_safety_$$"
TARGET="$BASE dbname=$DB" # a later keyword wins in a conninfo string
ROWS=40

export PGOPTIONS="-c client_min_messages=warning"
admin_sql() { psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
db_sql() { psql "$TARGET" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
drop_db() { admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null; }
trap 'drop_db; wb_cleanup' EXIT

drop_db
admin_sql -c "CREATE DATABASE $DB" || { fail "cannot create database $DB"; finish; }

# Someone else's things: public.user_account, an unmarked schema "writebench" and an
# unmarked schema "wbsafe", each with a table and a row (hostile text included).
db_sql <<'SQL' || fail "setup of the foreign objects"
CREATE TABLE public.user_account (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO public.user_account VALUES (1, 'someone else''s row');
CREATE SCHEMA writebench;
CREATE TABLE writebench.user_account (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO writebench.user_account VALUES (7, 'not writebench''s');
CREATE SCHEMA wbsafe;
COMMENT ON SCHEMA wbsafe IS 'a colleague''s schema';
CREATE TABLE wbsafe.products (id bigint PRIMARY KEY, name text);
INSERT INTO wbsafe.products VALUES (3, E'tab\there');
SQL

# Everything in the database outside writebench's own (marked) schema: schemas and
# their comments, tables, indexes, constraints, and a digest of every row. A failed
# query prints a unique line, so that two failures never compare equal.
fingerprint() {
    fingerprint_sql || echo "fingerprint query failed ($RANDOM$RANDOM)"
}
fingerprint_sql() {
    db_sql <<'SQL' || return 1
WITH ours AS (
    SELECT oid FROM pg_namespace
    WHERE obj_description(oid, 'pg_namespace') = 'created by writebench; safe to drop with writebench drop'
)
SELECT 'schemas: ' || string_agg(nspname || '=' || coalesce(obj_description(oid, 'pg_namespace'), ''), ', ' ORDER BY nspname)
FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' AND oid NOT IN (SELECT oid FROM ours)
UNION ALL
SELECT 'relations: ' || string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ', ' ORDER BY n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 'writebench', 'wbsafe') AND n.oid NOT IN (SELECT oid FROM ours)
UNION ALL
SELECT 'constraints: ' || string_agg(conname, ', ' ORDER BY conname)
FROM pg_constraint WHERE connamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'writebench', 'wbsafe'))
  AND connamespace NOT IN (SELECT oid FROM ours)
UNION ALL
SELECT 'rows: ' || md5(coalesce((SELECT string_agg(id || '|' || name, ';' ORDER BY id) FROM public.user_account), ''))
     || ' ' || (SELECT count(*) FROM public.user_account)
     || ' ' || (SELECT count(*) FROM wbsafe.products)
     || ' ' || md5(coalesce((SELECT string_agg(id || '|' || name, ';' ORDER BY id) FROM wbsafe.products), ''));
SQL
    # The rows of the unmarked "writebench", while it exists.
    if [[ $(db_sql -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'writebench'
                       AND obj_description(oid, 'pg_namespace') IS DISTINCT FROM
                           'created by writebench; safe to drop with writebench drop'") == 1 ]]; then
        db_sql -c "SELECT 'theirs: ' || count(*) || ' ' || string_agg(name, ';') FROM writebench.user_account" ||
            return 1
    fi
}

initial=$(fingerprint)
check_contains "the foreign objects are in place" "$initial" "wbsafe.products:r"
echo "$initial"

# Exit 2 and one line naming the schema, with nothing written.
expect_refused() {
    local what=$1 schema=$2
    check_eq "$what: exit status 2" 2 "$WB_RC" || show_wb_output
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")" || show_wb_output
    check_contains "$what: names the schema and the missing mark" "$(cat "$WB_ERR")" \
        "schema \"$schema\" exists but was not created by writebench (no writebench mark); refusing to touch it"
    check_eq "$what: leaves the database as it was" "$initial" "$(fingerprint)"
}

# --- 1. the default schema name is taken by someone else's schema
tmp=$(make_temp_dir)
run_wb run --db "$TARGET" --workload users --rows $ROWS --strategies prepared --results "$tmp/results"
expect_refused "run into an unmarked schema named writebench" writebench
check_eq "run: no run directory was made" "" "$(run_dir_in "$tmp/results")"
run_wb drop --db "$TARGET" --workload users
expect_refused "drop of an unmarked schema named writebench" writebench
run_wb setup --db "$TARGET" --workload users
expect_refused "setup in an unmarked schema named writebench" writebench

# --- 2. --schema naming someone else's schema
# grep reads a captured string: `cmd | grep -q` can fail under pipefail when grep
# exits early and cmd gets SIGPIPE.
if grep -q -- '--schema' <<<"$("$WB_BIN" run --help 2>&1)"; then
    run_wb run --db "$TARGET" --schema wbsafe --workload products --rows $ROWS --strategies prepared \
        --results "$tmp/results"
    expect_refused "run --schema wbsafe" wbsafe
    run_wb drop --db "$TARGET" --schema wbsafe --workload products
    expect_refused "drop --schema wbsafe" wbsafe
else
    fail "writebench run has no --schema option yet (issue 3): cannot check that --schema wbsafe is refused"
fi

# --- 3. a normal run into writebench's own schema, then drop, touch nothing else
# The owner of the unmarked "writebench" removes it by hand; writebench then creates
# (and marks) its own.
db_sql -c "DROP SCHEMA writebench CASCADE" >/dev/null || fail "dropping the unmarked schema by hand"
initial=$(fingerprint)
run_wb run --db "$TARGET" --workload users --rows $ROWS --slow-rows 20 --strategies prepared,on-conflict \
    --results "$tmp/results-ok"
check_eq "a run into writebench's own schema succeeds" 0 "$WB_RC" || show_wb_output
check_eq "it created the marked schema" \
    "created by writebench; safe to drop with writebench drop" \
    "$(db_sql -c "SELECT obj_description('writebench'::regnamespace, 'pg_namespace')")"
check_eq "the run's rows are in writebench.user_account" "$ROWS" \
    "$(db_sql -c "SELECT count(*) FROM writebench.user_account")"
check_eq "run left everything else as it was" "$initial" "$(fingerprint)"

run_wb drop --db "$TARGET" --workload users
check_eq "drop of writebench's own tables succeeds" 0 "$WB_RC" || show_wb_output
check_eq "drop removed writebench's tables" "0" \
    "$(db_sql -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'writebench'")"
check_eq "drop left everything else as it was" "$initial" "$(fingerprint)"
check_eq "public.user_account still holds its row" "1|someone else's row" \
    "$(db_sql -c "SELECT id || '|' || name FROM public.user_account")"

finish
