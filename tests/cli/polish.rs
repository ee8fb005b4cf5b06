//! A new user's review of the page, `explain` and the errors (issue 14 review): connectivity on
//! the page, `explain` ranking, Japanese errors, unbroken times, the phone layout.

use crate::support::{Report, fixture, run_report};

fn sample(extra: &[&str]) -> Report {
    let mut args = vec!["--month", "2026-10", "--tz", "Asia/Tokyo", "--quiet"];
    args.extend_from_slice(extra);
    let r = run_report(&[fixture("sample")], &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// The page from the heading `title` to the next `<h2>`, `<wbr>` removed.
fn section(html: &str, title: &str) -> String {
    crate::support::section(&html.replace("<wbr>", ""), title).to_string()
}

/// The value of the card labelled `label` in `html`.
fn card<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!("<span class=\"l\">{label}</span>"))
        .unwrap_or_else(|| panic!("no card {label}: {html}"));
    let before = &html[..at];
    let v = before.rfind("<div class=\"v").expect("a card value");
    let from = v + before[v..].find('>').expect("tag end") + 1;
    &before[from..from + before[from..].find('<').expect("value end")]
}

#[test]
fn the_onprem_section_shows_connectivity_totals_and_events() {
    for (lang, title, labels) in [
        (
            "en",
            "On-premises writeback errors",
            [
                "Connectivity errors",
                "Service Bus warnings",
                "Service stops",
                "Outages",
                "Outage minutes",
            ],
        ),
        (
            "ja",
            "オンプレミスのライトバック エラー",
            [
                "接続エラー",
                "Service Bus 警告",
                "サービスの停止",
                "停止期間",
                "停止 (分)",
            ],
        ),
    ] {
        let r = sample(&["--lang", lang]);
        let wb = r.summary()["writeback"].clone();
        let page = section(&r.file("index.html"), title);
        let keys = [
            "connectivity_errors",
            "servicebus_warnings",
            "service_stops",
            "outages",
            "outage_minutes",
        ];
        for (key, label) in keys.iter().zip(labels) {
            assert_eq!(card(&page, label), wb[key].to_string(), "{lang} {key}");
        }
        // The 10/14 Service Bus outage behind the cloud's SSPR_0030, and the stops.
        for id in ["32014", "32002", "31044", "31034", "31016", "6329", "6801"] {
            assert!(
                page.contains(&format!("<td class=\"n\">{id}</td>")),
                "{lang}: event {id} not listed: {page}"
            );
        }
        assert!(
            !page.contains(">31002<") && !page.contains(">405<"),
            "only errors"
        );
    }
}

/// The headings `explain` prints, in order: the first line of each entry.
fn explained(query: &[&str]) -> (i32, Vec<String>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::support::bin(dir.path())
        .arg("explain")
        .args(query)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let heads = stdout
        .split("\n\n")
        .filter_map(|e| e.lines().next())
        .map(|l| l.split(" — ").next().unwrap_or(l).to_string())
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (out.status.code().unwrap_or(-1), heads, stderr)
}

#[test]
fn explain_ranks_what_names_the_query_first_and_steps_last() {
    let (_, heads, _) = explained(&["ライセンス", "--lang", "ja"]);
    assert_eq!(
        heads.first().map(String::as_str),
        Some("SSPR_0012"),
        "{heads:?}"
    );
    assert_eq!(
        heads.last().map(String::as_str),
        Some("SubmittedUserId"),
        "{heads:?}"
    );
    let (_, heads, _) = explained(&["ブロック", "--lang", "ja"]);
    assert_eq!(
        heads[..2],
        ["BlockedFromSspr", "BlockedFor24Hours"],
        "{heads:?}"
    );
    assert_eq!(
        heads.last().map(String::as_str),
        Some("StartedMobileVoiceCall"),
        "a progress step comes last: {heads:?}"
    );
    let (_, heads, _) = explained(&["接続", "--lang", "ja"]);
    assert_eq!(
        heads.first().map(String::as_str),
        Some("SSPR_0030"),
        "{heads:?}"
    );
    let steps = heads.iter().position(|h| h == "PasswordResetSucceeded");
    let errors = heads.iter().rposition(|h| h == "32002");
    assert!(errors < steps, "errors before successes: {heads:?}");
}

