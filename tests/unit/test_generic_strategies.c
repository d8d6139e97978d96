/* The generic strategies' logic without a server: an in-process fake backend
 * implements the statement layer (backends/backend.h) over a table of which keys
 * exist, and records every prepare, execution, begin, commit, rollback and
 * finalize with the connection it came on and the progress reported so far. Each
 * generic strategy of the catalogue is run on it and its statements checked:
 * statements per row or per batch, prepared before the first transaction and
 * released after the last, a commit every --batch rows, the SELECT-then-INSERT or
 * -UPDATE choice, multi-row statements split under the parameter limit with a
 * tail, the dialect's upsert and VALUES forms, progress per statement and commit,
 * one writer for the commit queue, rollback after a failure, and values that are
 * still valid when a statement runs whether or not the backend copies them. The
 * fake keeps what a transaction wrote invisible to the other connections until it
 * commits and checks every foreign key on insert as PostgreSQL does under READ
 * COMMITTED, so with --threads 3 on every_feature (foreign keys into other threads'
 * key ranges) each strategy must commit the parents everywhere before a child
 * references them; and a thread that fails releases the others waiting for it.
 * Also the registry's interface check and the catalogue's choice by capability. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "strategies/generic/generic.h"
#include "strategies/strategy.h"
#include "workloads/schema.h"
#include "workloads/workload.h"

/* ---- the fake database ------------------------------------------------------ */

#define MAX_KEYS 4096
#define MAX_TABLES 4
#define MAX_EVENTS 20000

typedef enum ev_type { EV_PREPARE, EV_EXEC, EV_BEGIN, EV_COMMIT, EV_ROLLBACK, EV_FINALIZE } ev_type;

/* One thing a strategy did, in order. */
typedef struct event {
    ev_type type;
    int conn;          /* the connection's number */
    int once;          /* EV_PREPARE: WB_STMT_ONCE */
    int nparams;       /* EV_PREPARE */
    int table;         /* EV_PREPARE, EV_EXEC: the statement's table */
    char what[16];     /* EV_EXEC: the name the strategy gave the statement */
    char kind[16];     /* EV_EXEC: select, update, insert, upsert, update-from */
    int nrows;         /* EV_EXEC: rows of parameters bound */
    int64_t first_key; /* EV_EXEC: the key of its first row */
    int64_t rows_done; /* progress reported when it happened */
    int values_ok;     /* EV_EXEC: every bound text was the generated row's when it ran */
    char *sql;         /* EV_PREPARE (owned) */
} event;

struct wb_conn {
    int id;
};

typedef struct bound {
    wb_bind_type type;
    int64_t i64;
    const char *text; /* the caller's memory, or copy when the backend copies */
    size_t len;
    char *copy;       /* when the backend copies: room of copy_cap bytes, kept across executions */
    size_t copy_cap;
} bound;

struct wb_stmt {
    wb_conn *conn;
    char *sql;
    int nparams, table;
    const char *kind;
    bound *params;
};

static struct {
    pthread_mutex_t lock;
    const wb_workload *workload;
    unsigned char present[MAX_TABLES][MAX_KEYS + 1]; /* which keys each table holds */
    unsigned char committed[MAX_TABLES][MAX_KEYS + 1]; /* ... of them committed (visible to every connection) */
    signed char owner[MAX_TABLES][MAX_KEYS + 1];       /* the connection that wrote an uncommitted key */
    int in_transaction[8];                              /* per connection id: between begin and commit */
    event events[MAX_EVENTS];
    int nevents;
    int fail_at_exec;  /* > 0: the execution with this number (1-based) fails */
    int execs;
    int commits;       /* commits asked for (conflict_at_commit counts them) */
    int conflicted[8]; /* per connection id: its last failure was a deadlock (fake_conflict) */
    int version;       /* the version the rows bound must be */
    wb_counters *counters;
} db = {.lock = PTHREAD_MUTEX_INITIALIZER};

static wb_backend fake; /* filled in main(); tests change its caps and settings */

/* > 0: the execution, or the commit, with this number (1-based, from reset_db) fails as a
 * deadlock would: the server rolls the transaction back and the connection says it
 * was a conflict (fake_conflict) until its next statement. */
static int conflict_at_exec, conflict_at_commit;

/* Record an event (under the lock) and return it for the caller to complete. */
static event *record(ev_type type, const wb_conn *c)
{
    event *ev = &db.events[db.nevents < MAX_EVENTS ? db.nevents++ : MAX_EVENTS - 1];
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->conn = c ? c->id : -1;
    ev->table = -1;
    ev->rows_done = db.counters ? atomic_load(&db.counters->rows_done) : 0;
    return ev;
}

/* Forget what the last strategy did; the database starts with keys 1..preload. */
static void reset_db(const wb_workload *w, int64_t preload, int version, wb_counters *counters)
{
    for (int i = 0; i < db.nevents; i++)
        free(db.events[i].sql);
    db.nevents = 0;
    db.execs = 0;
    db.commits = 0;
    memset(db.conflicted, 0, sizeof db.conflicted);
    db.fail_at_exec = 0;
    db.workload = w;
    db.version = version;
    db.counters = counters;
    memset(db.present, 0, sizeof db.present);
    memset(db.committed, 0, sizeof db.committed);
    memset(db.in_transaction, 0, sizeof db.in_transaction);
    for (int t = 0; t < w->ntables; t++)
        for (int64_t k = 1; k <= preload && k <= MAX_KEYS; k++)
            db.present[t][k] = db.committed[t][k] = 1;
}

/* Whether row number `key` of table t is visible to connection conn: committed, or its
 * own. The fake holds rows by number (a table with first_key: 0 binds key row - 1). */
static int visible(int t, int64_t key, int conn)
{
    return key >= 1 && key <= MAX_KEYS && db.present[t][key] && (db.committed[t][key] || db.owner[t][key] == conn);
}

/* Check the foreign keys of row r of an insert into table t on conn, as a server does:
 * each parent row must be visible to conn. Returns 0, or -1 with e set. */
static int check_foreign_keys(const wb_stmt *st, int r, int per_row, wb_error *e)
{
    const wb_table *t = &db.workload->tables[st->table];
    for (int i = 0; i < t->nforeign_keys; i++) {
        int column = wb_table_column_index(t, t->foreign_keys[i].column), parent = -1;
        for (int p = 0; p < db.workload->ntables; p++)
            if (strcmp(db.workload->tables[p].name, t->foreign_keys[i].table) == 0)
                parent = p;
        int64_t key = st->params[r * per_row + column].i64;
        if (parent < 0 || !visible(parent, wb_table_row(&db.workload->tables[parent], key), st->conn->id))
            return wb_fail(e, "%s key %lld: its %s references %s key %lld, which connection %d cannot see",
                           t->name, (long long)st->params[r * per_row].i64, t->foreign_keys[i].column,
                           t->foreign_keys[i].table, (long long)key, st->conn->id);
    }
    return 0;
}

