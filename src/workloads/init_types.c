/* `workload init`: a type in PostgreSQL's spelling (the DDL's "int4",
 * "varchar(30)", a catalog's "character varying(30)" or "timestamp(3) with time
 * zone") into the workload format's type (docs/WORKLOADS.md, "Types"). One table
 * of names; a type the format does not have is written as text, and the column's
 * comment says so. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/init_internal.h"

/* How a type's parameters are read. */
typedef enum params {
    P_NONE,      /* none */
    P_LENGTH,    /* (n) */
    P_PRECISION, /* (p) or (p,s) */
    P_IGNORED    /* a precision the format does not keep (timestamp(3)) */
} params;

static const struct {
    const char *name;   /* normalized: lower case, single spaces, without its parameters */
    init_class cls;
    const char *spelled;
    params params;
    int64_t int_max;
} types[] = {
    {"smallint", IC_INT, "smallint", P_NONE, 32767},
    {"int2", IC_INT, "smallint", P_NONE, 32767},
    {"integer", IC_INT, "integer", P_NONE, 2147483647},
    {"int", IC_INT, "integer", P_NONE, 2147483647},
    {"int4", IC_INT, "integer", P_NONE, 2147483647},
    {"bigint", IC_INT, "bigint", P_NONE, INT64_MAX},
    {"int8", IC_INT, "bigint", P_NONE, INT64_MAX},
    {"numeric", IC_DECIMAL, "numeric", P_PRECISION, 0},
    {"decimal", IC_DECIMAL, "numeric", P_PRECISION, 0},
    {"real", IC_FLOAT, "real", P_NONE, 0},
    {"float4", IC_FLOAT, "real", P_NONE, 0},
    {"double precision", IC_FLOAT, "double precision", P_NONE, 0},
    {"float8", IC_FLOAT, "double precision", P_NONE, 0},
    {"float", IC_FLOAT, "double precision", P_IGNORED, 0},
    {"boolean", IC_BOOL, "boolean", P_NONE, 0},
    {"bool", IC_BOOL, "boolean", P_NONE, 0},
    {"text", IC_TEXT, "text", P_NONE, 0},
    {"character varying", IC_TEXT, "varchar", P_LENGTH, 0},
    {"varchar", IC_TEXT, "varchar", P_LENGTH, 0},
    {"character", IC_CHAR, "char", P_LENGTH, 0},
    {"char", IC_CHAR, "char", P_LENGTH, 0},
    {"bpchar", IC_CHAR, "char", P_LENGTH, 0},
    {"date", IC_DATE, "date", P_NONE, 0},
    {"timestamp", IC_TIME, "timestamp", P_IGNORED, 0},
    {"timestamp without time zone", IC_TIME, "timestamp", P_IGNORED, 0},
    {"timestamptz", IC_TIME, "timestamptz", P_IGNORED, 0},
    {"timestamp with time zone", IC_TIME, "timestamptz", P_IGNORED, 0},
    {"uuid", IC_UUID, "uuid", P_NONE, 0},
    {"json", IC_JSON, "json", P_NONE, 0},
    {"jsonb", IC_JSON, "jsonb", P_NONE, 0},
    {"bytea", IC_BYTES, "bytea", P_NONE, 0},
};

/* The largest precision numeric(p,s) may have in the format. */
#define NUMERIC_MAX_PRECISION 38
/* numeric without a precision holds any number; the format needs one. */
#define NUMERIC_DEFAULT_PRECISION 18
#define NUMERIC_DEFAULT_SCALE 2

/* Split "timestamp(3) with time zone" into the name "timestamp with time zone" and
 * its numbers; *array when it ends in []. Returns the number of parameters. */
