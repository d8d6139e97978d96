/* Numbers for people: thousands separators, sizes, rates (terminal output only;
 * files keep plain numbers). */
#ifndef WB_UTIL_FORMAT_H
#define WB_UTIL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* "1,234,567" into out. */
void wb_format_count(char *out, size_t n, int64_t value);
/* "12.3 MiB" / "512 KiB" from KiB; "-" when unknown (< 0). */
void wb_format_kib(char *out, size_t n, int64_t kib);

#endif
