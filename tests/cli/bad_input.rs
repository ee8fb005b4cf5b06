//! Bad input: every kind gives a clear message naming the file and place, no panic, and the
//! accounting identity holds.

use crate::support::{Report, run_report, temp_input};

const HEADER: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";

fn row(date: &str, corr: &str, activity: &str, result: &str, reason: &str) -> String {
    format!(
        "\"{date}\",\"{corr}\",\"Self-service Password Management\",\"UserManagement\",\"{activity}\",\"{result}\",\"{reason}\",\"taro.yamada@contoso.co.jp\",\"User\",\"taro.yamada@contoso.co.jp\"\r\n"
    )
}

fn good_csv() -> String {
    let mut s = HEADER.to_string();
    s += &row(
        "2026-10-03T09:15:00.1234567Z",
        "c1",
        "Self-service password reset flow activity progress",
        "success",
        "User submitted their user ID",
    );
    s += &row(
        "2026-10-03T09:16:10Z",
        "c1",
        "Reset password (self-service)",
        "success",
        "Successfully completed reset.",
    );
    s
}

fn rejects(report: &Report) -> Vec<Vec<String>> {
    report.rows("rejects.csv").into_iter().skip(1).collect()
}

#[test]
fn empty_file_is_a_warning_not_an_error() {
    let (_d, path) = temp_input("empty.csv", b"");
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let summary = r.summary();
    assert_eq!(summary["inputs"]["records_read"], 0);
    // No audit record at all: zero flows would be a lie, the sections are null.
    assert!(
        summary["sspr"].is_null() && summary["registrations"].is_null(),
        "{summary}"
    );
    assert!(summary["period"]["from"].is_null());
    assert!(r.stdout.contains("empty.csv: empty file"), "{}", r.stdout);
    assert!(rejects(&r).is_empty());
}

#[test]
fn garbage_bytes_are_one_rejected_file() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (_d, path) = temp_input("noise.bin", &bytes);
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0][0], "noise.bin");
    assert_eq!(rej[0][1], "file");
    assert!(
        rej[0][2].contains("cannot be decoded") || rej[0][2].contains("not a recognised"),
        "{:?}",
        rej[0]
    );
}

#[test]
fn truncated_json_keeps_the_records_before_the_cut() {
    let json = r#"[{"id":"a1","activityDateTime":"2026-10-03T09:15:00Z","loggedByService":"Self-service Password Management","activityDisplayName":"Change password (self-service)","result":"failure","resultReason":"FuzzyPolicyViolationInvalidPassword","correlationId":"c9","initiatedBy":{"user":{"userPrincipalName":"hanako@contoso.co.jp"}},"targetResources":[]},
{"id":"a2","activityDateTime":"2026-10-03T09:20:00Z","loggedByService":"Self-service Pass"#;
    let (_d, path) = temp_input("cut.json", json.as_bytes());
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    assert_eq!(
        r.summary()["sspr"]["flows"],
        1,
        "the complete record still counts"
    );
    let rej = rejects(&r);
    assert_eq!(
        rej,
        vec![vec![
            "cut.json".to_string(),
            "record 2 (line 2)".to_string(),
            "the file ends inside this record: it was cut off (incomplete download or copy?)"
                .to_string(),
        ]]
    );
}

#[test]
fn wrong_encoding_is_named() {
    // Windows-1252 text: neither UTF-8 nor Shift_JIS.
    let mut bytes = good_csv().into_bytes();
    bytes.extend_from_slice(b"\"2026-10-03T10:00:00Z\",\"c2\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"Caf\xe9 \xe9t\xe9\",\"x@y\",\"User\",\"x@y\"\r\n");
    let (_d, path) = temp_input("latin1.csv", &bytes);
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0][1], "file");
    assert!(rej[0][2].contains("cannot be decoded"), "{:?}", rej[0]);
}

#[test]
fn a_bad_byte_after_the_head_rejects_only_its_row() {
    let mut bytes = good_csv().into_bytes();
    // Push the bad row beyond the sniffed head so the file is read as UTF-8.
    for i in 0..700 {
        bytes.extend_from_slice(
            format!("\"2026-10-04T00:{:02}:{:02}Z\",\"n{i}\",\"Core Directory\",\"UserManagement\",\"Update user\",\"success\",\"\",\"a@b\",\"User\",\"a@b\"\r\n", (i / 60) % 60, i % 60)
                .as_bytes(),
        );
    }
    bytes.extend_from_slice(b"\"2026-10-04T12:00:00Z\",\"c3\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"Caf\xe9\",\"x@y\",\"User\",\"x@y\"\r\n");
    let (_d, path) = temp_input("mixed.csv", &bytes);
    let r = run_report(&[path], &[]);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0][1], "line 704");
    assert!(rej[0][2].contains("not valid UTF-8"), "{:?}", rej[0]);
    assert_eq!(r.summary()["inputs"]["out_of_scope"], 700);
}

