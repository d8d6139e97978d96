/* The SQL rendering of the column definitions (gen_internal.h): wb_column_sql
 * writes the value of a column as an expression of the key, for the verifier's
 * one-query check and for server-generate. It must give exactly what
 * wb_row_make gives (generate.c), hostile rows included.
 *
 * Dialect differences are the dialect's fields: PostgreSQL gets the key cast to
 * bigint (exact integer arithmetic whatever the key expression's type) and prices
 * as numeric (exact); SQLite divides by 100.0, which yields the same double SQLite
 * stores for the text '123.45' in a NUMERIC column; each SQL type's cast, units
 * and text forms come from wb_dialect.types. Control characters and backslashes
 * are written as char(n) / chr(n), so the literals never depend on escaping rules
 * (standard_conforming_strings); multi-byte UTF-8 stays literal text. The hash of
 * gen_internal.h is written out with the same integers as in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_internal.h"

/* The key as an integer expression. */
static void put_key(wb_buf *out, const char *key_sql, const wb_dialect *d)
{
    wb_buf_printf(out, d->key_cast, key_sql);
}

/* Bytes that go through char()/chr() instead of a literal. */
static int needs_chr(unsigned char ch)
{
    return ch < 0x20 || ch == 0x7f || ch == '\\';
}

/* Append " || " unless this is the first piece of a concatenation. */
static void put_concat(wb_buf *out, int *first)
{
    if (!*first)
        wb_buf_puts(out, " || ");
    *first = 0;
}

/* Append the pieces of s to a || concatenation: literals with ' doubled, and
 * char(n) for control characters and backslashes. Empty s appends nothing. */
static void put_text_pieces(wb_buf *out, wb_str s, const wb_dialect *d, int *first)
{
    size_t i = 0;
    while (i < s.len) {
        put_concat(out, first);
        unsigned char ch = (unsigned char)s.s[i];
        if (needs_chr(ch)) {
            wb_buf_printf(out, d->chr_format, ch);
            i++;
            continue;
        }
        wb_buf_putc(out, '\'');
        for (; i < s.len && !needs_chr((unsigned char)s.s[i]); i++) {
            if (s.s[i] == '\'')
                wb_buf_putc(out, '\'');
            wb_buf_putc(out, s.s[i]);
        }
        wb_buf_putc(out, '\'');
    }
}

/* put_text_pieces of s as it reads inside a JSON string (escaped), or as it is. */
static void put_pieces(wb_buf *out, wb_str s, const wb_dialect *d, int *first, int json)
{
    if (!json) {
        put_text_pieces(out, s, d, first);
        return;
    }
    char *escaped = wb_xmalloc(wb_json_escaped_len(s.s, s.len) + 1);
    char *end = wb_json_escape(escaped, s.s, s.len);
    put_text_pieces(out, (wb_str){escaped, (size_t)(end - escaped)}, d, first);
    free(escaped);
}

void wb_sql_text_value(wb_buf *out, const char *text, size_t len, const wb_dialect *d)
{
    if (len == 0) {
        wb_buf_puts(out, "''");
        return;
    }
    int first = 1;
    put_text_pieces(out, (wb_str){text, len}, d, &first);
}

/* The ordinary text value: prefix || number || suffix, optionally decorated. */
static void put_text(wb_buf *out, const struct wb_column_gen *g, wb_str decoration, int version,
                     const char *key_sql, const wb_dialect *d)
{
    int first = 1;
    wb_str suffix = g->suffix[version == 2];
    /* a lone number would be an integer, not text */
    int number_alone = decoration.len + g->prefix.len + suffix.len == 0;
    put_text_pieces(out, decoration, d, &first);
    put_text_pieces(out, g->prefix, d, &first);
    put_concat(out, &first);
    wb_buf_puts(out, number_alone ? "CAST((" : "(");
    put_key(out, key_sql, d);
    if (g->modulo)
        wb_buf_printf(out, " %% %lld", (long long)g->modulo);
    if (number_alone)
        wb_buf_printf(out, ") AS %s)", d->cast_type[WB_TYPE_TEXT]);
    else
        wb_buf_putc(out, ')');
    put_text_pieces(out, suffix, d, &first);
}

