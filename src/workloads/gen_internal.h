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
    WB_GEN_KEY,      /* a key: the row's own (the key column), or its parent's (a foreign key) */
    WB_GEN_TEXT,     /* pattern, email: prefix || number || suffix[version - 1]; number = key, or key % modulo */
    WB_GEN_CENTS,    /* hundredths = (key * key_factor + (version - 1) * version_step) % modulus */
    WB_GEN_SEQUENCE, /* units = start + (key - 1) [% modulo] * step (+ version_step in version 2) */
    WB_GEN_UNIFORM,  /* units = min + (hash + (version 2: shift)) % range */
    WB_GEN_ZIPF,     /* a rank 1..max, Zipf-like: a bucket by the hash, then uniform in it; version 2: the next */
    WB_GEN_CHOICE,   /* one of values[], weighted, by the hash; version 2: the next one */
    WB_GEN_BOOLEAN,  /* hash % 10^6 < true_ppm; version 2: the other */
    WB_GEN_CHARS,    /* text: source[offset .. offset + length), length and offset by hashes */
    WB_GEN_BYTES,    /* bytes: the same over a source of bytes */
    WB_GEN_TIME,     /* units = from + index * step, index by the key or the hash, within n steps */
    WB_GEN_UUID,     /* hashes, the version bits and the key in its last 48 bits */
    WB_GEN_JSON      /* an object: its fields, each a column of its own */
} wb_gen_kind;

/* WB_GEN_KEY: which parent row child row k references (the row itself for the key column). */
typedef enum wb_parent_row {
    WB_PARENT_SAME,   /* k */
    WB_PARENT_MODULO, /* (k - 1) % parent_n + 1: parent_n parents, cycled */
    WB_PARENT_GROUP   /* (k - 1) / parent_n + 1: parent_n consecutive children per parent */
} wb_parent_row;

/* WB_GEN_ZIPF: hash values below `below` (and at or above the previous bucket's)
 * pick a rank in first..first + size - 1, uniformly. */
typedef struct wb_zipf_bucket {
    int64_t below;
    int64_t first, size;
} wb_zipf_bucket;

/* WB_GEN_CHOICE: one value, as text (the column's canonical text) and as units. */
typedef struct wb_choice_value {
    wb_str text;
    int64_t units;
} wb_choice_value;

/* WB_GEN_JSON: one field of the object. */
typedef struct wb_json_field {
    wb_str key_json;             /* the key as JSON text, quoted and escaped: "\"device\"" */
    const struct wb_column *col; /* the field's own column: type, nulls, updated and generator */
} wb_json_field;

struct wb_column_gen {
    wb_gen_kind kind;
    /* WB_GEN_KEY */
    wb_parent_row parent_row;
    int64_t parent_n;
    int parent_keys_from_zero; /* the referenced table's (the own table's for the key column) */
    /* WB_GEN_TEXT */
    wb_str prefix;
    int64_t modulo;    /* WB_GEN_TEXT, WB_GEN_SEQUENCE: 0, or the number is (key - 1) % modulo ... */
    wb_str suffix[2];  /* by version: [0] version 1, [1] version 2 */
    /* WB_GEN_CENTS */
    int64_t key_factor;
    int64_t version_step; /* also WB_GEN_SEQUENCE */
    int64_t modulus;
    /* the numbers: units of 10^-scale (DECIMAL) or 2^-scale (FLOAT) */
    int scale;
    /* WB_GEN_SEQUENCE */
    int64_t start, step;
    /* WB_GEN_UNIFORM (min, range), WB_GEN_TIME (min: from, range: steps) */
    int64_t min, range;
    int64_t shift;        /* version 2 adds it to the index, modulo range (or the choice's count) */
    int wide;             /* the hash is two hashes, hash1 * WB_HASH_PRIME + hash2: range > WB_HASH_PRIME */
    /* WB_GEN_ZIPF */
    const wb_zipf_bucket *buckets;
    int nbuckets;
    int64_t max;          /* the largest rank */
    /* WB_GEN_CHOICE */
    const wb_choice_value *values;
    int nvalues;
    const int64_t *below; /* cumulative weights: value i for hash % total in [below[i-1], below[i]) */
    int64_t total_weight;
    /* WB_GEN_BOOLEAN */
    int64_t true_ppm;
    /* WB_GEN_CHARS, WB_GEN_BYTES: the value is source[offset .. offset + length), with
     * offset in 0..block - 1 and length in min_length..max_length */
    wb_str source;
    int64_t block;
    int64_t min_length, max_length;
    int json_escapes;     /* WB_GEN_CHARS: the source holds '"' or '\\', escaped inside json */
    /* WB_GEN_TIME */
    int64_t step_units;   /* seconds (days for a date) between two values */
    int by_hash;          /* the index is the hash, not the key */
    /* WB_GEN_JSON */
    const wb_json_field *fields;
    int nfields;
    int json_strings;     /* some field, at any depth, is a string: hostile decorations go there */
    /* every generator: salt of its hashes (from the table's and the column's names) */
    int64_t salt;
    /* every generator but keys: a share of NULLs, in millionths (0: none) */
    int64_t null_ppm;
    /* whether hostile rows get hostile values here, and the shift of the hostile kind,
     * so one hostile row carries different kinds in different columns */
    int hostile;
    int64_t hostile_offset;
    /* Test-only (wb_workload_test_perturb): the C value is changed after it is made,
     * so that the SQL definition no longer agrees with it. 0 otherwise. */
    int test_perturb;
};

