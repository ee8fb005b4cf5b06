//! `.evtx` files through the `evtx` crate: chunks read on all cores, records in log order.
//! A damaged chunk or record is one rejected record and the rest of the file is still read.

use super::evtx_template::Templates;
use super::{
    CheckedEvent, EventFields, EventPlace, FileKind, Sink, Verdict, check_event, timestamp,
};
use evtx::err::EvtxError;
use evtx::{EvtxChunkData, EvtxParser, ParserSettings};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Chunks handed to a thread at a time (256 KiB of log): big enough that hand-offs cost
/// little (the crate's own pipeline hands out one chunk at a time, and its hand-offs cost a
/// third of the time it took to read a log once rendering no longer did), small enough that
/// the threads finish together.
const BATCH: usize = 4;

/// Batches read ahead per thread.
const AHEAD: usize = 4;

/// What reading a record gave: the checked event, or the crate's error for a damaged record
/// or chunk.
type Item = Result<CheckedEvent, EvtxError>;

/// Reads one .evtx file into the sink.
pub(super) fn read(sink: &mut Sink, path: &Path, threads: usize) {
    // Opened as every input is (a file swapped for a FIFO since it was recognised does not
    // block the run).
    let opened = super::reopen(path);
    let parser = match opened
        .map_err(|e| e.to_string())
        .and_then(|f| EvtxParser::from_read_seek(f).map_err(|e| e.to_string()))
    {
        Ok(p) => p,
        Err(e) => return sink.unknown(format!("not a readable .evtx event log: {e}")),
    };
    let settings = Arc::new(ParserSettings::default().indent(false));
    let mut parser = parser.with_configuration((*settings).clone());
    sink.report.kind = FileKind::OnpremLog;
    sink.report.format = "Windows event log (.evtx)".into();
    let place = sink.place.clone();
    let mut chunks = parser.chunks();
    let mut next_batch = || -> Batch { chunks.by_ref().take(BATCH).collect() };
    let mut entry = 0u64;
    let mut keep = |sink: &mut Sink, items: Vec<Item>| {
        for item in items {
            entry += 1;
            match item {
                Ok(checked) => sink.keep_checked_event(checked),
                Err(e) => sink.reject(
                    format!("entry {entry}"),
                    format!("damaged record or chunk: {e}"),
                ),
            }
        }
    };
    // This thread reads the chunks from the file and queues them in numbered batches; the
    // helpers and this thread take batches from the queue, and this thread keeps their
    // events in log order. It keeps what is ready first, so that no batch waits long.
    let limit = AHEAD * threads.max(1);
    let (job_tx, job_rx) = crossbeam_channel::bounded::<(usize, Batch)>(limit);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(usize, Done)>();
    std::thread::scope(|scope| {
        for _ in 1..threads.max(1) {
            let (job_rx, done_tx) = (job_rx.clone(), done_tx.clone());
            let (settings, place) = (Arc::clone(&settings), place.clone());
            scope.spawn(move || {
                for (number, batch) in job_rx {
                    // A panic (a bug) is passed to this thread with the batch, which raises it
                    // again: the queue closes and the other helpers end, rather than this
                    // thread waiting for the batch for ever.
                    let items = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        read_batch(batch, &settings, &place)
                    }));
                    if done_tx.send((number, items)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let (mut queued, mut kept, mut read_all) = (0, 0, false);
        let mut ready = std::collections::BTreeMap::new();
        loop {
            while !read_all && queued - kept < limit {
                let batch = next_batch();
                // Never waits: fewer than `limit` batches are queued.
                read_all = batch.is_empty() || job_tx.send((queued, batch)).is_err();
                queued += usize::from(!read_all);
            }
            ready.extend(done_rx.try_iter());
            if let Some(items) = ready.remove(&kept) {
                keep(
                    sink,
                    items.unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
                kept += 1;
            } else if kept == queued {
                break;
            } else if let Ok((number, batch)) = job_rx.try_recv() {
                ready.insert(number, Ok(read_batch(batch, &settings, &place)));
            } else if let Ok((number, items)) = done_rx.recv() {
                ready.insert(number, items);
            } else {
                break;
            }
        }
        drop(job_tx);
    });
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

/// Chunks as the crate read them from the file.
type Batch = Vec<evtx::err::Result<EvtxChunkData>>;

/// A batch's items, or the panic that reading it raised.
type Done = std::thread::Result<Vec<Item>>;

/// Reads and checks the records of a batch of chunks: one item per record, or one for a chunk
/// that cannot be read.
fn read_batch(batch: Batch, settings: &Arc<ParserSettings>, place: &EventPlace) -> Vec<Item> {
    let mut items = Vec::new();
    for chunk in batch {
        let mut data = match chunk {
            Ok(data) => data,
            Err(e) => {
                items.push(Err(e));
                continue;
            }
        };
        let number = data.number.unwrap_or_default();
        let mut chunk = match data.parse(Arc::clone(settings)) {
            Ok(chunk) => chunk,
            Err(e) => {
                items.push(Err(EvtxError::FailedToParseChunk {
                    chunk_id: number,
                    source: Box::new(e),
                }));
                continue;
            }
        };
        // Templates are chunk-local. Every record is a live one: the settings leave the
        // crate's `recover_records` (carving stale records from free space) off.
        let mut templates = Templates::default();
        items.extend(
            chunk
                .iter()
                .map(|record| prepare(record, place, &mut templates)),
        );
    }
    items
}

/// Reads and checks one record: from its template instance when it has the classic shape,
/// else rendered as JSON and read back.
fn prepare(
    record: evtx::err::Result<evtx::EvtxRecord<'_>>,
    place: &EventPlace,
    templates: &mut Templates,
) -> evtx::err::Result<CheckedEvent> {
    let record = record?;
    // itoa, not format!: the fmt machinery cost a twentieth of reading a record.
    let location = [
        "record ",
        itoa::Buffer::new().format(record.event_record_id),
    ]
    .concat();
    let header_time = record.timestamp;
    let mut fields = match templates.fields(&record) {
        Some(fields) => fields,
        None => match rendered_fields(record)? {
            Ok(fields) => fields,
            Err(e) => {
                return Ok(CheckedEvent {
                    location,
                    verdict: Verdict::Rejected(format!("record not readable: {e}")),
                });
            }
        },
    };
    // A damaged System block may lack TimeCreated; the record header keeps a time.
    if !matches!(fields.time, Some(Ok(_)))
        && let Some(t) = timestamp::parse_utc(&header_time.to_string())
    {
        fields.time = Some(Ok(t));
    }
    Ok(check_event(fields, place, location))
}

/// The general reading: the record rendered as JSON by the crate and read back. The outer
/// error is the crate's (a damaged record), the inner one the JSON's.
pub(super) fn rendered_fields(
    record: evtx::EvtxRecord<'_>,
) -> evtx::err::Result<Result<EventFields, serde_json::Error>> {
    // Bytes, not a String: the crate's renderers emit only UTF-8, and serde_json checks
    // every value that is read as text.
    let rendered = record.into_json_bytes()?;
    Ok(serde_json::from_slice::<Doc>(&rendered.data).map(Doc::fields))
}

/// Size of the file header block and of each chunk of an .evtx file.
const HEADER_BLOCK: u64 = 4096;
const CHUNK: u64 = 65_536;

/// A float as serde_json writes it (`1.0`, not `1`), as the JSON tree this replaced did.
fn float_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

/// A JSON value the crate renders as a string, a number, or an element object whose text is
/// under `#text`; read straight into text, without building a JSON tree, and borrowed from
/// the rendered record when it has no escapes.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, a number or an element with #text")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(float_text(v)))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Text<'a>, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Text<'a>, A::Error> {
                let mut text = None;
                while let Some(key) = a.next_key::<Key<'de>>()? {
                    if key.is("#text") {
                        text = a.next_value::<Text<'a>>()?.0;
                    } else {
                        a.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Text(text))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl Text<'_> {
    fn into_string(self) -> Option<String> {
        self.0.map(Cow::into_owned)
    }
}

/// The `Data` items of `EventData` or `UserData` (one string, an array, or named values),
/// joined by newlines: `#text` when an element has it, else its child elements, never its
/// attributes or `Binary`.
#[derive(Default)]
struct DataText<'a>(Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for DataText<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = DataText<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("event data")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Borrowed(v)]))
            }
            fn visit_str<E>(self, v: &str) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Owned(v.to_string())]))
            }
            fn visit_string<E>(self, v: String) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Owned(v)]))
            }
            fn visit_u64<E>(self, v: u64) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Owned(v.to_string())]))
            }
            fn visit_i64<E>(self, v: i64) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Owned(v.to_string())]))
            }
            fn visit_f64<E>(self, v: f64) -> Result<DataText<'a>, E> {
                Ok(DataText(vec![Cow::Owned(float_text(v))]))
            }
            fn visit_bool<E>(self, _: bool) -> Result<DataText<'a>, E> {
                Ok(DataText::default())
            }
            fn visit_unit<E>(self) -> Result<DataText<'a>, E> {
                Ok(DataText::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<DataText<'a>, A::Error> {
                let mut parts = Vec::new();
                while let Some(item) = a.next_element::<DataText<'a>>()? {
                    parts.extend(item.0);
                }
                Ok(DataText(parts))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<DataText<'a>, A::Error> {
                let mut text = None;
                let mut children = Vec::new();
                while let Some(key) = a.next_key::<Key<'de>>()? {
                    if key.is("#text") {
                        text = Some(a.next_value::<DataText<'a>>()?.0);
                    } else if key.0.starts_with(b"#")
                        || key.0.ends_with(b"_attributes")
                        || key.is("Binary")
                    {
                        a.next_value::<serde::de::IgnoredAny>()?;
                    } else {
                        children.extend(a.next_value::<DataText<'a>>()?.0);
                    }
                }
                Ok(DataText(text.unwrap_or(children)))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl DataText<'_> {
    /// The items, one per line; a single item is moved, not copied.
    fn joined(self) -> String {
        match <[Cow<'_, str>; 1]>::try_from(self.0) {
            Ok([only]) => only.into_owned(),
            Err(parts) => parts.join("\n"),
        }
    }
}

