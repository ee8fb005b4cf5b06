//! `.evtx` files through the `evtx` crate: chunks parsed on all cores, records in log order.
//! A damaged chunk or record is one rejected record and the rest of the file is still read.

use super::{EventFields, FileKind, PreparedMessage, Sink, timestamp};
use evtx::{EvtxParser, ParserSettings};
use std::path::Path;

/// Reads one .evtx file into the sink.
pub(super) fn read(sink: &mut Sink, path: &Path, threads: usize) {
    let parser = match EvtxParser::from_path(path) {
        Ok(p) => p,
        Err(e) => return sink.unknown(format!("not a readable .evtx event log: {e}")),
    };
    // Records come out in log order whatever the number of threads.
    let mut parser =
        parser.with_configuration(ParserSettings::default().num_threads(threads).indent(false));
    sink.report.kind = FileKind::OnpremLog;
    sink.report.format = "Windows event log (.evtx)".into();
    // The crate renders each chunk on a core, and `prepare` runs there too: the typed reading
    // of the rendered JSON and the message parsing happen in parallel, and only the
    // bookkeeping is left for this thread. (A pool of our own that reads whole chunks was
    // measured too: no faster.)
    for (entry, item) in (1u64..).zip(parser.serialized_records(prepare)) {
        keep(sink, item.map_err(|e| e.to_string()), entry);
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

/// One record, read as far as it can be on the core that rendered it.
struct Prepared {
    record_id: u64,
    /// The fields, or why the rendered record could not be read.
    fields: Result<EventFields, String>,
    /// The message of a writeback event, already parsed.
    message: Option<PreparedMessage>,
}

/// A record, or why it (or its whole chunk) could not be read.
type ChunkItem = Result<Prepared, String>;

/// Keeps one record; `entry` counts records and damaged entries from the start of the file.
fn keep(sink: &mut Sink, item: ChunkItem, entry: u64) {
    match item {
        Ok(rec) => {
            let location = format!("record {}", rec.record_id);
            match rec.fields {
                Ok(fields) => sink.keep_prepared_event(fields, rec.message, location),
                Err(reason) => sink.reject(location, reason),
            }
        }
        Err(e) => sink.reject(
            format!("entry {entry}"),
            format!("damaged record or chunk: {e}"),
        ),
    }
}

/// Renders and reads one record (on the crate's worker threads).
fn prepare(record: evtx::err::Result<evtx::EvtxRecord<'_>>) -> evtx::err::Result<Prepared> {
    let rec = record?.into_json()?;
    let record_id = rec.event_record_id;
    let mut fields = match serde_json::from_str::<Doc>(&rec.data) {
        Ok(doc) => doc.fields(),
        Err(e) => {
            return Ok(Prepared {
                record_id,
                fields: Err(format!("record not readable: {e}")),
                message: None,
            });
        }
    };
    // A damaged System block may lack TimeCreated; the record header keeps a time.
    if !matches!(fields.time, Some(Ok(_))) {
        let header_time = rec.timestamp.to_string();
        if let Some(t) = timestamp::parse_utc(&header_time) {
            fields.time = Some(Ok(t));
        }
    }
    let message = PreparedMessage::of(&fields);
    Ok(Prepared {
        record_id,
        fields: Ok(fields),
        message,
    })
}

/// Size of the file header block and of each chunk of an .evtx file.
const HEADER_BLOCK: u64 = 4096;
const CHUNK: u64 = 65_536;

/// A float as serde_json writes it (`1.0`, not `1`), as the JSON tree this replaced did.
fn float_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

/// A JSON value the crate renders as a string, a number, or an element object whose text is
/// under `#text`; read straight into text, without building a JSON tree.
#[derive(Default)]
struct Text(Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, a number or an element with #text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(float_text(v))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Text, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Text, A::Error> {
                let mut text = None;
                while let Some(key) = a.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "#text" {
                        text = a.next_value::<Text>()?.0;
                    } else {
                        a.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Text(text))
            }
        }
        d.deserialize_any(V)
    }
}

/// The `Data` items of `EventData` or `UserData` (one string, an array, or named values),
/// joined by newlines: `#text` when an element has it, else its child elements, never its
/// attributes or `Binary`.
#[derive(Default)]
struct DataText(Vec<String>);

