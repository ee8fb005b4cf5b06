//! The page's "Failed and blocked attempts": the newest failed and blocked flows of the period,
//! each a `<details>` whose summary line says when, who, what and why, and whose body is the
//! story `trace` prints — audit records, the on-prem side, what the Connect servers logged
//! nearby, the diagnosis. No script: `<details>` opens by itself.
//!
//! The page stays light: the catalog's long texts (meaning, likely cause, fix) are written once,
//! in a list of the codes after the attempts, and each attempt links to its codes there; only a
//! cross-check's own sentence (which names a server or a time) stays in the attempt.

use crate::catalog::{self, EntryKind, Lang};
use crate::metrics::story::{Attempt, Attempts, Diagnosis, FlowTrace};
use crate::model::audit::activity;
use crate::render::html::escape;
use crate::render::pseudonymize::Pseudonymizer;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The attempts as a pseudonymized page shows them, by the rules of the report's tables: the
/// user and IP addresses as pseudonyms, a reason or step the catalog does not hold as a keyed
/// hash, identifiers and computer names kept only when shaped like one, a cross-check's
/// sentence through the warning rule (it may name a computer).
pub fn pseudonymized(attempts: &Attempts, p: &Pseudonymizer) -> Attempts {
    let mut out = attempts.clone();
    for a in &mut out.shown {
        a.user = a.user.as_deref().map(|u| p.cell("user", u));
        pseudonymize_flow(&mut a.flow, p);
    }
    out
}

fn pseudonymize_flow(f: &mut FlowTrace, p: &Pseudonymizer) {
    f.correlation_id = p.table_cell("flows.csv", "correlation_id", &f.correlation_id);
    if let Some(r) = f.failure_reason.as_mut() {
        *r = p.table_cell("flows.csv", "failure_reason", r);
    }
    for r in &mut f.records {
        r.reason = p.table_cell("flows.csv", "last_step", &r.reason);
        if let Some(ip) = r.ip.as_mut() {
            *ip = p.ip(ip);
        }
    }
    for e in &mut f.onprem.events {
        e.computer = p.table_cell("writeback_events.csv", "computer", &e.computer);
        if let Some(t) = e.tracking_id.as_mut() {
            *t = p.table_cell("writeback_events.csv", "tracking_id", t);
        }
        if let Some(hr) = e.hr.as_mut() {
            *hr = p.reason(hr);
        }
    }
    for n in &mut f.onprem.nearby {
        n.computer = p.table_cell("writeback_events.csv", "computer", &n.computer);
    }
    for d in &mut f.diagnosis {
        d.meaning = p.warning(&d.meaning);
    }
}

/// The page id of the `n`th attempt shown: `attempt-` and its CorrelationId when that is made
/// of safe characters (a GUID, or a pseudonymized id), else `attempt_` and its place.
pub fn anchor(n: usize, correlation_id: &str) -> String {
    let safe = !correlation_id.is_empty()
        && correlation_id.len() <= 100
        && correlation_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if safe {
        format!("attempt-{correlation_id}")
    } else {
        format!("attempt_{}", n + 1)
    }
}

/// For each failure reason as failure_reasons.csv writes it (`""` for none), the first attempt
/// shown with it: its page id and its start time.
pub fn first_by_reason(attempts: &Attempts) -> BTreeMap<&str, (String, &str)> {
    let mut out = BTreeMap::new();
    for (n, a) in attempts.shown.iter().enumerate() {
        let reason = a.flow.failure_reason.as_deref().unwrap_or("");
        out.entry(reason).or_insert_with(|| {
            (
                anchor(n, &a.flow.correlation_id),
                a.flow.started_at.as_str(),
            )
        });
    }
    out
}

