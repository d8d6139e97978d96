/* `writebench workload show|check FILE` and `workload init`: a workload file
 * (docs/WORKLOADS.md, "The format") seen without running it, or written. show
 * reads the file alone: its tables, how each column's values are made, the DDL on
 * each backend and the first rows in both versions. check holds the file's C and
 * SQL definitions to each other on a database (the load-time check that run and
 * profile make before they measure), reading only: it creates nothing and takes
 * no lock. init writes a new file to stdout from CREATE TABLE statements (--ddl)
 * or from live tables (--from, through the backend's describe_tables, reading
 * only).
 *
 * FILE may also be a shipped workload's name (users, products), as --workload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/text.h"
#include "util/clock.h"
#include "util/display.h"
#include "workloads/check.h"
#include "workloads/init.h"
#include "workloads/schema.h"

#define DEFAULT_LIMIT 5
#define MAX_LIMIT 1000
#define SHOWN_SCHEMA "writebench" /* DDL with qualified names is shown in the default namespace */

typedef struct workload_options {
    const char *db;
    int64_t limit;
    int64_t rows;
    int echo;
} workload_options;

static const wb_opt show_opts[] = {
    {"--limit", WB_OPT_INT64, offsetof(workload_options, limit), "N",
     "rows shown per table and version, from the first key. Default: 5.", 1, MAX_LIMIT},
    WB_OPT_END,
};

static const wb_opt check_opts[] = {
    {"--db", WB_OPT_DB, offsetof(workload_options, db), "URL",
     "the database to check on: sqlite:///path/file.db, sqlite::memory:, a PostgreSQL URL or "
     "conninfo string, pg-temp: (a throwaway local cluster), a mariadb:// URL or mariadb-temp:. "
     "Nothing is written there. Required.",
     0, 0},
    {"--rows", WB_OPT_INT64, offsetof(workload_options, rows), "N",
     "the rows per table of the runs to come: the sample's last keys end at N. Default: 10000000000, "
     "the most a run writes.",
     1, WB_KEY_MAX},
    {"--echo", WB_OPT_FLAG, offsetof(workload_options, echo), NULL,
     "print every SQL statement sent, with its duration, to stderr.", 0, 0},
    WB_OPT_END,
};

/* Parse a subcommand's options and its one FILE argument, and read the workload.
 * Returns 0, or -1 with the exit status in *status. */
static int open_file(const wb_opt *opts, int argc, char **argv, workload_options *o, const wb_workload **w,
                     int *status)
{
    const char **positional = wb_xcalloc((size_t)argc + 1, sizeof *positional);
    int npositional = 0;
    int rc = wb_cli_parse(opts, argc, argv, o, positional, &npositional, status);
    const char *file = positional[0];
    free(positional);
    if (rc != 0)
        return -1;
    *status = 2;
    if (npositional != 1) {
        wb_cli_fail(argv[0], npositional ? "one workload file at a time" : "name the workload file to %s",
                    argv[0] + strlen("workload "));
        return -1;
    }
    return wb_cli_find_workload(argv[0], file, w) == 0 ? 0 : -1;
}

/* ---- show ---- */

/* One value as `show` prints it: numbers and booleans as they are, text, times,
 * uuids and json quoted with their control characters visible, bytes in hex,
 * NULL bare. */
static void put_cell(const wb_value *v, wb_buf *out)
{
    if (v->type == WB_TYPE_BYTES && !v->is_null) {
        /* as PostgreSQL writes bytea, cut after 16 bytes */
        wb_buf_puts(out, "\\x");
        for (size_t i = 0; i < v->len && i < 16; i++)
            wb_buf_printf(out, "%02x", (unsigned char)v->text[i]);
        if (v->len > 16)
            wb_buf_printf(out, "... (%zu bytes)", v->len);
    } else if (v->is_null || v->type == WB_TYPE_TEXT || v->type == WB_TYPE_JSON || v->type == WB_TYPE_TIME ||
               v->type == WB_TYPE_UUID) {
        wb_display_text(out, v->is_null ? NULL : v->text, v->len);
    } else {
        wb_buf_append(out, v->text, v->len);
    }
}

