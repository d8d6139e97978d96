/* Unit tests of analysis/compare: results built in memory, compared, and the
 * verdicts, the --fail-if-slower check and the written tables checked.
 *
 * Expected p-values were computed independently of the code under test, in
 * Python 3 with the standard library only: statistics.mean/variance for the
 * sample means and variances, Welch's t and Welch-Satterthwaite df from their
 * textbook formulas, and the two-sided p = 1 - 2 * integral_0^|t| of Student's
 * t density (math.gamma), integrated by Simpson's rule with 200,000 steps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "check.h"

#define MAX_RESULTS 64

/* A side under construction: results of one or more runs. */
typedef struct side {
    wb_result rows[MAX_RESULTS];
    int n;
} side;

/* Append one test's result: users workload on sqlite, batch -1 (ignored). */
static void add(side *s, const char *strategy, const char *phase, int64_t rows, int64_t threads, double duration_s,
                int success)
{
    if (s->n >= MAX_RESULTS)
        abort();
    wb_result *r = &s->rows[s->n++];
    wb_result_init(r);
    snprintf(r->run_id, sizeof r->run_id, "20261122T000000Z-%04x", s->n);
    snprintf(r->test, sizeof r->test, "%s-%s", strategy, phase);
    snprintf(r->strategy, sizeof r->strategy, "%s", strategy);
    snprintf(r->phase, sizeof r->phase, "%s", phase);
    snprintf(r->backend, sizeof r->backend, "sqlite");
    snprintf(r->server_version, sizeof r->server_version, "3.40.1");
    snprintf(r->workload, sizeof r->workload, "users");
    r->rows = rows;
    r->threads = threads;
    r->batch = -1;
    r->repeat = s->n;
    r->success = success;
    r->status = success ? WB_STATUS_OK : WB_STATUS_FAILED;
    if (success) {
        r->rows_verified = 2 * rows;
        r->duration_s = duration_s;
        r->rows_per_s = (double)(2 * rows) / duration_s;
    } else {
        snprintf(r->error, sizeof r->error, "verify: row 1 differs");
    }
}

/* Add every duration of xs[0..n) as a successful test. */
static void add_all(side *s, const char *strategy, int64_t rows, const double *xs, int n)
{
    for (int i = 0; i < n; i++)
        add(s, strategy, "insert", rows, 1, xs[i], 1);
}

static int near(double x, double expected, double tolerance)
{
    return fabs(x - expected) <= tolerance;
}

/* Compare the two sides; the comparison must succeed. */
static void compare(const side *a, const side *b, wb_comparison *c)
{
    wb_error e = {{0}};
    int rc = wb_compare(a->rows, a->n, b->rows, b->n, c, &e);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "wb_compare: %s\n", e.msg);
}

/* The comparison written in format f, as a string the caller frees. */
static char *written(const wb_comparison *c, wb_format f)
{
    wb_buf out = WB_BUF_INIT;
    wb_error e = {{0}};
    CHECK_INT(wb_compare_write(c, f, &out, &e), 0);
    char *text = wb_xstrdup(wb_buf_str(&out));
    wb_buf_free(&out);
    return text;
}

static const double around_1s[] = {0.98, 1.01, 1.00, 0.99, 1.02};
static const double around_2s[] = {1.97, 2.03, 2.00, 1.99, 2.01};

