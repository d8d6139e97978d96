/* Running a strategy's work over disjoint key ranges, one thread per connection. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/strategy.h"

typedef struct thread_job {
    wb_ctx *ctx;
    wb_thread_fn fn;
    void *arg;
    int thread;
    int64_t first_key, last_key;
    int rc;
    wb_error error;
} thread_job;

static void *thread_main(void *p)
{
    thread_job *job = p;
    job->rc = job->fn(job->ctx, job->thread, job->ctx->conns[job->thread], job->first_key,
                      job->last_key, job->arg, &job->error);
    return NULL;
}

const char *wb_phase_name(wb_phase p)
{
    return p == WB_PHASE_UPDATE ? "update" : "insert";
}

void wb_ctx_rows_done(wb_ctx *ctx, int64_t n)
{
    if (ctx->counters)
        atomic_fetch_add_explicit(&ctx->counters->rows_done, n, memory_order_relaxed);
}

int wb_run_threads(wb_ctx *ctx, wb_thread_fn fn, void *arg)
{
    int n = ctx->threads > 0 ? ctx->threads : 1;
    if (n == 1)
        return fn(ctx, 0, ctx->conns[0], 1, ctx->rows, arg, ctx->error);

    thread_job *jobs = wb_xcalloc((size_t)n, sizeof *jobs);
    pthread_t *tids = wb_xcalloc((size_t)n, sizeof *tids);
    int64_t per = ctx->rows / n, extra = ctx->rows % n, next = 1;
    int started = 0, rc = 0;
    for (int t = 0; t < n; t++) {
        int64_t count = per + (t < extra ? 1 : 0);
        jobs[t] = (thread_job){ctx, fn, arg, t, next, next + count - 1, 0, {{0}}};
        next += count;
        if (pthread_create(&tids[t], NULL, thread_main, &jobs[t]) != 0) {
            rc = wb_fail(ctx->error, "could not start thread %d of %d", t + 1, n);
            break;
        }
        started++;
    }
    for (int t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
        if (jobs[t].rc != 0 && rc == 0) {
            rc = -1;
            wb_fail(ctx->error, "thread %d: %s", t + 1, jobs[t].error.msg);
        }
    }
    free(jobs);
    free(tids);
    return rc;
}
