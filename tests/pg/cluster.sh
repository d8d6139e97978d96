#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite (the CTest fixture "pg") and for
# people who want a scratch server: the bash twin of src/backends/pg_temp.c.
#
#     tests/pg/cluster.sh start DIR   # initdb + start; writes DIR/conninfo
#     tests/pg/cluster.sh start DIR --standby sync|async --pooler transaction|session
#     tests/pg/cluster.sh stop DIR    # stop (immediate) and remove everything
#
# The topologies are those of `--db pg-temp:?standby=...&pooler=...`: a streaming standby
# made with pg_basebackup (sync: synchronous_standby_names = '*' on the primary, so every
# commit waits for its flush), and pgbouncer in front of the primary on its own socket in
# the same directory (pool_mode transaction or session; run as postgres when we are root,
# since pgbouncer refuses root). DIR/conninfo is what a client uses (pgbouncer's socket
# when there is a pooler); DIR/conninfo_primary reaches the primary itself and
# DIR/conninfo_standby the standby.
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

# Stop the postmaster of one data directory (immediate), killing it if pg_ctl cannot.
stop_postmaster() {
    local cluster=$1 data=$2 bindir pid
    [[ -f "$data/postmaster.pid" ]] || return 0
    bindir=$(find_bindir) || bindir=""
    if [[ -n "$bindir" ]]; then
        as_server "$cluster" "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cmd_stop() {
    local dir=$1 cluster pid
    [[ -f "$dir/cluster_dir" ]] || return 0
    cluster=$(cat "$dir/cluster_dir")
    # Remove only what start made: a directory holding a cluster data directory.
    if [[ -n "$cluster" && -d "$cluster" && ( -f "$cluster/data/PG_VERSION" || -f "$cluster/initdb.log" ) ]]; then
        # The pooler first (its clients go), then the standby, then the primary.
        pid=$(cat "$cluster/pgbouncer.pid" 2>/dev/null || true)
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        stop_postmaster "$cluster" "$cluster/standby"
        stop_postmaster "$cluster" "$cluster/data"
        rm -rf "$cluster"
    fi
    rm -f "$dir/conninfo" "$dir/conninfo_primary" "$dir/conninfo_standby" "$dir/cluster_dir"
    rmdir "$dir" 2>/dev/null || true
    echo "cluster.sh: stopped and removed $cluster"
}

# Wait until the primary sees the standby streaming (as its synchronous standby for sync).
await_streaming() {
    local primary=$1 mode=$2 condition="state = 'streaming'" n
    [[ "$mode" == sync ]] && condition="$condition AND sync_state = 'sync'"
    for _ in $(seq 600); do
        n=$(psql "$primary" -Atc "SELECT count(*) FROM pg_stat_replication WHERE $condition" 2>/dev/null || echo 0)
        [[ "$n" -gt 0 ]] && return 0
        sleep 0.1
    done
    die "the standby was not streaming within 60 s"
}

