/* One writebench at a time per database: run, profile, setup and drop take the
 * lock of their SQLite file or PostgreSQL schema through the backend (its lock
 * method) and hold it for their whole life; a second one is refused at once,
 * with one line naming the holder. Read-only commands take no lock. */
#ifndef WB_BACKENDS_LOCK_H
#define WB_BACKENDS_LOCK_H

#include "backends/backend.h"

typedef struct wb_db_lock wb_db_lock;

/* Take the lock of t's database for `command` ("run", "profile", "setup", "drop";
 * run_id NULL or "" when it has none), after the namespace is claimed. Returns 0 with
 * *out set (NULL when the backend has no lock), or -1 with e holding the one line to
 * print: who holds it, or why it could not be taken. */
int wb_db_lock_take(const wb_target *t, const char *command, const char *run_id, wb_db_lock **out, wb_error *e);

/* Release a lock taken by wb_db_lock_take (NULL is allowed). Only the process that
 * took it may call this: a forked child that did would free its parent's lock. */
void wb_db_lock_release(wb_db_lock *l);

#endif
