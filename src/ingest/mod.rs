//! Ingest: find the input files, recognise each by its content, decode it and parse it into
//! normalized records. Records that cannot matter to SSPR are counted and dropped here, as
//! early as possible; malformed ones are listed as rejects and the run goes on.

pub mod audit_csv;
pub mod audit_json;
pub(crate) mod binxml;
mod bits;
mod csv_bound;
pub mod decode;
pub mod event_message;
pub mod event_table;
pub mod event_xml;
pub mod evtx_log;
mod evtx_template;
pub mod harness;
mod json_keep;
pub mod json_stream;
pub mod license_json;
pub mod license_table;
pub mod powershell_json;
pub mod record;
pub mod registration_json;
pub mod registration_table;
mod row_end;
mod skim;
mod split;
pub mod table;
pub mod timestamp;
pub mod xlsx;

use crate::catalog::EventSource;
use crate::error::RunError;
use crate::model::audit::{AuditRecord, Origin, Relevance};
use crate::model::license::{LicenseRow, SkuInfo};
use crate::model::onprem::OnpremEvent;
use crate::model::registration::{SnapshotRow, UsageEvent};
use chrono::TimeZone;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use decode::TextEncoding;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use crate::model::inputs::{FileKind, FileReport, Ingested, InputFile, OnpremCoverage, Reject};

/// Expands files and folders (recursively, sorted) into the list of files to read. Each folder
/// is walked once (by device and inode), so links back to a folder above (`loop -> .`) end;
/// what cannot be walked (a folder reached again, a link loop, a path too long for the OS, an
/// unreadable subfolder) is listed too, and [`read_file`] skips it with a warning naming why.
pub fn collect_files(inputs: &[PathBuf]) -> Result<Vec<InputFile>, RunError> {
    let short = |input: &PathBuf| {
        input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| input.display().to_string())
    };
    let mut out = Vec::new();
    for input in inputs {
        // Two inputs with the same last name (2026-09/AuditLogs, 2026-10/AuditLogs) are
        // reported under the paths as given, so rejects.csv can tell them apart.
        let base = if inputs
            .iter()
            .filter(|other| short(other) == short(input))
            .count()
            > 1
        {
            input.to_string_lossy().replace('\\', "/")
        } else {
            short(input)
        };
        if let Some(key) = std::fs::metadata(input)
            .ok()
            .filter(|m| m.is_dir())
            .map(|m| folder_key(&m, input))
        {
            // Per input: the same folder given twice (or inside another input) is listed under
            // each, as before (its files then count as copies), whatever the order of inputs.
            let mut walked = BTreeSet::from([key]);
            let entries =
                sorted_entries(input).map_err(|e| RunError::io("reading folder", input, e))?;
            let mut found = Vec::new();
            walk(entries, &mut walked, &mut found);
            found.sort();
            for path in found {
                let rel = path.strip_prefix(input).unwrap_or(&path);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(InputFile {
                    display: format!("{base}/{}", rel.join("/")),
                    path,
                });
            }
        } else {
            out.push(InputFile {
                display: base,
                path: input.clone(),
            });
        }
    }
    Ok(out)
}

/// What identifies a folder however it is reached: device and inode.
#[cfg(unix)]
fn folder_key(meta: &std::fs::Metadata, _path: &Path) -> (u64, u64, PathBuf) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino(), PathBuf::new())
}

/// What identifies a folder however it is reached: its canonical path.
#[cfg(not(unix))]
fn folder_key(_meta: &std::fs::Metadata, path: &Path) -> (u64, u64, PathBuf) {
    (
        0,
        0,
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
    )
}

/// A folder's entries, hidden ones left out (editor backups, .DS_Store, our own temporary
/// report folders are not exports), sorted by name so that which of two links to one folder
/// is walked does not depend on the order the OS lists them in.
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// Adds the files under a folder (given as its entries) to `out`, depth first. A folder
/// already walked, and one that cannot be listed, is added as an entry of its own: reading it
/// then skips it with the reason.
fn walk(entries: Vec<PathBuf>, walked: &mut BTreeSet<(u64, u64, PathBuf)>, out: &mut Vec<PathBuf>) {
    for path in entries {
        // Followed through links: a link to a folder is walked like the folder (once).
        let folder = std::fs::metadata(&path).ok().filter(|m| m.is_dir());
        let Some(meta) = folder else {
            out.push(path);
            continue;
        };
        // A folder read already, or one of the kernel's (/proc, /sys: endless, and holding
        // secrets such as a process's environment): listed, and skipped when read.
        if !walked.insert(folder_key(&meta, &path)) || kernel_fs(&path).is_some() {
            out.push(path);
            continue;
        }
        match sorted_entries(&path) {
            Ok(inner) => walk(inner, walked, out),
            Err(_) => out.push(path),
        }
    }
}

/// Collects what one file yields.
struct Sink {
    index: u32,
    report: FileReport,
    records: Vec<AuditRecord>,
    rejects: Vec<Reject>,
    minutes: BTreeSet<i64>,
    events: Vec<OnpremEvent>,
    event_minutes: BTreeMap<String, BTreeSet<i64>>,
    snapshot_rows: Vec<SnapshotRow>,
    usage_events: Vec<UsageEvent>,
    license_rows: Vec<LicenseRow>,
    skus: Vec<SkuInfo>,
    /// The minute last added to `minutes` (skips re-inserting it row after row).
    last_minute: Option<i64>,
    /// The minute and computer last added to `event_minutes`, likewise.
    last_event_minute: Option<(i64, String)>,
    /// Per computer, the first and last event of any source.
    event_spans: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Shared copies of repeated texts.
    strings: record::Interner,
    /// Zone of on-prem exports that write local time without an offset.
    onprem_tz: Tz,
    /// Where this file's events come from (worked out once, not per event).
    place: EventPlace,
}

