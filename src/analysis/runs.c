/* Reading kept runs back (see runs.h): results.csv is the source of every
 * number; results.json is read for its format_version and for the figures that
 * are not CSV columns (status, slow, lock waits, server_share, and each
 * strategy's origin and language); run.conf for the settings. Each file is
 * read whole into memory and parsed in place: one run costs a few allocations,
 * not one per field, so a thousand runs read in well under a second.
 *
 * A run with any defect is skipped whole, with its reason: using the readable
 * part of a damaged file would quietly drop tests from its averages. */
#include "analysis/runs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner/run_files.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/fs.h"
#include "util/utf8.h"

/* ---- results.csv ---- */

typedef enum col_kind {
    COL_TEXT,   /* char array */
    COL_PHASE,  /* char array, "insert" or "update" */
    COL_COUNT,  /* int64_t >= 0, empty = unknown (-1) */
    COL_DELTA,  /* int64_t, may be negative (a growth), empty = unknown (-1) */
    COL_REAL,   /* double >= 0, empty = unknown (NAN) */
    COL_BOOL,   /* int, "0" or "1" */
    COL_ERROR,  /* char array; longer text is cut (it is a message, not a figure) */
    COL_VERIFY  /* char array: "values", "count", "none", or empty (unknown) */
} col_kind;

typedef struct csv_col {
    const char *name;
    col_kind kind;
    size_t offset;
    size_t size;
} csv_col;

#define COL(member, kind) {#member, kind, offsetof(wb_result, member), sizeof(((wb_result *)0)->member)}

/* The columns of results.csv (docs/ARCHITECTURE.md, "Results files") in order:
 * the first REQUIRED_COLS in every file, the later ones in files written since
 * they were added (a header holds a prefix of this list, and columns after it
 * are ignored). test_runs checks the names against the writer's own list
 * (wb_results_csv_columns), so the two cannot drift apart. */
static const csv_col csv_cols[] = {
    COL(run_id, COL_TEXT),
    COL(test, COL_TEXT),
    COL(strategy, COL_TEXT),
    COL(phase, COL_PHASE),
    COL(backend, COL_TEXT),
    COL(server_version, COL_TEXT),
    COL(workload, COL_TEXT),
    COL(rows, COL_COUNT),
    COL(threads, COL_COUNT),
    COL(batch, COL_COUNT),
    COL(repeat, COL_COUNT),
    COL(success, COL_BOOL),
    COL(rows_verified, COL_COUNT),
    COL(duration_s, COL_REAL),
    COL(rows_per_s, COL_REAL),
    COL(connect_s, COL_REAL),
    COL(cpu_user_s, COL_REAL),
    COL(cpu_sys_s, COL_REAL),
    COL(peak_rss_kb, COL_COUNT),
    COL(server_peak_rss_kb, COL_COUNT),
    COL(wal_bytes, COL_COUNT),
    COL(commits, COL_COUNT),
    COL(db_bytes, COL_DELTA),
    COL(error, COL_ERROR),
    /* format_version 2 */
    COL(verify, COL_VERIFY),
    COL(verify_s, COL_REAL),
    COL(process_s, COL_REAL),
    /* appended within format_version 2: the test's session settings (--set, --pragma), a
     * streaming standby's figures (pg-temp:?standby=...) */
    COL(settings, COL_TEXT),
    COL(standby_received_bytes, COL_COUNT),
    COL(standby_lag_bytes, COL_COUNT),
    COL(standby_replay_lag_s, COL_REAL),
    /* appended within format_version 2: the latency of the test's batches */
    COL(batches, COL_COUNT),
    COL(batch_p50_ms, COL_REAL),
    COL(batch_p95_ms, COL_REAL),
    COL(batch_p99_ms, COL_REAL),
    COL(batch_max_ms, COL_REAL),
};

#define NCOLS ((int)(sizeof csv_cols / sizeof *csv_cols))
#define REQUIRED_COLS 24 /* the columns of format_version 1 */

/* A whole decimal integer, optionally negative; no spaces, no exponent. */
static int parse_integer(const char *s, size_t len, int allow_negative, int64_t *out)
{
    size_t i = 0;
    int negative = 0;
    if (len > 0 && s[0] == '-' && allow_negative) {
        negative = 1;
        i = 1;
    }
    if (i == len || len - i > 18)
        return -1;
    int64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = negative ? -v : v;
    return 0;
}

/* A plain decimal number as the writer prints it ("12.345600"); an exponent is
 * accepted for programs that write their own files; nan and inf are not numbers. */
