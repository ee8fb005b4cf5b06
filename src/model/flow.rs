//! A flow: every audit record of one SSPR attempt (one CorrelationId), with its kind, outcome
//! and failure reason exactly as design §4 defines them.

use crate::catalog::{self, ReasonCategory};
use crate::model::audit::{AuditRecord, activity, is_sspr_service, user_key};
use chrono::{DateTime, Utc};

/// What the user (or admin) was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlowKind {
    /// Self-service reset (also a reset journey that never reached its last step).
    Reset,
    /// Self-service password change.
    Change,
    /// Reset by an administrator.
    AdminReset,
    /// Self-service account unlock.
    Unlock,
}

impl FlowKind {
    /// Every kind, in report order.
    pub const ALL: [FlowKind; 4] = [
        FlowKind::Reset,
        FlowKind::Change,
        FlowKind::AdminReset,
        FlowKind::Unlock,
    ];

    /// Column value.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowKind::Reset => "reset",
            FlowKind::Change => "change",
            FlowKind::AdminReset => "admin_reset",
            FlowKind::Unlock => "unlock",
        }
    }

    /// The activity that ends a flow of this kind.
    pub fn final_activity(self) -> &'static str {
        match self {
            FlowKind::Reset => activity::RESET,
            FlowKind::Change => activity::CHANGE,
            FlowKind::AdminReset => activity::ADMIN_RESET,
            FlowKind::Unlock => activity::UNLOCK,
        }
    }
}

/// How the flow ended; exactly one per flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The password was reset/changed or the account unlocked.
    Succeeded,
    /// A step or the final activity failed.
    Failed,
    /// The user was throttled.
    Blocked,
    /// The user stopped before any result.
    Abandoned,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 4] = [
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::Blocked,
        Outcome::Abandoned,
    ];

    /// Column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Blocked => "blocked",
            Outcome::Abandoned => "abandoned",
        }
    }
}

/// Step text that says the user reached the password write (the writeback stage).
pub const SUBMITTED_NEW_PASSWORD: &str = "User submitted a new password";
/// Step text of a completed reset.
pub const SUCCESSFULLY_RESET: &str = "User successfully reset password";

/// One rebuilt SSPR attempt.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The shared CorrelationId (lower case).
    pub correlation_id: String,
    /// User key (lower-cased UPN); `None` when no record names a user.
    pub user: Option<String>,
    /// Kind.
    pub kind: FlowKind,
    /// Outcome.
    pub outcome: Outcome,
    /// Time of the first record.
    pub started_at: DateTime<Utc>,
    /// Time of the last record.
    pub ended_at: DateTime<Utc>,
    /// Trimmed reason of the last failure (or block) record, for failed and blocked flows.
    pub failure_reason: Option<String>,
    /// Catalog category of the failure reason (`other` when the catalog does not know it).
    pub reason_category: Option<ReasonCategory>,
    /// Catalog code of the failure reason (`SSPR_0012`, `FuzzyPolicyViolationInvalidPassword`, …).
    pub reason_code: Option<&'static str>,
    /// Indices of the flow's records in the model's record list, in time order.
    pub records: Vec<usize>,
    /// Text of the last progress step (how far the user got).
    pub last_step: Option<String>,
    /// The flow reached the writeback stage (design §4 Correlation: a candidate).
    pub reached_writeback: bool,
    /// Time of the first writeback-stage record: what the on-prem start should follow.
    pub writeback_at: Option<DateTime<Utc>>,
    /// An admin reset the audit log marks as cloud-only (`OnPremisesAgent` = `None`).
    pub cloud_only: bool,
    /// `Blocked from self-service password reset` records in the flow.
    pub block_records: usize,
}

/// Whether a record blocks the flow: a `Blocked…` record, or an SSPR record whose reason says
/// the user is blocked (throttled) for 24 hours.
pub fn is_block_record(r: &AuditRecord) -> bool {
    blocks_with(r, reason_throttles)
}

