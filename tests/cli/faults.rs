//! Faults around the report folder: a run killed at any moment, a full disk, an unwritable or
//! overlapping output. The previous report is never damaged and no half-written one appears.

use crate::support::{bin, fixture, tree_bytes as snapshot};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Hidden leftovers of runs (`.report.tmp-<pid>`, `.report.old-<pid>`) next to the report.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".report."))
        .collect()
}

/// The report's own file that tests overwrite to tell the previous report from a new one (a
/// file added by hand would make the next run refuse the folder: it is no longer all ours).
const MARK: &str = "rejects.csv";
const PREVIOUS: &[u8] = b"the previous report";

fn mark(report: &Path) {
    std::fs::write(report.join(MARK), PREVIOUS).expect("mark");
}

/// Whether `files` is the marked previous report; the mark is undone in `files`, so that it
/// compares equal to `before` when whole.
fn unmark(files: &mut BTreeMap<String, Vec<u8>>, before: &BTreeMap<String, Vec<u8>>) -> bool {
    let previous = files.get(MARK).is_some_and(|b| b == PREVIOUS);
    if previous {
        files.insert(MARK.to_string(), before[MARK].clone());
    }
    previous
}

fn sample_run(dir: &Path) -> std::process::Command {
    let mut cmd = crate::support::sample_month(dir);
    cmd.args(["--out", "report"]);
    cmd
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_report_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let status = sample_run(dir.path()).status().expect("runs");
    assert!(status.success());
    let full_run = started.elapsed();
    let report = dir.path().join("report");
    let before = snapshot(&report);
    assert!(before.len() > 20, "{} files", before.len());
    // Mark the previous report, so that a new one (same inputs, same bytes) is told apart.
    mark(&report);

    let steps = 12u32;
    let mut replaced = 0;
    for step in 0..steps {
        let mut child = sample_run(dir.path()).spawn().expect("spawn");
        std::thread::sleep(full_run * step / steps);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("wait");
        let mut files = snapshot(&report);
        let previous = unmark(&mut files, &before);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "killed after {step}/{steps} of a run ({status}): the report folder is whole"
        );
        assert!(files == before, "killed after {step}/{steps}: same bytes");
        if !previous {
            // The run finished before the kill: the new report replaced the old one whole.
            replaced += 1;
            mark(&report);
        }
    }
    assert!(
        replaced < steps,
        "at least one run was killed before it finished"
    );
    // A killed run may leave its hidden temporary folder; the next run clears it.
    assert!(sample_run(dir.path()).status().expect("runs").success());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    assert!(snapshot(&report) == before, "the new report, unmarked");
}

#[test]
fn a_run_killed_inside_the_commit_leaves_one_whole_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(sample_run(dir.path()).status().expect("runs").success());
    let report = dir.path().join("report");
    let before = snapshot(&report);
    // Waits until `ready` holds, then kills the run; the report folder is then checked whole.
    let kill_when = |ready: &dyn Fn(u32) -> bool| {
        let mut child = sample_run(dir.path())
            .env("SSPR_TEST_COMMIT_PAUSE_MS", "3000")
            .spawn()
            .expect("spawn");
        let started = Instant::now();
        while !ready(child.id()) {
            assert!(
                started.elapsed().as_secs() < 60,
                "the run never reached the commit"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
    };
    let whole = |with_marker: bool| {
        let mut now = snapshot(&report);
        assert_eq!(unmark(&mut now, &before), with_marker);
        assert!(now == before, "the report folder holds one whole report");
    };
    // Killed just before the swap: the new report is complete beside the old one.
    mark(&report);
    kill_when(&|pid| {
        let temp = dir.path().join(format!(".report.tmp-{pid}"));
        temp.is_dir() && snapshot(&temp).len() == before.len()
    });
    whole(true);
    // Killed just after the swap: the new report is in place, the old one beside it.
    kill_when(&|_| std::fs::read(report.join(MARK)).is_ok_and(|b| b != PREVIOUS));
    whole(false);
    assert!(
        !leftovers(dir.path()).is_empty(),
        "the old report waits beside it"
    );
    assert!(sample_run(dir.path()).status().expect("runs").success());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_previous_report_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(sample_run(dir.path()).status().expect("runs").success());
    let report = dir.path().join("report");
    let before = snapshot(&report);
    // A file-size limit (RLIMIT_FSIZE; `ulimit -f 32` is 16 KiB in dash's 512-byte blocks, 32
    // KiB in bash's) makes larger writes fail as on a full disk; the signal it would raise is
    // ignored, so the write returns an error instead.
    let bin = assert_cmd::cargo::cargo_bin("sspr-report");
    let output = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 32 && exec \"$0\" \"$@\"")
        .arg(&bin)
        .arg("run")
        .arg(fixture("sample"))
        .args(["--month", "2026-10", "--tz", "Asia/Tokyo", "--quiet"])
        .args(["--out", "report"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: writing ") && stderr.contains("File too large"),
        "names what failed and why: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        snapshot(&report) == before,
        "the previous report is untouched"
    );
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "no half-written report"
    );
}

#[test]
fn an_unwritable_output_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("not-a-folder"), b"x").expect("file");
    bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--quiet", "--no-charts", "--out", "not-a-folder/report"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not-a-folder"))
        .stderr(predicates::str::contains("it is a file, not a folder"));
}

#[test]
fn an_output_over_an_input_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).expect("mkdir");
    let csv = exports.join("AuditLogs.csv");
    std::fs::copy(fixture("sample/AuditLogs_2026-10-01_2026-10-07.csv"), &csv).expect("copy");
    for (input, out) in [
        ("exports", "exports"),                             // the input folder itself
        ("exports", "exports/reports/oct"),                 // inside the input folder
        ("exports/AuditLogs.csv", "exports/AuditLogs.csv"), // over an input file
        ("exports/AuditLogs.csv", "exports"), // an input inside the folder to be replaced
    ] {
        bin(dir.path())
            .args(["run", input, "--out", out])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("overlaps input"));
        assert!(csv.exists(), "{input} / {out}: the input is untouched");
    }
}

#[test]
fn exit_codes_are_documented_and_kept() {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).expect("README");
    for line in ["| 0 |", "| 1 |", "| 2 |"] {
        assert!(readme.contains(line), "README's exit code table has {line}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // 0: a report was written, rejected records or not.
    let (_keep, bad) = crate::support::temp_input(
        "AuditLogs.csv",
        b"\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\"\n\
          \"2026-10-01T00:00:00Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"success\",\"\"\n\
          \"not a date\",\"c2\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"success\",\"\"\n",
    );
    bin(dir.path())
        .arg("run")
        .arg(&bad)
        .args(["--quiet", "--no-charts", "--out", "a"])
        .assert()
        .code(0);
    // 1 with --strict and a rejected record; the report is still written.
    bin(dir.path())
        .arg("run")
        .arg(&bad)
        .args(["--quiet", "--no-charts", "--strict", "--out", "b"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--strict: 1 record(s) rejected"));
    assert!(dir.path().join("b/rejects.csv").exists());
    // 2: a usage error, before any input is read.
    bin(dir.path())
        .arg("run")
        .arg(&bad)
        .args(["--threads", "0", "--out", "c"])
        .assert()
        .code(2);
    assert!(!dir.path().join("c").exists());
}

#[test]
fn a_report_path_that_is_a_file_is_refused_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("report"), b"my notes").expect("file");
    bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--quiet", "--no-charts", "--out", "report"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a file, not a folder, has that name",
        ));
    assert_eq!(
        std::fs::read(dir.path().join("report")).expect("kept"),
        b"my notes"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}
