/* Workloads: tables, their columns and the deterministic generator.
 *
 * Every value is a pure function of (table, key, version): strategies write
 * wb_row_make()'s values, and the verifier compares the database against
 * wb_column_sql(), the same value as an SQL expression of the key, so nothing
 * is ever kept in memory and verification moves no data. */
#ifndef WB_WORKLOADS_WORKLOAD_H
#define WB_WORKLOADS_WORKLOAD_H

#include <stdint.h>

#include "backends/backend.h"
#include "util/buf.h"

typedef enum wb_type {
    WB_TYPE_INT64,   /* bigint; text is its decimal form */
    WB_TYPE_TEXT,    /* text or varchar */
    WB_TYPE_DECIMAL  /* numeric(10,2); i64 holds hundredths, text is "123.45" */
} wb_type;

typedef struct wb_value {
    wb_type type;      /* the column's type, so a value binds as what it is */
    int is_null;
    int64_t i64;       /* INT64: the value; DECIMAL: hundredths (cents) */
    const char *text;  /* the value as text (NUL-terminated); NULL when is_null */
    size_t len;        /* bytes of text */
} wb_value;

#define WB_MAX_COLUMNS 8
#define WB_ROW_TEXT_BYTES 1024

/* One generated row; values point into text[], so a row is self-contained and
 * may be copied by value (queues) only with wb_row_copy(). */
typedef struct wb_row {
    int ncolumns;
    wb_value v[WB_MAX_COLUMNS];
    char text[WB_ROW_TEXT_BYTES];
} wb_row;

struct wb_column_gen; /* how a column's values are made: private to workloads/ */

typedef struct wb_column {
    const char *name;
    wb_type type;
    const char *sqlite_type; /* declared type on SQLite ("INTEGER", "TEXT", "NUMERIC(10,2)") */
    const char *pg_type;     /* declared type on PostgreSQL ("bigint", "varchar(30)") */
    int nullable;
    int unique;              /* part of a UNIQUE index (values stay unique, also across versions) */
    int updated;             /* changes between version 1 and version 2 */
    const struct wb_column_gen *gen;
} wb_column;

typedef struct wb_index {
    const char *name;   /* "products_name_key" */
    const char *column;
    int unique;
} wb_index;

typedef struct wb_table {
    const char *name;
    const wb_column *columns; /* columns[0] is the primary key "id" = row number */
    int ncolumns;
    const wb_index *indexes;  /* secondary indexes (dropped and rebuilt by load-then-index) */
    int nindexes;
    const char *check;        /* CHECK constraint expression or NULL ("price >= 0") */
    const char *fk_column;    /* foreign key column or NULL */
    const char *fk_table;     /* the table it references */
} wb_table;

typedef struct wb_workload {
    const char *name;
    const char *description;
    const wb_table *tables;   /* parents before children */
    int ntables;
} wb_workload;

/* The built-in workloads, NULL-terminated. */
extern const wb_workload *const wb_workloads[];

/* The workload of that name, or NULL. */
const wb_workload *wb_workload_find(const char *name);

/* Fill out with the values of row `key` (1-based) of table t in version 1 or 2. */
void wb_row_make(const wb_table *t, int64_t key, int version, wb_row *out);

/* Copy a row, re-pointing its text values into the copy. */
void wb_row_copy(wb_row *dst, const wb_row *src);

/* Append the SQL expression that computes column col of table t in `version`
 * from the integer SQL expression key_sql (a column name or a series value). */
void wb_column_sql(const wb_table *t, int col, int version, const char *key_sql,
                   const wb_dialect *d, wb_buf *out);

/* Index of the column named name in t, or -1. */
int wb_table_column_index(const wb_table *t, const char *name);

#endif
