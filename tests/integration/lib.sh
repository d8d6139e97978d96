# Shared helpers for the integration tests (tests/integration/test_*.sh).
# Source it first thing:
#
#     source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#     dir=$(make_temp_dir)              # removed when the script exits
#     run_wb run --rows 10 ...          # sets WB_RC, WB_OUT, WB_ERR (files)
#     check_eq "exit status" 0 "$WB_RC"
#     check_contains "names the column" "$(cat "$WB_ERR")" "rows"
#     check "results.csv exists" test -f "$dir/results.csv"
#     py_checks "$dir/results.csv" <<'PY'   # python3 with sys.argv[1:] = the args
#     header, rows, _ = read_csv(sys.argv[1])
#     check(len(rows) == 3, "three rows")     # counted like the bash checks
#     PY
#     finish                            # prints "N passed, N failed", exits 0 or 1
#
# Contract of an integration test (run by CTest through bash): $WB_BIN is the
# built binary and $WB_SOURCE_DIR the source tree; exit 0 pass, 1 fail, 77 skip;
# the last line printed is "N passed, N failed". Set WB_KEEP_TMP=1 to keep the
# temporary directories for a look after a failure (their paths are printed).
#
# Everything here is plain bash plus python3 (installed by `scripts/deps --test`).

set -uo pipefail # no -e: a failing check must not end the test, it is counted

WB_PASSED=0
WB_FAILED=0
WB_TEMP_DIRS=()
WB_BG_PIDS=()

if [[ -z "${WB_BIN:-}" || ! -x "${WB_BIN}" ]]; then
    echo "WB_BIN must name the built writebench binary (got '${WB_BIN:-}')" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
