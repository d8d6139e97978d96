#!/usr/bin/env bash
# The report renders in a real browser: headless Chromium, with no network,
# turns it into a PNG that is not blank and shows the charts'
# colours. Needs chromium (scripts/deps --test installs it): in CI (CI=true) a
# missing browser fails the test; elsewhere it is skipped with the reason.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_chromium

dir=$(make_temp_dir)
run_wb run --db "sqlite://$dir/a.db" --results "$dir/results" --rows 200 --slow-rows 50 --repeat 2 \
    --strategies server-generate,prepared,values-multirow,on-conflict,single-autocommit
check_eq "the run exits 0" 0 "$WB_RC" || show_wb_output
run_wb report --results "$dir/results" --out "$dir/report.html"
check_eq "report exits 0" 0 "$WB_RC" || show_wb_output

chromium_headless "$dir" --screenshot="$dir/report.png" --window-size=1280,2000 "file://$dir/report.html" \
    >/dev/null
rc=$?
check_eq "chromium exits 0" 0 "$rc" || tail -n 20 "$dir/browser.log"
check "chromium wrote a PNG" test -s "$dir/report.png"

# Decode the PNG here (python3 has zlib; no imaging library needed) and count
# what is on it.
py_checks "$dir/report.png" <<'PY'
import struct, zlib
data = open(sys.argv[1], "rb").read()
check(data[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG")
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    pos += 12 + length
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
width, height, depth, colour_type, _, _, interlace = header
check(depth == 8 and colour_type in (2, 6) and interlace == 0, f"8-bit RGB(A), not interlaced ({header})")
bpp = 3 if colour_type == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
pixels = {}
prev = bytearray(stride)
at = 0
for y in range(height):
    kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
    at += 1 + stride
    for x in range(stride):  # undo the PNG row filter (None, Sub, Up, Average, Paeth)
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if kind == 1:
            line[x] = (line[x] + a) & 255
        elif kind == 2:
            line[x] = (line[x] + b) & 255
        elif kind == 3:
            line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    for x in range(0, stride, bpp):
        rgb = bytes(line[x:x + 3])
        pixels[rgb] = pixels.get(rgb, 0) + 1
total = width * height
white = pixels.get(b"\xff\xff\xff", 0)
check((width, height) == (1280, 2000), f"the window size ({width}x{height})")
check(total - white > total * 0.03, f"not blank: {100 * (total - white) / total:.1f}% of pixels are not white")
check(len(pixels) > 100, f"many distinct colours ({len(pixels)}): text, tables and charts")
# The solid insert bars are #1f4e79: a large area of exactly that colour means
# the inline SVG was drawn, not merely the text around it.
bars = pixels.get(bytes([0x1f, 0x4e, 0x79]), 0)
check(bars > 2000, f"the duration and memory bars are drawn ({bars} pixels of the bar colour)")
PY
finish
