//! One scenario written in every supported audit format and encoding: the same flows must come
//! out of every one of them, each file recognised by its content.

use crate::support::{fixture, run_report};
use sspr_report::synth::sample::format_fixture_expected_flows;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every input of fixtures/formats: each file, and the folder of Graph pages as one input.
fn variants() -> Vec<PathBuf> {
    let dir = fixture("formats");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/formats exists")
        .map(|e| e.expect("entry").path())
        .collect();
    out.sort();
    assert!(
        out.len() >= 12,
        "expected a dozen format variants, found {}",
        out.len()
    );
    out
}

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

#[test]
fn every_format_gives_the_same_flows() {
    let want = expected();
    let mut reference_flows: Option<String> = None;
    for input in variants() {
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
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
        assert_eq!(got, want, "{name}: flows differ from the scenario");
        // Apart from times (an Excel re-save keeps minutes only), flows.csv is the same everywhere.
        let shape: String = rows
            .iter()
            .map(|r| {
                format!(
                    "{}|{}|{}|{}|{}|{}|{}\n",
                    r[0], r[1], r[2], r[3], r[6], r[7], r[8]
                )
            })
            .collect();
        match &reference_flows {
            None => reference_flows = Some(shape),
            Some(reference) => assert_eq!(
                &shape, reference,
                "{name}: flows.csv differs from the first format"
            ),
        }
        let inputs = report.rows("inputs.csv");
        for row in inputs.iter().skip(1) {
            assert_eq!(row[1], "audit_log", "{name}: {row:?}");
        }
    }
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
