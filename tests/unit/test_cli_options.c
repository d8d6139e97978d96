/* Unit test of the command line's option parser (src/cli/options.c) and its
 * text helpers: both value forms, every kind of mistake and its one-line
 * message, --help anywhere, positional arguments, the closest-name hint, the
 * synopsis made from an option table, and the command table (commands.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/text.h"

typedef struct opts {
    int quiet;
    const char *db;
    int64_t rows;
    double timeout_s;
    wb_opt_list pragmas;
    wb_opt_rest external;
} opts;

static const wb_opt table[] = {
    {"--quiet", WB_OPT_FLAG, offsetof(opts, quiet), NULL, "say less.", 0, 0},
    {"--db", WB_OPT_STRING, offsetof(opts, db), "URL", "the database.", 0, 0},
    {"--rows", WB_OPT_INT64, offsetof(opts, rows), "N", "rows per table.", 1, 1000},
    {"--timeout", WB_OPT_SECONDS, offsetof(opts, timeout_s), "SECONDS", "per test.", 0, 60},
    {"--pragma", WB_OPT_LIST, offsetof(opts, pragmas), "NAME=VALUE", "repeatable.", 0, 0},
    {"--external", WB_OPT_REST, offsetof(opts, external), "CMD...", "a program.", 0, 0},
    WB_OPT_END,
};

/* Parse a NULL-terminated list of arguments (after the command name) into o. */
static wb_opts_outcome parse(opts *o, wb_error *e, const char **positional, int *npositional, ...)
{
    static char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"cmd";
    va_list ap;
    va_start(ap, npositional);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;)
        argv[argc++] = (char *)a;
    va_end(ap);
    memset(o, 0, sizeof *o);
    o->rows = 7;
    memset(e, 0, sizeof *e);
    return wb_opts_parse(table, argc, argv, o, positional, npositional, e);
}

#define P(...) parse(&o, &e, NULL, NULL, __VA_ARGS__, NULL)

static void test_values(void)
{
    opts o;
    wb_error e;
    CHECK_INT(P("--rows", "12", "--db=sqlite:///x.db", "--quiet", "--timeout", "1.5"), WB_OPTS_OK);
    CHECK_INT(o.rows, 12);
    CHECK_STR(o.db, "sqlite:///x.db");
    CHECK_INT(o.quiet, 1);
    CHECK(o.timeout_s == 1.5);
    CHECK_INT(P("--rows=1_000"), WB_OPTS_OK);
    CHECK_INT(o.rows, 1000);
    CHECK_INT(P("--pragma", "a=1", "--pragma=b=2"), WB_OPTS_OK);
    CHECK_INT(o.pragmas.count, 2);
    CHECK_STR(o.pragmas.items[0], "a=1");
    CHECK_STR(o.pragmas.items[1], "b=2");
    CHECK_INT(P("--db", "x"), WB_OPTS_OK);
    CHECK_INT(o.rows, 7); /* untouched: the default stays */
    CHECK_INT(P("--rows", "3", "--external", "prog", "--rows", "x"), WB_OPTS_OK);
    CHECK_INT(o.external.argc, 3);
    CHECK_STR(o.external.argv[0], "prog");
    CHECK_STR(o.external.argv[2], "x");
}

