/* STUB: the run protocol (to be implemented). */
#include "runner/run.h"

int wb_run(wb_run_config *cfg) { (void)cfg; return 2; }
