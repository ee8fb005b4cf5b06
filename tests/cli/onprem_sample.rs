//! The sample month's Connect-server logs: the report says what the generator built
//! (`sample_month_onprem_truth`), and it is the same whichever on-prem export format is given.

use crate::support::{Report, fixture, run_report};
use sspr_report::synth::onprem::sample_month_onprem_truth;
use std::path::PathBuf;

/// The sample's audit exports (everything in fixtures/sample but the .evtx logs).
fn audit_inputs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixture("sample"))
        .expect("fixtures/sample")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_none_or(|e| e != "evtx"))
        .collect();
    out.sort();
    out
}

fn report_with(onprem: &str) -> Report {
    let mut inputs = audit_inputs();
    inputs.push(fixture("onprem").join(onprem));
    let r = run_report(
        &inputs,
        &[
            "--month",
            "2026-10",
            "--tz",
            "Asia/Tokyo",
            "--onprem-tz",
            "Asia/Tokyo",
        ],
    );
    assert_eq!(r.code, 0, "{onprem}: {}", r.stderr);
    r.assert_accounting();
    r
}

#[test]
fn the_sample_report_says_what_the_generator_built() {
    let r = report_with("evtx");
    let s = r.summary();
    let t = sample_month_onprem_truth();
    let (w, c) = (&s["writeback"], &s["correlation"]);
    let got = [
        ("requests", w["requests"].as_u64(), t.requests),
        ("succeeded", w["succeeded"].as_u64(), t.succeeded),
        ("failed", w["failed"].as_u64(), t.failed),
        ("pending", w["pending"].as_u64(), t.pending),
        (
            "service_stops",
            w["service_stops"].as_u64(),
            t.service_stops,
        ),
        ("outages", w["outages"].as_u64(), t.outages),
        (
            "connectivity_errors",
            w["connectivity_errors"].as_u64(),
            t.connectivity_errors,
        ),
        (
            "servicebus_warnings",
            w["servicebus_warnings"].as_u64(),
            t.servicebus_warnings,
        ),
        (
            "config_errors",
            w["config_errors"].as_u64(),
            t.config_errors,
        ),
        ("matched", c["matched"].as_u64(), t.matched),
        ("cloud_only", c["cloud_only"].as_u64(), t.cloud_only),
        ("onprem_only", c["onprem_only"].as_u64(), t.onprem_only),
        ("not_checked", c["not_checked"].as_u64(), t.not_checked),
        (
            "disagreements",
            c["disagreements"].as_u64(),
            t.disagreements,
        ),
    ];
    let wrong: Vec<String> = got
        .iter()
        .filter(|(_, have, want)| *have != Some(*want))
        .map(|(k, have, want)| format!("{k}: report {have:?}, generator {want}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_onprem_format_gives_the_same_report() {
    let reference = report_with("evtx");
    let mut formats: Vec<String> = std::fs::read_dir(fixture("onprem"))
        .expect("fixtures/onprem")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "evtx")
        .collect();
    formats.sort();
    assert!(formats.len() >= 8, "{formats:?}");
    for format in formats {
        let r = report_with(&format);
        for file in [
            "flows.csv",
            "daily.csv",
            "writeback_health.csv",
            "failure_reasons.csv",
        ] {
            assert_eq!(
                r.file(file),
                reference.file(file),
                "{format}: {file} differs from the .evtx report"
            );
        }
        let (a, b) = (r.summary(), reference.summary());
        for section in ["sspr", "writeback", "correlation"] {
            assert_eq!(a[section], b[section], "{format}: summary {section}");
        }
        // The trail is the same events; the message column differs only where a rendering
        // (Event Viewer with an unregistered source) had to be unwrapped, which it is.
        let cols = |rep: &Report| -> Vec<String> {
            rep.rows("writeback_events.csv")
                .iter()
                .map(|row| row[..8].join(","))
                .collect()
        };
        let (have, want) = (cols(&r), cols(&reference));
        let first_difference = have.iter().zip(&want).position(|(a, b)| a != b);
        assert!(
            first_difference.is_none() && have.len() == want.len(),
            "{format}: writeback_events.csv differs at row {first_difference:?} ({} vs {} rows): {:?} vs {:?}",
            have.len(),
            want.len(),
            first_difference.map(|i| &have[i]),
            first_difference.map(|i| &want[i]),
        );
    }
}
