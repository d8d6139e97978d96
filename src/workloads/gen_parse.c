/* Reading a column's generator (docs/WORKLOADS.md, "Generators") into its one
 * definition, the wb_column_gen that generate.c and sql_expr.c both render: the
 * table of generator kinds (gen_defs[]), each kind's parameters, and what the
 * loader checks of them without a database. Every value a generator can make
 * for any key up to WB_KEY_MAX must fit its column's type (a smallint, a
 * numeric(p,s), a varchar(n)), and every number must be exact on every backend:
 * integers stay below 2^63 in the SQL too, decimals and binary fractions keep
 * to the 15 significant digits a double holds (SQLite's numbers are doubles). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/load_internal.h"

#define LENGTH_MAX 100000       /* characters of a text, bytes of a bytea: values far beyond 1 KiB */
#define JSON_FIELDS_MAX 64      /* fields of one json object */
#define JSON_DEPTH_MAX 4        /* objects inside objects */
#define CHOICE_VALUES_MAX 1000
#define WEIGHT_MAX 1000000
#define EXACT_DIGITS 15         /* decimal digits a double holds exactly, and SQLite's text conversion keeps */
#define SCALE_MAX 15            /* digits after the point, so that 10^scale stays an exact integer everywhere */
#define FRACTION_BITS_MAX 20
#define ZIPF_SINGLE_RANKS 8     /* ranks 1..8 are buckets of their own, then one bucket per doubling */
#define NUMBER_BYTES 24         /* the most bytes of an integer's text */

int wb_load_str(loader *l, yaml_node_t *node, const char *what, wb_str *out)
{
    const char *s;
    size_t len;
    if (wb_yaml_string(&l->y, node, what, &s, &len, l->e) != 0)
        return -1;
    out->s = wb_load_copy(l->lw, s, len);
    out->len = len;
    return 0;
}

int64_t wb_load_chars_of(wb_str s)
{
    int64_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.s[i] & 0xc0) != 0x80;
    return n;
}

