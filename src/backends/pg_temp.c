/* The throwaway PostgreSQL cluster of `--db pg-temp:` and its topologies (see pg_temp.h).
 *
 * Process layout:
 *
 *     writebench ──control pipe──> watcher (own session) ──> postgres (primary postmaster)
 *                                                        ├─> postgres (standby postmaster)
 *                                                        └─> pgbouncer
 *
 * The watcher is forked from writebench, makes its own session (so the terminal's
 * Ctrl-C, meant for writebench, never reaches the servers in the middle of a run), runs
 * initdb, starts the primary as its child and waits until it accepts connections; for a
 * standby it runs pg_basebackup, starts the standby and waits until the primary sees it
 * streaming (and synchronous, for standby=sync); for a pooler it writes pgbouncer's
 * configuration and starts pgbouncer. Then it reports on a status pipe and waits for
 * the control pipe to close. Closing it is how writebench says "stop": wb_pg_temp_stop
 * closes it, and so does the kernel when writebench dies in any way, SIGKILL included.
 * The watcher then stops the pooler, the standby and the primary, and removes the
 * directory. If the watcher itself is killed, every process it started gets a signal
 * from its parent-death setting (the directory then stays behind).
 *
 * Server settings changed from PostgreSQL's defaults: only what a private cluster
 * needs (listen_addresses='' - no TCP at all -, unix_socket_directories=<dir>, port),
 * and what the topology is: synchronous_standby_names='*' for standby=sync; behind a
 * pooler, search_path = the run's schema (pgbouncer drops the clients' startup options,
 * which is where writebench sets it otherwise). Everything that decides write speed
 * (fsync, synchronous_commit, shared_buffers, max_wal_size, ...) keeps initdb's
 * defaults, and run.conf records them. initdb runs with --no-sync (its files are
 * fsync'ed by nothing: a crash loses a throwaway cluster anyway), -A trust, -E UTF8,
 * --locale=C, superuser "postgres". */
#include "backends/pg_temp.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"

#define SERVER_USER "postgres"
#define READY_TIMEOUT_S 60.0
#define SHUTDOWN_TIMEOUT_S 10.0
/* The socket file's name inside the directory, longest form (sockaddr_un limits the path). */
#define SOCKET_SUFFIX_MAX "/.s.PGSQL.65535.lock"
/* pgbouncer's pool: room for --threads (at most 64) and writebench's own connections. */
#define POOL_SIZE 100
/* The pgbouncer database that reaches the primary (and the primary's database). */
#define POOLED_DATABASE "postgres"

struct wb_pg_temp {
    pid_t watcher;
    int control_fd; /* write end: closing it tells the watcher to stop the servers */
    wb_pg_topology topo;
    int port;         /* the primary's */
    int standby_port; /* the standby's, 0 without one */
    int pooler_port;  /* pgbouncer's, 0 without one */
    char dir[PATH_MAX];
    char bindir[PATH_MAX];
    char pgbouncer[PATH_MAX]; /* the pgbouncer binary, "" without a pooler */
    char search_path[160];    /* behind a pooler: "search_path=<schema quoted>", else "" */
};

/* Who runs initdb and the server: ourselves, or the postgres user when we are root. */
typedef struct run_as {
    int drop; /* switch to uid/gid before exec */
    uid_t uid;
    gid_t gid;
} run_as;

/* ---- small helpers ------------------------------------------------------ */

static int is_executable(const char *dir, const char *name)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    return n > 0 && (size_t)n < sizeof path && access(path, X_OK) == 0;
}

static int has_server_binaries(const char *dir)
{
    return is_executable(dir, "initdb") && is_executable(dir, "postgres");
}

