/* A YAML document and its typed look-ups, for workload files (see yaml_doc.h). */
#include "workloads/yaml_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Line and column (1-based) of byte offset in data: libyaml's reader errors give an
 * offset, not a mark. */
static void position_of(const char *data, size_t len, size_t offset, size_t *line, size_t *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)data[i] & 0xc0) != 0x80) {
            (*column)++;
        }
    }
}

/* The parser's error as one line. */
static int parser_fail(const yaml_parser_t *p, const char *path, const char *data, size_t len, wb_error *e)
{
    const char *problem = p->problem ? p->problem : "not valid YAML";
    if (p->error == YAML_READER_ERROR) { /* bytes that are not UTF-8, or a control character */
        size_t line, column;
        position_of(data, len, p->problem_offset, &line, &column);
        return wb_fail(e, "%s:%zu:%zu: not a YAML file: %s", path, line, column, problem);
    }
    if (p->error == YAML_MEMORY_ERROR)
        return wb_fail(e, "%s: out of memory reading the YAML", path);
    if (p->context)
        return wb_fail(e, "%s:%zu:%zu: YAML syntax: %s (%s, line %zu column %zu)", path, p->problem_mark.line + 1,
                       p->problem_mark.column + 1, problem, p->context, p->context_mark.line + 1,
                       p->context_mark.column + 1);
    return wb_fail(e, "%s:%zu:%zu: YAML syntax: %s", path, p->problem_mark.line + 1, p->problem_mark.column + 1,
                   problem);
}

int wb_yaml_parse(wb_yaml *y, const char *path, const char *data, size_t len, wb_error *e)
{
    memset(y, 0, sizeof *y);
    y->path = path;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return wb_fail(e, "%s: cannot start the YAML parser", path);
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    int rc = 0;
    if (!yaml_parser_load(&parser, &y->doc)) {
        rc = parser_fail(&parser, path, data, len, e);
    } else {
        y->loaded = 1;
        yaml_node_t *root = yaml_document_get_root_node(&y->doc);
        if (!root) {
            rc = wb_fail(e, "%s:1:1: the file is empty: a workload file is a YAML mapping with workload, "
                            "description and tables", path);
        } else {
            /* a second document would be ignored silently: refuse it */
            yaml_document_t next;
            if (!yaml_parser_load(&parser, &next)) {
                rc = parser_fail(&parser, path, data, len, e);
            } else {
                yaml_node_t *second = yaml_document_get_root_node(&next);
                if (second)
                    rc = wb_fail(e, "%s:%zu:%zu: a second YAML document: a workload file holds one", path,
                                 second->start_mark.line + 1, second->start_mark.column + 1);
                yaml_document_delete(&next);
            }
        }
    }
    yaml_parser_delete(&parser);
    if (rc != 0)
        wb_yaml_free(y);
    return rc;
}

void wb_yaml_free(wb_yaml *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = 0;
}

yaml_node_t *wb_yaml_root(wb_yaml *y)
{
    return yaml_document_get_root_node(&y->doc);
}

int wb_yaml_fail(wb_yaml *y, const yaml_node_t *at, wb_error *e, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (!at)
        return wb_fail(e, "%s: %s", y->path, message);
    return wb_fail(e, "%s:%zu:%zu: %s", y->path, at->start_mark.line + 1, at->start_mark.column + 1, message);
}

int wb_yaml_is_scalar(const yaml_node_t *n, const char **text)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return 0;
    *text = (const char *)n->data.scalar.value;
    return 1;
}

/* "a mapping", "a list", "a string" for messages about a node of the wrong shape. */
static const char *shape_of(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_SCALAR_NODE: return "a single value";
    default: return "empty";
    }
}

