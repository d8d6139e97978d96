/* Terminal output of a run (see console.h). Results go to stdout; progress to
 * stderr. External programs carry their language in brackets: "orm_merge [python]".
 * Both tables fit the terminal's width (util/term.h): each column has an
 * importance in its table below, the least important go first, and one line
 * under the titles (the per-test lines, which stream) or under the ranking says
 * which were left out. */
#include "runner/console.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/format.h"
#include "util/term.h"

void wb_console_init(wb_console *c)
{
    memset(c, 0, sizeof *c);
    c->progress_enabled = isatty(STDERR_FILENO);
    c->width = wb_term_width();
}

void wb_console_progress(void *arg, int64_t rows_done, double elapsed_s)
{
    wb_console *c = arg;
    if (!c->progress_enabled)
        return;
    char done[32], total[32], rate[32];
    wb_format_count(done, sizeof done, rows_done);
    wb_format_count(total, sizeof total, c->total_rows);
    wb_format_count(rate, sizeof rate, elapsed_s > 0 ? (int64_t)((double)rows_done / elapsed_s) : 0);
    fprintf(stderr, "\r\033[K  %s: %s / %s rows, %s rows/s, %.1f s", c->test ? c->test : "", done, total,
            rate, elapsed_s);
    fflush(stderr);
    c->progress_shown = 1;
}

void wb_console_clear(wb_console *c)
{
    if (c->progress_shown) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        c->progress_shown = 0;
    }
}

/* A column of the console's tables: its title, its width (the widest cell), the
 * spaces before it (the first column's indent included), whether it is
 * left-aligned, and its importance: when the terminal is too narrow the least
 * important columns are left out first (WB_IMPORTANCE_ALWAYS: never). */
typedef struct console_column {
    const char *title;
    int width;
    int sep;
    int left;
    int importance;
} console_column;

/* Print one line of cells[0..n) in the columns kept; a last left-aligned cell is
 * not padded. */
static void print_cells(const console_column *cols, const int *keep, int n, const char *const *cells)
{
    int last = n - 1;
    while (last > 0 && !keep[last])
        last--;
    for (int i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        printf("%*s", cols[i].sep, "");
        if (cols[i].left && i == last)
            printf("%s", cells[i]);
        else if (cols[i].left)
            printf("%-*s", cols[i].width, cells[i]);
        else
            printf("%*s", cols[i].width, cells[i]);
    }
}

/* Decide which of cols[0..n) to keep in width; absent[i] columns are not shown
 * at all. Prints the note saying which were left out when print_note. */
static void fit(const console_column *cols, int n, const int *absent, int width, int *keep, int print_note)
{
    int widths[16], seps[16], importance[16], dropped[16];
    const char *names[16];
    for (int i = 0; i < n; i++) {
        widths[i] = cols[i].width;
        seps[i] = cols[i].sep;
        importance[i] = cols[i].importance;
        names[i] = cols[i].title;
        keep[i] = !absent[i];
    }
    wb_fit_columns(widths, seps, importance, n, width, keep);
    if (!print_note)
        return;
    for (int i = 0; i < n; i++)
        dropped[i] = !absent[i] && !keep[i];
    wb_buf note = WB_BUF_INIT;
    wb_fit_note(&note, 2, width, names, dropped, n);
    fputs(wb_buf_str(&note), stdout);
    wb_buf_free(&note);
}

/* The per-test lines' columns. */
enum { T_TEST, T_ROWS, T_BATCH, T_THREADS, T_SECONDS, T_RATE, T_SHARE, T_CLIENT, T_RSS, T_RESULT, T_N };

static const console_column test_columns[T_N] = {
    [T_TEST] = {"test", 28, 2, 1, WB_IMPORTANCE_ALWAYS},
    [T_ROWS] = {"rows", 12, 1, 0, 8},
    [T_BATCH] = {"batch", 6, 1, 0, 8}, /* shown in a scan only, where they tell the lines apart */
    [T_THREADS] = {"threads", 7, 1, 0, 8},
    [T_SECONDS] = {"seconds", 10, 1, 0, 7},
    [T_RATE] = {"rows/s", 13, 1, 0, 9},
    [T_SHARE] = {"% of ref", 8, 1, 0, 5},
    [T_CLIENT] = {"client", 7, 1, 0, 3},
    [T_RSS] = {"peak RSS", 10, 1, 0, 6},
    [T_RESULT] = {"result", 9, 2, 1, WB_IMPORTANCE_ALWAYS}, /* "generated", the longest word */
};