/* The output of `pg_config --bindir` (no shell), trimmed; "" when it cannot run. */
static void pg_config_bindir(char *out, size_t n)
{
    out[0] = '\0';
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        execlp("pg_config", "pg_config", "--bindir", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t got;
    while (pid > 0 && len + 1 < n && (got = read(fds[0], out + len, n - 1 - len)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        len += (size_t)got;
    }
    out[len] = '\0';
    close(fds[0]);
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (pid <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        out[0] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
}

/* Where initdb and postgres are: pg_config's bindir when it holds them (Debian's
 * libpq-dev ships a pg_config naming a bindir without a server), else the highest
 * /usr/lib/postgresql/<N>/bin that does. */
static int find_bindir(char *out, size_t n, wb_error *e)
{
    pg_config_bindir(out, n);
    if (out[0] && has_server_binaries(out))
        return 0;
    int best = -1;
    DIR *d = opendir("/usr/lib/postgresql");
    for (struct dirent *ent; d && (ent = readdir(d)) != NULL;) {
        char *end = NULL;
        long major = strtol(ent->d_name, &end, 10);
        char bin[PATH_MAX];
        if (end == ent->d_name || *end || major <= best || major > INT_MAX)
            continue;
        snprintf(bin, sizeof bin, "/usr/lib/postgresql/%s/bin", ent->d_name);
        if (has_server_binaries(bin))
            best = (int)major;
    }
    if (d)
        closedir(d);
    if (best < 0)
        return wb_fail(e, "pg-temp: no PostgreSQL server binaries found (no initdb and postgres in "
                          "`pg_config --bindir` or /usr/lib/postgresql/<version>/bin); install the "
                          "server, e.g. `apt-get install postgresql-15`");
    snprintf(out, n, "/usr/lib/postgresql/%d/bin", best);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0; /* go on: remove as much as possible */
}

/* Remove a directory and everything in it, not following symlinks or crossing mounts. */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Append s as a single-quoted conninfo value (backslash before ' and \). */
static void conninfo_quote(const char *s, wb_buf *out)
{
    wb_buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            wb_buf_putc(out, '\\');
        wb_buf_putc(out, *s);
    }
    wb_buf_putc(out, '\'');
}

static void make_conninfo(const char *dir, int port, wb_buf *out)
{
    wb_buf_puts(out, "host=");
    conninfo_quote(dir, out);
    wb_buf_printf(out, " port=%d dbname=postgres user=" SERVER_USER, port);
}

/* The last non-empty line of a log file, for an error message ("" when none). */
static void last_log_line(const char *path, char *out, size_t n)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            snprintf(out, n, "%s", line);
    }
    fclose(f);
}

/* ---- the watcher -------------------------------------------------------- */

static volatile sig_atomic_t watcher_term;

static void on_watcher_term(int sig)
{
    (void)sig;
    watcher_term = 1;
}

/* Close every descriptor above 2 except keep_a and keep_b (-1: none): the watcher
 * and the server must not hold writebench's files, sockets or pipes open. */
static void close_other_fds(int keep_a, int keep_b)
{
    int keep[2] = {keep_a < keep_b ? keep_a : keep_b, keep_a < keep_b ? keep_b : keep_a};
    unsigned from = 3;
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        if (keep[i] < (int)from)
            continue;
        if ((unsigned)keep[i] > from)
            ok &= close_range(from, (unsigned)keep[i] - 1, 0) == 0;
        from = (unsigned)keep[i] + 1;
    }
    ok &= close_range(from, ~0U, 0) == 0;
    if (ok)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep_a && fd != keep_b)
            close(fd);
}

/* Exit codes of a spawned child that failed before exec. */
#define EXIT_NO_SETUID 124    /* could not become the postgres user */
#define EXIT_UNREACHABLE 125  /* could not write its log into the cluster's directory */

/* Fork and exec argv[0] as `who`, its stdout and stderr appended to log. The child
 * gets `death_signal` when the watcher dies. Returns the pid, or -1. */
static pid_t spawn(const run_as *who, char *const argv[], const char *log, int death_signal)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (who->drop && (setgroups(0, NULL) != 0 || setgid(who->gid) != 0 || setuid(who->uid) != 0))
        _exit(EXIT_NO_SETUID);
    /* Set after setuid: a change of credentials clears the parent-death signal. */
    prctl(PR_SET_PDEATHSIG, death_signal);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        _exit(EXIT_UNREACHABLE);
    dup2(fd, 1);
    dup2(fd, 2);
    close_other_fds(-1, -1);
    execv(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Wait for a child, retrying on signals; its wait status, or -1. */
static int wait_child(pid_t pid, int options)
{
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, options)) < 0 && errno == EINTR) {
    }
    if (got == 0)
        return -2; /* WNOHANG: still running */
    return got == pid ? status : -1;
}

/* Stop a child: sig (SIGQUIT, a postmaster's immediate shutdown; SIGTERM, pgbouncer's),
 * SIGKILL if it lingers. */
static void stop_process(pid_t pid, int sig)
{
    if (pid <= 0)
        return;
    kill(pid, sig);
    double deadline = wb_clock_s() + SHUTDOWN_TIMEOUT_S;
    while (wait_child(pid, WNOHANG) == -2) {
        if (wb_clock_s() > deadline) {
            kill(pid, SIGKILL);
            wait_child(pid, 0);
            return;
        }
        wb_sleep_ns(20 * 1000000LL);
    }
}

/* Send one line to writebench ("ok" or "error: ..."). */
static void report(int fd, const char *text)
{
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += (size_t)n;
    }
}

/* Whether writebench has closed the control pipe (or died), waiting up to timeout_ms. */
static int told_to_stop(int control_fd, int timeout_ms)
{
    struct pollfd p = {control_fd, POLLIN, 0};
    int n = poll(&p, 1, timeout_ms);
    return watcher_term || (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)));
}

/* The paths and arguments the watcher works with. */
typedef struct cluster_paths {
    char data[PATH_MAX + 8];
    char standby_data[PATH_MAX + 16];
    char initdb[PATH_MAX + 16];
    char postgres[PATH_MAX + 16];
    char basebackup[PATH_MAX + 16];
    char initdb_log[PATH_MAX + 16];
    char server_log[PATH_MAX + 16];
    char standby_log[PATH_MAX + 16];
    char basebackup_log[PATH_MAX + 16];
    char pooler_ini[PATH_MAX + 16];
    char pooler_users[PATH_MAX + 24];
    char pooler_log[PATH_MAX + 24];
    char port[16], standby_port[16];
} cluster_paths;

