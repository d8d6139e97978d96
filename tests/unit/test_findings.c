/* Unit tests of analysis/ratio and analysis/findings: the ratio of two means and
 * its interval against a hand computation, the verdict rule, and the findings
 * of planted results with known numbers (a 6x gain with tight repeats, a 1.02x
 * difference, sides at different sizes, an N^2 strategy over a rows scan, a
 * failed verification on a hostile row, a batch, a threads and a rows scan, an
 * external program that is mostly start-up), then the same through results
 * files written here and read back by the run reader, and findings.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/findings.h"
#include "analysis/ratio.h"
#include "analysis/runs.h"
#include "check.h"
#include "runner/run_files.h"
#include "util/buf.h"
#include "util/fs.h"

#define MAX_RESULTS 128

static wb_result planted[MAX_RESULTS];
static int nplanted;

static void reset(void)
{
    nplanted = 0;
}

/* One successful test of users on sqlite with the given figures. */
static wb_result *plant(const char *strategy, const char *phase, int64_t rows, int64_t threads, int64_t batch,
                        int64_t repeat, double duration_s, int64_t rss_kb)
{
    wb_result *r = &planted[nplanted++];
    wb_result_init(r);
    snprintf(r->run_id, sizeof r->run_id, "20260101T000000Z-f00d");
    snprintf(r->strategy, sizeof r->strategy, "%s", strategy);
    snprintf(r->phase, sizeof r->phase, "%s", phase);
    snprintf(r->test, sizeof r->test, "%s-%s", strategy, phase);
    snprintf(r->backend, sizeof r->backend, "sqlite");
    snprintf(r->server_version, sizeof r->server_version, "3.40.1");
    snprintf(r->workload, sizeof r->workload, "users");
    snprintf(r->verify, sizeof r->verify, "values");
    r->rows = rows;
    r->threads = threads;
    r->batch = batch;
    r->repeat = repeat;
    r->success = 1;
    r->status = WB_STATUS_OK;
    r->rows_verified = 2 * rows;
    r->duration_s = duration_s;
    r->rows_per_s = 2.0 * (double)rows / duration_s;
    r->peak_rss_kb = rss_kb;
    r->lock_waits = 0;
    r->lock_wait_s = 0;
    return r;
}

/* Three repeats of one test with durations d[0..2]. */
static void plant3(const char *strategy, const char *phase, int64_t rows, int64_t threads, int64_t batch,
                   const double d[3])
{
    for (int k = 0; k < 3; k++)
        plant(strategy, phase, rows, threads, batch, k + 1, d[k], 6000);
}

/* The findings of the planted results (the caller frees them). */
static wb_findings compute(void)
{
    wb_findings f = WB_FINDINGS_INIT;
    wb_error e = {{0}};
    CHECK_INT(wb_findings_compute(planted, nplanted, &f, &e), 0);
    return f;
}

/* The first finding of that id, or NULL. */
static const wb_finding *find(const wb_findings *f, const char *id)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->items[i].id, id) == 0)
            return &f->items[i];
    return NULL;
}

static int unchecked(const wb_findings *f, const char *id)
{
    for (int i = 0; i < f->nunchecked; i++)
        if (strcmp(f->unchecked[i]->id, id) == 0)
            return 1;
    return 0;
}

static int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* ---- the ratio and the rule ---- */