static int parse_real(const char *s, size_t len, double *out)
{
    if (len == 0 || len > 64)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len || errno == ERANGE || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* Store field i of the record into r; -1 with the reason. */
static int store_field(wb_result *r, const csv_col *col, const char *text, size_t len, size_t line, wb_error *e)
{
    char *dest = (char *)r + col->offset;
    switch (col->kind) {
    case COL_TEXT:
    case COL_PHASE:
        if (len >= col->size)
            return wb_fail(e, "line %zu: %s is %zu bytes long (at most %zu)", line, col->name, len, col->size - 1);
        if (memchr(text, '\0', len))
            return wb_fail(e, "line %zu: %s holds a NUL byte", line, col->name);
        memcpy(dest, text, len);
        dest[len] = '\0';
        if (col->kind == COL_PHASE && strcmp(dest, "insert") != 0 && strcmp(dest, "update") != 0)
            return wb_fail(e, "line %zu: unknown phase '%.40s' (insert or update)", line, dest);
        return 0;
    case COL_VERIFY:
        if (len > 0 && !(len == 6 && memcmp(text, "values", 6) == 0) && !(len == 5 && memcmp(text, "count", 5) == 0) &&
            !(len == 4 && memcmp(text, "none", 4) == 0))
            return wb_fail(e, "line %zu: verify is '%.40s', not values, count or none", line, text);
        memcpy(dest, text, len);
        dest[len] = '\0';
        return 0;
    case COL_ERROR: {
        size_t n = len < col->size - 1 ? len : col->size - 1;
        memcpy(dest, text, n);
        dest[n] = '\0';
        return 0;
    }
    case COL_COUNT:
    case COL_DELTA: {
        int64_t v = -1;
        /* -1 is how wb_result says "unknown": a written -1 would be read as no figure. */
        if (len > 0 && (parse_integer(text, len, col->kind == COL_DELTA, &v) < 0 || v == -1))
            return wb_fail(e, "line %zu: %s is not a whole number: '%.40s'", line, col->name, text);
        memcpy(dest, &v, sizeof v);
        return 0;
    }
    case COL_REAL: {
        double v = NAN;
        if (len > 0 && parse_real(text, len, &v) < 0)
            return wb_fail(e, "line %zu: %s is not a number: '%.40s'", line, col->name, text);
        memcpy(dest, &v, sizeof v);
        return 0;
    }
    case COL_BOOL: {
        if (len != 1 || (text[0] != '0' && text[0] != '1'))
            return wb_fail(e, "line %zu: %s must be 0 or 1, not '%.40s'", line, col->name, text);
        int v = text[0] == '1';
        memcpy(dest, &v, sizeof v);
        return 0;
    }
    }
    return 0;
}

/* The status results.json would hold, for runs without it. */
static void derive_status(wb_result *r)
{
    if (r->success)
        r->status = WB_STATUS_OK;
    else if (strncmp(r->error, "skipped:", 8) == 0)
        r->status = WB_STATUS_SKIPPED;
    else if (strncmp(r->error, "timeout", 7) == 0)
        r->status = WB_STATUS_TIMEOUT;
    else
        r->status = WB_STATUS_FAILED;
}

/* Check the header; *known is how many of csv_cols it holds, in order. */
static int check_header(const wb_csv_record *rec, int *known, wb_error *e)
{
    if (rec->count < (size_t)REQUIRED_COLS) {
        const char *first = wb_csv_get(rec, 0);
        if (rec->count >= 1 && strcmp(first, csv_cols[0].name) != 0)
            return wb_fail(e, "not a writebench results.csv (its first column is '%.40s', not 'run_id')", first);
        return wb_fail(e, "header has %zu columns, a writebench results.csv has at least %d", rec->count,
                       REQUIRED_COLS);
    }
    int i = 0;
    for (; i < NCOLS && i < (int)rec->count; i++)
        if (strcmp(wb_csv_get(rec, (size_t)i), csv_cols[i].name) != 0) {
            if (i < REQUIRED_COLS)
                return wb_fail(e, "not a writebench results.csv (header column %d is '%.40s', expected '%s')", i + 1,
                               wb_csv_get(rec, (size_t)i), csv_cols[i].name);
            break; /* a column of a newer writebench: ignored from here on */
        }
    *known = i;
    return 0;
}

/* Parse results.csv; allow_no_results accepts a header without rows (a profile's
 * run directory records no write test: its figures are in profile.csv). */
static int results_csv_parse(const char *data, size_t len, int allow_no_results, wb_result **rows, int *nrows,
                             wb_error *e)
{
    *rows = NULL;
    *nrows = 0;
    if (len == 0)
        return wb_fail(e, "results.csv is empty");
    if (memchr(data, '\0', len))
        return wb_fail(e, "results.csv holds NUL bytes: not a text file");
    if (data[len - 1] != '\n') {
        size_t line = 1;
        for (size_t i = 0; i + 1 < len; i++)
            line += data[i] == '\n';
        return wb_fail(e, "results.csv is truncated: line %zu ends without a newline", line);
    }
    wb_csv_reader rd;
    wb_csv_reader_init(&rd, data, len);
    wb_csv_record rec = WB_CSV_RECORD_INIT;
    /* One row per newline is an upper bound (quoted fields may span lines). */
    size_t cap = 0;
    for (size_t i = 0; i < len; i++)
        cap += data[i] == '\n';
    wb_result *out = NULL;
    int n = 0;
    size_t header_fields = 0;
    int known_cols = REQUIRED_COLS;
    int status = 0;
    for (;;) {
        size_t line = rd.line;
        int got = wb_csv_next(&rd, &rec, e);
        if (got < 0) {
            status = wb_fail_prefix(e, "results.csv: ");
            break;
        }
        if (got == 0)
            break;
        if (header_fields == 0) {
            if (check_header(&rec, &known_cols, e) < 0) {
                status = -1;
                break;
            }
            header_fields = rec.count;
            out = wb_xmalloc((cap > 0 ? cap : 1) * sizeof *out);
            continue;
        }
        if (rec.count != header_fields) {
            status = wb_fail(e, "results.csv line %zu: %zu fields, the header has %zu%s", line, rec.count,
                             header_fields, rec.count < header_fields ? " (a cut-off record)" : "");
            break;
        }
        wb_result *r = &out[n];
        wb_result_init(r);
        for (int i = 0; i < known_cols && status == 0; i++)
            if (store_field(r, &csv_cols[i], wb_csv_get(&rec, (size_t)i), wb_csv_len(&rec, (size_t)i), line, e) < 0)
                status = wb_fail_prefix(e, "results.csv ");
        if (status != 0)
            break;
        char expected[sizeof r->test];
        if (snprintf(expected, sizeof expected, "%s-%s", r->strategy, r->phase) >= (int)sizeof expected ||
            strcmp(expected, r->test) != 0) {
            status = wb_fail(e, "results.csv line %zu: test '%s' is not '<strategy>-<phase>' ('%s')", line, r->test,
                             expected);
            break;
        }
        derive_status(r);
        n++;
    }
    wb_csv_record_free(&rec);
    if (status == 0 && header_fields == 0)
        status = wb_fail(e, "results.csv is empty");
    if (status == 0 && n == 0 && !allow_no_results)
        status = wb_fail(e, "results.csv holds no results (header only: the run recorded no test)");
    if (status != 0) {
        free(out);
        return -1;
    }
    *rows = out;
    *nrows = n;
    return 0;
}

/* ---- results.json: a small strict scanner, no tree ----
 * Only a few keys are needed, so values are scanned in place and skipped. */

typedef struct jscan {
    const char *p, *start, *end;
} jscan;

typedef struct json_extra {
    char test[128];
    int64_t repeat;
    int has_status;
    wb_status status;
    int slow;
    int64_t lock_waits;
    double lock_wait_s;
    double server_share;
    double client_share;
    int success;                  /* -1: no "success" key */
    int has_origin, has_language; /* both or neither (runs before origins had neither) */
    int external;
    char language[sizeof ((wb_result *)0)->language];
    char io[sizeof ((wb_result *)0)->io]; /* "" absent (runs before io: every program was "sync") */
    int64_t cache_lookups, stale_reads;   /* -1 unknown or absent */
    char defect[128];             /* a value writebench never writes; "" when none */
} json_extra;

static void json_ws(jscan *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int json_expect(jscan *j, char c)
{
    json_ws(j);
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return 0;
    }
    return -1;
}

/* A string into out (NUL-terminated, cut at n - 1 bytes); out may be NULL to skip.
 * \u escapes are kept only as '?': the strings read here are ASCII names. */
static int json_string(jscan *j, char *out, size_t n)
{
    json_ws(j);
    if (j->p >= j->end || *j->p != '"')
        return -1;
    j->p++;
    size_t len = 0;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if ((unsigned char)c < 0x20)
            return -1;
        if (c == '\\') {
            if (j->p >= j->end)
                return -1;
            char esc = *j->p++;
            static const char plain[] = "\"\\/bfnrt";
            static const char value[] = "\"\\/\b\f\n\r\t";
            const char *k = strchr(plain, esc);
            if (esc == 'u') {
                if (j->end - j->p < 4)
                    return -1;
                j->p += 4;
                c = '?';
            } else if (k && esc) {
                c = value[k - plain];
            } else {
                return -1;
            }
        }
        if (out && len + 1 < n)
            out[len++] = c;
    }
    if (j->p >= j->end)
        return -1;
    j->p++;
    if (out && n)
        out[len] = '\0';
    return 0;
}

