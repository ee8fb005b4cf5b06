//! Registration state: snapshot rows (portal "User registration details", Graph
//! `userRegistrationDetails`, the older `credentialUserRegistrationDetails`) and per-event usage
//! records (`userCredentialUsageDetails` / `userEventsSummary`), normalized.

use crate::model::audit::Origin;
use chrono::{DateTime, Utc};

/// One user's row of a registration snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRow {
    /// User key (lower-cased UPN).
    pub user: String,
    /// Display name, when the export has one.
    pub display_name: Option<String>,
    /// Registered enough methods for SSPR (`isSsprRegistered`, `SSPR Registered`, `isRegistered`).
    pub sspr_registered: Option<bool>,
    /// Allowed to use SSPR by policy (`isSsprEnabled`, `SSPR Enabled`, `isEnabled`).
    pub sspr_enabled: Option<bool>,
    /// Registered and allowed (`isSsprCapable`, `SSPR Capable`, `isCapable`).
    pub sspr_capable: Option<bool>,
    /// Registered methods, canonical names, sorted.
    pub methods: Vec<String>,
    /// When the report service last refreshed the row (not when the user registered).
    pub updated_at: Option<DateTime<Utc>>,
    /// Where it came from.
    pub origin: Origin,
}

/// What a usage record is about (`feature`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UsageFeature {
    /// A method registration.
    Registration,
    /// A password reset attempt.
    Reset,
}

/// One record of `userCredentialUsageDetails` / `userEventsSummary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEvent {
    /// User key.
    pub user: String,
    /// Registration or reset.
    pub feature: UsageFeature,
    /// `isSuccess`.
    pub success: bool,
    /// Canonical method name.
    pub method: String,
    /// `eventDateTime`.
    pub time: DateTime<Utc>,
    /// Where it came from.
    pub origin: Origin,
}

impl UsageEvent {
    /// Identity for duplicates: the deprecated API and its successor return the same events.
    pub fn content_key(&self) -> (String, UsageFeature, bool, String, i64) {
        (
            self.user.clone(),
            self.feature,
            self.success,
            self.method.clone(),
            self.time.timestamp(),
        )
    }
}

/// A registration event of either source, as the registration metrics count it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RegistrationEvent {
    /// Event time.
    pub time: DateTime<Utc>,
    /// User key; `None` when the audit record names no user.
    pub user: Option<String>,
    /// Canonical method name (or `all required`).
    pub method: String,
}