/* The ordinary decimal value: hundredths of the formula, divided exactly. */
static void put_cents(wb_buf *out, const struct wb_column_gen *g, int version, const char *key_sql,
                      const wb_dialect *d)
{
    wb_buf_puts(out, "(((");
    put_key(out, key_sql, d);
    wb_buf_printf(out, " * %lld", (long long)g->key_factor);
    if (version != 1)
        wb_buf_printf(out, " + %lld", (long long)((version - 1) * g->version_step));
    wb_buf_printf(out, ") %% %lld)", (long long)g->modulus);
    wb_buf_puts(out, d->decimal_from_cents);
    wb_buf_putc(out, ')');
}

void wb_table_row_sql(const wb_table *t, const char *key_sql, wb_buf *out)
{
    if (t->keys_from_zero)
        wb_buf_printf(out, "(%s + 1)", key_sql);
    else
        wb_buf_puts(out, key_sql);
}

/* A key column's value: the row's own key, or the key of the parent row it references. */
static void put_key_value(wb_buf *out, const struct wb_column_gen *g, const char *key_sql, const wb_dialect *d)
{
    /* wb_parent_key: the parent's row number, less one when its keys start at 0 */
    switch (g->parent_row) {
    case WB_PARENT_SAME:
        if (g->parent_keys_from_zero)
            wb_buf_putc(out, '(');
        put_key(out, key_sql, d);
        if (g->parent_keys_from_zero)
            wb_buf_puts(out, " - 1)");
        return;
    case WB_PARENT_MODULO:
    case WB_PARENT_GROUP:
        /* row numbers are positive, so % and the dialect's integer quotient agree with C's */
        wb_buf_puts(out, "((");
        put_key(out, key_sql, d);
        wb_buf_printf(out, " - 1)%s%lld%s)", g->parent_row == WB_PARENT_MODULO ? " % " : d->int_div_op,
                      (long long)g->parent_n, g->parent_keys_from_zero ? "" : " + 1");
        return;
    }
}

/* The value when the row is not hostile (or the kind leaves this column alone). */
static void put_plain(wb_buf *out, const wb_column *c, int version, const char *key_sql,
                      const wb_dialect *d)
{
    const struct wb_column_gen *g = c->gen;
    static const wb_str no_decoration = WB_STR("");
    switch (g->kind) {
    case WB_GEN_KEY: put_key_value(out, g, key_sql, d); break;
    case WB_GEN_TEXT: put_text(out, g, no_decoration, version, key_sql, d); break;
    case WB_GEN_CENTS: put_cents(out, g, version, key_sql, d); break;
    default: break; /* the legacy rendering is only for the three kinds above (legacy_form) */
    }
}

/* The value of hostile kind `kind` in column c. */
static void put_hostile(wb_buf *out, const wb_column *c, int kind, int version, const char *key_sql,
                        const wb_dialect *d)
{
    switch (wb_hostile_effect_of(c, kind)) {
    case WB_EFFECT_PLAIN: put_plain(out, c, version, key_sql, d); break;
    case WB_EFFECT_NULL: wb_buf_puts(out, "NULL"); break;
    case WB_EFFECT_EMPTY: wb_buf_puts(out, c->type == WB_TYPE_TEXT ? "''" : "0"); break;
    case WB_EFFECT_DECORATE:
        put_text(out, c->gen, wb_hostile_kinds[kind].decoration, version, key_sql, d);
        break;
    }
}

/* The rendering every kind had before the compact one: the ordinary value written
 * once per hostile kind. The shipped workloads keep it byte for byte. */
static void put_legacy(wb_buf *out, const wb_column *c, int version, const char *key_sql, const wb_dialect *d)
{
    if (!c->gen->hostile) {
        put_plain(out, c, version, key_sql, d);
        return;
    }
    /* CASE WHEN key % 10 <> 7 THEN plain
     *      ELSE CASE (key / 10 + offset + version - 1) % 8 WHEN kind THEN ... ELSE plain END END */
    wb_buf_puts(out, "CASE WHEN ");
    put_key(out, key_sql, d);
    wb_buf_printf(out, " %% %d <> %d THEN ", WB_HOSTILE_EVERY, WB_HOSTILE_AT);
    put_plain(out, c, version, key_sql, d);
    wb_buf_puts(out, " ELSE CASE (");
    put_key(out, key_sql, d);
    wb_buf_printf(out, "%s%d + %lld) %% %d", d->int_div_op, WB_HOSTILE_EVERY,
                  (long long)wb_hostile_shift(c, version), WB_HOSTILE_KINDS);
    for (int kind = 0; kind < WB_HOSTILE_KINDS; kind++) {
        if (wb_hostile_effect_of(c, kind) == WB_EFFECT_PLAIN)
            continue;
        wb_buf_printf(out, " WHEN %d THEN ", kind);
        put_hostile(out, c, kind, version, key_sql, d);
    }
    wb_buf_puts(out, " ELSE ");
    put_plain(out, c, version, key_sql, d);
    wb_buf_puts(out, " END END");
}

