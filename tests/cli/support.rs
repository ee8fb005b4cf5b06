//! Test harness: runs the real binary in a temporary folder and reads what it wrote.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root (fixtures live there).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("fixtures").join(rel)
}

/// The binary, run from `dir`.
pub fn bin(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sspr-report").expect("binary built");
    cmd.current_dir(dir);
    cmd
}

/// A finished report.
pub struct Report {
    /// Keeps the temporary folder alive.
    pub _dir: tempfile::TempDir,
    /// Report folder.
    pub out: PathBuf,
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Report {
    /// A report file's text, BOM removed.
    pub fn file(&self, name: &str) -> String {
        let bytes = std::fs::read(self.out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = String::from_utf8(bytes).expect("report files are UTF-8");
        text.trim_start_matches('\u{feff}').to_string()
    }

    /// summary.json parsed.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::from_str(&self.file("summary.json")).expect("summary.json parses")
    }

    /// Asserts `records_read = used + out_of_scope + duplicate + rejected`.
    pub fn assert_accounting(&self) {
        let s = self.summary();
        let i = &s["inputs"];
        let n = |k: &str| {
            i[k].as_u64()
                .unwrap_or_else(|| panic!("inputs.{k} missing"))
        };
        assert_eq!(
            n("records_read"),
            n("used") + n("out_of_scope") + n("duplicate") + n("rejected"),
            "accounting identity: {i}"
        );
    }

    /// Rows of a CSV report file (header included).
    pub fn rows(&self, name: &str) -> Vec<Vec<String>> {
        let text = self.file(name);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        rdr.records()
            .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
            .collect()
    }
}

/// Runs `sspr-report run INPUTS… --out <tmp>/report ARGS…` and collects the outcome.
pub fn run_report(inputs: &[PathBuf], args: &[&str]) -> Report {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report");
    let output = bin(dir.path())
        .arg("run")
        .args(inputs)
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "the tool panicked: {stderr}");
    Report {
        _dir: dir,
        out,
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    }
}

/// Writes `bytes` to a new temporary folder as `name` and returns (folder, path).
pub fn temp_input(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write input");
    (dir, path)
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// `sspr-report run` on the bundled sample month (Tokyo time, with the workbook), run from `dir`;
/// the caller adds `--out` and anything else.
pub fn sample_month(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sspr-report"));
    cmd.current_dir(dir)
        .arg("run")
        .arg(fixture("sample"))
        .args([
            "--month",
            "2026-10",
            "--tz",
            "Asia/Tokyo",
            "--xlsx",
            "--quiet",
        ]);
    cmd
}

/// The part of a report page from the heading `title` to the next `<h2>`.
pub fn section<'a>(html: &'a str, title: &str) -> &'a str {
    let start = html
        .find(&format!("<h2>{title}</h2>"))
        .unwrap_or_else(|| panic!("no section {title}"));
    let rest = &html[start + 4..];
    &rest[..rest.find("<h2>").unwrap_or(rest.len())]
}
