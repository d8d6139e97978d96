/* The HTML of `writebench profile`'s results: one section per profile run
 * directory (profile.csv, and cache.csv when the caching study ran), for the
 * HTML report and for profile's own report.html. Well-formed XML like the
 * report's markup; every value is escaped. */
#ifndef WB_PROFILE_PROFILE_REPORT_H
#define WB_PROFILE_PROFILE_REPORT_H

#include "analysis/runs.h"
#include "util/buf.h"
#include "util/error.h"

/* Append the profile section of one run directory (its profile.csv must exist;
 * cache.csv is optional) to out. -1 with e set when a file cannot be read or
 * is malformed. */
int wb_profile_report_run(const char *run_dir, const char *run_id, wb_buf *out, wb_error *e);

/* Append a "Profiles" section for every run of the set whose directory holds
 * profile.csv; nothing when none does. A file that cannot be read is shown as
 * a one-line note, not an error (the rest of the report stands). */
void wb_profile_report_section(const wb_run_set *runs, wb_buf *out);

/* Write a self-contained report.html with the profile section of run_dir into
 * run_dir; -1 with e set on failure. */
int wb_profile_report_write(const char *run_dir, const char *run_id, wb_error *e);

#endif
