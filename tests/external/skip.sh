#!/bin/sh
# A writebench external strategy that cannot run here (tests/integration/test_external.sh):
# exit status 77, the last line of stderr being the reason. writebench must record
# the test as skipped: "skipped: <reason>".
echo "skip.sh: looking for a quantum database" >&2
echo "needs a quantum database, none found" >&2
exit 77
