/* STUB: --db parsing and the backend registry (to be implemented). */
#include "backends/sqlite.h"

const wb_backend *wb_backend_get(wb_backend_kind kind)
{
    return kind == WB_BACKEND_SQLITE ? &wb_sqlite_backend : NULL;
}

int wb_target_parse(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    (void)url, (void)for_run, (void)t;
    return wb_fail(e, "not implemented yet");
}

int wb_target_add_pragma(wb_target *t, const char *assignment, wb_error *e)
{
    (void)t, (void)assignment;
    return wb_fail(e, "not implemented yet");
}
