//! One audit record, normalized from any export format, and the rules that decide whether it
//! matters to SSPR reporting at all.

use chrono::{DateTime, Utc};
use std::sync::Arc;

/// `result` of an audit record. Exports spell it in many ways (`success`, `Success`, `0`,
/// localized portal values); all of them end here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuditResult {
    /// The activity or step completed.
    Success,
    /// The activity or step failed.
    Failure,
    /// The activity timed out (treated as a failure).
    Timeout,
    /// Any other value (`unknownFutureValue`, empty).
    Other,
}

impl AuditResult {
    /// Reads a result value as written by any supported export.
    pub fn parse(value: &str) -> AuditResult {
        let v = value.trim();
        let lower = v.to_lowercase();
        match lower.as_str() {
            "success"
            | "succeeded"
            | "0"
            | "成功"
            | "êxito"
            | "exito"
            | "éxito"
            | "erfolg"
            | "réussite"
            | "succès"
            | "riuscito"
            | "operazione riuscita" => AuditResult::Success,
            "failure" | "failed" | "-1" | "失敗" | "falha" | "error" | "fehler" | "échec"
            | "errore" => AuditResult::Failure,
            "timeout" | "timedout" => AuditResult::Timeout,
            _ => AuditResult::Other,
        }
    }

    /// Success is the only non-failing result.
    pub fn is_failure(self) -> bool {
        matches!(self, AuditResult::Failure | AuditResult::Timeout)
    }

    /// The canonical lower-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditResult::Success => "success",
            AuditResult::Failure => "failure",
            AuditResult::Timeout => "timeout",
            AuditResult::Other => "other",
        }
    }
}

/// Why a record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relevance {
    /// An SSPR activity that makes (or belongs to) a flow.
    Flow,
    /// A record of another service that joins a flow when it shares its CorrelationId.
    Evidence,
    /// A security-info registration event.
    Registration,
    /// Not relevant: counted as `out_of_scope` and dropped at once.
    Irrelevant,
}

/// Service that logs SSPR activities (Graph `loggedByService`); `SSPR` was the legacy API's name.
pub const SSPR_SERVICE: &str = "Self-service Password Management";

/// Activities of the SSPR service that are steps of a reset/change/unlock journey.
pub mod activity {
    /// Throttling signal.
    pub const BLOCKED: &str = "Blocked from self-service password reset";
    /// Final activity of a self-service change.
    pub const CHANGE: &str = "Change password (self-service)";
    /// Final activity of an admin reset.
    pub const ADMIN_RESET: &str = "Reset password (by admin)";
    /// Final activity of a self-service reset.
    pub const RESET: &str = "Reset password (self-service)";
    /// One step of the journey; the step text is in the result reason.
    pub const PROGRESS: &str = "Self-service password reset flow activity progress";
    /// Final activity of a self-service unlock.
    pub const UNLOCK: &str = "Unlock user account (self-service)";
}

const FLOW_ACTIVITIES: [&str; 6] = [
    activity::BLOCKED,
    activity::CHANGE,
    activity::ADMIN_RESET,
    activity::RESET,
    activity::PROGRESS,
    activity::UNLOCK,
];

/// Core Directory activities that join a flow as evidence (the directory write itself).
/// `Reset password` is the reference-table spelling, `Reset user password` the logged one.
const CORE_DIRECTORY_EVIDENCE: [&str; 5] = [
    "Reset user password",
    "Reset password",
    "Update StsRefreshTokenValidFrom Timestamp",
    "Change user password",
    "Set force change user password",
];

/// Authentication Methods activities that open a reset or change (evidence when they share a flow's id).
const AUTH_METHODS_EVIDENCE: [&str; 3] = [
    "user started password reset",
    "User started password change",
    "Admin started password reset",
];

/// Successful registration activities (design §4 Registrations).
pub const REGISTRATION_ACTIVITIES: [&str; 5] = [
    "User registered security info",
    "User registered all required security info",
    "Admin registered security info",
    "User registered for self-service password reset",
    "Security info saved for self-service password reset",
];

fn is_one_of(value: &str, set: &[&str]) -> bool {
    let v = value.trim();
    set.iter().any(|s| s.eq_ignore_ascii_case(v))
}

/// Whether the service name is the SSPR service (current or legacy spelling).
pub fn is_sspr_service(service: &str) -> bool {
    let s = service.trim();
    s.eq_ignore_ascii_case(SSPR_SERVICE) || s.eq_ignore_ascii_case("SSPR")
}