static void test_ratio(void)
{
    /* by hand (python's statistics): df 4, t(0.975, 4) = 2.7764451, interval 1.594326..2.508896 */
    const double a[] = {1.0, 1.1, 0.9}, b[] = {2.0, 2.2, 1.8};
    wb_ratio r;
    CHECK_INT(wb_ratio_of_means(a, 3, b, 3, &r), 0);
    CHECK(near(r.ratio, 2.0, 1e-12));
    CHECK(near(r.df, 4.0, 1e-9));
    CHECK(near(r.low, 1.5943264952, 1e-6));
    CHECK(near(r.high, 2.5088963973, 1e-6));
    CHECK_INT(r.single_run, 0);
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_CONFIRMED);

    /* the other way round: refuted, the interval inverted */
    CHECK_INT(wb_ratio_of_means(b, 3, a, 3, &r), 0);
    CHECK(near(r.ratio, 0.5, 1e-12));
    CHECK(near(r.high, 1.0 / 1.5943264952, 1e-6));
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_REFUTED);

    /* no noise at all: the interval is the ratio itself */
    const double c[] = {1.0, 1.0}, d[] = {3.0, 3.0};
    CHECK_INT(wb_ratio_of_means(c, 2, d, 2, &r), 0);
    CHECK(r.low == 3.0 && r.high == 3.0 && isinf(r.df));
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_CONFIRMED);

    /* an interval holding 1 is noise, even for a ratio of 1.3 */
    const double wide_a[] = {1.0, 2.0}, wide_b[] = {1.3, 2.6};
    CHECK_INT(wb_ratio_of_means(wide_a, 2, wide_b, 2, &r), 0);
    CHECK(r.low < 1.0 && r.high > 1.0);
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_NOISE);

    /* within 5% of 1 is noise, however tight */
    const double e1[] = {1.0, 1.0001}, e2[] = {1.04, 1.0401};
    CHECK_INT(wb_ratio_of_means(e1, 2, e2, 2, &r), 0);
    CHECK(r.low > 1.0);
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_NOISE);

    /* a single run: no interval; outside 0.9..1.1 it stands, inside it is noise */
    const double one[] = {1.0}, more[] = {1.2}, less[] = {1.08}, slow[] = {0.85};
    CHECK_INT(wb_ratio_of_means(one, 1, more, 1, &r), 0);
    CHECK(r.single_run && isnan(r.low) && isnan(r.high));
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_CONFIRMED);
    CHECK_INT(wb_ratio_of_means(one, 1, less, 1, &r), 0);
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_NOISE);
    CHECK_INT(wb_ratio_of_means(one, 1, slow, 1, &r), 0);
    CHECK_INT(wb_ratio_verdict(&r), WB_FINDING_REFUTED);
    /* three repeats against one: still a single run */
    CHECK_INT(wb_ratio_of_means(a, 3, more, 1, &r), 0);
    CHECK_INT(r.single_run, 1);

    /* unknown samples are left out; no sample at all is no ratio */
    const double unknown[] = {NAN, 2.0};
    CHECK_INT(wb_ratio_of_means(one, 1, unknown, 2, &r), 0);
    CHECK(near(r.ratio, 2.0, 1e-12) && r.n_b == 1);
    CHECK_INT(wb_ratio_of_means(one, 0, more, 1, &r), -1);
    CHECK(isnan(r.ratio));
}

/* ---- claims ---- */

/* A 6x gain with tight repeats: confirmed, with an interval around 6. */
static void test_six_fold(void)
{
    reset();
    const double fast[] = {0.100, 0.101, 0.099}, slow[] = {0.600, 0.605, 0.595};
    plant3("prepared", "insert", 1000, 1, -1, fast);
    plant3("single-tx", "insert", 1000, 1, -1, slow);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "prepared");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->verdict, WB_FINDING_CONFIRMED);
        CHECK(near(x->ratio.ratio, 6.0, 0.01));
        CHECK(!x->ratio.single_run && x->ratio.low > 5.8 && x->ratio.high < 6.2 && x->ratio.low < 6.0);
        CHECK_STR(x->a.strategy, "prepared");
        CHECK_STR(x->b.strategy, "single-tx");
        CHECK_INT(x->rows, 1000);
        CHECK_INT(x->threads, 1);
        CHECK_INT(x->ntests, 6);
        CHECK_STR(x->tests[0].run_id, "20260101T000000Z-f00d");
        CHECK_CONTAINS(x->statement, "prepared is 6.00x faster than single-tx (95% interval 5.");
    }
    /* the claims this run holds no side of are listed, with what they need */
    CHECK(unchecked(&f, "copy") && unchecked(&f, "batching") && !unchecked(&f, "prepared"));
    wb_buf text = WB_BUF_INIT;
    wb_findings_text(&f, 100, &text);
    CHECK_CONTAINS(wb_buf_str(&text), "findings of run 20260101T000000Z-f00d");
    CHECK_CONTAINS(wb_buf_str(&text),
                   "  users on sqlite, insert pass, 1,000 rows, 1 thread:\n    confirmed    a prepared");
    CHECK_CONTAINS(wb_buf_str(&text), "Rests on prepared-insert (3 tests),");
    CHECK_CONTAINS(wb_buf_str(&text), "(--batch 10,100,1000)");
    /* wrapped to the width */
    for (const char *line = wb_buf_str(&text); *line;) {
        const char *end = strchr(line, '\n');
        CHECK(end && end - line <= 100);
        line = end ? end + 1 : line + strlen(line);
    }
    wb_buf_free(&text);
    wb_findings_free(&f);
}

