/* A tiny test harness for the unit tests: CHECK macros print the expression and
 * both values on failure; a test binary returns 1 when any check failed, 77 to
 * mean "skipped" (with the reason printed), 0 otherwise, and prints a closing
 * line "N passed, N failed" that CI reads. */
#ifndef WB_TESTS_CHECK_H
#define WB_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (cond) {                                                                          \
            check_passed++;                                                                  \
        } else {                                                                             \
            check_failed++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);        \
        }                                                                                    \
    } while (0)

#define CHECK_INT(a, b)                                                                      \
    do {                                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                      \
        if (check_a_ == check_b_) {                                                          \
            check_passed++;                                                                  \
        } else {                                                                             \
            check_failed++;                                                                  \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, \
                    #b, check_a_, check_b_);                                                 \
        }                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                      \
    do {                                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                                         \
        if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {                       \
            check_passed++;                                                                  \
        } else {                                                                             \
            check_failed++;                                                                  \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                    #a, #b, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");  \
        }                                                                                    \
    } while (0)

/* Fails the check when haystack does not contain needle. */
#define CHECK_CONTAINS(haystack, needle)                                                     \
    do {                                                                                     \
        const char *check_h_ = (haystack), *check_n_ = (needle);                             \
        if (check_h_ && check_n_ && strstr(check_h_, check_n_)) {                            \
            check_passed++;                                                                  \
        } else {                                                                             \
            check_failed++;                                                                  \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,   \
                    check_h_ ? check_h_ : "(null)", check_n_ ? check_n_ : "(null)");          \
        }                                                                                    \
    } while (0)

/* Print the closing line and return the exit status. */
static inline int check_finish(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

/* Say why the test cannot run and return the skip code. */
#define CHECK_SKIP(reason) (printf("SKIPPED: %s\n", reason), 77)

#endif
