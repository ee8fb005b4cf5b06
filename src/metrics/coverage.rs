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
    let lo = start.timestamp().div_euclid(60);
    let hi = end.timestamp().div_euclid(60);
    let gap_minutes = gap.num_minutes();
    let minute_time = |m: i64| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or(start);
    let inside: Vec<i64> = ingested.audit_minutes.range(lo..hi).copied().collect();
    match (model.audit_span, inside.first(), inside.last()) {
        (None, _, _) => {
            warnings.push("No audit log records were read: the report has no flows.".to_string())
        }
        (Some((first, last)), None, _) | (Some((first, last)), _, None) => warnings.push(format!(
            "No audit record lies inside the period: the audit log runs from {} to {}.",
            local_time(first, tz),
            local_time(last, tz)
        )),
        (Some(_), Some(&first_in), Some(&last_in)) => {
            if explicit_period && first_in - lo > gap_minutes {
                warnings.push(format!(
                    "The audit log starts at {}, after the period starts ({}): earlier flows are missing.",
                    local_time(minute_time(first_in), tz),
                    model.period.from
                ));
            }
            if explicit_period && hi - 1 - last_in > gap_minutes {
                warnings.push(format!(
                    "The audit log ends at {}, before the period ends ({}): later flows are missing.",
                    local_time(minute_time(last_in), tz),
                    model.period.to
                ));
            }
            for pair in inside.windows(2) {
                let (p, m) = (pair[0], pair[1]);
                if m - p > gap_minutes {
                    let hours = ((m - p) as f64 / 60.0 * 10.0).round() / 10.0;
                    let (from, to) = (
                        local_time(minute_time(p), tz),
                        local_time(minute_time(m), tz),
                    );
                    warnings.push(format!(
                        "No audit records from {from} to {to} ({hours} h): the export may be missing this time."
                    ));
                    gaps.push(Gap { from, to, hours });
                }
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
