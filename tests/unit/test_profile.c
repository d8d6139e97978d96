/* Unit tests of profile's pieces that need no database: the trade-off variants
 * per workload and backend, the reads' deterministic parameters (taken
 * from the generator, the same every time, the prefix range bounding the
 * prefix), the "no significant difference" rule on known samples, and the
 * report section with its effect columns. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "profile/profile.h"
#include "profile/reads.h"
#include "profile/profile_report.h"

static const wb_variant *find_variant(const wb_variant *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

static void test_variants(void)
{
    const wb_workload *products = wb_workload_find("products"), *users = wb_workload_find("users");
    wb_variant v[WB_PROFILE_MAX_VARIANTS];
    int n = wb_profile_variants(products, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS);
    CHECK_INT(n, 5);
    CHECK_STR(v[0].name, "baseline");
    CHECK(find_variant(v, n, "without:products_name_key") != NULL);
    CHECK(find_variant(v, n, "without:products_category_idx") != NULL);
    CHECK(find_variant(v, n, "with:products_price_idx") != NULL);
    const wb_variant *check = find_variant(v, n, "without:products_check");
    CHECK(check && check->not_possible && strstr(check->not_possible, "not droppable on SQLite"));
    n = wb_profile_variants(products, WB_BACKEND_POSTGRES, v, WB_PROFILE_MAX_VARIANTS);
    check = find_variant(v, n, "without:products_check");
    CHECK(check && !check->not_possible);

    n = wb_profile_variants(users, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS);
    CHECK_INT(n, 4);
    const wb_variant *fk = find_variant(v, n, "without:address_user_id_fkey");
    CHECK(fk && !fk->not_possible && fk->note && strstr(fk->note, "foreign_keys=OFF"));
    CHECK(find_variant(v, n, "with:address_user_id_idx") != NULL);
    CHECK(find_variant(v, n, "with:user_account_name_idx") != NULL);
    CHECK_INT(wb_profile_variants(users, WB_BACKEND_SQLITE, v, 2), 2); /* capacity respected */
}

static const wb_read_def *find_read(const wb_workload *w, const char *name)
{
    int n = 0;
    const wb_read_def *r = wb_reads_for(w, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(r[i].name, name) == 0)
            return &r[i];
    return NULL;
}

static void test_reads(void)
{
    const wb_workload *products = wb_workload_find("products"), *users = wb_workload_find("users");
    int n = 0;
    wb_reads_for(products, &n);
    CHECK_INT(n, 4);
    wb_reads_for(users, &n);
    CHECK_INT(n, 3);

    /* repetition 0 looks up key 1: the generator's name of key 1 (when not NULL) */
    const wb_read_def *by_name = find_read(products, "by-name");
    CHECK(by_name != NULL);
    wb_read_param a[WB_READ_MAX_PARAMS], b[WB_READ_MAX_PARAMS];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    by_name->params(products, 1000, 0, a);
    wb_row row = WB_ROW_INIT;
    wb_row_make(&products->tables[0], 1, 1, &row);
    if (!row.v[1].is_null)
        CHECK_STR(a[0].text, row.v[1].text);
    wb_row_free(&row);
    for (int64_t rep = 0; rep < 50; rep++) { /* deterministic */
        by_name->params(products, 1000, rep, a);
        by_name->params(products, 1000, rep, b);
        CHECK_STR(a[0].text, b[0].text);
    }

    const wb_read_def *prefix = find_read(users, "users-by-name-prefix");
    CHECK(prefix != NULL && prefix->nparams == 2);
    for (int64_t rep = 0; prefix && rep < 200; rep++) {
        prefix->params(users, 5000, rep, a);
        CHECK(strcmp(a[0].text, a[1].text) < 0); /* a non-empty range in byte order */
    }

    const wb_read_def *price = find_read(products, "price-above");
    price->params(products, 1000, 7, a);
    CHECK_STR(a[0].text, "9907.00");
    CHECK_INT(a[0].i64, 990700);
}

/* An accumulator of n samples. */
static wb_stats samples(const double *x, int n)
{
    wb_stats s;
    wb_stats_init(&s);
    for (int i = 0; i < n; i++)
        wb_stats_add(&s, x[i]);
    return s;
}

/* The effect's text as the trade-off table prints it. */
static void check_text(wb_effect ef, const char *expected)
{
    wb_buf text = WB_BUF_INIT;
    wb_effect_text(ef.verdict, ef.change_pct, &text);
    CHECK_STR(wb_buf_str(&text), expected);
    wb_buf_free(&text);
}

