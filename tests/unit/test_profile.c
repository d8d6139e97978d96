/* Unit tests of profile's pieces: the trade-off variants and the reads, derived
 * from each workload's tables on each backend (products, users and the test-only
 * every_feature with its composite indexes and three foreign keys, the lists
 * asserted whole); the reads' SQL in both dialects and their deterministic
 * parameters taken from the generator; every read run and checked on an
 * in-memory SQLite database loaded by the server, with the rows checked counted
 * exactly, and a planted wrong value caught; the "no significant difference"
 * rule on known samples; and the report section with its effect columns. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "backends/sqlite.h"
#include "check.h"
#include "profile/profile.h"
#include "profile/reads.h"
#include "profile/profile_report.h"
#include "workloads/schema.h"

#define EVERY_FEATURE WB_SOURCE_DIR "/tests/workloads/every_feature.yaml"

static const wb_workload *every_feature(void)
{
    static const wb_workload *w;
    wb_error e = {{0}};
    if (!w && wb_workload_open(EVERY_FEATURE, &w, &e) != 0)
        fprintf(stderr, "%s\n", e.msg);
    return w;
}

static const wb_variant *find_variant(const wb_variant *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* Check that the variants of w on kind are exactly names (NULL-terminated), in order. */
static void check_variant_names(const wb_workload *w, wb_backend_kind kind, const char *const *names)
{
    wb_variant v[WB_PROFILE_MAX_VARIANTS];
    int omitted = -1;
    int n = wb_profile_variants(w, kind, v, WB_PROFILE_MAX_VARIANTS, &omitted);
    CHECK_INT(omitted, 0);
    int want = 0;
    while (names[want])
        want++;
    CHECK_INT(n, want);
    for (int i = 0; i < n && i < want; i++)
        CHECK_STR(v[i].name, names[i]);
}

static void test_variants(void)
{
    const wb_workload *products = wb_workload_find("products"), *users = wb_workload_find("users");
    const wb_workload *every = every_feature();
    CHECK(every != NULL);
    if (!every)
        return;
    static const char *const products_variants[] = {"baseline", "without:products_name_key",
                                                    "without:products_category_idx", "without:products_check",
                                                    NULL};
    check_variant_names(products, WB_BACKEND_SQLITE, products_variants);
    check_variant_names(products, WB_BACKEND_POSTGRES, products_variants);
    wb_variant v[WB_PROFILE_MAX_VARIANTS];
    int n = wb_profile_variants(products, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS, NULL);
    const wb_variant *check = find_variant(v, n, "without:products_check");
    CHECK(check && check->not_possible && strstr(check->not_possible, "not droppable on SQLite"));
    n = wb_profile_variants(products, WB_BACKEND_POSTGRES, v, WB_PROFILE_MAX_VARIANTS, NULL);
    check = find_variant(v, n, "without:products_check");
    CHECK(check && !check->not_possible);

    /* users: its foreign key, and the index the parent-to-children join wants */
    static const char *const users_variants[] = {"baseline", "without:address_user_id_fkey",
                                                 "with:address_user_id_idx", NULL};
    check_variant_names(users, WB_BACKEND_SQLITE, users_variants);
    check_variant_names(users, WB_BACKEND_POSTGRES, users_variants);
    n = wb_profile_variants(users, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS, NULL);
    const wb_variant *fk = find_variant(v, n, "without:address_user_id_fkey");
    CHECK(fk && !fk->not_possible && fk->note && strstr(fk->note, "foreign_keys=OFF"));
    const wb_variant *cand = find_variant(v, n, "with:address_user_id_idx");
    CHECK(cand && cand->kind == WB_VARIANT_ADD_INDEX && strcmp(cand->index_column, "user_id") == 0 &&
          strcmp(cand->table->name, "address") == 0);
    int omitted = 0;
    CHECK_INT(wb_profile_variants(users, WB_BACKEND_SQLITE, v, 2, &omitted), 2); /* capacity respected */
    CHECK_INT(omitted, 1);

    /* every_feature: every index, each table's CHECKs, each foreign key where it can be
     * dropped (all at once where only enforcement switches off), and the one foreign
     * key column no index starts with (order_items.customer_id) as a candidate */
    static const char *const every_sqlite[] = {
        "baseline", "without:customers_email_key", "without:customers_region_code_idx",
        "without:customers_code_region_key", "without:customers_check", "without:orders_customer_id_idx",
        "without:foreign_keys", "without:order_items_order_id_customer_id_key", "without:order_items_check",
        "with:order_items_customer_id_idx", NULL};
    static const char *const every_pg[] = {
        "baseline", "without:customers_email_key", "without:customers_region_code_idx",
        "without:customers_code_region_key", "without:customers_check", "without:orders_customer_id_idx",
        "without:orders_customer_id_fkey", "without:order_items_order_id_customer_id_key",
        "without:order_items_check", "without:order_items_order_id_fkey", "without:order_items_customer_id_fkey",
        "with:order_items_customer_id_idx", NULL};
    check_variant_names(every, WB_BACKEND_SQLITE, every_sqlite);
    check_variant_names(every, WB_BACKEND_POSTGRES, every_pg);
    n = wb_profile_variants(every, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS, NULL);
    fk = find_variant(v, n, "without:foreign_keys");
    CHECK(fk && fk->kind == WB_VARIANT_DROP_FK && !fk->not_possible && fk->note &&
          strstr(fk->note, "foreign_keys=OFF"));
    CHECK(fk && strcmp(fk->subject, "every foreign key (3)") == 0);
    n = wb_profile_variants(every, WB_BACKEND_POSTGRES, v, WB_PROFILE_MAX_VARIANTS, NULL);
    fk = find_variant(v, n, "without:order_items_customer_id_fkey");
    CHECK(fk && fk->fk_column && strcmp(fk->fk_column, "customer_id") == 0 && !fk->note && !fk->not_possible);
}

