//! Every export that is a table — CSV, tab-separated text, or a worksheet — goes through here:
//! the header row decides what the table is (audit log, event log, registration details or
//! licence list), then each data row is read through that binding.

use super::audit_csv::{self, Row};
use super::csv_bound::{self, CsvBound};
use super::decode::TextEncoding;
use super::license_table::{self, LicenseVerdict};
use super::registration_table::{self, RowVerdict};
use super::{FileKind, Sink, event_table, record, timestamp};
use crate::model::audit::Relevance;
use std::io::BufRead;

/// What a header row binds as, or `None` when it is no export we know.
pub fn bind_any(headers: &[String]) -> Option<TableBinding> {
    if let Some(b) = audit_csv::bind(headers) {
        return Some(TableBinding::Audit(Box::new(b)));
    }
    if let Some(b) = event_table::bind(headers) {
        return Some(TableBinding::Events(b));
    }
    if let Some(b) = registration_table::bind(headers) {
        return Some(TableBinding::Registrations(b));
    }
    license_table::bind(headers).map(TableBinding::Licenses)
}

/// Why a header is not one we know, naming what the first columns are and what was expected.
pub fn unknown_header(headers: &[String]) -> String {
    let first: Vec<String> = headers
        .iter()
        .take(5)
        .map(|h| format!("'{}'", record::shorten(h.trim_start_matches('\u{feff}'))))
        .collect();
    format!(
        "not a recognised export: the first line ({}) is not the header of an Entra audit log \
         (portal CSV 'Date (UTC)', 'Service', 'Activity'… or Log Analytics 'TimeGenerated', 'OperationName', 'LoggedByService'…), \
         of an event log export (Event Viewer 'Level', 'Date and Time', 'Source', 'Event ID'… or PowerShell 'Message', 'Id', 'ProviderName', 'TimeCreated'…), \
         of registration details ('User principal name', 'SSPR Registered'…) \
         nor of an Active users licence list ('User principal name', 'Licenses'…)",
        first.join(", ")
    )
}

/// Reads a text table: finds and binds the header, then reads every row.
pub(super) fn read_table(sink: &mut Sink, text: impl BufRead, head_text: &str) {
    let header_line = head_text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().to_ascii_lowercase().starts_with("sep="))
        .unwrap_or("");
    let delimiter = audit_csv::detect_delimiter(header_line);
    let crlf_lines = crlf_lines(head_text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(Tail::new(text, delimiter));
    let mut rec = csv::ByteRecord::new();
    let binding = loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => {
                sink.report.kind = FileKind::Empty;
                sink.report.format = "empty".into();
                sink.report.warnings.push("empty file: no records".into());
                return;
            }
            Err(e) => {
                sink.unknown(format!("not a readable table: {e}"));
                return;
            }
            Ok(true) => {}
        }
        let headers: Vec<String> = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        if is_preamble(&headers) {
            continue;
        }
        match bind_any(&headers) {
            Some(b) => break b,
            None => {
                sink.unknown(unknown_header(&headers));
                return;
            }
        }
    };
    let mut binding = binding;
    binding.prepare(sink, head_text, delimiter);
    // The header was this reader's first record: every data row is a later one.
    read_rows(sink, &mut rdr, &binding, 1, crlf_lines, false, delimiter);
    if sink.report.records_read == 0 {
        sink.report.warnings.push("header only: no records".into());
    }
}

/// Whether the header row (after a `sep=` or `#TYPE` line) ends inside `head`, the file's first
/// bytes: a table is recognised from a bounded head, never from a line of any length.
pub(super) fn header_in_head(head: &str) -> bool {
    let mut lines = head
        .split_inclusive(['\n', '\r'])
        .filter(|l| !l.trim().is_empty());
    let ends = |line: Option<&str>| line.is_some_and(|l| l.ends_with(['\n', '\r']));
    let first = lines.next();
    let preamble = first.is_some_and(|l| {
        let l = l.trim_start().to_ascii_lowercase();
        l.starts_with("sep=") || l.starts_with("#type")
    });
    ends(first) && (!preamble || ends(lines.next()))
}

