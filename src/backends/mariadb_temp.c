/* The throwaway MariaDB server of `--db mariadb-temp:`: mariadb-install-db into a
 * fresh temporary directory, mariadbd on a unix socket inside it with networking
 * off, and everything removed again at the end, on failure, on Ctrl-C, and even
 * when writebench itself is killed: the watcher process of temp_server.c outlives
 * writebench and cleans up; this file is MariaDB's part.
 *
 * Both programs run with --no-defaults: no option file of the machine (Debian's
 * /etc/mysql/) changes the server, so its settings are MariaDB's compiled-in
 * defaults (fsync on every commit, innodb_flush_log_at_trx_commit=1, ...), recorded
 * in run.conf. mariadbd refuses to run as root unless told --user=root: started by
 * root, that is what it gets (the directory is root's own, mode 0700). Root logs in
 * without a password (--auth-root-authentication-method=normal, an empty password):
 * safe because the socket lives in a directory only its owner can enter. */
#include "backends/mariadb_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/temp_server.h"
#include "util/clock.h"

#define READY_TIMEOUT_S 60.0
#define SHUTDOWN_TIMEOUT_S 10.0
#define SOCKET_NAME "/mariadbd.sock"

typedef struct mariadb_temp {
    wb_temp_watch watch; /* its dir holds data/, the socket, the pid file and the logs */
    wb_temp_user who;    /* ourselves (root runs it with --user=root) */
    char install_db[PATH_MAX];
    char mariadbd[PATH_MAX];
} mariadb_temp;

/* The first of names found executable in $PATH, /usr/sbin or /usr/bin, into out. */
static int find_program(const char *const *names, char *out, size_t n)
{
    const char *path = getenv("PATH");
    wb_buf dirs = WB_BUF_INIT;
    wb_buf_printf(&dirs, "%s:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", path ? path : "");
    int found = 0;
    for (const char *const *name = names; *name && !found; name++) {
        const char *p = wb_buf_str(&dirs);
        while (!found && *p) {
            size_t len = strcspn(p, ":");
            if (len > 0) {
                int w = snprintf(out, n, "%.*s/%s", (int)len, p, *name);
                found = w > 0 && (size_t)w < n && access(out, X_OK) == 0;
            }
            p += len + (p[len] == ':');
        }
    }
    wb_buf_free(&dirs);
    return found ? 0 : -1;
}

/* Whether a client can connect to the server on sock. */
static int accepts_connections(const char *sock)
{
    MYSQL *m = mysql_init(NULL);
    if (!m)
        return 0;
    unsigned timeout = 2;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    int ok = mysql_real_connect(m, "localhost", "root", NULL, NULL, 0, sock, 0) != NULL;
    mysql_close(m);
    return ok;
}

/* The watcher's start (temp_server.h): mariadb-install-db, then mariadbd, until it
 * accepts connections. */
