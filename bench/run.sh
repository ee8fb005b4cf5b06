#!/usr/bin/env bash
# The benchmark behind the README's speed table (issue: synthetic tenants and a benchmark).
#
#   bench/run.sh                 # 0.1M, 1M and 5M audit rows (1,000 / 10,000 / 50,000 people, 30 days)
#   BENCH_USERS="1000 10000" bench/run.sh
#
# For each size: builds the release binary once, generates the tenant with `sspr-report synth
# --single-csv` (reused when already there), then runs, alternating, RUNS times each:
#   - the raw read floor: cat AuditLogs.csv > /dev/null
#   - the report: sspr-report run <the portal CSV> --no-charts (no xlsx), under /usr/bin/time -v
#   - when DuckDB is installed (pip install duckdb): DuckDB computing only the flow counts by
#     day, kind and outcome from the same CSV (bench/duckdb_flows.sql)
# and prints the medians: wall time, rows/s, MB/s, peak RSS, and the report/DuckDB ratio; then
# the median time of `inspect` on each tenant's .evtx (the EVTX reading rate).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BENCH_DIR:-/tmp/sspr-bench}"
USERS="${BENCH_USERS:-1000 10000 50000}"
RUNS="${BENCH_RUNS:-3}"
mkdir -p "$WORK"
cargo build --release --locked --quiet
BIN="$PWD/target/release/sspr-report"
HAVE_DUCKDB=0
if python3 -c 'import duckdb' 2>/dev/null; then HAVE_DUCKDB=1; fi

# seconds and peak RSS (KiB) of one command, from GNU time's verbose output
measure() {
  local log="$WORK/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)
print(f"{secs:.3f} {rss}")
PY
}

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

printf '| audit rows | CSV MB | report s | rows/s | MB/s | peak RSS MB | cat s | DuckDB s | report/DuckDB |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for users in $USERS; do
  dir="$WORK/u$users"
  if [ ! -f "$dir/truth.json" ]; then
    rm -rf "$dir"
    "$BIN" synth --users "$users" --days 30 --seed 1 --single-csv --out "$dir" >/dev/null
  fi
  csv="$dir/exports/audit/AuditLogs.csv"
  rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["audit_records"])' "$dir/truth.json")
  bytes=$(stat -c %s "$csv")
  walls=(); rsss=(); cats=(); ducks=()
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N); cat "$csv" >/dev/null; end=$(date +%s.%N)
    cats+=("$(python3 -c "print($end - $start)")")
    read -r wall rss < <(measure "$BIN" run "$csv" --out "$WORK/report" --month 2026-10 --tz Asia/Tokyo --no-charts --quiet)
    walls+=("$wall"); rsss+=("$rss")
    if [ "$HAVE_DUCKDB" = 1 ]; then
      read -r dwall _ < <(measure python3 bench/duckdb_flows.py "$csv")
      ducks+=("$dwall")
    fi
  done
  w=$(median "${walls[@]}"); r=$(median "${rsss[@]}"); c=$(median "${cats[@]}")
  if [ "$HAVE_DUCKDB" = 1 ]; then d=$(median "${ducks[@]}"); ratio=$(python3 -c "print(f'{$w/$d:.2f}')"); else d="–"; ratio="–"; fi
  python3 - "$rows" "$bytes" "$w" "$r" "$c" "$d" "$ratio" <<'PY'
import sys
rows, size, wall, rss, cat, duck, ratio = sys.argv[1:]
rows, size, wall = int(rows), int(size), float(wall)
print(f"| {rows:,} | {size/1e6:,.0f} | {wall:.2f} | {rows/wall:,.0f} | {size/1e6/wall:,.0f} | {float(rss)/1024:,.0f} | {float(cat):.2f} | {duck if duck == '–' else f'{float(duck):.2f}'} | {ratio} |")
PY
done
echo
# The Connect server's log of each tenant: reading it alone (`inspect` reads and checks every
# record, writes nothing).
printf '| tenant | .evtx MB | records | inspect s | MB/s |\n'
printf '|---:|---:|---:|---:|---:|\n'
for users in $USERS; do
  evtx="$WORK/u$users/exports/onprem/Application_CONNECT01.evtx"
  [ -f "$evtx" ] || continue
  secs=()
  for _ in $(seq "$RUNS"); do
    read -r wall _ < <(measure "$BIN" inspect "$evtx")
    secs+=("$wall")
  done
  s=$(median "${secs[@]}")
  records=$("$BIN" inspect "$evtx" | awk '/records:/ {print $2; exit}')
  python3 -c "import sys; users, size, recs, s = sys.argv[1:]; size = int(size); s = float(s); print(f'| {int(users):,} people | {size/1e6:,.0f} | {int(recs):,} | {s:.2f} | {size/1e6/s:,.0f} |')" \
    "$users" "$(stat -c %s "$evtx")" "$records" "$s"
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
