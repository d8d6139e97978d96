/* Code for the user's own tables (see codegen.h): the strategies' shapes, the
 * languages, planning a program and the pieces every language's writer shares
 * (statements, quoting, the header comment). */
#include "advise/codegen.h"

#include <stdio.h>
#include <string.h>

/* The shape of each catalogue strategy's code, and where the code differs from it. */
static const struct {
    const char *strategy;
    wb_code_shape shape;
    const char *differs; /* "" when the code is the strategy's own idiom */
} shapes[] = {
    {"single-autocommit", WB_SHAPE_ROW, "it commits every batch, not every row"},
    {"single-tx", WB_SHAPE_ROW, ""},
    {"batch-commit", WB_SHAPE_ROW, ""},
    {"prepared", WB_SHAPE_ROW, ""},
    {"pipeline", WB_SHAPE_ROW, "the driver's executemany stands for libpq's pipeline mode"},
    {"values-multirow", WB_SHAPE_MULTIROW, ""},
    {"unnest", WB_SHAPE_MULTIROW, "multi-row VALUES stands for UNNEST of arrays"},
    {"load-then-index", WB_SHAPE_MULTIROW,
     "it loads with the indexes in place; dropping and rebuilding them is left to you"},
    {"copy-text", WB_SHAPE_COPY, ""},
    {"copy-binary", WB_SHAPE_COPY, "the driver's COPY format stands for binary COPY"},
    {"load-data", WB_SHAPE_MULTIROW, "multi-row VALUES stands for LOAD DATA"},
    {"select-then-write", WB_SHAPE_UPSERT_ROW, "one INSERT ... ON CONFLICT per row stands for SELECT, then write"},
    {"update-then-insert", WB_SHAPE_UPSERT_ROW, "one INSERT ... ON CONFLICT per row stands for UPDATE, then INSERT"},
    {"insert-ignore-then-update", WB_SHAPE_UPSERT_ROW, "one upsert per row stands for INSERT IGNORE, then UPDATE"},
    {"on-conflict", WB_SHAPE_UPSERT_ROW, ""},
    {"replace", WB_SHAPE_UPSERT_ROW, "an upsert stands for REPLACE (which deletes, then inserts)"},
    {"commit-queue", WB_SHAPE_UPSERT_ROW, "one connection stands for the producers and their writer"},
    {"on-conflict-batch", WB_SHAPE_UPSERT_MULTIROW, ""},
    {"merge", WB_SHAPE_UPSERT_MULTIROW, "a multi-row INSERT ... ON CONFLICT stands for MERGE"},
    {"staging-merge", WB_SHAPE_UPSERT_MULTIROW,
     "a multi-row INSERT ... ON CONFLICT stands for COPY into a staging table and MERGE"},
    {"staging-on-conflict", WB_SHAPE_UPSERT_MULTIROW,
     "a multi-row INSERT ... ON CONFLICT stands for COPY into a staging table"},
    {"bulk-update", WB_SHAPE_UPDATE_MULTIROW, ""},
};

/* The shape a language writes instead of one it lacks. */
static const wb_code_shape nearest[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = WB_SHAPE_ROW,
    [WB_SHAPE_MULTIROW] = WB_SHAPE_ROW,
    [WB_SHAPE_COPY] = WB_SHAPE_MULTIROW,
    [WB_SHAPE_UPSERT_ROW] = WB_SHAPE_UPSERT_ROW,
    [WB_SHAPE_UPSERT_MULTIROW] = WB_SHAPE_UPSERT_ROW,
    [WB_SHAPE_UPDATE_MULTIROW] = WB_SHAPE_UPSERT_MULTIROW,
};

static const char *const shape_texts[WB_SHAPE_COUNT] = {
    [WB_SHAPE_ROW] = "one prepared INSERT per row",
    [WB_SHAPE_MULTIROW] = "multi-row INSERT ... VALUES, B rows a statement",
    [WB_SHAPE_COPY] = "COPY FROM STDIN",
    [WB_SHAPE_UPSERT_ROW] = "one upsert per row (INSERT ... ON CONFLICT DO UPDATE, or ON DUPLICATE KEY UPDATE)",
    [WB_SHAPE_UPSERT_MULTIROW] =
        "a multi-row upsert, B rows a statement (INSERT ... ON CONFLICT DO UPDATE, or ON DUPLICATE KEY UPDATE)",
    [WB_SHAPE_UPDATE_MULTIROW] = "UPDATE ... FROM a VALUES list of B rows",
};

const char *wb_code_shape_text(wb_code_shape s)
{
    return shape_texts[s];
}

void wb_code_write_c_libpq(const wb_code_spec *s, wb_buf *out);
void wb_code_write_c_sqlite(const wb_code_spec *s, wb_buf *out);
void wb_code_write_psycopg(const wb_code_spec *s, wb_buf *out);
void wb_code_write_pymysql(const wb_code_spec *s, wb_buf *out);
void wb_code_write_sqlalchemy(const wb_code_spec *s, wb_buf *out);

