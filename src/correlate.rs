//! Joins each cloud flow to its on-premises writeback operation (design §4 "Correlation"):
//! candidates are flows that reached the writeback stage; a candidate matches the operation of
//! the same user and kind whose time lies within the window around the flow, or whose
//! TrackingId equals the flow's CorrelationId; one-to-one, nearest first.

use crate::catalog::OpKind;
use crate::model::onprem::OpResult;
use crate::model::{FlowKind, Model, Outcome};
use chrono::Duration;
use std::collections::HashMap;

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

/// The result of the join.
#[derive(Debug, Default)]
pub struct Correlation {
    /// Per flow (same order as `model.flows`): status and the matched operation's index.
    pub per_flow: Vec<(OnpremStatus, Option<usize>)>,
    /// Per operation: the matched flow's index.
    pub per_op: Vec<Option<usize>>,
    /// Matched pairs.
    pub matched: u64,
    /// Candidates a log covers with no operation.
    pub cloud_only: u64,
    /// Operations with no flow.
    pub onprem_only: u64,
    /// Candidates no log covers.
    pub not_checked: u64,
    /// Matched pairs whose outcomes differ (one succeeded, the other failed).
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

/// Whether a flow is a correlation candidate.
pub fn is_candidate(model: &Model, flow: usize) -> bool {
    let f = &model.flows[flow];
    f.reached_writeback && !f.cloud_only && op_kind(f.kind).is_some()
}

/// Joins flows and operations; `None` when no on-prem log was given.
pub fn correlate(model: &Model, window: Duration) -> Option<Correlation> {
    let onprem = model.onprem.as_ref()?;
    // The operations a flow can match, found by its CorrelationId (as a TrackingId) or its
    // user: a month of a large tenant has tens of thousands of each, too many to pair all.
    let mut by_tracking: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_user: HashMap<&str, Vec<usize>> = HashMap::new();
    for (oi, op) in onprem.ops.iter().enumerate() {
        if let Some(t) = &op.tracking_id {
            by_tracking
                .entry(t.to_ascii_lowercase())
                .or_default()
                .push(oi);
        }
        if let Some(u) = &op.user {
            by_user.entry(u.as_str()).or_default().push(oi);
        }
    }
    let mut pairs: Vec<(Duration, usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (fi, f) in model.flows.iter().enumerate() {
        if !is_candidate(model, fi) {
            continue;
        }
        let (Some(kind), Some(anchor)) = (op_kind(f.kind), f.writeback_at) else {
            continue;
        };
        candidates.clear();
        let tracked = by_tracking.get(&f.correlation_id.to_ascii_lowercase());
        let users = f.user.as_deref().and_then(|u| by_user.get(u));
        candidates.extend(tracked.into_iter().chain(users).flatten());
        candidates.sort_unstable();
        candidates.dedup();
        for &oi in &candidates {
            let op = &onprem.ops[oi];
            let by_tracking = op
                .tracking_id
                .as_ref()
                .is_some_and(|t| t.eq_ignore_ascii_case(&f.correlation_id));
            let by_user_time = op.kind == kind
                && op.user.is_some()
                && op.user == f.user
                && op.time >= f.started_at - window
                && op.time <= f.ended_at + window;
            if by_tracking || by_user_time {
                let distance = if by_tracking {
                    Duration::zero()
                } else {
                    (op.time - anchor).abs()
                };
                pairs.push((distance, fi, oi));
            }
        }
    }
    // Nearest first; ties broken by flow then operation order, so the result is deterministic.
    pairs.sort();
    let mut per_flow = vec![None; model.flows.len()];
    let mut per_op = vec![None; onprem.ops.len()];
    for (_, fi, oi) in pairs {
        if per_flow[fi].is_none() && per_op[oi].is_none() {
            per_flow[fi] = Some(oi);
            per_op[oi] = Some(fi);
        }
    }
    let mut c = Correlation::default();
    let mut lags = Vec::new();
    for (fi, f) in model.flows.iter().enumerate() {
        let status = if !is_candidate(model, fi) {
            OnpremStatus::NotApplicable
        } else if let Some(oi) = per_flow[fi] {
            let op = &onprem.ops[oi];
            c.matched += 1;
            // Whole seconds: Event Viewer and PowerShell CSV keep no fractions, and the lag must
            // not depend on which export of the same log was given.
            if let Some(anchor) = f.writeback_at {
                lags.push((op.time.timestamp() - anchor.timestamp()) as f64);
            }
            let cloud_ok = f.outcome == Outcome::Succeeded;
            let cloud_failed = matches!(f.outcome, Outcome::Failed | Outcome::Blocked);
            if (cloud_ok && op.result == OpResult::Failed)
                || (cloud_failed && op.result == OpResult::Succeeded)
            {
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
    c.onprem_only = per_op.iter().filter(|m| m.is_none()).count() as u64;
    c.per_op = per_op;
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
    Some((m * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_lags() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
