//! `Get-WinEvent | ConvertTo-Json`: an array of objects with `Message`, `Id`, `ProviderName`,
//! `MachineName`, `RecordId` and `TimeCreated` — `/Date(ms)/` in Windows PowerShell 5.1, ISO
//! 8601 in PowerShell 7.

use super::EventFields;
use super::audit_json::get_ci;
use super::timestamp;
use serde_json::Value;

/// Whether a JSON record is a PowerShell event object.
pub fn is_event(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        get_ci(o, "ProviderName").is_some()
            && get_ci(o, "Id").is_some()
            && get_ci(o, "TimeCreated").is_some()
    })
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // A 5.1 ETS DateTime: {"value": "/Date(…)/", "DateTime": "…"}.
        Value::Object(o) => text(get_ci(o, "value")),
        _ => None,
    }
}

/// The fields of one event object. `local` reads a zone-less time (PowerShell 7 writes local
/// DateTimes with an offset; a bare one is local to the exporting machine).
pub(super) fn fields(
    v: &Value,
    local: impl Fn(timestamp::ParsedTime) -> chrono::DateTime<chrono::Utc>,
) -> EventFields {
    let empty = serde_json::Map::new();
    let o = v.as_object().unwrap_or(&empty);
    let time_text = text(get_ci(o, "TimeCreated")).unwrap_or_default();
    let time = timestamp::parse(&time_text).map(local);
    EventFields {
        time: Some(time.ok_or(time_text)),
        computer: text(get_ci(o, "MachineName")),
        source: text(get_ci(o, "ProviderName")).unwrap_or_default(),
        event_id: text(get_ci(o, "Id")).unwrap_or_default(),
        record_id: text(get_ci(o, "RecordId")).and_then(|r| r.parse().ok()),
        message: text(get_ci(o, "Message")).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_51_object() {
        let v: Value = serde_json::from_str(
            r#"{"Message":"PasswordResetRequestStart, Details: a@x.jp","Id":31001,"ProviderName":"PasswordResetService",
            "MachineName":"CONNECT01.corp.contoso.co.jp","RecordId":77,"TimeCreated":"\/Date(1759740055000)\/"}"#,
        )
        .expect("json");
        assert!(is_event(&v));
        let f = fields(&v, |p| p.to_utc_assuming_utc());
        assert_eq!(f.event_id, "31001");
        assert_eq!(f.record_id, Some(77));
        assert_eq!(
            f.time
                .and_then(Result::ok)
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2025-10-06T08:40:55+00:00")
        );
    }
}