#[test]
fn a_row_with_a_broken_date_is_rejected_and_the_run_goes_on() {
    let mut csv = good_csv();
    csv += &row(
        "31/31/2026 25:00",
        "c4",
        "Reset password (self-service)",
        "failure",
        "x",
    );
    csv += &row(
        "2026-10-05T08:00:00Z",
        "c5",
        "Reset password (self-service)",
        "success",
        "Successfully completed reset.",
    );
    let (_d, path) = temp_input("dates.csv", csv.as_bytes());
    let r = run_report(std::slice::from_ref(&path), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    assert_eq!(r.summary()["sspr"]["flows"], 2);
    assert_eq!(
        rejects(&r),
        vec![vec![
            "dates.csv".to_string(),
            "line 4".to_string(),
            "date '31/31/2026 25:00' is not a timestamp".to_string(),
        ]]
    );
    // --strict turns a rejected record into exit 1, and still writes the report.
    let strict = run_report(&[path], &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("--strict: 1 record(s) rejected"),
        "{}",
        strict.stderr
    );
    strict.assert_accounting();
}

#[test]
fn a_ragged_row_and_an_unknown_table() {
    let mut csv = good_csv();
    csv += "\"2026-10-03T11:00:00Z\",\"c6\",\"Self-service Password Management\"\r\n";
    let (_d, path) = temp_input("cut.csv", csv.as_bytes());
    let (_d2, other) = temp_input(
        "users.csv",
        b"User principal name,Display name,Department\r\na@b,A,Sales\r\n",
    );
    let r = run_report(&[path, other], &[]);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 2, "{rej:?}");
    assert_eq!(rej[0][0..2], ["cut.csv".to_string(), "line 4".to_string()]);
    assert!(rej[0][2].contains("row has 3 fields but the header has 10"));
    assert_eq!(rej[1][0..2], ["users.csv".to_string(), "file".to_string()]);
    assert!(
        rej[1][2].contains("not a recognised export"),
        "{}",
        rej[1][2]
    );
}

#[test]
fn the_same_export_twice_changes_only_duplicate() {
    let (d, one) = temp_input("a.csv", good_csv().as_bytes());
    let two = d.path().join("copy-of-a.csv");
    std::fs::copy(&one, &two).expect("copy");
    let single = run_report(std::slice::from_ref(&one), &[]);
    let double = run_report(&[one, two], &[]);
    double.assert_accounting();
    let (s, t) = (single.summary(), double.summary());
    assert_eq!(s["sspr"], t["sspr"]);
    assert_eq!(t["inputs"]["duplicate"], s["inputs"]["records_read"]);
    assert_eq!(t["inputs"]["used"], s["inputs"]["used"]);
    assert_eq!(single.file("flows.csv"), double.file("flows.csv"));
}

#[test]
fn a_workbook_with_an_impossible_date_cell_does_not_panic() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (col, h) in [
        "Date (UTC)",
        "CorrelationId",
        "Service",
        "Activity",
        "Result",
        "ResultReason",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *h).expect("header");
    }
    sheet
        .write_number_with_format(1, 0, -1e300, &date)
        .expect("cell");
    for (col, v) in [
        "c1",
        "Self-service Password Management",
        "Reset password (self-service)",
        "success",
        "",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16 + 1, *v).expect("cell");
    }
    book.save(&path).expect("save");
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert_eq!(rej[0][1], "sheet Sheet1 row 2");
    assert!(rej[0][2].contains("is not a timestamp"), "{:?}", rej[0]);
}

#[test]
fn shift_jis_rows_after_an_ascii_head_are_read() {
    let mut bytes = good_csv().into_bytes();
    for i in 0..700 {
        bytes.extend_from_slice(
            format!("\"2026-10-04T00:{:02}:{:02}Z\",\"n{i}\",\"Core Directory\",\"UserManagement\",\"Update user\",\"success\",\"\",\"a@b\",\"User\",\"a@b\"\r\n", (i / 60) % 60, i % 60)
                .as_bytes(),
        );
    }
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
        "\"2026-10-04T12:00:00Z\",\"c9\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"パスワードのリセットに失敗しました\",\"x@y\",\"User\",\"x@y\"\r\n",
    );
    bytes.extend_from_slice(&sjis);
    let (_d, path) = temp_input("cp932.csv", &bytes);
    let r = run_report(&[path], &[]);
    r.assert_accounting();
    assert!(rejects(&r).is_empty());
    assert!(
        r.file("flows.csv")
            .contains("パスワードのリセットに失敗しました")
    );
    assert!(r.stdout.contains("are Shift_JIS"), "{}", r.stdout);
}

