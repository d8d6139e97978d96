/* `workload init`: the rules that choose a column's generator from its type, its
 * name and its constraints (docs/WORKLOADS.md, "How init chooses generators").
 *
 * One table, read top to bottom: the first rule whose types, facts and name
 * pattern fit the column, and whose builder can make the generator (a pattern
 * must fit its varchar(n)), wins. A new rule is one line in rules[] and, when it
 * makes something new, one builder. The docs' table is this table: the unit test
 * holds every rule's row to docs/WORKLOADS.md. */
#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_internal.h"
#include "workloads/init_internal.h"

/* What a column must have (or must not have) for a rule. */
enum {
    F_FK = 1u << 0,      /* a kept foreign key */
    F_ENUM = 1u << 1,    /* an enum type's labels */
    F_COMMON = 1u << 2,  /* the most common values (--copy-common-values) */
    F_CHOICE = 1u << 3,  /* a CHECK that lists its values */
    F_RANGE = 1u << 4,   /* a CHECK that bounds it */
    F_UNIQUE = 1u << 5,  /* alone in a unique index or constraint */
    F_REPEATS = 1u << 6, /* statistics: few distinct values (n_distinct) */
};

struct rule;
/* Make c's generator; 0 when it cannot after all (the next rule is tried). */
typedef int (*builder)(init_column *c, const struct rule *r);

typedef struct rule {
    unsigned classes;      /* IC_BIT()s: the column's type must be one of these */
    unsigned needs;        /* F_*: facts it must have */
    unsigned refuses;      /* F_*: facts it must not have */
    const char *names;     /* '|'-separated patterns (fnmatch) over its name in lower case; NULL: any */
    builder build;
    bool updated;          /* version 2 changes it (not when it can hold one value only) */
    int64_t param;         /* the builder's: a modulo, a default range's end */
    const char *text;      /* the builder's: a prefix (%s: the column's name) */
    const char *doc_types; /* the docs' row: types, when, the generator */
    const char *doc_when;
    const char *doc_generator;
} rule;

/* Keys go up to WB_KEY_MAX (10^10): 11 digits. */
#define KEY_DIGITS 11
#define DEFAULT_MODULO_STATUS 10
#define EMAIL_MIN_CHARS 48     /* what an e-mail of the key with its hostile decoration may need */
#define PREFIX_MAX_CHARS 200   /* a prefix padded to the column's average width stops here */
#define TEXT_DEFAULT_MAX 32
#define BYTES_DEFAULT_MAX 64
#define CENTS_KEY_FACTOR 7919  /* a prime: hundredths spread over the modulus */
#define CENTS_VERSION_STEP 1013
#define CENTS_DEFAULT_MODULUS 1000000 /* 0.00 .. 9999.99 */
#define FLOAT_STRICT_STEP (1.0 / 256) /* > x becomes >= x + 1/256: exact in binary */
#define TIME_FROM "2024-01-01T00:00:00Z"
#define TIME_TO "2025-01-01T00:00:00Z"
#define DAY_S 86400

/* ---- helpers ---- */

static int64_t digits(int64_t v)
{
    int64_t n = 1;
    for (; v >= 10; v /= 10)
        n++;
    return n;
}

/* The most characters a hostile decoration adds (hostile.c's table). */
static int64_t hostile_chars(void)
{
    int64_t most = 0;
    for (int k = 0; k < WB_HOSTILE_KINDS; k++) {
        int64_t n = 0;
        for (size_t i = 0; i < wb_hostile_kinds[k].decoration.len; i++)
            n += ((unsigned char)wb_hostile_kinds[k].decoration.s[i] & 0xc0) != 0x80;
        most = n > most ? n : most;
    }
    return most;
}

/* Declare an integer column bigint: writebench's keys, and so its foreign keys and
 * sequences of the key, reach 10^10 (the most rows a run writes), beyond integer and
 * smallint; the file would be refused otherwise. Said in the column's notes. */
static void widen_to_bigint(init_column *c, const char *why)
{
    if (c->type.cls != IC_INT || c->type.int_max >= INT64_MAX)
        return;
    wb_buf_printf(&c->notes, "declared %s in the source; written bigint: %s reach 10^10, beyond %s",
                  c->type.spelled, why, c->type.spelled);
    snprintf(c->type.spelled, sizeof c->type.spelled, "bigint");
    c->type.int_max = INT64_MAX;
}

