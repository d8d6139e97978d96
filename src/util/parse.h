/* Strict parsing of numbers given on the command line: the whole string must be
 * a number in range, so "10k", "", "-5" and "1e9" are errors, never silently 0. */
#ifndef WB_UTIL_PARSE_H
#define WB_UTIL_PARSE_H

#include <stdint.h>

#include "util/error.h"

/* Parse a decimal integer in [min, max]; `what` names it in the error ("--rows"). */
int wb_parse_int64(const char *text, int64_t min, int64_t max, const char *what, int64_t *out, wb_error *e);
/* Parse a comma-separated list of whole numbers, each in [min, max], into out (at most
 * cap values, duplicates refused): "1000,10000" for a parameter scan. */
int wb_parse_int64_list(const char *text, int64_t min, int64_t max, const char *what, int64_t *out, int cap,
                        int *count, wb_error *e);
/* Parse a non-negative decimal number of seconds (fractions allowed) in (0, max]. */
int wb_parse_seconds(const char *text, double max, const char *what, double *out, wb_error *e);

#endif
