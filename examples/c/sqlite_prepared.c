/* A minimal writebench external strategy in C: SQLite, one prepared statement
 * per table, one transaction. It writes exactly the values of docs/WORKLOADS.md
 * (hostile rows included) with bound parameters, so `--verify values` accepts it.
 * The protocol it follows is docs/EXTERNAL.md.
 *
 * Build and run (Debian: apt-get install libsqlite3-dev):
 *
 *     cc -std=c11 -O2 -o sqlite_prepared examples/c/sqlite_prepared.c -lsqlite3
 *     writebench run --rows 10000 --strategies prepared --external c-prepared=./sqlite_prepared
 *
 * It reports its timed region (the transaction, after opening the database) in
 * $WRITEBENCH_REPORT, so that its rows/s leave out the process's start-up.
 *
 * Exit status: 0 when every row is written, 77 (skipped) when the backend is not
 * SQLite, 1 on any error (the message is on stderr). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum column_type { KEY, TEXT, PRICE };

/* Writes the ordinary (not hostile) value of a column for key k, version v. */
typedef void ordinary_fn(long long k, int v, char *out, size_t size);

struct column {
    const char *name;
    enum column_type type;
    int offset;   /* of the hostile kind (docs/WORKLOADS.md, "The offsets") */
    int nullable; /* kind 0 gives NULL */
    int unique;   /* kind 1 (empty) does not apply */
    ordinary_fn *ordinary;
};

struct table {
    const char *name;
    int ncolumns; /* the key "id" first */
    struct column columns[4];
};

static void user_name(long long k, int v, char *out, size_t size)
{
    snprintf(out, size, "user%lld%s", k, v == 2 ? "_v2" : "");
}
static void user_fullname(long long k, int v, char *out, size_t size)
{
    snprintf(out, size, "User %lld %s", k, v == 2 ? "Smith-Jones" : "Smith");
}
static void street_address(long long k, int v, char *out, size_t size)
{
    snprintf(out, size, "%lld %s", k, v == 2 ? "Oak Avenue" : "Main Street");
}
static void product_name(long long k, int v, char *out, size_t size)
{
    snprintf(out, size, "product %lld%s", k, v == 2 ? " v2" : "");
}
static void product_category(long long k, int v, char *out, size_t size)
{
    snprintf(out, size, "category %lld%s", k % 100, v == 2 ? " v2" : "");
}
/* Exact decimal text with two places ("79.19"): hundredths in 64-bit integers. */
static void product_price(long long k, int v, char *out, size_t size)
{
    long long cents = (k * 7919 + (v - 1) * 1013) % 1000000;
    snprintf(out, size, "%lld.%02lld", cents / 100, cents % 100);
}

static const struct table tables[] = {
    {"user_account", 3, {{"id", KEY, 0, 0, 0, NULL},
                         {"name", TEXT, 0, 0, 0, user_name},
                         {"fullname", TEXT, 3, 1, 0, user_fullname}}},
    {"address", 3, {{"id", KEY, 0, 0, 0, NULL},
                    {"street_address", TEXT, 5, 0, 0, street_address},
                    {"user_id", KEY, 0, 0, 0, NULL}}},
    {"products", 4, {{"id", KEY, 0, 0, 0, NULL},
                     {"name", TEXT, 0, 1, 1, product_name},
                     {"category", TEXT, 4, 1, 0, product_category},
                     {"price", PRICE, 6, 1, 0, product_price}}},
};

/* What a hostile kind puts before the ordinary text (kinds 2..7). */
static const char *const decorations[8] = {
    NULL, NULL, "O'Brien ", "C:\\temp\\N ", "tab\t", "line\n", "cr\r", "Zoë … 日本 ",
};

/* The value of a non-key column: writes it into out and returns out, or returns
 * NULL for SQL NULL. */
static const char *column_value(const struct column *c, long long k, int v, char *out, size_t size)
{
    char ordinary[64];
    c->ordinary(k, v, ordinary, sizeof ordinary);
    int kind = k % 10 == 7 ? (int)((k / 10 + c->offset + v - 1) % 8) : -1;
    if (kind == 0 && c->nullable)
        return NULL;
    if (kind == 1 && !c->unique)
        snprintf(out, size, "%s", c->type == PRICE ? "0.00" : "");
    else if (kind >= 2 && c->type == TEXT)
        snprintf(out, size, "%s%s", decorations[kind], ordinary);
    else
        snprintf(out, size, "%s", ordinary);
    return out;
}

/* Exits with status 1 after naming what failed. */
static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_prepared: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
    sqlite3_close(db);
    exit(1);
}

/* The INSERT (insert phase) or UPDATE (update phase) of a table; parameter i+1 is
 * column i, so one binding loop serves both. */