/* The CHECK that chose the values, for the column's comment. */
static void why_check(init_column *c, const char *check_text, const char *what)
{
    wb_buf_printf(&c->why, "inferred: CHECK (%s): %s", check_text ? check_text : "?", what);
}

/* Append a constant of the column's kind: numbers plain, booleans as such, the rest quoted. */
static void put_const(wb_buf *out, const init_column *c, const char *text)
{
    if ((IC_BIT(c->type.cls) & IC_NUMBERS) && text[0] && strspn(text, "-+0123456789.eE") == strlen(text))
        wb_buf_puts(out, text);
    else if (c->type.cls == IC_BOOL)
        wb_buf_puts(out, text[0] == 't' || text[0] == 'T' || text[0] == '1' || text[0] == 'y' ? "true" : "false");
    else
        wb_init_yaml_quote(out, text);
}

/* ---- builders ---- */

static int build_foreign_key(init_column *c, const rule *r)
{
    (void)r;
    widen_to_bigint(c, "a foreign key holds its parent's key, and keys");
    wb_buf_printf(&c->generator, "{kind: foreign_key, references: %s", c->fk_parent->name);
    if (c->distinct > 0) {
        wb_buf_printf(&c->generator, ", parent: {modulo: %lld}}", (long long)c->distinct);
        wb_buf_printf(&c->why, "from pg_stats: n_distinct %lld: the rows reference %lld parents in turn",
                      (long long)c->distinct, (long long)c->distinct);
    } else {
        wb_buf_putc(&c->generator, '}');
        c->distinct_values = true;
        wb_buf_printf(&c->why,
                      "inferred: FOREIGN KEY to %s: row k references parent row k (parent: {modulo: N} or "
                      "{children_per_parent: N} give several children per parent, and --threads 1)",
                      c->fk_parent->name);
    }
    return 1;
}

/* choice over n values; weights per 10,000 rows when freqs is not NULL. */
static void put_choice(init_column *c, char *const *values, const double *freqs, int n)
{
    wb_buf_puts(&c->generator, "{kind: choice, values: [");
    for (int i = 0; i < n; i++) {
        if (i)
            wb_buf_puts(&c->generator, ", ");
        put_const(&c->generator, c, values[i]);
    }
    wb_buf_putc(&c->generator, ']');
    if (freqs) {
        wb_buf_puts(&c->generator, ", weights: [");
        for (int i = 0; i < n; i++) {
            long long w = llround(freqs[i] * 10000);
            wb_buf_printf(&c->generator, "%s%lld", i ? ", " : "", w < 1 ? 1 : w);
        }
        wb_buf_putc(&c->generator, ']');
    }
    wb_buf_putc(&c->generator, '}');
    if (n < 2)
        c->updated = false;
}

static int build_enum(init_column *c, const rule *r)
{
    (void)r;
    put_choice(c, c->src->enum_labels, NULL, c->src->nenum_labels);
    wb_buf_printf(&c->why, "inferred: enum type %s: one of its %d labels", c->src->declared_type ? c->src->declared_type : c->src->type,
                  c->src->nenum_labels);
    return 1;
}

static int build_common(init_column *c, const rule *r)
{
    (void)r;
    const wb_desc_stats *s = &c->src->stats;
    char **values = wb_xcalloc((size_t)s->ncommon, sizeof *values);
    double *freqs = wb_xcalloc((size_t)s->ncommon, sizeof *freqs);
    double covered = 0;
    for (int i = 0; i < s->ncommon; i++) {
        values[i] = s->common[i]->value;
        freqs[i] = s->common[i]->freq;
        covered += freqs[i];
    }
    put_choice(c, values, freqs, s->ncommon);
    wb_buf_printf(&c->why,
                  "from pg_stats (--copy-common-values): its %d most common values, weighted by their frequencies "
                  "(%.0f%% of the rows)",
                  s->ncommon, covered * 100);
    free(values);
    free(freqs);
    return 1;
}