/* Check that the reads of w are exactly names (NULL-terminated), in order; returns them. */
static wb_read_def *check_read_names(const wb_workload *w, const char *const *names, int *count)
{
    wb_read_def *reads = NULL;
    int n = wb_reads_derive(w, &reads), want = 0;
    while (names[want])
        want++;
    CHECK_INT(n, want);
    for (int i = 0; i < n && i < want; i++)
        CHECK_STR(reads[i].name, names[i]);
    *count = n;
    return reads;
}

static const wb_read_def *find_read(const wb_read_def *reads, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(reads[i].name, name) == 0)
            return &reads[i];
    return NULL;
}

static const char *const products_reads[] = {"by-key:products", "by-unique:products(name)",
                                             "by-prefix:products(category)", NULL};
static const char *const users_reads[] = {"by-key:user_account", "by-key:address", "join-parent:address.user_id",
                                          "join-children:address.user_id", NULL};
static const char *const every_reads[] = {
    "by-key:customers", "by-unique:customers(email)", "by-unique:customers(code+region)",
    "by-prefix:customers(region)", "by-prefix:customers(code)",
    "by-key:orders", "by-prefix:orders(customer_id)", "join-parent:orders.customer_id",
    "join-children:orders.customer_id",
    "by-key:order_items", "by-unique:order_items(order_id+customer_id)", "by-prefix:order_items(order_id)",
    "join-parent:order_items.order_id", "join-children:order_items.order_id", "join-parent:order_items.customer_id",
    "join-children:order_items.customer_id", NULL};

static wb_conn *open_memory(void)
{
    const wb_backend *be = wb_backend_get(WB_BACKEND_SQLITE);
    wb_target target;
    wb_error e = {{0}};
    wb_conn *c = NULL;
    if (wb_target_parse("sqlite::memory:", false, &target, &e) != 0 || be->connect(&target, &c, &e) != 0 ||
        be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "cannot open an in-memory database: %s\n", e.msg);
        be->disconnect(c);
        return NULL;
    }
    return c;
}

