//! Bounds on what csv-core is handed: a field is cut at [`MAX_FIELD`] bytes and a record at
//! [`MAX_RECORD`] bytes before csv-core sees them, so that a row of one endless line, a quoted
//! field of 3 GB of line ends, or a tail of NUL bytes streams through in constant memory
//! (csv-core keeps a whole record, and its buffer doubles as it grows).
//!
//! The filter follows csv-core's own reading of the bytes (quotes open a field only at its
//! start, `""` inside quotes is a quote, `\r` and `\n` end a record outside quotes, blank lines
//! are skipped), so it changes nothing in a record within the bounds. Past them it drops bytes
//! but keeps the structure: the closing quote of a cut quoted field, the delimiters and the
//! line end. A cut field is then cut again to [`super::record::MAX_TEXT`] with the usual
//! warning; a record past [`MAX_RECORD`] as written (cut fields count whole) keeps nothing
//! after that point and is rejected (see [`CsvBound::take_cut_record`]). The line ends dropped inside a cut quoted field are
//! counted so that later rows keep their physical line numbers.

/// Longest field handed on. Far above the 16 KiB a kept field is cut to: a JSON text cell of a
/// Log Analytics export stays whole up to here.
pub const MAX_FIELD: usize = 1 << 20;

/// Longest record handed on (the same cap as a JSON record's).
pub const MAX_RECORD: usize = super::json_stream::MAX_RECORD_BYTES;

/// Most fields in a record (csv-core keeps 8 bytes per field: a line of 64 MiB of commas would
/// take 512 MiB); an export has fewer than a hundred.
pub const MAX_FIELDS: usize = 1 << 16;

/// Where csv-core is in the bytes (its own states, without the ones it needs for options this
/// tool never sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line ends are skipped.
    StartRecord,
    /// At the start of a field.
    StartField,
    /// Inside an unquoted field (or after a quoted one's closing quote).
    InField,
    /// Inside a quoted field.
    InQuoted,
    /// Just after a quote inside a quoted field: `"` makes it a literal quote, anything else
    /// closes the field's quotes.
    AfterQuote,
}

/// The filter, fed the stream's bytes in order.
#[derive(Debug)]
pub struct CsvBound {
    delimiter: u8,
    state: State,
    field_len: usize,
    record_len: usize,
    /// Fields of the current record so far.
    fields: usize,
    /// The record went past [`MAX_RECORD`]: nothing more of it is handed on.
    record_cut: bool,
    /// A quote of a cut quoted field, not handed on yet (it may be the first of `""`).
    held_quote: bool,
    /// Bytes handed on so far.
    out_offset: u64,
    /// Offset (in the bytes handed on) of the current record's first byte.
    record_start: u64,
    /// Starts of records cut at [`MAX_RECORD`], oldest first.
    cut_records: std::collections::VecDeque<u64>,
    /// Line ends dropped, with the offset (handed on) where they were dropped, oldest first.
    dropped_lines: std::collections::VecDeque<(u64, u64)>,
    /// Line ends dropped before the offsets already asked about.
    dropped_before: u64,
}

impl CsvBound {
    /// A filter for a table with this delimiter, at the start of a record.
    pub fn new(delimiter: u8) -> Self {
        CsvBound {
            delimiter,
            state: State::StartRecord,
            field_len: 0,
            record_len: 0,
            fields: 0,
            record_cut: false,
            held_quote: false,
            out_offset: 0,
            record_start: 0,
            cut_records: Default::default(),
            dropped_lines: Default::default(),
            dropped_before: 0,
        }
    }

    /// Appends to `out` what of `input` is handed on.
    pub fn filter(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut i = 0;
        while i < input.len() {
            // Rows within the bounds (all of them, in an export) pass in whole spans; the
            // byte steps handle what is near a bound, and a quote at the end of the input.
            let n = self.pass(&input[i..]);
            if n > 0 {
                self.emit(&input[i..i + n], out);
                i += n;
                continue;
            }
            i += self.step(&input[i..], out);
        }
    }