static int build_check_choice(init_column *c, const rule *r)
{
    (void)r;
    char **values = wb_xcalloc((size_t)c->choice->nchoices, sizeof *values);
    for (int i = 0; i < c->choice->nchoices; i++)
        values[i] = c->choice->choices[i].text;
    put_choice(c, values, NULL, c->choice->nchoices);
    free(values);
    c->honours_check = true;
    c->hostile_off = c->type.cls == IC_TEXT || c->type.cls == IC_CHAR; /* a decoration is not in the list */
    why_check(c, c->choice_text, "one of its values");
    return 1;
}

static int build_boolean(init_column *c, const rule *r)
{
    (void)r;
    const wb_desc_stats *s = &c->src->stats;
    for (int i = 0; i < s->ncommon; i++)
        if (s->common[i]->value[0] == 't' && s->null_frac < 1) {
            double share = s->common[i]->freq / (1 - s->null_frac);
            wb_buf_puts(&c->generator, "{kind: boolean, true_share: ");
            wb_init_yaml_number(&c->generator, share, 2);
            wb_buf_putc(&c->generator, '}');
            wb_buf_printf(&c->why, "from pg_stats: %.0f%% of the values are true", share * 100);
            return 1;
        }
    wb_buf_puts(&c->generator, "{kind: boolean}");
    wb_buf_puts(&c->why, "inferred: boolean");
    return 1;
}

/* The integer bounds of a range: strict ones moved inside, fractions rounded in. */
static void int_bounds(const init_column *c, const rule *r, int64_t *lo, int64_t *hi)
{
    const init_check *k = c->range;
    double max = (double)c->type.int_max, min = -max - 1;
    int has_lo = k && k->lo.set && k->lo.v.number, has_hi = k && k->hi.set && k->hi.v.number;
    double l = has_lo ? ceil(k->lo.v.value) + (k->lo.strict && k->lo.v.value == ceil(k->lo.v.value)) : 0;
    double h = has_hi ? floor(k->hi.v.value) - (k->hi.strict && k->hi.v.value == floor(k->hi.v.value)) : 0;
    if (!has_lo)
        l = has_hi ? h - (double)r->param : 0;
    if (!has_hi)
        h = l + (double)r->param;
    *lo = (int64_t)(l < min ? min : l > max ? max : l);
    *hi = (int64_t)(h < min ? min : h > max ? max : h);
}

static int build_sequence(init_column *c, const rule *r)
{
    int64_t lo = 1, hi;
    if (c->range && c->range->lo.set)
        int_bounds(c, r, &lo, &hi);
    if (!c->range || !c->range->hi.set)
        widen_to_bigint(c, "a sequence of the key never repeats, and keys");
    wb_buf_puts(&c->generator, "{kind: sequence");
    if (lo != 1)
        wb_buf_printf(&c->generator, ", start: %lld", (long long)lo);
    wb_buf_putc(&c->generator, '}');
    c->distinct_values = true;
    c->honours_check = c->range && !c->range->hi.set;
    wb_buf_printf(&c->why, "inferred: UNIQUE integer: a sequence of the key never repeats");
    return 1;
}

static int build_uniform_int(init_column *c, const rule *r)
{
    int64_t lo, hi;
    int64_t span = c->type.int_max < r->param ? 1000 : r->param; /* smallint: a smaller range */
    rule narrowed = *r;
    narrowed.param = span;
    int_bounds(c, &narrowed, &lo, &hi);
    if (lo > hi)
        return 0;
    wb_buf_printf(&c->generator, "{kind: uniform, min: %lld, max: %lld}", (long long)lo, (long long)hi);
    if (lo == hi)
        c->updated = false;
    if (c->range) {
        c->honours_check = true;
        char what[96];
        snprintf(what, sizeof what, "uniform over %lld..%lld", (long long)lo, (long long)hi);
        why_check(c, c->range_text, what);
    } else {
        wb_buf_printf(&c->why, "inferred: %s: uniform over %lld..%lld", c->type.spelled, (long long)lo, (long long)hi);
    }
    return 1;
}