static pid_t watcher_start(void *arg, int control_fd, char *msg, size_t n)
{
    const mariadb_temp *t = arg;
    const char *dir = t->watch.dir;
    char datadir[PATH_MAX + 32], sock[PATH_MAX + 32], pidfile[PATH_MAX + 32], install_log[PATH_MAX + 32],
        server_log[PATH_MAX + 32];
    snprintf(datadir, sizeof datadir, "--datadir=%s/data", dir);
    snprintf(sock, sizeof sock, "%s" SOCKET_NAME, dir);
    snprintf(pidfile, sizeof pidfile, "--pid-file=%s/mariadbd.pid", dir);
    snprintf(install_log, sizeof install_log, "%s/install.log", dir);
    snprintf(server_log, sizeof server_log, "%s/mariadbd.log", dir);
    char socket_arg[PATH_MAX + 64], log_arg[PATH_MAX + 64];
    snprintf(socket_arg, sizeof socket_arg, "--socket=%s", sock);
    snprintf(log_arg, sizeof log_arg, "--log-error=%s", server_log);
    char *user_arg = geteuid() == 0 ? "--user=root" : NULL;

    /* --no-defaults must come first; the test database is not needed */
    char *const install_argv[] = {(char *)t->install_db, "--no-defaults", datadir,
                                  "--auth-root-authentication-method=normal", "--skip-test-db", user_arg, NULL};
    pid_t pid = wb_temp_spawn(&t->who, install_argv, install_log, SIGKILL);
    int status = pid > 0 ? wb_temp_wait_child(pid, 0) : -1;
    if (!(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        char last[600];
        wb_temp_last_log_line(install_log, last, sizeof last);
        snprintf(msg, n, "error: mariadb-temp: mariadb-install-db failed (%s)\n", last[0] ? last : "no output");
        return -1;
    }

    char *const server_argv[] = {(char *)t->mariadbd, "--no-defaults", datadir, socket_arg, "--skip-networking",
                                 pidfile, log_arg, user_arg, NULL};
    pid_t server = wb_temp_spawn(&t->who, server_argv, server_log, SIGKILL);
    if (server < 0) {
        snprintf(msg, n, "error: mariadb-temp: cannot fork the server process\n");
        return -1;
    }
    double deadline = wb_clock_s() + READY_TIMEOUT_S;
    msg[0] = '\0';
    for (;;) {
        if (accepts_connections(sock))
            return server;
        if (wb_temp_wait_child(server, WNOHANG) != -2) {
            char last[600];
            wb_temp_last_log_line(server_log, last, sizeof last);
            snprintf(msg, n, "error: mariadb-temp: the server exited while starting (%s)\n",
                     last[0] ? last : "no output");
            return -1;
        }
        if (wb_clock_s() > deadline) {
            snprintf(msg, n, "error: mariadb-temp: the server did not accept connections within %.0f s\n",
                     READY_TIMEOUT_S);
            break;
        }
        if (wb_temp_told_to_stop(control_fd, 50))
            break;
    }
    wb_temp_stop_child(server, SIGKILL, SHUTDOWN_TIMEOUT_S);
    return -1;
}

/* Its data is thrown away: no clean shutdown, which would flush the buffer pool first. */
static void watcher_stop(void *arg, pid_t server)
{
    (void)arg;
    wb_temp_stop_child(server, SIGKILL, SHUTDOWN_TIMEOUT_S);
}

static const wb_temp_ops mariadb_temp_ops = {watcher_start, watcher_stop};

int wb_mariadb_temp_server_start(wb_target *t, wb_temp_server **out, wb_error *e)
{
    *out = NULL;
    mariadb_temp *s = wb_xcalloc(1, sizeof *s);
    s->who.name = "current";
    static const char *const install_names[] = {"mariadb-install-db", "mysql_install_db", NULL};
    static const char *const server_names[] = {"mariadbd", "mysqld", NULL};
    if (find_program(install_names, s->install_db, sizeof s->install_db) != 0 ||
        find_program(server_names, s->mariadbd, sizeof s->mariadbd) != 0) {
        free(s);
        return wb_fail(e, "mariadb-temp: no MariaDB server programs found (mariadb-install-db and mariadbd in "
                          "$PATH, /usr/sbin or /usr/bin); install the server, e.g. `apt-get install mariadb-server`");
    }
    if (wb_temp_make_dir("mariadb-temp", "writebench-mariadb-", SOCKET_NAME, &s->who, s->watch.dir,
                         sizeof s->watch.dir, e) != 0) {
        free(s);
        return -1;
    }
    /* The client library starts in the watcher too: initialised once, before the fork. */
    mysql_library_init(0, NULL, NULL);
    if (wb_temp_watch_start(&s->watch, &mariadb_temp_ops, s, e) != 0) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        wb_fail(e, "%s (MariaDB programs: %s, %s)", why, s->install_db, s->mariadbd);
        free(s);
        return -1;
    }
    wb_buf url = WB_BUF_INIT, sock = WB_BUF_INIT;
    wb_buf_printf(&sock, "%s" SOCKET_NAME, s->watch.dir);
    wb_buf_puts(&url, "mariadb://root@localhost?socket=");
    wb_target_url_encode(&url, wb_buf_str(&sock));
    int rc = wb_target_copy_field(t->conninfo, sizeof t->conninfo, wb_buf_str(&url), "mariadb-temp's URL", e);
    wb_buf_free(&url);
    wb_buf_free(&sock);
    if (rc != 0) {
        wb_mariadb_temp_server_stop((wb_temp_server *)s);
        return -1;
    }
    *out = (wb_temp_server *)s;
    return 0;
}

void wb_mariadb_temp_server_describe(const wb_temp_server *server, wb_buf *out)
{
    const mariadb_temp *s = (const mariadb_temp *)server;
    if (!s)
        return;
    wb_buf_printf(out, "mariadb_temp.programs = %s, %s\n", s->install_db, s->mariadbd);
    wb_buf_printf(out, "mariadb_temp.dir = %s\n", s->watch.dir);
    wb_buf_printf(out, "mariadb_temp.install = --no-defaults --auth-root-authentication-method=normal --skip-test-db\n");
    wb_buf_printf(out, "mariadb_temp.changed_settings = --no-defaults --skip-networking --socket=%s" SOCKET_NAME
                       "%s (everything else: MariaDB's compiled-in defaults)\n",
                  s->watch.dir, geteuid() == 0 ? " --user=root" : "");
}

void wb_mariadb_temp_server_stop(wb_temp_server *server)
{
    mariadb_temp *s = (mariadb_temp *)server;
    if (!s)
        return;
    wb_temp_watch_stop(&s->watch);
    free(s);
}
