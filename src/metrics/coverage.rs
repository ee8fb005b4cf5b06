//! Coverage: does the audit log cover the period? First and last record, gaps longer than
//! `--gap` inside the period, and warnings that go on the report's first page.

use crate::ingest::Ingested;
use crate::model::Model;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// A stretch of the period without any record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Last minute with a record before the gap (local time).
    pub from: String,
    /// First minute with a record after the gap (local time).
    pub to: String,
    /// Length in hours (one decimal).
    pub hours: f64,
}

/// Coverage of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCoverage {
    /// `audit`, or `onprem:<computer>`.
    pub source: String,
    /// First record time (local), if any.
    pub first: Option<String>,
    /// Last record time (local), if any.
    pub last: Option<String>,
    /// Gaps inside the period longer than `--gap`.
    pub gaps: Vec<Gap>,
}

/// The `coverage` section of summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Sentences for the report's first page; empty when the inputs cover the period.
    pub warnings: Vec<String>,
    /// Gap length that raises a warning.
    pub gap_threshold: String,
    /// Per-source detail.
    pub sources: Vec<SourceCoverage>,
}

/// ISO 8601 local time with offset, seconds precision (the report's time format).
pub fn local_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Computes coverage of the audit log.
pub fn compute(
    model: &Model,
    ingested: &Ingested,
    gap: Duration,
    explicit_period: bool,
) -> Coverage {
    let tz = model.tz;
    let start = model.period.start_utc(tz);
    let end = model.period.end_utc(tz);
    let mut warnings = Vec::new();
    let mut gaps = Vec::new();
    match model.audit_span {
        None => {
            warnings.push("No audit log records were read: the report has no flows.".to_string())
        }
        Some((first, last)) => {
            if explicit_period && first - start > gap {
                warnings.push(format!(
                    "The audit log starts at {}, after the period starts ({}): earlier flows are missing.",
                    local_time(first, tz),
                    model.period.from
                ));
            }
            if explicit_period && end - last > gap {
                warnings.push(format!(
                    "The audit log ends at {}, before the period ends ({}): later flows are missing.",
                    local_time(last, tz),
                    model.period.to
                ));
            }
            if first >= end || last < start {
                warnings.push("No audit record lies inside the period.".to_string());
            }
            let lo = start.timestamp().div_euclid(60);
            let hi = end.timestamp().div_euclid(60);
            let gap_minutes = gap.num_minutes();
            let mut prev: Option<i64> = None;
            for &m in ingested.audit_minutes.range(lo..hi) {
                if let Some(p) = prev
                    && m - p > gap_minutes
                {
                    let from = DateTime::<Utc>::from_timestamp(p * 60, 0).unwrap_or(start);
                    let to = DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or(end);
                    let hours = ((m - p) as f64 / 60.0 * 10.0).round() / 10.0;
                    warnings.push(format!(
                            "No audit records from {} to {} ({hours} h): the export may be missing this time.",
                            local_time(from, tz),
                            local_time(to, tz)
                        ));
                    gaps.push(Gap {
                        from: local_time(from, tz),
                        to: local_time(to, tz),
                        hours,
                    });
                }
                prev = Some(m);
            }
        }
    }
    Coverage {
        warnings,
        gap_threshold: crate::config::format_duration(gap),
        sources: vec![SourceCoverage {
            source: "audit".into(),
            first: model.audit_span.map(|(f, _)| local_time(f, tz)),
            last: model.audit_span.map(|(_, l)| local_time(l, tz)),
            gaps,
        }],
    }
}
