//! The on-premises side of the sample month: the Application logs of the two Entra Connect
//! servers that go with [`sample_month_events`] (reference/onprem.md §1).
//!
//! The logs are built by walking the cloud flows of the sample month. Every flow that reached
//! the writeback stage for a user synced by Entra Connect gets the writeback trail the Japanese
//! support blog shows (`PasswordResetService` 31001, `ADSync` 405/403/405, 31002, then password
//! hash sync `Directory Synchronization` 656/657 about two minutes later), on the server that was
//! active at the time; failures get their 31003/31011 with the 33xxx detail; the writeback outage
//! of the 14th is a 31016…31015 interval with Service Bus errors around it. Around that trail is
//! what a real Application log mostly holds: heartbeats, sync cycles, hash-sync pings and other
//! providers' chatter.
//!
//! The story of the month on-premises:
//! - `CONNECT01` was active until a swing migration on 20 October 09:00 JST; its saved log starts
//!   on the morning of 1 October (the log had wrapped: the oldest retained record is the middle of
//!   a writeback, so one outcome has no start and the first flows of the month are not covered)
//!   and ends at 12:00 on the 20th, when it was exported before decommissioning;
//! - `CONNECT02` left staging mode at 09:00 on the 20th; its log starts at 08:30 that day and
//!   ends at 00:45 on 1 November (a scheduled monthly export);
//! - the writeback service of CONNECT01 lost the Service Bus on the 14th (09:40–10:50 JST), and
//!   the server rebooted for patches at 03:00 on the 15th;
//! - a member of a protected AD group (makoto) is refused on-premises;
//! - a reset the cloud reports as failed with an unknown error was in fact written on-premises
//!   (a disagreement);
//! - on Saturday 31 October at 21:30 an Entra Connect upgrade stopped the service with a
//!   request in flight (pending), and the service was not back before the month ended;
//! - a leaver's account, already deleted on-premises, was reset by a script (no cloud flow in the
//!   exports; `ADUserNotFoundError`).
//!
//! [`OnpremTruth`] is counted while the logs are built, from what was emitted (never by parsing
//! the messages), following design.md §4.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::evtx_writer::EvtxEvent;
use super::sample::sample_month_events;
use super::{Actor, Rng, SynthAuditEvent};

const ONPREM_SEED: u64 = 0x434f_4e4e_2026_1001; // "CONN" 2026-10-01

/// Host name of the Entra Connect server active until the swing migration of 20 October.
pub const CONNECT01: &str = "CONNECT01.corp.contoso.co.jp";
/// Host name of the Entra Connect server active from 20 October 09:00 JST.
pub const CONNECT02: &str = "CONNECT02.corp.contoso.co.jp";

/// The writeback service's event source.
pub const PASSWORD_RESET_SERVICE: &str = "PasswordResetService";
/// The sync engine's event source.
pub const ADSYNC: &str = "ADSync";
/// Password hash sync's event source.
pub const DIRECTORY_SYNCHRONIZATION: &str = "Directory Synchronization";
const SPP: &str = "Microsoft-Windows-Security-SPP";
const ESENT: &str = "ESENT";
const MSSQL: &str = "MSSQL$ADSYNC";
const RESTART_MANAGER: &str = "Microsoft-Windows-RestartManager";
const MSI: &str = "MsiInstaller";

/// `Keywords` of events written through the classic EventLog API (`EventLogClassic`).
pub const KEYWORDS_CLASSIC: u64 = 0x0080_0000_0000_0000;
/// `Keywords` of the manifest-based events here (the Application channel bit only).
pub const KEYWORDS_MANIFEST: u64 = 0x8000_0000_0000_0000;

/// Event levels.
const ERROR: u8 = 2;
const WARNING: u8 = 3;
const INFO: u8 = 4;

/// 2026-10-01T00:00:00+09:00 as Unix seconds (Japan has no daylight saving time).
const OCT1_JST: i64 = 1_790_780_400;

/// `--match-window` the truth is computed for.
const MATCH_WINDOW: TimeDelta = TimeDelta::minutes(5);

const AD_DOMAIN: &str = "CORP.CONTOSO.CO.JP";
const PARTITION: &str = "corp.contoso.co.jp";
const TENANT_NAME: &str = "contosojp.onmicrosoft.com";
/// The AD DS connector account of each server (a new installation gets its own).
const MSOL: [&str; 2] = ["MSOL_3f9c2e7a1b5d", "MSOL_8a41d07c2e96"];
/// The AD connector's id on each server (the `<connector-id>` of password hash sync events).
const CONNECTOR_ID: [&str; 2] = [
    "b891884f-051e-4a83-95af-2544101c9083",
    "4c2a7d19-8e3b-4f06-a1d5-93e0b7c46f28",
];
/// First record id of each saved log: CONNECT01's log had wrapped long ago, CONNECT02 is new.
const FIRST_RECORD_ID: [u64; 2] = [481_227, 1_864];

/// The user whose request was in flight when the service stopped on 31 October.
const PENDING_USER: &str = "kaori.sakamoto@contoso.co.jp";
/// A leaver: deleted on-premises, still in the cloud, reset by a script.
const LEAVER: (&str, &str) = ("akira.fujii@contoso.co.jp", "藤井 明");
/// The helpdesk account, used when the audit log names no admin.
const HELPDESK_FALLBACK: &str = "satoko.nishida@contoso.co.jp";

// Cloud vocabulary (formats.md §2; the same strings sample.rs writes).
const SSPR_SERVICE: &str = "Self-service Password Management";
const PROGRESS: &str = "Self-service password reset flow activity progress";
const RESET_SELF: &str = "Reset password (self-service)";
const RESET_ADMIN: &str = "Reset password (by admin)";
const CHANGE_SELF: &str = "Change password (self-service)";
const UNLOCK_SELF: &str = "Unlock user account (self-service)";
const BLOCKED: &str = "Blocked from self-service password reset";
const SSPR_REGISTRATION: [&str; 2] = [
    "User registered for self-service password reset",
    "Security info saved for self-service password reset",
];
const SUBMITTED: &str = "User submitted a new password";
const RESET_DONE: &str = "User successfully reset password";
const RESET_USER_PASSWORD: &str = "Reset user password";
const CHANGE_USER_PASSWORD: &str = "Change user password";
/// Failure reasons that mean "the Connect server could not be reached".
const CONNECTIVITY_REASONS: [&str; 2] = [
    "We could not reach your on-premises password reset service",
    "OnPremisesConnectivityError",
];
/// The failure reason that means "the Connect server refused the password".
const ONPREM_PROBLEM_REASON: &str = "problem while resetting the user's on-premises password";
/// The cloud's unknown error: the password was in fact written on-premises.
const UNKNOWN_REASON: &str = "An unexpected error occurred while processing the password reset";

/// One event of the Connect server's Application log.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOnpremEvent {
    /// `EventRecordID`, increasing in each computer's log.
    pub record_id: u64,
    /// `TimeCreated/@SystemTime`, on 100 ns ticks.
    pub time: DateTime<Utc>,
    /// `Computer` (fully qualified, as Windows logs it).
    pub computer: String,
    /// `Provider/@Name` (the event source).
    pub provider: String,
    /// `EventID` (the low 16 bits).
    pub event_id: u16,
    /// `EventID/@Qualifiers`: `Some` for classic events, `None` for manifest events.
    pub qualifiers: Option<u16>,
    /// `Level`: 2 error, 3 warning, 4 information.
    pub level: u8,
    /// `Task` (the classic category).
    pub task: u16,
    /// The unnamed `<Data>` items (insertion strings); the writeback sources log one string.
    pub data: Vec<String>,
}

impl SynthOnpremEvent {
    /// The message as the exports render it: the data items joined with `"\n"` (the synthetic
    /// events have no message templates, so the insertion strings are the message).
    pub fn message(&self) -> String {
        self.data.join("\n")
    }

    /// `Keywords`: classic events carry `EventLogClassic`, manifest events the channel bit.
    pub fn keywords(&self) -> u64 {
        if self.qualifiers.is_some() {
            KEYWORDS_CLASSIC
        } else {
            KEYWORDS_MANIFEST
        }
    }

    /// The event as the EVTX writer takes it (channel `Application`).
    pub fn to_evtx(&self) -> EvtxEvent {
        EvtxEvent {
            record_id: self.record_id,
            time: self.time,
            provider: self.provider.clone(),
            event_id: self.event_id,
            qualifiers: self.qualifiers,
            level: self.level,
            task: self.task,
            keywords: self.keywords(),
            channel: "Application".to_owned(),
            computer: self.computer.clone(),
            data: self.data.clone(),
        }
    }
}

/// What the report must say about [`sample_month_onprem`] for October 2026 in Asia/Tokyo with
/// `--match-window 5m` (design.md §4 "On-prem operation", "Writeback health", "Correlation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct OnpremTruth {
    /// Operations: start events (31001, 31006, 31009) plus outcomes whose start is missing
    /// (design §4: "an outcome with no start still counts"), so that
    /// requests = succeeded + failed + pending.
    pub requests: u64,
    /// Success events (31002, 31007, 31010).
    pub succeeded: u64,
    /// Failure events (31003, 31008, 31011).
    pub failed: u64,
    /// Starts without an outcome.
    pub pending: u64,
    /// 31016 events.
    pub service_stops: u64,
    /// Intervals from a 31016 to the next 31015 of the same computer (open at the end of data).
    pub outages: u64,
    /// 31034, 31044, 32001, 32002, 32011, 32013 events.
    pub connectivity_errors: u64,
    /// 32014 events.
    pub servicebus_warnings: u64,
    /// 6329, 6800, 32005, 32007, 32009, 33009 events and ADSync `hr=` errors.
    pub config_errors: u64,
    /// Candidate flows matched to an on-prem operation.
    pub matched: u64,
    /// Candidate flows whose time a log covers, with no operation.
    pub cloud_only: u64,
    /// Operations with no flow.
    pub onprem_only: u64,
    /// Candidate flows whose time no log covers.
    pub not_checked: u64,
    /// Matched pairs whose outcomes differ.
    pub disagreements: u64,
}

/// The Connect servers' logs that go with [`sample_month_events`], per computer (CONNECT01,
/// CONNECT02), each sorted by time with increasing record ids.
pub fn sample_month_onprem() -> Vec<(String, Vec<SynthOnpremEvent>)> {
    build().logs
}

/// What the report must say about [`sample_month_onprem`] (computed while building it).
pub fn sample_month_onprem_truth() -> OnpremTruth {
    build().truth
}

