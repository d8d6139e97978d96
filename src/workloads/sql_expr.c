/* The SQL rendering of the column definitions (gen_internal.h): wb_column_sql
 * writes the value of a column as an expression of the key, for the verifier's
 * one-query check and for server-generate. It must give exactly what
 * wb_row_make gives (generate.c), hostile rows included.
 *
 * Every difference between the backends' SQL comes from the dialect: the key's
 * cast (PostgreSQL: bigint, exact integer arithmetic whatever the key
 * expression's type), the exact decimal (PostgreSQL: numeric; SQLite divides by
 * 100.0, which yields the same double SQLite stores for the text '123.45' in a
 * NUMERIC column), string concatenation (|| or CONCAT()), the integer quotient
 * (/ or DIV) and the cast of a number to text. Control characters and
 * backslashes are written as the dialect's character function (char(n), chr(n)),
 * so the literals never depend on escaping rules (standard_conforming_strings,
 * MariaDB's backslash escapes and NO_BACKSLASH_ESCAPES); multi-byte UTF-8 stays
 * literal text. */
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

/* A concatenation being written: the dialect's opening before the first piece, its
 * operator between pieces, its closing after the last (concat_end). */
typedef struct concat {
    wb_buf *out;
    const wb_dialect *d;
    int pieces;
} concat;

/* Start the next piece. */
static void concat_next(concat *c)
{
    wb_buf_puts(c->out, c->pieces++ ? c->d->concat_op : wb_dialect_text(c->d->concat_open));
}

/* Close the concatenation, if any piece was written. */
static void concat_end(concat *c)
{
    if (c->pieces)
        wb_buf_puts(c->out, wb_dialect_text(c->d->concat_close));
}

/* Append the pieces of s to a concatenation: literals with ' doubled, and the
 * dialect's character function for control characters and backslashes. Empty s
 * appends nothing. */
static void put_text_pieces(concat *c, wb_str s)
{
    size_t i = 0;
    while (i < s.len) {
        concat_next(c);
        unsigned char ch = (unsigned char)s.s[i];
        if (needs_chr(ch)) {
            wb_buf_printf(c->out, c->d->chr_format, ch);
            i++;
            continue;
        }
        wb_buf_putc(c->out, '\'');
        for (; i < s.len && !needs_chr((unsigned char)s.s[i]); i++) {
            if (s.s[i] == '\'')
                wb_buf_putc(c->out, '\'');
            wb_buf_putc(c->out, s.s[i]);
        }
        wb_buf_putc(c->out, '\'');
    }
}

void wb_sql_text_value(wb_buf *out, const char *text, size_t len, const wb_dialect *d)
{
    if (len == 0) {
        wb_buf_puts(out, "''");
        return;
    }
    concat c = {out, d, 0};
    put_text_pieces(&c, (wb_str){text, len});
    concat_end(&c);
}

/* The ordinary text value: prefix || number || suffix, optionally decorated. */
static void put_text(wb_buf *out, const struct wb_column_gen *g, wb_str decoration, int version,
                     const char *key_sql, const wb_dialect *d)
{
    concat c = {out, d, 0};
    wb_str suffix = g->suffix[version == 2];
    /* a lone number would be an integer, not text */
    int number_alone = decoration.len + g->prefix.len + suffix.len == 0;
    put_text_pieces(&c, decoration);
    put_text_pieces(&c, g->prefix);
    concat_next(&c);
    wb_buf_puts(out, number_alone ? "CAST((" : "(");
    put_key(out, key_sql, d);
    if (g->modulo)
        wb_buf_printf(out, " %% %lld", (long long)g->modulo);
    if (number_alone)
        wb_buf_printf(out, ") AS %s)", d->cast_type[WB_TYPE_TEXT]);
    else
        wb_buf_putc(out, ')');
    put_text_pieces(&c, suffix);
    concat_end(&c);
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
        /* keys are positive, so % and the integer quotient of C and of every dialect agree */
        wb_buf_puts(out, "((");
        put_key(out, key_sql, d);
        wb_buf_printf(out, " - 1)%s%lld + 1)", g->parent_row == WB_PARENT_MODULO ? " % " : d->int_div_op,
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
