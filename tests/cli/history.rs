//! `run --history`: the Parquet history of a synthetic tenant's three months (Oct–Dec 2026,
//! Tokyo time). Run month by month or as one range, it is the same history; a month written
//! again replaces its partition whole; a killed run leaves the previous partition as it was.

use crate::support::{bin, tree_bytes};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The three months, each reported on its own into one history.
pub struct Months {
    /// Keeps the folder alive for the whole test binary.
    _dir: tempfile::TempDir,
    /// The synthetic tenant's exports.
    pub exports: PathBuf,
    /// The history written by `run --month` of each month.
    pub history: PathBuf,
    /// Each month's report folder, by month.
    pub reports: Vec<(String, PathBuf)>,
}

pub const MONTHS: [&str; 3] = ["2026-10", "2026-11", "2026-12"];

/// `sspr-report run EXPORTS --tz Asia/Tokyo --no-charts --quiet --out OUT ARGS…`, must succeed.
pub fn run_ok(dir: &Path, exports: &Path, out: &Path, args: &[&str]) {
    let o = bin(dir)
        .arg("run")
        .arg(exports)
        .args(["--tz", "Asia/Tokyo", "--no-charts", "--quiet", "--out"])
        .arg(out)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        o.status.success(),
        "run {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Built once for every test that only reads it.
pub fn months() -> &'static Months {
    static MONTHS_FIXTURE: OnceLock<Months> = OnceLock::new();
    MONTHS_FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let tenant = dir.path().join("tenant");
        let o = bin(dir.path())
            .args(["synth", "--users", "60", "--days", "92", "--out"])
            .arg(&tenant)
            .output()
            .expect("synth runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let exports = tenant.join("exports");
        let history = dir.path().join("history");
        let mut reports = Vec::new();
        for m in MONTHS {
            let out = dir.path().join(format!("report-{m}"));
            let h = history.to_str().expect("utf-8");
            run_ok(dir.path(), &exports, &out, &["--month", m, "--history", h]);
            reports.push((m.to_string(), out));
        }
        Months {
            _dir: dir,
            exports,
            history,
            reports,
        }
    })
}

/// A copy of a folder tree (for tests that change a history).
pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree_bytes(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
}

/// The partition files of a history, by path (hidden temporary files excluded).
fn partitions(history: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree_bytes(history)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with("/part-0.parquet"))
        .collect()
}

#[test]
fn layout_is_hive_partitions_of_every_table() {
    let m = months();
    let files = tree_bytes(&m.history);
    let tables = [
        "flows",
        "daily",
        "failure_reasons",
        "throttling",
        "registrations",
        "license_gaps",
        "writeback_events",
        "writeback_health",
        "summary",
    ];
    for t in tables {
        for month in MONTHS {
            let rel = format!("{t}/tenant=default/month={month}/part-0.parquet");
            let bytes = files.get(&rel).unwrap_or_else(|| panic!("{rel} missing"));
            assert!(
                bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
                "{rel}"
            );
        }
    }
    assert_eq!(
        files.len(),
        tables.len() * MONTHS.len(),
        "{:?}",
        files.keys()
    );
}

#[test]
fn three_months_one_by_one_or_as_one_range_give_the_same_history() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    let h = history.to_str().expect("utf-8");
    run_ok(
        dir.path(),
        &m.exports,
        &dir.path().join("year"),
        &["--from", "2026-10-01", "--to", "2026-12-31", "--history", h],
    );
    let one_by_one = partitions(&m.history);
    let range = partitions(&history);
    assert_eq!(
        one_by_one.keys().collect::<Vec<_>>(),
        range.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &one_by_one {
        assert!(range[rel] == *bytes, "{rel} differs between the runs");
    }
}

#[test]
fn rerunning_a_month_replaces_its_partition_and_nothing_else() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let before = tree_bytes(&history);
    let h = history.to_str().expect("utf-8");
    // Pseudonymized this time: the November partitions must change, the others not.
    run_ok(
        dir.path(),
        &m.exports,
        &dir.path().join("again"),
        &[
            "--month",
            "2026-11",
            "--history",
            h,
            "--pseudonymize",
            "history-test-key",
        ],
    );
    let after = tree_bytes(&history);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "one file per partition, no leftovers"
    );
    let flows = "flows/tenant=default/month=2026-11/part-0.parquet";
    assert!(before[flows] != after[flows], "November was rewritten");
    for (rel, bytes) in &before {
        if !rel.contains("month=2026-11") {
            assert!(after[rel] == *bytes, "{rel} changed");
        }
    }
}