/* A number, or null (NAN); -1 for anything else. */
static int json_number_or_null(jscan *j, double *out)
{
    json_ws(j);
    if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
        j->p += 4;
        *out = NAN;
        return 0;
    }
    const char *q = j->p;
    while (q < j->end && strchr("0123456789+-.eE", *q) && *q)
        q++;
    if (q == j->p || q - j->p > 64)
        return -1;
    char tmp[72];
    memcpy(tmp, j->p, (size_t)(q - j->p));
    tmp[q - j->p] = '\0';
    char *endp;
    double v = strtod(tmp, &endp);
    if (*endp != '\0')
        return -1;
    j->p = q;
    *out = v;
    return 0;
}

static int json_bool(jscan *j, int *out)
{
    json_ws(j);
    if (j->end - j->p >= 4 && memcmp(j->p, "true", 4) == 0) {
        j->p += 4;
        *out = 1;
        return 0;
    }
    if (j->end - j->p >= 5 && memcmp(j->p, "false", 5) == 0) {
        j->p += 5;
        *out = 0;
        return 0;
    }
    return -1;
}

static int json_skip(jscan *j, int depth)
{
    if (depth > 64)
        return -1;
    json_ws(j);
    if (j->p >= j->end)
        return -1;
    char c = *j->p;
    if (c == '"')
        return json_string(j, NULL, 0);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        if (json_expect(j, close) == 0)
            return 0;
        for (;;) {
            if (c == '{' && (json_string(j, NULL, 0) < 0 || json_expect(j, ':') < 0))
                return -1;
            if (json_skip(j, depth + 1) < 0)
                return -1;
            if (json_expect(j, ',') == 0)
                continue;
            return json_expect(j, close);
        }
    }
    int flag;
    double number;
    if (json_bool(j, &flag) == 0 || json_number_or_null(j, &number) == 0)
        return 0;
    return -1;
}

/* A string value that must be short text (origin, language) into out[n]: -1
 * when the JSON is malformed; otherwise 0, with x->defect set (and the value
 * skipped) when it is not a string, is empty, too long or holds a control
 * character. The JSON is still valid then, but not what writebench writes. */
static int json_short_text(jscan *j, const char *key, char *out, size_t n, json_extra *x)
{
    json_ws(j);
    if (j->p >= j->end || *j->p != '"') {
        if (!x->defect[0])
            snprintf(x->defect, sizeof x->defect, "%s is not a string", key);
        return json_skip(j, 1);
    }
    char text[64];
    if (json_string(j, text, sizeof text) < 0)
        return -1;
    size_t len = strlen(text);
    int control = 0;
    for (size_t i = 0; i < len; i++)
        control |= (unsigned char)text[i] < 0x20 || text[i] == 0x7f;
    if (len == 0 || len >= n || control) {
        if (!x->defect[0])
            snprintf(x->defect, sizeof x->defect, "%s '%.40s' is not a name of 1 to %zu printable bytes", key,
                     control ? "(control characters)" : text, n - 1);
        return 0;
    }
    memcpy(out, text, len + 1);
    return 0;
}