/* Run a program to its end as `who`; 0 when it exited 0, or -1 with the "error: ..."
 * line in msg, naming what failed with the last line of its log. */
static int run_to_end(const run_as *who, char *const argv[], const char *log, const char *what, char *msg, size_t n)
{
    pid_t pid = spawn(who, argv, log, SIGKILL);
    int status = pid > 0 ? wait_child(pid, 0) : -1;
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    char last[600];
    last_log_line(log, last, sizeof last);
    if (code == EXIT_NO_SETUID)
        snprintf(msg, n, "error: pg-temp: cannot switch to the " SERVER_USER " user to run %s\n", what);
    else if (code == EXIT_UNREACHABLE)
        snprintf(msg, n, "error: pg-temp: the %s user cannot write into the cluster's directory (a "
                         "parent directory of TMPDIR is private?); set TMPDIR to a directory like /tmp\n",
                 who->drop ? SERVER_USER : "current");
    else
        snprintf(msg, n, "error: pg-temp: %s failed (%s)\n", what, last[0] ? last : "no output");
    return -1;
}

static int run_initdb(const run_as *who, cluster_paths *p, char *msg, size_t n)
{
    char *const argv[] = {p->initdb, "-D", p->data, "-U", SERVER_USER, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync", NULL};
    return run_to_end(who, argv, p->initdb_log, "initdb", msg, n);
}

/* The standby's data directory: a base backup of the primary that streams its WAL
 * (-X stream) and is configured to follow it (-R: standby.signal, primary_conninfo).
 * --checkpoint=fast: the backup starts at once instead of after a spread checkpoint. */
static int run_basebackup(const wb_pg_temp *t, const run_as *who, cluster_paths *p, char *msg, size_t n)
{
    char host[PATH_MAX + 8];
    snprintf(host, sizeof host, "%s", t->dir);
    char *const argv[] = {p->basebackup, "-D", p->standby_data, "-h", host, "-p", p->port, "-U", SERVER_USER,
                          "-X", "stream", "-R", "--checkpoint=fast", "--no-sync", NULL};
    return run_to_end(who, argv, p->basebackup_log, "pg_basebackup (making the standby)", msg, n);
}

/* Wait until conninfo accepts connections, while pid (the server being waited for)
 * runs; 0 ready, -1 with the "error: ..." line in msg ("" when told to stop). */
static int await_ready(const char *conninfo, pid_t pid, const char *what, const char *log, int control_fd, char *msg,
                       size_t n)
{
    msg[0] = '\0';
    double deadline = wb_clock_s() + READY_TIMEOUT_S;
    for (;;) {
        if (PQping(conninfo) == PQPING_OK)
            return 0;
        if (wait_child(pid, WNOHANG) != -2) {
            char last[600];
            last_log_line(log, last, sizeof last);
            snprintf(msg, n, "error: pg-temp: %s exited while starting (%s)\n", what, last[0] ? last : "no output");
            return -1;
        }
        if (wb_clock_s() > deadline) {
            snprintf(msg, n, "error: pg-temp: %s did not accept connections within %.0f s\n", what, READY_TIMEOUT_S);
            return -1;
        }
        if (told_to_stop(control_fd, 50))
            return -1;
    }
}

/* Append the -c setting name="value" for a postmaster's command line (quoted: the
 * settings here are lists, and a directory may hold a comma). */
static void quoted_setting(wb_buf *out, const char *name, const char *value)
{
    wb_buf_printf(out, "%s=\"", name);
    for (const char *c = value; *c; c++) {
        if (*c == '"')
            wb_buf_putc(out, '"');
        wb_buf_putc(out, *c);
    }
    wb_buf_putc(out, '"');
}

/* Start a postmaster on data_dir and port and wait until it accepts connections.
 * extra (may be NULL) holds up to 2 more "-c" settings, NULL-terminated. Returns its pid, or -1 with the
 * "error: ..." line in msg ("" when told to stop meanwhile); stopped again on failure. */
static pid_t start_postmaster(const wb_pg_temp *t, const run_as *who, const cluster_paths *p, const char *data_dir,
                              int port, const char *log, const char *const *extra, const char *what,
                              int control_fd, char *msg, size_t n)
{
    wb_buf socket_dirs = WB_BUF_INIT;
    quoted_setting(&socket_dirs, "unix_socket_directories", t->dir);
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    char *argv[16] = {(char *)p->postgres, "-D", (char *)data_dir, "-p", port_text, "-c", "listen_addresses=",
                      "-c", (char *)wb_buf_str(&socket_dirs), NULL};
    int argc = 9;
    for (int i = 0; extra && i < 2 && extra[i]; i++) {
        argv[argc++] = "-c";
        argv[argc++] = (char *)extra[i];
    }
    argv[argc] = NULL;
    pid_t postmaster = spawn(who, argv, log, SIGQUIT);
    wb_buf_free(&socket_dirs);
    if (postmaster < 0) {
        snprintf(msg, n, "error: pg-temp: cannot fork the %s process\n", what);
        return -1;
    }
    wb_buf conninfo = WB_BUF_INIT;
    make_conninfo(t->dir, port, &conninfo);
    wb_buf_puts(&conninfo, " connect_timeout=2");
    int rc = await_ready(wb_buf_str(&conninfo), postmaster, what, log, control_fd, msg, n);
    wb_buf_free(&conninfo);
    if (rc == 0)
        return postmaster;
    stop_process(postmaster, SIGQUIT);
    return -1;
}

/* Wait until the primary sees the standby streaming (and, for standby=sync, as its
 * synchronous standby): before that, a commit would wait for a standby that is not
 * there yet. 0, or -1 with the "error: ..." line in msg ("" when told to stop). */
static int await_streaming(const wb_pg_temp *t, pid_t standby, const cluster_paths *p, int control_fd, char *msg,
                           size_t n)
{
    msg[0] = '\0';
    wb_buf conninfo = WB_BUF_INIT;
    make_conninfo(t->dir, t->port, &conninfo);
    wb_buf_puts(&conninfo, " connect_timeout=2 application_name=writebench-pg-temp");
    const char *sql = t->topo.standby == WB_PG_STANDBY_SYNC
                          ? "SELECT count(*) FROM pg_catalog.pg_stat_replication "
                            "WHERE state = 'streaming' AND sync_state = 'sync'"
                          : "SELECT count(*) FROM pg_catalog.pg_stat_replication WHERE state = 'streaming'";
    double deadline = wb_clock_s() + READY_TIMEOUT_S;
    int rc = -1;
    for (;;) {
        PGconn *pg = PQconnectdb(wb_buf_str(&conninfo));
        PGresult *r = PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
        int streaming = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && atoi(PQgetvalue(r, 0, 0)) > 0;
        PQclear(r);
        PQfinish(pg);
        if (streaming) {
            rc = 0;
            break;
        }
        if (wait_child(standby, WNOHANG) != -2) {
            char last[600];
            last_log_line(p->standby_log, last, sizeof last);
            snprintf(msg, n, "error: pg-temp: the standby exited while starting (%s)\n", last[0] ? last : "no output");
            break;
        }
        if (wb_clock_s() > deadline) {
            snprintf(msg, n, "error: pg-temp: the standby was not streaming%s within %.0f s\n",
                     t->topo.standby == WB_PG_STANDBY_SYNC ? " as a synchronous standby" : "", READY_TIMEOUT_S);
            break;
        }
        if (told_to_stop(control_fd, 20))
            break;
    }
    wb_buf_free(&conninfo);
    return rc;
}

/* Write a small file owned by who (pgbouncer reads its configuration as that user). */
static int write_owned_file(const run_as *who, const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == len && (!who->drop || fchown(fd, who->uid, who->gid) == 0);
    return close(fd) == 0 && ok ? 0 : -1;
}

/* pgbouncer's configuration: the primary as database "postgres", a unix socket of its
 * own in the cluster's directory and no TCP (no listen_addr), trust as for the server,
 * "postgres" the admin of its console (RECONNECT, wb_pg_temp_release_pooled). It drops
 * the startup option "options" instead of refusing the client (writebench sends its
 * search_path there; behind the pooler the server's search_path is set instead). Its
 * log goes to stderr, which spawn() opens as the pooler's user: no log file made by
 * root that a later start as another user could not open. */
static void pooler_config(const wb_pg_temp *t, const cluster_paths *p, wb_buf *out)
{
    wb_buf_puts(out, "; written by writebench for a throwaway cluster (pg-temp:)\n[databases]\n");
    wb_buf_printf(out, POOLED_DATABASE " = host=%s port=%d dbname=postgres user=" SERVER_USER "\n", t->dir, t->port);
    wb_buf_puts(out, "\n[pgbouncer]\n");
    wb_buf_printf(out, "listen_port = %d\nunix_socket_dir = %s\n", t->pooler_port, t->dir);
    wb_buf_printf(out, "auth_type = trust\nauth_file = %s\nadmin_users = " SERVER_USER "\n", p->pooler_users);
    wb_buf_printf(out, "pool_mode = %s\n", t->topo.pooler == WB_PG_POOLER_SESSION ? "session" : "transaction");
    wb_buf_printf(out, "default_pool_size = %d\nmax_client_conn = %d\n", POOL_SIZE, 3 * POOL_SIZE);
    wb_buf_puts(out, "ignore_startup_parameters = extra_float_digits, options\n");
}

/* Write pgbouncer's files, start it and wait until its console answers; its pid, or
 * -1 with the "error: ..." line in msg. */
static pid_t start_pooler(const wb_pg_temp *t, const run_as *who, const cluster_paths *p, int control_fd, char *msg,
                          size_t n)
{
    wb_buf ini = WB_BUF_INIT;
    pooler_config(t, p, &ini);
    int written = write_owned_file(who, p->pooler_ini, wb_buf_str(&ini)) == 0 &&
                  write_owned_file(who, p->pooler_users, "\"" SERVER_USER "\" \"\"\n") == 0;
    wb_buf_free(&ini);
    if (!written) {
        snprintf(msg, n, "error: pg-temp: cannot write pgbouncer's configuration into %.400s: %s\n", t->dir,
                 strerror(errno));
        return -1;
    }
    char *const argv[] = {(char *)t->pgbouncer, (char *)p->pooler_ini, NULL};
    pid_t pid = spawn(who, argv, p->pooler_log, SIGTERM);
    if (pid < 0) {
        snprintf(msg, n, "error: pg-temp: cannot fork pgbouncer\n");
        return -1;
    }
    wb_buf conninfo = WB_BUF_INIT;
    make_conninfo(t->dir, t->pooler_port, &conninfo);
    wb_buf_puts(&conninfo, " connect_timeout=2");
    int rc = await_ready(wb_buf_str(&conninfo), pid, "pgbouncer", p->pooler_log, control_fd, msg, n);
    wb_buf_free(&conninfo);
    if (rc == 0)
        return pid;
    stop_process(pid, SIGTERM);
    return -1;
}

/* The processes of a running topology. */
typedef struct cluster_procs {
    pid_t primary, standby, pooler;
} cluster_procs;

/* Start everything the topology asks for, in order; 0, or -1 with msg filled and
 * whatever was started in *procs (the caller stops it). */
static int start_topology(const wb_pg_temp *t, const run_as *who, cluster_paths *p, int control_fd,
                          cluster_procs *procs, char *msg, size_t n)
{
    if (run_initdb(who, p, msg, n) != 0)
        return -1;
    const char *settings[3] = {NULL, NULL, NULL};
    int nsettings = 0;
    if (t->topo.standby == WB_PG_STANDBY_SYNC)
        settings[nsettings++] = "synchronous_standby_names=*";
    if (t->search_path[0])
        settings[nsettings++] = t->search_path; /* behind a pooler, for every session it opens */
    procs->primary = start_postmaster(t, who, p, p->data, t->port, p->server_log, settings, "the server", control_fd,
                                      msg, n);
    if (procs->primary < 0)
        return -1;
    if (t->topo.standby != WB_PG_STANDBY_NONE) {
        if (run_basebackup(t, who, p, msg, n) != 0)
            return -1;
        procs->standby = start_postmaster(t, who, p, p->standby_data, t->standby_port, p->standby_log, NULL,
                                          "the standby", control_fd, msg, n);
        if (procs->standby < 0 || await_streaming(t, procs->standby, p, control_fd, msg, n) != 0)
            return -1;
    }
    if (t->topo.pooler != WB_PG_POOLER_NONE && (procs->pooler = start_pooler(t, who, p, control_fd, msg, n)) < 0)
        return -1;
    return 0;
}

/* Stop what runs, the pooler first (its clients go), then the standby, then the primary. */
static void stop_topology(cluster_procs *procs)
{
    stop_process(procs->pooler, SIGTERM);
    stop_process(procs->standby, SIGQUIT);
    stop_process(procs->primary, SIGQUIT);
    procs->pooler = procs->standby = procs->primary = -1;
}

/* The watcher's life: start the topology, report, wait, stop, clean up. Never returns. */
static void watcher_main(const wb_pg_temp *t, const run_as *who, int status_fd, int control_fd)
{
    setsid();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watcher_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: poll returns and we clean up */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
    }
    close_other_fds(status_fd, control_fd);

    cluster_paths p;
    snprintf(p.data, sizeof p.data, "%s/data", t->dir);
    snprintf(p.standby_data, sizeof p.standby_data, "%s/standby", t->dir);
    snprintf(p.initdb, sizeof p.initdb, "%s/initdb", t->bindir);
    snprintf(p.postgres, sizeof p.postgres, "%s/postgres", t->bindir);
    snprintf(p.basebackup, sizeof p.basebackup, "%s/pg_basebackup", t->bindir);
    snprintf(p.initdb_log, sizeof p.initdb_log, "%s/initdb.log", t->dir);
    snprintf(p.server_log, sizeof p.server_log, "%s/postgres.log", t->dir);
    snprintf(p.standby_log, sizeof p.standby_log, "%s/standby.log", t->dir);
    snprintf(p.basebackup_log, sizeof p.basebackup_log, "%s/basebackup.log", t->dir);
    snprintf(p.pooler_ini, sizeof p.pooler_ini, "%s/pgbouncer.ini", t->dir);
    snprintf(p.pooler_users, sizeof p.pooler_users, "%s/pgbouncer.users", t->dir);
    snprintf(p.pooler_log, sizeof p.pooler_log, "%s/pgbouncer.log", t->dir);
    snprintf(p.port, sizeof p.port, "%d", t->port);
    snprintf(p.standby_port, sizeof p.standby_port, "%d", t->standby_port);

    char msg[1200] = "";
    cluster_procs procs = {-1, -1, -1};
    int started = start_topology(t, who, &p, control_fd, &procs, msg, sizeof msg) == 0;
    report(status_fd, started ? "ok\n" : msg);
    close(status_fd);

    if (started) {
        while (!told_to_stop(control_fd, 1000)) {
            /* A process dying on its own (killed, out of memory) is writebench's to
             * notice, through failing connections; keep the directory until told. */
            pid_t *all[] = {&procs.primary, &procs.standby, &procs.pooler};
            for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                if (*all[i] > 0 && wait_child(*all[i], WNOHANG) != -2)
                    *all[i] = -1;
        }
    }
    stop_topology(&procs);
    remove_tree(t->dir);
    _exit(0);
}

