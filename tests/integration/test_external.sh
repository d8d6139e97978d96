# Integration test of external strategies on SQLite (issue 6; docs/EXTERNAL.md): programs
# in C (built here with cc), shell and Python, started by `writebench run --external`:
#  0. the two examples of docs/EXTERNAL.md are, byte for byte, the files the test runs;
#  1. users: the C example, a shell program (sqlite3 and a recursive CTE) and the Python
#     example verify on both passes, with origin and language recorded; a program whose
#     forked child touches 64 MiB reports that child's peak RSS; a program that leaves a
#     CPU-burning orphan is waited for and the orphan's CPU counted; a program that
#     exits 3 fails with its stderr, one that exits 77 is skipped with its reason, one
#     killed by a signal crashed; an awk script's language is "awk"; code.diff holds each
#     program's path as given, what it resolves to and its sha256, run.log its stderr; the
#     environment a program sees is the protocol's, with exact values; the C example
#     reports its timed region (duration_s from its report, process_s the whole process),
#     a program that does not report has process_s = duration_s;
#  2. products: the C, shell and Python programs verify too;
#  3. --timeout kills the program and the child it started (none is left);
#  4. --external-dir takes the executable regular files, not hidden ones, named after
#     the file without its extension;
#  5. bad input: one line, exit 2, nothing created;
#  6. the timed region a program reports: rows/s from it, process_s >= duration_s; a
#     malformed report fails the test naming the file and what is wrong;
#  7. declared params: a program declaring params=none runs once in a --batch 10,20
#     --threads 1,2 scan with an empty batch and threads 1, one without a declaration in
#     every combination, --external-params wins over the header;
#  8. programs exactly as given: wrappers in a symlink farm see the symlink's name as $0
#     (by path, by PATH lookup, as an interpreter's script), and code.diff records the
#     path as given and what it resolves to;
#  9. describe --external-dir lists names, languages, params and first comment lines, in
#     every format; bad --external-params values and header lines: one line, exit 2.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXT="$WB_SOURCE_DIR/tests/external"
ROWS=200
MEM_MIB=64
BURN_TURNS=200000
# Variables the protocol sets only for PostgreSQL: unset, so "absent" means something.
unset PGOPTIONS PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGDATABASE PGAPPNAME
# Inherited by writebench: plain variables pass through, WRITEBENCH_* ones must not.
export WB_EXTERNAL_PASSTHROUGH="passed-through-$$"
export WRITEBENCH_STRATEGY=inherited-bogus WRITEBENCH_BOGUS=inherited-bogus

tmp=$(make_temp_dir)
tmp=$(cd "$tmp" && pwd -P) # writebench resolves paths: compare like with like

# --- 0. the examples in docs/EXTERNAL.md are the files tested here
py_checks "$WB_SOURCE_DIR" <<'PY'
import os, re
root = sys.argv[1]
doc = open(os.path.join(root, "docs/EXTERNAL.md"), encoding="utf-8").read()
blocks = re.findall(r"<!-- example: (\S+) -->\n```[a-z]*\n(.*?)```\n<!-- /example -->", doc, re.S)
check(sorted(p for p, _ in blocks) == ["examples/c/sqlite_prepared.c", "tests/external/minimal_python.py"],
      f"docs/EXTERNAL.md has the C and the Python example blocks (found {[p for p, _ in blocks]})")
for path, text in blocks:
    with open(os.path.join(root, path), encoding="utf-8") as f:
        check(f.read() == text, f"docs/EXTERNAL.md's block is {path}, byte for byte")
PY

# --- build the C programs (the C example, and the memory program that includes it)
mkdir -p "$tmp/bin"
CFLAGS_TEST=(-std=c11 -Wall -Wextra -Werror -O2)
if ! command -v "${CC:-cc}" >/dev/null; then
    fail "a C compiler (${CC:-cc}) is needed to build the test programs"
    finish
fi
for prog in examples/c/sqlite_prepared.c tests/external/memory_child.c; do
    out="$tmp/bin/$(basename "$prog" .c)"
    check "cc builds $prog (-Wall -Wextra -Werror)" \
        "${CC:-cc}" "${CFLAGS_TEST[@]}" -o "$out" "$WB_SOURCE_DIR/$prog" -lsqlite3
done
C_PROG="$tmp/bin/sqlite_prepared"
MEM_PROG="$tmp/bin/memory_child"
[[ -x "$C_PROG" && -x "$MEM_PROG" ]] || finish

# The CPU the orphan's burn takes here, measured alone (user + system seconds).
TIMEFORMAT="%U %S"
burn_cpu_s=$({ time "$EXT/orphan_cpu.sh" burn $BURN_TURNS >/dev/null; } 2>&1 | awk '{print $1 + $2}')
echo "the burn alone: ${burn_cpu_s}s of CPU"