/// A member name, compared as raw bytes. The names are element and attribute names the
/// crate writes; checking each one as UTF-8, as a `&str` key is checked, cost as much as
/// reading the values.
struct Key<'a>(Cow<'a, [u8]>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Key<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Key<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(v.to_vec())))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(v.as_bytes())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(v.as_bytes().to_vec())))
            }
        }
        d.deserialize_bytes(V(std::marker::PhantomData))
    }
}

impl Key<'_> {
    fn is(&self, name: &str) -> bool {
        *self.0 == *name.as_bytes()
    }
}

/// Reads a map member by member: `member` reads the value of the members it knows and
/// returns `false` for the others, which are skipped unparsed.
fn members<'de, 'a, A: serde::de::MapAccess<'de>>(
    mut map: A,
    mut member: impl FnMut(&Key<'de>, &mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        if !member(&key, &mut map)? {
            map.next_value::<serde::de::IgnoredAny>()?;
        }
    }
    Ok(())
}

/// Reads a member that may appear once (`null` reads as absent); a second one is an error,
/// as serde's derived structs make it.
fn once<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    slot: &mut Option<Option<T>>,
    map: &mut A,
    name: &'static str,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

/// Declares a JSON object read into a struct of optional members with [`members`].
macro_rules! object {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty = $key:literal,)* }) => {
        $(#[$doc])*
        struct $name<'a> {
            $($field: Option<$ty>,)*
            _life: std::marker::PhantomData<&'a ()>,
        }

        impl<'de: 'a, 'a> serde::Deserialize<'de> for $name<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V<'a>(std::marker::PhantomData<&'a ()>);
                impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
                    type Value = $name<'a>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$name<'a>, A::Error> {
                        $(let mut $field: Option<Option<$ty>> = None;)*
                        members(map, |key, map| {
                            $(if key.is($key) {
                                return once(&mut $field, map, $key);
                            })*
                            Ok(false)
                        })?;
                        Ok($name {
                            $($field: $field.flatten(),)*
                            _life: std::marker::PhantomData,
                        })
                    }
                }
                d.deserialize_map(V(std::marker::PhantomData))
            }
        }
    };
}

