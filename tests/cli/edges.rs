//! Numbers at the edges (issue 14): the same Connect-server log exported twice, a flow and its
//! operation on either side of midnight at a month's end, a log with a silent week, an outage
//! the log never closes, an error detail with no failure event, flows that never reach
//! writeback, and copies that differ only in order or in fractions of a second.

use crate::support::{Report, fixture, run_report};
use std::path::{Path, PathBuf};

const AUDIT_HEADER: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";
const SSPR: &str = "Self-service Password Management";
const PROGRESS: &str = "Self-service password reset flow activity progress";
const RESET: &str = "Reset password (self-service)";

/// One portal CSV row.
fn audit_row(
    time: &str,
    corr: &str,
    activity: &str,
    result: &str,
    reason: &str,
    upn: &str,
) -> String {
    format!(
        "\"{time}\",\"{corr}\",\"{SSPR}\",\"UserManagement\",\"{activity}\",\"{result}\",\"{reason}\",\"{upn}\",\"User\",\"{upn}\"\r\n"
    )
}

/// A self-service reset that reached writeback: user id, new password, then the final record
/// (`times` are the three record times, ISO 8601 UTC).
fn reset_flow(corr: &str, upn: &str, times: [&str; 3], result: &str, reason: &str) -> String {
    audit_row(
        times[0],
        corr,
        PROGRESS,
        "success",
        "User submitted their user ID",
        upn,
    ) + &audit_row(
        times[1],
        corr,
        PROGRESS,
        "success",
        "User submitted a new password",
        upn,
    ) + &audit_row(times[2], corr, RESET, result, reason, upn)
}

/// An Event Viewer CSV of a Connect server as Japanese Windows saves it (`yyyy/MM/dd HH:mm:ss`,
/// read in `--onprem-tz`, here UTC); the computer is the file name. `events` are
/// (time, event id, message).
fn viewer_csv(events: &[(String, u32, String)]) -> String {
    let mut text = "\u{feff}レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n".to_string();
    for (time, id, message) in events {
        text += &format!("情報,{time},PasswordResetService,{id},なし,\"{message}\"\r\n");
    }
    text
}

/// Heartbeats every hour from `from` (inclusive) for `hours` hours: a log that covers that time.
fn heartbeats(from: chrono::NaiveDateTime, hours: i64) -> Vec<(String, u32, String)> {
    (0..hours)
        .map(|h| {
            let t = from + chrono::Duration::hours(h);
            (
                t.format("%Y/%m/%d %H:%M:%S").to_string(),
                31019,
                "ServiceBusHeartBeat".to_string(),
            )
        })
        .collect()
}

fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("test time")
}

fn ev(time: &str, id: u32, message: &str) -> (String, u32, String) {
    (
        at(time).format("%Y/%m/%d %H:%M:%S").to_string(),
        id,
        message.to_string(),
    )
}