// ---------------------------------------------------------------------------------------------
// The cloud side, read the way design.md §4 defines it
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FlowKind {
    Reset,
    Change,
    AdminReset,
    Unlock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CloudOutcome {
    Succeeded,
    Failed,
    Blocked,
    Abandoned,
}

/// One cloud flow with what the on-prem scenario needs from it.
#[derive(Debug, Clone)]
pub(super) struct CloudFlow {
    corr: String,
    pub kind: FlowKind,
    pub outcome: CloudOutcome,
    /// User key: the target's UPN, lower case.
    pub user: String,
    pub first: DateTime<Utc>,
    last: DateTime<Utc>,
    /// Reached the writeback stage (a `User submitted a new password` step or a record of the
    /// kind's final activity).
    candidate: bool,
    /// An admin reset with `OnPremisesAgent` = `None`: known to be cloud-only.
    cloud_only_admin: bool,
    /// The administrator of an admin reset.
    admin: Option<String>,
    /// The last `User submitted a new password` step.
    submitted: Option<DateTime<Utc>>,
    /// The success record of the final activity.
    final_success: Option<DateTime<Utc>>,
    /// The Core Directory password write of the flow (`Reset user password` / `Change user password`).
    core_write: Option<DateTime<Utc>>,
    /// The last failure record: time and reason.
    failure: Option<(DateTime<Utc>, String)>,
}

impl CloudFlow {
    /// Candidate for correlation (design §4): reached writeback and not known cloud-only.
    /// Unlocks are not: no on-prem operation kind exists for them (PasswordResetService logs
    /// none that is documented), so as candidates they could only ever be `cloud_only`.
    fn applicable(&self) -> bool {
        self.candidate && !self.cloud_only_admin && self.kind != FlowKind::Unlock
    }

    /// A correlation candidate once the licence list is read too: not refused by the cloud,
    /// and its user is not cloud-only.
    fn correlated(&self, cloud_only_users: &std::collections::BTreeSet<String>) -> bool {
        self.applicable() && !self.refused_in_cloud() && !cloud_only_users.contains(&self.user)
    }

    /// Refused by the cloud's banned-password check, before any writeback.
    fn refused_in_cloud(&self) -> bool {
        matches!(self.outcome, CloudOutcome::Failed | CloudOutcome::Blocked)
            && self.failure.as_ref().is_some_and(|(_, reason)| {
                [super::sample::R_FUZZY, super::sample::R_FUZZY_ALT].contains(&reason.as_str())
            })
    }
}

fn actor_upn(actor: &Actor) -> Option<&str> {
    match actor {
        Actor::User { upn, .. } => Some(upn),
        Actor::App { .. } => None,
    }
}

/// Groups the audit records into flows (design §4: a CorrelationId with at least one record of
/// the SSPR service that is not a registration).
pub(super) fn cloud_flows(events: &[SynthAuditEvent]) -> Vec<CloudFlow> {
    let mut groups: BTreeMap<&str, Vec<&SynthAuditEvent>> = BTreeMap::new();
    for e in events {
        groups.entry(e.correlation_id.as_str()).or_default().push(e);
    }
    let mut flows = Vec::new();
    for (corr, mut recs) in groups {
        recs.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
        let Some(first_sspr) = recs.iter().find(|e| {
            e.service == SSPR_SERVICE && !SSPR_REGISTRATION.contains(&e.activity.as_str())
        }) else {
            continue;
        };
        let has = |a: &str| recs.iter().any(|e| e.activity == a);
        let (kind, final_activity) = if has(RESET_ADMIN) {
            (FlowKind::AdminReset, RESET_ADMIN)
        } else if has(CHANGE_SELF) {
            (FlowKind::Change, CHANGE_SELF)
        } else if has(RESET_SELF) {
            (FlowKind::Reset, RESET_SELF)
        } else if has(UNLOCK_SELF) {
            (FlowKind::Unlock, UNLOCK_SELF)
        } else {
            (FlowKind::Reset, RESET_SELF)
        };
        let failed_record = |e: &&&SynthAuditEvent| e.result == "failure";
        let outcome = if has(BLOCKED)
            || recs
                .iter()
                .any(|e| e.result == "failure" && e.reason.contains("blocked for 24 hours"))
        {
            CloudOutcome::Blocked
        } else if recs.iter().any(|e| {
            (e.activity == final_activity && e.result == "success")
                || (e.activity == PROGRESS && e.reason.trim() == RESET_DONE)
        }) {
            CloudOutcome::Succeeded
        } else if recs.iter().any(|e| {
            (e.activity == final_activity || e.activity == PROGRESS) && e.result == "failure"
        }) {
            CloudOutcome::Failed
        } else {
            CloudOutcome::Abandoned
        };
        let user = first_sspr
            .targets
            .iter()
            .find_map(|t| t.upn.clone())
            .or_else(|| actor_upn(&first_sspr.actor).map(str::to_owned))
            .unwrap_or_default()
            .to_lowercase();
        let submitted = recs
            .iter()
            .filter(|e| e.activity == PROGRESS && e.reason.trim() == SUBMITTED)
            .map(|e| e.time)
            .next_back();
        let admin_record = recs.iter().find(|e| e.activity == RESET_ADMIN);
        flows.push(CloudFlow {
            corr: corr.to_owned(),
            kind,
            outcome,
            user,
            first: recs.first().map_or(first_sspr.time, |e| e.time),
            last: recs.last().map_or(first_sspr.time, |e| e.time),
            candidate: submitted.is_some() || has(final_activity),
            cloud_only_admin: admin_record.is_some_and(|e| {
                e.additional_details
                    .iter()
                    .any(|(k, v)| k == "OnPremisesAgent" && v == "None")
            }),
            admin: admin_record
                .and_then(|e| actor_upn(&e.actor))
                .map(str::to_owned),
            submitted,
            final_success: recs
                .iter()
                .find(|e| e.activity == final_activity && e.result == "success")
                .map(|e| e.time),
            core_write: recs
                .iter()
                .find(|e| e.activity == RESET_USER_PASSWORD || e.activity == CHANGE_USER_PASSWORD)
                .map(|e| e.time),
            failure: recs
                .iter()
                .filter(failed_record)
                .map(|e| (e.time, e.reason.trim().to_owned()))
                .next_back(),
        });
    }
    flows.sort_by(|a, b| a.first.cmp(&b.first).then_with(|| a.corr.cmp(&b.corr)));
    flows
}

/// A user synced by Entra Connect, as the on-prem events name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyncedUser {
    pub upn: String,
    /// Entra object id (`cloudAnchor: User_<id>`).
    pub object_id: String,
    /// Display name, also the AD common name.
    pub display: String,
}

/// Users synced by Entra Connect: the targets of the Connect sync account's records (attribute
/// exports and password hash sync), which is also what the report could learn from the log.
fn connect_users(events: &[SynthAuditEvent]) -> BTreeMap<String, SyncedUser> {
    let mut users = BTreeMap::new();
    for e in events {
        let by_sync = actor_upn(&e.actor).is_some_and(|u| u.starts_with("Sync_"));
        if !by_sync {
            continue;
        }
        for t in &e.targets {
            if let (Some(upn), "User") = (&t.upn, t.kind.as_str()) {
                users
                    .entry(upn.to_lowercase())
                    .or_insert_with(|| SyncedUser {
                        upn: upn.clone(),
                        object_id: t.id.clone(),
                        display: t.display_name.clone().unwrap_or_else(|| upn.clone()),
                    });
            }
        }
    }
    users
}

/// Times of the password hash sync record (`Change user password` by the sync account) per user.
fn hash_sync_times(events: &[SynthAuditEvent]) -> BTreeMap<String, Vec<DateTime<Utc>>> {
    let mut out: BTreeMap<String, Vec<DateTime<Utc>>> = BTreeMap::new();
    for e in events {
        let by_sync = actor_upn(&e.actor).is_some_and(|u| u.starts_with("Sync_"));
        if by_sync && e.activity == CHANGE_USER_PASSWORD {
            for t in &e.targets {
                if let Some(upn) = &t.upn {
                    out.entry(upn.to_lowercase()).or_default().push(e.time);
                }
            }
        }
    }
    for times in out.values_mut() {
        times.sort();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writeback operations
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpKind {
    Reset,
    Change,
    AdminReset,
}

impl OpKind {
    fn of(kind: FlowKind) -> Option<OpKind> {
        match kind {
            FlowKind::Reset => Some(OpKind::Reset),
            FlowKind::Change => Some(OpKind::Change),
            FlowKind::AdminReset => Some(OpKind::AdminReset),
            // Unlock has no documented writeback event.
            FlowKind::Unlock => None,
        }
    }

    /// (start, success, failure) event IDs.
    fn ids(self) -> (u16, u16, u16) {
        match self {
            OpKind::Reset => (31001, 31002, 31003),
            OpKind::Change => (31006, 31007, 31008),
            OpKind::AdminReset => (31009, 31010, 31011),
        }
    }
}

/// The detailed error of a failed operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// 33008 and ADSync 6329 (0x80230619): the domain's password policy.
    Policy,
    /// 33004: a protected account (adminCount=1), self-service.
    Privileged,
    /// 33004: a protected account, admin reset.
    AgentDenied,
    /// 33002: no such user on-premises.
    NotFound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpEnd {
    Success,
    Fail(Detail),
    /// No outcome was ever logged.
    Pending,
}

/// One planned writeback operation.
#[derive(Debug, Clone)]
struct Op {
    kind: OpKind,
    /// 0 = CONNECT01, 1 = CONNECT02.
    computer: usize,
    user: SyncedUser,
    admin: Option<String>,
    start: DateTime<Utc>,
    outcome: DateTime<Utc>,
    end: OpEnd,
    /// Index into the flows.
    flow: Option<usize>,
    tracking_id: String,
    /// `UserPrincipalName <upn>` without the colon (a real-world variant of 31010).
    upn_without_colon: bool,
}

/// What part of an operation an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpRole {
    Start,
    Outcome,
}

/// An event before record ids are given.
#[derive(Debug, Clone)]
struct Draft {
    time: DateTime<Utc>,
    provider: &'static str,
    event_id: u16,
    level: u8,
    data: Vec<String>,
    op: Option<(usize, OpRole)>,
    /// An ADSync `hr=` error (counted as a configuration error).
    hr_error: bool,
}

/// A half-open time interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Span {
    fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Span {
        Span { from, to }
    }

    fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// When each service of each computer runs: the noise follows it.
#[derive(Debug, Clone)]
struct Timeline {
    /// Time range of each saved log.
    log: [Span; 2],
    /// The writeback service listens (heartbeats).
    writeback: [Vec<Span>; 2],
    /// The ADSync service runs (sync cycles; LocalDB).
    adsync: [Vec<Span>; 2],
    /// Password hash sync runs (active server only).
    hash_sync: [Vec<Span>; 2],
}

fn within(spans: &[Span], t: DateTime<Utc>) -> bool {
    spans.iter().any(|s| s.contains(t))
}

/// `spans` with `hole` cut out.
fn minus(spans: &[Span], hole: Span) -> Vec<Span> {
    let mut out = Vec::new();
    for s in spans {
        if hole.to <= s.from || hole.from >= s.to {
            out.push(*s);
            continue;
        }
        if s.from < hole.from {
            out.push(Span::new(s.from, hole.from));
        }
        if hole.to < s.to {
            out.push(Span::new(hole.to, s.to));
        }
    }
    out
}

/// Everything built at once: the logs, the truth, and (for the tests) the plan behind them.
pub(super) struct Scenario {
    pub logs: Vec<(String, Vec<SynthOnpremEvent>)>,
    pub truth: OnpremTruth,
    #[cfg_attr(not(test), allow(dead_code))]
    flows: Vec<CloudFlow>,
    #[cfg_attr(not(test), allow(dead_code))]
    ops: Vec<Op>,
    /// Per operation: (start logged, outcome logged).
    #[cfg_attr(not(test), allow(dead_code))]
    logged: Vec<(bool, bool)>,
    #[cfg_attr(not(test), allow(dead_code))]
    timeline: Timeline,
}

/// Builds the whole scenario (deterministic: fixed seed, ordered maps only).
/// The calendar of a Connect-server log: the period's length and the days of its incidents
/// (CONNECT01 → CONNECT02 swing, the patch reboot, the leaver's reset…), all JST days counted
/// from the period's first day (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    /// Days in the period.
    pub days: i64,
    /// Day of the swing migration (09:00).
    pub swing: i64,
    /// Day of the patch reboot (03:00).
    pub reboot: i64,
    /// Day of the leaver's scripted reset and a Service Bus warning.
    pub leaver: i64,
    /// Days of two lone events a tool must keep.
    pub early: i64,
    /// See `early`.
    pub late: i64,
}

