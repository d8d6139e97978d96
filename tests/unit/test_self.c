/* Unit test of src/util/self.c: the running binary's path (absolute, the file
 * that is running, whatever the current directory) and shell quoting, checked by
 * handing quoted words to /bin/sh and reading back what it received. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#include "util/self.h"

static void test_self_path(void)
{
    const char *path = wb_self_path();
    CHECK(path[0] == '/');
    char resolved[PATH_MAX];
    CHECK(realpath("/proc/self/exe", resolved) != NULL);
    CHECK_STR(path, resolved);
    /* The same file as the one running. */
    struct stat a, b;
    CHECK(stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0);
    CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    /* Computed once: a later chdir does not change it. */
    CHECK(chdir("/") == 0);
    CHECK(wb_self_path() == path);
    CHECK_STR(wb_self_path(), resolved);
}

/* What sh receives as $1 when given the quoted word, read back through a pipe. */
static void shell_roundtrip(const char *word)
{
    wb_buf cmd = WB_BUF_INIT;
    wb_buf_puts(&cmd, "printf '%s' ");
    wb_shell_word(word, &cmd);
    FILE *p = popen(wb_buf_str(&cmd), "r");
    CHECK(p != NULL);
    char got[512] = "";
    size_t n = p ? fread(got, 1, sizeof got - 1, p) : 0;
    got[n] = '\0';
    if (p)
        CHECK_INT(pclose(p), 0);
    CHECK_STR(got, word);
    wb_buf_free(&cmd);
}

static void test_shell_word(void)
{
    wb_buf out = WB_BUF_INIT;
    wb_shell_word("/usr/local/bin/writebench", &out);
    CHECK_STR(wb_buf_str(&out), "/usr/local/bin/writebench"); /* plain: as it is */
    wb_buf_reset(&out);
    wb_shell_word("sqlite:///tmp/writebench-AB12cd/writebench.db", &out);
    CHECK_STR(wb_buf_str(&out), "sqlite:///tmp/writebench-AB12cd/writebench.db");
    wb_buf_reset(&out);
    wb_shell_word("/home/me/my builds/writebench", &out);
    CHECK_STR(wb_buf_str(&out), "'/home/me/my builds/writebench'");
    wb_buf_reset(&out);
    wb_shell_word("", &out);
    CHECK_STR(wb_buf_str(&out), "''");
    wb_buf_free(&out);
    static const char *const words[] = {"plain", "two words", "it's", "$HOME", "`id`", "a;b", "*", "~", "\"q\"",
                                        "back\\slash", "new\nline", "'"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        shell_roundtrip(words[i]);
}

int main(void)
{
    test_shell_word();
    test_self_path();
    return check_finish();
}
