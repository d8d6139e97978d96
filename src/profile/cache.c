/* The LRU cache and the caching study (see cache.h). */
#include "profile/cache.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategies/generic/generic.h"
#include "profile/zipf.h"
#include "runner/child.h"
#include "util/clock.h"

/* ---- LRU ----
 * Nodes live in one array of `capacity`; the hash table (linear probing, at most
 * half full, power-of-two size) holds node index + 1 (0 = empty slot), and
 * removal shifts later entries back so no tombstones accumulate. The recency
 * list runs head (most recent) .. tail (least recent), linked by index. */

#define LRU_NIL (-1)

typedef struct lru_node {
    int64_t key;
    char *value;
    size_t len;
    int64_t prev, next;
} lru_node;

struct wb_lru {
    size_t capacity, size;
    lru_node *nodes;
    int64_t *free_stack; /* unused node indexes */
    size_t nfree;
    int64_t head, tail;
    uint64_t *slots;     /* node index + 1, 0 = empty */
    size_t slot_mask;
    int64_t hits, misses, evictions;
};

static uint64_t hash_key(int64_t key)
{
    uint64_t x = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 29);
}

wb_lru *wb_lru_new(size_t capacity)
{
    if (capacity == 0 || capacity > ((size_t)1 << 40))
        return NULL;
    wb_lru *lru = calloc(1, sizeof *lru);
    if (!lru)
        return NULL;
    size_t nslots = 4;
    while (nslots < capacity * 2)
        nslots *= 2;
    lru->capacity = capacity;
    lru->nodes = calloc(capacity, sizeof *lru->nodes);
    lru->free_stack = calloc(capacity, sizeof *lru->free_stack);
    lru->slots = calloc(nslots, sizeof *lru->slots);
    if (!lru->nodes || !lru->free_stack || !lru->slots) {
        wb_lru_free(lru);
        return NULL;
    }
    lru->slot_mask = nslots - 1;
    for (size_t i = 0; i < capacity; i++)
        lru->free_stack[i] = (int64_t)(capacity - 1 - i);
    lru->nfree = capacity;
    lru->head = lru->tail = LRU_NIL;
    return lru;
}

void wb_lru_free(wb_lru *lru)
{
    if (!lru)
        return;
    if (lru->nodes)
        for (int64_t i = lru->head; i != LRU_NIL; i = lru->nodes[i].next)
            free(lru->nodes[i].value);
    free(lru->nodes);
    free(lru->free_stack);
    free(lru->slots);
    free(lru);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const wb_lru *lru, int64_t key)
{
    size_t i = (size_t)hash_key(key) & lru->slot_mask;
    while (lru->slots[i] && lru->nodes[lru->slots[i] - 1].key != key)
        i = (i + 1) & lru->slot_mask;
    return i;
}

/* Empty slot i and shift back the entries of its probe run (no tombstones). */
static void remove_slot(wb_lru *lru, size_t i)
{
    size_t j = i;
    lru->slots[i] = 0;
    for (;;) {
        j = (j + 1) & lru->slot_mask;
        if (!lru->slots[j])
            return;
        size_t home = (size_t)hash_key(lru->nodes[lru->slots[j] - 1].key) & lru->slot_mask;
        /* Move j into the hole i unless its home lies cyclically in (i, j]. */
        int home_in_between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!home_in_between) {
            lru->slots[i] = lru->slots[j];
            lru->slots[j] = 0;
            i = j;
        }
    }
}

static void list_unlink(wb_lru *lru, int64_t n)
{
    lru_node *node = &lru->nodes[n];
    if (node->prev != LRU_NIL)
        lru->nodes[node->prev].next = node->next;
    else
        lru->head = node->next;
    if (node->next != LRU_NIL)
        lru->nodes[node->next].prev = node->prev;
    else
        lru->tail = node->prev;
    node->prev = node->next = LRU_NIL;
}

