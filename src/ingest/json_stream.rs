//! Streams the records of a JSON export one by one without loading the document: a bare array
//! (`[{…},{…}]`), a wrapper object whose `value` or `records` member holds the array (Graph
//! pages, portal download, diagnostic-settings blobs), or JSON lines (one object per line).
//!
//! The splitter only tracks strings and nesting; each record's bytes are handed to serde_json
//! separately, so one broken record is one reject and the rest of the file is still read, and a
//! file cut off in the middle keeps every record before the cut.

use super::bits;
use std::io::{BufRead, ErrorKind};

/// Largest single record accepted; a bigger one is rejected instead of growing memory.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// Largest record buffer kept for the next record (see [`JsonRecords::recycle`]).
const MAX_SPARE_BYTES: usize = 1 << 20;

/// Most values (members and array elements) in one record: serde_json's tree takes some 30
/// bytes per value and more, so 64 MiB of `1,1,1,…` took 1.8 GB. An export record has hundreds.
pub const MAX_RECORD_VALUES: usize = 1 << 18;

/// Longest string kept whole in a record; a longer one is cut here (at a character, never
/// inside an escape) and then to [`super::record::MAX_TEXT`] like any long field.
pub const MAX_STRING_BYTES: usize = super::csv_bound::MAX_FIELD;

/// One record's raw JSON and where it was.
#[derive(Debug)]
pub struct RawRecord {
    /// 1-based record number in the file.
    pub number: usize,
    /// 1-based line where the record starts.
    pub line: usize,
    /// The record's JSON text.
    pub bytes: Vec<u8>,
}

/// A problem that ends or skips part of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The document is not a JSON array, a wrapper with a record array, or JSON lines.
    NotRecordJson(String),
    /// The file ends inside a record or before the array is closed.
    Truncated { number: usize, line: usize },
    /// A record larger than [`MAX_RECORD_BYTES`] or of more than [`MAX_RECORD_VALUES`]
    /// values; it is skipped and reading goes on.
    TooLarge { number: usize, line: usize },
    /// Bytes between records that are not JSON punctuation.
    Garbage { line: usize, what: String },
    /// Reading the file failed.
    Io(String),
}

/// Shape of the document, found while reading its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Envelope {
    /// `[ … ]`
    BareArray,
    /// `{ "<member>": [ … ], … }`, e.g. `value` (Graph) or `records` (diagnostic settings).
    Wrapper { member: String },
    /// One JSON object per line.
    Lines,
}

/// Bytes the record splitter must look at one by one (the rest are copied in runs); a line feed
/// for the line count.
static STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let special = b"\"{}[],:\n";
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// The rest of an object or array whose opening bracket was just read, found whole in `buf`.
#[derive(Debug, PartialEq, Eq)]
struct QuickValue {
    /// Bytes up to and including the closing bracket.
    end: usize,
    /// Members and elements past the first (`,` and `:` outside strings).
    values: usize,
    /// Line feeds.
    newlines: usize,
}

/// Finds the end of the object or array that `buf` continues, in one pass over the buffer,
/// when it lies wholly in `buf` and none of its strings is longer than
/// [`MAX_STRING_BYTES`]; `None` otherwise (the byte-by-byte reader then takes it, cutting
/// long strings as it goes). Byte by byte between strings: the reference for [`quick_value`].
fn quick_value_bytewise(buf: &[u8]) -> Option<QuickValue> {
    let (mut depth, mut values) = (1usize, 0usize);
    let mut i = 0;
    while i < buf.len() {
        match buf[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                loop {
                    let at = j + memchr::memchr2(b'"', b'\\', buf.get(j..)?)?;
                    if buf[at] == b'\\' {
                        j = at + 2;
                        continue;
                    }
                    if at - start > MAX_STRING_BYTES {
                        return None;
                    }
                    i = at;
                    break;
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(QuickValue {
                        end: i + 1,
                        values,
                        newlines: memchr::memchr_iter(b'\n', &buf[..=i]).count(),
                    });
                }
            }
            b',' | b':' => values += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Bit masks of one 64-byte block of JSON: bit `i` describes byte `i`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct JsonMasks {
    quote: u64,
    backslash: u64,
    /// `{` or `[`.
    open: u64,
    /// `}` or `]`.
    close: u64,
    /// `,` or `:`.
    separator: u64,
    lf: u64,
}

/// Masks of `block` with four 16-byte SSE2 compares (every x86_64 CPU has SSE2).
#[cfg(target_arch = "x86_64")]
fn json_masks_sse2(block: &[u8; 64]) -> JsonMasks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut m = JsonMasks::default();
    // SAFETY: SSE2 is part of every x86_64 target, so these intrinsics are always available;
    // `block` holds 64 bytes, so each 16-byte load from offset 16k is in bounds, and `loadu`
    // has no alignment requirement.
    unsafe {
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        let (quote, backslash, lf) = (splat(b'"'), splat(b'\\'), splat(b'\n'));
        let (comma, colon) = (splat(b','), splat(b':'));
        // `[` and `{` differ only in bit 5, as `]` and `}` do: one compare finds both.
        let (bit5, open, close) = (splat(0x20), splat(b'{'), splat(b'}'));
        let movemask = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let folded = _mm_or_si128(v, bit5);
            let shift = 16 * k;
            m.quote |= movemask(_mm_cmpeq_epi8(v, quote)) << shift;
            m.backslash |= movemask(_mm_cmpeq_epi8(v, backslash)) << shift;
            m.open |= movemask(_mm_cmpeq_epi8(folded, open)) << shift;
            m.close |= movemask(_mm_cmpeq_epi8(folded, close)) << shift;
            let separator = _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, colon));
            m.separator |= movemask(separator) << shift;
            m.lf |= movemask(_mm_cmpeq_epi8(v, lf)) << shift;
        }
    }
    m
}

