//! On-premises events of the Entra Connect server and the writeback operations rebuilt from
//! them (design §4 "On-prem operation"): a start event and its outcome, paired by TrackingId
//! when both carry one, else by user and time; the detailed 33xxx/32000 error attaches to the
//! failed operation.

use crate::catalog::{self, EventRole, EventSource, OpKind};
use crate::model::audit::Origin;
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;
use std::sync::Arc;

/// What a writeback event's message says (the identity keys and the error), every part
/// optional; `ingest::event_message` reads it from the text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParsedMessage {
    /// `TrackingId: <token>`.
    pub tracking_id: Option<String>,
    /// The user's UPN, lower-cased.
    pub upn: Option<String>,
    /// `cloudAnchor: User_<id>`.
    pub cloud_anchor: Option<String>,
    /// `AdminUpn: <upn>` (admin resets), lower-cased.
    pub admin_upn: Option<String>,
    /// `hr=80230619` or a `0x8023xxxx` code, as `0x80230619`.
    pub hr_code: Option<String>,
    /// The error text after `message=` (or a `BAIL:` line).
    pub error_text: Option<String>,
}

/// An event's [`ParsedMessage`], boxed only when the message has a key: most events of a
/// Connect server's log (heartbeats, sync cycles, ADSync steps) have none, and six empty
/// texts took 144 bytes of each of a whole tenant's 240,000 events. Reads as the
/// `ParsedMessage` it holds (an empty one when it holds none).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Keys(Option<Box<ParsedMessage>>);

/// What an event without keys reads as.
static NO_KEYS: ParsedMessage = ParsedMessage {
    tracking_id: None,
    upn: None,
    cloud_anchor: None,
    admin_upn: None,
    hr_code: None,
    error_text: None,
};

impl From<ParsedMessage> for Keys {
    fn from(parsed: ParsedMessage) -> Keys {
        Keys((parsed != NO_KEYS).then(|| Box::new(parsed)))
    }
}

impl std::ops::Deref for Keys {
    type Target = ParsedMessage;

    fn deref(&self) -> &ParsedMessage {
        self.0.as_deref().unwrap_or(&NO_KEYS)
    }
}

/// One event of the Application log, from any export format.
#[derive(Debug, Clone)]
pub struct OnpremEvent {
    /// Event time, UTC (zone-less exports were read in `--onprem-tz`).
    pub time: DateTime<Utc>,
    /// Short host name in upper case (`CONNECT01`); formats without a computer column use the
    /// file name. Shared by a file's events, like the provider: a whole tenant keeps 240,000
    /// events of two or three computers.
    pub computer: Arc<str>,
    /// Provider as logged.
    pub source: Arc<str>,
    /// Numeric event ID (the low 16 bits; `Qualifiers` are not part of it).
    pub event_id: u32,
    /// `EventRecordID`, where the format has it.
    pub record_id: Option<u64>,
    /// Message text (Windows' "description cannot be found" wrapper removed).
    pub message: Box<str>,
    /// Identity keys found in the message.
    pub parsed: Keys,
    /// Where it came from.
    pub origin: Origin,
}

impl OnpremEvent {
    /// The writeback source, if it is one.
    pub fn source_kind(&self) -> Option<EventSource> {
        EventSource::parse(&self.source)
    }

    /// What the event means, if the catalog knows it.
    pub fn role(&self) -> Option<EventRole> {
        catalog::event(self.source_kind()?, self.event_id).map(|e| e.role)
    }

