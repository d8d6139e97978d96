/* Unit tests of what external programs declare to writebench: the report of their
 * own timed region ($WRITEBENCH_REPORT, strategies/external_report.c), read
 * strictly, and the params list of `--external-params` and of a script's
 * `writebench: params=` header, with the header's summary line (external.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "strategies/external.h"

static char dir[] = "/tmp/wb-test-external-XXXXXX";

/* Write data (len bytes) as file name in dir; returns its path (static). */
static const char *write_file(const char *name, const char *data, size_t len, int executable)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    chmod(path, executable ? 0755 : 0644);
    return path;
}

/* Read a report of text; returns the reader's status, fills duration and the error. */
static int read_report(const char *text, size_t len, double process_s, double *duration_s, wb_error *e)
{
    const char *path = write_file("writebench-report.json", text, len, 0);
    memset(e, 0, sizeof *e);
    return wb_external_read_report(path, process_s, duration_s, e);
}

static void test_report_accepted(void)
{
    static const struct {
        const char *text;
        double want;
    } good[] = {
        {"{\"duration_s\": 1.234}", 1.234},
        {"{\"duration_s\":1e-3}\n", 0.001},
        {"  \n{ \"duration_s\" : 2 }\n\n", 2.0},
        {"{\"duration_s\": 0.5E+1}", 5.0},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double d = -1;
        wb_error e;
        CHECK_INT(read_report(good[i].text, strlen(good[i].text), 10.0, &d, &e), 0);
        CHECK(fabs(d - good[i].want) < 1e-12);
    }
    /* No file: the program does not report, and that is no mistake. */
    char absent[4200];
    snprintf(absent, sizeof absent, "%s/absent.json", dir);
    double d = 0;
    wb_error e = {{0}};
    CHECK_INT(wb_external_read_report(absent, 1.0, &d, &e), 0);
    CHECK(isnan(d));
    /* An unknown process time (NAN) bounds nothing. */
    CHECK_INT(read_report("{\"duration_s\": 99}", 18, NAN, &d, &e), 0);
    CHECK(d == 99.0);

    /* A cache's counts beside the timed region; -1 when not reported. */
    static const struct {
        const char *text;
        int64_t lookups, stale;
    } counted[] = {
        {"{\"duration_s\": 1, \"cache_lookups\": 1000, \"stale_reads\": 17}", 1000, 17},
        {"{\"stale_reads\": 0, \"cache_lookups\": 0, \"duration_s\": 1}", 0, 0},
        {"{\"duration_s\": 1, \"cache_lookups\": 5}", 5, -1},
        {"{\"duration_s\": 1}", -1, -1},
    };
    for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
        wb_external_report report;
        const char *path = write_file("writebench-report.json", counted[i].text, strlen(counted[i].text), 0);
        CHECK_INT(wb_external_read_report_counts(path, 10.0, &report, &e), 0);
        CHECK(report.duration_s == 1.0);
        CHECK_INT(report.cache_lookups, counted[i].lookups);
        CHECK_INT(report.stale_reads, counted[i].stale);
    }
}

