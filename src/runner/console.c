/* Terminal output of a run (see console.h). Results go to stdout; progress to
 * stderr. External programs carry their language in brackets: "orm_merge [python]". */
#include "runner/console.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/format.h"

void wb_console_init(wb_console *c)
{
    memset(c, 0, sizeof *c);
    c->progress_enabled = isatty(STDERR_FILENO);
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

/* The test column: 28 wide, or wider for long names, so every line stays aligned. */
static int test_width(const wb_console *c)
{
    return c->test_width > 28 ? c->test_width : 28;
}

void wb_console_titles(const wb_console *c)
{
    printf("  %-*s %12s", test_width(c), "test", "rows");
    if (c->scan)
        printf(" %6s %7s", "batch", "threads");
    printf(" %10s %13s %8s %10s  %s\n", "seconds", "rows/s", "% of ref", "peak RSS", "result");
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

/* "87.5%" of the server-generate limit, or "-" when unknown. */
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
    char rows[40], rate[32], share[16], rss[24], seconds[24];
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
    wb_format_kib(rss, sizeof rss, r->peak_rss_kb);
    const char *verdict = r->status == WB_STATUS_OK ? "verified" : wb_status_name(r->status);
    char test[sizeof r->test + sizeof r->language + 3];
    name_with_language(test, sizeof test, r->test, r);
    printf("  %-*s %12s", test_width(c), test, rows);
    if (c->scan) {
        char batch[24];
        if (r->batch >= 0)
            wb_format_count(batch, sizeof batch, r->batch);
        else
            snprintf(batch, sizeof batch, "-");
        printf(" %6s %7lld", batch, (long long)r->threads);
    }
    printf(" %10s %13s %8s %10s  %s", seconds, rate, share, rss, verdict);
    if (r->lock_waits > 0)
        printf(" (%lld lock waits, %.3f s)", (long long)r->lock_waits, r->lock_wait_s);
    /* Errors of crashes, timeouts and skips already start with their status word. */
    if (r->status != WB_STATUS_OK)
        printf(": %s", strncmp(r->error, verdict, strlen(verdict)) == 0 && r->error[strlen(verdict)] == ':'
                           ? r->error + strlen(verdict) + 2
                           : r->error);
    printf("\n");
    fflush(stdout);
}

static int by_rate_desc(const void *a, const void *b)
{
    const wb_result *x = *(const wb_result *const *)a, *y = *(const wb_result *const *)b;
    double rx = x->status == WB_STATUS_OK ? x->rows_per_s : -1, ry = y->status == WB_STATUS_OK ? y->rows_per_s : -1;
    return rx < ry ? 1 : rx > ry ? -1 : 0;
}

void wb_console_summary(const wb_result *results, int n)
{
    static const char *const phases[] = {"insert", "update"};
    const wb_result **sorted = malloc(sizeof *sorted * (size_t)(n ? n : 1));
    if (!sorted)
        return;
    for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++) {
        int count = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(results[i].phase, phases[p]) == 0)
                sorted[count++] = &results[i];
        if (!count)
            continue;
        qsort(sorted, (size_t)count, sizeof *sorted, by_rate_desc);
        int width = 22; /* the strategy column: wide enough for the longest name shown */
        for (int i = 0; i < count; i++) {
            char shown[sizeof sorted[i]->strategy + sizeof sorted[i]->language + 3];
            name_with_language(shown, sizeof shown, sorted[i]->strategy, sorted[i]);
            if ((int)strlen(shown) > width)
                width = (int)strlen(shown);
        }
        printf("\n%s pass, fastest first:\n", phases[p]);
        printf("  %4s  %-*s %12s %6s %7s %13s %8s %10s %9s  %s\n", "rank", width, "strategy", "rows", "batch", "threads",
               "rows/s", "% of ref", "peak RSS", "commits", "result");
        for (int i = 0; i < count; i++) {
            const wb_result *r = sorted[i];
            char rows[40], rate[32], share[16], rss[24], commits[32];
            wb_format_count(rows, sizeof rows - 7, r->rows);
            if (r->slow)
                strcat(rows, " slow");
            if (r->status == WB_STATUS_OK && !isnan(r->rows_per_s))
                wb_format_count(rate, sizeof rate, (int64_t)llround(r->rows_per_s));
            else
                snprintf(rate, sizeof rate, "-");
            format_share(share, sizeof share, r->server_share);
            wb_format_kib(rss, sizeof rss, r->peak_rss_kb);
            if (r->commits >= 0)
                wb_format_count(commits, sizeof commits, r->commits);
            else
                snprintf(commits, sizeof commits, "-");
            char batch[24];
            if (r->batch >= 0)
                wb_format_count(batch, sizeof batch, r->batch);
            else
                snprintf(batch, sizeof batch, "-"); /* the strategy does not batch */
            char strategy[sizeof r->strategy + sizeof r->language + 3];
            name_with_language(strategy, sizeof strategy, r->strategy, r);
            printf("  %4d  %-*s %12s %6s %7lld %13s %8s %10s %9s  %s", i + 1, width, strategy, rows, batch,
                   (long long)r->threads, rate, share, rss, commits,
                   r->status == WB_STATUS_OK ? "verified" : wb_status_name(r->status));
            if (r->repeat > 1)
                printf(" (repeat %lld)", (long long)r->repeat);
            printf("\n");
        }
    }
    free(sorted);
    fflush(stdout);
}
