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
    "named namespaces (--schema)", "prepared statements kept between transactions",
    "session settings kept between transactions", "session-level advisory locks", "temporary tables",
    "a server session of its own", "server-side WAL bytes",
};
static const char *const capability_keys[WB_CAP_COUNT] = {
    "copy", "pipeline", "merge", "returning", "arrays", "named_prepared", "upsert", "update_from",
    "drop_constraint", "server_counters", "named_namespace", "kept_statements", "session_state",
    "session_locks", "temp_tables", "own_session",
};

const char *wb_capability_key(unsigned cap)
{
    for (int i = 0; i < WB_CAP_COUNT; i++)
        if (cap == 1u << i)
            return capability_keys[i];
    return "?";
}

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

const char *wb_sql_type_name(wb_sql_type t)
{
    static const char *const names[WB_SQL_TYPE_COUNT] = {
        [WB_SQL_BIGINT] = "bigint",
        [WB_SQL_TEXT] = "text",
        [WB_SQL_VARCHAR] = "varchar(n)",
        [WB_SQL_NUMERIC] = "numeric(p,s)",
        [WB_SQL_SMALLINT] = "smallint",
        [WB_SQL_INTEGER] = "integer",
        [WB_SQL_REAL] = "real",
        [WB_SQL_DOUBLE] = "double precision",
        [WB_SQL_BOOLEAN] = "boolean",
        [WB_SQL_CHAR] = "char(n)",
        [WB_SQL_DATE] = "date",
        [WB_SQL_TIMESTAMP] = "timestamp",
        [WB_SQL_TIMESTAMPTZ] = "timestamptz",
        [WB_SQL_UUID] = "uuid",
        [WB_SQL_JSON] = "json",
        [WB_SQL_JSONB] = "jsonb",
        [WB_SQL_BYTEA] = "bytea",
    };
    return (unsigned)t < WB_SQL_TYPE_COUNT && names[t] ? names[t] : "?";
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
        {"drop_constraints_sql (with the capability ALTER TABLE ... DROP CONSTRAINT)",
         !(b->caps & WB_CAP_DROP_CONSTRAINT) || b->drop_constraints_sql},
        {"temp_server_describe and _stop (with temp_server_start)",
         !b->temp_server_start || (b->temp_server_describe && b->temp_server_stop && b->temp_server_noun)},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].present)
            return wb_fail(e, "backend %s lacks %s, which the interface requires", b->name ? b->name : "?",
                           required[i].name);
    /* every SQL type a workload may declare: the DDL names each one, and the values
     * of the types below are made from units, which only the dialect can say how */
    static const wb_sql_type from_units[] = {WB_SQL_REAL, WB_SQL_DOUBLE, WB_SQL_DATE, WB_SQL_TIMESTAMP,
                                             WB_SQL_TIMESTAMPTZ};
    for (size_t i = 0; i < sizeof from_units / sizeof from_units[0]; i++)
        if (!b->dialect->types[from_units[i]].from_units.open || !b->dialect->types[from_units[i]].from_units.close)
            return wb_fail(e, "backend %s lacks dialect.types[%s].from_units, which interface version 1 requires",
                           b->name ? b->name : "?", wb_sql_type_name(from_units[i]));
    if (!b->dialect->bytes_from_hex.open || !b->dialect->hex_digits.open)
        return wb_fail(e, "backend %s lacks dialect.bytes_from_hex or dialect.hex_digits, which interface "
                          "version 1 requires",
                       b->name ? b->name : "?");
    /* the others may be NULL: a type the backend does not take yet, refused by name */
    static const wb_sql_type required_types[] = {WB_SQL_BIGINT, WB_SQL_TEXT};
    for (size_t i = 0; i < sizeof required_types / sizeof required_types[0]; i++)
        if (!b->dialect->types[required_types[i]].decl)
            return wb_fail(e, "backend %s lacks dialect.types[%s].decl (how it declares the type), which "
                              "interface version 1 requires",
                           b->name ? b->name : "?", wb_sql_type_name(required_types[i]));
    return 0;
}
