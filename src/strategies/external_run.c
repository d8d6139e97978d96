/* Running an external program as a test (docs/EXTERNAL.md): the protocol's
 * environment, execve without a shell, stdout/stderr into the test's output
 * directory, then wait for the program AND every process it started (this
 * process is their subreaper), and report the whole tree's CPU and largest
 * peak RSS, and the program's own timed region when it wrote one into
 * $WRITEBENCH_REPORT (external_report.c). It runs inside the test's child
 * (runner/child.c): the child's process group is the program's, so the runner's
 * timeout kills all of it. */
#include "strategies/external.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/fs.h"

extern char **environ;

/* A growing NULL-terminated array of allocated "NAME=value" strings. */
typedef struct env_list {
    char **items;
    size_t count, cap;
} env_list;

/* Set NAME=value, replacing an inherited NAME. */
static void env_set(env_list *env, const char *name, const char *value)
{
    size_t nlen = strlen(name);
    char *entry = wb_xmalloc(nlen + strlen(value) + 2);
    sprintf(entry, "%s=%s", name, value);
    for (size_t i = 0; i < env->count; i++)
        if (strncmp(env->items[i], name, nlen) == 0 && env->items[i][nlen] == '=') {
            free(env->items[i]);
            env->items[i] = entry;
            return;
        }
    if (env->count + 2 > env->cap) {
        env->cap = env->cap ? env->cap * 2 : 64;
        env->items = wb_xrealloc(env->items, env->cap * sizeof *env->items);
    }
    env->items[env->count++] = entry;
    env->items[env->count] = NULL;
}

static void env_set_int(env_list *env, const char *name, int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)value);
    env_set(env, name, text);
}

static const char *env_get(const env_list *env, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < env->count; i++)
        if (strncmp(env->items[i], name, nlen) == 0 && env->items[i][nlen] == '=')
            return env->items[i] + nlen + 1;
    return NULL;
}

/* env_set and env_get as a backend's external_env calls them (wb_env). */
static void env_set_cb(void *arg, const char *name, const char *value)
{
    env_set(arg, name, value);
}

static const char *env_get_cb(void *arg, const char *name)
{
    return env_get(arg, name);
}

void wb_external_application_name(char *out, size_t n)
{
    /* unique to this test's child, so the runner finds the program's server processes */
    snprintf(out, n, "writebench-external-%d", (int)getpid());
}

char **wb_external_env(const wb_ctx *ctx, char *const *base)
{
    env_list env = {NULL, 0, 0};
    for (char *const *p = base; p && *p; p++) {
        const char *eq = strchr(*p, '=');
        if (!eq)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq - *p), *p);
        /* Inherited WRITEBENCH_* would confuse a program: only this test's are given. */
        if (strncmp(name, "WRITEBENCH_", 11) == 0)
            continue;
        env_set(&env, name, eq + 1);
    }
    const wb_target *t = ctx->target;
    env_set_int(&env, "WRITEBENCH_PROTOCOL", WB_EXTERNAL_PROTOCOL);
    env_set(&env, "WRITEBENCH_STRATEGY", ctx->external ? ctx->external->name : "");
    env_set(&env, "WRITEBENCH_BACKEND", ctx->backend->name);
    /* How to reach the database is the backend's to say (backend.h, external_env). */
    const wb_backend *b = wb_backend_v2(ctx->backend);
    if (b && b->external_env) {
        char application_name[64];
        wb_external_application_name(application_name, sizeof application_name);
        const wb_env ops = {env_set_cb, env_get_cb, &env};
        b->external_env(t, application_name, &ops);
    }
    wb_buf tables = WB_BUF_INIT, first_keys = WB_BUF_INIT;
    for (int i = 0; i < ctx->workload->ntables; i++) {
        wb_buf_printf(&tables, "%s%s", i ? "," : "", ctx->workload->tables[i].name);
        wb_buf_printf(&first_keys, "%s%lld", i ? "," : "", (long long)wb_table_key(&ctx->workload->tables[i], 1));
    }
    env_set(&env, "WRITEBENCH_WORKLOAD", ctx->workload->name);
    env_set(&env, "WRITEBENCH_TABLES", wb_buf_str(&tables));
    env_set(&env, "WRITEBENCH_FIRST_KEYS", wb_buf_str(&first_keys)); /* 1, or 0 with first_key: 0 */
    wb_buf_free(&tables);
    wb_buf_free(&first_keys);
    env_set_int(&env, "WRITEBENCH_ROWS", ctx->rows);
    env_set(&env, "WRITEBENCH_PHASE", wb_phase_name(ctx->phase));
    env_set_int(&env, "WRITEBENCH_DATA_VERSION", ctx->version);
    env_set_int(&env, "WRITEBENCH_BATCH", ctx->batch);
    env_set_int(&env, "WRITEBENCH_THREADS", ctx->threads);
    env_set(&env, "WRITEBENCH_OUTPUT_DIR", ctx->output_dir ? ctx->output_dir : "");
    /* Where the program may report its own timed region (external_report.c). */
    wb_buf report = WB_BUF_INIT;
    if (ctx->output_dir)
        wb_buf_printf(&report, "%s/%s", ctx->output_dir, WB_EXTERNAL_REPORT_NAME);
    env_set(&env, "WRITEBENCH_REPORT", wb_buf_str(&report));
    wb_buf_free(&report);
    env_set_int(&env, "WRITEBENCH_REPEAT", ctx->repeat > 0 ? ctx->repeat : 1);
    char timeout[32];
    snprintf(timeout, sizeof timeout, "%g", ctx->timeout_s);
    env_set(&env, "WRITEBENCH_TIMEOUT_S", timeout);
    if (!env.items)
        env.items = wb_xcalloc(1, sizeof *env.items);
    return env.items;
}

