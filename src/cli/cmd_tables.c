/* `writebench setup | count | show | drop`: small helpers on the workload's
 * tables, through the backend interface and only inside writebench's own
 * namespace: every command claims it first (claim_namespace refuses a file or
 * schema writebench did not create), and only setup may create anything. The two
 * that write (setup, drop) also take the database's lock (backends/lock.h), so they
 * are refused while a run works there; count and show only read and take none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "backends/lock.h"
#include "cli/text.h"
#include "util/display.h"
#include "workloads/schema.h"

#define MAX_SHOW_LIMIT 1000000
/* A cell of `show` longer than this is cut (with "...") so one value cannot break the table. */
#define MAX_CELL_COLUMNS 48

typedef struct tables_options {
    const char *db;
    const char *schema;
    const char *workload;
    int64_t limit;
    int echo;
} tables_options;

#define DB_OPT(help) {"--db", WB_OPT_DB, offsetof(tables_options, db), "URL", help, 0, 0}
#define WORKLOAD_OPT                                                                           \
    {"--workload", WB_OPT_STRING, offsetof(tables_options, workload), "NAME|FILE",            \
     "whose tables: users, products, or the path of a workload file. Default: users.", 0, 0}, \
    {"--schema", WB_OPT_STRING, offsetof(tables_options, schema), "NAME",                     \
     "PostgreSQL: writebench's schema. Default: writebench.", 0, 0},                         \
    {"--echo", WB_OPT_FLAG, offsetof(tables_options, echo), NULL,                             \
     "print every SQL statement sent, with its duration, to stderr.", 0, 0}
#define DB_REQUIRED_HELP "the database a run used: sqlite:///path/file.db as run printed it, or the PostgreSQL URL or conninfo string or the mariadb:// URL it used. Required."

static const wb_opt setup_opts[] = {
    DB_OPT("where to create the tables: sqlite:///path/file.db (created, and marked as "
           "writebench's), a PostgreSQL URL or conninfo string (in writebench's own, marked "
           "schema), or a mariadb:// URL (in the database it names, created and marked). Default: a "
           "new SQLite file in a fresh temporary directory."),
    WORKLOAD_OPT,
    WB_OPT_END,
};

static const wb_opt tables_opts[] = {
    DB_OPT(DB_REQUIRED_HELP),
    WORKLOAD_OPT,
    WB_OPT_END,
};

static const wb_opt show_opts[] = {
    DB_OPT(DB_REQUIRED_HELP),
    WORKLOAD_OPT,
    {"--limit", WB_OPT_INT64, offsetof(tables_options, limit), "N",
     "rows shown per table, lowest keys first. Default: 10.", 1, MAX_SHOW_LIMIT},
    WB_OPT_END,
};

/* An open connection to writebench's namespace, with the workload to work on. */
typedef struct session {
    const char *cmd;
    const wb_backend *backend;
    wb_target target;
    wb_conn *conn;
    const wb_workload *workload;
    wb_db_lock *lock; /* setup and drop: held until close_session */
} session;

/* Parse the options and connect; `create` lets setup create the database; `writes`
 * takes the database's lock for the command (setup, drop).
 * Returns 0, or -1 with the exit status in *status (after --help, or the error line). */
static int open_session(const wb_opt *opts, int argc, char **argv, bool create, bool writes, tables_options *o,
                        session *s, int *status)
{
    memset(s, 0, sizeof *s);
    s->cmd = argv[0];
    if (wb_cli_parse(opts, argc, argv, o, NULL, NULL, status) != 0)
        return -1;
    *status = 2;
    if (wb_cli_find_workload(s->cmd, o->workload, &s->workload) != 0)
        return -1;
    if (!create && !o->db) {
        wb_cli_fail(s->cmd, "--db is required: name the database a run used (run prints it)");
        return -1;
    }
    wb_error e = {{0}};
    if (wb_target_parse(o->db, false, &s->target, &e) != 0) {
        wb_cli_fail(s->cmd, "%s", e.msg);
        return -1;
    }
    if (s->target.in_memory) {
        wb_cli_fail(s->cmd, "an in-memory database starts empty and is gone when the command ends; "
                            "give the file a run used");
        return -1;
    }
    s->backend = wb_backend_get(s->target.kind);
    if (s->target.temp_server) {
        wb_cli_fail(s->cmd, "%s is a throwaway %s that lives only during a run; give the database to work on",
                    s->target.url_redacted, s->backend->temp_server_noun ? s->backend->temp_server_noun : "server");
        return -1;
    }
    if (wb_cli_apply_schema(s->cmd, o->schema, &s->target) != 0)
        return -1;
    s->target.may_create = create;
    s->target.echo = o->echo != 0;
    if (s->backend->connect(&s->target, &s->conn, &e) != 0 ||
        s->backend->claim_namespace(s->conn, create, &e) != 0 ||
        (writes && wb_db_lock_take(&s->target, s->cmd, NULL, &s->lock, &e) != 0)) {
        wb_cli_fail(s->cmd, "%s", e.msg);
        if (s->conn)
            s->backend->disconnect(s->conn);
        s->conn = NULL;
        return -1;
    }
    return 0;
}