/* End connection conn's transaction: its keys committed, or (rollback) gone. */
static void end_transaction(int conn, int commit)
{
    for (int t = 0; t < db.workload->ntables; t++)
        for (int64_t k = 1; k <= MAX_KEYS; k++)
            if (db.present[t][k] && !db.committed[t][k] && db.owner[t][k] == conn) {
                db.committed[t][k] = (unsigned char)commit;
                db.present[t][k] = (unsigned char)commit;
            }
    db.in_transaction[conn] = 0;
}

/* The workload table a statement names ("t" quoted), or -1. */
static int table_of(const char *sql)
{
    for (int t = 0; t < db.workload->ntables; t++) {
        char quoted[128];
        snprintf(quoted, sizeof quoted, "\"%s\"", db.workload->tables[t].name);
        if (strstr(sql, quoted))
            return t;
    }
    return -1;
}

/* What a statement does, from its first words. */
static const char *kind_of(const char *sql)
{
    if (strncmp(sql, "SELECT", 6) == 0)
        return "select";
    if (strncmp(sql, "UPDATE", 6) == 0)
        return strstr(sql, " FROM (") ? "update-from" : "update";
    if (strncmp(sql, "INSERT", 6) == 0)
        return strstr(sql, " ON CONFLICT ") ? "upsert" : "insert";
    return "other";
}

static void fake_table_name(wb_conn *c, const char *table, wb_buf *out)
{
    (void)c;
    wb_buf_printf(out, "\"%s\"", table);
}

static int param_limit = 65535;

static int fake_stmt_prepare(wb_conn *c, const char *sql, int nparams, unsigned flags, const char *name,
                             wb_stmt **out, wb_error *e)
{
    (void)name, (void)e;
    wb_stmt *st = wb_xcalloc(1, sizeof *st);
    st->conn = c;
    st->sql = wb_xstrdup(sql);
    st->nparams = nparams;
    st->params = wb_xcalloc((size_t)(nparams > 0 ? nparams : 1), sizeof *st->params);
    pthread_mutex_lock(&db.lock);
    st->table = table_of(sql);
    st->kind = kind_of(sql);
    event *ev = record(EV_PREPARE, c);
    ev->once = (flags & WB_STMT_ONCE) != 0;
    ev->nparams = nparams;
    ev->table = st->table;
    ev->sql = wb_xstrdup(sql);
    pthread_mutex_unlock(&db.lock);
    *out = st;
    return 0;
}

static int fake_stmt_bind(wb_stmt *st, int first, int n, const wb_bind_value *values, wb_error *e)
{
    if (first < 0 || first + n > st->nparams)
        return wb_fail(e, "bind: parameters %d..%d of %d", first + 1, first + n, st->nparams);
    for (int i = 0; i < n; i++) {
        bound *b = &st->params[first + i];
        b->type = values[i].type;
        b->i64 = values[i].i64;
        b->len = values[i].len;
        b->text = values[i].text;
        if (fake.stmt_bind_copies && b->text) {
            if (b->len + 1 > b->copy_cap) {
                b->copy = wb_xrealloc(b->copy, b->len + 1);
                b->copy_cap = b->len + 1;
            }
            memcpy(b->copy, b->text, b->len);
            b->copy[b->len] = '\0';
            b->text = b->copy;
        }
    }
    return 0;
}

/* Whether the values bound for the row at params[first..] are that row's generated
 * values in the expected version: still alive when the statement runs. */
static int values_alive(const wb_stmt *st, int first, int ncolumns, const int *cols)
{
    if (st->table < 0)
        return 0;
    const wb_table *t = &db.workload->tables[st->table];
    wb_row row = WB_ROW_INIT;
    wb_row_make(t, wb_table_row(t, st->params[first].i64), db.version, &row);
    int alive = 1;
    for (int c = 0; c < ncolumns && c < row.ncolumns && alive; c++) {
        const bound *b = &st->params[first + c];
        const wb_value *v = &row.v[cols ? cols[c] : c];
        if (v->is_null != (b->type == WB_BIND_NULL))
            alive = 0;
        else if (!v->is_null && (b->len != v->len || memcmp(b->text, v->text, v->len) != 0))
            alive = 0;
    }
    wb_row_free(&row);
    return alive;
}

static int fake_stmt_exec(wb_stmt *st, const char *what, wb_row_fn fn, void *arg, int64_t *rows, wb_error *e)
{
    (void)fn, (void)arg;
    pthread_mutex_lock(&db.lock);
    int number = ++db.execs;
    event *ev = record(EV_EXEC, st->conn);
    snprintf(ev->what, sizeof ev->what, "%s", what);
    snprintf(ev->kind, sizeof ev->kind, "%s", st->kind);
    ev->table = st->table;
    int rc = 0;
    int64_t result = 0;
    db.conflicted[st->conn->id] = 0;
    if (number == db.fail_at_exec) {
        rc = wb_fail(e, "%s: injected failure", what);
    } else if (number == conflict_at_exec) {
        rc = wb_fail(e, "%s: Deadlock found when trying to get lock (injected)", what);
        db.conflicted[st->conn->id] = 1;
        end_transaction(st->conn->id, 0);
    } else if (st->table >= 0) {
        const wb_table *table = &db.workload->tables[st->table];
        int ncols = table->ncolumns;
        /* UPDATE ... FROM binds the key and the columns version 2 changes; the others every column */
        int cols[64], *subset = NULL;
        if (strcmp(st->kind, "update-from") == 0) {
            ncols = wb_gen_updated_columns(table, cols);
            subset = cols;
        }
        int per_row = strcmp(st->kind, "select") == 0 ? 1 : ncols;
        ev->nrows = st->nparams / per_row;
        ev->first_key = st->params[0].i64;
        ev->values_ok = 1;
        for (int r = 0; r < ev->nrows; r++) {
            int64_t key = wb_table_row(table, st->params[r * per_row].i64); /* the row number */
            unsigned char *present = key >= 1 && key <= MAX_KEYS ? &db.present[st->table][key] : NULL;
            if (per_row == ncols && !values_alive(st, r * per_row, ncols, subset))
                ev->values_ok = 0;
            if (!present)
                continue;
            if (strcmp(st->kind, "select") == 0 || strcmp(st->kind, "update") == 0 ||
                strcmp(st->kind, "update-from") == 0) {
                result += *present;
            } else if (strcmp(st->kind, "insert") == 0 && *present) {
                rc = wb_fail(e, "%s: duplicate key %lld", what, (long long)key);
            } else if (!*present && (rc = check_foreign_keys(st, r, per_row, e)) == 0) {
                *present = 1;
                db.committed[st->table][key] = 0;
                db.owner[st->table][key] = (signed char)st->conn->id;
                result++;
            } else if (*present) {
                result++; /* an upsert of a row that is there: an update */
            }
            if (rc != 0)
                break;
        }
        if (rc == 0 && !db.in_transaction[st->conn->id])
            end_transaction(st->conn->id, 1); /* autocommit */
    }
    for (int i = 0; i < st->nparams; i++)
        st->params[i] = (bound){.type = WB_BIND_NULL, .copy = st->params[i].copy, .copy_cap = st->params[i].copy_cap};
    pthread_mutex_unlock(&db.lock);
    if (rc == 0 && rows)
        *rows = result;
    return rc;
}