void wb_external_env_free(char **env)
{
    for (char **p = env; p && *p; p++)
        free(*p);
    free(env);
}

/* The last lines of the program's stderr (at most max_lines, joined with " | "), for
 * the test's one-line error. */
static void last_stderr_lines(const char *path, int max_lines, char *out, size_t n)
{
    out[0] = '\0';
    wb_buf text = WB_BUF_INIT;
    if (wb_fs_read_file(path, &text, NULL) != 0 || text.len == 0) {
        wb_buf_free(&text);
        return;
    }
    char *s = text.data;
    size_t end = text.len;
    const char *lines[16];
    int found = 0;
    if (max_lines > 16)
        max_lines = 16;
    while (end > 0 && found < max_lines) {
        while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
            s[--end] = '\0';
        if (end == 0)
            break;
        size_t start = end;
        while (start > 0 && s[start - 1] != '\n')
            start--;
        lines[found++] = s + start;
        end = start;
    }
    size_t used = 0;
    for (int i = found - 1; i >= 0 && used + 1 < n; i--)
        used += (size_t)snprintf(out + used, n - used, "%s%s", used ? " | " : "", lines[i]);
    wb_buf_free(&text);
}

/* Open path for the program's output, as its fd `target`. */
static int redirect(const char *path, int flags, int target)
{
    int fd = open(path, flags, 0644);
    if (fd < 0)
        return -1;
    if (fd != target) {
        if (dup2(fd, target) < 0)
            return -1;
        close(fd);
    }
    return 0;
}

/* The program's side of the fork: never returns. */
static void exec_program(const wb_external *x, const char *out_path, const char *err_path, char **env)
{
    /* The test's child dies with writebench; the program dies with the test's child. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (redirect("/dev/null", O_RDONLY, 0) != 0 || redirect(out_path, O_WRONLY | O_CREAT | O_TRUNC, 1) != 0 ||
        redirect(err_path, O_WRONLY | O_CREAT | O_TRUNC, 2) != 0)
        _exit(126);
    /* The path as given (or as PATH lookup found it), not what it resolves to: a
     * wrapper reached through a symlink sees its own name in argv[0] and in /proc. */
    execve(x->path, x->argv, env);
    dprintf(2, "writebench: cannot start %s: %s\n", x->path, strerror(errno));
    _exit(127);
}