/// One on-prem event's values as a reader found them, before validation.
#[derive(Debug, Default, PartialEq)]
struct EventFields {
    /// Event time; `Err` holds the unparsable text.
    time: Option<Result<DateTime<Utc>, String>>,
    /// Computer, when the format has one.
    computer: Option<String>,
    /// Provider name.
    source: String,
    /// Event ID text.
    event_id: String,
    /// Record id.
    record_id: Option<u64>,
    /// Message (or the joined `Data` items).
    message: String,
}

/// The file an event is read from, as [`check_event`] needs it.
#[derive(Clone)]
struct EventPlace {
    /// Index of the file in the run.
    file: u32,
    /// The computer of formats without a computer column: the file's name.
    fallback_computer: String,
}

/// One on-prem event, read as far as it can be without the sink.
struct CheckedEvent {
    /// Where it is in its file (`record 12`, `line 40`).
    location: String,
    verdict: Verdict,
}

/// What a checked event is.
#[allow(clippy::large_enum_variant)] // see `Writeback`
enum Verdict {
    /// Not a usable event: why.
    Rejected(String),
    /// An event of another provider: it counts for the log's coverage only.
    OtherProvider {
        time: DateTime<Utc>,
        computer: String,
    },
    /// A writeback event to keep (its location is filled in by the sink); `cut` when a
    /// field was over [`record::MAX_TEXT`]. Not boxed: the .evtx reader checks events on
    /// helper threads, and freeing each box on the sink's thread made the threads queue on
    /// the allocator's lock.
    Writeback { event: OnpremEvent, cut: bool },
}

/// Validates an event and parses a writeback event's message. Needs no sink, so the .evtx
/// reader runs it on the thread that read the record.
fn check_event(f: EventFields, place: &EventPlace, location: String) -> CheckedEvent {
    let reject = |reason: String, location: String| CheckedEvent {
        location,
        verdict: Verdict::Rejected(reason),
    };
    let time = match f.time {
        Some(Ok(t)) => t,
        Some(Err(text)) if !text.trim().is_empty() => {
            let reason = format!("date '{}' is not a timestamp", record::shorten(&text));
            return reject(reason, location);
        }
        _ => return reject("missing date".into(), location),
    };
    let Ok(event_id) = f.event_id.trim().parse::<u32>() else {
        let reason = format!(
            "event ID '{}' is not a number",
            record::shorten(&f.event_id)
        );
        return reject(reason, location);
    };
    let computer = match f
        .computer
        .as_deref()
        .map(short_computer)
        .filter(|c| !c.is_empty())
    {
        Some(c) => c,
        None => place.fallback_computer.clone(),
    };
    if EventSource::parse(&f.source).is_none() {
        return CheckedEvent {
            location,
            verdict: Verdict::OtherProvider { time, computer },
        };
    }
    let mut message = event_message::strip_wrapper_owned(f.message);
    let mut parsed = event_message::parse_stripped(&message, event_id);
    let mut cut = record::cap(&mut message);
    for part in [
        &mut parsed.tracking_id,
        &mut parsed.upn,
        &mut parsed.cloud_anchor,
        &mut parsed.admin_upn,
        &mut parsed.hr_code,
        &mut parsed.error_text,
    ]
    .into_iter()
    .flatten()
    {
        cut |= record::cap(part);
    }
    CheckedEvent {
        location,
        verdict: Verdict::Writeback {
            event: OnpremEvent {
                time,
                parsed: parsed.into(),
                message: message.into(),
                computer: computer.into(),
                // Copied into its own allocation either way (and interned by the sink).
                source: f.source.trim().into(),
                event_id,
                record_id: f.record_id,
                origin: Origin {
                    file: place.file,
                    location: Default::default(),
                },
            },
            cut,
        },
    }
}

/// `CONNECT01.corp.contoso.co.jp` → `CONNECT01`: exports differ in whether they keep the domain.
fn short_computer(name: &str) -> String {
    let short = name.trim().split('.').next().unwrap_or("");
    // Host names are ASCII nearly always, and ASCII upper-casing is the same and cheaper.
    if short.is_ascii() {
        short.to_ascii_uppercase()
    } else {
        short.to_uppercase()
    }
}

impl Sink {
    fn see_time(&mut self, t: DateTime<Utc>) {
        // Exports are sorted by time: most rows fall in the minute of the row before.
        let minute = t.timestamp().div_euclid(60);
        if self.last_minute != Some(minute) {
            self.minutes.insert(minute);
            self.last_minute = Some(minute);
        }
        self.see_span(t);
    }

    /// Widens the file's time span without adding to the audit log's coverage.
    fn see_span(&mut self, t: DateTime<Utc>) {
        self.report.first = Some(self.report.first.map_or(t, |f| f.min(t)));
        self.report.last = Some(self.report.last.map_or(t, |l| l.max(t)));
    }

    fn origin(&self, location: &str) -> Origin {
        Origin {
            file: self.index,
            location: location.into(),
        }
    }

    fn kept_one(&mut self) {
        self.report.records_read += 1;
        self.report.kept += 1;
    }

    fn keep_snapshot(&mut self, row: SnapshotRow) {
        self.kept_one();
        if let Some(t) = row.updated_at {
            self.see_span(t);
        }
        self.snapshot_rows.push(row);
    }

    fn keep_usage(&mut self, event: UsageEvent) {
        self.kept_one();
        self.see_span(event.time);
        self.usage_events.push(event);
    }

    fn keep_license(&mut self, mut row: LicenseRow) {
        self.kept_one();
        // Kept to the end of the run: most users hold one licence, and a list grown by
        // pushing has room for four (a whole tenant's 50,000 users: 18 MB of empty slots).
        row.licenses.shrink_to_fit();
        self.license_rows.push(row);
    }

    fn keep_sku(&mut self, sku: SkuInfo) {
        self.kept_one();
        self.skus.push(sku);
    }