/* Whether a generator kind renders its SQL the way the first three kinds always
 * have, which the shipped workloads' values and SQL are held to byte for byte
 * (tests/unit/test_workload_golden.c); every kind since uses the compact form,
 * in which the ordinary value is written only twice however many hostile kinds
 * there are. */
static inline int wb_gen_legacy(const struct wb_column_gen *g)
{
    return g->kind == WB_GEN_KEY || g->kind == WB_GEN_TEXT || g->kind == WB_GEN_CENTS;
}

/* ---- the hash ---------------------------------------------------------------
 * One hash, computable identically in C and in the SQL of every backend: 64-bit
 * integer arithmetic whose every intermediate value stays below 2^63 (SQLite
 * turns an overflowing integer into a float), over the prime 2^31 - 1.
 *   x = ((k % P) * 48271 + salt) % P;   hash = (x * x + salt) % P
 * The square makes it no affine function of the key, so consecutive keys do not
 * give values in arithmetic progression. */
#define WB_HASH_PRIME 2147483647LL
#define WB_HASH_MULTIPLIER 48271LL

static inline int64_t wb_hash(int64_t key, int64_t salt)
{
    int64_t x = (key % WB_HASH_PRIME * WB_HASH_MULTIPLIER + salt) % WB_HASH_PRIME;
    return (x * x + salt) % WB_HASH_PRIME;
}

/* The salt of use `use` (0, 1, ...) of a generator: several hashes of one key. */
static inline int64_t wb_salt(const struct wb_column_gen *g, int use)
{
    return (g->salt + (int64_t)use * 1000003LL) % WB_HASH_PRIME;
}

/* The uses of a generator's salt. */
enum { WB_SALT_VALUE, WB_SALT_VALUE2, WB_SALT_NULLS, WB_SALT_LENGTH, WB_SALT_UUID_B, WB_SALT_UUID_C,
       WB_SALT_UUID_D };

/* The hash a generator picks its value by: 0..WB_HASH_PRIME - 1, or, wide,
 * 0..WB_HASH_PRIME^2 - 1 (below 2^62). */
static inline int64_t wb_gen_hash(const struct wb_column_gen *g, int64_t key)
{
    int64_t h = wb_hash(key, wb_salt(g, WB_SALT_VALUE));
    return g->wide ? h * WB_HASH_PRIME + wb_hash(key, wb_salt(g, WB_SALT_VALUE2)) : h;
}

/* Whether version 2 of column c moves its values (the column says updated). */
#define WB_MOVES(c, version) ((c)->updated && (version) == 2)

/* Whether row key of column c is one of its share of NULLs: the hash's window of
 * null_ppm millionths, moved in version 2 of an updated column to a window of its
 * own (so no row is NULL in both versions; null_ppm <= 500000 then). The share is
 * of the ordinary rows: a hostile row (wb_hostile_kind_of >= 0) has its hostile
 * value instead. */