cmd_start() {
    local dir=$1 standby=$2 pooler=$3 bindir cluster port
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
        [[ "$standby" == sync ]] && echo "synchronous_standby_names = '*'"
        # pgbouncer drops the clients' startup options, where writebench sets its search_path
        [[ -n "$pooler" ]] && echo "search_path = '\"writebench\"'"
    } >>"$cluster/data/postgresql.conf"
    if ! as_server "$cluster" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 60 \
        start >/dev/null 2>&1; then
        tail -n 5 "$cluster/postgres.log" >&2 || true
        die "the server did not start (log above)"
    fi
    local primary client
    primary="host=$(conninfo_quote "$cluster") port=$port dbname=postgres user=postgres"
    echo "$primary" >"$dir/conninfo_primary"
    client=$primary

    if [[ -n "$standby" ]]; then
        if ! as_server "$cluster" "$bindir/pg_basebackup" -D "$cluster/standby" -h "$cluster" -p "$port" \
            -U postgres -X stream -R --checkpoint=fast --no-sync >"$cluster/basebackup.log" 2>&1; then
            tail -n 5 "$cluster/basebackup.log" >&2
            die "pg_basebackup failed (log above)"
        fi
        if ! as_server "$cluster" "$bindir/pg_ctl" -D "$cluster/standby" -l "$cluster/standby.log" -w -t 60 \
            -o "-p $((port + 1))" start >/dev/null 2>&1; then
            tail -n 5 "$cluster/standby.log" >&2 || true
            die "the standby did not start (log above)"
        fi
        await_streaming "$primary" "$standby"
        echo "host=$(conninfo_quote "$cluster") port=$((port + 1)) dbname=postgres user=postgres" \
            >"$dir/conninfo_standby"
    fi

    if [[ -n "$pooler" ]]; then
        local pgbouncer
        pgbouncer=$(PATH="$PATH:/usr/sbin:/usr/local/sbin" command -v pgbouncer) ||
            die "--pooler needs pgbouncer (Debian: apt-get install pgbouncer)"
        [[ "$cluster" =~ ^[A-Za-z0-9/._+-]+$ ]] || die "pgbouncer cannot hold the directory $cluster; set TMPDIR"
        {
            echo "[databases]"
            echo "postgres = host=$cluster port=$port dbname=postgres user=postgres"
            echo "[pgbouncer]"
            echo "listen_port = $((port + 2))"
            echo "unix_socket_dir = $cluster"
            echo "auth_type = trust"
            echo "auth_file = $cluster/pgbouncer.users"
            echo "admin_users = postgres"
            echo "pool_mode = $pooler"
            echo "default_pool_size = 100"
            echo "max_client_conn = 300"
            echo "ignore_startup_parameters = extra_float_digits, options"
            echo "logfile = $cluster/pgbouncer.log"
            echo "pidfile = $cluster/pgbouncer.pid"
        } >"$cluster/pgbouncer.ini"
        echo '"postgres" ""' >"$cluster/pgbouncer.users"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$cluster/pgbouncer.ini" "$cluster/pgbouncer.users"
        # -d: pgbouncer daemonizes once its socket listens; as postgres (it refuses root),
        # so the log file it creates is never root's.
        if ! as_server "$cluster" "$pgbouncer" -d "$cluster/pgbouncer.ini" >/dev/null 2>&1; then
            tail -n 5 "$cluster/pgbouncer.log" >&2 || true
            die "pgbouncer did not start (log above)"
        fi
        client="host=$(conninfo_quote "$cluster") port=$((port + 2)) dbname=postgres user=postgres"
        for _ in $(seq 100); do psql "$client" -Atc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    echo "$client" >"$dir/conninfo"
    echo "cluster.sh: $("$bindir/postgres" --version) running${standby:+ with a $standby standby}${pooler:+ behind pgbouncer ($pooler pooling)}; conninfo in $dir/conninfo: $(cat "$dir/conninfo")"
}

usage="usage: $0 start DIR [--standby sync|async] [--pooler transaction|session] | stop DIR"
case "${1:-}" in
    start | stop)
        command=$1
        [[ $# -ge 2 && -n "$2" ]] || die "$usage"
        dir=$2
        shift 2
        standby="" pooler=""
        while [[ $# -gt 0 && "$command" == start ]]; do
            case "$1=${2:-}" in
                --standby=sync | --standby=async) standby=$2 ;;
                --pooler=transaction | --pooler=session) pooler=$2 ;;
                *) die "$usage" ;;
            esac
            shift 2
        done
        [[ $# -eq 0 ]] || die "$usage"
        [[ "$dir" == /* ]] || dir="$PWD/$dir"
        if [[ "$command" == start ]]; then cmd_start "$dir" "$standby" "$pooler"; else cmd_stop "$dir"; fi
        ;;
    *)
        die "$usage (start writes DIR/conninfo)"
        ;;
esac