/// Decides from service and activity alone whether a record is kept; cheap enough to run on
/// every row before anything else of it is parsed.
pub fn relevance(service: &str, activity: &str) -> Relevance {
    let service = service.trim();
    if is_sspr_service(service) {
        if is_one_of(activity, &FLOW_ACTIVITIES) {
            return Relevance::Flow;
        }
        if is_one_of(activity, &REGISTRATION_ACTIVITIES) {
            return Relevance::Registration;
        }
        return Relevance::Irrelevant;
    }
    if service.eq_ignore_ascii_case("Core Directory") || service.eq_ignore_ascii_case("Directory") {
        if is_one_of(activity, &CORE_DIRECTORY_EVIDENCE) {
            return Relevance::Evidence;
        }
        return Relevance::Irrelevant;
    }
    if service.eq_ignore_ascii_case("Authentication Methods") {
        if is_one_of(activity, &REGISTRATION_ACTIVITIES) {
            return Relevance::Registration;
        }
        if is_one_of(activity, &AUTH_METHODS_EVIDENCE) {
            return Relevance::Evidence;
        }
    }
    Relevance::Irrelevant
}

/// Where a record came from, for rejects and traceability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index of the input file in the run's file list.
    pub file: u32,
    /// Line, record or sheet row, e.g. `line 12`, `record 5 (line 40)`, `sheet AuditLogs row 7`.
    pub location: Location,
}

/// Where in its file a record was. The usual `line 12` and `record 5 (line 40)` are kept as
/// numbers (a month of a large tenant keeps hundreds of thousands of records, and a string
/// each was a heap block each); any other wording as text. Shown as it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Location {
    /// Not recorded.
    #[default]
    Unknown,
    /// `line N`.
    Line(u64),
    /// `record N (line M)`.
    Record {
        /// Record number in the file.
        number: u64,
        /// Line the record starts on.
        line: u64,
    },
    /// Anything else, as written.
    Text(Box<str>),
}

impl From<&str> for Location {
    fn from(text: &str) -> Location {
        let number = |s: &str| s.parse::<u64>().ok().filter(|n| n.to_string() == s);
        if text.is_empty() {
            return Location::Unknown;
        }
        if let Some(n) = text.strip_prefix("line ").and_then(number) {
            return Location::Line(n);
        }
        if let Some((n, l)) = text
            .strip_prefix("record ")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|rest| rest.split_once(" (line "))
            && let (Some(number), Some(line)) = (number(n), number(l))
        {
            return Location::Record { number, line };
        }
        Location::Text(text.into())
    }
}

impl From<String> for Location {
    fn from(text: String) -> Location {
        Location::from(text.as_str())
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Unknown => Ok(()),
            Location::Line(n) => write!(f, "line {n}"),
            Location::Record { number, line } => write!(f, "record {number} (line {line})"),
            Location::Text(text) => f.write_str(text),
        }
    }
}

/// One audit record that passed the relevance filter and parsed cleanly.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// Audit `id` when the format carries one (portal CSV does not).
    pub id: Option<Box<str>>,
    /// Event time (`activityDateTime`), UTC.
    pub time: DateTime<Utc>,
    /// `loggedByService` as logged (trimmed). Shared: a month holds a handful of distinct
    /// services and activities over hundreds of thousands of records.
    pub service: Arc<str>,
    /// `activityDisplayName` as logged (trimmed).
    pub activity: Arc<str>,
    /// Normalized result.
    pub result: AuditResult,
    /// `resultReason` (or Log Analytics `ResultDescription`), trimmed: real logs carry trailing
    /// spaces. Shared like the activity: most reasons are one of a few dozen step texts.
    pub reason: Arc<str>,
    /// `correlationId`, trimmed and lower-cased (exports differ in case); shared by the
    /// records of one flow.
    pub correlation_id: Arc<str>,
    /// Initiating user's UPN, as logged (shared: a user's records repeat it).
    pub actor_upn: Option<Arc<str>>,
    /// First target of type User (or untyped) that has a UPN, as logged.
    pub target_upn: Option<Arc<str>>,
    /// Initiating user's IP address (`initiatedBy.user.ipAddress`, the portal's `IPAddress`),
    /// as logged: a value that is no address is kept too, as evidence. Shared like the UPNs:
    /// a user's records repeat one address.
    pub ip: Option<Arc<str>>,
    /// `additionalDetails` value of `OnPremisesAgent` (admin resets).
    pub onprem_agent: Option<Box<str>>,
    /// Why the record was kept.
    pub relevance: Relevance,
    /// Where it came from.
    pub origin: Origin,
}

/// Lower-cased, trimmed UPN, or `None` for blanks and the service identities that act on a
/// user's behalf (`fim_password_service@…` writes the password, `Sync_<server>` is Connect).
pub fn user_key(upn: Option<&str>) -> Option<String> {
    let upn = upn?.trim();
    if upn.is_empty() {
        return None;
    }
    let lower = upn.to_lowercase();
    if lower.starts_with("fim_password_service@") || lower.starts_with("sync_") {
        return None;
    }
    Some(lower)
}

