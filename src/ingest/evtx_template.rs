//! The quick reading of an `.evtx` record: its fields straight from its template instance,
//! without rendering the record as JSON and reading the JSON back.
//!
//! Every record of a Windows event log is one BinXML template instance: a template (the
//! event's XML skeleton with numbered substitution slots (MS-EVEN6), defined once per
//! chunk) and the record's typed values for the slots. The `evtx` crate finds, frames and
//! validates the records; what is read here, from the chunk bytes the crate hands out, is which
//! slot of a template holds the provider, event id, time, record id, computer and `Data` items
//! (once per template and chunk) and then those few values of each record. Rendering every
//! record to JSON and parsing it again cost four fifths of the time of reading a log.
//!
//! Only the shape of the classic event that Windows writes (and `synth` writes) is read this
//! way, and only values whose rendering is plain; anything else (`UserData`, named `Data`,
//! literal text where a field is read, a slot placed twice, a template past a modest size,
//! values that are `NULL` or empty where a field is read, NUL characters and lone surrogates,
//! BinXML fragments, arrays outside `Data`, values the crate would read past their size)
//! answers `None`, and the caller reads that record the general way. The two readings agree
//! on every record this one accepts: tests compare them on edge-case logs, the bundled logs
//! and randomly damaged ones.

use super::EventFields;
use super::binxml::{token, value_type};
use chrono::{DateTime, Utc};

/// The templates of one chunk (template offsets are chunk-relative), each with what it yields
/// (`None`: not the classic shape, read those records the general way). A chunk holds a
/// handful of templates at most.
#[derive(Default)]
pub(super) struct Templates {
    /// Where the chunk's bytes are. The reader makes one `Templates` per chunk; should a
    /// record of another chunk come, the list starts afresh rather than misread it.
    chunk: usize,
    plans: Vec<(u32, Option<Plan>)>,
}

impl Templates {
    /// The record's fields read from its template instance, or `None` when it must be read the
    /// general way (see the module documentation). Meant for the records of one chunk.
    pub(super) fn fields(&mut self, record: &evtx::EvtxRecord<'_>) -> Option<EventFields> {
        let chunk = record.chunk;
        if self.chunk != chunk.data.as_ptr() as usize {
            self.chunk = chunk.data.as_ptr() as usize;
            self.plans.clear();
        }
        let start = usize::try_from(record.binxml_offset).ok()?;
        let end = start.checked_add(usize::try_from(record.binxml_size).ok()?)?;
        let instance = Instance::read(chunk.data, start, end)?;
        let plan = match self
            .plans
            .iter()
            .find(|(offset, _)| *offset == instance.template)
        {
            Some((_, plan)) => plan.as_ref()?,
            None => {
                let plan = read_template(chunk.data, instance.template).and_then(Plan::of);
                self.plans.push((instance.template, plan));
                self.plans.last()?.1.as_ref()?
            }
        };
        plan.fields(&instance)
    }
}

// ---------------------------------------------------------------------------------------------
// The template: its XML skeleton, read from the chunk.

/// A template element as the definition spells it.
#[derive(Debug, PartialEq)]
struct Element {
    name: String,
    /// The slot whose `NULL` value leaves the element out (BinXML DependencyId).
    depends_on: Option<u16>,
    attributes: Vec<(String, Part)>,
    children: Vec<Child>,
}

#[derive(Debug, PartialEq)]
enum Child {
    Element(Element),
    Part(Part),
}

/// A piece of text content: literal, or a substitution slot.
#[derive(Debug, PartialEq)]
enum Part {
    Text(String),
    Slot(u16),
}

/// Little-endian reads from the chunk at chunk-relative positions (names are referenced by
/// chunk offset, so positions stay chunk-relative).
struct Cursor<'a> {
    chunk: &'a [u8],
    at: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over the rest of the chunk, `skip` bytes past `offset`.
    fn at(chunk: &'a [u8], offset: u32, skip: usize) -> Option<Cursor<'a>> {
        let at = usize::try_from(offset).ok()?.checked_add(skip)?;
        Some(Cursor {
            chunk,
            at,
            end: chunk.len(),
        })
    }

    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let next = self.at.checked_add(N).filter(|&next| next <= self.end)?;
        let bytes = self.chunk.get(self.at..next)?.try_into().ok()?;
        self.at = next;
        Some(bytes)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|[b]| b)
    }
    fn u16(&mut self) -> Option<u16> {
        self.bytes().map(u16::from_le_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes().map(u32::from_le_bytes)
    }
    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.chunk.get(self.at).copied())?
    }
    fn skip(&mut self, n: usize) -> Option<()> {
        self.at = self.at.checked_add(n).filter(|&next| next <= self.end)?;
        Some(())
    }

    /// A name reference: the name's chunk offset, the name itself skipped when it is stored
    /// right here (the first use of a name in a chunk).
    fn name(&mut self) -> Option<String> {
        let offset = self.u32()?;
        if usize::try_from(offset).ok()? == self.at {
            let mut here = Cursor {
                chunk: self.chunk,
                at: self.at + 6,
                end: self.end,
            };
            let units = usize::from(here.u16()?);
            self.skip(6 + 2 + 2 * units + 2)?;
        }
        // The crate writes names into its JSON unescaped: a damaged one (a control character,
        // a quote) makes the record unreadable the general way, so not quickly either.
        name_at(self.chunk, offset).filter(|name| {
            name.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
        })
    }

    /// A length-prefixed UTF-16 string (a template's literal text).
    fn text(&mut self) -> Option<String> {
        let units = usize::from(self.u16()?);
        let start = self.at;
        self.skip(2 * units)?;
        utf16(self.chunk.get(start..self.at)?)
    }
}

