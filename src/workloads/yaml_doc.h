/* Private to workloads/: a YAML document read with libyaml, and the typed look-ups
 * load.c reads a workload file with. Every mistake becomes one line,
 * "FILE:LINE:COLUMN: what is wrong", with the 1-based position of the node at
 * fault (libyaml counts from 0).
 *
 * libyaml does not refuse a mapping that repeats a key; wb_yaml_fields() does,
 * and it refuses keys it was not told about, so that a misspelt key is an error
 * and never a silently ignored setting. Scalars are read as the schema expects
 * them (a string, a whole number, true or false), never by YAML 1.1's implicit
 * typing, so `no` is not false and `010` is not eight. */
#ifndef WB_WORKLOADS_YAML_DOC_H
#define WB_WORKLOADS_YAML_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "util/error.h"

typedef struct wb_yaml {
    const char *path;     /* for messages */
    yaml_document_t doc;
    int loaded;
} wb_yaml;

/* Parse data (len bytes) as exactly one YAML document; path names it in messages. */
int wb_yaml_parse(wb_yaml *y, const char *path, const char *data, size_t len, wb_error *e);
void wb_yaml_free(wb_yaml *y);

/* The document's root node (never NULL after a successful parse). */
yaml_node_t *wb_yaml_root(wb_yaml *y);

/* "FILE:LINE:COLUMN: message" at node `at` into e; returns -1. */
int wb_yaml_fail(wb_yaml *y, const yaml_node_t *at, wb_error *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One key that a mapping may hold: filled in by wb_yaml_fields. */
typedef struct wb_yaml_field {
    const char *key;
    int required;
    yaml_node_t *key_node; /* out: NULL when the key is absent */
    yaml_node_t *value;    /* out: NULL when the key is absent */
} wb_yaml_field;

/* Read mapping map (a `what`: "a column", "the generator") into fields[0..n): it must
 * be a mapping, hold each key at most once, no key outside fields, and every
 * required one. */
int wb_yaml_fields(wb_yaml *y, yaml_node_t *map, const char *what, wb_yaml_field *fields, int n, wb_error *e);

/* A scalar as a string (*out points into the document, *len bytes, no NUL inside).
 * A plain null (~, null, or nothing at all) is refused: write "" for an empty string. */
int wb_yaml_string(wb_yaml *y, yaml_node_t *n, const char *what, const char **out, size_t *len, wb_error *e);
/* A plain scalar that is a whole decimal number in [min, max]. */
int wb_yaml_int(wb_yaml *y, yaml_node_t *n, const char *what, int64_t min, int64_t max, int64_t *out,
                wb_error *e);
/* A plain scalar true or false. */
int wb_yaml_bool(wb_yaml *y, yaml_node_t *n, const char *what, int *out, wb_error *e);

/* A sequence of min..max items: their count, or -1. */
int wb_yaml_count(wb_yaml *y, yaml_node_t *seq, const char *what, int min, int max, wb_error *e);
/* Item i of a sequence wb_yaml_count accepted. */
yaml_node_t *wb_yaml_item(wb_yaml *y, yaml_node_t *seq, int i);

/* Whether n is a scalar (1), and then its text in *text. */
int wb_yaml_is_scalar(const yaml_node_t *n, const char **text);

#endif
