#!/bin/sh
# A writebench external strategy that dies of a signal (tests/integration/test_external.sh):
# writebench must record the test as crashed, not failed.
echo "crash.sh: about to die of SIGSEGV" >&2
kill -SEGV $$