#[test]
fn inputs_with_the_same_name_stay_apart_in_rejects() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bad = good_csv();
    bad += &row(
        "not a date",
        "c4",
        "Reset password (self-service)",
        "failure",
        "x",
    );
    let mut inputs = Vec::new();
    for month in ["2026-09", "2026-10"] {
        let folder = dir.path().join(month).join("AuditLogs");
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("export.csv"), bad.replace("c4", month)).expect("write");
        inputs.push(folder);
    }
    let r = run_report(&inputs, &[]);
    let files: Vec<String> = rejects(&r).into_iter().map(|row| row[0].clone()).collect();
    assert_eq!(files.len(), 2);
    assert_ne!(files[0], files[1], "{files:?}");
    assert!(
        files.iter().all(|f| f.ends_with("AuditLogs/export.csv")),
        "{files:?}"
    );
}

#[test]
fn an_oversized_json_record_is_skipped_and_the_rest_is_read() {
    let big = "x".repeat(65 * 1024 * 1024);
    let json = format!(
        r#"[{{"id":"a","activityDateTime":"2026-10-03T09:15:00Z","loggedByService":"Self-service Password Management","activityDisplayName":"Reset password (self-service)","result":"success","resultReason":"{big}","correlationId":"c1"}},
{{"id":"b","activityDateTime":"2026-10-03T09:20:00Z","loggedByService":"Self-service Password Management","activityDisplayName":"Change password (self-service)","result":"success","resultReason":"","correlationId":"c2","targetResources":[{{"type":"User","userPrincipalName":"u@x.jp"}}]}}]"#
    );
    let (_d, path) = temp_input("big.json", json.as_bytes());
    let r = run_report(&[path], &[]);
    r.assert_accounting();
    assert_eq!(r.summary()["sspr"]["flows"], 1);
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1);
    assert_eq!(rej[0][1], "record 1 (line 1)");
    assert!(rej[0][2].contains("larger than 64 MiB"), "{:?}", rej[0]);
}

#[test]
fn day_first_dates_are_recognised_per_file() {
    let header = "TimeGenerated [UTC],OperationName,LoggedByService,Result,ResultDescription,CorrelationId\r\n";
    let uk = format!(
        "{header}3/10/2026 09:00:00,Reset password (self-service),Self-service Password Management,success,Successfully completed reset.,c1\r\n\
         25/10/2026 09:00:00,Reset password (self-service),Self-service Password Management,success,Successfully completed reset.,c2\r\n"
    );
    let (_d, path) = temp_input("la_uk.csv", uk.as_bytes());
    let r = run_report(&[path], &[]);
    r.assert_accounting();
    let dates: Vec<String> = r
        .rows("flows.csv")
        .into_iter()
        .skip(1)
        .map(|row| row[5].clone())
        .collect();
    assert_eq!(
        dates,
        vec!["2026-10-03".to_string(), "2026-10-25".to_string()]
    );
    let ambiguous = format!(
        "{header}3/10/2026 09:00:00,Reset password (self-service),Self-service Password Management,success,x,c1\r\n"
    );
    let (_d2, path) = temp_input("la_unclear.csv", ambiguous.as_bytes());
    let r = run_report(&[path], &[]);
    assert!(r.stdout.contains("read as month/day (US)"), "{}", r.stdout);
    assert!(r.file("flows.csv").contains(",2026-03-10,"));
}

#[test]
fn an_xml_entity_bomb_is_rejected_not_expanded() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE Events [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        xml += &format!(
            "<!ENTITY {} \"{}\">\n",
            (b'a' + i) as char,
            format!("&{};", (b'a' + i - 1) as char).repeat(10)
        );
    }
    xml += "]>\n<Events><Event><System><Provider Name='PasswordResetService'/><EventID>31001</EventID>\
            <TimeCreated SystemTime='2026-10-06T04:00:00Z'/><Computer>C1</Computer></System>\
            <EventData><Data>&j;</Data></EventData></Event></Events>\n";
    let (_d, path) = temp_input("bomb.xml", xml.as_bytes());
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert!(rej[0][2].contains("undefined entity &j;"), "{:?}", rej[0]);
}

/// One long shared string in thousands of cells: a 1 MB workbook that expands to gigabytes of
/// text (found in review: 21 GB). Refused as a bomb, quickly, with the rest of the run intact.
#[test]
fn a_workbook_whose_shared_strings_expand_without_bound_is_refused() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "Date (UTC)",
        "CorrelationId",
        "Service",
        "Activity",
        "Result",
        "ResultReason",
    ];
    for (col, h) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *h).expect("header");
    }
    let long = "x".repeat(32_000); // near Excel's limit for one cell
    for row in 1..5_001u32 {
        let cells = [
            "2026-10-05T08:00:00Z",
            &format!("c{row}"),
            "Self-service Password Management",
            "Reset password (self-service)",
            "failure",
            &long,
        ];
        for (col, v) in cells.iter().enumerate() {
            sheet.write_string(row, col as u16, *v).expect("cell");
        }
    }
    book.save(&path).expect("save");
    assert!(
        std::fs::metadata(&path).expect("size").len() < 2_000_000,
        "a small file"
    );
    let r = run_report(&[path], &["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rej = rejects(&r);
    assert_eq!(rej.len(), 1, "{rej:?}");
    assert!(rej[0][2].contains("workbook bomb"), "{:?}", rej[0]);
}