static void fake_stmt_finalize(wb_stmt *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&db.lock);
    record(EV_FINALIZE, st->conn);
    pthread_mutex_unlock(&db.lock);
    for (int i = 0; i < st->nparams; i++)
        free(st->params[i].copy);
    free(st->params);
    free(st->sql);
    free(st);
}

static int fake_transaction(wb_conn *c, ev_type type)
{
    pthread_mutex_lock(&db.lock);
    record(type, c);
    if (type == EV_BEGIN)
        db.in_transaction[c->id] = 1;
    else
        end_transaction(c->id, type == EV_COMMIT);
    pthread_mutex_unlock(&db.lock);
    return 0;
}

static int fake_begin(wb_conn *c, wb_error *e)
{
    (void)e;
    return fake_transaction(c, EV_BEGIN);
}

static int fake_commit(wb_conn *c, wb_error *e)
{
    pthread_mutex_lock(&db.lock);
    int number = ++db.commits;
    db.conflicted[c->id] = number == conflict_at_commit;
    pthread_mutex_unlock(&db.lock);
    if (number == conflict_at_commit) {
        fake_transaction(c, EV_ROLLBACK); /* the server's, of the whole transaction */
        return wb_fail(e, "commit: Deadlock found when trying to get lock (injected)");
    }
    return fake_transaction(c, EV_COMMIT);
}

static void fake_rollback(wb_conn *c)
{
    db.conflicted[c->id] = 0;
    fake_transaction(c, EV_ROLLBACK);
}

/* Whether c's last failure was a deadlock (wb_backend.transaction_conflict). */
static bool fake_conflict(wb_conn *c)
{
    return db.conflicted[c->id] != 0;
}

static int fake_param_limit(wb_conn *c)
{
    (void)c;
    return param_limit;
}

/* The interface's other required methods: never called by the generic strategies. */
static int fake_parse(const char *url, bool for_run, wb_target *t, wb_error *e)
{
    (void)url, (void)for_run, (void)t, (void)e;
    return WB_TARGET_NOT_MINE;
}
static int fake_connect(const wb_target *t, wb_conn **out, wb_error *e)
{
    (void)t, (void)out;
    return wb_fail(e, "the fake has no connections to open");
}
static void fake_disconnect(wb_conn *c) { (void)c; }
static int fake_exec(wb_conn *c, const char *sql, wb_error *e)
{
    (void)c, (void)sql;
    return wb_fail(e, "the fake runs statements only through the statement layer");
}
static int fake_query(wb_conn *c, const char *sql, wb_row_fn fn, void *arg, wb_error *e)
{
    (void)fn, (void)arg;
    return fake_exec(c, sql, e);
}
static int fake_version(wb_conn *c, char *out, size_t n, wb_error *e)
{
    (void)c, (void)e;
    snprintf(out, n, "fake");
    return 0;
}
static int fake_claim(wb_conn *c, bool create, wb_error *e)
{
    (void)c, (void)create, (void)e;
    return 0;
}
static int fake_snapshot(wb_conn *c, wb_snapshot *out, wb_error *e)
{
    (void)c, (void)e;
    *out = WB_SNAPSHOT_UNKNOWN;
    return 0;
}
static void fake_settings(wb_conn *c, wb_buf *out) { (void)c, (void)out; }
static void fake_counters(wb_conn *c, wb_counters *counters) { (void)c, (void)counters; }

/* A dialect unlike either real one where the generic SQL must follow it. */
static wb_dialect fake_dialect = {
    .param_prefix = "$",
    .param_bare = false,
    .max_params = 65535,
    .types =
        {
            [WB_SQL_BIGINT] = {"int8", "::int8", {0}, {0}, {0}, {0}},
            [WB_SQL_TEXT] = {"str", "::str", {0}, {0}, {0}, {0}},
            [WB_SQL_VARCHAR] = {"str(%lld)", "::str", {0}, {0}, {0}, {0}},
            [WB_SQL_NUMERIC] = {"dec(%lld,%lld)", "::dec", {0}, {0}, {0}, {0}},
            [WB_SQL_SMALLINT] = {"int2", "::int2", {0}, {0}, {0}, {0}},
            [WB_SQL_INTEGER] = {"int4", "::int4", {0}, {0}, {0}, {0}},
            [WB_SQL_REAL] = {"f4", "::f4", {0}, {0}, {"(", " / %s.0)"}, {0}},
            [WB_SQL_DOUBLE] = {"f8", "::f8", {0}, {0}, {"(", " / %s.0)"}, {0}},
            [WB_SQL_BOOLEAN] = {"bool", "::bool", {0}, {0}, {0}, {0}},
            [WB_SQL_CHAR] = {"chars(%lld)", "::str", {0}, {0}, {0}, {0}},
            [WB_SQL_DATE] = {"day", "::day", {0}, {0}, {"day(", ")"}, {0}},
            [WB_SQL_TIMESTAMP] = {"ts", "::ts", {0}, {0}, {"ts(", ")"}, {0}},
            [WB_SQL_TIMESTAMPTZ] = {"tstz", "::tstz", {0}, {0}, {"tstz(", ")"}, {0}},
            [WB_SQL_UUID] = {"uuid", "::uuid", {0}, {0}, {0}, {0}},
            [WB_SQL_JSON] = {"json", "::json", {0}, {0}, {0}, {0}},
            [WB_SQL_JSONB] = {"jsonb", "::jsonb", {0}, {0}, {0}, {0}},
            [WB_SQL_BYTEA] = {"blob", "::blob", {0}, {0}, {0}, {0}},
        },
    .bytes_from_hex = {"X'", "'"},
    .hex_digits = {"hex(", ", %lld)"},
    .values_column = NULL,
    .begin_sql = "BEGIN",
    .key_cast = "(%s)",
    .chr_format = "chr(%u)",
    .distinct_op = "IS DISTINCT FROM",
    .concat_op = " || ",
    .int_div_op = " / ",
    .cast_type = {"int8", "str", "dec"},
    .decimal_from_cents = " / 100.0",
    .series_prefix = "",
    .series_from = "s",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .upsert_clause = " ON CONFLICT (%s) DO UPDATE SET ",
    .upsert_value = "incoming.%s",
};
static const char *const fake_schemes[] = {"fake", NULL};

