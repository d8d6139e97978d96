/* Reading an external program's report of its own timed region: the file named by
 * $WRITEBENCH_REPORT, one JSON object {"duration_s": D}, optionally with the counts
 * of a cache in front of its reads, "cache_lookups" and "stale_reads"
 * (docs/EXTERNAL.md, "The program's own timed region"). The reader is strict on purpose: a report that is
 * half right would silently replace the measured process time with a wrong figure,
 * so anything but exactly the documented object is an error naming what is wrong. */
#include "strategies/external.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/utf8.h"

/* What a key's number must be. */
typedef enum number_kind {
    NUMBER_SECONDS, /* finite and > 0 */
    NUMBER_COUNT    /* a whole number >= 0, below 2^53 (exact in a double) */
} number_kind;

/* The keys a report may hold, and what each must be; a new key is a new row here
 * and in docs/EXTERNAL.md. */
enum { KEY_DURATION_S, KEY_CACHE_LOOKUPS, KEY_STALE_READS };
static const struct {
    const char *name;
    int required;
    number_kind kind;
} report_keys[] = {
    [KEY_DURATION_S] = {"duration_s", 1, NUMBER_SECONDS},
    [KEY_CACHE_LOOKUPS] = {"cache_lookups", 0, NUMBER_COUNT},
    [KEY_STALE_READS] = {"stale_reads", 0, NUMBER_COUNT},
};
#define NKEYS (sizeof report_keys / sizeof report_keys[0])

/* A position in the report's text; errors go to e. */
typedef struct scan {
    const char *s;
    size_t len, pos;
    wb_error *e;
} scan;

/* Pass over JSON's blanks (space, tab, CR, LF). */
static void skip_ws(scan *sc)
{
    while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]) && sc->s[sc->pos])
        sc->pos++;
}

/* What is at the scan position, for messages: "'x' at byte 12" or "the end". */
static const char *here(const scan *sc, char *buf, size_t n)
{
    if (sc->pos >= sc->len)
        snprintf(buf, n, "the end of the file");
    else if ((unsigned char)sc->s[sc->pos] >= 0x20 && (unsigned char)sc->s[sc->pos] < 0x7f)
        snprintf(buf, n, "'%c' at byte %zu", sc->s[sc->pos], sc->pos);
    else
        snprintf(buf, n, "byte 0x%02x at byte %zu", (unsigned char)sc->s[sc->pos], sc->pos);
    return buf;
}

/* Consume c after blanks; otherwise fail saying what was expected and what is there. */
static int expect(scan *sc, char c, const char *what)
{
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == c) {
        sc->pos++;
        return 0;
    }
    char at[48];
    return wb_fail(sc->e, "not one JSON object: expected %s, found %s", what, here(sc, at, sizeof at));
}

/* A JSON string (RFC 8259) into out (truncated to n; escapes decoded except \u, kept
 * as written: keys are ASCII names, so only the message would ever show one). */
static int read_string(scan *sc, char *out, size_t n)
{
    if (expect(sc, '"', "a key in double quotes") != 0)
        return -1;
    size_t used = 0;
    while (sc->pos < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->pos++];
        if (c == '"') {
            out[used < n ? used : n - 1] = '\0';
            return 0;
        }
        if (c < 0x20)
            return wb_fail(sc->e, "not one JSON object: a control character (0x%02x) inside a string at byte %zu", c,
                           sc->pos - 1);
        if (c == '\\') {
            if (sc->pos >= sc->len)
                break;
            char esc = sc->s[sc->pos++];
            if (!strchr("\"\\/bfnrtu", esc) || !esc)
                return wb_fail(sc->e, "not one JSON object: the escape \\%c at byte %zu is not JSON", esc,
                               sc->pos - 2);
            if (esc == 'u') {
                for (int i = 0; i < 4; i++, sc->pos++)
                    if (sc->pos >= sc->len || !strchr("0123456789abcdefABCDEF", sc->s[sc->pos]) || !sc->s[sc->pos])
                        return wb_fail(sc->e, "not one JSON object: \\u needs four hex digits (byte %zu)", sc->pos);
                c = '?';
            } else {
                c = (unsigned char)esc;
            }
        }
        if (used + 1 < n)
            out[used++] = (char)c;
    }
    return wb_fail(sc->e, "not one JSON object: a string is not closed");
}

/* A JSON number, exactly the RFC's grammar (no NaN, Infinity, leading '+' or '.5'),
 * of the kind the key needs. */
static int read_number(scan *sc, const char *key, number_kind kind, double *out)
{
    skip_ws(sc);
    size_t start = sc->pos;
    const char *s = sc->s;
#define DIGIT(i) ((i) < sc->len && s[i] >= '0' && s[i] <= '9')
    size_t i = start;
    if (i < sc->len && s[i] == '-')
        i++;
    if (i < sc->len && s[i] == '0')
        i++;
    else if (DIGIT(i))
        while (DIGIT(i))
            i++;
    else
        i = start; /* not a number */
    if (i != start && i < sc->len && s[i] == '.') {
        if (!DIGIT(i + 1))
            i = start;
        else
            for (i++; DIGIT(i); i++) {
            }
    }
    if (i != start && i < sc->len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < sc->len && (s[j] == '+' || s[j] == '-'))
            j++;
        if (!DIGIT(j))
            i = start;
        else
            for (i = j; DIGIT(i); i++) {
            }
    }