object! {
    /// The members of a rendered record that matter (unknown members are skipped unparsed).
    Doc { event: Ev<'a> = "Event", }
}

object! {
    /// The event: its System block and its data.
    Ev {
        system: Sys<'a> = "System",
        event_data: DataText<'a> = "EventData",
        user_data: DataText<'a> = "UserData",
    }
}

object! {
    /// The System members that are read.
    Sys {
        provider: Element<'a> = "Provider",
        event_id: Text<'a> = "EventID",
        time_created: Element<'a> = "TimeCreated",
        record_id: Text<'a> = "EventRecordID",
        computer: Text<'a> = "Computer",
    }
}

object! {
    /// An element whose attributes are read. A list, not a struct: the crate does not remove
    /// a repeated attribute, and the last one wins as it did when records were read as JSON
    /// trees.
    Element { attributes: Attributes<'a> = "#attributes", }
}

/// An element's attributes in document order.
struct Attributes<'a>(Vec<(Key<'a>, Text<'a>)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Attributes<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Attributes<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("attributes")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Attributes<'a>, A::Error> {
                let mut all = Vec::new();
                while let Some((key, value)) = a.next_entry::<Key<'a>, Text<'a>>()? {
                    all.push((key, value));
                }
                Ok(Attributes(all))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl Element<'_> {
    fn attribute(self, name: &str) -> Option<String> {
        let (_, value) = self
            .attributes?
            .0
            .into_iter()
            .rev()
            .find(|(key, _)| key.is(name))?;
        value.into_string()
    }
}

impl Doc<'_> {
    fn fields(self) -> EventFields {
        let (system, payload) = match self.event {
            Some(ev) => (ev.system, ev.event_data.or(ev.user_data)),
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
                s.event_id.and_then(Text::into_string).unwrap_or_default(),
                s.record_id.and_then(|t| t.0).and_then(|t| t.parse().ok()),
                s.computer.and_then(Text::into_string),
            ),
            None => Default::default(),
        };
        EventFields {
            time: Some(timestamp::parse_utc(&time_text).ok_or(time_text)),
            computer,
            source,
            event_id,
            record_id,
            message: payload.map(DataText::joined).unwrap_or_default(),
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

    /// The member-by-member reading keeps what serde's derived structs did: a `null` member
    /// is absent, a repeated one makes the record unreadable, unknown ones are skipped.
    #[test]
    fn null_repeated_and_unknown_members() {
        let null_provider = String::from(
            r##"{"Event":{"System":{"Provider":null,"EventID":null,"Extra":[1,{"a":"b"}],
            "TimeCreated":{"#attributes":{"SystemTime":"2026-10-06T04:00:55Z"}}},"EventData":null,
            "UserData":{"X":{"Y":"from user data"}}}}"##,
        );
        let f = serde_json::from_str::<Doc>(&null_provider)
            .expect("json")
            .fields();
        assert_eq!((f.source.as_str(), f.event_id.as_str()), ("", ""));
        assert_eq!(f.message, "from user data");
        let twice = String::from(r##"{"Event":{"System":{"EventID":1,"EventID":2}}}"##);
        let err = serde_json::from_str::<Doc>(&twice)
            .err()
            .expect("a repeated member");
        assert!(
            err.to_string().contains("duplicate field `EventID`"),
            "{err}"
        );
        let escaped_key = String::from(r##"{"Event":{"Sys\u0074em":{"EventID":7}}}"##);
        let f = serde_json::from_str::<Doc>(&escaped_key)
            .expect("json")
            .fields();
        assert_eq!(f.event_id, "7", "an escaped member name is still a name");
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
