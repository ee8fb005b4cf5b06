//! Joins each cloud flow to its on-premises writeback operation (design §4 "Correlation"):
//! candidates are flows that reached the writeback stage; a candidate matches the operation of
//! the same user and kind whose time lies within the window around the flow, or whose
//! TrackingId equals the flow's CorrelationId; one-to-one, nearest first.
//!
//! Layer: above `model` (and `time`, `catalog`); never imports `ingest`, `metrics`, `render`,
//! `config` or `commands`.

use crate::catalog::{OpKind, ReasonCategory};
use crate::model::onprem::{OpResult, Operation, ascii_lower};
use crate::model::{FastMap, FastSet, Flow, FlowKind, Model, Outcome};
use chrono::Duration;
use std::borrow::Cow;

/// Where a flow stands against the on-prem logs (`flows.csv` column `onprem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnpremStatus {
    /// Paired with an operation.
    Matched,
    /// A log covers its time, but no operation fits.
    CloudOnly,
    /// No log covers its time (or no log was given).
    NotChecked,
    /// Never reached writeback, or cloud-only by the audit log's own word.
    NotApplicable,
}

impl OnpremStatus {
    /// Column value.
    pub fn as_str(self) -> &'static str {
        match self {
            OnpremStatus::Matched => "matched",
            OnpremStatus::CloudOnly => "cloud_only",
            OnpremStatus::NotChecked => "not_checked",
            OnpremStatus::NotApplicable => "not_applicable",
        }
    }
}

/// Why a flow is `not_applicable`: what the inputs showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotApplicableWhy {
    /// The audit log shows no step past verification (no new password was submitted).
    NoWritebackStage,
    /// An unlock: PasswordResetService logs no operation for it.
    Unlock,
    /// The audit log's own word: `OnPremisesAgent` = `None` on an admin reset.
    CloudOnlyByAudit,
    /// The licence list shows a cloud-only user (`DirSyncEnabled` false, Graph
    /// `onPremisesSyncEnabled` not true): there is no on-prem account to write to.
    CloudOnlyUser,
    /// A cloud check refused the new password before writeback (banned-password policy).
    RefusedInCloud,
}

impl NotApplicableWhy {
    /// Key in summary.json's `correlation.not_applicable_by`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotApplicableWhy::NoWritebackStage => "no_writeback_stage",
            NotApplicableWhy::Unlock => "unlock",
            NotApplicableWhy::CloudOnlyByAudit => "cloud_only_by_audit",
            NotApplicableWhy::CloudOnlyUser => "cloud_only_user",
            NotApplicableWhy::RefusedInCloud => "refused_in_cloud",
        }
    }

    /// Every reason, in report order.
    pub const ALL: [NotApplicableWhy; 5] = [
        NotApplicableWhy::NoWritebackStage,
        NotApplicableWhy::Unlock,
        NotApplicableWhy::CloudOnlyByAudit,
        NotApplicableWhy::CloudOnlyUser,
        NotApplicableWhy::RefusedInCloud,
    ];
}

/// The result of the join.
#[derive(Debug, Default)]
pub struct Correlation {
    /// Per flow (same order as `model.flows`): status and the matched operation's index in
    /// [`crate::model::OnpremModel::op`]'s index space.
    pub per_flow: Vec<(OnpremStatus, Option<usize>)>,
    /// Per operation of the period (`onprem.ops`): the matched flow's index, `usize::MAX` for
    /// a flow just outside the period.
    pub per_op: Vec<Option<usize>>,
    /// Matched pairs.
    pub matched: u64,
    /// Candidates a log covers with no operation.
    pub cloud_only: u64,
    /// Operations with no flow, at a time the audit log covers.
    pub onprem_only: u64,
    /// Operations with no flow at a time no audit record covers: nothing to say either way.
    pub onprem_not_checked: u64,
    /// Whether the on-prem log has any record in the period (else `onprem_only` is unknown).
    pub log_in_period: bool,
    /// Candidates no log covers.
    pub not_checked: u64,
    /// Flows that never reached writeback, by what showed it.
    pub not_applicable: std::collections::BTreeMap<NotApplicableWhy, u64>,
    /// Matched pairs whose outcomes differ: one side set the password, the other did not.
    pub disagreements: u64,
    /// Median seconds from the flow's writeback stage to the on-prem operation.
    pub median_lag_seconds: Option<f64>,
}

