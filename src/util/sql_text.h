/* Pieces of SQL text shared by every layer that writes SQL. */
#ifndef WB_UTIL_SQL_TEXT_H
#define WB_UTIL_SQL_TEXT_H

#include "util/buf.h"

/* Append name as a double-quoted SQL identifier, inner quotes doubled; valid on
 * SQLite and PostgreSQL alike, so a name never needs to be trusted. */
void wb_sql_identifier(wb_buf *out, const char *name);

#endif