    fn reject(&mut self, location: String, reason: String) {
        self.report.records_read += 1;
        self.report.rejected += 1;
        self.rejects.push(Reject {
            file: self.report.file.display.clone(),
            location,
            reason,
        });
    }

    fn irrelevant(&mut self, time: Option<DateTime<Utc>>) {
        self.report.records_read += 1;
        self.report.irrelevant += 1;
        if let Some(t) = time {
            self.see_time(t);
        }
    }

    fn keep(&mut self, mut fields: record::FieldValues, relevance: Relevance, location: String) {
        if fields.cap_all() {
            self.long_field(&location);
        }
        let origin = Origin {
            file: self.index,
            location: location.as_str().into(),
        };
        match record::into_record(fields, relevance, origin, &mut self.strings) {
            Ok(rec) => {
                self.report.records_read += 1;
                self.report.kept += 1;
                self.see_time(rec.time);
                self.records.push(rec);
            }
            Err(reason) => self.reject(location, reason),
        }
    }

    /// Reads a zone-less local time of an on-prem export in `--onprem-tz`.
    fn local_time(&self, parsed: timestamp::ParsedTime) -> DateTime<Utc> {
        match parsed.offset {
            Some(_) => parsed.to_utc_assuming_utc(),
            None => self
                .onprem_tz
                .from_local_datetime(&parsed.naive)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| parsed.to_utc_assuming_utc()),
        }
    }

    /// Keeps an event of a writeback source; other providers only count for coverage.
    fn keep_event(&mut self, f: EventFields, location: String) {
        let checked = check_event(f, &self.place, location);
        self.keep_checked_event(checked);
    }

    /// Counts and stores an event that [`check_event`] has read.
    fn keep_checked_event(&mut self, checked: CheckedEvent) {
        let (time, computer) = match &checked.verdict {
            Verdict::Rejected(_) => {
                if let Verdict::Rejected(reason) = checked.verdict {
                    self.reject(checked.location, reason);
                }
                return;
            }
            Verdict::OtherProvider { time, computer } => (*time, computer.as_str()),
            Verdict::Writeback { event, .. } => (event.time, &*event.computer),
        };
        match self.event_spans.get_mut(computer) {
            Some((first, last)) => {
                *first = (*first).min(time);
                *last = (*last).max(time);
            }
            None => {
                self.event_spans.insert(computer.to_string(), (time, time));
            }
        }
        let minute = time.timestamp().div_euclid(60);
        // Logs are in time order: most events fall in the last event's minute and computer.
        let seen = self
            .last_event_minute
            .as_ref()
            .is_some_and(|(m, c)| *m == minute && c == computer);
        if !seen {
            // One set per computer, looked up without copying its name for every event.
            match self.event_minutes.get_mut(computer) {
                Some(minutes) => {
                    minutes.insert(minute);
                }
                None => {
                    self.event_minutes
                        .insert(computer.to_string(), BTreeSet::from([minute]));
                }
            }
            self.last_event_minute = Some((minute, computer.to_string()));
        }
        self.report.records_read += 1;
        self.see_time(time);
        match checked.verdict {
            Verdict::Writeback { mut event, cut } => {
                if cut {
                    self.long_field(&checked.location);
                }
                event.origin.location = checked.location.into();
                event.computer = self.strings.get(&event.computer);
                event.source = self.strings.get(&event.source);
                self.report.kept += 1;
                self.events.push(event);
            }
            _ => self.report.irrelevant += 1,
        }
    }

    /// Notes (once per file) that a field over [`record::MAX_TEXT`] bytes was cut.
    fn long_field(&mut self, location: &str) {
        if !self
            .report
            .warnings
            .iter()
            .any(|w| w.contains("were cut to"))
        {
            self.report.warnings.push(format!(
                "fields longer than {} KiB were cut to that length (the first at {location})",
                record::MAX_TEXT / 1024
            ));
        }
    }

    /// Marks an entry that is not read at all: no records, the reason as its warning.
    fn skipped(&mut self, what: &str, why: String) {
        self.report.kind = FileKind::Skipped;
        self.report.format = what.to_string();
        self.report.warnings.push(why);
    }

    /// Turns the file into one rejected "file" record: nothing in it could be recognised.
    fn unknown(&mut self, reason: String) {
        self.report.kind = FileKind::Unknown;
        self.report.records_read = 0;
        self.report.irrelevant = 0;
        self.report.rejected = 0;
        self.report.kept = 0;
        self.report.first = None;
        self.report.last = None;
        self.records.clear();
        self.rejects.clear();
        self.minutes.clear();
        self.last_minute = None;
        self.events.clear();
        self.event_minutes.clear();
        self.last_event_minute = None;
        self.event_spans.clear();
        self.clear_directory_data();
        self.reject("file".into(), reason);
    }
}

impl Sink {
    /// Adds what the reader of a later part of the same file found.
    fn merge(&mut self, mut other: Sink) {
        let (r, o) = (&mut self.report, &other.report);
        r.records_read += o.records_read;
        r.irrelevant += o.irrelevant;
        r.rejected += o.rejected;
        r.kept += o.kept;
        for t in [o.first, o.last].into_iter().flatten() {
            r.first = Some(r.first.map_or(t, |f| f.min(t)));
            r.last = Some(r.last.map_or(t, |l| l.max(t)));
        }
        for w in std::mem::take(&mut other.report.warnings) {
            // One Shift_JIS and one long-field warning per file: the first part that met such
            // rows says where (so the warnings do not depend on how many parts there were).
            let once = |x: &str| {
                if x.contains("Shift_JIS") {
                    Some(0)
                } else if x.contains("were cut to") {
                    Some(1)
                } else {
                    None
                }
            };
            let repeated =
                once(&w).is_some() && self.report.warnings.iter().any(|x| once(x) == once(&w));
            if !repeated && !self.report.warnings.contains(&w) {
                self.report.warnings.push(w);
            }
        }
        // The first part's vector is taken over, not copied (a large file's part is hundreds
        // of thousands of records).
        if self.records.is_empty() {
            self.records = std::mem::take(&mut other.records);
        } else {
            self.records.append(&mut other.records);
        }
        self.rejects.append(&mut other.rejects);
        self.minutes.append(&mut other.minutes);
    }

