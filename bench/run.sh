#!/usr/bin/env bash
# The benchmark behind the README's speed tables (issue 20: speed and memory).
#
#   bench/run.sh                         # everything below, 3 alternating runs each
#   BENCH_RUNS=5 bench/run.sh
#   BENCH_PARTS="csv evtx" bench/run.sh  # only some parts: csv, tenant, evtx, history
#   BENCH_CSV="syn-1m:10000:" bench/run.sh   # only some CSV tenants (name:people:share)
#
# Builds the release binary once, generates each tenant with `sspr-report synth` (reused when
# already there: BENCH_DIR, default /tmp/sspr-bench), then, alternating, RUNS times each:
#   csv     on each single portal CSV (`synth --single-csv`, with `--sspr-share` for the
#           tenants whose share of kept rows is set): the read floor (`cat`), the report
#           (`run --no-charts`, no xlsx) under /usr/bin/time, and — with `pip install duckdb` —
#           DuckDB computing only the flow counts by day, kind and outcome (bench/duckdb_flows.py).
#           Prints wall time, peak RSS, kept records and the report/DuckDB ratio, then the marginal
#           bytes per kept record between the two sizes of one share, then the phase times of
#           one run (SSPR_REPORT_TIMINGS): reading, and the single-threaded part after it.
#   tenant  the whole 50,000-person tenant in every format (`synth` without --single-csv:
#           portal CSV, portal JSON, Graph, Log Analytics, registration and licence lists,
#           .evtx and every event-log export): wall time and peak RSS, and its ratio to the
#           single-CSV 5M run, measured in alternating pairs with both inputs read from the
#           page cache (median of the pairs' ratios).
#   evtx    the whole tenant's .evtx: the reading phase of a run on it alone (MB/s), and
#           `inspect` (reading plus the on-prem model).
#   history `run` with and without `--history` on the 1M tenant: the cost of the history
#           (BENCH_HISTORY_RUNS alternating pairs, default 7).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${BENCH_DIR:-/tmp/sspr-bench}"
RUNS="${BENCH_RUNS:-3}"
PARTS="${BENCH_PARTS:-csv tenant evtx history}"
# name:people:share (share empty = the generator's default, about 9 % of rows kept)
CSV_TENANTS="${BENCH_CSV:-syn-1m:10000: syn-5m:50000: s10-1m:11000:10 s10-5m:55000:10 s7-5m:38500:7}"
mkdir -p "$WORK"
cargo build --release --locked --quiet
BIN="$PWD/target/release/sspr-report"
HAVE_DUCKDB=0
if python3 -c 'import duckdb' 2>/dev/null; then HAVE_DUCKDB=1; fi
RUN_OPTS=(--month 2026-10 --tz Asia/Tokyo --no-charts --quiet)

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

# tenant DIR PEOPLE SHARE [--single-csv]: generates it once
tenant() {
  local dir="$1" people="$2" share="$3"; shift 3
  [ -f "$dir/truth.json" ] && return 0
  rm -rf "$dir"
  local extra=()
  [ -n "$share" ] && extra=(--sspr-share "$share")
  "$BIN" synth --users "$people" --days 30 --seed 1 "$@" "${extra[@]}" --out "$dir" >/dev/null
}

# kept records and phase times of one run: "kept read model metrics tables write"
phases() {
  SSPR_REPORT_TIMINGS=1 "$BIN" run "$@" --out "$WORK/report" "${RUN_OPTS[@]}" 2>&1 >/dev/null | python3 -c '
import re, sys
t = {}; kept = 0
for line in sys.stdin:
    m = re.match(r"timing: kept (\d+)", line)
    if m: kept = int(m.group(1)); continue
    m = re.match(r"timing: (.+?) ([0-9.]+) s", line)
    if m: t[m.group(1)] = float(m.group(2))
print(kept, *(t.get(k, 0.0) for k in ("read", "model", "metrics", "tables", "render and write")))'
}