static void list_push_front(wb_lru *lru, int64_t n)
{
    lru->nodes[n].prev = LRU_NIL;
    lru->nodes[n].next = lru->head;
    if (lru->head != LRU_NIL)
        lru->nodes[lru->head].prev = n;
    lru->head = n;
    if (lru->tail == LRU_NIL)
        lru->tail = n;
}

/* Remove node n (in slot) from table and list, free its value, return it to the free stack. */
static void drop_node(wb_lru *lru, size_t slot, int64_t n)
{
    remove_slot(lru, slot);
    list_unlink(lru, n);
    free(lru->nodes[n].value);
    lru->nodes[n].value = NULL;
    lru->free_stack[lru->nfree++] = n;
    lru->size--;
}

const char *wb_lru_get(wb_lru *lru, int64_t key, size_t *len_out)
{
    size_t slot = find_slot(lru, key);
    if (!lru->slots[slot]) {
        lru->misses++;
        return NULL;
    }
    int64_t n = (int64_t)lru->slots[slot] - 1;
    lru->hits++;
    if (lru->head != n) {
        list_unlink(lru, n);
        list_push_front(lru, n);
    }
    if (len_out)
        *len_out = lru->nodes[n].len;
    return lru->nodes[n].value;
}

int wb_lru_put(wb_lru *lru, int64_t key, const char *value, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, value, len);
    copy[len] = '\0';
    size_t slot = find_slot(lru, key);
    if (lru->slots[slot]) {
        int64_t n = (int64_t)lru->slots[slot] - 1;
        free(lru->nodes[n].value);
        lru->nodes[n].value = copy;
        lru->nodes[n].len = len;
        if (lru->head != n) {
            list_unlink(lru, n);
            list_push_front(lru, n);
        }
        return 0;
    }
    if (lru->size == lru->capacity) {
        int64_t victim = lru->tail;
        drop_node(lru, find_slot(lru, lru->nodes[victim].key), victim);
        lru->evictions++;
        slot = find_slot(lru, key); /* the shift may have moved the empty slot */
    }
    int64_t n = lru->free_stack[--lru->nfree];
    lru->nodes[n].key = key;
    lru->nodes[n].value = copy;
    lru->nodes[n].len = len;
    lru->slots[slot] = (uint64_t)n + 1;
    list_push_front(lru, n);
    lru->size++;
    return 0;
}

int wb_lru_invalidate(wb_lru *lru, int64_t key)
{
    size_t slot = find_slot(lru, key);
    if (!lru->slots[slot])
        return 0;
    drop_node(lru, slot, (int64_t)lru->slots[slot] - 1);
    return 1;
}

void wb_lru_clear(wb_lru *lru)
{
    while (lru->head != LRU_NIL) {
        int64_t n = lru->head;
        drop_node(lru, find_slot(lru, lru->nodes[n].key), n);
    }
}

int wb_lru_contains(const wb_lru *lru, int64_t key)
{
    return lru->slots[find_slot(lru, key)] != 0;
}

size_t wb_lru_size(const wb_lru *lru) { return lru->size; }
size_t wb_lru_capacity(const wb_lru *lru) { return lru->capacity; }
int64_t wb_lru_hits(const wb_lru *lru) { return lru->hits; }
int64_t wb_lru_misses(const wb_lru *lru) { return lru->misses; }
int64_t wb_lru_evictions(const wb_lru *lru) { return lru->evictions; }

double wb_lru_hit_ratio(const wb_lru *lru)
{
    int64_t total = lru->hits + lru->misses;
    return total ? (double)lru->hits / (double)total : 0.0;
}

/* ---- The study ---- */

void wb_cache_study_options_default(wb_cache_study_options *o)
{
    o->lookups = 10000;
    o->zipf_s = 1.0;
    o->seed = 42;
    o->capacity = 0;
    o->update_share = 0.2;
    o->update_lookups = 0;
}

/* Characters of a time's text up to its seconds: "2024-05-01 12:00:00". */
#define TIME_TEXT_CHARS 19

