#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, JOBS (default 2) at a time, with the
# committed seeds; new corpus entries go to fuzz/corpus/<target>, crashes to fuzz/artifacts/.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-600}"
JOBS="${JOBS:-2}"
TARGETS="${TARGETS:-audit_csv audit_json event_xml event_table event_message evtx registration license workbook}"
mkdir -p logs
cargo +nightly fuzz build -s none
run() {
  local t="$1"
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"logs/$t.log" 2>&1 && echo "$t: ok" || echo "$t: FAILED (see fuzz/logs/$t.log)"
}
export -f run
export SECONDS_EACH
printf '%s\n' $TARGETS | xargs -P "$JOBS" -I{} bash -c 'run {}'
