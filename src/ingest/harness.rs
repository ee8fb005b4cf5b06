//! One reader driven directly on a byte string, for the fuzz targets (`fuzz/`) and the
//! hostile-input tests: whatever the bytes are, the reader must return, and what it returns
//! must add up ([`Outcome::check`]).

use super::{FileReport, InputFile, Reject, Sink, decode, event_xml, evtx_log, table};
use crate::error::RunError;
use std::io::BufReader;
use std::path::Path;

/// Which reader gets the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Recognised by content, as a run does.
    Sniffed,
    /// A delimited table: audit CSV, event-log CSV/TXT, registration or licence list.
    Table,
    /// A JSON document (array, `value` wrapper, Graph page, `records` envelope).
    Json,
    /// JSON lines.
    JsonLines,
    /// Event Viewer or wevtutil XML.
    EventXml,
    /// A binary `.evtx` log.
    Evtx,
    /// An `.xlsx` workbook.
    Workbook,
}

/// What a reader made of the bytes.
#[derive(Debug)]
pub struct Outcome {
    /// The file's report, as `inputs.csv` would show it.
    pub report: FileReport,
    /// Its rejected records.
    pub rejects: Vec<Reject>,
    /// Records the reader handed on (audit records, events, snapshot rows, usage records,
    /// licence rows and SKUs together).
    pub held: u64,
}

impl Outcome {
    /// The per-file accounting: every record read is irrelevant, rejected or kept; every kept
    /// record is handed on; every rejected one is listed with a place and a reason.
    pub fn check(&self) -> Result<(), String> {
        let r = &self.report;
        if r.records_read != r.irrelevant + r.rejected + r.kept {
            return Err(format!(
                "{} read != {} irrelevant + {} rejected + {} kept",
                r.records_read, r.irrelevant, r.rejected, r.kept
            ));
        }
        if r.kept != self.held {
            return Err(format!("{} kept but {} handed on", r.kept, self.held));
        }
        if r.rejected != self.rejects.len() as u64 {
            return Err(format!(
                "{} rejected but {} listed",
                r.rejected,
                self.rejects.len()
            ));
        }
        if let Some(bad) = self
            .rejects
            .iter()
            .find(|j| j.location.trim().is_empty() || j.reason.trim().is_empty())
        {
            return Err(format!("a reject without place or reason: {bad:?}"));
        }
        Ok(())
    }
}

/// Reads `bytes` with `reader`. Readers that need a file (`.evtx`, workbooks, sniffing) get
/// one written in `scratch`, named `input`.
pub fn read_bytes(reader: Reader, bytes: &[u8], scratch: &Path) -> Result<Outcome, RunError> {
    let path = scratch.join("input");
    let file = InputFile {
        display: "input".into(),
        path: path.clone(),
    };
    let write = || std::fs::write(&path, bytes).map_err(|e| RunError::io("writing", &path, e));
    let sink = match reader {
        Reader::Sniffed => {
            write()?;
            super::read_file(0, &file, chrono_tz::UTC, 1)?.0
        }
        Reader::Evtx => {
            write()?;
            let mut sink = super::new_sink(0, &file, chrono_tz::UTC);
            evtx_log::read(&mut sink, &path, 1);
            sink
        }
        Reader::Workbook => {
            write()?;
            let mut sink = super::new_sink(0, &file, chrono_tz::UTC);
            super::read_workbook(&mut sink, &path);
            sink
        }
        Reader::Table | Reader::Json | Reader::JsonLines | Reader::EventXml => {
            let mut sink = super::new_sink(0, &file, chrono_tz::UTC);
            let head = &bytes[..bytes.len().min(decode::HEAD_LEN)];
            match decode::sniff(head, head.len() == bytes.len()) {
                Err(e) => sink.unknown(format!("cannot be decoded: {e}")),
                Ok(encoding) => {
                    sink.report.encoding = Some(encoding);
                    let head_text = decode::decode_all(head, encoding);
                    let text = BufReader::new(decode::utf8_reader(bytes, encoding));
                    match reader {
                        Reader::Table => table::read_table(&mut sink, text, &head_text),
                        Reader::Json => super::read_json(&mut sink, text, false),
                        Reader::JsonLines => super::read_json(&mut sink, text, true),
                        _ => event_xml::read(&mut sink, text),
                    }
                }
            }
            sink
        }
    };
    Ok(outcome(sink))
}

/// What a fuzz target does with one input: reads it with `reader` (in a scratch folder of this
/// process) and panics — a finding for the fuzzer — when the outcome does not add up.
pub fn fuzz_one(reader: Reader, data: &[u8]) {
    static SCRATCH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let scratch = SCRATCH.get_or_init(|| {
        // A panic the workbook reader catches is not a finding; every other one still reaches
        // the fuzzer's hook (which aborts).
        super::xlsx::quiet_caught_panics();
        let dir = std::env::temp_dir().join(format!("sspr-fuzz-{}", std::process::id()));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("scratch folder {}: {e}", dir.display());
        }
        dir
    });
    match read_bytes(reader, data, scratch) {
        Err(e) => panic!("scratch file I/O: {e}"),
        Ok(outcome) => {
            if let Err(broken) = outcome.check() {
                panic!("{reader:?}: the accounting does not add up: {broken}");
            }
        }
    }
}

/// [`fuzz_one`] for formats exported two ways: the input's first byte picks `even` or `odd`.
pub fn fuzz_either(even: Reader, odd: Reader, data: &[u8]) {
    if let Some((pick, rest)) = data.split_first() {
        fuzz_one(if pick % 2 == 0 { even } else { odd }, rest);
    }
}

fn outcome(sink: Sink) -> Outcome {
    let held = sink.records.len()
        + sink.events.len()
        + sink.snapshot_rows.len()
        + sink.usage_events.len()
        + sink.license_rows.len()
        + sink.skus.len();
    Outcome {
        report: sink.report,
        rejects: sink.rejects,
        held: held as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled fixture, read as a run reads it, adds up.
    #[test]
    fn every_fixture_adds_up() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixture folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 40, "{} fixtures", files.len());
        for path in files {
            let bytes = std::fs::read(&path).expect("fixture");
            let out = read_bytes(Reader::Sniffed, &bytes, scratch.path()).expect("read");
            assert!(out.check().is_ok(), "{}: {:?}", path.display(), out.check());
        }
    }

    /// A reader forced onto bytes of another format says so (a reject or a warning) and still
    /// adds up.
    #[test]
    fn a_reader_given_the_wrong_format_adds_up() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let csv = b"\"Date (UTC)\",\"Service\"\n\"2026-10-01\",\"x\"\n";
        for reader in [
            Reader::Json,
            Reader::JsonLines,
            Reader::EventXml,
            Reader::Evtx,
            Reader::Workbook,
        ] {
            let out = read_bytes(reader, csv, scratch.path()).expect("read");
            out.check().expect("adds up");
            assert!(
                out.report.rejected >= 1 || !out.report.warnings.is_empty(),
                "{reader:?} said nothing: {:?}",
                out.report
            );
        }
    }
}
