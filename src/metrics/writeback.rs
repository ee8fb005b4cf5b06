//! Writeback health (design §4): operations, service stops and outages (31016 until the next
//! 31015, open at the end of the data), connectivity, Service Bus and configuration errors —
//! for the period and per local day.

use crate::catalog::{self, EventSource, Lang, ReasonCategory};
use crate::metrics::rate;
use crate::metrics::sspr::FailureReasonRow;
use crate::model::onprem::OpResult;
use crate::model::{Model, OnpremModel};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `writeback` section of summary.json.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct WritebackSummary {
    /// Operations (a start, or an outcome whose start is missing).
    pub requests: u64,
    /// Operations that succeeded.
    pub succeeded: u64,
    /// Operations that failed.
    pub failed: u64,
    /// Starts with no outcome.
    pub pending: u64,
    /// 31016 events.
    pub service_stops: u64,
    /// Stop-to-start intervals that overlap the period.
    pub outages: u64,
    /// Outage minutes inside the period.
    pub outage_minutes: u64,
    /// 31034, 31044, 32001, 32002, 32011, 32013.
    pub connectivity_errors: u64,
    /// 32014.
    pub servicebus_warnings: u64,
    /// 6329, 6800, 32005, 32007, 32009, 33009 and ADSync `hr=` errors.
    pub config_errors: u64,
}

/// One row of `writeback_health.csv`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HealthRow {
    /// Local date.
    pub date: NaiveDate,
    /// Operations.
    pub requests: u64,
    /// Succeeded operations.
    pub succeeded: u64,
    /// Failed operations.
    pub failed: u64,
    /// 31016 events.
    pub service_stops: u64,
    /// Outage minutes of this day.
    pub outage_minutes: u64,
    /// Connectivity errors.
    pub connectivity_errors: u64,
    /// Configuration errors.
    pub config_errors: u64,
    /// Whether some Connect server's log covers part of this day; without that, the counts
    /// are unknown, not zero (writeback_health.csv leaves them empty).
    pub covered: bool,
}

/// An outage on one computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outage {
    /// Computer.
    pub computer: String,
    /// The 31016.
    pub from: DateTime<Utc>,
    /// The next 31015, `None` while still open at the end of the data.
    pub to: Option<DateTime<Utc>>,
    /// For an open outage, the last record of that computer's log, where it is counted to.
    pub log_end: Option<DateTime<Utc>>,
}

impl Outage {
    /// Where the outage is counted to: the 31015, else the end of that computer's log.
    pub fn counted_to(&self) -> DateTime<Utc> {
        self.to.or(self.log_end).unwrap_or(self.from)
    }
}

/// Everything of this family.
#[derive(Debug, Default)]
pub struct Writeback {
    /// Summary section.
    pub summary: WritebackSummary,
    /// writeback_health.csv.
    pub daily: Vec<HealthRow>,
    /// Outage intervals overlapping the period.
    pub outages: Vec<Outage>,
    /// On-prem rows of failure_reasons.csv.
    pub failure_reasons: Vec<FailureReasonRow>,
}

/// Connectivity errors per design §4.
const CONNECTIVITY_IDS: [u32; 6] = [31034, 31044, 32001, 32002, 32011, 32013];