/* The per-test columns of this run and which fit: the test column is 28 wide,
 * or wider for long names, so every line stays aligned; batch and threads only
 * in a scan. */
static void test_layout(const wb_console *c, console_column *cols, int *keep, int print_note)
{
    memcpy(cols, test_columns, sizeof test_columns);
    if (c->test_width > cols[T_TEST].width)
        cols[T_TEST].width = c->test_width;
    int absent[T_N] = {0};
    absent[T_BATCH] = absent[T_THREADS] = !c->scan;
    fit(cols, T_N, absent, c->width > 0 ? c->width : WB_TERM_DEFAULT_WIDTH, keep, print_note);
}

void wb_console_titles(const wb_console *c)
{
    console_column cols[T_N];
    int keep[T_N];
    const char *titles[T_N];
    for (int i = 0; i < T_N; i++)
        titles[i] = test_columns[i].title;
    test_layout(c, cols, keep, 0);
    print_cells(cols, keep, T_N, titles);
    printf("\n");
    test_layout(c, cols, keep, 1); /* the lines stream: the note goes under the titles */
}

/* name, with " [python]" after it for an external program, so C and other
 * languages can be told apart in one table. */
static void name_with_language(char *out, size_t n, const char *name, const wb_result *r)
{
    if (r->external)
        snprintf(out, n, "%s [%s]", name, wb_result_language(r));
    else
        snprintf(out, n, "%s", name);
}

/* What an OK test's line says, by how it was checked: every value, counts and
 * keys only (--verify count), or nothing written (generate-only). */
static const char *ok_verdict(const wb_result *r)
{
    if (strcmp(r->verify, "count") == 0)
        return "counted";
    if (strcmp(r->verify, "none") == 0)
        return "generated";
    return "verified";
}

/* The word for a result: its check's verdict when OK, else its status. */
static const char *verdict_of(const wb_result *r)
{
    return r->status == WB_STATUS_OK ? ok_verdict(r) : wb_status_name(r->status);
}

/* "87.5%" of the server-generate reference, or "-" when unknown. */
static void format_share(char *out, size_t n, double share)
{
    if (isnan(share))
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%.1f%%", share * 100.0);
}