int wb_yaml_fields(wb_yaml *y, yaml_node_t *map, const char *what, wb_yaml_field *fields, int n, wb_error *e)
{
    for (int i = 0; i < n; i++)
        fields[i].key_node = fields[i].value = NULL;
    if (map->type != YAML_MAPPING_NODE)
        return wb_yaml_fail(y, map, e, "%s must be a mapping (key: value lines), not %s", what, shape_of(map));
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *key = yaml_document_get_node(&y->doc, p->key);
        yaml_node_t *value = yaml_document_get_node(&y->doc, p->value);
        const char *name;
        if (!wb_yaml_is_scalar(key, &name))
            return wb_yaml_fail(y, key, e, "a key of %s must be a name, not %s", what, shape_of(key));
        int found = -1;
        for (int i = 0; i < n && found < 0; i++)
            if (strcmp(fields[i].key, name) == 0)
                found = i;
        if (found < 0) {
            char known[512] = "";
            size_t used = 0;
            for (int i = 0; i < n && used < sizeof known; i++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", fields[i].key);
            return wb_yaml_fail(y, key, e, "unknown key '%.60s' in %s (the keys are: %s)", name, what, known);
        }
        if (fields[found].key_node)
            return wb_yaml_fail(y, key, e, "duplicate key '%s' in %s (first at line %zu, column %zu)", name, what,
                                fields[found].key_node->start_mark.line + 1,
                                fields[found].key_node->start_mark.column + 1);
        fields[found].key_node = key;
        fields[found].value = value;
    }
    for (int i = 0; i < n; i++)
        if (fields[i].required && !fields[i].value)
            return wb_yaml_fail(y, map, e, "%s needs the key '%s'", what, fields[i].key);
    return 0;
}

/* Whether n is a plain scalar that YAML reads as null. */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

int wb_yaml_string(wb_yaml *y, yaml_node_t *n, const char *what, const char **out, size_t *len, wb_error *e)
{
    if (n->type != YAML_SCALAR_NODE)
        return wb_yaml_fail(y, n, e, "%s must be a string, not %s", what, shape_of(n));
    if (is_null(n))
        return wb_yaml_fail(y, n, e, "%s is empty (null); write \"\" for an empty string", what);
    if (memchr(n->data.scalar.value, '\0', n->data.scalar.length))
        return wb_yaml_fail(y, n, e, "%s holds a NUL character", what);
    *out = (const char *)n->data.scalar.value;
    *len = n->data.scalar.length;
    return 0;
}

int wb_yaml_int(wb_yaml *y, yaml_node_t *n, const char *what, int64_t min, int64_t max, int64_t *out,
                wb_error *e)
{
    const char *s;
    if (!wb_yaml_is_scalar(n, &s) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return wb_yaml_fail(y, n, e, "%s must be a whole number, written without quotes", what);
    size_t i = s[0] == '-';
    int ok = s[i] != '\0' && !(s[i] == '0' && s[i + 1] != '\0'); /* no leading zero: 010 is not ten or eight */
    int64_t v = 0;
    for (; ok && s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - (s[i] - '0')) / 10)
            ok = 0;
        else
            v = v * 10 + (s[i] - '0');
    }
    if (!ok)
        return wb_yaml_fail(y, n, e, "%s must be a whole number, not '%.40s'", what, s);
    if (s[0] == '-')
        v = -v;
    if (v < min || v > max)
        return wb_yaml_fail(y, n, e, "%s must be between %lld and %lld, not %lld", what, (long long)min,
                            (long long)max, (long long)v);
    *out = v;
    return 0;
}

int wb_yaml_bool(wb_yaml *y, yaml_node_t *n, const char *what, int *out, wb_error *e)
{
    const char *s;
    if (wb_yaml_is_scalar(n, &s) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (strcmp(s, "true") == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(s, "false") == 0) {
            *out = 0;
            return 0;
        }
    }
    return wb_yaml_fail(y, n, e, "%s must be true or false", what);
}

int wb_yaml_count(wb_yaml *y, yaml_node_t *seq, const char *what, int min, int max, wb_error *e)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return wb_yaml_fail(y, seq, e, "%s must be a list, not %s", what, shape_of(seq));
    long n = seq->data.sequence.items.top - seq->data.sequence.items.start;
    if (n < min)
        return wb_yaml_fail(y, seq, e, "%s must hold at least %d item%s", what, min, min == 1 ? "" : "s");
    if (n > max)
        return wb_yaml_fail(y, seq, e, "%s holds %ld items; at most %d are allowed", what, n, max);
    return (int)n;
}

yaml_node_t *wb_yaml_item(wb_yaml *y, yaml_node_t *seq, int i)
{
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}
