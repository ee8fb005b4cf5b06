//! What was read: the files, what each turned out to be, the malformed records, and the
//! normalized records of every file before the model is built from them. Ingest fills these;
//! the model keeps the account (per-file accounting, rejects, warnings, covered minutes) that
//! the metrics and the report show, so neither of them reads ingest's own structures.
//!
//! Layer: the model's; imports nothing of ingest.

use crate::model::audit::AuditRecord;
use crate::model::license::{LicenseRow, SkuInfo};
use crate::model::onprem::OnpremEvent;
use crate::model::registration::{SnapshotRow, UsageEvent};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

/// One input file and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// Name in reports: relative to the input folder, prefixed by that folder's name, so that
    /// reports do not depend on where the files lie.
    pub display: String,
    /// Where it is.
    pub path: PathBuf,
}

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An Entra audit log export.
    AuditLog,
    /// An event log of the Entra Connect server (any export format).
    OnpremLog,
    /// Registration details (a snapshot per user) or registration usage events.
    Registrations,
    /// A licence list, or the SKU descriptions that resolve one.
    Licenses,
    /// Nothing recognisable: one rejected record with location `file`.
    Unknown,
    /// No records at all.
    Empty,
    /// A byte-identical copy of an earlier input: every record counts as duplicate.
    Copy,
    /// Not read: not a regular file (FIFO, device, socket), a folder reached a second time
    /// (a link loop), a path the OS cannot open; no records, the reason as a warning.
    Skipped,
}

impl FileKind {
    /// Name for `inspect` and `inputs.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::AuditLog => "audit_log",
            FileKind::OnpremLog => "onprem_log",
            FileKind::Registrations => "registrations",
            FileKind::Licenses => "licenses",
            FileKind::Unknown => "unknown",
            FileKind::Empty => "empty",
            FileKind::Copy => "copy",
            FileKind::Skipped => "skipped",
        }
    }
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reject {
    /// File display name.
    pub file: String,
    /// `file`, `line 12`, `record 3 (line 40)`, `sheet AuditLogs row 7`.
    pub location: String,
    /// What is wrong, in words an administrator can act on.
    pub reason: String,
}

/// What was learnt about one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub file: InputFile,
    /// Verdict.
    pub kind: FileKind,
    /// Format in words, e.g. `portal audit CSV, current 86-column layout`.
    pub format: String,
    /// Text encoding, for text formats.
    pub encoding: Option<TextEncoding>,
    /// Records read (rows, JSON records, lines).
    pub records_read: u64,
    /// Records dropped at once as not relevant.
    pub irrelevant: u64,
    /// Records rejected as malformed.
    pub rejected: u64,
    /// Records kept for the model.
    pub kept: u64,
    /// Earliest record time seen.
    pub first: Option<DateTime<Utc>>,
    /// Latest record time seen.
    pub last: Option<DateTime<Utc>>,
    /// Notes for the user (empty file, copy of another file, …).
    pub warnings: Vec<String>,
}

/// Everything ingest produced.
#[derive(Debug, Default)]
pub struct Ingested {
    /// One report per input file, in input order.
    pub files: Vec<FileReport>,
    /// Relevant records of all files, in file order then file order of records.
    pub records: Vec<AuditRecord>,
    /// Malformed records.
    pub rejects: Vec<Reject>,
    /// Minutes (since the epoch) in which the audit log has at least one record: coverage gaps.
    pub audit_minutes: BTreeSet<i64>,
    /// Events of the writeback sources (PasswordResetService, ADSync, Directory Synchronization).
    pub onprem: Vec<OnpremEvent>,
    /// What each on-prem file covers, per computer (the model merges them: a copy read in a
    /// wrong zone is shifted back first).
    pub onprem_coverage: Vec<OnpremCoverage>,
    /// Rows of registration snapshots, in file order.
    pub snapshot_rows: Vec<SnapshotRow>,
    /// Registration and reset usage records, in file order.
    pub usage_events: Vec<UsageEvent>,
    /// Rows of licence lists, in file order.
    pub license_rows: Vec<LicenseRow>,
    /// SKU descriptions (service plans per SKU), in file order.
    pub skus: Vec<SkuInfo>,
}

/// The encoding a file was found to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextEncoding {
    /// UTF-8 without a BOM.
    Utf8,
    /// UTF-8 with a BOM (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian with a BOM.
    Utf16Le,
    /// UTF-16 big endian with a BOM.
    Utf16Be,
    /// UTF-16 little endian without a BOM (recognised by its zero bytes).
    Utf16LeNoBom,
    /// Shift_JIS / Windows-31J (CP932).
    ShiftJis,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE (BOM)",
            TextEncoding::Utf16Be => "UTF-16BE (BOM)",
            TextEncoding::Utf16LeNoBom => "UTF-16LE (no BOM)",
            TextEncoding::ShiftJis => "Shift_JIS (CP932)",
        })
    }
}

/// The account of the inputs the model keeps for the metrics and the report: every file with
/// its verdict and notes, every malformed record, and the minutes each log covers.
#[derive(Debug, Default)]
pub struct InputAccount {
    /// One report per input file, in input order.
    pub files: Vec<FileReport>,
    /// Malformed records.
    pub rejects: Vec<Reject>,
    /// Minutes (since the epoch) in which the audit log has at least one record.
    pub audit_minutes: BTreeSet<i64>,
    /// Per computer, the minutes with at least one event of any source.
    pub onprem_minutes: BTreeMap<String, BTreeSet<i64>>,
}

/// The time one on-prem file covers for one computer: the minutes with at least one event of
/// any source, and the exact first and last event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnpremCoverage {
    /// The file (index in the run's file list).
    pub file: u32,
    /// Computer.
    pub computer: String,
    /// Minutes (since the epoch) with at least one event.
    pub minutes: BTreeSet<i64>,
    /// The first event.
    pub first: DateTime<Utc>,
    /// The last event.
    pub last: DateTime<Utc>,
}