static void test_reads_derived(void)
{
    const wb_workload *every = every_feature();
    if (!every)
        return;
    int n = 0;
    wb_read_def *r = check_read_names(wb_workload_find("products"), products_reads, &n);
    const wb_read_def *by_name = find_read(r, n, "by-unique:products(name)");
    CHECK(by_name && by_name->kind == WB_READ_BY_UNIQUE && by_name->nparams == 1 &&
          strcmp(by_name->index_name, "products_name_key") == 0);
    free(r);
    r = check_read_names(wb_workload_find("users"), users_reads, &n);
    const wb_read_def *children = find_read(r, n, "join-children:address.user_id");
    CHECK(children && children->kind == WB_READ_JOIN_CHILDREN && strcmp(children->parent->name, "user_account") == 0);
    free(r);
    r = check_read_names(every, every_reads, &n);
    const wb_read_def *pair = find_read(r, n, "by-unique:customers(code+region)");
    CHECK(pair && pair->nparams == 2 && strcmp(pair->index_name, "customers_code_region_key") == 0 &&
          strcmp(pair->columns_text, "code+region") == 0);
    const wb_read_def *region = find_read(r, n, "by-prefix:customers(region)");
    CHECK(region && strcmp(region->index_name, "customers_region_code_idx") == 0);

    /* The SQL in both dialects: the placeholders, the quoted names, the joins' shape. */
    wb_conn *c = open_memory();
    const wb_backend *sqlite = wb_backend_get(WB_BACKEND_SQLITE);
    if (c && pair && children) {
        wb_buf sql = WB_BUF_INIT;
        wb_read_sql(pair, sqlite, c, &sql);
        CHECK_STR(wb_buf_str(&sql), "SELECT \"customer_id\", \"email\", \"region\", \"credit\", \"code\" FROM "
                                    "\"customers\" WHERE \"code\" = ?1 AND \"region\" = ?2");
        wb_buf_reset(&sql);
        wb_read_sql(find_read(r, n, "join-children:orders.customer_id"), sqlite, c, &sql);
        CHECK_STR(wb_buf_str(&sql),
                  "SELECT p.\"customer_id\", p.\"email\", p.\"region\", p.\"credit\", p.\"code\", c.\"order_id\", "
                  "c.\"customer_id\", c.\"note\" FROM \"customers\" p JOIN \"orders\" c ON c.\"customer_id\" = "
                  "p.\"customer_id\" WHERE p.\"customer_id\" = ?1");
        wb_buf_reset(&sql);
        wb_read_sql(find_read(r, n, "join-parent:order_items.order_id"), sqlite, c, &sql);
        CHECK_STR(wb_buf_str(&sql),
                  "SELECT c.\"item_id\", c.\"order_id\", c.\"customer_id\", c.\"amount\", p.\"order_id\", "
                  "p.\"customer_id\", p.\"note\" FROM \"order_items\" c JOIN \"orders\" p ON p.\"order_id\" = "
                  "c.\"order_id\" WHERE c.\"item_id\" = ?1");
        wb_buf_free(&sql);
    }
    sqlite->disconnect(c);

    /* Parameters: deterministic, a row's own non-NULL values, the join's parent one
     * its anchor child references. */
    wb_read_param a[WB_READ_MAX_PARAMS], b[WB_READ_MAX_PARAMS];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    for (int64_t rep = 0; pair && rep < 100; rep++) {
        wb_read_params(pair, 1000, rep, a);
        wb_read_params(pair, 1000, rep, b);
        CHECK_STR(a[0].text, b[0].text);
        CHECK_STR(a[1].text, b[1].text);
        CHECK(!a[0].is_null && !a[1].is_null && a[0].type == WB_TYPE_TEXT);
        CHECK(strncmp(a[0].text, "C-", 2) == 0); /* code: "C-" || k, never hostile */
    }
    const wb_read_def *items = find_read(r, n, "join-children:order_items.order_id");
    if (items) {
        wb_read_params(items, 999, 5, a);
        int64_t anchor = 1 + (int64_t)(((uint64_t)5 * 2654435761u) % 999u);
        CHECK_INT(a[0].i64, (anchor - 1) / 3 + 1); /* children_per_parent 3 */
        CHECK(a[0].type == WB_TYPE_INT64);
    }
    free(r);
}

/* Load w's keys 1..rows into a fresh in-memory SQLite database (the server writes
 * them: wb_schema_generate) and run and check every read. */
static void test_reads_run(const wb_workload *w, int64_t rows)
{
    const wb_backend *be = wb_backend_get(WB_BACKEND_SQLITE);
    wb_conn *c = open_memory();
    wb_error e = {{0}};
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_INT(wb_schema_reset(be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, w, rows, 1, &e), 0);
    wb_read_def *reads = NULL;
    int n = wb_reads_derive(w, &reads);
    for (int i = 0; i < n; i++) {
        wb_latency l;
        int rc = wb_read_measure(be, c, &reads[i], rows, 20, &l, &e);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", reads[i].name, e.msg);
        CHECK_INT(rc, 0);
        CHECK_INT(l.repetitions, 20);
        CHECK(l.rows_checked >= 1);
        CHECK(l.rows_returned_mean >= 1);
        if (reads[i].kind == WB_READ_BY_KEY || reads[i].kind == WB_READ_BY_UNIQUE ||
            reads[i].kind == WB_READ_JOIN_PARENT) {
            CHECK_INT(l.rows_checked, 1);
            CHECK(l.rows_returned_mean == 1.0);
        }
        for (int64_t rep = 0; rep < 5; rep++)
            CHECK_INT(wb_read_check(be, c, &reads[i], rows, rep, NULL, &e), 0);
    }
    free(reads);
    be->disconnect(c);
}

/* every_feature, 60 rows: the rows each read must return, counted by hand from its
 * definitions, and a wrong value in the database caught by the check. */