/// Whether every line end of a file's head is CRLF. csv-core takes a record's position before it
/// consumes the `\n` of the previous CRLF, so in such files every record after a reader's first
/// is reported one line early ([`read_rows`] corrects it).
pub(super) fn crlf_lines(head: &[u8]) -> bool {
    let lf = memchr::memchr_iter(b'\n', head).count();
    lf > 0 && memchr::memmem::find_iter(head, b"\r\n").count() == lf
}

/// Whether a table's first line is a preamble before the header: Excel's `sep=,` or
/// PowerShell 5.1's `#TYPE …`.
pub(super) fn is_preamble(cells: &[String]) -> bool {
    let first = cells
        .first()
        .map(|h| h.trim_start().to_ascii_lowercase())
        .unwrap_or_default();
    cells.len() <= 2 && (first.starts_with("sep=") || first.starts_with("#type"))
}

/// What csv-core reads a table through: the bytes bounded by [`CsvBound`] (a field, a record
/// cannot grow past their caps however the file is made), and the last of them kept, so that
/// the last record of a table can be looked at again once the end is reached.
pub(super) struct Tail<R> {
    inner: R,
    /// The most recent bytes (at least `TAIL` of them once that many went through).
    kept: Vec<u8>,
    /// Stream offset of `kept[0]`.
    kept_from: u64,
    /// The bounds, and what they noted (records cut, line ends dropped).
    pub(super) bound: CsvBound,
    /// Bytes read from `inner`, before the bounds.
    raw: Vec<u8>,
    /// Bounded bytes not yet handed to csv-core: `ready[at..]`.
    ready: Vec<u8>,
    at: usize,
    /// `inner` is at its end.
    done: bool,
}

/// How much of the stream's end is kept.
const TAIL: usize = 1024 * 1024;

impl<R> Tail<R> {
    pub(super) fn new(inner: R, delimiter: u8) -> Self {
        Tail {
            inner,
            kept: Vec::new(),
            kept_from: 0,
            bound: CsvBound::new(delimiter),
            raw: vec![0; 64 * 1024],
            ready: Vec::new(),
            at: 0,
            done: false,
        }
    }

    /// The bytes from stream offset `from` to the end, when they are still kept.
    fn since(&self, from: u64) -> Option<&[u8]> {
        let at = usize::try_from(from.checked_sub(self.kept_from)?).ok()?;
        self.kept.get(at..)
    }
}

impl<R: std::io::Read> std::io::Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.ready.len() {
            if self.done {
                return Ok(0);
            }
            self.ready.clear();
            self.at = 0;
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                self.done = true;
                self.bound.finish(&mut self.ready);
            } else {
                self.bound.filter(&self.raw[..n], &mut self.ready);
            }
        }
        let n = buf.len().min(self.ready.len() - self.at);
        buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        self.kept.extend_from_slice(&buf[..n]);
        // Dropping the front only once 8 MiB have gathered keeps the copying near one pass.
        if self.kept.len() > 8 * TAIL {
            let drop = self.kept.len() - TAIL;
            self.kept.drain(..drop);
            self.kept_from += drop as u64;
        }
        Ok(n)
    }
}

/// Whether a record's raw text ends inside a quoted field: the file was cut off there (csv-core
/// hands such a record on as if it were whole).
fn ends_inside_quotes(raw: &[u8], delimiter: u8) -> bool {
    let mut i = 0;
    let mut field_start = true;
    while i < raw.len() {
        let b = raw[i];
        if field_start && b == b'"' {
            // A quoted field: find its closing quote ("" is an escaped quote).
            i += 1;
            loop {
                match memchr::memchr(b'"', &raw[i..]) {
                    None => return true,
                    Some(p) if raw.get(i + p + 1) == Some(&b'"') => i += p + 2,
                    Some(p) => {
                        i += p + 1;
                        break;
                    }
                }
            }
            field_start = false;
            continue;
        }
        field_start = b == delimiter || b == b'\n' || b == b'\r';
        i += 1;
    }
    false
}

