//! `sspr-report trace`: one user's or one attempt's story as text or as one JSON document.
//! The keys of the JSON document are a contract (README "trace"): add, never rename.
//!
//! Layer: render; the command gathers a [`Trace`] from the model and hands it here.

use crate::catalog::Lang;
use crate::render::sanitize::display_lines;
use serde::Serialize;
use std::fmt::Write as _;

/// Everything `trace` prints.
#[derive(Debug, Serialize)]
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
}

/// The question.
#[derive(Debug, Serialize)]
pub struct Query {
    /// The user (lower-cased UPN) the trace is about.
    pub user: Option<String>,
    /// The CorrelationId asked for (`--flow`), lower-cased.
    pub flow: Option<String>,
}

/// The period.
#[derive(Debug, Serialize)]
pub struct PeriodOut {
    /// First local day.
    pub from: String,
    /// Last local day.
    pub to: String,
    /// IANA zone of every time.
    pub tz: String,
}

/// One flow.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
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
    /// The initiating user's IP address as logged (its `ip-…` pseudonym with
    /// `--pseudonymize`); `None` when the record names none.
    pub ip: Option<String>,
}

/// The on-prem side of a flow.
#[derive(Debug, Serialize)]
pub struct Onprem {
    /// `matched`, `cloud_only`, `not_checked`, `not_applicable`.
    pub status: &'static str,
    /// The matched operation's events.
    pub events: Vec<EventOut>,
    /// What the Connect servers logged around the flow: outages and connectivity errors.
    pub nearby: Vec<Nearby>,
}

/// One on-prem event.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct Registrations {
    /// Registration events in the period.
    pub events: Vec<RegistrationOut>,
    /// The newest snapshot row; `None` when no snapshot names the user.
    pub snapshot: Option<SnapshotOut>,
}

/// One registration event.
#[derive(Debug, Serialize)]
pub struct RegistrationOut {
    /// Local time.
    pub time: String,
    /// Method.
    pub method: String,
}

/// A snapshot row.
#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
pub struct License {
    /// Entra ID P1 (or better); `None` when a licence is unknown to every table.
    pub p1: Option<bool>,
    /// The licences as the admin center shows them.
    pub licenses: String,
    /// Synced from AD DS; `None` when the list does not say.
    pub synced: Option<bool>,
}

/// Throttling state.
#[derive(Debug, Serialize)]
pub struct Throttling {
    /// `throttled` (a block record) or `inferred` (attempts at the threshold).
    pub status: &'static str,
    /// Block records.
    pub block_events: u64,
    /// Local time of the last block.
    pub last_blocked_at: Option<String>,
    /// When the 24-hour block lifts.
    pub blocked_until: Option<String>,
}

/// The document as JSON, pretty-printed with a final newline.
pub fn json(trace: &Trace) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(trace)?;
    s.push('\n');
    Ok(s)
}

/// Labels of the text form.
struct L(Lang);

impl L {
    fn t(&self, en: &'static str, ja: &'static str) -> &'static str {
        match self.0 {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// The document as text for the terminal, in `lang`; control characters from the inputs are
/// shown as `?`.
pub fn text(trace: &Trace, lang: Lang) -> String {
    let l = L(lang);
    let mut s = String::new();
    let who = trace.query.user.as_deref().unwrap_or("?");
    let p = &trace.period;
    let _ = writeln!(
        s,
        "{} {who} — {} {} .. {} ({})",
        l.t("Trace of", "トレース:"),
        l.t("period", "期間"),
        p.from,
        p.to,
        p.tz
    );
    if trace.flows.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            l.t(
                "No SSPR flow of this user in the period.",
                "期間内にこのユーザーの SSPR フローはありません。"
            )
        );
    }
    for f in &trace.flows {
        flow_text(&mut s, f, &l);
    }
    user_text(&mut s, trace, &l);
    display_lines(&s).into_owned()
}

