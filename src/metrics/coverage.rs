//! Coverage: does the audit log cover the period? First and last record, gaps longer than
//! `--gap` inside the period, and warnings that go on the report's first page.

use crate::ingest::Ingested;
use crate::model::Model;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeSet;

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

/// Gaps longer than `gap` between consecutive covered minutes inside `[lo, hi)`.
fn gaps_in(minutes: &BTreeSet<i64>, lo: i64, hi: i64, gap: Duration, tz: Tz) -> Vec<Gap> {
    let minute_time = |m: i64| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or_default();
    // A source whose records all lie outside the period gives lo >= hi: nothing inside.
    let inside: Vec<i64> = minutes.range(lo..hi.max(lo)).copied().collect();
    inside
        .windows(2)
        .filter(|pair| pair[1] - pair[0] > gap.num_minutes())
        .map(|pair| Gap {
            from: local_time(minute_time(pair[0]), tz),
            to: local_time(minute_time(pair[1]), tz),
            hours: ((pair[1] - pair[0]) as f64 / 60.0 * 10.0).round() / 10.0,
        })
        .collect()
}

/// Edge and gap warnings of one source (`what` names it in the sentence).
fn check_source(
    what: &str,
    minutes: &BTreeSet<i64>,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Vec<Gap> {
    let tz = ctx.tz;
    let minute_time = |m: i64| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or(ctx.start);
    let inside: Vec<i64> = minutes.range(ctx.lo..ctx.hi.max(ctx.lo)).copied().collect();
    let Some((first, last)) = span else {
        warnings.push(format!("No {what} records were read."));
        return Vec::new();
    };
    let (Some(&first_in), Some(&last_in)) = (inside.first(), inside.last()) else {
        warnings.push(format!(
            "No {what} record lies inside the period: it runs from {} to {}.",
            local_time(first, tz),
            local_time(last, tz)
        ));
        return Vec::new();
    };
    if ctx.explicit && first_in - ctx.lo > ctx.gap.num_minutes() {
        warnings.push(format!(
            "The {what} starts at {}, after the period starts ({}): earlier events are missing.",
            local_time(minute_time(first_in), tz),
            ctx.from
        ));
    }
    if ctx.explicit && ctx.hi - 1 - last_in > ctx.gap.num_minutes() {
        warnings.push(format!(
            "The {what} ends at {}, before the period ends ({}): later events are missing.",
            local_time(minute_time(last_in), tz),
            ctx.to
        ));
    }
    let gaps = gaps_in(minutes, ctx.lo, ctx.hi, ctx.gap, tz);
    for g in &gaps {
        warnings.push(format!(
            "No {what} records from {} to {} ({} h): the export may be missing this time.",
            g.from, g.to, g.hours
        ));
    }
    gaps
}

#[derive(Clone, Copy)]
struct Ctx {
    tz: Tz,
    start: DateTime<Utc>,
    lo: i64,
    hi: i64,
    gap: Duration,
    explicit: bool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

/// Computes coverage of the audit log and, when given, of each Connect server's log.
pub fn compute(
    model: &Model,
    ingested: &Ingested,
    gap: Duration,
    explicit_period: bool,
) -> Coverage {
    let tz = model.tz;
    let start = model.period.start_utc(tz);
    let end = model.period.end_utc(tz);
    let ctx = Ctx {
        tz,
        start,
        lo: start.timestamp().div_euclid(60),
        hi: end.timestamp().div_euclid(60),
        gap,
        explicit: explicit_period,
        from: model.period.from,
        to: model.period.to,
    };
    let mut warnings = Vec::new();
    let audit_gaps = check_source(
        "audit log",
        &ingested.audit_minutes,
        model.audit_span,
        &ctx,
        &mut warnings,
    );
    let mut sources = vec![SourceCoverage {
        source: "audit".into(),
        first: model.audit_span.map(|(f, _)| local_time(f, tz)),
        last: model.audit_span.map(|(_, l)| local_time(l, tz)),
        gaps: audit_gaps,
    }];
    if let Some(onprem) = &model.onprem {
        // The period's edges are checked on all computers together (a swing migration hands
        // over from one server to the next); gaps inside each server's own log are its own.
        let union: BTreeSet<i64> = ingested
            .onprem_minutes
            .values()
            .flatten()
            .copied()
            .collect();
        let union_span = onprem
            .spans
            .values()
            .copied()
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
        let mut edge_warnings = Vec::new();
        check_source(
            "on-prem event log",
            &union,
            union_span,
            &ctx,
            &mut edge_warnings,
        );
        warnings.extend(
            edge_warnings
                .into_iter()
                .filter(|w| !w.starts_with("No on-prem event log records from")),
        );
        for (computer, (first, last)) in &onprem.spans {
            let minutes = ingested
                .onprem_minutes
                .get(computer)
                .cloned()
                .unwrap_or_default();
            let own = Ctx {
                lo: ctx.lo.max(first.timestamp().div_euclid(60)),
                hi: ctx.hi.min(last.timestamp().div_euclid(60) + 1),
                explicit: false,
                ..ctx
            };
            let gaps = check_source(
                &format!("{computer} event log"),
                &minutes,
                Some((*first, *last)),
                &own,
                &mut warnings,
            );
            sources.push(SourceCoverage {
                source: format!("onprem:{computer}"),
                first: Some(local_time(*first, tz)),
                last: Some(local_time(*last, tz)),
                gaps,
            });
        }
    }
    Coverage {
        warnings,
        gap_threshold: crate::config::format_duration(gap),
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Connect server whose log lies wholly before the period gives a window that ends before
    /// it starts (found by the hostile-input corpus: it panicked in `BTreeSet::range`).
    #[test]
    fn a_log_wholly_outside_the_period_is_a_warning_not_a_panic() {
        let minutes: BTreeSet<i64> = [100, 101, 5000].into_iter().collect();
        let start = DateTime::<Utc>::from_timestamp(6000 * 60, 0).expect("time");
        let ctx = Ctx {
            tz: chrono_tz::UTC,
            start,
            lo: 6000,
            hi: 200,
            gap: Duration::hours(6),
            explicit: false,
            from: start.date_naive(),
            to: start.date_naive(),
        };
        let first = DateTime::<Utc>::from_timestamp(100 * 60, 0).expect("time");
        let mut warnings = Vec::new();
        let gaps = check_source(
            "CONNECT01 event log",
            &minutes,
            Some((first, first)),
            &ctx,
            &mut warnings,
        );
        assert!(gaps.is_empty());
        assert!(warnings[0].contains("inside the period"), "{warnings:?}");
        assert!(gaps_in(&minutes, 6000, 200, ctx.gap, ctx.tz).is_empty());
    }
}