static int build_uniform_distinct(init_column *c, const rule *r)
{
    (void)r;
    wb_buf_printf(&c->generator, "{kind: uniform, min: 1, max: %lld}", (long long)c->distinct);
    if (c->distinct == 1)
        c->updated = false;
    wb_buf_printf(&c->why, "from pg_stats: n_distinct %lld: uniform over 1..%lld", (long long)c->distinct,
                  (long long)c->distinct);
    return 1;
}

static int build_cents(init_column *c, const rule *r)
{
    (void)r;
    const init_check *k = c->range;
    if (c->type.scale != 2 || (k && k->lo.set && (!k->lo.v.number || k->lo.v.value > 0 || (k->lo.strict && k->lo.v.value == 0))))
        return 0; /* cents are hundredths from 0.00: a lower bound above 0 needs another generator */
    if (k && k->hi.set && (!k->hi.v.number || k->hi.v.value < 0 || (k->hi.strict && k->hi.v.value == 0)))
        return 0;
    int64_t capacity = 1; /* hundredths numeric(p,2) holds, at most the format's 10^10 */
    for (int i = 0; i < c->type.precision && capacity < 10000000000LL; i++)
        capacity *= 10;
    int64_t modulus = capacity < CENTS_DEFAULT_MODULUS ? capacity : CENTS_DEFAULT_MODULUS;
    if (k && k->hi.set) {
        double hundredths = floor(k->hi.v.value * 100 + 1e-6) - (k->hi.strict ? 1 : 0);
        modulus = hundredths + 1 < (double)capacity ? (int64_t)hundredths + 1 : capacity;
    }
    wb_buf_printf(&c->generator, "{kind: cents, key_factor: %d", CENTS_KEY_FACTOR);
    if (c->updated && modulus > 1)
        wb_buf_printf(&c->generator, ", version_step: %lld",
                      (long long)(modulus > CENTS_VERSION_STEP ? CENTS_VERSION_STEP : 1));
    else
        c->updated = false;
    wb_buf_printf(&c->generator, ", modulus: %lld}", (long long)modulus);
    char what[128];
    snprintf(what, sizeof what, "exact cents from 0.00 to %lld.%02lld", (long long)((modulus - 1) / 100),
             (long long)((modulus - 1) % 100));
    if (k) {
        c->honours_check = true;
        why_check(c, c->range_text, what);
    } else {
        wb_buf_printf(&c->why, "inferred: %s: %s", c->type.spelled, what);
    }
    return 1;
}

/* uniform over a decimal or binary range; ulp: the step a strict bound moves by. */
static int build_uniform_real(init_column *c, const rule *r)
{
    const init_check *k = c->range;
    int decimals = c->type.cls == IC_DECIMAL ? c->type.scale : 8;
    double ulp = c->type.cls == IC_DECIMAL ? pow(10, -c->type.scale) : FLOAT_STRICT_STEP;
    double top = c->type.cls == IC_DECIMAL ? pow(10, c->type.precision - c->type.scale) - ulp : (double)r->param;
    double lo = 0, hi = top < (double)r->param ? top : (double)r->param;
    if (k && ((k->lo.set && !k->lo.v.number) || (k->hi.set && !k->hi.v.number)))
        k = NULL;
    if (k && k->lo.set)
        lo = k->lo.v.value + (k->lo.strict ? ulp : 0);
    if (k && k->hi.set)
        hi = k->hi.v.value - (k->hi.strict ? ulp : 0);
    else if (k && k->lo.set)
        hi = lo + (double)r->param < top ? lo + (double)r->param : top;
    if (k && k->hi.set && !k->lo.set)
        lo = hi - (double)r->param;
    if (lo > hi)
        return 0;
    wb_buf_puts(&c->generator, "{kind: uniform, min: ");
    wb_init_yaml_number(&c->generator, lo, decimals);
    wb_buf_puts(&c->generator, ", max: ");
    wb_init_yaml_number(&c->generator, hi, decimals);
    wb_buf_putc(&c->generator, '}');
    if (lo == hi)
        c->updated = false;
    if (k) {
        c->honours_check = true;
        why_check(c, c->range_text, "uniform inside it");
    } else {
        wb_buf_printf(&c->why, "inferred: %s: uniform over a range of its values", c->type.spelled);
    }
    return 1;
}

