/* Private to workloads/ (and their unit tests): how a column's values are made.
 *
 * Every column has ONE definition here (a wb_column_gen, filled by load.c from
 * the column's generator in its workload file, and the hostile-kind table of
 * hostile.c), rendered twice: as C values by generate.c (what strategies write)
 * and as SQL expressions by sql_expr.c (what the verifier and server-generate
 * use). Both renderings read the same fields and the same
 * wb_hostile_effect_of(); tests/unit/test_workload.c holds them to each other
 * byte for byte, and check.c does so on the target database whenever a
 * workload is loaded for a run. */
#ifndef WB_WORKLOADS_GEN_INTERNAL_H
#define WB_WORKLOADS_GEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "workloads/workload.h"

/* A string with its length, so the hot path never calls strlen. */
typedef struct wb_str {
    const char *s;
    size_t len;
} wb_str;

#define WB_STR(literal) {literal, sizeof(literal) - 1}

typedef enum wb_gen_kind {
    WB_GEN_KEY,  /* a key: the row's own (the key column), or its parent's (a foreign key) */
    WB_GEN_TEXT, /* prefix || number || suffix[version - 1]; number = key, or key % modulo */
    WB_GEN_CENTS /* hundredths = (key * key_factor + (version - 1) * version_step) % modulus */
} wb_gen_kind;

/* WB_GEN_KEY: which parent row child row k references (the row itself for the key column). */
typedef enum wb_parent_row {
    WB_PARENT_SAME,   /* k */
    WB_PARENT_MODULO, /* (k - 1) % parent_n + 1: parent_n parents, cycled */
    WB_PARENT_GROUP   /* (k - 1) / parent_n + 1: parent_n consecutive children per parent */
} wb_parent_row;

struct wb_column_gen {
    wb_gen_kind kind;
    /* WB_GEN_KEY */
    wb_parent_row parent_row;
    int64_t parent_n;
    /* WB_GEN_TEXT */
    wb_str prefix;
    int64_t modulo;    /* 0: the number is the key itself */
    wb_str suffix[2];  /* by version: [0] version 1, [1] version 2 */
    /* WB_GEN_CENTS */
    int64_t key_factor;
    int64_t version_step;
    int64_t modulus;
    /* WB_GEN_TEXT and WB_GEN_CENTS: whether hostile rows get hostile values here,
     * and the shift of the hostile kind, so one hostile row carries different
     * kinds in different columns */
    int hostile;
    int64_t hostile_offset;
    /* Test-only (wb_workload_test_perturb): the C value is changed after it is made,
     * so that the SQL definition no longer agrees with it. 0 otherwise. */
    int test_perturb;
};

/* Hostile rows: key % WB_HOSTILE_EVERY == WB_HOSTILE_AT, and the kind cycles
 * with key / WB_HOSTILE_EVERY, so keys 1..80 already hold every kind. */
#define WB_HOSTILE_EVERY 10
#define WB_HOSTILE_AT 7
#define WB_HOSTILE_KINDS 8

typedef enum wb_hostile_effect {
    WB_EFFECT_PLAIN,   /* the column's ordinary value */
    WB_EFFECT_NULL,    /* SQL NULL */
    WB_EFFECT_EMPTY,   /* '' for text, 0.00 for a decimal */
    WB_EFFECT_DECORATE /* decoration || the ordinary value (text only) */
} wb_hostile_effect;

typedef struct wb_hostile_kind {
    const char *name;        /* "null", "quote", ... (docs and tests) */
    wb_hostile_effect effect;
    wb_str decoration;       /* WB_EFFECT_DECORATE: prepended to the ordinary value */
} wb_hostile_kind;

extern const wb_hostile_kind wb_hostile_kinds[WB_HOSTILE_KINDS];

/* What is added to key / WB_HOSTILE_EVERY to make the hostile kind of column c in
 * `version`: its offset, plus the version for a column that version 2 changes
 * (the update pass moves each hostile row to the next kind), so that a column
 * version 2 leaves alone has the same values in both versions. */
static inline int64_t wb_hostile_shift(const wb_column *c, int version)
{
    return c->gen->hostile_offset + (c->updated ? version - 1 : 0);
}

/* The hostile kind (0..WB_HOSTILE_KINDS-1) of column c in row key of `version`,
 * or -1 when the row is plain or the column takes no hostile values (keys). */
static inline int wb_hostile_kind_of(const wb_column *c, int64_t key, int version)
{
    if (!c->gen->hostile || key % WB_HOSTILE_EVERY != WB_HOSTILE_AT)
        return -1;
    return (int)((key / WB_HOSTILE_EVERY + wb_hostile_shift(c, version)) % WB_HOSTILE_KINDS);
}

/* What hostile kind `kind` does to column c: a kind the column cannot hold (NULL
 * in a NOT NULL column, '' in a unique one, a decoration on a decimal) leaves
 * the ordinary value. */
static inline wb_hostile_effect wb_hostile_effect_of(const wb_column *c, int kind)
{
    wb_hostile_effect effect = wb_hostile_kinds[kind].effect;
    if (effect == WB_EFFECT_NULL && !c->nullable)
        return WB_EFFECT_PLAIN;
    if (effect == WB_EFFECT_EMPTY && c->unique)
        return WB_EFFECT_PLAIN;
    if (effect == WB_EFFECT_DECORATE && c->type != WB_TYPE_TEXT)
        return WB_EFFECT_PLAIN;
    return effect;
}

/* The key of the parent row that child row `key` references (WB_GEN_KEY). */
static inline int64_t wb_parent_key(const struct wb_column_gen *g, int64_t key)
{
    switch (g->parent_row) {
    case WB_PARENT_SAME: break;
    case WB_PARENT_MODULO: return (key - 1) % g->parent_n + 1;
    case WB_PARENT_GROUP: return (key - 1) / g->parent_n + 1;
    }
    return key;
}

/* Append text (len bytes) as an SQL text expression that means exactly those bytes
 * whatever the escaping settings: literals, and char(n)/chr(n) for control
 * characters and backslashes ('' when empty). */
void wb_sql_text_value(wb_buf *out, const char *text, size_t len, const wb_dialect *d);

/* Write v in decimal to out (room for 21 bytes, not NUL-terminated); returns the length. */
size_t wb_format_int64(int64_t v, char *out);
/* Write hundredths as an exact decimal "123.45", "0.05", "-1.20" (room for 24 bytes,
 * not NUL-terminated); returns the length. */
size_t wb_format_cents(int64_t cents, char *out);

#endif