fn op_kind(kind: FlowKind) -> Option<OpKind> {
    match kind {
        FlowKind::Reset => Some(OpKind::Reset),
        FlowKind::Change => Some(OpKind::Change),
        FlowKind::AdminReset => Some(OpKind::AdminReset),
        // No PasswordResetService operation exists for an unlock.
        FlowKind::Unlock => None,
    }
}

/// Why a flow is no correlation candidate, or `None` when it is one. `cloud_only_user` says
/// whether the licence list holds the user as not synced.
fn not_applicable(f: &Flow, cloud_only_user: impl Fn(&str) -> bool) -> Option<NotApplicableWhy> {
    if op_kind(f.kind).is_none() {
        return Some(NotApplicableWhy::Unlock);
    }
    if f.cloud_only {
        return Some(NotApplicableWhy::CloudOnlyByAudit);
    }
    if !f.reached_writeback || f.writeback_at.is_none() {
        return Some(NotApplicableWhy::NoWritebackStage);
    }
    if f.reason_category == Some(ReasonCategory::BannedPassword)
        && matches!(f.outcome, Outcome::Failed | Outcome::Blocked)
    {
        return Some(NotApplicableWhy::RefusedInCloud);
    }
    if f.user.as_deref().is_some_and(cloud_only_user) {
        return Some(NotApplicableWhy::CloudOnlyUser);
    }
    None
}

/// Whether the licence list holds `user` as cloud-only: a Graph user with
/// `onPremisesSyncEnabled` null. A row with no sync column at all says nothing (`synced` is
/// then `None` for every row of that file).
fn listed_cloud_only(model: &Model, user: &str) -> bool {
    let row = model.licenses.as_ref().and_then(|l| l.rows.get(user));
    row.is_some_and(|r| r.synced == Some(false))
}

/// Whether a flow is a correlation candidate.
pub fn is_candidate(model: &Model, flow: usize) -> bool {
    model
        .flows
        .get(flow)
        .is_some_and(|f| not_applicable(f, |u| listed_cloud_only(model, u)).is_none())
}

/// Why each flow is no candidate ([`not_applicable`]), the licence list read once into a set.
fn applicability(model: &Model, flows: &[&Flow]) -> Vec<Option<NotApplicableWhy>> {
    let cloud_only: FastSet<&str> = model
        .licenses
        .iter()
        .flat_map(|l| &l.rows)
        .filter(|(_, r)| r.synced == Some(false))
        .map(|(u, _)| u.as_str())
        .collect();
    flows
        .iter()
        .map(|f| not_applicable(f, |u| cloud_only.contains(u)))
        .collect()
}

/// The operations a flow can match, found by its CorrelationId (as a TrackingId) or its user:
/// a month of a large tenant has tens of thousands of each, too many to pair all.
struct OpIndex<'a> {
    by_tracking: FastMap<Cow<'a, str>, Vec<usize>>,
    by_user: FastMap<&'a str, Vec<usize>>,
}

