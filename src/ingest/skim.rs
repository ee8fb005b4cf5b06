//! The row skimmer: a fast path in front of csv-core for the big portal CSV.
//!
//! csv-core reads a row byte by byte, and in a big tenant's export over nine rows in ten are
//! then dropped as other services'. The skimmer splits a row in one pass of 64-byte masks
//! ([`row_end::split_row`]; for a row it doubts, by jumping from quote to quote and from
//! delimiter to delimiter, a word at a time) and hands the row on in place, read through
//! [`Row`] (or as the `ByteRecord` csv-core would have made). A whole row is checked as UTF-8
//! once; its fields are then read without a check each. It takes only rows whose reading
//! leaves no doubt: fields either quoted (`""` inside) with a delimiter or line end right
//! after the closing quote, or unquoted; rows ended by `\n` or `\r\n`; blank lines between
//! rows are skipped, as csv-core skips them. At the first row that is anything else (a lone
//! `\r`, text after a closing quote, a row cut off by the end of the input) it stops and gives
//! back the bytes from that row on, with the row's physical line, for csv-core to read as
//! before. A test damages a file at random and holds the skimmed reading to csv-core's.

use super::audit_csv::{Row, field_text};
use super::row_end;
use std::io::Read;

/// How much is read at a time; a row longer than this is left to csv-core.
const BLOCK: usize = 1 << 20;

/// What the skimmer did not read: csv-core reads it, starting at physical line `line`.
pub(super) struct Leftover {
    /// The unread bytes taken from the input (the rest of it is still in the reader).
    pub bytes: Vec<u8>,
    /// Physical line of the first unread row.
    pub line: u64,
}

/// One scanned row: where it ends in the buffer, or why it was not taken.
enum Scan {
    /// A whole row ending just before `end` (its line end included).
    Row { end: usize },
    /// The row goes on past the buffer: read more, or leave it to csv-core at the end.
    NeedMore,
    /// A row the skimmer does not read (csv-core's handling of it is subtler).
    Unusual,
}

/// One row the skimmer read: its text and its fields, not yet copied anywhere.
pub(super) struct SkimmedRow<'a> {
    /// Physical line the row starts on.
    pub line: u64,
    /// The row as written, line end included.
    text: &'a [u8],
    /// Fields that held doubled quotes, with the doubling undone.
    undoubled: &'a [u8],
    /// Each field's range: in `undoubled` when the flag is set, else in `text`.
    spans: &'a [(usize, usize, bool)],
    /// `text` is UTF-8 (checked once for the whole row).
    utf8: bool,
}

impl SkimmedRow<'_> {
    /// Whether the row is UTF-8: then it can be read through [`Row`] without a copy (else
    /// it takes the way that tries Shift_JIS).
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    fn field(&self, &(from, to, undoubled): &(usize, usize, bool)) -> &[u8] {
        let source = if undoubled { self.undoubled } else { self.text };
        &source[from..to]
    }

    /// The row as csv-core would give it.
    pub fn record(&self, rec: &mut csv::ByteRecord) {
        rec.clear();
        for span in self.spans {
            rec.push_field(self.field(span));
        }
    }
}

/// A UTF-8 row's fields (see [`SkimmedRow::is_utf8`]).
impl Row for SkimmedRow<'_> {
    fn width(&self) -> usize {
        self.spans.len()
    }

    fn text(&self, i: usize) -> Result<&str, String> {
        let field = self.spans.get(i).map_or(&b""[..], |span| self.field(span));
        if self.utf8 {
            // SAFETY: the whole row is UTF-8 (checked when the row was made), and a field is
            // cut from it, or undoubled from it, only next to ASCII bytes (delimiters,
            // quotes), which are never part of a longer character: each piece is UTF-8 too.
            // The check per field cost more than reading the field (three per row of the nine
            // rows in ten that are dropped).
            return Ok(unsafe { std::str::from_utf8_unchecked(field) });
        }
        field_text(field, i)
    }
}

