/* The text of run.conf: every setting a run used, the machine it ran on and the
 * backend's write-speed settings, as "key = value" lines. Never a password. */
#ifndef WB_RUNNER_CONF_H
#define WB_RUNNER_CONF_H

#include "runner/run.h"
#include "util/buf.h"

/* Append run.conf's text for cfg; server_version and settings come from the backend. */
void wb_conf_text(const wb_run_config *cfg, const char *run_id, const char *server_version,
                  const char *backend_settings, wb_buf *out);
/* Append the command line with the --db value replaced by its redacted form. */
void wb_conf_command_line(const wb_run_config *cfg, wb_buf *out);

#endif
