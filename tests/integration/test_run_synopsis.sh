# Integration test of `writebench run --help` and `writebench help run` (issue 10,
# item 10): the synopsis is generated from the option table that parses run's
# options, so every option the help lists below "options:" (printed from that same
# table) appears in the synopsis, and both ways of asking print the same screen.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_wb run --help
check_eq "run --help exits 0" 0 "$WB_RC"
help_out=$(cat "$WB_OUT")
run_wb help run
check_eq "help run exits 0" 0 "$WB_RC"
check_eq "help run prints what run --help prints" "$help_out" "$(cat "$WB_OUT")"

# The synopsis: from "usage:" to the first empty line. The options: the lines of
# the options section that start with two spaces and "--".
synopsis=$(sed -n '/^usage:/,/^$/p' <<<"$help_out" | tr -s ' \n' ' ')
mapfile -t options < <(sed -n '/^options:/,$p' <<<"$help_out" | sed -n 's/^  \(--[a-z][a-z0-9-]*\).*/\1/p')
check "the synopsis starts with 'usage: writebench run'" grep -q '^usage: writebench run \[--' <<<"$help_out"
# run has some twenty options: a short list means the options section was not found.
check "the help lists run's options (found ${#options[@]})" test "${#options[@]}" -ge 15
for name in "${options[@]}"; do
    check_contains "the synopsis names $name" "$synopsis" "[$name"
done
# Options the README documents for run, in case the options section itself lost one.
for name in --db --schema --rows --pragma --external-dir --external-slow --report --echo --external; do
    check_contains "the synopsis names $name (README)" "$synopsis" "[$name"
done
# --external takes the rest of the command line: it comes last.
check "the synopsis ends with the --external group" grep -q '\[--external [^]]*\[ARGS\.\.\.\]\] $' <<<"$synopsis"

finish
