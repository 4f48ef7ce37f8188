#!/usr/bin/env bash
# The picture of an annotated copy in the README (docs/annote-page.png): a Parc's workbook with
# problems on both sheets (examples/annote_demo.rs) annotated by `enrx validate --annoter`,
# rendered by LibreOffice as a Parc officer would print it, three crops put one above the
# other: the « Anomalies » sheet, the marked « Conventions » sheet, « Vos chiffres ».
#
# Needs soffice (libreoffice-calc-nogui), pdftoppm (poppler-utils) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --bin enrx --example annote_demo
root=$PWD
(
  cd "$work"
  "$root/target/debug/examples/annote_demo" depot
  "$root/target/debug/enrx" validate depot/pnr-avesnois-2020.xlsx --year 2020 --annoter annotes >/dev/null || true
)
# French number formats, and a profile of our own so a running LibreOffice does not interfere.
LANG=fr_FR.UTF-8 soffice -env:UserInstallation="file://$work/profile" --headless \
  --convert-to pdf --outdir "$work" "$work/annotes/pnr-avesnois-2020-annote.xlsx" >/dev/null 2>&1
pdf=$work/pnr-avesnois-2020-annote.pdf

# page resolution x y width height (pixels at that resolution): the three crops.
pdftoppm -f 1 -l 1 -r 96 -x 20 -y 25 -W 1080 -H 390 "$pdf" "$work/a"
pdftoppm -f 3 -l 3 -r 120 -x 70 -y 80 -W 1080 -H 125 "$pdf" "$work/b"
pdftoppm -f 2 -l 2 -r 96 -x 20 -y 25 -W 1080 -H 405 "$pdf" "$work/c"

python3 - "$work" docs/annote-page.png <<'PY'
import glob, struct, sys, zlib

def ppm(path):
    data = open(path, "rb").read()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    w, h = int(parts[1]), int(parts[2])
    pixels = data[pos + 1:]
    return w, h, [pixels[r * w * 3:(r + 1) * w * 3] for r in range(h)]

work, out = sys.argv[1], sys.argv[2]
rows, width = [], None
for name in ("a", "b", "c"):
    w, h, lines = ppm(sorted(glob.glob(f"{work}/{name}*.ppm"))[0])
    width = width or w
    if rows:
        rows += [b"\xff" * (3 * width)] * 6 + [b"\x99" * (3 * width)] * 2 + [b"\xff" * (3 * width)] * 6
    rows += lines

def chunk(kind, body):
    c = struct.pack(">I", len(body)) + kind + body
    return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

raw = b"".join(b"\x00" + r for r in rows)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(out, "wb").write(png)
print(f"{out}: {width} x {len(rows)}")
PY