/* One result object's keys that are not CSV columns (and test/repeat to match rows). */
static int json_result_object(jscan *j, json_extra *x)
{
    memset(x, 0, sizeof *x);
    x->repeat = -1;
    x->lock_waits = x->cache_lookups = x->stale_reads = -1;
    x->lock_wait_s = x->server_share = x->client_share = NAN;
    x->success = -1;
    if (json_expect(j, '{') < 0)
        return -1;
    if (json_expect(j, '}') == 0)
        return 0;
    for (;;) {
        char key[64];
        if (json_string(j, key, sizeof key) < 0 || json_expect(j, ':') < 0)
            return -1;
        double v = NAN;
        int rc = 0;
        if (strcmp(key, "test") == 0) {
            rc = json_string(j, x->test, sizeof x->test);
        } else if (strcmp(key, "repeat") == 0 || strcmp(key, "lock_waits") == 0 ||
                   strcmp(key, "cache_lookups") == 0 || strcmp(key, "stale_reads") == 0) {
            rc = json_number_or_null(j, &v);
            /* whole numbers of a sane size, or unknown */
            int64_t iv = (rc == 0 && v >= 0 && v < 9e15 && v == floor(v)) ? (int64_t)v : -1;
            int64_t *into = key[0] == 'r' ? &x->repeat : key[0] == 'l' ? &x->lock_waits
                                                       : key[0] == 'c' ? &x->cache_lookups : &x->stale_reads;
            *into = iv;
        } else if (strcmp(key, "io") == 0) {
            rc = json_short_text(j, "io", x->io, sizeof x->io, x);
        } else if (strcmp(key, "lock_wait_s") == 0) {
            rc = json_number_or_null(j, &x->lock_wait_s);
        } else if (strcmp(key, "server_share") == 0) {
            rc = json_number_or_null(j, &x->server_share);
        } else if (strcmp(key, "client_share") == 0) {
            rc = json_number_or_null(j, &x->client_share);
        } else if (strcmp(key, "success") == 0) {
            rc = json_bool(j, &x->success);
        } else if (strcmp(key, "slow") == 0) {
            rc = json_bool(j, &x->slow);
        } else if (strcmp(key, "origin") == 0) {
            char name[16] = "";
            rc = json_short_text(j, "origin", name, sizeof name, x);
            x->has_origin = 1;
            if (rc == 0 && name[0] && wb_origin_parse(name, &x->external) < 0 && !x->defect[0])
                snprintf(x->defect, sizeof x->defect, "origin '%s' is neither 'built-in' nor 'external'", name);
        } else if (strcmp(key, "language") == 0) {
            rc = json_short_text(j, "language", x->language, sizeof x->language, x);
            x->has_language = 1;
        } else if (strcmp(key, "status") == 0) {
            char name[32];
            rc = json_string(j, name, sizeof name);
            for (int s = WB_STATUS_OK; s <= WB_STATUS_NOT_MEASURED; s++)
                if (rc == 0 && strcmp(name, wb_status_name((wb_status)s)) == 0) {
                    x->status = (wb_status)s;
                    x->has_status = 1;
                }
        } else {
            rc = json_skip(j, 1);
        }
        if (rc < 0)
            return -1;
        if (json_expect(j, ',') == 0)
            continue;
        return json_expect(j, '}');
    }
}

/* The run-level keys of results.json (format_version 2). */
typedef struct json_run {
    char state[16];       /* run_state: "running", "finished", "cut short"; "" absent */
    char cut_short[512];  /* its reason; "" when null or absent */
    int64_t tests_planned; /* -1 unknown */
} json_run;

/* Read results.json: format_version into *version (-1 when absent), the run-level
 * keys into *run and the result objects' extras into *extras. A newer
 * format_version stops the reading at once: what follows may not be understood. */
static int json_read(const char *data, size_t len, int64_t *version, json_run *run, json_extra **extras,
                     int *nextras, wb_error *e)
{
    jscan j = {data, data, data + len};
    memset(run, 0, sizeof *run);
    run->tests_planned = -1;
    *version = -1;
    *extras = NULL;
    *nextras = 0;
    int cap = 0;
    if (json_expect(&j, '{') < 0)
        goto bad;
    if (json_expect(&j, '}') == 0)
        goto done;
    for (;;) {
        char key[64];
        if (json_string(&j, key, sizeof key) < 0 || json_expect(&j, ':') < 0)
            goto bad;
        if (strcmp(key, "format_version") == 0) {
            double v;
            if (json_number_or_null(&j, &v) < 0 || isnan(v) || v != floor(v) || v < 0 || v > 1e9) {
                free(*extras);
                *extras = NULL;
                *nextras = 0;
                return wb_fail(e, "results.json: format_version is not a whole number");
            }
            *version = (int64_t)v;
            if (*version > WB_RESULTS_FORMAT_VERSION)
                return 0;
        } else if (strcmp(key, "run_state") == 0) {
            if (json_string(&j, run->state, sizeof run->state) < 0)
                goto bad;
        } else if (strcmp(key, "cut_short") == 0) {
            json_ws(&j);
            if (j.p < j.end && *j.p == 'n') {
                if (json_skip(&j, 1) < 0)
                    goto bad;
            } else if (json_string(&j, run->cut_short, sizeof run->cut_short) < 0) {
                goto bad;
            }
        } else if (strcmp(key, "tests_planned") == 0) {
            double v;
            if (json_number_or_null(&j, &v) < 0)
                goto bad;
            run->tests_planned = !isnan(v) && v >= 0 && v < 1e12 && v == floor(v) ? (int64_t)v : -1;
        } else if (strcmp(key, "results") == 0) {
            if (json_expect(&j, '[') < 0)
                goto bad;
            if (json_expect(&j, ']') != 0) {
                for (;;) {
                    if (*nextras == cap) {
                        cap = cap ? cap * 2 : 64;
                        *extras = wb_xrealloc(*extras, (size_t)cap * sizeof **extras);
                    }
                    if (json_result_object(&j, &(*extras)[*nextras]) < 0)
                        goto bad;
                    (*nextras)++;
                    if (json_expect(&j, ',') == 0)
                        continue;
                    if (json_expect(&j, ']') < 0)
                        goto bad;
                    break;
                }
            }
        } else if (json_skip(&j, 1) < 0) {
            goto bad;
        }
        if (json_expect(&j, ',') == 0)
            continue;
        if (json_expect(&j, '}') < 0)
            goto bad;
        break;
    }
done:
    json_ws(&j);
    if (j.p != j.end)
        goto bad;
    return 0;
bad:
    free(*extras);
    *extras = NULL;
    *nextras = 0;
    return wb_fail(e, "results.json is not valid JSON (at byte %zu)", (size_t)(j.p - j.start));
}