/* Keys 1..limit of table t in `version`, as an aligned table. */
static void show_rows(const wb_table *t, int64_t limit, int version)
{
    int ncols = t->ncolumns;
    int64_t nrows = limit + 1; /* the header first */
    wb_buf *cells = wb_xcalloc((size_t)(nrows * ncols), sizeof *cells);
    size_t *widths = wb_xcalloc((size_t)ncols, sizeof *widths);
    for (int c = 0; c < ncols; c++)
        wb_buf_puts(&cells[c], t->columns[c].name);
    wb_row r = WB_ROW_INIT;
    for (int64_t k = 1; k <= limit; k++) {
        wb_row_make(t, k, version, &r);
        for (int c = 0; c < ncols; c++)
            put_cell(&r.v[c], &cells[k * ncols + c]);
    }
    wb_row_free(&r);
    for (int64_t i = 0; i < nrows * ncols; i++) {
        size_t w = wb_text_width(wb_buf_str(&cells[i]), cells[i].len);
        if (w > widths[i % ncols])
            widths[i % ncols] = w;
    }
    printf("\n%s, version %d, keys %lld..%lld:\n", t->name, version, (long long)wb_table_key(t, 1),
           (long long)wb_table_key(t, limit));
    wb_buf line = WB_BUF_INIT;
    for (int64_t row = 0; row < nrows; row++) {
        wb_buf_reset(&line);
        wb_buf_puts(&line, " ");
        for (int c = 0; c < ncols; c++) {
            const wb_buf *cell = &cells[row * ncols + c];
            wb_buf_putc(&line, ' ');
            wb_buf_append(&line, cell->data ? cell->data : "", cell->len);
            if (c + 1 < ncols)
                wb_pad(&line, wb_text_width(wb_buf_str(cell), cell->len), widths[c] + 1);
        }
        puts(wb_buf_str(&line));
    }
    wb_buf_free(&line);
    for (int64_t i = 0; i < nrows * ncols; i++)
        wb_buf_free(&cells[i]);
    free(cells);
    free(widths);
}

/* The table's columns, indexes, foreign keys and checks. */
static void show_table(const wb_workload *w, const wb_table *t)
{
    printf("\ntable %s (key %s, keys %s)\n", t->name, t->columns[0].name, t->keys_from_zero ? "0..N-1" : "1..N");
    size_t name_width = 0, type_width = 0;
    for (int c = 0; c < t->ncolumns; c++) {
        name_width = strlen(t->columns[c].name) > name_width ? strlen(t->columns[c].name) : name_width;
        type_width = strlen(t->columns[c].type_name) > type_width ? strlen(t->columns[c].type_name) : type_width;
    }
    for (int c = 0; c < t->ncolumns; c++) {
        const wb_column *col = &t->columns[c];
        wb_buf how = WB_BUF_INIT;
        if (c == 0)
            wb_buf_puts(&how, t->keys_from_zero ? "the key: k - 1" : "the key: k");
        for (int i = 0; i < t->nforeign_keys; i++)
            if (strcmp(t->foreign_keys[i].column, col->name) == 0) {
                /* the formula gives the parent's key: its row number where that is the key */
                const wb_table *parent = NULL;
                for (int p = 0; p < w->ntables && !parent; p++)
                    if (strcmp(w->tables[p].name, t->foreign_keys[i].table) == 0)
                        parent = &w->tables[p];
                wb_buf_printf(&how, "references %s, the %s ", t->foreign_keys[i].table,
                              parent && parent->keys_from_zero ? "key" : "row");
            }
        if (c > 0)
            wb_column_describe(col, &how);
        printf("  %-*s  %-*s  %-8s  %-17s  %s\n", (int)name_width, col->name, (int)type_width, col->type_name,
               c == 0 ? "key" : col->nullable ? "null" : "not null", col->updated ? "version 2 changes" : "",
               wb_buf_str(&how));
        wb_buf_free(&how);
    }
    for (int i = 0; i < t->nindexes; i++) {
        const wb_index *ix = &t->indexes[i];
        printf("  %sindex %s (", ix->unique ? "unique " : "", ix->name);
        for (int c = 0; c < ix->ncolumns; c++)
            printf("%s%s", c ? ", " : "", ix->columns[c]);
        printf(")%s%s\n", ix->where ? " where " : "", ix->where ? ix->where : "");
    }
    for (int i = 0; i < t->nchecks; i++)
        printf("  check (%s)\n", t->checks[i]);
}

