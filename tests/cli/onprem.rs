//! On-premises event logs: real EVTX files read without a crash and fully accounted for, and
//! zone-less local times joined to UTC cloud times through --onprem-tz.

use crate::support::{run_report, temp_input};
use std::path::PathBuf;

/// The real (non-AADC) EVTX logs beside the project, when present.
fn shared_samples() -> Option<PathBuf> {
    let dir = crate::support::repo().join("../shared/samples/evtx");
    dir.is_dir().then_some(dir)
}

#[test]
fn real_evtx_logs_are_read_and_every_record_accounted_for() {
    let Some(dir) = shared_samples() else {
        eprintln!("../shared/samples/evtx not present: skipped");
        return;
    };
    // Records the evtx crate reads, and records/chunks it cannot (shared/samples/README.md).
    let expected = [
        ("Application_no_crc32.evtx", 17, 0),
        ("MSExchange_Management_wec.evtx", 1, 0),
        ("sample_with_a_bad_chunk_magic.evtx", 301, 3),
        ("sample-with-zero-data-size-event.evtx", 449, 1),
        ("system.evtx", 1881, 0),
    ];
    for (name, ok, bad) in expected {
        let r = run_report(&[dir.join(name)], &[]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        r.assert_accounting();
        let inputs = r.summary()["inputs"].clone();
        assert_eq!(inputs["records_read"], ok + bad, "{name}: {inputs}");
        assert_eq!(inputs["rejected"], bad, "{name}: {inputs}");
        // None of them holds writeback events: all out of scope, none used.
        assert_eq!(inputs["used"], 0, "{name}");
        let rows = r.rows("inputs.csv");
        assert_eq!(rows[1][1], "onprem_log", "{name}: {:?}", rows[1]);
    }
}

const CLOUD: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n\
\"2026-10-06T04:00:00Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Self-service password reset flow activity progress\",\"success\",\"User submitted their user ID\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n\
\"2026-10-06T04:01:00Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Self-service password reset flow activity progress\",\"success\",\"User submitted a new password\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n\
\"2026-10-06T04:01:05Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"success\",\"Successfully completed reset.\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n";

/// The Connect server's log as Japanese Event Viewer saves it: JST wall-clock times, no zone.
fn japanese_viewer_csv() -> String {
    "\u{feff}レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n\
情報,2026/10/06 13:00:00,PasswordResetService,31019,なし,ServiceBusHeartBeat\r\n\
情報,2026/10/06 13:01:02,PasswordResetService,31001,なし,\"PasswordResetRequestStart, Details: taro@contoso.co.jp\"\r\n\
情報,2026/10/06 13:01:04,PasswordResetService,31002,なし,\"TrackingId: 9f1c, PasswordResetSuccess, Details: Context: cloudAnchor: User_1, SourceAnchorValue: x, UserPrincipalName: taro@contoso.co.jp, unblockUser: True\"\r\n\
情報,2026/10/06 14:00:00,PasswordResetService,31019,なし,ServiceBusHeartBeat\r\n"
        .to_string()
}

#[test]
fn jst_local_times_match_utc_cloud_times_only_in_the_right_zone() {
    let (d, cloud) = temp_input("audit.csv", CLOUD.as_bytes());
    let onprem = d.path().join("CONNECT01.csv");
    std::fs::write(&onprem, japanese_viewer_csv()).expect("write");
    let right = run_report(
        &[cloud.clone(), onprem.clone()],
        &["--onprem-tz", "Asia/Tokyo"],
    );
    assert_eq!(right.code, 0, "{}", right.stderr);
    right.assert_accounting();
    let flow = &right.rows("flows.csv")[1];
    assert_eq!(
        (flow[8].as_str(), flow[9].as_str()),
        ("matched", "succeeded"),
        "{flow:?}"
    );
    let s = right.summary();
    assert_eq!(s["correlation"]["matched"], 1);
    assert_eq!(s["writeback"]["requests"], 1);
    assert_eq!(s["correlation"]["median_lag_seconds"], 2.0);
    let events = right.rows("writeback_events.csv");
    assert_eq!(
        events[1][0], "2026-10-06T04:01:02+00:00",
        "read in JST, reported in --tz UTC"
    );
    assert_eq!(
        events[1][1], "CONNECT01",
        "the computer is named after the file"
    );
    // Read as UTC, the on-prem log lies nine hours later than the flow: nothing matches.
    let wrong = run_report(&[cloud, onprem], &["--onprem-tz", "UTC"]);
    let flow = &wrong.rows("flows.csv")[1];
    assert_ne!(flow[8], "matched", "{flow:?}");
    assert_eq!(wrong.summary()["correlation"]["matched"], 0);
}

#[test]
fn without_an_onprem_log_writeback_and_correlation_are_null() {
    let (_d, cloud) = temp_input("audit.csv", CLOUD.as_bytes());
    let r = run_report(&[cloud], &[]);
    let s = r.summary();
    assert!(
        s["writeback"]["requests"].is_null() && s["correlation"]["matched"].is_null(),
        "{s}"
    );
    assert_eq!(r.rows("flows.csv")[1][8], "not_checked");
    // The contract's files are there all the same, header only.
    assert_eq!(r.rows("writeback_events.csv").len(), 1);
    assert_eq!(r.rows("writeback_health.csv").len(), 1);
}

#[test]
fn bad_match_window_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::support::bin(dir.path())
        .args(["run", "--match-window", "5", "--out", "r"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--match-window"));
    crate::support::bin(dir.path())
        .args(["run", "--onprem-tz", "Tokyo", "--out", "r"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--onprem-tz"));
}

#[test]
fn an_evtx_cut_inside_a_chunk_keeps_the_first_chunk_and_rejects_the_cut() {
    use chrono::TimeZone;
    use sspr_report::synth::evtx_writer::{EvtxEvent, evtx_bytes};
    let t0 = chrono::Utc
        .with_ymd_and_hms(2026, 10, 6, 0, 0, 0)
        .single()
        .expect("time");
    let events: Vec<EvtxEvent> = (0..600u64)
        .map(|i| EvtxEvent {
            record_id: i + 1,
            time: t0 + chrono::Duration::seconds(i as i64 * 60),
            provider: "PasswordResetService".into(),
            event_id: 31019,
            qualifiers: Some(0),
            level: 4,
            task: 0,
            keywords: 0x0080_0000_0000_0000,
            channel: "Application".into(),
            computer: "CONNECT01.corp.contoso.co.jp".into(),
            data: vec![format!("ServiceBusHeartBeat {}", "x".repeat(300))],
        })
        .collect();
    let bytes = evtx_bytes(&events);
    assert!(
        bytes.len() > 4096 + 65_536 * 2,
        "the test needs several chunks"
    );
    let cut = &bytes[..4096 + 65_536 + 30_000];
    let (_d, path) = temp_input("cut.evtx", cut);
    let r = run_report(&[path], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let rejects = r.rows("rejects.csv");
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    assert_eq!(rejects[1][1], "chunk 2");
    let read = r.summary()["inputs"]["records_read"].as_u64().unwrap_or(0);
    assert!(
        read > 10 && read < 300,
        "the first chunk's records and the cut: {read}"
    );
    assert_eq!(r.summary()["inputs"]["rejected"], 1);
}

/// One `<Event>` of a wevtutil export.
fn xml_event(computer: &str, record: u32, id: u32, utc: &str, data: &str) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='PasswordResetService'/>\
         <EventID Qualifiers='0'>{id}</EventID><Level>4</Level><TimeCreated SystemTime='{utc}'/><EventRecordID>{record}</EventRecordID>\
         <Channel>Application</Channel><Computer>{computer}.corp.contoso.co.jp</Computer></System><EventData><Data>{data}</Data></EventData></Event>\n"
    )
}

fn cloud_reset(corr: &str, user: &str, submitted_utc: &str, done_utc: &str) -> String {
    format!(
        "\"{submitted_utc}\",\"{corr}\",\"Self-service Password Management\",\"UserManagement\",\"Self-service password reset flow activity progress\",\"success\",\"User submitted a new password\",\"{user}\",\"User\",\"{user}\"\r\n\
         \"{done_utc}\",\"{corr}\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"success\",\"Successfully completed reset.\",\"{user}\",\"User\",\"{user}\"\r\n"
    )
}

#[test]
fn one_user_on_two_computers_and_an_outage_past_the_period_end() {
    let header = CLOUD.lines().next().unwrap_or_default().to_string() + "\r\n";
    let cloud = header
        + &cloud_reset(
            "c1",
            "taro@contoso.co.jp",
            "2026-10-10T01:00:00Z",
            "2026-10-10T01:00:05Z",
        )
        + &cloud_reset(
            "c2",
            "taro@contoso.co.jp",
            "2026-10-25T01:00:00Z",
            "2026-10-25T01:00:05Z",
        );
    let (d, cloud_path) = temp_input("audit.csv", cloud.as_bytes());
    // CONNECT01 until the 20th, CONNECT02 from the 20th; CONNECT02 stops on the 31st at 21:00 JST.
    let c1 = xml_event(
        "CONNECT01",
        1,
        31019,
        "2026-09-30T15:00:00Z",
        "ServiceBusHeartBeat",
    ) + &xml_event(
        "CONNECT01",
        2,
        31001,
        "2026-10-10T01:00:02Z",
        "PasswordResetRequestStart, Details: taro@contoso.co.jp",
    ) + &xml_event(
        "CONNECT01",
        3,
        31002,
        "2026-10-10T01:00:04Z",
        "TrackingId: t1, PasswordResetSuccess, Details: Context: UserPrincipalName: taro@contoso.co.jp",
    ) + &xml_event(
        "CONNECT01",
        4,
        31019,
        "2026-10-20T03:00:00Z",
        "ServiceBusHeartBeat",
    );
    let c2 = xml_event(
        "CONNECT02",
        1,
        31019,
        "2026-10-20T02:00:00Z",
        "ServiceBusHeartBeat",
    ) + &xml_event(
        "CONNECT02",
        2,
        31001,
        "2026-10-25T01:00:02Z",
        "PasswordResetRequestStart, Details: taro@contoso.co.jp",
    ) + &xml_event(
        "CONNECT02",
        3,
        31002,
        "2026-10-25T01:00:04Z",
        "TrackingId: t2, PasswordResetSuccess, Details: Context: UserPrincipalName: taro@contoso.co.jp",
    ) + &xml_event(
        "CONNECT02",
        4,
        31016,
        "2026-10-31T12:00:00Z",
        "WriteBackServiceStopped",
    ) + &xml_event(
        // The log goes on past the period (an open outage ends where the log ends).
        "CONNECT02",
        5,
        31034,
        "2026-11-01T01:00:00Z",
        "Unable to connect to the Service Bus",
    );
    std::fs::write(d.path().join("CONNECT01.xml"), c1).expect("write");
    std::fs::write(d.path().join("CONNECT02.xml"), c2).expect("write");
    let inputs = [
        cloud_path,
        d.path().join("CONNECT01.xml"),
        d.path().join("CONNECT02.xml"),
    ];
    let r = run_report(
        &inputs,
        &["--month", "2026-10", "--tz", "Asia/Tokyo", "--gap", "30d"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let s = r.summary();
    assert_eq!(s["correlation"]["matched"], 2, "{s}");
    assert_eq!(s["writeback"]["requests"], 2);
    assert_eq!(s["writeback"]["outages"], 1);
    // 21:00 JST on the 31st to the end of the period (24:00 JST): 180 minutes, not beyond.
    assert_eq!(s["writeback"]["outage_minutes"], 180);
    let health = r.rows("writeback_health.csv");
    assert_eq!(health.len(), 32, "a row per day of October");
    assert_eq!(health[31][0], "2026-10-31");
    assert_eq!(
        (health[31][4].as_str(), health[31][5].as_str()),
        ("1", "180")
    );
    let computers: Vec<String> = r
        .rows("writeback_events.csv")
        .into_iter()
        .skip(1)
        .map(|row| row[1].clone())
        .collect();
    assert!(
        computers.contains(&"CONNECT01".to_string())
            && computers.contains(&"CONNECT02".to_string())
    );
    let sources: Vec<String> = s["coverage"]["sources"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["source"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        sources,
        vec!["audit", "onprem:CONNECT01", "onprem:CONNECT02"]
    );
}
