# Integration test of "one run per database" on SQLite (issue 10, item 3): a run
# held inside its test by tests/external/hold.sh (a FIFO handshake, no sleep):
#  1. a second run, a profile, setup and drop on the same file are refused at once:
#     exit 2, one line naming the holder's run id, pid, host and start time, and
#     nothing written (no run directory, the tables untouched); count (read-only)
#     still works; a run on another file goes ahead side by side; a run through a
#     symlink to the file or to its directory is refused the same way;
#  2. once released the held run verifies, the lock file is gone, and the next run
#     on the same file succeeds;
#  3. a run killed with SIGKILL leaves no stale lock: the next run proceeds;
#  4. no lock file is made beside a database writebench did not create, and drop
#     removes the lock file with the tables but leaves the (writebench-marked) file.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/hold_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/hold_lib.sh"

command -v sqlite3 >/dev/null || skip_test "the sqlite3 command is needed by the writer program (Debian: sqlite3)"
command -v flock >/dev/null || skip_test "flock(1) is needed to wait for a killed run's lock (Debian: util-linux)"

ROWS=20
WRITER="$WB_SOURCE_DIR/tests/external/sqlite_cte.sh"
tmp=$(make_temp_dir)
DB="$tmp/shared.db"
LOCK="$DB.writebench-lock"

# --- 1. a run holds the file
held_start A "$WRITER" --db "sqlite://$DB" --rows $ROWS --results "$tmp/results-a"
check "while A runs, the lock file is beside the database" test -f "$LOCK"

run_wb run --db "sqlite://$DB" --rows $ROWS --strategies server-generate --results "$tmp/results-b"
check_refused "a second run on the same file" A
check_contains "  ... and names the database" "$(cat "$WB_ERR")" "the SQLite database $DB is in use"
check_eq "  ... and makes no run directory" "" "$(ls "$tmp/results-b" 2>/dev/null)"

# The same file through a symlink, and through a symlinked directory: the same lock.
ln -s "$DB" "$tmp/link.db"
ln -s "$tmp" "$tmp/dir-link"
run_wb run --db "sqlite://$tmp/link.db" --rows $ROWS --strategies server-generate --results "$tmp/results-link"
check_refused "a second run through a symlink to the file" A
check_eq "  ... and makes no run directory" "" "$(ls "$tmp/results-link" 2>/dev/null)"
run_wb run --db "sqlite://$tmp/dir-link/shared.db" --rows $ROWS --strategies server-generate --results "$tmp/results-link"
check_refused "a second run through a symlink to its directory" A

run_wb profile --db "sqlite://$DB" --rows $ROWS --repeat 1 --load-repeat 1 --baseline-only --no-cache \
    --results "$tmp/results-p"
check_refused "profile on the same file" A
check_eq "  ... and makes no run directory" "" "$(ls "$tmp/results-p" 2>/dev/null)"

run_wb setup --db "sqlite://$DB" --workload products
check_refused "setup on the same file" A
run_wb drop --db "sqlite://$DB"
check_refused "drop on the same file" A
check_eq "  ... which dropped nothing: A's tables are there" \
    "address,user_account,writebench_meta" \
    "$(sqlite3 "$DB" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)")"
run_wb count --db "sqlite://$DB"
check_eq "count (read-only) is not refused while A runs" 0 "$WB_RC" || show_wb_output

run_wb run --db "sqlite://$tmp/other.db" --rows $ROWS --strategies server-generate --results "$tmp/results-other"
check_eq "a run on another file goes ahead while A runs" 0 "$WB_RC" || show_wb_output

# --- 2. released, A finishes and verifies; the lock is gone
held_release A
check_eq "A, released: exit 0 (its writer verified)" 0 "${HELD_RC[A]}" || held_output A
check_contains "A verified both passes" "$(cat "${HELD_DIR[A]}/out")" "2 of 2 tests verified"
check "A removed its lock file" test ! -e "$LOCK"
run_wb run --db "sqlite://$DB" --rows $ROWS --strategies server-generate --results "$tmp/results-c"
check_eq "the next run on the same file succeeds" 0 "$WB_RC" || show_wb_output

# --- 3. SIGKILL leaves no stale lock
held_start K "$WRITER" --db "sqlite://$DB" --rows $ROWS --results "$tmp/results-k"
held_kill K
# The run's forked child dies with it (PR_SET_PDEATHSIG) a moment later; wait for the
# kernel to drop the last holder, bounded, as an event (flock -w), not a sleep.
check "after SIGKILL the lock is freed" flock -w "$HELD_WAIT_S" "$LOCK" true
run_wb run --db "sqlite://$DB" --rows $ROWS --strategies server-generate --results "$tmp/results-after-kill"
check_eq "the run after a SIGKILLed one proceeds" 0 "$WB_RC" || show_wb_output
check "  ... and removes the lock file the killed run left" test ! -e "$LOCK"

# --- 4. only beside writebench's own files; drop removes the lock file, keeps the file
FOREIGN="$tmp/foreign.db"
sqlite3 "$FOREIGN" "CREATE TABLE mine(x); INSERT INTO mine VALUES (1);"
run_wb run --db "sqlite://$FOREIGN" --rows $ROWS --strategies server-generate --results "$tmp/results-f"
check_eq "a run on a file writebench did not create is refused" 2 "$WB_RC" || show_wb_output
check "  ... and no lock file is made beside it" test ! -e "$FOREIGN.writebench-lock"
run_wb drop --db "sqlite://$FOREIGN"
check_eq "drop of a file writebench did not create is refused" 2 "$WB_RC" || show_wb_output
check "  ... and no lock file is made beside it" test ! -e "$FOREIGN.writebench-lock"

run_wb drop --db "sqlite://$DB"
check_eq "drop of writebench's file: exit 0" 0 "$WB_RC" || show_wb_output
check "  ... leaves no lock file" test ! -e "$LOCK"
check_eq "  ... and keeps the file, holding only writebench's mark" "writebench_meta" \
    "$(sqlite3 "$DB" "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'")"

finish
