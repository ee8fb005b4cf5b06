//! Throttling: `Blocked from self-service password reset` records, the users they name, and
//! users whose burst of attempts should have been blocked although no block record was exported.

use crate::config::format_duration;
use crate::model::{Model, Outcome};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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

/// Most flows that start within any `window` span (both ends included) of sorted start times.
pub fn max_in_window(starts: &[DateTime<Utc>], window: Duration) -> usize {
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..starts.len() {
        while starts[hi] - starts[lo] > window {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

/// Computes the throttling summary.
pub fn compute(model: &Model, threshold: usize, window: Duration) -> ThrottlingSummary {
    let mut block_events = 0u64;
    let mut blocked_users = BTreeSet::new();
    let mut starts: BTreeMap<&str, Vec<DateTime<Utc>>> = BTreeMap::new();
    for f in &model.flows {
        block_events += f.block_records as u64;
        let Some(user) = f.user.as_deref() else {
            continue;
        };
        // A flow that ends blocked ("… blocked for 24 hours") is as much a block as the
        // Blocked record itself, which the export may lack.
        if f.block_records > 0 || f.outcome == Outcome::Blocked {
            blocked_users.insert(user);
        }
        starts.entry(user).or_default().push(f.started_at);
    }
    let mut inferred = 0;
    for (user, times) in starts.iter_mut() {
        times.sort();
        if !blocked_users.contains(user) && max_in_window(times, window) >= threshold {
            inferred += 1;
        }
    }
    ThrottlingSummary {
        block_events,
        throttled_users: blocked_users.len() as u64,
        inferred_throttled_users: inferred as u64,
        threshold,
        window: format_duration(window),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn window_counts_both_ends() {
        let t = |m: i64| {
            Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0)
                .single()
                .expect("t")
                + Duration::minutes(m)
        };
        let starts = [t(0), t(15), t(30), t(45), t(60), t(200)];
        assert_eq!(max_in_window(&starts, Duration::minutes(60)), 5);
        assert_eq!(max_in_window(&starts, Duration::minutes(59)), 4);
        assert_eq!(max_in_window(&[], Duration::minutes(60)), 0);
    }
}