/// [`is_block_record`] with the reason's verdict from `throttles`.
fn blocks_with(r: &AuditRecord, throttles: impl FnOnce(&std::sync::Arc<str>) -> bool) -> bool {
    r.is_activity(activity::BLOCKED)
        || (is_sspr_service(&r.service) && !r.reason.is_empty() && throttles(&r.reason))
}

fn reason_throttles(reason: &std::sync::Arc<str>) -> bool {
    catalog::category_of(reason) == ReasonCategory::Throttled
}

/// [`is_block_record`] with the catalog asked once per reason text instead of once per record.
///
/// Records share their reason (`Arc<str>`, one copy per text and file), a month repeats a few
/// dozen step texts over hundreds of thousands of records, and folding and classifying each
/// record's reason was about 3 % of a 5M run's CPU. The verdicts are keyed by the address of
/// the shared text, and borrow the records they were made from, so those live unchanged as
/// long as the verdicts do; a text not seen then is asked of the catalog, so the answer is
/// always [`is_block_record`]'s.
pub struct BlockReasons<'a> {
    throttled: crate::model::FastMap<usize, bool>,
    records: std::marker::PhantomData<&'a AuditRecord>,
}

impl<'a> BlockReasons<'a> {
    /// The verdicts on the reasons of `records` that could block (SSPR service, a reason).
    pub fn of(records: impl IntoIterator<Item = &'a AuditRecord>) -> Self {
        let mut throttled = crate::model::FastMap::default();
        for r in records {
            if is_sspr_service(&r.service) && !r.reason.is_empty() {
                throttled
                    .entry(text_address(&r.reason))
                    .or_insert_with(|| reason_throttles(&r.reason));
            }
        }
        BlockReasons {
            throttled,
            records: std::marker::PhantomData,
        }
    }

    /// Whether a record blocks the flow: as [`is_block_record`].
    pub fn is_block_record(&self, r: &AuditRecord) -> bool {
        blocks_with(r, |reason| {
            self.throttled
                .get(&text_address(reason))
                .copied()
                .unwrap_or_else(|| reason_throttles(reason))
        })
    }
}

fn text_address(text: &std::sync::Arc<str>) -> usize {
    std::sync::Arc::as_ptr(text).cast::<u8>() as usize
}

