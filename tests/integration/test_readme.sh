# Integration test of the README's two quick-start commands (issue 2), on a fresh
# `git clone` of the committed tree: the first (build and run) is run exactly as
# written and must finish and leave a results.csv; the second (the test suite)
# would recurse here, so the test checks that CI (.ci/run) runs exactly it.
#
# The commands are the fenced code blocks after these markers in README.md:
#     <!-- quickstart:run -->  ```...```  <!-- /quickstart -->
#     <!-- quickstart:test --> ```...```  <!-- /quickstart -->
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_TIMEOUT_S=300

# The README test builds and runs its own clone, so the binary under test does
# not matter: run it once, from the plain build, not again under the sanitizers.
if grep -q __asan_init "$WB_BIN" 2>/dev/null; then
    skip_test "runs once, in the plain build (this is a sanitizer build; the README command builds its own binary)"
fi
git -C "$WB_SOURCE_DIR" rev-parse --verify -q HEAD >/dev/null 2>&1 ||
    skip_test "$WB_SOURCE_DIR is not a git checkout with a commit"

tmp=$(make_temp_dir)
clone="$tmp/clone"
git clone -q "$WB_SOURCE_DIR" "$clone" || { fail "git clone of $WB_SOURCE_DIR"; finish; }
[[ -f "$clone/README.md" ]] || skip_test "README.md is not committed yet"

# quickstart_block NAME: the first fenced code block between <!-- quickstart:NAME -->
# and <!-- /quickstart -->, without the fences; a leading "$ " prompt is dropped.
quickstart_block() {
    python3 - "$clone/README.md" "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!--\s*quickstart:%s\s*-->(.*?)<!--\s*/quickstart\s*-->" % re.escape(sys.argv[2]), text, re.S)
if not m:
    sys.exit(1)
block = re.search(r"^ *(```|~~~)[^\n]*\n(.*?)^ *\1", m.group(1), re.S | re.M)
if not block:
    sys.exit(1)
lines = [re.sub(r"^\$ ", "", l) for l in block.group(2).splitlines()]
print("\n".join(l for l in lines if l.strip()))
PY
}

run_command=$(quickstart_block run) || skip_test "README.md at HEAD has no <!-- quickstart:run --> block yet"
test_command=$(quickstart_block test) || skip_test "README.md at HEAD has no <!-- quickstart:test --> block yet"
check "the run command is not empty" test -n "$run_command"
check "the test command is not empty" test -n "$test_command"

# The second command: CI runs exactly the README's test command.
while IFS= read -r line; do
    check "the README's test command '$line' is a line of .ci/run" grep -qxF -- "$line" "$clone/.ci/run"
done <<<"$test_command"

# The first command, exactly as written, in the fresh clone (stdin closed, like CI).
# TMPDIR only moves the default database (made under $TMPDIR) into our temporary
# directory, so that it is removed with the clone.
mkdir -p "$tmp/tmp"
echo "running, in a fresh clone (timeout ${RUN_TIMEOUT_S}s):"
echo "$run_command" | sed 's/^/    /'
start_s=$SECONDS
(cd "$clone" && TMPDIR="$tmp/tmp" timeout -k 10 $RUN_TIMEOUT_S bash -e -c "$run_command") </dev/null >"$tmp/run.log" 2>&1
rc=$?
echo "took $((SECONDS - start_s))s"
if ! check_eq "the run command exits 0" 0 "$rc"; then
    [[ $rc -eq 124 ]] && echo "(timed out after ${RUN_TIMEOUT_S}s)"
    tail -n 30 "$tmp/run.log"
fi
csv=$(find "$clone" -name results.csv -path '*/results/*' 2>/dev/null | head -n 1)
check "a run directory with results.csv appeared (${csv#"$clone"/})" test -n "$csv"
if [[ -n "$csv" ]]; then
    py_checks "$csv" <<'PY'
header, records, lists = read_csv(sys.argv[1])
check(len(header) == 36 and header[:2] == ["run_id", "test"] and header[24:27] == ["verify", "verify_s", "process_s"],
      "results.csv has the header of docs/ARCHITECTURE.md, Results files")
check(len(records) >= 10, f"results.csv holds a full comparison ({len(records)} tests)")
failed = [r.get("test") for r in records if r.get("success") != "1"]
check(not failed, "every test of the quick start succeeded" + (f" (failed: {failed})" if failed else ""))
PY
fi

finish