static void fake_init(void)
{
    fake = (wb_backend){
        .interface_version = WB_BACKEND_INTERFACE_VERSION,
        .name = "fake",
        .display_name = "Fake",
        .dialect = &fake_dialect,
        .caps = WB_CAP_UPSERT | WB_CAP_UPDATE_FROM,
        .schemes = fake_schemes,
        .forms = "fake:",
        .parse_target = fake_parse,
        .connect = fake_connect,
        .disconnect = fake_disconnect,
        .exec = fake_exec,
        .query = fake_query,
        .server_version = fake_version,
        .claim_namespace = fake_claim,
        .table_name = fake_table_name,
        .snapshot = fake_snapshot,
        .describe_settings = fake_settings,
        .attach_counters = fake_counters,
        .stmt_prepare = fake_stmt_prepare,
        .stmt_bind = fake_stmt_bind,
        .stmt_exec = fake_stmt_exec,
        .stmt_finalize = fake_stmt_finalize,
        .begin = fake_begin,
        .commit = fake_commit,
        .rollback = fake_rollback,
        .param_limit = fake_param_limit,
        .transaction_conflict = fake_conflict,
    };
}

/* ---- running a strategy on the fake ----------------------------------------- */

#define MAX_THREADS 4

typedef struct run {
    wb_counters counters;
    wb_conn conns[MAX_THREADS];
    wb_conn *conn_ptrs[MAX_THREADS];
    wb_error error;
    int rc;
} run;

/* Run strategy `name`'s generic function on the fake over w, after loading keys
 * 1..preload; fills r (counters, error, rc). */
static void run_generic(const char *name, const wb_workload *w, wb_phase phase, int64_t rows, int64_t batch,
                        int threads, int64_t preload, int fail_at_exec, run *r)
{
    memset(r, 0, sizeof *r);
    const wb_strategy *s = wb_strategy_find(name);
    wb_strategy_fn fn = s ? wb_strategy_fn_on(s, &fake, WB_BACKEND_COUNT, NULL) : NULL;
    CHECK(fn != NULL && fn == s->generic);
    int version = phase == WB_PHASE_UPDATE ? 2 : 1;
    reset_db(w, preload, version, &r->counters);
    db.fail_at_exec = fail_at_exec;
    for (int i = 0; i < threads; i++) {
        r->conns[i].id = i;
        r->conn_ptrs[i] = &r->conns[i];
    }
    wb_ctx ctx = {.backend = &fake, .workload = w, .phase = phase, .version = version, .rows = rows,
                  .batch = batch, .threads = threads, .conns = r->conn_ptrs, .counters = &r->counters,
                  .error = &r->error};
    r->rc = fn ? fn(&ctx) : -1;
}

static int count(ev_type type, int conn)
{
    int n = 0;
    for (int i = 0; i < db.nevents; i++)
        n += db.events[i].type == type && (conn < 0 || db.events[i].conn == conn);
    return n;
}

/* Executions whose strategy-given name is what. */
static int count_execs(const char *what)
{
    int n = 0;
    for (int i = 0; i < db.nevents; i++)
        n += db.events[i].type == EV_EXEC && strcmp(db.events[i].what, what) == 0;
    return n;
}

static int first_index(ev_type type)
{
    for (int i = 0; i < db.nevents; i++)
        if (db.events[i].type == type)
            return i;
    return -1;
}

static int last_index(ev_type type)
{
    for (int i = db.nevents - 1; i >= 0; i--)
        if (db.events[i].type == type)
            return i;
    return -1;
}

/* Whether every table holds exactly keys 1..rows. */
static int holds_keys(const wb_workload *w, int64_t rows)
{
    for (int t = 0; t < w->ntables; t++)
        for (int64_t k = 1; k <= MAX_KEYS; k++)
            if (db.present[t][k] != (k <= rows))
                return 0;
    return 1;
}

/* Every execution saw its rows' generated values. */
static int values_all_ok(void)
{
    for (int i = 0; i < db.nevents; i++)
        if (db.events[i].type == EV_EXEC && db.events[i].table >= 0 && strcmp(db.events[i].kind, "select") != 0 &&
            !db.events[i].values_ok)
            return 0;
    return 1;
}

/* ---- the tests ---------------------------------------------------------------- */

static const wb_workload *products, *users, *every;

static void test_interface_check(void)
{
    wb_error e = {{0}};
    for (int k = 0; k < WB_BACKEND_COUNT; k++)
        CHECK_INT(wb_backend_check(wb_backend_get((wb_backend_kind)k), &e), 0);
    CHECK(wb_backend_get(WB_BACKEND_COUNT) == NULL);
    CHECK_INT(wb_backend_check(&fake, &e), 0);
    wb_backend broken = fake;
    broken.stmt_exec = NULL;
    CHECK_INT(wb_backend_check(&broken, &e), -1);
    CHECK_CONTAINS(e.msg, "lacks stmt_exec");
    broken = fake; /* a backend that can drop constraints says how they are named */
    broken.caps |= WB_CAP_DROP_CONSTRAINT;
    broken.drop_constraints_sql = NULL;
    CHECK_INT(wb_backend_check(&broken, &e), -1);
    CHECK_CONTAINS(e.msg, "lacks drop_constraints_sql");
    broken = fake;
    broken.interface_version = WB_BACKEND_INTERFACE_VERSION + 1;
    CHECK_INT(wb_backend_check(&broken, &e), -1);
    CHECK_CONTAINS(e.msg, "interface version");
    /* a dialect that cannot declare text, which every workload's tables may have */
    wb_dialect partial = fake_dialect;
    partial.types[WB_SQL_TEXT].decl = NULL;
    broken = fake;
    broken.dialect = &partial;
    CHECK_INT(wb_backend_check(&broken, &e), -1);
    CHECK_CONTAINS(e.msg, "lacks dialect.types[text].decl");
    /* one that does not declare varchar(n) yet is a backend, but refuses a workload with one */
    partial = fake_dialect;
    partial.types[WB_SQL_VARCHAR].decl = NULL;
    CHECK_INT(wb_backend_check(&broken, &e), 0);
    const wb_workload *users = wb_workload_find("users");
    CHECK(users != NULL);
    if (users) {
        CHECK_INT(wb_schema_supported(&broken, users, &e), -1);
        CHECK_CONTAINS(e.msg, "is varchar(n), which writebench does not support on");
    }
}

