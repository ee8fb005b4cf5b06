//! The story of one flow: its audit records, its on-prem side (the matched operation's events,
//! and what the Connect servers logged nearby even when nothing matched) and, for a failed or
//! blocked flow, a diagnosis — the catalog's meaning, cause and fix of its reason and its
//! on-prem error, and the cross-checks the data allows. `sspr-report trace` tells it for one
//! user or one flow; the page's "Failed and blocked attempts" for the newest failed and
//! blocked flows of the period. Both take it from here, so they never disagree.
//!
//! The structures are serialized as they are by `trace --format json`: their keys are a
//! contract (README "trace"): add, never rename.

use crate::catalog::{self, EventRole, EventSource, Lang, Text};
use crate::correlate::{Correlation, OnpremStatus};
use crate::metrics::throttling::{self, ThrottleRow, ThrottleStatus};
use crate::metrics::writeback::Outage;
use crate::model::license::Entitlement;
use crate::model::onprem::{OnpremEvent, OpResult, Operation};
use crate::model::{Flow, FlowKind, Model, Outcome};
use crate::time::local_time;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Everything `trace` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// What was asked, and the user it resolved to.
    pub query: Query,
    /// The period and the zone every time is shown in.
    pub period: PeriodOut,
    /// The user's flows in the period (or the one flow asked for), oldest first.
    pub flows: Vec<FlowTrace>,
    /// Registration events in the period and the snapshot row.
    pub registrations: Registrations,
    /// Licence state; `None` when no licence list names the user.
    pub license: Option<License>,
    /// Throttling state; `None` when the user was neither blocked nor near the threshold.
    pub throttling: Option<Throttling>,
    /// The user's writeback operations in the period, as the Connect servers logged them
    /// (matched to a flow or not): a user the audit log never names (an admin reset whose
    /// export is missing) is still traced by them.
    pub onprem_operations: Vec<OperationOut>,
    /// What the inputs do not cover of the period (the coverage warnings `run` prints).
    pub warnings: Vec<String>,
    /// Whether a licence list was read (text tells "not in the list" from "no list").
    #[serde(skip)]
    pub license_list_read: bool,
}

/// One writeback operation of the user on a Connect server.
#[derive(Debug, Clone, Serialize)]
pub struct OperationOut {
    /// Local time (its start, else its outcome).
    pub time: String,
    /// Computer.
    pub computer: String,
    /// `reset`, `change`, `admin_reset`.
    pub kind: &'static str,
    /// `succeeded`, `failed`, `pending`.
    pub outcome: &'static str,
    /// The flow it is matched to; `None` when no flow of the period matched it.
    pub correlation_id: Option<String>,
    /// The 33xxx/32000 error detail, else an `hr=` code.
    pub error_code: Option<String>,
    /// The first `hr=` code among its events.
    pub hr: Option<String>,
    /// Its events (start, outcome, error detail).
    pub events: Vec<EventOut>,
    /// The catalog's meaning, cause and fix of its error codes (failed operations).
    pub diagnosis: Vec<Diagnosis>,
}

/// The question.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// The user (lower-cased UPN) the trace is about.
    pub user: Option<String>,
    /// The CorrelationId asked for (`--flow`), lower-cased.
    pub flow: Option<String>,
}

/// The period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodOut {
    /// First local day.
    pub from: String,
    /// Last local day.
    pub to: String,
    /// IANA zone of every time.
    pub tz: String,
}

/// One flow.
#[derive(Debug, Clone, Serialize)]
pub struct FlowTrace {
    /// CorrelationId (lower case).
    pub correlation_id: String,
    /// `reset`, `change`, `admin_reset`, `unlock`.
    pub kind: &'static str,
    /// `succeeded`, `failed`, `blocked`, `abandoned`.
    pub outcome: &'static str,
    /// Local time of the first record.
    pub started_at: String,
    /// Reason of the last failure record (failed and blocked flows).
    pub failure_reason: Option<String>,
    /// Audit records, in time order.
    pub records: Vec<RecordOut>,
    /// The on-prem side.
    pub onprem: Onprem,
    /// What went wrong and what to do (failed and blocked flows only).
    pub diagnosis: Vec<Diagnosis>,
}

/// One audit record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordOut {
    /// Local time.
    pub time: String,
    /// LoggedByService.
    pub service: String,
    /// Activity.
    pub activity: String,
    /// `success`, `failure`, …
    pub result: &'static str,
    /// Step text or result reason.
    pub reason: String,
    /// The initiating user's IP address as logged (also under `--pseudonymize`: the key only
    /// lets a pseudonym name the user; the page pseudonymizes it); `None` when the record names
    /// none.
    pub ip: Option<String>,
}

/// The on-prem side of a flow.
#[derive(Debug, Clone, Serialize)]
pub struct Onprem {
    /// `matched`, `cloud_only`, `not_checked`, `not_applicable`.
    pub status: &'static str,
    /// The matched operation's events.
    pub events: Vec<EventOut>,
    /// What the Connect servers logged around the flow: outages and connectivity errors.
    pub nearby: Vec<Nearby>,
}

/// One on-prem event.
#[derive(Debug, Clone, Serialize)]
pub struct EventOut {
    /// Local time.
    pub time: String,
    /// Computer.
    pub computer: String,
    /// Event ID.
    pub event_id: u32,
    /// Catalog name.
    pub name: &'static str,
    /// TrackingId in the message.
    pub tracking_id: Option<String>,
    /// The 33xxx/32000 error detail this event is.
    pub error_code: Option<String>,
    /// `hr=` code in the message.
    pub hr: Option<String>,
}

/// Something the Connect servers logged near a flow.
#[derive(Debug, Clone, Serialize)]
pub struct Nearby {
    /// `outage` (31016 until 31015) or `connectivity` (31034, 32002, …).
    pub kind: &'static str,
    /// Computer.
    pub computer: String,
    /// Local time (an outage: its 31016).
    pub time: String,
    /// An outage's 31015; `None` when the log ends first.
    pub until: Option<String>,
    /// Event ID (a connectivity error).
    pub event_id: Option<u32>,
    /// Catalog name.
    pub name: &'static str,
}

/// One line of a diagnosis.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// Catalog code, event ID, hr code, or `check:<name>` for a cross-check.
    pub code: String,
    /// Short title.
    pub title: String,
    /// What it means.
    pub meaning: String,
    /// Likely cause.
    pub cause: String,
    /// What to do.
    pub fix: String,
}

/// Registrations of the user.
#[derive(Debug, Clone, Serialize)]
pub struct Registrations {
    /// Registration events in the period.
    pub events: Vec<RegistrationOut>,
    /// The newest snapshot row; `None` when no snapshot names the user.
    pub snapshot: Option<SnapshotOut>,
}

