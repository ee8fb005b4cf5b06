//! `synth`: synthetic tenants of several sizes and seeds, and the report on each gives exactly
//! the numbers the generator counted while making it (truth.json).

use crate::support::{bin, run_report};
use serde_json::Value;

/// Every key of `truth` (recursively) has the same value in `report`.
fn assert_matches(section: &str, truth: &Value, report: &Value) {
    match truth {
        Value::Object(map) => {
            for (k, v) in map {
                assert_matches(&format!("{section}.{k}"), v, &report[k.as_str()]);
            }
        }
        other => assert_eq!(other, report, "{section}: truth vs report"),
    }
}

fn check(users: u32, days: u32, seed: u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("tenant");
    let synth = bin(dir.path())
        .args([
            "synth",
            "--users",
            &users.to_string(),
            "--days",
            &days.to_string(),
        ])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        synth.status.success(),
        "{}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).expect("truth"))
            .expect("truth.json parses");
    let o = &truth["options"];
    let r = run_report(
        &[out.join("exports")],
        &[
            "--from",
            o["from"].as_str().expect("from"),
            "--to",
            o["to"].as_str().expect("to"),
            "--tz",
            o["tz"].as_str().expect("tz"),
            "--no-charts",
            "--quiet",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let s = r.summary();
    let label = format!("{users} users, {days} days, seed {seed}");
    assert_eq!(s["inputs"]["rejected"], 0, "{label}");
    assert!(
        s["sspr"]["flows"].as_u64().unwrap_or(0) > 0,
        "{label}: flows exist"
    );
    for section in ["sspr", "throttling", "registrations", "license_gaps"] {
        assert_matches(&format!("{label}: {section}"), &truth[section], &s[section]);
    }
    let onprem = &truth["onprem"];
    for key in [
        "requests",
        "succeeded",
        "failed",
        "pending",
        "service_stops",
        "outages",
        "connectivity_errors",
        "servicebus_warnings",
        "config_errors",
    ] {
        assert_eq!(onprem[key], s["writeback"][key], "{label}: writeback.{key}");
    }
    for key in [
        "matched",
        "cloud_only",
        "onprem_only",
        "not_checked",
        "disagreements",
    ] {
        assert_eq!(
            onprem[key], s["correlation"][key],
            "{label}: correlation.{key}"
        );
    }
    // Most rows belong to other services, as in a real tenant.
    let used = s["inputs"]["used"].as_u64().unwrap_or(0) as f64;
    let read = s["inputs"]["records_read"].as_u64().unwrap_or(1) as f64;
    assert!(used / read < 0.25, "{label}: {used} of {read} rows used");
}

#[test]
fn reports_on_synthetic_tenants_give_the_truth() {
    check(60, 7, 42);
    check(300, 14, 3);
    check(900, 31, 2026);
}

#[test]
fn same_seed_same_bytes_and_no_overwriting_of_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |name: &str| {
        let out = dir.path().join(name);
        let o = bin(dir.path())
            .args([
                "synth",
                "--users",
                "40",
                "--days",
                "7",
                "--seed",
                "5",
                "--single-csv",
                "--out",
            ])
            .arg(&out)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };
    let (a, b) = (run("a"), run("b"));
    for rel in [
        "exports/audit/AuditLogs.csv",
        "truth.json",
        "exports/onprem/Application_CONNECT01.evtx",
    ] {
        let x = std::fs::read(a.join(rel)).expect("a");
        let y = std::fs::read(b.join(rel)).expect("b");
        assert!(x == y, "{rel} differs between two runs with the same seed");
    }
    // A folder holding anything synth did not write is refused (tests/cli/output.rs has the
    // rest of the rule: a tenant synth wrote is replaced).
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).expect("mkdir");
    std::fs::write(theirs.join("keep.txt"), b"mine").expect("write");
    let again = bin(dir.path())
        .args(["synth", "--users", "40", "--days", "7", "--out"])
        .arg(&theirs)
        .output()
        .expect("runs");
    assert_eq!(
        again.status.code(),
        Some(2),
        "a folder of the user's is refused"
    );
}
