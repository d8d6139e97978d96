/* The program itself, as a command a person can paste: the path of the binary
 * that is running (not argv[0], which may be a bare name found on $PATH or a
 * relative path from another directory), and words quoted for a POSIX shell. */
#ifndef WB_UTIL_SELF_H
#define WB_UTIL_SELF_H

#include "util/buf.h"

/* The absolute path of the running binary (/proc/self/exe, symlinks resolved), or
 * "writebench" when it cannot be read (no /proc). Valid until the process ends. */
const char *wb_self_path(void);

/* Append word as one shell word: as it is when it holds only characters no shell
 * treats specially, otherwise in single quotes (a ' inside written as '\''). */
void wb_shell_word(const char *word, wb_buf *out);

#endif