/* ---- the compact rendering: every kind since the first three ---- */

/* The rendering of one value: where it goes and what it may contain. */
typedef struct render {
    const char *key_sql;
    const wb_dialect *d;
    int version;
    const char *decoration; /* SQL of the hostile decoration to put before a text (NULL: none) */
    int json;               /* inside a json document: text pieces escaped for a JSON string */
} render;

/* Append a wrap's open or close with its format's arguments. */
static void put_wrap_part(wb_buf *out, const char *format, const wb_column *c)
{
    if (format && *format)
        wb_buf_printf(out, format, (long long)c->type_length, (long long)c->type_scale);
}

/* A constant as decimal digits. */
static void put_int(wb_buf *out, int64_t v)
{
    wb_buf_printf(out, "%lld", (long long)v);
}

/* The hash of gen_internal.h: ((x * x + salt) % P), x = ((K % P * 48271 + salt) % P). */
static void put_hash(wb_buf *out, const render *r, int64_t salt)
{
    for (int round = 0; round < 2; round++) {
        wb_buf_puts(out, round ? " * " : "((");
        wb_buf_puts(out, "((");
        put_key(out, r->key_sql, r->d);
        wb_buf_printf(out, " %% %lld * %lld + %lld) %% %lld)", WB_HASH_PRIME, WB_HASH_MULTIPLIER, (long long)salt,
                      WB_HASH_PRIME);
    }
    wb_buf_printf(out, " + %lld) %% %lld)", (long long)salt, WB_HASH_PRIME);
}

/* wb_gen_hash: one hash, or two for a range above the prime. */
static void put_gen_hash(wb_buf *out, const struct wb_column_gen *g, const render *r)
{
    if (!g->wide) {
        put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
        return;
    }
    wb_buf_putc(out, '(');
    put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
    wb_buf_printf(out, " * %lld + ", WB_HASH_PRIME);
    put_hash(out, r, wb_salt(g, WB_SALT_VALUE2));
    wb_buf_putc(out, ')');
}

/* (K - 1), or ((K - 1) % modulo). */
static void put_index(wb_buf *out, const render *r, int64_t modulo)
{
    wb_buf_puts(out, modulo ? "((" : "(");
    put_key(out, r->key_sql, r->d);
    wb_buf_puts(out, " - 1)");
    if (modulo)
        wb_buf_printf(out, " %% %lld)", (long long)modulo);
}

/* Zipf: a binary search of buckets lo..hi by the hash, then uniform inside the bucket. */
static void put_zipf_buckets(wb_buf *out, const struct wb_column_gen *g, const render *r, int lo, int hi)
{
    if (lo == hi) {
        const wb_zipf_bucket *b = &g->buckets[lo];
        if (b->size > 1) {
            wb_buf_printf(out, "(%lld + ", (long long)b->first);
            put_hash(out, r, wb_salt(g, WB_SALT_VALUE2));
            wb_buf_printf(out, " %% %lld)", (long long)b->size);
        } else {
            put_int(out, b->first);
        }
        return;
    }
    int mid = (lo + hi) / 2;
    wb_buf_puts(out, "CASE WHEN ");
    put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
    wb_buf_printf(out, " < %lld THEN ", (long long)g->buckets[mid].below);
    put_zipf_buckets(out, g, r, lo, mid);
    wb_buf_puts(out, " ELSE ");
    put_zipf_buckets(out, g, r, mid + 1, hi);
    wb_buf_puts(out, " END");
}