void wb_cache_row_text(const wb_table *t, const char *const *values, wb_buf *out)
{
    for (int i = 0; i < t->ncolumns; i++) {
        const char *v = values[i];
        char number[64];
        if (!v) {
            wb_buf_putc(out, '-');
            continue;
        }
        switch (t->columns[i].type) {
        case WB_TYPE_DECIMAL:
            /* SQLite returns NUMERIC(10,2) as "100" or "123.45": the column's scale makes it canonical */
            snprintf(number, sizeof number, "%.*f", (int)t->columns[i].type_scale, strtod(v, NULL));
            v = number;
            break;
        case WB_TYPE_FLOAT:
            /* a REAL in each backend's shortest form: its double, written in full, is canonical */
            snprintf(number, sizeof number, "%.17g", strtod(v, NULL));
            v = number;
            break;
        case WB_TYPE_BOOL:
            /* "t" and "f" (PostgreSQL), 1 and 0 (SQLite), "true" and "false" (generated) */
            v = v[0] == 't' || v[0] == '1' ? "1" : "0";
            break;
        case WB_TYPE_TIME: {
            /* its digits up to the seconds: a server writes fractions (MariaDB's DATETIME(6)
             * ".000000") and the zone ("+00", or none) its own way */
            size_t n = 0;
            for (const char *p = v; *p && p - v < TIME_TEXT_CHARS && n < sizeof number - 1; p++)
                if (*p >= '0' && *p <= '9')
                    number[n++] = *p;
            number[n] = '\0';
            v = number;
            break;
        }
        case WB_TYPE_TEXT:
            /* char(n): without its blanks at the end, which pad it (PostgreSQL writes them,
             * MariaDB strips them) */
            if (t->columns[i].sql_type == WB_SQL_CHAR) {
                size_t len = strlen(v);
                while (len > 0 && v[len - 1] == ' ')
                    len--;
                wb_buf_printf(out, "%zu:", len);
                wb_buf_append(out, v, len);
                continue;
            }
            break;
        case WB_TYPE_JSON:
        case WB_TYPE_BYTES:
            /* the server writes jsonb and bytea its own way (key order, hex): left out,
             * the other columns tell a stale row */
            v = "*";
            break;
        default: break;
        }
        wb_buf_printf(out, "%zu:", strlen(v));
        wb_buf_puts(out, v);
    }
}

/* The study's connection state: its two statements on the backend's statement
 * layer, the SQL they run, and scratch buffers for the row just read and the row
 * expected. */
typedef struct study {
    const wb_backend *b;
    wb_conn *c;
    const wb_table *t;
    wb_stmt *select, *update; /* prepared once (named on a server, so the DEALLOCATEs say whose) */
    wb_buf select_sql, update_sql;
    wb_buf got, expected;     /* canonical row texts */
    int64_t rows_read;        /* rows the last read returned */
} study;

/* Names of the two statements where statements have names on the server. */
#define SELECT_NAME "wb_cache_select"
#define UPDATE_NAME "wb_cache_update"

/* Append `SELECT "c1",... FROM <table> WHERE "id" = <p>1` and
 * `UPDATE <table> SET "c2" = <p>2, ... WHERE "id" = <p>1`, where <p> is the
 * dialect's parameter prefix ("?" on SQLite, "$" on PostgreSQL). */
static void build_sql(study *st)
{
    const char *p = st->b->dialect->param_prefix;
    wb_buf table = WB_BUF_INIT;
    st->b->table_name(st->c, st->t->name, &table);
    wb_buf_puts(&st->select_sql, "SELECT ");
    for (int i = 0; i < st->t->ncolumns; i++)
        wb_buf_printf(&st->select_sql, "%s\"%s\"", i ? ", " : "", st->t->columns[i].name);
    wb_buf_printf(&st->select_sql, " FROM %s WHERE \"%s\" = %s1", wb_buf_str(&table),
                  st->t->columns[0].name, p);
    wb_buf_printf(&st->update_sql, "UPDATE %s SET ", wb_buf_str(&table));
    for (int i = 1; i < st->t->ncolumns; i++)
        wb_buf_printf(&st->update_sql, "%s\"%s\" = %s%d", i > 1 ? ", " : "", st->t->columns[i].name, p, i + 1);
    wb_buf_printf(&st->update_sql, " WHERE \"%s\" = %s1", st->t->columns[0].name, p);
    wb_buf_free(&table);
}