#define ALL_SHAPES ((1u << WB_SHAPE_COUNT) - 1)
#define BIT(s) (1u << (s))

const wb_code_language wb_code_languages[] = {
    {"c-libpq", "C with libpq", ".c", "postgresql", ALL_SHAPES, 1, "libpq", wb_code_write_c_libpq},
    {"c-sqlite", "C with SQLite's C API", ".c", "sqlite", ALL_SHAPES & ~BIT(WB_SHAPE_COPY), 1, "sqlite3",
     wb_code_write_c_sqlite},
    {"psycopg", "Python with psycopg 3", ".py", "postgresql", ALL_SHAPES, 0, NULL, wb_code_write_psycopg},
    /* MariaDB has no COPY and no UPDATE ... FROM: those fall back to multi-row statements */
    {"pymysql", "Python with PyMySQL", ".py", "mariadb",
     ALL_SHAPES & ~BIT(WB_SHAPE_COPY) & ~BIT(WB_SHAPE_UPDATE_MULTIROW), 0, NULL, wb_code_write_pymysql},
    {"sqlalchemy", "Python with SQLAlchemy Core", ".py", "sqlite,postgresql,mariadb",
     ALL_SHAPES & ~BIT(WB_SHAPE_COPY) & ~BIT(WB_SHAPE_UPDATE_MULTIROW), 0, NULL, wb_code_write_sqlalchemy},
};

const int wb_code_nlanguages = (int)(sizeof wb_code_languages / sizeof *wb_code_languages);

const wb_backend *wb_code_backend_named(const char *name)
{
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *b = wb_backend_get((wb_backend_kind)k);
        if (b && b->name && strcmp(b->name, name) == 0)
            return b;
    }
    return NULL;
}

int wb_code_language_serves(const wb_code_language *l, const wb_backend *b)
{
    size_t len = strlen(b->name);
    for (const char *p = l->backends; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, b->name, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

int wb_code_plan(const wb_code_language *l, const char *strategy, wb_code_spec *s)
{
    s->note[0] = '\0';
    s->language = l;
    size_t i = 0;
    while (i < sizeof shapes / sizeof *shapes && strcmp(shapes[i].strategy, strategy) != 0)
        i++;
    if (i == sizeof shapes / sizeof *shapes) {
        snprintf(s->note, sizeof s->note, "no code is generated for %s: it is not a catalogue strategy with a "
                 "known shape (an external program is its own code)", strategy);
        return -1;
    }
    wb_code_shape shape = shapes[i].shape;
    while (!(l->shapes & BIT(shape)))
        shape = nearest[shape];
    s->shape = shape;
    if (shape != shapes[i].shape)
        snprintf(s->note, sizeof s->note, "%s has no %s here: this is %s instead", l->title,
                 shape_texts[shapes[i].shape], shape_texts[shape]);
    else if (*shapes[i].differs)
        snprintf(s->note, sizeof s->note, "%s", shapes[i].differs);
    return 0;
}

int wb_code_writes_insert(const wb_code_spec *s)
{
    return s->shape != WB_SHAPE_UPDATE_MULTIROW; /* an UPDATE only changes rows that exist */
}

int wb_code_writes_update(const wb_code_spec *s)
{
    return s->shape == WB_SHAPE_UPSERT_ROW || s->shape == WB_SHAPE_UPSERT_MULTIROW ||
           s->shape == WB_SHAPE_UPDATE_MULTIROW;
}

void wb_code_ident(const char *name, wb_buf *out)
{
    wb_buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            wb_buf_putc(out, '"');
        wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '"');
}

/* "a", "b", ... of t's columns from `from` on, each after prefix. */
static void column_list(const wb_table *t, int from, const char *prefix, wb_buf *out)
{
    for (int c = from; c < t->ncolumns; c++) {
        wb_buf_puts(out, c > from ? ", " : "");
        wb_buf_puts(out, prefix);
        wb_code_ident(t->columns[c].name, out);
    }
}

void wb_code_copy_sql(const wb_table *t, wb_buf *out)
{
    wb_buf_puts(out, "COPY ");
    wb_code_ident(t->name, out);
    wb_buf_puts(out, " (");
    column_list(t, 0, "", out);
    wb_buf_puts(out, ") FROM STDIN");
}

const char *wb_code_param_cast(const wb_code_spec *s, const wb_column *c)
{
    const char *cast = s->backend->dialect->types[c->sql_type].param_cast;
    return cast ? cast : "";
}

/* "c" = <upsert_value of c>, ... for every column but the key. */
static void set_list(const wb_code_spec *s, const wb_table *t, const char *value_format, wb_buf *out)
{
    for (int c = 1; c < t->ncolumns; c++) {
        wb_buf q = WB_BUF_INIT;
        wb_code_ident(t->columns[c].name, &q);
        wb_buf_puts(out, c > 1 ? ", " : "");
        wb_buf_puts(out, wb_buf_str(&q));
        wb_buf_puts(out, " = ");
        wb_buf_printf(out, value_format, wb_buf_str(&q));
        wb_buf_free(&q);
    }
    (void)s;
}

void wb_code_statement_make(const wb_code_spec *s, const wb_table *t, wb_code_statement *out)
{
    const wb_dialect *d = s->backend->dialect;
    wb_buf key = WB_BUF_INIT, name = WB_BUF_INIT;
    wb_code_ident(t->columns[0].name, &key);
    wb_code_ident(t->name, &name);
    wb_buf empty = WB_BUF_INIT;
    out->head = empty;
    out->tail = empty;
    out->casts = 0;
    if (s->shape == WB_SHAPE_UPDATE_MULTIROW) {
        /* a VALUES list named by a WITH clause, so that its columns have names on every backend */
        out->casts = 1;
        wb_buf_puts(&out->head, "WITH v (");
        column_list(t, 0, "", &out->head);
        wb_buf_puts(&out->head, ") AS (VALUES ");
        wb_buf_printf(&out->tail, ") UPDATE %s SET ", wb_buf_str(&name));
        set_list(s, t, "v.%s", &out->tail);
        wb_buf_printf(&out->tail, " FROM v WHERE %s.%s = v.%s", wb_buf_str(&name), wb_buf_str(&key),
                      wb_buf_str(&key));
    } else {
        wb_buf_printf(&out->head, "INSERT INTO %s (", wb_buf_str(&name));
        column_list(t, 0, "", &out->head);
        wb_buf_puts(&out->head, ") VALUES ");
        if (s->shape == WB_SHAPE_UPSERT_ROW || s->shape == WB_SHAPE_UPSERT_MULTIROW) {
            wb_buf_printf(&out->tail, d->upsert_clause, wb_buf_str(&key));
            set_list(s, t, d->upsert_value, &out->tail);
        }
    }
    wb_buf_free(&key);
    wb_buf_free(&name);
}

void wb_code_statement_free(wb_code_statement *st)
{
    wb_buf_free(&st->head);
    wb_buf_free(&st->tail);
}

void wb_code_c_string(const char *s, wb_buf *out)
{
    wb_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            wb_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            wb_buf_printf(out, "\\%03o", *p); /* octal: a hex escape would swallow the next digit */
        else
            wb_buf_putc(out, (char)*p);
    }
    wb_buf_putc(out, '"');
}

