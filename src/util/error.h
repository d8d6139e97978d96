/* One error message carried up the call chain: functions that can fail take a
 * wb_error*, fill it on failure and return -1, so the caller prints one clear line. */
#ifndef WB_UTIL_ERROR_H
#define WB_UTIL_ERROR_H

typedef struct wb_error {
    char msg[1024];
} wb_error;

/* Set the message (printf-style) and return -1, for `return wb_fail(e, ...)`.
 * A NULL e is allowed and ignored. */
int wb_fail(wb_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix an existing message with context ("user_account: " + old message); returns -1. */
int wb_fail_prefix(wb_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
