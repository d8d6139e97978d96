/* A pass-through SQLite VFS that counts the bytes written to write-ahead-log
 * files, so wal_bytes is what a test really logged. The -wal file's size cannot
 * tell that: SQLite rewinds it after every checkpoint and deletes it when the
 * last connection closes. */
#ifndef WB_BACKENDS_SQLITE_VFS_H
#define WB_BACKENDS_SQLITE_VFS_H

#include <stdint.h>

/* Register the counting VFS (once per process) and return its name for
 * sqlite3_open_v2, or NULL when it could not be registered (then open normally). */
const char *wb_sqlite_vfs_name(void);
/* Bytes written to -wal files by this process so far. A forked child starts from
 * its parent's count, so differences across a fork stay meaningful. */
int64_t wb_sqlite_vfs_wal_bytes(void);

#endif