/* The integer units of a number generator. */
static void put_units(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int moves = WB_MOVES(c, r->version);
    switch (g->kind) {
    case WB_GEN_SEQUENCE:
        wb_buf_printf(out, "(%lld + ", (long long)g->start);
        put_index(out, r, g->modulo);
        wb_buf_printf(out, " * %lld", (long long)g->step);
        if (moves)
            wb_buf_printf(out, " + %lld", (long long)g->version_step);
        wb_buf_putc(out, ')');
        return;
    case WB_GEN_UNIFORM:
        wb_buf_printf(out, "(%lld + (", (long long)g->min);
        put_gen_hash(out, g, r);
        if (moves)
            wb_buf_printf(out, " + %lld", (long long)g->shift);
        wb_buf_printf(out, ") %% %lld)", (long long)g->range);
        return;
    case WB_GEN_TIME:
        wb_buf_printf(out, "(%lld + ", (long long)g->min);
        if (moves)
            wb_buf_puts(out, "((");
        if (g->by_hash) {
            wb_buf_putc(out, '(');
            put_gen_hash(out, g, r);
            wb_buf_printf(out, " %% %lld)", (long long)g->range);
        } else {
            put_index(out, r, g->range);
        }
        if (moves)
            wb_buf_printf(out, " + %lld) %% %lld)", (long long)g->shift, (long long)g->range);
        wb_buf_printf(out, " * %lld)", (long long)g->step_units);
        return;
    case WB_GEN_ZIPF:
        if (moves)
            wb_buf_puts(out, "(");
        put_zipf_buckets(out, g, r, 0, g->nbuckets - 1);
        if (moves)
            wb_buf_printf(out, " %% %lld + 1)", (long long)g->max);
        return;
    case WB_GEN_BOOLEAN:
        wb_buf_puts(out, "CASE WHEN ");
        put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
        wb_buf_printf(out, " %% 1000000 %s %lld THEN 1 ELSE 0 END", moves ? ">=" : "<", (long long)g->true_ppm);
        return;
    default:
        put_int(out, 0);
        return;
    }
}

/* The exact decimal text of units of 10^-scale: sign, whole part, point, the
 * digits of the fraction (10^scale + fraction, less its first digit). */
static void put_decimal_text(wb_buf *out, const char *units, int scale, const wb_dialect *d)
{
    const char *text = d->cast_type[WB_TYPE_TEXT];
    if (scale == 0) {
        wb_buf_printf(out, "CAST(%s AS %s)", units, text);
        return;
    }
    char power[32] = "1";
    for (int i = 0; i < scale; i++)
        strcat(power, "0");
    wb_buf_printf(out,
                  "(CASE WHEN %s < 0 THEN '-' ELSE '' END || CAST(abs(%s)%s%s AS %s) || '.' || "
                  "substr(CAST(%s + abs(%s) %% %s AS %s), 2))",
                  units, units, d->int_div_op, power, text, power, units, power, text);
}

/* The value of a number generator in column c's type, from its units: an
 * integer, the decimal text (to be cast), units / 2^m, a time; inside json, its
 * json text. */
static void put_number(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    const wb_dialect_type *dt = &r->d->types[c->sql_type];
    wb_buf units = WB_BUF_INIT;
    put_units(&units, c, r);
    switch (c->type) {
    case WB_TYPE_DECIMAL:
        if (g->scale == 0 && !r->json)
            wb_buf_puts(out, wb_buf_str(&units));
        else
            put_decimal_text(out, wb_buf_str(&units), g->scale, r->d);
        break;
    case WB_TYPE_FLOAT:
        if (r->json) {
            /* units / 2^m is units * 5^m / 10^m */
            wb_buf scaled = WB_BUF_INIT;
            wb_buf_printf(&scaled, "(%s * %lld)", wb_buf_str(&units), (long long)wb_pow5(g->scale));
            put_decimal_text(out, wb_buf_str(&scaled), g->scale, r->d);
            wb_buf_free(&scaled);
        } else {
            char divisor[24];
            snprintf(divisor, sizeof divisor, "%lld", (long long)((int64_t)1 << g->scale));
            wb_buf_printf(out, dt->from_units.open, divisor);
            wb_buf_puts(out, wb_buf_str(&units));
            wb_buf_printf(out, dt->from_units.close, divisor);
        }
        break;
    case WB_TYPE_BOOL:
        wb_buf_printf(out, r->json ? "CASE WHEN %s = 1 THEN 'true' ELSE 'false' END" : "(%s = 1)",
                      wb_buf_str(&units));
        break;
    case WB_TYPE_TIME:
        if (r->json) {
            put_wrap_part(out, "'\"' || ", c);
            put_wrap_part(out, dt->to_text.open, c);
        }
        wb_buf_printf(out, dt->from_units.open, "1");
        wb_buf_puts(out, wb_buf_str(&units));
        wb_buf_printf(out, dt->from_units.close, "1");
        if (r->json) {
            put_wrap_part(out, dt->to_text.close, c);
            wb_buf_puts(out, " || '\"'");
        }
        break;
    default:
        wb_buf_puts(out, r->json ? "CAST(" : "");
        wb_buf_puts(out, wb_buf_str(&units));
        if (r->json)
            wb_buf_printf(out, " AS %s)", r->d->cast_type[WB_TYPE_TEXT]);
        break;
    }
    wb_buf_free(&units);
}