/* ---- the interface ------------------------------------------------------ */

/* The topology's options: key, its values in order of the enum (index 0 unused). */
static const struct {
    const char *key;
    const char *values[3];
    size_t offset; /* of the int-sized enum in wb_pg_topology */
} topology_options[] = {
    {"standby", {NULL, "async", "sync"}, offsetof(wb_pg_topology, standby)},
    {"pooler", {NULL, "transaction", "session"}, offsetof(wb_pg_topology, pooler)},
};

int wb_pg_topology_parse(const char *options, wb_pg_topology *out, wb_error *e)
{
    memset(out, 0, sizeof *out);
    const char *usage = "pg-temp:?standby=sync|async&pooler=transaction|session";
    for (const char *p = options; p && *p;) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        size_t key_len = eq ? (size_t)(eq - p) : len;
        size_t k = 0, n = sizeof topology_options / sizeof topology_options[0];
        while (k < n && !(strlen(topology_options[k].key) == key_len && strncmp(topology_options[k].key, p, key_len) == 0))
            k++;
        if (k == n || !eq)
            return wb_fail(e, "pg-temp: unknown option '%.*s' (the forms: %s)", (int)len, p, usage);
        int *field = (int *)((char *)out + topology_options[k].offset);
        if (*field)
            return wb_fail(e, "pg-temp: %s is given twice", topology_options[k].key);
        const char *value = eq + 1;
        size_t value_len = len - key_len - 1;
        for (int v = 1; v < 3; v++)
            if (strlen(topology_options[k].values[v]) == value_len && strncmp(topology_options[k].values[v], value, value_len) == 0)
                *field = v;
        if (!*field)
            return wb_fail(e, "pg-temp: %s=%.*s: expected %s=%s or %s=%s", topology_options[k].key, (int)value_len,
                           value, topology_options[k].key, topology_options[k].values[2], topology_options[k].key,
                           topology_options[k].values[1]);
        p += len;
        if (*p == '&' && !*++p)
            return wb_fail(e, "pg-temp: an empty option after '&' (the forms: %s)", usage);
    }
    return 0;
}

