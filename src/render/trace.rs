//! `sspr-report trace`: one user's or one attempt's story as text or as one JSON document.
//! The keys of the JSON document are a contract (README "trace"): add, never rename.
//!
//! Layer: render; the command gathers a [`Trace`] with [`crate::metrics::story`] and hands it
//! here.

use crate::catalog::Lang;
use crate::metrics::story::{FlowTrace, Trace};
use crate::render::sanitize::display_lines;
use std::fmt::Write as _;

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