int wb_external_run(wb_ctx *ctx)
{
    const wb_external *x = ctx->external;
    if (!x || !ctx->output_dir)
        return wb_fail(ctx->error, "external strategy without its program or output directory");
    char out_path[4200], err_path[4200], report_path[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout.txt", ctx->output_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", ctx->output_dir);
    snprintf(report_path, sizeof report_path, "%s/%s", ctx->output_dir, WB_EXTERNAL_REPORT_NAME);
    unlink(report_path); /* only what this run of the program writes counts */
    char **env = wb_external_env(ctx, environ);
    /* Orphans of the program are re-parented here, so they are waited for and counted. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    /* SIGCHLD blocked, so sigtimedwait wakes at the program's end at once; unblocked
     * again in the program before execve. */
    sigset_t chld, old_mask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old_mask);
    double start_s = wb_clock_s();
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        wb_external_env_free(env);
        return wb_fail(ctx->error, "cannot start %s: %s", x->name, strerror(errno));
    }
    if (pid == 0)
        exec_program(x, out_path, err_path, env);
    wb_external_env_free(env);

    char application_name[64];
    wb_external_application_name(application_name, sizeof application_name);
    wb_conn *sampler = ctx->backend->server_peak_rss_kb_of && ctx->conns && ctx->threads > 0 ? ctx->conns[0] : NULL;
    int64_t server_peak_kb = -1;
    int program_status = 0;
    for (;;) { /* until no process of the tree is left */
        int status;
        pid_t done = waitpid(-1, &status, WNOHANG);
        if (done == pid)
            program_status = status;
        if (done > 0 || (done < 0 && errno == EINTR))
            continue;
        if (done < 0)
            break; /* ECHILD: all reaped */
        if (sampler) { /* the program's server processes, while they exist */
            int64_t kb = ctx->backend->server_peak_rss_kb_of(sampler, application_name);
            if (kb > server_peak_kb)
                server_peak_kb = kb;
        }
        struct timespec tick = {0, 100 * 1000 * 1000};
        sigtimedwait(&chld, NULL, &tick);
    }
    double wall_s = wb_clock_s() - start_s;
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    if (sampler) {
        ctx->backend->server_peak_rss_kb_of(sampler, NULL); /* ends the sampling transaction */
        /* A server process ends a moment after its client, and only then adds its commits
         * to the statistics the runner reads next: wait (not timed) until the program's
         * are gone, and a little more for the flush itself. */
        if (ctx->backend->await_others)
            ctx->backend->await_others(sampler, application_name, 5000);
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    struct rusage ru;
    if (ctx->usage && getrusage(RUSAGE_CHILDREN, &ru) == 0) {
        ctx->usage->cpu_user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        ctx->usage->cpu_sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        ctx->usage->peak_rss_kb = ru.ru_maxrss; /* Linux: the largest of the children, in kB */
        ctx->usage->server_peak_rss_kb = server_peak_kb;
        ctx->usage->wall_s = wall_s;
        ctx->usage->valid = 1;
    }

    char tail[1200];
    last_stderr_lines(err_path, 3, tail, sizeof tail);
    if (WIFEXITED(program_status) && WEXITSTATUS(program_status) == 0) {
        /* A program that reports its timed region is timed by it; the whole process
         * time (interpreter start-up, imports, connecting) stays as process_s. */
        wb_external_report report;
        if (wb_external_read_report_counts(report_path, wall_s, &report, ctx->error) != 0)
            return -1;
        if (ctx->usage && !isnan(report.duration_s)) {
            ctx->usage->timed_region_s = report.duration_s;
            ctx->usage->timed_region_reported = 1;
            ctx->usage->cache_lookups = report.cache_lookups;
            ctx->usage->stale_reads = report.stale_reads;
        }
        return 0;
    }
    if (WIFEXITED(program_status) && WEXITSTATUS(program_status) == WB_EXTERNAL_EXIT_SKIP) {
        char reason[600]; /* the last line alone */
        last_stderr_lines(err_path, 1, reason, sizeof reason);
        wb_fail(ctx->error, "%s", reason[0] ? reason : "the program exited 77 without giving a reason on stderr");
        return WB_SKIP;
    }
    if (WIFSIGNALED(program_status)) {
        int sig = WTERMSIG(program_status);
        if (ctx->usage)
            ctx->usage->killed_by_signal = sig; /* recorded as crashed, like a built-in's crash */
        return wb_fail(ctx->error, "the program was killed by signal %d (%s)%s%s", sig, strsignal(sig),
                       tail[0] ? "; its last stderr: " : "", tail);
    }
    return wb_fail(ctx->error, "the program exited with status %d%s%s", WEXITSTATUS(program_status),
                   tail[0] ? ": " : " and wrote nothing to stderr", tail);
}
