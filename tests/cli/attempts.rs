//! The page's "Failed and blocked attempts" (issue 18 item 3): every failed or blocked flow,
//! newest first, at most 200 with the rest counted, each a `<details>` with trace's story and
//! diagnosis; linked from the failure-reason table; Japanese; pseudonymized.

use crate::support::{Report, fixture, run_report, section, temp_input};
use std::collections::BTreeSet;

fn sample(extra: &[&str]) -> Report {
    let mut args = vec!["--month", "2026-10", "--tz", "Asia/Tokyo", "--quiet"];
    args.extend_from_slice(extra);
    let r = run_report(&[fixture("sample")], &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// The `<details>` elements of a section, in order.
fn details(section: &str) -> Vec<&str> {
    section
        .split("<details ")
        .skip(1)
        .map(|d| &d[..d.find("</details>").expect("closed")])
        .collect()
}

/// The value of the first `attr="…"` in `html`.
fn attr<'a>(html: &'a str, attr: &str) -> &'a str {
    let from = html.find(&format!("{attr}=\"")).expect("attribute") + attr.len() + 2;
    &html[from..from + html[from..].find('"').expect("closing quote")]
}

/// Every value of `attr="…"` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let from = at + needle.len();
            &html[from..from + html[from..].find('"').expect("closing quote")]
        })
        .collect()
}

/// flows.csv's failed and blocked flows, newest first, ties by CorrelationId.
fn failing_newest_first(r: &Report) -> Vec<(String, String, String)> {
    let rows = r.rows("flows.csv");
    let col = |name: &str| rows[0].iter().position(|h| h == name).expect(name);
    let (id, outcome, at, reason) = (
        col("correlation_id"),
        col("outcome"),
        col("started_at"),
        col("failure_reason"),
    );
    let mut out: Vec<(String, String, String)> = rows[1..]
        .iter()
        .filter(|row| row[outcome] == "failed" || row[outcome] == "blocked")
        .map(|row| (row[at].clone(), row[id].clone(), row[reason].clone()))
        .collect();
    // Times of one zone sort as text; newest first, then ids ascending.
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out
}

const MAKOTO_33008: &str = "7bee2fcb-7b78-4890-99d7-2434518824e6";

#[test]
fn every_failed_and_blocked_flow_of_the_sample_newest_first_with_its_story() {
    let r = sample(&[]);
    let html = r.file("index.html");
    let s = section(&html, "Failed and blocked attempts");
    let expected = failing_newest_first(&r);
    let shown = details(s);
    assert_eq!(shown.len(), expected.len(), "{s}");
    assert!(
        s.contains(&format!(
            "Every failed and blocked flow of the period ({})",
            expected.len()
        )),
        "nothing is left out of the sample: {s}"
    );
    let ids: Vec<&str> = shown.iter().map(|d| attr(d, "id")).collect();
    let want: Vec<String> = expected
        .iter()
        .map(|(_, id, _)| format!("attempt-{id}"))
        .collect();
    assert_eq!(ids, want);
    // makoto.hasegawa's 33008: the summary line, the audit records with the IP address, the
    // on-prem events, the diagnosis linked to the codes' texts — what trace prints.
    let d = shown
        .iter()
        .find(|d| attr(d, "id") == format!("attempt-{MAKOTO_33008}"))
        .expect("makoto's attempt");
    for needle in [
        "<summary><span class=\"nw\">2026-10-20T10:05:27+09:00</span> makoto.hasegawa@contoso.co.jp · reset · <b class=\"failed\">failed</b> · We encountered a problem",
        "· matched</summary>",
        "10:06:58 step: User submitted a new password · success · 198.51.100.51",
        "10:07:09 CONNECT02 33008 ADPasswordPolicyError TrackingId 0b81fefb-8ccf-4a2f-bb03-38587a085378 hr=0x80230619",
        "<a href=\"#code-SSPR_0029\">SSPR_0029</a>",
        "<a href=\"#code-33008\">33008</a>",
        "<a href=\"#code-0x80230619\">0x80230619</a>",
    ] {
        assert!(d.contains(needle), "{needle} missing: {d}");
    }
    // The outage reset: the nearby outage and the cross-check's own sentence.
    let outage = shown
        .iter()
        .find(|d| attr(d, "id") == "attempt-1bafc416-7418-4463-8f8f-3f1db2e06b7a")
        .expect("daisuke's reset during the outage");
    assert!(
        outage.contains("nearby: outage CONNECT01 09:40:05 until 10:48:42"),
        "{outage}"
    );
    assert!(
        outage.contains("check:writeback_stopped")
            && outage.contains("CONNECT01 logged the writeback service stopped"),
        "{outage}"
    );
    // Each code's long text once, where every link of the section leads.
    let codes = attrs(s, "href");
    let targets: BTreeSet<&str> = attrs(s, "id").into_iter().collect();
    for href in &codes {
        let id = href.strip_prefix('#').expect("a link into the page");
        assert!(targets.contains(id), "{href} leads nowhere");
    }
    let e = sspr_report::catalog::event(
        sspr_report::catalog::EventSource::PasswordResetService,
        33008,
    )
    .expect("33008");
    assert_eq!(
        s.matches(&sspr_report::render::html::escape(e.fix.en))
            .count(),
        1,
        "written once"
    );
    assert!(
        !s.contains("<script") && !s.contains("<style"),
        "no script, no CSS per item"
    );
}

