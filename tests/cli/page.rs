//! The page tells the whole story (issue 14 item 8) and, with `--lang ja`, tells it in Japanese
//! (item 9): on-prem errors, every run warning, the failure-rate line, an empty folder, shares,
//! times, labels for machine words, and the terminal account.

use crate::support::{Report, fixture, run_report, section, temp_input};

fn sample(extra: &[&str]) -> Report {
    let mut args = vec!["--month", "2026-10", "--tz", "Asia/Tokyo"];
    args.extend_from_slice(extra);
    let r = run_report(&[fixture("sample")], &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// The text a person reads: tags and inline SVG markup removed, text of the SVG kept.
fn visible_text(html: &str) -> String {
    let html = html.replace("<wbr>", "");
    let body = &html[html.find("<body>").unwrap_or(0)..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_onprem_errors_table_lists_every_detailed_error() {
    let r = sample(&["--quiet"]);
    let html = r.file("index.html").replace("<wbr>", "");
    let errors = section(&html, "On-premises writeback errors");
    for needle in ["33004 ADPermissionsError", "33002 ADUserNotFoundError"] {
        assert!(errors.contains(needle), "{needle} missing: {errors}");
    }
    assert!(
        errors.contains("<td class=\"n\">2</td>"),
        "33004 counts two operations: {errors}"
    );
    assert!(
        errors.contains("connector account"),
        "the fix is given: {errors}"
    );
}

/// Without an on-prem log the page has no writeback errors section: "none" would claim a clean
/// month where nothing is known (the section is kept off even when writeback_events.csv is
/// written header-only).
#[test]
fn no_onprem_log_no_onprem_errors_section() {
    let audit = fixture("sample/AuditLogs_2026-10-01_2026-10-07.csv");
    let r = run_report(&[audit], &["--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = r.file("index.html");
    assert!(
        !html.contains("On-premises writeback errors"),
        "no on-prem log, no on-prem section"
    );
}

#[test]
fn every_run_warning_is_on_the_page_in_the_summary_and_on_the_terminal() {
    let (_empty_dir, empty) = temp_input("empty.csv", b"");
    let r = run_report(
        &[fixture("sample"), empty],
        &["--month", "2026-10", "--tz", "Asia/Tokyo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = r.file("index.html");
    let warnings = section(&html, "Warnings");
    let summary = r.summary();
    let listed: Vec<&str> = summary["coverage"]["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    for needle in [
        "licence products with no known service plans: Microsoft Teams Rooms Pro",
        "empty.csv: empty file: no records",
        "The on-prem event log starts at 2026-10-01T10:55:00+09:00",
    ] {
        assert!(warnings.contains(needle), "{needle} not on the page");
        assert!(
            listed.iter().any(|w| w.contains(needle)),
            "{needle} not in summary.json: {listed:?}"
        );
        assert!(r.stdout.contains(needle), "{needle} not on the terminal");
    }
    assert_eq!(
        r.stdout.matches("warning: ").count(),
        listed.len(),
        "the terminal prints the same list: {}",
        r.stdout
    );
}

/// Points of each black 2-px polyline of an SVG (the failure-rate line and its legend sample).
fn rate_lines(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.lines()
        .filter(|l| {
            l.starts_with("<polyline")
                && l.contains("stroke=\"#000000\"")
                && l.contains("stroke-width=\"2\"")
        })
        .map(|l| {
            let points = l.split("points=\"").nth(1).expect("points");
            points[..points.find('"').expect("end")]
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_failure_rate_line_breaks_at_days_without_flows() {
    let r = sample(&["--quiet"]);
    let svg = r.file("charts/daily_outcomes.svg");
    let lines = rate_lines(&svg);
    // The legend's sample line is one horizontal 14-px stroke.
    let data: Vec<&Vec<(f64, f64)>> = lines
        .iter()
        .filter(|l| !(l.len() == 2 && l[0].1 == l[1].1 && (l[1].0 - l[0].0 - 14.0).abs() < 1.0))
        .collect();
    let steps: Vec<f64> = data
        .iter()
        .flat_map(|l| l.windows(2).map(|w| w[1].0 - w[0].0))
        .collect();
    let day = steps.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(day > 10.0, "one day is many pixels wide: {day}");
    for step in &steps {
        assert!(
            (step - day).abs() < 1.5,
            "the line joins days {step} px apart (a day is {day} px): it crosses days without flows"
        );
    }
    assert!(
        data.len() >= 2,
        "10/11 and 10/12 have no flows: the line is in pieces"
    );
}

#[test]
fn a_folder_with_nothing_readable_says_no_audit_log_was_read() {
    let (_dir, path) = temp_input("notes.txt", b"hello\n");
    let r = run_report(&[path.parent().expect("folder").to_path_buf()], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = r.file("index.html");
    assert!(!html.contains("? – ?"), "no made-up period on the page");
    assert!(
        html.contains("no audit log was read"),
        "the page says why there is no period"
    );
    // Charts without input are left out, and the page names each and what it needs (issue 16:
    // one rule for every chart); none shows an epoch period.
    for chart in [
        "daily_outcomes",
        "failure_reasons",
        "funnel",
        "writeback_health",
    ] {
        assert!(
            !r.out.join(format!("charts/{chart}.svg")).exists(),
            "{chart} drawn from nothing"
        );
    }
    assert!(!html.contains("1970-01-01"), "no epoch period");
    assert!(
        html.contains("not in the inputs: it needs an audit log"),
        "the page says which charts are left out and why"
    );
}

#[test]
fn shares_are_percentages_and_times_do_not_wrap() {
    let r = sample(&["--quiet"]);
    let html = r.file("index.html");
    let reasons = section(&html, "Top failure reasons and their fixes");
    assert!(
        reasons.contains(">17.4%<"),
        "0.173913 is shown as a percentage: {reasons}"
    );
    assert!(!reasons.contains("0.173913"), "no raw share on the page");
    let throttled = section(&html, "Throttled users");
    assert!(
        throttled.contains("<td class=\"t\">2026-10-21T09:31:58+09:00</td>"),
        "a time cell is marked not to wrap: {throttled}"
    );
    assert!(html.contains("td.t{white-space:nowrap}"));
    // A long identifier or command may break anywhere rather than push the table wider than
    // its column.
    assert!(
        html.contains("td.w,td.c,td.k{overflow-wrap:anywhere}")
            && html.contains(".tw{overflow-x:auto}")
    );
    assert!(
        reasons.contains("Fuzzy<wbr>Policy<wbr>Violation<wbr>Invalid<wbr>Password"),
        "an identifier breaks at its word joints"
    );
}

#[test]
fn throttling_csv_names_the_period_total() {
    let r = sample(&["--quiet"]);
    let rows = r.rows("throttling.csv");
    assert_eq!(
        rows[0].last().map(String::as_str),
        Some("flows_in_period"),
        "{:?}",
        rows[0]
    );
    let yuta = rows
        .iter()
        .find(|row| row[0] == "yuta.mori@contoso.co.jp")
        .expect("yuta is throttled");
    assert_eq!(yuta[6], "6", "max_flows_in_window: the busiest window");
    assert_eq!(yuta[8], "7", "flows_in_period: the whole period");
}

/// English words a Japanese reader must not meet on the page (column names, values, labels).
const ENGLISH: [&str; 24] = [
    "The on-prem event log",
    "icence products",
    "Coverage",
    "throttled",
    "inferred",
    "writeback_without_p1",
    "sspr_failed_unlicensed",
    "sspr_enabled_unlicensed",
    "all required",
    "block_events",
    "max_flows_in_window",
    "last_blocked_at",
    "evidence",
    "remedy",
    "error_code",
    "Unlicensed",
    "out of scope",
    "duplicate",
    "rejected",
    "used",
    "onprem_permissions",
    "We could not reach",
    "Password reset is not enabled",
    "failure without a detailed error event",
];

#[test]
fn the_japanese_page_has_no_english_labels() {
    let r = sample(&["--quiet", "--lang", "ja"]);
    let html = r.file("index.html");
    // The catalog's Japanese explanation of a code quotes the English wording it is logged
    // with ("長い文言「We could not reach …」"): that quotation is no label.
    let codes = html
        .find("<h3>コードの意味</h3>")
        .expect("the codes' texts");
    let end = codes + html[codes..].find("</dl>").expect("their list ends");
    let html = format!("{}{}", &html[..codes], &html[end..]);
    let text = visible_text(&html);
    for word in ENGLISH {
        assert!(!text.contains(word), "English on the Japanese page: {word}");
    }
    assert!(
        !text.contains("カバレッジ"),
        "an administrator's word, not a loan word"
    );
    assert!(text.contains("ADPermissionsError"), "codes stay as logged");
}

#[test]
fn japanese_card_labels_break_between_words_only() {
    let r = sample(&["--quiet", "--lang", "ja"]);
    let html = r.file("index.html");
    assert!(
        html.contains(".l{word-break:keep-all}") && html.contains(":lang(ja){line-break:strict}"),
        "Japanese text is not broken inside words"
    );
    assert!(
        html.contains("<span class=\"l\">ブロックされた<wbr>ユーザー</span>"),
        "the card label marks where it may break"
    );
}

#[test]
fn the_terminal_speaks_japanese_with_lang_ja() {
    let r = sample(&["--lang", "ja"]);
    for english in [
        "flows from",
        "records read",
        "warning:",
        "writeback:",
        "report:",
        "icence products",
    ] {
        assert!(
            !r.stdout.contains(english),
            "{english} on the Japanese terminal: {}",
            r.stdout
        );
    }
    assert!(
        r.stdout.contains("SSPR フロー 131 件") && r.stdout.contains("警告:"),
        "{}",
        r.stdout
    );
    let summary = r.summary();
    assert!(
        summary["coverage"]["warnings"][0]
            .as_str()
            .is_some_and(|w| w.starts_with("The on-prem event log starts")),
        "summary.json stays English: {}",
        summary["coverage"]
    );
}

#[test]
fn the_strict_refusal_speaks_japanese_with_lang_ja() {
    let (_dir, junk) = temp_input("junk.bin", b"\x00\x01\x02 not an export \xff\xfe");
    let r = run_report(&[junk], &["--strict", "--lang", "ja"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("不正なレコードが 1 件ありました") && !r.stderr.contains("rejected;"),
        "{}",
        r.stderr
    );
}
