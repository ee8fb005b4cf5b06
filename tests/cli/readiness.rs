//! Readiness (issue 19 item 2): every report lists the inputs it lacks, what each costs and the
//! collect guide's section for it; index.html shows them beside the warnings, `inspect` ends
//! with them.

use crate::support::{Report, fixture, run_report};

fn missing(r: &Report) -> Vec<(String, String)> {
    r.summary()["coverage"]["inputs_missing"]
        .as_array()
        .expect("inputs_missing is a list")
        .iter()
        .map(|m| {
            (
                m["input"].as_str().unwrap_or("").to_string(),
                m["how"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has(r: &Report, input: &str, how: &str) -> bool {
    missing(r)
        .iter()
        .any(|(i, h)| i == input && h == &format!("docs/collect.md#{how}"))
}

#[test]
fn each_missing_input_is_named_by_the_situation_that_causes_it() {
    let audit_only = run_report(&[fixture("formats/portal_current_utf8bom.csv")], &[]);
    assert!(
        has(&audit_only, "onprem_log", "onprem-log"),
        "{:?}",
        missing(&audit_only)
    );
    assert!(has(&audit_only, "registration_snapshot", "registrations"));
    assert!(has(&audit_only, "license_list", "licenses"));
    assert!(!missing(&audit_only).iter().any(|(i, _)| i == "audit_log"));

    let onprem_only = run_report(&[fixture("onprem/evtx")], &[]);
    assert!(
        has(&onprem_only, "audit_log", "audit-log"),
        "{:?}",
        missing(&onprem_only)
    );

    // The sample lacks only the first hours of October in the Connect log (it starts at 10:55)
    // and the plans of one licence product.
    let sample = run_report(
        &[fixture("sample")],
        &["--month", "2026-10", "--tz", "Asia/Tokyo"],
    );
    let expected: Vec<(String, String)> = [
        ("onprem_log", "onprem-servers"),
        ("subscribed_skus", "subscribed-skus"),
    ]
    .iter()
    .map(|(i, h)| (i.to_string(), format!("docs/collect.md#{h}")))
    .collect();
    assert_eq!(missing(&sample), expected);
    // A month the inputs barely reach: both logs are incomplete.
    let november = run_report(
        &[fixture("sample")],
        &["--month", "2026-11", "--tz", "Asia/Tokyo"],
    );
    assert!(
        has(&november, "audit_log", "retention"),
        "{:?}",
        missing(&november)
    );
    assert!(has(&november, "onprem_log", "onprem-servers"));
    // Shown on the page (in Japanese with --lang ja) and in summary.csv.
    assert!(
        sample
            .file("index.html")
            .contains("docs/collect.md#subscribed-skus")
    );
    assert!(
        sample
            .file("summary.csv")
            .contains("coverage.inputs_missing,subscribed_skus,")
    );
    let ja = run_report(
        &[fixture("formats/portal_current_utf8bom.csv")],
        &["--lang", "ja"],
    );
    let page = ja.file("index.html");
    assert!(page.contains("不足している入力") && page.contains("docs/collect.ja.md#onprem-log"));
}

#[test]
fn every_guide_section_named_exists_in_both_guides() {
    let en = std::fs::read_to_string(crate::support::repo().join("docs/collect.md")).expect("en");
    let ja =
        std::fs::read_to_string(crate::support::repo().join("docs/collect.ja.md")).expect("ja");
    for anchor in [
        "audit-log",
        "retention",
        "onprem-log",
        "onprem-servers",
        "registrations",
        "licenses",
        "subscribed-skus",
    ] {
        let tag = format!("<a id=\"{anchor}\"");
        assert!(en.contains(&tag), "docs/collect.md lacks {anchor}");
        assert!(ja.contains(&tag), "docs/collect.ja.md lacks {anchor}");
    }
}

#[test]
fn inspect_ends_with_the_inputs_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = crate::support::bin(dir.path())
        .arg("inspect")
        .arg(fixture("formats/portal_current_utf8bom.csv"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let tail = text.split("inputs missing:").nth(1).unwrap_or_default();
    assert!(
        tail.contains("onprem_log:") && tail.contains("docs/collect.md#onprem-log"),
        "{text}"
    );
}