/* Decimal digits of v >= 0. */
static int64_t digits_of(int64_t v)
{
    int64_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static int64_t pow10_of(int n)
{
    int64_t v = 1;
    while (n-- > 0)
        v *= 10;
    return v;
}

/* The bytes s takes escaped inside a JSON string. */
static int64_t json_len(wb_str s)
{
    return (int64_t)wb_json_escaped_len(s.s, s.len);
}

/* ---- numbers as the file writes them ---- */

/* A plain scalar decimal number ("12", "-0.5") as units of 10^-scale: at most
 * `scale` digits after the point, at most 18 digits in all. */
static int read_decimal(loader *l, yaml_node_t *node, const char *what, int scale, int64_t *units)
{
    const char *s;
    if (!wb_yaml_is_scalar(node, &s) || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return FAIL(l, node, "%s must be a number", what);
    const char *p = s;
    int negative = *p == '-';
    if (negative)
        p++;
    int64_t v = 0;
    int ndigits = 0, after = -1;
    for (; *p; p++) {
        if (*p == '.' && after < 0) {
            after = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || ndigits == 18)
            return FAIL(l, node, "%s must be a number of at most 18 digits (got '%.40s')", what, s);
        v = v * 10 + (*p - '0');
        ndigits++;
        if (after >= 0)
            after++;
    }
    if (ndigits == 0 || after == 0)
        return FAIL(l, node, "%s must be a number (got '%.40s')", what, s);
    if (after > scale)
        return FAIL(l, node, "%s: '%.40s' has more than %d digit%s after the point", what, s, scale,
                    scale == 1 ? "" : "s");
    int shift = scale - (after < 0 ? 0 : after);
    if (digits_of(v) + shift > 18)
        return FAIL(l, node, "%s: '%.40s' is too large", what, s);
    *units = (negative ? -v : v) * pow10_of(shift);
    return 0;
}

/* A share between 0 and 1 ("0.1"), in millionths. */
static int read_share(loader *l, yaml_node_t *node, const char *what, int64_t *ppm)
{
    if (read_decimal(l, node, what, 6, ppm) != 0)
        return -1;
    if (*ppm < 0 || *ppm > 1000000)
        return FAIL(l, node, "%s is a share between 0 and 1", what);
    return 0;
}

/* ---- the types' ranges ---- */

/* The largest magnitude of units that column cb's type holds exactly: an integer
 * type's range; numeric(p,s) at the generator's scale, below 10^(p - s + scale)
 * and 10^15; a float's units of 2^-scale within its significand (24 or 53 bits)
 * and, as a decimal, 15 digits. */
static int64_t max_units(const column_build *cb, int scale)
{
    switch (cb->col.sql_type) {
    case WB_SQL_SMALLINT: return 32767;
    case WB_SQL_INTEGER: return 2147483647;
    case WB_SQL_NUMERIC: {
        int64_t digits = cb->col.type_length - cb->col.type_scale + scale;
        return pow10_of((int)(digits < EXACT_DIGITS ? digits : EXACT_DIGITS)) - 1;
    }
    case WB_SQL_REAL:
    case WB_SQL_DOUBLE: {
        int64_t significand = cb->col.sql_type == WB_SQL_REAL ? (int64_t)1 << 24 : (int64_t)1 << 53;
        int64_t by_digits = (pow10_of(EXACT_DIGITS) - 1) / wb_pow5(scale);
        return significand < by_digits ? significand : by_digits;
    }
    default: return INT64_MAX;
    }
}

/* What max_units bounds, for a message. */
static const char *range_words(const column_build *cb)
{
    switch (cb->col.sql_type) {
    case WB_SQL_NUMERIC: return "its precision (and at most 15 significant digits, exact on every backend)";
    case WB_SQL_REAL: return "a real's 24-bit significand (and 15 significant digits)";
    case WB_SQL_DOUBLE: return "15 significant digits (exact in a double on every backend)";
    default: return "its range";
    }
}

/* Fail unless every value in lo..hi (units) fits cb's type, naming the first that does not. */
static int check_range(loader *l, column_build *cb, yaml_node_t *node, __int128 lo, __int128 hi)
{
    int64_t most = max_units(cb, cb->gen->scale);
    int low = lo < -(__int128)most, high = hi > (__int128)most;
    if (!low && !high)
        return 0;
    __int128 bad = low ? lo : hi;
    char text[64];
    if (bad > INT64_MAX || bad < INT64_MIN)
        snprintf(text, sizeof text, "%s2^63", bad < 0 ? "-" : "");
    else if (cb->col.type == WB_TYPE_DECIMAL)
        text[wb_format_scaled((int64_t)bad, cb->gen->scale, text)] = '\0';
    else if (cb->col.type == WB_TYPE_FLOAT)
        snprintf(text, sizeof text, "%.17g", (double)bad / (double)((int64_t)1 << cb->gen->scale));
    else
        text[wb_format_int64((int64_t)bad, text)] = '\0';
    return FAIL(l, node, "column %s is %s, but its generator reaches %s (keys up to %lld), outside %s",
                cb->col.name, cb->col.type_name, text, (long long)WB_KEY_MAX, range_words(cb));
}

/* The text of a number as a value of cb's type (its canonical text), for a choice. */
static wb_str units_text(loader *l, const column_build *cb, int64_t units)
{
    char text[64];
    size_t n;
    if (cb->col.type == WB_TYPE_DECIMAL)
        n = wb_format_scaled(units, cb->gen->scale, text);
    else if (cb->col.type == WB_TYPE_BOOL)
        n = (size_t)snprintf(text, sizeof text, "%s", units ? "true" : "false");
    else
        n = wb_format_int64(units, text);
    return (wb_str){wb_load_copy(l->lw, text, n), n};
}

/* The scale of a numeric column's values: the generator's `scale`, at most the
 * column's; by default the column's own, which must then be at most 15. */
static int read_scale(loader *l, column_build *cb, yaml_node_t *node, yaml_node_t *scale_node)
{
    if (cb->col.type == WB_TYPE_FLOAT) {
        int64_t bits = 0;
        if (scale_node && wb_yaml_int(&l->y, scale_node, "fraction_bits", 0, FRACTION_BITS_MAX, &bits, l->e) != 0)
            return -1;
        cb->gen->scale = (int)bits;
        return 0;
    }
    if (scale_node && cb->col.type != WB_TYPE_DECIMAL)
        return FAIL(l, scale_node, "column %s is %s: only a numeric column's values have a scale", cb->col.name,
                    cb->col.type_name);
    if (cb->col.type != WB_TYPE_DECIMAL)
        return 0;
    int64_t scale = cb->col.type_scale;
    if (scale_node) {
        if (wb_yaml_int(&l->y, scale_node, "scale", 0, cb->col.type_scale, &scale, l->e) != 0)
            return -1;
    } else if (scale > SCALE_MAX) {
        return FAIL(l, node, "column %s is %s: give its generator a scale of at most %d (digits after the point of "
                             "its values)",
                    cb->col.name, cb->col.type_name, SCALE_MAX);
    }
    if (scale > SCALE_MAX)
        return FAIL(l, scale_node, "a scale of at most %d", SCALE_MAX);
    cb->gen->scale = (int)scale;
    return 0;
}

/* A number parameter of cb's generator in the units of its column: an integer, a
 * decimal at the generator's scale, or a float's multiple of 2^-fraction_bits. */
static int read_units(loader *l, column_build *cb, yaml_node_t *node, const char *what, int64_t *units)
{
    const struct wb_column_gen *g = cb->gen;
    if (cb->col.type == WB_TYPE_DECIMAL)
        return read_decimal(l, node, what, g->scale, units);
    if (cb->col.type != WB_TYPE_FLOAT)
        return read_decimal(l, node, what, 0, units);
    /* v * 2^m is an integer when v * 10^m, at m places, is a multiple of 5^m */
    int64_t decimal;
    if (read_decimal(l, node, what, g->scale, &decimal) != 0)
        return -1;
    if (decimal % wb_pow5(g->scale) != 0)
        return FAIL(l, node, "%s is not a multiple of 2^-%d (fraction_bits: %d)", what, g->scale, g->scale);
    *units = decimal / wb_pow5(g->scale);
    return 0;
}

/* The longest text of cb's numbers, and as json. */
static void number_lengths(column_build *cb)
{
    int64_t n = NUMBER_BYTES + cb->gen->scale;
    if (cb->col.type == WB_TYPE_BOOL)
        n = 5;
    else if (cb->col.type == WB_TYPE_TIME)
        n = 26;
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = n;
}

/* A generator whose parameters say whether version 2 changes it (a version_step):
 * fail when that disagrees with the column's updated; at is where the file says it. */
static int check_updated(loader *l, column_build *cb, yaml_node_t *at, int changes, const char *how)
{
    if (changes == cb->col.updated)
        return 0;
    if (changes)
        return FAIL(l, at, "column %s: %s changes it in version 2, but the column says updated: false", cb->col.name,
                    how);
    return FAIL(l, at, "column %s says updated: true, but %s", cb->col.name, how);
}

/* A generator that moves every value in version 2 when its column says updated:
 * fail when it cannot (why says what would stay the same). */
static int require_movable(loader *l, column_build *cb, yaml_node_t *at, int movable, const char *why)
{
    if (cb->col.updated && !movable)
        return FAIL(l, at, "column %s says updated: true, but %s", cb->col.name, why);
    return 0;
}

/* ---- pattern, email ---- */

/* Whether the number a pattern writes after its prefix can run into the suffix:
 * the key's digits end where the first non-digit begins. */
static int starts_with_digit(wb_str s)
{
    return s.len > 0 && s.s[0] >= '0' && s.s[0] <= '9';
}

/* Why a pattern column's values could repeat over keys and versions, or NULL when
 * they cannot. The values are d || prefix || key || suffix, with d one of the
 * hostile decorations or nothing: if no suffix starts with a digit, the key is
 * exactly the digits after d || prefix, so two values are equal only if their
 * d || prefix are, unless one d || prefix is a beginning of the other and the
 * longer one continues with a digit there (where the shorter's key starts). */
static const char *pattern_repeats(const struct wb_column_gen *g)
{
    if (g->modulo)
        return "a pattern with a modulo repeats its values every modulo keys";
    if (starts_with_digit(g->suffix[0]) || starts_with_digit(g->suffix[1]))
        return "a suffix that starts with a digit can make two keys' values equal ('1' || '23' = '12' || '3')";
    if (!g->hostile)
        return NULL;
    wb_str starts[WB_HOSTILE_KINDS + 1];
    int n = 0;
    starts[n++] = (wb_str){"", 0};
    for (int k = 0; k < WB_HOSTILE_KINDS; k++)
        if (wb_hostile_kinds[k].effect == WB_EFFECT_DECORATE)
            starts[n++] = wb_hostile_kinds[k].decoration;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            /* d_a || prefix a proper beginning of d_b || prefix? */
            size_t la = starts[a].len + g->prefix.len, lb = starts[b].len + g->prefix.len;
            if (a == b || la >= lb)
                continue;
            char A[128], B[128];
            if (lb > sizeof B)
                return "its prefix is too long to prove its values distinct";
            memcpy(A, starts[a].s, starts[a].len);
            memcpy(A + starts[a].len, g->prefix.s, g->prefix.len);
            memcpy(B, starts[b].s, starts[b].len);
            memcpy(B + starts[b].len, g->prefix.s, g->prefix.len);
            if (memcmp(A, B, la) == 0 && B[la] >= '0' && B[la] <= '9')
                return "a hostile decoration followed by its prefix reads like its prefix and a key";
        }
    return NULL;
}

/* The lengths of a pattern's values: prefix, the number, the longer suffix. */
static void pattern_lengths(column_build *cb)
{
    const struct wb_column_gen *g = cb->gen;
    int64_t number = digits_of(g->modulo ? g->modulo - 1 : WB_KEY_MAX);
    int64_t s0 = wb_load_chars_of(g->suffix[0]), s1 = wb_load_chars_of(g->suffix[1]);
    int64_t b0 = (int64_t)g->suffix[0].len, b1 = (int64_t)g->suffix[1].len;
    int64_t j0 = json_len(g->suffix[0]), j1 = json_len(g->suffix[1]);
    cb->plain_chars = wb_load_chars_of(g->prefix) + number + (s0 > s1 ? s0 : s1);
    cb->plain_bytes = (int64_t)g->prefix.len + number + (b0 > b1 ? b0 : b1);
    cb->json_bytes = json_len(g->prefix) + number + (j0 > j1 ? j0 : j1);
}

/* Whether a pattern's suffixes differ between the versions. */
static int suffix_changes(const struct wb_column_gen *g)
{
    return g->suffix[0].len != g->suffix[1].len || memcmp(g->suffix[0].s, g->suffix[1].s, g->suffix[0].len) != 0;
}

/* The keys every generator mapping may hold besides its own: read by
 * wb_load_generator, accepted by each kind's parser. */
#define COMMON_KEYS                                                                                   \
    {"nulls", 0, NULL, NULL}, {"hostile", 0, NULL, NULL}, {"type", 0, NULL, NULL}, {"updated", 0, NULL, NULL}

/* pattern: prefix || number || suffix of the version; the number is the key, or key % modulo. */
static int parse_pattern(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"prefix", 0, NULL, NULL}, {"suffix", 0, NULL, NULL},
                         {"modulo", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a pattern generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_TEXT;
    g->prefix = (wb_str){"", 0};
    g->suffix[0] = g->suffix[1] = (wb_str){"", 0};
    if (f[1].value && wb_load_str(l, f[1].value, "prefix", &g->prefix) != 0)
        return -1;
    if (f[2].value) {
        if (f[2].value->type == YAML_SEQUENCE_NODE) {
            /* one suffix per version */
            int n = wb_yaml_count(&l->y, f[2].value, "suffix (one per version)", 2, 2, l->e);
            if (n < 0 ||
                wb_load_str(l, wb_yaml_item(&l->y, f[2].value, 0), "the suffix of version 1", &g->suffix[0]) ||
                wb_load_str(l, wb_yaml_item(&l->y, f[2].value, 1), "the suffix of version 2", &g->suffix[1]))
                return -1;
        } else {
            if (wb_load_str(l, f[2].value, "suffix", &g->suffix[0]) != 0)
                return -1;
            g->suffix[1] = g->suffix[0];
        }
    }
    if (f[3].value && wb_yaml_int(&l->y, f[3].value, "modulo", 1, WB_KEY_MAX, &g->modulo, l->e) != 0)
        return -1;
    int changes = suffix_changes(g);
    if (changes != cb->col.updated)
        return FAIL(l, f[2].value ? f[2].value : node,
                    changes ? "column %s: its suffix differs in version 2, but the column says updated: false "
                              "(say updated: true, or give one suffix)"
                            : "column %s says updated: true, but its values are the same in both versions "
                              "(give two suffixes: [version 1, version 2])",
                    cb->col.name);
    pattern_lengths(cb);
    return 0;
}

/* email: a pattern, prefix || key || '@' || domain; version 2 puts '.v2' before the '@'. */
static int parse_email(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"domain", 0, NULL, NULL}, {"prefix", 0, NULL, NULL},
                         COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "an email generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_TEXT;
    wb_str domain = WB_STR("example.com");
    g->prefix = (wb_str)WB_STR("user");
    if ((f[1].value && wb_load_str(l, f[1].value, "domain", &domain) != 0) ||
        (f[2].value && wb_load_str(l, f[2].value, "prefix", &g->prefix) != 0))
        return -1;
    if (domain.len == 0 || memchr(domain.s, '@', domain.len) || memchr(domain.s, ' ', domain.len))
        return FAIL(l, f[1].value, "domain '%.60s' is not an e-mail domain", domain.s);
    for (int v = 0; v < 2; v++) {
        wb_buf suffix = WB_BUF_INIT;
        wb_buf_printf(&suffix, "%s@%.*s", v == 1 && cb->col.updated ? ".v2" : "", (int)domain.len, domain.s);
        g->suffix[v] = (wb_str){wb_load_copy(l->lw, wb_buf_str(&suffix), suffix.len), suffix.len};
        wb_buf_free(&suffix);
    }
    pattern_lengths(cb);
    return 0;
}