fn flow_text(s: &mut String, f: &FlowTrace, l: &L) {
    let _ = writeln!(
        s,
        "\n{} {} {} {} ({}) {}",
        l.t("Flow", "フロー"),
        f.correlation_id,
        f.kind,
        f.outcome,
        f.started_at,
        f.failure_reason.as_deref().unwrap_or("")
    );
    for r in &f.records {
        let _ = writeln!(
            s,
            "  {} {} | {} | {} | {} | ip={}",
            r.time,
            r.service,
            r.activity,
            r.result,
            r.reason,
            r.ip.as_deref().unwrap_or("-")
        );
    }
    let _ = writeln!(
        s,
        "  {}: {}",
        l.t("on-prem", "オンプレミス"),
        f.onprem.status
    );
    for e in &f.onprem.events {
        let _ = writeln!(
            s,
            "    {} {} {} {} tracking={} error={} hr={}",
            e.time,
            e.computer,
            e.event_id,
            e.name,
            e.tracking_id.as_deref().unwrap_or("-"),
            e.error_code.as_deref().unwrap_or("-"),
            e.hr.as_deref().unwrap_or("-")
        );
    }
    for n in &f.onprem.nearby {
        let _ = writeln!(
            s,
            "    {} {} {} {}{} {}",
            l.t("nearby:", "付近:"),
            n.kind,
            n.computer,
            n.time,
            n.until
                .as_deref()
                .map(|u| format!(" → {u}"))
                .unwrap_or_default(),
            n.name
        );
    }
    if !f.diagnosis.is_empty() {
        let _ = writeln!(s, "  {}", l.t("Diagnosis:", "診断:"));
    }
    for d in &f.diagnosis {
        let _ = writeln!(s, "  - [{}] {}", d.code, d.title);
        let _ = writeln!(s, "    {} {}", l.t("meaning:", "意味:"), d.meaning);
        let _ = writeln!(s, "    {} {}", l.t("cause:", "原因:"), d.cause);
        let _ = writeln!(s, "    {} {}", l.t("fix:", "対処:"), d.fix);
    }
}

fn user_text(s: &mut String, trace: &Trace, l: &L) {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => l.t("yes", "はい"),
        Some(false) => l.t("no", "いいえ"),
        None => l.t("unknown", "不明"),
    };
    let _ = writeln!(s, "\n{}", l.t("Registration:", "登録:"));
    for r in &trace.registrations.events {
        let _ = writeln!(s, "  {} {}", r.time, r.method);
    }
    match &trace.registrations.snapshot {
        Some(r) => {
            let _ = writeln!(
                s,
                "  {} {} {} {} {} {} [{}]",
                l.t("registered", "登録済み"),
                yes_no(r.sspr_registered),
                l.t("enabled", "有効"),
                yes_no(r.sspr_enabled),
                l.t("capable", "利用可能"),
                yes_no(r.sspr_capable),
                r.methods.join(", ")
            );
        }
        None => {
            let _ = writeln!(
                s,
                "  {}",
                l.t("no snapshot row", "スナップショットに行なし")
            );
        }
    }
    let _ = match &trace.license {
        Some(x) => writeln!(
            s,
            "{} {} (P1 {}, {} {})",
            l.t("Licence:", "ライセンス:"),
            x.licenses,
            yes_no(x.p1),
            l.t("synced", "同期"),
            yes_no(x.synced)
        ),
        None => writeln!(s, "{} -", l.t("Licence:", "ライセンス:")),
    };
    let _ = match &trace.throttling {
        Some(t) => writeln!(
            s,
            "{} {} ({} {}; {} {})",
            l.t("Throttling:", "スロットリング:"),
            t.status,
            l.t("blocks", "ブロック"),
            t.block_events,
            l.t("blocked until", "ブロック解除"),
            t.blocked_until.as_deref().unwrap_or("-")
        ),
        None => writeln!(s, "{} -", l.t("Throttling:", "スロットリング:")),
    };
}