static void statement_sql(const struct table *t, int update, char *sql, size_t size)
{
    size_t len = 0;
    if (!update) {
        len += (size_t)snprintf(sql + len, size - len, "INSERT INTO \"%s\" (", t->name);
        for (int i = 0; i < t->ncolumns; i++)
            len += (size_t)snprintf(sql + len, size - len, "%s\"%s\"", i ? ", " : "", t->columns[i].name);
        len += (size_t)snprintf(sql + len, size - len, ") VALUES (");
        for (int i = 0; i < t->ncolumns; i++)
            len += (size_t)snprintf(sql + len, size - len, "%s?%d", i ? ", " : "", i + 1);
        snprintf(sql + len, size - len, ")");
    } else {
        len += (size_t)snprintf(sql + len, size - len, "UPDATE \"%s\" SET ", t->name);
        for (int i = 1; i < t->ncolumns; i++)
            len += (size_t)snprintf(sql + len, size - len, "%s\"%s\" = ?%d", i > 1 ? ", " : "",
                                    t->columns[i].name, i + 1);
        snprintf(sql + len, size - len, " WHERE \"id\" = ?1");
    }
}

/* Writes keys 1..rows of one table in version v with one prepared statement. */
static void write_table(sqlite3 *db, const struct table *t, long long rows, int v, int update)
{
    char sql[512];
    sqlite3_stmt *st;
    statement_sql(t, update, sql, sizeof sql);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    for (long long k = 1; k <= rows; k++) {
        char values[4][128];
        for (int i = 0; i < t->ncolumns; i++) {
            const struct column *c = &t->columns[i];
            const char *text;
            int rc;
            if (c->type == KEY)
                rc = sqlite3_bind_int64(st, i + 1, k);
            else if ((text = column_value(c, k, v, values[i], sizeof values[i])) == NULL)
                rc = sqlite3_bind_null(st, i + 1);
            else /* a price as exact text: a NUMERIC column stores '79.19' as 79.19 */
                rc = sqlite3_bind_text(st, i + 1, text, -1, SQLITE_STATIC);
            if (rc != SQLITE_OK)
                die(db, "bind");
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            die(db, t->name);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

/* An environment variable writebench always sets; exits 1 when it is missing. */
static const char *need_env(const char *name)
{
    const char *value = getenv(name);
    if (!value || !*value) {
        fprintf(stderr, "sqlite_prepared: %s is not set (run me through writebench --external)\n", name);
        exit(1);
    }
    return value;
}

/* Writes the timed region from start to end into $WRITEBENCH_REPORT, the one JSON
 * object writebench reads (docs/EXTERNAL.md); exits 1 when it cannot. */
static void report_timed_region(const struct timespec *start, const struct timespec *end)
{
    const char *path = getenv("WRITEBENCH_REPORT");
    if (!path || !*path)
        return; /* an older writebench: it times the whole process */
    double duration_s = (double)(end->tv_sec - start->tv_sec) + (double)(end->tv_nsec - start->tv_nsec) / 1e9;
    FILE *f = fopen(path, "w");
    int failed = !f || fprintf(f, "{\"duration_s\": %.9f}\n", duration_s) < 0;
    if ((f && fclose(f) != 0) || failed) {
        fprintf(stderr, "sqlite_prepared: cannot write the report %s\n", path);
        exit(1);
    }
}

int main(void)
{
    if (strcmp(need_env("WRITEBENCH_BACKEND"), "sqlite") != 0) {
        /* 77 = skipped; the last line of stderr is the reason */
        fprintf(stderr, "this example writes SQLite only\n");
        return 77;
    }
    const char *path = need_env("WRITEBENCH_SQLITE_PATH");
    long long rows = strtoll(need_env("WRITEBENCH_ROWS"), NULL, 10);
    int version = atoi(need_env("WRITEBENCH_DATA_VERSION"));
    int update = strcmp(need_env("WRITEBENCH_PHASE"), "update") == 0;
    char table_list[256];
    snprintf(table_list, sizeof table_list, "%s", need_env("WRITEBENCH_TABLES"));

    sqlite3 *db = NULL;
    /* READWRITE without CREATE: writebench made the file and the tables */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(db, path);
    sqlite3_busy_timeout(db, 1000 * atoi(need_env("WRITEBENCH_TIMEOUT_S")));
    /* The timed region: from here, the database open, to its COMMIT */
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* writebench's own per-connection defaults (run.conf, sqlite.*), to compare like with like */
    if (sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE", NULL, NULL,
                     NULL) != SQLITE_OK)
        die(db, "BEGIN");
    /* WRITEBENCH_TABLES lists parents first, so foreign keys are satisfied */
    for (char *name = strtok(table_list, ","); name; name = strtok(NULL, ",")) {
        const struct table *t = NULL;
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
            if (strcmp(tables[i].name, name) == 0)
                t = &tables[i];
        if (!t) {
            fprintf(stderr, "sqlite_prepared: unknown table %s\n", name);
            return 1;
        }
        write_table(db, t, rows, version, update);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "COMMIT");
    clock_gettime(CLOCK_MONOTONIC, &end);
    sqlite3_close(db);
    report_timed_region(&start, &end);
    return 0;
}
