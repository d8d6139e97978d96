/* The neutral description of tables (describe.h): its memory, one list of blocks
 * freed together, and the helpers that add tables, columns, indexes, foreign
 * keys, checks and notes. */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/describe.h"
#include "util/buf.h"

struct wb_desc_block {
    struct wb_desc_block *next;
    max_align_t data[];
};

void *wb_desc_alloc(wb_schema_desc *d, size_t n)
{
    struct wb_desc_block *b = wb_xcalloc(1, sizeof *b + n);
    b->next = d->blocks;
    d->blocks = b;
    return b->data;
}

char *wb_desc_strndup(wb_schema_desc *d, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = wb_desc_alloc(d, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *wb_desc_strdup(wb_schema_desc *d, const char *s)
{
    return s ? wb_desc_strndup(d, s, strlen(s)) : NULL;
}

char *wb_desc_printf(wb_schema_desc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = wb_desc_alloc(d, (size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Make room for one more pointer in (*items, *n, *cap): a new array twice the size
 * in d's memory (the old one is freed with d; at most as much again is wasted). */
static void grow(wb_schema_desc *d, void ***items, int n, int *cap)
{
    if (n < *cap)
        return;
    int bigger = *cap ? 2 * *cap : 8;
    void **more = wb_desc_alloc(d, (size_t)bigger * sizeof *more);
    if (n)
        memcpy(more, *items, (size_t)n * sizeof *more);
    *items = more;
    *cap = bigger;
}

void *wb_desc_push(wb_schema_desc *d, void ***items, int *n, int *cap, size_t elem_size)
{
    grow(d, items, *n, cap);
    void *elem = wb_desc_alloc(d, elem_size);
    (*items)[(*n)++] = elem;
    return elem;
}

void wb_desc_push_string(wb_schema_desc *d, char ***items, int *n, int *cap, const char *s)
{
    grow(d, (void ***)items, *n, cap);
    (*items)[(*n)++] = wb_desc_strdup(d, s);
}

wb_desc_table *wb_desc_add_table(wb_schema_desc *d)
{
    wb_desc_table *t = wb_desc_push(d, (void ***)&d->tables, &d->ntables, &d->cap_tables, sizeof *t);
    t->rows_estimate = -1;
    return t;
}

wb_desc_column *wb_desc_add_column(wb_schema_desc *d, wb_desc_table *t)
{
    return wb_desc_push(d, (void ***)&t->columns, &t->ncolumns, &t->cap_columns, sizeof(wb_desc_column));
}

wb_desc_index *wb_desc_add_index(wb_schema_desc *d, wb_desc_table *t)
{
    return wb_desc_push(d, (void ***)&t->indexes, &t->nindexes, &t->cap_indexes, sizeof(wb_desc_index));
}

wb_desc_fk *wb_desc_add_fk(wb_schema_desc *d, wb_desc_table *t)
{
    return wb_desc_push(d, (void ***)&t->fks, &t->nfks, &t->cap_fks, sizeof(wb_desc_fk));
}

wb_desc_check *wb_desc_add_check(wb_schema_desc *d, wb_desc_table *t)
{
    return wb_desc_push(d, (void ***)&t->checks, &t->nchecks, &t->cap_checks, sizeof(wb_desc_check));
}

void wb_desc_add_note(wb_schema_desc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = wb_desc_alloc(d, (size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    grow(d, (void ***)&d->notes, d->nnotes, &d->cap_notes);
    d->notes[d->nnotes++] = p;
}

wb_desc_table *wb_desc_find_table(const wb_schema_desc *d, const char *schema, const char *name)
{
    for (int i = 0; i < d->ntables; i++) {
        wb_desc_table *t = d->tables[i];
        if (strcmp(t->name, name) != 0)
            continue;
        if (schema && t->schema && strcmp(schema, t->schema) != 0)
            continue;
        return t;
    }
    return NULL;
}

wb_desc_column *wb_desc_find_column(const wb_desc_table *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i]->name, name) == 0)
            return t->columns[i];
    return NULL;
}

void wb_desc_free(wb_schema_desc *d)
{
    for (struct wb_desc_block *b = d->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    memset(d, 0, sizeof *d);
}
