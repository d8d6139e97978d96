/* The C programs' shared start and end (see code_c.h). */
#include "advise/code_c.h"

#include <stdio.h>
#include <string.h>

/* How a value read from `workload rows` is bound, by wb_type (as writebench binds it). */
static const char *const kinds[WB_TYPE_COUNT] = {
    [WB_TYPE_INT64] = "K_INT",   [WB_TYPE_TEXT] = "K_TEXT", [WB_TYPE_DECIMAL] = "K_TEXT",
    [WB_TYPE_FLOAT] = "K_FLOAT", [WB_TYPE_BOOL] = "K_BOOL", [WB_TYPE_TIME] = "K_TEXT",
    [WB_TYPE_UUID] = "K_TEXT",   [WB_TYPE_JSON] = "K_TEXT", [WB_TYPE_BYTES] = "K_BYTES",
};

static void put_table_arrays(const wb_code_spec *s, const wb_table *t, int i, wb_buf *out)
{
    wb_code_statement st;
    wb_code_statement_make(s, t, &st);
    wb_buf_printf(out, "static const enum kind kinds_%d[] = {", i);
    for (int c = 0; c < t->ncolumns; c++)
        wb_buf_printf(out, "%s%s", c ? ", " : "", kinds[t->columns[c].type]);
    wb_buf_printf(out, "};\nstatic const char *const casts_%d[] = {", i);
    for (int c = 0; c < t->ncolumns; c++) {
        wb_buf_puts(out, c ? ", " : "");
        wb_code_c_string(st.casts ? wb_code_param_cast(s, &t->columns[c]) : "", out);
    }
    wb_buf_puts(out, "};\n");
    wb_code_statement_free(&st);
}

static void put_table(const wb_code_spec *s, const wb_table *t, int i, wb_buf *out)
{
    wb_code_statement st;
    wb_code_statement_make(s, t, &st);
    wb_buf copy = WB_BUF_INIT;
    wb_code_copy_sql(t, &copy);
    wb_buf_puts(out, "    {");
    wb_code_c_string(t->name, out);
    wb_buf_printf(out, ", %d, kinds_%d, casts_%d,\n     ", t->ncolumns, i, i);
    wb_code_c_string(wb_buf_str(&st.head), out);
    wb_buf_puts(out, ",\n     ");
    wb_code_c_string(wb_buf_str(&st.tail), out);
    wb_buf_puts(out, ",\n     ");
    wb_code_c_string(wb_buf_str(&copy), out);
    wb_buf_puts(out, "},\n");
    wb_buf_free(&copy);
    wb_code_statement_free(&st);
}