static int build_email(init_column *c, const rule *r)
{
    (void)r;
    if (c->type.length && c->type.length < EMAIL_MIN_CHARS)
        return 0;
    wb_buf_puts(&c->generator, "{kind: email}");
    c->distinct_values = true;
    wb_buf_printf(&c->why, "inferred: a name like email: an e-mail address of the key%s",
                  c->unique ? ", never repeated (UNIQUE)" : "");
    return 1;
}

/* Whether a pattern of these lengths fits the column (varchar(n): every key up to
 * 10^10, its version 2 suffix and, when hostile, the longest decoration). */
static int pattern_fits(const init_column *c, size_t prefix_chars, int64_t modulo, int hostile)
{
    if (!c->type.length)
        return 1;
    int64_t number = modulo ? digits(modulo - 1) : KEY_DIGITS;
    int64_t chars = (hostile ? hostile_chars() : 0) + (int64_t)prefix_chars + number + (c->updated ? 3 : 0);
    return chars <= c->type.length;
}

static int build_pattern(init_column *c, const rule *r)
{
    int64_t modulo = c->unique ? 0 : r->param < 0 ? c->distinct : r->param;
    wb_buf prefix = WB_BUF_INIT;
    wb_buf_printf(&prefix, r->text ? r->text : "%s ", c->name);
    if (c->width_chars > 0) {
        /* the shape of the real values: prefix and number about as wide as they are */
        int64_t number = digits(modulo ? modulo : c->table->rows > 0 ? (int64_t)c->table->rows : 1000);
        int64_t want = c->width_chars - number;
        if (want > PREFIX_MAX_CHARS)
            want = PREFIX_MAX_CHARS;
        while ((int64_t)prefix.len < want)
            wb_buf_putc(&prefix, 'x');
        if (want >= 0 && (int64_t)prefix.len > want) {
            prefix.len = (size_t)want;
            prefix.data[prefix.len] = '\0';
        }
    }
    /* what fits: hostile values first (writebench's point), with the prefix or without;
     * then without hostile values, with the prefix or without */
    const char *choice = NULL;
    for (int hostile = 1; hostile >= 0 && !choice; hostile--) {
        if (pattern_fits(c, prefix.len, modulo, hostile))
            choice = wb_buf_str(&prefix);
        else if (pattern_fits(c, 0, modulo, hostile))
            choice = "";
        c->hostile_off = choice && !hostile;
    }
    if (!choice) {
        wb_buf_free(&prefix);
        return 0;
    }
    wb_buf_puts(&c->generator, "{kind: pattern, prefix: ");
    wb_init_yaml_quote(&c->generator, choice);
    if (modulo)
        wb_buf_printf(&c->generator, ", modulo: %lld", (long long)modulo);
    if (c->updated)
        wb_buf_puts(&c->generator, ", suffix: [\"\", \" v2\"]");
    wb_buf_putc(&c->generator, '}');
    wb_buf_free(&prefix);
    c->distinct_values = modulo == 0;
    if (r->param < 0)
        wb_buf_printf(&c->why, "from pg_stats: n_distinct %lld (a pattern with modulo %lld)", (long long)modulo,
                      (long long)modulo);
    else if (c->unique)
        wb_buf_puts(&c->why, "inferred: UNIQUE: a pattern of the key never repeats");
    else if (r->names)
        wb_buf_printf(&c->why, "inferred: a name like %.*s: %s", (int)strcspn(r->names, "|"), r->names,
                      modulo ? "a few values" : "text of the key");
    else
        wb_buf_printf(&c->why, "inferred: %s: text of the key", c->type.spelled);
    if (c->width_chars > 0)
        wb_buf_printf(&c->why, "%s avg_width %d (values about as wide)", r->param < 0 ? "," : "; from pg_stats:",
                      c->width_chars);
    if (c->hostile_off)
        wb_buf_printf(&c->why, "; %s is too short for hostile values", c->type.spelled);
    return 1;
}