    /// Catalog name, or `unknown` (unknown IDs are kept and labelled, never dropped).
    pub fn name(&self) -> &'static str {
        self.source_kind()
            .and_then(|s| catalog::event(s, self.event_id))
            .map(|e| e.name)
            .unwrap_or("unknown")
    }

    /// Writes the event's content identity into `out`: computer, source, event id and the
    /// message with its whitespace runs folded to one space — everything but the time, which a
    /// duplicate check compares to the second apart. Exports of one log differ in fractions of a
    /// second (Event Viewer CSV has none) and in line ends and trailing blanks of the message
    /// (CRLF in `.evtx`, LF or a space in text exports), never in these.
    pub fn content_key_into(&self, out: &mut String) {
        use std::fmt::Write;
        out.clear();
        out.push_str(&self.computer);
        out.push('\u{1f}');
        out.extend(self.source.chars().map(|c| c.to_ascii_lowercase()));
        let _ = write!(out, "\u{1f}{}\u{1f}", self.event_id);
        push_folded(out, &self.message);
    }

    /// Whether the event belongs in the writeback trail (and so in `writeback_events.csv`).
    /// Heartbeats, sync-cycle and ping events of the same sources only show the server was up:
    /// they count for coverage and are otherwise out of scope.
    pub fn is_writeback_event(&self) -> bool {
        match self.source_kind() {
            Some(EventSource::PasswordResetService) => self.event_id != 31019,
            Some(EventSource::AdSync) => {
                matches!(self.event_id, 6329 | 6800 | 403 | 405) || self.parsed.hr_code.is_some()
            }
            Some(EventSource::DirectorySynchronization) => {
                matches!(self.event_id, 611 | 652 | 655 | 656 | 657 | 6900)
            }
            None => false,
        }
    }

    /// A configuration error per design §4 (6329, 6800, 32005, 32007, 32009, 33009 and ADSync `hr=` errors).
    /// Counted by the design's ID list, not by catalog role, like connectivity errors.
    pub fn is_config_error(&self) -> bool {
        match self.source_kind() {
            Some(EventSource::PasswordResetService) => {
                matches!(self.event_id, 32005 | 32007 | 32009 | 33009)
            }
            Some(EventSource::AdSync) => {
                matches!(self.event_id, 6329 | 6800) || self.parsed.hr_code.is_some()
            }
            _ => false,
        }
    }
}

/// How an on-prem operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpResult {
    /// Success event.
    Succeeded,
    /// Failure event.
    Failed,
    /// A start with no outcome.
    Pending,
}

impl OpResult {
    /// Column value.
    pub fn as_str(self) -> &'static str {
        match self {
            OpResult::Succeeded => "succeeded",
            OpResult::Failed => "failed",
            OpResult::Pending => "pending",
        }
    }
}

/// One writeback operation on one computer.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Computer (shared with its events).
    pub computer: Arc<str>,
    /// Reset, change or admin reset.
    pub kind: OpKind,
    /// User (lower-cased UPN), from the start or the outcome.
    pub user: Option<String>,
    /// TrackingId, from the start or the outcome.
    pub tracking_id: Option<String>,
    /// Index of the start event.
    pub start: Option<usize>,
    /// Index of the outcome event.
    pub outcome: Option<usize>,
    /// Result.
    pub result: OpResult,
    /// Detailed error: the 33xxx/32000 event ID, else an `hr=` code.
    pub error_code: Option<String>,
    /// Start time, or the outcome's when the start is missing.
    pub time: DateTime<Utc>,
}

impl OnpremEvent {
    /// A 33xxx or 32000 event: the detailed error of a failed operation (33009 is filed as a
    /// configuration error too).
    pub fn is_error_detail(&self) -> bool {
        self.source_kind() == Some(EventSource::PasswordResetService)
            && ((33001..=33009).contains(&self.event_id) || self.event_id == 32000)
    }
}

/// Appends `text`'s words (`split_whitespace`) joined by one space. An ASCII text, as a
/// Connect server's messages mostly are, is folded byte by byte.
fn push_folded(out: &mut String, text: &str) {
    if !text.is_ascii() {
        for (n, word) in text.split_whitespace().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        return;
    }
    // The ASCII characters `char::is_whitespace` holds.
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let mut first = true;
    for word in text.as_bytes().split(space).filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        first = false;
        // An ASCII text's words are ASCII: whole characters.
        out.push_str(std::str::from_utf8(word).unwrap_or_default());
    }
}

fn op_role(e: &OnpremEvent) -> Option<EventRole> {
    if e.is_error_detail() {
        return Some(EventRole::ErrorDetail);
    }
    match e.role()? {
        r @ (EventRole::Start(_)
        | EventRole::Success(_)
        | EventRole::Failure(_)
        | EventRole::ErrorDetail) => Some(r),
        _ => None,
    }
}

