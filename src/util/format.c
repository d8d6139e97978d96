/* Numbers for people (see format.h). */
#include "util/format.h"

#include <stdio.h>

void wb_format_count(char *out, size_t n, int64_t value)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(value < 0 ? -value : value));
    size_t o = 0;
    if (value < 0 && o + 1 < n)
        out[o++] = '-';
    for (int i = 0; i < len && o + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 1 < n)
            out[o++] = ',';
        if (o + 1 < n)
            out[o++] = digits[i];
    }
    if (n)
        out[o < n ? o : n - 1] = '\0';
}

void wb_format_kib(char *out, size_t n, int64_t kib)
{
    if (kib < 0)
        snprintf(out, n, "-");
    else if (kib >= 1024 * 1024)
        snprintf(out, n, "%.2f GiB", (double)kib / (1024.0 * 1024.0));
    else if (kib >= 1024)
        snprintf(out, n, "%.1f MiB", (double)kib / 1024.0);
    else
        snprintf(out, n, "%lld KiB", (long long)kib);
}