/* A real 2x slow-down with some noise: t = -81.65, df = 7.2, p = 6.0e-12. */
static void test_slowdown_is_flagged(void)
{
    static side a, b;
    a.n = b.n = 0;
    add_all(&a, "prepared", 1000, around_1s, 5);
    add_all(&b, "prepared", 1000, around_2s, 5);
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 1);
    CHECK_INT(c.nonly_a + c.nonly_b, 0);
    if (c.ncompared == 1) {
        const wb_compare_row *r = &c.rows[0];
        CHECK_INT(r->n_a, 5);
        CHECK_INT(r->n_b, 5);
        CHECK(near(r->mean_a_s, 1.0, 1e-12));
        CHECK(near(r->mean_b_s, 2.0, 1e-12));
        CHECK(near(r->ratio, 2.0, 1e-12));
        CHECK(near(r->change_pct, 100.0, 1e-9));
        /* rows/s: the mean of 2000 / d over the samples, summed by hand */
        CHECK(near(r->rows_per_s_a, (2000 / 0.98 + 2000 / 1.01 + 2000 / 1.00 + 2000 / 0.99 + 2000 / 1.02) / 5, 1e-6));
        CHECK(r->p < 1e-9);
        CHECK_INT(r->verdict, WB_VERDICT_SLOWER);
        CHECK_STR(r->method, "welch p<0.001");
        CHECK(wb_compare_row_regressed(r, 10));
        CHECK(wb_compare_row_regressed(r, 99.9));
        CHECK(!wb_compare_row_regressed(r, 100.1)); /* slower, but not by more than 100.1% */
        wb_buf line = WB_BUF_INIT;
        wb_compare_describe_row(r, &line);
        CHECK_STR(wb_buf_str(&line),
                  "prepared-insert (users, sqlite, 1000 rows, 1 thread): 1.000000 s -> 2.000000 s, +100.0%, "
                  "welch p<0.001");
        wb_buf_free(&line);
    }
    CHECK_INT(wb_compare_count_regressions(&c, 10), 1);
    CHECK_INT(wb_compare_count_regressions(&c, 0), 1);
    wb_comparison_free(&c);

    /* The other way round it is a speed-up, which never fails the check. */
    compare(&b, &a, &c);
    if (c.ncompared == 1) {
        CHECK_INT(c.rows[0].verdict, WB_VERDICT_FASTER);
        CHECK(near(c.rows[0].change_pct, -50.0, 1e-9));
    }
    CHECK_INT(wb_compare_count_regressions(&c, 0), 0);
    wb_comparison_free(&c);
}

/* Two sets from the same distribution are not flagged. */
static void test_same_distribution_is_not_flagged(void)
{
    static side a, b;
    a.n = b.n = 0;
    /* the very same values: t = 0, p = 1 */
    add_all(&a, "prepared", 1000, around_1s, 5);
    add_all(&b, "prepared", 1000, around_1s, 5);
    /* overlapping noise, B 0.8% slower: means 1.000 and 1.008, variances 0.00625 and
     * 0.00347, t = -0.1814, df = 7.395, p = 0.8609 */
    static const double noisy_a[] = {1.00, 1.10, 0.95, 1.05, 0.90};
    static const double noisy_b[] = {1.02, 0.97, 1.08, 0.93, 1.04};
    add_all(&a, "multi-row", 1000, noisy_a, 5);
    add_all(&b, "multi-row", 1000, noisy_b, 5);
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 2);
    for (int i = 0; i < c.ncompared; i++) {
        const wb_compare_row *r = &c.rows[i];
        CHECK_INT(r->verdict, WB_VERDICT_WITHIN_NOISE);
        if (strcmp(r->a->strategy, "prepared") == 0) {
            CHECK(near(r->p, 1.0, 1e-12));
            CHECK(near(r->ratio, 1.0, 1e-12));
            CHECK_STR(r->method, "welch p=1.000");
        } else {
            CHECK(near(r->p, 0.8609, 1e-3));
            CHECK(near(r->change_pct, 0.8, 1e-9));
            CHECK_STR(r->method, "welch p=0.861");
        }
    }
    CHECK_INT(wb_compare_count_regressions(&c, 0), 0);
    wb_comparison_free(&c);
}

/* The 95% threshold, both sides of it, with three samples a side: B 20% slower
 * (t = -2.449, df = 4, p = 0.0705) is within the noise; B 30% slower
 * (t = -3.674, df = 4, p = 0.0213) is not. Zero variance on both sides with
 * different means is a difference with no noise at all (p = 0). */