/// Builds the flow of one CorrelationId from its records (`records[i]` is model record
/// `indices[i]`), already sorted in time order; `blocks` holds the verdicts on their reasons.
pub fn assemble(
    correlation_id: &str,
    records: &[&AuditRecord],
    indices: &[usize],
    blocks: &BlockReasons<'_>,
) -> Option<Flow> {
    let first = records.first()?;
    let last = records.last()?;
    let has = |name: &str| records.iter().any(|r| r.is_activity(name));
    let kind = if has(activity::ADMIN_RESET) {
        FlowKind::AdminReset
    } else if has(activity::CHANGE) {
        FlowKind::Change
    } else if has(activity::RESET) {
        FlowKind::Reset
    } else if has(activity::UNLOCK) {
        FlowKind::Unlock
    } else {
        FlowKind::Reset
    };
    let final_activity = kind.final_activity();
    let is_progress = |r: &AuditRecord| r.is_activity(activity::PROGRESS);

    let blocked = records.iter().any(|r| blocks.is_block_record(r));
    let succeeded = records.iter().any(|r| {
        (r.is_activity(final_activity) && r.result == crate::model::AuditResult::Success)
            || (is_progress(r)
                && r.result == crate::model::AuditResult::Success
                && r.reason.eq_ignore_ascii_case(SUCCESSFULLY_RESET))
    });
    let failed = records
        .iter()
        .any(|r| (r.is_activity(final_activity) || is_progress(r)) && r.result.is_failure());
    let outcome = if blocked {
        Outcome::Blocked
    } else if succeeded {
        Outcome::Succeeded
    } else if failed {
        Outcome::Failed
    } else {
        Outcome::Abandoned
    };

    let (failure_reason, reason_category, reason_code) = match outcome {
        Outcome::Blocked | Outcome::Failed => {
            let failing = |r: &&&AuditRecord| blocks.is_block_record(r) || r.result.is_failure();
            let chosen = records
                .iter()
                .filter(|r| is_sspr_service(&r.service))
                .rfind(failing)
                .or_else(|| records.iter().rfind(failing));
            // A Blocked record carries no reason by design: its activity says it all. Any other
            // failure without a reason stays empty (category `other`) rather than invent one.
            let reason = chosen.and_then(|r| {
                if !r.reason.is_empty() {
                    Some(r.reason.to_string())
                } else if r.is_activity(activity::BLOCKED) {
                    Some(r.activity.to_string())
                } else {
                    None
                }
            });
            let entry = reason.as_deref().and_then(catalog::classify_reason);
            let category = entry.map(|e| e.category).unwrap_or(ReasonCategory::Other);
            let code = entry.map(|e| e.code).filter(|c| !c.is_empty());
            (reason, Some(category), code)
        }
        Outcome::Succeeded | Outcome::Abandoned => (None, None, None),
    };

    let user = records
        .iter()
        .find_map(|r| user_key(r.target_upn.as_deref()))
        .or_else(|| {
            records
                .iter()
                .find_map(|r| user_key(r.actor_upn.as_deref()))
        });
    let last_step = records
        .iter()
        .rev()
        .find(|r| is_progress(r) && !r.reason.is_empty())
        .map(|r| r.reason.to_string());
    let writeback_at = records
        .iter()
        .find(|r| {
            r.is_activity(final_activity)
                || (is_progress(r) && r.reason.eq_ignore_ascii_case(SUBMITTED_NEW_PASSWORD))
        })
        .map(|r| r.time);
    let reached_writeback = writeback_at.is_some();
    let cloud_only = kind == FlowKind::AdminReset
        && records.iter().any(|r| {
            r.onprem_agent
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("None"))
        });
    Some(Flow {
        correlation_id: correlation_id.to_string(),
        user,
        kind,
        outcome,
        started_at: first.time,
        ended_at: last.time,
        failure_reason,
        reason_category,
        reason_code,
        records: indices.to_vec(),
        last_step,
        reached_writeback,
        writeback_at,
        cloud_only,
        block_records: records
            .iter()
            .filter(|r| r.is_activity(activity::BLOCKED))
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::audit::{AuditResult, Origin, Relevance, SSPR_SERVICE};
    use chrono::TimeZone;

    fn rec(sec: u32, act: &str, result: AuditResult, reason: &str) -> AuditRecord {
        AuditRecord {
            id: None,
            time: Utc
                .with_ymd_and_hms(2026, 10, 3, 9, 0, sec)
                .single()
                .expect("time"),
            service: SSPR_SERVICE.into(),
            activity: act.into(),
            result,
            reason: reason.into(),
            correlation_id: "c".into(),
            actor_upn: Some("Taro@X.jp".into()),
            target_upn: None,
            ip: None,
            onprem_agent: None,
            relevance: Relevance::Flow,
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    fn flow(recs: &[AuditRecord]) -> Flow {
        let refs: Vec<&AuditRecord> = recs.iter().collect();
        let idx: Vec<usize> = (0..recs.len()).collect();
        assemble("c", &refs, &idx, &BlockReasons::of(refs.iter().copied())).expect("flow")
    }

    use AuditResult::{Failure, Success};

    #[test]
    fn successful_reset() {
        let f = flow(&[
            rec(
                0,
                activity::PROGRESS,
                Success,
                "User submitted their user ID",
            ),
            rec(5, activity::PROGRESS, Success, SUBMITTED_NEW_PASSWORD),
            rec(9, activity::RESET, Success, "Successfully completed reset."),
            rec(9, activity::PROGRESS, Success, SUCCESSFULLY_RESET),
        ]);
        assert_eq!((f.kind, f.outcome), (FlowKind::Reset, Outcome::Succeeded));
        assert_eq!(f.user.as_deref(), Some("taro@x.jp"));
        assert!(f.reached_writeback);
        assert_eq!(f.failure_reason, None);
    }

    #[test]
    fn failed_change_with_banned_password() {
        let f = flow(&[rec(
            0,
            activity::CHANGE,
            Failure,
            "FuzzyPolicyViolationInvalidPassword",
        )]);
        assert_eq!((f.kind, f.outcome), (FlowKind::Change, Outcome::Failed));
        assert_eq!(f.reason_category, Some(ReasonCategory::BannedPassword));
    }

    #[test]
    fn blocked_wins_and_unknown_reason_is_other() {
        let f = flow(&[
            rec(
                0,
                activity::PROGRESS,
                Success,
                "User submitted their user ID",
            ),
            rec(
                3,
                activity::PROGRESS,
                Failure,
                "User entered too many invalid SMS verification codes and is blocked for 24 hours",
            ),
        ]);
        assert_eq!(f.outcome, Outcome::Blocked);
        assert_eq!(f.reason_category, Some(ReasonCategory::Throttled));
        let g = flow(&[rec(0, activity::PROGRESS, Failure, "Something new happened  ").clone()]);
        assert_eq!(g.outcome, Outcome::Failed);
        assert_eq!(g.reason_category, Some(ReasonCategory::Other));
    }

    #[test]
    fn abandoned_and_admin_reset_cloud_only() {
        let f = flow(&[rec(
            0,
            activity::PROGRESS,
            Success,
            "User submitted their user ID",
        )]);
        assert_eq!((f.kind, f.outcome), (FlowKind::Reset, Outcome::Abandoned));
        assert!(!f.reached_writeback);
        let mut admin = rec(
            0,
            activity::ADMIN_RESET,
            Success,
            "Successfully completed reset.",
        );
        admin.onprem_agent = Some("None".into());
        admin.target_upn = Some("hanako@x.jp".into());
        let g = flow(&[admin]);
        assert_eq!(
            (g.kind, g.outcome),
            (FlowKind::AdminReset, Outcome::Succeeded)
        );
        assert!(g.cloud_only);
        assert_eq!(
            g.user.as_deref(),
            Some("hanako@x.jp"),
            "target before actor"
        );
    }

    #[test]
    fn block_verdicts_made_once_per_text_answer_as_the_catalog() {
        let throttled =
            "User entered too many invalid SMS verification codes and is blocked for 24 hours";
        let texts = [
            throttled,
            "  user entered too many invalid sms verification codes and is blocked for 24 hours.",
            "User submitted their user ID",
            "Blocked",
            "",
            "Something new happened",
        ];
        let mut records = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            let shared: std::sync::Arc<str> = (*text).into();
            for act in [activity::PROGRESS, activity::BLOCKED] {
                let mut r = rec(n as u32, act, Failure, "");
                r.reason = shared.clone();
                records.push(r.clone());
                // Another service: only SSPR records block by their reason.
                r.service = "Core Directory".into();
                records.push(r);
            }
        }
        let blocks = BlockReasons::of(&records);
        // The verdicts were made from these records' texts, one per text, not per record.
        assert_eq!(blocks.throttled.len(), texts.len() - 1);
        for r in &records {
            assert_eq!(blocks.is_block_record(r), is_block_record(r), "{r:?}");
        }
        // Of the SSPR steps, the two spellings of the throttling text and the word `Blocked`
        // (the catalog's name of the category) block, nothing else.
        let steps =
            |r: &&AuditRecord| r.is_activity(activity::PROGRESS) && is_sspr_service(&r.service);
        assert_eq!(
            records
                .iter()
                .filter(steps)
                .filter(|r| blocks.is_block_record(r))
                .count(),
            3
        );
        // Texts never seen (copies of the same words, a new word) are asked of the catalog.
        let unseen = BlockReasons::of(&records[..0]);
        for text in [throttled, "Something new happened"] {
            let r = rec(0, activity::PROGRESS, Failure, text);
            assert_eq!(blocks.is_block_record(&r), is_block_record(&r));
            assert_eq!(unseen.is_block_record(&r), is_block_record(&r));
        }
        assert!(blocks.is_block_record(&rec(0, activity::PROGRESS, Failure, throttled)));
    }
}