/* ---- cents, foreign_key ---- */

/* cents: exact hundredths (key * key_factor + (version - 1) * version_step) % modulus. */
static int parse_cents(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL},    {"key_factor", 1, NULL, NULL}, {"version_step", 0, NULL, NULL},
                         {"modulus", 1, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a cents generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_CENTS;
    g->scale = 2;
    if (cb->col.type_scale != 2)
        return FAIL(l, node, "generator cents makes hundredths, but column %s is %s (write numeric(p,2))",
                    cb->col.name, cb->col.type_name);
    /* numeric(10,2) holds 99999999.99 at most: hundredths below 10^10 */
    if (wb_yaml_int(&l->y, f[3].value, "modulus", 1, 10000000000LL, &g->modulus, l->e) != 0)
        return -1;
    if (f[2].value && wb_yaml_int(&l->y, f[2].value, "version_step", 0, g->modulus - 1, &g->version_step, l->e) != 0)
        return -1;
    /* key * key_factor + version_step must stay within 64 bits for every key: SQLite
     * turns an integer overflow into a float */
    if (wb_yaml_int(&l->y, f[1].value, "key_factor", 0, (INT64_MAX - g->version_step) / WB_KEY_MAX, &g->key_factor,
                    l->e) != 0)
        return -1;
    if (check_range(l, cb, f[3].value, 0, g->modulus - 1) != 0)
        return -1;
    int changes = g->version_step != 0;
    if (changes != cb->col.updated)
        return FAIL(l, f[2].value ? f[2].value : node,
                    changes ? "column %s: version_step changes it in version 2, but the column says updated: false"
                            : "column %s says updated: true, but without a version_step its values are the same "
                              "in both versions",
                    cb->col.name);
    cb->repeats = "cents are taken modulo their modulus, so they repeat";
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = digits_of((g->modulus - 1) / 100) + 3;
    return 0;
}

