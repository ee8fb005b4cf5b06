//! Output folders: a command replaces only a folder it wrote itself (marked with
//! `.sspr-report`, or a report of an earlier version recognised by its files); anything else is
//! refused before any input is read, exit 2, and left exactly as it was.

use crate::support::{bin, fixture, tree_bytes};
use std::path::Path;
use std::process::Output;

/// `run` on a small export into `out`, from `dir`.
fn run_into(dir: &Path, out: &str, extra: &[&str]) -> Output {
    bin(dir)
        .arg("run")
        .arg(fixture("sample/AuditLogs_2026-10-01_2026-10-07.csv"))
        .args(["--quiet", "--no-charts", "--out", out])
        .args(extra)
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder of the user's: a file and a subfolder with a file in it.
fn users_folder(path: &Path) {
    std::fs::create_dir_all(path.join("sub")).expect("mkdir");
    std::fs::write(path.join("keep.txt"), b"my notes").expect("write");
    std::fs::write(path.join("sub/data.csv"), b"a,b\n1,2\n").expect("write");
}

#[test]
fn a_users_folder_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mine = dir.path().join("mine");
    users_folder(&mine);
    let before = tree_bytes(&mine);
    let o = run_into(dir.path(), "mine", &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("refusing to write into mine")
            && err.contains("keep.txt, sub/")
            && err.contains("did not write")
            && err.contains("choose a new or empty folder"),
        "names the folder, what is in it and what to do: {err}"
    );
    assert!(tree_bytes(&mine) == before, "the folder is untouched");
    // The default folder (reports/<period>) follows the same rule.
    let default = dir.path().join("reports/2026-10");
    users_folder(&default);
    let o = bin(dir.path())
        .arg("run")
        .arg(fixture("sample/AuditLogs_2026-10-01_2026-10-07.csv"))
        .args(["--quiet", "--no-charts", "--month", "2026-10"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("reports/2026-10"), "{}", stderr(&o));
    assert!(default.join("keep.txt").is_file() && default.join("sub/data.csv").is_file());
}

#[test]
fn the_current_folder_and_those_above_it_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    std::fs::create_dir(&work).expect("mkdir");
    std::fs::write(work.join("keep.txt"), b"mine").expect("write");
    for out in [".", "..", "./"] {
        let o = run_into(&work, out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {err}");
        assert!(
            err.contains("it is the current folder or holds it") && !err.contains("busy"),
            "--out {out}: {err}"
        );
    }
    // Even an empty current folder: it cannot be replaced under the user's feet.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    assert_eq!(run_into(&empty, ".", &[]).status.code(), Some(2));
    assert_eq!(std::fs::read(work.join("keep.txt")).expect("kept"), b"mine");
}

#[test]
fn an_existing_empty_folder_is_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let o = run_into(dir.path(), "empty", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("empty/summary.json").is_file());
}

#[test]
fn a_previous_report_is_marked_and_replaced_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run_into(dir.path(), "report", &["--xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let marker = std::fs::read_to_string(dir.path().join("report/.sspr-report")).expect("marker");
    let mut lines = marker.lines();
    assert_eq!(
        lines.next(),
        Some(format!("sspr-report {} report", env!("CARGO_PKG_VERSION")).as_str())
    );
    let listed: Vec<&str> = lines.filter(|l| !l.starts_with('#')).collect();
    let mut on_disk: Vec<String> = tree_bytes(&dir.path().join("report")).into_keys().collect();
    on_disk.retain(|f| f != ".sspr-report");
    on_disk.sort();
    assert_eq!(listed, on_disk, "the marker lists every file written");
    // Replaced whole: the workbook of the first run does not survive the second.
    let o = run_into(dir.path(), "report", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!dir.path().join("report/report.xlsx").exists());
    assert!(dir.path().join("report/summary.json").is_file());
    // A file added by hand makes it the user's again.
    std::fs::write(dir.path().join("report/comments.txt"), b"for the auditor").expect("write");
    let o = run_into(dir.path(), "report", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("(comments.txt)"), "{}", stderr(&o));
    assert!(dir.path().join("report/comments.txt").is_file());
}

#[test]
fn a_report_of_an_earlier_version_without_marker_is_replaced_unless_it_holds_more() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report");
    let o = run_into(dir.path(), "report", &["--parquet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::create_dir(report.join("charts")).expect("mkdir");
    std::fs::write(report.join("charts/daily.svg"), b"<svg/>").expect("write");
    std::fs::remove_file(report.join(".sspr-report")).expect("unmark");
    let o = run_into(dir.path(), "report", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(report.join(".sspr-report").is_file(), "now marked");
    assert!(!report.join("parquet").exists(), "replaced whole");
    // The same legacy report with a file of the user's beside it is refused.
    std::fs::remove_file(report.join(".sspr-report")).expect("unmark");
    std::fs::write(report.join("notes.md"), b"# mine").expect("write");
    let o = run_into(dir.path(), "report", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("(notes.md)"), "{}", stderr(&o));
    // Report-like names alone do not make a folder a report: its summary.json must be one.
    let lookalike = dir.path().join("lookalike");
    std::fs::create_dir(&lookalike).expect("mkdir");
    std::fs::write(lookalike.join("flows.csv"), b"my own flows\n").expect("write");
    std::fs::write(lookalike.join("summary.json"), b"{\"mine\": true}").expect("write");
    let o = run_into(dir.path(), "lookalike", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(lookalike.join("flows.csv")).expect("kept"),
        b"my own flows\n"
    );
}

fn synth(dir: &Path, out: &str, seed: &str) -> Output {
    bin(dir)
        .args(["synth", "--users", "20", "--days", "7", "--seed", seed])
        .args(["--out", out])
        .output()
        .expect("runs")
}

#[test]
fn synth_replaces_its_own_tenant_and_refuses_anything_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = synth(dir.path(), "tenant", "1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = tree_bytes(&dir.path().join("tenant"));
    assert!(first.contains_key(".sspr-report") && first.contains_key("truth.json"));
    let o = synth(dir.path(), "tenant", "2");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second = tree_bytes(&dir.path().join("tenant"));
    assert!(second["truth.json"] != first["truth.json"], "replaced");
    // A folder of the user's, a report and a tenant are not interchangeable.
    let mine = dir.path().join("mine");
    users_folder(&mine);
    let before = tree_bytes(&mine);
    let o = synth(dir.path(), "mine", "1");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("keep.txt"), "{}", stderr(&o));
    assert!(tree_bytes(&mine) == before);
    let o = run_into(dir.path(), "tenant", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("synthetic tenant"), "{}", stderr(&o));
    assert!(run_into(dir.path(), "report", &[]).status.success());
    let o = synth(dir.path(), "report", "1");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(dir.path().join("report/summary.json").is_file());
}
