//! A large portal CSV (a big tenant's month: hundreds of MB) read by one worker per core, each
//! running the ordinary table reader over its own byte range of the file. Results merge in
//! range order, so counts, records, rejects and their line numbers equal one pass.
//!
//! Where may a range start? In the portal download every field is quoted and every row starts
//! with its quoted date, so a row starts right after a line end followed by `"` and a digit. That
//! sequence cannot occur inside a quoted field of valid CSV: a quote inside a field is doubled,
//! and a closing quote is followed by a delimiter or a line end, never a digit. A file where no
//! such start is found near a cut is read in one pass instead.

use super::decode::TextEncoding;
use super::table::{self, TableBinding};
use super::{InputFile, Sink, audit_csv, new_sink, skim};
use crate::error::RunError;
use crate::model::Relevance;
use crate::model::audit::Location;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Files smaller than this are read by one worker (threads would cost more than they save;
/// several files are read side by side anyway).
pub const MIN_BYTES: u64 = 48 << 20;

/// Portal CSVs from this size on are read through the skimmer (a daily export of a large
/// tenant is tens of MB); smaller ones by csv-core alone.
pub const MIN_SKIM_BYTES: u64 = 1 << 20;

/// Workers for a file of `len` bytes.
pub fn workers(len: u64, threads: usize) -> usize {
    if len >= MIN_BYTES { threads.max(1) } else { 1 }
}

/// How far past a cut a row start is looked for.
const SEARCH_WINDOW: u64 = 4 << 20;

/// The header row, found the way the one-pass reader finds it (skipping `sep=` and `#TYPE`
/// lines): its binding and the byte offset (in `bytes`) where the data rows begin.
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
        if table::is_preamble(&headers) {
            continue;
        }
        let binding = table::bind_any(&headers)?;
        return Some((binding, rdr.position().byte() as usize));
    }
}

/// The first row start at or after `from`: just past a `\n` followed by `"` and a digit.
fn row_start_after(path: &Path, from: u64, len: u64) -> std::io::Result<Option<u64>> {
    let mut file = super::reopen(path)?;
    // Start one byte early so a line end right before `from` counts.
    let at = from.saturating_sub(1);
    file.seek(SeekFrom::Start(at))?;
    let mut window = Vec::new();
    file.take(SEARCH_WINDOW.min(len - at))
        .read_to_end(&mut window)?;
    let found = memchr::memmem::find_iter(&window, b"\n\"")
        .find(|&i| window.get(i + 2).is_some_and(u8::is_ascii_digit));
    Ok(found.map(|i| at + i as u64 + 1))
}

