#!/bin/sh
# A writebench external strategy that shows what it was given (tests/integration/test_external.sh):
# it writes, into DIR/<phase>/ (DIR = its first argument) and into
# $WRITEBENCH_OUTPUT_DIR: env.txt (its environment), and facts.txt (its arguments,
# working directory, standard input, process and group ids, and what
# $WRITEBENCH_OUTPUT_DIR held when it started); prints one line on stdout; then
# writes the workload with sqlite_cte.sh (next to it), so that it verifies.
#
#     env_dump.sh DIR [ARGS...]
set -eu
dir=$1/$WRITEBENCH_PHASE
mkdir -p "$dir"
{
    echo "args=$*"
    echo "cwd=$(pwd)"
    echo "stdin=$(readlink /proc/$$/fd/0)"
    echo "pid=$$"
    # field 5 of /proc/PID/stat is the process group (field 2, "(sh)", has no space)
    echo "pgid=$(cut -d' ' -f5 /proc/$$/stat)"
    echo "output_dir_entries=$(find "$WRITEBENCH_OUTPUT_DIR" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ')"
} >"$dir/facts.txt"
env >"$dir/env.txt"
cp "$dir/facts.txt" "$dir/env.txt" "$WRITEBENCH_OUTPUT_DIR/"
echo "env_dump.sh: hello on stdout ($WRITEBENCH_PHASE)"
exec "$(dirname "$0")/sqlite_cte.sh"