/* The origin of a result: both keys or neither, valid, and the same presence in
 * every object (a writer writes them everywhere or, before origins, nowhere), so
 * an external program is never silently counted as built-in. */
static int check_origin(const json_extra *x, int i, wb_error *e)
{
    if (x[i].defect[0])
        return wb_fail(e, "results.json result %d ('%s'): %s", i + 1, x[i].test, x[i].defect);
    if (x[i].has_origin != x[i].has_language)
        return wb_fail(e, "results.json result %d ('%s') has %s but no %s", i + 1, x[i].test,
                       x[i].has_origin ? "an origin" : "a language", x[i].has_origin ? "language" : "origin");
    if (i > 0 && x[i].has_origin != x[0].has_origin)
        return wb_fail(e, "results.json result %d ('%s') %s origin and language, result 1 %s", i + 1, x[i].test,
                       x[i].has_origin ? "has" : "lacks", x[0].has_origin ? "has them" : "does not");
    return 0;
}

/* Take the non-CSV figures from results.json. The two files hold the same tests
 * in the same order; only a run that did not finish may have one CSV row more
 * (it was killed between the two writes), whose extras stay unknown. */
static int apply_extras(wb_result *rows, int n, const json_extra *x, int nx, int finished, wb_error *e)
{
    if (nx > n || (n > nx && (finished || n > nx + 1)))
        return wb_fail(e, "damaged: results.csv holds %d tests but results.json %d", n, nx);
    for (int i = 0; i < nx; i++) {
        if (strcmp(x[i].test, rows[i].test) != 0 || x[i].repeat != rows[i].repeat)
            return wb_fail(e, "results.csv and results.json disagree at result %d ('%s' repeat %lld vs '%s' repeat %lld)",
                           i + 1, rows[i].test, (long long)rows[i].repeat, x[i].test, (long long)x[i].repeat);
        if (check_origin(x, i, e) < 0)
            return -1;
        if (x[i].success >= 0 && x[i].success != rows[i].success)
            return wb_fail(e, "damaged: results.csv and results.json disagree on the success of result %d ('%s')",
                           i + 1, rows[i].test);
        rows[i].client_share = x[i].client_share;
        if (x[i].has_status)
            rows[i].status = x[i].status;
        rows[i].slow = x[i].slow;
        rows[i].lock_waits = x[i].lock_waits;
        rows[i].lock_wait_s = x[i].lock_wait_s;
        rows[i].server_share = x[i].server_share;
        rows[i].cache_lookups = x[i].cache_lookups;
        rows[i].stale_reads = x[i].stale_reads;
        if (x[i].io[0])
            snprintf(rows[i].io, sizeof rows[i].io, "%s", x[i].io);
        if (x[i].has_origin) {
            rows[i].external = x[i].external;
            snprintf(rows[i].language, sizeof rows[i].language, "%s", x[i].language);
        }
    }
    /* CSV rows without a JSON object (the run was killed between the writes):
     * a strategy name means one program within a run (the runner refuses an
     * external name equal to a built-in one), so an earlier test of the same
     * strategy tells the origin; with none, the default (built-in, "c"). */
    for (int i = nx; i < n; i++)
        for (int k = 0; k < nx; k++)
            if (strcmp(rows[k].strategy, rows[i].strategy) == 0) {
                rows[i].external = rows[k].external;
                memcpy(rows[i].language, rows[k].language, sizeof rows[i].language);
                memcpy(rows[i].io, rows[k].io, sizeof rows[i].io);
                break;
            }
    return 0;
}

/* ---- run.conf ---- */

/* Split "key = value" lines in place; comments and lines without " = " are dropped. */
static void parse_conf(wb_run_info *run, char *text)
{
    int cap = 0;
    run->conf_text = text;
    char *line = text;
    while (*line) {
        char *nl = strchr(line, '\n');
        char *next = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = '\0';
        char *sep = strstr(line, " = ");
        if (line[0] != '#' && sep) {
            *sep = '\0';
            if (run->nconf == cap) {
                cap = cap ? cap * 2 : 32;
                run->conf = wb_xrealloc(run->conf, (size_t)cap * sizeof *run->conf);
            }
            run->conf[run->nconf].key = line;
            run->conf[run->nconf].value = sep + 3;
            run->nconf++;
        }
        line = next;
    }
}

