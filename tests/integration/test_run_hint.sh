# Integration test of the hint at the end of a SQLite run (issue 10, item 10): it
# names the binary that ran by its absolute path, so pasted as it is, from any
# directory and with writebench not on $PATH, it counts the rows the run left.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tmp=$(make_temp_dir)
mkdir -p "$tmp/tmp" "$tmp/elsewhere"
# The default database goes under $TMPDIR: ours, so it is removed with the test.
# The binary is started by a relative path from another directory.
bin_dir=$(dirname "$WB_BIN")
(cd "$bin_dir" && TMPDIR="$tmp/tmp" ./"$(basename "$WB_BIN")" run --rows 20 --slow-rows 10 \
    --strategies prepared --results "$tmp/results" </dev/null >"$tmp/out" 2>"$tmp/err")
check_eq "the run exits 0" 0 "$?" || tail -n 5 "$tmp/out" "$tmp/err"
hint=$(grep -A1 'see it with' "$tmp/out" | tail -n 1 | sed 's/^ *//')
check_contains "the hint is a count command" "$hint" " count --db sqlite://$tmp/tmp/"
real_bin=$(realpath "$WB_BIN")
check_eq "the hint starts with the binary's absolute path" "$real_bin" "${hint%% count --db*}"

# Pasted as it is, somewhere else, with an empty $PATH but for the shell's own needs.
(cd "$tmp/elsewhere" && PATH=/usr/bin:/bin bash -c "$hint" </dev/null >"$tmp/count.out" 2>"$tmp/count.err")
check_eq "the pasted hint exits 0" 0 "$?" || cat "$tmp/count.err"
check "it counts the 20 users the run left" grep -qE '^user_account +20$' "$tmp/count.out"
check "and their 20 addresses" grep -qE '^address +20$' "$tmp/count.out"

finish
