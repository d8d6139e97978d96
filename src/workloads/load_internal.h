/* Private to the reading of workload files: what load.c (the file, its tables,
 * columns, types, indexes and checks) and gen_parse.c (each generator kind's
 * parameters) share while a file is read. */
#ifndef WB_WORKLOADS_LOAD_INTERNAL_H
#define WB_WORKLOADS_LOAD_INTERNAL_H

#include <stdalign.h>
#include <stddef.h>

#include "workloads/gen_internal.h"
#include "workloads/yaml_doc.h"

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ---- memory: every allocation of one workload, freed together ---- */

typedef struct wb_load_block {
    struct wb_load_block *next;
    max_align_t data[];
} wb_load_block;

typedef struct loaded_workload {
    wb_workload w; /* first, so that a wb_workload * is a loaded_workload * */
    wb_load_block *blocks;
} loaded_workload;

/* n zeroed bytes of the workload's memory. */
void *wb_load_alloc(loaded_workload *lw, size_t n);
/* A NUL-terminated copy of s[0..len) in the workload's memory. */
char *wb_load_copy(loaded_workload *lw, const char *s, size_t len);

/* ---- what is being read ---- */

/* A column while its table is read (or a field of a json document, which is a
 * column of its own): its definition, and where the file wrote it. */
typedef struct column_build {
    wb_column col;
    struct wb_column_gen *gen;
    yaml_node_t *node, *type_node, *gen_node;
    int64_t type_chars;      /* varchar(n), char(n): n; 0 for a type without a length */
    const char *repeats;     /* why its values repeat over keys; NULL when every key gets its own */
    const char *references;  /* foreign_key: the parent table */
    /* the longest ordinary value (no decoration, no padding), set by the generator's
     * parser, and the most bytes it takes written inside a json document */
    int64_t plain_chars, plain_bytes, json_bytes;
    const char *salt_name;   /* "table.column", "table.column.field": what its hashes are salted with */
    int json_depth;          /* 0: a column; 1 and more: a field of a json document, at that depth */
} column_build;

typedef struct table_build {
    const char *name;
    yaml_node_t *node;
    column_build *columns; /* the key and every column of the file (the workload's memory) */
    int ncolumns;
    int keys_from_zero;    /* first_key: 0 */
    size_t row_text_bytes; /* the most bytes a row's values can take (check_lengths) */
    wb_index *indexes;
    yaml_node_t *index_nodes[WB_MAX_INDEXES];
    int nindexes;
    const char **checks;
    int nchecks;
} table_build;

typedef struct loader {
    wb_yaml y;
    wb_error *e;
    loaded_workload *lw;
    wb_table *tables; /* the tables read so far: a foreign key names an earlier one */
    int ntables;
    yaml_node_t *table_list; /* every table of the file, to say that a parent comes later */
} loader;

#define FAIL(l, node, ...) wb_yaml_fail(&(l)->y, (node), (l)->e, __VA_ARGS__)

/* A string of the file into a wb_str of the workload's memory. */
int wb_load_str(loader *l, yaml_node_t *node, const char *what, wb_str *out);

/* Read node as a column's SQL type into cb (load.c): its value type, SQL type,
 * parameters and spelling. */
int wb_load_type(loader *l, yaml_node_t *node, column_build *cb);

/* Read the generator mapping node of column cb (gen_parse.c): its kind, the kind's
 * parameters, the share of NULLs and the hostile values (hostile, when the column
 * gives them, is the column's key; the generator mapping may hold them too). */
int wb_load_generator(loader *l, table_build *tb, column_build *cb, yaml_node_t *node, yaml_node_t *hostile,
                      yaml_node_t *nulls);

/* The longest value column cb can hold for any key up to WB_KEY_MAX, in characters
 * and in bytes: hostile decorations and char(n)'s padding included. */
void wb_load_longest(const column_build *cb, int64_t *chars, int64_t *bytes);

/* Characters of the UTF-8 text s. */
int64_t wb_load_chars_of(wb_str s);

#endif