/// Masks of `block` with two 32-byte AVX2 compares.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
// Inlined into the loop, LLVM took the count of separators apart bit by bit through the stack,
// which made the whole look slower than SSE2's; behind a call it stays a POPCNT.
#[inline(never)]
unsafe fn json_masks_avx2(block: &[u8; 64]) -> JsonMasks {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };
    let mut m = JsonMasks::default();
    let splat = |b: u8| _mm256_set1_epi8(b as i8);
    let (quote, backslash, lf) = (splat(b'"'), splat(b'\\'), splat(b'\n'));
    let (comma, colon) = (splat(b','), splat(b':'));
    // `[` and `{` differ only in bit 5, as `]` and `}` do: one compare finds both.
    let (bit5, open, close) = (splat(0x20), splat(b'{'), splat(b'}'));
    let movemask = |v: __m256i| u64::from(_mm256_movemask_epi8(v) as u32);
    for k in 0..2 {
        // SAFETY: `block` holds 64 bytes, so 32 bytes from offset 32k are in bounds; loadu
        // has no alignment requirement.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * k).cast::<__m256i>()) };
        let folded = _mm256_or_si256(v, bit5);
        let shift = 32 * k;
        m.quote |= movemask(_mm256_cmpeq_epi8(v, quote)) << shift;
        m.backslash |= movemask(_mm256_cmpeq_epi8(v, backslash)) << shift;
        m.open |= movemask(_mm256_cmpeq_epi8(folded, open)) << shift;
        m.close |= movemask(_mm256_cmpeq_epi8(folded, close)) << shift;
        let separator = _mm256_or_si256(_mm256_cmpeq_epi8(v, comma), _mm256_cmpeq_epi8(v, colon));
        m.separator |= movemask(separator) << shift;
        m.lf |= movemask(_mm256_cmpeq_epi8(v, lf)) << shift;
    }
    m
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn scalar_json_masks(block: &[u8; 64]) -> JsonMasks {
    let mut m = JsonMasks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        m.quote |= u64::from(b == b'"') * bit;
        m.backslash |= u64::from(b == b'\\') * bit;
        m.open |= u64::from(matches!(b, b'{' | b'[')) * bit;
        m.close |= u64::from(matches!(b, b'}' | b']')) * bit;
        m.separator |= u64::from(matches!(b, b',' | b':')) * bit;
        m.lf |= u64::from(b == b'\n') * bit;
    }
    m
}

/// The bytes escaped by a backslash (simdjson's branchless method): the byte after each run
/// of an odd number of backslashes, and every second backslash of a run. `carry` says the
/// first byte of the block is escaped, and is set for the next block.
#[inline(always)]
fn escaped(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let backslash = backslash & !*carry;
    let follows_escape = (backslash << 1) | *carry;
    let odd_starts = backslash & !EVEN & !follows_escape;
    let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
    *carry = u64::from(overflow);
    (EVEN ^ (even_starts << 1)) & follows_escape
}