/* The canonical text of row key in `version`, as the database should return it. */
static void expected_text(study *st, int64_t key, int version)
{
    wb_row row = WB_ROW_INIT;
    wb_row_make(st->t, key, version, &row);
    const char **values = wb_xcalloc((size_t)row.ncolumns, sizeof *values);
    for (int i = 0; i < row.ncolumns; i++)
        values[i] = row.v[i].is_null ? NULL : row.v[i].text;
    wb_buf_reset(&st->expected);
    wb_cache_row_text(st->t, values, &st->expected);
    free(values);
    wb_row_free(&row);
}

/* ---- reads and writes ---- */

/* Row callback of a read: the row's canonical text into st->got. */
static int take_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    study *st = arg;
    if (ncols != st->t->ncolumns)
        return 1;
    wb_buf_reset(&st->got);
    wb_cache_row_text(st->t, values, &st->got);
    return 0;
}

/* Read row number `row` with sel and put the row's canonical text into st->got. */
static int read_row(study *st, wb_stmt *sel, int64_t row, wb_error *e)
{
    char key_text[32];
    int64_t key = wb_table_key(st->t, row);
    int len = snprintf(key_text, sizeof key_text, "%lld", (long long)key);
    int64_t rows = 0;
    wb_bind_value value = {WB_BIND_INT64, key, key_text, (size_t)len, 0};
    if (st->b->stmt_bind(sel, 0, 1, &value, e) != 0 ||
        st->b->stmt_exec(sel, "read", take_row, st, &rows, e) != 0)
        return wb_fail_prefix(e, "cache study: ");
    if (rows != 1)
        return wb_fail(e, "cache study: %s: no row with key %lld", st->t->name, (long long)key);
    return 0;
}

/* The plain path: bound parameter, but the statement is parsed (and on a server
 * planned) for every lookup. */
static int read_plain(study *st, int64_t key, wb_error *e)
{
    wb_stmt *sel = NULL;
    if (st->b->stmt_prepare(st->c, wb_buf_str(&st->select_sql), 1, WB_STMT_ONCE, NULL, &sel, e) != 0)
        return wb_fail_prefix(e, "cache study: ");
    int rc = read_row(st, sel, key, e);
    st->b->stmt_finalize(sel);
    return rc;
}

static int read_prepared(study *st, int64_t key, wb_error *e)
{
    return read_row(st, st->select, key, e);
}

static int update_row(study *st, int64_t key, int version, wb_error *e)
{
    wb_row row = WB_ROW_INIT;
    wb_row_make(st->t, key, version, &row);
    int64_t changed = 0;
    int rc = wb_gen_bind_row(st->b, st->update, 0, &row, row.ncolumns, e) != 0 ||
             st->b->stmt_exec(st->update, "update", NULL, NULL, &changed, e) != 0;
    wb_row_free(&row); /* the update has run: its values are no longer bound */
    if (rc)
        return wb_fail_prefix(e, "cache study: ");
    if (changed != 1)
        return wb_fail(e, "cache study: %s: update of key %lld changed no row", st->t->name,
                       (long long)wb_table_key(st->t, key));
    return 0;
}

