/* Verification inside the database: one query per table counts rows, missing
 * keys, extra keys and rows whose columns differ from the generator's SQL
 * expressions, so checking millions of rows moves no data to the client. */
#ifndef WB_RUNNER_VERIFY_H
#define WB_RUNNER_VERIFY_H

#include <stdint.h>

#include "backends/backend.h"
#include "workloads/workload.h"

typedef enum wb_verify_mode {
    WB_VERIFY_VALUES = 0, /* every column of every row */
    WB_VERIFY_COUNT = 1   /* counts and keys only, for programs that write their own values */
} wb_verify_mode;

typedef struct wb_verify_result {
    int ok;                 /* 1 when every table holds exactly what it must */
    int64_t rows_verified;  /* rows found correct, summed over tables */
    int parts;              /* connections the values scans ran on at once (wb_verify_parallel) */
    char detail[1024];      /* on failure: "address: 1 wrong row (first key 17: street_address is 'x', expected 'y')" */
} wb_verify_result;

/* Check that every table of w holds keys 1..rows with the values of `version`.
 * Returns -1 only when the check itself could not run (e set); a mismatch is
 * ok = 0 with a detail. */
int wb_verify(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
              wb_verify_mode mode, wb_verify_result *out, wb_error *e);

/* wb_verify, with the values scans of big tables cut into key ranges checked at
 * once on extra connections to target (one per core, up to 4; fewer when target is
 * private to c, the tables are small, or a connection cannot be opened). The
 * result is the same as wb_verify's; only the time differs. */
int wb_verify_parallel(const wb_backend *b, const wb_target *target, wb_conn *c, const wb_workload *w,
                       int64_t rows, int version, wb_verify_mode mode, wb_verify_result *out, wb_error *e);

/* Test-only: the fewest keys a part of wb_verify_parallel has (100000 otherwise), so
 * that a small table is cut into parts too. */
void wb_verify_test_rows_per_part(int64_t rows);

/* --verify count on an update pass: before it, copy every table's key and the
 * columns version 2 changes into a side table of writebench's namespace
 * ("writebench_before_<table>"), inside the database. */
int wb_verify_keep_before(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e);
/* After the update pass: count, inside the database, the rows of keys 1..rows
 * whose changed columns still hold what the side table kept although the
 * generator's versions 1 and 2 differ there; any such row sets out->ok = 0 with a
 * detail ("user_account: 100 of 100 rows unchanged by the update pass (first: key 1)").
 * out is the result of wb_verify (kept when already failed). -1 only when the check
 * could not run. */
int wb_verify_changed(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, wb_verify_result *out,
                      wb_error *e);
/* Drop the side tables of wb_verify_keep_before (absent ones are fine). */
int wb_verify_forget_before(const wb_backend *b, wb_conn *c, const wb_workload *w, wb_error *e);

#endif
