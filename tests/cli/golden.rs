//! Golden reports of the bundled sample: every report file is an insta snapshot, and two runs
//! give byte-identical files.

use crate::support::{Report, bin};
use std::path::Path;

const FILES: [&str; 12] = [
    "summary.json",
    "summary.csv",
    "flows.csv",
    "daily.csv",
    "failure_reasons.csv",
    "throttling.csv",
    "registrations.csv",
    "license_gaps.csv",
    "rejects.csv",
    "inputs.csv",
    "writeback_events.csv",
    "writeback_health.csv",
];

/// `sspr-report run` with no INPUT: the bundled sample.
fn sample_report(dir: &Path, extra: &[&str]) -> Report {
    let out = dir.join("report");
    let output = bin(dir)
        .arg("run")
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .expect("runs");
    Report {
        _dir: tempfile::tempdir().expect("tempdir"),
        out,
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn sample_report_matches_the_golden_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = sample_report(dir.path(), &["--month", "2026-10", "--tz", "Asia/Tokyo"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    report.assert_accounting();
    for file in FILES {
        insta::assert_snapshot!(format!("sample_{file}"), report.file(file));
    }
    let bytes = std::fs::read(report.out.join("flows.csv")).expect("flows.csv");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "CSV starts with a BOM"
    );
}

#[test]
fn runs_are_byte_identical_and_no_bom_drops_the_bom() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let first = sample_report(a.path(), &["--tz", "Asia/Tokyo"]);
    let second = sample_report(b.path(), &["--tz", "Asia/Tokyo"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    for file in FILES {
        let x = std::fs::read(first.out.join(file)).expect("first");
        let y = std::fs::read(second.out.join(file)).expect("second");
        assert!(x == y, "{file} differs between two runs");
    }
    let c = tempfile::tempdir().expect("tempdir");
    let plain = sample_report(c.path(), &["--tz", "Asia/Tokyo", "--no-bom", "--quiet"]);
    assert!(
        plain.stdout.is_empty(),
        "--quiet prints nothing: {}",
        plain.stdout
    );
    let bytes = std::fs::read(plain.out.join("flows.csv")).expect("flows.csv");
    assert!(bytes.starts_with(b"correlation_id,"));
}

#[test]
fn default_report_folder_is_reports_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = bin(dir.path())
        .args(["run", "--quiet"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("reports/sample/summary.json").is_file());
    // A second run replaces the report in place and leaves no temporary folders behind.
    let output = bin(dir.path())
        .args(["run", "--quiet"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .expect("reports")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["sample".to_string()]);
}