    fn clear_directory_data(&mut self) {
        self.snapshot_rows.clear();
        self.usage_events.clear();
        self.license_rows.clear();
        self.skus.clear();
    }
}

/// Whether two files hold the same bytes (read side by side; only asked for files of equal
/// length, which among exports is rare unless one is a copy of the other).
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(fa), Ok(fb)) = (reopen(a), reopen(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (
        BufReader::with_capacity(1 << 20, fa),
        BufReader::with_capacity(1 << 20, fb),
    );
    loop {
        let (Ok(x), Ok(y)) = (ra.fill_buf(), rb.fill_buf()) else {
            return false;
        };
        if x.is_empty() || y.is_empty() {
            return x.is_empty() && y.is_empty();
        }
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return false;
        }
        ra.consume(n);
        rb.consume(n);
    }
}

/// Progress and terminal settings of an ingest run.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Draw a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// Zone of on-prem exports that write local time without an offset.
    pub onprem_tz: Tz,
    /// Threads: files read side by side, parts of a large file, chunks of an `.evtx`.
    pub threads: usize,
}

/// One thread per core, at most 8 (reading is bound by memory bandwidth beyond that).
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            progress: false,
            onprem_tz: chrono_tz::UTC,
            threads: default_threads(),
        }
    }
}

/// Reads every file.
pub fn ingest(files: &[InputFile], opts: IngestOptions) -> Result<Ingested, RunError> {
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0))
        .collect();
    let total: u64 = sizes.iter().sum();
    let bar = if opts.progress {
        let pb = indicatif::ProgressBar::new(total);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut out = Ingested::default();
    let mut seen: Vec<(u64, PathBuf, String)> = Vec::new();
    // Files are read on every core, and their results taken in file order, so the outcome (copy
    // detection included) is the same whatever the number of threads.
    let threads = opts.threads.max(1);
    let workers = threads.min(files.len().max(1));
    // Largest files first, so that no core is left with a big file alone at the end.
    let mut schedule: Vec<usize> = (0..files.len()).collect();
    schedule.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let schedule = &schedule;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| -> Result<(), RunError> {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let turn = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&index) = schedule.get(turn) else {
                        break;
                    };
                    let file = &files[index];
                    let result = read_file(index as u32, file, opts.onprem_tz, threads);
                    // A closed channel means the reader gave up on an error: stop.
                    if tx.send((index, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            let result = loop {
                if let Some(r) = pending.remove(&index) {
                    break r;
                }
                match rx.recv() {
                    Ok((i, r)) => {
                        pending.insert(i, r);
                    }
                    Err(_) => {
                        return Err(RunError::Read {
                            file: file.display.clone(),
                            message: "its reader thread stopped unexpectedly".into(),
                        });
                    }
                }
            };
            bar.set_message(file.display.clone());
            let (sink, length) = result?;
            bar.inc(sizes[index]);
            absorb_file(&mut out, &mut seen, file, sink, length);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    // The vectors grew by doubling while files were merged: give the slack back before the
    // model and the report are built on top of them.
    out.records.shrink_to_fit();
    out.onprem.shrink_to_fit();
    out.snapshot_rows.shrink_to_fit();
    out.license_rows.shrink_to_fit();
    Ok(out)
}

/// Adds one file's results to the run, in file order: a byte-identical copy of an earlier file
/// (same length, same bytes) counts entirely as duplicate.
fn absorb_file(
    out: &mut Ingested,
    seen: &mut Vec<(u64, PathBuf, String)>,
    file: &InputFile,
    mut sink: Sink,
    length: Option<u64>,
) {
    if let Some(length) = length {
        let original = seen
            .iter()
            .find(|(len, path, _)| *len == length && same_bytes(path, &file.path))
            .map(|(_, _, display)| display.clone());
        if let Some(original) = original {
            // A copy of an earlier file: its records are all duplicates of that file's.
            let read = sink.report.records_read;
            sink.report.kind = FileKind::Copy;
            sink.report.irrelevant = 0;
            sink.report.rejected = 0;
            sink.report.kept = 0;
            sink.report.warnings.push(format!(
                "byte-identical copy of {original}: its {read} records count as duplicate"
            ));
            sink.records.clear();
            sink.rejects.clear();
            sink.events.clear();
            sink.clear_directory_data();
        } else {
            seen.push((length, file.path.clone(), file.display.clone()));
        }
    }
    match sink.report.kind {
        FileKind::OnpremLog => {
            let spans = std::mem::take(&mut sink.event_spans);
            for (computer, minutes) in std::mem::take(&mut sink.event_minutes) {
                if let Some(&(first, last)) = spans.get(&computer) {
                    out.onprem_coverage.push(OnpremCoverage {
                        file: sink.index,
                        computer,
                        minutes,
                        first,
                        last,
                    });
                }
            }
        }
        // Registration and licence exports say nothing about the audit log's coverage.
        FileKind::Registrations | FileKind::Licenses => {}
        _ => out.audit_minutes.append(&mut sink.minutes),
    }
    out.onprem.append(&mut sink.events);
    out.snapshot_rows.append(&mut sink.snapshot_rows);
    out.usage_events.append(&mut sink.usage_events);
    out.license_rows.append(&mut sink.license_rows);
    out.skus.append(&mut sink.skus);
    out.records.append(&mut sink.records);
    out.rejects.append(&mut sink.rejects);
    out.files.push(sink.report);
}

fn new_sink(index: u32, file: &InputFile, onprem_tz: Tz) -> Sink {
    Sink {
        index,
        report: FileReport {
            file: file.clone(),
            kind: FileKind::AuditLog,
            format: String::new(),
            encoding: None,
            records_read: 0,
            irrelevant: 0,
            rejected: 0,
            kept: 0,
            first: None,
            last: None,
            warnings: Vec::new(),
        },
        records: Vec::new(),
        rejects: Vec::new(),
        minutes: BTreeSet::new(),
        events: Vec::new(),
        event_minutes: BTreeMap::new(),
        snapshot_rows: Vec::new(),
        usage_events: Vec::new(),
        license_rows: Vec::new(),
        skus: Vec::new(),
        last_minute: None,
        last_event_minute: None,
        event_spans: BTreeMap::new(),
        strings: record::Interner::default(),
        onprem_tz,
        // Event Viewer CSV/TXT have no computer column: the file is named after it.
        place: EventPlace {
            file: index,
            fallback_computer: short_computer(
                &file
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy())
                    .unwrap_or_default(),
            ),
        },
    }
}

/// Reads one file. Returns the sink and, when the file yielded records, its length (files of
/// equal length are compared byte for byte to find copies).
fn read_file(
    index: u32,
    file: &InputFile,
    onprem_tz: Tz,
    threads: usize,
) -> Result<(Sink, Option<u64>), RunError> {
    let mut sink = new_sink(index, file, onprem_tz);
    let path = &file.path;
    let handle = match open_input(path)? {
        Opened::File(handle) => handle,
        Opened::Skipped { what, why } => {
            sink.skipped(what, why);
            return Ok((sink, None));
        }
    };
    let len = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = handle;
    let mut head = Vec::with_capacity(decode::HEAD_LEN);
    (&mut reader)
        .take(decode::HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| RunError::io("reading", path, e))?;
    let complete = (head.len() as u64) >= len;

    if head.iter().all(|b| b.is_ascii_whitespace()) && complete
        || head == [0xEF, 0xBB, 0xBF]
        || head == [0xFF, 0xFE]
        || head == [0xFE, 0xFF]
    {
        sink.report.kind = FileKind::Empty;
        sink.report.format = "empty".into();
        sink.report.warnings.push("empty file: no records".into());
    } else if head.starts_with(b"PK\x03\x04") {
        drop(reader);
        read_workbook(&mut sink, path);
        let length = sink_has_records(&sink).then_some(len);
        return Ok((sink, length));
    } else if head.starts_with(b"ElfFile\0") {
        drop(reader);
        evtx_log::read(&mut sink, path, threads);
        let length = sink_has_records(&sink).then_some(len);
        return Ok((sink, length));
    } else if head.starts_with(&[0x1F, 0x8B]) {
        sink.unknown(
            "gzip-compressed file: decompress it first (e.g. gunzip) and pass the extracted export"
                .into(),
        );
    } else {
        match decode::sniff(&head, complete) {
            Err(e) => sink.unknown(format!("cannot be decoded: {e}")),
            Ok(encoding)
                if len >= split::MIN_SKIM_BYTES
                    && split::read(
                        &mut sink,
                        path,
                        &head,
                        encoding,
                        len,
                        split::workers(len, threads),
                    )? =>
            {
                sink.report.encoding = Some(encoding);
            }
            Ok(encoding) => {
                sink.report.encoding = Some(encoding);
                let utf16 = matches!(
                    encoding,
                    TextEncoding::Utf16Le | TextEncoding::Utf16Be | TextEncoding::Utf16LeNoBom
                );
                if utf16 && len % 2 == 1 {
                    sink.report.warnings.push(
                        "the file ends inside a UTF-16 character (an odd number of bytes): it was cut off, and its last record may be incomplete"
                            .into(),
                    );
                }
                let head_text = decode::decode_all(&head, encoding);
                let stream = std::io::Cursor::new(head).chain(&mut reader);
                let text =
                    BufReader::with_capacity(256 * 1024, decode::utf8_reader(stream, encoding));
                read_text(&mut sink, &head_text, complete, text);
            }
        }
    }
    drop(reader);
    let length = sink_has_records(&sink).then_some(len);
    Ok((sink, length))
}

/// An input opened for reading, or why it is not read.
enum Opened {
    /// A regular file.
    File(std::fs::File),
    /// Not a regular file: `what` it is (the format column), `why` it is skipped (the warning).
    Skipped { what: &'static str, why: String },
}

/// Opens an input only when it is a regular file (through links). A FIFO would block the run
/// forever, a device such as `/dev/zero` never ends, a socket cannot be read: they, and
/// entries the folder walk could not follow, are skipped with the reason. The file is opened
/// without blocking and checked again once open, so one swapped for a FIFO in between is
/// skipped too.
fn open_input(path: &Path) -> Result<Opened, RunError> {
    let skipped = |what, why: String| Ok(Opened::Skipped { what, why });
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return unreachable_input(path, e),
    };
    if let Some(fs) = kernel_fs(path) {
        return skipped(
            "kernel file system",
            format!(
                "skipped: a {}{} on the kernel's {fs} file system, not an export: nothing there is read",
                if meta.is_dir() { "folder" } else { "file" },
                linked(path)
            ),
        );
    }
    if meta.is_dir() {
        return match std::fs::read_dir(path) {
            Err(e) => skipped(
                "unreadable folder",
                format!("skipped: the folder cannot be read: {e}"),
            ),
            Ok(_) => skipped(
                "folder read already",
                format!(
                    "skipped: a link{} to a folder that is read already (a loop, or a second way to one folder): each folder is read once",
                    link_target(path)
                ),
            ),
        };
    }
    if !meta.is_file() {
        let what = special_kind(&meta);
        return skipped(
            what,
            format!(
                "skipped: a {what}{}, not a regular file: only regular files are read",
                linked(path)
            ),
        );
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading waits for a writer; without blocking it returns at once.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let handle = options
        .open(path)
        .map_err(|e| RunError::io("opening", path, e))?;
    match handle.metadata() {
        Ok(m) if m.is_file() => Ok(Opened::File(handle)),
        Ok(m) => {
            let what = special_kind(&m);
            skipped(
                what,
                format!("skipped: a {what}, not a regular file: only regular files are read"),
            )
        }
        Err(e) => Err(RunError::io("reading", path, e)),
    }
}

/// An input whose kind cannot even be looked up: a link loop, a path too long for the OS, a
/// link to nothing are skipped; any other error (permissions, I/O) stops the run as before.
fn unreachable_input(path: &Path, e: std::io::Error) -> Result<Opened, RunError> {
    let what = match e.raw_os_error() {
        #[cfg(target_os = "linux")]
        Some(libc::ELOOP) => "link loop",
        #[cfg(target_os = "linux")]
        Some(libc::ENAMETOOLONG) => "path too long",
        _ if e.kind() == std::io::ErrorKind::NotFound => "link to nothing",
        _ => return Err(RunError::io("opening", path, e)),
    };
    Ok(Opened::Skipped {
        what,
        why: format!("skipped: {what}{}: {e}", linked(path)),
    })
}

/// The kernel's file system `path` lies on, when it is one (procfs, sysfs, …): their files
/// are not exports, some never end or block a reader (`/proc/kmsg`), and some hold secrets
/// (`/proc/self/environ`) that a reject would quote into the report.
#[cfg(target_os = "linux")]
fn kernel_fs(path: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: an all-zero statfs is a valid value; statfs fills it from a C string that
    // outlives the call.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c_path.as_ptr(), &mut st) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // f_type's width differs between targets
    Some(match st.f_type as i64 {
        0x9fa0 => "proc",
        0x6265_6572 => "sysfs",
        0x6462_6720 => "debugfs",
        0x7472_6163 => "tracefs",
        0x7363_6673 => "securityfs",
        0x0027_e0eb | 0x6367_7270 => "cgroup",
        0xcafe_4a11 => "bpf",
        0x1cd1 => "devpts",
        0x6265_6570 => "configfs",
        0x6165_676c => "pstore",
        0xde5e_81e4 => "efivarfs",
        _ => return None,
    })
}

/// No kernel file systems are known elsewhere.
#[cfg(not(target_os = "linux"))]
fn kernel_fs(_path: &Path) -> Option<&'static str> {
    None
}

/// Opens a file read once already (to compare it, or to read a part of it) the same way, so
/// that one swapped for a FIFO or a device since is an error, not a hang.
pub(crate) fn reopen(path: &Path) -> std::io::Result<std::fs::File> {
    match open_input(path) {
        Ok(Opened::File(file)) => Ok(file),
        Ok(Opened::Skipped { why, .. }) => Err(std::io::Error::other(why)),
        Err(e) => Err(std::io::Error::other(e.to_string())),
    }
}

/// ` (a link to '…')` for a symbolic link, else nothing.
fn linked(path: &Path) -> String {
    shown_target(path)
        .map(|to| format!(" (a link to '{to}')"))
        .unwrap_or_default()
}

/// ` to '…'` for a symbolic link, else nothing.
fn link_target(path: &Path) -> String {
    shown_target(path)
        .map(|to| format!(" to '{to}'"))
        .unwrap_or_default()
}

/// A link's target, when it can be named in a warning: only `.`/`..` paths and the system's
/// `/dev`, `/proc` and `/sys`. Any other target may name a person (`/home/taro.yamada/…`)
/// and would reach the report as free text even under `--pseudonymize`.
fn shown_target(path: &Path) -> Option<String> {
    use std::path::Component;
    let to = std::fs::read_link(path).ok()?;
    let relative_up = to
        .components()
        .all(|c| matches!(c, Component::CurDir | Component::ParentDir));
    let system = ["/dev", "/proc", "/sys"].iter().any(|p| to.starts_with(p));
    (relative_up || system).then(|| to.display().to_string())
}

/// What a file that is neither a folder nor a regular file is.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    let _ = meta;
    "special file"
}

