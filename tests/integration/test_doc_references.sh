# Integration test of the references to the design document (issue 10, item 10):
# no file of src/, tests/, docs/ or the README points at the design document that
# lived outside the repository (its name in capitals and a section number), and
# every reference to a section of
# docs/ARCHITECTURE.md, written `docs/ARCHITECTURE.md, "Heading"` in code or as a
# Markdown link `ARCHITECTURE.md#anchor`, names a heading that exists.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$WB_SOURCE_DIR" || { fail "cannot enter $WB_SOURCE_DIR"; finish; }
check "docs/ARCHITECTURE.md exists" test -f docs/ARCHITECTURE.md
# Spelt in two halves, so that this file does not match itself.
outside=$(grep -rn "DES""IGN" src tests docs README.md)
check_eq "no reference to a design outside the repository" "" "$outside"

py_checks docs/ARCHITECTURE.md src tests docs README.md <<'PY'
import os, re
doc = sys.argv[1]
headings = [m.group(1).strip() for m in re.finditer(r"^##+ (.+)$", open(doc, encoding="utf-8").read(), re.M)]
anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
files = []
for root in sys.argv[2:]:
    if os.path.isfile(root):
        files.append(root)
    for d, _, names in os.walk(root):
        files += [os.path.join(d, n) for n in names]
refs = bad = 0
for path in sorted(set(files)):
    if not re.search(r"\.(c|h|sh|py|md)$", path) or path.endswith("test_doc_references.sh"):
        continue  # this test's own examples are not references
    text = open(path, encoding="utf-8", errors="replace").read()
    # A reference may be wrapped over comment lines: join them first.
    joined = re.sub(r"\n[ \t]*(?:#|\*|//)?[ \t]*", " ", text)
    for m in re.finditer(r"ARCHITECTURE\.md, ((?:\"[^\"]+\"(?:, )?)+)", joined):
        for name in re.findall(r"\"([^\"]+)\"", m.group(1)):
            refs += 1
            if name not in headings:
                bad += 1
                check(False, f"{path}: section \"{name}\" is not a heading of {doc}")
    for anchor in re.findall(r"ARCHITECTURE\.md#([a-z0-9-]+)", text):
        refs += 1
        if anchor not in anchors:
            bad += 1
            check(False, f"{path}: anchor #{anchor} is not a heading of {doc}")
check(refs >= 20, f"references to sections found ({refs}): the search works")
check(bad == 0, "every section reference names a heading of docs/ARCHITECTURE.md")
PY

finish
