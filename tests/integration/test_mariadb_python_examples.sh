# Integration test of the Python example strategies (examples/python) on MariaDB,
# run by writebench as external programs (issue 12):
#  1. --threads 2, users: the MySQL idioms (PyMySQL's executemany, a hand-built
#     multi-row INSERT, executemany of ON DUPLICATE KEY UPDATE) and SQLAlchemy's Core
#     and ORM forms through mysql+pymysql (executemany, the dialect's upsert, add_all,
#     scoped sessions over threads, the commit queue, bulk_update_mappings, the
#     dogpile.cache lookup and its stale reads) are ok and verified on both passes,
#     recorded as external python strategies; a PostgreSQL-only example is skipped
#     with the reason "needs PostgreSQL", an asyncio one with "needs SQLite or
#     PostgreSQL" (no asyncio MySQL driver in Debian) (test_pg_python_examples.sh runs
#     the whole directory, where these are skipped with "needs MariaDB");
#  2. products (unique name, decimal price): the MySQL idioms and the Core upsert verified.
# The shared checks are python_examples.sh's (with test_pg_python_examples.sh).
#
# Needs the MariaDB fixture (WB_MARIADB_URL_FILE, set by CTest) and Debian's
# /usr/bin/python3 with python3-sqlalchemy, python3-pymysql and python3-dogpile.cache (scripts/deps --test
# installs them); skips (77) naming what is missing. Works in a database of its own.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/python_examples.sh
source "$(dirname "${BASH_SOURCE[0]}")/python_examples.sh"

PYTHON=/usr/bin/python3 # the examples' #! line: Debian's packages are for this one
[[ -x "$PYTHON" ]] || skip_test "$PYTHON is missing: the Python examples need Debian's python3 (scripts/deps --examples)"
for module in sqlalchemy:python3-sqlalchemy pymysql:python3-pymysql dogpile.cache:python3-dogpile.cache; do
    "$PYTHON" -c "import ${module%%:*}" 2>/dev/null ||
        skip_test "the Python package ${module%%:*} is missing for $PYTHON (Debian: ${module#*:}; scripts/deps --examples)"
done

mariadb_fixture

EXAMPLES="$WB_SOURCE_DIR/examples/python"
DB="wbt_pyex_$$"
ROWS=100   # >= 80: every hostile kind in every column
BATCH=64   # several batches and commits per table
THREADS=2
trap 'mdb_sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null; wb_cleanup' EXIT
tmp=$(make_temp_dir)

start_s=$SECONDS
# --- 1. users
USERS_EXAMPLES=(pymysql_executemany pymysql_multirow pymysql_upsert core_executemany core_on_conflict orm_add_all
    orm_scoped_session_threads commit_queue_threads psycopg_executemany orm_bulk_update_mappings dogpile_cached_lookup
    async_core_insert)
run_examples mariadb-users "$(mdb_url "$DB")" users "${USERS_EXAMPLES[@]}"
check_examples mariadb-users mariadb users "${USERS_EXAMPLES[@]}"
# --- 2. products: the MySQL idioms and SQLAlchemy's Core forms
PRODUCTS_EXAMPLES=(pymysql_executemany pymysql_multirow pymysql_upsert core_on_conflict)
run_examples mariadb-products "$(mdb_url "$DB")" products "${PRODUCTS_EXAMPLES[@]}"
check_examples mariadb-products mariadb products "${PRODUCTS_EXAMPLES[@]}"
echo "(the two runs took $((SECONDS - start_s)) s)"

finish
