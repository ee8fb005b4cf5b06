//! Throttling: `Blocked from self-service password reset` records, the users they name, and
//! users whose burst of attempts should have been blocked although no block record was exported.

use crate::model::flow::is_block_record;
use crate::model::{Model, Outcome};
use crate::time::format_duration;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// How long SSPR stays blocked after the last block (formats.md §2.5).
pub const BLOCK_HOURS: i64 = 24;

/// The `throttling` section of summary.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThrottlingSummary {
    /// Block records in the period.
    pub block_events: u64,
    /// Distinct users with a block record or a flow that ended blocked.
    pub throttled_users: u64,
    /// Other users with `threshold` flows inside `window`.
    pub inferred_throttled_users: u64,
    /// Threshold used for the inference.
    pub threshold: usize,
    /// Window used for the inference (Microsoft documents both 1 h and 24 h).
    pub window: String,
}

/// Why a user is in throttling.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleStatus {
    /// A block record, or a flow that ended "blocked for 24 hours".
    Throttled,
    /// No block in the export, but `threshold` flows inside the window.
    Inferred,
}

impl ThrottleStatus {
    /// CSV value.
    pub fn as_str(self) -> &'static str {
        match self {
            ThrottleStatus::Throttled => "throttled",
            ThrottleStatus::Inferred => "inferred",
        }
    }
}

/// One row of throttling.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleRow {
    /// User key.
    pub user: String,
    /// Throttled or inferred.
    pub status: ThrottleStatus,
    /// Block records of the user.
    pub block_events: u64,
    /// First block (record, or the record saying "blocked for 24 hours").
    pub first_blocked_at: Option<DateTime<Utc>>,
    /// Last block.
    pub last_blocked_at: Option<DateTime<Utc>>,
    /// Last block + 24 h.
    pub blocked_until: Option<DateTime<Utc>>,
    /// Most of the user's flows that started inside one window.
    pub max_flows_in_window: usize,
    /// Start of the first window holding that many.
    pub busiest_window_start: Option<DateTime<Utc>>,
    /// The user's self-service flows in the period (admin resets are not attempts of theirs).
    pub flows: usize,
}

/// Throttling numbers and tables.
#[derive(Debug, Clone)]
pub struct Throttling {
    /// Summary.
    pub summary: ThrottlingSummary,
    /// Throttled users first, then inferred ones; each group by user.
    pub rows: Vec<ThrottleRow>,
    /// Blocks per local weekday (0 = Monday) and hour: the throttling chart.
    pub by_weekday_hour: [[u64; 24]; 7],
}

/// Most flows that start within any `window` span (both ends included) of sorted start times,
/// and where the first such span starts.
pub fn busiest_window(
    starts: &[DateTime<Utc>],
    window: Duration,
) -> (usize, Option<DateTime<Utc>>) {
    let mut best = (0, None);
    let mut lo = 0;
    for hi in 0..starts.len() {
        while starts[hi] - starts[lo] > window {
            lo += 1;
        }
        if hi - lo + 1 > best.0 {
            best = (hi - lo + 1, Some(starts[lo]));
        }
    }
    best
}

/// The moments a flow was blocked, in time order: its Blocked records, else (a flow that ended
/// "… blocked for 24 hours" in an export that lost the Blocked record) that record.
pub fn block_moments(model: &Model, f: &crate::model::Flow) -> Vec<DateTime<Utc>> {
    let records = f.records.iter().filter_map(|&i| model.records.get(i));
    let mut moments: Vec<DateTime<Utc>> = records
        .clone()
        .filter(|r| r.is_activity(crate::model::audit::activity::BLOCKED))
        .map(|r| r.time)
        .collect();
    if moments.is_empty() && f.outcome == Outcome::Blocked {
        moments.extend(records.rev().find(|r| is_block_record(r)).map(|r| r.time));
    }
    moments
}

