/* correlate: Pearson's correlation matrix of the numeric measures over the
 * successful tests (see correlate.h). */
#include "analysis/correlate.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/stats.h"
#include "util/term.h"
#include "util/buf.h"

/* How a measure is read from a result: a double member, or an int64 one whose -1
 * means unknown. */
typedef struct measure {
    const char *name;
    double (*get)(const wb_result *r);
} measure;

static double known(int64_t v)
{
    return v < 0 ? NAN : (double)v;
}

static double get_duration(const wb_result *r) { return r->duration_s; }
static double get_rows_per_s(const wb_result *r) { return r->rows_per_s; }
static double get_cpu_user(const wb_result *r) { return r->cpu_user_s; }
static double get_cpu_sys(const wb_result *r) { return r->cpu_sys_s; }
static double get_peak_rss(const wb_result *r) { return known(r->peak_rss_kb); }
static double get_server_rss(const wb_result *r) { return known(r->server_peak_rss_kb); }
static double get_wal(const wb_result *r) { return known(r->wal_bytes); }
static double get_commits(const wb_result *r) { return known(r->commits); }
static double get_batch(const wb_result *r) { return known(r->batch); }
static double get_threads(const wb_result *r) { return known(r->threads); }

/* The measures in matrix order: (name, how to read it, importance: what --format table
 * keeps longest when fitting the terminal's width). */
#define MEASURES(X)                             \
    X(duration_s, get_duration, 9)              \
    X(rows_per_s, get_rows_per_s, 9)            \
    X(cpu_user_s, get_cpu_user, 6)              \
    X(cpu_sys_s, get_cpu_sys, 5)                \
    X(peak_rss_kb, get_peak_rss, 8)             \
    X(server_peak_rss_kb, get_server_rss, 4)    \
    X(wal_bytes, get_wal, 7)                    \
    X(commits, get_commits, 6)                  \
    X(batch, get_batch, 3)                      \
    X(threads, get_threads, 3)

#define MEASURE_ENTRY(name, get, importance) {#name, get},
#define MEASURE_NAME(name, get, importance) #name,
#define MEASURE_COLUMN(name, get, importance) {#name, WB_COL_REAL, 3, importance},

static const measure measures[] = {MEASURES(MEASURE_ENTRY)};

#define NMEASURES ((int)(sizeof measures / sizeof *measures))

const char *const wb_correlate_measures[] = {MEASURES(MEASURE_NAME) NULL};

/* "measure" (the row's name), then one coefficient column per measure. */
static const wb_out_column columns[] = {{"measure", WB_COL_TEXT, 0, WB_IMPORTANCE_ALWAYS}, MEASURES(MEASURE_COLUMN)};

const int wb_correlate_nmeasures = NMEASURES;

wb_out_table *wb_correlate_table(const wb_result *rows, int n)
{
    /* One column of values per measure over the successful tests. */
    int ok = 0;
    for (int i = 0; i < n; i++)
        ok += rows[i].success != 0;
    double *values = wb_xmalloc((size_t)NMEASURES * (size_t)(ok ? ok : 1) * sizeof *values);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!rows[i].success)
            continue;
        for (int m = 0; m < NMEASURES; m++)
            values[(size_t)m * (size_t)ok + (size_t)k] = measures[m].get(&rows[i]);
        k++;
    }
    wb_out_table *t = wb_out_table_new(columns, NMEASURES + 1);
    for (int a = 0; a < NMEASURES; a++) {
        wb_out_text(t, measures[a].name);
        for (int b = 0; b < NMEASURES; b++)
            wb_out_real(t, wb_pearson(values + (size_t)a * (size_t)ok, values + (size_t)b * (size_t)ok, ok));
    }
    free(values);
    return t;
}
