#!/usr/bin/env bash
# writebench advise's code on MariaDB (docs/ANALYSIS.md, "advice"): for users and
# products, planted MariaDB runs advise the shapes the MariaDB languages write (one
# INSERT per row, multi-row VALUES, upserts of one row and of a batch; load-data and
# bulk-update fall back, and the code says so); the programs advise --code writes
# (Python with PyMySQL, Python with SQLAlchemy Core over mysql+pymysql) run as
# external strategies on the fixture's server and verify every pass they write.
# Needs the MariaDB fixture and /usr/bin/python3 with python3-pymysql and
# python3-sqlalchemy; skips (77) naming what is missing.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/advise_code.sh
source "$(dirname "${BASH_SOURCE[0]}")/advise_code.sh"

for module in sqlalchemy:python3-sqlalchemy pymysql:python3-pymysql; do
    /usr/bin/python3 -c "import ${module%%:*}" 2>/dev/null ||
        skip_test "the generated Python needs ${module%%:*} for /usr/bin/python3 (Debian: ${module#*:})"
done

mariadb_fixture

DB="wbt_advise_$$"
trap 'mdb_sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null; wb_cleanup' EXIT
tmp=$(make_temp_dir)
ROWS=200 # >= 80: every hostile kind in every column
BATCH=50
LANGUAGES=2 # Python with PyMySQL, Python with SQLAlchemy Core

# r1: LOAD DATA (bulk load: multi-row VALUES instead), multi-row VALUES (batches), one upsert per row
LOAD_SHAPES=(load-data:insert:$ROWS:1:-:1:0.10 prepared:insert:$ROWS:1:-:1:0.3
    values-multirow:insert:$ROWS:1:$BATCH:1:0.11 batch-commit:insert:$ROWS:1:$BATCH:1:0.5
    on-conflict:update:$ROWS:1:$BATCH:1:0.10 on-conflict-batch:update:$ROWS:1:$BATCH:1:0.2)
# r2: one INSERT per row (bulk load), a multi-row upsert (batches), the bulk UPDATE (a multi-row upsert instead)
BATCH_SHAPES=(prepared:insert:$ROWS:1:-:1:0.10 on-conflict-batch:insert:$ROWS:1:$BATCH:1:0.11
    values-multirow:insert:$ROWS:1:$BATCH:1:0.3 bulk-update:update:$ROWS:1:$BATCH:1:0.10
    on-conflict:update:$ROWS:1:$BATCH:1:0.2)
for workload in users products; do
    file="$WB_SOURCE_DIR/workloads/$workload.yaml"
    advise_programs "$workload-r1" mariadb "$file" "${LOAD_SHAPES[@]}"
    check_contains "$workload-r1: the code says what stands for LOAD DATA" "$(cat "$WB_OUT")" \
        "multi-row VALUES stands for LOAD DATA"
    run_programs "$workload-r1" "$(mdb_url "$DB")" "$file" none
    advise_programs "$workload-r2" mariadb "$file" "${BATCH_SHAPES[@]}"
    check_contains "$workload-r2: PyMySQL has no UPDATE from VALUES: the code says what it does instead" \
        "$(cat "$WB_OUT")" "Python with PyMySQL has no UPDATE ... FROM a VALUES list of B rows here: this is a multi-row upsert"
    run_programs "$workload-r2" "$(mdb_url "$DB")" "$file" none
done
finish
