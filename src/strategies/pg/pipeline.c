/* The PostgreSQL pipeline strategy: libpq pipeline mode (libpq 14+). The INSERT is
 * prepared once per table (the backend's statement layer, whose server-side name
 * it sends); every row is sent with PQsendQueryPrepared without
 * waiting for its result, and every --batch rows the pipeline is synced and the
 * results of the batch before are read, so the server always has a batch to work
 * on while the client reads and sends: no round trip per row. One transaction per
 * thread (BEGIN and COMMIT travel in the pipeline too; split, with every result read,
 * before a table that must wait for the other threads' parents, strategies/strategy.h);
 * a sync is flow control, not a commit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "strategies/generic/generic.h"
#include "strategies/pg/common.h"
#include "strategies/pg/pg_strategies.h"

#include "backends/echo.h"
#include "backends/postgres.h"
#include "util/clock.h"

/* WB_SKIP with the reason unless libpq has pipeline mode; else 0. */
static int require_pipeline(wb_ctx *ctx)
{
    const wb_pg_caps *caps = wb_pg_caps_of(ctx->conns[0]);
#ifdef LIBPQ_HAS_PIPELINING
    if (caps && caps->has_pipeline && caps->libpq_version >= 140000)
        return 0;
#endif
    char version[32] = "unknown";
    if (caps)
        wb_pgs_format_version(caps->libpq_version, version, sizeof version);
    wb_fail(ctx->error, "pipeline mode needs libpq 14 or later; this libpq is %s", version);
    return WB_SKIP;
}

#ifdef LIBPQ_HAS_PIPELINING

/* The statements between two syncs, until their results are read. */
typedef struct segment {
    int64_t rows;      /* inserts in it */
    int64_t first_row; /* the position of its first insert among the thread's rows, table after table */
    int begins;        /* 1 when the BEGIN comes first in it */
    int64_t started_ns; /* when its first statement was sent: its latency, and --echo's */
} segment;

/* One thread's pipeline: at most two unread segments, the one the server works on
 * and the one just sent. */
typedef struct pipe {
    wb_ctx *ctx;
    PGconn *pg;
    int64_t first_key, keys; /* the thread's key range: first_key .. first_key + keys - 1 */
    segment unread[2];
    int nunread;
    int failed;              /* the first error is in e; the rest is only drained */
    wb_error *e;
} pipe;

/* Record the first error, naming the statement a result belongs to: the BEGIN, the
 * insert of a table's key (from its position in the segment), or the COMMIT. */
static void fail_statement(pipe *p, const segment *seg, int64_t index, const PGresult *res)
{
    const wb_workload *wl = p->ctx->workload;
    int64_t insert = index - seg->begins;
    if (insert < 0) {
        wb_pgs_fail(p->e, p->pg, res, "begin");
    } else if (insert >= seg->rows) {
        wb_pgs_fail(p->e, p->pg, res, "commit");
    } else {
        int64_t position = seg->first_row + insert;
        int table = (int)(position / p->keys);
        wb_pgs_fail(p->e, p->pg, res, "insert");
        wb_fail_prefix(p->e, "%s key %lld: ", wl->tables[table < wl->ntables ? table : 0].name,
                       (long long)wb_table_key(&wl->tables[table < wl->ntables ? table : 0],
                                               p->first_key + position % p->keys));
    }
    p->failed = 1;
}

/* Read the results of the oldest unread segment up to its sync and report its rows
 * done. Returns -1 when the connection can give no more results. */
static int read_segment(pipe *p)
{
    segment seg = p->unread[0];
    int64_t index = 0;
    int nulls = 0;
    for (;;) {
        PGresult *res = PQgetResult(p->pg);
        if (!res) {
            /* one NULL ends each statement's results; two in a row: nothing is pending */
            if (++nulls == 2 || PQstatus(p->pg) == CONNECTION_BAD) {
                if (!p->failed)
                    wb_pgs_fail(p->e, p->pg, NULL, "pipeline");
                p->failed = 1;
                return -1;
            }
            continue;
        }
        nulls = 0;
        ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            if (!p->failed) /* a batch: the statements up to a sync */
                wb_ctx_batch_done(p->ctx, seg.started_ns);
            if (wb_echo_active) { /* --echo: one entry per segment, first send to its sync's result */
                char shown[160];
                snprintf(shown, sizeof shown, "(pipeline) %lld statements up to a sync (%lld inserts)",
                         (long long)index, (long long)seg.rows);
                wb_echo_record("(pipeline) statements up to a sync", shown, wb_clock_ns() - seg.started_ns);
            }
            break;
        }
        if (status != PGRES_COMMAND_OK && !p->failed)
            fail_statement(p, &seg, index, res);
        index++;
        PQclear(res);
    }
    p->unread[0] = p->unread[1];
    p->nunread--;
    if (!p->failed)
        wb_ctx_rows_done(p->ctx, seg.rows);
    return 0;
}

/* Send a statement without parameters into the pipeline (BEGIN, COMMIT). */
static int send_command(PGconn *pg, const char *sql, wb_error *e)
{
    if (PQsendQueryParams(pg, sql, 0, NULL, NULL, NULL, NULL, 0) != 1)
        return wb_pgs_fail(e, pg, NULL, sql);
    return 0;
}

/* End the segment being sent with a sync. Returns -1 when the sync could not be sent
 * or the connection is lost (p->failed set). */
static int end_segment(pipe *p, segment seg)
{
    if (p->nunread == 2) /* not reached: a segment is read before a third is ended */
        return -1;
    if (PQpipelineSync(p->pg) != 1) {
        if (!p->failed)
            wb_pgs_fail(p->e, p->pg, NULL, "pipeline sync");
        p->failed = 1;
        return -1;
    }
    p->unread[p->nunread++] = seg;
    return 0;
}