/* A choice: a CASE of the hash over the cumulative weights; version 2 takes the next value. */
static void put_choice(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int moves = WB_MOVES(c, r->version);
    wb_buf_puts(out, "CASE");
    for (int i = 0; i < g->nvalues; i++) {
        const wb_choice_value *v = &g->values[moves ? (i + 1) % g->nvalues : i];
        if (i < g->nvalues - 1) {
            wb_buf_puts(out, " WHEN ");
            put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
            wb_buf_printf(out, " %% %lld < %lld THEN ", (long long)g->total_weight, (long long)g->below[i]);
        } else {
            wb_buf_puts(out, " ELSE ");
        }
        if (c->type == WB_TYPE_TEXT) {
            int first = 1;
            if (v->text.len == 0)
                wb_buf_puts(out, "''");
            put_pieces(out, v->text, r->d, &first, r->json);
        } else if (c->type == WB_TYPE_BOOL) {
            wb_buf_puts(out, r->json ? (v->units ? "'true'" : "'false'") : (v->units ? "(1 = 1)" : "(1 = 0)"));
        } else if (r->json) {
            wb_buf_putc(out, '\'');
            wb_buf_append(out, v->text.s, v->text.len);
            wb_buf_putc(out, '\'');
        } else if (c->type == WB_TYPE_DECIMAL && g->scale > 0) {
            wb_buf_putc(out, '\'');
            wb_buf_append(out, v->text.s, v->text.len); /* the decimal text, to be cast */
            wb_buf_putc(out, '\'');
        } else {
            wb_buf_append(out, v->text.s, v->text.len);
        }
    }
    wb_buf_puts(out, " END");
}

/* source[offset .. offset + length), from its literal (text) or its hex (bytes). */
static void put_slice(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int escape = r->json && g->json_escapes;
    if (escape) {
        /* replace(replace(x, '\\', '\\\\'), '"', '\\"'), the backslashes as chr(92) */
        wb_buf_printf(out, "replace(replace(");
    }
    wb_buf_puts(out, "substr(");
    if (g->kind == WB_GEN_BYTES) {
        static const char hex[] = "0123456789abcdef";
        wb_buf_puts(out, r->d->bytes_from_hex.open);
        for (size_t i = 0; i < g->source.len; i++) {
            unsigned char b = (unsigned char)g->source.s[i];
            wb_buf_putc(out, hex[b >> 4]);
            wb_buf_putc(out, hex[b & 15]);
        }
        wb_buf_puts(out, r->d->bytes_from_hex.close);
    } else {
        wb_sql_text_value(out, g->source.s, g->source.len, r->d);
    }
    /* substr takes integers (PostgreSQL has no substr of bigints) */
    wb_buf_puts(out, ", CAST(1 + (");
    put_hash(out, r, wb_salt(g, WB_SALT_VALUE));
    if (WB_MOVES(c, r->version))
        wb_buf_puts(out, " + 1");
    wb_buf_printf(out, ") %% %lld AS INTEGER), ", (long long)g->block);
    if (g->max_length > g->min_length) {
        wb_buf_printf(out, "CAST(%lld + ", (long long)g->min_length);
        put_hash(out, r, wb_salt(g, WB_SALT_LENGTH));
        wb_buf_printf(out, " %% %lld AS INTEGER)", (long long)(g->max_length - g->min_length + 1));
    } else {
        put_int(out, g->min_length);
    }
    wb_buf_putc(out, ')');
    if (escape) {
        char bs[64];
        snprintf(bs, sizeof bs, r->d->chr_format, 92u); /* a backslash */
        wb_buf_printf(out, ", %s, %s || %s), '\"', %s || '\"')", bs, bs, bs, bs);
    }
}

