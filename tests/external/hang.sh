#!/bin/sh
# A writebench external strategy that never ends (tests/integration/test_external.sh):
# it starts a copy of itself in the background and both wait forever, ignoring
# SIGTERM, SIGINT and SIGHUP. writebench must kill the whole process group at
# --timeout. Both processes carry MARKER on their command line, so the test can
# look for survivors with `pgrep -f MARKER`.
#
#     hang.sh MARKER
trap '' TERM INT HUP
if [ "${2:-}" != child ]; then
    "$0" "$1" child &
    echo "hang.sh: started child $! and waiting forever" >&2
fi
while :; do
    sleep 1
done