/* Send every row of the thread's range (all tables, parents first) between BEGIN and
 * COMMIT, syncing every --batch rows and reading the segment before each time, then
 * read every result; the connection is in pipeline mode. Returns 0, or -1 with the
 * first error in e (*connection_lost set when no more results could be read). */
static int send_and_read(wb_ctx *ctx, PGconn *pg, wb_stmt *const *stmts, int64_t first_key,
                         int64_t last_key, int *connection_lost, wb_error *e)
{
    const wb_workload *wl = ctx->workload;
    int64_t sync_every = ctx->batch > 0 ? ctx->batch : INT64_MAX;
    pipe p = {ctx, pg, first_key, last_key - first_key + 1, {{0, 0, 0, 0}, {0, 0, 0, 0}}, 0, 0, e};
    segment seg = {0, 0, 1, wb_clock_ns()};
    int64_t position = 0;
    wb_row row = WB_ROW_INIT;
    wb_pgs_row_params params = WB_PGS_ROW_PARAMS_INIT;
    if (send_command(pg, "BEGIN", e) != 0)
        p.failed = 1;
    int open_segment = 1; /* seg has statements to be ended by a sync */
    for (int t = 0; t < wl->ntables && !p.failed; t++) {
        const wb_table *table = &wl->tables[t];
        if (wb_threads_sync_before(ctx, t)) {
            /* Parents committed everywhere first (strategies/strategy.h): COMMIT ends the
             * segment, every result is read, the threads meet, a BEGIN opens the next. */
            if (send_command(pg, "COMMIT", e) != 0 || end_segment(&p, seg) != 0) {
                p.failed = 1;
                open_segment = 0;
                break;
            }
            open_segment = 0;
            while (p.nunread > 0 && !*connection_lost)
                if (read_segment(&p) != 0)
                    *connection_lost = 1;
            if (p.failed || *connection_lost || wb_threads_wait(ctx, e) != 0) {
                p.failed = 1;
                break;
            }
            seg = (segment){0, position, 1, wb_clock_ns()};
            open_segment = 1;
            if (send_command(pg, "BEGIN", e) != 0) {
                p.failed = 1;
                break;
            }
        }
        for (int64_t key = first_key; key <= last_key && !p.failed; key++, position++) {
            wb_row_make(table, key, ctx->version, &row);
            wb_pgs_row_params_of(&row, &params);
            if (PQsendQueryPrepared(pg, wb_pg_stmt_name(stmts[t]), table->ncolumns, params.values, NULL, NULL, 0) != 1) {
                wb_pgs_fail(e, pg, NULL, "send insert");
                wb_fail_prefix(e, "%s key %lld: ", table->name, (long long)wb_table_key(table, key));
                p.failed = 1;
                break;
            }
            if (++seg.rows == sync_every) {
                if (end_segment(&p, seg) != 0)
                    break;
                seg = (segment){0, position + 1, 0, wb_clock_ns()};
                if (p.nunread == 2 && read_segment(&p) != 0) {
                    *connection_lost = 1;
                    break;
                }
            }
        }
    }
    if (!p.failed && send_command(pg, "COMMIT", e) != 0)
        p.failed = 1;
    /* The last segment (with the COMMIT, or after an error so that what was sent can
     * be drained), then every unread one. */
    if (!*connection_lost && open_segment)
        end_segment(&p, seg);
    while (p.nunread > 0 && !*connection_lost)
        if (read_segment(&p) != 0)
            *connection_lost = 1;
    wb_row_free(&row);
    wb_pgs_row_params_free(&params);
    return p.failed ? -1 : 0;
}

static int pipeline_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key,
                           void *arg, wb_error *e)
{
    (void)thread;
    (void)arg;
    if (first_key > last_key)
        return 0;
    const wb_workload *wl = ctx->workload;
    const wb_backend *b = ctx->backend;
    PGconn *pg = wb_pg_conn(conn);
    wb_stmt **stmts = wb_xcalloc((size_t)wl->ntables, sizeof *stmts);
    wb_buf sql = WB_BUF_INIT;
    int rc = 0, connection_lost = 0;

    /* Prepared before entering pipeline mode, where PQprepare is not allowed. */
    for (int t = 0; t < wl->ntables && rc == 0; t++) {
        wb_buf_reset(&sql);
        wb_gen_insert_sql(ctx, conn, &wl->tables[t], NULL, 1, 0, &sql);
        if ((rc = b->stmt_prepare(conn, wb_buf_str(&sql), wl->tables[t].ncolumns, 0, NULL, &stmts[t], e)) != 0)
            wb_fail_prefix(e, "%s: ", wl->tables[t].name);
    }
    if (rc == 0 && PQenterPipelineMode(pg) != 1)
        rc = wb_pgs_fail(e, pg, NULL, "enter pipeline mode");
    if (rc == 0) {
        rc = send_and_read(ctx, pg, stmts, first_key, last_key, &connection_lost, e);
        if (!connection_lost && PQexitPipelineMode(pg) != 1 && rc == 0)
            rc = wb_pgs_fail(e, pg, NULL, "exit pipeline mode");
    }
    if (rc != 0)
        wb_pgs_rollback(pg);
    for (int t = 0; t < wl->ntables; t++)
        b->stmt_finalize(stmts[t]);
    free(stmts);
    wb_buf_free(&sql);
    return rc;
}

int wb_pg_pipeline(wb_ctx *ctx)
{
    int rc = require_pipeline(ctx);
    return rc != 0 ? rc : wb_run_threads(ctx, pipeline_thread, NULL);
}

#else /* libpq before 14: no pipeline mode to compile against */

int wb_pg_pipeline(wb_ctx *ctx)
{
    return require_pipeline(ctx);
}

#endif