fn sink_has_records(sink: &Sink) -> bool {
    sink.report.records_read > 0 && sink.report.kind != FileKind::Unknown
}

/// Dispatches a decoded text file to the JSON or table reader.
/// `complete`: the head is the whole file.
fn read_text(sink: &mut Sink, head_text: &str, complete: bool, text: impl BufRead) {
    let trimmed = head_text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        sink.report.kind = FileKind::Empty;
        sink.report.format = "empty".into();
        sink.report.warnings.push("empty file: no records".into());
        return;
    }
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let lines = json_stream::looks_like_json_lines(trimmed);
        read_json(sink, text, lines);
    } else if trimmed.starts_with('<') {
        event_xml::read(sink, text);
    } else {
        if !complete && !table::header_in_head(trimmed) {
            sink.unknown(format!(
                "not a recognised export: its first line is longer than {} KiB, and no export's header is",
                decode::HEAD_LEN / 1024
            ));
            return;
        }
        table::read_table(sink, text, trimmed);
    }
}

/// What the records of a JSON file are, decided by its first record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonMode {
    /// Nothing read yet.
    Undecided,
    /// Audit records of this shape.
    Audit(audit_json::JsonShape),
    /// PowerShell event objects.
    Events,
    /// Registration details or usage records.
    Registration(registration_json::RegistrationShape),
    /// Users with licences, or SKU descriptions.
    License(license_json::LicenseShape),
}