/// Writes the audit CSV and the CONNECT01 log into a new folder.
fn inputs(audit: &str, log: &[(String, u32, String)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    if !audit.is_empty() {
        let p = dir.path().join("audit.csv");
        std::fs::write(&p, format!("{AUDIT_HEADER}{audit}")).expect("write");
        paths.push(p);
    }
    if !log.is_empty() {
        let p = dir.path().join("CONNECT01.csv");
        std::fs::write(&p, viewer_csv(log)).expect("write");
        paths.push(p);
    }
    (dir, paths)
}

fn flow_row(r: &Report, corr: &str) -> Vec<String> {
    r.rows("flows.csv")
        .into_iter()
        .find(|row| row[0] == corr)
        .unwrap_or_else(|| panic!("{corr} not in flows.csv"))
}

fn run_ok(paths: &[PathBuf], args: &[&str]) -> Report {
    let r = run_report(paths, args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    r
}

#[test]
fn a_flow_and_its_operation_across_midnight_match_in_both_months() {
    let audit = reset_flow(
        "c-edge",
        "taro@contoso.co.jp",
        [
            "2026-10-31T23:58:50Z",
            "2026-10-31T23:59:10Z",
            "2026-10-31T23:59:40Z",
        ],
        "success",
        "Successfully completed reset.",
    );
    let mut log = heartbeats(at("2026-10-31 06:00:00"), 30);
    log.push(ev(
        "2026-11-01 00:00:20",
        31001,
        "PasswordResetRequestStart, Details: taro@contoso.co.jp",
    ));
    log.push(ev(
        "2026-11-01 00:00:22",
        31002,
        "TrackingId: t-1, PasswordResetSuccess, Details: Context: cloudAnchor: User_1, SourceAnchorValue: x, UserPrincipalName: taro@contoso.co.jp, unblockUser: True",
    ));
    let (_d, paths) = inputs(&audit, &log);
    let october = run_ok(&paths, &["--month", "2026-10"]);
    let row = flow_row(&october, "c-edge");
    assert_eq!((row[8].as_str(), row[9].as_str()), ("matched", "succeeded"));
    let s = october.summary();
    assert_eq!(s["correlation"]["matched"], 1, "{s}");
    // The operation belongs to November: October's writeback numbers do not count it.
    assert_eq!(s["writeback"]["requests"], 0, "{s}");
    assert_eq!(s["correlation"]["onprem_only"], 0, "{s}");

    let november = run_ok(&paths, &["--month", "2026-11"]);
    let s = november.summary();
    assert_eq!(s["writeback"]["requests"], 1, "{s}");
    assert_eq!(
        s["correlation"]["onprem_only"], 0,
        "its flow lies in October: {s}"
    );
    assert_eq!(november.rows("flows.csv").len(), 1, "no November flow");
}

#[test]
fn a_flow_in_a_silent_stretch_of_the_log_is_not_checked() {
    let audit = reset_flow(
        "c-gap",
        "taro@contoso.co.jp",
        [
            "2026-10-10T03:00:00Z",
            "2026-10-10T03:01:00Z",
            "2026-10-10T03:01:05Z",
        ],
        "success",
        "Successfully completed reset.",
    ) + &reset_flow(
        "c-covered",
        "hanako@contoso.co.jp",
        [
            "2026-10-26T03:00:00Z",
            "2026-10-26T03:01:00Z",
            "2026-10-26T03:01:05Z",
        ],
        "success",
        "Successfully completed reset.",
    );
    // The log covers 1–2 October and 25–31 October, and is silent between.
    let mut log = heartbeats(at("2026-10-01 00:00:00"), 48);
    log.extend(heartbeats(at("2026-10-25 00:00:00"), 7 * 24));
    let (_d, paths) = inputs(&audit, &log);
    let r = run_ok(&paths, &["--month", "2026-10"]);
    assert!(
        r.stdout.contains("No CONNECT01 event log records from"),
        "{}",
        r.stdout
    );
    assert_eq!(flow_row(&r, "c-gap")[8], "not_checked");
    assert_eq!(
        flow_row(&r, "c-covered")[8],
        "cloud_only",
        "the log covers this time and holds no operation"
    );
    // Days the log does not cover have no counts: unknown, not zero.
    let health = r.rows("writeback_health.csv");
    let day = |d: &str| health.iter().find(|row| row[0] == d).expect("day").clone();
    assert_eq!(day("2026-10-10")[1], "", "{:?}", day("2026-10-10"));
    assert_eq!(day("2026-10-26")[1], "0");
    let s = r.summary();
    assert_eq!(
        (
            &s["correlation"]["not_checked"],
            &s["correlation"]["cloud_only"]
        ),
        (&serde_json::json!(1), &serde_json::json!(1)),
        "{s}"
    );
}

#[test]
fn an_outage_the_log_never_closes_ends_where_the_log_ends() {
    let mut log = heartbeats(at("2026-10-01 00:00:00"), 19 * 24 + 10);
    log.push(ev(
        "2026-10-20 10:00:00",
        31016,
        "Password reset service is stopping",
    ));
    log.push(ev("2026-10-20 12:00:00", 31019, "ServiceBusHeartBeat"));
    let (_d, paths) = inputs("", &log);
    let october = run_ok(&paths, &["--month", "2026-10"]);
    let s = october.summary();
    assert_eq!(s["writeback"]["outages"], 1, "{s}");
    assert_eq!(
        s["writeback"]["outage_minutes"], 120,
        "10:00 to the last record, at 12:00: {s}"
    );
    let daily: u64 = october
        .rows("writeback_health.csv")
        .iter()
        .skip(1)
        .map(|row| row[5].parse::<u64>().expect("minutes"))
        .sum();
    assert_eq!(daily, 120);

    // A month the log does not reach: nothing is known, so nothing is counted.
    let december = run_ok(&paths, &["--month", "2026-12"]);
    let s = december.summary();
    for key in ["outages", "outage_minutes", "requests", "service_stops"] {
        assert!(s["writeback"][key].is_null(), "{key}: {s}");
    }
    assert!(s["correlation"]["onprem_only"].is_null(), "{s}");
    assert!(
        december.stdout.contains("writeback: unknown"),
        "{}",
        december.stdout
    );
}

#[test]
fn daily_outage_minutes_add_up_to_the_headline() {
    let r = run_ok(
        &[fixture("sample")],
        &["--month", "2026-10", "--tz", "Asia/Tokyo"],
    );
    let total = r.summary()["writeback"]["outage_minutes"]
        .as_u64()
        .expect("minutes");
    let daily: u64 = r
        .rows("writeback_health.csv")
        .iter()
        .skip(1)
        .map(|row| row[5].parse::<u64>().expect("minutes"))
        .sum();
    assert_eq!(daily, total);
    assert_eq!(total, 225);
}

#[test]
fn an_error_detail_after_a_start_with_no_outcome_fails_the_operation() {
    let audit = reset_flow(
        "c-fail",
        "taro@contoso.co.jp",
        [
            "2026-10-06T04:00:00Z",
            "2026-10-06T04:01:00Z",
            "2026-10-06T04:01:05Z",
        ],
        "failure",
        "OnPremisesAdminActionRequired",
    );
    let mut log = heartbeats(at("2026-10-06 00:00:00"), 12);
    log.push(ev(
        "2026-10-06 04:01:02",
        31001,
        "PasswordResetRequestStart, Details: taro@contoso.co.jp",
    ));
    log.push(ev(
        "2026-10-06 04:01:03",
        33008,
        "TrackingId: t-9, ADPasswordPolicyError, UserPrincipalName: taro@contoso.co.jp, hr=80230619, message=A restriction prevents the password from being changed to the current one.",
    ));
    let (_d, paths) = inputs(&audit, &log);
    let r = run_ok(&paths, &[]);
    let w = &r.summary()["writeback"];
    assert_eq!(
        (&w["requests"], &w["failed"], &w["pending"]),
        (
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(0)
        ),
        "{w}"
    );
    let row = flow_row(&r, "c-fail");
    assert_eq!(
        (row[8].as_str(), row[9].as_str(), row[10].as_str()),
        ("matched", "failed", "33008")
    );
}

#[test]
fn flows_that_never_reach_writeback_are_not_applicable() {
    let audit = reset_flow(
        "c-cloud-user",
        "cloud.only@contoso.co.jp",
        [
            "2026-10-06T04:00:00Z",
            "2026-10-06T04:01:00Z",
            "2026-10-06T04:01:05Z",
        ],
        "success",
        "Successfully completed reset.",
    ) + &reset_flow(
        "c-banned",
        "taro@contoso.co.jp",
        [
            "2026-10-06T05:00:00Z",
            "2026-10-06T05:01:00Z",
            "2026-10-06T05:01:05Z",
        ],
        "failure",
        "PasswordDoesnotComplyFuzzyPolicy",
    ) + &reset_flow(
        "c-synced",
        "hanako@contoso.co.jp",
        [
            "2026-10-06T06:00:00Z",
            "2026-10-06T06:01:00Z",
            "2026-10-06T06:01:05Z",
        ],
        "success",
        "Successfully completed reset.",
    );
    let log = heartbeats(at("2026-10-06 00:00:00"), 12);
    let (d, mut paths) = inputs(&audit, &log);
    let licences = d.path().join("ActiveUsers.csv");
    std::fs::write(
        &licences,
        "\u{feff}Display name,User principal name,Licenses,DirSyncEnabled\r\n\
         Cloud Only,cloud.only@contoso.co.jp,Microsoft 365 E3,False\r\n\
         Taro,taro@contoso.co.jp,Microsoft 365 E3,True\r\n\
         Hanako,hanako@contoso.co.jp,Microsoft 365 E3,True\r\n",
    )
    .expect("write");
    paths.push(licences);
    let r = run_ok(&paths, &[]);
    assert_eq!(flow_row(&r, "c-cloud-user")[8], "not_applicable");
    assert_eq!(flow_row(&r, "c-banned")[8], "not_applicable");
    assert_eq!(
        flow_row(&r, "c-synced")[8],
        "cloud_only",
        "synced, reached writeback, no operation in a covered time"
    );
    let c = &r.summary()["correlation"];
    assert_eq!(c["cloud_only"], 1, "{c}");
    assert_eq!(c["not_applicable"], 2, "{c}");
    assert_eq!(c["not_applicable_by"]["cloud_only_user"], 1, "{c}");
    assert_eq!(c["not_applicable_by"]["refused_in_cloud"], 1, "{c}");
    // The page says which inputs decided.
    let page = r.file("index.html");
    assert!(
        page.contains("1 by users the licence list shows as cloud-only"),
        "{page}"
    );
    assert!(page.contains("1 refused by the banned-password check"));
}

/// The report of the sample, plus what `extra` adds.
fn sample_with(extra: &[&str]) -> Report {
    let mut paths = vec![fixture("sample")];
    paths.extend(extra.iter().map(|e| fixture(e)));
    run_ok(&paths, &["--month", "2026-10", "--tz", "Asia/Tokyo"])
}

#[test]
fn one_log_exported_twice_is_counted_once() {
    let alone = sample_with(&[]);
    let s = alone.summary();
    assert_eq!(s["writeback"]["requests"], 70);
    for copy in [
        "onprem/viewer_csv_en",
        "onprem/viewer_csv_ja",
        "onprem/viewer_txt_ja",
        "onprem/powershell_csv_type",
        "onprem/xml_event_viewer",
    ] {
        let twice = sample_with(&[copy]);
        let t = twice.summary();
        assert_eq!(t["writeback"], s["writeback"], "{copy}");
        assert_eq!(t["correlation"], s["correlation"], "{copy}");
        assert_eq!(
            twice.file("flows.csv"),
            alone.file("flows.csv"),
            "{copy}: flows.csv"
        );
        assert_eq!(
            twice.file("writeback_events.csv"),
            alone.file("writeback_events.csv"),
            "{copy}: writeback_events.csv"
        );
        // Every record of the copy (or of the original, when the copy is read first) is a
        // duplicate, or of a provider that is out of scope anyway: nothing more is used.
        assert_eq!(t["inputs"]["used"], s["inputs"]["used"], "{copy}");
        assert_eq!(t["inputs"]["rejected"], s["inputs"]["rejected"], "{copy}");
        let more_duplicates = t["inputs"]["duplicate"].as_u64().expect("n")
            - s["inputs"]["duplicate"].as_u64().expect("n");
        assert!(more_duplicates >= 1000, "{copy}: {t}");
    }
}

/// Graph `userRegistrationDetails` with one row for `taro`, refreshed at `updated` if given.
fn registration_page(dir: &Path, name: &str, updated: Option<&str>, methods: &[&str]) -> PathBuf {
    let mut row = serde_json::json!({
        "id": "0c1d2e3f-1111-4a5b-8c6d-000000000001",
        "userPrincipalName": "taro@contoso.co.jp",
        "userDisplayName": "Taro",
        "isSsprRegistered": true,
        "isSsprEnabled": true,
        "isSsprCapable": true,
        "methodsRegistered": methods,
    });
    if let Some(t) = updated {
        row["lastUpdatedDateTime"] = serde_json::json!(t);
    }
    let path = dir.join(name);
    std::fs::write(&path, serde_json::json!({ "value": [row] }).to_string()).expect("write");
    path
}

#[test]
fn a_dated_snapshot_row_beats_an_undated_one_whatever_the_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let newest = registration_page(
        dir.path(),
        "1.json",
        Some("2026-10-30T00:00:00Z"),
        &["mobilePhone", "email"],
    );
    let undated = registration_page(dir.path(), "2.json", None, &["email"]);
    let older = registration_page(
        dir.path(),
        "3.json",
        Some("2026-10-01T00:00:00Z"),
        &["mobilePhone"],
    );
    let (_a, audit) = crate::support::temp_input(
        "audit.csv",
        format!(
            "{AUDIT_HEADER}{}",
            audit_row(
                "2026-10-06T04:00:00Z",
                "c1",
                PROGRESS,
                "success",
                "User submitted their user ID",
                "taro@contoso.co.jp"
            )
        )
        .as_bytes(),
    );
    let r = run_ok(&[audit, newest, undated, older], &[]);
    let rows = r.rows("registrations.csv");
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let taro = rows
        .iter()
        .find(|row| row[0] == "taro@contoso.co.jp")
        .expect("taro");
    assert!(
        taro[col("snapshot_updated_at")].starts_with("2026-10-30"),
        "{taro:?}"
    );
    assert_eq!(taro[col("snapshot_rows")], "3");
    assert_eq!(r.summary()["registrations"]["snapshot_duplicate_rows"], 2);
}

/// Days since Excel's epoch (1899-12-30) of a UTC time.
fn excel_serial(t: chrono::DateTime<chrono::Utc>) -> f64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("date")
        .and_hms_opt(0, 0, 0)
        .expect("time")
        .and_utc();
    (t - epoch).num_microseconds().expect("micros") as f64 / 86_400e6
}