static int build_text(init_column *c, const rule *r)
{
    (void)r;
    if (c->type.cls == IC_CHAR) {
        /* char(n) pads and compares without trailing spaces: a hostile value (some end in
         * spaces, all are longer) would not come back as written */
        wb_buf_printf(&c->generator, "{kind: text, length: {fixed: %lld}}", (long long)c->type.length);
        wb_buf_printf(&c->why, "inferred: %s: text of its length; char(n) pads, so no hostile values", c->type.spelled);
        c->hostile_off = true;
        return 1;
    }
    int64_t lo = 1, hi = TEXT_DEFAULT_MAX;
    if (c->width_chars > 0) {
        lo = c->width_chars / 2 > 0 ? c->width_chars / 2 : 1;
        hi = c->width_chars + c->width_chars / 2;
    }
    /* varchar(n): room for the longest hostile decoration, or no hostile values */
    int64_t room = c->type.length ? c->type.length - hostile_chars() : 0;
    if (c->type.length && room < 1) {
        room = c->type.length;
        c->hostile_off = true;
    }
    if (c->type.length && hi > room)
        hi = room;
    if (lo > hi)
        lo = hi;
    wb_buf_printf(&c->generator, "{kind: text, length: {min: %lld, max: %lld}}", (long long)lo, (long long)hi);
    wb_buf_printf(&c->why, "inferred: %s: text of %lld..%lld characters%s%s", c->type.spelled, (long long)lo,
                  (long long)hi, c->type.length ? " (too short for a pattern of the key)" : "",
                  c->hostile_off ? "; too short for hostile values" : "");
    return 1;
}

/* A date or time constant as the time generator reads it: a date alone is midnight UTC. */
static void put_time(wb_buf *out, const char *text)
{
    char t[64];
    size_t n = strlen(text);
    if (n == 10 && text[4] == '-' && text[7] == '-')
        snprintf(t, sizeof t, "%sT00:00:00Z", text);
    else
        snprintf(t, sizeof t, "%s", text);
    wb_init_yaml_quote(out, t);
}

static int build_time(init_column *c, const rule *r)
{
    (void)r;
    const init_check *k = c->range;
    if (k && ((k->lo.set && (k->lo.v.number || k->lo.strict)) || (k->hi.set && (k->hi.v.number || k->hi.strict))))
        k = NULL; /* only inclusive bounds written as dates or times are followed */
    wb_buf_puts(&c->generator, "{kind: time, from: ");
    if (k && k->lo.set)
        put_time(&c->generator, k->lo.v.text);
    else
        wb_init_yaml_quote(&c->generator, TIME_FROM);
    wb_buf_puts(&c->generator, ", to: ");
    if (k && k->hi.set)
        put_time(&c->generator, k->hi.v.text);
    else if (k && k->lo.set && strcmp(k->lo.v.text, TIME_TO) >= 0)
        return 0;
    else
        wb_init_yaml_quote(&c->generator, TIME_TO);
    if (c->type.cls == IC_DATE)
        wb_buf_printf(&c->generator, ", step_s: %d", DAY_S);
    wb_buf_putc(&c->generator, '}');
    if (k) {
        c->honours_check = true;
        why_check(c, c->range_text, "times inside it");
    } else {
        wb_buf_printf(&c->why, "inferred: %s%s: a time in 2024", c->type.spelled,
                      r->names ? ", a name like created_at (version 2 leaves it)" : "");
    }
    return 1;
}

static int build_fixed(init_column *c, const rule *r)
{
    wb_buf_puts(&c->generator, r->text);
    c->distinct_values = r->param != 0;
    if (c->unique && r->param)
        c->updated = false; /* its two versions' values could meet while the update runs */
    wb_buf_printf(&c->why, "inferred: %s", c->type.spelled);
    return 1;
}

static int build_json(init_column *c, const rule *r)
{
    (void)r;
    wb_buf_printf(&c->generator,
                  "{kind: json, fields: {id: {kind: sequence, updated: false}, label: {kind: pattern, prefix: "
                  "\"label \"%s}}}",
                  c->updated ? ", suffix: [\"\", \" v2\"]" : "");
    wb_buf_printf(&c->why, "inferred: %s: a small document", c->type.spelled);
    return 1;
}

