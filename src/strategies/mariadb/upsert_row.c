/* MariaDB's own per-row upserts, on the generic per-row loop (generic.h), which
 * prepares the statements once per table and thread and commits every --batch rows:
 *   - replace: REPLACE INTO. On a duplicate key MariaDB deletes the old row and
 *     inserts the new one: every index entry is rewritten, delete's foreign-key
 *     checks run, and InnoDB refuses to delete a row that another table's foreign
 *     key references. So its update pass cannot run on a workload whose tables are
 *     referenced (users: address.user_id references user_account), and is skipped
 *     there with that reason: a property of the workload, known before it runs.
 *   - insert-ignore-then-update: INSERT IGNORE; when it inserted nothing (the key
 *     exists), UPDATE. IGNORE turns every error of the INSERT into a warning, not
 *     only the duplicate key: a wrong value is caught by verification, not here. */
#include <string.h>

#include "strategies/generic/generic.h"
#include "strategies/mariadb/mariadb_strategies.h"

static int replace_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    (void)which;
    wb_gen_insert_sql(ctx, c, t, "REPLACE", 1, 0, out);
    return t->ncolumns;
}

static int replace_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    return wb_gen_exec_row(s, 0, row, "replace", NULL, e);
}

/* insert-ignore-then-update: statements INSERT IGNORE, UPDATE. */
enum { IIU_INSERT, IIU_UPDATE, IIU_COUNT };

static int insert_ignore_sql(const wb_ctx *ctx, wb_conn *c, const wb_table *t, int which, wb_buf *out)
{
    if (which == IIU_INSERT)
        wb_gen_insert_sql(ctx, c, t, "INSERT IGNORE", 1, 0, out);
    else
        wb_gen_update_sql(ctx, c, t, out);
    return t->ncolumns;
}

static int insert_ignore_row(const wb_gen_stmts *s, const wb_row *row, wb_error *e)
{
    int64_t inserted = 0;
    if (wb_gen_exec_row(s, IIU_INSERT, row, "insert ignore", &inserted, e) != 0)
        return -1;
    if (inserted > 0)
        return 0;
    return wb_gen_exec_row(s, IIU_UPDATE, row, "update", NULL, e);
}

static const wb_gen_row_writer replace = {1, 0, replace_sql, replace_row};
static const wb_gen_row_writer insert_ignore = {IIU_COUNT, 0, insert_ignore_sql, insert_ignore_row};

static int64_t commit_every(const wb_ctx *ctx)
{
    return ctx->batch > 0 ? ctx->batch : WB_GEN_ONE_TX;
}

/* The first table of w that another table's foreign key references, or NULL. */
static const wb_table *referenced_table(const wb_workload *w, const wb_table **child, const char **column)
{
    for (int i = 0; i < w->ntables; i++)
        for (int f = 0; f < w->tables[i].nforeign_keys; f++)
            for (int p = 0; p < w->ntables; p++)
                if (strcmp(w->tables[p].name, w->tables[i].foreign_keys[f].table) == 0) {
                    *child = &w->tables[i];
                    *column = w->tables[i].foreign_keys[f].column;
                    return &w->tables[p];
                }
    return NULL;
}

int wb_mariadb_replace(wb_ctx *ctx)
{
    const wb_table *child = NULL;
    const char *column = NULL;
    const wb_table *parent = ctx->phase == WB_PHASE_UPDATE ? referenced_table(ctx->workload, &child, &column) : NULL;
    if (parent) {
        wb_fail(ctx->error,
                "REPLACE deletes a row before inserting its new version, and InnoDB refuses to delete a %s row "
                "that %s.%s references (a foreign key without ON DELETE)",
                parent->name, child->name, column);
        return WB_SKIP;
    }
    return wb_gen_write_rows(ctx, &replace, commit_every(ctx));
}

int wb_mariadb_insert_ignore_then_update(wb_ctx *ctx)
{
    return wb_gen_write_rows(ctx, &insert_ignore, commit_every(ctx));
}
