"""DuckDB's side of the benchmark: only the flow counts by day, kind and outcome (design §4),
from the same portal CSV the report reads. Run by bench/run.sh when duckdb is installed."""
import sys

import duckdb

SQL = """
WITH r AS (
  SELECT "CorrelationId" AS c, "Date (UTC)" AS t, "Service" AS s, "Activity" AS a,
         "Result" AS res, "ResultReason" AS reason
  FROM read_csv(?, header = true, all_varchar = true, quote = '"')
  WHERE "Service" = 'Self-service Password Management'
     OR ("Service" = 'Core Directory' AND "Activity" IN
         ('Reset user password', 'Reset password', 'Change user password',
          'Update StsRefreshTokenValidFrom Timestamp', 'Set force change user password'))
), f AS (
  SELECT c,
    min(t) AS first,
    bool_or(a = 'Reset password (by admin)') AS admin,
    bool_or(a = 'Change password (self-service)') AS chg,
    bool_or(a = 'Unlock user account (self-service)') AS unl,
    bool_or(a = 'Blocked from self-service password reset' OR reason LIKE '%blocked for 24 hours%') AS blocked,
    bool_or((a IN ('Reset password (self-service)', 'Change password (self-service)',
                   'Reset password (by admin)', 'Unlock user account (self-service)') AND res = 'success')
            OR (a = 'Self-service password reset flow activity progress' AND res = 'success'
                AND reason = 'User successfully reset password')) AS ok,
    bool_or(res = 'failure') AS failed
  FROM r GROUP BY c
  HAVING bool_or(s = 'Self-service Password Management'
                 AND a NOT IN ('User registered for self-service password reset',
                               'Security info saved for self-service password reset'))
)
SELECT CAST(CAST(first AS TIMESTAMPTZ) AT TIME ZONE 'Asia/Tokyo' AS DATE) AS day,
  CASE WHEN admin THEN 'admin_reset' WHEN chg THEN 'change' WHEN unl THEN 'unlock' ELSE 'reset' END AS kind,
  CASE WHEN blocked THEN 'blocked' WHEN ok THEN 'succeeded' WHEN failed THEN 'failed' ELSE 'abandoned' END AS outcome,
  count(*) AS flows
FROM f GROUP BY ALL ORDER BY ALL
"""

rows = duckdb.execute(SQL, [sys.argv[1]]).fetchall()
print(len(rows), sum(r[3] for r in rows))
