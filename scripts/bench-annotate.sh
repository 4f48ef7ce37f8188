#!/usr/bin/env bash
# The benchmark of `validate --annoter` (README « Copies annotées »): on workbooks written by
# `examples/generate bench`, some objective cells turned into an unknown code (R003, one
# flagged cell each), `validate` alone against `validate --annoter`, medians and peak memory.
#
#   scripts/bench-annotate.sh            # 10 000 rows / 2 000 flagged, 200 000 rows / 100 flagged
#
# Needs hyperfine, GNU time and python3. Data in bench-data/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin enrx --example generate
gen=target/release/examples/generate
enrx=target/release/enrx

# flag SRC DST N: the workbook SRC with N objective cells (column F) set to « OS9 », spread evenly.
flag() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys, zipfile
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            text = data.decode()
            rows = int(re.search(r'<dimension ref="A1:[A-Z]+(\d+)"', text).group(1)) - 1
            step = max(rows // n, 1)
            wanted = {2 + i * step for i in range(n)}
            def swap(m):
                if int(m.group(1)) in wanted:
                    return f'<c r="F{m.group(1)}" t="inlineStr"><is><t>OS9</t></is></c>'
                return m.group(0)
            text = re.sub(r'<c r="F(\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>', swap, text)
            data = text.encode()
        zout.writestr(item, data)
PY
}

mkdir -p bench-data/annotate
for spec in 10000:2000 200000:100; do
  rows=${spec%%:*}
  flagged=${spec##*:}
  dir=bench-data/annotate/$rows
  if [ ! -f "$dir/in/flagged.xlsx" ]; then
    "$gen" bench "$dir/gen" --rows "$rows" >/dev/null
    mkdir -p "$dir/in"
    flag "$dir/gen/xlsx/conventions-$rows.xlsx" "$dir/in/flagged.xlsx" "$flagged"
  fi
  rm -rf "$dir/out"
  hyperfine -i --warmup 1 --runs "${RUNS:-5}" --export-json "$dir/times.json" \
    -n validate "$enrx validate $dir/in/flagged.xlsx --format json -o /dev/null" \
    -n annoter "$enrx validate $dir/in/flagged.xlsx --format json -o /dev/null --annoter $dir/out" \
    >/dev/null || true
  for cmd in validate annoter; do
    extra=""
    [ "$cmd" = annoter ] && extra="--annoter $dir/out"
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M" -o "$dir/mem-$cmd" $enrx validate "$dir/in/flagged.xlsx" --format json -o /dev/null $extra || true
  done
  python3 - "$dir" "$rows" "$flagged" <<'PY'
import json, os, statistics, sys
d, rows, flagged = sys.argv[1:]
res = {r["command"]: r for r in json.load(open(f"{d}/times.json"))["results"]}
mem = {c: int(open(f"{d}/mem-{c}").read().split()[-1]) / 1024 for c in ("validate", "annoter")}
v, a = statistics.median(res["validate"]["times"]), statistics.median(res["annoter"]["times"])
size_in = os.path.getsize(f"{d}/in/flagged.xlsx") / 1e6
size_out = os.path.getsize(f"{d}/out/flagged-annote.xlsx") / 1e6
print(f"{rows} rows, {flagged} flagged: validate {v:.2f} s, with --annoter {a:.2f} s "
      f"(x{a / v:.2f}, annotation {a - v:.2f} s); memory {mem['validate']:.0f} / {mem['annoter']:.0f} MiB; "
      f"file {size_in:.1f} MB, copy {size_out:.1f} MB")
PY
done
