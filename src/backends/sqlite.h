/* SQLite backend: the native handle for native strategies, and its defaults. */
#ifndef WB_BACKENDS_SQLITE_H
#define WB_BACKENDS_SQLITE_H

#include <sqlite3.h>

#include "backends/backend.h"

extern const wb_backend wb_sqlite_backend;

/* PRAGMAs applied to every connection unless --pragma overrides the same name. */
extern const char *const wb_sqlite_default_pragmas[];

/* Append the PRAGMAs every connection to t applies, ';'-separated
 * ("journal_mode=WAL;synchronous=NORMAL;foreign_keys=ON"). */
void wb_sqlite_pragmas_text(const wb_target *t, wb_buf *out);

/* The sqlite3 handle behind a connection of the SQLite backend. */
sqlite3 *wb_sqlite_db(wb_conn *c);

#endif