#[test]
fn a_workbook_copy_rounded_to_the_next_second_is_a_duplicate() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("audit.json");
    std::fs::write(
        &json,
        serde_json::json!([{
            "id": "SSPR_c1_1",
            "category": "UserManagement",
            "correlationId": "c1",
            "result": "success",
            "resultReason": "User submitted their user ID",
            "activityDisplayName": PROGRESS,
            "activityDateTime": "2026-10-06T04:00:30.9996Z",
            "loggedByService": SSPR,
            "initiatedBy": {"user": {"userPrincipalName": "taro@contoso.co.jp"}},
            "targetResources": [{"type": "User", "userPrincipalName": "taro@contoso.co.jp"}],
            "additionalDetails": []
        }])
        .to_string(),
    )
    .expect("write");
    let book_path = dir.path().join("audit.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss.000");
    let header = [
        "Date (UTC)",
        "CorrelationId",
        "Service",
        "Category",
        "Activity",
        "Result",
        "ResultReason",
        "ActorUserPrincipalName",
        "Target1Type",
        "Target1UserPrincipalName",
    ];
    for (col, h) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *h).expect("header");
    }
    let time = chrono::DateTime::parse_from_rfc3339("2026-10-06T04:00:30.9996Z")
        .expect("time")
        .to_utc();
    sheet
        .write_number_with_format(1, 0, excel_serial(time), &date)
        .expect("cell");
    let cells = [
        "c1",
        SSPR,
        "UserManagement",
        PROGRESS,
        "success",
        "User submitted their user ID",
        "taro@contoso.co.jp",
        "User",
        "taro@contoso.co.jp",
    ];
    for (col, v) in cells.iter().enumerate() {
        sheet.write_string(1, col as u16 + 1, *v).expect("cell");
    }
    book.save(&book_path).expect("save");
    for order in [[&json, &book_path], [&book_path, &json]] {
        let r = run_ok(&[order[0].clone(), order[1].clone()], &[]);
        let s = r.summary();
        assert_eq!(s["inputs"]["duplicate"], 1, "{s}");
        assert_eq!(s["sspr"]["flows"], 1, "{s}");
    }
}

