//! Registrations: events from the audit log (and usage records), where each registered method is
//! its own event — which is why users "show up several times" — and the per-user state of the
//! registration snapshot.

use crate::model::Model;
use crate::model::registration::SnapshotRow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The `registrations` section of summary.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrationSummary {
    /// Successful registration events in the period; `null` when no input logs events (only
    /// a snapshot was given: zero would claim nobody registered).
    pub events: Option<u64>,
    /// Distinct users with one.
    pub users: Option<u64>,
    /// Users with more than one event.
    pub users_with_multiple_events: Option<u64>,
    /// Events whose (user, method) pair was already seen earlier in the period.
    pub repeat_events: Option<u64>,
    /// Surplus snapshot rows; `null` without a registration snapshot input.
    pub snapshot_duplicate_rows: Option<u64>,
    /// Users in the snapshot; `null` without one.
    pub snapshot_users: Option<u64>,
    /// Snapshot users registered for SSPR.
    pub snapshot_sspr_registered: Option<u64>,
    /// Snapshot users allowed to use SSPR.
    pub snapshot_sspr_enabled: Option<u64>,
    /// Snapshot users registered and allowed.
    pub snapshot_sspr_capable: Option<u64>,
}

/// One row of registrations.csv: a user with events in the period, or in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    /// User key.
    pub user: String,
    /// Registration events in the period.
    pub events: u64,
    /// Distinct methods of those events.
    pub methods: BTreeSet<String>,
    /// First event.
    pub first_at: Option<DateTime<Utc>>,
    /// Last event.
    pub last_at: Option<DateTime<Utc>>,
    /// Events that repeated a (user, method) pair.
    pub repeat_events: u64,
    /// The user's newest snapshot row (shared with the model's snapshot, not copied).
    pub snapshot: Option<std::sync::Arc<SnapshotRow>>,
    /// Snapshot rows the user had (0 without a snapshot).
    pub snapshot_rows: u64,
}

/// Registration numbers and tables.
#[derive(Debug, Clone)]
pub struct Registrations {
    /// Summary.
    pub summary: RegistrationSummary,
    /// One row per user, sorted by user.
    pub rows: Vec<RegistrationRow>,
    /// Events per local date and method (the registrations chart).
    pub per_day_method: BTreeMap<(NaiveDate, String), u64>,
}

/// Computes registrations.
pub fn compute(model: &Model) -> Registrations {
    let mut rows: BTreeMap<String, RegistrationRow> = BTreeMap::new();
    let empty_row = |user: &str| RegistrationRow {
        user: user.to_string(),
        events: 0,
        methods: BTreeSet::new(),
        first_at: None,
        last_at: None,
        repeat_events: 0,
        snapshot: None,
        snapshot_rows: 0,
    };
    let mut pairs = HashSet::new();
    let mut per_day_method = BTreeMap::new();
    let mut repeats = 0;
    let events = &model.registration.events;
    for e in events {
        let date = e.time.with_timezone(&model.tz).date_naive();
        *per_day_method.entry((date, e.method.clone())).or_default() += 1;
        // An event all the same; there is no user to attribute it to.
        let Some(user) = &e.user else { continue };
        let row = rows.entry(user.clone()).or_insert_with(|| empty_row(user));
        row.events += 1;
        row.methods.insert(e.method.clone());
        row.first_at = Some(row.first_at.map_or(e.time, |t| t.min(e.time)));
        row.last_at = Some(row.last_at.map_or(e.time, |t| t.max(e.time)));
        // Canonical names are exact; an unknown spelling counts as written, for both columns.
        if !pairs.insert((user.clone(), e.method.clone())) {
            repeats += 1;
            row.repeat_events += 1;
        }
    }
    let users_with_events = rows.len() as u64;
    let users_with_multiple = rows.values().filter(|r| r.events > 1).count() as u64;
    let snapshot = model.registration.snapshot.as_ref();
    if let Some(s) = snapshot {
        for (user, r) in &s.rows {
            let row = rows.entry(user.clone()).or_insert_with(|| empty_row(user));
            row.snapshot = Some(std::sync::Arc::clone(r));
            row.snapshot_rows = s.rows_per_user.get(user).copied().unwrap_or(1);
        }
    }
    let count = |f: fn(&SnapshotRow) -> Option<bool>| {
        snapshot.map(|s| s.rows.values().filter(|r| f(r) == Some(true)).count() as u64)
    };
    let logged = model.audit_span.is_some() || model.registration.has_usage_input;
    let known = |n: u64| logged.then_some(n);
    Registrations {
        summary: RegistrationSummary {
            events: known(events.len() as u64),
            users: known(users_with_events),
            users_with_multiple_events: known(users_with_multiple),
            repeat_events: known(repeats),
            snapshot_duplicate_rows: snapshot.map(|s| s.duplicate_rows),
            snapshot_users: snapshot.map(|s| s.rows.len() as u64),
            snapshot_sspr_registered: count(|r| r.sspr_registered),
            snapshot_sspr_enabled: count(|r| r.sspr_enabled),
            snapshot_sspr_capable: count(|r| r.sspr_capable),
        },
        rows: rows.into_values().collect(),
        per_day_method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::registration::{RegistrationEvent, RegistrationModel};
    use chrono::TimeZone;

    fn model_with(events: Vec<RegistrationEvent>) -> Model {
        let mut m = Model::empty(chrono_tz::Asia::Tokyo);
        m.registration = RegistrationModel {
            events,
            ..RegistrationModel::default()
        };
        m
    }

    #[test]
    fn the_same_method_twice_in_one_day_is_one_repeat() {
        let t = |h: u32| {
            Utc.with_ymd_and_hms(2026, 10, 19, h, 0, 0)
                .single()
                .expect("t")
        };
        let ev = |h: u32, user: &str, method: &str| RegistrationEvent {
            time: t(h),
            user: Some(user.into()),
            method: method.into(),
        };
        let model = model_with(vec![
            ev(1, "tomoko@x.jp", "Microsoft Authenticator app"),
            ev(1, "tomoko@x.jp", "all required"),
            ev(7, "tomoko@x.jp", "Microsoft Authenticator app"),
            ev(2, "kenta@x.jp", "Mobile phone"),
        ]);
        let r = compute(&model);
        assert_eq!(
            r.summary.events, None,
            "no audit log, no usage records: unknown"
        );
        let mut model = model;
        model.registration.has_usage_input = true;
        let r = compute(&model);
        assert_eq!(r.summary.events, Some(4));
        assert_eq!(r.summary.users, Some(2));
        assert_eq!(r.summary.users_with_multiple_events, Some(1));
        assert_eq!(r.summary.repeat_events, Some(1));
        assert_eq!(r.summary.snapshot_duplicate_rows, None);
        let tomoko = r
            .rows
            .iter()
            .find(|r| r.user == "tomoko@x.jp")
            .expect("row");
        assert_eq!(
            (tomoko.events, tomoko.methods.len(), tomoko.repeat_events),
            (3, 2, 1)
        );
        let day = NaiveDate::from_ymd_opt(2026, 10, 19).expect("d");
        assert_eq!(
            r.per_day_method
                .get(&(day, "Microsoft Authenticator app".to_string())),
            Some(&2)
        );
    }
}
