#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite (the CTest fixture "pg") and for
# people who want a scratch server: the bash twin of src/backends/pg_temp.c.
#
#     tests/pg/cluster.sh start DIR   # initdb + start; writes DIR/conninfo
#     tests/pg/cluster.sh stop DIR    # stop (immediate) and remove everything
#
# The cluster itself lives in a fresh directory under ${TMPDIR:-/tmp} (recorded in
# DIR/cluster_dir): a short path, because a unix socket path is limited to 107 bytes,
# and one the postgres user can reach even when DIR is under /root. The server listens
# on a unix socket in that directory only (listen_addresses=''), with trust
# authentication: safe because only the cluster's owner (and root) can enter it.
# Started by root, initdb and the server run as the `postgres` user (runuser).
# Every other setting is the server's default, as with `--db pg-temp:`.
#
# `start` fails loudly (exit 1) when the server binaries are missing: CI must install
# them (Debian: postgresql-15 libpq-dev), and a suite that needs PostgreSQL must never
# pass by skipping. `start` on a DIR that still holds a cluster stops that one first.
set -euo pipefail

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

# The directory holding initdb, pg_ctl and postgres.
find_bindir() {
    local dir best="" n
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/postgres" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        n=${dir#/usr/lib/postgresql/}
        n=${n%/bin}
        [[ "$n" =~ ^[0-9]+$ && -x "$dir/initdb" && -x "$dir/postgres" && -x "$dir/pg_ctl" ]] || continue
        if [[ -z "$best" || "$n" -gt "$best" ]]; then best=$n; fi
    done
    [[ -n "$best" ]] || return 1
    echo "/usr/lib/postgresql/$best/bin"
}

# Run a command as the user that owns the cluster (postgres when we are root), from a
# directory that user can enter (initdb and pg_ctl complain about an unreadable cwd).
as_server() {
    local cwd=$1
    shift
    if [[ $(id -u) -eq 0 ]]; then
        (cd "$cwd" && runuser -u postgres -- "$@")
    else
        (cd "$cwd" && "$@")
    fi
}

# A value for postgresql.conf: single-quoted, quotes doubled.
conf_quote() {
    printf "'%s'" "${1//\'/\'\'}"
}

# A value for a conninfo string: single-quoted, ' and \ backslash-escaped.
conninfo_quote() {
    local v=${1//\\/\\\\}
    printf "'%s'" "${v//\'/\\\'}"
}

cmd_stop() {
    local dir=$1 cluster bindir
    [[ -f "$dir/cluster_dir" ]] || return 0
    cluster=$(cat "$dir/cluster_dir")
    # Remove only what start made: a directory holding a cluster data directory.
    if [[ -n "$cluster" && -d "$cluster" && ( -f "$cluster/data/PG_VERSION" || -f "$cluster/initdb.log" ) ]]; then
        if [[ -f "$cluster/data/postmaster.pid" ]]; then
            bindir=$(find_bindir) || bindir=""
            if [[ -n "$bindir" ]]; then
                as_server "$cluster" "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop \
                    >/dev/null 2>&1 || true
            fi
            local pid
            pid=$(head -n 1 "$cluster/data/postmaster.pid" 2>/dev/null || true)
            if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        rm -rf "$cluster"
    fi
    rm -f "$dir/conninfo" "$dir/cluster_dir"
    rmdir "$dir" 2>/dev/null || true
    echo "cluster.sh: stopped and removed $cluster"
}

cmd_start() {
    local dir=$1 bindir cluster port
    bindir=$(find_bindir) ||
        die "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in \`pg_config --bindir\` or /usr/lib/postgresql/<version>/bin; install them (Debian: apt-get install postgresql-15 libpq-dev)"
    if [[ $(id -u) -eq 0 ]]; then
        id -u postgres >/dev/null 2>&1 ||
            die "running as root, PostgreSQL refuses to run as root, and there is no 'postgres' user"
    fi
    cmd_stop "$dir" >/dev/null # a cluster left behind by an interrupted run
    mkdir -p "$dir"

    cluster=$(mktemp -d "${TMPDIR:-/tmp}/wb-pg.XXXXXX")
    echo "$cluster" >"$dir/cluster_dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$cluster"
    # Any port works (the socket is in a private directory); varying it keeps the
    # SysV shared-memory keys PostgreSQL derives from the port apart.
    port=$((5433 + RANDOM % 20000))

    if ! as_server "$cluster" "$bindir/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 \
        --locale=C --no-sync >"$cluster/initdb.log" 2>&1; then
        tail -n 5 "$cluster/initdb.log" >&2
        die "initdb failed (log above)"
    fi
    {
        echo "# set by tests/pg/cluster.sh: a private unix socket, no TCP"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = $(conf_quote "$cluster")"
        echo "port = $port"
    } >>"$cluster/data/postgresql.conf"
    if ! as_server "$cluster" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 60 \
        start >/dev/null 2>&1; then
        tail -n 5 "$cluster/postgres.log" >&2 || true
        die "the server did not start (log above)"
    fi
    echo "host=$(conninfo_quote "$cluster") port=$port dbname=postgres user=postgres" >"$dir/conninfo"
    echo "cluster.sh: $("$bindir/postgres" --version) running; conninfo in $dir/conninfo: $(cat "$dir/conninfo")"
}

case "${1:-}" in
    start | stop)
        [[ $# -eq 2 && -n "$2" ]] || die "usage: $0 start|stop DIR"
        dir=$2
        [[ "$dir" == /* ]] || dir="$PWD/$dir"
        "cmd_$1" "$dir"
        ;;
    *)
        die "usage: $0 start|stop DIR (start writes DIR/conninfo)"
        ;;
esac