/* A 1.02x difference with tight repeats is within noise (inside 5% of 1). */
static void test_within_noise(void)
{
    reset();
    const double a[] = {0.100, 0.101, 0.099}, b[] = {0.102, 0.103, 0.101};
    plant3("values-multirow", "insert", 1000, 1, 1000, a);
    plant3("prepared", "insert", 1000, 1, -1, b);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "multirow");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->verdict, WB_FINDING_NOISE);
        CHECK(near(x->ratio.ratio, 1.02, 0.001));
        CHECK_STR(x->a.label, "values-multirow (batch 1,000)");
    }
    wb_findings_free(&f);
}

/* Sides measured at different rows only: no verdict, "not measured at the same size". */
static void test_different_sizes(void)
{
    reset();
    const double a[] = {0.100, 0.101, 0.099}, b[] = {0.600, 0.605, 0.595};
    plant3("single-tx", "insert", 1000, 1, -1, a);
    plant3("single-autocommit", "insert", 100, 1, -1, b);
    wb_findings f = compute();
    int verdicts = 0;
    for (int i = 0; i < f.n; i++)
        verdicts += f.items[i].verdict != WB_FINDING_NOT_COMPARED && f.items[i].verdict != WB_FINDING_TRAP;
    CHECK_INT(verdicts, 0);
    const wb_finding *x = find(&f, "one-transaction");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->verdict, WB_FINDING_NOT_COMPARED);
        CHECK(isnan(x->ratio.ratio));
        CHECK_CONTAINS(x->statement,
                       "not measured at the same size: single-tx at 1,000 rows, single-autocommit at 100 rows");
        CHECK_INT(x->rows, -1);
    }
    /* both at 100 rows as well: compared there, and only there */
    plant3("single-tx", "insert", 100, 1, -1, a);
    wb_findings_free(&f);
    f = compute();
    x = find(&f, "one-transaction");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED && x->rows == 100);
    int n = 0;
    for (int i = 0; i < f.n; i++)
        n += strcmp(f.items[i].id, "one-transaction") == 0;
    CHECK_INT(n, 1);
    wb_findings_free(&f);

    /* different workloads or thread counts never compare either */
    reset();
    plant3("prepared", "insert", 1000, 1, -1, a);
    plant3("single-tx", "insert", 1000, 2, -1, b);
    f = compute();
    x = find(&f, "prepared");
    CHECK(x && x->verdict == WB_FINDING_NOT_COMPARED);
    if (x)
        CHECK_CONTAINS(x->statement, "prepared at 1,000 rows, 1 thread, single-tx at 1,000 rows, 2 threads");
    wb_findings_free(&f);
    reset();
    plant3("prepared", "insert", 1000, 1, -1, a);
    plant3("single-tx", "insert", 1000, 1, -1, b);
    for (int i = 3; i < 6; i++)
        snprintf(planted[i].workload, sizeof planted[i].workload, "products");
    f = compute();
    CHECK(find(&f, "prepared") == NULL);
    CHECK(unchecked(&f, "prepared"));
    wb_findings_free(&f);
}