declare -A WALL RSS KEPT
if [[ " $PARTS " == *" csv "* ]]; then
  printf '| tenant | audit rows | kept | CSV MB | report s | MB/s | peak RSS MB | cat s | DuckDB s | report/DuckDB |\n'
  printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  for spec in $CSV_TENANTS; do
    IFS=: read -r name people share <<<"$spec"
    dir="$WORK/$name"
    tenant "$dir" "$people" "$share" --single-csv
    csv="$dir/exports/audit/AuditLogs.csv"
    rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["audit_records"])' "$dir/truth.json")
    bytes=$(stat -c %s "$csv")
    walls=(); rsss=(); cats=(); ducks=()
    for _ in $(seq "$RUNS"); do
      start=$(date +%s.%N); cat "$csv" >/dev/null; end=$(date +%s.%N)
      cats+=("$(python3 -c "print($end - $start)")")
      read -r wall rss < <(measure "$BIN" run "$csv" --out "$WORK/report" "${RUN_OPTS[@]}")
      walls+=("$wall"); rsss+=("$rss")
      if [ "$HAVE_DUCKDB" = 1 ]; then
        read -r dwall _ < <(measure python3 bench/duckdb_flows.py "$csv")
        ducks+=("$dwall")
      fi
    done
    read -r kept _ < <(phases "$csv")
    w=$(median "${walls[@]}"); r=$(median "${rsss[@]}"); c=$(median "${cats[@]}")
    WALL[$name]=$w; RSS[$name]=$r; KEPT[$name]=$kept
    if [ "$HAVE_DUCKDB" = 1 ]; then d=$(median "${ducks[@]}"); ratio=$(python3 -c "print(f'{$w/$d:.2f}')"); else d="–"; ratio="–"; fi
    python3 - "$name" "$rows" "$kept" "$bytes" "$w" "$r" "$c" "$d" "$ratio" <<'PY'
import sys
name, rows, kept, size, wall, rss, cat, duck, ratio = sys.argv[1:]
rows, kept, size, wall = int(rows), int(kept), int(size), float(wall)
duck = duck if duck == "–" else f"{float(duck):.2f}"
print(f"| {name} | {rows:,} | {kept:,} ({kept/rows:.1%}) | {size/1e6:,.0f} | {wall:.2f} | {size/1e6/wall:,.0f} | {float(rss)/1024:,.0f} | {float(cat):.2f} | {duck} | {ratio} |")
PY
  done
  echo
  # Marginal memory of one kept record: the peak RSS difference between the 1M and 5M tenant of
  # one share over their difference in kept records (the fixed part — code, buffers — cancels).
  printf '| share | bytes per kept record (5M − 1M) |\n|---|---:|\n'
  for pair in "syn-1m syn-5m" "s10-1m s10-5m"; do
    read -r small big <<<"$pair"
    [ -n "${KEPT[$small]:-}" ] && [ -n "${KEPT[$big]:-}" ] || continue
    python3 -c "import sys; s, b, rs, rb, ks, kb = sys.argv[1:]; print(f'| {b} | {(float(rb)-float(rs))*1024/(int(kb)-int(ks)):,.0f} |')" \
      "$small" "$big" "${RSS[$small]}" "${RSS[$big]}" "${KEPT[$small]}" "${KEPT[$big]}"
  done
  echo
  printf '| tenant | read s | model s | metrics s | tables s | render and write s |\n|---|---:|---:|---:|---:|---:|\n'
  for spec in $CSV_TENANTS; do
    IFS=: read -r name _ _ <<<"$spec"
    read -r _ rd md mt tb wr < <(phases "$WORK/$name/exports/audit/AuditLogs.csv")
    printf '| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n' "$name" "$rd" "$md" "$mt" "$tb" "$wr"
  done
  echo
fi

