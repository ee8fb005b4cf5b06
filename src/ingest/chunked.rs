//! A large audit table (the portal CSV of a big tenant's month: hundreds of MB) read on every
//! core: the file is cut into chunks at record boundaries and each chunk is parsed by its own
//! worker, through the same header binding as the sequential reader; results are merged in
//! chunk order, so the outcome (rejects and their line numbers included) is the same as
//! reading the file in one pass.
//!
//! A record boundary is a line end outside quotes. CSV escapes a quote inside a quoted field by
//! doubling it, so "outside quotes" is "after an even number of quote characters since the start
//! of the file": counting quotes with memchr is far cheaper than parsing.

use super::decode::TextEncoding;
use super::table::{self, TableBinding};
use super::{HashState, InputFile, Sink, audit_csv, new_sink};
use crate::error::RunError;
use std::cell::RefCell;
use std::hash::Hasher;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc;

/// Files smaller than this are read in one pass (threads would cost more than they save).
pub const MIN_BYTES: u64 = 48 << 20;
/// Bytes per chunk.
const CHUNK_BYTES: usize = 8 << 20;

/// Worker threads for chunked reading (one per core, at most 8).
pub fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
}

/// The header row, found the way the sequential reader finds it (skipping `sep=` and
/// `#TYPE` lines): the binding, and the byte offset where the data rows begin.
fn header(bytes: &[u8], delimiter: u8) -> Option<(TableBinding, usize)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    loop {
        if !rdr.read_byte_record(&mut rec).ok()? {
            return None;
        }
        let headers: Vec<String> = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let first = headers
            .first()
            .map(|h| h.trim_start().to_ascii_lowercase())
            .unwrap_or_default();
        if headers.len() <= 2 && (first.starts_with("sep=") || first.starts_with("#type")) {
            continue;
        }
        let binding = table::bind_any(&headers)?;
        return Some((binding, rdr.position().byte() as usize));
    }
}

/// One chunk to parse: its bytes, the physical line its first record starts on.
struct Chunk {
    bytes: Vec<u8>,
    first_line: u64,
}

/// Reads `path` in chunks on every core if it is a large UTF-8 audit table. `Ok(false)` (and
/// nothing done) when it is not one; the caller then reads it in one pass. `head` is the file's
/// first bytes, already hashed into `state`; the rest is hashed here.
pub(super) fn read(
    sink: &mut Sink,
    path: &Path,
    head: &[u8],
    encoding: TextEncoding,
    state: &Rc<RefCell<HashState>>,
) -> Result<bool, RunError> {
    read_sized(sink, path, head, encoding, state, CHUNK_BYTES)
}

