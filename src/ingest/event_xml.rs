//! Event Viewer "Save as XML" (`<Events>` root, `RenderingInfo` with localized strings) and
//! `wevtutil qe /f:xml` (one `<Event>` after another, no root). Read as a stream of events;
//! `SystemTime` is UTC with `T` or a space and 0–7 fraction digits; `Qualifiers` may be empty.
//! Only the five predefined entities and character references are resolved: a document that
//! declares its own entities (an expansion bomb) gets its events rejected, never expanded.

use super::{EventFields, FileKind, Sink, timestamp};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, Read};

/// An event being read.
#[derive(Default)]
struct Builder {
    number: usize,
    line_hint: u64,
    provider: String,
    event_id: String,
    time: String,
    record_id: String,
    computer: String,
    data: Vec<String>,
    rendered_message: String,
    problem: Option<String>,
    /// Bytes of text read into the event so far.
    size: usize,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// Deepest element nesting read (an event is five deep); deeper, the rest of the file is
/// rejected: each open element's name is kept until it closes.
const MAX_DEPTH: usize = 64;

/// Element names are kept only this long (only a few short names matter).
const MAX_NAME: usize = 64;

/// Most `<Data>` items in one event (a writeback event has a few).
const MAX_DATA_ITEMS: usize = super::csv_bound::MAX_FIELDS;

/// Bounds a token of the XML before quick-xml sees it: a run without `<` or `>` (a text, a
/// tag with its attributes, a comment) longer than [`super::csv_bound::MAX_FIELD`] is cut
/// there, so one token never fills memory (quick-xml keeps a whole token). A cut text is cut
/// again to 16 KiB like any long field; a cut tag or comment is damaged, and read as such.
struct XmlBound<R> {
    inner: R,
    /// Bytes since the last `<` or `>`.
    run: usize,
    /// The longest run kept ([`super::csv_bound::MAX_FIELD`]).
    limit: usize,
}

impl<R> XmlBound<R> {
    fn new(inner: R) -> Self {
        XmlBound {
            inner,
            run: 0,
            limit: super::csv_bound::MAX_FIELD,
        }
    }
}

impl<R: Read> Read for XmlBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let kept = self.filter(&mut buf[..n]);
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

impl<R> XmlBound<R> {
    /// Drops, in place, the bytes of runs past the bound; returns how many are left. Runs are
    /// short in any real export: when none in `buf` passes the bound, no byte moves.
    fn filter(&mut self, buf: &mut [u8]) -> usize {
        let (mut run, mut from) = (self.run, 0);
        for at in memchr::memchr2_iter(b'<', b'>', buf) {
            if run + (at - from) > self.limit {
                return self.filter_moving(buf);
            }
            (run, from) = (0, at + 1);
        }
        if run + (buf.len() - from) > self.limit {
            return self.filter_moving(buf);
        }
        self.run = run + (buf.len() - from);
        buf.len()
    }

    /// [`Self::filter`] when some run passes the bound: the bytes kept move down.
    fn filter_moving(&mut self, buf: &mut [u8]) -> usize {
        let (mut read, mut write) = (0, 0);
        while read < buf.len() {
            let end = memchr::memchr2(b'<', b'>', &buf[read..]).map_or(buf.len(), |p| read + p);
            let keep = (end - read).min(self.limit.saturating_sub(self.run));
            buf.copy_within(read..read + keep, write);
            write += keep;
            self.run += end - read;
            read = end;
            if read < buf.len() {
                buf[write] = buf[read];
                write += 1;
                read += 1;
                self.run = 0;
            }
        }
        write
    }
}

/// The names of the open elements, in one buffer: no allocation per element.
#[derive(Default)]
struct ElementPath {
    names: String,
    /// Where each name ends in `names`.
    ends: Vec<usize>,
}

impl ElementPath {
    fn push(&mut self, name: &str) {
        self.names.push_str(name);
        self.ends.push(self.names.len());
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
    }

    fn depth(&self) -> usize {
        self.ends.len()
    }

    /// The name at `depth` (0: the outermost).
    fn at(&self, depth: usize) -> Option<&str> {
        let end = *self.ends.get(depth)?;
        let start = match depth {
            0 => 0,
            _ => self.ends[depth - 1],
        };
        self.names.get(start..end)
    }

    /// The innermost open element.
    fn leaf(&self) -> Option<&str> {
        self.at(self.depth().checked_sub(1)?)
    }

    /// The element around the innermost one.
    fn parent(&self) -> Option<&str> {
        self.at(self.depth().checked_sub(2)?)
    }

