/* The aggregate of runs rendered and exported (see export.h). */
#include "analysis/export.h"

#include "analysis/aggregate.h"
#include "util/fs.h"

int wb_aggregate_table_of(const wb_run_set *runs, wb_out_table **out, wb_error *e)
{
    wb_group *groups = NULL;
    int ngroups = 0;
    if (wb_aggregate(runs->results, runs->nresults, &groups, &ngroups, e) != 0)
        return -1;
    *out = wb_aggregate_table(groups, ngroups);
    wb_groups_free(groups, ngroups);
    return 0;
}

int wb_aggregate_render(const wb_run_set *runs, wb_format f, wb_buf *out, wb_error *e)
{
    wb_out_table *table = NULL;
    if (wb_aggregate_table_of(runs, &table, e) != 0)
        return -1;
    int rc = wb_out_table_write(table, f, "groups", out, e);
    wb_out_table_free(table);
    return rc;
}

int wb_export_aggregate(const wb_run_set *runs, wb_format f, const char *path, wb_error *e)
{
    wb_buf text = WB_BUF_INIT;
    int rc = wb_aggregate_render(runs, f, &text, e);
    if (rc == 0)
        rc = wb_fs_write_file_atomic(path, text.data ? text.data : "", text.len, e);
    wb_buf_free(&text);
    return rc;
}