static void test_mistakes(void)
{
    opts o;
    wb_error e;
    CHECK_INT(P("--rows", "abc"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "--rows must be a whole number, got 'abc'");
    CHECK_INT(P("--rows", "0"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--rows must be between 1 and 1000, got 0");
    CHECK_INT(P("--rows", "-5"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "got -5");
    CHECK_INT(P("--rows"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "--rows needs a value N");
    CHECK_INT(P("--db", "--rows", "5"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "--db needs a value URL");
    CHECK_INT(P("--db="), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--db needs a value");
    CHECK_INT(P("--rowz", "5"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "unknown option '--rowz'; did you mean --rows?");
    CHECK_INT(P("--rowz=5"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "unknown option '--rowz'; did you mean --rows?");
    CHECK_INT(P("--frobnicate"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "unknown option '--frobnicate'");
    CHECK(!strstr(e.msg, "did you mean"));
    CHECK_INT(P("--quiet=yes"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "--quiet takes no value, got 'yes'");
    CHECK_INT(P("--timeout", "0"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--timeout");
    CHECK_INT(P("--timeout", "1m"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--timeout must be a number of seconds, got '1m'");
    CHECK_INT(P("stray"), WB_OPTS_BAD);
    CHECK_STR(e.msg, "unexpected argument 'stray'");
    CHECK_INT(P("--external=prog"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--external takes a command line");
    CHECK_INT(P("--external"), WB_OPTS_BAD);
    CHECK_CONTAINS(e.msg, "--external needs a value");
    CHECK(strchr(e.msg, '\n') == NULL);
}

static void test_help_and_positional(void)
{
    opts o;
    wb_error e;
    CHECK_INT(P("--rows", "abc", "--help"), WB_OPTS_HELP);
    CHECK_INT(P("-h"), WB_OPTS_HELP);
    CHECK_INT(P("--bogus", "--help"), WB_OPTS_HELP);
    /* After --external, --help belongs to the program. */
    CHECK_INT(P("--external", "prog", "--help"), WB_OPTS_OK);
    CHECK_STR(o.external.argv[1], "--help");

    const char *pos[16];
    int npos = -1;
    CHECK_INT(parse(&o, &e, pos, &npos, "a", "--rows", "2", "b", "--", "--c", NULL), WB_OPTS_OK);
    CHECK_INT(npos, 3);
    CHECK_STR(pos[0], "a");
    CHECK_STR(pos[1], "b");
    CHECK_STR(pos[2], "--c");
    CHECK_INT(o.rows, 2);
}

static void test_help_text(void)
{
    wb_buf out = WB_BUF_INIT;
    wb_opts_help(table, &out, 40);
    CHECK_CONTAINS(wb_buf_str(&out), "  --rows N");
    CHECK_CONTAINS(wb_buf_str(&out), "  --quiet ");
    /* every line fits the width */
    const char *line = wb_buf_str(&out);
    int fits = 1;
    while (*line) {
        size_t len = strcspn(line, "\n");
        if (len > 40)
            fits = 0;
        line += len + (line[len] == '\n');
    }
    CHECK(fits);
    wb_buf_free(&out);
}

static void test_text_helpers(void)
{
    const char *names[] = {"run", "describe", "setup", "count", "show", "drop"};
    CHECK_STR(wb_closest_name("rnu", names, 6), "run");
    CHECK_STR(wb_closest_name("describ", names, 6), "describe");
    CHECK_STR(wb_closest_name("desc", names, 6), "describe");
    CHECK_STR(wb_closest_name("shwo", names, 6), "show");
    CHECK(wb_closest_name("frobnicate", names, 6) == NULL);
    CHECK_INT(wb_edit_distance("kitten", "sitting"), 3);
    CHECK_INT(wb_text_width("h\xc3\xa9llo", 6), 5);
    CHECK_INT(wb_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4); /* 日本: two wide glyphs */
    CHECK_INT(wb_text_width("\xe2\x80\xa6", 3), 1);                  /* … */
    wb_buf out = WB_BUF_INIT;
    wb_wrap(&out, "aaa bbb ccc ddd", 0, 2, 8);
    CHECK_STR(wb_buf_str(&out), "aaa bbb\n  ccc\n  ddd");
    wb_buf_free(&out);
}

static void test_command_table(void)
{
    CHECK(wb_command_find("run") != NULL);
    CHECK(wb_command_find("aggregate") != NULL);
    CHECK(wb_command_find("profile") != NULL);
    CHECK(wb_command_find("nope") == NULL);
    for (const wb_command *c = wb_commands; c->name; c++) {
        CHECK(c->handler != NULL);
        CHECK(c->summary && *c->summary);
        CHECK(c->usage == NULL || *c->usage); /* NULL: generated from the option table */
    }
    /* run's synopsis is generated (test_run_synopsis.sh checks its --help). */
    CHECK(wb_command_find("run")->usage == NULL);
}

/* The synopsis names every option of the table, once, in table order, LIST options
 * marked repeatable and REST options last wherever the table has them. */
static void test_synopsis(void)
{
    typedef struct syn {
        int flag;
        const char *s;
        wb_opt_list l;
        wb_opt_rest r;
    } syn;
    static const wb_opt synopsis_table[] = {
        {"--alpha", WB_OPT_STRING, offsetof(syn, s), "A", "a.", 0, 0},
        {"--cmd", WB_OPT_REST, offsetof(syn, r), "PROGRAM [ARGS...]", "a program.", 0, 0},
        {"--flag", WB_OPT_FLAG, offsetof(syn, flag), NULL, "a flag.", 0, 0},
        {"--many", WB_OPT_LIST, offsetof(syn, l), "X=Y", "repeatable.", 0, 0},
        WB_OPT_END,
    };
    wb_buf out = WB_BUF_INIT;
    wb_opts_synopsis(synopsis_table, &out);
    CHECK_STR(wb_buf_str(&out), "[--alpha A] [--flag] [--many X=Y]... [--cmd PROGRAM [ARGS...]]");
    wb_buf_free(&out);
    /* And every option of the parser's test table, with its value name. */
    wb_opts_synopsis(table, &out);
    for (const wb_opt *o = table; o->name; o++) {
        char group[128];
        snprintf(group, sizeof group, "[%s%s%s]", o->name, o->value_name ? " " : "", o->value_name ? o->value_name : "");
        CHECK_CONTAINS(wb_buf_str(&out), group);
    }
    wb_buf_free(&out);
}

int main(void)
{
    test_values();
    test_mistakes();
    test_help_and_positional();
    test_help_text();
    test_text_helpers();
    test_command_table();
    test_synopsis();
    return check_finish();
}
