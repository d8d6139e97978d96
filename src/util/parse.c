/* Strict number parsing for command-line values (see parse.h). */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int wb_parse_int64(const char *text, int64_t min, int64_t max, const char *what, int64_t *out, wb_error *e)
{
    if (!text || !*text)
        return wb_fail(e, "%s needs a number, got an empty value", what);
    const char *p = text;
    if (*p == '-' || *p == '+')
        p++;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q) && *q != '_')
            return wb_fail(e, "%s must be a whole number, got '%s'", what, text);
    /* Underscores are accepted as digit separators (1_000_000), as in most languages. */
    char digits[64];
    size_t n = 0;
    for (const char *q = text; *q; q++)
        if (*q != '_') {
            if (n + 1 >= sizeof digits)
                return wb_fail(e, "%s is out of range: '%s'", what, text);
            digits[n++] = *q;
        }
    digits[n] = '\0';
    errno = 0;
    char *end = NULL;
    long long v = strtoll(digits, &end, 10);
    if (errno == ERANGE || end == digits || *end)
        return wb_fail(e, "%s is out of range: '%s'", what, text);
    if (v < min || v > max)
        return wb_fail(e, "%s must be between %lld and %lld, got %lld", what, (long long)min, (long long)max, v);
    *out = v;
    return 0;
}

int wb_parse_seconds(const char *text, double max, const char *what, double *out, wb_error *e)
{
    if (!text || !*text)
        return wb_fail(e, "%s needs a number of seconds, got an empty value", what);
    for (const char *q = text; *q; q++)
        if (!isdigit((unsigned char)*q) && *q != '.')
            return wb_fail(e, "%s must be a number of seconds, got '%s'", what, text);
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (errno == ERANGE || end == text || *end || !isfinite(v))
        return wb_fail(e, "%s must be a number of seconds, got '%s'", what, text);
    if (v <= 0 || v > max)
        return wb_fail(e, "%s must be more than 0 and at most %g seconds, got '%s'", what, max, text);
    *out = v;
    return 0;
}

int wb_parse_int64_list(const char *text, int64_t min, int64_t max, const char *what, int64_t *out, int cap,
                        int *count, wb_error *e)
{
    *count = 0;
    if (!text || !*text)
        return wb_fail(e, "%s needs a number or a comma-separated list, got an empty value", what);
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        if (len == 0 || len >= sizeof item)
            return wb_fail(e, "%s: '%s' is not a comma-separated list of whole numbers", what, text);
        memcpy(item, p, len);
        item[len] = '\0';
        int64_t v;
        if (wb_parse_int64(item, min, max, what, &v, e) != 0)
            return -1;
        for (int i = 0; i < *count; i++)
            if (out[i] == v)
                return wb_fail(e, "%s lists %lld twice", what, (long long)v);
        if (*count >= cap)
            return wb_fail(e, "%s lists more than %d values", what, cap);
        out[(*count)++] = v;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}