static void close_session(session *s)
{
    if (s->conn)
        s->backend->disconnect(s->conn);
    s->conn = NULL;
    wb_db_lock_release(s->lock);
    s->lock = NULL;
}

/* Print an error from below as the command's one line and close; returns 2. */
static int session_fail(session *s, const wb_error *e)
{
    wb_cli_fail(s->cmd, "%s", e->msg);
    close_session(s);
    return 2;
}

int cmd_setup(int argc, char **argv)
{
    tables_options o = {.workload = "users"};
    session s;
    int status;
    if (open_session(setup_opts, argc, argv, true, true, &o, &s, &status) != 0)
        return status;
    wb_error e = {{0}};
    if (wb_schema_setup(s.backend, s.conn, s.workload, &e) != 0)
        return session_fail(&s, &e);
    printf("workload %s: tables", s.workload->name);
    for (int i = 0; i < s.workload->ntables; i++)
        printf("%s %s", i ? "," : "", s.workload->tables[i].name);
    printf(" ready in %s\n", s.target.url_redacted);
    if (s.target.path[0]) /* a database that is a file: where it is */
        printf("database file: %s\n", s.target.path);
    close_session(&s);
    return 0;
}

int cmd_count(int argc, char **argv)
{
    tables_options o = {.workload = "users"};
    session s;
    int status;
    if (open_session(tables_opts, argc, argv, false, false, &o, &s, &status) != 0)
        return status;
    /* Count everything first, so an error prints one line and no half table. */
    int ntables = s.workload->ntables;
    int64_t *counts = wb_xcalloc((size_t)(ntables > 0 ? ntables : 1), sizeof *counts);
    size_t width = strlen("table");
    wb_error e = {{0}};
    for (int i = 0; i < ntables; i++) {
        const wb_table *t = &s.workload->tables[i];
        counts[i] = wb_schema_count(s.backend, s.conn, t, &e);
        if (counts[i] < 0) {
            free(counts);
            return session_fail(&s, &e);
        }
        if (strlen(t->name) > width)
            width = strlen(t->name);
    }
    printf("%-*s  rows\n", (int)width, "table");
    for (int i = 0; i < ntables; i++)
        printf("%-*s  %lld\n", (int)width, s.workload->tables[i].name, (long long)counts[i]);
    free(counts);
    close_session(&s);
    return 0;
}

/* The rows of one table as display cells, collected by the query callback. */
typedef struct grid {
    const wb_table *table;
    int ncols;
    char **cells; /* row-major, ncols per row, header row first */
    size_t nrows, cap;
} grid;

static void grid_add_row(grid *g, const char *const *cells)
{
    if (g->nrows == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->cells = wb_xrealloc(g->cells, g->cap * (size_t)g->ncols * sizeof *g->cells);
    }
    for (int c = 0; c < g->ncols; c++)
        g->cells[g->nrows * (size_t)g->ncols + (size_t)c] = wb_xstrdup(cells[c]);
    g->nrows++;
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->nrows * (size_t)g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
}

/* One value as shown: numbers as they are, text quoted with its control
 * characters visible, long values cut. */
static void display_cell(const wb_column *col, const char *value, wb_buf *out)
{
    if (!value) {
        wb_buf_puts(out, "NULL");
        return;
    }
    if (col->type != WB_TYPE_TEXT) {
        wb_buf_puts(out, value);
        return;
    }
    wb_buf shown = WB_BUF_INIT;
    wb_display_text(&shown, value, strlen(value));
    const char *p = wb_buf_str(&shown);
    size_t columns = wb_text_width(p, shown.len);
    if (columns <= MAX_CELL_COLUMNS) {
        wb_buf_puts(out, p);
    } else {
        /* Cut on a character boundary, after MAX_CELL_COLUMNS - 3 characters. */
        size_t kept = 0, i = 0;
        for (; i < shown.len; i++) {
            if (((unsigned char)p[i] & 0xC0) != 0x80 && kept++ == MAX_CELL_COLUMNS - 3)
                break;
        }
        wb_buf_append(out, p, i);
        wb_buf_puts(out, "...");
    }
    wb_buf_free(&shown);
}

static int collect_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    (void)names;
    grid *g = arg;
    const char **cells = wb_xcalloc((size_t)g->ncols, sizeof *cells);
    wb_buf *shown = wb_xcalloc((size_t)g->ncols, sizeof *shown);
    int n = ncols < g->ncols ? ncols : g->ncols;
    for (int c = 0; c < g->ncols; c++) {
        wb_buf init = WB_BUF_INIT;
        shown[c] = init;
        if (c < n)
            display_cell(&g->table->columns[c], values[c], &shown[c]);
        cells[c] = wb_buf_str(&shown[c]);
    }
    grid_add_row(g, cells);
    for (int c = 0; c < g->ncols; c++)
        wb_buf_free(&shown[c]);
    free(shown);
    free(cells);
    return 0;
}

