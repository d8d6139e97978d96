/* Statement timing (--echo): the echoed lines, the per-statement table and its
 * summary (see echo.h). */
#include "backends/echo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Write the buffered lines out once they reach this size or this age: one write()
 * per ~400 statements instead of one per statement. */
#define FLUSH_BYTES (64 * 1024)
#define FLUSH_AGE_NS 100000000LL
/* The buffer's one allocation, made at enable: room for FLUSH_BYTES and the longest
 * line (an elided SQL text, WB_ECHO_LINE_MAX, plus as much again of parameters), so
 * that it never grows during a test.
 * Growing it mid-test (64 KiB -> 128 KiB) freed its old block into the heap, where
 * SQLite's many small allocations per statement then split and merged it: callgrind
 * counted ~350 more instructions per statement in malloc than without --echo. */
#define PENDING_BYTES (FLUSH_BYTES + 4 * WB_ECHO_LINE_MAX + 4096)
/* The age is read from the clock only every AGE_CHECK_EVERY statements, or after a
 * statement that took AGE_CHECK_SLOW_NS or more: a clock read costs ~30 ns here,
 * about a tenth of what echoing a statement costs, and a line still waits at most
 * 16 fast statements more than FLUSH_AGE_NS. */
#define AGE_CHECK_EVERY 16
#define AGE_CHECK_SLOW_NS 1000000LL
/* Open-addressing table: twice the distinct statements, a power of two. */
#define TABLE_SIZE 1024
/* The summary shows this many characters of a statement's text. */
#define SUMMARY_SQL_MAX 100

typedef struct echo_stmt {
    char *key; /* NULL: empty slot */
    uint64_t hash;
    int64_t count;
    int64_t total_ns;
    int64_t max_ns;
    int64_t nsamples;
    int64_t *samples; /* WB_ECHO_RESERVOIR durations */
    char *key_elided; /* the key as echoed, made once */
    size_t key_elided_len;
} echo_stmt;

bool wb_echo_active;

static pthread_mutex_t echo_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *echo_sink;
static wb_buf pending = WB_BUF_INIT;
static int64_t last_flush_ns;
static unsigned records_since_age_check;
static echo_stmt table[TABLE_SIZE];
static echo_stmt other; /* statements beyond WB_ECHO_MAX_DISTINCT */
static int distinct;
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static bool exit_flush_registered;
static echo_stmt *last_found; /* the entry found last: statements come in runs */

static echo_stmt *lookup_locked(const char *key);

/* wb_clock_ns's clock (CLOCK_MONOTONIC) read here, without the call into another
 * file: the slots read it twice per statement. */
static inline int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static FILE *sink(void)
{
    return echo_sink ? echo_sink : stderr;
}

/* xorshift64: the reservoir's random slot; quality matters little, speed does. */
static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void flush_locked(void)
{
    if (pending.len) {
        fwrite(pending.data, 1, pending.len, sink());
        fflush(sink());
        wb_buf_reset(&pending);
    }
    last_flush_ns = now_ns();
}

static void flush_at_exit(void)
{
    wb_echo_flush();
}

void wb_echo_enable(void)
{
    pthread_mutex_lock(&echo_lock);
    wb_echo_active = true;
    wb_buf_reserve(&pending, PENDING_BYTES);
    if (!exit_flush_registered) {
        atexit(flush_at_exit);
        exit_flush_registered = true;
    }
    pthread_mutex_unlock(&echo_lock);
}

void wb_echo_set_sink(FILE *s)
{
    pthread_mutex_lock(&echo_lock);
    flush_locked();
    echo_sink = s;
    pthread_mutex_unlock(&echo_lock);
}

static void stmt_clear(echo_stmt *st)
{
    free(st->key);
    free(st->samples);
    free(st->key_elided);
    memset(st, 0, sizeof *st);
}

static void forget_locked(void)
{
    for (int i = 0; i < TABLE_SIZE; i++)
        stmt_clear(&table[i]);
    stmt_clear(&other);
    distinct = 0;
    last_found = NULL;
}

void wb_echo_disable(void)
{
    pthread_mutex_lock(&echo_lock);
    flush_locked();
    forget_locked();
    wb_buf_free(&pending);
    wb_echo_active = false;
    pthread_mutex_unlock(&echo_lock);
}

void wb_echo_forget(void)
{
    pthread_mutex_lock(&echo_lock);
    wb_buf_reset(&pending);
    forget_locked();
    pthread_mutex_unlock(&echo_lock);
}

void wb_echo_flush(void)
{
    pthread_mutex_lock(&echo_lock);
    flush_locked();
    pthread_mutex_unlock(&echo_lock);
}