/* The rule: Welch's t-test of the means at 95%, never with fewer than 2 samples a
 * side; the percentage is of the medians. p-values of the df-4 cases below by
 * numerical integration of the t density (Simpson, 200,000 steps): {1,2,3} against
 * {3.2,4.2,5.2} gives t = 2.694, p = 0.0544 (just inside the noise), against
 * {3.4,4.4,5.4} t = 2.939, p = 0.0424 (just outside it), against {1.5,2.5,3.5}
 * t = 0.612, p = 0.573. */
static void test_effect_rule(void)
{
    const double base[] = {1, 2, 3}, inside[] = {3.2, 4.2, 5.2}, outside[] = {3.4, 4.4, 5.4},
                 close[] = {1.5, 2.5, 3.5};
    wb_stats b = samples(base, 3), in = samples(inside, 3), out = samples(outside, 3), cl = samples(close, 3);

    wb_effect ef = wb_profile_effect(4.2, &in, 2.0, &b);
    CHECK_INT(ef.verdict, WB_EFFECT_NO_DIFFERENCE);
    CHECK(fabs(ef.p - 0.0544) < 0.0005);
    CHECK(fabs(ef.change_pct - 110.0) < 1e-9); /* the medians' change, kept in profile.csv */
    check_text(ef, "no significant difference");

    ef = wb_profile_effect(4.4, &out, 2.0, &b);
    CHECK_INT(ef.verdict, WB_EFFECT_SIGNIFICANT);
    CHECK(fabs(ef.p - 0.0424) < 0.0005);
    check_text(ef, "+120.0%");
    ef = wb_profile_effect(2.0, &b, 4.4, &out); /* the other way round: faster */
    CHECK_INT(ef.verdict, WB_EFFECT_SIGNIFICANT);
    check_text(ef, "-54.5%");

    ef = wb_profile_effect(2.5, &cl, 2.0, &b);
    CHECK_INT(ef.verdict, WB_EFFECT_NO_DIFFERENCE);
    CHECK(fabs(ef.p - 0.573) < 0.001);

    /* Wikipedia's "Welch's t-test" example 1 (p = 0.021): significant. */
    const double w1[] = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
    const double w2[] = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
    wb_stats s1 = samples(w1, 15), s2 = samples(w2, 15);
    ef = wb_profile_effect(21.4, &s1, 22.1, &s2);
    CHECK_INT(ef.verdict, WB_EFFECT_SIGNIFICANT);
    CHECK(fabs(ef.p - 0.021) < 0.0005);

    /* Fewer than 2 samples on a side: said, not judged; the percentage is still shown. */
    wb_stats one = samples(base, 1);
    ef = wb_profile_effect(1.0, &one, 2.0, &b);
    CHECK_INT(ef.verdict, WB_EFFECT_NOT_JUDGED);
    CHECK(isnan(ef.p));
    check_text(ef, "-50.0% (not judged: fewer than 2 samples a side)");
    ef = wb_profile_effect(2.0, &b, 1.0, &one);
    CHECK_INT(ef.verdict, WB_EFFECT_NOT_JUDGED);

    /* No noise at all: equal samples are no difference, different ones are one. */
    const double twos[] = {2, 2}, threes[] = {3, 3};
    wb_stats t2 = samples(twos, 2), t3 = samples(threes, 2);
    CHECK_INT(wb_profile_effect(2, &t2, 2, &t2).verdict, WB_EFFECT_NO_DIFFERENCE);
    CHECK_INT(wb_profile_effect(3, &t3, 2, &t2).verdict, WB_EFFECT_SIGNIFICANT);

    /* A side not measured. */
    wb_stats none;
    wb_stats_init(&none);
    ef = wb_profile_effect(2, &b, 2, &none);
    CHECK_INT(ef.verdict, WB_EFFECT_UNKNOWN);
    check_text(ef, "not measured");
    CHECK_INT(wb_profile_effect(2, &b, 0, &b).verdict, WB_EFFECT_UNKNOWN);

    /* profile.csv's words, read back by the report. */
    for (int v = WB_EFFECT_SIGNIFICANT; v <= WB_EFFECT_NOT_JUDGED; v++)
        CHECK_INT(wb_effect_verdict_parse(wb_effect_verdict_name((wb_effect_verdict)v)), v);
    CHECK_STR(wb_effect_verdict_name(WB_EFFECT_NO_DIFFERENCE), "no significant difference");
    CHECK_INT(wb_effect_verdict_parse(""), WB_EFFECT_UNKNOWN);
    CHECK_INT(wb_effect_verdict_parse("maybe"), WB_EFFECT_UNKNOWN);
}