# results_json_checks RUN_DIR <<'PY' ... PY: py_checks with `results` (results.json's
# list of results) and `by_test` (test name -> result) already loaded.
results_json_checks() {
    local run_dir=$1
    shift
    py_checks "$run_dir/results.json" "$@" < <(
        cat <<'PY'
import os
doc = json.load(open(sys.argv[1], encoding="utf-8"))
results = doc["results"]
by_test = {r["test"]: r for r in results}
def verified(name, rows_verified, language):
    for phase in ("insert", "update"):
        r = by_test.get(f"{name}-{phase}")
        if not check(r is not None, f"{name}-{phase} has a result"):
            continue
        check(r["status"] == "ok" and r["success"] is True and r["rows_verified"] == rows_verified,
              f"{name}-{phase} verified {rows_verified} rows "
              f"(status {r['status']}, rows_verified {r['rows_verified']}, error {r['error'][:300]!r})")
        check(r["origin"] == "external" and r["language"] == language,
              f"{name}-{phase}: origin external, language {language} "
              f"(got {r.get('origin')!r}, {r.get('language')!r})")
PY
        cat
    )
}

# --- 1. users: every kind of program in one run, from its own working directory, with
# a relative database path and results directory (the program must get absolute ones)
mkdir -p "$tmp/cwd" "$tmp/envs"
cd "$tmp/cwd" || exit 1
start_s=$SECONDS
run_wb run --db envtest.db --workload users --rows $ROWS --batch 50 --threads 2 --timeout 30 \
    --strategies none --results ../results1 --pragma synchronous=FULL \
    --external c="$C_PROG" \
    --external shell="$EXT/sqlite_cte.sh" \
    --external py="$EXT/minimal_python.py" \
    --external mem="$MEM_PROG" $MEM_MIB \
    --external orphan="$EXT/orphan_cpu.sh" $BURN_TURNS \
    --external envdump="$EXT/env_dump.sh" "$tmp/envs" \
    --external failing="$EXT/fail.sh" \
    --external skipping="$EXT/skip.sh" \
    --external crashing="$EXT/crash.sh" \
    --external awk="$EXT/skip.awk"
cd "$tmp" || exit 1
echo "(the users run took $((SECONDS - start_s)) s)"
check_eq "users: a run with a failing program exits 1" 1 "$WB_RC" || show_wb_output
run1=$(run_dir_in "$tmp/results1")
if [[ -z "$run1" || ! -f "$run1/results.json" ]]; then
    fail "users: no run directory with a results.json under $tmp/results1"
    show_wb_output
    finish
fi

results_json_checks "$run1" $ROWS $MEM_MIB "$burn_cpu_s" <<'PY'
rows, mem_mib, burn_cpu_s = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
verified("c", 2 * rows, "native")
verified("shell", 2 * rows, "shell")
verified("py", 2 * rows, "python")
verified("mem", 2 * rows, "native")
verified("orphan", 2 * rows, "shell")
verified("envdump", 2 * rows, "shell")
check(len(results) == 20 and all(r["origin"] == "external" for r in results),
      f"users: 10 programs x 2 passes, all external (--strategies none): {sorted(by_test)}")
check(all(r["rows"] == rows and r["batch"] == 50 and r["threads"] == 2 for r in results),
      "every result has rows 200, batch 50, threads 2 (what the programs were given)")

# Memory: the largest single process of the tree, here the forked child.
for phase in ("insert", "update"):
    mem, c = by_test.get(f"mem-{phase}"), by_test.get(f"c-{phase}")
    if mem and c:
        want_kb = mem_mib * 1024 * 15 // 16
        check((mem["peak_rss_kb"] or 0) >= want_kb,
              f"mem-{phase}: peak_rss_kb {mem['peak_rss_kb']} >= {want_kb} (its child touched {mem_mib} MiB)")
        # A program started by writebench's forked child keeps that child's resident
        # pages in its peak until it execs (the kernel carries the high-water mark
        # over exec): about 6 MiB here, about 40 MiB in a sanitizer build. The memory
        # child is forked by the small program, not by writebench, so it stands out
        # by most of its 64 MiB either way.
        check(0 < (c["peak_rss_kb"] or 0) and (mem["peak_rss_kb"] or 0) - c["peak_rss_kb"] >= want_kb // 4,
              f"c-{phase}: peak_rss_kb {c['peak_rss_kb']} is far below mem's {mem['peak_rss_kb']} (the same writer without that child)")
# CPU: of every process, the orphan included, which the test also waited for.
for phase in ("insert", "update"):
    r = by_test.get(f"orphan-{phase}")
    if r and r["cpu_user_s"] is not None and r["cpu_sys_s"] is not None:
        cpu = r["cpu_user_s"] + r["cpu_sys_s"]
        check(cpu >= 0.5 * burn_cpu_s,
              f"orphan-{phase}: CPU {cpu:.3f}s includes the orphan's burn ({burn_cpu_s:.3f}s alone)")
        check(r["duration_s"] is not None and r["duration_s"] >= 0.5 * burn_cpu_s,
              f"orphan-{phase}: duration {r['duration_s']}s lasts until the orphan ended")
    else:
        check(False, f"orphan-{phase}: CPU figures known ({r and (r['cpu_user_s'], r['cpu_sys_s'])})")

