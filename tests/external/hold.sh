#!/bin/sh
# A writebench external strategy that holds its run at a handshake, so a test can
# act while the run is surely in the middle of a test (tests/integration/test_lock.sh,
# test_pg_lock.sh): in the insert pass it writes "started <pid>" into STARTED (a FIFO
# the test reads) and then waits for a line from RELEASE (a FIFO the test writes).
# Then, and in the update pass at once, it runs WRITER ARGS... in its place (a real
# strategy program that writes the data), or without one exits 77 (skipped).
#
#     hold.sh STARTED RELEASE [WRITER ARGS...]
set -eu
started=$1
release=$2
shift 2
if [ "$WRITEBENCH_PHASE" = insert ]; then
    echo "started $$" >"$started"
    read -r line <"$release"
    echo "hold.sh: released ($line)" >&2
fi
if [ $# -eq 0 ]; then
    echo "hold.sh: no writer given" >&2
    exit 77
fi
exec "$@"
