//! `trend`: the history's months side by side. Every row is that month's summary.json; a month
//! without data is a gap, never zeros; a damaged file costs its month and is named.

use crate::history::{MONTHS, copy_tree, months, run_ok};
use crate::support::{bin, fixture};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// trend.csv's columns and where summary.json keeps each.
const COLUMNS: [(&str, &str, &str); 20] = [
    ("flows", "sspr", "flows"),
    ("succeeded", "sspr", "succeeded"),
    ("failed", "sspr", "failed"),
    ("blocked", "sspr", "blocked"),
    ("abandoned", "sspr", "abandoned"),
    ("success_rate", "sspr", "success_rate"),
    ("failure_rate", "sspr", "failure_rate"),
    ("abandon_rate", "sspr", "abandon_rate"),
    ("throttled_users", "throttling", "throttled_users"),
    (
        "inferred_throttled_users",
        "throttling",
        "inferred_throttled_users",
    ),
    ("registration_events", "registrations", "events"),
    ("registration_users", "registrations", "users"),
    ("license_gap_users", "license_gaps", "users"),
    ("writeback_requests", "writeback", "requests"),
    ("writeback_failed", "writeback", "failed"),
    ("outage_minutes", "writeback", "outage_minutes"),
    ("matched", "correlation", "matched"),
    ("cloud_only", "correlation", "cloud_only"),
    ("onprem_only", "correlation", "onprem_only"),
    ("not_checked", "correlation", "not_checked"),
];

struct Trend {
    code: i32,
    stdout: String,
    stderr: String,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Trend {
    fn rows(&self, name: &str) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(self.out.join(name)).expect(name);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rdr.records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect()
    }

    /// trend.csv as maps of column → cell, by month.
    fn by_month(&self) -> Vec<std::collections::BTreeMap<String, String>> {
        let rows = self.rows("trend.csv");
        let header = rows[0].clone();
        rows[1..]
            .iter()
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }
}

fn trend(history: &Path, args: &[&str]) -> Trend {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("trend");
    let o = bin(dir.path())
        .arg("trend")
        .arg(history)
        .arg("--out")
        .arg(&out)
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Trend {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr,
        out,
        _dir: dir,
    }
}

fn summary(report: &Path) -> Value {
    let text = std::fs::read_to_string(report.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("parses")
}

/// A trend.csv cell equals a summary.json value: the same number, or empty for null.
fn assert_cell(month: &str, column: &str, cell: &str, value: &Value) {
    match value {
        Value::Null => assert_eq!(cell, "", "{month} {column}: null is an empty cell"),
        Value::Number(n) => {
            let want = n.as_f64().expect("number");
            let got: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("{month} {column}: '{cell}' is not a number"));
            assert_eq!(got, want, "{month} {column}");
        }
        other => panic!("{month} {column}: unexpected {other}"),
    }
}

