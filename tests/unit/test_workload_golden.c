/* The shipped workloads `users` and `products` keep the values, SQL and DDL they
 * had when they were compiled into writebench, byte for byte, so that runs made
 * since they became workload files (workloads/users.yaml, products.yaml) stay
 * comparable with older runs.
 *
 * tests/unit/data/workloads.golden was written by this very program from the
 * compiled-in definitions, before they were deleted (WB_WRITE_GOLDEN=1 rewrites
 * it: never do that to make a failure go away, since the file is the record of
 * what old runs wrote). It holds, for both workloads:
 *   - the workload's description and every column's declared types and flags;
 *   - wb_row_make() of every table, keys 1..200 and keys near 10^9 and 10^10,
 *     both versions, hostile rows included;
 *   - wb_column_sql() of every column in both versions, on both backends'
 *     dialects, for the key expressions "id" and k;
 *   - every statement schema.c sends (reset, setup, drop, the indexes,
 *     server-generate's insert and update) on both backends, captured by a
 *     backend whose exec records the SQL instead of running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/display.h"
#include "util/sql_text.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

#define GOLDEN_PATH WB_SOURCE_DIR "/tests/unit/data/workloads.golden"

static wb_buf captured; /* what the capturing backend's exec received */

/* exec of the capturing backend: record the statements, run nothing. */
static int capture_exec(wb_conn *c, const char *sql, wb_error *e)
{
    (void)c;
    (void)e;
    wb_buf_puts(&captured, sql);
    wb_buf_putc(&captured, '\n');
    return 0;
}

/* table_name of the capturing PostgreSQL backend: the default schema. */
static void capture_pg_table_name(wb_conn *c, const char *table, wb_buf *out)
{
    (void)c;
    wb_buf_puts(out, "\"writebench\".");
    wb_sql_identifier(out, table);
}

static const char *const type_names[] = {"int64", "text", "decimal"};

static void dump_value(wb_buf *out, const wb_value *v)
{
    if (v->is_null) {
        wb_buf_puts(out, "NULL");
        return;
    }
    wb_buf_printf(out, "%s:%lld:", type_names[v->type], (long long)v->i64);
    wb_display_text(out, v->text, v->len);
}

static void dump_rows(wb_buf *out, const wb_workload *w, const wb_table *t)
{
    static const int64_t big[] = {999999990, 999999997, 1000000000, 9999999990, 9999999997, 10000000000};
    int64_t keys[200 + sizeof big / sizeof big[0]];
    int nkeys = 0;
    for (int64_t k = 1; k <= 200; k++)
        keys[nkeys++] = k;
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        keys[nkeys++] = big[i];
    wb_row r = WB_ROW_INIT;
    for (int i = 0; i < nkeys; i++)
        for (int version = 1; version <= 2; version++) {
            wb_row_make(t, keys[i], version, &r);
            wb_buf_printf(out, "row %s.%s %lld v%d:", w->name, t->name, (long long)keys[i], version);
            for (int c = 0; c < r.ncolumns; c++) {
                wb_buf_putc(out, ' ');
                dump_value(out, &r.v[c]);
            }
            wb_buf_putc(out, '\n');
        }
    wb_row_free(&r);
}

static void dump_sql(wb_buf *out, const wb_workload *w, const wb_table *t)
{
    static const wb_backend_kind kinds[] = {WB_BACKEND_SQLITE, WB_BACKEND_POSTGRES};
    static const char *const keys[] = {"\"id\"", "k"};
    for (size_t d = 0; d < 2; d++)
        for (int c = 0; c < t->ncolumns; c++)
            for (int version = 1; version <= 2; version++)
                for (size_t k = 0; k < 2; k++) {
                    const wb_backend *b = wb_backend_get(kinds[d]);
                    wb_buf_printf(out, "sql %s %s.%s.%s v%d %s: ", b->name, w->name, t->name, t->columns[c].name,
                                  version, keys[k]);
                    wb_column_sql(t, c, version, keys[k], b->dialect, out);
                    wb_buf_putc(out, '\n');
                }
}

