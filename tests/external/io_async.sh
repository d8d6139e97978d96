#!/bin/sh
# A writebench external strategy that declares itself an asyncio program.
# writebench: params=none io=async
#
# It writes the workload with sqlite_cte.sh (next to it); the header's io=async must
# reach results.json's "io" and code.diff (tests/integration/test_external.sh).
exec "$(dirname "$0")/sqlite_cte.sh"