/* A single run: the ratio stands when outside 0.9..1.1, marked single run. */
static void test_single_run(void)
{
    reset();
    plant("copy-binary", "insert", 1000, 1, -1, 1, 0.10, 6000);
    plant("copy-text", "insert", 1000, 1, -1, 1, 0.13, 6000);
    plant("prepared", "insert", 1000, 1, -1, 1, 0.30, 6000);
    plant("values-multirow", "insert", 1000, 1, 1000, 1, 0.20, 6000);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "copy-binary");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED && x->ratio.single_run);
    if (x)
        CHECK_CONTAINS(x->statement, "copy-binary is 1.30x faster than copy-text (single run)");
    /* COPY against the best INSERT: each side's fastest */
    x = find(&f, "copy");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED);
    if (x) {
        CHECK_STR(x->a.strategy, "copy-binary");
        CHECK_STR(x->b.strategy, "values-multirow");
        CHECK(near(x->ratio.ratio, 2.0, 1e-9));
    }
    /* refuted: multi-row VALUES is not slower than prepared here */
    x = find(&f, "multirow");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED);
    wb_findings_free(&f);
}

/* A --batch scan: the gain and the batch past which it stops growing. */
static void test_batch_scan(void)
{
    reset();
    const double b10[] = {0.60, 0.61, 0.59}, b100[] = {0.104, 0.105, 0.103}, b1000[] = {0.100, 0.101, 0.099};
    plant3("values-multirow", "insert", 1000, 1, 10, b10);
    plant3("values-multirow", "insert", 1000, 1, 100, b100);
    plant3("values-multirow", "insert", 1000, 1, 1000, b1000);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "batching");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->verdict, WB_FINDING_CONFIRMED);
        CHECK(near(x->ratio.ratio, 6.0, 0.01));
        CHECK_INT(x->plateau_batch, 100);
        CHECK_INT(x->axis, WB_AXIS_BATCH);
        CHECK_INT(x->a.batch, 1000);
        CHECK_INT(x->b.batch, 10);
        CHECK_INT(x->ntests, 9);
        CHECK_CONTAINS(x->statement, "values-multirow: batch 1,000 is 6.00x faster than batch 10");
        CHECK_CONTAINS(x->statement, "the gain stops growing past batch 100");
    }
    wb_findings_free(&f);
}

/* A --threads scan: the speed-up per added connection, and the lock waits. */
static void test_threads_scan(void)
{
    reset();
    const double t1[] = {1.00, 1.01, 0.99}, t4[] = {0.40, 0.41, 0.39}, slow[] = {2.0, 2.0, 2.0};
    plant3("prepared", "insert", 1000, 1, -1, t1);
    plant3("prepared", "insert", 1000, 4, -1, t4);
    plant3("single-tx", "insert", 1000, 1, -1, slow);
    plant3("single-tx", "insert", 1000, 4, -1, slow);
    for (int i = 3; i < 6; i++) {
        planted[i].lock_waits = 10;
        planted[i].lock_wait_s = 0.5;
    }
    wb_findings f = compute();
    const wb_finding *x = find(&f, "threads");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT(x->verdict, WB_FINDING_CONFIRMED);
        CHECK_STR(x->a.strategy, "prepared"); /* the fastest at one thread */
        CHECK(near(x->ratio.ratio, 2.5, 0.01));
        CHECK(near(x->per_connection, 0.5, 0.01));
        CHECK_INT(x->lock_waits, 30);
        CHECK(near(x->lock_wait_s, 1.5, 1e-9));
        CHECK_INT(x->threads, -1);
        CHECK_CONTAINS(x->statement,
                       "prepared, the fastest at 1 thread: at 4 threads it is 2.50x faster than at 1 thread");
        CHECK_CONTAINS(x->statement, "+0.50x per added connection");
        CHECK_CONTAINS(x->statement, "30 lock waits (1.500 s) at 4 threads");
    }
    wb_findings_free(&f);
}

