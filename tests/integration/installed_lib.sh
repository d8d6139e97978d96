# Checks of an installed writebench tree, shared by test_install.sh (cmake --install
# into a temp prefix) and test_deb.sh (the .deb unpacked into a temp root). Source it
# after lib.sh. The installed binary must work from its own path alone: it is run
# from an unrelated directory, and the workload it reads must be the installed one.

# check_installed_tree PREFIX: the files are where GNUInstallDirs puts them, and
# `writebench run` on SQLite at a small size runs from there and verifies.
check_installed_tree() {
    local prefix=$1 work
    work=$(make_temp_dir)
    local bin=$prefix/bin/writebench
    check "the binary is in bin/" test -x "$bin"
    local f
    for f in share/writebench/workloads/users.yaml share/writebench/workloads/products.yaml \
        share/man/man1/writebench.1 share/bash-completion/completions/writebench \
        share/doc/writebench/README.md share/doc/writebench/examples; do
        check "$f is installed" test -e "$prefix/$f"
    done
    local out err rc
    out=$work/run.out err=$work/run.err
    (cd "$work" && "$bin" run --db "sqlite://$work/t.db" --rows 200 --strategies single-tx,prepared \
        --results "$work/results" >"$out" 2>"$err")
    rc=$?
    check_eq "writebench run from the installed tree exits 0" 0 "$rc"
    [[ $rc -ne 0 ]] && cat "$err"
    local run_dir
    run_dir=$(run_dir_in "$work/results")
    check "the run left one run directory" test -n "$run_dir"
    check_contains "the run read the installed workload file, found from the binary's path" \
        "$(cat "$run_dir/run.conf" 2>/dev/null)" "workload_file = $(cd "$prefix" && pwd -P)/share/writebench/workloads/users.yaml"
    py_checks "$run_dir/results.csv" <<'PY'
header, rows, _ = read_csv(sys.argv[1])
strategies = sorted({r["strategy"] for r in rows})
check(strategies == ["prepared", "single-tx"], f"both strategies have results (got {strategies})")
check(all(r["success"] == "1" for r in rows), "every test succeeded")
check(all(int(r["rows_verified"]) > 0 for r in rows), "every test verified its rows")
PY
    # the installed completion script loads in bash and completes the commands and an option
    local words
    words=$(bash -c 'source "$1"; COMP_WORDS=(writebench ru); COMP_CWORD=1; _writebench; echo "${COMPREPLY[*]}"
                     COMP_WORDS=(writebench run --strat); COMP_CWORD=2; _writebench; echo "${COMPREPLY[*]}"' \
        _ "$prefix/share/bash-completion/completions/writebench")
    check_eq "the completion completes a command and an option" $'run\n--strategies' "$words"
}

# check_man_lists_help BIN MANPAGE: the man page renders without a warning, and for
# every command (and subcommand) --help lists, the man page lists the same options.
check_man_lists_help() {
    local bin=$1 man=$2 work
    work=$(make_temp_dir)
    local warnings
    warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man" 2>&1)
    check_eq "groff -man -ww renders the man page without a warning" "" "$warnings"
    LC_ALL=C groff -man -Tascii -P-cbou "$man" >"$work/man.txt" 2>/dev/null
    "$bin" --help >"$work/help.txt"
    py_checks "$bin" "$work/man.txt" "$work/help.txt" <<'PY'
import re, subprocess
bin, man_txt, help_txt = sys.argv[1:4]
lines = open(man_txt).read().split("\n")
# The man page's COMMANDS: "   NAME" subsections, each opening with its synopsis
# (up to the first blank line), options at 7 columns.
man, synopsis, section, in_commands, in_synopsis = {}, {}, None, False, False
for line in lines:
    if re.match(r"^[A-Z]", line):
        in_commands = line.strip() == "COMMANDS"
        continue
    if not in_commands:
        continue
    m = re.match(r"^   (\S.*)$", line)
    if m:
        section = m.group(1).strip()
        man[section], synopsis[section], in_synopsis = set(), "", True
        continue
    if in_synopsis and section:
        if line.strip():
            synopsis[section] += " " + line.strip()
            continue
        in_synopsis = False
    m = re.match(r"^       (--[a-z0-9-]+)", line)
    if m and section:
        man[section].add(m.group(1))
help_lines = open(help_txt).read().split("\n")
start = help_lines.index("commands:") + 1
commands = []
for line in help_lines[start:]:
    if not line.strip():
        break
    m = re.match(r"^  ([a-z-]+)\s", line)  # a deeper indent continues a summary
    if m:
        commands.append(m.group(1))
check(len(commands) >= 10, f"--help lists the commands ({len(commands)})")
top = [s for s in man if " " not in s]
check(top == commands, f"the man page has a section for every command, in --help's order (man {top}, help {commands})")
def help_options(args):
    out = subprocess.run([bin] + args + ["--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"^  (--[a-z0-9-]+)", out, re.M))
for section in man:
    opts = help_options(section.split())
    check(man[section] == opts, f"'{section}': the man page lists the options --help lists"
          + ("" if man[section] == opts else f" (only in man: {sorted(man[section] - opts)}, only in help: {sorted(opts - man[section])})"))
    missing = sorted(o for o in opts if not re.search(re.escape(o) + r"(?![a-z0-9-])", synopsis[section]))
    check(not missing, f"'{section}': the synopsis names every option" + (f" (missing: {missing})" if missing else ""))
subs = [s for s in man if s.startswith("workload ")]
for s in subs:
    check(re.search(r"(?:workload|\|) " + s.split()[1] + " ", synopsis["workload"]) is not None,
          f"the workload synopsis names '{s}'")
check(len(subs) >= 4, f"the man page has the workload subcommands ({subs})")
total = sum(len(v) for v in man.values())
check(total > 50, f"the man page lists options ({total})")
for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXAMPLES", "FILES", "EXIT STATUS", "SEE ALSO"):
    check(name in lines, f"the man page has {name}")
PY
}
