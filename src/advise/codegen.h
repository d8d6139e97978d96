/* Code for the user's own tables: for the strategy advice names, a program in
 * each language the backend has (C with libpq or SQLite's C API, Python with
 * psycopg 3 or SQLAlchemy Core) that writes the workload's tables that way and
 * follows the external program protocol (docs/EXTERNAL.md), so that
 * `writebench run --external NAME=PROGRAM` measures and verifies it.
 *
 * Every program gets its rows from `writebench workload rows` (one definition
 * of every generator, in C, instead of a copy per language; the Python examples
 * compute users and products by hand, which no workload file could keep up
 * with): the one function a user replaces with their own data source.
 *
 * A strategy's code is one of a few shapes (a table in codegen.c: one INSERT
 * per row, multi-row VALUES, COPY, upserts, a bulk UPDATE); a language that
 * lacks a shape writes its nearest one and says so. One file per language
 * (code_*.c) writes the program from the statements made here. */
#ifndef WB_ADVISE_CODEGEN_H
#define WB_ADVISE_CODEGEN_H

#include <stdint.h>

#include "backends/backend.h"
#include "util/buf.h"
#include "workloads/workload.h"

typedef enum wb_code_shape {
    WB_SHAPE_ROW = 0,         /* one INSERT per row, prepared (executemany) */
    WB_SHAPE_MULTIROW,        /* INSERT ... VALUES (...), (...): B rows a statement */
    WB_SHAPE_COPY,            /* COPY FROM STDIN */
    WB_SHAPE_UPSERT_ROW,      /* INSERT ... ON CONFLICT DO UPDATE, one row a statement */
    WB_SHAPE_UPSERT_MULTIROW, /* the same, B rows a statement */
    WB_SHAPE_UPDATE_MULTIROW, /* UPDATE from a VALUES list of B rows (existing rows only) */
    WB_SHAPE_COUNT
} wb_code_shape;

/* "one INSERT per row", ...: for comments and advise's text. */
const char *wb_code_shape_text(wb_code_shape s);

/* What a program is for. */
struct wb_code_language;

typedef struct wb_code_spec {
    const struct wb_code_language *language; /* set by wb_code_plan */
    const wb_workload *workload;
    const wb_backend *backend;
    const char *workload_file;  /* absolute: what the program passes to `writebench workload rows` */
    const char *writebench;     /* the writebench binary, absolute */
    const char *strategy;       /* the advised strategy */
    const char *need_title;     /* "one-off bulk load" */
    int64_t batch;              /* the advised batch size, -1 none (the program reads WRITEBENCH_BATCH) */
    int commit_per_batch;       /* commit after every batch (a steady stream); else once per table */
    wb_code_shape shape;        /* what the program does, after the language's fallback */
    char note[512];             /* where the code differs from the strategy measured, or "" */
} wb_code_spec;

/* One language: the file it writes and which shapes it writes itself. */
typedef struct wb_code_language {
    const char *id;      /* "c-libpq": in the file's name */
    const char *title;   /* "C with libpq" */
    const char *ext;     /* ".c" */
    const char *backends; /* the backends its client library reaches (their names, comma-separated) */
    unsigned shapes;     /* 1u << shape for each shape it writes */
    int compiled;        /* a C program: build it first; an ELF binary has no header line */
    const char *pkg_config; /* the pkg-config name of its client library (compiled ones) */
    void (*write)(const wb_code_spec *s, wb_buf *out);
} wb_code_language;

extern const wb_code_language wb_code_languages[];
extern const int wb_code_nlanguages;

/* The backend whose name (results' "backend" column) is name, or NULL. */
const wb_backend *wb_code_backend_named(const char *name);
/* Whether language l writes programs for backend b. */
int wb_code_language_serves(const wb_code_language *l, const wb_backend *b);

/* Fill s->shape and s->note for strategy on language l: its shape, or the
 * nearest one l writes. -1 (note says why) when the strategy has no code here
 * (an external program, a strategy the table does not know). */
int wb_code_plan(const wb_code_language *l, const char *strategy, wb_code_spec *s);

/* ---- for the code_*.c files ---- */

/* The statement of table t as head, one parenthesised row of parameters per row
 * (each parameter followed by its cast when casts is set), tail. */
typedef struct wb_code_statement {
    wb_buf head, tail;
    int casts; /* the row's parameters need their types (a VALUES list outside an INSERT) */
} wb_code_statement;

void wb_code_statement_make(const wb_code_spec *s, const wb_table *t, wb_code_statement *out);
void wb_code_statement_free(wb_code_statement *st);
/* The cast written after column c's parameter ("::bigint"), or "". */
const char *wb_code_param_cast(const wb_code_spec *s, const wb_column *c);
/* `"name"`: an identifier quoted for SQL. */
void wb_code_ident(const char *name, wb_buf *out);
/* "COPY "t" ("a", "b") FROM STDIN". */
void wb_code_copy_sql(const wb_table *t, wb_buf *out);
/* s as a C string literal / a Python string literal, quotes included. */
void wb_code_c_string(const char *s, wb_buf *out);
void wb_code_py_string(const char *s, wb_buf *out);
/* The comment block every program starts with (each line after `prefix`):
 * what it is, for which need and tables, how to run it. */
void wb_code_header(const wb_code_spec *s, const wb_code_language *l, const char *prefix, wb_buf *out);
/* Whether the program writes on the insert pass / the update pass. */
int wb_code_writes_insert(const wb_code_spec *s);
int wb_code_writes_update(const wb_code_spec *s);

#endif