static int study_open(study *st, const wb_backend *b, wb_conn *c, const wb_table *t, wb_error *e)
{
    memset(st, 0, sizeof *st);
    st->b = b;
    st->c = c;
    st->t = t;
    build_sql(st);
    if (b->stmt_prepare(c, wb_buf_str(&st->select_sql), 1, 0, SELECT_NAME, &st->select, e) != 0 ||
        b->stmt_prepare(c, wb_buf_str(&st->update_sql), t->ncolumns, 0, UPDATE_NAME, &st->update, e) != 0)
        return wb_fail_prefix(e, "cache study: ");
    return 0;
}

static void study_close(study *st)
{
    /* Each by its own name, not DEALLOCATE ALL: the caller's own prepared statements stay. */
    st->b->stmt_finalize(st->select);
    st->b->stmt_finalize(st->update);
    wb_buf_free(&st->select_sql);
    wb_buf_free(&st->update_sql);
    wb_buf_free(&st->got);
    wb_buf_free(&st->expected);
}

/* ---- measurement ---- */

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Fill the latency fields of r from n per-lookup durations in ns (sorted in place). */
static void summarize(int64_t *ns, int64_t n, wb_cache_path_result *r)
{
    static const struct { double q; size_t offset; } quantiles[] = {
        {0.50, offsetof(wb_cache_path_result, p50_us)},
        {0.95, offsetof(wb_cache_path_result, p95_us)},
        {0.99, offsetof(wb_cache_path_result, p99_us)},
    };
    double total_ns = 0;
    for (int64_t i = 0; i < n; i++)
        total_ns += (double)ns[i];
    r->lookups = n;
    r->total_s = total_ns / 1e9;
    r->mean_us = n ? total_ns / (double)n / 1e3 : 0;
    qsort(ns, (size_t)n, sizeof *ns, compare_i64);
    for (size_t i = 0; i < sizeof quantiles / sizeof quantiles[0]; i++) {
        /* Nearest rank: the smallest value with at least q of the lookups at or below it. */
        int64_t rank = (int64_t)ceil(quantiles[i].q * (double)n);
        double us = n ? (double)ns[rank > 0 ? rank - 1 : 0] / 1e3 : 0;
        *(double *)((char *)r + quantiles[i].offset) = us;
    }
}

/* Check the row just read (st->got) against the generator; a mismatch is a bug or
 * a foreign write, not a stale cache, so it stops the study. */
static int check_read(study *st, int64_t key, int version, const char *got, wb_error *e)
{
    expected_text(st, key, version);
    if (strcmp(got, wb_buf_str(&st->expected)) != 0)
        return wb_fail(e, "cache study: %s key %lld: read \"%s\", expected version %d \"%s\"", st->t->name,
                       (long long)wb_table_key(st->t, key), got, version, wb_buf_str(&st->expected));
    return 0;
}

/* A cached lookup: the cache, else the prepared statement (then cached).
 * *value is the row text served; *hit tells where it came from. */
static int cached_lookup(study *st, wb_lru *lru, int64_t key, const char **value, int *hit, wb_error *e)
{
    const char *v = wb_lru_get(lru, key, NULL);
    *hit = v != NULL;
    if (!v) {
        if (read_prepared(st, key, e) < 0)
            return -1;
        if (wb_lru_put(lru, key, st->got.data, st->got.len) < 0)
            return wb_fail(e, "cache study: out of memory");
        v = wb_buf_str(&st->got);
    }
    *value = v;
    return 0;
}

enum { PATH_READ_PLAIN, PATH_READ_PREPARED, PATH_READ_CACHED };