    fn contains(&self, name: &str) -> bool {
        (0..self.depth()).any(|d| self.at(d) == Some(name))
    }
}

/// Reads the events of an XML export into the sink.
pub(super) fn read(sink: &mut Sink, text: impl BufRead) {
    let text = std::io::BufReader::with_capacity(64 * 1024, XmlBound::new(text));
    let mut reader = quick_xml::Reader::from_reader(text);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut path = ElementPath::default();
    let mut current: Option<Builder> = None;
    let mut events = 0usize;
    let mut rooted = false;
    let mut rendering = false;
    sink.report.kind = FileKind::OnpremLog;
    loop {
        let position = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = current.as_ref().map(|b| b.number).unwrap_or(events + 1);
                sink.reject(
                    format!("event {at} (byte {position})"),
                    format!("not well-formed XML: {e}"),
                );
                return finish(sink, rooted, rendering);
            }
        };
        match event {
            Event::Start(e) => {
                if path.depth() >= MAX_DEPTH {
                    let at = current.as_ref().map(|b| b.number).unwrap_or(events + 1);
                    sink.reject(
                        format!("event {at} (byte {position})"),
                        format!(
                            "XML nested more than {MAX_DEPTH} elements deep: the rest of the file is not read"
                        ),
                    );
                    return finish(sink, rooted, rendering);
                }
                let name = element_name(&e);
                if name == "Events" && path.depth() == 0 {
                    rooted = true;
                }
                if name == "Event" && current.is_none() {
                    events += 1;
                    current = Some(Builder {
                        number: events,
                        line_hint: position,
                        ..Builder::default()
                    });
                } else if let Some(b) = current.as_mut() {
                    start_element(b, name, &e);
                    // Each <Data> is one insertion string, whatever pieces its text comes in.
                    if name == "Data" && path.leaf() == Some("EventData") {
                        new_data_item(b);
                    }
                }
                if name == "RenderingInfo" {
                    rendering = true;
                }
                path.push(name);
            }
            Event::Empty(e) => {
                let name = element_name(&e);
                if let Some(b) = current.as_mut() {
                    start_element(b, name, &e);
                    if name == "Data" && path.leaf() == Some("EventData") {
                        new_data_item(b);
                    }
                }
            }
            Event::Text(t) => {
                if let Some(b) = current.as_mut() {
                    let text = t.xml_content(quick_xml::XmlVersion::Implicit1_0);
                    add_text(b, &path, &text);
                }
            }
            Event::CData(t) => {
                if let Some(b) = current.as_mut() {
                    let text = t.into_inner().into_owned();
                    add_text(b, &path, &text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(b) = current.as_mut() {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        predefined(&r.xml10_content())
                    };
                    match resolved {
                        Some(c) => add_text(b, &path, &c.to_string()),
                        None => {
                            b.problem.get_or_insert_with(|| {
                                format!(
                                    "undefined entity &{};",
                                    super::record::shorten(&r.xml10_content())
                                )
                            });
                        }
                    }
                }
            }
            Event::End(e) => {
                let name = cut_name(e.local_name().into_inner());
                path.pop();
                if name == "Event"
                    && !path.contains("Event")
                    && let Some(b) = current.take()
                {
                    finish_event(sink, b);
                }
            }
            Event::Eof => {
                if let Some(b) = current.take() {
                    sink.reject(
                        format!("event {} (byte {})", b.number, b.line_hint),
                        "the file ends inside this event: it was cut off".into(),
                    );
                }
                return finish(sink, rooted, rendering);
            }
            _ => {}
        }
        buf.clear();
    }
}

fn finish(sink: &mut Sink, rooted: bool, rendering: bool) {
    sink.report.format = match (rooted, rendering) {
        (true, true) => "Event Viewer XML (<Events> root, RenderingInfo)".into(),
        (true, false) => "event XML (<Events> root)".into(),
        (false, true) => "wevtutil XML (no root, RenderedXml)".into(),
        (false, false) => "wevtutil qe /f:xml (no root)".into(),
    };
    if sink.report.records_read == 0 {
        sink.report.warnings.push("the XML holds no events".into());
    }
}

/// An element's local name, cut to [`MAX_NAME`] bytes (it is only compared with short names).
fn element_name<'e>(e: &'e BytesStart<'_>) -> &'e str {
    cut_name(e.local_name().into_inner())
}

