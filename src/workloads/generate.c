/* The C rendering of the column definitions (gen_internal.h): wb_row_make, called
 * once per row in the hot loops of every client strategy, so it allocates
 * nothing (once a row's memory is reserved) and formats numbers by hand instead
 * of through printf. Each generator kind makes its ordinary value; the column's
 * type turns units into the value's canonical text; hostile rows and the share
 * of NULLs replace some values; json documents are their fields' values, each
 * made like a column's. */
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_internal.h"

/* "00".."99": two digits per division, since the digit loop is most of wb_row_make's time */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t wb_format_int64(int64_t v, char *out)
{
    char digits[20];
    char *end = digits + sizeof digits, *p = end;
    /* through uint64_t so that INT64_MIN has a magnitude */
    uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (magnitude >= 100) {
        const char *pair = digit_pairs + 2 * (magnitude % 100);
        magnitude /= 100;
        *--p = pair[1];
        *--p = pair[0];
    }
    if (magnitude >= 10) {
        *--p = digit_pairs[2 * magnitude + 1];
        *--p = digit_pairs[2 * magnitude];
    } else {
        *--p = (char)('0' + magnitude);
    }
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    memcpy(out + len, p, (size_t)(end - p));
    return len + (size_t)(end - p);
}

size_t wb_format_cents(int64_t cents, char *out)
{
    uint64_t magnitude = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    size_t len = 0;
    if (cents < 0)
        out[len++] = '-';
    len += wb_format_int64((int64_t)(magnitude / 100), out + len);
    out[len++] = '.';
    out[len++] = (char)('0' + magnitude % 100 / 10);
    out[len++] = (char)('0' + magnitude % 10);
    return len;
}

size_t wb_format_scaled(int64_t units, int scale, char *out)
{
    if (scale == 0)
        return wb_format_int64(units, out);
    char digits[64];
    uint64_t magnitude = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    size_t n = wb_format_int64((int64_t)magnitude, digits);
    if (units == INT64_MIN)
        n = 19, memcpy(digits, "9223372036854775808", 19);
    size_t len = 0;
    if (units < 0)
        out[len++] = '-';
    /* at least one digit before the point: 0.05 */
    size_t whole = n > (size_t)scale ? n - (size_t)scale : 0;
    if (whole == 0)
        out[len++] = '0';
    else
        memcpy(out + len, digits, whole), len += whole;
    out[len++] = '.';
    for (size_t i = n; i < (size_t)scale; i++)
        out[len++] = '0';
    memcpy(out + len, digits + whole, n - whole);
    return len + n - whole;
}

int64_t wb_pow5(int n)
{
    int64_t v = 1;
    while (n-- > 0)
        v *= 5;
    return v;
}

/* ---- json text ---- */

/* The escape letter of the bytes JSON writes as a backslash and a letter (0: none). */
static const char json_letters[256] = {['"'] = '"', ['\\'] = '\\', ['\b'] = 'b', ['\f'] = 'f',
                                       ['\n'] = 'n',  ['\r'] = 'r',   ['\t'] = 't'};

size_t wb_json_escaped_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        n += json_letters[ch] ? 2 : ch < 0x20 ? 6 : 1;
    }
    return n;
}

char *wb_json_escape(char *p, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (json_letters[ch]) {
            *p++ = '\\';
            *p++ = json_letters[ch];
        } else if (ch < 0x20) {
            memcpy(p, "\\u00", 4);
            p[4] = hex[ch >> 4];
            p[5] = hex[ch & 15];
            p += 6;
        } else {
            *p++ = (char)ch;
        }
    }
    return p;
}

/* Escape start..end in place, growing it to the right (the row has the room: the
 * loader counts every json string at its escaped length). Returns the new end. */
static char *json_escape_in_place(char *start, char *end)
{
    size_t len = (size_t)(end - start), escaped = wb_json_escaped_len(start, len);
    if (escaped == len)
        return end;
    /* from the back, where nothing unread is overwritten: each byte moves right */
    char *out = start + escaped;
    for (char *in = end; in > start;) {
        unsigned char ch = (unsigned char)*--in;
        char one[6];
        char *e = wb_json_escape(one, (const char *)&ch, 1);
        size_t n = (size_t)(e - one);
        out -= n;
        memmove(out, one, n);
    }
    return start + escaped;
}

/* ---- pieces ---- */

/* Copy s to p; returns the end. */
static char *put(char *p, wb_str s)
{
    memcpy(p, s.s, s.len);
    return p + s.len;
}

