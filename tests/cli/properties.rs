//! Properties over generated audit exports (proptest): the input accounting identity, the three
//! rates, a second copy of an export, and determinism across input order and thread counts.

use crate::support::{repo, tree_bytes};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const HEADER: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";

/// One generated row: well-formed SSPR steps, other services' noise, registrations, and broken
/// rows (a bad date, a missing field).
#[derive(Debug, Clone)]
struct Row {
    minute: u32,
    flow: u8,
    user: u8,
    kind: u8,
    broken: bool,
}

const STEPS: [(&str, &str, &str, &str); 10] = [
    (
        "Self-service Password Management",
        "Self-service password reset flow activity progress",
        "success",
        "User started the password reset process",
    ),
    (
        "Self-service Password Management",
        "Self-service password reset flow activity progress",
        "success",
        "User verified their identity",
    ),
    (
        "Self-service Password Management",
        "Reset password (self-service)",
        "success",
        "Successfully completed reset.",
    ),
    (
        "Self-service Password Management",
        "Reset password (self-service)",
        "failure",
        "User's account is locked",
    ),
    (
        "Self-service Password Management",
        "Blocked from self-service password reset",
        "failure",
        "User attempted to reset a password too many times in 24 hours",
    ),
    (
        "Self-service Password Management",
        "Change password (self-service)",
        "success",
        "",
    ),
    (
        "Self-service Password Management",
        "Reset password (by admin)",
        "success",
        "",
    ),
    ("Core Directory", "Reset user password", "success", ""),
    ("Core Directory", "Update user", "success", ""),
    (
        "Authentication Methods",
        "User registered security info",
        "success",
        "User registered Mobile Phone SMS",
    ),
];

impl Row {
    fn csv(&self) -> String {
        let kind = if self.broken && self.flow.is_multiple_of(2) {
            2 // a broken date on an SSPR step: other services' rows are dropped unparsed
        } else {
            usize::from(self.kind) % STEPS.len()
        };
        let (service, activity, result, reason) = STEPS[kind];
        let day = 1 + self.minute / 1440 % 28;
        let time = format!(
            "2026-10-{day:02}T{:02}:{:02}:00Z",
            self.minute / 60 % 24,
            self.minute % 60
        );
        let user = format!("user{}@contoso.co.jp", self.user % 12);
        if self.broken && self.flow.is_multiple_of(2) {
            return format!(
                "\"31/31/2026 99:99\",\"f{}\",\"{service}\",\"UserManagement\",\"{activity}\",\"{result}\",\"{reason}\",\"{user}\",\"User\",\"{user}\"\r\n",
                self.flow
            );
        }
        if self.broken {
            return format!(
                "\"{time}\",\"f{}\",\"{service}\",\"{activity}\"\r\n",
                self.flow
            );
        }
        format!(
            "\"{time}\",\"f{:02}-{}\",\"{service}\",\"UserManagement\",\"{activity}\",\"{result}\",\"{reason}\",\"{user}\",\"User\",\"{user}\"\r\n",
            self.flow,
            self.user % 12
        )
    }
}

/// Rows; `broken` mixes in malformed ones, `noise` other services' records.
fn rows(broken: bool, noise: bool) -> impl Strategy<Value = Vec<Row>> {
    let row = (
        0u32..40_000,
        0u8..40,
        any::<u8>(),
        any::<u8>(),
        proptest::bool::weighted(0.08),
    )
        .prop_map(move |(minute, flow, user, kind, b)| Row {
            minute,
            flow,
            user,
            // Kind 8 is the other services' noise.
            kind: if !noise && usize::from(kind) % STEPS.len() == 8 {
                9
            } else {
                kind
            },
            broken: broken && b,
        });
    prop::collection::vec(row, 1..80)
}

fn export(rows: &[Row]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    s += HEADER;
    for r in rows {
        s += &r.csv();
    }
    s.into_bytes()
}

/// Runs the report on `inputs` (in that order) and returns every output file's bytes.
fn report(dir: &Path, inputs: &[PathBuf], extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join(format!("out-{}", extra.join("").replace(['-', ' '], "")));
    let _ = std::fs::remove_dir_all(&out);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("sspr-report"))
        .current_dir(dir)
        .arg("run")
        .args(inputs)
        .args(["--month", "2026-10", "--no-charts", "--quiet", "--out"])
        .arg(&out)
        .args(extra)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("panicked"),
        "{stderr}"
    );
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&out).expect("report") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, std::fs::read(&path).expect("read"));
        }
    }
    files
}