/// One registration event.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationOut {
    /// Local time.
    pub time: String,
    /// Method.
    pub method: String,
}

/// A snapshot row.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotOut {
    /// Registered for SSPR.
    pub sspr_registered: Option<bool>,
    /// Enabled for SSPR.
    pub sspr_enabled: Option<bool>,
    /// Capable of SSPR.
    pub sspr_capable: Option<bool>,
    /// Registered methods.
    pub methods: Vec<String>,
}

/// Licence state.
#[derive(Debug, Clone, Serialize)]
pub struct License {
    /// Entra ID P1 (or better); `None` when a licence is unknown to every table.
    pub p1: Option<bool>,
    /// The licences as the admin center shows them.
    pub licenses: String,
    /// Synced from AD DS; `None` when the list does not say.
    pub synced: Option<bool>,
    /// The date in the licence list's file name (`ActiveUsers_2026-11-01.csv`); `None` when
    /// the name holds none.
    pub list_date: Option<String>,
    /// The list is dated after the first flow traced: the licence may have been assigned after
    /// the attempts.
    pub list_after_attempts: bool,
}

/// Throttling state.
#[derive(Debug, Clone, Serialize)]
pub struct Throttling {
    /// `throttled` (a block record) or `inferred` (attempts at the threshold).
    pub status: &'static str,
    /// Block records.
    pub block_events: u64,
    /// Local time of the last block.
    pub last_blocked_at: Option<String>,
    /// When the 24-hour block lifts.
    pub blocked_until: Option<String>,
    /// The user's flows that ended blocked (one whose reason says "blocked for 24 hours"
    /// counts without a Blocked record).
    pub blocked_flows: u64,
    /// Most of the user's self-service flows that started inside one throttling window.
    pub max_flows_in_window: usize,
    /// Start of the first window holding that many.
    pub window_start: Option<String>,
    /// An inferred user's last attempt + 24 hours: when a block it may have met would lift.
    pub would_lift_at: Option<String>,
}

/// How many failed and blocked flows the page tells: the newest; the rest are counted.
pub const ATTEMPTS_SHOWN: usize = 200;

/// The newest failed and blocked flows of the period with their stories (the page's "Failed
/// and blocked attempts").
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    /// Newest first (ties by CorrelationId), at most [`ATTEMPTS_SHOWN`].
    pub shown: Vec<Attempt>,
    /// Failed and blocked flows not shown.
    pub left_out: usize,
}

/// One failed or blocked flow and whose it was.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The user (lower-cased UPN), when the flow names one.
    pub user: Option<String>,
    /// Its story.
    pub flow: FlowTrace,
}

/// The failed and blocked flows of a model, newest first and ties by CorrelationId, and the
/// index of the on-prem events their stories look up: made from the model alone, so beside
/// the metrics the stories need.
pub struct FailingFlows<'m> {
    model: &'m Model,
    order: Vec<usize>,
    index: Option<EventIndex<'m>>,
}

impl<'m> FailingFlows<'m> {
    /// Orders the failed flows and indexes the on-prem events (when a story will need them).
    pub fn new(model: &'m Model) -> Self {
        let flows = &model.flows;
        let fails = |f: &Flow| matches!(f.outcome, Outcome::Failed | Outcome::Blocked);
        let mut order: Vec<usize> = (0..flows.len()).filter(|&i| fails(&flows[i])).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&flows[a], &flows[b]);
            b.started_at
                .cmp(&a.started_at)
                .then_with(|| a.correlation_id.cmp(&b.correlation_id))
        });
        let index = match order.is_empty() {
            true => None,
            false => model.onprem.as_ref().map(EventIndex::new),
        };
        FailingFlows {
            model,
            order,
            index,
        }
    }
}

/// The newest `limit` failed and blocked flows, newest first and ties by CorrelationId, each
/// with its story; and how many more there were. `failing` is made from the teller's model.
pub fn failed_attempts(teller: &Teller<'_>, failing: &FailingFlows<'_>, limit: usize) -> Attempts {
    debug_assert!(
        std::ptr::eq(teller.model, failing.model),
        "the failing flows of another model"
    );
    let flows = &teller.model.flows;
    let left_out = failing.order.len().saturating_sub(limit);
    let shown = failing
        .order
        .iter()
        .take(limit)
        .filter_map(|&i| {
            Some(Attempt {
                user: flows.get(i)?.user.clone(),
                flow: teller.flow_with(i, failing.index.as_ref())?,
            })
        })
        .collect();
    Attempts { shown, left_out }
}

/// What a story is told from: the model, its correlation with the on-prem log, the writeback
/// outages and the throttled users (as `run` computes them), the match window and the language
/// of the diagnosis.
#[derive(Debug, Clone, Copy)]
pub struct Teller<'a> {
    /// The model of the period.
    pub model: &'a Model,
    /// The cloud ⇄ on-prem join; `None` without an on-prem log.
    pub correlation: Option<&'a Correlation>,
    /// Writeback outages (31016 → 31015) overlapping the period.
    pub outages: &'a [Outage],
    /// Throttled and inferred-throttled users.
    pub throttle: &'a [ThrottleRow],
    /// `--match-window`: how near an on-prem event must be to count as nearby.
    pub window: Duration,
    /// Language of the diagnosis.
    pub lang: Lang,
}

/// The on-prem events by time and by TrackingId, for telling many stories: each looks up its
/// candidates instead of reading the whole log (a month of a large tenant: 240,000 events,
/// read twice for each of the page's failed attempts). Candidates only: the tellers still
/// apply their own tests, so a story is the same with the index and without it.
struct EventIndex<'m> {
    /// Every event's time and index, by time.
    by_time: Vec<(DateTime<Utc>, usize)>,
    /// The events of each TrackingId, in log order.
    by_tracking: crate::model::FastMap<&'m str, Vec<usize>>,
}