/// Finds the end of the object or array that `buf` continues, 64 bytes at a time: masks of
/// quotes, backslashes, brackets and separators, escaped quotes dropped and a prefix XOR of
/// the rest giving which bytes lie inside strings. The answer is [`quick_value_bytewise`]'s
/// (a property test holds them together); a backslash outside a string, which the byte-wise
/// reader passes over where the masks would take it for an escape, is left to that reader.
fn quick_value(buf: &[u8]) -> Option<QuickValue> {
    #[cfg(target_arch = "x86_64")]
    {
        if bits::has_fast_block_look() {
            // SAFETY: the CPU was just found to have AVX2, POPCNT and PCLMULQDQ.
            unsafe { quick_value_avx2(buf) }
        } else {
            quick_value_with(buf, json_masks_sse2, bits::prefix_xor)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    quick_value_with(buf, scalar_json_masks, bits::prefix_xor)
}

/// [`quick_value`] compiled for CPUs with AVX2, POPCNT and PCLMULQDQ (most x86_64 CPUs of the
/// last decade): masks of two 32-byte AVX2 compares, bits counted by POPCNT, the prefix XOR
/// one carry-less multiplication.
///
/// # Safety
/// The CPU must have AVX2, POPCNT and PCLMULQDQ ([`bits::has_fast_block_look`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,pclmulqdq")]
unsafe fn quick_value_avx2(buf: &[u8]) -> Option<QuickValue> {
    // SAFETY: this function runs only where the CPU has all three.
    quick_value_with(
        buf,
        |block| unsafe { json_masks_avx2(block) },
        |x| unsafe { bits::prefix_xor_clmul(x) },
    )
}

/// The body of [`quick_value`], inlined into each of its compilations with the masks and the
/// prefix XOR of one instruction set.
#[inline(always)]
fn quick_value_with(
    buf: &[u8],
    json_masks: impl Fn(&[u8; 64]) -> JsonMasks,
    prefix_xor: impl Fn(u64) -> u64,
) -> Option<QuickValue> {
    let (mut depth, mut values, mut newlines) = (1usize, 0usize, 0usize);
    let (mut inside, mut escape) = (false, 0u64);
    // Where the text of the string open at the end of the last block starts.
    let mut string_from = 0usize;
    let mut base = 0;
    while base < buf.len() {
        let len = (buf.len() - base).min(64);
        let m = match buf[base..].first_chunk::<64>() {
            Some(block) => json_masks(block),
            None => {
                // The last bytes of the buffer, padded with bytes that mark nothing.
                let mut block = [b' '; 64];
                block[..len].copy_from_slice(&buf[base..]);
                json_masks(&block)
            }
        };
        let quote = m.quote & !escaped(m.backslash, &mut escape);
        let in_string = prefix_xor(quote) ^ if inside { !0 } else { 0 };
        let (open, close) = (m.open & !in_string, m.close & !in_string);
        let end = closing_bracket(open, close, depth);
        // Bytes up to the closing bracket (included), or the whole block.
        let upto = end.map_or(!0, |at| !0 >> (63 - at));
        if m.backslash & !in_string & upto != 0 {
            return quick_value_bytewise(buf);
        }
        let quote = quote & upto;
        if quote != 0 {
            // Only a string open across blocks can be too long.
            if inside && base + quote.trailing_zeros() as usize - string_from > MAX_STRING_BYTES {
                return None;
            }
            if in_string & (1 << (63 - quote.leading_zeros())) != 0 {
                string_from = base + 64 - quote.leading_zeros() as usize;
            }
        }
        values += (m.separator & !in_string & upto).count_ones() as usize;
        newlines += (m.lf & upto).count_ones() as usize;
        if let Some(at) = end {
            let end = base + at as usize + 1;
            return (end <= buf.len()).then_some(QuickValue {
                end,
                values,
                newlines,
            });
        }
        depth = depth + open.count_ones() as usize - close.count_ones() as usize;
        inside = in_string >> 63 == 1;
        base += 64;
    }
    None
}

/// Where in a block the bracket that closes the value is, `depth` brackets being open.
fn closing_bracket(open: u64, close: u64, depth: usize) -> Option<u32> {
    if close.count_ones() as usize >= depth {
        let (mut depth, mut brackets) = (depth, open | close);
        while brackets != 0 {
            let at = brackets.trailing_zeros();
            if close >> at & 1 == 1 {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            } else {
                depth += 1;
            }
            brackets &= brackets - 1;
        }
    }
    None
}

/// Bytes of the value being read, kept up to a limit; a value past the limit is still scanned
/// to its end, so the stream stays in step.
struct Capture {
    bytes: Vec<u8>,
    limit: usize,
    overflowed: bool,
    /// Values counted so far (members and elements past the first).
    values: usize,
    /// Bytes of the value as written, kept or not.
    raw: usize,
}

impl Capture {
    fn keep(limit: usize) -> Self {
        Self::keep_in(Vec::with_capacity(1024.min(limit)), limit)
    }

    /// Keeps the value in `bytes` (emptied first), a buffer handed back by the caller.
    fn keep_in(mut bytes: Vec<u8>, limit: usize) -> Self {
        bytes.clear();
        Capture {
            bytes,
            limit,
            overflowed: false,
            values: 0,
            raw: 0,
        }
    }

    fn discard() -> Self {
        Capture {
            bytes: Vec::new(),
            limit: 0,
            overflowed: false,
            values: 0,
            raw: 0,
        }
    }

    fn push(&mut self, b: u8) {
        self.extend(&[b]);
    }

    fn extend(&mut self, bytes: &[u8]) {
        self.raw += bytes.len();
        if self.overflowed || self.raw > self.limit {
            self.overflow();
        } else {
            self.bytes.extend_from_slice(bytes);
        }
    }

    /// Counts bytes of the record that are not kept (the rest of a cut string): the record's
    /// size is its size as written.
    fn skip(&mut self, n: usize) {
        self.raw += n;
        if self.raw > self.limit && !self.overflowed {
            self.overflow();
        }
    }

    fn overflow(&mut self) {
        self.overflowed = true;
        self.bytes = Vec::new();
    }

    /// Counts one more value; past [`MAX_RECORD_VALUES`] the record is not kept.
    fn count_value(&mut self) {
        self.values += 1;
        if self.values > MAX_RECORD_VALUES && !self.overflowed {
            self.overflow();
        }
    }

    /// After a string was cut at `from + MAX_STRING_BYTES`: drops an escape the cut left
    /// incomplete (`\u12`, a lone `\`, a high surrogate without its pair), so the record
    /// stays valid JSON.
    fn end_cut_string(&mut self, from: usize) {
        if self.overflowed {
            return;
        }
        let bytes = &mut self.bytes;
        let window = bytes.len().saturating_sub(12).max(from);
        if let Some(p) = memchr::memchr(b'\\', &bytes[window..]) {
            let mut at = window + p;
            while at > from && bytes[at - 1] == b'\\' {
                at -= 1;
            }
            bytes.truncate(at);
        }
        let n = bytes.len();
        if n >= from + 6 {
            let tail = &bytes[n - 6..];
            let high = tail[0] == b'\\'
                && tail[1] == b'u'
                && tail[2].eq_ignore_ascii_case(&b'd')
                && matches!(tail[3].to_ascii_lowercase(), b'8'..=b'9' | b'a' | b'b');
            if high {
                bytes.truncate(n - 6);
            }
        }
    }
}

enum State {
    Start,
    Elements,
    Done,
}

/// Iterator over the records of a JSON export.
pub struct JsonRecords<R> {
    reader: R,
    state: State,
    envelope: Option<Envelope>,
    /// Top-level scalar members seen before the array (`@odata.context`, …).
    pub top_level_keys: Vec<String>,
    line: usize,
    number: usize,
    /// Peeked byte (the reader has no cheap unread).
    peeked: Option<u8>,
    /// Largest record kept.
    max_record: usize,
    /// Whether a record found whole in the buffer is taken in one pass ([`quick_value`]).
    quick: bool,
    /// A record's buffer handed back by [`JsonRecords::recycle`], filled with the next record.
    spare: Vec<u8>,
}

impl<R: BufRead> JsonRecords<R> {
    /// Starts reading `reader`; `lines` selects JSON-lines mode (decided by the sniffer).
    pub fn new(reader: R, lines: bool) -> Self {
        JsonRecords {
            reader,
            state: if lines { State::Elements } else { State::Start },
            envelope: if lines { Some(Envelope::Lines) } else { None },
            top_level_keys: Vec::new(),
            line: 1,
            number: 0,
            peeked: None,
            max_record: MAX_RECORD_BYTES,
            quick: true,
            spare: Vec::new(),
        }
    }

    /// Sets the largest record kept (tests use a small one).
    pub fn with_max_record(mut self, bytes: usize) -> Self {
        self.max_record = bytes;
        self
    }

    /// Takes back the bytes of a record that has been read, to hold the next one: one buffer
    /// for the whole file instead of an allocation (and its growth) per record.
    /// A buffer grown by a rare huge record is let go rather than held to the end.
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        if bytes.capacity() <= MAX_SPARE_BYTES {
            self.spare = bytes;
        }
    }

    /// The document shape, once the first record (or the end) has been reached.
    pub fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }

    fn next_byte(&mut self) -> Result<Option<u8>, StreamError> {
        if let Some(b) = self.peeked.take() {
            return Ok(Some(b));
        }
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::Io(e.to_string())),
            };
            let Some(&b) = buf.first() else {
                return Ok(None);
            };
            self.reader.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
            return Ok(Some(b));
        }
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, StreamError> {
        loop {
            match self.next_byte()? {
                Some(b' ' | b'\t' | b'\r' | b'\n') => continue,
                // A BOM that survived decoding (UTF-8 BOM bytes) is whitespace here.
                Some(0xEF) => {
                    let _ = self.next_byte()?;
                    let _ = self.next_byte()?;
                }
                other => return Ok(other),
            }
        }
    }

    /// Reads a JSON string body after its opening quote into `out` (escapes kept). Returns
    /// false at end of input.
    fn read_string(&mut self, out: &mut Capture) -> Result<bool, StreamError> {
        let mut escaped = false;
        // Where the string's text starts in `out`, and whether it was cut.
        let from = out.bytes.len();
        let mut cut = false;
        loop {
            // Fast path: copy runs of plain bytes straight from the buffer.
            if self.peeked.is_none() && !escaped {
                let buf = match self.reader.fill_buf() {
                    Ok(b) => b,
                    Err(e) => return Err(StreamError::Io(e.to_string())),
                };
                if buf.is_empty() {
                    return Ok(false);
                }
                let stop = memchr::memchr3(b'"', b'\\', b'\n', buf).unwrap_or(buf.len());
                if stop > 0 {
                    let room = (from + MAX_STRING_BYTES).saturating_sub(out.bytes.len());
                    let mut keep = if cut { 0 } else { room.min(stop) };
                    // A cut falls between characters.
                    while keep > 0 && keep < stop && buf[keep] & 0xC0 == 0x80 {
                        keep -= 1;
                    }
                    out.extend(&buf[..keep]);
                    out.skip(stop - keep);
                    if keep < stop && !cut {
                        cut = true;
                        out.end_cut_string(from);
                    }
                    self.reader.consume(stop);
                    continue;
                }
            }
            let Some(b) = self.next_byte()? else {
                return Ok(false);
            };
            let closing = b == b'"' && !escaped;
            if !cut && out.bytes.len() >= from + MAX_STRING_BYTES && !closing {
                cut = true;
                out.end_cut_string(from);
            }
            if !cut || closing {
                out.push(b);
            } else {
                out.skip(1);
            }
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                return Ok(true);
            }
        }
    }

    /// Skips one JSON value of the wrapper object (not a record array) without keeping it.
    fn skip_value(&mut self, first: u8) -> Result<(), StreamError> {
        let mut sink = Capture::discard();
        if self.capture_value(first, &mut sink)? {
            Ok(())
        } else {
            Err(StreamError::Truncated {
                number: self.number + 1,
                line: self.line,
            })
        }
    }

    /// Reads one complete JSON value, keeping its bytes in `out` up to its limit. Returns false
    /// at end of input.
    fn capture_value(&mut self, first: u8, out: &mut Capture) -> Result<bool, StreamError> {
        out.push(first);
        match first {
            b'"' => return self.read_string(out),
            b'{' | b'[' => {}
            _ => loop {
                // Scalar: up to the next delimiter.
                match self.next_byte()? {
                    None => return Ok(true),
                    Some(b @ (b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')) => {
                        // Pushed back; the line counter already counted a newline once.
                        self.peeked = Some(b);
                        return Ok(true);
                    }
                    Some(b) => out.push(b),
                }
            },
        }
        if self.quick
            && self.peeked.is_none()
            && let Ok(buf) = self.reader.fill_buf()
            && let Some(quick) = quick_value(buf)
            && out.raw + quick.end <= out.limit
            && out.values + quick.values <= MAX_RECORD_VALUES
            && !out.overflowed
        {
            out.extend(&buf[..quick.end]);
            out.values += quick.values;
            self.line += quick.newlines;
            self.reader.consume(quick.end);
            return Ok(true);
        }
        let mut depth: usize = 1;
        loop {
            // Fast path: copy runs of bytes that change nothing here (white space, numbers,
            // literals) straight from the buffer.
            if self.peeked.is_none() {
                let buf = match self.reader.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(StreamError::Io(e.to_string())),
                };
                let stop = buf
                    .iter()
                    .position(|&b| STRUCTURAL[usize::from(b)])
                    .unwrap_or(buf.len());
                if stop > 0 {
                    out.extend(&buf[..stop]);
                    self.reader.consume(stop);
                    continue;
                }
            }
            let Some(b) = self.next_byte()? else {
                return Ok(false);
            };
            out.push(b);
            match b {
                b'"' if !self.read_string(out)? => return Ok(false),
                b',' | b':' => out.count_value(),
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(true);
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the document start up to the first record of the array.
    fn open(&mut self) -> Result<bool, StreamError> {
        match self.skip_ws()? {
            Some(b'[') => {
                self.envelope = Some(Envelope::BareArray);
                Ok(true)
            }
            Some(b'{') => loop {
                match self.skip_ws()? {
                    Some(b'"') => {}
                    Some(b'}') => {
                        return Err(StreamError::NotRecordJson(
                            "the JSON object has no \"value\" or \"records\" array of records"
                                .into(),
                        ));
                    }
                    Some(b',') => continue,
                    None => {
                        return Err(StreamError::Truncated {
                            number: 1,
                            line: self.line,
                        });
                    }
                    Some(other) => {
                        return Err(StreamError::NotRecordJson(format!(
                            "unexpected '{}' in the JSON object",
                            other as char
                        )));
                    }
                }
                let mut key = Capture::keep(4096);
                if !self.read_string(&mut key)? {
                    return Err(StreamError::Truncated {
                        number: 1,
                        line: self.line,
                    });
                }
                key.bytes.pop();
                let key = String::from_utf8_lossy(&key.bytes).into_owned();
                if self.skip_ws()? != Some(b':') {
                    return Err(StreamError::NotRecordJson(format!(
                        "expected ':' after \"{key}\""
                    )));
                }
                let Some(first) = self.skip_ws()? else {
                    return Err(StreamError::Truncated {
                        number: 1,
                        line: self.line,
                    });
                };
                let is_records =
                    key.eq_ignore_ascii_case("value") || key.eq_ignore_ascii_case("records");
                if is_records && first == b'[' {
                    self.envelope = Some(Envelope::Wrapper { member: key });
                    return Ok(true);
                }
                self.top_level_keys.push(key);
                self.skip_value(first)?;
            },
            Some(other) => Err(StreamError::NotRecordJson(format!(
                "a JSON export starts with '[' or '{{', this file with '{}'",
                other as char
            ))),
            None => Ok(false),
        }
    }

    /// Next record of the array (or line), `None` at the end.
    pub fn next_record(&mut self) -> Option<Result<RawRecord, StreamError>> {
        loop {
            match self.state {
                State::Done => return None,
                State::Start => match self.open() {
                    Ok(true) => self.state = State::Elements,
                    Ok(false) => {
                        self.state = State::Done;
                        return None;
                    }
                    Err(e) => {
                        self.state = State::Done;
                        return Some(Err(e));
                    }
                },
                State::Elements => return self.next_element(),
            }
        }
    }

    fn next_element(&mut self) -> Option<Result<RawRecord, StreamError>> {
        let lines = self.envelope == Some(Envelope::Lines);
        let first = loop {
            match self.skip_ws() {
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
                Ok(None) => {
                    self.state = State::Done;
                    if lines {
                        return None;
                    }
                    // The array was never closed: the file was cut off between records.
                    return Some(Err(StreamError::Truncated {
                        number: self.number + 1,
                        line: self.line,
                    }));
                }
                Ok(Some(b',')) if !lines => continue,
                Ok(Some(b']')) if !lines => {
                    self.state = State::Done;
                    return None;
                }
                Ok(Some(b)) => break b,
            }
        };
        self.number += 1;
        let (number, line) = (self.number, self.line);
        let spare = std::mem::take(&mut self.spare);
        let mut capture = if spare.capacity() > 0 {
            Capture::keep_in(spare, self.max_record)
        } else {
            Capture::keep(self.max_record)
        };
        match self.capture_value(first, &mut capture) {
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
            Ok(false) => {
                self.state = State::Done;
                Some(Err(StreamError::Truncated { number, line }))
            }
            // Scanned to its end but not kept: the records after it are still read.
            Ok(true) if capture.overflowed => Some(Err(StreamError::TooLarge { number, line })),
            Ok(true) => {
                if lines {
                    // Anything after the object on the same line is garbage.
                    if let Err(e) = self.expect_line_end() {
                        return Some(Err(e));
                    }
                }
                Some(Ok(RawRecord {
                    number,
                    line,
                    bytes: capture.bytes,
                }))
            }
        }
    }

    fn expect_line_end(&mut self) -> Result<(), StreamError> {
        loop {
            match self.next_byte()? {
                None | Some(b'\n') => return Ok(()),
                Some(b' ' | b'\t' | b'\r') => continue,
                Some(b) => {
                    let line = self.line;
                    let mut what = vec![b];
                    while let Some(c) = self.next_byte()? {
                        if c == b'\n' {
                            break;
                        }
                        if what.len() < 40 {
                            what.push(c);
                        }
                    }
                    return Err(StreamError::Garbage {
                        line,
                        what: String::from_utf8_lossy(&what).into_owned(),
                    });
                }
            }
        }
    }
}

/// Whether text looks like JSON lines: the first line holds one complete object and another
/// object follows on a later line.
pub fn looks_like_json_lines(head: &str) -> bool {
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if !first.starts_with('{') || !first.ends_with('}') {
        return false;
    }
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(first)
    else {
        return false;
    };
    match lines.next() {
        Some(second) => second.starts_with('{'),
        // A single line: one record, unless it is a minified wrapper document (a Graph page).
        None => !obj.iter().any(|(k, v)| {
            v.is_array() && (k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("records"))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values in 64-byte blocks answer as byte by byte: brackets, separators and line feeds
    /// in and out of strings, runs of backslashes (even, odd, across a block's end), a
    /// backslash outside a string, unclosed values, and strings about the length limit.
    #[test]
    fn the_block_look_finds_values_as_the_byte_wise_one() {
        let pieces: [&[u8]; 20] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b"\"",
            b"\\",
            b"\\\\",
            b"\\\\\\",
            b"\\\"",
            b"\n",
            b"    ",
            b"\"k\": \"v\"",
            b"\"x\\\"y\"",
            b"\"\\\\\"",
            b"\"a,b:c]}\"",
            b"\"\xc3\xa9\"",
            b"1234567890123456789012345678901",
            b"null",
        ];
        let mut rng = crate::synth::Rng::new(29);
        let mut found = 0;
        for case in 0..40_000 {
            let mut buf = Vec::new();
            for _ in 0..rng.below(80) {
                buf.extend_from_slice(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            if case % 3 == 0 {
                // Mostly well-formed: close what the pieces left open.
                buf.extend_from_slice(b"\"}]]}}");
            }
            let got = quick_value(&buf);
            found += usize::from(got.is_some());
            let want = quick_value_bytewise(&buf);
            assert_eq!(got, want, "case {case}: {}", String::from_utf8_lossy(&buf));
            // The SSE2 compilation (a CPU without AVX2 takes it) answers the same.
            #[cfg(target_arch = "x86_64")]
            assert_eq!(
                quick_value_with(&buf, json_masks_sse2, bits::prefix_xor),
                want,
                "SSE2, case {case}"
            );
        }
        assert!(found > 4000, "only {found} values ended");
        for pad in 0..3 {
            for long in [MAX_STRING_BYTES - 1, MAX_STRING_BYTES, MAX_STRING_BYTES + 1] {
                let mut buf = vec![b' '; pad];
                buf.extend_from_slice(b"\"k\":\"");
                buf.extend(std::iter::repeat_n(b'a', long - 2));
                buf.extend_from_slice(b"\\\"\",\"n\":1}");
                let got = quick_value(&buf);
                assert_eq!(got, quick_value_bytewise(&buf), "pad {pad} long {long}");
                assert_eq!(
                    got.is_some(),
                    long <= MAX_STRING_BYTES,
                    "pad {pad} long {long}"
                );
            }
        }
    }

    /// The masks of the block look, SSE2 and AVX2, are those of the one-byte-at-a-time masks
    /// (which are the only ones elsewhere).
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn block_masks_match_the_scalar_ones() {
        const ALPHABET: &[u8] = b"{}[],:\"\\\n a\x7b\x5b\xfb\xdb\x0c\x1a\x7d\x5d";
        let mut rng = crate::synth::Rng::new(31);
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in block.iter_mut() {
                *b = ALPHABET[rng.below(ALPHABET.len() as u64) as usize];
            }
            let want = scalar_json_masks(&block);
            assert_eq!(json_masks_sse2(&block), want);
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU was just found to have AVX2.
                assert_eq!(unsafe { json_masks_avx2(&block) }, want);
            }
        }
    }

    fn collect(text: &str, lines: bool) -> (Vec<String>, Vec<StreamError>, Option<Envelope>) {
        let mut it = JsonRecords::new(text.as_bytes(), lines);
        let (mut ok, mut err) = (Vec::new(), Vec::new());
        while let Some(r) = it.next_record() {
            match r {
                Ok(rec) => ok.push(String::from_utf8(rec.bytes).expect("utf8")),
                Err(e) => err.push(e),
            }
        }
        (ok, err, it.envelope().cloned())
    }

    #[test]
    fn bare_array_and_wrapper() {
        let (ok, err, env) = collect(r#"[{"a":"x]}"}, {"b":[1,{"c":"\""}]}]"#, false);
        assert_eq!(ok, vec![r#"{"a":"x]}"}"#, r#"{"b":[1,{"c":"\""}]}"#]);
        assert!(err.is_empty());
        assert_eq!(env, Some(Envelope::BareArray));
        let (ok, _, env) = collect(
            r#"{"@odata.context":"x","value":[{"id":1},{"id":2}],"@odata.nextLink":"y"}"#,
            false,
        );
        assert_eq!(ok.len(), 2);
        assert_eq!(
            env,
            Some(Envelope::Wrapper {
                member: "value".into()
            })
        );
    }

    #[test]
    fn truncation_keeps_earlier_records() {
        let (ok, err, _) = collect(r#"[{"id":1},{"id":2},{"id":"3"#, false);
        assert_eq!(ok.len(), 2);
        assert_eq!(err, vec![StreamError::Truncated { number: 3, line: 1 }]);
        let (ok, err, _) = collect("[{\"id\":1},\n", false);
        assert_eq!(ok.len(), 1);
        assert_eq!(err, vec![StreamError::Truncated { number: 2, line: 2 }]);
    }

    #[test]
    fn json_lines_with_garbage() {
        // A line with text after its object is one rejected line, not a record plus garbage.
        let (ok, err, _) = collect("{\"a\":1}\n{\"a\":2} trailing\n\n{\"a\":3}\n", true);
        assert_eq!(ok.len(), 2);
        assert_eq!(
            err,
            vec![StreamError::Garbage {
                line: 2,
                what: "trailing".into()
            }]
        );
        assert!(looks_like_json_lines("{\"a\":1}\n{\"a\":2}"));
        assert!(!looks_like_json_lines("{\"a\":\n1}"));
        assert!(
            !looks_like_json_lines(r#"{"@odata.context":"x","value":[{"id":1}]}"#),
            "a minified page"
        );
        assert!(
            looks_like_json_lines(r#"{"id":1,"activityDisplayName":"x"}"#),
            "one record on one line"
        );
    }

    #[test]
    fn an_oversized_record_is_skipped_and_reading_goes_on() {
        let text = r#"{"skip":{"big":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},"value":[{"id":1},{"id":"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},{"id":3}]}"#;
        let mut it = JsonRecords::new(text.as_bytes(), false).with_max_record(30);
        let mut got = Vec::new();
        while let Some(r) = it.next_record() {
            got.push(r.map(|rec| String::from_utf8(rec.bytes).expect("utf8")));
        }
        assert_eq!(
            got,
            vec![
                Ok(r#"{"id":1}"#.to_string()),
                Err(StreamError::TooLarge { number: 2, line: 1 }),
                Ok(r#"{"id":3}"#.to_string()),
            ]
        );
    }

    /// A string past [`MAX_STRING_BYTES`] is cut between characters and outside escapes, so
    /// the record stays valid JSON (serde reads it), and the record after it is read.
    #[test]
    fn a_long_string_is_cut_and_the_record_stays_json() {
        let bodies = [
            "é".repeat(MAX_STRING_BYTES),
            "\\u00e9".repeat(MAX_STRING_BYTES / 5),
            "\\ud83d\\ude00".repeat(MAX_STRING_BYTES / 7),
            "a\\\\".repeat(MAX_STRING_BYTES / 2),
            format!("{}\\\"", "x".repeat(MAX_STRING_BYTES - 1)),
        ];
        for (k, body) in bodies.iter().enumerate() {
            for pad in 0..13 {
                let text = format!(r#"[{{"m":"{}{body}","n":1}},{{"id":2}}]"#, "p".repeat(pad));
                let (ok, err, _) = collect(&text, false);
                assert!(err.is_empty(), "body {k} pad {pad}: {err:?}");
                assert_eq!(ok.len(), 2);
                let v: serde_json::Value = serde_json::from_str(&ok[0])
                    .unwrap_or_else(|e| panic!("body {k} pad {pad}: {e}"));
                let m = v["m"].as_str().expect("text");
                assert!(
                    m.len() <= MAX_STRING_BYTES && m.len() > MAX_STRING_BYTES / 4,
                    "body {k}"
                );
                assert_eq!(v["n"], 1);
            }
        }
    }

    /// 64 MiB of `1,1,1,…` took 1.8 GB as a serde tree: a record of too many values is
    /// skipped like one too large.
    #[test]
    fn a_record_of_too_many_values_is_skipped() {
        let text = format!(
            r#"[{{"a":[{}1]}},{{"id":2}}]"#,
            "1,".repeat(MAX_RECORD_VALUES)
        );
        let (ok, err, _) = collect(&text, false);
        assert_eq!(ok, [r#"{"id":2}"#]);
        assert_eq!(err, [StreamError::TooLarge { number: 1, line: 1 }]);
        let text = format!(r#"[{{"a":[{}1]}}]"#, "1,".repeat(MAX_RECORD_VALUES - 2));
        assert_eq!(collect(&text, false).0.len(), 1);
    }

    #[test]
    fn a_recycled_buffer_holds_the_next_record() {
        let text = r#"[{"a":1},{"b":2},{"c":3}]"#;
        let mut it = JsonRecords::new(text.as_bytes(), false);
        let first = it.next_record().and_then(Result::ok).expect("record 1");
        assert_eq!(first.bytes, br#"{"a":1}"#);
        // A buffer the stream would never make itself, holding stale bytes.
        let mut spare = Vec::with_capacity(5000);
        spare.extend_from_slice(b"stale");
        let at = spare.as_ptr();
        it.recycle(spare);
        let second = it.next_record().and_then(Result::ok).expect("record 2");
        assert_eq!(second.bytes, br#"{"b":2}"#, "emptied before it is filled");
        assert_eq!(
            (second.bytes.as_ptr(), second.bytes.capacity()),
            (at, 5000),
            "the same buffer"
        );
        it.recycle(Vec::with_capacity(MAX_SPARE_BYTES + 1));
        let third = it.next_record().and_then(Result::ok).expect("record 3");
        assert_eq!(third.bytes, br#"{"c":3}"#);
        assert!(
            third.bytes.capacity() <= MAX_SPARE_BYTES,
            "a huge buffer is let go"
        );
    }

    #[test]
    fn not_records() {
        let (ok, err, _) = collect(r#"{"name":"x"}"#, false);
        assert!(ok.is_empty());
        assert!(matches!(err[0], StreamError::NotRecordJson(_)));
        let (_, err, _) = collect("hello", false);
        assert!(matches!(err[0], StreamError::NotRecordJson(_)));
    }

    /// Every record, error and line number, with or without the one-pass look at records
    /// that lie whole in the buffer.
    fn stream_outcome(text: &[u8], lines: bool, capacity: usize, quick: bool) -> String {
        let reader = std::io::BufReader::with_capacity(capacity, text);
        let mut it = JsonRecords::new(reader, lines).with_max_record(4096);
        it.quick = quick;
        let mut out = String::new();
        while let Some(r) = it.next_record() {
            match r {
                Ok(rec) => {
                    out.push_str(&format!(
                        "{} {} {}\n",
                        rec.number,
                        rec.line,
                        String::from_utf8_lossy(&rec.bytes)
                    ));
                    // The fast way also fills one recycled buffer, the slow way a new one.
                    if quick {
                        it.recycle(rec.bytes);
                    }
                }
                Err(e) => out.push_str(&format!("{e:?}\n")),
            }
        }
        out + &it.line.to_string()
    }

    #[test]
    fn the_one_pass_look_reads_records_as_byte_by_byte() {
        let pieces: [&[u8]; 16] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b"\"",
            b"\\",
            b"\\\"",
            b"\n",
            b" ",
            b"1",
            b"\"k\":\"v\"",
            b"\"x\\\"y\"",
            b"\"\\u12\"",
            b"null",
        ];
        let mut rng = crate::synth::Rng::new(11);
        let mut next = move |n: u64| rng.below(n);
        for case in 0..3000 {
            let mut doc = b"[".to_vec();
            for _ in 0..next(60) {
                doc.extend_from_slice(pieces[next(16) as usize]);
            }
            if case % 7 == 0 {
                // A string past the cut length and a record past the size limit.
                doc.extend_from_slice(b"{\"long\":\"");
                doc.extend(std::iter::repeat_n(b'a', MAX_STRING_BYTES + 3));
                doc.extend_from_slice(b"\"}");
            }
            doc.extend_from_slice(b"]");
            if case % 2 == 0 {
                // Well-formed records, compact and pretty, as exports write them.
                let records: [&[u8]; 5] = [
                    b"{\"a\":\"x\\\"y\",\"b\":[1,{\"c\":\"d\"}],\"e\":null}",
                    b"{\n  \"id\": \"1\",\n  \"t\": [\n    {\"k\": \"}]\\\\\"}\n  ]\n}",
                    b"{}",
                    b"{\"s\":\"\\u00e9\\n\",\"n\":-1.5e3}",
                    b"{\"deep\":[[[[{\"x\":[]}]]]]}",
                ];
                doc = b"[".to_vec();
                for k in 0..1 + next(12) {
                    if k > 0 {
                        doc.extend_from_slice(if next(2) == 0 { b",\n" } else { b"," });
                    }
                    doc.extend_from_slice(records[next(5) as usize]);
                }
                doc.extend_from_slice(b"]");
            }
            let lines = case % 5 == 0 && case % 2 == 1;
            for capacity in [8, 64, 4096] {
                assert_eq!(
                    stream_outcome(&doc, lines, capacity, true),
                    stream_outcome(&doc, lines, capacity, false),
                    "case {case} capacity {capacity}: {}",
                    String::from_utf8_lossy(&doc)
                );
            }
        }
    }
}