fn summary(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    let text = String::from_utf8(files["summary.json"].clone()).expect("utf-8");
    serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("summary")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn config() -> ProptestConfig {
    // Each case runs the binary: a few dozen cases keep the suite within a minute.
    ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn accounting_identity_and_rates_hold(rows in rows(true, true)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = write(dir.path(), "AuditLogs.csv", &export(&rows));
        let s = summary(&report(dir.path(), &[input], &[]));
        let i = &s["inputs"];
        let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k}: {v}"));
        prop_assert_eq!(n(i, "records_read"), rows.len() as u64);
        prop_assert_eq!(
            n(i, "records_read"),
            n(i, "used") + n(i, "out_of_scope") + n(i, "duplicate") + n(i, "rejected")
        );
        prop_assert_eq!(n(i, "rejected"), rows.iter().filter(|r| r.broken).count() as u64);
        let f = &s["sspr"];
        // A log none of whose rows can be read gives no audit data: the section is null, as
        // with no audit log at all, not a row of zeros. About one run in forty draws one.
        if f.is_null() {
            prop_assert!(rows.iter().all(|r| r.broken), "sspr is null: {}", s);
            return Ok(());
        }
        let flows = n(f, "flows");
        prop_assert_eq!(flows, n(f, "succeeded") + n(f, "failed") + n(f, "blocked") + n(f, "abandoned"));
        let rates = ["success_rate", "failure_rate", "abandon_rate"];
        if flows == 0 {
            for r in rates {
                prop_assert!(f[r].is_null(), "{} with no flows: {}", r, f[r]);
            }
        } else {
            let sum: f64 = rates.iter().map(|r| f[*r].as_f64().expect("rate")).sum();
            prop_assert!((sum - 1.0).abs() <= 2e-6, "rates sum to {}", sum);
        }
        let kinds = f["by_kind"].as_object().expect("by_kind");
        prop_assert_eq!(kinds.values().map(|k| n(k, "flows")).sum::<u64>(), flows);
    }

    #[test]
    fn a_second_copy_of_an_export_changes_only_duplicate(rows in rows(false, false), shuffle in any::<u64>()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let once = write(dir.path(), "AuditLogs.csv", &export(&rows));
        // The same records again: a byte-identical copy, and the same rows in another order
        // (an overlapping download). Other services' rows are left out here: they are dropped
        // before anything is hashed, so a re-ordered copy counts them out_of_scope again (a
        // byte-identical copy counts every row duplicate).
        let mut again = rows.clone();
        let len = again.len();
        again.rotate_left((shuffle as usize) % len);
        let copy = write(dir.path(), "AuditLogs (1).csv", &export(&rows));
        let reordered = write(dir.path(), "AuditLogs_again.csv", &export(&again));
        let base = summary(&report(dir.path(), std::slice::from_ref(&once), &[]));
        let twice = summary(&report(dir.path(), &[once, copy, reordered], &["--threads", "2"]));
        let (mut a, mut b) = (base.clone(), twice.clone());
        for s in [&mut a, &mut b] {
            for k in ["files", "records_read", "duplicate"] {
                s["inputs"][k] = serde_json::Value::Null;
            }
        }
        // The run's warnings name the byte-identical copies (every warning of a run is listed
        // in summary.json); nothing else may be added.
        if let Some(warnings) = b["coverage"]["warnings"].as_array_mut() {
            warnings.retain(|w| !w.as_str().is_some_and(|w| w.contains(": byte-identical copy of ")));
        }
        prop_assert_eq!(a, b);
        let dup = |s: &serde_json::Value| s["inputs"]["duplicate"].as_u64().expect("duplicate");
        prop_assert_eq!(dup(&twice) - dup(&base), 2 * rows.len() as u64);
    }

    #[test]
    fn input_order_and_threads_never_change_a_byte(
        rows in rows(true, true),
        cuts in (1usize..80, 1usize..80),
        order in Just([0usize, 1, 2]).prop_shuffle(),
        threads in 1u16..6,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (cuts.0.min(cuts.1).min(rows.len()), cuts.0.max(cuts.1).min(rows.len()));
        let parts = [&rows[..a], &rows[a..b], &rows[b..]];
        let paths: Vec<PathBuf> = parts
            .iter()
            .enumerate()
            .map(|(k, p)| write(dir.path(), &format!("AuditLogs_part{k}.csv"), &export(p)))
            .collect();
        let base = report(dir.path(), &paths, &["--threads", "1"]);
        let shuffled: Vec<PathBuf> = order.iter().map(|&k| paths[k].clone()).collect();
        let t = threads.to_string();
        let other = report(dir.path(), &shuffled, &["--threads", &t]);
        prop_assert_eq!(base.keys().collect::<Vec<_>>(), other.keys().collect::<Vec<_>>());
        for (name, bytes) in &base {
            prop_assert!(bytes == &other[name], "{} differs with --threads {} and order {:?}", name, threads, order);
        }
    }
}

/// The whole sample, every format: one thread and many give the same bytes, charts and
/// workbook included.
#[test]
fn the_sample_is_the_same_on_one_thread_and_many() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |threads: &str| {
        let out = dir.path().join(format!("j{threads}"));
        let status = crate::support::sample_month(&repo())
            .args(["--threads", threads, "--out"])
            .arg(&out)
            .status()
            .expect("runs");
        assert!(status.success());
        out
    };
    let (one, many) = (run("1"), run("7"));
    let (a, b) = (tree_bytes(&one), tree_bytes(&many));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, x) in &a {
        assert!(x == &b[name], "{name} differs between --threads 1 and 7");
    }
}
