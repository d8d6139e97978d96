/* The reads of `writebench profile`, derived from the workload itself (its key,
 * indexes and foreign keys, never its name): for every table a point lookup by
 * key; a lookup by each unique index; the rows sharing each leading prefix of
 * each index; and for each foreign key a join from a child row to its parent
 * and from a parent row to its children. Each has its SQL for any backend's
 * dialect, deterministic parameters per repetition taken from the generator
 * (so a lookup always asks for a value that exists), a check of what it
 * returned against the generator (the expected rows are known: values are pure
 * functions of (table, key, version)), execution as a prepared statement with
 * per-execution latency, and its plan (the dialect's EXPLAIN). */
#ifndef WB_PROFILE_READS_H
#define WB_PROFILE_READS_H

#include <stdint.h>

#include "analysis/stats.h"
#include "backends/backend.h"
#include "util/buf.h"
#include "util/error.h"
#include "workloads/workload.h"

/* An index has at most WB_MAX_INDEX_COLUMNS columns: a read compares at most that many. */
#define WB_READ_MAX_PARAMS WB_MAX_INDEX_COLUMNS
/* A read's parameter is one value of an indexed column; a longer one is cut, and the
 * check of what the read returned then says that it matched nothing. */
#define WB_READ_PARAM_BYTES 4096

/* One bound parameter: SQLite binds it as its type, PostgreSQL sends the text. */
typedef struct wb_read_param {
    wb_type type;
    wb_sql_type sql_type;         /* the compared column's (a timestamptz travels as the dialect says) */
    int is_null;                  /* bound as NULL (a column NULL in every row: "= NULL" matches nothing) */
    int64_t i64;                  /* INT64: the value; DECIMAL: hundredths */
    char text[WB_READ_PARAM_BYTES]; /* the value as text */
} wb_read_param;

typedef enum wb_read_kind {
    WB_READ_BY_KEY = 0,   /* one row by its key */
    WB_READ_BY_UNIQUE,    /* one row by the columns of a unique index */
    WB_READ_BY_PREFIX,    /* every row whose leading index columns equal one row's */
    WB_READ_JOIN_PARENT,  /* one child row joined with the parent row it references */
    WB_READ_JOIN_CHILDREN /* one parent row joined with every child row that references it */
} wb_read_kind;

typedef struct wb_read_def {
    wb_read_kind kind;
    char name[640];           /* stable key in profile.csv: "by-prefix:customers(region+code)" */
    char description[320];    /* one line, for people */
    const wb_table *table;    /* the table looked up; a join's child table */
    const wb_table *parent;   /* joins: the table the foreign key references */
    int fk_column;            /* joins: the referencing column's index in table */
    const char *index_name;   /* by-unique and by-prefix: the index it comes from */
    int nparams;              /* parameters (1 for a key or a join) */
    int columns[WB_READ_MAX_PARAMS]; /* by-unique and by-prefix: the compared columns' indexes in table */
    char columns_text[576];   /* profile.csv's read_columns: "region+code", the key's or the foreign key's column */
} wb_read_def;

/* The reads of w, in order: table by table (parents first), the key lookup, the
 * unique indexes, the index prefixes not already read (a column set is read once),
 * then each foreign key's two joins. *out is allocated (free() it); returns the count. */
int wb_reads_derive(const wb_workload *w, wb_read_def **out);

/* profile.csv's read_kind: "by-key", "by-unique", "by-prefix", "join-parent", "join-children". */
const char *wb_read_kind_name(wb_read_kind k);

/* Append r's statement in b's dialect (its placeholders, table names through table_name). */
void wb_read_sql(const wb_read_def *r, const wb_backend *b, wb_conn *c, wb_buf *out);

/* Fill the parameters of repetition rep (0-based) over keys 1..rows: repetition rep
 * starts at a key spread over 1..rows and takes the first row from there whose
 * compared columns are not NULL. */
void wb_read_params(const wb_read_def *r, int64_t rows, int64_t rep, wb_read_param *out);

/* Latency figures of K executions, in microseconds (nearest-rank percentiles). */
typedef struct wb_latency {
    int64_t repetitions;
    double mean_us, p50_us, p95_us, p99_us;
    double rows_returned_mean; /* rows each execution returned, on average */
    int64_t rows_checked;      /* rows of the checked execution compared with the generator, every value */
    wb_stats samples_us;       /* every timed execution, for the trade-off's test against the noise */
} wb_latency;

/* Prepare read r once, run it with the parameters of repetition 0 untimed and check
 * what it returned against the generator (exactly the expected rows, every value),
 * then run it `repeat` times timed (each must return a row; a lookup that must give
 * exactly one, exactly one), and fill the latency figures. Stops with an error when
 * the user interrupts (SIGINT/SIGTERM, runner/child.h). Keys 1..rows of every table
 * must hold version 1. */
int wb_read_measure(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, int64_t repeat,
                    wb_latency *out, wb_error *e);

/* Run r once with the parameters of repetition rep and check what it returned
 * against the generator; *rows_checked (may be NULL) gets the rows compared. Keys
 * 1..rows of every table must hold version 1. */
int wb_read_check(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, int64_t rep,
                  int64_t *rows_checked, wb_error *e);

/* Append r's plan for the parameters of repetition 0, one line per plan node. */
int wb_read_plan(const wb_backend *b, wb_conn *c, const wb_read_def *r, int64_t rows, wb_buf *out, wb_error *e);

#endif