/* foreign_key: the key of the parent row this row references, in an earlier table. */
static int parse_foreign_key(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"references", 1, NULL, NULL}, {"parent", 0, NULL, NULL},
                         COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a foreign_key generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_KEY;
    g->parent_row = WB_PARENT_SAME;
    if (cb->col.sql_type != WB_SQL_BIGINT)
        return FAIL(l, node, "column %s is %s: a foreign key is bigint, as every key is", cb->col.name,
                    cb->col.type_name);
    const char *parent;
    size_t len;
    if (wb_yaml_string(&l->y, f[1].value, "references", &parent, &len, l->e) != 0)
        return -1;
    int found = 0;
    for (int i = 0; i < l->ntables && !found; i++)
        if ((found = strcmp(l->tables[i].name, parent) == 0))
            g->parent_keys_from_zero = l->tables[i].keys_from_zero;
    if (!found) {
        if (strcmp(parent, tb->name) == 0)
            return FAIL(l, f[1].value, "table %s references itself: a foreign key must name an earlier table",
                        tb->name);
        for (int i = l->ntables + 1; i < (int)(l->table_list->data.sequence.items.top -
                                                l->table_list->data.sequence.items.start); i++) {
            yaml_node_t *later = wb_yaml_item(&l->y, l->table_list, i);
            for (yaml_node_pair_t *p = later->type == YAML_MAPPING_NODE ? later->data.mapping.pairs.start : NULL;
                 p && p < later->data.mapping.pairs.top; p++) {
                const char *key, *name;
                if (wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->key), &key) && strcmp(key, "name") == 0 &&
                    wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->value), &name) && strcmp(name, parent) == 0)
                    return FAIL(l, f[1].value,
                                "foreign key to table %s, which comes after table %s: tables are listed parents "
                                "first, so a foreign key must name an earlier table",
                                parent, tb->name);
            }
        }
        return FAIL(l, f[1].value,
                    "foreign key to '%.60s', which is not an earlier table of the workload (tables are listed "
                    "parents first)",
                    parent);
    }
    cb->references = wb_load_copy(l->lw, parent, len);
    if (f[2].value) {
        const char *same;
        if (wb_yaml_is_scalar(f[2].value, &same)) {
            if (strcmp(same, "same") != 0)
                return FAIL(l, f[2].value, "parent must be same, {modulo: N} or {children_per_parent: N}");
        } else {
            wb_yaml_field p[] = {{"modulo", 0, NULL, NULL}, {"children_per_parent", 0, NULL, NULL}};
            if (wb_yaml_fields(&l->y, f[2].value, "parent", p, 2, l->e) != 0)
                return -1;
            if (!p[0].value == !p[1].value)
                return FAIL(l, f[2].value, "parent takes one of modulo and children_per_parent");
            int modulo = p[0].value != NULL;
            g->parent_row = modulo ? WB_PARENT_MODULO : WB_PARENT_GROUP;
            if (wb_yaml_int(&l->y, modulo ? p[0].value : p[1].value, modulo ? "modulo" : "children_per_parent", 1,
                            WB_KEY_MAX, &g->parent_n, l->e) != 0)
                return -1;
        }
    }
    if (cb->col.updated)
        return FAIL(l, node, "column %s: a foreign key's values are the same in both versions (updated: false)",
                    cb->col.name);
    if (g->parent_row == WB_PARENT_MODULO)
        cb->repeats = "a foreign key with parent modulo N references each parent again every N rows";
    else if (g->parent_row == WB_PARENT_GROUP)
        cb->repeats = "a foreign key with children_per_parent references each parent from several rows";
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = digits_of(wb_parent_key(g, WB_KEY_MAX));
    return 0;
}

/* ---- numbers ---- */

/* sequence: start + (key - 1) * step (over (key - 1) % modulo with a modulo), plus
 * version_step in version 2. */
static int parse_sequence(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL},         {"start", 0, NULL, NULL}, {"step", 0, NULL, NULL},
                         {"version_step", 0, NULL, NULL}, {"modulo", 0, NULL, NULL}, {"scale", 0, NULL, NULL},
                         COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a sequence generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_SEQUENCE;
    if (read_scale(l, cb, node, f[5].value) != 0)
        return -1;
    g->start = g->step = pow10_of(g->scale); /* 1 and 1, in the column's units */
    if ((f[1].value && read_units(l, cb, f[1].value, "start", &g->start) != 0) ||
        (f[2].value && read_units(l, cb, f[2].value, "step", &g->step) != 0) ||
        (f[3].value && read_units(l, cb, f[3].value, "version_step", &g->version_step) != 0) ||
        (f[4].value && wb_yaml_int(&l->y, f[4].value, "modulo", 1, WB_KEY_MAX, &g->modulo, l->e) != 0))
        return -1;
    if (check_updated(l, cb, f[3].value ? f[3].value : node, g->version_step != 0,
                      g->version_step != 0 ? "its version_step" : "without a version_step its values are the same "
                                                                  "in both versions") != 0)
        return -1;
    /* the extremes over every key and version, in 128 bits: nothing in C or SQL overflows */
    __int128 last = (__int128)g->step * (g->modulo ? g->modulo - 1 : WB_KEY_MAX - 1);
    __int128 a = g->start, b = (__int128)g->start + last, extra = g->version_step;
    __int128 lo = a < b ? a : b, hi = a < b ? b : a;
    if (extra < 0)
        lo += extra;
    else
        hi += extra;
    if (check_range(l, cb, f[2].value ? f[2].value : node, lo, hi) != 0)
        return -1;
    if (g->step == 0 || g->modulo)
        cb->repeats = g->step == 0 ? "a sequence with step 0 repeats its start" : "a sequence with a modulo repeats";
    else if (g->version_step % g->step == 0 && g->version_step != 0)
        cb->repeats = "its version_step is a multiple of its step, so version 2 repeats other keys' version 1";
    number_lengths(cb);
    return 0;
}

/* uniform: min + (hash + version 2's shift) % (max - min + 1). */
static int parse_uniform(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL},  {"min", 1, NULL, NULL},           {"max", 1, NULL, NULL},
                         {"scale", 0, NULL, NULL}, {"fraction_bits", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a uniform generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_UNIFORM;
    if (f[4].value && cb->col.type != WB_TYPE_FLOAT)
        return FAIL(l, f[4].value, "fraction_bits are for real and double precision columns");
    if (cb->col.type == WB_TYPE_FLOAT && f[3].value)
        return FAIL(l, f[3].value, "a real or double precision column takes fraction_bits, not a scale");
    int64_t max;
    if (read_scale(l, cb, node, cb->col.type == WB_TYPE_FLOAT ? f[4].value : f[3].value) != 0 ||
        read_units(l, cb, f[1].value, "min", &g->min) != 0 || read_units(l, cb, f[2].value, "max", &max) != 0)
        return -1;
    if (max < g->min)
        return FAIL(l, f[2].value, "max is below min");
    if (check_range(l, cb, f[2].value, g->min, max) != 0)
        return -1;
    __int128 range = (__int128)max - g->min + 1;
    if (range > ((__int128)1 << 62))
        return FAIL(l, f[2].value, "max - min is above 2^62");
    g->range = (int64_t)range;
    g->wide = g->range > WB_HASH_PRIME;
    g->shift = (g->range + 1) / 2;
    if (require_movable(l, cb, node, g->range > 1, "min = max: its one value is the same in both versions") != 0)
        return -1;
    cb->repeats = "uniform values repeat";
    number_lengths(cb);
    return 0;
}

/* A bucket's weight: the sum of rank^-exponent over first..last, by the midpoint
 * rule's integral where the bucket is too wide to add up. */
static double zipf_weight(int64_t first, int64_t last, double exponent)
{
    if (last - first < 64) {
        double w = 0;
        for (int64_t r = first; r <= last; r++)
            w += pow((double)r, -exponent);
        return w;
    }
    double a = (double)first - 0.5, b = (double)last + 0.5;
    if (fabs(exponent - 1) < 1e-12)
        return log(b / a);
    return (pow(b, 1 - exponent) - pow(a, 1 - exponent)) / (1 - exponent);
}

/* zipf: ranks 1..max with probabilities like rank^-exponent: ranks 1..8 each their
 * own bucket, then one bucket per doubling (8..15, 16..31, ...), uniform inside. The
 * buckets' thresholds are integers computed here once, so C and SQL agree. */