/// For each on-prem error of a failed operation (its 33xxx/32000 event ID, else its `hr=` code,
/// as failure_reasons.csv's on-prem rows name it), the first attempt shown with it: its page id
/// and its start time.
pub fn first_by_onprem_error(attempts: &Attempts) -> BTreeMap<&str, (String, &str)> {
    let mut out = BTreeMap::new();
    for (n, a) in attempts.shown.iter().enumerate() {
        let events = &a.flow.onprem.events;
        let code = events
            .iter()
            .find_map(|e| e.error_code.as_deref())
            .or_else(|| events.iter().find_map(|e| e.hr.as_deref()));
        if let Some(code) = code {
            out.entry(code).or_insert_with(|| {
                (
                    anchor(n, &a.flow.correlation_id),
                    a.flow.started_at.as_str(),
                )
            });
        }
    }
    out
}

/// Words of the section.
struct Words {
    title: &'static str,
    every: &'static str,
    newest: &'static str,
    none: &'static str,
    step: &'static str,
    onprem: &'static str,
    nearby: &'static str,
    diagnosis: &'static str,
    codes: &'static str,
    cause: &'static str,
    fix: &'static str,
    until: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "Failed and blocked attempts",
            every: "Every failed and blocked flow of the period ({n}), newest first, with its story and diagnosis (sspr-report trace --flow ID tells the same).",
            newest: "The newest {n} failed and blocked flows of the period, newest first, with their story and diagnosis; {m} older ones are left out (flows.csv lists them; sspr-report trace --flow ID tells any one's story).",
            none: "No failed or blocked flow in the period.",
            step: "step",
            onprem: "On-premises",
            nearby: "nearby",
            diagnosis: "Diagnosis",
            codes: "What the codes mean",
            cause: "Likely cause",
            fix: "What to do",
            until: "until",
        },
        Lang::Ja => Words {
            title: "失敗・ブロックされた試行",
            every: "期間内の失敗・ブロックされたフロー全 {n} 件 (新しい順) とその経過・診断です (sspr-report trace --flow ID でも同じ内容を表示できます)。",
            newest: "期間内の失敗・ブロックされたフローのうち新しい {n} 件 (新しい順) とその経過・診断です。古い {m} 件は省略しています (flows.csv にすべて記載。個々の経過は sspr-report trace --flow ID で表示できます)。",
            none: "期間内に失敗・ブロックされたフローはありません。",
            step: "手順",
            onprem: "オンプレミス",
            nearby: "付近",
            diagnosis: "診断",
            codes: "コードの意味",
            cause: "考えられる原因",
            fix: "対処",
            until: "～",
        },
    }
}

/// A value of ours in the page's language (also trace's text).
pub(crate) fn value(v: &str, lang: Lang) -> &str {
    let ja = match v {
        "reset" => "リセット",
        "change" => "変更",
        "admin_reset" => "管理者によるリセット",
        "unlock" => "ロック解除",
        "failed" => "失敗",
        "blocked" => "ブロック",
        "success" => "成功",
        "failure" => "失敗",
        "timeout" => "タイムアウト",
        "other" => "その他",
        "matched" => "照合済み",
        "cloud_only" => "オンプレミスの記録なし",
        "not_checked" => "未照合",
        "not_applicable" => "対象外",
        "outage" => "サービス停止",
        "connectivity" => "接続エラー",
        "succeeded" => "成功",
        "abandoned" => "中断",
        "pending" => "未完了",
        "throttled" => "ブロックあり",
        "inferred" => "推定",
        _ => return v,
    };
    match (lang, v) {
        (Lang::Ja, _) => ja,
        (Lang::En, "cloud_only") => "no on-prem trace",
        (Lang::En, "not_checked") => "not checked",
        (Lang::En, "not_applicable") => "not applicable",
        (Lang::En, "admin_reset") => "admin reset",
        (Lang::En, _) => v,
    }
}

/// The reason on a summary line: the wording as logged; in Japanese the category and code of
/// a reason the catalog knows (its wording is English prose).
fn reason_label(reason: Option<&str>, lang: Lang) -> String {
    let Some(reason) = reason.filter(|r| !r.is_empty()) else {
        return "—".into();
    };
    match (lang, catalog::classify_reason(reason)) {
        (Lang::Ja, Some(e)) => {
            let code = if e.code.is_empty() { e.name } else { e.code };
            format!("{} ({code})", e.category.label(lang))
        }
        _ => reason.to_string(),
    }
}

