//! The end of a plain all-quoted CSV row, found 64 bytes at a time without splitting its fields.
//!
//! Nine rows in ten of a big tenant's portal export belong to other services: the report needs
//! only their first fields (time, service, activity) and their width. The skimmer splits those
//! first fields; this finds where the rest of the row ends and how many fields it holds, from
//! bit masks of the quotes, delimiters and line ends of each 64-byte block (SSE2 compares, then
//! a prefix XOR of the quote mask gives which bytes lie inside quotes, the technique of
//! simdjson and simdcsv).
//!
//! It answers only for rows whose reading leaves no doubt — every field quoted (`""` inside
//! allowed), a delimiter right after each closing quote, ended by `\n` or `\r\n` — and `None`
//! for anything else, which the skimmer then reads field by field as before. A property test
//! holds every answer to the skimmer's own.

/// What the rest of a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rest {
    /// Offset just past the row's line end.
    pub end: usize,
    /// Fields from the start of the rest to the line end.
    pub fields: usize,
    /// Line ends in the rest, the row's own included.
    pub newlines: u64,
    /// Whether every byte of the rest is ASCII (else the caller checks it is UTF-8).
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

/// Masks of `block` (64 bytes): two 32-byte compares where the CPU has AVX2, else four
/// 16-byte SSE2 compares.
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; 64], delimiter: u8) -> Masks {
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU was just found to support AVX2.
        unsafe { masks_avx2(block, delimiter) }
    } else {
        masks_sse2(block, delimiter)
    }
}

/// [`masks`] with AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
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
    let bits = |v: __m256i| u64::from(_mm256_movemask_epi8(v) as u32);
    for k in 0..2 {
        // SAFETY: `block` holds 64 bytes, so 32 bytes from offset 32k are in bounds; loadu
        // has no alignment requirement.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * k).cast::<__m256i>()) };
        let shift = 32 * k;
        m.quote |= bits(_mm256_cmpeq_epi8(v, quote)) << shift;
        m.delimiter |= bits(_mm256_cmpeq_epi8(v, delim)) << shift;
        m.lf |= bits(_mm256_cmpeq_epi8(v, lf)) << shift;
        m.cr |= bits(_mm256_cmpeq_epi8(v, cr)) << shift;
        m.high |= bits(v) << shift;
    }
    m
}

/// [`masks`] with SSE2, which every x86_64 CPU has.
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
        let bits = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let shift = 16 * k;
            m.quote |= bits(_mm_cmpeq_epi8(v, quote)) << shift;
            m.delimiter |= bits(_mm_cmpeq_epi8(v, delim)) << shift;
            m.lf |= bits(_mm_cmpeq_epi8(v, lf)) << shift;
            m.cr |= bits(_mm_cmpeq_epi8(v, cr)) << shift;
            m.high |= bits(v) << shift;
        }
    }
    m
}