/* Run one path of the read phase over keys[0..n) and fill r (and its cache counters). */
static int read_phase(study *st, int path, const int64_t *keys, int64_t n, int64_t capacity, int64_t *ns,
                      wb_cache_path_result *r, wb_error *e)
{
    static const char *const names[WB_CACHE_PATHS] = {"plain", "prepared", "cached"};
    wb_lru *lru = NULL;
    if (path == PATH_READ_CACHED && !(lru = wb_lru_new((size_t)capacity)))
        return wb_fail(e, "cache study: cannot allocate a cache of %lld entries", (long long)capacity);
    int rc = 0;
    for (int64_t i = 0; i < n && rc == 0; i++) {
        const char *value = NULL;
        int hit = 0;
        if (wb_interrupted()) { /* Ctrl-C ends profile at once, the study included */
            rc = wb_fail(e, "interrupted by the user");
            break;
        }
        int64_t start_ns = wb_clock_ns();
        if (path == PATH_READ_PLAIN)
            rc = read_plain(st, keys[i], e);
        else if (path == PATH_READ_PREPARED)
            rc = read_prepared(st, keys[i], e);
        else
            rc = cached_lookup(st, lru, keys[i], &value, &hit, e);
        ns[i] = wb_clock_ns() - start_ns;
        if (rc == 0)
            rc = check_read(st, keys[i], 1, value ? value : wb_buf_str(&st->got), e);
    }
    memset(r, 0, sizeof *r);
    r->name = names[path];
    if (rc == 0) {
        summarize(ns, n, r);
        r->misses = lru ? wb_lru_misses(lru) : n;
        r->hits = lru ? wb_lru_hits(lru) : 0;
        r->hit_ratio = lru ? wb_lru_hit_ratio(lru) : 0;
    }
    wb_lru_free(lru);
    return rc;
}

/* One update pass: warm a fresh cache with the read phase's keys, then rewrite keys
 * 1..updates to version 2 (autocommit each, the hottest first), each followed by its
 * share of cached lookups from a second Zipf stream; count hits that serve a value
 * differing from the row's current version. Rewrites the keys back to version 1 after. */
static int update_pass(study *st, int invalidate, const int64_t *warm_keys, int64_t nwarm, int64_t capacity,
                       int64_t updates, int64_t lookups, const wb_cache_study_options *o, int64_t rows,
                       uint8_t *version, wb_cache_stale_result *r, wb_error *e)
{
    wb_zipf z;
    wb_lru *lru = wb_lru_new((size_t)capacity);
    if (!lru)
        return wb_fail(e, "cache study: cannot allocate a cache of %lld entries", (long long)capacity);
    memset(r, 0, sizeof *r);
    r->invalidate = invalidate;
    int rc = wb_zipf_init(&z, rows, o->zipf_s, o->seed + 1, e);
    const char *value;
    int hit;
    for (int64_t i = 0; i < nwarm && rc == 0; i++)
        rc = cached_lookup(st, lru, warm_keys[i], &value, &hit, e);
    int64_t hits_before = wb_lru_hits(lru), done_lookups = 0;
    for (int64_t u = 0; u < updates && rc == 0; u++) {
        int64_t key = u + 1;
        if (wb_interrupted()) { /* stop, and still put the rewritten rows back below */
            rc = wb_fail(e, "interrupted by the user");
            break;
        }
        rc = update_row(st, key, 2, e);
        if (rc < 0)
            break;
        version[key] = 2;
        r->updates++;
        if (invalidate)
            wb_lru_invalidate(lru, key);
        /* Spread the lookups evenly: after update u, lookups*(u+1)/updates have been done. */
        for (int64_t until = lookups * (u + 1) / updates; done_lookups < until && rc == 0; done_lookups++) {
            int64_t k = wb_zipf_next(&z);
            rc = cached_lookup(st, lru, k, &value, &hit, e);
            if (rc < 0)
                break;
            r->lookups++;
            expected_text(st, k, version[k]);
            if (!hit)
                rc = check_read(st, k, version[k], value, e);
            else if (strcmp(value, wb_buf_str(&st->expected)) != 0)
                r->stale_reads++;
        }
    }
    r->hits = wb_lru_hits(lru) - hits_before;
    r->hit_ratio = r->lookups ? (double)r->hits / (double)r->lookups : 0;
    r->stale_ratio = r->lookups ? (double)r->stale_reads / (double)r->lookups : 0;
    wb_lru_free(lru);
    /* Back to version 1 in one transaction, so the next pass (and the caller) start from the load.
     * After a failure the first error is the one reported, so the restore's goes elsewhere. */
    wb_error restore_error;
    wb_error *re = rc < 0 ? &restore_error : e;
    int restore = st->b->begin(st->c, re);
    for (int64_t key = 1; key <= updates && restore == 0; key++)
        if (version[key] != 1) {
            restore = update_row(st, key, 1, re);
            if (restore == 0)
                version[key] = 1;
        }
    if (restore == 0)
        restore = st->b->commit(st->c, re);
    else
        st->b->rollback(st->c);
    return rc < 0 ? -1 : restore;
}