/// A record's step text or reason: as logged; in Japanese a wording the catalog knows gives way
/// to its Japanese step name (a step) or its category and code (a failure), as in the
/// failure-reason table — never a catalog identifier such as `SubmittedUserId`.
pub(crate) fn record_reason(reason: &str, lang: Lang) -> String {
    match (lang, catalog::classify_reason(reason)) {
        (Lang::Ja, Some(e)) if matches!(e.kind, EntryKind::Failure | EntryKind::Code) => {
            reason_label(Some(reason), lang)
        }
        (Lang::Ja, Some(e)) => {
            // "進行ステップ: ユーザーが…": the step name follows its kind.
            let m = e.meaning.ja;
            let m = match m.split_once(": ") {
                Some((kind, rest)) if kind.chars().count() < 40 && !kind.contains('。') => rest,
                _ => m,
            };
            catalog::title(m, lang)
        }
        _ => reason.to_string(),
    }
}

/// A time inside the flow: the time of day when it falls on the flow's first day.
fn short_time<'a>(time: &'a str, started_at: &str) -> &'a str {
    match (time.get(..10), started_at.get(..10), time.get(11..19)) {
        (Some(day), Some(first), Some(clock)) if day == first => clock,
        _ => time,
    }
}

/// The page id of a code's entry in the list of codes.
fn code_id(code: &str) -> String {
    let safe: String = code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("code-{safe}")
}

/// The section: a heading, what it holds, one `<details>` per attempt, and the codes.
pub fn section(out: &mut String, attempts: &Attempts, lang: Lang) {
    let w = words(lang);
    let _ = writeln!(out, "<h2>{}</h2>", escape(w.title));
    let n = attempts.shown.len().to_string();
    let intro = match (attempts.shown.is_empty(), attempts.left_out) {
        (true, _) => w.none.to_string(),
        (false, 0) => w.every.replace("{n}", &n),
        (false, m) => w.newest.replace("{n}", &n).replace("{m}", &m.to_string()),
    };
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&intro));
    let mut codes: Vec<&Diagnosis> = Vec::new();
    for (i, a) in attempts.shown.iter().enumerate() {
        attempt(out, i, a, &w, lang);
        for d in &a.flow.diagnosis {
            if codes.iter().all(|c| c.code != d.code) {
                codes.push(d);
            }
        }
    }
    if !codes.is_empty() {
        code_list(out, &codes, &w);
    }
}

