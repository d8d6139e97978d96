/* What the throwaway servers of `--db pg-temp:` (pg_temp.c) and `--db mariadb-temp:`
 * (mariadb_temp.c) share: a private directory, and a watcher process that starts the
 * server, outlives writebench and stops the server and removes the directory at the
 * end, however writebench ends.
 *
 *     writebench ──control pipe──> watcher (own session) ──> server
 *
 * The watcher is forked from writebench, makes its own session (so the terminal's
 * Ctrl-C, meant for writebench, never reaches the server in the middle of a run),
 * runs the backend's start (initdb and the postmaster; mariadb-install-db and
 * mariadbd), which waits until the server accepts connections, then reports on a
 * status pipe and waits for the control pipe to close. Closing it is how writebench
 * says "stop": wb_temp_server_stop closes it, and so does the kernel when writebench
 * dies in any way, SIGKILL included. The watcher then runs the backend's stop and
 * removes the directory. If the watcher itself is killed, the server gets a signal
 * from its parent-death signal (the directory then stays behind). */
#ifndef WB_BACKENDS_TEMP_SERVER_H
#define WB_BACKENDS_TEMP_SERVER_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Who runs the server's programs: ourselves, or another user when we are root. */
typedef struct wb_temp_user {
    int drop; /* switch to uid/gid before exec */
    uid_t uid;
    gid_t gid;
    const char *name; /* for messages: "postgres", "the current user" */
} wb_temp_user;

/* The backend's part of the watcher, called in the watcher process. */
typedef struct wb_temp_ops {
    /* Start the server and wait until it accepts connections: its pid, or -1 with the
     * line to report in msg ("error: ...\n"; "" when told to stop meanwhile). */
    pid_t (*start)(void *arg, int control_fd, char *msg, size_t n);
    /* Stop the server started by start (it is the watcher's child). */
    void (*stop)(void *arg, pid_t server);
} wb_temp_ops;

/* A running watcher. */
typedef struct wb_temp_watch {
    pid_t watcher;
    int control_fd; /* write end: closing it tells the watcher to stop the server */
    char dir[PATH_MAX];
} wb_temp_watch;

/* Exit codes of a spawned program that failed before exec. */
#define WB_TEMP_EXIT_NO_SETUID 124   /* could not become the server's user */
#define WB_TEMP_EXIT_UNREACHABLE 125 /* could not write its log into the directory */

/* A fresh private directory $TMPDIR/<prefix>XXXXXX, owned by who; socket_suffix is the
 * longest path the server puts under it for a unix socket, which must fit sun_path.
 * what names the form in errors ("pg-temp"). */
int wb_temp_make_dir(const char *what, const char *prefix, const char *socket_suffix, const wb_temp_user *who,
                     char *dir, size_t n, wb_error *e);
/* Fork the watcher for the directory w->dir (already made) and wait for its report;
 * 0 when the server is ready, -1 with e set from the report (prefixed by nothing:
 * the report says what failed) and everything stopped and removed. */
int wb_temp_watch_start(wb_temp_watch *w, const wb_temp_ops *ops, void *arg, wb_error *e);
/* Tell the watcher to stop, wait for it, and remove the directory if it is still
 * there (a killed watcher). */
void wb_temp_watch_stop(wb_temp_watch *w);

/* --- for the backend's start and stop, in the watcher --- */
/* Fork and exec argv[0] as who, its stdout and stderr appended to log; the child gets
 * death_signal when the watcher dies. Returns the pid, or -1. */
pid_t wb_temp_spawn(const wb_temp_user *who, char *const argv[], const char *log, int death_signal);
/* Wait for a child, retrying on signals: its wait status, -2 with WNOHANG while it
 * runs, -1 on error. */
int wb_temp_wait_child(pid_t pid, int options);
/* Whether writebench closed the control pipe (or died, or the watcher got SIGTERM),
 * waiting up to timeout_ms. */
int wb_temp_told_to_stop(int control_fd, int timeout_ms);
/* Send sig to a child and wait for it, SIGKILL after timeout_s. */
void wb_temp_stop_child(pid_t pid, int sig, double timeout_s);
/* The last non-empty line of a log file ("" when none). */
void wb_temp_last_log_line(const char *path, char *out, size_t n);
/* Remove a directory and everything in it, not following symlinks or crossing mounts. */
void wb_temp_remove_tree(const char *dir);

#endif
