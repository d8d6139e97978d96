/* Running a strategy's work over disjoint key ranges, one thread per connection,
 * and the point where those threads meet between tables (wb_threads_wait).
 *
 * The meeting is a counter and a condition variable rather than a
 * pthread_barrier_t, because the number of threads taking part changes: a thread
 * that returns (its range done, or empty, or an error) stops being waited for, and
 * one that returns an error releases every thread waiting, and every later
 * arrival, with "stopped: thread N failed". Nobody waits for a thread that will
 * never come. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/strategy.h"
#include "util/clock.h"

typedef struct wb_thread_sync wb_thread_sync;

struct wb_thread_sync {
    pthread_mutex_t lock;
    pthread_cond_t changed;  /* a meeting completed, or a thread failed */
    int running;             /* threads that have not returned */
    int arrived;             /* threads waiting at the current meeting */
    unsigned long meetings;  /* meetings completed so far */
    int failed_thread;       /* 1-based: the first thread that returned an error; 0 none */
};

typedef struct thread_job {
    wb_ctx *ctx;
    wb_thread_fn fn;
    void *arg;
    int thread;
    int64_t first_key, last_key;
    int rc;
    wb_error error;
} thread_job;

/* Complete the current meeting if everyone still running is at it (caller holds the lock). */
static void complete_if_all_arrived(wb_thread_sync *s)
{
    if (s->arrived > 0 && s->arrived >= s->running) {
        s->meetings++;
        s->arrived = 0;
        pthread_cond_broadcast(&s->changed);
    }
}

/* A thread has returned with rc: stop waiting for it; on an error, release everyone. */
static void sync_leave(wb_thread_sync *s, int thread, int rc)
{
    pthread_mutex_lock(&s->lock);
    s->running--;
    if (rc != 0 && !s->failed_thread) {
        s->failed_thread = thread + 1;
        pthread_cond_broadcast(&s->changed);
    } else if (!s->failed_thread) {
        complete_if_all_arrived(s);
    }
    pthread_mutex_unlock(&s->lock);
}

int wb_threads_wait(wb_ctx *ctx, wb_error *e)
{
    wb_thread_sync *s = ctx->sync;
    if (!s)
        return 0;
    pthread_mutex_lock(&s->lock);
    unsigned long meeting = s->meetings;
    if (!s->failed_thread) {
        s->arrived++;
        complete_if_all_arrived(s);
        while (s->meetings == meeting && !s->failed_thread)
            pthread_cond_wait(&s->changed, &s->lock);
        if (s->meetings == meeting)
            s->arrived--; /* released by a failure, not met */
    }
    int met = s->meetings != meeting, failed = s->failed_thread;
    pthread_mutex_unlock(&s->lock);
    /* A meeting that completed before a failure counts: the failure stops the next one. */
    return met ? 0 : wb_fail(e, "stopped: thread %d failed", failed);
}

int wb_threads_sync_before(const wb_ctx *ctx, int t)
{
    /* An update pass finds every parent row in place already (version 1, committed):
     * its foreign keys never wait for another thread. */
    return ctx->sync && ctx->threads > 1 && ctx->phase == WB_PHASE_INSERT &&
           wb_table_parents_across(&ctx->workload->tables[t]);
}

static void *thread_main(void *p)
{
    thread_job *job = p;
    job->rc = job->fn(job->ctx, job->thread, job->ctx->conns[job->thread], job->first_key,
                      job->last_key, job->arg, &job->error);
    sync_leave(job->ctx->sync, job->thread, job->rc);
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

void wb_ctx_transaction_retried(wb_ctx *ctx)
{
    if (ctx->counters)
        atomic_fetch_add_explicit(&ctx->counters->transaction_retries, 1, memory_order_relaxed);
}

void wb_ctx_batch_done(wb_ctx *ctx, int64_t started_ns)
{
    if (ctx->counters)
        wb_histogram_record(&ctx->counters->batch_latency, wb_clock_ns() - started_ns);
}

int wb_run_threads(wb_ctx *ctx, wb_thread_fn fn, void *arg)
{
    int n = ctx->threads > 0 ? ctx->threads : 1;
    if (n == 1)
        return fn(ctx, 0, ctx->conns[0], 1, ctx->rows, arg, ctx->error);

    wb_thread_sync sync;
    memset(&sync, 0, sizeof sync);
    pthread_mutex_init(&sync.lock, NULL);
    pthread_cond_init(&sync.changed, NULL);
    sync.running = n;
    ctx->sync = &sync;
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
            /* the threads that will never start must not be waited for: as if each failed */
            for (int never = t; never < n; never++)
                sync_leave(&sync, never, -1);
            break;
        }
        started++;
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    /* The first failure in time is the cause; the others stopped because of it. */
    int first = rc == 0 && sync.failed_thread > 0 && sync.failed_thread <= started ? sync.failed_thread - 1 : -1;
    for (int t = 0; rc == 0 && first < 0 && t < started; t++)
        if (jobs[t].rc != 0)
            first = t;
    if (rc == 0 && first >= 0) {
        rc = -1;
        wb_fail(ctx->error, "thread %d: %s", first + 1, jobs[first].error.msg);
    }
    ctx->sync = NULL;
    pthread_cond_destroy(&sync.changed);
    pthread_mutex_destroy(&sync.lock);
    free(jobs);
    free(tids);
    return rc;
}