/* ---- one run ---- */

static int path_join(char *out, size_t n, const char *dir, const char *name)
{
    return snprintf(out, n, "%s/%s", dir, name) < (int)n ? 0 : -1;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Append one run and its results, growing both arrays geometrically: a thousand
 * runs must not mean a thousand copies of everything read so far. */
static wb_run_info *append_run(wb_run_set *set, const char *dir, const wb_result *rows, int n, char *conf_text)
{
    if (set->nruns == set->runs_cap) {
        set->runs_cap = set->runs_cap ? set->runs_cap * 2 : 16;
        set->runs = wb_xrealloc(set->runs, (size_t)set->runs_cap * sizeof *set->runs);
    }
    if (set->nresults + n > set->results_cap) {
        int cap = set->results_cap ? set->results_cap : 256;
        while (cap < set->nresults + n)
            cap *= 2;
        set->results = wb_xrealloc(set->results, (size_t)cap * sizeof *set->results);
        set->results_cap = cap;
    }
    wb_run_info *run = &set->runs[set->nruns++];
    memset(run, 0, sizeof *run);
    snprintf(run->dir, sizeof run->dir, "%s", dir);
    const char *base = strrchr(dir, '/');
    base = base ? base + 1 : dir;
    snprintf(run->run_id, sizeof run->run_id, "%s", base);
    run->first_result = set->nresults;
    run->nresults = n;
    if (conf_text)
        parse_conf(run, conf_text);
    memcpy(set->results + set->nresults, rows, (size_t)n * sizeof *rows);
    set->nresults += n;
    return run;
}

/* Whether dir is a profile's run directory (it holds profile.csv). */
static int is_profile_run(const char *dir)
{
    char path[PATH_MAX];
    return path_join(path, sizeof path, dir, "profile.csv") == 0 && file_exists(path);
}

int wb_results_csv_parse(const char *data, size_t len, wb_result **rows, int *nrows, wb_error *e)
{
    return results_csv_parse(data, len, 0, rows, nrows, e);
}

/* A file that must be valid UTF-8 as a whole (writebench writes nothing else). */
static int check_utf8(const char *name, const wb_buf *text, wb_error *e)
{
    size_t bad = 0;
    if (text->len > 0 && !wb_utf8_valid(text->data, text->len, &bad)) {
        size_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += text->data[i] == '\n';
        return wb_fail(e, "damaged: %s line %zu holds bytes that are not UTF-8", name, line);
    }
    return 0;
}

/* How the run ended, from results.json's run-level keys, into run. */
static void take_state(wb_run_info *run, int64_t version, const json_run *jr)
{
    run->tests_planned = jr->tests_planned;
    if (version < 2) {
        run->state = WB_RUN_STATE_UNKNOWN; /* written before runs recorded it */
    } else if (strcmp(jr->state, "finished") == 0) {
        run->state = WB_RUN_FINISHED;
    } else {
        run->state = WB_RUN_CUT_SHORT;
        snprintf(run->cut_short, sizeof run->cut_short, "%s",
                 strcmp(jr->state, "cut short") == 0 && jr->cut_short[0]
                     ? jr->cut_short
                     : "no end recorded (killed, or still running)");
    }
}

/* When results.json still says "running", the run may have ended after all with its
 * last write to it failing (a file-size limit): run.log's last "run ended: ...; cut
 * short: <reason>" line then says why. 1 when found, into reason. */
static int reason_from_log(const char *dir, char *reason, size_t cap)
{
    static const char marker[] = "; cut short: ";
    char path[PATH_MAX];
    wb_buf log = WB_BUF_INIT;
    wb_error ignored;
    int found = 0;
    if (path_join(path, sizeof path, dir, "run.log") == 0 && file_exists(path) &&
        wb_fs_read_file(path, &log, &ignored) == 0 && log.data) {
        for (char *line = strstr(log.data, "run ended: "); line; line = strstr(line + 1, "run ended: ")) {
            char *cut = strstr(line, marker), *end = strchr(line, '\n');
            if (cut && (!end || cut < end)) {
                int n = (int)((end ? end : cut + strlen(cut)) - (cut + strlen(marker)));
                snprintf(reason, cap, "%.*s (from run.log: results.json could not record the end)", n,
                         cut + strlen(marker));
                found = 1;
            }
        }
    }
    wb_buf_free(&log);
    return found;
}

int wb_run_read_dir(const char *dir, wb_run_set *set, wb_error *e)
{
    char path[PATH_MAX];
    if (!is_directory(dir))
        return wb_fail(e, "not a directory");
    if (path_join(path, sizeof path, dir, "results.csv") < 0)
        return wb_fail(e, "path too long");
    if (!file_exists(path))
        return wb_fail(e, "no results.csv (not a run directory, or the run never started)");

    /* results.json first: a newer format explains whatever the CSV holds. */
    json_extra *extras = NULL;
    int nextras = 0;
    json_run jr;
    memset(&jr, 0, sizeof jr);
    int64_t version = -1;
    char json_path[PATH_MAX];
    if (path_join(json_path, sizeof json_path, dir, "results.json") < 0)
        return wb_fail(e, "path too long");
    wb_buf text = WB_BUF_INIT;
    if (file_exists(json_path)) {
        if (wb_fs_read_file(json_path, &text, e) < 0 || check_utf8("results.json", &text, e) < 0) {
            wb_buf_free(&text);
            return -1;
        }
        int rc = json_read(text.data ? text.data : "", text.len, &version, &jr, &extras, &nextras, e);
        wb_buf_free(&text);
        if (rc < 0)
            return -1;
        if (version > WB_RESULTS_FORMAT_VERSION) {
            free(extras);
            return wb_fail(e, "written by a newer writebench (results format_version %lld; this one reads up to %d)",
                           (long long)version, WB_RESULTS_FORMAT_VERSION);
        }
        if (version < 0) {
            free(extras);
            return wb_fail(e, "results.json has no format_version: not a writebench results file");
        }
    }
    wb_run_info state;
    memset(&state, 0, sizeof state);
    take_state(&state, version, &jr);
    if (state.state == WB_RUN_CUT_SHORT && strcmp(jr.state, "cut short") != 0)
        reason_from_log(dir, state.cut_short, sizeof state.cut_short);

    wb_result *rows = NULL;
    int n = 0;
    if (wb_fs_read_file(path, &text, e) < 0 || check_utf8("results.csv", &text, e) < 0 ||
        results_csv_parse(text.data ? text.data : "", text.len, is_profile_run(dir) || state.state == WB_RUN_CUT_SHORT,
                          &rows, &n, e) < 0 ||
        (version >= 0 && apply_extras(rows, n, extras, nextras, state.state == WB_RUN_FINISHED, e) < 0)) {
        wb_buf_free(&text);
        free(extras);
        free(rows);
        return -1;
    }
    wb_buf_free(&text);
    free(extras);

    /* run.conf is optional: the numbers do not depend on it. */
    char *conf_text = NULL;
    if (path_join(path, sizeof path, dir, "run.conf") == 0 && file_exists(path)) {
        wb_buf conf = WB_BUF_INIT;
        wb_error ignored;
        if (wb_fs_read_file(path, &conf, &ignored) == 0)
            conf_text = conf.data ? conf.data : wb_xstrdup("");
        else
            wb_buf_free(&conf);
    }
    wb_run_info *run = append_run(set, dir, rows, n, conf_text);
    run->state = state.state;
    run->tests_planned = state.tests_planned;
    memcpy(run->cut_short, state.cut_short, sizeof run->cut_short);
    /* Runs written before the verify column: the run's one --verify setting. */
    const char *mode = wb_run_conf_get(run, "verify");
    /* The workload's file: a run has one, recorded in run.conf. */
    const char *workload_sha256 = wb_run_conf_get(run, "workload_sha256");
    for (int i = 0; i < n; i++) {
        wb_result *r = &set->results[run->first_result + i];
        if (!r->verify[0])
            snprintf(r->verify, sizeof r->verify, "%s", mode && strcmp(mode, "count") == 0 ? "count" : "values");
        char label[sizeof r->workload];
        wb_workload_label(r->workload, workload_sha256, label, sizeof label);
        memcpy(r->workload, label, sizeof label);
    }
    free(rows);
    return 0;
}

/* ---- the workload's identity ---- */

/* The shipped workload files whose values are those of the workloads compiled into
 * writebench before workloads were files (tests/unit/test_workload_golden.c holds
 * them to those values). Add a line when a shipped file changes without changing
 * its values (a comment); a file whose values change is not listed, so its
 * results are kept apart from the older ones, as they must be. test_workload_file
 * checks that the files shipped now are listed. */
const wb_shipped_workload wb_shipped_workloads[] = {
    {"events", "91b65b4bc9137c943b05612909e6fd56a979277a38950dfef5a295e02ca2a5dd"},
    {"orders", "5dc5971dfaf1936fe502e14ad3f4162a76bf9f5a75ce7448d6a27c1cc76172d3"},
    {"products", "116731a051c6f96793890e8cbe6659913288dc62a7273b38d44a80fb18fc6a52"},
    {"users", "283bc4d5f02a28ac15287cbc72d22cccdb752b419b4a337d89a6c592b347973d"},
    {NULL, NULL},
};

void wb_workload_label(const char *name, const char *sha256, char *out, size_t n)
{
    int shipped = !sha256 || !sha256[0]; /* a run from before workload files ran the compiled-in ones */
    for (const wb_shipped_workload *s = wb_shipped_workloads; s->name && !shipped; s++)
        shipped = strcmp(s->name, name) == 0 && strcmp(s->sha256, sha256) == 0;
    if (shipped)
        snprintf(out, n, "%s", name);
    else
        snprintf(out, n, "%s@%.16s", name, sha256);
}

/* ---- many runs ---- */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether dir holds any of a run's files: a directory with none of them (the
 * benchmarks' results/bench/, a user's notes) is not a run at all and is passed
 * over in silence, while one with some but no results.csv is a broken run. */
