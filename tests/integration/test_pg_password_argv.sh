# Integration test: a password given in --db never shows in the process listing
# (issue 10, item 8). writebench overwrites it in its argv as soon as the command
# line is parsed, so /proc/<pid>/cmdline and `ps` show "xxxxxx" in its place, and
# the processes it starts (the forked test child, the external program) never
# carry it. Checked mid-run, while an external program (tests/external/fifo_hold.sh)
# holds still: it signals through one FIFO that it has started and blocks reading
# another until the test has looked. Both forms: a URL's userinfo and a conninfo
# string's password=. The fixture trusts local connections, so any password works.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_fixture

SECRET="wbpw$$Secret"
MASKED=$(printf '%*s' ${#SECRET} '' | tr ' ' x)
SCHEMA="wbpw_$$"
EVENT_BOUND_S=120 # the longest wait for the next event: only reached when something is wrong
tmp=$(make_temp_dir)

# The fixture's conninfo as a URL with a password: postgresql://user:pw@/db?host=...&port=...
url=$(python3 - "$BASE" "$SECRET" <<'PY'
import shlex, sys, urllib.parse
pairs = dict(w.split("=", 1) for w in shlex.split(sys.argv[1]))
query = urllib.parse.urlencode({k: pairs[k] for k in ("host", "port") if k in pairs})
print("postgresql://%s:%s@/%s?%s" % (pairs.get("user", "postgres"), sys.argv[2], pairs.get("dbname", "postgres"), query))
PY
)
check_contains "the URL carries the password" "$url" ":$SECRET@"

# descendants PID: PID and every process under it, one per line.
descendants() {
    local pid=$1 child
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        descendants "$child"
    done
}

# check_listing FORM PASS: while the program holds still, the password is in no
# command line of the run and the masked --db is in writebench's.
check_listing() {
    local what="$1 ($2)" cmdline procs pid leaked="" listing
    cmdline=$(tr '\0' ' ' </proc/"$wb_pid"/cmdline)
    check_contains "$what: writebench's cmdline is its command line" "$cmdline" " run --db "
    check "$what: writebench's cmdline does not hold the password" test "${cmdline/$SECRET/}" == "$cmdline"
    check_contains "$what: writebench's cmdline shows the masked --db" "$cmdline" "--db $shown "
    # Every process writebench started: the test's forked child and the program.
    procs=$(descendants "$wb_pid" | sort -u)
    check "$what: writebench has started processes (the test child, the program)" \
        test "$(wc -l <<<"$procs")" -ge 3
    for pid in $procs; do
        if tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -qF -- "$SECRET"; then
            leaked+=" $pid"
        fi
    done
    check_eq "$what: no process of the run has the password in its cmdline" "" "$leaked"
    listing=$(ps -eo args)
    # Never printed: the listing holds other people's processes.
    if [[ "$listing" == *"$SECRET"* ]]; then fail "$what: ps -eo args shows the password"; else pass "$what: ps -eo args shows the password nowhere"; fi
    if [[ "$listing" == *"$shown"* ]]; then pass "$what: ps -eo args shows the masked --db"; else fail "$what: ps -eo args does not show the masked --db"; fi
}

for form in url conninfo; do
    if [[ $form == url ]]; then
        db=$url
        shown="${url/:$SECRET@/:$MASKED@}"
    else
        db="$BASE password=$SECRET"
        shown="$BASE password=$MASKED"
    fi
    events="$tmp/$form.events" release="$tmp/$form.release"
    mkfifo "$events" "$release"
    # Opened read-write by the test, so that no open blocks and every wait for an
    # event has a bound. Events, one a line: "pid N" (writebench started), "started N"
    # (the program holds still, once per pass), "ended RC" (writebench exited).
    exec 3<>"$events" 4<>"$release"
    (
        "$WB_BIN" run --db "$db" --schema "$SCHEMA" --rows 10 --verify count --strategies none \
            --results "$tmp/results-$form" \
            --external hold="$WB_SOURCE_DIR/tests/external/fifo_hold.sh" "$events" "$release" \
            </dev/null >"$tmp/$form.out" 2>"$tmp/$form.err" &
        echo "pid $!" >&3
        wait $!
        echo "ended $?" >&3
    ) &
    track_pid $!
    wb_pid="" rc="" passes=0
    while [[ -z "$rc" ]] && read -r -t "$EVENT_BOUND_S" -u 3 kind value; do
        case $kind in
            pid) wb_pid=$value; track_pid "$wb_pid" ;;
            started)
                passes=$((passes + 1))
                check_listing "$form" "pass $passes"
                echo go >&4 ;;
            ended) rc=$value ;;
        esac
    done
    check "$form: writebench ended (no event missing for ${EVENT_BOUND_S}s)" test -n "$rc" ||
        tail -n 5 "$tmp/$form.out" "$tmp/$form.err"
    # users: an insert and an update pass, each with its own start of the program.
    check_eq "$form: the program held still in both passes" 2 "$passes"
    # The program wrote nothing: --verify count fails its tests, exit 1; the run itself worked.
    check_eq "$form: the run ended with the program's tests failed (exit 1)" 1 "$rc" ||
        tail -n 5 "$tmp/$form.out" "$tmp/$form.err"
    if grep -rqF -- "$SECRET" "$tmp/results-$form" "$tmp/$form.out" "$tmp/$form.err"; then
        fail "$form: a file of the run holds the password"
    else
        pass "$form: no file of the run holds the password"
    fi
    exec 3>&- 4>&-
done

# The other commands that take --db get the real value too (their argv masked by the
# same parser): `count` with the password in the URL connects and counts.
run_wb count --db "$url" --schema "$SCHEMA"
check_eq "count with the password in the URL works" 0 "$WB_RC" || show_wb_output

finish
