#!/usr/bin/env bash
# Renders a report's index.html in headless Chromium to a PNG (the picture in the README).
#   scripts/screenshot-report.sh [REPORT_DIR] [OUT_PNG]
# Needs Debian's chromium (`apt-get install chromium`). The page is opened from disk: it has no
# external asset, and the flags keep Chromium from reaching out to the network.
set -euo pipefail
cd "$(dirname "$0")/.."
report="${1:-reports/example}"
out="${2:-docs/index.png}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size=1100,2400 \
  --screenshot="$PWD/$out" "file://$PWD/$report/index.html" 2>/dev/null
echo "wrote $out"