static void print_grid(const grid *g)
{
    size_t *widths = wb_xcalloc((size_t)g->ncols, sizeof *widths);
    for (size_t r = 0; r < g->nrows; r++)
        for (int c = 0; c < g->ncols; c++) {
            const char *cell = g->cells[r * (size_t)g->ncols + (size_t)c];
            size_t w = wb_text_width(cell, strlen(cell));
            if (w > widths[c])
                widths[c] = w;
        }
    wb_buf line = WB_BUF_INIT;
    for (size_t r = 0; r < g->nrows; r++) {
        wb_buf_reset(&line);
        wb_buf_puts(&line, "  ");
        for (int c = 0; c < g->ncols; c++) {
            const char *cell = g->cells[r * (size_t)g->ncols + (size_t)c];
            size_t used = wb_text_width(cell, strlen(cell));
            /* Numbers line up on their last digit, text on its first character. */
            int right = g->table->columns[c].type != WB_TYPE_TEXT;
            if (right)
                wb_pad(&line, used, widths[c]);
            wb_buf_puts(&line, cell);
            if (c + 1 < g->ncols)
                wb_pad(&line, right ? 0 : used, right ? 2 : widths[c] + 2);
        }
        puts(wb_buf_str(&line));
    }
    wb_buf_free(&line);
    free(widths);
}

/* Print the first `limit` rows of table t; -1 with e set on failure. */
static int show_table(session *s, const wb_table *t, int64_t limit, wb_error *e)
{
    int64_t total = wb_schema_count(s->backend, s->conn, t, e);
    if (total < 0)
        return -1;
    int ncols = t->ncolumns;
    wb_buf sql = WB_BUF_INIT;
    wb_buf_puts(&sql, "SELECT ");
    for (int c = 0; c < ncols; c++)
        wb_buf_printf(&sql, "%s\"%s\"", c ? ", " : "", t->columns[c].name);
    wb_buf_puts(&sql, " FROM ");
    s->backend->table_name(s->conn, t->name, &sql);
    wb_buf_printf(&sql, " ORDER BY \"%s\" LIMIT %lld", t->columns[0].name, (long long)limit);

    grid g = {t, ncols, NULL, 0, 0};
    const char **header = wb_xcalloc((size_t)ncols, sizeof *header);
    for (int c = 0; c < ncols; c++)
        header[c] = t->columns[c].name;
    grid_add_row(&g, header);
    free(header);
    int rc = s->backend->query(s->conn, wb_buf_str(&sql), collect_row, &g, e);
    if (rc == 0) {
        printf("%s: %lld row%s%s\n", t->name, (long long)total, total == 1 ? "" : "s",
               total > (int64_t)(g.nrows - 1) ? ", the first ones by key:" : "");
        if (g.nrows > 1)
            print_grid(&g);
    }
    grid_free(&g);
    wb_buf_free(&sql);
    return rc;
}

int cmd_show(int argc, char **argv)
{
    tables_options o = {.workload = "users", .limit = 10};
    session s;
    int status;
    if (open_session(show_opts, argc, argv, false, false, &o, &s, &status) != 0)
        return status;
    wb_error e = {{0}};
    for (int i = 0; i < s.workload->ntables; i++) {
        if (i)
            putchar('\n');
        if (show_table(&s, &s.workload->tables[i], o.limit, &e) != 0)
            return session_fail(&s, &e);
    }
    close_session(&s);
    return 0;
}

int cmd_drop(int argc, char **argv)
{
    tables_options o = {.workload = "users"};
    session s;
    int status;
    if (open_session(tables_opts, argc, argv, false, true, &o, &s, &status) != 0)
        return status;
    /* Counted first, to say what was dropped; a table that cannot be counted is not there. */
    wb_buf dropped = WB_BUF_INIT;
    wb_error e = {{0}};
    for (int i = s.workload->ntables - 1; i >= 0; i--) {
        const wb_table *t = &s.workload->tables[i];
        int64_t rows = wb_schema_count(s.backend, s.conn, t, &e);
        if (rows >= 0)
            wb_buf_printf(&dropped, "%s%s (%lld row%s)", dropped.len ? ", " : "", t->name, (long long)rows,
                          rows == 1 ? "" : "s");
    }
    wb_buf note = WB_BUF_INIT;
    if (wb_schema_drop(s.backend, s.conn, s.workload, &e) != 0 ||
        (s.backend->drop_namespace_if_empty && s.backend->drop_namespace_if_empty(s.conn, &note, &e) != 0)) {
        wb_buf_free(&dropped);
        wb_buf_free(&note);
        return session_fail(&s, &e);
    }
    if (dropped.len)
        printf("dropped %s from %s\n", wb_buf_str(&dropped), s.target.url_redacted);
    else
        printf("nothing to drop: no table of workload %s in %s\n", s.workload->name, s.target.url_redacted);
    if (note.len) /* the namespace itself: removed once empty, or kept and why */
        printf("%s\n", wb_buf_str(&note));
    wb_buf_free(&dropped);
    wb_buf_free(&note);
    close_session(&s);
    return 0;
}
