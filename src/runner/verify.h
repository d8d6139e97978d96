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
    char detail[1024];      /* on failure: "address: 1 wrong row (first key 17: street_address is 'x', expected 'y')" */
} wb_verify_result;

/* Check that every table of w holds keys 1..rows with the values of `version`.
 * Returns -1 only when the check itself could not run (e set); a mismatch is
 * ok = 0 with a detail. */
int wb_verify(const wb_backend *b, wb_conn *c, const wb_workload *w, int64_t rows, int version,
              wb_verify_mode mode, wb_verify_result *out, wb_error *e);

#endif
