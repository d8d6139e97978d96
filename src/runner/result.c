/* A test's result record: its blank state and the names of its statuses and
 * origins (see result.h). */
#include "runner/result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Indexed by wb_status; these names are keys in results.json, never rename them. */
static const char *const status_names[] = {
    [WB_STATUS_OK] = "ok",
    [WB_STATUS_FAILED] = "failed",
    [WB_STATUS_CRASHED] = "crashed",
    [WB_STATUS_TIMEOUT] = "timeout",
    [WB_STATUS_SKIPPED] = "skipped",
    [WB_STATUS_NOT_MEASURED] = "not-measured",
};

const char *wb_status_name(wb_status s)
{
    size_t i = (size_t)s;
    if (i < sizeof status_names / sizeof *status_names && status_names[i])
        return status_names[i];
    return "unknown";
}

const char *wb_result_error_detail(const wb_result *r)
{
    const char *name = wb_status_name(r->status);
    size_t i = 0;
    /* the status name's hyphens are spaces in the message: "not-measured" / "not measured:" */
    while (name[i] && r->error[i] && (r->error[i] == name[i] || (name[i] == '-' && r->error[i] == ' ')))
        i++;
    if (name[i] == '\0' && r->error[i] == ':')
        return r->error[i + 1] == ' ' ? r->error + i + 2 : r->error + i + 1;
    return r->error;
}

void wb_result_init(wb_result *r)
{
    /* zero: empty strings, success 0, status OK, not slow */
    memset(r, 0, sizeof *r);
    r->rows = r->threads = r->batch = r->repeat = -1;
    r->rows_verified = -1;
    r->duration_s = r->rows_per_s = r->connect_s = NAN;
    r->cpu_user_s = r->cpu_sys_s = NAN;
    r->peak_rss_kb = r->server_peak_rss_kb = -1;
    r->wal_bytes = r->commits = r->db_bytes = -1;
    r->status = WB_STATUS_OK;
    r->lock_waits = -1;
    r->lock_wait_s = NAN;
    r->transaction_retries = -1;
    r->server_share = NAN;
    r->client_share = NAN;
    r->verify_s = r->process_s = NAN;
    r->standby_received_bytes = r->standby_lag_bytes = -1;
    r->standby_replay_lag_s = NAN;
    r->batches = -1;
    r->batch_p50_ms = r->batch_p95_ms = r->batch_p99_ms = r->batch_max_ms = NAN;
    r->external = 0;
    snprintf(r->language, sizeof r->language, "c");
    snprintf(r->io, sizeof r->io, "sync");
    r->cache_lookups = r->stale_reads = -1;
}

/* Indexed by the external flag; keys in results.json and the aggregate, never rename them. */
static const char *const origin_names[] = {"built-in", "external"};

const char *wb_origin_name(int external)
{
    return origin_names[external != 0];
}

int wb_origin_parse(const char *name, int *external)
{
    for (int i = 0; i < 2; i++)
        if (name && strcmp(name, origin_names[i]) == 0) {
            *external = i;
            return 0;
        }
    return -1;
}

const char *wb_result_language(const wb_result *r)
{
    if (r->language[0])
        return r->language;
    return r->external ? "unknown" : "c";
}
