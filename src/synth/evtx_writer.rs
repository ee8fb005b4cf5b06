//! A small writer of Windows XML Event Log (`.evtx`) files holding classic events, the kind the
//! EventLog API (`ReportEvent`, .NET `EventLog.WriteEntry`) writes to the Application log.
//!
//! No public EVTX file contains the events this tool reads from an Entra Connect server
//! (PasswordResetService, ADSync, Directory Synchronization), so tests and the bundled samples
//! get theirs from here. The layout follows the format as Windows writes it (libyal's "Windows
//! XML Event Log (EVTX) format", MS-EVEN6) and as the `evtx` crate reads it:
//!
//! - a 4,096-byte file header, then 65,536-byte chunks; each chunk has a 512-byte header (record
//!   numbers and ids, free-space offset, CRC32s, the string and template tables) followed by the
//!   records, which never straddle chunks;
//! - every record is one BinXML fragment holding one template instance. The template, the XML
//!   skeleton of a classic event with a typed substitution for every variable value, is
//!   defined inline in the first record of each chunk (templates and names are chunk-local) and
//!   referenced by offset from the chunk's other records, as Windows does;
//! - values are typed (UInt16 `EventID`, FILETIME `SystemTime`, HexInt64 `Keywords`, …) so that
//!   readers render numbers as numbers and the time with 7 fraction digits;
//! - the insertion strings are a single string-array substitution inside one `<Data>` element,
//!   which readers repeat once per string (MS-EVEN6 array substitution): one template serves any
//!   number of strings, and no string ever needs escaping in the binary form.
//!
//! Output is deterministic: no clock, no randomness, no hash-map iteration.

use std::io;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::ingest::binxml::{token, value_type};

/// One classic event as the Windows EventLog API writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct EvtxEvent {
    /// `EventRecordID`, also the record header's id. Give strictly increasing ids, as Windows
    /// does: readers end a chunk at the last id its header names and order chunks by first id.
    pub record_id: u64,
    /// `TimeCreated/@SystemTime` (100 ns precision; finer digits are dropped), also the
    /// record header's written time.
    pub time: DateTime<Utc>,
    /// `<Provider Name="…"/>` (the event source), at most 255 UTF-16 units are kept.
    pub provider: String,
    /// `EventID`: the low 16 bits of the classic event id.
    pub event_id: u16,
    /// `<EventID Qualifiers="0">`: the high 16 bits; `None` leaves the attribute out.
    pub qualifiers: Option<u16>,
    /// `Level`: 2 error, 3 warning, 4 information.
    pub level: u8,
    /// `Task` (the classic event category).
    pub task: u16,
    /// `Keywords`; classic events carry `0x80000000000000` (`EventLogClassic`).
    pub keywords: u64,
    /// `Channel`, e.g. `Application`; at most 255 UTF-16 units are kept.
    pub channel: String,
    /// `Computer`, e.g. `CONNECT01.corp.contoso.co.jp`; at most 255 UTF-16 units are kept.
    pub computer: String,
    /// The unnamed `<Data>` items (the insertion strings), usually one: the whole message.
    /// U+0000 cannot occur in them (the API takes NUL-terminated strings) and is dropped; a
    /// record must fit in one chunk, so strings past about 32,000 characters in total are cut.
    pub data: Vec<String>,
}

/// Writes a complete `.evtx` file holding `events` in order (see [`evtx_bytes`]).
pub fn write_evtx(events: &[EvtxEvent], path: &Path) -> io::Result<()> {
    std::fs::write(path, evtx_bytes(events))
}

