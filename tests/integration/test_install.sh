# Integration test of `cmake --install` (issue 14 item 6): the build directory
# installed into a temporary prefix puts the binary, the workloads, the examples,
# the man page and the bash completion where GNUInstallDirs says, and the
# installed binary runs from there, finding its workloads through its own path.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/installed_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/installed_lib.sh"

if [[ -z "${WB_BUILD_DIR:-}" || ! -f "$WB_BUILD_DIR/cmake_install.cmake" ]]; then
    fail "WB_BUILD_DIR must name the build directory (got '${WB_BUILD_DIR:-}')"
    finish
fi
prefix=$(make_temp_dir)/prefix
cmake --install "$WB_BUILD_DIR" --prefix "$prefix" >"$(make_temp_dir)/install.log" 2>&1
check_eq "cmake --install into a temporary prefix exits 0" 0 "$?"
check_installed_tree "$prefix"
check_man_lists_help "$prefix/bin/writebench" "$prefix/share/man/man1/writebench.1"

# The binary in the build directory still reads the source tree's workloads.
build_run=$(make_temp_dir)
run_wb run --db "sqlite://$build_run/t.db" --rows 50 --strategies single-tx --results "$build_run/results"
check_eq "the build directory's binary runs" 0 "$WB_RC"
check_contains "and reads the source tree's workload file" "$(cat "$(run_dir_in "$build_run/results")/run.conf")" \
    "workload_file = $(cd "$WB_SOURCE_DIR" && pwd -P)/workloads/users.yaml"

# The man page and completion installed are the ones the binary prints now.
check "the installed man page is what 'writebench --man' prints" \
    cmp -s "$prefix/share/man/man1/writebench.1" <("$WB_BIN" --man)
check "the installed completion is what 'writebench --completion bash' prints" \
    cmp -s "$prefix/share/bash-completion/completions/writebench" <("$WB_BIN" --completion bash)
run_wb --completion fish
check_eq "--completion for an unknown shell exits 2" 2 "$WB_RC"
check_contains "and names the shells it knows" "$(cat "$WB_ERR")" "name the shell: bash"
finish