    /// Follows csv-core through the start of `input` as far as nothing comes near a bound,
    /// and returns how far: those bytes are handed on unchanged. Keeps the same counts as
    /// [`Self::step`], and never stops between a quote and the byte that says what it is.
    fn pass(&mut self, input: &[u8]) -> usize {
        if self.record_cut || self.held_quote {
            return 0;
        }
        let d = self.delimiter;
        let fits = |s: &Self, field: usize, record: usize| {
            s.field_len + field <= MAX_FIELD && s.record_len + record <= MAX_RECORD
        };
        let mut j = 0;
        while let Some(&b) = input.get(j) {
            match self.state {
                State::StartRecord => {
                    if Self::is_term(b) {
                        self.record_len = 0;
                        j += 1;
                        continue;
                    }
                    self.record_start = self.out_offset + j as u64;
                    (self.record_len, self.fields, self.field_len) = (0, 0, 0);
                    self.state = State::StartField;
                }
                State::StartField if b == b'"' => {
                    // Most fields of an export are quoted and followed by a delimiter: the
                    // whole field and its delimiter in one step.
                    let rest = &input[j + 1..];
                    if let Some(k) = memchr::memchr(b'"', rest)
                        && rest.get(k + 1) == Some(&d)
                        && self.fields + 1 < MAX_FIELDS
                        && fits(self, k, k + 3)
                    {
                        self.fields += 1;
                        self.record_len += k + 3;
                        self.field_len = 0;
                        j += k + 3;
                        continue;
                    }
                    if !fits(self, 0, 1) {
                        return j;
                    }
                    self.record_len += 1;
                    self.state = State::InQuoted;
                    j += 1;
                }
                State::StartField | State::AfterQuote if b == d => {
                    if self.fields + 1 >= MAX_FIELDS || !fits(self, 0, 1) {
                        return j;
                    }
                    self.fields += 1;
                    self.record_len += 1;
                    self.field_len = 0;
                    self.state = State::StartField;
                    j += 1;
                }
                State::StartField | State::AfterQuote if Self::is_term(b) => {
                    self.state = State::StartRecord;
                    j += 1;
                }
                State::StartField | State::AfterQuote => self.state = State::InField,
                State::InField => {
                    let run = &input[j..];
                    let k = memchr::memchr3(d, b'\n', b'\r', run).unwrap_or(run.len());
                    if !fits(self, k, k) {
                        return j;
                    }
                    self.field_len += k;
                    self.record_len += k;
                    j += k;
                    if j < input.len() {
                        // At a delimiter or line end, which ends a field alike from here.
                        self.state = State::StartField;
                    }
                }
                State::InQuoted => {
                    let run = &input[j..];
                    let k = memchr::memchr(b'"', run).unwrap_or(run.len());
                    if !fits(self, k, k) {
                        return j;
                    }
                    self.field_len += k;
                    self.record_len += k;
                    j += k;
                    let Some(&next) = input.get(j + 1) else {
                        // The quote (if any) is the last byte: the steps hold it.
                        return j;
                    };
                    if next == b'"' {
                        if !fits(self, 1, 2) {
                            return j;
                        }
                        self.field_len += 1;
                        self.record_len += 2;
                        j += 2;
                    } else {
                        if !fits(self, 0, 1) {
                            return j;
                        }
                        self.record_len += 1;
                        self.state = State::AfterQuote;
                        j += 1;
                    }
                }
            }
        }
        j
    }

    /// Whether the record starting before offset `next` (the next record's position) was cut
    /// at [`MAX_RECORD`]; forgets the cuts before `next`. Asked in record order.
    pub fn take_cut_record(&mut self, next: Option<u64>) -> bool {
        let mut cut = false;
        while let Some(&start) = self.cut_records.front() {
            if next.is_some_and(|n| start >= n) {
                break;
            }
            self.cut_records.pop_front();
            cut = true;
        }
        cut
    }

    /// Line ends dropped before offset `at` (of the bytes handed on). Asked with offsets that
    /// do not decrease.
    pub fn dropped_lines_before(&mut self, at: u64) -> u64 {
        while let Some(&(offset, n)) = self.dropped_lines.front() {
            if offset > at {
                break;
            }
            self.dropped_before += n;
            self.dropped_lines.pop_front();
        }
        self.dropped_before
    }

    fn is_term(b: u8) -> bool {
        b == b'\n' || b == b'\r'
    }

    /// Hands bytes on (they count toward the record's size where they are read).
    fn emit(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(bytes);
        self.out_offset += bytes.len() as u64;
    }

    fn drop_lines(&mut self, bytes: &[u8]) {
        let n = memchr::memchr_iter(b'\n', bytes).count() as u64;
        if n > 0 {
            match self.dropped_lines.back_mut() {
                Some((offset, count)) if *offset == self.out_offset => *count += n,
                _ => self.dropped_lines.push_back((self.out_offset, n)),
            }
        }
    }