/// A complete `.evtx` file holding `events` in order: the file header and as many 64 KiB chunks
/// as the records need, with all CRC32s right and the header marked clean. Deterministic: the
/// same events give the same bytes.
pub fn evtx_bytes(events: &[EvtxEvent]) -> Vec<u8> {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut chunk = Chunk::new();
    for event in events {
        let record = Prepared::new(event);
        if !chunk.push(&record) && chunk.records > 0 {
            chunks.push(std::mem::replace(&mut chunk, Chunk::new()).finish());
            // `Prepared::new` cut the record to fit an empty chunk, so this cannot fail.
            let pushed = chunk.push(&record);
            debug_assert!(pushed, "a prepared record always fits an empty chunk");
        }
    }
    if chunk.records > 0 {
        chunks.push(chunk.finish());
    }

    let next_record_id = events
        .last()
        .map_or(1, |event| event.record_id.saturating_add(1));
    let mut out = file_header(chunks.len(), next_record_id);
    out.reserve(chunks.len() * CHUNK_SIZE);
    for chunk in &chunks {
        out.extend_from_slice(chunk);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Layout constants (libyal EVTX document; the `evtx` crate checks the same values).

const FILE_HEADER_BLOCK: usize = 4096;
/// The header size that file and chunk headers both store: the 128 bytes that are defined.
const HEADER_SIZE_FIELD: u32 = 128;
const CHUNK_SIZE: usize = 65_536;
const CHUNK_HEADER_SIZE: usize = 512;
const RECORD_HEADER_SIZE: usize = 24;
/// The largest record a chunk can hold.
const MAX_RECORD: usize = CHUNK_SIZE - CHUNK_HEADER_SIZE;
/// Provider, channel and computer names are short in Windows (255 is the DNS and the
/// registry-key limit); capping them keeps every record's fixed part small.
const MAX_NAME_UNITS: usize = 255;
const STRING_BUCKETS: usize = 64;
const TEMPLATE_BUCKETS: usize = 32;
const EVENT_XMLNS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";
/// Identifier of our one template. Windows derives template GUIDs from the provider's
/// manifest; any fixed value does for a file that only this writer produces.
const TEMPLATE_GUID: [u8; 16] = [
    0x5a, 0x0d, 0x3c, 0x71, 0x2e, 0x94, 0x4b, 0x1f, 0x8d, 0x60, 0x17, 0xc3, 0x9e, 0x42, 0xa8, 0x05,
];

/// Substitution slots of the template, in the order of a record's value array.
pub(crate) mod slot {
    pub const PROVIDER: u16 = 0;
    pub const QUALIFIERS: u16 = 1;
    pub const EVENT_ID: u16 = 2;
    pub const VERSION: u16 = 3;
    pub const LEVEL: u16 = 4;
    pub const TASK: u16 = 5;
    pub const OPCODE: u16 = 6;
    pub const KEYWORDS: u16 = 7;
    pub const TIME_CREATED: u16 = 8;
    pub const RECORD_ID: u16 = 9;
    pub const PROCESS_ID: u16 = 10;
    pub const THREAD_ID: u16 = 11;
    pub const CHANNEL: u16 = 12;
    pub const COMPUTER: u16 = 13;
    pub const DATA: u16 = 14;
}

// ---------------------------------------------------------------------------------------------
// The template: what a classic event looks like on Windows Server 2016 and later (§5 of
// reference/onprem.md: `Version`, `Opcode`, `Correlation`, `Execution` and `Security` present).

/// A node of the template's XML skeleton.
enum Node {
    Element(Element),
    Text(&'static str),
    Substitution {
        slot: u16,
        value_type: u8,
        optional: bool,
    },
}

struct Element {
    name: &'static str,
    /// The slot whose NULL value leaves this element out (the BinXML dependency id).
    depends_on: Option<u16>,
    attributes: Vec<(&'static str, Node)>,
    children: Vec<Node>,
}

fn element(name: &'static str, attributes: Vec<(&'static str, Node)>, children: Vec<Node>) -> Node {
    Node::Element(Element {
        name,
        depends_on: None,
        attributes,
        children,
    })
}

fn sub(slot: u16, value_type: u8) -> Node {
    Node::Substitution {
        slot,
        value_type,
        optional: false,
    }
}

fn optional(slot: u16, value_type: u8) -> Node {
    Node::Substitution {
        slot,
        value_type,
        optional: true,
    }
}

fn classic_event_template() -> Node {
    use value_type::*;
    let leaf = |name, slot, value_type| element(name, vec![], vec![sub(slot, value_type)]);
    let system = element(
        "System",
        vec![],
        vec![
            element(
                "Provider",
                vec![("Name", sub(slot::PROVIDER, STRING))],
                vec![],
            ),
            element(
                "EventID",
                // Optional: a NULL value (no qualifiers) drops the attribute, as for
                // manifest-based events.
                vec![("Qualifiers", optional(slot::QUALIFIERS, UINT16))],
                vec![sub(slot::EVENT_ID, UINT16)],
            ),
            leaf("Version", slot::VERSION, UINT8),
            leaf("Level", slot::LEVEL, UINT8),
            leaf("Task", slot::TASK, UINT16),
            leaf("Opcode", slot::OPCODE, UINT8),
            leaf("Keywords", slot::KEYWORDS, HEX_INT64),
            element(
                "TimeCreated",
                vec![("SystemTime", sub(slot::TIME_CREATED, FILETIME))],
                vec![],
            ),
            leaf("EventRecordID", slot::RECORD_ID, UINT64),
            element("Correlation", vec![], vec![]),
            element(
                "Execution",
                vec![
                    ("ProcessID", sub(slot::PROCESS_ID, UINT32)),
                    ("ThreadID", sub(slot::THREAD_ID, UINT32)),
                ],
                vec![],
            ),
            leaf("Channel", slot::CHANNEL, STRING),
            leaf("Computer", slot::COMPUTER, STRING),
            element("Security", vec![], vec![]),
        ],
    );
    // One `<Data>` holding the string array: readers repeat it once per string. With no
    // strings the slot is NULL and the dependency leaves the element out.
    let data = Node::Element(Element {
        name: "Data",
        depends_on: Some(slot::DATA),
        attributes: vec![],
        children: vec![optional(slot::DATA, STRING_ARRAY)],
    });
    element(
        "Event",
        vec![("xmlns", Node::Text(EVENT_XMLNS))],
        vec![system, element("EventData", vec![], vec![data])],
    )
}

/// The template id written in every instance: the GUID's first four bytes, as Windows does.
fn template_id() -> u32 {
    u32::from_le_bytes([
        TEMPLATE_GUID[0],
        TEMPLATE_GUID[1],
        TEMPLATE_GUID[2],
        TEMPLATE_GUID[3],
    ])
}

// ---------------------------------------------------------------------------------------------
// Records.

/// An event reduced to what a record stores: UTF-16 strings, capped so the record fits a chunk.
struct Prepared {
    record_id: u64,
    filetime: u64,
    provider: Vec<u16>,
    qualifiers: Option<u16>,
    event_id: u16,
    level: u8,
    task: u16,
    keywords: u64,
    channel: Vec<u16>,
    computer: Vec<u16>,
    data: Vec<Vec<u16>>,
}

impl Prepared {
    fn new(event: &EvtxEvent) -> Prepared {
        let mut prepared = Prepared {
            record_id: event.record_id,
            filetime: filetime(&event.time),
            provider: utf16(&event.provider, MAX_NAME_UNITS),
            qualifiers: event.qualifiers,
            event_id: event.event_id,
            level: event.level,
            task: event.task,
            keywords: event.keywords,
            channel: utf16(&event.channel, MAX_NAME_UNITS),
            computer: utf16(&event.computer, MAX_NAME_UNITS),
            data: Vec::new(),
        };
        let data: Vec<Vec<u16>> = event.data.iter().map(|s| utf16(s, usize::MAX)).collect();

        // The largest a record gets is as the first of a chunk, which also holds the template
        // definition. Without strings its size is fixed; each string adds its units and a NUL.
        let fixed = RECORD_HEADER_SIZE
            + record_binxml(&prepared, CHUNK_HEADER_SIZE, &mut Tables::default()).len()
            + 4;
        let room = MAX_RECORD.saturating_sub(fixed);
        let needed: usize = data.iter().map(|units| (units.len() + 1) * 2).sum();
        if needed <= room {
            prepared.data = data;
            return prepared;
        }
        // Too big for any chunk (Windows would have cut it too): keep strings in order, cutting
        // the one that overflows and dropping the rest.
        let mut left = room;
        for mut units in data {
            if left < 2 {
                break;
            }
            let max_units = left / 2 - 1;
            if units.len() > max_units {
                units.truncate(max_units);
                // Never end on half a surrogate pair.
                if units.last().is_some_and(|&u| (0xD800..0xDC00).contains(&u)) {
                    units.pop();
                }
            }
            left -= (units.len() + 1) * 2;
            prepared.data.push(units);
        }
        prepared
    }

    /// The template instance's values, in slot order: (value type, bytes).
    fn values(&self) -> Vec<(u8, Vec<u8>)> {
        use value_type::*;
        let le16 =
            |units: &[u16]| -> Vec<u8> { units.iter().flat_map(|u| u.to_le_bytes()).collect() };
        let mut values = vec![(NULL, Vec::new()); usize::from(slot::DATA) + 1];
        let mut set = |slot: u16, value_type: u8, bytes: Vec<u8>| {
            values[usize::from(slot)] = (value_type, bytes);
        };
        set(slot::PROVIDER, STRING, le16(&self.provider));
        if let Some(qualifiers) = self.qualifiers {
            set(slot::QUALIFIERS, UINT16, qualifiers.to_le_bytes().to_vec());
        }
        set(slot::EVENT_ID, UINT16, self.event_id.to_le_bytes().to_vec());
        // Classic events have no version or opcode, and the EventLog service records no
        // process or thread for them: Windows writes zeros.
        set(slot::VERSION, UINT8, vec![0]);
        set(slot::LEVEL, UINT8, vec![self.level]);
        set(slot::TASK, UINT16, self.task.to_le_bytes().to_vec());
        set(slot::OPCODE, UINT8, vec![0]);
        set(
            slot::KEYWORDS,
            HEX_INT64,
            self.keywords.to_le_bytes().to_vec(),
        );
        set(
            slot::TIME_CREATED,
            FILETIME,
            self.filetime.to_le_bytes().to_vec(),
        );
        set(
            slot::RECORD_ID,
            UINT64,
            self.record_id.to_le_bytes().to_vec(),
        );
        set(slot::PROCESS_ID, UINT32, 0u32.to_le_bytes().to_vec());
        set(slot::THREAD_ID, UINT32, 0u32.to_le_bytes().to_vec());
        set(slot::CHANNEL, STRING, le16(&self.channel));
        set(slot::COMPUTER, STRING, le16(&self.computer));
        if !self.data.is_empty() {
            // Each string NUL-terminated, back to back.
            let mut bytes = Vec::new();
            for units in &self.data {
                bytes.extend(le16(units));
                bytes.extend([0, 0]);
            }
            set(slot::DATA, STRING_ARRAY, bytes);
        }
        values
    }
}

/// `text` as UTF-16 without U+0000, cut to `max` units (never inside a surrogate pair).
fn utf16(text: &str, max: usize) -> Vec<u16> {
    let mut units: Vec<u16> = text.encode_utf16().filter(|&u| u != 0).collect();
    if units.len() > max {
        units.truncate(max);
        if units.last().is_some_and(|&u| (0xD800..0xDC00).contains(&u)) {
            units.pop();
        }
    }
    units
}

/// A FILETIME: 100 ns ticks since 1601-01-01 UTC (times before that are written as 0).
fn filetime(time: &DateTime<Utc>) -> u64 {
    const SECONDS_1601_TO_1970: i128 = 11_644_473_600;
    let ticks = (i128::from(time.timestamp()) + SECONDS_1601_TO_1970) * 10_000_000
        + i128::from(time.timestamp_subsec_nanos() / 100);
    u64::try_from(ticks.max(0)).unwrap_or(u64::MAX)
}

/// A complete record (header, BinXML, size copy) to be written at chunk offset `at`.
fn record_bytes(record: &Prepared, at: usize, tables: &mut Tables) -> Vec<u8> {
    let binxml = record_binxml(record, at + RECORD_HEADER_SIZE, tables);
    // Records in Windows logs are 8-byte aligned; the padding zeros read as end-of-stream tokens.
    let size = (RECORD_HEADER_SIZE + binxml.len() + 4).next_multiple_of(8);
    // `size` is below the chunk size whenever the record is written (see `Chunk::push`).
    let size_field = u32::try_from(size).unwrap_or(u32::MAX).to_le_bytes();
    let mut bytes = Vec::with_capacity(size);
    bytes.extend_from_slice(b"\x2a\x2a\x00\x00");
    bytes.extend_from_slice(&size_field);
    bytes.extend_from_slice(&record.record_id.to_le_bytes());
    bytes.extend_from_slice(&record.filetime.to_le_bytes());
    bytes.extend_from_slice(&binxml);
    bytes.resize(size - 4, 0);
    bytes.extend_from_slice(&size_field);
    bytes
}

/// A record's BinXML stream, starting at chunk offset `at`: a fragment holding one template
/// instance, with the template definition inline if the chunk has none yet.
fn record_binxml(record: &Prepared, at: usize, tables: &mut Tables) -> Vec<u8> {
    let mut out = BinXml {
        bytes: Vec::with_capacity(256 + record.data.iter().map(|d| d.len() * 2 + 2).sum::<usize>()),
        base: at,
        tables,
    };
    out.fragment_header();
    out.u8(token::TEMPLATE_INSTANCE);
    out.u8(0x01); // unknown; always 1 in Windows logs
    out.u32(template_id());
    match out.tables.template {
        Some(offset) => out.u32(offset),
        None => {
            // The definition follows right here: its offset is just past this field.
            let offset = out.offset() + 4;
            out.u32(offset);
            out.template_definition(offset);
        }
    }
    let values = record.values();
    out.u32(values.len() as u32);
    for (value_type, bytes) in &values {
        // Values fit: strings are capped well below 64 KiB (see `Prepared::new`).
        out.u16(u16::try_from(bytes.len()).unwrap_or(u16::MAX));
        out.u8(*value_type);
        out.u8(0);
    }
    for (_, bytes) in &values {
        out.bytes.extend_from_slice(bytes);
    }
    out.u8(token::END_OF_FRAGMENT);
    out.bytes
}

/// What a chunk already holds that later records refer to by offset.
#[derive(Clone)]
struct Tables {
    /// Names written so far and their offsets (a handful: a linear search is fastest).
    names: Vec<(&'static str, u32)>,
    /// The chunk header's string table: per hash bucket, the latest name; each name links to
    /// the one before it in its bucket.
    string_heads: [u32; STRING_BUCKETS],
    /// Offset of the template definition, once written.
    template: Option<u32>,
    /// The chunk header's template table, linked like the string table.
    template_heads: [u32; TEMPLATE_BUCKETS],
}

impl Default for Tables {
    /// The tables of an empty chunk.
    fn default() -> Tables {
        Tables {
            names: Vec::new(),
            string_heads: [0; STRING_BUCKETS],
            template: None,
            template_heads: [0; TEMPLATE_BUCKETS],
        }
    }
}

/// A BinXML stream being written at a known chunk offset (offsets are chunk-relative).
struct BinXml<'t> {
    bytes: Vec<u8>,
    /// Chunk offset of `bytes[0]`.
    base: usize,
    tables: &'t mut Tables,
}

impl BinXml<'_> {
    /// Chunk offset of the next byte (chunks are 64 KiB, so offsets fit in `u32`).
    fn offset(&self) -> u32 {
        (self.base + self.bytes.len()) as u32
    }

    fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// Reserves a `u32` size field, to be filled by [`BinXml::end_size`].
    fn start_size(&mut self) -> usize {
        self.u32(0);
        self.bytes.len()
    }

    /// Fills the size field reserved at `start` with the bytes written since.
    fn end_size(&mut self, start: usize) {
        let size = ((self.bytes.len() - start) as u32).to_le_bytes();
        self.bytes[start - 4..start].copy_from_slice(&size);
    }

    fn fragment_header(&mut self) {
        // Token, major version 1, minor version 1, flags 0.
        self.bytes
            .extend_from_slice(&[token::FRAGMENT_HEADER, 0x01, 0x01, 0x00]);
    }

    fn utf16_units(&mut self, text: &str) {
        for unit in text.encode_utf16() {
            self.u16(unit);
        }
    }

    /// A name reference. The first use in the chunk stores the name right after the reference
    /// (reference = its own offset) and enters it in the string table; later uses point back.
    fn name(&mut self, name: &'static str) {
        if let Some(&(_, offset)) = self.tables.names.iter().find(|(n, _)| *n == name) {
            self.u32(offset);
            return;
        }
        let offset = self.offset() + 4;
        self.u32(offset);
        let hash = name_hash(name);
        let bucket = hash as usize % STRING_BUCKETS;
        self.u32(self.tables.string_heads[bucket]);
        self.tables.string_heads[bucket] = offset;
        self.u16(hash as u16);
        self.u16(name.encode_utf16().count() as u16);
        self.utf16_units(name);
        self.u16(0);
        self.tables.names.push((name, offset));
    }

    /// The template definition at chunk offset `offset` (= the current offset).
    fn template_definition(&mut self, offset: u32) {
        let bucket = template_id() as usize % TEMPLATE_BUCKETS;
        self.u32(self.tables.template_heads[bucket]);
        self.bytes.extend_from_slice(&TEMPLATE_GUID);
        let size = self.start_size();
        self.fragment_header();
        self.node(&classic_event_template());
        self.u8(token::END_OF_FRAGMENT);
        self.end_size(size);
        self.tables.template_heads[bucket] = offset;
        self.tables.template = Some(offset);
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Element(element) => self.element(element),
            Node::Text(text) => {
                self.u8(token::VALUE);
                self.u8(value_type::STRING);
                self.u16(text.encode_utf16().count() as u16);
                self.utf16_units(text);
            }
            Node::Substitution {
                slot,
                value_type,
                optional,
            } => {
                self.u8(if *optional {
                    token::OPTIONAL_SUBSTITUTION
                } else {
                    token::NORMAL_SUBSTITUTION
                });
                self.u16(*slot);
                self.u8(*value_type);
            }
        }
    }

    /// An element of the template definition: start (with dependency id, data size, name and
    /// attribute list), then `/>` or `>` content `</…>`.
    fn element(&mut self, element: &Element) {
        self.u8(if element.attributes.is_empty() {
            token::OPEN_START_ELEMENT
        } else {
            token::OPEN_START_ELEMENT | token::MORE
        });
        self.u16(element.depends_on.unwrap_or(0xFFFF));
        let data = self.start_size();
        self.name(element.name);
        if !element.attributes.is_empty() {
            let list = self.start_size();
            let last = element.attributes.len() - 1;
            for (i, (name, value)) in element.attributes.iter().enumerate() {
                let more = if i < last { token::MORE } else { 0 };
                self.u8(token::ATTRIBUTE | more);
                self.name(name);
                self.node(value);
            }
            self.end_size(list);
        }
        if element.children.is_empty() {
            self.u8(token::CLOSE_EMPTY_ELEMENT);
        } else {
            self.u8(token::CLOSE_START_ELEMENT);
            for child in &element.children {
                self.node(child);
            }
            self.u8(token::END_ELEMENT);
        }
        self.end_size(data);
    }
}

/// The BinXML name hash (MS-EVEN6): `hash = hash * 65599 + unit` over the UTF-16 units; the
/// low 16 bits are stored, the bucket is the hash modulo 64.
fn name_hash(name: &str) -> u32 {
    name.encode_utf16().fold(0u32, |hash, unit| {
        hash.wrapping_mul(65_599).wrapping_add(u32::from(unit))
    })
}

// ---------------------------------------------------------------------------------------------
// Chunks and the file header.

/// A chunk being filled.
struct Chunk {
    bytes: Vec<u8>,
    /// Where the next record goes (the free-space offset).
    free: usize,
    tables: Tables,
    records: usize,
    first_id: u64,
    last_id: u64,
    last_record_offset: usize,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            bytes: vec![0; CHUNK_SIZE],
            free: CHUNK_HEADER_SIZE,
            tables: Tables::default(),
            records: 0,
            first_id: 0,
            last_id: 0,
            last_record_offset: 0,
        }
    }

    /// Appends the record if it fits; false (and the chunk unchanged) if it doesn't.
    fn push(&mut self, record: &Prepared) -> bool {
        // The record may add names and the template to the tables: only keep them if it fits.
        let mut tables = self.tables.clone();
        let bytes = record_bytes(record, self.free, &mut tables);
        let Some(slot) = self.bytes.get_mut(self.free..self.free + bytes.len()) else {
            return false;
        };
        slot.copy_from_slice(&bytes);
        self.tables = tables;
        if self.records == 0 {
            self.first_id = record.record_id;
        }
        self.records += 1;
        self.last_id = record.record_id;
        self.last_record_offset = self.free;
        self.free += bytes.len();
        true
    }

    /// The finished 64 KiB chunk: header fields, tables and both CRC32s filled in.
    fn finish(mut self) -> Vec<u8> {
        let b = &mut self.bytes;
        put(b, 0, b"ElfChnk\0");
        // Record numbers count records in the log; in a log that was never cleared they equal
        // the record ids, which is what Windows shows.
        put(b, 8, &self.first_id.to_le_bytes());
        put(b, 16, &self.last_id.to_le_bytes());
        put(b, 24, &self.first_id.to_le_bytes());
        put(b, 32, &self.last_id.to_le_bytes());
        put(b, 40, &HEADER_SIZE_FIELD.to_le_bytes());
        put(b, 44, &(self.last_record_offset as u32).to_le_bytes());
        put(b, 48, &(self.free as u32).to_le_bytes());
        // 56..120 unknown (zero), 120 flags: 0 (clean).
        for (i, offset) in self.tables.string_heads.iter().enumerate() {
            put(b, 128 + i * 4, &offset.to_le_bytes());
        }
        for (i, offset) in self.tables.template_heads.iter().enumerate() {
            put(b, 384 + i * 4, &offset.to_le_bytes());
        }
        let records_crc = crc32(&[&b[CHUNK_HEADER_SIZE..self.free]]);
        put(b, 52, &records_crc.to_le_bytes());
        // The header CRC32 skips its own field and the flags (120..128).
        let header_crc = crc32(&[&b[..120], &b[128..CHUNK_HEADER_SIZE]]);
        put(b, 124, &header_crc.to_le_bytes());
        self.bytes
    }
}