void wb_code_c_start(const wb_code_spec *s, const char *include, wb_buf *out)
{
    const wb_workload *w = s->workload;
    wb_buf_puts(out, "/* ");
    wb_buf header = WB_BUF_INIT;
    wb_code_header(s, s->language, "", &header);
    for (const char *p = wb_buf_str(&header); *p; p++) {
        if (*p == '*' && p[1] == '/')
            wb_buf_puts(out, "* "); /* never end the comment early */
        else if (*p == '\n' && p[1])
            wb_buf_puts(out, "\n * ");
        else if (*p != '\n')
            wb_buf_putc(out, *p);
    }
    wb_buf_free(&header);
    wb_buf_puts(out, "\n *\n * An ELF binary has no header line: run it with --external-params NAME=batch. */\n");
    wb_buf_printf(out,
                  "#define _POSIX_C_SOURCE 200809L /* getline, clock_gettime */\n"
                  "%s\n"
                  "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <sys/wait.h>\n"
                  "#include <time.h>\n#include <unistd.h>\n\n",
                  include);
    wb_buf_puts(out, "/* Where the rows come from (read_rows): writebench and the workload file. */\n"
                     "static const char *const WRITEBENCH = ");
    wb_code_c_string(s->writebench, out);
    wb_buf_puts(out, ";\nstatic const char *const WORKLOAD_FILE = ");
    wb_code_c_string(s->workload_file, out);
    wb_buf_puts(out, ";\nstatic const char *const WORKLOAD = ");
    wb_code_c_string(w->name, out);
    wb_buf_puts(out, ";\nstatic const char *const BACKEND = ");
    wb_code_c_string(s->backend->name, out);
    wb_buf_puts(out, ";\nstatic const char *const TABLES = ");
    wb_buf names = WB_BUF_INIT;
    for (int i = 0; i < w->ntables; i++)
        wb_buf_printf(&names, "%s%s", i ? "," : "", w->tables[i].name);
    wb_code_c_string(wb_buf_str(&names), out);
    wb_buf_free(&names);
    int multi = s->shape == WB_SHAPE_MULTIROW || s->shape == WB_SHAPE_UPSERT_MULTIROW ||
                s->shape == WB_SHAPE_UPDATE_MULTIROW;
    wb_buf_printf(out,
                  ";\n#define WRITES_INSERT %d /* the insert pass: the tables are empty */\n"
                  "#define WRITES_UPDATE %d /* the update pass: keys 1..N hold version 1 */\n"
                  "#define COMMIT_PER_BATCH %d\n"
                  "#define MULTIROW %d /* a statement holds a batch of rows (else one row) */\n"
                  "#define USE_COPY %d\n"
                  "#define MAX_PARAMS %d /* bound parameters one statement may have on %s */\n\n",
                  wb_code_writes_insert(s), wb_code_writes_update(s), s->commit_per_batch, multi,
                  s->shape == WB_SHAPE_COPY, s->backend->dialect->max_params, s->backend->display_name);
    wb_buf_puts(out, "/* How each column's value is bound. */\nenum kind { K_INT, K_FLOAT, K_BOOL, K_BYTES, K_TEXT };\n\n"
                     "/* A table, parents first: its columns' kinds and casts, the statement's head\n"
                     " * (one row of parameters follows per row) and tail, its COPY statement. */\n"
                     "struct table {\n    const char *name;\n    int ncolumns;\n    const enum kind *kinds;\n"
                     "    const char *const *casts;\n    const char *head, *tail, *copy;\n};\n\n");
    for (int i = 0; i < w->ntables; i++)
        put_table_arrays(s, &w->tables[i], i, out);
    wb_buf_puts(out, "static const struct table tables[] = {\n");
    for (int i = 0; i < w->ntables; i++)
        put_table(s, &w->tables[i], i, out);
    wb_buf_printf(out, "};\n#define NTABLES %d\n\n", w->ntables);
    wb_buf_puts(
        out,
        "static long long ROWS, BATCH;\nstatic int VERSION;\n\n"
        "/* Exit as skipped (77): writebench records the reason. */\n"
        "static void skip(const char *reason)\n{\n    fprintf(stderr, \"%s\\n\", reason);\n    exit(77);\n}\n\n"
        "static void die(const char *what, const char *detail)\n{\n"
        "    fprintf(stderr, \"%s: %s\\n\", what, detail);\n    exit(1);\n}\n\n"
        "/* WRITEBENCH_<name>, which writebench always sets. */\n"
        "static const char *env(const char *name)\n{\n    char var[64];\n"
        "    snprintf(var, sizeof var, \"WRITEBENCH_%s\", name);\n    const char *value = getenv(var);\n"
        "    if (!value)\n        die(var, \"not set: run this program through writebench run --external\");\n"
        "    return value;\n}\n\n"
        "/* The rows being read: `writebench workload rows` behind a pipe. */\n"
        "struct rows {\n    FILE *f;\n    pid_t pid;\n};\n\n"
        "/* Start reading the rows of keys first..last of t in version (no shell: execv). */\n"
        "static void rows_open(struct rows *r, const struct table *t, long long first, long long last, int version)\n{\n"
        "    char first_s[24], last_s[24], version_s[8];\n"
        "    snprintf(first_s, sizeof first_s, \"%lld\", first);\n"
        "    snprintf(last_s, sizeof last_s, \"%lld\", last);\n"
        "    snprintf(version_s, sizeof version_s, \"%d\", version);\n"
        "    int fd[2];\n    if (pipe(fd) != 0)\n        die(\"pipe\", \"failed\");\n"
        "    fflush(NULL);\n    r->pid = fork();\n    if (r->pid < 0)\n        die(\"fork\", \"failed\");\n"
        "    if (r->pid == 0) {\n        dup2(fd[1], 1);\n        close(fd[0]);\n        close(fd[1]);\n"
        "        execl(WRITEBENCH, WRITEBENCH, \"workload\", \"rows\", WORKLOAD_FILE, \"--table\", t->name, \"--first\",\n"
        "              first_s, \"--last\", last_s, \"--version\", version_s, (char *)NULL);\n        _exit(127);\n    }\n"
        "    close(fd[1]);\n    r->f = fdopen(fd[0], \"r\");\n}\n\n"
        "static void rows_close(struct rows *r)\n{\n    int status = 0;\n    fclose(r->f);\n"
        "    if (waitpid(r->pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)\n"
        "        die(\"writebench workload rows\", \"failed\");\n}\n\n"
        "/* A batch of rows: each row's line, and its fields (NULL for NULL) with their lengths. */\n"
        "struct batch {\n    char **lines;\n    size_t *caps;\n    ssize_t *line_lens;\n    char **values;\n"
        "    int *lens;\n};\n\n"
        "/* Split a line of COPY text format (docs/FORMATS.md, \"workload rows\") into its\n"
        " * fields in place, undoing its escapes. */\n"
        "static void split_line(char *line, const struct table *t, char **values, int *lens)\n{\n"
        "    char *p = line;\n"
        "    for (int c = 0; c < t->ncolumns; c++) {\n"
        "        char *start = p, *o = p;\n"
        "        for (; *p && *p != '\\t'; p++) {\n"
        "            if (*p == '\\\\' && p[1]) {\n"
        "                p++;\n"
        "                *o++ = *p == 't' ? '\\t' : *p == 'n' ? '\\n' : *p == 'r' ? '\\r' : *p == 'N' ? 0 : *p;\n"
        "                if (*p == 'N')\n                    start = NULL;\n"
        "            } else {\n                *o++ = *p;\n            }\n        }\n"
        "        if (*p)\n            p++;\n"
        "        *o = '\\0';\n"
        "        values[c] = start;\n        lens[c] = start ? (int)(o - start) : 0;\n    }\n}\n\n"
        "/* Read up to n rows into b; how many were read. */\n"
        "static int rows_read(struct rows *r, const struct table *t, struct batch *b, int n)\n{\n"
        "    int i = 0;\n"
        "    for (; i < n; i++) {\n"
        "        b->line_lens[i] = getline(&b->lines[i], &b->caps[i], r->f);\n"
        "        if (b->line_lens[i] < 0)\n            break;\n"
        "        if (!USE_COPY) {\n"
        "            b->lines[i][b->line_lens[i] - 1] = '\\0'; /* the newline */\n"
        "            split_line(b->lines[i], t, b->values + (size_t)i * t->ncolumns, b->lens + (size_t)i * t->ncolumns);\n"
        "        }\n    }\n    return i;\n}\n\n"
        "/* The statement for n rows: head, n rows of parameters ($1 or ?), tail (free() it). */\n"
        "static char *multirow_sql(const struct table *t, int n, int numbered)\n{\n"
        "    size_t cap = strlen(t->head) + strlen(t->tail) + 1;\n"
        "    for (int c = 0; c < t->ncolumns; c++)\n        cap += (size_t)n * (strlen(t->casts[c]) + 16);\n"
        "    char *sql = malloc(cap), *p = sql;\n    if (!sql)\n        die(\"malloc\", \"out of memory\");\n"
        "    p += sprintf(p, \"%s\", t->head);\n"
        "    for (int i = 0, param = 1; i < n; i++) {\n"
        "        p += sprintf(p, i ? \", (\" : \"(\");\n"
        "        for (int c = 0; c < t->ncolumns; c++, param++) {\n"
        "            if (numbered)\n                p += sprintf(p, \"%s$%d%s\", c ? \", \" : \"\", param, t->casts[c]);\n"
        "            else\n                p += sprintf(p, \"%s?%s\", c ? \", \" : \"\", t->casts[c]);\n"
        "        }\n        *p++ = ')';\n    }\n"
        "    sprintf(p, \"%s\", t->tail);\n    return sql;\n}\n\n");
}