static void test_report_refused(void)
{
    static const struct {
        const char *text;
        const char *why; /* in the error */
    } bad[] = {
        {"", "expected '{'"},
        {"   ", "expected '{'"},
        {"{}", "\"duration_s\" is missing"},
        {"[1.5]", "expected '{'"},
        {"1.5", "expected '{'"},
        {"{\"duration_s\": -1}", "-1: it must be a positive number of seconds"},
        {"{\"duration_s\": 0}", "it must be a positive number"},
        {"{\"duration_s\": -0.0}", "it must be a positive number"},
        {"{\"duration_s\": 1e999}", "1e999, which is not a finite number"},
        {"{\"duration_s\": NaN}", "must be a JSON number"},
        {"{\"duration_s\": Infinity}", "must be a JSON number"},
        {"{\"duration_s\": \"1.5\"}", "must be a JSON number"},
        {"{\"duration_s\": null}", "must be a JSON number"},
        {"{\"duration_s\": +1}", "must be a JSON number"},
        {"{\"duration_s\": .5}", "must be a JSON number"},
        {"{\"duration_s\": 1.}", "must be a JSON number"},
        {"{\"duration_s\": 01}", "must be a JSON number"},
        {"{\"duration_s\": 1.5.2}", "must be a JSON number"},
        {"{\"duration_s\": 1e}", "must be a JSON number"},
        {"{\"duration_s\": 1.5", "expected ',' or '}'"},
        {"{\"duration_s\": 1.5,}", "expected a key"},
        {"{\"duration_s\": 1.5} {}", "follows the object"},
        {"{\"duration_s\": 1.5}x", "'x' at byte 19 follows the object"},
        {"{\"duration_s\": 1, \"duration_s\": 2}", "\"duration_s\" is given twice"},
        {"{\"duration_s\": 1, \"rows\": 2}", "unknown key \"rows\""},
        {"{\"Duration_s\": 1}", "unknown key \"Duration_s\""},
        {"{\"duration_\\u0073\": 3}", "unknown key"},
        {"{duration_s: 1}", "expected a key in double quotes"},
        {"{'duration_s': 1}", "expected a key in double quotes"},
        {"{\"duration_s\" 1}", "expected ':'"},
        {"{\"dura\ttion\": 1}", "a control character"},
        {"{\"duration_s\\x\": 1}", "the escape \\x"},
        {"{\"duration_s", "not closed"},
        {"{\"duration_s\": 20}", "longer than the program's whole run (10.000000 s)"},
        {"{\"duration_s\": 1, \"stale_reads\": 3}", "stale_reads needs cache_lookups"},
        {"{\"duration_s\": 1, \"cache_lookups\": 2, \"stale_reads\": 3}", "stale_reads 3 is more than cache_lookups 2"},
        {"{\"duration_s\": 1, \"cache_lookups\": -1}", "cache_lookups is -1: it must be a whole number"},
        {"{\"duration_s\": 1, \"cache_lookups\": 2.5}", "cache_lookups is 2.5: it must be a whole number"},
        {"{\"duration_s\": 1, \"stale_reads\": null}", "stale_reads must be a JSON number, found"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double d = 0;
        wb_error e;
        int rc = read_report(bad[i].text, strlen(bad[i].text), 10.0, &d, &e);
        CHECK_INT(rc, -1);
        CHECK(isnan(d));
        CHECK_CONTAINS(e.msg, bad[i].why);
        CHECK_CONTAINS(e.msg, "writebench-report.json"); /* the file is named */
        CHECK(!strchr(e.msg, '\n'));
    }
    /* Bytes that are not UTF-8, and a NUL: damage, named with the byte's offset. */
    double d = 0;
    wb_error e;
    static const char latin1[] = "{\"duration_s\": 1} \xe9";
    CHECK_INT(read_report(latin1, sizeof latin1 - 1, 10.0, &d, &e), -1);
    CHECK_CONTAINS(e.msg, "not valid UTF-8 (byte 18)");
    static const char nul[] = "{\"duration_s\": 1}\0";
    CHECK_INT(read_report(nul, sizeof nul - 1, 10.0, &d, &e), -1);
    CHECK_CONTAINS(e.msg, "byte 0x00 at byte 17");
    /* Too large to be a report. */
    char *big = malloc(WB_EXTERNAL_REPORT_MAX_BYTES + 10);
    memset(big, ' ', WB_EXTERNAL_REPORT_MAX_BYTES + 10);
    memcpy(big, "{\"duration_s\": 1}", 17);
    CHECK_INT(read_report(big, WB_EXTERNAL_REPORT_MAX_BYTES + 10, 10.0, &d, &e), -1);
    CHECK_CONTAINS(e.msg, "larger than 4096 bytes");
    free(big);
    /* A directory where the file should be: an error, not "no report". */
    char path[4200];
    snprintf(path, sizeof path, "%s/adir", dir);
    mkdir(path, 0755);
    CHECK_INT(wb_external_read_report(path, 10.0, &d, &e), -1);
    CHECK_CONTAINS(e.msg, "adir");
    rmdir(path);
}

static void test_params_list(void)
{
    static const struct {
        const char *list;
        int ok;
        unsigned flags;
    } cases[] = {
        {"none", 1, 0},
        {"batch", 1, WB_STRAT_BATCH},
        {"threads", 1, WB_STRAT_THREADS},
        {"batch,threads", 1, WB_STRAT_BATCH | WB_STRAT_THREADS},
        {"threads,batch", 1, WB_STRAT_BATCH | WB_STRAT_THREADS},
        {"", 0, 0},
        {"batch,", 0, 0},
        {",batch", 0, 0},
        {"batch,batch", 0, 0},
        {"none,batch", 0, 0},
        {"Batch", 0, 0},
        {"batch, threads", 0, 0},
        {"rows", 0, 0},
        {"all", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned flags = 99;
        wb_error e = {{0}};
        int rc = wb_external_parse_params(cases[i].list, &flags, &e);
        CHECK_INT(rc == 0, cases[i].ok);
        if (cases[i].ok) {
            CHECK_INT(flags, cases[i].flags);
            /* The text of the flags reads back as the same flags. */
            unsigned again = 99;
            CHECK_INT(wb_external_parse_params(wb_external_params_text(flags), &again, &e), 0);
            CHECK_INT(again, flags);
        } else {
            CHECK(e.msg[0] != '\0');
        }
    }
}

/* A script of text is added as --external NAME=path; returns 0/-1 with set and e filled. */
static int add_script(wb_external_set *set, const char *name, const char *file, const char *text, wb_error *e)
{
    const char *path = write_file(file, text, strlen(text), 1);
    char spec[4300];
    snprintf(spec, sizeof spec, "%s=%s", name, path);
    char *words[] = {spec};
    memset(e, 0, sizeof *e);
    return wb_external_add(set, words, 1, e);
}

static void test_headers(void)
{
    static const struct {
        const char *text;
        unsigned params;
        wb_external_params_source source;
        const char *summary;
    } cases[] = {
        {"#!/bin/sh\n# Writes rows with psql.\n# writebench: params=none\nexit 0\n", 0, WB_PARAMS_HEADER,
         "Writes rows with psql."},
        {"#!/bin/sh\n# writebench: params=batch\n#\n# The summary after the header.\n", WB_STRAT_BATCH,
         WB_PARAMS_HEADER, "The summary after the header."},
        {"#!/usr/bin/python3\n\"\"\"A docstring on one line.\"\"\"\nimport os\n", WB_STRAT_BATCH | WB_STRAT_THREADS,
         WB_PARAMS_ASSUMED, "A docstring on one line."},
        {"#!/usr/bin/python3\n'''\n    Its first line\n    and more.\n'''\n", WB_STRAT_BATCH | WB_STRAT_THREADS,
         WB_PARAMS_ASSUMED, "Its first line"},
        {"#!/usr/bin/env node\n// Node writes rows.\n//writebench: params=threads\n", WB_STRAT_THREADS,
         WB_PARAMS_HEADER, "Node writes rows."},
        {"#!/usr/bin/tcc -run\n/*\n * A C script.\n */\n", WB_STRAT_BATCH | WB_STRAT_THREADS, WB_PARAMS_ASSUMED,
         "A C script."},
        {"#!/usr/bin/tcc -run\n/** One line. */\n", WB_STRAT_BATCH | WB_STRAT_THREADS, WB_PARAMS_ASSUMED,
         "One line."},
        {"#!/usr/bin/lua\n-- Lua, with\ttab.\n  -- writebench: params=batch,threads\n",
         WB_STRAT_BATCH | WB_STRAT_THREADS, WB_PARAMS_HEADER, "Lua, with tab."},
        {"#!/bin/sh\nset -e\n# a comment after code is no summary\n", WB_STRAT_BATCH | WB_STRAT_THREADS,
         WB_PARAMS_ASSUMED, ""},
        {"#!/bin/sh\r\n# Windows line ends.\r\n# writebench: params=none\r\n", 0, WB_PARAMS_HEADER,
         "Windows line ends."},
        /* Past the first 30 lines a header line is not looked for. */
        {"#!/bin/sh\n# top\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n# writebench: params=none\n",
         WB_STRAT_BATCH | WB_STRAT_THREADS, WB_PARAMS_ASSUMED, "top"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_external_set set = {{0}, 0};
        wb_error e;
        char file[32];
        snprintf(file, sizeof file, "script%zu", i);
        int rc = add_script(&set, "prog", file, cases[i].text, &e);
        CHECK_INT(rc, 0);
        if (rc == 0) {
            const wb_external *x = set.items[0];
            CHECK_INT(x->params, cases[i].params);
            CHECK_INT(x->params_source, cases[i].source);
            CHECK_STR(x->summary, cases[i].summary);
            CHECK_STR(x->io, "sync"); /* none of these declares io */
            CHECK_INT(x->strategy.flags & (WB_STRAT_BATCH | WB_STRAT_THREADS), cases[i].params);
        } else {
            fprintf(stderr, "case %zu: %s\n", i, e.msg);
        }
        wb_external_set_free(&set);
    }

    /* io=async beside params, in either order, or alone (params then assumed). */
    static const struct {
        const char *text;
        unsigned params;
        wb_external_params_source source;
        const char *io;
    } io_cases[] = {
        {"#!/usr/bin/python3\n# Async rows.\n# writebench: params=batch io=async\n", WB_STRAT_BATCH, WB_PARAMS_HEADER,
         "async"},
        {"#!/usr/bin/python3\n# writebench: io=async  params=none\n", 0, WB_PARAMS_HEADER, "async"},
        {"#!/usr/bin/python3\n# writebench: io=sync\n", WB_STRAT_BATCH | WB_STRAT_THREADS, WB_PARAMS_ASSUMED, "sync"},
    };
    for (size_t i = 0; i < sizeof io_cases / sizeof io_cases[0]; i++) {
        wb_external_set set = {{0}, 0};
        wb_error e;
        char file[32];
        snprintf(file, sizeof file, "io%zu", i);
        int rc = add_script(&set, "prog", file, io_cases[i].text, &e);
        CHECK_INT(rc, 0);
        if (rc == 0) {
            CHECK_INT(set.items[0]->params, io_cases[i].params);
            CHECK_INT(set.items[0]->params_source, io_cases[i].source);
            CHECK_STR(set.items[0]->io, io_cases[i].io);
        }
        wb_external_set_free(&set);
    }

    static const struct {
        const char *text;
        const char *why;
    } bad[] = {
        {"#!/bin/sh\n# writebench: params=bogus\n", "line 2: 'bogus' is not a parameter"},
        {"#!/bin/sh\n# writebench: params=\n", "line 2: the list is empty"},
        {"#!/bin/sh\n# writebench: param=batch\n", "line 2: 'writebench: param=batch' is not a writebench header"},
        {"#!/bin/sh\n# writebench:\n", "is not a writebench header"},
        {"#!/bin/sh\n# writebench: params=none\n# writebench: params=batch\n", "line 3: the writebench header is on line 2"},
        {"#!/bin/sh\n# writebench: params=none io=threads\n", "line 2: io=threads: write io=sync or io=async"},
        {"#!/bin/sh\n# writebench: io=async io=sync\n", "line 2: io= is given twice"},
        {"#!/bin/sh\n# writebench: params=none colour=red\n", "'writebench: params=none colour=red' is not a"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wb_external_set set = {{0}, 0};
        wb_error e;
        char file[32];
        snprintf(file, sizeof file, "bad%zu", i);
        CHECK_INT(add_script(&set, "prog", file, bad[i].text, &e), -1);
        CHECK_CONTAINS(e.msg, bad[i].why);
        CHECK_CONTAINS(e.msg, file); /* the file is named */
        wb_external_set_free(&set);
    }

    /* --external-params wins over the header; its mistakes are named. */
    wb_external_set set = {{0}, 0};
    wb_error e;
    CHECK_INT(add_script(&set, "prog", "declared", "#!/bin/sh\n# writebench: params=none\n", &e), 0);
    CHECK_INT(wb_external_declare_params(&set, "prog=batch", &e), 0);
    CHECK_INT(set.items[0]->params, WB_STRAT_BATCH);
    CHECK_INT(set.items[0]->params_source, WB_PARAMS_COMMAND_LINE);
    CHECK(set.items[0]->strategy.flags & WB_STRAT_BATCH);
    CHECK(!(set.items[0]->strategy.flags & WB_STRAT_THREADS));
    CHECK(set.items[0]->strategy.flags & WB_STRAT_EXTERNAL);
    CHECK_INT(wb_external_declare_params(&set, "prog=none", &e), -1);
    CHECK_CONTAINS(e.msg, "'prog' is given twice");
    CHECK_INT(wb_external_declare_params(&set, "other=none", &e), -1);
    CHECK_CONTAINS(e.msg, "no --external or --external-dir program is named 'other'");
    CHECK_INT(wb_external_declare_params(&set, "prog", &e), -1);
    CHECK_CONTAINS(e.msg, "write NAME=LIST");
    CHECK_INT(wb_external_declare_params(&set, "=batch", &e), -1);
    CHECK_CONTAINS(e.msg, "write NAME=LIST");
    wb_external_set_free(&set);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_report_accepted();
    test_report_refused();
    test_params_list();
    test_headers();
    char command[200];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_finish();
}
