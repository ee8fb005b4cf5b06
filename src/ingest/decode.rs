//! Text encodings of exported files: UTF-8 with or without BOM, UTF-16LE/BE with BOM (Event
//! Viewer TXT, PowerShell `Out-File`), and Shift_JIS/CP932 (a CSV re-saved by Japanese Excel).
//! Detection looks at the head of the file; decoding then streams, so memory does not follow
//! the file size.

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};
use std::fmt;
use std::io::Read;

/// How many bytes of a file the sniffers look at.
pub const HEAD_LEN: usize = 64 * 1024;

pub use crate::model::inputs::TextEncoding;

impl TextEncoding {
    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => UTF_8,
            TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::ShiftJis => SHIFT_JIS,
        }
    }
}

/// Why a file's bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndecodableText {
    /// Bytes of no supported encoding.
    NotText,
    /// NUL bytes outside UTF-16: binary data, or a zeroed or sparse file (a copy that never
    /// got its data); `only`: the whole head is NUL.
    Nul { only: bool },
}

impl fmt::Display for UndecodableText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UndecodableText::NotText => {
                "the bytes are not text in a supported encoding (UTF-8, UTF-16 with BOM, Shift_JIS)"
            }
            UndecodableText::Nul { only: true } => {
                "the file starts with nothing but NUL bytes (a zeroed, sparse or never-written file), not an export"
            }
            UndecodableText::Nul { only: false } => {
                "the file holds NUL bytes, which no text export (UTF-8 or Shift_JIS) has: binary data, not an export"
            }
        })
    }
}

/// Decides the encoding from the first bytes of a file. `complete` says that `head` is the
/// whole file (so a multi-byte sequence cut at its end is an error, not a buffer boundary).
pub fn sniff(head: &[u8], complete: bool) -> Result<TextEncoding, UndecodableText> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(TextEncoding::Utf8Bom);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Ok(TextEncoding::Utf16Le);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Ok(TextEncoding::Utf16Be);
    }
    // UTF-16 text of ASCII-range characters has a zero in every odd byte.
    let sample = &head[..head.len().min(512)];
    if sample.len() >= 8 {
        let pairs = sample.len() / 2;
        let odd_zero = sample
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        if odd_zero * 10 >= pairs * 9 {
            return Ok(TextEncoding::Utf16LeNoBom);
        }
    }
    // NUL is valid UTF-8, but no export writes it: a file of zeros (a sparse or pre-allocated
    // copy) would otherwise be read as one endless line. NULs after the first line are left to
    // the readers (an export cut off and zero-filled keeps its rows; the NULs are a reject).
    let first_nul = memchr::memchr(0, head);
    if let Some(at) = first_nul
        && memchr::memchr2(b'\n', b'\r', head).is_none_or(|end| end > at)
    {
        return Err(UndecodableText::Nul {
            only: head.iter().all(|&b| b == 0),
        });
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok(TextEncoding::Utf8),
        Err(e) if !complete && e.error_len().is_none() => return Ok(TextEncoding::Utf8),
        Err(_) => {}
    }
    if first_nul.is_some() {
        return Err(UndecodableText::NotText);
    }
    // Not UTF-8: try Shift_JIS, ignoring a lead byte cut at the end of the head.
    let trimmed = if complete {
        head
    } else {
        &head[..head.len().saturating_sub(1)]
    };
    let (_, had_errors) = SHIFT_JIS.decode_without_bom_handling(trimmed);
    if had_errors {
        return Err(UndecodableText::NotText);
    }
    Ok(TextEncoding::ShiftJis)
}

/// Wraps a byte stream so that it yields UTF-8 whatever the file's encoding, without a BOM.
/// UTF-8 input passes through untouched (invalid bytes are caught by the record parsers).
pub fn utf8_reader<'a, R: Read + 'a>(inner: R, encoding: TextEncoding) -> Box<dyn Read + 'a> {
    match encoding {
        TextEncoding::Utf8 => Box::new(inner),
        TextEncoding::Utf8Bom => Box::new(SkipBom {
            inner,
            checked: false,
        }),
        other => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(other.encoding()))
                .bom_override(true)
                .strip_bom(true)
                .build(inner),
        ),
    }
}

/// Decodes a complete byte slice to text (small inputs: sheet cells, test data).
pub fn decode_all(bytes: &[u8], encoding: TextEncoding) -> String {
    let enc = encoding.encoding();
    let (text, _, _) = enc.decode(bytes);
    text.trim_start_matches('\u{feff}').to_string()
}

/// Drops the three BOM bytes at the start of a UTF-8 stream.
struct SkipBom<R> {
    inner: R,
    checked: bool,
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut bom = [0u8; 3];
            let mut got = 0;
            while got < 3 {
                let n = self.inner.read(&mut bom[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            if bom[..got] != [0xEF, 0xBB, 0xBF][..got] || got < 3 {
                let n = got.min(buf.len());
                buf[..n].copy_from_slice(&bom[..n]);
                // A caller buffer shorter than 3 bytes never happens with BufReader.
                return Ok(n);
            }
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    fn read_all(bytes: &[u8], enc: TextEncoding) -> String {
        let mut s = String::new();
        utf8_reader(bytes, enc)
            .read_to_string(&mut s)
            .expect("decodes");
        s
    }

    #[test]
    fn sniffs_every_encoding() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b", true), Ok(TextEncoding::Utf8Bom));
        assert_eq!(
            sniff(&utf16le("Date,Activity", true), true),
            Ok(TextEncoding::Utf16Le)
        );
        assert_eq!(
            sniff(&utf16le("Date,Activity", false), true),
            Ok(TextEncoding::Utf16LeNoBom)
        );
        assert_eq!(
            sniff("日付 (UTC),Activity".as_bytes(), true),
            Ok(TextEncoding::Utf8)
        );
        let (sjis, _, _) = SHIFT_JIS.encode("日付 (UTC),山田 太郎");
        assert_eq!(sniff(&sjis, true), Ok(TextEncoding::ShiftJis));
        assert_eq!(
            sniff(&[0x00, 0xFF, 0x00, 0x81, 0x00], true),
            Err(UndecodableText::Nul { only: false })
        );
        assert_eq!(
            sniff(&[0; 4096], false),
            Err(UndecodableText::Nul { only: true })
        );
        assert_eq!(
            sniff(b"Date (UTC),Act\0ivity\n", false),
            Err(UndecodableText::Nul { only: false })
        );
        // Zeros after the header: a cut export whose rows are read, the zeros rejected.
        assert_eq!(
            sniff(b"Date (UTC),Activity\n\0\0", false),
            Ok(TextEncoding::Utf8)
        );
    }

    #[test]
    fn cut_utf8_sequence_in_head_is_not_an_error() {
        let text = "山田".as_bytes();
        assert_eq!(sniff(&text[..4], false), Ok(TextEncoding::Utf8));
    }

    #[test]
    fn readers_yield_utf8_without_bom() {
        assert_eq!(read_all(b"\xEF\xBB\xBFabc", TextEncoding::Utf8Bom), "abc");
        assert_eq!(
            read_all(&utf16le("山田,x", true), TextEncoding::Utf16Le),
            "山田,x"
        );
        let (sjis, _, _) = SHIFT_JIS.encode("山田 太郎");
        assert_eq!(read_all(&sjis, TextEncoding::ShiftJis), "山田 太郎");
        assert_eq!(read_all(b"ab", TextEncoding::Utf8Bom), "ab");
    }
}