/// Line ends in `[start, end)` of the file.
fn newlines(path: &Path, start: u64, end: u64) -> std::io::Result<u64> {
    let mut file = super::reopen(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut reader = file.take(end - start);
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        // memchr counts with the widest vector the CPU has (chosen at run time).
        total += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

/// Reads a large UTF-8 portal CSV with one worker per thread. `Ok(false)` (and the sink left as it
/// was) when the file is not one, or no row start is found near a cut: the caller then reads it
/// in one pass.
pub(super) fn read(
    sink: &mut Sink,
    path: &Path,
    head: &[u8],
    encoding: TextEncoding,
    len: u64,
    threads: usize,
) -> Result<bool, RunError> {
    read_with(sink, path, head, encoding, len, threads)
}

fn read_with(
    sink: &mut Sink,
    path: &Path,
    head: &[u8],
    encoding: TextEncoding,
    len: u64,
    workers: usize,
) -> Result<bool, RunError> {
    if !matches!(encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom) || workers < 1 {
        return Ok(false);
    }
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let head_text = String::from_utf8_lossy(&head[bom..]);
    // What the one-pass reader would take for JSON, XML or a header line longer than the head
    // is left to it.
    let trimmed = head_text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with(['[', '{', '<']) || !table::header_in_head(trimmed) {
        return Ok(false);
    }
    let header_line = head_text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().to_ascii_lowercase().starts_with("sep="))
        .unwrap_or("");
    let delimiter = audit_csv::detect_delimiter(header_line);
    let Some((mut binding, data_offset)) = header(&head[bom..], delimiter) else {
        return Ok(false);
    };
    let portal = matches!(&binding, TableBinding::Audit(b)
        if matches!(b.dialect, audit_csv::TableDialect::Portal { .. }));
    let audit = matches!(&binding, TableBinding::Audit(_));
    // csv-core may stop between a `\r` and its `\n`: the data starts after the line end.
    let mut data_start = bom + data_offset;
    while head
        .get(data_start)
        .is_some_and(|b| *b == b'\r' || *b == b'\n')
    {
        data_start += 1;
    }
    let data_start = data_start as u64;
    // The portal layout: every row starts with its quoted date.
    let rows_start_quoted = head
        .get(data_start as usize..data_start as usize + 2)
        .is_some_and(|b| b[0] == b'"' && b[1].is_ascii_digit());
    // Cut into ranges only where a row start can be told (the portal layout); any audit
    // table is read through the skimmer by one worker.
    let workers = match portal && rows_start_quoted {
        true => workers,
        false => 1,
    };
    if !audit || data_start >= len {
        return Ok(false);
    }
    let io = |e| RunError::io("reading", path, e);
    let mut cuts = vec![data_start];
    for k in 1..workers as u64 {
        let target = data_start + (len - data_start) * k / workers as u64;
        match row_start_after(
            path,
            target.max(*cuts.last().unwrap_or(&data_start) + 1),
            len,
        )
        .map_err(io)?
        {
            Some(at) if at < len => cuts.push(at),
            Some(_) => {}
            None => return Ok(false),
        }
    }
    cuts.push(len);
    cuts.dedup();
    // The line-end style as the one-pass reader judges it (from the trimmed head).
    let crlf = table::crlf_lines(trimmed.as_bytes());
    binding.prepare(sink, &head_text, delimiter);

    let ranges: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let file_info = sink.report.file.clone();
    let (index, onprem_tz) = (sink.index, sink.onprem_tz);
    let binding = &binding;
    let parts = std::thread::scope(|scope| -> Result<Vec<(Sink, Option<u64>)>, RunError> {
        // Every range is read at once, numbering its lines from 1; each part's numbers are
        // moved down by the line ends before it once those are known (no second pass over
        // the file to count them first).
        let readers: Vec<_> = ranges
            .iter()
            .map(|&(a, b)| {
                let file_info = &file_info;
                scope.spawn(move || {
                    read_range(
                        path, a, b, 1, binding, delimiter, crlf, file_info, index, onprem_tz,
                        encoding,
                    )
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|h| h.join().map_err(|_| thread_died(&file_info))?.map_err(io))
            .collect()
    })?;
    let mut before = newlines(path, 0, data_start).map_err(io)?;
    let last = parts.len().saturating_sub(1);
    for (k, (mut part, lines)) in parts.into_iter().enumerate() {
        shift_lines(&mut part, before);
        if k < last {
            // A range csv-core finished (an unusual row) is counted here.
            let (a, b) = ranges[k];
            before += match lines {
                Some(n) => n,
                None => newlines(path, a, b).map_err(io)?,
            };
        }
        sink.merge(part);
    }
    if sink.report.records_read == 0 {
        sink.report.warnings.push("header only: no records".into());
    }
    Ok(true)
}

fn thread_died(file: &InputFile) -> RunError {
    RunError::Read {
        file: file.display.clone(),
        message: "a reader thread stopped unexpectedly".into(),
    }
}

/// The one-pass reader over `[start, end)`, whose first row is on physical line `first_line`.
#[allow(clippy::too_many_arguments)]
fn read_range(
    path: &Path,
    start: u64,
    end: u64,
    first_line: u64,
    binding: &TableBinding,
    delimiter: u8,
    crlf: bool,
    file: &InputFile,
    index: u32,
    onprem_tz: chrono_tz::Tz,
    encoding: TextEncoding,
) -> std::io::Result<(Sink, Option<u64>)> {
    let mut sink = new_sink(index, file, onprem_tz);
    sink.report.encoding = Some(encoding);
    let mut handle = super::reopen(path)?;
    handle.seek(SeekFrom::Start(start))?;
    let mut input = handle.take(end - start);
    // The skimmer reads the plain rows; csv-core reads from the first row it leaves.
    let mut rows = Rows {
        sink: &mut sink,
        binding,
        rec: csv::ByteRecord::new(),
    };
    let left = skim::skim_into(&mut input, delimiter, first_line, &mut rows)?;
    // The skimmer counted every line end of a range it read to the end.
    let skimmed_lines = left.bytes.is_empty().then(|| left.line - first_line);
    let (mut rest, mut first_line) = (left.bytes, left.line);
    // A new csv-core reader drops a UTF-8 BOM at its very start, where one pass (which has read
    // rows before) keeps it as field text. A blank line first keeps it: csv-core skips the
    // line, and read_rows counts it, so the row keeps its line.
    if rest.starts_with(&[0xEF, 0xBB, 0xBF]) {
        rest.insert(0, b'\n');
        first_line -= 1;
    }
    let reader = BufReader::with_capacity(256 * 1024, std::io::Cursor::new(rest).chain(input));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(table::Tail::new(reader, delimiter));
    table::read_rows(
        &mut sink, &mut rdr, binding, first_line, crlf, true, delimiter,
    );
    Ok((sink, skimmed_lines))
}

/// Moves the line numbers of a part read from line 1 down by `by` lines: its records, rejects
/// and warnings (`line N` in their text).
fn shift_lines(part: &mut Sink, by: u64) {
    if by == 0 {
        return;
    }
    for r in &mut part.records {
        if let Location::Line(n) = &mut r.origin.location {
            *n += by;
        }
    }
    for j in &mut part.rejects {
        j.location = shifted_text(&j.location, by);
    }
    for w in &mut part.report.warnings {
        *w = shifted_text(w, by);
    }
}

/// `text` with every `line N` as `line N+by`.
fn shifted_text(text: &str, by: u64) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(at) = rest.find("line ") {
        let (head, tail) = rest.split_at(at + "line ".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        match tail[..digits].parse::<u64>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// Where one range's skimmed rows go.
struct Rows<'a> {
    sink: &'a mut Sink,
    binding: &'a TableBinding,
    rec: csv::ByteRecord,
}

impl skim::RowSink for Rows<'_> {
    fn quick_columns(&self) -> Option<[usize; 3]> {
        match self.binding {
            TableBinding::Audit(audit) => Some(audit.first_columns()),
            _ => None,
        }
    }

    /// A row of another service, whole and of the header's width, is counted from its first
    /// fields; anything else is split and read as before.
    fn quick(&mut self, first: &skim::SkimmedRow<'_>, width: usize) -> bool {
        let TableBinding::Audit(audit) = self.binding else {
            return false;
        };
        // A row of the csv_bound's field limit is left to the reader that enforces it.
        if width != audit.width || width + 1 >= super::csv_bound::MAX_FIELDS {
            return false;
        }
        match audit.first_fields_relevance(first) {
            Ok(Relevance::Irrelevant) => {
                self.sink.irrelevant(audit.time(first));
                true
            }
            _ => false,
        }
    }

    fn row(&mut self, row: &skim::SkimmedRow<'_>) {
        let location = || format!("line {}", row.line);
        if !row.is_utf8() {
            // The way that tries Shift_JIS.
            row.record(&mut self.rec);
            table::read_row(self.sink, self.binding, &self.rec, location());
        } else if let TableBinding::Audit(audit) = self.binding {
            table::table_row(self.sink, audit, row, location);
        } else {
            self.binding.row(self.sink, row, location());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{InputFile, read_file};
    use crate::synth::audit_formats::{PortalCsvOptions, write_portal_csv};

    /// Part of the sample as a portal CSV, with a cut row and a line break inside a quoted
    /// field spread through it.
    fn csv_file(dir: &Path) -> std::path::PathBuf {
        let events: Vec<_> = crate::synth::sample::sample_month_events()
            .into_iter()
            .take(900)
            .collect();
        let path = dir.join("audit.csv");
        write_portal_csv(&events, &path, &PortalCsvOptions::default()).expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        let mut lines: Vec<&str> = text.split("\r\n").collect();
        lines.insert(
            300,
            "\"2026-10-03T11:00:00Z\",\"c6\",\"Self-service Password Management\"",
        );
        lines.insert(
            600,
            "\"2026-10-03T11:00:00Z\",\"multi\n2 lines\",\"Core Directory\"",
        );
        std::fs::write(&path, lines.join("\r\n")).expect("write");
        path
    }

    /// What a reading found, for comparing two readings of one file.
    fn outcome(s: &Sink) -> String {
        let r = &s.report;
        let records: Vec<String> = s
            .records
            .iter()
            .map(|rec| format!("{} @ {}", rec.content_key(), rec.origin.location))
            .collect();
        format!(
            "read {} kept {} irrelevant {} rejected {} span {:?}..{:?}\nwarnings {:?}\nrejects {:?}\nminutes {:?}\nrecords {records:#?}",
            r.records_read,
            r.kept,
            r.irrelevant,
            r.rejected,
            r.first,
            r.last,
            r.warnings,
            s.rejects,
            s.minutes
        )
    }

    /// `file` (whose bytes are `bytes`) read in ranges by `workers` threads, and what one
    /// csv-core pass finds in it; `None` when the file is not one for ranges.
    fn ranged_and_one_pass(file: &InputFile, bytes: &[u8], workers: usize) -> Option<(Sink, Sink)> {
        let (one_pass, _) = read_file(0, file, chrono_tz::UTC, 1).expect("read");
        let head = &bytes[..bytes.len().min(crate::ingest::decode::HEAD_LEN)];
        let mut sink = new_sink(0, file, chrono_tz::UTC);
        let len = bytes.len() as u64;
        let handled = read_with(
            &mut sink,
            &file.path,
            head,
            TextEncoding::Utf8Bom,
            len,
            workers,
        )
        .expect("read");
        handled.then_some((sink, one_pass))
    }

    /// Asserts two readings found the same, naming the first line of [`outcome`] that differs.
    fn assert_same_outcome(ranges: &Sink, whole: &Sink, what: &str) {
        let (ranges, whole) = (outcome(ranges), outcome(whole));
        let first_difference = ranges.lines().zip(whole.lines()).find(|(a, b)| a != b);
        assert!(
            first_difference.is_none() && ranges.len() == whole.len(),
            "{what}: in ranges vs one pass: {first_difference:?}"
        );
    }

    /// The skimmer takes only rows it reads exactly as csv-core does: on the sample damaged
    /// at random (stray quotes, delimiters and line ends, blank lines, bytes that are not
    /// UTF-8, Shift_JIS text, cut rows), reading in ranges gives what one csv-core pass gives.
    #[test]
    fn skimmed_ranges_read_damage_as_csv_core_does() {
        let dir = std::env::temp_dir().join(format!("sspr-skim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let clean = std::fs::read(csv_file(&dir)).expect("sample");
        let damage: [&[u8]; 14] = [
            b"\"",
            b"\"\"",
            b",",
            b"\r",
            b"\n",
            b"\r\n",
            b"\n\n",
            b"\xFF",
            b"\xE3\x81",
            b"\"x",
            b" ",
            b"\x82\xA0",
            b"\r\n\r\n",
            b"\xEF\xBB\xBF",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let (mut compared, mut variants) = (0, 0);
        while variants < 150 {
            variants += 1;
            let mut bytes = clean.clone();
            for _ in 0..1 + next(8) {
                let at = 200 + next(bytes.len() - 200);
                if next(5) == 0 {
                    let end = (at + 1 + next(300)).min(bytes.len());
                    bytes.drain(at..end);
                } else {
                    let piece = damage[next(damage.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            let path = dir.join(format!("damaged-{variants}.csv"));
            std::fs::write(&path, &bytes).expect("write");
            let file = InputFile {
                display: "audit.csv".into(),
                path: path.clone(),
            };
            // Two or three ranges, so that cuts fall in different places.
            if let Some((ranges, one_pass)) = ranged_and_one_pass(&file, &bytes, 2 + variants % 2) {
                compared += 1;
                assert_same_outcome(&ranges, &one_pass, &format!("variant {variants}"));
            }
            let _ = std::fs::remove_file(&path);
        }
        assert!(
            compared > 100,
            "only {compared} variants were read in ranges"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A Log Analytics export (some fields quoted, JSON in cells, rows starting with an
    /// unquoted GUID) is read by one worker through the skimmer: damaged at random, it gives
    /// what one csv-core pass gives.
    #[test]
    fn log_analytics_csv_reads_damage_as_csv_core_does() {
        let dir = std::env::temp_dir().join(format!("sspr-skim-la-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let events: Vec<_> = crate::synth::sample::sample_month_events()
            .into_iter()
            .take(400)
            .collect();
        let clean_path = dir.join("la.csv");
        crate::synth::audit_formats::write_log_analytics_csv(&events, &clean_path).expect("la");
        let clean = std::fs::read(&clean_path).expect("la bytes");
        let damage: [&[u8]; 8] = [b"\"", b",", b"\r", b"\n", b"\xFF", b"\"\"", b"x", b"\r\n"];
        let mut rng = crate::synth::Rng::new(13);
        let mut compared = 0;
        for variant in 0..150 {
            let mut bytes = clean.clone();
            for _ in 0..variant % 4 {
                let at = rng.range(400, bytes.len() as u64 - 1) as usize;
                let piece = damage[rng.below(damage.len() as u64) as usize];
                bytes.splice(at..at, piece.iter().copied());
            }
            let path = dir.join(format!("la-{variant}.csv"));
            std::fs::write(&path, &bytes).expect("write");
            let file = InputFile {
                display: "la.csv".into(),
                path: path.clone(),
            };
            if let Some((skimmed, one_pass)) = ranged_and_one_pass(&file, &bytes, 2) {
                compared += 1;
                assert_same_outcome(&skimmed, &one_pass, &format!("variant {variant}"));
            }
            let _ = std::fs::remove_file(&path);
        }
        assert!(compared > 100, "only {compared} variants were read");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file of `rows` portal rows after `header`, over a megabyte (the skimmer's size).
    fn big_portal_file(dir: &Path, name: &str, header: &str, extra_row: &str) -> InputFile {
        let row =
            "\"2026-10-03T10:00:00Z\",\"c1\",\"Core Directory\",\"Device\",\"Update device\"\r\n";
        let mut text = format!("{header}\r\n");
        while text.len() < (1 << 20) + 4096 {
            text.push_str(row);
        }
        text.push_str(extra_row);
        text.push_str(row);
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        InputFile {
            display: name.into(),
            path,
        }
    }

    #[test]
    fn a_header_longer_than_the_head_is_not_bound_from_its_start() {
        let dir = tempfile::tempdir().expect("dir");
        let header = format!(
            "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",{}\"End\"",
            "\"x\",".repeat(20_000)
        );
        let file = big_portal_file(dir.path(), "long.csv", &header, "");
        let (sink, _) = read_file(0, &file, chrono_tz::UTC, 2).expect("read");
        assert_eq!(sink.report.kind, crate::model::inputs::FileKind::Unknown);
        assert!(sink.records.is_empty());
    }

    #[test]
    fn a_row_past_the_field_limit_is_rejected_by_the_bound() {
        let dir = tempfile::tempdir().expect("dir");
        let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\"";
        let wide = format!(
            "{}\"\"\r\n",
            "\"\",".repeat(crate::ingest::csv_bound::MAX_FIELDS + 10)
        );
        let file = big_portal_file(dir.path(), "wide.csv", header, &wide);
        let (sink, _) = read_file(0, &file, chrono_tz::UTC, 2).expect("read");
        let reasons: Vec<&str> = sink.rejects.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(reasons[0].contains("fields: skipped"), "{reasons:?}");
    }

    #[test]
    fn line_numbers_in_text_move_down() {
        assert_eq!(shifted_text("line 7", 10), "line 17");
        assert_eq!(
            shifted_text(
                "rows from line 3 on are Shift_JIS (the first at line 40)",
                5
            ),
            "rows from line 8 on are Shift_JIS (the first at line 45)"
        );
        assert_eq!(shifted_text("deadline x, line ", 5), "deadline x, line ");
        assert_eq!(shifted_text("no number", 5), "no number");
    }

    #[test]
    fn ranges_give_what_one_pass_gives() {
        let dir = std::env::temp_dir().join(format!("sspr-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = csv_file(&dir);
        let file = InputFile {
            display: "audit.csv".into(),
            path: path.clone(),
        };
        let bytes = std::fs::read(&path).expect("bytes");
        let mut rejected = 0;
        for workers in [2, 3, 7] {
            let (ranges, one_pass) =
                ranged_and_one_pass(&file, &bytes, workers).expect("a portal CSV");
            assert_same_outcome(&ranges, &one_pass, &format!("{workers} workers"));
            rejected = one_pass.report.rejected;
        }
        assert!(rejected >= 2, "the cut rows are rejected");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
