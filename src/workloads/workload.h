/* Workloads: tables, their columns and the deterministic generator.
 *
 * A workload is read from a declarative file (docs/WORKLOADS.md, "The format");
 * users and products are two such files shipped in workloads/. Every value is a
 * pure function of (table, key, version): strategies write wb_row_make()'s
 * values, and the verifier compares the database against wb_column_sql(), the
 * same value as an SQL expression of the key, so nothing is ever kept in memory
 * and verification moves no data. */
#ifndef WB_WORKLOADS_WORKLOAD_H
#define WB_WORKLOADS_WORKLOAD_H

#include <stdint.h>

#include "backends/backend.h"
#include "util/buf.h"
#include "util/error.h"

/* What a value is, whatever its column's SQL type declares: how it is held, bound
 * and encoded. Every non-NULL value has its canonical text (docs/WORKLOADS.md,
 * "Types"), which every backend reads as that value, except bytes, whose text
 * is the bytes themselves. */
typedef enum wb_type {
    WB_TYPE_INT64,   /* smallint, integer, bigint: i64; text its decimal form */
    WB_TYPE_TEXT,    /* text, varchar(n), char(n) (blank-padded to n characters) */
    WB_TYPE_DECIMAL, /* numeric(p,s): i64 in units of 10^-scale; text exact ("123.45") */
    WB_TYPE_FLOAT,   /* real, double precision: f64 = i64 / 2^scale, exact; text exact decimal */
    WB_TYPE_BOOL,    /* boolean: i64 0 or 1; text "false" or "true" */
    WB_TYPE_TIME,    /* date: i64 days since 1970-01-01; timestamp(tz): i64 seconds since
                      * 1970-01-01 00:00:00 UTC; text "2024-05-01", "2024-05-01 12:00:00(+00)" */
    WB_TYPE_UUID,    /* uuid: text "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case */
    WB_TYPE_JSON,    /* json, jsonb: text, the canonical compact document */
    WB_TYPE_BYTES,   /* bytea: text is the raw bytes (any byte, NUL included), len of them */
    WB_TYPE_COUNT
} wb_type;

typedef struct wb_value {
    wb_type type;      /* the column's type, so a value binds as what it is */
    wb_sql_type sql_type; /* the column's SQL type (wb_value_sent_len) */
    int is_null;
    int64_t i64;       /* the value, or its units (see wb_type) */
    double f64;        /* FLOAT: the value */
    int scale;         /* DECIMAL: digits after the point; FLOAT: i64's fraction bits */
    const char *text;  /* the value as text (NUL-terminated); NULL when is_null */
    size_t len;        /* bytes of text */
} wb_value;

/* Bytes of v's text that travel to the server (bound, written by a load, sent as
 * a literal): all of it, but a timestamptz's without the canonical "+00" where the
 * dialect's type has no zone (wb_dialect.timestamptz_sent_without_offset). */
static inline size_t wb_value_sent_len(const wb_value *v, const wb_dialect *d)
{
    return v->sql_type == WB_SQL_TIMESTAMPTZ && d->timestamptz_sent_without_offset && v->len >= WB_UTC_OFFSET_LEN
               ? v->len - WB_UTC_OFFSET_LEN
               : v->len;
}

/* One generated row: its values point into its own text buffer. A row starts as
 * WB_ROW_INIT, is filled by wb_row_make as often as needed (its memory grows to
 * the largest row of the tables it is made for, once, and is reused after), may be
 * copied only with wb_row_copy(), and ends with wb_row_free(). */
typedef struct wb_row {
    int ncolumns;
    wb_value *v;         /* ncolumns values */
    char *text;          /* the values' bytes */
    size_t text_len;     /* bytes of text in use */
    int columns_cap;     /* room in v */
    size_t text_cap;     /* room in text */
} wb_row;

#define WB_ROW_INIT {0, NULL, NULL, 0, 0, 0}