/// Masks of `block` (64 bytes), one byte at a time where there is no SSE2.
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64], delimiter: u8) -> Masks {
    scalar_masks(block, delimiter)
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
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

/// Bit `i` = XOR of bits `0..=i`: which bytes follow an odd number of quotes.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// Carried from one block to the next.
#[derive(Default)]
struct Carry {
    /// The last byte of the block was inside quotes.
    inside: bool,
    /// The last byte was a closing quote / a delimiter outside quotes.
    closing: bool,
    delimiter: bool,
}

/// The rest of the row that starts at `bytes[from]` (a field's opening quote), or `None` when
/// it is not a plain all-quoted row or its end is not in `bytes`.
pub(super) fn rest_of_row(bytes: &[u8], from: usize, delimiter: u8) -> Option<Rest> {
    if bytes.get(from) != Some(&b'"') || matches!(delimiter, b'"' | b'\n' | b'\r') {
        return None;
    }
    let mut carry = Carry::default();
    let (mut fields, mut newlines, mut ascii) = (1usize, 0u64, true);
    let mut base = from;
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
        let quote = m.quote & valid;
        let inside = prefix_xor(quote) ^ if carry.inside { !0 } else { 0 };
        let outside = !inside & valid;
        let row_end = m.lf & outside;
        // Bytes up to the line end (included), or the whole block.
        let upto = match row_end {
            0 => valid,
            e => (e ^ (e - 1)) & valid,
        };
        let before = upto & !row_end; // the row's bytes before its line end
        let closing = quote & outside;
        let separators = m.delimiter & outside & before;
        let after_closing = (closing << 1) | u64::from(carry.closing);
        let after_separator = (separators << 1) | u64::from(carry.delimiter);
        // A line feed ends the row; a carriage return only right before it.
        let cr_ok = row_end >> 1;
        let plain = after_closing & upto & !(m.delimiter | m.quote | row_end | (m.cr & cr_ok)) == 0
            // every separator follows a closing quote, and an opening quote follows it
            && separators & !after_closing == 0
            && after_separator & upto & !(quote & inside) == 0
            // outside quotes there is nothing but closing quotes, separators and the line end
            && outside & before & !(closing | separators | (m.cr & cr_ok)) == 0
            // a carriage return outside quotes must follow a closing quote
            && (m.cr & cr_ok & outside) & !after_closing == 0;
        if !plain {
            return None;
        }
        fields += separators.count_ones() as usize;
        newlines += u64::from((m.lf & upto).count_ones());
        ascii &= m.high & upto == 0;
        if row_end != 0 {
            let end = base + row_end.trailing_zeros() as usize + 1;
            return Some(Rest {
                end,
                fields,
                newlines,
                ascii,
            });
        }
        if len < 64 {
            return None;
        }
        carry = Carry {
            inside: inside >> 63 == 1,
            closing: closing >> 63 == 1,
            delimiter: separators >> 63 == 1,
        };
        base += 64;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rows_are_measured() {
        let row = b"\"a\",\"b, c\",\"\",\"x \"\"y\"\"\"\r\nnext";
        let rest = rest_of_row(row, 0, b',').expect("plain");
        assert_eq!(rest.end, row.len() - 4);
        assert_eq!(rest.fields, 4);
        assert_eq!(rest.newlines, 1);
        assert!(rest.ascii);
        let multi = "\"line\nbreak\",\"\u{3042}\"\n".as_bytes();
        let rest = rest_of_row(multi, 0, b',').expect("plain");
        assert_eq!((rest.fields, rest.newlines, rest.ascii), (2, 2, false));
    }

    #[test]
    fn doubtful_rows_are_left_alone() {
        for row in [
            &b"a,\"b\"\n"[..],   // unquoted first field
            b"\"a\",b\n",        // unquoted field
            b"\"a\"x,\"b\"\n",   // text after a closing quote
            b"\"a\",\"b\"\rx\n", // a lone carriage return
            b"\"a\",\n",         // empty unquoted last field
            b"\"a\",,\"b\"\n",   // empty unquoted field
            b"\"a\",\"b\"",      // no line end
            b"\"a\",\"b\n",      // ends inside quotes
            b"\"a\" ,\"b\"\n",   // a space after the closing quote
            b"\"a\"\r\r\n",      // two carriage returns
        ] {
            assert_eq!(
                rest_of_row(row, 0, b','),
                None,
                "{}",
                String::from_utf8_lossy(row)
            );
        }
    }

    #[test]
    fn blocks_agree_with_the_byte_loop() {
        let mut block = [0u8; 64];
        let mut rng = crate::synth::Rng::new(7);
        for _ in 0..500 {
            for b in block.iter_mut() {
                *b = [b'"', b',', b'\n', b'\r', b'a', 0xE3, 0x81, b';'][rng.below(8) as usize];
            }
            assert_eq!(masks(&block, b','), scalar_masks(&block, b','));
            assert_eq!(masks(&block, b';'), scalar_masks(&block, b';'));
            #[cfg(target_arch = "x86_64")]
            assert_eq!(masks_sse2(&block, b','), scalar_masks(&block, b','));
        }
    }
}