static int workload_show(int argc, char **argv)
{
    workload_options o = {.limit = DEFAULT_LIMIT};
    const wb_workload *w;
    int status;
    if (open_file(show_opts, argc, argv, &o, &w, &status) != 0)
        return status;
    printf("workload %s: %s\n", w->name, w->description);
    printf("file: %s\nsha256: %s%s\n", w->path, w->sha256, wb_workload_is_shipped(w) ? " (shipped)" : "");
    for (int i = 0; i < w->ntables; i++)
        show_table(w, &w->tables[i]);
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        const wb_backend *b = wb_backend_get((wb_backend_kind)k);
        wb_buf ddl = WB_BUF_INIT;
        wb_schema_create_text((wb_backend_kind)k, SHOWN_SCHEMA, w, &ddl);
        printf("\nDDL on %s%s:\n%s", b->display_name,
               b->dialect->qualified_table_names ? ", in " SHOWN_SCHEMA : "", wb_buf_str(&ddl));
        wb_buf_free(&ddl);
    }
    for (int i = 0; i < w->ntables; i++) {
        int updated = 0;
        for (int c = 1; c < w->tables[i].ncolumns; c++)
            updated |= w->tables[i].columns[c].updated;
        for (int version = 1; version <= 1 + updated; version++)
            show_rows(&w->tables[i], o.limit, version);
    }
    return fflush(stdout) == 0 ? 0 : wb_cli_fail(argv[0], "cannot write the output");
}

/* ---- check ---- */

static int workload_check(int argc, char **argv)
{
    workload_options o = {.rows = WB_KEY_MAX};
    const wb_workload *w;
    int status;
    if (open_file(check_opts, argc, argv, &o, &w, &status) != 0)
        return status;
    if (!o.db)
        return wb_cli_fail(argv[0], "--db is required: the database to check the workload on");
    wb_error e = {{0}};
    wb_target target;
    if (wb_target_parse(o.db, false, &target, &e) != 0)
        return wb_cli_fail(argv[0], "%s", e.msg);
    target.echo = o.echo != 0;
    target.may_create = false; /* check writes nothing: not even a new SQLite file */
    const wb_backend *b = wb_backend_get(target.kind);
    if (!b)
        return wb_cli_fail(argv[0], "this backend is not built in");
    wb_temp_server *server = NULL; /* a throwaway server (pg-temp:), through its backend */
    if (target.temp_server && !b->temp_server_start)
        return wb_cli_fail(argv[0], "%s has no throwaway server", b->display_name);
    if (target.temp_server && b->temp_server_start(&target, &server, &e) != 0)
        return wb_cli_fail(argv[0], "%s %s", target.url_redacted, e.msg);
    wb_conn *c = NULL;
    char version[256] = "";
    status = 2;
    if (b->connect(&target, &c, &e) != 0 || b->server_version(c, version, sizeof version, &e) != 0) {
        wb_cli_fail(argv[0], "%s", e.msg);
    } else {
        int64_t started_ns = wb_clock_ns();
        int rc = wb_workload_check(b, c, w, o.rows, &e);
        double check_s = (double)(wb_clock_ns() - started_ns) / 1e9;
        if (rc != 0) {
            wb_cli_fail(argv[0], "%s", e.msg);
            status = rc > 0 ? 1 : 2; /* 1: the check ran and found a disagreement */
        } else {
            int64_t keys[128];
            int nkeys = wb_check_sample_keys(o.rows, keys);
            printf("workload %s (%s): the C and SQL definitions agree on %s %s, in every table (", w->name, w->path,
                   b->name, version);
            for (int i = 0; i < w->ntables; i++)
                printf("%s%s", i ? ", " : "", w->tables[i].name);
            /* row numbers: a table with first_key: 0 holds them under keys one lower */
            printf("), for rows 1..%lld", (long long)(keys[nkeys - 1] < 100 ? keys[nkeys - 1] : 100));
            if (keys[nkeys - 1] > 100)
                printf(" and %lld..%lld", (long long)keys[100], (long long)keys[nkeys - 1]);
            /* what the check costs a run before it measures anything */
            printf(" of both versions (the check took %.3f s)\n", check_s);
            status = 0;
        }
    }
    b->disconnect(c);
    if (server)
        b->temp_server_stop(server);
    return status;
}

/* ---- init ---- */

typedef struct init_cli_options {
    const char *ddl;
    const char *from;
    wb_opt_list tables;
    const char *name;
    int copy_common_values;
    int echo;
} init_cli_options;