if [[ " $PARTS " == *" tenant "* ]]; then
  # The ratio to the single-CSV run is measured in pairs, in the same minutes and from the page
  # cache for both (each input read with `cat` just before its run): this VM's speed drifts
  # between minutes, and after the CSV part the tenant's 5.5 GB are partly out of the cache.
  dir="$WORK/all-5m"
  tenant "$dir" 50000 ""
  single_csv="$WORK/syn-5m/exports/audit/AuditLogs.csv"
  tenant "$WORK/syn-5m" 50000 "" --single-csv
  size=$(du -sb "$dir/exports" | cut -f1)
  walls=(); rsss=(); singles=(); ratios=()
  single_run() {
    cat "$single_csv" >/dev/null
    read -r swall _ < <(measure "$BIN" run "$single_csv" --out "$WORK/report" "${RUN_OPTS[@]}")
  }
  tenant_run() {
    find "$dir/exports" -type f -exec cat {} + >/dev/null
    read -r wall rss < <(measure "$BIN" run "$dir/exports" --out "$WORK/report" "${RUN_OPTS[@]}")
  }
  for n in $(seq "$RUNS"); do
    # Which of the pair goes first alternates too.
    if (( n % 2 )); then single_run; tenant_run; else tenant_run; single_run; fi
    walls+=("$wall"); rsss+=("$rss"); singles+=("$swall")
    ratios+=("$(python3 -c "import sys; print(float(sys.argv[1]) / float(sys.argv[2]))" "$wall" "$swall")")
  done
  w=$(median "${walls[@]}"); r=$(median "${rsss[@]}"); s1=$(median "${singles[@]}")
  ratio=$(median "${ratios[@]}")
  printf '| whole tenant, every format | MB | report s | peak RSS MB | single-CSV 5M run s (same minutes) | × single-CSV run (median of pairs) | pairs |\n|---|---:|---:|---:|---:|---:|---|\n'
  python3 -c "import sys; size, w, r, s, q = sys.argv[1:6]; pairs = ', '.join(f'{float(x):.2f}' for x in sys.argv[6:]); print(f'| 50,000 people | {int(size)/1e6:,.0f} | {float(w):.2f} | {float(r)/1024:,.0f} | {float(s):.2f} | {float(q):.2f} | {pairs} |')" \
    "$size" "$w" "$r" "$s1" "$ratio" "${ratios[@]}"
  echo
fi

if [[ " $PARTS " == *" evtx "* ]]; then
  # The Connect server's log of the whole tenant: the reading phase of a run on it alone
  # (SSPR_REPORT_TIMINGS), and `inspect`, which also builds the on-prem model.
  printf '| .evtx | MB | records | read s | read MB/s | inspect s |\n|---|---:|---:|---:|---:|---:|\n'
  evtx="$WORK/all-5m/exports/onprem/Application_CONNECT01.evtx"
  if [ -f "$evtx" ]; then
    reads=(); secs=()
    for _ in $(seq "$RUNS"); do
      reads+=("$(SSPR_REPORT_TIMINGS=1 "$BIN" run "$evtx" --out "$WORK/report" "${RUN_OPTS[@]}" 2>&1 >/dev/null | awk '/^timing: read/ {print $3}')")
      read -r wall _ < <(measure "$BIN" inspect "$evtx")
      secs+=("$wall")
    done
    r=$(median "${reads[@]}"); s=$(median "${secs[@]}")
    records=$("$BIN" inspect "$evtx" | awk '/records:/ {print $2; exit}')
    python3 -c "import sys; size, recs, r, s = sys.argv[1:]; size = int(size); print(f'| 50,000 people | {size/1e6:,.0f} | {int(recs):,} | {float(r):.2f} | {size/1e6/float(r):,.0f} | {float(s):.2f} |')" \
      "$(stat -c %s "$evtx")" "$records" "$r" "$s"
  fi
  echo
fi

if [[ " $PARTS " == *" history "* ]]; then
  csv="$WORK/syn-1m/exports/audit/AuditLogs.csv"
  tenant "$WORK/syn-1m" 10000 "" --single-csv
  # A fixed few hundredths of a second on a third of a second: more runs than the others, and
  # timed to the microsecond (GNU time's wall clock has hundredths: ±3 % of such a run).
  precise() {
    local from to
    from=$(date +%s.%N)
    "$@" >/dev/null
    to=$(date +%s.%N)
    python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$from" "$to"
  }
  cat "$csv" >/dev/null
  plain=(); with=()
  for _ in $(seq "${BENCH_HISTORY_RUNS:-7}"); do
    plain+=("$(precise "$BIN" run "$csv" --out "$WORK/report" "${RUN_OPTS[@]}")")
    rm -rf "$WORK/history"
    with+=("$(precise "$BIN" run "$csv" --out "$WORK/report" "${RUN_OPTS[@]}" --history "$WORK/history")")
  done
  p=$(median "${plain[@]}"); h=$(median "${with[@]}")
  printf '| 1M rows | run s | run --history s | cost |\n|---|---:|---:|---:|\n'
  python3 -c "import sys; p, h = map(float, sys.argv[1:]); print(f'| syn-1m | {p:.3f} | {h:.3f} | {(h-p)/p:+.1%} |')" "$p" "$h"
  echo
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