/* A rows scan: an N^2 strategy is a trap, a linear one is not; memory growth named. */
static void test_rows_scan(void)
{
    reset();
    plant("replace", "update", 100, 1, 1000, 1, 0.010, 6000);
    plant("replace", "update", 1000, 1, 1000, 1, 1.000, 6000);
    plant("prepared", "insert", 100, 1, -1, 1, 0.010, 6000);
    plant("prepared", "insert", 1000, 1, -1, 1, 0.080, 6100);
    plant("values-multirow", "insert", 100, 1, 1000, 1, 0.008, 6000);
    plant("values-multirow", "insert", 1000, 1, 1000, 1, 0.060, 18000);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "superlinear");
    CHECK(x != NULL);
    int traps = 0;
    for (int i = 0; i < f.n; i++)
        traps += strcmp(f.items[i].id, "superlinear") == 0;
    CHECK_INT(traps, 1); /* prepared grows as N^0.9: no trap */
    if (x) {
        CHECK_INT(x->trap, 1);
        CHECK_INT(x->verdict, WB_FINDING_TRAP);
        CHECK_STR(x->b.strategy, "replace");
        CHECK(near(x->exponent, 2.0, 1e-9));
        CHECK_CONTAINS(x->statement,
                       "replace (update pass, batch 1,000): its time grows as N^2.00 from 100 to 1,000 rows");
    }
    x = find(&f, "memory");
    CHECK(x && x->verdict == WB_FINDING_REFUTED);
    if (x) {
        CHECK_STR(x->ratio_of, "peak_rss_kb");
        CHECK(near(x->ratio.ratio, 3.0, 1e-9));
        CHECK_CONTAINS(x->statement,
                       "peak RSS grows with N: values-multirow (batch 1,000) 3.00x from 100 to 1,000 rows");
        CHECK_CONTAINS(x->statement, "the other 1 does not grow");
    }
    /* traps come after every claim */
    int seen_trap = 0, order_ok = 1;
    for (int i = 0; i < f.n; i++) {
        order_ok &= !(seen_trap && !f.items[i].trap);
        seen_trap |= f.items[i].trap;
    }
    CHECK(order_ok);
    wb_findings_free(&f);
}

/* A failed verification is a trap naming the key, and a hostile key says so. */
static void test_failed_verification(void)
{
    reset();
    const double d[] = {0.1, 0.1, 0.1};
    plant3("prepared", "insert", 100, 1, -1, d);
    wb_result *r = plant("test-mangle-quote", "insert", 100, 1, -1, 1, 0.1, 6000);
    r->success = 0;
    r->status = WB_STATUS_FAILED;
    snprintf(r->error, sizeof r->error,
             "verification failed: user_account: 10 of 100 rows wrong (first: key 17, name: 'OBrien user17' "
             "expected 'O''Brien user17')");
    r = plant("test-crash", "insert", 100, 1, -1, 1, 0.1, 6000);
    r->success = 0;
    r->status = WB_STATUS_CRASHED;
    snprintf(r->error, sizeof r->error, "crashed: killed by SIGSEGV");
    wb_findings f = compute();
    const wb_finding *x = find(&f, "failed-verification");
    CHECK(x != NULL);
    int n = 0;
    for (int i = 0; i < f.n; i++)
        n += strcmp(f.items[i].id, "failed-verification") == 0;
    CHECK_INT(n, 1); /* a crash is not a failed verification */
    if (x) {
        CHECK_STR(x->b.strategy, "test-mangle-quote");
        CHECK_INT(x->ntests, 1);
        CHECK_CONTAINS(x->statement, "test-mangle-quote (insert pass) failed verification in 1 of 1 test: "
                                     "user_account: 10 of 100 rows wrong (first: key 17");
        CHECK_CONTAINS(x->statement, "Key 17 is a hostile row (k % 10 == 7");
    }
    wb_findings_free(&f);
}

