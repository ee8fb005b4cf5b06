//! Audit records in JSON: the portal download and Graph `directoryAudit` (camelCase), Log
//! Analytics exports (PascalCase, with `InitiatedBy`/`TargetResources`/`AdditionalDetails` as
//! JSON text inside a string), and Event Hub / diagnostic-settings lines (`properties.*`).
//! Keys are matched case-insensitively: real payloads spell `type` as `Type` now and then.

use crate::ingest::record::FieldValues;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Which JSON record shape a record has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonShape {
    /// Graph `directoryAudit` / portal download.
    Graph,
    /// Log Analytics `AuditLogs` row.
    LogAnalytics,
    /// Diagnostic-settings line with the Graph record under `properties`.
    EventHub,
}

impl JsonShape {
    /// Human name for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            JsonShape::Graph => "directoryAudit records (portal JSON / Graph)",
            JsonShape::LogAnalytics => "Log Analytics AuditLogs",
            JsonShape::EventHub => "Event Hub / diagnostic settings",
        }
    }
}

/// Why a JSON record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonRecordError {
    /// Not valid JSON.
    Syntax(String),
    /// Valid JSON, but not an audit record (no activity or time member).
    NotAudit,
}

/// Gets a member by case-insensitive name.
pub fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn text_ci(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match get_ci(obj, n) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A member that is an object or array, or a string holding one (Log Analytics dynamic columns).
fn structured(obj: &Map<String, Value>, name: &str) -> Option<Value> {
    match get_ci(obj, name)? {
        Value::String(s) => serde_json::from_str(s).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// UPN of `initiatedBy.user`.
pub fn actor_upn(initiated_by: &Value) -> Option<String> {
    let user = initiated_by
        .as_object()
        .and_then(|o| get_ci(o, "user"))?
        .as_object()?;
    text_ci(user, &["userPrincipalName"])
}

/// IP address of `initiatedBy.user` (an app has none).
pub fn actor_ip(initiated_by: &Value) -> Option<String> {
    let user = initiated_by
        .as_object()
        .and_then(|o| get_ci(o, "user"))?
        .as_object()?;
    text_ci(user, &["ipAddress"])
}

/// The record's IP address: the initiating user's; an Event Hub line without it names the
/// caller's at its top (`callerIpAddress`), taken only for a user, as the other formats of
/// the same record know no address of an app.
fn record_ip(initiated_by: &Value, shape: JsonShape, top: &Map<String, Value>) -> Option<String> {
    let user = initiated_by.as_object().and_then(|o| get_ci(o, "user"))?;
    if !user.is_object() {
        return None;
    }
    actor_ip(initiated_by).or_else(|| match shape {
        JsonShape::EventHub => text_ci(top, &["callerIpAddress"]),
        JsonShape::Graph | JsonShape::LogAnalytics => None,
    })
}

/// UPN of the first target of type User (or untyped) that has one.
pub fn target_upn(targets: &Value) -> Option<String> {
    targets.as_array()?.iter().find_map(|t| {
        let t = t.as_object()?;
        let kind = text_ci(t, &["type"]).unwrap_or_default();
        if !kind.is_empty() && !kind.eq_ignore_ascii_case("user") {
            return None;
        }
        text_ci(t, &["userPrincipalName"])
    })
}

/// Value of the `OnPremisesAgent` additional detail.
pub fn onprem_agent(details: &Value) -> Option<String> {
    details.as_array()?.iter().find_map(|d| {
        let d = d.as_object()?;
        let key = text_ci(d, &["key"])?;
        if key.eq_ignore_ascii_case("OnPremisesAgent") {
            text_ci(d, &["value"])
        } else {
            None
        }
    })
}

/// Reads one record's JSON into field values.
pub fn parse_record(bytes: &[u8]) -> Result<(JsonShape, FieldValues), JsonRecordError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| JsonRecordError::Syntax(e.to_string()))?;
    let Value::Object(top) = value else {
        return Err(JsonRecordError::NotAudit);
    };
    let nested = match get_ci(&top, "properties") {
        Some(Value::Object(p)) if get_ci(p, "activityDisplayName").is_some() => Some(p),
        _ => None,
    };
    let (shape, obj) = match nested {
        Some(p) => (JsonShape::EventHub, p),
        None if get_ci(&top, "OperationName").is_some()
            || get_ci(&top, "TimeGenerated").is_some() =>
        {
            (JsonShape::LogAnalytics, &top)
        }
        None => (JsonShape::Graph, &top),
    };
    let activity = text_ci(obj, &["activityDisplayName", "OperationName"])
        .or_else(|| text_ci(&top, &["operationName"]));
    let time =
        text_ci(obj, &["activityDateTime", "TimeGenerated"]).or_else(|| text_ci(&top, &["time"]));
    if activity.is_none() && time.is_none() {
        return Err(JsonRecordError::NotAudit);
    }
    if get_ci(obj, "loggedByService").is_none() && get_ci(obj, "correlationId").is_none() {
        return Err(JsonRecordError::NotAudit);
    }
    let reason = text_ci(obj, &["resultReason", "ResultDescription"])
        .or_else(|| text_ci(&top, &["resultDescription"]))
        .unwrap_or_default();
    let initiated_by = structured(obj, "initiatedBy");
    let fields = FieldValues {
        id: text_ci(obj, &["id"]),
        time: time.unwrap_or_default(),
        service: text_ci(obj, &["loggedByService"]).unwrap_or_default(),
        activity: activity.unwrap_or_default(),
        result: text_ci(obj, &["result", "ResultType"])
            .or_else(|| text_ci(&top, &["resultType"]))
            .unwrap_or_default(),
        reason,
        correlation_id: text_ci(obj, &["correlationId"])
            .or_else(|| text_ci(&top, &["correlationId"]))
            .unwrap_or_default(),
        actor_upn: initiated_by.as_ref().and_then(actor_upn),
        ip: initiated_by
            .as_ref()
            .and_then(|i| record_ip(i, shape, &top)),
        target_upn: structured(obj, "targetResources")
            .as_ref()
            .and_then(target_upn),
        onprem_agent: structured(obj, "additionalDetails")
            .as_ref()
            .and_then(onprem_agent),
        // JSON exports write ISO 8601 times; a slash date is read month first.
        day_order: Default::default(),
    };
    Ok((shape, fields))
}

/// Cheap test on a record's bytes before parsing it: could it be SSPR-relevant at all?
/// Records of other services (most of a real log) are counted and dropped here.
///
/// True when the record holds `Password Management`, `Authentication Methods` or `"SSPR"`,
/// or `Directory` with `assword` or `StsRefreshToken`; all six are looked for in one pass.
/// No needle can hide another from the leftmost-first search: none holds the first byte of
/// another, save `Password Management` holding `assword`, where it is itself enough.
pub fn may_be_relevant(bytes: &[u8]) -> bool {
    use aho_corasick::{AhoCorasick, MatchKind};
    use std::sync::LazyLock;
    const NEEDLES: [&str; 6] = [
        "Password Management",
        "Authentication Methods",
        "\"SSPR\"",
        "Directory",
        "assword",
        "StsRefreshToken",
    ];
    // Built once; leftmost-first, as only that kind of search gets the SIMD prefilter.
    static SEARCH: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES)
            .ok()
    });
    // Six fixed needles always build; were it ever not so, every record would be parsed.
    let Some(search) = SEARCH.as_ref() else {
        return true;
    };
    let (mut directory, mut password_or_sts) = (false, false);
    for found in search.find_iter(bytes) {
        match found.pattern().as_usize() {
            0..=2 => return true,
            3 => directory = true,
            _ => password_or_sts = true,
        }
        if directory && password_or_sts {
            return true;
        }
    }
    false
}