/// Reads the data rows of `rdr` through `binding`. Locations are physical lines: the reader's
/// line `n` is file line `first_line - 1 + n`, plus the line ends csv-core skipped before the
/// record (counted from the kept tail; `crlf` is the fallback guess when the record's start has
/// left it, `fresh`: the next record is the reader's first). Each row is handled once the next one is read: the last row of a file cut
/// off inside a quoted field is rejected, not read as if it were whole.
pub(super) fn read_rows<R: std::io::Read>(
    sink: &mut Sink,
    rdr: &mut csv::Reader<Tail<R>>,
    binding: &TableBinding,
    first_line: u64,
    crlf: bool,
    fresh: bool,
    delimiter: u8,
) {
    let mut rec = csv::ByteRecord::new();
    let mut pending = csv::ByteRecord::new();
    let mut pending_line: Option<u64> = None;
    let mut first = fresh;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Err(e) => {
                let dropped = e
                    .position()
                    .map_or(0, |p| rdr.get_mut().bound.dropped_lines_before(p.byte()));
                let line = e.position().map(|p| p.line()).unwrap_or(1) + first_line - 1 + dropped;
                if let Some(l) = pending_line.take() {
                    let next = e.position().map(|p| p.byte());
                    let too_long = rdr.get_mut().bound.take_cut_record(next);
                    pending_row(sink, binding, &pending, l, too_long);
                }
                sink.reject(format!("line {line}"), format!("unreadable row: {e}"));
                return;
            }
            Ok(true) => {}
        }
        // csv-core gives a record the position where it began looking for it: before the
        // `\n` of the previous row's CRLF and any blank lines. The line ends it skipped are
        // counted from the bytes themselves; only a record whose start has left the tail
        // falls back to the file's line-end style.
        let skipped = rec
            .position()
            .and_then(|p| rdr.get_ref().since(p.byte()))
            .map(|b| {
                b.iter()
                    .take_while(|&&c| c == b'\r' || c == b'\n')
                    .filter(|&&c| c == b'\n')
                    .count() as u64
            });
        let quirk = skipped.unwrap_or(u64::from(crlf && !first));
        first = false;
        // Line ends the bounds dropped (inside a cut quoted field) still count.
        let at = rec.position().map_or(0, |p| p.byte());
        let bound = &mut rdr.get_mut().bound;
        let dropped = bound.dropped_lines_before(at);
        // Records cut before this one: the pending row's (or the header's, with none pending).
        let too_long = bound.take_cut_record(Some(at));
        let line = rec.position().map(|p| p.line()).unwrap_or(1) + first_line - 1 + quirk + dropped;
        std::mem::swap(&mut rec, &mut pending);
        if let Some(l) = pending_line.replace(line) {
            pending_row(sink, binding, &rec, l, too_long);
        }
    }
    let Some(line) = pending_line else { return };
    if rdr.get_mut().bound.take_cut_record(None) {
        return pending_row(sink, binding, &pending, line, true);
    }
    let cut = pending
        .position()
        .and_then(|p| rdr.get_ref().since(p.byte()))
        .is_some_and(|raw| ends_inside_quotes(raw, delimiter));
    if cut {
        sink.reject(
            format!("line {line}"),
            "the file ends inside a quoted field of this row: it was cut off, and the row is incomplete".into(),
        );
    } else {
        read_row(sink, binding, &pending, format!("line {line}"));
    }
}

