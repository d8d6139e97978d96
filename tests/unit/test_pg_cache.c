/* The caching study on PostgreSQL (the "pg" fixture's throwaway cluster): the
 * three read paths return verified rows, the LRU path's counters add up, stale
 * reads are counted without invalidation and are zero with it, the table is
 * back at version 1 afterwards, and the study's prepared statements are gone
 * while the caller's own survive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/postgres.h"
#include "check.h"
#include "profile/cache.h"
#include "workloads/schema.h"

#define SCHEMA "wbtest_cache"

static int read_conninfo(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(out, (int)n, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* The single integer a query returns, -1 on error. */
static long long query_int(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    long long v = -1;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        v = atoll(PQgetvalue(res, 0, 0));
    else
        fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(pg));
    PQclear(res);
    return v;
}

static void study_on(const wb_backend *be, wb_conn *c, const char *workload, int64_t rows)
{
    const wb_workload *w = wb_workload_find(workload);
    wb_error e = {{0}};
    PGconn *pg = wb_pg_conn(c);
    CHECK_INT(wb_schema_reset(be, c, w, &e), 0);
    CHECK_INT(wb_schema_generate(be, c, w, rows, 1, &e), 0);
    PQclear(PQprepare(pg, "callers_own", "SELECT 1", 0, NULL));

    wb_cache_study_options o;
    wb_cache_study_result r;
    wb_cache_study_options_default(&o);
    o.lookups = 1000;
    o.capacity = 20;
    o.update_share = 0.25;
    o.update_lookups = 500;
    int rc = wb_cache_study(be, c, w, rows, &o, &r, &e);
    if (rc != 0)
        fprintf(stderr, "study: %s\n", e.msg);
    CHECK_INT(rc, 0);
    printf("study %s rows=%lld capacity=%lld distinct=%lld\n", r.table, (long long)r.rows, (long long)r.capacity,
           (long long)r.distinct_keys);
    for (int p = 0; p < WB_CACHE_PATHS; p++) {
        printf("  %-8s lookups=%lld hit_ratio=%.3f mean=%.2fus p50=%.2fus p95=%.2fus speedup=%.2f\n",
               r.paths[p].name, (long long)r.paths[p].lookups, r.paths[p].hit_ratio, r.paths[p].mean_us,
               r.paths[p].p50_us, r.paths[p].p95_us, r.paths[p].speedup);
        CHECK_INT(r.paths[p].lookups, 1000);
        CHECK(r.paths[p].hit_ratio >= 0 && r.paths[p].hit_ratio <= 1);
        CHECK(r.paths[p].mean_us > 0 && r.paths[p].p50_us <= r.paths[p].p95_us);
    }
    CHECK_INT(r.paths[WB_CACHE_PATH_CACHED].hits + r.paths[WB_CACHE_PATH_CACHED].misses, 1000);
    CHECK(r.paths[WB_CACHE_PATH_CACHED].hit_ratio > 0.3);
    for (int i = 0; i < 2; i++) {
        printf("  update pass invalidate=%d updates=%lld lookups=%lld hits=%lld stale=%lld\n", r.stale[i].invalidate,
               (long long)r.stale[i].updates, (long long)r.stale[i].lookups, (long long)r.stale[i].hits,
               (long long)r.stale[i].stale_reads);
        CHECK_INT(r.stale[i].updates, rows / 4);
        CHECK_INT(r.stale[i].lookups, 500);
    }
    CHECK(r.stale[0].stale_reads > 0);
    CHECK_INT(r.stale[1].stale_reads, 0);
    /* The study's statements are deallocated, the caller's are not. */
    CHECK_INT(query_int(pg, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'wb_cache%'"), 0);
    CHECK_INT(query_int(pg, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'callers_own'"), 1);
    PQclear(PQexec(pg, "DEALLOCATE callers_own"));
    CHECK_INT(wb_schema_count(be, c, &w->tables[0], &e), rows);
    /* Same seed, same counts: the table went back to version 1. */
    wb_cache_study_result again;
    CHECK_INT(wb_cache_study(be, c, w, rows, &o, &again, &e), 0);
    CHECK_INT(again.stale[0].stale_reads, r.stale[0].stale_reads);
    CHECK_INT(again.paths[WB_CACHE_PATH_CACHED].hits, r.paths[WB_CACHE_PATH_CACHED].hits);
}

int main(void)
{
    const char *file = getenv("WB_PG_CONNINFO_FILE");
    if (!file || !*file)
        return CHECK_SKIP("WB_PG_CONNINFO_FILE is not set: no PostgreSQL cluster to test against");
    char conninfo[4096];
    if (read_conninfo(file, conninfo, sizeof conninfo) != 0) {
        fprintf(stderr, "cannot read the conninfo file %s\n", file);
        return 1;
    }
    const wb_backend *be = wb_backend_get(WB_BACKEND_POSTGRES);
    if (!be)
        return CHECK_SKIP("the PostgreSQL backend is not built in");
    wb_target target;
    wb_conn *c = NULL;
    wb_error e = {{0}};
    if (wb_target_parse(conninfo, true, &target, &e) != 0) {
        fprintf(stderr, "cannot parse the conninfo: %s\n", e.msg);
        return 1;
    }
    snprintf(target.schema, sizeof target.schema, "%s", SCHEMA);
    if (be->connect(&target, &c, &e) != 0 || be->claim_namespace(c, true, &e) != 0) {
        fprintf(stderr, "cannot connect and claim schema %s: %s\n", SCHEMA, e.msg);
        be->disconnect(c);
        return 1;
    }
    study_on(be, c, "products", 200);
    study_on(be, c, "users", 200);
    if (be->exec(c, "DROP SCHEMA " SCHEMA " CASCADE", &e) != 0)
        fprintf(stderr, "cleanup: %s\n", e.msg);
    be->disconnect(c);
    return check_finish();
}
