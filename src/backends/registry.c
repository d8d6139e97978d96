/* The backend registry (registry.h) and what is asked of it: a backend by kind,
 * the default one, whether a backend implements the interface, and the names of
 * capabilities and of the backends that have them, for messages. */
#include <stdio.h>

#include "backends/backend.h"

#define WB_BACKEND_EXTERN_(kind, var) extern const wb_backend var;
WB_BACKEND_REGISTRY(WB_BACKEND_EXTERN_)
#undef WB_BACKEND_EXTERN_

static const wb_backend *const registry[WB_BACKEND_COUNT] = {
#define WB_BACKEND_ENTRY_(kind, var) [WB_BACKEND_##kind] = &var,
    WB_BACKEND_REGISTRY(WB_BACKEND_ENTRY_)
#undef WB_BACKEND_ENTRY_
};

const wb_backend *wb_backend_get(wb_backend_kind kind)
{
    return (unsigned)kind < WB_BACKEND_COUNT ? registry[kind] : NULL;
}

wb_backend_kind wb_backend_default_kind(void)
{
    return (wb_backend_kind)0;
}

/* Names of the WB_CAP_* bits, in bit order. */
static const char *const capability_names[WB_CAP_COUNT] = {
    "COPY", "pipeline mode", "MERGE", "RETURNING", "array parameters", "named prepared statements",
    "upsert", "UPDATE ... FROM", "ALTER TABLE ... DROP CONSTRAINT", "server-side counters",
    "named namespaces (--schema)", "server-side WAL bytes",
};

const char *wb_capability_name(unsigned cap)
{
    for (int i = 0; i < WB_CAP_COUNT; i++)
        if (cap == 1u << i)
            return capability_names[i];
    return "?";
}

void wb_capability_names(unsigned caps, wb_buf *out)
{
    int first = 1;
    for (int i = 0; i < WB_CAP_COUNT; i++)
        if (caps & (1u << i)) {
            wb_buf_printf(out, "%s%s", first ? "" : ", ", capability_names[i]);
            first = 0;
        }
}

void wb_backends_with(unsigned caps, wb_buf *out)
{
    int n = 0, total = 0;
    for (int k = 0; k < WB_BACKEND_COUNT; k++)
        total += (registry[k]->caps & caps) == caps;
    for (int k = 0; k < WB_BACKEND_COUNT; k++) {
        if ((registry[k]->caps & caps) != caps)
            continue;
        n++;
        wb_buf_printf(out, "%s%s", n == 1 ? "" : n == total ? " and " : ", ", registry[k]->display_name);
    }
}

int wb_backend_check(const wb_backend *b, wb_error *e)
{
    if (!b)
        return wb_fail(e, "no backend");
    if (b->interface_version < 1 || b->interface_version > WB_BACKEND_INTERFACE_VERSION)
        return wb_fail(e, "backend %s implements interface version %d; this writebench knows 1 to %d",
                       b->name ? b->name : "?", b->interface_version, WB_BACKEND_INTERFACE_VERSION);
    /* The required members of version 1, by name, so that a missing one is named. */
    const struct {
        const char *name;
        int present;
    } required[] = {
        {"name", b->name != NULL},
        {"display_name", b->display_name != NULL},
        {"dialect", b->dialect != NULL},
        /* the dialect's text the workloads' SQL and DDL are written with */
        {"dialect.key_cast", b->dialect && b->dialect->key_cast},
        {"dialect.decimal_from_cents", b->dialect && b->dialect->decimal_from_cents},
        {"dialect.begin_sql", b->dialect && b->dialect->begin_sql},
        {"dialect.series_from", b->dialect && b->dialect->series_from},
        {"dialect.chr_format", b->dialect && b->dialect->chr_format},
        {"dialect.distinct_op", b->dialect && b->dialect->distinct_op},
        {"dialect.concat_op", b->dialect && b->dialect->concat_op},
        {"dialect.int_div_op", b->dialect && b->dialect->int_div_op},
        {"dialect.cast_type (INT64, TEXT, DECIMAL)", b->dialect && b->dialect->cast_type[0] && b->dialect->cast_type[1] &&
                                                         b->dialect->cast_type[2]},
        {"schemes or claims_bare", (b->schemes && b->schemes[0]) || b->claims_bare},
        {"forms", b->forms != NULL},
        {"parse_target", b->parse_target != NULL},
        {"connect", b->connect != NULL},
        {"disconnect", b->disconnect != NULL},
        {"exec", b->exec != NULL},
        {"query", b->query != NULL},
        {"server_version", b->server_version != NULL},
        {"claim_namespace", b->claim_namespace != NULL},
        {"table_name", b->table_name != NULL},
        {"snapshot", b->snapshot != NULL},
        {"describe_settings", b->describe_settings != NULL},
        {"attach_counters", b->attach_counters != NULL},
        {"stmt_prepare", b->stmt_prepare != NULL},
        {"stmt_bind", b->stmt_bind != NULL},
        {"stmt_exec", b->stmt_exec != NULL},
        {"stmt_finalize", b->stmt_finalize != NULL},
        {"begin", b->begin != NULL},
        {"commit", b->commit != NULL},
        {"rollback", b->rollback != NULL},
        {"param_limit", b->param_limit != NULL},
        {"unlock (with lock)", !b->lock || b->unlock},
        {"constraint_names (with the capability ALTER TABLE ... DROP CONSTRAINT, version 2)",
         !(b->caps & WB_CAP_DROP_CONSTRAINT) || (b->interface_version >= 2 && b->constraint_names)},
        {"temp_server_describe and _stop (with temp_server_start)",
         !b->temp_server_start || (b->temp_server_describe && b->temp_server_stop && b->temp_server_noun)},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].present)
            return wb_fail(e, "backend %s lacks %s, which the interface requires", b->name ? b->name : "?",
                           required[i].name);
    return 0;
}
