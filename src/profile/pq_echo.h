/* The libpq calls of `writebench profile` (its reads, plans and caching study),
 * timed and echoed under --echo (backends/echo.h) like the runner's and the
 * strategies' statements. A statement is echoed under its SQL with $n placeholders
 * and its values after it; a PREPARE as "PREPARE AS <sql>" (its name is new every
 * time). When echo is off each call is the libpq call behind one test of a flag,
 * inlined here, so that the reads profile times cost exactly what they did. */
#ifndef WB_PROFILE_PQ_ECHO_H
#define WB_PROFILE_PQ_ECHO_H

#include <libpq-fe.h>

#include "backends/echo.h"

/* The same calls, timed and echoed: only when echo is on. */
PGresult *wb_prof_pq_prepare_echoed(PGconn *pg, const char *name, const char *sql, int nparams);
PGresult *wb_prof_pq_exec_prepared_echoed(PGconn *pg, const char *name, const char *sql, int nparams,
                                          const char *const *values);
PGresult *wb_prof_pq_exec_params_echoed(PGconn *pg, const char *sql, int nparams, const char *const *values);
PGresult *wb_prof_pq_exec_echoed(PGconn *pg, const char *sql);

/* PQprepare(pg, name, sql, nparams, NULL). */
static inline PGresult *wb_prof_pq_prepare(PGconn *pg, const char *name, const char *sql, int nparams)
{
    if (!wb_echo_active)
        return PQprepare(pg, name, sql, nparams, NULL);
    return wb_prof_pq_prepare_echoed(pg, name, sql, nparams);
}

/* PQexecPrepared of the statement prepared as name from sql (sql is what is echoed),
 * text parameters, text results. */
static inline PGresult *wb_prof_pq_exec_prepared(PGconn *pg, const char *name, const char *sql, int nparams,
                                                 const char *const *values)
{
    if (!wb_echo_active)
        return PQexecPrepared(pg, name, nparams, values, NULL, NULL, 0);
    return wb_prof_pq_exec_prepared_echoed(pg, name, sql, nparams, values);
}

/* PQexecParams: text parameters, text results. */
static inline PGresult *wb_prof_pq_exec_params(PGconn *pg, const char *sql, int nparams,
                                               const char *const *values)
{
    if (!wb_echo_active)
        return PQexecParams(pg, sql, nparams, NULL, values, NULL, NULL, 0);
    return wb_prof_pq_exec_params_echoed(pg, sql, nparams, values);
}

/* PQexec. */
static inline PGresult *wb_prof_pq_exec(PGconn *pg, const char *sql)
{
    if (!wb_echo_active)
        return PQexec(pg, sql);
    return wb_prof_pq_exec_echoed(pg, sql);
}

#endif