static void test_reads_exact(void)
{
    const wb_workload *w = every_feature();
    if (!w)
        return;
    enum { ROWS = 60 };
    const wb_backend *be = wb_backend_get(WB_BACKEND_SQLITE);
    wb_conn *c = open_memory();
    wb_error e = {{0}};
    if (!c)
        return;
    CHECK_INT(wb_schema_reset(be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, w, ROWS, 1, &e), 0);
    wb_read_def *reads = NULL;
    int n = wb_reads_derive(w, &reads);
    int64_t checked = -1;
    /* orders.customer_id is (k - 1) % 5 + 1: 12 of the 60 orders per customer */
    const wb_read_def *children = find_read(reads, n, "join-children:orders.customer_id");
    CHECK(children && wb_read_check(be, c, children, ROWS, 0, &checked, &e) == 0);
    CHECK_INT(checked, ROWS / 5);
    const wb_read_def *by_customer = find_read(reads, n, "by-prefix:orders(customer_id)");
    CHECK(by_customer && wb_read_check(be, c, by_customer, ROWS, 3, &checked, &e) == 0);
    CHECK_INT(checked, ROWS / 5);
    /* order_items.order_id is (k - 1) / 3 + 1: three items per order */
    const wb_read_def *items = find_read(reads, n, "join-children:order_items.order_id");
    CHECK(items && wb_read_check(be, c, items, ROWS, 7, &checked, &e) == 0);
    CHECK_INT(checked, 3);
    /* the anchor order of repetition 0 is order 1, customer 1 */
    const wb_read_def *parent = find_read(reads, n, "join-parent:orders.customer_id");
    CHECK(parent && wb_read_check(be, c, parent, ROWS, 0, &checked, &e) == 0);
    CHECK_INT(checked, 1);

    /* A wrong value: order 6 (customer 1) gets another note. The join of customer 1
     * and its orders, and the lookup of order 6's customer, must say so. */
    CHECK_INT(be->exec(c, "UPDATE \"orders\" SET \"note\" = 'planted' WHERE \"order_id\" = 6", &e), 0);
    CHECK(children && wb_read_check(be, c, children, ROWS, 0, NULL, &e) != 0);
    CHECK_CONTAINS(e.msg, "orders key 6: returned");
    CHECK_CONTAINS(e.msg, "planted");
    /* A missing row: the join's count no longer matches the generator's. */
    CHECK_INT(be->exec(c, "UPDATE \"orders\" SET \"note\" = 'order 6 placed' WHERE \"order_id\" = 6", &e), 0);
    CHECK(children && wb_read_check(be, c, children, ROWS, 0, NULL, &e) == 0);
    CHECK_INT(be->exec(c, "PRAGMA foreign_keys = OFF; DELETE FROM \"order_items\"; DELETE FROM \"orders\" WHERE "
                          "\"order_id\" = 11", &e), 0);
    CHECK(children && wb_read_check(be, c, children, ROWS, 0, NULL, &e) != 0);
    CHECK_CONTAINS(e.msg, "returned 11 rows, the generator says 12");
    /* The timed executions notice a lookup that finds nothing. */
    const wb_read_def *by_key = find_read(reads, n, "by-key:customers");
    CHECK_INT(be->exec(c, "DELETE FROM \"orders\"; DELETE FROM \"customers\"", &e), 0);
    wb_latency l;
    CHECK(by_key && wb_read_measure(be, c, by_key, ROWS, 3, &l, &e) != 0);
    CHECK_CONTAINS(e.msg, "read by-key:customers: ");
    free(reads);
    be->disconnect(c);
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
    const wb_workload *users = wb_workload_find("users"), *products = wb_workload_find("products");
    wb_variant v[WB_PROFILE_MAX_VARIANTS], u[WB_PROFILE_MAX_VARIANTS];
    int n = wb_profile_variants(products, WB_BACKEND_SQLITE, v, WB_PROFILE_MAX_VARIANTS, NULL);
    int nu = wb_profile_variants(users, WB_BACKEND_SQLITE, u, WB_PROFILE_MAX_VARIANTS, NULL);
    const wb_variant *removed = find_variant(v, n, "without:products_category_idx");
    const wb_variant *added = find_variant(u, nu, "with:address_user_id_idx");
    CHECK(removed && added);
    if (!removed || !added)
        return;
    const double fast[] = {1.0, 1.1, 0.9}, slow[] = {2.0, 2.1, 1.9};
    wb_variant_result base, variant;
    wb_latency base_latency, variant_latency;
    memset(&base, 0, sizeof base);
    memset(&variant, 0, sizeof variant);
    memset(&base_latency, 0, sizeof base_latency);
    memset(&variant_latency, 0, sizeof variant_latency);
    base.latency = &base_latency;
    variant.latency = &variant_latency;
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
    test_reads_derived();
    test_reads_run(wb_workload_find("products"), 300);
    test_reads_run(wb_workload_find("users"), 300);
    if (every_feature())
        test_reads_run(every_feature(), 300);
    test_reads_exact();
    test_effect_rule();
    test_effect_sides();
    test_report_section();
    return check_finish();
}