for phase in ("insert", "update"):
    r = by_test.get(f"failing-{phase}", {})
    check(r.get("status") == "failed" and r.get("success") is False,
          f"failing-{phase}: status failed (got {r.get('status')!r})")
    err = r.get("error", "")
    check("the flux capacitor is out of plutonium" in err and "3" in err and "connecting to nowhere" in err,
          f"failing-{phase}: the error has the exit status and the last stderr lines: {err!r}")
    r = by_test.get(f"skipping-{phase}", {})
    check(r.get("status") == "skipped" and r.get("error") == "skipped: needs a quantum database, none found",
          f"skipping-{phase}: skipped with the last stderr line as reason (got {r.get('status')!r}, {r.get('error')!r})")
    r = by_test.get(f"crashing-{phase}", {})
    check(r.get("status") == "crashed",
          f"crashing-{phase}: killed by a signal is status crashed (got {r.get('status')!r}: {r.get('error')!r})")
    check("11" in r.get("error", "") or "SEGV" in r.get("error", "") or "Segmentation" in r.get("error", ""),
          f"crashing-{phase}: the error names the signal: {r.get('error')!r}")

for phase in ("insert", "update"):
    r = by_test.get(f"awk-{phase}", {})
    check(r.get("status") == "skipped" and r.get("language") == "awk",
          f"awk-{phase}: an interpreter without a language name is recorded by its #! name, awk "
          f"(got {r.get('status')!r}, {r.get('language')!r})")

_, csv_rows, _ = read_csv(sys.argv[1].replace("results.json", "results.csv"))
check(sorted(r["test"] for r in csv_rows) == sorted(by_test),
      "results.csv has the same tests as results.json")

# The C example reports its timed region; the shell program does not.
run_dir = os.path.dirname(sys.argv[1])
for phase in ("insert", "update"):
    r = by_test.get(f"c-{phase}", {})
    path = f"{run_dir}/external/c/{phase}-r1-n{rows}-b50-t2/writebench-report.json"
    reported = json.load(open(path))["duration_s"] if os.path.exists(path) else None
    check(reported is not None and r.get("duration_s") == reported,
          f"c-{phase}: duration_s {r.get('duration_s')} is the one its report gives ({reported})")
    check(r.get("process_s") is not None and r.get("duration_s") is not None and r["process_s"] >= r["duration_s"],
          f"c-{phase}: process_s {r.get('process_s')} >= duration_s {r.get('duration_s')}")
    check(r.get("duration_s") and abs(r["rows_per_s"] - 2 * rows / r["duration_s"]) <= 1e-6 * r["rows_per_s"],
          f"c-{phase}: rows/s {r.get('rows_per_s')} is 2 x {rows} rows over the reported duration")
    r = by_test.get(f"shell-{phase}", {})
    check(r.get("process_s") is not None and r.get("process_s") == r.get("duration_s"),
          f"shell-{phase} does not report: process_s {r.get('process_s')} = duration_s {r.get('duration_s')}")
    check(not os.path.exists(f"{run_dir}/external/shell/{phase}-r1-n{rows}-b50-t2/writebench-report.json"),
          f"shell-{phase}: no report file")
PY

# code.diff: each program's path as given, what it resolves to and its sha256, as
# sha256sum computes it, and its params (none declared here).
# code_diff_checks CODE_DIFF NAME=GIVEN[=FOUND_IN_PATH]...: checks each program's lines.
code_diff_checks() {
    py_checks "$@" <<'PY'
import hashlib, os
text = open(sys.argv[1], encoding="utf-8").read()
for entry in sys.argv[2:]:
    name, given, *found = entry.split("=", 2)
    real = os.path.realpath(found[0] if found else given)
    sha = hashlib.sha256(open(real, "rb").read()).hexdigest()
    want = (f"\n  {name}: {given}\n" + (f"    found in PATH: {found[0]}\n" if found else "")
            + f"    resolves to: {real}\n    language ")
    check(want in text, f"code.diff: {name}: the path as given, {given}, and what it resolves to, {real}")
    language_line = text.split(want, 1)[1].split("\n", 1)[0] if want in text else ""
    check(language_line.endswith(f", sha256 {sha}"), f"code.diff: {name}: sha256 {sha} ({language_line!r})")
PY
}
code_diff_checks "$run1/code.diff" "c=$C_PROG" "shell=$EXT/sqlite_cte.sh" "py=$EXT/minimal_python.py" \
    "mem=$MEM_PROG" "envdump=$EXT/env_dump.sh" "failing=$EXT/fail.sh"
check "code.diff: an undeclared program's params are both, assumed" \
    grep -qxF "    params: batch,threads (not declared: both assumed)" "$run1/code.diff"

# run.log: the programs' stderr, line by line, also of the programs that succeeded.
log=$(cat "$run1/run.log")
check_contains "run.log has a failing program's stderr" "$log" \
    "failing-insert stderr: fail.sh: error: the flux capacitor is out of plutonium (exit 3)"
check_contains "run.log has its earlier stderr line too" "$log" "failing-insert stderr: fail.sh: connecting to nowhere"
check_contains "run.log has a successful program's stderr" "$log" \
    "shell-update stderr: sqlite_cte.sh: wrote $ROWS rows of user_account,address in version 2"
check_contains "run.log has the skip reason" "$log" "needs a quantum database, none found"