/* The ordinary text value: prefix || number || suffix; key_text is the key in decimal. */
static char *put_plain_text(char *p, const struct wb_column_gen *g, int64_t key, wb_str key_text,
                            int version)
{
    p = put(p, g->prefix);
    if (g->modulo)
        p += wb_format_int64(key % g->modulo, p);
    else
        p = put(p, key_text);
    return put(p, g->suffix[version == 2]);
}

/* The ordinary price in hundredths. */
static int64_t plain_cents(const struct wb_column_gen *g, int64_t key, int version)
{
    return (key * g->key_factor + (version - 1) * g->version_step) % g->modulus;
}

/* n lower-case hex digits of v. */
static char *put_hex(char *p, uint64_t v, int n)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = n - 1; i >= 0; i--) {
        p[i] = hex[v & 15];
        v >>= 4;
    }
    return p + n;
}

/* Write units as a value of column c's type: its fields in v, its canonical text at p. */
static char *put_units(const wb_column *c, int64_t units, wb_value *v, char *p)
{
    v->i64 = units;
    switch (c->type) {
    case WB_TYPE_DECIMAL: return p + wb_format_scaled(units, v->scale, p);
    case WB_TYPE_FLOAT:
        /* units / 2^m = units * 5^m / 10^m: an exact decimal of m places */
        v->f64 = (double)units / (double)((int64_t)1 << v->scale);
        return p + wb_format_scaled(units * wb_pow5(v->scale), v->scale, p);
    case WB_TYPE_BOOL: return put(p, units ? (wb_str)WB_STR("true") : (wb_str)WB_STR("false"));
    case WB_TYPE_TIME: return p + wb_format_time(c->sql_type, units, p);
    default: return p + wb_format_int64(units, p);
    }
}

/* ---- the generators' ordinary values ---- */

static int64_t sequence_units(const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t index = g->modulo ? (key - 1) % g->modulo : key - 1;
    return g->start + index * g->step + (WB_MOVES(c, version) ? g->version_step : 0);
}

static int64_t uniform_units(const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    return g->min + (wb_gen_hash(g, key) + (WB_MOVES(c, version) ? g->shift : 0)) % g->range;
}

static int64_t zipf_rank(const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t h = wb_hash(key, wb_salt(g, WB_SALT_VALUE));
    int b = 0;
    while (b < g->nbuckets - 1 && h >= g->buckets[b].below)
        b++;
    const wb_zipf_bucket *bucket = &g->buckets[b];
    int64_t rank = bucket->first + (bucket->size > 1 ? wb_hash(key, wb_salt(g, WB_SALT_VALUE2)) % bucket->size : 0);
    return WB_MOVES(c, version) ? rank % g->max + 1 : rank;
}

static int choice_index(const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t h = wb_hash(key, wb_salt(g, WB_SALT_VALUE)) % g->total_weight;
    int i = 0;
    while (i < g->nvalues - 1 && h >= g->below[i])
        i++;
    return WB_MOVES(c, version) ? (i + 1) % g->nvalues : i;
}

static int64_t time_units(const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t index = (g->by_hash ? wb_gen_hash(g, key) : key - 1) % g->range;
    if (WB_MOVES(c, version))
        index = (index + g->shift) % g->range;
    return g->min + index * g->step_units;
}

/* source[offset .. offset + length): text or bytes */
static char *put_slice(char *p, const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t length = g->min_length;
    if (g->max_length > g->min_length)
        length += wb_hash(key, wb_salt(g, WB_SALT_LENGTH)) % (g->max_length - g->min_length + 1);
    int64_t offset = (wb_hash(key, wb_salt(g, WB_SALT_VALUE)) + (WB_MOVES(c, version) ? 1 : 0)) % g->block;
    memcpy(p, g->source.s + offset, (size_t)length);
    return p + length;
}

/* xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: three hashes, version 4, the variant with the
 * version's bit (so the versions never give one key the same uuid), and the key */
static char *put_uuid(char *p, const wb_column *c, int64_t key, int version)
{
    const struct wb_column_gen *g = c->gen;
    int64_t moved = WB_MOVES(c, version) ? 1 : 0;
    uint64_t a = (uint64_t)wb_hash(key, (wb_salt(g, WB_SALT_VALUE) + moved) % WB_HASH_PRIME);
    uint64_t b = (uint64_t)(wb_hash(key, (wb_salt(g, WB_SALT_UUID_B) + moved) % WB_HASH_PRIME) % 65536);
    uint64_t cc = 16384 + (uint64_t)(wb_hash(key, (wb_salt(g, WB_SALT_UUID_C) + moved) % WB_HASH_PRIME) % 4096);
    uint64_t d = 32768 + (uint64_t)moved * 8192 + (uint64_t)(wb_hash(key, wb_salt(g, WB_SALT_UUID_D)) % 8192);
    p = put_hex(p, a, 8);
    *p++ = '-';
    p = put_hex(p, b, 4);
    *p++ = '-';
    p = put_hex(p, cc, 4);
    *p++ = '-';
    p = put_hex(p, d, 4);
    *p++ = '-';
    return put_hex(p, (uint64_t)key, 12);
}