#[test]
fn a_killed_run_leaves_the_previous_partition_whole() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let before = partitions(&history);
    let o = bin(dir.path())
        .arg("run")
        .arg(&m.exports)
        .args([
            "--tz",
            "Asia/Tokyo",
            "--no-charts",
            "--quiet",
            "--month",
            "2026-11",
        ])
        .args(["--pseudonymize", "history-test-key", "--out"])
        .arg(dir.path().join("killed"))
        .arg("--history")
        .arg(&history)
        // Dies between writing the new file and renaming it over the old one.
        .env("SSPR_TEST_HISTORY_CRASH", "1")
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        None,
        "the run was meant to die: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(partitions(&history), before, "every partition as it was");
    // The next run clears what the killed one left.
    let h = history.to_str().expect("utf-8");
    run_ok(
        dir.path(),
        &m.exports,
        &dir.path().join("next"),
        &["--month", "2026-11", "--history", h],
    );
    let leftovers: Vec<String> = tree_bytes(&history)
        .into_keys()
        .filter(|k| !k.ends_with("/part-0.parquet"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(partitions(&history), before);
}

#[test]
fn a_bad_tenant_name_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = bin(dir.path())
        .args(["run", "--history", "h", "--tenant", "../x", "--out", "r"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--tenant"));
    assert!(!dir.path().join("h").exists());
}

#[test]
fn the_monthly_page_shows_each_headline_number_against_last_month() {
    let m = months();
    let page = |i: usize| std::fs::read_to_string(m.reports[i].1.join("index.html")).expect("page");
    let summary = |i: usize| -> serde_json::Value {
        let text = std::fs::read_to_string(m.reports[i].1.join("summary.json")).expect("json");
        serde_json::from_str(&text).expect("parses")
    };
    assert!(
        !page(0).contains(" vs 20"),
        "October has no month before it"
    );
    let (oct, nov) = (summary(0), summary(1));
    let flows = |s: &serde_json::Value| s["sspr"]["flows"].as_i64().expect("flows");
    let d = flows(&nov) - flows(&oct);
    let sign = match d {
        d if d > 0 => "+",
        d if d < 0 => "−",
        _ => "±",
    };
    let want = format!("{sign}{} vs 2026-10", d.abs());
    let html = page(1);
    assert!(html.contains(&want), "flows card: {want}");
    let rate = |s: &serde_json::Value| s["sspr"]["failure_rate"].as_f64().expect("rate");
    let pt = (rate(&nov) - rate(&oct)) * 100.0;
    assert!(
        html.contains(&format!("{:.1} pt vs 2026-10", pt.abs())),
        "failure rate card in points"
    );
}

#[test]
fn a_month_partly_in_the_period_is_incomplete_and_never_replaces_a_complete_one() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let range = ["--from", "2026-11-15", "--to", "2026-12-31"];
    // A new history: November is only half in the period.
    let fresh = dir.path().join("fresh");
    let h = fresh.to_str().expect("utf-8");
    let mut args = range.to_vec();
    args.extend(["--history", h]);
    run_ok(dir.path(), &m.exports, &dir.path().join("a"), &args);
    let trend = |history: &Path, out: &str| -> Vec<Vec<String>> {
        let o = bin(dir.path())
            .arg("trend")
            .arg(history)
            .args(["--no-charts", "--quiet", "--no-bom", "--out", out])
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(dir.path().join(out).join("trend.csv")).expect("csv");
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let rows = trend(&fresh, "t1");
    let complete = rows[0]
        .iter()
        .position(|c| c == "complete")
        .expect("column");
    assert_eq!(rows[1][0], "2026-11");
    assert_eq!(rows[1][complete], "false", "half of November");
    // The month-by-month history holds November complete: the partial run keeps it.
    let kept = dir.path().join("kept");
    copy_tree(&m.history, &kept);
    let before = trend(&kept, "t2");
    assert_eq!(before[2][0], "2026-11");
    assert_eq!(
        before[2][complete], "true",
        "the synthetic November is fully covered"
    );
    let nov = "flows/tenant=default/month=2026-11/part-0.parquet";
    let nov_before = std::fs::read(kept.join(nov)).expect("read");
    let h = kept.to_str().expect("utf-8");
    let o = bin(dir.path())
        .arg("run")
        .arg(&m.exports)
        .args(["--tz", "Asia/Tokyo", "--no-charts", "--out"])
        .arg(dir.path().join("b"))
        .args(range)
        .args(["--history", h])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("2026-11 kept as it was"), "{stdout}");
    assert!(std::fs::read(kept.join(nov)).expect("read") == nov_before);
    assert_eq!(trend(&kept, "t3"), before);
}

/// The terminal names the months the history got, new or replacing the stored one, and those
/// only partly in the period, in the report's language: a run with `--history` used to say
/// nothing of it.
#[test]
fn the_terminal_names_the_months_written_new_replaced_or_incomplete() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("h");
    let run = |args: &[&str], out: &str| -> String {
        let o = bin(dir.path())
            .arg("run")
            .arg(&m.exports)
            .args(["--tz", "Asia/Tokyo", "--no-charts", "--out"])
            .arg(dir.path().join(out))
            .args(args)
            .arg("--history")
            .arg(&history)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // Written first, alone: the range's months are computed again from the inputs.
    let first = run(&["--from", "2026-11-15", "--to", "2026-12-31"], "a");
    let line = |stdout: &str, start: &str| -> String {
        stdout
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start} line: {stdout}"))
            .to_string()
    };
    let history_line = line(&first, "history: ");
    assert!(
        history_line.ends_with("(tenant default): 2026-11 new (incomplete), 2026-12 new"),
        "{history_line}"
    );
    // Written beside the report: one named month, from the report's own tables.
    let again = run(&["--month", "2026-12", "--lang", "ja"], "b");
    let history_line = line(&again, "履歴: ");
    assert!(
        history_line.ends_with("(テナント default): 2026-12 置き換え"),
        "{history_line}"
    );
}