/// A JSON record that is not an audit record: what else it may be.
fn classify_other_json(bytes: &[u8]) -> Option<JsonMode> {
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if powershell_json::is_event(&v) {
        return Some(JsonMode::Events);
    }
    if let Some(shape) = registration_json::classify(&v) {
        return Some(JsonMode::Registration(shape));
    }
    license_json::classify(&v).map(JsonMode::License)
}

fn read_json(sink: &mut Sink, text: impl BufRead, lines: bool) {
    use audit_json::JsonRecordError;
    use json_stream::StreamError;
    let mut stream = json_stream::JsonRecords::new(text, lines);
    let mut mode = JsonMode::Undecided;
    let mut bytes = Vec::new();
    loop {
        // The last record's buffer holds the next one.
        stream.recycle(std::mem::take(&mut bytes));
        let Some(next) = stream.next_record() else {
            break;
        };
        let raw = match next {
            Ok(raw) => raw,
            Err(StreamError::NotRecordJson(msg)) => {
                if sink.report.records_read == 0 {
                    sink.unknown(format!("JSON, but not an export this tool reads: {msg}"));
                } else {
                    sink.reject("file".into(), msg);
                }
                break;
            }
            Err(StreamError::Truncated { number, line }) => {
                sink.reject(
                    format!("record {number} (line {line})"),
                    "the file ends inside this record: it was cut off (incomplete download or copy?)".into(),
                );
                break;
            }
            Err(StreamError::TooLarge { number, line }) => {
                sink.reject(
                    format!("record {number} (line {line})"),
                    format!(
                        "record larger than {} MiB or of more than {} values: skipped",
                        json_stream::MAX_RECORD_BYTES >> 20,
                        json_stream::MAX_RECORD_VALUES
                    ),
                );
                continue;
            }
            Err(StreamError::Garbage { line, what }) => {
                sink.reject(
                    format!("line {line}"),
                    format!("unexpected text after a record: '{what}'"),
                );
                continue;
            }
            Err(StreamError::Io(e)) => {
                sink.reject("file".into(), format!("read error: {e}"));
                break;
            }
        };
        bytes = raw.bytes;
        // Formatted only for a record that is kept or rejected: most are dropped unread.
        let location = || {
            if lines {
                format!("line {}", raw.line)
            } else {
                format!("record {} (line {})", raw.number, raw.line)
            }
        };
        match mode {
            JsonMode::Events => {
                powershell_event(sink, &bytes, location());
                continue;
            }
            JsonMode::Registration(shape) => {
                registration_record(sink, shape, &bytes, location());
                continue;
            }
            JsonMode::License(shape) => {
                license_record(sink, shape, &bytes, location());
                continue;
            }
            JsonMode::Audit(_) if !audit_json::may_be_relevant(&bytes) => {
                sink.irrelevant(audit_json::quick_time(&bytes));
                continue;
            }
            JsonMode::Audit(_) | JsonMode::Undecided => {}
        }
        match audit_json::parse_record(&bytes) {
            Err(JsonRecordError::Syntax(e)) => {
                sink.reject(location(), format!("not valid JSON: {e}"))
            }
            Err(JsonRecordError::NotAudit) if mode == JsonMode::Undecided => {
                match classify_other_json(&bytes) {
                    Some(JsonMode::Events) => {
                        mode = JsonMode::Events;
                        sink.report.kind = FileKind::OnpremLog;
                        powershell_event(sink, &bytes, location());
                    }
                    Some(JsonMode::Registration(shape)) => {
                        mode = JsonMode::Registration(shape);
                        sink.report.kind = FileKind::Registrations;
                        registration_record(sink, shape, &bytes, location());
                    }
                    Some(JsonMode::License(shape)) => {
                        mode = JsonMode::License(shape);
                        sink.report.kind = FileKind::Licenses;
                        license_record(sink, shape, &bytes, location());
                    }
                    _ => {
                        sink.unknown(
                            "JSON records that are none of the exports this tool reads: not Entra audit records \
                             (activityDisplayName, activityDateTime, loggedByService), not event log objects \
                             (ProviderName, Id, TimeCreated), not registration details (userPrincipalName, \
                             isSsprRegistered, methodsRegistered) and not licences (assignedLicenses, skuId, servicePlans)"
                                .into(),
                        );
                        return;
                    }
                }
            }
            Err(JsonRecordError::NotAudit) => sink.reject(
                location(),
                "not an audit record (no activity, time or service)".into(),
            ),
            Ok((s, fields)) => {
                if mode == JsonMode::Undecided {
                    mode = JsonMode::Audit(s);
                }
                let rel = crate::model::audit::relevance(&fields.service, &fields.activity);
                if rel == Relevance::Irrelevant {
                    sink.irrelevant(timestamp::parse_utc(&fields.time));
                } else {
                    sink.keep(fields, rel, location());
                }
            }
        }
    }
    if sink.report.kind == FileKind::Unknown {
        return;
    }
    let shape_label = match mode {
        JsonMode::Events => {
            sink.report.format = "PowerShell Get-WinEvent | ConvertTo-Json".into();
            return;
        }
        JsonMode::Registration(shape) => shape.label(),
        JsonMode::License(shape) => shape.label(),
        JsonMode::Audit(shape) => shape.label(),
        JsonMode::Undecided => "audit records",
    };
    sink.report.format = match stream.envelope() {
        Some(json_stream::Envelope::Lines) => format!("{shape_label}, JSON lines"),
        Some(json_stream::Envelope::BareArray) => format!("{shape_label}, JSON array"),
        Some(json_stream::Envelope::Wrapper { member }) => {
            if stream
                .top_level_keys
                .iter()
                .any(|k| k.starts_with("@odata"))
            {
                format!("{shape_label}, Graph page ('{member}' + @odata)")
            } else {
                format!("{shape_label}, JSON object with '{member}' array")
            }
        }
        None => shape_label.to_string(),
    };
    if sink.report.records_read == 0 && sink.report.kind == FileKind::AuditLog {
        sink.report.kind = FileKind::Empty;
        sink.report
            .warnings
            .push("the JSON holds no records".into());
    }
}

