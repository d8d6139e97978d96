/* The one option parser of every subcommand (see options.h). */
#include "cli/options.h"

#include <string.h>

#include "backends/backend.h"
#include "cli/text.h"
#include "util/parse.h"

static int is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* The option named exactly name (name without "=value"), or NULL. */
static const wb_opt *find_option(const wb_opt *opts, const char *name, size_t name_len)
{
    for (const wb_opt *o = opts; o->name; o++)
        if (strlen(o->name) == name_len && strncmp(o->name, name, name_len) == 0)
            return o;
    return NULL;
}

/* Whether --help appears before anything that ends option parsing. */
static int help_requested(const wb_opt *opts, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (is_help(argv[i]))
            return 1;
        const char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        const wb_opt *o = find_option(opts, argv[i], len);
        if (o && o->kind == WB_OPT_REST)
            return 0; /* what follows is another program's command line */
    }
    return 0;
}

static int unknown_option(const wb_opt *opts, const char *arg, wb_error *e)
{
    char name[128];
    size_t len = strcspn(arg, "=");
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, arg, len);
    name[len] = '\0';
    const char *names[64];
    size_t n = 0;
    for (const wb_opt *o = opts; o->name && n < 64; o++)
        names[n++] = o->name;
    const char *close = wb_closest_name(name, names, n);
    if (close)
        return wb_fail(e, "unknown option '%s'; did you mean %s?", name, close);
    return wb_fail(e, "unknown option '%s' (--help lists the options)", name);
}

/* The --db values moved out of argv, kept reachable from here until the process
 * ends: the command holds pointers to them, and a leak checker sees no leak. */
static char **moved_values;
static size_t nmoved_values, moved_values_cap;

/* A copy of value for the command, then the password in argv masked. value points
 * into an argv string (or is one), which is writable: main's argv is. */
static const char *move_secret(const char *value)
{
    if (nmoved_values == moved_values_cap) {
        moved_values_cap = moved_values_cap ? moved_values_cap * 2 : 4;
        moved_values = wb_xrealloc(moved_values, moved_values_cap * sizeof *moved_values);
    }
    char *copy = wb_xstrdup(value);
    moved_values[nmoved_values++] = copy;
    wb_target_mask_secrets((char *)value);
    return copy;
}

/* Store one value of option o into dest. */
static int store_value(const wb_opt *o, const char *value, void *dest, wb_error *e)
{
    char *field = (char *)dest + o->offset;
    if (!*value)
        return wb_fail(e, "%s needs a value, got an empty one", o->name);
    switch (o->kind) {
    case WB_OPT_STRING:
        *(const char **)field = value;
        return 0;
    case WB_OPT_DB:
        *(const char **)field = move_secret(value);
        return 0;
    case WB_OPT_INT64:
        return wb_parse_int64(value, o->min, o->max, o->name, (int64_t *)field, e);
    case WB_OPT_SECONDS:
        return wb_parse_seconds(value, (double)o->max, o->name, (double *)field, e);
    case WB_OPT_LIST: {
        wb_opt_list *list = (wb_opt_list *)field;
        if (list->count >= WB_OPT_LIST_MAX)
            return wb_fail(e, "%s is given more than %d times", o->name, WB_OPT_LIST_MAX);
        list->items[list->count++] = value;
        return 0;
    }
    case WB_OPT_FLAG:
    case WB_OPT_REST:
        break;
    }
    return wb_fail(e, "%s: internal error: no value expected", o->name);
}

/* Take argv[i] as an argument that is not an option. */
static int add_positional(const char *arg, const char **positional, int *npositional, wb_error *e)
{
    if (!positional)
        return wb_fail(e, "unexpected argument '%s'", arg);
    positional[(*npositional)++] = arg;
    return 0;
}

wb_opts_outcome wb_opts_parse(const wb_opt *opts, int argc, char **argv, void *dest,
                              const char **positional, int *npositional, wb_error *e)
{
    if (help_requested(opts, argc, argv))
        return WB_OPTS_HELP;
    int unused_count = 0;
    if (!npositional)
        npositional = &unused_count;
    *npositional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            for (i++; i < argc; i++)
                if (add_positional(argv[i], positional, npositional, e) != 0)
                    return WB_OPTS_BAD;
            break;
        }
        /* "-" alone is an argument (stdin, by convention), not an option. */
        if (arg[0] != '-' || arg[1] == '\0') {
            if (add_positional(arg, positional, npositional, e) != 0)
                return WB_OPTS_BAD;
            continue;
        }
        const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const wb_opt *o = find_option(opts, arg, name_len);
        if (!o)
            return unknown_option(opts, arg, e);
        char *field = (char *)dest + o->offset;
        if (o->kind == WB_OPT_FLAG) {
            if (eq)
                return wb_fail(e, "%s takes no value, got '%s'", o->name, eq + 1);
            *(int *)field = 1;
            continue;
        }
        if (o->kind == WB_OPT_REST) {
            /* A command line is several words; "--external=prog args" would hide that. */
            if (eq)
                return wb_fail(e, "%s takes a command line: write %s PROGRAM [ARGUMENTS...]", o->name, o->name);
            if (i + 1 >= argc || !argv[i + 1][0])
                return wb_fail(e, "%s needs a value %s", o->name, o->value_name ? o->value_name : "");
            wb_opt_rest *rest = (wb_opt_rest *)field;
            rest->argv = argv + i + 1;
            rest->argc = argc - i - 1;
            return WB_OPTS_OK;
        }
        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            /* "--db --rows 5" means a forgotten value, not a database named "--rows". */
            if (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0)
                return wb_fail(e, "%s needs a value%s%s", o->name, o->value_name ? " " : "",
                               o->value_name ? o->value_name : "");
            value = argv[++i];
        }
        if (store_value(o, value, dest, e) != 0)
            return WB_OPTS_BAD;
    }
    return WB_OPTS_OK;
}

void wb_opts_synopsis(const wb_opt *opts, wb_buf *out)
{
    size_t start = out->len;
    /* Two passes: everything else first, then what swallows the rest of the line. */
    for (int rest_pass = 0; rest_pass < 2; rest_pass++)
        for (const wb_opt *o = opts; o->name; o++)
            if ((o->kind == WB_OPT_REST) == rest_pass)
                wb_buf_printf(out, "%s[%s%s%s]%s", out->len > start ? " " : "", o->name, o->value_name ? " " : "",
                              o->value_name ? o->value_name : "", o->kind == WB_OPT_LIST ? "..." : "");
}

void wb_opts_help(const wb_opt *opts, wb_buf *out, size_t width)
{
    /* The help column starts after the longest "--name VALUE", so the table lines up. */
    size_t column = 0;
    for (const wb_opt *o = opts; o->name; o++) {
        size_t len = 2 + strlen(o->name) + (o->value_name ? 1 + strlen(o->value_name) : 0);
        if (len > column)
            column = len;
    }
    column += 3;
    for (const wb_opt *o = opts; o->name; o++) {
        size_t start = out->len;
        wb_buf_printf(out, "  %s%s%s", o->name, o->value_name ? " " : "", o->value_name ? o->value_name : "");
        wb_pad(out, out->len - start, column);
        wb_wrap(out, o->help, column, column, width);
        wb_buf_putc(out, '\n');
    }
}