/* The table's entry for key, created when new; `other` once the table is full. */
static echo_stmt *find_locked(const char *key)
{
    /* Statements come in runs of the same one: try the last entry first. */
    if (last_found && last_found->key && strcmp(last_found->key, key) == 0)
        return last_found;
    last_found = lookup_locked(key);
    return last_found;
}

static echo_stmt *lookup_locked(const char *key)
{
    uint64_t h = hash_text(key);
    for (size_t i = (size_t)h & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
        echo_stmt *st = &table[i];
        if (!st->key) {
            if (distinct >= WB_ECHO_MAX_DISTINCT)
                break;
            st->key = wb_xstrdup(key);
            st->hash = h;
            distinct++;
            return st;
        }
        if (st->hash == h && strcmp(st->key, key) == 0)
            return st;
    }
    if (!other.key)
        other.key = wb_xstrdup("(other statements)");
    return &other;
}

static void add_sample(echo_stmt *st, int64_t ns)
{
    st->count++;
    st->total_ns += ns;
    if (ns > st->max_ns)
        st->max_ns = ns;
    if (!st->samples)
        st->samples = wb_xcalloc(WB_ECHO_RESERVOIR, sizeof *st->samples);
    if (st->nsamples < WB_ECHO_RESERVOIR) {
        st->samples[st->nsamples++] = ns;
        return;
    }
    /* Algorithm R: the kept durations stay a uniform sample of all of them. */
    uint64_t slot = next_random() % (uint64_t)st->count;
    if (slot < WB_ECHO_RESERVOIR)
        st->samples[slot] = ns;
}

/* Append n bytes with line breaks as spaces: one statement, one line. */
static void put_clean(wb_buf *out, const char *p, size_t n)
{
    size_t at = out->len;
    wb_buf_append(out, p, n);
    if (!memchr(p, '\n', n) && !memchr(p, '\r', n))
        return; /* the usual case: two vectorised scans, no loop */
    for (size_t i = at; i < out->len; i++)
        if (out->data[i] == '\n' || out->data[i] == '\r')
            out->data[i] = ' ';
}

void wb_echo_elide(const char *sql, wb_buf *out)
{
    size_t start = out->len;
    const char *p = sql;
    while (*p) {
        size_t used = out->len - start;
        if (used >= WB_ECHO_LINE_MAX) {
            wb_buf_printf(out, "... (%zu more characters)", strlen(p));
            return;
        }
        /* Copy up to the next literal in one go (cut at the line's limit). */
        const char *quote = strchr(p, '\'');
        size_t run = quote ? (size_t)(quote - p) : strlen(p);
        if (run > WB_ECHO_LINE_MAX - used)
            run = WB_ECHO_LINE_MAX - used;
        put_clean(out, p, run);
        p += run;
        if (*p != '\'')
            continue;
        /* A quoted literal: find its end ('' is an escaped quote inside it). */
        const char *end = p + 1;
        while (*end && !(end[0] == '\'' && end[1] != '\''))
            end += end[0] == '\'' ? 2 : 1;
        size_t inner = (size_t)(end - p - 1);
        if (inner > WB_ECHO_LITERAL_MAX) {
            put_clean(out, p, 1 + WB_ECHO_LITERAL_MAX / 2);
            wb_buf_printf(out, "...' (%zu characters)", inner);
        } else {
            put_clean(out, p, inner + (*end ? 2 : 1));
        }
        if (!*end)
            return;
        p = end + 1;
    }
}

/* The start of every echoed line: "[echo] ", the duration right-aligned in 10
 * characters, " ms  ". */
#define LINE_HEAD "[echo] "
#define LINE_TAIL " ms  "
#define LINE_START_MAX (sizeof LINE_HEAD + 24 + sizeof LINE_TAIL)

/* Write the start of a line for a statement that took ns at out; returns its length.
 * "%10.3f" by hand, right to left: printf's floating point costs more than all the
 * rest of the line. */
static size_t format_line_start(char *out, int64_t ns)
{
    char text[LINE_START_MAX];
    char *end = text + sizeof text, *p = end - (sizeof LINE_TAIL - 1);
    memcpy(p, LINE_TAIL, sizeof LINE_TAIL - 1);
    char *digits_end = p;
    int64_t us = ns < 0 ? 0 : ns / 1000;
    for (int i = 0; i < 3; i++, us /= 10)
        *--p = (char)('0' + us % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + us % 10);
        us /= 10;
    } while (us > 0);
    while (digits_end - p < 10)
        *--p = ' ';
    p -= sizeof LINE_HEAD - 1;
    memcpy(p, LINE_HEAD, sizeof LINE_HEAD - 1);
    memcpy(out, p, (size_t)(end - p));
    return (size_t)(end - p);
}