/// A directory record (registration or licence) as the reader found it.
enum DirectoryRecord {
    Snapshot(registration_json::RegistrationShape),
    Usage,
    User,
    Sku,
}

/// One record of a registration or licence JSON file: parsed, then kept, counted as a service
/// account (out of scope), or rejected with the reader's reason.
fn directory_record(sink: &mut Sink, kind: DirectoryRecord, bytes: &[u8], location: String) {
    let read = match kind {
        DirectoryRecord::Snapshot(_) => {
            json_keep::read_members_kept(bytes, &registration_json::SNAPSHOT_MEMBERS)
        }
        _ => serde_json::from_slice(bytes),
    };
    let v: serde_json::Value = match read {
        Ok(v) => v,
        Err(e) => return sink.reject(location, format!("not valid JSON: {e}")),
    };
    let origin = sink.origin(&location);
    let outcome = match kind {
        DirectoryRecord::Snapshot(shape) => registration_json::snapshot_row(&v, shape, origin)
            .map(|r| r.map(|r| sink.keep_snapshot(r))),
        DirectoryRecord::Usage => {
            registration_json::usage_event(&v, origin).map(|e| e.map(|e| sink.keep_usage(e)))
        }
        DirectoryRecord::User => {
            license_json::user(&v, origin).map(|r| r.map(|r| sink.keep_license(r)))
        }
        DirectoryRecord::Sku => license_json::sku(&v, origin).map(|s| {
            sink.keep_sku(s);
            Some(())
        }),
    };
    match outcome {
        Ok(Some(())) => {}
        Ok(None) => sink.irrelevant(None),
        Err(reason) => sink.reject(location, reason),
    }
}

