#!/bin/sh
# A writebench external strategy that declares it ignores --batch and --threads.
# writebench: params=none
#
# It writes the workload with sqlite_cte.sh (next to it), which uses neither: a scan
# over --batch and --threads must run it once (tests/integration/test_external.sh).
exec "$(dirname "$0")/sqlite_cte.sh"
