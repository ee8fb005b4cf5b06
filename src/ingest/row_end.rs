//! A plain CSV row split in one pass, 64 bytes at a time.
//!
//! Nine rows in ten of a big tenant's export belong to other services: the report needs only
//! their first fields (time, service, activity) and their width. [`split_row`] finds the
//! row's end, its width and the spans of its first fields from bit masks of the quotes,
//! delimiters and line ends of each 64-byte block (SSE2 compares; AVX2 with POPCNT and a
//! carry-less multiply where the CPU has all three; a prefix XOR of the quote mask gives which
//! bytes lie inside quotes, the technique of simdjson and simdcsv), instead of walking the row
//! field by field and quote by quote.
//!
//! It answers only for rows whose reading leaves no doubt — each field quoted (`""` inside
//! allowed, a delimiter or the line end right after the closing quote) or holding no quote at
//! all, ended by `\n` or `\r\n` — and `None` for anything else, which the skimmer then splits
//! field by field as before. A property test holds every answer to the skimmer's own.

use super::bits;

/// What a split row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SplitRow {
    /// Offset just past the row's line end.
    pub end: usize,
    /// Fields of the row.
    pub fields: usize,
    /// Line ends in the row, its own included.
    pub newlines: u64,
    /// Whether every byte of the row is ASCII (else the caller checks it is UTF-8).
    pub ascii: bool,
}

/// Bit masks of one block: bit `i` describes byte `i`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Masks {
    quote: u64,
    delimiter: u64,
    lf: u64,
    cr: u64,
    high: u64,
}

/// Masks of `block` (64 bytes) with two 32-byte AVX2 compares.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
// Kept a call, as the JSON look's masks are: inlined, LLVM took the masks apart bit by bit
// through the stack (a 5M-row CSV: 3.2 -> 4.4 CPU-s).
#[inline(never)]
unsafe fn masks_avx2(block: &[u8; 64], delimiter: u8) -> Masks {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8,
    };
    let mut m = Masks::default();
    let (quote, delim) = (
        _mm256_set1_epi8(b'"' as i8),
        _mm256_set1_epi8(delimiter as i8),
    );
    let (lf, cr) = (_mm256_set1_epi8(b'\n' as i8), _mm256_set1_epi8(b'\r' as i8));
    let movemask = |v: __m256i| u64::from(_mm256_movemask_epi8(v) as u32);
    for k in 0..2 {
        // SAFETY: `block` holds 64 bytes, so 32 bytes from offset 32k are in bounds; loadu
        // has no alignment requirement.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * k).cast::<__m256i>()) };
        let shift = 32 * k;
        m.quote |= movemask(_mm256_cmpeq_epi8(v, quote)) << shift;
        m.delimiter |= movemask(_mm256_cmpeq_epi8(v, delim)) << shift;
        m.lf |= movemask(_mm256_cmpeq_epi8(v, lf)) << shift;
        m.cr |= movemask(_mm256_cmpeq_epi8(v, cr)) << shift;
        m.high |= movemask(v) << shift;
    }
    m
}

/// Masks of `block` (64 bytes) with four 16-byte SSE2 compares (every x86_64 CPU has SSE2).
#[cfg(target_arch = "x86_64")]
fn masks_sse2(block: &[u8; 64], delimiter: u8) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut m = Masks::default();
    // SAFETY: SSE2 is part of every x86_64 target, so these intrinsics are always available;
    // `block` holds 64 bytes, so each 16-byte load from offset 16k is in bounds, and `loadu`
    // has no alignment requirement.
    unsafe {
        let (quote, delim) = (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(delimiter as i8));
        let (lf, cr) = (_mm_set1_epi8(b'\n' as i8), _mm_set1_epi8(b'\r' as i8));
        let movemask = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let shift = 16 * k;
            m.quote |= movemask(_mm_cmpeq_epi8(v, quote)) << shift;
            m.delimiter |= movemask(_mm_cmpeq_epi8(v, delim)) << shift;
            m.lf |= movemask(_mm_cmpeq_epi8(v, lf)) << shift;
            m.cr |= movemask(_mm_cmpeq_epi8(v, cr)) << shift;
            m.high |= movemask(v) << shift;
        }
    }
    m
}