/// A row read once the next one is: rejected when the bounds cut it at their record cap.
fn pending_row(
    sink: &mut Sink,
    binding: &TableBinding,
    rec: &csv::ByteRecord,
    line: u64,
    too_long: bool,
) {
    if too_long {
        sink.reject(
            format!("line {line}"),
            format!(
                "row larger than {} MiB or of more than {} fields: skipped",
                csv_bound::MAX_RECORD >> 20,
                csv_bound::MAX_FIELDS
            ),
        );
    } else {
        read_row(sink, binding, rec, format!("line {line}"));
    }
}

/// One data row through its binding. A file sniffed as UTF-8 from its first 64 KiB may turn out
/// to be Shift_JIS further on (a CP932 export whose first rows are ASCII): such a row is read as
/// Shift_JIS, with a warning.
pub(super) fn read_row(
    sink: &mut Sink,
    binding: &TableBinding,
    rec: &csv::ByteRecord,
    location: String,
) {
    if sink.report.encoding == Some(TextEncoding::Utf8)
        && std::str::from_utf8(rec.as_slice()).is_err()
        && let Some(row) = shift_jis_row(rec)
    {
        if !sink.report.warnings.iter().any(|w| w.contains("Shift_JIS")) {
            sink.report.warnings.push(format!(
                "rows from {location} on are Shift_JIS, not UTF-8: read as Shift_JIS"
            ));
        }
        binding.row(sink, &row, location);
        return;
    }
    binding.row(sink, rec, location);
}

/// Decides how `a/b/yyyy` dates of a table read from the rows in the file's head: a first part
/// over 12 means day first, a second part over 12 month first. Undecided slash dates are read
/// month first (the Log Analytics export's US culture) with a warning.
fn day_order(
    sink: &mut Sink,
    time_column: usize,
    head_text: &str,
    delimiter: u8,
) -> timestamp::DayOrder {
    use timestamp::DayOrder;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(head_text.as_bytes());
    let (mut day_first, mut month_first, mut slash_dates) = (false, false, false);
    for rec in rdr.records().flatten().skip(1).take(5000) {
        let Some(value) = rec.get(time_column) else {
            continue;
        };
        let v = value.trim();
        if v.contains('/')
            && !v
                .as_bytes()
                .get(..4)
                .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
        {
            slash_dates = true;
        }
        match timestamp::day_order_evidence(v) {
            Some(DayOrder::DayFirst) => day_first = true,
            Some(DayOrder::MonthFirst) => month_first = true,
            None => {}
        }
    }
    match (day_first, month_first) {
        (true, false) => DayOrder::DayFirst,
        (true, true) => {
            sink.report.warnings.push(
                "dates such as 25/10/2026 and 10/25/2026 both occur: read as month/day; check the export".into(),
            );
            DayOrder::MonthFirst
        }
        (false, _) => {
            if slash_dates && !month_first {
                sink.report.warnings.push(
                    "no date in the first rows shows whether 3/10/2026 is March 10 or 3 October: read as month/day (US)"
                        .into(),
                );
            }
            DayOrder::MonthFirst
        }
    }
}

/// The header a table was bound with.
pub enum TableBinding {
    /// An audit log table.
    Audit(Box<audit_csv::Binding>),
    /// An event log export.
    Events(event_table::EventBinding),
    /// Registration details.
    Registrations(registration_table::RegistrationBinding),
    /// An Active users licence list.
    Licenses(license_table::LicenseBinding),
}

impl TableBinding {
    /// Number of header columns (a worksheet row is padded to it).
    pub fn width(&self) -> usize {
        match self {
            TableBinding::Audit(b) => b.width,
            TableBinding::Events(b) => b.width,
            TableBinding::Registrations(b) => b.width,
            TableBinding::Licenses(b) => b.width,
        }
    }

    /// Format name for `inspect`.
    pub fn label(&self) -> String {
        match self {
            TableBinding::Audit(b) => b.dialect.label(),
            TableBinding::Events(b) => b.label(),
            TableBinding::Registrations(b) => b.label(),
            TableBinding::Licenses(b) => b.label(),
        }
    }