/* Which side has the index: a removed one is the baseline's, a candidate the variant's. */
static void test_effect_sides(void)
{
    const wb_workload *products = wb_workload_find("products");
    wb_variant v[WB_PROFILE_MAX_VARIANTS];
    int n = wb_profile_variants(products, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS);
    const wb_variant *removed = find_variant(v, n, "without:products_category_idx");
    const wb_variant *added = find_variant(v, n, "with:products_price_idx");
    CHECK(removed && added);
    if (!removed || !added)
        return;
    const double fast[] = {1.0, 1.1, 0.9}, slow[] = {2.0, 2.1, 1.9};
    wb_variant_result base, variant;
    memset(&base, 0, sizeof base);
    memset(&variant, 0, sizeof variant);
    base.ran = variant.ran = 1;
    base.nreads = variant.nreads = 1;
    base.load_s = 2.0; /* the baseline loads slower and reads faster */
    base.load_samples_s = samples(slow, 3);
    base.latency[0].p50_us = 1.0;
    base.latency[0].samples_us = samples(fast, 3);
    variant.load_s = 1.0;
    variant.load_samples_s = samples(fast, 3);
    variant.latency[0].p50_us = 2.0;
    variant.latency[0].samples_us = samples(slow, 3);
    /* Removed: having it (the baseline) costs load time and saves read time. */
    CHECK(wb_profile_load_effect(removed, &variant, &base).change_pct > 0);
    CHECK(wb_profile_read_effect(removed, &variant, &base, 0).change_pct < 0);
    /* A candidate: having it (the variant) is the other way round. */
    CHECK(wb_profile_load_effect(added, &variant, &base).change_pct < 0);
    CHECK(wb_profile_read_effect(added, &variant, &base, 0).change_pct > 0);
    CHECK_INT(wb_profile_read_effect(added, &variant, &base, 0).verdict, WB_EFFECT_SIGNIFICANT);
    /* Nothing to say of the baseline itself, of a read out of range, or when a side failed. */
    CHECK_INT(wb_profile_load_effect(&v[0], &base, &base).verdict, WB_EFFECT_UNKNOWN);
    CHECK_INT(wb_profile_read_effect(added, &variant, &base, 1).verdict, WB_EFFECT_UNKNOWN);
    variant.ran = 0;
    CHECK_INT(wb_profile_load_effect(added, &variant, &base).verdict, WB_EFFECT_UNKNOWN);
}

/* The report section from a profile run directory: the rows, the plan escaped. */
static void test_report_section(void)
{
    char dir[] = "/tmp/wbtest-profile-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/profile.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("run_id,backend,workload,rows,strategy,variant,read,repetitions,rows_returned,mean_us,p50_us,p95_us,"
          "p99_us,load_s,load_repetitions,plan,load_change_pct,load_p,load_verdict,read_change_pct,read_p,"
          "read_verdict\n"
          "r1,sqlite,products,10,values-multirow,baseline,by-name,5,1.00,4.0,3.9,4.4,4.6,0.01,1,"
          "\"SEARCH products <x> & y\nSCAN\",,,,,,\n"
          "r1,sqlite,products,10,values-multirow,without:products_name_key,by-name,5,1.00,40.0,39.0,44.0,46.0,"
          "0.02,2,SCAN products,12.500,0.3,no significant difference,-90.000,1e-05,significant\n",
          f);
    fclose(f);
    wb_run_info run;
    memset(&run, 0, sizeof run);
    snprintf(run.run_id, sizeof run.run_id, "r1");
    snprintf(run.dir, sizeof run.dir, "%s", dir);
    wb_run_set set = WB_RUN_SET_INIT;
    set.runs = &run;
    set.nruns = 1;
    wb_buf out = WB_BUF_INIT;
    wb_profile_report_section(&set, &out);
    CHECK_CONTAINS(wb_buf_str(&out), "<h2 id=\"profiles\">Profiles</h2>");
    CHECK_CONTAINS(wb_buf_str(&out), "sqlite, products, 10 rows loaded with values-multirow");
    CHECK_CONTAINS(wb_buf_str(&out), "<td>baseline</td><td>by-name</td>");
    CHECK_CONTAINS(wb_buf_str(&out), "SEARCH products &lt;x&gt; &amp; y\nSCAN");
    CHECK_CONTAINS(wb_buf_str(&out), "<th>effect on the load</th><th>effect on the read</th>");
    /* the baseline's effect cells are empty; a variant's say what the console says */
    CHECK_CONTAINS(wb_buf_str(&out), "<td class=\"num\">0.01</td><td class=\"num\"></td><td class=\"num\"></td>");
    CHECK_CONTAINS(wb_buf_str(&out),
                   "<td class=\"num\">no significant difference</td><td class=\"num\">-90.0%</td>");
    wb_buf_free(&out);
    unlink(path);
    wb_buf none = WB_BUF_INIT; /* no profile.csv: nothing at all */
    wb_profile_report_section(&set, &none);
    CHECK_INT(none.len, 0);
    wb_buf_free(&none);
    rmdir(dir);
}

int main(void)
{
    test_variants();
    test_reads();
    test_effect_rule();
    test_effect_sides();
    test_report_section();
    return check_finish();
}