/* An external program that reports its own timed region, whose process lives far longer. */
static void test_startup(void)
{
    reset();
    for (int k = 1; k <= 2; k++) {
        wb_result *r = plant("orm_add_all", "insert", 1000, 1, -1, k, 0.30, 40000);
        r->external = 1;
        snprintf(r->language, sizeof r->language, "python");
        r->process_s = 1.00;
        r = plant("prepared", "insert", 1000, 1, -1, k, 0.05, 6000);
    }
    /* one that does not report: its times over a rows scan are a fixed 0.8 s plus a little */
    for (int k = 1; k <= 2; k++) {
        static const int64_t rows[] = {100, 1000};
        wb_result *r = plant("sh_loader", "insert", rows[k - 1], 1, -1, 1, 0.80 + 0.0001 * (double)rows[k - 1], 4000);
        r->external = 1;
        snprintf(r->language, sizeof r->language, "shell");
        r->process_s = r->duration_s;
    }
    wb_findings f = compute();
    int n = 0;
    for (int i = 0; i < f.n; i++) {
        const wb_finding *x = &f.items[i];
        if (strcmp(x->id, "startup") != 0)
            continue;
        n++;
        if (strcmp(x->b.strategy, "orm_add_all") == 0) {
            CHECK(near(x->startup_share, 0.7, 1e-9));
            CHECK_CONTAINS(x->statement, "orm_add_all (python, insert pass): 70% of its process time is start-up");
        } else {
            CHECK_STR(x->b.strategy, "sh_loader");
            CHECK(near(x->startup_share, 0.8 / 0.9, 1e-6));
            CHECK_CONTAINS(x->statement, "about 0.800 s of every test is a fixed cost");
        }
    }
    CHECK_INT(n, 2);
    /* the driver against the ORM: the built-in's fastest against the external's */
    const wb_finding *x = find(&f, "orm");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED);
    if (x) {
        CHECK_STR(x->a.strategy, "prepared");
        CHECK_STR(x->b.strategy, "orm_add_all");
        CHECK(near(x->ratio.ratio, 6.0, 1e-9));
    }
    wb_findings_free(&f);
}

/* An external Python program planted with its declared io ("sync" or "async"). */
static void plant_python(const char *strategy, const char *io, const double d[3])
{
    for (int k = 0; k < 3; k++) {
        wb_result *r = plant(strategy, "insert", 1000, 1, -1, k + 1, d[k], 30000);
        r->external = 1;
        snprintf(r->language, sizeof r->language, "python");
        snprintf(r->io, sizeof r->io, "%s", io);
    }
}

/* asyncio against the synchronous drivers, and C against asyncio: the sides are the
 * programs' declared io, the fastest of each side stands for it. */
static void test_async(void)
{
    reset();
    const double c[] = {0.050, 0.051, 0.049}, async_fast[] = {0.100, 0.101, 0.099},
                 async_slow[] = {0.400, 0.401, 0.399}, sync_fast[] = {0.300, 0.303, 0.297},
                 sync_slow[] = {0.900, 0.905, 0.895};
    plant3("prepared", "insert", 1000, 1, -1, c);
    plant_python("asyncpg_copy", "async", async_fast);
    plant_python("async_orm_add_all", "async", async_slow);
    plant_python("psycopg_copy", "sync", sync_fast);
    plant_python("orm_add_all", "sync", sync_slow);
    wb_findings f = compute();
    const wb_finding *x = find(&f, "async");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED);
    if (x) {
        CHECK_STR(x->a.strategy, "asyncpg_copy");
        CHECK_STR(x->b.strategy, "psycopg_copy");
        CHECK(near(x->ratio.ratio, 3.0, 1e-9));
    }
    x = find(&f, "async-c");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED);
    if (x) {
        CHECK_STR(x->a.strategy, "prepared");
        CHECK_STR(x->b.strategy, "asyncpg_copy");
        CHECK(near(x->ratio.ratio, 2.0, 1e-9));
    }
    wb_findings_free(&f);

    /* No program declares io=async: neither claim is stated. */
    reset();
    plant3("prepared", "insert", 1000, 1, -1, c);
    plant_python("psycopg_copy", "sync", sync_fast);
    f = compute();
    CHECK(find(&f, "async") == NULL && find(&f, "async-c") == NULL);
    CHECK(find(&f, "orm") != NULL);
    wb_findings_free(&f);
}