/// Computes throttling.
pub fn compute(model: &Model, threshold: usize, window: Duration) -> Throttling {
    #[derive(Default)]
    struct PerUser {
        block_records: u64,
        blocks: Vec<DateTime<Utc>>,
        starts: Vec<DateTime<Utc>>,
    }
    let mut block_events = 0u64;
    let mut users: BTreeMap<&str, PerUser> = BTreeMap::new();
    let mut by_weekday_hour = [[0u64; 24]; 7];
    for f in &model.flows {
        block_events += f.block_records as u64;
        let moments = block_moments(model, f);
        for t in &moments {
            let local = t.with_timezone(&model.tz);
            by_weekday_hour[local.weekday().num_days_from_monday() as usize]
                [local.hour() as usize] += 1;
        }
        let Some(user) = f.user.as_deref() else {
            continue;
        };
        let u = users.entry(user).or_default();
        u.block_records += f.block_records as u64;
        u.blocks.extend(moments);
        // A helpdesk resetting someone five times is not the user tripping SSPR's throttle.
        if f.kind != crate::model::FlowKind::AdminReset {
            u.starts.push(f.started_at);
        }
    }
    let mut throttled = Vec::new();
    let mut inferred = Vec::new();
    for (user, mut u) in users {
        u.starts.sort();
        u.blocks.sort();
        let (max_flows, busiest) = busiest_window(&u.starts, window);
        let status = if !u.blocks.is_empty() {
            ThrottleStatus::Throttled
        } else if max_flows >= threshold {
            ThrottleStatus::Inferred
        } else {
            continue;
        };
        let last = u.blocks.last().copied();
        let row = ThrottleRow {
            user: user.to_string(),
            status,
            block_events: u.block_records,
            first_blocked_at: u.blocks.first().copied(),
            last_blocked_at: last,
            blocked_until: last.map(|t| t + Duration::hours(BLOCK_HOURS)),
            max_flows_in_window: max_flows,
            busiest_window_start: busiest,
            flows: u.starts.len(),
        };
        match status {
            ThrottleStatus::Throttled => throttled.push(row),
            ThrottleStatus::Inferred => inferred.push(row),
        }
    }
    Throttling {
        summary: ThrottlingSummary {
            block_events,
            throttled_users: throttled.len() as u64,
            inferred_throttled_users: inferred.len() as u64,
            threshold,
            window: format_duration(window),
        },
        rows: throttled.into_iter().chain(inferred).collect(),
        by_weekday_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::audit::{
        AuditRecord, AuditResult, Origin, Relevance, SSPR_SERVICE, activity,
    };
    use crate::model::flow;
    use chrono::TimeZone;

    fn t(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 21, 0, 0, 0)
            .single()
            .expect("t")
            + Duration::minutes(m)
    }

    #[test]
    fn window_counts_both_ends() {
        let starts = [t(0), t(15), t(30), t(45), t(60), t(200)];
        assert_eq!(busiest_window(&starts, Duration::minutes(60)).0, 5);
        assert_eq!(busiest_window(&starts, Duration::minutes(59)).0, 4);
        assert_eq!(busiest_window(&[], Duration::minutes(60)).0, 0);
        assert_eq!(busiest_window(&starts, Duration::minutes(59)).1, Some(t(0)));
    }

    fn rec(minute: i64, act: &str, reason: &str, user: &str) -> AuditRecord {
        AuditRecord {
            id: None,
            time: t(minute),
            service: SSPR_SERVICE.into(),
            activity: act.into(),
            result: AuditResult::Success,
            reason: reason.into(),
            correlation_id: format!("c{minute}").into(),
            actor_upn: Some(user.into()),
            target_upn: Some(user.into()),
            ip: None,
            onprem_agent: None,
            relevance: Relevance::Flow,
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    /// A model whose flows are one record each.
    fn model(records: Vec<AuditRecord>) -> Model {
        let mut m = Model::empty(chrono_tz::Asia::Tokyo);
        for (i, r) in records.iter().enumerate() {
            let f = flow::assemble(&r.correlation_id, &[r], &[i], &flow::BlockReasons::of([r]))
                .expect("flow");
            m.flows.push(f);
        }
        m.records = records;
        m
    }

    #[test]
    fn five_attempts_in_an_hour_without_a_block_record_are_inferred() {
        let mut records: Vec<AuditRecord> = [0, 10, 20, 30, 40]
            .into_iter()
            .map(|m| {
                rec(
                    m,
                    activity::PROGRESS,
                    "User submitted their user ID",
                    "jun@x.jp",
                )
            })
            .collect();
        // Four attempts in an hour, a fifth two hours later: not enough.
        records.extend([0, 10, 20, 30, 180].into_iter().map(|m| {
            rec(
                m,
                activity::PROGRESS,
                "User submitted their user ID",
                "eri@x.jp",
            )
        }));
        records.push(rec(90, activity::BLOCKED, "", "yuta@x.jp"));
        let th = compute(&model(records), 5, Duration::minutes(60));
        assert_eq!(th.summary.block_events, 1);
        assert_eq!(th.summary.throttled_users, 1);
        assert_eq!(th.summary.inferred_throttled_users, 1);
        let users: Vec<(&str, &str)> = th
            .rows
            .iter()
            .map(|r| (r.user.as_str(), r.status.as_str()))
            .collect();
        assert_eq!(
            users,
            [("yuta@x.jp", "throttled"), ("jun@x.jp", "inferred")]
        );
        let yuta = &th.rows[0];
        assert_eq!(yuta.blocked_until, Some(t(90) + Duration::hours(24)));
        let jun = &th.rows[1];
        assert_eq!((jun.max_flows_in_window, jun.blocked_until), (5, None));
        // 2026-10-21 01:30 UTC is a Wednesday, 10:30 in Tokyo.
        assert_eq!(th.by_weekday_hour[2][10], 1);
        assert_eq!(th.by_weekday_hour.iter().flatten().sum::<u64>(), 1);
    }

    #[test]
    fn a_blocked_reason_without_a_block_record_still_throttles() {
        let mut r = rec(
            5,
            activity::PROGRESS,
            "User entered too many invalid SMS verification codes and is blocked for 24 hours",
            "rina@x.jp",
        );
        r.result = AuditResult::Failure;
        let th = compute(&model(vec![r]), 5, Duration::minutes(60));
        assert_eq!(
            (th.summary.block_events, th.summary.throttled_users),
            (0, 1)
        );
        assert_eq!(th.rows[0].block_events, 0);
        assert_eq!(th.rows[0].last_blocked_at, Some(t(5)));
    }
}