/// The name stored at `offset`: next-name link (4), hash (2), length (2), UTF-16 units.
fn name_at(chunk: &[u8], offset: u32) -> Option<String> {
    let mut cursor = Cursor::at(chunk, offset, 6)?;
    let units = usize::from(cursor.u16()?);
    let start = cursor.at;
    cursor.skip(2 * units)?;
    utf16(chunk.get(start..cursor.at)?)
}

/// The template defined at `offset`: next-template link (4), GUID (16), size (4), then a
/// BinXML fragment holding one element. `None` when it holds anything but elements, attributes,
/// literal text and substitutions.
fn read_template(chunk: &[u8], offset: u32) -> Option<Element> {
    let mut header = Cursor::at(chunk, offset, 20)?;
    let size = usize::try_from(header.u32()?).ok()?;
    let mut cursor = Cursor {
        chunk,
        at: header.at,
        end: header.at.checked_add(size)?.min(chunk.len()),
    };
    if cursor.peek()? == token::FRAGMENT_HEADER {
        cursor.skip(4)?;
    }
    let root = read_element(&mut cursor, 0)?;
    (cursor.u8()? == token::END_OF_FRAGMENT).then_some(root)
}

/// Elements nest no deeper than this in any template worth the quick reading.
const MAX_DEPTH: usize = 16;

fn read_element(cursor: &mut Cursor<'_>, depth: usize) -> Option<Element> {
    let open = cursor.u8()?;
    if open & !token::MORE != token::OPEN_START_ELEMENT || depth > MAX_DEPTH {
        return None;
    }
    let dependency = cursor.u16()?;
    let _size = cursor.u32()?;
    let name = cursor.name()?;
    let mut element = Element {
        name,
        depends_on: (dependency != 0xffff).then_some(dependency),
        attributes: Vec::new(),
        children: Vec::new(),
    };
    if open & token::MORE != 0 {
        let _attributes_size = cursor.u32()?;
        // The "more" bit of an attribute token is not trusted: the next token tells.
        while cursor.peek()? & !token::MORE == token::ATTRIBUTE {
            cursor.skip(1)?;
            let name = cursor.name()?;
            element.attributes.push((name, read_part(cursor)?));
        }
    }
    match cursor.u8()? {
        token::CLOSE_EMPTY_ELEMENT => return Some(element),
        token::CLOSE_START_ELEMENT => {}
        _ => return None,
    }
    loop {
        match cursor.peek()? & !token::MORE {
            token::END_ELEMENT => {
                cursor.skip(1)?;
                return Some(element);
            }
            token::OPEN_START_ELEMENT => {
                let child = read_element(cursor, depth + 1)?;
                element.children.push(Child::Element(child));
            }
            _ => element.children.push(Child::Part(read_part(cursor)?)),
        }
    }
}

