#!/usr/bin/env bash
# A throwaway MariaDB server for the test suite (the CTest fixture "mariadb") and for
# people who want a scratch server: the bash twin of src/backends/mariadb_temp.c.
#
#     tests/mariadb/server.sh start DIR   # install + start; writes DIR/url
#     tests/mariadb/server.sh stop DIR    # stop (kill) and remove everything
#
# The server lives in a fresh directory under ${TMPDIR:-/tmp} (recorded in
# DIR/server_dir): a short path, because a unix socket path is limited to 107
# bytes. It listens on a unix socket in that directory only (--skip-networking),
# root logs in without a password (--auth-root-authentication-method=normal):
# safe because only the directory's owner can enter it. Both programs run with
# --no-defaults, as with `--db mariadb-temp:`: no option file of the machine
# changes the server. Started by root, mariadbd runs with --user=root.
#
# DIR/url is the --db value: mariadb://root@localhost?socket=<percent-encoded path>;
# DIR/socket is the socket's path, for the mariadb client (mariadb -S "$(cat DIR/socket)").
#
# `start` fails loudly (exit 1) when the server programs are missing: CI must install
# them (Debian: mariadb-server), and a suite that needs MariaDB must never pass by
# skipping. `start` on a DIR that still holds a server stops that one first.
set -euo pipefail

die() {
    echo "server.sh: $*" >&2
    exit 1
}

# The first of the names found in PATH, /usr/sbin or /usr/bin.
find_program() {
    local name dir
    for name in "$@"; do
        for dir in ${PATH//:/ } /usr/sbin /usr/bin; do
            if [[ -x "$dir/$name" ]]; then
                echo "$dir/$name"
                return 0
            fi
        done
    done
    return 1
}

# Percent-encode a path for the URL's query (RFC 3986 unreserved characters kept).
url_encode() {
    local s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
            [a-zA-Z0-9.~_-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

cmd_stop() {
    local dir=$1 server pid
    [[ -f "$dir/server_dir" ]] || return 0
    server=$(cat "$dir/server_dir")
    # Remove only what start made: a directory holding a MariaDB data directory.
    if [[ -n "$server" && -d "$server" && ( -d "$server/data" || -f "$server/install.log" ) ]]; then
        pid=$(cat "$server/mariadbd.pid" 2>/dev/null || true)
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            # its data is thrown away: no clean shutdown
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
        fi
        rm -rf "$server"
    fi
    rm -f "$dir/url" "$dir/socket" "$dir/server_dir"
    rmdir "$dir" 2>/dev/null || true
    echo "server.sh: stopped and removed $server"
}

cmd_start() {
    local dir=$1 install_db mariadbd server user_arg=() pid
    install_db=$(find_program mariadb-install-db mysql_install_db) ||
        die "no mariadb-install-db in PATH, /usr/sbin or /usr/bin; install the server (Debian: apt-get install mariadb-server)"
    mariadbd=$(find_program mariadbd mysqld) ||
        die "no mariadbd in PATH, /usr/sbin or /usr/bin; install the server (Debian: apt-get install mariadb-server)"
    [[ $(id -u) -eq 0 ]] && user_arg=(--user=root)
    cmd_stop "$dir" >/dev/null # a server left behind by an interrupted run
    mkdir -p "$dir"

    server=$(mktemp -d "${TMPDIR:-/tmp}/wb-mariadb.XXXXXX")
    echo "$server" >"$dir/server_dir"
    if ! "$install_db" --no-defaults --datadir="$server/data" --auth-root-authentication-method=normal \
        --skip-test-db "${user_arg[@]}" >"$server/install.log" 2>&1; then
        tail -n 5 "$server/install.log" >&2
        die "mariadb-install-db failed (log above)"
    fi
    # Its own session, so that the suite's signals do not reach it; stop kills it.
    setsid "$mariadbd" --no-defaults --datadir="$server/data" --socket="$server/mariadbd.sock" --skip-networking \
        --pid-file="$server/mariadbd.pid" --log-error="$server/mariadbd.log" "${user_arg[@]}" \
        </dev/null >>"$server/mariadbd.log" 2>&1 &
    pid=$!
    # Ready when a client gets in (mariadb-admin ping answers before that).
    for _ in $(seq 1 600); do
        if mariadb --no-defaults -S "$server/mariadbd.sock" -u root -e 'SELECT 1' >/dev/null 2>&1; then
            echo "$server/mariadbd.sock" >"$dir/socket"
            echo "mariadb://root@localhost?socket=$(url_encode "$server/mariadbd.sock")" >"$dir/url"
            echo "server.sh: $("$mariadbd" --version | head -n 1) running; --db in $dir/url: $(cat "$dir/url")"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 5 "$server/mariadbd.log" >&2 || true
            die "the server exited while starting (log above)"
        fi
        sleep 0.1
    done
    tail -n 5 "$server/mariadbd.log" >&2 || true
    kill -KILL "$pid" 2>/dev/null || true
    die "the server did not accept connections within 60 s (log above)"
}

case "${1:-}" in
    start | stop)
        [[ $# -eq 2 && -n "$2" ]] || die "usage: $0 start|stop DIR"
        dir=$2
        [[ "$dir" == /* ]] || dir="$PWD/$dir"
        "cmd_$1" "$dir"
        ;;
    *)
        die "usage: $0 start|stop DIR (start writes DIR/url)"
        ;;
esac
