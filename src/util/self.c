/* The running binary's path and shell quoting (see self.h). */
#include "util/self.h"

#include <string.h>
#include <unistd.h>

const char *wb_self_path(void)
{
    static char path[4096];
    if (path[0])
        return path;
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || (size_t)n >= sizeof path - 1) {
        /* Unreadable, or a path too long to be sure it is whole: the name on $PATH. */
        strcpy(path, "writebench");
        return path;
    }
    path[n] = '\0';
    /* A binary replaced while it runs (a rebuild) reads as "<path> (deleted)": the
     * path names the new binary, which is what a person pasting the hint wants. */
    static const char deleted[] = " (deleted)";
    size_t len = (size_t)n, dlen = sizeof deleted - 1;
    if (len > dlen && strcmp(path + len - dlen, deleted) == 0)
        path[len - dlen] = '\0';
    return path;
}

void wb_shell_word(const char *word, wb_buf *out)
{
    /* Letters, digits and these never need quotes in sh, bash or zsh. */
    static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-+:,=@%";
    if (*word && strspn(word, plain) == strlen(word)) {
        wb_buf_puts(out, word);
        return;
    }
    wb_buf_putc(out, '\'');
    for (const char *p = word; *p; p++) {
        if (*p == '\'')
            wb_buf_puts(out, "'\\''");
        else
            wb_buf_putc(out, *p);
    }
    wb_buf_putc(out, '\'');
}
