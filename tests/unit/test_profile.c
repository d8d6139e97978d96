/* Unit tests of profile's pieces that need no database: the trade-off variants
 * per workload and backend, and the reads' deterministic parameters (taken
 * from the generator, the same every time, the prefix range bounding the
 * prefix). */
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
    wb_row row;
    wb_row_make(&products->tables[0], 1, 1, &row);
    if (!row.v[1].is_null)
        CHECK_STR(a[0].text, row.v[1].text);
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
          "p99_us,load_s,load_repetitions,plan\n"
          "r1,sqlite,products,10,values-multirow,baseline,by-name,5,1.00,4.0,3.9,4.4,4.6,0.01,1,"
          "\"SEARCH products <x> & y\nSCAN\"\n",
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
    test_report_section();
    return check_finish();
}
