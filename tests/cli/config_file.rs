//! `run --config FILE` and ./sspr-report.toml (issue 19 item 4): the file gives what the command
//! line would, the command line wins, paths start at the file's folder, a typo is a usage error.

use crate::support::{bin, fixture, tree_bytes};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::Path;

/// Options a monthly job repeats, as a config file and as the same command line.
const JOB_TOML: &str = r#"# the October job
month = "2026-10"
tz = "Asia/Tokyo"
onprem-tz = "Asia/Tokyo"
lang = "ja"
xlsx = true
no-charts = true
match-window = "10m"
gap = "12h"
throttle-threshold = 4
throttle-window = "24h"
threads = 2
quiet = true
"#;
const JOB_ARGS: &[&str] = &[
    "--month",
    "2026-10",
    "--tz",
    "Asia/Tokyo",
    "--onprem-tz",
    "Asia/Tokyo",
    "--lang",
    "ja",
    "--xlsx",
    "--no-charts",
    "--match-window",
    "10m",
    "--gap",
    "12h",
    "--throttle-threshold",
    "4",
    "--throttle-window",
    "24h",
    "--threads",
    "2",
    "--quiet",
];

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn summary(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("json")
}

#[test]
fn config_file_gives_the_same_report_as_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = fixture("sample");
    let toml = format!(
        "{JOB_TOML}inputs = [{:?}]\nout = \"from-file\"\n",
        sample.display().to_string()
    );
    write(&dir.path().join("job/october.toml"), &toml);
    bin(dir.path())
        .args(["run", "--config", "job/october.toml"])
        .assert()
        .success();
    bin(dir.path())
        .arg("run")
        .arg(&sample)
        .args(["--out", "from-cli"])
        .args(JOB_ARGS)
        .assert()
        .success();
    // `out` is relative to the file's folder, not to the working folder.
    let from_file = dir.path().join("job/from-file");
    assert!(!dir.path().join("from-file").exists());
    assert!(from_file.join("report.xlsx").is_file(), "xlsx = true");
    assert!(!from_file.join("charts").exists(), "no-charts = true");
    let s = summary(&from_file);
    assert_eq!(s["period"]["from"], "2026-10-01");
    assert_eq!(s["period"]["timezone"], "Asia/Tokyo");
    assert_eq!(
        tree_bytes(&from_file),
        tree_bytes(&dir.path().join("from-cli")),
        "the file and the command line give byte-identical reports"
    );
}

#[test]
fn command_line_overrides_the_file_and_relative_inputs_start_at_its_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let job = dir.path().join("job");
    // The exports sit beside the config file; the job is run from elsewhere.
    let exports = job.join("exports");
    std::fs::create_dir_all(&exports).expect("mkdir");
    for name in [
        "AuditLogs_2026-10-01_2026-10-07.csv",
        "Application_CONNECT01.evtx",
    ] {
        std::fs::copy(fixture("sample").join(name), exports.join(name)).expect("copy");
    }
    write(
        &job.join("sspr.toml"),
        "inputs = \"exports\"\nmonth = \"2026-09\"\ntz = \"Asia/Tokyo\"\nno-charts = true\n",
    );
    let out = dir.path().join("r");
    bin(dir.path())
        .args([
            "run",
            "--config",
            "job/sspr.toml",
            "--month",
            "2026-10",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("options from job/sspr.toml"));
    let s = summary(&out);
    assert_eq!(s["period"]["from"], "2026-10-01", "--month beats month");
    assert_eq!(s["period"]["timezone"], "Asia/Tokyo", "tz from the file");
    assert!(s["inputs"]["records_read"].as_u64().unwrap_or(0) > 0, "{s}");
    // --from/--to on the command line replace the file's month (no conflict between them).
    let out2 = dir.path().join("r2");
    bin(dir.path())
        .args(["run", "--config", "job/sspr.toml", "--from", "2026-10-05"])
        .args(["--to", "2026-10-06", "--out"])
        .arg(&out2)
        .assert()
        .success();
    assert_eq!(summary(&out2)["period"]["from"], "2026-10-05");
}