#[test]
fn an_abandoned_flow_whose_operation_succeeded_is_a_disagreement() {
    // The user submitted a new password and closed the page; writeback set it on-premises.
    let audit = audit_row(
        "2026-10-06T04:00:00Z",
        "c-left",
        PROGRESS,
        "success",
        "User submitted their user ID",
        "taro@contoso.co.jp",
    ) + &audit_row(
        "2026-10-06T04:01:00Z",
        "c-left",
        PROGRESS,
        "success",
        "User submitted a new password",
        "taro@contoso.co.jp",
    );
    let mut log = heartbeats(at("2026-10-06 00:00:00"), 12);
    log.push(ev(
        "2026-10-06 04:01:02",
        31001,
        "PasswordResetRequestStart, Details: taro@contoso.co.jp",
    ));
    log.push(ev(
        "2026-10-06 04:01:04",
        31002,
        "TrackingId: t-2, PasswordResetSuccess, Details: Context: cloudAnchor: User_1, SourceAnchorValue: x, UserPrincipalName: taro@contoso.co.jp, unblockUser: True",
    ));
    let (_d, paths) = inputs(&audit, &log);
    let r = run_ok(&paths, &[]);
    let row = flow_row(&r, "c-left");
    assert_eq!((row[3].as_str(), row[8].as_str()), ("abandoned", "matched"));
    assert_eq!(r.summary()["correlation"]["disagreements"], 1);
}