/// The 4,096-byte file header of a clean file with `chunks` chunks.
fn file_header(chunks: usize, next_record_id: u64) -> Vec<u8> {
    let mut b = vec![0; FILE_HEADER_BLOCK];
    put(&mut b, 0, b"ElfFile\0");
    put(&mut b, 8, &0u64.to_le_bytes()); // first (oldest) chunk
    put(&mut b, 16, &(chunks.saturating_sub(1) as u64).to_le_bytes()); // last chunk
    put(&mut b, 24, &next_record_id.to_le_bytes());
    put(&mut b, 32, &HEADER_SIZE_FIELD.to_le_bytes());
    put(&mut b, 36, &1u16.to_le_bytes()); // minor version: 3.1, as since Windows Vista
    put(&mut b, 38, &3u16.to_le_bytes()); // major version
    put(&mut b, 40, &(FILE_HEADER_BLOCK as u16).to_le_bytes());
    // The count field is 16 bits; readers go by the file size beyond that (4 GiB of chunks).
    let count = u16::try_from(chunks).unwrap_or(u16::MAX);
    put(&mut b, 42, &count.to_le_bytes());
    // 120 flags: 0 (clean: not dirty, not full).
    let crc = crc32(&[&b[..120]]);
    put(&mut b, 124, &crc.to_le_bytes());
    b
}