fn cut_name(name: &str) -> &str {
    let mut end = name.len().min(MAX_NAME);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn start_element(b: &mut Builder, name: &str, e: &BytesStart<'_>) {
    match name {
        "Provider" if b.provider.is_empty() => b.provider = attr(e, "Name").unwrap_or_default(),
        "TimeCreated" => b.time = attr(e, "SystemTime").unwrap_or_default(),
        _ => {}
    }
}

/// Opens one more `<Data>` item, up to [`MAX_DATA_ITEMS`]: past them the event is rejected.
fn new_data_item(b: &mut Builder) {
    if b.data.len() >= MAX_DATA_ITEMS {
        b.problem.get_or_insert_with(|| {
            format!("event of more than {MAX_DATA_ITEMS} Data items: skipped")
        });
        return;
    }
    b.data.push(String::new());
}

fn add_text(b: &mut Builder, path: &ElementPath, text: &str) {
    // An event's texts together stay under the record cap; past it the event is rejected.
    b.size += text.len();
    if b.size > super::csv_bound::MAX_RECORD || b.problem.is_some() {
        b.problem.get_or_insert_with(|| {
            format!(
                "event larger than {} MiB: skipped",
                super::csv_bound::MAX_RECORD >> 20
            )
        });
        return;
    }
    let Some(leaf) = path.leaf() else { return };
    match (path.parent(), leaf) {
        (Some("System"), "EventID") => b.event_id.push_str(text),
        (Some("System"), "EventRecordID") => b.record_id.push_str(text),
        (Some("System"), "Computer") => b.computer.push_str(text),
        (Some("EventData"), "Data") => {
            // The text may arrive in pieces (entities split it): all go to the open <Data>.
            match b.data.last_mut() {
                Some(last) => last.push_str(text),
                None => b.data.push(text.to_string()),
            }
        }
        (Some("RenderingInfo"), "Message") => b.rendered_message.push_str(text),
        _ => {}
    }
}

fn finish_event(sink: &mut Sink, b: Builder) {
    let location = format!("event {} (byte {})", b.number, b.line_hint);
    if let Some(problem) = b.problem {
        return sink.reject(location, problem);
    }
    let message = if b.data.iter().any(|d| !d.is_empty()) {
        b.data.join("\n")
    } else {
        b.rendered_message
    };
    let time = b.time.trim().to_string();
    sink.keep_event(
        EventFields {
            time: Some(timestamp::parse_utc(&time).ok_or(time)),
            computer: Some(b.computer.trim().to_string()).filter(|c| !c.is_empty()),
            source: b.provider,
            event_id: b.event_id.trim().to_string(),
            record_id: b.record_id.trim().parse().ok(),
            message,
        },
        location,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-moving filter alone: the reference the quick check must agree with.
    fn moved(input: &[u8], pieces: &[usize], limit: usize) -> Vec<u8> {
        let mut bound = XmlBound {
            inner: (),
            run: 0,
            limit,
        };
        let (mut out, mut rest) = (Vec::new(), input.to_vec());
        for &n in pieces {
            let mut piece: Vec<u8> = rest.drain(..n.min(rest.len())).collect();
            let kept = bound.filter_moving(&mut piece);
            out.extend_from_slice(&piece[..kept]);
        }
        out
    }

    /// Texts with runs around the bound, read in pieces of any size: the quick filter keeps
    /// what the moving one keeps, and a read it keeps whole comes back unchanged.
    #[test]
    fn the_quick_bound_keeps_what_the_moving_one_keeps() {
        let mut rng = crate::synth::Rng::new(11);
        for case in 0..3000 {
            let limit = rng.range(1, 12) as usize;
            let len = rng.range(0, 80) as usize;
            let input: Vec<u8> = (0..len)
                .map(|_| *rng.pick(&[b'<', b'>', b'a', b'b', 0xE3, b' ']))
                .collect();
            let mut pieces = Vec::new();
            let mut left = len;
            while left > 0 {
                let n = (rng.range(1, 20) as usize).min(left);
                pieces.push(n);
                left -= n;
            }
            let mut bound = XmlBound {
                inner: (),
                run: 0,
                limit,
            };
            let (mut quick, mut rest) = (Vec::new(), input.clone());
            for &n in &pieces {
                let mut piece: Vec<u8> = rest.drain(..n).collect();
                let before = piece.clone();
                let kept = bound.filter(&mut piece);
                if kept == before.len() {
                    assert_eq!(piece, before, "case {case}: a kept read is unchanged");
                }
                quick.extend_from_slice(&piece[..kept]);
            }
            assert_eq!(quick, moved(&input, &pieces, limit), "case {case}");
        }
        // A run past the bound is cut to it, across reads.
        assert_eq!(moved(b"<abcdefgh>xy<", &[3, 4, 6], 4), b"<abcd>xy<");
    }

    #[test]
    fn element_path_names_leaf_parent_and_depth() {
        let mut path = ElementPath::default();
        assert_eq!((path.leaf(), path.parent(), path.depth()), (None, None, 0));
        for name in ["Events", "Event", "EventData", "Data"] {
            path.push(name);
        }
        assert_eq!(path.leaf(), Some("Data"));
        assert_eq!(path.parent(), Some("EventData"));
        assert!(path.contains("Event") && !path.contains("System"));
        path.pop();
        path.pop();
        assert_eq!(
            (path.leaf(), path.parent(), path.depth()),
            (Some("Event"), Some("Events"), 2)
        );
        path.pop();
        assert!(!path.contains("Event"));
        path.pop();
        path.pop();
        assert_eq!((path.leaf(), path.depth()), (None, 0));
    }
}
