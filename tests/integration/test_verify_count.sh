# Integration test of how each figure is labelled by its check (issue 10, item 4):
#  1. --verify count: results.csv's verify column says "count", the console says
#     "counted", and an update pass that changed nothing (an external program that
#     writes nothing then) fails, found inside the database;
#  2. a built-in upsert's update pass under --verify count passes;
#  3. aggregate never mixes values and count in one group; compare pairs the same
#     test checked both ways but refuses to judge it.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null || skip_test "the sqlite3 command is needed by the writer program (Debian: sqlite3)"
tmp=$(make_temp_dir)
ROWS=30

# --- 1. a program that writes nothing on the update pass
run_wb run --db "sqlite://$tmp/lazy.db" --rows $ROWS --verify count --results "$tmp/lazy" \
    --strategies none --external lazy="$WB_SOURCE_DIR/tests/external/insert_only.sh"
check_eq "an update pass that changed nothing fails the run: exit 1" 1 "$WB_RC" || show_wb_output
out=$(cat "$WB_OUT")
check_contains "the insert pass is counted" "$out" "lazy-insert"
check "... and says counted, not verified" grep -Eq '^  lazy-insert .* counted' "$WB_OUT"
check_contains "the update pass fails, naming the unchanged rows" "$out" \
    "unchanged by the update pass although version 2 changes them (first: key 1)"
check_contains "... in user_account, all of them" "$out" "user_account: $ROWS of $ROWS rows unchanged"
run_dir=$(run_dir_in "$tmp/lazy")
py_checks "$run_dir/results.csv" <<'PY'
_, rows, _ = read_csv(sys.argv[1])
check([r["verify"] for r in rows] == ["count", "count"], f"results.csv: verify is count ({[r['verify'] for r in rows]})")
check([r["success"] for r in rows] == ["1", "0"], "insert counted, update failed")
check(all(float(r["verify_s"]) >= 0 for r in rows), "verify_s is measured for both")
PY
check_eq "the side table of the check is gone afterwards" "" \
    "$(sqlite3 "$tmp/lazy.db" "SELECT name FROM sqlite_master WHERE name LIKE 'writebench_before_%'")"

# --- 2. a built-in upsert under --verify count, and the same under --verify values
run_wb run --db "sqlite://$tmp/count.db" --rows $ROWS --verify count --strategies on-conflict --repeat 2 \
    --results "$tmp/both"
check_eq "on-conflict under --verify count: exit 0" 0 "$WB_RC" || show_wb_output
check "the footer says counted" grep -q "4 of 4 tests counted" "$WB_OUT"
check "the ranking says counted" grep -q "update pass, $ROWS rows, batch 1,000, 1 thread, counted, fastest first:" "$WB_OUT"
count_run=$(ls -d "$tmp/both"/*/)
run_wb run --db "sqlite://$tmp/values.db" --rows $ROWS --strategies on-conflict --repeat 2 --results "$tmp/both"
check_eq "on-conflict under --verify values: exit 0" 0 "$WB_RC" || show_wb_output
values_run=""
for d in "$tmp/both"/*/; do [[ "$d" != "$count_run" ]] && values_run=${d%/}; done
count_run=${count_run%/}

# --- 3. aggregate groups them apart; compare refuses to judge across them
run_wb aggregate --results "$tmp/both"
check_eq "aggregate: exit 0" 0 "$WB_RC"
py_checks "$WB_OUT" <<'PY'
_, groups, _ = read_csv(sys.argv[1])
upd = [g for g in groups if g["test"] == "on-conflict-update"]
check(sorted(g["verify"] for g in upd) == ["count", "values"], f"two groups of on-conflict-update, one per check ({[g['verify'] for g in upd]})")
check(all(g["runs"] == "2" for g in upd), "each of 2 runs, never pooled into 4")
check(all(g["mean_verify_s"] != "" for g in upd), "mean_verify_s is given")
PY
run_wb compare "$values_run" "$count_run" --format csv
check_eq "compare: exit 0" 0 "$WB_RC" || show_wb_output
check "compare pairs on-conflict-update but does not judge it" grep -q "on-conflict-update.*not judged.*verify values vs count" "$WB_OUT"
finish
