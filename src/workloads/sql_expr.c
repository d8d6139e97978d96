/* The SQL rendering of the column definitions (gen_internal.h): wb_column_sql
 * writes the value of a column as an expression of the key, for the verifier's
 * one-query check and for server-generate. It must give exactly what
 * wb_row_make gives (generate.c), hostile rows included.
 *
 * Dialect differences: PostgreSQL gets the key cast to bigint (exact integer
 * arithmetic whatever the key expression's type) and prices as numeric (exact);
 * SQLite divides by 100.0, which yields the same double SQLite stores for the
 * text '123.45' in a NUMERIC column. Control characters and backslashes are
 * written as char(n) / chr(n), so the literals never depend on escaping rules
 * (standard_conforming_strings); multi-byte UTF-8 stays literal text. */
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
            wb_buf_printf(out, "%s(%u)", d->chr_function, ch);
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
    wb_buf_puts(out, number_alone ? ") AS TEXT)" : ")");
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

/* A key column's value: the row's own key, or the key of the parent row it references. */
static void put_key_value(wb_buf *out, const struct wb_column_gen *g, const char *key_sql, const wb_dialect *d)
{
    switch (g->parent_row) {
    case WB_PARENT_SAME:
        put_key(out, key_sql, d);
        return;
    case WB_PARENT_MODULO:
    case WB_PARENT_GROUP:
        /* keys are positive, so % and / of C and of both SQL dialects agree */
        wb_buf_puts(out, "((");
        put_key(out, key_sql, d);
        wb_buf_printf(out, " - 1) %c %lld + 1)", g->parent_row == WB_PARENT_MODULO ? '%' : '/',
                      (long long)g->parent_n);
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

void wb_column_sql(const wb_table *t, int col, int version, const char *key_sql,
                   const wb_dialect *d, wb_buf *out)
{
    const wb_column *c = &t->columns[col];
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
    wb_buf_printf(out, " / %d + %lld) %% %d", WB_HOSTILE_EVERY,
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