/* Release what a row holds; it is WB_ROW_INIT again (NULL is allowed). */
void wb_row_free(wb_row *r);

/* The largest key any command writes (run's --rows maximum, 10^10): the checks made
 * when a workload file is loaded (varchar lengths, 64-bit arithmetic, row sizes)
 * hold for every key up to it. */
#define WB_KEY_MAX 10000000000LL

/* Limits of what a workload file may declare. */
#define WB_MAX_TABLES 16
#define WB_MAX_TABLE_COLUMNS 1600 /* per table, the key included: PostgreSQL's limit */
#define WB_MAX_INDEX_COLUMNS 32   /* per index: PostgreSQL's limit */
#define WB_MAX_INDEXES 16   /* per table */
#define WB_MAX_CHECKS 8     /* per table */
#define WB_NAME_MAX 40      /* bytes of a workload's or a table's name: writebench's own tables
                             * add a prefix (writebench_before_<table>) within PostgreSQL's 63 */

struct wb_column_gen; /* how a column's values are made: private to workloads/ */

typedef struct wb_column {
    const char *name;
    wb_type type;            /* what its values are (how they bind) */
    wb_sql_type sql_type;    /* its declared SQL type; each backend's dialect declares it */
    int64_t type_length;     /* varchar(n): n; numeric(p,s): p; 0 for a type without parameters */
    int64_t type_scale;      /* numeric(p,s): s; 0 otherwise */
    const char *type_name;   /* the type as the file wrote it, in PostgreSQL's spelling: "varchar(30)" */
    int64_t max_chars;       /* the longest value any key up to WB_KEY_MAX gets, in characters */
    int nullable;
    int unique;              /* part of a UNIQUE index (values stay unique, also across versions) */
    int updated;             /* changes between version 1 and version 2 */
    const struct wb_column_gen *gen;
} wb_column;

typedef struct wb_index {
    const char *name;                /* "products_name_key" */
    const char *const *columns;      /* in index order */
    int ncolumns;
    int unique;
    const char *where;               /* a partial index's predicate, SQL as the file writes it; NULL: full */
} wb_index;

/* A foreign key: the column's values are keys of an earlier table (its generator
 * says which parent row each child row references). */
typedef struct wb_foreign_key {
    const char *column;       /* the referencing column of this table */
    const char *table;        /* the parent table, referenced by its key column */
} wb_foreign_key;

typedef struct wb_table {
    const char *name;
    const wb_column *columns; /* columns[0] is the integer key (any name); row r (1..N) has key
                               * wb_table_key(t, r) */
    int ncolumns;
    int keys_from_zero;       /* 1: the keys are 0..N-1 (the file's first_key: 0); 0: 1..N */
    const wb_index *indexes;  /* secondary indexes (dropped and rebuilt by load-then-index) */
    int nindexes;
    const char *const *checks; /* CHECK constraint expressions ("price >= 0") */
    int nchecks;
    const wb_foreign_key *foreign_keys;
    int nforeign_keys;
    size_t row_text_bytes;    /* the most bytes a row's values can take (wb_row_make reserves them) */
} wb_table;

typedef struct wb_workload {
    const char *name;
    const char *description;
    const wb_table *tables;   /* parents before children */
    int ntables;
    const char *path;         /* the workload file it was read from */
    char sha256[65];          /* of that file's bytes, lower-case hex: the workload's identity */
} wb_workload;

/* Read and check the workload file at path (docs/WORKLOADS.md, "The format"). A
 * mistake is one line in e: "FILE:LINE:COLUMN: what is wrong". */
int wb_workload_load(const char *path, wb_workload **out, wb_error *e);

/* Free a workload from wb_workload_load (NULL is allowed). */
void wb_workload_free(wb_workload *w);

/* The directory that holds the shipped workload files (users.yaml, products.yaml):
 * <the binary's directory>/../share/writebench/workloads when installed, else the
 * workloads/ of the source tree the binary was built from (a build directory). */