/// One literal string value or one substitution; any other token is not read quickly.
fn read_part(cursor: &mut Cursor<'_>) -> Option<Part> {
    match cursor.u8()? & !token::MORE {
        token::VALUE => {
            (cursor.u8()? == value_type::STRING).then_some(())?;
            Some(Part::Text(cursor.text()?))
        }
        token::NORMAL_SUBSTITUTION | token::OPTIONAL_SUBSTITUTION => {
            let slot = cursor.u16()?;
            let _declared_type = cursor.u8()?;
            Some(Part::Slot(slot))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: where each field of a classic event is in a template.

/// Where a read field's text comes from.
#[derive(Debug, PartialEq)]
struct Source {
    part: Part,
    /// The element holding it is left out when this slot is `NULL`.
    depends_on: Option<u16>,
}

/// Where a template keeps the fields that are read; `None`: the template has no such field.
#[derive(Debug, PartialEq)]
struct Plan {
    provider: Option<Source>,
    event_id: Option<Source>,
    time: Option<Source>,
    record_id: Option<Source>,
    computer: Option<Source>,
    /// The `Data` items of `EventData`, in order (an array slot gives one item per string).
    data: Vec<Source>,
}

impl Plan {
    /// The plan of a template of the classic shape: `Event` holding `System` and `EventData`,
    /// each read field once, as one literal or one slot, `EventData` holding only unnamed
    /// `Data` (and `Binary`).
    fn of(event: Element) -> Option<Plan> {
        if event.name != "Event" || event.depends_on.is_some() || !modest(&event) {
            return None;
        }
        let mut system = None;
        let mut event_data = None;
        for child in event.children {
            let Child::Element(element) = child else {
                return None;
            };
            let slot = match element.name.as_str() {
                "System" => &mut system,
                "EventData" => &mut event_data,
                "UserData" => return None,
                _ => continue,
            };
            if slot.replace(element).is_some() || slot.as_ref()?.depends_on.is_some() {
                return None;
            }
        }
        let mut plan = Plan {
            provider: None,
            event_id: None,
            time: None,
            record_id: None,
            computer: None,
            data: Vec::new(),
        };
        if let Some(system) = system {
            if !system.attributes.is_empty() {
                return None;
            }
            for child in system.children {
                let Child::Element(element) = child else {
                    return None;
                };
                let (field, source) = match element.name.as_str() {
                    "Provider" => (&mut plan.provider, attribute_of(element, "Name")?),
                    "TimeCreated" => (&mut plan.time, attribute_of(element, "SystemTime")?),
                    "EventID" => (&mut plan.event_id, text_of(element, &["Qualifiers"])?),
                    "EventRecordID" => (&mut plan.record_id, text_of(element, &[])?),
                    "Computer" => (&mut plan.computer, text_of(element, &[])?),
                    _ => continue,
                };
                if field.replace(source).is_some() {
                    return None;
                }
            }
        }
        if let Some(event_data) = event_data {
            if !event_data.attributes.is_empty() {
                return None;
            }
            let mut binary = false;
            for child in event_data.children {
                let Child::Element(element) = child else {
                    return None;
                };
                match element.name.as_str() {
                    "Data" => plan.data.push(text_of(element, &[])?),
                    // A second one renders as `Binary_1`, which the general reading takes
                    // for a Data item.
                    "Binary" if !binary => binary = true,
                    _ => return None,
                }
            }
        }
        Some(plan)
    }

    /// The record's fields, or `None` when a value is not one read quickly.
    fn fields(&self, instance: &Instance<'_>) -> Option<EventFields> {
        // Values that render as more than one node where the fields are not read: a BinXML
        // fragment (elements of its own, nested at will) anywhere, an array outside `Data`
        // (the crate repeats its element once per item).
        let data_slot = |slot: usize| {
            u16::try_from(slot).is_ok_and(|slot| {
                self.data
                    .iter()
                    .any(|source| source.part == Part::Slot(slot))
            })
        };
        for (slot, &(value_type, bytes)) in instance.values.iter().enumerate() {
            let fragment = value_type == value_type::BINXML && !bytes.is_empty();
            if fragment || (value_type >= value_type::ARRAY && !data_slot(slot)) {
                return None;
            }
        }
        let text = |source: &Option<Source>| -> Option<Option<Value>> {
            match source {
                None => Some(None),
                Some(source) => instance.value(source).map(Some),
            }
        };
        let provider = text(&self.provider)?;
        let event_id = text(&self.event_id)?;
        let record_id = text(&self.record_id)?;
        let computer = text(&self.computer)?;
        let time = match text(&self.time)? {
            None => Err(String::new()),
            Some(Value::Time(time)) => Ok(time),
            Some(Value::Text(_) | Value::Number(_)) => return None,
        };
        let mut message = Vec::new();
        for source in &self.data {
            instance.items_into(source, &mut message)?;
        }
        Some(EventFields {
            time: Some(time),
            computer: match computer {
                None => None,
                Some(value) => Some(value.into_text()?),
            },
            source: match provider {
                None => String::new(),
                Some(value) => value.into_text()?,
            },
            event_id: match event_id {
                None => String::new(),
                Some(value) => value.into_text()?,
            },
            record_id: match record_id {
                None => None,
                Some(Value::Number(n)) => u64::try_from(n).ok(),
                Some(Value::Text(text)) => text.parse().ok(),
                Some(Value::Time(_)) => return None,
            },
            message: match <[String; 1]>::try_from(message) {
                Ok([only]) => only,
                Err(items) => items.join("\n"),
            },
        })
    }
}

/// Most nodes (elements, attributes, content parts) and name bytes a template may have. A
/// classic event's has about 40 nodes and 150 bytes of names. The bound keeps what the crate
/// would render for the records of a chunk far inside its render budgets (`MAX_RENDER_NODES`
/// and the chunk's output and node limits in its `compiled.rs`), which the quick reading does
/// not spend: a crafted template large enough to exhaust them is read the general way.
const MAX_NODES: usize = 256;
const MAX_NAME_BYTES: usize = 2048;

/// Whether a template is small and names each slot once (where a slot is placed twice, the
/// crate renders its value twice: a record could render far bigger than it is).
fn modest(root: &Element) -> bool {
    fn walk(element: &Element, nodes: &mut usize, name_bytes: &mut usize, slots: &mut Vec<u16>) {
        *nodes += 1 + element.attributes.len();
        *name_bytes += element.name.len();
        for (name, part) in &element.attributes {
            *name_bytes += name.len();
            if let Part::Slot(slot) = part {
                slots.push(*slot);
            }
        }
        for child in &element.children {
            match child {
                Child::Element(child) => walk(child, nodes, name_bytes, slots),
                Child::Part(part) => {
                    *nodes += 1;
                    if let Part::Slot(slot) = part {
                        slots.push(*slot);
                    }
                }
            }
        }
    }
    let (mut nodes, mut name_bytes, mut slots) = (0, 0, Vec::new());
    walk(root, &mut nodes, &mut name_bytes, &mut slots);
    let placed = slots.len();
    slots.sort_unstable();
    slots.dedup();
    nodes <= MAX_NODES && name_bytes <= MAX_NAME_BYTES && slots.len() == placed
}

/// A field held by an attribute of an element with no content.
fn attribute_of(element: Element, name: &str) -> Option<Source> {
    if !element.children.is_empty() {
        return None;
    }
    let mut found = element
        .attributes
        .into_iter()
        .filter(|(key, _)| key == name);
    let (_, part) = found.next()?;
    found.next().is_none().then_some(Source {
        part,
        depends_on: element.depends_on,
    })
}

/// A field held by an element's content (one literal or slot), with only the given attributes.
fn text_of(mut element: Element, attributes: &[&str]) -> Option<Source> {
    if element.children.len() != 1
        || element
            .attributes
            .iter()
            .any(|(key, _)| !attributes.contains(&key.as_str()))
    {
        return None;
    }
    match element.children.pop()? {
        Child::Part(part) => Some(Source {
            part,
            depends_on: element.depends_on,
        }),
        Child::Element(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The record: its template instance's values.

/// A record's template instance: the template's chunk offset and its slots' (type, bytes).
struct Instance<'a> {
    template: u32,
    values: Vec<(u8, &'a [u8])>,
}

/// A value read quickly.
enum Value {
    Text(String),
    Number(i128),
    Time(DateTime<Utc>),
}

impl Value {
    fn into_text(self) -> Option<String> {
        match self {
            Value::Text(text) => Some(text),
            Value::Number(n) => Some(n.to_string()),
            Value::Time(_) => None,
        }
    }
}

impl<'a> Instance<'a> {
    /// The record's BinXML at `start..end` of the chunk: an optional fragment header, then a
    /// single template instance (token, a byte, template id, definition offset, the definition
    /// itself if it starts right there, the slot count, their descriptors, their values), then
    /// nothing or the end-of-fragment token.
    fn read(chunk: &'a [u8], start: usize, end: usize) -> Option<Instance<'a>> {
        let mut cursor = Cursor {
            chunk,
            at: start,
            end: end.min(chunk.len()),
        };
        if cursor.peek()? == token::FRAGMENT_HEADER {
            cursor.skip(4)?;
        }
        (cursor.u8()? == token::TEMPLATE_INSTANCE).then_some(())?;
        cursor.skip(1 + 4)?;
        let template = cursor.u32()?;
        if usize::try_from(template).ok()? == cursor.at {
            cursor.skip(20)?;
            let size = usize::try_from(cursor.u32()?).ok()?;
            cursor.skip(size)?;
        }
        let count = usize::try_from(cursor.u32()?).ok()?;
        let descriptors = cursor.at;
        cursor.skip(count.checked_mul(4)?)?;
        let mut values = Vec::with_capacity(count);
        let table = chunk.get(descriptors..descriptors + 4 * count)?;
        for &[size_low, size_high, value_type, _] in table.as_chunks::<4>().0 {
            let size = usize::from(u16::from_le_bytes([size_low, size_high]));
            let value_start = cursor.at;
            cursor.skip(size)?;
            let value = chunk.get(value_start..cursor.at)?;
            fills_its_size(value_type, value).then_some(())?;
            values.push((value_type, value));
        }
        matches!(cursor.peek(), None | Some(token::END_OF_FRAGMENT))
            .then_some(Instance { template, values })
    }

    /// Whether the element a source is in is rendered: its dependency slot is not `NULL`.
    fn present(&self, source: &Source) -> Option<bool> {
        let Some(slot) = source.depends_on else {
            return Some(true);
        };
        // The crate takes an empty BinXML fragment for NULL too.
        Some(!matches!(
            *self.values.get(usize::from(slot))?,
            (value_type::NULL, _) | (value_type::BINXML, [])
        ))
    }

    /// The type and bytes of the slot a source names. Literal text in a template is left to the
    /// general reading: classic events have none where a field is read, and how the crate
    /// renders it was not compared.
    fn slot(&self, source: &Source) -> Option<(u8, &'a [u8])> {
        match source.part {
            Part::Slot(slot) => self.values.get(usize::from(slot)).copied(),
            Part::Text(_) => None,
        }
    }

    /// A single-valued field: `None` when it is `NULL`, empty, left out or of another type.
    fn value(&self, source: &Source) -> Option<Value> {
        self.present(source)?.then_some(())?;
        let (value_type, bytes) = self.slot(source)?;
        match value_type {
            value_type::STRING => {
                let text = utf16(bytes)?;
                (!text.is_empty()).then_some(Value::Text(text))
            }
            value_type::FILETIME => filetime(bytes).map(Value::Time),
            _ => number(value_type, bytes).map(Value::Number),
        }
    }

    /// Adds a `Data` element's items to `message`: none when it is left out (its dependency
    /// slot is `NULL`), one per string of an array. A `Data` that is there with a `NULL`
    /// value is left to the general reading (the crate renders it as an empty item).
    fn items_into(&self, source: &Source, message: &mut Vec<String>) -> Option<()> {
        if !self.present(source)? {
            return Some(());
        }
        let (value_type, bytes) = self.slot(source)?;
        match value_type {
            value_type::STRING if !bytes.is_empty() => message.push(utf16(bytes)?),
            value_type::STRING_ARRAY if !bytes.is_empty() => {
                let mut rest = bytes.strip_suffix(&[0, 0])?;
                loop {
                    let end = aligned_nul(rest).unwrap_or(rest.len());
                    message.push(utf16(rest.get(..end)?)?);
                    match rest.get(end + 2..) {
                        Some(next) if end < rest.len() => rest = next,
                        _ => break,
                    }
                }
            }
            value_type::STRING | value_type::STRING_ARRAY => return None,
            _ => message.push(number(value_type, bytes)?.to_string()),
        }
        Some(())
    }
}

/// Whether the crate, reading a value of this type, ends where its descriptor's size says it
/// ends. Where it reads further (a fixed-size value with a smaller size, an array whose last
/// string has no NUL), it reads the values after it from there, not from where their sizes
/// put them, and so must this reading, which it does only the general way.
fn fills_its_size(value_type: u8, bytes: &[u8]) -> bool {
    let natural = |size: usize| bytes.len() >= size;
    match value_type {
        // NULL, String, AnsiString, Binary, BinXml: read as sized.
        0x00 | 0x01 | 0x02 | 0x0e | 0x21 => true,
        0x03 | 0x04 => natural(1),
        0x05 | 0x06 => natural(2),
        0x07 | 0x08 | 0x0b | 0x0d | 0x14 => natural(4),
        0x09 | 0x0a | 0x0c | 0x11 | 0x15 => natural(8),
        0x0f | 0x12 => natural(16),
        // SizeT: 4 or 8 bytes, as its size says.
        0x10 => matches!(bytes.len(), 4 | 8),
        // SID: 8 bytes and 4 per sub-authority.
        0x13 => bytes
            .get(1)
            .is_some_and(|&parts| natural(8 + 4 * usize::from(parts))),
        value_type::STRING_ARRAY => {
            bytes.is_empty() || (bytes.len().is_multiple_of(2) && bytes.ends_with(&[0, 0]))
        }
        _ => false,
    }
}

/// Where the first NUL unit of UTF-16LE text starts (an even offset), found by memchr's
/// vectorised search for two zero bytes rather than a unit at a time: the Data strings are
/// most of a record's bytes.
fn aligned_nul(units: &[u8]) -> Option<usize> {
    static NUL_UNIT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(&[0, 0]));
    let mut from = 0;
    loop {
        let at = from + NUL_UNIT.find(units.get(from..)?)?;
        if at.is_multiple_of(2) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// An integer slot of its natural size.
fn number(value_type: u8, bytes: &[u8]) -> Option<i128> {
    use value_type::*;
    // No indexing: a slice pattern or a checked conversion takes the natural size only.
    Some(match (value_type, bytes) {
        (INT8, &[b]) => i128::from(b as i8),
        (UINT8, &[b]) => i128::from(b),
        (INT16, &[a, b]) => i128::from(i16::from_le_bytes([a, b])),
        (UINT16, &[a, b]) => i128::from(u16::from_le_bytes([a, b])),
        (INT32, bytes) => i128::from(i32::from_le_bytes(bytes.try_into().ok()?)),
        (UINT32, bytes) => i128::from(u32::from_le_bytes(bytes.try_into().ok()?)),
        (INT64, bytes) => i128::from(i64::from_le_bytes(bytes.try_into().ok()?)),
        (UINT64, bytes) => i128::from(u64::from_le_bytes(bytes.try_into().ok()?)),
        _ => return None,
    })
}

/// A FILETIME (100 ns ticks since 1601) the crate renders as itself: years 1601 to 9999.
fn filetime(bytes: &[u8]) -> Option<DateTime<Utc>> {
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    const LAST: u64 = 2_650_467_743_999_999_999; // 9999-12-31T23:59:59.9999999Z
    let ticks = u64::from_le_bytes(bytes.try_into().ok()?);
    if ticks > LAST {
        return None;
    }
    let seconds = i64::try_from(ticks / 10_000_000).ok()? - SECONDS_1601_TO_1970;
    let nanos = u32::try_from(ticks % 10_000_000).ok()? * 100;
    DateTime::from_timestamp(seconds, nanos)
}

/// UTF-16LE text with no NUL and no lone surrogate (the crate renders both its own way, which
/// is left to the general reading): `None` otherwise.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (pairs, []) = bytes.as_chunks::<2>() else {
        return None;
    };
    // Most text is ASCII: checked and copied a unit at a time in loops the compiler
    // vectorises (a `char` at a time cost a fifth of the reading).
    let not_ascii = pairs.iter().fold(false, |seen, &pair| {
        seen | (u16::from_le_bytes(pair).wrapping_sub(1) >= 0x7f)
    });
    if !not_ascii {
        return String::from_utf8(pairs.iter().map(|&[low, _]| low).collect()).ok();
    }
    // Sized exactly (a surrogate pair's four bytes are two units' worth): never regrown, and
    // the kept message holds no slack.
    let size = pairs
        .iter()
        .map(|&pair| match u16::from_le_bytes(pair) {
            0..=0x7f => 1,
            0x80..=0x7ff | 0xd800..=0xdfff => 2,
            _ => 3,
        })
        .sum();
    let mut text = String::with_capacity(size);
    for c in char::decode_utf16(pairs.iter().map(|&pair| u16::from_le_bytes(pair))) {
        match c {
            Ok('\0') | Err(_) => return None,
            Ok(c) => text.push(c),
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::evtx_writer::{EvtxEvent, evtx_bytes};
    use chrono::{TimeDelta, TimeZone};
    use evtx::{EvtxParser, ParserSettings};

    fn event(record_id: u64, data: &[&str]) -> EvtxEvent {
        EvtxEvent {
            record_id,
            time: Utc.with_ymd_and_hms(2026, 10, 5, 0, 12, 31).unwrap()
                + TimeDelta::nanoseconds(123_456_700 + (record_id % 1_000) as i64 * 100),
            provider: "PasswordResetService".to_owned(),
            event_id: 31001,
            qualifiers: Some(0),
            level: 4,
            task: 0,
            keywords: 0x0080_0000_0000_0000,
            channel: "Application".to_owned(),
            computer: "CONNECT01.corp.contoso.co.jp".to_owned(),
            data: data.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Each record read both ways: (quick reading, general reading or its error).
    type Readings = Vec<(Option<EventFields>, Result<EventFields, String>)>;

    fn read_both_ways(bytes: Vec<u8>) -> Readings {
        let settings = std::sync::Arc::new(ParserSettings::default());
        let mut parser = EvtxParser::from_buffer(bytes).expect("file header");
        let mut readings = Vec::new();
        for data in parser.chunks() {
            let mut data = data.expect("a whole chunk");
            let mut chunk = data.parse(settings.clone()).expect("a chunk");
            // One per chunk, as the reader keeps them.
            let mut templates = Templates::default();
            for record in chunk.iter() {
                let record = record.expect("a whole record");
                let quick = templates.fields(&record);
                let general = super::super::evtx_log::rendered_fields(record)
                    .expect("renders")
                    .map_err(|e| e.to_string());
                readings.push((quick, general));
            }
        }
        readings
    }

    /// Asserts that the quick reading, where it answers, is the general one, and returns how
    /// many records it answered.
    fn agreeing(readings: &Readings) -> usize {
        let mut answered = 0;
        for (i, (quick, general)) in readings.iter().enumerate() {
            if let Some(quick) = quick {
                let general = general.as_ref().expect("read the general way too");
                assert_eq!(quick, general, "record {i}");
                answered += 1;
            }
        }
        answered
    }

    /// The values whose rendering has pitfalls: empty and repeated strings, markup, escapes,
    /// control characters, non-ASCII and surrogate pairs, no strings at all, no qualifiers,
    /// extreme ids and times, and a message cut to fit a chunk.
    #[test]
    fn the_quick_reading_is_the_general_one() {
        let long = "x".repeat(40_000);
        let strings: Vec<Vec<&str>> = vec![
            vec!["TrackingId: 0c1f, PasswordResetSuccess"],
            vec![],
            vec![""],
            vec!["", ""],
            vec!["first", "", "third"],
            vec!["line one\r\nline two\ttabbed \"quoted\" back\\slash"],
            vec!["<Data>&amp; not markup</Data>"],
            vec!["パスワードのリセット 成功", "😀 emoji", "\u{7f}\u{1}"],
            vec![" leading and trailing spaces "],
            vec![&long],
        ];
        let mut events = Vec::new();
        for (i, data) in strings.iter().enumerate() {
            let mut e = event(i as u64 + 1, data);
            e.qualifiers = (i % 2 == 0).then_some(0);
            e.event_id = [31001, 0, 65535, 6329][i % 4];
            events.push(e);
        }
        let mut epoch = event(100, &["epoch"]);
        epoch.time = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap();
        let mut early = event(101, &["before 1970"]);
        early.time = Utc.with_ymd_and_hms(1601, 1, 1, 0, 0, 0).unwrap();
        let mut late = event(102, &["last year"]);
        late.time = Utc.with_ymd_and_hms(9999, 12, 30, 12, 0, 0).unwrap();
        let mut max_id = event(u64::MAX >> 1, &["a big id"]);
        max_id.provider = "ADSync".into();
        events.extend([epoch, early, late, max_id]);
        let readings = read_both_ways(evtx_bytes(&events));
        assert_eq!(readings.len(), events.len());
        assert_eq!(agreeing(&readings), events.len(), "all read quickly");
    }

    /// Values the quick reading leaves to the general one, which still reads them.
    #[test]
    fn empty_fields_are_left_to_the_general_reading() {
        let mut no_provider = event(1, &["a"]);
        no_provider.provider.clear();
        let mut no_computer = event(2, &["b"]);
        no_computer.computer.clear();
        let readings = read_both_ways(evtx_bytes(&[no_provider, no_computer, event(3, &["c"])]));
        let quick: Vec<bool> = readings.iter().map(|(q, _)| q.is_some()).collect();
        assert_eq!(quick, [false, false, true]);
        assert_eq!(agreeing(&readings), 1);
        assert!(readings.iter().all(|(_, general)| general.is_ok()));
    }

    /// Many chunks: each chunk's template is read from that chunk.
    #[test]
    fn every_chunk_reads_its_own_template() {
        let events: Vec<EvtxEvent> = (1..=3_000)
            .map(|i| {
                event(
                    i,
                    &[&format!("TrackingId: {i:08x}, padding {}", "p".repeat(90))],
                )
            })
            .collect();
        let bytes = evtx_bytes(&events);
        assert!(bytes.len() > 5 * 65_536, "spans several chunks");
        let readings = read_both_ways(bytes);
        assert_eq!(agreeing(&readings), events.len());
    }

    /// The bundled sample and fixture logs read quickly throughout, and as the general way.
    #[test]
    fn bundled_logs_read_quickly() {
        for path in [
            "fixtures/sample/Application_CONNECT01.evtx",
            "fixtures/sample/Application_CONNECT02.evtx",
            "fixtures/onprem/evtx/CONNECT01.evtx",
        ] {
            let bytes = std::fs::read(path).expect("bundled log");
            let readings = read_both_ways(bytes);
            assert!(!readings.is_empty());
            assert_eq!(agreeing(&readings), readings.len(), "{path}");
        }
    }

    /// Each record of a damaged log, read both ways where the crate still yields it: the
    /// quick reading never panics, and what it answers the general reading answers too.
    #[test]
    fn damaged_records_read_alike_or_not_quickly() {
        let events: Vec<EvtxEvent> = (1..=12)
            .map(|i| event(i, &["TrackingId: t, PasswordResetSuccess", "second"]))
            .collect();
        let clean = evtx_bytes(&events);
        let settings = std::sync::Arc::new(ParserSettings::default());
        let mut rng = crate::synth::Rng::new(6);
        let (mut compared, mut quick_answers) = (0, 0);
        for _ in 0..1_000 {
            let mut bytes = clean.clone();
            // Damage after the chunk header, where the template and the records are.
            for _ in 0..rng.range(1, 4) {
                let at = 4096 + 512 + rng.below(3_000) as usize;
                bytes[at] = rng.next_u64() as u8;
            }
            let Ok(mut parser) = EvtxParser::from_buffer(bytes) else {
                continue;
            };
            for data in parser.chunks() {
                let Ok(mut data) = data else { continue };
                let Ok(mut chunk) = data.parse(settings.clone()) else {
                    continue;
                };
                let mut templates = Templates::default();
                for record in chunk.iter().flatten() {
                    let quick = templates.fields(&record);
                    let general = super::super::evtx_log::rendered_fields(record);
                    compared += 1;
                    if let Some(quick) = quick {
                        quick_answers += 1;
                        match general {
                            Ok(Ok(general)) => assert_eq!(quick, general),
                            other => panic!("read quickly but not in general: {other:?}"),
                        }
                    }
                }
            }
        }
        assert!(
            compared > 1_000 && quick_answers > 500,
            "{compared} {quick_answers}"
        );
    }

    /// The writer's template read back as elements: the classic event's skeleton.
    #[test]
    fn a_classic_template_yields_its_plan() {
        let bytes = evtx_bytes(&[event(1, &["only"])]);
        let chunk = &bytes[4096..4096 + 65_536];
        let record = 512; // the first record, after the chunk header
        let binxml = record + 24;
        let size = u32::from_le_bytes(chunk[record + 4..record + 8].try_into().unwrap()) as usize;
        let instance = Instance::read(chunk, binxml, record + size - 4).expect("an instance");
        let plan = read_template(chunk, instance.template)
            .and_then(Plan::of)
            .expect("the classic shape");
        let slot = |n| Source {
            part: Part::Slot(n),
            depends_on: None,
        };
        use crate::synth::evtx_writer::slot as s;
        assert_eq!(plan.provider, Some(slot(s::PROVIDER)));
        assert_eq!(plan.event_id, Some(slot(s::EVENT_ID)));
        assert_eq!(plan.time, Some(slot(s::TIME_CREATED)));
        assert_eq!(plan.record_id, Some(slot(s::RECORD_ID)));
        assert_eq!(plan.computer, Some(slot(s::COMPUTER)));
        assert_eq!(
            plan.data,
            [Source {
                part: Part::Slot(s::DATA),
                depends_on: Some(s::DATA)
            }]
        );
    }

    fn element(name: &str, attributes: Vec<(&str, Part)>, children: Vec<Child>) -> Child {
        Child::Element(Element {
            name: name.into(),
            depends_on: None,
            attributes: attributes
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            children,
        })
    }

    fn root(children: Vec<Child>) -> Element {
        match element("Event", vec![], children) {
            Child::Element(e) => e,
            Child::Part(_) => unreachable!(),
        }
    }

    /// Shapes other than the classic event's are left to the general reading.
    #[test]
    fn other_shapes_have_no_plan() {
        let slot = |n| Child::Part(Part::Slot(n));
        let system = |children| element("System", vec![], children);
        let computer = || element("Computer", vec![], vec![slot(1)]);
        assert!(Plan::of(root(vec![system(vec![computer()])])).is_some());
        let cases = [
            ("UserData", root(vec![element("UserData", vec![], vec![])])),
            (
                "named Data",
                root(vec![element(
                    "EventData",
                    vec![],
                    vec![element(
                        "Data",
                        vec![("Name", Part::Slot(2))],
                        vec![slot(3)],
                    )],
                )]),
            ),
            (
                "two parts",
                root(vec![system(vec![element(
                    "Computer",
                    vec![],
                    vec![slot(1), slot(2)],
                )])]),
            ),
            (
                "a repeated field",
                root(vec![system(vec![computer(), computer()])]),
            ),
            ("two System", root(vec![system(vec![]), system(vec![])])),
            ("a slot in System", root(vec![system(vec![slot(4)])])),
            (
                "an element in Data",
                root(vec![element(
                    "EventData",
                    vec![],
                    vec![element("Data", vec![], vec![computer()])],
                )]),
            ),
        ];
        let ignored = |n: usize| (0..n).map(|_| element("Level", vec![], vec![])).collect();
        let more_cases = [
            (
                "a slot placed twice",
                root(vec![system(vec![
                    computer(),
                    element("Channel", vec![], vec![slot(1)]),
                ])]),
            ),
            ("a big template", root(vec![system(ignored(MAX_NODES))])),
            (
                "two Binary",
                root(vec![element(
                    "EventData",
                    vec![],
                    vec![
                        element("Binary", vec![], vec![slot(2)]),
                        element("Binary", vec![], vec![slot(3)]),
                    ],
                )]),
            ),
        ];
        for (what, template) in cases.into_iter().chain(more_cases) {
            assert!(Plan::of(template).is_none(), "{what}");
        }
        assert!(Plan::of(root(vec![system(ignored(MAX_NODES / 2))])).is_some());
    }

    /// Values that render as more than they are, or that the crate renders its own way, are
    /// left to the general reading.
    #[test]
    fn unplain_values_are_left_to_the_general_reading() {
        let slot = |n| Child::Part(Part::Slot(n));
        let mut data = match element("Data", vec![], vec![slot(1)]) {
            Child::Element(e) => e,
            Child::Part(_) => unreachable!(),
        };
        data.depends_on = Some(3);
        let plan = Plan::of(root(vec![
            element(
                "System",
                vec![],
                vec![element("Computer", vec![], vec![slot(0)])],
            ),
            element(
                "EventData",
                vec![],
                vec![
                    Child::Element(data),
                    element("Binary", vec![], vec![slot(2)]),
                ],
            ),
        ]))
        .expect("a plan");
        let text = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let (pc, msg, pair) = (text("PC01"), text("message"), text("a\0b\0"));
        let read = |values: Vec<(u8, &[u8])>| {
            plan.fields(&Instance {
                template: 0,
                values,
            })
        };
        let plain = read(vec![(1, &pc), (1, &msg), (0, &[]), (4, &[1])]).expect("plain");
        assert_eq!(plain.computer.as_deref(), Some("PC01"));
        assert_eq!(plain.message, "message");
        type Values<'a> = Vec<(u8, &'a [u8])>;
        let cases: [(&str, Values); 4] = [
            (
                "array in Binary",
                vec![(1, &pc), (1, &msg), (0x81, &pair), (4, &[1])],
            ),
            (
                "BinXML fragment",
                vec![(1, &pc), (1, &msg), (0x21, &[1, 2]), (4, &[1])],
            ),
            (
                "Data there, NULL",
                vec![(1, &pc), (0, &[]), (0, &[]), (4, &[1])],
            ),
            (
                "empty computer",
                vec![(1, &[]), (1, &msg), (0, &[]), (4, &[1])],
            ),
        ];
        for (what, values) in cases {
            assert!(read(values).is_none(), "{what}");
        }
        // An empty fragment is NULL to the crate: the Data that depends on it is left out.
        let left_out = read(vec![(1, &pc), (1, &msg), (0, &[]), (0x21, &[])]).expect("read");
        assert_eq!(left_out.message, "");
    }

    #[test]
    fn utf16_text_is_plain_or_refused() {
        let units = |s: &[u16]| -> Vec<u8> { s.iter().flat_map(|u| u.to_le_bytes()).collect() };
        assert_eq!(utf16(&units(&[0x41, 0x3042])).as_deref(), Some("Aあ"));
        assert_eq!(utf16(&units(&[0xD83D, 0xDE00])).as_deref(), Some("😀"));
        assert_eq!(utf16(&units(&[0x41, 0])), None, "NUL");
        assert_eq!(utf16(&units(&[0xD83D])), None, "lone surrogate");
        assert_eq!(utf16(&[0x41]), None, "odd length");
    }

    #[test]
    fn a_nul_unit_is_found_only_on_a_unit_boundary() {
        // "AĀ" then NUL: 'A' ends in a zero byte and 'Ā' (U+0100) starts with one.
        let units = [0x41, 0x00, 0x00, 0x01, 0x00, 0x00, 0x42, 0x00];
        assert_eq!(aligned_nul(&units), Some(4));
        assert_eq!(aligned_nul(&units[..4]), None);
        assert_eq!(aligned_nul(&[0x00, 0x00]), Some(0));
        assert_eq!(aligned_nul(&[]), None);
    }

    #[test]
    fn filetimes_past_9999_are_refused() {
        let at = |t: u64| filetime(&t.to_le_bytes());
        assert_eq!(at(0), Utc.with_ymd_and_hms(1601, 1, 1, 0, 0, 0).single());
        assert!(at(2_650_467_743_999_999_999).is_some());
        assert_eq!(at(2_650_467_744_000_000_000), None);
    }
}