static int parse_zipf(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"max", 1, NULL, NULL}, {"exponent", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a zipf generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_ZIPF;
    int64_t exponent_micro = 1000000;
    if (wb_yaml_int(&l->y, f[1].value, "max", 1, WB_KEY_MAX, &g->max, l->e) != 0 ||
        (f[2].value && read_decimal(l, f[2].value, "exponent", 6, &exponent_micro) != 0))
        return -1;
    if (exponent_micro <= 0 || exponent_micro > 4000000)
        return FAIL(l, f[2].value, "exponent is above 0 and at most 4");
    if (check_range(l, cb, f[1].value, 1, g->max) != 0)
        return -1;
    double exponent = (double)exponent_micro / 1e6;
    wb_zipf_bucket *buckets = wb_load_alloc(l->lw, 64 * sizeof *buckets);
    double weights[64], total = 0;
    int n = 0;
    for (int64_t first = 1; first <= g->max; n++) {
        int64_t last = first < ZIPF_SINGLE_RANKS ? first : 2 * first - 1;
        if (last > g->max)
            last = g->max;
        buckets[n].first = first;
        buckets[n].size = last - first + 1;
        weights[n] = zipf_weight(first, last, exponent);
        total += weights[n];
        first = last + 1;
    }
    double cumulative = 0;
    for (int i = 0; i < n; i++) {
        cumulative += weights[i];
        buckets[i].below = i == n - 1 ? WB_HASH_PRIME : (int64_t)llround(cumulative / total * (double)WB_HASH_PRIME);
    }
    g->buckets = buckets;
    g->nbuckets = n;
    if (require_movable(l, cb, node, g->max > 1, "max 1: its one rank is the same in both versions") != 0)
        return -1;
    cb->repeats = "zipf ranks repeat";
    number_lengths(cb);
    return 0;
}

/* One value of a choice list, of the column's type. */
static int read_choice_value(loader *l, column_build *cb, yaml_node_t *node, wb_choice_value *out)
{
    if (cb->col.type == WB_TYPE_TEXT)
        return wb_load_str(l, node, "a choice's value", &out->text);
    if (cb->col.type == WB_TYPE_BOOL) {
        int yes;
        if (wb_yaml_bool(&l->y, node, "a choice's value", &yes, l->e) != 0)
            return -1;
        out->units = yes;
    } else if (read_units(l, cb, node, "a choice's value", &out->units) != 0 ||
               check_range(l, cb, node, out->units, out->units) != 0) {
        return -1;
    }
    out->text = units_text(l, cb, out->units);
    return 0;
}

/* choice: one of a list of values, weighted (integer weights, 1 each by default),
 * by the hash; version 2 takes the next value of the list. */
static int parse_choice(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"values", 1, NULL, NULL}, {"weights", 0, NULL, NULL},
                         {"scale", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a choice generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_CHOICE;
    if (read_scale(l, cb, node, f[3].value) != 0)
        return -1;
    int n = wb_yaml_count(&l->y, f[1].value, "values", 1, CHOICE_VALUES_MAX, l->e);
    if (n < 0)
        return -1;
    wb_choice_value *values = wb_load_alloc(l->lw, (size_t)n * sizeof *values);
    int64_t *below = wb_load_alloc(l->lw, (size_t)n * sizeof *below);
    for (int i = 0; i < n; i++) {
        yaml_node_t *item = wb_yaml_item(&l->y, f[1].value, i);
        if (read_choice_value(l, cb, item, &values[i]) != 0)
            return -1;
        for (int j = 0; j < i; j++)
            if (values[j].text.len == values[i].text.len &&
                memcmp(values[j].text.s, values[i].text.s, values[i].text.len) == 0)
                return FAIL(l, item, "value '%.60s' is in the list twice", values[i].text.s);
    }
    if (f[2].value && wb_yaml_count(&l->y, f[2].value, "weights (one per value)", n, n, l->e) < 0)
        return -1;
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        int64_t w = 1;
        if (f[2].value && wb_yaml_int(&l->y, wb_yaml_item(&l->y, f[2].value, i), "a weight", 1, WEIGHT_MAX, &w,
                                      l->e) != 0)
            return -1;
        total += w;
        below[i] = total;
    }
    g->values = values;
    g->nvalues = n;
    g->below = below;
    g->total_weight = total;
    if (require_movable(l, cb, node, n > 1, "one value is the same in both versions") != 0)
        return -1;
    cb->repeats = "a choice repeats its values";
    int64_t chars = 0, bytes = 0, json = 0;
    for (int i = 0; i < n; i++) {
        int64_t c = wb_load_chars_of(values[i].text), j = json_len(values[i].text);
        chars = c > chars ? c : chars;
        bytes = (int64_t)values[i].text.len > bytes ? (int64_t)values[i].text.len : bytes;
        json = j > json ? j : json;
    }
    cb->plain_chars = chars;
    cb->plain_bytes = bytes;
    cb->json_bytes = json;
    return 0;
}

/* boolean: true for a share true_share of the keys (0.5 by default); version 2 the other. */
static int parse_boolean(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"true_share", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a boolean generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_BOOLEAN;
    g->true_ppm = 500000;
    if (f[1].value && read_share(l, f[1].value, "true_share", &g->true_ppm) != 0)
        return -1;
    cb->repeats = "booleans repeat";
    number_lengths(cb);
    return 0;
}

/* ---- text, bytes ---- */

/* length: {min: A, max: B} or {fixed: N}. */
static int read_length(loader *l, yaml_node_t *node, int64_t *min, int64_t *max)
{
    wb_yaml_field f[] = {{"min", 0, NULL, NULL}, {"max", 0, NULL, NULL}, {"fixed", 0, NULL, NULL}};
    if (wb_yaml_fields(&l->y, node, "length", f, (int)COUNT(f), l->e) != 0)
        return -1;
    if (f[2].value) {
        if (f[0].value || f[1].value)
            return FAIL(l, node, "length is {min: A, max: B} or {fixed: N}");
        if (wb_yaml_int(&l->y, f[2].value, "fixed", 0, LENGTH_MAX, min, l->e) != 0)
            return -1;
        *max = *min;
        return 0;
    }
    if (!f[0].value || !f[1].value)
        return FAIL(l, node, "length is {min: A, max: B} or {fixed: N}");
    if (wb_yaml_int(&l->y, f[0].value, "min", 0, LENGTH_MAX, min, l->e) != 0 ||
        wb_yaml_int(&l->y, f[1].value, "max", 0, LENGTH_MAX, max, l->e) != 0)
        return -1;
    /* apart from the range, so that a max beyond the cap is not "between min and the cap" */
    if (*max < *min)
        return FAIL(l, f[1].value, "max (%lld) is below min (%lld)", (long long)*max, (long long)*min);
    return 0;
}

/* text: length characters of a source made of the alphabet (its characters once
 * each, in its order, repeated), from an offset by the hash; version 2 starts one
 * character later, so every character moves and no value stays. */