static const wb_opt init_opts[] = {
    {"--ddl", WB_OPT_STRING, offsetof(init_cli_options, ddl), "FILE",
     "an SQL file of CREATE TABLE (and CREATE INDEX, ALTER TABLE ... ADD CONSTRAINT) statements, read with "
     "PostgreSQL's own parser.",
     0, 0},
    {"--from", WB_OPT_DB, offsetof(init_cli_options, from), "URL",
     "a database whose tables to describe, reading only (its catalogs and, on PostgreSQL, pg_stats): "
     "sqlite:///path/file.db, a PostgreSQL URL or conninfo string. Nothing is written there.",
     0, 0},
    {"--table", WB_OPT_LIST, offsetof(init_cli_options, tables), "SCHEMA.TABLE",
     "a table to describe (repeatable): required with --from (on SQLite a table's name), a choice among the "
     "file's tables with --ddl. Parents come before children whatever the order.",
     0, 0},
    {"--name", WB_OPT_STRING, offsetof(init_cli_options, name), "NAME",
     "the workload's name. Default: the file's name without .sql, or the first table's.", 0, 0},
    {"--copy-common-values", WB_OPT_FLAG, offsetof(init_cli_options, copy_common_values), NULL,
     "with --from on PostgreSQL: make each column's most common values (pg_stats) with their frequencies, "
     "which copies those values into the file. Without it no value of the data is read, only its shape.",
     0, 0},
    {"--echo", WB_OPT_FLAG, offsetof(init_cli_options, echo), NULL,
     "with --from: print every SQL statement sent, with its duration, to stderr.", 0, 0},
    WB_OPT_END,
};

/* Describe --from's tables through their backend, reading only. */
static int describe_from(const char *cmd, const init_cli_options *o, wb_schema_desc *d)
{
    wb_error e = {{0}};
    wb_target target;
    if (wb_target_parse(o->from, false, &target, &e) != 0)
        return wb_cli_fail(cmd, "%s", e.msg);
    target.echo = o->echo != 0;
    target.may_create = false; /* reading only: never a new SQLite file */
    target.read_only = true;
    const wb_backend *b = wb_backend_get(target.kind);
    if (!b)
        return wb_cli_fail(cmd, "this backend is not built in");
    if (target.temp_server)
        return wb_cli_fail(cmd, "--from %s would describe a new, empty throwaway server: name the database whose "
                                "tables to describe",
                           target.url_redacted);
    if (b->interface_version < 2 || !b->describe_tables)
        return wb_cli_fail(cmd, "%s cannot describe its tables (its backend has no describe_tables)",
                           b->display_name);
    wb_conn *c = NULL;
    int status = 0;
    if (b->connect(&target, &c, &e) != 0 ||
        b->describe_tables(c, o->tables.items, o->tables.count, o->copy_common_values != 0, d, &e) != 0)
        status = wb_cli_fail(cmd, "%s", e.msg);
    b->disconnect(c);
    return status;
}

static int workload_init(int argc, char **argv)
{
    init_cli_options o = {0};
    int status;
    if (wb_cli_parse(init_opts, argc, argv, &o, NULL, NULL, &status) != 0)
        return status;
    if (!o.ddl == !o.from)
        return wb_cli_fail(argv[0], o.ddl ? "give --ddl FILE or --from URL, not both"
                                          : "say what to read: --ddl FILE (CREATE TABLE statements) or --from URL "
                                            "--table SCHEMA.TABLE (a database's tables)");
    if (o.from && o.tables.count == 0)
        return wb_cli_fail(argv[0], "--from needs the tables to describe: --table SCHEMA.TABLE, once per table");
    if (o.copy_common_values && !o.from)
        return wb_cli_fail(argv[0], "--copy-common-values reads a database's statistics: it goes with --from");
    /* --from's backend describes only the tables named; --ddl's file has them all */
    wb_init_options io = {.name = o.name, .tables = o.tables.items, .ntables = o.ddl ? o.tables.count : 0};
    wb_buf yaml = WB_BUF_INIT;
    wb_error e = {{0}};
    status = 0;
    if (o.ddl) {
        if (wb_init_from_ddl(o.ddl, &io, &yaml, &e) != 0)
            status = wb_cli_fail(argv[0], "%s", e.msg);
    } else {
        wb_schema_desc d = WB_SCHEMA_DESC_INIT;
        status = describe_from(argv[0], &o, &d);
        if (status == 0 && wb_init_from_desc(&d, &io, &yaml, &e) != 0)
            status = wb_cli_fail(argv[0], "%s", e.msg);
        wb_desc_free(&d);
    }
    if (status == 0) {
        fputs(wb_buf_str(&yaml), stdout);
        if (fflush(stdout) != 0)
            status = wb_cli_fail(argv[0], "cannot write the output");
    }
    wb_buf_free(&yaml);
    return status;
}