    /// What kind of file a table of this binding makes.
    pub fn kind(&self) -> FileKind {
        match self {
            TableBinding::Audit(_) => FileKind::AuditLog,
            TableBinding::Events(_) => FileKind::OnpremLog,
            TableBinding::Registrations(_) => FileKind::Registrations,
            TableBinding::Licenses(_) => FileKind::Licenses,
        }
    }

    fn time_column(&self) -> Option<usize> {
        match self {
            TableBinding::Audit(b) => Some(b.time_column()),
            TableBinding::Events(b) => Some(b.time_column()),
            TableBinding::Registrations(b) => b.time_column(),
            TableBinding::Licenses(_) => None,
        }
    }

    fn set_day_order(&mut self, order: timestamp::DayOrder) {
        match self {
            TableBinding::Audit(b) => b.day_order = order,
            TableBinding::Events(b) => b.day_order = order,
            TableBinding::Registrations(b) => b.day_order = order,
            TableBinding::Licenses(_) => {}
        }
    }

    /// Decides the day/month order from the file's head and sets the file's format and kind.
    pub(super) fn prepare(&mut self, sink: &mut Sink, head_text: &str, delimiter: u8) {
        if let Some(column) = self.time_column() {
            let order = day_order(sink, column, head_text, delimiter);
            self.set_day_order(order);
        }
        self.describe(sink);
    }

    /// Sets the file's format and kind from the binding.
    pub(super) fn describe(&self, sink: &mut Sink) {
        sink.report.format = self.label();
        sink.report.kind = self.kind();
    }

    /// Reads one data row into the sink.
    pub(super) fn row<R: Row>(&self, sink: &mut Sink, row: &R, location: String) {
        match self {
            TableBinding::Audit(b) => table_row(sink, b, row, || location),
            TableBinding::Events(b) => b.row(sink, row, location),
            TableBinding::Registrations(b) => match b.row(row, sink.origin(&location)) {
                Ok(RowVerdict::Row(r)) => sink.keep_snapshot(*r),
                Ok(RowVerdict::NotAUser) => sink.irrelevant(None),
                Err(reason) => sink.reject(location, reason),
            },
            TableBinding::Licenses(b) => match b.row(row, sink.origin(&location)) {
                Ok(LicenseVerdict::Row(r)) => sink.keep_license(*r),
                Ok(LicenseVerdict::NotAUser) => sink.irrelevant(None),
                Err(reason) => sink.reject(location, reason),
            },
        }
    }
}

/// One data row of a table (CSV or worksheet): relevance first, then the full fields. The
/// location is only made for a row that keeps or rejects something (most rows are dropped).
pub(super) fn table_row<R: Row>(
    sink: &mut Sink,
    binding: &audit_csv::Binding,
    row: &R,
    location: impl FnOnce() -> String,
) {
    match binding.relevance(row) {
        Err(reason) => sink.reject(location(), reason),
        Ok(Relevance::Irrelevant) => {
            sink.irrelevant(binding.time(row));
        }
        Ok(rel) => match binding.fields(row) {
            Ok(fields) => sink.keep(fields, rel, location()),
            Err(reason) => sink.reject(location(), reason),
        },
    }
}

/// The row's fields decoded as Shift_JIS, if every field decodes cleanly.
fn shift_jis_row(rec: &csv::ByteRecord) -> Option<Vec<String>> {
    rec.iter()
        .map(|field| {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(field);
            (!had_errors).then(|| text.into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_must_end_in_the_head() {
        assert!(header_in_head("Date,Activity\r\nx"));
        assert!(header_in_head("\r\n\r\nDate,Activity\n"));
        assert!(header_in_head("sep=,\nDate,Activity\n"));
        assert!(
            !header_in_head("Date,Activity,aaaa"),
            "cut by the head's end"
        );
        assert!(!header_in_head("sep=;\nDate;Activity;aaaa"));
        assert!(!header_in_head("#TYPE x\r\nDate,Activity"));
    }
}