impl<'a> OpIndex<'a> {
    fn new(ops: &[&'a Operation]) -> Self {
        let mut by_tracking: FastMap<Cow<'a, str>, Vec<usize>> = FastMap::default();
        let mut by_user: FastMap<&str, Vec<usize>> = FastMap::default();
        for (oi, op) in ops.iter().enumerate() {
            if let Some(t) = &op.tracking_id {
                by_tracking
                    .entry(ascii_lower(Cow::Borrowed(t)))
                    .or_default()
                    .push(oi);
            }
            if let Some(u) = &op.user {
                by_user.entry(u.as_str()).or_default().push(oi);
            }
        }
        OpIndex {
            by_tracking,
            by_user,
        }
    }

    fn candidates(&self, f: &Flow, out: &mut Vec<usize>) {
        out.clear();
        let id = ascii_lower(Cow::Borrowed(&f.correlation_id));
        let tracked = self.by_tracking.get(id.as_ref());
        let users = f.user.as_deref().and_then(|u| self.by_user.get(u));
        out.extend(tracked.into_iter().chain(users).flatten());
        out.sort_unstable();
        out.dedup();
    }
}

/// How far a flow lies from an operation it may match; `None` when it may not.
fn distance(f: &Flow, op: &Operation, window: Duration) -> Option<Duration> {
    let kind = op_kind(f.kind)?;
    let anchor = f.writeback_at?;
    if op
        .tracking_id
        .as_ref()
        .is_some_and(|t| t.eq_ignore_ascii_case(&f.correlation_id))
    {
        return Some(Duration::zero());
    }
    let by_user_time = op.kind == kind
        && op.user.is_some()
        && op.user == f.user
        && op.time >= f.started_at - window
        && op.time <= f.ended_at + window;
    by_user_time.then(|| (op.time - anchor).abs())
}

/// Pairs flows and operations one-to-one, nearest first. `flows` and `ops` include those just
/// outside the period, so the pairing at a month's edge is the same in both months.
fn pair(
    flows: &[&Flow],
    why: &[Option<NotApplicableWhy>],
    ops: &[&Operation],
    window: Duration,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let index = OpIndex::new(ops);
    let mut pairs: Vec<(Duration, usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for ((fi, f), why) in flows.iter().enumerate().zip(why) {
        if why.is_some() {
            continue;
        }
        index.candidates(f, &mut candidates);
        for &oi in &candidates {
            if let Some(d) = distance(f, ops[oi], window) {
                pairs.push((d, fi, oi));
            }
        }
    }
    // Nearest first; ties broken by flow then operation order, so the result is deterministic.
    pairs.sort();
    let mut per_flow = vec![None; flows.len()];
    let mut per_op = vec![None; ops.len()];
    for (_, fi, oi) in pairs {
        if per_flow[fi].is_none() && per_op[oi].is_none() {
            per_flow[fi] = Some(oi);
            per_op[oi] = Some(fi);
        }
    }
    (per_flow, per_op)
}

/// Joins flows and operations; `None` when no on-prem log was given.
pub fn correlate(model: &Model, window: Duration) -> Option<Correlation> {
    let onprem = model.onprem.as_ref()?;
    let flows: Vec<&Flow> = model.flows.iter().chain(&model.edge_flows).collect();
    let ops: Vec<&Operation> = onprem.ops.iter().chain(&onprem.edge_ops).collect();
    let why = applicability(model, &flows);
    let (per_flow, per_op) = pair(&flows, &why, &ops, window);
    let mut c = Correlation {
        log_in_period: onprem.records_in_period,
        ..Correlation::default()
    };
    let mut lags = Vec::new();
    for ((fi, f), why) in model.flows.iter().enumerate().zip(&why) {
        let status = if let Some(why) = *why {
            *c.not_applicable.entry(why).or_default() += 1;
            OnpremStatus::NotApplicable
        } else if let Some(oi) = per_flow[fi] {
            let op = ops[oi];
            c.matched += 1;
            // Whole seconds: Event Viewer and PowerShell CSV keep no fractions, and the lag must
            // not depend on which export of the same log was given.
            if let Some(anchor) = f.writeback_at {
                lags.push((op.time.timestamp() - anchor.timestamp()) as f64);
            }
            // The question both sides answer: was the password set? The cloud says yes only
            // for a success; an abandoned flow whose operation succeeded disagrees as much as a
            // failed one. A pending operation has not answered yet.
            let cloud_set = f.outcome == Outcome::Succeeded;
            if op.result != OpResult::Pending && cloud_set != (op.result == OpResult::Succeeded) {
                c.disagreements += 1;
            }
            OnpremStatus::Matched
        } else if f.writeback_at.is_some_and(|t| onprem.covers(t)) {
            c.cloud_only += 1;
            OnpremStatus::CloudOnly
        } else {
            c.not_checked += 1;
            OnpremStatus::NotChecked
        };
        c.per_flow.push((status, per_flow[fi]));
    }
    let period_flows = model.flows.len();
    c.per_op = per_op[..onprem.ops.len()]
        .iter()
        .map(|m| m.map(|fi| if fi < period_flows { fi } else { usize::MAX }))
        .collect();
    for (op, m) in onprem.ops.iter().zip(&c.per_op) {
        if m.is_none() {
            if model.audit_covers(op.time) {
                c.onprem_only += 1;
            } else {
                c.onprem_not_checked += 1;
            }
        }
    }
    c.median_lag_seconds = median(&mut lags);
    Some(c)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    let m = if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    };
    // Whole seconds in, so the median is exact (a whole or a half second): no rounding.
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_790_000_000 + second, 0).expect("in range")
    }

    fn flow(correlation_id: &str, user: &str, second: i64) -> Flow {
        Flow {
            correlation_id: correlation_id.into(),
            user: Some(user.into()),
            kind: FlowKind::Reset,
            outcome: Outcome::Succeeded,
            started_at: at(second),
            ended_at: at(second + 60),
            failure_reason: None,
            reason_category: None,
            reason_code: None,
            records: Vec::new(),
            last_step: None,
            reached_writeback: true,
            writeback_at: Some(at(second + 30)),
            cloud_only: false,
            block_records: 0,
        }
    }

    fn op(tracking_id: &str, user: &str, second: i64) -> Operation {
        Operation {
            computer: "CONNECT01".into(),
            kind: OpKind::Reset,
            // The outcome event alone may name no user: found by its TrackingId only.
            user: (!user.is_empty()).then(|| user.into()),
            tracking_id: Some(tracking_id.into()),
            start: None,
            outcome: None,
            result: OpResult::Succeeded,
            error_code: None,
            time: at(second),
        }
    }

    /// A TrackingId matches its CorrelationId in any case, at any distance; without one, the
    /// same user's operation nearest in time wins, one to one.
    #[test]
    fn pairs_by_tracking_id_in_any_case_then_by_user_and_time() {
        let flows = [
            flow("0f3a-ab", "taro@contoso.co.jp", 0),
            flow("77c1-cd", "hanako@contoso.co.jp", 100),
            flow("9e2b-ef", "hanako@contoso.co.jp", 160),
            flow("5d5d-00", "jiro@contoso.co.jp", 0),
        ];
        let ops = [
            // Taro's by TrackingId alone, an hour away: upper case against the flow's lower case.
            op("0F3A-AB", "", 3_600),
            op("unrelated", "hanako@contoso.co.jp", 195),
            op("unrelated-2", "hanako@contoso.co.jp", 131),
            // Jiro's: outside the window and no TrackingId of his flow.
            op("other", "jiro@contoso.co.jp", 7_200),
        ];
        let flows: Vec<&Flow> = flows.iter().collect();
        let ops: Vec<&Operation> = ops.iter().collect();
        let why = vec![None; flows.len()];
        let (per_flow, per_op) = pair(&flows, &why, &ops, Duration::minutes(5));
        assert_eq!(per_flow, [Some(0), Some(2), Some(1), None]);
        assert_eq!(per_op, [Some(0), Some(2), Some(1), None]);
    }

    #[test]
    fn median_of_lags() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
