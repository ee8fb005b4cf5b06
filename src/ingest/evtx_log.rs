//! `.evtx` files through the `evtx` crate: chunks parsed on all cores, records in log order.
//! A damaged chunk or record is one rejected record and the rest of the file is still read.

use super::{EventFields, FileKind, Sink, timestamp};
use evtx::{EvtxParser, ParserSettings};
use serde_json::Value;
use std::path::Path;

/// Reads one .evtx file into the sink.
pub(super) fn read(sink: &mut Sink, path: &Path) {
    let parser = match EvtxParser::from_path(path) {
        Ok(p) => p,
        Err(e) => return sink.unknown(format!("not a readable .evtx event log: {e}")),
    };
    // 0 = one thread per core; records still come out in log order.
    let mut parser =
        parser.with_configuration(ParserSettings::default().num_threads(0).indent(false));
    sink.report.kind = FileKind::OnpremLog;
    sink.report.format = "Windows event log (.evtx)".into();
    for (n, record) in parser.records_json_value().enumerate() {
        match record {
            Ok(rec) => {
                let mut fields = fields(&rec.data);
                // A damaged System block may lack TimeCreated; the record header keeps a time.
                if !matches!(fields.time, Some(Ok(_))) {
                    let header_time = rec.timestamp.to_string();
                    if let Some(t) = timestamp::parse_utc(&header_time) {
                        fields.time = Some(Ok(t));
                    }
                }
                sink.keep_event(fields, format!("record {}", rec.event_record_id));
            }
            Err(e) => sink.reject(
                format!("entry {}", n + 1),
                format!("damaged record or chunk: {e}"),
            ),
        }
    }
    // The crate skips a partial last chunk without a word: a file cut off inside a chunk loses
    // that chunk's records, which counts as one rejected record (design §4, input accounting).
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > HEADER_BLOCK && !(len - HEADER_BLOCK).is_multiple_of(CHUNK) {
        let chunk = (len - HEADER_BLOCK) / CHUNK + 1;
        sink.reject(
            format!("chunk {chunk}"),
            format!(
                "the file ends inside this chunk ({} of {CHUNK} bytes): it was cut off and the chunk's records are lost",
                (len - HEADER_BLOCK) % CHUNK
            ),
        );
    }
    if sink.report.records_read == 0 {
        sink.report
            .warnings
            .push("the event log holds no records".into());
    }
}

/// Size of the file header block and of each chunk of an .evtx file.
const HEADER_BLOCK: u64 = 4096;
const CHUNK: u64 = 65_536;

/// Text of a JSON value the crate renders as a number or a string.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("#text").and_then(text),
        _ => None,
    }
}

/// The `Data` items of `EventData` (one string, an array, or named values), joined by newlines.
fn event_data(v: Option<&Value>) -> String {
    let Some(v) = v else { return String::new() };
    let mut parts = Vec::new();
    fn collect(v: &Value, parts: &mut Vec<String>) {
        match v {
            Value::String(s) => parts.push(s.clone()),
            Value::Number(n) => parts.push(n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| collect(i, parts)),
            Value::Object(o) => {
                if let Some(t) = o.get("#text") {
                    collect(t, parts);
                } else {
                    o.iter()
                        .filter(|(k, _)| {
                            !k.starts_with('#') && !k.ends_with("_attributes") && *k != "Binary"
                        })
                        .for_each(|(_, v)| collect(v, parts));
                }
            }
            _ => {}
        }
    }
    collect(v, &mut parts);
    parts.join("\n")
}

/// Fields of one record rendered as JSON by the crate.
fn fields(data: &Value) -> EventFields {
    let event = data.get("Event").unwrap_or(data);
    let system = event.get("System");
    let get = |name: &str| system.and_then(|s| s.get(name));
    let time_text = get("TimeCreated")
        .and_then(|t| t.get("#attributes"))
        .and_then(|a| a.get("SystemTime"))
        .and_then(text)
        .unwrap_or_default();
    let payload = event
        .get("EventData")
        .filter(|v| !v.is_null())
        .or_else(|| event.get("UserData"));
    EventFields {
        time: Some(timestamp::parse_utc(&time_text).ok_or(time_text)),
        computer: get("Computer").and_then(text),
        source: get("Provider")
            .and_then(|p| p.get("#attributes"))
            .and_then(|a| a.get("Name"))
            .and_then(text)
            .unwrap_or_default(),
        event_id: get("EventID").and_then(text).unwrap_or_default(),
        record_id: get("EventRecordID")
            .and_then(text)
            .and_then(|t| t.parse().ok()),
        message: event_data(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_event_json() {
        let v: Value = serde_json::from_str(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"PasswordResetService"}},
            "EventID":{"#attributes":{"Qualifiers":0},"#text":31002},"TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55.1234567Z"}},
            "EventRecordID":427,"Computer":"CONNECT01.corp.contoso.co.jp","Channel":"Application"},
            "EventData":{"Data":{"#text":["TrackingId: t, PasswordResetSuccess","second"]}}}}"##,
        )
        .expect("json");
        let f = fields(&v);
        assert_eq!(f.source, "PasswordResetService");
        assert_eq!(f.event_id, "31002");
        assert_eq!(f.record_id, Some(427));
        assert_eq!(f.message, "TrackingId: t, PasswordResetSuccess\nsecond");
        assert!(matches!(f.time, Some(Ok(_))));
        let wec: Value = serde_json::from_str(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"X"}},"EventID":"1","EventRecordID":"5",
            "TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55Z"}}},"EventData":null}}"##,
        )
        .expect("json");
        let f = fields(&wec);
        assert_eq!((f.event_id.as_str(), f.record_id), ("1", Some(5)));
        assert_eq!(f.message, "");
    }
}