#[test]
fn every_row_equals_that_months_summary_json() {
    let m = months();
    let t = trend(&m.history, &["--no-charts", "--quiet"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let rows = t.by_month();
    assert_eq!(rows.len(), 3);
    for ((month, report), row) in m.reports.iter().zip(&rows) {
        assert_eq!(&row["month"], month);
        let s = summary(report);
        assert!(
            s["sspr"]["flows"].as_u64().expect("flows") > 0,
            "{month} has flows"
        );
        for (column, section, key) in COLUMNS {
            assert_cell(month, column, &row[column], &s[section][key]);
        }
        assert!(row["complete"] == "true" || row["complete"] == "false");
    }
    // Reasons: each month's failure_reasons.csv, as counts.
    let reasons = t.rows("trend_reasons.csv");
    assert_eq!(
        reasons[0],
        ["month", "source", "reason", "category", "count", "share"]
    );
    for (month, report) in &m.reports {
        let text = std::fs::read_to_string(report.join("failure_reasons.csv")).expect("csv");
        let n = text.lines().count() - 1;
        let got = reasons.iter().filter(|r| &r[0] == month).count();
        assert_eq!(got, n, "{month}: one trend_reasons row per failure reason");
    }
}

#[test]
fn rerunning_a_month_leaves_the_trend_unchanged() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let h = history.to_str().expect("utf-8");
    run_ok(
        dir.path(),
        &m.exports,
        &dir.path().join("again"),
        &["--month", "2026-11", "--history", h],
    );
    let before = trend(&m.history, &["--no-charts", "--quiet"]);
    let after = trend(&history, &["--no-charts", "--quiet"]);
    assert_eq!(before.rows("trend.csv"), after.rows("trend.csv"));
    assert_eq!(
        before.rows("trend_reasons.csv"),
        after.rows("trend_reasons.csv")
    );
}

#[test]
fn a_month_without_data_is_a_row_of_empty_cells() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    for entry in std::fs::read_dir(&history).expect("tables") {
        let table = entry.expect("entry").path();
        std::fs::remove_dir_all(table.join("tenant=default/month=2026-11")).expect("rm");
    }
    let t = trend(&history, &["--no-charts", "--quiet"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let rows = t.rows("trend.csv");
    assert_eq!(rows.len(), 4, "a row for every month of the range");
    assert_eq!(rows[2][0], "2026-11");
    assert!(rows[2][1..].iter().all(String::is_empty), "{:?}", rows[2]);
    assert!(rows[1][1..].iter().any(|c| !c.is_empty()));
    // A range past the history's months: gaps too, never zeros.
    let t = trend(&history, &["--no-charts", "--quiet", "--to", "2027-01"]);
    let rows = t.rows("trend.csv");
    assert_eq!(rows.last().expect("row")[0], "2027-01");
    assert!(rows.last().expect("row")[1..].iter().all(String::is_empty));
}

#[test]
fn a_truncated_parquet_file_is_named_and_its_month_is_a_gap() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let file = history.join("summary/tenant=default/month=2026-12/part-0.parquet");
    let bytes = std::fs::read(&file).expect("read");
    std::fs::write(&file, &bytes[..bytes.len() / 2]).expect("truncate");
    let t = trend(&history, &["--no-charts"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    assert!(
        t.stdout.contains("month=2026-12") && t.stdout.contains("warning"),
        "the warning names the file: {}",
        t.stdout
    );
    let rows = t.rows("trend.csv");
    assert_eq!(rows[3][0], "2026-12");
    assert!(rows[3][1..].iter().all(String::is_empty), "{:?}", rows[3]);
    assert!(!rows[1][1].is_empty(), "the other months stay");
    let strict = trend(&history, &["--no-charts", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn two_tenants_share_one_history() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let h = history.to_str().expect("utf-8");
    let sample_report = dir.path().join("sample");
    run_ok(
        dir.path(),
        &fixture("sample"),
        &sample_report,
        &["--month", "2026-10", "--history", h, "--tenant", "contoso"],
    );
    let contoso = trend(&history, &["--no-charts", "--quiet", "--tenant", "contoso"]);
    assert_eq!(contoso.code, 0, "{}", contoso.stderr);
    let rows = contoso.by_month();
    assert_eq!(rows.len(), 1);
    let s = summary(&sample_report);
    for (column, section, key) in COLUMNS {
        assert_cell("contoso", column, &rows[0][column], &s[section][key]);
    }
    // One month is one month on the terminal ("1 months" before).
    let said = trend(&history, &["--no-charts", "--tenant", "contoso"]);
    assert!(
        said.stdout.contains("trend: 1 month (0 without data)"),
        "{}",
        said.stdout
    );
    let default = trend(&history, &["--no-charts", "--quiet"]);
    let rows = default.by_month();
    assert_eq!(rows.len(), 3, "the other tenant's months are its own");
    let october = summary(&m.reports[0].1);
    assert_cell(
        "default",
        "flows",
        &rows[0]["flows"],
        &october["sspr"]["flows"],
    );
    let unknown = trend(&history, &["--no-charts", "--tenant", "fabrikam"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("contoso"), "{}", unknown.stderr);
}

#[test]
fn a_folder_without_history_is_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = trend(dir.path(), &["--quiet"]);
    assert_eq!(t.code, 1);
    assert!(
        t.stderr.contains("holds no sspr-report history"),
        "{}",
        t.stderr
    );
    assert!(!t.out.exists());
}

#[test]
fn page_charts_and_workbook() {
    let m = months();
    let t = trend(
        &m.history,
        &["--xlsx", "--quiet", "--from", "2026-10", "--to", "2026-12"],
    );
    assert_eq!(t.code, 0, "{}", t.stderr);
    let html = std::fs::read_to_string(t.out.join("trend.html")).expect("page");
    let changes = html
        .find("Change from the previous month")
        .expect("changes");
    let table = html.find("Month by month").expect("table");
    assert!(changes < table, "month-over-month changes come first");
    assert!(html.contains("2026-11 → 2026-12"));
    assert!(html.contains("failure rate") && html.contains(" pt</li>"));
    for stem in [
        "trend_flows",
        "trend_reasons",
        "trend_throttling",
        "trend_writeback",
        "trend_license_gaps",
    ] {
        assert!(t.out.join(format!("charts/{stem}.svg")).is_file(), "{stem}");
        assert!(t.out.join(format!("charts/{stem}.png")).is_file(), "{stem}");
    }
    let xlsx = std::fs::read(t.out.join("trend.xlsx")).expect("workbook");
    assert!(xlsx.starts_with(b"PK"));
    let _ = MONTHS;
}

#[test]
fn japanese_page_and_terminal() {
    let m = months();
    let t = trend(&m.history, &["--no-charts", "--lang", "ja"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    assert!(t.stdout.contains("推移: 3 か月"), "{}", t.stdout);
    let html = std::fs::read_to_string(t.out.join("trend.html")).expect("page");
    assert!(html.contains("<html lang=\"ja\">") && html.contains("前月からの変化"));
    assert!(
        html.contains("失敗率"),
        "the changes are labelled in Japanese"
    );
    // The machine-readable file stays English.
    assert!(t.rows("trend.csv")[0][0] == "month");
}

#[test]
fn errors_speak_the_language_of_the_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = trend(dir.path(), &["--quiet", "--lang", "ja"]);
    assert_eq!(t.code, 1);
    assert!(t.stderr.contains("履歴がありません"), "{}", t.stderr);
    let m = months();
    let t = trend(
        &m.history,
        &["--quiet", "--lang", "ja", "--tenant", "nobody"],
    );
    assert_eq!(t.code, 1);
    assert!(
        t.stderr.contains("テナント 'nobody' の月がありません"),
        "{}",
        t.stderr
    );
}

/// Replaces one month's failure_reasons partition with `reasons` (each counted `count` times),
/// written with polars as any engine could.
fn write_reasons(history: &Path, month: &str, reasons: &[String], count: i64) {
    use polars::prelude::*;
    let n = reasons.len();
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("source".into(), vec!["cloud"; n]),
        Column::new("reason".into(), reasons.to_vec()),
        Column::new("category".into(), vec!["other"; n]),
        Column::new("count".into(), vec![count; n]),
        Column::new("share".into(), vec![0.5f64; n]),
        Column::new("schema_version".into(), vec![1i32; n]),
    ])
    .expect("frame");
    let path = history.join(format!(
        "failure_reasons/tenant=default/month={month}/part-0.parquet"
    ));
    let file = std::fs::File::create(&path).expect("create");
    ParquetWriter::new(file).finish(&mut df).expect("write");
}

/// Characters that have no place in a page or an SVG (tab, LF and CR aside).
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[test]
fn control_characters_in_a_reason_reach_neither_the_page_nor_the_charts() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let hostile = "\u{1b}[31mred\u{1b}[0m\u{0}nul".to_string();
    write_reasons(&history, "2026-12", &[hostile], 1000);
    let t = trend(&history, &[]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let svg = std::fs::read_to_string(t.out.join("charts/trend_reasons.svg")).expect("svg");
    assert!(svg.contains("red?[0m?nul"), "the reason is drawn, marked");
    assert_eq!(controls(&svg), Vec::<char>::new(), "svg");
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("trend_reasons.svg is not well-formed: {e}"),
        }
    }
    let html = std::fs::read_to_string(t.out.join("trend.html")).expect("html");
    assert_eq!(controls(&html), Vec::<char>::new(), "trend.html");
}

/// `trend` reads nothing through a link: a month folder linked out of the history is refused.
#[cfg(unix)]
#[test]
fn a_symbolic_link_inside_the_history_is_refused() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let month = history.join("summary/tenant=default/month=2026-12");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::rename(&month, &elsewhere).expect("move");
    std::os::unix::fs::symlink(&elsewhere, &month).expect("symlink");
    let t = trend(&history, &["--no-charts"]);
    assert_eq!(t.code, 1, "{}", t.stderr);
    assert!(
        t.stderr.contains("month=2026-12") && t.stderr.contains("symbolic link"),
        "{}",
        t.stderr
    );
    assert!(!t.out.exists(), "nothing written");
}

/// A text cell longer than 16 KiB is cut to 16 KiB as it is read, with a warning naming the
/// file (2,000 rows of a 1 MiB reason, 50 KB as Parquet, used to take 10 GB and write 2 GB).
#[test]
fn a_long_text_in_the_history_is_cut_to_16_kib_with_a_warning() {
    let m = months();
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("history");
    copy_tree(&m.history, &history);
    let reasons: Vec<String> = (0..200)
        .map(|i| format!("{i:04}{}", "x".repeat(64 * 1024)))
        .collect();
    write_reasons(&history, "2026-12", &reasons, 3);
    let t = trend(&history, &["--no-charts"]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    assert!(
        t.stdout
            .contains("failure_reasons/tenant=default/month=2026-12")
            && t.stdout
                .contains("200 text cell(s) longer than 16 KiB cut to 16 KiB"),
        "{}",
        t.stdout
    );
    let rows = t.rows("trend_reasons.csv");
    let longest = rows.iter().flatten().map(String::len).max().unwrap_or(0);
    assert_eq!(longest, 16 * 1024, "every reason cut to 16 KiB");
    let html = std::fs::metadata(t.out.join("trend.html"))
        .expect("html")
        .len();
    assert!(html < 8 * 1024 * 1024, "trend.html is {html} bytes");
}

/// A partition with far more rows or bytes than sspr-report writes is refused by name before
/// its data is read; its month's reasons are left out and the other months stay.
#[test]
fn an_absurdly_large_partition_is_refused_by_name() {
    let m = months();
    for (case, reasons) in [
        (
            "20000 rows",
            (0..20_000).map(|i| format!("r{i}")).collect::<Vec<_>>(),
        ),
        (
            "bytes uncompressed",
            (0..1_100)
                .map(|i| format!("{i:05}{}", "y".repeat(64 * 1024)))
                .collect(),
        ),
        // One reason of 64 KiB in 600 rows: stored once, small on disk and in the footer,
        // still 9.4 MiB of text after the cut.
        ("bytes of text", vec!["w".repeat(64 * 1024); 600]),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let history = dir.path().join("history");
        copy_tree(&m.history, &history);
        write_reasons(&history, "2026-12", &reasons, 1);
        drop(reasons);
        let t = trend(&history, &["--no-charts"]);
        assert_eq!(t.code, 0, "{case}: {}", t.stderr);
        assert!(
            t.stdout
                .contains("failure_reasons/tenant=default/month=2026-12")
                && t.stdout.contains(case)
                && t.stdout.contains("not read"),
            "{case}: {}",
            t.stdout
        );
        let rows = t.rows("trend_reasons.csv");
        assert!(
            rows.iter().all(|r| r[0] != "2026-12"),
            "{case}: the refused month adds no reasons"
        );
        assert_eq!(
            t.by_month()[2]["month"],
            "2026-12",
            "{case}: the month stays"
        );
        assert!(
            !t.by_month()[2]["flows"].is_empty(),
            "{case}: its summary stays"
        );
        let strict = trend(&history, &["--no-charts", "--strict"]);
        assert_eq!(strict.code, 1, "{case}: {}", strict.stderr);
    }
}