/// Masks of `block` (64 bytes), one byte at a time: where there is no SSE2, and the reference
/// of the others.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn scalar_masks(block: &[u8; 64], delimiter: u8) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        m.quote |= u64::from(b == b'"') * bit;
        m.delimiter |= u64::from(b == delimiter) * bit;
        m.lf |= u64::from(b == b'\n') * bit;
        m.cr |= u64::from(b == b'\r') * bit;
        m.high |= u64::from(b >= 0x80) * bit;
    }
    m
}

/// Carried from one block to the next.
struct Carry {
    /// The last byte of the block was inside quotes.
    inside: bool,
    /// The last byte was a closing quote.
    closing: bool,
    /// The next block starts a field (the last byte was a delimiter outside quotes; at the
    /// start of the row, true).
    field_start: bool,
    /// The last byte was a carriage return outside quotes: the next must end the row.
    carriage_return: bool,
}

/// What one block says about the row: which bytes are the row's, where its fields end.
struct Block {
    /// The row's bytes in the block, its line feed included.
    upto: u64,
    /// The row's line feed (at most one bit), or 0 when the row goes on.
    row_end: u64,
    /// Delimiters outside quotes, before the line end.
    separators: u64,
}

/// Reads one block's masks against the carry, or `None` when the row is not plain there.
/// `inside_quotes` is the prefix XOR of the quote mask.
#[inline(always)]
fn classify(
    m: &Masks,
    valid: u64,
    carry: &mut Carry,
    inside_quotes: impl Fn(u64) -> u64,
) -> Option<Block> {
    let quote = m.quote & valid;
    let inside = inside_quotes(quote) ^ if carry.inside { !0 } else { 0 };
    let outside = !inside & valid;
    let row_end = m.lf & outside;
    let row_end = row_end & row_end.wrapping_neg(); // the first one
    // Bytes up to the line end (included), or the whole block.
    let upto = match row_end {
        0 => valid,
        e => (e ^ (e - 1)) & valid,
    };
    let before = upto & !row_end;
    let closing = quote & outside & upto;
    let opening = quote & inside & upto;
    let separators = m.delimiter & outside & before;
    let after_closing = (closing << 1) | u64::from(carry.closing);
    let field_start = (separators << 1) | u64::from(carry.field_start);
    // A carriage return outside quotes only right before the line end — which may be the
    // next block's first byte.
    let last_cr = match row_end {
        0 => m.cr & outside & (1 << 63),
        _ => 0,
    };
    if carry.carriage_return && row_end & 1 == 0 {
        return None;
    }
    let cr_ok = (row_end >> 1) | last_cr;
    let plain =
        // after a closing quote: a delimiter, a doubled quote or the line end
        after_closing & upto & !(m.delimiter | m.quote | row_end | (m.cr & cr_ok)) == 0
            // a quote opens a field or doubles one; none inside an unquoted field
            && opening & !(field_start | after_closing) == 0
            && m.cr & outside & before & !cr_ok == 0;
    if !plain {
        return None;
    }
    *carry = Carry {
        inside: inside >> 63 == 1,
        closing: closing >> 63 == 1,
        field_start: separators >> 63 == 1,
        carriage_return: last_cr != 0,
    };
    Some(Block {
        upto,
        row_end,
        separators,
    })
}

/// Field `from..to` of `bytes` as the skimmer's span: the text between the quotes of a
/// quoted field (and whether it holds doubled quotes), or the unquoted text.
fn span(bytes: &[u8], from: usize, to: usize) -> (usize, usize, bool) {
    if bytes[from..to].first() == Some(&b'"') && to >= from + 2 {
        let text = (from + 1, to - 1);
        (
            text.0,
            text.1,
            memchr::memchr(b'"', &bytes[text.0..text.1]).is_some(),
        )
    } else {
        (from, to, false)
    }
}

