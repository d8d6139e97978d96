# What the integration tests of advise's code (test_advise.sh on SQLite,
# test_pg_advise.sh on PostgreSQL) share. Sourced after lib.sh; the test sets tmp,
# ROWS and BATCH before calling:
#   advise_programs NAME BACKEND WORKLOAD_FILE TEST...
#       plants a run of the tests given (make_planted_run.py), asks advise --code for
#       its programs, into $tmp/NAME/code, and checks advise named one program per
#       need and language of the backend (LANGUAGES);
#   run_programs NAME DB WORKLOAD_FILE PKG_CONFIG
#       builds the C ones with cc and pkg-config's flags and runs every program as an
#       external strategy on DB, then checks that each pass it writes verified
#       (rows_verified = ROWS x tables) and each pass it does not write was skipped
#       ("does not write"), never failed.

PLANT="$WB_SOURCE_DIR/tests/integration/make_planted_run.py"

advise_programs() {
    local name=$1 backend=$2 workload=$3 languages n
    shift 3
    python3 "$PLANT" --backend "$backend" --workload "$workload" "$tmp/$name/results/20260101T000000Z-a001" "$@"
    run_wb advise --results "$tmp/$name/results" --code "$tmp/$name/code"
    check_eq "$name: advise --code exits 0" 0 "$WB_RC" || show_wb_output
    languages=$(grep -c '^  code (' "$WB_OUT")
    n=$(find "$tmp/$name/code" -type f | wc -l)
    check_eq "$name: one file per need and language, each named by advise" "$languages" "$n"
    check "$name: 3 needs x $LANGUAGES languages" test "$n" -eq $((3 * LANGUAGES))
}

run_programs() {
    local name=$1 db=$2 workload=$3 pkg=$4 file base programs=() run_dir
    for file in "$tmp/$name/code"/*; do
        base=$(basename "$file")
        base=${base%.*} # each NAME runs alone: the file's name is unique in its run
        case $file in
            *.c)
                # shellcheck disable=SC2046 # pkg-config's flags are several words
                if cc -std=c11 -O2 -Wall -Wextra -Werror -o "${file%.c}" "$file" $(pkg-config --cflags --libs "$pkg"); then
                    pass "$name: $(basename "$file") compiles clean with -Wall -Wextra -Werror"
                else
                    fail "$name: $(basename "$file") does not compile"
                fi
                programs=(--external-params "$base=batch" "${programs[@]}" --external "$base=${file%.c}")
                ;;
            *.py) programs+=(--external "$base=$file") ;;
        esac
    done
    run_wb run --db "$db" --workload "$workload" --rows "$ROWS" --batch "$BATCH" --timeout 60 \
        --results "$tmp/$name/runs" --strategies none "${programs[@]}"
    check_eq "$name: the programs' run exits 0" 0 "$WB_RC" || show_wb_output
    run_dir=$(run_dir_in "$tmp/$name/runs")
    py_checks "$name" "$run_dir/results.json" "$tmp/$name/code" "$ROWS" <<'PY'
import os
name, path, code_dir, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
results = json.load(open(path))["results"]
programs = sorted(os.path.splitext(f)[0] for f in os.listdir(code_dir) if f.endswith((".c", ".py")))
check(sorted({r["strategy"] for r in results}) == programs, f"{name}: every program ran ({len(programs)})")
ok = [r for r in results if r["status"] == "ok"]
bad = [(r["test"], r["status"], r["error"]) for r in results if r["status"] not in ("ok", "skipped")]
check(not bad, f"{name}: no program failed: {bad}")
skipped = [r for r in results if r["status"] == "skipped"]
check(all("does not write" in r["error"] for r in skipped), f"{name}: a skip is a pass the program does not write")
tables = {r["rows_verified"] // rows for r in ok}
check(ok and all(r["verify"] == "values" and r["rows_verified"] % rows == 0 for r in ok) and len(tables) == 1,
      f"{name}: {len(ok)} passes verified, every value of every table (rows_verified {sorted(tables)} x {rows})")
for program in programs:
    passes = {r["phase"]: r["status"] for r in results if r["strategy"] == program}
    check("ok" in passes.values(), f"{name}: {program} verified a pass ({passes})")
PY
}
