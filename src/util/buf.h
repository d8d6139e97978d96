/* Growable byte buffer used to build SQL, CSV, JSON and messages.
 * Allocation failure aborts: writebench cannot do anything useful without memory. */
#ifndef WB_UTIL_BUF_H
#define WB_UTIL_BUF_H

#include <stddef.h>

typedef struct wb_buf {
    char *data;   /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} wb_buf;

#define WB_BUF_INIT {NULL, 0, 0}

/* Empty the buffer but keep its memory for reuse. */
void wb_buf_reset(wb_buf *b);
/* Release the buffer's memory; it may be reused afterwards. */
void wb_buf_free(wb_buf *b);
/* Append n bytes. */
void wb_buf_append(wb_buf *b, const void *bytes, size_t n);
/* Append a NUL-terminated string. */
void wb_buf_puts(wb_buf *b, const char *s);
/* Append one byte. */
void wb_buf_putc(wb_buf *b, char c);
/* Append printf-formatted text. */
void wb_buf_printf(wb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make sure at least n more bytes fit without reallocation. */
void wb_buf_reserve(wb_buf *b, size_t n);
/* The contents as a C string ("" when empty). */
const char *wb_buf_str(const wb_buf *b);

/* malloc/calloc/realloc/strdup that abort with a message instead of returning NULL. */
void *wb_xmalloc(size_t n);
void *wb_xcalloc(size_t count, size_t size);
void *wb_xrealloc(void *p, size_t n);
char *wb_xstrdup(const char *s);

#endif
