/* profile's libpq calls when --echo is on (see pq_echo.h): each timed with the
 * monotonic clock around the libpq call and recorded by the echo module. */
#include "profile/pq_echo.h"

#include "util/buf.h"
#include "util/clock.h"

PGresult *wb_prof_pq_prepare_echoed(PGconn *pg, const char *name, const char *sql, int nparams)
{
    int64_t start = wb_clock_ns();
    PGresult *res = PQprepare(pg, name, sql, nparams, NULL);
    int64_t ns = wb_clock_ns() - start;
    wb_buf key = WB_BUF_INIT; /* keyed without the name, as the strategies' PREPAREs */
    wb_buf_printf(&key, "PREPARE AS %s", sql);
    wb_echo_record(wb_buf_str(&key), NULL, ns);
    wb_buf_free(&key);
    return res;
}

PGresult *wb_prof_pq_exec_prepared_echoed(PGconn *pg, const char *name, const char *sql, int nparams,
                                          const char *const *values)
{
    int64_t start = wb_clock_ns();
    PGresult *res = PQexecPrepared(pg, name, nparams, values, NULL, NULL, 0);
    wb_echo_record_params(sql, nparams, values, wb_clock_ns() - start);
    return res;
}

PGresult *wb_prof_pq_exec_params_echoed(PGconn *pg, const char *sql, int nparams, const char *const *values)
{
    int64_t start = wb_clock_ns();
    PGresult *res = PQexecParams(pg, sql, nparams, NULL, values, NULL, NULL, 0);
    wb_echo_record_params(sql, nparams, values, wb_clock_ns() - start);
    return res;
}

PGresult *wb_prof_pq_exec_echoed(PGconn *pg, const char *sql)
{
    int64_t start = wb_clock_ns();
    PGresult *res = PQexec(pg, sql);
    wb_echo_record(sql, NULL, wb_clock_ns() - start);
    return res;
}