int wb_cache_study(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows,
                   const wb_cache_study_options *o, wb_cache_study_result *out, wb_error *e)
{
    wb_cache_study_options defaults;
    if (!o) {
        wb_cache_study_options_default(&defaults);
        o = &defaults;
    }
    if (rows < 1)
        return wb_fail(e, "cache study: needs at least 1 row, got %lld", (long long)rows);
    if (o->lookups < 1)
        return wb_fail(e, "cache study: lookups must be at least 1, got %lld", (long long)o->lookups);
    if (!(o->update_share > 0 && o->update_share <= 1))
        return wb_fail(e, "cache study: update share must be in (0, 1], got %g", o->update_share);
    if (o->capacity < 0)
        return wb_fail(e, "cache study: cache capacity must be at least 1, got %lld", (long long)o->capacity);
    if (w->ntables < 1)
        return wb_fail(e, "cache study: workload %s has no table", w->name);

    wb_zipf z;
    if (wb_zipf_init(&z, rows, o->zipf_s, o->seed, e) < 0)
        return -1;
    memset(out, 0, sizeof *out);
    out->table = w->tables[0].name;
    out->rows = rows;
    out->zipf_s = o->zipf_s;
    out->seed = o->seed;
    out->capacity = o->capacity ? o->capacity : (rows / 10 > 1 ? rows / 10 : 1);
    int64_t n = o->lookups;
    int64_t update_lookups = o->update_lookups > 0 ? o->update_lookups : n;
    int64_t updates = (int64_t)ceil(o->update_share * (double)rows);
    if (updates > rows)
        updates = rows;

    int64_t *keys = wb_xcalloc((size_t)n, sizeof *keys);
    int64_t *ns = wb_xcalloc((size_t)n, sizeof *ns);
    uint8_t *seen = wb_xcalloc((size_t)rows + 1, 1); /* distinct keys, then each key's version */
    for (int64_t i = 0; i < n; i++) {
        keys[i] = wb_zipf_next(&z);
        out->distinct_keys += !seen[keys[i]];
        seen[keys[i]] = 1;
    }
    memset(seen, 1, (size_t)rows + 1);
    uint8_t *version = seen;

    out->ncurve = wb_cache_capacity_curve(keys, n, out->distinct_keys, out->capacity, out->curve);
    if (out->ncurve < 0) {
        free(keys);
        free(ns);
        free(seen);
        return wb_fail(e, "cache study: out of memory replaying the lookups");
    }

    study st;
    int rc = study_open(&st, b, c, &w->tables[0], e);
    for (int path = 0; path < WB_CACHE_PATHS && rc == 0; path++)
        rc = read_phase(&st, path, keys, n, out->capacity, ns, &out->paths[path], e);
    for (int path = 0; path < WB_CACHE_PATHS && rc == 0; path++)
        out->paths[path].speedup = out->paths[path].mean_us > 0
                                       ? out->paths[WB_CACHE_PATH_PLAIN].mean_us / out->paths[path].mean_us
                                       : 0;
    for (int invalidate = 0; invalidate <= 1 && rc == 0; invalidate++)
        rc = update_pass(&st, invalidate, keys, n, out->capacity, updates, update_lookups, o, rows, version,
                         &out->stale[invalidate], e);
    study_close(&st);
    free(keys);
    free(ns);
    free(version);
    return rc;
}
