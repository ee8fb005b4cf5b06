//! Licence gaps that the audit log alone shows: users whose SSPR attempt failed for lack of a
//! licence. Licence lists (issue "Registrations, licences and throttling") add the rest.

use crate::catalog::ReasonCategory;
use crate::model::{Model, Outcome};
use serde::Serialize;
use std::collections::BTreeSet;

/// The `license_gaps` section of summary.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenseGapSummary {
    /// Distinct users with a gap.
    pub users: u64,
}

/// Users with a failed flow of category `license`.
pub fn unlicensed_failures(model: &Model) -> BTreeSet<&str> {
    model
        .flows
        .iter()
        .filter(|f| {
            f.outcome == Outcome::Failed && f.reason_category == Some(ReasonCategory::License)
        })
        .filter_map(|f| f.user.as_deref())
        .collect()
}

/// Computes the summary.
pub fn compute(model: &Model) -> LicenseGapSummary {
    LicenseGapSummary {
        users: unlicensed_failures(model).len() as u64,
    }
}
