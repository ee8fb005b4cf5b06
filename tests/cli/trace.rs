//! `sspr-report trace` on the bundled sample (October 2026, Asia/Tokyo): a user for each failure
//! mode, text and JSON, English and Japanese, a typo'd UPN, a flow by id in another case.

use crate::support::{bin, fixture, repo};
use serde_json::Value;
use sspr_report::catalog::{self, EventSource};

/// Runs `trace` on the sample with `args`; exit code, stdout, stderr.
fn trace(args: &[&str]) -> (i32, String, String) {
    let sample = fixture("sample");
    let out = bin(&repo())
        .arg("trace")
        .arg(&sample)
        .args(["--month", "2026-10", "--tz", "Asia/Tokyo"])
        .args(args)
        .output()
        .expect("run trace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON document of a successful trace.
fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = trace(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("trace prints one JSON document")
}

/// The flow with this CorrelationId.
fn flow<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["flows"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["correlation_id"] == id))
        .unwrap_or_else(|| panic!("flow {id} in {doc}"))
}

/// The diagnosis codes of a flow, in order.
fn codes(flow: &Value) -> Vec<String> {
    flow["diagnosis"]
        .as_array()
        .expect("diagnosis array")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

const MAKOTO_33008: &str = "7bee2fcb-7b78-4890-99d7-2434518824e6";

#[test]
fn json_keys_are_the_documented_ones() {
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert_eq!(
        keys(&doc),
        [
            "query",
            "period",
            "flows",
            "registrations",
            "license",
            "throttling",
            "onprem_operations",
            "warnings"
        ]
    );
    let f = flow(&doc, MAKOTO_33008);
    assert_eq!(
        keys(f),
        [
            "correlation_id",
            "kind",
            "outcome",
            "started_at",
            "failure_reason",
            "records",
            "onprem",
            "diagnosis"
        ]
    );
    assert_eq!(
        keys(&f["records"][0]),
        ["time", "service", "activity", "result", "reason", "ip"]
    );
    assert_eq!(keys(&f["onprem"]), ["status", "events", "nearby"]);
    assert_eq!(
        keys(&f["onprem"]["events"][0]),
        [
            "time",
            "computer",
            "event_id",
            "name",
            "tracking_id",
            "error_code",
            "hr"
        ]
    );
    assert_eq!(
        keys(&f["diagnosis"][0]),
        ["code", "title", "meaning", "cause", "fix"]
    );
    // The record's IP address, as the LA CSV's InitiatedBy JSON text holds it.
    assert_eq!(f["records"][0]["ip"], MAKOTO_IP);
}

/// The address makoto.hasegawa's attempt on 2026-10-20 came from (LogAnalytics CSV).
const MAKOTO_IP: &str = "198.51.100.51";

#[test]
fn every_sspr_record_carries_its_ip_address_in_every_format() {
    // These users' flows fall into every audit file of the sample: portal CSV, portal JSON,
    // Graph pages, NDJSON, Log Analytics CSV and JSON, Event Hub, workbook.
    let mut days = std::collections::BTreeSet::new();
    let mut writes = 0;
    for user in [
        "aya.murakami@contoso.co.jp",
        "emi.yamaguchi@contoso.co.jp",
        "megumi.kato@contoso.co.jp",
        "makoto.hasegawa@contoso.co.jp",
        "hanako.sato@contoso.co.jp",
        "misaki.abe@contoso.co.jp",
    ] {
        let doc = json(&["--user", user]);
        let records = || {
            doc["flows"]
                .as_array()
                .expect("flows")
                .iter()
                .flat_map(|f| f["records"].as_array().expect("records"))
        };
        for r in records().filter(|r| r["activity"] == "Reset user password") {
            assert!(r["ip"].is_null(), "{r}");
            writes += 1;
        }
        for r in records().filter(|r| r["service"] == "Self-service Password Management") {
            assert!(r["ip"].as_str().is_some_and(|ip| ip.starts_with("198.51.100.") || ip.starts_with("203.0.113.")), "{user}: {r}");
            days.insert(r["time"].as_str().expect("time")[8..10].to_string());
        }
    }
    // One day well inside each file's span (file names in fixtures/sample).
    for day in ["05", "09", "14", "16", "20", "22", "26", "30"] {
        assert!(days.contains(day), "no record of 2026-10-{day}: {days:?}");
    }
    // The directory write is logged by the password service's account: no address.
    assert!(writes > 0);
}

#[test]
fn ip_address_in_text_and_json_even_with_a_key() {
    let (code, en, _) = trace(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert_eq!(code, 0);
    assert!(
        en.contains(&format!("| User submitted their user ID | ip={MAKOTO_IP}")),
        "{en}"
    );
    let key = "a-long-enough-secret-key-for-tests";
    let p = sspr_report::render::pseudonymize::Pseudonymizer::new(key).expect("key");
    let doc = json(&[
        "--user",
        "makoto.hasegawa@contoso.co.jp",
        "--pseudonymize",
        key,
    ]);
    // The key resolves pseudonyms; it hides nothing from the one who holds it.
    assert_eq!(flow(&doc, MAKOTO_33008)["records"][0]["ip"], MAKOTO_IP);
    let (code, text, _) = trace(&[
        "--user",
        "makoto.hasegawa@contoso.co.jp",
        "--pseudonymize",
        key,
    ]);
    assert_eq!(code, 0);
    assert!(text.contains(&format!("ip={MAKOTO_IP}")), "{text}");
    assert!(!text.contains(&p.ip(MAKOTO_IP)));
}

#[test]
fn onprem_policy_33008_shows_the_events_and_the_hr_code() {
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    let f = flow(&doc, MAKOTO_33008);
    assert_eq!(
        (f["kind"].as_str(), f["outcome"].as_str()),
        (Some("reset"), Some("failed"))
    );
    assert_eq!(f["onprem"]["status"], "matched");
    let events = f["onprem"]["events"].as_array().expect("events");
    let ids: Vec<u64> = events
        .iter()
        .filter_map(|e| e["event_id"].as_u64())
        .collect();
    assert_eq!(
        ids,
        [31001, 31003, 33008],
        "start, failure, the detail: {events:?}"
    );
    let detail = &events[2];
    assert_eq!(detail["name"], "ADPasswordPolicyError");
    assert_eq!(detail["error_code"], "33008");
    assert_eq!(detail["hr"], "0x80230619");
    assert_eq!(detail["computer"], "CONNECT02");
    assert_eq!(detail["time"], "2026-10-20T10:07:09+09:00", "times in --tz");
    // The 33xxx detail names the cause: it comes before the cloud's generic SSPR_0029.
    assert_eq!(codes(f), ["33008", "0x80230619", "SSPR_0029"]);
    // Oldest first.
    let starts: Vec<&str> = doc["flows"]
        .as_array()
        .expect("flows")
        .iter()
        .filter_map(|f| f["started_at"].as_str())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}

#[test]
fn cloud_policy_reason_and_a_synced_user_without_p1() {
    let doc = json(&["--user", "aya.murakami@contoso.co.jp"]);
    let f = flow(&doc, "23afea89-dc0e-4815-aa3c-257dfa476fbc");
    assert_eq!(f["failure_reason"], "FuzzyPolicyViolationInvalidPassword");
    assert_eq!(f["onprem"]["status"], "not_applicable");
    assert_eq!(
        codes(f),
        [
            "FuzzyPolicyViolationInvalidPassword",
            "check:synced_without_p1"
        ]
    );
    assert_eq!(doc["license"]["p1"], false);
    assert_eq!(doc["license"]["synced"], true);
    assert_eq!(doc["license"]["licenses"], "Office 365 E3");
    // Abandoned: no result, so nothing to diagnose.
    let abandoned = flow(&doc, "ed5fdc31-5625-4e4a-8005-df35a257941d");
    assert_eq!(abandoned["outcome"], "abandoned");
    assert_eq!(abandoned["failure_reason"], Value::Null);
    assert!(codes(abandoned).is_empty());
    assert_eq!(doc["throttling"], Value::Null);
}

#[test]
fn a_reset_during_the_writeback_outage_shows_it_and_the_connectivity_error() {
    let doc = json(&["--user", "daisuke.yoshida@contoso.co.jp"]);
    let f = flow(&doc, "1bafc416-7418-4463-8f8f-3f1db2e06b7a");
    assert_eq!(f["onprem"]["status"], "cloud_only");
    let nearby = f["onprem"]["nearby"].as_array().expect("nearby");
    assert_eq!(nearby.len(), 2, "{nearby:?}");
    assert_eq!(nearby[0]["kind"], "outage");
    assert_eq!(nearby[0]["time"], "2026-10-14T09:40:05+09:00");
    assert_eq!(nearby[0]["until"], "2026-10-14T10:48:42+09:00");
    assert_eq!(nearby[1]["kind"], "connectivity");
    assert_eq!(nearby[1]["event_id"], 31034);
    // The stopped service explains the missing on-prem trace: no "check the agent" on top.
    assert_eq!(codes(f), ["SSPR_0030", "check:writeback_stopped"]);
    let meaning = f["diagnosis"][1]["meaning"].as_str().expect("meaning");
    assert!(meaning.contains("CONNECT01"), "{meaning}");
}

#[test]
fn unlicensed_failure_is_sspr_0012() {
    let doc = json(&["--user", "kenta.ikeda@contoso.co.jp"]);
    let f = flow(&doc, "7a78ee94-9cfa-479f-b403-da67711d1049");
    assert_eq!(codes(f), ["SSPR_0012"]);
    assert_eq!(f["diagnosis"][0]["title"], "UserNotLicensed");
}

#[test]
fn throttled_user_shows_when_the_block_lifts() {
    let doc = json(&["--user", "rina.ogawa@contoso.co.jp"]);
    let blocked: Vec<&Value> = doc["flows"]
        .as_array()
        .expect("flows")
        .iter()
        .filter(|f| f["outcome"] == "blocked")
        .collect();
    assert!(!blocked.is_empty());
    let until = doc["throttling"]["blocked_until"]
        .as_str()
        .expect("blocked_until");
    assert_eq!(doc["throttling"]["status"], "throttled");
    let check = blocked[0]["diagnosis"]
        .as_array()
        .expect("diagnosis")
        .iter()
        .find(|d| d["code"] == "check:blocked_24h")
        .expect("the 24-hour block is diagnosed");
    assert!(
        check["meaning"].as_str().is_some_and(|m| m.contains(until)),
        "{check}"
    );
}

#[test]
fn cloud_only_user_is_not_applicable_and_not_synced() {
    let doc = json(&["--user", "yui.maeda@contoso.co.jp"]);
    assert_eq!(doc["license"]["synced"], false);
    let flows = doc["flows"].as_array().expect("flows");
    assert!(!flows.is_empty());
    assert!(
        flows
            .iter()
            .all(|f| f["onprem"]["status"] == "not_applicable")
    );
    assert_eq!(doc["registrations"]["snapshot"]["sspr_registered"], true);
}

#[test]
fn text_in_english_and_japanese() {
    let (code, en, _) = trace(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert_eq!(code, 0);
    assert!(
        en.contains(&format!("Flow {MAKOTO_33008} reset failed")),
        "{en}"
    );
    assert!(en.contains("CONNECT02 33008 ADPasswordPolicyError"), "{en}");
    assert!(en.contains("Diagnosis:"));
    let e = catalog::event(EventSource::PasswordResetService, 33008).expect("33008");
    assert!(en.contains(e.fix.en));
    let (code, ja, _) = trace(&["--user", "makoto.hasegawa@contoso.co.jp", "--lang", "ja"]);
    assert_eq!(code, 0);
    assert!(ja.contains("診断:"), "{ja}");
    assert!(ja.contains(e.meaning.ja));
    assert!(!ja.contains(e.meaning.en));
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp", "--lang", "ja"]);
    assert_eq!(flow(&doc, MAKOTO_33008)["diagnosis"][0]["fix"], e.fix.ja);
}

#[test]
fn typo_is_exit_1_with_the_nearest_upn() {
    let (code, stdout, stderr) = trace(&["--user", "taro.yamda@contoso.co.jp"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "no audit or on-prem record of taro.yamda@contoso.co.jp in 2026-10-01 .. 2026-10-31"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("taro.yamada@contoso.co.jp"), "{stderr}");
}

#[test]
fn flow_by_id_in_any_case_and_user_in_any_case() {
    let doc = json(&["--flow", &MAKOTO_33008.to_uppercase()]);
    assert_eq!(doc["query"]["user"], "makoto.hasegawa@contoso.co.jp");
    assert_eq!(doc["query"]["flow"], MAKOTO_33008);
    assert_eq!(doc["flows"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["flows"][0]["correlation_id"], MAKOTO_33008);
    let lower = json(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    let mixed = json(&["--user", "Makoto.Hasegawa@CONTOSO.co.jp"]);
    assert_eq!(lower, mixed);
}

#[test]
fn a_pseudonym_from_a_report_with_the_same_key_is_accepted() {
    let key = "a-long-enough-secret-key-for-tests";
    let p = sspr_report::render::pseudonymize::Pseudonymizer::new(key).expect("key");
    let pseudonym = p.user("makoto.hasegawa@contoso.co.jp");
    let doc = json(&["--user", &pseudonym, "--pseudonymize", key]);
    assert_eq!(doc["query"]["user"], "makoto.hasegawa@contoso.co.jp");
    let (code, _, _) = trace(&["--user", &pseudonym]);
    assert_eq!(code, 1, "without the key a pseudonym names no one");
}

#[test]
fn a_listed_user_without_a_flow_is_found_and_never_suggested_to_itself() {
    // satoko.nishida is in the licence list but made no attempt and registered nothing in
    // October: the helpdesk still wants her licence and registration, not "no record".
    let (code, stdout, stderr) = trace(&["--user", "satoko.nishida@contoso.co.jp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("No SSPR flow of this user in the period."),
        "{stdout}"
    );
    let doc = json(&["--user", "satoko.nishida@contoso.co.jp"]);
    assert_eq!(doc["flows"], Value::Array(Vec::new()));
    assert!(doc["license"].is_object(), "{doc}");
    assert_eq!(doc["registrations"]["events"], Value::Array(Vec::new()));
}

/// Runs `trace` from `dir` with exactly `args` (no sample, no period added).
fn trace_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = bin(dir)
        .arg("trace")
        .args(args)
        .output()
        .expect("run trace");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// akira.fujii's only trace is on-prem: a failed admin reset on CONNECT02, 33002.
#[test]
fn a_user_known_only_on_prem_shows_the_operations_with_their_diagnosis() {
    let (code, text, stderr) = trace(&["--user", "akira.fujii@contoso.co.jp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains("On-prem operations of no flow above:"),
        "{text}"
    );
    assert!(
        text.contains(
            "2026-10-27T16:20:32+09:00 CONNECT02 admin reset failed error=33002 hr=- flow=-"
        ),
        "{text}"
    );
    assert!(text.contains("33002 ADUserNotFoundError"), "{text}");
    let e = catalog::event(EventSource::PasswordResetService, 33002).expect("33002");
    assert!(text.contains(e.fix.en), "{text}");
    let doc = json(&["--user", "akira.fujii@contoso.co.jp"]);
    let ops = doc["onprem_operations"].as_array().expect("operations");
    assert_eq!(ops.len(), 1, "{ops:?}");
    let op = &ops[0];
    assert_eq!(
        keys(op),
        [
            "time",
            "computer",
            "kind",
            "outcome",
            "correlation_id",
            "error_code",
            "hr",
            "events",
            "diagnosis"
        ]
    );
    assert_eq!(op["computer"], "CONNECT02");
    assert_eq!(
        (op["kind"].as_str(), op["outcome"].as_str()),
        (Some("admin_reset"), Some("failed"))
    );
    assert_eq!(op["error_code"], "33002");
    assert_eq!(op["correlation_id"], Value::Null);
    let ids: Vec<u64> = op["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["event_id"].as_u64())
        .collect();
    assert_eq!(ids, [31009, 31011, 33002]);
    assert_eq!(op["diagnosis"][0]["code"], "33002");
    // A matched operation names its flow.
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    let ops = doc["onprem_operations"].as_array().expect("operations");
    assert!(
        ops.iter().any(|o| o["correlation_id"] == MAKOTO_33008),
        "{ops:?}"
    );
    // The text tells a matched operation once, under its flow.
    let (_, text, _) = trace(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert!(
        !text.contains("On-prem operations of no flow above:"),
        "{text}"
    );
}

/// ryo.shimizu's db54d33f…: the cloud failed with a reason the catalog does not hold, while
/// CONNECT logged 31002 (success).
const RYO_UNKNOWN: &str = "db54d33f-7ced-4da3-9a15-6b41418c39b8";

#[test]
fn a_failure_with_an_unknown_reason_and_an_on_prem_success_is_diagnosed() {
    let doc = json(&["--flow", RYO_UNKNOWN]);
    let f = flow(&doc, RYO_UNKNOWN);
    assert_eq!(f["outcome"], "failed");
    assert_eq!(f["onprem"]["status"], "matched");
    assert_eq!(
        codes(f),
        ["check:reason_not_in_catalog", "check:onprem_succeeded"]
    );
    assert!(
        f["diagnosis"][1]["fix"]
            .as_str()
            .is_some_and(|t| t.contains("ask the user to sign in with it before retrying")),
        "{f}"
    );
    let ja = json(&["--flow", RYO_UNKNOWN, "--lang", "ja"]);
    let f = flow(&ja, RYO_UNKNOWN);
    assert!(
        f["diagnosis"][0]["fix"]
            .as_str()
            .is_some_and(|t| t.starts_with("カタログにない理由です")),
        "{f}"
    );
    assert!(
        f["diagnosis"][1]["fix"]
            .as_str()
            .is_some_and(|t| t.contains("サインイン")),
        "{f}"
    );
    // Every failed or blocked flow of the sample is diagnosed.
    let (code, _, stderr) = trace(&["--user", "ryo.shimizu@contoso.co.jp"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn trace_takes_the_config_file_and_the_command_line_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = fixture("sample");
    std::fs::write(
        dir.path().join("sspr-report.toml"),
        format!(
            "inputs = [{:?}]\nmonth = \"2026-10\"\ntz = \"Asia/Tokyo\"\nlang = \"ja\"\nout = \"never-written\"\nxlsx = true\n",
            sample.display().to_string()
        ),
    )
    .expect("write");
    let user = [
        "--user",
        "makoto.hasegawa@contoso.co.jp",
        "--format",
        "json",
    ];
    let (code, stdout, stderr) = trace_in(dir.path(), &user);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("sspr-report.toml のオプションを使用"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["period"]["tz"], "Asia/Tokyo");
    assert_eq!(doc["period"]["from"], "2026-10-01");
    assert!(
        doc["flows"][0]["diagnosis"][0]["fix"]
            .as_str()
            .is_some_and(|f| !f.is_ascii()),
        "lang = ja from the file"
    );
    assert!(!dir.path().join("never-written").exists());
    // The command line wins, the period as a whole.
    let mut args = user.to_vec();
    args.extend([
        "--tz",
        "UTC",
        "--from",
        "2026-10-20",
        "--to",
        "2026-10-20",
        "--lang",
        "en",
    ]);
    let (code, stdout, stderr) = trace_in(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["period"]["tz"], "UTC");
    assert_eq!(doc["period"]["from"], "2026-10-20");
    // --config FILE, and the key from a file.
    let other = tempfile::tempdir().expect("tempdir");
    let key = "a-long-enough-secret-key-for-tests";
    std::fs::write(other.path().join("key.txt"), key).expect("key");
    std::fs::write(
        other.path().join("job.toml"),
        format!(
            "inputs = [{:?}]\nmonth = \"2026-10\"\npseudonymize-key-file = \"key.txt\"\n",
            sample.display().to_string()
        ),
    )
    .expect("write");
    let p = sspr_report::render::pseudonymize::Pseudonymizer::new(key).expect("key");
    let pseudonym = p.user("makoto.hasegawa@contoso.co.jp");
    let job = other.path().join("job.toml");
    let (code, stdout, stderr) = trace_in(
        dir.path(),
        &[
            "--config",
            job.to_str().expect("utf-8"),
            "--user",
            &pseudonym,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("makoto.hasegawa@contoso.co.jp"), "{stdout}");
    let keyfile = other.path().join("key.txt");
    let (code, _, stderr) = trace_in(
        other.path(),
        &[
            sample.to_str().expect("utf-8"),
            "--pseudonymize-key-file",
            keyfile.to_str().expect("utf-8"),
            "--user",
            &pseudonym,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn trace_says_when_it_reads_the_bundled_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, stderr) = trace_in(dir.path(), &["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("no INPUT given: reading the bundled sample"),
        "{stderr}"
    );
    let (_, _, stderr) = trace(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert!(!stderr.contains("bundled sample"), "{stderr}");
}

#[test]
fn a_period_the_logs_do_not_cover_is_warned_in_text_and_json() {
    let sample = fixture("sample");
    let out = bin(&repo())
        .arg("trace")
        .arg(&sample)
        .args([
            "--month",
            "2026-09",
            "--user",
            "satoko.nishida@contoso.co.jp",
        ])
        .output()
        .expect("run trace");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: The audit log starts at 2026-09-30"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: No on-prem event log record lies inside the period"),
        "{stderr}"
    );
    let out = bin(&repo())
        .arg("trace")
        .arg(&sample)
        .args([
            "--month",
            "2026-09",
            "--user",
            "satoko.nishida@contoso.co.jp",
            "--format",
            "json",
        ])
        .output()
        .expect("run trace");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let warnings = doc["warnings"].as_array().expect("warnings");
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .is_some_and(|w| w.starts_with("The audit log starts at"))),
        "{warnings:?}"
    );
    // A covered month warns of nothing about the audit log.
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp"]);
    assert!(
        doc["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .all(|w| !w.as_str().unwrap_or("").contains("audit log")),
        "{doc}"
    );
}

#[test]
fn a_licence_list_dated_after_the_attempts_is_said_so() {
    let (code, text, _) = trace(&["--user", "ryo.shimizu@contoso.co.jp"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(
            "— licence list of 2026-11-01: the licence may have been assigned after these attempts"
        ),
        "{text}"
    );
    let (_, ja, _) = trace(&["--user", "ryo.shimizu@contoso.co.jp", "--lang", "ja"]);
    assert!(ja.contains("2026-11-01 のライセンス一覧です"), "{ja}");
    let doc = json(&["--user", "ryo.shimizu@contoso.co.jp"]);
    assert_eq!(doc["license"]["list_date"], "2026-11-01");
    assert_eq!(doc["license"]["list_after_attempts"], true);
}

#[test]
fn the_throttling_line_explains_blocks_and_inferred_users() {
    // rina.ogawa: blocked by the SMS-code wording, no Blocked record.
    let (_, text, _) = trace(&["--user", "rina.ogawa@contoso.co.jp"]);
    assert!(
        text.contains("Throttling: throttled (1 blocked flows, 0 Blocked records — a flow whose reason says it is blocked for 24 hours counts without one; blocked until 2026-10-09T14:06:30+09:00)"),
        "{text}"
    );
    // jun.kondo: six flows in an hour, no block.
    let (_, text, _) = trace(&["--user", "jun.kondo@contoso.co.jp"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("Throttling:"))
        .expect("throttling line");
    assert!(line.starts_with("Throttling: inferred (6 flows within one throttling window from 2026-10-27T13:05:36+09:00"), "{line}");
    assert!(line.contains("a block would lift at 2026-10-28T"), "{line}");
    let doc = json(&["--user", "jun.kondo@contoso.co.jp"]);
    assert_eq!(doc["throttling"]["max_flows_in_window"], 6);
    assert!(doc["throttling"]["would_lift_at"].is_string());
}

#[test]
fn japanese_text_translates_values_steps_and_titles() {
    let (code, ja, _) = trace(&["--user", "makoto.hasegawa@contoso.co.jp", "--lang", "ja"]);
    assert_eq!(code, 0);
    assert!(
        ja.contains(&format!("フロー {MAKOTO_33008} リセット 失敗")),
        "{ja}"
    );
    assert!(ja.contains("オンプレミス: 照合済み"), "{ja}");
    assert!(!ja.contains("SubmittedUserId"), "{ja}");
    assert!(!ja.contains("User submitted their user ID"), "{ja}");
    assert!(ja.contains("| 成功 |"), "{ja}");
    let e = catalog::event(EventSource::PasswordResetService, 33008).expect("33008");
    let title = catalog::title(e.meaning.ja, catalog::Lang::Ja);
    assert!(ja.contains(&format!("- [33008] {title}")), "{ja}");
    let doc = json(&["--user", "makoto.hasegawa@contoso.co.jp", "--lang", "ja"]);
    let d = &flow(&doc, MAKOTO_33008)["diagnosis"][0];
    assert_eq!(d["code"], "33008");
    assert_eq!(d["title"], title.as_str());
    // daisuke's outage and connectivity error, in Japanese.
    let (_, ja, _) = trace(&["--user", "daisuke.yoshida@contoso.co.jp", "--lang", "ja"]);
    assert!(ja.contains("付近: サービス停止 CONNECT01"), "{ja}");
    assert!(ja.contains("付近: 接続エラー"), "{ja}");
}

#[test]
fn nearby_lines_name_the_outage_as_the_catalog_does_and_show_event_ids() {
    let doc = json(&["--user", "daisuke.yoshida@contoso.co.jp"]);
    let f = flow(&doc, "1bafc416-7418-4463-8f8f-3f1db2e06b7a");
    let stop = catalog::event(EventSource::PasswordResetService, 31016).expect("31016");
    assert_eq!(f["onprem"]["nearby"][0]["name"], stop.name);
    let (_, text, _) = trace(&["--user", "daisuke.yoshida@contoso.co.jp"]);
    assert!(
        text.contains(&format!(
            "nearby: outage CONNECT01 2026-10-14T09:40:05+09:00 → 2026-10-14T10:48:42+09:00 31016 {}",
            stop.name
        )),
        "{text}"
    );
    let connectivity = text
        .lines()
        .find(|l| l.contains("nearby: connectivity"))
        .expect("connectivity line");
    assert!(connectivity.contains(" 31034 "), "{connectivity}");
}

#[test]
fn flow_lines_and_licence_lines_say_exactly_what_is_known() {
    let (_, text, _) = trace(&["--user", "aya.murakami@contoso.co.jp"]);
    for line in text.lines() {
        assert_eq!(line, line.trim_end(), "no trailing space: {line:?}");
    }
    let (_, text, _) = trace(&["--user", "akira.fujii@contoso.co.jp"]);
    assert!(text.contains("Licence: not in the licence list"), "{text}");
    // Only an audit file: no licence list read.
    let dir = tempfile::tempdir().expect("tempdir");
    let audit = fixture("sample").join("AuditLogs_2026-10-01_2026-10-07.csv");
    let (code, text, stderr) = trace_in(
        dir.path(),
        &[
            audit.to_str().expect("utf-8"),
            "--user",
            "aya.murakami@contoso.co.jp",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("Licence: no licence list read"), "{text}");
}

#[test]
fn a_blank_user_is_a_usage_error_and_near_misses_get_help() {
    let (code, stdout, stderr) = trace(&["--user", "  "]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("'--user'"), "{stderr}");
    let (code, _, stderr) = trace(&["--flow", ""]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'--flow'"), "{stderr}");
    // A pseudonym without the key.
    let (code, _, stderr) = trace(&["--user", "user-0123456789ab"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("add --pseudonymize KEY or --pseudonymize-key-file FILE"),
        "{stderr}"
    );
    // Part of an address.
    let (code, _, stderr) = trace(&["--user", "makoto"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("UPNs seen that contain it: makoto.hasegawa@contoso.co.jp"),
        "{stderr}"
    );
}