/// December of the synthetic tenant: CONNECT01 was retired at the swing migration and has no
/// record in it, CONNECT02 covers it whole — the month is complete (the servers' logs together
/// are what covers a month).
#[test]
fn a_retired_connect_server_does_not_make_a_month_incomplete() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let o = bin(dir.path())
        .arg("trend")
        .arg(&m.history)
        .args(["--no-charts", "--quiet", "--no-bom", "--out", "t"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.path().join("t/trend.csv")).expect("csv");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let complete = rows[0]
        .iter()
        .position(|c| *c == "complete")
        .expect("column");
    let december = rows.iter().find(|r| r[0] == "2026-12").expect("December");
    assert_eq!(december[complete], "true", "{december:?}");
}

/// `--pseudonymize` applies before anything is written: the history holds pseudonyms only.
#[test]
fn a_pseudonymized_history_holds_no_user_names() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("h");
    let o = bin(dir.path())
        .arg("run")
        .arg(crate::support::fixture("sample"))
        .args([
            "--month",
            "2026-10",
            "--tz",
            "Asia/Tokyo",
            "--no-charts",
            "--quiet",
        ])
        .args([
            "--pseudonymize",
            "monthly-pack-key-2026",
            "--out",
            "r",
            "--history",
        ])
        .arg(&history)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for table in ["flows", "writeback_events", "registrations"] {
        let path = history.join(format!(
            "{table}/tenant=default/month=2026-10/part-0.parquet"
        ));
        let file = std::fs::File::open(&path).expect("partition");
        let df = ParquetReader::new(file).finish().expect("parquet");
        let users = df.column("user").expect("user column");
        let users = users.str().expect("text");
        let named: Vec<&str> = users.iter().flatten().filter(|u| !u.is_empty()).collect();
        assert!(!named.is_empty(), "{table}: no users at all");
        assert!(
            named
                .iter()
                .all(|u| u.starts_with("user-") && !u.contains('@')),
            "{table}: {named:?}"
        );
    }
}

/// `run --month 2026-10 --history H` on the synthetic tenant, whatever its outcome.
fn run_into(dir: &Path, history: &Path) -> std::process::Output {
    bin(dir)
        .arg("run")
        .arg(&months().exports)
        .args([
            "--tz",
            "Asia/Tokyo",
            "--no-charts",
            "--quiet",
            "--month",
            "2026-10",
        ])
        .arg("--out")
        .arg(dir.join("report"))
        .arg("--history")
        .arg(history)
        .output()
        .expect("runs")
}

/// A linked month folder (`month=2026-10 -> ../../../victim`) used to have the run overwrite
/// the file it led to; a linked tenant folder made it write outside the history.
#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_the_history_is_refused_before_anything_is_written() {
    let m = months();
    for (linked, target) in [
        ("flows/tenant=default/month=2026-10", "../../../victim"),
        ("flows/tenant=default", "../../victim"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let history = dir.path().join("h");
        copy_tree(&m.history, &history);
        let victim = dir.path().join("victim");
        std::fs::create_dir_all(&victim).expect("mkdir");
        std::fs::write(victim.join("part-0.parquet"), b"the user's own file").expect("write");
        let link = history.join(linked);
        std::fs::remove_dir_all(&link).expect("remove");
        std::os::unix::fs::symlink(target, &link).expect("symlink");
        let before = partitions(&history);
        let o = run_into(dir.path(), &history);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{linked}: {stderr}");
        assert!(
            stderr.contains(linked) && stderr.contains("symbolic link"),
            "{linked}: the error names the link: {stderr}"
        );
        assert!(stderr.contains("replace it with a real folder"), "{stderr}");
        assert_eq!(
            std::fs::read(victim.join("part-0.parquet")).expect("victim"),
            b"the user's own file"
        );
        assert_eq!(
            std::fs::read_dir(&victim).expect("victim").count(),
            1,
            "{linked}: nothing written beside the user's file"
        );
        assert_eq!(
            partitions(&history),
            before,
            "{linked}: the history is as it was"
        );
        assert!(!dir.path().join("report").exists(), "no report either");
    }
}
