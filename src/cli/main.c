/* writebench's entry point: finds the subcommand in wb_commands[] (commands.c)
 * and runs its handler, whose return value is the exit status; answers --help,
 * help [command] and --version itself. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/text.h"

/* Generated at build time by cmake/build_info.cmake. */
extern const char *const wb_build_version;
extern const char *const wb_build_commit;

static int is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

/* One line for a name that is not a command: the closest one, or the list. */
static int unknown_command(const char *name)
{
    const char *names[32] = {0};
    size_t n = 0;
    for (const wb_command *c = wb_commands; c->name && n < 32; c++)
        names[n++] = c->name;
    const char *close = wb_closest_name(name, names, n);
    if (close) {
        fprintf(stderr, "writebench: '%s' is not a writebench command; did you mean '%s'?\n", name, close);
    } else {
        fprintf(stderr, "writebench: '%s' is not a writebench command; the commands are:", name);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s %s", i ? "," : "", names[i]);
        fputc('\n', stderr);
    }
    return 2;
}

/* Run a command's handler with "--help", so its usage comes from its own option table. */
static int command_help(const wb_command *c)
{
    char help[] = "--help";
    char *argv[] = {(char *)c->name, help, NULL};
    return c->handler(2, argv);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        wb_cli_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("writebench %s (commit %s)\n", wb_build_version, wb_build_commit);
        return 0;
    }
    /* Hidden: the man page and the completion script, generated from the tables
     * --help prints (CMake writes them at build time; cli/manual*.c). */
    if (strcmp(argv[1], "--man") == 0)
        return argc == 2 ? wb_manual_man(stdout) : (fprintf(stderr, "writebench --man takes no argument\n"), 2);
    if (strcmp(argv[1], "--completion") == 0)
        return argc <= 3 ? wb_manual_completion(stdout, argc == 3 ? argv[2] : NULL)
                         : (fprintf(stderr, "writebench --completion takes one argument: bash\n"), 2);
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3 || is_help(argv[2])) {
            wb_cli_usage(stdout);
            return 0;
        }
        const wb_command *c = wb_command_find(argv[2]);
        return c ? command_help(c) : unknown_command(argv[2]);
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "writebench: unknown option '%s'; see 'writebench --help'\n", argv[1]);
        return 2;
    }
    const wb_command *c = wb_command_find(argv[1]);
    if (!c)
        return unknown_command(argv[1]);
    /* Results are read by scripts through pipes: flush each line as it is printed. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* A file-size limit (ulimit -f) must be writebench's own error, said in one line,
     * not a SIGXFSZ that kills the run: ignored, a write past it fails with EFBIG.
     * Forked strategy children inherit this, so their database writes fail too
     * instead of being recorded as a strategy's crash. */
    signal(SIGXFSZ, SIG_IGN);
    return c->handler(argc - 1, argv + 1);
}
