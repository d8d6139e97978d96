/* The watcher of a throwaway server and its helpers (see temp_server.h). */
#include "backends/temp_server.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
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

/* ---- helpers ------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0; /* go on: remove as much as possible */
}

void wb_temp_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void wb_temp_last_log_line(const char *path, char *out, size_t n)
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

int wb_temp_make_dir(const char *what, const char *prefix, const char *socket_suffix, const wb_temp_user *who,
                     char *dir, size_t n, wb_error *e)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int len = snprintf(dir, n, "%s/%sXXXXXX", tmp, prefix);
    if (len < 0 || (size_t)len >= n ||
        (size_t)len + strlen(socket_suffix) + 1 > sizeof(((struct sockaddr_un *)0)->sun_path))
        return wb_fail(e, "%s: TMPDIR (%s) is too long for a unix socket path; set a shorter TMPDIR", what, tmp);
    if (!mkdtemp(dir))
        return wb_fail(e, "%s: cannot create a directory under %s: %s", what, tmp, strerror(errno));
    if (who->drop && chown(dir, who->uid, who->gid) != 0) {
        int err = errno;
        rmdir(dir);
        return wb_fail(e, "%s: cannot hand %s to the %s user: %s", what, dir, who->name, strerror(err));
    }
    return 0;
}

/* ---- the watcher's side ------------------------------------------------- */

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

pid_t wb_temp_spawn(const wb_temp_user *who, char *const argv[], const char *log, int death_signal)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (who->drop && (setgroups(0, NULL) != 0 || setgid(who->gid) != 0 || setuid(who->uid) != 0))
        _exit(WB_TEMP_EXIT_NO_SETUID);
    /* Set after setuid: a change of credentials clears the parent-death signal. */
    prctl(PR_SET_PDEATHSIG, death_signal);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        _exit(WB_TEMP_EXIT_UNREACHABLE);
    dup2(fd, 1);
    dup2(fd, 2);
    close_other_fds(-1, -1);
    execv(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int wb_temp_wait_child(pid_t pid, int options)
{
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, options)) < 0 && errno == EINTR) {
    }
    if (got == 0)
        return -2; /* WNOHANG: still running */
    return got == pid ? status : -1;
}

void wb_temp_stop_child(pid_t pid, int sig, double timeout_s)
{
    kill(pid, sig);
    double deadline = wb_clock_s() + timeout_s;
    while (wb_temp_wait_child(pid, WNOHANG) == -2) {
        if (wb_clock_s() > deadline) {
            kill(pid, SIGKILL);
            wb_temp_wait_child(pid, 0);
            return;
        }
        wb_sleep_ns(20 * 1000000LL);
    }
}

int wb_temp_told_to_stop(int control_fd, int timeout_ms)
{
    struct pollfd p = {control_fd, POLLIN, 0};
    int n = poll(&p, 1, timeout_ms);
    return watcher_term || (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)));
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

/* The watcher's life: start, report, wait, stop, clean up. Never returns. */
static void watcher_main(const wb_temp_watch *w, const wb_temp_ops *ops, void *arg, int status_fd, int control_fd)
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

    char msg[1200] = "";
    pid_t server = ops->start(arg, control_fd, msg, sizeof msg);
    report(status_fd, server > 0 ? "ok\n" : msg);
    close(status_fd);
    if (server > 0) {
        while (!wb_temp_told_to_stop(control_fd, 1000)) {
            /* The server dying on its own (killed, out of memory) is writebench's to
             * notice, through failing connections; keep the directory until told. */
            if (server > 0 && wb_temp_wait_child(server, WNOHANG) != -2)
                server = -1;
        }
    }
    if (server > 0)
        ops->stop(arg, server);
    wb_temp_remove_tree(w->dir);
    _exit(0);
}

/* ---- writebench's side -------------------------------------------------- */

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

int wb_temp_watch_start(wb_temp_watch *w, const wb_temp_ops *ops, void *arg, wb_error *e)
{
    w->watcher = -1;
    w->control_fd = -1;
    int status_pipe[2], control_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        wb_temp_remove_tree(w->dir);
        return wb_fail(e, "cannot create a pipe for the throwaway server's watcher: %s", strerror(err));
    }
    if (pipe2(control_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        close(status_pipe[0]);
        close(status_pipe[1]);
        wb_temp_remove_tree(w->dir);
        return wb_fail(e, "cannot create a pipe for the throwaway server's watcher: %s", strerror(err));
    }
    fflush(NULL); /* the watcher must not write our buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        close(status_pipe[0]);
        close(control_pipe[1]);
        watcher_main(w, ops, arg, status_pipe[1], control_pipe[0]);
    }
    int fork_error = errno;
    close(status_pipe[1]);
    close(control_pipe[0]);
    w->watcher = pid;
    w->control_fd = control_pipe[1];
    char line[1200] = "";
    if (pid > 0)
        read_report(status_pipe[0], line, sizeof line);
    close(status_pipe[0]);
    if (strcmp(line, "ok") == 0)
        return 0;
    if (pid < 0)
        wb_fail(e, "cannot fork the throwaway server's watcher: %s", strerror(fork_error));
    else if (strncmp(line, "error: ", 7) == 0)
        wb_fail(e, "%s", line + 7);
    else
        wb_fail(e, "the throwaway server's watcher process ended before the server was ready");
    wb_temp_watch_stop(w);
    return -1;
}

void wb_temp_watch_stop(wb_temp_watch *w)
{
    if (w->control_fd >= 0)
        close(w->control_fd);
    w->control_fd = -1;
    if (w->watcher > 0)
        wb_temp_wait_child(w->watcher, 0);
    w->watcher = -1;
    /* The watcher removes the directory; this covers a watcher that was killed. */
    struct stat st;
    if (w->dir[0] && lstat(w->dir, &st) == 0)
        wb_temp_remove_tree(w->dir);
}
