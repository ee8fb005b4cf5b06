//! One scenario written in every supported audit format and encoding: the same flows must come
//! out of every one of them, each file recognised by its content.

use crate::support::{fixture, run_report};
use sspr_report::synth::sample::format_fixture_expected_flows;
use std::collections::BTreeSet;

type Key = (String, String, String, String, String);

fn expected() -> BTreeSet<Key> {
    format_fixture_expected_flows()
        .into_iter()
        .map(|f| {
            (
                f.correlation_id.to_lowercase(),
                f.user.to_lowercase(),
                f.kind.to_string(),
                f.outcome.to_string(),
                f.reason_category.to_string(),
            )
        })
        .collect()
}

/// Runs the report on one variant and checks it against the scenario. Besides the key columns,
/// failure reason and onprem state must match the UTF-8 portal CSV's (times may differ: an
/// Excel re-save keeps minutes only).
fn check_variant(name: &str) {
    let input = fixture("formats").join(name);
    let report = run_report(std::slice::from_ref(&input), &["--tz", "Asia/Tokyo"]);
    assert_eq!(report.code, 0, "{name}: {}", report.stderr);
    report.assert_accounting();
    let rejects = report.rows("rejects.csv");
    assert_eq!(
        rejects.len(),
        1,
        "{name}: no rejects expected, got {rejects:?}"
    );
    let rows = report.rows("flows.csv");
    let got: BTreeSet<Key> = rows
        .iter()
        .skip(1)
        .map(|r| {
            (
                r[0].clone(),
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
                r[7].clone(),
            )
        })
        .collect();
    assert_eq!(got, expected(), "{name}: flows differ from the scenario");
    let shape = |rows: &[Vec<String>]| -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}|{}|{}|{}|{}", r[0], r[2], r[3], r[6], r[8]))
            .collect()
    };
    if name != "portal_current_utf8bom.csv" {
        let reference = run_report(
            &[fixture("formats/portal_current_utf8bom.csv")],
            &["--tz", "Asia/Tokyo"],
        );
        assert_eq!(
            shape(&rows),
            shape(&reference.rows("flows.csv")),
            "{name}: flows.csv differs from the portal CSV's"
        );
    }
    for row in report.rows("inputs.csv").iter().skip(1) {
        assert_eq!(row[1], "audit_log", "{name}: {row:?}");
    }
}

/// One test per variant, and the list of variants `every_variant_has_a_test` checks.
macro_rules! format_tests {
    ($($test:ident => $file:expr),* $(,)?) => {
        const VARIANTS: &[&str] = &[$($file),*];
        $(#[test] fn $test() { check_variant($file); })*
    };
}

format_tests! {
    event_hub_lines => "event_hub_diagnostic_PT1H.json",
    graph_ndjson => "graph_directory_audits.ndjson",
    graph_pages_folder => "graph_pages",
    log_analytics_csv => "log_analytics_portal_export.csv",
    log_analytics_json => "log_analytics_query_rows.json",
    xlsx_workbook => "portal_csv_saved_as_excel.xlsx",
    portal_csv_localized_date_header => "portal_current_date_header_ja.csv",
    portal_csv_utf16be => "portal_current_utf16be.csv",
    portal_csv_utf16le => "portal_current_utf16le.csv",
    portal_csv_current_utf8_bom => "portal_current_utf8bom.csv",
    portal_json_bare_array => "portal_download_bare_array.json",
    portal_json_value_wrapper => "portal_download_value_wrapper.json",
    portal_csv_shift_jis_excel_resave => "portal_excel_resave_shift_jis.csv",
    portal_csv_legacy_layout => "portal_legacy_layout_utf8.csv",
}

#[test]
fn every_variant_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("formats"))
        .expect("fixtures/formats exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = VARIANTS.to_vec();
    listed.sort_unstable();
    assert_eq!(on_disk, listed);
}

#[test]
fn inspect_names_every_format_and_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = crate::support::bin(dir.path())
        .arg("inspect")
        .arg(fixture("formats"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "portal audit CSV, current 86-column layout",
        "older",
        "date header",
        "UTF-16LE (BOM)",
        "UTF-16BE (BOM)",
        "Shift_JIS (CP932)",
        "Graph page",
        "directoryAudit records (portal JSON / Graph), JSON array",
        "JSON object with 'value' array",
        "JSON lines",
        "Log Analytics AuditLogs CSV",
        "Log Analytics AuditLogs, JSON array",
        "Event Hub",
        "Excel workbook",
    ] {
        assert!(
            text.contains(needle),
            "inspect output lacks '{needle}':\n{text}"
        );
    }
    assert!(!text.contains("kind:       unknown"), "{text}");
}