/// Rebuilds the operations from `events` (indices refer to it; only events with `keep[i]` are
/// considered). Pairing is per computer: by TrackingId when both carry one, else the latest
/// open start of the same kind and user within `window` before the outcome.
pub fn assemble(events: &[OnpremEvent], keep: &[bool], window: Duration) -> Vec<Operation> {
    let order: Vec<usize> = (0..events.len()).filter(|&i| keep[i]).collect();
    // Exports with second precision (Event Viewer CSV, PowerShell CSV) put a start and its
    // outcome in the same second, and list newest first: within a second, starts come first,
    // then outcomes, then details; then the record id, then the file position.
    let rank = |e: &OnpremEvent| -> u8 {
        match op_role(e) {
            Some(EventRole::Start(_)) => 0,
            Some(EventRole::Success(_) | EventRole::Failure(_)) => 1,
            _ => 2,
        }
    };
    // Each event's sort key once (its rank is a catalog lookup, its computer a text), not
    // once per comparison; a computer is its place among the computers' names.
    let mut computers: Vec<&str> = order.iter().map(|&i| &*events[i].computer).collect();
    computers.sort_unstable();
    computers.dedup();
    let key = |i: usize| {
        let e = &events[i];
        let computer = computers.partition_point(|&c| c < &*e.computer);
        let time = (e.time.timestamp(), e.time.timestamp_subsec_nanos());
        (computer, time, rank(e), e.record_id, i)
    };
    // Every key differs (the index is part of it): an unstable sort gives the one order.
    let mut keyed: Vec<_> = order.iter().map(|&i| key(i)).collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|k| k.4).collect();
    let mut ops: Vec<Operation> = Vec::new();
    // Started operations by TrackingId (lower case) and by user, in the order they started:
    // an outcome looks only at those (scanning every operation made a month quadratic).
    let mut started = OpIndex::default();
    for &i in &order {
        let e = &events[i];
        match op_role(e) {
            Some(EventRole::Start(kind)) => {
                started.add(
                    ops.len(),
                    e.parsed.tracking_id.as_deref().map(Cow::Borrowed),
                    e.parsed.upn.as_deref().map(Cow::Borrowed),
                );
                ops.push(Operation {
                    computer: e.computer.clone(),
                    kind,
                    user: e.parsed.upn.clone(),
                    tracking_id: e.parsed.tracking_id.clone(),
                    start: Some(i),
                    outcome: None,
                    result: OpResult::Pending,
                    error_code: None,
                    time: e.time,
                })
            }
            Some(role @ (EventRole::Success(kind) | EventRole::Failure(kind))) => {
                let result = if matches!(role, EventRole::Success(_)) {
                    OpResult::Succeeded
                } else {
                    OpResult::Failed
                };
                let open = |op: &Operation| {
                    op.outcome.is_none()
                        && op.start.is_some()
                        && op.computer == e.computer
                        && op.kind == kind
                };
                // The last operation that matches, as a scan from the end would find it.
                let by_tracking = e.parsed.tracking_id.as_ref().and_then(|t| {
                    started.by_tracking(t).rev().copied().find(|&k| {
                        let op = &ops[k];
                        open(op)
                            && op
                                .tracking_id
                                .as_ref()
                                .is_some_and(|o| o.eq_ignore_ascii_case(t))
                    })
                });
                let by_user = || {
                    started
                        .by_user(e.parsed.upn.as_deref())
                        .rev()
                        .copied()
                        .find(|&k| {
                            let op = &ops[k];
                            open(op)
                                && op
                                    .tracking_id
                                    .as_ref()
                                    .zip(e.parsed.tracking_id.as_ref())
                                    .is_none_or(|(a, b)| a.eq_ignore_ascii_case(b))
                                && op.user.is_some()
                                && op.user == e.parsed.upn
                                && e.time >= op.time
                                && e.time - op.time <= window
                        })
                };
                match by_tracking.or_else(by_user) {
                    Some(k) => {
                        let op = &mut ops[k];
                        op.outcome = Some(i);
                        op.result = result;
                        op.user = op.user.take().or_else(|| e.parsed.upn.clone());
                        op.tracking_id = op
                            .tracking_id
                            .take()
                            .or_else(|| e.parsed.tracking_id.clone());
                        if result == OpResult::Failed {
                            op.error_code = e.parsed.hr_code.clone();
                        }
                    }
                    // An outcome with no start still counts (its start is outside the log or lost).
                    None => ops.push(Operation {
                        computer: e.computer.clone(),
                        kind,
                        user: e.parsed.upn.clone(),
                        tracking_id: e.parsed.tracking_id.clone(),
                        start: None,
                        outcome: Some(i),
                        result,
                        error_code: if result == OpResult::Failed {
                            e.parsed.hr_code.clone()
                        } else {
                            None
                        },
                        time: e.time,
                    }),
                }
            }
            _ => {}
        }
    }
    attach_error_details(events, &order, &mut ops, window);
    ops.sort_by(|a, b| {
        (a.time, &a.computer, a.start, a.outcome).cmp(&(b.time, &b.computer, b.start, b.outcome))
    });
    ops
}