#[test]
fn operations_where_the_audit_log_is_silent_are_not_on_prem_only() {
    // The audit log covers the morning of 6 October; the Connect server's log goes on after it.
    let audit = reset_flow(
        "c-am",
        "taro@contoso.co.jp",
        [
            "2026-10-06T04:00:00Z",
            "2026-10-06T04:01:00Z",
            "2026-10-06T04:01:05Z",
        ],
        "success",
        "Successfully completed reset.",
    ) + &["01", "06", "11"]
        .iter()
        .map(|h| {
            // Other users' attempts that stop at the first step keep the audit log going.
            audit_row(
                &format!("2026-10-06T{h}:00:00Z"),
                &format!("c-{h}"),
                PROGRESS,
                "success",
                "User submitted their user ID",
                "ken@contoso.co.jp",
            )
        })
        .collect::<String>();
    let mut log = heartbeats(at("2026-10-06 00:00:00"), 24);
    for (t, user) in [
        ("2026-10-06 04:30:00", "hanako@contoso.co.jp"),
        ("2026-10-06 20:00:00", "jiro@contoso.co.jp"),
    ] {
        log.push(ev(
            t,
            31001,
            &format!("PasswordResetRequestStart, Details: {user}"),
        ));
    }
    let (_d, paths) = inputs(&audit, &log);
    let r = run_ok(&paths, &[]);
    let c = &r.summary()["correlation"];
    assert_eq!(c["onprem_only"], 1, "hanako's, inside the audit log: {c}");
    assert_eq!(c["onprem_not_checked"], 1, "jiro's, after it ends: {c}");
}