static void test_significance_threshold(void)
{
    static side a, b;
    a.n = b.n = 0;
    static const double base[] = {1.0, 1.1, 0.9};
    static const double plus20[] = {1.2, 1.3, 1.1};
    static const double plus30[] = {1.3, 1.4, 1.2};
    static const double ones[] = {1.0, 1.0, 1.0};
    static const double twos[] = {2.0, 2.0, 2.0};
    add_all(&a, "single-tx", 100, base, 3);
    add_all(&b, "single-tx", 100, plus20, 3);
    add_all(&a, "batched-tx", 100, base, 3);
    add_all(&b, "batched-tx", 100, plus30, 3);
    add_all(&a, "copy", 100, ones, 3);
    add_all(&b, "copy", 100, twos, 3);
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 3);
    for (int i = 0; i < c.ncompared; i++) {
        const wb_compare_row *r = &c.rows[i];
        if (strcmp(r->a->strategy, "single-tx") == 0) {
            CHECK(near(r->p, 0.0705, 1e-3));
            CHECK_INT(r->verdict, WB_VERDICT_WITHIN_NOISE);
            CHECK_STR(r->method, "welch p=0.070");
            CHECK(!wb_compare_row_regressed(r, 0));
        } else if (strcmp(r->a->strategy, "batched-tx") == 0) {
            CHECK(near(r->p, 0.0213, 1e-3));
            CHECK_INT(r->verdict, WB_VERDICT_SLOWER);
            CHECK_STR(r->method, "welch p=0.021");
            CHECK(wb_compare_row_regressed(r, 29.9));
            CHECK(!wb_compare_row_regressed(r, 30.1));
        } else {
            CHECK_STR(r->a->strategy, "copy");
            CHECK(r->p == 0.0);
            CHECK_INT(r->verdict, WB_VERDICT_SLOWER);
            CHECK(wb_compare_row_regressed(r, 50));
        }
    }
    wb_comparison_free(&c);
}

/* With one successful sample on a side nothing is judged and nothing triggers,
 * however large the difference. */
static void test_single_sample_is_not_judged(void)
{
    static side a, b;
    a.n = b.n = 0;
    add(&a, "prepared", "insert", 1000, 1, 1.0, 1);
    add_all(&b, "prepared", 1000, around_2s, 5);
    /* two tests in A, but one failed: one usable sample */
    add(&a, "single-tx", "insert", 1000, 1, 1.0, 1);
    add(&a, "single-tx", "insert", 1000, 1, 0.0, 0);
    add_all(&b, "single-tx", 1000, around_2s, 5);
    /* no successful test at all in B */
    add_all(&a, "copy", 1000, around_1s, 5);
    add(&b, "copy", "insert", 1000, 1, 0.0, 0);
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 3);
    for (int i = 0; i < c.ncompared; i++) {
        const wb_compare_row *r = &c.rows[i];
        CHECK_INT(r->verdict, WB_VERDICT_NOT_JUDGED);
        CHECK_STR(r->method, "n<2");
        CHECK(isnan(r->p));
        CHECK(!wb_compare_row_regressed(r, 0));
        if (strcmp(r->a->strategy, "copy") == 0) {
            CHECK_INT(r->n_a, 5);
            CHECK_INT(r->n_b, 0);
            CHECK(isnan(r->mean_b_s));
            CHECK(isnan(r->ratio));
        } else {
            CHECK_INT(r->n_a, 1);
            CHECK_INT(r->n_b, 5);
            CHECK(near(r->ratio, 2.0, 1e-12)); /* the ratio is still shown */
        }
    }
    CHECK_INT(wb_compare_count_regressions(&c, 0), 0);
    char *table = written(&c, WB_FORMAT_TABLE);
    CHECK_CONTAINS(table, "n<2");
    CHECK(strncmp(table, "backend: sqlite, workload: users (every test)\n\ntest ", 52) == 0);
    CHECK_CONTAINS(table, "3 tests compared: 0 slower, 0 faster, 0 within noise (Welch's t-test, 95%), "
                          "3 not judged (n<2).");
    free(table);
    wb_comparison_free(&c);
}

/* Tests on one side only (another strategy, another size, another phase or
 * thread count) are listed apart, never compared. */
