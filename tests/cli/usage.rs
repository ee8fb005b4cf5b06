//! Command-line validation: every malformed option is a usage error (exit 2) with a clear
//! message, before any file is read and never as an empty report.

use crate::support::{bin, fixture};
use predicates::str::contains;

fn usage_error(args: &[&str], message: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--out", "r"])
        .args(args)
        .assert()
        .code(2)
        .stderr(contains(message));
    assert!(!dir.path().join("r").exists(), "no report on a usage error");
}

#[test]
fn bad_month() {
    usage_error(&["--month", "2026-13"], "the month must be 01 to 12");
    usage_error(&["--month", "Oct 2026"], "expected YYYY-MM");
}

#[test]
fn bad_range() {
    usage_error(
        &["--from", "2026-10-31", "--to", "2026-10-01"],
        "before --from",
    );
    usage_error(
        &["--from", "2026-10-01", "--to", "31/10/2026"],
        "expected a date YYYY-MM-DD",
    );
    usage_error(&["--from", "2026-10-01"], "--to");
    usage_error(
        &[
            "--month",
            "2026-10",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-02",
        ],
        "cannot be used with",
    );
}

#[test]
fn bad_time_zone_and_durations() {
    usage_error(&["--tz", "JST"], "not an IANA time-zone name");
    usage_error(&["--gap", "6"], "missing unit");
    usage_error(&["--throttle-window", "0m"], "longer than zero");
    usage_error(&["--throttle-threshold", "1"], "--throttle-threshold");
    usage_error(&["--throttle-window", "8d"], "at most 7d");
    usage_error(&["--throttle-window", "1h30"], "missing unit");
}

#[test]
fn missing_input_and_output_inside_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["run", "no-such-file.csv"])
        .assert()
        .code(2)
        .stderr(contains("input not found"));
    std::fs::create_dir(dir.path().join("exports")).expect("mkdir");
    bin(dir.path())
        .args(["run", "exports", "--out", "exports/report"])
        .assert()
        .code(2)
        .stderr(contains("overlaps input"));
}

#[test]
fn help_lists_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path()).arg("--help").assert().success().stdout(
        contains("run")
            .and(contains("inspect"))
            .and(contains("explain")),
    );
}

use predicates::prelude::PredicateBooleanExt;
