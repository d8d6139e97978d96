#!/usr/bin/env bash
# writebench advise's code on PostgreSQL (docs/ANALYSIS.md, "advice"): for users,
# products and the events workload file, planted runs advise every shape the
# PostgreSQL languages write (COPY, one INSERT per row, multi-row VALUES, upserts of
# one row and of a batch, UPDATE from a VALUES list with its casts); the programs
# advise --code writes (C with libpq, Python with psycopg 3, Python with SQLAlchemy
# Core over psycopg2) compile clean, run as external strategies on the fixture's
# server and verify every pass they write. A planted run with a COPY strategy on
# SQLAlchemy says the code falls back to multi-row VALUES.
# Needs the PostgreSQL fixture (WB_PG_CONNINFO_FILE, set by CTest), cc with libpq's
# headers, and /usr/bin/python3 with python3-psycopg, python3-psycopg2 and
# python3-sqlalchemy; skips (77) naming what is missing. Works in a database of its
# own, dropped at the end.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/advise_code.sh
source "$(dirname "${BASH_SOURCE[0]}")/advise_code.sh"

for module in sqlalchemy:python3-sqlalchemy psycopg2:python3-psycopg2 psycopg:python3-psycopg; do
    /usr/bin/python3 -c "import ${module%%:*}" 2>/dev/null ||
        skip_test "the generated Python needs ${module%%:*} for /usr/bin/python3 (Debian: ${module#*:})"
done
command -v cc >/dev/null && pkg-config --exists libpq || skip_test "needs cc and libpq's headers (libpq-dev)"

pg_fixture psql

DB="wbt_advise_$$"
TARGET="$BASE dbname=$DB" # a later keyword wins in a conninfo string
admin_sql() { PGOPTIONS="-c client_min_messages=warning" psql "$BASE" -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
drop_db() { admin_sql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null; }
trap 'drop_db; wb_cleanup' EXIT
drop_db
admin_sql -c "CREATE DATABASE $DB" || { fail "cannot create database $DB"; finish; }

tmp=$(make_temp_dir)
ROWS=200 # >= 80: every hostile kind in every column
BATCH=50
LANGUAGES=3 # C with libpq, Python with psycopg 3, Python with SQLAlchemy Core

# r1: COPY (bulk load), multi-row VALUES (batches), one upsert per row
COPY_SHAPES=(copy-text:insert:$ROWS:1:-:1:0.10 prepared:insert:$ROWS:1:-:1:0.3
    values-multirow:insert:$ROWS:1:$BATCH:1:0.11 batch-commit:insert:$ROWS:1:$BATCH:1:0.5
    on-conflict:update:$ROWS:1:$BATCH:1:0.10 on-conflict-batch:update:$ROWS:1:$BATCH:1:0.2)
# r2: one INSERT per row (bulk load), a multi-row upsert (batches), UPDATE from VALUES
BATCH_SHAPES=(prepared:insert:$ROWS:1:-:1:0.10 on-conflict-batch:insert:$ROWS:1:$BATCH:1:0.11
    values-multirow:insert:$ROWS:1:$BATCH:1:0.3 bulk-update:update:$ROWS:1:$BATCH:1:0.10
    on-conflict:update:$ROWS:1:$BATCH:1:0.2)
for workload in users products events; do
    file="$WB_SOURCE_DIR/workloads/$workload.yaml"
    advise_programs "$workload-r1" postgresql "$file" "${COPY_SHAPES[@]}"
    check_contains "$workload-r1: SQLAlchemy has no COPY: the code says what it does instead" "$(cat "$WB_OUT")" \
        "note: Python with SQLAlchemy Core has no COPY FROM STDIN here: this is multi-row INSERT ... VALUES"
    run_programs "$workload-r1" "$TARGET" "$file" libpq
    [[ $workload == products ]] && continue # the batch shapes on users and events only: keep the test short
    advise_programs "$workload-r2" postgresql "$file" "${BATCH_SHAPES[@]}"
    run_programs "$workload-r2" "$TARGET" "$file" libpq
done
finish
