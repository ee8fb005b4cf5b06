//! `sspr-report trace`: one user's or one attempt's story as text or as one JSON document.
//! The keys of the JSON document are a contract (README "trace"): add, never rename.
//!
//! Layer: render; the command gathers a [`Trace`] with [`crate::metrics::story`] and hands it
//! here.

use crate::catalog::Lang;
use crate::metrics::story::{Diagnosis, EventOut, FlowTrace, Trace};
use crate::render::attempts::{record_reason, value};
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
    operations_text(&mut s, trace, &l);
    user_text(&mut s, trace, &l);
    display_lines(&s).into_owned()
}

fn flow_text(s: &mut String, f: &FlowTrace, l: &L) {
    let lang = l.0;
    let _ = write!(
        s,
        "\n{} {} {} {} ({})",
        l.t("Flow", "フロー"),
        f.correlation_id,
        value(f.kind, lang),
        value(f.outcome, lang),
        f.started_at,
    );
    match f.failure_reason.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => {
            let _ = writeln!(s, " {r}");
        }
        None => s.push('\n'),
    }
    for r in &f.records {
        let _ = writeln!(
            s,
            "  {} {} | {} | {} | {} | ip={}",
            r.time,
            r.service,
            r.activity,
            value(r.result, lang),
            record_reason(&r.reason, lang),
            r.ip.as_deref().unwrap_or("-")
        );
    }
    let _ = writeln!(
        s,
        "  {}: {}",
        l.t("on-prem", "オンプレミス"),
        value(f.onprem.status, lang)
    );
    for e in &f.onprem.events {
        event_line(s, e, "    ");
    }
    for n in &f.onprem.nearby {
        let _ = writeln!(
            s,
            "    {} {} {} {}{} {} {}",
            l.t("nearby:", "付近:"),
            value(n.kind, lang),
            n.computer,
            n.time,
            n.until
                .as_deref()
                .map(|u| format!(" → {u}"))
                .unwrap_or_default(),
            n.event_id.map(|id| id.to_string()).unwrap_or_default(),
            n.name
        );
    }
    diagnosis_text(s, &f.diagnosis, l, "  ");
}

fn event_line(s: &mut String, e: &EventOut, indent: &str) {
    let _ = writeln!(
        s,
        "{indent}{} {} {} {} tracking={} error={} hr={}",
        e.time,
        e.computer,
        e.event_id,
        e.name,
        e.tracking_id.as_deref().unwrap_or("-"),
        e.error_code.as_deref().unwrap_or("-"),
        e.hr.as_deref().unwrap_or("-")
    );
}

fn diagnosis_text(s: &mut String, diagnosis: &[Diagnosis], l: &L, indent: &str) {
    if !diagnosis.is_empty() {
        let _ = writeln!(s, "{indent}{}", l.t("Diagnosis:", "診断:"));
    }
    for d in diagnosis {
        let _ = writeln!(s, "{indent}- [{}] {}", d.code, d.title);
        let _ = writeln!(s, "{indent}  {} {}", l.t("meaning:", "意味:"), d.meaning);
        let _ = writeln!(s, "{indent}  {} {}", l.t("cause:", "原因:"), d.cause);
        let _ = writeln!(s, "{indent}  {} {}", l.t("fix:", "対処:"), d.fix);
    }
}

/// The user's writeback operations no flow shown above tells (the JSON document lists all).
fn operations_text(s: &mut String, trace: &Trace, l: &L) {
    let told = |id: &Option<String>| {
        id.as_ref()
            .is_some_and(|id| trace.flows.iter().any(|f| &f.correlation_id == id))
    };
    let untold: Vec<_> = trace
        .onprem_operations
        .iter()
        .filter(|op| !told(&op.correlation_id))
        .collect();
    if untold.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n{}",
        l.t(
            "On-prem operations of no flow above:",
            "上記のフローに対応しないオンプレミスの操作:"
        )
    );
    for op in untold {
        let _ = writeln!(
            s,
            "  {} {} {} {} error={} hr={} {}={}",
            op.time,
            op.computer,
            value(op.kind, l.0),
            value(op.outcome, l.0),
            op.error_code.as_deref().unwrap_or("-"),
            op.hr.as_deref().unwrap_or("-"),
            l.t("flow", "フロー"),
            op.correlation_id.as_deref().unwrap_or("-"),
        );
        for e in &op.events {
            event_line(s, e, "    ");
        }
        diagnosis_text(s, &op.diagnosis, l, "    ");
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
    let label = l.t("Licence:", "ライセンス:");
    let _ = match (&trace.license, trace.license_list_read) {
        (Some(x), _) => {
            let _ = write!(
                s,
                "{label} {} (P1 {}, {} {})",
                x.licenses,
                yes_no(x.p1),
                l.t("synced", "同期"),
                yes_no(x.synced)
            );
            match (&x.list_date, x.list_after_attempts) {
                (Some(d), true) => writeln!(
                    s,
                    " — {}",
                    match l.0 {
                        Lang::En => format!(
                            "licence list of {d}: the licence may have been assigned after these attempts"
                        ),
                        Lang::Ja => format!(
                            "{d} のライセンス一覧です。ライセンスはこれらの試行の後に割り当てられた可能性があります"
                        ),
                    }
                ),
                _ => writeln!(s),
            }
        }
        (None, true) => writeln!(
            s,
            "{label} {}",
            l.t("not in the licence list", "ライセンス一覧にありません")
        ),
        (None, false) => writeln!(
            s,
            "{label} {}",
            l.t(
                "no licence list read",
                "ライセンス一覧が読み込まれていません"
            )
        ),
    };
    throttling_text(s, trace, l);
}

fn throttling_text(s: &mut String, trace: &Trace, l: &L) {
    let label = l.t("Throttling:", "スロットリング:");
    let Some(t) = &trace.throttling else {
        let _ = writeln!(s, "{label} -");
        return;
    };
    let state = value(t.status, l.0);
    let _ = match (t.status, l.0) {
        ("inferred", Lang::En) => writeln!(
            s,
            "{label} {state} ({} flows within one throttling window from {}; no block record; a block would lift at {}, the last attempt + 24 h)",
            t.max_flows_in_window,
            t.window_start.as_deref().unwrap_or("-"),
            t.would_lift_at.as_deref().unwrap_or("-"),
        ),
        ("inferred", Lang::Ja) => writeln!(
            s,
            "{label} {state} ({} から 1 つのスロットリング期間内にフロー {} 件。ブロックの記録なし。ブロックされていれば {} に解除 (最後の試行 + 24 時間))",
            t.window_start.as_deref().unwrap_or("-"),
            t.max_flows_in_window,
            t.would_lift_at.as_deref().unwrap_or("-"),
        ),
        (_, Lang::En) => writeln!(
            s,
            "{label} {state} ({} blocked flows, {} Blocked records — a flow whose reason says it is blocked for 24 hours counts without one; blocked until {})",
            t.blocked_flows,
            t.block_events,
            t.blocked_until.as_deref().unwrap_or("-")
        ),
        (_, Lang::Ja) => writeln!(
            s,
            "{label} {state} (ブロックされたフロー {} 件、Blocked レコード {} 件 — 理由が 24 時間のブロックを示すフローは Blocked レコードがなくても数えます。ブロック解除 {})",
            t.blocked_flows,
            t.block_events,
            t.blocked_until.as_deref().unwrap_or("-")
        ),
    };
}
