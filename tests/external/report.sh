#!/bin/sh
# A writebench external strategy that reports its own timed region
# (tests/integration/test_external.sh): it writes the workload with sqlite_cte.sh (next
# to it), then puts into $WRITEBENCH_REPORT the report MODE names: a good one (ok, a
# duration of one microsecond, so that rows/s is known in advance) or one of the
# malformed ones writebench must refuse; cache adds a cache's counts (1000 lookups,
# 17 stale reads), stale-alone the stale reads without the lookups (refused).
#
#     report.sh ok|cache|unclosed|negative|unknown-key|not-utf8|infinite|stale-alone|none
set -eu
"$(dirname "$0")/sqlite_cte.sh"
[ "$1" = none ] && exit 0 # writes no report at all
case $1 in
ok) printf '{"duration_s": 0.000001}\n' ;;
cache) printf '{"duration_s": 0.000001, "cache_lookups": 1000, "stale_reads": 17}\n' ;;
stale-alone) printf '{"duration_s": 0.001, "stale_reads": 17}' ;;
unclosed) printf '{"duration_s": 0.001' ;;
negative) printf '{"duration_s": -2}' ;;
unknown-key) printf '{"duration_s": 0.001, "rows": 200}' ;;
not-utf8) printf '{"duration_s": 0.001} \351' ;;
infinite) printf '{"duration_s": 1e999}' ;;
*)
    echo "report.sh: unknown mode $1" >&2
    exit 2
    ;;
esac >"$WRITEBENCH_REPORT"
