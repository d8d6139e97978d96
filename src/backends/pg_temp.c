/* The throwaway PostgreSQL cluster of `--db pg-temp:` (see pg_temp.h). The watcher
 * process that starts it and removes it again whatever happens to writebench is
 * temp_server.c's; this file is PostgreSQL's part: initdb, the postmaster, waiting
 * until it accepts connections, and an immediate shutdown.
 *
 * Server settings changed from PostgreSQL's defaults: only what a private cluster
 * needs (listen_addresses='' - no TCP at all -, unix_socket_directories=<dir>, port).
 * Everything that decides write speed (fsync, synchronous_commit, shared_buffers,
 * max_wal_size, ...) keeps initdb's defaults, and run.conf records them. initdb runs
 * with --no-sync (its files are fsync'ed by nothing: a crash loses a throwaway
 * cluster anyway), -A trust, -E UTF8, --locale=C, superuser "postgres". */
#include "backends/pg_temp.h"

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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/temp_server.h"
#include "util/clock.h"

#define SERVER_USER "postgres"
#define READY_TIMEOUT_S 60.0
#define SHUTDOWN_TIMEOUT_S 10.0
/* The socket file's name inside the directory, longest form (sockaddr_un limits the path). */
#define SOCKET_SUFFIX_MAX "/.s.PGSQL.65535.lock"

struct wb_pg_temp {
    wb_temp_watch watch; /* its dir is the cluster's directory */
    wb_temp_user who;    /* ourselves, or the postgres user when we are root */
    int port;
    char bindir[PATH_MAX];
};

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

/* ---- the watcher -------------------------------------------------------- */

/* Stop the postmaster: SIGQUIT (immediate shutdown), SIGKILL if it lingers. */
static void stop_server(pid_t postmaster)
{
    wb_temp_stop_child(postmaster, SIGQUIT, SHUTDOWN_TIMEOUT_S);
}

/* The paths and arguments the watcher works with. */
typedef struct cluster_paths {
    char data[PATH_MAX + 8];
    char initdb[PATH_MAX + 16];
    char postgres[PATH_MAX + 16];
    char initdb_log[PATH_MAX + 16];
    char server_log[PATH_MAX + 16];
    char port[16];
} cluster_paths;

