# Integration test of `writebench profile` on MariaDB (docs/PROFILE.md): orders
# (three tables, foreign keys served by indexes, CHECKs), 200 rows, 10 repeats:
#   1. exit 0: the baseline's reads return exactly the generator's rows (DATETIME(6)'s
#      fractions and CHAR's stripped blanks are read as the canonical text);
#   2. every variant is there; the two indexes a foreign key needs (InnoDB refuses to
#      drop them, error 1553: the dialect's fk_needs_index) are skipped with that
#      reason on their trade-off line, and no other variant is skipped or failed;
#   3. profile.csv holds the variants that ran, with the MariaDB backend, and none of
#      the skipped ones.
# Needs the MariaDB fixture (WB_MARIADB_URL_FILE, set by CTest).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mariadb_fixture

DB="wbt_profile_$$"
tmp=$(make_temp_dir)
trap 'mdb_sql -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null; wb_cleanup' EXIT

run_wb profile --db "$(mdb_url "$DB")" --workload orders --rows 200 --repeat 10 --results "$tmp/results"
check_eq "profile orders on MariaDB: exit 0" 0 "$WB_RC" || show_wb_output
cp "$WB_OUT" "$tmp/out.txt"
run_dir=$(run_dir_in "$tmp/results")
py_checks "$tmp/out.txt" "$run_dir/profile.csv" <<'PY'
import re
out = open(sys.argv[1]).read()
variants = re.findall(r"^== (\S+): ", out, re.M)
needed = ["without:orders_customer_id_ordered_at_idx", "without:order_items_order_id_idx"]
check(all(v in variants for v in needed) and "baseline" in variants and len(variants) >= 8,
      f"the variants: {variants}")
for name, fk in (("orders_customer_id_ordered_at_idx", "orders.customer_id"), ("order_items_order_id_idx", "order_items.order_id")):
    line = f"  index {name}: MariaDB cannot drop it: the foreign key {fk} needs an index that leads with its column"
    check(line in out, f"{name}: skipped with the reason on its trade-off line")
skipped = re.findall(r"^(\S.*): skipped$", out, re.M)
check(len(skipped) == 2, f"only those two variants are skipped: {skipped}")
check("not measured (failed)" not in out, "no variant failed")
header, rows, _ = read_csv(sys.argv[2])
ran = {r["variant"] for r in rows}
check(all(r["backend"] == "mariadb" for r in rows) and rows, "profile.csv: the MariaDB backend's rows")
check(not ran & set(needed) and "baseline" in ran and len(ran) == len(variants) - 2,
      f"profile.csv: every variant that ran, none of the skipped ({sorted(ran)})")
PY

finish