/* Which function a strategy gets follows the capabilities, and says what is missing. */
static void test_by_capability(void)
{
    const wb_strategy *on_conflict = wb_strategy_find("on-conflict");
    const wb_strategy *copy = wb_strategy_find("copy-binary");
    const wb_strategy *replace = wb_strategy_find("replace");
    const wb_strategy *load = wb_strategy_find("load-then-index");
    CHECK(on_conflict && copy && replace && load);
    if (!on_conflict || !copy || !replace || !load)
        return;
    wb_buf why = WB_BUF_INIT;
    unsigned caps = fake.caps;
    fake.caps &= ~WB_CAP_UPSERT;
    CHECK(wb_strategy_fn_on(on_conflict, &fake, WB_BACKEND_COUNT, &why) == NULL);
    CHECK_STR(wb_buf_str(&why), "it needs upsert");
    fake.caps = caps;
    CHECK(wb_strategy_fn_on(on_conflict, &fake, WB_BACKEND_COUNT, NULL) == on_conflict->generic);
    wb_buf_reset(&why);
    CHECK(wb_strategy_fn_on(copy, &fake, WB_BACKEND_COUNT, &why) == NULL);
    CHECK_STR(wb_buf_str(&why), "it needs COPY");
    fake.caps |= WB_CAP_COPY; /* COPY alone does not make PostgreSQL's function this backend's */
    wb_buf_reset(&why);
    CHECK(wb_strategy_fn_on(copy, &fake, WB_BACKEND_COUNT, &why) == NULL);
    CHECK_STR(wb_buf_str(&why), "it is native to PostgreSQL");
    fake.caps = caps;
    wb_buf_reset(&why);
    CHECK(wb_strategy_fn_on(replace, &fake, WB_BACKEND_COUNT, &why) == NULL);
    CHECK_STR(wb_buf_str(&why), "it is native to SQLite and MariaDB");
    /* a native function wins where it exists, the generic one elsewhere */
    CHECK(wb_strategy_fn_on(load, &fake, WB_BACKEND_COUNT, NULL) == load->generic);
    CHECK(wb_strategy_fn_for(load, WB_BACKEND_SQLITE, NULL) == load->generic);
    CHECK(wb_strategy_fn_for(load, WB_BACKEND_POSTGRES, NULL) != NULL);
    CHECK(wb_strategy_fn_for(load, WB_BACKEND_POSTGRES, NULL) != load->generic);
    /* every catalogue entry runs somewhere */
    for (const wb_strategy *s = wb_catalog; s->name; s++) {
        int runs = 0;
        for (int k = 0; k < WB_BACKEND_COUNT; k++)
            runs += wb_strategy_fn_for(s, (wb_backend_kind)k, NULL) != NULL;
        if (runs == 0)
            printf("%s runs on no backend\n", s->name);
        CHECK(runs > 0);
    }
    wb_buf_free(&why);
}

/* single-autocommit: each row prepared for itself, executed, released; no
 * transaction; progress after every row. */
static void test_single_autocommit(void)
{
    run r;
    run_generic("single-autocommit", products, WB_PHASE_INSERT, 12, 5, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count(EV_EXEC, -1), 12);
    CHECK_INT(count(EV_BEGIN, -1) + count(EV_COMMIT, -1), 0);
    int execs = 0;
    for (int i = 0; i < db.nevents; i++) {
        const event *ev = &db.events[i];
        if (ev->type != EV_EXEC)
            continue;
        /* prepare (once) just before, finalize just after, and every row before it reported */
        CHECK(i > 0 && db.events[i - 1].type == EV_PREPARE && db.events[i - 1].once);
        CHECK(i + 1 < db.nevents && db.events[i + 1].type == EV_FINALIZE);
        CHECK_INT(ev->rows_done, execs);
        CHECK_INT(ev->first_key, execs + 1);
        execs++;
    }
    CHECK_INT(atomic_load(&r.counters.rows_done), 12);
    CHECK(holds_keys(products, 12) && values_all_ok());
}

/* single-tx and batch-commit: one transaction, or one every --batch rows counted
 * across the tables of a thread; progress at each commit. */