impl<'de> serde::Deserialize<'de> for DataText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DataText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("event data")
            }
            fn visit_str<E>(self, v: &str) -> Result<DataText, E> {
                Ok(DataText(vec![v.to_string()]))
            }
            fn visit_string<E>(self, v: String) -> Result<DataText, E> {
                Ok(DataText(vec![v]))
            }
            fn visit_u64<E>(self, v: u64) -> Result<DataText, E> {
                Ok(DataText(vec![v.to_string()]))
            }
            fn visit_i64<E>(self, v: i64) -> Result<DataText, E> {
                Ok(DataText(vec![v.to_string()]))
            }
            fn visit_f64<E>(self, v: f64) -> Result<DataText, E> {
                Ok(DataText(vec![float_text(v)]))
            }
            fn visit_bool<E>(self, _: bool) -> Result<DataText, E> {
                Ok(DataText::default())
            }
            fn visit_unit<E>(self) -> Result<DataText, E> {
                Ok(DataText::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<DataText, A::Error> {
                let mut parts = Vec::new();
                while let Some(item) = a.next_element::<DataText>()? {
                    parts.extend(item.0);
                }
                Ok(DataText(parts))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<DataText, A::Error> {
                let mut text = None;
                let mut children = Vec::new();
                while let Some(key) = a.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "#text" {
                        text = Some(a.next_value::<DataText>()?.0);
                    } else if key.starts_with('#')
                        || key.ends_with("_attributes")
                        || key == "Binary"
                    {
                        a.next_value::<serde::de::IgnoredAny>()?;
                    } else {
                        children.extend(a.next_value::<DataText>()?.0);
                    }
                }
                Ok(DataText(text.unwrap_or(children)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The members of a rendered record that matter (unknown members are skipped unparsed).
#[derive(serde::Deserialize)]
struct Doc {
    #[serde(rename = "Event")]
    event: Option<Ev>,
}

#[derive(serde::Deserialize)]
struct Ev {
    #[serde(rename = "System")]
    system: Option<Sys>,
    #[serde(rename = "EventData")]
    event_data: Option<Option<DataText>>,
    #[serde(rename = "UserData")]
    user_data: Option<Option<DataText>>,
}

#[derive(serde::Deserialize)]
struct Sys {
    #[serde(rename = "Provider")]
    provider: Option<Element>,
    #[serde(rename = "EventID", default)]
    event_id: Text,
    #[serde(rename = "TimeCreated")]
    time_created: Option<Element>,
    #[serde(rename = "EventRecordID", default)]
    record_id: Text,
    #[serde(rename = "Computer", default)]
    computer: Text,
}

/// An element whose attributes are read. A map, not a struct: the crate does not remove a
/// repeated attribute, and the last one wins as it did when records were read as JSON trees.
#[derive(serde::Deserialize)]
struct Element {
    #[serde(rename = "#attributes")]
    attributes: Option<std::collections::BTreeMap<String, Text>>,
}

impl Element {
    fn attribute(self, name: &str) -> Option<String> {
        self.attributes?.remove(name)?.0
    }
}

impl Doc {
    fn fields(self) -> EventFields {
        let (system, payload) = match self.event {
            Some(ev) => (
                ev.system,
                ev.event_data.flatten().or(ev.user_data.flatten()),
            ),
            None => (None, None),
        };
        let (time_text, source, event_id, record_id, computer) = match system {
            Some(s) => (
                s.time_created
                    .and_then(|e| e.attribute("SystemTime"))
                    .unwrap_or_default(),
                s.provider
                    .and_then(|e| e.attribute("Name"))
                    .unwrap_or_default(),
                s.event_id.0.unwrap_or_default(),
                s.record_id.0.and_then(|t| t.parse().ok()),
                s.computer.0,
            ),
            None => Default::default(),
        };
        EventFields {
            time: Some(timestamp::parse_utc(&time_text).ok_or(time_text)),
            computer,
            source,
            event_id,
            record_id,
            message: payload.map(|p| p.0.join("\n")).unwrap_or_default(),
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
        let f = serde_json::from_str::<Doc>(&json).expect("json").fields();
        assert_eq!(f.source, "PasswordResetService");
        assert_eq!(f.event_id, "31002");
        assert_eq!(f.record_id, Some(427));
        assert_eq!(f.message, "TrackingId: t, PasswordResetSuccess\nsecond");
        assert!(matches!(f.time, Some(Ok(_))));
        let wec = String::from(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"X"}},"EventID":"1","EventRecordID":"5",
            "TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55Z"}}},"EventData":null}}"##,
        );
        let f = serde_json::from_str::<Doc>(&wec).expect("json").fields();
        assert_eq!((f.event_id.as_str(), f.record_id), ("1", Some(5)));
        assert_eq!(f.message, "");
    }

    /// What the JSON-tree reading did: floats print as serde_json prints them, a repeated
    /// attribute keeps its last value (the review of the typed reading found both).
    #[test]
    fn floats_and_repeated_attributes_read_as_before() {
        let json = String::from(
            r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"X","Name":"PasswordResetService"}},
            "EventID":31002.0,"TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55Z"}}},
            "EventData":{"Data":[1.0,"two"]}}}"##,
        );
        let f = serde_json::from_str::<Doc>(&json).expect("json").fields();
        assert_eq!(f.source, "PasswordResetService");
        assert_eq!(
            f.event_id, "31002.0",
            "rejected later as not a number, as before"
        );
        assert_eq!(f.message, "1.0\ntwo");
    }
}