static int looks_like_run(const char *dir)
{
    static const char *const run_files[] = {"results.csv", "results.json", "run.conf", "run.log", "code.diff"};
    for (size_t i = 0; i < sizeof run_files / sizeof *run_files; i++) {
        char path[PATH_MAX];
        if (path_join(path, sizeof path, dir, run_files[i]) == 0 && file_exists(path))
            return 1;
    }
    return 0;
}

/* The run directories directly under results_dir, sorted (run ids sort by time). */
static int list_runs(const char *results_dir, char ***out, int *n, wb_error *e)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(results_dir);
    if (!d)
        return wb_fail(e, "results directory '%s': %s", results_dir, strerror(errno));
    int cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        if (path_join(path, sizeof path, results_dir, ent->d_name) < 0 || !is_directory(path) ||
            !looks_like_run(path))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = wb_xrealloc(*out, (size_t)cap * sizeof **out);
        }
        (*out)[(*n)++] = wb_xstrdup(path);
    }
    closedir(d);
    if (*n > 1)
        qsort(*out, (size_t)*n, sizeof **out, compare_names);
    return 0;
}

/* Where a named run is: a run id under results_dir, else a path. */
static int resolve_name(const char *results_dir, const char *name, char *out, size_t n, wb_error *e)
{
    if (!name[0])
        return wb_fail(e, "a run name is empty");
    if (!strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
        if (path_join(out, n, results_dir, name) == 0 && is_directory(out))
            return 0;
    }
    if (is_directory(name)) {
        snprintf(out, n, "%s", name);
        /* "results/RUN/" and "results/RUN" are the same run: drop trailing slashes. */
        size_t len = strlen(out);
        while (len > 1 && out[len - 1] == '/')
            out[--len] = '\0';
        return 0;
    }
    if (strchr(name, '/'))
        return wb_fail(e, "run directory '%s' does not exist", name);
    return wb_fail(e, "no run '%s' under '%s' (and no directory of that name)", name, results_dir);
}