static void test_one_side_only_is_listed(void)
{
    static side a, b;
    a.n = b.n = 0;
    add_all(&a, "prepared", 1000, around_1s, 5);
    add_all(&b, "prepared", 1000, around_1s, 5);
    add_all(&a, "copy", 1000, around_1s, 2);      /* A only */
    add_all(&a, "multi-row", 1000, around_1s, 3); /* A at 1000 rows ... */
    add_all(&b, "multi-row", 2000, around_2s, 3); /* ... B at 2000: different tests */
    add(&b, "prepared", "update", 1000, 1, 1.0, 1);   /* B only: another phase */
    add(&b, "prepared", "insert", 1000, 4, 0.5, 1);   /* B only: another thread count */
    add(&b, "prepared", "insert", 1000, 1, 0.5, 1);   /* B only: another backend */
    snprintf(b.rows[b.n - 1].backend, sizeof b.rows[b.n - 1].backend, "postgres");
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 1);
    CHECK_INT(c.nonly_a, 2);
    CHECK_INT(c.nonly_b, 4);
    CHECK_INT(c.nrows, 7);
    if (c.nrows == 7) {
        CHECK_STR(c.rows[0].a->strategy, "prepared");
        CHECK(c.rows[0].b != NULL);
        for (int i = 1; i < 3; i++) {
            CHECK_INT(c.rows[i].verdict, WB_VERDICT_ONLY_A);
            CHECK(c.rows[i].a && !c.rows[i].b);
            CHECK(!wb_compare_row_regressed(&c.rows[i], 0));
        }
        for (int i = 3; i < 7; i++) {
            CHECK_INT(c.rows[i].verdict, WB_VERDICT_ONLY_B);
            CHECK(!c.rows[i].a && c.rows[i].b);
        }
    }

    /* csv: every row, the one-side ones with their verdict and the other side unknown */
    char *csv = written(&c, WB_FORMAT_CSV);
    static const char header[] = "test,strategy,phase,backend,workload,rows,threads,batch,n_a,n_b,mean_a_s,"
                                 "mean_b_s,ratio,change_pct,rows_per_s_a,rows_per_s_b,p_value,verdict,method,"
                                 "origin,language\n";
    CHECK(strncmp(csv, header, strlen(header)) == 0);
    CHECK_CONTAINS(csv, "\ncopy-insert,copy,insert,sqlite,users,1000,1,,2,,0.995000,,,,");
    CHECK_CONTAINS(csv, ",only in A,,built-in,c\n");
    CHECK_CONTAINS(csv, "\nprepared-update,prepared,update,sqlite,users,1000,1,,,1,,1.000000,,,,2000.0,,only in B,,"
                        "built-in,c\n");
    int lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 8); /* header + 7 rows */
    free(csv);

    /* table: the compared test, then the one-side tests under their heading */
    char *table = written(&c, WB_FORMAT_TABLE);
    CHECK_CONTAINS(table, "not compared, found on one side only:\n");
    CHECK_CONTAINS(table, "1 test compared: 0 slower, 0 faster, 1 within noise");
    CHECK_CONTAINS(table, "; 2 only in A, 4 only in B.\n");
    /* every test is on users: said once above; the backends differ: a column */
    static const char opening[] = "workload: users (every test)\n\ntest ";
    CHECK(strncmp(table, opening, strlen(opening)) == 0);
    CHECK_CONTAINS(table, "postgres");
    const char *heading = strstr(table, "not compared");
    CHECK(heading && strstr(table, "prepared-insert") < heading);
    CHECK(heading && strstr(heading, "copy-insert") && strstr(heading, "prepared-update"));
    free(table);

    char *markdown = written(&c, WB_FORMAT_MARKDOWN);
    CHECK_CONTAINS(markdown, "| test | backend | rows | threads | batch | n_a | n_b | mean_a_s |");
    CHECK_CONTAINS(markdown, "\nNot compared, found on one side only:\n\n| side | test | backend | rows |");
    free(markdown);

    char *json = written(&c, WB_FORMAT_JSON);
    CHECK(strncmp(json, "{\n  \"tests\": [", 14) == 0);
    CHECK_CONTAINS(json, "\"verdict\": \"only in B\"");
    CHECK_CONTAINS(json, "\"n_a\": null");
    free(json);
    wb_comparison_free(&c);
}

/* Mark the last n results of a side as an external program in language. */
static void make_external(side *s, int n, const char *language)
{
    for (int i = s->n - n; i < s->n; i++) {
        s->rows[i].external = 1;
        snprintf(s->rows[i].language, sizeof s->rows[i].language, "%s", language);
    }
}

/* External programs: compared like built-ins when the same program (name,
 * origin and language) is on both sides, and their language shown; a strategy
 * whose language changed between the sides is two programs, listed apart. */