/* Run initdb; 0, or -1 with the "error: ..." line in msg. */
static int run_initdb(const wb_temp_user *who, cluster_paths *p, char *msg, size_t n)
{
    char *const argv[] = {p->initdb, "-D", p->data, "-U", SERVER_USER, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync", NULL};
    pid_t pid = wb_temp_spawn(who, argv, p->initdb_log, SIGKILL);
    int status = pid > 0 ? wb_temp_wait_child(pid, 0) : -1;
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    char last[600];
    wb_temp_last_log_line(p->initdb_log, last, sizeof last);
    if (code == WB_TEMP_EXIT_NO_SETUID)
        snprintf(msg, n, "error: pg-temp: cannot switch to the " SERVER_USER " user to run initdb\n");
    else if (code == WB_TEMP_EXIT_UNREACHABLE)
        snprintf(msg, n, "error: pg-temp: the %s user cannot write into the cluster's directory (a "
                         "parent directory of TMPDIR is private?); set TMPDIR to a directory like /tmp\n",
                 who->drop ? SERVER_USER : "current");
    else
        snprintf(msg, n, "error: pg-temp: initdb failed (%s)\n", last[0] ? last : "no output");
    return -1;
}

/* Start the postmaster and wait until it accepts connections. Returns its pid, or -1
 * with the "error: ..." line in msg ("" when told to stop meanwhile); the server is
 * stopped again on failure. */
static pid_t start_server(const wb_pg_temp *t, cluster_paths *p, int control_fd, char *msg, size_t n)
{
    msg[0] = '\0';
    /* Quoted: unix_socket_directories is a list, and a directory may hold a comma. */
    wb_buf socket_dirs = WB_BUF_INIT;
    wb_buf_puts(&socket_dirs, "unix_socket_directories=\"");
    for (const char *c = t->watch.dir; *c; c++) {
        if (*c == '"')
            wb_buf_putc(&socket_dirs, '"');
        wb_buf_putc(&socket_dirs, *c);
    }
    wb_buf_putc(&socket_dirs, '"');
    char *const argv[] = {p->postgres, "-D", p->data, "-p", p->port, "-c", "listen_addresses=",
                          "-c", (char *)wb_buf_str(&socket_dirs), NULL};
    pid_t postmaster = wb_temp_spawn(&t->who, argv, p->server_log, SIGQUIT);
    wb_buf_free(&socket_dirs);
    if (postmaster < 0) {
        snprintf(msg, n, "error: pg-temp: cannot fork the server process\n");
        return -1;
    }

    wb_buf conninfo = WB_BUF_INIT;
    make_conninfo(t->watch.dir, t->port, &conninfo);
    wb_buf_puts(&conninfo, " connect_timeout=2");
    double deadline = wb_clock_s() + READY_TIMEOUT_S;
    int ready = 0;
    for (;;) {
        if (PQping(wb_buf_str(&conninfo)) == PQPING_OK) {
            ready = 1;
            break;
        }
        if (wb_temp_wait_child(postmaster, WNOHANG) != -2) {
            char last[600];
            wb_temp_last_log_line(p->server_log, last, sizeof last);
            snprintf(msg, n, "error: pg-temp: the server exited while starting (%s)\n",
                     last[0] ? last : "no output");
            postmaster = -1;
            break;
        }
        if (wb_clock_s() > deadline) {
            snprintf(msg, n, "error: pg-temp: the server did not accept connections within %.0f s\n",
                     READY_TIMEOUT_S);
            break;
        }
        if (wb_temp_told_to_stop(control_fd, 50))
            break;
    }
    wb_buf_free(&conninfo);
    if (ready)
        return postmaster;
    if (postmaster > 0)
        stop_server(postmaster);
    return -1;
}

/* The watcher's start (temp_server.h): initdb, then the postmaster. */
static pid_t watcher_start(void *arg, int control_fd, char *msg, size_t n)
{
    const wb_pg_temp *t = arg;
    cluster_paths p;
    snprintf(p.data, sizeof p.data, "%s/data", t->watch.dir);
    snprintf(p.initdb, sizeof p.initdb, "%s/initdb", t->bindir);
    snprintf(p.postgres, sizeof p.postgres, "%s/postgres", t->bindir);
    snprintf(p.initdb_log, sizeof p.initdb_log, "%s/initdb.log", t->watch.dir);
    snprintf(p.server_log, sizeof p.server_log, "%s/postgres.log", t->watch.dir);
    snprintf(p.port, sizeof p.port, "%d", t->port);
    if (run_initdb(&t->who, &p, msg, n) != 0)
        return -1;
    return start_server(t, &p, control_fd, msg, n);
}

static void watcher_stop(void *arg, pid_t postmaster)
{
    (void)arg;
    stop_server(postmaster);
}

static const wb_temp_ops pg_temp_ops = {watcher_start, watcher_stop};

/* ---- the interface ------------------------------------------------------ */

/* Decide who runs the server; root hands it to the postgres user. */
static int choose_user(wb_temp_user *who, wb_error *e)
{
    memset(who, 0, sizeof *who);
    who->name = "current";
    if (geteuid() != 0)
        return 0;
    struct passwd *pw = getpwnam(SERVER_USER);
    if (!pw)
        return wb_fail(e, "pg-temp: running as root, and PostgreSQL refuses to run as root, but there "
                          "is no '" SERVER_USER "' user to run it as; create one or run as another user");
    who->drop = 1;
    who->uid = pw->pw_uid;
    who->gid = pw->pw_gid;
    who->name = SERVER_USER;
    return 0;
}

int wb_pg_temp_start(wb_pg_temp **out, char *conninfo, size_t n, wb_error *e)
{
    *out = NULL;
    wb_pg_temp *t = wb_xcalloc(1, sizeof *t);
    if (find_bindir(t->bindir, sizeof t->bindir, e) != 0 || choose_user(&t->who, e) != 0 ||
        wb_temp_make_dir("pg-temp", "writebench-pg-", SOCKET_SUFFIX_MAX, &t->who, t->watch.dir, sizeof t->watch.dir,
                         e) != 0) {
        free(t);
        return -1;
    }
    /* Any port works: the socket lives in our private directory, so no other server can
     * hold it; varying it only keeps SysV shared-memory keys (derived from the port) apart. */
    t->port = 5433 + (int)((unsigned)getpid() % 20000u);
    if (wb_temp_watch_start(&t->watch, &pg_temp_ops, t, e) != 0) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        wb_fail(e, "%s (PostgreSQL binaries: %s)", why, t->bindir);
        free(t);
        return -1;
    }
    wb_buf text = WB_BUF_INIT;
    make_conninfo(t->watch.dir, t->port, &text);
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
    wb_temp_watch_stop(&t->watch);
    free(t);
}

void wb_pg_temp_describe(const wb_pg_temp *t, wb_buf *out)
{
    if (!t)
        return;
    wb_buf_printf(out, "pg_temp.bindir = %s\n", t->bindir);
    wb_buf_printf(out, "pg_temp.dir = %s\n", t->watch.dir);
    wb_buf_printf(out, "pg_temp.initdb = -A trust -E UTF8 --locale=C --no-sync -U " SERVER_USER "\n");
    wb_buf_printf(out, "pg_temp.changed_settings = listen_addresses='', unix_socket_directories='%s', "
                       "port=%d (everything else: the server's defaults)\n",
                  t->watch.dir, t->port);
}