static void test_commits(void)
{
    run r;
    run_generic("single-tx", users, WB_PHASE_INSERT, 12, 5, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count(EV_BEGIN, -1), 1);
    CHECK_INT(count(EV_COMMIT, -1), 1);
    CHECK_INT(count(EV_PREPARE, -1), 12 * users->ntables); /* parsed for every row */
    CHECK(first_index(EV_BEGIN) < first_index(EV_EXEC) && last_index(EV_COMMIT) > last_index(EV_EXEC));
    CHECK(holds_keys(users, 12) && values_all_ok());

    run_generic("batch-commit", users, WB_PHASE_INSERT, 12, 5, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    int total = 12 * users->ntables, commits = (total + 4) / 5;
    CHECK_INT(count(EV_BEGIN, -1), commits);
    CHECK_INT(count(EV_COMMIT, -1), commits);
    int begins = 0, since_begin = 0, ok = 1;
    for (int i = 0; i < db.nevents; i++) {
        const event *ev = &db.events[i];
        if (ev->type == EV_BEGIN) {
            ok &= ev->rows_done == 5 * begins; /* the rows of every commit before were reported */
            begins++;
            since_begin = 0;
        } else if (ev->type == EV_EXEC) {
            ok &= ++since_begin <= 5;
        }
    }
    CHECK(ok);
    CHECK_INT(atomic_load(&r.counters.rows_done), total);
}

/* prepared: one statement per table, prepared before the transaction and released
 * after it; inside the long transaction progress every WB_GEN_PROGRESS_ROWS rows. */
static void test_prepared(void)
{
    run r;
    int64_t rows = 2 * WB_GEN_PROGRESS_ROWS + 500;
    run_generic("prepared", products, WB_PHASE_INSERT, rows, 1000, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count(EV_PREPARE, -1), products->ntables);
    CHECK(!db.events[first_index(EV_PREPARE)].once);
    CHECK(last_index(EV_PREPARE) < first_index(EV_BEGIN));
    CHECK(first_index(EV_FINALIZE) > last_index(EV_COMMIT));
    CHECK_INT(count(EV_EXEC, -1), rows);
    CHECK_INT(count(EV_BEGIN, -1), 1);
    int64_t seen = 0, ok = 1;
    for (int i = 0; i < db.nevents; i++)
        if (db.events[i].type == EV_EXEC) {
            /* execution n (0-based) sees the rows reported in whole steps of the progress interval */
            ok &= db.events[i].rows_done == seen / WB_GEN_PROGRESS_ROWS * WB_GEN_PROGRESS_ROWS;
            seen++;
        }
    CHECK(ok);
    CHECK_INT(atomic_load(&r.counters.rows_done), rows);
    CHECK(holds_keys(products, rows) && values_all_ok());
}

/* The SELECT-then-INSERT or -UPDATE choice, and UPDATE-then-INSERT, on empty and full tables. */
static void test_per_row_upserts(void)
{
    run r;
    run_generic("select-then-write", products, WB_PHASE_INSERT, 10, 4, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count_execs("select"), 10);
    CHECK_INT(count_execs("insert"), 10);
    CHECK_INT(count_execs("update"), 0);
    CHECK_INT(count(EV_COMMIT, -1), 3); /* every 4 rows: 4, 8, then the last 2 */
    CHECK(holds_keys(products, 10));
    run_generic("select-then-write", products, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count_execs("select"), 10);
    CHECK_INT(count_execs("update"), 10);
    CHECK_INT(count_execs("insert"), 0);
    CHECK(values_all_ok());
    /* half there: the choice is per row */
    run_generic("select-then-write", products, WB_PHASE_UPDATE, 10, 4, 1, 5, 0, &r);
    CHECK_INT(count_execs("update"), 5);
    CHECK_INT(count_execs("insert"), 5);
    CHECK(holds_keys(products, 10));

    run_generic("update-then-insert", products, WB_PHASE_INSERT, 10, 4, 1, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count_execs("update"), 10);
    CHECK_INT(count_execs("insert"), 10);
    CHECK(holds_keys(products, 10));
    run_generic("update-then-insert", products, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(count_execs("update"), 10);
    CHECK_INT(count_execs("insert"), 0);

    run_generic("on-conflict", users, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count_execs("upsert"), 10 * users->ntables);
    CHECK_INT(count(EV_COMMIT, -1), (10 * users->ntables + 3) / 4);
    CHECK_CONTAINS(db.events[first_index(EV_PREPARE)].sql, " ON CONFLICT (\"id\") DO UPDATE SET \"name\" = incoming.\"name\"");
    CHECK(values_all_ok());
}

/* Multi-row statements: split under the parameter limit with a tail statement,
 * both prepared once per table; rows kept alive until executed, whether or not
 * the backend copies them; progress per statement. */
static void test_batches(void)
{
    for (int copies = 0; copies <= 1; copies++) {
        fake.stmt_bind_copies = copies;
        param_limit = 20; /* products: 4 columns, 5 rows a statement */
        int per = 20 / products->tables[0].ncolumns;
        run r;
        run_generic("values-multirow", products, WB_PHASE_INSERT, 23, 50, 1, 0, 0, &r);
        CHECK_INT(r.rc, 0);
        CHECK_INT(count(EV_PREPARE, -1), 2);
        CHECK_INT(db.events[first_index(EV_PREPARE)].nparams, per * products->tables[0].ncolumns);
        CHECK_INT(db.events[last_index(EV_PREPARE)].nparams, (23 % per) * products->tables[0].ncolumns);
        CHECK_INT(count(EV_EXEC, -1), 23 / per + 1);
        CHECK_INT(count(EV_BEGIN, -1), 1);
        int64_t next_key = 1, ok = 1;
        for (int i = 0; i < db.nevents; i++)
            if (db.events[i].type == EV_EXEC) {
                ok &= db.events[i].first_key == next_key && db.events[i].rows_done == next_key - 1;
                next_key += db.events[i].nrows;
            }
        CHECK(ok);
        CHECK_INT(next_key, 24);
        CHECK(holds_keys(products, 23));
        CHECK(values_all_ok());

        /* a --batch under the limit sets the size */
        param_limit = 65535;
        run_generic("on-conflict-batch", users, WB_PHASE_UPDATE, 10, 3, 1, 10, 0, &r);
        CHECK_INT(r.rc, 0);
        CHECK_INT(count(EV_EXEC, -1), users->ntables * 4); /* 3 + 3 + 3 + 1 per table */
        CHECK_CONTAINS(db.events[first_index(EV_PREPARE)].sql, "VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9) ON CONFLICT");
        CHECK(values_all_ok());
    }
    fake.stmt_bind_copies = false;
}

/* bulk-update: the update pass only, UPDATE ... FROM a VALUES list in the dialect's form. */
static void test_bulk_update(void)
{
    run r;
    run_generic("bulk-update", products, WB_PHASE_INSERT, 10, 4, 1, 0, 0, &r);
    CHECK_INT(r.rc, -1);
    CHECK_CONTAINS(r.error.msg, "update pass only");
    CHECK_INT(db.nevents, 0);
    run_generic("bulk-update", products, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count_execs("update"), 3);
    CHECK_CONTAINS(db.events[first_index(EV_PREPARE)].sql, "FROM (VALUES ($1::int8, $2::str, ");
    CHECK_CONTAINS(db.events[first_index(EV_PREPARE)].sql, ") AS v (\"id\", \"name\", ");
    CHECK(values_all_ok());
    /* a dialect without a column alias list for VALUES: a subselect names the columns */
    fake_dialect.values_column = "column%d";
    run_generic("bulk-update", products, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_CONTAINS(db.events[first_index(EV_PREPARE)].sql, "FROM (SELECT column1 AS \"id\", column2 AS \"name\"");
    fake_dialect.values_column = NULL;
    /* only the columns version 2 changes: address sends its key and street_address, not user_id */
    run_generic("bulk-update", users, WB_PHASE_UPDATE, 10, 4, 1, 10, 0, &r);
    CHECK_INT(r.rc, 0);
    int address_prepares = 0;
    for (int i = 0; i < db.nevents; i++)
        if (db.events[i].type == EV_PREPARE && db.events[i].table == 1) {
            address_prepares++;
            CHECK_CONTAINS(db.events[i].sql, ") AS v (\"id\", \"street_address\") WHERE");
            CHECK(strstr(db.events[i].sql, "user_id") == NULL);
            CHECK_INT(db.events[i].nparams % 2, 0);
        }
    CHECK(address_prepares > 0);
    CHECK(values_all_ok());
    CHECK_INT(atomic_load(&r.counters.rows_done), 10 * users->ntables);
}

/* commit-queue: producer threads, but one writer on the first connection, a commit every --batch rows. */
static void test_commit_queue(void)
{
    run r;
    run_generic("commit-queue", users, WB_PHASE_INSERT, 30, 7, 3, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    int total = 30 * users->ntables;
    CHECK_INT(count(EV_EXEC, 0), total);
    CHECK_INT(count(EV_EXEC, -1), total);
    CHECK_INT(count(EV_COMMIT, 0), (total + 6) / 7);
    CHECK_INT(count(EV_PREPARE, 0), users->ntables);
    CHECK_INT(atomic_load(&r.counters.rows_done), total);
    /* parents before children: no address row before the last user_account row */
    int last_parent = -1, first_child = db.nevents;
    for (int i = 0; i < db.nevents; i++)
        if (db.events[i].type == EV_EXEC) {
            if (db.events[i].table == 0)
                last_parent = i;
            else if (first_child == db.nevents)
                first_child = i;
        }
    CHECK(last_parent < first_child);
    CHECK(holds_keys(users, 30) && values_all_ok());
}

/* Threads: disjoint key ranges, each its own transaction on its own connection. */
static void test_threads(void)
{
    run r;
    run_generic("single-tx", products, WB_PHASE_INSERT, 10, 5, 3, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    for (int c = 0; c < 3; c++) {
        CHECK_INT(count(EV_BEGIN, c), 1);
        CHECK_INT(count(EV_COMMIT, c), 1);
    }
    CHECK(holds_keys(products, 10)); /* the fake refuses a key inserted twice */
    /* more threads than rows: idle threads open no transaction */
    run_generic("single-tx", products, WB_PHASE_INSERT, 2, 5, 3, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    CHECK_INT(count(EV_BEGIN, -1), 2);
    CHECK_INT(count(EV_BEGIN, 2), 0);
}

/* Parents before children across threads: every_feature's orders reference customers
 * 0..4 ((k - 1) % 5, customers' keys start at 0) and its order items orders
 * (k - 1) / 3 + 1, rows in thread 1's
 * range that threads 2 and 3 reference. The fake refuses a child whose parent another
 * connection has not committed, so each threaded strategy passes only if every thread
 * commits a table before any thread writes the next; on an update pass nothing waits
 * (every parent is there). */
static void test_threads_parents_first(void)
{
    static const char *const threaded[] = {"single-autocommit", "single-tx", "batch-commit", "prepared",
                                           "values-multirow", "select-then-write", "update-then-insert",
                                           "on-conflict", "on-conflict-batch", "commit-queue", NULL};
    enum { ROWS = 30 };
    run r;
    for (const char *const *name = threaded; *name; name++) {
        run_generic(*name, every, WB_PHASE_INSERT, ROWS, 4, 3, 0, 0, &r);
        if (r.rc != 0)
            fprintf(stderr, "%s: %s\n", *name, r.error.msg);
        CHECK_INT(r.rc, 0);
        CHECK(holds_keys(every, ROWS));
        /* every row of the earlier tables written before the first of the next (the fake has
         * checked each child's parents were visible to its connection: committed, or its own) */
        for (int t = 1; t < every->ntables; t++) {
            int first_child = -1, last_parent = -1;
            for (int i = 0; i < db.nevents; i++) {
                const event *ev = &db.events[i];
                if (ev->type == EV_EXEC && ev->table == t && first_child < 0)
                    first_child = i;
                if (ev->type == EV_EXEC && ev->table >= 0 && ev->table < t)
                    last_parent = i;
            }
            CHECK(first_child > last_parent);
        }
        CHECK_INT(atomic_load(&r.counters.rows_done), ROWS * every->ntables);
    }
    /* single-tx: one transaction per thread, split before each of the two tables that wait */
    run_generic("single-tx", every, WB_PHASE_INSERT, ROWS, 4, 3, 0, 0, &r);
    for (int c = 0; c < 3; c++)
        CHECK_INT(count(EV_COMMIT, c), 3);
    /* an update pass finds the parents in place: one transaction per thread */
    run_generic("on-conflict-batch", every, WB_PHASE_UPDATE, ROWS, 4, 3, ROWS, 0, &r);
    CHECK_INT(r.rc, 0);
    for (int c = 0; c < 3; c++)
        CHECK_INT(count(EV_COMMIT, c), 1);
    /* users' address.user_id references the same key, in the same range: nothing waits */
    run_generic("single-tx", users, WB_PHASE_INSERT, ROWS, 4, 3, 0, 0, &r);
    CHECK_INT(r.rc, 0);
    for (int c = 0; c < 3; c++)
        CHECK_INT(count(EV_COMMIT, c), 1);
}

/* A transaction the server rolls back (a deadlock) is run again from where it began,
 * its rows counted once: in the row loop and in the batch loop, a statement or the
 * commit the victim, one thread or three with parents across threads. */
static void test_conflicts_retried(void)
{
    static const struct {
        const char *strategy, *workload;
        int exec, commit, threads;
    } cases[] = {
        {"values-multirow", "products", 2, 0, 1}, /* the second statement of the one transaction */
        {"values-multirow", "users", 0, 1, 1},    /* its commit: both tables again */
        {"values-multirow", "every_feature", 5, 0, 3},
        {"values-multirow", "every_feature", 0, 4, 3}, /* a commit before a meeting point */
        {"on-conflict-batch", "users", 3, 0, 1},
        {"single-tx", "users", 7, 0, 1}, /* the row loop */
        {"batch-commit", "every_feature", 0, 2, 3},
    };
    enum { ROWS = 24 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const wb_workload *w = strcmp(cases[i].workload, "every_feature") == 0 ? every
                               : wb_workload_find(cases[i].workload);
        conflict_at_exec = cases[i].exec, conflict_at_commit = cases[i].commit;
        run r;
        run_generic(cases[i].strategy, w, WB_PHASE_INSERT, ROWS, 4, cases[i].threads, 0, 0, &r);
        conflict_at_exec = conflict_at_commit = 0;
        if (r.rc != 0)
            fprintf(stderr, "%s on %s: %s\n", cases[i].strategy, cases[i].workload, r.error.msg);
        CHECK_INT(r.rc, 0);
        CHECK(holds_keys(w, ROWS));
        CHECK_INT(atomic_load(&r.counters.transaction_retries), 1);
        CHECK_INT(atomic_load(&r.counters.rows_done), ROWS * w->ntables);
    }
    /* a failure that is no conflict is not retried */
    conflict_at_exec = 0;
    run r;
    run_generic("values-multirow", wb_workload_find("users"), WB_PHASE_INSERT, ROWS, 4, 1, 0, 2, &r);
    CHECK_INT(r.rc, -1);
    CHECK_INT(atomic_load(&r.counters.transaction_retries), 0);
    CHECK_CONTAINS(r.error.msg, "injected failure");
}

/* A thread that fails while the others wait for it to finish the parents: they are
 * released and end with an error too (each rolls back), never wait forever; the
 * error reported is the failing thread's, not the "stopped" of those it released.
 * Execution 5 is a customers row (no orders row comes before every customer is
 * committed), whichever thread it falls to. */
static void test_threads_failure_releases(void)
{
    static const char *const threaded[] = {"single-tx", "prepared", "values-multirow", "on-conflict", NULL};
    run r;
    for (const char *const *name = threaded; *name; name++) {
        run_generic(*name, every, WB_PHASE_INSERT, 30, 2, 3, 0, 5, &r);
        CHECK_INT(r.rc, -1);
        CHECK_CONTAINS(r.error.msg, "customers key");
        CHECK_CONTAINS(r.error.msg, "injected failure");
        CHECK(strstr(r.error.msg, "stopped") == NULL);
        for (int c = 0; c < 3; c++) /* the failing batch writer rolls back twice: its table, its thread */
            CHECK(count(EV_ROLLBACK, c) >= 1);
        int children = 0;
        for (int i = 0; i < db.nevents; i++)
            children += db.events[i].type == EV_EXEC && db.events[i].table > 0;
        CHECK_INT(children, 0); /* no child written */
    }
}

/* The meeting itself, without a database: threads that return (an empty range, or
 * their work done) are not waited for; an error releases the others at once. */
typedef struct meet_probe {
    int fail_thread;            /* this thread (0-based) fails before the first meeting; -1 none */
    int meetings;               /* each thread meets this many times */
    int stopped[MAX_THREADS];   /* threads that got the "stopped" error */
    int met[MAX_THREADS];       /* meetings each thread passed */
} meet_probe;

static int meet_thread(wb_ctx *ctx, int thread, wb_conn *conn, int64_t first_key, int64_t last_key, void *arg,
                       wb_error *e)
{
    (void)conn;
    meet_probe *p = arg;
    if (first_key > last_key)
        return 0; /* an empty range: returns at once, never meets */
    if (thread == p->fail_thread)
        return wb_fail(e, "planted failure of thread %d", thread + 1);
    for (int i = 0; i < p->meetings; i++) {
        if (wb_threads_wait(ctx, e) != 0) {
            p->stopped[thread] = 1;
            return -1;
        }
        p->met[thread]++;
    }
    return 0;
}

static void test_thread_meetings(void)
{
    run r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < MAX_THREADS; i++) {
        r.conns[i].id = i;
        r.conn_ptrs[i] = &r.conns[i];
    }
    wb_ctx ctx = {.backend = &fake, .workload = every, .phase = WB_PHASE_INSERT, .version = 1, .rows = 30,
                  .threads = 3, .conns = r.conn_ptrs, .error = &r.error};
    meet_probe p = {-1, 4, {0}, {0}};
    CHECK_INT(wb_run_threads(&ctx, meet_thread, &p), 0);
    for (int t = 0; t < 3; t++)
        CHECK_INT(p.met[t], 4);
    CHECK(ctx.sync == NULL);
    /* 2 rows over 3 threads: the third has none and returns, the two others still meet */
    ctx.rows = 2;
    memset(&p, 0, sizeof p);
    p.fail_thread = -1;
    p.meetings = 3;
    CHECK_INT(wb_run_threads(&ctx, meet_thread, &p), 0);
    CHECK(p.met[0] == 3 && p.met[1] == 3 && p.met[2] == 0);
    /* thread 2 fails before the first meeting: 1 and 3 are released and say why */
    ctx.rows = 30;
    memset(&p, 0, sizeof p);
    p.fail_thread = 1;
    p.meetings = 2;
    CHECK_INT(wb_run_threads(&ctx, meet_thread, &p), -1);
    CHECK_STR(r.error.msg, "thread 2: planted failure of thread 2");
    CHECK(p.stopped[0] && p.stopped[2] && p.met[0] == 0 && p.met[2] == 0);
    /* outside wb_run_threads, and with one thread, a meeting is a no-op */
    wb_error e = {{0}};
    CHECK_INT(wb_threads_wait(&ctx, &e), 0);
    CHECK_INT(wb_threads_sync_before(&ctx, 1), 0);
    ctx.threads = 1;
    memset(&p, 0, sizeof p);
    p.fail_thread = -1;
    p.meetings = 2;
    CHECK_INT(wb_run_threads(&ctx, meet_thread, &p), 0);
    CHECK_INT(p.met[0], 2);
}

/* A failing execution: the error names the table and key, the transaction is rolled
 * back, and the statements are released after the rollback, with nothing committed. */
static void test_failure(void)
{
    run r;
    run_generic("prepared", products, WB_PHASE_INSERT, 10, 5, 1, 0, 4, &r);
    CHECK_INT(r.rc, -1);
    CHECK_CONTAINS(r.error.msg, "products key 4: insert: injected failure");
    CHECK_INT(count(EV_COMMIT, -1), 0);
    CHECK_INT(count(EV_ROLLBACK, -1), 1);
    CHECK(first_index(EV_ROLLBACK) < first_index(EV_FINALIZE));
    CHECK_INT(count(EV_FINALIZE, -1), count(EV_PREPARE, -1));
    CHECK_INT(atomic_load(&r.counters.rows_done), 0);

    run_generic("values-multirow", products, WB_PHASE_INSERT, 10, 4, 1, 0, 2, &r);
    CHECK_INT(r.rc, -1);
    CHECK_CONTAINS(r.error.msg, "products keys 5..8: insert: injected failure");
    CHECK(first_index(EV_ROLLBACK) < first_index(EV_FINALIZE));
    CHECK_INT(count(EV_COMMIT, -1), 0);
}

int main(void)
{
    products = wb_workload_find("products");
    users = wb_workload_find("users");
    if (!products || !users)
        return CHECK_SKIP("the built-in workloads products and users are needed");
    wb_error e = {{0}};
    if (wb_workload_open(WB_SOURCE_DIR "/tests/workloads/every_feature.yaml", &every, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    if (products->ntables > MAX_TABLES || users->ntables > MAX_TABLES || every->ntables > MAX_TABLES)
        return CHECK_SKIP("a workload has more tables than the fake holds");
    fake_init();
    test_interface_check();
    test_by_capability();
    test_single_autocommit();
    test_commits();
    test_prepared();
    test_per_row_upserts();
    test_batches();
    test_bulk_update();
    test_commit_queue();
    test_threads();
    test_threads_parents_first();
    test_threads_failure_releases();
    test_conflicts_retried();
    test_thread_meetings();
    test_failure();
    for (int i = 0; i < db.nevents; i++)
        free(db.events[i].sql);
    return check_finish();
}
