/* The load-time check of a workload: its C and SQL definitions held to each other
 * on the target database (docs/WORKLOADS.md, "The load-time check"). run and
 * profile make it before they measure anything, `writebench workload check` makes
 * it alone. */
#ifndef WB_WORKLOADS_CHECK_H
#define WB_WORKLOADS_CHECK_H

#include "backends/backend.h"
#include "workloads/workload.h"

/* The sample's keys into keys[] (room for 110): 1..100, where every hostile kind of
 * every column shows in both versions, and the last 10 keys up to last_key.
 * Returns how many. */
int wb_check_sample_keys(int64_t last_key, int64_t *keys);

/* Make the sample's rows, both versions, in C and compare them inside the database
 * on c with the SQL expressions of every column (one SELECT per table). Reads
 * only; writes nothing. Returns 0 when they agree; 1 when they disagree, with one
 * line in e naming the workload, table, column, key and version and both values;
 * -1 when the query failed (e says why). */
int wb_workload_check(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t last_key, wb_error *e);

#endif