/// Appends `text.to_lowercase()` to `out`, without its allocation for the usual ASCII text.
pub(crate) fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&text.to_lowercase());
    }
}

impl AuditRecord {
    /// The identity a duplicate check compares: the same record seen again in an overlapping
    /// export (of the same or another format) has the same time, ids, activity and text.
    pub fn content_key(&self) -> String {
        let mut key = String::new();
        self.content_key_into(&mut key);
        format!("{}\u{1f}{key}", self.time.timestamp_millis())
    }

    /// [`AuditRecord::content_key`] without the time, written into `key` (cleared first), so
    /// that a loop over every record of a month reuses one buffer. The time is compared apart,
    /// within a second: a workbook keeps milliseconds and rounds `…30.9996` up to `…31`.
    pub fn content_key_into(&self, key: &mut String) {
        key.clear();
        key.push_str(&self.correlation_id);
        key.push('\u{1f}');
        push_lowercase(key, &self.service);
        key.push('\u{1f}');
        push_lowercase(key, &self.activity);
        key.push('\u{1f}');
        key.push_str(self.result.as_str());
        key.push('\u{1f}');
        key.push_str(&self.reason);
        key.push('\u{1f}');
        push_lowercase(key, self.target_upn.as_deref().unwrap_or(""));
        key.push('\u{1f}');
        push_lowercase(key, self.actor_upn.as_deref().unwrap_or(""));
    }

    /// Takes from a duplicate copy the fields this record lacks (a portal CSV keeps only six
    /// additional details and no id; the JSON of the same record keeps them all).
    pub fn absorb(&mut self, copy: AuditRecord) {
        self.id = self.id.take().or(copy.id);
        self.actor_upn = self.actor_upn.take().or(copy.actor_upn);
        self.target_upn = self.target_upn.take().or(copy.target_upn);
        self.ip = self.ip.take().or(copy.ip);
        self.onprem_agent = self.onprem_agent.take().or(copy.onprem_agent);
    }

    /// Whether the activity equals `name` (case-insensitive, as logs differ in case).
    pub fn is_activity(&self, name: &str) -> bool {
        self.activity.eq_ignore_ascii_case(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_shown_as_written() {
        for text in [
            "",
            "line 12",
            "record 5 (line 40)",
            "sheet AuditLogs row 7",
            "line 012",
            "line 1 of 2",
            "record 5",
            "record x (line 4)",
        ] {
            assert_eq!(Location::from(text).to_string(), text);
        }
        assert_eq!(Location::from("line 12"), Location::Line(12));
        assert!(std::mem::size_of::<Location>() <= 24);
    }

    #[test]
    fn relevance_rules() {
        assert_eq!(relevance(SSPR_SERVICE, activity::PROGRESS), Relevance::Flow);
        assert_eq!(
            relevance("SSPR", "Reset password (self-service)"),
            Relevance::Flow
        );
        assert_eq!(
            relevance("Core Directory", "Reset user password"),
            Relevance::Evidence
        );
        assert_eq!(
            relevance("Core Directory", "Update user"),
            Relevance::Irrelevant
        );
        assert_eq!(
            relevance("Authentication Methods", "User registered security info"),
            Relevance::Registration
        );
        assert_eq!(
            relevance(SSPR_SERVICE, "Enable password writeback for directory"),
            Relevance::Irrelevant
        );
        assert_eq!(
            relevance("Invited Users", "Invite external user"),
            Relevance::Irrelevant
        );
    }

    #[test]
    fn results_in_every_spelling() {
        assert_eq!(AuditResult::parse("Success"), AuditResult::Success);
        assert_eq!(AuditResult::parse(" failure "), AuditResult::Failure);
        assert_eq!(AuditResult::parse("Falha"), AuditResult::Failure);
        assert_eq!(AuditResult::parse("timeout"), AuditResult::Timeout);
        assert_eq!(AuditResult::parse("unknownFutureValue"), AuditResult::Other);
    }

    #[test]
    fn service_identities_are_not_users() {
        assert_eq!(
            user_key(Some("fim_password_service@support.onmicrosoft.com")),
            None
        );
        assert_eq!(
            user_key(Some("Sync_CONNECT01_1a2b@contoso.onmicrosoft.com")),
            None
        );
        assert_eq!(
            user_key(Some(" Taro.Yamada@Contoso.co.jp ")),
            Some("taro.yamada@contoso.co.jp".into())
        );
        assert_eq!(user_key(Some("  ")), None);
    }
}
