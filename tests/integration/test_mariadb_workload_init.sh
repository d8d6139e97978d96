# Integration test of `writebench workload init --from mariadb://...` (docs/WORKLOADS.md,
# "workload init"): tables the test creates in a database of its own (not
# writebench's: no mark), with data, a foreign key, a CHECK, a JSON column, an ENUM,
# TINYINT(1), an unsigned INT, a UNIQUE and a secondary index:
#   1. the file names each table's columns in PostgreSQL's spelling (boolean, json,
#      bigint for the unsigned int, text with the ENUM's labels as a choice), their
#      indexes, the foreign key and the CHECK;
#   2. reading wrote nothing: CHECKSUM TABLE of every table of the source database,
#      the list of its tables and its comment and collation are the same before and after
#      (no writebench database or lock table made);
#   3. the file loads (`workload check` on MariaDB) and a run with it verifies, both
#      passes, in a writebench database of its own;
#   4. a missing table is refused in one line naming it, exit 2.
# Needs the MariaDB fixture (WB_MARIADB_URL_FILE, set by CTest).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mariadb_fixture

SRC="wbt_src_$$" RUN_DB="wbt_initrun_$$"
tmp=$(make_temp_dir)
trap 'mdb_sql -e "DROP DATABASE IF EXISTS $SRC; DROP DATABASE IF EXISTS $RUN_DB" 2>/dev/null; wb_cleanup' EXIT

mdb_sql -e "CREATE DATABASE $SRC; USE $SRC;
CREATE TABLE shop_customer (
    id BIGINT PRIMARY KEY,
    email VARCHAR(80) NOT NULL UNIQUE,
    active TINYINT(1) NOT NULL,
    visits INT UNSIGNED,
    tier ENUM('free', 'pro', 'team') NOT NULL,
    prefs JSON,
    joined DATETIME(6),
    CONSTRAINT visits_range CHECK (visits < 100000)
);
CREATE TABLE shop_order (
    id BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    total DECIMAL(10,2) NOT NULL,
    note TEXT,
    KEY shop_order_total_idx (total),
    CONSTRAINT shop_order_customer FOREIGN KEY (customer_id) REFERENCES shop_customer (id)
);
INSERT INTO shop_customer SELECT seq, CONCAT('c', seq, '@example.org'), seq % 2, seq * 3, ELT(1 + seq % 3, 'free', 'pro', 'team'),
    '{\"a\":1}', TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_50;
INSERT INTO shop_order SELECT seq, 1 + seq % 50, seq * 1.25, CONCAT('note ', seq) FROM seq_1_to_120;" ||
    { fail "cannot create the source tables in $SRC"; finish; }

# source_state: what reading must not change (checksums, tables, the database's comment
# and collation; not the server's list of databases, which the tests beside this one change).
source_state() {
    mdb_sql -e "CHECKSUM TABLE $SRC.shop_customer, $SRC.shop_order EXTENDED;
        SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$SRC' ORDER BY 1;
        SELECT SCHEMA_NAME, SCHEMA_COMMENT, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA
            WHERE SCHEMA_NAME = '$SRC'"
}
source_state >"$tmp/before"

# --- 1. the description
run_wb workload init --from "$(mdb_url "$SRC")" --table "$SRC.shop_customer" --table "$SRC.shop_order"
check_eq "init --from: exit 0" 0 "$WB_RC" || show_wb_output
cp "$WB_OUT" "$tmp/shop.yaml"
py_checks "$tmp/shop.yaml" <<'PY'
text = open(sys.argv[1]).read()
def column(name):
    at = text.index(f"- name: {name}\n")
    return text[at:text.index("generator", at) + 200]
check("type: boolean" in column("active"), "TINYINT(1) is boolean")
check("type: bigint" in column("visits"), "an unsigned INT is bigint")
check("type: json" in column("prefs"), "a JSON column is json")
check("type: text" in column("tier") and "free" in column("tier") and "team" in column("tier"),
      "an ENUM is text with its labels")
check("type: numeric(10,2)" in column("total"), "DECIMAL(10,2) is numeric(10,2)")
check("type: timestamp" in column("joined"), "DATETIME(6) is timestamp")
check("kind: foreign_key" in column("customer_id") and "references: shop_customer" in column("customer_id"),
      "the foreign key is a foreign_key generator")
check("visits < 100000" in text, "the CHECK is kept")
check("shop_order_total_idx" in text, "the secondary index is kept")
check("unique: true" in text, "the UNIQUE index is kept")
PY

# --- 2. nothing written
source_state >"$tmp/after"
check "reading changed nothing: checksums, tables, the database's comment and collation" diff -u "$tmp/before" "$tmp/after"
# (only the source database is looked at: other tests share the fixture's server and
# make writebench databases of their own meanwhile)
check_eq "the source database was not claimed (no writebench mark)" 0 \
    "$(mdb_sql -e "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$SRC' AND SCHEMA_COMMENT LIKE '%writebench%'")"

# --- 3. the file loads and runs
run_wb workload check "$tmp/shop.yaml" --db "$(mdb_url "$RUN_DB")"
check_eq "workload check agrees on MariaDB" 0 "$WB_RC" || show_wb_output
run_wb run --db "$(mdb_url "$RUN_DB")" --workload "$tmp/shop.yaml" --rows 100 --slow-rows 100 \
    --strategies single-tx,load-data,on-conflict-batch,update-then-insert --results "$tmp/run"
check_eq "run: exit 0" 0 "$WB_RC" || show_wb_output
py_checks "$(run_dir_in "$tmp/run")/results.csv" <<'PY'
_, rows, _ = read_csv(sys.argv[1])
bad = [(r["test"], r["error"][:120]) for r in rows if r["success"] != "1" or r["rows_verified"] != "200"]
check(len(rows) == 6 and not bad, f"every test verified both tables' 100 rows ({len(rows)} tests; {bad[:3]})")
PY
source_state >"$tmp/after-run"
check "the run did not touch the source database" diff -u "$tmp/before" <(grep -v "^$RUN_DB$" "$tmp/after-run")

# --- 4. a missing table
run_wb workload init --from "$(mdb_url "$SRC")" --table "$SRC.no_such_table"
check_eq "a missing table: exit 2" 2 "$WB_RC"
check_contains "a missing table: named" "$(cat "$WB_ERR")" "--table $SRC.no_such_table: the server has no such table"
check_eq "a missing table: one line" 1 "$(wc -l <"$WB_ERR")"

finish