/// Parses the yes/no values of registration and licence exports: booleans in any case,
/// `Registered`/`Not Registered`, `Capable`/`Not Capable`, `Enabled`/`Not Enabled`, `Yes`/`No`,
/// `1`/`0`. Empty means unknown; anything else is `Err`.
pub fn parse_flag(text: &str) -> Result<Option<bool>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_lowercase();
    let compact: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    match compact.as_str() {
        "true" | "yes" | "1" | "registered" | "capable" | "enabled" | "はい" | "登録済み" => {
            Ok(Some(true))
        }
        "false" | "no" | "0" | "notregistered" | "notcapable" | "notenabled" | "disabled"
        | "いいえ" | "未登録" => Ok(Some(false)),
        _ => {
            // A 50 MB cell must not end up whole in rejects.csv.
            let shown: String = t.chars().take(40).collect();
            let more = if t.chars().count() > 40 { "…" } else { "" };
            Err(format!("'{shown}{more}' is not a yes/no value"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_every_spelling() {
        assert_eq!(parse_flag("Registered"), Ok(Some(true)));
        assert_eq!(parse_flag("Not Registered"), Ok(Some(false)));
        assert_eq!(parse_flag("Not Capable"), Ok(Some(false)));
        assert_eq!(parse_flag("Capable"), Ok(Some(true)));
        assert_eq!(parse_flag("TRUE"), Ok(Some(true)));
        assert_eq!(parse_flag("False"), Ok(Some(false)));
        assert_eq!(parse_flag("Not Enabled"), Ok(Some(false)));
        assert_eq!(parse_flag(""), Ok(None));
        assert!(parse_flag("maybe").is_err());
    }
}

/// How close in time a usage record and an audit event of the same user and method must be to
/// be one registration seen twice (the two sources round differently).
pub const SAME_EVENT_TOLERANCE_SECONDS: i64 = 120;

/// The registration side of the model.
#[derive(Debug, Default)]
pub struct RegistrationModel {
    /// Registration events in the period, from the audit log and usage records, in time order.
    pub events: Vec<RegistrationEvent>,
    /// The newest snapshot row of each user; `None` when no snapshot was given.
    pub snapshot: Option<Snapshot>,
    /// Whether usage records (`userCredentialUsageDetails` / `userEventsSummary`) were read.
    pub has_usage_input: bool,
}

/// Registration snapshot rows, one per user.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The newest row of each user (shared: the registration metrics keep it by user too).
    pub rows: std::collections::BTreeMap<String, std::sync::Arc<SnapshotRow>>,
    /// How many rows each user had (more than one: a duplicate).
    pub rows_per_user: std::collections::BTreeMap<String, u64>,
    /// Surplus rows: a user in three rows adds 2.
    pub duplicate_rows: u64,
}

/// What became of each input record: `true` = used, `false` = out of scope, `None` = duplicate.
pub type Verdicts = Vec<Option<bool>>;

/// Keeps the newest row of each user by one total order, so that the winner does not depend on
/// the order rows are met in: a row with a refresh time beats a row without one (which says
/// nothing about its age); between two dated rows the later time wins; otherwise the row read
/// last (files are read in name order, so `…_2026-11-01.csv` beats `…_2026-10-01.csv`).
/// Returns the snapshot and a verdict per row.
pub fn newest_rows(rows: Vec<SnapshotRow>) -> (Snapshot, Verdicts) {
    use std::collections::BTreeMap;
    let rank = |i: usize| (rows[i].updated_at.is_some(), rows[i].updated_at, i);
    // Each user's newest row and number of rows, looked up once per row: hashed, then put in
    // order once per user (three ordered maps with a key cloned per row took 0.12 s of the
    // 50,000-person tenant's model).
    let mut users: crate::model::FastMap<&str, (usize, u64)> = Default::default();
    for (i, r) in rows.iter().enumerate() {
        let (best, count) = users.entry(r.user.as_str()).or_insert((i, 0));
        *count += 1;
        if rank(i) > rank(*best) {
            *best = i;
        }
    }
    let duplicate_rows = (rows.len() - users.len()) as u64;
    let mut winner = vec![false; rows.len()];
    let mut counts = Vec::with_capacity(users.len());
    for (user, (best, count)) in users {
        winner[best] = true;
        counts.push((user.to_string(), count));
    }
    // Collected first: the map sorts the list once and builds itself in bulk, not key by key.
    let rows_per_user: BTreeMap<String, u64> = counts.into_iter().collect();
    let verdicts = winner.iter().map(|&w| w.then_some(true)).collect();
    let kept = rows
        .into_iter()
        .zip(&winner)
        .filter(|(_, w)| **w)
        .map(|(r, _)| (r.user.clone(), std::sync::Arc::new(r)))
        .collect();
    (
        Snapshot {
            rows: kept,
            rows_per_user,
            duplicate_rows,
        },
        verdicts,
    )
}

/// Merges usage records into the audit log's registration events. A successful registration
/// record in the period is an event unless it repeats another usage record or an audit event
/// of the same user and method within [`SAME_EVENT_TOLERANCE_SECONDS`]; failures, resets and
/// records outside the period are out of scope. Returns the added events and a verdict per record.
pub fn merge_usage(
    audit_events: &[RegistrationEvent],
    usage: &[UsageEvent],
    in_period: impl Fn(DateTime<Utc>) -> bool,
) -> (Vec<RegistrationEvent>, Verdicts) {
    use std::collections::{BTreeMap, HashSet};
    let mut audit_times: BTreeMap<(String, String), Vec<(i64, bool)>> = BTreeMap::new();
    for e in audit_events {
        if let Some(u) = &e.user {
            audit_times
                .entry((u.clone(), e.method.clone()))
                .or_default()
                .push((e.time.timestamp(), false));
        }
    }
    let mut seen = HashSet::new();
    let mut added = Vec::new();
    let mut verdicts = Vec::with_capacity(usage.len());
    for u in usage {
        if !seen.insert(u.content_key()) {
            verdicts.push(None);
            continue;
        }
        if u.feature != UsageFeature::Registration || !u.success || !in_period(u.time) {
            verdicts.push(Some(false));
            continue;
        }
        let t = u.time.timestamp();
        let twin = audit_times
            .get_mut(&(u.user.clone(), u.method.clone()))
            .and_then(|times| {
                times
                    .iter_mut()
                    .filter(|(at, taken)| !taken && (at - t).abs() <= SAME_EVENT_TOLERANCE_SECONDS)
                    .min_by_key(|(at, _)| (at - t).abs())
            });
        if let Some(slot) = twin {
            slot.1 = true;
            verdicts.push(None);
            continue;
        }
        verdicts.push(Some(true));
        added.push(RegistrationEvent {
            time: u.time,
            user: Some(u.user.clone()),
            method: u.method.clone(),
        });
    }
    (added, verdicts)
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use chrono::TimeZone;

    fn origin(file: u32) -> Origin {
        Origin {
            file,
            location: Default::default(),
        }
    }

    fn row(user: &str, day: Option<u32>, file: u32) -> SnapshotRow {
        SnapshotRow {
            user: user.into(),
            display_name: None,
            sspr_registered: Some(day.is_some()),
            sspr_enabled: Some(true),
            sspr_capable: None,
            methods: vec![],
            updated_at: day.map(|d| {
                Utc.with_ymd_and_hms(2026, 10, d, 0, 0, 0)
                    .single()
                    .expect("t")
            }),
            origin: origin(file),
        }
    }

    /// [`newest_rows`] as it was, with ordered maps: the reference of its test.
    fn newest_rows_reference(rows: Vec<SnapshotRow>) -> (Snapshot, Verdicts) {
        let mut best = std::collections::BTreeMap::new();
        let mut per_user: std::collections::BTreeMap<String, u64> = Default::default();
        let rank = |i: usize| (rows[i].updated_at.is_some(), rows[i].updated_at, i);
        for (i, r) in rows.iter().enumerate() {
            *per_user.entry(r.user.clone()).or_default() += 1;
            match best.get(&r.user) {
                Some(&b) if rank(b) > rank(i) => {}
                _ => {
                    best.insert(r.user.clone(), i);
                }
            }
        }
        let winners: std::collections::BTreeSet<usize> = best.values().copied().collect();
        let verdicts = (0..rows.len())
            .map(|i| winners.contains(&i).then_some(true))
            .collect();
        let duplicate_rows = (rows.len() - winners.len()) as u64;
        let mut kept = std::collections::BTreeMap::new();
        for (i, r) in rows.into_iter().enumerate() {
            if winners.contains(&i) {
                kept.insert(r.user.clone(), std::sync::Arc::new(r));
            }
        }
        let snapshot = Snapshot {
            rows: kept,
            rows_per_user: per_user,
            duplicate_rows,
        };
        (snapshot, verdicts)
    }

    /// Random rows of a few users over a few files, dated, undated and equal in time: the
    /// hashed pass keeps the rows, counts and verdicts the ordered maps kept.
    #[test]
    fn the_newest_rows_are_those_the_ordered_maps_kept() {
        let mut rng = crate::synth::Rng::new(43);
        let users = ["a@x.jp", "b@x.jp", "c@x.jp", "d@x.jp", "e@x.jp", "A@x.jp"];
        for case in 0..2_000 {
            let rows: Vec<SnapshotRow> = (0..rng.below(12))
                .map(|_| {
                    let day = rng.chance(0.7).then(|| 1 + rng.below(4) as u32);
                    let user = users[rng.below(users.len() as u64) as usize];
                    row(user, day, rng.below(3) as u32)
                })
                .collect();
            let (got, got_verdicts) = newest_rows(rows.clone());
            let (want, want_verdicts) = newest_rows_reference(rows);
            assert_eq!(got_verdicts, want_verdicts, "case {case}");
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "case {case}");
        }
    }

    #[test]
    fn a_user_in_two_snapshot_files_keeps_the_newest_row() {
        let rows = vec![
            row("a@x.jp", Some(31), 0), // newest, although read first
            row("b@x.jp", None, 0),
            row("a@x.jp", Some(15), 1),
            row("b@x.jp", None, 1), // equal time: the later file wins
            row("a@x.jp", Some(1), 1),
        ];
        let (snap, verdicts) = newest_rows(rows);
        assert_eq!(
            snap.duplicate_rows, 3,
            "a in three rows adds 2, b in two adds 1"
        );
        assert_eq!(verdicts, [Some(true), None, None, Some(true), None]);
        assert_eq!(
            snap.rows["a@x.jp"]
                .updated_at
                .map(|t| t.format("%d").to_string())
                .as_deref(),
            Some("31")
        );
        assert_eq!(snap.rows["b@x.jp"].origin.file, 1);
        assert_eq!(snap.rows_per_user["a@x.jp"], 3);
        // A dated row beats an undated one in either order, and the order of three rows
        // (dated, undated, older dated) does not hand the win to the oldest.
        for files in [[0, 1], [1, 0]] {
            let (snap, _) = newest_rows(vec![
                row("c@x.jp", Some(15), files[0]),
                row("c@x.jp", None, files[1]),
            ]);
            assert_eq!(
                snap.rows["c@x.jp"]
                    .updated_at
                    .map(|t| t.format("%d").to_string())
                    .as_deref(),
                Some("15")
            );
        }
        let (snap, _) = newest_rows(vec![
            row("d@x.jp", Some(20), 0),
            row("d@x.jp", None, 1),
            row("d@x.jp", Some(10), 2),
        ]);
        assert_eq!(snap.rows["d@x.jp"].origin.file, 0);
    }

    #[test]
    fn usage_records_that_repeat_audit_events_are_duplicates() {
        let t = |m: u32| {
            Utc.with_ymd_and_hms(2026, 10, 2, 4, m, 0)
                .single()
                .expect("t")
        };
        let audit = vec![RegistrationEvent {
            time: t(10),
            user: Some("a@x.jp".into()),
            method: "Mobile phone".into(),
        }];
        let usage = |m: u32, method: &str, feature: UsageFeature, success: bool| UsageEvent {
            user: "a@x.jp".into(),
            feature,
            success,
            method: method.into(),
            time: t(m),
            origin: origin(0),
        };
        let records = vec![
            usage(11, "Mobile phone", UsageFeature::Registration, true), // the audit event again
            usage(11, "Mobile phone", UsageFeature::Registration, true), // the same record twice
            usage(30, "Mobile phone", UsageFeature::Registration, true), // a second registration
            usage(31, "Email", UsageFeature::Registration, false),
            usage(32, "Email", UsageFeature::Reset, true),
        ];
        let (added, verdicts) = merge_usage(&audit, &records, |_| true);
        assert_eq!(verdicts, [None, None, Some(true), Some(false), Some(false)]);
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].time, t(30));
    }
}