/// The event time of a record that is not parsed (for coverage), found by a byte search.
pub fn quick_time(bytes: &[u8]) -> Option<DateTime<Utc>> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static KEYS: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
        [
            Finder::new(b"ctivityDateTime\""),
            Finder::new(b"imeGenerated\""),
            Finder::new(b"\"time\""),
        ]
    });
    for key in KEYS.iter() {
        let Some(at) = key.find(bytes) else { continue };
        let rest = &bytes[at + key.needle().len()..];
        let rest = trim_ascii_start(rest).strip_prefix(b":")?;
        let rest = trim_ascii_start(rest).strip_prefix(b"\"")?;
        let end = memchr::memchr(b'"', rest)?;
        let text = std::str::from_utf8(&rest[..end]).ok()?;
        return crate::ingest::timestamp::parse_utc(text);
    }
    None
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pre-filter as it was, six memmem passes: the reference for the one-pass search.
    fn may_be_relevant_reference(bytes: &[u8]) -> bool {
        use memchr::memmem::find;
        let has = |needle: &[u8]| find(bytes, needle).is_some();
        if has(b"Password Management") || has(b"Authentication Methods") || has(b"\"SSPR\"") {
            return true;
        }
        has(b"Directory") && (has(b"assword") || has(b"StsRefreshToken"))
    }

    /// Random records of needles, pieces of needles (their starts, ends and overlaps) and
    /// filler: the one-pass search answers as the six separate searches did.
    #[test]
    fn the_one_pass_prefilter_answers_as_the_six_searches() {
        let pieces: [&[u8]; 22] = [
            b"Password Management",
            b"Authentication Methods",
            b"\"SSPR\"",
            b"Directory",
            b"assword",
            b"StsRefreshToken",
            b"Password Managemen",
            b"Password",
            b"P",
            b"Authentication",
            b"\"SSPR",
            b"SSPR\"",
            b"\"",
            b"Director",
            b"irectory",
            b"asswor",
            b"StsRefresh",
            b"Token",
            b"Core Directory",
            b"{\"loggedByService\":\"",
            b" ",
            b"x",
        ];
        let mut rng = crate::synth::Rng::new(17);
        let (mut yes, mut no) = (0, 0);
        for case in 0..20_000 {
            let mut record = Vec::new();
            for _ in 0..rng.below(12) {
                record.extend_from_slice(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            let expected = may_be_relevant_reference(&record);
            assert_eq!(
                may_be_relevant(&record),
                expected,
                "case {case}: {}",
                String::from_utf8_lossy(&record)
            );
            if expected { yes += 1 } else { no += 1 }
        }
        assert!(yes > 2000 && no > 2000, "both answers drawn: {yes} / {no}");
    }

    #[test]
    fn graph_record() {
        let rec = br#"{"id":"SSPR_x","activityDateTime":"2026-10-03T09:15:00.1234567Z","loggedByService":"Self-service Password Management",
          "activityDisplayName":"Reset password (by admin)","result":"success","resultReason":"Successfully completed reset.",
          "correlationId":"ABC","initiatedBy":{"app":null,"user":{"userPrincipalName":"admin@contoso.co.jp","ipAddress":"203.0.113.10"}},
          "targetResources":[{"Type":"User","userPrincipalName":"Taro.Yamada@contoso.co.jp"}],
          "additionalDetails":[{"key":"OnPremisesAgent","value":"None"}]}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::Graph);
        assert_eq!(f.actor_upn.as_deref(), Some("admin@contoso.co.jp"));
        assert_eq!(f.ip.as_deref(), Some("203.0.113.10"));
        assert_eq!(f.target_upn.as_deref(), Some("Taro.Yamada@contoso.co.jp"));
        assert_eq!(f.onprem_agent.as_deref(), Some("None"));
        assert!(may_be_relevant(rec));
        assert_eq!(
            quick_time(rec).map(|t| t.to_rfc3339()),
            Some("2026-10-03T09:15:00.123456700+00:00".into())
        );
    }

    #[test]
    fn log_analytics_record_with_json_in_strings() {
        let rec = br#"{"TimeGenerated":"2026-10-03T09:15:01Z","ActivityDateTime":"2026-10-03T09:15:00Z","OperationName":"Self-service password reset flow activity progress",
          "LoggedByService":"Self-service Password Management","Result":"failure","ResultReason":"","ResultDescription":"User submitted their user ID",
          "CorrelationId":"c1","InitiatedBy":"{\"user\":{\"userPrincipalName\":\"a@b.jp\",\"ipAddress\":\"2001:db8::5\"}}","TargetResources":"[{\"type\":\"User\",\"userPrincipalName\":\"a@b.jp\"}]"}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::LogAnalytics);
        assert_eq!(
            f.time, "2026-10-03T09:15:00Z",
            "ActivityDateTime wins over ingestion time"
        );
        assert_eq!(f.reason, "User submitted their user ID");
        assert_eq!(f.target_upn.as_deref(), Some("a@b.jp"));
        assert_eq!(f.ip.as_deref(), Some("2001:db8::5"), "from the JSON text");
    }

    #[test]
    fn event_hub_record() {
        let rec = br#"{"time":"2026-10-03T09:15:00Z","operationName":"Reset password (self-service)","category":"AuditLogs","correlationId":"c2",
          "callerIpAddress":"198.51.100.9",
          "properties":{"activityDateTime":"2026-10-03T09:15:00+00:00","activityDisplayName":"Reset password (self-service)",
          "loggedByService":"Self-service Password Management","result":"failure","resultReason":"OnPremisesConnectivityError",
          "initiatedBy":{"user":{"userPrincipalName":"x@y.jp","ipAddress":"198.51.100.8"}},
          "targetResources":[{"type":"User","userPrincipalName":"x@y.jp"}]}}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::EventHub);
        assert_eq!(f.correlation_id, "c2");
        assert_eq!(f.reason, "OnPremisesConnectivityError");
        assert_eq!(
            f.ip.as_deref(),
            Some("198.51.100.8"),
            "the user's own first"
        );
        let text = std::str::from_utf8(rec).expect("utf-8");
        let without = text.replace(r#","ipAddress":"198.51.100.8""#, "");
        let (_, f) = parse_record(without.as_bytes()).expect("parses");
        assert_eq!(f.ip.as_deref(), Some("198.51.100.9"), "then the caller's");
        let by_app = text.replace(
            r#""user":{"userPrincipalName":"x@y.jp","ipAddress":"198.51.100.8"}"#,
            r#""app":{"displayName":"Sync"}"#,
        );
        let (_, f) = parse_record(by_app.as_bytes()).expect("parses");
        assert_eq!(
            f.ip, None,
            "an app has no address in the other formats either"
        );
    }

    #[test]
    fn non_audit_json() {
        assert_eq!(
            parse_record(br#"{"userPrincipalName":"a@b","methodsRegistered":[]}"#).err(),
            Some(JsonRecordError::NotAudit)
        );
        assert!(matches!(
            parse_record(b"{\"a\":"),
            Err(JsonRecordError::Syntax(_))
        ));
        assert!(!may_be_relevant(
            br#"{"loggedByService":"Core Directory","activityDisplayName":"Update user"}"#
        ));
    }
}