/* Append the start of a line for a statement that took ns. */
static void append_duration(int64_t ns)
{
    wb_buf_reserve(&pending, LINE_START_MAX);
    pending.len += format_line_start(pending.data + pending.len, ns);
    pending.data[pending.len] = '\0';
}

/* Append one echoed line for a statement that took ns. */
static void append_line(const char *text, int64_t ns)
{
    append_duration(ns);
    wb_echo_elide(text, &pending);
    wb_buf_putc(&pending, '\n');
}

/* Append the line of a statement shown as its key (then suffix): the key's echoed
 * form is the same every time, so it is elided once and kept (not for `other`,
 * whose statements differ). This is the line of almost every statement of a large
 * test, so it is written straight into the buffer (its room reserved at enable):
 * two copies (~170 instructions a line, where appending piece by piece cost ~430). */
static void append_key_line(echo_stmt *st, const char *key, const char *suffix, int64_t ns)
{
    if (st == &other) {
        append_line(key, ns);
        return;
    }
    if (!st->key_elided) {
        wb_buf text = WB_BUF_INIT;
        wb_echo_elide(key, &text);
        wb_buf_puts(&text, suffix);
        st->key_elided_len = text.len;
        st->key_elided = wb_xstrdup(wb_buf_str(&text));
        wb_buf_free(&text);
    }
    size_t need = LINE_START_MAX + st->key_elided_len + 2;
    if (pending.len + need > pending.cap)
        wb_buf_reserve(&pending, need);
    char *out = pending.data + pending.len;
    size_t n = format_line_start(out, ns);
    memcpy(out + n, st->key_elided, st->key_elided_len);
    n += st->key_elided_len;
    out[n++] = '\n';
    out[n] = '\0';
    pending.len += n;
}

/* After a record: write the buffer out when it is full or, checked now and then
 * (see AGE_CHECK_EVERY), old. */
static void finish_record_locked(int64_t duration_ns)
{
    if (pending.len >= FLUSH_BYTES) {
        flush_locked();
        return;
    }
    if (++records_since_age_check < AGE_CHECK_EVERY && duration_ns < AGE_CHECK_SLOW_NS)
        return;
    records_since_age_check = 0;
    int64_t now = now_ns();
    if (now - last_flush_ns >= FLUSH_AGE_NS)
        flush_locked();
}

void wb_echo_record(const char *key, const char *shown, int64_t duration_ns)
{
    if (!wb_echo_active || !key)
        return;
    pthread_mutex_lock(&echo_lock);
    echo_stmt *st = find_locked(key);
    if (shown)
        append_line(shown, duration_ns);
    else
        append_key_line(st, key, "", duration_ns);
    add_sample(st, duration_ns);
    finish_record_locked(duration_ns);
    pthread_mutex_unlock(&echo_lock);
}

void wb_echo_record_expanded(const char *key, char *(*expand)(void *arg), void (*release)(char *text),
                             void *arg, int64_t duration_ns)
{
    if (!wb_echo_active || !key)
        return;
    pthread_mutex_lock(&echo_lock);
    echo_stmt *st = find_locked(key);
    char *shown = st->count < WB_ECHO_VALUES_SHOWN ? expand(arg) : NULL;
    if (shown) {
        append_line(shown, duration_ns);
        release(shown);
    } else {
        append_key_line(st, key, "  -- values shown for the first " WB_ECHO_STR(WB_ECHO_VALUES_SHOWN) " runs",
                        duration_ns);
    }
    add_sample(st, duration_ns);
    finish_record_locked(duration_ns);
    pthread_mutex_unlock(&echo_lock);
}

void wb_echo_record_params(const char *sql, int nparams, const char *const *values,
                           int64_t duration_ns)
{
    if (!wb_echo_active || !sql)
        return;
    pthread_mutex_lock(&echo_lock);
    append_line(sql, duration_ns);
    if (nparams > 0) {
        pending.len--; /* the values go on the same line */
        pending.data[pending.len] = '\0';
        wb_buf_puts(&pending, "  -- ");
        size_t start = pending.len;
        for (int i = 0; i < nparams; i++) {
            if (pending.len - start >= WB_ECHO_LINE_MAX) {
                wb_buf_printf(&pending, "... (%d more parameters)", nparams - i);
                break;
            }
            wb_buf_printf(&pending, "%s$%d=", i ? ", " : "", i + 1);
            const char *v = values ? values[i] : NULL;
            if (!v) {
                wb_buf_puts(&pending, "NULL");
                continue;
            }
            size_t n = strlen(v);
            wb_buf_putc(&pending, '\'');
            put_clean(&pending, v, n > WB_ECHO_LITERAL_MAX ? WB_ECHO_LITERAL_MAX / 2 : n);
            if (n > WB_ECHO_LITERAL_MAX)
                wb_buf_printf(&pending, "...' (%zu characters)", n);
            else
                wb_buf_putc(&pending, '\'');
        }
        wb_buf_putc(&pending, '\n');
    }
    add_sample(find_locked(sql), duration_ns);
    finish_record_locked(duration_ns);
    pthread_mutex_unlock(&echo_lock);
}