#[test]
fn failure_reason_rows_link_to_the_newest_attempt_of_their_reason() {
    let r = sample(&[]);
    let html = r.file("index.html");
    let reasons = section(&html, "Top failure reasons and their fixes");
    let links: Vec<&str> = attrs(reasons, "href")
        .into_iter()
        .filter(|h| h.starts_with('#'))
        .collect();
    assert!(!links.is_empty(), "{reasons}");
    let ids: BTreeSet<String> = attrs(&html, "id")
        .into_iter()
        .map(|id| format!("#{id}"))
        .collect();
    for link in &links {
        assert!(ids.contains(*link), "{link} leads nowhere");
    }
    // The first row is the most frequent reason; its link is the newest attempt with it.
    let rows = r.rows("failure_reasons.csv");
    let reason = rows[0].iter().position(|h| h == "reason").expect("reason");
    let first_reason = &rows[1][reason];
    let newest = failing_newest_first(&r)
        .into_iter()
        .find(|(_, _, why)| why == first_reason)
        .expect("an attempt with the top reason");
    assert_eq!(links[0], format!("#attempt-{}", newest.1));
}

#[test]
fn onprem_error_rows_link_to_the_newest_attempt_with_that_error() {
    let r = sample(&[]);
    let html = r.file("index.html");
    let start = html
        .find("<h3>Failed operations by error</h3>")
        .expect("the table");
    let rest = &html[start..];
    let table = &rest[..rest.find("</table>").expect("table end")];
    let row = table
        .split("<tr>")
        .find(|row| row.contains("33008 ADPassword"))
        .expect("the 33008 row");
    assert_eq!(
        attr(row, "href"),
        format!("#attempt-{MAKOTO_33008}"),
        "{row}"
    );
    let ids: BTreeSet<String> = attrs(&html, "id").into_iter().map(String::from).collect();
    for href in attrs(table, "href")
        .into_iter()
        .filter(|h| h.starts_with('#'))
    {
        assert!(ids.contains(&href[1..]), "{href} leads nowhere");
    }
}

/// A portal CSV of `n` failed self-service changes, one a minute from 2026-10-01 00:00 UTC
/// (the last two at the same minute, to show the tie order).
fn many_failures(n: usize) -> Vec<u8> {
    let mut csv = String::from(
        "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"IPAddress\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n",
    );
    for i in 0..n {
        let minute = i.min(n - 2);
        csv.push_str(&format!(
            "\"2026-10-01T{:02}:{:02}:00Z\",\"00000000-0000-0000-0000-{i:012}\",\"Self-service Password Management\",\"UserManagement\",\"Change password (self-service)\",\"failure\",\"FuzzyPolicyViolationInvalidPassword\",\"u{i}@contoso.co.jp\",\"203.0.113.7\",\"User\",\"u{i}@contoso.co.jp\"\r\n",
            minute / 60,
            minute % 60
        ));
    }
    csv.into_bytes()
}