static int build_bytes(init_column *c, const rule *r)
{
    (void)r;
    int64_t lo = 0, hi = BYTES_DEFAULT_MAX;
    if (c->width_chars > 0) {
        lo = c->width_chars / 2;
        hi = c->width_chars + c->width_chars / 2;
    }
    if (c->updated && lo < 1)
        lo = 1; /* version 2 moves every byte: an empty value could not change */
    if (hi < lo)
        hi = lo;
    wb_buf_printf(&c->generator, "{kind: bytes, length: {min: %lld, max: %lld}}", (long long)lo, (long long)hi);
    wb_buf_printf(&c->why, "inferred: bytea: %lld..%lld bytes", (long long)lo, (long long)hi);
    return 1;
}

/* ---- the table ---- */

#define ANY_BUT_DOCS (IC_ANY & ~(IC_BIT(IC_JSON) | IC_BIT(IC_BYTES)))
#define EMAIL_NAMES "email|*_email|email_*|e_mail|mail"
#define STATUS_NAMES "status|*_status|state|*_state|kind|*_kind|type|*_type|category|*_category|level|*_level"
#define URL_NAMES "url|*_url|uri|*_uri|website|homepage|link"
#define CREATED_NAMES "created|created_at|created_on|inserted_at|creation_*|*_created_at"

static const rule rules[] = {
    {IC_BIT(IC_INT), F_FK, 0, NULL, build_foreign_key, false, 0, NULL,
     "integers", "a kept FOREIGN KEY", "foreign_key (parent: same; statistics: {modulo: n_distinct})"},
    {IC_TEXTS, F_ENUM, 0, NULL, build_enum, true, 0, NULL, "enum types (written as text)", "", "choice of its labels"},
    {IC_BIT(IC_BOOL), 0, 0, NULL, build_boolean, true, 0, NULL, "boolean", "", "boolean (true_share from statistics)"},
    {ANY_BUT_DOCS, F_COMMON, F_UNIQUE, NULL, build_common, true, 0, NULL, "any but json, bytea",
     "most common values, with --copy-common-values", "choice of them, weighted by their frequencies"},
    {IC_NUMBERS | IC_TEXTS | IC_TIMES, F_CHOICE, F_UNIQUE, NULL, build_check_choice, true, 0, NULL,
     "numbers, text, times", "CHECK (col IN (...)) or (col = v)", "choice of those values, no hostile values"},
    {IC_BIT(IC_INT), F_UNIQUE, 0, NULL, build_sequence, false, 0, NULL, "integers", "UNIQUE",
     "sequence (start: a CHECK's lower bound)"},
    {IC_BIT(IC_INT), F_RANGE, 0, NULL, build_uniform_int, true, 1000000, NULL, "integers",
     "CHECK (col >= a), (col BETWEEN a AND b), ...", "uniform inside the bounds"},
    {IC_BIT(IC_INT), F_REPEATS, 0, NULL, build_uniform_distinct, true, 0, NULL, "integers",
     "statistics: n_distinct", "uniform over 1..n_distinct"},
    {IC_BIT(IC_INT), 0, 0, NULL, build_uniform_int, true, 1000000, NULL, "integers", "",
     "uniform over 0..1000000 (smallint 0..1000)"},
    {IC_BIT(IC_DECIMAL), 0, 0, NULL, build_cents, true, 0, NULL, "numeric(p,2)",
     "no bound, or bounds that hold 0 (CHECK (col >= 0))", "cents (0.00 up to the upper bound, or 9999.99)"},
    {IC_BIT(IC_DECIMAL), 0, 0, NULL, build_uniform_real, true, 1000000, NULL, "numeric(p,s)", "",
     "uniform inside a CHECK's bounds, else from 0"},
    {IC_BIT(IC_FLOAT), 0, 0, NULL, build_uniform_real, true, 1000, NULL, "real, double precision", "",
     "uniform inside a CHECK's bounds, else 0..1000"},
    {IC_BIT(IC_TEXT), 0, 0, EMAIL_NAMES, build_email, true, 0, NULL, "text, varchar(n >= 48)",
     "", "email"},
    {IC_BIT(IC_TEXT), F_UNIQUE, 0, NULL, build_pattern, true, 0, NULL, "text, varchar(n)", "UNIQUE",
     "pattern of the key (never repeats)"},
    {IC_BIT(IC_TEXT), F_REPEATS, 0, NULL, build_pattern, true, -1, NULL, "text, varchar(n)",
     "statistics: n_distinct", "pattern with modulo n_distinct"},
    {IC_BIT(IC_TEXT), 0, F_UNIQUE, STATUS_NAMES, build_pattern, true, DEFAULT_MODULO_STATUS, NULL,
     "text, varchar(n)", "", "pattern with modulo 10"},
    {IC_BIT(IC_TEXT), 0, 0, URL_NAMES, build_pattern, true, 0, "https://example.com/%s/", "text, varchar(n)",
     "", "pattern \"https://example.com/NAME/\" || k"},
    {IC_BIT(IC_TEXT), 0, 0, NULL, build_pattern, true, 0, NULL, "text, varchar(n)", "",
     "pattern \"NAME \" || k (statistics: as wide as avg_width)"},
    {IC_TEXTS, 0, 0, NULL, build_text, true, 0, NULL, "text, varchar(n), char(n)",
     "a pattern does not fit (varchar(n) too short)", "text of 1..min(n - 10, 32) characters, or 1..n without hostile values (char(n): n, without)"},
    {IC_TIMES, F_RANGE, 0, NULL, build_time, true, 0, NULL, "date, timestamp, timestamptz",
     "CHECK (col >= 'date') ...", "time inside the bounds"},
    {IC_TIMES, 0, 0, CREATED_NAMES, build_time, false, 0, NULL, "date, timestamp, timestamptz",
     "", "time in 2024, version 2 leaves it"},
    {IC_TIMES, 0, 0, NULL, build_time, true, 0, NULL, "date, timestamp, timestamptz", "", "time in 2024"},
    {IC_BIT(IC_UUID), 0, 0, NULL, build_fixed, true, 1, "{kind: uuid}", "uuid", "", "uuid"},
    {IC_BIT(IC_JSON), 0, 0, NULL, build_json, true, 0, NULL, "json, jsonb", "",
     "json {id: sequence (not updated), label: pattern}"},
    {IC_BIT(IC_BYTES), 0, 0, NULL, build_bytes, true, 0, NULL, "bytea", "", "bytes of 1..64 bytes"},
};

