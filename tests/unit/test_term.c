/* Unit tests of util/term: the width tables are fitted to (the terminal, else
 * COLUMNS, else 100), which columns are left out (the least important first,
 * of equals the rightmost, never one that must stay), the note that names them,
 * and wrapping at word boundaries. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "util/term.h"

static void test_width(void)
{
    if (isatty(STDOUT_FILENO)) {
        printf("note: stdout is a terminal, whose width wins over COLUMNS: COLUMNS not checked\n");
        return;
    }
    setenv("COLUMNS", "60", 1);
    CHECK_INT(wb_term_width(), 60);
    setenv("COLUMNS", "200", 1);
    CHECK_INT(wb_term_width(), 200);
    /* not a width: the default */
    static const char *const bad[] = {"", "abc", "60x", "-5", "3", "999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("COLUMNS", bad[i], 1);
        CHECK_INT(wb_term_width(), WB_TERM_DEFAULT_WIDTH);
    }
    unsetenv("COLUMNS");
    CHECK_INT(wb_term_width(), 100);
}

static void test_fit(void)
{
    /* name(always) 10, a 10 (5), b 10 (3), c 10 (3), verdict(always) 8; one space between */
    const int widths[] = {10, 10, 10, 10, 8}, seps[] = {2, 1, 1, 1, 2};
    const int importance[] = {WB_IMPORTANCE_ALWAYS, 5, 3, 3, WB_IMPORTANCE_ALWAYS};
    int keep[5] = {1, 1, 1, 1, 1};
    /* 2+10 + 11*3 + 2+8 = 55: fits 55, nothing dropped */
    CHECK_INT(wb_fit_columns(widths, seps, importance, 5, 55, keep), 0);
    CHECK(keep[0] && keep[1] && keep[2] && keep[3] && keep[4]);
    /* 54: one goes, the rightmost of the least important (c) */
    CHECK_INT(wb_fit_columns(widths, seps, importance, 5, 54, keep), 1);
    CHECK(keep[1] && keep[2] && !keep[3]);
    /* 30: a, b and c all go; name and verdict stay */
    for (int i = 0; i < 5; i++)
        keep[i] = 1;
    CHECK_INT(wb_fit_columns(widths, seps, importance, 5, 30, keep), 3);
    CHECK(keep[0] && !keep[1] && !keep[2] && !keep[3] && keep[4]);
    /* 5: nothing left to drop, the line stays wider than asked */
    for (int i = 0; i < 5; i++)
        keep[i] = 1;
    CHECK_INT(wb_fit_columns(widths, seps, importance, 5, 5, keep), 3);
    CHECK(keep[0] && keep[4]);
    /* an absent column is neither shown nor dropped */
    int absent_kept[5] = {1, 0, 1, 1, 1};
    CHECK_INT(wb_fit_columns(widths, seps, importance, 5, 44, absent_kept), 0);

    const char *const names[] = {"name", "a", "b", "c", "verdict"};
    const int dropped[] = {0, 1, 0, 1, 0}, none[] = {0, 0, 0, 0, 0};
    wb_buf note = WB_BUF_INIT;
    wb_fit_note(&note, 2, 100, names, dropped, 5);
    CHECK_STR(wb_buf_str(&note), "  (left out to fit 100 columns: a, c; widen the terminal or set COLUMNS)\n");
    wb_buf_reset(&note);
    wb_fit_note(&note, 2, 100, names, none, 5);
    CHECK_INT(note.len, 0);
    wb_buf_free(&note);
}

static void test_wrap(void)
{
    wb_buf out = WB_BUF_INIT;
    wb_term_wrap(&out, "one two three four five", 0, 2, 10);
    CHECK_STR(wb_buf_str(&out), "one two\n  three\n  four\n  five\n");
    wb_buf_reset(&out);
    /* an option keeps its value; a word longer than the line stays whole */
    wb_term_wrap(&out, "use --batch 10,100 or averyveryverylongword", 4, 4, 16);
    CHECK_STR(wb_buf_str(&out), "use\n    --batch 10,100\n    or\n    averyveryverylongword\n");
    wb_buf_free(&out);
}

int main(void)
{
    test_width();
    test_fit();
    test_wrap();
    return check_finish();
}