static inline int wb_null_hit(const struct wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    if (!g->null_ppm)
        return 0;
    int64_t h = wb_hash(key, wb_salt(g, WB_SALT_NULLS));
    return (h + (WB_MOVES(c, version) ? g->null_ppm : 0)) % 1000000 < g->null_ppm;
}

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

/* Whether a value of each type has an empty one for hostile kind "empty": '' for
 * text, 0 for numbers, {} for json, no bytes for bytea; a boolean, a time or a uuid
 * has none. */
static const int wb_type_has_empty[WB_TYPE_COUNT] = {
    [WB_TYPE_INT64] = 1, [WB_TYPE_TEXT] = 1, [WB_TYPE_DECIMAL] = 1, [WB_TYPE_FLOAT] = 1,
    [WB_TYPE_JSON] = 1,  [WB_TYPE_BYTES] = 1,
};

/* What hostile kind `kind` does to column c: a kind the column cannot hold (NULL
 * in a NOT NULL column, '' in a unique one, a decoration on a decimal) leaves
 * the ordinary value. Decorations go into text, and into the strings of a json
 * document. */
static inline wb_hostile_effect wb_hostile_effect_of(const wb_column *c, int kind)
{
    wb_hostile_effect effect = wb_hostile_kinds[kind].effect;
    if (effect == WB_EFFECT_NULL && !c->nullable)
        return WB_EFFECT_PLAIN;
    if (effect == WB_EFFECT_EMPTY && (c->unique || !wb_type_has_empty[c->type]))
        return WB_EFFECT_PLAIN;
    if (effect == WB_EFFECT_DECORATE && c->type != WB_TYPE_TEXT &&
        !(c->type == WB_TYPE_JSON && c->gen->json_strings))
        return WB_EFFECT_PLAIN;
    return effect;
}

/* The key of the parent row that child row number `key` references (WB_GEN_KEY): its
 * row number, less one when the parent's keys start at 0 (wb_table_key). */
static inline int64_t wb_parent_key(const struct wb_column_gen *g, int64_t key)
{
    int64_t row = key;
    switch (g->parent_row) {
    case WB_PARENT_SAME: break;
    case WB_PARENT_MODULO: row = (key - 1) % g->parent_n + 1; break;
    case WB_PARENT_GROUP: row = (key - 1) / g->parent_n + 1; break;
    }
    return row - g->parent_keys_from_zero;
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
/* Write units of 10^-scale as an exact decimal with exactly `scale` digits after the
 * point (none, and no point, for scale 0): "123.450", "-0.05" (room for 22 + scale
 * bytes, not NUL-terminated); returns the length. */
size_t wb_format_scaled(int64_t units, int scale, char *out);
/* 5^n, n in 0..26 (2^-n = 5^n / 10^n). */
int64_t wb_pow5(int n);

/* ---- time (gen_time.c) ---- */

/* Days since 1970-01-01 of a civil date (any year of the proleptic Gregorian
 * calendar), and back. */
int64_t wb_days_from_civil(int64_t year, int month, int day);
void wb_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* Write a time's canonical text (room for 32 bytes, not NUL-terminated): a date
 * "2024-05-01" from days; a timestamp "2024-05-01 12:00:00", with "+00" for
 * timestamptz, from seconds. Returns the length. */
size_t wb_format_time(wb_sql_type type, int64_t units, char *out);
/* Parse "YYYY-MM-DD", optionally followed by "T" or " " and "HH:MM:SS", then
 * optionally "Z" or an offset "+HH:MM" / "-HH:MM", into seconds since 1970-01-01
 * 00:00:00 UTC; -1 when malformed (years 1000..9999). */
int wb_parse_time(const char *text, int64_t *seconds);

/* ---- json text ---- */

/* Append s to p as the inside of a JSON string (no quotes): '"' and '\\' escaped, the
 * control characters as \b \f \n \r \t or \u00XX; other bytes, UTF-8 included, as
 * they are. Returns the end. Room: wb_json_escaped_len(s). */
char *wb_json_escape(char *p, const char *s, size_t len);
size_t wb_json_escaped_len(const char *s, size_t len);

#endif