void wb_console_result(wb_console *c, const wb_result *r)
{
    wb_console_clear(c);
    char rows[40], rate[32], share[16], client[16], rss[24], seconds[24];
    wb_format_count(rows, sizeof rows - 7, r->rows);
    if (r->slow)
        strcat(rows, " slow"); /* ran at --slow-rows: the figure is for this N, not extrapolated */
    if (isnan(r->rows_per_s) || r->status != WB_STATUS_OK) /* a rate of rows not written is no rate */
        snprintf(rate, sizeof rate, "-");
    else
        wb_format_count(rate, sizeof rate, (int64_t)llround(r->rows_per_s));
    if (isnan(r->duration_s))
        snprintf(seconds, sizeof seconds, "-");
    else
        snprintf(seconds, sizeof seconds, "%.3f", r->duration_s);
    format_share(share, sizeof share, r->server_share);
    format_share(client, sizeof client, r->client_share);
    wb_format_kib(rss, sizeof rss, r->peak_rss_kb);
    const char *verdict = verdict_of(r);
    char test[sizeof r->test + sizeof r->language + 3];
    name_with_language(test, sizeof test, r->test, r);
    char batch[24] = "-", threads[24];
    if (r->batch >= 0)
        wb_format_count(batch, sizeof batch, r->batch);
    snprintf(threads, sizeof threads, "%lld", (long long)r->threads);
    const char *cells[T_N] = {
        [T_TEST] = test,      [T_ROWS] = rows,    [T_BATCH] = batch,   [T_THREADS] = threads, [T_SECONDS] = seconds,
        [T_RATE] = rate,      [T_SHARE] = share,  [T_CLIENT] = client, [T_RSS] = rss,         [T_RESULT] = verdict,
    };
    console_column cols[T_N];
    int keep[T_N];
    test_layout(c, cols, keep, 0);
    print_cells(cols, keep, T_N, cells);
    if (r->lock_waits > 0)
        printf(" (%lld lock waits, %.3f s)", (long long)r->lock_waits, r->lock_wait_s);
    if (r->transaction_retries > 0)
        printf(" (%lld transaction%s retried after a deadlock or a lock wait timeout)", (long long)r->transaction_retries,
               r->transaction_retries == 1 ? "" : "s");
    /* An external program's cache, as it reported it: a fast cache may be a wrong one. */
    if (r->cache_lookups >= 0 && r->stale_reads >= 0) {
        char stale[32], lookups[32];
        wb_format_count(stale, sizeof stale, r->stale_reads);
        wb_format_count(lookups, sizeof lookups, r->cache_lookups);
        printf(" (stale reads %s of %s cached lookups)", stale, lookups);
    }
    /* The tail of the batches' latencies, where there were batches enough to have one. */
    if (r->status == WB_STATUS_OK && r->batches > 1)
        printf(" (batch p99 %.3g ms, max %.3g ms)", r->batch_p99_ms, r->batch_max_ms);
    /* Errors of crashes, timeouts and skips already start with their status word. */
    if (r->status != WB_STATUS_OK)
        printf(": %s", wb_result_error_detail(r));
    if (c->settings_scan && r->settings[0])
        printf("  [%s]", r->settings);
    printf("\n");
    fflush(stdout);
}

static int by_rate_desc(const void *a, const void *b)
{
    const wb_result *x = *(const wb_result *const *)a, *y = *(const wb_result *const *)b;
    double rx = x->status == WB_STATUS_OK ? x->rows_per_s : -1, ry = y->status == WB_STATUS_OK ? y->rows_per_s : -1;
    return rx < ry ? 1 : rx > ry ? -1 : 0;
}

/* One ranking: the tests of one phase, row count, batch and threads setting and
 * check. A test that ignores --batch (batch -1) or --threads belongs to every
 * batch or threads group of its row count: the setting it ignores changes
 * nothing about it. */
typedef struct ranking_group {
    const char *phase;
    int64_t rows, batch, threads; /* batch -1: no test of the group batches */
    const char *verify;
    const char *settings;         /* the session settings: tests under others are other tests */
} ranking_group;

static int in_group(const wb_result *r, const ranking_group *g)
{
    /* generate-only writes nothing: it is every group's client floor, whatever the check */
    return strcmp(r->phase, g->phase) == 0 && r->rows == g->rows &&
           (strcmp(r->verify, g->verify) == 0 || strcmp(r->verify, "none") == 0) &&
           (r->batch < 0 || r->batch == g->batch) && (r->threads_ignored || r->threads == g->threads) &&
           strcmp(r->settings, g->settings) == 0;
}

/* Whether v is among values[0..n). */
static int seen_value(const int64_t *values, int n, int64_t v)
{
    for (int i = 0; i < n; i++)
        if (values[i] == v)
            return 1;
    return 0;
}

/* The distinct values of one setting among the results of a phase, row count and
 * check, first seen first; (-1) alone when none of them uses it. */
static int distinct_settings(const wb_result *results, int n, const char *phase, int64_t rows, const char *verify,
                             int batch, int64_t *out)
{
    int count = 0;
    for (int i = 0; i < n; i++) {
        const wb_result *r = &results[i];
        if (strcmp(r->phase, phase) != 0 || r->rows != rows ||
            (strcmp(r->verify, verify) != 0 && strcmp(r->verify, "none") != 0))
            continue;
        int64_t v = batch ? r->batch : (r->threads_ignored ? -1 : r->threads);
        if (v >= 0 && !seen_value(out, count, v))
            out[count++] = v;
    }
    if (count == 0)
        out[count++] = batch ? -1 : 1;
    return count;
}