/// [`read`] with a chunk size of its own (tests cut small files into many chunks).
fn read_sized(
    sink: &mut Sink,
    path: &Path,
    head: &[u8],
    encoding: TextEncoding,
    state: &Rc<RefCell<HashState>>,
    chunk_bytes: usize,
) -> Result<bool, RunError> {
    if !matches!(encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom) || workers() < 2 {
        return Ok(false);
    }
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let head_text = String::from_utf8_lossy(&head[bom..]);
    let header_line = head_text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().to_ascii_lowercase().starts_with("sep="))
        .unwrap_or("");
    let delimiter = audit_csv::detect_delimiter(header_line);
    let Some((mut binding, data_start)) = header(&head[bom..], delimiter) else {
        return Ok(false);
    };
    if !matches!(binding, TableBinding::Audit(_)) {
        return Ok(false);
    }
    let data_start = bom + data_start;
    if data_start >= head.len() {
        return Ok(false);
    }
    // The day/month order and the format label, decided from the head as in one pass.
    binding.prepare(sink, &head_text, delimiter);
    let crlf = {
        let h = &head[bom..];
        let lf = memchr::memchr_iter(b'\n', h).count();
        lf > 0 && memchr::memmem::find_iter(h, b"\r\n").count() == lf
    };
    let mut file = std::fs::File::open(path).map_err(|e| RunError::io("opening", path, e))?;
    let file_info = sink.report.file.clone();
    let index = sink.index;
    let onprem_tz = sink.onprem_tz;

    let workers = workers();
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<(usize, Chunk)>(workers * 2);
    let chunk_rx = std::sync::Mutex::new(chunk_rx);
    let (result_tx, result_rx) = mpsc::channel::<(usize, Sink)>();
    let binding = &binding;
    let file_info = &file_info;
    let outcome = std::thread::scope(|scope| -> Result<(), RunError> {
        for _ in 0..workers {
            let result_tx = result_tx.clone();
            let chunk_rx = &chunk_rx;
            scope.spawn(move || {
                loop {
                    let next = match chunk_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((n, chunk)) = next else { break };
                    let part = parse_chunk(
                        &chunk, binding, delimiter, file_info, index, onprem_tz, encoding, crlf,
                    );
                    if result_tx.send((n, part)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(result_tx);

        // Producer: read, cut at record boundaries, hand out; collect results in order.
        let mut buf: Vec<u8> = Vec::new();
        let mut offset: u64 = 0; // file offset of buf[0]
        let mut inside_quotes = false; // quote parity at buf[0]
        let mut line: u64 = 1; // physical line of buf[0]
        let mut started = false;
        let mut sent = 0usize;
        let mut received = 0usize;
        let mut pending = std::collections::BTreeMap::new();
        let mut eof = false;
        let mut block = vec![0u8; chunk_bytes];
        let collect = |pending: &mut std::collections::BTreeMap<usize, Sink>,
                       received: &mut usize,
                       sink: &mut Sink| {
            while let Some(part) = pending.remove(received) {
                sink.merge(part);
                *received += 1;
            }
        };
        while !eof || !buf.is_empty() {
            while !eof && buf.len() < chunk_bytes {
                let n = file
                    .read(&mut block)
                    .map_err(|e| RunError::io("reading", path, e))?;
                if n == 0 {
                    eof = true;
                    break;
                }
                let read_from = offset + buf.len() as u64;
                // Bytes beyond the head were not hashed yet.
                let hash_from = (head.len() as u64).saturating_sub(read_from) as usize;
                if hash_from < n {
                    let mut st = state.borrow_mut();
                    st.hasher.write(&block[hash_from..n]);
                    st.bytes += (n - hash_from) as u64;
                }
                buf.extend_from_slice(&block[..n]);
            }
            if !started {
                // Skip the BOM and header: data starts at `data_start`.
                let skip = data_start.min(buf.len());
                line += memchr::memchr_iter(b'\n', &buf[..skip]).count() as u64;
                inside_quotes ^= memchr::memchr_iter(b'"', &buf[..skip]).count() % 2 == 1;
                buf.drain(..skip);
                offset += skip as u64;
                started = true;
            }
            if buf.is_empty() {
                break;
            }
            let cut = if eof {
                buf.len()
            } else {
                match boundary(&buf, inside_quotes, chunk_bytes / 2) {
                    Some(c) => c,
                    // One record longer than the buffer: read more before cutting.
                    None if buf.len() < 1 << 30 => {
                        let more = buf.len();
                        buf.reserve(more);
                        let n = file
                            .read(&mut block)
                            .map_err(|e| RunError::io("reading", path, e))?;
                        if n == 0 {
                            eof = true;
                        } else {
                            let read_from = offset + buf.len() as u64;
                            let hash_from = (head.len() as u64).saturating_sub(read_from) as usize;
                            if hash_from < n {
                                let mut st = state.borrow_mut();
                                st.hasher.write(&block[hash_from..n]);
                                st.bytes += (n - hash_from) as u64;
                            }
                            buf.extend_from_slice(&block[..n]);
                        }
                        continue;
                    }
                    None => buf.len(),
                }
            };
            let rest = buf.split_off(cut);
            let bytes = std::mem::replace(&mut buf, rest);
            let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
            inside_quotes ^= memchr::memchr_iter(b'"', &bytes).count() % 2 == 1;
            offset += bytes.len() as u64;
            let chunk = Chunk {
                bytes,
                first_line: line,
            };
            line += lines;
            if chunk_tx.send((sent, chunk)).is_err() {
                break;
            }
            sent += 1;
            // Merge what is ready, so finished chunks do not pile up.
            while let Ok((n, part)) = result_rx.try_recv() {
                pending.insert(n, part);
            }
            collect(&mut pending, &mut received, sink);
        }
        drop(chunk_tx);
        while received < sent {
            match result_rx.recv() {
                Ok((n, part)) => {
                    pending.insert(n, part);
                    collect(&mut pending, &mut received, sink);
                }
                Err(_) => {
                    return Err(RunError::Read {
                        file: sink.report.file.display.clone(),
                        message: "a reader thread stopped unexpectedly".into(),
                    });
                }
            }
        }
        Ok(())
    });
    outcome?;
    if sink.report.records_read == 0 {
        sink.report.warnings.push("header only: no records".into());
    }
    Ok(true)
}

/// The end of the last complete record at or after `min` bytes of `buf` (just past a `\n`
/// outside quotes); `None` when `buf` holds no such line end after `min`.
fn boundary(buf: &[u8], inside_quotes_at_start: bool, min: usize) -> Option<usize> {
    let min = min.min(buf.len());
    let mut inside =
        inside_quotes_at_start ^ (memchr::memchr_iter(b'"', &buf[..min]).count() % 2 == 1);
    let mut pos = min;
    loop {
        let nl = pos + memchr::memchr(b'\n', &buf[pos..])?;
        inside ^= memchr::memchr_iter(b'"', &buf[pos..nl]).count() % 2 == 1;
        if !inside {
            return Some(nl + 1);
        }
        pos = nl + 1;
    }
}

/// Parses one chunk into a sink of its own.
#[allow(clippy::too_many_arguments)]
fn parse_chunk(
    chunk: &Chunk,
    binding: &TableBinding,
    delimiter: u8,
    file: &InputFile,
    index: u32,
    onprem_tz: chrono_tz::Tz,
    encoding: TextEncoding,
    crlf: bool,
) -> Sink {
    let mut sink = new_sink(index, file, onprem_tz);
    sink.report.encoding = Some(encoding);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(chunk.bytes.as_slice());
    let mut rec = csv::ByteRecord::new();
    let mut first = true;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(1) + chunk.first_line - 1;
                sink.reject(format!("line {line}"), format!("unreadable row: {e}"));
                break;
            }
            Ok(true) => {}
        }
        // csv-core reports every record after a reader's first one line early in CRLF files.
        let quirk = u64::from(crlf && !first);
        first = false;
        let line = rec.position().map(|p| p.line()).unwrap_or(1) + chunk.first_line - 1 + quirk;
        table::read_row(&mut sink, binding, &rec, format!("line {line}"));
    }
    sink
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{InputFile, read_file};
    use crate::synth::audit_formats::{PortalCsvOptions, write_portal_csv};

    /// The sample's first week as a portal CSV, with broken rows spread through it.
    fn csv_file(dir: &Path) -> std::path::PathBuf {
        let events: Vec<_> = crate::synth::sample::sample_month_events()
            .into_iter()
            .take(900)
            .collect();
        let path = dir.join("audit.csv");
        write_portal_csv(&events, &path, &PortalCsvOptions::default()).expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut lines: Vec<&str> = text.split("\r\n").collect();
        // A row cut short (a reject) and a quoted field with a line break inside.
        lines.insert(
            300,
            "\"2026-10-03T11:00:00Z\",\"c6\",\"Self-service Password Management\"",
        );
        lines.insert(
            600,
            "\"2026-10-03T11:00:00Z\",\"multi\nline\",\"Core Directory\"",
        );
        std::fs::write(&path, lines.join("\r\n")).expect("write");
        path
    }

    #[test]
    fn chunks_give_what_one_pass_gives() {
        let dir = std::env::temp_dir().join(format!("sspr-chunked-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = csv_file(&dir);
        let file = InputFile {
            display: "audit.csv".into(),
            path: path.clone(),
        };
        let (one_pass, hash) = read_file(0, &file, chrono_tz::UTC).expect("read");
        let bytes = std::fs::read(&path).expect("bytes");
        let head = &bytes[..bytes.len().min(crate::ingest::decode::HEAD_LEN)];
        for chunk in [4_096, 20_000, 100_000] {
            let state = Rc::new(RefCell::new(HashState::default()));
            state.borrow_mut().hasher.write(head);
            state.borrow_mut().bytes = head.len() as u64;
            let mut sink = new_sink(0, &file, chrono_tz::UTC);
            let handled = read_sized(&mut sink, &path, head, TextEncoding::Utf8Bom, &state, chunk)
                .expect("read");
            assert!(handled, "an audit table");
            let r = &sink.report;
            let o = &one_pass.report;
            assert_eq!(
                (
                    r.records_read,
                    r.kept,
                    r.irrelevant,
                    r.rejected,
                    r.first,
                    r.last
                ),
                (
                    o.records_read,
                    o.kept,
                    o.irrelevant,
                    o.rejected,
                    o.first,
                    o.last
                ),
                "chunk size {chunk}"
            );
            assert_eq!(sink.rejects, one_pass.rejects, "chunk size {chunk}");
            let keys =
                |s: &Sink| -> Vec<String> { s.records.iter().map(|r| r.content_key()).collect() };
            assert_eq!(keys(&sink), keys(&one_pass), "chunk size {chunk}");
            assert_eq!(sink.minutes, one_pass.minutes);
            let st = state.borrow();
            assert_eq!(
                Some((st.hasher.finish(), st.bytes)),
                hash,
                "the whole file is hashed"
            );
        }
        assert!(one_pass.report.rejected >= 1, "the broken row is rejected");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
