/* One strategy in a forked child, measured from outside (see child.h). */
#include "runner/child.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/echo.h"
#include "util/clock.h"
#include "util/storage_fault.h"

/* What the child tells the parent; lives in MAP_SHARED memory so that counters
 * survive a crash and the parent sees progress live. */
typedef struct child_report {
    wb_counters counters;
    int reported; /* the strategy returned (rc valid) */
    int rc;
    double duration_s;
    double connect_s;
    int end_ok;
    wb_snapshot end;
    int64_t server_peak_rss_kb;
    wb_process_usage usage; /* an external program's tree, measured by the strategy itself */
    char error[2000]; /* shorter than the outcome's, which prefixes "skipped: " */
    int storage_errno; /* wb_storage_fault() when the strategy failed */
} child_report;

static volatile sig_atomic_t interrupt_signal;

static void on_interrupt(int sig)
{
    interrupt_signal = sig;
}

void wb_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: poll() must return so the parent reacts at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int wb_interrupted(void)
{
    return interrupt_signal != 0;
}

int wb_interrupt_signal(void)
{
    return (int)interrupt_signal;
}

/* The child's side: connect, run, report. Never returns. */
static void child_main(const wb_ctx *template_ctx, wb_strategy_fn fn, child_report *report,
                       pid_t parent, int pipe_write)
{
    /* Own process group, so the parent can kill the strategy and anything it started;
     * and die with the parent, so a killed run leaves no writer behind. */
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(4);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    (void)pipe_write; /* held open until exit: its closing tells the parent we are gone */
    wb_echo_forget(); /* --echo: the parent's statements are the parent's to print */

    wb_ctx ctx = *template_ctx;
    wb_error error = {{0}};
    int threads = ctx.threads > 0 ? ctx.threads : 1;
    wb_conn **conns = wb_xcalloc((size_t)threads, sizeof *conns);
    int rc = 0, opened = 0;

    double connect_start = wb_clock_s();
    for (; opened < threads && rc == 0; opened++) {
        rc = ctx.backend->connect(ctx.target, &conns[opened], &error);
        if (rc == 0 && ctx.backend->attach_counters)
            ctx.backend->attach_counters(conns[opened], &report->counters);
    }
    if (rc != 0)
        opened--; /* the failed one is not open */
    report->connect_s = wb_clock_s() - connect_start;
    /* A server whose peak memory is one figure for all its connections starts it anew
     * now, so that the reading after the strategy is this test's. */
    const wb_backend *v2 = wb_backend_v2(ctx.backend);
    if (rc == 0 && v2 && v2->server_peak_rss_begin)
        v2->server_peak_rss_begin(conns[0]);

    if (rc == 0) {
        ctx.conns = conns;
        ctx.threads = threads;
        ctx.counters = &report->counters;
        ctx.error = &error;
        ctx.usage = &report->usage;
        double start = wb_clock_s();
        rc = fn(&ctx);
        report->duration_s = wb_clock_s() - start;
        /* An external program: its own lifetime, not the wait after it; or the region it timed. */
        if (report->usage.valid)
            report->duration_s =
                report->usage.timed_region_reported ? report->usage.timed_region_s : report->usage.wall_s;
        if (wb_echo_active) { /* --echo: this test's statements, outside the clock */
            char title[160];
            snprintf(title, sizeof title, "this test (%s, %lld rows, %d connection%s)",
                     ctx.workload->name, (long long)ctx.rows, threads, threads == 1 ? "" : "s");
            wb_echo_summary(title);
        }
        /* Read the server-side figures before the connection goes: closing the last
         * SQLite connection checkpoints and deletes the WAL file. */
        /* Every connection takes a reading, the first one last: on PostgreSQL a reading
         * flushes that connection's statistics, so the first one's reading counts the
         * commits of all of them (the runner subtracts what the readings add). */
        wb_snapshot ignored;
        for (int i = opened - 1; i > 0; i--)
            ctx.backend->snapshot(conns[i], &ignored, NULL);
        if (ctx.backend->snapshot(conns[0], &report->end, NULL) == 0)
            report->end_ok = 1;
        /* The server processes' peak memory, while they still exist. */
        report->server_peak_rss_kb = -1;
        for (int i = 0; i < opened && ctx.backend->server_peak_rss_kb; i++) {
            int64_t kb = ctx.backend->server_peak_rss_kb(conns[i]);
            if (kb > report->server_peak_rss_kb)
                report->server_peak_rss_kb = kb;
        }
    }
    for (int i = 0; i < opened; i++)
        ctx.backend->disconnect(conns[i]);
    free(conns);
    if (rc != 0)
        snprintf(report->error, sizeof report->error, "%s", error.msg[0] ? error.msg : "failed without a message");
    report->rc = rc;
    report->storage_errno = rc != 0 ? wb_storage_fault() : 0;
    report->reported = 1;
    /* exit(), not _exit(): leak checkers run at exit; stdio was flushed before fork. */
    exit(rc == 0 || rc == WB_SKIP ? 0 : 3);
}

/* The percentiles of the batches' latencies into out (NAN when none was recorded). */
static void summarise_batches(const wb_histogram *h, wb_child_outcome *out)
{
    out->batches = wb_histogram_count(h);
    double *ms[] = {&out->batch_p50_ms, &out->batch_p95_ms, &out->batch_p99_ms, &out->batch_max_ms};
    static const double fractions[] = {0.50, 0.95, 0.99, 1.0};
    for (int i = 0; i < 4; i++)
        *ms[i] = out->batches > 0 ? (double)wb_histogram_percentile_ns(h, fractions[i]) / 1e6 : NAN;
}

