//! Registrations counted from the audit log. Each registered method is its own event, which is
//! why users "show up several times"; `repeat_events` counts the (user, method) pairs seen again.

use crate::model::Model;
use crate::model::audit::user_key;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The `registrations` section of summary.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrationSummary {
    /// Successful registration events in the period.
    pub events: u64,
    /// Distinct users with one.
    pub users: u64,
    /// Users with more than one event.
    pub users_with_multiple_events: u64,
    /// Events whose (user, method) pair was already seen earlier in the period.
    pub repeat_events: u64,
    /// Surplus snapshot rows; `null` without a registration snapshot input.
    pub snapshot_duplicate_rows: Option<u64>,
}

/// The method a registration event names: `User registered Mobile Phone SMS.` → `Mobile Phone SMS`;
/// the "all required" activities count as method `all required`.
pub fn method_of(activity: &str, reason: &str) -> String {
    let act = activity.trim().to_lowercase();
    if act.contains("all required") || act.contains("self-service password reset") {
        return "all required".into();
    }
    let r = reason.trim().trim_end_matches('.').trim();
    for prefix in ["User registered ", "Admin registered "] {
        if let Some(rest) = r.strip_prefix(prefix) {
            let rest = rest.strip_suffix(" method for user").unwrap_or(rest);
            return rest.trim().to_string();
        }
    }
    if r.is_empty() {
        "unknown".into()
    } else {
        r.to_string()
    }
}

/// Computes the summary.
pub fn compute(model: &Model) -> RegistrationSummary {
    let mut per_user: BTreeMap<String, u64> = BTreeMap::new();
    let mut pairs = HashSet::new();
    let mut events = 0;
    let mut repeats = 0;
    for &i in &model.registrations {
        let r = &model.records[i];
        events += 1;
        let Some(user) =
            user_key(r.target_upn.as_deref()).or_else(|| user_key(r.actor_upn.as_deref()))
        else {
            continue; // an event all the same; there is no user to attribute it to
        };
        *per_user.entry(user.clone()).or_default() += 1;
        if !pairs.insert((user, method_of(&r.activity, &r.reason).to_lowercase())) {
            repeats += 1;
        }
    }
    RegistrationSummary {
        events,
        users: per_user.len() as u64,
        users_with_multiple_events: per_user.values().filter(|&&n| n > 1).count() as u64,
        repeat_events: repeats,
        snapshot_duplicate_rows: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_from_reasons() {
        assert_eq!(
            method_of(
                "User registered security info",
                "User registered Mobile Phone SMS."
            ),
            "Mobile Phone SMS"
        );
        assert_eq!(
            method_of(
                "Admin registered security info",
                "Admin registered temporary access pass method for user"
            ),
            "temporary access pass"
        );
        assert_eq!(
            method_of(
                "User registered all required security info",
                "User registered all required security info."
            ),
            "all required"
        );
        assert_eq!(
            method_of("User registered for self-service password reset", ""),
            "all required"
        );
    }
}
