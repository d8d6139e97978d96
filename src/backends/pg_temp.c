/* The throwaway PostgreSQL cluster of `--db pg-temp:` (see pg_temp.h).
 *
 * Process layout:
 *
 *     writebench ──control pipe──> watcher (own session) ──> postgres (postmaster)
 *
 * The watcher is forked from writebench, makes its own session (so the terminal's
 * Ctrl-C, meant for writebench, never reaches the server in the middle of a run), runs
 * initdb, starts the postmaster as its child and waits until it accepts connections,
 * then reports on a status pipe and waits for the control pipe to close. Closing it is
 * how writebench says "stop": wb_pg_temp_stop closes it, and so does the kernel when
 * writebench dies in any way, SIGKILL included. The watcher then shuts the server down
 * and removes the directory. If the watcher itself is killed, the postmaster gets
 * SIGQUIT from its parent-death signal (the directory then stays behind).
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

#include "util/clock.h"

#define SERVER_USER "postgres"
#define READY_TIMEOUT_S 60.0
#define SHUTDOWN_TIMEOUT_S 10.0
/* The socket file's name inside the directory, longest form (sockaddr_un limits the path). */
#define SOCKET_SUFFIX_MAX "/.s.PGSQL.65535.lock"

struct wb_pg_temp {
    pid_t watcher;
    int control_fd; /* write end: closing it tells the watcher to stop the server */
    int port;
    char dir[PATH_MAX];
    char bindir[PATH_MAX];
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

/* Stop the postmaster: SIGQUIT (immediate shutdown), SIGKILL if it lingers. */
static void stop_server(pid_t postmaster)
{
    kill(postmaster, SIGQUIT);
    double deadline = wb_clock_s() + SHUTDOWN_TIMEOUT_S;
    while (wait_child(postmaster, WNOHANG) == -2) {
        if (wb_clock_s() > deadline) {
            kill(postmaster, SIGKILL);
            wait_child(postmaster, 0);
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
    char initdb[PATH_MAX + 16];
    char postgres[PATH_MAX + 16];
    char initdb_log[PATH_MAX + 16];
    char server_log[PATH_MAX + 16];
    char port[16];
} cluster_paths;

/* Run initdb; 0, or -1 with the "error: ..." line in msg. */
static int run_initdb(const run_as *who, cluster_paths *p, char *msg, size_t n)
{
    char *const argv[] = {p->initdb, "-D", p->data, "-U", SERVER_USER, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync", NULL};
    pid_t pid = spawn(who, argv, p->initdb_log, SIGKILL);
    int status = pid > 0 ? wait_child(pid, 0) : -1;
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    int code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    char last[600];
    last_log_line(p->initdb_log, last, sizeof last);
    if (code == EXIT_NO_SETUID)
        snprintf(msg, n, "error: pg-temp: cannot switch to the " SERVER_USER " user to run initdb\n");
    else if (code == EXIT_UNREACHABLE)
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
static pid_t start_server(const wb_pg_temp *t, const run_as *who, cluster_paths *p, int control_fd,
                          char *msg, size_t n)
{
    msg[0] = '\0';
    /* Quoted: unix_socket_directories is a list, and a directory may hold a comma. */
    wb_buf socket_dirs = WB_BUF_INIT;
    wb_buf_puts(&socket_dirs, "unix_socket_directories=\"");
    for (const char *c = t->dir; *c; c++) {
        if (*c == '"')
            wb_buf_putc(&socket_dirs, '"');
        wb_buf_putc(&socket_dirs, *c);
    }
    wb_buf_putc(&socket_dirs, '"');
    char *const argv[] = {p->postgres, "-D", p->data, "-p", p->port, "-c", "listen_addresses=",
                          "-c", (char *)wb_buf_str(&socket_dirs), NULL};
    pid_t postmaster = spawn(who, argv, p->server_log, SIGQUIT);
    wb_buf_free(&socket_dirs);
    if (postmaster < 0) {
        snprintf(msg, n, "error: pg-temp: cannot fork the server process\n");
        return -1;
    }

    wb_buf conninfo = WB_BUF_INIT;
    make_conninfo(t->dir, t->port, &conninfo);
    wb_buf_puts(&conninfo, " connect_timeout=2");
    double deadline = wb_clock_s() + READY_TIMEOUT_S;
    int ready = 0;
    for (;;) {
        if (PQping(wb_buf_str(&conninfo)) == PQPING_OK) {
            ready = 1;
            break;
        }
        if (wait_child(postmaster, WNOHANG) != -2) {
            char last[600];
            last_log_line(p->server_log, last, sizeof last);
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
        if (told_to_stop(control_fd, 50))
            break;
    }
    wb_buf_free(&conninfo);
    if (ready)
        return postmaster;
    if (postmaster > 0)
        stop_server(postmaster);
    return -1;
}

/* The watcher's life: initdb, start, report, wait, stop, clean up. Never returns. */
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
    snprintf(p.initdb, sizeof p.initdb, "%s/initdb", t->bindir);
    snprintf(p.postgres, sizeof p.postgres, "%s/postgres", t->bindir);
    snprintf(p.initdb_log, sizeof p.initdb_log, "%s/initdb.log", t->dir);
    snprintf(p.server_log, sizeof p.server_log, "%s/postgres.log", t->dir);
    snprintf(p.port, sizeof p.port, "%d", t->port);

    char msg[1200] = "";
    pid_t postmaster = -1;
    if (run_initdb(who, &p, msg, sizeof msg) == 0)
        postmaster = start_server(t, who, &p, control_fd, msg, sizeof msg);
    report(status_fd, postmaster > 0 ? "ok\n" : msg);
    close(status_fd);

    if (postmaster > 0) {
        while (!told_to_stop(control_fd, 1000)) {
            /* The server dying on its own (killed, out of memory) is writebench's to
             * notice, through failing connections; keep the directory until told. */
            if (postmaster > 0 && wait_child(postmaster, WNOHANG) != -2)
                postmaster = -1;
        }
    }
    if (postmaster > 0)
        stop_server(postmaster);
    remove_tree(t->dir);
    _exit(0);
}

/* ---- the interface ------------------------------------------------------ */

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

int wb_pg_temp_start(wb_pg_temp **out, char *conninfo, size_t n, wb_error *e)
{
    *out = NULL;
    wb_pg_temp *t = wb_xcalloc(1, sizeof *t);
    t->watcher = -1;
    t->control_fd = -1;
    run_as who;
    if (find_bindir(t->bindir, sizeof t->bindir, e) != 0 || choose_user(&who, e) != 0 ||
        make_dir(&who, t->dir, sizeof t->dir, e) != 0) {
        free(t);
        return -1;
    }
    /* Any port works: the socket lives in our private directory, so no other server can
     * hold it; varying it only keeps SysV shared-memory keys (derived from the port) apart. */
    t->port = 5433 + (int)((unsigned)getpid() % 20000u);

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
    make_conninfo(t->dir, t->port, &text);
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
    wb_buf_printf(out, "pg_temp.bindir = %s\n", t->bindir);
    wb_buf_printf(out, "pg_temp.dir = %s\n", t->dir);
    wb_buf_printf(out, "pg_temp.initdb = -A trust -E UTF8 --locale=C --no-sync -U " SERVER_USER "\n");
    wb_buf_printf(out, "pg_temp.changed_settings = listen_addresses='', unix_socket_directories='%s', "
                       "port=%d (everything else: the server's defaults)\n",
                  t->dir, t->port);
}