    /// Content bytes of the current field: handed on up to the bounds, dropped past them.
    fn content(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let room = if self.record_cut {
            0
        } else {
            let record_room = MAX_RECORD.saturating_sub(self.record_len);
            MAX_FIELD.saturating_sub(self.field_len).min(record_room)
        };
        let take = room.min(bytes.len());
        self.emit(&bytes[..take], out);
        self.field_len += bytes.len();
        self.record_len += bytes.len();
        if take < bytes.len() {
            self.drop_lines(&bytes[take..]);
            if !self.record_cut && self.record_len > MAX_RECORD {
                self.cut_record(out);
            }
        }
    }

    /// The record reached [`MAX_RECORD`]: close an open quote so csv-core ends the field with
    /// the line end, and note the record for rejection.
    fn cut_record(&mut self, out: &mut Vec<u8>) {
        self.record_cut = true;
        self.cut_records.push_back(self.record_start);
        // csv-core is inside the quotes until it sees a closing one (a held quote it has not).
        if matches!(self.state, State::InQuoted | State::AfterQuote) {
            self.emit(b"\"", out);
        }
        // A quote held back was the opening one's partner: it is now handed on, above.
        self.held_quote = false;
    }

    /// A structural byte (quote, delimiter): handed on, except inside a record cut at
    /// [`MAX_RECORD`] or one that reaches it (or [`MAX_FIELDS`]) here.
    fn structure(&mut self, b: u8, out: &mut Vec<u8>) {
        self.record_len += 1;
        if !self.record_cut && (self.record_len > MAX_RECORD || self.fields >= MAX_FIELDS) {
            self.cut_record(out);
        }
        if !self.record_cut {
            self.emit(&[b], out);
        }
    }

    /// A line end outside quotes: always handed on (a cut record ends there too).
    fn end_record(&mut self, b: u8, out: &mut Vec<u8>) {
        self.emit(&[b], out);
        self.state = State::StartRecord;
    }

    fn end_field(&mut self, b: u8, out: &mut Vec<u8>) {
        self.fields += 1;
        self.structure(b, out);
        self.state = State::StartField;
        self.field_len = 0;
    }