static void describe_death(int wstatus, int reported, char *out, size_t n)
{
    if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        snprintf(out, n, "crashed: killed by signal %d (%s)", sig, strsignal(sig));
    } else if (WIFEXITED(wstatus) && !reported) {
        snprintf(out, n, "crashed: exited with status %d before reporting", WEXITSTATUS(wstatus));
    } else {
        snprintf(out, n, "crashed: ended abnormally (wait status %d)", wstatus);
    }
}

int wb_child_run(const wb_ctx *ctx, wb_strategy_fn fn, double timeout_s, wb_progress_fn progress,
                 void *progress_arg, wb_child_outcome *out, wb_error *e)
{
    memset(out, 0, sizeof *out);
    out->commits = -1;
    child_report *report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (report == MAP_FAILED)
        return wb_fail(e, "cannot map shared memory for the child: %s", strerror(errno));
    memset(report, 0, sizeof *report);
    report->server_peak_rss_kb = -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        munmap(report, sizeof *report);
        return wb_fail(e, "cannot create a pipe for the child: %s", strerror(errno));
    }
    wb_echo_flush();
    fflush(NULL); /* the child must not write the parent's buffered output twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        munmap(report, sizeof *report);
        return wb_fail(e, "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(ctx, fn, report, parent, fds[1]);
    }
    close(fds[1]);
    setpgid(pid, pid); /* also set here: whichever runs first wins the race */

    double start = wb_clock_s();
    int timed_out = 0;
    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        int n = poll(&p, 1, 100);
        if (n > 0)
            break; /* EOF: the child is gone */
        double elapsed = wb_clock_s() - start;
        if (wb_interrupted()) {
            out->interrupted = 1;
            kill(-pid, SIGKILL);
            break;
        }
        if (elapsed > timeout_s) {
            timed_out = 1;
            kill(-pid, SIGKILL);
            break;
        }
        if (progress)
            progress(progress_arg, atomic_load(&report->counters.rows_done), elapsed);
    }
    close(fds[0]);

    int wstatus = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR) {
    }
    out->cpu_user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    out->cpu_sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    out->peak_rss_kb = ru.ru_maxrss; /* Linux reports KiB */
    out->server_peak_rss_kb = report->server_peak_rss_kb;
    if (report->usage.valid) { /* an external program: its tree's figures, not writebench's child's */
        out->cpu_user_s = report->usage.cpu_user_s;
        out->cpu_sys_s = report->usage.cpu_sys_s;
        out->peak_rss_kb = report->usage.peak_rss_kb;
        out->server_peak_rss_kb = report->usage.server_peak_rss_kb;
    } else if (ctx->external) { /* killed before it could measure its program: unknown, not ours */
        out->cpu_user_s = out->cpu_sys_s = NAN;
        out->peak_rss_kb = -1;
        out->server_peak_rss_kb = -1;
    }
    out->rows_done = atomic_load(&report->counters.rows_done);
    out->commits = atomic_load(&report->counters.commits);
    out->lock_waits = atomic_load(&report->counters.lock_waits);
    out->lock_wait_s = (double)atomic_load(&report->counters.lock_wait_ns) / 1e9;
    out->transaction_retries = atomic_load(&report->counters.transaction_retries);
    out->connect_s = report->connect_s;
    out->duration_s = report->reported ? report->duration_s : NAN;
    out->process_s = report->reported && report->usage.valid ? report->usage.wall_s : NAN;
    int counted = report->reported && report->usage.valid && report->usage.timed_region_reported;
    out->cache_lookups = counted ? report->usage.cache_lookups : -1;
    out->stale_reads = counted ? report->usage.stale_reads : -1;
    out->end_ok = report->end_ok;
    out->storage_errno = report->reported ? report->storage_errno : 0;
    out->end = report->end;
    summarise_batches(&report->counters.batch_latency, out);

    if (out->interrupted) {
        out->status = WB_STATUS_FAILED;
        snprintf(out->error, sizeof out->error, "interrupted by the user");
    } else if (timed_out) {
        out->status = WB_STATUS_TIMEOUT;
        snprintf(out->error, sizeof out->error, "timeout: killed after %g s", timeout_s);
    } else if (WIFEXITED(wstatus) && report->reported && report->rc == WB_SKIP) {
        out->status = WB_STATUS_SKIPPED;
        snprintf(out->error, sizeof out->error, "skipped: %s", report->error);
    } else if (WIFEXITED(wstatus) && report->reported && report->usage.killed_by_signal) {
        out->status = WB_STATUS_CRASHED; /* an external program died of a signal */
        snprintf(out->error, sizeof out->error, "crashed: %s", report->error);
    } else if (WIFEXITED(wstatus) && report->reported) {
        out->status = report->rc == 0 ? WB_STATUS_OK : WB_STATUS_FAILED;
        snprintf(out->error, sizeof out->error, "%s", report->rc == 0 ? "" : report->error);
    } else {
        out->status = WB_STATUS_CRASHED;
        describe_death(wstatus, report->reported, out->error, sizeof out->error);
    }
    munmap(report, sizeof *report);
    return 0;
}