void wb_code_py_string(const char *s, wb_buf *out)
{
    wb_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            wb_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            wb_buf_printf(out, "\\x%02x", *p);
        else
            wb_buf_putc(out, (char)*p); /* UTF-8 as it is: the file is UTF-8 */
    }
    wb_buf_putc(out, '"');
}

void wb_code_header(const wb_code_spec *s, const wb_code_language *l, const char *prefix, wb_buf *out)
{
    const wb_workload *w = s->workload;
    wb_buf_printf(out, "%s%s for the %s of workload %s on %s, as %s does it:\n", prefix, l->title, s->need_title,
                  w->name, s->backend->display_name, s->strategy);
    wb_buf_printf(out, "%s%s", prefix, shape_texts[s->shape]);
    if (s->commit_per_batch)
        wb_buf_puts(out, ", a commit after every batch");
    else
        wb_buf_puts(out, ", one transaction per table");
    if (s->batch >= 0)
        wb_buf_printf(out, " (advised batch: %lld rows)", (long long)s->batch);
    wb_buf_puts(out, ".\n");
    if (s->note[0])
        wb_buf_printf(out, "%sNote: %s.\n", prefix, s->note);
    wb_buf_printf(out, "%sTables, parents first:", prefix);
    for (int i = 0; i < w->ntables; i++)
        wb_buf_printf(out, " %s (%d columns)", w->tables[i].name, w->tables[i].ncolumns);
    wb_buf_printf(out, ".\n%s\n", prefix);
    wb_buf_printf(out, "%sGenerated by `writebench advise` from workload file %s (sha256 %.16s...).\n", prefix,
                  s->workload_file, w->sha256);
    wb_buf_printf(out, "%sIt is a writebench external strategy (docs/EXTERNAL.md): it reads the target,\n", prefix);
    wb_buf_printf(out, "%sthe rows, the pass and the batch size from WRITEBENCH_* variables, and gets\n", prefix);
    wb_buf_printf(out, "%sits rows from `writebench workload rows` (read_rows below: put your own data\n", prefix);
    wb_buf_printf(out, "%ssource there), so that writebench verifies every value it writes.\n", prefix);
    wb_buf_printf(out, "%sIt %s the insert pass and %s the update pass (exit 77: skipped).\n", prefix,
                  wb_code_writes_insert(s) ? "writes" : "skips", wb_code_writes_update(s) ? "writes" : "skips");
}