impl Shape {
    /// October 2026 of the sample.
    pub const SAMPLE: Shape = Shape {
        days: 31,
        swing: 20,
        reboot: 15,
        leaver: 27,
        early: 8,
        late: 23,
    };

    /// A period of `days` days (at least 7) with the incidents spread the same way.
    pub fn for_days(days: i64) -> Shape {
        let days = days.max(7);
        Shape {
            days,
            swing: days * 2 / 3,
            reboot: days / 2,
            leaver: days - 4,
            early: days / 4,
            late: days * 3 / 4,
        }
    }
}

fn build() -> Scenario {
    let events = sample_month_events();
    let users = connect_users(&events);
    // The Active users list beside the sample says which users are cloud-only.
    let cloud_only_users = super::sample::sample_directory()
        .2
        .into_iter()
        .filter(|u| !u.synced)
        .map(|u| u.upn.to_lowercase())
        .collect();
    build_with(
        &events,
        users,
        &cloud_only_users,
        &Shape::SAMPLE,
        ONPREM_SEED,
    )
}

/// The two Connect servers' logs for the cloud `events` of a period of `shape`, with the users
/// Entra Connect syncs; `Scenario::truth` counts what the report must say (the licence list
/// beside the logs shows `cloud_only_users` as not synced: their flows are not applicable).
pub(super) fn build_with(
    events: &[SynthAuditEvent],
    users: BTreeMap<String, SyncedUser>,
    cloud_only_users: &std::collections::BTreeSet<String>,
    shape: &Shape,
    seed: u64,
) -> Scenario {
    let flows = cloud_flows(events);
    let phs = hash_sync_times(events);
    let mut rng = Rng::new(seed);

    let swing = jst(shape.swing, 9, 0);
    let ops_plan = plan_operations(&flows, &users, events, swing, shape, &mut rng);
    let Plan {
        mut ops,
        outages,
        cut,
    } = ops_plan;

    // The saved logs' ranges. CONNECT01's oldest retained record is just after the start of
    // the cut operation (the log wraps), so that operation keeps its outcome only.
    let c1_first = cut.map_or(jst(1, 0, 0), |i| ops[i].start + ticks(1));
    let c2_stop = jst(shape.days, 21, 30) + ms(rng.range(1_000, 4_000));
    let timeline = {
        let log = [
            Span::new(c1_first, jst(shape.swing, 12, 0)),
            Span::new(jst(shape.swing, 8, 30), jst(shape.days + 1, 0, 45)),
        ];
        let reboot = Span::new(jst(shape.reboot, 3, 1), jst(shape.reboot, 3, 7));
        let c1_active = Span::new(jst(1, 0, 0), swing);
        let c2_writeback_from = swing + TimeDelta::seconds(31);
        let mut wb1 = minus(&[c1_active], reboot);
        for o in &outages {
            wb1 = minus(&wb1, *o);
        }
        Timeline {
            log,
            writeback: [wb1, vec![Span::new(c2_writeback_from, c2_stop)]],
            adsync: [
                minus(
                    &[Span::new(jst(0, 0, 0), jst(shape.swing + 1, 0, 0))],
                    reboot,
                ),
                vec![Span::new(jst(shape.swing, 0, 0), c2_stop)],
            ],
            hash_sync: [
                minus(&[c1_active], reboot),
                vec![Span::new(c2_writeback_from, c2_stop)],
            ],
        }
    };

    // The pending request of 31 October: in flight when the upgrade stopped the service.
    if let Some(user) = users.get(PENDING_USER).cloned() {
        let start = c2_stop - ms(rng.range(6_000, 14_000));
        ops.push(Op {
            kind: OpKind::Reset,
            computer: 1,
            user,
            admin: None,
            start,
            outcome: start,
            end: OpEnd::Pending,
            flow: None,
            tracking_id: rng.guid(),
            upn_without_colon: false,
        });
    }

    let mut drafts: [Vec<Draft>; 2] = [Vec::new(), Vec::new()];
    for (i, op) in ops.iter().enumerate() {
        emit_operation(&mut drafts[op.computer], i, op, &phs, &mut rng);
    }
    emit_incidents(&mut drafts, &outages, swing, c2_stop, shape, &mut rng);
    for (c, list) in drafts.iter_mut().enumerate() {
        emit_noise(list, c, &timeline, shape, &mut rng);
    }

    // Keep what each saved log holds, order it, number it.
    let mut logs = Vec::new();
    let mut logged = vec![(false, false); ops.len()];
    let mut kept_drafts: Vec<Vec<Draft>> = Vec::new();
    for (c, list) in drafts.into_iter().enumerate() {
        let range = timeline.log[c];
        let mut kept: Vec<Draft> = list
            .into_iter()
            .filter(|d| range.contains(d.time))
            .collect();
        // Stable: equal times keep their emission order (start before outcome).
        kept.sort_by_key(|e| e.time);
        for d in &kept {
            if let Some((i, role)) = d.op {
                match role {
                    OpRole::Start => logged[i].0 = true,
                    OpRole::Outcome => logged[i].1 = true,
                }
            }
        }
        let computer = [CONNECT01, CONNECT02][c];
        let events: Vec<SynthOnpremEvent> = kept
            .iter()
            .enumerate()
            .map(|(n, d)| SynthOnpremEvent {
                record_id: FIRST_RECORD_ID[c] + n as u64,
                time: d.time,
                computer: computer.to_owned(),
                provider: d.provider.to_owned(),
                event_id: d.event_id,
                qualifiers: qualifiers(d.provider, d.level),
                level: d.level,
                task: task(d.provider),
                data: d.data.clone(),
            })
            .collect();
        logs.push((computer.to_owned(), events));
        kept_drafts.push(kept);
    }

    let truth = count_truth(
        &flows,
        cloud_only_users,
        &ops,
        &logged,
        &logs,
        &kept_drafts,
        shape,
    );
    Scenario {
        logs,
        truth,
        flows,
        ops,
        logged,
        timeline,
    }
}

/// The operations planned from the flows, the outage intervals, and the operation whose start
/// falls before CONNECT01's log.
struct Plan {
    ops: Vec<Op>,
    outages: Vec<Span>,
    cut: Option<usize>,
}

fn plan_operations(
    flows: &[CloudFlow],
    users: &BTreeMap<String, SyncedUser>,
    events: &[SynthAuditEvent],
    swing: DateTime<Utc>,
    shape: &Shape,
    rng: &mut Rng,
) -> Plan {
    let computer_at = |t: DateTime<Utc>| usize::from(t >= swing);
    let reason_of = |f: &CloudFlow| {
        f.failure
            .as_ref()
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };

    // Flows that failed because the Connect server was unreachable: they make the outages.
    let mut connectivity: Vec<&CloudFlow> = flows
        .iter()
        .filter(|f| f.applicable() && f.outcome == CloudOutcome::Failed)
        .filter(|f| {
            let r = reason_of(f);
            CONNECTIVITY_REASONS.iter().any(|c| r.contains(c))
        })
        .collect();
    connectivity.sort_by_key(|f| f.first);
    let mut outages: Vec<Span> = Vec::new();
    for f in connectivity {
        match outages.last_mut() {
            // One incident while failures keep coming within two hours of each other.
            Some(o) if f.first - o.to < TimeDelta::hours(2) => {
                o.to = o.to.max(f.last + TimeDelta::minutes(18));
            }
            _ => outages.push(Span::new(
                f.first - ms(rng.range(240_000, 330_000)),
                f.last + TimeDelta::minutes(18),
            )),
        }
    }

    let mut ops: Vec<Op> = Vec::new();
    let mut problem_resets = 0usize;
    for (i, f) in flows.iter().enumerate() {
        if !f.applicable() {
            continue;
        }
        // Users synced by Cloud Sync or created in the cloud never reach a Connect server.
        let Some(user) = users.get(&f.user) else {
            continue;
        };
        let Some(kind) = OpKind::of(f.kind) else {
            continue;
        };
        let reason = reason_of(f);
        let end = match f.outcome {
            CloudOutcome::Succeeded => OpEnd::Success,
            CloudOutcome::Failed if reason.contains(ONPREM_PROBLEM_REASON) => {
                if kind == OpKind::AdminReset {
                    OpEnd::Fail(Detail::AgentDenied)
                } else {
                    let details = [Detail::Policy, Detail::Privileged, Detail::NotFound];
                    problem_resets += 1;
                    OpEnd::Fail(details[(problem_resets - 1) % details.len()])
                }
            }
            // The cloud gave up with an unknown error, but the password was written.
            CloudOutcome::Failed if reason.starts_with(UNKNOWN_REASON) => OpEnd::Success,
            // Banned passwords are refused in the cloud, before any writeback; unreachable
            // servers log nothing (the outage).
            _ => continue,
        };
        let Some((start, outcome)) = op_times(f, kind, end, rng) else {
            continue;
        };
        ops.push(Op {
            kind,
            computer: computer_at(start),
            user: user.clone(),
            admin: f.admin.clone(),
            start,
            outcome,
            end,
            flow: Some(i),
            tracking_id: rng.guid(),
            upn_without_colon: false,
        });
    }

    // The last successful admin reset logs `UserPrincipalName <upn>` without the colon.
    if let Some(op) = ops
        .iter_mut()
        .rev()
        .find(|op| op.kind == OpKind::AdminReset && op.end == OpEnd::Success)
    {
        op.upn_without_colon = true;
    }

    // The leaver reset by a script: no cloud flow in the exports.
    let helpdesk = events
        .iter()
        .filter(|e| e.activity == RESET_ADMIN)
        .filter_map(|e| actor_upn(&e.actor))
        .find(|u| u.ends_with("@contoso.co.jp"))
        .unwrap_or(HELPDESK_FALLBACK)
        .to_owned();
    let start = jst(shape.leaver, 16, 20) + ms(rng.range(0, 59_000));
    let outcome = start + ms(rng.range(2_500, 4_500));
    ops.push(Op {
        kind: OpKind::AdminReset,
        computer: computer_at(start),
        user: SyncedUser {
            upn: LEAVER.0.to_owned(),
            object_id: rng.guid(),
            display: LEAVER.1.to_owned(),
        },
        admin: Some(helpdesk),
        start,
        outcome,
        end: OpEnd::Fail(Detail::NotFound),
        flow: None,
        tracking_id: rng.guid(),
        upn_without_colon: false,
    });

    // Where CONNECT01's saved log begins: inside the first successful reset that has at least
    // one candidate flow before it and no other candidate flow spanning it, so that the log
    // holds an outcome without its start and the earliest flows are not covered.
    let cut = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| {
            op.computer == 0
                && op.kind == OpKind::Reset
                && op.end == OpEnd::Success
                && op.flow.is_some()
        })
        .find(|(_, op)| {
            let t = op.start;
            let before = flows
                .iter()
                .filter(|f| f.applicable() && f.last + MATCH_WINDOW < t)
                .count();
            let spanning = flows.iter().enumerate().any(|(i, f)| {
                f.applicable()
                    && Some(i) != op.flow
                    && f.first - MATCH_WINDOW <= t
                    && t <= f.last + MATCH_WINDOW
            });
            before >= 1 && !spanning
        })
        .map(|(i, _)| i);

    Plan { ops, outages, cut }
}