void wb_pg_topology_describe(const wb_pg_topology *topo, wb_buf *out)
{
    wb_buf_puts(out, "primary");
    if (topo->standby == WB_PG_STANDBY_SYNC)
        wb_buf_puts(out, " + synchronous standby");
    else if (topo->standby == WB_PG_STANDBY_ASYNC)
        wb_buf_puts(out, " + asynchronous standby");
    if (topo->pooler == WB_PG_POOLER_TRANSACTION)
        wb_buf_puts(out, " + pgbouncer (transaction pooling)");
    else if (topo->pooler == WB_PG_POOLER_SESSION)
        wb_buf_puts(out, " + pgbouncer (session pooling)");
    if (!topo->standby && !topo->pooler)
        wb_buf_puts(out, " alone");
}

/* pgbouncer: on PATH, or where Debian puts it (/usr/sbin is not on every PATH). */
static int find_pgbouncer(char *out, size_t n, wb_error *e)
{
    const char *path = getenv("PATH");
    wb_buf dirs = WB_BUF_INIT;
    wb_buf_printf(&dirs, "%s:/usr/sbin:/usr/local/sbin", path ? path : "");
    char *save = NULL;
    int found = 0;
    for (char *d = strtok_r(dirs.data, ":", &save); d && !found; d = strtok_r(NULL, ":", &save))
        if (*d && is_executable(d, "pgbouncer")) {
            snprintf(out, n, "%s/pgbouncer", d);
            found = 1;
        }
    wb_buf_free(&dirs);
    if (!found)
        return wb_fail(e, "pg-temp: a pooler needs pgbouncer, found neither on PATH nor in /usr/sbin; install it, "
                          "e.g. `apt-get install pgbouncer`");
    return 0;
}

