#!/bin/sh
# A writebench external strategy that fails (tests/integration/test_external.sh):
# some progress, then an error message on stderr, then exit status 3. writebench
# must record the test as failed with the last lines of stderr as its error.
echo "fail.sh: connecting to nowhere" >&2
echo "fail.sh: error: the flux capacitor is out of plutonium (exit 3)" >&2
exit 3
