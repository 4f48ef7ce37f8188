#!/bin/sh
# Regenerates templates/fonts/EnrxSans{,-Bold}.ttf: DejaVu Sans 2.37 (Debian package
# fonts-dejavu-core) cut down to the Latin scripts and the punctuation the report uses,
# then renamed as its licence requires for a modified font (see templates/fonts/README.md).
#
# Needs: fonts-dejavu-core (apt-get install fonts-dejavu-core) and fontTools
# (pip install fonttools; made with fontTools 4.68.0). Run from the repository root.
set -eu

SRC=${DEJAVU_DIR:-/usr/share/fonts/truetype/dejavu}
OUT=templates/fonts

# Basic Latin, Latin-1, Latin Extended-A and -B, Latin Extended Additional, general
# punctuation (– — ’ « » … • U+2009 U+202F …), €, №, ™, arrows ← ↑ → ↓, minus sign,
# ■ ▲ ▼ ●, and U+FFFD, which the layout draws for any character the font lacks.
UNICODES="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0180-024F,U+1E00-1EFF,U+2000-206F,\
U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+25A0,U+25B2,U+25BC,U+25CF,U+FFFD"

subset() {
    # --no-hinting: TrueType hinting instructions are ignored by PDF viewers when
    # printing and only bloat the file. Layout tables (GSUB/GPOS/kern) are dropped:
    # printpdf without its text_layout feature neither shapes nor kerns, and our
    # layout measures with hmtx advances only, so keeping them would change nothing.
    pyftsubset "$SRC/$1.ttf" \
        --unicodes="$UNICODES" \
        --no-hinting \
        --layout-features='' \
        --drop-tables+=kern,FFTM,GDEF,GPOS,GSUB,MATH \
        --name-IDs='*' \
        --output-file="$OUT/$2.ttf"
}

subset DejaVuSans EnrxSans
subset DejaVuSans-Bold EnrxSans-Bold

# The Bitstream Vera and Arev licences allow modified fonts only under names that do not
# contain "Bitstream", "Vera", "Tavmjong Bah" or "Arev". "DejaVu Sans" already complies,
# but a cut-down font must not pass itself off as the full DejaVu Sans either, so every
# name record is rewritten; the copyright (0) and licence (13, 14) records are kept.
python3 - "$OUT" "$SRC" <<'PY'
import sys
from fontTools.ttLib import TTFont

out, src = sys.argv[1], sys.argv[2]
faces = {
    "EnrxSans.ttf": ("DejaVuSans.ttf", "Book", "Enrx Sans", "EnrxSans"),
    "EnrxSans-Bold.ttf": ("DejaVuSans-Bold.ttf", "Bold", "Enrx Sans Bold", "EnrxSans-Bold"),
}
for file, (source, style, full, postscript) in faces.items():
    path = f"{out}/{file}"
    font = TTFont(path, recalcTimestamp=False)
    name = font["name"]
    records = {
        1: "Enrx Sans",
        2: style,
        3: f"Enrx Sans {style}: subset of DejaVu Sans 2.37",
        4: full,
        6: postscript,
        10: "Subset of DejaVu Sans 2.37 (Latin scripts and punctuation) for the enrx report.",
        16: "Enrx Sans",
        17: style,
    }
    # Drop stale records first (Mac platform copies included), then write ours.
    name.names = [n for n in name.names if n.nameID not in records]
    for name_id, text in records.items():
        name.setName(text, name_id, 3, 1, 0x409)
    for n in name.names:
        text = n.toUnicode()
        if n.nameID not in (0, 13, 14):
            for word in ("Bitstream", "Vera", "Arev", "Tavmjong"):
                assert word not in text, (file, n.nameID, text)
    # Keep the source's modification date so that a rerun gives identical files.
    font["head"].modified = TTFont(f"{src}/{source}")["head"].modified
    font.save(path, reorderTables=True)
    print(path, "written")
PY