void wb_code_c_end(const wb_code_spec *s, wb_buf *out)
{
    (void)s;
    wb_buf_puts(
        out,
        "/* Keys 1..ROWS of t in VERSION, in statements of one row or a batch. */\n"
        "static void write_table(DB *db, const struct table *t)\n{\n"
        "    long long per = MULTIROW ? MAX_PARAMS / t->ncolumns : 1;\n"
        "    if (USE_COPY || per > BATCH)\n        per = BATCH;\n"
        "    if (per < 1)\n        per = 1;\n"
        "    struct batch b;\n"
        "    b.lines = calloc((size_t)per, sizeof *b.lines);\n"
        "    b.caps = calloc((size_t)per, sizeof *b.caps);\n"
        "    b.line_lens = calloc((size_t)per, sizeof *b.line_lens);\n"
        "    b.values = calloc((size_t)per * t->ncolumns, sizeof *b.values);\n"
        "    b.lens = calloc((size_t)per * t->ncolumns, sizeof *b.lens);\n"
        "    if (!b.lines || !b.caps || !b.line_lens || !b.values || !b.lens)\n        die(\"calloc\", \"out of memory\");\n"
        "    struct rows r;\n    rows_open(&r, t, 1, ROWS, VERSION);\n"
        "    long long since_commit = 0;\n"
        "    for (int n; (n = rows_read(&r, t, &b, (int)per)) > 0;) {\n"
        "        write_rows(db, t, &b, n);\n"
        "        since_commit += n;\n"
        "        if (COMMIT_PER_BATCH && since_commit >= BATCH) {\n"
        "            db_exec(db, \"COMMIT\");\n            db_exec(db, \"BEGIN\");\n            since_commit = 0;\n        }\n"
        "    }\n    rows_close(&r);\n"
        "    for (long long i = 0; i < per; i++)\n        free(b.lines[i]);\n"
        "    free(b.lines);\n    free(b.caps);\n    free(b.line_lens);\n    free(b.values);\n    free(b.lens);\n}\n\n"
        "int main(void)\n{\n"
        "    if (strcmp(env(\"PROTOCOL\"), \"1\") != 0)\n        skip(\"written for writebench's external protocol 1\");\n"
        "    if (strcmp(env(\"BACKEND\"), BACKEND) != 0)\n        skip(\"written for another backend\");\n"
        "    if (strcmp(env(\"WORKLOAD\"), WORKLOAD) != 0 || strcmp(env(\"TABLES\"), TABLES) != 0)\n"
        "        skip(\"written for another workload\");\n"
        "    int insert = strcmp(env(\"PHASE\"), \"insert\") == 0;\n"
        "    if (!(insert ? WRITES_INSERT : WRITES_UPDATE))\n        skip(\"this program does not write this pass\");\n"
        "    ROWS = atoll(env(\"ROWS\"));\n    BATCH = atoll(env(\"BATCH\"));\n    VERSION = atoi(env(\"DATA_VERSION\"));\n"
        "    if (BATCH < 1)\n        BATCH = 1;\n"
        "    DB *db = db_open();\n"
        "    struct timespec start, end; /* the timed region: the writing and its commits */\n"
        "    clock_gettime(CLOCK_MONOTONIC, &start);\n"
        "    for (int i = 0; i < NTABLES; i++) {\n"
        "        db_exec(db, \"BEGIN\");\n        write_table(db, &tables[i]);\n        db_exec(db, \"COMMIT\");\n    }\n"
        "    clock_gettime(CLOCK_MONOTONIC, &end);\n"
        "    db_close(db);\n"
        "    const char *report = getenv(\"WRITEBENCH_REPORT\");\n"
        "    FILE *f = report ? fopen(report, \"w\") : NULL;\n"
        "    if (f) {\n"
        "        fprintf(f, \"{\\\"duration_s\\\": %.9f}\\n\", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);\n"
        "        fclose(f);\n    }\n    return 0;\n}\n");
}
