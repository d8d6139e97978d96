/* How far apart two short names are, to suggest the one a user probably meant. */
#ifndef WB_UTIL_EDIT_DISTANCE_H
#define WB_UTIL_EDIT_DISTANCE_H

#include <stddef.h>

/* Levenshtein distance between two names of at most 63 bytes (64 for longer ones). */
size_t wb_edit_distance(const char *a, const char *b);

#endif