#[test]
fn sspr_report_toml_in_the_working_folder_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        &dir.path().join("sspr-report.toml"),
        // Notepad saves with a byte-order mark.
        "\u{feff}month = \"2026-10\"\nout = \"monthly\"\nno-charts = true\n",
    );
    bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .assert()
        .success()
        .stderr(contains("options from sspr-report.toml"));
    assert_eq!(
        summary(&dir.path().join("monthly"))["period"]["chosen_by"],
        "month"
    );
}

/// `run --config FILE` with the file's text: exit 2, stderr holding every `needle`, no report.
fn refused(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("bad.toml"), text);
    let mut assert = bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--config", "bad.toml", "--out", "r"])
        .assert()
        .code(2);
    for needle in needles {
        assert = assert.stderr(contains(*needle));
    }
    assert!(!dir.path().join("r").exists(), "no report on a usage error");
}

#[test]
fn unknown_key_is_a_usage_error_naming_the_key_and_the_file() {
    refused(
        "month = \"2026-10\"\nmonht = \"2026-11\"\n",
        &["unknown key 'monht'", "bad.toml", "month, from, to"],
    );
}

#[test]
fn bad_values_and_an_inline_key_are_refused() {
    refused(
        "threads = \"many\"\n",
        &["'threads'", "bad.toml", "whole number"],
    );
    refused(
        "throttle-threshold = 1\n",
        &["'throttle-threshold'", "from 2 to 1000"],
    );
    refused("xlsx = \"yes\"\n", &["'xlsx'", "true or false"]);
    refused("lang = \"fr\"\n", &["'lang'", "\"en\" or \"ja\""]);
    refused("month = 2026-10\n", &["bad.toml", "not valid TOML (line 1"]);
    refused(
        "month = \"2026-10\"\nfrom = \"2026-10-01\"\n",
        &["month cannot be used with from"],
    );
    refused(
        "pseudonymize = \"a-secret-key-in-plain-text\"\n",
        &["'pseudonymize'", "pseudonymize-key-file"],
    );
    // A value the file gives is checked like the option's.
    refused(
        "month = \"2026-13\"\n",
        &[
            "'month' in config file bad.toml",
            "the month must be 01 to 12",
        ],
    );
    refused(
        "tz = \"JST\"\n",
        &["'tz' in config file bad.toml", "not an IANA time-zone name"],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["run", "--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(contains("missing.toml").and(contains("not found")));
}

#[test]
fn pseudonymize_key_file_gives_the_same_pseudonyms_as_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = "monthly-pack-key-2026";
    write(&dir.path().join("secret/key.txt"), &format!("{key}\r\n"));
    write(
        &dir.path().join("job.toml"),
        "pseudonymize-key-file = \"secret/key.txt\"\nno-charts = true\n",
    );
    let run = |args: &[&str], out: &str| {
        bin(dir.path())
            .arg("run")
            .arg(fixture("sample"))
            .args(args)
            .args(["--no-charts", "--quiet", "--out", out])
            .assert()
            .success();
        std::fs::read(dir.path().join(out).join("flows.csv")).expect("flows.csv")
    };
    let by_key = run(&["--pseudonymize", key], "a");
    let by_option = run(&["--pseudonymize-key-file", "secret/key.txt"], "b");
    let by_config = run(&["--config", "job.toml"], "c");
    let plain = run(&[], "d");
    assert_eq!(by_key, by_option);
    assert_eq!(by_key, by_config);
    assert_ne!(by_key, plain, "the key file did pseudonymise");
    bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--pseudonymize-key-file", "nokey.txt", "--out", "e"])
        .assert()
        .code(2)
        .stderr(contains("nokey.txt").and(contains("does not exist")));
}