const char *wb_workload_dir(void);

/* The shipped workloads, read on first use, in name order, NULL-terminated; an
 * empty list when they cannot be read (e, when not NULL, says why). */
const wb_workload *const *wb_workloads_shipped(wb_error *e);

/* The shipped workloads as a list, so that `wb_workloads[i]` reads like an array. */
#define wb_workloads (wb_workloads_shipped(NULL))

/* The shipped workload of that name, or NULL. */
const wb_workload *wb_workload_find(const char *name);

/* A workload by what --workload names: a shipped workload's name, or the path of a
 * workload file (a name with a '/' or ending in .yaml or .yml). The workload lives
 * until the process ends. */
int wb_workload_open(const char *name_or_path, const wb_workload **out, wb_error *e);

/* Whether w is a shipped workload: the file of its name in wb_workload_dir() has
 * the same sha256. */
int wb_workload_is_shipped(const wb_workload *w);

/* Whether some foreign key of t may reference a parent row outside the child's own
 * key range when the keys are split into contiguous ranges (one per thread): every
 * parent row mapping but `same`, whose parent of row k is row k. A thread writing t
 * then first waits until every thread has committed the tables before it
 * (strategies/strategy.h, wb_threads_sync_before). */
int wb_table_parents_across(const wb_table *t);

/* The key of row number `row` (1..N) of t: row itself, or row - 1 when its keys start at 0.
 * Every generator is a function of the row number, so both numberings write the same
 * values; only the key column and the foreign keys to t differ. */
static inline int64_t wb_table_key(const wb_table *t, int64_t row)
{
    return row - t->keys_from_zero;
}

/* The row number (1..N) of key `key` of t: wb_table_key's inverse. */
static inline int64_t wb_table_row(const wb_table *t, int64_t key)
{
    return key + t->keys_from_zero;
}

/* Append the SQL expression of the row number from key_sql, an SQL expression of t's
 * key (a column name): key_sql itself, or (key_sql + 1) when t's keys start at 0. */
void wb_table_row_sql(const wb_table *t, const char *key_sql, wb_buf *out);

/* Append how column c's values are made, as a formula of the key k and the version
 * v, for people (workload show): "'user' || k || '', version 2: ... || '_v2';
 * hostile rows, offset 0". */
void wb_column_describe(const wb_column *c, wb_buf *out);

/* Test-only: make column `column` of table `table` give C values that its SQL
 * definition disagrees with (a text one character longer, a number one more);
 * -1 when there is no such column. */
int wb_workload_test_perturb(wb_workload *w, const char *table, const char *column);

/* Fill out (a WB_ROW_INIT row, or one made before) with the values of row number
 * `key` (1..N; its key column holds wb_table_key(t, key)) of table t in version 1 or 2. Allocates only when out has never held
 * a row this big. */
void wb_row_make(const wb_table *t, int64_t key, int version, wb_row *out);

/* Copy src into dst (a WB_ROW_INIT row or one made before), re-pointing the text
 * values into dst's own buffer. */
void wb_row_copy(wb_row *dst, const wb_row *src);

/* Append the SQL expression that computes column col of table t in `version`
 * from the integer SQL expression key_sql of the row number 1..N (a series value, or
 * wb_table_row_sql of the key column). */
void wb_column_sql(const wb_table *t, int col, int version, const char *key_sql,
                   const wb_dialect *d, wb_buf *out);

/* Append the opening (open != 0) or the closing part of what is put around both
 * sides of a NULL-safe comparison of two values of column c on dialect d
 * (wb_dialect_type.compare: PostgreSQL compares json as jsonb): nothing for most
 * types. */
void wb_column_compare_part(const wb_column *c, const wb_dialect *d, int open, wb_buf *out);

/* Index of the column named name in t, or -1. */
int wb_table_column_index(const wb_table *t, const char *name);

#endif