/* Hex digits of an integer expression. */
static void put_hex(wb_buf *out, const render *r, const char *value, int digits)
{
    wb_buf_printf(out, r->d->hex_digits.open, (long long)digits);
    wb_buf_puts(out, value);
    wb_buf_printf(out, r->d->hex_digits.close, (long long)digits);
}

/* The uuid's text: the hashes of generate.c's put_uuid, in hex. */
static void put_uuid(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int64_t moved = WB_MOVES(c, r->version) ? 1 : 0;
    wb_buf part = WB_BUF_INIT;
    put_hash(&part, r, (wb_salt(g, WB_SALT_VALUE) + moved) % WB_HASH_PRIME);
    put_hex(out, r, wb_buf_str(&part), 8);
    wb_buf_reset(&part);
    wb_buf_puts(&part, "(");
    put_hash(&part, r, (wb_salt(g, WB_SALT_UUID_B) + moved) % WB_HASH_PRIME);
    wb_buf_puts(&part, " % 65536)");
    wb_buf_puts(out, " || '-' || ");
    put_hex(out, r, wb_buf_str(&part), 4);
    wb_buf_reset(&part);
    wb_buf_puts(&part, "(16384 + ");
    put_hash(&part, r, (wb_salt(g, WB_SALT_UUID_C) + moved) % WB_HASH_PRIME);
    wb_buf_puts(&part, " % 4096)");
    wb_buf_puts(out, " || '-' || ");
    put_hex(out, r, wb_buf_str(&part), 4);
    wb_buf_reset(&part);
    wb_buf_printf(&part, "(%lld + ", (long long)(32768 + moved * 8192));
    put_hash(&part, r, wb_salt(g, WB_SALT_UUID_D));
    wb_buf_puts(&part, " % 8192)");
    wb_buf_puts(out, " || '-' || ");
    put_hex(out, r, wb_buf_str(&part), 4);
    wb_buf_reset(&part);
    put_key(&part, r->key_sql, r->d);
    wb_buf_puts(out, " || '-' || ");
    put_hex(out, r, wb_buf_str(&part), 12);
    wb_buf_free(&part);
}

static void put_value(wb_buf *out, const wb_column *c, const render *r);

/* The condition of column c's share of NULLs (wb_null_hit). */
static void put_null_hit(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    wb_buf_puts(out, "(");
    put_hash(out, r, wb_salt(g, WB_SALT_NULLS));
    if (WB_MOVES(c, r->version))
        wb_buf_printf(out, " + %lld", (long long)g->null_ppm);
    wb_buf_printf(out, ") %% 1000000 < %lld", (long long)g->null_ppm);
}

/* A json document: '{"key":' || value || ',"key":' || ... || '}'. */
static void put_json(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int first = 1;
    for (int i = 0; i < g->nfields; i++) {
        const wb_column *f = g->fields[i].col;
        wb_buf piece = WB_BUF_INIT;
        wb_buf_puts(&piece, i ? "," : "{");
        wb_buf_append(&piece, g->fields[i].key_json.s, g->fields[i].key_json.len);
        wb_buf_putc(&piece, ':');
        put_text_pieces(out, (wb_str){wb_buf_str(&piece), piece.len}, r->d, &first);
        wb_buf_free(&piece);
        wb_buf_puts(out, " || ");
        render fr = *r;
        fr.json = 1;
        fr.decoration = f->type == WB_TYPE_TEXT || f->type == WB_TYPE_JSON ? r->decoration : NULL;
        if (f->gen->null_ppm) {
            wb_buf_puts(out, "CASE WHEN ");
            put_null_hit(out, f, &fr);
            wb_buf_puts(out, " THEN 'null' ELSE ");
        }
        int quoted = f->type == WB_TYPE_TEXT || f->type == WB_TYPE_UUID;
        if (quoted)
            wb_buf_puts(out, "'\"' || ");
        put_value(out, f, &fr);
        if (quoted)
            wb_buf_puts(out, " || '\"'");
        if (f->gen->null_ppm)
            wb_buf_puts(out, " END");
    }
    wb_buf_puts(out, first ? "'{}'" : " || '}'");
}

/* The ordinary (or decorated) value of column c in the generators' SQL form of its
 * type (see wb_dialect_type.cast), or inside json its json text. */