/// Reads the rows of `input` it can, from physical line `first_line`, each handed to `row`;
/// returns what is left for csv-core.
#[cfg(test)]
pub(super) fn skim<R: Read>(
    input: &mut R,
    delimiter: u8,
    first_line: u64,
    row: impl FnMut(&SkimmedRow<'_>),
) -> std::io::Result<Leftover> {
    skim_into(input, delimiter, first_line, &mut EveryRow(row))
}

/// Where the skimmer's rows go.
pub(super) trait RowSink {
    /// The columns [`RowSink::quick`] reads; `None`: every row is split.
    fn quick_columns(&self) -> Option<[usize; 3]> {
        None
    }
    /// A first look at a plain UTF-8 row (see [`row_end::split_row`]): its first fields, up
    /// to the last of the `quick_columns`, and its whole width. `true` when it dealt with the
    /// row; else the row is split and given to [`RowSink::row`]. It reads only the
    /// `quick_columns`: the other first fields keep their doubled quotes (a Log Analytics
    /// row's JSON columns would be undone for nothing, nine rows in ten).
    fn quick(&mut self, _first: &SkimmedRow<'_>, _width: usize) -> bool {
        false
    }
    /// A split row.
    fn row(&mut self, row: &SkimmedRow<'_>);
}

/// Every row split and handed to a closure.
#[cfg(test)]
struct EveryRow<F>(F);

#[cfg(test)]
impl<F: FnMut(&SkimmedRow<'_>)> RowSink for EveryRow<F> {
    fn row(&mut self, row: &SkimmedRow<'_>) {
        (self.0)(row)
    }
}

/// [`skim`], each row handed to `sink`.
pub(super) fn skim_into<R: Read>(
    input: &mut R,
    delimiter: u8,
    first_line: u64,
    sink: &mut impl RowSink,
) -> std::io::Result<Leftover> {
    // Fields are cut next to the delimiter and read as UTF-8 unchecked (SkimmedRow::text):
    // that holds only for an ASCII delimiter, which is all the sniffer chooses.
    debug_assert!(delimiter.is_ascii());
    let quick_columns = sink.quick_columns();
    let mut buf = vec![0u8; BLOCK];
    // `buf[start..filled]` is unread.
    let (mut start, mut filled) = (0usize, 0usize);
    let mut line = first_line;
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut undoubled = Vec::new();
    let mut at_end = false;
    loop {
        // Blank lines between rows: csv-core skips them too.
        while let Some(&line_end) = buf[start..filled].first()
            && (line_end == b'\n' || line_end == b'\r')
        {
            line += u64::from(line_end == b'\n');
            start += 1;
        }
        if let Some(columns) = quick_columns
            && let Some((end, newlines)) = quick_row(
                &buf[start..filled],
                (delimiter, columns, line),
                (&mut spans, &mut undoubled),
                sink,
            )
        {
            line += newlines;
            start += end;
            continue;
        }
        let scan = match row_end::split_row(&buf[start..filled], delimiter, usize::MAX, &mut spans)
        {
            Some(rest) => Scan::Row { end: rest.end },
            None => scan_row(&buf[start..filled], delimiter, &mut spans),
        };
        match scan {
            Scan::Row { end } => {
                let text = &buf[start..start + end];
                undouble_spans(text, &mut spans, &mut undoubled);
                sink.row(&SkimmedRow {
                    line,
                    text,
                    undoubled: &undoubled,
                    spans: &spans,
                    utf8: is_utf8(text, text.is_ascii()),
                });
                line += newlines(text);
                start += end;
            }
            Scan::NeedMore if !at_end => {
                // Keep the partial row, make room, and read on.
                buf.copy_within(start..filled, 0);
                filled -= start;
                start = 0;
                if filled == buf.len() {
                    // A row longer than the block is no plain row: csv-core reads it, through
                    // the bounds on a field and a record (growing the buffer had no end).
                    return Ok(Leftover {
                        bytes: std::mem::take(&mut buf),
                        line,
                    });
                }
                let n = read_some(input, &mut buf[filled..])?;
                at_end = n == 0;
                filled += n;
            }
            Scan::NeedMore | Scan::Unusual => {
                return Ok(Leftover {
                    bytes: buf[start..filled].to_vec(),
                    line,
                });
            }
        }
    }
}

/// The row at the start of `bytes` when it is plain (see [`row_end::split_row`]) and `sink`
/// dealt with it from its `columns`: its length and line ends.
fn quick_row(
    bytes: &[u8],
    (delimiter, columns, line): (u8, [usize; 3], u64),
    (spans, undoubled): (&mut Vec<(usize, usize, bool)>, &mut Vec<u8>),
    sink: &mut impl RowSink,
) -> Option<(usize, u64)> {
    let fields = 1 + columns.iter().max().copied().unwrap_or(0);
    let rest = row_end::split_row(bytes, delimiter, fields, spans)?;
    let text = &bytes[..rest.end];
    if !is_utf8(text, rest.ascii) {
        return None;
    }
    undouble_columns(text, spans, &columns, undoubled);
    let row = SkimmedRow {
        line,
        text,
        undoubled,
        spans,
        utf8: true,
    };
    sink.quick(&row, rest.fields)
        .then_some((rest.end, rest.newlines))
}

/// Whether `text` is UTF-8; `ascii` when it is known to be ASCII (checked several times
/// faster, and most rows are).
fn is_utf8(text: &[u8], ascii: bool) -> bool {
    ascii || simdutf8::basic::from_utf8(text).is_ok()
}

/// Undoes the doubled quotes of the fields that hold some, into `undoubled`.
fn undouble_spans(text: &[u8], spans: &mut [(usize, usize, bool)], undoubled: &mut Vec<u8>) {
    undouble_where(text, spans, undoubled, |_| true);
}

/// Undoes the doubled quotes of the fields in `columns` that hold some, into `undoubled`; the
/// other fields are left as written (and read from the row's text).
fn undouble_columns(
    text: &[u8],
    spans: &mut [(usize, usize, bool)],
    columns: &[usize],
    undoubled: &mut Vec<u8>,
) {
    undouble_where(text, spans, undoubled, |i| columns.contains(&i));
}

/// Undoes the doubled quotes of the fields `wanted` names, into `undoubled`; a field it does
/// not name is marked as holding none, and read as written.
fn undouble_where(
    text: &[u8],
    spans: &mut [(usize, usize, bool)],
    undoubled: &mut Vec<u8>,
    wanted: impl Fn(usize) -> bool,
) {
    undoubled.clear();
    for (i, span) in spans.iter_mut().enumerate().filter(|(_, s)| s.2) {
        if wanted(i) {
            let from = undoubled.len();
            undouble(&text[span.0..span.1], undoubled);
            *span = (from, undoubled.len(), true);
        } else {
            span.2 = false;
        }
    }
}

/// Reads into `buf`, retrying on interruption; 0 only at the end of the input.
fn read_some<R: Read>(input: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Line ends in `bytes`.
fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// `a""b` → `a"b` (appended to `out`): the field's text as csv-core gives it.
fn undouble(field: &[u8], out: &mut Vec<u8>) {
    let mut rest = field;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        // The quote after it is the doubling (the scanner saw it there).
        rest = rest.get(at + 2..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
}

/// How many bytes are looked at eight at a time before memchr is called: most fields of an
/// export are empty or short, and memchr's setup costs more than a few words.
const SHORT: usize = 64;

/// The lowest byte set in `word` marks the first byte of the eight that was zero. Only the
/// lowest can be trusted: the borrow of a zero byte's subtraction can mark the byte above it.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(0x0101_0101_0101_0101) & !word & 0x8080_8080_8080_8080
}

/// The first byte of `hay`'s first `SHORT` bytes where `hit` (a word's zero-byte marks) is
/// set, then memchr's search (`long`) beyond them.
fn find_with(
    hay: &[u8],
    hit: impl Fn(u64) -> u64,
    byte: impl Fn(u8) -> bool,
    long: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let short = &hay[..hay.len().min(SHORT)];
    let (words, tail) = short.as_chunks::<8>();
    for (k, word) in words.iter().enumerate() {
        let marks = hit(u64::from_le_bytes(*word));
        if marks != 0 {
            return Some(k * 8 + (marks.trailing_zeros() / 8) as usize);
        }
    }
    let base = words.len() * 8;
    if let Some(i) = tail.iter().position(|&b| byte(b)) {
        return Some(base + i);
    }
    long(&hay[short.len()..]).map(|i| short.len() + i)
}

/// The first `"` at or after `from`.
fn find_quote(bytes: &[u8], from: usize) -> Option<usize> {
    const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
    let at = find_with(
        bytes.get(from..)?,
        |w| zero_bytes(w ^ QUOTES),
        |b| b == b'"',
        |rest| memchr::memchr(b'"', rest),
    )?;
    Some(from + at)
}

/// The end of the unquoted field at `from`: the next delimiter or line end.
fn find_field_end(bytes: &[u8], from: usize, delimiter: u8) -> Option<usize> {
    const CR: u64 = u64::from_le_bytes([b'\r'; 8]);
    const LF: u64 = u64::from_le_bytes([b'\n'; 8]);
    let delimiters = u64::from_le_bytes([delimiter; 8]);
    let at = find_with(
        bytes.get(from..)?,
        |w| zero_bytes(w ^ delimiters) | zero_bytes(w ^ CR) | zero_bytes(w ^ LF),
        |b| b == delimiter || b == b'\r' || b == b'\n',
        |rest| memchr::memchr3(delimiter, b'\r', b'\n', rest),
    )?;
    Some(from + at)
}

/// Finds the fields of the row at the start of `bytes`: `spans` gets each field's text range
/// and whether it holds doubled quotes.
fn scan_row(bytes: &[u8], delimiter: u8, spans: &mut Vec<(usize, usize, bool)>) -> Scan {
    spans.clear();
    let mut p = 0;
    loop {
        // Most fields of a portal export are empty: `"",` is taken in one step.
        if let Some(&[b'"', b'"', after]) = bytes.get(p..p + 3)
            && after == delimiter
        {
            spans.push((p + 1, p + 1, false));
            p += 3;
            if spans.len() + 1 >= super::csv_bound::MAX_FIELDS {
                return Scan::Unusual;
            }
            continue;
        }
        let Some(&first) = bytes.get(p) else {
            return Scan::NeedMore;
        };
        if first == b'"' {
            let open = p + 1;
            let mut q = open;
            let mut doubled = false;
            let close = loop {
                let Some(at) = find_quote(bytes, q) else {
                    return Scan::NeedMore;
                };
                match bytes.get(at + 1) {
                    None => return Scan::NeedMore,
                    Some(b'"') => {
                        doubled = true;
                        q = at + 2;
                    }
                    Some(_) => break at,
                }
            };
            spans.push((open, close, doubled));
            p = close + 1;
        } else {
            let Some(end) = find_field_end(bytes, p, delimiter) else {
                return Scan::NeedMore;
            };
            spans.push((p, end, false));
            p = end;
        }
        // A row of the field limit is csv-core's, which bounds it (csv_bound).
        if spans.len() + 1 >= super::csv_bound::MAX_FIELDS {
            return Scan::Unusual;
        }
        // `p` is just past the field: a delimiter, or the line end.
        match bytes.get(p) {
            None => return Scan::NeedMore,
            Some(&b) if b == delimiter => p += 1,
            Some(b'\n') => return Scan::Row { end: p + 1 },
            Some(b'\r') => {
                return match bytes.get(p + 1) {
                    None => Scan::NeedMore,
                    Some(b'\n') => Scan::Row { end: p + 2 },
                    Some(_) => Scan::Unusual,
                };
            }
            // Text after a closing quote: csv-core keeps it as part of the field.
            Some(_) => return Scan::Unusual,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as csv-core reads them (fields only).
    fn csv_rows(bytes: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(bytes);
        rdr.byte_records()
            .map(|r| r.expect("in memory").iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    /// A row's line and fields.
    type Numbered = (u64, Vec<Vec<u8>>);

    /// The skimmer's rows, with the lines it gave, and what it left for csv-core.
    fn skimmed_rows(bytes: &[u8], delimiter: u8) -> (Vec<Numbered>, Leftover) {
        let mut rows = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let left = skim(&mut &bytes[..], delimiter, 1, |row| {
            row.record(&mut rec);
            rows.push((row.line, rec.iter().map(<[u8]>::to_vec).collect()));
        })
        .expect("in memory");
        (rows, left)
    }

    /// A sink that looks at column 3 of each row and takes the rows whose column 3 is `skip`.
    struct QuickLook {
        seen: Vec<String>,
        split: usize,
    }

    impl RowSink for QuickLook {
        fn quick_columns(&self) -> Option<[usize; 3]> {
            Some([3, 3, 3])
        }
        fn quick(&mut self, first: &SkimmedRow<'_>, _width: usize) -> bool {
            let text = first.text(3).expect("UTF-8").to_string();
            let taken = text == "skip";
            self.seen.push(text);
            taken
        }
        fn row(&mut self, _row: &SkimmedRow<'_>) {
            self.split += 1;
        }
    }

    /// The quick look undoes the doubled quotes of the columns it reads (a Log Analytics row's
    /// activity after its JSON columns), and only those.
    #[test]
    fn the_quick_look_reads_its_columns_undoubled() {
        let rows = b"\"{\"\"a\"\":1}\",x,\"{\"\"b\"\"}\",skip\n\
            \"{\"\"a\"\":1}\",x,y,\"say \"\"hi\"\"\"\n\
            z,\"\"\"\",y,skip\r\n";
        let mut sink = QuickLook {
            seen: Vec::new(),
            split: 0,
        };
        let left = skim_into(&mut &rows[..], b',', 1, &mut sink).expect("in memory");
        assert!(left.bytes.is_empty());
        assert_eq!(sink.seen, ["skip", "say \"hi\"", "skip"]);
        assert_eq!(
            sink.split, 1,
            "the row the quick look declined is split whole"
        );
    }

    #[test]
    fn rows_are_read_as_csv_core_reads_them() {
        let text = b"\"2026-10-01\",\"a \"\"quoted\"\" word\",plain,,\"\"\r\n\
            \"x\ny\",\"\xE3\x81\x82\",\"with, comma\"\n\
            last,row\r\n";
        let (rows, left) = skimmed_rows(text, b',');
        let fields: Vec<_> = rows.iter().map(|(_, f)| f.clone()).collect();
        assert_eq!(fields, csv_rows(text, b','));
        let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            lines,
            [1, 2, 4],
            "a line break inside a field moves the next row down"
        );
        assert!(left.bytes.is_empty());
        assert_eq!(left.line, 5);
    }

    #[test]
    fn unusual_rows_are_left_to_csv_core() {
        for (text, taken) in [
            (&b"a,b\r\n\r\n\nc,d\r\n"[..], 2), // blank lines are skipped
            (b"a,b\rc,d\r\n", 0),              // lone CR ends a row in csv-core
            (b"\"a\"x,b\r\nc\r\n", 0),         // text after the closing quote
            (b"a,b\r\n\"cut off", 1),          // the input ends inside quotes
            (b"a,b\r\nno line end", 1),        // the last row has no line end
            (b"a;\"b;c\"\r\n", 1),             // another delimiter (read with ';')
        ] {
            let delimiter = if text.contains(&b';') { b';' } else { b',' };
            let (rows, left) = skimmed_rows(text, delimiter);
            assert_eq!(rows.len(), taken, "{}", String::from_utf8_lossy(text));
            // What was taken plus csv-core's reading of the rest is csv-core's reading.
            let mut all: Vec<_> = rows.into_iter().map(|(_, f)| f).collect();
            all.extend(csv_rows(&left.bytes, delimiter));
            assert_eq!(
                all,
                csv_rows(text, delimiter),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    /// The word-at-a-time search finds the first hit wherever it falls: in a word, in the
    /// tail after the words, past the short stretch, or nowhere; and a byte above 0x80 or
    /// a hit right after another does not fool it.
    #[test]
    fn word_search_finds_the_first_hit() {
        for len in 0..150 {
            for at in (0..len).chain([len]) {
                let mut hay: Vec<u8> = (0..len)
                    .map(|i| [b'a', 0x81, 0x22 ^ 0x80, 0x01][i % 4])
                    .collect();
                if at < len {
                    hay[at] = b'"';
                    if at + 1 < len {
                        hay[at + 1] = b'"';
                    }
                }
                let expected = hay.iter().position(|&b| b == b'"');
                assert_eq!(find_quote(&hay, 0), expected, "len {len} at {at}");
                let mut fields = hay.clone();
                if at < len {
                    fields[at] = b';';
                }
                let expected = fields
                    .iter()
                    .position(|&b| b == b';' || b == b'\r' || b == b'\n');
                assert_eq!(
                    find_field_end(&fields, 0, b';'),
                    expected,
                    "len {len} at {at}"
                );
            }
        }
    }

    /// A row longer than a block is left to csv-core (and its bounds) with all that follows:
    /// the skimmer's buffer never grows past one block.
    #[test]
    fn a_row_longer_than_a_block_is_left_to_csv_core() {
        let long = "x".repeat(BLOCK * 2 + 17);
        let text = format!("a,b\r\n\"{long}\",b\r\nc,d\r\n");
        let (rows, left) = skimmed_rows(text.as_bytes(), b',');
        assert_eq!(rows.len(), 1);
        assert_eq!(left.line, 2);
        assert_eq!(left.bytes.len(), BLOCK);
        assert!(left.bytes.starts_with(b"\"xxx"));
    }

    /// A row from pieces that make plain rows, and now and then a byte that breaks them.
    fn random_row(seed: u64) -> Vec<u8> {
        let mut rng = crate::synth::Rng::new(seed);
        let mut next = move |n: u64| rng.below(n);
        let mut row = Vec::new();
        let fields = 1 + next(12);
        for f in 0..fields {
            if f > 0 {
                row.push(b',');
            }
            match next(10) {
                0 => row.extend_from_slice(b"plain"),
                1 => {}
                2 => row.extend_from_slice("10/4/2026 \u{3042}".as_bytes()),
                _ => {
                    row.push(b'"');
                    for _ in 0..next(90) {
                        let piece: &[u8] = match next(12) {
                            0 => b"\"\"",
                            1 => b",",
                            2 => b"\n",
                            3 => b"\r",
                            4 => "\u{3042}".as_bytes(),
                            _ => b"abcdefgh",
                        };
                        row.extend_from_slice(piece);
                    }
                    row.push(b'"');
                }
            }
        }
        row.extend_from_slice(if next(2) == 0 { b"\r\n" } else { b"\n" });
        for _ in 0..next(4).saturating_sub(2) {
            let at = next(row.len() as u64) as usize;
            row.insert(at, [b'"', b',', b'\r', b'\n', b'x', 0xE3][next(6) as usize]);
        }
        row.extend_from_slice(b"\"next\",\"row\"\n");
        row
    }

    /// At the field limit the one-pass split and the field-by-field one draw the line at the
    /// same width (a row of the limit is csv-core's, which bounds it).
    #[test]
    fn both_splits_stop_at_the_same_field_limit() {
        for width in [
            super::super::csv_bound::MAX_FIELDS - 2,
            super::super::csv_bound::MAX_FIELDS - 1,
        ] {
            for quoted in [false, true] {
                let field: &[u8] = if quoted { b"\"x\"" } else { b"x" };
                let mut row = field.to_vec();
                for _ in 1..width {
                    row.push(b',');
                    row.extend_from_slice(field);
                }
                row.extend_from_slice(b"\r\n");
                let mut full = Vec::new();
                let whole = scan_row(&row, b',', &mut full);
                let mut spans = Vec::new();
                let split = row_end::split_row(&row, b',', usize::MAX, &mut spans);
                match (whole, split) {
                    (Scan::Row { end }, Some(s)) => {
                        assert_eq!((s.end, s.fields, &spans), (end, width, &full));
                    }
                    (Scan::Unusual, None) => {}
                    _ => panic!("width {width}: the splits disagree"),
                }
                let taken = split.is_some();
                assert_eq!(taken, width < super::super::csv_bound::MAX_FIELDS - 1);
            }
        }
    }

    /// Plain rows ended by `\r\n` are split in one pass wherever the line end falls in a
    /// block, a carriage return as one block's last byte and the line feed as the next's
    /// first included; a lone carriage return there is not plain.
    #[test]
    fn crlf_rows_are_split_in_one_pass_across_blocks() {
        for len in 4..200 {
            for quoted in [false, true] {
                let mut row = vec![b'a'; len];
                row[len / 2] = b',';
                if quoted {
                    row[len / 2 + 1] = b'"';
                    row[len - 1] = b'"';
                }
                row.extend_from_slice(b"\r\n\"next\"\n");
                let mut full = Vec::new();
                let Scan::Row { end } = scan_row(&row, b',', &mut full) else {
                    continue;
                };
                let mut spans = Vec::new();
                let split = row_end::split_row(&row, b',', usize::MAX, &mut spans);
                let split = split.unwrap_or_else(|| panic!("length {len}, quoted {quoted}"));
                assert_eq!((split.end, &spans), (end, &full), "length {len}");
                let mut lone = row.clone();
                lone[len + 1] = b'x';
                assert!(row_end::split_row(&lone, b',', usize::MAX, &mut spans).is_none());
            }
        }
    }

    /// Whatever the one-pass split says about a row (in both its compilations), splitting it
    /// field by field says the same.
    #[test]
    fn the_one_pass_split_agrees_with_splitting() {
        let (mut agreed, mut quick, mut mixed) = (0, 0, 0);
        for seed in 0..60_000u64 {
            let row = random_row(seed);
            let mut full = Vec::new();
            let whole = scan_row(&row, b',', &mut full);
            let mut spans = Vec::new();
            mixed += usize::from(
                row[0] != b'"' && row_end::split_row(&row, b',', 1, &mut spans).is_some(),
            );
            for limit in [1, 2, 5, usize::MAX] {
                let mut first = Vec::new();
                let split = row_end::split_row(&row, b',', limit, &mut first);
                // The SSE2 compilation (a CPU without AVX2 takes it) answers the same.
                #[cfg(target_arch = "x86_64")]
                {
                    let mut sse2 = Vec::new();
                    let portable = row_end::split_row_sse2(&row, b',', limit, &mut sse2);
                    assert_eq!(portable, split, "seed {seed}: SSE2");
                    assert!(split.is_none() || sse2 == first, "seed {seed}: SSE2 spans");
                }
                let Some(rest) = split else {
                    continue;
                };
                quick += 1;
                let Scan::Row { end } = whole else {
                    panic!("seed {seed}: the one-pass split took a row splitting does not");
                };
                assert_eq!(first[..], full[..limit.min(full.len())], "seed {seed}");
                assert_eq!(rest.end, end, "seed {seed}");
                assert_eq!(rest.fields, full.len(), "seed {seed}");
                assert_eq!(rest.newlines, newlines(&row[..end]), "seed {seed}");
                assert_eq!(rest.ascii, row[..end].is_ascii(), "seed {seed}");
                agreed += 1;
            }
        }
        // The generator must exercise both answers, and rows with unquoted fields.
        assert!(
            quick > 60_000 && agreed == quick && mixed > 5_000,
            "{quick} quick, {mixed} mixed"
        );
    }
}