/* The rankings' columns: batch and threads matter little, the heading names them. */
enum { K_RANK, K_STRATEGY, K_ROWS, K_BATCH, K_THREADS, K_RATE, K_SHARE, K_CLIENT, K_RSS, K_COMMITS, K_RESULT, K_N };

static const console_column ranking_columns[K_N] = {
    [K_RANK] = {"rank", 4, 2, 0, WB_IMPORTANCE_ALWAYS},
    [K_STRATEGY] = {"strategy", 22, 2, 1, WB_IMPORTANCE_ALWAYS},
    [K_ROWS] = {"rows", 12, 1, 0, 8},
    [K_BATCH] = {"batch", 6, 1, 0, 2},
    [K_THREADS] = {"threads", 7, 1, 0, 2},
    [K_RATE] = {"rows/s", 13, 1, 0, 9},
    [K_SHARE] = {"% of ref", 8, 1, 0, 5},
    [K_CLIENT] = {"client", 7, 1, 0, 3},
    [K_RSS] = {"peak RSS", 10, 1, 0, 6},
    [K_COMMITS] = {"commits", 9, 1, 0, 4},
    [K_RESULT] = {"result", 9, 2, 1, WB_IMPORTANCE_ALWAYS},
};

/* Print one ranking of the tests of g, fastest first, fitted to width. */
static void print_ranking(const wb_result *results, int n, const ranking_group *g, const wb_result **sorted,
                          int width)
{
    int count = 0;
    const wb_result *floor = NULL; /* generate-only: shown under the ranking, not ranked */
    for (int i = 0; i < n; i++)
        if (in_group(&results[i], g)) {
            if (strcmp(results[i].verify, "none") == 0)
                floor = &results[i];
            else
                sorted[count++] = &results[i];
        }
    if (!count)
        return;
    qsort(sorted, (size_t)count, sizeof *sorted, by_rate_desc);
    console_column cols[K_N];
    memcpy(cols, ranking_columns, sizeof ranking_columns);
    for (int i = 0; i < count; i++) { /* the strategy column: wide enough for the longest name shown */
        char shown[sizeof sorted[i]->strategy + sizeof sorted[i]->language + 3];
        name_with_language(shown, sizeof shown, sorted[i]->strategy, sorted[i]);
        if ((int)strlen(shown) > cols[K_STRATEGY].width)
            cols[K_STRATEGY].width = (int)strlen(shown);
    }
    int keep[K_N], absent[K_N] = {0};
    fit(cols, K_N, absent, width, keep, 0);
    char rows[32], batch[32] = "", threads[32] = "";
    wb_format_count(rows, sizeof rows, g->rows);
    if (g->batch >= 0) {
        char b[24];
        wb_format_count(b, sizeof b, g->batch);
        snprintf(batch, sizeof batch, ", batch %s", b);
    }
    snprintf(threads, sizeof threads, ", %lld thread%s", (long long)g->threads, g->threads == 1 ? "" : "s");
    printf("\n%s pass, %s rows%s%s%s%s, %s, fastest first:\n", g->phase, rows, batch, threads,
           g->settings[0] ? ", " : "", g->settings, strcmp(g->verify, "count") == 0 ? "counted" : "verified");
    const char *titles[K_N];
    for (int i = 0; i < K_N; i++)
        titles[i] = cols[i].title;
    print_cells(cols, keep, K_N, titles);
    printf("\n");
    for (int i = 0; i < count; i++) {
        const wb_result *r = sorted[i];
        char rank[16], row_count[40], rate[32], share[16], client[16], rss[24], commits[32], test_threads[24];
        snprintf(rank, sizeof rank, "%d", i + 1);
        wb_format_count(row_count, sizeof row_count - 7, r->rows);
        if (r->slow)
            strcat(row_count, " slow");
        if (r->status == WB_STATUS_OK && !isnan(r->rows_per_s))
            wb_format_count(rate, sizeof rate, (int64_t)llround(r->rows_per_s));
        else
            snprintf(rate, sizeof rate, "-");
        format_share(share, sizeof share, r->server_share);
        format_share(client, sizeof client, r->client_share);
        wb_format_kib(rss, sizeof rss, r->peak_rss_kb);
        if (r->commits >= 0)
            wb_format_count(commits, sizeof commits, r->commits);
        else
            snprintf(commits, sizeof commits, "-");
        char test_batch[24];
        if (r->batch >= 0)
            wb_format_count(test_batch, sizeof test_batch, r->batch);
        else
            snprintf(test_batch, sizeof test_batch, "-"); /* the strategy does not batch */
        snprintf(test_threads, sizeof test_threads, "%lld", (long long)r->threads);
        char strategy[sizeof r->strategy + sizeof r->language + 3];
        name_with_language(strategy, sizeof strategy, r->strategy, r);
        const char *cells[K_N] = {
            [K_RANK] = rank,     [K_STRATEGY] = strategy, [K_ROWS] = row_count, [K_BATCH] = test_batch,
            [K_THREADS] = test_threads, [K_RATE] = rate,  [K_SHARE] = share,    [K_CLIENT] = client,
            [K_RSS] = rss,       [K_COMMITS] = commits,   [K_RESULT] = verdict_of(r),
        };
        print_cells(cols, keep, K_N, cells);
        if (r->repeat > 1)
            printf(" (repeat %lld)", (long long)r->repeat);
        printf("\n");
    }
    fit(cols, K_N, absent, width, keep, 1);
    if (floor && floor->status == WB_STATUS_OK && !isnan(floor->rows_per_s)) {
        char rate[32];
        wb_format_count(rate, sizeof rate, (int64_t)llround(floor->rows_per_s));
        printf("  client floor: generate-only makes and encodes %s rows/s and sends nothing; \"client\" is the "
               "share of a test's time it explains\n",
               rate);
    }
}