/* Every statement schema.c sends for w on the backend of that kind. */
static void dump_schema(wb_buf *out, const wb_workload *w, wb_backend_kind kind)
{
    wb_backend fake = *wb_backend_get(kind);
    fake.exec = capture_exec;
    if (kind == WB_BACKEND_POSTGRES)
        fake.table_name = capture_pg_table_name;
    wb_error e;
    wb_buf_reset(&captured);
    wb_schema_reset(&fake, NULL, w, &e);
    wb_schema_setup(&fake, NULL, w, &e);
    wb_schema_drop(&fake, NULL, w, &e);
    for (int t = 0; t < w->ntables; t++) {
        wb_schema_drop_indexes(&fake, NULL, &w->tables[t], &e);
        wb_schema_create_indexes(&fake, NULL, &w->tables[t], &e);
    }
    wb_schema_generate(&fake, NULL, w, 1000, 1, &e);
    wb_schema_regenerate(&fake, NULL, w, 1000, 2, &e);
    wb_buf_printf(out, "schema %s %s:\n%s", fake.name, w->name, wb_buf_str(&captured));
}

static void dump_workload(wb_buf *out, const wb_workload *w)
{
    wb_buf_printf(out, "workload %s: %s\n", w->name, w->description);
    for (int t = 0; t < w->ntables; t++) {
        const wb_table *table = &w->tables[t];
        for (int c = 0; c < table->ncolumns; c++) {
            const wb_column *col = &table->columns[c];
            wb_buf sqlite_decl = WB_BUF_INIT, pg_decl = WB_BUF_INIT;
            wb_column_declare(table, c, wb_backend_get(WB_BACKEND_SQLITE)->dialect, &sqlite_decl);
            wb_column_declare(table, c, wb_backend_get(WB_BACKEND_POSTGRES)->dialect, &pg_decl);
            wb_buf_printf(out, "column %s.%s.%s: %s %s %s nullable=%d unique=%d updated=%d\n", w->name, table->name,
                          col->name, type_names[col->type], wb_buf_str(&sqlite_decl), wb_buf_str(&pg_decl),
                          col->nullable, col->unique, col->updated);
            wb_buf_free(&sqlite_decl);
            wb_buf_free(&pg_decl);
        }
    }
    for (int t = 0; t < w->ntables; t++) {
        dump_rows(out, w, &w->tables[t]);
        dump_sql(out, w, &w->tables[t]);
    }
    dump_schema(out, w, WB_BACKEND_SQLITE);
    dump_schema(out, w, WB_BACKEND_POSTGRES);
}

/* The first line where a and b differ (1-based), for the failure message. */
static size_t first_difference(const char *a, const char *b, size_t *line)
{
    *line = 1;
    size_t i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        *line += a[i] == '\n';
    return i;
}

int main(void)
{
    static const char *const names[] = {"users", "products"};
    wb_buf now = WB_BUF_INIT;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const wb_workload *w = wb_workload_find(names[i]);
        CHECK(w != NULL);
        if (!w)
            return check_finish();
        dump_workload(&now, w);
    }
    if (getenv("WB_WRITE_GOLDEN")) {
        FILE *f = fopen(GOLDEN_PATH, "wb");
        CHECK(f != NULL && fwrite(now.data, 1, now.len, f) == now.len && fclose(f) == 0);
        printf("wrote %s (%zu bytes)\n", GOLDEN_PATH, now.len);
        wb_buf_free(&now);
        return check_finish();
    }
    wb_buf golden = WB_BUF_INIT;
    FILE *f = fopen(GOLDEN_PATH, "rb");
    CHECK(f != NULL);
    char chunk[65536];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wb_buf_append(&golden, chunk, n);
    if (f)
        fclose(f);
    CHECK(golden.len > 100000); /* the record is really there */
    int same = golden.len == now.len && memcmp(wb_buf_str(&golden), wb_buf_str(&now), now.len) == 0;
    if (!same) {
        size_t line;
        size_t at = first_difference(wb_buf_str(&golden), wb_buf_str(&now), &line);
        const char *g = wb_buf_str(&golden) + at, *c = wb_buf_str(&now) + at;
        fprintf(stderr, "the shipped workloads differ from %s at line %zu:\n  recorded: %.200s\n  now:      %.200s\n",
                GOLDEN_PATH, line, g, c);
    }
    CHECK(same);
    wb_buf_free(&golden);
    wb_buf_free(&now);
    wb_buf_free(&captured);
    return check_finish();
}
