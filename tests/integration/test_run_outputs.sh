#!/usr/bin/env bash
# What `run` writes after its tests: --report (the run's HTML report), and
# --export-json / --export-markdown (the run's aggregate, as `aggregate` prints it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(make_temp_dir)
run_wb run --db "sqlite://$dir/out.db" --results "$dir/results" --rows 200 --repeat 2 \
    --strategies server-generate,prepared,on-conflict --report \
    --export-json "$dir/agg.json" --export-markdown "$dir/agg.md"
check_eq "run with --report and exports exits 0" 0 "$WB_RC"
run=$(run_dir_in "$dir/results")
check "the report is in the run's directory" test -s "$run/report.html"
check_contains "run prints the report's path" "$(cat "$WB_OUT")" "report:   $run/report.html"
check_contains "run prints the json export's path" "$(cat "$WB_OUT")" "exported: $dir/agg.json"

# The exports hold the same groups as `writebench aggregate` of the same run.
"$WB_BIN" aggregate "$run" --format json > "$dir/aggregate.json"
check_eq "aggregate of the run exits 0" 0 "$?"
py_checks "$dir/agg.json" "$dir/aggregate.json" "$dir/agg.md" "$run/report.html" <<'PY'
import xml.etree.ElementTree as ET
exported = json.load(open(sys.argv[1]))
printed = json.load(open(sys.argv[2]))
check(exported == printed, "--export-json equals 'aggregate --format json' of the run")
tests = {g["test"] for g in exported["groups"]}
check(tests == {"server-generate-insert", "server-generate-update", "prepared-insert",
                "on-conflict-insert", "on-conflict-update"}, f"one group per test ({sorted(tests)})")
check(all(g["runs"] == 2 for g in exported["groups"]), "each group has the 2 repeats")
md = open(sys.argv[3]).read().splitlines()
check(md[0].startswith("| test | strategy | phase |"), "the markdown export starts with the aggregate header")
check(len([l for l in md if l.startswith("| ")]) == 1 + len(tests), "one markdown row per group")
ET.parse(sys.argv[4])  # raises when the report is not well-formed
check(True, "the report is well-formed markup")
PY

# A bad export path is refused before anything runs or is written.
run_wb run --db "sqlite://$dir/bad.db" --results "$dir/bad-results" --rows 10 --export-json "$dir/missing/agg.json"
check_eq "--export-json into a missing directory exits 2" 2 "$WB_RC"
check_contains "the error names the directory" "$(cat "$WB_ERR")" "$dir/missing"
check "nothing was written" test ! -e "$dir/bad-results"
check "no database was created" test ! -e "$dir/bad.db"
finish