static void put_value(wb_buf *out, const wb_column *c, const render *r)
{
    const struct wb_column_gen *g = c->gen;
    int text = c->type == WB_TYPE_TEXT;
    if (text && r->decoration)
        wb_buf_printf(out, "%s || ", r->decoration);
    switch (g->kind) {
    case WB_GEN_KEY: put_key_value(out, g, r->key_sql, r->d); break;
    case WB_GEN_TEXT: {
        /* prefix || number || suffix, the pieces escaped inside json */
        int first = 1;
        wb_str suffix = g->suffix[r->version == 2];
        put_pieces(out, g->prefix, r->d, &first, r->json);
        put_concat(out, &first);
        wb_buf_puts(out, "CAST((");
        put_key(out, r->key_sql, r->d);
        if (g->modulo)
            wb_buf_printf(out, " %% %lld", (long long)g->modulo);
        wb_buf_printf(out, ") AS %s)", r->d->cast_type[WB_TYPE_TEXT]);
        put_pieces(out, suffix, r->d, &first, r->json);
        break;
    }
    case WB_GEN_CENTS:
        if (r->json) {
            /* the exact text of the hundredths: a double would lose 100.00's zeros */
            wb_buf hundredths = WB_BUF_INIT;
            wb_buf_puts(&hundredths, "((");
            put_key(&hundredths, r->key_sql, r->d);
            wb_buf_printf(&hundredths, " * %lld", (long long)g->key_factor);
            if (r->version != 1)
                wb_buf_printf(&hundredths, " + %lld", (long long)((r->version - 1) * g->version_step));
            wb_buf_printf(&hundredths, ") %% %lld)", (long long)g->modulus);
            put_decimal_text(out, wb_buf_str(&hundredths), 2, r->d);
            wb_buf_free(&hundredths);
        } else {
            put_cents(out, g, r->version, r->key_sql, r->d);
        }
        break;
    case WB_GEN_SEQUENCE:
    case WB_GEN_UNIFORM:
    case WB_GEN_ZIPF:
    case WB_GEN_BOOLEAN:
    case WB_GEN_TIME: put_number(out, c, r); break;
    case WB_GEN_CHOICE: put_choice(out, c, r); break;
    case WB_GEN_CHARS:
    case WB_GEN_BYTES: put_slice(out, c, r); break;
    case WB_GEN_UUID: put_uuid(out, c, r); break;
    case WB_GEN_JSON: put_json(out, c, r); break;
    }
}

/* A value of column c (not NULL): the generators' form, cast to the column's type. */
static void put_cast_value(wb_buf *out, const wb_column *c, const render *r, int empty)
{
    const wb_dialect_type *dt = &r->d->types[c->sql_type];
    put_wrap_part(out, dt->cast.open, c);
    if (!empty) {
        put_value(out, c, r);
    } else if (c->type == WB_TYPE_TEXT) {
        wb_buf_puts(out, "''");
    } else if (c->type == WB_TYPE_JSON) {
        wb_buf_puts(out, "'{}'");
    } else if (c->type == WB_TYPE_BYTES) {
        wb_buf_puts(out, r->d->bytes_from_hex.open);
        wb_buf_puts(out, r->d->bytes_from_hex.close);
    } else if (c->type == WB_TYPE_FLOAT) {
        wb_buf_printf(out, dt->from_units.open, "1");
        wb_buf_puts(out, "0");
        wb_buf_printf(out, dt->from_units.close, "1");
    } else {
        wb_buf_puts(out, "0");
    }
    put_wrap_part(out, dt->cast.close, c);
}

/* The decoration of the hostile kind of column c: a CASE of the kind, '' for a
 * kind that decorates nothing; escaped for json inside a json document. */
static void put_decoration(wb_buf *out, const wb_column *c, const render *r)
{
    wb_buf_puts(out, "CASE (");
    put_key(out, r->key_sql, r->d);
    wb_buf_printf(out, "%s%d + %lld) %% %d", r->d->int_div_op, WB_HOSTILE_EVERY, (long long)wb_hostile_shift(c, r->version),
                  WB_HOSTILE_KINDS);
    for (int kind = 0; kind < WB_HOSTILE_KINDS; kind++) {
        if (wb_hostile_effect_of(c, kind) != WB_EFFECT_DECORATE)
            continue;
        wb_buf_printf(out, " WHEN %d THEN ", kind);
        int first = 1;
        put_pieces(out, wb_hostile_kinds[kind].decoration, r->d, &first, c->type == WB_TYPE_JSON);
    }
    wb_buf_puts(out, " ELSE '' END");
}

