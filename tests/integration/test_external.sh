# Integration test of external strategies on SQLite (issue 6; docs/EXTERNAL.md): programs
# in C (built here with cc), shell and Python, started by `writebench run --external`:
#  0. the two examples of docs/EXTERNAL.md are, byte for byte, the files the test runs;
#  1. users: the C example, a shell program (sqlite3 and a recursive CTE) and the Python
#     example verify on both passes, with origin and language recorded; a program whose
#     forked child touches 64 MiB reports that child's peak RSS; a program that leaves a
#     CPU-burning orphan is waited for and the orphan's CPU counted; a program that
#     exits 3 fails with its stderr, one that exits 77 is skipped with its reason, one
#     killed by a signal crashed; an awk script's language is "awk"; code.diff holds each program's path and sha256, run.log
#     its stderr; the environment a program sees is the protocol's, with exact values;
#  2. products: the C, shell and Python programs verify too;
#  3. --timeout kills the program and the child it started (none is left);
#  4. --external-dir takes the executable regular files, not hidden ones, named after
#     the file without its extension;
#  5. bad input: one line, exit 2, nothing created.
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
        check(0 < (c["peak_rss_kb"] or 0) < want_kb // 2,
              f"c-{phase}: peak_rss_kb {c['peak_rss_kb']} is far below (the same writer without that child)")
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
PY

# code.diff: each program's resolved path and its sha256, as sha256sum computes it.
for entry in "c=$C_PROG" "shell=$EXT/sqlite_cte.sh" "py=$EXT/minimal_python.py" "mem=$MEM_PROG" \
    "envdump=$EXT/env_dump.sh" "failing=$EXT/fail.sh"; do
    name=${entry%%=*}
    path=$(realpath "${entry#*=}")
    sum=$(sha256sum "$path" | cut -d' ' -f1)
    check "code.diff: $name's line has its path $path and sha256 $sum" \
        grep -qE "^ +$name: $path .*sha256 $sum\$" "$run1/code.diff"
done

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
        "WRITEBENCH_WORKLOAD": "users", "WRITEBENCH_TABLES": "user_account,address",
        "WRITEBENCH_ROWS": rows, "WRITEBENCH_PHASE": phase, "WRITEBENCH_DATA_VERSION": version,
        "WRITEBENCH_BATCH": "50", "WRITEBENCH_THREADS": "2", "WRITEBENCH_REPEAT": "1",
        "WRITEBENCH_TIMEOUT_S": "30", "WRITEBENCH_SQLITE_PATH": db,
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
start_s=$SECONDS
run_wb run --db "sqlite://$tmp/hang.db" --rows $ROWS --timeout 2 --strategies none --results "$tmp/results3" \
    --external hang="$EXT/hang.sh" "$marker"
elapsed_s=$((SECONDS - start_s))
check_eq "timeout: exit 1" 1 "$WB_RC" || show_wb_output
check "timeout: the run ended soon after the two 2 s timeouts (${elapsed_s}s)" test $elapsed_s -lt 30
sleep 0.5 # let the kernel finish tearing the killed processes down
left=$(pgrep -f -- "$marker")
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

finish
