/* The hostile kinds (docs/WORKLOADS.md, "Hostile rows"): what a hostile row puts
 * into a column instead of its ordinary value, in the order the kind number cycles
 * through them. Both renderings of a column (generate.c, sql_expr.c) read this
 * one table. */
#include "workloads/gen_internal.h"

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