static int compare_ns(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The 95th percentile of the kept durations (nearest rank). */
static int64_t p95_of(echo_stmt *st)
{
    if (st->nsamples == 0)
        return 0;
    qsort(st->samples, (size_t)st->nsamples, sizeof *st->samples, compare_ns);
    int64_t rank = (st->nsamples * 95 + 99) / 100;
    return st->samples[rank - 1];
}

static void summary_row(FILE *f, echo_stmt *st)
{
    wb_buf text = WB_BUF_INIT;
    wb_echo_elide(st->key, &text);
    if (text.len > SUMMARY_SQL_MAX) {
        text.len = SUMMARY_SQL_MAX;
        text.data[text.len] = '\0';
        wb_buf_puts(&text, "...");
    }
    fprintf(f, "[echo] %9lld %12.3f %10.3f %10.3f %10.3f  %s\n", (long long)st->count,
            (double)st->total_ns / 1e6, (double)st->total_ns / 1e6 / (double)st->count,
            (double)p95_of(st) / 1e6, (double)st->max_ns / 1e6, wb_buf_str(&text));
    wb_buf_free(&text);
}

static int compare_total_desc(const void *a, const void *b)
{
    const echo_stmt *x = *(echo_stmt *const *)a, *y = *(echo_stmt *const *)b;
    return (x->total_ns < y->total_ns) - (x->total_ns > y->total_ns);
}

void wb_echo_summary(const char *title)
{
    if (!wb_echo_active)
        return;
    pthread_mutex_lock(&echo_lock);
    flush_locked();
    echo_stmt *rows[TABLE_SIZE + 1];
    int nrows = 0;
    int64_t statements = 0, total_ns = 0;
    for (int i = 0; i < TABLE_SIZE; i++)
        if (table[i].key)
            rows[nrows++] = &table[i];
    if (other.key)
        rows[nrows++] = &other;
    for (int i = 0; i < nrows; i++) {
        statements += rows[i]->count;
        total_ns += rows[i]->total_ns;
    }
    qsort(rows, (size_t)nrows, sizeof *rows, compare_total_desc);
    FILE *f = sink();
    fprintf(f, "[echo] summary of %s: %lld statements, %d distinct, %.3f ms in all\n",
            title ? title : "statements", (long long)statements, nrows, (double)total_ns / 1e6);
    fprintf(f, "[echo] %9s %12s %10s %10s %10s  %s\n", "count", "total_ms", "mean_ms", "p95_ms",
            "max_ms", "statement");
    for (int i = 0; i < nrows; i++)
        summary_row(f, rows[i]);
    fflush(f);
    forget_locked();
    pthread_mutex_unlock(&echo_lock);
}

int64_t wb_echo_count(const char *key)
{
    int64_t n = 0;
    pthread_mutex_lock(&echo_lock);
    for (int i = 0; i < TABLE_SIZE; i++)
        if (table[i].key && (!key || strcmp(table[i].key, key) == 0))
            n += table[i].count;
    if (!key)
        n += other.count;
    pthread_mutex_unlock(&echo_lock);
    return n;
}

int wb_echo_distinct(void)
{
    pthread_mutex_lock(&echo_lock);
    int n = distinct;
    pthread_mutex_unlock(&echo_lock);
    return n;
}

void wb_echo_slot_start(wb_echo_slots *s, const void *stmt)
{
    int free_slot = -1;
    for (int i = 0; i < WB_ECHO_SLOTS; i++) {
        if (s->stmt[i] == stmt) {
            free_slot = i;
            break;
        }
        if (!s->stmt[i] && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return; /* nested deeper than the slots: SQLite's own duration is used */
    s->stmt[free_slot] = stmt;
    s->start_ns[free_slot] = now_ns();
}

int64_t wb_echo_slot_end(wb_echo_slots *s, const void *stmt, int64_t fallback_ns)
{
    for (int i = 0; i < WB_ECHO_SLOTS; i++) {
        if (s->stmt[i] == stmt) {
            s->stmt[i] = NULL;
            return now_ns() - s->start_ns[i];
        }
    }
    return fallback_ns;
}
