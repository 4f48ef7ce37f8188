#!/usr/bin/env bash
# The benchmark (README « Performance »): on the same generated files, in one run, a bare
# calamine/csv parse of every cell (the floor: dense ranges), calamine's streaming cell reader
# (floor-stream), enrx's own xlsx reader alone (reader), `enrx validate` and `enrx report` (CSV
# and PDF), with medians, ratios to the floors and peak memory.
#
#   scripts/bench.sh [ROWS]            # default 200000; data in bench-data/ (git-ignored)
#   scripts/bench.sh submissions       # the 50 submissions of 300 rows
#
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time).
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-200000}
cargo build --release --quiet --bin enrx --example generate --example calamine_floor \
  --example xlsxwriter_floor
gen=target/release/examples/generate
floor=target/release/examples/calamine_floor
writer=target/release/examples/xlsxwriter_floor
enrx=target/release/enrx

if [ "$what" = submissions ]; then
  data=bench-data/submissions
  [ -d "$data" ] || "$gen" submissions "$data" --count 50 --rows 300
  sets=("$data")
else
  data=bench-data/$what
  [ -d "$data" ] || "$gen" bench "$data" --rows "$what"
  sets=("$data/xlsx" "$data/csv")
fi

results=bench-data/results-$what.txt
: > "$results"
for set in "${sets[@]}"; do
  name=$(basename "$set")
  out=$(mktemp -d)
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "bench-data/$what-$name.json" \
    -n floor "$floor $set" \
    -n floor-stream "$floor --mode stream $set" \
    -n reader "$floor --mode enrx $set" \
    -n validate "$enrx validate $set --format json -o /dev/null" \
    -n report "$enrx report --input $set --output $out --force -q" >/dev/null
  for cmd in floor floor-stream reader validate report; do
    case $cmd in
      floor) line="$floor $set" ;;
      floor-stream) line="$floor --mode stream $set" ;;
      reader) line="$floor --mode enrx $set" ;;
      validate) line="$enrx validate $set --format json -o /dev/null" ;;
      report) line="$enrx report --input $set --output $out --force -q" ;;
    esac
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M" -o "bench-data/mem-$cmd" $line >/dev/null 2>&1 || true
  done
  # The report's writing floor: rust_xlsxwriter alone writing the rows of the conventions.csv
  # the report just wrote, as the workbook's Conventions sheet holds them.
  listing=$(find "$out" -name conventions.csv | head -1)
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "bench-data/$what-$name-writer.json" \
    -n writer "$writer $listing" >/dev/null
  python3 - "$what" "$name" >>"$results" <<'PY'
import json, statistics, sys
what, name = sys.argv[1], sys.argv[2]
runs = json.load(open(f"bench-data/{what}-{name}.json"))["results"]
writer = statistics.median(json.load(open(f"bench-data/{what}-{name}-writer.json"))["results"][0]["times"])
median = {r["command"]: statistics.median(r["times"]) for r in runs}
mem = {c: int(open(f"bench-data/mem-{c}").read().split()[-1]) / 1024 for c in median}
f, s = median["floor"], median["floor-stream"]
print(f"{what} rows, {name}:")
for c in ("floor", "floor-stream", "reader", "validate", "report"):
    print(f"  {c:12} median {median[c]:7.3f} s  x{median[c] / f:5.2f} (x{median[c] / s:5.2f} stream)  peak {mem[c]:7.1f} MiB  x{mem[c] / mem['floor']:5.2f}")
extra = median["report"] - median["validate"]
print(f"  report - validate {extra:.3f} s (x{median['report'] / median['validate']:.2f}); "
      f"rust_xlsxwriter alone writing its Conventions sheet: {writer:.3f} s")
PY
  rm -rf "$out"
done
cat "$results"