    /// The stream ended: a quote held back is handed on.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.release_quote(out);
    }

    /// Hands on the quote held back from a cut quoted field once it proved to close it.
    fn release_quote(&mut self, out: &mut Vec<u8>) {
        if std::mem::take(&mut self.held_quote) {
            self.structure(b'"', out);
        }
    }

    /// Reads from the start of `input` (never empty); returns how many bytes it consumed.
    fn step(&mut self, input: &[u8], out: &mut Vec<u8>) -> usize {
        let b = input[0];
        match self.state {
            State::StartRecord => {
                if Self::is_term(b) {
                    self.emit(&[b], out);
                    // Not part of a record: the blank line counts toward no record's size.
                    self.record_len = 0;
                    return 1;
                }
                self.record_start = self.out_offset;
                self.record_len = 0;
                self.fields = 0;
                self.record_cut = false;
                self.state = State::StartField;
                self.field_len = 0;
                0
            }
            State::StartField => {
                if b == b'"' {
                    self.structure(b, out);
                    self.state = State::InQuoted;
                } else if b == self.delimiter {
                    self.end_field(b, out);
                } else if Self::is_term(b) {
                    self.end_record(b, out);
                } else {
                    self.state = State::InField;
                    return 0;
                }
                1
            }
            State::InField => {
                let (d, run) = (self.delimiter, input);
                let stop = memchr::memchr3(d, b'\n', b'\r', run).unwrap_or(run.len());
                if stop > 0 {
                    self.content(&run[..stop], out);
                    return stop;
                }
                if b == d {
                    self.end_field(b, out);
                } else {
                    self.end_record(b, out);
                }
                1
            }
            State::InQuoted => {
                let stop = memchr::memchr(b'"', input).unwrap_or(input.len());
                if stop > 0 {
                    self.content(&input[..stop], out);
                    return stop;
                }
                // Held until the next byte shows whether it closes the field or is half of
                // `""`, which is handed on whole or not at all.
                self.held_quote = true;
                self.state = State::AfterQuote;
                1
            }
            State::AfterQuote => {
                if b == b'"' {
                    self.held_quote = false;
                    self.state = State::InQuoted;
                    self.record_len += 2;
                    if !self.record_cut && self.record_len > MAX_RECORD {
                        self.cut_record(out);
                    } else if !self.record_cut && self.field_len < MAX_FIELD {
                        self.emit(b"\"\"", out);
                    }
                    self.field_len += 1;
                    return 1;
                }
                self.release_quote(out);
                if b == self.delimiter {
                    self.end_field(b, out);
                } else if Self::is_term(b) {
                    self.end_record(b, out);
                } else {
                    self.state = State::InField;
                    return 0;
                }
                1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8], chunk: usize) -> (Vec<u8>, CsvBound) {
        let mut bound = CsvBound::new(b',');
        let mut out = Vec::new();
        for piece in input.chunks(chunk) {
            bound.filter(piece, &mut out);
        }
        bound.finish(&mut out);
        (out, bound)
    }

    /// csv-core's reading of `bytes`: its records' fields.
    fn records(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        rdr.byte_records()
            .map(|r| r.expect("record").iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    /// The spans [`CsvBound::pass`] hands on whole agree with the byte steps: same bytes out,
    /// same state and counts, on random CSV-like text cut into random chunks.
    #[test]
    fn whole_spans_and_byte_steps_agree() {
        let alphabet = [b'a', b'b', b',', b'"', b'\n', b'\r'];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..5000 {
            let text: Vec<u8> = (0..next(60)).map(|_| alphabet[next(6)]).collect();
            let (mut fast, mut slow) = (CsvBound::new(b','), CsvBound::new(b','));
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut at = 0;
            while at < text.len() {
                let end = (at + 1 + next(9)).min(text.len());
                fast.filter(&text[at..end], &mut a);
                let mut i = at;
                while i < end {
                    i += slow.step(&text[i..end], &mut b);
                }
                at = end;
            }
            fast.finish(&mut a);
            slow.finish(&mut b);
            assert_eq!(a, b, "{:?}", String::from_utf8_lossy(&text));
            assert_eq!(a, text);
            let counts =
                |c: &CsvBound| (c.state, c.field_len, c.record_len, c.fields, c.record_start);
            assert_eq!(
                counts(&fast),
                counts(&slow),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    #[test]
    fn bytes_within_the_bounds_pass_unchanged() {
        let text = b"a,\"b\"\"c\",\"x\r\ny\"z,\n\n\r\n\"\",,\"\"\"\"\r\nlast,\"open";
        for chunk in [1, 2, 3, 7, 1000] {
            assert_eq!(run(text, chunk).0, text, "chunks of {chunk}");
            let closed = b"a,\"b\"";
            assert_eq!(run(closed, chunk).0, closed, "chunks of {chunk}");
        }
    }

    #[test]
    fn a_long_field_is_cut_and_the_row_keeps_its_shape() {
        let mut text = b"h1,h2,h3\n1,\"".to_vec();
        text.extend(std::iter::repeat_n(b"ab\"\"\n".as_slice(), MAX_FIELD).flatten());
        text.extend_from_slice(b"\",3\n");
        text.extend(std::iter::repeat_n(b'x', 3 * MAX_FIELD));
        text.extend_from_slice(b",4\nnext,row,5\n");
        let (out, mut bound) = run(&text, 64 * 1024 + 1);
        let rows = records(&out);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1].len(), 3);
        let cut = rows[1][1].len();
        assert!((MAX_FIELD - 4..=MAX_FIELD).contains(&cut), "{cut}");
        assert_eq!(rows[1][2], b"3");
        assert_eq!(rows[2][0].len(), MAX_FIELD);
        assert_eq!(rows[3], [b"next".to_vec(), b"row".to_vec(), b"5".to_vec()]);
        // The quoted field held MAX_FIELD line ends; those past the cut are counted.
        let kept = memchr::memchr_iter(b'\n', &rows[1][1]).count() as u64;
        let at = out.len() as u64;
        assert_eq!(bound.dropped_lines_before(at), MAX_FIELD as u64 - kept);
        assert!(!bound.take_cut_record(None));
    }

    #[test]
    fn a_record_past_the_cap_is_cut_and_noted() {
        let mut text = b"a,b\n".to_vec();
        let field = vec![b'y'; MAX_FIELD - 10];
        for _ in 0..(MAX_RECORD / MAX_FIELD + 5) {
            text.push(b'"');
            text.extend_from_slice(&field);
            text.extend_from_slice(b"\",");
        }
        text.extend_from_slice(b"end\nc,d\n");
        let (out, mut bound) = run(&text, 1 << 20);
        assert!(out.len() <= MAX_RECORD + 64, "{}", out.len());
        let rows = records(&out);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], [b"c".to_vec(), b"d".to_vec()]);
        assert!(!bound.take_cut_record(Some(4)), "the header is whole");
        assert!(bound.take_cut_record(Some(out.len() as u64 - 4)));
        assert!(!bound.take_cut_record(None));
    }
}
