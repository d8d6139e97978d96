#!/bin/sh
# A wrapper that dispatches on the name it was started by, as a symlink farm of
# wrappers does (tests/integration/test_external.sh): it keeps $0 in
# $WRITEBENCH_OUTPUT_DIR/argv0.txt and writes the workload with sqlite_cte.sh when it
# was started as alpha, beta or gamma; under any other name (its own, argv0.sh, if
# writebench started what the symlink resolves to) it fails.
set -eu
echo "$0" >"$WRITEBENCH_OUTPUT_DIR/argv0.txt"
case $(basename "$0") in
alpha | beta | gamma) exec "$(dirname "$(readlink -f "$0")")/sqlite_cte.sh" ;;
*)
    echo "argv0.sh: started as $0, which is no wrapper's name" >&2
    exit 3
    ;;
esac