/* The facts of c the rules ask about. */
static unsigned facts_of(const init_column *c)
{
    unsigned f = 0;
    f |= c->fk_parent ? F_FK : 0;
    f |= c->src->nenum_labels ? F_ENUM : 0;
    f |= c->src->stats.ncommon ? F_COMMON : 0;
    f |= c->choice ? F_CHOICE : 0;
    f |= c->range ? F_RANGE : 0;
    f |= c->unique ? F_UNIQUE : 0;
    f |= c->distinct > 0 ? F_REPEATS : 0;
    return f;
}

/* Whether name (lower-cased) matches one of the '|'-separated patterns. */
static int name_matches(const char *patterns, const char *name)
{
    char lower[64], one[64];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] - 'A' + 'a' : name[n]);
    lower[n] = '\0';
    for (const char *p = patterns; *p;) {
        size_t len = strcspn(p, "|");
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        if (fnmatch(one, lower, 0) == 0)
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

void wb_init_choose(init_column *c)
{
    unsigned facts = facts_of(c);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const rule *r = &rules[i];
        if (!(r->classes & IC_BIT(c->type.cls)) || (facts & r->needs) != r->needs || (facts & r->refuses) ||
            (r->names && !name_matches(r->names, c->name)))
            continue;
        c->updated = r->updated;
        c->honours_check = c->distinct_values = c->hostile_off = false;
        wb_buf_reset(&c->generator);
        wb_buf_reset(&c->why);
        if (r->build(c, r))
            return;
    }
    /* every class has a last rule that always builds */
    wb_buf_puts(&c->generator, "{kind: pattern, prefix: \"\"}");
}

const init_rule_doc *wb_init_rule_doc(int i)
{
    static init_rule_doc doc;
    if (i < 0 || i >= (int)(sizeof rules / sizeof rules[0]))
        return NULL;
    doc.types = rules[i].doc_types;
    doc.when = rules[i].doc_when;
    doc.names = rules[i].names;
    doc.generator = rules[i].doc_generator;
    return &doc;
}
