/* Growable byte buffer and aborting allocators (see buf.h). */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "writebench: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *wb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *wb_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *wb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *wb_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = wb_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void wb_buf_reserve(wb_buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->data = wb_xrealloc(b->data, cap);
    b->cap = cap;
}

void wb_buf_reset(wb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void wb_buf_free(wb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void wb_buf_append(wb_buf *b, const void *bytes, size_t n)
{
    wb_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void wb_buf_puts(wb_buf *b, const char *s)
{
    wb_buf_append(b, s, strlen(s));
}

void wb_buf_putc(wb_buf *b, char c)
{
    wb_buf_append(b, &c, 1);
}

void wb_buf_printf(wb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        wb_buf_append(b, small, (size_t)n);
        return;
    }
    wb_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *wb_buf_str(const wb_buf *b)
{
    return b->data ? b->data : "";
}