fn registration_record(
    sink: &mut Sink,
    shape: registration_json::RegistrationShape,
    bytes: &[u8],
    location: String,
) {
    let kind = match shape {
        registration_json::RegistrationShape::Usage => DirectoryRecord::Usage,
        other => DirectoryRecord::Snapshot(other),
    };
    directory_record(sink, kind, bytes, location);
}

fn license_record(
    sink: &mut Sink,
    shape: license_json::LicenseShape,
    bytes: &[u8],
    location: String,
) {
    let kind = match shape {
        license_json::LicenseShape::User => DirectoryRecord::User,
        license_json::LicenseShape::Sku => DirectoryRecord::Sku,
    };
    directory_record(sink, kind, bytes, location);
}

/// One record of a PowerShell `ConvertTo-Json` event array.
fn powershell_event(sink: &mut Sink, bytes: &[u8], location: String) {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) if powershell_json::is_event(&v) => {
            let fields = powershell_json::fields(&v, |p| sink.local_time(p));
            sink.keep_event(fields, location);
        }
        Ok(_) => sink.reject(
            location,
            "not an event object (no ProviderName, Id, TimeCreated)".into(),
        ),
        Err(e) => sink.reject(location, format!("not valid JSON: {e}")),
    }
}

fn read_workbook(sink: &mut Sink, path: &Path) {
    match xlsx::read(path) {
        Err(reason) => sink.unknown(reason),
        Ok(xlsx::Workbook::NoTable(reason)) => sink.unknown(reason),
        Ok(xlsx::Workbook::Tables(sheets)) => {
            let names: Vec<String> = sheets.iter().map(|s| format!("'{}'", s.name)).collect();
            if let Some(first) = sheets.first() {
                first.binding.describe(sink);
            }
            sink.report.format = format!(
                "Excel workbook, sheet {}: {}",
                names.join(", "),
                sink.report.format
            );
            for sheet in sheets {
                if let Some(row_number) = sheet.first_cut {
                    sink.long_field(&format!("sheet {} row {row_number}", sheet.name));
                }
                for (row_number, row) in &sheet.rows {
                    let location = format!("sheet {} row {row_number}", sheet.name);
                    sheet.binding.row(sink, row, location);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rejects name the physical line of their row in a CRLF file whose rows are separated
    /// by blank lines or end in a bare LF (csv-core reports such rows' positions early).
    #[test]
    fn rejects_name_physical_lines_whatever_the_line_ends() {
        let dir = std::env::temp_dir().join(format!("sspr-lines-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\"";
        let row = "\"2026-10-01T00:00:00Z\",\"c\",\"Core Directory\",\"x\",\"Update user\",\"success\",\"\"";
        let ragged = "\"2026-10-01T00:00:00Z\",\"c\"";
        // Lines: 1 header, 2 row, 3 blank, 4 ragged (bare LF), 5 ragged, 6 blank, 7 blank,
        // 8 ragged, 9 row.
        let text =
            format!("{header}\r\n{row}\r\n\r\n{ragged}\n{ragged}\r\n\r\n\r\n{ragged}\r\n{row}\r\n");
        let path = dir.join("audit.csv");
        std::fs::write(&path, text).expect("write");
        let file = InputFile {
            display: "audit.csv".into(),
            path,
        };
        let (sink, _) = read_file(0, &file, chrono_tz::UTC, 1).expect("read");
        let lines: Vec<&str> = sink.rejects.iter().map(|r| r.location.as_str()).collect();
        assert_eq!(lines, ["line 4", "line 5", "line 8"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn copies_are_equal_bytes_not_equal_lengths() {
        let dir = std::env::temp_dir().join(format!("sspr-same-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write");
            p
        };
        let a = write("a.csv", "Date (UTC),Service\n2026-10-01,x\n");
        let copy = write("copy.csv", "Date (UTC),Service\n2026-10-01,x\n");
        let twin = write("twin.csv", "Date (UTC),Service\n2026-10-02,x\n");
        assert!(same_bytes(&a, &copy));
        assert!(!same_bytes(&a, &twin), "same length, other bytes");
        assert!(!same_bytes(&a, &dir.join("missing.csv")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
