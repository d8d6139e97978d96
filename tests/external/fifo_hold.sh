#!/bin/sh
# A writebench external strategy that holds still on request
# (tests/integration/test_pg_password_argv.sh): it says it has started by writing
# "started PID" into the FIFO EVENTS, then waits for one line on the FIFO RELEASE,
# and exits 0 having written nothing. While it waits, writebench is mid-test and the
# test can look at the process listing. No sleep anywhere: both sides block on the
# FIFOs. The shell's read takes one line from a pipe and no more, so one release
# line frees one start of the program (one per pass).
#
#     fifo_hold.sh EVENTS RELEASE
echo "started $$" >"$1"
read -r _ <"$2"
