#!/bin/sh
# A writebench external strategy that leaves work behind (tests/integration/test_external.sh):
# it starts a child that burns CPU for TURNS loop turns, then writes the workload
# with sqlite_cte.sh (next to it) and exits WITHOUT waiting for the child. writebench
# must wait for the orphan too (the test lasts until every process has ended) and
# count its CPU time.
#
#     orphan_cpu.sh TURNS          the strategy
#     orphan_cpu.sh burn TURNS     the child (also how the test measures the burn alone)
if [ "${1:-}" = burn ]; then
    i=0
    while [ "$i" -lt "$2" ]; do
        i=$((i + 1))
    done
    exit 0
fi
"$0" burn "$1" &
exec "$(dirname "$0")/sqlite_cte.sh"