static int split(const char *s, char *name, size_t name_size, long long nums[2], int *array)
{
    size_t n = 0;
    int count = 0;
    *array = 0;
    for (const char *p = s; *p;) {
        if (*p == '(') {
            for (p++; *p && *p != ')'; p++) {
                if (isdigit((unsigned char)*p) || *p == '-') {
                    char *end;
                    long long v = strtoll(p, &end, 10);
                    if (count < 2)
                        nums[count] = v;
                    count++;
                    p = end - 1;
                }
            }
            if (*p)
                p++;
            continue;
        }
        if (*p == '[') {
            *array = 1;
            p++;
            continue;
        }
        char c = (char)tolower((unsigned char)*p++);
        if (isspace((unsigned char)c) || c == ']') {
            if (n > 0 && name[n - 1] != ' ' && n + 1 < name_size)
                name[n++] = ' ';
            continue;
        }
        if (n + 1 < name_size)
            name[n++] = c;
    }
    while (n > 0 && name[n - 1] == ' ')
        n--;
    name[n] = '\0';
    /* "pg_catalog.int4": the catalog's schema says nothing more */
    if (strncmp(name, "pg_catalog.", 11) == 0)
        memmove(name, name + 11, strlen(name + 11) + 1);
    return count;
}

/* A type the format does not have: text, and a note saying so. */
static void as_text(const char *pg_type, init_type *out, const char *why)
{
    out->cls = IC_TEXT;
    out->supported = false;
    snprintf(out->spelled, sizeof out->spelled, "text");
    snprintf(out->note, sizeof out->note, "%s is %s: written as text", pg_type, why);
}

void wb_init_type(const char *pg_type, init_type *out)
{
    memset(out, 0, sizeof *out);
    char name[96];
    long long nums[2] = {0, 0};
    int array;
    int nparams = split(pg_type, name, sizeof name, nums, &array);
    if (array) {
        as_text(pg_type, out, "an array, which the workload format does not have");
        return;
    }
    size_t i = 0;
    while (i < sizeof types / sizeof types[0] && strcmp(types[i].name, name) != 0)
        i++;
    if (i == sizeof types / sizeof types[0]) {
        as_text(pg_type, out, "not a type of the workload format");
        return;
    }
    out->cls = types[i].cls;
    out->supported = true;
    out->int_max = types[i].int_max;
    snprintf(out->spelled, sizeof out->spelled, "%s", types[i].spelled);
    switch (types[i].params) {
    case P_NONE:
        break;
    case P_IGNORED:
        if (types[i].cls == IC_FLOAT && nparams == 1 && nums[0] <= 24)
            snprintf(out->spelled, sizeof out->spelled, "real"); /* float(p): real up to 24 bits */
        else if (nparams > 0)
            snprintf(out->note, sizeof out->note, "%s: its precision is not kept", pg_type);
        break;
    case P_LENGTH:
        if (nparams == 0 && out->cls == IC_TEXT) {
            snprintf(out->spelled, sizeof out->spelled, "text"); /* varchar without a length */
            break;
        }
        out->length = nparams ? nums[0] : 1; /* char alone is char(1) */
        snprintf(out->spelled, sizeof out->spelled, "%s(%lld)", types[i].spelled, (long long)out->length);
        break;
    case P_PRECISION:
        if (nparams == 0) {
            out->precision = NUMERIC_DEFAULT_PRECISION;
            out->scale = NUMERIC_DEFAULT_SCALE;
            snprintf(out->note, sizeof out->note, "%s without a precision: written as numeric(%d,%d)", pg_type,
                     out->precision, out->scale);
        } else {
            out->precision = (int)nums[0];
            out->scale = nparams > 1 ? (int)nums[1] : 0;
        }
        if (out->precision < 1 || out->precision > NUMERIC_MAX_PRECISION || out->scale < 0 ||
            out->scale > out->precision) {
            as_text(pg_type, out, "a numeric the workload format cannot hold (1 <= p <= 38, 0 <= s <= p)");
            return;
        }
        snprintf(out->spelled, sizeof out->spelled, "numeric(%d,%d)", out->precision, out->scale);
        break;
    }
}