/// Copies `value` into `bytes` at `at` (callers stay within their fixed-size headers).
fn put(bytes: &mut [u8], at: usize, value: &[u8]) {
    if let Some(slot) = bytes.get_mut(at..at + value.len()) {
        slot.copy_from_slice(value);
    }
}

/// CRC-32 (IEEE 802.3 / RFC 1952, reflected polynomial 0xEDB88320) over `parts` in order.
/// Written out rather than taken from a crate: the reader's own CRC then checks ours.
fn crc32(parts: &[&[u8]]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for part in parts {
        for &byte in *part {
            crc = TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use evtx::{EvtxParser, ParserSettings};
    use serde_json::Value;

    const CLASSIC: u64 = 0x0080_0000_0000_0000;

    fn event(record_id: u64, provider: &str, event_id: u16, data: &[&str]) -> EvtxEvent {
        let time = Utc.with_ymd_and_hms(2026, 10, 5, 0, 12, 31).unwrap()
            + TimeDelta::seconds(record_id as i64 * 7)
            + TimeDelta::nanoseconds(123_456_700 + record_id as i64 * 100);
        EvtxEvent {
            record_id,
            time,
            provider: provider.to_owned(),
            event_id,
            qualifiers: Some(0),
            level: 4,
            task: 0,
            keywords: CLASSIC,
            channel: "Application".to_owned(),
            computer: "CONNECT01.corp.contoso.co.jp".to_owned(),
            data: data.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Every record as (record id, JSON) or the error text.
    fn parse(bytes: Vec<u8>) -> Vec<Result<(u64, Value), String>> {
        let settings = ParserSettings::default()
            .num_threads(1)
            .validate_checksums(true);
        let mut parser = EvtxParser::from_buffer(bytes)
            .expect("file header parses")
            .with_configuration(settings);
        parser
            .records_json_value()
            .map(|r| {
                r.map(|r| (r.event_record_id, r.data))
                    .map_err(|e| e.to_string())
            })
            .collect()
    }

    fn system_time(time: &DateTime<Utc>) -> String {
        format!(
            "{}.{:07}Z",
            time.format("%Y-%m-%dT%H:%M:%S"),
            time.timestamp_subsec_nanos() / 100
        )
    }

    fn data_strings(json: &Value) -> Vec<String> {
        let data = &json["Event"]["EventData"]["Data"];
        let text = data.get("#text").unwrap_or(data);
        match text {
            Value::Null => vec![],
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().expect("Data item is a string").to_owned())
                .collect(),
            other => panic!("unexpected Data: {other}"),
        }
    }

    /// Asserts that the parsed record gives back every field of `expected`.
    fn assert_record(json: &Value, expected: &EvtxEvent) {
        let system = &json["Event"]["System"];
        assert_eq!(
            system["Provider"]["#attributes"]["Name"], expected.provider,
            "{json}"
        );
        match expected.qualifiers {
            Some(q) => {
                assert_eq!(system["EventID"]["#text"], expected.event_id, "{json}");
                assert_eq!(system["EventID"]["#attributes"]["Qualifiers"], q, "{json}");
            }
            None => assert_eq!(system["EventID"], expected.event_id, "{json}"),
        }
        assert_eq!(system["Level"], expected.level, "{json}");
        assert_eq!(system["Task"], expected.task, "{json}");
        assert_eq!(
            system["Keywords"],
            format!("{:#x}", expected.keywords),
            "{json}"
        );
        assert_eq!(
            system["TimeCreated"]["#attributes"]["SystemTime"],
            system_time(&expected.time),
            "{json}"
        );
        assert_eq!(system["EventRecordID"], expected.record_id, "{json}");
        assert_eq!(system["Channel"], expected.channel, "{json}");
        assert_eq!(system["Computer"], expected.computer, "{json}");
        assert_eq!(data_strings(json), expected.data, "{json}");
    }

    fn samples() -> Vec<EvtxEvent> {
        let mut events = vec![
            event(
                1,
                "PasswordResetService",
                31002,
                &[
                    "TrackingId: 2f1c7a90-3b4d-4e5f-8a6b-7c8d9e0f1a2b, PasswordResetSuccess, \
                   Details: Context: cloudAnchor: User_5e7f3c21, SourceAnchorValue: AbCdEf==, \
                   UserPrincipalName: user1@contoso.co.jp, unblockUser: True",
                ],
            ),
            event(2, "ADSync", 6329, &["First item", "Second item"]),
            event(
                3,
                "Directory Synchronization",
                611,
                &[
                    "パスワードのリセットに失敗しました。 <Error code=\"0x8023134a\"> & 'quoted'\r\n\
                   二行目\n\t<Details>a &amp; b</Details>\n末尾 🔑",
                ],
            ),
            event(4, "PasswordResetService", 33004, &["no qualifiers"]),
            event(5, "ADSync", 904, &[]),
        ];
        events[1].level = 2;
        events[1].task = 3;
        events[2].level = 3;
        events[2].qualifiers = Some(0x8000);
        events[3].qualifiers = None;
        events
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(
            crc32(&[b"1234", b"56789"]),
            evtx::checksum_ieee(b"123456789")
        );
    }

    #[test]
    fn events_round_trip_through_the_evtx_crate() {
        let events = samples();
        let bytes = evtx_bytes(&events);
        assert_eq!(bytes.len(), FILE_HEADER_BLOCK + CHUNK_SIZE);
        let records = parse(bytes.clone());
        assert_eq!(records.len(), events.len());
        for (record, expected) in records.iter().zip(&events) {
            let (id, json) = record.as_ref().expect("record parses");
            assert_eq!(*id, expected.record_id);
            assert_record(json, expected);
        }
        // The qualifier-less EventID is a plain number, and no strings means no Data.
        let json = &records[3].as_ref().unwrap().1;
        assert!(json["Event"]["System"]["EventID"].is_number(), "{json}");
        let json = &records[4].as_ref().unwrap().1;
        assert!(json["Event"]["EventData"]["Data"].is_null(), "{json}");

        // The XML rendering has the classic shape and escapes the text.
        let mut parser = EvtxParser::from_buffer(bytes)
            .unwrap()
            .with_configuration(ParserSettings::default().num_threads(1));
        let xml: Vec<String> = parser.records().map(|r| r.unwrap().data).collect();
        assert!(
            xml[0].contains("<EventID Qualifiers=\"0\">31002</EventID>"),
            "{}",
            xml[0]
        );
        assert!(xml[1].contains("<Data>First item</Data>"), "{}", xml[1]);
        assert!(xml[1].contains("<Data>Second item</Data>"), "{}", xml[1]);
        assert!(xml[2].contains("&lt;Error code="), "{}", xml[2]);
        assert!(xml[3].contains("<EventID>33004</EventID>"), "{}", xml[3]);
    }

    fn many_events(count: u64) -> Vec<EvtxEvent> {
        (1..=count)
            .map(|id| {
                let mut message = format!(
                    "TrackingId: {id:08x}-0000-4000-8000-000000000000, PasswordResetSuccess, \
                     Details: UserPrincipalName: user{id}@contoso.co.jp, "
                );
                while message.len() < 600 {
                    message.push_str("padding text of a long exception message; ");
                }
                event(id, "PasswordResetService", 31002, &[&message])
            })
            .collect()
    }

    #[test]
    fn many_events_span_chunks_and_come_back_in_order() {
        let events = many_events(2000);
        let bytes = evtx_bytes(&events);
        let chunks = (bytes.len() - FILE_HEADER_BLOCK) / CHUNK_SIZE;
        assert_eq!(bytes.len(), FILE_HEADER_BLOCK + chunks * CHUNK_SIZE);
        assert!(chunks > 10, "{chunks} chunks");

        let parser = EvtxParser::from_buffer(bytes.clone()).unwrap();
        let header = parser.header();
        assert!(header.validate_checksum());
        assert_eq!(usize::from(header.chunk_count), chunks);
        assert_eq!(header.last_chunk_number, chunks as u64 - 1);
        assert_eq!(header.next_record_id, 2001);
        assert_eq!(header.flags.bits(), 0);

        // Each chunk's header and record CRC32s check out, and records never straddle chunks.
        let mut parser = parser;
        let mut total = 0;
        for chunk in parser.chunks() {
            let mut chunk = chunk.expect("chunk reads");
            assert!(chunk.validate_checksum());
            let settings = std::sync::Arc::new(ParserSettings::default());
            let mut parsed = chunk.parse(settings).unwrap();
            for record in parsed.iter() {
                record.expect("record parses");
                total += 1;
            }
        }
        assert_eq!(total, 2000);

        let records = parse(bytes);
        assert_eq!(records.len(), 2000);
        for (record, expected) in records.iter().zip(&events) {
            let (id, json) = record.as_ref().expect("record parses");
            assert_eq!(*id, expected.record_id);
            assert_record(json, expected);
        }
    }

    #[test]
    fn output_is_deterministic_and_written_to_files() {
        let events = many_events(300);
        let bytes = evtx_bytes(&events);
        assert_eq!(bytes, evtx_bytes(&events));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Application.evtx");
        write_evtx(&events, &path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn a_file_cut_in_its_second_chunk_still_gives_the_first_chunk() {
        let bytes = evtx_bytes(&many_events(200));
        assert!(bytes.len() >= FILE_HEADER_BLOCK + 2 * CHUNK_SIZE);
        let last_in_first_chunk = u64::from_le_bytes(
            bytes[FILE_HEADER_BLOCK + 32..FILE_HEADER_BLOCK + 40]
                .try_into()
                .unwrap(),
        );
        assert!(last_in_first_chunk > 1);
        let cut = bytes[..FILE_HEADER_BLOCK + CHUNK_SIZE + CHUNK_SIZE / 2].to_vec();
        // evtx 0.15.1 counts chunks from the file size, so it reads only the whole first chunk
        // and silently skips the partial one (no error); a reader that must report truncation
        // has to compare the file size with `4096 + n * 65536` itself.
        let records = parse(cut);
        let ok: Vec<u64> = records
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|(id, _)| *id))
            .collect();
        assert_eq!(ok, (1..=last_in_first_chunk).collect::<Vec<_>>());
    }

    #[test]
    fn an_oversized_message_is_cut_to_fit_a_chunk() {
        let long: String = "エラー詳細 <stack> & trace\n".repeat(4000);
        let events = vec![
            event(1, "ADSync", 6900, &[&long, "second"]),
            event(2, "ADSync", 6900, &["after"]),
        ];
        let records = parse(evtx_bytes(&events));
        assert_eq!(records.len(), 2);
        let (_, json) = records[0].as_ref().expect("record parses");
        let data = data_strings(json);
        assert_eq!(data.len(), 1, "the string that overflows is the last kept");
        assert!(data[0].len() > 40_000 && long.starts_with(&data[0]));
        assert_record(&records[1].as_ref().unwrap().1, &events[1]);
    }

    #[test]
    fn no_events_make_a_header_only_file() {
        let bytes = evtx_bytes(&[]);
        assert_eq!(bytes.len(), FILE_HEADER_BLOCK);
        let parser = EvtxParser::from_buffer(bytes.clone()).unwrap();
        assert!(parser.header().validate_checksum());
        assert_eq!(parser.header().next_record_id, 1);
        assert!(parse(bytes).is_empty());
    }

    #[test]
    fn filetime_counts_100ns_ticks_since_1601() {
        let epoch = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(filetime(&epoch), 116_444_736_000_000_000);
        assert_eq!(
            filetime(&(epoch + TimeDelta::nanoseconds(199))),
            116_444_736_000_000_001
        );
        let before = Utc.with_ymd_and_hms(1600, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(filetime(&before), 0);
    }
}