static int parse_chars(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"length", 1, NULL, NULL}, {"alphabet", 0, NULL, NULL},
                         COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a text generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_CHARS;
    if (read_length(l, f[1].value, &g->min_length, &g->max_length) != 0)
        return -1;
    wb_str alphabet = WB_STR("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789");
    if (f[2].value && wb_load_str(l, f[2].value, "alphabet", &alphabet) != 0)
        return -1;
    char block[96];
    size_t n = 0;
    for (size_t i = 0; i < alphabet.len; i++) {
        unsigned char ch = (unsigned char)alphabet.s[i];
        if (ch < 0x20 || ch > 0x7e)
            return FAIL(l, f[2].value, "the alphabet holds printable ASCII characters only (a space to '~'): hostile "
                                       "rows bring control characters and UTF-8");
        if (!memchr(block, ch, n))
            block[n++] = (char)ch;
        g->json_escapes |= ch == '"' || ch == '\\';
    }
    if (n == 0)
        return FAIL(l, f[2].value, "the alphabet is empty");
    g->block = (int64_t)n;
    size_t source_len = (size_t)g->max_length + n - 1;
    char *source = wb_load_alloc(l->lw, source_len + 1);
    for (size_t i = 0; i < source_len; i++)
        source[i] = block[i % n];
    g->source = (wb_str){source, source_len};
    if (require_movable(l, cb, f[1].value, g->min_length > 0 && n > 1,
                        "a text of length 0, or of one character repeated, can be the same in both versions (give "
                        "a min length of 1 and two characters)") != 0)
        return -1;
    cb->repeats = "texts repeat";
    cb->plain_chars = cb->plain_bytes = g->max_length;
    cb->json_bytes = g->max_length * (g->json_escapes ? 2 : 1);
    return 0;
}

/* bytes: length bytes of a source of all 256 byte values, as text's. */
static int parse_bytes(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"length", 1, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a bytes generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_BYTES;
    if (read_length(l, f[1].value, &g->min_length, &g->max_length) != 0)
        return -1;
    g->block = 256;
    size_t source_len = (size_t)g->max_length + 255;
    char *source = wb_load_alloc(l->lw, source_len + 1);
    /* 167 is odd: every byte value once per 256, NUL and backslash included */
    for (size_t i = 0; i < source_len; i++)
        source[i] = (char)(unsigned char)((i % 256) * 167 + 13);
    g->source = (wb_str){source, source_len};
    if (require_movable(l, cb, f[1].value, g->min_length > 0, "no bytes (length 0) are the same in both versions") !=
        0)
        return -1;
    cb->repeats = "bytes repeat";
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = g->max_length;
    return 0;
}

/* ---- time, uuid ---- */

/* time: from + index * step_s, within from..to; the index is k - 1 (order: sequence,
 * the default: a time series) or the hash (order: uniform), modulo the steps. A
 * date column counts in days: whole-day times and steps. */
static int parse_time(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL},   {"from", 1, NULL, NULL},  {"to", 1, NULL, NULL},
                         {"step_s", 0, NULL, NULL}, {"order", 0, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a time generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_TIME;
    int date = cb->col.sql_type == WB_SQL_DATE;
    int64_t from, to, step = date ? 86400 : 1;
    const char *text;
    for (int i = 1; i <= 2; i++) {
        int64_t *at = i == 1 ? &from : &to;
        if (!wb_yaml_is_scalar(f[i].value, &text) || wb_parse_time(text, at) != 0)
            return FAIL(l, f[i].value,
                        "%s must be a time from 1000 to 9999: \"2024-01-01\", \"2024-01-01T00:00:00Z\" or "
                        "\"2024-01-01 08:00:00+02:00\"",
                        i == 1 ? "from" : "to");
        if (date && *at % 86400 != 0)
            return FAIL(l, f[i].value, "column %s is a date: %s must be a whole day", cb->col.name,
                        i == 1 ? "from" : "to");
    }
    if (to < from)
        return FAIL(l, f[2].value, "to is before from");
    if (f[3].value && wb_yaml_int(&l->y, f[3].value, "step_s", 1, to - from > 0 ? to - from : 1, &step, l->e) != 0)
        return -1;
    if (date && step % 86400 != 0)
        return FAIL(l, f[3].value, "column %s is a date: step_s must be whole days (a multiple of 86400)",
                    cb->col.name);
    if (f[4].value) {
        const char *order;
        if (!wb_yaml_is_scalar(f[4].value, &order) || (strcmp(order, "sequence") && strcmp(order, "uniform")))
            return FAIL(l, f[4].value, "order is sequence or uniform");
        g->by_hash = strcmp(order, "uniform") == 0;
    }
    int64_t unit = date ? 86400 : 1;
    g->min = from / unit;
    g->step_units = step / unit;
    g->range = (to - from) / step + 1;
    g->wide = g->range > WB_HASH_PRIME;
    g->shift = (g->range + 1) / 2;
    if (require_movable(l, cb, node, g->range > 1, "from = to: its one time is the same in both versions") != 0)
        return -1;
    cb->repeats = g->range >= WB_KEY_MAX && !g->by_hash ? NULL : "times repeat";
    if (cb->repeats == NULL && cb->col.updated)
        cb->repeats = "version 2 moves every time, onto another key's";
    number_lengths(cb);
    return 0;
}

/* uuid: from (table, column, key, version): hashes, the version-4 and variant bits
 * (version 2 flips one of the variant's, so no key keeps its uuid), and the key in
 * the last 12 digits, so no two keys share one. */
static int parse_uuid(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    (void)tb;
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a uuid generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    cb->gen->kind = WB_GEN_UUID;
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = 36;
    return 0;
}

/* ---- json ---- */

/* The longest escaped hostile decoration: what a decorated json string may gain. */
static int64_t json_decoration_bytes(void)
{
    int64_t most = 0;
    for (int k = 0; k < WB_HOSTILE_KINDS; k++) {
        int64_t n = json_len(wb_hostile_kinds[k].decoration);
        most = n > most ? n : most;
    }
    return most;
}

/* json: {fields: {name: generator, ...}}: an object of one member per field, in the
 * file's order, each field a column of its own (its generator's mapping may name a
 * `type`, `updated` and `nulls`). Hostile rows decorate its strings. */