/// Splits the plain row at the start of `bytes` in one pass, 64 bytes at a time: `spans` gets
/// the first `limit` fields (as [`super::skim`]'s splitting gives them), the result the whole
/// row. `None` when the row is not plain or its end is not in `bytes`.
///
/// Plain: each field either quoted (`""` inside allowed, a delimiter or the line end right
/// after the closing quote) or holding no quote at all; ended by `\n` or `\r\n`, with no
/// other carriage return outside quotes.
pub(super) fn split_row(
    bytes: &[u8],
    delimiter: u8,
    limit: usize,
    spans: &mut Vec<(usize, usize, bool)>,
) -> Option<SplitRow> {
    #[cfg(target_arch = "x86_64")]
    {
        if bits::has_fast_block_look() {
            // SAFETY: the CPU was just found to have AVX2, POPCNT and PCLMULQDQ.
            unsafe { split_row_avx2(bytes, delimiter, limit, spans) }
        } else {
            split_row_sse2(bytes, delimiter, limit, spans)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    split_row_with(
        bytes,
        delimiter,
        limit,
        spans,
        scalar_masks,
        bits::prefix_xor,
    )
}

/// [`split_row`] compiled for CPUs with AVX2, POPCNT and PCLMULQDQ (most x86_64 CPUs of the
/// last decade): masks of two 32-byte AVX2 compares, bits counted by POPCNT, the prefix XOR
/// one carry-less multiplication.
///
/// # Safety
/// The CPU must have AVX2, POPCNT and PCLMULQDQ ([`bits::has_fast_block_look`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,pclmulqdq")]
unsafe fn split_row_avx2(
    bytes: &[u8],
    delimiter: u8,
    limit: usize,
    spans: &mut Vec<(usize, usize, bool)>,
) -> Option<SplitRow> {
    // SAFETY: this function runs only where the CPU has all three.
    split_row_with(
        bytes,
        delimiter,
        limit,
        spans,
        |block, delimiter| unsafe { masks_avx2(block, delimiter) },
        |x| unsafe { bits::prefix_xor_clmul(x) },
    )
}

/// [`split_row`] with SSE2, which every x86_64 CPU has.
#[cfg(target_arch = "x86_64")]
pub(super) fn split_row_sse2(
    bytes: &[u8],
    delimiter: u8,
    limit: usize,
    spans: &mut Vec<(usize, usize, bool)>,
) -> Option<SplitRow> {
    split_row_with(bytes, delimiter, limit, spans, masks_sse2, bits::prefix_xor)
}

/// The body of [`split_row`], inlined into each of its compilations with the masks and the
/// prefix XOR of one instruction set.
#[inline(always)]
fn split_row_with(
    bytes: &[u8],
    delimiter: u8,
    limit: usize,
    spans: &mut Vec<(usize, usize, bool)>,
    masks: impl Fn(&[u8; 64], u8) -> Masks,
    inside_quotes: impl Fn(u64) -> u64,
) -> Option<SplitRow> {
    spans.clear();
    if matches!(delimiter, b'"' | b'\n' | b'\r') {
        return None;
    }
    let mut carry = Carry {
        inside: false,
        closing: false,
        field_start: true,
        carriage_return: false,
    };
    let (mut fields, mut newlines, mut ascii) = (1usize, 0u64, true);
    let mut field_from = 0;
    let mut base = 0;
    while base < bytes.len() {
        let len = (bytes.len() - base).min(64);
        let m = match bytes[base..].first_chunk::<64>() {
            Some(block) => masks(block, delimiter),
            None => {
                // The last bytes of the buffer, padded with bytes that mark nothing.
                let mut block = [0u8; 64];
                block[..len].copy_from_slice(&bytes[base..]);
                masks(&block, delimiter)
            }
        };
        let valid = if len == 64 { !0 } else { (1u64 << len) - 1 };
        let block = classify(&m, valid, &mut carry, &inside_quotes)?;
        let mut separators = block.separators;
        while separators != 0 && spans.len() < limit {
            let at = base + separators.trailing_zeros() as usize;
            spans.push(span(bytes, field_from, at));
            field_from = at + 1;
            separators &= separators - 1;
        }
        if separators != 0 {
            field_from = base + 64 - separators.leading_zeros() as usize;
        }
        fields += block.separators.count_ones() as usize;
        if fields + 1 >= super::csv_bound::MAX_FIELDS {
            // csv-core reads such a row, through the bounds on a record (csv_bound).
            return None;
        }
        newlines += u64::from((m.lf & block.upto).count_ones());
        ascii &= m.high & block.upto == 0;
        if block.row_end != 0 {
            let lf = base + block.row_end.trailing_zeros() as usize;
            if spans.len() < limit {
                let to = if lf > field_from && bytes[lf - 1] == b'\r' {
                    lf - 1
                } else {
                    lf
                };
                spans.push(span(bytes, field_from, to));
            }
            return Some(SplitRow {
                end: lf + 1,
                fields,
                newlines,
                ascii,
            });
        }
        if len < 64 {
            return None;
        }
        base += 64;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    type Spans = Vec<(usize, usize, bool)>;

    fn split(row: &[u8]) -> Option<(SplitRow, Spans)> {
        let mut spans = Vec::new();
        split_row(row, b',', usize::MAX, &mut spans).map(|rest| (rest, spans))
    }

    #[test]
    fn plain_rows_are_split() {
        let row = b"\"a\",\"b, c\",\"\",\"x \"\"y\"\"\"\r\nnext";
        let (rest, spans) = split(row).expect("plain");
        assert_eq!(rest.end, row.len() - 4);
        assert_eq!(rest.fields, 4);
        assert_eq!(rest.newlines, 1);
        assert!(rest.ascii);
        assert_eq!(
            spans,
            [
                (1, 2, false),
                (5, 9, false),
                (12, 12, false),
                (15, 22, true)
            ]
        );
        let multi = "\"line\nbreak\",\"\u{3042}\"\n".as_bytes();
        let (rest, _) = split(multi).expect("plain");
        assert_eq!((rest.fields, rest.newlines, rest.ascii), (2, 2, false));
        // Log Analytics rows mix quoted and unquoted fields, empty ones too.
        let mixed = b"t,\"10/4/2026, 2:59 PM\",,\"[{\"\"k\"\":1}]\",x\r\n";
        let (rest, spans) = split(mixed).expect("plain");
        assert_eq!(rest.fields, 5);
        let texts: Vec<&[u8]> = spans.iter().map(|&(a, b, _)| &mixed[a..b]).collect();
        assert_eq!(
            texts,
            [
                &b"t"[..],
                b"10/4/2026, 2:59 PM",
                b"",
                b"[{\"\"k\"\":1}]",
                b"x"
            ]
        );
        assert!(spans[3].2, "doubled quotes are marked");
        let (_, first) = {
            let mut spans = Vec::new();
            let rest = split_row(mixed, b',', 2, &mut spans).expect("plain");
            (rest, spans)
        };
        assert_eq!(first[..], spans[..2], "only the fields asked for");
    }

    #[test]
    fn doubtful_rows_are_left_alone() {
        for row in [
            &b"\"a\"x,\"b\"\n"[..], // text after a closing quote
            b"\"a\",\"b\"\rx\n",    // a lone carriage return
            b"a\rb,c\n",            // a lone carriage return in an unquoted field
            b"\"a\",\"b\"",         // no line end
            b"\"a\",\"b\n",         // ends inside quotes
            b"\"a\" ,\"b\"\n",      // a space after the closing quote
            b"\"a\"\r\r\n",         // two carriage returns
            b"a\"b,c\n",            // a quote inside an unquoted field
            b"\"\"abc,d\n",         // text after an empty quoted field
            b" \"a\",b\n",          // a quote after a space
        ] {
            assert_eq!(split(row), None, "{}", String::from_utf8_lossy(row));
        }
    }

    /// The SSE2 and AVX2 masks are those of the byte loop (the only ones elsewhere).
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn blocks_agree_with_the_byte_loop() {
        let mut block = [0u8; 64];
        let mut rng = crate::synth::Rng::new(7);
        for _ in 0..500 {
            for b in block.iter_mut() {
                *b = [b'"', b',', b'\n', b'\r', b'a', 0xE3, 0x81, b';'][rng.below(8) as usize];
            }
            for delimiter in [b',', b';'] {
                let want = scalar_masks(&block, delimiter);
                assert_eq!(masks_sse2(&block, delimiter), want);
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU was just found to have AVX2.
                    assert_eq!(unsafe { masks_avx2(&block, delimiter) }, want);
                }
            }
        }
    }
}
