//! `sspr-report inspect`: what each file is, before any report is made.

use crate::commands::Status;
use crate::ingest::{self, IngestOptions};
use crate::render::sanitize::display;
use crate::time::local_time;
use chrono_tz::Tz;
use std::io::Write;
use std::path::PathBuf;

/// Prints one block per file and a total line.
pub fn inspect(
    inputs: &[PathBuf],
    tz: Tz,
    onprem_tz: Tz,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let mut files = ingest::collect_files(inputs)?;
    files.sort();
    let ingested = ingest::ingest(
        &files,
        IngestOptions {
            onprem_tz,
            ..IngestOptions::default()
        },
    )?;
    let (mut read, mut rejected) = (0, 0);
    for f in &ingested.files {
        read += f.records_read;
        rejected += f.rejected;
        // File names, formats, reasons and warnings quote what the files hold: no control
        // character or direction override reaches the terminal.
        writeln!(out, "{}", display(&f.file.display))?;
        let format = if f.format.is_empty() {
            String::new()
        } else {
            format!(" — {}", f.format)
        };
        writeln!(out, "  kind:       {}{}", f.kind.as_str(), display(&format))?;
        if let Some(e) = f.encoding {
            writeln!(out, "  encoding:   {e}")?;
        }
        use crate::ingest::FileKind;
        let (kept, other) = match f.kind {
            FileKind::OnpremLog => ("from writeback sources", "other providers"),
            FileKind::Registrations | FileKind::Licenses => ("about users", "service accounts"),
            _ => ("SSPR-relevant", "other services"),
        };
        writeln!(
            out,
            "  records:    {} ({} {kept}, {} {other}, {} rejected)",
            f.records_read, f.kept, f.irrelevant, f.rejected
        )?;
        if let (Some(first), Some(last)) = (f.first, f.last) {
            // A registration snapshot's times are when the report service refreshed the rows.
            let label = if f.kind == FileKind::Registrations
                && f.format.to_lowercase().contains("registration")
            {
                "refreshed: "
            } else {
                "time range:"
            };
            writeln!(
                out,
                "  {label} {} … {}",
                local_time(first, tz),
                local_time(last, tz)
            )?;
        }
        let mine: Vec<_> = ingested
            .rejects
            .iter()
            .filter(|r| r.file == f.file.display)
            .collect();
        for r in mine.iter().take(3) {
            writeln!(
                out,
                "  rejected:   {}: {}",
                display(&r.location),
                display(&r.reason)
            )?;
        }
        if mine.len() > 3 {
            writeln!(out, "  rejected:   … and {} more", mine.len() - 3)?;
        }
        for w in &f.warnings {
            writeln!(out, "  warning:    {}", display(w))?;
        }
    }
    writeln!(
        out,
        "{} files, {read} records, {rejected} rejected",
        ingested.files.len()
    )?;
    Ok(Status::Done)
}