/* Whether pgbouncer's configuration can hold dir unquoted (its values end at spaces
 * and ';', and a connection string's host at a space). */
static int plain_path(const char *dir)
{
    for (const char *c = dir; *c; c++)
        if (!(isalnum((unsigned char)*c) || strchr("/._-+", *c)))
            return 0;
    return 1;
}

/* Decide who runs the server; root hands it to the postgres user. */
static int choose_user(run_as *who, wb_error *e)
{
    memset(who, 0, sizeof *who);
    if (geteuid() != 0)
        return 0;
    struct passwd *pw = getpwnam(SERVER_USER);
    if (!pw)
        return wb_fail(e, "pg-temp: running as root, and PostgreSQL refuses to run as root, but there "
                          "is no '" SERVER_USER "' user to run it as; create one or run as another user");
    who->drop = 1;
    who->uid = pw->pw_uid;
    who->gid = pw->pw_gid;
    return 0;
}

/* A fresh private directory for the cluster, owned by whoever runs the server. */
static int make_dir(const run_as *who, char *dir, size_t n, wb_error *e)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int len = snprintf(dir, n, "%s/writebench-pg-XXXXXX", tmp);
    if (len < 0 || (size_t)len >= n ||
        (size_t)len + sizeof SOCKET_SUFFIX_MAX > sizeof(((struct sockaddr_un *)0)->sun_path))
        return wb_fail(e, "pg-temp: TMPDIR (%s) is too long for a unix socket path; set a shorter "
                          "TMPDIR",
                       tmp);
    if (!mkdtemp(dir))
        return wb_fail(e, "pg-temp: cannot create a directory under %s: %s", tmp, strerror(errno));
    if (who->drop && chown(dir, who->uid, who->gid) != 0) {
        int err = errno;
        rmdir(dir);
        return wb_fail(e, "pg-temp: cannot hand %s to the " SERVER_USER " user: %s", dir, strerror(err));
    }
    return 0;
}