#[test]
fn explain_of_an_event_id_the_page_shows_as_unknown_says_what_it_can() {
    for (args, needle) in [
        (&["ADSync", "6801"][..], "ADSync 6801: not documented"),
        (&["6801"][..], "Event ID 6801: not documented"),
        (
            &["6801", "--lang", "ja"][..],
            "イベント ID 6801: 文書化されていません",
        ),
    ] {
        let (code, heads, stderr) = explained(args);
        assert_eq!(code, 1, "still nothing to explain: {heads:?}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(stderr.contains("hr="), "points at the hr code: {stderr}");
        assert!(!stderr.contains("no catalog entry"), "{stderr}");
    }
}

/// Runs the binary in a fresh folder with `args`; exit code and standard error.
fn usage_error(args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("mine")).expect("mkdir");
    std::fs::write(dir.path().join("mine/keep.txt"), "notes").expect("write");
    let out = crate::support::bin(dir.path())
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn usage_errors_are_printed_in_japanese_with_lang_ja() {
    let sample = fixture("sample");
    let sample = sample.to_str().expect("utf-8 path");
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", sample, "--out", "mine", "--lang", "ja"],
            "keep.txt",
        ),
        (
            &["run", sample, "--month", "2026-13", "--lang", "ja"],
            "月は 01 から 12",
        ),
        (
            &["run", sample, "--tz", "Tokyo", "--lang", "ja"],
            "タイム ゾーン",
        ),
        (
            &["run", sample, "--match-window", "25h", "--lang", "ja"],
            "24h 以下",
        ),
        (
            &["run", sample, "--gap", "5", "--lang", "ja"],
            "単位がありません",
        ),
        (
            &[
                "run",
                sample,
                "--from",
                "2026-10-05",
                "--to",
                "2026-10-01",
                "--lang",
                "ja",
            ],
            "より前です",
        ),
        (
            &["run", "no-such-export", "--lang", "ja"],
            "入力が見つかりません",
        ),
    ];
    for (args, needle) in cases {
        let (code, stderr) = usage_error(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("エラー: "), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        for english in [
            "refusing",
            "invalid value",
            "must ",
            "expected",
            "not found",
            "before",
        ] {
            assert!(
                !stderr.contains(english),
                "{args:?}: English left: {stderr}"
            );
        }
    }
    // English stays English.
    let (code, stderr) = usage_error(&["run", sample, "--out", "mine"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: refusing to write into mine: it holds files"),
        "{stderr}"
    );
}

#[test]
fn times_inside_free_text_do_not_wrap_and_the_file_list_narrows_on_a_phone() {
    for (lang, title) in [("en", "Licence gaps"), ("ja", "ライセンスの不足")] {
        let r = sample(&["--lang", lang]);
        let html = r.file("index.html");
        let gaps = section(&html, title);
        assert!(
            gaps.contains("<span class=\"nw\">2026-10-05T09:16:34+09:00</span>"),
            "{lang}: the evidence's time may break at its hyphens: {gaps}"
        );
        // A list of three fixed columns overlaps its names at 390 px: the columns need a
        // minimum width, so a narrow screen gets fewer.
        let rule = html
            .split("ul.files{")
            .nth(1)
            .and_then(|r| r.split('}').next())
            .expect("a rule for the file list");
        let columns = rule
            .split(';')
            .find_map(|d| d.strip_prefix("columns:"))
            .expect("columns");
        assert!(
            columns
                .split(' ')
                .any(|v| v.ends_with("em") || v.ends_with("px")),
            "no column width: {rule}"
        );
    }
}

#[test]
fn the_throttling_heatmap_says_it_counts_24_hour_block_failures_too() {
    for (lang, needles) in [
        ("en", ["block records", "blocked for 24 hours"]),
        ("ja", ["ブロック記録", "「24 時間ブロック」"]),
    ] {
        let r = sample(&["--lang", lang]);
        let svg = r.file("charts/throttling_heatmap.svg");
        for needle in needles {
            assert!(svg.contains(needle), "{lang}: {needle} missing");
        }
    }
}
