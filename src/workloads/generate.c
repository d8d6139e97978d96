/* The C rendering of the column definitions (gen_internal.h): wb_row_make, called
 * once per row in the hot loops of every client strategy, so it allocates
 * nothing and formats numbers by hand instead of through printf. */
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

/* Test-only (wb_column_gen.test_perturb): change the value made in start..end so that
 * it no longer agrees with the SQL definition: a text gets one more character, a
 * number one more unit. Returns the new end. */
static char *perturb(wb_value *v, char *start, char *end)
{
    switch (v->type) {
    case WB_TYPE_TEXT: *end++ = '!'; return end;
    case WB_TYPE_INT64: v->i64++; return start + wb_format_int64(v->i64, start);
    case WB_TYPE_DECIMAL: v->i64++; return start + wb_format_cents(v->i64, start);
    }
    return end;
}

/* The ordinary price in hundredths. */
static int64_t plain_cents(const struct wb_column_gen *g, int64_t key, int version)
{
    return (key * g->key_factor + (version - 1) * g->version_step) % g->modulus;
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
    out->ncolumns = t->ncolumns;
    for (int i = 0; i < t->ncolumns; i++) {
        const wb_column *c = &t->columns[i];
        const struct wb_column_gen *g = c->gen;
        wb_value *v = &out->v[i];
        int kind = wb_hostile_kind_of(c, key, version);
        wb_hostile_effect effect = kind < 0 ? WB_EFFECT_PLAIN : wb_hostile_effect_of(c, kind);

        v->type = c->type;
        v->i64 = 0;
        if (effect == WB_EFFECT_NULL) {
            v->is_null = 1;
            v->text = NULL;
            v->len = 0;
            continue;
        }
        v->is_null = 0;
        v->text = p;
        char *start = p;
        switch (g->kind) {
        case WB_GEN_KEY:
            v->i64 = wb_parent_key(g, key);
            if (g->parent_row == WB_PARENT_SAME)
                p = put(p, key_text);
            else
                p += wb_format_int64(v->i64, p);
            break;
        case WB_GEN_TEXT:
            if (effect == WB_EFFECT_DECORATE)
                p = put(p, wb_hostile_kinds[kind].decoration);
            if (effect != WB_EFFECT_EMPTY)
                p = put_plain_text(p, g, key, key_text, version);
            break;
        case WB_GEN_CENTS:
            v->i64 = effect == WB_EFFECT_EMPTY ? 0 : plain_cents(g, key, version);
            p += wb_format_cents(v->i64, p);
            break;
        }
        if (g->test_perturb)
            p = perturb(v, start, p);
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