void wb_console_summary(const wb_result *results, int n)
{
    static const char *const phases[] = {"insert", "update"};
    int width = wb_term_width();
    const wb_result **sorted = malloc(sizeof *sorted * (size_t)(n ? n : 1));
    int64_t *batches = malloc(sizeof *batches * (size_t)(n + 1));
    int64_t *threads = malloc(sizeof *threads * (size_t)(n + 1));
    if (sorted && batches && threads) {
        /* groups in the order the run met them: phase, then row count and check as first seen */
        for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++) {
            for (int i = 0; i < n; i++) {
                const wb_result *r = &results[i];
                if (strcmp(r->phase, phases[p]) != 0 || strcmp(r->verify, "none") == 0)
                    continue;
                int first = 1; /* the first result of its (rows, verify) */
                for (int k = 0; k < i && first; k++)
                    first = !(strcmp(results[k].phase, phases[p]) == 0 && results[k].rows == r->rows &&
                              strcmp(results[k].verify, r->verify) == 0);
                if (!first)
                    continue;
                int nb = distinct_settings(results, n, phases[p], r->rows, r->verify, 1, batches);
                int nt = distinct_settings(results, n, phases[p], r->rows, r->verify, 0, threads);
                /* the session settings of these tests, first seen first */
                for (int s = 0; s < n; s++) {
                    const wb_result *q = &results[s];
                    int first_settings = strcmp(q->phase, phases[p]) == 0 && q->rows == r->rows &&
                                         strcmp(q->verify, r->verify) == 0;
                    for (int k = 0; k < s && first_settings; k++)
                        first_settings = !(strcmp(results[k].phase, phases[p]) == 0 && results[k].rows == r->rows &&
                                           strcmp(results[k].verify, r->verify) == 0 &&
                                           strcmp(results[k].settings, q->settings) == 0);
                    if (!first_settings)
                        continue;
                    for (int b = 0; b < nb; b++)
                        for (int t = 0; t < nt; t++) {
                            ranking_group g = {phases[p], r->rows, batches[b], threads[t], r->verify, q->settings};
                            print_ranking(results, n, &g, sorted, width);
                        }
                }
            }
        }
    }
    free(sorted);
    free(batches);
    free(threads);
    fflush(stdout);
}
