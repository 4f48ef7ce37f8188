#!/usr/bin/env bash
# Where enrx stands against what users would otherwise run, in one run on the same files
# (README « Performance »): the csv-crate and calamine floors, `enrx validate` and `report`,
# polars reading every file (every sheet), and `frictionless validate`.
#
#   scripts/bench-others.sh [ROWS]     # default 200000; data as scripts/bench.sh makes it
#
# Needs hyperfine, GNU time and python3 with polars, fastexcel and frictionless[excel]:
#   pip install "frictionless[excel]" polars fastexcel
# frictionless takes tens of seconds on the workbook: it runs once (FRICTIONLESS_RUNS).
# It validates the first sheet of a workbook (the conventions) and every CSV file.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-200000}
cargo build --release --quiet --bin enrx --example generate --example calamine_floor
gen=$PWD/target/release/examples/generate
floor=$PWD/target/release/examples/calamine_floor
enrx=$PWD/target/release/enrx
data=$PWD/bench-data/$what
[ -d "$data" ] || "$gen" bench "$data" --rows "$what"

polars_read=$(mktemp --suffix .py)
cat > "$polars_read" <<'PY'
import pathlib, sys
import polars as pl
for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    if path.suffix == ".csv":
        pl.read_csv(path, separator=";", infer_schema_length=10000)
    elif path.suffix == ".xlsx":
        pl.read_excel(path, sheet_id=0)
PY

results=bench-data/others-$what.txt
: > "$results"
for kind in xlsx csv; do
  set=$data/$kind
  out=$(mktemp -d)
  stream="$floor --mode stream $set"
  [ "$kind" = csv ] && stream="$floor $set"
  declare -A line=(
    [floor]="$stream"
    [validate]="$enrx validate $set --format json -o /dev/null"
    [report]="$enrx report --input $set --output $out --force -q"
    [polars]="python3 $polars_read $set"
    [frictionless]="sh -c 'cd $set && frictionless validate \"*.$kind\" >/dev/null; true'"
  )
  [ "$kind" = xlsx ] && line[frictionless]="sh -c 'cd $set && frictionless validate *.xlsx >/dev/null; true'"
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "bench-data/others-$what-$kind.json" \
    -n floor "${line[floor]}" -n validate "${line[validate]}" -n report "${line[report]}" \
    -n polars "${line[polars]}" >/dev/null
  hyperfine --runs "${FRICTIONLESS_RUNS:-1}" --export-json "bench-data/others-$what-$kind-fl.json" \
    -n frictionless "${line[frictionless]}" >/dev/null
  for cmd in floor validate report polars frictionless; do
    # shellcheck disable=SC2086
    eval /usr/bin/time -f "%M" -o "bench-data/mem-$cmd" "${line[$cmd]}" >/dev/null 2>&1 || true
  done
  python3 - "$what" "$kind" >>"$results" <<'PY'
import json, statistics, sys
what, kind = sys.argv[1], sys.argv[2]
runs = json.load(open(f"bench-data/others-{what}-{kind}.json"))["results"]
runs += json.load(open(f"bench-data/others-{what}-{kind}-fl.json"))["results"]
median = {r["command"]: statistics.median(r["times"]) for r in runs}
mem = {c: int(open(f"bench-data/mem-{c}").read().split()[-1]) / 1024 for c in median}
v = median["validate"]
print(f"{what} rows, {kind}:")
for c in ("floor", "validate", "report", "polars", "frictionless"):
    print(f"  {c:12} median {median[c]:7.3f} s  x{median[c] / median['floor']:6.2f} floor  x{median[c] / v:6.2f} validate  peak {mem[c]:7.1f} MiB")
PY
  rm -rf "$out"
  unset line
done
rm -f "$polars_read"
cat "$results"