/* Read the watcher's one-line report into line[n]; "" when it ended without one. */
static void read_report(int fd, char *line, size_t n)
{
    size_t len = 0;
    while (len + 1 < n) {
        ssize_t got = read(fd, line + len, n - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
        if (memchr(line, '\n', len))
            break;
    }
    line[len] = '\0';
    line[strcspn(line, "\n")] = '\0';
}

int wb_pg_temp_start(wb_pg_temp **out, const wb_pg_topology *topo, const char *schema, char *conninfo, size_t n,
                     wb_error *e)
{
    *out = NULL;
    wb_pg_temp *t = wb_xcalloc(1, sizeof *t);
    t->watcher = -1;
    t->control_fd = -1;
    t->topo = *topo;
    run_as who;
    if (find_bindir(t->bindir, sizeof t->bindir, e) != 0 ||
        (topo->pooler && find_pgbouncer(t->pgbouncer, sizeof t->pgbouncer, e) != 0) ||
        choose_user(&who, e) != 0 || make_dir(&who, t->dir, sizeof t->dir, e) != 0) {
        free(t);
        return -1;
    }
    if (topo->pooler && !plain_path(t->dir)) {
        wb_fail(e, "pg-temp: pgbouncer's configuration cannot hold the directory %s (spaces, quotes or ';'); set "
                   "TMPDIR to a plain path like /tmp",
                t->dir);
        rmdir(t->dir);
        free(t);
        return -1;
    }
    if (topo->pooler && schema && schema[0]) {
        wb_buf quoted = WB_BUF_INIT;
        wb_buf_puts(&quoted, "search_path=\"");
        for (const char *c = schema; *c; c++) {
            if (*c == '"')
                wb_buf_putc(&quoted, '"');
            wb_buf_putc(&quoted, *c);
        }
        wb_buf_putc(&quoted, '"');
        snprintf(t->search_path, sizeof t->search_path, "%s", wb_buf_str(&quoted));
        wb_buf_free(&quoted);
    }
    /* Any port works: the sockets live in our private directory, so no other server can
     * hold them; varying it only keeps SysV shared-memory keys (derived from the port) apart. */
    t->port = 5433 + (int)((unsigned)getpid() % 20000u) * 3;
    t->standby_port = topo->standby ? t->port + 1 : 0;
    t->pooler_port = topo->pooler ? t->port + 2 : 0;

    int status_pipe[2], control_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        rmdir(t->dir);
        free(t);
        return wb_fail(e, "pg-temp: cannot create a pipe: %s", strerror(errno));
    }
    if (pipe2(control_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        close(status_pipe[0]);
        close(status_pipe[1]);
        rmdir(t->dir);
        free(t);
        return wb_fail(e, "pg-temp: cannot create a pipe: %s", strerror(err));
    }
    fflush(NULL); /* the watcher must not write our buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        close(status_pipe[0]);
        close(control_pipe[1]);
        watcher_main(t, &who, status_pipe[1], control_pipe[0]);
    }
    close(status_pipe[1]);
    close(control_pipe[0]);
    t->watcher = pid;
    t->control_fd = control_pipe[1];

    char line[1200] = "";
    if (pid > 0)
        read_report(status_pipe[0], line, sizeof line);
    close(status_pipe[0]);
    if (strcmp(line, "ok") != 0) {
        if (pid < 0)
            wb_fail(e, "pg-temp: cannot fork: %s", strerror(errno));
        else if (strncmp(line, "error: ", 7) == 0)
            wb_fail(e, "%s (PostgreSQL binaries: %s)", line + 7, t->bindir);
        else
            wb_fail(e, "pg-temp: the cluster's watcher process ended before the server was ready");
        wb_pg_temp_stop(t);
        return -1;
    }
    wb_buf text = WB_BUF_INIT;
    make_conninfo(t->dir, t->pooler_port ? t->pooler_port : t->port, &text);
    if (wb_buf_str(&text)[0] && text.len < n) {
        memcpy(conninfo, text.data, text.len + 1);
    } else {
        wb_buf_free(&text);
        wb_pg_temp_stop(t);
        return wb_fail(e, "pg-temp: the connection string does not fit in %zu bytes", n);
    }
    wb_buf_free(&text);
    *out = t;
    return 0;
}

void wb_pg_temp_stop(wb_pg_temp *t)
{
    if (!t)
        return;
    if (t->control_fd >= 0)
        close(t->control_fd);
    if (t->watcher > 0)
        wait_child(t->watcher, 0);
    /* The watcher removes the directory; this covers a watcher that was killed. */
    struct stat st;
    if (t->dir[0] && lstat(t->dir, &st) == 0)
        remove_tree(t->dir);
    free(t);
}

void wb_pg_temp_describe(const wb_pg_temp *t, wb_buf *out)
{
    if (!t)
        return;
    wb_buf topology = WB_BUF_INIT;
    wb_pg_topology_describe(&t->topo, &topology);
    wb_buf_printf(out, "pg_temp.topology = %s\n", wb_buf_str(&topology));
    wb_buf_free(&topology);
    wb_buf_printf(out, "pg_temp.bindir = %s\n", t->bindir);
    wb_buf_printf(out, "pg_temp.dir = %s\n", t->dir);
    wb_buf_printf(out, "pg_temp.initdb = -A trust -E UTF8 --locale=C --no-sync -U " SERVER_USER "\n");
    wb_buf_printf(out, "pg_temp.changed_settings = listen_addresses='', unix_socket_directories='%s', "
                       "port=%d%s%s%s (everything else: the server's defaults)\n",
                  t->dir, t->port, t->topo.standby == WB_PG_STANDBY_SYNC ? ", synchronous_standby_names='*'" : "",
                  t->search_path[0] ? ", " : "", t->search_path);
    if (t->topo.standby)
        wb_buf_printf(out, "pg_temp.standby = %s, port %d, made with pg_basebackup -X stream -R; streaming from "
                           "the primary%s\n",
                      t->topo.standby == WB_PG_STANDBY_SYNC ? "synchronous" : "asynchronous", t->standby_port,
                      t->topo.standby == WB_PG_STANDBY_SYNC ? ", every commit waits for its flush" : "");
    if (t->topo.pooler)
        wb_buf_printf(out, "pg_temp.pooler = %s, pool_mode=%s, default_pool_size=%d, port %d in front of the "
                           "primary (ignore_startup_parameters=extra_float_digits,options)\n",
                      t->pgbouncer, t->topo.pooler == WB_PG_POOLER_SESSION ? "session" : "transaction", POOL_SIZE,
                      t->pooler_port);
}

int wb_pg_temp_conninfo(const wb_pg_temp *t, wb_pg_temp_part part, char *conninfo, size_t n)
{
    int port = !t ? 0 : part == WB_PG_TEMP_STANDBY ? t->standby_port : t->port;
    if (port == 0)
        return 0;
    wb_buf text = WB_BUF_INIT;
    make_conninfo(t->dir, port, &text);
    int fits = text.len < n;
    if (fits)
        memcpy(conninfo, text.data, text.len + 1);
    wb_buf_free(&text);
    return fits;
}

void wb_pg_temp_release_pooled(const wb_pg_temp *t)
{
    enum { MAX_WAIT_MS = 5000, MAX_SERVERS = 4 * POOL_SIZE };
    if (!t || !t->pooler_port)
        return;
    /* The console of pgbouncer: database "pgbouncer", simple queries only. RECONNECT closes
     * every server connection as soon as it is released: at once for the idle ones. */
    wb_buf conninfo = WB_BUF_INIT;
    wb_buf_puts(&conninfo, "host=");
    conninfo_quote(t->dir, &conninfo);
    wb_buf_printf(&conninfo, " port=%d dbname=pgbouncer user=" SERVER_USER " connect_timeout=5", t->pooler_port);
    PGconn *pg = PQconnectdb(wb_buf_str(&conninfo));
    wb_buf_free(&conninfo);
    pid_t servers[MAX_SERVERS];
    int nservers = 0;
    if (PQstatus(pg) == CONNECTION_OK) {
        /* The server processes first: a session's statistics reach the server when its
         * process exits, and a session reset by the pooler (DISCARD ALL) no longer carries
         * the application_name that writebench waits for (backend await_others). */
        PGresult *r = PQexec(pg, "SHOW SERVERS");
        int column = r && PQresultStatus(r) == PGRES_TUPLES_OK ? PQfnumber(r, "remote_pid") : -1;
        for (int i = 0; column >= 0 && i < PQntuples(r) && nservers < MAX_SERVERS; i++)
            if (atoi(PQgetvalue(r, i, column)) > 0)
                servers[nservers++] = (pid_t)atoi(PQgetvalue(r, i, column));
        PQclear(r);
        PQclear(PQexec(pg, "RECONNECT " POOLED_DATABASE));
    }
    PQfinish(pg);
    /* The servers run on this machine (a throwaway cluster): gone once kill(0) says so,
     * after the postmaster has reaped them. */
    for (int waited_ms = 0; waited_ms < MAX_WAIT_MS; waited_ms += 2) {
        int alive = 0;
        for (int i = 0; i < nservers; i++)
            alive += kill(servers[i], 0) == 0 || errno != ESRCH;
        if (!alive)
            break;
        wb_sleep_ns(2 * 1000000LL);
    }
}
