#!/bin/sh
# A writebench external strategy that writes the insert pass (with sqlite_cte.sh)
# and does nothing at all on the update pass: under --verify count (keys and counts
# only) its update pass must still fail, because no row changed
# (tests/integration/test_verify_count.sh).
set -eu
if [ "$WRITEBENCH_PHASE" = update ]; then
    echo "insert_only.sh: writing nothing on the update pass" >&2
    exit 0
fi
exec "$(dirname "$0")/sqlite_cte.sh"