/// (start, outcome) of the operation that writes back `f` (None when the flow lacks the records
/// the timing is anchored on).
fn op_times(
    f: &CloudFlow,
    kind: OpKind,
    end: OpEnd,
    rng: &mut Rng,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    match (kind, end) {
        (OpKind::Reset, OpEnd::Success) => {
            let submitted = f.submitted?;
            match f.final_success {
                // 31001 one to three seconds after the submit, 31002 just before the cloud
                // records the success (the cloud waits for the Connect server's answer).
                Some(done) => {
                    let span = (done - submitted).num_milliseconds().max(1_000) as u64;
                    let latest = (span - 600).min(3_000);
                    let start = submitted + ms(rng.range(latest.min(1_000), latest));
                    let outcome = done - ms(rng.range(150, 450));
                    Some((start, outcome.max(start + ms(300))))
                }
                // The cloud reported a failure, but the Connect server finished the write.
                None => {
                    let start = submitted + ms(rng.range(1_000, 3_000));
                    Some((start, start + ms(rng.range(1_200, 2_500))))
                }
            }
        }
        (OpKind::Reset, OpEnd::Fail(_)) => {
            let submitted = f.submitted?;
            let (failed_at, _) = f.failure.clone()?;
            let start = submitted + ms(rng.range(1_000, 3_000));
            let outcome = (failed_at - ms(rng.range(1_000, 3_000))).max(start + ms(800));
            Some((start, outcome))
        }
        (OpKind::Change | OpKind::AdminReset, OpEnd::Success) => {
            // The on-prem write happens before the cloud's own password write is logged.
            let written = f.core_write?;
            let start = written - ms(rng.range(1_200, 2_500));
            let outcome = written - ms(rng.range(100, 500));
            Some((start, outcome))
        }
        (OpKind::Change | OpKind::AdminReset, OpEnd::Fail(_)) => {
            let (failed_at, _) = f.failure.clone()?;
            let start = failed_at - ms(rng.range(5_000, 7_000));
            let outcome = failed_at - ms(rng.range(1_000, 2_000));
            Some((start, outcome))
        }
        (_, OpEnd::Pending) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Event texts (reference/onprem.md §1.3–§1.5)
// ---------------------------------------------------------------------------------------------

fn draft(
    time: DateTime<Utc>,
    provider: &'static str,
    event_id: u16,
    level: u8,
    text: String,
) -> Draft {
    Draft {
        time,
        provider,
        event_id,
        level,
        data: vec![text],
        op: None,
        hr_error: false,
    }
}

/// Classic events carry qualifiers (the severity bits for sources with message files that use
/// them); the one manifest provider here has none.
fn qualifiers(provider: &str, level: u8) -> Option<u16> {
    match provider {
        RESTART_MANAGER => None,
        SPP | MSSQL => Some(if level == ERROR { 49_152 } else { 16_384 }),
        _ => Some(0),
    }
}

/// The classic category: SQL Server logs under `Server` (2), ESENT under `General` (1).
fn task(provider: &str) -> u16 {
    match provider {
        MSSQL => 2,
        ESENT => 1,
        _ => 0,
    }
}

/// Base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The user's source anchor (`ms-DS-ConsistencyGuid`, base64): stable per user.
fn source_anchor(user: &SyncedUser) -> String {
    let mut r = Rng::new(fnv1a(user.upn.to_lowercase().as_bytes()));
    let (a, b) = (r.next_u64(), r.next_u64());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..].copy_from_slice(&b.to_le_bytes());
    base64(&bytes)
}

fn distinguished_name(user: &SyncedUser) -> String {
    format!(
        "CN={},OU=Users,OU=Tokyo,DC=corp,DC=contoso,DC=co,DC=jp",
        user.display.replace(',', "\\,")
    )
}

/// The `<forest-info>` fragment password hash sync appends to its messages.
fn forest_info(computer: usize) -> String {
    format!(
        "<forest-info>\r\n  <partition-name>{PARTITION}</partition-name>\r\n  <connector-id>{}</connector-id>\r\n</forest-info>",
        CONNECTOR_ID[computer]
    )
}

/// `Context: cloudAnchor: …, SourceAnchorValue: …[, AdminUpn: …], UserPrincipalName[:] …`
fn context(op: &Op) -> String {
    let mut s = format!(
        "Context: cloudAnchor: User_{}, SourceAnchorValue: {}",
        op.user.object_id,
        source_anchor(&op.user)
    );
    if let Some(admin) = &op.admin {
        s.push_str(&format!(", AdminUpn: {admin}"));
    }
    let colon = if op.upn_without_colon { "" } else { ":" };
    s.push_str(&format!(", UserPrincipalName{colon} {}", op.user.upn));
    s
}

fn start_text(op: &Op) -> String {
    match op.kind {
        // As the Japanese support blog shows it: no TrackingId on 31001.
        OpKind::Reset => format!("PasswordResetRequestStart, Details: {}", op.user.upn),
        OpKind::Change => format!(
            "TrackingId: {}, ChangePasswordStart, Details: {}",
            op.tracking_id, op.user.upn
        ),
        OpKind::AdminReset => format!(
            "TrackingId: {}, ResetUserPasswordByAdminStart, Details: {}",
            op.tracking_id, op.user.upn
        ),
    }
}

fn outcome_text(op: &Op) -> String {
    let word = match (op.kind, op.end) {
        (OpKind::Reset, OpEnd::Success) => "PasswordResetSuccess",
        (OpKind::Reset, _) => "PasswordResetFail",
        (OpKind::Change, OpEnd::Success) => "ChangePasswordSuccess",
        (OpKind::Change, _) => "ChangePasswordFail",
        (OpKind::AdminReset, OpEnd::Success) => "ResetUserPasswordByAdminSuccess",
        (OpKind::AdminReset, _) => "ResetUserPasswordByAdminFail",
    };
    let tail = match op.kind {
        OpKind::Reset => ", unblockUser: True",
        OpKind::Change => "",
        OpKind::AdminReset => ", ForcePasswordChange: False",
    };
    format!(
        "TrackingId: {}, {word}, Details: {}{tail}",
        op.tracking_id,
        context(op)
    )
}

/// The 33xxx event that names why a write failed.
fn detail_event(op: &Op, detail: Detail, time: DateTime<Utc>) -> Draft {
    let (id, name, text) = match detail {
        Detail::Policy => (
            33008,
            "ADPasswordPolicyError",
            "Synchronization Engine returned an error hr=80230619, message=A restriction prevents the password from being changed to the current one specified.",
        ),
        Detail::Privileged => (
            33004,
            "ADPermissionsError",
            "Requesting user was denied access to perform the operation on a privileged account.",
        ),
        Detail::AgentDenied => (
            33004,
            "ADPermissionsError",
            "The password could not be updated because the management agent credentials were denied access.",
        ),
        Detail::NotFound => (
            33002,
            "ADUserNotFoundError",
            "The operation failed because the object could not be found.",
        ),
    };
    draft(
        time,
        PASSWORD_RESET_SERVICE,
        id,
        ERROR,
        format!(
            "TrackingId: {}, {name}, UserPrincipalName: {}, Details: Microsoft.CredentialManagement.OnPremisesPasswordReset.Shared.PasswordResetException: {text}, {}",
            op.tracking_id,
            op.user.upn,
            context(op)
        ),
    )
}

fn ldap_bind(computer: usize) -> String {
    format!(
        "Call sync ldap_bind for DomainName={AD_DOMAIN}, UserName={}.",
        MSOL[computer]
    )
}

fn logon_user(computer: usize) -> String {
    format!(
        "ImpersonationHelper call LogonUser for DomainName={AD_DOMAIN}, UserName={}.",
        MSOL[computer]
    )
}

/// The events of one operation: start, the sync engine's binds, the outcome with its detail,
/// and password hash sync bringing the new password back to the cloud.
fn emit_operation(
    out: &mut Vec<Draft>,
    index: usize,
    op: &Op,
    phs: &BTreeMap<String, Vec<DateTime<Utc>>>,
    rng: &mut Rng,
) {
    let (start_id, success_id, fail_id) = op.kind.ids();
    let c = op.computer;
    let mut start = draft(
        op.start,
        PASSWORD_RESET_SERVICE,
        start_id,
        INFO,
        start_text(op),
    );
    start.op = Some((index, OpRole::Start));
    out.push(start);
    if op.end == OpEnd::Pending {
        return;
    }
    // A user who is not found fails in the lookup, before the sync engine binds to AD.
    if op.end != OpEnd::Fail(Detail::NotFound) {
        let gap = (op.outcome - op.start).num_milliseconds().max(40) as u64;
        for (k, text) in [ldap_bind(c), logon_user(c), ldap_bind(c)]
            .into_iter()
            .enumerate()
        {
            let at = op.start + ms(gap * (k as u64 + 1) / 5) + ticks(rng.below(9_999));
            out.push(draft(
                at,
                ADSYNC,
                if k == 1 { 403 } else { 405 },
                INFO,
                text,
            ));
        }
    }
    if op.end == OpEnd::Fail(Detail::Policy) {
        out.push(draft(
            op.outcome - ms(rng.range(150, 400)),
            ADSYNC,
            6329,
            ERROR,
            format!(
                "An unexpected error has occurred during a password set operation. \r\n\r\n \"ERR_: MMS(4924): admaexport.cpp(2837): Failed to set the password of {}.\r\nBAIL: MMS(4924): admaexport.cpp(2837): 0x80230619 (A restriction prevents the password from being changed to the current one specified.)\r\nBAIL: MMS(4924): admaexport.cpp(2905): 0x80230619 (A restriction prevents the password from being changed to the current one specified.)\r\n\"\r\n Azure AD Sync 2.4.131.0",
                distinguished_name(&op.user)
            ),
        ));
    }
    let (id, level) = match op.end {
        OpEnd::Success => (success_id, INFO),
        _ => (fail_id, ERROR),
    };
    let mut outcome = draft(
        op.outcome,
        PASSWORD_RESET_SERVICE,
        id,
        level,
        outcome_text(op),
    );
    outcome.op = Some((index, OpRole::Outcome));
    out.push(outcome);
    if let OpEnd::Fail(detail) = op.end {
        let at = op.outcome + ms(rng.range(5, 60));
        out.push(detail_event(op, detail, at));
        return;
    }
    // Password hash sync picks the new password up within about two minutes: 656 then 657 just
    // before the cloud logs the sync account's `Change user password`.
    let synced = phs
        .get(&op.user.upn.to_lowercase())
        .and_then(|times| {
            times
                .iter()
                .find(|t| **t > op.outcome && **t - op.outcome < TimeDelta::minutes(5))
                .copied()
        })
        .unwrap_or_else(|| op.outcome + ms(rng.range(100_000, 130_000)));
    let anchor = source_anchor(&op.user);
    let dn = distinguished_name(&op.user);
    let request_at = synced - ms(rng.range(2_000, 5_000));
    out.push(draft(
        request_at,
        DIRECTORY_SYNCHRONIZATION,
        656,
        INFO,
        format!(
            "Password Change Request - Anchor : {anchor}, Dn : {dn}, Change Date : {}\r\n\r\n{}",
            op.outcome.format("%m/%d/%Y %H:%M:%S"),
            forest_info(c)
        ),
    ));
    out.push(draft(
        synced - ms(rng.range(500, 1_500)),
        DIRECTORY_SYNCHRONIZATION,
        657,
        INFO,
        format!(
            "Password Change Result - Anchor : {anchor}, Dn : {dn}, PwdChangeOnLogon=False, Result : Success.\r\n\r\n{}",
            forest_info(c)
        ),
    ));
}

fn prs(time: DateTime<Utc>, id: u16, level: u8, text: String) -> Draft {
    draft(time, PASSWORD_RESET_SERVICE, id, level, text)
}

/// The incidents: the outage(s), the patch reboot, the swing, the upgrade on the 31st, and the
/// odd events a tool must keep (an unknown ID, an ADSync `hr=` error, a lone warning).
fn emit_incidents(
    drafts: &mut [Vec<Draft>; 2],
    outages: &[Span],
    swing: DateTime<Utc>,
    c2_stop: DateTime<Utc>,
    shape: &Shape,
    rng: &mut Rng,
) {
    let swing_computer = |t: DateTime<Utc>| usize::from(t >= swing);
    // The Service Bus goes first: retries, errors, the listener lost, then the service stops.
    for o in outages {
        let c = swing_computer(o.from);
        let out = &mut drafts[c];
        let at = |rng: &mut Rng, before_s: i64| {
            o.from - TimeDelta::seconds(before_s) + ms(rng.range(0, 20_000))
        };
        for (attempt, before) in [(2, 540), (3, 360)] {
            let t = at(rng, before);
            let g = rng.guid();
            out.push(prs(t, 32014, WARNING, format!(
                "TrackingId: {g}, ServiceBusWarning, Details: Retrying the connection to the Service Bus listener (attempt {attempt} of 5)."
            )));
        }
        for before in [180, 60] {
            let t = at(rng, before);
            let g = rng.guid();
            out.push(prs(t, 32002, ERROR, format!(
                "TrackingId: {g}, ServiceBusError, Details: Microsoft.ServiceBus.Messaging.Relay.RelayException: Could not connect to net.tcp://contosojp-sspr.servicebus.windows.net:9350/. ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond"
            )));
        }
        let t = at(rng, 120);
        out.push(prs(t, 31044, ERROR, "PasswordResetService, Details: Password writeback is not working: one of the two Service Bus relay hosts is not running.".to_owned()));
        let t = o.from - TimeDelta::seconds(25);
        out.push(prs(
            t,
            31034,
            ERROR,
            "ServiceBusListenerError, Details: The connection to the connect service was lost."
                .to_owned(),
        ));
        out.push(prs(o.from, 31016, INFO, stopped_text()));
        out.push(prs(o.to, 31015, INFO, started_text()));
    }

    // Patch reboot of CONNECT01 on the 15th, 03:00 JST.
    let c1 = &mut drafts[0];
    let session = jst(shape.reboot, 2, 55) + ms(rng.range(0, 30_000));
    let session_z = z7(session);
    c1.push(draft(
        session,
        RESTART_MANAGER,
        10000,
        INFO,
        format!("Starting session 0 - {session_z}."),
    ));
    c1.push(draft(
        jst(shape.reboot, 2, 58) + ms(rng.range(0, 30_000)),
        RESTART_MANAGER,
        10001,
        INFO,
        format!("Ending session 0 started {session_z}."),
    ));
    c1.push(prs(
        jst(shape.reboot, 3, 1) - ms(rng.range(1_000, 9_000)),
        31016,
        INFO,
        stopped_text(),
    ));
    c1.push(draft(
        jst(shape.reboot, 3, 7) + ms(rng.range(0, 5_000)),
        MSSQL,
        17137,
        INFO,
        "Starting up database 'ADSync'.".to_owned(),
    ));
    c1.push(draft(jst(shape.reboot, 3, 7) + ms(rng.range(6_000, 9_000)), ESENT, 916, INFO, "svchost (2208,G,0) The beta feature EseDiskFlushConsistency is enabled in ESENT due to the beta site mode settings 0x800000.".to_owned()));
    c1.push(prs(
        jst(shape.reboot, 3, 7) + ms(rng.range(20_000, 40_000)),
        31015,
        INFO,
        started_text(),
    ));

    // CONNECT01's last record before the log was saved at 12:00 on the 20th.
    c1.push(draft(
        jst(shape.swing, 11, 57) + ms(rng.range(0, 120_000)),
        SPP,
        16384,
        INFO,
        spp_restart_text(jst(shape.swing, 20, 57)),
    ));

    // A PasswordResetService ID that no table documents: kept and labelled unknown.
    c1.push(prs(jst(shape.early, 4, 12) + ms(rng.range(0, 59_000)), 31099, INFO, "ServiceBusRelayEndpointRefresh, Details: Refreshed the relay endpoints; 2 listeners registered.".to_owned()));

    // The swing: CONNECT02 leaves staging mode and onboards to the tenant's writeback.
    let c2 = &mut drafts[1];
    c2.push(draft(
        jst(shape.swing, 8, 30) + ms(rng.range(2_000, 9_000)),
        MSSQL,
        17137,
        INFO,
        "Starting up database 'ADSync'.".to_owned(),
    ));
    let mut t = swing + ms(rng.range(15_000, 20_000));
    for (id, text) in [
        (31004, format!("OnboardingEventStart, Details: Enabling password writeback for tenant {TENANT_NAME}.")),
        (31017, "AuthTokenSuccess, Details: Acquired an authentication token for the Hybrid Identity Administrator account.".to_owned()),
        (31018, "KeyPairCreationSuccess, Details: Created the password encryption key pair.".to_owned()),
        (31005, format!("OnboardingEventSuccess, Details: Password writeback is enabled for tenant {TENANT_NAME}.")),
    ] {
        c2.push(prs(t, id, INFO, text));
        t += ms(rng.range(1_200, 3_000));
    }
    c2.push(prs(
        swing + TimeDelta::seconds(31),
        31015,
        INFO,
        started_text(),
    ));

    // The sync engine cannot read an object: an ADSync hr= error (a configuration error).
    let mut hr = draft(
        jst(shape.late, 10, 12) + ms(rng.range(0, 30_000)),
        ADSYNC,
        6801,
        ERROR,
        "Synchronization Engine returned an error hr=80230402, message=An attempt to get an object failed because there are duplicated entries with the same anchor.".to_owned(),
    );
    hr.hr_error = true;
    c2.push(hr);

    // A lone Service Bus retry at night, with no error after it.
    let g = rng.guid();
    c2.push(prs(jst(shape.leaver, 3, 12) + ms(rng.range(0, 59_000)), 32014, WARNING, format!(
        "TrackingId: {g}, ServiceBusWarning, Details: Retrying the connection to the Service Bus listener (attempt 2 of 5)."
    )));

    // Saturday 31 October 21:30: an Entra Connect upgrade stops the service and stalls.
    c2.push(prs(c2_stop, 31016, INFO, stopped_text()));
    c2.push(draft(c2_stop + ms(rng.range(50_000, 70_000)), MSI, 1040, INFO,
        "Beginning a Windows Installer transaction: C:\\Program Files\\Microsoft Azure Active Directory Connect\\SetupFiles\\AzureADConnect.msi. Client Process Id: 5172.".to_owned()));
    // The installer's Restart Manager session starts and, the upgrade stalling, never ends.
    let session = c2_stop + ms(rng.range(75_000, 90_000));
    c2.push(draft(
        session,
        RESTART_MANAGER,
        10000,
        INFO,
        format!("Starting session 1 - {}.", z7(session)),
    ));
    // The monthly export job's own trace is the last record of the saved log.
    c2.push(draft(
        jst(shape.days + 1, 0, 41) + ms(rng.range(0, 59_000)),
        SPP,
        16384,
        INFO,
        spp_restart_text(jst(shape.days + 1, 0, 41) + TimeDelta::hours(9)),
    ));
}

fn stopped_text() -> String {
    "WriteBackServiceStopped, Details: The password writeback service has stopped. Password management requests from the cloud will not succeed.".to_owned()
}

fn started_text() -> String {
    "WriteBackServiceStarted, Details: The password writeback service has started and is ready to process requests.".to_owned()
}

fn spp_restart_text(at: DateTime<Utc>) -> String {
    format!(
        "Successfully scheduled Software Protection service for re-start at {}. Reason: RulesEngine.",
        at.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// Sync-engine run steps named in the 6100 events, one per cycle in turn.
const RUN_STEPS: [&str; 4] = [
    "corp.contoso.co.jp: Delta Import",
    "contosojp.onmicrosoft.com - AAD: Delta Import",
    "corp.contoso.co.jp: Delta Synchronization",
    "contosojp.onmicrosoft.com - AAD: Export",
];

/// The background: heartbeats, sync cycles, password hash sync pings and other providers,
/// generated over the whole month and cut to the log's range later.
fn emit_noise(out: &mut Vec<Draft>, c: usize, tl: &Timeline, shape: &Shape, rng: &mut Rng) {
    // Minutes past the hour: the two servers' schedules differ.
    let (heartbeat_min, cycle_min, ping_min) = [(17, 4, 20), (48, 11, 26)][c];
    let mut cycle_no = 0usize;
    for hour in 0..((shape.days + 2) * 24) {
        let base = jst(0, 0, 0) + TimeDelta::hours(hour);
        let t = base + TimeDelta::minutes(heartbeat_min) + ms(rng.range(0, 59_000));
        if within(&tl.writeback[c], t) {
            out.push(prs(t, 31019, INFO, "ServiceBusHeartBeat, Details: The heartbeat request to the Service Bus instance succeeded.".to_owned()));
        }
        // Connect runs a sync cycle and PHS pings every 30 minutes; the fixtures show one of
        // each every two hours, which keeps the committed logs small and still covers every
        // hour through the heartbeat.
        let halves: &[i64] = if hour % 2 == 0 { &[0] } else { &[] };
        for &half in halves {
            let t = base + TimeDelta::minutes(cycle_min + half) + ms(rng.range(0, 40_000));
            if within(&tl.adsync[c], t) {
                // Several unnamed insertion strings, as the sync engine logs them: policy,
                // result, errors, duration for the cycle; the run step and five error counts
                // (discovery, synchronization, metaverse retry, export, warnings) for 6100.
                out.push(Draft {
                    data: vec![
                        "Delta".to_owned(),
                        "Completed".to_owned(),
                        "0".to_owned(),
                        format!("00:01:{:02}", rng.range(2, 40)),
                    ],
                    ..draft(t, ADSYNC, 6946, INFO, String::new())
                });
                let step = RUN_STEPS[cycle_no % RUN_STEPS.len()];
                cycle_no += 1;
                let mut data = vec![step.to_owned()];
                data.extend(std::iter::repeat_n("0".to_owned(), 5));
                out.push(Draft {
                    data,
                    ..draft(
                        t + ms(rng.range(35_000, 95_000)),
                        ADSYNC,
                        6100,
                        INFO,
                        String::new(),
                    )
                });
            }
            let t = base + TimeDelta::minutes(ping_min + half) + ms(rng.range(0, 30_000));
            if within(&tl.hash_sync[c], t) {
                out.push(draft(
                    t,
                    DIRECTORY_SYNCHRONIZATION,
                    653,
                    INFO,
                    format!(
                        "Provision credentials ping start.\r\n\r\n{}",
                        forest_info(c)
                    ),
                ));
                let end = t + ms(rng.range(400, 2_500));
                out.push(draft(
                    end,
                    DIRECTORY_SYNCHRONIZATION,
                    654,
                    INFO,
                    format!("Provision credentials ping end.\r\n\r\n{}", forest_info(c)),
                ));
            }
        }
    }
    for day in 0..=(shape.days + 1) {
        let day_start = jst(day, 0, 0);
        let at = |rng: &mut Rng, lo_h: u64, hi_h: u64| {
            day_start + ms(rng.range(lo_h * 3_600_000, hi_h * 3_600_000 - 1))
        };
        for (lo, hi) in [(0, 12), (12, 24)] {
            let t = at(rng, lo, hi);
            let restart = t + TimeDelta::hours(rng.range(6, 11) as i64);
            out.push(draft(t, SPP, 16384, INFO, spp_restart_text(restart)));
        }
        let t = at(rng, 0, 24);
        out.push(draft(
            t,
            SPP,
            16394,
            INFO,
            "Offline downlevel migration succeeded.".to_owned(),
        ));
        // User Access Logging opens and closes its database once a day.
        let pid = rng.range(2_100, 3_900);
        let t = at(rng, 1, 3);
        out.push(draft(t, ESENT, 326, INFO, format!("svchost ({pid},D,50) SUM: The database engine attached a database (1, C:\\Windows\\system32\\LogFiles\\Sum\\Svc.mdb). (Time=0 seconds)")));
        let t2 = t + ms(rng.range(60_000, 300_000));
        out.push(draft(t2, ESENT, 327, INFO, format!("svchost ({pid},D,50) SUM: The database engine detached a database (1, C:\\Windows\\system32\\LogFiles\\Sum\\Svc.mdb). (Time=0 seconds)")));
        // LocalDB closes the idle ADSync database and opens it again.
        let t = at(rng, 0, 24);
        if within(&tl.adsync[c], t) {
            out.push(draft(
                t,
                MSSQL,
                17137,
                INFO,
                "Starting up database 'ADSync'.".to_owned(),
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The truth
// ---------------------------------------------------------------------------------------------

fn count_truth(
    flows: &[CloudFlow],
    cloud_only_users: &std::collections::BTreeSet<String>,
    ops: &[Op],
    logged: &[(bool, bool)],
    logs: &[(String, Vec<SynthOnpremEvent>)],
    drafts: &[Vec<Draft>],
    shape: &Shape,
) -> OnpremTruth {
    let period = Span::new(jst(1, 0, 0), jst(shape.days + 1, 0, 0));
    let mut t = OnpremTruth::default();
    for ((_, events), kept) in logs.iter().zip(drafts) {
        let mut open = false;
        for (e, d) in events.iter().zip(kept) {
            let in_period = period.contains(e.time);
            let prs = e.provider == PASSWORD_RESET_SERVICE;
            let adsync = e.provider == ADSYNC;
            if prs && e.event_id == 31016 && !open {
                open = true;
                t.outages += u64::from(in_period);
            } else if prs && e.event_id == 31015 {
                open = false;
            }
            if !in_period {
                continue;
            }
            if prs {
                match e.event_id {
                    31001 | 31006 | 31009 => t.requests += 1,
                    31002 | 31007 | 31010 => t.succeeded += 1,
                    31003 | 31008 | 31011 => t.failed += 1,
                    31016 => t.service_stops += 1,
                    31034 | 31044 | 32001 | 32002 | 32011 | 32013 => t.connectivity_errors += 1,
                    32014 => t.servicebus_warnings += 1,
                    32005 | 32007 | 32009 | 33009 => t.config_errors += 1,
                    _ => {}
                }
            }
            if adsync && (matches!(e.event_id, 6329 | 6800) || d.hr_error) {
                t.config_errors += 1;
            }
        }
    }
    t.pending = logged
        .iter()
        .filter(|(start, outcome)| *start && !*outcome)
        .count() as u64;
    t.requests += logged
        .iter()
        .filter(|(start, outcome)| !*start && *outcome)
        .count() as u64;

    // Correlation: every candidate flow is matched, cloud-only or not checked.
    let ranges: Vec<Span> = logs
        .iter()
        .filter_map(|(_, events)| Some(Span::new(events.first()?.time, events.last()?.time)))
        .collect();
    let mut matched_flows: BTreeMap<usize, &Op> = BTreeMap::new();
    for (op, (start, outcome)) in ops.iter().zip(logged) {
        if !(*start || *outcome) {
            continue;
        }
        match op.flow {
            Some(f) => {
                matched_flows.insert(f, op);
            }
            None => t.onprem_only += 1,
        }
    }
    for (i, f) in flows.iter().enumerate() {
        if !f.correlated(cloud_only_users) || !period.contains(f.first) {
            continue;
        }
        if let Some(op) = matched_flows.get(&i) {
            t.matched += 1;
            let onprem_ok = op.end == OpEnd::Success;
            if onprem_ok != (f.outcome == CloudOutcome::Succeeded) {
                t.disagreements += 1;
            }
        } else if ranges.iter().any(|r| r.from <= f.first && f.last <= r.to) {
            t.cloud_only += 1;
        } else {
            t.not_checked += 1;
        }
    }
    t
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// Local (JST) time on a day of October 2026; day 0 is 30 September, day 32 is 1 November.
fn jst(day: i64, hour: i64, minute: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
        + TimeDelta::seconds(OCT1_JST + (day - 1) * 86_400 + hour * 3_600 + minute * 60)
}

/// A duration of `n` 100-ns ticks.
fn ticks(n: u64) -> TimeDelta {
    TimeDelta::nanoseconds(n as i64 * 100)
}

/// `n` milliseconds plus a sub-millisecond part derived from `n`, so that times carry all seven
/// fraction digits as Windows' do, without spending random numbers on it.
fn ms(n: u64) -> TimeDelta {
    TimeDelta::milliseconds(n as i64) + ticks(n.wrapping_mul(7_919) % 10_000)
}

/// `2026-10-03T09:15:00.1234567Z`
fn z7(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn scenario() -> Scenario {
        build()
    }

    fn all_events(s: &Scenario) -> Vec<&SynthOnpremEvent> {
        s.logs.iter().flat_map(|(_, e)| e.iter()).collect()
    }

    fn count(s: &Scenario, provider: &str, ids: &[u16]) -> usize {
        all_events(s)
            .iter()
            .filter(|e| e.provider == provider && ids.contains(&e.event_id))
            .count()
    }

    #[test]
    fn logs_are_sorted_numbered_and_cover_the_planned_ranges() {
        let s = scenario();
        assert_eq!(s.logs.len(), 2);
        assert_eq!(s.logs[0].0, CONNECT01);
        assert_eq!(s.logs[1].0, CONNECT02);
        for (computer, events) in &s.logs {
            assert!(events.len() > 500, "{computer}: {} events", events.len());
            assert!(events.windows(2).all(|w| w[0].time <= w[1].time));
            assert!(
                events
                    .windows(2)
                    .all(|w| w[1].record_id == w[0].record_id + 1)
            );
            assert!(events.iter().all(|e| &e.computer == computer));
            assert!(
                events
                    .iter()
                    .all(|e| e.time.timestamp_subsec_nanos() % 100 == 0)
            );
            assert!(events.iter().all(|e| !e.data.is_empty()));
        }
        let c1 = &s.logs[0].1;
        let c2 = &s.logs[1].1;
        assert!(c1.first().expect("c1").time > jst(1, 0, 0));
        assert!(c1.first().expect("c1").time < jst(2, 0, 0));
        let c1_last = c1.last().expect("c1").time;
        assert!(c1_last < jst(20, 12, 0) && c1_last > jst(20, 11, 55));
        let c2_first = c2.first().expect("c2").time;
        assert!(c2_first >= jst(20, 8, 30) && c2_first < jst(20, 8, 31));
        assert!(c2.last().expect("c2").time > jst(32, 0, 0));
        // Writeback traffic moves from CONNECT01 to CONNECT02 at the swing.
        let writeback = |e: &&SynthOnpremEvent| {
            e.provider == PASSWORD_RESET_SERVICE && matches!(e.event_id, 31001..=31011)
        };
        assert!(c1.iter().filter(writeback).all(|e| e.time < jst(20, 9, 0)));
        assert!(c2.iter().filter(writeback).all(|e| e.time > jst(20, 9, 0)));
        // Noise dominates, as in a real Application log.
        let total: usize = s.logs.iter().map(|(_, e)| e.len()).sum();
        let trail = all_events(&s)
            .iter()
            .filter(|e| e.provider == PASSWORD_RESET_SERVICE && e.event_id != 31019)
            .count();
        assert!(trail * 10 < total, "{trail} of {total}");
    }

    #[test]
    fn every_edge_case_occurs() {
        let s = scenario();
        // An outcome with no start: the op cut by CONNECT01's log start.
        let outcome_only: Vec<usize> = (0..s.ops.len())
            .filter(|&i| s.logged[i] == (false, true))
            .collect();
        assert_eq!(outcome_only.len(), 1);
        assert!(s.ops[outcome_only[0]].flow.is_some());
        assert_eq!(s.ops[outcome_only[0]].computer, 0);
        // A start with no outcome.
        let pending: Vec<&Op> = s
            .ops
            .iter()
            .zip(&s.logged)
            .filter(|(_, l)| **l == (true, false))
            .map(|(op, _)| op)
            .collect();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].user.upn, PENDING_USER);
        // A 31016 on the evening of the 31st and no 31015 after it.
        let c2 = &s.logs[1].1;
        let last_stop = c2
            .iter()
            .rfind(|e| e.provider == PASSWORD_RESET_SERVICE && e.event_id == 31016)
            .expect("stop");
        assert!(last_stop.time > jst(31, 18, 0) && last_stop.time < jst(32, 0, 0));
        assert!(!c2.iter().any(|e| e.provider == PASSWORD_RESET_SERVICE
            && e.event_id == 31015
            && e.time > last_stop.time));
        assert!(
            pending[0].start < last_stop.time
                && last_stop.time - pending[0].start < TimeDelta::minutes(1)
        );
        // On-prem operations with no flow, and flows with no operation inside a log's range.
        assert!(s.truth.onprem_only >= 2);
        assert!(s.truth.cloud_only >= 1);
        assert!(s.truth.not_checked >= 1);
        assert_eq!(s.truth.disagreements, 1);
        // The disagreement: the cloud says failed, the Connect server wrote the password.
        let disagreeing: Vec<&Op> = s
            .ops
            .iter()
            .filter(|op| {
                op.flow
                    .is_some_and(|f| s.flows[f].outcome == CloudOutcome::Failed)
                    && op.end == OpEnd::Success
            })
            .collect();
        assert_eq!(disagreeing.len(), 1);
        // Unknown ID, kept.
        assert_eq!(count(&s, PASSWORD_RESET_SERVICE, &[31099]), 1);
        // ADSync hr= error and the 6329 BAIL text.
        let events = all_events(&s);
        assert!(events.iter().any(|e| {
            e.provider == ADSYNC
                && e.message().contains("hr=80230402")
                && e.message()
                    .contains("duplicated entries with the same anchor")
        }));
        assert!(events.iter().any(|e| e.provider == ADSYNC
            && e.event_id == 6329
            && e.message().contains("BAIL: MMS(4924)")
            && e.message().contains("0x80230619")));
        // Every 33xxx detail, each after its failure with the same TrackingId.
        for id in [33002, 33004, 33008] {
            assert!(count(&s, PASSWORD_RESET_SERVICE, &[id]) >= 1, "{id}");
        }
        assert!(events.iter().any(|e| e.event_id == 33008
            && e.message().contains("hr=80230619, message=A restriction prevents the password from being changed to the current one specified.")));
        // The UPN without the colon, once.
        let no_colon = events
            .iter()
            .filter(|e| e.event_id == 31010 && !e.message().contains("UserPrincipalName:"))
            .count();
        assert_eq!(no_colon, 1);
        // 31001 carries no TrackingId; 31009 and 31010 of one operation share theirs.
        assert!(events.iter().filter(|e| e.event_id == 31001).all(|e| {
            e.message()
                .starts_with("PasswordResetRequestStart, Details: ")
        }));
        for op in s.ops.iter().filter(|op| op.kind == OpKind::AdminReset) {
            let with_id: Vec<u16> = events
                .iter()
                .filter(|e| e.message().contains(&op.tracking_id))
                .map(|e| e.event_id)
                .collect();
            assert!(with_id.contains(&31009), "{with_id:?}");
            assert!(with_id.iter().any(|id| *id == 31010 || *id == 31011));
            if op.end == OpEnd::Success {
                let admin = op.admin.as_deref().expect("admin");
                assert!(events.iter().any(|e| e.event_id == 31010
                    && e.message().contains(&op.tracking_id)
                    && e.message().contains(&format!("AdminUpn: {admin}"))));
            }
        }
        // Successful writebacks have the blog's trail and password hash sync after them.
        assert!(count(&s, ADSYNC, &[405]) >= 2 * count(&s, ADSYNC, &[403]));
        assert!(events.iter().any(|e| {
            e.event_id == 657
                && e.message()
                    .contains("PwdChangeOnLogon=False, Result : Success.")
                && e.message().contains("<forest-info>")
        }));
        // Background and other providers.
        for p in [SPP, ESENT, MSSQL, RESTART_MANAGER, MSI] {
            assert!(events.iter().any(|e| e.provider == p), "{p}");
        }
        assert!(events.iter().any(|e| e.qualifiers.is_none()));
        assert!(
            events
                .iter()
                .any(|e| e.event_id == 6100 && e.data.len() == 6)
        );
        assert!(count(&s, PASSWORD_RESET_SERVICE, &[31019]) > 400);
        assert!(count(&s, DIRECTORY_SYNCHRONIZATION, &[653, 654]) > 400);
    }

    #[test]
    fn a_user_appears_in_both_logs() {
        let s = scenario();
        let users = |c: usize| -> BTreeSet<String> {
            s.logs[c]
                .1
                .iter()
                .filter(|e| {
                    e.provider == PASSWORD_RESET_SERVICE
                        && matches!(e.event_id, 31001 | 31006 | 31009)
                })
                .filter_map(|e| {
                    let m = e.message();
                    let at = m.find("Details: ")?;
                    Some(m[at + "Details: ".len()..].to_owned())
                })
                .collect()
        };
        assert!(!users(0).is_disjoint(&users(1)));
    }

    #[test]
    fn truth_counts_are_consistent() {
        let s = scenario();
        let t = s.truth;
        let outcome_only = s.logged.iter().filter(|l| **l == (false, true)).count() as u64;
        assert_eq!(t.requests, t.succeeded + t.failed + t.pending);
        assert_eq!(
            t.requests,
            count(&s, PASSWORD_RESET_SERVICE, &[31001, 31006, 31009]) as u64 + outcome_only
        );
        assert_eq!(
            t.succeeded,
            count(&s, PASSWORD_RESET_SERVICE, &[31002, 31007, 31010]) as u64
        );
        assert_eq!(
            t.failed,
            count(&s, PASSWORD_RESET_SERVICE, &[31003, 31008, 31011]) as u64
        );
        assert_eq!(t.pending, 1);
        assert_eq!(t.service_stops, 3);
        assert_eq!(
            t.outages, 3,
            "the 14th, the reboot and the open one of the 31st"
        );
        assert_eq!(t.servicebus_warnings, 3);
        assert_eq!(t.config_errors, 2, "6329 and the hr=80230402 error");
        assert_eq!(t.connectivity_errors, 4);
        let logged_ops = s.logged.iter().filter(|l| l.0 || l.1).count() as u64;
        assert_eq!(t.matched + t.onprem_only, logged_ops);
        let cloud_only_users = super::super::sample::sample_directory()
            .2
            .into_iter()
            .filter(|u| !u.synced)
            .map(|u| u.upn.to_lowercase())
            .collect();
        let candidates = s
            .flows
            .iter()
            .filter(|f| f.correlated(&cloud_only_users))
            .count() as u64;
        assert_eq!(t.matched + t.cloud_only + t.not_checked, candidates);
        assert_eq!(t, sample_month_onprem_truth());
        // Every operation happens while its server's writeback service runs, and every flow
        // that failed for want of the Connect server falls inside an outage of CONNECT01.
        for op in &s.ops {
            assert!(
                within(&s.timeline.writeback[op.computer], op.start),
                "{op:?}"
            );
        }
        let unreachable: Vec<&CloudFlow> = s
            .flows
            .iter()
            .filter(|f| {
                f.failure
                    .as_ref()
                    .is_some_and(|(_, r)| CONNECTIVITY_REASONS.iter().any(|c| r.contains(c)))
            })
            .collect();
        assert_eq!(unreachable.len(), 4);
        for f in unreachable {
            assert!(f.first > jst(14, 9, 0) && f.last < jst(14, 11, 0));
            assert!(!within(&s.timeline.writeback[0], f.first), "{f:?}");
            assert!(!within(&s.timeline.writeback[0], f.last), "{f:?}");
        }
    }

    /// The intended pairing is what "one-to-one, nearest first" finds, and no unmatched flow is
    /// cut by a log boundary (so every reading of "covers" agrees).
    #[test]
    fn intended_pairing_is_the_nearest_and_coverage_is_unambiguous() {
        let s = scenario();
        let distance = |f: &CloudFlow, t: DateTime<Utc>| {
            if t < f.first {
                f.first - t
            } else if t > f.last {
                t - f.last
            } else {
                TimeDelta::zero()
            }
        };
        let mut pairs: Vec<(TimeDelta, usize, usize)> = Vec::new();
        for (o, op) in s.ops.iter().enumerate() {
            let (start, outcome) = s.logged[o];
            if !(start || outcome) {
                continue;
            }
            let t = if start { op.start } else { op.outcome };
            for (i, f) in s.flows.iter().enumerate() {
                if f.applicable()
                    && f.user == op.user.upn.to_lowercase()
                    && OpKind::of(f.kind) == Some(op.kind)
                    && distance(f, t) <= MATCH_WINDOW
                {
                    pairs.push((distance(f, t), o, i));
                }
            }
        }
        pairs.sort();
        let (mut used_ops, mut used_flows) = (BTreeSet::new(), BTreeSet::new());
        let mut greedy: BTreeMap<usize, usize> = BTreeMap::new();
        for (_, o, i) in pairs {
            if used_ops.contains(&o) || used_flows.contains(&i) {
                continue;
            }
            used_ops.insert(o);
            used_flows.insert(i);
            greedy.insert(o, i);
        }
        for (o, op) in s.ops.iter().enumerate() {
            if s.logged[o].0 || s.logged[o].1 {
                assert_eq!(greedy.get(&o).copied(), op.flow, "{op:?}");
            }
        }
        let boundaries: Vec<DateTime<Utc>> = s
            .logs
            .iter()
            .flat_map(|(_, e)| [e.first().expect("e").time, e.last().expect("e").time])
            .collect();
        for (i, f) in s.flows.iter().enumerate() {
            if f.applicable() && !greedy.values().any(|v| *v == i) {
                assert!(
                    !boundaries.iter().any(|b| f.first <= *b && *b <= f.last),
                    "{f:?}"
                );
            }
        }
    }

    #[test]
    fn scenario_is_deterministic() {
        assert_eq!(sample_month_onprem(), sample_month_onprem());
    }

    // --- writers (onprem_formats) -------------------------------------------------------

    use crate::synth::onprem_formats::{
        ViewerLang, XmlStyle, write_event_viewer_csv, write_event_viewer_txt, write_event_xml,
        write_onprem_fixtures, write_powershell_csv, write_powershell_json,
    };
    use std::fs;
    use std::path::{Path, PathBuf};

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sspr-report-onprem-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn utf16le(bytes: &[u8]) -> String {
        assert!(bytes.starts_with(&[0xFF, 0xFE]), "UTF-16LE BOM");
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).expect("UTF-16")
    }

    fn utf8_bom(bytes: &[u8]) -> String {
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
        String::from_utf8(bytes[3..].to_vec()).expect("UTF-8")
    }

    /// A short slice of CONNECT01's log holding a writeback with a multi-line 656/657.
    fn slice() -> Vec<SynthOnpremEvent> {
        let logs = sample_month_onprem();
        let c1 = &logs[0].1;
        let at = c1.iter().position(|e| e.event_id == 657).expect("a 657");
        c1[at.saturating_sub(12)..at + 5].to_vec()
    }

    #[test]
    fn fixtures_are_deterministic_and_one_folder_per_format() {
        let (a, b) = (temp_dir("det-a"), temp_dir("det-b"));
        let files_a = write_onprem_fixtures(&a).expect("written");
        let files_b = write_onprem_fixtures(&b).expect("written");
        assert_eq!(files_a.len(), 22);
        assert!(files_a.windows(2).all(|w| w[0] < w[1]));
        let rel = |dir: &Path, files: &[PathBuf]| -> Vec<(PathBuf, Vec<u8>)> {
            files
                .iter()
                .map(|f| {
                    (
                        f.strip_prefix(dir).expect("under dir").to_path_buf(),
                        fs::read(f).expect("read"),
                    )
                })
                .collect()
        };
        assert_eq!(rel(&a, &files_a), rel(&b, &files_b));
        for f in &files_a {
            let folder = f.parent().expect("folder");
            let siblings = files_a
                .iter()
                .filter(|g| g.parent() == Some(folder))
                .count();
            assert_eq!(siblings, 2, "{f:?}");
        }
        assert!(files_a.contains(&a.join("evtx").join("CONNECT01.evtx")));
        assert!(files_a.contains(&a.join("viewer_csv_ja").join("CONNECT02.csv")));
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }

    #[test]
    fn evtx_parses_with_the_evtx_crate() {
        let dir = temp_dir("evtx");
        let logs = sample_month_onprem();
        for (computer, events) in &logs {
            let path = dir.join("log.evtx");
            crate::synth::onprem_formats::write_evtx_log(events, &path).expect("written");
            let mut parser = evtx::EvtxParser::from_path(&path).expect("evtx");
            let records: Vec<serde_json::Value> = parser
                .records_json_value()
                .map(|r| r.expect("record").data)
                .collect();
            assert_eq!(records.len(), events.len(), "{computer}");
            for (r, e) in records.iter().zip(events).step_by(97) {
                let system = &r["Event"]["System"];
                assert_eq!(
                    system["Provider"]["#attributes"]["Name"],
                    e.provider.as_str()
                );
                assert_eq!(system["Computer"], e.computer.as_str());
                assert_eq!(system["EventRecordID"], e.record_id);
                let id = &system["EventID"];
                let id = id.get("#text").unwrap_or(id);
                assert_eq!(id, &serde_json::json!(e.event_id));
                let data = &r["Event"]["EventData"]["Data"]["#text"];
                let text = match data {
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|v| v.as_str().expect("string"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    v => v.as_str().expect("string").to_owned(),
                };
                assert_eq!(text, e.message());
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn viewer_csv_has_five_names_and_six_fields() {
        let dir = temp_dir("csv");
        let events = slice();
        let tz = chrono_tz::Asia::Tokyo;
        for (lang, header) in [
            (
                ViewerLang::En,
                "Level,Date and Time,Source,Event ID,Task Category",
            ),
            (
                ViewerLang::Ja,
                "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ",
            ),
        ] {
            for unregistered in [false, true] {
                let path = dir.join("v.csv");
                write_event_viewer_csv(&events, &path, lang, tz, unregistered).expect("written");
                let text = utf8_bom(&fs::read(&path).expect("read"));
                assert!(text.starts_with(&format!("{header}\r\n")));
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(text.as_bytes());
                assert_eq!(reader.headers().expect("header").len(), 5);
                let rows: Vec<csv::StringRecord> =
                    reader.records().map(|r| r.expect("row")).collect();
                assert_eq!(rows.len(), events.len());
                assert!(rows.iter().all(|r| r.len() == 6));
                // Newest first, local time without a zone.
                let newest = events.last().expect("events");
                let local = newest.time.with_timezone(&tz);
                let shown = match lang {
                    ViewerLang::En => local.format("%-m/%-d/%Y %-I:%M:%S %p").to_string(),
                    ViewerLang::Ja => local.format("%Y/%m/%d %-H:%M:%S").to_string(),
                };
                assert_eq!(&rows[0][1], shown.as_str());
                let multi_line = rows.iter().find(|r| &r[3] == "657").expect("657");
                assert!(multi_line[5].contains("\r\n<forest-info>"));
                let wrapped = rows.iter().filter(|r| {
                    r[5].starts_with("The description for Event ID ")
                        || r[5].starts_with("ソース \"")
                });
                if unregistered {
                    let row = rows.iter().find(|r| &r[3] == "657").expect("657");
                    match lang {
                        ViewerLang::En => assert!(row[5].starts_with("The description for Event ID 657 from source Directory Synchronization cannot be found.")),
                        ViewerLang::Ja => assert!(row[5].starts_with("ソース \"Directory Synchronization\" からのイベント ID 657 の説明が見つかりません。")),
                    }
                    assert!(row[5].contains("Password Change Result - Anchor : "));
                    assert!(wrapped.count() > 0);
                } else {
                    assert_eq!(wrapped.count(), 0);
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn viewer_txt_is_utf16_and_tab_separated() {
        let dir = temp_dir("txt");
        let events = slice();
        let path = dir.join("v.txt");
        write_event_viewer_txt(&events, &path, ViewerLang::Ja, chrono_tz::Asia::Tokyo)
            .expect("written");
        let text = utf16le(&fs::read(&path).expect("read"));
        assert!(text.starts_with("レベル\t日付と時刻\tソース\tイベント ID\tタスクのカテゴリ\r\n"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .flexible(true)
            .from_reader(text.as_bytes());
        assert_eq!(reader.headers().expect("header").len(), 5);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), events.len());
        assert!(rows.iter().all(|r| r.len() == 6));
        assert!(
            rows.iter()
                .all(|r| ["情報", "警告", "エラー"].contains(&&r[0]))
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn powershell_exports_have_their_shapes() {
        let dir = temp_dir("ps");
        let events = slice();
        let tz = chrono_tz::Asia::Tokyo;
        for type_line in [true, false] {
            let path = dir.join("ps.csv");
            write_powershell_csv(&events, &path, type_line, tz).expect("written");
            let text = utf8_bom(&fs::read(&path).expect("read"));
            let body = if type_line {
                text.strip_prefix("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n")
                    .expect("type line")
            } else {
                text.as_str()
            };
            assert!(body.starts_with("\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"Task\",\"Opcode\",\"Keywords\",\"RecordId\",\"ProviderName\",\"ProviderId\",\"LogName\",\"ProcessId\",\"ThreadId\",\"MachineName\",\"UserId\",\"TimeCreated\",\"ActivityId\",\"RelatedActivityId\",\"ContainerLog\",\"MatchedQueryIds\",\"Bookmark\",\"LevelDisplayName\",\"OpcodeDisplayName\",\"TaskDisplayName\",\"KeywordsDisplayNames\",\"Properties\"\r\n"));
            let mut reader = csv::Reader::from_reader(body.as_bytes());
            let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
            assert_eq!(rows.len(), events.len());
            assert!(rows.iter().all(|r| r.len() == 27));
            let newest = events.last().expect("events");
            assert_eq!(&rows[0][8], newest.record_id.to_string().as_str());
            let local = newest.time.with_timezone(&tz);
            assert_eq!(
                &rows[0][16],
                local.format("%-m/%-d/%Y %-I:%M:%S %p").to_string().as_str()
            );
            assert!(
                rows.iter()
                    .any(|r| &r[7] == "36028797018963968" && &r[3] == "0")
            );
        }
        let path = dir.join("ps.json");
        write_powershell_json(&events, &path).expect("written");
        let text = utf16le(&fs::read(&path).expect("read"));
        assert!(text.starts_with("[\r\n    {\r\n        \"Message\":  \""));
        assert!(text.contains("\"TimeCreated\":  \"\\/Date("));
        assert!(text.contains("\\u003cforest-info\\u003e"));
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        let items = v.as_array().expect("array");
        assert_eq!(items.len(), events.len());
        let newest = events.last().expect("events");
        assert_eq!(
            items[0]["TimeCreated"],
            format!("/Date({})/", newest.time.timestamp_millis()).as_str()
        );
        assert_eq!(items[0]["Id"], newest.event_id);
        assert_eq!(items[0]["MachineName"], CONNECT01);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn xml_styles_are_well_formed() {
        let dir = temp_dir("xml");
        let logs = sample_month_onprem();
        // The whole CONNECT02 log: it holds the manifest (no qualifiers) events.
        let events = &logs[1].1;
        let read_all = |xml: &str| {
            let mut reader = quick_xml::Reader::from_str(xml);
            let mut n = 0;
            loop {
                match reader.read_event().expect("well-formed") {
                    quick_xml::events::Event::Start(e) if e.local_name().as_ref() == "Event" => {
                        n += 1
                    }
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            n
        };
        let path = dir.join("viewer.xml");
        write_event_xml(events, &path, XmlStyle::EventViewer).expect("written");
        let xml = fs::read_to_string(&path).expect("read");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Events>\r\n<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"));
        assert!(xml.contains("<RenderingInfo Culture='ja-JP'><Message>"));
        assert!(xml.contains("<Level>情報</Level><Task>なし</Task>"));
        assert_eq!(read_all(&xml), events.len());

        let path = dir.join("wevtutil.xml");
        write_event_xml(events, &path, XmlStyle::Wevtutil).expect("written");
        let xml = fs::read_to_string(&path).expect("read");
        assert!(xml.starts_with("<Event xmlns='"));
        assert!(!xml.contains("<Events>") && !xml.contains("RenderingInfo"));
        assert!(xml.contains("<EventID Qualifiers=''>"));
        assert!(xml.contains("<EventID Qualifiers='0'>31002</EventID>"));
        let with_space = events.iter().filter(|e| e.record_id % 5 == 0).all(|e| {
            xml.contains(&format!(
                "SystemTime='{}'",
                e.time.format("%Y-%m-%d %H:%M:%S%.6f")
            ))
        });
        assert!(with_space);
        assert_eq!(read_all(&format!("<r>{xml}</r>")), events.len());
        assert_eq!(xml.matches("</Event>\r\n<Event ").count() + 1, events.len());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