static int parse_json(loader *l, table_build *tb, column_build *cb, yaml_node_t *node)
{
    wb_yaml_field f[] = {{"kind", 1, NULL, NULL}, {"fields", 1, NULL, NULL}, COMMON_KEYS};
    if (wb_yaml_fields(&l->y, node, "a json generator", f, (int)COUNT(f), l->e) != 0)
        return -1;
    struct wb_column_gen *g = cb->gen;
    g->kind = WB_GEN_JSON;
    yaml_node_t *map = f[1].value;
    if (map->type != YAML_MAPPING_NODE)
        return FAIL(l, map, "fields is a mapping of a name to a generator per field");
    int n = (int)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (n < 1 || n > JSON_FIELDS_MAX)
        return FAIL(l, map, "a json document has 1 to %d fields", JSON_FIELDS_MAX);
    if (cb->json_depth >= JSON_DEPTH_MAX)
        return FAIL(l, node, "json documents nest at most %d deep", JSON_DEPTH_MAX);
    wb_json_field *fields = wb_load_alloc(l->lw, (size_t)n * sizeof *fields);
    int64_t bytes = 2 + (n - 1), decoration = json_decoration_bytes();
    for (int i = 0; i < n; i++) {
        yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;
        yaml_node_t *key = yaml_document_get_node(&l->y.doc, pair->key);
        wb_str name;
        if (wb_load_str(l, key, "a field's name", &name) != 0)
            return -1;
        for (int j = 0; j < i; j++) {
            yaml_node_t *other = yaml_document_get_node(&l->y.doc, map->data.mapping.pairs.start[j].key);
            const char *other_name;
            if (wb_yaml_is_scalar(other, &other_name) && strcmp(other_name, name.s) == 0)
                return FAIL(l, key, "field '%.60s' is in the document twice", name.s);
        }
        column_build *fb = wb_load_alloc(l->lw, sizeof *fb);
        fb->node = fb->type_node = key;
        fb->gen_node = yaml_document_get_node(&l->y.doc, pair->value);
        /* its messages name it after its column: payload.note */
        wb_buf qualified = WB_BUF_INIT;
        wb_buf_printf(&qualified, "%s.%s", cb->col.name, name.s);
        fb->col.name = wb_load_copy(l->lw, wb_buf_str(&qualified), qualified.len);
        wb_buf_free(&qualified);
        fb->col.nullable = 1;
        fb->col.updated = cb->col.updated;
        fb->json_depth = cb->json_depth + 1;
        wb_buf salt = WB_BUF_INIT;
        wb_buf_printf(&salt, "%s.%s", cb->salt_name, name.s);
        fb->salt_name = wb_load_copy(l->lw, wb_buf_str(&salt), salt.len);
        wb_buf_free(&salt);
        if (wb_load_generator(l, tb, fb, fb->gen_node, NULL, NULL) != 0)
            return -1;
        char *key_json = wb_load_alloc(l->lw, wb_json_escaped_len(name.s, name.len) + 3);
        key_json[0] = '"';
        char *end = wb_json_escape(key_json + 1, name.s, name.len);
        *end++ = '"';
        fields[i] = (wb_json_field){{key_json, (size_t)(end - key_json)}, &fb->col};
        /* the field's value as json: quoted for text, uuid and time; null at least */
        int64_t value = fb->json_bytes;
        if (fb->col.type == WB_TYPE_TEXT)
            value += 2 + decoration;
        else if (fb->col.type == WB_TYPE_UUID || fb->col.type == WB_TYPE_TIME)
            value += 2;
        bytes += (int64_t)fields[i].key_json.len + 1 + (value > 4 ? value : 4);
        g->json_strings |= fb->col.type == WB_TYPE_TEXT || (fb->col.type == WB_TYPE_JSON && fb->gen->json_strings);
    }
    g->fields = fields;
    g->nfields = n;
    cb->repeats = "json documents repeat";
    cb->plain_chars = cb->plain_bytes = cb->json_bytes = bytes + 7; /* + what the test-only perturbation adds */
    return 0;
}

/* ---- the kinds ---- */

#define TYPE(t) (1u << (t))

/* A generator kind: the types of values it can make, those it makes hostile by
 * default, whether it takes hostile values at all, the SQL type of a json field it
 * makes when the field names none, and the parser of its parameters. */
typedef struct gen_def {
    const char *kind;
    unsigned makes;
    unsigned hostile_by_default;
    int takes_hostile;
    const char *json_type; /* NULL: not a json field */
    int (*parse)(loader *l, table_build *tb, column_build *cb, yaml_node_t *node);
} gen_def;

static const gen_def gen_defs[] = {
    {"pattern", TYPE(WB_TYPE_TEXT), TYPE(WB_TYPE_TEXT), 1, "text", parse_pattern},
    {"cents", TYPE(WB_TYPE_DECIMAL), TYPE(WB_TYPE_DECIMAL), 1, "numeric(10,2)", parse_cents},
    {"foreign_key", TYPE(WB_TYPE_INT64), 0, 0, NULL, parse_foreign_key},
    {"sequence", TYPE(WB_TYPE_INT64) | TYPE(WB_TYPE_DECIMAL), 0, 1, "bigint", parse_sequence},
    {"uniform", TYPE(WB_TYPE_INT64) | TYPE(WB_TYPE_DECIMAL) | TYPE(WB_TYPE_FLOAT), 0, 1, "bigint", parse_uniform},
    {"zipf", TYPE(WB_TYPE_INT64), 0, 1, "bigint", parse_zipf},
    {"choice", TYPE(WB_TYPE_TEXT) | TYPE(WB_TYPE_INT64) | TYPE(WB_TYPE_DECIMAL) | TYPE(WB_TYPE_BOOL),
     TYPE(WB_TYPE_TEXT), 1, "text", parse_choice},
    {"boolean", TYPE(WB_TYPE_BOOL), 0, 1, "boolean", parse_boolean},
    {"text", TYPE(WB_TYPE_TEXT), TYPE(WB_TYPE_TEXT), 1, "text", parse_chars},
    {"bytes", TYPE(WB_TYPE_BYTES), 0, 1, NULL, parse_bytes},
    {"time", TYPE(WB_TYPE_TIME), 0, 1, "timestamptz", parse_time},
    {"uuid", TYPE(WB_TYPE_UUID) | TYPE(WB_TYPE_TEXT), TYPE(WB_TYPE_TEXT), 1, "uuid", parse_uuid},
    {"json", TYPE(WB_TYPE_JSON), TYPE(WB_TYPE_JSON), 1, "json", parse_json},
    {"email", TYPE(WB_TYPE_TEXT), TYPE(WB_TYPE_TEXT), 1, "text", parse_email},
};

static const gen_def *find_def(const char *kind)
{
    for (size_t i = 0; i < COUNT(gen_defs); i++)
        if (strcmp(gen_defs[i].kind, kind) == 0)
            return &gen_defs[i];
    return NULL;
}

/* The words for the types a generator makes, for a message. */
static void put_makes(unsigned makes, wb_buf *out)
{
    static const char *const words[WB_TYPE_COUNT] = {
        [WB_TYPE_INT64] = "integer",  [WB_TYPE_TEXT] = "text",   [WB_TYPE_DECIMAL] = "numeric",
        [WB_TYPE_FLOAT] = "floating", [WB_TYPE_BOOL] = "boolean", [WB_TYPE_TIME] = "time",
        [WB_TYPE_UUID] = "uuid",      [WB_TYPE_JSON] = "json",   [WB_TYPE_BYTES] = "bytea",
    };
    int n = 0;
    for (int t = 0; t < WB_TYPE_COUNT; t++)
        if (makes & TYPE(t))
            wb_buf_printf(out, "%s%s", n++ ? " or " : "", words[t]);
}

/* The value node of key in mapping node, or NULL. */
static yaml_node_t *find_key(loader *l, yaml_node_t *node, const char *key)
{
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
        const char *k;
        if (wb_yaml_is_scalar(yaml_document_get_node(&l->y.doc, p->key), &k) && strcmp(k, key) == 0)
            return yaml_document_get_node(&l->y.doc, p->value);
    }
    return NULL;
}

/* One of the keys a column and its generator may both hold: given once. */
static int one_of(loader *l, yaml_node_t *column_value, yaml_node_t *generator_value, const char *key,
                  yaml_node_t **out)
{
    if (column_value && generator_value)
        return FAIL(l, generator_value, "%s is given twice: in the column and in its generator", key);
    *out = column_value ? column_value : generator_value;
    return 0;
}

