#!/usr/bin/env bash
# Checks that another engine reads the Parquet history as `trend` does: DuckDB's flow count per
# month, straight from DIR/flows/*/*/*.parquet with Hive partitioning, must equal trend.csv's
# `flows` column for every month of the tenant (issue 17 item 4).
#
#   bench/history_duckdb.sh HISTORY_DIR [TENANT]     # TENANT defaults to "default"
#
# Uses SSPR_BIN, else target/release/sspr-report, else target/debug/sspr-report. DuckDB is
# optional (pip install duckdb): without it the script says so and exits 0.
set -euo pipefail
HISTORY="${1:?usage: bench/history_duckdb.sh HISTORY_DIR [TENANT]}"
TENANT="${2:-default}"
HISTORY="$(cd "$HISTORY" && pwd)"
cd "$(dirname "$0")/.."
if ! python3 -c 'import duckdb' 2>/dev/null; then
  echo "DuckDB is not installed (pip install duckdb): nothing checked"
  exit 0
fi
BIN="${SSPR_BIN:-}"
for candidate in target/release/sspr-report target/debug/sspr-report; do
  if [ -z "$BIN" ] && [ -x "$candidate" ]; then BIN="$PWD/$candidate"; fi
done
[ -n "$BIN" ] || { echo "no sspr-report binary: cargo build first, or set SSPR_BIN" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$BIN" trend "$HISTORY" --tenant "$TENANT" --out "$OUT/trend" --no-charts --no-bom --quiet
python3 - "$HISTORY" "$TENANT" "$OUT/trend/trend.csv" <<'PY'
import csv, sys
import duckdb

history, tenant, trend_csv = sys.argv[1:4]
engine = dict(duckdb.execute(
    """SELECT month, count(*) FROM read_parquet(?, hive_partitioning = true)
       WHERE tenant = ? GROUP BY month""",
    [f"{history}/flows/*/*/*.parquet", tenant],
).fetchall())
bad = 0
with open(trend_csv, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        month, flows = row["month"], row["flows"]
        if flows == "":  # a gap: no partition, so DuckDB must have no rows either
            ok = month not in engine
        else:
            ok = engine.get(month, 0) == int(flows)
        print(f"{month}: trend.csv {flows or '(gap)'}, DuckDB {engine.get(month, '(none)')}"
              f"{'' if ok else '  <-- differs'}")
        bad += not ok
sys.exit(1 if bad else 0)
PY