#[test]
fn at_most_200_attempts_and_the_rest_are_counted() {
    let (_dir, audit) = temp_input("audit.csv", &many_failures(230));
    let r = run_report(&[audit], &["--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = r.file("index.html");
    let s = section(&html, "Failed and blocked attempts");
    let shown = details(s);
    assert_eq!(shown.len(), 200);
    assert!(s.contains("The newest 200 failed and blocked flows"), "{s}");
    assert!(s.contains("30 older ones are left out"), "{s}");
    let id = |i: usize| format!("attempt-00000000-0000-0000-0000-{i:012}");
    // 228 and 229 started in the same minute: by CorrelationId; then back in time.
    assert_eq!(attr(shown[0], "id"), id(228));
    assert_eq!(attr(shown[1], "id"), id(229));
    assert_eq!(attr(shown[2], "id"), id(227));
    assert_eq!(attr(shown[199], "id"), id(30));
    assert!(!s.contains(&id(29)), "the oldest are left out");
    // The code's text once, not 200 times.
    assert_eq!(
        s.matches("id=\"code-FuzzyPolicyViolationInvalidPassword\"")
            .count(),
        1
    );
}

#[test]
fn japanese_headings_and_labels() {
    let r = sample(&["--lang", "ja"]);
    let html = r.file("index.html");
    let s = section(&html, "失敗・ブロックされた試行");
    assert!(
        s.contains("期間内の失敗・ブロックされたフロー全 23 件"),
        "{s}"
    );
    let d = details(s)
        .into_iter()
        .find(|d| attr(d, "id") == format!("attempt-{MAKOTO_33008}"))
        .expect("makoto's attempt");
    for needle in [
        "リセット",
        "<b class=\"failed\">失敗</b>",
        "照合済み",
        "手順: ユーザーがパスワード リセット ページ",
        "オンプレミス:",
        "診断:",
    ] {
        assert!(d.contains(needle), "{needle} missing: {d}");
    }
    assert!(!d.contains("step:") && !d.contains("Diagnosis"), "{d}");
    // Steps by their Japanese names, never by catalog identifiers.
    assert!(
        !d.contains("SubmittedUserId") && !d.contains("SubmittedNewPassword"),
        "{d}"
    );
    // The logged English wording gives way to the category and code, as in the reason table.
    assert!(
        !d.contains("We encountered a problem") && d.contains("(SSPR_0029)"),
        "{d}"
    );
    assert!(s.contains("<h3>コードの意味</h3>"), "{s}");
    let e = sspr_report::catalog::event(
        sspr_report::catalog::EventSource::PasswordResetService,
        33008,
    )
    .expect("33008");
    assert!(s.contains(&sspr_report::render::html::escape(e.meaning.ja)));
    let reasons = section(&html, "主な失敗理由と対処");
    assert!(reasons.contains("最新の<wbr>試行"), "{reasons}");
}

#[test]
fn pseudonymized_attempts_name_no_one_and_no_address() {
    let key = "a-long-enough-secret-key-for-tests";
    let r = sample(&["--pseudonymize", key]);
    let html = r.file("index.html");
    let s = section(&html, "Failed and blocked attempts");
    let p = sspr_report::render::pseudonymize::Pseudonymizer::new(key).expect("key");
    let d = details(s)
        .into_iter()
        .find(|d| attr(d, "id") == format!("attempt-{MAKOTO_33008}"))
        .expect("makoto's attempt, by its CorrelationId");
    assert!(d.contains(&p.user("makoto.hasegawa@contoso.co.jp")), "{d}");
    assert!(d.contains(&p.ip("198.51.100.51")), "{d}");
    assert!(
        !html.contains("@contoso.co.jp"),
        "no UPN anywhere on the page"
    );
    assert!(
        !html.contains("198.51.100.") && !html.contains("203.0.113."),
        "no IP address anywhere on the page"
    );
}

#[test]
fn markup_in_an_ip_or_a_reason_is_shown_not_run() {
    let csv = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"IPAddress\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n\
        \"2026-10-03T09:15:00Z\",\"\\\"><i>c1\",\"Self-service Password Management\",\"UserManagement\",\"Change password (self-service)\",\"failure\",\"<script>alert(1)</script>\",\"taro@contoso.co.jp\",\"<img src=x onerror=alert(1)>\",\"User\",\"taro@contoso.co.jp\"\r\n";
    let (_dir, audit) = temp_input("audit.csv", csv.as_bytes());
    let r = run_report(&[audit], &["--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = r.file("index.html");
    let s = section(&html, "Failed and blocked attempts");
    assert_eq!(details(s).len(), 1, "{s}");
    assert!(
        s.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the address as written: {s}"
    );
    assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{s}");
    assert!(
        !s.contains("<img") && !s.contains("<script") && !s.contains("<i>"),
        "{s}"
    );
    assert_eq!(
        attr(details(s)[0], "id"),
        "attempt_1",
        "an id of unsafe characters is not used"
    );
}