static char *put_value(const wb_column *c, int64_t key, wb_str key_text, int version, wb_str decoration,
                       wb_value *v, char *p);

/* A json document: every field's value in its json form, hostile decorations in
 * its strings. */
static char *put_json(const wb_column *c, int64_t key, wb_str key_text, int version, wb_str decoration, char *p)
{
    const struct wb_column_gen *g = c->gen;
    *p++ = '{';
    for (int i = 0; i < g->nfields; i++) {
        const wb_column *f = g->fields[i].col;
        if (i)
            *p++ = ',';
        p = put(p, g->fields[i].key_json);
        *p++ = ':';
        if (wb_null_hit(f, key, version)) {
            p = put(p, (wb_str)WB_STR("null"));
            continue;
        }
        wb_value fv = {.type = f->type, .scale = f->gen->scale};
        int quoted = f->type == WB_TYPE_TEXT || f->type == WB_TYPE_TIME || f->type == WB_TYPE_UUID;
        if (!quoted) {
            p = put_value(f, key, key_text, version, decoration, &fv, p);
            continue;
        }
        *p++ = '"';
        char *start = p;
        p = put_value(f, key, key_text, version, f->type == WB_TYPE_TEXT ? decoration : (wb_str){"", 0}, &fv, p);
        p = json_escape_in_place(start, p);
        *p++ = '"';
    }
    *p++ = '}';
    return p;
}

/* The value of column c that is not NULL and not empty (decorated, for text). */
static char *put_value(const wb_column *c, int64_t key, wb_str key_text, int version, wb_str decoration,
                       wb_value *v, char *p)
{
    const struct wb_column_gen *g = c->gen;
    if (c->type == WB_TYPE_TEXT)
        p = put(p, decoration);
    switch (g->kind) {
    case WB_GEN_KEY:
        v->i64 = wb_parent_key(g, key);
        if (g->parent_row == WB_PARENT_SAME && !g->parent_keys_from_zero)
            return put(p, key_text);
        return p + wb_format_int64(v->i64, p);
    case WB_GEN_TEXT: return put_plain_text(p, g, key, key_text, version);
    case WB_GEN_CENTS:
        v->i64 = plain_cents(g, key, version);
        return p + wb_format_cents(v->i64, p);
    case WB_GEN_SEQUENCE: return put_units(c, sequence_units(c, key, version), v, p);
    case WB_GEN_UNIFORM: return put_units(c, uniform_units(c, key, version), v, p);
    case WB_GEN_ZIPF: return put_units(c, zipf_rank(c, key, version), v, p);
    case WB_GEN_CHOICE: {
        const wb_choice_value *chosen = &g->values[choice_index(c, key, version)];
        v->i64 = chosen->units;
        return put(p, chosen->text);
    }
    case WB_GEN_BOOLEAN: {
        int yes = wb_hash(key, wb_salt(g, WB_SALT_VALUE)) % 1000000 < g->true_ppm;
        return put_units(c, WB_MOVES(c, version) ? !yes : yes, v, p);
    }
    case WB_GEN_CHARS:
    case WB_GEN_BYTES: return put_slice(p, c, key, version);
    case WB_GEN_TIME: return put_units(c, time_units(c, key, version), v, p);
    case WB_GEN_UUID: return put_uuid(p, c, key, version);
    case WB_GEN_JSON: return put_json(c, key, key_text, version, decoration, p);
    }
    return p;
}

/* Hostile kind "empty": '' for text, zero for numbers, {} for json, no bytes. */
static char *put_empty(const wb_column *c, wb_value *v, char *p)
{
    switch (c->type) {
    case WB_TYPE_TEXT:
    case WB_TYPE_BYTES: return p;
    case WB_TYPE_JSON: return put(p, (wb_str)WB_STR("{}"));
    default: return put_units(c, 0, v, p);
    }
}

/* char(n): blank-padded to n characters, as the database stores it. */
static char *pad_chars(const wb_column *c, char *start, char *end)
{
    int64_t chars = 0;
    for (const char *q = start; q < end; q++)
        chars += ((unsigned char)*q & 0xc0) != 0x80;
    for (; chars < c->type_length; chars++)
        *end++ = ' ';
    return end;
}