/// Operations by TrackingId (ASCII lower case, as the matching ignores case) and by user, each
/// list in operation order. Keys borrow the events' texts where they can.
#[derive(Default)]
struct OpIndex<'e> {
    tracking: crate::model::FastMap<Cow<'e, str>, Vec<usize>>,
    user: crate::model::FastMap<Cow<'e, str>, Vec<usize>>,
}

/// `text` in ASCII lower case, as it is when it holds no upper case (TrackingIds are matched
/// ignoring case).
pub(crate) fn ascii_lower(text: Cow<'_, str>) -> Cow<'_, str> {
    match text.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(text.to_ascii_lowercase()),
        false => text,
    }
}

impl<'e> OpIndex<'e> {
    fn add(&mut self, k: usize, tracking: Option<Cow<'e, str>>, user: Option<Cow<'e, str>>) {
        if let Some(t) = tracking {
            self.tracking.entry(ascii_lower(t)).or_default().push(k);
        }
        if let Some(u) = user {
            self.user.entry(u).or_default().push(k);
        }
    }

    fn by_tracking(&self, t: &str) -> std::slice::Iter<'_, usize> {
        let list = self.tracking.get(ascii_lower(Cow::Borrowed(t)).as_ref());
        list.map(|l| l.iter()).unwrap_or_default()
    }

    fn by_user(&self, user: Option<&str>) -> std::slice::Iter<'_, usize> {
        let list = user.and_then(|u| self.user.get(u));
        list.map(|l| l.iter()).unwrap_or_default()
    }

    /// Operations that share `e`'s TrackingId or user, in operation order, each once.
    fn candidates(&self, e: &OnpremEvent) -> Vec<usize> {
        let tracking = e.parsed.tracking_id.as_deref().map(|t| self.by_tracking(t));
        let user = self.by_user(e.parsed.upn.as_deref());
        let mut all: Vec<usize> = tracking
            .into_iter()
            .flatten()
            .chain(user)
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// A 33xxx or 32000 event names the detailed error of a failed operation: same TrackingId, else
/// same user within the window of the failure. A start whose outcome event is missing (the
/// service logged the error detail, then no 31003) takes the detail too and counts as failed;
/// an operation that already failed is preferred, then the nearest in time.
fn attach_error_details(
    events: &[OnpremEvent],
    order: &[usize],
    ops: &mut [Operation],
    window: Duration,
) {
    // Only an operation with the event's TrackingId or user can take its detail.
    let mut index = OpIndex::default();
    for (k, op) in ops.iter().enumerate() {
        // Owned keys: the operations change below.
        index.add(
            k,
            op.tracking_id.clone().map(Cow::Owned),
            op.user.clone().map(Cow::Owned),
        );
    }
    for &i in order {
        let e = &events[i];
        if op_role(e) != Some(EventRole::ErrorDetail) {
            continue;
        }
        // The failure's time, or the start's for an operation still open.
        let reference = |op: &Operation| op.outcome.map_or(op.time, |o| events[o].time);
        let candidates = index.candidates(e);
        let candidate = candidates
            .iter()
            .map(|&k| (k, &ops[k]))
            .filter(|(_, op)| {
                op.computer == e.computer
                    && (op.result == OpResult::Failed
                        || (op.result == OpResult::Pending && e.time >= op.time))
            })
            .filter(|(_, op)| {
                let same_tracking = op
                    .tracking_id
                    .as_ref()
                    .zip(e.parsed.tracking_id.as_ref())
                    .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b));
                let near = (reference(op) - e.time).abs() <= window;
                same_tracking || (near && op.user.is_some() && op.user == e.parsed.upn)
            })
            .min_by_key(|(_, op)| {
                (
                    op.result == OpResult::Pending,
                    (reference(op) - e.time).abs(),
                )
            })
            .map(|(k, _)| k);
        if let Some(op) = candidate.and_then(|k| ops.get_mut(k)) {
            op.error_code = Some(e.event_id.to_string());
            op.result = OpResult::Failed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-wise fold of an ASCII text is `split_whitespace`'s (the reference), and texts
    /// with any other character take the reference itself.
    #[test]
    fn folded_words_are_split_whitespaces() {
        let mut rng = crate::synth::Rng::new(5);
        let ascii = [
            " ",
            "\t",
            "\n",
            "\x0B",
            "\x0C",
            "\r",
            "\x1C",
            "a",
            "hr=0x8023",
            "  ",
        ];
        let other = ["\u{3000}", "\u{85}", "\u{a0}", "é", "失敗"];
        for case in 0..4000 {
            let text: String = (0..rng.below(12))
                .map(|_| match rng.below(10) {
                    0 => *rng.pick(&other),
                    _ => *rng.pick(&ascii),
                })
                .collect();
            let mut folded = String::from("x");
            push_folded(&mut folded, &text);
            let reference = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(folded, format!("x{reference}"), "case {case}: {text:?}");
        }
    }
    use chrono::TimeZone;

    /// The keys the tests' messages carry, read the simple way (the real parser belongs to
    /// ingest, a layer the model does not import).
    fn keys(msg: &str) -> ParsedMessage {
        let token = |key: &str| {
            msg.split(key)
                .nth(1)
                .and_then(|rest| rest.split([',', ' ']).find(|t| !t.is_empty()))
                .map(str::to_string)
        };
        ParsedMessage {
            tracking_id: token("TrackingId: "),
            upn: msg
                .split([' ', ','])
                .find(|t| t.contains('@'))
                .map(str::to_lowercase),
            hr_code: token("hr=").map(|h| format!("0x{h}")),
            ..ParsedMessage::default()
        }
    }

    fn ev(sec: i64, computer: &str, id: u32, msg: &str) -> OnpremEvent {
        OnpremEvent {
            time: Utc
                .with_ymd_and_hms(2026, 10, 6, 0, 0, 0)
                .single()
                .expect("t")
                + Duration::seconds(sec),
            computer: computer.into(),
            source: "PasswordResetService".into(),
            event_id: id,
            record_id: None,
            parsed: keys(msg).into(),
            message: msg.into(),
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    fn ops(events: &[OnpremEvent]) -> Vec<Operation> {
        assemble(events, &vec![true; events.len()], Duration::minutes(5))
    }

    /// A whole tenant keeps 240,000 events to the end of the run: their size is part of its
    /// peak memory (README "Speed").
    #[test]
    fn an_event_stays_small() {
        assert!(std::mem::size_of::<OnpremEvent>() <= 120);
    }

    /// An event without keys holds no box and reads as an empty ParsedMessage; one key is
    /// enough for the box, and it reads back as given.
    #[test]
    fn keys_are_boxed_only_when_there_is_one() {
        let none = Keys::from(ParsedMessage::default());
        assert_eq!(none, Keys::default());
        assert!(none.0.is_none());
        assert_eq!(none.upn, None);
        let parsed = ParsedMessage {
            hr_code: Some("0x80230619".into()),
            ..ParsedMessage::default()
        };
        let some = Keys::from(parsed.clone());
        assert!(some.0.is_some());
        assert_eq!(*some, parsed);
        assert_eq!(some.hr_code.as_deref(), Some("0x80230619"));
    }

    #[test]
    fn tracking_id_pairs_across_other_users_operations() {
        let events = [
            ev(
                0,
                "C1",
                31009,
                "TrackingId: T1, ResetUserPasswordByAdminStart, Details: a@x.jp",
            ),
            ev(
                1,
                "C1",
                31009,
                "TrackingId: T2, ResetUserPasswordByAdminStart, Details: a@x.jp",
            ),
            ev(
                2,
                "C1",
                31010,
                "TrackingId: T1, ResetUserPasswordByAdminSuccess, Details: Context: UserPrincipalName: a@x.jp",
            ),
        ];
        let o = ops(&events);
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[0].start, o[0].outcome, o[0].result),
            (Some(0), Some(2), OpResult::Succeeded)
        );
        assert_eq!(o[1].result, OpResult::Pending, "T2 has no outcome");
    }

    /// A TrackingId pairs in any letter case, even when the outcome names another user; an
    /// index key is borrowed unless it must be lower-cased.
    #[test]
    fn tracking_id_pairs_in_any_case() {
        let events = [
            ev(
                0,
                "C1",
                31009,
                "TrackingId: Ab-12, ResetUserPasswordByAdminStart, Details: a@x.jp",
            ),
            ev(
                1,
                "C1",
                31009,
                "TrackingId: ab-99, ResetUserPasswordByAdminStart, Details: a@x.jp",
            ),
            ev(
                2,
                "C1",
                31010,
                "TrackingId: aB-12, ResetUserPasswordByAdminSuccess, Details: Context: UserPrincipalName: z@x.jp",
            ),
        ];
        let o = ops(&events);
        assert_eq!(
            (o[0].start, o[0].outcome, o[0].result),
            (Some(0), Some(2), OpResult::Succeeded)
        );
        assert_eq!(o[1].result, OpResult::Pending);
        assert!(matches!(
            ascii_lower(Cow::Borrowed("ab-12")),
            Cow::Borrowed(_)
        ));
        assert_eq!(ascii_lower(Cow::Borrowed("Ab-12É")), "ab-12É");
    }

    #[test]
    fn user_and_time_pairing_with_error_detail() {
        let events = [
            ev(0, "C1", 31001, "PasswordResetRequestStart, Details: u@x.jp"),
            ev(
                2,
                "C1",
                31003,
                "TrackingId: T9, PasswordResetFail, UserPrincipalName: u@x.jp",
            ),
            ev(
                2,
                "C1",
                33008,
                "TrackingId: T9, ADPasswordPolicyError, UserPrincipalName: u@x.jp, hr=80230619, message=A restriction",
            ),
        ];
        let o = ops(&events);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].result, OpResult::Failed);
        assert_eq!(o[0].error_code.as_deref(), Some("33008"));
    }

    #[test]
    fn outcome_without_start_and_start_without_outcome() {
        let events = [
            ev(
                0,
                "C1",
                31002,
                "TrackingId: T1, PasswordResetSuccess, Details: Context: UserPrincipalName: a@x.jp",
            ),
            ev(
                10,
                "C1",
                31001,
                "PasswordResetRequestStart, Details: b@x.jp",
            ),
            // Too late to be b's outcome (outside the window), and on another computer.
            ev(
                900,
                "C1",
                31002,
                "TrackingId: T3, PasswordResetSuccess, Details: Context: UserPrincipalName: b@x.jp",
            ),
            ev(
                20,
                "C2",
                31002,
                "TrackingId: T4, PasswordResetSuccess, Details: Context: UserPrincipalName: b@x.jp",
            ),
        ];
        let o = ops(&events);
        assert_eq!(o.len(), 4);
        let pending: Vec<_> = o
            .iter()
            .filter(|op| op.result == OpResult::Pending)
            .collect();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].user.as_deref(), Some("b@x.jp"));
        assert_eq!(o.iter().filter(|op| op.start.is_none()).count(), 3);
    }
}