# The environment and circumstances the program saw, per pass.
py_checks "$tmp/envs" "$tmp/cwd" "$run1" "$ROWS" "$(cut -d' ' -f5 /proc/$$/stat)" <<'PY'
import os
envs, cwd, run_dir, rows, test_pgid = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def read_vars(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        name, sep, value = line.rstrip("\n").partition("=")
        if sep:
            out[name] = value
    return out
db = os.path.join(cwd, "envtest.db")
output_dirs = []
for phase, version in (("insert", "1"), ("update", "2")):
    if not check(os.path.exists(f"{envs}/{phase}/env.txt"), f"{phase}: the program dumped its environment"):
        continue
    env = read_vars(f"{envs}/{phase}/env.txt")
    facts = read_vars(f"{envs}/{phase}/facts.txt")
    expected = {
        "WRITEBENCH_PROTOCOL": "1", "WRITEBENCH_STRATEGY": "envdump", "WRITEBENCH_BACKEND": "sqlite",
        "WRITEBENCH_WORKLOAD": "users", "WRITEBENCH_TABLES": "user_account,address", "WRITEBENCH_FIRST_KEYS": "1,1",
        "WRITEBENCH_ROWS": rows, "WRITEBENCH_PHASE": phase, "WRITEBENCH_DATA_VERSION": version,
        "WRITEBENCH_BATCH": "50", "WRITEBENCH_THREADS": "2", "WRITEBENCH_REPEAT": "1",
        "WRITEBENCH_TIMEOUT_S": "30", "WRITEBENCH_SQLITE_PATH": db,
        "WRITEBENCH_REPORT": env.get("WRITEBENCH_OUTPUT_DIR", "?") + "/writebench-report.json",
        "WRITEBENCH_DATABASE_URL": "sqlite:///" + db,
        # the defaults, --pragma replacing one of them in place
        "WRITEBENCH_SQLITE_PRAGMAS": "journal_mode=WAL;synchronous=FULL;foreign_keys=ON",
        "WB_EXTERNAL_PASSTHROUGH": os.environ["WB_EXTERNAL_PASSTHROUGH"],
    }
    for name, value in expected.items():
        check(env.get(name) == value, f"{phase}: {name}={value!r} (got {env.get(name)!r})")
    for name in ("WRITEBENCH_SCHEMA", "PGOPTIONS", "PGAPPNAME", "PGHOST", "PGPASSWORD", "WRITEBENCH_BOGUS"):
        check(name not in env, f"{phase}: {name} is not set on SQLite / not inherited (got {env.get(name)!r})")
    out = env.get("WRITEBENCH_OUTPUT_DIR", "")
    output_dirs.append(out)
    check(os.path.isabs(out), f"{phase}: WRITEBENCH_OUTPUT_DIR is an absolute path (got {out!r})")
    real = os.path.realpath(os.path.join(cwd, out))
    check(real.startswith(os.path.realpath(run_dir) + "/") and os.path.isdir(real),
          f"{phase}: WRITEBENCH_OUTPUT_DIR is a directory inside the run directory ({out!r})")
    check(os.path.isfile(os.path.join(real, "env.txt")), f"{phase}: a file the program put there is kept")
    stdout = os.path.join(real, "stdout.txt")
    check(os.path.isfile(stdout) and f"hello on stdout ({phase})" in open(stdout).read(),
          f"{phase}: the program's stdout is in WRITEBENCH_OUTPUT_DIR/stdout.txt")
    check(facts.get("output_dir_entries") == "stderr.txt stdout.txt ",
          f"{phase}: the directory held only stdout.txt and stderr.txt at the start "
          f"(got {facts.get('output_dir_entries')!r})")
    check(facts.get("args") == envs, f"{phase}: the program got its argument as given ({facts.get('args')!r})")
    check(facts.get("cwd") == cwd, f"{phase}: the working directory is where writebench started ({facts.get('cwd')!r})")
    check(facts.get("stdin") == "/dev/null", f"{phase}: stdin is /dev/null ({facts.get('stdin')!r})")
    check(facts.get("pgid") not in (None, test_pgid),
          f"{phase}: the program is in another process group than writebench's ({facts.get('pgid')} vs {test_pgid})")
check(len(set(output_dirs)) == 2, f"each pass has its own output directory: {output_dirs}")
PY

# --- 2. products: the same writers verify on the other workload
run_wb run --db "sqlite://$tmp/products.db" --workload products --rows $ROWS --strategies none \
    --results "$tmp/results2" \
    --external c="$C_PROG" --external shell="$EXT/sqlite_cte.sh" --external py="$EXT/minimal_python.py"
check_eq "products: exit 0" 0 "$WB_RC" || show_wb_output
run2=$(run_dir_in "$tmp/results2")
if [[ -n "$run2" && -f "$run2/results.json" ]]; then
    results_json_checks "$run2" $ROWS <<'PY'
rows = int(sys.argv[2])
verified("c", rows, "native")
verified("shell", rows, "shell")
verified("py", rows, "python")
PY
else
    fail "products: no run directory with a results.json under $tmp/results2"
fi

# --- 3. timeout: the program and the child it started are killed
marker="wb-hang-marker-$$-$RANDOM"
run_wb run --db "sqlite://$tmp/hang.db" --rows $ROWS --timeout 2 --strategies none --results "$tmp/results3" \
    --external hang="$EXT/hang.sh" "$marker"
check_eq "timeout: exit 1" 1 "$WB_RC" || show_wb_output
# The killed processes may still be torn down by the kernel for a moment: poll
# for them to be gone (bounded), never a fixed sleep.
left=$(pgrep -f -- "$marker")
for _ in $(seq 1 300); do # at most about 30 s
    [[ -z "$left" ]] && break
    sleep 0.1
    left=$(pgrep -f -- "$marker")
done
check_eq "timeout: no process with the marker is left" "" "$left"
for pid in $left; do # do not leave them to other tests when the check failed
    kill -KILL "$pid" 2>/dev/null
done
run3=$(run_dir_in "$tmp/results3")
if [[ -n "$run3" && -f "$run3/results.json" ]]; then
    check "timeout: the program had started its child (run.log)" grep -q "hang-insert stderr: hang.sh: started child" "$run3/run.log"
    py_checks "$run3/results.json" <<'PY'
by_test = {r["test"]: r for r in json.load(open(sys.argv[1]))["results"]}
for phase in ("insert", "update"):
    r = by_test.get(f"hang-{phase}", {})
    check(r.get("status") == "timeout" and r.get("success") is False and "timeout" in r.get("error", ""),
          f"hang-{phase}: status timeout ({r.get('status')!r}, {r.get('error')!r})")
PY
else
    fail "timeout: no run directory with a results.json under $tmp/results3"
fi

# --- 4. --external-dir: executable regular files only, named without their extension
dir="$tmp/programs"
mkdir -p "$dir/subdir.sh"
cp "$EXT/sqlite_cte.sh" "$dir/cte.sh"
cp "$C_PROG" "$dir/cprog"
cp "$EXT/sqlite_cte.sh" "$dir/v1.2.sh"
cp "$EXT/fail.sh" "$dir/notes.sh" # would fail if it were run
cp "$EXT/fail.sh" "$dir/.hidden.sh"
echo "not a program" >"$dir/README.txt"
chmod +x "$dir/cte.sh" "$dir/cprog" "$dir/v1.2.sh" "$dir/.hidden.sh" "$dir/subdir.sh"
chmod -x "$dir/notes.sh"
run_wb run --db "sqlite://$tmp/dir.db" --workload products --rows 100 --strategies none --results "$tmp/results4" \
    --external-dir "$dir"
check_eq "--external-dir: exit 0" 0 "$WB_RC" || show_wb_output
run4=$(run_dir_in "$tmp/results4")
if [[ -n "$run4" && -f "$run4/results.json" ]]; then
    results_json_checks "$run4" <<'PY'
names = sorted({r["strategy"] for r in results})
check(names == ["cprog", "cte", "v1.2"],
      f"--external-dir: the strategies are cprog, cte, v1.2 (not the hidden, non-executable, "
      f"directory or text entries): {names}")
verified("cte", 100, "shell")
verified("cprog", 100, "native")
PY
else
    fail "--external-dir: no run directory with a results.json under $tmp/results4"
fi

# --- 5. bad input: one line on stderr, exit 2, no run directory, no database
mkdir -p "$tmp/empty" "$tmp/noexec"
cp "$EXT/fail.sh" "$tmp/noexec/plain.sh"
chmod -x "$tmp/noexec/plain.sh"
cp "$EXT/fail.sh" "$tmp/noexec/.hidden.sh" # executable, but hidden
printf '#!/bin/sh\nexit 0\n' >"$tmp/notexec.sh"
chmod -x "$tmp/notexec.sh"
# bad_input DESCRIPTION EXPECTED_IN_MESSAGE ARGS...
bad_input() {
    local what=$1 needle=$2
    shift 2
    local bad="$tmp/bad"
    rm -rf "$bad"
    mkdir -p "$bad/tmpdir"
    TMPDIR="$bad/tmpdir" run_wb run --db "sqlite://$bad/db.db" --rows 10 --strategies none --results "$bad/results" "$@"
    check_eq "$what: exit 2" 2 "$WB_RC" || show_wb_output
    check_eq "$what: one line on stderr" 1 "$(wc -l <"$WB_ERR")"
    check_contains "$what: the line names the problem" "$(cat "$WB_ERR")" "$needle"
    check_eq "$what: nothing created (no results, no database, nothing in TMPDIR)" "tmpdir" \
        "$(find "$bad" -mindepth 1 | sed "s|^$bad/||" | sort | tr '\n' ' ' | sed 's/ $//')"
}
bad_input "--external without NAME=" "$C_PROG" --external "$C_PROG"
bad_input "--external with nothing after it" "--external" --external
bad_input "--external with an empty name" "name" --external "=$C_PROG"
bad_input "--external x=/does/not/exist" "/does/not/exist" --external x=/does/not/exist
bad_input "a program that is not executable" "notexec.sh" --external "x=$tmp/notexec.sh"
bad_input "a name given twice" "dupname" --external "dupname=$C_PROG" --external "dupname=$C_PROG"
bad_input "the name of a built-in strategy" "prepared" --external "prepared=$C_PROG"
bad_input "--external-dir /does/not/exist" "/does/not/exist" --external-dir /does/not/exist
bad_input "an empty --external-dir" "$tmp/empty" --external-dir "$tmp/empty"
bad_input "an --external-dir with no executable visible file" "$tmp/noexec" --external-dir "$tmp/noexec"

# Declared params: a bad --external-params value, or a bad header line, is one line too.
printf '#!/bin/sh\n# A program with a mistyped header.\n# writebench: params=batch,colour\nexit 0\n' >"$tmp/badheader.sh"
printf '#!/bin/sh\n# writebench: parms=batch\nexit 0\n' >"$tmp/badkey.sh"
chmod +x "$tmp/badheader.sh" "$tmp/badkey.sh"
bad_input "--external-params with an unknown parameter" "'colour' is not a parameter" \
    --external-params "x=batch,colour" --external "x=$C_PROG"
bad_input "--external-params with an empty list" "the list is empty" --external-params "x=" --external "x=$C_PROG"
bad_input "--external-params none and batch at once" "'none' is not a parameter" \
    --external-params "x=none,batch" --external "x=$C_PROG"
bad_input "--external-params with a parameter twice" "names batch twice" \
    --external-params "x=batch,batch" --external "x=$C_PROG"
bad_input "--external-params without NAME=" "write NAME=LIST" --external-params batch --external "x=$C_PROG"
bad_input "--external-params for no program" "no --external or --external-dir program is named 'y'" \
    --external-params "y=none" --external "x=$C_PROG"
bad_input "--external-params given twice for one program" "'x' is given twice" \
    --external-params "x=none" --external-params "x=batch" --external "x=$C_PROG"
bad_input "--external-io with another value" "--external-io x=fast: write sync or async" \
    --external-io "x=fast" --external "x=$C_PROG"
bad_input "--external-io for no program" "--external-io y=async: no --external or --external-dir program is named 'y'" \
    --external-io "y=async" --external "x=$C_PROG"
bad_input "--external-io given twice for one program" "--external-io: 'x' is given twice" \
    --external-io "x=async" --external-io "x=sync" --external "x=$C_PROG"
bad_input "a header line with an unknown parameter" "$tmp/badheader.sh, line 3: 'colour' is not a parameter" \
    --external "x=$tmp/badheader.sh"
bad_input "a header line that is not params=" "$tmp/badkey.sh, line 2: 'writebench: parms=batch' is not a writebench header line" \
    --external "x=$tmp/badkey.sh"

# --- 6. the timed region a program reports
run_wb run --db "sqlite://$tmp/report.db" --rows $ROWS --strategies none --results "$tmp/results6" \
    --external good="$EXT/report.sh" ok --external silent="$EXT/report.sh" none \
    --external unclosed="$EXT/report.sh" unclosed --external negative="$EXT/report.sh" negative \
    --external unknown="$EXT/report.sh" unknown-key --external latin1="$EXT/report.sh" not-utf8 \
    --external infinite="$EXT/report.sh" infinite --external cache="$EXT/report.sh" cache \
    --external stale="$EXT/report.sh" stale-alone
check_eq "reports: a run with malformed reports exits 1" 1 "$WB_RC" || show_wb_output
for phase in insert update; do
    check "reports: the console shows cache-$phase's stale reads" \
        grep -qE "^  cache-$phase \[shell\] .* verified \(stale reads 17 of 1,000 cached lookups\)$" "$WB_OUT"
done
run6=$(run_dir_in "$tmp/results6")
if [[ -n "$run6" && -f "$run6/results.json" ]]; then
    results_json_checks "$run6" $ROWS <<'PY'
rows = int(sys.argv[2])
verified("good", 2 * rows, "shell")
verified("silent", 2 * rows, "shell")
verified("cache", 2 * rows, "shell")
run_dir = os.path.dirname(sys.argv[1])
# A cache's counts, recorded as reported; unknown (null) for a program that reports none.
for phase in ("insert", "update"):
    r = by_test.get(f"cache-{phase}", {})
    check(r.get("cache_lookups") == 1000 and r.get("stale_reads") == 17 and r.get("duration_s") == 1e-06,
          f"cache-{phase}: cache_lookups 1000 and stale_reads 17 as reported (got {r.get('cache_lookups')}, "
          f"{r.get('stale_reads')})")
    for name in ("good", "silent"):
        r = by_test.get(f"{name}-{phase}", {})
        check("cache_lookups" in r and r.get("cache_lookups") is None and r.get("stale_reads") is None,
              f"{name}-{phase}: no cache reported, cache_lookups and stale_reads null")
for phase in ("insert", "update"):
    r = by_test.get(f"good-{phase}", {})
    check(r.get("duration_s") == 1e-06, f"good-{phase}: duration_s is the reported 0.000001 (got {r.get('duration_s')})")
    check(r.get("rows_per_s") == 2 * rows / 1e-06,
          f"good-{phase}: rows/s {r.get('rows_per_s')} is 2 x {rows} rows over the reported microsecond")
    check((r.get("process_s") or 0) > r.get("duration_s", 0),
          f"good-{phase}: process_s {r.get('process_s')} (the whole program) is longer than the timed region")
    r = by_test.get(f"silent-{phase}", {})
    check(r.get("process_s") is not None and r.get("process_s") == r.get("duration_s"),
          f"silent-{phase}: no report, so duration_s is the process time (process_s {r.get('process_s')}, "
          f"duration_s {r.get('duration_s')})")
bad = {"unclosed": "not one JSON object: expected ',' or '}', found the end of the file",
       "negative": "duration_s is -2: it must be a positive number of seconds",
       "unknown": 'unknown key "rows"',
       "latin1": "not valid UTF-8 (byte 22)",
       "infinite": "duration_s is 1e999, which is not a finite number",
       "stale": "stale_reads needs cache_lookups"}
for name, why in bad.items():
    for phase in ("insert", "update"):
        r = by_test.get(f"{name}-{phase}", {})
        path = f"{run_dir}/external/{name}/{phase}-r1-n{rows}-b1000-t1/writebench-report.json"
        # The run directory's path as writebench resolved it (it may differ through symlinks).
        err = r.get("error", "")
        check(r.get("status") == "failed" and r.get("rows_verified") is None and why in err
              and "writebench-report.json" in err and f"/external/{name}/{phase}-r1-" in err and "\n" not in err,
              f"{name}-{phase}: failed, naming the report file and {why!r} (status {r.get('status')!r}, error {err!r})")
PY
else
    fail "reports: no run directory with a results.json under $tmp/results6"
fi

# --- 7. declared params in a --batch and --threads scan
run_wb run --db "sqlite://$tmp/params.db" --rows 100 --batch 10,20 --threads 1,2 --strategies none \
    --results "$tmp/results7" --external-params "cli=batch" --external-io "cli=async" \
    --external declared="$EXT/params_none.sh" --external cli="$EXT/params_none.sh" \
    --external undeclared="$EXT/sqlite_cte.sh" --external async="$EXT/io_async.sh"
check_eq "params: exit 0" 0 "$WB_RC" || show_wb_output
run7=$(run_dir_in "$tmp/results7")
if [[ -n "$run7" && -f "$run7/results.json" ]]; then
    results_json_checks "$run7" <<'PY'
def runs(name):
    return sorted((r["phase"], r["batch"], r["threads"]) for r in results if r["strategy"] == name)
check(runs("declared") == [("insert", None, 1), ("update", None, 1)],
      f"params=none: one insert and one update in the 4-combination scan, batch empty, threads 1: {runs('declared')}")
check(runs("cli") == sorted((p, b, 1) for p in ("insert", "update") for b in (10, 20)),
      f"--external-params cli=batch wins over its header: every batch, threads 1: {runs('cli')}")
check(runs("undeclared") == sorted((p, b, t) for p in ("insert", "update") for b in (10, 20) for t in (1, 2)),
      f"no declaration: every combination of batch and threads: {runs('undeclared')}")
check(all(r["status"] == "ok" for r in results), "params: every test verified")
# io: "async" as io_async.sh's header declares, "sync" for every program that does not.
check(sorted({r["strategy"] for r in results if r["io"] == "async"}) == ["async", "cli"]
      and all(r["io"] == "sync" for r in results if r["strategy"] not in ("async", "cli")),
      f"io: async for io_async.sh (its header) and cli (--external-io) only: "
      f"{sorted({(r['strategy'], r['io']) for r in results})}")
_, csv_rows, _ = read_csv(sys.argv[1].replace("results.json", "results.csv"))
check(sorted(r["batch"] for r in csv_rows if r["strategy"] == "declared") == ["", ""],
      "params=none: the batch column of results.csv is empty")
PY
    check "code.diff: the header's declaration and where it is" \
        grep -qxF "    params: none (declared in $EXT/params_none.sh, line 3)" "$run7/code.diff"
    check "code.diff: the command line's declaration" \
        grep -qxF "    params: batch (declared by --external-params)" "$run7/code.diff"
    check "code.diff: the io the header declares" grep -qxF "    io: async" "$run7/code.diff"
    check "code.diff: the io --external-io declares" grep -qxF "    io: async (declared by --external-io)" "$run7/code.diff"
else
    fail "params: no run directory with a results.json under $tmp/results7"
fi

# --- 8. a symlink farm of wrappers that dispatch on the name they are started by
mkdir -p "$tmp/farm"
ln -s "$EXT/argv0.sh" "$tmp/farm/alpha"
ln -s "$EXT/argv0.sh" "$tmp/farm/beta"
ln -s ../farm/alpha "$tmp/farm/gamma" # relative, and a symlink to a symlink
PATH="$tmp/farm:$PATH" run_wb run --db "sqlite://$tmp/farm.db" --rows 100 --strategies none \
    --results "$tmp/results8" --external alpha="$tmp/farm/alpha" --external beta=beta \
    --external gamma=sh "$tmp/farm/gamma"
check_eq "symlinks: every wrapper ran under its own name (exit 0)" 0 "$WB_RC" || show_wb_output
run8=$(run_dir_in "$tmp/results8")
if [[ -n "$run8" && -f "$run8/results.json" ]]; then
    results_json_checks "$run8" "$tmp/farm" <<'PY'
farm = sys.argv[2]
run_dir = os.path.dirname(sys.argv[1])
for name in ("alpha", "beta", "gamma"):
    verified(name, 200, "shell")
    path = f"{run_dir}/external/{name}/insert-r1-n100-b1000-t1/argv0.txt"
    argv0 = open(path).read().strip() if os.path.exists(path) else None
    # A #! script gets the path it was started by as $0; sh gets its script argument as given.
    check(argv0 == f"{farm}/{name}", f"{name}: the wrapper was started as {farm}/{name} (its $0: {argv0!r})")
PY
    code_diff_checks "$run8/code.diff" "alpha=$tmp/farm/alpha" "beta=beta=$tmp/farm/beta" \
        "gamma=sh=$(PATH="$tmp/farm:$PATH" command -v sh)"
    check "code.diff: gamma's script argument as given, what it resolves to, and its sha256" \
        grep -qxF "    file $tmp/farm/gamma (resolves to $(realpath "$EXT/argv0.sh")) sha256 $(sha256sum "$EXT/argv0.sh" | cut -d' ' -f1)" \
        "$run8/code.diff"
else
    fail "symlinks: no run directory with a results.json under $tmp/results8"
fi

# --- 9. describe --external-dir: the programs, as run would take them
desc="$tmp/describe"
mkdir -p "$desc"
cp "$EXT/minimal_python.py" "$desc/minimal.py"
cp "$EXT/params_none.sh" "$desc/ignorer.sh"
cp "$EXT/io_async.sh" "$desc/asyncer.sh"
cp "$C_PROG" "$desc/cprog"
printf '#!/usr/bin/env node\n// Writes the rows with node-postgres.\n// writebench: params=batch\n' >"$desc/noded.js"
printf '#!/bin/sh\nset -e\n# a comment after code\n' >"$desc/plain.sh"
echo "not a program" >"$desc/README.txt"
chmod +x "$desc/minimal.py" "$desc/ignorer.sh" "$desc/asyncer.sh" "$desc/noded.js" "$desc/plain.sh"
for format in text markdown json; do
    run_wb describe --external-dir "$desc" --format $format
    check_eq "describe --external-dir --format $format: exit 0" 0 "$WB_RC" || show_wb_output
    cp "$WB_OUT" "$tmp/describe.$format"
done
py_checks "$tmp/describe.text" "$tmp/describe.markdown" "$tmp/describe.json" "$desc" <<'PY'
text, markdown = open(sys.argv[1]).read(), open(sys.argv[2]).read()
doc = json.load(open(sys.argv[3]))
desc = sys.argv[4]
want = {  # name: (language, params, declared, first docstring or comment line)
    "cprog": ("native", "batch,threads", False, ""),
    "ignorer": ("shell", "none", True, "A writebench external strategy that declares it ignores --batch and --threads."),
    "minimal": ("python", "batch,threads", False, "A minimal writebench external strategy in Python (docs/EXTERNAL.md)."),
    "noded": ("javascript", "batch", True, "Writes the rows with node-postgres."),
    "plain": ("shell", "batch,threads", False, ""),
    "asyncer": ("shell", "none", True, "A writebench external strategy that declares itself an asyncio program."),
}
programs = {p["name"]: p for p in doc.get("programs", [])}
check(sorted(programs) == sorted(want), f"json: the executable files of the directory, by name: {sorted(programs)}")
for name, (language, params, declared, summary) in want.items():
    p = programs.get(name, {})
    got = (p.get("language"), p.get("params"), p.get("params_declared"), p.get("description"))
    check(got == (language, params, declared, summary), f"json: {name} is {(language, params, declared, summary)} (got {got})")
    check(p.get("batch") == ("batch" in params) and p.get("threads") == ("threads" in params),
          f"json: {name}'s batch and threads flags match its params")
    check(p.get("program", "").startswith(desc + "/"), f"json: {name}'s program path is in the directory")
    io = "async" if name == "asyncer" else "sync"
    check(p.get("io") == io, f"json: {name}'s io is {io} (got {p.get('io')})")
    head = (f"{name} [{language}; params: {params}, {'declared in its header' if declared else 'not declared: both assumed'}"
            f"{'; io=async' if io == 'async' else ''}]")
    check(head in text.replace("\n    ", " "), f"text: {name}'s line {head!r}")
    if summary:
        check(summary in text.replace("\n  ", " "), f"text: {name}'s first comment line {summary!r}")
        check(f"| `{name}` | {language} | {params} | {'yes' if declared else 'no'} | {summary} |" in markdown,
              f"markdown: {name}'s row")
check("(no docstring or comment line)" in text, "text: a program without a comment line says so")
PY
printf '#!/bin/sh\n# writebench: params=all\n' >"$desc/wrong.sh"
chmod +x "$desc/wrong.sh"
run_wb describe --external-dir "$desc"
check_eq "describe: a bad header line: exit 2" 2 "$WB_RC"
check_eq "describe: a bad header line: one line on stderr" 1 "$(wc -l <"$WB_ERR")"
check_contains "describe: the line names the file, the line and the mistake" "$(cat "$WB_ERR")" \
    "$desc/wrong.sh, line 2: 'all' is not a parameter"
run_wb describe --external-dir "$tmp/does-not-exist"
check_eq "describe: a missing --external-dir: exit 2" 2 "$WB_RC"

finish