static void test_external_programs(void)
{
    static side a, b;
    a.n = b.n = 0;
    add_all(&a, "orm_merge", 1000, around_1s, 5);
    make_external(&a, 5, "python");
    add_all(&b, "orm_merge", 1000, around_2s, 5);
    make_external(&b, 5, "python");
    add_all(&a, "rewritten", 1000, around_2s, 3);
    make_external(&a, 3, "python");
    add_all(&b, "rewritten", 1000, around_1s, 3);
    make_external(&b, 3, "native");
    add_all(&a, "prepared", 1000, around_1s, 2);
    add_all(&b, "prepared", 1000, around_1s, 2);
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.ncompared, 2); /* orm_merge (python) and prepared */
    CHECK_INT(c.nonly_a, 1);   /* rewritten (python) */
    CHECK_INT(c.nonly_b, 1);   /* rewritten (native) */
    const wb_compare_row *orm = NULL;
    for (int i = 0; i < c.ncompared; i++)
        if (strcmp(c.rows[i].a->strategy, "orm_merge") == 0)
            orm = &c.rows[i];
    CHECK(orm != NULL);
    if (orm) {
        CHECK_INT(orm->verdict, WB_VERDICT_SLOWER);
        CHECK(near(orm->ratio, 2.0, 1e-12));
        wb_buf line = WB_BUF_INIT;
        wb_compare_describe_row(orm, &line);
        CHECK_STR(wb_buf_str(&line), "orm_merge-insert (python) (users, sqlite, 1000 rows, 1 thread): 1.000000 s -> "
                                     "2.000000 s, +100.0%, welch p<0.001");
        wb_buf_free(&line);
    }
    if (c.nrows == 4) {
        CHECK_STR(c.rows[2].a->language, "python");
        CHECK_STR(c.rows[3].b->language, "native");
    }

    /* csv/json: the plain name, origin and language in their own columns */
    char *csv = written(&c, WB_FORMAT_CSV);
    CHECK_CONTAINS(csv, "\norm_merge-insert,orm_merge,insert,sqlite,users,1000,1,,5,5,");
    CHECK_CONTAINS(csv, ",slower,welch p<0.001,external,python\n");
    CHECK_CONTAINS(csv, ",only in A,,external,python\n");
    CHECK_CONTAINS(csv, ",only in B,,external,native\n");
    CHECK_CONTAINS(csv, ",within noise,welch p=1.000,built-in,c\n");
    free(csv);
    char *json = written(&c, WB_FORMAT_JSON);
    CHECK_CONTAINS(json, "\"origin\": \"external\", \"language\": \"python\"}");
    CHECK_CONTAINS(json, "\"origin\": \"built-in\", \"language\": \"c\"}");
    free(json);
    /* table: the language after the test's name; a built-in's name unchanged */
    char *table = written(&c, WB_FORMAT_TABLE);
    CHECK_CONTAINS(table, "\norm_merge-insert (python)  ");
    CHECK_CONTAINS(table, "\nprepared-insert  ");
    CHECK_CONTAINS(table, "\nA     rewritten-insert (python)  ");
    CHECK_CONTAINS(table, "\nB     rewritten-insert (native)  ");
    CHECK(strstr(table, "(c)") == NULL);
    free(table);
    char *markdown = written(&c, WB_FORMAT_MARKDOWN);
    CHECK_CONTAINS(markdown, "\n| orm_merge-insert (python) | ");
    free(markdown);
    wb_comparison_free(&c);
}

/* Empty sides are no error for the comparison itself (the command refuses them
 * earlier): nothing is compared and the tables are empty but well formed. */
static void test_empty(void)
{
    static side a, b;
    a.n = b.n = 0;
    wb_comparison c = WB_COMPARISON_INIT;
    compare(&a, &b, &c);
    CHECK_INT(c.nrows, 0);
    char *json = written(&c, WB_FORMAT_JSON);
    CHECK_STR(json, "{\n  \"tests\": []\n}\n");
    free(json);
    wb_comparison_free(&c);
}

static void test_verdict_names(void)
{
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_WITHIN_NOISE), "within noise");
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_SLOWER), "slower");
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_FASTER), "faster");
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_NOT_JUDGED), "not judged");
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_ONLY_A), "only in A");
    CHECK_STR(wb_compare_verdict_name(WB_VERDICT_ONLY_B), "only in B");
}

int main(void)
{
    test_slowdown_is_flagged();
    test_same_distribution_is_not_flagged();
    test_significance_threshold();
    test_single_sample_is_not_judged();
    test_one_side_only_is_listed();
    test_external_programs();
    test_empty();
    test_verdict_names();
    return check_finish();
}