/* The ordinary value of column c, under its share of NULLs. */
static void put_ordinary(wb_buf *out, const wb_column *c, const render *r)
{
    if (c->gen->null_ppm) {
        wb_buf_puts(out, "CASE WHEN ");
        put_null_hit(out, c, r);
        wb_buf_puts(out, " THEN NULL ELSE ");
    }
    put_cast_value(out, c, r, 0);
    if (c->gen->null_ppm)
        wb_buf_puts(out, " END");
}

/* CASE WHEN K % 10 <> 7 THEN ordinary ELSE CASE kind WHEN (null) THEN NULL WHEN
 * (empty) THEN empty ELSE decoration || plain END END. The share of NULLs is of
 * the ordinary rows: a hostile row carries its hostile value (so that version 2,
 * which moves both, never leaves a row NULL in both). */
static void put_compact(wb_buf *out, const wb_column *c, int version, const char *key_sql, const wb_dialect *d)
{
    const struct wb_column_gen *g = c->gen;
    render r = {key_sql, d, version, NULL, 0};
    if (!g->hostile) {
        put_ordinary(out, c, &r);
        return;
    }
    int decorates = 0, others = 0;
    for (int kind = 0; kind < WB_HOSTILE_KINDS; kind++) {
        wb_hostile_effect e = wb_hostile_effect_of(c, kind);
        decorates |= e == WB_EFFECT_DECORATE;
        others |= e == WB_EFFECT_NULL || e == WB_EFFECT_EMPTY;
    }
    wb_buf_puts(out, "CASE WHEN ");
    put_key(out, key_sql, d);
    wb_buf_printf(out, " %% %d <> %d THEN ", WB_HOSTILE_EVERY, WB_HOSTILE_AT);
    put_ordinary(out, c, &r);
    wb_buf_puts(out, " ELSE ");
    if (others) {
        wb_buf_puts(out, "CASE (");
        put_key(out, key_sql, d);
        wb_buf_printf(out, "%s%d + %lld) %% %d", d->int_div_op, WB_HOSTILE_EVERY, (long long)wb_hostile_shift(c, version),
                      WB_HOSTILE_KINDS);
        for (int kind = 0; kind < WB_HOSTILE_KINDS; kind++) {
            wb_hostile_effect e = wb_hostile_effect_of(c, kind);
            if (e == WB_EFFECT_NULL) {
                wb_buf_printf(out, " WHEN %d THEN NULL", kind);
            } else if (e == WB_EFFECT_EMPTY) {
                wb_buf_printf(out, " WHEN %d THEN ", kind);
                put_cast_value(out, c, &r, 1);
            }
        }
        wb_buf_puts(out, " ELSE ");
    }
    wb_buf decoration = WB_BUF_INIT;
    if (decorates) {
        put_decoration(&decoration, c, &r);
        r.decoration = wb_buf_str(&decoration);
    }
    put_cast_value(out, c, &r, 0);
    wb_buf_free(&decoration);
    wb_buf_puts(out, others ? " END END" : " END");
}

/* Whether column c keeps the rendering its kind always had: a legacy kind in one of
 * the four first types, without a share of NULLs. */
static int legacy_form(const wb_column *c)
{
    return wb_gen_legacy(c->gen) && !c->gen->null_ppm &&
           (c->sql_type == WB_SQL_BIGINT || c->sql_type == WB_SQL_TEXT || c->sql_type == WB_SQL_VARCHAR ||
            c->sql_type == WB_SQL_NUMERIC);
}

void wb_column_sql(const wb_table *t, int col, int version, const char *key_sql,
                   const wb_dialect *d, wb_buf *out)
{
    const wb_column *c = &t->columns[col];
    if (legacy_form(c))
        put_legacy(out, c, version, key_sql, d);
    else
        put_compact(out, c, version, key_sql, d);
}

void wb_column_compare_part(const wb_column *c, const wb_dialect *d, int open, wb_buf *out)
{
    const wb_sql_wrap *w = &d->types[c->sql_type].compare;
    put_wrap_part(out, open ? w->open : w->close, c);
}
