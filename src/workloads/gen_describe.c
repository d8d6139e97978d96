/* How a column's values are made, in words and formulas for people
 * (wb_column_describe: `workload show`, and the foreign keys `run` names when it
 * refuses --threads): one line per generator kind, from the same definition
 * (gen_internal.h) that generate.c and sql_expr.c render. */
#include <string.h>

#include "util/display.h"
#include "workloads/gen_internal.h"

/* Append s as a quoted, visible string ('tab\t'). */
static void put_shown(wb_buf *out, wb_str s)
{
    wb_display_text(out, s.s, s.len);
}

/* Append units as the column's value: "12.50", "0.75", "2024-01-01". */
static void put_value(const wb_column *c, int64_t units, wb_buf *out)
{
    char text[64];
    size_t n;
    if (c->type == WB_TYPE_DECIMAL)
        n = wb_format_scaled(units, c->gen->scale, text);
    else if (c->type == WB_TYPE_FLOAT)
        n = wb_format_scaled(units * wb_pow5(c->gen->scale), c->gen->scale, text);
    else if (c->type == WB_TYPE_TIME)
        n = wb_format_time(c->sql_type, units, text);
    else
        n = wb_format_int64(units, text);
    wb_buf_append(out, text, n);
}

static void describe_kind(const wb_column *c, wb_buf *out)
{
    const struct wb_column_gen *g = c->gen;
    switch (g->kind) {
    case WB_GEN_KEY:
        if (g->parent_row == WB_PARENT_SAME)
            wb_buf_puts(out, g->parent_keys_from_zero ? "k - 1" : "k");
        else
            wb_buf_printf(out, "(k - 1) %c %lld%s", g->parent_row == WB_PARENT_MODULO ? '%' : '/',
                          (long long)g->parent_n, g->parent_keys_from_zero ? "" : " + 1");
        return;
    case WB_GEN_TEXT:
        put_shown(out, g->prefix);
        wb_buf_puts(out, g->modulo ? " || (k % " : " || k || ");
        if (g->modulo)
            wb_buf_printf(out, "%lld) || ", (long long)g->modulo);
        put_shown(out, g->suffix[0]);
        if (c->updated) {
            wb_buf_puts(out, " (version 2: suffix ");
            put_shown(out, g->suffix[1]);
            wb_buf_putc(out, ')');
        }
        return;
    case WB_GEN_CENTS:
        wb_buf_printf(out, "((k * %lld", (long long)g->key_factor);
        if (c->updated)
            wb_buf_printf(out, " + (v - 1) * %lld", (long long)g->version_step);
        wb_buf_printf(out, ") %% %lld) / 100", (long long)g->modulus);
        return;
    case WB_GEN_SEQUENCE:
        wb_buf_puts(out, "sequence ");
        put_value(c, g->start, out);
        wb_buf_puts(out, g->modulo ? " + ((k - 1) % " : " + (k - 1)");
        if (g->modulo)
            wb_buf_printf(out, "%lld)", (long long)g->modulo);
        wb_buf_puts(out, " * ");
        put_value(c, g->step, out);
        if (c->updated) {
            wb_buf_puts(out, ", version 2 + ");
            put_value(c, g->version_step, out);
        }
        return;
    case WB_GEN_UNIFORM:
        wb_buf_puts(out, "uniform over ");
        put_value(c, g->min, out);
        wb_buf_puts(out, "..");
        put_value(c, g->min + g->range - 1, out);
        if (c->type == WB_TYPE_FLOAT)
            wb_buf_printf(out, " in steps of 2^-%d", g->scale);
        wb_buf_puts(out, " by a hash of k");
        if (c->updated)
            wb_buf_printf(out, ", version 2 shifted by %lld steps", (long long)g->shift);
        return;
    case WB_GEN_ZIPF:
        wb_buf_printf(out, "zipf-like over 1..%lld by a hash of k (%d buckets)", (long long)g->max, g->nbuckets);
        if (c->updated)
            wb_buf_puts(out, ", version 2 the next rank");
        return;
    case WB_GEN_CHOICE:
        wb_buf_printf(out, "one of %d values (", g->nvalues);
        for (int i = 0; i < g->nvalues && i < 5; i++) {
            if (i)
                wb_buf_puts(out, ", ");
            if (c->type == WB_TYPE_TEXT)
                put_shown(out, g->values[i].text);
            else
                wb_buf_append(out, g->values[i].text.s, g->values[i].text.len);
        }
        wb_buf_puts(out, g->nvalues > 5 ? ", ...) by weight" : ") by weight");
        if (c->updated)
            wb_buf_puts(out, ", version 2 the next one");
        return;
    case WB_GEN_BOOLEAN:
        wb_buf_printf(out, "true for %lld in a million keys", (long long)g->true_ppm);
        if (c->updated)
            wb_buf_puts(out, ", version 2 the other");
        return;
    case WB_GEN_CHARS:
    case WB_GEN_BYTES:
        wb_buf_printf(out, "%s of %lld..%lld %s", g->kind == WB_GEN_CHARS ? "text" : "bytes",
                      (long long)g->min_length, (long long)g->max_length,
                      g->kind == WB_GEN_CHARS ? "characters" : "bytes");
        if (g->kind == WB_GEN_CHARS) {
            wb_buf_puts(out, " of ");
            put_shown(out, (wb_str){g->source.s, (size_t)g->block});
        }
        if (c->updated)
            wb_buf_puts(out, ", version 2 from the next offset");
        return;
    case WB_GEN_TIME:
        put_value(c, g->min, out);
        wb_buf_puts(out, " + ");
        wb_buf_puts(out, g->by_hash ? "(a hash of k" : "((k - 1)");
        wb_buf_printf(out, " %% %lld) * %lld %s", (long long)g->range, (long long)g->step_units,
                      c->sql_type == WB_SQL_DATE ? "days" : "s");
        if (c->updated)
            wb_buf_printf(out, ", version 2 %lld steps on", (long long)g->shift);
        return;
    case WB_GEN_UUID: wb_buf_puts(out, "uuid from hashes of k and v, k in its last 12 digits"); return;
    case WB_GEN_JSON:
        wb_buf_puts(out, "{");
        for (int i = 0; i < g->nfields; i++) {
            const wb_column *f = g->fields[i].col;
            const char *dot = strrchr(f->name, '.'); /* the field's key: payload.note is note */
            wb_buf_printf(out, "%s%s (%s): ", i ? ", " : "", dot ? dot + 1 : f->name, f->type_name);
            describe_kind(f, out);
            if (f->gen->null_ppm)
                wb_buf_printf(out, ", NULL for %lld in a million", (long long)f->gen->null_ppm);
        }
        wb_buf_puts(out, "}");
        return;
    }
}

void wb_column_describe(const wb_column *c, wb_buf *out)
{
    const struct wb_column_gen *g = c->gen;
    describe_kind(c, out);
    if (g->null_ppm)
        wb_buf_printf(out, "; NULL for %lld in a million keys", (long long)g->null_ppm);
    if (g->hostile)
        wb_buf_printf(out, "; hostile rows, offset %lld", (long long)g->hostile_offset);
}