#[test]
fn a_copy_read_in_the_wrong_zone_is_recognised_and_named() {
    // No --onprem-tz: the Event Viewer CSV (JST wall-clock times) is read as UTC, nine hours off
    // the .evtx of the same server.
    let alone = run_ok(&[fixture("sample")], &["--month", "2026-10"]);
    let twice = run_ok(
        &[fixture("sample"), fixture("onprem/viewer_csv_en")],
        &["--month", "2026-10"],
    );
    let (s, t) = (alone.summary(), twice.summary());
    for key in ["requests", "succeeded", "failed", "pending"] {
        assert_eq!(t["writeback"][key], s["writeback"][key], "{key}");
    }
    assert_eq!(
        t["correlation"]["onprem_only"],
        s["correlation"]["onprem_only"]
    );
    assert_eq!(t["correlation"]["matched"], s["correlation"]["matched"]);
    assert!(
        twice
            .stdout
            .contains("its times lie +9h00 off sample/Application_CONNECT01.evtx"),
        "{}",
        twice.stdout
    );
}

#[test]
fn an_excel_resave_that_kept_only_minutes_counts_once() {
    // The folder holds the same audit log in every export format, one of them Japanese Excel's
    // Shift_JIS re-save whose times keep only the minute (`2026/10/03 9:15`).
    let all = run_ok(&[fixture("formats")], &[]);
    let one = run_ok(&[fixture("formats/portal_current_utf8bom.csv")], &[]);
    for file in [
        "flows.csv",
        "registrations.csv",
        "throttling.csv",
        "daily.csv",
    ] {
        assert_eq!(all.file(file), one.file(file), "{file}");
    }
    assert_eq!(
        all.summary()["inputs"]["used"],
        one.summary()["inputs"]["used"]
    );
}

#[test]
fn an_open_outage_ends_at_the_exact_last_record_and_coverage_names_it() {
    let mut log = heartbeats(at("2026-10-05 00:00:00"), 20);
    log.push(ev(
        "2026-10-05 20:00:10",
        31016,
        "Password reset service is stopping",
    ));
    log.push(ev("2026-10-05 20:30:00", 31019, "ServiceBusHeartBeat"));
    log.push(ev("2026-10-05 21:00:50", 31019, "ServiceBusHeartBeat"));
    let (_d, paths) = inputs("", &log);
    let r = run_ok(&paths, &["--from", "2026-10-05", "--to", "2026-10-05"]);
    let s = r.summary();
    // 20:00:10 to 21:00:50: 60 min 40 s, rounded.
    assert_eq!(s["writeback"]["outage_minutes"], 61, "{s}");
    let source = s["coverage"]["sources"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["source"] == "onprem:CONNECT01"))
        .cloned()
        .expect("source");
    assert_eq!(source["last"], "2026-10-05T21:00:50+00:00", "{source}");
    assert_eq!(source["first"], "2026-10-05T00:00:00+00:00", "{source}");
}
