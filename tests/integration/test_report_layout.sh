#!/usr/bin/env bash
# The report reads well at a desktop's and at a narrow window's width: laid out by
# headless Chromium at 1400 and at 800 CSS pixels, nothing is wider than the page
# (a wide data table scrolls inside its own box, never the page); every chart has
# a title and axis labels that name their unit; value axes whose values span more
# than 20x are log scale and say so; the scatter's labels never intersect (checked
# from the SVG's own coordinates); and the sections a reader needs are there: the
# findings first, the run history of two runs, the profile's charts.
# Needs chromium (scripts/deps --test installs it): in CI a missing browser fails.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_chromium

# A long, separator-rich results path: the settings table must wrap it at its slashes.
dir=$(make_temp_dir)
results="$dir/results/a-rather-long-directory-name/for-the-settings-table/to-wrap"
mkdir -p "$results"
# single-autocommit (per-row commits) against prepared: far more than 20x apart
for round in 1 2; do
    run_wb run --db "sqlite://$dir/a.db" --results "$results" --rows 300 --slow-rows 100 --repeat 2 \
        --strategies server-generate,prepared,values-multirow,batch-commit,single-autocommit,on-conflict
    check_eq "run $round exits 0" 0 "$WB_RC" || show_wb_output
done
run_wb profile --db "sqlite://$dir/p.db" --workload products --rows 300 --repeat 3 --load-repeat 1 \
    --cache-lookups 300 --results "$results"
check_eq "profile exits 0" 0 "$WB_RC" || show_wb_output
run_wb report --results "$results" --out "$dir/report.html"
check_eq "report exits 0" 0 "$WB_RC" || show_wb_output
check "no run is taken as cut short (profile runs mark their end too)" bash -c "! grep -q 'cut short' '$WB_ERR'"

# The measuring page: the report plus a script that, once laid out, lists every
# element reaching past the page's width (outside a box that scrolls sideways) and
# writes the figures into the DOM, which --dump-dom prints. The report itself has
# no script (test_report.sh checks that); this copy is the test's.
python3 - "$dir/report.html" "$dir/measure.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
script = """<script>
window.addEventListener('load', function () {
  var page = document.documentElement.clientWidth, wide = [];
  function scrolls(el) {
    for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      var o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  }
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > page + 0.5 || r.left < -0.5) && !scrolls(el))
      wide.push(el.tagName + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  });
  var out = document.createElement('pre');
  out.id = 'wb-layout';
  out.textContent = 'WB-LAYOUT ' + JSON.stringify({page: page,
      scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 20), nwide: wide.length});
  document.body.appendChild(out);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", script + "</body>"))
PY
for width in 1400 800; do
    chromium_headless "$dir" --window-size="$width,3000" --dump-dom "file://$dir/measure.html" >"$dir/dom-$width.html"
    check_eq "chromium lays the report out at $width px" 0 "$?" || tail -n 20 "$dir/browser.log"
    py_checks "$dir/dom-$width.html" "$width" <<'PY'
import html, json, re
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"WB-LAYOUT (\{.*?\})</pre>", dom)
if check(m is not None, f"the layout was measured at {sys.argv[2]} px"):
    got = json.loads(html.unescape(m.group(1)))
    check(got["scroll"] <= got["page"], f"no horizontal scroll at {sys.argv[2]} px ({got['scroll']} <= {got['page']})")
    check(got["nwide"] == 0, f"no element wider than the page at {sys.argv[2]} px: {got['wide']}")
PY
done

# The charts, read from the report's own SVG.
py_checks "$dir/report.html" <<'PY'
import re
doc = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg\b.*?</svg>", doc, re.S)
check(len(svgs) >= 10, f"charts drawn ({len(svgs)})")
unit = re.compile(r"\([^()]+\)(, log scale)?$")
for i, svg in enumerate(svgs):
    title = re.search(r"<title>([^<]+)</title>", svg)
    labels = [re.sub(r"&#39;", "'", t) for t in re.findall(r'<text[^>]*class="axis-label"[^>]*>([^<]*)</text>', svg)]
    name = title.group(1)[:60] if title else f"chart {i}"
    check(title is not None and title.group(1).strip(), f"chart {i} has a title ({name})")
    check(labels, f"{name}: has axis labels")
    bad = [l for l in labels if not unit.search(l)]
    check(not bad, f"{name}: every axis label names its unit in parentheses ({bad or labels})")
    boxes = [tuple(map(float, b.split())) for b in re.findall(r'data-box="([^"]+)"', svg)]
    overlaps = [(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    check(not overlaps, f"{name}: no two point labels intersect ({len(boxes)} labels)")
check(any("log scale" in s for s in svgs), "durations more than 20x apart are drawn on a log axis that says so")
check('<h2 id="history">Run history</h2>' in doc, "two runs of the same tests give a run history")
check('class="chart history"' in doc, "with its chart")
check('class="chart profile-latency"' in doc, "the profile's latency per read and variant is a chart")
check('class="chart profile-cache"' in doc, "the cache's hit ratio against capacity is a chart")
findings, runs = doc.find('id="findings"'), doc.find('<h2 id="runs"')
check(0 < findings < runs, "the findings come before the runs and the charts")
# the results path wraps at its separators only: a <wbr/> after each slash of it
check("a-rather-long-directory-name/<wbr/>for-the-settings-table/<wbr/>to-wrap" in doc,
      "paths in the settings table wrap at their separators")
PY
finish
