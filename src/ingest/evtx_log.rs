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
    // The crate renders records to JSON text on every core; reading only the members we use,
    // typed, is several times cheaper than letting it build a full JSON tree of each record.
    for (n, record) in parser.records_json().enumerate() {
        match record {
            Ok(rec) => {
                let mut fields = match serde_json::from_str::<Doc<'_>>(&rec.data) {
                    Ok(doc) => doc.fields(),
                    Err(e) => {
                        sink.reject(
                            format!("record {}", rec.event_record_id),
                            format!("record not readable: {e}"),
                        );
                        continue;
                    }
                };
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

/// The members of a rendered record that matter (unknown members are skipped unparsed).
#[derive(serde::Deserialize)]
struct Doc<'a> {
    #[serde(rename = "Event", borrow)]
    event: Option<Ev<'a>>,
}

#[derive(serde::Deserialize)]
struct Ev<'a> {
    #[serde(rename = "System", borrow)]
    system: Option<Sys<'a>>,
    #[serde(rename = "EventData")]
    event_data: Option<Value>,
    #[serde(rename = "UserData")]
    user_data: Option<Value>,
}

#[derive(serde::Deserialize)]
struct Sys<'a> {
    #[serde(rename = "Provider", borrow)]
    provider: Option<Attributes<'a>>,
    #[serde(rename = "EventID")]
    event_id: Option<Value>,
    #[serde(rename = "TimeCreated", borrow)]
    time_created: Option<Attributes<'a>>,
    #[serde(rename = "EventRecordID")]
    record_id: Option<Value>,
    #[serde(rename = "Computer")]
    computer: Option<Value>,
}

#[derive(serde::Deserialize)]
struct Attributes<'a> {
    #[serde(rename = "#attributes", borrow)]
    attributes: Option<std::collections::BTreeMap<std::borrow::Cow<'a, str>, Value>>,
}

impl Doc<'_> {
    fn fields(self) -> EventFields {
        let (system, payload) = match self.event {
            Some(ev) => (
                ev.system,
                ev.event_data.filter(|v| !v.is_null()).or(ev.user_data),
            ),
            None => (None, None),
        };
        let attribute = |a: &Option<Attributes<'_>>, name: &str| {
            a.as_ref()
                .and_then(|a| a.attributes.as_ref())
                .and_then(|m| m.get(name))
                .and_then(text)
        };
        let (time_text, source, event_id, record_id, computer) = match &system {
            Some(s) => (
                attribute(&s.time_created, "SystemTime").unwrap_or_default(),
                attribute(&s.provider, "Name").unwrap_or_default(),
                s.event_id.as_ref().and_then(text).unwrap_or_default(),
                s.record_id
                    .as_ref()
                    .and_then(text)
                    .and_then(|t| t.parse().ok()),
                s.computer.as_ref().and_then(text),
            ),
            None => Default::default(),
        };
        EventFields {
            time: Some(timestamp::parse_utc(&time_text).ok_or(time_text)),
            computer,
            source,
            event_id,
            record_id,
            message: event_data(payload.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_event_json() {
        let json = String::from(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"PasswordResetService"}},
            "EventID":{"#attributes":{"Qualifiers":0},"#text":31002},"TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55.1234567Z"}},
            "EventRecordID":427,"Computer":"CONNECT01.corp.contoso.co.jp","Channel":"Application"},
            "EventData":{"Data":{"#text":["TrackingId: t, PasswordResetSuccess","second"]}}}}"##,
        );
        let f = serde_json::from_str::<Doc<'_>>(&json)
            .expect("json")
            .fields();
        assert_eq!(f.source, "PasswordResetService");
        assert_eq!(f.event_id, "31002");
        assert_eq!(f.record_id, Some(427));
        assert_eq!(f.message, "TrackingId: t, PasswordResetSuccess\nsecond");
        assert!(matches!(f.time, Some(Ok(_))));
        let wec = String::from(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"X"}},"EventID":"1","EventRecordID":"5",
            "TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55Z"}}},"EventData":null}}"##,
        );
        let f = serde_json::from_str::<Doc<'_>>(&wec)
            .expect("json")
            .fields();
        assert_eq!((f.event_id.as_str(), f.record_id), ("1", Some(5)));
        assert_eq!(f.message, "");
    }
}
