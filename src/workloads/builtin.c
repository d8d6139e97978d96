/* The built-in workloads `users` and `products` (docs/ARCHITECTURE.md, "Workloads"): their tables,
 * columns, indexes and the definition of every column's values, plus the
 * lookups by name. docs/WORKLOADS.md documents these definitions as formulas;
 * change both together (test_workload checks the doc's examples). */
#include <string.h>

#include "workloads/gen_internal.h"

/* The hostile kinds, in the order the kind number cycles through them. */
const wb_hostile_kind wb_hostile_kinds[WB_HOSTILE_KINDS] = {
    {"null", WB_EFFECT_NULL, WB_STR("")},
    {"empty", WB_EFFECT_EMPTY, WB_STR("")},
    {"quote", WB_EFFECT_DECORATE, WB_STR("O'Brien ")},
    /* "\t" and "\N" mean tab and NULL to COPY's text format: a strategy that
     * forgets to escape backslashes stores something else */
    {"backslash", WB_EFFECT_DECORATE, WB_STR("C:\\temp\\N ")},
    {"tab", WB_EFFECT_DECORATE, WB_STR("tab\t")},
    {"newline", WB_EFFECT_DECORATE, WB_STR("line\n")},
    {"cr", WB_EFFECT_DECORATE, WB_STR("cr\r")},
    {"utf8", WB_EFFECT_DECORATE, WB_STR("Zo\xc3\xab \xe2\x80\xa6 \xe6\x97\xa5\xe6\x9c\xac ")}, /* "Zoë … 日本 " */
};

static const struct wb_column_gen gen_key = {.kind = WB_GEN_KEY};

/* --- users: the SQLAlchemy quick-start model, one address per user --- */

/* at most 10 (decoration) + 4 + 10 (keys up to 10^9) + 3 = 27 characters: fits varchar(30) */
static const struct wb_column_gen gen_user_name = {
    .kind = WB_GEN_TEXT, .prefix = WB_STR("user"), .suffix = {WB_STR(""), WB_STR("_v2")},
    .hostile_offset = 0};
static const struct wb_column_gen gen_user_fullname = {
    .kind = WB_GEN_TEXT, .prefix = WB_STR("User "),
    .suffix = {WB_STR(" Smith"), WB_STR(" Smith-Jones")}, .hostile_offset = 3};
static const struct wb_column_gen gen_street_address = {
    .kind = WB_GEN_TEXT, .prefix = WB_STR(""),
    .suffix = {WB_STR(" Main Street"), WB_STR(" Oak Avenue")}, .hostile_offset = 5};

static const wb_column user_account_columns[] = {
    {"id", WB_TYPE_INT64, "INTEGER", "bigint", 0, 0, 0, &gen_key},
    {"name", WB_TYPE_TEXT, "VARCHAR(30)", "varchar(30)", 0, 0, 1, &gen_user_name},
    {"fullname", WB_TYPE_TEXT, "TEXT", "text", 1, 0, 1, &gen_user_fullname},
};

static const wb_column address_columns[] = {
    {"id", WB_TYPE_INT64, "INTEGER", "bigint", 0, 0, 0, &gen_key},
    {"street_address", WB_TYPE_TEXT, "TEXT", "text", 0, 0, 1, &gen_street_address},
    {"user_id", WB_TYPE_INT64, "INTEGER", "bigint", 0, 0, 0, &gen_key},
};

static const wb_table users_tables[] = {
    {"user_account", user_account_columns, 3, NULL, 0, NULL, NULL, NULL},
    {"address", address_columns, 3, NULL, 0, NULL, "user_id", "user_account"},
};

static const wb_workload users_workload = {
    "users",
    "the SQLAlchemy quick-start model: user_account and address, one address per user; "
    "version 2 changes name, fullname and street_address (the insert-or-update workload)",
    users_tables, 2};

/* --- products: the bulk-load workload --- */

/* values stay unique across keys and versions: every decoration is followed by
 * "product <key>", and no decoration is a prefix of another or of "product " */
static const struct wb_column_gen gen_product_name = {
    .kind = WB_GEN_TEXT, .prefix = WB_STR("product "), .suffix = {WB_STR(""), WB_STR(" v2")},
    .hostile_offset = 0};
static const struct wb_column_gen gen_product_category = {
    .kind = WB_GEN_TEXT, .prefix = WB_STR("category "), .modulo = 100,
    .suffix = {WB_STR(""), WB_STR(" v2")}, .hostile_offset = 4};
/* 7919 is prime, so prices spread over 0.00..9999.99; 1013 moves every price in version 2 */
static const struct wb_column_gen gen_product_price = {
    .kind = WB_GEN_CENTS, .key_factor = 7919, .version_step = 1013, .modulus = 1000000,
    .hostile_offset = 6};

static const wb_column products_columns[] = {
    {"id", WB_TYPE_INT64, "INTEGER", "bigint", 0, 0, 0, &gen_key},
    {"name", WB_TYPE_TEXT, "TEXT", "text", 1, 1, 1, &gen_product_name},
    {"category", WB_TYPE_TEXT, "TEXT", "text", 1, 0, 1, &gen_product_category},
    {"price", WB_TYPE_DECIMAL, "NUMERIC(10,2)", "numeric(10,2)", 1, 0, 1, &gen_product_price},
};

static const wb_index products_indexes[] = {
    {"products_name_key", "name", 1},
    {"products_category_idx", "category", 0},
};

static const wb_table products_tables[] = {
    {"products", products_columns, 4, products_indexes, 2, "price >= 0", NULL, NULL},
};

static const wb_workload products_workload = {
    "products",
    "one products table with a unique name, an indexed category and an exact-decimal price; "
    "version 2 changes name, category and price (the bulk-load workload)",
    products_tables, 1};

const wb_workload *const wb_workloads[] = {&users_workload, &products_workload, NULL};

const wb_workload *wb_workload_find(const char *name)
{
    for (int i = 0; wb_workloads[i]; i++)
        if (strcmp(wb_workloads[i]->name, name) == 0)
            return wb_workloads[i];
    return NULL;
}

int wb_table_column_index(const wb_table *t, const char *name)
{
    for (int i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return i;
    return -1;
}
