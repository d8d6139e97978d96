/* Private to `workload init` (init.c, init_rules.c, init_types.c, init_check.c,
 * init_yaml.c and their unit test): the model of the workload being inferred from
 * a wb_schema_desc, before it is written out as YAML. */
#ifndef WB_WORKLOADS_INIT_INTERNAL_H
#define WB_WORKLOADS_INIT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/describe.h"
#include "util/buf.h"

/* ---- types (init_types.c) ---- */

/* What a column's type is, for choosing a generator. */
typedef enum init_class {
    IC_INT,     /* smallint, integer, bigint */
    IC_DECIMAL, /* numeric(p,s) */
    IC_FLOAT,   /* real, double precision */
    IC_BOOL,
    IC_TEXT,    /* text, varchar(n) */
    IC_CHAR,    /* char(n) */
    IC_DATE,
    IC_TIME,    /* timestamp, timestamptz */
    IC_UUID,
    IC_JSON,    /* json, jsonb */
    IC_BYTES,   /* bytea */
    IC_COUNT
} init_class;

#define IC_BIT(c) (1u << (c))
#define IC_NUMBERS (IC_BIT(IC_INT) | IC_BIT(IC_DECIMAL) | IC_BIT(IC_FLOAT))
#define IC_TIMES (IC_BIT(IC_DATE) | IC_BIT(IC_TIME))
#define IC_TEXTS (IC_BIT(IC_TEXT) | IC_BIT(IC_CHAR))
#define IC_ANY ((1u << IC_COUNT) - 1)

typedef struct init_type {
    init_class cls;
    bool supported;     /* a type of the workload format; otherwise written as text */
    char spelled[64];   /* as the workload file writes it ("varchar(30)", "numeric(10,2)") */
    int64_t length;     /* varchar(n), char(n): n; 0 otherwise */
    int precision;      /* numeric(p,s) */
    int scale;
    int64_t int_max;    /* the integer types' largest value */
    char note[160];     /* how the source's type was changed to fit the format; "" when it was not */
} init_type;

/* The workload format's type for a type in PostgreSQL's spelling (describe.h). */
void wb_init_type(const char *pg_type, init_type *out);

/* ---- CHECK constraints (init_check.c) ---- */

typedef struct init_const {
    char *text;     /* the constant as SQL would print it, unquoted ("0", "9.99", "active") */
    bool number;
    bool boolean;
    double value;   /* numbers */
} init_const;

typedef struct init_bound {
    bool set;
    bool strict;    /* > or < rather than >= or <= */
    init_const v;
} init_bound;

typedef enum init_check_kind {
    IK_OTHER,    /* anything else: kept only as a comment */
    IK_RANGE,    /* col >= a, col < b, col BETWEEN a AND b, and their conjunctions */
    IK_CHOICE,   /* col IN (a, b, ...), col = a */
    IK_NOT_NULL  /* col IS NOT NULL */
} init_check_kind;

typedef struct init_ref {
    int start, end; /* a column reference's token in the expression, as byte offsets */
    char *name;
} init_ref;

typedef struct init_check {
    init_check_kind kind;
    char *column;        /* the one column it constrains (IK_RANGE, IK_CHOICE, IK_NOT_NULL) */
    bool not_null;       /* also says col IS NOT NULL */
    init_bound lo, hi;
    init_const *choices;
    int nchoices;
    bool portable;       /* its text is the same on SQLite and PostgreSQL (no casts, no ANY) */
    init_ref *refs;      /* every column reference, to rename them */
    int nrefs;
} init_check;

/* Read a CHECK's expression text into out, its memory in mem. */
void wb_init_check_read(const char *expr, wb_schema_desc *mem, init_check *out);
/* Narrow the range into by the range from (two CHECKs that bound one column). */
void wb_init_check_merge(init_check *into, const init_check *from);

/* ---- the model (init.c) ---- */

struct init_table;

typedef struct init_column {
    const wb_desc_column *src;
    char name[64];            /* in the workload file */
    init_type type;
    bool nullable;
    bool unique;              /* alone in a unique index or constraint */
    const struct init_table *fk_parent; /* a kept foreign key's parent table */
    const init_check *range;  /* the CHECKs that bound it (range_merged), when they are ranges */
    init_check range_merged;
    const init_check *choice; /* the CHECK that lists its values */
    const char *range_text;   /* their text, for the comments */
    const char *choice_text;
    int64_t distinct;         /* statistics: the distinct values when they repeat; 0 unknown */
    int width_chars;          /* statistics: the average width of a value; 0 unknown */
    const struct init_table *table;
    /* what the rules chose */
    wb_buf generator;         /* the generator's YAML flow mapping */
    wb_buf why;               /* where it came from, for its comment */
    wb_buf notes;             /* comment lines about the column ("renamed", "DDL default") */
    bool updated;
    bool distinct_values;     /* never repeats over keys and versions: may make a unique index */
    bool honours_check;       /* the generator keeps inside the column's range or choice */
    bool hostile_off;         /* hostile: false */
    double nulls;             /* statistics: the share of NULLs to make; 0 none */
} init_column;

typedef struct init_table {
    const wb_desc_table *src;
    char name[64];
    char key[64];             /* the key column's name in the workload file */
    const wb_desc_column *key_src;
    init_column *columns;     /* without the key */
    int ncolumns;
    wb_buf notes;             /* comment lines for the table */
    int index;                /* in the source's order */
    double rows;              /* the catalog's estimate; < 0 unknown */
} init_table;

/* ---- the rules (init_rules.c) ---- */

/* Choose c's generator (c->generator, c->why, c->updated, ...) by the first rule of
 * the table that applies. */
void wb_init_choose(init_column *c);

/* A rule as the docs show it: the types, what the column must have, the name
 * pattern, the generator and why. Returns NULL past the last rule. */
typedef struct init_rule_doc {
    const char *types;
    const char *when;
    const char *names;
    const char *generator;
} init_rule_doc;
const init_rule_doc *wb_init_rule_doc(int i);

/* ---- YAML (init_yaml.c) ---- */

/* Append s as a YAML double-quoted scalar (escapes for '"', '\\' and control characters). */
void wb_init_yaml_quote(wb_buf *out, const char *s);
/* Append a number for YAML: integers plainly, others with at most `decimals` places
 * and no trailing zeros. */
void wb_init_yaml_number(wb_buf *out, double v, int decimals);
/* Append one comment line "<indent># text" (text may be long: it is wrapped). */
void wb_init_yaml_comment(wb_buf *out, int indent, const char *text);

#endif