/* ---- the command ---- */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const wb_opt *opts;
    const char *usage;
    const char *summary;
} subcommands[] = {
    {"init", workload_init, init_opts,
     "init --ddl FILE [--table T]... [--name NAME] | init --from URL --table SCHEMA.TABLE... "
     "[--copy-common-values] [--name NAME] [--echo]",
     "Write a workload file to stdout from CREATE TABLE statements (--ddl) or from tables of a database "
     "(--from, reading only), with every column's generator inferred from its type, its name, its "
     "constraints and, on PostgreSQL, its statistics; each choice carries a comment saying where it came "
     "from. Exit status 2 for a file or table that cannot be a workload, with one line naming it."},
    {"show", workload_show, show_opts, "show FILE [--limit N]",
     "Show a workload file's tables, how each column's values are made, its DDL on each backend and its "
     "first rows in both versions."},
    {"check", workload_check, check_opts, "check FILE --db URL [--rows N] [--echo]",
     "Check a workload file's C and SQL definitions against each other on a database, as run and profile "
     "do before they measure: a sample of rows (rows 1..100 and the last rows, both versions) made in C "
     "is compared with the SQL expressions inside the database. Exit status 1 when they disagree."},
    {"rows", wb_workload_rows, wb_workload_rows_opts, "rows FILE --table T --last K [--first K] [--version V]",
     "Print the rows of one table, keys FIRST..LAST in data version V, one line per key in PostgreSQL's COPY "
     "text format (tab-separated, NULL as \\N, backslash escapes, bytes as bytea hex): exactly the values "
     "the verifier expects, for programs that write them (the code advise generates reads them from here)."},
};

#define NSUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

/* A subcommand's --help: its synopsis with FILE, what it does, its options. */
static int sub_usage(size_t i)
{
    char command[32], synopsis[512];
    snprintf(command, sizeof command, "workload %s", subcommands[i].name);
    snprintf(synopsis, sizeof synopsis, "workload %s", subcommands[i].usage);
    wb_help_page page = {command, synopsis, subcommands[i].summary, subcommands[i].opts};
    if (wb_cli_help_to_sink(&page))
        return 0;
    wb_buf out = WB_BUF_INIT;
    wb_buf_printf(&out, "usage: writebench workload %s\n\n", subcommands[i].usage);
    wb_wrap(&out, subcommands[i].summary, 0, 0, WB_HELP_WIDTH);
    wb_buf_puts(&out, subcommands[i].run == workload_init
                          ? "\n\noptions:\n"
                          : "\n\nFILE is a workload file (docs/WORKLOADS.md) or a shipped workload's name.\n\noptions:\n");
    wb_opts_help(subcommands[i].opts, &out, WB_HELP_WIDTH);
    fputs(wb_buf_str(&out), stdout);
    wb_buf_free(&out);
    return 0;
}

int cmd_workload(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : NULL;
    if (!sub)
        return wb_cli_fail("workload", "name a subcommand: init --ddl FILE | --from URL --table T, show FILE, or "
                                       "check FILE --db URL, or rows FILE --table T --last K");
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        wb_cli_command_usage(stdout, "workload", NULL);
        /* the documentation made from the help screens (a sink) needs every subcommand's */
        for (size_t i = 0; wb_cli_help_sink_set() && i < NSUBCOMMANDS; i++)
            sub_usage(i);
        return 0;
    }
    for (size_t i = 0; i < NSUBCOMMANDS; i++) {
        if (strcmp(subcommands[i].name, sub) != 0)
            continue;
        for (int a = 2; a < argc && strcmp(argv[a], "--") != 0; a++)
            if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
                return sub_usage(i);
        /* "workload show" names the subcommand in its usage and its errors */
        char name[32];
        snprintf(name, sizeof name, "workload %s", sub);
        char **sub_argv = wb_xcalloc((size_t)argc, sizeof *sub_argv);
        sub_argv[0] = name;
        for (int a = 2; a < argc; a++)
            sub_argv[a - 1] = argv[a];
        int status = subcommands[i].run(argc - 1, sub_argv);
        free(sub_argv);
        return status;
    }
    return wb_cli_fail("workload", "unknown subcommand '%s'; the subcommands are: init, show, check", sub);
}
