#!/bin/sh
# A writebench external strategy for PostgreSQL in plain shell
# (tests/integration/test_pg_external.sh): psql with NO connection arguments (the
# server comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and unqualified
# table names (writebench's schema comes from PGOPTIONS's search_path) writes the
# workload with one INSERT ... SELECT over generate_series (insert phase) or
# UPDATE ... FROM (update phase) per table, every column computed in SQL from the
# formulas of docs/WORKLOADS.md, hostile rows included.
# With a first argument DIR, it first writes its environment into DIR/<phase>.env.
# Exit 77 (skipped) when the backend is not PostgreSQL or psql is missing.
set -eu

if [ "$WRITEBENCH_BACKEND" != postgresql ]; then
    echo "pg_psql.sh writes PostgreSQL only" >&2
    exit 77
fi
if ! command -v psql >/dev/null 2>&1; then
    echo "the psql command is not installed (Debian: postgresql-client)" >&2
    exit 77
fi
if [ $# -ge 1 ]; then
    env >"$1/$WRITEBENCH_PHASE.env"
fi
# psql's :n and :v are put into the SQL as text: accept plain numbers only
case "$WRITEBENCH_ROWS$WRITEBENCH_DATA_VERSION" in
*[!0-9]*)
    echo "pg_psql.sh: not a number in WRITEBENCH_ROWS/DATA_VERSION" >&2
    exit 1
    ;;
esac

# The keys 1..:n and the decorations of the hostile kinds 2..7 (docs/WORKLOADS.md);
# base is NULL for ordinary rows, so (base + offset) % 8 is NULL too: coalesced to -1.
KEYS_SQL=$(cat <<'SQL'
WITH keys AS (SELECT k::bigint AS k FROM generate_series(1, :n) AS k),
  deco(kind, text) AS (VALUES (2, E'O\'Brien '), (3, E'C:\\temp\\N '), (4, E'tab\t'),
                              (5, E'line\n'), (6, E'cr\r'), (7, 'Zoë … 日本 ')),
  kinds AS (SELECT k, CASE WHEN k % 10 = 7 THEN k / 10 + :v - 1 END AS base FROM keys),
SQL
)
# Kind 0 is NULL where nullable, 1 is '' (0 for price) where not unique, 2..7 put a
# decoration before text.
USERS_SQL=$(cat <<'SQL'
  plain AS (SELECT k, coalesce((base + 0) % 8, -1) AS name_kind, coalesce((base + 3) % 8, -1) AS fullname_kind,
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
  plain AS (SELECT k, coalesce((base + 5) % 8, -1) AS street_kind,
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
  plain AS (SELECT k, coalesce((base + 0) % 8, -1) AS name_kind, coalesce((base + 4) % 8, -1) AS category_kind,
                   coalesce((base + 6) % 8, -1) AS price_kind,
                   'product ' || k || CASE :v WHEN 2 THEN ' v2' ELSE '' END AS name,
                   'category ' || (k % 100) || CASE :v WHEN 2 THEN ' v2' ELSE '' END AS category,
                   ((k * 7919 + (:v - 1) * 1013) % 1000000)::numeric / 100 AS price
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
    echo "BEGIN;"
    case "$WRITEBENCH_WORKLOAD" in
    users)
        write user_account "id, name, fullname" "$USERS_SQL"
        write address "id, street_address, user_id" "$ADDRESS_SQL"
        ;;
    products)
        write products "id, name, category, price" "$PRODUCTS_SQL"
        ;;
    *)
        echo "pg_psql.sh: unknown workload $WRITEBENCH_WORKLOAD" >&2
        exit 1
        ;;
    esac
    echo "COMMIT;"
} | PGCLIENTENCODING=UTF8 psql -X -q -v ON_ERROR_STOP=1 -v n="$WRITEBENCH_ROWS" -v v="$WRITEBENCH_DATA_VERSION"

echo "pg_psql.sh: wrote $WRITEBENCH_ROWS rows of $WRITEBENCH_TABLES in version $WRITEBENCH_DATA_VERSION" >&2