static void warn_skip(const char *dir, const wb_error *why)
{
    /* one line, whatever the reason holds */
    char line[sizeof why->msg];
    snprintf(line, sizeof line, "%s", why->msg);
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : '?';
    fprintf(stderr, "writebench: skipping %s: %s\n", dir, line);
}

void wb_run_describe_cut_short(const wb_run_info *run, char *out, size_t n)
{
    char planned[48] = "";
    if (run->tests_planned >= 0)
        snprintf(planned, sizeof planned, " of %lld", (long long)run->tests_planned);
    snprintf(out, n, "%d%s test%s, cut short: %s", run->nresults, planned,
             run->tests_planned == 1 || (run->tests_planned < 0 && run->nresults == 1) ? "" : "s", run->cut_short);
}

/* Forget the last run read (its results are the last ones of the set). */
static void drop_last_run(wb_run_set *set)
{
    wb_run_info *run = &set->runs[set->nruns - 1];
    set->nresults -= run->nresults;
    free(run->conf);
    free(run->conf_text);
    set->nruns--;
}

int wb_runs_load(const char *results_dir, const char *const *names, int nnames, unsigned flags, wb_run_set *out,
                 wb_error *e)
{
    memset(out, 0, sizeof *out);
    if (!results_dir || !results_dir[0])
        results_dir = "results";
    char **dirs = NULL;
    int ndirs = 0;
    if (nnames == 0) {
        if (list_runs(results_dir, &dirs, &ndirs, e) < 0)
            return -1;
    } else {
        /* Resolve every name before reading anything: a typo fails fast. */
        dirs = wb_xcalloc((size_t)nnames, sizeof *dirs);
        for (int i = 0; i < nnames; i++) {
            char path[PATH_MAX];
            if (resolve_name(results_dir, names[i], path, sizeof path, e) < 0) {
                for (int k = 0; k < ndirs; k++)
                    free(dirs[k]);
                free(dirs);
                return -1;
            }
            /* The same run named twice (by id and by path) counts once. */
            char real[PATH_MAX];
            const char *key = realpath(path, real) ? real : path;
            int seen = 0;
            for (int k = 0; k < ndirs && !seen; k++) {
                char other[PATH_MAX];
                seen = strcmp(realpath(dirs[k], other) ? other : dirs[k], key) == 0;
            }
            if (!seen)
                dirs[ndirs++] = wb_xstrdup(path);
        }
    }
    for (int i = 0; i < ndirs; i++) {
        wb_error why = {{0}};
        if (wb_run_read_dir(dirs[i], out, &why) < 0) {
            warn_skip(dirs[i], &why);
            out->nskipped++;
        } else if (out->runs[out->nruns - 1].state == WB_RUN_CUT_SHORT) {
            char what[700];
            wb_run_describe_cut_short(&out->runs[out->nruns - 1], what, sizeof what);
            int leave_out = (flags & WB_RUNS_WHOLE_ONLY) != 0;
            fprintf(stderr, "writebench: run %s: %s%s\n", out->runs[out->nruns - 1].run_id, what,
                    leave_out ? " (left out: --whole-runs-only)" : "");
            out->ncut_short++;
            if (leave_out) {
                drop_last_run(out);
                out->nleft_out++;
            }
        }
        free(dirs[i]);
    }
    free(dirs);
    if (out->nruns == 0) {
        int skipped = out->nskipped, left_out = out->nleft_out;
        wb_runs_free(out);
        if (left_out > 0)
            return wb_fail(e, "no whole run left: %d run(s) cut short left out by --whole-runs-only%s", left_out,
                           skipped ? ", the others unreadable" : "");
        if (nnames > 0)
            return wb_fail(e, "none of the named runs could be read");
        if (skipped > 0)
            return wb_fail(e, "no readable run under '%s' (%d skipped)", results_dir, skipped);
        return wb_fail(e, "no runs under '%s'", results_dir);
    }
    return 0;
}

const char *wb_run_conf_get(const wb_run_info *run, const char *key)
{
    for (int i = 0; i < run->nconf; i++)
        if (strcmp(run->conf[i].key, key) == 0)
            return run->conf[i].value;
    return NULL;
}

const wb_run_info *wb_run_of_result(const wb_run_set *set, int i)
{
    int lo = 0, hi = set->nruns - 1;
    /* runs are stored in result order: binary search */
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const wb_run_info *r = &set->runs[mid];
        if (i < r->first_result)
            hi = mid - 1;
        else if (i >= r->first_result + r->nresults)
            lo = mid + 1;
        else
            return r;
    }
    return NULL;
}

void wb_runs_free(wb_run_set *set)
{
    for (int i = 0; i < set->nruns; i++) {
        free(set->runs[i].conf);
        free(set->runs[i].conf_text);
    }
    free(set->results);
    free(set->runs);
    memset(set, 0, sizeof *set);
}