/* Test-only (wb_column_gen.test_perturb): change the value made in start..end so that
 * it no longer agrees with the SQL definition, and stays a value of its type: a text
 * gets one more character (or, in a char(n), another last one), a number one more
 * unit, a boolean the other, a uuid another last digit, a json document one more
 * field, bytes one more byte. Returns the new end. */
static char *perturb(const wb_column *c, wb_value *v, char *start, char *end)
{
    switch (v->type) {
    case WB_TYPE_TEXT:
        if (c->sql_type == WB_SQL_CHAR && end > start) {
            end[-1] = end[-1] == '!' ? '?' : '!';
            return end;
        }
        *end++ = '!';
        return end;
    case WB_TYPE_BYTES: *end++ = '!'; return end;
    case WB_TYPE_INT64: v->i64++; return start + wb_format_int64(v->i64, start);
    case WB_TYPE_DECIMAL:
    case WB_TYPE_FLOAT:
    case WB_TYPE_TIME: return put_units(c, v->i64 + 1, v, start);
    case WB_TYPE_BOOL: return put_units(c, !v->i64, v, start);
    case WB_TYPE_UUID: end[-1] = end[-1] == 'f' ? 'e' : end[-1] == '9' ? 'a' : (char)(end[-1] + 1); return end;
    case WB_TYPE_JSON:
        if (end - start == 2) /* {} */
            end--;
        else
            end[-1] = ',';
        memcpy(end, "\"!\":0}", 6);
        return end + 6;
    case WB_TYPE_COUNT: break;
    }
    return end;
}

/* Make room in r for ncolumns values and text_bytes bytes of text. */
static void row_reserve(wb_row *r, int ncolumns, size_t text_bytes)
{
    if (ncolumns > r->columns_cap) {
        r->v = wb_xrealloc(r->v, (size_t)ncolumns * sizeof *r->v);
        r->columns_cap = ncolumns;
    }
    if (text_bytes > r->text_cap) {
        /* nothing to keep: the row is filled anew */
        free(r->text);
        r->text = wb_xmalloc(text_bytes);
        r->text_cap = text_bytes;
    }
}

void wb_row_free(wb_row *r)
{
    if (!r)
        return;
    free(r->v);
    free(r->text);
    *r = (wb_row)WB_ROW_INIT;
}

void wb_row_make(const wb_table *t, int64_t key, int version, wb_row *out)
{
    row_reserve(out, t->ncolumns, t->row_text_bytes);
    char *p = out->text;
    /* the key in decimal, once: most columns of a row contain it */
    char key_digits[21];
    wb_str key_text = {key_digits, wb_format_int64(key, key_digits)};
    static const wb_str no_decoration = WB_STR("");
    out->ncolumns = t->ncolumns;
    for (int i = 0; i < t->ncolumns; i++) {
        const wb_column *c = &t->columns[i];
        const struct wb_column_gen *g = c->gen;
        wb_value *v = &out->v[i];
        int kind = wb_hostile_kind_of(c, key, version);
        wb_hostile_effect effect = kind < 0 ? WB_EFFECT_PLAIN : wb_hostile_effect_of(c, kind);

        v->type = c->type;
        v->sql_type = c->sql_type;
        v->i64 = 0;
        v->f64 = 0;
        v->scale = g->scale;
        /* the share of NULLs is of the ordinary rows: a hostile row has its hostile value */
        if (effect == WB_EFFECT_NULL || (kind < 0 && wb_null_hit(c, key, version))) {
            v->is_null = 1;
            v->text = NULL;
            v->len = 0;
            continue;
        }
        v->is_null = 0;
        v->text = p;
        char *start = p;
        if (effect == WB_EFFECT_EMPTY)
            p = put_empty(c, v, p);
        else
            p = put_value(c, key, key_text, version,
                          effect == WB_EFFECT_DECORATE ? wb_hostile_kinds[kind].decoration : no_decoration, v, p);
        if (c->sql_type == WB_SQL_CHAR)
            p = pad_chars(c, start, p);
        if (g->test_perturb)
            p = perturb(c, v, start, p);
        v->len = (size_t)(p - v->text);
        *p++ = '\0';
    }
    out->text_len = (size_t)(p - out->text);
}

void wb_row_copy(wb_row *dst, const wb_row *src)
{
    row_reserve(dst, src->ncolumns, src->text_len);
    dst->ncolumns = src->ncolumns;
    dst->text_len = src->text_len;
    if (src->text_len)
        memcpy(dst->text, src->text, src->text_len);
    for (int i = 0; i < src->ncolumns; i++) {
        dst->v[i] = src->v[i];
        if (src->v[i].text)
            dst->v[i].text = dst->text + (src->v[i].text - src->text);
    }
}