#undef DIGIT
    /* What the grammar stopped at must not continue a number ("01", "1.5.2", "1e5e"). */
    if (i < sc->len && s[i] && strchr("0123456789.eE+-", s[i]))
        i = start;
    if (i == start || (i == start + 1 && s[start] == '-')) {
        char at[48];
        return wb_fail(sc->e, "%s must be a JSON number%s, found %s", key, kind == NUMBER_SECONDS ? " of seconds" : "",
                       here(sc, at, sizeof at));
    }
    char text[64];
    if (i - start >= sizeof text)
        return wb_fail(sc->e, "%s: the number is longer than %zu characters", key, sizeof text - 1);
    memcpy(text, s + start, i - start);
    text[i - start] = '\0';
    sc->pos = i;
    *out = strtod(text, NULL);
    if (!isfinite(*out))
        return wb_fail(sc->e, "%s is %s, which is not a finite number", key, text);
    if (kind == NUMBER_COUNT && (*out < 0 || *out != floor(*out) || *out >= 9007199254740992.0))
        return wb_fail(sc->e, "%s is %s: it must be a whole number, 0 or more", key, text);
    if (kind == NUMBER_SECONDS && *out <= 0)
        return wb_fail(sc->e, "%s is %s: it must be a positive number of seconds", key, text);
    return 0;
}

/* The object's keys and values into values[] (seen[] marks those given). */
static int read_object(scan *sc, double values[NKEYS], int seen[NKEYS])
{
    if (expect(sc, '{', "'{'") != 0)
        return -1;
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
        sc->pos++;
        return 0;
    }
    for (;;) {
        char key[64];
        if (read_string(sc, key, sizeof key) != 0 || expect(sc, ':', "':' after a key") != 0)
            return -1;
        size_t k = 0;
        while (k < NKEYS && strcmp(report_keys[k].name, key) != 0)
            k++;
        if (k == NKEYS)
            return wb_fail(sc->e, "unknown key \"%s\" (a report holds \"duration_s\", \"cache_lookups\" and "
                                  "\"stale_reads\")",
                           key);
        if (seen[k])
            return wb_fail(sc->e, "the key \"%s\" is given twice", key);
        if (read_number(sc, key, report_keys[k].kind, &values[k]) != 0)
            return -1;
        seen[k] = 1;
        skip_ws(sc);
        if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
            sc->pos++;
            continue;
        }
        return expect(sc, '}', "',' or '}'");
    }
}

int wb_external_read_report(const char *path, double process_s, double *duration_s, wb_error *e)
{
    wb_external_report report;
    int rc = wb_external_read_report_counts(path, process_s, &report, e);
    *duration_s = report.duration_s;
    return rc;
}

int wb_external_read_report_counts(const char *path, double process_s, wb_external_report *out, wb_error *e)
{
    out->duration_s = NAN;
    out->cache_lookups = out->stale_reads = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0; /* the program does not report: its whole process time stands */
        return wb_fail(e, "report %s: %s", path, strerror(errno));
    }
    char text[WB_EXTERNAL_REPORT_MAX_BYTES + 1];
    size_t len = 0;
    ssize_t got;
    while (len < sizeof text && (got = read(fd, text + len, sizeof text - len)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            return wb_fail(e, "report %s: %s", path, strerror(err));
        }
        len += (size_t)got;
    }
    close(fd);
    if (len > WB_EXTERNAL_REPORT_MAX_BYTES)
        return wb_fail(e, "report %s: larger than %d bytes, not one small JSON object", path,
                       WB_EXTERNAL_REPORT_MAX_BYTES);
    size_t bad;
    if (!wb_utf8_valid(text, len, &bad))
        return wb_fail(e, "report %s: not valid UTF-8 (byte %zu)", path, bad);

    wb_error why = {{0}};
    scan sc = {text, len, 0, &why};
    double values[NKEYS] = {0};
    int seen[NKEYS] = {0};
    int rc = read_object(&sc, values, seen);
    if (rc == 0) {
        skip_ws(&sc);
        if (sc.pos < sc.len) {
            char at[48];
            rc = wb_fail(&why, "not one JSON object: %s follows the object", here(&sc, at, sizeof at));
        }
    }
    for (size_t k = 0; rc == 0 && k < NKEYS; k++)
        if (report_keys[k].required && !seen[k])
            rc = wb_fail(&why, "the key \"%s\" is missing", report_keys[k].name);
    /* The timed region lies inside the program's life, which writebench measured. */
    if (rc == 0 && !isnan(process_s) && values[KEY_DURATION_S] > process_s)
        rc = wb_fail(&why, "duration_s %.6f is longer than the program's whole run (%.6f s)", values[KEY_DURATION_S],
                     process_s);
    /* A stale share needs the lookups it is a share of. */
    if (rc == 0 && seen[KEY_STALE_READS] && !seen[KEY_CACHE_LOOKUPS])
        rc = wb_fail(&why, "stale_reads needs cache_lookups, the lookups it counts among");
    if (rc == 0 && seen[KEY_STALE_READS] && values[KEY_STALE_READS] > values[KEY_CACHE_LOOKUPS])
        rc = wb_fail(&why, "stale_reads %.0f is more than cache_lookups %.0f", values[KEY_STALE_READS],
                     values[KEY_CACHE_LOOKUPS]);
    if (rc != 0)
        return wb_fail(e, "report %s: %s", path, why.msg);
    out->duration_s = values[KEY_DURATION_S];
    if (seen[KEY_CACHE_LOOKUPS])
        out->cache_lookups = (int64_t)values[KEY_CACHE_LOOKUPS];
    if (seen[KEY_STALE_READS])
        out->stale_reads = (int64_t)values[KEY_STALE_READS];
    return 0;
}
