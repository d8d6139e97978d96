# Helpers for the tests of "one run per database" (test_lock.sh, test_pg_lock.sh):
# a run held in the middle of a test by tests/external/hold.sh, with a FIFO
# handshake, so that the test acts while the run surely holds its database's lock.
# Source it after lib.sh:
#
#     held_start A WRITER --db URL --rows 20 --results DIR   # returns once A is inside its test
#     echo "${HELD_RUN_ID[A]} ${HELD_PID[A]}"                  # A's run id and pid
#     held_release A                                          # lets it finish; HELD_RC[A] is its exit status
#
# WRITER is the program hold.sh runs in its place once released (it writes the
# data, so the run verifies); the run gets `--strategies none --external hold=...`
# after the options given. Every wait is bounded (HELD_WAIT_S), none is a sleep.

HELD_WAIT_S=120
declare -A HELD_PID HELD_DIR HELD_RELEASE_FD HELD_RUN_ID HELD_PROGRAM_PID HELD_RC

# held_start NAME WRITER RUN_OPTIONS...: start the run in the background and wait
# until its program has started (fails the test and finishes when it does not).
held_start() {
    local name=$1 writer=$2 dir fd_started fd_release line
    shift 2
    dir=$(make_temp_dir)
    mkfifo "$dir/started" "$dir/release"
    # Opened read-write, so that neither open blocks and the reads can be bounded.
    exec {fd_started}<>"$dir/started" {fd_release}<>"$dir/release"
    "$WB_BIN" run "$@" --strategies none --external hold="$WB_SOURCE_DIR/tests/external/hold.sh" \
        "$dir/started" "$dir/release" "$writer" </dev/null >"$dir/out" 2>"$dir/err" &
    HELD_PID[$name]=$!
    track_pid "${HELD_PID[$name]}"
    HELD_DIR[$name]=$dir
    HELD_RELEASE_FD[$name]=$fd_release
    if ! read -r -t "$HELD_WAIT_S" -u "$fd_started" line; then
        fail "held run $name: its program did not start within ${HELD_WAIT_S} s"
        echo "--- its stdout:"; cat "$dir/out"; echo "--- its stderr:"; cat "$dir/err"
        finish
    fi
    exec {fd_started}<&-
    HELD_PROGRAM_PID[$name]=${line#started }
    # The header ("writebench run <id>") is printed and flushed before the first test.
    HELD_RUN_ID[$name]=$(awk 'NR == 1 && $1 == "writebench" && $2 == "run" {print $3}' "$dir/out")
    check "held run $name: started, run id ${HELD_RUN_ID[$name]}" test -n "${HELD_RUN_ID[$name]}"
}

# held_release NAME: let the program go on, and wait for the run to end (HELD_RC).
held_release() {
    local name=$1
    echo go >&"${HELD_RELEASE_FD[$name]}"
    wait "${HELD_PID[$name]}"
    HELD_RC[$name]=$?
    local fd=${HELD_RELEASE_FD[$name]}
    exec {fd}>&-
}

# held_kill NAME: SIGKILL the run (writebench itself) and reap it.
held_kill() {
    local name=$1
    kill -9 "${HELD_PID[$name]}"
    wait "${HELD_PID[$name]}" 2>/dev/null
    HELD_RC[$name]=$?
    local fd=${HELD_RELEASE_FD[$name]}
    exec {fd}>&-
}

# held_output NAME: the held run's stdout and stderr, after a failed check.
held_output() {
    echo "--- stdout of held run $1:"; tail -n 20 "${HELD_DIR[$1]}/out"
    echo "--- stderr of held run $1:"; tail -n 20 "${HELD_DIR[$1]}/err"
}

# check_refused WHAT NAME: the last run_wb was refused at once because held run NAME
# holds the database: exit 2, one line on stderr naming its run id, pid, host (on
# PostgreSQL possibly cut short, with "...") and start time.
check_refused() {
    local what=$1 name=$2 err host
    err=$(cat "$WB_ERR")
    check_eq "$what: exit status 2" 2 "$WB_RC" || show_wb_output
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")" || show_wb_output
    check_contains "$what: names the holder's run id and pid" "$err" \
        "is in use by writebench run ${HELD_RUN_ID[$name]} (pid ${HELD_PID[$name]} on host "
    host=$(sed -n 's/.* on host \([^ ,]*\), since [0-9-]*T[0-9:]*Z).*/\1/p' "$WB_ERR")
    host=${host%...}
    check "$what: names the holder's host ($host) and start time" \
        test -n "$host" -a "${host}" = "$(hostname | cut -c1-${#host})"
}