/// Outages from 31016/31015 of every computer, over the whole log (one that began before the
/// period still counts inside it). Copies of an event (the same log given twice) are skipped.
/// An outage with no 31015 ends where that computer's log ends: what came after is unknown.
fn outages(onprem: &OnpremModel) -> Vec<Outage> {
    let mut by_computer: BTreeMap<&str, Vec<(DateTime<Utc>, bool)>> = BTreeMap::new();
    for (e, dup) in onprem.events.iter().zip(&onprem.duplicate) {
        if *dup || e.source_kind() != Some(EventSource::PasswordResetService) {
            continue;
        }
        match e.event_id {
            31016 => by_computer
                .entry(&e.computer)
                .or_default()
                .push((e.time, true)),
            31015 => by_computer
                .entry(&e.computer)
                .or_default()
                .push((e.time, false)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (computer, mut marks) in by_computer {
        marks.sort();
        marks.dedup();
        let mut open: Option<DateTime<Utc>> = None;
        for (t, stop) in marks {
            match (stop, open) {
                (true, None) => open = Some(t),
                (false, Some(from)) => {
                    out.push(Outage {
                        computer: computer.to_string(),
                        from,
                        to: Some(t),
                        log_end: None,
                    });
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(from) = open {
            let log_end = onprem.spans.get(computer).map(|(_, last)| *last);
            out.push(Outage {
                computer: computer.to_string(),
                from,
                to: None,
                log_end: log_end.filter(|end| *end > from),
            });
        }
    }
    out
}

/// Seconds of `[from, to)` that fall inside `[lo, hi)`.
fn overlap_seconds(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
) -> i64 {
    let (a, b) = (from.max(lo), to.min(hi));
    if b > a { (b - a).num_seconds() } else { 0 }
}

/// Seconds to whole minutes, rounded (summed first, so short outages are not lost).
fn minutes(seconds: i64) -> u64 {
    ((seconds.max(0) + 30) / 60) as u64
}

/// Computes writeback health; `None` without an on-prem log, or when no on-prem record lies
/// in the period (a log of another month says nothing about this one: not zero, unknown).
pub fn compute(model: &Model, lang: Lang) -> Option<Writeback> {
    let onprem = model.onprem.as_ref().filter(|o| o.records_in_period)?;
    let tz = model.tz;
    let (start, end) = (model.period.start_utc(tz), model.period.end_utc(tz));
    let mut days: BTreeMap<NaiveDate, HealthRow> = BTreeMap::new();
    let mut d = model.period.from;
    while d <= model.period.to {
        days.insert(
            d,
            HealthRow {
                date: d,
                ..HealthRow::default()
            },
        );
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    let day_of = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let mut s = WritebackSummary::default();
    for op in &onprem.ops {
        let row = days.entry(day_of(op.time)).or_default();
        s.requests += 1;
        row.requests += 1;
        match op.result {
            OpResult::Succeeded => {
                s.succeeded += 1;
                row.succeeded += 1;
            }
            OpResult::Failed => {
                s.failed += 1;
                row.failed += 1;
            }
            OpResult::Pending => s.pending += 1,
        }
    }
    for (e, used) in onprem.events.iter().zip(&onprem.used) {
        if !used {
            continue;
        }
        let row = days.entry(day_of(e.time)).or_default();
        if e.source_kind() == Some(EventSource::PasswordResetService) && e.event_id == 31016 {
            s.service_stops += 1;
            row.service_stops += 1;
        }
        // Counted by the design's ID lists, not by role: the catalog also files 32015 (failed
        // health report) under connectivity, which the definition leaves out.
        if e.source_kind() == Some(EventSource::PasswordResetService) {
            if CONNECTIVITY_IDS.contains(&e.event_id) {
                s.connectivity_errors += 1;
                row.connectivity_errors += 1;
            } else if e.event_id == 32014 {
                s.servicebus_warnings += 1;
            }
        }
        if e.is_config_error() {
            s.config_errors += 1;
            row.config_errors += 1;
        }
    }
    let outages: Vec<Outage> = outages(onprem)
        .into_iter()
        .filter(|o| o.from < end && o.counted_to() > start)
        .collect();
    s.outages = outages.len() as u64;
    let mut day_seconds: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for o in &outages {
        for date in days.keys() {
            let lo = crate::time::local_midnight_utc(*date, tz);
            let hi = date
                .succ_opt()
                .map(|n| crate::time::local_midnight_utc(n, tz))
                .unwrap_or(lo);
            *day_seconds.entry(*date).or_default() +=
                overlap_seconds(o.from, o.counted_to(), lo.max(start), hi.min(end));
        }
    }
    for (date, row) in days.iter_mut() {
        let lo = crate::time::local_midnight_utc(*date, tz);
        let hi = date
            .succ_opt()
            .map(|n| crate::time::local_midnight_utc(n, tz))
            .unwrap_or(lo);
        row.covered = onprem
            .stretches
            .values()
            .flatten()
            .any(|(first, last)| *first < hi && *last >= lo);
    }
    // Rounded on the running total, so that the days add up to the headline exactly.
    let mut total_seconds = 0;
    for (date, secs) in day_seconds {
        let before = minutes(total_seconds);
        total_seconds += secs;
        if let Some(row) = days.get_mut(&date) {
            row.outage_minutes = minutes(total_seconds) - before;
        }
    }
    s.outage_minutes = minutes(total_seconds);
    let failure_reasons = onprem_failure_reasons(onprem, s.failed, lang);
    Some(Writeback {
        summary: s,
        daily: days
            .into_values()
            .filter(|r| model.period.contains(r.date))
            .collect(),
        outages,
        failure_reasons,
    })
}

/// Failed operations by their detailed error (33xxx event, else `hr=` code).
fn onprem_failure_reasons(onprem: &OnpremModel, failed: u64, lang: Lang) -> Vec<FailureReasonRow> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for op in onprem.ops.iter().filter(|op| op.result == OpResult::Failed) {
        *counts
            .entry(op.error_code.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let mut rows: Vec<FailureReasonRow> = counts
        .into_iter()
        .map(|(code, count)| {
            let event = code.parse::<u32>().ok().and_then(|id| catalog::event(EventSource::PasswordResetService, id));
            let hr = catalog::hr_code(&code);
            let (reason, category, remedy) = match (event, hr) {
                (Some(e), _) => (e.name.to_string(), e.category, e.fix.get(lang).to_string()),
                (None, Some(h)) => (h.name.to_string(), h.category, h.fix.get(lang).to_string()),
                (None, None) => (
                    if code.is_empty() { "failure without a detailed error event".to_string() } else { code.clone() },
                    ReasonCategory::Other,
                    match lang {
                        Lang::En => "Look at the Connect server's Application log around the failure (ADSync events) for the error text.".to_string(),
                        Lang::Ja => "失敗時刻前後の Entra Connect サーバーのアプリケーション ログ (ADSync のイベント) でエラー内容を確認してください。".to_string(),
                    },
                ),
            };
            FailureReasonRow {
                source: "onprem",
                code,
                reason,
                category: category.as_str().to_string(),
                count,
                share: rate(count, failed),
                remedy,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn overlap() {
        let t = |h: u32| {
            Utc.with_ymd_and_hms(2026, 10, 31, h, 0, 0)
                .single()
                .expect("t")
        };
        assert_eq!(overlap_seconds(t(10), t(20), t(12), t(23)), 480 * 60);
        assert_eq!(overlap_seconds(t(10), t(11), t(12), t(23)), 0);
        assert_eq!(minutes(68 * 60 + 36) + minutes(6 * 60 + 42), 69 + 7);
    }
}