/* hostile: true, false or {offset: N}. */
static int read_hostile(loader *l, column_build *cb, const gen_def *def, yaml_node_t *node)
{
    int on = 1;
    if (node->type == YAML_MAPPING_NODE) {
        wb_yaml_field f[] = {{"offset", 1, NULL, NULL}};
        if (wb_yaml_fields(&l->y, node, "hostile", f, 1, l->e) != 0 ||
            wb_yaml_int(&l->y, f[0].value, "hostile offset", 0, WB_HOSTILE_KINDS - 1, &cb->gen->hostile_offset,
                        l->e) != 0)
            return -1;
    } else if (wb_yaml_bool(&l->y, node, "hostile (true, false or {offset: N})", &on, l->e) != 0) {
        return -1;
    }
    if (on && !def->takes_hostile)
        return FAIL(l, node, "generator %s takes no hostile values", def->kind);
    cb->gen->hostile = on;
    return 0;
}

/* FNV-1a of the column's name, the salt of its hashes, below the prime. */
static int64_t salt_of(const char *name)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = name; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return (int64_t)(h % (uint64_t)WB_HASH_PRIME);
}

int wb_load_generator(loader *l, table_build *tb, column_build *cb, yaml_node_t *node, yaml_node_t *hostile,
                      yaml_node_t *nulls)
{
    if (node->type != YAML_MAPPING_NODE)
        return FAIL(l, node, "a generator must be a mapping with its kind and parameters ({kind: pattern, ...})");
    yaml_node_t *kind = find_key(l, node, "kind");
    if (!kind)
        return FAIL(l, node, "the generator needs the key 'kind'");
    const char *name;
    size_t len;
    if (wb_yaml_string(&l->y, kind, "the generator's kind", &name, &len, l->e) != 0)
        return -1;
    const gen_def *def = find_def(name);
    if (!def) {
        wb_buf known = WB_BUF_INIT;
        for (size_t i = 0; i < COUNT(gen_defs); i++)
            wb_buf_printf(&known, "%s%s", i ? ", " : "", gen_defs[i].kind);
        int rc = FAIL(l, kind, "unknown generator '%.60s' (the generators are: %s)", name, wb_buf_str(&known));
        wb_buf_free(&known);
        return rc;
    }
    /* a json field's own keys: its type (by default its kind's), whether version 2 changes it */
    yaml_node_t *type = find_key(l, node, "type"), *updated = find_key(l, node, "updated");
    if (cb->json_depth == 0 && (type || updated))
        return FAIL(l, type ? type : updated, "%s is a key of the column, not of its generator",
                    type ? "type" : "updated");
    if (cb->json_depth > 0) {
        if (!def->json_type)
            return FAIL(l, kind, "generator %s cannot make a field of a json document", def->kind);
        yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
        yaml_node_t fake = {.type = YAML_SCALAR_NODE};
        if (!type) {
            fake.data.scalar.value = (yaml_char_t *)def->json_type;
            fake.data.scalar.length = strlen(def->json_type);
            fake.data.scalar.style = style;
            fake.start_mark = kind->start_mark;
        }
        if (wb_load_type(l, type ? type : &fake, cb) != 0)
            return -1;
        if (updated && wb_yaml_bool(&l->y, updated, "updated", &cb->col.updated, l->e) != 0)
            return -1;
        static const wb_sql_type field_types[] = {WB_SQL_BIGINT, WB_SQL_INTEGER, WB_SQL_SMALLINT, WB_SQL_NUMERIC,
                                                  WB_SQL_REAL,   WB_SQL_DOUBLE,  WB_SQL_BOOLEAN,  WB_SQL_TEXT,
                                                  WB_SQL_DATE,   WB_SQL_TIMESTAMP, WB_SQL_TIMESTAMPTZ, WB_SQL_UUID,
                                                  WB_SQL_JSON};
        int allowed = 0;
        for (size_t i = 0; i < COUNT(field_types); i++)
            allowed |= cb->col.sql_type == field_types[i];
        if (!allowed)
            return FAIL(l, type, "a field of a json document is not %s: write text, json, or a number, boolean, "
                                 "time or uuid type",
                        cb->col.type_name);
    }
    yaml_node_t *gen_hostile = find_key(l, node, "hostile"), *gen_nulls = find_key(l, node, "nulls");
    if (cb->json_depth > 0 && gen_hostile)
        return FAIL(l, gen_hostile, "a field of a json document takes its hostile values from its column");
    if (one_of(l, hostile, gen_hostile, "hostile", &hostile) != 0 || one_of(l, nulls, gen_nulls, "nulls", &nulls) != 0)
        return -1;
    if (!(def->makes & TYPE(cb->col.type))) {
        wb_buf makes = WB_BUF_INIT;
        put_makes(def->makes, &makes);
        int rc = FAIL(l, kind, "generator %s makes %s values, but %s %s is %s", name, wb_buf_str(&makes),
                      cb->json_depth ? "field" : "column", cb->col.name, cb->col.type_name);
        wb_buf_free(&makes);
        return rc;
    }
    cb->gen = wb_load_alloc(l->lw, sizeof *cb->gen);
    cb->col.gen = cb->gen;
    cb->gen->salt = salt_of(cb->salt_name);
    /* a json field's hostile values are its column's, put in by put_json */
    cb->gen->hostile = cb->json_depth == 0 && (def->hostile_by_default & TYPE(cb->col.type)) != 0;
    if (def->parse(l, tb, cb, node) != 0)
        return -1;
    if (hostile && read_hostile(l, cb, def, hostile) != 0)
        return -1;
    if (nulls) {
        if (read_share(l, nulls, "nulls", &cb->gen->null_ppm) != 0)
            return -1;
        if (cb->gen->null_ppm && !cb->col.nullable)
            return FAIL(l, nulls, "column %s is not nullable: it takes no share of NULLs", cb->col.name);
        if (cb->col.updated && cb->gen->null_ppm > 500000)
            return FAIL(l, nulls, "column %s is updated: a share of NULLs of at most 0.5 lets version 2 give every "
                                  "NULL row a value and none of the others a NULL",
                        cb->col.name);
    }
    if (cb->gen->kind == WB_GEN_TEXT)
        cb->repeats = pattern_repeats(cb->gen);
    return 0;
}

void wb_load_longest(const column_build *cb, int64_t *chars, int64_t *bytes)
{
    int64_t deco_chars = 0, deco_bytes = 0;
    for (int k = 0; cb->gen->hostile && cb->col.type == WB_TYPE_TEXT && k < WB_HOSTILE_KINDS; k++)
        if (wb_hostile_effect_of(&cb->col, k) == WB_EFFECT_DECORATE) {
            int64_t c = wb_load_chars_of(wb_hostile_kinds[k].decoration);
            int64_t b = (int64_t)wb_hostile_kinds[k].decoration.len;
            deco_chars = c > deco_chars ? c : deco_chars;
            deco_bytes = b > deco_bytes ? b : deco_bytes;
        }
    *chars = deco_chars + cb->plain_chars;
    *bytes = deco_bytes + cb->plain_bytes;
    if (cb->col.sql_type == WB_SQL_CHAR) {
        /* blank-padded to n characters */
        *bytes += cb->type_chars;
        *chars = *chars > cb->type_chars ? *chars : cb->type_chars;
    }
}
