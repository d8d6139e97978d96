#!/bin/sh
# A writebench external strategy in plain shell (tests/integration/test_external.sh):
# the sqlite3 command-line shell writes the workload with one INSERT ... SELECT (insert
# phase) or UPDATE ... FROM (update phase) per table over a recursive CTE of the keys,
# every column computed in SQL from the formulas of docs/WORKLOADS.md, hostile rows
# included. The row count and version are bound as parameters (.parameter set).
# Exit 77 (skipped) when the backend is not SQLite or sqlite3 is missing.
set -eu

if [ "$WRITEBENCH_BACKEND" != sqlite ]; then
    echo "sqlite_cte.sh writes SQLite only" >&2
    exit 77
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "the sqlite3 command is not installed (Debian: sqlite3)" >&2
    exit 77
fi
# .parameter set puts its value into SQL text: accept plain numbers only
case "$WRITEBENCH_ROWS$WRITEBENCH_DATA_VERSION$WRITEBENCH_TIMEOUT_S" in
*[!0-9]*)
    echo "sqlite_cte.sh: not a number in WRITEBENCH_ROWS/DATA_VERSION/TIMEOUT_S" >&2
    exit 1
    ;;
esac

# The keys 1..:n and the decorations of the hostile kinds 2..7 (docs/WORKLOADS.md).
KEYS_SQL=$(cat <<'SQL'
WITH RECURSIVE
  keys(k) AS (SELECT 1 WHERE :n >= 1 UNION ALL SELECT k + 1 FROM keys WHERE k < :n),
  deco(kind, text) AS (VALUES (2, 'O''Brien '), (3, 'C:\temp\N '), (4, 'tab' || char(9)),
                              (5, 'line' || char(10)), (6, 'cr' || char(13)), (7, 'Zoë … 日本 ')),
  kinds AS (SELECT k, CASE WHEN k % 10 = 7 THEN k / 10 + :v - 1 ELSE NULL END AS base FROM keys),
SQL
)
# Each CTE "new" gives the rows of one table: kind = (base + offset) % 8, -1 for an
# ordinary row; kind 0 is NULL where nullable, 1 is '' (0 for price) where not unique,
# 2..7 put a decoration before text (docs/WORKLOADS.md, "Hostile rows").
USERS_SQL=$(cat <<'SQL'
  plain AS (SELECT k, ifnull((base + 0) % 8, -1) AS name_kind, ifnull((base + 3) % 8, -1) AS fullname_kind,
                   'user' || k || CASE :v WHEN 2 THEN '_v2' ELSE '' END AS name,
                   'User ' || k || CASE :v WHEN 2 THEN ' Smith-Jones' ELSE ' Smith' END AS fullname
            FROM kinds),
  new AS (SELECT k AS id,
                 CASE name_kind WHEN -1 THEN name WHEN 0 THEN name WHEN 1 THEN ''
                      ELSE (SELECT text FROM deco WHERE kind = name_kind) || name END AS name,
                 CASE fullname_kind WHEN -1 THEN fullname WHEN 0 THEN NULL WHEN 1 THEN ''
                      ELSE (SELECT text FROM deco WHERE kind = fullname_kind) || fullname END AS fullname
          FROM plain)
SQL
)
ADDRESS_SQL=$(cat <<'SQL'
  plain AS (SELECT k, ifnull((base + 5) % 8, -1) AS street_kind,
                   k || CASE :v WHEN 2 THEN ' Oak Avenue' ELSE ' Main Street' END AS street
            FROM kinds),
  new AS (SELECT k AS id,
                 CASE street_kind WHEN -1 THEN street WHEN 0 THEN street WHEN 1 THEN ''
                      ELSE (SELECT text FROM deco WHERE kind = street_kind) || street END AS street_address,
                 k AS user_id
          FROM plain)
SQL
)
PRODUCTS_SQL=$(cat <<'SQL'
  plain AS (SELECT k, ifnull((base + 0) % 8, -1) AS name_kind, ifnull((base + 4) % 8, -1) AS category_kind,
                   ifnull((base + 6) % 8, -1) AS price_kind,
                   'product ' || k || CASE :v WHEN 2 THEN ' v2' ELSE '' END AS name,
                   'category ' || (k % 100) || CASE :v WHEN 2 THEN ' v2' ELSE '' END AS category,
                   ((k * 7919 + (:v - 1) * 1013) % 1000000) / 100.0 AS price
            FROM kinds),
  new AS (SELECT k AS id,
                 CASE name_kind WHEN -1 THEN name WHEN 0 THEN NULL WHEN 1 THEN name
                      ELSE (SELECT text FROM deco WHERE kind = name_kind) || name END AS name,
                 CASE category_kind WHEN -1 THEN category WHEN 0 THEN NULL WHEN 1 THEN ''
                      ELSE (SELECT text FROM deco WHERE kind = category_kind) || category END AS category,
                 CASE price_kind WHEN 0 THEN NULL WHEN 1 THEN 0 ELSE price END AS price
          FROM plain)
SQL
)

# write TABLE COLUMNS ROWS_SQL: the statement that writes one table in this phase.
write() {
    printf '%s\n%s\n' "$KEYS_SQL" "$3"
    if [ "$WRITEBENCH_PHASE" = insert ]; then
        printf 'INSERT INTO %s (%s) SELECT %s FROM new;\n' "$1" "$2" "$2"
    else
        set_list=$(echo "$2" | sed 's/^id, //; s/\([a-z_][a-z_]*\)/\1 = new.\1/g')
        printf 'UPDATE %s SET %s FROM new WHERE %s.id = new.id;\n' "$1" "$set_list" "$1"
    fi
}

{
    echo ".bail on"
    echo ".timeout $((WRITEBENCH_TIMEOUT_S * 1000))"
    echo ".parameter set :n $WRITEBENCH_ROWS"
    echo ".parameter set :v $WRITEBENCH_DATA_VERSION"
    echo "PRAGMA foreign_keys = ON;"
    echo "BEGIN IMMEDIATE;"
    case "$WRITEBENCH_WORKLOAD" in
    users)
        write user_account "id, name, fullname" "$USERS_SQL"
        write address "id, street_address, user_id" "$ADDRESS_SQL"
        ;;
    products)
        write products "id, name, category, price" "$PRODUCTS_SQL"
        ;;
    *)
        echo "sqlite_cte.sh: unknown workload $WRITEBENCH_WORKLOAD" >&2
        exit 1
        ;;
    esac
    echo "COMMIT;"
} | sqlite3 -init /dev/null -batch "$WRITEBENCH_SQLITE_PATH"

echo "sqlite_cte.sh: wrote $WRITEBENCH_ROWS rows of $WRITEBENCH_TABLES in version $WRITEBENCH_DATA_VERSION" >&2
