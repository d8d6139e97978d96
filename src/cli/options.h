/* Table-driven parsing of a subcommand's options.
 *
 * Every command describes its options in one table of {name, kind, offset,
 * value name, help, range} and this one parser reads them all, in the forms
 * `--name value` and `--name=value`, so every command reports the same mistakes
 * the same way and its --help is printed from the same table.
 *
 * How to add an option to a command: add a field to the command's options
 * struct, one row to its wb_opt table (offsetof that field), and give the field
 * its default before calling the parser. */
#ifndef WB_CLI_OPTIONS_H
#define WB_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

typedef enum wb_opt_kind {
    WB_OPT_FLAG,    /* int: set to 1; takes no value */
    WB_OPT_STRING,  /* const char *: points into argv */
    WB_OPT_INT64,   /* int64_t in [min, max] */
    WB_OPT_SECONDS, /* double: seconds in (0, max] */
    WB_OPT_LIST,    /* wb_opt_list: a string that may be given several times */
    WB_OPT_REST,    /* wb_opt_rest: the value and every argument after it (a command line) */
    WB_OPT_DB       /* const char *: a --db value, which may hold a password. The field gets
                     * a copy that lives until the process ends, and the password in argv
                     * is overwritten (wb_target_mask_secrets), as database clients do, so
                     * that the process listing, and every child forked after, never shows it */
} wb_opt_kind;

#define WB_OPT_LIST_MAX 32

typedef struct wb_opt_list {
    const char *items[WB_OPT_LIST_MAX];
    int count;
} wb_opt_list;

typedef struct wb_opt_rest {
    char **argv; /* into the argv given to the parser */
    int argc;
} wb_opt_rest;

typedef struct wb_opt {
    const char *name;       /* "--rows" */
    wb_opt_kind kind;
    size_t offset;          /* offsetof(the command's options struct, its field) */
    const char *value_name; /* shown in help ("N", "URL"); NULL for flags */
    const char *help;       /* one or two sentences, the default included */
    int64_t min, max;       /* INT64: the accepted range; SECONDS: max is the longest */
} wb_opt;

/* A table ends with an entry whose name is NULL. */
#define WB_OPT_END {NULL, WB_OPT_FLAG, 0, NULL, NULL, 0, 0}

/* What wb_opts_parse found. */
typedef enum wb_opts_outcome {
    WB_OPTS_BAD = -1, /* a mistake; e holds one line naming it */
    WB_OPTS_OK = 0,   /* dest is filled; carry on */
    WB_OPTS_HELP = 1  /* --help was given: print the usage and stop */
} wb_opts_outcome;

/* Parse argv[1..argc-1] (argv[0] is the command's name) into dest using opts.
 * Arguments that are not options are stored in positional[] (room for argc
 * entries, count in *npositional) when positional is not NULL, and are a mistake
 * otherwise; after `--` every argument is positional. --help anywhere before `--`
 * or a REST option wins over every mistake. */
wb_opts_outcome wb_opts_parse(const wb_opt *opts, int argc, char **argv, void *dest,
                              const char **positional, int *npositional, wb_error *e);

/* Append the synopsis of the table, one bracketed group per option in table order
 * ("[--rows N] [--report] [--pragma NAME=VALUE]..."; a LIST option is marked
 * repeatable), the REST options last as they take the rest of the command line.
 * Every option of the table appears, so a synopsis made here cannot leave one out. */
void wb_opts_synopsis(const wb_opt *opts, wb_buf *out);

/* Append the table as help lines: "  --rows N   rows per table ...", wrapped at width. */
void wb_opts_help(const wb_opt *opts, wb_buf *out, size_t width);

#endif
