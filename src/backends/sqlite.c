/* STUB: the SQLite backend (to be implemented). */
#include "backends/sqlite.h"

const char *const wb_sqlite_default_pragmas[] = {NULL};
const wb_backend wb_sqlite_backend = {0};

sqlite3 *wb_sqlite_db(wb_conn *c)
{
    (void)c;
    return NULL;
}