WB_SOURCE_DIR=${WB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# Kill what the test left running and remove its temporary directories.
wb_cleanup() {
    local pid
    for pid in "${WB_BG_PIDS[@]+"${WB_BG_PIDS[@]}"}"; do
        kill -9 "$pid" 2>/dev/null
    done
    if [[ "${WB_KEEP_TMP:-0}" == 1 ]]; then
        [[ ${#WB_TEMP_DIRS[@]} -gt 0 ]] && echo "kept: ${WB_TEMP_DIRS[*]}" >&2
        return
    fi
    local dir
    for dir in "${WB_TEMP_DIRS[@]+"${WB_TEMP_DIRS[@]}"}"; do
        rm -rf "$dir"
    done
}
trap wb_cleanup EXIT
# CTest ends a test that runs past its TIMEOUT with a signal: clean up then too.
trap 'exit 143' TERM
trap 'exit 130' INT

# A fresh temporary directory, removed at exit. Every one is made inside one
# per-test directory, so `dir=$(make_temp_dir)` works although $(...) is a subshell.
WB_TEMP_REGISTRY=$(mktemp -d "${TMPDIR:-/tmp}/wbtest.XXXXXX")
WB_TEMP_DIRS+=("$WB_TEMP_REGISTRY")
make_temp_dir() {
    mktemp -d "$WB_TEMP_REGISTRY/tmp.XXXXXX"
}

# Remember a background process so it is killed at exit if still running.
track_pid() {
    WB_BG_PIDS+=("$1")
}

# Record one passed or failed assertion, with what it was about.
pass() {
    WB_PASSED=$((WB_PASSED + 1))
    echo "ok   - $*"
}
fail() {
    WB_FAILED=$((WB_FAILED + 1))
    echo "FAIL - $*"
}

# The check* functions count one assertion each and return 1 when it failed,
# so `check ... || show_wb_output` can add context.
# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what (command failed: $*)"; return 1; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; return 1; fi
}

# check_contains DESCRIPTION HAYSTACK NEEDLE
check_contains() {
    if [[ "$2" == *"$3"* ]]; then
        pass "$1"
    else
        fail "$1: '$3' not found in: $(head -c 600 <<<"$2")"
        return 1
    fi
}

# next_wb_output: name the files the next run of writebench writes its stdout and
# stderr to (WB_OUT, WB_ERR), fresh ones each run; for run_wb and its variants.
WB_RUN_COUNT=0
next_wb_output() {
    WB_RUN_COUNT=$((WB_RUN_COUNT + 1))
    WB_OUT="$WB_TEMP_REGISTRY/run$WB_RUN_COUNT.out"
    WB_ERR="$WB_TEMP_REGISTRY/run$WB_RUN_COUNT.err"
}

# run_wb ARGS...: runs "$WB_BIN" ARGS with stdin closed; sets WB_RC to its exit
# status and WB_OUT / WB_ERR to files holding its stdout / stderr.
run_wb() {
    next_wb_output
    "$WB_BIN" "$@" </dev/null >"$WB_OUT" 2>"$WB_ERR"
    # shellcheck disable=SC2034 # WB_RC is read by the tests
    WB_RC=$?
}

# run_wb_file_limited KIB ARGS...: run_wb under a file-size limit (ulimit -f KIB, in
# 1024-byte blocks), so that writebench's own writes past it fail with EFBIG.
run_wb_file_limited() {
    local limit=$1
    shift
    next_wb_output
    (ulimit -f "$limit" && exec "$WB_BIN" "$@") </dev/null >"$WB_OUT" 2>"$WB_ERR"
    # shellcheck disable=SC2034 # WB_RC is read by the tests
    WB_RC=$?
}

# Show the last lines of the previous run_wb's output (after a failed check).
show_wb_output() {
    echo "--- stdout (tail):"
    tail -n 20 "$WB_OUT"
    echo "--- stderr (tail):"
    tail -n 20 "$WB_ERR"
}

# The single run directory under a --results directory ("" when not exactly one).
run_dir_in() {
    local dirs=("$1"/*/)
    if [[ ${#dirs[@]} -eq 1 && -d "${dirs[0]}" ]]; then echo "${dirs[0]%/}"; else echo ""; fi
}

# py_checks ARGS... <<'PY' ... PY
# Runs a python3 script given on stdin with sys.argv[1:] = ARGS. The script can call
#   check(condition, "what")     -> counted like check above
#   read_csv(path) -> (header, rows as dicts, rows as lists)
# Lines it prints that are not checks are shown as they are.
WB_PY_PRELUDE='
import csv, json, sys
def check(cond, what):
    print(("PYPASS " if cond else "PYFAIL ") + str(what).replace("\n", " "), flush=True)
    return bool(cond)
def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        lists = list(csv.reader(f))
    header, body = (lists[0], lists[1:]) if lists else ([], [])
    return header, [dict(zip(header, r)) for r in body], body
'
py_checks() {
    local script line
    script="$WB_PY_PRELUDE$(cat)"
    while IFS= read -r line; do
        case "$line" in
            "PYPASS "*) pass "${line#PYPASS }" ;;
            "PYFAIL "*) fail "${line#PYFAIL }" ;;
            "PYEXIT 0") ;;
            "PYEXIT "*) fail "python check script ended with status ${line#PYEXIT } (see above)" ;;
            *) echo "$line" ;;
        esac
    done < <(python3 -c "$script" "$@" 2>&1; echo "PYEXIT $?")
}

# skip_test REASON: the test cannot run here; exit 77 (CTest reports "skipped").
skip_test() {
    echo "SKIP: $*"
    echo "0 passed, 0 failed"
    exit 77
}

# pg_fixture [psql]: set BASE to the conninfo of the PostgreSQL fixture that CTest
# starts (pg/start). Skips (77) when WB_PG_CONNINFO_FILE is unset, as for a test run
# by hand; fails when the fixture cannot be read; with "psql", also fails when
# psql is missing. Never skips in CI: there CTest always sets the variable.
pg_fixture() {
    [[ -n "${WB_PG_CONNINFO_FILE:-}" ]] ||
        skip_test "WB_PG_CONNINFO_FILE is not set (CTest sets it; by hand: tests/pg/cluster.sh start DIR, then WB_PG_CONNINFO_FILE=DIR/conninfo)"
    if [[ ! -r "$WB_PG_CONNINFO_FILE" ]]; then
        fail "cannot read the PostgreSQL fixture's conninfo $WB_PG_CONNINFO_FILE (did pg/start fail?)"
        finish
    fi
    if [[ "${1:-}" == psql ]] && ! command -v psql >/dev/null; then
        fail "psql is needed by this test (Debian: postgresql-client)"
        finish
    fi
    BASE=$(cat "$WB_PG_CONNINFO_FILE")
}

# mariadb_fixture: set MDB_URL to the --db URL of the MariaDB fixture that CTest
# starts (mariadb/start: root over a unix socket, no database named), MDB_SOCKET to
# its socket, and define mdb_sql (the mariadb client on it, as root, tab-separated,
# no headers). Skips (77) when WB_MARIADB_URL_FILE is unset, as for a test run by
# hand; fails when the fixture cannot be read. Never skips in CI.
mariadb_fixture() {
    [[ -n "${WB_MARIADB_URL_FILE:-}" ]] ||
        skip_test "WB_MARIADB_URL_FILE is not set (CTest sets it; by hand: tests/mariadb/server.sh start DIR, then WB_MARIADB_URL_FILE=DIR/url)"
    local socket_file
    socket_file="$(dirname "$WB_MARIADB_URL_FILE")/socket"
    if [[ ! -r "$WB_MARIADB_URL_FILE" || ! -r "$socket_file" ]]; then
        fail "cannot read the MariaDB fixture's URL $WB_MARIADB_URL_FILE (did mariadb/start fail?)"
        finish
    fi
    MDB_URL=$(cat "$WB_MARIADB_URL_FILE")
    MDB_SOCKET=$(cat "$socket_file")
}

# mdb_url DATABASE [USER[:PASSWORD]]: the fixture's URL naming a database (and a user).
mdb_url() {
    echo "mariadb://${2:-root}@localhost/$1?${MDB_URL#*\?}"
}

mdb_sql() {
    mariadb --no-defaults -S "$MDB_SOCKET" -u root -N -B "$@"
}

# finish: the closing line, and the exit status (0 when nothing failed).
finish() {
    echo "$WB_PASSED passed, $WB_FAILED failed"
    [[ $WB_FAILED -eq 0 ]] && exit 0
    exit 1
}

# need_chromium: set WB_BROWSER to headless Chromium (WB_CHROMIUM names one, else the
# first of chromium, chromium-browser, google-chrome on PATH). Missing: in CI
# (CI=true) the test fails; elsewhere it is skipped with the reason.
need_chromium() {
    WB_BROWSER=""
    if [[ -n "${WB_CHROMIUM:-}" ]]; then
        [[ -x "$WB_CHROMIUM" ]] && WB_BROWSER=$WB_CHROMIUM
    else
        local name
        for name in chromium chromium-browser google-chrome; do
            if command -v "$name" >/dev/null 2>&1; then
                WB_BROWSER=$(command -v "$name")
                break
            fi
        done
    fi
    if [[ -z "$WB_BROWSER" ]]; then
        if [[ "${CI:-}" == "true" ]]; then
            fail "chromium is not installed, and CI must render the report (scripts/deps --test installs it)"
            finish
        fi
        skip_test "chromium is not installed (scripts/deps --test installs it)"
    fi
}

# chromium_headless DIR ARGS...: run $WB_BROWSER headless with a throwaway profile and
# HOME under DIR, no network, no GPU (a report needs none of them); `timeout` guards
# against a browser that never exits. Its stderr goes to DIR/browser.log.
chromium_headless() {
    local dir=$1
    shift
    mkdir -p "$dir/profile" "$dir/home"
    HOME="$dir/home" timeout 120 "$WB_BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --user-data-dir="$dir/profile" "$@" 2>>"$dir/browser.log"
}