fn attempt(out: &mut String, n: usize, a: &Attempt, w: &Words, lang: Lang) {
    let f = &a.flow;
    let _ = write!(
        out,
        "<details id=\"{}\"><summary><span class=\"nw\">{}</span> {} · {} · <b class=\"{}\">{}</b> · {} · {}</summary>",
        anchor(n, &f.correlation_id),
        escape(&f.started_at),
        escape(a.user.as_deref().unwrap_or("?")),
        escape(value(f.kind, lang)),
        f.outcome,
        escape(value(f.outcome, lang)),
        escape(&reason_label(f.failure_reason.as_deref(), lang)),
        escape(value(f.onprem.status, lang)),
    );
    let _ = write!(
        out,
        "<p>CorrelationId {}</p><ul>",
        escape(&f.correlation_id)
    );
    for r in &f.records {
        let time = short_time(&r.time, &f.started_at);
        let what = if r.activity.eq_ignore_ascii_case(activity::PROGRESS) {
            format!("{}: {}", w.step, record_reason(&r.reason, lang))
        } else if crate::model::audit::is_sspr_service(&r.service) {
            r.activity.clone()
        } else {
            format!("{}: {}", r.service, r.activity)
        };
        let mut line = format!("{what} · {}", value(r.result, lang));
        if !r.activity.eq_ignore_ascii_case(activity::PROGRESS) && !r.reason.is_empty() {
            line = format!("{line} · {}", record_reason(&r.reason, lang));
        }
        if let Some(ip) = &r.ip {
            line = format!("{line} · {ip}");
        }
        let _ = write!(out, "<li>{time} {}</li>", escape(&line));
    }
    out.push_str("</ul>");
    onprem(out, f, w, lang);
    if !f.diagnosis.is_empty() {
        let _ = write!(out, "<p>{}:</p><ul>", escape(w.diagnosis));
        for d in &f.diagnosis {
            let own = if d.code.starts_with("check:") {
                format!(": {}", d.meaning)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<li><a href=\"#{}\">{}</a> {}</li>",
                code_id(&d.code),
                escape(&d.code),
                escape(&format!("{}{own}", d.title))
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</details>\n");
}

fn onprem(out: &mut String, f: &FlowTrace, w: &Words, lang: Lang) {
    let o = &f.onprem;
    // The status is on the summary line; here only what the Connect servers logged.
    if o.events.is_empty() && o.nearby.is_empty() {
        return;
    }
    let _ = write!(out, "<p>{}:</p><ul>", escape(w.onprem));
    for e in &o.events {
        let mut line = format!("{} {} {}", e.computer, e.event_id, e.name);
        if let Some(t) = &e.tracking_id {
            line.push_str(&format!(" TrackingId {t}"));
        }
        if let Some(hr) = &e.hr {
            line.push_str(&format!(" hr={hr}"));
        }
        let time = short_time(&e.time, &f.started_at);
        let _ = write!(out, "<li>{time} {}</li>", escape(&line));
    }
    for nb in &o.nearby {
        let until = nb
            .until
            .as_deref()
            .map(|u| format!(" {} {}", w.until, short_time(u, &f.started_at)))
            .unwrap_or_default();
        let line = format!(
            "{}: {} {} {}{until} {}",
            w.nearby,
            value(nb.kind, lang),
            nb.computer,
            short_time(&nb.time, &f.started_at),
            nb.name
        );
        let _ = write!(out, "<li>{}</li>", escape(&line));
    }
    out.push_str("</ul>");
}

/// Each code the attempts name, once: meaning, likely cause, fix. A cross-check's meaning
/// names its own server and times and stays in the attempt.
fn code_list(out: &mut String, codes: &[&Diagnosis], w: &Words) {
    let _ = write!(out, "<h3>{}</h3>\n<dl>", escape(w.codes));
    for d in codes {
        let _ = write!(
            out,
            "<dt id=\"{}\">{} {}</dt><dd>",
            code_id(&d.code),
            escape(&d.code),
            escape(&d.title)
        );
        if !d.code.starts_with("check:") {
            let _ = write!(out, "{}<br>", escape(&d.meaning));
        }
        let _ = write!(
            out,
            "{}: {}<br>{}: {}</dd>",
            escape(w.cause),
            escape(&d.cause),
            escape(w.fix),
            escape(&d.fix)
        );
    }
    out.push_str("</dl>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_made_of_safe_characters_and_never_collide() {
        assert_eq!(
            anchor(0, "7bee2fcb-7b78-4890-99d7-2434518824e6"),
            "attempt-7bee2fcb-7b78-4890-99d7-2434518824e6"
        );
        assert_eq!(anchor(4, "x\"><script>"), "attempt_5");
        assert_eq!(anchor(0, ""), "attempt_1");
        assert_ne!(anchor(2, "3"), anchor(2, "weird id"));
        assert_eq!(code_id("check:blocked_24h"), "code-check-blocked_24h");
        assert_eq!(code_id("0x80230619"), "code-0x80230619");
    }

    #[test]
    fn times_inside_a_flow_are_shortened_only_on_its_first_day() {
        let start = "2026-10-20T10:05:27+09:00";
        assert_eq!(short_time("2026-10-20T10:07:09+09:00", start), "10:07:09");
        assert_eq!(
            short_time("2026-10-21T00:00:01+09:00", start),
            "2026-10-21T00:00:01+09:00"
        );
    }
}