/* ---- through files: results written here, read back by the run reader ---- */

static char base[] = "/tmp/wb-test-findings-XXXXXX";

/* The run's own writer keeps the planted results; the reader reads them back;
 * findings.json is written beside them and Python's json module reads it. */
static void test_from_files(void)
{
    if (!mkdtemp(base)) {
        CHECK(0);
        return;
    }
    static const char run_id[] = "20260101T000000Z-f00d";
    wb_error e = {{0}};
    reset();
    const double fast[] = {0.100, 0.101, 0.099}, slow[] = {0.600, 0.605, 0.595};
    plant3("prepared", "insert", 1000, 1, -1, fast);
    plant3("single-tx", "insert", 1000, 1, -1, slow);
    wb_run_files *files = NULL;
    CHECK_INT(wb_run_files_open(base, run_id, &files, &e), 0);
    if (!files)
        return;
    for (int i = 0; i < nplanted; i++)
        CHECK_INT(wb_run_files_add(files, &planted[i], &e), 0);
    CHECK_INT(wb_run_files_finish(files, NULL, &e), 0);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", wb_run_files_dir(files));
    wb_run_files_close(files);

    wb_run_set set = WB_RUN_SET_INIT;
    const char *names[] = {dir};
    CHECK_INT(wb_runs_load(NULL, names, 1, 0, &set, &e), 0);
    wb_findings f = WB_FINDINGS_INIT;
    CHECK_INT(wb_findings_compute(set.results, set.nresults, &f, &e), 0);
    const wb_finding *x = find(&f, "prepared");
    CHECK(x && x->verdict == WB_FINDING_CONFIRMED && near(x->ratio.ratio, 6.0, 0.01));
    CHECK_INT(wb_findings_write(&f, dir, &e), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, WB_FINDINGS_FILE_NAME);
    wb_buf json = WB_BUF_INIT;
    CHECK_INT(wb_fs_read_file(path, &json, &e), 0);
    CHECK_CONTAINS(wb_buf_str(&json), "\"format\": \"writebench-findings\", \"format_version\": 1");
    CHECK_CONTAINS(wb_buf_str(&json), "\"id\": \"prepared\", \"kind\": \"claim\"");
    CHECK_CONTAINS(wb_buf_str(&json),
                   "{\"run_id\": \"20260101T000000Z-f00d\", \"test\": \"prepared-insert\", \"repeat\": 1}");
    if (system("command -v python3 >/dev/null 2>&1") == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "python3 -c 'import json, sys\n"
                 "d = json.load(open(sys.argv[1], encoding=\"utf-8\"))\n"
                 "p = [x for x in d[\"findings\"] if x[\"id\"] == \"prepared\"][0]\n"
                 "assert p[\"verdict\"] == \"confirmed\" and abs(p[\"ratio\"] - 6) < 0.01, p\n"
                 "assert p[\"ci95_low\"] < p[\"ratio\"] < p[\"ci95_high\"] and p[\"single_run\"] is False\n"
                 "assert len(p[\"tests\"]) == 6 and p[\"a\"][\"strategy\"] == \"prepared\"\n"
                 "assert \"copy\" in [c[\"id\"] for c in d[\"not_checked\"]]\n"
                 "' '%s'",
                 path);
        CHECK_INT(system(cmd), 0);
    } else {
        printf("note: python3 not found, skipping the check of findings.json with Python's json parser\n");
    }
    wb_findings_free(&f);
    wb_runs_free(&set);
    wb_buf_free(&json);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    CHECK_INT(system(cmd), 0);
}

int main(void)
{
    test_ratio();
    test_six_fold();
    test_within_noise();
    test_different_sizes();
    test_single_run();
    test_batch_scan();
    test_threads_scan();
    test_rows_scan();
    test_failed_verification();
    test_startup();
    test_async();
    test_from_files();
    return check_finish();
}