impl<'m> EventIndex<'m> {
    /// Both indexes, made side by side on the caller's rayon threads.
    fn new(onprem: &'m crate::model::OnpremModel) -> Self {
        let by_time = || {
            let mut by_time: Vec<(DateTime<Utc>, usize)> = onprem
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| (e.time, i))
                .collect();
            by_time.sort_unstable();
            by_time
        };
        let by_tracking = || {
            let mut by_tracking = crate::model::FastMap::default();
            for (i, e) in onprem.events.iter().enumerate() {
                if let Some(t) = e.parsed.tracking_id.as_deref() {
                    by_tracking.entry(t).or_insert_with(Vec::new).push(i);
                }
            }
            by_tracking
        };
        let (by_time, by_tracking) = rayon::join(by_time, by_tracking);
        EventIndex {
            by_time,
            by_tracking,
        }
    }

    /// The events from `from` to `to` (inclusive), in log order.
    fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<usize> {
        let start = self.by_time.partition_point(|(t, _)| *t < from);
        let end = self.by_time.partition_point(|(t, _)| *t <= to);
        let mut found: Vec<usize> = self.by_time[start..end.max(start)]
            .iter()
            .map(|&(_, i)| i)
            .collect();
        found.sort_unstable();
        found
    }

    /// The events that may belong to `op`: its start and outcome, those of its TrackingId and
    /// those within `window` of its outcome.
    fn around_op(&self, op: &Operation, outcome: DateTime<Utc>, window: Duration) -> Vec<usize> {
        let tracking = op
            .tracking_id
            .as_deref()
            .and_then(|t| self.by_tracking.get(t));
        let mut found: Vec<usize> = op
            .start
            .into_iter()
            .chain(op.outcome)
            .chain(tracking.into_iter().flatten().copied())
            .chain(
                self.between(
                    outcome
                        .checked_sub_signed(window)
                        .unwrap_or(DateTime::<Utc>::MIN_UTC),
                    outcome
                        .checked_add_signed(window)
                        .unwrap_or(DateTime::<Utc>::MAX_UTC),
                ),
            )
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl Teller<'_> {
    fn time(&self, t: DateTime<Utc>) -> String {
        local_time(t, self.model.tz)
    }

    /// The story of the flow at index `fi` of the model; `None` for an index out of range.
    pub fn flow(&self, fi: usize) -> Option<FlowTrace> {
        self.flow_with(fi, None)
    }

    /// [`Teller::flow`], looking events up in `index` when there is one.
    fn flow_with(&self, fi: usize, index: Option<&EventIndex>) -> Option<FlowTrace> {
        let f = self.model.flows.get(fi)?;
        let (status, op) = match self.correlation.and_then(|c| c.per_flow.get(fi)) {
            Some((s, oi)) => (*s, oi.and_then(|i| self.model.onprem.as_ref()?.op(i))),
            None => (OnpremStatus::NotChecked, None),
        };
        let events = op.map(|op| self.op_events(op, index)).unwrap_or_default();
        let nearby = self.nearby(f, index);
        let diagnosis = match f.outcome {
            Outcome::Failed | Outcome::Blocked => self.diagnose(f, status, op, &events),
            Outcome::Succeeded | Outcome::Abandoned => Vec::new(),
        };
        Some(FlowTrace {
            correlation_id: f.correlation_id.clone(),
            kind: f.kind.as_str(),
            outcome: f.outcome.as_str(),
            started_at: self.time(f.started_at),
            failure_reason: f.failure_reason.clone(),
            records: f
                .records
                .iter()
                .filter_map(|&i| self.model.records.get(i))
                .map(|r| RecordOut {
                    time: self.time(r.time),
                    service: r.service.to_string(),
                    activity: r.activity.to_string(),
                    result: r.result.as_str(),
                    reason: r.reason.to_string(),
                    ip: r.ip.as_deref().map(str::to_string),
                })
                .collect(),
            onprem: Onprem {
                status: status.as_str(),
                events,
                nearby,
            },
            diagnosis,
        })
    }

    /// The operation's start and outcome, and every event that carries its TrackingId or
    /// details its failure (33xxx of the same user on the same computer around the outcome).
    /// With an `index`, only the events it names as candidates are looked at.
    fn op_events(&self, op: &Operation, index: Option<&EventIndex>) -> Vec<EventOut> {
        let Some(onprem) = self.model.onprem.as_ref() else {
            return Vec::new();
        };
        let outcome_time = op
            .outcome
            .and_then(|i| onprem.events.get(i))
            .map_or(op.time, |e| e.time);
        let belongs = |i: usize, e: &OnpremEvent| {
            Some(i) == op.start
                || Some(i) == op.outcome
                || (e.computer == op.computer
                    && ((op.tracking_id.is_some() && e.parsed.tracking_id == op.tracking_id)
                        // the cheap tests first: without an index every event is looked at
                        || (e.time - outcome_time).abs() <= self.window
                            && e.parsed.upn == op.user
                            && (e.role() == Some(EventRole::ErrorDetail) || e.is_error_detail())))
        };
        let candidates: Box<dyn Iterator<Item = usize>> = match index {
            Some(index) => Box::new(index.around_op(op, outcome_time, self.window).into_iter()),
            None => Box::new(0..onprem.events.len()),
        };
        let mut out: Vec<(DateTime<Utc>, usize)> = candidates
            .filter_map(|i| Some((i, onprem.events.get(i)?)))
            .filter(|(i, e)| !onprem.duplicate.get(*i).copied().unwrap_or(false) && belongs(*i, e))
            .map(|(i, e)| (e.time, i))
            .collect();
        out.sort();
        out.iter()
            .map(|&(_, i)| self.event(&onprem.events[i]))
            .collect()
    }

    fn event(&self, e: &OnpremEvent) -> EventOut {
        EventOut {
            time: self.time(e.time),
            computer: e.computer.to_string(),
            event_id: e.event_id,
            name: e.name(),
            tracking_id: e.parsed.tracking_id.clone(),
            error_code: e.is_error_detail().then(|| e.event_id.to_string()),
            hr: e.parsed.hr_code.clone(),
        }
    }

    /// Outages overlapping the flow (widened by the match window) and connectivity errors
    /// within the match window of it, on any Connect server, in the log's order.
    fn nearby(&self, f: &Flow, index: Option<&EventIndex>) -> Vec<Nearby> {
        let (from, to) = (f.started_at - self.window, f.ended_at + self.window);
        let mut out: Vec<Nearby> = self
            .outages
            .iter()
            .filter(|o| o.from <= to && o.counted_to() >= from)
            .map(|o| Nearby {
                kind: "outage",
                computer: o.computer.clone(),
                time: self.time(o.from),
                until: o.to.map(|t| self.time(t)),
                event_id: Some(31016),
                name: catalog::event(EventSource::PasswordResetService, 31016)
                    .map_or("WriteBackServiceStopped", |e| e.name),
            })
            .collect();
        if let Some(onprem) = &self.model.onprem {
            let candidates: Box<dyn Iterator<Item = usize>> = match index {
                Some(index) => Box::new(index.between(from, to).into_iter()),
                None => Box::new(0..onprem.events.len()),
            };
            let connectivity = candidates
                .filter_map(|i| Some((onprem.events.get(i)?, onprem.duplicate.get(i)?)))
                .filter(|(e, dup)| {
                    e.time >= from
                        && e.time <= to
                        && !**dup
                        && e.role() == Some(EventRole::Connectivity)
                });
            out.extend(connectivity.map(|(e, _)| Nearby {
                kind: "connectivity",
                computer: e.computer.to_string(),
                time: self.time(e.time),
                until: None,
                event_id: Some(e.event_id),
                name: e.name(),
            }));
        }
        out
    }

    /// The flow's diagnosis: the catalog's word on its on-prem error (first when a 33xxx
    /// detail names the cause: it is more precise than the cloud's generic "configuration
    /// problem") and on its reason, then the cross-checks. Never empty.
    fn diagnose(
        &self,
        f: &Flow,
        status: OnpremStatus,
        op: Option<&Operation>,
        events: &[EventOut],
    ) -> Vec<Diagnosis> {
        let lang = self.lang;
        let onprem = op_diagnosis(op.and_then(|o| o.error_code.as_deref()), events, lang);
        let cloud = match f.failure_reason.as_deref() {
            Some(r) => match catalog::classify_reason(r) {
                Some(e) => {
                    let code = if e.code.is_empty() { e.name } else { e.code };
                    Some(entry(code, e.name, [e.meaning, e.cause, e.fix], lang))
                }
                None => Some(not_in_catalog(lang)),
            },
            None => None,
        };
        let detail_first = op
            .and_then(|o| o.error_code.as_deref())
            .is_some_and(|c| c.parse::<u32>().is_ok());
        let mut out = Vec::new();
        if detail_first {
            out.extend(onprem);
            out.extend(cloud);
        } else {
            out.extend(cloud);
            out.extend(onprem);
        }
        out.extend(self.cross_checks(f, status, op));
        if out.is_empty() {
            out.push(not_in_catalog(lang));
        }
        out
    }

    fn cross_checks(
        &self,
        f: &Flow,
        status: OnpremStatus,
        op: Option<&Operation>,
    ) -> Vec<Diagnosis> {
        let mut out = Vec::new();
        let user = f.user.as_deref();
        let row = user.and_then(|u| self.model.licenses.as_ref()?.rows.get(u));
        if let (Some(row), Some(l)) = (row, self.model.licenses.as_ref())
            && row.synced == Some(true)
            && matches!(
                row.entitlement(&l.skus),
                Entitlement::NoP1 | Entitlement::Unlicensed
            )
        {
            out.push(check(CHECK_NO_P1, self.lang, &[]));
        }
        if op.is_some_and(|o| o.result == OpResult::Succeeded) {
            out.push(check(CHECK_ONPREM_SUCCEEDED, self.lang, &[]));
        }
        let outage = self.outage_check(f, status);
        // A stopped service already explains the missing trace; the agent check is for the rest.
        if status == OnpremStatus::CloudOnly && outage.is_none() {
            out.push(check(CHECK_NO_TRACE, self.lang, &[]));
        }
        out.extend(outage);
        if f.outcome == Outcome::Blocked {
            let until =
                self.block_of(f).unwrap_or(f.ended_at) + Duration::hours(throttling::BLOCK_HOURS);
            let c = if until <= self.data_end() {
                CHECK_BLOCK_PAST
            } else {
                CHECK_BLOCK
            };
            out.push(check(c, self.lang, &[&self.time(until)]));
        }
        out
    }

    /// The outage covering the moment a flow handed its password to writeback. Only such a
    /// flow (and not one the correlation calls not_applicable) can have been stopped by it.
    fn outage_check(&self, f: &Flow, status: OnpremStatus) -> Option<Diagnosis> {
        if !f.reached_writeback || status == OnpremStatus::NotApplicable {
            return None;
        }
        let at = f.writeback_at.unwrap_or(f.started_at);
        let o = self
            .outages
            .iter()
            .find(|o| o.from <= at && at <= o.counted_to())?;
        let (c, from) = (o.computer.as_str(), self.time(o.from));
        Some(match o.to {
            Some(to) => check(CHECK_OUTAGE, self.lang, &[c, &from, &self.time(to)]),
            None => {
                let end = self.time(o.counted_to());
                check(CHECK_OUTAGE_OPEN, self.lang, &[c, &from, &end])
            }
        })
    }

    /// The block that belongs to a blocked flow: its own, else the user's nearest block at or
    /// after its start (a block record may be logged under another CorrelationId).
    fn block_of(&self, f: &Flow) -> Option<DateTime<Utc>> {
        if let Some(t) = throttling::block_moments(self.model, f).first() {
            return Some(*t);
        }
        let user = f.user.as_deref()?;
        self.model
            .flows
            .iter()
            .filter(|g| g.user.as_deref() == Some(user))
            .flat_map(|g| throttling::block_moments(self.model, g))
            .filter(|t| *t >= f.started_at)
            .min()
    }

    /// The end of what the trace can know of: the period's end, or the audit log's when later.
    fn data_end(&self) -> DateTime<Utc> {
        let end = self.model.period.end_utc(self.model.tz);
        self.model.audit_span.map_or(end, |(_, last)| end.max(last))
    }

    /// The user's writeback operations in the period, oldest first, with the flow each is
    /// matched to and, for a failed one, the catalog's word on its error.
    pub fn operations(&self, user: &str) -> Vec<OperationOut> {
        let Some(onprem) = self.model.onprem.as_ref() else {
            return Vec::new();
        };
        let per_op = self.correlation.map(|c| c.per_op.as_slice()).unwrap_or(&[]);
        onprem
            .ops
            .iter()
            .enumerate()
            .filter(|(_, op)| op.user.as_deref() == Some(user))
            .map(|(i, op)| {
                let events = self.op_events(op, None);
                let diagnosis = match op.result {
                    OpResult::Failed => op_diagnosis(op.error_code.as_deref(), &events, self.lang),
                    OpResult::Succeeded | OpResult::Pending => Vec::new(),
                };
                let flow = per_op.get(i).copied().flatten();
                OperationOut {
                    time: self.time(op.time),
                    computer: op.computer.to_string(),
                    kind: op.kind.as_str(),
                    outcome: op.result.as_str(),
                    correlation_id: flow
                        .and_then(|fi| self.model.flows.get(fi))
                        .map(|f| f.correlation_id.clone()),
                    error_code: op.error_code.clone(),
                    hr: events.iter().find_map(|e| e.hr.clone()),
                    events,
                    diagnosis,
                }
            })
            .collect()
    }

    /// The user's registration events in the period and snapshot row.
    pub fn registrations(&self, user: Option<&str>) -> Registrations {
        let Some(user) = user else {
            return Registrations {
                events: Vec::new(),
                snapshot: None,
            };
        };
        let reg = &self.model.registration;
        Registrations {
            events: reg
                .events
                .iter()
                .filter(|e| e.user.as_deref() == Some(user))
                .map(|e| RegistrationOut {
                    time: self.time(e.time),
                    method: e.method.clone(),
                })
                .collect(),
            snapshot: reg
                .snapshot
                .as_ref()
                .and_then(|s| s.rows.get(user))
                .map(|r| SnapshotOut {
                    sspr_registered: r.sspr_registered,
                    sspr_enabled: r.sspr_enabled,
                    sspr_capable: r.sspr_capable,
                    methods: r.methods.clone(),
                }),
        }
    }

    /// The user's licence state; `None` when no licence list names the user.
    pub fn license(&self, user: &str) -> Option<License> {
        let l = self.model.licenses.as_ref()?;
        let row = l.rows.get(user)?;
        let p1 = match row.entitlement(&l.skus) {
            Entitlement::P1 => Some(true),
            Entitlement::NoP1 | Entitlement::Unlicensed => Some(false),
            Entitlement::Unknown => None,
        };
        let list_date = self
            .model
            .inputs
            .files
            .get(row.origin.file as usize)
            .and_then(|f| date_in_name(&f.file.display));
        let first_flow = self
            .model
            .flows
            .iter()
            .filter(|f| f.user.as_deref() == Some(user))
            .map(|f| f.started_at.with_timezone(&self.model.tz).date_naive())
            .min();
        Some(License {
            p1,
            licenses: row.label(&l.skus),
            synced: row.synced,
            list_after_attempts: matches!((list_date, first_flow), (Some(d), Some(f)) if d > f),
            list_date: list_date.map(|d| d.to_string()),
        })
    }

    /// The user's throttling state; `None` when the user was neither blocked nor near the
    /// threshold.
    pub fn throttling(&self, user: &str) -> Option<Throttling> {
        let r = self.throttle.iter().find(|r| r.user == user)?;
        let flows = || {
            self.model
                .flows
                .iter()
                .filter(|f| f.user.as_deref() == Some(user))
        };
        let blocked_flows = flows().filter(|f| f.outcome == Outcome::Blocked).count() as u64;
        let would_lift_at = match r.status {
            ThrottleStatus::Inferred => flows()
                .filter(|f| f.kind != FlowKind::AdminReset)
                .map(|f| f.ended_at)
                .max()
                .map(|t| self.time(t + Duration::hours(throttling::BLOCK_HOURS))),
            ThrottleStatus::Throttled => None,
        };
        Some(Throttling {
            status: r.status.as_str(),
            block_events: r.block_events,
            last_blocked_at: r.last_blocked_at.map(|t| self.time(t)),
            blocked_until: r.blocked_until.map(|t| self.time(t)),
            blocked_flows,
            max_flows_in_window: r.max_flows_in_window,
            window_start: r.busiest_window_start.map(|t| self.time(t)),
            would_lift_at,
        })
    }
}

/// A catalog entry as a diagnosis; its title is its name, in Japanese the first sentence of
/// its Japanese meaning (as `explain --list --lang ja` titles it).
fn entry(code: &str, title: &str, [m, c, f]: [Text; 3], lang: Lang) -> Diagnosis {
    Diagnosis {
        code: code.to_string(),
        title: match lang {
            Lang::En => title.to_string(),
            Lang::Ja => catalog::title(m.ja, lang),
        },
        meaning: m.get(lang).to_string(),
        cause: c.get(lang).to_string(),
        fix: f.get(lang).to_string(),
    }
}

/// The last `YYYY-MM-DD` in a file name: the day an export was taken.
fn date_in_name(name: &str) -> Option<chrono::NaiveDate> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let b = name.as_bytes();
    (0..b.len().saturating_sub(9))
        .rev()
        .filter_map(|i| name.get(i..i + 10))
        .find_map(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// The catalog's word on an operation's error code and on every `hr` code of its events.
fn op_diagnosis(code: Option<&str>, events: &[EventOut], lang: Lang) -> Vec<Diagnosis> {
    let mut out: Vec<Diagnosis> = code
        .and_then(|c| onprem_code(c, lang))
        .into_iter()
        .collect();
    for hr in events.iter().filter_map(|e| e.hr.as_deref()) {
        if out.iter().all(|d| d.code != hr) {
            out.extend(onprem_code(hr, lang));
        }
    }
    out
}

/// A reason the catalog does not hold: what failure_reasons.csv advises for it.
fn not_in_catalog(lang: Lang) -> Diagnosis {
    let mut d = check(CHECK_UNKNOWN_REASON, lang, &[]);
    d.fix = crate::metrics::sspr::unknown_remedy(lang).to_string();
    d
}

/// The catalog's word on an operation's error: a 33xxx/32000 event ID or an `hr=` code.
fn onprem_code(code: &str, lang: Lang) -> Option<Diagnosis> {
    if let Ok(id) = code.parse::<u32>() {
        let e = catalog::event(EventSource::PasswordResetService, id)?;
        return Some(entry(code, e.name, [e.meaning, e.cause, e.fix], lang));
    }
    let h = catalog::hr_code(code)?;
    Some(entry(h.code, h.name, [h.meaning, h.cause, h.fix], lang))
}

/// A cross-check: code, title, meaning, cause, fix; `{}` in the meaning takes the arguments.
type Check = (&'static str, Text, Text, Text, Text);

const CHECK_NO_P1: Check = (
    "check:synced_without_p1",
    Text {
        en: "Synced user without Entra ID P1",
        ja: "Entra ID P1 のない同期ユーザー",
    },
    Text {
        en: "The user is synced from AD DS and holds no licence that includes Entra ID P1.",
        ja: "このユーザーは AD DS から同期されており、Entra ID P1 を含むライセンスがありません。",
    },
    Text {
        en: "Password writeback for synced users requires Entra ID P1 or P2.",
        ja: "同期ユーザーのパスワード ライトバックには Entra ID P1 または P2 が必要です。",
    },
    Text {
        en: "Assign a licence that includes Entra ID P1 (or P2), then let the user try again.",
        ja: "Entra ID P1 (または P2) を含むライセンスを割り当て、ユーザーに再試行してもらいます。",
    },
);

const CHECK_OUTAGE: Check = (
    "check:writeback_stopped",
    Text {
        en: "Writeback service stopped at that moment",
        ja: "その時刻にライトバック サービスが停止していた",
    },
    Text {
        en: "{} logged the writeback service stopped (31016) at {} and started again (31015) at {}.",
        ja: "{} でライトバック サービスが {} に停止し (31016)、{} に再開しました (31015)。",
    },
    Text {
        en: "While the service is stopped no reset or change can be written to AD DS.",
        ja: "サービス停止中はリセットや変更を AD DS に書き込めません。",
    },
    Text {
        en: "Find why the service stopped (Application log around the 31016); once it runs, ask the user to try again.",
        ja: "停止の原因を調べ (31016 前後のアプリケーション ログ)、稼働後にユーザーに再試行してもらいます。",
    },
);

const CHECK_OUTAGE_OPEN: Check = (
    "check:writeback_stopped",
    Text {
        en: "Writeback service stopped at that moment",
        ja: "その時刻にライトバック サービスが停止していた",
    },
    Text {
        en: "{} logged the writeback service stopped (31016) at {} and no restart (31015) before its log ends at {}.",
        ja: "{} でライトバック サービスが {} に停止し (31016)、ログの終わり ({}) まで再開 (31015) は記録されていません。",
    },
    CHECK_OUTAGE.3,
    CHECK_OUTAGE.4,
);

const CHECK_ONPREM_SUCCEEDED: Check = (
    "check:onprem_succeeded",
    Text {
        en: "The on-premises side succeeded",
        ja: "オンプレミス側は成功している",
    },
    Text {
        en: "The cloud logged this flow as failed, but the Connect server logged its password operation as successful.",
        ja: "クラウドはこのフローを失敗と記録していますが、Connect サーバーはパスワード操作の成功を記録しています。",
    },
    Text {
        en: "The password was written to AD DS and the cloud did not learn of it in time (a late answer from the agent), or reported another problem after the write.",
        ja: "パスワードは AD DS に書き込まれたが、クラウドがその結果を時間内に受け取れなかった (エージェントの応答遅延)、または書き込み後に別の問題を報告した可能性があります。",
    },
    Text {
        en: "The new password was probably set in AD: ask the user to sign in with it before retrying.",
        ja: "新しいパスワードはおそらく AD に設定されています。再試行する前に、そのパスワードでサインインするようユーザーに依頼してください。",
    },
);

const CHECK_UNKNOWN_REASON: Check = (
    "check:reason_not_in_catalog",
    Text {
        en: "Reason not in the catalog",
        ja: "カタログにない理由",
    },
    // The reason is not repeated here: the flow line shows it, and a pseudonymized page must
    // not carry free text through a cross-check's sentence.
    Text {
        en: "The failure reason of this flow is not one the catalog knows.",
        ja: "このフローの失敗理由はカタログにありません。",
    },
    Text {
        en: "A wording Microsoft added or changed, or a failure this tool has not documented.",
        ja: "Microsoft が追加・変更した文言、またはこのツールが未収録の失敗です。",
    },
    // The fix is failure_reasons.csv's remedy for an unknown reason (`not_in_catalog`).
    Text { en: "", ja: "" },
);

const CHECK_NO_TRACE: Check = (
    "check:no_onprem_trace",
    Text {
        en: "No on-prem trace while the log covers the time",
        ja: "ログがその時刻を含むのにオンプレミスの記録がない",
    },
    Text {
        en: "The flow reached writeback, the Connect server's log covers that moment, and it logged no operation for it.",
        ja: "フローはライトバック段階に達し、Connect サーバーのログはその時刻を含みますが、対応する操作は記録されていません。",
    },
    Text {
        en: "The request never reached the on-premises agent (agent down, Service Bus or network problem), or another server handled it.",
        ja: "要求がオンプレミス エージェントに届かなかった (エージェント停止、Service Bus やネットワークの問題) か、別のサーバーが処理しました。",
    },
    Text {
        en: "Check the agent: the Entra Connect service and writeback status, and the logs of every Connect server.",
        ja: "エージェントを確認します: Entra Connect サービスとライトバックの状態、すべての Connect サーバーのログ。",
    },
);

const CHECK_BLOCK: Check = (
    "check:blocked_24h",
    Text {
        en: "Blocked for 24 hours",
        ja: "24 時間のブロック",
    },
    Text {
        en: "The user is blocked from self-service password reset until {}.",
        ja: "このユーザーは {} までセルフサービス パスワード リセットをブロックされています。",
    },
    Text {
        en: "Too many attempts or verification codes within the throttling limits.",
        ja: "スロットリングの上限を超える試行または確認コード入力がありました。",
    },
    // One fix for a block in force and a block lifted: the page lists a code's fix once.
    Text {
        en: "Once the block lifts (24 hours after it) the user may try again; before that an administrator can reset the password.",
        ja: "ブロック解除 (ブロックの 24 時間後) の後はユーザーが再試行できます。それまでは管理者がパスワードをリセットできます。",
    },
);

const CHECK_BLOCK_PAST: Check = (
    "check:blocked_24h",
    CHECK_BLOCK.1,
    Text {
        en: "The user was blocked from self-service password reset until {}.",
        ja: "このユーザーは {} までセルフサービス パスワード リセットをブロックされていました。",
    },
    CHECK_BLOCK.3,
    CHECK_BLOCK.4,
);

fn check(c: Check, lang: Lang, args: &[&str]) -> Diagnosis {
    let (code, title, meaning, cause, fix) = c;
    let mut m = meaning.get(lang).to_string();
    for a in args {
        m = m.replacen("{}", a, 1);
    }
    Diagnosis {
        code: code.to_string(),
        title: title.get(lang).to_string(),
        meaning: m,
        cause: cause.get(lang).to_string(),
        fix: fix.get(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::audit::{AuditRecord, AuditResult, Origin, Relevance, SSPR_SERVICE};
    use chrono::TimeZone;

    /// A self-service change of its own CorrelationId at `minute`, failed or not.
    fn change(minute: i64, id: &str, failed: bool) -> AuditRecord {
        AuditRecord {
            id: None,
            time: Utc
                .with_ymd_and_hms(2026, 10, 3, 9, 0, 0)
                .single()
                .expect("t")
                + Duration::minutes(minute),
            service: SSPR_SERVICE.into(),
            activity: crate::model::audit::activity::CHANGE.into(),
            result: if failed {
                AuditResult::Failure
            } else {
                AuditResult::Success
            },
            reason: if failed {
                "FuzzyPolicyViolationInvalidPassword".into()
            } else {
                "".into()
            },
            correlation_id: id.into(),
            actor_upn: Some("taro@x.jp".into()),
            target_upn: Some("taro@x.jp".into()),
            ip: Some("203.0.113.7".into()),
            onprem_agent: None,
            relevance: Relevance::Flow,
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    #[test]
    fn failed_attempts_are_the_newest_failures_ties_by_id_the_rest_counted() {
        let records = vec![
            change(0, "a-oldest", true),
            change(5, "b-ok", false),
            change(9, "d-newest", true),
            change(9, "c-newest", true),
            change(7, "e-middle", true),
        ];
        let mut model = Model::empty(chrono_tz::UTC);
        for (i, r) in records.iter().enumerate() {
            let f = crate::model::flow::assemble(
                &r.correlation_id,
                &[r],
                &[i],
                &crate::model::flow::BlockReasons::of([r]),
            )
            .expect("flow");
            model.flows.push(f);
        }
        model.records = records;
        let teller = Teller {
            model: &model,
            correlation: None,
            outages: &[],
            throttle: &[],
            window: Duration::minutes(5),
            lang: Lang::En,
        };
        let failing = FailingFlows::new(&model);
        let a = failed_attempts(&teller, &failing, 3);
        let ids: Vec<&str> = a
            .shown
            .iter()
            .map(|a| a.flow.correlation_id.as_str())
            .collect();
        assert_eq!(ids, ["c-newest", "d-newest", "e-middle"]);
        assert_eq!(a.left_out, 1, "a-oldest; the success is no attempt to tell");
        assert_eq!(a.shown[0].user.as_deref(), Some("taro@x.jp"));
        let story = &a.shown[0].flow;
        assert_eq!(story.records[0].ip.as_deref(), Some("203.0.113.7"));
        assert_eq!(
            story.diagnosis[0].code,
            "FuzzyPolicyViolationInvalidPassword"
        );
        assert_eq!(failed_attempts(&teller, &failing, 10).left_out, 0);
    }

    /// An event of taro's at `second` after 2026-10-03 09:00 UTC on `computer`.
    fn taro_event(second: i64, computer: &str, id: u32, tracking: Option<&str>) -> OnpremEvent {
        let time = at(0) + Duration::seconds(second);
        let parsed = crate::model::onprem::ParsedMessage {
            tracking_id: tracking.map(str::to_string),
            upn: Some("taro@x.jp".into()),
            ..Default::default()
        };
        OnpremEvent {
            time,
            computer: computer.into(),
            source: "PasswordResetService".into(),
            event_id: id,
            record_id: None,
            message: format!("event {id} at {second}").into(),
            parsed: parsed.into(),
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    /// The page's stories, told with the event index, are the stories `trace` tells without
    /// it: matched operations with their TrackingId's events near and far, 33xxx details in
    /// and out of the window, connectivity errors on both sides of a flow, duplicates left out.
    #[test]
    fn stories_with_the_event_index_are_the_stories_without_it() {
        let mut model = model_of(vec![
            change(0, "a", true),
            change(5, "b", true),
            change(9, "c", true),
            change(30, "d", false),
        ]);
        let mut events = Vec::new();
        for (n, minute) in [0i64, 5, 9, 30].into_iter().enumerate() {
            let t = format!("track-{n}");
            let s = minute * 60;
            events.push(taro_event(s + 1, "CONNECT01", 31006, Some(&t)));
            events.push(taro_event(s + 2, "CONNECT01", 31008, Some(&t)));
            events.push(taro_event(s + 3, "CONNECT01", 33008, None));
            // The same TrackingId hours later, and details at the window's edge and just
            // outside it.
            events.push(taro_event(s + 7_200, "CONNECT01", 31034, Some(&t)));
            events.push(taro_event(s + 2 + 301, "CONNECT01", 33008, None));
            events.push(taro_event(s + 2 + 300, "CONNECT01", 33008, None));
        }
        // Connectivity errors: one exactly at the first flow's window edge.
        events.push(taro_event(-300, "CONNECT02", 31034, None));
        events.push(taro_event(-290, "CONNECT02", 31034, None));
        events.push(taro_event(570, "CONNECT02", 31044, None));
        events.push(taro_event(571, "CONNECT02", 31044, None));
        let mut duplicate = vec![false; events.len()];
        duplicate[events.len() - 1] = true;
        // The first detail of the one flow that matches (the changes that failed in the
        // cloud never reached writeback).
        duplicate[20] = true;
        let keep: Vec<bool> = duplicate.iter().map(|d| !d).collect();
        let ops = crate::model::onprem::assemble(&events, &keep, Duration::minutes(5));
        model.onprem = Some(crate::model::OnpremModel {
            used: keep,
            events,
            duplicate,
            ops,
            edge_ops: Vec::new(),
            spans: Default::default(),
            stretches: Default::default(),
            records_in_period: true,
        });
        let correlation = crate::correlate::correlate(&model, Duration::minutes(5));
        let teller = Teller {
            correlation: correlation.as_ref(),
            ..teller(&model, &[], &[])
        };
        let index = model.onprem.as_ref().map(EventIndex::new);
        let mut told = Vec::new();
        for fi in 0..model.flows.len() {
            let without = serde_json::to_value(teller.flow(fi)).expect("json");
            let with = serde_json::to_value(teller.flow_with(fi, index.as_ref())).expect("json");
            assert_eq!(with, without, "flow {fi}");
            let count = |key: &str| without["onprem"][key].as_array().map_or(0, Vec::len);
            told.push((count("events"), count("nearby")));
        }
        // d: start, failure, its TrackingId two hours on and the detail at the window's edge
        // (the first is a duplicate, the last outside); the rest: the connectivity errors near
        // them, the first flow's at its window's edge too.
        assert_eq!(told, [(0, 2), (0, 1), (0, 1), (4, 0)]);
    }

    /// A record of `activity` at `minute` of 2026-10-03 (UTC) for taro, failed with `reason`
    /// when it is not empty.
    fn record(minute: i64, id: &str, activity: &str, reason: &str) -> AuditRecord {
        let mut r = change(minute, id, !reason.is_empty());
        r.activity = activity.into();
        r.reason = reason.into();
        r
    }

    /// A model whose flows are made of `records`, grouped by CorrelationId in order.
    fn model_of(records: Vec<AuditRecord>) -> Model {
        let mut model = Model::empty(chrono_tz::UTC);
        let mut ids: Vec<String> = records
            .iter()
            .map(|r| r.correlation_id.to_string())
            .collect();
        ids.dedup();
        for id in ids {
            let idx: Vec<usize> = (0..records.len())
                .filter(|&i| *records[i].correlation_id == *id)
                .collect();
            let refs: Vec<&AuditRecord> = idx.iter().map(|&i| &records[i]).collect();
            model.flows.push(
                crate::model::flow::assemble(
                    &id,
                    &refs,
                    &idx,
                    &crate::model::flow::BlockReasons::of(refs.iter().copied()),
                )
                .expect("flow"),
            );
        }
        model.records = records;
        model
    }

    fn teller<'a>(
        model: &'a Model,
        outages: &'a [Outage],
        throttle: &'a [ThrottleRow],
    ) -> Teller<'a> {
        Teller {
            model,
            correlation: None,
            outages,
            throttle,
            window: Duration::minutes(5),
            lang: Lang::En,
        }
    }

    fn at(minute: i64) -> DateTime<Utc> {
        change(minute, "x", false).time
    }

    fn codes(f: &FlowTrace) -> Vec<&str> {
        f.diagnosis.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn writeback_stopped_only_for_flows_that_reached_writeback() {
        let model = model_of(vec![
            record(
                1,
                "not-enabled",
                crate::model::audit::activity::PROGRESS,
                "Password reset is not enabled for this user",
            ),
            record(
                2,
                "change",
                crate::model::audit::activity::CHANGE,
                "FuzzyPolicyViolationInvalidPassword",
            ),
        ]);
        let outages = [Outage {
            computer: "CONNECT01".into(),
            from: at(0),
            to: Some(at(30)),
            log_end: None,
        }];
        let t = teller(&model, &outages, &[]);
        let not_enabled = t.flow(0).expect("flow");
        assert_eq!(not_enabled.outcome, "failed");
        assert!(
            !codes(&not_enabled).contains(&"check:writeback_stopped"),
            "{:?}",
            codes(&not_enabled)
        );
        let change = t.flow(1).expect("flow");
        assert!(
            codes(&change).contains(&"check:writeback_stopped"),
            "{:?}",
            codes(&change)
        );
    }

    #[test]
    fn an_outage_open_at_the_end_of_the_log_names_no_restart() {
        let model = model_of(vec![record(
            2,
            "change",
            crate::model::audit::activity::CHANGE,
            "FuzzyPolicyViolationInvalidPassword",
        )]);
        let outages = [Outage {
            computer: "CONNECT02".into(),
            from: at(0),
            to: None,
            log_end: Some(at(40)),
        }];
        let f = teller(&model, &outages, &[]).flow(0).expect("flow");
        let d = f
            .diagnosis
            .iter()
            .find(|d| d.code == "check:writeback_stopped")
            .expect("the outage is diagnosed");
        assert!(!d.meaning.contains('?'), "{}", d.meaning);
        assert!(d.meaning.contains("no restart (31015)"), "{}", d.meaning);
        assert!(d.meaning.contains("2026-10-03T09:40:00"), "{}", d.meaning);
    }

    #[test]
    fn a_block_is_the_flows_own_and_in_the_past_tense_once_lifted() {
        let blocked = crate::model::audit::activity::BLOCKED;
        // Blocked on 3 October and again on 30 October: each flow lifts 24 h after its own.
        let mut late = record(
            27 * 24 * 60,
            "late",
            blocked,
            "Blocked from self-service password reset",
        );
        late.result = crate::model::audit::AuditResult::Success;
        let mut early = record(
            0,
            "early",
            blocked,
            "Blocked from self-service password reset",
        );
        early.result = crate::model::audit::AuditResult::Success;
        let model = model_of(vec![early, late]);
        let throttle = throttling::compute(&model, 5, Duration::hours(1)).rows;
        let t = teller(&model, &[], &throttle);
        let block = |i: usize| {
            let f = t.flow(i).expect("flow");
            assert_eq!(f.outcome, "blocked");
            f.diagnosis
                .into_iter()
                .find(|d| d.code == "check:blocked_24h")
                .expect("the block is diagnosed")
                .meaning
        };
        let early = block(0);
        assert!(early.contains("2026-10-04T09:00:00"), "{early}");
        assert!(
            early.contains("was blocked from self-service password reset until"),
            "{early}"
        );
        // 31 October 09:00 is before the period ends (1 November 00:00 UTC): past too.
        let late = block(1);
        assert!(late.contains("2026-10-31T09:00:00"), "{late}");
        let mut model = model;
        model.period.to = chrono::NaiveDate::from_ymd_opt(2026, 10, 30).expect("day");
        let t = teller(&model, &[], &throttle);
        let f = t.flow(1).expect("flow");
        let d = f
            .diagnosis
            .iter()
            .find(|d| d.code == "check:blocked_24h")
            .expect("block");
        assert!(d.meaning.contains("is blocked from"), "{}", d.meaning);
    }

    #[test]
    fn every_failed_flow_gets_a_diagnosis_even_with_an_unknown_reason() {
        let model = model_of(vec![record(
            2,
            "odd",
            crate::model::audit::activity::CHANGE,
            "Something nobody has documented",
        )]);
        let f = teller(&model, &[], &[]).flow(0).expect("flow");
        assert_eq!(codes(&f), ["check:reason_not_in_catalog"]);
        // The reason is on the flow line; free text stays out of the diagnosis.
        assert!(!f.diagnosis[0].meaning.contains("Something nobody"));
        assert_eq!(
            f.diagnosis[0].fix,
            crate::metrics::sspr::unknown_remedy(Lang::En)
        );
    }

    #[test]
    fn a_cloud_only_flow_outside_any_outage_asks_to_check_the_agent() {
        let model = model_of(vec![record(
            2,
            "change",
            crate::model::audit::activity::CHANGE,
            "FuzzyPolicyViolationInvalidPassword",
        )]);
        // The log covers the moment and holds no operation for it: cloud_only.
        let correlation = Correlation {
            per_flow: vec![(OnpremStatus::CloudOnly, None)],
            ..Correlation::default()
        };
        let mut t = teller(&model, &[], &[]);
        t.correlation = Some(&correlation);
        let f = t.flow(0).expect("flow");
        assert_eq!(f.onprem.status, "cloud_only");
        assert!(f.onprem.events.is_empty() && f.onprem.nearby.is_empty());
        assert_eq!(
            codes(&f),
            [
                "FuzzyPolicyViolationInvalidPassword",
                "check:no_onprem_trace"
            ]
        );
        // Inside an outage the stopped service explains it instead.
        let outages = [Outage {
            computer: "CONNECT01".into(),
            from: at(0),
            to: Some(at(30)),
            log_end: None,
        }];
        t.outages = &outages;
        let f = t.flow(0).expect("flow");
        assert_eq!(
            codes(&f),
            [
                "FuzzyPolicyViolationInvalidPassword",
                "check:writeback_stopped"
            ]
        );
    }

    #[test]
    fn date_in_name_takes_the_last_date_of_the_file_name() {
        assert_eq!(
            date_in_name("sample/ActiveUsers_2026-11-01.csv"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert_eq!(
            date_in_name("2026-01-01/users_2026-10-01_2026-10-31.csv"),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 31)
        );
        assert_eq!(date_in_name("users.csv"), None);
    }

    #[test]
    fn check_fills_its_arguments_in_order() {
        let d = check(CHECK_OUTAGE, Lang::En, &["CONNECT01", "t1", "t2"]);
        assert!(d.meaning.starts_with("CONNECT01 logged"), "{}", d.meaning);
        assert!(d.meaning.contains("at t1") && d.meaning.contains("at t2"));
    }
}
